#ifndef PDLAB_STATS_H
#define PDLAB_STATS_H
/* Summary statistics of timing samples, and the growth fit across sizes. */

#include <stddef.h>

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

#endif
