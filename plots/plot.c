/* Charts drawn by gnuplot from a results.json: see include/pdlab/plot.h.
 *
 * Sections:
 *   quoting      pd_gnuplot_quote; text cut and wrapped to fit a chart
 *   buffer       pd_buf, the growable text every writer here uses
 *   reading      tolerant access to results.json, and the choices every
 *                view (charts, report, compare) must make the same way
 *   gnuplot      find it, run it on a script, draw one chart atomically
 *   axes         tics and ranges of log axes labelled with units
 *   bars         pd_plot_bars: speedups, the overview, compare's ratios
 *   lines        time and memory against n
 *   charts       a lesson's charts and the overview
 *   entry        pd_plot_results
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
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/results.h"
#include "pdlab/table.h"
#include "plot_int.h"

extern char **environ;

/* The templates, compiled in from plots/NAME.gp (see CMakeLists.txt). */
extern const char pd_gp_common[];
extern const char pd_gp_bars[];
extern const char pd_gp_lines[];

#define CHART_W 1000       /* pixels; the SVG scales */
#define TITLE_WIDTH 92     /* characters per title line at that width */
#define NAME_WIDTH 30      /* a tick label longer than this is cut */
#define LABEL_WIDTH 64     /* a label at a bar's end, likewise */
#define KEY_WIDTH 34       /* a key entry of a line chart, likewise */
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
static void buf_quote(pd_buf *b, const char *s)
{
    /* Worst case: every byte a quote. */
    size_t size = (strlen(QUOTE_CHAR) + 1) * strlen(s ? s : "") + 3;
    char *q = pd_xcalloc(size, 1);

    pd_gnuplot_quote(s, q, size); /* cannot fail at that size */
    pd_buf_puts(b, q);
    free(q);
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
        buf_quote(b, cut);
        free(cut);
        free(text);
        line++;
        p = q;
    }
    if (line == 0) buf_quote(b, "");
    free(flat);
    return line > 0 ? line : 1;
}

/* title_text and title_lines, the chart's title wrapped to two lines at
 * most; returns the lines. */
static int title_vars(pd_buf *b, const char *title)
{
    int lines;

    pd_buf_puts(b, "title_text = ");
    lines = buf_quote_wrapped(b, title, TITLE_WIDTH, 2);
    pd_buf_printf(b, "\ntitle_lines = %d\n", lines);
    return lines;
}

/* A number for a script or data file; NaN is gnuplot's "no value". */
static void buf_num(pd_buf *b, double x)
{
    if (isfinite(x)) pd_buf_printf(b, "%.9g", x);
    else pd_buf_puts(b, "NaN");
}

/* ---------------------------------------------------------------------
 * Reading results.json
 * ------------------------------------------------------------------ */

