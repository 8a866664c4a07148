/* Where runs live (include/pdlab/results.h): the results root, a new
 * run's directory in it, the `latest` link, and the newest run that holds
 * a lesson. `pdlab run` writes here and `pdlab show` reads here, so they
 * agree wherever each is started: the root is the project's results/,
 * beside its lessons directory, never the current directory. */

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/lesson.h"
#include "pdlab/results.h"

/* How many runs the newest-with search looks through. */
#define MAX_RUNS 4096

char *pd_results_root(void)
{
    const char *env = getenv("PDLAB_RESULTS");
    char *lessons, *root;

    if (env && *env) return pd_strdup(env);
    lessons = pd_strdup(pd_lessons_dir());
    root = pd_strdup_printf("%s/results", dirname(lessons));
    free(lessons);
    return root;
}

char *pd_results_new_run_dir(void)
{
    char stamp[32], *root = pd_results_root(), *dir;
    time_t t = time(NULL);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    dir = pd_strdup_printf("%s/%s", root, stamp);
    free(root);
    return dir;
}

void pd_results_link_latest(const char *run_dir)
{
    char *root = pd_results_root(), *tmp, *latest;
    size_t n = strlen(root);
    const char *base = run_dir + n + 1;

    /* Only a run directly in the root: --out elsewhere leaves it alone. */
    if (strncmp(run_dir, root, n) != 0 || run_dir[n] != '/' || !*base || strchr(base, '/')) {
        free(root);
        return;
    }
    tmp = pd_strdup_printf("%s/latest.tmp", root);
    latest = pd_strdup_printf("%s/latest", root);
    /* Replaced by rename so that `latest` is never missing. */
    unlink(tmp);
    if (symlink(base, tmp) == 0 && rename(tmp, latest) != 0) unlink(tmp);
    free(latest);
    free(tmp);
    free(root);
}

static int cmp_desc(const void *a, const void *b)
{
    return -strcmp(*(char *const *)a, *(char *const *)b);
}

static int holds(const pd_run *run, const char *id)
{
    for (size_t i = 0; i < run->nlessons; i++)
        if (strcmp(run->lessons[i].lesson.id, id) == 0) return 1;
    return 0;
}

int pd_results_newest_with(const char *root, const char *id, pd_run *run, char *path,
                           size_t size)
{
    DIR *d = opendir(root);
    struct dirent *ent;
    char **runs;
    size_t n = 0;
    int found = 0;

    if (d == NULL) return -1;
    runs = pd_xcalloc(MAX_RUNS, sizeof *runs);
    while ((ent = readdir(d)) != NULL && n < MAX_RUNS)
        if (ent->d_name[0] != '.' && strcmp(ent->d_name, "latest") != 0)
            runs[n++] = pd_strdup(ent->d_name);
    closedir(d);
    /* Run directories are named by their start time: names sort by age. */
    qsort(runs, n, sizeof *runs, cmp_desc);
    for (size_t i = 0; i < n && !found; i++) {
        pd_err ignored = {0}; /* a run that cannot be read is not evidence */
        snprintf(path, size, "%s/%s/results.json", root, runs[i]);
        if (access(path, R_OK) != 0 || pd_results_read(path, run, &ignored) < 0) continue;
        found = holds(run, id);
        if (!found) pd_run_free(run);
    }
    for (size_t i = 0; i < n; i++) free(runs[i]);
    free(runs);
    return found ? 0 : -1;
}
