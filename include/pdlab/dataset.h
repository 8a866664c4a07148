#ifndef PDLAB_DATASET_H
#define PDLAB_DATASET_H
/* HDF5 datasets: built-in recipes, the generator, CSV import, and inspection.
 *
 * File layout (readable by h5py and pandas users):
 *   /<name>                 group; attributes: pdlab_version (int), recipe,
 *                           description, seed (uint64), rows (uint64),
 *                           recipe_hash (string: regenerate when it changes),
 *                           columns (strings: the column names, in order)
 *   /<name>/<column>        chunked 1-D dataset of `rows` values; attribute
 *                           "meaning" (string). Floats are stored raw (they
 *                           load at memory speed); integers, codes and text
 *                           are shuffled and deflated
 *   categorical columns     int8/int16 codes (-1: missing), attribute
 *                           "labels" holds the label table (variable-length
 *                           strings) and attribute "kind" = "categorical"
 *   text columns            variable-length UTF-8 strings (h5py: bytes, or
 *                           str through .asstr()); HDF5 keeps the characters
 *                           in its global heap, outside the compressed chunks
 * Contents depend only on recipe, seed and rows: byte-identical files. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pdlab/error.h"

/* The layout above, stored as each group's pdlab_version: what a reader may
 * rely on. Changes in how values are drawn or compressed that readers need
 * not know about leave it alone (see PD_GENERATOR_VERSION in datasets/). */
#define PD_DATASET_FORMAT_VERSION 1

typedef enum pd_coltype {
    PD_COL_F64,
    PD_COL_I64,
    PD_COL_I32,
    PD_COL_CATEGORY, /* int8 codes into a label table */
    PD_COL_STRING,   /* text: variable-length UTF-8, loaded as object/str */
} pd_coltype;

/* Text columns (PD_COL_STRING) take one of the last three: a label drawn
 * from a list, or one of two built-in generators. Named generators rather
 * than a template language: lessons need names and addresses that look real,
 * two fixed shapes cover them, and each is a few lines to read and test. */
typedef enum pd_distribution {
    PD_DIST_UNIFORM,     /* a..b */
    PD_DIST_NORMAL,      /* mean a, standard deviation b */
    PD_DIST_LOGNORMAL,   /* exp(normal(a, b)) */
    PD_DIST_EXPONENTIAL, /* mean a */
    PD_DIST_SEQUENCE,    /* a, a+1, ... (an id) */
    PD_DIST_INT_UNIFORM, /* integers a..b inclusive */
    PD_DIST_KEY,         /* integers 1..max(1, ceil(rows * a)), uniform: a
                            key with about 1/a rows per value at any size */
    PD_DIST_CHOICE,      /* one of `labels` by `weights`: the code of a
                            categorical column, the label itself in a text
                            column */
    PD_DIST_FULL_NAME,   /* text "First Last" from built-in lists of 40 first
                            and 40 last names (plain ASCII) */
    PD_DIST_EMAIL,       /* text "first.last<n>@<domain>": built-in names in
                            lower case, n an integer a..b, the domain one of
                            `labels` by `weights` */
} pd_distribution;

typedef struct pd_column_recipe {
    const char *name;
    pd_coltype type;
    pd_distribution dist;
    double a, b;             /* distribution parameters, see above */
    double nan_share;        /* share of NaN values, F64 only */
    const char *const *labels; /* PD_DIST_CHOICE, PD_DIST_EMAIL:
                                  NULL-terminated */
    const double *weights;   /* PD_DIST_CHOICE, PD_DIST_EMAIL: one per label,
                                relative (any positive sum), NULL = equal */
    const char *meaning;     /* one line for learners, stored as attribute */
} pd_column_recipe;

typedef struct pd_recipe {
    const char *name;
    const char *description;
    uint64_t seed;
    const pd_column_recipe *columns;
    size_t ncolumns;
} pd_recipe;

/* The built-in recipes; pointers to static storage. */
const pd_recipe *pd_recipe_find(const char *name);
const pd_recipe *pd_recipe_at(size_t i); /* NULL past the last */

/* Stable hash of everything that shapes the file's contents, as 16 hex
 * digits into out (17 bytes). */
void pd_recipe_hash(const pd_recipe *r, char out[17]);

/* Cache directory: $PDLAB_CACHE, else $XDG_CACHE_HOME/pdlab, else
 * ~/.cache/pdlab. Writes into buf; returns -1 if it does not fit. */
int pd_cache_dir(char *buf, size_t size, pd_err *e);

/* Path of a recipe's file at `rows` rows inside cache_dir. */
int pd_dataset_path(const char *cache_dir, const char *name, uint64_t rows,
                    char *buf, size_t size, pd_err *e);

/* What the recipe at `rows` rows takes, estimated from its column types
 * before a byte is written: the file before compression (compression only
 * shrinks it, so this bounds it from above) and the DataFrame it loads into
 * (text as Python str objects). */
void pd_recipe_estimate(const pd_recipe *r, uint64_t rows, double *disk_bytes,
                        double *memory_bytes);

/* Writes the recipe's table with `rows` rows to path, atomically (a temp file
 * renamed into place). A table whose estimated file would not fit the free
 * space of path's file system is refused up front, with both figures. */
int pd_dataset_make(const pd_recipe *r, uint64_t rows, const char *path,
                    pd_err *e);

/* Makes the file unless a current one (same recipe hash and rows) exists.
 * Sets *made to 1 when it wrote a file. */
int pd_dataset_ensure(const pd_recipe *r, uint64_t rows, const char *path,
                      int *made, pd_err *e);

/* Prints a human description of an HDF5 file written by pdlab: per column
 * its dtype as pandas will see it and as stored ("category/int8",
 * "object/string"), sizes, meaning, and labels or example strings. */
int pd_dataset_info(const char *path, FILE *out, pd_err *e);

/* Writes the dataset group of an HDF5 file written by pdlab as CSV: a header
 * line, then one line per row; floats round-trip exactly, NaN is an empty
 * field, categorical columns are written as their labels, text as itself;
 * fields holding a comma, quote or line break are quoted (RFC 4180). Atomic. */
int pd_dataset_export_csv(const char *h5_path, const char *csv_path, pd_err *e);

/* Imports a CSV with a header line into path as dataset `name`: numeric
 * columns become float64 or int64, anything else categorical (never a text
 * column: its labels are the CSV's distinct values). */
int pd_dataset_import_csv(const char *csv_path, const char *name,
                          const char *path, pd_err *e);

#endif
