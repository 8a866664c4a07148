#ifndef PDLAB_PLOT_H
#define PDLAB_PLOT_H
/* Charts drawn by gnuplot from a results.json, so they can be redrawn without
 * rerunning. gnuplot runs as a child process on a script and data files that
 * pdlab writes into DIR/charts/; text from lessons reaches the script only
 * escaped (gnuplot can run shell commands: backticks, system()). */

#include <stdio.h>

#include "pdlab/error.h"

/* PD_PLOT_NO_GNUPLOT: gnuplot is not installed; *e says how to get it. */
enum { PD_PLOT_OK = 0, PD_PLOT_FAILED = -1, PD_PLOT_NO_GNUPLOT = -2 };

/* Draws every chart of the run in results_dir (which holds results.json)
 * into results_dir/charts/, PNG and SVG. Lists the files written on `log`
 * when not NULL. */
int pd_plot_results(const char *results_dir, FILE *log, pd_err *e);

/* Quotes s as a gnuplot string expression that gnuplot shows verbatim:
 * single-quoted (no backtick or macro substitution), a quote doubled where
 * gnuplot's scanner allows it and otherwise joined in as sprintf('%c',39),
 * newlines and control characters replaced by spaces. Writes at most size
 * bytes including the NUL; returns the length written, or -1 when it does
 * not fit. */
int pd_gnuplot_quote(const char *s, char *buf, size_t size);

#endif
