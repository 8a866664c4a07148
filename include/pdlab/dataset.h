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
 *                           in its global heap, outside the compressed chunks;
 *                           a null string (h5py: "") is a missing value
 *   bool columns            int8 0/1, kind = "bool"; kind = "boolean" when
 *                           -1 marks missing values (pandas' nullable dtype)
 *   datetime columns        int64 nanoseconds since 1970-01-01, kind =
 *                           "datetime64[ns]" (h5py: ds[:].view("M8[ns]")),
 *                           int64's minimum is NaT; attribute "format" says
 *                           "date" or "datetime" (how export writes it)
 *   imported columns        attribute "csv_name" holds the header's text
 *                           when the column was renamed; the group has
 *                           "source" and "imported" attributes
 *   checksums               every column of numbers has HDF5's fletcher32
 *                           filter (HDF5 allows none on variable-length text)
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

/* Makes the file unless a current one (same recipe hash and rows, and it
 * passes pd_dataset_check) exists. Sets *made to 1 when it wrote a file. */
int pd_dataset_ensure(const pd_recipe *r, uint64_t rows, const char *path,
                      int *made, pd_err *e);

/* The same; when a current file failed pd_dataset_check and was made
 * again, *damage (when not NULL) says what was wrong with it, for the
 * message that says the file was regenerated. */
int pd_dataset_ensure_checked(const pd_recipe *r, uint64_t rows,
                              const char *path, int *made, pd_err *damage,
                              pd_err *e);

/* Reads every column of the file's group (recipe r's, or its only one when
 * r is NULL): each must hold the group's rows, be of r's types when r is
 * given, and pass its chunks' fletcher32 checksums (columns of numbers;
 * HDF5 allows none on variable-length text). -1 with *e naming the file
 * and the column that failed. */
int pd_dataset_check(const char *path, const pd_recipe *r, pd_err *e);

/* Prints a human description of an HDF5 file written by pdlab: per column
 * its dtype as pandas will see it and as stored ("category/int8",
 * "object/string"), sizes, meaning, and labels or example strings. */
int pd_dataset_info(const char *path, FILE *out, pd_err *e);

/* Writes the dataset group of an HDF5 file written by pdlab as CSV: a header
 * line, then one line per row; floats in the fewest digits that read back
 * as the same double, datetimes in ISO 8601, booleans True/False; NaN, NaT
 * and other missing values are empty fields; categorical columns are
 * written as their labels, text as itself;
 * fields holding a comma, quote or line break are quoted (RFC 4180). Atomic. */
int pd_dataset_export_csv(const char *h5_path, const char *csv_path, pd_err *e);

/* The dataset as CSV beside its file (events-1000.h5, events-1000.csv),
 * exported once and reused while the dataset file is the same: the CSV
 * carries the dataset's modification time, so a dataset made again, or a
 * CSV touched since, means a new export. For files in the cache, which
 * only pdlab writes. Path newly allocated into *csv_path; -1 with *e set
 * (and *csv_path NULL) when it cannot be made. */
int pd_dataset_csv_beside(const char *h5_path, char **csv_path, pd_err *e);

/* The header and the first `limit` rows of the file's group, as
 * pd_dataset_export_csv writes them, to out: a sample for a person. */
int pd_dataset_head(const char *h5_path, FILE *out, uint64_t limit, pd_err *e);

/* How a CSV becomes a dataset (pdlab dataset import --help says the rules
 * to users; datasets/import.c applies them). */
typedef struct pd_import_opts {
    const char *name;     /* the dataset's name: the group in the file */
    const char *types;    /* "zip=str,date=datetime": types given per column
                             (int, float, bool, datetime, category, str),
                             the others inferred over every cell; or NULL */
    const char *source;   /* recorded as the group's "source" attribute;
                             NULL: the CSV path as given */
    const char *imported; /* recorded as "imported" (a UTC time); NULL:
                             none, and the file depends only on the CSV */
} pd_import_opts;

/* What an import decided that the user should hear about. */
typedef struct pd_import_report {
    char *said;         /* lines: renamed columns, columns kept as text and
                           why, cells read as missing; then each column and
                           its type. Owned; pd_import_report_free frees */
    uint64_t rows;
    size_t columns;
} pd_import_report;

/* Imports the CSV at csv_path into path as one dataset group. Integers,
 * floats, booleans, ISO dates and datetimes (datetime64[ns]) are inferred
 * over every cell of a column; text with few distinct values becomes
 * categorical, other text variable-length strings. *r is the caller's to
 * free with pd_import_report_free, whether or not it succeeds. */
int pd_dataset_import(const char *csv_path, const char *path,
                      const pd_import_opts *o, pd_import_report *r,
                      pd_err *e);
void pd_import_report_free(pd_import_report *r);

/* pd_dataset_import with only a name, nothing said. */
int pd_dataset_import_csv(const char *csv_path, const char *name,
                          const char *path, pd_err *e);

/* ---- imported datasets (datasets/imported.c, view.c) ----------------------
 * `pdlab dataset import CSV --name NAME` writes <cache>/imported/NAME.h5,
 * whose group carries "source" (the CSV) and "imported" (when). */

/* 0 when name can name an import: a letter, then letters, digits, '_' or
 * '-', at most 64, and not a built-in recipe's name. */
int pd_imported_name_check(const char *name, pd_err *e);

/* <cache_dir>/imported/<name>.h5, after pd_imported_name_check. */
int pd_imported_path(const char *cache_dir, const char *name, char *buf,
                     size_t size, pd_err *e);

typedef struct pd_imported {
    char *name;       /* the group's name */
    char *path;
    char *source;     /* the CSV it came from, or NULL */
    char *imported;   /* when, UTC, or NULL */
    uint64_t rows;    /* 0 when the file could not be read */
} pd_imported;

/* What the group of an imported file says about it; pd_imported_free frees
 * *out either way. */
int pd_imported_read(const char *path, pd_imported *out, pd_err *e);
void pd_imported_free(pd_imported *d);

/* Every imported dataset, sorted by name; *out is an array the caller frees
 * with pd_imported_free on each, then free(). */
int pd_imported_list(const char *cache_dir, pd_imported **out, size_t *n,
                     pd_err *e);

/* A dataset as a lesson or `--dataset` names it. */
typedef struct pd_dataset_ref {
    const pd_recipe *recipe; /* a built-in recipe; else path and rows: */
    char path[4096];         /* an imported dataset's file */
    uint64_t rows;
} pd_dataset_ref;

/* Resolves a built-in recipe's name, an imported dataset's name, or a path
 * to a .h5 file (anything with a '/' or ending .h5). Fails naming what it
 * looked for and how to list or import datasets. */
int pd_dataset_find(const char *cache_dir, const char *spec,
                    pd_dataset_ref *out, pd_err *e);

/* A lesson's column name and the data's column that stands for it. */
typedef struct pd_column_map {
    const char *lesson;
    const char *data;
} pd_column_map;

/* The first `rows` rows of dataset file src (at most its rows), every
 * column kept, mapped columns under the lesson's names (a column already
 * bearing such a name is left out), written to a file in
 * <cache_dir>/views/ unless a current one is there; its path into out.
 * Fails naming a mapped column the data does not have. */
int pd_dataset_view(const char *src, uint64_t rows, const pd_column_map *map,
                    size_t nmap, const char *cache_dir, char *out,
                    size_t size, pd_err *e);

/* 0 when the file's group has every column `needs` names, of its type:
 * "price=number,qty=int" (types: number, int, float, bool, datetime,
 * category, str, text = str or category, any). Else -1 with *e naming each
 * column that is missing or of another type, the columns the file has, and
 * the --columns option that maps them. */
int pd_dataset_check_columns(const char *path, const char *needs, pd_err *e);

#endif