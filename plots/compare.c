/* Two runs side by side: see include/pdlab/report.h.
 *
 * Sections:
 *   matching     lessons, sizes and variants both runs measured; the ratio
 *                of their medians and whether it is bigger than the noise
 *   terminal     the table on `out`
 *   page         compare.html: the fingerprints, a chart and a table per
 *                lesson (charts through pd_plot_bars, page through the
 *                report's HTML helpers)
 *   entry        pd_compare_runs
 *
 * A change is flagged only when it is real, as asv decides: a Mann-Whitney
 * U test on the samples both runs stored gives p < 0.002, and the medians
 * are more than 1.1x apart. Runs with too few samples for the test to
 * ever reach that p (5 against 5 cannot: 2 / C(10, 5) = 0.008) say so
 * instead of guessing. A variant that changed status (ok in one
 * run, wrong or failed in the other) is always flagged: that is a bigger
 * change than any timing. Extrapolated times are shown, never flagged, and
 * "not run" on one side (other sizes, another budget) is no change.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/report.h"
#include "pdlab/results.h"
#include "pdlab/stats.h"
#include "plot_int.h"

/* ---------------------------------------------------------------------
 * Matching
 * ------------------------------------------------------------------ */

enum { SAME = 0, SLOWER = 1, FASTER = 2, STATUS = 3, FEW = 4 };

/* asv's thresholds: a change must be unlikely as noise and big enough to
 * matter. */
#define CHANGE_P 0.002
#define CHANGE_FACTOR 1.1

typedef struct cmp_row {
    double n;
    const char *name;      /* borrowed from run A */
    const pd_variant_result *a, *b; /* the variant's results (borrowed) */
    double ratio;          /* median B / median A; NAN when not both */
    int verdict;           /* SAME, SLOWER, FASTER (beyond the noise), STATUS,
                              FEW (too few samples to tell) */
    double p;              /* the U test's p; NAN when not tested */
    int extrapolated;      /* a median on either side was not measured */
} cmp_row;

typedef struct cmp_lesson {
    const pd_lesson_result *la, *lb; /* the lesson in each run (borrowed) */
    cmp_row *rows;
    size_t nrows;
} cmp_lesson;

/* SLOWER or FASTER when the U test over both runs' samples gives p under
 * CHANGE_P and the medians differ by over CHANGE_FACTOR; FEW when the
 * samples are too few for any p that small; else SAME. */
static int timing_verdict(const pd_variant_result *a, const pd_variant_result *b,
                          double ratio, double *p)
{
    double u;

    *p = NAN;
    if (pd_mann_whitney_min_p(a->nsamples, b->nsamples) >= CHANGE_P) return FEW;
    if (pd_mann_whitney(a->samples, a->nsamples, b->samples, b->nsamples, &u, p) < 0)
        return FEW;
    if (!(*p < CHANGE_P)) return SAME;
    if (ratio >= CHANGE_FACTOR) return SLOWER;
    if (ratio <= 1 / CHANGE_FACTOR) return FASTER;
    return SAME;
}

static cmp_row compare_variant(double n, const pd_variant_result *a,
                               const pd_variant_result *b)
{
    cmp_row r = {.n = n, .name = a->name, .a = a, .b = b, .ratio = NAN, .verdict = SAME,
                 .p = NAN};
    int ma = pd_variant_measured(a), mb = pd_variant_measured(b);
    int ea = pd_variant_extrapolated(a), eb = pd_variant_extrapolated(b);

    if ((ma || ea) && (mb || eb))
        r.ratio = b->stats.median / a->stats.median;
    r.extrapolated = ea || eb;
    if (ma && mb) {
        r.verdict = timing_verdict(a, b, r.ratio, &r.p);
    } else if (!r.extrapolated) {
        /* Not run on one side is a choice of sizes or budget, not a
         * change in the code's behaviour. */
        if (a->status != b->status && a->status != PD_NOT_RUN && b->status != PD_NOT_RUN)
            r.verdict = STATUS;
    }
    return r;
}

/* The size with this n in a lesson (borrowed), or NULL. */
static const pd_size_result *size_with_n(const pd_lesson_result *l, uint64_t n)
{
    for (size_t i = 0; i < l->nsizes; i++)
        if (l->sizes[i].n == n) return &l->sizes[i];
    return NULL;
}

/* The lesson with this id (borrowed), or NULL. */
static const pd_lesson_result *lesson_with_id(const pd_run *r, const char *id)
{
    for (size_t i = 0; i < r->nlessons; i++)
        if (strcmp(r->lessons[i].lesson.id, id) == 0) return &r->lessons[i];
    return NULL;
}

