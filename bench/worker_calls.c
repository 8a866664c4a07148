/* What the worker does around each call of a variant: the memory it
 * reads from /proc/self, the first call (time, peak, warnings), the
 * Python-heap peak, the profile, the check against the reference, the
 * shared input and whether a variant changed it. See bench/worker_int.h.
 *
 * Sections:
 *   1. Memory accounting (/proc/self)
 *   2. Inputs, calls and checks
 *   3. What a variant leaves running
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/loader.h"
#include "pdlab/strbuf.h"
#include "pdlab/timer.h"
#include "worker_int.h"

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

/* ==== 2. Inputs, calls and checks ====================================== */

/* The pending exception as "Type: message\ntraceback"; sets *is_memory when
 * it is a MemoryError. Newly allocated. */
char *worker_take_exception(int *is_memory)
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
PyObject *worker_input_for(worker *w, PyObject *part)
{
    PyObject *in = PyDict_GetItemWithError(w->inputs, part), *print;
    if (in != NULL || PyErr_Occurred()) return in;
    in = PyObject_CallMethod(w->lesson, "input_for", "OOK", part, w->frame,
                             (unsigned long long)w->n);
    if (in == NULL) return NULL;
    /* A worker that takes one call's peak runs nothing after it that could
     * see a change, and a fingerprint's temporaries would shape the heap
     * the peak is then measured on: "alone in a fresh process" means load,
     * prepare, call. Without a print, worker_input_changed says unchanged. */
    print = w->peak_only ? NULL : PyObject_CallMethod(pd_harness(), "fingerprint", "(O)", in);
    if ((!w->peak_only && print == NULL) || PyDict_SetItem(w->inputs, part, in) < 0 ||
        (print && PyDict_SetItem(w->prints, part, print) < 0)) {
        Py_XDECREF(print);
        Py_DECREF(in);
        return NULL;
    }
    Py_XDECREF(print);
    Py_DECREF(in); /* the dict holds it */
    return in;
}

PyObject *worker_load_frame(worker *w, pd_load_stats *ls, pd_err *e)
{
    PyObject *csv_only = PyObject_GetAttrString(w->lesson, "csv_only");
    int skip = csv_only != NULL && PyObject_IsTrue(csv_only) == 1;

    Py_XDECREF(csv_only);
    PyErr_Clear(); /* a Lesson always has the field; none means load */
    if (!skip) return pd_load_frame(w->data_path, NULL, ls, e);
    memset(ls, 0, sizeof *ls);
    Py_RETURN_NONE;
}

/* Loads the dataset again: the input a variant changed may be the frame
 * itself, or a view of it. */
