/* Child processes: see include/pdlab/spawn.h.
 *
 * Everything the child gets is set up by posix_spawn's file actions and
 * attributes, never by code running between fork and exec, so starting a
 * child is safe from a process with threads (CPython's) and costs no copy
 * of the parent's memory. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/spawn.h"

extern char **environ;

/* The file actions that put fd where `how` says. */
static int redirect(posix_spawn_file_actions_t *fa, int fd, pd_child_io how,
                    const char *path)
{
    int rd = fd == 0 ? O_RDONLY : O_WRONLY;

    switch (how) {
    case PD_IO_INHERIT: return 0;
    case PD_IO_NULL:
        return posix_spawn_file_actions_addopen(fa, fd, "/dev/null", rd, 0);
    case PD_IO_FILE:
        return posix_spawn_file_actions_addopen(
            fa, fd, path, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0644);
    case PD_IO_APPEND:
        return posix_spawn_file_actions_addopen(
            fa, fd, path, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_APPEND, 0644);
    case PD_IO_STDOUT:
        return fd == 2 ? posix_spawn_file_actions_adddup2(fa, 1, 2) : EINVAL;
    case PD_IO_PIPE:
        return EINVAL; /* set up by file_actions, which has the pipe */
    }
    return EINVAL;
}

/* The file actions, in an order that lets later ones win: stdin, stdout,
 * stderr to files, the pipe, then stderr joining stdout. */
static int file_actions(posix_spawn_file_actions_t *fa, const pd_child *c,
                        int pipe_w, int out_w, int cmd_r)
{
    int err;

    if ((err = redirect(fa, 0, c->in, c->in_path))
        || (c->out == PD_IO_PIPE ? (err = posix_spawn_file_actions_adddup2(fa, out_w, 1))
                                 : (err = redirect(fa, 1, c->out, c->out_path)))
        || (c->err != PD_IO_STDOUT && (err = redirect(fa, 2, c->err, c->err_path))))
        return err;
    /* dup2 clears close-on-exec on the target, which is never the source
     * itself (see make_pipe). */
    if (pipe_w >= 0 && (err = posix_spawn_file_actions_adddup2(fa, pipe_w, c->pipe_fd)))
        return err;
    if (cmd_r >= 0 && (err = posix_spawn_file_actions_adddup2(fa, cmd_r, c->cmd_fd)))
        return err;
    if (c->err == PD_IO_STDOUT && (err = redirect(fa, 2, c->err, NULL)))
        return err;
    if (c->dir && (err = posix_spawn_file_actions_addchdir_np(fa, c->dir)))
        return err;
    return 0;
}

/* The lowest descriptor a pipe's child end may have in the parent: above
 * every descriptor it can become in the child (stdout, pipe_fd, cmd_fd),
 * so that no dup2 lands on itself (which would leave it close-on-exec) or
 * on the source of another. */
#define CHILD_END_MIN_FD 16

/* A pipe, both ends close-on-exec; the end `child_end` (0 read, 1 write)
 * at CHILD_END_MIN_FD or above. */
static int make_pipe(int fds[2], int child_end)
{
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    if (fds[child_end] < CHILD_END_MIN_FD) {
        int d = fcntl(fds[child_end], F_DUPFD_CLOEXEC, CHILD_END_MIN_FD);
        if (d < 0) {
            close(fds[0]);
            close(fds[1]);
            return -1;
        }
        close(fds[child_end]);
        fds[child_end] = d;
    }
    return 0;
}

int pd_child_start(pd_child *c, pd_err *e)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int fds[2] = {-1, -1}, outs[2] = {-1, -1}, cmds[2] = {-1, -1}, err, rc = -1;

    c->pid = 0;
    c->pipe = -1;
    c->out_pipe = -1;
    c->cmd_pipe = -1;
    if (c->pipe_fd > 0 && make_pipe(fds, 1) < 0)
        return pd_error_errno(e, "cannot start %s: pipe", c->path);
    if ((c->out == PD_IO_PIPE && make_pipe(outs, 1) < 0) ||
        (c->cmd_fd > 0 && make_pipe(cmds, 0) < 0)) {
        pd_error_errno(e, "cannot start %s: pipe", c->path);
        goto cleanup_fds;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    /* Its own process group (pgid = its pid): killing the group reaches
     * whatever it starts, and a ^C meant for pdlab is pdlab's to pass on. */
    if ((err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP))
        || (err = posix_spawnattr_setpgroup(&attr, 0))
        || (err = file_actions(&fa, c, fds[1], outs[1], cmds[0]))
        || (err = posix_spawn(&c->pid, c->path, &fa, &attr,
                              (char *const *)c->argv, environ))) {
        c->pid = 0;
        pd_error(e, "cannot start %s: %s", c->path, strerror(err));
        goto cleanup;
    }
    c->pipe = fds[0];
    c->out_pipe = outs[0];
    c->cmd_pipe = cmds[1];
    fds[0] = outs[0] = cmds[1] = -1;
    rc = 0;
cleanup:
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
cleanup_fds:
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0) close(fds[i]);
        if (outs[i] >= 0) close(outs[i]);
        if (cmds[i] >= 0) close(cmds[i]);
    }
    return rc;
}

int pd_child_kill(pd_child *c, int sig)
{
    if (c->pid <= 0) {
        errno = ESRCH;
        return -1;
    }
    return killpg(c->pid, sig);
}

int pd_child_exited(const pd_child *c)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0)
        return errno == ECHILD;
    return info.si_pid != 0;
}

int pd_child_wait(pd_child *c, int *status, pd_err *e)
{
    int rc = 0;

    if (c->pipe >= 0) {
        close(c->pipe);
        c->pipe = -1;
    }
    if (c->out_pipe >= 0) {
        close(c->out_pipe);
        c->out_pipe = -1;
    }
    if (c->cmd_pipe >= 0) {
        close(c->cmd_pipe);
        c->cmd_pipe = -1;
    }
    if (c->pid <= 0) return pd_error(e, "no child of %s to wait for", c->path);
    while (waitpid(c->pid, status, 0) < 0) {
        if (errno != EINTR) {
            rc = pd_error_errno(e, "cannot wait for %s", c->path);
            break;
        }
    }
    c->pid = 0;
    return rc;
}

const char *pd_child_status_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "wait status %d", status);
    return buf;
}

void pd_limit_address_space(unsigned long long bytes)
{
#ifndef __SANITIZE_ADDRESS__
    if (bytes) {
        struct rlimit rl = {bytes, bytes};
        setrlimit(RLIMIT_AS, &rl);
    }
#else
    (void)bytes;
#endif
}
