#ifndef PDLAB_EVENTS_H
#define PDLAB_EVENTS_H
/* Reading a child's events: one JSON object per line on a pipe (the
 * protocol of include/pdlab/worker.h), waited for with a deadline. Shared
 * by the supervisor of variant workers and the reader of declarations.
 *
 * Every byte is untrusted: a line that is not a JSON object is dropped, and
 * a line longer than PD_EVENT_MAX_LINE is dropped with it. */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "pdlab/spawn.h"

#define PD_EVENT_MAX_LINE (64u << 20)

typedef struct pd_events {
    const pd_child *child; /* the writer and its pipe; not owned. Its
                              exit ends the wait even while something it
                              started holds the pipe open */
    /* Optional: called whenever the child's out_pipe has bytes, to take
     * them, so that a child blocked writing a full output pipe never
     * stalls its events. NULL: out_pipe is not watched. */
    void (*on_output)(void *ctx);
    void *output_ctx;
    char *buf;        /* bytes read but not yet split into lines; owned */
    size_t len, cap;
} pd_events;

enum { PD_EV_EVENT = 1, PD_EV_EOF = 0, PD_EV_TIMEOUT = -2, PD_EV_STOPPED = -3 };

/* The next event (*ev, new reference) waiting until the monotonic deadline
 * (pd_now_ns): PD_EV_EVENT, PD_EV_EOF when the pipe ended or the writer
 * exited, PD_EV_TIMEOUT, or PD_EV_STOPPED as soon as a signal asks the
 * run to stop (base/signals.h). */
int pd_events_next(pd_events *r, uint64_t deadline_ns, json_t **ev);

/* Bytes as if read from the pipe, and the next complete event among the
 * bytes held (1, *ev a new reference) or 0: for tests and fuzzing. */
void pd_events_push(pd_events *r, const char *bytes, size_t len);
int pd_events_take(pd_events *r, json_t **ev);

/* Frees the buffer; the pipe is the caller's. */
void pd_events_free(pd_events *r);

#endif
