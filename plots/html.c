/* HTML shared by the report and compare: escaping, the page frame and its
 * styles, inlined charts, the machine fingerprint. See plots/plot_int.h.
 *
 * One self-contained file: styles inline, charts inlined as SVG elements
 * (as PNG data: URIs when there is no SVG), nothing fetched (a Content-Security-Policy says so to the browser too).
 * Every piece of text from results.json goes through pd_html_escape; the
 * only markup is written here and in the views. */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h"
#include "plot_int.h"

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

void pd_html_wrap(pd_buf *b, const char *open, const char *text, const char *close)
{
    pd_buf_puts(b, open);
    pd_html_escape(b, text);
    pd_buf_puts(b, close);
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
    "ul.claims{list-style:none;padding:0;margin:6px 0 0}\n"
    "li.claim{padding:6px 10px;margin:4px 0;border-radius:6px;background:#f7f8fa}\n"
    "li.claim .mark{display:inline-block;width:1.4em;font-weight:700;text-align:center}\n"
    "li.confirmed .mark{color:#1e6b34}li.not-confirmed{background:#fdf1f0}"
    "li.not-confirmed .mark{color:var(--bad)}li.not-measured{background:#fff8e8}"
    "li.not-measured .mark{color:var(--warn)}\n"
    "li.claim .figure{font-variant-numeric:tabular-nums}li.claim .note{color:var(--muted)}\n"
    ".alert{background:#fff4d6;border:1px solid #f0d48a;border-radius:8px;padding:8px 14px;"
    "color:#6b4200;font-weight:600;margin:10px 0}\n"
    "footer{color:var(--muted);font-size:13px;text-align:center;margin-top:40px}\n"
    /* pdlab merge: a column per run, claims as cells */
    "th.mismatch,td.mismatch{background:#fff4d6;color:#6b4200}\n"
    "td.claim .mark{font-weight:700;margin-right:4px}td.confirmed .mark{color:#1e6b34}"
    "td.not-confirmed{background:#fdf1f0}td.not-confirmed .mark{color:var(--bad)}"
    "td.not-measured{background:#fff8e8}td.not-measured .mark{color:var(--warn)}\n"
    "tr.disagree td:first-child{border-left:4px solid var(--bad);font-weight:600}\n"
    /* Inlined charts; the code of each variant, highlighted. */
    ".chartwrap{overflow-x:auto}\n"
    "svg.chart{display:block;width:100%;height:auto;border:1px solid var(--line);"
    "border-radius:8px;background:#fff}\n"
    ".code{margin:10px 0 0}.code h4{margin:12px 0 4px;font-size:14px}\n"
    ".code h4 .doc{font-weight:400;color:var(--muted);margin-left:6px}\n"
    "pre.src{margin:0;background:#f7f8fa;border:1px solid var(--line);border-radius:6px;"
    "padding:10px 12px;overflow-x:auto;font-size:12.5px;line-height:1.45}\n"
    ".src .k{color:#7a2e9a;font-weight:600}.src .s{color:#1e6b34}.src .c{color:#6b7280;"
    "font-style:italic}.src .n{color:#a3470d}.src .d{color:#0b5d8a}.src .f{color:#0072B2;"
    "font-weight:600}\n"
    /* A phone: the page edge to edge, the table down to the columns that
     * answer the question (variant, time, speedup, correct, peak), and
     * each chart kept at 760 px, its text at about 8 px, scrolled sideways
     * in its frame: scaled to the screen, gnuplot's 11-point labels would
     * shrink to 4 px, and larger type would break its layout. */
    "@media (max-width:600px){main{padding:12px 6px 40px}"
    ".card{padding:16px 10px;border-radius:8px;margin:14px 0}h1{font-size:24px}"
    "h2{font-size:20px}.summary{font-size:16px;padding:10px 12px}"
    "table.res .opt,table.res .doc{display:none}"
    "table.res{font-size:12.5px}table.res td,table.res th{padding:6px 3px}"
    "table.res .ci{white-space:normal}"
    "svg.chart{min-width:760px}"
    "pre.src{font-size:11.5px}}\n";

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
    pd_html_wrap(b, "</code> and <code>pdlab report ", dir, "</code>.</div>\n");
    free(gnuplot);
}

/* Whether an SVG gnuplot wrote is a drawing and nothing more: no script,
 * no event handler, no embedded document. A chart holding any of them is
 * shown as its PNG instead. */
static int svg_is_inert(const char *svg)
{
    static const char *const banned[] = {"<script", "<foreignobject", "javascript:",
                                         "<iframe", "<!entity"};
    const char *p;

    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        if (strcasestr(svg, banned[i])) return 0;
    for (p = svg; (p = strcasestr(p, " on")) != NULL; p += 3) {
        size_t n = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz");
        if (n > 0 && p[3 + n] == '=') return 0;
    }
    return 1;
}

/* The <svg> element of svg with every id and reference to one prefixed,
 * so two charts in one page never share an id; its title becomes alt. */
