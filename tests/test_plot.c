/* Unit tests for plots/: plot.c (quoting, charts), report.c and compare.c.
 *
 * Quoting is tested as data: input, room, expected literal. Then the real
 * thing: a results.json made by hand whose lesson text tries every way into
 * a shell that gnuplot offers (backticks, system(), quotes that close early,
 * newlines that end a command, enhanced-text markup), drawn by the real
 * gnuplot with the working directory in the scratch directory; no file
 * PWNED may appear, the charts must be valid PNG and SVG, and the title
 * must come out verbatim. The report must escape the same text, inline
 * every chart, and say how to get charts when there are none; compare must
 * flag a change beyond the noise and not one within it.
 *
 * Files go into a fresh directory under $PDLAB_TEST_DIR (or /tmp). */

#define _POSIX_C_SOURCE 200809L /* open_memstream, setenv, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/report.h"
#include "pdlab/results.h"
#include "pdlab/spawn.h"
#include "../plots/plot_int.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define assert_not_contains(hay, needle)                                    \
    do {                                                                    \
        const char *h_ = (hay);                                             \
        if (h_ && strstr(h_, (needle)) != NULL)                             \
            fail_msg("\"%s\" found where it must not be", (needle));        \
    } while (0)

/* The question that tries to run commands through gnuplot (and, in the
 * report, to inject markup). */
static const char evil_question[] =
    "it's `touch PWNED` \" system(\"touch PWNED2\") \n new "
    "line_with^{odd}@chars";
/* How it must appear in the SVG: the newline a space, the rest verbatim,
 * XML-escaped where XML needs it (gnuplot escapes only < and &). */
static const char evil_in_svg[] =
    "it's `touch PWNED` \" system(\"touch PWNED2\") new line_with^{odd}@chars";
/* And in the report's HTML. */
static const char evil_in_html[] =
    "it&#39;s `touch PWNED` &quot; system(&quot;touch PWNED2&quot;) \n new "
    "line_with^{odd}@chars";

static char *scratch; /* a fresh directory for this run of the tests */

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

static char *path_in(const char *dir, const char *name)
{
    return pd_strdup_printf("%s/%s", dir, name);
}

static char *slurp(const char *path, size_t *len)
{
    pd_err e = {0};
    char *s = pd_read_file(path, len, &e);
    if (!s) fail_msg("%s", e.msg);
    return s;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* How many times needle occurs in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* Fails when any file under dir (recursively) is called PWNED*. */
static void assert_no_pwned(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;

    if (!d) return;
    while ((ent = readdir(d)) != NULL) {
        char *p;
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
        if (strncmp(ent->d_name, "PWNED", 5) == 0) {
            closedir(d);
            fail_msg("%s/%s was created: lesson text reached a shell", dir, ent->d_name);
        }
        p = path_in(dir, ent->d_name);
        if (ent->d_type == DT_DIR) assert_no_pwned(p);
        free(p);
    }
    closedir(d);
}

/* A variant result; numbers < 0 are written as null. */
static json_t *vres(const char *name, const char *part, const char *status,
                    double median, double q1, double q3, double speedup,
                    double peak, double py_peak)
{
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[], s:n, s:n, s:s?}",
                          "name", name, "kind", "loop", "part", part, "status", status,
                          "correct", strcmp(status, "ok") == 0, "warnings", "mismatch",
                          "error", "observation", NULL);
    const struct { const char *key; double x; } nums[] = {
        {"median_s", median}, {"q1_s", q1}, {"q3_s", q3},
        {"iqr_s", q3 >= 0 && q1 >= 0 ? q3 - q1 : -1}, {"speedup", speedup},
        {"peak_bytes", peak}, {"python_peak_bytes", py_peak},
    };
    assert_non_null(v);
    for (size_t i = 0; i < N_OF(nums); i++) /* byte counts are integers */
        json_object_set_new(v, nums[i].key, nums[i].x < 0 ? json_null()
                            : strstr(nums[i].key, "bytes") ? json_integer((json_int_t)nums[i].x)
                            : json_real(nums[i].x));
    /* The samples behind the quartiles: a measured variant has them. */
    json_object_set_new(v, "samples_s", median > 0 ? json_pack("[f,f,f]", q1, median, q3)
                                                   : json_array());
    return v;
}

static json_t *decl(const char *name, const char *part, const char *doc)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:n, s:b}", "name", name, "kind", "loop",
                     "part", part, "doc", doc, "max_n", "mutates", 0);
}

/* Names that try quotes, backticks, markup and length. */
static const char *evil_names[] = {
    "q\"uote", "back`touch PWNED3`tick", "it's", "a_really_long_variant_name_that_goes_on_and_on_forever",
    "<script>alert(1)</script>", "sys system(\"touch PWNED4\")", "plain", "wrong_one",
    "raises", "extrapolated_one",
};