double pd_jnum(const json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *pd_jstr(const json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int pd_jtrue(const json_t *o, const char *key)
{
    return json_is_object(o) && json_is_true(json_object_get(o, key));
}

json_t *pd_jarr(const json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    return json_is_array(v) ? v : NULL;
}

json_t *pd_jnamed(const json_t *o, const char *key, const char *name)
{
    json_t *v;
    size_t i;

    json_array_foreach(pd_jarr(o, key), i, v)
        if (name && pd_jstr(v, "name") && strcmp(pd_jstr(v, "name"), name) == 0)
            return v;
    return NULL;
}

static int str_is(const char *s, const char *word)
{
    return s && strcmp(s, word) == 0;
}

int pd_v_measured(const json_t *v)
{
    return str_is(pd_jstr(v, "status"), "ok") && !pd_jtrue(v, "extrapolated")
           && !json_is_false(json_object_get(v, "correct"))
           && pd_jnum(v, "median_s") > 0;
}

double pd_v_median(const json_t *v)
{
    double m = pd_jnum(v, "median_s");

    if (m > 0) return m;
    if (!pd_jtrue(v, "extrapolated")) return NAN;
    m = pd_jnum(v, "extrapolated_median_s");
    return m > 0 ? m : NAN;
}

int pd_v_extrapolated(const json_t *v)
{
    return pd_jtrue(v, "extrapolated") && pd_v_median(v) > 0
           && !str_is(pd_jstr(v, "status"), "wrong");
}

int pd_v_speedup_extrapolated(const json_t *v)
{
    return pd_jtrue(v, "extrapolated") || pd_jtrue(v, "speedup_extrapolated");
}

const char *pd_v_status_words(const json_t *v)
{
    static const struct { const char *status, *words; } table[] = {
        {"ok", "ok"},
        {"wrong", "wrong"},
        {"raised", "raised an exception"},
        {"timeout", "timed out"},
        {"crashed", "crashed"},
        {"no_memory", "out of memory"},
        {"not_run", "not run"},
    };
    const char *s = pd_jstr(v, "status");

    if (!s) return "unknown";
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(s, table[i].status) == 0) return table[i].words;
    return s; /* a status newer than this code: its own word */
}

json_t *pd_jlesson_variants(const json_t *lesson)
{
    json_t *decl = pd_jarr(lesson, "variants"), *results;

    if (decl && json_array_size(decl) > 0) return decl;
    results = pd_jarr(lesson, "results");
    return results ? pd_jarr(json_array_get(results, 0), "variants") : NULL;
}

const char *pd_jlesson_main_part(const json_t *lesson)
{
    json_t *vars = pd_jlesson_variants(lesson), *v;
    const char *first = NULL;
    size_t i;

    json_array_foreach(vars, i, v) {
        const char *part = pd_jstr(v, "part");
        if (str_is(part, "main")) return part;
        if (!first) first = part;
    }
    return first;
}

/* A variant without a part, or a lesson without parts, is in the main
 * part. */
static int in_part(const json_t *v, const char *part)
{
    const char *p = pd_jstr(v, "part");
    return !part || !p || strcmp(p, part) == 0;
}

/* The result of the variant called name at one size (borrowed), or NULL. */
static json_t *size_variant(const json_t *size, const char *name)
{
    json_t *v;
    size_t i;

    json_array_foreach(pd_jarr(size, "variants"), i, v)
        if (str_is(pd_jstr(v, "name"), name)) return v;
    return NULL;
}

int pd_jlesson_bars_size(const json_t *lesson)
{
    const char *main_part = pd_jlesson_main_part(lesson);
    json_t *size;
    size_t k;
    int best = -1, best_count = 0;
    double best_n = 0;

    json_array_foreach(pd_jarr(lesson, "results"), k, size) {
        json_t *v;
        size_t i;
        int count = 0;
        double n = pd_jnum(size, "n");

        json_array_foreach(pd_jarr(size, "variants"), i, v)
            count += in_part(v, main_part) && pd_v_measured(v);
        if (count > 0 && (count > best_count
                          || (count == best_count && n >= best_n))) {
            best = (int)k;
            best_count = count;
            best_n = n;
        }
    }
    return best;
}

int pd_chart_expected(const json_t *lesson, const char *kind)
{
    json_t *size, *v;
    size_t k, i;

    if (strcmp(kind, "speedup") == 0) return pd_jlesson_bars_size(lesson) >= 0;
    json_array_foreach(pd_jarr(lesson, "results"), k, size) {
        json_array_foreach(pd_jarr(size, "variants"), i, v) {
            if (strcmp(kind, "time") == 0
                && (pd_v_measured(v) || pd_v_extrapolated(v)))
                return 1;
            if (strcmp(kind, "memory") == 0 && pd_v_measured(v)
                && pd_jnum(v, "peak_bytes") > 0)
                return 1;
        }
    }
    return 0;
}

/* The file name stem of a chart: the lesson id with anything but letters,
 * digits, '_', '-' and inner dots made '_', so an id from a hand-edited
 * results.json cannot climb out of the charts directory or start with
 * '-' (read as an option by gnuplot). New string. */
char *pd_chart_stem(const json_t *lesson, const char *kind)
{
    const char *id = pd_jstr(lesson, "id");
    char *safe, *stem;

    if (!lesson) return pd_strdup(kind);
    safe = pd_strdup(id && *id ? id : "lesson");
    for (char *p = safe; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                 || (*p >= '0' && *p <= '9') || *p == '_'
                 || (p > safe && (*p == '-' || *p == '.'));
        if (!ok) *p = '_';
    }
    stem = pd_strdup_printf("%s-%s", safe, kind);
    free(safe);
    return stem;
}

char *pd_chart_path(const char *dir, const json_t *lesson, const char *kind,
                    const char *ext)
{
    char *stem = pd_chart_stem(lesson, kind);
    char *path = pd_strdup_printf("%s/charts/%s.%s", dir, stem, ext);
    free(stem);
    return path;
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
    char *argv[] = {"gnuplot", "-d", (char *)script, NULL};
    posix_spawn_file_actions_t fa;
    int fa_made = 0, pipefd[2] = {-1, -1}, status, rc = -1, err;
    pid_t pid = -1;
    pd_buf msg = {0};

    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        pd_error_errno(e, "cannot run gnuplot: pipe");
        goto cleanup;
    }
    if ((err = posix_spawn_file_actions_init(&fa)) != 0) goto spawn_failed;
    fa_made = 1;
    if ((err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0))
        || (err = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0))
        || (err = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2))
        || (err = posix_spawn_file_actions_addchdir_np(&fa, dir)))
        goto spawn_failed;
    if ((err = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ)) != 0)
        goto spawn_failed;
    close(pipefd[1]);
    pipefd[1] = -1;
    read_all(pipefd[0], &msg);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            pd_error_errno(e, "cannot wait for gnuplot");
            goto cleanup;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        rc = 0;
        goto cleanup;
    }
    while (msg.len > 0 && (msg.s[msg.len - 1] == '\n' || msg.s[msg.len - 1] == ' '))
        msg.s[--msg.len] = '\0';
    if (WIFEXITED(status))
        pd_error(e, "gnuplot failed (exit %d) on %s/%s: %s", WEXITSTATUS(status),
                 dir, script, msg.len ? msg.s : "(it said nothing)");
    else
        pd_error(e, "gnuplot was killed by signal %d on %s/%s: %s",
                 WTERMSIG(status), dir, script, msg.len ? msg.s : "(it said nothing)");
    goto cleanup;
spawn_failed:
    pd_error(e, "cannot run %s on %s/%s: %s", gnuplot, dir, script, strerror(err));
