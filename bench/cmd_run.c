/* pdlab run: measure lessons, show progress and tables, write results,
 * draw the charts and the report; the exit status says what a script needs
 * to know (every claim confirmed, some not, some lesson could not run). */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/dataset.h"
#include "pdlab/evidence.h"
#include "pdlab/fileio.h"
#include "pdlab/format.h"
#include "pdlab/lesson.h"
#include "pdlab/measure.h"
#include "pdlab/outdir.h"
#include "pdlab/results.h"
#include "pdlab/run.h"
#include "pdlab/signals.h"
#include "pdlab/table.h"

const pd_option pd_run_options[] = {
    {"sizes", "N,N,...", "row counts to run at, instead of each lesson's own (a claim "
                         "about a size left out is not measured, and the run exits 4)"},
    {"out", "DIR", "where results.json and logs go (default RESULTS/<time>, linked as "
                   "RESULTS/latest: RESULTS is $PDLAB_RESULTS, else results/ beside the "
                   "lessons directory)"},
    {"timeout", "SECONDS", "stop a variant that runs longer than this (default 120)"},
    {"mem-limit", "MIB", "address-space limit of a worker (default 8192)"},
    {"samples", "K", "timing samples per variant (default 5; 3 for calls over 0.25 s, over 1 s for those a faster or similar claim compares, which get 2K-1 for calls up to 0.25 s)"},
    {"min-sample", "SECONDS", "calibrate calls per sample to last at least this (default 0.01)"},
    {"budget", "SECONDS", "time budget of the run (default " PD_DEFAULT_BUDGET "; 0 for none): a variant predicted "
                          "to take over a quarter of its lesson's share of what is left at a "
                          "size is not run "
                          "there, and its time is extrapolated from its growth, marked ~. "
                          "References and whatever a claim needs always run"},
    {"processes", "K", "take each size's samples in K worker processes and pool them, "
                       "as pyperf does: the spread then includes what differs between "
                       "processes (default 1; 3 to settle a close call)"},
    {"scheduler", "tcp://HOST:PORT", "run lessons' dask.distributed variants on this "
                                     "existing scheduler and its workers instead of a local "
                                     "cluster (lessons read it as pdlab.scheduler())"},
    {"predict", "FACTOR|ask", "before measuring one lesson, state how many times faster (or "
                              "less memory) its fast answer will be; `ask` reads it from stdin. "
                              "After the run: prediction against measurement"},
    {"dataset", "NAME|FILE", "run on this dataset instead of each lesson's own: a built-in, "
                             "one you imported (pdlab dataset import), or an .h5 file. An "
                             "imported one has the rows it has: a size over them is not run "
                             "(\"over data rows\"), the whole data is run instead, and a "
                             "smaller size takes the first n rows"},
    {"columns", "NAME=COLUMN,...", "use your columns where a lesson names its own, e.g. "
                                   "--columns price=\"Cost Total $\",qty=Units (a lesson "
                                   "says which columns it needs: pdlab show LESSON)"},
    {"quiet", NULL, "no progress display"},
    {"no-charts", NULL, "skip the charts and the report (pdlab report DIR draws them later)"},
    {NULL, NULL, NULL},
};

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

static void show_damaged(void *ctx, const char *path, const char *why)
{
    display *d = ctx;
    clear_line(d);
    /* Not progress: said even with --quiet. */
    fprintf(stderr, "pdlab: %s failed its checks and is made again: %s\n", path, why);
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
    const char *predict; /* --predict: a factor, "ask", or NULL */
    double predicted;
    display shown;
} run_ctx;

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

/* Before measuring: when the last run's claims alone took longer than
 * this run's budget, say so now, since they will be measured anyway. The
 * last run is only a guide (other lessons or sizes may have run). */
static void warn_claims_over_budget(FILE *out, const pd_run_opts *o)
{
    pd_run last;
    pd_err ignored = {0};
    char *root = pd_results_root(), *path = pd_strdup_printf("%s/latest/results.json", root);
    int rc = out && o->budget_s > 0 && !o->nsizes ? pd_results_read(path, &last, &ignored) : -1;

    free(path);
    free(root);
    if (rc < 0) return;
    if (last.claims_s > o->budget_s)
        fprintf(out, "pdlab: in the last run (latest) the claims alone took %.0f s, "
                "over this run's --budget of %.0f s: they are measured whatever the budget, "
                "so expect about %.0f s (--budget %.0f would cover it)\n", last.claims_s,
                o->budget_s, last.wall_s, ceil(last.wall_s / 10) * 10);
    pd_run_free(&last);
}

