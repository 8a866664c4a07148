#ifndef PDLAB_DATASET_INT_H
#define PDLAB_DATASET_INT_H
/* Internal to datasets/ (the way sqliteInt.h is internal to SQLite): what
 * its files share and nobody else should call. The public promises are in
 * include/pdlab/dataset.h and loader.h.
 *
 *   recipes.c    the built-in recipes and their hash
 *   generate.c   a recipe's values, and pd_dataset_make
 *   cache.c      where files live, and whether one is current (ensure)
 *   write.c      one table into a file, atomically: make and import
 *   csv.c        reading a CSV file into cells
 *   cells.c      what a cell holds, and a stored value's text
 *   import.c     cells to a table: types, names, what is said about them
 *   view.c       an imported table cut to n rows, columns renamed
 *   h5util.c     HDF5 errors, attributes, opening files, groups, columns
 *   h5text.c     text columns, a block of rows at a time
 *   info.c       the human description
 *   export.c     a table to CSV
 *   loader.c     a table to pandas (the only file that embeds Python) */

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "pdlab/error.h"

/* Version of the generator: its algorithms (RNG, distributions, NaN
 * placement, CSV type inference) and its layout choices (chunk size,
 * filters, attributes). Part of every recipe hash and of every CSV import's
 * hash: bump it whenever a change in generate.c, write.c or import.c would
 * change a single byte of a file, so cached files made by the old code are
 * regenerated.
 *   1: xoshiro256** streams named by column, Box-Muller normals, NaNs by
 *      selection sampling; every column shuffled and deflated (level 4)
 *   2: weighted choices, keys, text columns; mixed's regions get weights
 *   3: float columns stored chunked but raw (no shuffle, no deflate):
 *      loading is no longer capped by inflating them
 *   4: a fletcher32 checksum on every chunk of every column, checked when
 *      a cached file is trusted; CSV import infers bool, datetime and text
 * It is not the format version (PD_DATASET_FORMAT_VERSION, the file's
 * pdlab_version attribute): that one says what a reader may rely on, and
 * files of every generator version above read the same way. */
#define PD_GENERATOR_VERSION 4

#define PD_FNV_OFFSET 0xcbf29ce484222325ULL

/* 64-bit FNV-1a of n bytes, continuing from h (start with PD_FNV_OFFSET). */
uint64_t pd_fnv1a(uint64_t h, const void *p, size_t n);

/* The names PD_DIST_FULL_NAME and PD_DIST_EMAIL draw from (recipes.c):
 * NULL-terminated, plain ASCII, capitalized. They shape the file like a
 * recipe's labels do, so the hash of a column that uses them covers them. */
extern const char *const pd_first_names[];
extern const char *const pd_last_names[];

/* ---- h5util.c ------------------------------------------------------------ */

/* HDF5 prints its error stack to stderr by default; library code must not
 * print, so every public function that calls HDF5 turns that off first, for
 * the rest of the process: errors reach the user through pd_err instead.
 * It stays off because HDF5 also prints at exit ("infinite loop closing
 * library") after it has read a corrupt file, when printing is on. */
void pd_h5_quiet(void);

/* Closes any HDF5 handle by its kind; ignores ids below 0 (never opened), so
 * a cleanup label can close every handle unconditionally. Like every HDF5
 * call it empties HDF5's error stack: report a failure before closing. */
void pd_h5_close(hid_t id);

/* Records a failed HDF5 read of `object` (an HDF5 path, or NULL for the file
 * itself) in file `path`: what failed, HDF5's innermost reason, that the file
 * may be damaged, and how to get a good one. Call right after the failing
 * HDF5 call, before any other, or the reason is lost. Returns -1. */
int pd_h5_read_error(pd_err *e, const char *path, const char *object,
                     const char *what);

/* The same for a failed write into the file that will become `path`, with
 * advice about the directory and the disk. Returns -1. */
int pd_h5_write_error(pd_err *e, const char *path, const char *object,
                      const char *what);

/* Opens an existing file read-only. Fails with a message saying whether the
 * file is missing, unreadable or not HDF5. Returns the file id or -1. */
hid_t pd_h5_open_read(const char *path, pd_err *e);

/* Names of loc's groups or datasets (type), sorted by name, following hard
 * links only. A NULL-terminated vector in one allocation (caller frees it
 * with free()), or NULL with *e set naming `object`. */
char **pd_h5_children(hid_t loc, H5O_type_t type, const char *path,
                      const char *object, size_t *n, pd_err *e);

/* Opens the dataset group `name`, or the file's only group when name is NULL.
 * Writes the group's HDF5 path ("/mixed") into buf. Returns the id or -1. */
