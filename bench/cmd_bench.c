/* pdlab bench: figures about the lab itself.
 *
 *   1. the clock: advertised resolution and the smallest step it shows
 *   2. the harness's cost per timed call, next to timeit's
 *   3. the same callables timed by pdlab's harness and by timeit, in turns
 *   4. HDF5 -> NumPy/pandas load throughput, next to h5py and read_hdf
 *   5. where the newest full run's time went
 *
 * The comparisons run in one process on the same data, so the ratios hold
 * even when the absolute figures move with the machine. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/cli.h"
#include "pdlab/dataset.h"
#include "pdlab/embed.h"
#include "pdlab/fileio.h"
#include "pdlab/loader.h"
#include "pdlab/measure.h"
#include "pdlab/results.h"
#include "pdlab/stats.h"
#include "pdlab/table.h"
#include "pdlab/timer.h"

#define REPEAT 5
#define BENCH_ROWS 10000000ULL
/* Against timeit, the time timeit's own 7 samples of 0.2 s take, cut into
 * 35 of 0.04 s a side: on a shared machine, back-to-back 7-sample medians of
 * timeit alone differed by up to 19%; taking turns this often, a burst of
 * load lands on both sides instead of on a few samples of one. */
#define AGREE_SAMPLES 35
#define AGREE_SAMPLE_S 0.04

/* Helpers in Python for the other side of each comparison. */
static const char bench_py[] =
    "import statistics, timeit, h5py, pandas as pd\n"
    "def empty(x):\n"
    "    pass\n"
    "def timeit_call_ns(number):\n"
    "    t = timeit.Timer('f(x)', globals={'f': empty, 'x': None})\n"
    "    return statistics.median(t.repeat(5, number)) / number * 1e9\n"
    "def timeit_pass_ns(number):\n"
    "    t = timeit.Timer('pass')\n"
    "    return statistics.median(t.repeat(5, number)) / number * 1e9\n"
    "def h5py_fresh(path, name):\n"
    "    with h5py.File(path, 'r') as f:\n"
    "        return f[name][...]\n"
    "def h5py_direct(path, name, buf):\n"
    "    with h5py.File(path, 'r') as f:\n"
    "        f[name].read_direct(buf)\n"
    "def write_pytables(frame, path):\n"
    "    frame.to_hdf(path, key='column', mode='w')\n"
    "def read_hdf(path):\n"
    "    return pd.read_hdf(path, 'column')\n"
    "import numpy as np\n"
    "data = list(range(10_000))[::-1]\n"
    "arr = np.random.default_rng(0).random(100_000)\n"
    "frame = pd.DataFrame({'a': arr, 'b': arr * 2})\n"
    "words = ['alpha', 'beta', 'gamma'] * 1_000\n"
    "STATEMENTS = ['sum(data)', 'sorted(data)', '[x * 2 for x in data]',\n"
    "              'arr.sum()', \"frame['a'] + frame['b']\", \"' '.join(words)\",\n"
    "              '{w: len(w) for w in words}']\n"
    "def as_function(stmt):\n"
    "    return eval('lambda _: ' + stmt)\n"
    "def timeit_timer(fn):\n"
    "    return timeit.Timer('f(x)', globals={'f': fn, 'x': None})\n";

/* Median seconds of REPEAT calls of fn(*args). -1 with an exception. */
static int time_python(PyObject *fn, PyObject *args, double *median)
{
    double t[REPEAT];
    for (int i = 0; i < REPEAT; i++) {
        uint64_t t0 = pd_now_ns();
        PyObject *r = PyObject_CallObject(fn, args);
        t[i] = pd_ns_to_s(pd_now_ns() - t0);
        if (r == NULL) return -1;
        Py_DECREF(r);
    }
    *median = pd_percentile(t, REPEAT, 50);
    return 0;
}


static double py_double(PyObject *ns, const char *fn, const char *fmt, long arg)
{
    PyObject *f = PyDict_GetItemString(ns, fn);
    PyObject *r = f ? PyObject_CallFunction(f, fmt, arg) : NULL;
    double v = r ? PyFloat_AsDouble(r) : -1;
    Py_XDECREF(r);
    PyErr_Clear();
    return v;
}

