/* The model of pdlab merge (bench/merge.c) on runs built in memory:
 * fingerprints grouped into machines and labelled, versions that differ
 * from the first run marked, declarations compared, claims matched across
 * runs and their disagreements found, lessons and sizes united. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdlab/alloc.h"
#include "pdlab/merge.h"
#include "test_util.h"

static pd_claim claim(pd_claim_kind kind, const char *variant, const char *other, uint64_t n,
                      double factor, pd_claim_outcome outcome)
{
    return (pd_claim){.kind = kind, .variant = pd_strdup(variant), .other = pd_strdup(other),
                      .n = n, .factor = factor, .lo = NAN, .hi = NAN, .outcome = outcome,
                      .figure = NAN, .figure_lo = NAN, .figure_hi = NAN};
}

/* Lesson `id` with variants slow (the reference) and fast, declared at
 * `sizes`, measured at the same sizes; its claims are: fast at least
 * `factor` times faster than slow at the first size (outcome o0), and fast
 * about as fast as itself (o1). */
static void make_lesson(pd_lesson_result *l, const char *id, const uint64_t *sizes,
                        size_t nsizes, double factor, pd_claim_outcome o0,
                        pd_claim_outcome o1)
{
    static const char *names[] = {"slow", "fast"};
    pd_lesson *d = &l->lesson;

    d->id = pd_strdup(id);
    d->nparts = 1;
    d->parts = pd_xcalloc(1, sizeof *d->parts);
    d->parts[0] = pd_strdup("main");
    d->references = pd_xcalloc(1, sizeof *d->references);
    d->references[0] = pd_strdup("slow");
    d->nvariants = 2;
    d->variants = pd_xcalloc(2, sizeof *d->variants);
    for (size_t v = 0; v < 2; v++) {
        d->variants[v].name = pd_strdup(names[v]);
        d->variants[v].part = pd_strdup("main");
    }
    d->nsizes = nsizes;
    d->sizes = pd_xcalloc(nsizes, sizeof *d->sizes);
    memcpy(d->sizes, sizes, nsizes * sizeof *sizes);
    d->nclaims = 2;
    d->claims = pd_xcalloc(2, sizeof *d->claims);
    d->claims[0] = claim(PD_CLAIM_FASTER, "fast", "slow", sizes[0], factor, o0);
    d->claims[1] = claim(PD_CLAIM_SIMILAR, "fast", "fast", sizes[0], 1.5, o1);
    l->nsizes = nsizes;
    l->sizes = pd_xcalloc(nsizes, sizeof *l->sizes);
    for (size_t s = 0; s < nsizes; s++) {
        l->sizes[s].n = sizes[s];
        l->sizes[s].nvariants = 2;
        l->sizes[s].variants = pd_xcalloc(2, sizeof *l->sizes[s].variants);
        for (size_t v = 0; v < 2; v++) {
            pd_variant_result *r = &l->sizes[s].variants[v];
            r->name = pd_strdup(names[v]);
            r->status = PD_OK;
            r->speedup = r->speedup_lo = r->speedup_hi = NAN;
        }
    }
}

static void make_run(pd_merge_run *mr, const char *source, const char *started,
                     const char *cpu, const char *pandas)
{
    mr->source = pd_strdup(source);
    mr->path = pd_strdup(source);
    snprintf(mr->run.started, sizeof mr->run.started, "%s", started);
    snprintf(mr->run.machine.cpu, sizeof mr->run.machine.cpu, "%s", cpu);
    snprintf(mr->run.machine.pandas, sizeof mr->run.machine.pandas, "%s", pandas);
    snprintf(mr->run.machine.python, sizeof mr->run.machine.python, "3.11.2");
    mr->run.machine.cores = 2;
}

static void add_lesson(pd_merge_run *mr, const char *id, const uint64_t *sizes, size_t nsizes,
                       double factor, pd_claim_outcome o0, pd_claim_outcome o1)
{
    pd_run *r = &mr->run;
    r->lessons = pd_xrealloc(r->lessons, (r->nlessons + 1) * sizeof *r->lessons);
    memset(&r->lessons[r->nlessons], 0, sizeof *r->lessons);
    make_lesson(&r->lessons[r->nlessons++], id, sizes, nsizes, factor, o0, o1);
}

static const uint64_t two[] = {1000, 10000}, other[] = {1000, 30000};

/* Four runs: the laptop, a server with another pandas, the laptop later
 * with the lesson declared at other sizes and a stricter claim, and a copy
 * of the first. */
static void build(pd_merge *m)
{
    memset(m, 0, sizeof *m);
    m->nruns = 4;
    m->runs = pd_xcalloc(4, sizeof *m->runs);
    make_run(&m->runs[0], "laptop", "2026-11-25T09:26:08Z", "Laptop CPU", "1.5.3");
    make_run(&m->runs[1], "server", "2026-11-25T10:00:00Z", "Server CPU", "2.2.0");
    make_run(&m->runs[2], "later", "2026-11-26T08:00:00Z", "Laptop CPU", "1.5.3");
    make_run(&m->runs[3], "copy", "2026-11-25T09:26:08Z", "Laptop CPU", "1.5.3");
    add_lesson(&m->runs[0], "demo", two, 2, 10, PD_CLAIM_CONFIRMED, PD_CLAIM_CONFIRMED);
    add_lesson(&m->runs[0], "extra", two, 2, 2, PD_CLAIM_CONFIRMED, PD_CLAIM_CONFIRMED);
    add_lesson(&m->runs[1], "demo", two, 2, 10, PD_CLAIM_NOT_CONFIRMED,
               PD_CLAIM_NOT_MEASURED);
    add_lesson(&m->runs[2], "demo", other, 2, 20, PD_CLAIM_CONFIRMED, PD_CLAIM_CONFIRMED);
    add_lesson(&m->runs[3], "demo", two, 2, 10, PD_CLAIM_CONFIRMED, PD_CLAIM_CONFIRMED);
    pd_merge_build(m);
}

