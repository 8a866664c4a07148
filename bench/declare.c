/* Reading lesson declarations without running lesson code here: one worker
 * process (`pdlab __declare`, bench/declare_worker.c) executes the files in
 * turn and sends each declaration as JSON; this side gives each file the
 * variant timeout, and reads what comes back as untrusted data (types by
 * the results.json reader, meaning by pd_lesson_check). A file that exits,
 * crashes or hangs is an error naming it; the worker is killed with its
 * process group and another one reads the files after it. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/events.h"
#include "pdlab/lesson.h"
#include "pdlab/results.h"
#include "pdlab/spawn.h"
#include "pdlab/timer.h"
#include "pdlab/worker.h"

/* What printed output of a file that ended its worker is shown. */
#define TAIL_BYTES 1500

typedef struct batch {
    char *const *paths;    /* every file; not owned */
    size_t n, next;        /* next: the first file without an outcome */
    pd_lesson *out;
    pd_err *errs;
    size_t failed;
    const pd_measure_opts *limits;
    char log[64];          /* the worker's stdout and stderr (a temp file) */
} batch;

/* Reads the declaration event of file i into out[i]; the outcome is
 * recorded either way. */
static void take_declaration(batch *b, size_t i, json_t *doc)
{
    pd_lesson *l = &b->out[i];
    pd_err *e = &b->errs[i];

    if (pd_declaration_read(doc, b->paths[i], l, e) < 0 || pd_lesson_check(l, e) < 0) {
        pd_error_prefix(e, "lesson '%s' (%s) declares something pdlab cannot run", l->id,
                        b->paths[i]);
        b->failed++;
    }
    b->next = i + 1;
}

static void take_failure(batch *b, size_t i, const char *msg)
{
    pd_error(&b->errs[i], "%s", msg);
    b->failed++;
    b->next = i + 1;
}

/* Acts on one event; `base` is the file the worker's list starts at and
 * *current the file being executed (-1 between files). Events about any
 * other file than the one started are ignored: the lesson code shares the
 * process and may write on the pipe too. */
static void handle(batch *b, size_t base, json_t *ev, long *current, uint64_t *deadline)
{
    const char *kind = json_string_value(json_object_get(ev, "event"));
    json_t *file = json_object_get(ev, "file");
    long k = json_is_integer(file) ? (long)json_integer_value(file) : -1;
    long i = k >= 0 && (size_t)k < b->n - base ? (long)base + k : -1;
    const char *msg = json_string_value(json_object_get(ev, "error"));

    if (kind == NULL) return;
    if (strcmp(kind, "start") == 0 && i == (long)b->next && *current < 0) {
        *current = i;
        *deadline = pd_now_ns() + (uint64_t)(b->limits->timeout_s * 1e9);
    } else if (strcmp(kind, "declaration") == 0 && i >= 0 && i == *current) {
        take_declaration(b, (size_t)i, json_object_get(ev, "lesson"));
        *current = -1;
    } else if (strcmp(kind, "error") == 0 && i >= 0 && i == *current) {
        take_failure(b, (size_t)i, msg ? msg : "it did not load, and the worker did not say why");
        *current = -1;
    } else if (strcmp(kind, "fatal") == 0 && *current < 0) {
        while (b->next < b->n)
            take_failure(b, b->next, msg ? msg : "the worker reading lessons gave up");
    }
}

/* The last bytes the worker printed, newly allocated ("" when none). */
static char *log_tail(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = pd_xcalloc(TAIL_BYTES + 1, 1);
    size_t got = 0;
    if (f) {
        if (fseek(f, -TAIL_BYTES, SEEK_END) < 0) rewind(f);
        got = fread(buf, 1, TAIL_BYTES, f);
        fclose(f);
    }
    buf[got] = '\0';
    return buf;
}

/* The file being executed ended the worker: by a timeout, or by exiting
 * or crashing. */