static void bench_clock(void)
{
    printf("clock (CLOCK_MONOTONIC)\n");
    printf("  advertised resolution   %8llu ns\n", (unsigned long long)pd_clock_resolution_ns());
    printf("  smallest observed step  %8llu ns\n\n", (unsigned long long)pd_clock_step_ns());
}

static void bench_overhead(PyObject *ns, const pd_measure_opts *o)
{
    double harness = pd_harness_overhead_s(o) * 1e9;
    double tcall = py_double(ns, "timeit_call_ns", "l", 2000000);
    double tpass = py_double(ns, "timeit_pass_ns", "l", 2000000);
    printf("cost of one timed call of an empty Python function\n");
    printf("  pdlab harness, as variants are timed (median)  %6.1f ns\n", harness);
    printf("  timeit 'f(x)' (median of 5)                    %6.1f ns\n", tcall);
    printf("  timeit 'pass', its empty loop (median of 5)    %6.1f ns\n", tpass);
    printf("  harness / timeit 'f(x)'                        %6.2f\n\n", harness / tcall);
}

/* Seconds per call over one sample of `loops` calls through timeit. */
static int timeit_sample(PyObject *timer, uint64_t loops, double *per_call)
{
    PyObject *r = PyObject_CallMethod(timer, "timeit", "K", (unsigned long long)loops);
    if (r == NULL) return -1;
    *per_call = PyFloat_AsDouble(r) / (double)loops;
    Py_DECREF(r);
    return 0;
}

/* Seconds per call over one sample of `loops` calls through pdlab's
 * harness, the loop a variant's samples run. */
static int pdlab_sample(PyObject *fn, uint64_t loops, double *per_call)
{
    double s;
    if (pd_time_calls(fn, Py_None, 0, loops, &s) < 0) return -1;
    *per_call = s / (double)loops;
    return 0;
}

/* n samples of fn(None) from each harness. Both time the same function
 * object on the same data, the same number of calls per sample, with the GC
 * collected once and off for both; the pairs alternate their order (AB BA
 * AB ...), so that the machine drifting lands on both sides alike instead of
 * on whichever ran second. -1 with a Python exception pending. */
static int agree_samples(PyObject *fn, PyObject *timer, double min_sample_s, int n,
                         double *mine, double *theirs)
{
    uint64_t loops;
    int was_enabled, rc = 0;

    if (pd_calibrate(fn, Py_None, 0, min_sample_s, 0, &loops) < 0 ||
        pd_gc_pause(&was_enabled) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        int timeit_first = i % 2;
        if ((timeit_first && timeit_sample(timer, loops, &theirs[i]) < 0) ||
            pdlab_sample(fn, loops, &mine[i]) < 0 ||
            (!timeit_first && timeit_sample(timer, loops, &theirs[i]) < 0)) {
            rc = -1;
            break;
        }
    }
    return pd_gc_resume(was_enabled) < 0 ? -1 : rc;
}

static void print_agreement(const char *stmt, const double *mine, const double *theirs)
{
    double m = pd_percentile(mine, AGREE_SAMPLES, 50);
    double t = pd_percentile(theirs, AGREE_SAMPLES, 50), lo, hi;
    char a[32], b[32];

    pd_bootstrap_ratio(mine, AGREE_SAMPLES, theirs, AGREE_SAMPLES, 2000, 0.95, &lo, &hi);
    printf("  %-30s %10s %10s  %5.3f  %5.3f-%5.3f\n", stmt, pd_fmt_seconds(m, a, sizeof a),
           pd_fmt_seconds(t, b, sizeof b), m / t, lo, hi);
}

/* The same statements timed by pdlab's harness and by timeit in one
 * process: the two should agree within a few percent. */
