/* The command line: option parsing and help generated from each command's
 * table, and the table of commands (the commands themselves are in
 * bench/cmd_*.c, git's builtin/ model).
 *
 * Help goes to stdout with exit 0; misuse goes to stderr naming the bad
 * argument, with exit 2; every other failure is reported once, at the edge
 * (cli_fail), from the pd_err the library filled. */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "pdlab/embed.h"
#include "pdlab/worker.h"

/* ==== 1. Options ======================================================== */

/* Prints text wrapped to width columns, the cursor being at column `col`
 * already (0: the line starts with the indent); later lines are indented. */
void cli_print_wrapped_from(FILE *out, int col, const char *indent, const char *text,
                               int width)
{
    int ind = (int)strlen(indent), first = 1;
    const char *p = text;
    if (col == 0) col = fprintf(out, "%s", indent);
    while (*p) {
        size_t w;
        while (*p == ' ') p++;
        w = strcspn(p, " ");
        if (w == 0) break;
        if (!first && col + 1 + (int)w > width) {
            fprintf(out, "\n%s", indent);
            col = ind;
        } else if (!first) col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)w, p);
        p += w;
        first = 0;
    }
    fputc('\n', out);
}

void cli_print_wrapped(FILE *out, const char *indent, const char *text, int width)
{
    cli_print_wrapped_from(out, 0, indent, text, width);
}

static void print_usage(FILE *out, const pd_command *cmd)
{
    fprintf(out, "usage: pdlab %s%s%s%s\n", cmd->name, cmd->options ? " [options]" : "",
            cmd->args ? " " : "", cmd->args ? cmd->args : "");
}

/* Paragraphs wrapped at 78 columns; indented lines (examples) as they are. */
static void print_description(const char *text)
{
    char *copy = pd_strdup(text), *line, *save = NULL;
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == ' ') printf("%s\n", line);
        else {
            putchar('\n');
            cli_print_wrapped(stdout, "", line, 78);
        }
    }
    free(copy);
}

void cli_print_help(const pd_command *cmd)
{
    print_usage(stdout, cmd);
    print_description(cmd->description);
    if (cmd->options) {
        printf("\noptions:\n");
        for (const pd_option *o = cmd->options; o->name; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
            /* The help text wraps under itself, right of the option. */
            cli_print_wrapped_from(stdout, printf("  %-22s ", left), "                         ",
                               o->help, 78);
        }
    }
    printf("  %-22s %s\n", "-h, --help", "show this help");
}

int cli_usage_error(const pd_command *cmd, const char *fmt, const char *what)
{
    fprintf(stderr, "pdlab %s: ", cmd->name);
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    print_usage(stderr, cmd);
    fprintf(stderr, "`pdlab %s --help` explains the options.\n", cmd->name);
    return PD_EXIT_USAGE;
}

/* Parses argv (argv[0] is the command name) against the command's table.
 * Returns 0, or PD_EXIT_USAGE after telling the user what was wrong. */
int cli_parse(const pd_command *cmd, int argc, char **argv, cli_parsed *p)
{
    struct option longopts[MAX_OPTIONS + 2];
    int n = 0, c;

    memset(p, 0, sizeof *p);
    for (const pd_option *o = cmd->options; o && o->name; o++, n++)
        longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                      NULL, 256 + n};
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') p->help = 1;
        else if (c >= 256) p->value[c - 256] = optarg ? optarg : "";
        else if (optopt >= 256)
            return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
    p->argc = argc - optind;
    p->argv = argv + optind;
    return 0;
}

/* The value of option `name`, or NULL. */
const char *cli_opt(const pd_command *cmd, const cli_parsed *p, const char *name)
{
    for (int i = 0; cmd->options && cmd->options[i].name; i++)
        if (strcmp(cmd->options[i].name, name) == 0) return p->value[i];
    return NULL;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end); /* accepts 1e6 as well as 1000000 */
    if (errno || end == s || *end || v < 1 || v > 1e15 || v != floor(v)) return -1;
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return errno || end == s || *end || !(*out > 0) ? -1 : 0;
}

/* "10000,100000" into a newly allocated array. */
int cli_parse_sizes(const char *s, uint64_t **sizes, size_t *n)
{
    char *copy = pd_strdup(s), *tok, *save = NULL;
    size_t cap = 8;
    *sizes = pd_xcalloc(cap, sizeof **sizes);
    *n = 0;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == cap) {
            cap *= 2;
            *sizes = realloc(*sizes, cap * sizeof **sizes);
            if (*sizes == NULL) abort();
        }
        if (cli_parse_u64(tok, &(*sizes)[(*n)++]) < 0) {
            free(copy);
            return -1;
        }
    }
    free(copy);
    return *n ? 0 : -1;
}

/* Reports a failure once, at the edge. */
int cli_fail(const pd_err *e)
{
    fprintf(stderr, "pdlab: %s\n", e->set ? e->msg : "failed");
    return PD_EXIT_FAILED;
}

/* ==== 2. Commands ======================================================= */

int cli_with_python(int (*body)(void *ctx, pd_err *e), void *ctx)
{
    pd_err e = {0};
    int rc;
    if (pd_python_start(&e) < 0) {
        pd_python_stop();
        return cli_fail(&e);
    }
    rc = body(ctx, &e);
    pd_python_stop();
    return rc;
}

/* ---- bench ---- */

int pd_cmd_bench(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    return pd_bench_main(p.argc, p.argv);
}

/* ==== 2. Dispatch ======================================================= */

const pd_option pd_no_options[] = {{NULL, NULL, NULL}};

static int cmd_help(const pd_command *cmd, int argc, char **argv);

