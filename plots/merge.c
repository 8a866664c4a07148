/* Many runs side by side: the views of a pd_merge (include/pdlab/merge.h),
 * declared in include/pdlab/report.h.
 *
 * Sections:
 *   cells        one variant of one run at one size, one claim of one run
 *   terminal     the runs, each lesson's claims per run, the disagreements
 *   chart        per lesson, each run's speedups at the size that speaks
 *                (pd_plot_bars)
 *   page         merged.html: the machines table with its marks, then a
 *                card per lesson (claims by run, chart, times by run), in
 *                the report's frame and styles (html.c)
 *   entry        pd_merge_report
 *
 * A run whose software differs from the first run's, or whose lesson was
 * declared differently, is marked MISMATCH wherever its figures appear: the
 * machines table, the column heads, the terminal. Figures are never pooled
 * across runs; each cell is one run's own measurement. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h"
#include "pdlab/merge.h"
#include "pdlab/report.h"
#include "plot_int.h"

/* Marks a figure from software, or a lesson declaration, other than the
 * first run's. */
#define MISMATCH "≠"

/* ---------------------------------------------------------------------
 * Cells
 * ------------------------------------------------------------------ */

/* The size with this n in a lesson (borrowed), or NULL. */
static const pd_size_result *size_at(const pd_lesson_result *l, uint64_t n)
{
    for (size_t i = 0; l && i < l->nsizes; i++)
        if (l->sizes[i].n == n) return &l->sizes[i];
    return NULL;
}

/* Whether run r's figures for this lesson carry the mismatch mark. */
static int marked(const pd_merge *m, const pd_merge_lesson *ml, size_t r)
{
    return pd_merge_versions_differ(m, r) || ml->declared[r] != NULL;
}

/* What a run shows where it has no time: why, in words. Static. */
static const char *no_time_text(const pd_lesson_result *l, const pd_size_result *s,
                                const pd_variant_result *v)
{
    if (!l) return "lesson not in this run";
    if (!s) return "size not in this run";
    if (!v) return "not declared in this run";
    if (v->status == PD_NOT_RUN) return pd_skip_word(v->skip);
    return pd_status_phrase(v->status);
}

/* One run's figures for a variant at one size: median ± IQR, speedup and
 * its interval; an extrapolated time marked ~; otherwise why there is
 * none. */
static void time_cell(pd_buf *b, const pd_lesson_result *l, uint64_t n, const char *name)
{
    const pd_size_result *s = size_at(l, n);
    const pd_variant_result *v = pd_size_variant(s, name);
    char t[32], u[32];

    if (v && pd_variant_measured(v)) {
        pd_buf_printf(b, "<td class=\"num\" data-status=\"ok\">%s", v->unstable ? "! " : "");
        pd_html_escape(b, pd_fmt_seconds(v->stats.median, t, sizeof t));
        if (isfinite(v->stats.iqr))
            pd_html_wrap(b, "<br><span class=\"ci\">± ", pd_fmt_seconds(v->stats.iqr, t, sizeof t), "</span>");
        if (v->speedup > 0) {
            pd_buf_printf(b, "<br>%s%s", v->speedup_extrapolated ? PD_EXTRAPOLATED_MARK " " : "",
                          pd_fmt_ratio(v->speedup, t, sizeof t));
            if (v->speedup_lo > 0 && v->speedup_hi >= v->speedup_lo)
                pd_buf_printf(b, " <span class=\"ci\">%s – %s%s</span>",
                              pd_fmt_ratio(v->speedup_lo, t, sizeof t),
                              pd_fmt_ratio(v->speedup_hi, u, sizeof u),
                              pd_speedup_is_noise(v) ? ", no diff" : "");
        }
        pd_buf_puts(b, "</td>");
    } else if (v && pd_variant_extrapolated(v)) {
        pd_buf_printf(b, "<td class=\"num extrap\" data-status=\"not_run\">" PD_EXTRAPOLATED_MARK " %s",
                      pd_fmt_seconds(v->stats.median, t, sizeof t));
        pd_html_wrap(b, "<br><span class=\"ci\">", pd_skip_word(v->skip), "</span></td>");
    } else {
        const char *cls = v && v->status == PD_WRONG ? "flag" : "extrap";
        pd_buf_printf(b, "<td class=\"num %s\" data-status=\"%s\">", cls,
                      v ? pd_status_word(v->status) : "absent");
        pd_html_escape(b, no_time_text(l, s, v));
        pd_buf_puts(b, "</td>");
    }
}

