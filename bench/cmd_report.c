/* pdlab plot, report and compare: the views of runs already measured, and
 * the charts and report a run draws at its end. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/plot.h"
#include "pdlab/report.h"

const pd_option pd_compare_options[] = {
    {"out", "DIR", "where compare.html goes (default: RUN_B)"},
    {NULL, NULL, NULL},
};

/* Draws the charts and writes the report of a run directory. A missing
 * gnuplot is not a failure of a run: the results are there, the charts can
 * be drawn later. Returns 0, or -1 with *e set. */
int cli_draw_run(const char *dir, FILE *log, int *no_gnuplot, pd_err *e)
{
    pd_err pe = {0};
    int r = pd_plot_results(dir, log, &pe);
    *no_gnuplot = r == PD_PLOT_NO_GNUPLOT;
    if (r == PD_PLOT_NO_GNUPLOT)
        fprintf(stderr, "pdlab: %s\n", pe.msg);
    else if (r < 0)
        return pd_error(e, "%s", pe.msg);
    if (pd_report_write(dir, e) < 0) return -1;
    if (log) fprintf(log, "report: %s/report.html\n", dir);
    else if (*no_gnuplot)
        fprintf(stderr, "report: %s/report.html (without charts)\n", dir);
    else
        fprintf(stderr, "charts: %s/charts/\nreport: %s/report.html\n", dir, dir);
    return 0;
}


/* ---- plot, report, compare ---- */

int pd_cmd_plot(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    pd_err e = {0};
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return cli_usage_error(cmd, "%s", "give one RESULTS_DIR (a run's output directory)");
    rc = pd_plot_results(p.argv[0], stdout, &e);
    return rc == 0 ? PD_EXIT_OK : cli_fail(&e);
}

int pd_cmd_report(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    pd_err e = {0};
    int no_gnuplot, rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return cli_usage_error(cmd, "%s", "give one RESULTS_DIR (a run's output directory)");
    return cli_draw_run(p.argv[0], stdout, &no_gnuplot, &e) < 0 ? cli_fail(&e) : PD_EXIT_OK;
}

int pd_cmd_compare(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    pd_err e = {0};
    const char *out;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 2) return cli_usage_error(cmd, "%s", "give two run directories: RUN_A RUN_B");
    out = cli_opt(cmd, &p, "out") ? cli_opt(cmd, &p, "out") : p.argv[1];
    rc = pd_compare_runs(p.argv[0], p.argv[1], out, stdout, &e);
    return rc < 0 ? cli_fail(&e) : PD_EXIT_OK;
}
