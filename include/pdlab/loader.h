#ifndef PDLAB_LOADER_H
#define PDLAB_LOADER_H
/* HDF5 to pandas without a copy: every column of numbers is read with H5Dread
 * straight into the buffer of a NumPy array made with the NumPy C API, and
 * the DataFrame is built on those arrays (copy=False, no consolidation).
 *
 * Text columns are the exception and cannot be zero-copy: pandas holds text
 * as a NumPy object array of Python str, one object per row, and HDF5 keeps
 * variable-length strings in its global heap, not in the chunks. They are
 * read a block of rows at a time and each string is decoded into a new str
 * (a null string becomes None); the HDF5 buffers are reclaimed per block.
 *
 * Requires an initialized interpreter (pd_python_start). */

#include <Python.h>
#include <stdint.h>

#include "pdlab/error.h"

typedef struct pd_load_stats {
    double seconds;     /* wall time of the whole load, DataFrame included */
    uint64_t bytes;     /* bytes of column data read: values for numbers,
                           UTF-8 bytes (no terminators) for text */
    uint64_t rows;
    int columns;
} pd_load_stats;

/* Loads the dataset group in path (the only group, or `group` when not NULL)
 * as a DataFrame. Returns a new reference, or NULL with *e set. */
PyObject *pd_load_frame(const char *path, const char *group,
                        pd_load_stats *stats, pd_err *e);

/* Reads one column into a new 1-D NumPy array (new reference): numbers in
 * their own dtype, text as an object array of str. When `into` is a
 * C-contiguous array of the right dtype (object for text) and length it is
 * filled and returned with a new reference instead, so a benchmark can reuse
 * a buffer; for text the old elements are released and replaced. */
PyObject *pd_load_column(const char *path, const char *dataset_path,
                         PyObject *into, pd_err *e);

#endif