static int bench_agreement(PyObject *ns, pd_err *e)
{
    PyObject *stmts = PyDict_GetItemString(ns, "STATEMENTS"); /* borrowed */
    PyObject *as_fn = PyDict_GetItemString(ns, "as_function");
    PyObject *make_timer = PyDict_GetItemString(ns, "timeit_timer");
    double mine[AGREE_SAMPLES], theirs[AGREE_SAMPLES];

    printf("pdlab against timeit on the same callables (medians per call)\n");
    printf("  %-30s %10s %10s  %5s  %s\n", "statement", "pdlab", "timeit", "ratio",
           "95% interval");
    for (Py_ssize_t i = 0; stmts && i < PyList_Size(stmts); i++) {
        PyObject *stmt = PyList_GET_ITEM(stmts, i);
        PyObject *fn = PyObject_CallOneArg(as_fn, stmt);
        PyObject *timer = fn ? PyObject_CallOneArg(make_timer, fn) : NULL;
        int rc = timer ? agree_samples(fn, timer, AGREE_SAMPLE_S, AGREE_SAMPLES,
                                       mine, theirs) : -1;
        Py_XDECREF(timer);
        Py_XDECREF(fn);
        if (rc < 0) return pd_python_error(e, "timing '%s'", PyUnicode_AsUTF8(stmt));
        print_agreement(PyUnicode_AsUTF8(stmt), mine, theirs);
    }
    printf("  (%d samples each of the same calls, at least %.2f s a sample, taking turns;\n"
           "   ratio pdlab/timeit, the interval by bootstrap)\n\n",
           AGREE_SAMPLES, AGREE_SAMPLE_S);
    return 0;
}

/* The breakdown of the newest run, if there is one: where a full run's time
 * goes is a figure about the lab too. */
static void bench_last_run(void)
{
    pd_err ignored = {0};
    pd_run run;
    char *root = pd_results_root(), *latest = pd_strdup_printf("%s/latest", root);
    char *path = pd_strdup_printf("%s/results.json", latest);

    if (pd_results_read(path, &run, &ignored) < 0) {
        printf("no full run to break down: `pdlab run` first (%s)\n", latest);
    } else {
        printf("the newest full run (%s):\n", latest);
        pd_table_print_breakdown(stdout, &run);
        pd_run_free(&run);
    }
    free(path);
    free(latest);
    free(root);
}

typedef struct load_row {
    const char *what;
    double seconds;
} load_row;

/* The rows of the load comparison: pdlab's three loads, then h5py's two and
 * pandas.read_hdf. */
typedef struct load_table {
    load_row rows[6];
    int n;
} load_table;

static void print_load_rows(const load_table *lt, double bytes)
{
    char t[32];
    double base = lt->rows[0].seconds;
    for (int i = 0; i < lt->n; i++) {
        const load_row *r = &lt->rows[i];
        printf("  %-44s %10s %8.0f MB/s  %5.2fx pdlab's time\n", r->what,
               pd_fmt_seconds(r->seconds, t, sizeof t), bytes / r->seconds / 1e6,
               r->seconds / base);
    }
}

/* pdlab into a fresh array (what a lesson's load does), into a reused one,
 * and as a whole DataFrame. The last fresh array and DataFrame are left in
 * *buf and *frame (new references, the caller's) for the comparisons that
 * reuse them. */
static int load_with_pdlab(const char *path, load_table *lt, PyObject **buf,
                           PyObject **frame, pd_err *e)
{
    double t[REPEAT];
    pd_load_stats ls;

    for (int i = 0; i < REPEAT; i++) {
        uint64_t t0 = pd_now_ns();
        PyObject *col = pd_load_column(path, "/column/value", NULL, e);
        t[i] = pd_ns_to_s(pd_now_ns() - t0);
        if (col == NULL) return -1;
        Py_XDECREF(*buf);
        *buf = col;
    }
    lt->rows[lt->n++] = (load_row){"pdlab, fresh NumPy array", pd_percentile(t, REPEAT, 50)};
    for (int i = 0; i < REPEAT; i++) {
        uint64_t t0 = pd_now_ns();
        PyObject *col = pd_load_column(path, "/column/value", *buf, e);
        t[i] = pd_ns_to_s(pd_now_ns() - t0);
        if (col == NULL) return -1;
        Py_DECREF(col);
    }
    lt->rows[lt->n++] = (load_row){"pdlab, into a reused array", pd_percentile(t, REPEAT, 50)};
    for (int i = 0; i < REPEAT; i++) {
        Py_XDECREF(*frame);
        *frame = pd_load_frame(path, NULL, &ls, e);
        if (*frame == NULL) return -1;
        t[i] = ls.seconds;
    }
    lt->rows[lt->n++] = (load_row){"pdlab, whole DataFrame", pd_percentile(t, REPEAT, 50)};
    return 0;
}

/* Adds the row `what`: the median time of ns[name](*args), the arguments
 * built from fmt as Py_BuildValue does. */