/* One run's outcome of a claim: its mark, its figure, its note; or that
 * the run does not declare it (l: the run's lesson, NULL when it lacks it). */
static void claim_cell(pd_buf *b, const pd_lesson_result *l, const pd_claim *c)
{
    const char *cls, *mark;
    pd_buf fig = {0};

    if (!c) {
        pd_html_wrap(b, "<td class=\"claim undeclared\" data-outcome=\"undeclared\">"
                        "<span class=\"ci\">", l ? "not declared in this run"
                                                  : "lesson not in this run", "</span></td>");
        return;
    }
    mark = pd_claim_mark(c->outcome, &cls);
    pd_buf_printf(b, "<td class=\"claim %s\" data-outcome=\"%s\"><span class=\"mark\">%s</span> ",
                  cls, pd_claim_outcome_word(c->outcome), mark);
    pd_html_escape(b, pd_claim_outcome_word(c->outcome));
    pd_claim_figure(&fig, c);
    if (fig.len) pd_html_wrap(b, "<br><span class=\"ci\">", fig.s, "</span>");
    if (c->note) pd_html_wrap(b, "<br><span class=\"ci\">", c->note, "</span>");
    pd_buf_puts(b, "</td>");
    pd_buf_free(&fig);
}

/* The sizes that not every run with the lesson measured, and which runs
 * did: "n = 5,000 only in A; n = 10,000 only in B, C". Appended to b;
 * nothing when every such run measured every size. */
static void sizes_note(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml)
{
    char count[32];

    for (size_t s = 0; s < ml->nsizes; s++) {
        size_t have = 0, with = 0, k = 0;
        for (size_t r = 0; r < m->nruns; r++) {
            with += ml->in[r] != NULL;
            have += size_at(ml->in[r], ml->sizes[s]) != NULL;
        }
        if (have == with) continue;
        pd_buf_printf(b, "%sn = %s only in", b->len ? "; " : "",
                      pd_fmt_n((double)ml->sizes[s], count, sizeof count));
        for (size_t r = 0; r < m->nruns; r++)
            if (size_at(ml->in[r], ml->sizes[s]))
                pd_buf_printf(b, "%s %s", k++ ? "," : "", m->runs[r].label);
    }
}

/* ---------------------------------------------------------------------
 * Terminal
 * ------------------------------------------------------------------ */

static void pad(FILE *out, const char *text, size_t width)
{
    size_t w = pd_utf8_width(text);
    fprintf(out, "%s%*s", text, (int)(w < width ? width - w : 0), "");
}

static size_t label_width(const pd_merge *m)
{
    size_t w = 1;
    for (size_t r = 0; r < m->nruns; r++)
        if (strlen(m->runs[r].label) > w) w = strlen(m->runs[r].label);
    return w;
}

/* One line per run: label, source, when, on what, which versions; a
 * version that differs from the first run's carries the mark. */
static void print_runs(FILE *out, const pd_merge *m)
{
    size_t lw = label_width(m), sw = 0;
    char buf[160];

    for (size_t r = 0; r < m->nruns; r++)
        if (pd_utf8_width(m->runs[r].source) > sw) sw = pd_utf8_width(m->runs[r].source);
    for (size_t r = 0; r < m->nruns; r++) {
        const pd_merge_run *mr = &m->runs[r];
        const pd_machine *mc = &mr->run.machine;
        fputs("  ", out);
        pad(out, mr->label, lw);
        fputs("  ", out);
        pad(out, mr->source, sw);
        fprintf(out, "  %s  %s, %d cores", *mr->run.started ? mr->run.started : "-",
                *mc->cpu ? mc->cpu : "unknown CPU", mc->cores);
        for (size_t f = 0; f < pd_machine_nfields; f++) {
            const char *v;
            if (!pd_machine_fields[f].version) continue;
            if (!(v = pd_machine_value(mc, f, buf, sizeof buf))) continue;
            fprintf(out, "  %s %s%s", pd_machine_fields[f].label, v,
                    mr->versions & (1u << f) ? " " MISMATCH : "");
        }
        fputc('\n', out);
    }
}

