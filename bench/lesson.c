/* Lesson files: finding them, executing them, reading their declarations.
 *
 * A lesson file is plain Python that declares one pdlab.lesson(...). The
 * declaration is read into C structs so that the harness (list, show, run)
 * works with plain data; the worker keeps the Python object to call its
 * variants. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdlab/alloc.h"
#include "pdlab/embed.h"
#include "pdlab/fileio.h"
#include "pdlab/lesson.h"

const char *pd_lessons_dir(void)
{
    const char *env = getenv("PDLAB_LESSONS");
    return env && *env ? env : PDLAB_LESSONS_DIR;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int pd_lesson_resolve(const char *id_or_path, char *buf, size_t size, pd_err *e)
{
    int n;
    if (strchr(id_or_path, '/') || ends_with(id_or_path, ".py")) {
        if (!is_file(id_or_path))
            return pd_error(e, "lesson file '%s' does not exist. Give a lesson id "
                            "(`pdlab list` shows them) or the path of a .py file.",
                            id_or_path);
        n = snprintf(buf, size, "%s", id_or_path);
    } else {
        n = snprintf(buf, size, "%s/%s.py", pd_lessons_dir(), id_or_path);
        if (n >= 0 && (size_t)n < size && !is_file(buf))
            return pd_error(e, "unknown lesson '%s': there is no %s. `pdlab list` "
                            "shows the lessons; a lesson can also be given as the "
                            "path of its .py file.", id_or_path, buf);
    }
    if (n < 0 || (size_t)n >= size)
        return pd_error(e, "lesson path too long: '%s'", id_or_path);
    return 0;
}

static int is_lesson_name(const char *name)
{
    return name[0] != '_' && name[0] != '.' && ends_with(name, ".py") &&
           strcmp(name, "pdlab_api.py") != 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pd_lesson_paths(const char *dir, char ***paths, size_t *n, pd_err *e)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **v = NULL;
    size_t count = 0, cap = 0;

    *paths = NULL;
    *n = 0;
    if (d == NULL)
        return pd_error_errno(e, "cannot read the lessons directory '%s' (set "
                              "PDLAB_LESSONS to another one)", dir);
    while ((ent = readdir(d)) != NULL) {
        if (!is_lesson_name(ent->d_name)) continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(v, cap * sizeof *v);
            if (v == NULL) abort();
        }
        v[count++] = pd_strdup_printf("%s/%s", dir, ent->d_name);
    }
    closedir(d);
    if (count) qsort(v, count, sizeof *v, cmp_str);
    *paths = v;
    *n = count;
    return 0;
}

void pd_strv_free(char **v, size_t n)
{
    if (v == NULL) return;
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* The file name without directory and .py, newly allocated. */
static char *lesson_id_of(const char *path)
{
    const char *base = strrchr(path, '/');
    char *id = pd_strdup(base ? base + 1 : path);
    if (ends_with(id, ".py")) id[strlen(id) - 3] = '\0';
    return id;
}

/* ---- executing a lesson file -------------------------------------------- */

PyObject *pd_lesson_exec(const char *path, pd_err *e)
{
    char *source = NULL, *id = lesson_id_of(path);
    char *modname = pd_strdup_printf("pdlab_lesson_%s", id);
    PyObject *code = NULL, *mod = NULL, *ret = NULL, *lesson = NULL;
    size_t len;

    source = pd_read_file(path, &len, e);
    if (source == NULL) goto cleanup;
    code = Py_CompileString(source, path, Py_file_input);
    if (code == NULL) {
        pd_python_error(e, "lesson '%s' (%s) does not compile; fix the file", id, path);
        goto cleanup;
    }
    /* Registered in sys.modules so that dataclasses, pickling and the like
     * work in lesson code as they would in a normal module. */
    mod = PyImport_AddModule(modname); /* borrowed */
    if (mod == NULL || PyModule_AddStringConstant(mod, "__file__", path) < 0 ||
        pd_python_builtins(mod) < 0) {
        pd_python_error(e, "cannot create a module for lesson '%s'", id);
        goto cleanup;
    }
    Py_INCREF(mod);
    ret = PyEval_EvalCode(code, PyModule_GetDict(mod), PyModule_GetDict(mod));
    if (ret == NULL) {
        pd_python_error(e, "lesson '%s' (%s) raised while loading; fix the file", id, path);
        goto cleanup;
    }
    lesson = PyObject_CallMethod(pd_harness(), "find_lesson", "O", PyModule_GetDict(mod));
    if (lesson == NULL)
        pd_python_error(e, "lesson '%s' (%s) is not a valid lesson; see lessons/README.md",
                        id, path);
cleanup:
    Py_XDECREF(ret);
    Py_XDECREF(mod);
    Py_XDECREF(code);
    free(source);
    free(modname);
    free(id);
    return lesson;
}

/* ---- reading the declaration into C ------------------------------------- */

/* getattr(obj, name) as a new C string; NULL with *e set when it is missing
 * or not a string. */
