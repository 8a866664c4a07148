#ifndef PDLAB_EXERCISE_H
#define PDLAB_EXERCISE_H
/* Exercises: a lesson turned into a task for a learner. The learner gets a
 * starter file with the question, the data and the slow answer; writes a
 * function; `pdlab check` runs it as one more variant of the lesson, in the
 * lesson's workers, and grades it against the lesson's own target.
 *
 * What an exercise asks for comes from the lesson's claims: its first
 * `faster` or `less_memory` claim names the model answer, the slow answer it
 * beats, the size and the factor; the learner's function must beat the same
 * slow answer by the same factor at that size. A team lead may set another
 * factor, and the sizes (smaller is quicker to check). */

#include <stddef.h>
#include <stdint.h>

#include "pdlab/error.h"
#include "pdlab/lesson.h"
#include "pdlab/measure.h"
#include "pdlab/result.h"

/* The name of the learner's function in a starter file. */
#define PD_EXERCISE_FUNCTION "solve"
/* The learner's variant, as the check's lesson calls it. */
#define PD_EXERCISE_VARIANT "yours"

typedef struct pd_exercise {
    const pd_lesson *lesson; /* borrowed */
    const char *model;       /* the model answer (borrowed from lesson) */
    const char *slow;        /* the slow answer it beats (borrowed) */
    const char *reference;   /* the part's reference (borrowed) */
    int memory;              /* the target is peak memory, not time */
    uint64_t target_n;       /* where the target is measured */
    double target_by;        /* at least this many times faster (or less
                                memory) than slow */
    uint64_t sizes[8];       /* where the check measures, ascending */
    size_t nsizes;
    int sizes_trimmed;       /* fewer sizes than the lesson runs */
} pd_exercise;

/* The exercise a lesson offers. by > 0 overrides the lesson's factor;
 * sizes (when nsizes > 0) override the check's sizes, the target then
 * moving to the largest of them when its own size is not among them. -1
 * with *e set when the lesson has no faster or less_memory claim to grade
 * against, or the sizes leave the slow answer nothing to run at. */
int pd_exercise_from_lesson(const pd_lesson *l, double by, const uint64_t *sizes,
                            size_t nsizes, pd_exercise *x, pd_err *e);

/* "at least 100x faster than iterrows at 100,000 rows" into buf. */
const char *pd_exercise_target_text(const pd_exercise *x, char *buf, size_t size);

/* The lesson a learner's file is for: its `LESSON = "name"` line, read as
 * text (the file is untrusted and never executed by the caller). Newly
 * allocated; NULL with *e set when the file has no such line. */
char *pd_exercise_lesson_of(const char *learner_path, pd_err *e);

/* Writes the lesson `pdlab check` runs into dir (dir/<lesson id>.py and
 * dir/check.json): the lesson reduced to its reference, slow and model
 * answers, with the learner's function as the variant "yours" and the
 * target as its one claim. The path of the lesson file into *out (newly
 * allocated). */
int pd_exercise_write_check_lesson(const pd_exercise *x, const char *learner_path,
                                   const char *dir, char **out, pd_err *e);

/* The starter file's text for a lesson: question, data, slow answer, an
 * empty function. Building it runs the lesson's own code (its file, its
 * preparer, its reference at a small size), so it happens in a worker
 * process (`pdlab __starter`, bench/starter.c) under limits (its time and
 * address space); the dataset is made in cache_dir when missing. A lesson
 * that raises, hangs, exits or crashes there is an error naming it.
 * Newly allocated, or NULL with *e set. */
char *pd_exercise_starter(const pd_exercise *x, const char *cache_dir,
                          const pd_measure_opts *limits, pd_err *e);

/* The worker's side of pd_exercise_starter: `pdlab __starter ...`. */
int pd_starter_main(int argc, char **argv);

/* ---- grading ---- */

typedef enum pd_grade {
    PD_GRADE_PASSED,      /* right, and meets the target */
    PD_GRADE_WRONG,       /* a different answer from the reference */
    PD_GRADE_TOO_SLOW,    /* right, but short of the target */
    PD_GRADE_BROKE,       /* raised, crashed, hung or ran out of memory */
    PD_GRADE_NOT_WRITTEN, /* the starter's function is still empty */
} pd_grade;

/* "passed", "wrong", "too slow", "broke", "not written"; static. */
const char *pd_grade_word(pd_grade g);

/* What the check found, from the check lesson's measured result. Pointers
 * are borrowed from that result. */
typedef struct pd_check {
    pd_grade grade;
    const pd_variant_result *yours; /* at the size that decided the grade */
    uint64_t n;                     /* that size */
    double vs_slow, vs_slow_lo, vs_slow_hi;   /* slow's median over yours */
    double vs_model, vs_model_lo, vs_model_hi;/* model's median over yours:
                                               under 1, yours is slower */
    double target_figure;           /* the target claim's figure (time or
                                       peak ratio); NAN when not measured */
    int64_t peak, model_peak;       /* first-call peaks at n; -1 unknown */
    double exponent;                /* growth of yours across the sizes;
                                       NAN with fewer than two */
    int call_per_row;               /* the profile saw about a Python call
                                       per row */
    const char *why;                /* the mismatch or error text, or NULL */
} pd_check;

void pd_check_grade(const pd_exercise *x, const pd_lesson_result *lr, pd_check *c);

#endif
