#ifndef PDLAB_RUN_H
#define PDLAB_RUN_H
/* A run: for each lesson and size, make sure the dataset exists, measure the
 * variants in workers, verify, summarize, and save results.json after every
 * lesson so that an interrupted run keeps what it measured. */

#include <stdint.h>

#include "pdlab/dataset.h"
#include "pdlab/error.h"
#include "pdlab/result.h"
#include "pdlab/worker.h"

/* What a run tells whoever drives it, as it goes: the CLI draws a progress
 * line and prints each lesson's table; a test can record the calls. Any
 * member may be NULL. The run itself never prints. */
typedef struct pd_run_observer {
    void *ctx;
    /* A dataset is about to be made (it was not in the cache). */
    void (*dataset)(void *ctx, const char *name, uint64_t n, const char *cache_dir);
    /* Lesson lesson_no of nlessons at size n is running `variant`; NULL
     * when the worker has loaded the data. */
    void (*measuring)(void *ctx, const char *lesson, size_t lesson_no, size_t nlessons,
                      uint64_t n, const char *variant);
    /* A lesson is done: measured, derived, claims checked; lr->error set
     * when it could not run (sizes measured before are kept). */
    void (*lesson_done)(void *ctx, const pd_lesson_result *lr);
    /* A cached dataset file failed its checks (why) and is made again. */
    void (*dataset_damaged)(void *ctx, const char *path, const char *why);
} pd_run_observer;

/* The budget of a run when none is given, in seconds (a string, for the
 * help text, and a number). */
#define PD_DEFAULT_BUDGET "100"
#define PD_DEFAULT_BUDGET_S 100.0

typedef struct pd_run_opts {
    char **lesson_paths;
    size_t nlessons;
    const uint64_t *sizes;   /* overrides every lesson's sizes when set */
    size_t nsizes;
    const char *out_dir;
    const char *cache_dir;
    pd_measure_opts measure;
    int processes;           /* worker processes whose samples are pooled
                                per size (pyperf samples several): 1+ */
    double budget_s;         /* time budget of the whole run; 0: none. A
                                variant whose predicted cost at a size is over
                                a quarter of its lesson's share is not run
                                there; its time is extrapolated instead */
    pd_run_observer observer;
    const char *dataset;     /* --dataset: a built-in or imported dataset's
                                name, or an .h5 file, instead of each
                                lesson's own; NULL: the lesson's */
    const pd_column_map *columns; /* --columns: the data's column for each
                                     column a lesson names */
    size_t ncolumns;
} pd_run_opts;

/* Runs every lesson. Returns 0 when all ran (variants may still be wrong or
 * have failed: see the results), 1 when some lesson could not run at all,
 * -1 with *e set when the run itself failed (output not writable). */
int pd_run_lessons(const pd_run_opts *o, pd_run *run, pd_err *e);

#endif
