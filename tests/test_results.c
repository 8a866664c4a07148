/* Unit tests for bench/result.c, bench/results.c and plots/table.c.
 *
 * One run is built by hand: a lesson "demo" with two parts (main and
 * pairwise), three sizes, a variant that comes out wrong, one that raises at
 * the largest size, and one capped by max_n. Its medians follow exact power
 * laws, so speedups and growth exponents are known in advance. The run is
 * finished, written to results.json, read back, and printed as a table; the
 * human-unit formatters are checked as data, exact text against exact text.
 *
 * Files go to $PDLAB_TEST_DIR (or /tmp). */

#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/result.h"
#include "pdlab/results.h"
#include "pdlab/stats.h"
#include "pdlab/table.h"


#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define assert_near(got, want, rel)                                         \
    do {                                                                    \
        double g_ = (got), w_ = (want);                                     \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_)))                           \
            fail_msg("%s = %.17g, want %.17g", #got, g_, w_);               \
    } while (0)

/* ------------------------------------------------------------------------
 * The hand-built run
 * ---------------------------------------------------------------------- */

static const uint64_t sizes[] = {1000, 10000, 100000};

/* One declared variant and how it behaves: median = coef * n^power and
 * peak = mem * n^mem_power while it is correct; at and above fail_n it
 * ends with fail_status instead. */
typedef struct {
    const char *name, *kind, *part;
    uint64_t max_n;
    int mutates;
    double coef, power, mem, mem_power;
    pd_status status;       /* at the sizes below fail_n */
    uint64_t fail_n;        /* 0: never fails */
    pd_status fail_status;
} decl;

static const decl decls[] = {
    {"loop", "loop", "main", 0, 0, 1e-6, 1, 4, 1, PD_OK, 0, PD_OK},
    {"vec", "vectorized", "main", 0, 0, 1e-8, 1, 8, 1, PD_OK, 0, PD_OK},
    {"chained", "loop", "main", 0, 1, 1e-7, 1, 4, 1, PD_WRONG, 0, PD_OK},
    {"apply_fn", "apply", "main", 0, 0, 4e-7, 1, 4, 1, PD_OK, 100000,
     PD_RAISED},
    {"pw_loop", "loop", "pairwise", 10000, 0, 1e-9, 2, 16, 1, PD_OK, 100000,
     PD_NOT_RUN},
    {"pw_bcast", "numpy", "pairwise", 0, 0, 1e-8, 1, 1, 2, PD_OK, 0, PD_OK},
};

enum { LOOP, VEC, CHAINED, APPLY, PW_LOOP, PW_BCAST };

static char **strv(size_t n, ...)
{
    char **v = pd_xcalloc(n, sizeof *v);
    va_list ap;

    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = pd_strdup(va_arg(ap, const char *));
    va_end(ap);
    return v;
}

/* Every string malloc'd, as pd_lesson_load leaves them, so the real
 * pd_lesson_free releases them. */
static void build_lesson(pd_lesson *l)
{
    memset(l, 0, sizeof *l);
    l->id = pd_strdup("demo");
    l->path = pd_strdup("lessons/demo.py");
    l->question = pd_strdup("Why is vectorized code faster?");
    l->answer = pd_strdup("It runs the loop in C.");
    l->signal = pd_strdup("Knows where the time goes.");
    l->trivia = pd_strdup("none");
    l->dataset = pd_strdup("numbers");
    l->nparts = 2;
    l->parts = strv(2, "main", "pairwise");
    l->references = strv(2, "vec", "pw_bcast");
    l->nsizes = N_OF(sizes);
    l->sizes = pd_xcalloc(l->nsizes, sizeof *l->sizes);
    memcpy(l->sizes, sizes, sizeof sizes);
    l->nvariants = N_OF(decls);
    l->variants = pd_xcalloc(l->nvariants, sizeof *l->variants);
    for (size_t k = 0; k < l->nvariants; k++) {
        pd_variant_info *v = &l->variants[k];
        v->name = pd_strdup(decls[k].name);
        v->kind = pd_strdup(decls[k].kind);
        v->part = pd_strdup(decls[k].part);
        v->doc = pd_strdup("");
        v->max_n = decls[k].max_n;
        v->mutates = decls[k].mutates;
    }
}

static void build_variant(pd_variant_result *v, const decl *d, uint64_t n)
{
    double x = (double)n;
    pd_status st = d->fail_n && n >= d->fail_n ? d->fail_status : d->status;
    double m = d->coef * pow(x, d->power);

    v->name = pd_strdup(d->name);
    v->kind = pd_strdup(d->kind);
    v->status = st;
    v->skip = st == PD_NOT_RUN ? PD_SKIP_MAX_N : PD_SKIP_NONE;
    v->first_call_s = NAN;
    v->peak_bytes = v->py_peak_bytes = -1;
    v->speedup = 42; /* finish must overwrite every one */
    if (st == PD_OK || st == PD_WRONG) {
        /* Median of {0.9m, m, 1.2m} is m exactly. */
        v->nsamples = 3;
        v->samples = pd_xcalloc(3, sizeof *v->samples);
        v->samples[0] = 1.2 * m;
        v->samples[1] = 0.9 * m;
        v->samples[2] = m;
        assert_int_equal(pd_stats_compute(v->samples, 3, &v->stats), 0);
        v->loops = 10;
        v->first_call_s = 2 * m;
        v->peak_bytes = (int64_t)(d->mem * pow(x, d->mem_power));
        v->py_peak_bytes = v->peak_bytes / 2;
    }
    if (st == PD_WRONG) {
        v->mismatch = pd_strdup("the frame was unchanged: column b still "
                                "has 0 ones.\ndetails follow");
        v->warnings = pd_strdup("SettingWithCopyWarning: A value is trying "
                                "to be set on a copy\nFutureWarning: soon\n");
    }
    if (st == PD_RAISED)
        v->error = pd_strdup("Traceback (most recent call last):\n"
                             "  File \"demo.py\", line 9, in apply_fn\n"
                             "KeyError: 'b'\n");
}

