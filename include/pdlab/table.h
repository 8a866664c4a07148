#ifndef PDLAB_TABLE_H
#define PDLAB_TABLE_H
/* The terminal view of results: one table per lesson and size, human units. */

#include <stdio.h>

#include "pdlab/result.h"

void pd_table_print_lesson(FILE *out, const pd_lesson_result *l);

/* "Where the time went" of a run, one line per share. */
void pd_table_print_breakdown(FILE *out, const pd_run *r);

/* 1.23 ms, 45.6 s, 812 ns: three significant digits, into buf. */
const char *pd_fmt_seconds(double s, char *buf, size_t size);
/* 1.2 MiB, 830 KiB, 12 B. */
const char *pd_fmt_bytes(double b, char *buf, size_t size);
/* 412x, 2.5x, 0.08x; "-" for NaN or <= 0. */
const char *pd_fmt_ratio(double r, char *buf, size_t size);
/* 1,000,000 */
const char *pd_fmt_count(unsigned long long n, char *buf, size_t size);

#endif
