/* The worker process (`pdlab __worker`): where lesson code runs. It loads
 * the data, runs each variant asked for, and reports one event per line on
 * PD_WORKER_EVENT_FD (the protocol in include/pdlab/worker.h).
 *
 * What happens around each call (memory, checks, profiles) is in
 * bench/worker_calls.c.
 *
 * The parent's side, which starts workers and survives their crashes and
 * hangs, is bench/supervisor.c.
 *
 * The worker is a fresh exec of the pdlab binary, never a fork of a live
 * interpreter: a forked CPython with NumPy's thread pools is not safe, and a
 * fresh process gives each lesson a clean heap whose peak we can measure. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/fileio.h"
#include "pdlab/lesson.h"
#include "pdlab/loader.h"
#include "pdlab/measure.h"
#include "pdlab/spawn.h"
#include "pdlab/timer.h"
#include "pdlab/worker.h"
#include "worker_int.h"

/* Flushed at once, so the parent sees progress even if the next variant
 * kills the process. */
void worker_emit(worker *w, json_t *ev)
{
    char *line = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(9));
    if (line) {
        fprintf(w->proto, "%s\n", line);
        fflush(w->proto);
        free(line);
    }
    json_decref(ev);
}

void worker_emit_start(worker *w, const char *name)
{
    worker_emit(w, json_pack("{s:s, s:s}", "event", "start", "variant", name));
}

static void emit_fatal(worker *w, const char *msg)
{
    worker_emit(w, json_pack("{s:s, s:s}", "event", "fatal", "error", msg));
}

typedef worker_variant variant;

void worker_variant_release(variant *v)
{
    Py_CLEAR(v->fn);
    Py_CLEAR(v->part);
    free(v->ref_name);
    v->ref_name = NULL;
}

void worker_timed_release(worker_timed *t)
{
    worker_variant_release(&t->v);
    json_decref(t->res);
    t->res = NULL;
    free(t->samples);
    t->samples = NULL;
}

/* Looks the variant up in the lesson. 0, or -1 with an exception set
 * (a name the lesson does not declare is a RuntimeError). */
static int variant_lookup(worker *w, const char *name, variant *v)
{
    PyObject *variants = PyObject_GetAttrString(w->lesson, "variants");
    PyObject *var = variants ? PyDict_GetItemString(variants, name) : NULL; /* borrowed */
    PyObject *refs = NULL, *mut = NULL, *lasting = NULL, *ref;
    int rc = -1;

    memset(v, 0, sizeof *v);
    v->name = name;
    if (var == NULL) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_RuntimeError, "no variant named '%s'", name);
        goto out;
    }
    v->fn = PyObject_GetAttrString(var, "fn");
    v->part = PyObject_GetAttrString(var, "part");
    mut = PyObject_GetAttrString(var, "mutates");
    lasting = PyObject_GetAttrString(var, "lasting");
    refs = PyObject_GetAttrString(w->lesson, "references");
    if (!v->fn || !v->part || !mut || !lasting || !refs) goto out;
    v->mutates = PyObject_IsTrue(mut);
    v->lasting = PyObject_IsTrue(lasting);
    ref = PyDict_GetItemWithError(refs, v->part); /* borrowed */
    if (ref == NULL || !PyUnicode_Check(ref)) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "part without reference");
        goto out;
    }
    v->ref_name = pd_strdup(PyUnicode_AsUTF8(ref));
    v->is_ref = strcmp(v->ref_name, name) == 0;
    rc = 0;
out:
    Py_XDECREF(refs);
    Py_XDECREF(mut);
    Py_XDECREF(lasting);
    Py_XDECREF(variants);
    return rc;
}

/* Checks a first call's result against the part's reference (a reference
 * becomes the one the others are checked against). 1 correct, 0 wrong,
 * -1 with an exception when the check itself failed. */
