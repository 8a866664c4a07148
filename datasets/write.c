/* The writer: one table (a group and its columns) into a temporary file that
 * is synced and renamed into place. pd_dataset_make and CSV import both
 * write through it, so their files have one layout (include/pdlab/dataset.h).
 *
 * Byte-identical output is a promise: nothing here may depend on the time,
 * the path, the process or uninitialized memory. Object time tracking is off
 * on the file, group and dataset creation lists. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "pdlab/signals.h"
#include "dataset_int.h"

#define DEFLATE_LEVEL 4  /* level 9 costs several times the time for ~2% */
#define TEXT_DEFLATE_LEVEL 1 /* text chunks hold only references to the
                                strings: level 1 packs them as small as 4
                                does, and makes `people` 15% faster */

int pd_check_name(const char *what, const char *name, pd_err *e) {
    if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0)
        return pd_error(e, "%s '%s' is not a valid name: it must be non-empty "
                        "and contain no '/'", what, name ? name : "");
    return 0;
}

/* What is being written, for messages: the file the user named, and the
 * HDF5 path of the group or column. */
typedef struct target {
    const char *path;
    const char *object;
    pd_err *e;
} target;

static int write_error(const target *at, const char *what) {
    return pd_h5_write_error(at->e, at->path, at->object, what);
}

/* ---- types and property lists -------------------------------------------
 * Each is new and closed by its caller, so every handle has one owner. A
 * failure is reported here, before closing empties HDF5's error stack. */

/* A UTF-8 variable-length string type (h5py reads it as str). */
static hid_t string_type(const target *at) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 &&
        H5Tset_cset(t, H5T_CSET_UTF8) >= 0)
        return t;
    write_error(at, "making a string type for");
    pd_h5_close(t);
    return H5I_INVALID_HID;
}

/* The type of values stored as s: in the file little-endian, so a file is
 * the same bytes on every machine; in memory native. */
static hid_t store_type(pd_store s, int in_file, const target *at) {
    hid_t base = H5I_INVALID_HID;
    switch (s) {
    case PD_STORE_F64:
        base = in_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
        break;
    case PD_STORE_I64: base = in_file ? H5T_STD_I64LE : H5T_NATIVE_INT64; break;
    case PD_STORE_I32: base = in_file ? H5T_STD_I32LE : H5T_NATIVE_INT32; break;
    case PD_STORE_I16: base = in_file ? H5T_STD_I16LE : H5T_NATIVE_INT16; break;
    case PD_STORE_I8: base = in_file ? H5T_STD_I8LE : H5T_NATIVE_INT8; break;
    case PD_STORE_TEXT: return string_type(at);
    }
    hid_t t = H5Tcopy(base);
    if (t < 0)
        write_error(at, "making the type of");
    return t;
}

/* Bytes a value of s takes in the fill buffer. */
static size_t store_size(pd_store s) {
    switch (s) {
    case PD_STORE_F64: return sizeof(double);
    case PD_STORE_I64: return sizeof(int64_t);
    case PD_STORE_I32: return sizeof(int32_t);
    case PD_STORE_I16: return sizeof(int16_t);
    case PD_STORE_I8: return sizeof(int8_t);
    case PD_STORE_TEXT: return sizeof(char *);
    }
    return 0;
}

/* A creation list with time tracking off: timestamps would make two
 * otherwise identical files differ. */
static hid_t untimed_plist(hid_t cls, const target *at) {
    hid_t p = H5Pcreate(cls);
    if (p >= 0 && H5Pset_obj_track_times(p, 0) >= 0)
        return p;
    write_error(at, "making the creation properties of");
    pd_h5_close(p);
    return H5I_INVALID_HID;
}

/* ---- attributes ---------------------------------------------------------- */

/* Writes attribute `name` of n values (n == 0: a scalar). */
static int attr_write(const target *at, hid_t obj, const char *name,
                      hid_t file_type, hid_t mem_type, size_t n,
                      const void *value) {
    hsize_t dims = n;
    hid_t space = n ? H5Screate_simple(1, &dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t attr = H5I_INVALID_HID;
    int rc = 0;
    if (space >= 0)
        attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT,
                          H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, value) < 0) {
        char what[320];
        snprintf(what, sizeof what, "writing attribute '%s' of", name);
        rc = write_error(at, what);
    }
    pd_h5_close(attr);
    pd_h5_close(space);
    return rc;
}

