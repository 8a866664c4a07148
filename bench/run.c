/* A run: every lesson, every size, measured in workers, saved as it goes. */

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/claim.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "pdlab/machine.h"
#include "pdlab/measure.h"
#include "pdlab/results.h"
#include "pdlab/run.h"
#include "pdlab/signals.h"
#include "pdlab/timer.h"
#include "run_int.h"

/* Where the run is, for the observer's progress calls: the worker's
 * progress callback only knows the variant. */
typedef struct progress {
    const pd_run_observer *obs;
    const char *lesson;
    uint64_t n;
    size_t lesson_no, nlessons;
} progress;

static void show_progress(void *ctx, const char *variant)
{
    progress *p = ctx;
    if (p->obs->measuring)
        p->obs->measuring(p->obs->ctx, p->lesson, p->lesson_no, p->nlessons, p->n, variant);
}

/* The pdlab binary itself, for starting workers. */
static int self_exe(char *buf, size_t size, pd_err *e)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n < 0) return pd_error_errno(e, "cannot find the pdlab binary (/proc/self/exe)");
    buf[n] = '\0';
    return 0;
}

/* Fresh results for one size: every declared variant, skipped above its
 * max_n, the rest to be measured. */
static void init_size(pd_size_result *s, const pd_lesson *l, uint64_t n)
{
    s->n = n;
    s->nvariants = l->nvariants;
    s->variants = pd_xcalloc(l->nvariants, sizeof *s->variants);
    for (size_t i = 0; i < l->nvariants; i++) {
        const pd_variant_info *vi = &l->variants[i];
        pd_variant_result *v = &s->variants[i];
        v->name = pd_strdup(vi->name);
        v->kind = pd_strdup(vi->kind);
        v->status = vi->max_n && n > vi->max_n ? PD_NOT_RUN : PD_OK;
        v->skip = v->status == PD_NOT_RUN ? PD_SKIP_MAX_N : PD_SKIP_NONE;
        v->first_call_s = NAN;
        v->speedup = NAN;
        v->peak_bytes = v->py_peak_bytes = -1;
    }
}

/* Seconds that measuring variant k at n will take, predicted from the sizes
 * it ran at: the first call, the tracemalloc call and the samples, each at
 * least a calibrated sample long. 0 when there is nothing to predict from. */
static double predicted_cost(const pd_lesson_result *lr, size_t k, uint64_t n,
                             const pd_measure_opts *m)
{
    const pd_growth *g = &lr->growth[k];
    double call = 0, sample;
    int samples;

    if (g->has_time) {
        call = pd_fit_predict(&g->time, (double)n);
    } else {
        /* One size so far: assume linear growth, the optimistic guess. */
        for (size_t i = lr->nsizes; i-- > 0 && call == 0;) {
            const pd_variant_result *v = &lr->sizes[i].variants[k];
            if (v->status == PD_OK && v->stats.n)
                call = v->stats.median * (double)n / (double)lr->sizes[i].n;
        }
    }
    samples = pd_samples_for(m, call);
    sample = call > m->min_sample_s ? call : m->min_sample_s;
    return 2 * call + samples * sample;
}

static int is_reference(const pd_lesson *l, const char *name)
{
    for (size_t p = 0; p < l->nparts; p++)
        if (strcmp(l->references[p], name) == 0) return 1;
    return 0;
}

/* Whether any claim of the lesson needs (by the rule given) this variant
 * at n. */
static int any_claim(const pd_lesson *l, const char *name, uint64_t n,
                     int (*needs)(const pd_claim *, const char *, uint64_t))
{
    for (size_t c = 0; c < l->nclaims; c++)
        if (needs(&l->claims[c], name, n)) return 1;
    return 0;
}

/* Whether a claim of the lesson needs this variant measured at n. */
static int claimed(const pd_lesson *l, const char *name, uint64_t n)
{
    return any_claim(l, name, n, pd_claim_needs);
}

/* A size over the rows of the user's data: every variant not run there,
 * saying why. */
static void skip_over_rows(pd_lesson_result *lr, pd_size_result *s, uint64_t n)
{
    init_size(s, &lr->lesson, n);
    lr->nsizes++;
    for (size_t k = 0; k < s->nvariants; k++) {
        s->variants[k].status = PD_NOT_RUN;
        s->variants[k].skip = PD_SKIP_ROWS;
    }
}

/* Leaves out, at this size, the variants predicted to cost more than the
 * cap. References always run (everything is checked against them), and so
 * does whatever a claim needs: the budget covers the rest, never a lesson's
 * point. Nor is anything cut at a lesson's first size: nothing predicts
 * its cost there yet, it is the cheapest, and without it a lesson late in
 * a run whose claims had spent the budget showed its claimed variants
 * alone (vectorize without apply or itertuples). */
