/* Claims checked against a run built by hand (bench/claim.c, through
 * pd_lesson_result_derive): every kind confirmed, not confirmed and not
 * measured, and the words for each. No Python: the run is plain C data. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "pdlab/alloc.h"
#include "pdlab/claim.h"
#include "pdlab/evidence.h"
#include "pdlab/machine.h"
#include "pdlab/result.h"
#include "pdlab/stats.h"
#include "pdlab/verdict.h"

/* Three variants of one part: slow grows as n^2 from 1 ms at 1,000 rows,
 * fast as n from 10 µs, wrong is wrong. Peaks: slow 100 bytes per row,
 * fast a flat 1 MiB, wrong none. */
enum { SLOW, FAST, WRONG, NVARIANTS };
static const char *const names[NVARIANTS] = {"slow", "fast", "wrong"};
static const uint64_t sizes[] = {1000, 10000, 100000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static double median_of(size_t k, uint64_t n)
{
    double x = (double)n / 1000;
    return k == SLOW ? 1e-3 * x * x : 1e-5 * x;
}

static void fill_variant(pd_variant_result *v, size_t k, uint64_t n)
{
    static const double jitter[] = {0.99, 1.0, 1.01, 1.0, 0.995};
    v->name = pd_strdup(names[k]);
    v->kind = pd_strdup("loop");
    v->first_call_s = median_of(k, n);
    v->speedup = NAN;
    v->peak_bytes = v->py_peak_bytes = -1;
    if (k == WRONG) {
        v->status = PD_WRONG;
        v->warnings = pd_strdup("UserWarning: something is off");
        return;
    }
    v->status = PD_OK;
    v->nsamples = 5;
    v->samples = pd_xcalloc(5, sizeof *v->samples);
    for (size_t i = 0; i < 5; i++) v->samples[i] = median_of(k, n) * jitter[i];
    pd_stats_compute(v->samples, v->nsamples, &v->stats);
    v->loops = 1;
    v->peak_bytes = k == SLOW ? (int64_t)(100 * n) : 1 << 20;
    v->peak_fresh = 1;
}

static pd_claim claim(pd_claim_kind kind, const char *variant, const char *other,
                      uint64_t n, double factor)
{
    pd_claim c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.variant = pd_strdup(variant);
    c.other = pd_strdup(other);
    c.n = n;
    c.factor = factor;
    return c;
}

/* A lesson result with the three variants at every size and the claims
 * given; derived (claims checked). Caller frees with pd_lesson_result_free
 * and free(). */
static pd_lesson_result *make(const pd_claim *claims, size_t nclaims)
{
    pd_lesson_result *l = pd_xcalloc(1, sizeof *l);
    pd_lesson *d = &l->lesson;

    d->id = pd_strdup("test");
    d->focus = pd_strdup("time");
    d->nparts = 1;
    d->parts = pd_xcalloc(1, sizeof *d->parts);
    d->references = pd_xcalloc(1, sizeof *d->references);
    d->parts[0] = pd_strdup("main");
    d->references[0] = pd_strdup("slow");
    d->nvariants = NVARIANTS;
    d->variants = pd_xcalloc(NVARIANTS, sizeof *d->variants);
    for (size_t k = 0; k < NVARIANTS; k++) {
        d->variants[k].name = pd_strdup(names[k]);
        d->variants[k].kind = pd_strdup("loop");
        d->variants[k].part = pd_strdup("main");
        d->variants[k].doc = pd_strdup("");
    }
    d->nsizes = NSIZES;
    d->sizes = pd_xcalloc(NSIZES, sizeof *d->sizes);
    memcpy(d->sizes, sizes, sizeof sizes);
    d->nclaims = nclaims;
    d->claims = pd_xcalloc(nclaims ? nclaims : 1, sizeof *d->claims);
    if (nclaims) memcpy(d->claims, claims, nclaims * sizeof *claims);
    l->nsizes = NSIZES;
    l->sizes = pd_xcalloc(NSIZES, sizeof *l->sizes);
    for (size_t i = 0; i < NSIZES; i++) {
        pd_size_result *s = &l->sizes[i];
        s->n = sizes[i];
        s->nvariants = NVARIANTS;
        s->variants = pd_xcalloc(NVARIANTS, sizeof *s->variants);
        for (size_t k = 0; k < NVARIANTS; k++) fill_variant(&s->variants[k], k, s->n);
    }
    pd_lesson_result_derive(l);
    return l;
}

static void drop(pd_lesson_result *l)
{
    pd_lesson_result_free(l);
    free(l);
}

static pd_variant_result *at(pd_lesson_result *l, size_t i, size_t k)
{
    return &l->sizes[i].variants[k];
}

static void test_faster(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 500),   /* 1000x: yes */
        claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 5000),  /* 1000x: no */
        claim(PD_CLAIM_FASTER, "fast", "slow", 50000, 2),     /* no such size */
        claim(PD_CLAIM_FASTER, "wrong", "slow", 10000, 2),    /* a wrong answer */
    };
    pd_lesson_result *l = make(c, 4);
    const pd_claim *r = l->lesson.claims;
    (void)state;

    assert_int_equal(r[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(r[0].figure - 1000) < 1);
    assert_true(r[0].figure_lo > 900 && r[0].figure_hi < 1100);
    assert_null(r[0].note);
    assert_int_equal(r[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_true(fabs(r[1].figure - 1000) < 1);
    assert_int_equal(r[2].outcome, PD_CLAIM_NOT_MEASURED);
    assert_string_equal(r[2].note, "the run did not include n = 50,000 (its --sizes left it out)");
    assert_int_equal(r[3].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_string_equal(r[3].note, "wrong gave a wrong answer at n = 10,000");
    assert_int_equal(pd_claims_count(&l->lesson, PD_CLAIM_CONFIRMED), 1);
    /* A size the run did not reach because the lesson failed: not --sizes. */
    l->nsizes = 1;
    l->error = pd_strdup("the worker for n = 10,000 timed out before measuring anything");
    pd_lesson_result_derive(l);
    assert_string_equal(r[0].note, "the lesson stopped before n = 10,000");
    l->nsizes = NSIZES;
    drop(l);
}

/* Samples taken in the same rounds are compared round by round: a machine
 * that slows down and recovers moves both samples of a round alike, and
 * the claim holds where the ratio of the two medians would lose it. */
static void test_time_claims_pair_rounds(void **state)
{
    static const double drift[] = {2.0, 1.0, 1.5, 0.8, 1.2};
    pd_claim c[] = {claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 1.3)};
    pd_lesson_result *l = make(c, 1);
    pd_variant_result *slow = at(l, 1, SLOW), *fast = at(l, 1, FAST);
    const pd_claim *r = l->lesson.claims;
    (void)state;

    for (size_t i = 0; i < 5; i++) {
        slow->samples[i] = 1.4e-3 * drift[i];
        fast->samples[i] = 1e-3 * drift[i];
    }
    pd_stats_compute(slow->samples, 5, &slow->stats);
    pd_stats_compute(fast->samples, 5, &fast->stats);
    slow->rounds_id = fast->rounds_id = 7;
    pd_lesson_result_derive(l);
    assert_int_equal(r[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(r[0].figure - 1.4) < 1e-9);
    assert_true(fabs(r[0].figure_lo - 1.4) < 1e-9);
    assert_true(fabs(r[0].figure_hi - 1.4) < 1e-9);
    /* The table's speedup follows the same rule. */
    assert_true(fabs(fast->speedup - 1.4) < 1e-9);
    assert_true(fabs(fast->speedup_lo - 1.4) < 1e-9);
    /* A slow call gets fewer samples: its three pair with the first three. */
    slow->nsamples = 3;
    slow->samples[0] = 1.4e-3 * drift[0] * 1.1; /* one round 1.54x */
    pd_stats_compute(slow->samples, 3, &slow->stats);
    pd_lesson_result_derive(l);
    assert_int_equal(r[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(r[0].figure - 1.4) < 1e-9);
    assert_true(fabs(r[0].figure_hi - 1.54) < 1e-9);
    /* Taken in different rounds, the drift is in the interval. */
    fast->rounds_id = 8;
    pd_lesson_result_derive(l);
    assert_int_equal(r[0].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_true(r[0].figure_lo < 1.0);
    assert_true(fast->speedup_lo < 1.0);
    drop(l);
}

/* A missed claim gets the machine's context when a neighbour took CPU;
 * a confirmed one, or a second's rounding, gets none. */
static void test_steal_note(void **state)
{
    pd_claim c[] = {claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 500)};
    pd_lesson_result *l = make(c, 1);
    char *note;
    (void)state;

    assert_true(pd_cpu_stolen_s() >= 0); /* Linux says, in a VM or not */
    l->stolen_s = 3.2;
    assert_null(pd_lesson_steal_note(l)); /* confirmed */
    l->lesson.claims[0].factor = 5000;
    pd_lesson_result_derive(l);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_NOT_CONFIRMED);
    note = pd_lesson_steal_note(l);
    assert_non_null(note);
    assert_true(strstr(note, "the hypervisor gave 3.20 s of this machine's CPU") != NULL);
    free(note);
    l->stolen_s = 0.4;
    assert_null(pd_lesson_steal_note(l));
    l->stolen_s = NAN;
    assert_null(pd_lesson_steal_note(l));
    drop(l);
}

/* Never a figure from an extrapolation: a variant the budget left out
 * leaves its claim not measured, saying why. */
static void test_not_run_is_not_measured(void **state)
{
    pd_claim c[] = {claim(PD_CLAIM_FASTER, "fast", "slow", 100000, 2)};
    pd_lesson_result *l = make(c, 1);
    pd_variant_result *v = at(l, 2, SLOW);
    (void)state;

    free(v->samples);
    v->samples = NULL;
    v->nsamples = 0;
    v->status = PD_NOT_RUN;
    v->skip = PD_SKIP_BUDGET;
    pd_lesson_result_derive(l);
    assert_true(v->extrapolated); /* the table shows the trend... */
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_NOT_MEASURED); /* ...the claim not */
    assert_string_equal(l->lesson.claims[0].note,
                        "slow was not run at n = 100,000 (over budget)");
    assert_true(isnan(l->lesson.claims[0].figure));
    drop(l);
}

static void test_similar_and_growth(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_SIMILAR, "slow", "fast", 1000, 150),  /* 100x apart */
        claim(PD_CLAIM_SIMILAR, "slow", "fast", 1000, 50),
        claim(PD_CLAIM_GROWTH, "slow", NULL, 0, 0),
        claim(PD_CLAIM_GROWTH, "fast", NULL, 0, 0),
        claim(PD_CLAIM_GROWTH, "wrong", NULL, 0, 0),
    };
    pd_lesson_result *l;
    (void)state;

    c[2].lo = 1.8, c[2].hi = 2.2;
    c[3].lo = 1.8, c[3].hi = 2.2;
    c[4].lo = 0.5, c[4].hi = 1.5;
    l = make(c, 5);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[0].figure - 100) < 0.5);
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_int_equal(l->lesson.claims[2].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[2].figure - 2) < 0.01);
    assert_int_equal(l->lesson.claims[3].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_true(fabs(l->lesson.claims[3].figure - 1) < 0.01);
    assert_int_equal(l->lesson.claims[4].outcome, PD_CLAIM_NOT_MEASURED);
    assert_string_equal(l->lesson.claims[4].note,
                        "wrong was measured correct at fewer than two sizes");
    drop(l);
}