static int check_result(worker *w, const variant *v, PyObject *input, PyObject *result,
                        json_t *res)
{
    PyObject *reference;

    if (v->is_ref) {
        if (worker_keep_reference(w, v->part, result) < 0) return -1;
        json_object_set_new(res, "status", json_string("ok"));
        return 1;
    }
    reference = worker_reference_for(w, v->part, v->ref_name, input); /* borrowed */
    if (reference == NULL) {
        json_object_set_new(res, "status", json_string("wrong"));
        json_object_set_new(res, "mismatch", json_sprintf(
            "cannot be verified: the reference variant '%s' failed", v->ref_name));
        return 0;
    }
    return worker_verify(w, result, reference, res);
}

/* One more call after the samples, untimed, for its result: the timed
 * calls free theirs inside the clock, as timeit does, so none is kept. */
static PyObject *later_call(const variant *v, PyObject *input)
{
    PyObject *arg = pd_call_argument(input, v->mutates), *r;
    if (arg == NULL) return NULL;
    r = PyObject_CallOneArg(v->fn, arg);
    Py_DECREF(arg);
    return r;
}

/* The result of a later call, checked as the first was: a variant whose
 * answer changes from one call to the next (a mutable default argument
 * that keeps what earlier calls put in it) is wrong, even though its first
 * answer was right. A reference is checked against its own first answer.
 * 1 same, 0 changed (recorded on res, its timing dropped), -1 with an
 * exception. */
static int check_later_result(worker *w, const variant *v, PyObject *input,
                              PyObject *later, json_t *res)
{
    PyObject *reference = v->is_ref ? PyDict_GetItemWithError(w->refs, v->part)
                                    : worker_reference_for(w, v->part, v->ref_name, input);
    int same;

    if (reference == NULL) return PyErr_Occurred() ? -1 : 1;
    same = worker_verify(w, later, reference, res);
    if (same != 0) return same;
    json_object_set_new(res, "mismatch", json_sprintf(
        "result changed between calls: the first call matched the reference, a later "
        "one did not (%s)", json_string_value(json_object_get(res, "mismatch"))));
    json_object_del(res, "samples_s");
    json_object_del(res, "loops");
    return 0;
}

/* The later call is made only where a call is cheap: a variant runs at
 * every size from the smallest, so an answer that changes between calls is
 * caught where it costs little, and a 3 s call is not made a fifth time. */
#define LATER_CALL_MAX_S 0.25

static double fastest_call(const worker_timed *t)
{
    double best = INFINITY;
    for (int i = 0; i < t->nsamples; i++)
        if (t->samples[i] < best) best = t->samples[i];
    return best;
}

static int is_claimed(const worker *w, const char *name)
{
    for (size_t i = 0; i < w->nclaimed; i++)
        if (strcmp(w->claimed[i], name) == 0) return 1;
    return 0;
}

/* Before the samples: the Python-heap peak and the calls per sample. -1
 * with an exception when a call raised. */
static int prepare_samples(worker *w, worker_timed *t, PyObject *input)
{
    double first_s = json_real_value(json_object_get(t->res, "first_call_s"));
    uint64_t t0;

    /* tracemalloc slows code that makes an object per row several times
     * over: a slow call gets it only where memory is the point. */
    if ((first_s < PD_PY_PEAK_MAX_CALL_S ||
         (w->memory_focus && first_s < PD_PY_PEAK_MEMORY_MAX_CALL_S)) &&
        worker_python_peak(t->v.fn, input, t->v.mutates, t->res) < 0)
        return -1;
    t0 = pd_now_ns();
    if (pd_calibrate(t->v.fn, input, t->v.mutates, w->opts.min_sample_s, first_s,
                     &t->loops) < 0)
        return -1;
    json_object_set_new(t->res, "calibration_s", json_real(pd_ns_to_s(pd_now_ns() - t0)));
    t->nsamples = is_claimed(w, t->v.name) ? pd_claimed_samples_for(&w->opts, first_s)
                                           : pd_samples_for(&w->opts, first_s);
    t->samples = pd_xcalloc((size_t)t->nsamples, sizeof *t->samples);
    return 0;
}

/* After the samples: a later call's answer checked, the samples into res,
 * the profile. -1 with an exception when a call raised. */
