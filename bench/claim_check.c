/* Each claim of a lesson checked against what its run measured: see
 * pd_claims_check in include/pdlab/verdict.h. A claimed figure comes only
 * from measurements: never from an extrapolation, and a memory claim only
 * from peaks taken alone in fresh processes. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/claim.h"
#include "pdlab/error.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/verdict.h"


/* Peaks below a page are under what the resident set can resolve: a claim
 * compares them as one page, and its figure is then a bound. */
#define PAGE_BYTES 4096

static const pd_size_result *size_at(const pd_lesson_result *l, uint64_t n)
{
    for (size_t i = 0; i < l->nsizes; i++)
        if (l->sizes[i].n == n)
            return &l->sizes[i];
    return NULL;
}

static const pd_variant_result *variant_at(const pd_lesson_result *l, const char *name,
                                           uint64_t n)
{
    return pd_size_variant(size_at(l, n), name);
}

static void set_outcome(pd_claim *c, pd_claim_outcome o, char *note)
{
    c->outcome = o;
    free(c->note);
    c->note = note;
}

/* Why variant `name` at n gives no figure, as the claim's outcome: a wrong
 * or raising variant refutes a claim about it; a variant the run could not
 * measure leaves the claim unmeasured. 0 when it has a figure. */
static int unusable(pd_claim *c, const pd_lesson_result *l, const char *name, uint64_t n,
                    int need_samples)
{
    const pd_variant_result *v = variant_at(l, name, n);
    char count[32];

    pd_fmt_count(n, count, sizeof count);
    if (!size_at(l, n)) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            l->error ? "the lesson stopped before n = %s"
                                         : "the run did not include n = %s (its --sizes "
                                           "left it out)", count));
        return 1;
    }
    if (!v) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED,
                    pd_strdup_printf("%s has no result at n = %s", name, count));
        return 1;
    }
    if (v->status == PD_WRONG || v->status == PD_RAISED || v->status == PD_LEFT_RUNNING) {
        set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
            "%s %s at n = %s", name, v->status == PD_WRONG ? "gave a wrong answer"
                                     : v->status == PD_RAISED ? "raised an exception"
                                     : pd_status_phrase(v->status), count));
        return 1;
    }
    if (v->status == PD_NOT_RUN) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "%s was not run at n = %s (%s)", name, count, pd_skip_word(v->skip)));
        return 1;
    }
    if (v->status != PD_OK || (need_samples && !pd_variant_measured(v))) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "%s could not be measured at n = %s (%s)", name, count,
            pd_status_word(v->status)));
        return 1;
    }
    return 0;
}

/* faster and similar: the ratio of the slower median to the faster one,
 * with its bootstrap interval. */
static void check_time(pd_claim *c, const pd_lesson_result *l)
{
    const pd_variant_result *a, *b, *slow, *fast;

    if (unusable(c, l, c->variant, c->n, 1) || unusable(c, l, c->other, c->n, 1))
        return;
    a = variant_at(l, c->variant, c->n);
    b = variant_at(l, c->other, c->n);
    if (c->kind == PD_CLAIM_FASTER) {
        fast = a;
        slow = b;
    } else {
        fast = a->stats.median <= b->stats.median ? a : b;
        slow = fast == a ? b : a;
    }
    pd_time_ratio(slow, fast, &c->figure, &c->figure_lo, &c->figure_hi);
    if (c->kind == PD_CLAIM_FASTER)
        /* At least the factor, and measurably faster at all. */
        c->outcome = c->figure >= c->factor && c->figure_lo > 1.0
                         ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
    else
        c->outcome = c->figure <= c->factor ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
}

static void check_growth(pd_claim *c, const pd_lesson_result *l)
{
    int k = pd_lesson_variant_index(&l->lesson, c->variant);
    const pd_growth *g = k >= 0 && l->growth ? &l->growth[k] : NULL;

    if (!g || !g->has_time) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "%s was measured correct at fewer than two sizes", c->variant));
        return;
    }
    c->figure = g->time.exponent;
    c->outcome = c->figure >= c->lo && c->figure <= c->hi ? PD_CLAIM_CONFIRMED
                                                          : PD_CLAIM_NOT_CONFIRMED;
}

