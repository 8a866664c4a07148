#ifndef PDLAB_REPORT_H
#define PDLAB_REPORT_H
/* The HTML report of a run, the comparison of two runs, the merge of many. */

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

/* Writes out_dir/merged.html (atomically) from a merge of runs
 * (include/pdlab/merge.h): a machines table with each run's fingerprint,
 * then per lesson each run's claim outcomes and times side by side, runs
 * whose software or declaration differs marked; then puts a summary on
 * `out`: the runs, each lesson's claims per run, the claims that
 * disagree. */
struct pd_merge;
int pd_merge_report(const struct pd_merge *m, const char *out_dir, FILE *out, pd_err *e);

#endif