static void test_memory(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_LESS_MEMORY, "fast", "slow", 100000, 5),  /* 10 MB vs 1 MiB */
        claim(PD_CLAIM_MEMORY_FLAT, "fast", NULL, 100000, 1.5),
        claim(PD_CLAIM_MEMORY_GROWS, "slow", NULL, 100000, 50),
        claim(PD_CLAIM_MEMORY_FLAT, "slow", NULL, 100000, 1.5),
        claim(PD_CLAIM_LESS_MEMORY, "fast", "slow", 10000, 1),
    };
    pd_lesson_result *l;
    (void)state;

    for (size_t i = 1; i <= 3; i++) c[i].n_from = 1000;
    l = make(c, 5);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[0].figure - 1e7 / (1 << 20)) < 0.01);
    assert_true(isnan(l->lesson.claims[0].figure_lo)); /* one peak, no interval */
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_CONFIRMED);
    assert_int_equal(l->lesson.claims[2].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[2].figure - 100) < 0.01);
    assert_int_equal(l->lesson.claims[3].outcome, PD_CLAIM_NOT_CONFIRMED);

    /* A peak taken in a shared process does not decide a memory claim... */
    at(l, 1, SLOW)->peak_fresh = 0;
    /* ...and a peak under a page counts as a page: the figure is a bound. */
    at(l, 2, FAST)->peak_bytes = 100;
    pd_lesson_result_derive(l);
    assert_int_equal(l->lesson.claims[4].outcome, PD_CLAIM_NOT_MEASURED);
    assert_string_equal(l->lesson.claims[4].note,
                        "the peak of slow at n = 10,000 was not measured in a fresh process");
    assert_true(l->lesson.claims[0].figure_bound);
    assert_true(fabs(l->lesson.claims[0].figure - 1e7 / 4096) < 0.01);
    drop(l);
}