/* The claims of "evil": a memory headline, confirmed; a speedup not
 * confirmed; a growth the run could not measure. */
static json_t *evil_claims(void)
{
    return json_pack(
        "[{s:s, s:s, s:s, s:i, s:f, s:s, s:f, s:f, s:f},"
        " {s:s, s:s, s:s, s:i, s:f, s:s, s:f, s:f, s:f},"
        " {s:s, s:s, s:f, s:f, s:s, s:s}]",
        "kind", "less_memory", "variant", "plain", "other", "q\"uote", "n", 100000,
        "factor", 5.0, "outcome", "confirmed", "figure", 7.0, "figure_lo", 6.5,
        "figure_hi", 7.5,
        "kind", "faster", "variant", "it's", "other", "q\"uote", "n", 100000,
        "factor", 50.0, "outcome", "not confirmed", "figure", 10.0, "figure_lo", 9.0,
        "figure_hi", 11.0,
        "kind", "growth", "variant", "raises", "exponent_lo", 0.9, "exponent_hi", 1.1,
        "outcome", "not measured", "note", "it raised at every size <b>");
}

/* The lesson "evil": ten variants in two parts at three sizes, one wrong,
 * one raising, one extrapolated at the largest size, speedup intervals,
 * focus on memory. */
static json_t *evil_lesson(void)
{
    static const double ns[] = {1000, 10000, 100000};
    json_t *l = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:n}",
                          "id", "evil", "question", evil_question,
                          "answer", "Use <script>alert('x')</script> & escape it",
                          "signal", "Knows that \"text\" is data", "trivia", "partial",
                          "dataset", "mixed", "focus", "memory",
                          "summary", "At 100,000 rows <b>plain</b> was 100x faster.",
                          "error");
    json_t *decls = json_array(), *results = json_array(), *growth = json_array();

    for (size_t i = 0; i < N_OF(evil_names); i++) {
        json_array_append_new(decls, decl(evil_names[i], i < 7 ? "main" : "other",
                                          "doc with <tags> & \"quotes\""));
        json_array_append_new(growth, json_pack("{s:s, s:f, s:f, s:f, s:f}", "variant",
                                                evil_names[i], "time_exponent", 1.0 + i / 10.0,
                                                "time_r2", 0.99, "memory_exponent", 1.0,
                                                "memory_r2", 0.9));
    }
    for (size_t k = 0; k < N_OF(ns); k++) {
        json_t *vars = json_array();
        for (size_t i = 0; i < N_OF(evil_names); i++) {
            const char *part = i < 7 ? "main" : "other";
            double m = 1e-6 * ns[k] / (1 + (double)i * i);
            json_t *v;
            if (i == 7) {
                v = vres(evil_names[i], part, "wrong", -1, -1, -1, -1, 4096 * ns[k], -1);
                json_object_set_new(v, "mismatch", json_string("3 of 10 values <differ>"));
                json_array_append_new(json_object_get(v, "warnings"),
                                      json_string("SettingWithCopyWarning: <copy>"));
            } else if (i == 8) {
                v = vres(evil_names[i], part, "raised", -1, -1, -1, -1, -1, -1);
                json_object_set_new(v, "error", json_string(
                    "Traceback (most recent call last):\n  File \"x\"\nValueError: bad <value>\n"));
            } else if (i == 9 && k == N_OF(ns) - 1) {
                v = vres(evil_names[i], part, "not_run", -1, -1, -1, 3.0, -1, -1);
                json_object_set_new(v, "skip", json_string("over budget"));
                json_object_set_new(v, "extrapolated", json_true());
                json_object_set_new(v, "speedup_extrapolated", json_true());
                json_object_set_new(v, "extrapolated_median_s", json_real(0.5));
            } else {
                double slowest = 1e-6 * ns[k] / (i < 7 ? 1 : 1 + 81.0);
                v = vres(evil_names[i], part, "ok", m, m * 0.95, m * 1.05,
                         slowest / m, 1000 * ns[k] * (1 + i), 500 * ns[k]);
                json_object_set_new(v, "speedup_lo", json_real(slowest / m * 0.9));
                json_object_set_new(v, "speedup_hi", json_real(slowest / m * 1.1));
            }
            json_array_append_new(vars, v);
        }
        json_array_append_new(results, json_pack("{s:I, s:o}", "n", (json_int_t)ns[k],
                                                 "variants", vars));
    }
    json_object_set_new(l, "references", json_pack("{s:s, s:s}", "main", evil_names[0],
                                                   "other", evil_names[9]));
    json_object_set_new(l, "claims", evil_claims());
    json_object_set_new(l, "variants", decls);
    json_object_set_new(l, "results", results);
    json_object_set_new(l, "growth", growth);
    json_object_set_new(l, "sizes", json_pack("[i,i,i]", 1000, 10000, 100000));
    return l;
}

