/* The command line.
 *
 * Sections:
 *   1. Options: one table per command, parsed and documented from the table
 *   2. Commands: list, show, run, dataset, bench
 *   3. Dispatch: the command table, help, main
 *
 * Help goes to stdout with exit 0; misuse goes to stderr naming the bad
 * argument, with exit 2; every other failure is reported once, here, from
 * the pd_err the library filled. */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/cli.h"
#include "pdlab/dataset.h"
#include "pdlab/embed.h"
#include "pdlab/evidence.h"
#include "pdlab/fileio.h"
#include "pdlab/lesson.h"
#include "pdlab/plot.h"
#include "pdlab/report.h"
#include "pdlab/results.h"
#include "pdlab/run.h"
#include "pdlab/table.h"
#include "pdlab/worker.h"

/* ==== 1. Options ======================================================== */

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
typedef struct parsed {
    const char *value[MAX_OPTIONS];
    int help;
    int argc;       /* positional arguments left */
    char **argv;
} parsed;

/* Prints text wrapped to width columns, the cursor being at column `col`
 * already (0: the line starts with the indent); later lines are indented. */
static void print_wrapped_from(FILE *out, int col, const char *indent, const char *text,
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

static void print_wrapped(FILE *out, const char *indent, const char *text, int width)
{
    print_wrapped_from(out, 0, indent, text, width);
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
            print_wrapped(stdout, "", line, 78);
        }
    }
    free(copy);
}

static void print_command_help(const pd_command *cmd)
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
            print_wrapped_from(stdout, printf("  %-22s ", left), "                         ",
                               o->help, 78);
        }
    }
    printf("  %-22s %s\n", "-h, --help", "show this help");
}

static int usage_error(const pd_command *cmd, const char *fmt, const char *what)
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
static int parse_options(const pd_command *cmd, int argc, char **argv, parsed *p)
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
            return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        else
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
    p->argc = argc - optind;
    p->argv = argv + optind;
    return 0;
}

/* The value of option `name`, or NULL. */
static const char *opt(const pd_command *cmd, const parsed *p, const char *name)
{
    for (int i = 0; cmd->options && cmd->options[i].name; i++)
        if (strcmp(cmd->options[i].name, name) == 0) return p->value[i];
    return NULL;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end); /* accepts 1e6 as well as 1000000 */
    if (errno || end == s || *end || v < 1 || v > 1e15 || v != floor(v)) return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return errno || end == s || *end || !(*out > 0) ? -1 : 0;
}

/* "10000,100000" into a newly allocated array. */
static int parse_sizes(const char *s, uint64_t **sizes, size_t *n)
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
        if (parse_u64(tok, &(*sizes)[(*n)++]) < 0) {
            free(copy);
            return -1;
        }
    }
    free(copy);
    return *n ? 0 : -1;
}

/* Reports a failure once, at the edge. */
static int fail(const pd_err *e)
{
    fprintf(stderr, "pdlab: %s\n", e->set ? e->msg : "failed");
    return PD_EXIT_FAILED;
}

/* ==== 2. Commands ======================================================= */

static int with_python(int (*body)(void *ctx, pd_err *e), void *ctx)
{
    pd_err e = {0};
    int rc;
    if (pd_python_start(&e) < 0) {
        pd_python_stop();
        return fail(&e);
    }
    rc = body(ctx, &e);
    pd_python_stop();
    return rc;
}

/* ---- list ---- */

static int list_body(void *ctx, pd_err *e)
{
    char **paths = NULL;
    size_t n = 0;
    (void)ctx;
    if (pd_lesson_paths(pd_lessons_dir(), &paths, &n, e) < 0) return fail(e);
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

static int cmd_list(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc) return usage_error(cmd, "unexpected argument '%s'", p.argv[0]);
    return with_python(list_body, NULL);
}

/* ---- show ---- */