/* n == 0 writes one scalar string, else a 1-D array of n strings. */
static int attr_write_strings(const target *at, hid_t obj, const char *name,
                              const char *const *v, size_t n) {
    hid_t type = string_type(at);
    int rc = type < 0 ? -1 : attr_write(at, obj, name, type, type, n, v);
    pd_h5_close(type);
    return rc;
}

static int attr_write_string(const target *at, hid_t obj, const char *name,
                             const char *value) {
    return attr_write_strings(at, obj, name, &value, 0);
}

/* name, value, ..., NULL as string attributes; NULL writes none. */
static int attr_write_pairs(const target *at, hid_t obj,
                            const char *const *pairs) {
    for (size_t i = 0; pairs && pairs[i]; i += 2)
        if (attr_write_string(at, obj, pairs[i], pairs[i + 1]) < 0)
            return -1;
    return 0;
}

static int attr_write_u64(const target *at, hid_t obj, const char *name,
                          uint64_t v) {
    return attr_write(at, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &v);
}

/* ---- columns ------------------------------------------------------------- */

/* Creates column c in group, chunked. Floats drawn at random do not
 * compress (deflate gains about 10%), and inflating them would cap loading,
 * the lab's hot path, at a few hundred MB/s instead of memory speed: they
 * are stored raw. Keys, codes and small integers compress many times over
 * and are shuffled and deflated. So is text, at a lower level, though the
 * filters only see the chunks, which hold a 16-byte reference per string:
 * HDF5 keeps the characters in its global heap, uncompressed. */
static hid_t create_column(hid_t group, const pd_colspec *c, uint64_t rows,
                           hid_t file_type, const target *at) {
    hsize_t dims = rows, chunk = rows < PD_CHUNK_ROWS ? rows : PD_CHUNK_ROWS;
    unsigned level =
        c->store == PD_STORE_TEXT ? TEXT_DEFLATE_LEVEL : DEFLATE_LEVEL;
    int squeeze = c->store != PD_STORE_F64;
    hid_t dcpl = untimed_plist(H5P_DATASET_CREATE, at);
    hid_t space = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    if (dcpl < 0)
        goto cleanup;
    /* The checksum last, so it covers the bytes as they sit on disk: a
     * flipped bit in a raw float column fails the read instead of giving
     * a wrong number. HDF5 refuses it on variable-length strings, whose
     * chunks hold only references into the (unchecked) global heap. */
    if (H5Pset_chunk(dcpl, 1, &chunk) < 0 ||
        (squeeze &&
         (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, level) < 0)) ||
        (c->store != PD_STORE_TEXT && H5Pset_fletcher32(dcpl) < 0)) {
        write_error(at, "setting up compression for");
        goto cleanup;
    }
    space = H5Screate_simple(1, &dims, NULL);
    if (space >= 0)
        dset = H5Dcreate2(group, c->name, file_type, space, H5P_DEFAULT, dcpl,
                          H5P_DEFAULT);
    if (dset < 0)
        write_error(at, "creating");
cleanup:
    pd_h5_close(space);
    pd_h5_close(dcpl);
    return dset;
}

/* Fills and writes the rows of dset, one chunk per write: each chunk is
 * compressed once and never read back. */
static int write_rows(hid_t dset, const pd_colspec *c, uint64_t rows,
                      hid_t mem_type, const target *at) {
    hsize_t chunk = rows < PD_CHUNK_ROWS ? rows : PD_CHUNK_ROWS;
    hid_t fspace = H5Dget_space(dset), mspace = H5I_INVALID_HID;
    void *buf = pd_xcalloc(chunk, store_size(c->store));
    int rc = -1;
    if (fspace < 0) {
        write_error(at, "writing");
        goto cleanup;
    }
    for (hsize_t start = 0; start < rows; start += chunk) {
        hsize_t n = rows - start < chunk ? rows - start : chunk;
        /* A big dataset takes minutes: a ^C stops it here, and the caller
         * removes the unfinished temporary file. */
        if (pd_stop_signal()) {
            char *doing = pd_strdup_printf("writing the dataset %s", at->path);
            pd_stop_error(at->e, doing);
            free(doing);
            goto cleanup;
        }
        if (c->fill(c->ctx, start, (size_t)n, buf, at->e) < 0)
            goto cleanup;
        mspace = H5Screate_simple(1, &n, NULL);
        if (mspace < 0 ||
            H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &n,
                                NULL) < 0 ||
            H5Dwrite(dset, mem_type, mspace, fspace, H5P_DEFAULT, buf) < 0) {
            write_error(at, "writing");
            goto cleanup;
        }
        pd_h5_close(mspace);
        mspace = H5I_INVALID_HID;
    }
    rc = 0;
