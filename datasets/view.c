/* A view of a dataset file for one lesson at one size: its first n rows,
 * with the user's columns under the names the lesson uses. Written as a
 * file of its own in the cache, so the workers load it as they load any
 * dataset (zero-copy, no renaming in Python), and kept until its source,
 * size or mapping changes. */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/strbuf.h"
#include "dataset_int.h"

/* One column of the source, read a block at a time into the writer. */
typedef struct source_col {
    hid_t dset;
    hid_t mem;              /* numbers: the native type; -1 for text */
    pd_h5_text *text;
    const char *path;
    char object[1024];
    char **labels;          /* categorical */
    size_t nlabels;
    char *kind, *meaning;
    const char *attrs[5];   /* format, csv_name as the source has them */
    char *attr_values[2];
} source_col;

static int fill_from_source(void *ctx, uint64_t start, size_t n, void *buf,
                            pd_err *e) {
    source_col *c = ctx;
    if (!c->text)
        return pd_h5_read_rows(c->dset, c->mem, H5P_DEFAULT, start, n, buf,
                               c->path, c->object, e);
    if (pd_h5_text_read(c->text, start, n, e) < 0)
        return -1;
    memcpy(buf, c->text->v, n * sizeof(char *));
    return 0;
}

static pd_store store_of(hid_t type) {
    size_t size = H5Tget_size(type);
    if (H5Tget_class(type) == H5T_STRING)
        return PD_STORE_TEXT;
    if (H5Tget_class(type) == H5T_FLOAT)
        return PD_STORE_F64;
    return size == 8 ? PD_STORE_I64 : size == 4 ? PD_STORE_I32
                     : size == 2 ? PD_STORE_I16 : PD_STORE_I8;
}

static char *optional_attr(hid_t obj, const char *name, const char *path,
                           const char *object, pd_err *e) {
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    return pd_h5_attr_string(obj, name, path, object, e);
}

/* Opens column `name` of group as a source for spec, under `as`. */
static int open_source(hid_t group, const char *path, const char *gpath,
                       const char *name, const char *as, source_col *c,
                       pd_colspec *spec, pd_err *e) {
    hid_t type = H5I_INVALID_HID;
    int rc = -1;
    snprintf(c->object, sizeof c->object, "%s/%s", gpath, name);
    c->path = path;
    c->mem = H5I_INVALID_HID;
    if ((c->dset = H5Dopen2(group, name, H5P_DEFAULT)) < 0 ||
        (type = H5Dget_type(c->dset)) < 0) {
        pd_h5_read_error(e, path, c->object, "opening");
        goto cleanup;
    }
    spec->store = store_of(type);
    if (spec->store == PD_STORE_TEXT) {
        if (!(c->text = pd_h5_text_open(c->dset, path, c->object, e)))
            goto cleanup;
    } else if ((c->mem = H5Tget_native_type(type, H5T_DIR_ASCEND)) < 0) {
        pd_h5_read_error(e, path, c->object, "reading the type of");
        goto cleanup;
    }
    int cat = pd_h5_is_categorical(c->dset, path, c->object, e);
    if (cat < 0 ||
        (cat && !(c->labels = pd_h5_attr_strings(c->dset, "labels", path,
                                                 c->object, &c->nlabels, e))))
        goto cleanup;
    c->meaning = optional_attr(c->dset, "meaning", path, c->object, e);
    c->kind = cat ? NULL : optional_attr(c->dset, "kind", path, c->object, e);
    size_t a = 0;
    static const char *const kept[] = {"format", "csv_name"};
    for (int k = 0; k < 2; k++)
        if ((c->attr_values[k] = optional_attr(c->dset, kept[k], path,
                                               c->object, e))) {
            c->attrs[a++] = kept[k];
            c->attrs[a++] = c->attr_values[k];
        }
    *spec = (pd_colspec){as, c->meaning ? c->meaning : "", spec->store,
                         (const char *const *)c->labels, c->nlabels, c->kind,
                         c->attrs, fill_from_source, c};
    rc = e->set ? -1 : 0;
cleanup:
    pd_h5_close(type);
    return rc;
}

static void close_source(source_col *c) {
    pd_h5_text_close(c->text);
    pd_h5_close(c->mem);
    pd_h5_close(c->dset);
    free(c->labels);
    free(c->kind);
    free(c->meaning);
    free(c->attr_values[0]);
    free(c->attr_values[1]);
}

/* The name column `name` takes in the view, or NULL when a mapped column
 * takes its name and it is left out. */
static const char *view_name(const char *name, const pd_column_map *map,
                             size_t nmap) {
    for (size_t i = 0; i < nmap; i++)
        if (strcmp(map[i].data, name) == 0)
            return map[i].lesson;
    for (size_t i = 0; i < nmap; i++)
        if (strcmp(map[i].lesson, name) == 0)
            return NULL;
    return name;
}

