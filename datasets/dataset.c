/* HDF5 datasets: the generator, the writer, CSV import and inspection.
 *
 * Sections, in order:
 *   the random numbers   xoshiro256** seeded by splitmix64, one stream per
 *                        column and purpose, so columns are independent
 *   generated columns    a recipe column's values (numbers, codes, text),
 *                        block by block
 *   HDF5 plumbing        error text, attributes, closing handles
 *   the writer           one table (group + columns) into a temp file that
 *                        is renamed into place; shared by make and import
 *   make and ensure      recipes to files, and the staleness check
 *   reading              opening a file, finding its group, its columns;
 *                        rows, and text a block at a time (pd_h5_text)
 *   info                 the human description
 *   CSV import           parse, infer types, write through the same writer
 *
 * Byte-identical output is a promise (dataset.h): nothing here may depend on
 * the time, the path, the process or uninitialized memory. Object time
 * tracking is off on the file, group and dataset creation lists. */

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "dataset_int.h"

#define DEFLATE_LEVEL 4  /* level 9 costs several times the time for ~2% */
#define TEXT_DEFLATE_LEVEL 1 /* text chunks hold only references to the
                                strings: level 1 packs them as small as 4
                                does, and makes `people` 15% faster */

/* Resizes an array to n elements of size bytes; aborts when out of memory,
 * as pd_xcalloc does. */
static void *grow(void *p, size_t n, size_t size) {
    p = realloc(p, n * size);
    if (!p)
        abort();
    return p;
}

/* ---- the random numbers ------------------------------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A stream is named by the column, not its position, so inserting, removing
 * or reordering columns leaves every other column's values as they were. */
