/* What one CSV cell holds, and the text a stored value is written back as.
 *
 * Import and export share these rules, so a value that goes in as text comes
 * out as the same value: an integer only when its text is the canonical one
 * (no sign, no leading zero: "00501" stays text), a float written back with
 * the fewest digits that read back as the same double, ISO dates and
 * datetimes as nanoseconds since 1970 (datetime64[ns], as pandas holds
 * them). */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataset_int.h"

#define NS_PER_DAY (86400LL * 1000000000LL)

/* The words pandas' read_csv also takes as missing, in columns of numbers,
 * booleans and dates. In a text column they may be data ("NA" is Namibia,
 * or North America) and only the empty cell is missing. */
static const char *const missing_words[] = {
    "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null",
    "None", "#N/A", "#NA", "<NA>", "NaT", NULL,
};

static const char *skip_blank(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* s without the blanks around it, as [start, end). */
static const char *trimmed(const char *s, const char **end) {
    s = skip_blank(s);
    const char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *end = e;
    return s;
}

int pd_cell_is_missing(const char *s) {
    const char *end, *t = trimmed(s, &end);
    size_t n = (size_t)(end - t);
    if (n == 0)
        return 1;
    for (size_t i = 0; missing_words[i]; i++)
        if (strlen(missing_words[i]) == n &&
            memcmp(missing_words[i], t, n) == 0)
            return 1;
    return 0;
}

/* An integer whose decimal text is the canonical one: what int64 would
 * print it as. */
static int parse_int(const char *t, size_t n, int64_t *out) {
    size_t i = t[0] == '-';
    if (i == n || n > 20)
        return 0;
    if (t[i] == '0' && n - i > 1)
        return 0; /* a leading zero: a code, not a number */
    for (size_t k = i; k < n; k++)
        if (!isdigit((unsigned char)t[k]))
            return 0;
    if (i && n == 2 && t[1] == '0')
        return 0; /* "-0" prints as "0" */
    char buf[24];
    memcpy(buf, t, n);
    buf[n] = '\0';
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno == ERANGE)
        return -1; /* digits beyond int64: an id, kept as text */
    *out = v;
    return 1;
}

/* A decimal float as people write it: an optional minus, digits with at
 * most one point, an optional exponent; or inf. No plus sign, no leading
 * zero before a digit ("007.5"), no hex, no thousands separators: those
 * would not come back as the same text. Returns PD_CELL_FLOAT,
 * PD_CELL_OUT_OF_RANGE or PD_CELL_TEXT. */
static pd_cell parse_float(const char *t, size_t n, double *out) {
    char buf[512];
    size_t i = t[0] == '-';
    if (n >= sizeof buf || i == n)
        return PD_CELL_TEXT;
    memcpy(buf, t, n);
    buf[n] = '\0';
    if (strcasecmp(buf + i, "inf") == 0 || strcasecmp(buf + i, "infinity") == 0) {
        *out = i ? -INFINITY : INFINITY;
        return PD_CELL_FLOAT;
    }
    if (buf[i] == '0' && isdigit((unsigned char)buf[i + 1]))
        return PD_CELL_TEXT;
    int digits = 0, nonzero = 0;
    for (size_t k = i; k < n; k++) {
        char c = buf[k];
        if (isdigit((unsigned char)c)) {
            digits = 1;
            nonzero |= c != '0';
        } else if (c == 'e' || c == 'E') {
            if (!digits)
                return PD_CELL_TEXT;
            break; /* nonzero is about the mantissa */
        } else if (c != '.')
            return PD_CELL_TEXT;
    }
    for (size_t k = i; k < n; k++)
        if (!strchr("0123456789.eE-+", buf[k]) || (buf[k] == '+' &&
                                                   k == i))
            return PD_CELL_TEXT;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end == buf || *end || !digits)
        return PD_CELL_TEXT;
    if (errno == ERANGE && (isinf(d) || (d == 0 && nonzero)))
        return PD_CELL_OUT_OF_RANGE; /* 1e999 would be inf, 1e-999 zero */
    *out = d;
    return PD_CELL_FLOAT;
}

static int parse_bool(const char *t, size_t n, int64_t *out) {
    if (n == 4 && strncasecmp(t, "true", 4) == 0)
        return *out = 1, 1;
    if (n == 5 && strncasecmp(t, "false", 5) == 0)
        return *out = 0, 1;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits_at(const char *t, size_t n, unsigned *out) {
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)t[i]))
            return 0;
        v = v * 10 + (unsigned)(t[i] - '0');
    }
    *out = v;
    return 1;
}

