/* Unit tests of the worker supervisor (bench/worker.c, pd_worker_measure):
 * a variant that crashes, hangs or runs out of memory costs that variant
 * alone, and the variants after it are measured in a new worker; a lesson
 * file that cannot load is an error naming the file; a worker kept across
 * sizes serves them all until a crash, and is gone once ended.
 *
 * The workers are the real pdlab binary ($PDLAB_EXE) running test lessons
 * from tests/lessons ($PDLAB_TEST_LESSONS) on a 1,000-row "mixed" dataset
 * made in this run's scratch directory (not the shared cache, which
 * test_dataset rewrites). Each test's size holds only the variants it
 * names, and the workers are asked for those alone. */

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include "pdlab/dataset.h"
#include "pdlab/worker.h"

#define ROWS 1000
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char *scratch; /* this run's directory; removed in teardown */
static char *dataset; /* ROWS rows of "mixed", in scratch */

static int group_setup(void **state)
{
    const pd_recipe *r = pd_recipe_find("mixed");
    pd_err e = {0};
    int made = 0;
    (void)state;
    if (!getenv("PDLAB_EXE") || !getenv("PDLAB_TEST_LESSONS")) {
        fprintf(stderr, "PDLAB_EXE and PDLAB_TEST_LESSONS must be set (ctest does)\n");
        return -1;
    }
#ifdef __SANITIZE_ADDRESS__
    /* An ASan worker would catch a variant's segfault and exit 1; these
     * tests are about what the signal does. */
    setenv("ASAN_OPTIONS", "detect_leaks=0:handle_segv=0", 1);
#endif
    if (r == NULL || (scratch = test_scratch_make("test_worker")) == NULL) return -1;
    dataset = test_path(scratch, "mixed-1000.h5");
    if (pd_dataset_ensure(r, ROWS, dataset, &made, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(dataset);
    return test_scratch_remove(scratch);
}

/* tests/lessons/NAME, newly allocated. */
static char *test_lesson(const char *name)
{
    return test_path(getenv("PDLAB_TEST_LESSONS"), name);
}

/* A job on the test dataset, logging to scratch/LOG; quick samples and a
 * roomy memory limit unless a test says otherwise. Free with job_free. */
static pd_worker_job job_for(const char *lesson, const char *log)
{
    pd_worker_job job;
    memset(&job, 0, sizeof job);
    job.exe = getenv("PDLAB_EXE");
    job.lesson_path = test_lesson(lesson);
    job.dataset_path = dataset;
    job.n = ROWS;
    job.log_path = test_path(scratch, log);
    job.opts = pd_measure_defaults();
    job.opts.timeout_s = 60; /* a hang fails the test, it does not stall it */
    job.opts.mem_limit = 4ULL << 30;
    job.opts.min_sample_s = 0.002;
    job.opts.samples = 3;
    return job;
}

static void job_free(pd_worker_job *job)
{
    free((char *)job->lesson_path);
    free((char *)job->log_path);
}

/* A size to measure with the variants named, in that order, as run.c
 * makes one: all to run, nothing measured yet. */
static void size_with(pd_size_result *s, const char *const *names, size_t count)
{
    memset(s, 0, sizeof *s);
    s->n = ROWS;
    s->nvariants = count;
    s->variants = pd_xcalloc(count, sizeof *s->variants);
    for (size_t i = 0; i < count; i++) {
        pd_variant_result *v = &s->variants[i];
        v->name = pd_strdup(names[i]);
        v->kind = pd_strdup("loop");
        v->status = PD_OK;
        v->skip = PD_SKIP_NONE;
        v->first_call_s = NAN;
        v->speedup = NAN;
        v->peak_bytes = v->py_peak_bytes = -1;
    }
}

/* Measures the variants named; the lesson must run. */
static void measure(pd_worker_job *job, pd_size_result *s, const char *const *names,
                    size_t count)
{
    pd_err e = {0};
    size_with(s, names, count);
    if (pd_worker_measure(job, s, &e) != 0) fail_msg("%s", e.msg);
    assert_false(e.set);
}

static const pd_variant_result *variant(const pd_size_result *s, const char *name)
{
    for (size_t i = 0; i < s->nvariants; i++)
        if (strcmp(s->variants[i].name, name) == 0) return &s->variants[i];
    fail_msg("no variant '%s'", name);
    return NULL;
}

static void assert_status(const pd_variant_result *v, pd_status want)
{
    if (v->status != want)
        fail_msg("%s: status %s, want %s; error: %s", v->name, pd_status_word(v->status),
                 pd_status_word(want), v->error ? v->error : "(none)");
}

/* Ran, agreed with the reference, and was timed. */
static void assert_measured(const pd_size_result *s, const char *name)
{
    const pd_variant_result *v = variant(s, name);
    assert_status(v, PD_OK);
    assert_null(v->error);
    assert_int_equal(v->nsamples, 3);
    assert_true(v->stats.median > 0);
    assert_true(isfinite(v->first_call_s) && v->first_call_s >= 0);
}

/* Variants a and b were computed in the same worker process (the test
 * lesson's observer names the process). */
static void assert_same_worker(const pd_size_result *s, const char *a, const char *b)
{
    const char *pa = variant(s, a)->observation, *pb = variant(s, b)->observation;
    assert_non_null(pa);
    assert_non_null(pb);
    assert_contains(pa, "worker pid ");
    if (strcmp(pa, pb) != 0) fail_msg("%s ran in %s, %s in %s", a, pa, b, pb);
}

static void assert_starts_with(const char *s, const char *prefix)
{
    if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not start with \"%s\"", s ? s : "(null)", prefix);
}

/* ------------------------------------------------------------------------
 * A worker that dies: blamed on its variant, the rest measured
 * ---------------------------------------------------------------------- */

static void test_crash_costs_one_variant(void **state)
{
    static const char *const names[] = {"total", "segfaults", "total_again", "exits",
                                        "total_last"};
    pd_worker_job job = job_for("worker_faults.py", "crash.log");
    pd_size_result s;
    const pd_variant_result *v;
    char *want;
    (void)state;

    measure(&job, &s, names, N_OF(names));

    /* The worker's crash and its exit are each blamed on the variant that
     * was running, with how the process ended and the log's last words. */
    v = variant(&s, "segfaults");
    assert_status(v, PD_CRASHED);
    assert_int_equal(v->nsamples, 0);
    want = pd_strdup_printf("the worker was killed by signal 11 (Segmentation fault) "
                            "while running this variant: it crashed or ran out of "
                            "memory (limit 4096 MiB, see --mem-limit). Worker log %s "
                            "ends with:\n", job.log_path);
    assert_starts_with(v->error, want);
    free(want);
    /* Python's faulthandler, in the tail: where in the lesson it happened. */
    assert_contains(v->error, "Fatal Python error: Segmentation fault");
    assert_contains(v->error, "in segfaults");

    v = variant(&s, "exits");
    assert_status(v, PD_CRASHED);
    assert_int_equal(v->nsamples, 0);
    assert_starts_with(v->error, "the worker exited with status 3 while running this "
                                 "variant");

    /* Before, between and after: measured. A size's samples are taken
     * together, in rounds, once every variant is checked: the variants
     * checked before a crash are checked again by the next worker, and all
     * three are timed side by side in the last one. */
    assert_measured(&s, "total");
    assert_measured(&s, "total_again");
    assert_measured(&s, "total_last");
    assert_same_worker(&s, "total", "total_again");
    assert_same_worker(&s, "total", "total_last");
    assert_true(s.worker_s > 0);
    pd_size_result_free(&s);
    job_free(&job);
}

/* A reference that crashes: the variants after it cannot be verified, as
 * when a reference raises, but they did not crash and must not be blamed.
 * (A restarted worker is told which variants took an earlier one down and
 * does not recompute such a reference.) */
static void test_reference_crash_is_not_blamed_on_others(void **state)
{
    static const char *const names[] = {"segfaults", "total", "total_again"};
    pd_worker_job job = job_for("reference_crashes.py", "reference.log");
    pd_size_result s;
    (void)state;

    measure(&job, &s, names, N_OF(names));
    assert_status(variant(&s, "segfaults"), PD_CRASHED);
    for (size_t i = 1; i < N_OF(names); i++) {
        const pd_variant_result *v = variant(&s, names[i]);
        assert_status(v, PD_WRONG);
        assert_string_equal(v->mismatch, "cannot be verified: the reference variant "
                                         "'segfaults' failed");
    }
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A variant that never returns: stopped at its deadline
 * ---------------------------------------------------------------------- */

static void test_hang_is_stopped_at_its_deadline(void **state)
{
    static const char *const names[] = {"total", "sleeps", "total_last"};
    pd_worker_job job = job_for("worker_faults.py", "hang.log");
    pd_size_result s;
    const pd_variant_result *v;
    (void)state;

    /* The deadline covers a worker's start-up and data load too (until its
     * first variant starts): 2 s leaves a loaded machine little room, so
     * the hang gets 5. */
    job.opts.timeout_s = 5;
    measure(&job, &s, names, N_OF(names));

    v = variant(&s, "sleeps");
    assert_status(v, PD_TIMEOUT);
    assert_int_equal(v->nsamples, 0);
    assert_starts_with(v->error, "did not finish within 5 s and was stopped.");
    assert_contains(v->error, "--timeout");
    assert_measured(&s, "total");
    assert_measured(&s, "total_last");
    assert_same_worker(&s, "total", "total_last");
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A variant that eats memory: ends at the limit, the run goes on
 * ---------------------------------------------------------------------- */

static void test_memory_limit_stops_a_variant(void **state)
{
    static const char *const names[] = {"fine", "eats_memory", "fine_again"};
    pd_worker_job job;
    pd_size_result s;
    const pd_variant_result *v;
    (void)state;
#ifdef __SANITIZE_ADDRESS__
    skip(); /* an ASan worker sets no address-space limit (bench/worker.c) */
#endif
    job = job_for("misbehaving.py", "memory.log");

    /* Enough address space for Python, NumPy and pandas, not much more. A
     * hang would end at the 60 s deadline as a timeout, and fail below. */
    job.opts.mem_limit = 1ULL << 30;
    measure(&job, &s, names, N_OF(names));

    v = variant(&s, "eats_memory");
    if (v->status == PD_NO_MEMORY)
        assert_contains(v->error, "MemoryError");
    else if (v->status == PD_CRASHED)
        assert_contains(v->error, "(limit 1024 MiB, see --mem-limit)");
    else
        fail_msg("eats_memory: status %s, want no_memory or crashed; error: %s",
                 pd_status_word(v->status), v->error ? v->error : "(none)");
    assert_int_equal(v->nsamples, 0);
    assert_measured(&s, "fine");
    assert_measured(&s, "fine_again");
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A lesson that cannot load: an error naming the file, nothing measured
 * ---------------------------------------------------------------------- */

static void test_lesson_raising_at_import_is_an_error(void **state)
{
    static const char *const names[] = {"total", "other"};
    pd_worker_job job = job_for("raises_at_import.py", "import.log");
    pd_size_result s;
    pd_err e = {0};
    char *want;
    (void)state;

    size_with(&s, names, N_OF(names));
    assert_int_equal(pd_worker_measure(&job, &s, &e), -1);
    assert_true(e.set);
    want = pd_strdup_printf("lesson 'raises_at_import' (%s) raised while loading; fix "
                            "the file: RuntimeError: this lesson file fails on import\n",
                            job.lesson_path);
    assert_starts_with(e.msg, want);
    free(want);
    /* The traceback points at the line. */
    assert_contains(e.msg, "raises_at_import.py\", line 6");
    /* Nothing was measured, and each variant says why. */
    for (size_t i = 0; i < s.nvariants; i++) {
        assert_status(&s.variants[i], PD_NOT_RUN);
        assert_int_equal(s.variants[i].skip, PD_SKIP_LESSON);
        assert_int_equal(s.variants[i].nsamples, 0);
    }
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A variant that forks: nothing it starts outlives its worker
 * ---------------------------------------------------------------------- */

/* Whether process pid is gone (a zombie's parent is init, which reaps it
 * soon: wait up to 5 s). */
static int gone(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        if (kill(pid, 0) < 0 && errno == ESRCH) return 1;
        usleep(10000);
    }
    return 0;
}

static void test_forked_children_die_with_the_worker(void **state)
{
    static const char *const names[] = {"total", "forks"};
    pd_worker_job job = job_for("forks.py", "forks.log");
    char *pidfile = test_path(scratch, "forks.pids"), *text;
    pd_size_result s;
    size_t len;
    pd_err e = {0};
    (void)state;

    setenv("PDLAB_TEST_PIDFILE", pidfile, 1);
    measure(&job, &s, names, N_OF(names));
    /* The fork held the event pipe open: the worker's own exit ends the
     * size, not the 60 s timeout. */
    assert_true(s.worker_s < 30);
    /* Leaving the fork running fails the variant; it is killed then. */
    assert_status(variant(&s, "forks"), PD_LEFT_RUNNING);
    assert_contains(variant(&s, "forks")->error, "left running when it ended: child process");
    text = pd_read_file(pidfile, &len, &e);
    if (text == NULL) fail_msg("%s", e.msg);
    for (char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
        pid_t pid = (pid_t)strtol(p, NULL, 10);
        assert_true(pid > 1);
        if (!gone(pid)) fail_msg("the process %d a variant forked outlived its worker", (int)pid);
    }
    free(text);
    free(pidfile);
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A variant that changes its shared input only after its first call:
 * caught once the samples are taken, and only it is blamed
 * ---------------------------------------------------------------------- */

static void test_later_change_of_input_is_caught(void **state)
{
    static const char *const names[] = {"total", "mutates_later", "total_again"};
    pd_worker_job job = job_for("worker_faults.py", "later.log");
    pd_size_result s;
    const pd_variant_result *v;
    (void)state;

    measure(&job, &s, names, N_OF(names));
    v = variant(&s, "mutates_later");
    assert_status(v, PD_WRONG);
    assert_int_equal(v->nsamples, 0);
    assert_contains(v->mismatch, "changed its shared input");
    /* The others, timed again on the data as it was, keep their results. */
    assert_measured(&s, "total");
    assert_measured(&s, "total_again");
    pd_size_result_free(&s);
    job_free(&job);
}

/* ------------------------------------------------------------------------
 * A worker kept across sizes: one start-up for a lesson, a fresh one after
 * a crash, and nothing left once it is ended
 * ---------------------------------------------------------------------- */

/* The pid in a variant's observation ("worker pid N"). */
static pid_t worker_pid(const pd_size_result *s, const char *name)
{
    const char *obs = variant(s, name)->observation;
    assert_non_null(obs);
    assert_contains(obs, "worker pid ");
    return (pid_t)atol(strstr(obs, "worker pid ") + 11);
}

static pid_t measure_kept(pd_worker_job *job, const char *const *names, size_t count,
                          const char *witness)
{
    pd_size_result s;
    pid_t pid;
    measure(job, &s, names, count);
    assert_measured(&s, witness);
    pid = worker_pid(&s, witness);
    pd_size_result_free(&s);
    return pid;
}

static void test_kept_worker_serves_sizes(void **state)
{
    static const char *const good[] = {"total", "total_again"};
    static const char *const bad[] = {"total", "segfaults", "total_last"};
    pd_worker_job job = job_for("worker_faults.py", "kept.log");
    pid_t first, second, after_crash, next;
    (void)state;

    job.keep = pd_worker_keep_new();
    first = measure_kept(&job, good, N_OF(good), "total_again");
    second = measure_kept(&job, good, N_OF(good), "total");
    assert_int_equal(first, second);
    assert_int_equal(kill(first, 0), 0); /* it waits for the next size */

    /* A crash ends the kept worker: the rest of that size and the sizes
     * after it are measured in the worker started after it, kept in turn. */
    after_crash = measure_kept(&job, bad, N_OF(bad), "total_last");
    assert_true(after_crash != first);
    assert_int_equal(kill(first, 0), -1);
    next = measure_kept(&job, good, N_OF(good), "total");
    assert_int_equal(next, after_crash);

    pd_worker_keep_end(job.keep);
    assert_int_equal(kill(next, 0), -1);
    assert_int_equal(errno, ESRCH);
    job_free(&job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_costs_one_variant),
        cmocka_unit_test(test_reference_crash_is_not_blamed_on_others),
        cmocka_unit_test(test_hang_is_stopped_at_its_deadline),
        cmocka_unit_test(test_memory_limit_stops_a_variant),
        cmocka_unit_test(test_lesson_raising_at_import_is_an_error),
        cmocka_unit_test(test_forked_children_die_with_the_worker),
        cmocka_unit_test(test_later_change_of_input_is_caught),
        cmocka_unit_test(test_kept_worker_serves_sizes),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
