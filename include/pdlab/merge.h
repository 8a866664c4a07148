#ifndef PDLAB_MERGE_H
#define PDLAB_MERGE_H
/* Runs of the same lessons on several machines, put together (pdlab
 * merge): which run came from which machine, what differs in their
 * software and in their lessons' declarations, and which claims came out
 * differently. Each run is read whole by pd_results_read; everything else
 * here points into those runs.
 *
 * Nothing is mixed silently, as pyperf refuses to mix benchmarks whose
 * metadata differ: a run whose Python, NumPy, pandas (any version field of
 * pd_machine_fields) differs from the first run's, or whose lesson was
 * declared differently, is kept, and marked for every view to show. */

#include <stddef.h>
#include <stdint.h>

#include "pdlab/error.h"
#include "pdlab/result.h"

typedef struct pd_merge_run {
    char *source;          /* as given: a run's directory or a results file */
    char *path;            /* the results.json read */
    char label[64];        /* "A"; "A 2026-11-25 09:26:08" when its machine
                              made more than one of the runs */
    size_t machine;        /* index of its fingerprint: runs with equal
                              fingerprints (pd_machine_same) share one */
    unsigned versions;     /* bit i: pd_machine_fields[i] is a version field
                              whose value differs from the first run's */
    pd_run run;
} pd_merge_run;

/* One claim, as each run that declares it decided it. */
typedef struct pd_merge_claim {
    const pd_claim *claim;    /* as the first run declaring it has it */
    const pd_claim **in;      /* per run: its own copy, with its outcome;
                                 NULL where the run does not declare it */
    int disagree;             /* confirmed in one run, not confirmed in
                                 another: the machines tell different stories */
} pd_merge_claim;

typedef struct pd_merge_lesson {
    const char *id;
    const pd_lesson_result **in; /* per run, NULL where the run lacks it */
    char **declared;       /* per run: what of its declaration differs from
                              the first run's with the lesson ("sizes,
                              claims"), owned; NULL when the same */
    const char **variants; /* every variant some run declares, first seen
                              first */
    size_t nvariants;
    uint64_t *sizes;       /* every size some run measured, increasing */
    size_t nsizes;
    uint64_t speaking_n;   /* the size the first run's evidence speaks at
                              (pd_speaking_size); 0 when none does */
    pd_merge_claim *claims; /* every claim some run declares */
    size_t nclaims;
    size_t ndisagree;      /* claims that disagree */
} pd_merge_lesson;

typedef struct pd_merge {
    pd_merge_run *runs;
    size_t nruns;
    size_t nmachines;
    pd_merge_lesson *lessons; /* in the order the runs first list them */
    size_t nlessons;
} pd_merge;

/* Reads each source (a directory holding results.json, or a results file)
 * with pd_results_read and builds the merge into *out. On failure *e names
 * the source that could not be read and *out is empty; on success the
 * caller frees it with pd_merge_free. */
int pd_merge_read(char *const *sources, size_t n, pd_merge *out, pd_err *e);

/* Fills labels, machines, version marks and lessons of a merge whose runs
 * (source, path, run) are in place: pd_merge_read's second half, apart so
 * that tests can build runs in memory. */
void pd_merge_build(pd_merge *m);

/* Whether run r differs from the first run in some version field. */
int pd_merge_versions_differ(const pd_merge *m, size_t r);

/* Frees everything, the runs included; accepts an empty merge. */
void pd_merge_free(pd_merge *m);

#endif