static void test_wrong(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_WRONG, "wrong", NULL, 0, 0),
        claim(PD_CLAIM_WRONG, "wrong", NULL, 0, 0),
        claim(PD_CLAIM_WRONG, "fast", NULL, 0, 0),
        claim(PD_CLAIM_WRONG, "wrong", NULL, 0, 0),
    };
    pd_lesson_result *l;
    (void)state;

    c[0].warning = pd_strdup("UserWarning");
    c[1].warning = pd_strdup("SettingWithCopyWarning");
    l = make(c, 4);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_string_equal(l->lesson.claims[1].note,
                        "it was wrong but raised no SettingWithCopyWarning");
    assert_int_equal(l->lesson.claims[2].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_string_equal(l->lesson.claims[2].note, "fast at n = 1,000: it matched the reference");

    /* Right at one size is enough to refute "wrong wherever it ran". */
    at(l, 1, WRONG)->status = PD_OK;
    pd_lesson_result_derive(l);
    assert_int_equal(l->lesson.claims[3].outcome, PD_CLAIM_NOT_CONFIRMED);
    drop(l);
}

/* fails: confirmed only by a raise of the claimed class at the claimed
 * size; a variant that ran, or raised something else, refutes it. */
static void test_fails(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_FAILS, "slow", NULL, 100000, 0),
        claim(PD_CLAIM_FAILS, "slow", NULL, 100000, 0),
        claim(PD_CLAIM_FAILS, "slow", NULL, 10000, 0),
        claim(PD_CLAIM_FAILS, "slow", NULL, 30000, 0),
    };
    pd_lesson_result *l;
    pd_claim f = claim(PD_CLAIM_FAILS, "slow", NULL, 100000, 0);
    (void)state;

    for (size_t i = 0; i < 4; i++) c[i].warning = pd_strdup("RecursionError");
    c[1].warning[0] = 'X'; /* "XecursionError": the class must match */
    l = make(c, 4);
    at(l, 2, SLOW)->status = PD_RAISED;
    at(l, 2, SLOW)->error = pd_strdup("RecursionError: maximum recursion depth exceeded\n"
                                      "Traceback ...");
    pd_lesson_result_derive(l);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_string_equal(l->lesson.claims[1].note, "slow raised RecursionError, not XecursionError");
    assert_int_equal(l->lesson.claims[2].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_string_equal(l->lesson.claims[2].note, "slow at n = 10,000: it ran correctly");
    assert_int_equal(l->lesson.claims[3].outcome, PD_CLAIM_NOT_MEASURED);
    /* The claim's own clause tells the failure; no second "failed" clause. */
    if (!strstr(l->summary, "Slow failed with RecursionError at 100,000 rows: confirmed;"))
        fail_msg("summary: %s", l->summary);
    assert_null(strstr(l->summary, "slow failed (raised"));
    assert_true(pd_claim_needs(&f, "slow", 100000));
    assert_false(pd_claim_needs(&f, "slow", 10000));
    pd_claim_free(&f);
    drop(l);
}

