/* Worker processes: where lesson code runs, and how the parent watches it.
 *
 * Sections:
 *   1. Memory accounting (/proc/self)
 *   2. The worker: load, prepare, verify, measure, report
 *   3. The parent: spawn, read events, survive crashes and hangs
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
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/fileio.h"
#include "pdlab/lesson.h"
#include "pdlab/loader.h"
#include "pdlab/measure.h"
#include "pdlab/timer.h"
#include "pdlab/worker.h"

extern char **environ;

#define PROTO_FD 3

/* ==== 1. Memory accounting ============================================== */

/* A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), or -1. */
static int64_t proc_status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t flen = strlen(field);
    int64_t kb = -1;
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
            kb = strtoll(line + flen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* Resets the peak resident size (VmHWM) to the current one, so that the
 * next reading is the peak of what runs in between (Linux >= 4.0). */
static void reset_peak_rss(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    if (fd < 0) return;
    if (write(fd, "5", 1) < 0) { /* an old kernel: peak then includes the past */ }
    close(fd);
}

/* ==== 2. The worker ===================================================== */

typedef struct worker {
    FILE *proto;          /* events to the parent */
    PyObject *lesson;     /* owned: the pdlab.Lesson */
    PyObject *frame;      /* owned: the loaded DataFrame */
    PyObject *inputs;     /* owned dict: part -> prepared input */
    PyObject *refs;       /* owned dict: part -> reference variant's result */
    PyObject *prints;     /* owned dict: part -> fingerprint of its input */
    uint64_t n;
    pd_measure_opts opts;
    int profile;          /* profile the lesson's profile variant here */
    const char *data_path; /* the dataset, reloaded if a variant changed it */
    uint64_t born_ns;      /* when the process started, for start-up cost */
    int memory_focus;      /* the lesson is about memory */
} worker;

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

/* The pending exception as "Type: message\ntraceback"; sets *is_memory when
 * it is a MemoryError. Newly allocated. */
static char *take_exception(int *is_memory)
{
    char *type = NULL, *msg = NULL, *tb = NULL, *out;
    /* NumPy raises a subclass (_ArrayMemoryError): match, do not compare. */
    if (is_memory) *is_memory = PyErr_ExceptionMatches(PyExc_MemoryError);
    if (pd_python_fetch(&type, &msg, &tb) < 0) return pd_strdup("unknown error");
    out = pd_strdup_printf("%s: %s\n%s", type, msg, tb);
    free(type);
    free(msg);
    free(tb);
    return out;
}

/* The prepared input of a part (borrowed from w->inputs), made on first
 * use: preparing is outside every timed region. */
static PyObject *input_for(worker *w, PyObject *part)
{
    PyObject *in = PyDict_GetItemWithError(w->inputs, part), *print;
    if (in != NULL || PyErr_Occurred()) return in;
    in = PyObject_CallMethod(w->lesson, "input_for", "OOK", part, w->frame,
                             (unsigned long long)w->n);
    if (in == NULL) return NULL;
    print = PyObject_CallMethod(pd_api(), "fingerprint", "O", in);
    if (print == NULL || PyDict_SetItem(w->inputs, part, in) < 0 ||
        PyDict_SetItem(w->prints, part, print) < 0) {
        Py_XDECREF(print);
        Py_DECREF(in);
        return NULL;
    }
    Py_DECREF(print);
    Py_DECREF(in); /* the dict holds it */
    return in;
}

/* Loads the dataset again: the input a variant changed may be the frame
 * itself, or a view of it. */
static int reload_frame(worker *w)
{
    pd_err err = {0};
    pd_load_stats ls;
    PyObject *frame = pd_load_frame(w->data_path, NULL, &ls, &err);
    if (frame == NULL) {
        PyErr_SetString(PyExc_RuntimeError, err.msg);
        return -1;
    }
    Py_SETREF(w->frame, frame);
    PyDict_Clear(w->inputs);
    return 0;
}

/* A variant that does not declare mutates=True shares its input with the
 * others: if it changed it, every later variant would be measured on other
 * data. When it did, the data is loaded and prepared afresh (the borrowed
 * input is gone then) and 1 is returned; 0 when unchanged, -1 on error. */
static int input_changed(worker *w, PyObject *part)
{
    PyObject *in = PyDict_GetItemWithError(w->inputs, part);
    PyObject *before = PyDict_GetItemWithError(w->prints, part), *now;
    int same;
    if (in == NULL || before == NULL) return PyErr_Occurred() ? -1 : 0;
    now = PyObject_CallMethod(pd_api(), "fingerprint", "O", in);
    if (now == NULL) return -1;
    same = PyObject_RichCompareBool(now, before, Py_EQ);
    Py_DECREF(now);
    if (same != 0) return same < 0 ? -1 : 0;
    return reload_frame(w) < 0 ? -1 : 1;
}

static void record_changed_input(json_t *res)
{
    json_object_set_new(res, "status", json_string("wrong"));
    json_object_set_new(res, "mismatch", json_string(
        "changed its shared input; a variant that modifies its input must declare "
        "mutates=True, so that every call gets a fresh copy"));
    json_object_del(res, "samples_s");
    json_object_del(res, "loops");
}

/* The first call: timed alone (it pays for imports and lazy set-up), its
 * peak memory measured, its warnings recorded, its result returned (new
 * reference) for verification. NULL with an exception pending on failure. */
static PyObject *first_call(PyObject *fn, PyObject *input, int mutates, json_t *res)
{
    PyObject *arg = pd_call_argument(input, mutates), *pair = NULL, *result = NULL;
    PyObject *warnings;
    int64_t rss0;
    uint64_t t0, t1;
    json_t *wl;

    if (arg == NULL) return NULL;
#ifdef __GLIBC__
    /* Hand the heap's free pages back to the kernel first: an earlier
     * variant's freed memory would otherwise be reused without growing the
     * resident set, and this call's allocations would not show. */
    malloc_trim(0);
#endif
    reset_peak_rss();
    rss0 = proc_status_bytes("VmRSS");
    t0 = pd_now_ns();
    pair = PyObject_CallMethod(pd_api(), "first_call", "OO", fn, arg);
    t1 = pd_now_ns();
    if (pair != NULL) {
        int64_t hwm = proc_status_bytes("VmHWM");
        json_object_set_new(res, "first_call_s", json_real(pd_ns_to_s(t1 - t0)));
        json_object_set_new(res, "peak_bytes",
                            json_integer(rss0 >= 0 && hwm >= rss0 ? hwm - rss0 : -1));
        result = PyTuple_GetItem(pair, 0);
        Py_XINCREF(result);
        warnings = PyTuple_GetItem(pair, 1);
        wl = json_array();
        for (Py_ssize_t i = 0; warnings && i < PyList_Size(warnings); i++)
            json_array_append_new(wl, json_string(PyUnicode_AsUTF8(PyList_GET_ITEM(warnings, i))));
        json_object_set_new(res, "warnings", wl);
    }
    Py_XDECREF(pair);
    Py_DECREF(arg);
    return result;
}

/* The Python-level peak (tracemalloc) of one more call. */
static int python_peak(PyObject *fn, PyObject *input, int mutates, json_t *res)
{
    PyObject *arg = pd_call_argument(input, mutates), *peak;
    if (arg == NULL) return -1;
    peak = PyObject_CallMethod(pd_api(), "python_peak", "OO", fn, arg);
    Py_DECREF(arg);
    if (peak == NULL) return -1;
    json_object_set_new(res, "python_peak_bytes", json_integer(PyLong_AsLongLong(peak)));
    Py_DECREF(peak);
    return 0;
}

/* The result of a part's reference variant (borrowed from w->refs). A
 * worker restarted after a crash did not measure the reference itself, so
 * it computes it here, untimed. NULL, with no exception pending, when the
 * reference fails. */
static PyObject *reference_for(worker *w, PyObject *part, const char *ref_name,
                               PyObject *input)
{
    PyObject *ref = PyDict_GetItemWithError(w->refs, part);
    PyObject *variants, *var, *fn, *mut, *arg = NULL, *result = NULL;
    if (ref != NULL || PyErr_Occurred()) {
        PyErr_Clear();
        return ref;
    }
    variants = PyObject_GetAttrString(w->lesson, "variants");
    var = variants ? PyDict_GetItemString(variants, ref_name) : NULL; /* borrowed */
    fn = var ? PyObject_GetAttrString(var, "fn") : NULL;
    mut = var ? PyObject_GetAttrString(var, "mutates") : NULL;
    if (fn && mut) arg = pd_call_argument(input, PyObject_IsTrue(mut));
    if (arg) result = PyObject_CallOneArg(fn, arg);
    if (result && PyDict_SetItem(w->refs, part, result) == 0)
        ref = PyDict_GetItem(w->refs, part);
    PyErr_Clear();
    Py_XDECREF(result);
    Py_XDECREF(arg);
    Py_XDECREF(mut);
    Py_XDECREF(fn);
    Py_XDECREF(variants);
    return ref;
}

/* The lesson's observation of a variant's result, when it has an observer:
 * the numbers a learner should see besides time (a column's spread after a
 * fill, say). -1 with an exception when the observer raised. */
static int observe(worker *w, PyObject *result, json_t *res)
{
    PyObject *text = PyObject_CallMethod(pd_api(), "observe", "OO", w->lesson, result);
    if (text == NULL) return -1;
    if (PyUnicode_Check(text))
        json_object_set_new(res, "observation", json_string(PyUnicode_AsUTF8(text)));
    Py_DECREF(text);
    return 0;
}

/* A call longer than this gets no tracemalloc run unless the lesson is
 * about memory. */
#define PD_PY_PEAK_MAX_CALL_S 0.1

/* Profiling traces every line: only calls short enough to stay cheap. */
#define PROFILE_MAX_CALL_S 0.5

static int wants_profile(worker *w, const char *name, double first_call_s)
{
    PyObject *p = PyObject_GetAttrString(w->lesson, "profile");
    int yes = p && PyUnicode_Check(p) && strcmp(PyUnicode_AsUTF8(p), name) == 0 &&
              first_call_s < PROFILE_MAX_CALL_S;
    PyErr_Clear();
    Py_XDECREF(p);
    return yes;
}

/* One more call under the line tracer and cProfile, outside timing: the
 * lesson shows where the time goes before anyone optimizes. */
static int profile_variant(PyObject *fn, PyObject *input, int mutates, json_t *res)
{
    PyObject *arg = pd_call_argument(input, mutates), *text;
    if (arg == NULL) return -1;
    text = PyObject_CallMethod(pd_api(), "profile", "OO", fn, arg);
    Py_DECREF(arg);
    if (text == NULL) return -1;
    json_object_set_new(res, "profile", json_string(PyUnicode_AsUTF8(text)));
    Py_DECREF(text);
    return 0;
}

/* Compares a result with its part's reference and records the verdict. */
static int verify(PyObject *result, PyObject *reference, json_t *res)
{
    PyObject *verdict = PyObject_CallMethod(pd_api(), "same", "OO", result, reference);
    int ok;
    if (verdict == NULL) return -1;
    ok = PyObject_IsTrue(PyTuple_GetItem(verdict, 0));
    json_object_set_new(res, "status", json_string(ok ? "ok" : "wrong"));
    if (!ok)
        json_object_set_new(res, "mismatch",
                            json_string(PyUnicode_AsUTF8(PyTuple_GetItem(verdict, 1))));
    Py_DECREF(verdict);
    return ok;
}

static void record_failure(json_t *res)
{
    int is_memory = 0;
    char *err = take_exception(&is_memory);
    json_object_set_new(res, "status", json_string(is_memory ? "no_memory" : "raised"));
    json_object_set_new(res, "error", json_string(err));
    free(err);
}

/* Measures one variant and reports it. Only a failure of the harness itself
 * (not of the variant) returns -1. */
static int measure_variant(worker *w, const char *name)
{
    PyObject *variants = NULL, *var = NULL, *fn = NULL, *part = NULL;
    PyObject *input, *result = NULL, *reference = NULL;
    json_t *res = json_pack("{s:s, s:s, s:s}", "event", "result", "variant", name,
                            "status", "raised");
    const char *ref_name;
    int mutates, is_ref, rc = -1, verdict = 1, changed;
    uint64_t loops = 1, started = pd_now_ns();

    emit(w, json_pack("{s:s, s:s}", "event", "start", "variant", name));
    variants = PyObject_GetAttrString(w->lesson, "variants");
    var = variants ? PyDict_GetItemString(variants, name) : NULL; /* borrowed */
    if (var == NULL) {
        PyErr_Clear();
        json_object_set_new(res, "error", json_sprintf("no variant named '%s'", name));
        rc = 0;
        goto report;
    }
    fn = PyObject_GetAttrString(var, "fn");
    part = PyObject_GetAttrString(var, "part");
    {
        PyObject *m = PyObject_GetAttrString(var, "mutates");
        mutates = m && PyObject_IsTrue(m);
        Py_XDECREF(m);
    }
    if (fn == NULL || part == NULL) goto cleanup;
    {
        PyObject *refs = PyObject_GetAttrString(w->lesson, "references");
        PyObject *r = refs ? PyDict_GetItemWithError(refs, part) : NULL;
        ref_name = r ? PyUnicode_AsUTF8(r) : NULL;
        is_ref = ref_name && strcmp(ref_name, name) == 0;
        Py_XDECREF(refs);
        if (ref_name == NULL) goto cleanup;
    }
    input = input_for(w, part); /* borrowed */
    if (input == NULL) goto cleanup;

    result = first_call(fn, input, mutates, res);
    if (result == NULL) record_failure(res);
    if (!mutates && (changed = input_changed(w, part)) != 0) {
        if (changed < 0) goto cleanup;
        if (result != NULL) record_changed_input(res);
        rc = 0;
        goto report;
    }
    if (result == NULL) {
        rc = 0;
        goto report;
    }
    if (is_ref) {
        if (PyDict_SetItem(w->refs, part, result) < 0) goto cleanup;
        json_object_set_new(res, "status", json_string("ok"));
    } else {
        reference = reference_for(w, part, ref_name, input); /* borrowed */
        if (reference == NULL) {
            json_object_set_new(res, "status", json_string("wrong"));
            json_object_set_new(res, "mismatch", json_sprintf(
                "cannot be verified: the reference variant '%s' failed", ref_name));
            verdict = 0;
        } else if ((verdict = verify(result, reference, res)) < 0) goto failed;
    }
    if (observe(w, result, res) < 0) goto failed;
    Py_CLEAR(result);
    /* A wrong answer is never timed: it must not appear as fast. */
    if (verdict) {
        json_t *samples = json_array();
        double first_s = json_real_value(json_object_get(res, "first_call_s"));
        pd_timing t;
        json_object_set_new(res, "samples_s", samples);
        /* tracemalloc slows code that makes an object per row several
         * times over: a slow call gets it only where memory is the point. */
        if ((first_s < PD_PY_PEAK_MAX_CALL_S || w->memory_focus) &&
            python_peak(fn, input, mutates, res) < 0)
            goto failed;
        if (pd_measure_calls(fn, input, mutates, &w->opts, first_s, &t) < 0) {
            pd_timing_free(&t);
            goto failed;
        }
        for (int i = 0; i < t.nsamples; i++)
            json_array_append_new(samples, json_real(t.samples[i]));
        loops = t.loops;
        json_object_set_new(res, "calibration_s", json_real(t.calibration_s));
        json_object_set_new(res, "sampling_s", json_real(t.sampling_s));
        pd_timing_free(&t);
        json_object_set_new(res, "loops", json_integer((json_int_t)loops));
        if (w->profile && wants_profile(w, name, first_s) &&
            profile_variant(fn, input, mutates, res) < 0) goto failed;
        if (!mutates && (changed = input_changed(w, part)) != 0) {
            if (changed < 0) goto cleanup;
            record_changed_input(res);
        }
    }
    rc = 0;
    goto report;
failed:
    record_failure(res);
    rc = 0;
report:
    json_object_set_new(res, "wall_s", json_real(pd_ns_to_s(pd_now_ns() - started)));
    emit(w, res);
    res = NULL;
cleanup:
    if (rc < 0) {
        char *err = take_exception(NULL);
        char *msg = pd_strdup_printf("harness failure while measuring variant '%s': %s",
                                     name, err);
        emit_fatal(w, msg);
        free(msg);
        free(err);
    }
    json_decref(res);
    Py_XDECREF(result);
    Py_XDECREF(part);
    Py_XDECREF(fn);
    Py_XDECREF(variants);
    return rc;
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
        PyObject *r = PyObject_CallMethod(pd_api(), "worker_setup", NULL);
        if (r == NULL) {
            pd_python_error(&err, "worker start-up");
            goto fatal;
        }
        Py_DECREF(r);
    }
    w->lesson = pd_lesson_exec(lesson_path, &err);
    if (w->lesson == NULL) goto fatal;
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
    w->frame = pd_load_frame(data_path, NULL, &ls, &err);
    if (w->frame == NULL) goto fatal;
    emit(w, json_pack("{s:s, s:f, s:f, s:I, s:I}", "event", "load", "seconds", ls.seconds,
                      "startup_s", startup_s, "bytes", (json_int_t)ls.bytes,
                      "rows", (json_int_t)ls.rows));
    return 0;
fatal:
    emit_fatal(w, err.msg);
    return -1;
}

