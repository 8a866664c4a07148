/* Unit tests for datasets/info.c: `pdlab dataset info`, and the messages
 * that name a missing, foreign or damaged file (datasets/h5util.c). */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp, open_memstream */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/dataset.h"
#include "test_dataset.h"

/* pd_dataset_info's description of path (caller frees), or a failed test. */
static char *info_or_fail(const char *path) {
    char *text = NULL;
    size_t len = 0;
    pd_err e = {0};
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    if (pd_dataset_info(path, out, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(fclose(out), 0);
    return text;
}

/* pd_dataset_info of path, which must fail; its message goes into *e. What
 * it printed before it failed is dropped. */
static void info_must_fail(const char *path, pd_err *e) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    pd_error_clear(e);
    assert_int_equal(pd_dataset_info(path, out, e), -1);
    assert_int_equal(fclose(out), 0);
    free(text);
}

/* The line of column `name` calls it `kind`: "  name    kind ...". The
 * name column is at least 6 wide, and no recipe here has a longer name. */
static void assert_column_line(const char *text, const char *name,
                               const char *kind) {
    char *line = pd_strdup_printf("\n  %-6s  %s ", name, kind);
    assert_contains(text, line);
    free(line);
}

static void test_missing_and_garbage_files(void **state) {
    char *missing = in_scratch("missing.h5");
    char *garbage = in_scratch("mixed-10.h5"), *cut = in_scratch("cut.h5");
    pd_err e = {0};
    info_must_fail(missing, &e);
    assert_contains(e.msg, missing);
    assert_contains(e.msg, "does not exist");

    test_put_file(garbage, "garbage, garbage, garbage\n");
    info_must_fail(garbage, &e);
    assert_contains(e.msg, garbage);
    assert_contains(e.msg, "not an HDF5 file");
    /* The name says what it held, so the advice is the exact command. */
    assert_contains(e.msg, "pdlab dataset make mixed --rows 10");

    make_or_fail(pd_recipe_find("mixed"), SMALL_ROWS, cut);
    assert_int_equal(truncate(cut, 5000), 0);
    info_must_fail(cut, &e);
    assert_contains(e.msg, cut);
    assert_contains(e.msg, "corrupt or truncated");
    free(missing);
    free(garbage);
    free(cut);
}

static void test_info(void **state) {
    static const char *const kinds[] = {
        "int64", "category/int8", "float64", "float64", "float64", "int32",
        "float64",
    };
    const pd_recipe *r = pd_recipe_find("mixed");
    char *path = in_scratch("info.h5");
    make_or_fail(r, SMALL_ROWS, path);
    char *text = info_or_fail(path);
    assert_contains(text, path);
    assert_contains(text, "rows         1000\n");
    assert_contains(text, "seed         42\n");
    assert_contains(text, "group        /mixed\n");
    char hash[17];
    pd_recipe_hash(r, hash);
    assert_contains(text, hash);
    assert_int_equal(r->ncolumns, sizeof kinds / sizeof kinds[0]);
    for (size_t i = 0; i < r->ncolumns; i++) {
        assert_column_line(text, r->columns[i].name, kinds[i]);
        assert_contains(text, r->columns[i].meaning);
    }
    assert_contains(text, "labels (8): north, south, east");
    free(text);
    free(path);
}

static void test_info_describes_text(void **state) {
    char *path = in_scratch("people-info.h5");
    hsize_t n;
    const pd_recipe *r = pd_recipe_find("people");
    make_or_fail(r, SMALL_ROWS, path);
    char *text = info_or_fail(path);
    for (size_t i = 0; i < r->ncolumns; i++) {
        assert_column_line(text, r->columns[i].name,
                           r->columns[i].type == PD_COL_STRING
                               ? "object/string"
                               : r->columns[i].type == PD_COL_F64 ? "float64"
                                                                  : "int64");
        assert_contains(text, r->columns[i].meaning);
    }
    assert_contains(text, "bytes a row on average, e.g. \"");
    char **emails = h5_read_strings(path, "/people/email", &n);
    char *example = pd_strdup_printf("e.g. \"%s\", \"%s\"", emails[0],
                                     emails[1]);
    assert_contains(text, example);
    free(example);
    free_strings(emails);
    free(text);

    make_or_fail(pd_recipe_find("events"), SMALL_ROWS, path);
    text = info_or_fail(path);
    assert_column_line(text, "kind", "category/int8");
    assert_contains(text, "labels (3): view, click, buy\n");
    free(text);
    free(path);
}

/* A long example string is cut short, on a character boundary, with an
 * ellipsis: the line stays readable. */
static void test_info_shortens_long_text(void **state) {
    static const char *const labels[] = {
        "\xc3\xa9tude " /* a two-byte character first */
        "on a line far longer than the forty-four characters shown",
        NULL,
    };
    const pd_column_recipe cols[] = {
        {"long", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 0, labels, NULL,
         "one long label"},
    };
    pd_recipe r = {"t", "long text", 1, cols, 1};
    char *path = in_scratch("long.h5");
    make_or_fail(&r, 10, path);
    char *text = info_or_fail(path);
    assert_contains(text, "e.g. \"\xc3\xa9tude on a line far longer than the "
                          "forty-f\xe2\x80\xa6\", \"");
    free(text);
    free(path);
}

/* Files written by other tools may hold fixed-length strings. */
static void test_info_reads_fixed_length_strings(void **state) {
    char *path = in_scratch("fixed.h5");
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

    char *text = info_or_fail(path);
    assert_contains(text, "description  fixed\n");
    free(text);
    free(path);
}

/* A label table other tools wrote may hold a null string: it reads as an
 * empty label. */
static void test_info_reads_null_labels(void **state) {
    char *path = in_scratch("null-labels.h5");
    const char *labels[] = {"view", NULL, "buy"};
    hsize_t three = 3;
    make_or_fail(pd_recipe_find("events"), 10, path);
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, "/events/kind", H5P_DEFAULT);
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &three, NULL);
    H5Tset_size(type, H5T_VARIABLE);
    assert_true(H5Adelete(dset, "labels") >= 0);
    hid_t attr = H5Acreate2(dset, "labels", type, space, H5P_DEFAULT,
                            H5P_DEFAULT);
    assert_true(attr >= 0 && H5Awrite(attr, type, labels) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dset);
    H5Fclose(file);

    char *text = info_or_fail(path);
    assert_contains(text, "labels (3): view, , buy\n");
    free(text);
    free(path);
}

static int setup(void **state) { return dataset_setup("test_info"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_and_garbage_files),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_info_describes_text),
        cmocka_unit_test(test_info_shortens_long_text),
        cmocka_unit_test(test_info_reads_fixed_length_strings),
        cmocka_unit_test(test_info_reads_null_labels),
    };
    return cmocka_run_group_tests_name("info", tests, setup,
                                       dataset_teardown);
}