/* Every mapped column must be in the data: else an error listing them. */
static int check_map(char **names, size_t ncols, const pd_column_map *map,
                     size_t nmap, const char *path, pd_err *e) {
    for (size_t i = 0; i < nmap; i++) {
        size_t k = 0;
        while (k < ncols && strcmp(names[k], map[i].data) != 0)
            k++;
        if (k == ncols)
            return pd_error(e, "--columns maps '%s' to column '%s', which "
                            "dataset file '%s' does not have. `pdlab dataset "
                            "info` lists its columns.", map[i].lesson,
                            map[i].data, path);
    }
    return 0;
}

static void view_hash(const char *src_hash, uint64_t rows,
                      const pd_column_map *map, size_t nmap, char out[17]) {
    uint64_t h = pd_fnv1a(PD_FNV_OFFSET, "pdlab view", 10);
    h = pd_fnv1a(h, src_hash, strlen(src_hash) + 1);
    h = pd_fnv1a(h, &rows, sizeof rows);
    for (size_t i = 0; i < nmap; i++) {
        h = pd_fnv1a(h, map[i].lesson, strlen(map[i].lesson) + 1);
        h = pd_fnv1a(h, map[i].data, strlen(map[i].data) + 1);
    }
    snprintf(out, 17, "%016" PRIx64, h);
}

/* Writes the view of the open group into path. */
static int write_view(hid_t group, const char *src, const char *gpath,
                      uint64_t rows, const pd_column_map *map, size_t nmap,
                      const char *hash, const char *path, pd_err *e) {
    size_t ncols = 0, kept = 0;
    char **names = pd_h5_columns(group, src, gpath, &ncols, e);
    source_col *cols = NULL;
    pd_colspec *specs = NULL;
    int rc = -1;
    if (!names || check_map(names, ncols, map, nmap, src, e) < 0)
        goto cleanup;
    cols = pd_xcalloc(ncols, sizeof *cols);
    specs = pd_xcalloc(ncols, sizeof *specs);
    for (size_t i = 0; i < ncols; i++) {
        const char *as = view_name(names[i], map, nmap);
        cols[kept].dset = H5I_INVALID_HID;
        if (as && open_source(group, src, gpath, names[i], as, &cols[kept],
                              &specs[kept], e) < 0) {
            kept++;
            goto cleanup;
        }
        kept += as != NULL;
    }
    char *description = pd_strdup_printf("the first %" PRIu64 " rows of %s",
                                         rows, src);
    const char *attrs[] = {"source", src, NULL};
    pd_table t = {gpath + 1, "view", description, 0, rows, "", specs, kept,
                  attrs};
    memcpy(t.hash, hash, 17);
    rc = pd_table_write(path, &t, e);
    free(description);
cleanup:
    for (size_t i = 0; i < kept; i++)
        close_source(&cols[i]);
    free(cols);
    free(specs);
    free(names);
    return rc;
}

/* 1 when path holds a view with this hash that passes its checks. */
static int view_is_current(const char *path, const char *hash) {
    pd_err ignored = {0};
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[512], *have = NULL;
    int current = 0;
    if (access(path, F_OK) != 0)
        return 0;
    if ((file = pd_h5_open_read(path, &ignored)) >= 0 &&
        (group = pd_h5_open_group(file, path, NULL, gpath, sizeof gpath,
                                  &ignored)) >= 0)
        have = pd_h5_attr_string(group, "recipe_hash", path, gpath, &ignored);
    current = have && strcmp(have, hash) == 0;
    free(have);
    pd_h5_close(group);
    pd_h5_close(file);
    return current && pd_dataset_check(path, NULL, &ignored) == 0;
}

int pd_dataset_view(const char *src, uint64_t rows, const pd_column_map *map,
                    size_t nmap, const char *cache_dir, char *out,
                    size_t size, pd_err *e) {
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[512], hash[17], *src_hash = NULL;
    int rc = -1;
    pd_h5_quiet();
    if ((file = pd_h5_open_read(src, e)) < 0 ||
        (group = pd_h5_open_group(file, src, NULL, gpath, sizeof gpath, e)) <
            0 ||
        !(src_hash = pd_h5_attr_string(group, "recipe_hash", src, gpath, e)))
        goto cleanup;
    view_hash(src_hash, rows, map, nmap, hash);
    int n = snprintf(out, size, "%s/views/%s-%" PRIu64 "-%s.h5", cache_dir,
                     gpath + 1, rows, hash);
    if (n < 0 || (size_t)n >= size) {
        pd_error(e, "the view path in '%s' is too long", cache_dir);
        goto cleanup;
    }
    rc = view_is_current(out, hash)
             ? 0
             : write_view(group, src, gpath, rows, map, nmap, hash, out, e);
cleanup:
    free(src_hash);
    pd_h5_close(group);
    pd_h5_close(file);
    return rc;
}

