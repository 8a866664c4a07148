#ifndef PDLAB_CLI_INT_H
#define PDLAB_CLI_INT_H
/* What the command files (bench/cmd_*.c) share with the dispatcher
 * (bench/cli.c), git's builtin/ model: a command is a function and an
 * option table; cli.c holds the table of commands, parses options from each
 * command's table and generates the help from it. Not part of pdlab's
 * contract. */

#include <stdint.h>
#include <stdio.h>

#include "pdlab/alloc.h"
#include "pdlab/cli.h"
#include "pdlab/error.h"
#include "pdlab/lesson.h"

typedef struct pd_option {
    const char *name;   /* long name, without "--" */
    const char *arg;    /* placeholder for its value, NULL for a flag */
    const char *help;
} pd_option;

typedef struct pd_command {
    const char *name;
    int (*fn)(const struct pd_command *cmd, int argc, char **argv);
    const char *args;        /* positional arguments, for the usage line */
    const char *summary;     /* one line, for `pdlab --help` */
    const char *description; /* a paragraph for `pdlab COMMAND --help` */
    const pd_option *options;
} pd_command;

#define MAX_OPTIONS 16

/* Parsed options: value[i] belongs to cmd->options[i]; NULL when absent,
 * "" for a flag that was given. */
typedef struct cli_parsed {
    const char *value[MAX_OPTIONS];
    int help;
    int argc;       /* positional arguments left */
    char **argv;
} cli_parsed;

/* Help on stdout; a misuse message on stderr naming the bad argument,
 * returning PD_EXIT_USAGE. */
void cli_print_help(const pd_command *cmd);
int cli_usage_error(const pd_command *cmd, const char *fmt, const char *what);
/* Text wrapped at width columns under indent; _from continues a line whose
 * cursor is at column col already. */
void cli_print_wrapped(FILE *out, const char *indent, const char *text, int width);
void cli_print_wrapped_from(FILE *out, int col, const char *indent, const char *text,
                            int width);

/* Parses argv (argv[0] is the command name) against the command's table.
 * 0, or PD_EXIT_USAGE after telling the user what was wrong. */
int cli_parse(const pd_command *cmd, int argc, char **argv, cli_parsed *p);
/* The value of option `name`, or NULL. */
const char *cli_opt(const pd_command *cmd, const cli_parsed *p, const char *name);
/* A plain decimal number, finite, within [min, max]; -1 otherwise. */
int cli_parse_number(const char *s, double min, double max, double *out);
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_seconds(const char *s, double *out);
/* "10000,100000" into a newly allocated array (caller frees). */
int cli_parse_sizes(const char *s, uint64_t **sizes, size_t *n);

/* Makes stdout and stderr, when they are terminals, escape control
 * characters (pd_term_escape) in everything written to them. */
void cli_guard_terminal(void);
/* Whether f writes to a terminal, guarded or not. */
int cli_is_terminal(FILE *f);

/* Reports a failure once, at the edge: "pdlab: message" on stderr.
 * Returns PD_EXIT_FAILED. */
int cli_fail(const pd_err *e);
/* Starts the embedded interpreter, runs body, stops it. */
int cli_with_python(int (*body)(void *ctx, pd_err *e), void *ctx);
/* Draws the charts and writes the report of a run directory; a missing
 * gnuplot is said on stderr and sets *no_gnuplot, not a failure. */
int cli_draw_run(const char *dir, FILE *log, int *no_gnuplot, pd_err *e);

/* The commands and their option tables. */
extern const pd_option pd_no_options[], pd_show_options[], pd_run_options[],
    pd_compare_options[], pd_dataset_options[], pd_merge_options[];
int pd_cmd_list(const pd_command *cmd, int argc, char **argv);
int pd_cmd_show(const pd_command *cmd, int argc, char **argv);
int pd_cmd_run(const pd_command *cmd, int argc, char **argv);
int pd_cmd_dataset(const pd_command *cmd, int argc, char **argv);
int pd_cmd_plot(const pd_command *cmd, int argc, char **argv);
int pd_cmd_report(const pd_command *cmd, int argc, char **argv);
int pd_cmd_compare(const pd_command *cmd, int argc, char **argv);
int pd_cmd_merge(const pd_command *cmd, int argc, char **argv);

/* Exercises (bench/cmd_check.c, cmd_exercise.c, cmd_course.c). */
extern const pd_option pd_check_options[], pd_exercise_options[], pd_course_options[];
int pd_cmd_check(const pd_command *cmd, int argc, char **argv);
int pd_cmd_exercise(const pd_command *cmd, int argc, char **argv);
int pd_cmd_hint(const pd_command *cmd, int argc, char **argv);
int pd_cmd_course(const pd_command *cmd, int argc, char **argv);

/* pdlab run --predict (bench/predict.c). "50" or "50x" into *out; -1 when
 * it is not a factor above 0. */
int cli_parse_factor(const char *s, double *out);
/* Asks, on stderr, how big the difference the lesson's first comparing
 * claim is about will be; reads the answer from stdin (a line, terminal or
 * not) unless `given`. -1 when the lesson has no such claim or the answer is
 * not a factor. */
int cli_predict_ask(const pd_lesson *l, const char *given, double *factor);
/* After the run: the prediction against the measured figure, and the
 * factor between them. */
struct pd_lesson_result;
void cli_predict_report(FILE *out, const struct pd_lesson_result *lr, double predicted);

#endif