static int finish_samples(worker *w, worker_timed *t, PyObject *input)
{
    const variant *v = &t->v;
    double first_s = json_real_value(json_object_get(t->res, "first_call_s"));
    json_t *samples = json_array();
    PyObject *later;
    int same;

    if (fastest_call(t) < LATER_CALL_MAX_S) {
        if ((later = later_call(v, input)) == NULL) return -1;
        same = check_later_result(w, v, input, later, t->res);
        Py_DECREF(later);
        if (same <= 0) return same;
    }
    for (int i = 0; i < t->nsamples; i++)
        json_array_append_new(samples, json_real(t->samples[i]));
    json_object_set_new(t->res, "samples_s", samples);
    json_object_set_new(t->res, "sampling_s", json_real(t->sampling_s));
    json_object_set_new(t->res, "loops", json_integer((json_int_t)t->loops));
    if (t->rounds_id)
        json_object_set_new(t->res, "rounds", json_integer((json_int_t)t->rounds_id));
    if (w->profile && worker_wants_profile(w, v->name, first_s) &&
        worker_profile_variant(v->fn, input, v->mutates, t->res) < 0)
        return -1;
    return 0;
}

/* Reports a failure that is not the variant's: the lesson cannot run here
 * (its prepare() raised, say). Emits "fatal" and returns -1. */
static int lesson_fatal(worker *w, const char *what, const char *name)
{
    char *err = worker_take_exception(NULL);
    char *msg = pd_strdup_printf("%s (while measuring variant '%s'): %s", what, name, err);
    emit_fatal(w, msg);
    free(msg);
    free(err);
    return -1;
}

/* What checking a variant came to (besides -1, and the leftovers'
 * WORKER_LEFT_PROCESSES and WORKER_LEFT_THREADS). */
enum { VARIANT_DONE = 0, VARIANT_READY = 3 };

/* The first call, the check, the calibration: what the variant did goes
 * into t->res. VARIANT_DONE when res holds its result (wrong or failed),
 * VARIANT_READY when it is to be timed, -1 when the harness could not go
 * on (reported as fatal), and when the first call left threads or
 * processes running since `before`, what worker_check_leftovers returned. */
static int check_variant(worker *w, worker_timed *t, PyObject **before)
{
    const variant *v = &t->v;
    json_t *res = t->res;
    PyObject *input = worker_input_for(w, v->part); /* borrowed */
    PyObject *result;
    int verdict, changed, left, answered;

    if (input == NULL)
        return lesson_fatal(w, "the lesson's prepare() raised", v->name);
    result = worker_first_call(v->fn, input, v->mutates, res);
    answered = result != NULL;
    if (result == NULL) worker_record_failure(res);
    if (v->lasting) {
        /* What the first call started is the lesson's to stop (teardown);
         * the timed calls are judged against it. */
        Py_DECREF(*before);
        if ((*before = worker_running_now()) == NULL) {
            Py_XDECREF(result);
            return lesson_fatal(w, "harness failure", v->name);
        }
    } else if ((left = worker_check_leftovers(*before, res)) != 0) {
        /* One call that left something running is enough to fail: more
         * calls would only pile up more. */
        Py_XDECREF(result);
        return left < 0 ? lesson_fatal(w, "harness failure", v->name) : left;
    }
    verdict = 0;
    if (result != NULL) {
        verdict = check_result(w, v, input, result, res);
        if (verdict >= 0 && worker_observe(w, result, res) < 0) verdict = -1;
        if (verdict > 0 && worker_figures(w, v->name, result, res) < 0) verdict = -1;
        Py_DECREF(result);
        if (verdict > 0) verdict = worker_check_cases(w, v->name, res);
        /* A wrong answer is never timed: it must not appear as fast. */
        if (verdict > 0 && prepare_samples(w, t, input) < 0) verdict = -1;
        if (verdict < 0) {
            worker_record_failure(res);
            verdict = 0;
        }
    }
    /* Once, after all of its calls (first, tracemalloc, calibration): an
     * input one of them changed is loaded afresh, so that the variants
     * checked after this one see it as it was. On a million rows a check
     * costs a tenth of a second, and a variant that changes its input on
     * the first call does on the later ones too. */
    if (!v->mutates && (changed = worker_input_changed(w, v->part)) != 0) {
        if (changed < 0) return lesson_fatal(w, "reloading the data failed", v->name);
        if (answered) worker_record_changed_input(res);
        /* Nothing is checked against an answer computed from changed data. */
        if (v->is_ref && PyDict_DelItem(w->refs, v->part) < 0) PyErr_Clear();
        return VARIANT_DONE;
    }
    return verdict > 0 ? VARIANT_READY : VARIANT_DONE;
}

