#ifndef PDLAB_FILEIO_H
#define PDLAB_FILEIO_H
/* Files written so that a reader never sees half of one: data goes to a
 * temporary file beside the target, is flushed and synced, and is renamed
 * into place. Every system call goes through pd_sys so tests can inject
 * disk-full and I/O errors (SQLite's aSyscall idea). */

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "pdlab/error.h"

typedef struct pd_syscalls {
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*fsync)(int fd);
    int (*close)(int fd);
    int (*rename)(const char *from, const char *to);
} pd_syscalls;

/* The table in use; tests may replace its members and must restore them. */
extern pd_syscalls pd_sys;

/* Replaces path with exactly len bytes of data. On failure path is untouched
 * and the temporary file is removed. */
int pd_write_file_atomic(const char *path, const void *data, size_t len,
                         pd_err *e);

/* Copies the file src to dst (created or truncated). On failure dst is
 * removed. */
int pd_copy_file(const char *src, const char *dst, pd_err *e);

/* mkdir -p. */
int pd_mkdir_p(const char *path, pd_err *e);

/* Removes path and everything under it, never following a symbolic link
 * (a link is removed, not what it points at). A missing path is success. */
int pd_remove_tree(const char *path, pd_err *e);

/* Reads a whole file into a new NUL-terminated buffer (caller frees). */
char *pd_read_file(const char *path, size_t *len, pd_err *e);

#endif
