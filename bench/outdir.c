/* The run's output directory: the lock, and clearing what an earlier run
 * left (include/pdlab/outdir.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/outdir.h"

#define LOCK_NAME ".pdlab.lock"

/* The PID the lock file holds, or 0 when it says nothing usable. */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return 0;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

static int take_lock(const char *dir, pd_outdir *od, pd_err *e)
{
    char *path = pd_strdup_printf("%s/" LOCK_NAME, dir), pid[32];
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), rc = -1;
    long other;

    if (fd < 0) {
        pd_error_errno(e, "cannot create the lock file %s", path);
        goto out;
    }
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) {
            pd_error_errno(e, "cannot lock %s", path);
            goto out;
        }
        other = holder_pid(fd);
        if (other > 0)
            pd_error(e, "another pdlab run (PID %ld) is writing to %s; wait for it to "
                     "finish or give this run another --out", other, dir);
        else
            pd_error(e, "another pdlab run is writing to %s; wait for it to finish or "
                     "give this run another --out", dir);
        goto out;
    }
    snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
        pd_error_errno(e, "cannot write the lock file %s", path);
        goto out;
    }
    od->lock_fd = fd;
    fd = -1;
    rc = 0;
out:
    if (fd >= 0) close(fd);
    free(path);
    return rc;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Removes the files in dir/sub whose names end in one of the tails. A
 * missing sub-directory has nothing to remove. */
static int remove_files(const char *dir, const char *sub, const char *const *tails,
                        pd_err *e)
{
    char *path = sub ? pd_strdup_printf("%s/%s", dir, sub) : pd_strdup(dir);
    DIR *d = opendir(path);
    struct dirent *de;
    int rc = 0;

    if (d == NULL) {
        rc = errno == ENOENT ? 0 : pd_error_errno(e, "cannot read directory %s", path);
        free(path);
        return rc;
    }
    while (rc == 0 && (de = readdir(d)) != NULL) {
        for (const char *const *t = tails; *t; t++) {
            char *file;
            if (!ends_with(de->d_name, *t) && !(**t == '*' && strstr(de->d_name, *t + 1)))
                continue;
            file = pd_strdup_printf("%s/%s", path, de->d_name);
            if (unlink(file) != 0 && errno != ENOENT)
                rc = pd_error_errno(e, "cannot remove %s, left by an earlier run", file);
            free(file);
            break;
        }
    }
    closedir(d);
    free(path);
    return rc;
}

/* What an earlier run in this directory wrote besides results.json: the
 * new run writes results.json over the old one, but it may draw charts of
 * other lessons (or none), and workers append to logs. A "*x" tail matches
 * names holding x (the temporaries of a killed run carry its PID). */
static int clear_earlier_run(const char *dir, pd_err *e)
{
    static const char *const top[] = {"report.html", "*.json.tmp.", NULL};
    static const char *const charts[] = {".png", ".svg", ".gp", ".dat", NULL};
    static const char *const logs[] = {".log", NULL};
    static const char *const tmp[] = {".csv", "*.csv.tmp.", NULL};
    return remove_files(dir, NULL, top, e) < 0 || remove_files(dir, "charts", charts, e) < 0 ||
                   remove_files(dir, "logs", logs, e) < 0 || remove_files(dir, "tmp", tmp, e) < 0
               ? -1
               : 0;
}

int pd_outdir_open(const char *dir, pd_outdir *od, pd_err *e)
{
    od->lock_fd = -1;
    if (pd_mkdir_p(dir, e) < 0 || take_lock(dir, od, e) < 0 || clear_earlier_run(dir, e) < 0) {
        pd_outdir_close(od);
        return -1;
    }
    return 0;
}

void pd_outdir_close(pd_outdir *od)
{
    if (od->lock_fd >= 0) close(od->lock_fd);
    od->lock_fd = -1;
}
