/* The verdict sentence: see include/pdlab/verdict.h.
 *
 * Sections:
 *   pieces       clauses, brief messages, extremes of a size
 *   no claims    time, memory and growth clauses at the speaking size
 *   troubles     wrong and failed variants
 *   claims       one clause per claim, and the sentence
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/strbuf.h"
#include "pdlab/verdict.h"

/* Peaks below this are too small for a memory ratio to mean anything. */
#define PD_MEMORY_FLOOR (64 * 1024)

/* Starts a clause: "; " between clauses, a capital letter on the first. */
static void clause(pd_buf *b, const char *first, const char *rest)
{
    pd_buf_printf(b, "%s", b->len ? rest : first);
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
        if (!pd_variant_measured(v) || isnan(figure(v, memory)) ||
            strcmp(pd_variant_part(&l->lesson, v->name), part) != 0)
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
    double ratio, lo, hi;
    pd_time_ratio(slow, fast, &ratio, &lo, &hi);
    return lo <= 1.0 && hi >= 1.0;
}

/* The slowest variant of a part at one size, extrapolated times included:
 * what an extrapolated speedup there was taken against. */
static const pd_variant_result *slowest_at(const pd_lesson_result *l,
                                           const pd_size_result *s, const char *part)
{
    const pd_variant_result *slow = NULL;
    for (size_t j = 0; j < s->nvariants; j++) {
        const pd_variant_result *v = &s->variants[j];
        if ((!pd_variant_measured(v) && !v->extrapolated) ||
            strcmp(pd_variant_part(&l->lesson, v->name), part) != 0)
            continue;
        if (!slow || v->stats.median > slow->stats.median) slow = v;
    }
    return slow;
}

/* ", and ~9000x faster than apply_rows at 1,000,000 rows by extrapolation":
 * the trend beyond the sizes every variant ran at, naming the variant it is
 * against (which may not be the one the measured figure named). */
static void extrapolated_clause(pd_buf *b, const pd_lesson_result *l, const char *part,
                                const pd_variant_result *fast, long measured_at)
{
    const pd_size_result *s = &l->sizes[l->nsizes - 1];
    const pd_variant_result *slow = slowest_at(l, s, part);
    char count[32], ratio[32];
    if ((long)l->nsizes - 1 == measured_at || !slow) return;
    for (size_t j = 0; j < s->nvariants; j++) {
        const pd_variant_result *v = &s->variants[j];
        if (strcmp(v->name, fast->name) == 0 && v->speedup_extrapolated && v != slow) {
            pd_buf_printf(b, ", and " PD_EXTRAPOLATED_MARK "%s faster than %s at %s rows "
                          "by extrapolation", pd_fmt_ratio(v->speedup, ratio, sizeof ratio),
                          slow->name, pd_fmt_count(s->n, count, sizeof count));
            return;
        }
    }
}

/* Speed: "At 100,000 rows the fastest correct variant, numpy (numpy), was
 * 412x faster than iterrows (loop) and used 1.1x its memory". */