/* --predict: the learner's figure, asked before anything is measured. */
static int predict_first(run_ctx *r, const char *path, pd_err *e)
{
    pd_lesson l = {0};
    int rc = pd_lesson_load(path, &l, e);
    if (rc == 0 && (r->nids != 1 ||
                    cli_predict_ask(&l, strcmp(r->predict, "ask") ? r->predict : NULL,
                                    &r->predicted) < 0))
        rc = pd_error(e, "--predict wants one lesson that compares two answers, and a factor "
                         "like 50 or 50x (from stdin with --predict ask)");
    pd_lesson_free(&l);
    return rc;
}

/* A run a signal stopped says where what it measured went, and exits as a
 * shell expects (128 + the signal). Charts are not drawn: whoever pressed
 * ^C wants the prompt back now, and `pdlab report` draws them from the
 * same results.json whenever wanted. A signal while the charts are drawn
 * is heard when gnuplot is done with the one in hand; the results are
 * complete then. */
static int report_stopped(const char *out_dir, int sig, int while_drawing)
{
    char buf[32];
    const char *name = pd_signal_name(sig, buf, sizeof buf);
    if (while_drawing)
        fprintf(stderr, "pdlab: interrupted by %s while drawing: the results are complete "
                "in %s/results.json (`pdlab report %s` draws the charts)\n", name,
                out_dir, out_dir);
    else
        fprintf(stderr, "\npdlab: interrupted by %s: results so far in %s/results.json "
                "(charts not drawn: `pdlab report %s` draws them)\n", name, out_dir,
                out_dir);
    return 128 + sig;
}

static int run_body(void *ctx, pd_err *e)
{
    run_ctx *r = ctx;
    char **paths = NULL;
    size_t n = 0;
    pd_run run;
    pd_outdir out = {-1};
    int rc;

    if (r->nids == 0) {
        if (pd_lesson_paths(pd_lessons_dir(), &paths, &n, e) < 0) return cli_fail(e);
    } else {
        paths = pd_xcalloc((size_t)r->nids, sizeof *paths);
        for (int i = 0; i < r->nids; i++, n++) {
            char buf[4096];
            if (pd_lesson_resolve(r->ids[i], buf, sizeof buf, e) < 0) {
                pd_strv_free(paths, n);
                return cli_fail(e);
            }
            paths[i] = pd_strdup(buf);
        }
    }
    r->opts.lesson_paths = paths;
    r->opts.nlessons = n;
    if (pd_outdir_open(r->opts.out_dir, &out, e) < 0) {
        pd_strv_free(paths, n);
        return cli_fail(e);
    }
    if (r->predict && predict_first(r, paths[0], e) < 0) {
        pd_strv_free(paths, n);
        return cli_fail(e);
    }
    warn_claims_over_budget(r->shown.progress, &r->opts);
    rc = pd_run_lessons(&r->opts, &run, e);
    pd_results_link_latest(r->opts.out_dir);
    if (rc < 0) rc = cli_fail(e);
    else if (run.stopped_by) rc = report_stopped(r->opts.out_dir, run.stopped_by, 0);
    else {
        int partial = rc, no_gnuplot = 0;
        if (r->shown.progress) {
            pd_table_print_breakdown(r->shown.progress, &run);
            print_budget_note(r->shown.progress, &run);
        }
        fprintf(stderr, "\nresults: %s/results.json (%.1f s)\n", r->opts.out_dir, run.wall_s);
        /* A run names where its charts went, not every file. */
        if (r->draw && !pd_stop_signal() && cli_draw_run(r->opts.out_dir, NULL, &no_gnuplot, e) < 0)
            rc = cli_fail(e);
        else
            rc = partial ? PD_EXIT_PARTIAL : claims_exit(&run);
        if (r->predict && run.nlessons) cli_predict_report(stderr, &run.lessons[0], r->predicted);
        if (pd_stop_signal()) rc = report_stopped(r->opts.out_dir, pd_stop_signal(), 1);
    }
    pd_run_free(&run);
    pd_strv_free(paths, n);
    pd_outdir_close(&out);
    return rc;
}

/* --scheduler: workers inherit the environment, so the address reaches
 * every lesson's pdlab.scheduler() without a worker option of its own. */
static int pass_scheduler(const pd_command *cmd, const char *address)
{
    if (strncmp(address, "tcp://", 6) != 0 || strchr(address + 6, ':') == NULL)
        return cli_usage_error(cmd, "--scheduler wants tcp://HOST:PORT, not '%s'", address);
    setenv("PDLAB_SCHEDULER", address, 1);
    return 0;
}

/* "price=Cost Total $,qty=Units" into pairs pointing into *copy (both
 * arrays the caller frees). */