static void worker_teardown(worker *w)
{
    Py_CLEAR(w->frame);
    Py_CLEAR(w->lesson);
    Py_CLEAR(w->inputs);
    Py_CLEAR(w->refs);
    Py_CLEAR(w->prints);
    pd_python_stop();
    if (w->proto) fclose(w->proto);
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
        {NULL, 0, NULL, 0},
    };
    worker w;
    const char *lesson_path = NULL, *data_path = NULL, *csv_path = NULL;
    int c, rc = 1;

    memset(&w, 0, sizeof w);
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
        default: return 2;
        }
    }
    w.proto = fdopen(PROTO_FD, "w");
    if (w.proto == NULL || !lesson_path || !data_path) {
        fprintf(stderr, "pdlab __worker is started by `pdlab run`, not by hand\n");
        return 2;
    }
    if (w.opts.mem_limit) {
        struct rlimit rl = {w.opts.mem_limit, w.opts.mem_limit};
        setrlimit(RLIMIT_AS, &rl);
    }
    if (worker_setup(&w, lesson_path, data_path, csv_path) < 0) goto out;
    /* References first, then the others in the order asked. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = optind; i < argc; i++)
            if (is_reference(&w, argv[i]) == (pass == 0) &&
                measure_variant(&w, argv[i]) < 0)
                goto out;
    rc = 0;
out:
    worker_teardown(&w);
    return rc;
}

/* ==== 3. The parent ===================================================== */

