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

static void test_missing_and_garbage_files(void **state) {
    char *missing = in_scratch("missing.h5");
    char *garbage = in_scratch("mixed-10.h5"), *cut = in_scratch("cut.h5");
    pd_err e = {0};
    assert_int_equal(pd_dataset_info(missing, stdout, &e), -1);
    assert_contains(e.msg, missing);
    assert_contains(e.msg, "does not exist");

    pd_error_clear(&e);
    test_put_file(garbage, "garbage, garbage, garbage\n");
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

/* A label table other tools wrote may hold a null string: it reads as an
 * empty label. */
static void test_info_reads_null_labels(void **state) {
    char *path = in_scratch("null-labels.h5"), *text = NULL;
    size_t len = 0;
    pd_err e = {0};
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

    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pd_dataset_info(path, out, &e), 0);
    assert_int_equal(fclose(out), 0);
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
        cmocka_unit_test(test_info_reads_fixed_length_strings),
        cmocka_unit_test(test_info_reads_null_labels),
    };
    return cmocka_run_group_tests_name("info", tests, setup,
                                       dataset_teardown);
}