static const pd_command commands[] = {
    {"list", pd_cmd_list, NULL, "list the lessons and their questions",
     "Lists every lesson in the lessons directory (PDLAB_LESSONS overrides it) with "
     "the interview question it answers.", pd_no_options},
    {"show", pd_cmd_show, "LESSON", "a lesson's question, strong answer, signal and evidence",
     "Shows what an interviewer asks, a strong answer, what the answer signals, whether "
     "the question is mostly trivia, the variants, and the last measured evidence.",
     pd_show_options},
    {"run", pd_cmd_run, "[LESSON...]", "measure lessons (all by default) and write results",
     "Runs each lesson's variants at each size in worker processes: the first call is "
     "checked against the reference variant (a wrong answer is reported as wrong and "
     "never timed), then timed with a calibrated inner loop over several samples with "
     "the GC off. Prints a table per lesson and writes results.json after every lesson. "
     "A variant that raises, crashes, runs out of memory or hangs is reported and the "
     "run goes on. Each lesson's claims (the facts it exists to show) are measured "
     "first, whatever the budget, and checked: confirmed, not confirmed (with the "
     "figure and its interval) or not measured (with the reason).\n\n"
     "Exit status: 0 every lesson ran and every claim was confirmed; 3 some lesson "
     "could not run; 4 every lesson ran but some claim was not confirmed or not "
     "measured; 1 the run itself failed; 2 bad arguments.\n\n"
     "Examples:\n  pdlab run\n  pdlab run vectorize --sizes 1000,10000\n"
     "  pdlab run path/to/my_lesson.py --out /tmp/try", pd_run_options},
    {"dataset", pd_cmd_dataset, "list | make NAME | info FILE | import CSV | export FILE",
     "inspect, make or import the HDF5 datasets",
     "Datasets are HDF5 files with one compressed column per dataset in a group; lessons "
     "make them on demand in the cache (PDLAB_CACHE, default ~/.cache/pdlab).\n\n"
     "  pdlab dataset list                     the built-in recipes\n"
     "  pdlab dataset make mixed --rows 100000 write one (deterministic content)\n"
     "  pdlab dataset info FILE                describe a file\n"
     "  pdlab dataset import data.csv --name trips   your own data\n"
     "  pdlab dataset export FILE --out data.csv     a dataset as CSV", pd_dataset_options},
    {"plot", pd_cmd_plot, "RESULTS_DIR", "redraw a run's charts from its results.json",
     "Draws the charts of a run with gnuplot from RESULTS_DIR/results.json into "
     "RESULTS_DIR/charts/, as PNG and SVG: speedup bars at the largest size (wrong "
     "variants marked, extrapolated ones distinct), time and memory against size on "
     "log axes with the fitted growth, and an overview of every lesson.", pd_no_options},
    {"report", pd_cmd_report, "RESULTS_DIR", "redraw a run's charts and HTML report",
     "Draws the charts and writes RESULTS_DIR/report.html: one self-contained page "
     "with each lesson's question, strong answer, signal, verdict, charts and table.",
     pd_no_options},
    {"compare", pd_cmd_compare, "RUN_A RUN_B", "two runs side by side (machines, versions)",
     "Compares the medians of two runs lesson by lesson, as a table and a chart of the "
     "ratios, and flags the changes bigger than the runs' own spread.", pd_compare_options},
    {"bench", pd_cmd_bench, NULL, "figures about the lab itself: timer overhead, load speed",
     "Measures the harness: the clock's resolution, the cost of one timed call of an "
     "empty Python function, and how fast a 10-million-row float column goes from HDF5 "
     "to a DataFrame next to h5py and pandas.read_hdf on the same data.", pd_no_options},
    {"help", cmd_help, "[COMMAND]", "help on a command", "Shows help on a command.",
     pd_no_options},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const pd_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static void print_main_help(void)
{
    printf("pdlab %s: evidence for the answers to Python data interview questions.\n\n"
           "Each lesson runs the slow, the apply-based and the vectorized answers to one\n"
           "question on real-sized data, checks that they agree, and measures their time\n"
           "and memory as the data grows.\n\n"
           "usage: pdlab COMMAND [options] [arguments]\n\ncommands:\n", PDLAB_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    printf("\nStart with `pdlab list`, then `pdlab show vectorize` and `pdlab run vectorize`.\n"
           "`pdlab COMMAND --help` explains a command. Exit status: 0 done, 1 failed,\n"
           "2 bad arguments, 3 run finished but some lesson could not run, 4 every lesson\n"
           "ran but some claim was not confirmed.\n");
}

static int cmd_help(const pd_command *cmd, int argc, char **argv)
{
    const pd_command *c;
    (void)cmd;
    if (argc < 2) return print_main_help(), PD_EXIT_OK;
    if ((c = find_command(argv[1])) == NULL) {
        fprintf(stderr, "pdlab help: unknown command '%s'; `pdlab --help` lists them\n", argv[1]);
        return PD_EXIT_USAGE;
    }
    cli_print_help(c);
    return PD_EXIT_OK;
}

int pd_cli_main(int argc, char **argv)
{
    const pd_command *cmd;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_main_help();
        return argc < 2 ? PD_EXIT_USAGE : PD_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("pdlab %s\n", PDLAB_VERSION);
        return PD_EXIT_OK;
    }
    if (strcmp(argv[1], "__worker") == 0) return pd_worker_main(argc - 1, argv + 1);
    if ((cmd = find_command(argv[1])) == NULL) {
        fprintf(stderr, "pdlab: unknown command '%s'; `pdlab --help` lists the commands\n",
                argv[1]);
        return PD_EXIT_USAGE;
    }
    return cmd->fn(cmd, argc - 1, argv + 1);
}
