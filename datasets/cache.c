/* The dataset cache: where a recipe's file lives, and whether the file there
 * is the one the current code would write (pd_dataset_ensure). */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "pdlab/dataset.h"
#include "dataset_int.h"

int pd_cache_dir(char *buf, size_t size, pd_err *e) {
    const char *v;
    int n;
    if ((v = getenv("PDLAB_CACHE")) && *v)
        n = snprintf(buf, size, "%s", v);
    else if ((v = getenv("XDG_CACHE_HOME")) && *v == '/') /* spec: absolute */
        n = snprintf(buf, size, "%s/pdlab", v);
    else if ((v = getenv("HOME")) && *v)
        n = snprintf(buf, size, "%s/.cache/pdlab", v);
    else
        return pd_error(e, "no cache directory for datasets: set PDLAB_CACHE "
                        "or HOME");
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "the dataset cache path '%s...' is too long", v);
    return 0;
}

int pd_dataset_path(const char *cache_dir, const char *name, uint64_t rows,
                    char *buf, size_t size, pd_err *e) {
    if (pd_check_name("dataset", name, e) < 0)
        return -1;
    int n = snprintf(buf, size, "%s/%s-%" PRIu64 ".h5", cache_dir, name, rows);
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "the dataset path for '%s' in '%s' is too long",
                        name, cache_dir);
    return 0;
}

/* 1 when path holds r at `rows` rows as the current code would write it.
 * Anything else, a missing, foreign or damaged file included, is 0: the
 * answer to all of them is to write the file again. */
static int dataset_is_current(const pd_recipe *r, uint64_t rows,
                              const char *path) {
    pd_err ignored = {0};
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char want[17], *have = NULL, group_path[512];
    uint64_t have_rows = 0;
    int current = 0;
    pd_h5_quiet();
    pd_recipe_hash(r, want);
    file = pd_h5_open_read(path, &ignored);
    if (file >= 0)
        group = pd_h5_open_group(file, path, r->name, group_path,
                                 sizeof group_path, &ignored);
    if (group < 0)
        goto cleanup;
    have = pd_h5_attr_string(group, "recipe_hash", path, group_path, &ignored);
    current = have && strcmp(have, want) == 0 &&
              pd_h5_attr_u64(group, "rows", path, group_path, &have_rows,
                             &ignored) == 0 &&
              have_rows == rows;
cleanup:
    free(have);
    pd_h5_close(group);
    pd_h5_close(file);
    return current;
}

/* Store class and size a recipe column is written with. */
static int column_is(const pd_column_recipe *c, hid_t type) {
    H5T_class_t cls = H5Tget_class(type);
    size_t size = H5Tget_size(type);
    switch (c->type) {
    case PD_COL_F64: return cls == H5T_FLOAT && size == 8;
    case PD_COL_I64: return cls == H5T_INTEGER && size == 8;
    case PD_COL_I32: return cls == H5T_INTEGER && size == 4;
    case PD_COL_CATEGORY: return cls == H5T_INTEGER && size <= 2;
    case PD_COL_STRING: return cls == H5T_STRING;
    }
    return 0;
}

/* Reads every row of an open column of numbers, a chunk at a time, so that
 * HDF5 checks each chunk's fletcher32 checksum; text chunks carry none. */
static int read_all(hid_t dset, uint64_t rows, const char *path,
                    const char *object, pd_err *e) {
    hid_t type = H5Dget_type(dset);
    hid_t mem = type < 0 ? H5I_INVALID_HID
                         : H5Tget_native_type(type, H5T_DIR_ASCEND);
    int rc = 0;
    if (mem < 0) {
        pd_h5_close(type);
        return pd_h5_read_error(e, path, object, "reading the type of");
    }
    if (H5Tget_class(type) != H5T_STRING) {
        size_t size = H5Tget_size(mem);
        void *buf = malloc(PD_CHUNK_ROWS * size);
        for (uint64_t at = 0; buf && rc == 0 && at < rows; at += PD_CHUNK_ROWS)
            rc = pd_h5_read_rows(dset, mem, H5P_DEFAULT, at,
                                 rows - at < PD_CHUNK_ROWS ? rows - at
                                                           : PD_CHUNK_ROWS,
                                 buf, path, object, e);
        if (!buf)
            rc = pd_error(e, "out of memory checking '%s'", path);
        free(buf);
    }
    pd_h5_close(mem);
    pd_h5_close(type);
    return rc;
}

/* Each column of group: there, `rows` long, of the recipe's type (r may be
 * NULL: any type), every chunk's checksum right. */
static int check_columns(hid_t group, const char *path, const char *gpath,
                         const pd_recipe *r, uint64_t rows, pd_err *e) {
    size_t ncols = 0;
    char **names = pd_h5_columns(group, path, gpath, &ncols, e);
    int rc = names ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < ncols; i++) {
        char object[1024];
        snprintf(object, sizeof object, "%s/%s", gpath, names[i]);
        hid_t dset = H5Dopen2(group, names[i], H5P_DEFAULT);
        hid_t type = dset < 0 ? H5I_INVALID_HID : H5Dget_type(dset);
        hid_t space = type < 0 ? H5I_INVALID_HID : H5Dget_space(dset);
        if (space < 0)
            rc = pd_h5_read_error(e, path, object, "opening");
        else if (H5Sget_simple_extent_npoints(space) != (hssize_t)rows)
            rc = pd_error(e, "dataset file '%s': column '%s' does not hold "
                          "%llu rows.", path, object,
                          (unsigned long long)rows);
        else if (r && (i >= r->ncolumns ||
                       strcmp(r->columns[i].name, names[i]) != 0 ||
                       !column_is(&r->columns[i], type)))
            rc = pd_error(e, "dataset file '%s': column '%s' is not the one "
                          "recipe '%s' writes (name or type).", path, object,
                          r->name);
        else
            rc = read_all(dset, rows, path, object, e);
        pd_h5_close(space);
        pd_h5_close(type);
        pd_h5_close(dset);
    }
    free(names);
    return rc;
}

int pd_dataset_check(const char *path, const pd_recipe *r, pd_err *e) {
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[512];
    uint64_t rows = 0;
    int rc = -1;
    pd_h5_quiet();
    if ((file = pd_h5_open_read(path, e)) >= 0 &&
        (group = pd_h5_open_group(file, path, r ? r->name : NULL, gpath,
                                  sizeof gpath, e)) >= 0 &&
        pd_h5_attr_u64(group, "rows", path, gpath, &rows, e) == 0)
        rc = check_columns(group, path, gpath, r, rows, e);
    pd_h5_close(group);
    pd_h5_close(file);
    return rc;
}

int pd_dataset_ensure_checked(const pd_recipe *r, uint64_t rows,
                              const char *path, int *made, pd_err *damage,
                              pd_err *e) {
    pd_err why = {0};
    *made = 0;
    if (dataset_is_current(r, rows, path)) {
        if (pd_dataset_check(path, r, &why) == 0)
            return 0;
        if (damage)
            *damage = why;
    }
    if (pd_dataset_make(r, rows, path, e) < 0)
        return -1;
    *made = 1;
    return 0;
}

int pd_dataset_ensure(const pd_recipe *r, uint64_t rows, const char *path,
                      int *made, pd_err *e) {
    return pd_dataset_ensure_checked(r, rows, path, made, NULL, e);
}