static void build_run(pd_run *r)
{
    pd_lesson_result *l;

    memset(r, 0, sizeof *r);
    snprintf(r->started, sizeof r->started, "2024-05-01T10:00:00Z");
    r->wall_s = 61.5;
    snprintf(r->machine.cpu, sizeof r->machine.cpu, "Test CPU");
    r->machine.cores = 8;
    snprintf(r->machine.os, sizeof r->machine.os, "Linux");
    snprintf(r->machine.python, sizeof r->machine.python, "3.11.2");
    snprintf(r->machine.numpy, sizeof r->machine.numpy, "1.24.2");
    snprintf(r->machine.pandas, sizeof r->machine.pandas, "1.5.3");
    /* numexpr and hdf5 left empty: not found */

    r->nlessons = 1;
    r->lessons = pd_xcalloc(1, sizeof *r->lessons);
    l = &r->lessons[0];
    build_lesson(&l->lesson);
    l->nsizes = N_OF(sizes);
    l->sizes = pd_xcalloc(l->nsizes, sizeof *l->sizes);
    for (size_t i = 0; i < l->nsizes; i++) {
        pd_size_result *s = &l->sizes[i];
        s->n = sizes[i];
        s->nvariants = N_OF(decls);
        s->variants = pd_xcalloc(s->nvariants, sizeof *s->variants);
        for (size_t k = 0; k < s->nvariants; k++)
            build_variant(&s->variants[k], &decls[k], s->n);
    }
    /* 812 MB/s at the largest size; the others have no load figure. */
    l->sizes[2].load_s = 0.0125;
    l->sizes[2].load_bytes = 10150000;
    pd_lesson_result_derive(l);
}

static int setup_run(void **state)
{
    pd_run *r = pd_xcalloc(1, sizeof *r);
    build_run(r);
    *state = r;
    return 0;
}

static int teardown_run(void **state)
{
    pd_run_free(*state);
    free(*state);
    return 0;
}

static pd_variant_result *at(pd_run *r, size_t size, size_t k)
{
    return &r->lessons[0].sizes[size].variants[k];
}

