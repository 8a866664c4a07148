/* Unit tests of the measurement core (bench/measure.c): calibration, samples,
 * the GC off while timing, fresh copies for callables that mutate. */

#include <Python.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "pdlab/embed.h"
#include "pdlab/measure.h"
#include "pdlab/stats.h"

static PyObject *ns; /* the helpers below, defined in Python */

static const char helpers[] =
    "import gc, time\n"
    "calls = []\n"
    "def spin(seconds):\n"
    "    def f(_):\n"
    "        end = time.perf_counter() + seconds\n"
    "        while time.perf_counter() < end:\n"
    "            pass\n"
    "        calls.append(gc.isenabled())\n"
    "    return f\n"
    "def appender(arg):\n"
    "    calls.append(len(arg))\n"
    "    arg.append(1)\n"
    "def boom(_):\n"
    "    raise ValueError('boom')\n"
    "class SlowToFree:\n"
    "    def __del__(self):\n"
    "        spin(0.002)(None)\n"
    "def returns_slow_to_free(arg):\n"
    "    return SlowToFree()\n"
    "def boom_when_gc_off(_):\n"
    "    if not gc.isenabled():\n"
    "        raise ValueError('boom in a sample')\n"
    /* Each change a variant could make to its shared input, and whether the
     * harness's fingerprint misses it: the names of those it misses. */
    "def fingerprint_misses():\n"
    "    import numpy as np, pandas as pd, _pdlab_harness as h\n"
    "    def frame():\n"
    "        return pd.DataFrame({'city': np.array(['Oslo', 'Rome', 'Lima'], dtype=object),\n"
    "                             'n': np.arange(3), 'x': [0.5, 1.5, np.nan],\n"
    "                             'cat': pd.Categorical(['a', 'b', 'a']),\n"
    "                             'cells': [[1], [2], [3]]})\n"
    "    def frame_cell(col, value):\n"
    "        def edit(d):\n"
    "            d.loc[1, col] = value\n"
    "        return frame, edit\n"
    "    def setattr_(name, value):\n"
    "        return lambda d: setattr(d, name, value)\n"
    "    cases = {\n"
    "        'a string replaced': frame_cell('city', 'Bern'),\n"
    "        'a number': frame_cell('n', 7),\n"
    "        'a NaN filled': (frame, lambda d: d.__setitem__('x', d['x'].fillna(0))),\n"
    "        'a category': frame_cell('cat', 'a'),\n"
    "        'a list in a cell, in place': (frame, lambda d: d.loc[0, 'cells'].append(9)),\n"
    "        'rows sorted in place': (frame, lambda d: d.sort_values('n', ascending=False,\n"
    "                                                                inplace=True)),\n"
    "        'a column added': (frame, lambda d: d.__setitem__('new', 1)),\n"
    "        'a dtype': (frame, lambda d: d.__setitem__('n', d['n'].astype('int32'))),\n"
    "        'the index renamed': (frame, lambda d: setattr(d.index, 'name', 'row')),\n"
    "        'a list sorted': (lambda: [3.0, 1.0, 2.0], lambda x: x.sort()),\n"
    "        'an array element': (lambda: np.arange(5.0), lambda a: a.__setitem__(0, 9)),\n"
    "        'a frame in a dict': (lambda: {'f': frame()},\n"
    "                              lambda x: x['f'].__setitem__('n', 0)),\n"
    "        'a series value': (lambda: pd.Series([1.0, 2.0]), lambda s: s.__setitem__(0, 5.0)),\n"
    "    }\n"
    "    missed = []\n"
    "    for name, (make, edit) in cases.items():\n"
    "        x = make()\n"
    "        before = h.fingerprint(x)\n"
    "        edit(x)\n"
    "        if h.fingerprint(x) == before:\n"
    "            missed.append(name)\n"
    "    if h.fingerprint(frame()) != h.fingerprint(frame()):\n"
    "        missed.append('equal frames print differently')\n"
    "    return missed\n";

