/* What every command uses from the command line (git's parse-options.c
 * model): options parsed from the command's own table, help generated from
 * it and wrapped to the terminal, misuse named on stderr with exit 2, a
 * failure reported once at the edge, the embedded interpreter started and
 * stopped around a command's body. See bench/cli_int.h. */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/embed.h"
#include "pdlab/format.h"
#include "pdlab/strbuf.h"
#include "pdlab/lesson.h"

/* Prints text wrapped to width columns, the cursor being at column `col`
 * already (0: the line starts with the indent); later lines are indented. */
void cli_print_wrapped_from(FILE *out, int col, const char *indent, const char *text,
                               int width)
{
    int ind = (int)strlen(indent), first = 1;
    const char *p = text;
    if (col == 0) col = fprintf(out, "%s", indent);
    while (*p) {
        size_t w;
        while (*p == ' ') p++;
        w = strcspn(p, " ");
        if (w == 0) break;
        if (!first && col + 1 + (int)w > width) {
            fprintf(out, "\n%s", indent);
            col = ind;
        } else if (!first) col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)w, p);
        p += w;
        first = 0;
    }
    fputc('\n', out);
}

void cli_print_wrapped(FILE *out, const char *indent, const char *text, int width)
{
    cli_print_wrapped_from(out, 0, indent, text, width);
}

static void print_usage(FILE *out, const pd_command *cmd)
{
    fprintf(out, "usage: pdlab %s%s%s%s\n", cmd->name, cmd->options ? " [options]" : "",
            cmd->args ? " " : "", cmd->args ? cmd->args : "");
}

/* Paragraphs wrapped at 78 columns; indented lines (examples) as they are. */
static void print_description(const char *text)
{
    char *copy = pd_strdup(text), *line, *save = NULL;
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == ' ') printf("%s\n", line);
        else {
            putchar('\n');
            cli_print_wrapped(stdout, "", line, 78);
        }
    }
    free(copy);
}

void cli_print_help(const pd_command *cmd)
{
    print_usage(stdout, cmd);
    print_description(cmd->description);
    if (cmd->options) {
        printf("\noptions:\n");
        for (const pd_option *o = cmd->options; o->name; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
            /* The help text wraps under itself, right of the option. */
            cli_print_wrapped_from(stdout, printf("  %-22s ", left), "                         ",
                               o->help, 78);
        }
    }
    printf("  %-22s %s\n", "-h, --help", "show this help");
}

int cli_usage_error(const pd_command *cmd, const char *fmt, const char *what)
{
    fprintf(stderr, "pdlab %s: ", cmd->name);
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    print_usage(stderr, cmd);
    fprintf(stderr, "`pdlab %s --help` explains the options.\n", cmd->name);
    return PD_EXIT_USAGE;
}

/* Parses argv (argv[0] is the command name) against the command's table.
 * Returns 0, or PD_EXIT_USAGE after telling the user what was wrong. */
int cli_parse(const pd_command *cmd, int argc, char **argv, cli_parsed *p)
{
    struct option longopts[MAX_OPTIONS + 2];
    int n = 0, c;

    memset(p, 0, sizeof *p);
    for (const pd_option *o = cmd->options; o && o->name; o++, n++)
        longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                      NULL, 256 + n};
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') p->help = 1;
        else if (c >= 256) p->value[c - 256] = optarg ? optarg : "";
        else if (optopt >= 256)
            return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
    p->argc = argc - optind;
    p->argv = argv + optind;
    return 0;
}

/* The value of option `name`, or NULL. */
const char *cli_opt(const pd_command *cmd, const cli_parsed *p, const char *name)
{
    for (int i = 0; cmd->options && cmd->options[i].name; i++)
        if (strcmp(cmd->options[i].name, name) == 0) return p->value[i];
    return NULL;
}

/* Every number on the command line goes through here: plain decimal
 * ("1000", "0.5", "1e6"), nothing strtod would also take ("0x10", "inf",
 * "nan", " 5"), finite and within [min, max]. */
