/* The parent's side of the worker processes (include/pdlab/worker.h):
 * start a worker over base/spawn, read its events with a deadline per
 * variant, blame a crash or a hang on the variant that was running, and
 * start another worker for the variants left.
 *
 * Everything a worker writes is untrusted: a line that is not a JSON
 * object is skipped, a field of the wrong type reads as absent. A worker
 * leads its own process group, and the whole group is killed before the
 * worker is reaped, so nothing a variant started (a fork, a pool) outlives
 * its size of the run. */

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/events.h"
#include "pdlab/fileio.h"
#include "pdlab/results.h"
#include "pdlab/signals.h"
#include "pdlab/spawn.h"
#include "pdlab/strbuf.h"
#include "pdlab/timer.h"
#include "pdlab/worker.h"
#include "worker_log.h"

/* Still to measure: to be run and no result yet (pd_worker_measure marks
 * those with a negative first-call time; any result overwrites it). */
static int pending(const pd_variant_result *v)
{
    return v->status != PD_NOT_RUN && v->first_call_s < 0;
}

/* Ended by a crash, a timeout or the memory limit in an earlier worker. */
static int took_worker_down(const pd_variant_result *v)
{
    return v->status == PD_CRASHED || v->status == PD_TIMEOUT || v->status == PD_NO_MEMORY;
}

static size_t count_pending(const pd_size_result *out)
{
    size_t n = 0;
    for (size_t i = 0; i < out->nvariants; i++) n += pending(&out->variants[i]);
    return n;
}

/* ---- starting a worker ------------------------------------------------- */

typedef struct worker_proc {
    pd_child child;
    pd_events events;   /* its pipe, read */
    const char **argv;  /* owned array; the strings are the job's, args or
                           paths */
    char args[4][32];   /* numbers formatted for argv */
    char *paths[3];     /* owned: lesson, data, CSV as absolute paths */
    char *scratch;      /* owned: its private working directory, removed
                           with everything in it when it ends */
    worker_log log;     /* what it prints, bounded, into job->log_path */
} worker_proc;

/* pdlab __worker --lesson F --data H5 --n N ... [--failed V]... -- VARIANT... */
static void build_argv(const pd_worker_job *job, const pd_size_result *out, worker_proc *w)
{
    size_t k = 0, cap = out->nvariants + 24 + 2 * PD_WORKER_MAX_FAILED + 2 * job->nclaimed;
    size_t nf = 0;
    const char **argv = pd_xcalloc(cap, sizeof *argv);

    snprintf(w->args[0], sizeof w->args[0], "%llu", (unsigned long long)job->n);
    snprintf(w->args[1], sizeof w->args[1], "%llu", (unsigned long long)job->opts.mem_limit);
    snprintf(w->args[2], sizeof w->args[2], "%g", job->opts.min_sample_s);
    snprintf(w->args[3], sizeof w->args[3], "%d", job->opts.samples);
    argv[k++] = job->exe;
    argv[k++] = "__worker";
    argv[k++] = "--lesson";     argv[k++] = w->paths[0];
    argv[k++] = "--data";       argv[k++] = w->paths[1];
    argv[k++] = "--n";          argv[k++] = w->args[0];
    argv[k++] = "--mem-limit";  argv[k++] = w->args[1];
    argv[k++] = "--min-sample"; argv[k++] = w->args[2];
    argv[k++] = "--samples";    argv[k++] = w->args[3];
    if (w->paths[2]) {
        argv[k++] = "--csv";
        argv[k++] = w->paths[2];
    }
    if (job->profile) argv[k++] = "--profile";
    if (job->peak_only) argv[k++] = "--peak-only";
    if (job->keep) argv[k++] = "--serve";
    for (size_t i = 0; i < out->nvariants && nf < PD_WORKER_MAX_FAILED; i++)
        if (took_worker_down(&out->variants[i])) {
            argv[k++] = "--failed";
            argv[k++] = out->variants[i].name;
            nf++;
        }
    for (size_t i = 0; i < job->nclaimed; i++) {
        argv[k++] = "--claimed";
        argv[k++] = job->claimed[i];
    }
    argv[k++] = "--";
    for (size_t i = 0; i < out->nvariants; i++)
        if (pending(&out->variants[i])) argv[k++] = out->variants[i].name;
    if (k >= cap) PD_BUG("worker argv overflow (%zu of %zu)", k, cap);
    argv[k] = NULL;
    w->argv = argv;
}

/* Frees what start_worker made and removes the scratch directory; the
 * worker's whole group must be gone (nothing left to write there). */