/* Back to the scratch directory: a variant's os.chdir ends with it. 0, or
 * -1 after reporting fatal. */
static int return_home(worker *w, const char *name)
{
    return worker_return_home(w) < 0 ? lesson_fatal(w, "harness failure", name) : 0;
}

/* Sends a variant's result, with the time it took of the worker's. */
static void emit_result(worker *w, worker_timed *t)
{
    json_object_set_new(t->res, "wall_s", json_real(pd_ns_to_s(t->spent_ns)));
    worker_emit(w, t->res);
    t->res = NULL;
}

/* Checks one variant, up to its samples. VARIANT_READY leaves it in *t to
 * be timed; anything else has sent its result (or fatal). Only a failure
 * that is not the variant's (the harness's, or the lesson's prepare())
 * returns -1; WORKER_LEFT_THREADS when the variant left a thread running,
 * which only ending this worker stops. */
static int measure_variant(worker *w, const char *name, worker_timed *t)
{
    uint64_t started = pd_now_ns();
    PyObject *before = NULL;
    int rc;

    memset(t, 0, sizeof *t);
    t->res = json_pack("{s:s, s:s, s:s}", "event", "result", "variant", name,
                       "status", "raised");
    worker_emit_start(w, name);
    if (variant_lookup(w, name, &t->v) < 0) return lesson_fatal(w, "harness failure", name);
    /* What runs before is taken after prepare(): a server the lesson
     * starts there is the lesson's, not the variant's. */
    if (worker_input_for(w, t->v.part) == NULL)
        return lesson_fatal(w, "the lesson's prepare() raised", name);
    if ((before = worker_running_now()) == NULL)
        return lesson_fatal(w, "harness failure", name);
    rc = check_variant(w, t, &before);
    if (rc >= 0 && return_home(w, name) < 0) rc = -1;
    if (rc == VARIANT_DONE || rc == VARIANT_READY) {
        /* The calibration calls may leave what the first did not. */
        int left = worker_check_leftovers(before, t->res);
        if (left < 0) rc = lesson_fatal(w, "harness failure", name);
        else if (left) rc = left;
    }
    Py_XDECREF(before);
    t->spent_ns += pd_now_ns() - started;
    if (rc >= 0 && rc != VARIANT_READY) emit_result(w, t);
    return rc;
}

/* The timed variants' ends, each after the samples of all: the later-call
 * check and profile, then its result. -1 after reporting fatal. */
static int finish_timed(worker *w, worker_timed *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t started = pd_now_ns();
        PyObject *before = NULL, *input;
        int rc = 0;

        if (t[i].res == NULL) continue;
        if (!t[i].done) {
            worker_emit_start(w, t[i].v.name);
            if ((input = worker_input_for(w, t[i].v.part)) == NULL ||
                (before = worker_running_now()) == NULL)
                return lesson_fatal(w, "harness failure", t[i].v.name);
            if (finish_samples(w, &t[i], input) < 0) worker_record_failure(t[i].res);
            if (return_home(w, t[i].v.name) < 0) rc = -1;
            else if ((rc = worker_check_leftovers(before, t[i].res)) < 0)
                rc = lesson_fatal(w, "harness failure", t[i].v.name);
            Py_DECREF(before);
        }
        t[i].spent_ns += pd_now_ns() - started;
        if (rc < 0) return -1;
        emit_result(w, &t[i]);
        if (rc == WORKER_LEFT_THREADS) return WORKER_LEFT_THREADS;
    }
    return 0;
}

/* Only the peak of one call, in a process that has run nothing else: what
 * a memory claim is decided by (asv's peakmem). The parent has verified
 * the variant already, in its main worker. */
