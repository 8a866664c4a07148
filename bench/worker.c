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

/* Writes one event line and flushes it, so the parent sees progress even if
 * the next variant kills the process. Steals the reference to ev. */
static void emit(worker *w, json_t *ev)
{
    char *line = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(9));
    if (line) {
        fprintf(w->proto, "%s\n", line);
        fflush(w->proto);
        free(line);
    }
    json_decref(ev);
}

static void emit_fatal(worker *w, const char *msg)
{
    emit(w, json_pack("{s:s, s:s}", "event", "fatal", "error", msg));
}

/* A variant as the worker needs it: owned references, released by
 * variant_release. */
typedef struct variant {
    const char *name;
    PyObject *fn, *part;  /* owned */
    int mutates;
    int lasting;          /* what its first call starts serves later calls */
    char *ref_name;       /* its part's reference; owned */
    int is_ref;
} variant;

static void variant_release(variant *v)
{
    Py_CLEAR(v->fn);
    Py_CLEAR(v->part);
    free(v->ref_name);
    v->ref_name = NULL;
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

static double fastest_call(const pd_timing *t)
{
    double best = INFINITY;
    for (int i = 0; i < t->nsamples; i++)
        if (t->samples[i] < best) best = t->samples[i];
    return best;
}

/* The timed part: the Python-heap peak, calibration and samples, the
 * profile. -1 with an exception when a call raised. */
static int time_variant(worker *w, const variant *v, PyObject *input, json_t *res)
{
    json_t *samples = json_array();
    double first_s = json_real_value(json_object_get(res, "first_call_s"));
    PyObject *later;
    pd_timing t;
    int same;

    json_object_set_new(res, "samples_s", samples);
    /* tracemalloc slows code that makes an object per row several times
     * over: a slow call gets it only where memory is the point. */
    if ((first_s < PD_PY_PEAK_MAX_CALL_S ||
         (w->memory_focus && first_s < PD_PY_PEAK_MEMORY_MAX_CALL_S)) &&
        worker_python_peak(v->fn, input, v->mutates, res) < 0)
        return -1;
    if (pd_measure_calls(v->fn, input, v->mutates, &w->opts, first_s, &t) < 0) {
        pd_timing_free(&t);
        return -1;
    }
    if (fastest_call(&t) < LATER_CALL_MAX_S) {
        if ((later = later_call(v, input)) == NULL ||
            (same = check_later_result(w, v, input, later, res)) <= 0) {
            Py_XDECREF(later);
            pd_timing_free(&t);
            return later == NULL || same < 0 ? -1 : 0;
        }
        Py_DECREF(later);
    }
    for (int i = 0; i < t.nsamples; i++)
        json_array_append_new(samples, json_real(t.samples[i]));
    json_object_set_new(res, "calibration_s", json_real(t.calibration_s));
    json_object_set_new(res, "sampling_s", json_real(t.sampling_s));
    json_object_set_new(res, "loops", json_integer((json_int_t)t.loops));
    pd_timing_free(&t);
    if (w->profile && worker_wants_profile(w, v->name, first_s) &&
        worker_profile_variant(v->fn, input, v->mutates, res) < 0)
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

/* The first call, the check, the timing: what the variant did goes into
 * res. 0 when res holds the variant's result (right, wrong or failed), -1
 * when the harness could not go on (reported as fatal), and when the first
 * call left threads or processes running since `before`, what
 * worker_check_leftovers returned. */
static int run_variant(worker *w, const variant *v, PyObject **before, json_t *res)
{
    PyObject *input = worker_input_for(w, v->part); /* borrowed */
    PyObject *result;
    int verdict, changed, left;

    if (input == NULL)
        return lesson_fatal(w, "the lesson's prepare() raised", v->name);
    result = worker_first_call(v->fn, input, v->mutates, res);
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
    if (!v->mutates && (changed = worker_input_changed(w, v->part)) != 0) {
        if (changed < 0) {
            Py_XDECREF(result);
            return lesson_fatal(w, "reloading the data failed", v->name);
        }
        if (result != NULL) worker_record_changed_input(res);
        Py_XDECREF(result);
        return 0;
    }
    if (result == NULL) return 0;
    verdict = check_result(w, v, input, result, res);
    if (verdict >= 0 && worker_observe(w, result, res) < 0) verdict = -1;
    if (verdict > 0 && worker_figures(w, v->name, result, res) < 0) verdict = -1;
    Py_DECREF(result);
    if (verdict > 0) verdict = worker_check_cases(w, v->name, res);
    /* A wrong answer is never timed: it must not appear as fast. */
    if (verdict > 0 && time_variant(w, v, input, res) < 0) verdict = -1;
    if (verdict < 0) {
        worker_record_failure(res);
        return 0;
    }
    if (verdict > 0 && !v->mutates && (changed = worker_input_changed(w, v->part)) != 0) {
        if (changed < 0) return lesson_fatal(w, "reloading the data failed", v->name);
        worker_record_changed_input(res);
    }
    return 0;
}

/* Measures one variant and reports it. Only a failure that is not the
 * variant's (the harness's, or the lesson's prepare()) returns -1; 2 when
 * the variant left a thread running, which only ending this worker stops. */
static int measure_variant(worker *w, const char *name)
{
    json_t *res = json_pack("{s:s, s:s, s:s}", "event", "result", "variant", name,
                            "status", "raised");
    uint64_t started = pd_now_ns();
    PyObject *before = NULL;
    variant v;
    int rc;

    emit(w, json_pack("{s:s, s:s}", "event", "start", "variant", name));
    if (variant_lookup(w, name, &v) < 0) {
        variant_release(&v);
        json_decref(res);
        return lesson_fatal(w, "harness failure", name);
    }
    /* What runs before is taken after prepare(): a server the lesson
     * starts there is the lesson's, not the variant's. */
    if (worker_input_for(w, v.part) == NULL) {
        variant_release(&v);
        json_decref(res);
        return lesson_fatal(w, "the lesson's prepare() raised", name);
    }
    if ((before = worker_running_now()) == NULL) {
        variant_release(&v);
        json_decref(res);
        return lesson_fatal(w, "harness failure", name);
    }
    rc = run_variant(w, &v, &before, res);
    variant_release(&v);
    /* A variant's os.chdir ends with it: the next starts where it did. */
    if (w->home_fd >= 0 && fchdir(w->home_fd) != 0) {
        char *msg = pd_strdup_printf("after variant '%s' the worker cannot return to its "
                                     "scratch directory: %s", name, strerror(errno));
        emit_fatal(w, msg);
        free(msg);
        Py_XDECREF(before);
        json_decref(res);
        return -1;
    }
    /* The timed calls may leave what the first did not. */
    if (rc == 0 && (rc = worker_check_leftovers(before, res)) < 0)
        rc = lesson_fatal(w, "harness failure", name);
    Py_XDECREF(before);
    if (rc >= 0) {
        json_object_set_new(res, "wall_s", json_real(pd_ns_to_s(pd_now_ns() - started)));
        emit(w, res);
    } else {
        json_decref(res);
    }
    return rc;
}

/* Only the peak of one call, in a process that has run nothing else: what
 * a memory claim is decided by (asv's peakmem). The parent has verified
 * the variant already, in its main worker. */
static int measure_peak(worker *w, const char *name)
{
    json_t *res;
    PyObject *input, *result;
    variant v;

    emit(w, json_pack("{s:s, s:s}", "event", "start", "variant", name));
    if (variant_lookup(w, name, &v) < 0) {
        variant_release(&v);
        return lesson_fatal(w, "harness failure", name);
    }
    if ((input = worker_input_for(w, v.part)) == NULL) { /* borrowed */
        variant_release(&v);
        return lesson_fatal(w, "the lesson's prepare() raised", name);
    }
    res = json_pack("{s:s, s:s, s:s}", "event", "result", "variant", name, "status", "ok");
    result = worker_first_call(v.fn, input, v.mutates, res);
    if (result == NULL) worker_record_failure(res);
    Py_XDECREF(result);
    variant_release(&v);
    emit(w, res);
    return 0;
}

/* Is `name` the reference of its part? References go first, so that every
 * other variant has something to be checked against. */
static int is_reference(worker *w, const char *name)
{
    PyObject *variants = PyObject_GetAttrString(w->lesson, "variants");
    PyObject *refs = PyObject_GetAttrString(w->lesson, "references");
    PyObject *var = variants ? PyDict_GetItemString(variants, name) : NULL;
    PyObject *part = var ? PyObject_GetAttrString(var, "part") : NULL;
    PyObject *ref = part && refs ? PyDict_GetItemWithError(refs, part) : NULL;
    int yes = ref && PyUnicode_Check(ref) && strcmp(PyUnicode_AsUTF8(ref), name) == 0;
    PyErr_Clear();
    Py_XDECREF(part);
    Py_XDECREF(refs);
    Py_XDECREF(variants);
    return yes;
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

static int worker_setup(worker *w, const char *lesson_path, const char *data_path,
                        const char *csv_path)
{
    pd_err err = {0};
    pd_load_stats ls;
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
    if (csv_path) {
        PyObject *s = PyUnicode_FromString(csv_path);
        int bad = s == NULL || PyObject_SetAttrString(w->lesson, "csv_path", s) < 0;
        Py_XDECREF(s);
        if (bad) {
            pd_python_error(&err, "worker start-up");
            goto fatal;
        }
    }
    startup_s = pd_ns_to_s(pd_now_ns() - w->born_ns);
    w->data_path = data_path;
    w->frame = worker_load_frame(w, &ls, &err);
    if (w->frame == NULL) goto fatal;
    emit(w, json_pack("{s:s, s:f, s:f, s:I, s:I}", "event", "load", "seconds", ls.seconds,
                      "startup_s", startup_s, "bytes", (json_int_t)ls.bytes,
                      "rows", (json_int_t)ls.rows));
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

/* pdlab __worker --lesson F --data H5 --n N [--mem-limit B] [--min-sample S]
 *                [--samples K] [--csv FILE] [--profile] -- VARIANT... */
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
        {NULL, 0, NULL, 0},
    };
    worker w;
    char *failed[PD_WORKER_MAX_FAILED];
    const char *lesson_path = NULL, *data_path = NULL, *csv_path = NULL;
    int c, rc = 1;

    memset(&w, 0, sizeof w);
    w.home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    w.failed = failed;
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
    pd_limit_address_space(w.opts.mem_limit);
    if (worker_setup(&w, lesson_path, data_path, csv_path) < 0) goto out;
    if (w.peak_only) {
        for (int i = optind; i < argc; i++)
            if (measure_peak(&w, argv[i]) < 0) goto out;
        rc = 0;
        goto out;
    }
    /* References first, then the others in the order asked. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = optind; i < argc; i++) {
            int m = is_reference(&w, argv[i]) == (pass == 0) ? measure_variant(&w, argv[i]) : 0;
            if (m < 0) goto out;
            /* A thread a variant left would run on into every later
             * measurement: the supervisor starts a fresh worker for the rest. */
            if (m == WORKER_LEFT_THREADS) { rc = 0; goto out; }
        }
    rc = 0;
out:
    worker_exit(&w, rc);
}
