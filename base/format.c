/* Numbers and text as a person reads them: see include/pdlab/format.h.
 * Every view (terminal, charts, report, the verdict sentence) formats
 * through here, so one figure reads the same everywhere. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/format.h"
#include "pdlab/strbuf.h"


/* Decimals that leave three significant digits for a value in [0, 1000). */
static int three_digits(double v)
{
    return v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
}

/* Into buf, which it returns. "-" for NaN or negative. The unit is chosen
 * after rounding, so 999.96 µs prints as "1.00 ms", not "1000 µs". */
const char *pd_fmt_seconds(double s, char *buf, size_t size)
{
    static const struct { const char *unit; double scale; } units[] = {
        {"ns", 1e9}, {"µs", 1e6}, {"ms", 1e3}, {"s", 1},
    };
    size_t last = sizeof units / sizeof units[0] - 1;

    if (!(s >= 0) || isinf(s)) {
        snprintf(buf, size, "-");
        return buf;
    }
    for (size_t i = 0; i <= last; i++) {
        double v = s * units[i].scale;
        if (v < 999.5 || i == last) {
            snprintf(buf, size, "%.*f %s", v < 999.5 ? three_digits(v) : 0,
                     v, units[i].unit);
            break;
        }
    }
    return buf;
}

/* Into buf, which it returns. Binary units; two significant digits below
 * ten, whole numbers above. "-" for zero, negative or NaN: a peak that was
 * not measured. */
const char *pd_fmt_bytes(double b, char *buf, size_t size)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t last = sizeof units / sizeof units[0] - 1, i = 0;

    if (!(b > 0) || isinf(b)) {
        snprintf(buf, size, "-");
        return buf;
    }
    while (b >= 1023.5 && i < last) {
        b /= 1024;
        i++;
    }
    snprintf(buf, size, "%.*f %s", i > 0 && b < 9.95 ? 1 : 0, b, units[i]);
    return buf;
}

/* Into buf, which it returns: 1234567 -> "1,234,567". */
const char *pd_fmt_count(unsigned long long n, char *buf, size_t size)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", n);
    size_t o = 0;

    if (size == 0)
        return buf;
    for (int i = 0; i < nd && o + 1 < size; i++) {
        if (i > 0 && (nd - i) % 3 == 0) {
            buf[o++] = ',';
            if (o + 1 >= size)
                break;
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* Into buf, which it returns: "412x", "2.5x", "0.08x"; "-" for NaN or
 * non-positive. Used by the table and by the summary sentence (result.c),
 * so both say a ratio the same way. */
const char *pd_fmt_ratio(double r, char *buf, size_t size)
{
    if (!(r > 0) || isinf(r))
        snprintf(buf, size, "-");
    else if (r >= 9.95)
        snprintf(buf, size, "%.0fx", r);
    else if (r >= 0.995)
        snprintf(buf, size, "%.1fx", r);
    else
        snprintf(buf, size, "%.2gx", r);
    return buf;
}

size_t pd_utf8_width(const char *s)
{
    size_t w = 0;

    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* Cuts on a character boundary, never inside a UTF-8 sequence. */
char *pd_shorten(const char *s, size_t max)
{
    size_t w = 0, i = 0;
    char *out;

    if (!s) s = "";
    if (pd_utf8_width(s) <= max || max < 2) return pd_strdup(s);
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++w == max) break;
        i++;
    }
    while (i > 0 && s[i - 1] == ' ') i--;
    out = pd_strdup_printf("%.*s…", (int)i, s);
    return out;
}


int pd_word_index(const char *word, const char *(*name_of)(int))
{
    const char *w;
    for (int i = 0; word && (w = name_of(i)) != NULL; i++)
        if (strcmp(w, word) == 0) return i;
    return -1;
}

void pd_term_escape(pd_buf *b, const char *s, size_t len)
{
    static const char clear_line[] = "\r\033[K";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;

    while (i < len) {
        size_t keep = 0, skip = 0;
        char esc[8] = "";
        if (len - i >= 4 && memcmp(s + i, clear_line, 4) == 0) keep = 4;
        else if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') || u[i] == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", u[i]), skip = 1;
        else if (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
            snprintf(esc, sizeof esc, "\\u%04x", u[i + 1]), skip = 2;
        else keep = 1;
        if (keep) {
            i += keep;
            run += keep;
            continue;
        }
        pd_buf_add(b, s + i - run, run);
        pd_buf_puts(b, esc);
        run = 0;
        i += skip;
    }
    pd_buf_add(b, s + i - run, run);
}