static int setup(void **state)
{
    pd_err e = {0};
    PyObject *r;
    (void)state;
    if (pd_python_start(&e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    ns = PyDict_New();
    PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins());
    r = PyRun_String(helpers, Py_file_input, ns, ns);
    if (r == NULL) {
        PyErr_Print();
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    Py_CLEAR(ns);
    pd_python_stop();
    return 0;
}

/* A callable spinning for `seconds` per call (new reference). */
static PyObject *spinner(double seconds)
{
    PyObject *make = PyDict_GetItemString(ns, "spin");
    return PyObject_CallFunction(make, "d", seconds);
}

static pd_measure_opts opts_with(double min_sample_s, int samples)
{
    pd_measure_opts o = pd_measure_defaults();
    o.min_sample_s = min_sample_s;
    o.samples = samples;
    return o;
}

static PyObject *calls_list(void)
{
    return PyDict_GetItemString(ns, "calls"); /* borrowed */
}

static void clear_calls(void)
{
    PyObject *calls = calls_list();
    PyList_SetSlice(calls, 0, PyList_GET_SIZE(calls), NULL);
}

static void test_calibrates_a_fast_call(void **state)
{
    pd_measure_opts o = opts_with(0.005, 5);
    PyObject *fn = spinner(20e-6);
    pd_timing t;
    (void)state;

    assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 20e-6, &t), 0);
    /* Only what holds however busy the machine is: the last calibration run,
     * `loops` calls long, lasted min_sample_s, and every call spins at least
     * 20 µs. How many calls that took depends on the machine's load while
     * calibrating, so `loops` itself is not checked. */
    assert_true(t.calibration_s >= o.min_sample_s);
    assert_int_equal(t.nsamples, 5);
    for (int i = 0; i < t.nsamples; i++)
        assert_true(t.samples[i] >= 20e-6);
    assert_true(t.sampling_s >= 5 * (double)t.loops * 20e-6);
    pd_timing_free(&t);
    Py_DECREF(fn);
}

static void test_slow_call_is_not_calibrated(void **state)
{
    pd_measure_opts o = pd_measure_defaults();
    PyObject *fn = spinner(0.6);
    pd_timing t;
    (void)state;

    clear_calls();
    assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 0.6, &t), 0);
    /* One call per sample, three samples (the minimum for a median and a
     * spread), and no calibration call: repeating a slow call only to warm
     * up would double its cost. */
    assert_int_equal(t.loops, 1);
    assert_int_equal(t.nsamples, 3);
    assert_int_equal(PyList_GET_SIZE(calls_list()), 3);
    pd_timing_free(&t);
    Py_DECREF(fn);
}

static void test_gc_is_off_while_timing(void **state)
{
    pd_measure_opts o = opts_with(0.002, 3);
    PyObject *fn = spinner(1e-3), *gc = PyImport_ImportModule("gc"), *on;
    pd_timing t;
    Py_ssize_t n;
    (void)state;

    clear_calls();
    assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 1e-3, &t), 0);
    n = PyList_GET_SIZE(calls_list());
    /* The last calls are the samples: each saw the GC off. */
    for (Py_ssize_t i = n - (Py_ssize_t)(t.loops * 3); i < n; i++)
        assert_true(PyList_GET_ITEM(calls_list(), i) == Py_False);
    /* And it is on again afterwards. */
    on = PyObject_CallMethod(gc, "isenabled", NULL);
    assert_true(on == Py_True);
    Py_DECREF(on);
    Py_DECREF(gc);
    pd_timing_free(&t);
    Py_DECREF(fn);
}

static void test_mutating_callable_gets_fresh_copies(void **state)
{
    pd_measure_opts o = opts_with(0.001, 3);
    PyObject *fn = PyDict_GetItemString(ns, "appender"), *input = PyList_New(0);
    pd_timing t;
    (void)state;

    clear_calls();
    assert_int_equal(pd_measure_calls(fn, input, 1, &o, 1e-6, &t), 0);
    /* Every call saw an empty list: a copy, never the shared input. */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(calls_list()); i++)
        assert_int_equal(PyLong_AsLong(PyList_GET_ITEM(calls_list(), i)), 0);
    assert_int_equal(PyList_GET_SIZE(input), 0);
    pd_timing_free(&t);
    Py_DECREF(input);
}

/* The check that a variant left its shared input as it found it: every
 * kind of change seen, equal data printed alike. */
static void test_fingerprint_sees_every_change(void **state)
{
    PyObject *fn = PyDict_GetItemString(ns, "fingerprint_misses");
    PyObject *missed = PyObject_CallNoArgs(fn), *text;
    (void)state;
    if (missed == NULL) PyErr_Print();
    assert_non_null(missed);
    text = PyObject_Str(missed);
    if (PyList_GET_SIZE(missed) != 0) fail_msg("missed: %s", PyUnicode_AsUTF8(text));
    Py_DECREF(text);
    Py_DECREF(missed);
}

/* A call that raises fails the measurement with its own exception, whether
 * it raises in calibration (GC on) or only in the samples (GC off), and the
 * GC is back on: the worker's next variant must not run without it. */