/* "B: pandas 9.9.9 (A: 1.5.3)" for each run whose versions differ. */
static void print_version_notes(FILE *out, const pd_merge *m)
{
    char a[160], b[160];
    int any = 0;

    for (size_t r = 1; r < m->nruns; r++) {
        if (!pd_merge_versions_differ(m, r)) continue;
        if (!any++)
            fprintf(out, "\n" MISMATCH " software differs from the first run's (%s); the "
                    "figures are shown side by side, never pooled:\n", m->runs[0].label);
        fprintf(out, "  %s:", m->runs[r].label);
        for (size_t f = 0; f < pd_machine_nfields; f++) {
            const char *x, *y;
            if (!(m->runs[r].versions & (1u << f))) continue;
            x = pd_machine_value(&m->runs[0].run.machine, f, a, sizeof a);
            y = pd_machine_value(&m->runs[r].run.machine, f, b, sizeof b);
            fprintf(out, " %s %s where the first has %s", pd_machine_fields[f].label,
                    y ? y : "unknown", x ? x : "unknown");
        }
        fputc('\n', out);
    }
}

/* A run's marks for a lesson's claims, "✓✗○", "·" for a claim it does not
 * declare; "-" when it lacks the lesson. Into b. */
static void claim_marks(pd_buf *b, const pd_merge_lesson *ml, size_t r)
{
    const char *cls;

    if (!ml->in[r]) {
        pd_buf_puts(b, "-");
        return;
    }
    for (size_t c = 0; c < ml->nclaims; c++)
        pd_buf_puts(b, ml->claims[c].in[r] ? pd_claim_mark(ml->claims[c].in[r]->outcome, &cls)
                                           : "·");
    if (ml->nclaims == 0) pd_buf_puts(b, "no claims");
}

/* A line per lesson: its claims' marks under each run, and what is
 * marked. */
static void print_lessons(FILE *out, const pd_merge *m)
{
    size_t iw = 6, cw = label_width(m);

    for (size_t i = 0; i < m->nlessons; i++) {
        pd_buf b = {0};
        if (strlen(m->lessons[i].id) > iw) iw = strlen(m->lessons[i].id);
        for (size_t r = 0; r < m->nruns; r++) {
            claim_marks(&b, &m->lessons[i], r);
            if (pd_utf8_width(pd_buf_str(&b)) > cw) cw = pd_utf8_width(pd_buf_str(&b));
            pd_buf_free(&b);
        }
    }
    fputs("\nClaims per run (✓ confirmed, ✗ not confirmed, ○ not measured, · not declared):\n  ", out);
    pad(out, "lesson", iw);
    for (size_t r = 0; r < m->nruns; r++) {
        fputs("  ", out);
        pad(out, m->runs[r].label, r + 1 < m->nruns ? cw : 0);
    }
    fputc('\n', out);
    for (size_t i = 0; i < m->nlessons; i++) {
        const pd_merge_lesson *ml = &m->lessons[i];
        int tail = ml->ndisagree > 0; /* words follow the last column */
        for (size_t r = 0; r < m->nruns; r++) tail |= ml->declared[r] != NULL;
        fputs("  ", out);
        pad(out, ml->id, iw);
        for (size_t r = 0; r < m->nruns; r++) {
            pd_buf b = {0};
            claim_marks(&b, ml, r);
            fputs("  ", out);
            pad(out, pd_buf_str(&b), r + 1 < m->nruns || tail ? cw : 0);
            pd_buf_free(&b);
        }
        if (ml->ndisagree) fprintf(out, "  disagree");
        for (size_t r = 0; r < m->nruns; r++)
            if (ml->declared[r])
                fprintf(out, "  " MISMATCH " %s declared other %s", m->runs[r].label,
                        ml->declared[r]);
        fputc('\n', out);
    }
}

/* Lessons whose runs measured different sizes: compared where they meet. */
static void print_sizes(FILE *out, const pd_merge *m)
{
    int any = 0;

    for (size_t i = 0; i < m->nlessons; i++) {
        pd_buf b = {0};
        sizes_note(&b, m, &m->lessons[i]);
        if (b.len)
            fprintf(out, "%s  %s: %s\n", any++ ? "" : "\nSizes not every run measured:\n",
                    m->lessons[i].id, b.s);
        pd_buf_free(&b);
    }
}

