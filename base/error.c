/* The one error channel: see include/pdlab/error.h.
 *
 * A pd_err holds one message in a fixed buffer, so recording an error never
 * allocates and cannot itself fail. Messages that do not fit are cut and end
 * in "..." so a reader knows text is missing; the errno text of
 * pd_error_errno() is kept whole even then, because "No space left on
 * device" is usually the most useful part. */

#include "pdlab/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRUNC_MARK "..."

/* Marks a buffer of `size` bytes that vsnprintf() filled to the brim. */
static void mark_truncated(char *buf, size_t size) {
    size_t m = sizeof(TRUNC_MARK) - 1;
    if (size > m) memcpy(buf + size - 1 - m, TRUNC_MARK, m);
}

/* Formats fmt/ap into e->msg followed by suffix, which is never cut: the
 * formatted part gets whatever room the suffix leaves. */
static void record(pd_err *e, const char *suffix, const char *fmt,
                   va_list ap) {
    size_t slen = strlen(suffix);
    size_t room;
    int n;

    if (slen > PD_ERR_MAX - 1 - sizeof(TRUNC_MARK))
        slen = PD_ERR_MAX - 1 - sizeof(TRUNC_MARK); /* absurd errno text */
    room = PD_ERR_MAX - slen; /* bytes for the formatted part and its NUL */
    n = vsnprintf(e->msg, room, fmt, ap);
    if (n < 0) {
        /* Only an invalid format or wide character gets here. */
        snprintf(e->msg, room, "(unformattable error message)");
        n = (int)strlen(e->msg);
    } else if ((size_t)n >= room) {
        mark_truncated(e->msg, room);
        n = (int)room - 1;
    }
    memcpy(e->msg + n, suffix, slen);
    e->msg[n + slen] = '\0';
    e->set = 1;
}

int pd_error(pd_err *e, const char *fmt, ...) {
    va_list ap;

    if (e == NULL || e->set) return -1; /* the first error is the cause */
    va_start(ap, fmt);
    record(e, "", fmt, ap);
    va_end(ap);
    return -1;
}

int pd_error_errno(pd_err *e, const char *fmt, ...) {
    int saved = errno; /* before anything here can change it */
    char suffix[256] = ": ";
    va_list ap;

    if (e == NULL || e->set) return -1;
    /* strerror, not strerror_r: its GNU and XSI forms differ, and pdlab
     * reports errors from one thread. */
    snprintf(suffix + 2, sizeof(suffix) - 2, "%s", strerror(saved));
    va_start(ap, fmt);
    record(e, suffix, fmt, ap);
    va_end(ap);
    errno = saved; /* callers may still want to look at it */
    return -1;
}

void pd_error_prefix(pd_err *e, const char *fmt, ...) {
    char pre[PD_ERR_MAX];
    size_t plen, mlen, keep;
    va_list ap;
    int n;

    if (e == NULL || !e->set) return;

    /* "context: ", cut if it alone would fill the buffer. */
    va_start(ap, fmt);
    n = vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    if (n < 0) return; /* a context we cannot format adds nothing */
    plen = (size_t)n < sizeof(pre) ? (size_t)n : sizeof(pre) - 1;
    if (plen > PD_ERR_MAX - 3) plen = PD_ERR_MAX - 3;
    memcpy(pre + plen, ": ", 2);
    plen += 2;

    /* Slide the message right to make room; its tail falls off the end
     * when the whole does not fit, and the cut is marked. */
    mlen = strlen(e->msg);
    keep = PD_ERR_MAX - 1 - plen;
    if (keep > mlen) keep = mlen;
    memmove(e->msg + plen, e->msg, keep);
    memcpy(e->msg, pre, plen);
    e->msg[plen + keep] = '\0';
    if (keep < mlen) mark_truncated(e->msg, PD_ERR_MAX);
}

void pd_error_clear(pd_err *e) {
    if (e == NULL) return;
    e->set = 0;
    e->msg[0] = '\0';
}

_Noreturn void pd_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "pdlab: BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    abort();
}