/* Still to measure: to be run and no result yet (pd_worker_measure marks
 * those with a negative first-call time; any result overwrites it). */
static int pending(const pd_variant_result *v)
{
    return v->status != PD_NOT_RUN && v->first_call_s < 0;
}

static size_t count_pending(const pd_size_result *out)
{
    size_t n = 0;
    for (size_t i = 0; i < out->nvariants; i++) n += pending(&out->variants[i]);
    return n;
}

typedef struct child {
    pid_t pid;
    int fd;             /* read end of the worker's event pipe */
    char *buf;          /* bytes read but not yet split into lines */
    size_t len, cap;
} child;

static int spawn_worker(const pd_worker_job *job, const pd_size_result *out,
                        child *c, pd_err *e)
{
    posix_spawn_file_actions_t fa;
    char n_arg[32], mem_arg[32], min_arg[32], samples_arg[16];
    const char **argv = pd_xcalloc(out->nvariants + 20, sizeof *argv);
    int fds[2] = {-1, -1}, rc = -1, k = 0;

    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (pipe2(fds, O_CLOEXEC) < 0) {
        free(argv);
        return pd_error_errno(e, "cannot create a pipe for a worker");
    }
    snprintf(n_arg, sizeof n_arg, "%llu", (unsigned long long)job->n);
    snprintf(mem_arg, sizeof mem_arg, "%llu", (unsigned long long)job->opts.mem_limit);
    snprintf(min_arg, sizeof min_arg, "%g", job->opts.min_sample_s);
    snprintf(samples_arg, sizeof samples_arg, "%d", job->opts.samples);
    argv[k++] = job->exe;
    argv[k++] = "__worker";
    argv[k++] = "--lesson";     argv[k++] = job->lesson_path;
    argv[k++] = "--data";       argv[k++] = job->dataset_path;
    argv[k++] = "--n";          argv[k++] = n_arg;
    argv[k++] = "--mem-limit";  argv[k++] = mem_arg;
    argv[k++] = "--min-sample"; argv[k++] = min_arg;
    argv[k++] = "--samples";    argv[k++] = samples_arg;
    if (job->csv_path) {
        argv[k++] = "--csv";
        argv[k++] = job->csv_path;
    }
    if (job->profile) argv[k++] = "--profile";
    argv[k++] = "--";
    for (size_t i = 0; i < out->nvariants; i++)
        if (pending(&out->variants[i])) argv[k++] = out->variants[i].name;
    argv[k] = NULL;

    posix_spawn_file_actions_init(&fa);
    /* The read end is the lowest free descriptor, so the write end is never
     * PROTO_FD itself and the dup2 below always clears its close-on-exec. */
    posix_spawn_file_actions_adddup2(&fa, fds[1], PROTO_FD);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, job->log_path,
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    errno = posix_spawn(&c->pid, job->exe, &fa, NULL, (char *const *)argv, environ);
    if (errno != 0) pd_error_errno(e, "cannot start a worker (%s)", job->exe);
    else rc = 0;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc == 0) c->fd = fds[0];
    else close(fds[0]);
    free(argv);
    return rc;
}

