#ifndef PDLAB_WORKER_INT_H
#define PDLAB_WORKER_INT_H
/* What the worker's files share (bench/worker.c runs a size's variants
 * and speaks the protocol; bench/worker_rounds.c takes their samples in
 * interleaved rounds; bench/worker_calls.c makes the calls and checks
 * behind each one). Not part of pdlab's contract. Functions
 * returning a PyObject * give a new reference unless they say borrowed;
 * -1 or NULL means a Python exception is pending unless they say
 * otherwise. */

#include <Python.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "pdlab/error.h"
#include "pdlab/loader.h"
#include "pdlab/measure.h"

typedef struct worker {
    FILE *proto;          /* events to the parent */
    PyObject *lesson;     /* owned: the pdlab.Lesson */
    PyObject *frame;      /* owned: the loaded DataFrame, None when the
                             lesson reads only its CSV (csv_only) */
    PyObject *inputs;     /* owned dict: part -> prepared input */
    PyObject *refs;       /* owned dict: part -> reference variant's result */
    PyObject *prints;     /* owned dict: part -> fingerprint of its input */
    uint64_t n;
    pd_measure_opts opts;
    int profile;          /* profile the lesson's profile variant here */
    const char *data_path; /* the dataset, reloaded if a variant changed it */
    uint64_t born_ns;      /* when the process started, for start-up cost */
    int memory_focus;      /* the lesson is about memory */
    int peak_only;         /* measure each variant's peak, nothing else */
    char **failed;         /* variants that took an earlier worker of this
                              size down (argv, not owned): never rerun, not
                              even as a reference */
    int nfailed;
    const char **claimed;  /* variants a claim needs at this size: more
                              samples; owned array, strings not owned */
    size_t nclaimed;
    int home_fd;           /* its scratch directory, open: each variant
                              starts there, whatever the one before chdir'd to */
    uint64_t rounds_taken; /* batches of rounds so far, for their ids */
} worker;

/* A variant as the worker needs it: owned references, released by
 * worker_variant_release. */
typedef struct worker_variant {
    const char *name;
    PyObject *fn, *part;  /* owned */
    int mutates;
    int lasting;          /* what its first call starts serves later calls */
    char *ref_name;       /* its part's reference; owned */
    int is_ref;
} worker_variant;

void worker_variant_release(worker_variant *v);

/* A variant checked and calibrated, waiting for its samples: they are
 * taken in rounds with the other variants' (bench/worker_rounds.c), and
 * its result event is sent when they are done. */
typedef struct worker_timed {
    worker_variant v;
    json_t *res;          /* its result event, owned */
    uint64_t loops;       /* calls per sample */
    int nsamples;         /* samples it is to get */
    double *samples;      /* seconds per call; owned */
    double sampling_s;    /* time its samples took, harness included */
    uint64_t spent_ns;    /* its own share of the worker's time */
    uint64_t rounds_id;   /* the batch of rounds its samples were taken
                             in, shared with the others of it; 0 when taken
                             on its own */
    int done;             /* res is final (a timed call failed) */
    int left_threads;     /* a sample left a thread: the worker must end */
} worker_timed;

void worker_timed_release(worker_timed *t);

/* Back to the worker's scratch directory, whatever the variant chdir'd
 * to. 0, or -1 with an OSError set. */
int worker_return_home(worker *w);

/* Writes one event line and flushes it. Steals the reference to ev. */
void worker_emit(worker *w, json_t *ev);

/* The "start" event of a step of variant `name`: a crash or hang until
 * the next one is blamed on it. */
void worker_emit_start(worker *w, const char *name);

/* Takes the samples of t[0..n) in rounds, one sample of each variant per
 * round, so that a machine that slows down or speeds up for a few seconds
 * slows every variant alike instead of the one that happened to be
 * running. A sample that raises or leaves something running ends that
 * variant's samples (done, res says why). Then checks that the timed calls
 * left each shared input as it was; where one changed, the
 * variants of that input are measured again one at a time to find the
 * culprit. 0, or -1 with an exception when the harness itself failed. */
