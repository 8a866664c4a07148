/* Unit tests for datasets/: recipes, the generator, ensure, info, CSV import
 * and the loader.
 *
 * Generated files are checked with the plain HDF5 C API, not with the code
 * under test, so a bug in the writer cannot hide behind a matching bug in a
 * reader. The loader tests start the embedded Python once (NumPy cannot be
 * initialized twice in a process) in their group's setup.
 *
 * Files go into a fresh directory under $PDLAB_TEST_DIR (or /tmp), removed
 * at the end. The cache is $PDLAB_CACHE, or a directory in there. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp, open_memstream */

#include <Python.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/embed.h"
#include "pdlab/error.h"
#include "pdlab/fileio.h"
#include "pdlab/loader.h"

#define BIG_ROWS 100000 /* two chunks: the block-by-block writer is exercised */
#define SMALL_ROWS 1000

static char *scratch;    /* this run's directory; removed in teardown */
static pd_syscalls real; /* pd_sys as the library initialized it */


/* ---- helpers ------------------------------------------------------------- */

static char *in_scratch(const char *name) {
    return test_path(scratch, name);
}

#define put_file test_put_file

static char *slurp(const char *path, size_t *len) {
    pd_err e = {0};
    char *data = pd_read_file(path, len, &e);
    if (!data)
        fail_msg("%s", e.msg);
    return data;
}

static void make_or_fail(const pd_recipe *r, uint64_t rows, const char *path) {
    pd_err e = {0};
    if (pd_dataset_make(r, rows, path, &e) != 0)
        fail_msg("%s", e.msg);
}

/* Reads a whole 1-D dataset as mem_type into a new buffer (caller frees). */
static void *h5_read(const char *path, const char *object, hid_t mem_type,
                     hsize_t *n) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t space = H5Dget_space(dset);
    assert_int_equal(H5Sget_simple_extent_ndims(space), 1);
    H5Sget_simple_extent_dims(space, n, NULL);
    void *buf = calloc(*n ? *n : 1, H5Tget_size(mem_type));
    assert_true(H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >=
                0);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    return buf;
}

/* The HDF5 type of a dataset: class and size. */
static void h5_dtype(const char *path, const char *object, H5T_class_t *cls,
                     size_t *size) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    hid_t type = H5Dget_type(dset);
    assert_true(type >= 0);
    *cls = H5Tget_class(type);
    *size = H5Tget_size(type);
    H5Tclose(type);
    H5Dclose(dset);
    H5Fclose(file);
}

/* A variable-length string attribute, scalar (n == 0) or 1-D: copies the
 * strings into out (each up to 64 bytes). Returns the number read. */
static size_t h5_attr_strings(const char *path, const char *object,
                              const char *attr, char out[][64], size_t max) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t obj = H5Oopen(file, object, H5P_DEFAULT);
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t space = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    assert_true(n >= 1 && (size_t)n <= max);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8); /* HDF5 converts no character sets */
    char **raw = calloc((size_t)n, sizeof *raw);
    assert_true(H5Aread(a, type, raw) >= 0);
    for (hssize_t i = 0; i < n; i++)
        snprintf(out[i], 64, "%s", raw[i]);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(a);
    H5Oclose(obj);
    H5Fclose(file);
    return (size_t)n;
}

static uint64_t h5_attr_u64(const char *path, const char *object,
                            const char *attr) {
    uint64_t v = 0;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t obj = H5Oopen(file, object, H5P_DEFAULT);
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &v) >= 0);
    H5Aclose(a);
    H5Oclose(obj);
    H5Fclose(file);
    return v;
}

/* A whole 1-D text dataset, read with a variable-length UTF-8 type, as
 * NUL-terminated copies ("" for a null string) in a NULL-terminated vector;
 * free with free_strings(). */
static char **h5_read_strings(const char *path, const char *object,
                              hsize_t *n) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t space = H5Dget_space(dset);
    H5Sget_simple_extent_dims(space, n, NULL);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char **raw = calloc(*n + 1, sizeof *raw);
    char **out = calloc(*n + 1, sizeof *out);
    assert_true(H5Dread(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0);
    for (hsize_t i = 0; i < *n; i++)
        out[i] = strdup(raw[i] ? raw[i] : "");
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    return out;
}

