/* HDF5 to pandas without a copy: the lab's own hot path.
 *
 * Each column of numbers is one H5Dread straight into the buffer of a NumPy
 * array made with PyArray_SimpleNew, so HDF5 decompresses into the memory
 * pandas will use. pandas.DataFrame(dict, copy=False) then keeps one block
 * per column (pandas 1.5 consolidates only when copying), so building the
 * frame copies nothing either. Categorical columns become
 * pandas.Categorical.from_codes, which keeps int8 codes as they are.
 *
 * Text is the one copy: pandas wants a Python str per row, so each string
 * HDF5 hands back is decoded into a new str in an object array, a block of
 * rows at a time (pd_h5_text), and HDF5's buffers are given back per block. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define PY_ARRAY_UNIQUE_SYMBOL pdlab_ARRAY_API
#define NO_IMPORT_ARRAY /* embed.c calls import_array() */
#include <numpy/arrayobject.h>

#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/embed.h"
#include "pdlab/loader.h"
#include "pdlab/timer.h"
#include "dataset_int.h"

/* The NumPy type number for an HDF5 number type, and the native type H5Dread
 * should convert to. -1 for anything that is not a plain number. */
static int numpy_type(hid_t type, hid_t *mem) {
    size_t size = H5Tget_size(type);
    H5T_class_t cls = H5Tget_class(type);
    int is_signed = H5Tget_sign(type) != H5T_SGN_NONE;
    if (cls == H5T_FLOAT && size == 4)
        return *mem = H5T_NATIVE_FLOAT, NPY_FLOAT32;
    if (cls == H5T_FLOAT && size == 8)
        return *mem = H5T_NATIVE_DOUBLE, NPY_FLOAT64;
    if (cls != H5T_INTEGER)
        return -1;
    switch (size) {
    case 1:
        *mem = is_signed ? H5T_NATIVE_INT8 : H5T_NATIVE_UINT8;
        return is_signed ? NPY_INT8 : NPY_UINT8;
    case 2:
        *mem = is_signed ? H5T_NATIVE_INT16 : H5T_NATIVE_UINT16;
        return is_signed ? NPY_INT16 : NPY_UINT16;
    case 4:
        *mem = is_signed ? H5T_NATIVE_INT32 : H5T_NATIVE_UINT32;
        return is_signed ? NPY_INT32 : NPY_UINT32;
    case 8:
        *mem = is_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64;
        return is_signed ? NPY_INT64 : NPY_UINT64;
    }
    return -1;
}

/* 0 when `into` can take n values of type npy in place, else -1 with *e. */
static int check_into(PyObject *into, int npy, hsize_t n, const char *path,
                      const char *object, pd_err *e) {
    PyArrayObject *a = (PyArrayObject *)into;
    if (PyArray_Check(into) && PyArray_NDIM(a) == 1 &&
        (hsize_t)PyArray_DIM(a, 0) == n && PyArray_ISCARRAY(a) &&
        PyArray_ISNOTSWAPPED(a) && PyArray_EquivTypenums(PyArray_TYPE(a), npy))
        return 0;
    PyArray_Descr *want = PyArray_DescrFromType(npy); /* new reference */
    pd_error(e, "cannot load '%s' of '%s' into the array given: it must be a "
             "writeable, C-contiguous, 1-D array of %llu %s values.", object,
             path, (unsigned long long)n, want ? want->typeobj->tp_name : "?");
    Py_XDECREF(want);
    return -1;
}

/* Fills the object array arr with one str per row of the open text dataset
 * (None for a null string), releasing what its elements held before. Adds
 * the strings' UTF-8 bytes to *bytes. Returns 0, or -1 with *e set. */
