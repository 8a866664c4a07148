/* gnuplot: quoting text for its scripts, finding and running it, one chart
 * drawn atomically. See plots/plot_int.h and include/pdlab/plot.h.
 *
 * How a chart is drawn: pdlab writes STEM.dat (numbers only, never text)
 * and STEM.gp (this chart's variables, then the fixed templates
 * plots/common.gp and plots/bars.gp or plots/lines.gp, compiled in) into
 * the charts directory, and runs gnuplot there on STEM.gp with no shell in
 * between. gnuplot writes STEM.png.part and STEM.svg.part; they are renamed
 * into place only when gnuplot succeeded, so a chart that is there is
 * complete. The .gp and .dat files stay: `gnuplot STEM.gp` redraws by hand.
 *
 * The templates are gnuplot files rather than C strings so that the part
 * of a chart that is about looks (styles, axes, the plot command) reads and
 * changes as plain gnuplot; the C side only states the data.
 *
 * Text from results.json (questions, variant names) may hold anything, and
 * gnuplot runs shell commands (backticks in double quotes, system()). That
 * text reaches a script only through pd_gnuplot_quote, as the value of a
 * variable or array element, and is drawn noenhanced.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/spawn.h"
#include "plot_int.h"

#define TITLE_WIDTH 92      /* characters per title line at PD_CHART_W */
#define GNUPLOT_STDERR 4000 /* bytes of gnuplot's complaint kept */

/* ---------------------------------------------------------------------
 * Quoting
 * ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p, or 0 when it is not one
 * (a stray continuation byte, an overlong form, a surrogate, a cut). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of p[1] */

    if (c < 0x80) return 1;
    if (c < 0xC2 || c > 0xF4) return 0;
    if (c < 0xE0) len = 2;
    else if (c < 0xF0) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    }
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return len;
}

/* Appends n bytes of p at *o unless that leaves no room for the NUL. */
static int put(char *buf, size_t size, size_t *o, const char *p, size_t n)
{
    if (*o + n + 1 > size) return -1;
    memcpy(buf + *o, p, n);
    *o += n;
    return 0;
}

#define QUOTE_CHAR "sprintf('%c',39)" /* one single quote, as an expression */

/* Single quotes, because gnuplot substitutes backticks (and macros) in
 * double-quoted strings and in bare command text but never inside single
 * quotes, where only '' (one quote) is special. gnuplot 5.4's scanner,
 * though, takes in '' only after a character that is not itself a quote
 * of the literal: 'a''''b' ends after a' and a literal opening with ''
 * is the empty string. So a quote is doubled where that works (it's ->
 * 'it''s') and otherwise the literal is closed and the quote joined as an
 * expression: 'a''' . sprintf('%c',39) . 'b' (without the spaces), which
 * gnuplot takes wherever it takes a string. Every quote written is then a
 * delimiter or half of a pair, so gnuplot's scanner and its macro expander
 * (which simply toggles on each quote) agree on what is inside a string.
 * Control characters, C1 controls and bytes that are not UTF-8 would break
 * the line or the SVG (XML): they become spaces and '?'. */
int pd_gnuplot_quote(const char *s, char *buf, size_t size)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t o = 0;
    int open = 0;      /* inside a literal */
    int after_pair = 0; /* the literal's last character is a doubled quote */
    int pieces = 0;    /* literals and quote expressions written */

    if (size == 0) return -1;
    while (*p) {
        size_t len = utf8_seq(p), n = len;
        const char *out = (const char *)p;

        if (len == 0) {
            out = "?";
            n = len = 1;
        } else if (len == 1 && (*p < 0x20 || *p == 0x7F)) {
            out = " ";
        } else if (len == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
            out = " "; /* U+0080..U+009F */
            n = 1;
        }
        if (*p == '\'' && open && !after_pair) {
            if (put(buf, size, &o, "''", 2) < 0) goto too_long;
            after_pair = 1;
        } else if (*p == '\'') {
            if ((open && put(buf, size, &o, "'", 1) < 0)
                || (pieces && put(buf, size, &o, ".", 1) < 0)
                || put(buf, size, &o, QUOTE_CHAR, strlen(QUOTE_CHAR)) < 0)
                goto too_long;
            open = after_pair = 0;
            pieces++;
        } else {
            if (!open && ((pieces && put(buf, size, &o, ".", 1) < 0)
                          || put(buf, size, &o, "'", 1) < 0))
                goto too_long;
            if (!open) pieces++;
            open = 1;
            after_pair = 0;
            if (put(buf, size, &o, out, n) < 0) goto too_long;
        }
        p += len;
    }
    if ((open && put(buf, size, &o, "'", 1) < 0)
        || (!pieces && put(buf, size, &o, "''", 2) < 0))
        goto too_long;
    buf[o] = '\0';
    return (int)o;
too_long:
    buf[0] = '\0';
    return -1;
}