enum { EV_EVENT = 1, EV_EOF = 0, EV_TIMEOUT = -2 };

/* Next event line of the worker as JSON (*ev, new reference), waiting until
 * the monotonic deadline. A line that is not JSON is skipped. */
static int next_event(child *c, uint64_t deadline_ns, json_t **ev)
{
    for (;;) {
        char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
        if (nl != NULL) {
            size_t line = (size_t)(nl - c->buf);
            *nl = '\0';
            *ev = json_loads(c->buf, 0, NULL);
            memmove(c->buf, nl + 1, c->len - line - 1);
            c->len -= line + 1;
            if (*ev != NULL) return EV_EVENT;
            continue;
        }
        uint64_t now = pd_now_ns();
        if (now >= deadline_ns) return EV_TIMEOUT;
        struct pollfd p = {c->fd, POLLIN, 0};
        int ms = (int)((deadline_ns - now) / 1000000) + 1;
        int r = poll(&p, 1, ms);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) continue; /* the deadline check above ends it */
        if (c->cap - c->len < 4096) {
            c->cap = c->cap ? c->cap * 2 : 65536;
            c->buf = realloc(c->buf, c->cap);
            if (c->buf == NULL) abort();
        }
        ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return EV_EOF;
        c->len += (size_t)got;
    }
}

