/* Imported datasets: the user's own data, by name.
 *
 * They live in <cache>/imported/<name>.h5, one group each, with attributes
 * saying where they came from ("source") and when ("imported"). A name is
 * short and plain so it can be a file name, an HDF5 group and a word on
 * the command line, and it never shadows a built-in recipe: a lesson that
 * says dataset="mixed" always means the recipe. */

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "dataset_int.h"

#define NAME_MAX_LEN 64

int pd_imported_name_check(const char *name, pd_err *e) {
    size_t n = strlen(name);
    int plain = n > 0 && n <= NAME_MAX_LEN && isalpha((unsigned char)name[0]);
    for (size_t i = 0; plain && i < n; i++)
        plain = isalnum((unsigned char)name[i]) || name[i] == '_' ||
                name[i] == '-';
    if (!plain)
        return pd_error(e, "'%s' cannot name a dataset: use a letter, then "
                        "letters, digits, '_' or '-' (at most %d), e.g. "
                        "'weather_2023'.", name, NAME_MAX_LEN);
    if (pd_recipe_find(name))
        return pd_error(e, "'%s' is a built-in dataset and an import cannot "
                        "take its name; choose another, e.g. --name "
                        "my_%s.", name, name);
    return 0;
}

int pd_imported_path(const char *cache_dir, const char *name, char *buf,
                     size_t size, pd_err *e) {
    if (pd_imported_name_check(name, e) < 0)
        return -1;
    int n = snprintf(buf, size, "%s/imported/%s.h5", cache_dir, name);
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "the path of imported dataset '%s' in '%s' is too "
                        "long", name, cache_dir);
    return 0;
}

/* An optional string attribute: NULL when the group lacks it. */
static char *maybe_string(hid_t group, const char *attr, const char *path,
                          const char *gpath) {
    pd_err ignored = {0};
    if (H5Aexists(group, attr) <= 0)
        return NULL;
    return pd_h5_attr_string(group, attr, path, gpath, &ignored);
}

int pd_imported_read(const char *path, pd_imported *out, pd_err *e) {
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[512];
    int rc = -1;
    memset(out, 0, sizeof *out);
    pd_h5_quiet();
    if ((file = pd_h5_open_read(path, e)) < 0 ||
        (group = pd_h5_open_group(file, path, NULL, gpath, sizeof gpath,
                                  e)) < 0 ||
        pd_h5_attr_u64(group, "rows", path, gpath, &out->rows, e) < 0)
        goto cleanup;
    out->name = pd_strdup(gpath + 1);
    out->path = pd_strdup(path);
    out->source = maybe_string(group, "source", path, gpath);
    out->imported = maybe_string(group, "imported", path, gpath);
    rc = 0;
cleanup:
    pd_h5_close(group);
    pd_h5_close(file);
    return rc;
}

void pd_imported_free(pd_imported *d) {
    free(d->name);
    free(d->path);
    free(d->source);
    free(d->imported);
    memset(d, 0, sizeof *d);
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const pd_imported *)a)->name,
                  ((const pd_imported *)b)->name);
}

/* A file that cannot be read is listed with its name and no details, so
 * `dataset list` still shows it is there. */
int pd_imported_list(const char *cache_dir, pd_imported **out, size_t *n,
                     pd_err *e) {
    char *dir = pd_strdup_printf("%s/imported", cache_dir);
    DIR *d = opendir(dir);
    struct dirent *ent;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    free(dir);
    if (!d)
        return 0; /* nothing imported yet */
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len < 4 || strcmp(ent->d_name + len - 3, ".h5") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            *out = pd_xrealloc(*out, cap * sizeof **out);
        }
        char *path = pd_strdup_printf("%s/imported/%s", cache_dir,
                                      ent->d_name);
        pd_err ignored = {0};
        pd_imported *it = &(*out)[(*n)++];
        if (pd_imported_read(path, it, &ignored) < 0) {
            it->name = pd_strdup(ent->d_name);
            it->name[len - 3] = '\0';
            it->path = path;
            path = NULL;
        }
        free(path);
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, by_name);
    (void)e;
    return 0;
}

int pd_dataset_find(const char *cache_dir, const char *spec,
                    pd_dataset_ref *out, pd_err *e) {
    memset(out, 0, sizeof *out);
    out->recipe = pd_recipe_find(spec);
    if (out->recipe)
        return 0;
    size_t len = strlen(spec);
    int is_file = strchr(spec, '/') || access(spec, F_OK) == 0 ||
                  (len > 3 && strcmp(spec + len - 3, ".h5") == 0);
    if (is_file) {
        if (strlen(spec) >= sizeof out->path)
            return pd_error(e, "the dataset path '%s' is too long", spec);
        strcpy(out->path, spec);
    } else if (pd_imported_path(cache_dir, spec, out->path, sizeof out->path,
                                e) < 0) {
        pd_error_prefix(e, "dataset '%s'", spec);
        return -1;
    }
    pd_imported info;
    if (pd_imported_read(out->path, &info, e) < 0) {
        if (!is_file && access(out->path, F_OK) != 0) {
            pd_error_clear(e);
            return pd_error(e, "no dataset '%s': it is neither built in nor "
                            "imported. `pdlab dataset list` shows both; "
                            "`pdlab dataset import FILE.csv --name %s` "
                            "imports one.", spec, spec);
        }
        return -1;
    }
    out->rows = info.rows;
    pd_imported_free(&info);
    return 0;
}
