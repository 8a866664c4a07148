#ifndef PDLAB_ERROR_H
#define PDLAB_ERROR_H
/* The one error channel.
 *
 * Library code never prints. A function that fails records what went wrong on
 * a pd_err the caller owns and returns -1 (or NULL); the command at the edge
 * reports it once. Only the first error is kept: it is the cause, the rest are
 * consequences. Context (which file, which lesson, what to do) is added by the
 * layer that knows it, with pd_error_prefix(). */

#include <stddef.h>

#define PD_ERR_MAX 8192

typedef struct pd_err {
    int set;              /* 0 until the first error is recorded */
    char msg[PD_ERR_MAX]; /* one paragraph: what failed, why, what to do */
} pd_err;

/* Records a printf-style message unless one is already set. Returns -1. */
int pd_error(pd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like pd_error() with ": strerror(errno)" appended. Returns -1. */
int pd_error_errno(pd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Puts "context: " in front of the recorded message, if there is one. */
void pd_error_prefix(pd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void pd_error_clear(pd_err *e);

/* A "cannot happen" that happened (git's BUG()): a broken invariant of
 * pdlab itself, not bad input. Prints where and what, then aborts, so the
 * core dump or the sanitizer's report points at it. Never for anything a
 * user, a lesson or a file can cause: those are pd_error()s. */
#define PD_BUG(...) pd_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void pd_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