static int read_text(hid_t dset, const char *path, const char *object,
                     PyArrayObject *arr, uint64_t *bytes, pd_err *e) {
    npy_intp n = PyArray_DIM(arr, 0);
    PyObject **out = PyArray_DATA(arr);
    pd_h5_text *t = pd_h5_text_open(dset, path, object, e);
    int rc = -1;
    if (!t)
        goto cleanup;
    for (npy_intp start = 0; start < n; start += PD_TEXT_BLOCK) {
        size_t m = n - start < PD_TEXT_BLOCK ? (size_t)(n - start)
                                             : PD_TEXT_BLOCK;
        if (pd_h5_text_read(t, (uint64_t)start, m, e) < 0)
            goto cleanup;
        for (size_t i = 0; i < m; i++) {
            PyObject *str = Py_None;
            if (t->v[i]) {
                size_t len = strlen(t->v[i]);
                *bytes += len;
                /* "replace", as for labels: a foreign file's bad bytes
                 * become U+FFFD rather than failing the whole load */
                str = PyUnicode_DecodeUTF8(t->v[i], (Py_ssize_t)len,
                                           "replace");
                if (!str) {
                    pd_python_error(e, "decoding row %lld of '%s' in '%s'",
                                    (long long)start + (long long)i, object,
                                    path);
                    goto cleanup;
                }
            } else
                Py_INCREF(str);
            Py_XSETREF(out[start + (npy_intp)i], str); /* steals str */
        }
    }
    rc = 0;
cleanup:
    pd_h5_text_close(t);
    return rc;
}

/* Reads the open 1-D dataset into a new NumPy array, or into `into` when it
 * is not NULL or None: numbers in their own dtype, text as objects. Adds the
 * bytes read to *bytes. Returns a new reference (to `into` when it was
 * used), or NULL with *e set. */
static PyObject *read_column(hid_t dset, const char *path, const char *object,
                             PyObject *into, uint64_t *bytes, pd_err *e) {
    hid_t type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hid_t mem = H5I_INVALID_HID; /* a predefined type: never closed */
    PyObject *arr = NULL;
    hsize_t n = 0;
    type = H5Dget_type(dset);
    if (type >= 0)
        space = H5Dget_space(dset);
    if (space < 0) {
        pd_h5_read_error(e, path, object, "opening");
        goto cleanup;
    }
    int text = H5Tget_class(type) == H5T_STRING;
    int npy = text ? NPY_OBJECT : numpy_type(type, &mem);
    if (H5Sget_simple_extent_ndims(space) != 1 || npy < 0) {
        pd_error(e, "dataset file '%s': '%s' is not a 1-D column of numbers "
                 "or text, so pdlab cannot load it.", path, object);
        goto cleanup;
    }
    H5Sget_simple_extent_dims(space, &n, NULL);
    if (into && into != Py_None) {
        if (check_into(into, npy, n, path, object, e) < 0)
            goto cleanup;
        Py_INCREF(into);
        arr = into;
    } else {
        npy_intp dims = (npy_intp)n;
        arr = PyArray_SimpleNew(1, &dims, npy);
        if (!arr) {
            pd_python_error(e, "allocating %llu values for '%s' of '%s'",
                            (unsigned long long)n, object, path);
            goto cleanup;
        }
    }
    if (text) {
        if (read_text(dset, path, object, (PyArrayObject *)arr, bytes, e) < 0)
            Py_CLEAR(arr);
    } else if (n > 0 && H5Dread(dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                PyArray_DATA((PyArrayObject *)arr)) < 0) {
        pd_h5_read_error(e, path, object, "reading");
        Py_CLEAR(arr);
    } else
        *bytes += (uint64_t)PyArray_NBYTES((PyArrayObject *)arr);
cleanup:
    pd_h5_close(space);
    pd_h5_close(type);
    return arr;
}

/* pandas.Categorical.from_codes(codes, labels). Borrows both arguments;
 * returns a new reference or NULL with *e set. */
