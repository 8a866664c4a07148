#ifndef PDLAB_WORKER_H
#define PDLAB_WORKER_H
/* Lessons run in worker processes: a fresh exec of the pdlab binary (never a
 * fork of a live interpreter), one per lesson and size, reused across that
 * size's variants. A crash, a hang past the timeout, or a memory blow-up past
 * the limit costs one variant: the parent records it and starts a new worker
 * for the variants left.
 *
 * Protocol: the worker writes one JSON object per line on fd 3:
 *   {"event":"load", "seconds":s, "bytes":b, "rows":n}
 *   {"event":"start", "variant":name}
 *   {"event":"result", "variant":name, ...fields of pd_variant_result}
 *   {"event":"fatal", "error":text}    the lesson cannot run at all
 * Its stdout and stderr (lesson prints, crash messages) go to a log file.
 * Every byte from a worker is untrusted: the parent skips what it cannot
 * parse and never trusts a field's type. The worker leads its own process
 * group, so whatever a variant starts dies with it. */

#include <stddef.h>
#include <stdint.h>

#include "pdlab/error.h"
#include "pdlab/measure.h"
#include "pdlab/result.h"

/* The worker writes its events on this descriptor. */
#define PD_WORKER_EVENT_FD 3
/* A restarted worker is told, with --failed NAME, which variants took an
 * earlier worker of the same size down (at most this many): it never runs
 * them again, not even to recompute a reference. */
#define PD_WORKER_MAX_FAILED 16

/* Progress callback: the variant about to run (or NULL when the load is
 * done), for a display. */
typedef void (*pd_progress_fn)(void *ctx, const char *variant);

typedef struct pd_worker_job {
    const char *exe;          /* path of the pdlab binary (/proc/self/exe) */
    const char *lesson_path;
    const char *dataset_path;
    uint64_t n;
    const char *log_path;     /* worker stdout/stderr, appended */
    const char *csv_path;     /* the dataset exported as CSV, or NULL */
    int profile;              /* profile the lesson's profile variant */
    int peak_only;            /* each variant's first-call peak only, no
                                 verification or timing: for fresh-process
                                 memory measurements */
    pd_measure_opts opts;
    pd_progress_fn progress;
    void *progress_ctx;
} pd_worker_job;

/* Measures the variants of `out` whose status is not PD_NOT_RUN; fills each
 * one's result and out's load figures. Returns -1 with *e set only when the
 * lesson cannot run at all (the worker reported "fatal" or could not start);
 * a variant that fails is a result, not an error. */
int pd_worker_measure(const pd_worker_job *job, pd_size_result *out,
                      pd_err *e);

/* Entry point of the hidden `pdlab __worker` command. */
int pd_worker_main(int argc, char **argv);

/* Entry point of the hidden `pdlab __declare` command: the worker that
 * reads lesson declarations (bench/declare_worker.c). */
int pd_declare_main(int argc, char **argv);

#endif
