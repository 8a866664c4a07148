/* CSV import: a CSV with a header line into a table, written by write.c.
 *
 * The whole file is read into memory and split in place: fields become
 * NUL-terminated strings inside the buffer (quotes removed), and `cells`
 * points at them, row by row. Each column's type is then inferred over all
 * its cells, and the writer converts a block at a time. */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "dataset_int.h"

#define CSV_MAX_LABELS 32767 /* int16 codes */
#define LABEL_SLOTS 65536    /* power of two, at least twice CSV_MAX_LABELS */

typedef struct csv {
    const char *path;
    char *text;
    size_t len;
    char **header;      /* ncols names, pointing into text */
    char **cells;       /* nrows * ncols, row-major, pointing into text */
    size_t ncols, nrows, cap;
} csv;

typedef enum csv_kind { CSV_INT, CSV_FLOAT, CSV_TEXT } csv_kind;

typedef struct csv_col {
    const csv *t;
    size_t index;
    csv_kind kind;
    const char **labels;   /* CSV_TEXT: in first-seen order */
    size_t nlabels;
    int32_t *slots;        /* CSV_TEXT: open-addressing table of label index */
    char *meaning;
} csv_col;

typedef enum cell_kind {
    CELL_EMPTY,
    CELL_INT,
    CELL_FLOAT,
    CELL_TEXT,
} cell_kind;

/* What a field holds. Surrounding spaces are allowed around numbers. */
static cell_kind classify(const char *s, int64_t *iv, double *dv) {
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return CELL_EMPTY;
    char *end;
    errno = 0;
    long long ll = strtoll(s, &end, 10);
    int int_ok = errno == 0 && end != s;
    while (*end == ' ' || *end == '\t')
        end++;
    if (int_ok && !*end) {
        *iv = ll;
        return CELL_INT;
    }
    double d = strtod(s, &end);
    if (end == s)
        return CELL_TEXT;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return CELL_TEXT;
    *dv = d;
    return CELL_FLOAT;
}

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

static int csv_parse(csv *t, pd_err *e) {
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
        if ((t->nrows + 1) * t->ncols > t->cap) {
            t->cap = t->cap ? 2 * t->cap : 1024 * t->ncols;
            t->cells = pd_xrealloc(t->cells, t->cap * sizeof *t->cells);
        }
        memcpy(t->cells + t->nrows * t->ncols, fields,
               t->ncols * sizeof *fields);
        t->nrows++;
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

/* The code of label s in column c, added in first-seen order when new.
 * Returns -1 when the column already has CSV_MAX_LABELS labels. */
static int label_code(csv_col *c, const char *s) {
    size_t mask = LABEL_SLOTS - 1;
    for (size_t i = pd_fnv1a(PD_FNV_OFFSET, s, strlen(s)) & mask;;
         i = (i + 1) & mask) {
        int32_t k = c->slots[i];
        if (k >= 0 && strcmp(c->labels[k], s) == 0)
            return k;
        if (k >= 0)
            continue;
        if (c->nlabels == CSV_MAX_LABELS)
            return -1;
        c->labels[c->nlabels] = s;
        c->slots[i] = (int32_t)c->nlabels;
        return (int)c->nlabels++;
    }
}

static const char *csv_cell(const csv *t, uint64_t row, size_t col) {
    return t->cells[row * t->ncols + col];
}

/* int64 when every value is an integer; float64 when every value is a number
 * or empty (empty is NaN); otherwise text, stored as categorical codes with
 * the labels in first-seen order and empty values as code -1 (missing). */
static int csv_infer(csv_col *c, pd_err *e) {
    const csv *t = c->t;
    int64_t iv;
    double dv;
    c->kind = CSV_INT;
    for (uint64_t r = 0; r < t->nrows && c->kind != CSV_TEXT; r++) {
        switch (classify(csv_cell(t, r, c->index), &iv, &dv)) {
        case CELL_INT: break;
        case CELL_EMPTY:
        case CELL_FLOAT: c->kind = CSV_FLOAT; break;
        case CELL_TEXT: c->kind = CSV_TEXT; break;
        }
    }
    if (c->kind != CSV_TEXT)
        return 0;
    c->labels = pd_xcalloc(CSV_MAX_LABELS, sizeof *c->labels);
    c->slots = pd_xcalloc(LABEL_SLOTS, sizeof *c->slots);
    memset(c->slots, 0xff, LABEL_SLOTS * sizeof *c->slots); /* all -1 */
    for (uint64_t r = 0; r < t->nrows; r++) {
        const char *s = csv_cell(t, r, c->index);
        if (classify(s, &iv, &dv) != CELL_EMPTY && label_code(c, s) < 0)
            return pd_error(e, "cannot import '%s': column '%s' has more than "
                            "%d distinct values; pdlab stores text as "
                            "categorical codes.", t->path,
                            t->header[c->index], CSV_MAX_LABELS);
    }
    return 0;
}

static int fill_csv(void *ctx, uint64_t start, size_t n, void *buf,
                    pd_err *e) {
    csv_col *c = ctx;
    for (size_t i = 0; i < n; i++) {
        const char *s = csv_cell(c->t, start + i, c->index);
        int64_t iv = 0;
        double dv = NAN;
        cell_kind k = classify(s, &iv, &dv);
        switch (c->kind) {
        case CSV_INT:
            ((int64_t *)buf)[i] = iv;
            break;
        case CSV_FLOAT:
            ((double *)buf)[i] = k == CELL_INT ? (double)iv : dv;
            break;
        case CSV_TEXT: {
            int code = k == CELL_EMPTY ? -1 : label_code(c, s);
            if (c->nlabels <= INT8_MAX)
                ((int8_t *)buf)[i] = (int8_t)code;
            else
                ((int16_t *)buf)[i] = (int16_t)code;
            break;
        }
        }
    }
    return 0;
}

static void csv_colspec(csv_col *c, const char *base, pd_colspec *out) {
    switch (c->kind) {
    case CSV_INT: out->store = PD_STORE_I64; break;
    case CSV_FLOAT: out->store = PD_STORE_F64; break;
    case CSV_TEXT:
        out->store = c->nlabels <= INT8_MAX ? PD_STORE_I8 : PD_STORE_I16;
        out->labels = c->labels;
        out->nlabels = c->nlabels;
        break;
    }
    c->meaning = pd_strdup_printf("column %zu of %s", c->index + 1, base);
    out->name = c->t->header[c->index];
    out->meaning = c->meaning;
    out->fill = fill_csv;
    out->ctx = c;
}

static int csv_check_header(const csv *t, pd_err *e) {
    for (size_t i = 0; i < t->ncols; i++) {
        if (pd_check_name("column", t->header[i], e) < 0) {
            pd_error_prefix(e, "cannot import '%s': header, column %zu",
                            t->path, i + 1);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->header[i], t->header[j]) == 0)
                return pd_error(e, "cannot import '%s': the header names "
                                "column '%s' twice (columns %zu and %zu).",
                                t->path, t->header[i], j + 1, i + 1);
    }
    return 0;
}