static void free_strings(char **v) {
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* Index of s in a NULL-terminated list, or -1. */
static int find_label(const char *const *labels, const char *s) {
    for (int i = 0; labels[i]; i++)
        if (strcmp(labels[i], s) == 0)
            return i;
    return -1;
}

/* The column's values follow its labels' weights (equal when it has none):
 * each label's share of the rows is within `tol` of its weight's share. Works
 * for categorical codes and for text columns. */
static void assert_label_shares(const char *path, const char *object,
                                const pd_column_recipe *c, double tol) {
    size_t nlabels = 0, counts[128] = {0};
    hsize_t n = 0;
    while (c->labels[nlabels])
        nlabels++;
    assert_true(nlabels <= 128);
    if (c->type == PD_COL_STRING) {
        char **v = h5_read_strings(path, object, &n);
        for (hsize_t i = 0; i < n; i++) {
            int k = find_label(c->labels, v[i]);
            if (k < 0)
                fail_msg("%s: '%s' is not one of its labels", object, v[i]);
            counts[k]++;
        }
        free_strings(v);
    } else {
        int8_t *codes = h5_read(path, object, H5T_NATIVE_INT8, &n);
        for (hsize_t i = 0; i < n; i++) {
            assert_in_range(codes[i], 0, nlabels - 1);
            counts[codes[i]]++;
        }
        free(codes);
    }
    double total = 0;
    for (size_t k = 0; k < nlabels; k++)
        total += c->weights ? c->weights[k] : 1;
    for (size_t k = 0; k < nlabels; k++) {
        double want = (c->weights ? c->weights[k] : 1) / total;
        double got = (double)counts[k] / (double)n;
        if (fabs(got - want) > tol)
            fail_msg("%s: label '%s' has %.4f of the rows, its weight says "
                     "%.4f", object, c->labels[k], got, want);
        if (want == 0)
            assert_int_equal(counts[k], 0); /* weight 0: never drawn */
    }
}

/* Sample mean and standard deviation. */
static void mean_sd(const double *v, hsize_t n, double *mean, double *sd) {
    double sum = 0, sq = 0;
    for (hsize_t i = 0; i < n; i++)
        sum += v[i];
    *mean = sum / (double)n;
    for (hsize_t i = 0; i < n; i++)
        sq += (v[i] - *mean) * (v[i] - *mean);
    *sd = sqrt(sq / (double)(n - 1));
}

static ino_t inode_of(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/* Files in the scratch directory whose name ends in ".tmp". */
static size_t temp_files(void) {
    char *pattern = in_scratch("*.tmp");
    glob_t g;
    size_t n = glob(pattern, 0, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    free(pattern);
    return n;
}

static int setup(void **state) {
    if ((scratch = test_scratch_make("dataset")) == NULL)
        return -1;
    if (!getenv("PDLAB_CACHE")) { /* never the user's own cache */
        char *cache = in_scratch("cache");
        setenv("PDLAB_CACHE", cache, 1);
        free(cache);
    }
    real = pd_sys;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* tests check return codes */
    return 0;
}

static int teardown(void **state) {
    test_scratch_remove(scratch);
    scratch = NULL;
    return 0;
}

static int restore_sys(void **state) {
    pd_sys = real;
    return 0;
}

/* ---- recipes ------------------------------------------------------------- */

static void test_recipe_mixed_columns(void **state) {
    static const struct {
        const char *name;
        pd_coltype type;
        pd_distribution dist;
        double a, b, nan_share;
    } want[] = {
        {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0},
        {"group", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0},
        {"x", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0},
        {"y", PD_COL_F64, PD_DIST_UNIFORM, 0, 100, 0.05},
        {"price", PD_COL_F64, PD_DIST_LOGNORMAL, 3, 0.5, 0},
        {"qty", PD_COL_I32, PD_DIST_INT_UNIFORM, 1, 20, 0},
        {"wait", PD_COL_F64, PD_DIST_EXPONENTIAL, 2, 0, 0},
    };
    const pd_recipe *r = pd_recipe_find("mixed");
    assert_non_null(r);
    assert_int_equal(r->ncolumns, 7);
    for (size_t i = 0; i < r->ncolumns; i++) {
        const pd_column_recipe *c = &r->columns[i];
        assert_string_equal(c->name, want[i].name);
        assert_int_equal(c->type, want[i].type);
        assert_int_equal(c->dist, want[i].dist);
        assert_true(c->a == want[i].a && c->nan_share == want[i].nan_share);
        if (c->dist != PD_DIST_SEQUENCE && c->dist != PD_DIST_EXPONENTIAL &&
            c->dist != PD_DIST_CHOICE)
            assert_true(c->b == want[i].b);
        assert_true(c->meaning && *c->meaning);
    }
    size_t nlabels = 0;
    while (r->columns[1].labels[nlabels])
        nlabels++;
    assert_int_equal(nlabels, 8);

    const pd_recipe *p = pd_recipe_find("points");
    assert_non_null(p);
    assert_int_equal(p->ncolumns, 3);
    assert_string_equal(p->columns[2].name, "c");
    assert_string_equal(p->columns[0].meaning, "coordinate of a point in 3-D");
    assert_null(pd_recipe_find("nope"));

    size_t n = 0;
    while (pd_recipe_at(n))
        n++;
    assert_int_equal(n, 5);
}

/* Other engineers' lessons are written against exactly these columns. */
static void test_recipe_new_columns(void **state) {
    static const struct {
        const char *recipe, *name;
        pd_coltype type;
        pd_distribution dist;
        double a, b;
        size_t nlabels;
    } want[] = {
        {"events", "ts", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0},
        {"events", "user", PD_COL_I64, PD_DIST_KEY, 0.25, 0, 0},
        {"events", "item", PD_COL_I64, PD_DIST_KEY, 0.02, 0, 0},
        {"events", "amount", PD_COL_F64, PD_DIST_LOGNORMAL, 3, 1, 0},
        {"events", "kind", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 3},
        {"people", "id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0},
        {"people", "name", PD_COL_STRING, PD_DIST_FULL_NAME, 0, 0, 0},
        {"people", "email", PD_COL_STRING, PD_DIST_EMAIL, 1, 999, 6},
        {"people", "city", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 20},
        {"people", "age", PD_COL_I64, PD_DIST_INT_UNIFORM, 18, 90, 0},
        {"people", "score", PD_COL_F64, PD_DIST_NORMAL, 70, 12, 0},
        {"column", "value", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0},
    };
    const pd_recipe *r = NULL;
    size_t col = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!r || strcmp(r->name, want[i].recipe) != 0) {
            r = pd_recipe_find(want[i].recipe);
            assert_non_null(r);
            col = 0;
        }
        assert_true(col < r->ncolumns);
        const pd_column_recipe *c = &r->columns[col++];
        assert_string_equal(c->name, want[i].name);
        assert_int_equal(c->type, want[i].type);
        assert_int_equal(c->dist, want[i].dist);
        assert_true(c->a == want[i].a && c->b == want[i].b);
        assert_true(c->nan_share == 0);
        size_t nlabels = 0;
        while (c->labels && c->labels[nlabels])
            nlabels++;
        assert_int_equal(nlabels, want[i].nlabels);
        assert_true(c->meaning && *c->meaning);
    }
    assert_int_equal(pd_recipe_find("events")->ncolumns, 5);
    assert_int_equal(pd_recipe_find("people")->ncolumns, 6);
    assert_int_equal(pd_recipe_find("column")->ncolumns, 1);

    const pd_column_recipe *kind = &pd_recipe_find("events")->columns[4];
    assert_string_equal(kind->labels[0], "view");
    assert_string_equal(kind->labels[1], "click");
    assert_string_equal(kind->labels[2], "buy");
    assert_non_null(kind->weights);
    assert_true(kind->weights[0] == 0.70 && kind->weights[1] == 0.25 &&
                kind->weights[2] == 0.05);
    const pd_column_recipe *city = &pd_recipe_find("people")->columns[3];
    assert_non_null(city->weights);
    assert_true(city->weights[0] > city->weights[19]); /* unequal */
    /* mixed's regions are weighted too, largest first */
    const pd_column_recipe *group = &pd_recipe_find("mixed")->columns[1];
    assert_non_null(group->weights);
    assert_true(group->weights[0] > group->weights[7]);
}

static void test_recipe_hash_covers_contents(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char h1[17], h2[17], h3[17], h4[17];
    pd_recipe_hash(r, h1);
    pd_recipe_hash(r, h2);
    assert_int_equal(strlen(h1), 16);
    assert_string_equal(h1, h2);

    pd_recipe copy = *r;
    copy.seed++;
    pd_recipe_hash(&copy, h3);
    assert_string_not_equal(h1, h3);

    pd_column_recipe cols[7];
    memcpy(cols, r->columns, sizeof cols);
    cols[3].nan_share = 0.06;
    copy = *r;
    copy.columns = cols;
    pd_recipe_hash(&copy, h4);
    assert_string_not_equal(h1, h4);

    const char *const labels[] = {"a", "b", NULL};
    memcpy(cols, r->columns, sizeof cols);
    cols[1].labels = labels;
    pd_recipe_hash(&copy, h4);
    assert_string_not_equal(h1, h4);

    /* Weights: one changed, and none at all (equal shares). */
    double weights[8];
    memcpy(weights, r->columns[1].weights, sizeof weights);
    weights[7] += 0.01;
    memcpy(cols, r->columns, sizeof cols);
    cols[1].weights = weights;
    pd_recipe_hash(&copy, h4);
    assert_string_not_equal(h1, h4);
    cols[1].weights = NULL;
    pd_recipe_hash(&copy, h4);
    assert_string_not_equal(h1, h4);
    /* The same values in another array: the same hash. */
    memcpy(weights, r->columns[1].weights, sizeof weights);
    cols[1].weights = weights;
    pd_recipe_hash(&copy, h4);
    assert_string_equal(h1, h4);
}

/* ---- make ---------------------------------------------------------------- */

static void test_make_is_byte_identical(void **state) {
    char *a = in_scratch("a.h5"), *b = in_scratch("sub/dir/b.h5");
    size_t alen, blen;
    make_or_fail(pd_recipe_find("mixed"), BIG_ROWS, a);
    /* Something else in between, so reused heap memory would differ. */
    make_or_fail(pd_recipe_find("points"), 777, b);
    make_or_fail(pd_recipe_find("mixed"), BIG_ROWS, b); /* mkdir -p'd too */
    char *da = slurp(a, &alen), *db = slurp(b, &blen);
    assert_int_equal(alen, blen);
    assert_memory_equal(da, db, alen);
    assert_int_equal(temp_files(), 0);
    free(da);
    free(db);
    free(a);
    free(b);
}

static void test_make_values(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char *path = in_scratch("values.h5");
    hsize_t n;
    make_or_fail(r, BIG_ROWS, path);

    int64_t *id = h5_read(path, "/mixed/id", H5T_NATIVE_INT64, &n);
    assert_int_equal(n, BIG_ROWS);
    for (hsize_t i = 0; i < n; i++)
        assert_int_equal(id[i], (int64_t)i + 1);
    free(id);

    double *y = h5_read(path, "/mixed/y", H5T_NATIVE_DOUBLE, &n);
    size_t nans = 0;
    for (hsize_t i = 0; i < n; i++) {
        if (isnan(y[i]))
            nans++;
        else
            assert_true(y[i] >= 0 && y[i] < 100);
    }
    assert_int_equal(nans, BIG_ROWS / 20); /* exactly round(rows * 0.05) */
    free(y);

    double *x = h5_read(path, "/mixed/x", H5T_NATIVE_DOUBLE, &n);
    double sum = 0, sq = 0;
    for (hsize_t i = 0; i < n; i++)
        sum += x[i];
    double mean = sum / (double)n;
    for (hsize_t i = 0; i < n; i++)
        sq += (x[i] - mean) * (x[i] - mean);
    double sd = sqrt(sq / (double)(n - 1));
    assert_true(fabs(mean) < 0.02);
    assert_true(sd > 0.98 && sd < 1.02);
    free(x);

    double *wait = h5_read(path, "/mixed/wait", H5T_NATIVE_DOUBLE, &n);
    double *price = h5_read(path, "/mixed/price", H5T_NATIVE_DOUBLE, &n);
    sum = 0;
    for (hsize_t i = 0; i < n; i++) {
        assert_true(wait[i] >= 0 && price[i] > 0);
        sum += wait[i];
    }
    assert_true(fabs(sum / (double)n - 2.0) < 0.05);
    free(wait);
    free(price);

    int32_t *qty = h5_read(path, "/mixed/qty", H5T_NATIVE_INT32, &n);
    int seen[21] = {0};
    for (hsize_t i = 0; i < n; i++) {
        assert_in_range(qty[i], 1, 20);
        seen[qty[i]] = 1;
    }
    assert_true(seen[1] && seen[20]);
    free(qty);

    int8_t *group = h5_read(path, "/mixed/group", H5T_NATIVE_INT8, &n);
    int used[8] = {0};
    for (hsize_t i = 0; i < n; i++) {
        assert_in_range(group[i], 0, 7);
        used[group[i]] = 1;
    }
    for (int i = 0; i < 8; i++)
        assert_true(used[i]);
    free(group);

    H5T_class_t cls;
    size_t size;
    h5_dtype(path, "/mixed/group", &cls, &size);
    assert_true(cls == H5T_INTEGER && size == 1);
    h5_dtype(path, "/mixed/qty", &cls, &size);
    assert_true(cls == H5T_INTEGER && size == 4);

    char s[8][64], hash[17];
    assert_int_equal(h5_attr_strings(path, "/mixed", "columns", s, 8), 7);
    assert_string_equal(s[0], "id");
    assert_string_equal(s[1], "group");
    assert_string_equal(s[6], "wait");
    h5_attr_strings(path, "/mixed", "recipe_hash", s, 8);
    pd_recipe_hash(r, hash);
    assert_string_equal(s[0], hash);
    h5_attr_strings(path, "/mixed", "recipe", s, 8);
    assert_string_equal(s[0], "mixed");
    assert_int_equal(h5_attr_u64(path, "/mixed", "rows"), BIG_ROWS);
    assert_int_equal(h5_attr_u64(path, "/mixed", "seed"), r->seed);
    assert_int_equal(h5_attr_u64(path, "/mixed", "pdlab_version"),
                     PD_DATASET_FORMAT_VERSION);
    h5_attr_strings(path, "/mixed/y", "meaning", s, 8);
    assert_string_equal(s[0], r->columns[3].meaning);
    h5_attr_strings(path, "/mixed/group", "kind", s, 8);
    assert_string_equal(s[0], "categorical");
    assert_int_equal(h5_attr_strings(path, "/mixed/group", "labels", s, 8), 8);
    assert_string_equal(s[0], "north");
    assert_string_equal(s[7], "islands");
    free(path);
}

/* Two makes of each new recipe, with other work in between, are the same
 * bytes: text columns included (no heap addresses or padding leak in). */
static void test_make_new_recipes_byte_identical(void **state) {
    static const char *const names[] = {"events", "people", "column"};
    char *a = in_scratch("same-a.h5"), *b = in_scratch("same-b.h5");
    for (size_t i = 0; i < 3; i++) {
        size_t alen, blen;
        make_or_fail(pd_recipe_find(names[i]), BIG_ROWS, a);
        make_or_fail(pd_recipe_find("mixed"), 999, b);
        make_or_fail(pd_recipe_find(names[i]), BIG_ROWS, b);
        char *da = slurp(a, &alen), *db = slurp(b, &blen);
        assert_int_equal(alen, blen);
        assert_memory_equal(da, db, alen);
        free(da);
        free(db);
    }
    assert_int_equal(temp_files(), 0);
    free(a);
    free(b);
}

/* Weighted choices follow their weights, in categorical and text columns;
 * a weight of 0 is never drawn; no weights means equal shares. */
static void test_choice_weights(void **state) {
    static const char *const labels[] = {"a", "b", "c", "d", "e", NULL};
    static const double weights[] = {5, 3, 1.5, 0.5, 0}; /* relative */
    const pd_column_recipe cols[] = {
        {"codes", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, labels, weights,
         "weighted codes"},
        {"text", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 0, labels, weights,
         "weighted text"},
        {"equal", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, labels, NULL,
         "equal shares"},
    };
    pd_recipe r = {"w", "weights", 5, cols, 3};
    char *path = in_scratch("weights.h5");
    make_or_fail(&r, BIG_ROWS, path);
    assert_label_shares(path, "/w/codes", &cols[0], 0.01);
    assert_label_shares(path, "/w/text", &cols[1], 0.01);
    assert_label_shares(path, "/w/equal", &cols[2], 0.01);

    /* The built-in recipes' weighted columns. */
    const pd_recipe *mixed = pd_recipe_find("mixed");
    const pd_recipe *events = pd_recipe_find("events");
    const pd_recipe *people = pd_recipe_find("people");
    make_or_fail(mixed, BIG_ROWS, path);
    assert_label_shares(path, "/mixed/group", &mixed->columns[1], 0.01);
    make_or_fail(events, BIG_ROWS, path);
    assert_label_shares(path, "/events/kind", &events->columns[4], 0.01);
    make_or_fail(people, BIG_ROWS, path);
    assert_label_shares(path, "/people/city", &people->columns[3], 0.01);
    free(path);
}

/* Counts the distinct values of v[0..n), all in 1..max, and checks them. */
static size_t distinct_keys(const int64_t *v, hsize_t n, int64_t max) {
    unsigned char *seen = calloc((size_t)max + 1, 1);
    size_t distinct = 0;
    for (hsize_t i = 0; i < n; i++) {
        assert_in_range(v[i], 1, max);
        distinct += !seen[v[i]];
        seen[v[i]] = 1;
    }
    free(seen);
    return distinct;
}

/* PD_DIST_KEY: 1..ceil(rows * a), so duplicates in a known proportion. */
static void test_key_distribution(void **state) {
    char *path = in_scratch("keys.h5");
    hsize_t n;
    make_or_fail(pd_recipe_find("events"), BIG_ROWS, path);

    /* 100,000 draws from 25,000 users: all but e^-4 of them appear. */
    int64_t *user = h5_read(path, "/events/user", H5T_NATIVE_INT64, &n);
    size_t users = distinct_keys(user, n, BIG_ROWS / 4);
    assert_true(users > 24000 && users < BIG_ROWS / 4 + 1);
    free(user);
    int64_t *item = h5_read(path, "/events/item", H5T_NATIVE_INT64, &n);
    assert_true(distinct_keys(item, n, BIG_ROWS / 50) > 1990);
    free(item);

    /* Small tables round the key count up, and never go below one key. */
    const pd_column_recipe cols[] = {
        {"quarter", PD_COL_I64, PD_DIST_KEY, 0.25, 0, 0, NULL, NULL,
         "10 rows: ceil(2.5) = 3 keys"},
        {"tiny", PD_COL_I32, PD_DIST_KEY, 1e-9, 0, 0, NULL, NULL,
         "fewer than one key: one"},
        {"all", PD_COL_F64, PD_DIST_KEY, 1, 0, 0, NULL, NULL,
         "as many keys as rows, as floats"},
    };
    pd_recipe r = {"k", "keys", 3, cols, 3};
    make_or_fail(&r, 10, path);
    int64_t *q = h5_read(path, "/k/quarter", H5T_NATIVE_INT64, &n);
    assert_int_equal(n, 10);
    assert_int_equal(distinct_keys(q, n, 3), 3);
    free(q);
    int32_t *tiny = h5_read(path, "/k/tiny", H5T_NATIVE_INT32, &n);
    for (hsize_t i = 0; i < n; i++)
        assert_int_equal(tiny[i], 1);
    free(tiny);
    double *all = h5_read(path, "/k/all", H5T_NATIVE_DOUBLE, &n);
    for (hsize_t i = 0; i < n; i++)
        assert_true(all[i] >= 1 && all[i] <= 10 && all[i] == floor(all[i]));
    free(all);
    free(path);
}

static void test_events_values(void **state) {
    char *path = in_scratch("events.h5");
    hsize_t n;
    H5T_class_t cls;
    size_t size;
    make_or_fail(pd_recipe_find("events"), BIG_ROWS, path);
    int64_t *ts = h5_read(path, "/events/ts", H5T_NATIVE_INT64, &n);
    assert_int_equal(n, BIG_ROWS);
    for (hsize_t i = 0; i < n; i++)
        assert_int_equal(ts[i], (int64_t)i + 1);
    free(ts);
    double *amount = h5_read(path, "/events/amount", H5T_NATIVE_DOUBLE, &n);
    double above = 0;
    for (hsize_t i = 0; i < n; i++) {
        assert_true(amount[i] > 0);
        above += amount[i] > exp(3.0); /* the median of lognormal(3, 1) */
    }
    assert_true(fabs(above / (double)n - 0.5) < 0.01);
    for (hsize_t i = 0; i < n; i++)
        amount[i] = log(amount[i]);
    double mean, sd;
    mean_sd(amount, n, &mean, &sd);
    assert_true(fabs(mean - 3) < 0.02 && fabs(sd - 1) < 0.02);
    free(amount);
    static const char *const int64_cols[] = {"/events/ts", "/events/user",
                                             "/events/item"};
    for (size_t i = 0; i < 3; i++) {
        h5_dtype(path, int64_cols[i], &cls, &size);
        assert_true(cls == H5T_INTEGER && size == 8);
    }
    h5_dtype(path, "/events/kind", &cls, &size);
    assert_true(cls == H5T_INTEGER && size == 1);
    char s[8][64];
    assert_int_equal(h5_attr_strings(path, "/events/kind", "labels", s, 8),
                     3);
    assert_string_equal(s[0], "view");
    assert_string_equal(s[2], "buy");
    assert_int_equal(h5_attr_strings(path, "/events", "columns", s, 8), 5);
    assert_string_equal(s[1], "user");
    free(path);
}

/* "First Last" from 40 x 40 names: all of them show up at 100,000 rows. */
static void check_names(char **names, hsize_t n) {
    char firsts[64][16], lasts[64][16];
    size_t nfirst = 0, nlast = 0;
    for (hsize_t i = 0; i < n; i++) {
        char first[16], last[16], extra;
        if (sscanf(names[i], "%15[A-Za-z] %15[A-Za-z]%c", first, last,
                   &extra) != 2 ||
            strlen(first) + strlen(last) + 1 != strlen(names[i]))
            fail_msg("name '%s' is not \"First Last\"", names[i]);
        assert_true(first[0] >= 'A' && first[0] <= 'Z');
        assert_true(last[0] >= 'A' && last[0] <= 'Z');
        size_t j = 0;
        while (j < nfirst && strcmp(firsts[j], first) != 0)
            j++;
        if (j == nfirst && nfirst < 64)
            strcpy(firsts[nfirst++], first);
        j = 0;
        while (j < nlast && strcmp(lasts[j], last) != 0)
            j++;
        if (j == nlast && nlast < 64)
            strcpy(lasts[nlast++], last);
    }
    assert_int_equal(nfirst, 40);
    assert_int_equal(nlast, 40);
}

/* "first.last<1..999>@<one of the domains>", in lower case. */
static void check_emails(char **emails, hsize_t n,
                         const char *const *domains) {
    size_t used[8] = {0};
    int lowest = 1000, highest = 0;
    for (hsize_t i = 0; i < n; i++) {
        char first[16], last[24], domain[32], extra;
        int number;
        if (sscanf(emails[i], "%15[a-z].%23[a-z]%d@%31[a-z.]%c", first, last,
                   &number, domain, &extra) != 4)
            fail_msg("email '%s' is not first.last123@domain", emails[i]);
        int k = find_label(domains, domain);
        if (k < 0)
            fail_msg("email '%s': unknown domain", emails[i]);
        used[k]++;
        assert_in_range(number, 1, 999);
        lowest = number < lowest ? number : lowest;
        highest = number > highest ? number : highest;
    }
    assert_int_equal(lowest, 1);
    assert_int_equal(highest, 999);
    for (size_t k = 0; domains[k]; k++)
        assert_true(used[k] > n / 8); /* equal shares, about n / 6 */
}

static void test_people_values(void **state) {
    const pd_recipe *r = pd_recipe_find("people");
    char *path = in_scratch("people.h5");
    hsize_t n;
    make_or_fail(r, BIG_ROWS, path);

    char **names = h5_read_strings(path, "/people/name", &n);
    assert_int_equal(n, BIG_ROWS);
    check_names(names, n);
    free_strings(names);
    char **emails = h5_read_strings(path, "/people/email", &n);
    check_emails(emails, n, r->columns[2].labels);
    free_strings(emails);
    assert_label_shares(path, "/people/city", &r->columns[3], 0.01);

    int64_t *age = h5_read(path, "/people/age", H5T_NATIVE_INT64, &n);
    int64_t lo = 1000, hi = 0;
    for (hsize_t i = 0; i < n; i++) {
        assert_in_range(age[i], 18, 90);
        lo = age[i] < lo ? age[i] : lo;
        hi = age[i] > hi ? age[i] : hi;
    }
    assert_true(lo == 18 && hi == 90);
    free(age);
    double *score = h5_read(path, "/people/score", H5T_NATIVE_DOUBLE, &n);
    double mean, sd;
    mean_sd(score, n, &mean, &sd);
    assert_true(fabs(mean - 70) < 0.2 && fabs(sd - 12) < 0.2);
    free(score);
    int64_t *id = h5_read(path, "/people/id", H5T_NATIVE_INT64, &n);
    assert_true(id[0] == 1 && id[n - 1] == BIG_ROWS);
    free(id);
    free(path);
}

/* Text columns: variable-length UTF-8 strings, chunked and deflated like
 * the others, with a meaning and no categorical attributes. */
static void test_text_column_layout(void **state) {
    char *path = in_scratch("layout.h5");
    make_or_fail(pd_recipe_find("people"), BIG_ROWS, path);
    static const char *const text[] = {"/people/name", "/people/email",
                                       "/people/city"};
    for (size_t i = 0; i < 3; i++) {
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t dset = H5Dopen2(file, text[i], H5P_DEFAULT);
        hid_t type = H5Dget_type(dset), dcpl = H5Dget_create_plist(dset);
        hsize_t chunk = 0;
        unsigned flags, values[8];
        size_t nvalues = 8;
        assert_int_equal(H5Tget_class(type), H5T_STRING);
        assert_true(H5Tis_variable_str(type) > 0);
        assert_int_equal(H5Tget_cset(type), H5T_CSET_UTF8);
        assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
        assert_int_equal(H5Pget_chunk(dcpl, 1, &chunk), 1);
        assert_true(chunk > 0 && chunk < BIG_ROWS);
        assert_true(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, &flags,
                                         &nvalues, values, 0, NULL,
                                         NULL) >= 0);
        assert_int_equal(H5Aexists_by_name(file, text[i], "kind",
                                           H5P_DEFAULT), 0);
        assert_int_equal(H5Aexists_by_name(file, text[i], "meaning",
                                           H5P_DEFAULT), 1);
        H5Pclose(dcpl);
        H5Tclose(type);
        H5Dclose(dset);
        H5Fclose(file);
    }
    free(path);
}

/* A column's values come from a stream named after it: adding a column
 * leaves the others as they were. */
static void test_columns_are_independent(void **state) {
    const pd_recipe *p = pd_recipe_find("points");
    pd_column_recipe cols[4];
    memcpy(cols + 1, p->columns, 3 * sizeof *cols);
    cols[0] = (pd_column_recipe){"extra", PD_COL_F64, PD_DIST_UNIFORM, 0, 1,
                                 0.5, NULL, NULL, "added first"};
    pd_recipe more = *p;
    more.columns = cols;
    more.ncolumns = 4;
    char *a = in_scratch("p3.h5"), *b = in_scratch("p4.h5");
    make_or_fail(p, 5000, a);
    make_or_fail(&more, 5000, b);
    hsize_t n;
    double *va = h5_read(a, "/points/b", H5T_NATIVE_DOUBLE, &n);
    double *vb = h5_read(b, "/points/b", H5T_NATIVE_DOUBLE, &n);
    assert_memory_equal(va, vb, n * sizeof *va);
    free(va);
    free(vb);
    free(a);
    free(b);
}

static void test_make_rejects_bad_recipes(void **state) {
    pd_column_recipe bad = {"n", PD_COL_I32, PD_DIST_NORMAL, 0, 1, 0, NULL,
                            NULL, "normal ints"};
    pd_recipe r = {"bad", "bad", 1, &bad, 1};
    pd_err e = {0};
    char *path = in_scratch("bad.h5");
    assert_int_equal(pd_dataset_make(&r, 10, path, &e), -1);
    assert_contains(e.msg, "column 'n'");
    pd_error_clear(&e);

    static const char *const two[] = {"x", "y", NULL};
    static const double negative[] = {1, -1}, zeros[] = {0, 0};
    static const double infinite[] = {1, INFINITY};
    static const struct {
        pd_column_recipe c;
        uint64_t rows;
        const char *expect;
    } cases[] = {
        {{"s", PD_COL_STRING, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL, "m"}, 10,
         "text columns use PD_DIST_CHOICE"},
        {{"f", PD_COL_F64, PD_DIST_FULL_NAME, 0, 0, 0, NULL, NULL, "m"}, 10,
         "not numbers"},
        {{"c", PD_COL_CATEGORY, PD_DIST_EMAIL, 1, 9, 0, two, NULL, "m"}, 10,
         "categorical columns use PD_DIST_CHOICE"},
        {{"c", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, NULL, NULL, "m"},
         10, "need labels"},
        {{"x", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, two, NULL, "m"}, 10,
         "only PD_DIST_CHOICE and PD_DIST_EMAIL columns take labels"},
        {{"w", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, two, negative, "m"},
         10, "weights must be finite and not negative"},
        {{"w", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 0, two, zeros, "m"}, 10,
         "with a positive sum"},
        {{"w", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, two, infinite, "m"},
         10, "weights must be finite"},
        {{"k", PD_COL_I64, PD_DIST_KEY, 0, 0, 0, NULL, NULL, "m"}, 10,
         "PD_DIST_KEY needs a > 0"},
        {{"k", PD_COL_I64, PD_DIST_KEY, NAN, 0, 0, NULL, NULL, "m"}, 10,
         "PD_DIST_KEY needs a > 0"},
        {{"k", PD_COL_I32, PD_DIST_KEY, 1, 0, 0, NULL, NULL, "m"},
         3000000000u, "do not fit in int32"},
        {{"e", PD_COL_STRING, PD_DIST_EMAIL, -1, 9, 0, two, NULL, "m"}, 10,
         "must not be negative"},
        {{"e", PD_COL_STRING, PD_DIST_EMAIL, 9, 1, 0, two, NULL, "m"}, 10,
         "whole numbers with a <= b"},
        {{"e", PD_COL_STRING, PD_DIST_EMAIL, 1, 9, 0, NULL, NULL, "m"}, 10,
         "need labels"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_recipe one = {"bad", "bad", 1, &cases[i].c, 1};
        assert_int_equal(pd_dataset_make(&one, cases[i].rows, path, &e), -1);
        assert_contains(e.msg, "recipe 'bad', column '");
        assert_contains(e.msg, cases[i].expect);
        pd_error_clear(&e);
    }
    assert_int_equal(pd_dataset_make(pd_recipe_find("mixed"), 0, path, &e),
                     -1);
    assert_contains(e.msg, "at least one row");
    assert_int_equal(access(path, F_OK), -1);
    free(path);
}

static int failing_fsync(int fd) {
    errno = ENOSPC;
    return -1;
}

static int failing_rename(const char *from, const char *to) {
    errno = EIO;
    return -1;
}

/* A failed write leaves the old file and no temporary file behind. */
static void test_make_failure_keeps_old_file(void **state) {
    char *path = in_scratch("keep.h5");
    size_t before_len, after_len;
    pd_err e = {0};
    make_or_fail(pd_recipe_find("points"), 100, path);
    char *before = slurp(path, &before_len);

    pd_sys.fsync = failing_fsync;
    assert_int_equal(pd_dataset_make(pd_recipe_find("mixed"), 100, path, &e),
                     -1);
    assert_contains(e.msg, "cannot write dataset file '");
    assert_contains(e.msg, "keep.h5': syncing it to disk failed: No space");
    pd_sys = real;

    pd_error_clear(&e);
    pd_sys.rename = failing_rename;
    assert_int_equal(pd_dataset_make(pd_recipe_find("mixed"), 100, path, &e),
                     -1);
    assert_contains(e.msg, "keep.h5");
    pd_sys = real;

    char *after = slurp(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_int_equal(temp_files(), 0);
    free(before);
    free(after);
    free(path);
}

/* ---- ensure -------------------------------------------------------------- */

static void test_ensure(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char dir[4096], path[4096];
    pd_err e = {0};
    int made = -1;
    assert_int_equal(pd_cache_dir(dir, sizeof dir, &e), 0);
    assert_string_equal(dir, getenv("PDLAB_CACHE"));
    assert_int_equal(pd_dataset_path(dir, "mixed", SMALL_ROWS, path,
                                     sizeof path, &e), 0);
    assert_non_null(strstr(path, "/mixed-1000.h5"));
    unlink(path);

    assert_int_equal(pd_dataset_ensure(r, SMALL_ROWS, path, &made, &e), 0);
    assert_int_equal(made, 1);
    ino_t first = inode_of(path);
    assert_int_equal(pd_dataset_ensure(r, SMALL_ROWS, path, &made, &e), 0);
    assert_int_equal(made, 0);
    assert_true(inode_of(path) == first); /* not rewritten */

    make_or_fail(r, 500, path); /* the rows attribute now differs */
    assert_int_equal(pd_dataset_ensure(r, SMALL_ROWS, path, &made, &e), 0);
    assert_int_equal(made, 1);
    assert_int_equal(h5_attr_u64(path, "/mixed", "rows"), SMALL_ROWS);

    put_file(path, "this is not HDF5 at all\n");
    assert_int_equal(pd_dataset_ensure(r, SMALL_ROWS, path, &made, &e), 0);
    assert_int_equal(made, 1);
    assert_int_equal(h5_attr_u64(path, "/mixed", "rows"), SMALL_ROWS);

    assert_int_equal(truncate(path, 4000), 0); /* cut short */
    assert_int_equal(pd_dataset_ensure(r, SMALL_ROWS, path, &made, &e), 0);
    assert_int_equal(made, 1);

    pd_recipe other = *r; /* same name, other contents: another hash */
    other.seed = 99;
    assert_int_equal(pd_dataset_ensure(&other, SMALL_ROWS, path, &made, &e),
                     0);
    assert_int_equal(made, 1);
    assert_int_equal(h5_attr_u64(path, "/mixed", "seed"), 99);
    assert_false(e.set);
}

static void test_dataset_path_rejects_bad_names(void **state) {
    char buf[64];
    pd_err e = {0};
    assert_int_equal(pd_dataset_path("/c", "../x", 1, buf, sizeof buf, &e), -1);
    pd_error_clear(&e);
    assert_int_equal(pd_dataset_path("/a/long/cache/directory", "mixed",
                                     1000000, buf, 20, &e), -1);
    assert_contains(e.msg, "too long");
}

/* ---- errors and info ----------------------------------------------------- */

static void test_missing_and_garbage_files(void **state) {
    char *missing = in_scratch("missing.h5");
    char *garbage = in_scratch("mixed-10.h5"), *cut = in_scratch("cut.h5");
    pd_err e = {0};
    assert_int_equal(pd_dataset_info(missing, stdout, &e), -1);
    assert_contains(e.msg, missing);
    assert_contains(e.msg, "does not exist");

    pd_error_clear(&e);
    put_file(garbage, "garbage, garbage, garbage\n");
    assert_int_equal(pd_dataset_info(garbage, stdout, &e), -1);
    assert_contains(e.msg, garbage);
    assert_contains(e.msg, "not an HDF5 file");
    /* The name says what it held, so the advice is the exact command. */
    assert_contains(e.msg, "pdlab dataset make mixed --rows 10");

    pd_error_clear(&e);
    make_or_fail(pd_recipe_find("mixed"), SMALL_ROWS, cut);
    assert_int_equal(truncate(cut, 5000), 0);
    assert_int_equal(pd_dataset_info(cut, stdout, &e), -1);
    assert_contains(e.msg, cut);
    assert_contains(e.msg, "corrupt or truncated");
    free(missing);
    free(garbage);
    free(cut);
}

static void test_info(void **state) {
    char *path = in_scratch("info.h5"), *text = NULL;
    size_t len = 0;
    pd_err e = {0};
    make_or_fail(pd_recipe_find("mixed"), SMALL_ROWS, path);
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pd_dataset_info(path, out, &e), 0);
    assert_int_equal(fclose(out), 0);
    assert_contains(text, path);
    assert_contains(text, "rows         1000\n");
    assert_contains(text, "seed         42\n");
    assert_contains(text, "group        /mixed\n");
    char hash[17];
    pd_recipe_hash(pd_recipe_find("mixed"), hash);
    assert_contains(text, hash);
    const pd_recipe *r = pd_recipe_find("mixed");
    for (size_t i = 0; i < r->ncolumns; i++) {
        assert_contains(text, r->columns[i].name);
        assert_contains(text, r->columns[i].meaning);
    }
    assert_contains(text, "category/int8");
    assert_contains(text, "float64");
    assert_contains(text, "labels (8): north, south, east");
    free(text);
    free(path);
}

static void test_info_describes_text(void **state) {
    char *path = in_scratch("people-info.h5"), *text = NULL;
    size_t len = 0;
    hsize_t n;
    pd_err e = {0};
    const pd_recipe *r = pd_recipe_find("people");
    make_or_fail(r, SMALL_ROWS, path);
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pd_dataset_info(path, out, &e), 0);
    assert_int_equal(fclose(out), 0);
    for (size_t i = 0; i < r->ncolumns; i++) {
        assert_contains(text, r->columns[i].name);
        assert_contains(text, r->columns[i].meaning);
    }
    assert_contains(text, "object/string");
    assert_contains(text, "bytes a row on average, e.g. \"");
    char **emails = h5_read_strings(path, "/people/email", &n);
    char *example = pd_strdup_printf("e.g. \"%s\", \"%s\"", emails[0],
                                     emails[1]);
    assert_contains(text, example);
    free(example);
    free_strings(emails);
    free(text);
    text = NULL;

    make_or_fail(pd_recipe_find("events"), SMALL_ROWS, path);
    out = open_memstream(&text, &len);
    assert_int_equal(pd_dataset_info(path, out, &e), 0);
    assert_int_equal(fclose(out), 0);
    assert_contains(text, "category/int8");
    assert_contains(text, "labels (3): view, click, buy\n");
    free(text);
    free(path);
}

/* Files written by other tools may hold fixed-length strings. */
static void test_info_reads_fixed_length_strings(void **state) {
    char *path = in_scratch("fixed.h5"), *text = NULL;
    size_t len = 0;
    pd_err e = {0};
    make_or_fail(pd_recipe_find("points"), 10, path);
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t group = H5Gopen2(file, "/points", H5P_DEFAULT);
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    assert_true(H5Adelete(group, "description") >= 0);
    H5Tset_size(type, 5); /* exactly full: no terminating NUL stored */
    hid_t attr = H5Acreate2(group, "description", type, space, H5P_DEFAULT,
                            H5P_DEFAULT);
    assert_true(attr >= 0 && H5Awrite(attr, type, "fixedXXX") >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    H5Gclose(group);
    H5Fclose(file);

    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pd_dataset_info(path, out, &e), 0);
    assert_int_equal(fclose(out), 0);
    assert_contains(text, "description  fixed\n");
    free(text);
    free(path);
}

/* ---- CSV import ---------------------------------------------------------- */

static void test_csv_round_trip(void **state) {
    char *csv = in_scratch("trips.csv"), *h5 = in_scratch("trips.h5");
    pd_err e = {0};
    hsize_t n;
    put_file(csv, "city,n,score,note,big\r\n"
                  "Oslo,1,2.5,\"hello, world\",9007199254740993\r\n"
                  "Rome,2,,\"say \"\"hi\"\"\",-3\n"
                  "\n"
                  "Oslo,-3,1e3,,0\n"
                  "Lima,40, 7 ,plain,5");
    if (pd_dataset_import_csv(csv, "trips", h5, &e) != 0)
        fail_msg("%s", e.msg);

    H5T_class_t cls;
    size_t size;
    int8_t *city = h5_read(h5, "/trips/city", H5T_NATIVE_INT8, &n);
    assert_int_equal(n, 4);
    assert_int_equal(city[0], 0);
    assert_int_equal(city[1], 1);
    assert_int_equal(city[2], 0);
    assert_int_equal(city[3], 2);
    free(city);
    char s[8][64];
    assert_int_equal(h5_attr_strings(h5, "/trips/city", "labels", s, 8), 3);
    assert_string_equal(s[0], "Oslo");
    assert_string_equal(s[1], "Rome");
    assert_string_equal(s[2], "Lima");
    h5_attr_strings(h5, "/trips/city", "kind", s, 8);
    assert_string_equal(s[0], "categorical");

    h5_dtype(h5, "/trips/n", &cls, &size);
    assert_true(cls == H5T_INTEGER && size == 8);
    int64_t *num = h5_read(h5, "/trips/n", H5T_NATIVE_INT64, &n);
    assert_int_equal(num[0], 1);
    assert_int_equal(num[2], -3);
    assert_int_equal(num[3], 40);
    free(num);
    int64_t *big = h5_read(h5, "/trips/big", H5T_NATIVE_INT64, &n);
    assert_int_equal(big[0], 9007199254740993LL); /* not rounded to double */
    free(big);

    h5_dtype(h5, "/trips/score", &cls, &size);
    assert_true(cls == H5T_FLOAT && size == 8);
    double *score = h5_read(h5, "/trips/score", H5T_NATIVE_DOUBLE, &n);
    assert_true(score[0] == 2.5 && isnan(score[1]) && score[2] == 1000 &&
                score[3] == 7);
    free(score);

    int8_t *note = h5_read(h5, "/trips/note", H5T_NATIVE_INT8, &n);
    assert_int_equal(note[2], -1); /* empty text: missing */
    free(note);
    assert_int_equal(h5_attr_strings(h5, "/trips/note", "labels", s, 8), 3);
    assert_string_equal(s[0], "hello, world");
    assert_string_equal(s[1], "say \"hi\"");

    assert_int_equal(h5_attr_u64(h5, "/trips", "rows"), 4);
    assert_int_equal(h5_attr_u64(h5, "/trips", "seed"), 0);
    h5_attr_strings(h5, "/trips", "recipe", s, 8);
    assert_string_equal(s[0], "csv:trips.csv");
    assert_int_equal(h5_attr_strings(h5, "/trips", "columns", s, 8), 5);
    assert_string_equal(s[3], "note");
    free(csv);
    free(h5);
}

/* More than 127 labels take int16 codes; thousands need the label table
 * stored outside the object header, which the 1.8 file format allows. */
static void test_csv_many_labels(void **state) {
    char *csv = in_scratch("many.csv"), *h5 = in_scratch("many.h5");
    pd_err e = {0};
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("name,v\n", f);
    for (int i = 0; i < 6000; i++)
        fprintf(f, "label-%d,%d\n", i % 5000, i);
    assert_int_equal(fclose(f), 0);
    if (pd_dataset_import_csv(csv, "many", h5, &e) != 0)
        fail_msg("%s", e.msg);
    H5T_class_t cls;
    size_t size;
    hsize_t n;
    h5_dtype(h5, "/many/name", &cls, &size);
    assert_true(cls == H5T_INTEGER && size == 2);
    int16_t *codes = h5_read(h5, "/many/name", H5T_NATIVE_INT16, &n);
    assert_int_equal(codes[4999], 4999);
    assert_int_equal(codes[5001], 1);
    free(codes);
    free(csv);
    free(h5);
}

/* Export quotes what needs it (RFC 4180), so a CSV reader gets back exactly
 * the text that was stored: first text that came in through CSV import. */
static void test_export_quotes_imported_text(void **state) {
    char *csv = in_scratch("quote.csv"), *h5 = in_scratch("quote.h5");
    char *back = in_scratch("quote-back.csv");
    pd_err e = {0};
    size_t len;
    const char *text = "k,note\n"
                       "1,\"hello, world\"\n"
                       "2,\"say \"\"hi\"\"\"\n"
                       "3,plain\n"
                       "4,\n"
                       "5,\"two\nlines\"\n";
    put_file(csv, text);
    if (pd_dataset_import_csv(csv, "quote", h5, &e) != 0)
        fail_msg("%s", e.msg);
    if (pd_dataset_export_csv(h5, back, &e) != 0)
        fail_msg("%s", e.msg);
    char *got = slurp(back, &len);
    assert_string_equal(got, text);
    free(got);
    free(csv);
    free(h5);
    free(back);
}

/* ... then text columns: exported, then imported again, every row holds the
 * string the generator wrote. */
static void test_export_text_round_trip(void **state) {
    static const char *const tricky[] = {
        "a,b", "say \"hi\"", "two\nlines", "plain", "\"", "caf\xc3\xa9",
        NULL,
    };
    const pd_column_recipe cols[] = {
        {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL, NULL, "row"},
        {"t", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 0, tricky, NULL,
         "text that needs quoting"},
    };
    pd_recipe r = {"q", "quoting", 9, cols, 2};
    char *h5 = in_scratch("text.h5"), *csv = in_scratch("text.csv");
    char *again = in_scratch("text-again.h5");
    pd_err e = {0};
    hsize_t n, m;
    size_t len;
    make_or_fail(&r, 300, h5);
    if (pd_dataset_export_csv(h5, csv, &e) != 0)
        fail_msg("%s", e.msg);
    char *body = slurp(csv, &len);
    assert_true(strncmp(body, "id,t\n1,", 7) == 0);
    assert_contains(body, ",\"a,b\"\n");
    assert_contains(body, ",\"say \"\"hi\"\"\"\n");
    assert_contains(body, ",\"two\nlines\"\n");
    assert_contains(body, ",\"\"\"\"\n");
    assert_contains(body, ",caf\xc3\xa9\n");
    free(body);

    if (pd_dataset_import_csv(csv, "q", again, &e) != 0)
        fail_msg("%s", e.msg);
    char **want = h5_read_strings(h5, "/q/t", &n);
    int8_t *codes = h5_read(again, "/q/t", H5T_NATIVE_INT8, &m);
    char labels[8][64];
    size_t nlabels = h5_attr_strings(again, "/q/t", "labels", labels, 8);
    assert_int_equal(n, 300);
    assert_int_equal(m, n);
    assert_int_equal(nlabels, 6);
    for (hsize_t i = 0; i < n; i++) {
        assert_in_range(codes[i], 0, nlabels - 1);
        assert_string_equal(labels[codes[i]], want[i]);
    }
    free(codes);
    free_strings(want);
    free(h5);
    free(csv);
    free(again);
}

static void test_csv_errors(void **state) {
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"a,b\n1,2\n3\n", "line 3 has 1 field but the header has 2"},
        {"a,b\n1,2\n3,4,5\n", "line 3 has 3 fields"},
        {"a,a\n1,2\n", "column 'a' twice"},
        {"a,\n1,2\n", "column 2"},
        {"a,b\n", "no data lines"},
        {"", "empty"},
        {"a,b\n1,\"open\n", "not closed"},
    };
    char *csv = in_scratch("bad.csv"), *h5 = in_scratch("bad.h5");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_err e = {0};
        put_file(csv, cases[i].text);
        assert_int_equal(pd_dataset_import_csv(csv, "bad", h5, &e), -1);
        assert_contains(e.msg, cases[i].expect);
        assert_contains(e.msg, "bad.csv");
    }
    assert_int_equal(access(h5, F_OK), -1);
    free(csv);
    free(h5);
}

