/* Lesson files: finding them, executing them, reading their declarations.
 *
 * A lesson file is plain Python that declares one pdlab.lesson(...). Only
 * workers execute it (pd_lesson_exec); the parent reads the declaration a
 * worker sends (bench/declare.c) and checks it here, as untrusted data. */

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

char *pd_lesson_id_of(const char *path)
{
    const char *base = strrchr(path, '/');
    char *id = pd_strdup(base ? base + 1 : path);
    if (ends_with(id, ".py")) id[strlen(id) - 3] = '\0';
    return id;
}

/* ---- executing a lesson file -------------------------------------------- */

PyObject *pd_lesson_exec(const char *path, pd_err *e)
{
    char *source = NULL, *id = pd_lesson_id_of(path);
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
    /* PyImport_AddModule lends its result: owned here from the start, so
     * that every path out releases exactly what it holds. */
    mod = PyImport_AddModule(modname);
    Py_XINCREF(mod);
    if (mod == NULL || PyModule_AddStringConstant(mod, "__file__", path) < 0 ||
        pd_python_builtins(mod) < 0) {
        pd_python_error(e, "cannot create a module for lesson '%s'", id);
        goto cleanup;
    }
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

/* ---- checking a declaration ---------------------------------------------- */

/* The styles a variant can be written in: pdlab_api.py's KINDS. */
static const char *const variant_kinds[] = {
    "loop", "apply", "comprehension", "vectorized", "numpy", "numexpr", "stdlib",
    "streaming", "compiled", NULL,
};
static const char *const trivia_words[] = {"none", "partial", "yes", NULL};
static const char *const focus_words[] = {"time", "memory", "growth", NULL};

static int one_of(const char *w, const char *const *words)
{
    for (size_t i = 0; w && words[i]; i++)
        if (strcmp(w, words[i]) == 0) return 1;
    return 0;
}

static int has_size(const pd_lesson *l, uint64_t n)
{
    for (size_t i = 0; i < l->nsizes; i++)
        if (l->sizes[i] == n) return 1;
    return 0;
}

static int check_sizes(const pd_lesson *l, pd_err *e)
{
    if (l->nsizes == 0) return pd_error(e, "sizes: the lesson declares none");
    for (size_t i = 0; i < l->nsizes; i++) {
        if (l->sizes[i] < 1 || l->sizes[i] > PD_LESSON_MAX_SIZE)
            return pd_error(e, "sizes: %llu rows is not a size from 1 to %llu",
                            (unsigned long long)l->sizes[i],
                            (unsigned long long)PD_LESSON_MAX_SIZE);
        if (i && l->sizes[i] <= l->sizes[i - 1])
            return pd_error(e, "sizes: must be distinct and increasing (%llu after %llu)",
                            (unsigned long long)l->sizes[i],
                            (unsigned long long)l->sizes[i - 1]);
    }
    return 0;
}

static int check_variants(const pd_lesson *l, pd_err *e)
{
    if (l->nvariants == 0) return pd_error(e, "the lesson declares no variants");
    for (size_t i = 0; i < l->nvariants; i++) {
        const pd_variant_info *v = &l->variants[i];
        const char *ref = v->part ? pd_lesson_reference(l, v->part) : NULL;
        int r;
        if (!v->name[0] || pd_lesson_variant_index(l, v->name) != (int)i)
            return pd_error(e, "variant '%s': an empty or repeated name", v->name);
        if (!one_of(v->kind, variant_kinds))
            return pd_error(e, "variant '%s': unknown kind '%s'", v->name,
                            v->kind ? v->kind : "");
        if (ref == NULL)
            return pd_error(e, "variant '%s': its part has no reference", v->name);
        r = pd_lesson_variant_index(l, ref);
        if (r < 0 || !l->variants[r].part || strcmp(l->variants[r].part, v->part) ||
            l->variants[r].max_n)
            return pd_error(e, "reference '%s': not a variant of its part that runs at "
                            "every size", ref);
    }
    return 0;
}

static int check_claims(const pd_lesson *l, pd_err *e)
{
    for (size_t i = 0; i < l->nclaims; i++) {
        const pd_claim *c = &l->claims[i];
        if (pd_lesson_variant_index(l, c->variant) < 0 ||
            (c->other && pd_lesson_variant_index(l, c->other) < 0))
            return pd_error(e, "claim %zu names a variant the lesson does not have", i + 1);
        if ((c->n && !has_size(l, c->n)) || (c->n_from && !has_size(l, c->n_from)))
            return pd_error(e, "claim %zu speaks at a size the lesson does not have", i + 1);
        if (!isfinite(c->factor) || c->factor < 0 ||
            (c->kind == PD_CLAIM_GROWTH && !(c->lo <= c->hi)))
            return pd_error(e, "claim %zu: its factor or exponent range is not a number", i + 1);
    }
    return 0;
}

int pd_lesson_check(const pd_lesson *l, pd_err *e)
{
    if (!l->question || !l->answer || !l->signal || !l->dataset || !l->dataset[0])
        return pd_error(e, "question, answer, signal and dataset must all be given");
    if (!one_of(l->trivia, trivia_words))
        return pd_error(e, "trivia: unknown word '%s'", l->trivia ? l->trivia : "");
    if (!one_of(l->focus, focus_words))
        return pd_error(e, "focus: unknown word '%s'", l->focus ? l->focus : "");
    if (l->profile && pd_lesson_variant_index(l, l->profile) < 0)
        return pd_error(e, "profile: '%s' is not a variant", l->profile);
    if (l->nhints > PD_LESSON_MAX_HINTS)
        return pd_error(e, "hints: at most %d, not %zu", PD_LESSON_MAX_HINTS, l->nhints);
    for (size_t i = 0; i < l->nhints; i++)
        if (!l->hints[i][0]) return pd_error(e, "hints: hint %zu is empty", i + 1);
    if (check_sizes(l, e) < 0 || check_variants(l, e) < 0) return -1;
    return check_claims(l, e);
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
        free(l->variants[i].source);
    }
    pd_strv_free(l->hints, l->nhints);
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
