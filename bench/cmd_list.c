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

/* The declarations come from one worker process: a lesson file that
 * exits or hangs is listed as broken, and the others still are. */
static int list_lessons(void)
{
    char **paths = NULL;
    size_t n = 0;
    pd_lesson *ls;
    pd_err e = {0}, *errs;
    if (pd_lesson_paths(pd_lessons_dir(), &paths, &n, &e) < 0) return cli_fail(&e);
    ls = pd_xcalloc(n ? n : 1, sizeof *ls);
    errs = pd_xcalloc(n ? n : 1, sizeof *errs);
    pd_lessons_load(paths, n, NULL, ls, errs);
    for (size_t i = 0; i < n; i++) {
        if (errs[i].set)
            printf("%-18s (broken: %.*s)\n", ls[i].id, (int)strcspn(errs[i].msg, "\n"),
                   errs[i].msg);
        else
            printf("%-18s %s\n", ls[i].id, ls[i].question);
        pd_lesson_free(&ls[i]);
    }
    if (n == 0) printf("no lessons in %s\n", pd_lessons_dir());
    free(ls);
    free(errs);
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
    return list_lessons();
}

/* ---- show ---- */
