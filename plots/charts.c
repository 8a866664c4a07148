/* Which charts a lesson gets and what they show: the speedup bars of each
 * part at the size that speaks for it, the overview of every lesson's
 * headline, and pd_plot_results. See include/pdlab/plot.h.
 *
 * What to show is never decided here: the sizes, the headline and what
 * counts as measured come from evidence.h, as in the table and the
 * report, so a chart cannot disagree with them. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/results.h"
#include "plot_int.h"

/* ---------------------------------------------------------------------
 * Speedups
 * ------------------------------------------------------------------ */

/* Rows of the speedup chart, and the labels they own. */
typedef struct bar_rows {
    pd_bar *rows;
    char **owned;
    size_t n;
} bar_rows;

static pd_bar *next_row(bar_rows *b, char *label)
{
    pd_bar *r = &b->rows[b->n];
    r->value = r->lo = r->hi = NAN;
    r->label = b->owned[b->n] = label;
    b->n++;
    return r;
}

/* Why a variant has no bar. New string. */
static char *empty_slot_note(const pd_variant_result *v)
{
    if (!v) return pd_strdup("not measured at this size");
    if (v->status == PD_WRONG)
        return pd_strdup("✗ wrong: result differs from the reference");
    if (v->status == PD_NOT_RUN)
        return pd_strdup_printf("not run: %s", pd_skip_word(v->skip));
    return pd_strdup(pd_status_phrase(v->status));
}

/* The slowest variant of a part with a speedup at size s: its bar is 1x. */
static const pd_variant_result *part_slowest(const pd_lesson *l,
                                             const pd_size_result *s, const char *part)
{
    const pd_variant_result *slowest = NULL;

    for (size_t j = 0; j < s->nvariants; j++) {
        const pd_variant_result *v = &s->variants[j];
        if (strcmp(pd_variant_part(l, v->name), part) != 0 || !(pd_variant_time(v) > 0))
            continue;
        if (!slowest || v->stats.median > slowest->stats.median) slowest = v;
    }
    return slowest;
}

/* The bar of one variant: its speedup with its interval, hatched and
 * marked when an extrapolated time is in it; else a note in its slot. */
static void speedup_row(bar_rows *b, const pd_variant_result *v,
                        const pd_variant_result *slowest, const char *name, int lt)
{
    char ratio[32];
    pd_bar *r;

    if (!v || !(pd_variant_time(v) > 0) || !(v->speedup > 0)) {
        r = next_row(b, empty_slot_note(v));
    } else {
        int extrap = v->speedup_extrapolated || v->extrapolated;
        r = next_row(b, pd_strdup_printf(
            "%s%s%s", extrap ? PD_EXTRAPOLATED_MARK : "",
            pd_fmt_ratio(v->speedup, ratio, sizeof ratio),
            v == slowest ? " (slowest correct)"
            : !isnan(v->speedup_lo) && pd_speedup_is_noise(v) ? " (no measurable difference)"
            : ""));
        r->value = v->speedup;
        if (v->speedup_lo > 0 && v->speedup_hi >= v->speedup_lo) {
            r->lo = v->speedup_lo;
            r->hi = v->speedup_hi;
        }
        r->hatched = extrap;
    }
    r->name = name;
    r->linetype = lt;
}

/* One group per part that has a size to speak at, each at its own size;
 * returns the n they share, or 0 when they differ. */
static uint64_t speedup_rows(bar_rows *b, const pd_lesson_result *l)
{
    const pd_lesson *d = &l->lesson;
    uint64_t shared = 0;
    int first = 1;

    for (size_t p = 0; p < d->nparts; p++) {
        long at = pd_speaking_size(l, p);
        const pd_size_result *s;
        char count[32];

        if (at < 0) continue;
        s = &l->sizes[at];
        shared = first || shared == s->n ? s->n : 0;
        first = 0;
        if (d->nparts > 1)
            next_row(b, pd_strdup_printf("%s · n = %s", d->parts[p],
                                         pd_fmt_n((double)s->n, count, sizeof count)));
        for (size_t k = 0; k < d->nvariants; k++) {
            const char *name = d->variants[k].name;
            if (strcmp(pd_variant_part(d, name), d->parts[p]) != 0) continue;
            speedup_row(b, pd_size_variant(s, name), part_slowest(d, s, d->parts[p]),
                        name, (int)(k % 10) + 1);
        }
    }
    return shared;
}

static int draw_speedup(const char *gnuplot, const char *charts_dir,
                        const pd_lesson_result *l, FILE *listing, pd_err *e)
{
    size_t cap = l->lesson.nvariants + l->lesson.nparts;
    bar_rows b = {pd_xcalloc(cap, sizeof *b.rows), pd_xcalloc(cap, sizeof *b.owned), 0};
    char count[32], *xlabel, *stem = pd_chart_stem(l->lesson.id, "speedup");
    uint64_t n = speedup_rows(&b, l);
    pd_bar_chart chart;
    int rc;

    xlabel = n ? pd_strdup_printf("times faster than the slowest correct variant, "
                                  "at n = %s rows (log scale)",
                                  pd_fmt_n((double)n, count, sizeof count))
               : pd_strdup("times faster than the part's slowest correct variant, "
                           "at the n in its heading (log scale)");
    chart = (pd_bar_chart){.stem = stem, .title = l->lesson.question, .xlabel = xlabel,
                           .base = NAN, .rows = b.rows, .nrows = b.n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, listing, e);
    for (size_t i = 0; i < b.n; i++) free(b.owned[i]);
    free(b.owned);
    free(b.rows);
    free(xlabel);
    free(stem);
    return rc;
}

