#ifndef PDLAB_TEST_DATASET_H
#define PDLAB_TEST_DATASET_H
/* What the tests of datasets/ share: a scratch directory per program, files
 * made or read in it, and readers of HDF5 files. Include after <cmocka.h>.
 *
 * Files are checked with the plain HDF5 C API, not with the code under
 * test, so a bug in the writer cannot hide behind a matching bug in a
 * reader. */

#include <glob.h>
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/error.h"
#include "pdlab/fileio.h"
#include "test_util.h"

#define BIG_ROWS 100000 /* two chunks: the block-by-block writer is exercised */
#define SMALL_ROWS 1000

static char *scratch; /* this program's directory; removed in teardown */

/* Group setup: a scratch directory named after the program, a cache inside
 * it unless $PDLAB_CACHE says otherwise (never the user's own), and HDF5
 * quiet: the tests check return codes. */
static inline int dataset_setup(const char *program) {
    if ((scratch = test_scratch_make(program)) == NULL)
        return -1;
    if (!getenv("PDLAB_CACHE")) {
        char *cache = test_path(scratch, "cache");
        setenv("PDLAB_CACHE", cache, 1);
        free(cache);
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return 0;
}

static inline int dataset_teardown(void **state) {
    (void)state;
    test_scratch_remove(scratch);
    scratch = NULL;
    return 0;
}

static inline char *in_scratch(const char *name) {
    return test_path(scratch, name);
}

static inline char *slurp(const char *path, size_t *len) {
    pd_err e = {0};
    char *data = pd_read_file(path, len, &e);
    if (!data)
        fail_msg("%s", e.msg);
    return data;
}

static inline void make_or_fail(const pd_recipe *r, uint64_t rows,
                                const char *path) {
    pd_err e = {0};
    if (pd_dataset_make(r, rows, path, &e) != 0)
        fail_msg("%s", e.msg);
}

static inline void import_or_fail(const char *csv, const char *name,
                                  const char *h5) {
    pd_err e = {0};
    if (pd_dataset_import_csv(csv, name, h5, &e) != 0)
        fail_msg("%s", e.msg);
}

/* Files in the scratch directory whose name ends in ".tmp". */
static inline size_t temp_files(void) {
    char *pattern = in_scratch("*.tmp");
    glob_t g;
    size_t n = glob(pattern, 0, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    free(pattern);
    return n;
}

/* Reads a whole 1-D dataset as mem_type into a new buffer (caller frees). */
static inline void *h5_read(const char *path, const char *object,
                            hid_t mem_type, hsize_t *n) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t space = H5Dget_space(dset);
    assert_int_equal(H5Sget_simple_extent_ndims(space), 1);
    H5Sget_simple_extent_dims(space, n, NULL);
    void *buf = calloc(*n ? *n : 1, H5Tget_size(mem_type));
    assert_true(H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >=
                0);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    return buf;
}

/* The HDF5 type of a dataset: class and size. */
static inline void h5_dtype(const char *path, const char *object,
                            H5T_class_t *cls, size_t *size) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    hid_t type = H5Dget_type(dset);
    assert_true(type >= 0);
    *cls = H5Tget_class(type);
    *size = H5Tget_size(type);
    H5Tclose(type);
    H5Dclose(dset);
    H5Fclose(file);
}

/* A variable-length string attribute, scalar or 1-D: copies the strings
 * into out (each up to 64 bytes). Returns the number read. */
static inline size_t h5_attr_strings(const char *path, const char *object,
                                     const char *attr, char out[][64],
                                     size_t max) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t obj = H5Oopen(file, object, H5P_DEFAULT);
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t space = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    assert_true(n >= 1 && (size_t)n <= max);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8); /* HDF5 converts no character sets */
    char **raw = calloc((size_t)n, sizeof *raw);
    assert_true(H5Aread(a, type, raw) >= 0);
    for (hssize_t i = 0; i < n; i++)
        snprintf(out[i], 64, "%s", raw[i]);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(a);
    H5Oclose(obj);
    H5Fclose(file);
    return (size_t)n;
}

static inline uint64_t h5_attr_u64(const char *path, const char *object,
                                   const char *attr) {
    uint64_t v = 0;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t obj = H5Oopen(file, object, H5P_DEFAULT);
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &v) >= 0);
    H5Aclose(a);
    H5Oclose(obj);
    H5Fclose(file);
    return v;
}

/* A whole 1-D text dataset, read with a variable-length UTF-8 type, as
 * NUL-terminated copies ("" for a null string) in a NULL-terminated vector;
 * free with free_strings(). */
static inline char **h5_read_strings(const char *path, const char *object,
                                     hsize_t *n) {
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, object, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t space = H5Dget_space(dset);
    H5Sget_simple_extent_dims(space, n, NULL);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char **raw = calloc(*n + 1, sizeof *raw);
    char **out = calloc(*n + 1, sizeof *out);
    assert_true(H5Dread(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0);
    for (hsize_t i = 0; i < *n; i++)
        out[i] = strdup(raw[i] ? raw[i] : "");
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(dset);
    H5Fclose(file);
    return out;
}

static inline void free_strings(char **v) {
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

#endif