cleanup:
    if (fa_made) posix_spawn_file_actions_destroy(&fa);
    if (pipefd[0] >= 0) close(pipefd[0]);
    if (pipefd[1] >= 0) close(pipefd[1]);
    pd_buf_free(&msg);
    return rc;
}

/* var = 'STEMsuffix', a file name in the script. */
static void set_file_var(pd_buf *b, const char *var, const char *stem,
                         const char *suffix)
{
    char *name = pd_strdup_printf("%s%s", stem, suffix);
    pd_buf_printf(b, "%s = ", var);
    buf_quote(b, name);
    pd_buf_puts(b, "\n");
    free(name);
}

/* Writes STEM.dat and STEM.gp (vars, then the common look, then the
 * chart's template) into charts_dir, runs gnuplot, and renames the PNG and
 * SVG into place. On failure no new STEM.png or STEM.svg appears. */
static int draw_chart(const char *gnuplot, const char *charts_dir,
                      const char *stem, const pd_buf *vars,
                      const char *template, const pd_buf *data, FILE *listing,
                      pd_err *e)
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

/* ---------------------------------------------------------------------
 * Axes
 * ------------------------------------------------------------------ */

typedef const char *(*fmt_fn)(double, char *, size_t);

/* "1.50 ms" -> "1.5 ms", "4.0 KiB" -> "4 KiB": a tic label needs no
 * trailing zeros. */
static void strip_zeros(char *s)
{
    char *dot = strchr(s, '.'), *end;

    if (!dot) return;
    end = dot + 1;
    while (*end >= '0' && *end <= '9') end++;
    char *z = end;
    while (z > dot + 1 && z[-1] == '0') z--;
    if (z == dot + 1) z = dot;
    memmove(z, end, strlen(end) + 1);
}

/* Tic sequences from coarse to fine: mantissas within one step of base. */
typedef struct tic_seq {
    double base;
    const double *mant;
    size_t nmant;
} tic_seq;

static const double dec1[] = {1}, dec2[] = {1, 3}, dec3[] = {1, 2, 5},
                    dec4[] = {1, 1.5, 2, 3, 4, 5, 7};
