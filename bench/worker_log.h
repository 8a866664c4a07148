#ifndef PDLAB_WORKER_LOG_H
#define PDLAB_WORKER_LOG_H
/* What a worker prints, kept within bounds (bench/supervisor.c only).
 *
 * A variant that prints a gigabyte must not make a gigabyte log, nor a
 * parent that holds it: the parent reads the worker's stdout and stderr
 * from a pipe, writes the first WORKER_LOG_HEAD bytes to the log as they
 * come, keeps only the last WORKER_LOG_TAIL bytes after that in a ring
 * (where a traceback or faulthandler's report ends up), and when the
 * worker ends writes a note of how much was left out, then the ring. */

#include <stddef.h>
#include <stdint.h>

#include "pdlab/error.h"

#define WORKER_LOG_HEAD (64u << 10)
#define WORKER_LOG_TAIL (64u << 10)

typedef struct worker_log {
    int fd;             /* the log file, appended to; -1 when closed */
    uint64_t head;      /* bytes written straight to the file */
    char *ring;         /* owned: the last bytes past the head */
    size_t ring_len;    /* bytes in the ring (at most WORKER_LOG_TAIL) */
    size_t ring_end;    /* where the next byte goes */
    uint64_t dropped;   /* bytes past the head that left the ring */
} worker_log;

/* Opens path for appending. -1 with *e set when it cannot. */
int worker_log_open(worker_log *l, const char *path, pd_err *e);

/* Takes n bytes the worker printed. A failing write to the log (a full
 * disk) loses log text, never the run. */
void worker_log_feed(worker_log *l, const char *buf, size_t n);

/* Writes the note and the ring, closes the file, frees the ring. Accepts
 * a log never opened (fd -1) or closed already. */
void worker_log_close(worker_log *l);

/* The last max bytes of the file at path, read from its end (the log may
 * be large: an earlier run's, or one that many workers appended to).
 * Newly allocated, possibly empty. */
char *worker_log_tail(const char *path, size_t max);

#endif