static void test_machines_and_labels(void **state)
{
    pd_merge m;

    (void)state;
    build(&m);
    assert_int_equal(m.nmachines, 2);
    assert_int_equal(m.runs[0].machine, 0);
    assert_int_equal(m.runs[1].machine, 1);
    assert_int_equal(m.runs[2].machine, 0);
    /* The laptop made three runs: told apart by start time, a copy by #2. */
    assert_string_equal(m.runs[0].label, "A 2026-11-25 09:26:08");
    assert_string_equal(m.runs[1].label, "B");
    assert_string_equal(m.runs[2].label, "A 2026-11-26 08:00:00");
    assert_string_equal(m.runs[3].label, "A 2026-11-25 09:26:08 #2");
    pd_merge_free(&m);
}

static void test_versions_marked(void **state)
{
    pd_merge m;
    unsigned pandas = 0;

    (void)state;
    for (size_t f = 0; f < pd_machine_nfields; f++)
        if (strcmp(pd_machine_fields[f].key, "pandas") == 0) pandas = 1u << f;
    assert_int_not_equal(pandas, 0);
    build(&m);
    /* The CPU differs too, but a CPU is what differs between machines:
     * only software is marked. */
    assert_int_equal(m.runs[1].versions, pandas);
    assert_true(pd_merge_versions_differ(&m, 1));
    assert_false(pd_merge_versions_differ(&m, 0));
    assert_false(pd_merge_versions_differ(&m, 2));
    pd_merge_free(&m);
}

static void test_lessons_united(void **state)
{
    pd_merge m;
    const pd_merge_lesson *demo, *extra;

    (void)state;
    build(&m);
    assert_int_equal(m.nlessons, 2);
    demo = &m.lessons[0];
    extra = &m.lessons[1];
    assert_string_equal(demo->id, "demo");
    assert_string_equal(extra->id, "extra");
    assert_non_null(extra->in[0]);
    assert_null(extra->in[1]);
    assert_int_equal(demo->nsizes, 3);
    assert_int_equal(demo->sizes[0], 1000);
    assert_int_equal(demo->sizes[1], 10000);
    assert_int_equal(demo->sizes[2], 30000);
    assert_int_equal(demo->nvariants, 2);
    /* The claims name n = 1,000: where the first run's evidence is. */
    assert_int_equal(demo->speaking_n, 1000);
    pd_merge_free(&m);
}

static void test_declarations_compared(void **state)
{
    pd_merge m;
    const pd_merge_lesson *demo;

    (void)state;
    build(&m);
    demo = &m.lessons[0];
    assert_null(demo->declared[0]);
    assert_null(demo->declared[1]);
    assert_non_null(demo->declared[2]);
    assert_string_equal(demo->declared[2], "sizes, claims");
    assert_null(demo->declared[3]);
    pd_merge_free(&m);
}

static void test_claims_matched_and_disagreeing(void **state)
{
    pd_merge m;
    const pd_merge_lesson *demo;

    (void)state;
    build(&m);
    demo = &m.lessons[0];
    /* "by 10x" (three runs), "similar" (all four), "by 20x" (the later
     * run's stricter claim is another claim, not a different outcome). */
    assert_int_equal(demo->nclaims, 3);
    assert_true(demo->claims[0].claim->factor == 10);
    assert_non_null(demo->claims[0].in[0]);
    assert_non_null(demo->claims[0].in[1]);
    assert_null(demo->claims[0].in[2]);
    assert_non_null(demo->claims[0].in[3]);
    assert_true(demo->claims[2].claim->factor == 20);
    assert_null(demo->claims[2].in[0]);
    assert_non_null(demo->claims[2].in[2]);
    /* Confirmed on the laptop, not on the server: they disagree. Not
     * measured on the server is missing evidence, no disagreement. */
    assert_true(demo->claims[0].disagree);
    assert_false(demo->claims[1].disagree);
    assert_false(demo->claims[2].disagree);
    assert_int_equal(demo->ndisagree, 1);
    assert_int_equal(m.lessons[1].ndisagree, 0);
    pd_merge_free(&m);
}

static void test_read_names_the_run(void **state)
{
    char *dir = test_scratch_make("merge");
    char *bad = test_path(dir, "bad.json");
    char *missing = test_path(dir, "missing");
    char *sources[2] = {bad, missing};
    pd_merge m;
    pd_err e = {0};

    (void)state;
    test_put_file(bad, "{\"schema\": 3");
    assert_int_equal(pd_merge_read(sources, 2, &m, &e), -1);
    assert_contains(e.msg, "run 1 of 2: ");
    assert_contains(e.msg, "bad.json");
    assert_null(m.runs);
    assert_int_equal(m.nruns, 0);
    pd_error_clear(&e);
    sources[0] = missing;
    assert_int_equal(pd_merge_read(sources, 1, &m, &e), -1);
    assert_contains(e.msg, "missing: not a run's directory or results file");
    free(missing);
    free(bad);
    test_scratch_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_machines_and_labels),
        cmocka_unit_test(test_versions_marked),
        cmocka_unit_test(test_lessons_united),
        cmocka_unit_test(test_declarations_compared),
        cmocka_unit_test(test_claims_matched_and_disagreeing),
        cmocka_unit_test(test_read_names_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
