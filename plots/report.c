/* The HTML report of a run: see include/pdlab/report.h.
 *
 * Sections:
 *   html         escaping, base64, the page frame and its styles, inlined
 *                charts, the machine fingerprint (shared with compare.c)
 *   cells        one variant's numbers as table cells
 *   lesson       a lesson: question, answer, signal, summary, charts, table
 *   entry        pd_report_write
 *
 * One self-contained file: styles inline, charts inlined as data: URIs,
 * nothing fetched (a Content-Security-Policy says so to the browser too).
 * Every piece of text from results.json goes through pd_html_escape; the
 * only markup is written here.
 */

#include <errno.h>
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
 * HTML
 * ------------------------------------------------------------------ */

void pd_html_escape(pd_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': pd_buf_puts(b, "&lt;"); break;
        case '>': pd_buf_puts(b, "&gt;"); break;
        case '&': pd_buf_puts(b, "&amp;"); break;
        case '"': pd_buf_puts(b, "&quot;"); break;
        case '\'': pd_buf_puts(b, "&#39;"); break;
        default: pd_buf_add(b, s, 1);
        }
    }
}

static void base64(pd_buf *b, const unsigned char *p, size_t n)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[4];

    for (; n >= 3; p += 3, n -= 3) {
        out[0] = abc[p[0] >> 2];
        out[1] = abc[((p[0] & 3) << 4) | (p[1] >> 4)];
        out[2] = abc[((p[1] & 15) << 2) | (p[2] >> 6)];
        out[3] = abc[p[2] & 63];
        pd_buf_add(b, out, 4);
    }
    if (n > 0) {
        out[0] = abc[p[0] >> 2];
        out[1] = abc[((p[0] & 3) << 4) | (n > 1 ? p[1] >> 4 : 0)];
        out[2] = n > 1 ? abc[(p[1] & 15) << 2] : '=';
        out[3] = '=';
        pd_buf_add(b, out, 4);
    }
}