/* Every variant both runs have at every size both ran, in run A's order. */
static void match_lesson(cmp_lesson *c)
{
    size_t cap = 0;

    for (size_t i = 0; i < c->la->nsizes; i++) cap += c->la->sizes[i].nvariants;
    c->rows = pd_xcalloc(cap, sizeof *c->rows);
    for (size_t i = 0; i < c->la->nsizes; i++) {
        const pd_size_result *sa = &c->la->sizes[i], *sb = size_with_n(c->lb, sa->n);
        for (size_t j = 0; sb && j < sa->nvariants; j++) {
            const pd_variant_result *vb = pd_size_variant(sb, sa->variants[j].name);
            if (vb) c->rows[c->nrows++] = compare_variant((double)sa->n, &sa->variants[j], vb);
        }
    }
}

/* Lessons of run A that run B has too, matched; *nlessons of them. */
static cmp_lesson *match_runs(const pd_run *a, const pd_run *b, size_t *nlessons)
{
    cmp_lesson *out = pd_xcalloc(a->nlessons, sizeof *out);
    size_t n = 0;

    for (size_t i = 0; i < a->nlessons; i++) {
        const pd_lesson_result *lb = lesson_with_id(b, a->lessons[i].lesson.id);
        if (!lb) continue;
        out[n].la = &a->lessons[i];
        out[n].lb = lb;
        match_lesson(&out[n]);
        n++;
    }
    *nlessons = n;
    return out;
}

static int flagged(const cmp_row *r)
{
    return r->verdict != SAME && r->verdict != FEW;
}

/* Sizes of lesson l that lesson other did not run, as "1,000 and
 * 1,000,000" on out, after `what`; nothing when there are none. */
static void print_sizes_only(FILE *out, const char *what, const pd_lesson_result *l,
                             const pd_lesson_result *other)
{
    int any = 0;
    char count[32];
    for (size_t i = 0; i < l->nsizes; i++) {
        if (size_with_n(other, l->sizes[i].n)) continue;
        fprintf(out, "%s%s", any++ ? ", " : what,
                pd_fmt_count(l->sizes[i].n, count, sizeof count));
    }
    if (any) fputs(": not compared\n", out);
}

/* What a row's last column says: "slower", "ok -> wrong". Into buf. */
static const char *verdict_text(const cmp_row *r, char *buf, size_t size)
{
    switch (r->verdict) {
    case SLOWER: snprintf(buf, size, "slower (p = %.2g)", r->p); return buf;
    case FASTER: snprintf(buf, size, "faster (p = %.2g)", r->p); return buf;
    case FEW:
        snprintf(buf, size, "too few samples (%zu, %zu)", r->a->nsamples, r->b->nsamples);
        return buf;
    case STATUS:
        snprintf(buf, size, "%s → %s", pd_status_phrase(r->a->status),
                 pd_status_phrase(r->b->status));
        return buf;
    }
    snprintf(buf, size, "%s", r->extrapolated ? "extrapolated" : "");
    return buf;
}

/* A median, or the status where there is none: "12.3 ms", "~ 3.1 s",
 * "wrong". Into buf. */
static const char *median_text(const pd_variant_result *v, char *buf, size_t size)
{
    char t[32];

    if (pd_variant_measured(v)) return pd_fmt_seconds(v->stats.median, buf, size);
    if (pd_variant_extrapolated(v)) {
        snprintf(buf, size, PD_EXTRAPOLATED_MARK " %s",
                 pd_fmt_seconds(v->stats.median, t, sizeof t));
        return buf;
    }
    snprintf(buf, size, "%s", pd_status_phrase(v->status));
    return buf;
}

/* ---------------------------------------------------------------------
 * Terminal
 * ------------------------------------------------------------------ */

/* One line about a run: where, when, on what. */
static void print_run_line(FILE *out, const char *tag, const char *dir, const pd_run *r)
{
    const pd_machine *m = &r->machine;

    fprintf(out, "  %s  %s", tag, dir);
    if (*r->started) fprintf(out, "  %s", r->started);
    if (*m->cpu) fprintf(out, "  %s", m->cpu);
    if (m->cores > 0) fprintf(out, ", %d cores", m->cores);
    if (*m->python) fprintf(out, "  Python %s", m->python);
    if (*m->numpy) fprintf(out, "  NumPy %s", m->numpy);
    if (*m->pandas) fprintf(out, "  pandas %s", m->pandas);
    fputc('\n', out);
}

