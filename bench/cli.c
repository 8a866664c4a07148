/* The command line: the table of commands and the dispatch (git's git.c).
 * The commands are in bench/cmd_*.c (git's builtin/ model); what they share
 * for options, help and errors is bench/cli_options.c.
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
#include "pdlab/exercise.h"
#include "pdlab/embed.h"
#include "pdlab/worker.h"

/* ---- bench ---- */

int pd_cmd_bench(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    return pd_bench_main(p.argc, p.argv);
}

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
     "measured; 1 the run itself failed; 2 bad arguments; 128 + the signal when "
     "stopped by one (130 for ^C, 143 for SIGTERM), with what was measured kept "
     "in results.json.\n\n"
     "Examples:\n  pdlab run\n  pdlab run vectorize --sizes 1000,10000\n"
     "  pdlab run path/to/my_lesson.py --out /tmp/try", pd_run_options},
    {"dataset", pd_cmd_dataset, "list | make NAME | info NAME|FILE | import CSV | export NAME|FILE",
     "inspect, make or import the HDF5 datasets",
     "Datasets are HDF5 files with one compressed column per dataset in a group; lessons "
     "make them on demand in the cache (PDLAB_CACHE, default ~/.cache/pdlab).\n\n"
     "  pdlab dataset list                     the built-in recipes and your imports\n"
     "  pdlab dataset make mixed --rows 100000 write one (deterministic content)\n"
     "  pdlab dataset info NAME|FILE           describe one: columns, labels, a sample\n"
     "  pdlab dataset import data.csv --name trips   your own data\n"
     "  pdlab dataset export NAME|FILE --out data.csv     a dataset as CSV\n\n"
     "Import reads every cell of a column to choose its type: int64 when every cell is an "
     "integer written the canonical way (00501, +5 and 1,000 stay text), float64 when "
     "numbers (integers with empty cells too, as NaN), bool for true/false, "
     "datetime64[ns] for ISO dates and datetimes (2023-01-05, 2023-01-05T10:30:00), "
     "category for text with few distinct values, str for other text. Empty cells and "
     "NA, N/A, NaN, null, None are missing in columns of numbers, booleans and dates; in "
     "text only the empty cell is. A column that is mostly numbers or dates but has "
     "other cells stays text, and import says which line; --type COL=float or "
     "COL=datetime reads those cells as missing. Column names: an empty name, '.' or "
     "'..' becomes column_N; '/' becomes '_'; a repeated name gets .1, .2 (as pandas "
     "does); each renamed column is said. Imported datasets are run with "
     "`pdlab run LESSON --dataset NAME`.", pd_dataset_options},
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
    {"merge", pd_cmd_merge, "RUN... --out DIR", "runs from many machines in one report",
     "Puts the runs of a team's machines (laptops, CI runners, a server) in one page, "
     "DIR/merged.html: a table of the machines with each run's fingerprint (CPU, cores, "
     "system, Python, NumPy, pandas...), then per lesson each run's claim outcomes "
     "(✓ confirmed, ✗ not confirmed, ○ not measured) and its times with their spread "
     "and speedups, side by side, one column per run. Each RUN is a run's directory or "
     "its results.json.\n\n"
     "Nothing is mixed silently: a run whose Python, NumPy, pandas, numexpr or HDF5 "
     "differs from the first run's, or whose lesson was declared differently (sizes, "
     "variants, claims), is shown and marked ≠, never pooled. Runs from one machine are "
     "labelled by their start time. The terminal lists each lesson's claims per run and "
     "the claims that came out differently on different runs.\n\n"
     "Exit status: 0 written; 1 a run could not be read (the message names it); 2 bad "
     "arguments.\n\n"
     "Examples:\n  pdlab merge laptop/results.json ci/ server/ --out team\n"
     "  pdlab merge results/latest /mnt/ci/results/latest --out /tmp/merged",
     pd_merge_options},
    {"bench", pd_cmd_bench, NULL, "figures about the lab itself: timer overhead, load speed",
     "Measures the harness: the clock's resolution, the cost of one timed call of an "
     "empty Python function, and how fast a 10-million-row float column goes from HDF5 "
     "to a DataFrame next to h5py and pandas.read_hdf on the same data.", pd_no_options},
    {"exercise", pd_cmd_exercise, "LESSON", "write a starter file for a learner",
     "Writes LESSON.py for a learner: the question, what the data looks like (columns, "
     "dtypes, a few real rows), the slow answer as a typical first attempt, and an empty "
     "function solve() to fill in. No model answer. `pdlab check` grades it.\n\n"
     "Examples:\n  pdlab exercise vectorize\n  pdlab exercise groupby --out ~/groupby.py",
     pd_exercise_options},
    {"check", pd_cmd_check, "FILE", "grade a learner's answer against the lesson's target",
     "Runs the function solve() of FILE (a starter from `pdlab exercise`, its LESSON line "
     "naming the lesson) beside the lesson's slow answer and model answer, in workers with "
     "a time and memory limit: the learner's code never runs in pdlab itself. Says whether "
     "it is right (the first difference when not), how much faster than the slow answer and "
     "against the model answer (with 95% intervals), its peak memory and growth, whether it "
     "meets the lesson's target, and a hint when it does not. It checks at fewer sizes than "
     "the lesson runs, and says which.\n\n"
     "Exit status: 0 passed; 10 wrong; 11 right but short of the target; 12 raised, "
     "crashed, hung or ran out of memory; 13 not written yet; 1 the check itself failed; "
     "2 bad arguments.\n\n"
     "Examples:\n  pdlab check vectorize.py\n  pdlab check vectorize.py --target 50x "
     "--sizes 1000,10000 --json", pd_check_options},
    {"hint", pd_cmd_hint, "LESSON [N]", "a lesson's hints, one at a time",
     "Shows hint N (default 1) of a lesson's exercise: up to three, from gentle to "
     "explicit.", pd_no_options},
    {"course", pd_cmd_course, "check COURSE DIR", "check every learner of a course",
     "Checks every learner's submissions: DIR/LEARNER/LESSON.py for each lesson of the "
     "COURSE file (courses/onboarding.course shows the format), each in its own pdlab "
     "check, so one learner's crash or hang never stops the others. Writes a summary per "
     "learner and lesson (right, speedup, passed) as a table on the terminal, summary.csv "
     "and summary.html.\n\n"
     "Exit status: 0 every submission passed; 4 some did not; 1 the course could not be "
     "checked; 2 bad arguments.\n\n"
     "Example:\n  pdlab course check courses/onboarding.course submissions/",
     pd_course_options},
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
    if (strcmp(argv[1], "__declare") == 0) return pd_declare_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "__starter") == 0) return pd_starter_main(argc - 1, argv + 1);
    cli_guard_terminal();
    if ((cmd = find_command(argv[1])) == NULL) {
        fprintf(stderr, "pdlab: unknown command '%s'; `pdlab --help` lists the commands\n",
                argv[1]);
        return PD_EXIT_USAGE;
    }
    return cmd->fn(cmd, argc - 1, argv + 1);
}
