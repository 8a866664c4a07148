/* pdlab check FILE: runs a learner's answer beside the lesson's own, in the
 * lesson's workers, and says what to do next. The grading is
 * bench/exercise_grade.c; this file runs the check and words the feedback.
 *
 * The learner's file is never executed here: its LESSON line is read as
 * text, and the function is loaded by the check's lesson inside a worker,
 * under the run's time and address-space limits. */

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/dataset.h"
#include "pdlab/exercise.h"
#include "pdlab/fileio.h"
#include "pdlab/format.h"
#include "pdlab/measure.h"
#include "pdlab/run.h"

/* A learner waits for a check: a hung answer is stopped sooner than a
 * lesson variant would be, and an answer that eats memory meets a lower
 * ceiling. */
#define CHECK_TIMEOUT_S 30.0
#define CHECK_MEM_LIMIT_MIB 4096

const pd_option pd_check_options[] = {
    {"sizes", "N,N,...", "row counts to check at, instead of the exercise's own (the target "
                         "moves to the largest the slow answer runs at)"},
    {"target", "FACTOR", "how many times faster (or less memory) than the slow answer, "
                         "instead of the lesson's own factor: 50 or 50x"},
    {"timeout", "SECONDS", "stop the answer after this long (default 30)"},
    {"mem-limit", "MIB", "address-space limit of the worker (default 4096)"},
    {"samples", "K", "timing samples per variant (default 5; 3 for calls over 0.25 s, over 1 s for claimed ones)"},
    {"min-sample", "SECONDS", "calibrate calls per sample to last at least this (default 0.01)"},
    {"out", "DIR", "where the check's lesson, results and logs go (default a new "
                   "/tmp/pdlab-check-XXXXXX)"},
    {"json", NULL, "the verdict and figures as one JSON object on stdout"},
    {"quiet", NULL, "no progress display"},
    {NULL, NULL, NULL},
};

typedef struct check_ctx {
    const char *file;
    double target_by;
    uint64_t *sizes;
    size_t nsizes;
    pd_measure_opts measure;
    const char *out;   /* NULL: a new temporary directory */
    int json, quiet;
} check_ctx;

/* ---- progress ---- */

static void show_progress(void *ctx, const char *lesson, size_t no, size_t total, uint64_t n,
                          const char *variant)
{
    char count[32];
    (void)ctx, (void)lesson, (void)no, (void)total;
    if (variant == NULL) return;
    fprintf(stderr, "\r\033[Kchecking at n = %s: %s", pd_fmt_count(n, count, sizeof count),
            strcmp(variant, PD_EXERCISE_VARIANT) == 0 ? "your answer" : variant);
    fflush(stderr);
}

/* ---- feedback ---- */

static int grade_exit(pd_grade g)
{
    switch (g) {
    case PD_GRADE_PASSED: return PD_EXIT_OK;
    case PD_GRADE_WRONG: return PD_EXIT_WRONG;
    case PD_GRADE_TOO_SLOW: return PD_EXIT_TOO_SLOW;
    case PD_GRADE_BROKE: return PD_EXIT_BROKE;
    case PD_GRADE_NOT_WRITTEN: return PD_EXIT_NOT_WRITTEN;
    }
    return PD_EXIT_FAILED;
}

/* "at 10,000 and 100,000 rows (the lesson runs up to 1,000,000)". */
static void print_sizes(FILE *out, const pd_exercise *x)
{
    char n[32];
    fprintf(out, "checked at ");
    for (size_t i = 0; i < x->nsizes; i++)
        fprintf(out, "%s%s", i == 0 ? "" : i + 1 == x->nsizes ? " and " : ", ",
                pd_fmt_count(x->sizes[i], n, sizeof n));
    fprintf(out, " rows");
    if (x->sizes_trimmed)
        fprintf(out, " (fewer than the lesson's %zu sizes, up to %s, so that you wait less)",
                x->lesson->nsizes,
                pd_fmt_count(x->lesson->sizes[x->lesson->nsizes - 1], n, sizeof n));
    fprintf(out, "\n");
}

/* "412x faster than iterrows (95% interval 380x .. 440x)"; a ratio under
 * 1 reads as "slower", its interval turned round with it. */