int worker_take_rounds(worker *w, worker_timed *t, size_t n);

/* A call longer than this gets no tracemalloc run unless the lesson is
 * about memory: tracemalloc slows code that makes an object per row ten
 * to twenty times over, and these runs were a sixth of a default run
 * (measured) for a figure no claim uses. */
#define PD_PY_PEAK_MAX_CALL_S 0.02
/* ... and in a lesson about memory, not past this either: a longer call
 * pays that slowdown for a figure its fresh process peak already gives. */
#define PD_PY_PEAK_MEMORY_MAX_CALL_S 0.1

/* The pending exception as "Type: message\ntraceback"; sets *is_memory
 * when it is a MemoryError. Newly allocated. */
char *worker_take_exception(int *is_memory);
/* Records the pending exception on res as the variant's failure. */
void worker_record_failure(json_t *res);

/* The dataset as the lesson's preparers receive it (new reference): the
 * loaded DataFrame, or None for a lesson that reads only its CSV
 * (csv_only=True), whose workers then hold nothing of the dataset. *ls is
 * all zero then. NULL with *e set when the load fails. */
PyObject *worker_load_frame(worker *w, pd_load_stats *ls, pd_err *e);
/* The prepared input of a part (borrowed), made on first use. */
PyObject *worker_input_for(worker *w, PyObject *part);
/* 1 when a variant changed its shared input (the data is then reloaded),
 * 0 when not, -1 on error. */
int worker_input_changed(worker *w, PyObject *part);
void worker_record_changed_input(json_t *res);

/* The first call, timed alone, its resident peak and warnings into res;
 * its result (new reference) for the check. */
PyObject *worker_first_call(PyObject *fn, PyObject *input, int mutates, json_t *res);
/* The Python-heap peak of one more call into res. */
int worker_python_peak(PyObject *fn, PyObject *input, int mutates, json_t *res);
/* The part's reference result (borrowed); NULL, no exception, when the
 * reference failed or took an earlier worker down. */
PyObject *worker_reference_for(worker *w, PyObject *part, const char *ref_name,
                               PyObject *input);
/* Runs the variant on the lesson's edge cases: 1 right on all, 0 wrong on
 * one (res says which and how), -1 error. */
int worker_check_cases(worker *w, const char *name, json_t *res);
/* Compares with the reference, at the lesson's tolerance, into res: 1
 * same, 0 different, -1 error. */
int worker_verify(worker *w, PyObject *result, PyObject *reference, json_t *res);
/* The lesson's statistics and curves of a correct result into res. */
int worker_figures(worker *w, const char *name, PyObject *result, json_t *res);
/* Keeps a copy of result, detached from the input, as the part's
 * reference. 0, or -1 with an exception. */
int worker_keep_reference(worker *w, PyObject *part, PyObject *result);
/* The lesson's observation of a result into res. */
int worker_observe(worker *w, PyObject *result, json_t *res);
/* Whether to profile this variant, and the profile into res. */
int worker_wants_profile(worker *w, const char *name, double first_call_s);
int worker_profile_variant(PyObject *fn, PyObject *input, int mutates, json_t *res);

/* What runs now (threads, child processes), for worker_check_leftovers. */
PyObject *worker_running_now(void);
/* Marks res failed ("left_running", naming each leftover) when the variant
 * left threads or child processes running since `before`, and kills the
 * processes. 0 when it left nothing, WORKER_LEFT_PROCESSES when only
 * processes (gone now), WORKER_LEFT_THREADS when a thread (only ending the
 * worker stops it), -1 on error. */
#define WORKER_LEFT_PROCESSES 1
#define WORKER_LEFT_THREADS 2
int worker_check_leftovers(PyObject *before, json_t *res);

#endif
