#ifndef PDLAB_RESULTS_H
#define PDLAB_RESULTS_H
/* results.json: everything needed to redraw a run, versioned. The writer
 * builds it from a pd_run and pd_results_read builds the same pd_run back,
 * so the views (plot, report, compare) work from the structs and the rules
 * of evidence.h, never from fields of their own. */

#include <jansson.h>

#include "pdlab/error.h"
#include "pdlab/result.h"

#define PD_RESULTS_SCHEMA 2

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

/* Raw access, for the commands that still read fields themselves (show,
 * bench): loads and checks the schema version. New reference, or NULL with *e set. */
json_t *pd_results_load(const char *path, pd_err *e);

/* The lesson object with this id in a loaded document (borrowed), or NULL. */
json_t *pd_results_lesson(json_t *doc, const char *id);

#endif
