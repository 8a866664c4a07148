/* The HTML report of a run: see include/pdlab/report.h.
 *
 * Sections:
 *   cells        one variant's numbers as table cells, and its notes
 *   claims       what the lesson exists to show, each with its outcome
 *   lesson       a lesson's card: question, claims, summary, charts, table,
 *                the code of each variant
 *   entry        pd_report_write
 *
 * The report reads the run through pd_results_read and shows what
 * evidence.h decides: the table at the size pd_speaking_size picks, the
 * headline of pd_lesson_headline. Page frame, escaping and charts are in
 * html.c. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/report.h"
#include "pdlab/results.h"
#include "plot_int.h"

/* ---------------------------------------------------------------------
 * Cells
 * ------------------------------------------------------------------ */

/* The last non-empty line of an exception or crash story: the part that
 * names what went wrong. New string. */
static char *last_line(const char *s)
{
    const char *end = s + strlen(s), *start;

    while (end > s && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r')) end--;
    start = end;
    while (start > s && start[-1] != '\n') start--;
    return pd_strdup_printf("%.*s", (int)(end - start), start);
}

static void td_num(pd_buf *b, const char *cls, const char *text)
{
    pd_buf_printf(b, "<td class=\"num%s%s\">", cls ? " " : "", cls ? cls : "");
    pd_html_escape(b, text);
    pd_buf_puts(b, "</td>");
}

/* A note row under a variant: the mismatch, a warning, the error. */
static void note_row(pd_buf *b, const char *cls, const char *lead, const char *text)
{
    pd_buf_printf(b, "<tr class=\"note %s\"><td></td><td colspan=\"7\"><strong>", cls);
    pd_html_escape(b, lead);
    pd_html_wrap(b, "</strong> ", text, "</td></tr>\n");
}

/* The words of the instability flags, joined. New string, or NULL when
 * the samples were steady. */
static char *instability_text(unsigned flags)
{
    pd_buf b = {0};

    for (unsigned f = 1; f & PD_UNSTABLE_ALL; f <<= 1)
        if (flags & f) pd_buf_printf(&b, "%s%s", b.len ? "; " : "", pd_instability_word(f));
    return b.s;
}

/* Median and spread; for a variant not run, its extrapolated time (when
 * it has one) and why it was not run. */
static void time_cells(pd_buf *b, const pd_variant_result *v)
{
    char t[32], u[64];

    if (pd_variant_measured(v)) {
        snprintf(u, sizeof u, "%s%s", v->unstable ? "! " : "",
                 pd_fmt_seconds(v->stats.median, t, sizeof t));
        td_num(b, NULL, u);
        snprintf(u, sizeof u, "± %s", pd_fmt_seconds(v->stats.iqr, t, sizeof t));
        td_num(b, "opt", isfinite(v->stats.iqr) ? u : "-");
    } else if (v->status == PD_NOT_RUN) {
        snprintf(u, sizeof u, PD_EXTRAPOLATED_MARK " %s",
                 pd_fmt_seconds(v->stats.median, t, sizeof t));
        td_num(b, "extrap", pd_variant_extrapolated(v) ? u : "-");
        td_num(b, "extrap opt", pd_skip_word(v->skip));
    } else {
        td_num(b, NULL, "-");
        td_num(b, "opt", "-");
    }
}

static void speedup_cell(pd_buf *b, const pd_variant_result *v)
{
    char t[32];
    int extrap = v->speedup_extrapolated || v->extrapolated;

    pd_buf_puts(b, "<td class=\"num\">");
    if (!(pd_variant_time(v) > 0) || !(v->speedup > 0)) {
        pd_buf_puts(b, "-</td>");
        return;
    }
    if (extrap) pd_buf_puts(b, "<span class=\"extrap\">" PD_EXTRAPOLATED_MARK " ");
    pd_html_escape(b, pd_fmt_ratio(v->speedup, t, sizeof t));
    if (extrap) pd_buf_puts(b, "</span>");
    if (v->speedup_lo > 0 && v->speedup_hi >= v->speedup_lo) {
        pd_html_wrap(b, "<br><span class=\"ci\">", pd_fmt_ratio(v->speedup_lo, t, sizeof t), " – ");
        pd_html_escape(b, pd_fmt_ratio(v->speedup_hi, t, sizeof t));
        pd_buf_puts(b, "</span>");
        if (pd_speedup_is_noise(v))
            pd_buf_puts(b, "<br><span class=\"ci\">no measurable difference</span>");
    }
    pd_buf_puts(b, "</td>");
}

/* Resident memory grows in pages: under one page is "< 4 KiB", as the
 * charts say, not a missing value. */
static void memory_cells(pd_buf *b, const pd_variant_result *v)
{
    char t[32];
    int ran = v->status != PD_NOT_RUN;

    pd_buf_puts(b, "<td class=\"num\">");
    if (ran && v->peak_bytes >= 0 && v->peak_bytes < PD_PAGE_BYTES)
        pd_html_escape(b, "< 4 KiB");
    else
        pd_html_escape(b, pd_fmt_bytes(ran ? (double)v->peak_bytes : 0, t, sizeof t));
    if (ran && v->peak_bytes >= 0 && v->peak_fresh)
        pd_buf_puts(b, "<br><span class=\"ci\">alone, fresh process</span>");
    pd_buf_puts(b, "</td>");
    td_num(b, "opt", pd_fmt_bytes(ran ? (double)v->py_peak_bytes : 0, t, sizeof t));
}

static void verdict_cell(pd_buf *b, const pd_variant_result *v)
{
    pd_buf_puts(b, "<td class=\"verdict\">");
    if (pd_variant_measured(v)) pd_buf_puts(b, "<span class=\"yes\">✓ yes</span>");
    else if (v->status == PD_WRONG) pd_buf_puts(b, "✗ wrong");
    else if (v->status == PD_NOT_RUN) {
        pd_html_wrap(b, "<span class=\"extrap\">not run: ", pd_skip_word(v->skip), "</span>");
    } else pd_html_escape(b, pd_status_phrase(v->status));
    pd_buf_puts(b, "</td></tr>\n");
}

/* What the numbers do not say: mismatch, warnings, error, unsteadiness,
 * extrapolation, the lesson's observation. */
static void variant_notes(pd_buf *b, const pd_variant_result *v)
{
    const char *w = v->warnings;
    char *unstable = instability_text(v->unstable);

    if (v->mismatch) note_row(b, "wrong", "Differs from the reference:", v->mismatch);
    while (w && *w) {
        char *line = pd_strdup_printf("%.*s", (int)strcspn(w, "\n"), w);
        if (*line) note_row(b, v->status == PD_WRONG ? "wrong" : "info", "Warning:", line);
        w += strlen(line);
        w += *w == '\n';
        free(line);
    }
    if (v->error && !pd_variant_measured(v)) {
        char *line = last_line(v->error);
        note_row(b, "failed", "Error:", line);
        free(line);
    }
    if (unstable && pd_variant_measured(v))
        note_row(b, "info", "! Unsteady samples:", unstable);
    if (pd_variant_extrapolated(v))
        note_row(b, "info", PD_EXTRAPOLATED_MARK " Extrapolated:", "not run at this size; "
                 "the time comes from the growth fitted over the sizes it ran at.");
    if (v->observation) note_row(b, "info", "Observation:", v->observation);
    free(unstable);
}

/* The anchor of variant k's code in lesson `index`'s card. */
static void code_anchor(pd_buf *b, size_t index, int k)
{
    pd_buf_printf(b, "lesson-%zu-code-%d", index + 1, k + 1);
}

/* One variant at one size: its row, then notes. Correctness first: a time
 * shows only for a result that matched the reference. The name links to
 * the variant's code below the tables. */
static void variant_row(pd_buf *b, const pd_lesson *l, size_t index,
                        const pd_variant_result *v)
{
    int i = pd_lesson_variant_index(l, v->name);
    const char *doc = i >= 0 ? l->variants[i].doc : NULL;
    const char *cls = pd_variant_measured(v) ? "ok"
                      : v->status == PD_NOT_RUN ? "notrun"
                      : v->status == PD_WRONG ? "wrong" : "failed";

    pd_buf_printf(b, "<tr class=\"%s\"><td>", cls);
    if (i >= 0 && l->variants[i].source) {
        pd_buf_puts(b, "<a href=\"#");
        code_anchor(b, index, i);
        pd_html_wrap(b, "\"><code>", v->name, "</code></a>");
    } else {
        pd_html_wrap(b, "<code>", v->name, "</code>");
    }
    if (doc && *doc) {
        pd_html_wrap(b, "<span class=\"doc\">", doc, "</span>");
    }
    pd_html_wrap(b, "</td><td class=\"opt\">", v->kind, "</td>");
    time_cells(b, v);
    speedup_cell(b, v);
    memory_cells(b, v);
    verdict_cell(b, v);
    variant_notes(b, v);
}

static void size_table(pd_buf *b, const pd_lesson_result *l, size_t index,
                       const pd_size_result *s)
{
    const char *part = NULL;

    /* Columns marked opt give way on a narrow screen (html.c's styles). */
    pd_buf_puts(b, "<div class=\"tablewrap\"><table class=\"res\">\n<tr><th>variant</th>"
                   "<th class=\"opt\">kind</th><th class=\"num\">median</th>"
                   "<th class=\"num opt\">± IQR</th><th class=\"num\">speedup</th>"
                   "<th class=\"num\">peak RSS</th><th class=\"num opt\">Python peak</th>"
                   "<th>correct?</th></tr>\n");
    for (size_t j = 0; j < s->nvariants; j++) {
        const char *p = pd_variant_part(&l->lesson, s->variants[j].name);
        if (l->lesson.nparts > 1 && (!part || strcmp(p, part) != 0)) {
            pd_html_wrap(b, "<tr class=\"part\"><td colspan=\"8\">", p, "</td></tr>\n");
            part = p;
        }
        variant_row(b, &l->lesson, index, &s->variants[j]);
    }
    pd_buf_puts(b, "</table></div>\n");
}

/* ---------------------------------------------------------------------
 * Claims
 * ------------------------------------------------------------------ */

/* No default: -Wswitch names an outcome the report has no mark for. */
const char *pd_claim_mark(pd_claim_outcome o, const char **cls)
{
    switch (o) {
    case PD_CLAIM_CONFIRMED:     *cls = "confirmed"; return "✓";
    case PD_CLAIM_NOT_CONFIRMED: *cls = "not-confirmed"; return "✗";
    case PD_CLAIM_NOT_MEASURED:  *cls = "not-measured"; return "○";
    case PD_CLAIM_UNDECIDED:     *cls = "undecided"; return "…";
    }
    *cls = "undecided";
    return "?";
}

void pd_claim_sentence(pd_buf *b, const pd_claim *c)
{
    char n[32], from[32];
    const char *other = c->other ? c->other : "?";

    pd_fmt_n((double)c->n, n, sizeof n);
    pd_fmt_n((double)c->n_from, from, sizeof from);
    switch (c->kind) {
    case PD_CLAIM_FASTER:
        pd_buf_printf(b, "%s is at least %gx faster than %s at n = %s", c->variant,
                      c->factor, other, n); break;
    case PD_CLAIM_SIMILAR:
        pd_buf_printf(b, "%s and %s take within %gx of each other's time at n = %s",
                      c->variant, other, c->factor, n); break;
    case PD_CLAIM_GROWTH:
        pd_buf_printf(b, "the time of %s grows as n^k with %g ≤ k ≤ %g", c->variant,
                      c->lo, c->hi); break;
    case PD_CLAIM_LESS_MEMORY:
        pd_buf_printf(b, "%s needs at least %gx less memory than %s at n = %s, each "
                      "alone in a fresh process", c->variant, c->factor, other, n); break;
    case PD_CLAIM_MEMORY_FLAT:
        pd_buf_printf(b, "the peak memory of %s at n = %s is at most %gx its peak at "
                      "n = %s", c->variant, n, c->factor, from); break;
    case PD_CLAIM_MEMORY_GROWS:
        pd_buf_printf(b, "the peak memory of %s at n = %s is at least %gx its peak at "
                      "n = %s", c->variant, n, c->factor, from); break;
    case PD_CLAIM_WRONG:
        pd_buf_printf(b, "%s gives a result that differs from the reference", c->variant);
        if (c->n) pd_buf_printf(b, " at n = %s", n);
        if (c->warning) pd_buf_printf(b, ", with a %s", c->warning);
        break;
    case PD_CLAIM_FAILS:
        pd_buf_printf(b, "%s fails at n = %s, raising %s", c->variant, n, c->warning);
        break;
    case PD_CLAIM_STATISTIC:
        pd_buf_printf(b, "the %s of %s at n = %s lies between %g and %g", c->statistic,
                      c->variant, n, c->lo, c->hi); break;
    case PD_CLAIM_STATISTIC_RATIO:
        pd_buf_printf(b, "the %s of %s is at least %gx that of %s at n = %s", c->statistic,
                      c->variant, c->factor, other, n); break;
    }
}

void pd_claim_figure(pd_buf *b, const pd_claim *c)
{
    char f[32], lo[32], hi[32];
    int growth = c->kind == PD_CLAIM_GROWTH;
    int plain = growth || c->kind == PD_CLAIM_STATISTIC;

    if (!isfinite(c->figure)) return;
    if (growth) snprintf(f, sizeof f, "n^%.2f", c->figure);
    else if (plain) snprintf(f, sizeof f, "%.3g", c->figure);
    else pd_fmt_ratio(c->figure, f, sizeof f);
    pd_buf_printf(b, "Measured %s%s", c->figure_bound ? "over " : "", f);
    if (c->figure_bound)
        pd_buf_puts(b, " (a peak under 4 KiB, what the resident set resolves, counted as "
                       "4 KiB)");
    if (isfinite(c->figure_lo) && isfinite(c->figure_hi)) {
        if (plain) {
            snprintf(lo, sizeof lo, growth ? "%.2f" : "%.3g", c->figure_lo);
            snprintf(hi, sizeof hi, growth ? "%.2f" : "%.3g", c->figure_hi);
        } else {
            pd_fmt_ratio(c->figure_lo, lo, sizeof lo);
            pd_fmt_ratio(c->figure_hi, hi, sizeof hi);
        }
        pd_buf_printf(b, " (95%% interval %s – %s)", lo, hi);
    }
}

static void claims_section(pd_buf *b, const pd_lesson *l)
{
    if (l->nclaims == 0) return;
    pd_buf_puts(b, "<h3>What this lesson claims</h3>\n<ul class=\"claims\">\n");
    for (size_t i = 0; i < l->nclaims; i++) {
        const pd_claim *c = &l->claims[i];
        const char *cls, *mark = pd_claim_mark(c->outcome, &cls);
        pd_buf part = {0};

        pd_buf_printf(b, "<li class=\"claim %s\"><span class=\"mark\">%s</span> "
                         "<strong>", cls, mark);
        pd_html_escape(b, pd_claim_outcome_word(c->outcome));
        pd_buf_puts(b, ":</strong> ");
        pd_claim_sentence(&part, c);
        pd_html_escape(b, part.s);
        pd_buf_free(&part);
        pd_claim_figure(&part, c);
        if (part.len) {
            pd_html_wrap(b, ". <span class=\"figure\">", part.s, "</span>");
        }
        if (c->note) {
            pd_html_wrap(b, " — <span class=\"note\">", c->note, "</span>");
        }
        pd_buf_puts(b, "</li>\n");
        pd_buf_free(&part);
    }
    pd_buf_puts(b, "</ul>\n");
}

/* At the top of a card: the claims the run did not bear out. */
static void claims_alert(pd_buf *b, const pd_lesson *l)
{
    size_t no = pd_claims_count(l, PD_CLAIM_NOT_CONFIRMED);
    size_t nm = pd_claims_count(l, PD_CLAIM_NOT_MEASURED);

    if (no + nm == 0) return;
    pd_buf_printf(b, "<p class=\"alert\">⚠ Of %zu claim%s, ", l->nclaims,
                  l->nclaims == 1 ? "" : "s");
    if (no) pd_buf_printf(b, "%zu not confirmed", no);
    if (no && nm) pd_buf_puts(b, " and ");
    if (nm) pd_buf_printf(b, "%zu not measured", nm);
    pd_buf_puts(b, ": this run does not show all the lesson says.</p>\n");
}

/* ---------------------------------------------------------------------
 * Lesson
 * ------------------------------------------------------------------ */

/* The curves the lesson declared, each its own chart, captioned with its
 * title. */
static void curve_charts(pd_buf *b, const pd_lesson_result *l, const char *dir)
{
    const char *title;

    for (size_t k = 0; (title = pd_curve_title(l, k)) != NULL; k++) {
        char *kind = pd_curve_kind(k);
        char *path = pd_chart_path(dir, l->lesson.id, kind, "png");
        char *alt = pd_strdup_printf("curve chart: %s", title);
        pd_html_chart(b, path, alt, title, dir);
        free(alt);
        free(path);
        free(kind);
    }
}

/* The anchor of a lesson: its position, which is unique and safe. */
static void lesson_anchor(pd_buf *b, size_t index)
{
    pd_buf_printf(b, "lesson-%zu", index + 1);
}

static void lesson_charts(pd_buf *b, const char *dir, const pd_lesson_result *l)
{
    static const struct { const char *kind, *caption; } charts[] = {
        {"speedup", "Speedup over the slowest correct variant, at the size that speaks "
                    "for each part (the table's). Wrong and failed variants get no bar; "
                    PD_EXTRAPOLATED_MARK " and hatching mark extrapolated times."},
        {"time", "Time per call against rows, both axes logarithmic; the key gives each "
                 "variant's fitted growth n^k (k = 1: linear)."},
        {"memory", "Peak memory of one call against rows: the growth of the resident "
                   "set, which moves in pages. A peak under one page sits on the floor "
                   "labelled < 4 KiB; where that hides a variant, its Python heap "
                   "(tracemalloc) is drawn beside it."},
    };
    /* Which chart leads: the one that makes the lesson's point. */
    const char *focus = l->lesson.focus;
    int order[3] = {0, 1, 2};

    if (focus && strcmp(focus, "memory") == 0) order[0] = 2, order[1] = 0, order[2] = 1;
    if (focus && strcmp(focus, "growth") == 0) order[0] = 1, order[1] = 0, order[2] = 2;
    for (int i = 0; i < 3; i++) {
        const char *kind = charts[order[i]].kind;
        char *path, *alt;
        if (!pd_chart_expected(l, kind)) continue;
        path = pd_chart_path(dir, l->lesson.id, kind, "png");
        alt = pd_strdup_printf("%s chart: %s", kind,
                               l->lesson.question ? l->lesson.question : "");
        pd_html_chart(b, path, alt, charts[order[i]].caption, dir);
        free(alt);
        free(path);
    }
    curve_charts(b, l, dir);
}

/* A paragraph with a small heading, when the text is there. */
static void labelled(pd_buf *b, const char *heading, const char *text)
{
    if (!text) return;
    pd_html_wrap(b, "<div><h3>", heading, "</h3><p>");
    pd_html_escape(b, text);
    pd_buf_puts(b, "</p></div>\n");
}

/* The lesson's "profile" names a variant; the text is in that variant's
 * result at the largest size where it was profiled. */
static void profile_section(pd_buf *b, const pd_lesson_result *l)
{
    const char *name = l->lesson.profile, *text = NULL;
    uint64_t at = 0;
    char n[32];

    for (size_t i = 0; name && i < l->nsizes; i++) {
        const pd_variant_result *v = pd_size_variant(&l->sizes[i], name);
        if (v && v->profile) {
            text = v->profile;
            at = l->sizes[i].n;
        }
    }
    if (text == NULL) return;
    pd_buf_puts(b, "<details><summary>Where ");
    pd_html_escape(b, name);
    pd_buf_printf(b, " spends its time, profiled once at n = %s</summary><pre>",
                  pd_fmt_n((double)at, n, sizeof n));
    pd_html_escape(b, text);
    pd_buf_puts(b, "</pre></details>\n");
}

/* Badges, the question, the alert about claims, summary and error. */
static void lesson_head(pd_buf *b, const pd_lesson_result *l)
{
    const pd_lesson *d = &l->lesson;

    pd_html_wrap(b, "<div class=\"meta\"><span class=\"badge\">", d->id, "</span>");
    if (d->trivia) {
        int known = strcmp(d->trivia, "none") == 0 || strcmp(d->trivia, "partial") == 0
                    || strcmp(d->trivia, "yes") == 0;
        pd_buf_puts(b, "<span class=\"badge trivia-");
        pd_html_escape(b, known ? d->trivia : "other");
        pd_buf_puts(b, "\" title=\"How much the question rewards having seen it before\">"
                       "trivia tax: ");
        pd_html_escape(b, d->trivia);
        pd_buf_puts(b, "</span>");
    }
    if (d->dataset) {
        pd_html_wrap(b, " dataset <code>", d->dataset, "</code>");
    }
    pd_html_wrap(b, "</div>\n<h2>", d->question ? d->question : d->id, "</h2>\n");
    claims_alert(b, d);
    if (l->summary) {
        pd_html_wrap(b, "<p class=\"summary\">", l->summary, "</p>\n");
    }
    if (l->error) {
        pd_html_wrap(b, "<div class=\"error\"><strong>This lesson could not run.</strong><pre>", l->error, "</pre></div>\n");
    }
}

/* The table at the size that speaks for the main part, then every size. */
static void lesson_tables(pd_buf *b, const pd_lesson_result *l, size_t index)
{
    long at = pd_speaking_size(l, pd_lesson_main_part(&l->lesson));
    char n[32];

    if (at >= 0) {
        pd_buf_printf(b, "<h3>Measured at n = %s rows</h3>\n",
                      pd_fmt_n((double)l->sizes[at].n, n, sizeof n));
        size_table(b, l, index, &l->sizes[at]);
        pd_buf_puts(b, "<p class=\"legend\">Median of the samples, ± the interquartile range; "
                       "speedup over the slowest correct variant (with its interval when "
                       "measured); peak RSS is the growth of resident memory during one call, "
                       "Python peak what tracemalloc saw. " PD_EXTRAPOLATED_MARK " marks "
                       "values extrapolated from the fitted growth, not measured; ! marks "
                       "unsteady samples.</p>\n");
    }
    if (l->nsizes > (at >= 0 ? 1u : 0u)) {
        pd_buf_puts(b, "<details><summary>Every size</summary>\n");
        for (size_t k = 0; k < l->nsizes; k++) {
            pd_buf_printf(b, "<h3>n = %s rows</h3>\n",
                          pd_fmt_n((double)l->sizes[k].n, n, sizeof n));
            size_table(b, l, index, &l->sizes[k]);
        }
        pd_buf_puts(b, "</details>\n");
    }
}

/* What was timed: each variant's source as the lesson file has it, in
 * declaration order (a lesson read before sources were recorded has none,
 * and shows none). */
static void code_section(pd_buf *b, const pd_lesson *l, size_t index)
{
    int any = 0;

    for (size_t k = 0; k < l->nvariants; k++) any |= l->variants[k].source != NULL;
    if (!any) return;
    pd_buf_puts(b, "<h3>The code that was timed</h3>\n");
    for (size_t k = 0; k < l->nvariants; k++) {
        const pd_variant_info *v = &l->variants[k];
        if (!v->source) continue;
        pd_buf_puts(b, "<div class=\"code\" id=\"");
        code_anchor(b, index, (int)k);
        pd_html_wrap(b, "\"><h4><code>", v->name, "</code>");
        if (v->doc && *v->doc) pd_html_wrap(b, "<span class=\"doc\">", v->doc, "</span>");
        pd_buf_puts(b, "</h4><pre class=\"src\">");
        pd_html_python(b, v->source);
        pd_buf_puts(b, "</pre></div>\n");
    }
}

static void lesson_section(pd_buf *b, const char *dir, const pd_lesson_result *l,
                           size_t index)
{
    pd_buf_puts(b, "<section class=\"card lesson\" id=\"");
    lesson_anchor(b, index);
    pd_buf_printf(b, "\" data-claims-unconfirmed=\"%zu\">\n",
                  pd_claims_count(&l->lesson, PD_CLAIM_NOT_CONFIRMED)
                  + pd_claims_count(&l->lesson, PD_CLAIM_NOT_MEASURED));
    lesson_head(b, l);
    claims_section(b, &l->lesson);
    pd_buf_puts(b, "<div class=\"qa\">\n");
    labelled(b, "The strong answer", l->lesson.answer);
    labelled(b, "What it signals", l->lesson.signal);
    pd_buf_puts(b, "</div>\n");
    lesson_charts(b, dir, l);
    lesson_tables(b, l, index);
    code_section(b, &l->lesson, index);
    profile_section(b, l);
    pd_buf_puts(b, "</section>\n");
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

/* The list of lessons, each with its headline. */
static void lesson_index(pd_buf *b, const pd_run *run)
{
    pd_buf_puts(b, "<nav><h3>Lessons</h3><ol>\n");
    for (size_t i = 0; i < run->nlessons; i++) {
        const pd_lesson_result *l = &run->lessons[i];
        pd_headline h;
        char *best = pd_headline_text(l, &h);
        pd_buf_puts(b, "<li><a href=\"#");
        lesson_anchor(b, i);
        pd_html_wrap(b, "\">", l->lesson.question ? l->lesson.question : l->lesson.id, "</a>");
        if (best || l->error) {
            pd_html_wrap(b, "<span class=\"best\">", best ? best : "could not run", "</span>");
        }
        pd_buf_puts(b, "</li>\n");
        free(best);
    }
    pd_buf_puts(b, "</ol></nav>\n");
}

static void run_header(pd_buf *b, const char *dir, const pd_run *run)
{
    char t[32], *path;

    pd_buf_puts(b, "<header class=\"card\">\n<h1>What the measurements say</h1>\n"
                   "<p class=\"sub\">pdlab run ");
    pd_html_escape(b, dir);
    if (isfinite(run->wall_s)) {
        pd_buf_puts(b, " · took ");
        pd_html_escape(b, pd_fmt_seconds(run->wall_s, t, sizeof t));
    }
    pd_buf_printf(b, " · %zu lesson%s</p>\n", run->nlessons, run->nlessons == 1 ? "" : "s");
    pd_html_fingerprint(b, run, NULL);
    path = pd_chart_path(dir, NULL, "overview", "png");
    if (run->nlessons > 0)
        pd_html_chart(b, path, "the headline of each lesson", NULL, dir);
    free(path);
    lesson_index(b, run);
    pd_buf_puts(b, "</header>\n");
}

int pd_report_write(const char *results_dir, pd_err *e)
{
    char *path = pd_strdup_printf("%s/results.json", results_dir);
    char *out = pd_strdup_printf("%s/report.html", results_dir);
    pd_run run;
    pd_buf b = {0};
    int rc = -1;

    if (pd_results_read(path, &run, e) < 0) goto cleanup;
    pd_html_begin(&b, "pdlab report");
    run_header(&b, results_dir, &run);
    for (size_t i = 0; i < run.nlessons; i++)
        lesson_section(&b, results_dir, &run.lessons[i], i);
    pd_buf_puts(&b, "<footer>Drawn by pdlab from ");
    pd_html_escape(&b, path);
    pd_buf_puts(&b, ". Redraw with <code>pdlab plot DIR</code> and <code>pdlab report DIR</code>; "
                    "put two runs side by side with <code>pdlab compare A B</code>.</footer>\n");
    pd_html_end(&b);
    if (pd_write_file_atomic(out, b.s, b.len, e) < 0) goto cleanup;
    rc = 0;
cleanup:
    pd_run_free(&run);
    pd_buf_free(&b);
    free(out);
    free(path);
    return rc;
}
