/* HDF5 plumbing every part of datasets/ shares: error messages that say
 * what to do, attributes read in any shape other tools write them, files,
 * groups and columns opened, and rows read.
 *
 * HDF5 keeps the reason for a failure on its error stack only until the
 * next HDF5 call, closing a handle included: every function here reports a
 * failure before it cleans up. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "dataset_int.h"

void pd_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

void pd_h5_close(hid_t id) {
    if (id < 0)
        return;
    switch (H5Iget_type(id)) {
    case H5I_FILE: H5Fclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    case H5I_GENPROP_LST: H5Pclose(id); break;
    default: break;
    }
}

/* ---- error messages ------------------------------------------------------ */

/* Walking upward, entry 0 is the root cause; the rest say where it was
 * noticed ("unable to open file"), which the caller says better. */
static herr_t innermost_cb(unsigned n, const H5E_error2_t *err, void *data) {
    const char *text = err->desc && *err->desc ? err->desc : err->func_name;
    if (n == 0)
        snprintf(data, 256, "%s", text ? text : "");
    return 0;
}

/* HDF5's own words for the failure that is on its error stack now. */
static void h5_reason(char out[256]) {
    strcpy(out, "no detail");
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_cb, out);
}

/* The command that makes a good file at `path`, when the name says which
 * recipe and size it held ("mixed-1000.h5"), else a template. */
static void remedy(const char *path, char *out, size_t size) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dash = strrchr(base, '-');
    char name[128];
    char *end = NULL;
    unsigned long long rows = 0;
    if (dash && (size_t)(dash - base) < sizeof name) {
        memcpy(name, base, (size_t)(dash - base));
        name[dash - base] = '\0';
        rows = strtoull(dash + 1, &end, 10);
    }
    if (rows > 0 && end && strcmp(end, ".h5") == 0 && pd_recipe_find(name))
        snprintf(out, size, "`pdlab dataset make %s --rows %llu --out '%s'`",
                 name, rows, path);
    else
        snprintf(out, size, "`pdlab dataset make RECIPE --rows N --out '%s'`",
                 path);
}

/* "cannot <verb> dataset file 'path': <what> '<object>' failed (HDF5: ...).
 * <advice>" with HDF5's innermost reason. */
static int h5_error(pd_err *e, const char *verb, const char *path,
                    const char *object, const char *what, const char *advice) {
    char reason[256];
    h5_reason(reason);
    return pd_error(e, "cannot %s dataset file '%s': %s%s%s%s failed (HDF5: "
                    "%s). %s", verb, path, what, object ? " '" : "",
                    object ? object : "", object ? "'" : "", reason, advice);
}

int pd_h5_read_error(pd_err *e, const char *path, const char *object,
                     const char *what) {
    char fix[1536], advice[2048];
    remedy(path, fix, sizeof fix);
    snprintf(advice, sizeof advice, "It may be corrupt or truncated. Delete "
             "it and run %s, or pass another file.", fix);
    return h5_error(e, "read", path, object, what, advice);
}

int pd_h5_write_error(pd_err *e, const char *path, const char *object,
                      const char *what) {
    return h5_error(e, "write", path, object, what,
                    "Check that the directory is writable and the disk has "
                    "room.");
}

/* ---- attributes ---------------------------------------------------------- */

/* Packs n strings into one allocation: the vector, its NULL terminator and
 * the characters. len[i] bytes of items[i] are copied (none of a NULL one).
 * Caller frees. */
static char **strv_pack(char *const *items, const size_t *len, size_t n) {
    size_t total = (n + 1) * sizeof(char *);
    for (size_t i = 0; i < n; i++)
        total += len[i] + 1;
    char **v = pd_xcalloc(1, total);
    char *p = (char *)(v + n + 1);
    for (size_t i = 0; i < n; i++) {
        v[i] = p;
        if (len[i])
            memcpy(p, items[i], len[i]);
        p[len[i]] = '\0';
        p += len[i] + 1;
    }
    return v;
}

static int attr_exists(hid_t obj, const char *attr, const char *path,
                       const char *object, pd_err *e) {
    htri_t ok = H5Aexists(obj, attr);
    if (ok < 0)
        return pd_h5_read_error(e, path, object, "looking for an attribute of");
    return ok > 0;
}

/* Opens attribute attr of obj, and names it in where for later messages.
 * Returns the id, or -1 with *e set: a missing attribute means a file pdlab
 * did not write. */
static hid_t attr_open(hid_t obj, const char *attr, const char *path,
                       const char *object, char *where, size_t size,
                       pd_err *e) {
    snprintf(where, size, "attribute '%s' of '%s'", attr, object);
    int ok = attr_exists(obj, attr, path, object, e);
    if (ok == 0)
        pd_error(e, "dataset file '%s': '%s' has no attribute '%s'; was the "
                 "file written by pdlab?", path, object, attr);
    if (ok <= 0)
        return H5I_INVALID_HID;
    hid_t a = H5Aopen(obj, attr, H5P_DEFAULT);
    if (a < 0)
        pd_h5_read_error(e, path, where, "opening");
    return a;
}

