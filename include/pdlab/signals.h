#ifndef PDLAB_SIGNALS_H
#define PDLAB_SIGNALS_H
/* Stopping on a signal without losing what was measured.
 *
 * A command that runs for long (pdlab run, dataset make) owns SIGINT,
 * SIGTERM and SIGHUP in C: the handler only records which signal came, and
 * the loops that wait (the planner, the supervisor's wait for worker events,
 * the dataset writer) look at pd_stop_signal() and unwind through their
 * ordinary cleanup, so workers are killed as a group, temporaries are
 * removed and results.json is written whole. The command then exits with
 * 128 + the signal, as a shell expects of a program a signal stopped.
 *
 * SIGXFSZ is ignored by every command: past `ulimit -f` a write then fails
 * with EFBIG and is reported with the file's name, instead of the process
 * dying without a word. */

#include "pdlab/error.h"

/* Installs the handlers. A signal ignored when pdlab started (SIGHUP under
 * nohup, SIGINT in a background job of a non-interactive shell) stays
 * ignored, as a program is expected to leave it. Idempotent. */
void pd_stop_signals_install(void);

/* Ignores SIGXFSZ (see above). */
void pd_ignore_file_size_signal(void);

/* The signal that asked the process to stop, or 0. */
int pd_stop_signal(void);

/* "SIGINT", "SIGTERM", "SIGHUP" or "signal N", static or in buf. */
const char *pd_signal_name(int sig, char *buf, unsigned size);

/* Records "interrupted by SIGINT" on e, with " while " and `doing` when
 * given. Returns -1. */
int pd_stop_error(pd_err *e, const char *doing);

#endif
