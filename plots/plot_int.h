#ifndef PDLAB_PLOT_INT_H
#define PDLAB_PLOT_INT_H
/* What the files of plots/ share; not part of pdlab's contract. Every view
 * reads a pd_run (pd_results_read) and decides what to show through
 * evidence.h, so the charts, the report and compare never disagree about a
 * lesson with each other or with the terminal.
 *
 *   gnuplot.c     quoting, finding and running gnuplot, one chart drawn
 *                 atomically from variables, data and a template
 *   axes.c        log axes: tics labelled with units, padded ranges
 *   chart_bars.c  pd_plot_bars: horizontal bars on a log axis
 *   chart_lines.c time and memory of each variant against n
 *   chart_curves.c curves a lesson declared (pdlab.curve), from its results
 *   charts.c      which charts a lesson gets, their files, the speedup
 *                 bars, the overview, pd_plot_results; words for statuses
 *   html.c        escaping, the page frame, inlined charts, fingerprints
 *   pysource_html.c  a variant's Python source, highlighted
 *   report.c      report.html
 *   compare.c     two runs side by side
 *   merge.c       many runs side by side (pdlab merge)
 */

#include <stddef.h>
#include <stdio.h>

#include "pdlab/alloc.h"
#include "pdlab/error.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/result.h"
#include "pdlab/strbuf.h"

#define PD_CHART_W 1000    /* pixels; the SVG scales */
#define PD_PAGE_BYTES 4096 /* resident memory grows in pages: below one, a
                              peak is "< 4 KiB", not a measurement */

/* ---- words and lookups (charts.c) ----------------------------------- */



/* Not run at this size, with a time its fitted growth gives. */
int pd_variant_extrapolated(const pd_variant_result *v);

/* Median seconds, measured (correct) or extrapolated; NAN otherwise. */
double pd_variant_time(const pd_variant_result *v);

/* Which charts pd_plot_results draws for a lesson: kind is "speedup",
 * "time" or "memory". The report uses this to tell a chart that is missing
 * from one that was never meant to be. */
int pd_chart_expected(const pd_lesson_result *l, const char *kind);

/* The file name stem of a chart: the lesson id made safe as a file name,
 * "-", kind; just kind when id is NULL ("overview"). New string. */
char *pd_chart_stem(const char *id, const char *kind);

/* dir/charts/STEM.ext. New string. */
char *pd_chart_path(const char *dir, const char *id, const char *kind,
                    const char *ext);

/* A lesson's headline in words, the same in the overview chart and the
 * report: "412x faster: numpy vs iterrows, n = 100,000", "3.1x less
 * memory: ...", or a claim's outcome and note when it has no figure. Fills
 * *h. New string, or NULL when the lesson has nothing to lead with. */
char *pd_headline_text(const pd_lesson_result *l, pd_headline *h);

/* Draws the lesson's time or memory chart (chart_lines.c). */
int pd_plot_lines(const char *gnuplot, const char *charts_dir,
                  const pd_lesson_result *l, int memory, FILE *listing,
                  pd_err *e);

/* ---- curves (chart_curves.c) ---------------------------------------- */

/* The title of the lesson's k-th distinct curve (first seen first,
 * borrowed), or NULL when it has fewer. */
const char *pd_curve_title(const pd_lesson_result *l, size_t k);
/* The chart kind of curve k, "curve1", ...: its file is
 * pd_chart_path(dir, id, kind, ext). New string. */
char *pd_curve_kind(size_t k);
/* Draws the lesson's k-th curve chart (k < what pd_curve_title finds). */
int pd_plot_curves(const char *gnuplot, const char *charts_dir,
                   const pd_lesson_result *l, size_t k, FILE *listing, pd_err *e);

/* ---- gnuplot (gnuplot.c) -------------------------------------------- */

/* Absolute path of gnuplot found on PATH (new string), or NULL. */
char *pd_gnuplot_find(void);

/* Records on *e that gnuplot is missing and how to get it, for charts of
 * dir. Returns PD_PLOT_NO_GNUPLOT. */
int pd_gnuplot_missing(const char *dir, pd_err *e);

/* s quoted for a script (pd_gnuplot_quote), appended. */
void pd_gp_quote(pd_buf *b, const char *s);
/* The same for a tic label, which gnuplot reads as a format: a % in a
 * name must reach it as %%. */
void pd_gp_quote_tic(pd_buf *b, const char *s);
/* A number for a script or data file; NaN is gnuplot's "no value". */
void pd_gp_num(pd_buf *b, double x);
/* title_text and title_lines: the title wrapped to two lines at most.
 * Returns the lines. */
int pd_gp_title(pd_buf *b, const char *title);

/* Writes STEM.dat and STEM.gp (vars, then the common look, then the
 * chart's template) into charts_dir, runs gnuplot, and renames the PNG and
 * SVG into place. On failure no new STEM.png or STEM.svg appears. */