/* A peak a memory claim may use: measured alone in a fresh process. */
static int fresh_peak(pd_claim *c, const pd_lesson_result *l, const char *name,
                      uint64_t n, double *bytes)
{
    const pd_variant_result *v;
    char count[32];

    if (unusable(c, l, name, n, 0))
        return -1;
    v = variant_at(l, name, n);
    if (!v->peak_fresh || v->peak_bytes < 0) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "the peak of %s at n = %s was not measured in a fresh process", name,
            pd_fmt_count(n, count, sizeof count)));
        return -1;
    }
    *bytes = v->peak_bytes < PAGE_BYTES ? PAGE_BYTES : (double)v->peak_bytes;
    c->figure_bound |= v->peak_bytes < PAGE_BYTES;
    return 0;
}

static void check_memory(pd_claim *c, const pd_lesson_result *l)
{
    double a, b;

    if (c->kind == PD_CLAIM_LESS_MEMORY) {
        if (fresh_peak(c, l, c->variant, c->n, &a) < 0 ||
            fresh_peak(c, l, c->other, c->n, &b) < 0)
            return;
        c->figure = b / a;   /* how many times less the variant held */
    } else {
        if (fresh_peak(c, l, c->variant, c->n_from, &a) < 0 ||
            fresh_peak(c, l, c->variant, c->n, &b) < 0)
            return;
        c->figure = b / a;   /* how much its peak grew */
    }
    /* One peak per fresh process: no samples, so no interval. */
    c->figure_lo = c->figure_hi = NAN;
    if (c->kind == PD_CLAIM_MEMORY_FLAT)
        c->outcome = c->figure <= c->factor ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
    else
        c->outcome = c->figure >= c->factor ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
}

/* wrong: at n, or at every size where the variant ran; the warning, when
 * claimed, raised at one of them at least. */
static void check_wrong(pd_claim *c, const pd_lesson_result *l)
{
    size_t checked = 0;
    int warned = 0;
    char count[32];

    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_variant_result *v;
        if (c->n && l->sizes[i].n != c->n)
            continue;
        v = variant_at(l, c->variant, l->sizes[i].n);
        if (!v || v->status == PD_NOT_RUN)
            continue;
        pd_fmt_count(l->sizes[i].n, count, sizeof count);
        if (v->status != PD_WRONG) {
            set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
                "%s at n = %s: %s", c->variant, count,
                v->status == PD_OK ? "it matched the reference" : pd_status_word(v->status)));
            return;
        }
        checked++;
        warned |= c->warning && v->warnings && strstr(v->warnings, c->warning) != NULL;
    }
    if (checked == 0) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED,
                    pd_strdup_printf("%s did not run at any size", c->variant));
        return;
    }
    c->figure = (double)checked;
    if (c->warning && !warned) {
        set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
            "it was wrong but raised no %s", c->warning));
        return;
    }
    c->outcome = PD_CLAIM_CONFIRMED;
}

/* fails: at n the variant raised, and what it raised is of the claimed
 * class. The error reads "Type: message\ntraceback". */
static void check_fails(pd_claim *c, const pd_lesson_result *l)
{
    const pd_variant_result *v = variant_at(l, c->variant, c->n);
    const char *want = c->warning ? c->warning : "";
    size_t len = strlen(want);
    char count[32];

    pd_fmt_count(c->n, count, sizeof count);
    if (!size_at(l, c->n) || !v || v->status == PD_NOT_RUN) {
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "%s did not run at n = %s", c->variant, count));
        return;
    }
    /* Out of memory under the worker's limit is how a MemoryError is
     * recorded, even when the allocator, not Python, ran out first. */
    if (v->status == PD_NO_MEMORY && strcmp(want, "MemoryError") == 0) {
        c->outcome = PD_CLAIM_CONFIRMED;
        return;
    }
    if (v->status != PD_RAISED) {
        set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
            "%s at n = %s: %s", c->variant, count,
            v->status == PD_OK ? "it ran correctly" : pd_status_phrase(v->status)));
        return;
    }
    if (len && (!v->error || strncmp(v->error, want, len) != 0 || v->error[len] != ':')) {
        set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
            "%s raised %.*s, not %s", c->variant,
            v->error ? (int)strcspn(v->error, ":\n") : 1, v->error ? v->error : "?", want));
        return;
    }
    c->outcome = PD_CLAIM_CONFIRMED;
}