static PyObject *categorical(PyObject *pandas, PyObject *codes,
                             char *const *labels, size_t nlabels,
                             const char *object, pd_err *e) {
    PyObject *list = NULL, *cls = NULL, *out = NULL;
    list = PyList_New((Py_ssize_t)nlabels);
    if (!list)
        goto cleanup;
    for (size_t i = 0; i < nlabels; i++) {
        PyObject *s = PyUnicode_DecodeUTF8(labels[i],
                                           (Py_ssize_t)strlen(labels[i]),
                                           "replace");
        if (!s)
            goto cleanup;
        PyList_SET_ITEM(list, (Py_ssize_t)i, s); /* steals s */
    }
    cls = PyObject_GetAttrString(pandas, "Categorical");
    if (cls)
        out = PyObject_CallMethod(cls, "from_codes", "OO", codes, list);
cleanup:
    if (!out)
        pd_python_error(e, "making the categorical column '%s'", object);
    Py_XDECREF(cls);
    Py_XDECREF(list);
    return out;
}

/* A "boolean" column, int8 0/1 with -1 missing, as pandas' nullable
 * BooleanArray. Borrows codes; returns a new reference or NULL with a
 * Python exception pending. */
static PyObject *boolean(PyObject *pandas, PyObject *codes) {
    PyObject *zero = PyLong_FromLong(0), *one = PyLong_FromLong(1);
    PyObject *mask = NULL, *values = NULL, *arrays = NULL, *out = NULL;
    if (zero && one && (mask = PyObject_RichCompare(codes, zero, Py_LT)) &&
        (values = PyObject_RichCompare(codes, one, Py_EQ)) &&
        (arrays = PyObject_GetAttrString(pandas, "arrays")))
        out = PyObject_CallMethod(arrays, "BooleanArray", "OO", values, mask);
    Py_XDECREF(arrays);
    Py_XDECREF(values);
    Py_XDECREF(mask);
    Py_XDECREF(one);
    Py_XDECREF(zero);
    return out;
}

/* The array as pandas should hold it, by the column's kind: a Categorical
 * around codes, booleans (int8 0/1 seen as bool, no copy; nullable ones as
 * a BooleanArray), datetime64[ns] (int64 nanoseconds seen as times, no
 * copy), or the array itself. Borrows arr; returns a new reference or
 * NULL with *e set. */
static PyObject *by_kind(PyObject *pandas, PyObject *arr, const char *kind,
                         char *const *labels, size_t nlabels,
                         const char *object, pd_err *e) {
    PyObject *out;
    if (strcmp(kind, "categorical") == 0)
        return categorical(pandas, arr, labels, nlabels, object, e);
    if (strcmp(kind, "bool") == 0)
        out = PyObject_CallMethod(arr, "view", "s", "bool");
    else if (strcmp(kind, "boolean") == 0)
        out = boolean(pandas, arr);
    else if (strcmp(kind, "datetime64[ns]") == 0)
        out = PyObject_CallMethod(arr, "view", "s", "datetime64[ns]");
    else {
        Py_INCREF(arr);
        return arr;
    }
    if (!out)
        pd_python_error(e, "making the %s column '%s'", kind, object);
    return out;
}

/* One column of the frame: the array, or a Categorical around its codes.
 * Adds the bytes read to *bytes. Returns a new reference or NULL with *e
 * set. */
static PyObject *frame_column(hid_t group, PyObject *pandas, const char *path,
                              const char *group_path, const char *name,
                              uint64_t *bytes, pd_err *e) {
    hid_t dset = H5I_INVALID_HID;
    PyObject *arr = NULL, *out = NULL;
    char **labels = NULL;
    size_t nlabels = 0;
    char object[1024];
    snprintf(object, sizeof object, "%s/%s", group_path, name);
    dset = H5Dopen2(group, name, H5P_DEFAULT);
    if (dset < 0) {
        pd_h5_read_error(e, path, object, "opening");
        goto cleanup;
    }
    char kind[32];
    if (pd_h5_kind(dset, path, object, kind, sizeof kind, e) < 0 ||
        (strcmp(kind, "categorical") == 0 &&
         !(labels = pd_h5_attr_strings(dset, "labels", path, object,
                                       &nlabels, e))) ||
        !(arr = read_column(dset, path, object, NULL, bytes, e)))
        goto cleanup;
    out = by_kind(pandas, arr, kind, labels, nlabels, object, e);
cleanup:
    free(labels);
    Py_XDECREF(arr);
    pd_h5_close(dset);
    return out;
}