hid_t pd_h5_open_group(hid_t file, const char *path, const char *name,
                       char *buf, size_t size, pd_err *e);

/* Column names of an open group, in the recipe's order: its "columns"
 * attribute, else (a file pdlab did not write) its datasets by name. Returns
 * a NULL-terminated vector in one allocation (caller frees it with free()),
 * or NULL with *e set. */
char **pd_h5_columns(hid_t group, const char *path, const char *group_path,
                     size_t *n, pd_err *e);

/* A string or a 1-D array of strings stored as attribute `attr` of obj
 * (fixed or variable length). Vectors are NULL-terminated, in one allocation:
 * the caller frees the result with free(). NULL with *e set when missing. */
char *pd_h5_attr_string(hid_t obj, const char *attr, const char *path,
                        const char *object, pd_err *e);
char **pd_h5_attr_strings(hid_t obj, const char *attr, const char *path,
                          const char *object, size_t *n, pd_err *e);

/* A scalar integer attribute as uint64. 0, or -1 with *e set when missing. */
int pd_h5_attr_u64(hid_t obj, const char *attr, const char *path,
                   const char *object, uint64_t *out, pd_err *e);

/* The "kind" attribute of dataset obj into buf ("categorical", "bool",
 * "datetime64[ns]"), "" when it has none. 0, or -1 with *e set. */
int pd_h5_kind(hid_t obj, const char *path, const char *object, char *buf,
               size_t size, pd_err *e);

/* 1 when dataset obj carries kind="categorical", 0 when not, -1 on error. */
int pd_h5_is_categorical(hid_t obj, const char *path, const char *object,
                         pd_err *e);

/* Reads rows [start, start + n) of the open 1-D dataset, converted to
 * mem_type, with transfer properties xfer (H5P_DEFAULT, or pd_h5_text's),
 * into buf. Returns 0, or -1 with *e set naming `object`. */
int pd_h5_read_rows(hid_t dset, hid_t mem_type, hid_t xfer, uint64_t start,
                    size_t n, void *buf, const char *path, const char *object,
                    pd_err *e);

/* ---- h5text.c ------------------------------------------------------------ */

/* Rows per chunk in the files pdlab writes: 512 KiB of float64, big enough
 * to compress well, small enough to read a slice cheaply. */
#define PD_CHUNK_ROWS 65536

/* Text is read a block of rows at a time, so memory stays bounded however
 * long the column is; a block is a chunk, so each chunk is inflated once. */
#define PD_TEXT_BLOCK PD_CHUNK_ROWS

/* A reader of one text column: variable-length strings as pdlab writes
 * them, or fixed-length ones as other tools may. */
typedef struct pd_h5_text {
    hid_t dset;             /* borrowed: closed by the caller, after this */
    hid_t type;             /* memory type the strings are converted to */
    const char *path;       /* borrowed, for messages */
    const char *object;     /* borrowed, for messages */
    size_t width;           /* fixed length: bytes per string with its NUL;
                               0 for variable length */
    char **v;               /* the block: NUL-terminated UTF-8, or NULL for
                               a null string */
    size_t n, cap;          /* strings in v, and room for */
    char *fixed;            /* fixed length: the characters v points into */
    hid_t xfer;             /* transfer list: HDF5 allocates from slabs */
    struct pd_slab *slabs;  /* variable length: the characters, in order */
    struct pd_slab *cur;    /* the slab being filled */
} pd_h5_text;

/* Opens a reader on the open text dataset dset. path and object must outlive
 * it. Returns a reader the caller frees with pd_h5_text_close, or NULL with
 * *e set. */
pd_h5_text *pd_h5_text_open(hid_t dset, const char *path, const char *object,
                            pd_err *e);

/* Reads rows [start, start + n) into t->v[0..n), after releasing the block
 * read before: the strings belong to t and stay valid until the next read or
 * close. Returns 0, or -1 with *e set. */
int pd_h5_text_read(pd_h5_text *t, uint64_t start, size_t n, pd_err *e);

/* Releases the reader and its last block. Accepts NULL. */
void pd_h5_text_close(pd_h5_text *t);

/* ---- cells.c ------------------------------------------------------------ */

/* What a CSV cell holds. Surrounding blanks are ignored. */
typedef enum pd_cell {
    PD_CELL_MISSING,      /* empty, or a missing marker (NA, NaN, null, ...) */
    PD_CELL_INT,          /* canonical decimal integer: *iv */
    PD_CELL_FLOAT,        /* decimal number or inf: *dv */
    PD_CELL_OUT_OF_RANGE, /* a number float64 cannot hold (1e999, 1e-999) */
    PD_CELL_BOOL,         /* true or false, any case: *iv 1 or 0 */
    PD_CELL_DATE,         /* YYYY-MM-DD: *iv nanoseconds since 1970 */
    PD_CELL_DATETIME,     /* YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z]: *iv ns */
    PD_CELL_TEXT,         /* anything else, "00501" and "+5" included */
} pd_cell;

