/* What a run derives from its measurements, once per size as the run goes
 * and once more at the end: growth fits, the extrapolated times of variants
 * not run, speedups with their intervals, instability flags, and then the
 * claims' outcomes (claim.c) and the verdict (verdict.c). See
 * pd_lesson_result_derive in include/pdlab/result.h.
 *
 * Sections:
 *   lookups            which part a variant belongs to, its median
 *   speedups, growth   and extrapolation, instability
 *   breakdown          where a run's time went
 *   derive             all of it, in order
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/error.h"
#include "pdlab/evidence.h"
#include "pdlab/result.h"
#include "pdlab/verdict.h"

/* ---------------------------------------------------------------------
 * Lookups
 * ------------------------------------------------------------------ */

/* The declared part of a measured variant (borrowed), or "" when the
 * lesson does not declare it, so an unknown variant forms its own part and
 * is never compared with declared ones. */
static const char *part_of(const pd_lesson *l, const char *variant)
{
    int i = variant ? pd_lesson_variant_index(l, variant) : -1;

    if (i < 0 || !l->variants[i].part)
        return "";
    return l->variants[i].part;
}

/* Median seconds of a correct, measured variant; NAN for anything else, so
 * a wrong answer can never be the "slowest" a speedup is measured from. */
static double correct_median(const pd_variant_result *v)
{
    if (!v || v->status != PD_OK || v->nsamples == 0 || v->stats.n == 0 ||
        !(v->stats.median > 0))
        return NAN;
    return v->stats.median;
}


/* The median a speedup is computed from: measured and correct, or
 * extrapolated from a variant's own correct sizes. NAN otherwise. */
static double speed_median(const pd_variant_result *v)
{
    if (v && v->extrapolated && v->stats.median > 0)
        return v->stats.median;
    return correct_median(v);
}

/* ---------------------------------------------------------------------
 * Speedups, growth and extrapolation
 * ------------------------------------------------------------------ */

/* Per size and per part: slowest correct median / this median. A speedup
 * that involves an extrapolated time is marked so. */
static void finish_speedups(const pd_lesson *l, pd_size_result *s)
{
    for (size_t i = 0; i < s->nvariants; i++) {
        pd_variant_result *v = &s->variants[i];
        const char *part = part_of(l, v->name);
        const pd_variant_result *slowest = NULL;
        double mine = speed_median(v);

        v->speedup = v->speedup_lo = v->speedup_hi = NAN;
        v->speedup_extrapolated = 0;
        if (isnan(mine))
            continue;
        for (size_t j = 0; j < s->nvariants; j++) {
            const pd_variant_result *o = &s->variants[j];
            double m = speed_median(o);
            if (!isnan(m) && strcmp(part_of(l, o->name), part) == 0 &&
                (!slowest || m > speed_median(slowest)))
                slowest = o;
        }
        if (!slowest)
            PD_BUG("variant %s has a median but its part has no slowest", v->name);
        v->speedup = speed_median(slowest) / mine;
        v->speedup_extrapolated = v->extrapolated || slowest->extrapolated;
        if (slowest != v && !v->speedup_extrapolated)
            pd_time_ratio(slowest, v, &v->speedup, &v->speedup_lo, &v->speedup_hi);
    }
}

/* NaN (a figure the worker did not report) counts as nothing. */
static double seconds(double s)
{
    return s > 0 ? s : 0;
}

void pd_run_breakdown(const pd_run *r, pd_breakdown *b)
{
    memset(b, 0, sizeof *b);
    b->total = r->wall_s;
    b->datasets = r->dataset_s;
    for (size_t i = 0; i < r->nlessons; i++)
        for (size_t j = 0; j < r->lessons[i].nsizes; j++) {
            const pd_size_result *s = &r->lessons[i].sizes[j];
            b->startup += seconds(s->startup_s);
            b->load += seconds(s->load_s);
            for (size_t k = 0; k < s->nvariants; k++) {
                const pd_variant_result *v = &s->variants[k];
                b->calibration += seconds(v->calibration_s);
                b->sampling += seconds(v->sampling_s);
                b->checks += seconds(v->wall_s) - seconds(v->calibration_s) -
                             seconds(v->sampling_s);
            }
        }
    b->other = b->total - b->startup - b->datasets - b->load - b->checks -
               b->calibration - b->sampling;
    if (b->other < 0) b->other = 0;
}

