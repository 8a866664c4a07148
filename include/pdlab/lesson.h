#ifndef PDLAB_LESSON_H
#define PDLAB_LESSON_H
/* Lessons: one Python file each in the lessons directory, declared through
 * the built-in `pdlab` module (see lessons/README.md). This part finds lesson
 * files and reads their declarations into plain C structs. */

#include <Python.h>
#include <stddef.h>
#include <stdint.h>

#include "pdlab/claim.h"
#include "pdlab/error.h"
#include "pdlab/measure.h"

/* A lesson's hints go from gentle to explicit in at most this many steps. */
#define PD_LESSON_MAX_HINTS 3

/* Sizes above this many rows are a mistake, not a plan. */
#define PD_LESSON_MAX_SIZE 10000000000ULL

typedef struct pd_variant_info {
    char *name;
    char *kind;      /* loop, apply, vectorized, numpy, numexpr, ... */
    char *part;      /* exercise it belongs to; each part has a reference */
    char *doc;       /* first line of the variant's docstring, may be "" */
    uint64_t max_n;  /* not run above this size; 0 = no limit */
    int mutates;     /* gets a fresh copy of the input on every call */
    char *source;    /* the function's source, decorators included, as the
                        worker read it from the file; NULL when it could not */
} pd_variant_info;

typedef struct pd_lesson {
    char *id;        /* file name without .py */
    char *path;
    char *question, *answer, *signal, *trivia;
    char *dataset;   /* recipe name */
    char **references; /* per part: the variant the others must match */
    char **parts;      /* part names, parallel to references */
    size_t nparts;
    uint64_t *sizes;
    size_t nsizes;
    char *focus;       /* what the verdict is about: time, memory, growth */
    int csv;           /* the harness exports the dataset as CSV per size */
    uint64_t mem_limit; /* address-space limit of this lesson's workers,
                           bytes, when lower than the run's; 0: the run's */
    char *profile;     /* variant to profile once, or NULL */
    char *columns;     /* the columns its variants need and their types,
                          "price=number,qty=int"; "" when it says none */
    pd_variant_info *variants;
    size_t nvariants;
    pd_claim *claims;  /* what the lesson exists to show, in declared order */
    size_t nclaims;
    char **hints;      /* up to three, gentle first, for `pdlab hint` */
    size_t nhints;
} pd_lesson;

/* Directory of lesson files: $PDLAB_LESSONS, else the source tree's. */
const char *pd_lessons_dir(void);

/* Turns a lesson id ("vectorize") or a path to a .py file into a path.
 * Fails with a message listing how to see the known lessons. */
int pd_lesson_resolve(const char *id_or_path, char *buf, size_t size,
                      pd_err *e);

/* Paths of every lesson file in dir, sorted; *paths is an array of newly
 * allocated strings the caller frees with pd_strv_free. */
int pd_lesson_paths(const char *dir, char ***paths, size_t *n, pd_err *e);
void pd_strv_free(char **v, size_t n);

/* Executes a lesson file and returns its pdlab.Lesson object (new
 * reference), or NULL with *e naming the file and the Python traceback. */
PyObject *pd_lesson_exec(const char *path, pd_err *e);

/* The file name without directory and .py ("vectorize"), newly allocated. */
char *pd_lesson_id_of(const char *path);

/* Whether a declaration read from a worker can run: known words, sizes
 * from 1 to PD_LESSON_MAX_SIZE, distinct and increasing, every part with a
 * reference that runs at every size, claims naming the lesson's variants
 * and sizes. 0, or -1 with *e saying what is wrong (without the file). */
int pd_lesson_check(const pd_lesson *l, pd_err *e);

/* Reads a lesson file's declaration into *out. The file is executed in a
 * worker process (bench/declare.c), never in the caller: a file that
 * raises, exits, crashes, hangs past the variant timeout or eats memory
 * past the limit is an error naming it. The caller frees *out with
 * pd_lesson_free, whether or not the load succeeded (id and path are set
 * either way). */
int pd_lesson_load(const char *path, pd_lesson *out, pd_err *e);

/* The declarations of n files read by one worker, so that `pdlab list`
 * starts one interpreter, not one per lesson. Each out[i] is filled as by
 * pd_lesson_load, errs[i] set for each file that failed, limits giving
 * the time per file and the address space (NULL: the defaults). Returns
 * how many failed. */
size_t pd_lessons_load(char *const *paths, size_t n, const pd_measure_opts *limits,
                       pd_lesson *out, pd_err *errs);
void pd_lesson_free(pd_lesson *l);

/* Index of a variant by name, or -1. */
int pd_lesson_variant_index(const pd_lesson *l, const char *name);

/* The reference variant of a part (borrowed), or NULL. */
const char *pd_lesson_reference(const pd_lesson *l, const char *part);

#endif
