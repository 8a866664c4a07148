/* Unit tests for datasets/import.c: CSV to HDF5, its type inference, and
 * the CSVs it refuses with a message that says which line. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/dataset.h"
#include "test_dataset.h"

static void test_csv_round_trip(void **state) {
    char *csv = in_scratch("trips.csv"), *h5 = in_scratch("trips.h5");
    hsize_t n;
    test_put_file(csv, "city,n,score,note,big\r\n"
                  "Oslo,1,2.5,\"hello, world\",9007199254740993\r\n"
                  "Rome,2,,\"say \"\"hi\"\"\",-3\n"
                  "\n"
                  "Oslo,-3,1e3,,0\n"
                  "Lima,40, 7 ,plain,5");
    import_or_fail(csv, "trips", h5);

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
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("name,v\n", f);
    for (int i = 0; i < 6000; i++)
        fprintf(f, "label-%d,%d\n", i % 5000, i);
    assert_int_equal(fclose(f), 0);
    import_or_fail(csv, "many", h5);
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
        test_put_file(csv, cases[i].text);
        assert_int_equal(pd_dataset_import_csv(csv, "bad", h5, &e), -1);
        assert_contains(e.msg, cases[i].expect);
        assert_contains(e.msg, "bad.csv");
    }
    assert_int_equal(access(h5, F_OK), -1);
    free(csv);
    free(h5);
}

static int setup(void **state) { return dataset_setup("test_import"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_csv_many_labels),
        cmocka_unit_test(test_csv_errors),
    };
    return cmocka_run_group_tests_name("import", tests, setup,
                                       dataset_teardown);
}
