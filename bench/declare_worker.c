/* The declaration worker (`pdlab __declare`): executes lesson files, one
 * after another, and sends each declaration to the parent as JSON on
 * PD_WORKER_EVENT_FD. The parent (bench/declare.c) never runs lesson code:
 * a file that exits, crashes or hangs takes this process with it, not
 * `pdlab list` or `pdlab run`.
 *
 * Events, one JSON object per line:
 *   {"event":"start", "file":i}                  about to execute file i
 *   {"event":"declaration", "file":i, "lesson":{...}}
 *   {"event":"error", "file":i, "error":text}    it did not load
 *   {"event":"fatal", "error":text}              no file can load here */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/embed.h"
#include "pdlab/lesson.h"
#include "pdlab/spawn.h"
#include "pdlab/worker.h"

/* Writes one event and flushes it: the next file may end the process.
 * Steals the reference to ev. */
static void send(FILE *out, json_t *ev)
{
    char *line = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
    if (line) {
        fprintf(out, "%s\n", line);
        fflush(out);
    }
    free(line);
    json_decref(ev);
}

/* The declaration of one file as the harness writes it: new reference,
 * or NULL with *e set. */
static json_t *declare_one(const char *path, pd_err *e)
{
    PyObject *lesson = pd_lesson_exec(path, e), *text = NULL;
    const char *s;
    json_t *doc = NULL;
    json_error_t jerr;

    if (lesson == NULL) return NULL;
    text = PyObject_CallMethod(pd_harness(), "declaration", "O", lesson);
    s = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
    if (s == NULL)
        pd_python_error(e, "lesson '%s' cannot be described; see lessons/README.md", path);
    else if ((doc = json_loads(s, 0, &jerr)) == NULL)
        pd_error(e, "lesson '%s': its declaration is not JSON: %s", path, jerr.text);
    Py_XDECREF(text);
    Py_DECREF(lesson);
    return doc;
}

/* pdlab __declare [--mem-limit BYTES] -- FILE... */
int pd_declare_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"mem-limit", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    unsigned long long mem_limit = 0;
    pd_err e = {0};
    FILE *out;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'm') return 2;
        mem_limit = strtoull(optarg, NULL, 10);
    }
    out = fdopen(PD_WORKER_EVENT_FD, "w");
    if (out == NULL) {
        fprintf(stderr, "pdlab __declare is started by pdlab itself, not by hand\n");
        return 2;
    }
    pd_limit_address_space(mem_limit);
    if (pd_python_start(&e) < 0) {
        send(out, json_pack("{s:s, s:s}", "event", "fatal", "error", e.msg));
        _exit(1);
    }
    for (int i = optind; i < argc; i++) {
        json_int_t k = i - optind;
        json_t *doc;
        pd_err fe = {0};
        send(out, json_pack("{s:s, s:I}", "event", "start", "file", k));
        doc = declare_one(argv[i], &fe);
        if (doc)
            send(out, json_pack("{s:s, s:I, s:o}", "event", "declaration", "file", k,
                                "lesson", doc));
        else
            send(out, json_pack("{s:s, s:I, s:s}", "event", "error", "file", k,
                                "error", fe.msg));
    }
    fflush(stdout);
    fflush(stderr);
    fclose(out);
    /* As a variant worker does: nothing left to say, so no finalization. */
    _exit(0);
}