/* The statistic a claim names, of a usable variant at n; NULL with the
 * outcome set when there is none. */
static const pd_statistic *statistic_of(pd_claim *c, const pd_lesson_result *l,
                                        const char *name)
{
    const pd_statistic *s;
    char count[32];

    if (unusable(c, l, name, c->n, 0))
        return NULL;
    s = pd_variant_statistic(variant_at(l, name, c->n), c->statistic);
    if (!s)
        set_outcome(c, PD_CLAIM_NOT_MEASURED, pd_strdup_printf(
            "%s's result at n = %s gave no %s", name,
            pd_fmt_count(c->n, count, sizeof count), c->statistic));
    return s;
}

/* A statistic inside a range: a proportion's whole interval must be, so a
 * rate that is near the range only by luck of the draw is not confirmed. */
static void check_statistic(pd_claim *c, const pd_lesson_result *l)
{
    const pd_statistic *s = statistic_of(c, l, c->variant);
    double low, high;

    if (!s)
        return;
    c->figure = s->value;
    c->figure_lo = s->lo;
    c->figure_hi = s->hi;
    low = isnan(s->lo) ? s->value : s->lo;
    high = isnan(s->hi) ? s->value : s->hi;
    c->outcome = low >= c->lo && high <= c->hi ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
}

/* One statistic over another's: with intervals, the ratio's runs from the
 * lowest over the highest to the highest over the lowest, and the claim
 * holds when even the lowest is at least the factor. */
static void check_statistic_ratio(pd_claim *c, const pd_lesson_result *l)
{
    const pd_statistic *a = statistic_of(c, l, c->variant), *b;
    double low;

    if (!a || !(b = statistic_of(c, l, c->other)))
        return;
    if (!(b->value > 0)) {
        set_outcome(c, PD_CLAIM_NOT_CONFIRMED, pd_strdup_printf(
            "%s's %s is %g: no ratio over it", c->other, c->statistic, b->value));
        return;
    }
    c->figure = a->value / b->value;
    if (!isnan(a->lo) && !isnan(b->lo)) {
        c->figure_lo = a->lo / b->hi;
        c->figure_hi = b->lo > 0 ? a->hi / b->lo : INFINITY;
    }
    low = isnan(c->figure_lo) ? c->figure : c->figure_lo;
    c->outcome = low >= c->factor ? PD_CLAIM_CONFIRMED : PD_CLAIM_NOT_CONFIRMED;
}

void pd_claims_check(pd_lesson_result *l)
{
    for (size_t i = 0; i < l->lesson.nclaims; i++) {
        pd_claim *c = &l->lesson.claims[i];
        set_outcome(c, PD_CLAIM_UNDECIDED, NULL);
        c->figure = c->figure_lo = c->figure_hi = NAN;
        c->figure_bound = 0;
        switch (c->kind) {
        case PD_CLAIM_FASTER:
        case PD_CLAIM_SIMILAR:      check_time(c, l); break;
        case PD_CLAIM_GROWTH:       check_growth(c, l); break;
        case PD_CLAIM_LESS_MEMORY:
        case PD_CLAIM_MEMORY_FLAT:
        case PD_CLAIM_MEMORY_GROWS: check_memory(c, l); break;
        case PD_CLAIM_WRONG:        check_wrong(c, l); break;
        case PD_CLAIM_FAILS:        check_fails(c, l); break;
        case PD_CLAIM_STATISTIC:    check_statistic(c, l); break;
        case PD_CLAIM_STATISTIC_RATIO: check_statistic_ratio(c, l); break;
        }
        if (c->outcome == PD_CLAIM_UNDECIDED)
            PD_BUG("claim %s of %s left undecided", pd_claim_kind_word(c->kind), c->variant);
    }
}
