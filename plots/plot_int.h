#ifndef PDLAB_PLOT_INT_H
#define PDLAB_PLOT_INT_H
/* What plot.c, report.c and compare.c share; not part of pdlab's contract.
 *
 *   plot.c    text buffer, tolerant reading of results.json, the choices
 *             every view must agree on (which size the bars show, which
 *             charts a lesson gets, chart file names), gnuplot (find, run,
 *             one bar chart)
 *   report.c  HTML: escaping, the page frame and its CSS, inlined charts,
 *             the machine fingerprint of one or two runs
 */

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "pdlab/alloc.h"
#include "pdlab/error.h"

#include "pdlab/format.h"
#include "pdlab/strbuf.h"

/* ---- results.json, read tolerantly (plot.c) ----------------------- */
/* Any field may be missing or null, in old and in future documents. */

double pd_jnum(const json_t *o, const char *key);      /* NAN if absent */
const char *pd_jstr(const json_t *o, const char *key); /* NULL if absent */
int pd_jtrue(const json_t *o, const char *key);        /* only JSON true */
json_t *pd_jarr(const json_t *o, const char *key);     /* borrowed, or NULL */
/* The element of array o[key] whose "name" is name (borrowed), or NULL. */
json_t *pd_jnamed(const json_t *o, const char *key, const char *name);

/* A variant result that was measured and matched the reference. */
int pd_v_measured(const json_t *v);
/* A variant result whose median was extrapolated from its fitted growth. */
int pd_v_extrapolated(const json_t *v);
/* Median seconds, measured or (for an extrapolated result) fitted; NAN
 * when neither. */
double pd_v_median(const json_t *v);
/* A bar or point that involves an extrapolated time. */
int pd_v_speedup_extrapolated(const json_t *v);
/* The words a learner reads for a status: "wrong", "not run",
 * "out of memory"... ("ok" for ok, "unknown" when absent). Static. */
const char *pd_v_status_words(const json_t *v);

/* The main part of a lesson ("main" when declared, else the first part a
 * variant names), borrowed from the document; NULL when nothing names one. */
const char *pd_jlesson_main_part(const json_t *lesson);

/* Index in lesson.results of the size the bars and the report's table
 * show: the one with the most measured correct variants of the main part,
 * ties to the larger n (the largest size where the slow variants still
 * ran). -1 when no size has a measured correct variant. */
int pd_jlesson_bars_size(const json_t *lesson);

/* The headline of a lesson, the same in the overview chart and the
 * report: the slowest and the fastest correct variant of its main part at
 * the bars size (measured or extrapolated), borrowed, and that size.
 * Returns how many times faster the fastest was, or NAN (and NULLs) when
 * fewer than two variants qualify. */
double pd_jlesson_best(const json_t *lesson, json_t **slowest,
                       json_t **fastest, json_t **size);

/* The lesson's variant declarations in order, or failing that the
 * variants of its first size (borrowed; NULL when there are none). */
json_t *pd_jlesson_variants(const json_t *lesson);

/* Which charts pd_plot_results draws for a lesson: kind is "speedup",
 * "time" or "memory". The report uses this to tell a chart that is missing
 * from one that was never meant to be. */
int pd_chart_expected(const json_t *lesson, const char *kind);

/* The file name stem of a chart: the lesson id made safe as a file name,
 * "-", kind; just kind when lesson is NULL ("overview"). New string. */
char *pd_chart_stem(const json_t *lesson, const char *kind);

/* dir/charts/STEM.ext. New string. */
char *pd_chart_path(const char *dir, const json_t *lesson, const char *kind,
                    const char *ext);

/* ---- gnuplot (plot.c) ----------------------------------------------- */

/* Absolute path of gnuplot found on PATH (new string), or NULL. */
char *pd_gnuplot_find(void);

/* Records on *e that gnuplot is missing and how to get it, for charts of
 * dir. Returns PD_PLOT_NO_GNUPLOT. */
int pd_gnuplot_missing(const char *dir, pd_err *e);

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

/* ---- HTML (report.c) ------------------------------------------------ */

/* s with < > & " ' escaped; NULL adds nothing. */
void pd_html_escape(pd_buf *b, const char *s);
/* The document up to and including <body>: styles, no external resource. */
void pd_html_begin(pd_buf *b, const char *title);
/* Closes the document; a script counts images that did not render into
 * <body data-broken-images="N">, which tests read back. */
void pd_html_end(pd_buf *b);
/* The chart at png_path inlined as a data: URI in a <figure> with its
 * caption (NULL: none); when it is not there, a note saying how to draw it
 * for run dir `dir`. */
void pd_html_chart(pd_buf *b, const char *png_path, const char *alt,
                   const char *caption, const char *dir);
/* A table of the machine and library versions of one run (b_doc NULL) or
 * of two side by side, differences marked. */
void pd_html_fingerprint(pd_buf *b, const json_t *a_doc, const json_t *b_doc);

#endif