static int measure_peak(worker *w, const char *name)
{
    json_t *res;
    PyObject *input, *result;
    variant v;

    worker_emit_start(w, name);
    if (variant_lookup(w, name, &v) < 0) {
        worker_variant_release(&v);
        return lesson_fatal(w, "harness failure", name);
    }
    if ((input = worker_input_for(w, v.part)) == NULL) { /* borrowed */
        worker_variant_release(&v);
        return lesson_fatal(w, "the lesson's prepare() raised", name);
    }
    res = json_pack("{s:s, s:s, s:s}", "event", "result", "variant", name, "status", "ok");
    result = worker_first_call(v.fn, input, v.mutates, res);
    if (result == NULL) worker_record_failure(res);
    Py_XDECREF(result);
    worker_variant_release(&v);
    worker_emit(w, res);
    return 0;
}

/* The order variants are measured in: references first (everything is
 * checked against them), then the others, then the lasting ones in a
 * batch of their own (see measure_all). */
enum { GROUP_REFERENCE, GROUP_PLAIN, GROUP_LASTING };

/* A name the lesson does not declare goes with the others: measuring it
 * reports the error. */
static int group_of(worker *w, const char *name)
{
    variant v;
    int group = variant_lookup(w, name, &v) < 0 ? GROUP_PLAIN
              : v.is_ref ? GROUP_REFERENCE
              : v.lasting ? GROUP_LASTING : GROUP_PLAIN;
    PyErr_Clear();
    worker_variant_release(&v);
    return group;
}

/* A lesson with its own memory limit is about running out of memory, so
 * the address-space limit must measure memory, not reservations that never
 * become memory. glibc reserves 64 MiB of address space per thread that
 * allocates (an arena), and 8 MiB per thread for its stack (RLIMIT_STACK):
 * a distributed client's half-dozen threads took 48 MiB of the limit on
 * stacks alone (measured), so which variant ran first decided what fit.
 * Here: one arena, in this process and in those it starts (through the
 * environment), and 2 MiB stacks for the threads this process starts from
 * now on (Windows gives 1 MiB; Python and pandas run there). (A fixed mmap
 * threshold would also return freed blocks at once, but it made pandas' CSV
 * reads twice as slow here: not worth a distorted time.) */
#define LESSON_LIMIT_THREAD_STACK (2u << 20)

static void address_space_measures_memory(worker *w)
{
    PyObject *limit = PyObject_GetAttrString(w->lesson, "mem_limit");
    if (limit && limit != Py_None) {
        pthread_attr_t attr;
        mallopt(M_ARENA_MAX, 1);
        setenv("MALLOC_ARENA_MAX", "1", 1);
        if (pthread_attr_init(&attr) == 0) {
            if (pthread_attr_setstacksize(&attr, LESSON_LIMIT_THREAD_STACK) == 0)
                pthread_setattr_default_np(&attr);
            pthread_attr_destroy(&attr);
        }
    }
    Py_XDECREF(limit);
    PyErr_Clear();
}

/* The CSV file of the size, as the lesson's csv_path (None without one).
 * 0, or -1 with an exception. */
static int set_csv_path(worker *w, const char *csv_path)
{
    PyObject *s = csv_path ? PyUnicode_FromString(csv_path) : Py_NewRef(Py_None);
    int rc = s == NULL ? -1 : PyObject_SetAttrString(w->lesson, "csv_path", s);
    Py_XDECREF(s);
    return rc;
}

/* Loads the size's data (w->data_path) and says so, with the seconds the
 * worker took to get here. 0, or -1 with *e set. */
static int load_size(worker *w, double startup_s, pd_err *e)
{
    pd_load_stats ls;

    Py_CLEAR(w->frame);
    w->frame = worker_load_frame(w, &ls, e);
    if (w->frame == NULL) return -1;
    worker_emit(w, json_pack("{s:s, s:f, s:f, s:I, s:I}", "event", "load", "seconds",
                             ls.seconds, "startup_s", startup_s, "bytes",
                             (json_int_t)ls.bytes, "rows", (json_int_t)ls.rows));
    return 0;
}