static void rng_seed(rng *r, uint64_t seed, const char *column,
                     const char *purpose) {
    uint64_t x = seed;
    uint64_t key = pd_fnv1a(PD_FNV_OFFSET, column, strlen(column) + 1);
    key = pd_fnv1a(key, purpose, strlen(purpose));
    x = splitmix64(&x) ^ key;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rng_next(rng *r) {
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, 1) with 53 random bits. */
static double rng_double(rng *r) {
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias. */
static uint64_t rng_below(rng *r, uint64_t n) {
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

/* ---- generated columns --------------------------------------------------- */

typedef struct colgen {
    const pd_column_recipe *c;
    rng values;
    rng nans;          /* separate stream: NaN positions do not shift values */
    double spare;      /* Box-Muller makes normals in pairs */
    int has_spare;
    uint64_t rows;
    uint64_t nan_left; /* NaNs still to place in the rows not yet drawn */
    size_t nlabels;
    double *cum;       /* weighted choices: running sums of the weights */
    size_t last;       /* weighted choices: the last label that can be drawn */
    int64_t low;       /* uniform integers (and an email's number): smallest */
    uint64_t span;     /* ... and how many values there are */
    size_t nfirst, nlast; /* built-in first and last names */
    size_t width;      /* generated text: bytes a value may take, NUL included */
    char *text;        /* generated text: the characters of a block */
    size_t text_rows;  /* rows `text` has room for */
} colgen;

static size_t count_labels(const char *const *labels) {
    size_t n = 0;
    while (labels && labels[n])
        n++;
    return n;
}

static size_t longest(const char *const *words) {
    size_t max = 0;
    for (size_t i = 0; words && words[i]; i++)
        if (strlen(words[i]) > max)
            max = strlen(words[i]);
    return max;
}

/* Distinct values of PD_DIST_KEY, max(1, ceil(rows * a)), as a double so
 * check_column() can test it before anything converts it. */
static double key_count(double a, uint64_t rows) {
    double k = ceil((double)rows * a);
    return k > 1 ? k : 1; /* NaN too: check_column() rejects it */
}

/* The recipe is valid (check_column): nothing here can fail but memory. */
static void colgen_init(colgen *g, const pd_recipe *r,
                        const pd_column_recipe *c, uint64_t rows) {
    memset(g, 0, sizeof *g);
    g->c = c;
    g->rows = rows;
    g->nan_left = (uint64_t)llround((double)rows * c->nan_share);
    g->nlabels = count_labels(c->labels);
    rng_seed(&g->values, r->seed, c->name, "values");
    rng_seed(&g->nans, r->seed, c->name, "nan");
    if (c->dist == PD_DIST_INT_UNIFORM || c->dist == PD_DIST_EMAIL) {
        g->low = (int64_t)c->a;
        g->span = (uint64_t)((int64_t)c->b - (int64_t)c->a) + 1;
    } else if (c->dist == PD_DIST_KEY) {
        g->low = 1;
        g->span = (uint64_t)key_count(c->a, rows);
    }
    if (c->weights) {
        double sum = 0;
        g->cum = pd_xcalloc(g->nlabels, sizeof *g->cum);
        for (size_t i = 0; i < g->nlabels; i++) {
            sum += c->weights[i];
            g->cum[i] = sum;
            if (c->weights[i] > 0)
                g->last = i;
        }
    }
    g->nfirst = count_labels(pd_first_names);
    g->nlast = count_labels(pd_last_names);
    if (c->dist == PD_DIST_FULL_NAME)
        g->width = longest(pd_first_names) + 1 + longest(pd_last_names) + 1;
    else if (c->dist == PD_DIST_EMAIL) /* first.last<20 digits>@domain */
        g->width = longest(pd_first_names) + 1 + longest(pd_last_names) +
                   20 + 1 + longest(c->labels) + 1;
}

static void colgen_free(colgen *g) {
    free(g->cum);
    free(g->text);
}

static double draw_normal(colgen *g) {
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    double u1 = 1.0 - rng_double(&g->values); /* (0, 1]: log is finite */
    double u2 = rng_double(&g->values);
    double radius = sqrt(-2.0 * log(u1));
    g->spare = radius * sin(2.0 * M_PI * u2);
    g->has_spare = 1;
    return radius * cos(2.0 * M_PI * u2);
}

/* A label index. Without weights, uniform (the draw the generator always
 * made, so unweighted columns keep their values). With weights, inverse
 * transform sampling: the first label whose running sum exceeds a uniform
 * draw over the total, found by bisection. The search stops at the last
 * label with a positive weight, so a draw rounded up to the total cannot
 * pick a trailing label of weight 0. */
static size_t draw_choice(colgen *g) {
    if (!g->cum)
        return (size_t)rng_below(&g->values, g->nlabels);
    double u = rng_double(&g->values) * g->cum[g->nlabels - 1];
    size_t lo = 0, hi = g->last;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u < g->cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int64_t draw_int(colgen *g, uint64_t row) {
    if (g->c->dist == PD_DIST_SEQUENCE)
        return (int64_t)g->c->a + (int64_t)row;
    /* PD_DIST_INT_UNIFORM and PD_DIST_KEY, bounds checked by check_column() */
    return g->low + (int64_t)rng_below(&g->values, g->span);
}

static double draw_f64(colgen *g, uint64_t row) {
    const pd_column_recipe *c = g->c;
    switch (c->dist) {
    case PD_DIST_UNIFORM:
        return c->a + (c->b - c->a) * rng_double(&g->values);
    case PD_DIST_NORMAL:
        return c->a + c->b * draw_normal(g);
    case PD_DIST_LOGNORMAL:
        return exp(c->a + c->b * draw_normal(g));
    case PD_DIST_EXPONENTIAL:
        return -c->a * log(1.0 - rng_double(&g->values));
    case PD_DIST_SEQUENCE:
    case PD_DIST_INT_UNIFORM:
    case PD_DIST_KEY:
        return (double)draw_int(g, row);
    case PD_DIST_CHOICE:
    case PD_DIST_FULL_NAME:
    case PD_DIST_EMAIL:
        break; /* rejected by check_column() */
    }
    return NAN;
}

/* Copies word to p, in lower case when asked (ASCII letters only: UTF-8
 * bytes pass through); returns the end. */
static char *put_word(char *p, const char *word, int lower) {
    for (; *word; word++)
        *p++ = lower && *word >= 'A' && *word <= 'Z' ? (char)(*word + 32)
                                                     : *word;
    return p;
}

static char *put_u64(char *p, uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

/* The text of the block's row i: a label (static storage), or characters
 * made in slot i of g->text, which lives until the next block. The draws
 * happen in a fixed order, part of the generator's version. */
static const char *draw_text(colgen *g, size_t i) {
    const pd_column_recipe *c = g->c;
    if (c->dist == PD_DIST_CHOICE)
        return c->labels[draw_choice(g)];
    char *start = g->text + i * g->width, *p = start;
    const char *first = pd_first_names[rng_below(&g->values, g->nfirst)];
    const char *last = pd_last_names[rng_below(&g->values, g->nlast)];
    if (c->dist == PD_DIST_FULL_NAME) {
        p = put_word(p, first, 0);
        *p++ = ' ';
        p = put_word(p, last, 0);
    } else { /* PD_DIST_EMAIL: a >= 0, checked by check_column() */
        p = put_word(p, first, 1);
        *p++ = '.';
        p = put_word(p, last, 1);
        p = put_u64(p, (uint64_t)g->low + rng_below(&g->values, g->span));
        *p++ = '@';
        p = put_word(p, c->labels[draw_choice(g)], 0);
    }
    *p = '\0';
    return start;
}

/* Selection sampling (Knuth's algorithm S): row i is a NaN with probability
 * left / remaining, which places exactly round(rows * share) NaNs, spread
 * uniformly, in one pass. */
static int next_is_nan(colgen *g, uint64_t row) {
    if (g->nan_left == 0)
        return 0;
    if (rng_double(&g->nans) * (double)(g->rows - row) >= (double)g->nan_left)
        return 0;
    g->nan_left--;
    return 1;
}

/* Fills n values of a generated column, starting at row `start`. Blocks must
 * come in order: the generator is a stream. Text values point into g (see
 * draw_text) until the next call. */
static int fill_generated(void *ctx, uint64_t start, size_t n, void *buf,
                          pd_err *e) {
    colgen *g = ctx;
    if (g->width && n > g->text_rows) {
        g->text = grow(g->text, n, g->width);
        g->text_rows = n;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t row = start + i;
        switch (g->c->type) {
        case PD_COL_F64: {
            double v = draw_f64(g, row); /* drawn even when replaced by NaN */
            ((double *)buf)[i] = next_is_nan(g, row) ? NAN : v;
            break;
        }
        case PD_COL_I64:
            ((int64_t *)buf)[i] = draw_int(g, row);
            break;
        case PD_COL_I32:
            ((int32_t *)buf)[i] = (int32_t)draw_int(g, row);
            break;
        case PD_COL_CATEGORY:
            ((int8_t *)buf)[i] = (int8_t)draw_choice(g);
            break;
        case PD_COL_STRING:
            ((const char **)buf)[i] = draw_text(g, i);
            break;
        }
    }
    return 0;
}

/* ---- HDF5 plumbing ------------------------------------------------------- */

void pd_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/* Closes any handle we opened; negative ids (never opened) are ignored. */
void pd_h5_close(hid_t id) {
    if (id < 0)
        return;
    switch (H5Iget_type(id)) {
    case H5I_FILE: H5Fclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    case H5I_GENPROP_LST: H5Pclose(id); break;
    default: break;
    }
}

/* Walking upward, entry 0 is the root cause; the rest say where it was
 * noticed ("unable to open file"), which the caller says better. */
static herr_t innermost_cb(unsigned n, const H5E_error2_t *err, void *data) {
    const char *text = err->desc && *err->desc ? err->desc : err->func_name;
    if (n == 0)
        snprintf(data, 256, "%s", text ? text : "");
    return 0;
}

/* HDF5's own words for the failure that is on its error stack now. */
static void h5_reason(char out[256]) {
    strcpy(out, "no detail");
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_cb, out);
}

/* The command that makes a good file at `path`, when the name says which
 * recipe and size it held ("mixed-1000.h5"), else a template. */
static void remedy(const char *path, char *out, size_t size) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dash = strrchr(base, '-');
    char name[128];
    char *end = NULL;
    unsigned long long rows = 0;
    if (dash && (size_t)(dash - base) < sizeof name) {
        memcpy(name, base, (size_t)(dash - base));
        name[dash - base] = '\0';
        rows = strtoull(dash + 1, &end, 10);
    }
    if (rows > 0 && end && strcmp(end, ".h5") == 0 && pd_recipe_find(name))
        snprintf(out, size, "`pdlab dataset make %s --rows %llu --out '%s'`",
                 name, rows, path);
    else
        snprintf(out, size, "`pdlab dataset make RECIPE --rows N --out '%s'`",
                 path);
}

/* "cannot <verb> dataset file 'path': <what> '<object>' failed (HDF5: ...).
 * <advice>" with HDF5's innermost reason. */
static int h5_error(pd_err *e, const char *verb, const char *path,
                    const char *object, const char *what, const char *advice) {
    char reason[256];
    h5_reason(reason);
    return pd_error(e, "cannot %s dataset file '%s': %s%s%s%s failed (HDF5: "
                    "%s). %s", verb, path, what, object ? " '" : "",
                    object ? object : "", object ? "'" : "", reason, advice);
}

int pd_h5_read_error(pd_err *e, const char *path, const char *object,
                     const char *what) {
    char fix[1536], advice[2048];
    remedy(path, fix, sizeof fix);
    snprintf(advice, sizeof advice, "It may be corrupt or truncated. Delete "
             "it and run %s, or pass another file.", fix);
    return h5_error(e, "read", path, object, what, advice);
}

static int h5_write_error(pd_err *e, const char *path, const char *object,
                          const char *what) {
    return h5_error(e, "write", path, object, what,
                    "Check that the directory is writable and the disk has "
                    "room.");
}

/* A UTF-8 variable-length string type (h5py reads it as str). */
static hid_t vlen_string_type(void) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0 || H5Tset_size(t, H5T_VARIABLE) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        pd_h5_close(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Writes attribute `name` of n values (n == 0: a scalar). */
static int attr_write(hid_t obj, const char *name, hid_t file_type,
                      hid_t mem_type, size_t n, const void *value) {
    hsize_t dims = n;
    hid_t space = n ? H5Screate_simple(1, &dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t attr = H5I_INVALID_HID;
    int rc = -1;
    if (space < 0)
        goto cleanup;
    attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, value) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    pd_h5_close(attr);
    pd_h5_close(space);
    return rc;
}

/* n == 0 writes one scalar string, else a 1-D array of n strings. */
static int attr_write_strings(hid_t obj, const char *name,
                              const char *const *v, size_t n) {
    hid_t type = vlen_string_type();
    int rc = type < 0 ? -1 : attr_write(obj, name, type, type, n, v);
    pd_h5_close(type);
    return rc;
}

static int attr_write_string(hid_t obj, const char *name, const char *value) {
    return attr_write_strings(obj, name, &value, 0);
}

static int attr_write_u64(hid_t obj, const char *name, uint64_t v) {
    return attr_write(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &v);
}

/* Packs n strings into one allocation: the vector, its NULL terminator and
 * the characters. len[i] bytes of items[i] are copied. Caller frees. */
static char **strv_pack(char *const *items, const size_t *len, size_t n) {
    size_t total = (n + 1) * sizeof(char *);
    for (size_t i = 0; i < n; i++)
        total += len[i] + 1;
    char **v = pd_xcalloc(1, total);
    char *p = (char *)(v + n + 1);
    for (size_t i = 0; i < n; i++) {
        v[i] = p;
        memcpy(p, items[i], len[i]);
        p[len[i]] = '\0';
        p += len[i] + 1;
    }
    return v;
}

static int attr_exists(hid_t obj, const char *attr, const char *path,
                       const char *object, pd_err *e) {
    htri_t ok = H5Aexists(obj, attr);
    if (ok < 0)
        return pd_h5_read_error(e, path, object, "looking for an attribute of");
    return ok > 0;
}

/* Reads a string attribute of any shape, fixed or variable length, into a
 * packed vector (see strv_pack; caller frees), or NULL with *e set. */
static char **read_strings(hid_t attr, const char *path, const char *where,
                           size_t *n, pd_err *e) {
    hid_t ftype = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    hid_t space = H5I_INVALID_HID;
    char **raw = NULL, **out = NULL, *fixed = NULL;
    size_t *len = NULL;
    ftype = H5Aget_type(attr);
    space = H5Aget_space(attr);
    if (ftype < 0 || space < 0) {
        pd_h5_read_error(e, path, where, "reading");
        goto cleanup;
    }
    if (H5Tget_class(ftype) != H5T_STRING) {
        pd_error(e, "dataset file '%s': %s is not a string; the file was not "
                 "written by pdlab.", path, where);
        goto cleanup;
    }
    hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count < 0) {
        pd_h5_read_error(e, path, where, "reading");
        goto cleanup;
    }
    size_t nitems = (size_t)count;
    raw = pd_xcalloc(nitems + 1, sizeof *raw);
    len = pd_xcalloc(nitems + 1, sizeof *len);
    htri_t vlen = H5Tis_variable_str(ftype);
    size_t width = vlen > 0 ? SIZE_MAX : H5Tget_size(ftype);
    if (vlen == 0) /* fixed length: read in place, raw points into it */
        fixed = pd_xcalloc(nitems + 1, width);
    mtype = H5Tcopy(ftype);
    if (vlen < 0 || mtype < 0 ||
        H5Aread(attr, mtype, vlen ? (void *)raw : fixed) < 0) {
        pd_h5_read_error(e, path, where, "reading");
        goto cleanup;
    }
    for (size_t i = 0; i < nitems; i++) {
        if (fixed)
            raw[i] = fixed + i * width;
        len[i] = raw[i] ? strnlen(raw[i], width) : 0; /* full: no NUL */
    }
    out = strv_pack(raw, len, nitems);
    if (vlen)
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, raw);
    *n = nitems;
cleanup:
    pd_h5_close(mtype);
    pd_h5_close(space);
    pd_h5_close(ftype);
    free(raw);
    free(len);
    free(fixed);
    return out;
}

char **pd_h5_attr_strings(hid_t obj, const char *attr, const char *path,
                          const char *object, size_t *n, pd_err *e) {
    char where[1024];
    snprintf(where, sizeof where, "attribute '%s' of '%s'", attr, object);
    int ok = attr_exists(obj, attr, path, object, e);
    if (ok <= 0) {
        if (ok == 0)
            pd_error(e, "dataset file '%s': '%s' has no attribute '%s'; was "
                     "the file written by pdlab?", path, object, attr);
        return NULL;
    }
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    if (a < 0) {
        pd_h5_read_error(e, path, where, "opening");
        return NULL;
    }
    char **v = read_strings(a, path, where, n, e);
    pd_h5_close(a);
    return v;
}

char *pd_h5_attr_string(hid_t obj, const char *attr, const char *path,
                        const char *object, pd_err *e) {
    size_t n = 0;
    char **v = pd_h5_attr_strings(obj, attr, path, object, &n, e);
    if (!v)
        return NULL;
    char *s = n == 1 ? pd_strdup(v[0]) : NULL;
    if (!s)
        pd_error(e, "dataset file '%s': attribute '%s' of '%s' holds %zu "
                 "strings where one was expected.", path, attr, object, n);
    free(v);
    return s;
}

static int attr_read_u64(hid_t obj, const char *attr, const char *path,
                         const char *object, uint64_t *out, pd_err *e) {
    char where[1024];
    snprintf(where, sizeof where, "attribute '%s' of '%s'", attr, object);
    int ok = attr_exists(obj, attr, path, object, e);
    if (ok <= 0)
        return ok < 0 ? -1
                      : pd_error(e, "dataset file '%s': '%s' has no attribute "
                                 "'%s'; was the file written by pdlab?",
                                 path, object, attr);
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    int rc = 0;
    if (a < 0 || H5Aread(a, H5T_NATIVE_UINT64, out) < 0)
        rc = pd_h5_read_error(e, path, where, "reading");
    pd_h5_close(a);
    return rc;
}

int pd_h5_is_categorical(hid_t obj, const char *path, const char *object,
                         pd_err *e) {
    int ok = attr_exists(obj, "kind", path, object, e);
    if (ok <= 0)
        return ok;
    char *kind = pd_h5_attr_string(obj, "kind", path, object, e);
    if (!kind)
        return -1;
    ok = strcmp(kind, "categorical") == 0;
    free(kind);
    return ok;
}

/* ---- the writer ---------------------------------------------------------- */

/* Fills n values starting at row `start` into buf (n * the column's size). */
typedef int (*fill_fn)(void *ctx, uint64_t start, size_t n, void *buf,
                       pd_err *e);

typedef struct colspec {
    const char *name;
    const char *meaning;
    int text;                    /* values are char *, stored as
                                    variable-length UTF-8 strings */
    hid_t file_type;             /* predefined little-endian type; text:
                                    unused, write_column makes the type */
    hid_t mem_type;              /* predefined native type of the buffer */
    size_t size;                 /* bytes per value in the buffer */
    const char *const *labels;   /* categorical: the label table, else NULL */
    size_t nlabels;
    fill_fn fill;
    void *ctx;
} colspec;

typedef struct table {
    const char *name;            /* group name */
    const char *recipe;
    const char *description;
    uint64_t seed;
    uint64_t rows;
    char hash[17];
    colspec *cols;
    size_t ncols;
} table;

/* Group or dataset creation list with time tracking off: timestamps would
 * make two otherwise identical files differ. */
static hid_t untimed_plist(hid_t cls) {
    hid_t p = H5Pcreate(cls);
    if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
        pd_h5_close(p);
        return H5I_INVALID_HID;
    }
    return p;
}

/* Text columns get the same chunks and filters as the others (deflate at a
 * lower level), but the filters only see the chunks, which hold a 16-byte
 * reference per string: HDF5 stores the characters in its global heap,
 * uncompressed. */
static int write_column(hid_t group, const char *path, const char *group_path,
                        uint64_t rows, const colspec *c, pd_err *e) {
    hid_t dcpl = H5I_INVALID_HID, fspace = H5I_INVALID_HID;
    hid_t mspace = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    hid_t text_type = H5I_INVALID_HID;
    hid_t file_type = c->file_type, mem_type = c->mem_type;
    hsize_t dims = rows;
    hsize_t chunk = rows < PD_CHUNK_ROWS ? rows : PD_CHUNK_ROWS;
    void *buf = NULL;
    int rc = -1;
    char object[1024];
    snprintf(object, sizeof object, "%s/%s", group_path, c->name);

    unsigned level = c->text ? TEXT_DEFLATE_LEVEL : DEFLATE_LEVEL;
    /* Floats drawn at random do not compress (deflate gains about 10%), and
     * inflating them would cap loading, the lab's hot path, at a few hundred
     * MB/s instead of memory speed: they are stored chunked but raw. Keys,
     * codes and small integers compress many times over and keep deflate. */
    int squeeze = c->text || H5Tget_class(file_type) != H5T_FLOAT;
    if (c->text)
        file_type = mem_type = text_type = vlen_string_type();
    dcpl = untimed_plist(H5P_DATASET_CREATE);
    if (file_type < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0 ||
        (squeeze && (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, level) < 0))) {
        h5_write_error(e, path, object, "setting up compression for");
        goto cleanup;
    }
    fspace = H5Screate_simple(1, &dims, NULL);
    if (fspace >= 0)
        dset = H5Dcreate2(group, c->name, file_type, fspace, H5P_DEFAULT,
                          dcpl, H5P_DEFAULT);
    if (dset < 0) {
        h5_write_error(e, path, object, "creating");
        goto cleanup;
    }
    buf = pd_xcalloc(chunk, c->size);
    /* One chunk per write: each is compressed once and never read back. */
    for (hsize_t start = 0; start < rows; start += chunk) {
        hsize_t n = rows - start < chunk ? rows - start : chunk;
        if (c->fill(c->ctx, start, (size_t)n, buf, e) < 0)
            goto cleanup;
        mspace = H5Screate_simple(1, &n, NULL);
        if (mspace < 0 ||
            H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &n,
                                NULL) < 0 ||
            H5Dwrite(dset, mem_type, mspace, fspace, H5P_DEFAULT, buf) < 0) {
            h5_write_error(e, path, object, "writing");
            goto cleanup;
        }
        pd_h5_close(mspace);
        mspace = H5I_INVALID_HID;
    }
    if (attr_write_string(dset, "meaning", c->meaning) < 0 ||
        (c->labels &&
         (attr_write_string(dset, "kind", "categorical") < 0 ||
          attr_write_strings(dset, "labels", c->labels, c->nlabels) < 0))) {
        h5_write_error(e, path, object, "writing the attributes of");
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(buf);
    pd_h5_close(mspace);
    pd_h5_close(dset);
    pd_h5_close(fspace);
    pd_h5_close(dcpl);
    pd_h5_close(text_type);
    return rc;
}

