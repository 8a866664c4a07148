/* Unit tests for base/stats.c and base/timer.c.
 *
 * Expected percentiles are what numpy 1.24 (Debian 12) returns; the call that
 * produced each is in the comment beside it. pd_percentile mirrors numpy's
 * arithmetic step for step, so they are compared exactly, not within a
 * tolerance: a report must show the figure numpy would. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>
#include <time.h>

#include "pdlab/stats.h"
#include "pdlab/timer.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. A macro, so a
 * failure reports the caller's line. */
#define assert_near(got, want, tol)                                         \
    do {                                                                    \
        double g_ = (got), w_ = (want);                                     \
        if (!(fabs(g_ - w_) <= (tol)))                                      \
            fail_msg("%s = %.17g, want %.17g (+/- %g)", #got, g_, w_,       \
                     (double)(tol));                                        \
    } while (0)

/* One expected value: p-th percentile of a data set is want. */
typedef struct {
    double p;
    double want;
} pct_case;

static void check_cases(const double *x, size_t n, const pct_case *c,
                        size_t nc) {
    for (size_t i = 0; i < nc; i++) {
        double got = pd_percentile(x, n, c[i].p);
        if (got != c[i].want)
            fail_msg("p=%g: got %.17g, numpy gives %.17g", c[i].p, got,
                     c[i].want);
    }
}

/* ------------------------------------------------------------------------
 * Percentiles
 * ---------------------------------------------------------------------- */

static void test_percentile_even_n(void **state) {
    const double x[] = {1, 2, 3, 4};
    /* np.percentile([1, 2, 3, 4], p) */
    const pct_case c[] = {
        {0, 1.0}, {25, 1.75}, {50, 2.5}, {75, 3.25}, {90, 3.7}, {100, 4.0},
    };
    check_cases(x, N_OF(x), c, N_OF(c));
}

static void test_percentile_odd_n_unsorted(void **state) {
    const double x[] = {3, 1, 2, 5, 4};
    /* np.percentile([3, 1, 2, 5, 4], p) */
    const pct_case c[] = {
        {0, 1.0},   {10, 1.4}, {25, 2.0}, {33, 2.3200000000000003},
        {50, 3.0},  {75, 4.0}, {99.9, 4.996}, {100, 5.0},
    };
    check_cases(x, N_OF(x), c, N_OF(c));
}

static void test_percentile_fractions(void **state) {
    /* Values with no exact binary form: rounding has to follow numpy's. */
    const double x[] = {0.1, 0.7, 0.3, 0.2, 0.9, 0.4};
    /* np.percentile([0.1, 0.7, 0.3, 0.2, 0.9, 0.4], p) */
    const pct_case c[] = {
        {10, 0.15000000000000002}, {25, 0.225}, {50, 0.35},
        {66.6, 0.4989999999999999}, {75, 0.625}, {95, 0.85},
    };
    check_cases(x, N_OF(x), c, N_OF(c));
}

static void test_percentile_single_value(void **state) {
    const double x[] = {42.0};
    /* np.percentile([42.0], p) */
    const pct_case c[] = {{0, 42.0}, {37.5, 42.0}, {100, 42.0}};
    check_cases(x, N_OF(x), c, N_OF(c));
}

/* x[i] = ((i*7919) % 1009) / 7.0 + 0.001*i, the same in C and numpy: only
 * correctly rounded operations. */
static double *make_big(size_t n) {
    double *x = test_malloc(n * sizeof(*x));
    for (size_t i = 0; i < n; i++)
        x[i] = (double)((i * 7919) % 1009) / 7.0 + 0.001 * (double)i;
    return x;
}