/* The sentence names the two variants of each figure and the size, and
 * writes the outcome after it. */
static void test_sentence(void **state)
{
    pd_claim c[] = {
        claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 500),
        claim(PD_CLAIM_WRONG, "wrong", NULL, 0, 0),
    };
    pd_lesson_result *l = make(c, 2);
    (void)state;

    assert_string_equal(l->summary,
        "At 10,000 rows fast was 1000x faster than slow (95% interval 990x-1010x; claimed "
        "at least 500x): confirmed; wrong gave a wrong answer wherever it ran: confirmed.");
    drop(l);
}

static void test_words(void **state)
{
    pd_claim_kind k;
    pd_claim_outcome o;
    (void)state;

    for (int i = PD_CLAIM_FASTER; i <= PD_CLAIM_STATISTIC_RATIO; i++) {
        assert_int_equal(pd_claim_kind_parse(pd_claim_kind_word((pd_claim_kind)i), &k), 0);
        assert_int_equal(k, i);
    }
    for (int i = PD_CLAIM_UNDECIDED; i <= PD_CLAIM_NOT_MEASURED; i++) {
        assert_int_equal(pd_claim_outcome_parse(pd_claim_outcome_word((pd_claim_outcome)i), &o), 0);
        assert_int_equal(o, i);
    }
    assert_int_equal(pd_claim_kind_parse("fastest", &k), -1);
    assert_string_equal(pd_claim_outcome_word(PD_CLAIM_NOT_CONFIRMED), "not confirmed");
}

