/* pdlab exercise LESSON and pdlab hint LESSON [N]: what a learner starts
 * from, and the nudges the lesson offers, one at a time. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/dataset.h"
#include "pdlab/exercise.h"
#include "pdlab/fileio.h"

const pd_option pd_exercise_options[] = {
    {"out", "FILE", "where to write the starter (default LESSON.py here; - for stdout)"},
    {"force", NULL, "replace FILE when it exists (it may hold the learner's work)"},
    {"timeout", "S", "how long the lesson's code may take to write the starter, in a "
                     "worker (default the variant timeout, 120 s)"},
    {NULL, NULL, NULL},
};

typedef struct exercise_ctx {
    const char *lesson;
    const char *out;
    int force;
    pd_measure_opts limits; /* of the worker that writes the starter */
} exercise_ctx;

static int exercise_body(void *ctx, pd_err *e)
{
    exercise_ctx *k = ctx;
    char path[4096], cache[4096], *text = NULL, *out = NULL;
    pd_lesson l = {0};
    pd_exercise x;
    int rc = PD_EXIT_FAILED;

    if (pd_lesson_resolve(k->lesson, path, sizeof path, e) < 0 ||
        pd_lesson_load(path, &l, e) < 0 || pd_exercise_from_lesson(&l, 0, NULL, 0, &x, e) < 0 ||
        pd_cache_dir(cache, sizeof cache, e) < 0 ||
        (text = pd_exercise_starter(&x, cache, &k->limits, e)) == NULL)
        goto cleanup;
    out = k->out ? pd_strdup(k->out) : pd_strdup_printf("%s.py", l.id);
    if (strcmp(out, "-") == 0) {
        fputs(text, stdout);
        rc = PD_EXIT_OK;
    } else if (!k->force && access(out, F_OK) == 0) {
        pd_error(e, "%s exists and may hold your work; --force replaces it, --out names "
                 "another file", out);
    } else if (pd_write_file_atomic(out, text, strlen(text), e) == 0) {
        fprintf(stderr, "wrote %s: fill in %s(), then `pdlab check %s`\n", out,
                PD_EXERCISE_FUNCTION, out);
        rc = PD_EXIT_OK;
    }
cleanup:
    if (rc == PD_EXIT_FAILED) cli_fail(e);
    pd_lesson_free(&l);
    free(text);
    free(out);
    return rc;
}

int pd_cmd_exercise(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    exercise_ctx k = {0};
    const char *v;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return cli_usage_error(cmd, "%s", "name one lesson: pdlab exercise LESSON");
    k.lesson = p.argv[0];
    k.out = cli_opt(cmd, &p, "out");
    k.force = cli_opt(cmd, &p, "force") != NULL;
    k.limits = pd_measure_defaults();
    if ((v = cli_opt(cmd, &p, "timeout")) && cli_parse_seconds(v, &k.limits.timeout_s) < 0)
        return cli_usage_error(cmd, "--timeout wants seconds, not '%s'", v);
    /* No interpreter here: the lesson's code runs in workers. */
    {
        pd_err e = {0};
        return exercise_body(&k, &e);
    }
}

/* ---- hint ---- */

typedef struct hint_ctx {
    const char *lesson;
    unsigned long which; /* 1-based */
} hint_ctx;

static int hint_body(void *ctx, pd_err *e)
{
    hint_ctx *k = ctx;
    char path[4096], **hints;
    size_t n;
    pd_lesson l = {0};
    int rc = PD_EXIT_FAILED;
    if (pd_lesson_resolve(k->lesson, path, sizeof path, e) < 0 || pd_lesson_load(path, &l, e) < 0) {
        pd_lesson_free(&l);
        return cli_fail(e);
    }
    hints = l.hints;
    n = l.nhints;
    if (n == 0) {
        fprintf(stderr, "pdlab hint: lesson %s has no hints; `pdlab show %s` has its answer\n",
                k->lesson, k->lesson);
    } else if (k->which > n) {
        fprintf(stderr, "pdlab hint: lesson %s has %zu hints, not %lu\n", k->lesson, n, k->which);
        rc = PD_EXIT_USAGE;
    } else {
        printf("hint %lu of %zu: ", k->which, n);
        cli_print_wrapped_from(stdout, 12, "  ", hints[k->which - 1], 78);
        if (k->which < n) printf("(`pdlab hint %s %lu` for the next)\n", k->lesson, k->which + 1);
        rc = PD_EXIT_OK;
    }
    pd_lesson_free(&l);
    return rc;
}

int pd_cmd_hint(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    hint_ctx k = {0};
    uint64_t which = 1;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc < 1 || p.argc > 2) return cli_usage_error(cmd, "%s", "pdlab hint LESSON [N]");
    if (p.argc == 2 && (cli_parse_u64(p.argv[1], &which) < 0 || which > 3))
        return cli_usage_error(cmd, "N is a hint's number, 1 to 3, not '%s'", p.argv[1]);
    k.lesson = p.argv[0];
    k.which = (unsigned long)which;
    /* No interpreter here: the hints come with the declaration. */
    {
        pd_err e = {0};
        return hint_body(&k, &e);
    }
}