/* s with every run of white space or control characters made one space,
 * trimmed. New string. */
static char *flatten(const char *s)
{
    char *out = pd_strdup(s ? s : ""), *o = out;
    int space = 1; /* drops leading blanks */

    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        if (*p <= ' ' || *p == 0x7F) {
            if (!space) *o++ = ' ';
            space = 1;
        } else {
            *o++ = (char)*p;
            space = 0;
        }
    }
    if (o > out && o[-1] == ' ') o--;
    *o = '\0';
    return out;
}

/* s as a gnuplot string literal. */
void pd_gp_quote(pd_buf *b, const char *s)
{
    /* Worst case: every byte a quote. */
    size_t size = (strlen(QUOTE_CHAR) + 1) * strlen(s ? s : "") + 3;
    char *q = pd_xcalloc(size, 1);

    pd_gnuplot_quote(s, q, size); /* cannot fail at that size */
    pd_buf_puts(b, q);
    free(q);
}

/* gnuplot formats an explicit tic label with gprintf, so "50%" would be
 * read as a conversion: every % goes in doubled. */
void pd_gp_quote_tic(pd_buf *b, const char *s)
{
    pd_buf esc = {0};

    for (; s && *s; s++) {
        if (*s == '%') pd_buf_add(&esc, "%", 1);
        pd_buf_add(&esc, s, 1);
    }
    pd_gp_quote(b, pd_buf_str(&esc));
    pd_buf_free(&esc);
}

/* s wrapped at spaces into at most maxlines lines of width characters, as
 * a gnuplot string expression: 'line one' . "\n" . 'line two'. The last
 * line ends with "…" when text was left over. Returns the lines. */
static int buf_quote_wrapped(pd_buf *b, const char *s, size_t width,
                              int maxlines)
{
    char *flat = flatten(s);
    const char *p = flat;
    int line = 0;

    while (*p && line < maxlines) {
        const char *q = p, *end = p;
        size_t w = 0;
        char *text, *cut;

        while (*q) { /* take whole words while they fit */
            size_t wl = strcspn(q, " "), ww = 0;
            for (size_t i = 0; i < wl; i++)
                ww += ((unsigned char)q[i] & 0xC0) != 0x80;
            if (w > 0 && w + 1 + ww > width) break;
            w += (w > 0) + ww;
            end = q + wl;
            q = *end ? end + 1 : end;
        }
        if (line == maxlines - 1 && *q) end = p + strlen(p); /* the rest */
        text = pd_strdup_printf("%.*s", (int)(end - p), p);
        cut = pd_shorten(text, width);
        if (line > 0) pd_buf_puts(b, " . \"\\n\" . ");
        pd_gp_quote(b, cut);
        free(cut);
        free(text);
        line++;
        p = q;
    }
    if (line == 0) pd_gp_quote(b, "");
    free(flat);
    return line > 0 ? line : 1;
}

/* title_text and title_lines, the chart's title wrapped to two lines at
 * most; returns the lines. */
int pd_gp_title(pd_buf *b, const char *title)
{
    int lines;

    pd_buf_puts(b, "title_text = ");
    lines = buf_quote_wrapped(b, title, TITLE_WIDTH, 2);
    pd_buf_printf(b, "\ntitle_lines = %d\n", lines);
    return lines;
}

/* A number for a script or data file; NaN is gnuplot's "no value". */
void pd_gp_num(pd_buf *b, double x)
{
    if (isfinite(x)) pd_buf_printf(b, "%.9g", x);
    else pd_buf_puts(b, "NaN");
}


/* ---------------------------------------------------------------------
 * gnuplot
 * ------------------------------------------------------------------ */

/* Relative PATH entries are skipped: they would resolve against whatever
 * directory pdlab runs in. */
char *pd_gnuplot_find(void)
{
    const char *path = getenv("PATH");
    const char *p;

    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path; *p;) {
        size_t len = strcspn(p, ":");
        if (len > 0 && p[0] == '/') {
            char *cand = pd_strdup_printf("%.*s/gnuplot", (int)len, p);
            struct stat st;
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)
                && access(cand, X_OK) == 0)
                return cand;
            free(cand);
        }
        p += len;
        if (*p == ':') p++;
    }
    return NULL;
}

int pd_gnuplot_missing(const char *dir, pd_err *e)
{
    pd_error(e, "charts skipped: gnuplot is not installed (no gnuplot on "
                "PATH). The measurements are intact in %s/results.json. To "
                "draw the charts, install gnuplot (Debian and Ubuntu: "
                "apt-get install gnuplot-nox), then run: pdlab plot %s "
                "(and pdlab report %s to put them in the report).",
             dir, dir, dir);
    return PD_PLOT_NO_GNUPLOT;
}

/* Reads fd to its end, keeping the first GNUPLOT_STDERR bytes: gnuplot's
 * first complaint is the cause. */