/* Each claim that disagrees, with every run's outcome. */
static void print_disagreements(FILE *out, const pd_merge *m)
{
    size_t n = 0;

    for (size_t i = 0; i < m->nlessons; i++) n += m->lessons[i].ndisagree > 0;
    if (n == 0) {
        fputs("\nNo claim disagrees: where two runs decided the same claim, they decided "
              "it alike.\n", out);
        return;
    }
    fprintf(out, "\n%zu lesson%s whose claims disagree between runs:\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < m->nlessons; i++) {
        const pd_merge_lesson *ml = &m->lessons[i];
        for (size_t c = 0; c < ml->nclaims; c++) {
            pd_buf s = {0};
            if (!ml->claims[c].disagree) continue;
            pd_claim_sentence(&s, ml->claims[c].claim);
            fprintf(out, "  %s: %s\n   ", ml->id, pd_buf_str(&s));
            for (size_t r = 0, k = 0; r < m->nruns; r++) {
                const pd_claim *x = ml->claims[c].in[r];
                const char *cls;
                if (x)
                    fprintf(out, "%s%s: %s %s", k++ ? ", " : " ", m->runs[r].label,
                            pd_claim_mark(x->outcome, &cls), pd_claim_outcome_word(x->outcome));
            }
            fputc('\n', out);
            pd_buf_free(&s);
        }
    }
}

/* ---------------------------------------------------------------------
 * Chart
 * ------------------------------------------------------------------ */

/* The lesson's speedups at the size that speaks: a group per variant, a
 * bar per run in the run's own colour (machines beyond ten share the
 * last), so a claim that holds on one machine and not on another shows as
 * bars of different lengths in one group. */
static int draw_lesson_chart(const char *gnuplot, const char *charts_dir, const pd_merge *m,
                             const pd_merge_lesson *ml, pd_err *e)
{
    size_t cap = ml->nvariants * (m->nruns + 1), n = 0;
    pd_bar *rows = pd_xcalloc(cap, sizeof *rows);
    char **labels = pd_xcalloc(cap, sizeof *labels), **names = pd_xcalloc(cap, sizeof *names);
    char *stem = pd_chart_stem(ml->id, "merge"), count[32];
    char *xlabel = pd_strdup_printf("speedup over each run's slowest correct variant at "
                                    "n = %s (log scale)",
                                    pd_fmt_n((double)ml->speaking_n, count, sizeof count));
    pd_bar_chart chart;
    int rc;

    for (size_t v = 0; v < ml->nvariants; v++) {
        rows[n++] = (pd_bar){.label = ml->variants[v], .value = NAN, .lo = NAN, .hi = NAN};
        for (size_t r = 0; r < m->nruns; r++) {
            const pd_size_result *s = size_at(ml->in[r], ml->speaking_n);
            if (!ml->in[r]) continue; /* the card's tables say so; a bar would not */
            const pd_variant_result *x = pd_size_variant(s, ml->variants[v]);
            char t[32];
            int shown = x && x->speedup > 0 && pd_variant_time(x) > 0;
            names[n] = pd_strdup_printf("%s%s", m->runs[r].label,
                                        marked(m, ml, r) ? " " MISMATCH : "");
            rows[n] = (pd_bar){.name = names[n], .value = shown ? x->speedup : NAN,
                               .lo = shown ? x->speedup_lo : NAN,
                               .hi = shown ? x->speedup_hi : NAN,
                               .linetype = r < 10 ? (int)r + 1 : 10,
                               .hatched = shown && (x->extrapolated || x->speedup_extrapolated)};
            labels[n] = shown ? pd_strdup(pd_fmt_ratio(x->speedup, t, sizeof t))
                              : pd_strdup(no_time_text(ml->in[r], s, x));
            rows[n].label = labels[n];
            n++;
        }
    }
    chart = (pd_bar_chart){.stem = stem, .title = ml->id, .xlabel = xlabel, .base = 1,
                           .rows = rows, .nrows = n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, NULL, e);
    for (size_t i = 0; i < n; i++) {
        free(labels[i]);
        free(names[i]);
    }
    free(names);
    free(labels);
    free(rows);
    free(xlabel);
    free(stem);
    return rc;
}

/* Draws every lesson's chart into out_dir/charts; a lesson without a size
 * that speaks has none. */
static int draw_charts(const char *gnuplot, const char *out_dir, const pd_merge *m, pd_err *e)
{
    char *charts = pd_strdup_printf("%s/charts", out_dir);
    int rc = pd_mkdir_p(charts, e);

    for (size_t i = 0; rc == 0 && i < m->nlessons; i++) {
        if (!m->lessons[i].speaking_n) continue;
        if ((rc = draw_lesson_chart(gnuplot, charts, m, &m->lessons[i], e)) < 0)
            pd_error_prefix(e, "merged chart of lesson %s", m->lessons[i].id);
    }
    free(charts);
    return rc;
}

