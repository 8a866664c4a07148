#ifndef PDLAB_SPAWN_H
#define PDLAB_SPAWN_H
/* Starting a child process, in one place (git's run-command.h model): no
 * shell, descriptors set up by posix_spawn, and the child leading its own
 * process group so everything it starts can be killed with it.
 *
 * Lifecycle:
 *   pd_child c = {0};                  every field below "set before" is
 *   c.argv = ...; c.out = PD_IO_NULL;  optional except argv
 *   if (pd_child_start(&c, e) < 0) ... nothing to clean up
 *   read c.pipe to its end             when pipe_fd was set
 *   pd_child_kill(&c, SIGKILL);        optional: the whole group
 *   pd_child_wait(&c, &status, e);     always once after a start: reaps
 *                                      the child, closes c.pipe,
 *                                      c.out_pipe and c.cmd_pipe
 */

#include <sys/types.h>

#include "pdlab/error.h"

typedef enum pd_child_io {
    PD_IO_INHERIT, /* the parent's descriptor, as it is */
    PD_IO_NULL,    /* /dev/null */
    PD_IO_FILE,    /* the path given, created or truncated */
    PD_IO_APPEND,  /* the path given, created or appended to */
    PD_IO_STDOUT,  /* err only: wherever the child's stdout goes */
    PD_IO_PIPE,    /* out only: a pipe the parent reads from `out_pipe` */
} pd_child_io;

typedef struct pd_child {
    /* Set before pd_child_start. */
    const char *path;          /* program to run: a path, never searched */
    const char *const *argv;   /* NULL-terminated; argv[0] is its name */
    const char *dir;           /* working directory of the child, or NULL */
    pd_child_io in, out, err;
    const char *in_path, *out_path, *err_path; /* for FILE and APPEND */
    int pipe_fd;               /* 0: none. 1, 2 or above: what the child
                                  writes on this descriptor, the parent
                                  reads from `pipe` (this wins over out or
                                  err for 1 and 2) */
    int cmd_fd;                /* 0: none. 3 or above, not pipe_fd: what
                                  the parent writes on `cmd_pipe`, the
                                  child reads on this descriptor */
    /* Set by pd_child_start. */
    pid_t pid;                 /* also the process group; 0 when none */
    int pipe;                  /* read end of the pipe, close-on-exec; -1 */
    int out_pipe;              /* read end of stdout's pipe (PD_IO_PIPE),
                                  close-on-exec; -1 */
    int cmd_pipe;              /* write end of cmd_fd's pipe, close-on-exec;
                                  -1 */
} pd_child;

/* Starts the child; -1 with *e naming the program when it cannot. */
int pd_child_start(pd_child *c, pd_err *e);

/* Sends sig to the child's whole process group; 0, or -1 (errno) when
 * there is no such group any more. */
int pd_child_kill(pd_child *c, int sig);

/* 1 when the child has exited (or is gone), 0 while it runs. It is not
 * reaped: pd_child_wait still gives its status. */
int pd_child_exited(const pd_child *c);

/* Waits for the child to end, closes the pipe if still open, and gives its
 * raw wait status. -1 with *e set when it cannot wait. */
int pd_child_wait(pd_child *c, int *status, pd_err *e);

/* In a child pdlab started (a worker): caps this process's address space
 * at bytes (0: no cap). Not under AddressSanitizer, whose shadow memory
 * reserves terabytes (the test build only): no such cap could hold. */
void pd_limit_address_space(unsigned long long bytes);

/* "exit 3", "signal 9 (Killed)": how a wait status ended. Into buf. */
const char *pd_child_status_text(int status, char *buf, size_t size);

#endif