/* "only in run A: x, y" for lessons the other run lacks. */
static void print_unmatched(FILE *out, const char *tag, const pd_run *r,
                            const pd_run *other)
{
    int any = 0;

    for (size_t i = 0; i < r->nlessons; i++) {
        const char *id = r->lessons[i].lesson.id;
        if (lesson_with_id(other, id)) continue;
        fprintf(out, "%s%s", any ? ", " : "only in run ", any ? "" : tag);
        if (!any) fputs(": ", out);
        fputs(id, out);
        any = 1;
    }
    if (any) fputc('\n', out);
}

/* text padded to width characters (not bytes: "µs"), right-aligned when
 * right is set. */
static void print_cell(FILE *out, const char *text, size_t width, int right)
{
    size_t w = pd_utf8_width(text);
    size_t pad = w < width ? width - w : 0;

    if (right) fprintf(out, "%*s%s", (int)pad, "", text);
    else fprintf(out, "%s%*s", text, (int)pad, "");
}

enum { C_NAME, C_A, C_B, C_RATIO, C_VERDICT, NCOLS };

static void row_cells(const cmp_row *r, char cells[NCOLS][64])
{
    char t[32];

    snprintf(cells[C_NAME], 64, "%s", r->name ? r->name : "?");
    median_text(r->a, cells[C_A], 64);
    median_text(r->b, cells[C_B], 64);
    snprintf(cells[C_RATIO], 64, "%s", isfinite(r->ratio) ? pd_fmt_ratio(r->ratio, t, sizeof t) : "-");
    verdict_text(r, t, sizeof t);
    snprintf(cells[C_VERDICT], 64, "%s%s", t, flagged(r) ? " *" : "");
}

/* One table per lesson and size. */
static void print_lesson(FILE *out, const cmp_lesson *c)
{
    static const char *heads[NCOLS] = {"variant", "median A", "median B", "B/A", ""};
    size_t width[NCOLS] = {0};
    char cells[NCOLS][64], count[32];

    for (int k = 0; k < NCOLS; k++) width[k] = pd_utf8_width(heads[k]);
    for (size_t i = 0; i < c->nrows; i++) {
        row_cells(&c->rows[i], cells);
        for (int k = 0; k < NCOLS; k++)
            if (pd_utf8_width(cells[k]) > width[k]) width[k] = pd_utf8_width(cells[k]);
    }
    for (size_t i = 0; i < c->nrows; i++) {
        const cmp_row *r = &c->rows[i];
        if (i == 0 || r->n != c->rows[i - 1].n) {
            fprintf(out, "\n%s  n = %s\n ", c->la->lesson.id,
                    pd_fmt_count((unsigned long long)r->n, count, sizeof count));
            for (int k = 0; k < NCOLS - 1; k++) {
                fputs(k ? "  " : " ", out);
                print_cell(out, heads[k], width[k], k != C_NAME);
            }
            fputs("\n", out);
        }
        row_cells(r, cells);
        fputs(" ", out);
        for (int k = 0; k < NCOLS - 1; k++) {
            fputs(k ? "  " : " ", out);
            print_cell(out, cells[k], width[k], k != C_NAME);
        }
        if (cells[C_VERDICT][0]) fprintf(out, "  %s", cells[C_VERDICT]);
        fputs("\n", out);
    }
}

/* ---------------------------------------------------------------------
 * Page
 * ------------------------------------------------------------------ */

/* The ratios of one lesson as bars around 1, a group per size. */
static int draw_lesson_chart(const char *gnuplot, const char *charts_dir,
                             const cmp_lesson *c, pd_err *e)
{
    pd_bar *rows = pd_xcalloc(2 * c->nrows, sizeof *rows);
    char **labels = pd_xcalloc(2 * c->nrows, sizeof *labels);
    char *stem = pd_chart_stem(c->la->lesson.id, "compare");
    pd_bar_chart chart;
    size_t n = 0;
    int rc;

    for (size_t i = 0; i < c->nrows; i++) {
        const cmp_row *r = &c->rows[i];
        char t[32], v[64], count[32];
        if (i == 0 || r->n != c->rows[i - 1].n) {
            labels[n] = pd_strdup_printf("n = %s", pd_fmt_count((unsigned long long)r->n,
                                                                count, sizeof count));
            rows[n].label = labels[n];
            rows[n].value = rows[n].lo = rows[n].hi = NAN;
            n++;
        }
        rows[n].name = r->name ? r->name : "?";
        rows[n].value = r->ratio;
        rows[n].lo = rows[n].hi = NAN;
        rows[n].hatched = r->extrapolated;
        rows[n].linetype = r->verdict == SLOWER ? 12 : r->verdict == FASTER ? 13 : 11;
        if (isfinite(r->ratio))
            labels[n] = pd_strdup_printf("%s%s%s", pd_fmt_ratio(r->ratio, t, sizeof t),
                                         flagged(r) ? " " : "",
                                         flagged(r) ? verdict_text(r, v, sizeof v) : "");
        else
            labels[n] = pd_strdup_printf("A: %s, B: %s", pd_status_phrase(r->a->status),
                                         pd_status_phrase(r->b->status));
        rows[n].label = labels[n];
        n++;
    }
    chart = (pd_bar_chart){
        .stem = stem, .title = c->la->lesson.question,
        .xlabel = "time in run B / time in run A (log scale); right of the dashed line: slower in B",
        .base = 1, .rows = rows, .nrows = n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, NULL, e);
    for (size_t i = 0; i < n; i++) free(labels[i]);
    free(labels);
    free(rows);
    free(stem);
    return rc;
}