static const char page_style[] =
    ":root{--ink:#1d2330;--muted:#5b6475;--line:#e3e6eb;--accent:#0072B2;"
    "--bad:#b3261e;--warn:#8a5300;--bg:#f5f6f8;--card:#fff}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}\n"
    "main{max-width:1080px;margin:0 auto;padding:36px 24px 72px}\n"
    "h1{font-size:30px;line-height:1.2;margin:0 0 6px;letter-spacing:-.01em}\n"
    "h2{font-size:24px;line-height:1.3;margin:6px 0 10px}\n"
    "h3{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:22px 0 6px}\n"
    "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}\n"
    "code,pre{font-family:'DejaVu Sans Mono',ui-monospace,Menlo,Consolas,monospace;font-size:.88em}\n"
    ".sub{color:var(--muted);margin:0}\n"
    ".card{background:var(--card);border:1px solid var(--line);border-radius:12px;"
    "padding:26px 30px;margin:26px 0;box-shadow:0 1px 3px rgba(20,30,50,.05)}\n"
    "table{border-collapse:collapse}\n"
    "table.fp{font-size:14px;margin-top:14px}\n"
    "dl.fp{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:2px 24px;"
    "font-size:14px;margin:16px 0 0}\n"
    "dl.fp div{display:flex;gap:10px;border-bottom:1px solid #f0f1f4;padding:3px 0}\n"
    "dl.fp dt{color:var(--muted);font-weight:600;min-width:6.5em}dl.fp dd{margin:0;overflow-wrap:anywhere}\n"
    "table.fp th{text-align:left;color:var(--muted);font-weight:600;padding:3px 18px 3px 0;white-space:nowrap}\n"
    "table.fp td{padding:3px 18px 3px 0}\n"
    "table.fp td.diff{background:#fff4d6;font-weight:600}\n"
    "nav ol{margin:8px 0 0;padding-left:22px}nav li{margin:5px 0}\n"
    "nav .best{color:var(--muted);font-size:14px;margin-left:6px}\n"
    ".meta{font-size:14px;color:var(--muted)}\n"
    ".badge{display:inline-block;font-size:12px;font-weight:600;padding:2px 9px;"
    "border-radius:999px;background:#eef1f6;color:#35405a;margin-right:6px;vertical-align:1px}\n"
    ".trivia-none{background:#e3f3e8;color:#1e6b34}.trivia-partial{background:#fff1d6;color:#8a5300}"
    ".trivia-yes{background:#fde4e2;color:#9b1c1c}\n"
    ".summary{font-size:19px;line-height:1.5;border-left:4px solid var(--accent);background:#eef5fb;"
    "padding:12px 18px;margin:16px 0 6px;border-radius:0 8px 8px 0}\n"
    ".qa{display:grid;grid-template-columns:1fr 1fr;gap:8px 28px}\n"
    ".qa p{margin:0}\n"
    "@media (max-width:760px){.qa{grid-template-columns:1fr}}\n"
    "figure{margin:22px 0 8px}\n"
    "figure img{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:8px;background:#fff}\n"
    "figcaption{font-size:13px;color:var(--muted);margin-top:6px}\n"
    ".missing{border:2px dashed #c9ced6;border-radius:8px;padding:14px 18px;color:var(--muted);"
    "background:#fafbfc;font-size:14px}\n"
    ".tablewrap{overflow-x:auto}\n"
    "table.res{width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}\n"
    "table.res th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);"
    "padding:6px 6px;font-size:11.5px;text-transform:uppercase;letter-spacing:.03em;vertical-align:bottom}\n"
    "table.res td{padding:7px 6px;border-bottom:1px solid var(--line);vertical-align:top}\n"
    "table.res .num{text-align:right;white-space:nowrap}\n"
    "table.res th.num{text-align:right}\n"
    "table.res .doc{display:block;font-size:12.5px;color:var(--muted);min-width:14em;max-width:24em}\n"
    "tr.part td{font-weight:700;padding-top:14px;border-bottom:1px solid #cfd4dc}\n"
    "tr.wrong td{background:#fdf1f0}tr.wrong .verdict{color:var(--bad);font-weight:700}\n"
    "tr.failed td{background:#fff8e8}tr.failed .verdict{color:var(--warn);font-weight:700}\n"
    "tr.notrun td{color:#8d95a3}\n"
    "tr.note td{border-bottom:1px solid var(--line);padding-top:0;font-size:13px}\n"
    "tr.note.wrong td{color:var(--bad)}tr.note.failed td{color:var(--warn)}tr.note.info td{color:var(--muted)}\n"
    ".extrap{font-style:italic;color:#4a5568}\n"
    ".yes{color:#1e6b34;font-weight:600}\n"
    ".ci{color:var(--muted);font-size:12px}\n"
    ".flag{color:var(--bad);font-weight:700}\n"
    ".better{color:var(--accent);font-weight:700}\n"
    ".legend{font-size:13px;color:var(--muted);margin:8px 0 0}\n"
    ".error{background:#fdf1f0;border:1px solid #f2c5c1;border-radius:8px;padding:12px 16px}\n"
    ".error pre{white-space:pre-wrap;margin:8px 0 0;max-height:22em;overflow:auto}\n"
    "details{margin-top:14px}summary{cursor:pointer;color:var(--accent);font-size:14px}\n"
    "details pre{white-space:pre-wrap;background:#f7f8fa;border-radius:6px;padding:10px;font-size:12.5px}\n"
    "footer{color:var(--muted);font-size:13px;text-align:center;margin-top:40px}\n";

void pd_html_begin(pd_buf *b, const char *title)
{
    pd_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                   "<title>");
    pd_html_escape(b, title);
    pd_buf_puts(b, "</title>\n<style>\n");
    pd_buf_puts(b, page_style);
    pd_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

void pd_html_end(pd_buf *b)
{
    pd_buf_puts(b,
        "</main>\n<script>\n"
        "/* How many charts did not render: tests read it back from the DOM. */\n"
        "window.addEventListener('load', function () {\n"
        "  var broken = 0;\n"
        "  document.querySelectorAll('img').forEach(function (img) {\n"
        "    if (!img.complete || img.naturalWidth === 0) broken++;\n"
        "  });\n"
        "  document.body.dataset.brokenImages = broken;\n"
        "});\n"
        "</script>\n</body>\n</html>\n");
}

