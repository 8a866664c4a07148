/* What a run measured, in memory: status words, freeing, and the numbers a
 * run derives once every size of a lesson is measured (speedups, growth
 * fits, the one-sentence summary).
 *
 * Sections:
 *   status words       pd_status_word, pd_status_parse
 *   freeing            pd_*_free: each frees what the struct owns, never the
 *                      struct itself (they live in arrays or on the stack)
 *   lookups            which part a variant belongs to, its median
 *   speedups, growth   pd_lesson_result_finish's first two steps
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

/* Peaks below this are too small for a memory ratio to mean anything. */
#define PD_MEMORY_FLOOR (64 * 1024)

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

/* ---------------------------------------------------------------------
 * Summary
 * ------------------------------------------------------------------ */

/* A growable string, enough for one sentence (Redis's sds in miniature).
 * Aborts on OOM like pd_xcalloc. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sbuf_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if (b->len + (size_t)need + 1 > b->cap) {
        size_t cap = (b->len + (size_t)need + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s)
            abort();
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

/* Starts a clause: "; " between clauses, a capital letter on the first. */
static void clause(sbuf *b, const char *first, const char *rest)
{
    sbuf_printf(b, "%s", b->len ? rest : first);
}

/* First line of a message, without trailing spaces or a final period, cut
 * to a length that keeps the sentence a sentence. Into buf. */
#define BRIEF_MAX 80
static const char *brief(const char *text, char *buf, size_t size)
{
    size_t n = text ? strcspn(text, "\n") : 0;

    if (n >= size)
        n = size - 1;
    memcpy(buf, text ? text : "", n);
    buf[n] = '\0';
    while (n > 0 && strchr(" \t\r.", buf[n - 1]))
        buf[--n] = '\0';
    if (n > BRIEF_MAX) {
        /* A parenthesis holds the details: drop it whole rather than cut
         * it open. Else cut at a word: "first at positi..." reads as a
         * typo. */
        char *paren = strstr(buf, " (");
        if (paren && paren - buf > BRIEF_MAX / 4 && paren - buf <= BRIEF_MAX) {
            *paren = '\0';
            return buf;
        }
        size_t cut = BRIEF_MAX - 3;
        while (cut > BRIEF_MAX / 2 && buf[cut] != ' ') cut--;
        while (cut > 0 && strchr(" ,;:(", buf[cut - 1])) cut--;
        strcpy(buf + cut, "...");
    }
    return buf;
}

/* The size whose numbers speak for a part: the one where the most of its
 * variants were measured correct with the reference among them (a slow
 * variant stopped by max_n or the budget leaves fewer at the top sizes, and
 * "the only correct variant" teaches nothing); the larger on a tie. For a
 * memory verdict, the largest with two variants. -1 when the reference
 * never ran correctly. */
static long part_size(const pd_lesson_result *l, const char *part,
                      const char *ref, int memory)
{
    long best = -1;
    size_t best_count = 0;

    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_size_result *s = &l->sizes[i];
        size_t ncorrect = 0;
        int ref_ok = 0;

        for (size_t j = 0; j < s->nvariants; j++) {
            const pd_variant_result *v = &s->variants[j];
            if (isnan(correct_median(v)) ||
                strcmp(part_of(&l->lesson, v->name), part) != 0)
                continue;
            ncorrect++;
            ref_ok |= ref && strcmp(v->name, ref) == 0;
        }
        /* Memory is never extrapolated, and small inputs bury it under
         * fixed overheads: a memory verdict speaks at the largest size with
         * two variants to compare. */
        if (ref_ok && (memory ? ncorrect >= 2 || best < 0 : ncorrect >= best_count)) {
            best = (long)i;
            best_count = ncorrect;
        }
    }
    return best;
}

/* The measured correct variants of a part at one size with the extremes of
 * a figure: time (median) or memory (peak bytes). */
typedef struct extremes {
    const pd_variant_result *low, *high;
} extremes;

static double figure(const pd_variant_result *v, int memory)
{
    return memory ? (v->peak_bytes >= 0 ? (double)v->peak_bytes : NAN) : v->stats.median;
}