static void apply_budget(const pd_lesson_result *lr, pd_size_result *s,
                         double cap, const pd_measure_opts *m)
{
    if (!(cap > 0) || lr->nsizes <= 1) return;
    for (size_t k = 0; k < s->nvariants; k++) {
        pd_variant_result *v = &s->variants[k];
        if (v->status == PD_NOT_RUN || is_reference(&lr->lesson, v->name) ||
            claimed(&lr->lesson, v->name, s->n))
            continue;
        if (predicted_cost(lr, k, s->n, m) > cap) {
            v->status = PD_NOT_RUN;
            v->skip = PD_SKIP_BUDGET;
        }
    }
}

/* A variant that timed out, crashed or ran out of memory at a smaller size
 * would only do it again, slower: it is not run at the larger ones. */
static void skip_failed(const pd_lesson_result *lr, pd_size_result *s)
{
    for (size_t k = 0; k < s->nvariants; k++) {
        pd_variant_result *v = &s->variants[k];
        for (size_t i = 0; v->status != PD_NOT_RUN && i + 1 < lr->nsizes; i++) {
            pd_status was = lr->sizes[i].variants[k].status;
            if (was == PD_TIMEOUT || was == PD_CRASHED || was == PD_NO_MEMORY) {
                v->status = PD_NOT_RUN;
                v->skip = PD_SKIP_FAILED;
            }
        }
    }
}

/* The dataset as CSV for a lesson about reading files, outside any timed
 * region: a copy of its own in the run's tmp directory, which a variant may
 * spoil without spoiling the next lesson's. A built-in dataset's CSV is
 * exported once into the cache and copied from there (2,000,000 events
 * take 7 s to export, 0.1 s to copy); a view or a file of the user's is
 * exported for the lesson. Path newly allocated into *csv. */
static int export_csv(const pd_run_opts *o, const pd_lesson *l, const pd_dataset_ref *ref,
                      const char *h5, uint64_t n, char **csv, pd_err *e)
{
    char *dir = pd_strdup_printf("%s/tmp", o->out_dir), *cached = NULL;
    int rc = pd_mkdir_p(dir, e);
    free(dir);
    *csv = pd_strdup_printf("%s/tmp/%s-%llu.csv", o->out_dir, l->id, (unsigned long long)n);
    if (rc < 0) return -1;
    if (!ref->recipe || o->ncolumns) return pd_dataset_export_csv(h5, *csv, e);
    if (pd_dataset_csv_beside(h5, &cached, e) < 0) return -1;
    rc = pd_copy_file(cached, *csv, e);
    free(cached);
    return rc;
}

/* The rounds id of samples pooled from two processes: variants whose
 * samples were taken in the same rounds in both, as many in each, still
 * pair sample for sample; any other pooling leaves them unpaired (0). */
static uint64_t pooled_rounds_id(uint64_t first, size_t nfirst, uint64_t extra,
                                 size_t nextra)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    const uint64_t parts[4] = {first, nfirst, extra, nextra};
    if (!first || !extra) return 0;
    for (size_t i = 0; i < 4; i++) { /* FNV-1a over the four words */
        h ^= parts[i];
        h *= 0x100000001B3ULL;
    }
    return h ? h : 1;
}

/* Appends the samples another worker process took to those of the first,
 * for the variants that were correct in both. A process brings its own
 * memory layout, caches and scheduling; pooling shows that noise in the
 * spread instead of hiding it. */
static void pool_samples(pd_size_result *s, const pd_size_result *extra)
{
    for (size_t j = 0; j < s->nvariants; j++) {
        pd_variant_result *v = &s->variants[j];
        const pd_variant_result *x = &extra->variants[j];
        double *all;
        if (v->status != PD_OK || x->status != PD_OK || !v->nsamples || !x->nsamples)
            continue;
        all = pd_xcalloc(v->nsamples + x->nsamples, sizeof *all);
        memcpy(all, v->samples, v->nsamples * sizeof *all);
        memcpy(all + v->nsamples, x->samples, x->nsamples * sizeof *all);
        free(v->samples);
        v->samples = all;
        v->rounds_id = pooled_rounds_id(v->rounds_id, v->nsamples, x->rounds_id, x->nsamples);
        v->nsamples += x->nsamples;
        v->sampling_s += x->sampling_s;
        v->calibration_s += x->calibration_s;
        pd_stats_compute(v->samples, v->nsamples, &v->stats);
    }
}