static int write_group_attrs(hid_t group, const table *t) {
    const char **names = pd_xcalloc(t->ncols, sizeof *names);
    for (size_t i = 0; i < t->ncols; i++)
        names[i] = t->cols[i].name;
    int32_t version = PD_DATASET_FORMAT_VERSION;
    int failed =
        attr_write(group, "pdlab_version", H5T_STD_I32LE, H5T_NATIVE_INT32, 0,
                   &version) < 0 ||
        attr_write_string(group, "recipe", t->recipe) < 0 ||
        attr_write_string(group, "description", t->description) < 0 ||
        attr_write_u64(group, "seed", t->seed) < 0 ||
        attr_write_u64(group, "rows", t->rows) < 0 ||
        attr_write_string(group, "recipe_hash", t->hash) < 0 ||
        attr_write_strings(group, "columns", names, t->ncols) < 0;
    free(names);
    return failed ? -1 : 0;
}

static int write_table(hid_t file, const char *path, const table *t,
                       pd_err *e) {
    hid_t gcpl = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char group_path[512];
    int rc = -1;
    snprintf(group_path, sizeof group_path, "/%s", t->name);
    gcpl = untimed_plist(H5P_GROUP_CREATE);
    if (gcpl >= 0)
        group = H5Gcreate2(file, t->name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (group < 0) {
        h5_write_error(e, path, group_path, "creating group");
        goto cleanup;
    }
    if (write_group_attrs(group, t) < 0) {
        h5_write_error(e, path, group_path, "writing the attributes of");
        goto cleanup;
    }
    for (size_t i = 0; i < t->ncols; i++)
        if (write_column(group, path, group_path, t->rows, &t->cols[i], e) < 0)
            goto cleanup;
    rc = 0;
cleanup:
    pd_h5_close(group);
    pd_h5_close(gcpl);
    return rc;
}

/* Flushes tmp, the file that will become path, to the disk. */
static int fsync_file(const char *tmp, const char *path, pd_err *e) {
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pd_error_errno(e, "cannot write dataset file '%s': reopening "
                              "'%s' to sync it failed", path, tmp);
    int rc = 0;
    if (pd_sys.fsync(fd) != 0)
        rc = pd_error_errno(e, "cannot write dataset file '%s': syncing it "
                            "to disk failed", path);
    if (pd_sys.close(fd) != 0)
        rc = pd_error_errno(e, "cannot write dataset file '%s': closing it "
                            "failed", path);
    return rc;
}

static int mkdir_parent(const char *path, pd_err *e) {
    char *dir = pd_strdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = pd_mkdir_p(dir, e);
    }
    free(dir);
    return rc;
}