static void release_worker(worker_proc *w)
{
    pd_err ignored = {0};
    worker_log_close(&w->log);
    if (w->scratch) pd_remove_tree(w->scratch, &ignored);
    free(w->scratch);
    for (size_t i = 0; i < 3; i++) free(w->paths[i]);
    pd_events_free(&w->events);
    free(w->argv);
    memset(w, 0, sizeof *w);
    w->log.fd = -1; /* not stdin: a second release closes nothing */
}

/* The worker works in a directory of its own: what a variant writes,
 * deletes or chdirs to relative to it cannot reach the user's files. So
 * every path it is given is absolute. */
static int make_scratch(const pd_worker_job *job, worker_proc *w, pd_err *e)
{
    const char *tmp = getenv("TMPDIR"), *given[3] = {job->lesson_path, job->dataset_path,
                                                    job->csv_path};
    for (size_t i = 0; i < 3; i++)
        if (given[i] && (w->paths[i] = realpath(given[i], NULL)) == NULL)
            return pd_error_errno(e, "cannot find %s", given[i]);
    w->scratch = pd_strdup_printf("%s/pdlab-worker-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
    if (mkdtemp(w->scratch) == NULL) {
        pd_error_errno(e, "cannot make a scratch directory %s for a worker", w->scratch);
        free(w->scratch);
        w->scratch = NULL;
        return -1;
    }
    return 0;
}

/* Moves what the worker printed into its log. 1 when bytes came, 0 when
 * none are there now, -1 at the pipe's end (it is closed then). */
static int drain_output(worker_proc *w)
{
    char chunk[65536];
    ssize_t got;
    if (w->child.out_pipe < 0) return -1;
    do got = read(w->child.out_pipe, chunk, sizeof chunk);
    while (got < 0 && errno == EINTR);
    if (got > 0) {
        worker_log_feed(&w->log, chunk, (size_t)got);
        return 1;
    }
    if (got < 0 && errno == EAGAIN) return 0;
    close(w->child.out_pipe);
    w->child.out_pipe = -1;
    return -1;
}

static void take_output(void *ctx)
{
    drain_output(ctx);
}

/* Its events on a pipe, its prints and crash messages appended to the log,
 * no input, its own scratch directory. */
static int start_worker(const pd_worker_job *job, const pd_size_result *out,
                        worker_proc *w, pd_err *e)
{
    memset(w, 0, sizeof *w);
    w->log.fd = -1;
    w->child.pipe = w->child.out_pipe = w->child.cmd_pipe = -1;
    if (worker_log_open(&w->log, job->log_path, e) < 0 || make_scratch(job, w, e) < 0) {
        release_worker(w);
        pd_error_prefix(e, "cannot start a worker");
        return -1;
    }
    build_argv(job, out, w);
    w->child.path = job->exe;
    w->child.argv = w->argv;
    w->child.in = PD_IO_NULL;
    w->child.out = PD_IO_PIPE;
    w->child.err = PD_IO_STDOUT;
    w->child.pipe_fd = PD_WORKER_EVENT_FD;
    w->child.cmd_fd = job->keep ? PD_WORKER_COMMAND_FD : 0;
    w->child.dir = w->scratch;
    if (pd_child_start(&w->child, e) < 0) {
        release_worker(w);
        pd_error_prefix(e, "cannot start a worker");
        return -1;
    }
    w->events.child = &w->child;
    /* Read as it comes, never waited on: a worker that floods it must not
     * stall the wait for its events. */
    fcntl(w->child.out_pipe, F_SETFL, O_NONBLOCK);
    w->events.on_output = take_output;
    w->events.output_ctx = w;
    return 0;
}

/* Waits up to ms for output, and takes it. */
static void wait_output(worker_proc *w, int ms)
{
    struct pollfd p = {w->child.out_pipe, POLLIN, 0};
    if (w->child.out_pipe < 0) {
        usleep((useconds_t)ms * 1000);
        return;
    }
    if (poll(&p, 1, ms) > 0) drain_output(w);
}

/* Ends a worker: gives one that closed its event pipe a moment to exit by
 * itself (its exit status tells how it ended), then kills its whole
 * process group and reaps it; frees what start_worker made. The group goes
 * whatever the worker's end: what a variant forked would otherwise outlive
 * the run. Returns the wait status. */
static int finish_worker(worker_proc *w, int timed_out)
{
    int status = 0;
    pd_err ignored = {0};

    /* Its output is read meanwhile: a worker blocked writing to a full
     * pipe would never exit by itself. */
    for (int i = 0; !timed_out && i < 200 && !pd_child_exited(&w->child); i++)
        wait_output(w, 10);
    pd_child_kill(&w->child, SIGKILL);
    /* Its last words (a traceback, faulthandler's report) are in the pipe. */
    while (w->child.out_pipe >= 0 && drain_output(w) > 0) {}
    if (pd_child_wait(&w->child, &status, &ignored) < 0) status = 0;
    release_worker(w);
    return status;
}

/* ---- what an event says ------------------------------------------------ */

static int64_t get_int(json_t *o, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

static double get_real(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static char *get_string(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? pd_strdup(json_string_value(v)) : NULL;
}

/* The warnings' strings joined by newlines; anything else is skipped. */
static char *get_lines(json_t *o, const char *key)
{
    json_t *arr = json_object_get(o, key), *w;
    pd_buf b = {0};
    size_t i;
    json_array_foreach(arr, i, w) {
        if (!json_is_string(w)) continue;
        if (b.len) pd_buf_puts(&b, "\n");
        pd_buf_puts(&b, json_string_value(w));
    }
    return b.s;
}

/* The statistics and curves of a result event. The worker ran lesson code:
 * a malformed figure makes the variant's result unusable, said so. */
static void read_figures(json_t *ev, pd_variant_result *v)
{
    pd_err err = {0};
    if (pd_variant_figures_read(ev, v, "the worker's result", &err) == 0) return;
    v->status = PD_RAISED;
    free(v->error);
    v->error = pd_strdup(err.msg);
}

/* Fills a variant's result from a "result" event. */
static void read_result(json_t *ev, pd_variant_result *v)
{
    json_t *samples = json_object_get(ev, "samples_s"), *x;
    pd_status st = PD_RAISED;
    size_t i;

    json_t *status = json_object_get(ev, "status");
    if (json_is_string(status)) pd_status_parse(json_string_value(status), &st);
    v->status = st;
    v->mismatch = get_string(ev, "mismatch");
    v->error = get_string(ev, "error");
    v->first_call_s = get_real(ev, "first_call_s");
    v->peak_bytes = get_int(ev, "peak_bytes", -1);
    v->py_peak_bytes = get_int(ev, "python_peak_bytes", -1);
    v->loops = (uint64_t)get_int(ev, "loops", 0);
    v->rounds_id = (uint64_t)get_int(ev, "rounds", 0);
    v->observation = get_string(ev, "observation");
    v->wall_s = get_real(ev, "wall_s");
    v->calibration_s = get_real(ev, "calibration_s");
    v->sampling_s = get_real(ev, "sampling_s");
    v->profile = get_string(ev, "profile");
    v->warnings = get_lines(ev, "warnings");
    v->samples = pd_xcalloc(json_array_size(samples) + 1, sizeof *v->samples);
    json_array_foreach(samples, i, x)
        if (json_is_number(x) && json_number_value(x) > 0)
            v->samples[v->nsamples++] = json_number_value(x);
    if (v->nsamples) pd_stats_compute(v->samples, v->nsamples, &v->stats);
    read_figures(ev, v);
}

static int find_variant(const pd_size_result *out, json_t *ev)
{
    const char *name = json_string_value(json_object_get(ev, "variant"));
    for (size_t i = 0; name && i < out->nvariants; i++)
        if (strcmp(out->variants[i].name, name) == 0) return (int)i;
    return -1;
}

/* ---- crashes and hangs ------------------------------------------------- */

/* How the worker ended, in words. Newly allocated. */
static char *describe_exit(int status)
{
    if (WIFSIGNALED(status))
        return pd_strdup_printf("the worker was killed by signal %d (%s)",
                                WTERMSIG(status), strsignal(WTERMSIG(status)));
    return pd_strdup_printf("the worker exited with status %d", WEXITSTATUS(status));
}

/* Records what killed the worker against the variant it was running. */
static void blame_variant(const pd_worker_job *job, pd_variant_result *v,
                          int timed_out, int status)
{
    char *how = describe_exit(status), *tail = worker_log_tail(job->log_path, 2000);
    v->status = timed_out ? PD_TIMEOUT : PD_CRASHED;
    v->first_call_s = NAN;
    if (timed_out)
        v->error = pd_strdup_printf(
            "did not finish within %g s and was stopped. If it is only slow, give it "
            "more time with --timeout or a max_n in the lesson; if it hangs, fix the "
            "variant.", job->opts.timeout_s);
    else
        v->error = pd_strdup_printf(
            "%s while running this variant: it crashed or ran out of memory (limit "
            "%llu MiB, see --mem-limit). Worker log %s ends with:\n%s",
            how, (unsigned long long)(job->opts.mem_limit >> 20), job->log_path, tail);
    free(how);
    free(tail);
}

/* ---- one worker, then as many as the variants need --------------------- */

typedef struct session {
    const pd_worker_job *job;
    pd_size_result *out;
    int current;          /* variant running, -1 between variants */
    uint64_t deadline;
    int done;             /* a kept worker finished the size */
} session;

/* Acts on one event. -1 with *e set when the worker said the lesson
 * cannot run. */
static int handle_event(session *s, json_t *ev, pd_err *e)
{
    const char *kind = json_string_value(json_object_get(ev, "event"));
    int idx = find_variant(s->out, ev);
    const pd_worker_job *job = s->job;

    if (kind == NULL) return 0;
    if (strcmp(kind, "load") == 0) {
        s->out->load_s = get_real(ev, "seconds");
        s->out->startup_s += get_real(ev, "startup_s");
        s->out->load_bytes = (uint64_t)get_int(ev, "bytes", 0);
        if (job->progress) job->progress(job->progress_ctx, NULL);
    } else if (strcmp(kind, "start") == 0 && idx >= 0) {
        s->current = idx;
        s->deadline = pd_now_ns() + (uint64_t)(job->opts.timeout_s * 1e9);
        if (job->progress) job->progress(job->progress_ctx, s->out->variants[idx].name);
    } else if (strcmp(kind, "result") == 0 && idx >= 0 && pending(&s->out->variants[idx])) {
        read_result(ev, &s->out->variants[idx]);
        s->current = -1;
    } else if (strcmp(kind, "done") == 0) {
        s->done = 1;
    } else if (strcmp(kind, "fatal") == 0) {
        const char *msg = json_string_value(json_object_get(ev, "error"));
        return pd_error(e, "%s", msg ? msg : "the worker gave up without saying why");
    }
    return 0;
}

/* A signal stopped the run: what was not measured yet, the variant the
 * worker was running included, says so. Returns -1 with *e set. */
static int stopped(pd_size_result *out, pd_err *e)
{
    for (size_t i = 0; i < out->nvariants; i++)
        if (pending(&out->variants[i])) {
            out->variants[i].status = PD_NOT_RUN;
            out->variants[i].skip = PD_SKIP_INTERRUPTED;
            out->variants[i].first_call_s = NAN;
        }
    return pd_stop_error(e, NULL);
}

/* ---- a worker kept between sizes -------------------------------------- */

struct pd_worker_keep {
    worker_proc w;
    int live;             /* w waits for its next size */
};

pd_worker_keep *pd_worker_keep_new(void)
{
    return pd_xcalloc(1, sizeof(pd_worker_keep));
}

void pd_worker_keep_end(pd_worker_keep *k)
{
    if (k == NULL) return;
    if (k->live) {
        /* The pipe's end tells it to stop: its teardowns run, it exits. */
        close(k->w.child.cmd_pipe);
        k->w.child.cmd_pipe = -1;
        finish_worker(&k->w, 0);
    }
    free(k);
}

/* All of line to fd, with SIGPIPE blocked and a pending one taken: a
 * worker that died must not take pdlab with it. 0, or -1 when its reader
 * is gone. */
static int write_line(int fd, const char *line)
{
    static const struct timespec now = {0, 0};
    size_t len = strlen(line);
    sigset_t pipe_only, old;
    int gone = 0;

    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    while (len > 0) {
        ssize_t n = write(fd, line, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            gone = 1;
            break;
        }
        line += n;
        len -= (size_t)n;
    }
    if (gone && errno == EPIPE) sigtimedwait(&pipe_only, NULL, &now);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return gone ? -1 : 0;
}

/* Tells the kept worker the size to measure next (the protocol's command
 * line, include/pdlab/worker.h). 0, or -1 when it cannot be told. */
static int send_size(const pd_worker_job *job, const pd_size_result *out, worker_proc *w)
{
    char *data = realpath(job->dataset_path, NULL);
    char *csv = job->csv_path ? realpath(job->csv_path, NULL) : NULL;
    json_t *failed = json_array(), *vars = json_array(), *claimed = json_array(), *cmd;
    char *line = NULL;
    int rc = -1;

    for (size_t i = 0; i < out->nvariants; i++) {
        const pd_variant_result *v = &out->variants[i];
        if (took_worker_down(v) && json_array_size(failed) < PD_WORKER_MAX_FAILED)
            json_array_append_new(failed, json_string(v->name));
        if (pending(v)) json_array_append_new(vars, json_string(v->name));
    }
    for (size_t i = 0; i < job->nclaimed; i++)
        json_array_append_new(claimed, json_string(job->claimed[i]));
    cmd = json_pack("{s:I, s:s?, s:s?, s:o, s:o, s:o}", "n", (json_int_t)job->n, "data",
                    data, "csv", csv, "failed", failed, "claimed", claimed, "variants", vars);
    if (cmd && data && (csv || !job->csv_path) &&
        (line = json_dumps(cmd, JSON_COMPACT)) != NULL) {
        char *with_end = pd_strdup_printf("%s\n", line);
        rc = write_line(w->child.cmd_pipe, with_end);
        free(with_end);
    }
    free(line);
    json_decref(cmd);
    free(data);
    free(csv);
    return rc;
}

/* The worker for this size: the one kept from the last, told the size,
 * or a new one (kept from now on when the job keeps workers). NULL with
 * *e set when none can be started. */
static worker_proc *worker_for(const pd_worker_job *job, const pd_size_result *out,
                               worker_proc *own, pd_err *e)
{
    pd_worker_keep *k = job->keep;
    worker_proc *w = k ? &k->w : own;

    if (k && k->live) {
        if (send_size(job, out, w) == 0) return w;
        k->live = 0;
        finish_worker(w, 1);
    }
    if (start_worker(job, out, w, e) < 0) return NULL;
    if (k) k->live = 1;
    return w;
}

/* Runs one worker over the variants still to measure. Returns 1 when it
 * should be called again (a variant took the worker down), 0 when done, -1
 * when the lesson cannot run. */
static int run_one_worker(const pd_worker_job *job, pd_size_result *out, pd_err *e)
{
    worker_proc own, *w;
    json_t *ev = NULL;
    session s = {job, out, -1, pd_now_ns() + (uint64_t)(job->opts.timeout_s * 1e9), 0};
    size_t before = count_pending(out);
    int r = PD_EV_EOF, timed_out, status, fatal = 0;

    if (pd_stop_signal()) return stopped(out, e);
    if ((w = worker_for(job, out, &own, e)) == NULL) return -1;
    while (!s.done && !fatal && (r = pd_events_next(&w->events, s.deadline, &ev)) == PD_EV_EVENT) {
        fatal = handle_event(&s, ev, e) < 0;
        json_decref(ev);
    }
    /* Done with the size and nothing left: it waits for the next. */
    if (s.done && count_pending(out) == 0) return 0;
    if (job->keep) job->keep->live = 0;
    if (fatal) {
        finish_worker(w, 0);
        return -1;
    }
    if (r == PD_EV_STOPPED) {
        finish_worker(w, 1);
        return stopped(out, e);
    }
    timed_out = r == PD_EV_TIMEOUT;
    status = finish_worker(w, timed_out);
    if (s.current >= 0) {
        blame_variant(job, &out->variants[s.current], timed_out, status);
        return count_pending(out) > 0;
    }
    if (count_pending(out) == 0) return 0;
    /* It died between variants: start another if this one got anywhere. */
    if (!timed_out && count_pending(out) < before) return 1;
    {
        char how[128], *tail = worker_log_tail(job->log_path, 2000);
        pd_error(e, "the worker for n = %llu %s before measuring anything: it could not "
                 "load the lesson and its data%s. Its log %s ends with:\n%s",
                 (unsigned long long)job->n,
                 timed_out ? "timed out" : pd_child_status_text(status, how, sizeof how),
                 timed_out ? " within --timeout" : " within --mem-limit (raise it) or crashed",
                 job->log_path, tail);
        free(tail);
    }
    return -1;
}

int pd_worker_measure(const pd_worker_job *job, pd_size_result *out, pd_err *e)
{
    int r;
    uint64_t t0 = pd_now_ns();
    /* first_call_s < 0 marks "still to measure"; a result overwrites it. */
    for (size_t i = 0; i < out->nvariants; i++)
        if (out->variants[i].status != PD_NOT_RUN) out->variants[i].first_call_s = -1;
    while ((r = run_one_worker(job, out, e)) == 1) {}
    /* The lesson stopped: whatever it did not reach was not run. */
    for (size_t i = 0; r < 0 && i < out->nvariants; i++)
        if (pending(&out->variants[i])) {
            out->variants[i].status = PD_NOT_RUN;
            out->variants[i].skip = PD_SKIP_LESSON;
        }
    out->worker_s = pd_ns_to_s(pd_now_ns() - t0);
    return r;
}