/* Reads a string attribute of any shape, fixed or variable length, into a
 * packed vector (see strv_pack; caller frees), or NULL with *e set. */
static char **read_strings(hid_t attr, const char *path, const char *where,
                           size_t *n, pd_err *e) {
    hid_t ftype = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    hid_t space = H5I_INVALID_HID;
    char **raw = NULL, **out = NULL, *fixed = NULL;
    size_t *len = NULL, nitems = 0, width = SIZE_MAX;
    hssize_t count = -1;
    htri_t vlen = -1;
    if ((ftype = H5Aget_type(attr)) < 0 || (space = H5Aget_space(attr)) < 0 ||
        (count = H5Sget_simple_extent_npoints(space)) < 0) {
        pd_h5_read_error(e, path, where, "reading");
        goto cleanup;
    }
    if (H5Tget_class(ftype) != H5T_STRING) {
        pd_error(e, "dataset file '%s': %s is not a string; the file was not "
                 "written by pdlab.", path, where);
        goto cleanup;
    }
    if ((vlen = H5Tis_variable_str(ftype)) < 0 ||
        (mtype = H5Tcopy(ftype)) < 0) {
        pd_h5_read_error(e, path, where, "reading the type of");
        goto cleanup;
    }
    nitems = (size_t)count;
    raw = pd_xcalloc(nitems + 1, sizeof *raw);
    len = pd_xcalloc(nitems + 1, sizeof *len);
    if (!vlen) { /* fixed length: read in place, raw points into it */
        width = H5Tget_size(ftype);
        fixed = pd_xcalloc(nitems + 1, width);
    }
    if (H5Aread(attr, mtype, vlen ? (void *)raw : fixed) < 0) {
        pd_h5_read_error(e, path, where, "reading");
        goto cleanup;
    }
    for (size_t i = 0; i < nitems; i++) {
        if (fixed)
            raw[i] = fixed + i * width;
        len[i] = raw[i] ? strnlen(raw[i], width) : 0; /* full: no NUL */
    }
    out = strv_pack(raw, len, nitems);
    if (vlen)
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, raw);
    *n = nitems;
cleanup:
    pd_h5_close(mtype);
    pd_h5_close(space);
    pd_h5_close(ftype);
    free(raw);
    free(len);
    free(fixed);
    return out;
}

char **pd_h5_attr_strings(hid_t obj, const char *attr, const char *path,
                          const char *object, size_t *n, pd_err *e) {
    char where[1024];
    hid_t a = attr_open(obj, attr, path, object, where, sizeof where, e);
    if (a < 0)
        return NULL;
    char **v = read_strings(a, path, where, n, e);
    pd_h5_close(a);
    return v;
}

char *pd_h5_attr_string(hid_t obj, const char *attr, const char *path,
                        const char *object, pd_err *e) {
    size_t n = 0;
    char **v = pd_h5_attr_strings(obj, attr, path, object, &n, e);
    if (!v)
        return NULL;
    char *s = n == 1 ? pd_strdup(v[0]) : NULL;
    if (!s)
        pd_error(e, "dataset file '%s': attribute '%s' of '%s' holds %zu "
                 "strings where one was expected.", path, attr, object, n);
    free(v);
    return s;
}

int pd_h5_attr_u64(hid_t obj, const char *attr, const char *path,
                   const char *object, uint64_t *out, pd_err *e) {
    char where[1024];
    hid_t a = attr_open(obj, attr, path, object, where, sizeof where, e);
    if (a < 0)
        return -1;
    int rc = 0;
    if (H5Aread(a, H5T_NATIVE_UINT64, out) < 0)
        rc = pd_h5_read_error(e, path, where, "reading");
    pd_h5_close(a);
    return rc;
}

int pd_h5_kind(hid_t obj, const char *path, const char *object, char *buf,
               size_t size, pd_err *e) {
    int ok = attr_exists(obj, "kind", path, object, e);
    buf[0] = '\0';
    if (ok <= 0)
        return ok;
    char *kind = pd_h5_attr_string(obj, "kind", path, object, e);
    if (!kind)
        return -1;
    snprintf(buf, size, "%s", kind);
    free(kind);
    return 0;
}

int pd_h5_is_categorical(hid_t obj, const char *path, const char *object,
                         pd_err *e) {
    char kind[32];
    if (pd_h5_kind(obj, path, object, kind, sizeof kind, e) < 0)
        return -1;
    return strcmp(kind, "categorical") == 0;
}

/* ---- files, groups, columns ---------------------------------------------- */

