/* The data a lesson runs on: its own dataset or the run's --dataset, a
 * built-in recipe made at each size, or the user's imported data cut to
 * each size, with the user's columns under the lesson's names. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/format.h"
#include "run_int.h"

int pd_run_data_find(const pd_run_opts *o, const pd_lesson *l,
                     pd_dataset_ref *ref, pd_err *e)
{
    const char *spec = o->dataset ? o->dataset : l->dataset;
    if (pd_dataset_find(o->cache_dir, spec, ref, e) < 0) return -1;
    /* An imported file cannot be made again: a damaged one is an error. */
    if (!ref->recipe && pd_dataset_check(ref->path, NULL, e) < 0) {
        pd_error_prefix(e, "dataset '%s' cannot be used (import the CSV again with "
                        "`pdlab dataset import CSV --name NAME --replace`)", spec);
        return -1;
    }
    return 0;
}

/* Imported data has the rows it has: the lesson's sizes up to them, then
 * all of them when some size was larger, then the larger sizes, which are
 * not run ("over data rows"). Returns a new array of *n sizes. */
uint64_t *pd_run_data_sizes(const pd_dataset_ref *ref, const uint64_t *sizes, size_t n,
                            size_t *out_n)
{
    uint64_t *v = pd_xcalloc(n + 1, sizeof *v);
    size_t k = 0, over = 0, has_rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (ref->recipe || sizes[i] <= ref->rows) v[k++] = sizes[i];
        else over++;
        has_rows |= !ref->recipe && sizes[i] == ref->rows;
    }
    if (over && !has_rows) v[k++] = ref->rows;
    for (size_t i = 0; over && i < n; i++)
        if (sizes[i] > ref->rows) v[k++] = sizes[i];
    *out_n = k;
    return v;
}

/* Files this process has checked (or written): reading a file whole to
 * check it costs about a second per 300 MB, and lessons share files, so
 * each is checked once per run. A run is one process; never freed. */
static char **checked;
static size_t nchecked;

static int was_checked(const char *path)
{
    for (size_t i = 0; i < nchecked; i++)
        if (strcmp(checked[i], path) == 0) return 1;
    return 0;
}

/* A size whose data alone would not fit in a worker is refused before
 * its dataset is made: every variant would only run out of memory loading
 * it. A worker has the smaller of its --mem-limit and the machine's
 * memory. The estimate is of the loaded frame alone, so what passes may
 * still be too big for a variant's copies; that costs one variant,
 * reported as out of memory. */
static int check_fits_worker(const pd_run_opts *o, const pd_recipe *r, uint64_t n,
                             pd_err *e)
{
    double disk, memory, ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    double limit = (double)o->measure.mem_limit;
    char need[32], have[32];
    pd_recipe_estimate(r, n, &disk, &memory);
    if (ram > 0 && (limit <= 0 || ram < limit)) {
        if (memory <= ram) return 0;
        return pd_error(e, "the dataset '%s' alone takes about %s loaded, more than this "
                        "machine's memory (%s): leave this size out (--sizes)", r->name,
                        pd_fmt_bytes(memory, need, sizeof need),
                        pd_fmt_bytes(ram, have, sizeof have));
    }
    if (limit <= 0 || memory <= limit) return 0;
    return pd_error(e, "the dataset '%s' alone takes about %s loaded, over a worker's "
                    "memory limit of %llu MiB: raise --mem-limit or leave this size out "
                    "(--sizes)", r->name, pd_fmt_bytes(memory, need, sizeof need),
                    (unsigned long long)(o->measure.mem_limit >> 20));
}

/* A built-in recipe's file at n rows, made when it is not in the cache or
 * fails its checks (the observer hears which). */
static int recipe_file(const pd_run_opts *o, const pd_recipe *r, uint64_t n, char *buf,
                       size_t size, pd_err *e)
{
    const pd_run_observer *obs = &o->observer;
    pd_err damage = {0};
    int made = 0;
    if (pd_dataset_path(o->cache_dir, r->name, n, buf, size, e) < 0) return -1;
    if (was_checked(buf)) return 0;
    if (check_fits_worker(o, r, n, e) < 0) return -1;
    if (access(buf, F_OK) != 0 && obs->dataset) obs->dataset(obs->ctx, r->name, n, o->cache_dir);
    if (pd_dataset_ensure_checked(r, n, buf, &made, &damage, e) < 0) return -1;
    if (damage.set && obs->dataset_damaged) obs->dataset_damaged(obs->ctx, buf, damage.msg);
    checked = pd_xrealloc(checked, (nchecked + 1) * sizeof *checked);
    checked[nchecked++] = pd_strdup(buf);
    return 0;
}

int pd_run_data_prepare(const pd_run_opts *o, const pd_lesson *l, const pd_dataset_ref *ref,
                        uint64_t n, char *buf, size_t size, pd_err *e)
{
    char src[4096];
    if (ref->recipe) {
        if (recipe_file(o, ref->recipe, n, src, sizeof src, e) < 0) return -1;
    } else
        snprintf(src, sizeof src, "%s", ref->path);
    if (o->ncolumns || (!ref->recipe && n < ref->rows)) {
        if (pd_dataset_view(src, n, o->columns, o->ncolumns, o->cache_dir, buf, size, e) < 0)
            return -1;
    } else
        snprintf(buf, size, "%s", src);
    return l->columns && *l->columns ? pd_dataset_check_columns(buf, l->columns, e) : 0;
}
