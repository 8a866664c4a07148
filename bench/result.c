/* What a run measured, in memory: the words for statuses and reasons, and
 * freeing. What a run derives from it (speedups, growth, extrapolations,
 * claim outcomes, the verdict) is bench/derive.c.
 *
 * Sections:
 *   status words       pd_status_word, pd_status_phrase, pd_skip_word
 *   freeing            pd_*_free: each frees what the struct owns, never the
 *                      struct itself (they live in arrays or on the stack)
 */

#include <stdlib.h>
#include <string.h>

#include "pdlab/format.h"
#include "pdlab/result.h"

/* ---------------------------------------------------------------------
 * Status words
 * ------------------------------------------------------------------ */

/* No default: the compiler warns (-Wswitch) when a status is added and
 * nobody gave it a word. Values outside the enum fall out as NULL, which is
 * also how pd_status_parse finds the end of the list. */
static const char *status_name(int s)
{
    switch ((pd_status)s) {
    case PD_OK:        return "ok";
    case PD_WRONG:     return "wrong";
    case PD_RAISED:    return "raised";
    case PD_TIMEOUT:   return "timeout";
    case PD_CRASHED:   return "crashed";
    case PD_NO_MEMORY: return "no_memory";
    case PD_NOT_RUN:   return "not_run";
    case PD_LEFT_RUNNING: return "left_running";
    }
    return NULL;
}

/* Static string; "unknown" for a value that is not a pd_status. */
const char *pd_status_word(pd_status s)
{
    const char *w = status_name(s);
    return w ? w : "unknown";
}

int pd_status_parse(const char *word, pd_status *out)
{
    int i = pd_word_index(word, status_name);
    if (i >= 0) *out = (pd_status)i;
    return i < 0 ? -1 : 0;
}

/* What a learner reads for a status, in the table, the charts, the report
 * and compare alike. No default: -Wswitch names a status nobody gave
 * words. */
const char *pd_status_phrase(pd_status s)
{
    switch (s) {
    case PD_OK:        return "ok";
    case PD_WRONG:     return "wrong";
    case PD_RAISED:    return "raised an exception";
    case PD_TIMEOUT:   return "timed out";
    case PD_CRASHED:   return "crashed";
    case PD_NO_MEMORY: return "out of memory";
    case PD_NOT_RUN:   return "not run";
    case PD_LEFT_RUNNING: return "left threads or processes running";
    }
    return pd_status_word(s);
}

/* No default, for the same reason as status_name. */
static const char *skip_name(int s)
{
    switch ((pd_skip)s) {
    case PD_SKIP_NONE:   return "-";
    case PD_SKIP_MAX_N:  return "over max_n";
    case PD_SKIP_BUDGET: return "over budget";
    case PD_SKIP_FAILED: return "failed smaller";
    case PD_SKIP_LESSON: return "lesson stopped";
    case PD_SKIP_ROWS:   return "over data rows";
    case PD_SKIP_INTERRUPTED: return "interrupted";
    }
    return NULL;
}

const char *pd_skip_word(pd_skip s)
{
    const char *w = skip_name(s);
    return w ? w : "unknown";
}

int pd_skip_parse(const char *word, pd_skip *out)
{
    int i = pd_word_index(word, skip_name);
    if (i >= 0) *out = (pd_skip)i;
    return i < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * Freeing
 * ------------------------------------------------------------------ */

/* Frees the strings and samples *v owns and zeroes it, so a second call is
 * harmless. Accepts NULL. */
void pd_variant_result_free(pd_variant_result *v)
{
    if (!v)
        return;
    free(v->name);
    free(v->kind);
    free(v->mismatch);
    free(v->warnings);
    free(v->error);
    free(v->observation);
    free(v->profile);
    free(v->samples);
    for (size_t i = 0; i < v->nstatistics; i++)
        free(v->statistics[i].name);
    free(v->statistics);
    for (size_t i = 0; i < v->ncurves; i++)
        pd_curve_free(&v->curves[i]);
    free(v->curves);
    memset(v, 0, sizeof *v);
}

/* Frees what *c owns and zeroes it. Accepts NULL. */
void pd_curve_free(pd_curve *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->xlabel);
    free(c->ylabel);
    for (size_t i = 0; i < c->nseries; i++) {
        free(c->series[i].label);
        free(c->series[i].x);
        free(c->series[i].y);
    }
    free(c->series);
    for (size_t i = 0; i < c->nmarks; i++)
        free(c->marks[i].label);
    free(c->marks);
    memset(c, 0, sizeof *c);
}

const pd_statistic *pd_variant_statistic(const pd_variant_result *v, const char *name)
{
    for (size_t i = 0; v && i < v->nstatistics; i++)
        if (strcmp(v->statistics[i].name, name) == 0)
            return &v->statistics[i];
    return NULL;
}

/* Frees every variant result and the array. Accepts NULL. */
void pd_size_result_free(pd_size_result *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nvariants; i++)
        pd_variant_result_free(&s->variants[i]);
    free(s->variants);
    memset(s, 0, sizeof *s);
}

/* Frees the declaration (pd_lesson_free), the sizes, the growth fits, the
 * summary and the error. Accepts NULL. */
void pd_lesson_result_free(pd_lesson_result *l)
{
    if (!l)
        return;
    pd_lesson_free(&l->lesson);
    for (size_t i = 0; i < l->nsizes; i++)
        pd_size_result_free(&l->sizes[i]);
    free(l->sizes);
    free(l->growth);
    free(l->summary);
    free(l->error);
    memset(l, 0, sizeof *l);
}

/* Frees every lesson result and the array. Accepts NULL. */
void pd_run_free(pd_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nlessons; i++)
        pd_lesson_result_free(&r->lessons[i]);
    free(r->lessons);
    memset(r, 0, sizeof *r);
}
