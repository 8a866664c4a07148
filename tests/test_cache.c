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

/* Flips one byte in the first chunk of column `object` of path. */
static void flip_byte(const char *path, const char *object) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    hid_t space = H5Dget_space(dset);
    haddr_t addr = 0;
    hsize_t size = 0, offset[1];
    unsigned mask = 0;
    assert_true(H5Dget_chunk_info(dset, space, 0, offset, &mask, &addr,
                                  &size) >= 0);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)addr + 11, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, (long)addr + 11, SEEK_SET), 0);
    fputc(c ^ 0x04, f);
    assert_int_equal(fclose(f), 0);
}

/* A bit flipped in a raw float column: the file is current by its hash and
 * rows, but fails its checksum, so it is made again, and the caller hears
 * which column was damaged. */
static void test_damaged_file_is_made_again(void **state) {
    const pd_recipe *r = pd_recipe_find("mixed");
    char path[4096];
    pd_err e = {0}, damage = {0};
    int made = -1;
    snprintf(path, sizeof path, "%s/damaged-mixed-1000.h5",
             getenv("PDLAB_CACHE"));
    make_or_fail(r, SMALL_ROWS, path);
    assert_int_equal(pd_dataset_check(path, r, &e), 0);
    flip_byte(path, "/mixed/x");
    assert_int_equal(pd_dataset_check(path, r, &e), -1);
    assert_contains(e.msg, "/mixed/x");
    assert_int_equal(pd_dataset_ensure_checked(r, SMALL_ROWS, path, &made,
                                               &damage, &e), 0);
    assert_int_equal(made, 1);
    assert_contains(damage.msg, "/mixed/x");
    pd_error_clear(&e);
    assert_int_equal(pd_dataset_check(path, r, &e), 0);
    pd_err none = {0};
    assert_int_equal(pd_dataset_ensure_checked(r, SMALL_ROWS, path, &made,
                                               &none, &e), 0);
    assert_int_equal(made, 0);
    assert_false(none.set);
    unlink(path);
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
        cmocka_unit_test(test_damaged_file_is_made_again),
        cmocka_unit_test(test_dataset_path_rejects_bad_names),
    };
    return cmocka_run_group_tests_name("cache", tests, setup,
                                       dataset_teardown);
}
