#ifndef PDLAB_FORMAT_H
#define PDLAB_FORMAT_H
/* How pdlab writes a number or a piece of text for a person, in one place:
 * the table, the charts, the report and the verdict sentence all use these,
 * so one figure reads the same everywhere. Each pd_fmt_* writes into buf and
 * returns it. */

#include <stddef.h>

/* Marks a figure extrapolated from a fitted growth, never measured: the
 * same mark in the terminal, the charts, the report and the README. */
#define PD_EXTRAPOLATED_MARK "~"

/* 1.23 ms, 45.6 s, 812 ns: three significant digits; "-" for NaN or < 0. */
const char *pd_fmt_seconds(double s, char *buf, size_t size);
/* 1.2 MiB, 830 KiB, 12 B; "-" for zero, negative or NaN (not measured). */
const char *pd_fmt_bytes(double b, char *buf, size_t size);
/* 412x, 2.5x, 0.08x; "-" for NaN or <= 0. */
const char *pd_fmt_ratio(double r, char *buf, size_t size);
/* 1,000,000 */
const char *pd_fmt_count(unsigned long long n, char *buf, size_t size);

/* Index of word among name_of(0), name_of(1), ... up to the first NULL:
 * an enum's words parsed back from the switch that gives them, with no
 * second list to keep in step (the values must be contiguous from 0). -1
 * when word is NULL or not among them. */
int pd_word_index(const char *word, const char *(*name_of)(int));

/* Characters (not bytes) of UTF-8 text: the width it takes on screen. */
size_t pd_utf8_width(const char *s);

/* s cut to at most max characters, "…" marking a cut. New string. */
char *pd_shorten(const char *s, size_t max);

/* Appends s[0..len) to b with what a terminal would obey made visible:
 * C0 control bytes but newline and tab, DEL, and UTF-8 C1 controls become
 * \xNN or \u00NN, so a lesson or variant name cannot move the cursor,
 * recolour the screen or retitle the window. The one sequence pdlab
 * itself writes, "\r\033[K" (back to column 0, clear the line, for the
 * progress line), is kept. */
struct pd_buf;
void pd_term_escape(struct pd_buf *b, const char *s, size_t len);

#endif
