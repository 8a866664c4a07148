/* Events from a child process, one JSON object per line: see
 * include/pdlab/events.h. */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/events.h"
#include "pdlab/signals.h"
#include "pdlab/timer.h"

/* How often a silent pipe's writer is checked for having exited: a fork
 * it left behind may hold the pipe open long after. */
#define EXIT_CHECK_MS 200

static void reserve(pd_events *r, size_t more)
{
    while (r->cap - r->len < more + 1) {
        r->cap = r->cap ? r->cap * 2 : 65536;
        r->buf = pd_xrealloc(r->buf, r->cap);
    }
}

int pd_events_take(pd_events *r, json_t **ev)
{
    char *nl;
    *ev = NULL;
    while (r->len && (nl = memchr(r->buf, '\n', r->len)) != NULL) {
        size_t line = (size_t)(nl - r->buf);
        json_t *obj = json_loadb(r->buf, line, JSON_REJECT_DUPLICATES, NULL);
        memmove(r->buf, nl + 1, r->len - line - 1);
        r->len -= line + 1;
        if (json_is_object(obj)) {
            *ev = obj;
            return 1;
        }
        json_decref(obj);
    }
    if (r->len >= PD_EVENT_MAX_LINE) r->len = 0; /* no newline in sight */
    return 0;
}

void pd_events_push(pd_events *r, const char *bytes, size_t len)
{
    reserve(r, len);
    memcpy(r->buf + r->len, bytes, len);
    r->len += len;
}

/* Reads what the pipe has. 1 when bytes came, 0 at its end. */
static int read_some(pd_events *r)
{
    ssize_t got;
    reserve(r, 4096);
    do got = read(r->child->pipe, r->buf + r->len, r->cap - r->len - 1);
    while (got < 0 && errno == EINTR);
    if (got <= 0) return 0;
    r->len += (size_t)got;
    return 1;
}

int pd_events_next(pd_events *r, uint64_t deadline_ns, json_t **ev)
{
    for (;;) {
        uint64_t now;
        struct pollfd p[2];
        int ms, got;
        /* A signal interrupts poll (EINTR), so this is heard at once. */
        if (pd_stop_signal()) return PD_EV_STOPPED;
        if (pd_events_take(r, ev)) return PD_EV_EVENT;
        now = pd_now_ns();
        if (now >= deadline_ns) return PD_EV_TIMEOUT;
        ms = (int)((deadline_ns - now) / 1000000) + 1;
        if (ms > EXIT_CHECK_MS) ms = EXIT_CHECK_MS;
        p[0] = (struct pollfd){r->child->pipe, POLLIN, 0};
        p[1] = (struct pollfd){r->on_output ? r->child->out_pipe : -1, POLLIN, 0};
        got = poll(p, 2, ms);
        if (got < 0 && errno == EINTR) continue;
        if (got > 0 && p[1].revents) r->on_output(r->output_ctx);
        if (got > 0 && p[0].revents) {
            if (!read_some(r)) return PD_EV_EOF;
            continue;
        }
        /* Exited with nothing more in the pipe (something it started may
         * hold the pipe open): a last look, since it may have written just
         * before it exited. */
        if (pd_child_exited(r->child) && poll(p, 1, 0) == 0) return PD_EV_EOF;
    }
}

void pd_events_free(pd_events *r)
{
    free(r->buf);
    r->buf = NULL;
    r->len = r->cap = 0;
}