/* ---- the loader ---------------------------------------------------------- */

static PyObject *globals; /* the namespace the checks below run in */

static int python_setup(void **state) {
    pd_err e = {0};
    if (setup(state) != 0)
        return -1;
    if (pd_python_start(&e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    globals = PyDict_New();
    PyObject *np = PyImport_ImportModule("numpy");
    if (!globals || !np || PyDict_SetItemString(globals, "np", np) < 0)
        return -1;
    Py_DECREF(np);
    return 0;
}

static int python_teardown(void **state) {
    Py_CLEAR(globals);
    pd_python_stop();
    return teardown(state);
}

/* Evaluates a Python expression in `globals`; fails the test when it raises
 * or is false. */
static void py_check(const char *expr) {
    PyObject *v = PyRun_String(expr, Py_eval_input, globals, globals);
    if (!v) {
        pd_err e = {0};
        pd_python_error(&e, "%s", expr);
        fail_msg("%s", e.msg);
    }
    int ok = PyObject_IsTrue(v);
    Py_DECREF(v);
    if (ok != 1)
        fail_msg("false: %s", expr);
}

static void set_global(const char *name, PyObject *value) {
    assert_non_null(value);
    assert_int_equal(PyDict_SetItemString(globals, name, value), 0);
    Py_DECREF(value);
}

static void test_load_frame(void **state) {
    char *path = in_scratch("load.h5");
    pd_err e = {0};
    pd_load_stats stats = {0};
    hsize_t n;
    make_or_fail(pd_recipe_find("mixed"), SMALL_ROWS, path);
    PyObject *df = pd_load_frame(path, NULL, &stats, &e);
    if (!df)
        fail_msg("%s", e.msg);
    set_global("df", df);

    py_check("df.shape == (1000, 7)");
    py_check("list(df.columns) == "
             "['id', 'group', 'x', 'y', 'price', 'qty', 'wait']");
    py_check("[str(t) for t in df.dtypes] == ['int64', 'category', "
             "'float64', 'float64', 'float64', 'int32', 'float64']");
    py_check("list(df['group'].cat.categories) == ['north', 'south', 'east', "
             "'west', 'central', 'coast', 'hills', 'islands']");
    py_check("df['group'].cat.codes.dtype == np.int8");
    py_check("df['y'].isna().sum() == 50");
    /* One block per column: pandas did not consolidate (copy) them. */
    py_check("df._mgr.nblocks == 7");
    py_check("df['x'].to_numpy().flags.c_contiguous");

    /* The same values as HDF5 reads directly. */
    double *x = h5_read(path, "/mixed/x", H5T_NATIVE_DOUBLE, &n);
    set_global("x0", PyFloat_FromDouble(x[0]));
    set_global("x999", PyFloat_FromDouble(x[999]));
    free(x);
    py_check("df['x'].iloc[0] == x0 and df['x'].iloc[999] == x999");
    int8_t *g = h5_read(path, "/mixed/group", H5T_NATIVE_INT8, &n);
    set_global("g7", PyLong_FromLong(g[7]));
    free(g);
    py_check("df['group'].cat.codes.iloc[7] == g7");
    py_check("(df['id'].to_numpy() == np.arange(1, 1001)).all()");

    assert_int_equal(stats.rows, SMALL_ROWS);
    assert_int_equal(stats.columns, 7);
    assert_int_equal(stats.bytes, SMALL_ROWS * (8 + 1 + 8 + 8 + 8 + 4 + 8));
    assert_true(stats.seconds > 0 && stats.seconds < 60);

    PyObject *named = pd_load_frame(path, "mixed", NULL, &e);
    if (!named)
        fail_msg("%s", e.msg);
    Py_DECREF(named);
    assert_null(pd_load_frame(path, "other", NULL, &e));
    assert_contains(e.msg, "no group '/other'");
    free(path);
}

static void test_load_csv_frame(void **state) {
    char *csv = in_scratch("l.csv"), *h5 = in_scratch("l.h5");
    pd_err e = {0};
    put_file(csv, "k,v\nb,1.5\na,\nb,3\n");
    if (pd_dataset_import_csv(csv, "l", h5, &e) != 0)
        fail_msg("%s", e.msg);
    PyObject *df = pd_load_frame(h5, NULL, NULL, &e);
    if (!df)
        fail_msg("%s", e.msg);
    set_global("df", df);
    py_check("list(df['k']) == ['b', 'a', 'b']");
    py_check("np.isnan(df['v'].iloc[1]) and df['v'].iloc[2] == 3.0");
    free(csv);
    free(h5);
}

static void test_load_column_into(void **state) {
    char *path = in_scratch("col.h5");
    pd_err e = {0};
    hsize_t n;
    make_or_fail(pd_recipe_find("points"), SMALL_ROWS, path);

    PyObject *fresh = pd_load_column(path, "/points/b", NULL, &e);
    if (!fresh)
        fail_msg("%s", e.msg);
    set_global("fresh", fresh);
    py_check("fresh.dtype == np.float64 and fresh.shape == (1000,)");

    set_global("buf", PyRun_String("np.empty(1000)", Py_eval_input, globals,
                                   globals));
    PyObject *buf = PyDict_GetItemString(globals, "buf"); /* borrowed */
    PyObject *got = pd_load_column(path, "/points/b", buf, &e);
    if (!got)
        fail_msg("%s", e.msg);
    assert_ptr_equal(got, buf); /* filled in place, not a new array */
    Py_DECREF(got);
    py_check("(buf == fresh).all()");

    double *b = h5_read(path, "/points/b", H5T_NATIVE_DOUBLE, &n);
    Py_buffer view;
    assert_int_equal(PyObject_GetBuffer(buf, &view, PyBUF_C_CONTIGUOUS), 0);
    assert_memory_equal(view.buf, b, n * sizeof *b);
    PyBuffer_Release(&view);
    free(b);

    set_global("wrong", PyRun_String("np.empty(1000, dtype=np.float32)",
                                     Py_eval_input, globals, globals));
    assert_null(pd_load_column(path, "/points/b",
                               PyDict_GetItemString(globals, "wrong"), &e));
    assert_contains(e.msg, "C-contiguous, 1-D array of 1000");
    pd_error_clear(&e);
    assert_null(pd_load_column(path, "/points/nope", NULL, &e));
    assert_contains(e.msg, "no column '/points/nope'");
    pd_error_clear(&e);
    assert_null(pd_load_column(path, "/nope/b", NULL, &e));
    assert_contains(e.msg, "no column '/nope/b'");
    free(path);
}

/* A Python list of the strings HDF5 reads directly (new reference). */
static PyObject *py_strings(const char *path, const char *object,
                            uint64_t *bytes) {
    hsize_t n;
    char **v = h5_read_strings(path, object, &n);
    PyObject *list = PyList_New((Py_ssize_t)n);
    assert_non_null(list);
    for (hsize_t i = 0; i < n; i++) {
        *bytes += strlen(v[i]);
        PyList_SET_ITEM(list, (Py_ssize_t)i, PyUnicode_FromString(v[i]));
    }
    free_strings(v);
    return list;
}

/* Text columns load as object columns of str, equal to what HDF5 reads. */
static void test_load_text(void **state) {
    char *path = in_scratch("people-load.h5");
    pd_err e = {0};
    pd_load_stats stats = {0};
    uint64_t text_bytes = 0;
    make_or_fail(pd_recipe_find("people"), BIG_ROWS, path);
    PyObject *df = pd_load_frame(path, NULL, &stats, &e);
    if (!df)
        fail_msg("%s", e.msg);
    set_global("df", df);
    set_global("names", py_strings(path, "/people/name", &text_bytes));
    set_global("emails", py_strings(path, "/people/email", &text_bytes));
    set_global("cities", py_strings(path, "/people/city", &text_bytes));

    py_check("list(df.columns) == "
             "['id', 'name', 'email', 'city', 'age', 'score']");
    py_check("[str(t) for t in df.dtypes] == ['int64', 'object', 'object', "
             "'object', 'int64', 'float64']");
    py_check("all(type(s) is str for s in df['name'])");
    py_check("df['name'].tolist() == names");
    py_check("df['email'].tolist() == emails");
    py_check("df['city'].tolist() == cities");
    py_check("df['city'].nunique() == 20");
    py_check("df['email'].str.split('@').str[1].nunique() == 6");
    py_check("df['age'].between(18, 90).all()");
    assert_int_equal(stats.rows, BIG_ROWS);
    assert_int_equal(stats.columns, 6);
    assert_int_equal(stats.bytes, BIG_ROWS * (8 + 8 + 8) + text_bytes);

    /* One column, fresh and into an object array that already holds
     * objects: they are released and replaced. */
    PyObject *col = pd_load_column(path, "/people/city", NULL, &e);
    if (!col)
        fail_msg("%s", e.msg);
    set_global("col", col);
    py_check("col.dtype == object and col.tolist() == cities");
    set_global("buf", PyRun_String("np.array([object()] * 100000)",
                                   Py_eval_input, globals, globals));
    PyObject *buf = PyDict_GetItemString(globals, "buf"); /* borrowed */
    PyObject *got = pd_load_column(path, "/people/email", buf, &e);
    if (!got)
        fail_msg("%s", e.msg);
    assert_ptr_equal(got, buf);
    Py_DECREF(got);
    py_check("buf.tolist() == emails");
    set_global("wrong", PyRun_String("np.empty(100000)", Py_eval_input,
                                     globals, globals));
    assert_null(pd_load_column(path, "/people/name",
                               PyDict_GetItemString(globals, "wrong"), &e));
    assert_contains(e.msg, "C-contiguous, 1-D array of 100000 numpy.object_");
    free(path);
}

/* Other tools write fixed-length strings, some filling their width with no
 * NUL: they load as str too. */
static void test_load_fixed_length_text(void **state) {
    char *path = in_scratch("fixed-text.h5");
    pd_err e = {0};
    static const char values[3][4] = {"ab", "abcd", ""};
    hsize_t three = 3;
    make_or_fail(pd_recipe_find("points"), 3, path);
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &three, NULL);
    H5Tset_size(type, 4);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    hid_t dset = H5Dcreate2(file, "/points/tag", type, space, H5P_DEFAULT,
                            H5P_DEFAULT, H5P_DEFAULT);
    assert_true(dset >= 0);
    assert_true(H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >=
                0);
    H5Dclose(dset);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
    PyObject *col = pd_load_column(path, "/points/tag", NULL, &e);
    if (!col)
        fail_msg("%s", e.msg);
    set_global("tag", col);
    py_check("tag.tolist() == ['ab', 'abcd', '']");
    free(path);
}

static void test_load_errors_name_the_file(void **state) {
    char *missing = in_scratch("gone.h5"), *junk = in_scratch("junk.h5");
    pd_err e = {0};
    assert_null(pd_load_frame(missing, NULL, NULL, &e));
    assert_contains(e.msg, missing);
    assert_contains(e.msg, "does not exist");
    pd_error_clear(&e);
    put_file(junk, "\x89HDF but not really");
    assert_null(pd_load_frame(junk, NULL, NULL, &e));
    assert_contains(e.msg, junk);
    assert_false(PyErr_Occurred());

    /* Damaged compressed data: the error names the column (qty: floats are
     * stored raw, integers deflated). (Damaged object
     * headers are tested end to end instead, in a process of their own:
     * HDF5 1.10 leaks a block when it rejects one.) */
    pd_error_clear(&e);
    make_or_fail(pd_recipe_find("mixed"), SMALL_ROWS, junk);
    hid_t file = H5Fopen(junk, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, "/mixed/qty", H5P_DEFAULT);
    hid_t space = H5Dget_space(dset);
    haddr_t addr = 0;
    hsize_t size = 0;
    assert_true(H5Dget_chunk_info(dset, space, 0, NULL, NULL, &addr, &size) >=
                0);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    FILE *f = fopen(junk, "r+b");
    static const char garbage[64] = "garbage garbage garbage garbage";
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(addr + size / 2), SEEK_SET), 0);
    assert_int_equal(fwrite(garbage, 1, sizeof garbage, f), sizeof garbage);
    assert_int_equal(fclose(f), 0);
    assert_null(pd_load_frame(junk, NULL, NULL, &e));
    assert_contains(e.msg, junk);
    assert_contains(e.msg, "reading '/mixed/qty' failed");
    assert_contains(e.msg, "corrupt or truncated");
    assert_false(PyErr_Occurred());
    free(missing);
    free(junk);
}

