/* One clock for every measurement: see include/pdlab/timer.h.
 *
 * CLOCK_MONOTONIC is immune to wall-clock jumps (NTP, the user setting the
 * date) yet, unlike CLOCK_MONOTONIC_RAW, is read through the vDSO without a
 * system call, so a reading costs tens of nanoseconds. */

#define _POSIX_C_SOURCE 200809L

#include "pdlab/timer.h"

#include <time.h>

/* Readings taken to find the clock's step: enough to cross several ticks of
 * a coarse clock, few enough to take well under a millisecond. */
#define STEP_READINGS 4096

static uint64_t ts_to_ns(const struct timespec *ts) {
    return (uint64_t)ts->tv_sec * UINT64_C(1000000000) + (uint64_t)ts->tv_nsec;
}

uint64_t pd_now_ns(void) {
    struct timespec ts;

    /* Cannot fail on Linux: the clock id is valid and &ts is writable. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts_to_ns(&ts);
}

uint64_t pd_clock_resolution_ns(void) {
    struct timespec ts;

    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0) return 1;
    return ts_to_ns(&ts);
}

uint64_t pd_clock_step_ns(void) {
    uint64_t prev = pd_now_ns(), best = 0;

    for (int i = 0; i < STEP_READINGS; i++) {
        uint64_t now = pd_now_ns();
        uint64_t d = now - prev;
        if (d != 0 && (best == 0 || d < best)) best = d;
        prev = now;
    }
    /* A clock that never moved in all those readings is coarser than the
     * loop is long; its advertised resolution is the best we can say. */
    return best != 0 ? best : pd_clock_resolution_ns();
}
