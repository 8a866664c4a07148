/* Unit tests for datasets/recipes.c: the built-in recipes other engineers'
 * lessons are written against, and the hash that says when a cached file is
 * stale. Nothing here touches a file. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <string.h>

#include "pdlab/dataset.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recipe_mixed_columns),
        cmocka_unit_test(test_recipe_new_columns),
        cmocka_unit_test(test_recipe_hash_covers_contents),
    };
    return cmocka_run_group_tests_name("recipes", tests, NULL, NULL);
}