/* ---------------------------------------------------------------------
 * Page
 * ------------------------------------------------------------------ */

/* The run's label as a column head, with the mark when its software or
 * this lesson's declaration differs (ml NULL: software only). */
static void run_head(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml, size_t r,
                     const char *cls)
{
    int mark = ml ? marked(m, ml, r) : pd_merge_versions_differ(m, r);

    pd_buf_printf(b, "<th class=\"%s%s\">", cls, mark ? " mismatch" : "");
    pd_html_escape(b, m->runs[r].label);
    if (mark) pd_buf_puts(b, " " MISMATCH);
    pd_buf_puts(b, "</th>");
}

/* A row of the machines table: one fingerprint field in every run;
 * version fields that differ from the first run's marked. */
static void machine_row(pd_buf *b, const pd_merge *m, size_t f)
{
    char buf[160];
    int any = 0;

    for (size_t r = 0; r < m->nruns; r++)
        any |= pd_machine_value(&m->runs[r].run.machine, f, buf, sizeof buf) != NULL;
    if (!any) return;
    pd_buf_printf(b, "<tr data-field=\"%s\">", pd_machine_fields[f].key);
    pd_html_wrap(b, "<th>", pd_machine_fields[f].label, "</th>");
    for (size_t r = 0; r < m->nruns; r++) {
        const char *v = pd_machine_value(&m->runs[r].run.machine, f, buf, sizeof buf);
        int mark = (m->runs[r].versions >> f) & 1u;
        pd_buf_puts(b, mark ? "<td class=\"diff mismatch\">" MISMATCH " " : "<td>");
        pd_html_escape(b, v ? v : "-");
        pd_buf_puts(b, "</td>");
    }
    pd_buf_puts(b, "</tr>\n");
}

static void machines_table(pd_buf *b, const pd_merge *m)
{
    pd_buf_puts(b, "<div class=\"tablewrap\"><table class=\"fp machines\">\n<tr><th></th>");
    for (size_t r = 0; r < m->nruns; r++) run_head(b, m, NULL, r, "run");
    pd_buf_puts(b, "</tr>\n<tr data-field=\"source\"><th>results</th>");
    for (size_t r = 0; r < m->nruns; r++) pd_html_wrap(b, "<td><code>", m->runs[r].source, "</code></td>");
    pd_buf_puts(b, "</tr>\n<tr data-field=\"started\"><th>started</th>");
    for (size_t r = 0; r < m->nruns; r++)
        pd_html_wrap(b, "<td>", *m->runs[r].run.started ? m->runs[r].run.started : "-", "</td>");
    pd_buf_puts(b, "</tr>\n");
    for (size_t f = 0; f < pd_machine_nfields; f++) machine_row(b, m, f);
    pd_buf_puts(b, "</table></div>\n");
}

/* The warning under the machines table when versions differ. */
static void versions_alert(pd_buf *b, const pd_merge *m)
{
    size_t n = 0;

    for (size_t r = 1; r < m->nruns; r++) n += (size_t)pd_merge_versions_differ(m, r);
    if (n == 0) return;
    pd_buf_printf(b, "<p class=\"alert\" id=\"versions-differ\">⚠ %zu run%s ran other "
                     "software than run ", n, n == 1 ? "" : "s");
    pd_html_escape(b, m->runs[0].label);
    pd_buf_puts(b, " (marked " MISMATCH "): a difference in their figures may come from "
                   "the library, not the machine. They are shown side by side, never "
                   "pooled.</p>\n");
}

