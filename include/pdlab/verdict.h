#ifndef PDLAB_VERDICT_H
#define PDLAB_VERDICT_H
/* What a lesson's run showed, in words a learner reads: each claim checked
 * against the measurements (claim.c), and the one-sentence verdict built
 * from them (verdict.c). Both read a lesson whose speedups and growth fits
 * are derived (pd_lesson_result_derive calls them last). */

#include "pdlab/result.h"

/* Fills every claim's outcome, figure, interval and note from the sizes
 * measured so far. A claimed figure comes only from measurements: a
 * variant not run where a claim needs it leaves the claim not measured. */
void pd_claims_check(pd_lesson_result *l);

/* The verdict sentence: with claims, one clause per claim naming the two
 * variants its figure compares, the size, the figure and its interval, and
 * the outcome; without claims, the lesson's focus (time, memory, growth) at
 * the size pd_speaking_size picks. Then wrong and failed variants. Newly
 * allocated. */
char *pd_verdict_sentence(const pd_lesson_result *l);

/* One claim's clause ("at 100,000 rows numpy_arrays was 1,586x faster than
 * iterrows (95% interval 1,500x-1,650x; claimed at least 100x)"), without
 * its outcome. Newly allocated. */
char *pd_claim_describe(const pd_claim *c);

#endif