static char *attr_string(PyObject *obj, const char *name, pd_err *e)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    const char *s = v && PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
    char *out = s ? pd_strdup(s) : NULL;
    if (out == NULL) {
        if (PyErr_Occurred()) pd_python_error(e, "lesson attribute '%s'", name);
        else pd_error(e, "lesson attribute '%s' must be a string", name);
    }
    Py_XDECREF(v);
    return out;
}

/* getattr(obj, name) as an unsigned integer; None reads as 0. */
static int attr_u64(PyObject *obj, const char *name, uint64_t *out, pd_err *e)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    int rc = 0;
    if (v == NULL) return pd_python_error(e, "lesson attribute '%s'", name);
    if (v == Py_None) *out = 0;
    else {
        *out = PyLong_AsUnsignedLongLong(v);
        if (PyErr_Occurred()) rc = pd_python_error(e, "'%s' must be a positive integer", name);
    }
    Py_DECREF(v);
    return rc;
}

/* getattr(obj, name) as a new C string, or NULL when it is None. */
static int attr_optional_string(PyObject *obj, const char *name, char **out, pd_err *e)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    int rc = 0;
    *out = NULL;
    if (v == NULL) return pd_python_error(e, "lesson attribute '%s'", name);
    if (v != Py_None && (*out = attr_string(obj, name, e)) == NULL) rc = -1;
    Py_DECREF(v);
    return rc;
}

static int attr_bool(PyObject *obj, const char *name, int *out, pd_err *e)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    if (v == NULL) return pd_python_error(e, "lesson attribute '%s'", name);
    *out = PyObject_IsTrue(v);
    Py_DECREF(v);
    return 0;
}

static int read_variant(PyObject *v, pd_variant_info *out, pd_err *e)
{
    out->name = attr_string(v, "name", e);
    out->kind = attr_string(v, "kind", e);
    out->part = attr_string(v, "part", e);
    out->doc = attr_string(v, "doc", e);
    if (!out->name || !out->kind || !out->part || !out->doc) return -1;
    if (attr_u64(v, "max_n", &out->max_n, e) < 0) return -1;
    return attr_bool(v, "mutates", &out->mutates, e);
}

static int read_sizes(PyObject *lesson, pd_lesson *out, pd_err *e)
{
    PyObject *sizes = PyObject_GetAttrString(lesson, "sizes");
    Py_ssize_t n;
    int rc = 0;
    if (sizes == NULL || !PyList_Check(sizes)) {
        Py_XDECREF(sizes);
        return pd_python_error(e, "lesson sizes must be a list of row counts");
    }
    n = PyList_GET_SIZE(sizes);
    out->sizes = pd_xcalloc((size_t)n, sizeof *out->sizes);
    out->nsizes = (size_t)n;
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        out->sizes[i] = PyLong_AsUnsignedLongLong(PyList_GET_ITEM(sizes, i));
        if (PyErr_Occurred()) rc = pd_python_error(e, "lesson sizes");
    }
    Py_DECREF(sizes);
    return rc;
}

static int read_variants(PyObject *lesson, pd_lesson *out, pd_err *e)
{
    PyObject *dict = PyObject_GetAttrString(lesson, "variants");
    PyObject *key, *value;
    Py_ssize_t pos = 0, i = 0;
    int rc = 0;
    if (dict == NULL || !PyDict_Check(dict)) {
        Py_XDECREF(dict);
        return pd_python_error(e, "lesson variants");
    }
    out->nvariants = (size_t)PyDict_Size(dict);
    out->variants = pd_xcalloc(out->nvariants, sizeof *out->variants);
    while (rc == 0 && PyDict_Next(dict, &pos, &key, &value)) /* borrowed */
        rc = read_variant(value, &out->variants[i++], e);
    Py_DECREF(dict);
    return rc;
}

static int read_references(PyObject *lesson, pd_lesson *out, pd_err *e)
{
    PyObject *dict = PyObject_GetAttrString(lesson, "references");
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    size_t i = 0;
    if (dict == NULL || !PyDict_Check(dict)) {
        Py_XDECREF(dict);
        return pd_python_error(e, "lesson reference");
    }
    out->nparts = (size_t)PyDict_Size(dict);
    out->parts = pd_xcalloc(out->nparts, sizeof *out->parts);
    out->references = pd_xcalloc(out->nparts, sizeof *out->references);
    while (PyDict_Next(dict, &pos, &key, &value)) {
        const char *k = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        const char *v = PyUnicode_Check(value) ? PyUnicode_AsUTF8(value) : NULL;
        if (!k || !v) {
            Py_DECREF(dict);
            PyErr_Clear();
            return pd_error(e, "lesson reference must name a variant (or map parts to variants)");
        }
        out->parts[i] = pd_strdup(k);
        out->references[i++] = pd_strdup(v);
    }
    Py_DECREF(dict);
    return 0;
}