static void time_clause(pd_buf *b, const pd_lesson_result *l, const char *part,
                        const char *label, long i)
{
    const pd_size_result *s = &l->sizes[i];
    extremes x = find_extremes(l, s, part, 0);
    char count[32], ratio[32], t[32];

    pd_fmt_count(s->n, count, sizeof count);
    if (x.low == x.high) {
        pd_buf_printf(b, "%s rows only the %s%sreference, %s (%s), was correct (%s)", count,
                    label ? label : "", label ? " " : "", x.low->name, x.low->kind,
                    pd_fmt_seconds(x.low->stats.median, t, sizeof t));
        return;
    }
    if (noise_between(x.high, x.low)) {
        pd_buf_printf(b, "%s rows the %s%svariants from %s (%s) to %s (%s) showed no "
                    "measurable difference", count, label ? label : "", label ? " " : "",
                    x.low->name, x.low->kind, x.high->name, x.high->kind);
        return;
    }
    pd_buf_printf(b, "%s rows the fastest correct %s%svariant, %s (%s), was %s faster than "
                "%s (%s)", count, label ? label : "", label ? " " : "", x.low->name,
                x.low->kind, pd_fmt_ratio(x.high->stats.median / x.low->stats.median,
                                          ratio, sizeof ratio),
                x.high->name, x.high->kind);
    /* A ratio against a page or two of growth says nothing about memory. */
    if (x.low->peak_bytes >= PD_MEMORY_FLOOR && x.high->peak_bytes >= PD_MEMORY_FLOOR)
        pd_buf_printf(b, " and used %s its memory",
                    pd_fmt_ratio((double)x.low->peak_bytes / (double)x.high->peak_bytes,
                                 ratio, sizeof ratio));
    extrapolated_clause(b, l, part, x.low, i);
}

/* Memory: "At 1,000,000 rows chunked (streaming) peaked at 12 MiB against
 * 310 MiB for full_read (pandas), 26x less, and took 1.1x its time". */
