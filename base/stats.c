/* Summary statistics and the growth fit: see include/pdlab/stats.h.
 *
 * Percentiles reproduce numpy's default method ("linear", Hyndman & Fan
 * type 7) operation for operation, so a figure in our report matches what
 * np.percentile gives on the same samples, to the last bit. */

#include "pdlab/alloc.h"
#include "pdlab/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h" /* pd_xcalloc */

/* ------------------------------------------------------------------------
 * Percentiles
 * ---------------------------------------------------------------------- */

/* Ascending, NaN last: qsort needs a total order, and numpy also sorts NaN
 * to the end, which is how it notices them. */
static int cmp_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;

    if (isnan(a) || isnan(b)) return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

/* Sorted copy of x; caller frees. */
static double *sorted_copy(const double *x, size_t n) {
    double *s = pd_xcalloc(n, sizeof(*s));

    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    return s;
}

/* numpy's _lerp(): from whichever end is nearer, so that t == 1 yields b
 * exactly and the result stays monotonic in t. */
static double lerp(double a, double b, double t) {
    double d = b - a;
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

/* Percentile p of n >= 1 sorted values (numpy's _quantile, method linear). */
static double percentile_sorted(const double *s, size_t n, double p) {
    double q, v, lo;
    size_t i;

    if (!(p >= 0.0 && p <= 100.0)) return NAN; /* also catches NaN p */
    if (isnan(s[n - 1])) return NAN;           /* numpy propagates NaN */
    q = p / 100.0; /* numpy divides first; (n-1)*p/100 can round apart */
    v = (double)(n - 1) * q;
    if (v >= (double)(n - 1)) return s[n - 1];
    lo = floor(v);
    i = (size_t)lo;
    return lerp(s[i], s[i + 1], v - lo);
}

double pd_percentile(const double *x, size_t n, double p) {
    double *s, r;

    if (n == 0) return NAN;
    s = sorted_copy(x, n); /* x belongs to the caller: never reorder it */
    r = percentile_sorted(s, n, p);
    free(s);
    return r;
}

int pd_stats_compute(const double *x, size_t n, pd_stats *out) {
    double *s, sum = 0.0;

    if (n == 0) return -1;
    s = sorted_copy(x, n); /* one sort serves every percentile */
    for (size_t i = 0; i < n; i++) sum += s[i];
    out->n = n;
    out->min = s[0];
    out->max = s[n - 1];
    out->q1 = percentile_sorted(s, n, 25.0);
    out->median = percentile_sorted(s, n, 50.0);
    out->q3 = percentile_sorted(s, n, 75.0);
    out->iqr = out->q3 - out->q1;
    out->mean = sum / (double)n;
    free(s);
    return 0;
}

/* ------------------------------------------------------------------------
 * Growth fit on log-log axes
 * ---------------------------------------------------------------------- */

int pd_fit_loglog(const double *x, const double *y, size_t n, pd_fit *out) {
    double sx = 0, sy = 0, mx, my, sxx = 0, sxy = 0, syy = 0;
    double x0 = 0, y0 = 0;
    int x_varies = 0, y_varies = 0;
    size_t m = 0;

    /* Means of the usable points. Whether x and y vary is decided on the raw
     * values: sums of logs of equal numbers need not cancel exactly, and a
     * spread of 1e-17 must not pass for a slope. */
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0.0 && y[i] > 0.0)) continue; /* no log; NaN too */
        if (m == 0) {
            x0 = x[i];
            y0 = y[i];
        }
        x_varies |= x[i] != x0;
        y_varies |= y[i] != y0;
        sx += log(x[i]);
        sy += log(y[i]);
        m++;
    }
    out->points = m;
    if (m < 2 || !x_varies) {
        out->exponent = out->log_coef = out->r2 = NAN;
        return -1;
    }
    mx = sx / (double)m;
    my = sy / (double)m;

    /* Centred second pass: the one-pass formula loses every digit when
     * ln x is large and its spread small. */
    for (size_t i = 0; i < n; i++) {
        double dx, dy;
        if (!(x[i] > 0.0 && y[i] > 0.0)) continue;
        dx = log(x[i]) - mx;
        dy = log(y[i]) - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }

    if (!y_varies) {
        /* Constant time (an O(1) operation): a flat line, fitted exactly. */
        out->exponent = 0.0;
        out->log_coef = log(y0);
        out->r2 = 1.0;
        return 0;
    }
    out->exponent = sxy / sxx;
    out->log_coef = my - out->exponent * mx;
    /* For a straight-line fit R^2 is the squared correlation; rounding can
     * nudge it past 1. */
    out->r2 = fmin(1.0, sxy * sxy / (sxx * syy));
    return 0;
}

