#ifndef PDLAB_MEASURE_H
#define PDLAB_MEASURE_H
/* Timing one Python callable, the way timeit would sign off on: calls per
 * sample calibrated so that a sample lasts at least min_sample_s (the clock's
 * resolution and the call's own cost are then far under 1% of it), the
 * calibration calls as warm-up, several samples with the cyclic GC off, and a
 * fresh copy of the input per call for a callable that mutates it, made
 * outside the clock. Requires a started interpreter. */

#include <Python.h>
#include <stdint.h>

typedef struct pd_measure_opts {
    double timeout_s;      /* per variant, wall clock */
    uint64_t mem_limit;    /* address-space limit of a worker, bytes */
    double min_sample_s;   /* calibrate calls per sample to reach this */
    int samples;           /* samples per variant (fewer for slow calls) */
} pd_measure_opts;

/* Default measurement options (documented in `pdlab run --help`). */
pd_measure_opts pd_measure_defaults(void);

/* Calls longer than this get the minimum for a median and a spread: three
 * samples, each one call. */
#define PD_SLOW_CALL_S 0.25

/* Samples for a variant whose call takes call_s: o->samples, or for a slow
 * call at most three. The one place this rule lives, so that what a run
 * predicts and what it measures agree. */
int pd_samples_for(const pd_measure_opts *o, double call_s);

/* A variant a claim needs gets o->samples up to calls of this length: a
 * claim's interval from three samples is as wide as one stray sample
 * makes it (a process pool's 1.7x read as 0.99x to 2.0x). */
#define PD_SLOW_CLAIMED_CALL_S 1.0

/* Samples for a variant a claim needs, whose call takes call_s: up to
 * PD_SLOW_CALL_S, 2 * o->samples - 1 (nine for the default five). With
 * five rounds, one in which a neighbour took the second core sets the
 * bound of a claim's interval alone: sort_threads' 2.0x read 0.84x-2.1x
 * for one round at 0.84x. With nine it takes three such rounds, and these
 * calls are short. */
int pd_claimed_samples_for(const pd_measure_opts *o, double call_s);

typedef struct pd_timing {
    uint64_t loops;        /* calls per sample */
    int nsamples;
    double *samples;       /* seconds per call; owned, free with pd_timing_free */
    double calibration_s;  /* time spent finding `loops` */
    double sampling_s;     /* time spent in the samples */
} pd_timing;

/* What one call gets (an input that is a tuple too): a fresh copy of input (pdlab.fresh) when the callable
 * mutates it, else input itself. New reference, NULL with an exception. */
PyObject *pd_call_argument(PyObject *input, int mutates);

/* Measures fn(input). first_call_s is the time of a call already made (it
 * decides whether calibration is needed). -1 with a Python exception pending
 * when a call raised. */
int pd_measure_calls(PyObject *fn, PyObject *input, int mutates,
                     const pd_measure_opts *o, double first_call_s, pd_timing *t);

void pd_timing_free(pd_timing *t);

/* The steps of pd_measure_calls, for a harness that interleaves its samples
 * with another's (`pdlab bench` against timeit) and must still take each one
 * exactly as a variant's is taken. */

/* Calls per sample so that one lasts at least min_sample_s: the clock's
 * resolution and the harness's own cost then vanish in it. The calibration
 * calls are the warm-up. -1 with a Python exception pending. */
int pd_calibrate(PyObject *fn, PyObject *input, int mutates, double min_sample_s,
                 double first_call_s, uint64_t *loops);

/* Seconds that `loops` calls of fn(input) take, each call's result freed
 * inside the clock; with `mutates`, each call gets a fresh copy made and
 * freed outside it. -1 with a Python exception pending. */
int pd_time_calls(PyObject *fn, PyObject *input, int mutates, uint64_t loops,
                  double *seconds);

/* Collects, then switches the cyclic GC off, as timeit does: a collection
 * landing in one sample is noise, not the variant. pd_gc_resume puts it back
 * as it was, keeping a pending exception as the error. Both return -1 with a
 * Python exception pending. */
int pd_gc_pause(int *was_enabled);
int pd_gc_resume(int was_enabled);

/* The harness's own cost per timed call: the median seconds per call of an
 * empty Python function measured exactly as variants are. NAN on failure. */
double pd_harness_overhead_s(const pd_measure_opts *o);

#endif