/* The way to get a chart that is not there. */
static void no_chart(pd_buf *b, const char *dir)
{
    char *gnuplot = pd_gnuplot_find();

    pd_buf_puts(b, "<div class=\"missing\">Chart not drawn");
    if (gnuplot)
        pd_buf_puts(b, " yet. Draw the charts with <code>pdlab plot ");
    else
        pd_buf_puts(b, ": gnuplot is not installed. Install it (<code>apt-get install "
                       "gnuplot-nox</code>), then run <code>pdlab plot ");
    pd_html_escape(b, dir);
    pd_buf_puts(b, "</code> and <code>pdlab report ");
    pd_html_escape(b, dir);
    pd_buf_puts(b, "</code>.</div>\n");
    free(gnuplot);
}

void pd_html_chart(pd_buf *b, const char *png_path, const char *alt,
                   const char *caption, const char *dir)
{
    pd_err e = {0}; /* a chart that cannot be read is a chart not drawn */
    size_t len = 0;
    char *png = pd_read_file(png_path, &len, &e);

    pd_buf_puts(b, "<figure>\n");
    if (png && len > 8 && memcmp(png, "\x89PNG", 4) == 0) {
        pd_buf_puts(b, "<img alt=\"");
        pd_html_escape(b, alt);
        pd_buf_puts(b, "\" src=\"data:image/png;base64,");
        base64(b, (const unsigned char *)png, len);
        pd_buf_puts(b, "\">\n");
    } else {
        no_chart(b, dir);
    }
    if (caption) {
        pd_buf_puts(b, "<figcaption>");
        pd_html_escape(b, caption);
        pd_buf_puts(b, "</figcaption>\n");
    }
    pd_buf_puts(b, "</figure>\n");
    free(png);
}

/* A machine field as text: strings as they are, numbers as integers or
 * plainly, anything else (null, objects) as nothing. New string or NULL. */
static char *field_text(const json_t *v)
{
    if (json_is_string(v)) return pd_strdup(json_string_value(v));
    if (json_is_integer(v)) return pd_strdup_printf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return pd_strdup_printf("%g", json_real_value(v));
    if (json_is_true(v)) return pd_strdup("yes");
    if (json_is_false(v)) return pd_strdup("no");
    return NULL;
}

/* The value of row `key` for one run: machine fields, and the few
 * top-level ones a reader needs to place the run. */
static char *fingerprint_value(const json_t *doc, const char *key)
{
    if (strcmp(key, "started") == 0) {
        /* 2026-11-25T09:26:08Z -> 2026-11-25 09:26:08 UTC */
        char *t = field_text(json_object_get(doc, key)), *z;
        if (!t || strlen(t) != 20 || t[10] != 'T' || t[19] != 'Z') return t;
        t[10] = ' ';
        t[19] = '\0';
        z = pd_strdup_printf("%s UTC", t);
        free(t);
        return z;
    }
    if (strcmp(key, "pdlab_version") == 0)
        return field_text(json_object_get(doc, key));
    return field_text(json_object_get(json_object_get(doc, "machine"), key));
}

static const struct { const char *key, *label; } fingerprint_known[] = {
    {"started", "started"}, {"cpu", "CPU"}, {"cores", "cores"},
    {"os", "system"}, {"python", "Python"}, {"numpy", "NumPy"},
    {"pandas", "pandas"}, {"numexpr", "numexpr"}, {"hdf5", "HDF5"},
    {"pdlab_version", "pdlab"},
};

static int fingerprint_is_known(const char *key)
{
    for (size_t i = 0; i < sizeof fingerprint_known / sizeof fingerprint_known[0]; i++)
        if (strcmp(fingerprint_known[i].key, key) == 0) return 1;
    return 0;
}

/* One row: the field in each run, marked where two runs differ (the start
 * time always differs and is not marked). Nothing when no run has it. */