static unsigned month_days(unsigned y, unsigned m) {
    static const unsigned days[] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* HH:MM[:SS[.fraction]] into nanoseconds since midnight. */
static int parse_time(const char *t, size_t n, int64_t *ns) {
    unsigned h, mi, s = 0, frac = 0;
    size_t fdigits = 0;
    if (n < 5 || t[2] != ':' || !digits_at(t, 2, &h) ||
        !digits_at(t + 3, 2, &mi) || h > 23 || mi > 59)
        return 0;
    if (n > 5 && (n < 8 || t[5] != ':' || !digits_at(t + 6, 2, &s) || s > 59))
        return 0;
    if (n > 8) {
        fdigits = n - 9;
        if (t[8] != '.' || fdigits < 1 || fdigits > 9 ||
            !digits_at(t + 9, fdigits, &frac))
            return 0;
        for (size_t k = fdigits; k < 9; k++)
            frac *= 10;
    }
    *ns = ((int64_t)h * 3600 + mi * 60 + s) * 1000000000LL + frac;
    return 1;
}

/* YYYY-MM-DD, optionally followed by 'T' or a space and a time, and an
 * optional 'Z' (the time is kept as written: no time zones). Returns
 * PD_CELL_DATE, PD_CELL_DATETIME, or PD_CELL_TEXT when not ISO or out of
 * datetime64[ns]'s range (years 1678 to 2261). */
static pd_cell parse_iso(const char *t, size_t n, int64_t *out) {
    unsigned y, m, d;
    int64_t tod = 0;
    if (n < 10 || t[4] != '-' || t[7] != '-' || !digits_at(t, 4, &y) ||
        !digits_at(t + 5, 2, &m) || !digits_at(t + 8, 2, &d))
        return PD_CELL_TEXT;
    if (y < 1678 || y > 2261 || m < 1 || m > 12 || d < 1 ||
        d > month_days(y, m))
        return PD_CELL_TEXT;
    if (n > 10) {
        size_t tn = n - 11;
        if (t[n - 1] == 'Z')
            tn--;
        if ((t[10] != 'T' && t[10] != ' ') || !parse_time(t + 11, tn, &tod))
            return PD_CELL_TEXT;
    }
    *out = days_from_civil(y, m, d) * NS_PER_DAY + tod;
    return n > 10 ? PD_CELL_DATETIME : PD_CELL_DATE;
}

pd_cell pd_cell_parse(const char *s, int64_t *iv, double *dv) {
    const char *end, *t = trimmed(s, &end);
    size_t n = (size_t)(end - t);
    if (pd_cell_is_missing(s))
        return PD_CELL_MISSING;
    int as_int = parse_int(t, n, iv);
    if (as_int > 0)
        return PD_CELL_INT;
    if (as_int < 0)
        return PD_CELL_TEXT;
    pd_cell k = parse_float(t, n, dv);
    if (k != PD_CELL_TEXT)
        return k;
    if (parse_bool(t, n, iv))
        return PD_CELL_BOOL;
    return parse_iso(t, n, iv);
}

void pd_format_double(double d, char *buf, size_t size) {
    if (isinf(d)) {
        snprintf(buf, size, "%s", d < 0 ? "-inf" : "inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

void pd_format_datetime(int64_t ns, int date_only, char *buf, size_t size) {
    int64_t days = ns / NS_PER_DAY, rem = ns % NS_PER_DAY;
    if (rem < 0) {
        rem += NS_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int len = snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
    if (date_only || len < 0 || (size_t)len >= size)
        return;
    int64_t secs = rem / 1000000000LL, frac = rem % 1000000000LL;
    len += snprintf(buf + len, size - (size_t)len, "T%02d:%02d:%02d",
                    (int)(secs / 3600), (int)(secs / 60 % 60),
                    (int)(secs % 60));
    if (frac && (size_t)len < size) {
        char f[16];
        snprintf(f, sizeof f, "%09" PRId64, frac);
        for (size_t k = strlen(f); k > 0 && f[k - 1] == '0'; k--)
            f[k - 1] = '\0';
        snprintf(buf + len, size - (size_t)len, ".%s", f);
    }
}