static int python_row(PyObject *ns, load_table *lt, const char *what, pd_err *e,
                      const char *name, const char *fmt, ...)
{
    load_row *row = &lt->rows[lt->n++];
    PyObject *args;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    args = Py_VaBuildValue(fmt, ap);
    va_end(ap);
    *row = (load_row){what, -1};
    rc = args ? time_python(PyDict_GetItemString(ns, name), args, &row->seconds) : -1;
    Py_XDECREF(args);
    return rc < 0 ? pd_python_error(e, "benchmark comparison '%s'", what) : 0;
}

/* h5py into a fresh and into pdlab's reused array, and pandas.read_hdf. */
static int load_with_python(PyObject *ns, const char *path, const char *cache,
                            PyObject *buf, PyObject *frame, load_table *lt, pd_err *e)
{
    char *tables = pd_strdup_printf("%s/column-%llu.pytables.h5", cache, BENCH_ROWS);
    PyObject *w = NULL;
    int rc = -1;

    if (python_row(ns, lt, "h5py, dataset[...] (fresh array)", e, "h5py_fresh", "(ss)",
                   path, "column/value") < 0 ||
        python_row(ns, lt, "h5py, read_direct (reused array)", e, "h5py_direct", "(ssO)",
                   path, "column/value", buf) < 0)
        goto out;
    /* read_hdf needs PyTables' own layout: a copy written outside timing. */
    w = PyObject_CallFunction(PyDict_GetItemString(ns, "write_pytables"), "Os", frame, tables);
    if (w == NULL) {
        pd_python_error(e, "writing a PyTables copy for pandas.read_hdf");
        goto out;
    }
    rc = python_row(ns, lt, "pandas.read_hdf (PyTables copy), DataFrame", e, "read_hdf",
                    "(s)", tables);
out:
    Py_XDECREF(w);
    remove(tables);
    free(tables);
    return rc;
}

static int bench_load(PyObject *ns, pd_err *e)
{
    const pd_recipe *r = pd_recipe_find("column");
    char cache[4096], path[4096];
    PyObject *buf = NULL, *frame = NULL;
    load_table lt = {0};
    double bytes = (double)BENCH_ROWS * 8;
    int made = 0, rc;

    if (r == NULL) return pd_error(e, "no 'column' recipe to benchmark with");
    if (pd_cache_dir(cache, sizeof cache, e) < 0 ||
        pd_dataset_path(cache, r->name, BENCH_ROWS, path, sizeof path, e) < 0)
        return -1;
    printf("loading a %llu-row float64 column (%.0f MB) from %s\n",
           (unsigned long long)BENCH_ROWS, bytes / 1e6, path);
    if (pd_dataset_ensure(r, BENCH_ROWS, path, &made, e) < 0) return -1;
    rc = load_with_pdlab(path, &lt, &buf, &frame, e);
    if (rc == 0) rc = load_with_python(ns, path, cache, buf, frame, &lt, e);
    if (rc == 0) {
        print_load_rows(&lt, bytes);
        printf("  (median of %d; the file is in the page cache after the first read)\n",
               REPEAT);
    }
    Py_XDECREF(frame);
    Py_XDECREF(buf);
    return rc;
}

int pd_bench_main(int argc, char **argv)
{
    pd_err e = {0};
    PyObject *ns = NULL, *r = NULL;
    pd_measure_opts opts = pd_measure_defaults();
    int rc = PD_EXIT_FAILED;
    (void)argc;
    (void)argv;

    if (pd_python_start(&e) < 0) goto out;
    ns = PyDict_New();
    if (ns == NULL || PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins()) < 0 ||
        (r = PyRun_String(bench_py, Py_file_input, ns, ns)) == NULL) {
        pd_python_error(&e, "cannot set up the benchmark (h5py and PyTables come from "
                        "`apt-get install python3-h5py python3-tables`)");
        goto out;
    }
    printf("pdlab %s bench: Python %s\n\n", PDLAB_VERSION, Py_GetVersion());
    bench_clock();
    bench_overhead(ns, &opts);
    if (bench_agreement(ns, &e) < 0) goto out;
    if (bench_load(ns, &e) < 0) goto out;
    printf("\n");
    bench_last_run();
    rc = PD_EXIT_OK;
out:
    if (rc != PD_EXIT_OK) fprintf(stderr, "pdlab bench: %s\n", e.msg);
    Py_XDECREF(r);
    Py_XDECREF(ns);
    pd_python_stop();
    return rc;
}
