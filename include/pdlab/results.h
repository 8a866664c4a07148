#ifndef PDLAB_RESULTS_H
#define PDLAB_RESULTS_H
/* results.json: everything needed to redraw a run, versioned. The writer
 * builds it from a pd_run and pd_results_read builds the same pd_run back,
 * so every view (table, plot, report, compare, show, bench) works from the
 * structs and the rules of evidence.h, never from fields of its own. */

#include <jansson.h>

#include "pdlab/error.h"
#include "pdlab/result.h"

/* 3: statistics and curves of each variant's result, and the claim kinds
 * statistic and statistic_ratio (claims' "statistic", "range_lo",
 * "range_hi"); lessons/README.md, "Statistics, curves and answer groups",
 * shows the fields. */
#define PD_RESULTS_SCHEMA 3

/* New reference to the whole document. */
json_t *pd_run_to_json(const pd_run *r);

/* Writes path atomically. */
int pd_results_write(const pd_run *r, const char *path, pd_err *e);

/* Reads a results.json back into *out: everything the writer wrote from.
 * Missing or null fields take the value that the writer writes null for;
 * a field of the wrong type, an unknown status or claim word, a variant
 * or lesson without a name fail with *e naming the file and the field
 * (lessons[0].results[2].variants[1].median_s). On failure *out is empty;
 * on success the caller frees it with pd_run_free. */
int pd_results_read(const char *path, pd_run *out, pd_err *e);

/* Reads a lesson's declaration (the fields of a lesson object above, and
 * "csv") into *l by the same rules, errors naming `file`. Only types are
 * checked here: pd_lesson_check says whether it can run. */
int pd_declaration_read(const json_t *o, const char *file, pd_lesson *l, pd_err *e);
/* The "statistics" and "curves" of a variant's object (a worker's result
 * event, or a variant in results.json) into *v, with the reader's checks;
 * `where` names the source in an error. What was read stays on *v for
 * pd_variant_result_free, on failure too. */
int pd_variant_figures_read(const json_t *o, pd_variant_result *v, const char *where,
                            pd_err *e);

/* ---- where runs live (bench/results_dir.c) ---- */

/* The directory runs live in: $PDLAB_RESULTS when set, else results/
 * beside the lessons directory (pd_lessons_dir's parent: the project's),
 * whatever the current directory. New string. */
char *pd_results_root(void);
/* ROOT/<local start time>, where a run without --out writes. New string. */
char *pd_results_new_run_dir(void);
/* Points ROOT/latest at run_dir when run_dir is directly in the root. */
void pd_results_link_latest(const char *run_dir);
/* The newest run under root whose results.json holds lesson `id`: read
 * into *run (the caller frees it with pd_run_free), its results.json's
 * path into path. -1 when no run holds it. */
int pd_results_newest_with(const char *root, const char *id, pd_run *run, char *path,
                           size_t size);
#endif