/* pandas.DataFrame(columns, copy=False). Borrows columns; returns a new
 * reference or NULL with a Python exception pending. */
static PyObject *make_frame(PyObject *pandas, PyObject *columns) {
    PyObject *ctor = NULL, *args = NULL, *kwargs = NULL, *frame = NULL;
    ctor = PyObject_GetAttrString(pandas, "DataFrame");
    args = PyTuple_Pack(1, columns);
    kwargs = Py_BuildValue("{s:O}", "copy", Py_False);
    if (ctor && args && kwargs)
        frame = PyObject_Call(ctor, args, kwargs);
    Py_XDECREF(kwargs);
    Py_XDECREF(args);
    Py_XDECREF(ctor);
    return frame;
}

/* Returns a new reference to the DataFrame, or NULL with *e set. */
PyObject *pd_load_frame(const char *path, const char *group,
                        pd_load_stats *stats, pd_err *e) {
    uint64_t start = pd_now_ns();
    hid_t file = H5I_INVALID_HID, grp = H5I_INVALID_HID;
    PyObject *pandas = NULL, *columns = NULL, *col = NULL, *frame = NULL;
    char **names = NULL, group_path[512];
    size_t ncols = 0;
    uint64_t bytes = 0;
    pd_h5_quiet();

    file = pd_h5_open_read(path, e);
    if (file < 0)
        goto cleanup;
    grp = pd_h5_open_group(file, path, group, group_path, sizeof group_path,
                           e);
    if (grp < 0 || !(names = pd_h5_columns(grp, path, group_path, &ncols, e)))
        goto cleanup;
    pandas = PyImport_ImportModule("pandas");
    columns = PyDict_New();
    if (!pandas || !columns) {
        pd_python_error(e, "loading '%s' from '%s'", group_path, path);
        goto cleanup;
    }
    for (size_t i = 0; i < ncols; i++) {
        col = frame_column(grp, pandas, path, group_path, names[i], &bytes, e);
        if (!col)
            goto cleanup;
        if (PyDict_SetItemString(columns, names[i], col) < 0) {
            pd_python_error(e, "loading '%s' from '%s'", group_path, path);
            goto cleanup;
        }
        Py_CLEAR(col);
    }
    frame = make_frame(pandas, columns);
    if (!frame) {
        pd_python_error(e, "building the DataFrame of '%s' from '%s'",
                        group_path, path);
        goto cleanup;
    }
    if (stats) {
        stats->seconds = pd_ns_to_s(pd_now_ns() - start);
        stats->bytes = bytes;
        stats->rows = (uint64_t)PyObject_Length(frame);
        stats->columns = (int)ncols;
    }
cleanup:
    Py_XDECREF(col);
    Py_XDECREF(columns);
    Py_XDECREF(pandas);
    free(names);
    pd_h5_close(grp);
    pd_h5_close(file);
    return frame;
}

/* Returns a new reference: a new array, or `into` itself when given. */
PyObject *pd_load_column(const char *path, const char *dataset_path,
                         PyObject *into, pd_err *e) {
    hid_t file = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    PyObject *arr = NULL;
    uint64_t bytes = 0;
    pd_h5_quiet();
    file = pd_h5_open_read(path, e);
    if (file < 0)
        goto cleanup;
    /* H5Lexists fails, not 0, when a group on the way is missing. */
    if (H5Lexists(file, dataset_path, H5P_DEFAULT) <= 0) {
        pd_error(e, "dataset file '%s' has no column '%s'. `pdlab dataset "
                 "info '%s'` lists its columns.", path, dataset_path, path);
        goto cleanup;
    }
    dset = H5Dopen2(file, dataset_path, H5P_DEFAULT);
    if (dset < 0) {
        pd_h5_read_error(e, path, dataset_path, "opening");
        goto cleanup;
    }
    arr = read_column(dset, path, dataset_path, into, &bytes, e);
cleanup:
    pd_h5_close(dset);
    pd_h5_close(file);
    return arr;
}