typedef struct show_ctx {
    const char *lesson;
    const char *results; /* a run directory, or NULL for the newest */
} show_ctx;

static int cmp_desc(const void *a, const void *b)
{
    return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* The newest results/<run>/results.json holding the lesson, into buf. Run
 * directories are named by their start time, so names sort by age. */
static int newest_results(const char *id, char *buf, size_t size)
{
    DIR *d = opendir("results");
    struct dirent *ent;
    char *runs[1024];
    size_t n = 0;
    int found = 0;

    if (d == NULL) return -1;
    while ((ent = readdir(d)) != NULL && n < 1024)
        if (ent->d_name[0] != '.' && strcmp(ent->d_name, "latest") != 0)
            runs[n++] = pd_strdup(ent->d_name);
    closedir(d);
    qsort(runs, n, sizeof *runs, cmp_desc);
    for (size_t i = 0; i < n && !found; i++) {
        pd_err ignored = {0};
        json_t *doc;
        snprintf(buf, size, "results/%s/results.json", runs[i]);
        doc = access(buf, R_OK) == 0 ? pd_results_load(buf, &ignored) : NULL;
        found = doc && pd_results_lesson(doc, id);
        json_decref(doc);
    }
    for (size_t i = 0; i < n; i++) free(runs[i]);
    return found ? 0 : -1;
}

/* The size a learner should look at: the one with the most variants
 * measured correct, the larger on a tie (the summary's choice too). */
static json_t *evidence_size(json_t *sizes)
{
    json_t *best = NULL, *size, *v;
    size_t i, j, best_count = 0;
    json_array_foreach(sizes, i, size) {
        size_t count = 0;
        json_array_foreach(json_object_get(size, "variants"), j, v)
            count += json_is_true(json_object_get(v, "correct")) &&
                     json_is_number(json_object_get(v, "median_s"));
        if (count >= best_count) {
            best = size;
            best_count = count;
        }
    }
    return best;
}

static void print_variant_evidence(json_t *v)
{
    const char *status = json_string_value(json_object_get(v, "status"));
    json_t *med = json_object_get(v, "median_s"), *iqr = json_object_get(v, "iqr_s");
    json_t *sp = json_object_get(v, "speedup"), *lo = json_object_get(v, "speedup_lo");
    json_t *hi = json_object_get(v, "speedup_hi"), *pk = json_object_get(v, "peak_bytes");
    json_t *unstable = json_object_get(v, "instability"), *w;
    char t[32], q[32], m[32], speed[64] = "-";
    size_t i;

    if (json_is_true(json_object_get(v, "no_measurable_difference")))
        snprintf(speed, sizeof speed, "no measurable difference");
    else if (json_is_number(sp) && json_is_number(lo) && json_is_number(hi))
        snprintf(speed, sizeof speed, "%.3gx [%.3g-%.3g]", json_number_value(sp),
                 json_number_value(lo), json_number_value(hi));
    else if (json_is_number(sp))
        snprintf(speed, sizeof speed, "%s%.3gx",
                 json_is_true(json_object_get(v, "speedup_extrapolated")) ? "~" : "",
                 json_number_value(sp));
    printf("    %-20s %-8s %10s ± %-9s %-26s %9s\n",
           json_string_value(json_object_get(v, "name")), status ? status : "?",
           json_is_number(med) ? pd_fmt_seconds(json_number_value(med), t, sizeof t) : "-",
           json_is_number(iqr) ? pd_fmt_seconds(json_number_value(iqr), q, sizeof q) : "-",
           speed, json_is_number(pk) ? pd_fmt_bytes(json_number_value(pk), m, sizeof m) : "-");
    json_array_foreach(unstable, i, w)
        printf("        ! %s\n", json_string_value(w));
}

static void print_evidence(json_t *doc, json_t *lesson, const char *file)
{
    json_t *size = evidence_size(json_object_get(lesson, "results")), *v, *g;
    json_t *machine = json_object_get(doc, "machine");
    const char *summary = json_string_value(json_object_get(lesson, "summary"));
    char count[32];
    size_t i;

    printf("\nEvidence from %s\n", file);
    printf("  measured %s on %s (%s cores), Python %s, NumPy %s, pandas %s\n",
           json_string_value(json_object_get(doc, "started")),
           json_string_value(json_object_get(machine, "cpu")),
           json_is_integer(json_object_get(machine, "cores"))
               ? pd_fmt_count((unsigned long long)json_integer_value(
                                  json_object_get(machine, "cores")), count, sizeof count)
               : "?",
           json_string_value(json_object_get(machine, "python")),
           json_string_value(json_object_get(machine, "numpy")),
           json_string_value(json_object_get(machine, "pandas")));
    if (summary) {
        printf("\n  Verdict\n");
        print_wrapped(stdout, "    ", summary, 78);
    }
    if (size == NULL) return;
    pd_fmt_count((unsigned long long)json_integer_value(json_object_get(size, "n")),
                 count, sizeof count);
    printf("\n  at n = %s (median ± IQR, speedup over the slowest correct variant "
           "[95%% interval], peak memory):\n", count);
    json_array_foreach(json_object_get(size, "variants"), i, v) print_variant_evidence(v);
    g = json_object_get(lesson, "growth");
    if (json_array_size(g)) {
        printf("\n  growth with n (time ~ n^k, fitted on log-log axes):\n");
        json_array_foreach(g, i, v) {
            json_t *k = json_object_get(v, "time_exponent"), *r2 = json_object_get(v, "time_r2");
            if (json_is_number(k))
                printf("    %-20s k = %.2f (r2 %.2f)\n",
                       json_string_value(json_object_get(v, "variant")), json_number_value(k),
                       json_is_number(r2) ? json_number_value(r2) : NAN);
        }
    }
}

static int show_body(void *ctx, pd_err *e)
{
    show_ctx *s = ctx;
    char path[4096], results[4096];
    pd_lesson l;
    int rc;

    if (pd_lesson_resolve(s->lesson, path, sizeof path, e) < 0) return fail(e);
    if (pd_lesson_load(path, &l, e) < 0) {
        pd_lesson_free(&l);
        return fail(e);
    }
    printf("%s\n\nQuestion\n", l.id);
    print_wrapped(stdout, "  ", l.question, 78);
    printf("\nA strong answer\n");
    print_wrapped(stdout, "  ", l.answer, 78);
    printf("\nWhat it signals\n");
    print_wrapped(stdout, "  ", l.signal, 78);
    printf("\nTrivia tax: %s\n\nVariants (dataset %s):\n", l.trivia, l.dataset);
    for (size_t i = 0; i < l.nvariants; i++) {
        const pd_variant_info *v = &l.variants[i];
        const char *ref = pd_lesson_reference(&l, v->part);
        printf("  %-24s %-12s %s%s\n", v->name, v->kind, v->doc,
               ref && strcmp(ref, v->name) == 0 ? "  [reference]" : "");
    }
    rc = PD_EXIT_OK;
    if (s->results) snprintf(results, sizeof results, "%s/results.json", s->results);
    if (s->results || newest_results(l.id, results, sizeof results) == 0) {
        json_t *doc = pd_results_load(results, e);
        json_t *lesson = doc ? pd_results_lesson(doc, l.id) : NULL;
        if (doc == NULL) rc = fail(e);
        else if (lesson) print_evidence(doc, lesson, results);
        else printf("\nNo evidence for %s in %s.\n", l.id, results);
        json_decref(doc);
    } else {
        printf("\nNo measured evidence yet: run `pdlab run %s`.\n", l.id);
    }
    pd_lesson_free(&l);
    return rc;
}

static int cmd_show(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    show_ctx s;
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return usage_error(cmd, "%s", "give exactly one LESSON");
    s.lesson = p.argv[0];
    s.results = opt(cmd, &p, "results");
    return with_python(show_body, &s);
}

/* Draws the charts and writes the report of a run directory. A missing
 * gnuplot is not a failure of a run: the results are there, the charts can
 * be drawn later. Returns 0, or -1 with *e set. */
static int draw_run(const char *dir, FILE *log, int *no_gnuplot, pd_err *e)
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

/* ---- run ---- */

/* The run's display: one progress line, redrawn in place on a terminal
 * and one line per lesson and size elsewhere (a log); each lesson's table
 * on stdout when it is done. */
typedef struct display {
    FILE *progress;  /* NULL: --quiet */
    int tty;
    int line_open;   /* a progress line is on screen, to be cleared */
} display;

static void clear_line(display *d)
{
    if (d->line_open) fprintf(d->progress, "\r\033[K");
    d->line_open = 0;
}

static void show_dataset(void *ctx, const char *name, uint64_t n, const char *cache_dir)
{
    display *d = ctx;
    char count[32];
    if (!d->progress) return;
    clear_line(d);
    fprintf(d->progress, "making dataset %s with %s rows (cached in %s)\n", name,
            pd_fmt_count(n, count, sizeof count), cache_dir);
}

static void show_measuring(void *ctx, const char *lesson, size_t no, size_t total,
                           uint64_t n, const char *variant)
{
    display *d = ctx;
    char count[32];
    if (!d->progress) return;
    pd_fmt_count(n, count, sizeof count);
    if (d->tty) {
        fprintf(d->progress, "\r\033[K[%zu/%zu] %s  n = %s  %s", no, total, lesson, count,
                variant ? variant : "data loaded");
        d->line_open = 1;
    } else if (variant == NULL) {
        fprintf(d->progress, "[%zu/%zu] %s  n = %s: measuring\n", no, total, lesson, count);
    }
    fflush(d->progress);
}

static void show_lesson(void *ctx, const pd_lesson_result *lr)
{
    display *d = ctx;
    if (d->progress) clear_line(d);
    /* An error is not progress: --quiet keeps it. */
    if (lr->error) fprintf(stderr, "pdlab: %s\n", lr->error);
    if (lr->nsizes) pd_table_print_lesson(stdout, lr);
    /* Before the next progress line on the other stream. */
    fflush(stdout);
}

typedef struct run_ctx {
    pd_run_opts opts;
    char **ids;
    int nids;
    int draw;       /* charts and report at the end */
    display shown;
} run_ctx;

/* results/2026-11-25T09-41-07, and results/latest pointing at it. */
static char *default_out_dir(void)
{
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    return pd_strdup_printf("results/%s", stamp);
}

static void point_latest_at(const char *out_dir)
{
    const char *base = strrchr(out_dir, '/');
    if (strncmp(out_dir, "results/", 8) != 0 || base == NULL) return;
    /* Replaced by rename so that `results/latest` is never missing. */
    unlink("results/latest.tmp");
    if (symlink(base + 1, "results/latest.tmp") == 0 &&
        rename("results/latest.tmp", "results/latest") != 0)
        unlink("results/latest.tmp");
}

/* A run over its budget says why: claims are never cut, and what budget
 * a run like this one needs. */
static void print_budget_note(FILE *out, const pd_run *run)
{
    if (!(run->budget_s > 0) || run->wall_s <= run->budget_s * 1.1) return;
    fprintf(out, "the run took %.0f s against a --budget of %.0f s: what the claims need "
            "(%.0f s of it) is measured whatever the budget; --budget %.0f covers a run "
            "like this one\n", run->wall_s, run->budget_s, run->claims_s,
            ceil(run->wall_s / 10) * 10);
}

/* PD_EXIT_CLAIMS when a claim of any lesson was not confirmed or not
 * measured, with a line on stderr saying which lessons. */
static int claims_exit(const pd_run *run)
{
    size_t bad = 0;
    for (size_t i = 0; i < run->nlessons; i++) {
        const pd_lesson *l = &run->lessons[i].lesson;
        size_t n = pd_claims_count(l, PD_CLAIM_NOT_CONFIRMED) +
                   pd_claims_count(l, PD_CLAIM_NOT_MEASURED) +
                   pd_claims_count(l, PD_CLAIM_UNDECIDED);
        if (n == 0) continue;
        fprintf(stderr, "%s %s: %zu of %zu claims not confirmed on this machine",
                bad++ ? "," : "\npdlab: claims:", l->id, n, l->nclaims);
    }
    if (bad) fprintf(stderr, " (exit status 4)\n");
    return bad ? PD_EXIT_CLAIMS : PD_EXIT_OK;
}

static int run_body(void *ctx, pd_err *e)
{
    run_ctx *r = ctx;
    char **paths = NULL;
    size_t n = 0;
    pd_run run;
    int rc;

    if (r->nids == 0) {
        if (pd_lesson_paths(pd_lessons_dir(), &paths, &n, e) < 0) return fail(e);
    } else {
        paths = pd_xcalloc((size_t)r->nids, sizeof *paths);
        for (int i = 0; i < r->nids; i++, n++) {
            char buf[4096];
            if (pd_lesson_resolve(r->ids[i], buf, sizeof buf, e) < 0) {
                pd_strv_free(paths, n);
                return fail(e);
            }
            paths[i] = pd_strdup(buf);
        }
    }
    r->opts.lesson_paths = paths;
    r->opts.nlessons = n;
    if (pd_mkdir_p(r->opts.out_dir, e) < 0) {
        pd_strv_free(paths, n);
        return fail(e);
    }
    rc = pd_run_lessons(&r->opts, &run, e);
    point_latest_at(r->opts.out_dir);
    if (rc < 0) rc = fail(e);
    else {
        int partial = rc, no_gnuplot = 0;
        if (r->shown.progress) {
            pd_table_print_breakdown(r->shown.progress, &run);
            print_budget_note(r->shown.progress, &run);
        }
        fprintf(stderr, "\nresults: %s/results.json (%.1f s)\n", r->opts.out_dir, run.wall_s);
        /* A run names where its charts went, not every file. */
        if (r->draw && draw_run(r->opts.out_dir, NULL, &no_gnuplot, e) < 0)
            rc = fail(e);
        else
            rc = partial ? PD_EXIT_PARTIAL : claims_exit(&run);
    }
    pd_run_free(&run);
    pd_strv_free(paths, n);
    return rc;
}

static int cmd_run(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    run_ctx r;
    char cache[4096], *out = NULL;
    uint64_t *sizes = NULL, mib;
    const char *v;
    pd_err e = {0};
    int rc = parse_options(cmd, argc, argv, &p);

    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    memset(&r, 0, sizeof r);
    r.ids = p.argv;
    r.nids = p.argc;
    r.opts.measure = pd_measure_defaults();
    if ((v = opt(cmd, &p, "sizes")) && parse_sizes(v, &sizes, &r.opts.nsizes) < 0) {
        free(sizes);
        return usage_error(cmd, "--sizes wants row counts like 1000,10000, not '%s'", v);
    }
    r.opts.sizes = sizes;
    if ((v = opt(cmd, &p, "timeout")) && parse_seconds(v, &r.opts.measure.timeout_s) < 0)
        rc = usage_error(cmd, "--timeout wants seconds, not '%s'", v);
    if (!rc && (v = opt(cmd, &p, "min-sample")) &&
        parse_seconds(v, &r.opts.measure.min_sample_s) < 0)
        rc = usage_error(cmd, "--min-sample wants seconds, not '%s'", v);
    r.opts.budget_s = 120;
    r.opts.processes = 1;
    if (!rc && (v = opt(cmd, &p, "processes"))) {
        uint64_t k;
        if (parse_u64(v, &k) < 0 || k > 20)
            rc = usage_error(cmd, "--processes wants a count from 1 to 20, not '%s'", v);
        else r.opts.processes = (int)k;
    }
    if (!rc && (v = opt(cmd, &p, "budget"))) {
        char *end;
        r.opts.budget_s = strtod(v, &end);
        if (*end || end == v || r.opts.budget_s < 0)
            rc = usage_error(cmd, "--budget wants seconds (0 for none), not '%s'", v);
    }
    if (!rc && (v = opt(cmd, &p, "mem-limit"))) {
        if (parse_u64(v, &mib) < 0) rc = usage_error(cmd, "--mem-limit wants MiB, not '%s'", v);
        else r.opts.measure.mem_limit = mib << 20;
    }
    if (!rc && (v = opt(cmd, &p, "samples"))) {
        uint64_t k;
        if (parse_u64(v, &k) < 0 || k < 3 || k > 1000)
            rc = usage_error(cmd, "--samples wants a count from 3 to 1000, not '%s'", v);
        else r.opts.measure.samples = (int)k;
    }
    if (!rc && pd_cache_dir(cache, sizeof cache, &e) < 0) rc = fail(&e);
    if (rc) {
        free(sizes);
        return rc;
    }
    out = (v = opt(cmd, &p, "out")) ? pd_strdup(v) : default_out_dir();
    r.opts.out_dir = out;
    r.opts.cache_dir = cache;
    r.shown.progress = opt(cmd, &p, "quiet") ? NULL : stderr;
    r.shown.tty = r.shown.progress && isatty(fileno(r.shown.progress));
    r.opts.observer = (pd_run_observer){&r.shown, show_dataset, show_measuring, show_lesson};
    r.draw = opt(cmd, &p, "no-charts") == NULL;
    rc = with_python(run_body, &r);
    free(out);
    free(sizes);
    return rc;
}

/* ---- dataset ---- */

static int dataset_list(void)
{
    const pd_recipe *r;
    for (size_t i = 0; (r = pd_recipe_at(i)) != NULL; i++) {
        printf("%-10s %s\n", r->name, r->description);
        for (size_t c = 0; c < r->ncolumns; c++)
            printf("    %-8s %s\n", r->columns[c].name, r->columns[c].meaning);
    }
    return PD_EXIT_OK;
}

static int dataset_make(const pd_command *cmd, const parsed *p)
{
    const pd_recipe *r;
    const char *rows = opt(cmd, p, "rows"), *out = opt(cmd, p, "out");
    char cache[4096], path[4096];
    uint64_t n;
    pd_err e = {0};

    if (p->argc != 2) return usage_error(cmd, "%s", "make wants a NAME: `pdlab dataset make mixed --rows 100000`");
    if ((r = pd_recipe_find(p->argv[1])) == NULL)
        return usage_error(cmd, "unknown dataset '%s' (`pdlab dataset list` shows them)", p->argv[1]);
    if (rows == NULL || parse_u64(rows, &n) < 0)
        return usage_error(cmd, "%s", "make wants --rows N, a positive row count");
    if (out == NULL) {
        if (pd_cache_dir(cache, sizeof cache, &e) < 0 ||
            pd_dataset_path(cache, r->name, n, path, sizeof path, &e) < 0)
            return fail(&e);
        out = path;
    }
    if (pd_dataset_make(r, n, out, &e) < 0) return fail(&e);
    printf("%s\n", out);
    return PD_EXIT_OK;
}

static int dataset_import(const pd_command *cmd, const parsed *p)
{
    const char *name = opt(cmd, p, "name"), *out = opt(cmd, p, "out");
    char cache[4096], path[4096];
    pd_err e = {0};
    if (p->argc != 2) return usage_error(cmd, "%s", "import wants a CSV file");
    if (name == NULL) return usage_error(cmd, "%s", "import wants --name NAME for the dataset");
    if (out == NULL) {
        if (pd_cache_dir(cache, sizeof cache, &e) < 0 ||
            pd_dataset_path(cache, name, 0, path, sizeof path, &e) < 0)
            return fail(&e);
        out = path;
    }
    if (pd_dataset_import_csv(p->argv[1], name, out, &e) < 0) return fail(&e);
    printf("%s\n", out);
    return PD_EXIT_OK;
}

static int cmd_dataset(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    pd_err e = {0};
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc == 0) return usage_error(cmd, "%s", "say what to do: list, make, info or import");
    if (strcmp(p.argv[0], "list") == 0) return dataset_list();
    if (strcmp(p.argv[0], "make") == 0) return dataset_make(cmd, &p);
    if (strcmp(p.argv[0], "import") == 0) return dataset_import(cmd, &p);
    if (strcmp(p.argv[0], "export") == 0) {
        const char *out = opt(cmd, &p, "out");
        if (p.argc != 2 || out == NULL)
            return usage_error(cmd, "%s", "export wants a FILE and --out CSV");
        return pd_dataset_export_csv(p.argv[1], out, &e) < 0 ? fail(&e) : PD_EXIT_OK;
    }
    if (strcmp(p.argv[0], "info") == 0) {
        if (p.argc != 2) return usage_error(cmd, "%s", "info wants one FILE");
        return pd_dataset_info(p.argv[1], stdout, &e) < 0 ? fail(&e) : PD_EXIT_OK;
    }
    return usage_error(cmd, "unknown dataset action '%s' (list, make, info, import, export)",
                       p.argv[0]);
}