/* The lesson "plain": two variants, two sizes, a question with markup. */
static json_t *plain_lesson(double slow_factor)
{
    json_t *l = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:n}",
                          "id", "plain", "question", "plain <b> & co: which is faster?",
                          "answer", "The vectorized one.", "signal", "Measures.",
                          "trivia", "none", "summary", "vec was 100x faster.", "error");
    json_t *results = json_array();
    static const double ns[] = {1000, 10000};

    for (size_t k = 0; k < N_OF(ns); k++) {
        double loop = 1e-6 * ns[k], vec = 1e-8 * ns[k] * slow_factor;
        json_array_append_new(results, json_pack(
            "{s:I, s:[o,o]}", "n", (json_int_t)ns[k], "variants",
            vres("loop", "main", "ok", loop, loop * 0.98, loop * 1.02, 1, 0, 100),
            vres("vec", "main", "ok", vec, vec * 0.98, vec * 1.02, loop / vec, 8 * ns[k], 100)));
    }
    json_object_set_new(l, "references", json_pack("{s:s}", "main", "loop"));
    json_object_set_new(l, "variants", json_pack("[o,o]", decl("loop", "main", "a loop"),
                                                 decl("vec", "main", "vectorized")));
    json_object_set_new(l, "results", results);
    json_object_set_new(l, "growth", json_array());
    return l;
}

/* A run directory holding results.json with these lessons (stolen). */
static char *make_run(const char *name, json_t *lessons)
{
    char *dir = path_in(scratch, name), *file = path_in(dir, "results.json");
    json_t *doc = json_pack("{s:i, s:s, s:s, s:s, s:f, s:{s:s, s:i, s:s, s:s, s:s, s:s},"
                            " s:o}", "schema", 1, "tool", "pdlab", "pdlab_version", "0.1.0",
                            "started", "2026-01-02T03:04:05Z", "wall_s", 12.5, "machine",
                            "cpu", "Test <CPU>", "cores", 2, "os", "Linux", "python", "3.11.2",
                            "numpy", "1.24.2", "pandas", name, "lessons", lessons);
    pd_err e = {0};

    assert_non_null(doc);
    assert_int_equal(pd_mkdir_p(dir, &e), 0);
    assert_int_equal(json_dump_file(doc, file, JSON_INDENT(1)), 0);
    json_decref(doc);
    free(file);
    return dir;
}

/* Fails unless dir/charts/stem.png is a PNG and stem.svg an SVG; returns
 * the SVG's text (caller frees). */
static char *check_chart(const char *dir, const char *stem)
{
    char *png = pd_strdup_printf("%s/charts/%s.png", dir, stem);
    char *svg = pd_strdup_printf("%s/charts/%s.svg", dir, stem);
    size_t len;
    char *data = slurp(png, &len);

    if (len < 1000 || memcmp(data, "\x89PNG\r\n\x1a\n", 8) != 0)
        fail_msg("%s is not a PNG (%zu bytes)", png, len);
    free(data);
    data = slurp(svg, &len);
    assert_contains(data, "<svg");
    assert_contains(data, "</svg>");
    free(png);
    free(svg);
    return data;
}

/* ------------------------------------------------------------------------
 * Quoting, as data
 * ---------------------------------------------------------------------- */

static void test_quote(void **state)
{
    static const struct {
        const char *in;
        size_t size;   /* room given, NUL included */
        int ret;       /* length, or -1 */
        const char *out;
    } cases[] = {
        {"plain text", 64, 12, "'plain text'"},
        {"", 3, 2, "''"},
        {"it's", 64, 7, "'it''s'"},
        {"a''b", 64, 26, "'a'''.sprintf('%c',39).'b'"},
        {"''", 64, 33, "sprintf('%c',39).sprintf('%c',39)"},
        {"'x'", 64, 22, "sprintf('%c',39).'x'''"},
        {"`touch /tmp/x`", 64, 16, "'`touch /tmp/x`'"},
        {"system(\"touch /tmp/x\")", 64, 24, "'system(\"touch /tmp/x\")'"},
        {"line\none\r\ttab", 64, 15, "'line one  tab'"},
        {"_^{}@&", 64, 8, "'_^{}@&'"},
        {"µs ≈ 3", 64, 11, "'µs ≈ 3'"},
        {"bad \xff byte \xc3", 64, 14, "'bad ? byte ?'"},
        {"c1 \xc2\x85 control", 64, 14, "'c1   control'"},
        {"abc", 6, 5, "'abc'"},      /* exactly fits */
        {"abc", 5, -1, ""},          /* one byte short */
        {"it's", 7, -1, ""},         /* the doubled quote does not fit */
        {"x", 3, -1, ""},
    };
    char buf[64];

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        int ret;
        memset(buf, 'Z', sizeof buf);
        ret = pd_gnuplot_quote(cases[i].in, buf, cases[i].size);
        if (ret != cases[i].ret || strcmp(buf, cases[i].out) != 0)
            fail_msg("case %zu: quote(\"%s\", %zu) = %d \"%s\", want %d \"%s\"", i,
                     cases[i].in, cases[i].size, ret, buf, cases[i].ret, cases[i].out);
    }
    assert_int_equal(pd_gnuplot_quote("x", buf, 0), -1);
}