static int parse_columns(const char *s, char **copy, const pd_column_map **map, size_t *n)
{
    pd_column_map *v = pd_xcalloc(strlen(s) / 2 + 1, sizeof *v);
    char *save = NULL, *item;
    *copy = pd_strdup(s);
    *map = v;
    *n = 0;
    for (item = strtok_r(*copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq || eq == item || !eq[1]) return -1;
        *eq = '\0';
        v[*n].lesson = item;
        v[(*n)++].data = eq + 1;
    }
    return *n ? 0 : -1;
}

int pd_cmd_run(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    run_ctx r;
    char cache[4096], *out = NULL, *map = NULL;
    uint64_t *sizes = NULL, mib;
    const char *v;
    pd_err e = {0};
    int rc = cli_parse(cmd, argc, argv, &p);

    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    memset(&r, 0, sizeof r);
    r.ids = p.argv;
    r.nids = p.argc;
    r.opts.measure = pd_measure_defaults();
    if ((v = cli_opt(cmd, &p, "sizes")) && cli_parse_sizes(v, &sizes, &r.opts.nsizes) < 0) {
        free(sizes);
        return cli_usage_error(cmd, "--sizes wants row counts (distinct, 1 to 10000000000) like 1000,10000, not '%s'", v);
    }
    r.opts.sizes = sizes;
    if ((v = cli_opt(cmd, &p, "timeout")) && cli_parse_seconds(v, &r.opts.measure.timeout_s) < 0)
        rc = cli_usage_error(cmd, "--timeout wants seconds (over 0, at most 86400), not '%s'", v);
    if (!rc && (v = cli_opt(cmd, &p, "min-sample")) &&
        cli_parse_seconds(v, &r.opts.measure.min_sample_s) < 0)
        rc = cli_usage_error(cmd, "--min-sample wants seconds (over 0, at most 86400), not '%s'", v);
    r.opts.budget_s = PD_DEFAULT_BUDGET_S;
    r.opts.processes = 1;
    if (!rc && (v = cli_opt(cmd, &p, "processes"))) {
        uint64_t k;
        if (cli_parse_u64(v, &k) < 0 || k > 20)
            rc = cli_usage_error(cmd, "--processes wants a count from 1 to 20, not '%s'", v);
        else r.opts.processes = (int)k;
    }
    if (!rc && (v = cli_opt(cmd, &p, "budget"))) {
        if (cli_parse_number(v, 0, 1e7, &r.opts.budget_s) < 0)
            rc = cli_usage_error(cmd, "--budget wants seconds (0 for none, at most 10000000), not '%s'", v);
    }
    if (!rc && (v = cli_opt(cmd, &p, "mem-limit"))) {
        if (cli_parse_u64(v, &mib) < 0) rc = cli_usage_error(cmd, "--mem-limit wants MiB, not '%s'", v);
        else r.opts.measure.mem_limit = mib << 20;
    }
    if (!rc && (v = cli_opt(cmd, &p, "samples"))) {
        uint64_t k;
        if (cli_parse_u64(v, &k) < 0 || k < 3 || k > 1000)
            rc = cli_usage_error(cmd, "--samples wants a count from 3 to 1000, not '%s'", v);
        else r.opts.measure.samples = (int)k;
    }
    if (!rc && (v = cli_opt(cmd, &p, "scheduler"))) rc = pass_scheduler(cmd, v);
    if (!rc && pd_cache_dir(cache, sizeof cache, &e) < 0) rc = cli_fail(&e);
    if (rc) {
        free(sizes);
        return rc;
    }
    out = (v = cli_opt(cmd, &p, "out")) ? pd_strdup(v) : pd_results_new_run_dir();
    r.opts.out_dir = out;
    r.opts.cache_dir = cache;
    r.shown.progress = cli_opt(cmd, &p, "quiet") ? NULL : stderr;
    r.shown.tty = cli_is_terminal(r.shown.progress);
    r.opts.observer = (pd_run_observer){&r.shown, show_dataset, show_measuring, show_lesson,
                                        show_damaged};
    r.draw = cli_opt(cmd, &p, "no-charts") == NULL;
    r.predict = cli_opt(cmd, &p, "predict");
    r.opts.dataset = cli_opt(cmd, &p, "dataset");
    if (r.predict && strcmp(r.predict, "ask") != 0 && cli_parse_factor(r.predict, &r.predicted) < 0)
        rc = cli_usage_error(cmd, "--predict wants a factor like 50 or 50x, or ask, not '%s'",
                             r.predict);
    else if ((v = cli_opt(cmd, &p, "columns")) &&
             parse_columns(v, &map, &r.opts.columns, &r.opts.ncolumns) < 0) {
        rc = cli_usage_error(cmd, "--columns wants NAME=COLUMN,... (the lesson's name, then "
                             "yours), not '%s'", v);
    } else {
        pd_stop_signals_install();
        rc = cli_with_python(run_body, &r);
    }
    free(map);
    free((void *)r.opts.columns);
    free(out);
    free(sizes);
    return rc;
}