int pd_gp_draw(const char *gnuplot, const char *charts_dir, const char *stem,
               const pd_buf *vars, const char *template, const pd_buf *data,
               FILE *listing, pd_err *e);

/* The templates, compiled in from plots/NAME.gp (see CMakeLists.txt). */
extern const char pd_gp_common[];
extern const char pd_gp_bars[];
extern const char pd_gp_lines[];
extern const char pd_gp_curves[];

/* ---- axes (axes.c) -------------------------------------------------- */

typedef const char *(*pd_fmt_fn)(double, char *, size_t);

/* The data's range padded so points never sit on the frame. */
void pd_axis_pad(double dmin, double dmax, double *rmin, double *rmax);

/* "set Xtics (...)" for the log axis [*rmin, *rmax], labelled by fmt, on
 * powers of 1024 when binary; a range too narrow for two tics is widened
 * to the nearest ones, so no axis is left unlabelled. */
/* Brings a log axis's range within [1e-100, 1e100] (NaN to the bound):
 * a speedup of 1e308 in a results.json would take the axis to infinity. */
void pd_axis_clamp(double *rmin, double *rmax);
void pd_axis_log_tics(pd_buf *b, char axis, int binary, pd_fmt_fn fmt,
                      double *rmin, double *rmax);

/* pd_fmt_count of a double. */
const char *pd_fmt_n(double x, char *buf, size_t size);

/* ---- bars (chart_bars.c) -------------------------------------------- */

/* One row of a horizontal bar chart. */
typedef struct pd_bar {
    const char *name;  /* tick label; NULL makes this row a group header */
    const char *label; /* right of the bar; the header text; or, with no
                          bar, the note in the empty slot ("wrong") */
    double value;      /* bar end; NAN: an empty slot */
    double lo, hi;     /* interval drawn as an error bar; NAN: none */
    int linetype;      /* colour, common.gp: 1-10 variants, 11-13 fixed */
    int hatched;       /* extrapolated */
} pd_bar;

typedef struct pd_bar_chart {
    const char *stem;   /* files charts_dir/STEM.{png,svg,gp,dat} */
    const char *title;  /* any text: it is quoted and wrapped here */
    const char *xlabel;
    double base;        /* where bars start, drawn as a dashed rule; NAN:
                           at the left edge, below the smallest value */
    const pd_bar *rows;
    size_t nrows;
} pd_bar_chart;

/* Draws c with gnuplot (the path pd_gnuplot_find gave) into charts_dir,
 * which must exist. Lists the files on listing when not NULL. */
int pd_plot_bars(const char *gnuplot, const char *charts_dir,
                 const pd_bar_chart *c, FILE *listing, pd_err *e);

/* ---- claims in words (report.c) ------------------------------------- */

/* The mark of an outcome (✓ ✗ ○ …), static; *cls its CSS class
 * ("not-confirmed"). */
const char *pd_claim_mark(pd_claim_outcome o, const char **cls);
/* The claim as a sentence, appended: "a is at least 10x faster than b at
 * n = 1,000". */
void pd_claim_sentence(pd_buf *b, const pd_claim *c);
/* Its figure, appended: "Measured 12x (95% interval 10x – 14x)"; nothing
 * when it has none. */
void pd_claim_figure(pd_buf *b, const pd_claim *c);

/* ---- HTML (html.c) -------------------------------------------------- */

/* s with < > & " ' escaped; NULL adds nothing. */
void pd_html_escape(pd_buf *b, const char *s);
/* open, text escaped, close: an element around text from results.json. */
void pd_html_wrap(pd_buf *b, const char *open, const char *text, const char *close);
/* The document up to and including <body>: styles, no external resource. */
void pd_html_begin(pd_buf *b, const char *title);
/* Closes the document; a script counts images that did not render into
 * <body data-broken-images="N">, which tests read back. */
void pd_html_end(pd_buf *b);
/* The chart at png_path in a <figure> with its caption (NULL: none): its
 * SVG beside it (same stem) inlined as an element, ids prefixed so charts
 * never share one; else the PNG as a data: URI; when neither is there, a
 * note saying how to draw it for run dir `dir`. */
void pd_html_chart(pd_buf *b, const char *png_path, const char *alt,
                   const char *caption, const char *dir);
/* Python source escaped and highlighted in spans: class k keyword, s
 * string, c comment, n number, d decorator, f a name def or class
 * introduces. No markup of the source survives: every byte is escaped. */
void pd_html_python(pd_buf *b, const char *src);
/* A table of the machine and library versions of one run (b_run NULL) or
 * of two side by side, differences marked. */
void pd_html_fingerprint(pd_buf *b, const pd_run *a_run, const pd_run *b_run);

#endif