static void fingerprint_row(pd_buf *b, const char *label, const char *key,
                            const json_t *const docs[2], int ndocs)
{
    char *text[2] = {NULL, NULL};
    int differ;

    for (int d = 0; d < ndocs; d++) text[d] = fingerprint_value(docs[d], key);
    differ = ndocs == 2 && strcmp(key, "started") != 0
             && strcmp(text[0] ? text[0] : "", text[1] ? text[1] : "") != 0;
    if (ndocs == 1 && text[0]) {
        pd_buf_puts(b, "<div><dt>");
        pd_html_escape(b, label);
        pd_buf_puts(b, "</dt><dd>");
        pd_html_escape(b, text[0]);
        pd_buf_puts(b, "</dd></div>\n");
    } else if (ndocs == 2 && (text[0] || text[1])) {
        pd_buf_puts(b, "<tr><th>");
        pd_html_escape(b, label);
        pd_buf_puts(b, "</th>");
        for (int d = 0; d < ndocs; d++) {
            pd_buf_puts(b, differ ? "<td class=\"diff\">" : "<td>");
            pd_html_escape(b, text[d] ? text[d] : "-");
            pd_buf_puts(b, "</td>");
        }
        pd_buf_puts(b, "</tr>\n");
    }
    free(text[0]);
    free(text[1]);
}

void pd_html_fingerprint(pd_buf *b, const json_t *a_doc, const json_t *b_doc)
{
    const json_t *docs[2] = {a_doc, b_doc};
    int ndocs = b_doc ? 2 : 1;
    const char *key;
    json_t *val;

    /* One run: a compact grid of pairs; two: a table with a column each. */
    pd_buf_puts(b, ndocs == 2 ? "<table class=\"fp\">\n<tr><th></th><th>run A</th>"
                                "<th>run B</th></tr>\n" : "<dl class=\"fp\">\n");
    for (size_t i = 0; i < sizeof fingerprint_known / sizeof fingerprint_known[0]; i++)
        fingerprint_row(b, fingerprint_known[i].label, fingerprint_known[i].key, docs, ndocs);
    /* Whatever else a newer pdlab recorded about either machine. */
    for (int d = 0; d < ndocs; d++) {
        json_object_foreach(json_object_get(docs[d], "machine"), key, val) {
            if (fingerprint_is_known(key)) continue;
            if (d == 1 && json_object_get(json_object_get(docs[0], "machine"), key)) continue;
            fingerprint_row(b, key, key, docs, ndocs);
        }
    }
    pd_buf_puts(b, ndocs == 2 ? "</table>\n" : "</dl>\n");
}

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
    pd_buf_puts(b, "</strong> ");
    pd_html_escape(b, text);
    pd_buf_puts(b, "</td></tr>\n");
}

/* The words of "instability" ("spread (IQR) over 10% of the median"),
 * joined. New string, or NULL when the samples were steady. */
static char *instability_text(const json_t *v)
{
    json_t *a = pd_jarr(v, "instability"), *w;
    pd_buf b = {0};
    size_t i;

    json_array_foreach(a, i, w) {
        if (!json_is_string(w)) continue;
        if (b.len) pd_buf_puts(&b, "; ");
        pd_buf_puts(&b, json_string_value(w));
    }
    return b.s;
}

/* One variant at one size: its row, then notes. Correctness first: a time
 * shows only for a result that matched the reference. */