/* gnuplot itself reads the quoted strings back verbatim and runs nothing. */
static void test_quote_through_gnuplot(void **state)
{
    static const char *texts[] = {
        "`touch PWNED`", "system(\"touch PWNED2\")", "it's '' ` @x $y \\n", "'''start and end'''", "a''''b", "\\' `touch PWNED8` @x",
        "\" `touch PWNED5` \" @x", "# not a comment @x",
        "\" . system('touch PWNED3') . \"", "@macro ^{super}_{sub} &{space}",
    };
    char *dir = path_in(scratch, "quote"), *gp = path_in(dir, "q.gp");
    char *out = path_in(dir, "q.out"), *gnuplot = pd_gnuplot_find();
    char *got, *cmd;
    pd_buf script = {0};
    pd_err e = {0};

    (void)state;
    if (!gnuplot) skip();
    assert_int_equal(pd_mkdir_p(dir, &e), 0);
    pd_buf_puts(&script, "x = 'MACRO'\nset print 'q.out'\n");
    for (size_t i = 0; i < N_OF(texts); i++) {
        char q[256];
        assert_true(pd_gnuplot_quote(texts[i], q, sizeof q) > 0);
        pd_buf_printf(&script, "print %s\n", q);
    }
    pd_buf_puts(&script, "unset print\n");
    assert_int_equal(pd_write_file_atomic(gp, script.s, script.len, &e), 0);
    cmd = pd_strdup_printf("cd '%s' && '%s' -d q.gp", dir, gnuplot);
    assert_int_equal(system(cmd), 0); /* the test's own command, not text */
    got = slurp(out, NULL);
    for (size_t i = 0; i < N_OF(texts); i++) assert_contains(got, texts[i]);
    assert_no_pwned(dir);
    free(got);
    free(cmd);
    pd_buf_free(&script);
    free(gnuplot);
    free(out);
    free(gp);
    free(dir);
}

/* ------------------------------------------------------------------------
 * Choices every view shares
 * ---------------------------------------------------------------------- */

/* Read back through pd_results_read, the views speak where evidence.h
 * says: the largest size with the reference and the most variants of the
 * main part measured. */
/* A speedup near DBL_MAX (1.7e308, from a results.json) pads the axis to
 * infinity: the tics must still come from a finite range, at least two of
 * them, with no undefined cast on the way (UBSan in the sanitized build). */
static void test_log_tics_huge(void **state)
{
    static const double ranges[][2] = {
        {1, 1.7e308 * 1.25}, {0, 1.7e308}, {1e-320, 1}, {NAN, NAN}, {5, 5},
    };
    (void)state;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        pd_buf b = {0};
        double lo = ranges[i][0], hi = ranges[i][1];
        pd_axis_log_tics(&b, 'x', i % 2, pd_fmt_ratio, &lo, &hi);
        assert_true(isfinite(lo) && isfinite(hi) && lo > 0 && hi >= lo);
        assert_non_null(strstr(b.s, "set xtics ("));
        assert_non_null(strchr(strchr(b.s, '(') + 1, ',')); /* two tics or more */
        free(b.s);
    }
}

static void test_speaking_size(void **state)
{
    char *dir = make_run("speaking", json_pack("[o]", evil_lesson()));
    char *file = path_in(dir, "results.json");
    pd_run run;
    pd_err e = {0};
    pd_lesson_result *l;

    (void)state;
    if (pd_results_read(file, &run, &e) < 0) fail_msg("%s", e.msg);
    l = &run.lessons[0];
    assert_int_equal(pd_lesson_main_part(&l->lesson), 0);
    /* The first claim names n = 100,000 for a variant of main. */
    assert_int_equal(pd_speaking_size(l, 0), 2);
    /* The other part: its reference ran correctly at the two smaller. */
    assert_int_equal(pd_speaking_size(l, 1), 1);
    assert_true(pd_chart_expected(l, "memory"));
    assert_true(pd_chart_expected(l, "time"));
    assert_true(pd_variant_extrapolated(&l->sizes[2].variants[9]));
    assert_int_equal(l->sizes[2].variants[9].skip, PD_SKIP_BUDGET);
    pd_run_free(&run);
    free(file);
    free(dir);
}

/* ------------------------------------------------------------------------
 * Charts
 * ---------------------------------------------------------------------- */