static int worker_setup(worker *w, const char *lesson_path, const char *data_path,
                        const char *csv_path)
{
    pd_err err = {0};
    double startup_s;

    if (pd_python_start(&err) < 0) goto fatal;
    w->inputs = PyDict_New();
    w->refs = PyDict_New();
    w->prints = PyDict_New();
    if (!w->inputs || !w->refs || !w->prints) {
        pd_python_error(&err, "worker start-up");
        goto fatal;
    }
    {
        PyObject *r = PyObject_CallMethod(pd_harness(), "worker_setup", NULL);
        if (r == NULL) {
            pd_python_error(&err, "worker start-up");
            goto fatal;
        }
        Py_DECREF(r);
    }
    w->lesson = pd_lesson_exec(lesson_path, &err);
    if (w->lesson == NULL) goto fatal;
    address_space_measures_memory(w);
    {
        PyObject *focus = PyObject_GetAttrString(w->lesson, "focus");
        w->memory_focus = focus && PyUnicode_Check(focus) &&
                          strcmp(PyUnicode_AsUTF8(focus), "memory") == 0;
        Py_XDECREF(focus);
        PyErr_Clear();
    }
    if (set_csv_path(w, csv_path) < 0) {
        pd_python_error(&err, "worker start-up");
        goto fatal;
    }
    startup_s = pd_ns_to_s(pd_now_ns() - w->born_ns);
    w->data_path = data_path;
    if (load_size(w, startup_s, &err) < 0) goto fatal;
    return 0;
fatal:
    emit_fatal(w, err.msg);
    return -1;
}

/* Flushes what Python buffered for the log (a lesson's prints). */
static void flush_python_output(void)
{
    static const char *const streams[] = {"stdout", "stderr"};
    for (size_t i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(streams[i]); /* borrowed */
        PyObject *r = f ? PyObject_CallMethod(f, "flush", NULL) : NULL;
        Py_XDECREF(r);
        PyErr_Clear();
    }
}

/* Runs the lesson's teardown functions (a cluster its variants started is
 * stopped, not left to the process-group kill). What they raise goes to
 * the log: the measurements are already sent. */
static void run_teardowns(worker *w)
{
    PyObject *r;
    if (w->lesson == NULL) return;
    r = PyObject_CallMethod(pd_harness(), "worker_teardown", "O", w->lesson);
    if (r == NULL) PyErr_Print();
    else if (PyUnicode_Check(r)) PySys_WriteStderr("pdlab worker: %s\n", PyUnicode_AsUTF8(r));
    Py_XDECREF(r);
    PyErr_Clear();
}

/* Ends the worker. Everything it had to say is flushed, and then the
 * process leaves without finalizing the interpreter: tearing down pandas
 * and NumPy costs about a quarter of a second per worker (measured: a
 * sixth of a full run) and serves no one, since the process is gone. The
 * references it holds go with it. */
static _Noreturn void worker_exit(worker *w, int rc)
{
    if (Py_IsInitialized()) {
        run_teardowns(w);
        flush_python_output();
    }
    fflush(stdout);
    fflush(stderr);
    if (w->proto) fclose(w->proto);
    _exit(rc);
}

/* Measures the variants asked for whose group is from `first` to `last`:
 * each checked, in group order, then all their samples in rounds, then
 * each one's result. -1, 0 or 1 as measure_all. */
static int measure_batch(worker *w, const char *const *names, const int *groups,
                         size_t count, int first, int last)
{
    worker_timed *timed = pd_xcalloc(count + 1, sizeof *timed);
    size_t ntimed = 0;
    int rc = 0;

    for (int g = first; g <= last && rc == 0; g++)
        for (size_t i = 0; i < count && rc == 0; i++) {
            int m;
            if (groups[i] != g) continue;
            m = measure_variant(w, names[i], &timed[ntimed]);
            if (m == VARIANT_READY) {
                ntimed++;
                continue;
            }
            worker_timed_release(&timed[ntimed]);
            /* A thread a variant left would run on into every later
             * measurement. */
            if (m < 0 || m == WORKER_LEFT_THREADS) rc = m < 0 ? -1 : 1;
        }
    if (rc == 0 && worker_take_rounds(w, timed, ntimed) < 0)
        rc = lesson_fatal(w, "harness failure", "(samples)");
    for (size_t i = 0; rc == 0 && i < ntimed; i++)
        if (timed[i].left_threads) {
            emit_result(w, &timed[i]);
            rc = 1;
        }
    if (rc == 0 && (rc = finish_timed(w, timed, ntimed)) == WORKER_LEFT_THREADS) rc = 1;
    for (size_t i = 0; i < ntimed; i++) worker_timed_release(&timed[i]);
    free(timed);
    return rc;
}