/* The same size measured again in processes 2..K, variants that came out
 * correct only. */
static int measure_again(const pd_run_opts *o, const pd_worker_job *kept,
                         const pd_lesson *l, pd_size_result *s, pd_err *e)
{
    pd_worker_job fresh = *kept, *job = &fresh;
    fresh.keep = NULL; /* other processes are the point */
    for (int k = 1; k < o->processes; k++) {
        pd_size_result extra;
        int rc;
        memset(&extra, 0, sizeof extra);
        init_size(&extra, l, s->n);
        for (size_t j = 0; j < s->nvariants; j++)
            extra.variants[j].status = s->variants[j].status == PD_OK ? PD_OK : PD_NOT_RUN;
        rc = pd_worker_measure(job, &extra, e);
        if (rc == 0) {
            pool_samples(s, &extra);
            s->worker_s += extra.worker_s;
            s->startup_s += extra.startup_s;
        }
        pd_size_result_free(&extra);
        if (rc < 0) return -1;
    }
    return 0;
}

/* Worker seconds spent at one size on variants a claim needs. */
static double claimed_seconds(const pd_lesson *l, const pd_size_result *s)
{
    double t = 0;
    for (size_t j = 0; j < s->nvariants; j++)
        if (claimed(l, s->variants[j].name, s->n) && s->variants[j].wall_s > 0)
            t += s->variants[j].wall_s;
    return t;
}

/* Whether a memory claim needs the peak of this variant at n taken alone
 * in a fresh process. */
static int wants_fresh_peak(const pd_lesson *l, const char *name, uint64_t n)
{
    return any_claim(l, name, n, pd_claim_needs_fresh_peak);
}

/* One fresh-peak worker: a variant alone, one call. */
typedef struct peak_task {
    pd_worker_job job;
    pd_size_result one;
    size_t variant;      /* its index in the size's variants */
    int rc;
    pd_err err;
} peak_task;

static void *run_peak_task(void *arg)
{
    peak_task *t = arg;
    t->rc = pd_worker_measure(&t->job, &t->one, &t->err);
    return NULL;
}

/* Runs the tasks two at a time: a peak is the process's own resident set,
 * which another process beside it does not change, and each of these
 * workers spends half a second starting Python. The second of a pair logs
 * to a file of its own, so that a crash's story is its own. */
static void run_peak_tasks(peak_task *t, size_t n, const char *pair_log)
{
    for (size_t i = 0; i < n; i += 2) {
        pthread_t other;
        int paired = 0;
        if (i + 1 < n) {
            t[i + 1].job.log_path = pair_log;
            t[i + 1].job.progress = NULL;
            paired = pthread_create(&other, NULL, run_peak_task, &t[i + 1]) == 0;
        }
        run_peak_task(&t[i]);
        if (paired) pthread_join(other, NULL);
        else if (i + 1 < n) run_peak_task(&t[i + 1]); /* no thread: in turn */
    }
}

/* The peaks memory claims are decided by: each variant a claim names, one
 * call, alone in a fresh worker, above that process's own resident set
 * before the call. A peak measured after other variants ran in the same
 * process says as much about their leftovers as about this call. */
static int measure_fresh_peaks(const pd_worker_job *job, const char *pair_log,
                               const pd_lesson *l, pd_size_result *s, double *spent,
                               pd_err *e)
{
    peak_task *tasks = pd_xcalloc(s->nvariants + 1, sizeof *tasks);
    size_t n = 0;
    uint64_t t0 = pd_now_ns();
    int rc = 0;

    for (size_t j = 0; j < s->nvariants; j++) {
        peak_task *t = &tasks[n];
        if (s->variants[j].status != PD_OK || !wants_fresh_peak(l, s->variants[j].name, s->n))
            continue;
        t->job = *job;
        t->job.peak_only = 1;
        t->job.profile = 0;
        t->job.keep = NULL;
        t->variant = j;
        init_size(&t->one, l, s->n);
        for (size_t k = 0; k < t->one.nvariants; k++)
            if (k != j) t->one.variants[k].status = PD_NOT_RUN;
        n++;
    }
    run_peak_tasks(tasks, n, pair_log);
    *spent += pd_ns_to_s(pd_now_ns() - t0);
    for (size_t i = 0; i < n; i++) {
        pd_variant_result *v = &s->variants[tasks[i].variant];
        const pd_variant_result *alone = &tasks[i].one.variants[tasks[i].variant];
        if (tasks[i].rc == 0 && alone->status == PD_OK) {
            v->peak_bytes = alone->peak_bytes;
            v->peak_fresh = 1;
        }
        if (tasks[i].rc < 0 && rc == 0) {
            *e = tasks[i].err;
            rc = -1;
        }
        pd_size_result_free(&tasks[i].one);
    }
    free(tasks);
    return rc;
}