cleanup:
    free(buf);
    pd_h5_close(mspace);
    pd_h5_close(fspace);
    return rc;
}

static int write_column(hid_t group, const char *group_path, uint64_t rows,
                        const pd_colspec *c, const char *path, pd_err *e) {
    char object[1024];
    snprintf(object, sizeof object, "%s/%s", group_path, c->name);
    target at = {path, object, e};
    hid_t file_type = H5I_INVALID_HID, mem_type = H5I_INVALID_HID;
    hid_t dset = H5I_INVALID_HID;
    int rc = -1;
    if ((file_type = store_type(c->store, 1, &at)) < 0 ||
        (mem_type = store_type(c->store, 0, &at)) < 0 ||
        (dset = create_column(group, c, rows, file_type, &at)) < 0 ||
        write_rows(dset, c, rows, mem_type, &at) < 0 ||
        attr_write_string(&at, dset, "meaning", c->meaning) < 0)
        goto cleanup;
    if (c->labels &&
        (attr_write_string(&at, dset, "kind", "categorical") < 0 ||
         attr_write_strings(&at, dset, "labels", c->labels, c->nlabels) < 0))
        goto cleanup;
    if ((c->kind && attr_write_string(&at, dset, "kind", c->kind) < 0) ||
        attr_write_pairs(&at, dset, c->attrs) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    pd_h5_close(dset);
    pd_h5_close(mem_type);
    pd_h5_close(file_type);
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

static int write_group_attrs(hid_t group, const pd_table *t,
                             const target *at) {
    const char **names = pd_xcalloc(t->ncols, sizeof *names);
    for (size_t i = 0; i < t->ncols; i++)
        names[i] = t->cols[i].name;
    int32_t version = PD_DATASET_FORMAT_VERSION;
    int failed =
        attr_write(at, group, "pdlab_version", H5T_STD_I32LE,
                   H5T_NATIVE_INT32, 0, &version) < 0 ||
        attr_write_string(at, group, "recipe", t->recipe) < 0 ||
        attr_write_string(at, group, "description", t->description) < 0 ||
        attr_write_u64(at, group, "seed", t->seed) < 0 ||
        attr_write_u64(at, group, "rows", t->rows) < 0 ||
        attr_write_string(at, group, "recipe_hash", t->hash) < 0 ||
        attr_write_strings(at, group, "columns", names, t->ncols) < 0 ||
        attr_write_pairs(at, group, t->attrs) < 0;
    free(names);
    return failed ? -1 : 0;
}

static int write_table(hid_t file, const char *path, const pd_table *t,
                       pd_err *e) {
    char group_path[512];
    snprintf(group_path, sizeof group_path, "/%s", t->name);
    target at = {path, group_path, e};
    hid_t gcpl = untimed_plist(H5P_GROUP_CREATE, &at);
    hid_t group = H5I_INVALID_HID;
    int rc = -1;
    if (gcpl < 0)
        goto cleanup;
    group = H5Gcreate2(file, t->name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (group < 0) {
        write_error(&at, "creating group");
        goto cleanup;
    }
    if (write_group_attrs(group, t, &at) < 0)
        goto cleanup;
    for (size_t i = 0; i < t->ncols; i++)
        if (write_column(group, group_path, t->rows, &t->cols[i], path, e) <
            0)
            goto cleanup;
    rc = 0;
cleanup:
    pd_h5_close(group);
    pd_h5_close(gcpl);
    return rc;
}

/* ---- the file ------------------------------------------------------------ */

/* Flushes tmp, the file that will become path, to the disk. */
static int fsync_file(const char *tmp, const char *path, pd_err *e) {
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pd_error_errno(e, "cannot write dataset file '%s': reopening "
                              "'%s' to sync it failed", path, tmp);
    int rc = 0;
    if (pd_sys.fsync(fd) != 0)
        rc = pd_error_errno(e, "cannot write dataset file '%s': syncing it "
                            "to disk failed", path);
    if (pd_sys.close(fd) != 0)
        rc = pd_error_errno(e, "cannot write dataset file '%s': closing it "
                            "failed", path);
    return rc;
}

static int mkdir_parent(const char *path, pd_err *e) {
    char *dir = pd_strdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = pd_mkdir_p(dir, e);
    }
    free(dir);
    return rc;
}

/* A new HDF5 file at tmp, in the 1.8 format: it stores an attribute over
 * 64 KiB (a label table of a few thousand strings) densely, which the
 * original format cannot, and every h5py and pandas build of the last
 * decade reads it. Returns the file, or -1 with *e set. */
static hid_t create_file(const char *tmp, const char *path, pd_err *e) {
    target at = {path, tmp, e};
    hid_t fcpl = untimed_plist(H5P_FILE_CREATE, &at); /* the root group's */
    hid_t fapl = H5I_INVALID_HID, file = H5I_INVALID_HID;
    if (fcpl >= 0 && (fapl = H5Pcreate(H5P_FILE_ACCESS)) >= 0 &&
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0)
        file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (file < 0)
        write_error(&at, "creating the temporary file");
    pd_h5_close(fapl);
    pd_h5_close(fcpl);
    return file;
}

/* Removes the temporaries of path (path.PID-N.tmp) whose writer no longer
 * runs: one killed outright (SIGKILL, a power cut) had no chance to. A
 * temporary whose writer is alive is another process making the same file,
 * and is left to it. */
static void remove_orphans(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? pd_strdup(path) : pd_strdup(".");
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    struct dirent *de;
    DIR *d;

    if (slash) dir[slash - path ? slash - path : 1] = '\0';
    if ((d = opendir(dir)) != NULL) {
        while ((de = readdir(d)) != NULL) {
            char *end, *file;
            long pid;
            if (strncmp(de->d_name, base, blen) != 0 || de->d_name[blen] != '.')
                continue;
            pid = strtol(de->d_name + blen + 1, &end, 10);
            if (pid <= 0 || *end != '-' || strcmp(end + strcspn(end, "."), ".tmp") != 0 ||
                kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                continue;
            file = pd_strdup_printf("%s/%s", dir, de->d_name);
            unlink(file);
            free(file);
        }
        closedir(d);
    }
    free(dir);
}

/* The temporary name is beside path, so the rename stays on one file
 * system, and unique per process and call, so a concurrent writer of the
 * same recipe never writes into it: a reader only ever sees a whole file. */
int pd_table_write(const char *path, const pd_table *t, pd_err *e) {
    static unsigned serial;
    hid_t file = H5I_INVALID_HID;
    char *tmp = NULL;
    int rc = -1;
    pd_h5_quiet();
    if (mkdir_parent(path, e) < 0)
        goto cleanup;
    remove_orphans(path);
    tmp = pd_strdup_printf("%s.%ld-%u.tmp", path, (long)getpid(), serial++);
    if ((file = create_file(tmp, path, e)) < 0 ||
        write_table(file, path, t, e) < 0)
        goto cleanup;
    hid_t closing = file;
    file = H5I_INVALID_HID;
    if (H5Fclose(closing) < 0) { /* flushes: a full disk shows up here */
        pd_h5_write_error(e, path, tmp, "closing the temporary file");
        goto cleanup;
    }
    if (fsync_file(tmp, path, e) < 0)
        goto cleanup;
    if (pd_sys.rename(tmp, path) != 0) {
        pd_error_errno(e, "cannot write dataset file '%s': renaming '%s' "
                       "into place failed", path, tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    pd_h5_close(file);
    if (rc < 0 && tmp)
        unlink(tmp);
    free(tmp);
    return rc;
}