pd_cell pd_cell_parse(const char *s, int64_t *iv, double *dv);

/* 1 when s is empty or blank or a missing marker. */
int pd_cell_is_missing(const char *s);

/* The shortest of %.15g, %.16g, %.17g that reads back as d; "inf", "-inf". */
void pd_format_double(double d, char *buf, size_t size);

/* ISO 8601 text of ns since 1970: "YYYY-MM-DD" when date_only, else
 * "YYYY-MM-DDTHH:MM:SS" and the fraction's significant digits. */
void pd_format_datetime(int64_t ns, int date_only, char *buf, size_t size);

/* Stored in an int64 datetime64[ns] column for a missing time (NaT). */
#define PD_NAT INT64_MIN

/* ---- csv.c --------------------------------------------------------------- */

/* A CSV file split into cells in place: fields are NUL-terminated strings
 * inside text (quotes removed). */
typedef struct pd_csv {
    const char *path;
    char *text;
    size_t len;
    char **header;      /* ncols names, pointing into text */
    char **cells;       /* nrows * ncols, row-major, pointing into text */
    size_t *lines;      /* nrows: the line each record starts on */
    size_t ncols, nrows, cap;
} pd_csv;

/* Reads and splits path (RFC 4180; a UTF-8 byte order mark, CRLF and blank
 * lines allowed). Fails naming the line for a NUL byte, a ragged record or
 * an unclosed quote. t is the caller's to free with pd_csv_free either
 * way. */
int pd_csv_read(const char *path, pd_csv *t, pd_err *e);
void pd_csv_free(pd_csv *t);

static inline const char *pd_csv_cell(const pd_csv *t, uint64_t row,
                                      size_t col) {
    return t->cells[row * t->ncols + col];
}

/* ---- write.c ------------------------------------------------------------- */

/* 0 when name can be a group or column: HDF5 holds it as one link and
 * pandas as a key. Else -1 with *e saying which `what` ("column"). */
int pd_check_name(const char *what, const char *name, pd_err *e);

/* How a column's values are stored. The fill function writes them into its
 * buffer as the matching native type: double, int64_t, int32_t, int16_t,
 * int8_t, or a char * per row for text (NULL for a null string). */
typedef enum pd_store {
    PD_STORE_F64,
    PD_STORE_I64,
    PD_STORE_I32,
    PD_STORE_I16,
    PD_STORE_I8,
    PD_STORE_TEXT, /* variable-length UTF-8 */
} pd_store;

/* Fills n values, starting at row `start`, into buf. Called for the rows in
 * order, a chunk at a time: a fill may be a stream. Text it returns must
 * stay valid until its next call. Returns 0, or -1 with *e set. */
typedef int (*pd_fill_fn)(void *ctx, uint64_t start, size_t n, void *buf,
                          pd_err *e);

typedef struct pd_colspec {
    const char *name;
    const char *meaning;
    pd_store store;
    const char *const *labels; /* categorical: the label table, else NULL */
    size_t nlabels;
    const char *kind;          /* attribute "kind" when not NULL: "bool"
                                  (int8 0/1), "boolean" (the same, -1
                                  missing: pandas' nullable dtype),
                                  "datetime64[ns]" (int64 ns, PD_NAT
                                  missing); categorical columns get theirs
                                  from labels */
    const char *const *attrs;  /* more string attributes: name, value, ...,
                                  NULL; may be NULL */
    pd_fill_fn fill;
    void *ctx;
} pd_colspec;

/* One dataset group: what make and import both write. */
typedef struct pd_table {
    const char *name;            /* group name */
    const char *recipe;
    const char *description;
    uint64_t seed;
    uint64_t rows;               /* at least 1 */
    char hash[17];               /* recipe_hash: 16 hex digits */
    const pd_colspec *cols;
    size_t ncols;                /* at least 1 */
    const char *const *attrs;    /* more string attributes of the group:
                                    name, value, ..., NULL; may be NULL */
} pd_table;

/* Writes t into a new file that replaces path: the whole file or, on
 * failure, nothing (path as it was, no temporary file left). Creates path's
 * directory. Returns 0, or -1 with *e set. */
int pd_table_write(const char *path, const pd_table *t, pd_err *e);

#endif