/* Writes t into a temporary file beside path, syncs it and renames it over
 * path, so a reader (or a concurrent writer of the same recipe) only ever sees
 * a whole file. The temporary name is unique per process and call. */
static int write_table_atomic(const char *path, const table *t, pd_err *e) {
    static unsigned serial;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID;
    hid_t file = H5I_INVALID_HID;
    char *tmp = NULL;
    int rc = -1;
    pd_h5_quiet();

    if (mkdir_parent(path, e) < 0)
        goto cleanup;
    tmp = pd_strdup_printf("%s.%ld-%u.tmp", path, (long)getpid(), serial++);
    fcpl = untimed_plist(H5P_FILE_CREATE); /* covers the root group */
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* The 1.8 format stores an attribute over 64 KiB (a label table of a
     * few thousand strings) densely; the original format cannot. Every
     * h5py and pandas build of the last decade reads it. */
    if (fcpl >= 0 && fapl >= 0 &&
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0)
        file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (file < 0) {
        h5_write_error(e, path, tmp, "creating the temporary file");
        goto cleanup;
    }
    if (write_table(file, path, t, e) < 0)
        goto cleanup;
    hid_t closing = file;
    file = H5I_INVALID_HID;
    if (H5Fclose(closing) < 0) { /* flushes: a full disk shows up here */
        h5_write_error(e, path, tmp, "closing the temporary file");
        goto cleanup;
    }
    if (fsync_file(tmp, path, e) < 0)
        goto cleanup;
    if (pd_sys.rename(tmp, path) != 0) {
        pd_error_errno(e, "cannot write dataset file '%s': renaming '%s' "
                       "into place failed", path, tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    pd_h5_close(file);
    pd_h5_close(fapl);
    pd_h5_close(fcpl);
    if (rc < 0 && tmp)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* ---- make and ensure ----------------------------------------------------- */

/* A group or column name HDF5 can hold as one link and pandas as a key. */
static int check_name(const char *what, const char *name, pd_err *e) {
    if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0)
        return pd_error(e, "%s '%s' is not a valid name: it must be non-empty "
                        "and contain no '/'", what, name ? name : "");
    return 0;
}

/* 1 when a label appears twice: pandas needs unique categories. */
static int has_duplicate_label(const char *const *labels) {
    for (size_t i = 0; labels && labels[i]; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(labels[i], labels[j]) == 0)
                return 1;
    return 0;
}

/* Weights are finite, none negative, and their sum positive and finite. */
static int weights_ok(const double *w, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] >= 0 && isfinite(w[i])))
            return 0;
        sum += w[i];
    }
    return sum > 0 && isfinite(sum);
}

static int check_column(const pd_recipe *r, const pd_column_recipe *c,
                        uint64_t rows, pd_err *e) {
    const char *why = NULL;
    size_t nlabels = count_labels(c->labels);
    int numeric = c->type == PD_COL_F64 || c->type == PD_COL_I64 ||
                  c->type == PD_COL_I32;
    int integral = c->dist == PD_DIST_SEQUENCE ||
                   c->dist == PD_DIST_INT_UNIFORM || c->dist == PD_DIST_KEY;
    int labelled = c->dist == PD_DIST_CHOICE || c->dist == PD_DIST_EMAIL;
    int symbolic = labelled || c->dist == PD_DIST_FULL_NAME;
    /* The whole numbers drawn: integer columns, and an email's number. */
    int counted = integral || c->dist == PD_DIST_EMAIL;
    double first = c->dist == PD_DIST_KEY ? 1 : c->a;
    double last = c->dist == PD_DIST_SEQUENCE ? c->a + (double)rows - 1
                  : c->dist == PD_DIST_KEY    ? key_count(c->a, rows)
                                              : c->b;
    if (check_name("column", c->name, e) < 0)
        return -1;
    if (!(c->nan_share >= 0 && c->nan_share <= 1))
        why = "nan_share must be between 0 and 1";
    else if (c->nan_share > 0 && c->type != PD_COL_F64)
        why = "only float64 columns can hold NaN";
    else if (numeric && symbolic)
        why = "PD_DIST_CHOICE, PD_DIST_FULL_NAME and PD_DIST_EMAIL make "
              "categorical or text columns, not numbers";
    else if (!numeric && !symbolic)
        why = "categorical and text columns use PD_DIST_CHOICE (text also "
              "PD_DIST_FULL_NAME or PD_DIST_EMAIL)";
    else if (c->type == PD_COL_CATEGORY && c->dist != PD_DIST_CHOICE)
        why = "categorical columns use PD_DIST_CHOICE";
    else if (labelled && nlabels == 0)
        why = "PD_DIST_CHOICE and PD_DIST_EMAIL need labels to draw from";
    else if (!labelled && (c->labels || c->weights))
        why = "only PD_DIST_CHOICE and PD_DIST_EMAIL columns take labels and "
              "weights";
    else if (c->type == PD_COL_CATEGORY && nlabels > 127)
        why = "a categorical column needs 1 to 127 labels (int8 codes)";
    else if (has_duplicate_label(c->labels))
        why = "a label appears twice";
    else if (c->weights && !weights_ok(c->weights, nlabels))
        why = "weights must be finite and not negative, with a positive sum";
    else if ((c->type == PD_COL_I64 || c->type == PD_COL_I32) && !integral)
        why = "integer columns use PD_DIST_SEQUENCE, PD_DIST_INT_UNIFORM or "
              "PD_DIST_KEY";
    else if (c->dist == PD_DIST_KEY && !(c->a > 0 && last <= 0x1p62))
        why = "PD_DIST_KEY needs a > 0 (keys per row), and at most 2^62 keys";
    else if (counted && (first != floor(first) || last != floor(last) ||
                         last < first || fabs(first) > 0x1p62 ||
                         fabs(last) > 0x1p62))
        why = "integer bounds must be whole numbers with a <= b";
    else if (c->dist == PD_DIST_EMAIL && first < 0)
        why = "the number in an email address must not be negative";
    else if (c->type == PD_COL_I32 && (first < INT32_MIN || last > INT32_MAX))
        why = "the values do not fit in int32";
    if (why)
        return pd_error(e, "recipe '%s', column '%s': %s", r->name, c->name,
                        why);
    return 0;
}

static int check_recipe(const pd_recipe *r, uint64_t rows, pd_err *e) {
    if (check_name("recipe", r->name, e) < 0)
        return -1;
    if (rows == 0)
        return pd_error(e, "recipe '%s': a dataset needs at least one row",
                        r->name);
    if (r->ncolumns == 0)
        return pd_error(e, "recipe '%s' has no columns", r->name);
    for (size_t i = 0; i < r->ncolumns; i++) {
        if (check_column(r, &r->columns[i], rows, e) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->columns[i].name, r->columns[j].name) == 0)
                return pd_error(e, "recipe '%s' has two columns named '%s'",
                                r->name, r->columns[i].name);
    }
    return 0;
}

static void set_type(colspec *c, hid_t file_type, hid_t mem_type,
                     size_t size) {
    c->file_type = file_type;
    c->mem_type = mem_type;
    c->size = size;
}

static void recipe_colspec(const pd_column_recipe *c, colgen *g,
                           colspec *out) {
    switch (c->type) {
    case PD_COL_F64:
        set_type(out, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, sizeof(double));
        break;
    case PD_COL_I64:
        set_type(out, H5T_STD_I64LE, H5T_NATIVE_INT64, sizeof(int64_t));
        break;
    case PD_COL_I32:
        set_type(out, H5T_STD_I32LE, H5T_NATIVE_INT32, sizeof(int32_t));
        break;
    case PD_COL_CATEGORY:
        set_type(out, H5T_STD_I8LE, H5T_NATIVE_INT8, sizeof(int8_t));
        break;
    case PD_COL_STRING:
        set_type(out, H5I_INVALID_HID, H5I_INVALID_HID, sizeof(char *));
        out->text = 1;
        break;
    }
    out->name = c->name;
    out->meaning = c->meaning;
    out->labels = c->type == PD_COL_CATEGORY ? c->labels : NULL;
    out->nlabels = g->nlabels;
    out->fill = fill_generated;
    out->ctx = g;
}

