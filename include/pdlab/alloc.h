#ifndef PDLAB_ALLOC_H
#define PDLAB_ALLOC_H
/* Allocation for the whole program. Out of memory is not an error pdlab
 * reports and survives: these print one line and abort, so callers never
 * check for NULL. Everything they return is the caller's to free(). */

#include <stddef.h>

void *pd_xcalloc(size_t n, size_t size); /* zeroed; n or size 0 still frees */
void *pd_xrealloc(void *p, size_t size);
char *pd_strdup(const char *s);          /* NULL stays NULL */
char *pd_strdup_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
