#ifndef PDLAB_RESULT_H
#define PDLAB_RESULT_H
/* What a run measured, in memory. Every string is owned by the struct that
 * holds it and freed by its *_free function. */

#include <stddef.h>
#include <stdint.h>

#include "pdlab/lesson.h"
#include "pdlab/machine.h"
#include "pdlab/stats.h"

typedef enum pd_status {
    PD_OK,          /* ran, result matched the reference */
    PD_WRONG,       /* ran, result differs from the reference */
    PD_RAISED,      /* the variant raised an exception */
    PD_TIMEOUT,     /* killed after the per-variant time limit */
    PD_CRASHED,     /* the worker died (signal or exit) during the variant */
    PD_NO_MEMORY,   /* MemoryError under the worker's memory limit */
    PD_NOT_RUN,     /* not measured at this size: pd_skip says why */
    PD_LEFT_RUNNING, /* it ended with threads or child processes of its own
                        still running: failed, whatever it returned */
} pd_status;

/* Why a variant was not run at a size. */
typedef enum pd_skip {
    PD_SKIP_NONE,       /* it ran (or is to run) */
    PD_SKIP_MAX_N,      /* above the max_n its lesson gave it */
    PD_SKIP_BUDGET,     /* its predicted cost was over the run's budget */
    PD_SKIP_FAILED,     /* it timed out, crashed or ran out of memory at a
                           smaller size */
    PD_SKIP_LESSON,     /* the lesson stopped before reaching it */
    PD_SKIP_ROWS,       /* the size is over the rows of the dataset (one the
                           user imported): nothing to measure there */
    PD_SKIP_INTERRUPTED, /* a signal (^C, SIGTERM) stopped the run first */
} pd_skip;

/* Why, in words ("over max_n", "over budget", ...), static. */
const char *pd_skip_word(pd_skip s);
int pd_skip_parse(const char *word, pd_skip *out);

/* Short word for a status ("ok", "wrong", ...). */
const char *pd_status_word(pd_status s);
/* Parses a word back; returns -1 when unknown. */
int pd_status_parse(const char *word, pd_status *out);
/* The same as a learner reads it ("raised an exception", "out of memory"),
 * in every view. Static. */
const char *pd_status_phrase(pd_status s);

/* A number the lesson computes from a variant's result (a false-positive
 * rate): lessons/README.md, "Statistics, curves and answer groups". */
typedef struct pd_statistic {
    char *name;
    double value;
    uint64_t hits, trials; /* a proportion: hits of trials; trials 0 when
                              the statistic is a plain number */
    double lo, hi;         /* a proportion's 95% Wilson interval; NAN
                              otherwise */
} pd_statistic;

/* One line of a curve: y against x. */
typedef struct pd_series {
    char *label;
    double *x, *y;         /* owned, n each */
    size_t n;
} pd_series;

typedef struct pd_mark {
    double x, y;
    char *label;           /* what the point stands for ("spam filter") */
} pd_mark;

/* A curve a lesson asked to be drawn from a variant's result at one size;
 * curves of one title across variants share a chart. */
typedef struct pd_curve {
    char *title, *xlabel, *ylabel;
    int logx, logy;
    pd_series *series;
    size_t nseries;
    pd_mark *marks;
    size_t nmarks;
} pd_curve;

void pd_curve_free(pd_curve *c);

typedef struct pd_variant_result {
    char *name;
    char *kind;
    pd_status status;
    char *mismatch;        /* why the result differs (PD_WRONG), else NULL */
    char *warnings;        /* warnings raised by the first call, "\n"-joined */
    char *error;           /* exception and traceback, or crash story */
    double *samples;       /* seconds per call, one value per sample */
    size_t nsamples;
    uint64_t rounds_id;    /* the samples were taken in interleaved rounds
                              with those of the variants of the same id at
                              this size, sample i of each in round i; 0 when
                              taken on their own */
    uint64_t loops;        /* calls per sample */
    pd_stats stats;        /* over samples; zero when nsamples == 0 */
    double first_call_s;   /* the cold first call, timed alone */
    int64_t peak_bytes;    /* resident memory growth during the first call,
                              above the process's resident set before it */
    int peak_fresh;        /* peak_bytes was measured with the variant alone
                              in a fresh worker (what memory claims use), not
                              in a process earlier variants had shaped */
    int64_t py_peak_bytes; /* tracemalloc peak of one call */
    double speedup;        /* slowest correct median / this median; NAN if
                              not correct or not measured */
    int extrapolated;      /* PD_NOT_RUN here; stats.median comes from the
                              growth fitted over the sizes it ran at */
    int speedup_extrapolated; /* the speedup involves an extrapolated time */
    double speedup_lo, speedup_hi; /* 95% bootstrap interval; NAN if none */
    unsigned unstable;     /* PD_UNSTABLE_* flags of its samples */
    pd_skip skip;          /* PD_NOT_RUN: why */
    double wall_s;         /* all the worker spent on it: checks, profile... */
    double calibration_s;  /* of which finding calls per sample */
    double sampling_s;     /* of which the timed samples */
    char *observation;     /* the lesson's note on this variant's result */
    char *profile;         /* line and function profile of one call */
    pd_statistic *statistics; /* the lesson's statistics of its result */
    size_t nstatistics;
    pd_curve *curves;      /* the curves its result draws at this size */
    size_t ncurves;
} pd_variant_result;

