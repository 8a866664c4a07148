#ifndef PDLAB_REPORT_H
#define PDLAB_REPORT_H
/* The HTML report of a run and the comparison of two runs. */

#include <stdio.h>

#include "pdlab/error.h"

/* Writes results_dir/report.html, one self-contained file (charts inlined),
 * from results_dir/results.json and the charts in results_dir/charts/. */
int pd_report_write(const char *results_dir, pd_err *e);

/* Puts two runs side by side: a table on `out`, and out_dir/compare.html with
 * a chart of the ratios. Changes bigger than the runs' own spread are
 * flagged. */
int pd_compare_runs(const char *run_a, const char *run_b, const char *out_dir,
                    FILE *out, pd_err *e);

#endif