/* The run's worker limits, with the lesson's own memory limit when it is
 * lower (a lesson about running out of memory sets one it can exceed). */
static pd_measure_opts lesson_measure_opts(const pd_run_opts *o, const pd_lesson *l)
{
    pd_measure_opts m = o->measure;
    if (l->mem_limit && (m.mem_limit == 0 || l->mem_limit < m.mem_limit))
        m.mem_limit = l->mem_limit;
    return m;
}

/* Measures one lesson (its declaration read into lr->lesson) at all its
 * sizes. Returns -1 when it could not run;
 * sizes measured before the failure are kept. */
static int run_lesson(const pd_run_opts *o, const char *exe, const char *path,
                      double cap, progress *p, pd_run *run, pd_lesson_result *lr,
                      pd_err *e)
{
    uint64_t *sizes = NULL;
    size_t nsizes;
    char data[4096];
    char *log = NULL, *peaks_log = NULL, *csv = NULL;
    pd_dataset_ref ref;
    pd_worker_keep *keep = NULL;
    const char **claimed_names = NULL;
    int rc = -1;

    if (pd_run_data_find(o, &lr->lesson, &ref, e) < 0) {
        pd_error_prefix(e, "lesson '%s'", lr->lesson.id);
        return -1;
    }
    if (o->dataset) { /* results.json says what it ran on */
        free(lr->lesson.dataset);
        lr->lesson.dataset = pd_strdup(o->dataset);
    }
    sizes = pd_run_data_sizes(&ref, o->nsizes ? o->sizes : lr->lesson.sizes,
                              o->nsizes ? o->nsizes : lr->lesson.nsizes, &nsizes);
    lr->sizes = pd_xcalloc(nsizes, sizeof *lr->sizes);
    log = pd_strdup_printf("%s/logs/%s.log", o->out_dir, lr->lesson.id);
    peaks_log = pd_strdup_printf("%s/logs/%s.peaks.log", o->out_dir, lr->lesson.id);
    p->lesson = lr->lesson.id;
    /* One worker for all the sizes, unless the lesson sets its own memory
     * limit: a lesson about running out of memory gets a fresh process per
     * size, so that what an earlier size left in its heap does not count
     * against the limit. */
    if (!lr->lesson.mem_limit) keep = pd_worker_keep_new();
    claimed_names = pd_xcalloc(lr->lesson.nvariants + 1, sizeof *claimed_names);

    for (size_t i = 0; i < nsizes; i++) {
        pd_size_result *s = &lr->sizes[i];
        pd_worker_job job = {
            .exe = exe, .lesson_path = path, .dataset_path = data, .n = sizes[i],
            .log_path = log, .opts = lesson_measure_opts(o, &lr->lesson),
            .progress = show_progress,
            .progress_ctx = p, .profile = lr->lesson.profile != NULL, .keep = keep,
        };
        uint64_t t0 = pd_now_ns();
        size_t nclaimed = 0;
        if (!ref.recipe && sizes[i] > ref.rows) {
            skip_over_rows(lr, s, sizes[i]);
            continue;
        }
        if (pd_run_data_prepare(o, &lr->lesson, &ref, sizes[i], data, sizeof data, e) < 0) {
            pd_error_prefix(e, "lesson '%s' at n = %llu", lr->lesson.id,
                            (unsigned long long)sizes[i]);
            goto cleanup;
        }
        if (lr->lesson.csv && export_csv(o, &lr->lesson, &ref, data, sizes[i], &csv, e) < 0)
            goto cleanup;
        run->dataset_s += pd_ns_to_s(pd_now_ns() - t0);
        job.csv_path = csv;
        /* Only a time ratio's interval is built from samples: a memory,
         * growth or statistic claim's variant is sampled as any other. */
        for (size_t k = 0; k < lr->lesson.nvariants; k++)
            if (any_claim(&lr->lesson, lr->lesson.variants[k].name, sizes[i],
                          pd_claim_needs_samples))
                claimed_names[nclaimed++] = lr->lesson.variants[k].name;
        job.claimed = claimed_names;
        job.nclaimed = nclaimed;
        init_size(s, &lr->lesson, sizes[i]);
        /* The fits so far predict what this size will cost. */
        pd_lesson_result_derive(lr);
        lr->nsizes = i + 1;
        skip_failed(lr, s);
        apply_budget(lr, s, cap, &o->measure);
        p->n = sizes[i];
        if (pd_worker_measure(&job, s, e) < 0 ||
            measure_again(o, &job, &lr->lesson, s, e) < 0 ||
            measure_fresh_peaks(&job, peaks_log, &lr->lesson, s, &run->claims_s, e) < 0) {
            pd_error_prefix(e, "lesson '%s' at n = %llu", lr->lesson.id,
                            (unsigned long long)sizes[i]);
            goto cleanup;
        }
        run->claims_s += claimed_seconds(&lr->lesson, s);
        if (csv) remove(csv);
        free(csv);
        csv = NULL;
    }
    rc = 0;
cleanup:
    pd_worker_keep_end(keep);
    free(claimed_names);
    if (csv) remove(csv);
    free(csv);
    free(log);
    free(peaks_log);
    free(sizes);
    return rc;
}

