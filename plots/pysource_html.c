/* Python source as highlighted HTML, for the report's code blocks: see
 * pd_html_python in plots/plot_int.h.
 *
 * A page that must open offline and fetch nothing cannot load a
 * highlighter, so this is a small one: it splits the text into comments,
 * strings, numbers, names and the rest, the way Python's tokenizer would
 * for well-formed code, and wraps the first four in spans. Every byte of
 * the source goes through pd_html_escape, inside a span or not, so a
 * source holding markup shows it as text. Code that does not tokenize
 * (an unterminated string) is still shown whole: the odd part just gets
 * the wrong colour. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break",
    "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
    "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield",
};

static int is_keyword(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0) return 1;
    return 0;
}

/* Bytes of a UTF-8 sequence count as name characters, as they do in
 * Python identifiers. */
static int name_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int name_char(unsigned char c) { return name_start(c) || isdigit(c); }

/* The text s[0..n) escaped, in a span of class cls (none when NULL). */
static void emit(pd_buf *b, const char *cls, const char *s, size_t n)
{
    char *piece = pd_strdup_printf("%.*s", (int)n, s);

    if (cls) pd_buf_printf(b, "<span class=\"%s\">", cls);
    pd_html_escape(b, piece);
    if (cls) pd_buf_puts(b, "</span>");
    free(piece);
}

/* Length of the string literal at s, which starts with its quote: through
 * the closing quote, or to the end of the line (one quote) or of the text
 * (three) when it is not closed. A backslash always takes the next byte,
 * which is how raw strings behave at a quote too. */
static size_t string_len(const char *s)
{
    char q = s[0];
    int triple = s[1] == q && s[2] == q;
    size_t i = triple ? 3 : 1;

    while (s[i]) {
        if (s[i] == '\\' && s[i + 1]) i += 2;
        else if (!triple && s[i] == '\n') return i;
        else if (s[i] == q && (!triple || (s[i + 1] == q && s[i + 2] == q)))
            return i + (triple ? 3 : 1);
        else i++;
    }
    return i;
}

/* Length of the string prefix at s (r, b, f, u, rb, br, fr, rf in any
 * case) when a quote follows it; 0 otherwise. */
static size_t string_prefix(const char *s)
{
    size_t n = 0;

    while (n < 2 && s[n] && strchr("rRbBfFuU", s[n])) n++;
    return n && (s[n] == '\'' || s[n] == '"') ? n : 0;
}

/* A number: digits, hex digits after 0x, underscores, a point, an
 * exponent with its sign, a trailing j. */
static size_t number_len(const char *s)
{
    size_t i = 0;

    while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.'
           || ((s[i] == '+' || s[i] == '-') && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E')
               && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))))
        i++;
    return i;
}

void pd_html_python(pd_buf *b, const char *src)
{
    const char *s = src;
    int line_start = 1, after_def = 0;

    while (s && *s) {
        size_t n;
        unsigned char c = (unsigned char)*s;

        if (c == '#') {
            n = strcspn(s, "\n");
            emit(b, "c", s, n);
        } else if (c == '@' && line_start) {
            n = 1 + strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_.");
            emit(b, "d", s, n);
        } else if ((n = string_prefix(s)) > 0 || c == '\'' || c == '"') {
            n += string_len(s + n);
            emit(b, "s", s, n);
        } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
            n = number_len(s);
            emit(b, "n", s, n);
        } else if (name_start(c)) {
            for (n = 1; name_char((unsigned char)s[n]); n++) {}
            if (is_keyword(s, n)) emit(b, "k", s, n);
            else emit(b, after_def ? "f" : NULL, s, n);
            after_def = (n == 3 && memcmp(s, "def", 3) == 0)
                        || (n == 5 && memcmp(s, "class", 5) == 0);
            line_start = 0;
            s += n;
            continue;
        } else {
            n = 1;
            emit(b, NULL, s, n);
        }
        if (c != ' ' && c != '\t') line_start = c == '\n', after_def = 0;
        else if (line_start) line_start = 1;
        s += n;
    }
}