static void variant_row(pd_buf *b, const json_t *v, const json_t *decl)
{
    const char *status = pd_jstr(v, "status");
    int measured = pd_v_measured(v), extrap = pd_v_extrapolated(v);
    int wrong = status && strcmp(status, "wrong") == 0;
    int notrun = status && strcmp(status, "not_run") == 0;
    const char *cls = measured ? "ok" : extrap ? "extrapolated" : wrong ? "wrong"
                      : notrun ? "notrun" : "failed";
    double lo = pd_jnum(v, "speedup_lo"), hi = pd_jnum(v, "speedup_hi");
    char t[64], u[64], *unstable = instability_text(v);
    json_t *w;
    size_t i;

    pd_buf_printf(b, "<tr class=\"%s\"><td><code>", cls);
    pd_html_escape(b, pd_jstr(v, "name"));
    pd_buf_puts(b, "</code>");
    if (pd_jstr(decl, "doc")) {
        pd_buf_puts(b, "<span class=\"doc\">");
        pd_html_escape(b, pd_jstr(decl, "doc"));
        pd_buf_puts(b, "</span>");
    }
    pd_buf_puts(b, "</td><td>");
    pd_html_escape(b, pd_jstr(v, "kind"));
    pd_buf_puts(b, "</td>");

    if (measured) {
        snprintf(u, sizeof u, "%s%s", unstable ? "! " : "",
                 pd_fmt_seconds(pd_v_median(v), t, sizeof t));
        td_num(b, NULL, u);
        snprintf(u, sizeof u, "± %s", pd_fmt_seconds(pd_jnum(v, "iqr_s"), t, sizeof t));
        td_num(b, NULL, isfinite(pd_jnum(v, "iqr_s")) ? u : "-");
    } else if (extrap) {
        snprintf(u, sizeof u, "≈ %s", pd_fmt_seconds(pd_v_median(v), t, sizeof t));
        td_num(b, "extrap", u);
        td_num(b, "extrap", pd_jstr(v, "skip") ? pd_jstr(v, "skip") : "extrapolated");
    } else {
        td_num(b, NULL, "-");
        td_num(b, NULL, "-");
    }

    pd_buf_puts(b, "<td class=\"num\">");
    if (measured || extrap) {
        int se = pd_v_speedup_extrapolated(v);
        if (se) pd_buf_puts(b, "<span class=\"extrap\">≈ ");
        pd_html_escape(b, pd_fmt_ratio(pd_jnum(v, "speedup"), t, sizeof t));
        if (se) pd_buf_puts(b, "</span>");
        if (lo > 0 && hi >= lo) {
            pd_buf_puts(b, "<br><span class=\"ci\">");
            pd_html_escape(b, pd_fmt_ratio(lo, t, sizeof t));
            pd_buf_puts(b, " – ");
            pd_html_escape(b, pd_fmt_ratio(hi, t, sizeof t));
            pd_buf_puts(b, "</span>");
        }
        if (pd_jtrue(v, "no_measurable_difference"))
            pd_buf_puts(b, "<br><span class=\"ci\">no measurable difference</span>");
    } else {
        pd_buf_puts(b, "-");
    }
    pd_buf_puts(b, "</td>");
    /* Resident memory grows in pages: under one page is "<4 KiB", as the
     * terminal table says, not a missing value. */
    if (!notrun && pd_jnum(v, "peak_bytes") >= 0 && pd_jnum(v, "peak_bytes") < 4096)
        td_num(b, NULL, "<4 KiB");
    else
        td_num(b, NULL, pd_fmt_bytes(notrun ? 0 : pd_jnum(v, "peak_bytes"), t, sizeof t));
    td_num(b, NULL, pd_fmt_bytes(notrun ? 0 : pd_jnum(v, "python_peak_bytes"), t, sizeof t));
    pd_buf_puts(b, "<td class=\"verdict\">");
    if (measured) pd_buf_puts(b, "<span class=\"yes\">✓ yes</span>");
    else if (wrong) pd_buf_puts(b, "✗ wrong");
    else if (extrap) pd_buf_puts(b, "<span class=\"extrap\">not run</span>");
    else pd_html_escape(b, pd_v_status_words(v));
    pd_buf_puts(b, "</td></tr>\n");

    if (pd_jstr(v, "mismatch"))
        note_row(b, "wrong", "Differs from the reference:", pd_jstr(v, "mismatch"));
    json_array_foreach(pd_jarr(v, "warnings"), i, w)
        if (json_is_string(w)) note_row(b, wrong ? "wrong" : "info", "Warning:", json_string_value(w));
    if (pd_jstr(v, "error") && !measured) {
        char *line = last_line(pd_jstr(v, "error"));
        note_row(b, "failed", "Error:", line);
        free(line);
    }
    if (unstable && measured)
        note_row(b, "info", "! Unsteady samples:", unstable);
    if (extrap)
        note_row(b, "info", "≈ Extrapolated:", "not run at this size; the time comes "
                 "from the growth fitted over the sizes it ran at.");
    if (pd_jstr(v, "observation"))
        note_row(b, "info", "Observation:", pd_jstr(v, "observation"));
    free(unstable);
}

