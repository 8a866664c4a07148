/* Reading a CSV file: the whole file into memory, split in place. Fields
 * become NUL-terminated strings inside the buffer (quotes removed), and
 * `cells` points at them, row by row, with the line each record starts on
 * for messages. */

#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "dataset_int.h"

/* Splits off the field at *pos: unquotes it in place, NUL-terminates it and
 * advances *pos past the delimiter. *last is set at the end of a record.
 * Returns the field, or NULL when a quoted field is malformed. */
static char *csv_field(char **pos, char *end, int *last, size_t *line) {
    char *p = *pos, *start = p, *w = p;
    if (p < end && *p == '"') {
        for (p++;; p++) {
            if (p >= end)
                return NULL; /* the quote is never closed */
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"')
                    p++; /* "" is one quote */
                else {
                    p++;
                    break;
                }
            } else if (*p == '\n')
                (*line)++;
            *w++ = *p;
        }
    } else {
        while (p < end && *p != ',' && *p != '\n' && *p != '\r')
            p++;
        w = p;
    }
    char delim = p < end ? *p : '\n';
    if (delim == ',')
        p++;
    else if (delim == '\r' && p + 1 < end && p[1] == '\n')
        p += 2;
    else if (delim == '\n' || delim == '\r')
        p += p < end;
    else
        return NULL; /* text after a closing quote */
    *last = delim != ',';
    *w = '\0'; /* at or before the delimiter: nothing unread is lost */
    *pos = p;
    return start;
}

/* A NUL byte would silently end the cell it is in (C strings): say where
 * it is instead. UTF-16, as some spreadsheets save, is full of them. */
static int check_bytes(const pd_csv *t, pd_err *e) {
    const unsigned char *s = (const unsigned char *)t->text;
    if (t->len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
                        (s[0] == 0xFE && s[1] == 0xFF)))
        return pd_error(e, "cannot import '%s': it is UTF-16 text; save it "
                        "as UTF-8 CSV (spreadsheets call it \"CSV UTF-8\").",
                        t->path);
    const char *nul = memchr(t->text, '\0', t->len);
    if (!nul)
        return 0;
    size_t line = 1;
    for (const char *p = t->text; p < nul; p++)
        line += *p == '\n';
    return pd_error(e, "cannot import '%s': line %zu holds a NUL byte (byte "
                    "%zu of the file), which no text cell can hold. Is it a "
                    "binary file? Remove the byte or re-export the file as "
                    "UTF-8 CSV.", t->path, line, (size_t)(nul - t->text) + 1);
}

static void add_row(pd_csv *t, char **fields, size_t line) {
    if ((t->nrows + 1) * t->ncols > t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024 * t->ncols;
        t->cells = pd_xrealloc(t->cells, t->cap * sizeof *t->cells);
        t->lines = pd_xrealloc(t->lines, t->cap / t->ncols * sizeof *t->lines);
    }
    memcpy(t->cells + t->nrows * t->ncols, fields, t->ncols * sizeof *fields);
    t->lines[t->nrows++] = line;
}

static int csv_split(pd_csv *t, pd_err *e) {
    char *p = t->text, *end = t->text + t->len;
    size_t line = 1, alloc = 0, nfields = 0;
    char **fields = NULL;
    int rc = -1;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark, as spreadsheets write */
    while (p < end) {
        size_t record_line = line;
        if (*p == '\n' || *p == '\r') { /* blank line */
            if (*p == '\n')
                line++;
            p++;
            continue;
        }
        nfields = 0;
        for (int last = 0; !last;) {
            char *f = csv_field(&p, end, &last, &line);
            if (!f) {
                pd_error(e, "cannot import '%s': line %zu has a quoted field "
                         "that is not closed, or text after its closing "
                         "quote.", t->path, line);
                goto cleanup;
            }
            if (nfields == alloc) {
                alloc = alloc ? 2 * alloc : 64;
                fields = pd_xrealloc(fields, alloc * sizeof *fields);
            }
            fields[nfields++] = f;
        }
        line++;
        if (!t->header) {
            t->ncols = nfields;
            t->header = fields;
            fields = NULL;
            alloc = 0;
            continue;
        }
        if (nfields != t->ncols) {
            pd_error(e, "cannot import '%s': line %zu has %zu field%s but the "
                     "header has %zu. Every line needs one value per column "
                     "(an empty value is allowed).", t->path, record_line,
                     nfields, nfields == 1 ? "" : "s", t->ncols);
            goto cleanup;
        }
        add_row(t, fields, record_line);
    }
    if (!t->header)
        pd_error(e, "cannot import '%s': the file is empty; a CSV needs a "
                 "header line naming its columns.", t->path);
    else if (t->nrows == 0)
        pd_error(e, "cannot import '%s': it has a header but no data lines.",
                 t->path);
    else
        rc = 0;
cleanup:
    free(fields);
    return rc;
}

int pd_csv_read(const char *path, pd_csv *t, pd_err *e) {
    memset(t, 0, sizeof *t);
    t->path = path;
    t->text = pd_read_file(path, &t->len, e);
    if (!t->text || check_bytes(t, e) < 0)
        return -1;
    return csv_split(t, e);
}

void pd_csv_free(pd_csv *t) {
    free(t->header);
    free(t->cells);
    free(t->lines);
    free(t->text);
    memset(t, 0, sizeof *t);
}
