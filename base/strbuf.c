/* A growable string: see include/pdlab/strbuf.h. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/strbuf.h"


static void buf_reserve(pd_buf *b, size_t more)
{
    size_t need = b->len + more + 1;
    char *s;

    if (need <= b->cap) return;
    b->cap = b->cap ? b->cap : 256;
    while (b->cap < need) b->cap *= 2;
    s = realloc(b->s, b->cap);
    if (!s) {
        fprintf(stderr, "pdlab: out of memory (allocating %zu bytes)\n", b->cap);
        abort();
    }
    b->s = s;
}

void pd_buf_add(pd_buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void pd_buf_puts(pd_buf *b, const char *s)
{
    if (s) pd_buf_add(b, s, strlen(s));
}

/* Most pieces are short: formatted once into a small buffer, and a second
 * time, in place, only when they do not fit. */
void pd_buf_printf(pd_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) abort(); /* a bad format: a bug here, nothing to report */
    if ((size_t)n < sizeof small) {
        pd_buf_add(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *pd_buf_str(const pd_buf *b)
{
    return b->s ? b->s : "";
}

void pd_buf_free(pd_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