/* Kills (when asked) and reaps the worker; returns its wait status. */
static int finish_child(child *c, int kill_it)
{
    int status = 0;
    if (kill_it) kill(c->pid, SIGKILL);
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {}
    if (c->fd >= 0) close(c->fd);
    free(c->buf);
    c->fd = -1;
    c->buf = NULL;
    return status;
}

/* How the worker ended, in words. Newly allocated. */
static char *describe_exit(int status)
{
    if (WIFSIGNALED(status))
        return pd_strdup_printf("the worker was killed by signal %d (%s)",
                                WTERMSIG(status), strsignal(WTERMSIG(status)));
    return pd_strdup_printf("the worker exited with status %d", WEXITSTATUS(status));
}

/* The last lines of the worker's log, where Python's faulthandler and the
 * lesson's own prints end up. Newly allocated, possibly empty. */
static char *log_tail(const char *path, size_t max)
{
    pd_err ignored = {0};
    size_t len;
    char *all = pd_read_file(path, &len, &ignored), *tail;
    if (all == NULL) return pd_strdup("");
    tail = pd_strdup(len > max ? all + len - max : all);
    free(all);
    return tail;
}

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

/* Fills a variant's result from a "result" event. */
static void read_result(json_t *ev, pd_variant_result *v)
{
    json_t *samples = json_object_get(ev, "samples_s");
    json_t *warnings = json_object_get(ev, "warnings");
    const char *status = json_string_value(json_object_get(ev, "status"));
    pd_status st = PD_RAISED;

    if (status) pd_status_parse(status, &st);
    v->status = st;
    v->mismatch = get_string(ev, "mismatch");
    v->error = get_string(ev, "error");
    v->first_call_s = get_real(ev, "first_call_s");
    v->peak_bytes = get_int(ev, "peak_bytes", -1);
    v->py_peak_bytes = get_int(ev, "python_peak_bytes", -1);
    v->loops = (uint64_t)get_int(ev, "loops", 0);
    v->observation = get_string(ev, "observation");
    v->wall_s = get_real(ev, "wall_s");
    v->calibration_s = get_real(ev, "calibration_s");
    v->sampling_s = get_real(ev, "sampling_s");
    v->profile = get_string(ev, "profile");
    if (json_array_size(warnings) > 0) {
        size_t total = 1, i;
        json_t *w;
        json_array_foreach(warnings, i, w) total += strlen(json_string_value(w)) + 1;
        v->warnings = pd_xcalloc(total, 1);
        json_array_foreach(warnings, i, w) {
            if (i) strcat(v->warnings, "\n");
            strcat(v->warnings, json_string_value(w));
        }
    }
    v->nsamples = json_array_size(samples);
    if (v->nsamples) {
        v->samples = pd_xcalloc(v->nsamples, sizeof *v->samples);
        for (size_t i = 0; i < v->nsamples; i++)
            v->samples[i] = json_number_value(json_array_get(samples, i));
        pd_stats_compute(v->samples, v->nsamples, &v->stats);
    }
}