/* Whether the lesson's variants fall into more than one part. */
static int has_parts(const json_t *lesson)
{
    const char *first = pd_jlesson_main_part(lesson);
    json_t *d;
    size_t i;

    json_array_foreach(pd_jlesson_variants(lesson), i, d) {
        const char *p = pd_jstr(d, "part");
        if (first && p && strcmp(p, first) != 0) return 1;
    }
    return 0;
}

static void size_table(pd_buf *b, const json_t *lesson, const json_t *size)
{
    const char *part = NULL;
    int parts = has_parts(lesson);
    json_t *v;
    size_t i;

    pd_buf_puts(b, "<div class=\"tablewrap\"><table class=\"res\">\n<tr><th>variant</th>"
                   "<th>kind</th><th class=\"num\">median</th><th class=\"num\">± IQR</th>"
                   "<th class=\"num\">speedup</th><th class=\"num\">peak RSS</th>"
                   "<th class=\"num\">Python peak</th><th>correct?</th></tr>\n");
    json_array_foreach(pd_jarr(size, "variants"), i, v) {
        const char *p = pd_jstr(v, "part");
        if (parts && p && (!part || strcmp(p, part) != 0)) {
            pd_buf_puts(b, "<tr class=\"part\"><td colspan=\"8\">");
            pd_html_escape(b, p);
            pd_buf_puts(b, "</td></tr>\n");
            part = p;
        }
        variant_row(b, v, pd_jnamed(lesson, "variants", pd_jstr(v, "name")));
    }
    pd_buf_puts(b, "</table></div>\n");
}

/* ---------------------------------------------------------------------
 * Lesson
 * ------------------------------------------------------------------ */

/* The anchor of a lesson: its position, which is unique and safe. */
static void lesson_anchor(pd_buf *b, size_t index)
{
    pd_buf_printf(b, "lesson-%zu", index + 1);
}

/* "412x faster: numpy_arrays vs iterrows" for the table of contents, the
 * overview chart's numbers. New string or NULL. */
static char *best_speedup(const json_t *lesson)
{
    json_t *slow, *fast, *size;
    double ratio = pd_jlesson_best(lesson, &slow, &fast, &size);
    char r[32];

    if (!slow) return NULL;
    return pd_strdup_printf("%s%s faster: %s vs %s",
                            pd_v_speedup_extrapolated(slow) || pd_v_speedup_extrapolated(fast)
                                ? "≈ " : "",
                            pd_fmt_ratio(ratio, r, sizeof r), pd_jstr(fast, "name"),
                            pd_jstr(slow, "name"));
}

static void lesson_charts(pd_buf *b, const char *dir, const json_t *lesson)
{
    static const struct { const char *kind, *caption; } charts[] = {
        {"speedup", "Speedup over the slowest correct variant at the size the table shows. "
                    "Wrong and failed variants get no bar."},
        {"time", "Time per call against rows, both axes logarithmic; the key gives each "
                 "variant's fitted growth n^k (k = 1: linear)."},
        {"memory", "Peak memory of one call (growth of the resident set) against rows; "
                   "peaks under one page (4 KiB) cannot sit on a log axis and are left out."},
    };
    /* Which chart leads: the one that makes the lesson's point. */
    const char *focus = pd_jstr(lesson, "focus");
    int order[3] = {0, 1, 2};

    if (focus && strcmp(focus, "memory") == 0) order[0] = 2, order[1] = 0, order[2] = 1;
    if (focus && strcmp(focus, "growth") == 0) order[0] = 1, order[1] = 0, order[2] = 2;
    for (int i = 0; i < 3; i++) {
        const char *kind = charts[order[i]].kind;
        char *path, *alt;
        if (!pd_chart_expected(lesson, kind)) continue;
        path = pd_chart_path(dir, lesson, kind, "png");
        alt = pd_strdup_printf("%s chart: %s", kind, pd_jstr(lesson, "question")
                               ? pd_jstr(lesson, "question") : "");
        pd_html_chart(b, path, alt, charts[order[i]].caption, dir);
        free(alt);
        free(path);
    }
}