static void read_all(int fd, pd_buf *keep)
{
    char chunk[1024];
    ssize_t n;

    for (;;) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (keep->len < GNUPLOT_STDERR)
            pd_buf_add(keep, chunk, (size_t)n < GNUPLOT_STDERR - keep->len
                                        ? (size_t)n : GNUPLOT_STDERR - keep->len);
    }
}

/* Runs `gnuplot -d script` in dir: no shell, no init file (-d), stdin and
 * stdout on /dev/null, stderr kept for the error message. */
static int run_gnuplot(const char *gnuplot, const char *dir,
                       const char *script, pd_err *e)
{
    const char *argv[] = {"gnuplot", "-d", script, NULL};
    pd_child c = {.path = gnuplot, .argv = argv, .dir = dir, .in = PD_IO_NULL,
                  .out = PD_IO_NULL, .pipe_fd = 2};
    pd_buf msg = {0};
    char how[64];
    int status, rc = -1;

    if (pd_child_start(&c, e) < 0) {
        pd_error_prefix(e, "charts of %s/%s", dir, script);
        return -1;
    }
    read_all(c.pipe, &msg);
    if (pd_child_wait(&c, &status, e) < 0) goto cleanup;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        rc = 0;
        goto cleanup;
    }
    while (msg.len > 0 && (msg.s[msg.len - 1] == '\n' || msg.s[msg.len - 1] == ' '))
        msg.s[--msg.len] = '\0';
    pd_error(e, "gnuplot failed (%s) on %s/%s: %s",
             pd_child_status_text(status, how, sizeof how), dir, script,
             msg.len ? msg.s : "(it said nothing)");
cleanup:
    pd_buf_free(&msg);
    return rc;
}

/* var = 'STEMsuffix', a file name in the script. */
static void set_file_var(pd_buf *b, const char *var, const char *stem,
                         const char *suffix)
{
    char *name = pd_strdup_printf("%s%s", stem, suffix);
    pd_buf_printf(b, "%s = ", var);
    pd_gp_quote(b, name);
    pd_buf_puts(b, "\n");
    free(name);
}

int pd_gp_draw(const char *gnuplot, const char *charts_dir, const char *stem,
               const pd_buf *vars, const char *template, const pd_buf *data,
               FILE *listing, pd_err *e)
{
    static const char *exts[] = {"png", "svg"};
    pd_buf script = {0};
    char *path = NULL, *part[2] = {NULL, NULL}, *final[2] = {NULL, NULL};
    int rc = -1;

    pd_buf_printf(&script,
                  "# Drawn by pdlab %s from results.json: %s.\n"
                  "# gnuplot %s.gp, in this directory, draws it again (into\n"
                  "# %s.png.part and .svg.part; pdlab renames them when gnuplot\n"
                  "# succeeded).\n\n",
                  PDLAB_VERSION, stem, stem, stem);
    set_file_var(&script, "png_out", stem, ".png.part");
    set_file_var(&script, "svg_out", stem, ".svg.part");
    set_file_var(&script, "data", stem, ".dat");
    pd_buf_puts(&script, pd_buf_str(vars));
    pd_buf_puts(&script, "\n");
    pd_buf_puts(&script, pd_gp_common);
    pd_buf_puts(&script, "\n");
    pd_buf_puts(&script, template);

    for (int i = 0; i < 2; i++) {
        part[i] = pd_strdup_printf("%s/%s.%s.part", charts_dir, stem, exts[i]);
        final[i] = pd_strdup_printf("%s/%s.%s", charts_dir, stem, exts[i]);
    }
    path = pd_strdup_printf("%s/%s.dat", charts_dir, stem);
    if (pd_write_file_atomic(path, pd_buf_str(data), data->len, e) < 0) goto cleanup;
    free(path);
    path = pd_strdup_printf("%s/%s.gp", charts_dir, stem);
    if (pd_write_file_atomic(path, script.s, script.len, e) < 0) goto cleanup;
    free(path);
    path = pd_strdup_printf("%s.gp", stem);
    if (run_gnuplot(gnuplot, charts_dir, path, e) < 0) goto cleanup;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (stat(part[i], &st) != 0 || st.st_size == 0) {
            pd_error(e, "gnuplot wrote no %s for %s/%s.gp", exts[i], charts_dir, stem);
            goto cleanup;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (pd_sys.rename(part[i], final[i]) != 0) {
            pd_error_errno(e, "cannot rename %s to %s", part[i], final[i]);
            goto cleanup;
        }
    }
    if (listing) fprintf(listing, "chart: %s/%s.png, .svg\n", charts_dir, stem);
    rc = 0;
cleanup:
    for (int i = 0; i < 2; i++) {
        if (rc < 0) unlink(part[i]);
        free(part[i]);
        free(final[i]);
    }
    free(path);
    pd_buf_free(&script);
    return rc;
}