static void test_percentile_thousands(void **state) {
    double *x = make_big(1000);
    /* x = np.array([((i*7919) % 1009) / 7.0 + 0.001*i for i in range(1000)])
     * np.percentile(x, p) */
    const pct_case c[] = {
        {1, 2.000627142857143},   {25, 36.67482142857143},
        {50, 72.72749999999999},  {75, 108.47703571428572},
        {90, 130.06837142857142}, {99, 143.06683714285714},
    };
    check_cases(x, 1000, c, N_OF(c));
    test_free(x);

    x = make_big(1001);
    /* same with range(1001) */
    const pct_case c2[] = {
        {25, 36.712714285714284}, {50, 72.65171428571429},
        {75, 108.43914285714285},
    };
    check_cases(x, 1001, c2, N_OF(c2));
    test_free(x);
}

static void test_percentile_leaves_input_alone(void **state) {
    double x[] = {9, -1, 4, 4, 0.5, 7, 3};
    double before[N_OF(x)];

    memcpy(before, x, sizeof(x));
    (void)pd_percentile(x, N_OF(x), 50);
    assert_memory_equal(x, before, sizeof(x));
}

static void test_percentile_undefined(void **state) {
    const double x[] = {1, 2, 3};
    const double with_nan[] = {1, NAN, 3};

    assert_true(isnan(pd_percentile(x, 0, 50)));    /* no samples */
    assert_true(isnan(pd_percentile(x, 3, -1)));    /* p out of range */
    assert_true(isnan(pd_percentile(x, 3, 100.5)));
    assert_true(isnan(pd_percentile(x, 3, NAN)));
    /* np.percentile([1, np.nan, 3], 50) -> nan */
    assert_true(isnan(pd_percentile(with_nan, 3, 50)));
}

/* ------------------------------------------------------------------------
 * Summary
 * ---------------------------------------------------------------------- */

static void test_stats_compute(void **state) {
    double x[] = {7, 1, 5, 3, 9, 2, 8, 4};
    double before[N_OF(x)];
    pd_stats s;

    memcpy(before, x, sizeof(x));
    assert_int_equal(pd_stats_compute(x, N_OF(x), &s), 0);
    assert_memory_equal(x, before, sizeof(x));
    assert_int_equal(s.n, 8);
    assert_true(s.min == 1.0 && s.max == 9.0);
    /* np.percentile([7, 1, 5, 3, 9, 2, 8, 4], [25, 50, 75])
     * -> [2.75, 4.5, 7.25] */
    assert_true(s.q1 == 2.75);
    assert_true(s.median == 4.5);
    assert_true(s.q3 == 7.25);
    assert_true(s.iqr == 4.5);
    assert_true(s.mean == 4.875);
}

static void test_stats_compute_thousands(void **state) {
    double *x = make_big(1000);
    pd_stats s;

    assert_int_equal(pd_stats_compute(x, 1000, &s), 0);
    assert_true(s.median == 72.72749999999999);
    assert_true(s.q1 == 36.67482142857143 && s.q3 == 108.47703571428572);
    assert_true(s.iqr == s.q3 - s.q1);
    /* np.mean(x) -> 72.59635714285714; numpy sums pairwise, we in order,
     * so the last digit may differ. */
    assert_near(s.mean, 72.59635714285714, 1e-12);
    assert_true(s.min == 0.0 && s.max == 144.765);
    test_free(x);
}

static void test_stats_compute_empty(void **state) {
    pd_stats s;
    assert_int_equal(pd_stats_compute(NULL, 0, &s), -1);
}

/* ------------------------------------------------------------------------
 * Growth fit
 * ---------------------------------------------------------------------- */

static void test_fit_exact_power_law(void **state) {
    const double n[] = {10, 100, 1000, 10000, 100000};
    double y[N_OF(n)];
    pd_fit f;

    for (size_t i = 0; i < N_OF(n); i++) y[i] = 3.0 * n[i] * n[i];
    assert_int_equal(pd_fit_loglog(n, y, N_OF(n), &f), 0);
    assert_int_equal(f.points, 5);
    assert_near(f.exponent, 2.0, 1e-12);
    assert_near(f.log_coef, log(3.0), 1e-10);
    assert_near(f.r2, 1.0, 1e-12);
    assert_true(f.r2 <= 1.0);
}