/* $PDLAB_TEST_DIR/name, newly allocated. */
static char *scratch_path(const char *name)
{
    const char *dir = getenv("PDLAB_TEST_DIR");
    return pd_strdup_printf("%s/%s", dir && *dir ? dir : "/tmp", name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------------
 * Status words and freeing
 * ---------------------------------------------------------------------- */

static void test_status_words_round_trip(void **state)
{
    static const struct { pd_status s; const char *word; } c[] = {
        {PD_OK, "ok"}, {PD_WRONG, "wrong"}, {PD_RAISED, "raised"},
        {PD_TIMEOUT, "timeout"}, {PD_CRASHED, "crashed"},
        {PD_NO_MEMORY, "no_memory"}, {PD_NOT_RUN, "not_run"},
    };
    pd_status got;

    for (size_t i = 0; i < N_OF(c); i++) {
        assert_string_equal(pd_status_word(c[i].s), c[i].word);
        got = PD_OK;
        assert_int_equal(pd_status_parse(c[i].word, &got), 0);
        assert_int_equal(got, c[i].s);
    }
    assert_string_equal(pd_status_word((pd_status)99), "unknown");
    assert_int_equal(pd_status_parse("bogus", &got), -1);
    assert_int_equal(pd_status_parse("unknown", &got), -1);
    assert_int_equal(pd_status_parse(NULL, &got), -1);
}

static void test_free_accepts_null_and_twice(void **state)
{
    pd_run r;

    pd_variant_result_free(NULL);
    pd_size_result_free(NULL);
    pd_lesson_result_free(NULL);
    pd_run_free(NULL);
    build_run(&r);
    pd_run_free(&r);
    pd_run_free(&r); /* zeroed by the first call */
}

/* ------------------------------------------------------------------------
 * Speedups, growth, summary
 * ---------------------------------------------------------------------- */

static void test_speedups_per_size_and_part(void **state)
{
    pd_run *r = *state;

    /* n = 1,000, main: slowest correct is loop (1 ms). */
    assert_near(at(r, 0, LOOP)->speedup, 1, 1e-12);
    assert_near(at(r, 0, VEC)->speedup, 100, 1e-9);
    assert_near(at(r, 0, APPLY)->speedup, 2.5, 1e-9);
    assert_true(isnan(at(r, 0, CHAINED)->speedup));
    /* pairwise is its own exercise: pw_loop 1 ms, pw_bcast 10 µs. */
    assert_near(at(r, 0, PW_LOOP)->speedup, 1, 1e-12);
    assert_near(at(r, 0, PW_BCAST)->speedup, 100, 1e-9);
    /* n = 10,000 */
    assert_near(at(r, 1, PW_BCAST)->speedup, 1000, 1e-9);
    /* n = 100,000: apply_fn raised, pw_loop not run. */
    assert_near(at(r, 2, VEC)->speedup, 100, 1e-9);
    assert_near(at(r, 2, LOOP)->speedup, 1, 1e-12);
    assert_true(isnan(at(r, 2, APPLY)->speedup));
    assert_true(isnan(at(r, 2, CHAINED)->speedup));
    /* pw_loop was not run at 100,000: its time there is extrapolated from
     * its fitted growth, and pw_bcast's speedup against it is marked. */
    assert_true(at(r, 2, PW_LOOP)->extrapolated);
    assert_near(at(r, 2, PW_LOOP)->stats.median,
                pd_fit_predict(&r->lessons[0].growth[PW_LOOP].time, 100000), 1e-12);
    assert_false(at(r, 2, PW_BCAST)->extrapolated);
    assert_true(at(r, 2, PW_BCAST)->speedup_extrapolated);
    assert_near(at(r, 2, PW_BCAST)->speedup,
                at(r, 2, PW_LOOP)->stats.median / at(r, 2, PW_BCAST)->stats.median, 1e-9);
    assert_false(at(r, 2, VEC)->speedup_extrapolated);
}

static void test_growth_exponents(void **state)
{
    pd_run *r = *state;
    const pd_growth *g = r->lessons[0].growth;

    assert_non_null(g);
    assert_true(g[LOOP].has_time);
    assert_near(g[LOOP].time.exponent, 1, 1e-9);
    assert_near(g[LOOP].time.r2, 1, 1e-9);
    assert_int_equal(g[LOOP].time.points, 3);
    assert_true(g[LOOP].has_memory);
    assert_near(g[LOOP].memory.exponent, 1, 1e-9);
    /* Only the sizes where it was correct: 1,000 and 10,000. */
    assert_true(g[PW_LOOP].has_time);
    assert_near(g[PW_LOOP].time.exponent, 2, 1e-9);
    assert_int_equal(g[PW_LOOP].time.points, 2);
    assert_near(g[PW_BCAST].memory.exponent, 2, 1e-9);
    assert_int_equal(g[APPLY].time.points, 2);
    /* Never correct: no fit. */
    assert_false(g[CHAINED].has_time);
    assert_false(g[CHAINED].has_memory);
}

static void test_summary_sentence(void **state)
{
    pd_run *r = *state;

    /* Main speaks at 10,000, where three variants were measured correct
     * (apply_fn raised at 100,000), with no memory ratio: its peaks (40 and
     * 80 KB) are under the 64 KiB floor. Pairwise adds the extrapolated
     * trend. */
    assert_string_equal(r->lessons[0].summary,
        "At 10,000 rows the fastest correct main variant, vec (vectorized), "
        "was 100x faster than loop (loop); at "
        "10,000 rows the fastest correct pairwise variant, pw_bcast (numpy), "
        "was 1000x faster than pw_loop (loop) and used 625x its memory, and "
        "~10000x faster than pw_loop at 100,000 rows by extrapolation; "
        "chained was WRONG (the frame was unchanged: column b still has 0 "
        "ones) and raised SettingWithCopyWarning; apply_fn failed (raised at "
        "100,000 rows).");
}

/* focus="memory": the verdict compares peak memory, lowest against highest. */
static void test_summary_memory_focus(void **state)
{
    pd_run *r = *state;
    pd_lesson_result *l = &r->lessons[0];

    l->lesson.focus = pd_strdup("memory");
    pd_lesson_result_derive(l);
    /* The largest size with two variants to compare: at 100,000 rows loop
     * peaks at 4n = 400,000 bytes, vec at 8n (apply_fn raised there). */
    assert_contains(l->summary, "At 100,000 rows loop (loop) peaked at 391 KiB of memory "
                                "against 781 KiB for vec (vectorized), 2.0x less, and "
                                "took 100x its time");
}

/* focus="growth": the verdict names the steepest and flattest exponents. */
static void test_summary_growth_focus(void **state)
{
    pd_run *r = *state;
    pd_lesson_result *l = &r->lessons[0];

    l->lesson.focus = pd_strdup("growth");
    /* Make loop quadratic: 1e-9 n^2 seconds at every size. */
    for (size_t i = 0; i < l->nsizes; i++) {
        pd_variant_result *v = at(r, i, LOOP);
        double m = 1e-9 * (double)l->sizes[i].n * (double)l->sizes[i].n;
        for (size_t j = 0; j < v->nsamples; j++) v->samples[j] = m;
        pd_stats_compute(v->samples, v->nsamples, &v->stats);
    }
    pd_lesson_result_derive(l);
    assert_contains(l->summary, "In this run time grew as n^2.00 for loop (loop) against "
                                "n^1.00 for vec (vectorized)");
}

/* One part, only the reference correct at the top size, no memory figure,
 * and a lesson error after the first size. */
static void test_summary_single_part_and_nothing(void **state)
{
    pd_lesson_result l;
    static const decl one[] = {
        {"ref", "numpy", "main", 0, 0, 1e-8, 1, 0, 1, PD_OK, 0, PD_OK},
        {"slow", "loop", "main", 0, 0, 1e-6, 1, 0, 1, PD_OK, 10000,
         PD_TIMEOUT},
    };

    memset(&l, 0, sizeof l);
    build_lesson(&l.lesson);
    for (size_t k = 2; k < l.lesson.nvariants; k++) {
        pd_variant_info *v = &l.lesson.variants[k];
        free(v->name); free(v->kind); free(v->part); free(v->doc);
    }
    l.lesson.nvariants = 2;
    for (size_t k = 0; k < 2; k++) {
        free(l.lesson.variants[k].name);
        free(l.lesson.variants[k].part);
        l.lesson.variants[k].name = pd_strdup(one[k].name);
        l.lesson.variants[k].part = pd_strdup("main");
    }
    pd_strv_free(l.lesson.parts, 2);
    pd_strv_free(l.lesson.references, 2);
    l.lesson.nparts = 1;
    l.lesson.parts = strv(1, "main");
    l.lesson.references = strv(1, "ref");
    l.nsizes = 2;
    l.sizes = pd_xcalloc(2, sizeof *l.sizes);
    for (size_t i = 0; i < 2; i++) {
        l.sizes[i].n = sizes[i];
        l.sizes[i].nvariants = 2;
        l.sizes[i].variants = pd_xcalloc(2, sizeof *l.sizes[i].variants);
        for (size_t k = 0; k < 2; k++)
            build_variant(&l.sizes[i].variants[k], &one[k], sizes[i]);
    }
    pd_lesson_result_derive(&l);
    /* Largest size with two correct variants is 1,000; memory is 0 there. */
    assert_string_equal(l.summary,
        "At 1,000 rows the fastest correct variant, ref (numpy), was 100x "
        "faster than slow (loop); slow failed (timeout at 10,000 rows).");

    /* Drop the first size: only the reference is left. */
    l.sizes[1].variants[1].status = PD_NOT_RUN;
    pd_size_result_free(&l.sizes[0]);
    l.sizes[0] = l.sizes[1];
    l.nsizes = 1;
    pd_lesson_result_derive(&l);
    assert_string_equal(l.summary,
        "At 10,000 rows only the reference, ref (numpy), was correct "
        "(100 µs).");

    /* Nothing correct, and the lesson stopped. */
    l.sizes[0].variants[0].status = PD_CRASHED;
    l.error = pd_strdup("worker died: signal 9\nlog follows");
    pd_lesson_result_derive(&l);
    assert_string_equal(l.summary,
        "Nothing was measured correctly; the lesson could not run (worker "
        "died: signal 9); ref failed (crashed at 10,000 rows).");
    pd_lesson_result_free(&l);
}

static void test_finish_twice_is_stable(void **state)
{
    pd_run *r = *state;
    char *first = pd_strdup(r->lessons[0].summary);

    pd_lesson_result_derive(&r->lessons[0]);
    assert_string_equal(r->lessons[0].summary, first);
    free(first);
}

/* ------------------------------------------------------------------------
 * results.json
 * ---------------------------------------------------------------------- */

static json_t *path_get(json_t *j, const char *dotted)
{
    char key[64];

    while (j && *dotted) {
        size_t n = strcspn(dotted, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, dotted);
        if (json_is_array(j))
            j = json_array_get(j, strtoul(key, NULL, 10));
        else
            j = json_object_get(j, key);
        dotted += n + (dotted[n] == '.');
    }
    return j;
}

#define assert_json_string(doc, path, want)                                 \
    assert_string_equal(json_string_value(path_get((doc), (path))) ?        \
                        json_string_value(path_get((doc), (path))) :        \
                        "(not a string)", (want))
#define assert_json_null(doc, path)                                         \
    assert_true(json_is_null(path_get((doc), (path))))

static void test_json_round_trip(void **state)
{
    pd_run *r = *state;
    pd_err e = {0};
    char *path = scratch_path("results.json");
    json_t *doc, *lesson, *v;

    assert_int_equal(pd_results_write(r, path, &e), 0);
    /* The document itself, as another tool would read it. */
    doc = json_load_file(path, 0, NULL);
    if (!doc)
        fail_msg("%s does not parse", path);

    assert_int_equal(json_integer_value(path_get(doc, "schema")), PD_RESULTS_SCHEMA);
    assert_json_string(doc, "tool", "pdlab");
    assert_json_string(doc, "pdlab_version", PDLAB_VERSION);
    assert_json_string(doc, "started", "2024-05-01T10:00:00Z");
    assert_near(json_number_value(path_get(doc, "wall_s")), 61.5, 1e-9);
    assert_json_string(doc, "machine.pandas", "1.5.3");
    assert_int_equal(json_integer_value(path_get(doc, "machine.cores")), 8);
    assert_json_null(doc, "machine.numexpr");

    lesson = json_array_get(json_object_get(doc, "lessons"), 0);
    assert_non_null(lesson);
    assert_json_string(lesson, "id", "demo");
    assert_json_string(lesson, "references.pairwise", "pw_bcast");
    assert_json_string(lesson, "references.main", "vec");
    assert_int_equal(json_integer_value(path_get(lesson, "sizes.2")), 100000);
    assert_json_string(lesson, "variants.4.part", "pairwise");
    assert_int_equal(json_integer_value(path_get(lesson, "variants.4.max_n")),
                     10000);
    assert_json_null(lesson, "variants.1.max_n");
    assert_true(json_is_true(path_get(lesson, "variants.2.mutates")));
    assert_json_null(lesson, "error");
    assert_json_string(lesson, "summary", r->lessons[0].summary);

    /* n = 100,000 */
    assert_int_equal(json_integer_value(path_get(lesson, "results.2.n")),
                     100000);
    assert_near(json_number_value(path_get(lesson,
                "results.2.load.mb_per_s")), 812, 1e-6);
    assert_json_null(lesson, "results.0.load.seconds");

    v = path_get(lesson, "results.2.variants.1"); /* vec */
    assert_json_string(v, "name", "vec");
    assert_json_string(v, "status", "ok");
    assert_true(json_is_true(path_get(v, "correct")));
    assert_near(json_number_value(path_get(v, "median_s")), 1e-3, 1e-6);
    assert_near(json_number_value(path_get(v, "iqr_s")), 0.15e-3, 1e-5);
    assert_near(json_number_value(path_get(v, "speedup")), 100, 1e-6);
    assert_int_equal(json_array_size(path_get(v, "samples_s")), 3);
    assert_int_equal(json_integer_value(path_get(v, "loops")), 10);
    assert_int_equal(json_integer_value(path_get(v, "peak_bytes")), 800000);
    assert_int_equal(json_integer_value(path_get(v, "python_peak_bytes")),
                     400000);
    assert_int_equal(json_array_size(path_get(v, "warnings")), 0);
    assert_json_null(v, "mismatch");

    v = path_get(lesson, "results.2.variants.2"); /* chained */
    assert_json_string(v, "status", "wrong");
    assert_true(json_is_false(path_get(v, "correct")));
    assert_json_null(v, "speedup");
    assert_int_equal(json_array_size(path_get(v, "warnings")), 2);
    assert_json_string(v, "warnings.1", "FutureWarning: soon");
    assert_contains(json_string_value(path_get(v, "mismatch")),
                    "the frame was unchanged");

    v = path_get(lesson, "results.2.variants.3"); /* apply_fn, raised */
    assert_json_string(v, "status", "raised");
    assert_json_null(v, "median_s");
    assert_json_null(v, "first_call_s"); /* NAN */
    assert_json_null(v, "speedup");
    assert_json_null(v, "peak_bytes");
    assert_json_null(v, "loops");
    assert_int_equal(json_array_size(path_get(v, "samples_s")), 0);
    assert_contains(json_string_value(path_get(v, "error")), "KeyError");

    assert_json_string(lesson, "results.2.variants.4.status", "not_run");

    assert_json_string(lesson, "growth.4.variant", "pw_loop");
    assert_near(json_number_value(path_get(lesson,
                "growth.4.time_exponent")), 2, 1e-5);
    assert_json_null(lesson, "growth.2.time_exponent");
    assert_json_null(lesson, "growth.2.memory_r2");

    json_decref(doc);
    free(path);
}

/* Each bad file: its text, and what the message must say after the path. */
static void test_load_rejects(void **state)
{
    static const struct { const char *text, *want; } c[] = {
        {"{\"schema\": 99, \"tool\": \"pdlab\", \"lessons\": []}\n",
         ": written by a newer pdlab (results schema 99"},
        {"{ this is not json\n", ":1:"},
        {"[1, 2]\n", ": not a pdlab results file"},
        {"{\"schema\": 1, \"tool\": \"other\"}\n", ": not a pdlab results file"},
        {"{\"schema\": 0, \"tool\": \"pdlab\"}\n", ": unknown results schema 0"},
        {"{\"schema\": 1, \"tool\": \"pdlab\"}\n", ": results file has no"},
    };
    char *path = scratch_path("bad-results.json");

    for (size_t i = 0; i < N_OF(c); i++) {
        pd_err e = {0};
        char *want = pd_strdup_printf("%s%s", path, c[i].want);
        pd_run run;
        write_text(path, c[i].text);
        assert_int_equal(pd_results_read(path, &run, &e), -1);
        assert_true(e.set);
        assert_contains(e.msg, want);
        free(want);
    }
    remove(path);
    {
        pd_err e = {0};
        pd_run run;
        assert_int_equal(pd_results_read(path, &run, &e), -1);
        assert_contains(e.msg, path);
    }
    free(path);
}

/* A proportion and a plain statistic, and a curve with two series and a
 * mark, on v. */
static void decorate_figures(pd_variant_result *v)
{
    static const double xs[] = {0.5, 1, 2}, ys[] = {0.25, 0.5, 1};
    pd_curve *c;

    v->nstatistics = 2;
    v->statistics = pd_xcalloc(2, sizeof *v->statistics);
    v->statistics[0] = (pd_statistic){.name = pd_strdup("false positive rate"),
                                      .value = 0.05, .hits = 50, .trials = 1000};
    pd_wilson_interval(50, 1000, 1.96, &v->statistics[0].lo, &v->statistics[0].hi);
    v->statistics[1] = (pd_statistic){.name = pd_strdup("seconds"), .value = 1.5,
                                      .lo = NAN, .hi = NAN};
    v->ncurves = 1;
    c = v->curves = pd_xcalloc(1, sizeof *v->curves);
    c->title = pd_strdup("precision and recall");
    c->xlabel = pd_strdup("threshold");
    c->ylabel = pd_strdup("share");
    c->logy = 1;
    c->nseries = 2;
    c->series = pd_xcalloc(2, sizeof *c->series);
    for (size_t i = 0; i < 2; i++) {
        c->series[i].label = pd_strdup(i ? "recall" : "precision");
        c->series[i].n = 3;
        c->series[i].x = pd_xcalloc(3, sizeof(double));
        c->series[i].y = pd_xcalloc(3, sizeof(double));
        memcpy(c->series[i].x, xs, sizeof xs);
        memcpy(c->series[i].y, ys, sizeof ys);
    }
    c->nmarks = 1;
    c->marks = pd_xcalloc(1, sizeof *c->marks);
    c->marks[0] = (pd_mark){.x = 1, .y = 0.5, .label = pd_strdup("spam filter")};
}

/* Every field the reader fills, set to something other than its default,
 * so a field it forgets shows in the second document. */
static void decorate(pd_run *r)
{
    pd_lesson_result *l = &r->lessons[0];
    pd_variant_result *v = at(r, 1, VEC);

    r->dataset_s = 2.5;
    r->clock_step_ns = 20;
    r->call_overhead_ns = 55.5;
    snprintf(r->machine.governor, sizeof r->machine.governor, "performance");
    l->lesson.focus = pd_strdup("time");
    l->lesson.profile = pd_strdup("loop");
    l->lesson.nclaims = 3;
    l->lesson.claims = pd_xcalloc(3, sizeof *l->lesson.claims);
    l->lesson.claims[2] = (pd_claim){
        .kind = PD_CLAIM_STATISTIC, .variant = pd_strdup("vec"), .n = 100000,
        .statistic = pd_strdup("false positive rate"), .lo = 0.03, .hi = 0.08,
        .outcome = PD_CLAIM_CONFIRMED, .figure = 0.05, .figure_lo = 0.038,
        .figure_hi = 0.065};
    decorate_figures(v);
    l->lesson.claims[0] = (pd_claim){
        .kind = PD_CLAIM_FASTER, .variant = pd_strdup("vec"),
        .other = pd_strdup("loop"), .n = 100000, .factor = 10,
        .outcome = PD_CLAIM_CONFIRMED, .figure = 100, .figure_lo = 90,
        .figure_hi = 110, .lo = NAN, .hi = NAN};
    l->lesson.claims[1] = (pd_claim){
        .kind = PD_CLAIM_GROWTH, .variant = pd_strdup("pw_loop"), .lo = 1.5,
        .hi = 2.5, .outcome = PD_CLAIM_NOT_MEASURED, .figure = NAN,
        .figure_lo = NAN, .figure_hi = NAN,
        .note = pd_strdup("ran at two sizes only")};
    v->peak_fresh = 1;
    v->unstable = PD_UNSTABLE_SPREAD | PD_UNSTABLE_SHORT;
    v->observation = pd_strdup("stays in C");
    v->profile = pd_strdup("  1  0.5s  sum\n");
    v->wall_s = 0.75;
    v->calibration_s = 0.25;
    v->sampling_s = 0.125;
    l->sizes[0].worker_s = 1.5;
    l->sizes[0].startup_s = 0.5;
    l->lesson.variants[0].doc = (free(l->lesson.variants[0].doc),
                                 pd_strdup("One row at a time."));
}

/* write -> read -> write: the same document, byte for byte. */
static void test_read_round_trip(void **state)
{
    pd_run *r = *state, back;
    pd_err e = {0};
    char *p1 = scratch_path("rt1.json"), *p2 = scratch_path("rt2.json");
    char *t1, *t2;
    size_t n1, n2;

    decorate(r);
    /* The code the report shows and the hints a learner gets travel too. */
    r->lessons[0].lesson.variants[VEC].source = pd_strdup("def vec(df):\n    return df.x * 2\n");
    r->lessons[0].lesson.hints = strv(2, "Think in columns.", "df.x * 2");
    r->lessons[0].lesson.nhints = 2;
    r->lessons[0].sizes[1].variants[VEC].rounds_id = 0x2a0001; /* pairs its samples */
    r->lessons[0].stolen_s = 2.5;
    r->stolen_s = 4.0;
    assert_int_equal(pd_results_write(r, p1, &e), 0);
    if (pd_results_read(p1, &back, &e) < 0) fail_msg("%s", e.msg);
    assert_int_equal(back.nlessons, 1);
    assert_string_equal(back.lessons[0].lesson.variants[VEC].source,
                        "def vec(df):\n    return df.x * 2\n");
    assert_null(back.lessons[0].lesson.variants[VEC + 1].source);
    assert_int_equal(back.lessons[0].lesson.nhints, 2);
    assert_string_equal(back.lessons[0].lesson.hints[1], "df.x * 2");
    assert_int_equal(back.lessons[0].lesson.nclaims, 3);
    assert_string_equal(back.lessons[0].lesson.claims[2].statistic, "false positive rate");
    assert_true(back.lessons[0].lesson.claims[2].lo == 0.03);
    {
        const pd_variant_result *bv = &back.lessons[0].sizes[1].variants[VEC];
        assert_int_equal(bv->rounds_id, 0x2a0001);
        assert_true(back.lessons[0].stolen_s == 2.5 && back.stolen_s == 4.0);
        assert_int_equal(back.lessons[0].sizes[2].variants[VEC].rounds_id, 0);
        assert_int_equal(bv->nstatistics, 2);
        assert_int_equal(bv->statistics[0].trials, 1000);
        assert_true(bv->statistics[0].lo > 0.038 && bv->statistics[0].hi < 0.066);
        assert_true(isnan(bv->statistics[1].lo));
        assert_int_equal(bv->ncurves, 1);
        assert_int_equal(bv->curves[0].nseries, 2);
        assert_true(bv->curves[0].series[1].y[2] == 1 && bv->curves[0].logy);
        assert_string_equal(bv->curves[0].marks[0].label, "spam filter");
    }
    assert_string_equal(back.lessons[0].lesson.claims[1].note,
                        "ran at two sizes only");
    assert_int_equal(back.lessons[0].sizes[2].variants[PW_LOOP].skip,
                     PD_SKIP_MAX_N);
    assert_true(back.lessons[0].sizes[2].variants[PW_LOOP].extrapolated);
    assert_int_equal(pd_results_write(&back, p2, &e), 0);
    t1 = pd_read_file(p1, &n1, &e);
    t2 = pd_read_file(p2, &n2, &e);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_string_equal(t2, t1);
    pd_run_free(&back);
    free(t1);
    free(t2);
    free(p1);
    free(p2);
}

/* Hostile documents: a clear message naming the file and the field, and
 * nothing left to free. */
static void test_read_rejects(void **state)
{
#define HEAD "{\"schema\": 2, \"tool\": \"pdlab\", "
    static const struct { const char *text, *want; } c[] = {
        {HEAD "\"lessons\": [7]}", ": lessons[0]: expected an object, found an integer"},
        {HEAD "\"lessons\": [{}]}", ": lessons[0].id: missing, expected a string"},
        {HEAD "\"wall_s\": \"long\", \"lessons\": []}", ": wall_s: expected a number, found a string"},
        {HEAD "\"machine\": [], \"lessons\": []}", ": machine: expected an object, found an array"},
        {HEAD "\"machine\": {\"cores\": -3}, \"lessons\": []}", ": machine.cores: expected an integer >= 0"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"results\": [{\"n\": 10, \"variants\": "
              "[{\"name\": \"x\", \"status\": \"ok\", \"median_s\": \"1\"}]}]}]}",
         ": lessons[0].results[0].variants[0].median_s: expected a number, found a string"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"results\": [{\"n\": 10, \"variants\": "
              "[{\"name\": \"x\", \"status\": \"fine\"}]}]}]}",
         ": lessons[0].results[0].variants[0].status: \"fine\" is not a status"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"results\": [{\"variants\": []}]}]}",
         ": lessons[0].results[0].n: missing"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"results\": [{\"n\": 1.5}]}]}",
         ": lessons[0].results[0].n: expected an integer >= 0, found a number"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"claims\": [{\"kind\": \"cheaper\", \"variant\": \"x\"}]}]}",
         ": lessons[0].claims[0].kind: \"cheaper\" is not a kind of claim"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"references\": {\"main\": 3}}]}",
         ": lessons[0].references.main: expected a variant name, found an integer"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"growth\": [{\"variant\": \"x\", \"time_r2\": true}]}]}",
         ": lessons[0].growth[0].time_r2: expected a number, found a boolean"},
        {HEAD "\"lessons\": [{\"id\": \"a\", \"results\": [{\"n\": 1, \"variants\": "
              "[{\"name\": \"x\", \"status\": \"ok\", \"warnings\": [1]}]}]}]}",
         ": lessons[0].results[0].variants[0].warnings: expected an array of strings"},
        {HEAD "\"lessons\": {}}", ": results file has no \"lessons\" array"},
    };
#undef HEAD
    char *path = scratch_path("hostile.json");

    for (size_t i = 0; i < N_OF(c); i++) {
        pd_err e = {0};
        pd_run out;
        char *want = pd_strdup_printf("%s%s", path, c[i].want);
        write_text(path, c[i].text);
        assert_int_equal(pd_results_read(path, &out, &e), -1);
        assert_int_equal(out.nlessons, 0);
        assert_null(out.lessons);
        assert_contains(e.msg, want);
        free(want);
    }
    {   /* Everything missing is an empty run, not an error. */
        pd_err e = {0};
        pd_run out;
        write_text(path, "{\"schema\": 2, \"tool\": \"pdlab\", \"lessons\": "
                         "[{\"id\": \"a\", \"results\": [{\"n\": 5}]}]}");
        assert_int_equal(pd_results_read(path, &out, &e), 0);
        assert_int_equal(out.nlessons, 1);
        assert_int_equal(out.lessons[0].sizes[0].n, 5);
        assert_true(isnan(out.wall_s));
        pd_run_free(&out);
    }
    remove(path);
    free(path);
}

/* A write that cannot happen fails with the path in the message. */
static void test_write_failure(void **state)
{
    pd_err e = {0};
    char *path = scratch_path("no-such-dir/results.json");

    assert_int_equal(pd_results_write(*state, path, &e), -1);
    assert_contains(e.msg, "no-such-dir/results.json");
    free(path);
}

/* Invalid UTF-8 in a crash story is kept (as '?'), not dropped. */
static void test_json_invalid_utf8(void **state)
{
    pd_run *r = *state;
    pd_variant_result *v = at(r, 2, APPLY);
    json_t *doc;

    free(v->error);
    v->error = pd_strdup("bad \xff\xfe byte");
    doc = pd_run_to_json(r);
    assert_json_string(doc, "lessons.0.results.2.variants.3.error",
                       "bad ?? byte");
    json_decref(doc);
}

/* ------------------------------------------------------------------------
 * Formatters: input and expected text
 * ---------------------------------------------------------------------- */

static void test_fmt_seconds(void **state)
{
    static const struct { double s; const char *want; } c[] = {
        {812e-9, "812 ns"}, {45.2e-6, "45.2 µs"}, {1.234e-3, "1.23 ms"},
        {4.56, "4.56 s"}, {999.96e-6, "1.00 ms"}, {0.5e-9, "0.50 ns"},
        {9.996e-3, "10.0 ms"}, {1500, "1500 s"}, {0, "0.00 ns"},
        {NAN, "-"}, {-1, "-"}, {INFINITY, "-"},
    };
    char buf[32];

    for (size_t i = 0; i < N_OF(c); i++)
        assert_string_equal(pd_fmt_seconds(c[i].s, buf, sizeof buf),
                            c[i].want);
}

static void test_fmt_bytes(void **state)
{
    static const struct { double b; const char *want; } c[] = {
        {12, "12 B"}, {1023, "1023 B"}, {1023.6, "1.0 KiB"},
        {830 * 1024.0, "830 KiB"}, {1.2 * 1024 * 1024, "1.2 MiB"},
        {3.4 * 1024 * 1024 * 1024, "3.4 GiB"}, {9.96 * 1024, "10 KiB"},
        {0, "-"}, {-5, "-"}, {NAN, "-"},
    };
    char buf[32];

    for (size_t i = 0; i < N_OF(c); i++)
        assert_string_equal(pd_fmt_bytes(c[i].b, buf, sizeof buf),
                            c[i].want);
}

static void test_fmt_count_and_ratio(void **state)
{
    static const struct { unsigned long long n; const char *want; } c[] = {
        {0, "0"}, {999, "999"}, {1000, "1,000"}, {1000000, "1,000,000"},
        {1234567, "1,234,567"}, {ULLONG_MAX, "18,446,744,073,709,551,615"},
    };
    static const struct { double r; const char *want; } q[] = {
        {412.3, "412x"}, {2.5, "2.5x"}, {0.08, "0.08x"}, {9.96, "10x"},
        {1, "1.0x"}, {NAN, "-"}, {0, "-"},
    };
    char buf[32], tiny[4];

    for (size_t i = 0; i < N_OF(c); i++)
        assert_string_equal(pd_fmt_count(c[i].n, buf, sizeof buf), c[i].want);
    /* Truncated, never overrun. */
    assert_string_equal(pd_fmt_count(1000000, tiny, sizeof tiny), "1,0");
    for (size_t i = 0; i < N_OF(q); i++)
        assert_string_equal(pd_fmt_ratio(q[i].r, buf, sizeof buf), q[i].want);
}

/* ------------------------------------------------------------------------
 * The table
 * ---------------------------------------------------------------------- */

/* The line of text that starts with prefix after position `from`. */
static char *line_starting(const char *text, const char *from,
                           const char *prefix, char *buf, size_t size)
{
    const char *p = strstr(text, from);

    assert_non_null(p);
    for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
            return buf;
        }
    fail_msg("no line starting \"%s\" after \"%s\"", prefix, from);
    return NULL;
}

/* Display column where needle ends in line ("µ" is one column). */
static size_t column_after(const char *line, const char *needle)
{
    const char *p = strstr(line, needle), *end;
    size_t col = 0;

    assert_non_null(p);
    end = p + strlen(needle);
    for (p = line; p < end; p++)
        col += ((unsigned char)*p & 0xC0) != 0x80;
    return col;
}

static void test_table(void **state)
{
    pd_run *r = *state;
    char *text = NULL, a[256], b[256];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    pd_table_print_lesson(f, &r->lessons[0]);
    assert_int_equal(fclose(f), 0);

    assert_contains(text, "demo  n = 1,000\n");
    assert_contains(text, "demo  n = 100,000   (load 12.5 ms, 812 MB/s)\n");
    line_starting(text, "n = 100,000", "  variant", a, sizeof a);
    assert_contains(a, "kind");
    assert_contains(a, "± IQR");
    assert_contains(a, "correct?");

    line_starting(text, "n = 100,000", "  vec ", a, sizeof a);
    assert_contains(a, "vectorized");
    assert_contains(a, "1.00 ms");
    assert_contains(a, "± 150 µs");
    assert_contains(a, "100x");
    assert_contains(a, "781 KiB");
    assert_contains(a, "yes");
    line_starting(text, "n = 100,000", "  loop ", b, sizeof b);
    assert_contains(b, "1.0x");
    /* Right-aligned: the speedups end in the same column. */
    assert_int_equal(column_after(a, "100x"), column_after(b, "1.0x"));

    line_starting(text, "n = 100,000", "  chained ", a, sizeof a);
    assert_contains(a, "wrong");
    assert_contains(a, "NO");
    assert_null(strstr(a, " ms")); /* no time for a wrong answer */
    line_starting(text, "n = 100,000", "  apply_fn ", a, sizeof a);
    assert_contains(a, "raised");
    line_starting(text, "n = 100,000", "  part pairwise:", a, sizeof a);
    line_starting(text, "n = 100,000", "  pw_loop ", a, sizeof a);
    assert_contains(a, "~10.0 s"); /* extrapolated, and marked so */
    assert_contains(a, "over max_n");
    assert_contains(text, "~ extrapolated from the growth fitted");

    assert_contains(text, "  chained: warning: SettingWithCopyWarning: A "
                    "value is trying to be set on a copy\n");
    assert_contains(text, "  chained: warning: FutureWarning: soon\n");
    assert_contains(text, "  chained: WRONG at n = 1,000: the frame was "
                    "unchanged: column b still has 0 ones.\n"
                    "    details follow\n");
    assert_contains(text, "  apply_fn: raised at n = 100,000: KeyError: 'b' "
                    "(see results.json)\n");
    assert_null(strstr(text, "Traceback"));
    assert_contains(text, "  => At 10,000 rows the fastest correct main");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_words_round_trip),
        cmocka_unit_test(test_free_accepts_null_and_twice),
        cmocka_unit_test_setup_teardown(test_speedups_per_size_and_part,
                                        setup_run, teardown_run),
        cmocka_unit_test_setup_teardown(test_growth_exponents, setup_run,
                                        teardown_run),
        cmocka_unit_test_setup_teardown(test_summary_sentence, setup_run,
                                        teardown_run),
        cmocka_unit_test(test_summary_single_part_and_nothing),
        cmocka_unit_test_setup_teardown(test_summary_memory_focus, setup_run,
                                        teardown_run),
        cmocka_unit_test_setup_teardown(test_summary_growth_focus, setup_run,
                                        teardown_run),
        cmocka_unit_test_setup_teardown(test_finish_twice_is_stable,
                                        setup_run, teardown_run),
        cmocka_unit_test_setup_teardown(test_json_round_trip, setup_run,
                                        teardown_run),
        cmocka_unit_test(test_load_rejects),
        cmocka_unit_test_setup_teardown(test_read_round_trip, setup_run,
                                        teardown_run),
        cmocka_unit_test(test_read_rejects),
        cmocka_unit_test_setup_teardown(test_write_failure, setup_run,
                                        teardown_run),
        cmocka_unit_test_setup_teardown(test_json_invalid_utf8, setup_run,
                                        teardown_run),
        cmocka_unit_test(test_fmt_seconds),
        cmocka_unit_test(test_fmt_bytes),
        cmocka_unit_test(test_fmt_count_and_ratio),
        cmocka_unit_test_setup_teardown(test_table, setup_run, teardown_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
