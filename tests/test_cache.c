/* Unit tests for datasets/cache.c: where a recipe's file lives, and
 * pd_dataset_ensure, which writes it again exactly when it is not the file
 * the current code would write. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdlab/dataset.h"
#include "test_dataset.h"

static ino_t inode_of(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

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

    test_put_file(path, "this is not HDF5 at all\n");
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
    assert_contains(e.msg, "dataset '../x' is not a valid name");
    pd_error_clear(&e);
    assert_int_equal(pd_dataset_path("/c", "", 1, buf, sizeof buf, &e), -1);
    assert_contains(e.msg, "must be non-empty");
    pd_error_clear(&e);
    assert_int_equal(pd_dataset_path("/a/long/cache/directory", "mixed",
                                     1000000, buf, 20, &e), -1);
    assert_contains(e.msg, "too long");
}

static int setup(void **state) { return dataset_setup("test_cache"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensure),
        cmocka_unit_test(test_dataset_path_rejects_bad_names),
    };
    return cmocka_run_group_tests_name("cache", tests, setup,
                                       dataset_teardown);
}
