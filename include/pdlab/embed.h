#ifndef PDLAB_EMBED_H
#define PDLAB_EMBED_H
/* The embedded interpreter: Debian's CPython 3.11, started once per process
 * with an isolated PyConfig (a stray PYTHONHOME or PYTHONPATH cannot switch
 * it to another installation), with the `pdlab` lesson API and the harness's
 * own `_pdlab_harness` registered as built-in modules. NumPy does not survive a second initialization in one
 * process, so start and stop are each called exactly once. */

#include <Python.h>

#include "pdlab/error.h"

/* Starts the interpreter, imports NumPy's C API, pandas and the lesson API.
 * Returns -1 with *e set when any of them is missing. */
int pd_python_start(pd_err *e);

/* Finalizes the interpreter. Safe to call when it was never started. */
void pd_python_stop(void);

/* Records the pending Python exception on *e as "context: Type: message"
 * followed by the traceback, and clears it. Returns -1. Records a plain
 * message when no exception is pending. */
int pd_python_error(pd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The pending exception as {type, message, traceback} strings, each newly
 * allocated (caller frees); clears it. Returns -1 when none is pending. */
int pd_python_fetch(char **type, char **message, char **traceback);

/* Gives a module made from C the `__builtins__` that code executed in its
 * namespace needs (import statements, for one). -1 with an exception. */
int pd_python_builtins(PyObject *module);

/* A module (not registered in sys.modules) made by running Python source
 * compiled into pdlab. New reference, or NULL with an exception. */
PyObject *pd_python_source_module(const char *name, const char *source, const char *filename);

/* The `_pdlab_harness` module: the Python half of the harness (copying,
 * fingerprinting and comparing results, first calls, profiles). Borrowed
 * reference, valid until pd_python_stop. */
PyObject *pd_harness(void);

/* Version string of an importable module ("" when unknown); static buffer
 * valid until the next call. */
const char *pd_module_version(const char *module);

#endif