/* ---- plot, report, compare ---- */

static int cmd_plot(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    pd_err e = {0};
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return usage_error(cmd, "%s", "give one RESULTS_DIR (a run's output directory)");
    rc = pd_plot_results(p.argv[0], stdout, &e);
    return rc == 0 ? PD_EXIT_OK : fail(&e);
}

static int cmd_report(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    pd_err e = {0};
    int no_gnuplot, rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return usage_error(cmd, "%s", "give one RESULTS_DIR (a run's output directory)");
    return draw_run(p.argv[0], stdout, &no_gnuplot, &e) < 0 ? fail(&e) : PD_EXIT_OK;
}

static int cmd_compare(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    pd_err e = {0};
    const char *out;
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    if (p.argc != 2) return usage_error(cmd, "%s", "give two run directories: RUN_A RUN_B");
    out = opt(cmd, &p, "out") ? opt(cmd, &p, "out") : p.argv[1];
    rc = pd_compare_runs(p.argv[0], p.argv[1], out, stdout, &e);
    return rc < 0 ? fail(&e) : PD_EXIT_OK;
}

/* ---- bench ---- */

static int cmd_bench(const pd_command *cmd, int argc, char **argv)
{
    parsed p;
    int rc = parse_options(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return print_command_help(cmd), PD_EXIT_OK;
    return pd_bench_main(p.argc, p.argv);
}

/* ==== 3. Dispatch ======================================================= */

static const pd_option no_options[] = {{NULL, NULL, NULL}};

static const pd_option show_options[] = {
    {"results", "DIR", "read the evidence from this run directory (default: the newest under results/)"},
    {NULL, NULL, NULL},
};

static const pd_option run_options[] = {
    {"sizes", "N,N,...", "row counts to run at, instead of each lesson's own"},
    {"out", "DIR", "where results.json and logs go (default results/<time>, linked as results/latest)"},
    {"timeout", "SECONDS", "stop a variant that runs longer than this (default 120)"},
    {"mem-limit", "MIB", "address-space limit of a worker (default 8192)"},
    {"samples", "K", "timing samples per variant (default 5; 3 for calls over 0.5 s)"},
    {"min-sample", "SECONDS", "calibrate calls per sample to last at least this (default 0.01)"},
    {"budget", "SECONDS", "time budget of the run (default 120; 0 for none): a variant predicted "
                          "to take over a quarter of its lesson's share at a size is not run "
                          "there, and its time is extrapolated from its growth, marked ~"},
    {"processes", "K", "take each size's samples in K worker processes and pool them, "
                       "as pyperf does: the spread then includes what differs between "
                       "processes (default 1; 3 to settle a close call)"},
    {"quiet", NULL, "no progress display"},
    {"no-charts", NULL, "skip the charts and the report (pdlab report DIR draws them later)"},
    {NULL, NULL, NULL},
};

static const pd_option compare_options[] = {
    {"out", "DIR", "where compare.html goes (default: RUN_B)"},
    {NULL, NULL, NULL},
};

static const pd_option dataset_options[] = {
    {"rows", "N", "make: number of rows"},
    {"out", "FILE", "make, import: where to write (default: the dataset cache); export: the CSV"},
    {"name", "NAME", "import: the dataset's name"},
    {NULL, NULL, NULL},
};

static int cmd_help(const pd_command *cmd, int argc, char **argv);

static const pd_command commands[] = {
    {"list", cmd_list, NULL, "list the lessons and their questions",
     "Lists every lesson in the lessons directory (PDLAB_LESSONS overrides it) with "
     "the interview question it answers.", no_options},
    {"show", cmd_show, "LESSON", "a lesson's question, strong answer, signal and evidence",
     "Shows what an interviewer asks, a strong answer, what the answer signals, whether "
     "the question is mostly trivia, the variants, and the last measured evidence.",
     show_options},
    {"run", cmd_run, "[LESSON...]", "measure lessons (all by default) and write results",
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
     "  pdlab run path/to/my_lesson.py --out /tmp/try", run_options},
    {"dataset", cmd_dataset, "list | make NAME | info FILE | import CSV | export FILE",
     "inspect, make or import the HDF5 datasets",
     "Datasets are HDF5 files with one compressed column per dataset in a group; lessons "
     "make them on demand in the cache (PDLAB_CACHE, default ~/.cache/pdlab).\n\n"
     "  pdlab dataset list                     the built-in recipes\n"
     "  pdlab dataset make mixed --rows 100000 write one (deterministic content)\n"
     "  pdlab dataset info FILE                describe a file\n"
     "  pdlab dataset import data.csv --name trips   your own data\n"
     "  pdlab dataset export FILE --out data.csv     a dataset as CSV", dataset_options},
    {"plot", cmd_plot, "RESULTS_DIR", "redraw a run's charts from its results.json",
     "Draws the charts of a run with gnuplot from RESULTS_DIR/results.json into "
     "RESULTS_DIR/charts/, as PNG and SVG: speedup bars at the largest size (wrong "
     "variants marked, extrapolated ones distinct), time and memory against size on "
     "log axes with the fitted growth, and an overview of every lesson.", no_options},
    {"report", cmd_report, "RESULTS_DIR", "redraw a run's charts and HTML report",
     "Draws the charts and writes RESULTS_DIR/report.html: one self-contained page "
     "with each lesson's question, strong answer, signal, verdict, charts and table.",
     no_options},
    {"compare", cmd_compare, "RUN_A RUN_B", "two runs side by side (machines, versions)",
     "Compares the medians of two runs lesson by lesson, as a table and a chart of the "
     "ratios, and flags the changes bigger than the runs' own spread.", compare_options},
    {"bench", cmd_bench, NULL, "figures about the lab itself: timer overhead, load speed",
     "Measures the harness: the clock's resolution, the cost of one timed call of an "
     "empty Python function, and how fast a 10-million-row float column goes from HDF5 "
     "to a DataFrame next to h5py and pandas.read_hdf on the same data.", no_options},
    {"help", cmd_help, "[COMMAND]", "help on a command", "Shows help on a command.",
     no_options},
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
    print_command_help(c);
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
