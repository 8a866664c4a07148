/* Timing a Python callable: calibration, samples, the GC off. See
 * include/pdlab/measure.h for what it promises. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/measure.h"
#include "pdlab/stats.h"
#include "pdlab/timer.h"

pd_measure_opts pd_measure_defaults(void)
{
    pd_measure_opts o;
    o.timeout_s = 120.0;
    o.mem_limit = 8ULL << 30;
    o.min_sample_s = 0.01;
    o.samples = 5;
    return o;
}

int pd_samples_for(const pd_measure_opts *o, double call_s)
{
    /* Three is the fewest that give a median and a spread; a slow call gets
     * no more, and never more than asked for. */
    if (call_s > PD_SLOW_CALL_S && o->samples > 3) return 3;
    return o->samples;
}

int pd_claimed_samples_for(const pd_measure_opts *o, double call_s)
{
    if (call_s <= PD_SLOW_CALL_S && o->samples >= 3) return 2 * o->samples - 1;
    if (call_s > PD_SLOW_CLAIMED_CALL_S && o->samples > 3) return 3;
    return o->samples;
}

PyObject *pd_call_argument(PyObject *input, int mutates)
{
    if (!mutates) {
        Py_INCREF(input);
        return input;
    }
    return PyObject_CallMethod(pd_harness(), "fresh", "(O)", input);
}

int pd_time_calls(PyObject *fn, PyObject *input, int mutates, uint64_t loops,
                  double *seconds)
{
    uint64_t total = 0;
    if (!mutates) {
        uint64_t t0 = pd_now_ns();
        for (uint64_t i = 0; i < loops; i++) {
            PyObject *r = PyObject_CallOneArg(fn, input);
            if (r == NULL) return -1;
            Py_DECREF(r);
        }
        total = pd_now_ns() - t0;
    } else {
        for (uint64_t i = 0; i < loops; i++) {
            PyObject *arg = pd_call_argument(input, 1), *r;
            uint64_t t0;
            int failed;
            if (arg == NULL) return -1;
            t0 = pd_now_ns();
            r = PyObject_CallOneArg(fn, arg);
            failed = r == NULL;
            /* Freeing what the variant returned is its cost, as it is
             * above and in timeit; freeing the copy is the harness's. */
            Py_XDECREF(r);
            total += pd_now_ns() - t0;
            Py_DECREF(arg);
            if (failed) return -1;
        }
    }
    *seconds = pd_ns_to_s(total);
    return 0;
}

int pd_calibrate(PyObject *fn, PyObject *input, int mutates, double min_sample_s,
                 double first_call_s, uint64_t *loops)
{
    double t = first_call_s;
    uint64_t n = 1;
    /* A call far longer than a sample needs no calibration, and repeating
     * it only to warm up would double the cost of the slowest variants. */
    if (first_call_s >= 10 * min_sample_s) {
        *loops = 1;
        return 0;
    }
    for (;;) {
        if (pd_time_calls(fn, input, mutates, n, &t) < 0) return -1;
        if (t >= min_sample_s || n >= (1ULL << 40)) break;
        double per_call = t > 0 ? t / (double)n : 1e-9;
        uint64_t want = (uint64_t)ceil(min_sample_s / per_call * 1.2);
        if (want < 2 * n) want = 2 * n;
        if (want > 100 * n) want = 100 * n;
        n = want;
    }
    *loops = n;
    return 0;
}

static int gc_call(const char *method, int *result)
{
    PyObject *gc = PyImport_ImportModule("gc"), *r = NULL;
    if (gc) r = PyObject_CallMethod(gc, method, NULL);
    Py_XDECREF(gc);
    if (r == NULL) return -1;
    if (result) *result = PyObject_IsTrue(r);
    Py_DECREF(r);
    return 0;
}

int pd_gc_pause(int *was_enabled)
{
    if (gc_call("isenabled", was_enabled) < 0 || gc_call("collect", NULL) < 0)
        return -1;
    return gc_call("disable", NULL);
}

int pd_gc_resume(int was_enabled)
{
    PyObject *type, *value, *tb;
    int rc;
    if (!was_enabled) return 0;
    /* Calling into Python with the variant's exception pending would turn
     * it into a SystemError and leave the GC off: it is set aside, and put
     * back as the first error. */
    PyErr_Fetch(&type, &value, &tb);
    rc = gc_call("enable", NULL);
    if (type) PyErr_Restore(type, value, tb);
    return rc;
}

static int take_samples(PyObject *fn, PyObject *input, int mutates, pd_timing *t)
{
    int was_enabled, rc = 0;
    if (pd_gc_pause(&was_enabled) < 0) return -1;
    for (int i = 0; i < t->nsamples && rc == 0; i++) {
        double s;
        rc = pd_time_calls(fn, input, mutates, t->loops, &s);
        if (rc == 0) t->samples[i] = s / (double)t->loops;
    }
    return pd_gc_resume(was_enabled) < 0 ? -1 : rc;
}

int pd_measure_calls(PyObject *fn, PyObject *input, int mutates,
                     const pd_measure_opts *o, double first_call_s, pd_timing *t)
{
    uint64_t t0 = pd_now_ns(), t1;
    memset(t, 0, sizeof *t);
    if (pd_calibrate(fn, input, mutates, o->min_sample_s, first_call_s, &t->loops) < 0)
        return -1;
    t1 = pd_now_ns();
    t->calibration_s = pd_ns_to_s(t1 - t0);
    t->nsamples = pd_samples_for(o, first_call_s);
    t->samples = pd_xcalloc((size_t)t->nsamples, sizeof *t->samples);
    if (take_samples(fn, input, mutates, t) < 0) return -1;
    t->sampling_s = pd_ns_to_s(pd_now_ns() - t1);
    return 0;
}

void pd_timing_free(pd_timing *t)
{
    free(t->samples);
    memset(t, 0, sizeof *t);
}

double pd_harness_overhead_s(const pd_measure_opts *o)
{
    PyObject *globals = PyDict_New(), *fn = NULL;
    pd_timing t = {0};
    double median = NAN;

    if (globals && PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) == 0)
        fn = PyRun_String("lambda _: None", Py_eval_input, globals, globals);
    if (fn && pd_measure_calls(fn, Py_None, 0, o, 0, &t) == 0)
        median = pd_percentile(t.samples, (size_t)t.nsamples, 50);
    PyErr_Clear();
    pd_timing_free(&t);
    Py_XDECREF(fn);
    Py_XDECREF(globals);
    return median;
}