static void html_median(pd_buf *b, const pd_variant_result *v)
{
    char t[64], u[32];

    pd_buf_puts(b, pd_variant_extrapolated(v) ? "<td class=\"num extrap\">" : "<td class=\"num\">");
    pd_html_escape(b, median_text(v, t, sizeof t));
    if (pd_variant_measured(v) && isfinite(v->stats.iqr)) {
        pd_html_wrap(b, "<br><span class=\"ci\">± ", pd_fmt_seconds(v->stats.iqr, u, sizeof u), "</span>");
    }
    pd_buf_puts(b, "</td>");
}

static void html_lesson(pd_buf *b, const char *out_dir, const cmp_lesson *c,
                        int charts)
{
    char count[32], t[32], v[64];

    pd_html_wrap(b, "<section class=\"card\">\n<div class=\"meta\"><span class=\"badge\">", c->la->lesson.id, "</span></div>\n<h2>");
    pd_html_escape(b, c->la->lesson.question ? c->la->lesson.question : c->la->lesson.id);
    pd_buf_puts(b, "</h2>\n");
    if (charts && c->nrows > 0) {
        char *png = pd_chart_path(out_dir, c->la->lesson.id, "compare", "png");
        pd_html_chart(b, png, "ratio of the times of run B to run A",
                      "Time in run B over time in run A, per variant and size. Coloured "
                      "bars that changed (U test p &lt; 0.002, over 1.1x): orange slower in B, "
                      "blue faster; grey ones are within the noise.", out_dir);
        free(png);
    }
    pd_buf_puts(b, "<div class=\"tablewrap\"><table class=\"res\">\n<tr><th class=\"num\">n</th>"
                   "<th>variant</th><th class=\"num\">median A</th><th class=\"num\">median B</th>"
                   "<th class=\"num\">B / A</th><th></th></tr>\n");
    for (size_t i = 0; i < c->nrows; i++) {
        const cmp_row *r = &c->rows[i];
        const char *cls = r->verdict == SLOWER || r->verdict == STATUS ? "flag"
                          : r->verdict == FASTER ? "better" : "";
        pd_buf_printf(b, "<tr><td class=\"num\">%s</td><td><code>",
                      pd_fmt_count((unsigned long long)r->n, count, sizeof count));
        pd_html_escape(b, r->name);
        pd_buf_puts(b, "</code></td>");
        html_median(b, r->a);
        html_median(b, r->b);
        pd_buf_printf(b, "<td class=\"num %s\">", cls);
        pd_html_escape(b, isfinite(r->ratio) ? pd_fmt_ratio(r->ratio, t, sizeof t) : "-");
        pd_buf_printf(b, "</td><td class=\"%s\">", cls);
        pd_html_escape(b, verdict_text(r, v, sizeof v));
        pd_buf_puts(b, "</td></tr>\n");
    }
    pd_buf_puts(b, "</table></div>\n</section>\n");
}