static int worker_reload_frame(worker *w)
{
    pd_err err = {0};
    pd_load_stats ls;
    PyObject *frame = worker_load_frame(w, &ls, &err);
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
int worker_input_changed(worker *w, PyObject *part)
{
    PyObject *in = PyDict_GetItemWithError(w->inputs, part);
    PyObject *before = PyDict_GetItemWithError(w->prints, part), *now;
    int same;
    if (in == NULL || before == NULL) return PyErr_Occurred() ? -1 : 0;
    now = PyObject_CallMethod(pd_harness(), "fingerprint", "(O)", in);
    if (now == NULL) return -1;
    same = PyObject_RichCompareBool(now, before, Py_EQ);
    Py_DECREF(now);
    if (same != 0) return same < 0 ? -1 : 0;
    return worker_reload_frame(w) < 0 ? -1 : 1;
}

void worker_record_changed_input(json_t *res)
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
PyObject *worker_first_call(PyObject *fn, PyObject *input, int mutates, json_t *res)
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
    pair = PyObject_CallMethod(pd_harness(), "first_call", "OO", fn, arg);
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
int worker_python_peak(PyObject *fn, PyObject *input, int mutates, json_t *res)
{
    PyObject *arg = pd_call_argument(input, mutates), *peak;
    if (arg == NULL) return -1;
    peak = PyObject_CallMethod(pd_harness(), "python_peak", "OO", fn, arg);
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
PyObject *worker_reference_for(worker *w, PyObject *part, const char *ref_name,
                               PyObject *input)
{
    PyObject *ref = PyDict_GetItemWithError(w->refs, part);
    PyObject *variants, *var, *fn, *mut, *arg = NULL, *result = NULL;
    if (ref != NULL || PyErr_Occurred()) {
        PyErr_Clear();
        return ref;
    }
    /* A reference that crashed or hung an earlier worker would take this
     * one down too, and the blame would fall on the variant being checked. */
    for (int i = 0; i < w->nfailed; i++)
        if (strcmp(w->failed[i], ref_name) == 0) return NULL;
    variants = PyObject_GetAttrString(w->lesson, "variants");
    var = variants ? PyDict_GetItemString(variants, ref_name) : NULL; /* borrowed */
    fn = var ? PyObject_GetAttrString(var, "fn") : NULL;
    mut = var ? PyObject_GetAttrString(var, "mutates") : NULL;
    if (fn && mut) arg = pd_call_argument(input, PyObject_IsTrue(mut));
    if (arg) result = PyObject_CallOneArg(fn, arg);
    if (result && worker_keep_reference(w, part, result) == 0)
        ref = PyDict_GetItem(w->refs, part);
    PyErr_Clear();
    Py_XDECREF(result);
    Py_XDECREF(arg);
    Py_XDECREF(mut);
    Py_XDECREF(fn);
    Py_XDECREF(variants);
    return ref;
}

int worker_keep_reference(worker *w, PyObject *part, PyObject *result)
{
    PyObject *copy = PyObject_CallMethod(pd_harness(), "detached", "(O)", result);
    int rc = copy ? PyDict_SetItem(w->refs, part, copy) : -1;
    Py_XDECREF(copy);
    return rc;
}

/* The lesson's observation of a variant's result, when it has an observer:
 * the numbers a learner should see besides time (a column's spread after a
 * fill, say). -1 with an exception when the observer raised. */
int worker_observe(worker *w, PyObject *result, json_t *res)
{
    PyObject *text = PyObject_CallMethod(pd_harness(), "observe", "OO", w->lesson, result);
    if (text == NULL) return -1;
    if (PyUnicode_Check(text))
        json_object_set_new(res, "observation", json_string(PyUnicode_AsUTF8(text)));
    Py_DECREF(text);
    return 0;
}

/* A harness function's JSON text (a list) parsed into res[key]. */
static int json_from_harness(PyObject *text, const char *key, json_t *res)
{
    json_error_t jerr;
    json_t *list;
    if (text == NULL) return -1;
    list = json_loads(PyUnicode_AsUTF8(text), 0, &jerr);
    Py_DECREF(text);
    if (list == NULL) {
        PyErr_Format(PyExc_RuntimeError, "the harness wrote bad JSON for %s: %s", key, jerr.text);
        return -1;
    }
    if (json_array_size(list) == 0) json_decref(list);
    else json_object_set_new(res, key, list);
    return 0;
}

/* The lesson's statistics of a correct result and the curves it draws at
 * this size (lessons/README.md, "Statistics, curves and answer groups").
 * -1 with an exception when a lesson's function raised. */
int worker_figures(worker *w, const char *name, PyObject *result, json_t *res)
{
    PyObject *h = pd_harness();
    if (json_from_harness(PyObject_CallMethod(h, "statistics", "OO", w->lesson, result),
                          "statistics", res) < 0)
        return -1;
    return json_from_harness(PyObject_CallMethod(h, "curves", "OsKO", w->lesson, name,
                                                 (unsigned long long)w->n, result),
                             "curves", res);
}

/* Profiling traces every line: only calls short enough to stay cheap. */
#define PROFILE_MAX_CALL_S 0.5

int worker_wants_profile(worker *w, const char *name, double first_call_s)
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
int worker_profile_variant(PyObject *fn, PyObject *input, int mutates, json_t *res)
{
    PyObject *arg = pd_call_argument(input, mutates), *text;
    if (arg == NULL) return -1;
    text = PyObject_CallMethod(pd_harness(), "profile", "OO", fn, arg);
    Py_DECREF(arg);
    if (text == NULL) return -1;
    json_object_set_new(res, "profile", json_string(PyUnicode_AsUTF8(text)));
    Py_DECREF(text);
    return 0;
}

/* Compares a result with its part's reference, at the lesson's tolerance,
 * and records the verdict. */
int worker_verify(worker *w, PyObject *result, PyObject *reference, json_t *res)
{
    PyObject *verdict = PyObject_CallMethod(pd_harness(), "check", "OOO", w->lesson, result,
                                            reference);
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

/* A variant right on the sized input must also be right on the lesson's
 * edge cases (a graph with a cycle): a loop that never ends there, or an
 * answer where the reference raises, is a wrong variant, not a fast one. */
int worker_check_cases(worker *w, const char *name, json_t *res)
{
    PyObject *why = PyObject_CallMethod(pd_harness(), "check_cases", "Os", w->lesson, name);
    const char *text = why ? PyUnicode_AsUTF8(why) : NULL;
    int ok;

    if (text == NULL) {
        Py_XDECREF(why);
        return -1;
    }
    ok = *text == '\0';
    if (!ok) {
        json_object_set_new(res, "status", json_string("wrong"));
        json_object_set_new(res, "mismatch", json_string(text));
    }
    Py_DECREF(why);
    return ok;
}

int worker_return_home(worker *w)
{
    if (w->home_fd < 0 || fchdir(w->home_fd) == 0) return 0;
    PyErr_SetFromErrnoWithFilename(PyExc_OSError, "(the worker's scratch directory)");
    return -1;
}

void worker_record_failure(json_t *res)
{
    int is_memory = 0;
    char *err = worker_take_exception(&is_memory);
    json_object_set_new(res, "status", json_string(is_memory ? "no_memory" : "raised"));
    json_object_set_new(res, "error", json_string(err));
    free(err);
}


/* ==== 3. What a variant leaves running ================================= */

PyObject *worker_running_now(void)
{
    return PyObject_CallMethod(pd_harness(), "running_now", NULL);
}

/* A variant that returns while its threads or child processes still run is
 * a failed variant, whatever it returned: what it left would be billed to
 * the next measurement, and a pool nobody shut down outlives the run. The
 * harness kills the child processes; a thread it cannot stop, so
 * WORKER_LEFT_THREADS tells the caller to end this worker. */
int worker_check_leftovers(PyObject *before, json_t *res)
{
    PyObject *found = PyObject_CallMethod(pd_harness(), "leftovers", "(O)", before);
    const char *prev = json_string_value(json_object_get(res, "error"));
    pd_buf b = {0};
    int threads = 0;
    Py_ssize_t count;

    if (found == NULL) return -1;
    count = PyList_Size(found);
    if (count <= 0) {
        Py_DECREF(found);
        return count < 0 ? -1 : 0;
    }
    pd_buf_puts(&b, "left running when it ended: ");
    for (Py_ssize_t i = 0; i < count; i++) {
        const char *what = PyUnicode_AsUTF8(PyList_GET_ITEM(found, i));
        if (what == NULL) what = "?";
        pd_buf_printf(&b, "%s%s", i ? ", " : "", what);
        threads |= strncmp(what, "thread", 6) == 0;
    }
    pd_buf_puts(&b, ". Shut down what it starts before it returns, even when it "
                    "raises (a with block, or try/finally).");
    /* Why it failed before it was caught leaving things behind still
     * matters: a pool that raised is how leftovers usually happen. */
    if (prev) pd_buf_printf(&b, "\nIt had failed: %s", prev);
    json_object_set_new(res, "status", json_string("left_running"));
    json_object_set_new(res, "error", json_string(b.s));
    json_object_del(res, "samples_s");
    json_object_del(res, "loops");
    pd_buf_free(&b);
    Py_DECREF(found);
    return threads ? WORKER_LEFT_THREADS : WORKER_LEFT_PROCESSES;
}
