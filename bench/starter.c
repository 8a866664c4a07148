/* The starter file of an exercise, written in a worker process: building
 * it runs the lesson's own code (its file, its preparer, its reference on a
 * small input), and lesson code never runs in pdlab itself. The parent
 * (pd_exercise_starter) starts `pdlab __starter`, gives it the variant
 * timeout and the address-space limit a variant gets, and reads one event
 * back as untrusted input; a lesson that hangs, exits or crashes there is an
 * error naming it, and `pdlab exercise` survives it.
 *
 * Events, one JSON object per line on PD_WORKER_EVENT_FD:
 *   {"event":"starter", "text":TEXT}     the starter file
 *   {"event":"error", "error":TEXT}      it could not be written */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/embed.h"
#include "pdlab/events.h"
#include "pdlab/exercise.h"
#include "pdlab/loader.h"
#include "pdlab/spawn.h"
#include "pdlab/timer.h"
#include "pdlab/worker.h"

extern const char pd_exercise_source[]; /* lessons/_exercise.py */

/* The largest size a starter file shows the data at: a few rows are
 * printed, and the reference runs on it to say what a result looks like.
 * A check that starts smaller shows its first size. */
#define STARTER_ROWS 1000

/* ---- the worker's side --------------------------------------------------- */

/* The lesson's dataset at `rows` rows as a DataFrame, and when the
 * lesson reads files, its CSV beside it in *csv (the caller removes it). */
static PyObject *starter_data(const char *id, const char *dataset, int wants_csv,
                              uint64_t rows, const char *cache_dir, char **csv, pd_err *e)
{
    const pd_recipe *r = pd_recipe_find(dataset);
    char path[4096];
    int made;

    *csv = NULL;
    if (r == NULL) {
        pd_error(e, "lesson '%s' uses dataset '%s', which pdlab cannot make", id, dataset);
        return NULL;
    }
    if (pd_dataset_path(cache_dir, r->name, rows, path, sizeof path, e) < 0 ||
        pd_dataset_ensure(r, rows, path, &made, e) < 0)
        return NULL;
    if (wants_csv) {
        *csv = pd_strdup_printf("%s/starter-%s-%ld.csv", cache_dir, id, (long)getpid());
        if (pd_dataset_export_csv(path, *csv, e) < 0) return NULL;
    }
    return pd_load_frame(path, NULL, NULL, e);
}

static int set_csv_path(PyObject *lesson, const char *csv, pd_err *e)
{
    PyObject *p = PyUnicode_FromString(csv);
    int rc = p ? PyObject_SetAttrString(lesson, "csv_path", p) : -1;
    Py_XDECREF(p);
    return rc < 0 ? pd_python_error(e, "cannot give the lesson its CSV file") : 0;
}

/* The starter's text, from the settings the parent sent (see
 * starter_settings). New string, or NULL with *e set. */
static char *build(const json_t *s, const char *cache_dir, pd_err *e)
{
    const char *path = json_string_value(json_object_get(s, "lesson_path"));
    const char *id = json_string_value(json_object_get(s, "lesson_id"));
    PyObject *mod = NULL, *lesson = NULL, *frame = NULL, *ex = NULL, *text = NULL;
    char *csv = NULL, *out = NULL;
    uint64_t rows = (uint64_t)json_integer_value(json_object_get(s, "rows"));

    mod = pd_python_source_module("_pdlab_exercise", pd_exercise_source, "<pdlab>/_exercise.py");
    if (mod == NULL) {
        pd_python_error(e, "cannot load pdlab's exercise module");
        goto cleanup;
    }
    if ((lesson = pd_lesson_exec(path, e)) == NULL ||
        (frame = starter_data(id, json_string_value(json_object_get(s, "dataset")),
                              json_is_true(json_object_get(s, "csv")), rows, cache_dir, &csv,
                              e)) == NULL)
        goto cleanup;
    if (csv && set_csv_path(lesson, csv, e) < 0) goto cleanup;
    ex = Py_BuildValue("{s:s, s:s, s:s, s:s, s:K, s:s, s:O}",
                       "slow", json_string_value(json_object_get(s, "slow")),
                       "model", json_string_value(json_object_get(s, "model")),
                       "function", PD_EXERCISE_FUNCTION,
                       "target", json_string_value(json_object_get(s, "target")),
                       "full_n", (unsigned long long)json_integer_value(json_object_get(s, "full_n")),
                       "dataset", json_string_value(json_object_get(s, "dataset")),
                       "csv", json_is_true(json_object_get(s, "csv")) ? Py_True : Py_False);
    if (ex) text = PyObject_CallMethod(mod, "starter", "OssOKO", lesson, path, id, frame,
                                       (unsigned long long)rows, ex);
    if (text == NULL || PyUnicode_AsUTF8(text) == NULL)
        pd_python_error(e, "cannot write the starter of lesson '%s'", id);
    else
        out = pd_strdup(PyUnicode_AsUTF8(text));
cleanup:
    if (csv) remove(csv);
    free(csv);
    Py_XDECREF(text);
    Py_XDECREF(ex);
    Py_XDECREF(frame);
    Py_XDECREF(lesson);
    Py_XDECREF(mod);
    return out;
}

static void send(FILE *out, json_t *ev)
{
    char *line = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
    if (line) fprintf(out, "%s\n", line);
    fflush(out);
    free(line);
    json_decref(ev);
}

