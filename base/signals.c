/* Signals that stop a command: see include/pdlab/signals.h.
 *
 * Why C and not Python owns SIGINT in the parent: the embedded interpreter
 * would turn it into a pending KeyboardInterrupt that only surfaces the next
 * time Python code runs in the parent (the next lesson file, which then takes
 * the blame) while the C loop waiting on a worker never hears of it. The
 * interpreter is started without its handlers (install_signal_handlers = 0 in
 * bench/embed.c) and these are installed instead. */

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "pdlab/signals.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    /* The first signal is the one reported; a second changes nothing while
     * the run unwinds (it takes well under a second). */
    if (stop_signal == 0) stop_signal = sig;
}

void pd_stop_signals_install(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    static int installed;
    struct sigaction sa;

    if (installed) return;
    installed = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    /* Restarted system calls keep file I/O simple; poll(), where the
     * supervisor waits, is never restarted and returns EINTR at once. */
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

void pd_ignore_file_size_signal(void)
{
    signal(SIGXFSZ, SIG_IGN);
}

int pd_stop_signal(void)
{
    return stop_signal;
}

const char *pd_signal_name(int sig, char *buf, unsigned size)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    }
    snprintf(buf, size, "signal %d", sig);
    return buf;
}

int pd_stop_error(pd_err *e, const char *doing)
{
    char buf[32];
    const char *name = pd_signal_name(stop_signal, buf, sizeof buf);
    if (doing) return pd_error(e, "interrupted by %s while %s", name, doing);
    return pd_error(e, "interrupted by %s", name);
}
