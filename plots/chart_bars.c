/* Horizontal bars on a log axis: a lesson's speedups, the overview of all
 * lessons, the ratios between two runs. See plots/plot_int.h; the look is
 * plots/bars.gp. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define NAME_WIDTH 30      /* a tick label longer than this is cut */
#define LABEL_WIDTH 64     /* a label at a bar's end, likewise */
#define CHAR_PX 8.0   /* width of a character of the 11-point font, about */

/* Where the bars of a chart go. */
typedef struct bars_layout {
    double xmin, xmax;  /* the log axis */
    double vmax;        /* the largest value: no tics beyond the next */
    double from;        /* where bars start */
    int lmargin;        /* characters left of the plot: names, headers */
    int has_extrap, has_interval;
    size_t ngroups;
} bars_layout;

/* Pixels the label of row r takes, with its offset from the bar. */
static double label_px(const pd_bar *r)
{
    char *label = pd_shorten(r->label, LABEL_WIDTH);
    double w = pd_utf8_width(label) * CHAR_PX + 14;
    free(label);
    return w;
}

/* Where row r's label starts: right of its bar (or its interval, or the
 * base line), or at the bars' start in an empty slot. */
static double label_x(const pd_bar *r, const bars_layout *L, double base)
{
    double lx;

    if (!(isfinite(r->value) && r->value > 0)) return L->from;
    lx = r->value;
    if (isfinite(r->hi) && r->hi > lx) lx = r->hi;
    if (isfinite(base) && base > lx) lx = base;
    return lx;
}

/* The x range holds every value, starts at or below 1x (so a bar's length
 * is its ratio) and leaves room on the right for every label: the span is
 * widened until the longest label, placed after the furthest bar, ends
 * inside the plot. */
static void layout_bars(const pd_bar_chart *c, bars_layout *L)
{
    double vmin = 1, vmax = 1, plot_px, span;
    size_t name_w = 0;

    memset(L, 0, sizeof *L);
    for (size_t i = 0; i < c->nrows; i++) {
        const pd_bar *r = &c->rows[i];
        double xs[3] = {r->value, r->lo, r->hi};
        char *s = pd_shorten(r->name ? r->name : r->label, NAME_WIDTH);
        size_t w = pd_utf8_width(s) + (r->name ? 0 : pd_utf8_width(s) / 8 + 1);

        free(s);
        name_w = w > name_w ? w : name_w; /* headers are bold: wider */
        if (!r->name) {
            L->ngroups++;
            continue;
        }
        for (int j = 0; j < 3; j++) {
            if (isfinite(xs[j]) && xs[j] > 0) {
                vmin = fmin(vmin, xs[j]);
                vmax = fmax(vmax, xs[j]);
            }
        }
        L->has_extrap |= r->hatched && isfinite(r->value);
        L->has_interval |= isfinite(r->lo) && isfinite(r->hi);
    }
    L->lmargin = (int)name_w + 3;
    L->xmin = vmin / (isfinite(c->base) ? 1.6 : 2);
    L->from = isfinite(c->base) ? c->base : L->xmin;
    if (vmax < L->xmin * 4) vmax = L->xmin * 4;
    L->vmax = vmax;
    plot_px = PD_CHART_W - L->lmargin * CHAR_PX - 40;
    span = log(vmax) - log(L->xmin);
    /* A label starting at a share a/span of the width must end inside:
     * a/span * plot_px + w <= plot_px, so span >= a * plot_px / (plot_px - w). */
    for (size_t i = 0; i < c->nrows; i++) {
        const pd_bar *r = &c->rows[i];
        double a, room;
        if (!r->name || !r->label || !*r->label) continue;
        a = log(label_x(r, L, c->base)) - log(L->xmin);
        room = plot_px * 0.98 - label_px(r);
        if (room > plot_px * 0.2) span = fmax(span, a * plot_px / room);
    }
    L->xmax = L->xmin * exp(span);
}