/* A rate on fast (hits of trials) and a plain number on slow, at 10,000. */
static void give_statistic(pd_variant_result *v, uint64_t hits, uint64_t trials, double value)
{
    pd_statistic *st = v->statistics = pd_xcalloc(1, sizeof *v->statistics);
    v->nstatistics = 1;
    st->name = pd_strdup("rate");
    st->hits = hits;
    st->trials = trials;
    st->value = trials ? (double)hits / (double)trials : value;
    if (trials) pd_wilson_interval(hits, trials, 1.96, &st->lo, &st->hi);
    else st->lo = st->hi = NAN;
}

static pd_claim statistic_claim(pd_claim_kind kind, const char *variant, const char *other,
                                double lo, double hi, double factor)
{
    pd_claim c = claim(kind, variant, other, 10000, factor);
    c.statistic = pd_strdup("rate");
    c.lo = lo;
    c.hi = hi;
    return c;
}

static void test_statistics(void **state)
{
    pd_claim c[] = {
        /* 50 of 1,000: 0.05, Wilson 0.038-0.065, inside 0.03-0.08. */
        statistic_claim(PD_CLAIM_STATISTIC, "fast", NULL, 0.03, 0.08, 0),
        /* The point is inside 0.045-0.08, the interval is not. */
        statistic_claim(PD_CLAIM_STATISTIC, "fast", NULL, 0.045, 0.08, 0),
        /* slow's 0.25 (a plain number, no interval) over fast's 0.05 is
         * 5x, decided on the point: at least 3x and 4.5x both hold. */
        statistic_claim(PD_CLAIM_STATISTIC_RATIO, "slow", "fast", 0, 0, 3),
        statistic_claim(PD_CLAIM_STATISTIC_RATIO, "slow", "fast", 0, 0, 4.5),
        /* A variant that gave no such statistic, and a wrong one. */
        statistic_claim(PD_CLAIM_STATISTIC, "fast", NULL, 0, 1, 0),
        statistic_claim(PD_CLAIM_STATISTIC, "wrong", NULL, 0, 1, 0),
    };
    pd_lesson_result *l = make(NULL, 0);
    double lo, hi;
    (void)state;

    give_statistic(at(l, 1, FAST), 50, 1000, 0);
    give_statistic(at(l, 1, SLOW), 0, 0, 0.25);
    free(l->lesson.claims);
    l->lesson.claims = pd_xcalloc(6, sizeof c[0]);
    memcpy(l->lesson.claims, c, sizeof c);
    l->lesson.nclaims = 6;
    free(l->lesson.claims[4].statistic);
    l->lesson.claims[4].statistic = pd_strdup("other");
    pd_claims_check(l);

    assert_int_equal(pd_wilson_interval(50, 1000, 1.96, &lo, &hi), 0);
    assert_true(lo > 0.0380 && lo < 0.0382 && hi > 0.0653 && hi < 0.0655);
    assert_int_equal(pd_wilson_interval(0, 0, 1.96, &lo, &hi), -1);
    assert_int_equal(pd_wilson_interval(0, 10, 1.96, &lo, &hi), 0);
    assert_true(lo == 0 && hi > 0.2 && hi < 0.35);

    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[0].figure - 0.05) < 1e-12);
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    assert_int_equal(l->lesson.claims[2].outcome, PD_CLAIM_CONFIRMED);
    assert_true(fabs(l->lesson.claims[2].figure - 5) < 1e-9);
    assert_true(isnan(l->lesson.claims[2].figure_lo)); /* slow's is no proportion */
    assert_int_equal(l->lesson.claims[3].outcome, PD_CLAIM_CONFIRMED);
    assert_int_equal(l->lesson.claims[4].outcome, PD_CLAIM_NOT_MEASURED);
    assert_non_null(strstr(l->lesson.claims[4].note, "gave no other"));
    assert_int_equal(l->lesson.claims[5].outcome, PD_CLAIM_NOT_CONFIRMED);
    drop(l);
}

