/* Grading a check: from what the check's lesson measured, whether the
 * learner's function passed, and the figures its feedback is made of
 * (include/pdlab/exercise.h). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/evidence.h"
#include "pdlab/exercise.h"
#include "pdlab/stats.h"

const char *pd_grade_word(pd_grade g)
{
    switch (g) {
    case PD_GRADE_PASSED: return "passed";
    case PD_GRADE_WRONG: return "wrong";
    case PD_GRADE_TOO_SLOW: return "too slow";
    case PD_GRADE_BROKE: return "broke";
    case PD_GRADE_NOT_WRITTEN: return "not written";
    }
    return "?";
}

static const pd_size_result *size_at(const pd_lesson_result *lr, uint64_t n)
{
    for (size_t i = 0; i < lr->nsizes; i++)
        if (lr->sizes[i].n == n) return &lr->sizes[i];
    return NULL;
}

/* The starter's function raises NotImplementedError until it is written. */
static int not_written(const pd_variant_result *v)
{
    return v->status == PD_RAISED && v->error && strstr(v->error, "NotImplementedError");
}

/* The first size where the learner's function did not give a right answer,
 * and the grade that earns; PD_GRADE_PASSED when it was right wherever it
 * ran. A failure outranks a wrong answer: it is what the learner fixes
 * first. */
static pd_grade first_failure(const pd_lesson_result *lr, const pd_variant_result **at,
                              uint64_t *n)
{
    pd_grade worst = PD_GRADE_PASSED;
    for (size_t i = 0; i < lr->nsizes; i++) {
        const pd_variant_result *v = pd_size_variant(&lr->sizes[i], PD_EXERCISE_VARIANT);
        pd_grade g = PD_GRADE_PASSED;
        if (v == NULL) continue;
        switch (v->status) {
        case PD_OK:
        case PD_NOT_RUN: continue;
        case PD_WRONG: g = PD_GRADE_WRONG; break;
        case PD_RAISED:
        case PD_TIMEOUT:
        case PD_CRASHED:
        case PD_NO_MEMORY:
        case PD_LEFT_RUNNING: g = not_written(v) ? PD_GRADE_NOT_WRITTEN : PD_GRADE_BROKE; break;
        }
        if (worst == PD_GRADE_PASSED || (worst == PD_GRADE_WRONG && g != PD_GRADE_WRONG)) {
            worst = g;
            *at = v;
            *n = lr->sizes[i].n;
        }
    }
    return worst;
}

/* a's time over b's with its 95% interval (pd_time_ratio); NANs when
 * either is not measured. */
static void ratio(const pd_variant_result *a, const pd_variant_result *b, double *r,
                  double *lo, double *hi)
{
    *r = *lo = *hi = NAN;
    if (!pd_variant_measured(a) || !pd_variant_measured(b)) return;
    pd_time_ratio(a, b, r, lo, hi);
}

/* The largest call count in a profile's function lines ("... 1,000 calls
 * func"), the format of _harness.profile. 0 when none. */
static double most_calls(const char *profile)
{
    double most = 0;
    for (const char *p = profile; p && (p = strstr(p, " calls  ")) != NULL; p++) {
        const char *s = p;
        char digits[32];
        size_t n = 0;
        while (s > profile && s[-1] != ' ') s--;
        for (; s < p && n + 1 < sizeof digits; s++)
            if (*s != ',') digits[n++] = *s;
        digits[n] = '\0';
        if (atof(digits) > most) most = atof(digits);
    }
    return most;
}

/* Whether some function ran about once per row (or more) at the largest
 * size the learner's function was profiled at: the loop is still there,
 * spelled differently. */
static int calls_per_row(const pd_lesson_result *lr)
{
    for (size_t i = lr->nsizes; i-- > 0;) {
        const pd_variant_result *v = pd_size_variant(&lr->sizes[i], PD_EXERCISE_VARIANT);
        if (v && v->profile) return most_calls(v->profile) >= 0.5 * (double)lr->sizes[i].n;
    }
    return 0;
}

static double yours_exponent(const pd_lesson_result *lr)
{
    int i = pd_lesson_variant_index(&lr->lesson, PD_EXERCISE_VARIANT);
    if (i < 0 || lr->growth == NULL || !lr->growth[i].has_time) return NAN;
    return lr->growth[i].time.exponent;
}

void pd_check_grade(const pd_exercise *x, const pd_lesson_result *lr, pd_check *c)
{
    const pd_size_result *s;
    const pd_variant_result *slow, *model;
    const pd_claim *target = lr->lesson.nclaims ? &lr->lesson.claims[0] : NULL;

    memset(c, 0, sizeof *c);
    c->n = x->target_n;
    c->peak = c->model_peak = -1;
    c->target_figure = target ? target->figure : NAN;
    c->exponent = yours_exponent(lr);
    c->call_per_row = calls_per_row(lr);
    c->grade = first_failure(lr, &c->yours, &c->n);
    s = size_at(lr, c->n);
    if (c->grade == PD_GRADE_PASSED)
        c->grade = target && target->outcome == PD_CLAIM_CONFIRMED ? PD_GRADE_PASSED
                                                                   : PD_GRADE_TOO_SLOW;
    if (c->yours == NULL) c->yours = pd_size_variant(s, PD_EXERCISE_VARIANT);
    if (c->yours) c->why = c->yours->mismatch ? c->yours->mismatch : c->yours->error;
    slow = pd_size_variant(s, x->slow);
    model = pd_size_variant(s, x->model);
    ratio(slow, c->yours, &c->vs_slow, &c->vs_slow_lo, &c->vs_slow_hi);
    ratio(model, c->yours, &c->vs_model, &c->vs_model_lo, &c->vs_model_hi);
    if (c->yours && c->yours->peak_bytes > 0) c->peak = c->yours->peak_bytes;
    if (model && model->peak_bytes > 0) c->model_peak = model->peak_bytes;
}