static void print_ratio(FILE *out, const char *label, double r, double lo, double hi,
                        const char *than)
{
    char a[32], b[32], c[32];
    int slower = r < 1, interval = isfinite(lo) && isfinite(hi);
    if (!isfinite(r)) return;
    if (interval && lo <= 1 && hi >= 1) {
        fprintf(out, "  %-12s about as fast as %s (%s, 95%% interval %s .. %s)\n", label, than,
                pd_fmt_ratio(r, a, sizeof a), pd_fmt_ratio(lo, b, sizeof b),
                pd_fmt_ratio(hi, c, sizeof c));
        return;
    }
    if (slower) {
        double t = lo;
        r = 1 / r, lo = 1 / hi, hi = 1 / t;
    }
    fprintf(out, "  %-12s %s %s than %s", label, pd_fmt_ratio(r, a, sizeof a),
            slower ? "slower" : "faster", than);
    if (interval)
        fprintf(out, " (95%% interval %s .. %s)", pd_fmt_ratio(lo, b, sizeof b),
                pd_fmt_ratio(hi, c, sizeof c));
    fprintf(out, "\n");
}

/* An error as a learner needs it: what was raised, and where in their own
 * file; the frames of pandas and of pdlab's harness are in the logs. */
static void print_excerpt(FILE *out, const char *why, const char *file)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *copy = pd_strdup(why), *line, *save = NULL;
    int first = 1, show_next = 0;
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *at = strstr(line, base);
        if (first || show_next) fprintf(out, "  %-12s %s\n", "", line + strspn(line, " "));
        show_next = !first && at && at > line && at[-1] == '/' && strstr(at, "\", line ");
        first = 0;
        if (show_next) fprintf(out, "  %-12s %s\n", "", line + strspn(line, " "));
    }
    free(copy);
}

/* What went wrong, in the learner's terms, and what to do about it. */
static void print_problem(FILE *out, const check_ctx *k, const pd_exercise *x,
                          const pd_check *c)
{
    char n[32];
    pd_fmt_count(c->n, n, sizeof n);
    switch (c->grade) {
    case PD_GRADE_PASSED: return;
    case PD_GRADE_NOT_WRITTEN:
        fprintf(out, "  %-12s not written yet: fill in %s() in your file (it still raises "
                "NotImplementedError)\n", "answer", PD_EXERCISE_FUNCTION);
        return;
    case PD_GRADE_WRONG:
        fprintf(out, "  %-12s WRONG at %s rows: %s\n", "answer", n, c->why ? c->why : "");
        fprintf(out, "  %-12s it must return the same values as %s (the lesson's reference, "
                "%s)\n", "", x->slow, x->reference);
        return;
    case PD_GRADE_BROKE: break;
    case PD_GRADE_TOO_SLOW: return;
    }
    fprintf(out, "  %-12s %s at %s rows", "answer",
            c->yours ? pd_status_phrase(c->yours->status) : "did not run", n);
    if (c->yours && c->yours->status == PD_TIMEOUT)
        fprintf(out, ": it never returned (an endless loop, or far too slow)");
    if (c->yours && c->yours->status == PD_NO_MEMORY)
        fprintf(out, ": it asked for more memory than the check allows");
    fprintf(out, "\n");
    if (c->why) print_excerpt(out, c->why, k->file);
}

static void print_figures(FILE *out, const pd_exercise *x, const pd_check *c)
{
    char a[32], b[32], lo[32], hi[32];
    if (!c->yours || c->yours->status != PD_OK) return;
    print_ratio(out, "speed", c->vs_slow, c->vs_slow_lo, c->vs_slow_hi, x->slow);
    print_ratio(out, "vs model", c->vs_model, c->vs_model_lo, c->vs_model_hi,
                "the model answer");
    if (c->peak > 0)
        fprintf(out, "  %-12s %s (the model answer: %s)\n", "peak memory",
                pd_fmt_bytes((double)c->peak, a, sizeof a),
                pd_fmt_bytes((double)c->model_peak, b, sizeof b));
    if (isfinite(c->exponent))
        fprintf(out, "  %-12s time grows as n^%.2f from %s to %s rows (1 is linear)\n",
                "growth", c->exponent, pd_fmt_count(x->sizes[0], lo, sizeof lo),
                pd_fmt_count(x->sizes[x->nsizes - 1], hi, sizeof hi));
}

static void print_target(FILE *out, const pd_exercise *x, const pd_check *c)
{
    char t[160], f[32];
    fprintf(out, "  %-12s %s: ", "target", pd_exercise_target_text(x, t, sizeof t));
    if (isfinite(c->target_figure))
        fprintf(out, "%s measured, ", pd_fmt_ratio(c->target_figure, f, sizeof f));
    fprintf(out, "%s\n", c->grade == PD_GRADE_PASSED ? "PASSED" : "NOT PASSED");
}

