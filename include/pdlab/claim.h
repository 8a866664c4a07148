#ifndef PDLAB_CLAIM_H
#define PDLAB_CLAIM_H
/* Claims: the facts a lesson exists to show, declared as data in the lesson
 * file (pdlab.faster(...), pdlab.growth(...), ...: lessons/README.md) and
 * checked against what the run measured. A claimed figure is always
 * measured, never extrapolated: the planner runs what the claims need first
 * and exempts it from the budget. Each claim ends confirmed, not confirmed
 * (with the figure and its interval) or not measured (with the reason). */

#include <stddef.h>
#include <stdint.h>

typedef enum pd_claim_kind {
    PD_CLAIM_FASTER,       /* variant at least `factor` times faster than
                              other at n: median ratio >= factor and its
                              interval above 1 */
    PD_CLAIM_SIMILAR,      /* variant and other within `factor` of each
                              other's time at n */
    PD_CLAIM_GROWTH,       /* variant's time grows as n^e, lo <= e <= hi,
                              fitted over the sizes it was measured at */
    PD_CLAIM_LESS_MEMORY,  /* variant's peak at least `factor` times under
                              other's at n, each alone in a fresh process */
    PD_CLAIM_MEMORY_FLAT,  /* variant's peak at n at most `factor` times its
                              peak at n_from (fresh processes) */
    PD_CLAIM_MEMORY_GROWS, /* variant's peak at n at least `factor` times its
                              peak at n_from (fresh processes) */
    PD_CLAIM_WRONG,        /* variant's result differs from the reference
                              (at n, or wherever it ran when n is 0), and
                              its first call raised `warning` when given */
    PD_CLAIM_FAILS,        /* variant fails at n, raising an exception of the
                              class named by `warning` ("RecursionError"):
                              a failure the lesson shows, not a slow call;
                              out of memory counts as "MemoryError" */
    PD_CLAIM_STATISTIC,    /* the lesson's `statistic` of variant's result at
                              n lies in [lo, hi]; for a proportion its 95%
                              interval does */
    PD_CLAIM_STATISTIC_RATIO, /* variant's `statistic` over other's at n is
                              at least `factor`; for proportions the low end
                              of the ratio's interval is */
} pd_claim_kind;

typedef enum pd_claim_outcome {
    PD_CLAIM_UNDECIDED,     /* not evaluated yet (a run still going) */
    PD_CLAIM_CONFIRMED,
    PD_CLAIM_NOT_CONFIRMED, /* measured, and the figure says otherwise */
    PD_CLAIM_NOT_MEASURED,  /* the run could not measure it: note says why */
} pd_claim_outcome;

typedef struct pd_claim {
    /* The declaration, from the lesson file. */
    pd_claim_kind kind;
    char *variant;         /* the subject */
    char *other;           /* FASTER, SIMILAR, LESS_MEMORY: compared with */
    uint64_t n;            /* the size it speaks at; WRONG: 0 = every size */
    uint64_t n_from;       /* MEMORY_FLAT, MEMORY_GROWS: from this size */
    double factor;         /* at least (FASTER, LESS_MEMORY, MEMORY_GROWS) or
                              at most (SIMILAR, MEMORY_FLAT) */
    double lo, hi;         /* GROWTH: the exponent's range; STATISTIC: the
                              statistic's */
    char *warning;         /* WRONG: a warning its first call must raise
                              ("SettingWithCopyWarning"), or NULL; FAILS:
                              the exception class it must raise */
    char *statistic;       /* STATISTIC, STATISTIC_RATIO: which one */
    /* The outcome, filled by pd_claims_check. */
    pd_claim_outcome outcome;
    double figure;         /* ratio (>= 1, slower over faster), exponent, or
                              peak ratio; NAN when not measured */
    double figure_lo, figure_hi; /* its 95% interval; NAN when none */
    int figure_bound;      /* the figure is a lower bound: a peak under one
                              page (what the resident set resolves) counted
                              as one page */
    char *note;            /* why not measured, or what was seen; NULL */
} pd_claim;

/* Frees what *c owns; accepts NULL. */
void pd_claim_free(pd_claim *c);

/* Words for a kind ("faster", "memory_flat", ...) and an outcome
 * ("confirmed", "not confirmed", "not measured"), static; and back. The
 * parsers return -1 for an unknown word. */
const char *pd_claim_kind_word(pd_claim_kind k);
int pd_claim_kind_parse(const char *word, pd_claim_kind *out);
const char *pd_claim_outcome_word(pd_claim_outcome o);
int pd_claim_outcome_parse(const char *word, pd_claim_outcome *out);

/* Whether the claim is about peak memory (decided in fresh processes). */
int pd_claim_is_memory(const pd_claim *c);

/* Whether the claim needs `variant` measured at size n (the planner never
 * leaves such a measurement to the budget). growth needs its variant at
 * every size it may run at. */
int pd_claim_needs(const pd_claim *c, const char *variant, uint64_t n);

/* Whether its figure's interval is built from the timed samples of
 * `variant` at n (faster, similar): those get more samples. */
int pd_claim_needs_samples(const pd_claim *c, const char *variant, uint64_t n);

/* Whether it needs the peak of `variant` at n alone in a fresh process. */
int pd_claim_needs_fresh_peak(const pd_claim *c, const char *variant, uint64_t n);

#endif