static void test_fit_linear_and_sublinear(void **state) {
    const double n[] = {1, 2, 4, 8, 16, 32};
    double lin[N_OF(n)], root[N_OF(n)];
    pd_fit f;

    for (size_t i = 0; i < N_OF(n); i++) {
        lin[i] = 5e-9 * n[i];
        root[i] = 2.0 * sqrt(n[i]);
    }
    assert_int_equal(pd_fit_loglog(n, lin, N_OF(n), &f), 0);
    assert_near(f.exponent, 1.0, 1e-12);
    assert_int_equal(pd_fit_loglog(n, root, N_OF(n), &f), 0);
    assert_near(f.exponent, 0.5, 1e-12);
}

static void test_fit_noisy(void **state) {
    const double n[] = {1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5};
    const double noise[] = {1.03, 0.97, 1.05, 0.96, 1.02, 0.99, 1.01};
    double y[N_OF(n)];
    pd_fit f;

    for (size_t i = 0; i < N_OF(n); i++)
        y[i] = 2e-8 * pow(n[i], 1.5) * noise[i];
    /* ns = np.array([1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5])
     * y = 2e-8 * ns**1.5 * np.array([1.03, .97, 1.05, .96, 1.02, .99, 1.01])
     * np.polyfit(np.log(ns), np.log(y), 1)
     *   -> [1.4980653661364824, -17.70589058605686]
     * np.corrcoef(np.log(ns), np.log(y))[0, 1]**2 -> 0.9998330361252586 */
    assert_int_equal(pd_fit_loglog(n, y, N_OF(n), &f), 0);
    assert_near(f.exponent, 1.4980653661364824, 1e-12);
    assert_near(f.log_coef, -17.70589058605686, 1e-10);
    assert_near(f.r2, 0.9998330361252586, 1e-12);
}

static void test_fit_skips_nonpositive(void **state) {
    /* Zeros (a timer that read 0, a size of 0) and NaN have no logarithm;
     * the rest is an exact n^3. */
    const double n[] = {0, 10, 20, -5, 40, 80, NAN};
    const double y[] = {1, 1e3, 8e3, 7, 0, 512e3, 1};
    pd_fit f;

    assert_int_equal(pd_fit_loglog(n, y, N_OF(n), &f), 0);
    assert_int_equal(f.points, 3);
    assert_near(f.exponent, 3.0, 1e-12);
    assert_near(f.r2, 1.0, 1e-12);
}

static void test_fit_rejects_too_few(void **state) {
    const double n1[] = {10};
    const double y1[] = {5};
    const double n2[] = {0, 10, 20};
    const double y2[] = {3, 5, 0};     /* one usable pair */
    const double n3[] = {7, 7, 7};
    const double y3[] = {1, 2, 3};     /* x never varies: no slope */
    pd_fit f;

    assert_int_equal(pd_fit_loglog(n1, y1, 0, &f), -1);
    assert_int_equal(f.points, 0);
    assert_int_equal(pd_fit_loglog(n1, y1, 1, &f), -1);
    assert_int_equal(f.points, 1);
    assert_int_equal(pd_fit_loglog(n2, y2, 3, &f), -1);
    assert_int_equal(f.points, 1);
    assert_int_equal(pd_fit_loglog(n3, y3, 3, &f), -1);
    assert_int_equal(f.points, 3);
    assert_true(isnan(f.exponent));
}

static void test_fit_constant(void **state) {
    /* An O(1) operation: same time at every size is a flat, exact fit. */
    const double n[] = {1e3, 1e4, 1e5, 1e6};
    const double y[] = {0.1, 0.1, 0.1, 0.1};
    pd_fit f;

    assert_int_equal(pd_fit_loglog(n, y, N_OF(n), &f), 0);
    assert_true(f.exponent == 0.0);
    assert_true(f.r2 == 1.0);
    assert_near(pd_fit_predict(&f, 1e9), 0.1, 1e-15);
}

