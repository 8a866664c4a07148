#ifndef PDLAB_RESULTS_H
#define PDLAB_RESULTS_H
/* results.json: everything needed to redraw a run, versioned. The writer
 * builds it from a pd_run; readers (show, plot, report, compare) load the
 * document with pd_results_load and read fields through jansson. */

#include <jansson.h>

#include "pdlab/error.h"
#include "pdlab/result.h"

#define PD_RESULTS_SCHEMA 2

/* New reference to the whole document. */
json_t *pd_run_to_json(const pd_run *r);

/* Writes path atomically. */
int pd_results_write(const pd_run *r, const char *path, pd_err *e);

/* Loads and checks the schema version. New reference, or NULL with *e set. */
json_t *pd_results_load(const char *path, pd_err *e);

/* The lesson object with this id in a loaded document (borrowed), or NULL. */
json_t *pd_results_lesson(json_t *doc, const char *id);

#endif