static void blame_file(batch *b, size_t i, int timed_out, int status)
{
    char how[128], *tail = log_tail(b->log), *msg;
    const char *id = b->out[i].id;
    if (timed_out)
        msg = pd_strdup_printf("lesson '%s' (%s) did not finish loading within %g s and "
                               "was stopped: code at the top level of a lesson file must "
                               "only declare (an endless loop?); fix the file", id,
                               b->paths[i], b->limits->timeout_s);
    else
        msg = pd_strdup_printf("lesson '%s' (%s) ended the process reading it (%s) while "
                               "loading: a lesson file must not exit or crash at its top "
                               "level; fix the file%s%s", id, b->paths[i],
                               pd_child_status_text(status, how, sizeof how),
                               tail[0] ? ". It printed:\n" : "", tail);
    take_failure(b, i, msg);
    free(msg);
    free(tail);
}

/* Starts one worker on the files from b->next and reads its events until
 * it ends or a file runs out of time. */
static void run_batch(batch *b, const char *exe)
{
    size_t base = b->next, k = 0;
    const char **argv = pd_xcalloc(b->n - base + 6, sizeof *argv);
    char limit[32];
    pd_child c = {0};
    pd_events ev = {0};
    pd_err err = {0};
    json_t *event;
    long current = -1;
    uint64_t deadline = pd_now_ns() + (uint64_t)(b->limits->timeout_s * 1e9);
    int r = PD_EV_EOF, status = 0;

    snprintf(limit, sizeof limit, "%llu", (unsigned long long)b->limits->mem_limit);
    argv[k++] = exe;
    argv[k++] = "__declare";
    argv[k++] = "--mem-limit";
    argv[k++] = limit;
    argv[k++] = "--";
    for (size_t i = base; i < b->n; i++) argv[k++] = b->paths[i];
    c.path = exe;
    c.argv = argv;
    c.in = PD_IO_NULL;
    c.out = PD_IO_FILE;
    c.out_path = b->log;
    c.err = PD_IO_STDOUT;
    c.pipe_fd = PD_WORKER_EVENT_FD;
    if (pd_child_start(&c, &err) < 0) {
        while (b->next < b->n) take_failure(b, b->next, err.msg);
        free(argv);
        return;
    }
    ev.child = &c;
    while (b->next < b->n && (r = pd_events_next(&ev, deadline, &event)) == PD_EV_EVENT) {
        handle(b, base, event, &current, &deadline);
        json_decref(event);
    }
    pd_child_kill(&c, SIGKILL);
    if (pd_child_wait(&c, &status, &err) < 0) status = 0;
    if (current >= 0) blame_file(b, (size_t)current, r == PD_EV_TIMEOUT, status);
    else if (b->next == base) /* it ended before the first file */
        blame_file(b, base, r == PD_EV_TIMEOUT, status);
    pd_events_free(&ev);
    free(argv);
}

size_t pd_lessons_load(char *const *paths, size_t n, const pd_measure_opts *limits,
                       pd_lesson *out, pd_err *errs)
{
    pd_measure_opts dflt = pd_measure_defaults();
    batch b = {paths, n, 0, out, errs, 0, limits ? limits : &dflt, ""};
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int fd;

    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].id = pd_lesson_id_of(paths[i]);
        out[i].path = pd_strdup(paths[i]);
    }
    snprintf(b.log, sizeof b.log, "%s/pdlab-declare-XXXXXX",
             getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40 ? getenv("TMPDIR") : "/tmp");
    if (len < 0 || (fd = mkstemp(b.log)) < 0) {
        for (size_t i = 0; i < n; i++)
            pd_error_errno(&errs[i], "cannot start a process to read lesson '%s'", out[i].id);
        return n;
    }
    close(fd);
    exe[len] = '\0';
    while (b.next < n) run_batch(&b, exe);
    unlink(b.log);
    return b.failed;
}

int pd_lesson_load(const char *path, pd_lesson *out, pd_err *e)
{
    char *const paths[] = {(char *)path};
    return pd_lessons_load(paths, 1, NULL, out, e) ? -1 : 0;
}