static void test_fit_predict(void **state) {
    const double n[] = {100, 1000, 10000};
    const double y[] = {3e4, 3e6, 3e8}; /* 3 n^2 */
    pd_fit f;

    assert_int_equal(pd_fit_loglog(n, y, N_OF(n), &f), 0);
    /* Interpolated, at a fitted point, and extrapolated 100x out. */
    assert_near(pd_fit_predict(&f, 500), 7.5e5, 7.5e5 * 1e-12);
    assert_near(pd_fit_predict(&f, 1000), 3e6, 3e6 * 1e-12);
    assert_near(pd_fit_predict(&f, 1e6), 3e12, 3e12 * 1e-12);
    assert_true(isnan(pd_fit_predict(&f, 0)));
    assert_true(isnan(pd_fit_predict(&f, -10)));
}

/* ------------------------------------------------------------------------
 * Clock
 *
 * timer.c's calls of clock_gettime and clock_getres are linked to the
 * wrappers below (-Wl,--wrap, tests/CMakeLists.txt): while a test has the
 * fake on, they read a clock the test controls; otherwise the real one.
 * ---------------------------------------------------------------------- */

static struct {
    int on;
    clockid_t asked;      /* the clock last read */
    uint64_t now_ns;      /* what the next reading returns */
    uint64_t readings;
    int ticks;            /* advance every 4th reading, by 2 us and 3 us in turn */
    uint64_t res_ns;      /* what clock_getres reports */
} fake;

int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __real_clock_getres(clockid_t id, struct timespec *ts);

