/* Allocation that never returns NULL: see include/pdlab/alloc.h. The only
 * code in the library allowed to print, because out of memory leaves
 * nothing to record an error with. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"


static _Noreturn void out_of_memory(size_t bytes) {
    fprintf(stderr, "pdlab: out of memory (allocating %zu bytes)\n", bytes);
    abort();
}

/* Never returns NULL; a zero-byte request still yields a freeable block. */
void *pd_xrealloc(void *p, size_t size) {
    void *q = realloc(p, size ? size : 1);
    if (q == NULL) out_of_memory(size);
    return q;
}

void *pd_xcalloc(size_t n, size_t size) {
    void *p;

    if (size != 0 && n > SIZE_MAX / size) out_of_memory(SIZE_MAX);
    p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) out_of_memory(n * size);
    return p;
}

char *pd_strdup(const char *s) {
    size_t len;

    if (s == NULL) return NULL;
    len = strlen(s) + 1;
    return memcpy(pd_xrealloc(NULL, len), s, len);
}

char *pd_strdup_printf(const char *fmt, ...) {
    va_list ap, ap2;
    char *s;
    int n;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap); /* measure, then format for real */
    va_end(ap);
    if (n < 0) {
        /* A bad format or a result over INT_MAX: a bug in the caller,
         * with no pd_err to report it on. */
        fprintf(stderr, "pdlab: pd_strdup_printf(\"%s\") failed\n", fmt);
        abort();
    }
    s = pd_xrealloc(NULL, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