int pd_speedup_is_noise(const pd_variant_result *v)
{
    return v->speedup_lo <= 1.0 && v->speedup_hi >= 1.0;
}

static void finish_instability(pd_size_result *s)
{
    for (size_t j = 0; j < s->nvariants; j++) {
        pd_variant_result *v = &s->variants[j];
        v->unstable = v->extrapolated ? 0
                    : pd_instability(v->samples, v->nsamples, v->loops, &v->stats);
    }
}

/* A variant not run at a size (over its max_n or the budget) gets the time
 * its fitted growth predicts there, marked extrapolated: the learner sees
 * the trend, never an invented measurement. */
static void finish_extrapolation(pd_lesson_result *l)
{
    for (size_t i = 0; i < l->nsizes; i++) {
        pd_size_result *s = &l->sizes[i];
        for (size_t j = 0; j < s->nvariants; j++) {
            pd_variant_result *v = &s->variants[j];
            int k = v->name ? pd_lesson_variant_index(&l->lesson, v->name) : -1;
            if (v->status != PD_NOT_RUN)
                continue;
            v->extrapolated = 0;
            memset(&v->stats, 0, sizeof v->stats);
            /* Past the end of the user's data there is no trend to show. */
            if (k < 0 || !l->growth[k].has_time || v->skip == PD_SKIP_ROWS)
                continue;
            v->extrapolated = 1;
            v->stats.median = pd_fit_predict(&l->growth[k].time, (double)s->n);
        }
    }
}

/* Fits median seconds and peak bytes against n over the sizes where the
 * declared variant k came out correct. Only correct sizes count for memory
 * too: a variant that raised half-way has a peak that means nothing. */
static void finish_growth(pd_lesson_result *l, size_t k, pd_growth *g)
{
    const char *name = l->lesson.variants[k].name;
    double *n = pd_xcalloc(l->nsizes ? l->nsizes : 1, 3 * sizeof(double));
    double *secs = n + l->nsizes, *bytes = secs + l->nsizes;
    size_t np = 0;

    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_variant_result *v = pd_size_variant(&l->sizes[i], name);
        double m = correct_median(v);
        if (isnan(m))
            continue;
        n[np] = (double)l->sizes[i].n;
        secs[np] = m;
        /* pd_fit_loglog skips pairs with y <= 0: unmeasured peaks drop out. */
        bytes[np] = (double)v->peak_bytes;
        np++;
    }
    memset(g, 0, sizeof *g);
    g->has_time = pd_fit_loglog(n, secs, np, &g->time) == 0;
    g->has_memory = pd_fit_loglog(n, bytes, np, &g->memory) == 0;
    free(n);
}

/* Replaces speedups, growth and summary; safe to call again after more
 * sizes were measured. l->growth gets one entry per declared variant. */
void pd_lesson_result_derive(pd_lesson_result *l)
{
    free(l->growth);
    l->growth = pd_xcalloc(l->lesson.nvariants ? l->lesson.nvariants : 1,
                           sizeof *l->growth);
    for (size_t k = 0; k < l->lesson.nvariants; k++)
        finish_growth(l, k, &l->growth[k]);
    finish_extrapolation(l);
    for (size_t i = 0; i < l->nsizes; i++) {
        finish_speedups(&l->lesson, &l->sizes[i]);
        finish_instability(&l->sizes[i]);
    }

    pd_claims_check(l);
    free(l->summary);
    l->summary = pd_verdict_sentence(l);
}
