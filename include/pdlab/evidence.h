#ifndef PDLAB_EVIDENCE_H
#define PDLAB_EVIDENCE_H
/* The rules every view of a run follows (the table, the verdict sentence,
 * the charts, the report, show, compare, the overview), in one place, so no
 * two views disagree about what a lesson showed:
 *
 *   - which part of a lesson is shown first;
 *   - which size speaks for a part;
 *   - a lesson's headline: the one figure the overview and the report's
 *     card lead with.
 *
 * Everything here reads a pd_lesson_result (finished: speedups, growth and
 * claim outcomes filled) and returns pointers into it. */

#include <stddef.h>

#include "pdlab/result.h"

/* Index of the part shown first: "main" when declared, else the first
 * declared. 0 when there are no parts. */
size_t pd_lesson_main_part(const pd_lesson *l);

/* The part a variant belongs to (borrowed), "" when the lesson does not
 * declare the variant. */
const char *pd_variant_part(const pd_lesson *l, const char *variant);

/* The result of the variant called name at one size (borrowed), or NULL;
 * accepts NULL for either. */
const pd_variant_result *pd_size_variant(const pd_size_result *s, const char *name);

/* A variant measured and correct: a median a speedup may be built on. */
int pd_variant_measured(const pd_variant_result *v);

/* How many times slower `slow` is than `fast`, with its 95% interval; the
 * one rule for comparing two variants' times (speedups, claims, verdicts,
 * exercise grades). Samples taken in the same rounds are compared pair by
 * pair (pd_bootstrap_paired_ratio), as many pairs as the one with fewer
 * samples has, so that drift of the machine between rounds cancels; others
 * by the ratio of their medians. NANs when either has no samples. */
void pd_time_ratio(const pd_variant_result *slow, const pd_variant_result *fast,
                   double *ratio, double *lo, double *hi);

/* Index into l->sizes of the size that speaks for part p:
 *   1. the size of the lesson's first claim about a variant of that part
 *      (claims say where the lesson's point is);
 *   2. else the largest size where the part's reference and the most of its
 *      variants were measured correct (a variant stopped by max_n or the
 *      budget leaves fewer at the top sizes); for a lesson whose focus is
 *      memory, the largest with two variants measured correct.
 * -1 when the part's reference never ran correctly. */
long pd_speaking_size(const pd_lesson_result *l, size_t p);

/* The figure a lesson leads with. */
typedef struct pd_headline {
    const pd_claim *claim;        /* the first claim it leads with, or NULL */
    const pd_variant_result *fast, *slow; /* no claim: the fastest and the
                                      slowest correct variant of the main
                                      part at its speaking size */
    long size;                    /* index into l->sizes, -1 when none */
    double ratio;                 /* slow / fast, or the claim's figure */
    int memory;                   /* the figure is a memory ratio */
} pd_headline;

/* Fills *h; returns 0, or -1 (h->size -1) when the lesson has nothing to
 * lead with. */
int pd_lesson_headline(const pd_lesson_result *l, pd_headline *h);

/* When a claim of the lesson was not confirmed and the hypervisor gave
 * other guests a second or more of this machine's CPU while the lesson
 * ran, a sentence saying so (newly allocated); else NULL. Context for a
 * reader, never an excuse: the outcome stands. */
char *pd_lesson_steal_note(const pd_lesson_result *l);

/* Number of the lesson's claims with outcome o. */
size_t pd_claims_count(const pd_lesson *l, pd_claim_outcome o);

#endif