int pd_dataset_make(const pd_recipe *r, uint64_t rows, const char *path,
                    pd_err *e) {
    if (check_recipe(r, rows, e) < 0)
        return -1;
    colgen *gens = pd_xcalloc(r->ncolumns, sizeof *gens);
    colspec *cols = pd_xcalloc(r->ncolumns, sizeof *cols);
    for (size_t i = 0; i < r->ncolumns; i++) {
        colgen_init(&gens[i], r, &r->columns[i], rows);
        recipe_colspec(&r->columns[i], &gens[i], &cols[i]);
    }
    table t = {r->name, r->name, r->description, r->seed, rows, "",
               cols, r->ncolumns};
    pd_recipe_hash(r, t.hash);
    int rc = write_table_atomic(path, &t, e);
    for (size_t i = 0; i < r->ncolumns; i++)
        colgen_free(&gens[i]);
    free(cols);
    free(gens);
    return rc;
}

/* 1 when path holds r at `rows` rows as the current code would write it.
 * Anything else, a missing, foreign or damaged file included, is 0: the
 * answer to all of them is to write the file again. */
static int dataset_is_current(const pd_recipe *r, uint64_t rows,
                              const char *path) {
    pd_err ignored = {0};
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char want[17], *have = NULL, group_path[512];
    uint64_t have_rows = 0;
    int current = 0;
    pd_h5_quiet();
    pd_recipe_hash(r, want);
    file = pd_h5_open_read(path, &ignored);
    if (file >= 0)
        group = pd_h5_open_group(file, path, r->name, group_path,
                                 sizeof group_path, &ignored);
    if (group < 0)
        goto cleanup;
    have = pd_h5_attr_string(group, "recipe_hash", path, group_path, &ignored);
    current = have && strcmp(have, want) == 0 &&
              attr_read_u64(group, "rows", path, group_path, &have_rows,
                            &ignored) == 0 &&
              have_rows == rows;
cleanup:
    free(have);
    pd_h5_close(group);
    pd_h5_close(file);
    return current;
}

int pd_dataset_ensure(const pd_recipe *r, uint64_t rows, const char *path,
                      int *made, pd_err *e) {
    *made = 0;
    if (dataset_is_current(r, rows, path))
        return 0;
    if (pd_dataset_make(r, rows, path, e) < 0)
        return -1;
    *made = 1;
    return 0;
}

/* ---- paths --------------------------------------------------------------- */

int pd_cache_dir(char *buf, size_t size, pd_err *e) {
    const char *v;
    int n;
    if ((v = getenv("PDLAB_CACHE")) && *v)
        n = snprintf(buf, size, "%s", v);
    else if ((v = getenv("XDG_CACHE_HOME")) && *v == '/') /* spec: absolute */
        n = snprintf(buf, size, "%s/pdlab", v);
    else if ((v = getenv("HOME")) && *v)
        n = snprintf(buf, size, "%s/.cache/pdlab", v);
    else
        return pd_error(e, "no cache directory for datasets: set PDLAB_CACHE "
                        "or HOME");
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "the dataset cache path '%s...' is too long", v);
    return 0;
}

int pd_dataset_path(const char *cache_dir, const char *name, uint64_t rows,
                    char *buf, size_t size, pd_err *e) {
    if (check_name("dataset", name, e) < 0)
        return -1;
    int n = snprintf(buf, size, "%s/%s-%" PRIu64 ".h5", cache_dir, name, rows);
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "the dataset path for '%s' in '%s' is too long",
                        name, cache_dir);
    return 0;
}

/* ---- reading ------------------------------------------------------------- */

hid_t pd_h5_open_read(const char *path, pd_err *e) {
    struct stat st;
    char fix[1536];
    if (stat(path, &st) != 0) {
        int err = errno;
        remedy(path, fix, sizeof fix);
        errno = err;
        if (errno == ENOENT)
            pd_error(e, "cannot read dataset file '%s': it does not exist. "
                     "Run %s to create it, or pass another file.", path, fix);
        else
            pd_error_errno(e, "cannot read dataset file '%s'", path);
        return H5I_INVALID_HID;
    }
    if (S_ISDIR(st.st_mode)) {
        pd_error(e, "cannot read dataset file '%s': it is a directory; pass "
                 "the .h5 file inside it.", path);
        return H5I_INVALID_HID;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file >= 0)
        return file;
    char reason[256];
    h5_reason(reason); /* before H5Fis_hdf5 clears the stack */
    htri_t is_hdf5 = H5Fis_hdf5(path);
    remedy(path, fix, sizeof fix);
    if (is_hdf5 == 0)
        pd_error(e, "cannot read dataset file '%s': not an HDF5 file (it may "
                 "be corrupt or truncated). Delete it and run %s, or pass "
                 "another file.", path, fix);
    else
        pd_error(e, "cannot read dataset file '%s': HDF5 cannot open it "
                 "(HDF5: %s). It may be corrupt or truncated. Delete it and "
                 "run %s, or pass another file.", path, reason, fix);
    return H5I_INVALID_HID;
}

typedef struct child_list {
    H5O_type_t type;  /* the kind of object collected */
    char **names;
    size_t *len;
    size_t n, cap;
} child_list;

static herr_t child_cb(hid_t loc, const char *name, const H5L_info_t *info,
                       void *data) {
    child_list *l = data;
    H5O_info_t oinfo;
    if (info->type != H5L_TYPE_HARD)
        return 0; /* soft and external links point elsewhere */
    if (H5Oget_info_by_name2(loc, name, &oinfo, H5O_INFO_BASIC,
                             H5P_DEFAULT) < 0)
        return -1;
    if (oinfo.type != l->type)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->names = grow(l->names, l->cap, sizeof *l->names);
        l->len = grow(l->len, l->cap, sizeof *l->len);
    }
    l->names[l->n] = pd_strdup(name);
    l->len[l->n] = strlen(name);
    l->n++;
    return 0;
}

/* Names of loc's groups or datasets, sorted by name, as a packed vector
 * (caller frees), or NULL with *e set. */
static char **list_children(hid_t loc, H5O_type_t type, const char *path,
                            const char *object, size_t *n, pd_err *e) {
    child_list l = {type, NULL, NULL, 0, 0};
    char **v = NULL;
    if (H5Literate(loc, H5_INDEX_NAME, H5_ITER_INC, NULL, child_cb, &l) < 0)
        pd_h5_read_error(e, path, object, "listing the members of");
    else {
        v = strv_pack(l.names, l.len, l.n);
        *n = l.n;
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.names[i]);
    free(l.names);
    free(l.len);
    return v;
}

hid_t pd_h5_open_group(hid_t file, const char *path, const char *name,
                       char *buf, size_t size, pd_err *e) {
    char **groups = NULL;
    size_t n = 0;
    hid_t group = H5I_INVALID_HID;
    if (!name) {
        groups = list_children(file, H5O_TYPE_GROUP, path, "/", &n, e);
        if (!groups)
            goto cleanup;
        if (n != 1) {
            pd_error(e, "dataset file '%s' holds %zu groups%s%s%s; pdlab "
                     "files hold one. Name the group to load.", path, n,
                     n ? " (" : "", n ? groups[0] : "",
                     n > 1 ? ", ...)" : n ? ")" : "");
            goto cleanup;
        }
        name = groups[0];
    }
    snprintf(buf, size, "%s%s", name[0] == '/' ? "" : "/", name);
    htri_t exists = H5Lexists(file, buf, H5P_DEFAULT);
    if (exists == 0)
        pd_error(e, "dataset file '%s' has no group '%s'. `pdlab dataset "
                 "info '%s'` shows what it holds.", path, buf, path);
    else if (exists < 0 || (group = H5Gopen2(file, buf, H5P_DEFAULT)) < 0)
        pd_h5_read_error(e, path, buf, "opening group");
cleanup:
    free(groups);
    return group;
}

char **pd_h5_columns(hid_t group, const char *path, const char *group_path,
                     size_t *n, pd_err *e) {
    int ok = attr_exists(group, "columns", path, group_path, e);
    if (ok < 0)
        return NULL;
    if (ok)
        return pd_h5_attr_strings(group, "columns", path, group_path, n, e);
    return list_children(group, H5O_TYPE_DATASET, path, group_path, n, e);
}