static void to_timespec(uint64_t ns, struct timespec *ts) {
    ts->tv_sec = (time_t)(ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
}

int __wrap_clock_gettime(clockid_t id, struct timespec *ts) {
    if (!fake.on) return __real_clock_gettime(id, ts);
    fake.asked = id;
    to_timespec(fake.now_ns, ts);
    if (fake.ticks && ++fake.readings % 4 == 0)
        fake.now_ns += fake.readings % 8 == 0 ? 3000 : 2000;
    return 0;
}

int __wrap_clock_getres(clockid_t id, struct timespec *ts) {
    if (!fake.on) return __real_clock_getres(id, ts);
    fake.asked = id;
    to_timespec(fake.res_ns, ts);
    return 0;
}

static int fake_clock_on(void **state) {
    memset(&fake, 0, sizeof fake);
    fake.on = 1;
    fake.asked = -1;
    return 0;
}

static int fake_clock_off(void **state) {
    fake.on = 0;
    return 0;
}

static void test_clock_reads_monotonic_ns(void **state) {
    fake.now_ns = UINT64_C(12500000123);
    assert_int_equal(pd_now_ns(), UINT64_C(12500000123));
    assert_int_equal(fake.asked, CLOCK_MONOTONIC);

    /* The clock's own figure, whatever it is: a coarse 4 ms clock. */
    fake.asked = -1;
    fake.res_ns = 4000000;
    assert_int_equal(pd_clock_resolution_ns(), 4000000);
    assert_int_equal(fake.asked, CLOCK_MONOTONIC);
    assert_true(pd_ns_to_s(1500000000) == 1.5);
}

static void test_clock_step(void **state) {
    /* Readings that repeat, then jump by 2 us or 3 us: the smallest jump. */
    fake.res_ns = 1;
    fake.ticks = 1;
    assert_int_equal(pd_clock_step_ns(), 2000);
    /* A clock that never moves: its advertised resolution is all we know. */
    fake.ticks = 0;
    fake.res_ns = 4000000;
    assert_int_equal(pd_clock_step_ns(), 4000000);
}

static void test_real_clock(void **state) {
    struct timespec before, after;
    uint64_t now, step = pd_clock_step_ns();

    __real_clock_gettime(CLOCK_MONOTONIC, &before);
    now = pd_now_ns();
    __real_clock_gettime(CLOCK_MONOTONIC, &after);
    assert_in_range(now, (uint64_t)before.tv_sec * 1000000000 + (uint64_t)before.tv_nsec,
                    (uint64_t)after.tv_sec * 1000000000 + (uint64_t)after.tv_nsec);
    /* A real clock steps by something between a tick and a millisecond. */
    assert_true(step >= 1 && step < 1000000);
}

/* ------------------------------------------------------------------------
 * Speedup intervals (bootstrap) and instability warnings
 * ---------------------------------------------------------------------- */

static void test_bootstrap_exact_ratio(void **state) {
    static const double a[] = {10, 10, 10, 10, 10}, b[] = {5, 5, 5, 5, 5};
    double lo, hi;
    (void)state;
    /* No noise: every resample has the same medians, the interval is a point. */
    assert_int_equal(pd_bootstrap_ratio(a, 5, b, 5, 1000, 0.95, &lo, &hi), 0);
    assert_near(lo, 2.0, 0);
    assert_near(hi, 2.0, 0);
}

static void test_bootstrap_overlap_holds_one(void **state) {
    static const double a[] = {1.00, 1.10, 0.90, 1.05, 0.95};
    static const double b[] = {1.00, 0.95, 1.10, 1.02, 0.98};
    double lo, hi;
    (void)state;
    assert_int_equal(pd_bootstrap_ratio(a, 5, b, 5, 2000, 0.95, &lo, &hi), 0);
    assert_true(lo <= 1.0 && hi >= 1.0); /* "no measurable difference" */
    assert_true(lo < hi);
}

static void test_bootstrap_separated_excludes_one(void **state) {
    static const double slow[] = {2.00, 2.08, 1.95, 2.10, 1.97};
    static const double fast[] = {1.00, 1.03, 0.97, 1.05, 0.99};
    double lo, hi, lo2, hi2;
    (void)state;
    assert_int_equal(pd_bootstrap_ratio(slow, 5, fast, 5, 2000, 0.95, &lo, &hi), 0);
    /* Ratios of the resampled medians lie between 1.95/1.05 and 2.10/0.97. */
    assert_true(lo > 1.8 && hi < 2.2 && lo <= 2.0 / 0.99 && hi >= 2.0 / 1.0);
    /* Deterministic: a report drawn twice says the same thing. */
    assert_int_equal(pd_bootstrap_ratio(slow, 5, fast, 5, 2000, 0.95, &lo2, &hi2), 0);
    assert_near(lo2, lo, 0);
    assert_near(hi2, hi, 0);
}

static void test_bootstrap_rejects(void **state) {
    static const double a[] = {1};
    double lo, hi;
    (void)state;
    assert_int_equal(pd_bootstrap_ratio(a, 0, a, 1, 1000, 0.95, &lo, &hi), -1);
    assert_true(isnan(lo) && isnan(hi));
    assert_int_equal(pd_bootstrap_ratio(a, 1, a, 1, 5, 0.95, &lo, &hi), -1);
    assert_int_equal(pd_bootstrap_ratio(a, 1, a, 1, 1000, 1.5, &lo, &hi), -1);
}

static void test_paired_ratio_cancels_drift(void **state) {
    /* The machine ran twice as slow in the first round as in the fourth:
     * each pair shares its round's speed, and the ratio is 2 in every one. */
    static const double slow[] = {4.0, 2.0, 3.0, 1.6, 2.4};
    static const double fast[] = {2.0, 1.0, 1.5, 0.8, 1.2};
    static const double noisy[] = {2.2, 0.9, 1.5, 0.8, 1.2};
    double r, lo, hi, lo_unpaired, hi_unpaired;
    (void)state;
    assert_int_equal(pd_bootstrap_paired_ratio(slow, fast, 5, 2000, 0.95, &r, &lo, &hi), 0);
    assert_near(r, 2.0, 1e-12);
    assert_near(lo, 2.0, 1e-12);
    assert_near(hi, 2.0, 1e-12);
    assert_int_equal(pd_bootstrap_ratio(slow, 5, fast, 5, 2000, 0.95, &lo_unpaired,
                                        &hi_unpaired), 0);
    assert_true(lo_unpaired < 1.6 && hi_unpaired > 2.5); /* the drift, kept */
    /* Pairs that disagree widen the interval around the median pair. */
    assert_int_equal(pd_bootstrap_paired_ratio(slow, noisy, 5, 2000, 0.95, &r, &lo, &hi), 0);
    assert_near(r, 2.0, 1e-12);
    assert_true(lo < 2.0 && hi > 2.0 && lo >= 4.0 / 2.2 && hi <= 2.0 / 0.9);
    assert_int_equal(pd_bootstrap_paired_ratio(slow, fast, 0, 2000, 0.95, &r, &lo, &hi), -1);
    assert_true(isnan(r) && isnan(lo) && isnan(hi));
}

/* Flags of samples (seconds per call) taken `loops` calls at a time. */
static unsigned flags_of(const double *x, size_t n, uint64_t loops) {
    pd_stats st;
    assert_int_equal(pd_stats_compute(x, n, &st), 0);
    return pd_instability(x, n, loops, &st);
}

static void test_instability_thresholds(void **state) {
    /* Tight, and each sample 2 ms long: nothing to warn about. */
    static const double stable[] = {2e-3, 2.02e-3, 1.98e-3, 2e-3, 2e-3};
    /* IQR 1.2 - 0.9 = 0.3 of a median of 1.0: over 10%. */
    static const double spread[] = {1.0, 1.3, 0.8, 1.2, 0.9};
    /* Either side of the 10% line: IQR 1.049 - 0.951 = 9.8% of the median,
     * and 1.051 - 0.949 = 10.2%. */
    static const double under_10[] = {1.0, 1.049, 0.951, 1.05, 0.95};
    static const double over_10[] = {1.0, 1.051, 0.949, 1.052, 0.948};
    /* Either side of the 50% line: one sample 49% and 51% above the median. */
    static const double near_outlier[] = {1.0, 1.0, 1.0, 1.0, 1.49};
    static const double outlier[] = {1.0, 1.0, 1.0, 1.0, 1.51};
    (void)state;
    assert_int_equal(flags_of(stable, 5, 1), 0);
    assert_int_equal(flags_of(spread, 5, 1), PD_UNSTABLE_SPREAD);
    assert_int_equal(flags_of(under_10, 5, 1), 0);
    assert_int_equal(flags_of(over_10, 5, 1), PD_UNSTABLE_SPREAD);
    assert_int_equal(flags_of(near_outlier, 5, 1), 0);
    assert_int_equal(flags_of(outlier, 5, 1), PD_UNSTABLE_OUTLIER);
    /* The same tight samples at 2 µs per call: 100 calls make 0.2 ms
     * samples, too short; 1000 calls make 2 ms ones. */
    {
        double shortx[5];
        for (size_t i = 0; i < 5; i++) shortx[i] = stable[i] / 1000;
        assert_int_equal(flags_of(shortx, 5, 100), PD_UNSTABLE_SHORT);
        assert_int_equal(flags_of(shortx, 5, 1000), 0);
    }
    assert_string_equal(pd_instability_word(PD_UNSTABLE_SPREAD),
                        "spread (IQR) over 10% of the median");
    assert_string_equal(pd_instability_word(PD_UNSTABLE_OUTLIER),
                        "a sample more than 50% away from the median");
    assert_string_equal(pd_instability_word(PD_UNSTABLE_SHORT), "samples shorter than 1 ms");
}

/* Expected values from scipy.stats.mannwhitneyu (scipy 1.10.1,
 * method="auto", two-sided), run by hand on the same samples. */
typedef struct mw_case {
    const char *name;
    double a[10], b[10];
    size_t na, nb;
    double u, p;
} mw_case;

static const mw_case mw_cases[] = {
    {"separated, exact", {1.0, 2.1, 3.2, 4.3, 5.4}, {6.0, 7.5, 8.1, 9.9, 10.2}, 5, 5,
     0.0, 0.007936507936507936},
    {"interleaved, exact", {1.0, 1.2, 1.1, 1.3, 1.25}, {1.15, 1.22, 1.05, 1.31, 1.28}, 5, 5,
     10.0, 0.6904761904761905},
    {"nine each with ties, normal", {0.10, 0.11, 0.12, 0.105, 0.115, 0.12, 0.13, 0.118, 0.109},
     {0.12, 0.13, 0.14, 0.125, 0.135, 0.14, 0.15, 0.138, 0.129}, 9, 9,
     4.5, 0.0016638403653221154},
    {"small with ties, normal", {1, 2, 2, 3, 3, 3, 4}, {3, 4, 4, 5, 5, 6, 7}, 7, 7,
     3.5, 0.007659988586736321},
};

static void test_mann_whitney_matches_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mw_cases / sizeof *mw_cases; i++) {
        const mw_case *c = &mw_cases[i];
        double u, p;
        assert_int_equal(pd_mann_whitney(c->a, c->na, c->b, c->nb, &u, &p), 0);
        if (fabs(u - c->u) > 1e-12 || fabs(p - c->p) > 1e-9 * c->p)
            fail_msg("%s: U %g p %.17g, scipy says U %g p %.17g", c->name, u, p, c->u, c->p);
    }
}