/* A paragraph with a small heading, when the text is there. */
static void labelled(pd_buf *b, const char *heading, const char *text)
{
    if (!text) return;
    pd_buf_puts(b, "<div><h3>");
    pd_html_escape(b, heading);
    pd_buf_puts(b, "</h3><p>");
    pd_html_escape(b, text);
    pd_buf_puts(b, "</p></div>\n");
}

/* The lesson's "profile" names a variant; the text is in that variant's
 * result at the largest size where it was profiled. */
static void profile_section(pd_buf *b, const json_t *lesson)
{
    const char *name = pd_jstr(lesson, "profile"), *text = NULL;
    json_t *size, *v;
    size_t i;
    char n[32];
    double at = 0;

    if (name == NULL) return;
    json_array_foreach(pd_jarr(lesson, "results"), i, size) {
        v = pd_jnamed(size, "variants", name);
        if (pd_jstr(v, "profile")) {
            text = pd_jstr(v, "profile");
            at = pd_jnum(size, "n");
        }
    }
    if (text == NULL) return;
    pd_buf_puts(b, "<details><summary>Where ");
    pd_html_escape(b, name);
    pd_buf_printf(b, " spends its time, profiled once at n = %s</summary><pre>",
                  pd_fmt_count((unsigned long long)at, n, sizeof n));
    pd_html_escape(b, text);
    pd_buf_puts(b, "</pre></details>\n");
}