static void memory_clause(pd_buf *b, const pd_lesson_result *l, const char *part,
                          const char *label, long i)
{
    const pd_size_result *s = &l->sizes[i];
    extremes x = find_extremes(l, s, part, 1);
    char count[32], ratio[32], lo[32], hi[32], time_ratio[32];

    pd_fmt_count(s->n, count, sizeof count);
    if (!x.low || x.low == x.high) {
        pd_buf_printf(b, "%s rows the %s%speak memory could not be compared", count,
                    label ? label : "", label ? " " : "");
        return;
    }
    /* Less than a page of growth is a measurement too: nothing held. */
    if (x.low->peak_bytes < 4096) {
        pd_buf_printf(b, "%s rows %s (%s) peaked at under 4 KiB of memory against %s for %s "
                    "(%s), and took %s its time", count, x.low->name, x.low->kind,
                    pd_fmt_bytes((double)x.high->peak_bytes, hi, sizeof hi), x.high->name,
                    x.high->kind,
                    pd_fmt_ratio(x.low->stats.median / x.high->stats.median, time_ratio,
                                 sizeof time_ratio));
        return;
    }
    pd_buf_printf(b, "%s rows %s (%s) peaked at %s of memory against %s for %s (%s), %s less, "
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
static void growth_clause(pd_buf *b, const pd_lesson_result *l, const char *part,
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
    pd_buf_printf(b, "time grew as n^%.2f for %s (%s) against n^%.2f for %s (%s); at %s rows ",
                steep->time.exponent, l->lesson.variants[ks].name, l->lesson.variants[ks].kind,
                flat->time.exponent, l->lesson.variants[kf].name, l->lesson.variants[kf].kind,
                pd_fmt_count(l->sizes[i].n, count, sizeof count));
    {
        extremes x = find_extremes(l, &l->sizes[i], part, 0);
        pd_buf_printf(b, "%s was %s faster than %s", x.low->name,
                    pd_fmt_ratio(x.high->stats.median / x.low->stats.median, ratio, sizeof ratio),
                    x.high->name);
    }
}

/* One clause per part, in the lesson's focus. The part is named only when
 * the lesson has several. */
static void part_clause(pd_buf *b, const pd_lesson_result *l, size_t p)
{
    const char *part = l->lesson.parts[p];
    const char *ref = l->lesson.references ? l->lesson.references[p] : NULL;
    const char *label = l->lesson.nparts > 1 ? part : NULL;
    const char *focus = l->lesson.focus ? l->lesson.focus : "time";
    long i = pd_speaking_size(l, p);

    if (strcmp(focus, "growth") == 0 && i >= 0) {
        clause(b, "In this run ", "; ");
        growth_clause(b, l, part, i);
        return;
    }
    clause(b, "At ", "; at ");
    if (i < 0) {
        pd_buf_printf(b, "no size did the %s%sreference, %s, run correctly",
                    label ? label : "", label ? " " : "", ref ? ref : "?");
        return;
    }
    if (strcmp(focus, "memory") == 0) memory_clause(b, l, part, label, i);
    else time_clause(b, l, part, label, i);
}

/* A wrong answer or a failure a claim expects is told by that claim's
 * clause. */
static int claimed_wrong(const pd_lesson *l, const char *name)
{
    for (size_t c = 0; c < l->nclaims; c++)
        if ((l->claims[c].kind == PD_CLAIM_WRONG || l->claims[c].kind == PD_CLAIM_FAILS) &&
            strcmp(l->claims[c].variant, name) == 0)
            return 1;
    return 0;
}

/* "chained was WRONG (the frame was unchanged)" at the first size it was
 * wrong; "slow failed (timeout at 1,000,000 rows)" at the first failure. */
static void trouble_clauses(pd_buf *b, const pd_lesson_result *l, size_t k)
{
    const char *name = l->lesson.variants[k].name;
    const pd_variant_result *wrong = NULL, *failed = NULL;
    uint64_t failed_n = 0;
    char text[BRIEF_MAX + 64], count[32];

    if (claimed_wrong(&l->lesson, name))
        return;
    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_variant_result *v = pd_size_variant(&l->sizes[i], name);
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
        pd_buf_printf(b, "%s was WRONG", name);
        if (wrong->mismatch && *brief(wrong->mismatch, text, sizeof text))
            pd_buf_printf(b, " (%s)", text);
        /* The warning is half the lesson when pandas saw the mistake. */
        if (wrong->warnings && *wrong->warnings)
            pd_buf_printf(b, " and raised %.*s", (int)strcspn(wrong->warnings, ":\n"),
                        wrong->warnings);
    }
    if (failed) {
        clause(b, "", "; ");
        pd_buf_printf(b, "%s failed (%s at %s rows)", name,
                    pd_status_word(failed->status),
                    pd_fmt_count(failed_n, count, sizeof count));
    }
}

/* Whether any variant came out correct at any size. */
static int any_correct(const pd_lesson_result *l)
{
    for (size_t i = 0; i < l->nsizes; i++)
        for (size_t j = 0; j < l->sizes[i].nvariants; j++)
            if (pd_variant_measured(&l->sizes[i].variants[j]))
                return 1;
    return 0;
}

/* ---------------------------------------------------------------------
 * Claims
 * ------------------------------------------------------------------ */

/* "(95% interval 1,500x-1,650x; claimed at least 100x)" */
static void claimed_bounds(pd_buf *b, const pd_claim *c, const char *claimed)
{
    char lo[32], hi[32], f[32];

    pd_buf_puts(b, " (");
    if (isfinite(c->figure_lo) && isfinite(c->figure_hi))
        pd_buf_printf(b, "95%% interval %s-%s; ", pd_fmt_ratio(c->figure_lo, lo, sizeof lo),
                      pd_fmt_ratio(c->figure_hi, hi, sizeof hi));
    pd_buf_printf(b, "claimed %s %s)", claimed, pd_fmt_ratio(c->factor, f, sizeof f));
}

static void describe_time(pd_buf *b, const pd_claim *c)
{
    char count[32], ratio[32];

    pd_fmt_count(c->n, count, sizeof count);
    pd_fmt_ratio(c->figure, ratio, sizeof ratio);
    if (c->kind == PD_CLAIM_FASTER) {
        if (isfinite(c->figure))
            pd_buf_printf(b, "at %s rows %s was %s faster than %s", count, c->variant, ratio,
                          c->other);
        else
            pd_buf_printf(b, "at %s rows %s faster than %s", count, c->variant, c->other);
        claimed_bounds(b, c, "at least");
        return;
    }
    if (isfinite(c->figure))
        pd_buf_printf(b, "at %s rows %s and %s took times within %s of each other", count,
                      c->variant, c->other, ratio);
    else
        pd_buf_printf(b, "at %s rows %s and %s about as fast", count, c->variant, c->other);
    claimed_bounds(b, c, "within");
}

static void describe_growth(pd_buf *b, const pd_claim *c)
{
    if (isfinite(c->figure))
        pd_buf_printf(b, "%s's time grew as n^%.2f (claimed n^%.2g to n^%.2g)", c->variant,
                      c->figure, c->lo, c->hi);
    else
        pd_buf_printf(b, "%s's time growing as n^%.2g to n^%.2g", c->variant, c->lo, c->hi);
}

static void describe_memory(pd_buf *b, const pd_claim *c)
{
    char count[32], from[32], ratio[32];
    pd_fmt_count(c->n, count, sizeof count);
    pd_fmt_count(c->n_from, from, sizeof from);
    pd_fmt_ratio(c->figure, ratio, sizeof ratio);
    if (c->kind == PD_CLAIM_LESS_MEMORY) {
        if (isfinite(c->figure))
            pd_buf_printf(b, "at %s rows %s peaked at %s%s less resident memory than %s",
                          count, c->variant, c->figure_bound ? "over " : "", ratio, c->other);
        else
            pd_buf_printf(b, "at %s rows %s using less memory than %s", count, c->variant,
                          c->other);
        pd_buf_puts(b, c->figure_bound ? ", each alone in a fresh process (a peak under "
                                         "4 KiB, what the resident set resolves, counted "
                                         "as 4 KiB)"
                                       : ", each alone in a fresh process");
        claimed_bounds(b, c, "at least");
        return;
    }
    if (isfinite(c->figure))
        pd_buf_printf(b, "%s's resident peak changed %s from %s to %s rows", c->variant,
                      ratio, from, count);
    else
        pd_buf_printf(b, "%s's resident peak from %s to %s rows", c->variant, from, count);
    claimed_bounds(b, c, c->kind == PD_CLAIM_MEMORY_FLAT ? "at most" : "at least");
}

static void describe_wrong(pd_buf *b, const pd_claim *c)
{
    char count[32];

    if (c->n)
        pd_buf_printf(b, "%s gave a wrong answer at %s rows", c->variant,
                      pd_fmt_count(c->n, count, sizeof count));
    else
        pd_buf_printf(b, "%s gave a wrong answer wherever it ran", c->variant);
    if (c->warning)
        pd_buf_printf(b, " and raised %s", c->warning);
}

static void describe_fails(pd_buf *b, const pd_claim *c)
{
    char count[32];

    pd_buf_printf(b, "%s failed with %s at %s rows", c->variant, c->warning,
                  pd_fmt_count(c->n, count, sizeof count));
}

/* "at 4,000 rows the false positive rate of peek was 0.252 (95% interval
 * 0.239-0.266; claimed 0.03 to 0.08)" */
static void describe_statistic(pd_buf *b, const pd_claim *c)
{
    char count[32], ratio[32], lo[32], hi[32];

    pd_fmt_count(c->n, count, sizeof count);
    if (c->kind == PD_CLAIM_STATISTIC_RATIO) {
        pd_fmt_ratio(c->figure, ratio, sizeof ratio);
        if (isfinite(c->figure))
            pd_buf_printf(b, "at %s rows the %s of %s was %s that of %s", count,
                          c->statistic, c->variant, ratio, c->other);
        else
            pd_buf_printf(b, "at %s rows the %s of %s over that of %s", count, c->statistic,
                          c->variant, c->other);
        claimed_bounds(b, c, "at least");
        return;
    }
    if (isfinite(c->figure))
        pd_buf_printf(b, "at %s rows the %s of %s was %.3g", count, c->statistic, c->variant,
                      c->figure);
    else
        pd_buf_printf(b, "at %s rows the %s of %s", count, c->statistic, c->variant);
    pd_buf_puts(b, " (");
    if (isfinite(c->figure_lo) && isfinite(c->figure_hi)) {
        snprintf(lo, sizeof lo, "%.3g", c->figure_lo);
        snprintf(hi, sizeof hi, "%.3g", c->figure_hi);
        pd_buf_printf(b, "95%% interval %s-%s; ", lo, hi);
    }
    pd_buf_printf(b, "claimed %g to %g)", c->lo, c->hi);
}

char *pd_claim_describe(const pd_claim *c)
{
    pd_buf b = {0};

    switch (c->kind) {
    case PD_CLAIM_FASTER:
    case PD_CLAIM_SIMILAR:      describe_time(&b, c); break;
    case PD_CLAIM_GROWTH:       describe_growth(&b, c); break;
    case PD_CLAIM_LESS_MEMORY:
    case PD_CLAIM_MEMORY_FLAT:
    case PD_CLAIM_MEMORY_GROWS: describe_memory(&b, c); break;
    case PD_CLAIM_WRONG:        describe_wrong(&b, c); break;
    case PD_CLAIM_FAILS:        describe_fails(&b, c); break;
    case PD_CLAIM_STATISTIC:
    case PD_CLAIM_STATISTIC_RATIO: describe_statistic(&b, c); break;
    }
    return b.s ? b.s : pd_strdup("");
}

/* "at 100,000 rows numpy_arrays was 1,586x faster than iterrows (...):
 * confirmed" */
static void claim_clause(pd_buf *b, const pd_claim *c)
{
    char *what = pd_claim_describe(c);
    char text[BRIEF_MAX + 64];

    clause(b, "", "; ");
    pd_buf_puts(b, what);
    switch (c->outcome) {
    case PD_CLAIM_CONFIRMED:
        pd_buf_puts(b, ": confirmed");
        break;
    case PD_CLAIM_NOT_CONFIRMED:
        pd_buf_puts(b, ": NOT CONFIRMED");
        if (c->note) pd_buf_printf(b, " (%s)", brief(c->note, text, sizeof text));
        break;
    case PD_CLAIM_NOT_MEASURED:
    case PD_CLAIM_UNDECIDED:
        pd_buf_printf(b, ": not measured (%s)",
                      c->note ? brief(c->note, text, sizeof text) : "the run has not reached it");
        break;
    }
    free(what);
}

/* Without claims: one clause per part in the lesson's focus. */
static void focus_clauses(pd_buf *b, const pd_lesson_result *l)
{
    size_t mainp = pd_lesson_main_part(&l->lesson);

    if (!any_correct(l) || l->lesson.nparts == 0) {
        pd_buf_printf(b, "Nothing was measured correctly");
        return;
    }
    part_clause(b, l, mainp);
    for (size_t p = 0; p < l->lesson.nparts; p++)
        if (p != mainp)
            part_clause(b, l, p);
}

/* A lesson error can come after some sizes were measured (the worker gave
 * up at a larger size), so it is a clause, not a replacement. */
char *pd_verdict_sentence(const pd_lesson_result *l)
{
    pd_buf b = {0};
    char text[BRIEF_MAX + 64];

    if (l->lesson.nclaims == 0)
        focus_clauses(&b, l);
    for (size_t c = 0; c < l->lesson.nclaims; c++)
        claim_clause(&b, &l->lesson.claims[c]);
    if (l->error)
        pd_buf_printf(&b, "%sthe lesson could not run (%s)", b.len ? "; " : "",
                      brief(l->error, text, sizeof text));
    for (size_t k = 0; k < l->lesson.nvariants; k++)
        trouble_clauses(&b, l, k);
    pd_buf_printf(&b, ".");
    /* Claims start lower-case to read as clauses; the sentence does not. */
    if (b.s[0] >= 'a' && b.s[0] <= 'z') b.s[0] = (char)(b.s[0] - 'a' + 'A');
    return b.s;
}