hid_t pd_h5_open_read(const char *path, pd_err *e) {
    struct stat st;
    char fix[1536];
    if (stat(path, &st) != 0) {
        int err = errno;
        remedy(path, fix, sizeof fix);
        errno = err;
        if (errno == ENOENT)
            pd_error(e, "cannot read dataset file '%s': it does not exist. "
                     "Run %s to create it, or pass another file.", path, fix);
        else
            pd_error_errno(e, "cannot read dataset file '%s'", path);
        return H5I_INVALID_HID;
    }
    if (S_ISDIR(st.st_mode)) {
        pd_error(e, "cannot read dataset file '%s': it is a directory; pass "
                 "the .h5 file inside it.", path);
        return H5I_INVALID_HID;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file >= 0)
        return file;
    char reason[256];
    h5_reason(reason); /* before H5Fis_hdf5 clears the stack */
    htri_t is_hdf5 = H5Fis_hdf5(path);
    remedy(path, fix, sizeof fix);
    if (is_hdf5 == 0)
        pd_error(e, "cannot read dataset file '%s': not an HDF5 file (it may "
                 "be corrupt or truncated). Delete it and run %s, or pass "
                 "another file.", path, fix);
    else
        pd_error(e, "cannot read dataset file '%s': HDF5 cannot open it "
                 "(HDF5: %s). It may be corrupt or truncated. Delete it and "
                 "run %s, or pass another file.", path, reason, fix);
    return H5I_INVALID_HID;
}

typedef struct child_list {
    H5O_type_t type;  /* the kind of object collected */
    char **names;
    size_t *len;
    size_t n, cap;
} child_list;

static herr_t child_cb(hid_t loc, const char *name, const H5L_info_t *info,
                       void *data) {
    child_list *l = data;
    H5O_info_t oinfo;
    if (info->type != H5L_TYPE_HARD)
        return 0; /* soft and external links point elsewhere */
    if (H5Oget_info_by_name2(loc, name, &oinfo, H5O_INFO_BASIC,
                             H5P_DEFAULT) < 0)
        return -1;
    if (oinfo.type != l->type)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->names = pd_xrealloc(l->names, l->cap * sizeof *l->names);
        l->len = pd_xrealloc(l->len, l->cap * sizeof *l->len);
    }
    l->names[l->n] = pd_strdup(name);
    l->len[l->n] = strlen(name);
    l->n++;
    return 0;
}

char **pd_h5_children(hid_t loc, H5O_type_t type, const char *path,
                      const char *object, size_t *n, pd_err *e) {
    child_list l = {type, NULL, NULL, 0, 0};
    char **v = NULL;
    if (H5Literate(loc, H5_INDEX_NAME, H5_ITER_INC, NULL, child_cb, &l) < 0)
        pd_h5_read_error(e, path, object, "listing the members of");
    else {
        v = strv_pack(l.names, l.len, l.n);
        *n = l.n;
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.names[i]);
    free(l.names);
    free(l.len);
    return v;
}

hid_t pd_h5_open_group(hid_t file, const char *path, const char *name,
                       char *buf, size_t size, pd_err *e) {
    char **groups = NULL;
    size_t n = 0;
    hid_t group = H5I_INVALID_HID;
    if (!name) {
        groups = pd_h5_children(file, H5O_TYPE_GROUP, path, "/", &n, e);
        if (!groups)
            goto cleanup;
        if (n != 1) {
            pd_error(e, "dataset file '%s' holds %zu groups%s%s%s; pdlab "
                     "files hold one. Name the group to load.", path, n,
                     n ? " (" : "", n ? groups[0] : "",
                     n > 1 ? ", ...)" : n ? ")" : "");
            goto cleanup;
        }
        name = groups[0];
    }
    /* Cut short, the path could name another group that does exist. */
    int len = snprintf(buf, size, "%s%s", name[0] == '/' ? "" : "/", name);
    if (len < 0 || (size_t)len >= size) {
        pd_error(e, "dataset file '%s': the group name '%s' is too long.",
                 path, name);
        goto cleanup;
    }
    htri_t exists = H5Lexists(file, buf, H5P_DEFAULT);
    if (exists == 0)
        pd_error(e, "dataset file '%s' has no group '%s'. `pdlab dataset "
                 "info '%s'` shows what it holds.", path, buf, path);
    else if (exists < 0 || (group = H5Gopen2(file, buf, H5P_DEFAULT)) < 0)
        pd_h5_read_error(e, path, buf, "opening group");
cleanup:
    free(groups);
    return group;
}

char **pd_h5_columns(hid_t group, const char *path, const char *group_path,
                     size_t *n, pd_err *e) {
    int ok = attr_exists(group, "columns", path, group_path, e);
    if (ok < 0)
        return NULL;
    if (ok)
        return pd_h5_attr_strings(group, "columns", path, group_path, n, e);
    return pd_h5_children(group, H5O_TYPE_DATASET, path, group_path, n, e);
}

int pd_h5_read_rows(hid_t dset, hid_t mem_type, hid_t xfer, uint64_t start,
                    size_t n, void *buf, const char *path, const char *object,
                    pd_err *e) {
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hsize_t offset = start, count = n;
    int rc = 0;
    if (n == 0)
        return 0;
    fspace = H5Dget_space(dset);
    if (fspace >= 0)
        mspace = H5Screate_simple(1, &count, NULL);
    if (mspace < 0 ||
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &offset, NULL, &count,
                            NULL) < 0 ||
        H5Dread(dset, mem_type, mspace, fspace, xfer, buf) < 0)
        rc = pd_h5_read_error(e, path, object, "reading");
    pd_h5_close(mspace);
    pd_h5_close(fspace);
    return rc;
}