double pd_fit_predict(const pd_fit *f, double x) {
    /* The fit lives on log axes: it says nothing at or below zero. */
    if (!(x > 0.0)) return NAN;
    return exp(f->log_coef + f->exponent * log(x));
}

/* ------------------------------------------------------------------------
 * Bootstrap interval of a ratio of medians
 * ---------------------------------------------------------------------- */

/* xorshift64*: the resampling must repeat exactly from run to run, so a
 * report never changes its verdict between two renderings of one run. */
static uint64_t next_random(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* Median of a resample (with replacement) of x, using scratch of size n. */
static double resampled_median(const double *x, size_t n, double *scratch, uint64_t *rng) {
    for (size_t i = 0; i < n; i++) scratch[i] = x[next_random(rng) % n];
    qsort(scratch, n, sizeof(*scratch), cmp_double);
    return percentile_sorted(scratch, n, 50.0);
}

int pd_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
                       int rounds, double level, double *lo, double *hi) {
    double *ratios, *scratch;
    uint64_t rng = 0x9E3779B97F4A7C15ULL;

    *lo = *hi = NAN;
    if (na == 0 || nb == 0 || rounds < 10 || !(level > 0 && level < 1)) return -1;
    ratios = pd_xcalloc((size_t)rounds, sizeof(*ratios));
    scratch = pd_xcalloc(na > nb ? na : nb, sizeof(*scratch));
    for (int r = 0; r < rounds; r++) {
        double ma = resampled_median(a, na, scratch, &rng);
        double mb = resampled_median(b, nb, scratch, &rng);
        ratios[r] = ma / mb;
    }
    *lo = pd_percentile(ratios, (size_t)rounds, 100.0 * (1.0 - level) / 2.0);
    *hi = pd_percentile(ratios, (size_t)rounds, 100.0 * (1.0 + level) / 2.0);
    free(scratch);
    free(ratios);
    return 0;
}

int pd_bootstrap_paired_ratio(const double *a, const double *b, size_t n, int rounds,
                              double level, double *ratio, double *lo, double *hi) {
    double *pairs, *medians, *scratch;
    uint64_t rng = 0x9E3779B97F4A7C15ULL;

    *ratio = *lo = *hi = NAN;
    if (n == 0 || rounds < 10 || !(level > 0 && level < 1)) return -1;
    pairs = pd_xcalloc(n, sizeof(*pairs));
    for (size_t i = 0; i < n; i++) pairs[i] = a[i] / b[i];
    *ratio = pd_percentile(pairs, n, 50.0);
    medians = pd_xcalloc((size_t)rounds, sizeof(*medians));
    scratch = pd_xcalloc(n, sizeof(*scratch));
    /* Whole pairs are resampled: what a round shared stays together. */
    for (int r = 0; r < rounds; r++) medians[r] = resampled_median(pairs, n, scratch, &rng);
    *lo = pd_percentile(medians, (size_t)rounds, 100.0 * (1.0 - level) / 2.0);
    *hi = pd_percentile(medians, (size_t)rounds, 100.0 * (1.0 + level) / 2.0);
    free(scratch);
    free(medians);
    free(pairs);
    return 0;
}

/* ------------------------------------------------------------------------
 * Instability, pyperf's checks
 * ---------------------------------------------------------------------- */

unsigned pd_instability(const double *samples, size_t n, uint64_t loops, const pd_stats *st) {
    unsigned flags = 0;

    if (n == 0 || !(st->median > 0)) return 0;
    if (st->iqr > PD_UNSTABLE_SPREAD_SHARE * st->median) flags |= PD_UNSTABLE_SPREAD;
    for (size_t i = 0; i < n; i++)
        if (fabs(samples[i] - st->median) > PD_UNSTABLE_OUTLIER_SHARE * st->median)
            flags |= PD_UNSTABLE_OUTLIER;
    /* A sample is `loops` calls; under a millisecond the clock's granularity
     * and scheduler noise are no longer small beside it. */
    if (st->min * (double)(loops ? loops : 1) < PD_UNSTABLE_SHORT_S) flags |= PD_UNSTABLE_SHORT;
    return flags;
}

const char *pd_instability_word(unsigned flag) {
    switch (flag) {
    case PD_UNSTABLE_SPREAD: return "spread (IQR) over 10% of the median";
    case PD_UNSTABLE_OUTLIER: return "a sample more than 50% away from the median";
    case PD_UNSTABLE_SHORT: return "samples shorter than 1 ms";
    }
    return "unknown";
}

