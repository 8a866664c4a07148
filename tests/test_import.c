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
    char s[8][64];
    /* 3 distinct values in 4 rows: too many for a category */
    h5_dtype(h5, "/trips/city", &cls, &size);
    assert_true(cls == H5T_STRING);
    char **city = h5_read_strings(h5, "/trips/city", &n);
    assert_string_equal(city[0], "Oslo");
    assert_string_equal(city[3], "Lima");
    free_strings(city);

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

    char **note = h5_read_strings(h5, "/trips/note", &n);
    assert_string_equal(note[0], "hello, world");
    assert_string_equal(note[1], "say \"hi\"");
    assert_string_equal(note[2], ""); /* empty text: a null string */
    free_strings(note);

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
    for (int i = 0; i < 12000; i++) /* each label at least twice */
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

/* Writes n bytes (NULs included) to path. */
static void put_bytes(const char *path, const char *bytes, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

#define CASE(text, expect) {text, sizeof text - 1, expect}

static void test_csv_errors(void **state) {
    static const struct {
        const char *text;
        size_t len;
        const char *expect;
    } cases[] = {
        CASE("a,b\n1,2\n3\n", "line 3 has 1 field but the header has 2"),
        CASE("a,b\n1,2\n3,4,5\n", "line 3 has 3 fields"),
        CASE("a,b\n1,x\0y\n", "line 2 holds a NUL byte"),
        CASE("a\n1\n1e999\n", "line 3, column 'a': '1e999' is out of float64's range"),
        CASE("a\n1e-999\n", "line 2, column 'a'"),
        CASE("\xff\xfe" "a\0\n\0", "UTF-16"),
        CASE("a,b\n", "no data lines"),
        CASE("", "empty"),
        CASE("a,b\n1,\"open\n", "not closed"),
    };
    char *csv = in_scratch("bad.csv"), *h5 = in_scratch("bad.h5");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_err e = {0};
        put_bytes(csv, cases[i].text, cases[i].len);
        assert_int_equal(pd_dataset_import_csv(csv, "bad", h5, &e), -1);
        assert_contains(e.msg, cases[i].expect);
        assert_contains(e.msg, "bad.csv");
    }
    assert_int_equal(access(h5, F_OK), -1);
    free(csv);
    free(h5);
}

/* Imports text with opts (name "t"), failing the test on an error; the
 * report's text is returned (caller frees). */
static char *import_said(const char *text, const char *types) {
    char *csv = in_scratch("t.csv"), *h5 = in_scratch("t.h5");
    pd_import_opts o = {.name = "t", .types = types};
    pd_import_report r;
    pd_err e = {0};
    test_put_file(csv, text);
    if (pd_dataset_import(csv, h5, &o, &r, &e) < 0)
        fail_msg("import failed: %s", e.msg);
    char *said = r.said;
    r.said = NULL;
    pd_import_report_free(&r);
    free(csv);
    free(h5);
    return said;
}

/* The column's stored class and size, and its "kind" attribute ("" none). */
static void column_is(const char *column, H5T_class_t cls, size_t size,
                      const char *kind) {
    char *h5 = in_scratch("t.h5"), object[128], s[4][64] = {{0}};
    H5T_class_t got;
    size_t got_size;
    snprintf(object, sizeof object, "/t/%s", column);
    h5_dtype(h5, object, &got, &got_size);
    if (got != cls || (size && got_size != size))
        fail_msg("column %s: class %d size %zu, want %d %zu", column, got,
                 got_size, cls, size);
    hid_t file = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    int has_kind = H5Aexists(dset, "kind") > 0;
    H5Dclose(dset);
    H5Fclose(file);
    if (has_kind)
        h5_attr_strings(h5, object, "kind", s, 4);
    if (strcmp(s[0], kind) != 0)
        fail_msg("column %s: kind '%s', want '%s'", column, s[0], kind);
    free(h5);
}

/* One row of expected inference per column: the whole column is read,
 * so a single cell at the end decides. */