/* Reads rows [start, start + n) with transfer properties xfer. */
static int read_rows(hid_t dset, hid_t mem_type, hid_t xfer, uint64_t start,
                     size_t n, void *buf, const char *path,
                     const char *object, pd_err *e) {
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hsize_t offset = start, count = n;
    int rc = 0;
    if (n == 0)
        return 0;
    fspace = H5Dget_space(dset);
    if (fspace >= 0)
        mspace = H5Screate_simple(1, &count, NULL);
    if (mspace < 0 ||
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &offset, NULL, &count,
                            NULL) < 0 ||
        H5Dread(dset, mem_type, mspace, fspace, xfer, buf) < 0)
        rc = pd_h5_read_error(e, path, object, "reading");
    pd_h5_close(mspace);
    pd_h5_close(fspace);
    return rc;
}

int pd_h5_read_rows(hid_t dset, hid_t mem_type, uint64_t start, size_t n,
                    void *buf, const char *path, const char *object,
                    pd_err *e) {
    return read_rows(dset, mem_type, H5P_DEFAULT, start, n, buf, path, object,
                     e);
}

/* HDF5 allocates every variable-length string it reads on its own: a
 * million rows would be a million calls to malloc and as many to free. The
 * reader hands it memory from slabs instead, and takes a block's strings
 * back all at once by rewinding them; they are reused for the next block. */
#define SLAB_BYTES (1 << 20)

struct pd_slab {
    struct pd_slab *next;
    size_t used, size;
    char data[];
};

static void *slab_alloc(size_t n, void *info) {
    pd_h5_text *t = info;
    while (t->cur && t->cur->size - t->cur->used < n)
        t->cur = t->cur->next; /* reused slabs first, in order */
    if (!t->cur) {
        size_t size = n > SLAB_BYTES ? n : SLAB_BYTES;
        struct pd_slab *s = malloc(sizeof *s + size), **end = &t->slabs;
        if (!s)
            return NULL; /* HDF5 fails the read */
        *s = (struct pd_slab){NULL, 0, size};
        while (*end)
            end = &(*end)->next;
        t->cur = *end = s;
    }
    void *p = t->cur->data + t->cur->used;
    t->cur->used += n;
    return p;
}

static void slab_free(void *p, void *info) {} /* see text_release */

/* Variable length: the memory type is the file's own (same character set:
 * HDF5 converts none), allocated from t's slabs. Fixed length: one byte
 * wider and NUL-terminated, so HDF5 ends every string, even one that fills
 * its width. Returns the caller's reader, or NULL with *e set. */
pd_h5_text *pd_h5_text_open(hid_t dset, const char *path, const char *object,
                            pd_err *e) {
    hid_t ftype = H5Dget_type(dset);
    htri_t vlen = ftype < 0 ? -1 : H5Tis_variable_str(ftype);
    pd_h5_text *t = NULL;
    if (vlen < 0) {
        pd_h5_read_error(e, path, object, "reading the type of");
        goto cleanup;
    }
    t = pd_xcalloc(1, sizeof *t);
    t->dset = dset;
    t->path = path;
    t->object = object;
    t->type = H5Tcopy(ftype);
    t->xfer = H5Pcreate(H5P_DATASET_XFER);
    if (vlen && t->xfer >= 0 &&
        H5Pset_vlen_mem_manager(t->xfer, slab_alloc, t, slab_free, t) < 0) {
        pd_h5_close(t->xfer);
        t->xfer = H5I_INVALID_HID;
    }
    if (!vlen) {
        t->width = H5Tget_size(ftype) + 1;
        if (t->type >= 0 && (H5Tset_size(t->type, t->width) < 0 ||
                             H5Tset_strpad(t->type, H5T_STR_NULLTERM) < 0)) {
            pd_h5_close(t->type);
            t->type = H5I_INVALID_HID;
        }
    }
    if (t->type < 0 || t->xfer < 0) {
        pd_h5_read_error(e, path, object, "reading the type of");
        pd_h5_text_close(t);
        t = NULL;
    }
cleanup:
    pd_h5_close(ftype);
    return t;
}

/* Takes the last block's strings back: rewinds every slab. */
static void text_release(pd_h5_text *t) {
    for (struct pd_slab *s = t->slabs; s; s = s->next)
        s->used = 0;
    t->cur = t->slabs;
    t->n = 0;
}

int pd_h5_text_read(pd_h5_text *t, uint64_t start, size_t n, pd_err *e) {
    text_release(t);
    if (n > t->cap) {
        t->v = grow(t->v, n, sizeof *t->v);
        if (t->width)
            t->fixed = grow(t->fixed, n, t->width);
        t->cap = n;
    }
    t->n = n;
    if (read_rows(t->dset, t->type, t->xfer, start, n,
                  t->width ? (void *)t->fixed : (void *)t->v, t->path,
                  t->object, e) < 0)
        return -1;
    for (size_t i = 0; t->width && i < n; i++)
        t->v[i] = t->fixed + i * t->width;
    return 0;
}

void pd_h5_text_close(pd_h5_text *t) {
    if (!t)
        return;
    while (t->slabs) {
        struct pd_slab *next = t->slabs->next;
        free(t->slabs);
        t->slabs = next;
    }
    pd_h5_close(t->xfer);
    pd_h5_close(t->type);
    free(t->v);
    free(t->fixed);
    free(t);
}

/* ---- info ---------------------------------------------------------------- */

static const char *human_bytes(double b, char *buf, size_t size) {
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        u++;
    }
    snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
    return buf;
}

/* "float64", "int8", "uint16", ... as NumPy spells them; "string". */
static void dtype_name(hid_t type, char *buf, size_t size) {
    size_t bits = 8 * H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_FLOAT:
        snprintf(buf, size, "float%zu", bits);
        break;
    case H5T_INTEGER:
        snprintf(buf, size, "%sint%zu",
                 H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", bits);
        break;
    case H5T_STRING:
        snprintf(buf, size, "string");
        break;
    default:
        snprintf(buf, size, "other");
        break;
    }
}

/* What `info` says about a text column, from one pass over it. */
typedef struct text_summary {
    int variable;         /* variable-length strings (pdlab's), not fixed */
    double bytes;         /* UTF-8 bytes of all the strings */
    double heap;          /* variable length: bytes in HDF5's global heap */
    char examples[3][48]; /* the first rows, cut short with "..." */
    size_t nexamples;
} text_summary;

/* HDF5 keeps each variable-length string as a global heap object: a 16-byte
 * header, then the characters (no NUL) padded to a multiple of 8. That is
 * where most of a text column's bytes are, outside the chunks that
 * H5Dget_storage_size counts. */
#define HEAP_OBJECT_BYTES(len) (16 + ((len) + 7) / 8 * 8)

static int summarize_text(hid_t dset, uint64_t rows, const char *path,
                          const char *object, text_summary *s, pd_err *e) {
    pd_h5_text *t = pd_h5_text_open(dset, path, object, e);
    int rc = -1;
    memset(s, 0, sizeof *s);
    if (!t)
        goto cleanup;
    s->variable = t->width == 0;
    for (uint64_t start = 0; start < rows; start += PD_TEXT_BLOCK) {
        size_t n = rows - start < PD_TEXT_BLOCK ? (size_t)(rows - start)
                                                : PD_TEXT_BLOCK;
        if (pd_h5_text_read(t, start, n, e) < 0)
            goto cleanup;
        for (size_t i = 0; i < n; i++) {
            size_t len = t->v[i] ? strlen(t->v[i]) : 0;
            s->bytes += (double)len;
            if (!t->width && t->v[i]) /* a null string has no object */
                s->heap += HEAP_OBJECT_BYTES(len);
            if (s->nexamples < 3 && t->v[i]) {
                char *ex = s->examples[s->nexamples++];
                size_t cut = sizeof s->examples[0] - 4;
                if (snprintf(ex, sizeof s->examples[0], "%s", t->v[i]) >
                    (int)cut) {
                    while (cut > 0 && (ex[cut] & 0xC0) == 0x80)
                        cut--; /* not inside a UTF-8 character */
                    memcpy(ex + cut, "...", 4);
                }
            }
        }
    }
    rc = 0;
cleanup:
    pd_h5_text_close(t);
    return rc;
}

