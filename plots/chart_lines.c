/* A measure against n, log-log: the time per call of each variant (IQR
 * bars, extrapolated points dotted), or its peak memory. See
 * plots/plot_int.h; the look is plots/lines.gp.
 *
 * Memory keeps the winner visible. Resident memory grows in pages, so a
 * streaming variant's peak is often under one page: not zero, just below
 * what the resident set resolves. Such a point is drawn at the axis floor,
 * labelled "< 4 KiB", instead of vanishing from a log axis; and where the
 * resident set cannot resolve a variant but tracemalloc saw its Python
 * heap, that heap is charted beside it as its own, labelled series. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define KEY_WIDTH 34 /* a key entry longer than this is cut */

/* What a line chart draws, gathered from a lesson. */
typedef struct lines_data {
    pd_buf data;    /* blocks "n y lo hi", one per measured series; y -1
                       is a peak under a page, drawn at the floor */
    pd_buf extra;   /* the extrapolated series' blocks, drawn after */
    pd_buf heap;    /* the Python-heap series' blocks, drawn last */
    pd_buf arrays;  /* ser_title[i], ser_lt[i], extra_lt[j], heap_... */
    size_t nser, nextra, nheap;
    double xlo, xhi, ylo, yhi; /* the extent of the points at their value */
    int floor;      /* some point is at the floor */
    int fresh, shared; /* resident peaks measured alone / among others */
} lines_data;

/* Colour of a variant: its place in the declaration, the same in every
 * chart of a lesson. */
static int variant_linetype(size_t index)
{
    return (int)(index % 10) + 1;
}

/* Indexes of l->sizes in increasing n (written in that order, but a
 * hand-made file need not be). Caller frees. */