static void test_charts(void **state)
{
    char *dir = make_run("run", json_pack("[o,o]", evil_lesson(), plain_lesson(1)));
    char *svg, *cwd = getcwd(NULL, 0), *log_text = NULL, *gnuplot = pd_gnuplot_find();
    size_t log_len = 0;
    FILE *log = open_memstream(&log_text, &log_len);
    pd_err e = {0};
    int rc;

    (void)state;
    if (!gnuplot) skip();
    assert_int_equal(chdir(scratch), 0);
    rc = pd_plot_results(dir, log, &e);
    assert_int_equal(chdir(cwd), 0);
    fclose(log);
    if (rc != 0) fail_msg("pd_plot_results: %s", e.msg);
    assert_no_pwned(scratch);
    assert_false(exists("PWNED") || exists("PWNED2") || exists("/tmp/PWNED"));

    svg = check_chart(dir, "evil-speedup");
    assert_contains(svg, evil_in_svg);
    /* The wrong and the raising variant get their word, not a bar. */
    assert_contains(svg, "wrong: result differs");
    assert_contains(svg, "raised an exception");
    assert_contains(svg, "back`touch PWNED3`tick");
    assert_contains(svg, "&lt;script");
    /* Each part at the size that speaks for it. */
    assert_contains(svg, "main · n = 100,000");
    assert_contains(svg, "other · n = 10,000");
    assert_not_contains(svg, "≈");
    free(svg);
    svg = check_chart(dir, "evil-time");
    assert_contains(svg, evil_in_svg);
    assert_contains(svg, "it's  n^1.2"); /* the legend gives the growth */
    assert_contains(svg, "extrapolated");
    free(svg);
    free(check_chart(dir, "evil-memory"));
    svg = check_chart(dir, "plain-speedup");
    assert_contains(svg, "plain &lt;b> &amp; co: which is faster?");
    assert_contains(svg, "100x");
    free(svg);
    free(check_chart(dir, "plain-time"));
    /* loop's peak is under a page: at the floor, its Python heap beside. */
    svg = check_chart(dir, "plain-memory");
    assert_contains(svg, "&lt; 4 KiB");
    assert_contains(svg, "loop: Python heap (tracemalloc)");
    assert_contains(svg, "peak resident set growth");
    free(svg);
    /* evil leads with a memory claim: less memory, never faster. */
    svg = check_chart(dir, "overview");
    assert_contains(svg, "7.0x less memory: plain vs q\"uote, n = 100,000");
    assert_contains(svg, "100x faster: vec vs loop, n = 10,000");
    assert_not_contains(svg, "faster: plain");
    free(svg);
    assert_contains(log_text, "charts/overview.png");

    free(log_text);
    free(gnuplot);
    free(cwd);
    free(dir);
}

/* A % in a lesson id, variant or part name reaches gnuplot's tic labels,
 * which it reads as formats: unescaped, "x%s%n" fails the whole chart. */
static void test_percent_names(void **state)
{
    json_t *l = plain_lesson(1);
    char *dir, *svg, *gnuplot = pd_gnuplot_find();
    pd_err e = {0};

    (void)state;
    if (!gnuplot) skip();
    json_object_set_new(l, "id", json_string("50%off"));
    json_object_set_new(l, "references", json_pack("{s:s, s:s}", "main", "loop", "5%", "vec"));
    json_object_set_new(l, "variants", json_pack("[o,o]", decl("loop", "main", "x"),
                                                 decl("vec", "5%", "y")));
    json_object_set_new(json_array_get(json_object_get(json_array_get(
        json_object_get(l, "results"), 0), "variants"), 0), "name", json_string("x%s%n"));
    json_object_set_new(json_array_get(json_object_get(l, "variants"), 0), "name",
                        json_string("x%s%n"));
    json_object_set_new(l, "references", json_pack("{s:s, s:s}", "main", "x%s%n", "5%", "vec"));
    dir = make_run("percent", json_pack("[o]", l));
    if (pd_plot_results(dir, NULL, &e) != 0) fail_msg("pd_plot_results: %s", e.msg);
    svg = check_chart(dir, "50_off-time");
    assert_contains(svg, "x%s%n");
    free(svg);
    svg = check_chart(dir, "overview");
    assert_contains(svg, "50%off");
    free(svg);
    free(gnuplot);
    free(dir);
}

/* One lesson: the overview has a single bar and no note, which once
 * crashed gnuplot (a labels plot of a one-line file with no valid point). */
static void test_single_bar(void **state)
{
    char *dir = make_run("single", json_pack("[o]", plain_lesson(1)));
    char *gnuplot = pd_gnuplot_find();
    pd_err e = {0};

    (void)state;
    if (!gnuplot) skip();
    if (pd_plot_results(dir, NULL, &e) != 0) fail_msg("pd_plot_results: %s", e.msg);
    free(check_chart(dir, "overview"));
    free(gnuplot);
    free(dir);
}

/* A failed rename leaves no chart and no half-written file behind. */
static int fail_rename(const char *from, const char *to)
{
    (void)from;
    (void)to;
    errno = EIO;
    return -1;
}