/* The CSV's own bytes stand in for a recipe: the hash changes with them. */
static void csv_hash(const csv *t, char out[17]) {
    uint32_t versions[2] = {PD_DATASET_FORMAT_VERSION, PD_GENERATOR_VERSION};
    uint64_t h = pd_fnv1a(PD_FNV_OFFSET, "pdlab csv", 9);
    h = pd_fnv1a(h, versions, sizeof versions);
    h = pd_fnv1a(h, t->text, t->len);
    snprintf(out, 17, "%016" PRIx64, h);
}

int pd_dataset_import_csv(const char *csv_path, const char *name,
                          const char *path, pd_err *e) {
    csv t = {.path = csv_path};
    csv_col *cols = NULL;
    pd_colspec *specs = NULL;
    char *recipe = NULL, *description = NULL;
    int rc = -1;
    const char *base = strrchr(csv_path, '/');
    base = base ? base + 1 : csv_path;

    if (pd_check_name("dataset", name, e) < 0)
        return -1;
    t.text = pd_read_file(csv_path, &t.len, e);
    if (!t.text || csv_parse(&t, e) < 0 || csv_check_header(&t, e) < 0)
        goto cleanup;
    cols = pd_xcalloc(t.ncols, sizeof *cols);
    specs = pd_xcalloc(t.ncols, sizeof *specs);
    for (size_t i = 0; i < t.ncols; i++) {
        cols[i].t = &t;
        cols[i].index = i;
        if (csv_infer(&cols[i], e) < 0)
            goto cleanup;
        csv_colspec(&cols[i], base, &specs[i]);
    }
    recipe = pd_strdup_printf("csv:%s", base);
    description = pd_strdup_printf("imported from %s", base);
    pd_table tb = {name, recipe, description, 0, t.nrows, "", specs, t.ncols};
    csv_hash(&t, tb.hash);
    rc = pd_table_write(path, &tb, e);
cleanup:
    for (size_t i = 0; cols && i < t.ncols; i++) {
        free(cols[i].labels);
        free(cols[i].slots);
        free(cols[i].meaning);
    }
    free(cols);
    free(specs);
    free(recipe);
    free(description);
    free(t.header);
    free(t.cells);
    free(t.text);
    return rc;
}