static extremes find_extremes(const pd_lesson_result *l, const pd_size_result *s,
                              const char *part, int memory)
{
    extremes x = {NULL, NULL};
    for (size_t j = 0; j < s->nvariants; j++) {
        const pd_variant_result *v = &s->variants[j];
        if (isnan(correct_median(v)) || isnan(figure(v, memory)) ||
            strcmp(part_of(&l->lesson, v->name), part) != 0)
            continue;
        if (!x.low || figure(v, memory) < figure(x.low, memory)) x.low = v;
        if (!x.high || figure(v, memory) > figure(x.high, memory)) x.high = v;
    }
    return x;
}

/* Whether slow and fast are within each other's noise: the bootstrap
 * interval of slow/fast holds 1. */
static int noise_between(const pd_variant_result *slow, const pd_variant_result *fast)
{
    double lo, hi;
    if (pd_bootstrap_ratio(slow->samples, slow->nsamples, fast->samples, fast->nsamples,
                           PD_BOOTSTRAP_ROUNDS, 0.95, &lo, &hi) < 0)
        return 0;
    return lo <= 1.0 && hi >= 1.0;
}

/* ", and about ~9000x at 1,000,000 rows by extrapolation": what the trend
 * says beyond the sizes every variant ran at, marked as such. */
static void extrapolated_clause(sbuf *b, const pd_lesson_result *l, const char *part,
                                const pd_variant_result *fast, long measured_at)
{
    const pd_size_result *s = &l->sizes[l->nsizes - 1];
    char count[32], ratio[32];
    if ((long)l->nsizes - 1 == measured_at) return;
    for (size_t j = 0; j < s->nvariants; j++) {
        const pd_variant_result *v = &s->variants[j];
        if (strcmp(v->name, fast->name) == 0 && v->speedup_extrapolated &&
            strcmp(part_of(&l->lesson, v->name), part) == 0) {
            sbuf_printf(b, ", and about ~%s at %s rows by extrapolation",
                        pd_fmt_ratio(v->speedup, ratio, sizeof ratio),
                        pd_fmt_count(s->n, count, sizeof count));
            return;
        }
    }
}

/* Speed: "At 100,000 rows the fastest correct variant, numpy (numpy), was
 * 412x faster than iterrows (loop) and used 1.1x its memory". */
static void time_clause(sbuf *b, const pd_lesson_result *l, const char *part,
                        const char *label, long i)
{
    const pd_size_result *s = &l->sizes[i];
    extremes x = find_extremes(l, s, part, 0);
    char count[32], ratio[32], t[32];

    pd_fmt_count(s->n, count, sizeof count);
    if (x.low == x.high) {
        sbuf_printf(b, "%s rows only the %s%sreference, %s (%s), was correct (%s)", count,
                    label ? label : "", label ? " " : "", x.low->name, x.low->kind,
                    pd_fmt_seconds(x.low->stats.median, t, sizeof t));
        return;
    }
    if (noise_between(x.high, x.low)) {
        sbuf_printf(b, "%s rows the %s%svariants from %s (%s) to %s (%s) showed no "
                    "measurable difference", count, label ? label : "", label ? " " : "",
                    x.low->name, x.low->kind, x.high->name, x.high->kind);
        return;
    }
    sbuf_printf(b, "%s rows the fastest correct %s%svariant, %s (%s), was %s faster than "
                "%s (%s)", count, label ? label : "", label ? " " : "", x.low->name,
                x.low->kind, pd_fmt_ratio(x.high->stats.median / x.low->stats.median,
                                          ratio, sizeof ratio),
                x.high->name, x.high->kind);
    /* A ratio against a page or two of growth says nothing about memory. */
    if (x.low->peak_bytes >= PD_MEMORY_FLOOR && x.high->peak_bytes >= PD_MEMORY_FLOOR)
        sbuf_printf(b, " and used %s its memory",
                    pd_fmt_ratio((double)x.low->peak_bytes / (double)x.high->peak_bytes,
                                 ratio, sizeof ratio));
    extrapolated_clause(b, l, part, x.low, i);
}

/* Memory: "At 1,000,000 rows chunked (streaming) peaked at 12 MiB against
 * 310 MiB for full_read (pandas), 26x less, and took 1.1x its time". */
