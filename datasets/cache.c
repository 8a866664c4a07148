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

int pd_dataset_ensure(const pd_recipe *r, uint64_t rows, const char *path,
                      int *made, pd_err *e) {
    *made = 0;
    if (dataset_is_current(r, rows, path))
        return 0;
    if (pd_dataset_make(r, rows, path, e) < 0)
        return -1;
    *made = 1;
    return 0;
}
