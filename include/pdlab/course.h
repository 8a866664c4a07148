#ifndef PDLAB_COURSE_H
#define PDLAB_COURSE_H
/* A course: the lessons a team lead hands a team, in order, with targets,
 * in a file people edit by hand (courses/onboarding.course shows it):
 *
 *   # comment
 *   name = Pandas performance, week one
 *   timeout = 20                 seconds per answer (optional)
 *
 *   [vectorize]                  one section per lesson, in order
 *   target = 100x                optional: the lesson's own otherwise
 *   sizes = 10000,100000         optional: the exercise's own otherwise
 *
 * and the summary of checking every learner's submissions against it. */

#include <stddef.h>
#include <stdio.h>

#include "pdlab/error.h"

typedef struct pd_course_lesson {
    char *id;
    char *target;  /* "100x" as written, or NULL */
    char *sizes;   /* "10000,100000" as written, or NULL */
} pd_course_lesson;

typedef struct pd_course {
    char *name;
    char *timeout; /* seconds as written, or NULL */
    pd_course_lesson *lessons;
    size_t nlessons;
} pd_course;

/* Reads a course file. -1 with *e naming the file and line of anything it
 * does not understand. The caller frees *c with pd_course_free either way. */
int pd_course_read(const char *path, pd_course *c, pd_err *e);
void pd_course_free(pd_course *c);

/* One learner's result on one lesson. */
typedef struct pd_course_mark {
    char *grade;     /* pd_grade_word's, "missing" (no file), or "check
                        failed" (pdlab check itself did not answer) */
    int passed;
    double vs_slow;  /* times faster (or less memory) than the slow
                        answer; NAN when not measured */
    char *why;       /* the mismatch or error's first line, or NULL */
} pd_course_mark;

typedef struct pd_course_summary {
    const pd_course *course;
    char **learners;
    size_t nlearners;
    pd_course_mark *marks; /* learner-major: marks[i * nlessons + j] */
} pd_course_summary;

void pd_course_summary_free(pd_course_summary *s);
size_t pd_course_passed(const pd_course_summary *s, size_t learner);

/* The summary as a table, as CSV (path), as an HTML page in the report's
 * style (path). */
void pd_course_print_table(FILE *out, const pd_course_summary *s);
int pd_course_write_csv(const pd_course_summary *s, const char *path, pd_err *e);
int pd_course_write_html(const pd_course_summary *s, const char *path, pd_err *e);

#endif
