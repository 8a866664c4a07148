/* What a run measured, in memory: status words, freeing, and the numbers a
 * run derives once every size of a lesson is measured (speedups, growth
 * fits, the one-sentence summary).
 *
 * Sections:
 *   status words       pd_status_word, pd_status_parse
 *   freeing            pd_*_free: each frees what the struct owns, never the
 *                      struct itself (they live in arrays or on the stack)
 *   lookups            which part a variant belongs to, its median
 *   speedups, growth   pd_lesson_result_derive's first two steps
 *   summary            a small growable string and the sentence builder
 */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/evidence.h"
#include "pdlab/result.h"
#include "pdlab/verdict.h"
#include "pdlab/table.h"


/* ---------------------------------------------------------------------
 * Status words
 * ------------------------------------------------------------------ */

/* No default: the compiler warns (-Wswitch) when a status is added and
 * nobody gave it a word. Values outside the enum fall out as NULL, which is
 * also how pd_status_parse finds the end of the list. */
static const char *status_name(pd_status s)
{
    switch (s) {
    case PD_OK:        return "ok";
    case PD_WRONG:     return "wrong";
    case PD_RAISED:    return "raised";
    case PD_TIMEOUT:   return "timeout";
    case PD_CRASHED:   return "crashed";
    case PD_NO_MEMORY: return "no_memory";
    case PD_NOT_RUN:   return "not_run";
    }
    return NULL;
}

/* Static string; "unknown" for a value that is not a pd_status. */
const char *pd_status_word(pd_status s)
{
    const char *w = status_name(s);
    return w ? w : "unknown";
}

/* The enum's values are contiguous from 0, so walking up from PD_OK until
 * status_name() has no word visits every status, including ones added
 * later, without a second list to keep in step. */
int pd_status_parse(const char *word, pd_status *out)
{
    const char *w;

    if (!word)
        return -1;
    for (int i = 0; (w = status_name((pd_status)i)) != NULL; i++) {
        if (strcmp(w, word) == 0) {
            *out = (pd_status)i;
            return 0;
        }
    }
    return -1;
}

/* What a learner reads for a status, in the table, the charts, the report
 * and compare alike. No default: -Wswitch names a status nobody gave
 * words. */
const char *pd_status_phrase(pd_status s)
{
    switch (s) {
    case PD_OK:        return "ok";
    case PD_WRONG:     return "wrong";
    case PD_RAISED:    return "raised an exception";
    case PD_TIMEOUT:   return "timed out";
    case PD_CRASHED:   return "crashed";
    case PD_NO_MEMORY: return "out of memory";
    case PD_NOT_RUN:   return "not run";
    }
    return pd_status_word(s);
}

/* No default, for the same reason as status_name. */
static const char *skip_name(pd_skip s)
{
    switch (s) {
    case PD_SKIP_NONE:   return "-";
    case PD_SKIP_MAX_N:  return "over max_n";
    case PD_SKIP_BUDGET: return "over budget";
    case PD_SKIP_FAILED: return "failed smaller";
    case PD_SKIP_LESSON: return "lesson stopped";
    }
    return NULL;
}

const char *pd_skip_word(pd_skip s)
{
    const char *w = skip_name(s);
    return w ? w : "unknown";
}

int pd_skip_parse(const char *word, pd_skip *out)
{
    const char *w;

    for (int i = 0; word && (w = skip_name((pd_skip)i)) != NULL; i++) {
        if (strcmp(w, word) == 0) {
            *out = (pd_skip)i;
            return 0;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------------
 * Freeing
 * ------------------------------------------------------------------ */

/* Frees the strings and samples *v owns and zeroes it, so a second call is
 * harmless. Accepts NULL. */
void pd_variant_result_free(pd_variant_result *v)
{
    if (!v)
        return;
    free(v->name);
    free(v->kind);
    free(v->mismatch);
    free(v->warnings);
    free(v->error);
    free(v->observation);
    free(v->profile);
    free(v->samples);
    memset(v, 0, sizeof *v);
}

/* Frees every variant result and the array. Accepts NULL. */
void pd_size_result_free(pd_size_result *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nvariants; i++)
        pd_variant_result_free(&s->variants[i]);
    free(s->variants);
    memset(s, 0, sizeof *s);
}

/* Frees the declaration (pd_lesson_free), the sizes, the growth fits, the
 * summary and the error. Accepts NULL. */
void pd_lesson_result_free(pd_lesson_result *l)
{
    if (!l)
        return;
    pd_lesson_free(&l->lesson);
    for (size_t i = 0; i < l->nsizes; i++)
        pd_size_result_free(&l->sizes[i]);
    free(l->sizes);
    free(l->growth);
    free(l->summary);
    free(l->error);
    memset(l, 0, sizeof *l);
}

/* Frees every lesson result and the array. Accepts NULL. */
void pd_run_free(pd_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nlessons; i++)
        pd_lesson_result_free(&r->lessons[i]);
    free(r->lessons);
    memset(r, 0, sizeof *r);
}

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

/* The result of the named variant at one size (borrowed), or NULL. Results
 * are in declaration order, so index k is tried first. */
static pd_variant_result *size_find(const pd_size_result *s, size_t k,
                                    const char *name)
{
    if (k < s->nvariants && s->variants[k].name &&
        strcmp(s->variants[k].name, name) == 0)
        return &s->variants[k];
    for (size_t i = 0; i < s->nvariants; i++)
        if (s->variants[i].name && strcmp(s->variants[i].name, name) == 0)
            return &s->variants[i];
    return NULL;
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
            pd_bootstrap_ratio(slowest->samples, slowest->nsamples, v->samples,
                               v->nsamples, PD_BOOTSTRAP_ROUNDS, 0.95, &v->speedup_lo,
                               &v->speedup_hi);
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
            if (k < 0 || !l->growth[k].has_time)
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
        const pd_variant_result *v = size_find(&l->sizes[i], k, name);
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
