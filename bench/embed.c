/* The embedded interpreter: one start, one stop, one way to report errors.
 *
 * pdlab embeds Debian's CPython with an isolated configuration: environment
 * variables (PYTHONHOME, PYTHONPATH, ...) and the user site directory are
 * ignored, so the interpreter is always the one the binary was built against,
 * with Debian's dist-packages found by its own site.py. The hash seed is
 * fixed so that set and dict iteration orders, and the timings that depend
 * on them, repeat from run to run. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define PY_ARRAY_UNIQUE_SYMBOL pdlab_ARRAY_API
#include <numpy/arrayobject.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/fileio.h"

extern const char pd_api_source[];     /* lessons/pdlab_api.py, see CMakeLists */
extern const char pd_harness_source[]; /* lessons/_harness.py */

static int started;
static PyObject *harness_module; /* owned; `_pdlab_harness` */

/* ---- the built-in modules ---------------------------------------------- */

/* `pdlab` is what lessons import; `_pdlab_harness` is what this program
 * calls in a worker. Both are Python source compiled into the binary and
 * registered with PyImport_AppendInittab before the interpreter starts, so
 * a lesson needs nothing installed but pdlab. Built-in modules need a
 * PyModuleDef: the import system looks it up. */
static struct PyModuleDef api_def = {
    PyModuleDef_HEAD_INIT, "pdlab", "The lesson API (lessons/pdlab_api.py).", -1,
    NULL, NULL, NULL, NULL, NULL,
};
static struct PyModuleDef harness_def = {
    PyModuleDef_HEAD_INIT, "_pdlab_harness", "Harness internals (lessons/_harness.py).",
    -1, NULL, NULL, NULL, NULL, NULL,
};

/* Runs source in mod's namespace; steals mod. New reference to it, or
 * NULL with an exception. */
static PyObject *run_in_module(PyObject *mod, const char *source, const char *filename)
{
    PyObject *code = NULL, *ret = NULL;
    if (mod == NULL) return NULL;
    if (PyModule_AddStringConstant(mod, "__file__", filename) < 0 ||
        pd_python_builtins(mod) < 0)
        goto fail;
    code = Py_CompileString(source, filename, Py_file_input);
    if (code == NULL) goto fail;
    ret = PyEval_EvalCode(code, PyModule_GetDict(mod), PyModule_GetDict(mod));
    if (ret == NULL) goto fail;
    Py_DECREF(ret);
    Py_DECREF(code);
    return mod;
fail:
    Py_XDECREF(code);
    Py_DECREF(mod);
    return NULL;
}

static PyObject *source_module(struct PyModuleDef *def, const char *source,
                               const char *filename)
{
    return run_in_module(PyModule_Create(def), source, filename);
}

PyObject *pd_python_source_module(const char *name, const char *source, const char *filename)
{
    return run_in_module(PyModule_New(name), source, filename);
}

static PyObject *init_api_module(void)
{
    return source_module(&api_def, pd_api_source, "<pdlab>/pdlab_api.py");
}

static PyObject *init_harness_module(void)
{
    return source_module(&harness_def, pd_harness_source, "<pdlab>/_harness.py");
}

int pd_python_builtins(PyObject *module)
{
    PyObject *dict = PyModule_GetDict(module); /* borrowed */
    if (PyDict_GetItemString(dict, "__builtins__") != NULL) return 0;
    return PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins());
}

/* import_array() is a macro that returns from the calling function. */
static int import_numpy(void)
{
    import_array1(-1);
    return 0;
}

/* ---- start and stop ---------------------------------------------------- */

static int config_failed(PyConfig *config, PyStatus status, pd_err *e)
{
    PyConfig_Clear(config);
    return pd_error(e, "cannot start the embedded Python (%s): %s. pdlab embeds "
                    "%s; reinstall it with `apt-get install --reinstall libpython3.11`.",
                    status.func ? status.func : "init",
                    status.err_msg ? status.err_msg : "unknown error",
                    PDLAB_PYTHON_EXECUTABLE);
}

/* Whether the pending exception is an ImportError from the loader failing
 * to map a shared object: what an address-space limit looks like then. */
static int import_hit_limit(void)
{
    PyObject *type, *value, *tb, *text;
    const char *s;
    int yes;

    if (!PyErr_ExceptionMatches(PyExc_ImportError)) return 0;
    PyErr_Fetch(&type, &value, &tb);
    text = value ? PyObject_Str(value) : NULL;
    s = text ? PyUnicode_AsUTF8(text) : NULL;
    yes = s && strstr(s, "failed to map segment") != NULL;
    PyErr_Clear(); /* whatever Str or AsUTF8 raised; the import's error is restored */
    Py_XDECREF(text);
    PyErr_Restore(type, value, tb);
    return yes;
}

/* A failed import of a library every worker needs. Under a worker's
 * address-space limit the cause is most often the limit, not the
 * installation, and the advice differs. */