static void test_charts_atomic(void **state)
{
    char *dir = make_run("atomic", json_pack("[o]", plain_lesson(1)));
    char *png = path_in(dir, "charts/plain-speedup.png");
    char *part = path_in(dir, "charts/plain-speedup.png.part");
    char *gnuplot = pd_gnuplot_find();
    int (*saved)(const char *, const char *) = pd_sys.rename;
    pd_err e = {0};
    int rc;

    (void)state;
    if (!gnuplot) skip();
    pd_sys.rename = fail_rename;
    rc = pd_plot_results(dir, NULL, &e);
    pd_sys.rename = saved;
    assert_int_equal(rc, PD_PLOT_FAILED);
    assert_contains(e.msg, "plain");
    assert_false(exists(png));
    assert_false(exists(part));
    free(gnuplot);
    free(part);
    free(png);
    free(dir);
}

/* A gnuplot that fails: the error names the script and quotes gnuplot. */
static void test_gnuplot_fails(void **state)
{
    char *dir = make_run("gpfails", json_pack("[o]", plain_lesson(1)));
    char *bin = path_in(scratch, "fake-bin"), *fake = path_in(bin, "gnuplot");
    char *png = path_in(dir, "charts/plain-speedup.png");
    char *saved = pd_strdup(getenv("PATH"));
    static const char script[] = "#!/bin/sh\necho 'line 7: no such terminal' >&2\nexit 1\n";
    pd_err e = {0};
    int rc;

    (void)state;
    assert_int_equal(pd_mkdir_p(bin, &e), 0);
    assert_int_equal(pd_write_file_atomic(fake, script, strlen(script), &e), 0);
    assert_int_equal(chmod(fake, 0755), 0);
    setenv("PATH", bin, 1);
    rc = pd_plot_results(dir, NULL, &e);
    setenv("PATH", saved, 1);
    assert_int_equal(rc, PD_PLOT_FAILED);
    assert_contains(e.msg, "gnuplot failed (exit 1)");
    assert_contains(e.msg, "charts/plain-speedup.gp");
    assert_contains(e.msg, "line 7: no such terminal");
    assert_false(exists(png));
    free(saved);
    free(png);
    free(fake);
    free(bin);
    free(dir);
}

/* Runs fn with PATH holding only an empty directory: no gnuplot. */
static int without_gnuplot(int (*fn)(const char *, pd_err *), const char *dir, pd_err *e)
{
    char *saved = pd_strdup(getenv("PATH"));
    char *empty = path_in(scratch, "empty-bin");
    int rc;

    assert_int_equal(pd_mkdir_p(empty, e), 0);
    setenv("PATH", empty, 1);
    rc = fn(dir, e);
    if (saved) setenv("PATH", saved, 1);
    else unsetenv("PATH");
    free(saved);
    free(empty);
    return rc;
}

static int plot_quietly(const char *dir, pd_err *e)
{
    return pd_plot_results(dir, NULL, e);
}

static void test_no_gnuplot(void **state)
{
    char *dir = make_run("nognuplot", json_pack("[o]", plain_lesson(1)));
    char *charts = path_in(dir, "charts");
    pd_err e = {0};

    (void)state;
    assert_int_equal(without_gnuplot(plot_quietly, dir, &e), PD_PLOT_NO_GNUPLOT);
    assert_contains(e.msg, "gnuplot is not installed");
    assert_contains(e.msg, "apt-get install gnuplot-nox");
    assert_contains(e.msg, "pdlab plot");
    assert_contains(e.msg, "results.json");
    assert_false(exists(charts));
    free(charts);
    free(dir);
}

/* ------------------------------------------------------------------------
 * Report
 * ---------------------------------------------------------------------- */

