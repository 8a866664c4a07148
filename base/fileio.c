/* Files and memory: see include/pdlab/fileio.h.
 *
 * Sections:
 *   - the system call table (the seam tests use to inject faults)
 *   - atomic write, mkdir -p, whole-file read
 */

#define _POSIX_C_SOURCE 200809L

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * System calls
 * ---------------------------------------------------------------------- */

pd_syscalls pd_sys = {
    .write = write,
    .fsync = fsync,
    .close = close,
    .rename = rename,
};

/* ------------------------------------------------------------------------
 * Atomic write
 * ---------------------------------------------------------------------- */

/* Writes all len bytes, resuming after short writes and signals. A disk
 * that takes nothing (write returning 0) is reported as full rather than
 * retried forever. */
static int write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        size_t chunk = len < SSIZE_MAX ? len : SSIZE_MAX;
        ssize_t n = pd_sys.write(fd, p, chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) {
            errno = ENOSPC;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int pd_write_file_atomic(const char *path, const void *data, size_t len,
                         pd_err *e) {
    /* Beside the target so rename() stays within one file system; the pid
     * keeps concurrent writers (workers) off each other's temporary file. */
    char *tmp = pd_strdup_printf("%s.tmp.%ld", path, (long)getpid());
    int fd = -1, rc = -1, made_tmp = 0, close_rc;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        pd_error_errno(e, "cannot create %s", tmp);
        goto cleanup;
    }
    made_tmp = 1;
    if (write_all(fd, data, len) != 0) {
        pd_error_errno(e, "cannot write %s", path);
        goto cleanup;
    }
    /* Without the sync, a crash after rename() can leave a renamed but
     * empty file: the metadata reached the disk before the data. */
    if (pd_sys.fsync(fd) != 0) {
        pd_error_errno(e, "cannot sync %s", path);
        goto cleanup;
    }
    /* close() can report a delayed write error (NFS). The descriptor is
     * gone either way, so it must not be closed again below. */
    close_rc = pd_sys.close(fd);
    fd = -1;
    if (close_rc != 0) {
        pd_error_errno(e, "cannot close %s", path);
        goto cleanup;
    }
    if (pd_sys.rename(tmp, path) != 0) {
        pd_error_errno(e, "cannot rename %s to %s", tmp, path);
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (fd >= 0) pd_sys.close(fd); /* already failing: its error adds nothing */
    if (rc != 0 && made_tmp) unlink(tmp); /* the target was never touched */
    free(tmp);
    return rc;
}

/* ------------------------------------------------------------------------
 * Copy
 * ---------------------------------------------------------------------- */

#define COPY_CHUNK (1u << 20)

int pd_copy_file(const char *src, const char *dst, pd_err *e) {
    char *buf = NULL;
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1, close_rc, made = 0;
    ssize_t got;

    if (in < 0) return pd_error_errno(e, "cannot read %s", src);
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) {
        pd_error_errno(e, "cannot create %s", dst);
        goto cleanup;
    }
    made = 1;
    buf = pd_xcalloc(1, COPY_CHUNK);
    while ((got = read(in, buf, COPY_CHUNK)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            pd_error_errno(e, "cannot read %s", src);
            goto cleanup;
        }
        if (write_all(out, buf, (size_t)got) != 0) {
            pd_error_errno(e, "cannot write %s", dst);
            goto cleanup;
        }
    }
    close_rc = pd_sys.close(out);
    out = -1;
    if (close_rc != 0) {
        pd_error_errno(e, "cannot close %s", dst);
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (out >= 0) pd_sys.close(out);
    if (rc != 0 && made) unlink(dst);
    close(in);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------
 * mkdir -p
 * ---------------------------------------------------------------------- */

/* Makes one directory; one that already exists is success. */
static int mkdir_one(const char *dir, pd_err *e) {
    struct stat st;

    if (mkdir(dir, 0777) == 0) return 0;
    if (errno == EEXIST) {
        /* stat() follows symlinks, so a link to a directory will do. */
        if (stat(dir, &st) != 0) goto fail;
        if (S_ISDIR(st.st_mode)) return 0;
        errno = ENOTDIR;
    }
fail:
    return pd_error_errno(e, "cannot create directory %s", dir);
}

int pd_mkdir_p(const char *path, pd_err *e) {
    char *p;
    int rc = -1;

    if (path == NULL || path[0] == '\0')
        return pd_error(e, "cannot create a directory with an empty name");
    p = pd_strdup(path);
    /* Each '/' ends a parent: cut there, make it, put the '/' back. Start
     * past the first byte so "/abs" does not try to make "". */
    for (char *s = p + 1; *s != '\0'; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir_one(p, e) != 0) goto cleanup;
        *s = '/';
    }
    if (mkdir_one(p, e) != 0) goto cleanup;
    rc = 0;

cleanup:
    free(p);
    return rc;
}

/* ------------------------------------------------------------------------
 * Removing a tree
 * ---------------------------------------------------------------------- */

/* nftw gives no context pointer: the first failure is kept here. */
static char remove_failed[PATH_MAX];
static int remove_errno;

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f) {
    (void)st;
    (void)f;
    if ((type == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT) return 0;
    remove_errno = errno;
    snprintf(remove_failed, sizeof remove_failed, "%s", path);
    return 1;
}

int pd_remove_tree(const char *path, pd_err *e) {
    int rc;
    remove_errno = 0;
    /* Depth first (a directory after what it holds), physical: a link a
     * variant left in its scratch directory goes, its target stays. */
    rc = nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    if (rc == 0 || (rc < 0 && errno == ENOENT)) return 0;
    if (remove_errno) errno = remove_errno;
    return pd_error_errno(e, "cannot remove %s", remove_errno ? remove_failed : path);
}

/* ------------------------------------------------------------------------
 * Whole-file read
 * ---------------------------------------------------------------------- */

char *pd_read_file(const char *path, size_t *len, pd_err *e) {
    struct stat st;
    char *buf = NULL;
    size_t cap, used = 0;
    int fd = -1;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pd_error_errno(e, "cannot open %s", path);
        goto cleanup;
    }
    /* The size is only a hint: /proc files say 0, and a file can grow while
     * we read. Read to end of file whatever it claims. */
    cap = (fstat(fd, &st) == 0 && st.st_size > 0) ? (size_t)st.st_size + 1 : 4096;
    buf = pd_xrealloc(NULL, cap);
    for (;;) {
        ssize_t n;
        if (used + 1 >= cap) {
            cap *= 2;
            buf = pd_xrealloc(buf, cap);
        }
        n = read(fd, buf + used, cap - 1 - used); /* keep a byte for NUL */
        if (n < 0) {
            if (errno == EINTR) continue;
            pd_error_errno(e, "cannot read %s", path);
            free(buf);
            buf = NULL;
            goto cleanup;
        }
        if (n == 0) break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    if (len != NULL) *len = used;

cleanup:
    /* Closing a descriptor only read from cannot lose data. */
    if (fd >= 0) pd_sys.close(fd);
    return buf;
}
