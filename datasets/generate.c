/* The generator: a recipe's values, block by block, written by write.c.
 *
 * Sections, in order:
 *   the random numbers   xoshiro256** seeded by splitmix64, one stream per
 *                        column and purpose, so columns are independent
 *   generated columns    a recipe column's values (numbers, codes, text)
 *   checking a recipe    everything the drawing code relies on
 *   make                 a recipe to a file
 *
 * Values depend only on the recipe, the seed and the row count: the draws
 * happen in a fixed order, which is part of PD_GENERATOR_VERSION. */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/format.h"
#include "dataset_int.h"

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

/* The recipe is valid (check_column): nothing here can fail but memory.
 * Bounds are within +-2^62, so b - a + 1 fits in a uint64, not an int64. */
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
        g->span = (uint64_t)(int64_t)c->b - (uint64_t)(int64_t)c->a + 1;
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

/* Unsigned arithmetic: low + span - 1 may be past INT64_MAX on the way. */
static uint64_t draw_counted(colgen *g) {
    return (uint64_t)g->low + rng_below(&g->values, g->span);
}

static int64_t draw_int(colgen *g, uint64_t row) {
    if (g->c->dist == PD_DIST_SEQUENCE)
        return (int64_t)g->c->a + (int64_t)row;
    /* PD_DIST_INT_UNIFORM and PD_DIST_KEY, bounds checked by check_column() */
    return (int64_t)draw_counted(g);
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

/* The text of the block's row i: a label (static storage), or characters
 * made in slot i of g->text, which lives until the next block. */
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
        p += snprintf(p, g->width - (size_t)(p - start), "%" PRIu64,
                      draw_counted(g));
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

/* pd_fill_fn of a generated column: a stream, so blocks come in order. */
static int fill_generated(void *ctx, uint64_t start, size_t n, void *buf,
                          pd_err *e) {
    colgen *g = ctx;
    if (g->width && n > g->text_rows) {
        g->text = pd_xrealloc(g->text, n * g->width);
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

/* ---- checking a recipe --------------------------------------------------- */

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
    if (pd_check_name("column", c->name, e) < 0)
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
    if (pd_check_name("recipe", r->name, e) < 0)
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

/* ---- make ---------------------------------------------------------------- */

static pd_store recipe_store(pd_coltype type) {
    switch (type) {
    case PD_COL_F64: return PD_STORE_F64;
    case PD_COL_I64: return PD_STORE_I64;
    case PD_COL_I32: return PD_STORE_I32;
    case PD_COL_CATEGORY: return PD_STORE_I8;
    case PD_COL_STRING: return PD_STORE_TEXT;
    }
    return PD_STORE_F64; /* not reached: check_recipe() knows every type */
}

/* Characters of the longest text value a column can hold. */
static size_t text_width(const pd_column_recipe *c) {
    size_t names = longest(pd_first_names) + 1 + longest(pd_last_names);
    switch (c->dist) {
    case PD_DIST_FULL_NAME: return names;
    case PD_DIST_EMAIL: return names + 20 + 1 + longest(c->labels);
    default: return longest(c->labels);
    }
}

/* A variable-length string in HDF5: a 16-byte global-heap reference in the
 * chunk, and the characters in the heap with a 16-byte object header. In
 * Python: a pointer in the object array and a str of 49 bytes + its
 * characters. */
#define H5_TEXT_OVERHEAD 32
#define PY_TEXT_OVERHEAD (8 + 49)

void pd_recipe_estimate(const pd_recipe *r, uint64_t rows, double *disk_bytes,
                        double *memory_bytes) {
    double disk = 0, memory = 0;
    for (size_t i = 0; i < r->ncolumns; i++) {
        const pd_column_recipe *c = &r->columns[i];
        switch (c->type) {
        case PD_COL_F64:
        case PD_COL_I64: disk += 8; memory += 8; break;
        case PD_COL_I32: disk += 4; memory += 4; break;
        case PD_COL_CATEGORY: disk += 1; memory += 1; break;
        case PD_COL_STRING:
            disk += H5_TEXT_OVERHEAD + (double)text_width(c);
            memory += PY_TEXT_OVERHEAD + (double)text_width(c);
            break;
        }
    }
    *disk_bytes = disk * (double)rows;
    *memory_bytes = memory * (double)rows;
}

/* Bytes free to an unprivileged writer on the file system that will hold
 * path (its nearest existing parent), or -1 when it cannot be told. */
static double free_bytes(const char *path) {
    char *dir = pd_strdup(path), *slash;
    struct statvfs st;
    double free_b = -1;
    for (;;) {
        slash = strrchr(dir, '/');
        if (slash == NULL) {
            strcpy(dir, ".");
        } else if (slash == dir) {
            dir[1] = '\0';
        } else {
            *slash = '\0';
        }
        if (statvfs(dir, &st) == 0) {
            free_b = (double)st.f_bavail * (double)st.f_frsize;
            break;
        }
        if (errno != ENOENT || slash == NULL || slash == dir)
            break;
    }
    free(dir);
    return free_b;
}

/* Refuses a table that would fill the disk long before it is written. */
static int check_fits_disk(const pd_recipe *r, uint64_t rows, const char *path,
                           pd_err *e) {
    double disk, memory, avail = free_bytes(path);
    char need[32], have[32], count[32];
    pd_recipe_estimate(r, rows, &disk, &memory);
    if (avail < 0 || disk <= avail)
        return 0;
    return pd_error(e, "dataset '%s' at %s rows needs up to %s on disk, and the file "
                    "system of %s has %s free: use fewer rows, free some space, or "
                    "point PDLAB_CACHE at a larger disk", r->name,
                    pd_fmt_count(rows, count, sizeof count),
                    pd_fmt_bytes(disk, need, sizeof need), path,
                    pd_fmt_bytes(avail, have, sizeof have));
}

int pd_dataset_make(const pd_recipe *r, uint64_t rows, const char *path,
                    pd_err *e) {
    if (check_recipe(r, rows, e) < 0 || check_fits_disk(r, rows, path, e) < 0)
        return -1;
    colgen *gens = pd_xcalloc(r->ncolumns, sizeof *gens);
    pd_colspec *cols = pd_xcalloc(r->ncolumns, sizeof *cols);
    for (size_t i = 0; i < r->ncolumns; i++) {
        const pd_column_recipe *c = &r->columns[i];
        colgen_init(&gens[i], r, c, rows);
        cols[i] = (pd_colspec){
            .name = c->name,
            .meaning = c->meaning,
            .store = recipe_store(c->type),
            .labels = c->type == PD_COL_CATEGORY ? c->labels : NULL,
            .nlabels = gens[i].nlabels,
            .fill = fill_generated,
            .ctx = &gens[i],
        };
    }
    pd_table t = {r->name, r->name, r->description, r->seed, rows, "",
                  cols, r->ncolumns, NULL};
    pd_recipe_hash(r, t.hash);
    int rc = pd_table_write(path, &t, e);
    for (size_t i = 0; i < r->ncolumns; i++)
        colgen_free(&gens[i]);
    free(cols);
    free(gens);
    return rc;
}
