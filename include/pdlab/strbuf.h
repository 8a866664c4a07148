#ifndef PDLAB_STRBUF_H
#define PDLAB_STRBUF_H
/* Growable NUL-terminated text (Redis's sds in miniature); {0} is empty.
 * Aborts on out of memory, as pd_xcalloc does. The buffer owns b->s; the
 * caller frees it with pd_buf_free or takes it over (b->s, then {0}). */

#include <stddef.h>

typedef struct pd_buf {
    char *s;    /* NULL until something is added */
    size_t len; /* bytes, without the NUL */
    size_t cap;
} pd_buf;

void pd_buf_add(pd_buf *b, const void *p, size_t n);
void pd_buf_puts(pd_buf *b, const char *s);
void pd_buf_printf(pd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *pd_buf_str(const pd_buf *b); /* "" while empty */
void pd_buf_free(pd_buf *b);             /* back to {0} */

#endif