static void test_report(void **state)
{
    char *dir = path_in(scratch, "run"), *html_path = path_in(dir, "report.html");
    char *html;
    pd_err e = {0};

    (void)state;
    if (!exists(dir)) skip(); /* test_charts made it */
    if (pd_report_write(dir, &e) != 0) fail_msg("pd_report_write: %s", e.msg);
    html = slurp(html_path, NULL);
    assert_contains(html, evil_in_html);
    assert_contains(html, "plain &lt;b&gt; &amp; co: which is faster?");
    assert_contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assert_contains(html, "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>");
    assert_contains(html, "3 of 10 values &lt;differ&gt;");
    assert_contains(html, "ValueError: bad &lt;value&gt;"); /* the last line */
    assert_contains(html, "Test &lt;CPU&gt;");
    assert_not_contains(html, "<b>plain</b>");
    /* Claims: a mark each, and the card says not all were borne out. */
    assert_int_equal(count(html, "<li class=\"claim confirmed\"><span class=\"mark\">✓"), 1);
    assert_int_equal(count(html, "<li class=\"claim not-confirmed\"><span class=\"mark\">✗"), 1);
    assert_int_equal(count(html, "<li class=\"claim not-measured\">"), 1);
    assert_contains(html, "Measured 10x (95% interval 9.0x – 11x)");
    assert_contains(html, "it raised at every size &lt;b&gt;");
    assert_contains(html, "data-claims-unconfirmed=\"2\"");
    assert_contains(html, "⚠ Of 3 claims, 1 not confirmed and 1 not measured");
    /* Not run: why, and the extrapolated time. */
    assert_contains(html, "not run: over budget");
    assert_contains(html, "<td class=\"num extrap\">~ 500 ms</td>");
    assert_not_contains(html, "≈");
    /* The headline in the index: memory, not speed. */
    assert_contains(html, "7.0x less memory: plain vs q&quot;uote");
    assert_not_contains(html, "<tags>");
    /* One script, the report's own. */
    assert_int_equal(count(html, "<script"), 1);
    /* Every chart inlined as its SVG: overview, 3 + 3 lesson charts. */
    assert_int_equal(count(html, "<svg class=\"chart\""), 7);
    assert_int_equal(count(html, "data:image/png;base64,"), 0);
    assert_not_contains(html, "Chart not drawn");
    assert_not_contains(html, "src=\"http");
    free(html);
    free(html_path);
    free(dir);
}

static int report(const char *dir, pd_err *e)
{
    return pd_report_write(dir, e);
}

static void test_report_without_charts(void **state)
{
    char *dir = make_run("nocharts", json_pack("[o]", plain_lesson(1)));
    char *html_path = path_in(dir, "report.html"), *html;
    pd_err e = {0};

    (void)state;
    assert_int_equal(without_gnuplot(report, dir, &e), 0);
    html = slurp(html_path, NULL);
    assert_int_equal(count(html, "data:image/png"), 0);
    assert_int_equal(count(html, "<svg"), 0);
    assert_contains(html, "Chart not drawn: gnuplot is not installed");
    assert_contains(html, "apt-get install gnuplot-nox");
    assert_contains(html, "pdlab plot ");
    free(html);
    free(html_path);
    free(dir);
}

/* Python source in the report: each token class in its span, every byte
 * escaped, and code that does not tokenize shown whole. */
static void test_python_source(void **state)
{
    static const struct { const char *src, *want; } cases[] = {
        {"def f(x):\n    return x", "<span class=\"k\">def</span> <span class=\"f\">f"
                                   "</span>(x):\n    <span class=\"k\">return</span> x"},
        {"@lesson.variant(kind=\"loop\")", "<span class=\"d\">@lesson.variant</span>("
                                          "kind=<span class=\"s\">&quot;loop&quot;</span>)"},
        {"x = 1e-5 + 0x1F  # <b>&", "x = <span class=\"n\">1e-5</span> + <span "
                                    "class=\"n\">0x1F</span>  <span class=\"c\"># "
                                    "&lt;b&gt;&amp;</span>"},
        {"s = f'{a}' + rb\"\\\"\"", "s = <span class=\"s\">f&#39;{a}&#39;</span> + "
                                    "<span class=\"s\">rb&quot;\\&quot;&quot;</span>"},
        {"'''a\n'b'\n'''x", "<span class=\"s\">&#39;&#39;&#39;a\n&#39;b&#39;\n"
                            "&#39;&#39;&#39;</span>x"},
        {"a < b and 'open\nc", "a &lt; b <span class=\"k\">and</span> <span class=\"s\">"
                               "&#39;open</span>\nc"},
        {"x @ y", "x @ y"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_buf b = {0};
        pd_html_python(&b, cases[i].src);
        if (strcmp(b.s ? b.s : "", cases[i].want) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, b.s, cases[i].want);
        pd_buf_free(&b);
    }
}

/* ------------------------------------------------------------------------
 * Compare
 * ---------------------------------------------------------------------- */

/* The line of the table on which name first appears at n = 10,000. */
static char *table_line(const char *text, const char *name)
{
    const char *p = strstr(text, "n = 10,000"), *end;
    char *needle = pd_strdup_printf("\n  %s ", name), *line;

    assert_non_null(p);
    p = strstr(p, needle);
    assert_non_null(p);
    p += 1;
    end = strchr(p, '\n');
    line = pd_strdup_printf("%.*s", (int)(end ? end - p : (long)strlen(p)), p);
    free(needle);
    return line;
}

static void test_compare(void **state)
{
    /* In B, "vec" takes twice as long, but three samples a side cannot
     * reach p < 0.002: said, not flagged. "loop" is identical: not
     * flagged. */
    char *a = make_run("cmp-a", json_pack("[o]", plain_lesson(1)));
    char *b = make_run("cmp-b", json_pack("[o]", plain_lesson(2)));
    char *out_dir = path_in(scratch, "cmp-out"), *html_path = path_in(out_dir, "compare.html");
    char *text = NULL, *line, *html;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    pd_err e = {0};
    int rc;

    (void)state;
    rc = pd_compare_runs(a, b, out_dir, out, &e);
    fclose(out);
    if (rc != 0) fail_msg("pd_compare_runs: %s", e.msg);
    assert_contains(text, "cmp-a");
    assert_contains(text, "pandas cmp-b"); /* the machines in the header */
    line = table_line(text, "vec");
    assert_contains(line, "2.0x");
    assert_contains(line, "too few samples (3, 3)");
    assert_not_contains(line, "*");
    free(line);
    line = table_line(text, "loop");
    assert_contains(line, "1.0x");
    assert_not_contains(line, "*");
    free(line);
    assert_contains(text, "0 changes, marked *");
    assert_contains(text, "4 timings had too few samples to tell");

    html = slurp(html_path, NULL);
    assert_contains(html, "plain &lt;b&gt; &amp; co");
    assert_contains(html, "<td class=\"diff\">cmp-a</td>"); /* pandas differs */
    {
        char *gp = pd_gnuplot_find(); /* with gnuplot, the chart is inlined */
        if (gp) assert_int_equal(count(html, "<svg class=\"chart\""), 1);
        free(gp);
    }
    free(html);
    free(text);
    free(html_path);
    free(out_dir);
    free(b);
    free(a);
}

/* ------------------------------------------------------------------------
 * Spawn (base/spawn.c, which gnuplot is started with)
 * ---------------------------------------------------------------------- */

/* Whether pid is gone or a zombie waiting for whoever inherited it. */
static int dead(long pid)
{
    char path[64], *stat;
    int gone;

    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!exists(path)) return 1;
    stat = slurp(path, NULL);
    gone = strstr(stat, ") Z ") != NULL || strstr(stat, ") X ") != NULL;
    free(stat);
    return gone;
}