static const double bin1[] = {1}, bin2[] = {1, 32},
                    bin3[] = {1, 4, 16, 64, 256},
                    bin4[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
                    bin5[] = {1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64,
                              96, 128, 192, 256, 384, 512, 768};
#define SEQ(b, m) {b, m, sizeof m / sizeof m[0]}
static const tic_seq decimal_seqs[] = {SEQ(10, dec1), SEQ(10, dec2),
                                       SEQ(10, dec3), SEQ(10, dec4)};
static const tic_seq binary_seqs[] = {SEQ(1024, bin1), SEQ(1024, bin2),
                                      SEQ(1024, bin3), SEQ(1024, bin4),
                                      SEQ(1024, bin5)};

/* The tic values of seq in [lo, hi], into out (at most max); returns how
 * many. With outer set, also the nearest one below lo and above hi. */
static size_t seq_tics(const tic_seq *seq, double lo, double hi, int outer,
                       double *out, size_t max)
{
    int k0 = (int)floor(log(lo) / log(seq->base)) - 1;
    int k1 = (int)ceil(log(hi) / log(seq->base)) + 1;
    double below = NAN;
    size_t n = 0;

    for (int k = k0; k <= k1; k++) {
        for (size_t m = 0; m < seq->nmant; m++) {
            double v = seq->mant[m] * pow(seq->base, k);
            int after = n > 0 && out[n - 1] > hi * (1 + 1e-9);
            if (v < lo * (1 - 1e-9)) below = v;
            else if (n < max && (v <= hi * (1 + 1e-9) || (outer && !after))) {
                if (n == 0 && outer && !isnan(below)) out[n++] = below;
                if (n < max) out[n++] = v;
            }
        }
    }
    return n;
}

/* The data's range padded so points never sit on the frame. */
static void pad_range(double dmin, double dmax, double *rmin, double *rmax)
{
    double pad;

    if (!(dmin > 0) || !(dmax >= dmin) || isinf(dmax)) dmin = dmax = 1;
    pad = fmax(1.25, pow(dmax / dmin, 0.06));
    *rmin = dmin / pad;
    *rmax = dmax * pad;
}

/* "set Xtics (...)" for the log axis [*rmin, *rmax], labelled by fmt,
 * with the coarsest sequence that puts at least four tics on it. A range
 * too narrow for two tics is widened to the nearest ones, so no axis is
 * left unlabelled. */
static void log_tics(pd_buf *b, char axis, int binary, fmt_fn fmt,
                     double *rmin, double *rmax)
{
    const tic_seq *seqs = binary ? binary_seqs : decimal_seqs;
    size_t nseqs = binary ? sizeof binary_seqs / sizeof binary_seqs[0]
                          : sizeof decimal_seqs / sizeof decimal_seqs[0];
    double tics[64];
    size_t n = 0;

    for (size_t s = 0; s < nseqs; s++) {
        n = seq_tics(&seqs[s], *rmin, *rmax, 0, tics, 64);
        if (n >= 4) break;
    }
    if (n < 2) {
        n = seq_tics(&seqs[nseqs - 1], *rmin, *rmax, 1, tics, 64);
        *rmin = fmin(*rmin, tics[0]);
        *rmax = fmax(*rmax, tics[n - 1]);
    }
    pd_buf_printf(b, "set %ctics (", axis);
    for (size_t i = 0; i < n; i++) {
        char label[64];
        fmt(tics[i], label, sizeof label);
        strip_zeros(label);
        if (i) pd_buf_puts(b, ", ");
        buf_quote(b, label);
        pd_buf_puts(b, " ");
        buf_num(b, tics[i]);
    }
    pd_buf_puts(b, ")\n");
}

static const char *fmt_count(double x, char *buf, size_t size)
{
    return pd_fmt_count((unsigned long long)llround(x), buf, size);
}

/* ---------------------------------------------------------------------
 * Bars
 * ------------------------------------------------------------------ */

#define CHAR_PX 8.0   /* width of a character of the 11-point font, about */

/* Where the bars of a chart go. */
typedef struct bars_layout {
    double xmin, xmax;  /* the log axis */
    double vmax;        /* the largest value: no tics beyond the next */
    double from;        /* where bars start */
    int lmargin;        /* characters left of the plot: names, headers */
    int has_extrap, has_interval;
    size_t ngroups;
} bars_layout;

/* Pixels the label of row r takes, with its offset from the bar. */
static double label_px(const pd_bar *r)
{
    char *label = pd_shorten(r->label, LABEL_WIDTH);
    double w = pd_utf8_width(label) * CHAR_PX + 14;
    free(label);
    return w;
}

/* Where row r's label starts: right of its bar (or its interval, or the
 * base line), or at the bars' start in an empty slot. */
static double label_x(const pd_bar *r, const bars_layout *L, double base)
{
    double lx;

    if (!(isfinite(r->value) && r->value > 0)) return L->from;
    lx = r->value;
    if (isfinite(r->hi) && r->hi > lx) lx = r->hi;
    if (isfinite(base) && base > lx) lx = base;
    return lx;
}

/* The x range holds every value, starts at or below 1x (so a bar's length
 * is its ratio) and leaves room on the right for every label: the span is
 * widened until the longest label, placed after the furthest bar, ends
 * inside the plot. */
static void layout_bars(const pd_bar_chart *c, bars_layout *L)
{
    double vmin = 1, vmax = 1, plot_px, span;
    size_t name_w = 0;

    memset(L, 0, sizeof *L);
    for (size_t i = 0; i < c->nrows; i++) {
        const pd_bar *r = &c->rows[i];
        double xs[3] = {r->value, r->lo, r->hi};
        char *s = pd_shorten(r->name ? r->name : r->label, NAME_WIDTH);
        size_t w = pd_utf8_width(s) + (r->name ? 0 : pd_utf8_width(s) / 8 + 1);

        free(s);
        name_w = w > name_w ? w : name_w; /* headers are bold: wider */
        if (!r->name) {
            L->ngroups++;
            continue;
        }
        for (int j = 0; j < 3; j++) {
            if (isfinite(xs[j]) && xs[j] > 0) {
                vmin = fmin(vmin, xs[j]);
                vmax = fmax(vmax, xs[j]);
            }
        }
        L->has_extrap |= r->hatched && isfinite(r->value);
        L->has_interval |= isfinite(r->lo) && isfinite(r->hi);
    }
    L->lmargin = (int)name_w + 3;
    L->xmin = vmin / (isfinite(c->base) ? 1.6 : 2);
    L->from = isfinite(c->base) ? c->base : L->xmin;
    if (vmax < L->xmin * 4) vmax = L->xmin * 4;
    L->vmax = vmax;
    plot_px = CHART_W - L->lmargin * CHAR_PX - 40;
    span = log(vmax) - log(L->xmin);
    /* A label starting at a share a/span of the width must end inside:
     * a/span * plot_px + w <= plot_px, so span >= a * plot_px / (plot_px - w). */
    for (size_t i = 0; i < c->nrows; i++) {
        const pd_bar *r = &c->rows[i];
        double a, room;
        if (!r->name || !r->label || !*r->label) continue;
        a = log(label_x(r, L, c->base)) - log(L->xmin);
        room = plot_px * 0.98 - label_px(r);
        if (room > plot_px * 0.2) span = fmax(span, a * plot_px / room);
    }
    L->xmax = L->xmin * exp(span);
}

int pd_plot_bars(const char *gnuplot, const char *charts_dir,
                 const pd_bar_chart *c, FILE *listing, pd_err *e)
{
    pd_buf vars = {0}, data = {0};
    bars_layout L;
    double tmin, tmax;
    size_t nrows = c->nrows ? c->nrows : 1, group = 0;
    int title_lines, rc;

    layout_bars(c, &L);
    title_lines = title_vars(&vars, c->title);
    pd_buf_printf(&vars, "chart_w = %d\nchart_h = %d\n", CHART_W,
                  (int)(120 + 20 * title_lines + 30 * c->nrows
                        + (L.has_extrap || L.has_interval ? 46 : 0)));
    pd_buf_puts(&vars, "xlabel_text = ");
    buf_quote(&vars, c->xlabel);
    pd_buf_printf(&vars, "\nnrows = %zu\nngroups = %zu\nlmargin_chars = %d\n",
                  c->nrows, L.ngroups, L.lmargin);
    /* Tics up to the first one past the longest bar: beyond it the axis
     * only makes room for labels. */
    tmin = L.xmin;
    tmax = fmin(L.xmax, L.vmax * 1.5);
    log_tics(&vars, 'x', 0, pd_fmt_ratio, &tmin, &tmax);
    pd_buf_puts(&vars, "xmin = ");
    buf_num(&vars, L.xmin);
    pd_buf_puts(&vars, "\nxmax = ");
    buf_num(&vars, L.xmax);
    pd_buf_puts(&vars, "\nbase_line = ");
    buf_num(&vars, c->base);
    pd_buf_printf(&vars, "\nhas_extrap = %d\nhas_interval = %d\n", L.has_extrap,
                  L.has_interval);
    /* gnuplot arrays cannot be empty. */
    pd_buf_printf(&vars, "array row_name[%zu]\narray row_label[%zu]\n"
                  "array group_name[%zu]\narray group_y[%zu]\n", nrows, nrows,
                  L.ngroups ? L.ngroups : 1, L.ngroups ? L.ngroups : 1);

    for (size_t i = 0; i < c->nrows; i++) {
        const pd_bar *r = &c->rows[i];
        size_t y = i + 1;
        char *name = pd_shorten(r->name ? r->name : "", NAME_WIDTH);
        char *label = pd_shorten(r->label, LABEL_WIDTH);
        int bar = isfinite(r->value) && r->value > 0;

        pd_buf_printf(&vars, "row_name[%zu] = ", y);
        buf_quote(&vars, name);
        pd_buf_printf(&vars, "\nrow_label[%zu] = ", y);
        buf_quote(&vars, r->name ? label : "");
        pd_buf_puts(&vars, "\n");
        if (!r->name) {
            group++;
            pd_buf_printf(&vars, "group_name[%zu] = ", group);
            buf_quote(&vars, label);
            pd_buf_printf(&vars, "\ngroup_y[%zu] = %zu\n", group, y);
        } else {
            /* y from to lo hi linetype label_x note fill */
            pd_buf_printf(&data, "%zu ", y);
            buf_num(&data, bar ? L.from : NAN);
            pd_buf_puts(&data, " ");
            buf_num(&data, bar ? r->value : NAN);
            pd_buf_puts(&data, " ");
            buf_num(&data, bar ? r->lo : NAN);
            pd_buf_puts(&data, " ");
            buf_num(&data, bar ? r->hi : NAN);
            pd_buf_printf(&data, " %d ", r->linetype > 0 ? r->linetype : 1);
            buf_num(&data, label[0] ? label_x(r, &L, c->base) : NAN);
            pd_buf_printf(&data, " %d %d\n", !bar, bar ? (r->hatched ? 2 : 1) : 0);
        }
        free(name);
        free(label);
    }
    /* A line no clause draws: gnuplot 5.4.4 crashes (SIGSEGV) on a "with
     * labels" plot of a one-line file in which no point is valid, as the
     * notes of a chart with a single bar would be. */
    pd_buf_puts(&data, "1 NaN NaN NaN NaN 1 NaN -1 0\n");
    rc = draw_chart(gnuplot, charts_dir, c->stem, &vars, pd_gp_bars, &data,
                    listing, e);
    pd_buf_free(&vars);
    pd_buf_free(&data);
    return rc;
}

/* ---------------------------------------------------------------------
 * Lines
 * ------------------------------------------------------------------ */

/* Colour of a variant: its place in the declaration, the same in every
 * chart of a lesson. */
static int variant_linetype(size_t index)
{
    return (int)(index % 10) + 1;
}

/* Indexes of lesson.results in increasing n (results are written in that
 * order, but a hand-made file need not be). Caller frees. */
static size_t *sizes_by_n(const json_t *lesson, size_t *count)
{
    json_t *results = pd_jarr(lesson, "results");
    size_t n = results ? json_array_size(results) : 0;
    size_t *idx = pd_xcalloc(n, sizeof *idx);

    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        double ni = pd_jnum(json_array_get(results, i), "n");
        while (j > 0 && pd_jnum(json_array_get(results, idx[j - 1]), "n") > ni) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    *count = n;
    return idx;
}

/* The growth exponent fitted for a variant ("time" or "memory"). */
static double growth_exponent(const json_t *lesson, const char *name,
                              const char *what)
{
    json_t *g;
    size_t i;
    char key[32];

    snprintf(key, sizeof key, "%s_exponent", what);
    json_array_foreach(pd_jarr(lesson, "growth"), i, g)
        if (str_is(pd_jstr(g, "variant"), name)) return pd_jnum(g, key);
    return NAN;
}

/* What a line chart draws, gathered from a lesson. */
typedef struct lines_data {
    pd_buf data;    /* blocks "n y lo hi", one per measured series */
    pd_buf extra;   /* the extrapolated series' blocks, drawn after */
    pd_buf arrays;  /* ser_title[i], ser_lt[i], extra_lt[j] = ... */
    size_t nser, nextra;
    double xlo, xhi, ylo, yhi; /* the data's extent */
} lines_data;

/* One data line, and the extent grown to hold it. */
static void add_point(lines_data *d, pd_buf *block, double n, double y,
                      double lo, double hi)
{
    pd_buf_printf(block, "%.9g %.9g %.9g %.9g\n", n, y, lo, hi);
    d->xlo = fmin(d->xlo, n);
    d->xhi = fmax(d->xhi, n);
    d->ylo = fmin(d->ylo, lo);
    d->yhi = fmax(d->yhi, hi);
}

/* The series of one variant: its measured points (time with the IQR, or
 * peak memory), and for time its extrapolated points, which start at its
 * last measured one so the dotted line continues the solid one. */
static void add_variant(lines_data *d, const json_t *lesson, const json_t *decl,
                        int lt, const size_t *order, size_t nsizes, int memory)
{
    json_t *results = pd_jarr(lesson, "results");
    const char *name = pd_jstr(decl, "name");
    pd_buf measured = {0}, extrapolated = {0};
    double last_n = NAN, last_y = NAN;

    for (size_t k = 0; k < nsizes; k++) {
        json_t *size = json_array_get(results, order[k]);
        json_t *v = size_variant(size, name);
        double n = pd_jnum(size, "n"), y = memory ? pd_jnum(v, "peak_bytes") : pd_v_median(v);

        if (!(n > 0) || !v || !(y > 0)) continue;
        if (pd_v_measured(v)) {
            double lo = memory ? y : pd_jnum(v, "q1_s"), hi = memory ? y : pd_jnum(v, "q3_s");
            add_point(d, &measured, n, y, lo > 0 && lo <= y ? lo : y, hi >= y ? hi : y);
            last_n = n;
            last_y = y;
        } else if (!memory && pd_v_extrapolated(v)) {
            if (extrapolated.len == 0 && !isnan(last_n))
                add_point(d, &extrapolated, last_n, last_y, last_y, last_y);
            add_point(d, &extrapolated, n, y, y, y);
        }
    }
    if (measured.len > 0) {
        double expo = growth_exponent(lesson, name, memory ? "memory" : "time");
        char *short_name = pd_shorten(name, KEY_WIDTH);
        char *title = isfinite(expo) ? pd_strdup_printf("%s  n^%.1f", short_name, expo)
                                     : pd_strdup(short_name);
        d->nser++;
        pd_buf_printf(&d->data, "%s\n\n", measured.s);
        pd_buf_printf(&d->arrays, "ser_title[%zu] = ", d->nser);
        buf_quote(&d->arrays, title);
        pd_buf_printf(&d->arrays, "\nser_lt[%zu] = %d\n", d->nser, lt);
        free(title);
        free(short_name);
    }
    if (extrapolated.len > 0) {
        d->nextra++;
        pd_buf_printf(&d->extra, "%s\n\n", extrapolated.s);
        pd_buf_printf(&d->arrays, "extra_lt[%zu] = %d\n", d->nextra, lt);
    }
    pd_buf_free(&measured);
    pd_buf_free(&extrapolated);
}

/* x: tics at the measured sizes themselves, and a range around them. */
static void size_axis(pd_buf *vars, const json_t *lesson, const size_t *order,
                      size_t nsizes, const lines_data *d)
{
    json_t *results = pd_jarr(lesson, "results");
    double lo = d->xlo, hi = d->xhi, pad;
    int first = 1;

    pd_buf_puts(vars, "set xtics (");
    for (size_t k = 0; k < nsizes; k++) {
        char label[32];
        double n = pd_jnum(json_array_get(results, order[k]), "n");
        if (!(n > 0)) continue;
        if (!first) pd_buf_puts(vars, ", ");
        buf_quote(vars, fmt_count(n, label, sizeof label));
        pd_buf_printf(vars, " %.9g", n);
        first = 0;
    }
    if (!(lo <= hi)) lo = hi = 1;
    pad = hi > lo ? 1.5 : 3;
    pd_buf_printf(vars, ")\nxmin = %.9g\nxmax = %.9g\n", lo / pad, hi * pad);
}

/* Time (IQR bars, extrapolated points dotted) or peak memory of every
 * variant against n, log-log. */
static int draw_lines(const char *gnuplot, const char *charts_dir,
                      const json_t *lesson, int memory, FILE *listing, pd_err *e)
{
    lines_data d = {.xlo = INFINITY, .xhi = -INFINITY, .ylo = INFINITY, .yhi = -INFINITY};
    pd_buf vars = {0};
    size_t nsizes, *order = sizes_by_n(lesson, &nsizes), i;
    double ymin, ymax;
    char *stem = pd_chart_stem(lesson, memory ? "memory" : "time");
    json_t *decl;
    int rc;

    json_array_foreach(pd_jlesson_variants(lesson), i, decl)
        add_variant(&d, lesson, decl, variant_linetype(i), order, nsizes, memory);
    pd_buf_puts(&d.data, pd_buf_str(&d.extra));

    pd_buf_printf(&vars, "chart_w = %d\nchart_h = %d\n", CHART_W,
                  540 + 20 * title_vars(&vars, pd_jstr(lesson, "question")));
    pd_buf_puts(&vars, "xlabel_text = 'rows (n), log scale'\nylabel_text = ");
    buf_quote(&vars, memory ? "peak memory of one call (resident growth), log scale"
                            : "time per call (median, bars: IQR), log scale");
    pd_buf_printf(&vars, "\nerrbars = %d\nnser = %zu\nnextra = %zu\n"
                  "array ser_title[%zu]\narray ser_lt[%zu]\narray extra_lt[%zu]\n",
                  !memory, d.nser, d.nextra, d.nser ? d.nser : 1, d.nser ? d.nser : 1,
                  d.nextra ? d.nextra : 1); /* gnuplot arrays cannot be empty */
    pd_buf_puts(&vars, pd_buf_str(&d.arrays));
    size_axis(&vars, lesson, order, nsizes, &d);
    pad_range(d.ylo, d.yhi, &ymin, &ymax);
    log_tics(&vars, 'y', memory, memory ? pd_fmt_bytes : pd_fmt_seconds, &ymin, &ymax);
    pd_buf_printf(&vars, "ymin = %.9g\nymax = %.9g\n", ymin, ymax);

    rc = draw_chart(gnuplot, charts_dir, stem, &vars, pd_gp_lines, &d.data, listing, e);
    pd_buf_free(&vars);
    pd_buf_free(&d.data);
    pd_buf_free(&d.extra);
    pd_buf_free(&d.arrays);
    free(order);
    free(stem);
    return rc;
}

/* ---------------------------------------------------------------------
 * Charts
 * ------------------------------------------------------------------ */

/* The slowest and fastest median among the correct variants of one part
 * at one size, measured or extrapolated (borrowed results; NULL when
 * none). */
static void part_extremes(const json_t *size, const char *part,
                          json_t **slowest, json_t **fastest)
{
    json_t *v;
    size_t i;

    *slowest = *fastest = NULL;
    json_array_foreach(pd_jarr(size, "variants"), i, v) {
        double m = pd_v_median(v);
        if (!in_part(v, part) || !(pd_v_measured(v) || pd_v_extrapolated(v)))
            continue;
        if (!*slowest || m > pd_v_median(*slowest)) *slowest = v;
        if (!*fastest || m < pd_v_median(*fastest)) *fastest = v;
    }
}

double pd_jlesson_best(const json_t *lesson, json_t **slowest,
                       json_t **fastest, json_t **size)
{
    int s = pd_jlesson_bars_size(lesson);

    *slowest = *fastest = NULL;
    *size = s >= 0 ? json_array_get(pd_jarr(lesson, "results"), (size_t)s) : NULL;
    if (*size) part_extremes(*size, pd_jlesson_main_part(lesson), slowest, fastest);
    if (!*slowest || *slowest == *fastest) {
        *slowest = *fastest = NULL;
        return NAN;
    }
    return pd_v_median(*slowest) / pd_v_median(*fastest);
}

/* Text in an empty slot: why there is no bar. New string. */
static char *empty_slot_note(const json_t *v)
{
    const char *words;

    if (!v) return pd_strdup("not measured");
    if (str_is(pd_jstr(v, "status"), "wrong"))
        return pd_strdup("✗ wrong: result differs from the reference");
    if (str_is(pd_jstr(v, "status"), "not_run"))
        return pd_strdup("not run at this size");
    words = pd_v_status_words(v);
    return pd_strdup(words);
}

/* One bar per variant at the bars size, a group per part. */
static int draw_speedup(const char *gnuplot, const char *charts_dir,
                        const json_t *lesson, FILE *listing, pd_err *e)
{
    json_t *decls = pd_jlesson_variants(lesson), *d;
    json_t *size = json_array_get(pd_jarr(lesson, "results"),
                                  (size_t)pd_jlesson_bars_size(lesson));
    size_t ndecl = json_array_size(decls), nrows = 0, nparts = 0, i;
    const char **parts = pd_xcalloc(ndecl, sizeof *parts);
    pd_bar *rows = pd_xcalloc(2 * ndecl, sizeof *rows);
    char **owned = pd_xcalloc(2 * ndecl, sizeof *owned); /* row labels */
    char nbuf[32], *xlabel, *stem = pd_chart_stem(lesson, "speedup");
    pd_bar_chart chart;
    int rc;

    json_array_foreach(decls, i, d) { /* parts, in declaration order */
        const char *p = pd_jstr(d, "part");
        size_t j = 0;
        while (j < nparts && !str_is(parts[j], p ? p : "")) j++;
        if (j == nparts) parts[nparts++] = p ? p : "";
    }
    for (size_t pi = 0; pi < nparts; pi++) {
        json_t *slowest, *fastest;
        part_extremes(size, parts[pi][0] ? parts[pi] : NULL, &slowest, &fastest);
        if (nparts > 1) {
            rows[nrows].name = NULL;
            rows[nrows].label = parts[pi];
            nrows++;
        }
        json_array_foreach(decls, i, d) {
            const char *name = pd_jstr(d, "name"), *p = pd_jstr(d, "part");
            json_t *v = size_variant(size, name);
            pd_bar *r = &rows[nrows];
            char rbuf[32];

            if (!str_is(p ? p : "", parts[pi])) continue;
            r->name = name ? name : "?";
            r->value = r->lo = r->hi = NAN;
            r->linetype = variant_linetype(i);
            if (v && (pd_v_measured(v) || pd_v_extrapolated(v))) {
                r->value = pd_jnum(v, "speedup");
                if (!(r->value > 0))
                    r->value = pd_v_median(slowest) / pd_v_median(v);
                r->lo = pd_jnum(v, "speedup_lo");
                r->hi = pd_jnum(v, "speedup_hi");
                if (!(r->lo > 0 && r->hi >= r->lo)) r->lo = r->hi = NAN;
                r->hatched = pd_v_speedup_extrapolated(v);
                pd_fmt_ratio(r->value, rbuf, sizeof rbuf);
                owned[nrows] = pd_strdup_printf(
                    "%s%s%s", r->hatched ? "≈" : "", rbuf,
                    v == slowest && slowest != fastest ? " (slowest correct)"
                    : pd_jtrue(v, "no_measurable_difference") ? " (no measurable difference)"
                    : "");
            } else {
                owned[nrows] = empty_slot_note(v);
            }
            r->label = owned[nrows];
            nrows++;
        }
    }
    xlabel = pd_strdup_printf("times faster than the slowest correct variant, "
                              "at n = %s rows (log scale)",
                              fmt_count(pd_jnum(size, "n"), nbuf, sizeof nbuf));
    chart = (pd_bar_chart){.stem = stem, .title = pd_jstr(lesson, "question"),
                           .xlabel = xlabel, .base = NAN, .rows = rows,
                           .nrows = nrows};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, listing, e);
    for (i = 0; i < 2 * ndecl; i++) free(owned[i]);
    free(owned);
    free(rows);
    free(parts);
    free(xlabel);
    free(stem);
    return rc;
}