/* Measures the variants asked for: references first, so that the others
 * have something to be checked against, then the others, their samples
 * in rounds together; then the lasting variants, in rounds of their own.
 * What a lasting variant leaves running (a thread pool, a cluster) would
 * otherwise run beside every other variant's samples: the chunked read
 * took 5 s instead of 1.5 s between the calls of a LocalCluster's
 * variant. -1 when the lesson cannot go on (fatal sent); 1 when a variant
 * left a thread running: the worker must end, and the parent starts a
 * fresh one for the variants that have no result; 0 otherwise. */
static int measure_all(worker *w, const char *const *names, size_t count)
{
    int *groups = pd_xcalloc(count + 1, sizeof *groups), rc;
    for (size_t i = 0; i < count; i++) groups[i] = group_of(w, names[i]);
    rc = measure_batch(w, names, groups, count, GROUP_REFERENCE, GROUP_PLAIN);
    if (rc == 0) rc = measure_batch(w, names, groups, count, GROUP_LASTING, GROUP_LASTING);
    free(groups);
    return rc;
}

/* The next size a kept worker is to measure: the parent's line as JSON;
 * NULL at the pipe's end. The GIL is let go while waiting: threads the
 * lesson started (a cluster's scheduler) run on between sizes. */
static json_t *read_command(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    json_t *cmd = NULL;

    Py_BEGIN_ALLOW_THREADS
    got = getline(&line, &cap, in);
    Py_END_ALLOW_THREADS
    if (got > 0) cmd = json_loads(line, 0, NULL);
    free(line);
    if (cmd != NULL && !json_is_object(cmd)) {
        json_decref(cmd);
        cmd = NULL;
    }
    return cmd;
}

/* Measures the size cmd names: its data loaded in place of the last
 * size's, whose inputs, references and fingerprints are dropped. -1, 0 or
 * 1 as measure_all. */
static int measure_command(worker *w, json_t *cmd)
{
    json_t *failed = json_object_get(cmd, "failed"), *vars = json_object_get(cmd, "variants");
    json_t *claimed = json_object_get(cmd, "claimed");
    const char **names = pd_xcalloc(json_array_size(vars) + 1, sizeof *names);
    size_t count = 0, i;
    pd_err err = {0};
    json_t *x;
    int rc;

    w->n = (uint64_t)json_integer_value(json_object_get(cmd, "n"));
    w->data_path = json_string_value(json_object_get(cmd, "data"));
    w->nfailed = 0;
    json_array_foreach(failed, i, x)
        if (json_is_string(x) && w->nfailed < PD_WORKER_MAX_FAILED)
            w->failed[w->nfailed++] = (char *)json_string_value(x);
    json_array_foreach(vars, i, x)
        if (json_is_string(x)) names[count++] = json_string_value(x);
    w->nclaimed = 0;
    w->claimed = pd_xrealloc(w->claimed, (json_array_size(claimed) + 1) * sizeof *w->claimed);
    json_array_foreach(claimed, i, x)
        if (json_is_string(x)) w->claimed[w->nclaimed++] = json_string_value(x);
    PyDict_Clear(w->inputs);
    PyDict_Clear(w->refs);
    PyDict_Clear(w->prints);
    if (w->data_path == NULL) {
        pd_error(&err, "the parent sent no data file");
    } else if (set_csv_path(w, json_string_value(json_object_get(cmd, "csv"))) < 0) {
        pd_python_error(&err, "next size");
    } else if (load_size(w, 0, &err) == 0) {
        rc = measure_all(w, names, count);
        free(names);
        return rc;
    }
    emit_fatal(w, err.msg);
    free(names);
    return -1;
}

/* A kept worker's sizes after its first: each one the parent sends, until
 * it closes the pipe. rc is the first size's outcome (as measure_all's);
 * returns the last one's. */