static int import_failed(pd_err *e, const char *module, const char *package)
{
    /* A shared library the limit leaves no room to map fails as an
     * ImportError ("failed to map segment"), not a MemoryError. */
    if (PyErr_ExceptionMatches(PyExc_MemoryError) || import_hit_limit()) {
        PyErr_Clear();
        return pd_error(e, "out of memory importing %s: this process's memory limit is too "
                        "small for Python and its libraries; raise --mem-limit", module);
    }
    return pd_python_error(e, "cannot import %s into the embedded Python; install it with "
                           "`apt-get install %s`", module, package);
}

int pd_python_start(pd_err *e)
{
    PyConfig config;
    PyStatus status;
    PyObject *mod;

    if (started) return 0;
    if (PyImport_AppendInittab("pdlab", init_api_module) < 0 ||
        PyImport_AppendInittab("_pdlab_harness", init_harness_module) < 0)
        return pd_error(e, "cannot register the built-in pdlab modules");

    PyConfig_InitIsolatedConfig(&config);
    config.use_hash_seed = 1;
    config.hash_seed = 0;
    config.parse_argv = 0;
    /* Path computation starts from the interpreter the build found, not
     * from wherever the pdlab binary happens to live. */
    status = PyConfig_SetBytesString(&config, &config.program_name,
                                     PDLAB_PYTHON_EXECUTABLE);
    if (PyStatus_Exception(status)) return config_failed(&config, status, e);
    {
        char *argv[] = {"pdlab"};
        status = PyConfig_SetBytesArgv(&config, 1, argv);
        if (PyStatus_Exception(status)) return config_failed(&config, status, e);
    }
    status = Py_InitializeFromConfig(&config);
    if (PyStatus_Exception(status)) return config_failed(&config, status, e);
    PyConfig_Clear(&config);
    started = 1;

    if (import_numpy() < 0) return import_failed(e, "NumPy", "python3-numpy");
    mod = PyImport_ImportModule("pandas");
    if (mod == NULL) return import_failed(e, "pandas", "python3-pandas");
    Py_DECREF(mod);
    harness_module = PyImport_ImportModule("_pdlab_harness");
    if (harness_module == NULL)
        return pd_python_error(e, "cannot load the built-in pdlab lesson API");
    return 0;
}

void pd_python_stop(void)
{
    if (!started) return;
    Py_CLEAR(harness_module);
    Py_FinalizeEx();
    started = 0;
}

PyObject *pd_harness(void) { return harness_module; }

/* ---- errors ------------------------------------------------------------ */

/* str(obj) as a new C string, or a placeholder when that fails too. */
static char *str_of(PyObject *obj)
{
    PyObject *s = obj ? PyObject_Str(obj) : NULL;
    const char *utf8 = s ? PyUnicode_AsUTF8(s) : NULL;
    char *out = pd_strdup(utf8 ? utf8 : "(unprintable)");
    PyErr_Clear();
    Py_XDECREF(s);
    return out;
}

/* The traceback lines of exc joined, via the traceback module. */
static char *format_traceback(PyObject *exc)
{
    PyObject *tb_mod = PyImport_ImportModule("traceback");
    PyObject *lines = NULL, *empty = NULL, *joined = NULL;
    char *out;
    if (tb_mod) lines = PyObject_CallMethod(tb_mod, "format_exception", "O", exc);
    if (lines) empty = PyUnicode_FromString("");
    if (empty) joined = PyUnicode_Join(empty, lines);
    out = joined ? str_of(joined) : pd_strdup("(no traceback available)");
    PyErr_Clear();
    Py_XDECREF(joined);
    Py_XDECREF(empty);
    Py_XDECREF(lines);
    Py_XDECREF(tb_mod);
    return out;
}

int pd_python_fetch(char **type, char **message, char **traceback)
{
    PyObject *exc_type, *exc, *tb;
    PyErr_Fetch(&exc_type, &exc, &tb);
    if (exc_type == NULL) return -1;
    PyErr_NormalizeException(&exc_type, &exc, &tb);
    if (tb != NULL && exc != NULL) PyException_SetTraceback(exc, tb);
    *type = pd_strdup(((PyTypeObject *)exc_type)->tp_name);
    *message = str_of(exc);
    *traceback = exc ? format_traceback(exc) : pd_strdup("");
    Py_XDECREF(exc_type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
    return 0;
}

int pd_python_error(pd_err *e, const char *fmt, ...)
{
    char context[1024];
    char *type = NULL, *message = NULL, *tb = NULL;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
    if (pd_python_fetch(&type, &message, &tb) < 0)
        return pd_error(e, "%s", context);
    pd_error(e, "%s: %s: %s\n%s", context, type, message, tb);
    free(type);
    free(message);
    free(tb);
    return -1;
}

const char *pd_module_version(const char *module)
{
    static char buf[64];
    PyObject *mod = PyImport_ImportModule(module);
    PyObject *ver = mod ? PyObject_GetAttrString(mod, "__version__") : NULL;
    const char *s = ver && PyUnicode_Check(ver) ? PyUnicode_AsUTF8(ver) : NULL;
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    PyErr_Clear();
    Py_XDECREF(ver);
    Py_XDECREF(mod);
    return buf;
}
