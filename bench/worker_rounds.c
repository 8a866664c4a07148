/* The samples of a size's variants, taken in interleaved rounds: one
 * sample of each variant per round, every other round in reverse order.
 *
 * Why: a shared 2-core machine drifts. Measured here, the same pure-Python
 * loop took 18 ms in one second and 32 ms a few seconds later. Timing each
 * variant's samples one after another puts that drift between variants,
 * where it reads as a speedup that is not there (or hides one that is);
 * in rounds, a slow second slows every variant alike and ratios hold.
 * Reversing every other round keeps any variant from always following the
 * same one. (Kalibera and Jones make the same case for interleaving in
 * "Rigorous Benchmarking in Reasonable Time".) */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "pdlab/measure.h"
#include "pdlab/timer.h"
#include "worker_int.h"

/* One sample of t: its calls timed, then what they may have left running
 * checked against `running`, what ran when the rounds began. A call that
 * raised or left something running ends t's samples (done, res says
 * why). 0, or -1 with an exception when the harness failed. */
static int take_sample(worker *w, worker_timed *t, int k, PyObject *running)
{
    uint64_t t0 = pd_now_ns(), took;
    PyObject *input = worker_input_for(w, t->v.part); /* borrowed */
    double seconds;
    int left;

    worker_emit_start(w, t->v.name);
    if (input == NULL) return -1;
    if (pd_time_calls(t->v.fn, input, t->v.mutates, t->loops, &seconds) == 0) {
        t->samples[k] = seconds / (double)t->loops;
    } else {
        worker_record_failure(t->res);
        t->done = 1;
    }
    if (worker_return_home(w) < 0 || (left = worker_check_leftovers(running, t->res)) < 0)
        return -1;
    if (left) {
        t->done = 1;
        t->left_threads = left == WORKER_LEFT_THREADS;
    }
    took = pd_now_ns() - t0;
    t->sampling_s += pd_ns_to_s(took);
    t->spent_ns += took;
    return 0;
}

static int most_samples(const worker_timed *t, size_t n)
{
    int most = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].nsamples > most) most = t[i].nsamples;
    return most;
}

static int rounds(worker *w, worker_timed *t, size_t n, PyObject *running)
{
    int most = most_samples(t, n);
    for (int k = 0; k < most; k++)
        for (size_t j = 0; j < n; j++) {
            worker_timed *x = &t[k % 2 ? n - 1 - j : j];
            if (x->done || k >= x->nsamples) continue;
            if (take_sample(w, x, k, running) < 0) return -1;
            /* A thread left running would run on into every later sample:
             * the worker ends, and a fresh one measures the others. */
            if (x->left_threads) return 0;
        }
    return 0;
}

/* t measured again on its own, on the reloaded input: the samples taken in
 * rounds ran on an input some variant had changed. Whether t is the one
 * that changes it is checked after its calls. 0, or -1 with an exception
 * when the harness failed. */
static int measure_alone(worker *w, worker_timed *t)
{
    double first_s = json_real_value(json_object_get(t->res, "first_call_s"));
    PyObject *input = worker_input_for(w, t->v.part); /* borrowed */
    uint64_t t0 = pd_now_ns();
    pd_timing tm;
    int changed;

    if (input == NULL) return -1;
    if (pd_measure_calls(t->v.fn, input, t->v.mutates, &w->opts, first_s, &tm) < 0) {
        worker_record_failure(t->res);
        t->done = 1;
    } else {
        free(t->samples);
        t->rounds_id = 0;
        t->samples = tm.samples;
        t->nsamples = tm.nsamples;
        t->loops = tm.loops;
        t->sampling_s = tm.sampling_s;
        tm.samples = NULL;
    }
    pd_timing_free(&tm);
    t->spent_ns += pd_now_ns() - t0;
    if ((changed = worker_input_changed(w, t->v.part)) < 0) return -1;
    if (changed && !t->done) {
        worker_record_changed_input(t->res);
        t->done = 1;
    }
    return 0;
}

/* Whether a timed call changed a shared input (a variant that changes it
 * on its first or calibration calls was caught then): if one did, the variants sharing
 * that input are measured again one at a time, so that the one that
 * changes it is found and the others are timed on the data as it was. */
/* Whether an earlier variant than t[i] shares its input: 1 yes, 0 no, -1
 * with an exception. */
static int input_seen(const worker_timed *t, size_t i)
{
    for (size_t j = 0; j < i; j++) {
        int same;
        if (t[j].done || t[j].v.mutates) continue;
        if ((same = PyObject_RichCompareBool(t[j].v.part, t[i].v.part, Py_EQ)) != 0)
            return same;
    }
    return 0;
}

static int check_inputs(worker *w, worker_timed *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int changed, seen;
        if (t[i].done || t[i].v.mutates) continue;
        /* One fingerprint per input: on a million rows each costs about a
         * tenth of a second. */
        if ((seen = input_seen(t, i)) != 0) {
            if (seen < 0) return -1;
            continue;
        }
        if ((changed = worker_input_changed(w, t[i].v.part)) < 0) return -1;
        if (!changed) continue;
        for (size_t j = 0; j < n; j++) {
            int same = PyObject_RichCompareBool(t[j].v.part, t[i].v.part, Py_EQ);
            if (same < 0) return -1;
            if (same && !t[j].done && !t[j].v.mutates && measure_alone(w, &t[j]) < 0)
                return -1;
        }
    }
    return 0;
}

int worker_take_rounds(worker *w, worker_timed *t, size_t n)
{
    PyObject *running;
    int was_enabled, rc;

    if (n == 0) return 0;
    if ((running = worker_running_now()) == NULL) return -1;
    /* The GC off for all the rounds, as timeit does for its samples. */
    if (pd_gc_pause(&was_enabled) < 0) {
        Py_DECREF(running);
        return -1;
    }
    /* Unique within a run: no two workers share a pid while it lasts. */
    w->rounds_taken++;
    for (size_t i = 0; i < n; i++)
        t[i].rounds_id = ((uint64_t)getpid() << 16) | (w->rounds_taken & 0xffff);
    rc = rounds(w, t, n, running);
    Py_DECREF(running);
    if (pd_gc_resume(was_enabled) < 0) rc = -1;
    for (size_t i = 0; i < n; i++)
        if (t[i].left_threads) return rc;
    return rc < 0 ? -1 : check_inputs(w, t, n);
}
