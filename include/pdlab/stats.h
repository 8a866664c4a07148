#ifndef PDLAB_STATS_H
#define PDLAB_STATS_H
/* Summary statistics of timing samples, and the growth fit across sizes. */

#include <stddef.h>
#include <stdint.h>

typedef struct pd_stats {
    size_t n;       /* number of samples summarized */
    double min, max;
    double q1;      /* 25th percentile, linear interpolation (numpy default) */
    double median;
    double q3;      /* 75th percentile */
    double iqr;     /* q3 - q1 */
    double mean;
} pd_stats;

/* Percentile p in [0, 100] of n values, linear interpolation between closest
 * ranks. Does not modify x. Returns NAN when n == 0. */
double pd_percentile(const double *x, size_t n, double p);

/* Fills *out from n samples. Returns -1 when n == 0, else 0. */
int pd_stats_compute(const double *x, size_t n, pd_stats *out);

/* y = c * n^exponent fitted by least squares on log-log axes. */
typedef struct pd_fit {
    double exponent;  /* slope on log-log axes: 1 linear, 2 quadratic */
    double log_coef;  /* intercept: ln(c) */
    double r2;        /* coefficient of determination of the log-log fit */
    size_t points;    /* number of (n, y) pairs used (positive ones only) */
} pd_fit;

/* Fits the pairs with x > 0 and y > 0. Returns -1 when fewer than two such
 * pairs with distinct x exist. */
int pd_fit_loglog(const double *x, const double *y, size_t n, pd_fit *out);

/* Value of the fit at x. */
double pd_fit_predict(const pd_fit *f, double x);

/* Interval of median(a) / median(b) at confidence `level` (0.95) by a
 * percentile bootstrap over `rounds` resamples of each; deterministic. A
 * speedup is a ratio of two noisy numbers: when its interval holds 1 there
 * is no measurable difference. -1 (and NANs) when it cannot be computed. */
int pd_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
                       int rounds, double level, double *lo, double *hi);

/* For samples taken in pairs, a[i] and b[i] in the same moment (rounds that
 * time one call of each in turn): the median of the per-pair ratios
 * a[i] / b[i], and its interval at `level` by a percentile bootstrap over
 * whole pairs; deterministic. A machine that slows down for a few seconds
 * slows both calls of a pair alike, so the drift cancels in each ratio
 * where the unpaired ratio of medians keeps it. -1 (and NANs) when n is 0. */
int pd_bootstrap_paired_ratio(const double *a, const double *b, size_t n, int rounds,
                              double level, double *ratio, double *lo, double *hi);

/* The Wilson score interval of a proportion, hits of trials, at the
 * normal quantile z (1.96 for 95%): unlike the textbook p +- z*se it stays
 * inside [0, 1] and is honest for rates near 0 or 1 and small trials. -1
 * (and NANs) when trials is 0. */
int pd_wilson_interval(uint64_t hits, uint64_t trials, double z, double *lo, double *hi);
/* Mann-Whitney U test, two-sided: whether samples a and b come from
 * distributions where one tends to be larger, without assuming any shape
 * (timings are skewed). As scipy.stats.mannwhitneyu(method="auto"): the
 * exact distribution of U when a sample has fewer than 8 values and there
 * are no ties, else the normal approximation with tie and continuity
 * corrections. *u is U of a. -1 (and NANs) when a sample is empty. */
int pd_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                    double *u, double *p);

/* The smallest two-sided p the test can give for samples of na and nb
 * values (exact, no ties): 2 / C(na + nb, na). Below a threshold, two runs
 * have too few samples to tell a change from noise. */
double pd_mann_whitney_min_p(size_t na, size_t nb);

/* pyperf's instability checks on timing samples (seconds per call, each
 * sample `loops` calls long). Returns a set of PD_UNSTABLE_* flags. */
#define PD_UNSTABLE_SPREAD_SHARE 0.10
#define PD_UNSTABLE_OUTLIER_SHARE 0.50
#define PD_UNSTABLE_SHORT_S 0.001
enum {
    PD_UNSTABLE_SPREAD = 1,   /* IQR over 10% of the median */
    PD_UNSTABLE_OUTLIER = 2,  /* a sample over 50% away from the median */
    PD_UNSTABLE_SHORT = 4,    /* a sample shorter than 1 ms */
};
#define PD_UNSTABLE_ALL 7u
unsigned pd_instability(const double *samples, size_t n, uint64_t loops,
                        const pd_stats *st);
/* What one flag means, in words (static). */
const char *pd_instability_word(unsigned flag);

#endif