/* The script's variables for the axis and the frame. */
static void bars_frame(pd_buf *vars, const pd_bar_chart *c, bars_layout *L)
{
    double tmin, tmax;
    size_t nrows = c->nrows ? c->nrows : 1;
    int title_lines = pd_gp_title(vars, c->title);

    pd_buf_printf(vars, "chart_w = %d\nchart_h = %d\n", PD_CHART_W,
                  (int)(120 + 20 * title_lines + 30 * c->nrows
                        + (L->has_extrap || L->has_interval ? 46 : 0)));
    pd_buf_puts(vars, "xlabel_text = ");
    pd_gp_quote(vars, c->xlabel);
    pd_buf_printf(vars, "\nnrows = %zu\nngroups = %zu\nlmargin_chars = %d\n",
                  c->nrows, L->ngroups, L->lmargin);
    /* Tics up to the first one past the longest bar: beyond it the axis
     * only makes room for labels. */
    pd_axis_clamp(&L->xmin, &L->xmax);
    tmin = L->xmin;
    tmax = fmin(L->xmax, L->vmax * 1.5);
    pd_axis_log_tics(vars, 'x', 0, pd_fmt_ratio, &tmin, &tmax);
    pd_buf_puts(vars, "xmin = ");
    pd_gp_num(vars, L->xmin);
    pd_buf_puts(vars, "\nxmax = ");
    pd_gp_num(vars, L->xmax);
    pd_buf_puts(vars, "\nbase_line = ");
    pd_gp_num(vars, c->base);
    pd_buf_printf(vars, "\nhas_extrap = %d\nhas_interval = %d\n", L->has_extrap,
                  L->has_interval);
    /* gnuplot arrays cannot be empty. */
    pd_buf_printf(vars, "array row_name[%zu]\narray row_label[%zu]\narray row_x[%zu]\n"
                  "array row_note[%zu]\narray group_name[%zu]\narray group_y[%zu]\n",
                  nrows, nrows, nrows, nrows,
                  L->ngroups ? L->ngroups : 1, L->ngroups ? L->ngroups : 1);
}

/* Row y: its name as a tic (gnuplot reads tics as formats), its label, and
 * either a group header or a data line "y from to lo hi linetype label_x
 * note fill". */
static void bars_row(pd_buf *vars, pd_buf *data, const pd_bar_chart *c,
                     const bars_layout *L, size_t i, size_t *group)
{
    const pd_bar *r = &c->rows[i];
    size_t y = i + 1;
    char *name = pd_shorten(r->name ? r->name : "", NAME_WIDTH);
    char *label = pd_shorten(r->label, LABEL_WIDTH);
    int bar = isfinite(r->value) && r->value > 0;
    double nums[4] = {bar ? L->from : NAN, bar ? r->value : NAN,
                      bar ? r->lo : NAN, bar ? r->hi : NAN};

    pd_buf_printf(vars, "row_name[%zu] = ", y);
    pd_gp_quote_tic(vars, name);
    pd_buf_printf(vars, "\nrow_label[%zu] = ", y);
    pd_gp_quote(vars, r->name ? label : "");
    pd_buf_printf(vars, "\nrow_note[%zu] = %d\nrow_x[%zu] = ", y, !bar, y);
    pd_gp_num(vars, r->name && label[0] ? label_x(r, L, c->base) : NAN);
    pd_buf_puts(vars, "\n");
    if (!r->name) {
        ++*group;
        pd_buf_printf(vars, "group_name[%zu] = ", *group);
        pd_gp_quote(vars, label);
        pd_buf_printf(vars, "\ngroup_y[%zu] = %zu\n", *group, y);
    } else {
        pd_buf_printf(data, "%zu", y);
        for (int k = 0; k < 4; k++) {
            pd_buf_puts(data, " ");
            pd_gp_num(data, nums[k]);
        }
        pd_buf_printf(data, " %d ", r->linetype > 0 ? r->linetype : 1);
        pd_gp_num(data, label[0] ? label_x(r, L, c->base) : NAN);
        pd_buf_printf(data, " %d %d\n", !bar, bar ? (r->hatched ? 2 : 1) : 0);
    }
    free(name);
    free(label);
}

int pd_plot_bars(const char *gnuplot, const char *charts_dir,
                 const pd_bar_chart *c, FILE *listing, pd_err *e)
{
    pd_buf vars = {0}, data = {0};
    bars_layout L;
    size_t group = 0;
    int rc;

    layout_bars(c, &L);
    bars_frame(&vars, c, &L);
    for (size_t i = 0; i < c->nrows; i++)
        bars_row(&vars, &data, c, &L, i, &group);
    /* A line no clause draws: gnuplot 5.4.4 crashes (SIGSEGV) on a "with
     * labels" plot of a one-line file in which no point is valid, as the
     * notes of a chart with a single bar would be. */
    pd_buf_puts(&data, "1 NaN NaN NaN NaN 1 NaN -1 0\n");
    rc = pd_gp_draw(gnuplot, charts_dir, c->stem, &vars, pd_gp_bars, &data,
                    listing, e);
    pd_buf_free(&vars);
    pd_buf_free(&data);
    return rc;
}