static void memory_clause(sbuf *b, const pd_lesson_result *l, const char *part,
                          const char *label, long i)
{
    const pd_size_result *s = &l->sizes[i];
    extremes x = find_extremes(l, s, part, 1);
    char count[32], ratio[32], lo[32], hi[32], time_ratio[32];

    pd_fmt_count(s->n, count, sizeof count);
    if (!x.low || x.low == x.high) {
        sbuf_printf(b, "%s rows the %s%speak memory could not be compared", count,
                    label ? label : "", label ? " " : "");
        return;
    }
    /* Less than a page of growth is a measurement too: nothing held. */
    if (x.low->peak_bytes < 4096) {
        sbuf_printf(b, "%s rows %s (%s) peaked at under 4 KiB of memory against %s for %s "
                    "(%s), and took %s its time", count, x.low->name, x.low->kind,
                    pd_fmt_bytes((double)x.high->peak_bytes, hi, sizeof hi), x.high->name,
                    x.high->kind,
                    pd_fmt_ratio(x.low->stats.median / x.high->stats.median, time_ratio,
                                 sizeof time_ratio));
        return;
    }
    sbuf_printf(b, "%s rows %s (%s) peaked at %s of memory against %s for %s (%s), %s less, "
                "and took %s its time", count, x.low->name, x.low->kind,
                pd_fmt_bytes((double)x.low->peak_bytes, lo, sizeof lo),
                pd_fmt_bytes((double)x.high->peak_bytes, hi, sizeof hi), x.high->name,
                x.high->kind,
                pd_fmt_ratio((double)x.high->peak_bytes / (double)x.low->peak_bytes,
                             ratio, sizeof ratio),
                pd_fmt_ratio(x.low->stats.median / x.high->stats.median, time_ratio,
                             sizeof time_ratio));
}

/* Growth: "time grew as n^1.96 for list_loop (loop) against n^1.01 for
 * set_loop (loop); at 10,000 rows set_loop was 850x faster". */
static void growth_clause(sbuf *b, const pd_lesson_result *l, const char *part,
                          long i)
{
    const pd_growth *steep = NULL, *flat = NULL;
    size_t ks = 0, kf = 0;
    char ratio[32], count[32];
    for (size_t k = 0; k < l->lesson.nvariants; k++) {
        const pd_growth *g = &l->growth[k];
        if (!g->has_time || g->time.points < 3 || strcmp(l->lesson.variants[k].part, part) != 0)
            continue;
        if (!steep || g->time.exponent > steep->time.exponent) steep = g, ks = k;
    }
    /* Like against like: the flattest of the steepest variant's own kind (a
     * loop with a set against the loop with a list), else of any kind. A
     * vectorized call's fixed overhead flattens its exponent at small n,
     * which says nothing about the algorithm. */
    for (int same_kind = 1; steep && same_kind >= 0 && (!flat || flat == steep); same_kind--) {
        flat = NULL;
        for (size_t k = 0; k < l->lesson.nvariants; k++) {
            const pd_growth *g = &l->growth[k];
            if (!g->has_time || g->time.points < 3 || g == steep ||
                strcmp(l->lesson.variants[k].part, part) != 0 ||
                (same_kind && strcmp(l->lesson.variants[k].kind,
                                     l->lesson.variants[ks].kind) != 0))
                continue;
            if (!flat || g->time.exponent < flat->time.exponent) flat = g, kf = k;
        }
    }
    if (!steep || !flat) {
        time_clause(b, l, part, NULL, i);
        return;
    }
    sbuf_printf(b, "time grew as n^%.2f for %s (%s) against n^%.2f for %s (%s); at %s rows ",
                steep->time.exponent, l->lesson.variants[ks].name, l->lesson.variants[ks].kind,
                flat->time.exponent, l->lesson.variants[kf].name, l->lesson.variants[kf].kind,
                pd_fmt_count(l->sizes[i].n, count, sizeof count));
    {
        extremes x = find_extremes(l, &l->sizes[i], part, 0);
        sbuf_printf(b, "%s was %s faster than %s", x.low->name,
                    pd_fmt_ratio(x.high->stats.median / x.low->stats.median, ratio, sizeof ratio),
                    x.high->name);
    }
}

/* One clause per part, in the lesson's focus. The part is named only when
 * the lesson has several. */