/* The child's stdout goes to a file, fd 3 to the pipe; killing the group
 * ends what the child started too. */
static void test_spawn_group(void **state)
{
    const char *argv[] = {"sh", "-c", "echo to-file; sleep 60 & echo $! >&3; wait", NULL};
    char *out = path_in(scratch, "spawn.out"), *text, buf[64] = {0}, how[64];
    pd_child c = {.path = "/bin/sh", .argv = argv, .in = PD_IO_NULL, .out = PD_IO_FILE,
                  .out_path = out, .err = PD_IO_STDOUT, .pipe_fd = 3};
    pd_err e = {0};
    long grandchild;
    int status;
    ssize_t n;

    (void)state;
    if (pd_child_start(&c, &e) < 0) fail_msg("%s", e.msg);
    assert_true(c.pid > 0);
    n = read(c.pipe, buf, sizeof buf - 1);
    assert_true(n > 0);
    grandchild = strtol(buf, NULL, 10);
    assert_true(grandchild > 0);
    assert_int_equal(pd_child_kill(&c, SIGKILL), 0);
    assert_int_equal(pd_child_wait(&c, &status, &e), 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_contains(pd_child_status_text(status, how, sizeof how), "signal 9");
    for (int i = 0; i < 200 && !dead(grandchild); i++) usleep(10000);
    assert_true(dead(grandchild));
    assert_int_equal(c.pipe, -1);
    text = slurp(out, NULL);
    assert_string_equal(text, "to-file\n");
    free(text);
    free(out);
    {   /* A program that is not there: an error naming it and nothing to
         * wait for; or, where posix_spawn cannot see the exec fail (under
         * valgrind, which forks), a child that exits 127. */
        const char *none[] = {"nope", NULL};
        pd_child d = {.path = "/nonexistent/nope", .argv = none, .pipe_fd = 5};
        if (pd_child_start(&d, &e) == 0) {
            assert_int_equal(pd_child_wait(&d, &status, &e), 0);
            assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 127);
        } else {
            assert_contains(e.msg, "/nonexistent/nope");
            assert_int_equal(d.pid, 0);
            assert_int_equal(d.pipe, -1);
        }
    }
}

int main(void)
{
    const char *base = getenv("PDLAB_TEST_DIR");
    char *tmpl = pd_strdup_printf("%s/test_plot.XXXXXX", base ? base : "/tmp");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_quote_through_gnuplot),
        cmocka_unit_test(test_speaking_size),
        cmocka_unit_test(test_log_tics_huge),
        cmocka_unit_test(test_charts),
        cmocka_unit_test(test_single_bar),
        cmocka_unit_test(test_percent_names),
        cmocka_unit_test(test_charts_atomic),
        cmocka_unit_test(test_gnuplot_fails),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_report_without_charts),
        cmocka_unit_test(test_python_source),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_spawn_group),
    };
    int rc;

    scratch = mkdtemp(tmpl);
    if (!scratch) {
        perror(tmpl);
        return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(tmpl);
    return rc;
}