int cli_parse_number(const char *s, double min, double max, double *out)
{
    char *end;
    double v;
    if (!(*s >= '0' && *s <= '9') && !(*s == '.' && s[1] >= '0' && s[1] <= '9')) return -1;
    if (s[strspn(s, "0123456789.eE+-")] != '\0') return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    double v;
    if (cli_parse_number(s, 1, 1e15, &v) < 0 || v != floor(v)) return -1;
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_seconds(const char *s, double *out)
{
    /* Over a day per sample or per variant is a typo, and --min-sample
     * inf would calibrate for ever. */
    return cli_parse_number(s, 1e-9, 86400, out) < 0 || !(*out > 0) ? -1 : 0;
}

/* "10000,100000" into a newly allocated array: every field a row count
 * up to PD_LESSON_MAX_SIZE ("1,,2" and "1000," are not), no size twice. */
int cli_parse_sizes(const char *s, uint64_t **sizes, size_t *n)
{
    size_t cap = 1;
    *n = 0;
    for (const char *c = s; *c; c++) cap += *c == ',';
    *sizes = pd_xcalloc(cap, sizeof **sizes);
    for (const char *f = s;; f++) {
        size_t len = strcspn(f, ",");
        char field[32];
        if (len == 0 || len >= sizeof field) return -1;
        memcpy(field, f, len);
        field[len] = '\0';
        if (cli_parse_u64(field, &(*sizes)[*n]) < 0 || (*sizes)[*n] > PD_LESSON_MAX_SIZE)
            return -1;
        for (size_t k = 0; k < *n; k++)
            if ((*sizes)[k] == (*sizes)[*n]) return -1;
        (*n)++;
        f += len;
        if (*f == '\0') return 0;
    }
}

/* Reports a failure once, at the edge. */
int cli_fail(const pd_err *e)
{
    fprintf(stderr, "pdlab: %s\n", e->set ? e->msg : "failed");
    return PD_EXIT_FAILED;
}

int cli_with_python(int (*body)(void *ctx, pd_err *e), void *ctx)
{
    pd_err e = {0};
    int rc;
    if (pd_python_start(&e) < 0) {
        pd_python_stop();
        return cli_fail(&e);
    }
    rc = body(ctx, &e);
    pd_python_stop();
    return rc;
}

/* ---- the terminal ---------------------------------------------------------
 * Names, questions and errors come from lesson files and results.json
 * files: whatever reaches a terminal goes through pd_term_escape, here, at
 * the one place every view's output passes, instead of at each of the
 * views' printf calls. Output that is not a terminal (a pipe, a file) is
 * left as it is: it is data. */

static ssize_t term_write(void *cookie, const char *data, size_t len)
{
    int fd = (int)(intptr_t)cookie;
    pd_buf b = {0};
    size_t off = 0;
    pd_term_escape(&b, data, len);
    while (off < b.len) {
        ssize_t w = write(fd, b.s + off, b.len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    pd_buf_free(&b);
    return off < b.len ? -1 : (ssize_t)len;
}

static FILE *term_stream(FILE *f, int mode)
{
    cookie_io_functions_t io = {.write = term_write};
    FILE *t;
    if (!isatty(fileno(f))) return f;
    fflush(f);
    t = fopencookie((void *)(intptr_t)fileno(f), "w", io);
    if (t == NULL) return f;
    setvbuf(t, NULL, mode, 0);
    return t;
}

static FILE *guarded_out, *guarded_err; /* the streams made above */

void cli_guard_terminal(void)
{
    FILE *out = stdout, *err = stderr;
    if ((stdout = term_stream(out, _IOLBF)) != out) guarded_out = stdout;
    if ((stderr = term_stream(err, _IONBF)) != err) guarded_err = stderr;
}

int cli_is_terminal(FILE *f)
{
    /* A guarded stream has no descriptor of its own (fileno gives -1). */
    return f && (f == guarded_out || f == guarded_err || isatty(fileno(f)));
}