static void part_clause(sbuf *b, const pd_lesson_result *l, size_t p)
{
    const char *part = l->lesson.parts[p];
    const char *ref = l->lesson.references ? l->lesson.references[p] : NULL;
    const char *label = l->lesson.nparts > 1 ? part : NULL;
    const char *focus = l->lesson.focus ? l->lesson.focus : "time";
    long i = part_size(l, part, ref, strcmp(focus, "memory") == 0);

    if (strcmp(focus, "growth") == 0 && i >= 0) {
        clause(b, "In this run ", "; ");
        growth_clause(b, l, part, i);
        return;
    }
    clause(b, "At ", "; at ");
    if (i < 0) {
        sbuf_printf(b, "no size did the %s%sreference, %s, run correctly",
                    label ? label : "", label ? " " : "", ref ? ref : "?");
        return;
    }
    if (strcmp(focus, "memory") == 0) memory_clause(b, l, part, label, i);
    else time_clause(b, l, part, label, i);
}

/* "chained was WRONG (the frame was unchanged)" at the first size it was
 * wrong; "slow failed (timeout at 1,000,000 rows)" at the first failure. */
static void trouble_clauses(sbuf *b, const pd_lesson_result *l, size_t k)
{
    const char *name = l->lesson.variants[k].name;
    const pd_variant_result *wrong = NULL, *failed = NULL;
    uint64_t failed_n = 0;
    char text[BRIEF_MAX + 64], count[32];

    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_variant_result *v = size_find(&l->sizes[i], k, name);
        if (!v)
            continue;
        if (v->status == PD_WRONG && !wrong)
            wrong = v;
        if (v->status != PD_OK && v->status != PD_WRONG &&
            v->status != PD_NOT_RUN && !failed) {
            failed = v;
            failed_n = l->sizes[i].n;
        }
    }
    if (wrong) {
        clause(b, "", "; ");
        sbuf_printf(b, "%s was WRONG", name);
        if (wrong->mismatch && *brief(wrong->mismatch, text, sizeof text))
            sbuf_printf(b, " (%s)", text);
        /* The warning is half the lesson when pandas saw the mistake. */
        if (wrong->warnings && *wrong->warnings)
            sbuf_printf(b, " and raised %.*s", (int)strcspn(wrong->warnings, ":\n"),
                        wrong->warnings);
    }
    if (failed) {
        clause(b, "", "; ");
        sbuf_printf(b, "%s failed (%s at %s rows)", name,
                    pd_status_word(failed->status),
                    pd_fmt_count(failed_n, count, sizeof count));
    }
}

/* Whether any variant came out correct at any size. */
static int any_correct(const pd_lesson_result *l)
{
    for (size_t i = 0; i < l->nsizes; i++)
        for (size_t j = 0; j < l->sizes[i].nvariants; j++)
            if (!isnan(correct_median(&l->sizes[i].variants[j])))
                return 1;
    return 0;
}

/* Newly allocated sentence; the caller (finish) stores it in l->summary.
 * A lesson error can come after some sizes were measured (the worker gave
 * up at a larger size), so it is a clause, not a replacement. */
static char *build_summary(const pd_lesson_result *l)
{
    sbuf b = {0};
    size_t mainp = pd_lesson_main_part(&l->lesson);
    char text[BRIEF_MAX + 64];

    if (!any_correct(l) || l->lesson.nparts == 0) {
        sbuf_printf(&b, "Nothing was measured correctly");
    } else {
        part_clause(&b, l, mainp);
        for (size_t p = 0; p < l->lesson.nparts; p++)
            if (p != mainp)
                part_clause(&b, l, p);
    }
    if (l->error)
        sbuf_printf(&b, "; the lesson could not run (%s)",
                    brief(l->error, text, sizeof text));
    for (size_t k = 0; k < l->lesson.nvariants; k++)
        trouble_clauses(&b, l, k);
    sbuf_printf(&b, ".");
    return b.s;
}

/* Replaces speedups, growth and summary; safe to call again after more
 * sizes were measured. l->growth gets one entry per declared variant. */
void pd_lesson_result_finish(pd_lesson_result *l)
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

    free(l->summary);
    l->summary = build_summary(l);
}