static int find_variant(const pd_size_result *out, const char *name)
{
    for (size_t i = 0; name && i < out->nvariants; i++)
        if (strcmp(out->variants[i].name, name) == 0) return (int)i;
    return -1;
}

/* Records what killed the worker against the variant it was running. */
static void blame_variant(const pd_worker_job *job, pd_variant_result *v,
                          int timed_out, int status)
{
    char *how = describe_exit(status), *tail = log_tail(job->log_path, 2000);
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

/* Runs one worker over the variants still to measure. Returns 1 when it
 * should be called again (a variant took the worker down), 0 when done, -1
 * when the lesson cannot run. */
static int run_one_worker(const pd_worker_job *job, pd_size_result *out, pd_err *e)
{
    child c;
    json_t *ev = NULL;
    int current = -1, r, timed_out = 0, status;
    size_t before = count_pending(out);
    uint64_t timeout_ns = (uint64_t)(job->opts.timeout_s * 1e9);
    uint64_t deadline = pd_now_ns() + timeout_ns;

    if (spawn_worker(job, out, &c, e) < 0) return -1;
    while ((r = next_event(&c, deadline, &ev)) == EV_EVENT) {
        const char *kind = json_string_value(json_object_get(ev, "event"));
        int idx = find_variant(out, json_string_value(json_object_get(ev, "variant")));
        if (kind == NULL) {
        } else if (strcmp(kind, "load") == 0) {
            out->load_s = get_real(ev, "seconds");
            out->startup_s += get_real(ev, "startup_s");
            out->load_bytes = (uint64_t)get_int(ev, "bytes", 0);
            if (job->progress) job->progress(job->progress_ctx, NULL);
        } else if (strcmp(kind, "start") == 0 && idx >= 0) {
            current = idx;
            deadline = pd_now_ns() + timeout_ns;
            if (job->progress) job->progress(job->progress_ctx, out->variants[idx].name);
        } else if (strcmp(kind, "result") == 0 && idx >= 0) {
            read_result(ev, &out->variants[idx]);
            current = -1;
        } else if (strcmp(kind, "fatal") == 0) {
            pd_error(e, "%s", json_string_value(json_object_get(ev, "error")));
            json_decref(ev);
            finish_child(&c, 1);
            return -1;
        }
        json_decref(ev);
    }
    timed_out = r == EV_TIMEOUT;
    status = finish_child(&c, timed_out);
    if (current >= 0) {
        blame_variant(job, &out->variants[current], timed_out, status);
        return count_pending(out) > 0;
    }
    if (count_pending(out) == 0) return 0;
    /* It died between variants: start another if this one got anywhere. */
    if (!timed_out && count_pending(out) < before) return 1;
    {
        char *how = describe_exit(status), *tail = log_tail(job->log_path, 2000);
        pd_error(e, "the worker for n = %llu %s before measuring anything. Its log %s "
                 "ends with:\n%s", (unsigned long long)job->n,
                 timed_out ? "timed out" : how, job->log_path, tail);
        free(how);
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