static void page_header(pd_buf *b, const pd_merge *m, int charts)
{
    size_t nd = 0;

    for (size_t i = 0; i < m->nlessons; i++) nd += m->lessons[i].ndisagree > 0;
    pd_buf_printf(b, "<header class=\"card\">\n<h1>Many runs side by side</h1>\n"
                     "<p class=\"sub\">%zu runs from %zu machine%s · %zu lesson%s</p>\n",
                  m->nruns, m->nmachines, m->nmachines == 1 ? "" : "s", m->nlessons,
                  m->nlessons == 1 ? "" : "s");
    machines_table(b, m);
    versions_alert(b, m);
    if (!charts)
        pd_buf_puts(b, "<div class=\"missing\">No charts: gnuplot is not installed "
                       "(<code>apt-get install gnuplot-nox</code>, then merge again). "
                       "The tables below have every number.</div>\n");
    pd_buf_printf(b, "<p class=\"summary\">%zu lesson%s with claims that disagree between "
                     "runs: confirmed in one, not confirmed in another.</p>\n",
                  nd, nd == 1 ? "" : "s");
    pd_buf_puts(b, "<nav><h3>Lessons</h3><ol>\n");
    for (size_t i = 0; i < m->nlessons; i++) {
        const pd_merge_lesson *ml = &m->lessons[i];
        pd_buf_printf(b, "<li><a href=\"#lesson-%zu\">", i + 1);
        pd_html_escape(b, ml->id);
        pd_buf_puts(b, "</a>");
        if (ml->ndisagree)
            pd_buf_printf(b, "<span class=\"best flag\">%zu claim%s disagree%s</span>",
                          ml->ndisagree, ml->ndisagree == 1 ? "" : "s",
                          ml->ndisagree == 1 ? "s" : "");
        pd_buf_puts(b, "</li>\n");
    }
    pd_buf_puts(b, "</ol></nav>\n</header>\n");
}

/* The lesson's question and its alerts: declarations that differ, claims
 * that disagree. */
static void lesson_head(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml)
{
    const pd_lesson_result *any = NULL;

    for (size_t r = 0; r < m->nruns && !any; r++) any = ml->in[r];
    pd_html_wrap(b, "<div class=\"meta\"><span class=\"badge\">", ml->id, "</span></div>\n");
    pd_html_wrap(b, "<h2>", any && any->lesson.question ? any->lesson.question : ml->id, "</h2>\n");
    for (size_t r = 0; r < m->nruns; r++) {
        if (!ml->declared[r]) continue;
        pd_html_wrap(b, "<p class=\"alert declared\">" MISMATCH " Run ", m->runs[r].label,
                     " declared this lesson differently from the first run with it: ");
        pd_html_escape(b, ml->declared[r]);
        pd_buf_puts(b, ". Its figures answer another question; they are marked, not "
                       "compared like for like.</p>\n");
    }
    if (ml->ndisagree)
        pd_buf_printf(b, "<p class=\"alert disagree\">⚠ %zu claim%s came out differently "
                         "on different runs.</p>\n", ml->ndisagree,
                      ml->ndisagree == 1 ? "" : "s");
}

static void claims_table(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml)
{
    if (ml->nclaims == 0) return;
    pd_buf_puts(b, "<h3>What this lesson claims, run by run</h3>\n<div class=\"tablewrap\">"
                   "<table class=\"res claims\">\n<tr><th>claim</th>");
    for (size_t r = 0; r < m->nruns; r++) run_head(b, m, ml, r, "run");
    pd_buf_puts(b, "</tr>\n");
    for (size_t c = 0; c < ml->nclaims; c++) {
        pd_buf s = {0};
        pd_claim_sentence(&s, ml->claims[c].claim);
        pd_buf_printf(b, "<tr class=\"claim-row%s\" data-disagree=\"%d\">",
                      ml->claims[c].disagree ? " disagree" : "", ml->claims[c].disagree);
        pd_html_wrap(b, "<td>", s.s, "</td>");
        for (size_t r = 0; r < m->nruns; r++) claim_cell(b, ml->in[r], ml->claims[c].in[r]);
        pd_buf_puts(b, "</tr>\n");
        pd_buf_free(&s);
    }
    pd_buf_puts(b, "</table></div>\n");
}

/* Variants down, runs across, at size n. */
static void size_table(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml, uint64_t n)
{
    char count[32];

    pd_buf_printf(b, "<h3>n = %s rows</h3>\n<div class=\"tablewrap\"><table class=\"res "
                     "times\" data-n=\"%llu\">\n<tr><th>variant</th>",
                  pd_fmt_n((double)n, count, sizeof count), (unsigned long long)n);
    for (size_t r = 0; r < m->nruns; r++) run_head(b, m, ml, r, "num run");
    pd_buf_puts(b, "</tr>\n");
    for (size_t v = 0; v < ml->nvariants; v++) {
        pd_html_wrap(b, "<tr><td><code>", ml->variants[v], "</code></td>");
        for (size_t r = 0; r < m->nruns; r++) time_cell(b, ml->in[r], n, ml->variants[v]);
        pd_buf_puts(b, "</tr>\n");
    }
    pd_buf_puts(b, "</table></div>\n");
}

