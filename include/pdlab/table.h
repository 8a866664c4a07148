#ifndef PDLAB_TABLE_H
#define PDLAB_TABLE_H
/* The terminal view of results: one table per lesson and size, human units. */

#include <stdio.h>

#include "pdlab/result.h"

void pd_table_print_lesson(FILE *out, const pd_lesson_result *l);

/* "Where the time went" of a run, one line per share. */
void pd_table_print_breakdown(FILE *out, const pd_run *r);

#endif