/* getattr(obj, name) as a double. */
static int attr_double(PyObject *obj, const char *name, double *out, pd_err *e)
{
    PyObject *v = PyObject_GetAttrString(obj, name);
    if (v == NULL) return pd_python_error(e, "claim attribute '%s'", name);
    *out = PyFloat_AsDouble(v);
    Py_DECREF(v);
    if (PyErr_Occurred()) return pd_python_error(e, "claim attribute '%s' must be a number", name);
    return 0;
}

static int read_claim(PyObject *c, pd_claim *out, pd_err *e)
{
    char *kind = attr_string(c, "kind", e);
    int known = kind && pd_claim_kind_parse(kind, &out->kind) == 0;
    if (kind && !known) pd_error(e, "unknown claim kind '%s'", kind);
    free(kind);
    if (!known) return -1;
    if (!(out->variant = attr_string(c, "variant", e))) return -1;
    if (attr_optional_string(c, "other", &out->other, e) < 0) return -1;
    if (attr_optional_string(c, "warning", &out->warning, e) < 0) return -1;
    if (attr_u64(c, "n", &out->n, e) < 0 || attr_u64(c, "n_from", &out->n_from, e) < 0)
        return -1;
    if (attr_double(c, "factor", &out->factor, e) < 0 || attr_double(c, "lo", &out->lo, e) < 0 ||
        attr_double(c, "hi", &out->hi, e) < 0)
        return -1;
    out->figure = out->figure_lo = out->figure_hi = NAN;
    return 0;
}

static int read_claims(PyObject *lesson, pd_lesson *out, pd_err *e)
{
    PyObject *list = PyObject_GetAttrString(lesson, "claims");
    int rc = 0;
    if (list == NULL || !PyList_Check(list)) {
        Py_XDECREF(list);
        return pd_python_error(e, "lesson claims must be a list");
    }
    out->nclaims = (size_t)PyList_GET_SIZE(list);
    out->claims = pd_xcalloc(out->nclaims, sizeof *out->claims);
    for (size_t i = 0; i < out->nclaims && rc == 0; i++)
        rc = read_claim(PyList_GET_ITEM(list, (Py_ssize_t)i), &out->claims[i], e);
    Py_DECREF(list);
    return rc;
}

static int read_declaration(PyObject *lesson, pd_lesson *out, pd_err *e)
{
    if (!(out->question = attr_string(lesson, "question", e))) return -1;
    if (!(out->answer = attr_string(lesson, "answer", e))) return -1;
    if (!(out->signal = attr_string(lesson, "signal", e))) return -1;
    if (!(out->trivia = attr_string(lesson, "trivia", e))) return -1;
    if (!(out->dataset = attr_string(lesson, "dataset", e))) return -1;
    if (!(out->focus = attr_string(lesson, "focus", e))) return -1;
    if (attr_bool(lesson, "csv", &out->csv, e) < 0) return -1;
    if (attr_optional_string(lesson, "profile", &out->profile, e) < 0) return -1;
    if (!(out->columns = attr_string(lesson, "columns_text", e))) return -1;
    if (read_sizes(lesson, out, e) < 0) return -1;
    if (read_references(lesson, out, e) < 0) return -1;
    if (read_variants(lesson, out, e) < 0) return -1;
    return read_claims(lesson, out, e);
}

int pd_lesson_load(const char *path, pd_lesson *out, pd_err *e)
{
    PyObject *lesson;
    int rc;

    memset(out, 0, sizeof *out);
    out->id = lesson_id_of(path);
    out->path = pd_strdup(path);
    lesson = pd_lesson_exec(path, e);
    if (lesson == NULL) return -1;
    rc = read_declaration(lesson, out, e);
    Py_DECREF(lesson);
    if (rc < 0) pd_error_prefix(e, "lesson '%s' (%s)", out->id, path);
    return rc;
}

void pd_lesson_free(pd_lesson *l)
{
    if (l == NULL) return;
    free(l->id);
    free(l->path);
    free(l->question);
    free(l->answer);
    free(l->signal);
    free(l->trivia);
    free(l->dataset);
    free(l->focus);
    free(l->profile);
    free(l->columns);
    free(l->sizes);
    pd_strv_free(l->parts, l->nparts);
    pd_strv_free(l->references, l->nparts);
    for (size_t i = 0; i < l->nvariants; i++) {
        free(l->variants[i].name);
        free(l->variants[i].kind);
        free(l->variants[i].part);
        free(l->variants[i].doc);
    }
    free(l->variants);
    for (size_t i = 0; i < l->nclaims; i++) pd_claim_free(&l->claims[i]);
    free(l->claims);
    memset(l, 0, sizeof *l);
}

int pd_lesson_variant_index(const pd_lesson *l, const char *name)
{
    for (size_t i = 0; i < l->nvariants; i++)
        if (strcmp(l->variants[i].name, name) == 0) return (int)i;
    return -1;
}

const char *pd_lesson_reference(const pd_lesson *l, const char *part)
{
    for (size_t i = 0; i < l->nparts; i++)
        if (strcmp(l->parts[i], part) == 0) return l->references[i];
    return NULL;
}