/* ---- what a lesson needs ------------------------------------------------- */

/* Whether the column's HDF5 class and kind attribute hold `want`. */
static int holds(const char *want, H5T_class_t cls, const char *kind) {
    int plain = !*kind, number = cls == H5T_INTEGER || cls == H5T_FLOAT;
    if (strcmp(want, "any") == 0)
        return 1;
    if (strcmp(want, "number") == 0)
        return plain && number;
    if (strcmp(want, "int") == 0)
        return plain && cls == H5T_INTEGER;
    if (strcmp(want, "float") == 0)
        return plain && cls == H5T_FLOAT;
    if (strcmp(want, "bool") == 0)
        return strcmp(kind, "bool") == 0 || strcmp(kind, "boolean") == 0;
    if (strcmp(want, "datetime") == 0)
        return strcmp(kind, "datetime64[ns]") == 0;
    if (strcmp(want, "category") == 0)
        return strcmp(kind, "categorical") == 0;
    if (strcmp(want, "str") == 0)
        return cls == H5T_STRING;
    return cls == H5T_STRING || strcmp(kind, "categorical") == 0; /* text */
}

/* What column `name` of group is, in the words a lesson uses, into buf;
 * "" when there is no such column. */
static int column_word(hid_t group, const char *path, const char *gpath,
                       const char *name, const char *want, int *ok,
                       char *buf, size_t size, pd_err *e) {
    char object[1024], kind[32];
    *ok = 0;
    buf[0] = '\0';
    if (H5Lexists(group, name, H5P_DEFAULT) <= 0)
        return 0;
    snprintf(object, sizeof object, "%s/%s", gpath, name);
    hid_t dset = H5Dopen2(group, name, H5P_DEFAULT);
    hid_t type = dset < 0 ? H5I_INVALID_HID : H5Dget_type(dset);
    int rc = 0;
    if (type < 0 || pd_h5_kind(dset, path, object, kind, sizeof kind, e) < 0)
        rc = type < 0 ? pd_h5_read_error(e, path, object, "opening") : -1;
    else {
        H5T_class_t cls = H5Tget_class(type);
        *ok = holds(want, cls, kind);
        snprintf(buf, size, "%s", *kind ? kind : cls == H5T_STRING ? "str"
                                     : cls == H5T_FLOAT            ? "float"
                                                                   : "int");
    }
    pd_h5_close(type);
    pd_h5_close(dset);
    return rc;
}

int pd_dataset_check_columns(const char *path, const char *needs, pd_err *e) {
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[512], **names = NULL;
    size_t ncols = 0;
    pd_buf lacks = {0};
    int rc = -1;
    pd_h5_quiet();
    if ((file = pd_h5_open_read(path, e)) < 0 ||
        (group = pd_h5_open_group(file, path, NULL, gpath, sizeof gpath, e)) <
            0 ||
        !(names = pd_h5_columns(group, path, gpath, &ncols, e)))
        goto cleanup;
    for (const char *p = needs; p && *p;) {
        size_t len = strcspn(p, ","), eq = strcspn(p, "=");
        char name[512], want[32], is[32];
        int ok;
        snprintf(name, sizeof name, "%.*s", (int)eq, p);
        snprintf(want, sizeof want, "%.*s", (int)(len - eq - 1), p + eq + 1);
        if (column_word(group, path, gpath, name, want, &ok, is, sizeof is,
                        e) < 0)
            goto cleanup;
        if (!ok)
            pd_buf_printf(&lacks, "%s'%s' (%s%s%s)", lacks.len ? ", " : "",
                          name, want, *is ? ", it is " : ", missing", is);
        p += len + (p[len] == ',');
    }
    if (lacks.len) {
        pd_buf have = {0};
        for (size_t i = 0; i < ncols; i++)
            pd_buf_printf(&have, "%s'%s'", i ? ", " : "", names[i]);
        pd_error(e, "dataset file '%s' lacks the columns the lesson needs: "
                 "%s. It has %s. Map yours onto the lesson's names with "
                 "--columns NAME=COLUMN,... (e.g. --columns %.*s=\"%s\").",
                 path, pd_buf_str(&lacks), pd_buf_str(&have),
                 (int)strcspn(needs, "="), needs, ncols ? names[0] : "...");
        pd_buf_free(&have);
        goto cleanup;
    }
    rc = 0;
cleanup:
    pd_buf_free(&lacks);
    free(names);
    pd_h5_close(group);
    pd_h5_close(file);
    return rc;
}
