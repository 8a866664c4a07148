/* Unit tests for datasets/generate.c: the values pd_dataset_make draws.
 * Each distribution, NaN share, weight and key count is what the recipe
 * says, to within sampling error at BIG_ROWS rows. */

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

#include "pdlab/dataset.h"
#include "test_dataset.h"

/* ---- helpers ------------------------------------------------------------- */

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

/* The int64 column at object is 1, 2, ..., rows. */
static void assert_sequence(const char *path, const char *object,
                            hsize_t rows) {
    hsize_t n;
    int64_t *v = h5_read(path, object, H5T_NATIVE_INT64, &n);
    assert_int_equal(n, rows);
    for (hsize_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int64_t)i + 1);
    free(v);
}

/* ---- tests --------------------------------------------------------------- */

static void test_make_values(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char *path = in_scratch("values.h5");
    hsize_t n;
    make_or_fail(r, BIG_ROWS, path);

    assert_sequence(path, "/mixed/id", BIG_ROWS);

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
    double mean, sd;
    mean_sd(x, n, &mean, &sd);
    assert_true(fabs(mean) < 0.02);
    assert_true(sd > 0.98 && sd < 1.02);
    free(x);

    double *wait = h5_read(path, "/mixed/wait", H5T_NATIVE_DOUBLE, &n);
    double *price = h5_read(path, "/mixed/price", H5T_NATIVE_DOUBLE, &n);
    for (hsize_t i = 0; i < n; i++)
        assert_true(wait[i] >= 0 && price[i] > 0);
    mean_sd(wait, n, &mean, &sd);
    assert_true(fabs(mean - 2.0) < 0.05);
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

    free(path);
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

/* The widest integer range a recipe may ask for, +-2^62: b - a + 1 values
 * is more than an int64 holds, so the draw is done in uint64. */
static void test_int_uniform_extremes(void **state) {
    const pd_column_recipe cols[] = {
        {"wide", PD_COL_I64, PD_DIST_INT_UNIFORM, -0x1p62, 0x1p62, 0, NULL,
         NULL, "every int64 from -2^62 to 2^62"},
    };
    pd_recipe r = {"wide", "wide", 7, cols, 1};
    char *path = in_scratch("wide.h5");
    hsize_t n;
    make_or_fail(&r, SMALL_ROWS, path);
    int64_t *v = h5_read(path, "/wide/wide", H5T_NATIVE_INT64, &n);
    size_t negative = 0;
    for (hsize_t i = 0; i < n; i++) {
        if (v[i] < -(INT64_C(1) << 62) || v[i] > INT64_C(1) << 62)
            fail_msg("row %llu: %lld is outside +-2^62",
                     (unsigned long long)i, (long long)v[i]);
        negative += v[i] < 0;
    }
    assert_true(negative > n / 4 && negative < 3 * n / 4); /* both halves */
    free(v);
    free(path);
}

static void test_events_values(void **state) {
    char *path = in_scratch("events.h5");
    hsize_t n;
    H5T_class_t cls;
    size_t size;
    make_or_fail(pd_recipe_find("events"), BIG_ROWS, path);
    assert_sequence(path, "/events/ts", BIG_ROWS);
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
    assert_sequence(path, "/people/id", BIG_ROWS);
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

static int setup(void **state) { return dataset_setup("test_generate"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_values),
        cmocka_unit_test(test_choice_weights),
        cmocka_unit_test(test_key_distribution),
        cmocka_unit_test(test_int_uniform_extremes),
        cmocka_unit_test(test_events_values),
        cmocka_unit_test(test_people_values),
        cmocka_unit_test(test_columns_are_independent),
    };
    return cmocka_run_group_tests_name("generate", tests, setup,
                                       dataset_teardown);
}