static void test_inference(void **state) {
    char *said = import_said(
        "zip,signed,sep,int,float,flag,day,stamp,bad_day,almost,empty,nan,"
        "city\n"
        "00501,+5,\"1,000\",1,1,true,2023-01-05,2023-01-05T10:30:00,"
        "2023-01-01,1,,NA,Oslo\n"
        "10001,3,2,2,2.5,False,2023-01-06,2023-01-06 11:00,2023-02-30,2,,"
        "nan,Oslo\n"
        "02134,4,3,,1e3,TRUE,,2023-01-07T00:00:00.25Z,2023-01-03,x,,null,"
        "Rome\n"
        "90210,5,4,4,inf,,2024-02-29,,2023-01-04,4,,,Oslo\n",
        NULL);
    column_is("zip", H5T_STRING, 0, "");
    column_is("signed", H5T_STRING, 0, "");
    column_is("sep", H5T_STRING, 0, "");
    column_is("int", H5T_FLOAT, 8, ""); /* integers and an empty cell */
    column_is("float", H5T_FLOAT, 8, "");
    column_is("flag", H5T_INTEGER, 1, "boolean"); /* one is missing */
    column_is("day", H5T_INTEGER, 8, "datetime64[ns]");
    column_is("stamp", H5T_INTEGER, 8, "datetime64[ns]");
    column_is("bad_day", H5T_STRING, 0, "");
    column_is("almost", H5T_STRING, 0, "");
    column_is("empty", H5T_FLOAT, 8, "");
    column_is("nan", H5T_FLOAT, 8, "");
    column_is("city", H5T_INTEGER, 1, "categorical");
    assert_contains(said, "column 'zip' is kept as text: numbers with a "
                          "leading zero, a sign or a separator would not read "
                          "back the same (2 such cells");
    assert_contains(said, "line 2: '00501'");
    assert_contains(said, "column 'bad_day' is kept as text: 1 of 4 cells "
                          "are not ISO dates (first at line 3: '2023-02-30')");
    assert_contains(said, "--type 'bad_day=datetime'");
    assert_contains(said, "column 'almost' is kept as text: 1 of 4 cells are "
                          "not numbers (first at line 4: 'x')");
    assert_contains(said, "  day                      datetime64[ns] (dates)");

    char *h5 = in_scratch("t.h5");
    hsize_t n;
    int64_t *day = h5_read(h5, "/t/day", H5T_NATIVE_INT64, &n);
    assert_true(day[0] == 1672876800LL * 1000000000LL); /* 2023-01-05 */
    assert_true(day[2] == INT64_MIN);                   /* NaT */
    assert_true(day[3] == 1709164800LL * 1000000000LL); /* 2024-02-29 */
    free(day);
    int64_t *stamp = h5_read(h5, "/t/stamp", H5T_NATIVE_INT64, &n);
    assert_true(stamp[2] == 1673049600LL * 1000000000LL + 250000000LL);
    free(stamp);
    int8_t *flag = h5_read(h5, "/t/flag", H5T_NATIVE_INT8, &n);
    assert_true(flag[0] == 1 && flag[1] == 0 && flag[2] == 1 && flag[3] == -1);
    free(flag);
    double *f = h5_read(h5, "/t/float", H5T_NATIVE_DOUBLE, &n);
    assert_true(f[2] == 1000 && isinf(f[3]));
    free(f);
    char **zip = h5_read_strings(h5, "/t/zip", &n);
    assert_string_equal(zip[0], "00501");
    free_strings(zip);
    free(h5);
    free(said);
}

/* --type: the named columns get the type; cells that are not of it become
 * missing, counted; int refuses them. */
static void test_given_types(void **state) {
    static const char *csv = "zip,day,v\n00501,2023-01-05,1\n"
                             "02134,soon,x\n02134,2023-01-07,3\n";
    char *said = import_said(csv, "day=datetime,v=float,zip=category");
    column_is("day", H5T_INTEGER, 8, "datetime64[ns]");
    column_is("v", H5T_FLOAT, 8, "");
    column_is("zip", H5T_INTEGER, 1, "categorical");
    assert_contains(said, "column 'day' (--type datetime): cells that are "
                          "not datetime are read as missing: 1 (first at "
                          "line 3: 'soon')");
    assert_contains(said, "column 'v' (--type float): cells that are not "
                          "float are read as missing: 1");
    free(said);

    char *csv_path = in_scratch("t.csv"), *h5 = in_scratch("t.h5");
    static const struct {
        const char *types, *expect;
    } bad[] = {
        {"zip=int", "line 2, column 'zip': '00501' is not an integer"},
        {"v=int", "line 3, column 'v': 'x' is not an integer"},
        {"nope=str", "--type names column 'nope'"},
        {"zip=decimal", "TYPE one of int, float"},
        {"zip", "--type wants COLUMN=TYPE"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pd_import_opts o = {.name = "t", .types = bad[i].types};
        pd_import_report r;
        pd_err e = {0};
        assert_int_equal(pd_dataset_import(csv_path, h5, &o, &r, &e), -1);
        pd_import_report_free(&r);
        assert_contains(e.msg, bad[i].expect);
    }
    free(csv_path);
    free(h5);
}

/* Out of range is an error only where the column would be numbers: as
 * text (--type str) the cell is kept. */
static void test_out_of_range_as_text(void **state) {
    char *said = import_said("a\n1\n1e999\n", "a=str");
    column_is("a", H5T_STRING, 0, "");
    free(said);
}

/* Empty, '.', '..' and path-like names, and repeats, each renamed and
 * said; the header's text is kept as csv_name. */
static void test_column_names(void **state) {
    char *said = import_said(",.,a/b,x,x,x.1,Cost Total $\n1,2,3,4,5,6,7\n",
                             "x.1.1=str");
    char *h5 = in_scratch("t.h5"), s[8][64];
    assert_int_equal(h5_attr_strings(h5, "/t", "columns", s, 8), 7);
    assert_string_equal(s[0], "column_1");
    assert_string_equal(s[1], "column_2");
    assert_string_equal(s[2], "a_b");
    assert_string_equal(s[3], "x");
    assert_string_equal(s[4], "x.1");
    assert_string_equal(s[5], "x.1.1"); /* the header's x.1 came later */
    assert_string_equal(s[6], "Cost Total $");
    column_is("x.1.1", H5T_STRING, 0, "");
    h5_attr_strings(h5, "/t/a_b", "csv_name", s, 8);
    assert_string_equal(s[0], "a/b");
    assert_contains(said, "column 1 '' is stored as 'column_1' (empty)");
    assert_contains(said, "column 3 'a/b' is stored as 'a_b'");
    assert_contains(said, "column 5 'x' is stored as 'x.1' (a name used "
                          "before)");
    free(h5);
    free(said);
}

static int setup(void **state) { return dataset_setup("test_import"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_csv_many_labels),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_inference),
        cmocka_unit_test(test_given_types),
        cmocka_unit_test(test_out_of_range_as_text),
        cmocka_unit_test(test_column_names),
    };
    return cmocka_run_group_tests_name("import", tests, setup,
                                       dataset_teardown);
}
