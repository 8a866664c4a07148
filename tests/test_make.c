/* Unit tests for pd_dataset_make's files (datasets/write.c): the same
 * bytes every time, the layout h5py and pandas users see, recipes it
 * refuses, and a failed write that leaves the old file as it was. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "test_dataset.h"

static pd_syscalls real; /* pd_sys as the library initialized it */

/* The file at path holds exactly the len bytes of want. */
static void assert_file_holds(const char *path, const char *want,
                              size_t len) {
    size_t got_len;
    char *got = slurp(path, &got_len);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, want, len);
    free(got);
}

static void test_make_is_byte_identical(void **state) {
    char *a = in_scratch("a.h5"), *b = in_scratch("sub/dir/b.h5");
    size_t alen;
    make_or_fail(pd_recipe_find("mixed"), BIG_ROWS, a);
    /* Something else in between, so reused heap memory would differ. */
    make_or_fail(pd_recipe_find("points"), 777, b);
    make_or_fail(pd_recipe_find("mixed"), BIG_ROWS, b); /* mkdir -p'd too */
    char *da = slurp(a, &alen);
    assert_file_holds(b, da, alen);
    assert_int_equal(temp_files(), 0);
    free(da);
    free(a);
    free(b);
}

/* Two makes of each new recipe, with other work in between, are the same
 * bytes: text columns included (no heap addresses or padding leak in). */
static void test_make_new_recipes_byte_identical(void **state) {
    static const char *const names[] = {"events", "people", "column"};
    char *a = in_scratch("same-a.h5"), *b = in_scratch("same-b.h5");
    for (size_t i = 0; i < 3; i++) {
        size_t alen;
        make_or_fail(pd_recipe_find(names[i]), BIG_ROWS, a);
        make_or_fail(pd_recipe_find("mixed"), 999, b);
        make_or_fail(pd_recipe_find(names[i]), BIG_ROWS, b);
        char *da = slurp(a, &alen);
        assert_file_holds(b, da, alen);
        free(da);
    }
    assert_int_equal(temp_files(), 0);
    free(a);
    free(b);
}

/* 1 when the dataset at object is stored with filter (H5Z_FILTER_*). */
static int has_filter(const char *path, const char *object,
                      H5Z_filter_t filter) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(dset);
    unsigned flags, values[8];
    size_t nvalues = 8;
    assert_true(dcpl >= 0);
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    int found = H5Pget_filter_by_id2(dcpl, filter, &flags, &nvalues, values,
                                     0, NULL, NULL) >= 0;
    H5Pclose(dcpl);
    H5Dclose(dset);
    H5Fclose(file);
    return found;
}

/* The layout h5py and pandas users rely on (include/pdlab/dataset.h): the
 * group's attributes; each column's type, meaning and labels; floats stored
 * raw, everything else shuffled and deflated. */
static void test_make_layout(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char *path = in_scratch("layout-mixed.h5");
    make_or_fail(r, SMALL_ROWS, path);
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
    assert_int_equal(h5_attr_u64(path, "/mixed", "rows"), SMALL_ROWS);
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
    for (size_t i = 0; i < r->ncolumns; i++) {
        char *object = pd_strdup_printf("/mixed/%s", r->columns[i].name);
        int raw = r->columns[i].type == PD_COL_F64;
        assert_int_equal(has_filter(path, object, H5Z_FILTER_DEFLATE), !raw);
        assert_int_equal(has_filter(path, object, H5Z_FILTER_SHUFFLE), !raw);
        free(object);
    }
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
        assert_int_equal(H5Tget_class(type), H5T_STRING);
        assert_true(H5Tis_variable_str(type) > 0);
        assert_int_equal(H5Tget_cset(type), H5T_CSET_UTF8);
        assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
        assert_int_equal(H5Pget_chunk(dcpl, 1, &chunk), 1);
        assert_true(chunk > 0 && chunk < BIG_ROWS);
        assert_int_equal(H5Aexists_by_name(file, text[i], "kind",
                                           H5P_DEFAULT), 0);
        assert_int_equal(H5Aexists_by_name(file, text[i], "meaning",
                                           H5P_DEFAULT), 1);
        H5Pclose(dcpl);
        H5Tclose(type);
        H5Dclose(dset);
        H5Fclose(file);
        assert_true(has_filter(path, text[i], H5Z_FILTER_DEFLATE));
    }
    free(path);
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
    size_t before_len;
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
    assert_contains(e.msg, "keep.h5': renaming '");
    assert_contains(e.msg, "into place failed: Input/output error");
    pd_sys = real;

    assert_file_holds(path, before, before_len);
    assert_int_equal(temp_files(), 0);
    free(before);
    free(path);
}

static int setup(void **state) {
    real = pd_sys;
    return dataset_setup("test_make");
}

static int restore_sys(void **state) {
    pd_sys = real;
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_is_byte_identical),
        cmocka_unit_test(test_make_new_recipes_byte_identical),
        cmocka_unit_test(test_make_layout),
        cmocka_unit_test(test_text_column_layout),
        cmocka_unit_test(test_make_rejects_bad_recipes),
        cmocka_unit_test_teardown(test_make_failure_keeps_old_file,
                                  restore_sys),
    };
    return cmocka_run_group_tests_name("make", tests, setup,
                                       dataset_teardown);
}