static void test_mann_whitney_min_p(void **state)
{
    double same[] = {1, 1, 1}, u, p;
    (void)state;
    /* Five samples a run cannot reach p < 0.002; seven can. */
    assert_true(fabs(pd_mann_whitney_min_p(5, 5) - 2.0 / 252) < 1e-15);
    assert_true(pd_mann_whitney_min_p(6, 6) > 0.002);
    assert_true(pd_mann_whitney_min_p(7, 7) < 0.002);
    assert_true(pd_mann_whitney_min_p(3, 15) > 0.002); /* C(18, 3) = 816 */
    assert_true(pd_mann_whitney_min_p(3, 25) < 0.002);
    assert_int_equal(pd_mann_whitney(same, 3, same, 3, &u, &p), 0);
    assert_true(p == 1.0);
    assert_int_equal(pd_mann_whitney(same, 0, same, 3, &u, &p), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile_even_n),
        cmocka_unit_test(test_percentile_odd_n_unsorted),
        cmocka_unit_test(test_percentile_fractions),
        cmocka_unit_test(test_percentile_single_value),
        cmocka_unit_test(test_percentile_thousands),
        cmocka_unit_test(test_percentile_leaves_input_alone),
        cmocka_unit_test(test_percentile_undefined),
        cmocka_unit_test(test_stats_compute),
        cmocka_unit_test(test_stats_compute_thousands),
        cmocka_unit_test(test_stats_compute_empty),
        cmocka_unit_test(test_fit_exact_power_law),
        cmocka_unit_test(test_fit_linear_and_sublinear),
        cmocka_unit_test(test_fit_noisy),
        cmocka_unit_test(test_fit_skips_nonpositive),
        cmocka_unit_test(test_fit_rejects_too_few),
        cmocka_unit_test(test_fit_constant),
        cmocka_unit_test(test_fit_predict),
        cmocka_unit_test_setup_teardown(test_clock_reads_monotonic_ns, fake_clock_on,
                                        fake_clock_off),
        cmocka_unit_test_setup_teardown(test_clock_step, fake_clock_on, fake_clock_off),
        cmocka_unit_test(test_real_clock),
        cmocka_unit_test(test_bootstrap_exact_ratio),
        cmocka_unit_test(test_bootstrap_overlap_holds_one),
        cmocka_unit_test(test_bootstrap_separated_excludes_one),
        cmocka_unit_test(test_bootstrap_rejects),
        cmocka_unit_test(test_paired_ratio_cancels_drift),
        cmocka_unit_test(test_instability_thresholds),
        cmocka_unit_test(test_mann_whitney_matches_scipy),
        cmocka_unit_test(test_mann_whitney_min_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