static void print_hint(FILE *out, const pd_exercise *x, const pd_check *c, char **hints,
                       size_t nhints)
{
    if (c->grade == PD_GRADE_PASSED) return;
    if (c->grade == PD_GRADE_TOO_SLOW && c->call_per_row)
        fprintf(out, "  %-12s a Python call per row is still there: the profile of your "
                "answer shows a function called about once per row\n", "hint");
    if (nhints && c->grade != PD_GRADE_NOT_WRITTEN && c->grade != PD_GRADE_BROKE) {
        fprintf(out, "  %-12s ", "hint 1");
        cli_print_wrapped_from(out, 15, "               ", hints[0], 100);
    }
    if (nhints > 1)
        fprintf(out, "  %-12s pdlab hint %s 2\n", "next hint", x->lesson->id);
}

static void print_feedback(FILE *out, const check_ctx *k, const pd_exercise *x,
                           const pd_check *c, char **hints, size_t nhints)
{
    fprintf(out, "%s: lesson %s, ", k->file, x->lesson->id);
    print_sizes(out, x);
    if (c->grade != PD_GRADE_NOT_WRITTEN && c->grade != PD_GRADE_BROKE &&
        c->grade != PD_GRADE_WRONG)
        fprintf(out, "  %-12s right: the same values as the reference at every size\n",
                "answer");
    print_problem(out, k, x, c);
    print_figures(out, x, c);
    print_target(out, x, c);
    print_hint(out, x, c, hints, nhints);
    fprintf(out, "%s (exit status %d)\n",
            c->grade == PD_GRADE_PASSED ? "PASSED" : pd_grade_word(c->grade), grade_exit(c->grade));
}

/* A number, or null when not measured. */
static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void print_json(const check_ctx *k, const pd_exercise *x, const pd_check *c,
                       char **hints, size_t nhints, const char *dir)
{
    char t[160];
    json_t *sizes = json_array();
    json_t *doc;
    for (size_t i = 0; i < x->nsizes; i++) json_array_append_new(sizes, json_integer((json_int_t)x->sizes[i]));
    doc = json_pack("{s:s, s:s, s:s, s:i, s:o, s:I, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, "
                    "s:o, s:o, s:b, s:{s:s, s:s, s:f, s:I, s:b, s:o}, s:s?, s:s}",
                    "file", k->file, "lesson", x->lesson->id, "grade", pd_grade_word(c->grade),
                    "exit", grade_exit(c->grade), "sizes", sizes, "n", (json_int_t)c->n,
                    "status", c->yours ? pd_status_word(c->yours->status) : NULL,
                    "why", c->why,
                    "vs_slow", real_or_null(c->vs_slow), "vs_slow_lo", real_or_null(c->vs_slow_lo),
                    "vs_slow_hi", real_or_null(c->vs_slow_hi),
                    "vs_model", real_or_null(c->vs_model),
                    "vs_model_lo", real_or_null(c->vs_model_lo),
                    "vs_model_hi", real_or_null(c->vs_model_hi),
                    "peak_bytes", c->peak > 0 ? json_integer(c->peak) : json_null(),
                    "exponent", real_or_null(c->exponent), "call_per_row", c->call_per_row,
                    "target", "text", pd_exercise_target_text(x, t, sizeof t), "slow", x->slow,
                    "by", x->target_by, "n", (json_int_t)x->target_n, "memory", x->memory,
                    "figure", real_or_null(c->target_figure),
                    "hint", nhints && c->grade != PD_GRADE_PASSED ? hints[0] : NULL,
                    "details", dir);
    json_dumpf(doc, stdout, JSON_INDENT(2));
    printf("\n");
    json_decref(doc);
}

/* ---- the check ---- */

/* Measures the check's lesson; *run is the caller's to free. */
static int measure(const check_ctx *k, const char *lesson_path, const char *dir, pd_run *run,
                   pd_err *e)
{
    char cache[4096], *paths[1] = {(char *)lesson_path};
    char *out = pd_strdup_printf("%s/run", dir);
    pd_run_opts o = {0};
    int rc;
    if (pd_cache_dir(cache, sizeof cache, e) < 0) {
        free(out);
        return -1;
    }
    o.lesson_paths = paths;
    o.nlessons = 1;
    o.out_dir = out;
    o.cache_dir = cache;
    o.measure = k->measure;
    o.processes = 1;
    if (!k->quiet && !k->json && isatty(STDERR_FILENO))
        o.observer = (pd_run_observer){NULL, NULL, show_progress, NULL, NULL};
    rc = pd_mkdir_p(out, e) < 0 ? -1 : pd_run_lessons(&o, run, e);
    if (o.observer.measuring) fprintf(stderr, "\r\033[K");
    free(out);
    return rc < 0 ? -1 : 0;
}