int pd_wilson_interval(uint64_t hits, uint64_t trials, double z, double *lo, double *hi)
{
    double n = (double)trials, p, z2n, centre, half;

    *lo = *hi = NAN;
    if (trials == 0 || hits > trials)
        return -1;
    p = (double)hits / n;
    z2n = z * z / n;
    centre = (p + z2n / 2) / (1 + z2n);
    half = z / (1 + z2n) * sqrt(p * (1 - p) / n + z2n / (4 * n));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
    return 0;
}
/* ------------------------------------------------------------------------
 * Mann-Whitney U
 * ---------------------------------------------------------------------- */

/* Sizes up to which the exact distribution is used, as scipy's "auto". */
#define MW_EXACT_BELOW 8

/* Midranks of a and b pooled (ties share the mean of their ranks): the sum
 * of a's ranks into *ra, and sum(t^3 - t) over tie groups into *ties. */
static void mw_ranks(const double *a, size_t na, const double *b, size_t nb,
                     double *ra, double *ties)
{
    size_t n = na + nb;
    double *all = pd_xcalloc(n, sizeof *all);
    double *s;

    memcpy(all, a, na * sizeof *all);
    memcpy(all + na, b, nb * sizeof *all);
    s = sorted_copy(all, n);
    *ra = 0;
    *ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] == s[i]) j++;
        double t = (double)(j - i), rank = (double)(i + j + 1) / 2.0;
        for (size_t k = 0; k < na; k++)
            if (a[k] == s[i]) *ra += rank;
        *ties += t * t * t - t;
        i = j;
    }
    free(s);
    free(all);
}

/* P(U >= u) under the null, exactly: the count of rank arrangements with
 * each U, built up one value at a time (f[m][n][u] = f[m-1][n][u-n] +
 * f[m][n-1][u]), over C(m + n, m). */
static double mw_exact_sf(size_t m, size_t n, double u)
{
    size_t umax = m * n;
    double *prev = pd_xcalloc((n + 1) * (umax + 1), sizeof *prev);
    double *cur = pd_xcalloc((n + 1) * (umax + 1), sizeof *cur);
    double total = 0, above = 0;

#define F(t, j, k) (t)[(j) * (umax + 1) + (k)]
    for (size_t j = 0; j <= n; j++) F(prev, j, 0) = 1; /* m = 0 */
    for (size_t i = 1; i <= m; i++) {
        memset(cur, 0, (n + 1) * (umax + 1) * sizeof *cur);
        F(cur, 0, 0) = 1;
        for (size_t j = 1; j <= n; j++)
            for (size_t k = 0; k <= i * j; k++)
                F(cur, j, k) = (k >= j ? F(prev, j, k - j) : 0) + F(cur, j - 1, k);
        double *t = prev; prev = cur; cur = t;
    }
    for (size_t k = 0; k <= umax; k++) {
        total += F(prev, n, k);
        if ((double)k >= u) above += F(prev, n, k);
    }
#undef F
    free(prev);
    free(cur);
    return above / total;
}

int pd_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                    double *u, double *p)
{
    double ra, ties, u1, u2, big, n = (double)(na + nb), mu, sd;

    *u = *p = NAN;
    if (na == 0 || nb == 0) return -1;
    mw_ranks(a, na, b, nb, &ra, &ties);
    u1 = ra - (double)na * (double)(na + 1) / 2.0;
    u2 = (double)na * (double)nb - u1;
    big = u1 > u2 ? u1 : u2;
    *u = u1;
    if ((na < MW_EXACT_BELOW || nb < MW_EXACT_BELOW) && ties == 0) {
        *p = 2.0 * mw_exact_sf(na, nb, big);
    } else {
        mu = (double)na * (double)nb / 2.0;
        sd = sqrt((double)na * (double)nb / 12.0 * ((n + 1) - ties / (n * (n - 1))));
        /* All values equal: no evidence either way. */
        *p = sd > 0 ? erfc((big - mu - 0.5) / sd / sqrt(2.0)) : 1.0;
    }
    if (*p > 1) *p = 1;
    return 0;
}

double pd_mann_whitney_min_p(size_t na, size_t nb)
{
    double c = 1;
    for (size_t k = 1; k <= na; k++) c = c * (double)(nb + k) / (double)k;
    return na && nb ? 2.0 / c : 1.0;
}