static int info_column(hid_t group, const char *path, const char *group_path,
                       const char *name, int width, FILE *out, pd_err *e) {
    hid_t dset = H5I_INVALID_HID, type = H5I_INVALID_HID;
    hid_t space = H5I_INVALID_HID;
    char object[1024], dtype[32], stored[32], raw[32];
    char *meaning = NULL, **labels = NULL;
    size_t nlabels = 0;
    text_summary text = {0};
    int rc = -1;
    snprintf(object, sizeof object, "%s/%s", group_path, name);
    dset = H5Dopen2(group, name, H5P_DEFAULT);
    if (dset >= 0)
        type = H5Dget_type(dset);
    if (type >= 0)
        space = H5Dget_space(dset);
    if (space < 0) {
        pd_h5_read_error(e, path, object, "opening");
        goto cleanup;
    }
    hssize_t rows = H5Sget_simple_extent_npoints(space);
    int is_text = H5Tget_class(type) == H5T_STRING;
    int categorical = pd_h5_is_categorical(dset, path, object, e);
    if (rows < 0) {
        pd_h5_read_error(e, path, object, "reading the shape of");
        goto cleanup;
    }
    if (categorical < 0 ||
        !(meaning = pd_h5_attr_string(dset, "meaning", path, object, e)) ||
        (categorical && !(labels = pd_h5_attr_strings(dset, "labels", path,
                                                      object, &nlabels, e))) ||
        (is_text && summarize_text(dset, (uint64_t)rows, path, object, &text,
                                   e) < 0))
        goto cleanup;
    /* Raw: what the values take in memory before pandas wraps them; for
     * variable-length text, the characters. */
    double raw_bytes = (double)rows * (double)H5Tget_size(type);
    double stored_bytes = (double)H5Dget_storage_size(dset) + text.heap;
    if (text.variable)
        raw_bytes = text.bytes;
    char kind[48];
    dtype_name(type, dtype, sizeof dtype);
    snprintf(kind, sizeof kind, "%s%s",
             categorical ? "category/" : is_text ? "object/" : "", dtype);
    fprintf(out, "  %-*s  %-14s %10s %10s %6.1fx  %s\n", width, name, kind,
            human_bytes(stored_bytes, stored, sizeof stored),
            human_bytes(raw_bytes, raw, sizeof raw),
            stored_bytes > 0 ? raw_bytes / stored_bytes : 0.0, meaning);
    if (categorical) {
        fprintf(out, "  %-*s  labels (%zu):", width, "", nlabels);
        for (size_t i = 0; i < nlabels; i++)
            fprintf(out, "%s %s", i ? "," : "", labels[i]);
        fputc('\n', out);
    }
    if (is_text) {
        fprintf(out, "  %-*s  text, %.1f bytes a row on average, e.g.", width,
                "", rows > 0 ? text.bytes / (double)rows : 0.0);
        for (size_t i = 0; i < text.nexamples; i++)
            fprintf(out, "%s \"%s\"", i ? "," : "", text.examples[i]);
        fputc('\n', out);
    }
    rc = 0;
cleanup:
    free(meaning);
    free(labels);
    pd_h5_close(space);
    pd_h5_close(type);
    pd_h5_close(dset);
    return rc;
}

static int info_group(hid_t file, const char *path, const char *name,
                      FILE *out, pd_err *e) {
    hid_t group = H5I_INVALID_HID;
    char group_path[512];
    char *recipe = NULL, *description = NULL, *hash = NULL, **columns = NULL;
    uint64_t rows = 0, seed = 0, version = 0;
    size_t ncols = 0;
    int rc = -1;
    group = pd_h5_open_group(file, path, name, group_path, sizeof group_path,
                             e);
    if (group < 0 ||
        attr_read_u64(group, "pdlab_version", path, group_path, &version,
                      e) < 0 ||
        !(recipe = pd_h5_attr_string(group, "recipe", path, group_path, e)) ||
        !(description = pd_h5_attr_string(group, "description", path,
                                          group_path, e)) ||
        attr_read_u64(group, "rows", path, group_path, &rows, e) < 0 ||
        attr_read_u64(group, "seed", path, group_path, &seed, e) < 0 ||
        !(hash = pd_h5_attr_string(group, "recipe_hash", path, group_path,
                                   e)) ||
        !(columns = pd_h5_columns(group, path, group_path, &ncols, e)))
        goto cleanup;
    fprintf(out,
            "group        %s\n"
            "description  %s\n"
            "recipe       %s\n"
            "rows         %" PRIu64 "\n"
            "seed         %" PRIu64 "\n"
            "recipe hash  %s\n"
            "format       %" PRIu64 "\n"
            "columns      %zu\n",
            group_path, description, recipe, rows, seed, hash, version, ncols);
    int width = 6;
    for (size_t i = 0; i < ncols; i++)
        if ((int)strlen(columns[i]) > width)
            width = (int)strlen(columns[i]);
    fprintf(out, "  %-*s  %-14s %10s %10s %7s  %s\n", width, "name", "dtype",
            "stored", "raw", "ratio", "meaning");
    for (size_t i = 0; i < ncols; i++)
        if (info_column(group, path, group_path, columns[i], width, out, e) < 0)
            goto cleanup;
    rc = 0;
cleanup:
    free(recipe);
    free(description);
    free(hash);
    free(columns);
    pd_h5_close(group);
    return rc;
}

