#ifndef PDLAB_WORKER_H
#define PDLAB_WORKER_H
/* Lessons run in worker processes: a fresh exec of the pdlab binary (never a
 * fork of a live interpreter), reused across a size's variants and, when
 * the run keeps it (pd_worker_keep), across a lesson's sizes. A crash, a hang past the timeout, or a memory blow-up past
 * the limit costs one variant: the parent records it and starts a new worker
 * for the variants left.
 *
 * A worker checks every variant first (the first call, the answer against
 * the reference, the calibration), then takes the samples of those to be
 * timed in interleaved rounds (bench/worker_rounds.c), then sends their
 * results. A worker that dies takes the results it had not sent with it:
 * the next one checks those variants again.
 *
 * Protocol: the worker writes one JSON object per line on fd 3:
 *   {"event":"load", "seconds":s, "bytes":b, "rows":n}
 *   {"event":"start", "variant":name}  before each step of a variant's (its
 *                                      checks, each sample, its end): a
 *                                      crash or hang is the named one's
 *   {"event":"result", "variant":name, ...fields of pd_variant_result}
 *   {"event":"fatal", "error":text}    the lesson cannot run at all
 *   {"event":"done"}                   a kept worker finished the size
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

/* A worker kept for the next size (--serve) reads what to measure next on
 * this descriptor, one JSON object per line:
 *   {"n":N, "data":H5, "csv":FILE|null, "failed":[name...], "claimed":[name...],
 *    "variants":[name...]}
 * and, when the size is done, writes {"event":"done"} and waits for the
 * next line. The end of the pipe ends it (its lesson's teardowns run). */
#define PD_WORKER_COMMAND_FD 4

/* A worker kept between the sizes of one lesson: its start-up (Python,
 * pandas, the lesson file, a cluster the lesson starts) is paid once
 * instead of once per size. A worker that crashed, hung, or left a thread
 * running is not kept: the next size gets a fresh one. */
typedef struct pd_worker_keep pd_worker_keep;

pd_worker_keep *pd_worker_keep_new(void);

/* Ends the kept worker, if any (its teardowns run, then its whole process
 * group is killed), and frees k. NULL is fine. */
void pd_worker_keep_end(pd_worker_keep *k);
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
    pd_worker_keep *keep;     /* measure in the worker kept here and keep
                                 it for the next size; NULL: a worker of
                                 its own, ended after this size */
    const char *const *claimed; /* the variants whose samples a claim's time
                                 ratio is built from at this size (more
                                 samples: pd_claimed_samples_for) */
    size_t nclaimed;
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
