/* Unit tests for datasets/export.c: HDF5 to CSV, quoted so that a CSV
 * reader, pdlab's own import included, gets back exactly the text stored. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "pdlab/dataset.h"
#include "test_dataset.h"

/* Imports text as dataset `name`, exports it, and expects the same text. */
static void assert_round_trip(const char *name, const char *text) {
    char file[64];
    snprintf(file, sizeof file, "%s.csv", name);
    char *csv = in_scratch(file);
    snprintf(file, sizeof file, "%s.h5", name);
    char *h5 = in_scratch(file);
    snprintf(file, sizeof file, "%s-back.csv", name);
    char *back = in_scratch(file);
    pd_err e = {0};
    size_t len;
    test_put_file(csv, text);
    import_or_fail(csv, name, h5);
    if (pd_dataset_export_csv(h5, back, &e) != 0)
        fail_msg("%s", e.msg);
    char *got = slurp(back, &len);
    assert_string_equal(got, text);
    free(got);
    free(csv);
    free(h5);
    free(back);
}

/* Export quotes what needs it (RFC 4180), so a CSV reader gets back exactly
 * the text that was stored: first text that came in through CSV import. */
static void test_export_quotes_imported_text(void **state) {
    assert_round_trip("quote", "k,note\n"
                               "1,\"hello, world\"\n"
                               "2,\"say \"\"hi\"\"\"\n"
                               "3,plain\n"
                               "4,\n"
                               "5,\"two\nlines\"\n");
}

/* Values of every type come back as the text that went in, in canonical
 * form: floats in the fewest digits that read back as the same double (not
 * 0.10000000000000001), dates as dates, datetimes in ISO 8601 with the
 * fraction's significant digits, booleans as True/False, codes with their
 * zeros. */
static void test_export_types_round_trip(void **state) {
    assert_round_trip("types",
                      "f,zip,day,stamp,ok,n\n"
                      "0.1,00501,2023-01-05,2023-01-05T10:30:00,True,1\n"
                      "0.3333333333333333,02134,,2023-01-06T00:00:00.25,,2\n"
                      "1e-300,00501,2024-02-29,,False,3\n"
                      "-2.5,,1970-01-01,1969-12-31T23:59:59.999999999,True,4\n"
                      ",02134,2023-01-05,2023-01-05T10:30:00,False,5\n"
                      "inf,00501,2023-01-05,2023-01-05T10:30:00,True,6\n");
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

    import_or_fail(csv, "q", again);
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

/* The CSV beside a dataset is exported once and dated as the dataset; a
 * dataset made again, or a CSV changed since, brings a fresh export. */
static void test_csv_beside_is_made_once(void **state) {
    const pd_column_recipe cols[] = {
        {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL, NULL, "row"},
    };
    pd_recipe r = {"b", "beside", 5, cols, 1};
    char *h5 = in_scratch("beside.h5"), *want = in_scratch("beside.csv"), *csv = NULL;
    struct stat first, again;
    struct timespec old[2] = {{1, 0}, {1, 0}};
    pd_err e = {0};
    size_t len;
    char *body;

    make_or_fail(&r, 3, h5);
    if (pd_dataset_csv_beside(h5, &csv, &e) != 0) fail_msg("%s", e.msg);
    assert_string_equal(csv, want);
    assert_int_equal(stat(csv, &first), 0);
    free(csv);
    /* Spoiled but dated as the dataset: taken as it is (the cache is pdlab's). */
    test_put_file(want, "id\n9\n");
    old[0] = old[1] = first.st_mtim;
    assert_int_equal(utimensat(AT_FDCWD, want, old, 0), 0);
    if (pd_dataset_csv_beside(h5, &csv, &e) != 0) fail_msg("%s", e.msg);
    body = slurp(csv, &len);
    assert_string_equal(body, "id\n9\n");
    free(body);
    free(csv);
    /* Changed since (its date moved): exported again. */
    test_put_file(want, "id\n9\n");
    if (pd_dataset_csv_beside(h5, &csv, &e) != 0) fail_msg("%s", e.msg);
    body = slurp(csv, &len);
    assert_string_equal(body, "id\n1\n2\n3\n");
    assert_int_equal(stat(csv, &again), 0);
    assert_true(again.st_mtim.tv_sec == first.st_mtim.tv_sec &&
                again.st_mtim.tv_nsec == first.st_mtim.tv_nsec);
    free(body);
    free(csv);
    assert_int_equal(pd_dataset_csv_beside(want, &csv, &e), -1); /* not a dataset */
    assert_null(csv);
    free(h5);
    free(want);
}

static int setup(void **state) { return dataset_setup("test_export"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_quotes_imported_text),
        cmocka_unit_test(test_export_text_round_trip),
        cmocka_unit_test(test_export_types_round_trip),
        cmocka_unit_test(test_csv_beside_is_made_once),
    };
    return cmocka_run_group_tests_name("export", tests, setup,
                                       dataset_teardown);
}
