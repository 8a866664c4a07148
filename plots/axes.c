/* Log axes labelled in units people read ("1.5 ms", "4 KiB"), with tics
 * on round values of the unit's own base: powers of ten for time and
 * ratios, of 1024 for bytes. See plots/plot_int.h. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

/* "1.50 ms" -> "1.5 ms", "4.0 KiB" -> "4 KiB": a tic label needs no
 * trailing zeros. */
static void strip_zeros(char *s)
{
    char *dot = strchr(s, '.'), *end;

    if (!dot) return;
    end = dot + 1;
    while (*end >= '0' && *end <= '9') end++;
    char *z = end;
    while (z > dot + 1 && z[-1] == '0') z--;
    if (z == dot + 1) z = dot;
    memmove(z, end, strlen(end) + 1);
}

/* Tic sequences from coarse to fine: mantissas within one step of base. */
typedef struct tic_seq {
    double base;
    const double *mant;
    size_t nmant;
} tic_seq;

static const double dec1[] = {1}, dec2[] = {1, 3}, dec3[] = {1, 2, 5},
                    dec4[] = {1, 1.5, 2, 3, 4, 5, 7};
static const double bin1[] = {1}, bin2[] = {1, 32},
                    bin3[] = {1, 4, 16, 64, 256},
                    bin4[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
                    bin5[] = {1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64,
                              96, 128, 192, 256, 384, 512, 768};
#define SEQ(b, m) {b, m, sizeof m / sizeof m[0]}
static const tic_seq decimal_seqs[] = {SEQ(10, dec1), SEQ(10, dec2),
                                       SEQ(10, dec3), SEQ(10, dec4)};
static const tic_seq binary_seqs[] = {SEQ(1024, bin1), SEQ(1024, bin2),
                                      SEQ(1024, bin3), SEQ(1024, bin4),
                                      SEQ(1024, bin5)};

/* The tic values of seq in [lo, hi], into out (at most max); returns how
 * many. With outer set, also the nearest one below lo and above hi. */
static size_t seq_tics(const tic_seq *seq, double lo, double hi, int outer,
                       double *out, size_t max)
{
    int k0 = (int)floor(log(lo) / log(seq->base)) - 1;
    int k1 = (int)ceil(log(hi) / log(seq->base)) + 1;
    double below = NAN;
    size_t n = 0;

    for (int k = k0; k <= k1; k++) {
        for (size_t m = 0; m < seq->nmant; m++) {
            double v = seq->mant[m] * pow(seq->base, k);
            int after = n > 0 && out[n - 1] > hi * (1 + 1e-9);
            if (v < lo * (1 - 1e-9)) below = v;
            else if (n < max && (v <= hi * (1 + 1e-9) || (outer && !after))) {
                if (n == 0 && outer && !isnan(below)) out[n++] = below;
                if (n < max) out[n++] = v;
            }
        }
    }
    return n;
}

void pd_axis_pad(double dmin, double dmax, double *rmin, double *rmax)
{
    double pad;

    if (!(dmin > 0) || !(dmax >= dmin) || isinf(dmax)) dmin = dmax = 1;
    pad = fmax(1.25, pow(dmax / dmin, 0.06));
    *rmin = dmin / pad;
    *rmax = dmax * pad;
}

/* The widest range an axis gets (fmax and fmin also replace a NaN): far
 * beyond any measurement, and within what gnuplot draws on a log axis. */
#define TIC_MIN 1e-100
#define TIC_MAX 1e100

void pd_axis_clamp(double *rmin, double *rmax)
{
    *rmin = fmin(fmax(*rmin, TIC_MIN), TIC_MAX);
    *rmax = fmin(fmax(*rmax, *rmin), TIC_MAX);
}

/* The coarsest sequence that puts at least four tics on the axis. */
void pd_axis_log_tics(pd_buf *b, char axis, int binary, pd_fmt_fn fmt,
                      double *rmin, double *rmax)
{
    const tic_seq *seqs = binary ? binary_seqs : decimal_seqs;
    size_t nseqs = binary ? sizeof binary_seqs / sizeof binary_seqs[0]
                          : sizeof decimal_seqs / sizeof decimal_seqs[0];
    double tics[64];
    size_t n = 0;

    /* The tic arithmetic takes logarithms and casts them to int: a range
     * reaching infinity (a speedup of 1e308 in a results.json, padded)
     * would make that cast undefined. Such a range is brought within what
     * a double spans. */
    pd_axis_clamp(rmin, rmax);
    for (size_t s = 0; s < nseqs; s++) {
        n = seq_tics(&seqs[s], *rmin, *rmax, 0, tics, 64);
        if (n >= 4) break;
    }
    if (n < 2) {
        n = seq_tics(&seqs[nseqs - 1], *rmin, *rmax, 1, tics, 64);
        if (n == 0) PD_BUG("no tic around [%g, %g]", *rmin, *rmax);
        *rmin = fmin(*rmin, tics[0]);
        *rmax = fmax(*rmax, tics[n - 1]);
    }
    pd_buf_printf(b, "set %ctics (", axis);
    for (size_t i = 0; i < n; i++) {
        char label[64];
        fmt(tics[i], label, sizeof label);
        strip_zeros(label);
        if (i) pd_buf_puts(b, ", ");
        pd_gp_quote_tic(b, label);
        pd_buf_puts(b, " ");
        pd_gp_num(b, tics[i]);
    }
    pd_buf_puts(b, ")\n");
}

const char *pd_fmt_n(double x, char *buf, size_t size)
{
    return pd_fmt_count((unsigned long long)llround(x), buf, size);
}