static void lesson_section(pd_buf *b, const char *dir, const json_t *lesson,
                           size_t index)
{
    const char *trivia = pd_jstr(lesson, "trivia"), *error = pd_jstr(lesson, "error");
    json_t *results = pd_jarr(lesson, "results"), *size;
    int bars = pd_jlesson_bars_size(lesson);
    char n[32];
    size_t k;

    pd_buf_puts(b, "<section class=\"card\" id=\"");
    lesson_anchor(b, index);
    pd_buf_puts(b, "\">\n<div class=\"meta\"><span class=\"badge\">");
    pd_html_escape(b, pd_jstr(lesson, "id"));
    pd_buf_puts(b, "</span>");
    if (trivia) {
        pd_buf_puts(b, "<span class=\"badge trivia-");
        pd_html_escape(b, strcmp(trivia, "none") == 0 || strcmp(trivia, "partial") == 0
                          || strcmp(trivia, "yes") == 0 ? trivia : "other");
        pd_buf_puts(b, "\" title=\"How much the question rewards having seen it before\">"
                       "trivia tax: ");
        pd_html_escape(b, trivia);
        pd_buf_puts(b, "</span>");
    }
    if (pd_jstr(lesson, "dataset")) {
        pd_buf_puts(b, " dataset <code>");
        pd_html_escape(b, pd_jstr(lesson, "dataset"));
        pd_buf_puts(b, "</code>");
    }
    pd_buf_puts(b, "</div>\n<h2>");
    pd_html_escape(b, pd_jstr(lesson, "question") ? pd_jstr(lesson, "question")
                                                  : pd_jstr(lesson, "id"));
    pd_buf_puts(b, "</h2>\n");
    if (pd_jstr(lesson, "summary")) {
        pd_buf_puts(b, "<p class=\"summary\">");
        pd_html_escape(b, pd_jstr(lesson, "summary"));
        pd_buf_puts(b, "</p>\n");
    }
    if (error) {
        pd_buf_puts(b, "<div class=\"error\"><strong>This lesson could not run.</strong><pre>");
        pd_html_escape(b, error);
        pd_buf_puts(b, "</pre></div>\n");
    }
    pd_buf_puts(b, "<div class=\"qa\">\n");
    labelled(b, "The strong answer", pd_jstr(lesson, "answer"));
    labelled(b, "What it signals", pd_jstr(lesson, "signal"));
    pd_buf_puts(b, "</div>\n");
    lesson_charts(b, dir, lesson);

    if (bars >= 0) {
        size = json_array_get(results, (size_t)bars);
        pd_buf_printf(b, "<h3>Measured at n = %s rows</h3>\n",
                      pd_fmt_count((unsigned long long)pd_jnum(size, "n"), n, sizeof n));
        size_table(b, lesson, size);
        pd_buf_puts(b, "<p class=\"legend\">Median of the samples, ± the interquartile range; "
                       "speedup over the slowest correct variant (with its interval when "
                       "measured); peak RSS is the growth of resident memory during one call, "
                       "Python peak what tracemalloc saw. ≈ marks values extrapolated from "
                       "the fitted growth, not measured; ! marks unsteady samples.</p>\n");
    }
    if (json_array_size(results) > (bars >= 0 ? 1u : 0u)) {
        pd_buf_puts(b, "<details><summary>Every size</summary>\n");
        json_array_foreach(results, k, size) {
            pd_buf_printf(b, "<h3>n = %s rows</h3>\n",
                          pd_fmt_count((unsigned long long)pd_jnum(size, "n"), n, sizeof n));
            size_table(b, lesson, size);
        }
        pd_buf_puts(b, "</details>\n");
    }
    profile_section(b, lesson);
    pd_buf_puts(b, "</section>\n");
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

static void run_header(pd_buf *b, const char *dir, const json_t *doc)
{
    json_t *lessons = pd_jarr(doc, "lessons"), *l;
    double wall = pd_jnum(doc, "wall_s");
    char t[32], *path;
    size_t i;

    pd_buf_puts(b, "<header class=\"card\">\n<h1>What the measurements say</h1>\n"
                   "<p class=\"sub\">pdlab run ");
    pd_html_escape(b, dir);
    if (isfinite(wall)) {
        pd_buf_puts(b, " · took ");
        pd_html_escape(b, pd_fmt_seconds(wall, t, sizeof t));
    }
    pd_buf_printf(b, " · %zu lesson%s</p>\n", json_array_size(lessons),
                  json_array_size(lessons) == 1 ? "" : "s");
    pd_html_fingerprint(b, doc, NULL);
    path = pd_chart_path(dir, NULL, "overview", "png");
    if (json_array_size(lessons) > 0) pd_html_chart(b, path, "speedup per lesson", NULL, dir);
    free(path);
    pd_buf_puts(b, "<nav><h3>Lessons</h3><ol>\n");
    json_array_foreach(lessons, i, l) {
        char *best = best_speedup(l);
        pd_buf_puts(b, "<li><a href=\"#");
        lesson_anchor(b, i);
        pd_buf_puts(b, "\">");
        pd_html_escape(b, pd_jstr(l, "question") ? pd_jstr(l, "question") : pd_jstr(l, "id"));
        pd_buf_puts(b, "</a>");
        if (best || pd_jstr(l, "error")) {
            pd_buf_puts(b, "<span class=\"best\">");
            pd_html_escape(b, best ? best : "could not run");
            pd_buf_puts(b, "</span>");
        }
        pd_buf_puts(b, "</li>\n");
        free(best);
    }
    pd_buf_puts(b, "</ol></nav>\n</header>\n");
}

int pd_report_write(const char *results_dir, pd_err *e)
{
    char *path = pd_strdup_printf("%s/results.json", results_dir);
    char *out = pd_strdup_printf("%s/report.html", results_dir);
    json_t *doc = pd_results_load(path, e), *l;
    pd_buf b = {0};
    size_t i;
    int rc = -1;

    if (!doc) goto cleanup;
    pd_html_begin(&b, "pdlab report");
    run_header(&b, results_dir, doc);
    json_array_foreach(pd_jarr(doc, "lessons"), i, l)
        lesson_section(&b, results_dir, l, i);
    pd_buf_puts(&b, "<footer>Drawn by pdlab from ");
    pd_html_escape(&b, path);
    pd_buf_puts(&b, ". Redraw with <code>pdlab plot DIR</code> and <code>pdlab report DIR</code>; "
                    "put two runs side by side with <code>pdlab compare A B</code>.</footer>\n");
    pd_html_end(&b);
    if (pd_write_file_atomic(out, b.s, b.len, e) < 0) goto cleanup;
    rc = 0;
cleanup:
    json_decref(doc);
    pd_buf_free(&b);
    free(out);
    free(path);
    return rc;
}