/* No single unclaimed variant at a single size may take more than a
 * quarter of its lesson's share of what is left of the budget: each
 * lesson gets an equal share of the rest, so what claims took earlier
 * (they are never cut) is taken from what comes after. 0 when the run has
 * no budget; never 0 with one, or the budget would switch off. */
static double lesson_cap(const pd_run_opts *o, double elapsed_s, size_t lesson)
{
    double left;
    if (!(o->budget_s > 0)) return 0;
    left = o->budget_s - elapsed_s;
    if (left < 1e-3) left = 1e-3;
    return left / (double)(o->nlessons - lesson) / 4;
}

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int pd_run_lessons(const pd_run_opts *o, pd_run *run, pd_err *e)
{
    char exe[4096], *results = NULL, *logs = NULL;
    pd_lesson *decls = NULL;
    pd_err *derrs = NULL;
    progress p = {&o->observer, "", 0, 0, o->nlessons};
    uint64_t t0 = pd_now_ns();
    double stolen_at_start = pd_cpu_stolen_s();
    int rc = -1, failed = 0;

    memset(run, 0, sizeof *run);
    run->budget_s = o->budget_s;
    utc_now(run->started, sizeof run->started);
    pd_machine_probe(&run->machine);
    /* The noise floor every figure of the run sits on. */
    run->clock_step_ns = (double)pd_clock_step_ns();
    run->call_overhead_ns = pd_harness_overhead_s(&o->measure) * 1e9;
    run->lessons = pd_xcalloc(o->nlessons, sizeof *run->lessons);
    if (self_exe(exe, sizeof exe, e) < 0) return -1;
    logs = pd_strdup_printf("%s/logs", o->out_dir);
    if (pd_mkdir_p(logs, e) < 0) goto cleanup;
    results = pd_strdup_printf("%s/results.json", o->out_dir);
    /* Every declaration first, read by one worker process. */
    decls = pd_xcalloc(o->nlessons, sizeof *decls);
    derrs = pd_xcalloc(o->nlessons, sizeof *derrs);
    pd_lessons_load(o->lesson_paths, o->nlessons, &o->measure, decls, derrs);

    for (size_t i = 0; i < o->nlessons && !pd_stop_signal(); i++) {
        pd_lesson_result *lr = &run->lessons[i];
        pd_err lerr = {0};
        p.lesson_no = i + 1;
        run->nlessons = i + 1;
        double cap = lesson_cap(o, pd_ns_to_s(pd_now_ns() - t0), i);
        double stolen = pd_cpu_stolen_s(), stolen_now;
        lr->lesson = decls[i];
        memset(&decls[i], 0, sizeof decls[i]);
        if (derrs[i].set) lerr = derrs[i];
        if (derrs[i].set || run_lesson(o, exe, o->lesson_paths[i], cap, &p, run, lr, &lerr) < 0) {
            lr->error = pd_strdup(lerr.msg);
            failed = 1;
        }
        stolen_now = pd_cpu_stolen_s();
        lr->stolen_s = stolen_now - stolen;
        run->stolen_s = stolen_now - stolen_at_start;
        pd_lesson_result_derive(lr);
        if (o->observer.lesson_done) o->observer.lesson_done(o->observer.ctx, lr);
        run->wall_s = pd_ns_to_s(pd_now_ns() - t0);
        /* Saved after every lesson: an interrupted run keeps what it has. */
        if (pd_results_write(run, results, e) < 0) goto cleanup;
    }
    rc = failed;
    run->stopped_by = pd_stop_signal();
cleanup:
    for (size_t i = 0; decls && i < o->nlessons; i++) pd_lesson_free(&decls[i]);
    free(decls);
    free(derrs);
    free(logs);
    free(results);
    return rc;
}