static char *scratch_dir(const check_ctx *k, pd_err *e)
{
    char tmpl[] = "/tmp/pdlab-check-XXXXXX";
    if (k->out) return pd_mkdir_p(k->out, e) < 0 ? NULL : pd_strdup(k->out);
    if (mkdtemp(tmpl) == NULL) {
        pd_error_errno(e, "cannot make a scratch directory in /tmp");
        return NULL;
    }
    return pd_strdup(tmpl);
}

static int check_body(void *ctx, pd_err *e)
{
    check_ctx *k = ctx;
    char *id = NULL, *dir = NULL, *lesson_path = NULL, path[4096];
    pd_lesson l = {0};
    pd_exercise x;
    pd_run run = {0};
    pd_check c;
    int rc = PD_EXIT_FAILED, ran = 0;

    if ((id = pd_exercise_lesson_of(k->file, e)) == NULL ||
        pd_lesson_resolve(id, path, sizeof path, e) < 0 || pd_lesson_load(path, &l, e) < 0 ||
        pd_exercise_from_lesson(&l, k->target_by, k->sizes, k->nsizes, &x, e) < 0 ||
        (dir = scratch_dir(k, e)) == NULL ||
        pd_exercise_write_check_lesson(&x, k->file, dir, &lesson_path, e) < 0)
        goto cleanup;
    if (measure(k, lesson_path, dir, &run, e) < 0) goto cleanup;
    ran = 1;
    if (run.nlessons != 1 || run.lessons[0].error) {
        pd_error(e, "the check of %s could not run: %s (logs in %s/run/logs)", k->file,
                 run.nlessons ? run.lessons[0].error : "no lesson", dir);
        goto cleanup;
    }
    pd_check_grade(&x, &run.lessons[0], &c);
    if (k->json) print_json(k, &x, &c, l.hints, l.nhints, dir);
    else print_feedback(stdout, k, &x, &c, l.hints, l.nhints);
    rc = grade_exit(c.grade);
cleanup:
    if (rc == PD_EXIT_FAILED) rc = cli_fail(e);
    if (ran) pd_run_free(&run);
    pd_lesson_free(&l);
    free(lesson_path);
    free(dir);
    free(id);
    return rc;
}

int pd_cmd_check(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    check_ctx k = {0};
    const char *v;
    uint64_t mib;
    int rc = cli_parse(cmd, argc, argv, &p);

    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return cli_usage_error(cmd, "%s", "give one file: pdlab check FILE");
    k.file = p.argv[0];
    k.measure = pd_measure_defaults();
    k.measure.timeout_s = CHECK_TIMEOUT_S;
    k.measure.mem_limit = (uint64_t)CHECK_MEM_LIMIT_MIB << 20;
    k.out = cli_opt(cmd, &p, "out");
    k.json = cli_opt(cmd, &p, "json") != NULL;
    k.quiet = cli_opt(cmd, &p, "quiet") != NULL;
    if ((v = cli_opt(cmd, &p, "target")) && cli_parse_factor(v, &k.target_by) < 0)
        return cli_usage_error(cmd, "--target wants a factor like 50 or 50x, not '%s'", v);
    if ((v = cli_opt(cmd, &p, "timeout")) && cli_parse_seconds(v, &k.measure.timeout_s) < 0)
        return cli_usage_error(cmd, "--timeout wants seconds, not '%s'", v);
    if ((v = cli_opt(cmd, &p, "mem-limit"))) {
        if (cli_parse_u64(v, &mib) < 0) return cli_usage_error(cmd, "--mem-limit wants MiB, not '%s'", v);
        k.measure.mem_limit = mib << 20;
    }
    if ((v = cli_opt(cmd, &p, "min-sample")) && cli_parse_seconds(v, &k.measure.min_sample_s) < 0)
        return cli_usage_error(cmd, "--min-sample wants seconds (over 0, at most 86400), not '%s'", v);
    if ((v = cli_opt(cmd, &p, "samples"))) {
        uint64_t count;
        if (cli_parse_u64(v, &count) < 0 || count < 3 || count > 1000)
            return cli_usage_error(cmd, "--samples wants a count from 3 to 1000, not '%s'", v);
        k.measure.samples = (int)count;
    }
    if ((v = cli_opt(cmd, &p, "sizes")) && cli_parse_sizes(v, &k.sizes, &k.nsizes) < 0) {
        free(k.sizes);
        return cli_usage_error(cmd, "--sizes wants row counts like 1000,10000, not '%s'", v);
    }
    if (access(k.file, R_OK) != 0) {
        free(k.sizes);
        return cli_usage_error(cmd, "cannot read '%s'", k.file);
    }
    rc = cli_with_python(check_body, &k);
    free(k.sizes);
    return rc;
}
