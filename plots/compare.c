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
 * A change is flagged only when it is bigger than both runs' own spread:
 * the interquartile intervals do not overlap, and the ratio is beyond
 * 1 ± the larger relative IQR. A variant that changed status (ok in one
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
#include "pdlab/table.h"
#include "plot_int.h"

/* ---------------------------------------------------------------------
 * Matching
 * ------------------------------------------------------------------ */

enum { SAME = 0, SLOWER = 1, FASTER = 2, STATUS = 3 };

typedef struct cmp_row {
    double n;
    const char *name;      /* borrowed from run A's document */
    const json_t *a, *b;   /* the variant's results (borrowed) */
    double ratio;          /* median B / median A; NAN when not both */
    int verdict;           /* SAME, SLOWER, FASTER (beyond the noise), STATUS */
    int extrapolated;      /* a median on either side was not measured */
} cmp_row;

typedef struct cmp_lesson {
    const json_t *la, *lb; /* the lesson in each run (borrowed) */
    cmp_row *rows;
    size_t nrows;
} cmp_lesson;

/* SLOWER or FASTER when the change is bigger than both runs' spread,
 * else SAME. Without quartiles there is no spread to judge by: SAME. */
static int timing_verdict(const json_t *a, const json_t *b, double ratio)
{
    double ma = pd_v_median(a), mb = pd_v_median(b);
    double q1a = pd_jnum(a, "q1_s"), q3a = pd_jnum(a, "q3_s");
    double q1b = pd_jnum(b, "q1_s"), q3b = pd_jnum(b, "q3_s");
    double rel;

    if (!(q1a > 0 && q3a >= q1a && q1b > 0 && q3b >= q1b)) return SAME;
    if (!(q3a < q1b || q3b < q1a)) return SAME; /* the IQRs overlap */
    rel = fmax((q3a - q1a) / ma, (q3b - q1b) / mb);
    if (ratio > 1 + rel) return SLOWER;
    if (ratio < 1 - rel) return FASTER;
    return SAME;
}

static cmp_row compare_variant(double n, const json_t *a, const json_t *b)
{
    cmp_row r = {.n = n, .name = pd_jstr(a, "name"), .a = a, .b = b,
                 .ratio = NAN, .verdict = SAME};
    int ma = pd_v_measured(a), mb = pd_v_measured(b);
    int ea = pd_v_extrapolated(a), eb = pd_v_extrapolated(b);

    if ((ma || ea) && (mb || eb))
        r.ratio = pd_v_median(b) / pd_v_median(a);
    r.extrapolated = ea || eb;
    if (ma && mb) {
        r.verdict = timing_verdict(a, b, r.ratio);
    } else if (!r.extrapolated) {
        /* Not run on one side is a choice of sizes or budget, not a
         * change in the code's behaviour. */
        const char *sa = pd_jstr(a, "status"), *sb = pd_jstr(b, "status");
        if (strcmp(sa ? sa : "", sb ? sb : "") != 0 && strcmp(sa ? sa : "", "not_run") != 0
            && strcmp(sb ? sb : "", "not_run") != 0)
            r.verdict = STATUS;
    }
    return r;
}

/* The size with this n in a lesson (borrowed), or NULL. */
static json_t *size_with_n(const json_t *lesson, double n)
{
    json_t *s;
    size_t i;

    json_array_foreach(pd_jarr(lesson, "results"), i, s)
        if (pd_jnum(s, "n") == n) return s;
    return NULL;
}

/* Every variant both runs have at every size both ran, in run A's order. */
static void match_lesson(cmp_lesson *c)
{
    json_t *sa, *va;
    size_t i, j, cap = 0;

    json_array_foreach(pd_jarr(c->la, "results"), i, sa)
        cap += json_array_size(pd_jarr(sa, "variants"));
    c->rows = pd_xcalloc(cap, sizeof *c->rows);
    json_array_foreach(pd_jarr(c->la, "results"), i, sa) {
        double n = pd_jnum(sa, "n");
        json_t *sb = size_with_n(c->lb, n);
        if (!sb) continue;
        json_array_foreach(pd_jarr(sa, "variants"), j, va) {
            json_t *vb = pd_jnamed(sb, "variants", pd_jstr(va, "name"));
            if (vb) c->rows[c->nrows++] = compare_variant(n, va, vb);
        }
    }
}

/* Lessons of run A that run B has too, matched; *nlessons of them. */
static cmp_lesson *match_runs(const json_t *doc_a, const json_t *doc_b,
                              size_t *nlessons)
{
    json_t *la;
    size_t i, n = 0;
    cmp_lesson *out = pd_xcalloc(json_array_size(pd_jarr(doc_a, "lessons")), sizeof *out);

    json_array_foreach(pd_jarr(doc_a, "lessons"), i, la) {
        const char *id = pd_jstr(la, "id");
        json_t *lb = id ? pd_results_lesson((json_t *)doc_b, id) : NULL;
        if (!lb) continue;
        out[n].la = la;
        out[n].lb = lb;
        match_lesson(&out[n]);
        n++;
    }
    *nlessons = n;
    return out;
}

static int flagged(const cmp_row *r)
{
    return r->verdict != SAME;
}

/* What a row's last column says: "slower", "ok -> wrong". Into buf. */
static const char *verdict_text(const cmp_row *r, char *buf, size_t size)
{
    switch (r->verdict) {
    case SLOWER: snprintf(buf, size, "slower"); return buf;
    case FASTER: snprintf(buf, size, "faster"); return buf;
    case STATUS:
        snprintf(buf, size, "%s → %s", pd_v_status_words(r->a), pd_v_status_words(r->b));
        return buf;
    }
    snprintf(buf, size, "%s", r->extrapolated ? "extrapolated" : "");
    return buf;
}

/* A median, or the status where there is none: "12.3 ms", "≈ 3.1 s",
 * "wrong". Into buf. */
static const char *median_text(const json_t *v, char *buf, size_t size)
{
    char t[32];

    if (pd_v_measured(v)) return pd_fmt_seconds(pd_v_median(v), buf, size);
    if (pd_v_extrapolated(v)) {
        snprintf(buf, size, "≈ %s", pd_fmt_seconds(pd_v_median(v), t, sizeof t));
        return buf;
    }
    snprintf(buf, size, "%s", pd_v_status_words(v));
    return buf;
}

/* ---------------------------------------------------------------------
 * Terminal
 * ------------------------------------------------------------------ */

/* One line about a run: where, when, on what. */
static void print_run_line(FILE *out, const char *tag, const char *dir,
                           const json_t *doc)
{
    const json_t *m = json_object_get(doc, "machine");
    const char *v;

    fprintf(out, "  %s  %s", tag, dir);
    if ((v = pd_jstr(doc, "started"))) fprintf(out, "  %s", v);
    if ((v = pd_jstr(m, "cpu"))) fprintf(out, "  %s", v);
    if (json_is_integer(json_object_get(m, "cores")))
        fprintf(out, ", %lld cores", (long long)json_integer_value(json_object_get(m, "cores")));
    if ((v = pd_jstr(m, "python"))) fprintf(out, "  Python %s", v);
    if ((v = pd_jstr(m, "numpy"))) fprintf(out, "  NumPy %s", v);
    if ((v = pd_jstr(m, "pandas"))) fprintf(out, "  pandas %s", v);
    if ((v = pd_jstr(doc, "pdlab_version"))) fprintf(out, "  pdlab %s", v);
    fputc('\n', out);
}

/* "only in A: x, y" for lessons the other run lacks. */
static void print_unmatched(FILE *out, const char *tag, const json_t *doc,
                            const json_t *other)
{
    json_t *l;
    size_t i;
    int any = 0;

    json_array_foreach(pd_jarr(doc, "lessons"), i, l) {
        const char *id = pd_jstr(l, "id");
        if (id && pd_results_lesson((json_t *)other, id)) continue;
        fprintf(out, "%s%s", any ? ", " : "only in run ", any ? "" : tag);
        if (!any) fputs(": ", out);
        fputs(id ? id : "?", out);
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
            fprintf(out, "\n%s  n = %s\n ", pd_jstr(c->la, "id"),
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
    char *stem = pd_chart_stem(c->la, "compare");
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
            labels[n] = pd_strdup_printf("A: %s, B: %s", pd_v_status_words(r->a),
                                         pd_v_status_words(r->b));
        rows[n].label = labels[n];
        n++;
    }
    chart = (pd_bar_chart){
        .stem = stem, .title = pd_jstr(c->la, "question"),
        .xlabel = "time in run B / time in run A (log scale); right of the dashed line: slower in B",
        .base = 1, .rows = rows, .nrows = n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, NULL, e);
    for (size_t i = 0; i < n; i++) free(labels[i]);
    free(labels);
    free(rows);
    free(stem);
    return rc;
}

static void html_median(pd_buf *b, const json_t *v)
{
    char t[64], u[32];

    pd_buf_puts(b, pd_v_extrapolated(v) ? "<td class=\"num extrap\">" : "<td class=\"num\">");
    pd_html_escape(b, median_text(v, t, sizeof t));
    if (pd_v_measured(v) && isfinite(pd_jnum(v, "iqr_s"))) {
        pd_buf_puts(b, "<br><span class=\"ci\">± ");
        pd_html_escape(b, pd_fmt_seconds(pd_jnum(v, "iqr_s"), u, sizeof u));
        pd_buf_puts(b, "</span>");
    }
    pd_buf_puts(b, "</td>");
}

static void html_lesson(pd_buf *b, const char *out_dir, const cmp_lesson *c,
                        int charts)
{
    char count[32], t[32], v[64];

    pd_buf_puts(b, "<section class=\"card\">\n<div class=\"meta\"><span class=\"badge\">");
    pd_html_escape(b, pd_jstr(c->la, "id"));
    pd_buf_puts(b, "</span></div>\n<h2>");
    pd_html_escape(b, pd_jstr(c->la, "question") ? pd_jstr(c->la, "question")
                                                 : pd_jstr(c->la, "id"));
    pd_buf_puts(b, "</h2>\n");
    if (charts && c->nrows > 0) {
        char *png = pd_chart_path(out_dir, c->la, "compare", "png");
        pd_html_chart(b, png, "ratio of the times of run B to run A",
                      "Time in run B over time in run A, per variant and size. Coloured "
                      "bars changed by more than both runs' spread: orange slower in B, "
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
                      const char *out_dir, const json_t *doc_a,
                      const json_t *doc_b, const cmp_lesson *ls, size_t nl,
                      size_t nflagged, int charts)
{
    pd_html_begin(b, "pdlab compare");
    pd_buf_puts(b, "<header class=\"card\">\n<h1>Two runs side by side</h1>\n<p class=\"sub\">A: ");
    pd_html_escape(b, run_a);
    pd_buf_puts(b, " · B: ");
    pd_html_escape(b, run_b);
    pd_buf_puts(b, "</p>\n");
    pd_html_fingerprint(b, doc_a, doc_b);
    pd_buf_printf(b, "<p class=\"summary\">%zu change%s bigger than the runs' own spread "
                     "(interquartile intervals apart and the ratio beyond 1 ± the relative "
                     "IQR), status changes included.</p>\n",
                  nflagged, nflagged == 1 ? "" : "s");
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
    json_t *doc_a = NULL, *doc_b = NULL;
    cmp_lesson *ls = NULL;
    size_t nl = 0, nflagged = 0;
    pd_buf page = {0};
    int rc = -1;

    if (!(doc_a = pd_results_load(path_a, e)) || !(doc_b = pd_results_load(path_b, e)))
        goto cleanup;
    ls = match_runs(doc_a, doc_b, &nl);
    if (pd_mkdir_p(out_dir, e) < 0) goto cleanup;
    if ((gnuplot = pd_gnuplot_find()) && pd_mkdir_p(charts, e) < 0) goto cleanup;
    for (size_t i = 0; i < nl; i++) {
        for (size_t j = 0; j < ls[i].nrows; j++) nflagged += flagged(&ls[i].rows[j]);
        if (gnuplot && ls[i].nrows > 0
            && draw_lesson_chart(gnuplot, charts, &ls[i], e) < 0) {
            pd_error_prefix(e, "comparison chart of lesson %s", pd_jstr(ls[i].la, "id"));
            goto cleanup;
        }
    }

    fprintf(out, "Comparing two runs\n");
    print_run_line(out, "A", run_a, doc_a);
    print_run_line(out, "B", run_b, doc_b);
    for (size_t i = 0; i < nl; i++) print_lesson(out, &ls[i]);
    if (nl == 0) fprintf(out, "\nThe two runs have no lesson in common.\n");
    fputc('\n', out);
    print_unmatched(out, "A", doc_a, doc_b);
    print_unmatched(out, "B", doc_b, doc_a);
    fprintf(out, "%zu change%s bigger than the runs' own spread, marked *: the IQR\n"
                 "intervals do not overlap and B/A is beyond 1 ± the relative IQR (or the\n"
                 "variant's status changed).\n", nflagged, nflagged == 1 ? "" : "s");

    html_page(&page, run_a, run_b, out_dir, doc_a, doc_b, ls, nl, nflagged, gnuplot != NULL);
    if (pd_write_file_atomic(html, page.s, page.len, e) < 0) goto cleanup;
    if (!gnuplot) fprintf(out, "charts skipped: gnuplot is not installed (apt-get install gnuplot-nox)\n");
    fprintf(out, "compare: %s\n", html);
    rc = 0;
cleanup:
    for (size_t i = 0; i < nl; i++) free(ls[i].rows);
    free(ls);
    json_decref(doc_a);
    json_decref(doc_b);
    pd_buf_free(&page);
    free(gnuplot);
    free(html);
    free(charts);
    free(path_b);
    free(path_a);
    return rc;
}