static int serve_sizes(worker *w, int rc)
{
    FILE *in = fdopen(PD_WORKER_COMMAND_FD, "r");
    json_t *cmd;

    while (rc == 0 && in != NULL) {
        worker_emit(w, json_pack("{s:s}", "event", "done"));
        if ((cmd = read_command(in)) == NULL) break;
        rc = measure_command(w, cmd);
        json_decref(cmd);
        /* They pointed into cmd. */
        w->data_path = NULL;
        w->nfailed = 0;
        w->nclaimed = 0;
    }
    if (in) fclose(in);
    return rc;
}

/* pdlab __worker --lesson F --data H5 --n N [--mem-limit B] [--min-sample S]
 *                [--samples K] [--csv FILE] [--profile] [--serve]
 *                [--failed V]... [--claimed V]... -- VARIANT... */
int pd_worker_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lesson", required_argument, NULL, 'l'},
        {"data", required_argument, NULL, 'd'},
        {"n", required_argument, NULL, 'n'},
        {"mem-limit", required_argument, NULL, 'm'},
        {"min-sample", required_argument, NULL, 's'},
        {"samples", required_argument, NULL, 'k'},
        {"csv", required_argument, NULL, 'c'},
        {"profile", no_argument, NULL, 'p'},
        {"peak-only", no_argument, NULL, 'P'},
        {"failed", required_argument, NULL, 'f'},
        {"serve", no_argument, NULL, 'S'},
        {"claimed", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    worker w;
    char *failed[PD_WORKER_MAX_FAILED];
    const char *lesson_path = NULL, *data_path = NULL, *csv_path = NULL;
    int c, rc = 1, serve = 0;

    memset(&w, 0, sizeof w);
    w.home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    w.failed = failed;
    w.claimed = pd_xcalloc((size_t)argc + 1, sizeof *w.claimed);
    w.born_ns = pd_now_ns();
    w.opts = pd_measure_defaults();
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': lesson_path = optarg; break;
        case 'd': data_path = optarg; break;
        case 'n': w.n = strtoull(optarg, NULL, 10); break;
        case 'm': w.opts.mem_limit = strtoull(optarg, NULL, 10); break;
        case 's': w.opts.min_sample_s = strtod(optarg, NULL); break;
        case 'k': w.opts.samples = atoi(optarg); break;
        case 'c': csv_path = optarg; break;
        case 'p': w.profile = 1; break;
        case 'P': w.peak_only = 1; break;
        case 'S': serve = 1; break;
        case 'C': w.claimed[w.nclaimed++] = optarg; break;
        case 'f':
            if (w.nfailed < PD_WORKER_MAX_FAILED) w.failed[w.nfailed++] = optarg;
            break;
        default: return 2;
        }
    }
    w.proto = fdopen(PD_WORKER_EVENT_FD, "w");
    if (w.proto == NULL || !lesson_path || !data_path) {
        fprintf(stderr, "pdlab __worker is started by `pdlab run`, not by hand\n");
        return 2;
    }
    /* The embedded interpreter installs no signal handlers (isolated
     * config), so SIGPIPE would keep its default action: a variant writing
     * to a socket whose peer has gone (a cluster process that ended) would
     * kill the worker instead of raising BrokenPipeError, as under python3. */
    signal(SIGPIPE, SIG_IGN);
    /* What the lesson starts (a pool, a cluster) must not hold the parent's
     * commands: it would keep the pipe's end from coming. */
    if (serve) fcntl(PD_WORKER_COMMAND_FD, F_SETFD, FD_CLOEXEC);
    pd_limit_address_space(w.opts.mem_limit);
    if (worker_setup(&w, lesson_path, data_path, csv_path) < 0) goto out;
    if (w.peak_only) {
        for (int i = optind; i < argc; i++)
            if (measure_peak(&w, argv[i]) < 0) goto out;
        rc = 0;
        goto out;
    }
    rc = measure_all(&w, (const char *const *)(argv + optind), (size_t)(argc - optind));
    if (serve) rc = serve_sizes(&w, rc);
    rc = rc < 0;
out:
    worker_exit(&w, rc);
}
