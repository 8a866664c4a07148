/* Text columns read a block of rows at a time (pd_h5_text), for info,
 * export and the loader: memory stays bounded however long the column is.
 *
 * HDF5 allocates every variable-length string it reads on its own: a
 * million rows would be a million calls to malloc and as many to free. The
 * reader hands it memory from slabs instead, and takes a block's strings
 * back all at once by rewinding them; they are reused for the next block. */

#include <stdlib.h>

#include <hdf5.h>

#include "pdlab/alloc.h"
#include "dataset_int.h"

#define SLAB_BYTES (1 << 20)

struct pd_slab {
    struct pd_slab *next;
    size_t used, size;
    char data[];
};

static void *slab_alloc(size_t n, void *info) {
    pd_h5_text *t = info;
    while (t->cur && t->cur->size - t->cur->used < n)
        t->cur = t->cur->next; /* reused slabs first, in order */
    if (!t->cur) {
        size_t size = n > SLAB_BYTES ? n : SLAB_BYTES;
        struct pd_slab *s = malloc(sizeof *s + size), **end = &t->slabs;
        if (!s)
            return NULL; /* HDF5 fails the read */
        *s = (struct pd_slab){NULL, 0, size};
        while (*end)
            end = &(*end)->next;
        t->cur = *end = s;
    }
    void *p = t->cur->data + t->cur->used;
    t->cur->used += n;
    return p;
}

static void slab_free(void *p, void *info) {} /* see text_release */

/* Variable length: the memory type is the file's own (same character set:
 * HDF5 converts none), allocated from t's slabs. Fixed length: one byte
 * wider and NUL-terminated, so HDF5 ends every string, even one that fills
 * its width. Returns the caller's reader, or NULL with *e set. */
pd_h5_text *pd_h5_text_open(hid_t dset, const char *path, const char *object,
                            pd_err *e) {
    hid_t ftype = H5Dget_type(dset);
    htri_t vlen = ftype < 0 ? -1 : H5Tis_variable_str(ftype);
    pd_h5_text *t = NULL;
    if (vlen < 0) {
        pd_h5_read_error(e, path, object, "reading the type of");
        goto cleanup;
    }
    t = pd_xcalloc(1, sizeof *t);
    t->dset = dset;
    t->path = path;
    t->object = object;
    t->type = t->xfer = H5I_INVALID_HID;
    t->width = vlen ? 0 : H5Tget_size(ftype) + 1;
    int failed = (t->type = H5Tcopy(ftype)) < 0 ||
                 (t->xfer = H5Pcreate(H5P_DATASET_XFER)) < 0;
    if (!failed && vlen)
        failed = H5Pset_vlen_mem_manager(t->xfer, slab_alloc, t, slab_free,
                                         t) < 0;
    else if (!failed)
        failed = H5Tset_size(t->type, t->width) < 0 ||
                 H5Tset_strpad(t->type, H5T_STR_NULLTERM) < 0;
    if (failed) {
        pd_h5_read_error(e, path, object, "reading the type of");
        pd_h5_text_close(t);
        t = NULL;
    }
cleanup:
    pd_h5_close(ftype);
    return t;
}

/* Takes the last block's strings back: rewinds every slab. */
static void text_release(pd_h5_text *t) {
    for (struct pd_slab *s = t->slabs; s; s = s->next)
        s->used = 0;
    t->cur = t->slabs;
    t->n = 0;
}

int pd_h5_text_read(pd_h5_text *t, uint64_t start, size_t n, pd_err *e) {
    text_release(t);
    if (n > t->cap) {
        t->v = pd_xrealloc(t->v, n * sizeof *t->v);
        if (t->width)
            t->fixed = pd_xrealloc(t->fixed, n * t->width);
        t->cap = n;
    }
    t->n = n;
    if (pd_h5_read_rows(t->dset, t->type, t->xfer, start, n,
                        t->width ? (void *)t->fixed : (void *)t->v, t->path,
                        t->object, e) < 0)
        return -1;
    for (size_t i = 0; t->width && i < n; i++)
        t->v[i] = t->fixed + i * t->width;
    return 0;
}

void pd_h5_text_close(pd_h5_text *t) {
    if (!t)
        return;
    while (t->slabs) {
        struct pd_slab *next = t->slabs->next;
        free(t->slabs);
        t->slabs = next;
    }
    pd_h5_close(t->xfer);
    pd_h5_close(t->type);
    free(t->v);
    free(t->fixed);
    free(t);
}