/* pdlab __starter --mem-limit BYTES --cache DIR SETTINGS_JSON */
int pd_starter_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"mem-limit", required_argument, NULL, 'm'},
        {"cache", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    unsigned long long mem_limit = 0;
    const char *cache = NULL;
    json_t *settings = NULL;
    pd_err e = {0};
    char *text = NULL;
    FILE *out;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'm') mem_limit = strtoull(optarg, NULL, 10);
        else if (c == 'c') cache = optarg;
        else return 2;
    }
    out = fdopen(PD_WORKER_EVENT_FD, "w");
    if (out == NULL || cache == NULL || optind != argc - 1) {
        fprintf(stderr, "pdlab __starter is started by pdlab itself, not by hand\n");
        return 2;
    }
    pd_limit_address_space(mem_limit);
    if ((settings = json_loads(argv[optind], 0, NULL)) == NULL)
        pd_error(&e, "the settings of the starter are not JSON");
    else if (pd_python_start(&e) == 0)
        text = build(settings, cache, &e);
    if (text) send(out, json_pack("{s:s, s:s}", "event", "starter", "text", text));
    else send(out, json_pack("{s:s, s:s}", "event", "error", "error", e.msg));
    fflush(stdout);
    fflush(stderr);
    /* As the other workers do: nothing left to say, so no finalization. */
    _exit(0);
}

/* ---- the parent's side ----------------------------------------------------- */

/* What the worker needs: where the lesson is and what the exercise asks. */
static char *starter_settings(const pd_exercise *x)
{
    const pd_lesson *l = x->lesson;
    char target[160], full[192], *text;
    json_t *s;

    snprintf(full, sizeof full, "It must be %s.",
             pd_exercise_target_text(x, target, sizeof target));
    s = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:I, s:I}", "lesson_path", l->path,
                  "lesson_id", l->id, "dataset", l->dataset, "csv", l->csv, "slow", x->slow,
                  "model", x->model, "target", full,
                  "full_n", (json_int_t)x->sizes[x->nsizes - 1],
                  "rows", (json_int_t)(x->sizes[0] < STARTER_ROWS ? x->sizes[0] : STARTER_ROWS));
    text = s ? json_dumps(s, JSON_COMPACT) : NULL;
    json_decref(s);
    return text;
}

/* The starter from the worker's one event; NULL with *e set. */
static char *take(json_t *ev, const char *id, pd_err *e)
{
    const char *kind = json_string_value(json_object_get(ev, "event"));
    const char *text = json_string_value(json_object_get(ev, "text"));
    const char *msg = json_string_value(json_object_get(ev, "error"));

    if (kind && strcmp(kind, "starter") == 0 && text) return pd_strdup(text);
    if (kind && strcmp(kind, "error") == 0 && msg) {
        pd_error(e, "%s", msg);
        return NULL;
    }
    pd_error(e, "the process writing the starter of lesson '%s' sent something else", id);
    return NULL;
}

/* Events about anything but the starter are the lesson's own writing on
 * the pipe: skipped, until the deadline. */
static int is_answer(json_t *ev)
{
    const char *kind = json_string_value(json_object_get(ev, "event"));
    return kind && (strcmp(kind, "starter") == 0 || strcmp(kind, "error") == 0);
}

char *pd_exercise_starter(const pd_exercise *x, const char *cache_dir,
                          const pd_measure_opts *limits, pd_err *e)
{
    const pd_lesson *l = x->lesson;
    char exe[4096], limit[32], how[128], *settings = starter_settings(x), *out = NULL;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *argv[] = {exe, "__starter", "--mem-limit", limit, "--cache", cache_dir,
                          settings, NULL};
    uint64_t deadline = pd_now_ns() + (uint64_t)(limits->timeout_s * 1e9);
    pd_child c = {0};
    pd_events ev = {0};
    json_t *event = NULL;
    int r, status = 0;

    if (settings == NULL || len < 0) {
        free(settings);
        pd_error_errno(e, "cannot start a process to write the starter of lesson '%s'", l->id);
        return NULL;
    }
    exe[len] = '\0';
    snprintf(limit, sizeof limit, "%llu", (unsigned long long)limits->mem_limit);
    c.path = exe;
    c.argv = argv;
    c.in = PD_IO_NULL;
    c.out = PD_IO_NULL;
    c.err = PD_IO_NULL;
    c.pipe_fd = PD_WORKER_EVENT_FD;
    if (pd_child_start(&c, e) < 0) {
        free(settings);
        return NULL;
    }
    ev.child = &c;
    while ((r = pd_events_next(&ev, deadline, &event)) == PD_EV_EVENT && !is_answer(event)) {
        json_decref(event);
        event = NULL;
    }
    if (r != PD_EV_EVENT) event = NULL;
    pd_child_kill(&c, SIGKILL);
    if (pd_child_wait(&c, &status, e) < 0) status = 0;
    if (r == PD_EV_EVENT) out = take(event, l->id, e);
    else if (r == PD_EV_TIMEOUT)
        pd_error(e, "lesson '%s' (%s) did not finish writing the starter within %g s and was "
                 "stopped: its preparer or reference ran that long on %d rows (an endless "
                 "loop?); fix the lesson", l->id, l->path, limits->timeout_s,
                 x->sizes[0] < STARTER_ROWS ? (int)x->sizes[0] : STARTER_ROWS);
    else
        pd_error(e, "lesson '%s' (%s) ended the process writing the starter (%s): its "
                 "preparer or reference must not exit or crash; fix the lesson", l->id,
                 l->path, pd_child_status_text(status, how, sizeof how));
    json_decref(event);
    pd_events_free(&ev);
    free(settings);
    return out;
}
