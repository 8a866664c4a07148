/* A worker's output, bounded: see bench/worker_log.h. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "worker_log.h"

int worker_log_open(worker_log *l, const char *path, pd_err *e)
{
    memset(l, 0, sizeof *l);
    l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (l->fd < 0) return pd_error_errno(e, "cannot open the worker log %s", path);
    return 0;
}

static void write_out(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* Into the ring, overwriting its oldest bytes. */
static void ring_put(worker_log *l, const char *p, size_t n)
{
    if (l->ring == NULL) l->ring = pd_xrealloc(NULL, WORKER_LOG_TAIL);
    if (n > WORKER_LOG_TAIL) { /* only its last bytes can stay */
        l->dropped += n - WORKER_LOG_TAIL + l->ring_len;
        p += n - WORKER_LOG_TAIL;
        n = WORKER_LOG_TAIL;
        l->ring_len = l->ring_end = 0;
    }
    if (l->ring_len + n > WORKER_LOG_TAIL) {
        size_t out = l->ring_len + n - WORKER_LOG_TAIL;
        l->dropped += out;
        l->ring_len -= out;
    }
    while (n > 0) {
        size_t k = WORKER_LOG_TAIL - l->ring_end;
        if (k > n) k = n;
        memcpy(l->ring + l->ring_end, p, k);
        l->ring_end = (l->ring_end + k) % WORKER_LOG_TAIL;
        l->ring_len += k;
        p += k;
        n -= k;
    }
}

void worker_log_feed(worker_log *l, const char *buf, size_t n)
{
    if (l->fd < 0) return;
    if (l->head < WORKER_LOG_HEAD) {
        size_t k = WORKER_LOG_HEAD - l->head < n ? (size_t)(WORKER_LOG_HEAD - l->head) : n;
        write_out(l->fd, buf, k);
        l->head += k;
        buf += k;
        n -= k;
    }
    if (n) ring_put(l, buf, n);
}

void worker_log_close(worker_log *l)
{
    if (l->fd >= 0 && l->ring_len) {
        size_t start = (l->ring_end + WORKER_LOG_TAIL - l->ring_len) % WORKER_LOG_TAIL;
        size_t first = WORKER_LOG_TAIL - start < l->ring_len ? WORKER_LOG_TAIL - start
                                                             : l->ring_len;
        if (l->dropped) {
            char note[160];
            int k = snprintf(note, sizeof note,
                             "\n[pdlab: %llu bytes of this worker's output left out; the "
                             "log keeps its first and last %u KiB]\n",
                             (unsigned long long)l->dropped, WORKER_LOG_TAIL >> 10);
            write_out(l->fd, note, (size_t)k);
        }
        write_out(l->fd, l->ring + start, first);
        write_out(l->fd, l->ring, l->ring_len - first);
    }
    if (l->fd >= 0) close(l->fd);
    free(l->ring);
    memset(l, 0, sizeof *l);
    l->fd = -1;
}

char *worker_log_tail(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *buf;
    ssize_t got;
    off_t from;

    if (fd < 0) return pd_strdup("");
    if (fstat(fd, &st) != 0) {
        close(fd);
        return pd_strdup("");
    }
    from = st.st_size > (off_t)max ? st.st_size - (off_t)max : 0;
    buf = pd_xrealloc(NULL, max + 1);
    do got = pread(fd, buf, max, from);
    while (got < 0 && errno == EINTR);
    close(fd);
    buf[got > 0 ? got : 0] = '\0';
    /* Text of a worker is C text here: a NUL it printed ends it. */
    return buf;
}