typedef struct pd_size_result {
    uint64_t n;
    double load_s;         /* HDF5 -> DataFrame in the worker */
    uint64_t load_bytes;
    pd_variant_result *variants; /* in the lesson's declaration order */
    size_t nvariants;
    double worker_s;       /* wall time of the worker processes, start-up
                              and load included */
    double startup_s;      /* interpreter, imports and lesson file */
} pd_size_result;

typedef struct pd_growth {
    int has_time, has_memory;
    pd_fit time;           /* median seconds against n */
    pd_fit memory;         /* peak bytes against n */
} pd_growth;

typedef struct pd_lesson_result {
    pd_lesson lesson;      /* the declaration, owned */
    pd_size_result *sizes;
    size_t nsizes;
    pd_growth *growth;     /* one per declared variant */
    char *summary;         /* one sentence built from the numbers */
    char *error;           /* the lesson could not run at all */
    double stolen_s;       /* CPU seconds the hypervisor gave other guests
                              while the lesson ran (pd_cpu_stolen_s); NAN
                              when unknown */
} pd_lesson_result;

typedef struct pd_run {
    char started[32];      /* ISO 8601, UTC */
    double wall_s;
    double dataset_s;      /* making datasets and CSV exports */
    double budget_s;       /* the --budget it ran with; 0: none */
    double claims_s;       /* spent measuring what claims need (their
                              variants at their sizes, fresh-process peaks):
                              the part of the run no budget cuts */
    double clock_step_ns;  /* smallest step the clock showed */
    double call_overhead_ns; /* the harness's cost per timed call */
    double stolen_s;       /* CPU seconds the hypervisor gave other guests
                              during the run; NAN when unknown */
    pd_machine machine;
    pd_lesson_result *lessons;
    size_t nlessons;
    int stopped_by;        /* the signal that stopped the run early, or 0;
                              not in results.json: the interrupted lesson's
                              error and its skipped variants say it there */
} pd_run;

void pd_variant_result_free(pd_variant_result *v);
void pd_size_result_free(pd_size_result *s);
void pd_lesson_result_free(pd_lesson_result *l);
void pd_run_free(pd_run *r);

/* Where a run's time went, in seconds. */
typedef struct pd_breakdown {
    double total;
    double startup;        /* worker processes: interpreter, imports, lesson */
    double datasets;       /* making datasets, exporting CSV */
    double load;           /* HDF5 to DataFrame in the workers */
    double checks;         /* first calls, verification, memory, profiles */
    double calibration;
    double sampling;       /* the timed samples themselves */
    double other;          /* the rest: the parent, process exits, waiting */
} pd_breakdown;

void pd_run_breakdown(const pd_run *r, pd_breakdown *b);

/* Number of bootstrap resamples behind a speedup's interval. */
#define PD_BOOTSTRAP_ROUNDS 2000

/* A measured speedup whose interval holds 1: no measurable difference. */
int pd_speedup_is_noise(const pd_variant_result *v);


/* The statistic `name` of v, or NULL. */
const pd_statistic *pd_variant_statistic(const pd_variant_result *v, const char *name);

/* Fills the growth fits, the extrapolated times of variants not run at a
 * size (from their fit), speedups (against the slowest correct variant at
 * each size, extrapolated ones included and marked) and the summary. */
void pd_lesson_result_derive(pd_lesson_result *l);

#endif
