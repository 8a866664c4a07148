/* pdlab list: every lesson and its question. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/lesson.h"

/* ---- list ---- */

static int list_body(void *ctx, pd_err *e)
{
    char **paths = NULL;
    size_t n = 0;
    (void)ctx;
    if (pd_lesson_paths(pd_lessons_dir(), &paths, &n, e) < 0) return cli_fail(e);
    for (size_t i = 0; i < n; i++) {
        pd_lesson l;
        pd_err le = {0};
        if (pd_lesson_load(paths[i], &l, &le) < 0) {
            printf("%-18s (broken: %.*s)\n", l.id, (int)strcspn(le.msg, "\n"), le.msg);
        } else {
            printf("%-18s %s\n", l.id, l.question);
        }
        pd_lesson_free(&l);
    }
    if (n == 0) printf("no lessons in %s\n", pd_lessons_dir());
    pd_strv_free(paths, n);
    return PD_EXIT_OK;
}

int pd_cmd_list(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc) return cli_usage_error(cmd, "unexpected argument '%s'", p.argv[0]);
    return cli_with_python(list_body, NULL);
}

/* ---- show ---- */