/* Every lesson: the fastest correct variant of its main part over the
 * slowest, at the size of its bars. */
static int draw_overview(const char *gnuplot, const char *charts_dir,
                         const json_t *doc, FILE *listing, pd_err *e)
{
    json_t *lessons = pd_jarr(doc, "lessons"), *l;
    size_t n = json_array_size(lessons), i;
    pd_bar *rows = pd_xcalloc(n, sizeof *rows);
    char **labels = pd_xcalloc(n, sizeof *labels);
    pd_bar_chart chart;
    int rc;

    json_array_foreach(lessons, i, l) {
        json_t *slowest, *fastest, *size;
        pd_bar *r = &rows[i];

        r->name = pd_jstr(l, "id") ? pd_jstr(l, "id") : "?";
        r->value = pd_jlesson_best(l, &slowest, &fastest, &size);
        r->lo = r->hi = NAN;
        r->linetype = 1;
        if (slowest) {
            char ratio[32], count[32];
            r->hatched = pd_v_speedup_extrapolated(slowest)
                         || pd_v_speedup_extrapolated(fastest);
            labels[i] = pd_strdup_printf(
                "%s%s: %s vs %s, n = %s", r->hatched ? "≈" : "",
                pd_fmt_ratio(r->value, ratio, sizeof ratio), pd_jstr(fastest, "name"),
                pd_jstr(slowest, "name"), fmt_count(pd_jnum(size, "n"), count, sizeof count));
        } else if (pd_jstr(l, "error") && !size) {
            labels[i] = pd_strdup("could not run");
        } else {
            labels[i] = pd_strdup("fewer than two correct variants");
        }
        r->label = labels[i];
    }
    chart = (pd_bar_chart){
        .stem = "overview",
        .title = "How much faster the fastest correct variant was than the slowest, per lesson",
        .xlabel = "times faster (log scale), at the size each lesson's bars show",
        .base = NAN, .rows = rows, .nrows = n};
    rc = pd_plot_bars(gnuplot, charts_dir, &chart, listing, e);
    for (i = 0; i < n; i++) free(labels[i]);
    free(labels);
    free(rows);
    return rc;
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

int pd_plot_results(const char *results_dir, FILE *log, pd_err *e)
{
    char *path = pd_strdup_printf("%s/results.json", results_dir);
    char *charts = pd_strdup_printf("%s/charts", results_dir);
    char *gnuplot = NULL;
    json_t *doc = pd_results_load(path, e), *l;
    size_t i;
    int rc = PD_PLOT_FAILED;

    if (!doc) goto cleanup;
    if (!(gnuplot = pd_gnuplot_find())) {
        rc = pd_gnuplot_missing(results_dir, e);
        goto cleanup;
    }
    if (pd_mkdir_p(charts, e) < 0) goto cleanup;
    json_array_foreach(pd_jarr(doc, "lessons"), i, l) {
        const char *id = pd_jstr(l, "id");
        if ((pd_chart_expected(l, "speedup")
             && draw_speedup(gnuplot, charts, l, log, e) < 0)
            || (pd_chart_expected(l, "time")
                && draw_lines(gnuplot, charts, l, 0, log, e) < 0)
            || (pd_chart_expected(l, "memory")
                && draw_lines(gnuplot, charts, l, 1, log, e) < 0)) {
            pd_error_prefix(e, "charts of lesson %s", id ? id : "?");
            goto cleanup;
        }
    }
    if (json_array_size(pd_jarr(doc, "lessons")) > 0
        && draw_overview(gnuplot, charts, doc, log, e) < 0)
        goto cleanup;
    rc = PD_PLOT_OK;
cleanup:
    json_decref(doc);
    free(gnuplot);
    free(charts);
    free(path);
    return rc;
}
