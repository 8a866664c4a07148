/* pdlab merge: runs from several machines in one view. The model is
 * bench/merge.c, the page and the summary plots/merge.c. */

#include <stdio.h>

#include "cli_int.h"
#include "pdlab/merge.h"
#include "pdlab/report.h"

const pd_option pd_merge_options[] = {
    {"out", "DIR", "where merged.html goes (required; made when missing)"},
    {NULL, NULL, NULL},
};

int pd_cmd_merge(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    pd_err e = {0};
    pd_merge m;
    const char *out;
    int rc = cli_parse(cmd, argc, argv, &p);

    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc < 2)
        return cli_usage_error(cmd, "%s", "give two runs or more: each a run's directory "
                               "or its results.json");
    if ((out = cli_opt(cmd, &p, "out")) == NULL || !*out)
        return cli_usage_error(cmd, "%s", "say where the merged report goes: --out DIR");
    if (pd_merge_read(p.argv, (size_t)p.argc, &m, &e) < 0) return cli_fail(&e);
    rc = pd_merge_report(&m, out, stdout, &e) < 0 ? cli_fail(&e) : PD_EXIT_OK;
    pd_merge_free(&m);
    return rc;
}