int main(void) {
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_recipe_mixed_columns),
        cmocka_unit_test(test_recipe_new_columns),
        cmocka_unit_test(test_recipe_hash_covers_contents),
        cmocka_unit_test(test_make_is_byte_identical),
        cmocka_unit_test(test_make_new_recipes_byte_identical),
        cmocka_unit_test(test_make_values),
        cmocka_unit_test(test_choice_weights),
        cmocka_unit_test(test_key_distribution),
        cmocka_unit_test(test_events_values),
        cmocka_unit_test(test_people_values),
        cmocka_unit_test(test_text_column_layout),
        cmocka_unit_test(test_columns_are_independent),
        cmocka_unit_test(test_make_rejects_bad_recipes),
        cmocka_unit_test_teardown(test_make_failure_keeps_old_file,
                                  restore_sys),
        cmocka_unit_test(test_ensure),
        cmocka_unit_test(test_dataset_path_rejects_bad_names),
        cmocka_unit_test(test_missing_and_garbage_files),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_info_describes_text),
        cmocka_unit_test(test_info_reads_fixed_length_strings),
        cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_csv_many_labels),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_export_quotes_imported_text),
        cmocka_unit_test(test_export_text_round_trip),
    };
    const struct CMUnitTest loader[] = {
        cmocka_unit_test(test_load_frame),
        cmocka_unit_test(test_load_csv_frame),
        cmocka_unit_test(test_load_column_into),
        cmocka_unit_test(test_load_text),
        cmocka_unit_test(test_load_fixed_length_text),
        cmocka_unit_test(test_load_errors_name_the_file),
    };
    int failed = cmocka_run_group_tests_name("datasets", files, setup,
                                             teardown);
    failed += cmocka_run_group_tests_name("loader", loader, python_setup,
                                          python_teardown);
    return failed ? 1 : 0;
}