/* The size that speaks first, every other size folded. */
static void times_section(pd_buf *b, const pd_merge *m, const pd_merge_lesson *ml)
{
    size_t others = 0;
    pd_buf note = {0};

    sizes_note(&note, m, ml);
    if (note.len)
        pd_html_wrap(b, "<p class=\"legend sizes\">Sizes not every run measured: ", note.s,
                     ".</p>\n");
    pd_buf_free(&note);

    if (ml->speaking_n) size_table(b, m, ml, ml->speaking_n);
    for (size_t s = 0; s < ml->nsizes; s++) others += ml->sizes[s] != ml->speaking_n;
    if (others == 0) return;
    pd_buf_puts(b, ml->speaking_n ? "<details><summary>Every other size</summary>\n"
                                  : "<details open><summary>Every size</summary>\n");
    for (size_t s = 0; s < ml->nsizes; s++)
        if (ml->sizes[s] != ml->speaking_n) size_table(b, m, ml, ml->sizes[s]);
    pd_buf_puts(b, "</details>\n");
}

static void lesson_chart(pd_buf *b, const char *out_dir, const pd_merge_lesson *ml)
{
    char *png = pd_chart_path(out_dir, ml->id, "merge", "png");
    char *alt = pd_strdup_printf("speedups of %s on each run", ml->id);

    pd_html_chart(b, png, alt, "Each run's speedup over its own slowest correct variant, "
                  "at the size the tables lead with: a bar per run, a group per variant, "
                  "with the 95% interval; hatched bars are extrapolated.", out_dir);
    free(alt);
    free(png);
}

static void lesson_card(pd_buf *b, const char *out_dir, int charts, const pd_merge *m,
                        const pd_merge_lesson *ml, size_t i)
{
    pd_buf_printf(b, "<section class=\"card lesson\" id=\"lesson-%zu\" data-lesson=\"", i + 1);
    pd_html_escape(b, ml->id);
    pd_buf_printf(b, "\" data-disagree=\"%zu\">\n", ml->ndisagree);
    lesson_head(b, m, ml);
    claims_table(b, m, ml);
    if (charts && ml->speaking_n) lesson_chart(b, out_dir, ml);
    times_section(b, m, ml);
    pd_buf_puts(b, "<p class=\"legend\">Each cell is one run's own measurement: median "
                   "time per call, ± its interquartile range, then the speedup over that "
                   "run's slowest correct variant with its 95% interval (no diff: the interval "
                   "holds 1). "
                   PD_EXTRAPOLATED_MARK " marks a time extrapolated from the fitted growth; "
                   "! unsteady samples; " MISMATCH " a run with other software or another "
                   "declaration of the lesson.</p>\n</section>\n");
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

int pd_merge_report(const pd_merge *m, const char *out_dir, FILE *out, pd_err *e)
{
    char *html = pd_strdup_printf("%s/merged.html", out_dir);
    char *gnuplot = pd_gnuplot_find();
    pd_buf page = {0};
    int rc = -1;

    if (pd_mkdir_p(out_dir, e) < 0 || (gnuplot && draw_charts(gnuplot, out_dir, m, e) < 0))
        goto cleanup;
    pd_html_begin(&page, "pdlab merge");
    page_header(&page, m, gnuplot != NULL);
    for (size_t i = 0; i < m->nlessons; i++)
        lesson_card(&page, out_dir, gnuplot != NULL, m, &m->lessons[i], i);
    pd_buf_puts(&page, "<footer>Merged by pdlab from each run's results.json. Two runs in "
                       "detail: <code>pdlab compare A B</code>.</footer>\n");
    pd_html_end(&page);
    if (pd_write_file_atomic(html, page.s, page.len, e) < 0) goto cleanup;

    fprintf(out, "Merging %zu runs from %zu machine%s\n", m->nruns, m->nmachines,
            m->nmachines == 1 ? "" : "s");
    print_runs(out, m);
    print_version_notes(out, m);
    print_lessons(out, m);
    print_sizes(out, m);
    print_disagreements(out, m);
    if (!gnuplot) fprintf(out, "charts skipped: gnuplot is not installed (apt-get install gnuplot-nox)\n");
    fprintf(out, "merged: %s\n", html);
    rc = 0;
cleanup:
    pd_buf_free(&page);
    free(gnuplot);
    free(html);
    return rc;
}