static void test_exception_is_reported(void **state)
{
    pd_measure_opts o = opts_with(0.001, 3);
    const char *names[] = {"boom", "boom_when_gc_off"};
    pd_timing t;
    (void)state;

    for (int i = 0; i < 2; i++) {
        PyObject *fn = PyDict_GetItemString(ns, names[i]);
        assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 1e-6, &t), -1);
        assert_true(PyErr_ExceptionMatches(PyExc_ValueError));
        PyErr_Clear();
        assert_int_equal(PyGC_IsEnabled(), 1);
        pd_timing_free(&t);
    }
}

/* Freeing a result is part of a call's cost in timeit and in the plain
 * loop; a variant that mutates its input must not be spared it. */
static void test_freeing_the_result_is_timed(void **state)
{
    pd_measure_opts o = opts_with(0.005, 3);
    PyObject *fn = PyDict_GetItemString(ns, "returns_slow_to_free"), *input = PyList_New(0);
    pd_timing t;
    (void)state;

    for (int mutates = 0; mutates <= 1; mutates++) {
        assert_int_equal(pd_measure_calls(fn, input, mutates, &o, 1e-6, &t), 0);
        for (int i = 0; i < t.nsamples; i++)
            assert_true(t.samples[i] >= 0.002);
        pd_timing_free(&t);
    }
    Py_DECREF(input);
}

/* A figure per call, in seconds: a sample holds many calls of an empty
 * function, so seconds per sample (at least min_sample_s) or nanoseconds
 * (tens) would be orders of magnitude off. */
static void test_harness_overhead_is_per_call_in_seconds(void **state)
{
    pd_measure_opts o = opts_with(0.01, 3);
    double s = pd_harness_overhead_s(&o);
    (void)state;

    assert_true(isfinite(s) && s > 0);
    assert_true(s < o.min_sample_s / 100);
}

static void test_samples_for(void **state)
{
    pd_measure_opts o = pd_measure_defaults();
    (void)state;

    o.samples = 7;
    assert_int_equal(pd_samples_for(&o, 1e-6), 7);
    assert_int_equal(pd_samples_for(&o, PD_SLOW_CALL_S), 7);
    assert_int_equal(pd_samples_for(&o, PD_SLOW_CALL_S * 1.01), 3);
    assert_int_equal(pd_samples_for(&o, 3600), 3);
    /* A variant a claim needs keeps all its samples for longer calls. */
    assert_true(PD_SLOW_CLAIMED_CALL_S > PD_SLOW_CALL_S);
    assert_int_equal(pd_claimed_samples_for(&o, PD_SLOW_CALL_S * 1.01), 7);
    assert_int_equal(pd_claimed_samples_for(&o, PD_SLOW_CLAIMED_CALL_S), 7);
    assert_int_equal(pd_claimed_samples_for(&o, PD_SLOW_CLAIMED_CALL_S * 1.01), 3);
    /* ...and more of short calls, so that one disturbed round cannot
     * decide a claim's interval. */
    assert_int_equal(pd_claimed_samples_for(&o, PD_SLOW_CALL_S), 13);
    assert_int_equal(pd_claimed_samples_for(&o, 1e-6), 13);
    /* "Fewer for slow calls": never more than asked for. */
    o.samples = 2;
    assert_int_equal(pd_samples_for(&o, 3600), 2);
    assert_int_equal(pd_samples_for(&o, 1e-6), 2);
    assert_int_equal(pd_claimed_samples_for(&o, 1e-6), 2);
}

static void test_samples_for_decides_the_sample_count(void **state)
{
    pd_measure_opts o = pd_measure_defaults();
    PyObject *fn = spinner(0);
    pd_timing t;
    (void)state;

    /* The first call's time decides, not the call's real cost: a fast call
     * reported slow is sampled as a slow one. */
    o.samples = 6;
    o.min_sample_s = 0.001;
    assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 1e-6, &t), 0);
    assert_int_equal(t.nsamples, 6);
    pd_timing_free(&t);
    assert_int_equal(pd_measure_calls(fn, Py_None, 0, &o, 1.0, &t), 0);
    assert_int_equal(t.nsamples, 3);
    assert_int_equal(t.loops, 1);
    pd_timing_free(&t);
    Py_DECREF(fn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibrates_a_fast_call),
        cmocka_unit_test(test_slow_call_is_not_calibrated),
        cmocka_unit_test(test_gc_is_off_while_timing),
        cmocka_unit_test(test_mutating_callable_gets_fresh_copies),
        cmocka_unit_test(test_fingerprint_sees_every_change),
        cmocka_unit_test(test_exception_is_reported),
        cmocka_unit_test(test_freeing_the_result_is_timed),
        cmocka_unit_test(test_harness_overhead_is_per_call_in_seconds),
        cmocka_unit_test(test_samples_for),
        cmocka_unit_test(test_samples_for_decides_the_sample_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
