#ifndef PDLAB_TIMER_H
#define PDLAB_TIMER_H
/* One clock for every measurement: CLOCK_MONOTONIC, in nanoseconds. */

#include <stdint.h>

uint64_t pd_now_ns(void);

/* The clock's advertised resolution (clock_getres), in nanoseconds. */
uint64_t pd_clock_resolution_ns(void);

/* Smallest nonzero difference between two consecutive readings, the
 * resolution a measurement actually gets. */
uint64_t pd_clock_step_ns(void);

static inline double pd_ns_to_s(uint64_t ns) { return (double)ns / 1e9; }

#endif