/* ---------------------------------------------------------------------
 * Overview
 * ------------------------------------------------------------------ */

char *pd_headline_text(const pd_lesson_result *l, pd_headline *h)
{
    char ratio[32], count[32];
    const pd_claim *c;
    const char *fast, *slow;
    uint64_t n;

    if (pd_lesson_headline(l, h) < 0 && !h->claim) return NULL;
    if ((c = h->claim) && !(c->figure > 0))
        return pd_strdup_printf("%s: %s", pd_claim_outcome_word(c->outcome),
                                c->note ? c->note : "no figure");
    fast = c ? c->variant : h->fast->name;
    slow = c ? c->other : h->slow->name;
    n = h->size >= 0 ? l->sizes[h->size].n : c->n;
    /* A peak under a page counted as a page: the ratio is a floor. */
    return pd_strdup_printf(
        "%s%s %s: %s vs %s, n = %s%s%s", c && c->figure_bound ? "over " : "",
        pd_fmt_ratio(h->ratio, ratio, sizeof ratio),
        h->memory ? "less memory" : "faster", fast, slow ? slow : "?",
        pd_fmt_n((double)n, count, sizeof count),
        c && c->outcome != PD_CLAIM_CONFIRMED ? ", " : "",
        c && c->outcome != PD_CLAIM_CONFIRMED ? pd_claim_outcome_word(c->outcome) : "");
}

/* A lesson's headline as a bar, a claim's interval as its error bar. */
static void headline_row(bar_rows *b, const pd_lesson_result *l)
{
    pd_headline h;
    char *text = pd_headline_text(l, &h);
    const pd_claim *c = h.claim;
    pd_bar *r;

    if (!text)
        text = pd_strdup(l->error ? "could not run" : "fewer than two correct variants");
    r = next_row(b, text);
    if ((c && c->figure > 0) || (!c && h.fast)) {
        r->value = h.ratio;
        if (c && c->figure_lo > 0 && c->figure_hi >= c->figure_lo) {
            r->lo = c->figure_lo;
            r->hi = c->figure_hi;
        }
    }
    r->name = l->lesson.id;
    r->linetype = h.memory ? 3 : 1;
}

static int draw_overview(const char *gnuplot, const char *charts_dir,
                         const pd_run *run, FILE *listing, pd_err *e)
{
    bar_rows b = {pd_xcalloc(run->nlessons, sizeof *b.rows),
                  pd_xcalloc(run->nlessons, sizeof *b.owned), 0};
    pd_bar_chart chart;
    int rc;

    for (size_t i = 0; i < run->nlessons; i++) headline_row(&b, &run->lessons[i]);
    chart = (pd_bar_chart){
        .stem = "overview",
        .title = "What each lesson shows: how many times faster, or how many times "
                 "less memory, its headline variant needs",
        .xlabel = "times faster (blue) or times less memory (green), log scale, at "
                  "the size each lesson speaks at",
        .base = NAN, .rows = b.rows, .nrows = b.n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, listing, e);
    for (size_t i = 0; i < b.n; i++) free(b.owned[i]);
    free(b.owned);
    free(b.rows);
    return rc;
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

static int draw_lesson(const char *gnuplot, const char *charts,
                       const pd_lesson_result *l, FILE *log, pd_err *e)
{
    if ((pd_chart_expected(l, "speedup") && draw_speedup(gnuplot, charts, l, log, e) < 0)
        || (pd_chart_expected(l, "time") && pd_plot_lines(gnuplot, charts, l, 0, log, e) < 0)
        || (pd_chart_expected(l, "memory") && pd_plot_lines(gnuplot, charts, l, 1, log, e) < 0)) {
        pd_error_prefix(e, "charts of lesson %s", l->lesson.id);
        return -1;
    }
    for (size_t k = 0; pd_curve_title(l, k); k++)
        if (pd_plot_curves(gnuplot, charts, l, k, log, e) < 0) {
            pd_error_prefix(e, "curve charts of lesson %s", l->lesson.id);
            return -1;
        }
    return 0;
}

int pd_plot_results(const char *results_dir, FILE *log, pd_err *e)
{
    char *path = pd_strdup_printf("%s/results.json", results_dir);
    char *charts = pd_strdup_printf("%s/charts", results_dir);
    char *gnuplot = NULL;
    pd_run run;
    int rc = PD_PLOT_FAILED;

    if (pd_results_read(path, &run, e) < 0) goto cleanup;
    if (!(gnuplot = pd_gnuplot_find())) {
        rc = pd_gnuplot_missing(results_dir, e);
        goto cleanup;
    }
    if (pd_mkdir_p(charts, e) < 0) goto cleanup;
    for (size_t i = 0; i < run.nlessons; i++)
        if (draw_lesson(gnuplot, charts, &run.lessons[i], log, e) < 0) goto cleanup;
    if (run.nlessons > 0 && draw_overview(gnuplot, charts, &run, log, e) < 0)
        goto cleanup;
    rc = PD_PLOT_OK;
cleanup:
    pd_run_free(&run);
    free(gnuplot);
    free(charts);
    free(path);
    return rc;
}