static size_t *sizes_by_n(const pd_lesson_result *l)
{
    size_t *idx = pd_xcalloc(l->nsizes, sizeof *idx);

    for (size_t i = 0; i < l->nsizes; i++) {
        size_t j = i;
        while (j > 0 && l->sizes[idx[j - 1]].n > l->sizes[i].n) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return idx;
}

/* One data line; the extent grows to hold it unless it is at the floor. */
static void add_point(lines_data *d, pd_buf *block, double n, double y,
                      double lo, double hi)
{
    pd_buf_printf(block, "%.9g %.9g %.9g %.9g\n", n, y, lo, hi);
    d->xlo = fmin(d->xlo, n);
    d->xhi = fmax(d->xhi, n);
    if (y < 0) {
        d->floor = 1;
        return;
    }
    d->ylo = fmin(d->ylo, lo);
    d->yhi = fmax(d->yhi, hi);
}

/* Appends a finished block to its series list, and its key entry. */
static void add_series(lines_data *d, pd_buf *to, const char *kind, size_t *count,
                       const pd_buf *block, const char *title, int lt)
{
    if (block->len == 0) return;
    ++*count;
    pd_buf_printf(to, "%s\n\n", block->s);
    if (title) {
        pd_buf_printf(&d->arrays, "%s_title[%zu] = ", kind, *count);
        pd_gp_quote(&d->arrays, title);
        pd_buf_puts(&d->arrays, "\n");
    }
    pd_buf_printf(&d->arrays, "%s_lt[%zu] = %d\n", kind, *count, lt);
}

/* Time: measured points with their IQR, then the extrapolated ones,
 * starting at the last measured point so the dotted line continues the
 * solid one. */
static void time_points(lines_data *d, const pd_lesson_result *l, const char *name,
                        const size_t *order, pd_buf *measured, pd_buf *extrap)
{
    double last_n = NAN, last_y = NAN;

    for (size_t k = 0; k < l->nsizes; k++) {
        const pd_size_result *s = &l->sizes[order[k]];
        const pd_variant_result *v = pd_size_variant(s, name);
        double n = (double)s->n, y = pd_variant_time(v);

        if (!(n > 0) || !v || !(y > 0)) continue;
        if (pd_variant_measured(v)) {
            double lo = v->stats.q1, hi = v->stats.q3;
            add_point(d, measured, n, y, lo > 0 && lo <= y ? lo : y, hi >= y ? hi : y);
            last_n = n;
            last_y = y;
        } else if (pd_variant_extrapolated(v)) {
            if (extrap->len == 0 && !isnan(last_n))
                add_point(d, extrap, last_n, last_y, last_y, last_y);
            add_point(d, extrap, n, y, y, y);
        }
    }
}

/* Memory: the resident peak of each correct call (-1 under a page), and
 * its Python heap wherever the resident set missed it at some size. */
static void memory_points(lines_data *d, const pd_lesson_result *l, const char *name,
                          const size_t *order, pd_buf *rss, pd_buf *heap)
{
    int unresolved = 0;

    for (size_t k = 0; k < l->nsizes; k++) {
        const pd_variant_result *v = pd_size_variant(&l->sizes[order[k]], name);
        double n = (double)l->sizes[order[k]].n, y;

        if (!v || v->status != PD_OK || v->peak_bytes < 0 || !(n > 0)) continue;
        y = v->peak_bytes < PD_PAGE_BYTES ? -1 : (double)v->peak_bytes;
        add_point(d, rss, n, y, y, y);
        unresolved |= y < 0 && v->py_peak_bytes > 0;
        d->fresh += v->peak_fresh != 0;
        d->shared += v->peak_fresh == 0;
    }
    for (size_t k = 0; unresolved && k < l->nsizes; k++) {
        const pd_variant_result *v = pd_size_variant(&l->sizes[order[k]], name);
        double n = (double)l->sizes[order[k]].n;
        if (v && v->status == PD_OK && v->py_peak_bytes > 0 && n > 0)
            add_point(d, heap, n, (double)v->py_peak_bytes,
                      (double)v->py_peak_bytes, (double)v->py_peak_bytes);
    }
}

/* The series of declared variant k. */
static void add_variant(lines_data *d, const pd_lesson_result *l, size_t k,
                        const size_t *order, int memory)
{
    const char *name = l->lesson.variants[k].name;
    const pd_growth *g = l->growth ? &l->growth[k] : NULL;
    double expo = !g ? NAN : memory ? (g->has_memory ? g->memory.exponent : NAN)
                                    : (g->has_time ? g->time.exponent : NAN);
    pd_buf points = {0}, other = {0};
    char *short_name = pd_shorten(name, KEY_WIDTH), *title, *heap_title;
    int lt = variant_linetype(k);

    if (memory) memory_points(d, l, name, order, &points, &other);
    else time_points(d, l, name, order, &points, &other);
    title = isfinite(expo) ? pd_strdup_printf("%s  n^%.1f", short_name, expo)
                           : pd_strdup(short_name);
    heap_title = pd_strdup_printf("%s: Python heap (tracemalloc)", short_name);
    add_series(d, &d->data, "ser", &d->nser, &points, title, lt);
    if (memory) add_series(d, &d->heap, "heap", &d->nheap, &other, heap_title, lt);
    else add_series(d, &d->extra, "extra", &d->nextra, &other, NULL, lt);
    free(heap_title);
    free(title);
    free(short_name);
    pd_buf_free(&points);
    pd_buf_free(&other);
}

/* x: tics at the measured sizes themselves, and a range around them. */
static void size_axis(pd_buf *vars, const pd_lesson_result *l, const size_t *order,
                      const lines_data *d)
{
    double lo = d->xlo, hi = d->xhi, pad;
    int first = 1;

    pd_buf_puts(vars, "set xtics (");
    for (size_t k = 0; k < l->nsizes; k++) {
        char label[32];
        double n = (double)l->sizes[order[k]].n;
        if (!(n > 0)) continue;
        if (!first) pd_buf_puts(vars, ", ");
        pd_gp_quote_tic(vars, pd_fmt_n(n, label, sizeof label));
        pd_buf_printf(vars, " %.9g", n);
        first = 0;
    }
    if (!(lo <= hi)) lo = hi = 1;
    pad = hi > lo ? 1.5 : 3;
    pd_buf_printf(vars, ")\nxmin = %.9g\nxmax = %.9g\n", lo / pad, hi * pad);
}

/* y: the values' range with tics in their unit; below it, for peaks under
 * a page, a floor labelled "RSS < 4 KiB" under a dotted break: a statement
 * about the resident set, whatever else (a Python-heap line) sits above it. */
static void value_axis(pd_buf *vars, const lines_data *d, int memory, double limit)
{
    double lo = d->ylo, hi = d->yhi, ymin, ymax, floor_y = NAN;

    if (!(lo <= hi)) lo = hi = memory ? PD_PAGE_BYTES : 1;
    if (limit > hi) hi = limit;
    pd_axis_pad(lo, hi, &ymin, &ymax);
    pd_axis_log_tics(vars, 'y', memory, memory ? pd_fmt_bytes : pd_fmt_seconds,
                     &ymin, &ymax);
    if (d->floor) {
        floor_y = ymin / 1.8;
        pd_buf_puts(vars, "set ytics add (");
        pd_gp_quote_tic(vars, "RSS < 4 KiB");
        pd_buf_printf(vars, " %.9g)\nfloor_break = %.9g\n", floor_y, ymin);
        ymin = floor_y / 1.5;
    }
    pd_buf_puts(vars, "floor_y = ");
    pd_gp_num(vars, floor_y);
    pd_buf_puts(vars, "\nlimit_y = ");
    pd_gp_num(vars, limit);
    pd_buf_printf(vars, "\nymin = %.9g\nymax = %.9g\n", ymin, ymax);
}

/* ylabel_text: which memory the y axis is, on two lines (the second
 * joined with a "\n" written here, never from text). */
static void value_label(pd_buf *vars, const lines_data *d, int memory)
{
    pd_buf_puts(vars, "ylabel_text = ");
    if (!memory) {
        pd_gp_quote(vars, "time per call (median, bars: IQR), log scale");
        pd_buf_puts(vars, "\n");
        return;
    }
    pd_gp_quote(vars, "peak resident set growth of one call, log scale");
    if (d->fresh || d->nheap) {
        char *second = pd_strdup_printf(
            "%s%s%s", d->fresh && !d->shared ? "each alone in a fresh process"
                      : d->fresh ? "some alone in a fresh process" : "",
            d->fresh && d->nheap ? "; " : "",
            d->nheap ? "dash-dot: Python heap (tracemalloc)" : "");
        pd_buf_puts(vars, " . \"\\n\" . ");
        pd_gp_quote(vars, second);
        free(second);
    }
    pd_buf_puts(vars, "\n");
}

/* A lesson that sets its workers' memory limit (to show a variant running
 * out) gets it drawn as a line. It bounds the whole process's address
 * space (Python and its libraries included), not one call's growth of the
 * resident set the chart plots, and the label says so: a call gets only
 * what the process leaves, and can fail far below the line.
 * Returns the limit in bytes, NAN when the lesson sets none. */
static double limit_line(pd_buf *vars, const pd_lesson *l)
{
    char size[32], *text;

    if (l->mem_limit == 0) return NAN;
    pd_fmt_bytes((double)l->mem_limit, size, sizeof size);
    text = pd_strdup_printf("worker limit: %s of address space, imports included; "
                            "a call gets the rest", size);
    pd_buf_puts(vars, "limit_text = ");
    pd_gp_quote(vars, text);
    pd_buf_puts(vars, "\n");
    free(text);
    return (double)l->mem_limit;
}

int pd_plot_lines(const char *gnuplot, const char *charts_dir,
                  const pd_lesson_result *l, int memory, FILE *listing, pd_err *e)
{
    lines_data d = {.xlo = INFINITY, .xhi = -INFINITY, .ylo = INFINITY, .yhi = -INFINITY};
    pd_buf vars = {0};
    size_t *order = sizes_by_n(l);
    char *stem = pd_chart_stem(l->lesson.id, memory ? "memory" : "time");
    int rc;

    for (size_t k = 0; k < l->lesson.nvariants; k++)
        add_variant(&d, l, k, order, memory);
    pd_buf_puts(&d.data, pd_buf_str(&d.extra));
    pd_buf_puts(&d.data, pd_buf_str(&d.heap));

    pd_buf_printf(&vars, "chart_w = %d\nchart_h = %d\n", PD_CHART_W,
                  540 + 20 * pd_gp_title(&vars, l->lesson.question));
    pd_buf_puts(&vars, "xlabel_text = 'rows (n), log scale'\n");
    value_label(&vars, &d, memory);
    /* gnuplot arrays cannot be empty. */
    pd_buf_printf(&vars, "errbars = %d\nnser = %zu\nnextra = %zu\nnheap = %zu\n"
                  "array ser_title[%zu]\narray ser_lt[%zu]\narray extra_lt[%zu]\n"
                  "array heap_title[%zu]\narray heap_lt[%zu]\n",
                  !memory, d.nser, d.nextra, d.nheap, d.nser + !d.nser,
                  d.nser + !d.nser, d.nextra + !d.nextra, d.nheap + !d.nheap,
                  d.nheap + !d.nheap);
    pd_buf_puts(&vars, pd_buf_str(&d.arrays));
    size_axis(&vars, l, order, &d);
    value_axis(&vars, &d, memory, memory ? limit_line(&vars, &l->lesson) : NAN);

    rc = pd_gp_draw(gnuplot, charts_dir, stem, &vars, pd_gp_lines, &d.data, listing, e);
    pd_buf_free(&vars);
    pd_buf_free(&d.data);
    pd_buf_free(&d.extra);
    pd_buf_free(&d.heap);
    pd_buf_free(&d.arrays);
    free(order);
    free(stem);
    return rc;
}