static void svg_element(pd_buf *b, const char *svg, const char *alt, const char *prefix)
{
    static const char *const refs[] = {"id='", "id=\"", "url(#", "href='#", "href=\"#"};
    const char *p = strstr(svg, "<svg");

    pd_html_wrap(b, "<svg class=\"chart\" role=\"img\" aria-label=\"", alt, "\"");
    for (p += 4; *p; ) {
        size_t i, n;
        for (i = 0; i < sizeof refs / sizeof refs[0]; i++)
            if (strncmp(p, refs[i], strlen(refs[i])) == 0) break;
        if (i < sizeof refs / sizeof refs[0]) {
            n = strlen(refs[i]);
            pd_buf_add(b, p, n);
            pd_buf_puts(b, prefix);
        } else if (strncmp(p, "<title>", 7) == 0 && strstr(p, "</title>")) {
            pd_html_wrap(b, "<title>", alt, "</title>");
            n = (size_t)(strstr(p, "</title>") - p) + 8;
        } else {
            n = 1;
            pd_buf_add(b, p, n);
        }
        p += n;
    }
}

/* The SVG beside png_path (X.png, X.svg) inlined: text in it stays text,
 * which the page's styles can size for a small screen. 0 when it is not
 * there or not inert. */
static int inline_svg(pd_buf *b, const char *png_path, const char *alt)
{
    pd_err e = {0}; /* a missing SVG falls back to the PNG */
    size_t len = 0, at = strlen(png_path);
    char *path = pd_strdup_printf("%.*s.svg", (int)(at > 4 ? at - 4 : at), png_path);
    char *svg = pd_read_file(path, &len, &e), *prefix;
    int ok = svg && len == strlen(svg) && strstr(svg, "<svg") && strstr(svg, "</svg>")
             && svg_is_inert(svg);

    if (ok) {
        /* The offset in the page is unique to this chart. */
        prefix = pd_strdup_printf("c%zu-", b->len);
        pd_buf_puts(b, "<div class=\"chartwrap\">");
        svg_element(b, svg, alt, prefix);
        pd_buf_puts(b, "</div>\n");
        free(prefix);
    }
    free(svg);
    free(path);
    return ok;
}

void pd_html_chart(pd_buf *b, const char *png_path, const char *alt,
                   const char *caption, const char *dir)
{
    pd_err e = {0}; /* a chart that cannot be read is a chart not drawn */
    size_t len = 0;
    char *png = NULL;

    pd_buf_puts(b, "<figure>\n");
    if (inline_svg(b, png_path, alt)) {
        /* drawn */
    } else if ((png = pd_read_file(png_path, &len, &e)) && len > 8
               && memcmp(png, "\x89PNG", 4) == 0) {
        pd_html_wrap(b, "<img alt=\"", alt, "\" src=\"data:image/png;base64,");
        base64(b, (const unsigned char *)png, len);
        pd_buf_puts(b, "\">\n");
    } else {
        no_chart(b, dir);
    }
    if (caption) {
        pd_html_wrap(b, "<figcaption>", caption, "</figcaption>\n");
    }
    pd_buf_puts(b, "</figure>\n");
    free(png);
}

/* One fingerprint field of a run as text, NULL when it has none: "started"
 * (2026-11-25T09:26:08Z read as 2026-11-25 09:26:08 UTC), or the machine
 * field pd_machine_fields[field - 1]. New string. */
static char *fingerprint_value(const pd_run *r, size_t field)
{
    char buf[160];
    const char *t = r->started;

    if (field > 0) return pd_strdup(pd_machine_value(&r->machine, field - 1, buf, sizeof buf));
    if (strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z')
        return pd_strdup_printf("%.10s %.8s UTC", t, t + 11);
    return *t ? pd_strdup(t) : NULL;
}

/* One row: the field in each run, marked where two runs differ (the start
 * time always differs and is not marked). Nothing when no run has it. */
static void fingerprint_row(pd_buf *b, const char *label, size_t field,
                            const pd_run *const runs[2], int nruns)
{
    char *text[2] = {NULL, NULL};
    int differ;

    for (int d = 0; d < nruns; d++) text[d] = fingerprint_value(runs[d], field);
    differ = nruns == 2 && field > 0
             && strcmp(text[0] ? text[0] : "", text[1] ? text[1] : "") != 0;
    if (nruns == 1 && text[0]) {
        pd_html_wrap(b, "<div><dt>", label, "</dt><dd>");
        pd_html_escape(b, text[0]);
        pd_buf_puts(b, "</dd></div>\n");
    } else if (nruns == 2 && (text[0] || text[1])) {
        pd_html_wrap(b, "<tr><th>", label, "</th>");
        for (int d = 0; d < nruns; d++) {
            pd_buf_puts(b, differ ? "<td class=\"diff\">" : "<td>");
            pd_html_escape(b, text[d] ? text[d] : "-");
            pd_buf_puts(b, "</td>");
        }
        pd_buf_puts(b, "</tr>\n");
    }
    free(text[0]);
    free(text[1]);
}

void pd_html_fingerprint(pd_buf *b, const pd_run *a_run, const pd_run *b_run)
{
    const pd_run *runs[2] = {a_run, b_run};
    int nruns = b_run ? 2 : 1;

    /* One run: a compact grid of pairs; two: a table with a column each. */
    pd_buf_puts(b, nruns == 2 ? "<table class=\"fp\">\n<tr><th></th><th>run A</th>"
                                "<th>run B</th></tr>\n" : "<dl class=\"fp\">\n");
    fingerprint_row(b, "started", 0, runs, nruns);
    for (size_t i = 0; i < pd_machine_nfields; i++)
        fingerprint_row(b, pd_machine_fields[i].label, i + 1, runs, nruns);
    pd_buf_puts(b, nruns == 2 ? "</table>\n" : "</dl>\n");
}