/* The ratio of two proportions is decided on the low end of its interval. */
static void test_statistic_ratio_interval(void **state)
{
    pd_claim c[] = {
        statistic_claim(PD_CLAIM_STATISTIC_RATIO, "slow", "fast", 0, 0, 3),
        statistic_claim(PD_CLAIM_STATISTIC_RATIO, "slow", "fast", 0, 0, 4.5),
    };
    pd_lesson_result *l = make(NULL, 0);
    (void)state;

    give_statistic(at(l, 1, FAST), 50, 1000, 0);
    give_statistic(at(l, 1, SLOW), 250, 1000, 0);
    free(l->lesson.claims);
    l->lesson.claims = pd_xcalloc(2, sizeof c[0]);
    memcpy(l->lesson.claims, c, sizeof c);
    l->lesson.nclaims = 2;
    pd_claims_check(l);
    /* 0.25 / 0.05 = 5x; interval 0.224 / 0.0654 = 3.4x at its low end. */
    assert_true(fabs(l->lesson.claims[0].figure - 5) < 1e-9);
    assert_true(l->lesson.claims[0].figure_lo > 3.3 && l->lesson.claims[0].figure_lo < 3.5);
    assert_int_equal(l->lesson.claims[0].outcome, PD_CLAIM_CONFIRMED);
    assert_int_equal(l->lesson.claims[1].outcome, PD_CLAIM_NOT_CONFIRMED);
    drop(l);
}

/* What the planner must measure whatever the budget. */
static void test_needs(void **state)
{
    pd_claim f = claim(PD_CLAIM_FASTER, "fast", "slow", 10000, 2);
    pd_claim g = claim(PD_CLAIM_GROWTH, "slow", NULL, 0, 0);
    pd_claim m = claim(PD_CLAIM_MEMORY_FLAT, "fast", NULL, 100000, 1.5);
    (void)state;

    m.n_from = 1000;
    assert_true(pd_claim_needs(&f, "slow", 10000));
    assert_true(pd_claim_needs(&f, "fast", 10000));
    assert_false(pd_claim_needs(&f, "slow", 1000));
    assert_false(pd_claim_needs(&f, "wrong", 10000));
    assert_true(pd_claim_needs(&g, "slow", 1000) && pd_claim_needs(&g, "slow", 100000));
    assert_true(pd_claim_needs_fresh_peak(&m, "fast", 1000));
    assert_true(pd_claim_needs_fresh_peak(&m, "fast", 100000));
    assert_false(pd_claim_needs_fresh_peak(&m, "fast", 10000));
    assert_false(pd_claim_needs_fresh_peak(&f, "fast", 10000));
    /* More samples only where a time ratio's interval is built from them. */
    assert_true(pd_claim_needs_samples(&f, "slow", 10000));
    assert_false(pd_claim_needs_samples(&f, "slow", 1000));
    assert_false(pd_claim_needs_samples(&g, "slow", 1000));
    assert_false(pd_claim_needs_samples(&m, "fast", 100000));
    pd_claim_free(&f);
    pd_claim_free(&g);
    pd_claim_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faster),
        cmocka_unit_test(test_time_claims_pair_rounds),
        cmocka_unit_test(test_steal_note),
        cmocka_unit_test(test_not_run_is_not_measured),
        cmocka_unit_test(test_similar_and_growth),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_wrong),
        cmocka_unit_test(test_fails),
        cmocka_unit_test(test_sentence),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_statistics),
        cmocka_unit_test(test_statistic_ratio_interval),
        cmocka_unit_test(test_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