int pd_dataset_info(const char *path, FILE *out, pd_err *e) {
    hid_t file = H5I_INVALID_HID;
    char **groups = NULL;
    size_t ngroups = 0;
    char size[32];
    struct stat st;
    int rc = -1;
    pd_h5_quiet();
    file = pd_h5_open_read(path, e);
    if (file < 0 ||
        !(groups = list_children(file, H5O_TYPE_GROUP, path, "/", &ngroups,
                                 e)))
        goto cleanup;
    if (ngroups == 0) {
        pd_error(e, "dataset file '%s' holds no group; it was not written by "
                 "pdlab.", path);
        goto cleanup;
    }
    fprintf(out, "file         %s (%s)\n", path,
            stat(path, &st) == 0 ? human_bytes((double)st.st_size, size,
                                               sizeof size)
                                 : "?");
    for (size_t i = 0; i < ngroups; i++)
        if ((i && fputc('\n', out) == EOF) ||
            info_group(file, path, groups[i], out, e) < 0)
            goto cleanup;
    if (fflush(out) != 0 || ferror(out)) {
        pd_error_errno(e, "cannot print the description of '%s'", path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(groups);
    pd_h5_close(file);
    return rc;
}

/* ---- CSV import -----------------------------------------------------------
 * The whole file is read into memory and split in place: fields become
 * NUL-terminated strings inside the buffer (quotes removed), and `cells`
 * points at them, row by row. Each column's type is then inferred over all
 * its cells, and the writer converts a block at a time. */

#define CSV_MAX_LABELS 32767 /* int16 codes */
#define LABEL_SLOTS 65536    /* power of two, at least twice CSV_MAX_LABELS */

typedef struct csv {
    const char *path;
    char *text;
    size_t len;
    char **header;      /* ncols names, pointing into text */
    char **cells;       /* nrows * ncols, row-major, pointing into text */
    size_t ncols, nrows, cap;
} csv;

typedef enum csv_kind { CSV_INT, CSV_FLOAT, CSV_TEXT } csv_kind;

typedef struct csv_col {
    const csv *t;
    size_t index;
    csv_kind kind;
    const char **labels;   /* CSV_TEXT: in first-seen order */
    size_t nlabels;
    int32_t *slots;        /* CSV_TEXT: open-addressing table of label index */
    char *meaning;
} csv_col;

typedef enum cell_kind {
    CELL_EMPTY,
    CELL_INT,
    CELL_FLOAT,
    CELL_TEXT,
} cell_kind;

/* What a field holds. Surrounding spaces are allowed around numbers. */
static cell_kind classify(const char *s, int64_t *iv, double *dv) {
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return CELL_EMPTY;
    char *end;
    errno = 0;
    long long ll = strtoll(s, &end, 10);
    int int_ok = errno == 0 && end != s;
    while (*end == ' ' || *end == '\t')
        end++;
    if (int_ok && !*end) {
        *iv = ll;
        return CELL_INT;
    }
    double d = strtod(s, &end);
    if (end == s)
        return CELL_TEXT;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return CELL_TEXT;
    *dv = d;
    return CELL_FLOAT;
}

/* Splits off the field at *pos: unquotes it in place, NUL-terminates it and
 * advances *pos past the delimiter. *last is set at the end of a record.
 * Returns the field, or NULL when a quoted field is malformed. */
static char *csv_field(char **pos, char *end, int *last, size_t *line) {
    char *p = *pos, *start = p, *w = p;
    if (p < end && *p == '"') {
        for (p++;; p++) {
            if (p >= end)
                return NULL; /* the quote is never closed */
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"')
                    p++; /* "" is one quote */
                else {
                    p++;
                    break;
                }
            } else if (*p == '\n')
                (*line)++;
            *w++ = *p;
        }
    } else {
        while (p < end && *p != ',' && *p != '\n' && *p != '\r')
            p++;
        w = p;
    }
    char delim = p < end ? *p : '\n';
    if (delim == ',')
        p++;
    else if (delim == '\r' && p + 1 < end && p[1] == '\n')
        p += 2;
    else if (delim == '\n' || delim == '\r')
        p += p < end;
    else
        return NULL; /* text after a closing quote */
    *last = delim != ',';
    *w = '\0'; /* at or before the delimiter: nothing unread is lost */
    *pos = p;
    return start;
}

static int csv_parse(csv *t, pd_err *e) {
    char *p = t->text, *end = t->text + t->len;
    size_t line = 1, alloc = 0, nfields = 0;
    char **fields = NULL;
    int rc = -1;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark, as spreadsheets write */
    while (p < end) {
        size_t record_line = line;
        if (*p == '\n' || *p == '\r') { /* blank line */
            if (*p == '\n')
                line++;
            p++;
            continue;
        }
        nfields = 0;
        for (int last = 0; !last;) {
            char *f = csv_field(&p, end, &last, &line);
            if (!f) {
                pd_error(e, "cannot import '%s': line %zu has a quoted field "
                         "that is not closed, or text after its closing "
                         "quote.", t->path, line);
                goto cleanup;
            }
            if (nfields == alloc) {
                alloc = alloc ? 2 * alloc : 64;
                fields = grow(fields, alloc, sizeof *fields);
            }
            fields[nfields++] = f;
        }
        line++;
        if (!t->header) {
            t->ncols = nfields;
            t->header = fields;
            fields = NULL;
            alloc = 0;
            continue;
        }
        if (nfields != t->ncols) {
            pd_error(e, "cannot import '%s': line %zu has %zu field%s but the "
                     "header has %zu. Every line needs one value per column "
                     "(an empty value is allowed).", t->path, record_line,
                     nfields, nfields == 1 ? "" : "s", t->ncols);
            goto cleanup;
        }
        if ((t->nrows + 1) * t->ncols > t->cap) {
            t->cap = t->cap ? 2 * t->cap : 1024 * t->ncols;
            t->cells = grow(t->cells, t->cap, sizeof *t->cells);
        }
        memcpy(t->cells + t->nrows * t->ncols, fields,
               t->ncols * sizeof *fields);
        t->nrows++;
    }
    if (!t->header)
        pd_error(e, "cannot import '%s': the file is empty; a CSV needs a "
                 "header line naming its columns.", t->path);
    else if (t->nrows == 0)
        pd_error(e, "cannot import '%s': it has a header but no data lines.",
                 t->path);
    else
        rc = 0;
cleanup:
    free(fields);
    return rc;
}

/* The code of label s in column c, added in first-seen order when new.
 * Returns -1 when the column already has CSV_MAX_LABELS labels. */
static int label_code(csv_col *c, const char *s) {
    size_t mask = LABEL_SLOTS - 1;
    for (size_t i = pd_fnv1a(PD_FNV_OFFSET, s, strlen(s)) & mask;;
         i = (i + 1) & mask) {
        int32_t k = c->slots[i];
        if (k >= 0 && strcmp(c->labels[k], s) == 0)
            return k;
        if (k >= 0)
            continue;
        if (c->nlabels == CSV_MAX_LABELS)
            return -1;
        c->labels[c->nlabels] = s;
        c->slots[i] = (int32_t)c->nlabels;
        return (int)c->nlabels++;
    }
}

static const char *csv_cell(const csv *t, uint64_t row, size_t col) {
    return t->cells[row * t->ncols + col];
}

/* int64 when every value is an integer; float64 when every value is a number
 * or empty (empty is NaN); otherwise text, stored as categorical codes with
 * the labels in first-seen order and empty values as code -1 (missing). */
static int csv_infer(csv_col *c, pd_err *e) {
    const csv *t = c->t;
    int64_t iv;
    double dv;
    c->kind = CSV_INT;
    for (uint64_t r = 0; r < t->nrows && c->kind != CSV_TEXT; r++) {
        switch (classify(csv_cell(t, r, c->index), &iv, &dv)) {
        case CELL_INT: break;
        case CELL_EMPTY:
        case CELL_FLOAT: c->kind = CSV_FLOAT; break;
        case CELL_TEXT: c->kind = CSV_TEXT; break;
        }
    }
    if (c->kind != CSV_TEXT)
        return 0;
    c->labels = pd_xcalloc(CSV_MAX_LABELS, sizeof *c->labels);
    c->slots = pd_xcalloc(LABEL_SLOTS, sizeof *c->slots);
    memset(c->slots, 0xff, LABEL_SLOTS * sizeof *c->slots); /* all -1 */
    for (uint64_t r = 0; r < t->nrows; r++) {
        const char *s = csv_cell(t, r, c->index);
        if (classify(s, &iv, &dv) != CELL_EMPTY && label_code(c, s) < 0)
            return pd_error(e, "cannot import '%s': column '%s' has more than "
                            "%d distinct values; pdlab stores text as "
                            "categorical codes.", t->path,
                            t->header[c->index], CSV_MAX_LABELS);
    }
    return 0;
}

static int fill_csv(void *ctx, uint64_t start, size_t n, void *buf,
                    pd_err *e) {
    csv_col *c = ctx;
    for (size_t i = 0; i < n; i++) {
        const char *s = csv_cell(c->t, start + i, c->index);
        int64_t iv = 0;
        double dv = NAN;
        cell_kind k = classify(s, &iv, &dv);
        switch (c->kind) {
        case CSV_INT:
            ((int64_t *)buf)[i] = iv;
            break;
        case CSV_FLOAT:
            ((double *)buf)[i] = k == CELL_INT ? (double)iv : dv;
            break;
        case CSV_TEXT: {
            int code = k == CELL_EMPTY ? -1 : label_code(c, s);
            if (c->nlabels <= INT8_MAX)
                ((int8_t *)buf)[i] = (int8_t)code;
            else
                ((int16_t *)buf)[i] = (int16_t)code;
            break;
        }
        }
    }
    return 0;
}

static void csv_colspec(csv_col *c, const char *base, colspec *out) {
    switch (c->kind) {
    case CSV_INT:
        set_type(out, H5T_STD_I64LE, H5T_NATIVE_INT64, sizeof(int64_t));
        break;
    case CSV_FLOAT:
        set_type(out, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, sizeof(double));
        break;
    case CSV_TEXT:
        if (c->nlabels <= INT8_MAX)
            set_type(out, H5T_STD_I8LE, H5T_NATIVE_INT8, sizeof(int8_t));
        else
            set_type(out, H5T_STD_I16LE, H5T_NATIVE_INT16, sizeof(int16_t));
        out->labels = c->labels;
        out->nlabels = c->nlabels;
        break;
    }
    c->meaning = pd_strdup_printf("column %zu of %s", c->index + 1, base);
    out->name = c->t->header[c->index];
    out->meaning = c->meaning;
    out->fill = fill_csv;
    out->ctx = c;
}

static int csv_check_header(const csv *t, pd_err *e) {
    for (size_t i = 0; i < t->ncols; i++) {
        if (check_name("column", t->header[i], e) < 0) {
            pd_error_prefix(e, "cannot import '%s': header, column %zu",
                            t->path, i + 1);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->header[i], t->header[j]) == 0)
                return pd_error(e, "cannot import '%s': the header names "
                                "column '%s' twice (columns %zu and %zu).",
                                t->path, t->header[i], j + 1, i + 1);
    }
    return 0;
}

/* The CSV's own bytes stand in for a recipe: the hash changes with them. */
static void csv_hash(const csv *t, char out[17]) {
    uint32_t versions[2] = {PD_DATASET_FORMAT_VERSION, PD_GENERATOR_VERSION};
    uint64_t h = pd_fnv1a(PD_FNV_OFFSET, "pdlab csv", 9);
    h = pd_fnv1a(h, versions, sizeof versions);
    h = pd_fnv1a(h, t->text, t->len);
    snprintf(out, 17, "%016" PRIx64, h);
}

int pd_dataset_import_csv(const char *csv_path, const char *name,
                          const char *path, pd_err *e) {
    csv t = {.path = csv_path};
    csv_col *cols = NULL;
    colspec *specs = NULL;
    char *recipe = NULL, *description = NULL;
    int rc = -1;
    const char *base = strrchr(csv_path, '/');
    base = base ? base + 1 : csv_path;

    if (check_name("dataset", name, e) < 0)
        return -1;
    t.text = pd_read_file(csv_path, &t.len, e);
    if (!t.text || csv_parse(&t, e) < 0 || csv_check_header(&t, e) < 0)
        goto cleanup;
    cols = pd_xcalloc(t.ncols, sizeof *cols);
    specs = pd_xcalloc(t.ncols, sizeof *specs);
    for (size_t i = 0; i < t.ncols; i++) {
        cols[i].t = &t;
        cols[i].index = i;
        if (csv_infer(&cols[i], e) < 0)
            goto cleanup;
        csv_colspec(&cols[i], base, &specs[i]);
    }
    recipe = pd_strdup_printf("csv:%s", base);
    description = pd_strdup_printf("imported from %s", base);
    table tb = {name, recipe, description, 0, t.nrows, "", specs, t.ncols};
    csv_hash(&t, tb.hash);
    rc = write_table_atomic(path, &tb, e);
cleanup:
    for (size_t i = 0; cols && i < t.ncols; i++) {
        free(cols[i].labels);
        free(cols[i].slots);
        free(cols[i].meaning);
    }
    free(cols);
    free(specs);
    free(recipe);
    free(description);
    free(t.header);
    free(t.cells);
    free(t.text);
    return rc;
}