static void html_page(pd_buf *b, const char *run_a, const char *run_b,
                      const char *out_dir, const pd_run *doc_a,
                      const pd_run *doc_b, const cmp_lesson *ls, size_t nl,
                      size_t nflagged, int charts)
{
    pd_html_begin(b, "pdlab compare");
    pd_html_wrap(b, "<header class=\"card\">\n<h1>Two runs side by side</h1>\n<p class=\"sub\">A: ", run_a, " · B: ");
    pd_html_escape(b, run_b);
    pd_buf_puts(b, "</p>\n");
    pd_html_fingerprint(b, doc_a, doc_b);
    pd_buf_printf(b, "<p class=\"summary\">%zu change%s: a Mann-Whitney U test on both "
                     "runs' samples gives p &lt; %g and the medians are over %gx apart; "
                     "status changes included.</p>\n",
                  nflagged, nflagged == 1 ? "" : "s", CHANGE_P, CHANGE_FACTOR);
    if (!charts)
        pd_buf_puts(b, "<div class=\"missing\">No charts: gnuplot is not installed "
                       "(<code>apt-get install gnuplot-nox</code>, then compare again). "
                       "The tables below have every number.</div>\n");
    pd_buf_puts(b, "</header>\n");
    for (size_t i = 0; i < nl; i++) html_lesson(b, out_dir, &ls[i], charts);
    pd_html_end(b);
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

int pd_compare_runs(const char *run_a, const char *run_b, const char *out_dir,
                    FILE *out, pd_err *e)
{
    char *path_a = pd_strdup_printf("%s/results.json", run_a);
    char *path_b = pd_strdup_printf("%s/results.json", run_b);
    char *charts = pd_strdup_printf("%s/charts", out_dir);
    char *html = pd_strdup_printf("%s/compare.html", out_dir);
    char *gnuplot = NULL;
    pd_run doc_a = {0}, doc_b = {0};
    cmp_lesson *ls = NULL;
    size_t nl = 0, nflagged = 0, nfew = 0;
    pd_buf page = {0};
    int rc = -1;

    if (pd_results_read(path_a, &doc_a, e) < 0 || pd_results_read(path_b, &doc_b, e) < 0)
        goto cleanup;
    ls = match_runs(&doc_a, &doc_b, &nl);
    if (pd_mkdir_p(out_dir, e) < 0) goto cleanup;
    if ((gnuplot = pd_gnuplot_find()) && pd_mkdir_p(charts, e) < 0) goto cleanup;
    for (size_t i = 0; i < nl; i++) {
        for (size_t j = 0; j < ls[i].nrows; j++) {
            nflagged += flagged(&ls[i].rows[j]);
            nfew += ls[i].rows[j].verdict == FEW;
        }
        if (gnuplot && ls[i].nrows > 0
            && draw_lesson_chart(gnuplot, charts, &ls[i], e) < 0) {
            pd_error_prefix(e, "comparison chart of lesson %s", ls[i].la->lesson.id);
            goto cleanup;
        }
    }

    fprintf(out, "Comparing two runs\n");
    print_run_line(out, "A", run_a, &doc_a);
    print_run_line(out, "B", run_b, &doc_b);
    for (size_t i = 0; i < nl; i++) {
        print_lesson(out, &ls[i]);
        print_sizes_only(out, "  sizes only A ran: ", ls[i].la, ls[i].lb);
        print_sizes_only(out, "  sizes only B ran: ", ls[i].lb, ls[i].la);
    }
    if (nl == 0) fprintf(out, "\nThe two runs have no lesson in common.\n");
    fputc('\n', out);
    print_unmatched(out, "A", &doc_a, &doc_b);
    print_unmatched(out, "B", &doc_b, &doc_a);
    fprintf(out, "%zu change%s, marked *: a Mann-Whitney U test on both runs' samples gives\n"
                 "p < %g and B/A is beyond %gx either way (or the variant's status changed).\n",
            nflagged, nflagged == 1 ? "" : "s", CHANGE_P, CHANGE_FACTOR);
    if (nfew)
        fprintf(out, "%zu timing%s had too few samples to tell: the test needs at least 7\n"
                     "samples a side to reach p < %g (--samples 7, or --processes 3 on both runs).\n",
                nfew, nfew == 1 ? "" : "s", CHANGE_P);

    html_page(&page, run_a, run_b, out_dir, &doc_a, &doc_b, ls, nl, nflagged, gnuplot != NULL);
    if (pd_write_file_atomic(html, page.s, page.len, e) < 0) goto cleanup;
    if (!gnuplot) fprintf(out, "charts skipped: gnuplot is not installed (apt-get install gnuplot-nox)\n");
    fprintf(out, "compare: %s\n", html);
    rc = 0;
cleanup:
    for (size_t i = 0; i < nl; i++) free(ls[i].rows);
    free(ls);
    pd_run_free(&doc_a);
    pd_run_free(&doc_b);
    pd_buf_free(&page);
    free(gnuplot);
    free(html);
    free(charts);
    free(path_b);
    free(path_a);
    return rc;
}
