/* CSV import: cells (csv.c) into a table (write.c), keeping what each
 * column means.
 *
 * Sections:
 *   column names   the header made into names HDF5 and pandas can hold
 *   types          inferred over every cell of a column, or given
 *   values         each type's fill function
 *   the import     options, the table, and what is said about it
 *
 * Whatever import decides that the user did not ask for (a renamed column,
 * a column kept as text, cells read as missing) is said in the report, one
 * line each: library code never prints, the command does. */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/strbuf.h"
#include "dataset_int.h"

#define MAX_LABELS 32767  /* int16 codes */
#define LABEL_SLOTS 65536 /* power of two, at least twice MAX_LABELS */
#define EXACT_INT (1LL << 53) /* integers a double holds exactly */

typedef enum col_type {
    T_AUTO, T_INT, T_FLOAT, T_BOOL, T_DATETIME, T_CATEGORY, T_STR,
} col_type;

static const char *const type_words[] = {
    "auto", "int", "float", "bool", "datetime", "category", "str", NULL,
};

/* What a column holds, from one pass over its cells. */
typedef struct census {
    uint64_t count[PD_CELL_TEXT + 1]; /* cells of each kind */
    uint64_t first[PD_CELL_TEXT + 1]; /* row of the first of each kind */
    uint64_t number_like;   /* text that is a number but for a leading zero,
                               a plus sign or a thousands separator */
    uint64_t number_like_row;
    int big_int;            /* an integer beyond 2^53 */
} census;

typedef struct column {
    const pd_csv *t;
    size_t index;
    char *name;             /* as stored */
    col_type type;
    int date_only;          /* T_DATETIME: no cell had a time */
    int has_missing;        /* some cell is missing (or read as missing) */
    const char **labels;    /* T_CATEGORY: in first-seen order */
    size_t nlabels;
    int32_t *slots;         /* T_CATEGORY: open addressing, label index */
    uint64_t coerced;       /* cells read as missing because not the type */
    char *meaning;
    const char *attrs[5];   /* csv_name, format */
} column;

/* ---- column names -------------------------------------------------------- */

static int name_taken(column *cols, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return 1;
    return 0;
}

/* The rule, in the order applied: an empty name, "." or ".." becomes
 * column_<position>; a '/' becomes '_' (HDF5 reads it as a path); a name
 * already taken gets .1, .2, ... as pandas' read_csv does. */
static void name_columns(const pd_csv *t, column *cols, pd_buf *said) {
    for (size_t i = 0; i < t->ncols; i++) {
        const char *raw = t->header[i];
        char *name;
        const char *why = NULL;
        if (!*raw || strcmp(raw, ".") == 0 || strcmp(raw, "..") == 0) {
            name = pd_strdup_printf("column_%zu", i + 1);
            why = *raw ? "not a name HDF5 can hold" : "empty";
        } else {
            name = pd_strdup(raw);
            for (char *p = name; *p; p++)
                if (*p == '/') {
                    *p = '_';
                    why = "'/' separates HDF5 paths";
                }
        }
        if (name_taken(cols, i, name)) {
            char *dup = NULL;
            for (unsigned k = 1; !dup || name_taken(cols, i, dup); k++) {
                free(dup);
                dup = pd_strdup_printf("%s.%u", name, k);
            }
            free(name);
            name = dup;
            why = why ? why : "a name used before";
        }
        cols[i].name = name;
        if (why) {
            pd_buf_printf(said, "column %zu '%s' is stored as '%s' (%s)\n",
                          i + 1, raw, name, why);
            cols[i].attrs[0] = "csv_name";
            cols[i].attrs[1] = raw;
        }
    }
}

/* ---- types --------------------------------------------------------------- */

static census count_cells(const pd_csv *t, size_t col) {
    census c = {0};
    for (uint64_t r = 0; r < t->nrows; r++) {
        const char *s = pd_csv_cell(t, r, col);
        int64_t iv = 0;
        double dv;
        pd_cell k = pd_cell_parse(s, &iv, &dv);
        if (c.count[k]++ == 0)
            c.first[k] = r;
        if (k == PD_CELL_INT && (iv > EXACT_INT || iv < -EXACT_INT))
            c.big_int = 1;
        if (k == PD_CELL_TEXT) {
            const char *p = s + strspn(s, " \t+-");
            size_t digits = strspn(p, "0123456789,.");
            if (p > s + strspn(s, " \t") + 1 || !digits ||
                p[digits + strspn(p + digits, " \t")])
                continue;
            if (c.number_like++ == 0)
                c.number_like_row = r;
        }
    }
    return c;
}

/* "line 7: 'n/a?'" for the first cell of kind k. */
static void where(pd_buf *b, const pd_csv *t, size_t col, uint64_t row) {
    pd_buf_printf(b, "line %zu: '%s'", t->lines[row],
                  pd_csv_cell(t, row, col));
}

static uint64_t nonmissing(const census *c, const pd_csv *t) {
    return t->nrows - c->count[PD_CELL_MISSING];
}

/* Text with few distinct values (each seen twice on average, and at most
 * MAX_LABELS) is categorical; the rest plain strings. */
static col_type text_type(const pd_csv *t, size_t col, const census *c) {
    const char **seen = pd_xcalloc(LABEL_SLOTS, sizeof *seen);
    uint64_t distinct = 0, mask = LABEL_SLOTS - 1;
    for (uint64_t r = 0; r < t->nrows && distinct <= MAX_LABELS; r++) {
        const char *s = pd_csv_cell(t, r, col);
        if (!s[strspn(s, " \t")])
            continue;
        for (uint64_t i = pd_fnv1a(PD_FNV_OFFSET, s, strlen(s)) & mask;;
             i = (i + 1) & mask) {
            if (!seen[i]) {
                seen[i] = s;
                distinct++;
                break;
            }
            if (strcmp(seen[i], s) == 0)
                break;
        }
    }
    free(seen);
    uint64_t filled = t->nrows - c->count[PD_CELL_MISSING];
    return distinct <= MAX_LABELS && 2 * distinct <= filled ? T_CATEGORY
                                                            : T_STR;
}

/* Says why a column that is mostly numbers or dates stays text, and how to
 * read it as that type instead. */
static void explain_text(column *c, const census *n, pd_buf *said) {
    const pd_csv *t = c->t;
    uint64_t filled = nonmissing(n, t);
    uint64_t numbers = n->count[PD_CELL_INT] + n->count[PD_CELL_FLOAT];
    uint64_t dates = n->count[PD_CELL_DATE] + n->count[PD_CELL_DATETIME];
    const char *as = NULL, *missing = NULL;
    if (n->number_like && n->number_like + numbers == filled) {
        pd_buf_printf(said, "column '%s' is kept as text: numbers with a "
                      "leading zero, a sign or a separator would not read "
                      "back the same (%" PRIu64 " such cells, first at ",
                      c->name, n->number_like);
        where(said, t, c->index, n->number_like_row);
        pd_buf_puts(said, ")\n");
        return;
    }
    if (numbers && 2 * numbers >= filled)
        as = "float", missing = "NaN";
    else if (dates && 2 * dates >= filled)
        as = "datetime", missing = "NaT";
    if (!as)
        return;
    pd_buf_printf(said, "column '%s' is kept as text: %" PRIu64 " of %" PRIu64
                  " cells are not %s (first at ", c->name, filled - (as[0] ==
                  'f' ? numbers : dates), filled,
                  as[0] == 'f' ? "numbers" : "ISO dates");
    where(said, t, c->index, n->first[PD_CELL_TEXT]);
    pd_buf_printf(said, "); --type '%s=%s' reads them as missing (%s)\n",
                  c->name, as, missing);
}

/* The type of a column nobody gave one: every cell must agree. */
static int infer(column *c, const census *n, pd_buf *said, pd_err *e) {
    const pd_csv *t = c->t;
    uint64_t filled = nonmissing(n, t);
    uint64_t ints = n->count[PD_CELL_INT], floats = n->count[PD_CELL_FLOAT];
    uint64_t dates = n->count[PD_CELL_DATE], times = n->count[PD_CELL_DATETIME];
    if (filled == 0) {
        pd_buf_printf(said, "column '%s' has no values: float64, all NaN\n",
                      c->name);
        c->type = T_FLOAT;
    } else if (n->count[PD_CELL_OUT_OF_RANGE] &&
               ints + floats + n->count[PD_CELL_OUT_OF_RANGE] == filled) {
        uint64_t r = n->first[PD_CELL_OUT_OF_RANGE];
        return pd_error(e, "cannot import '%s': line %zu, column '%s': '%s' "
                        "is out of float64's range (it would become inf or "
                        "0). Fix the cell, or keep the column as text with "
                        "--type '%s=str'.", t->path, t->lines[r], c->name,
                        pd_csv_cell(t, r, c->index), c->name);
    } else if (ints == filled && !n->count[PD_CELL_MISSING]) {
        c->type = T_INT;
    } else if (ints + floats == filled && !(floats == 0 && n->big_int)) {
        c->type = T_FLOAT;
        if (floats == 0)
            pd_buf_printf(said, "column '%s' holds integers, %" PRIu64
                          " missing: float64 with NaN, as pandas reads it\n",
                          c->name, n->count[PD_CELL_MISSING]);
    } else if (n->count[PD_CELL_BOOL] == filled) {
        c->type = T_BOOL;
    } else if (dates + times == filled) {
        c->type = T_DATETIME;
    } else {
        c->type = text_type(t, c->index, n);
        explain_text(c, n, said);
    }
    return 0;
}

/* Whether cell s is missing or of the given type (float, bool or
 * datetime). */
static int fits_type(col_type type, const char *s) {
    int64_t iv;
    double dv;
    switch (pd_cell_parse(s, &iv, &dv)) {
    case PD_CELL_MISSING: return 1;
    case PD_CELL_INT:
    case PD_CELL_FLOAT: return type == T_FLOAT;
    case PD_CELL_BOOL: return type == T_BOOL;
    case PD_CELL_DATE:
    case PD_CELL_DATETIME: return type == T_DATETIME;
    case PD_CELL_OUT_OF_RANGE:
    case PD_CELL_TEXT: return 0;
    }
    return 0;
}

/* A type the user gave: int must hold for every cell; the others read a
 * cell that is not of their type as missing, and say how many. */
static int apply_given(column *c, const census *n, pd_buf *said,
                       pd_err *e) {
    const pd_csv *t = c->t;
    uint64_t filled = nonmissing(n, t), fits = 0;
    switch (c->type) {
    case T_INT:
        if (n->count[PD_CELL_INT] == t->nrows)
            return 0;
        for (uint64_t r = 0;; r++) {
            int64_t iv;
            double dv;
            if (pd_cell_parse(pd_csv_cell(t, r, c->index), &iv, &dv) !=
                PD_CELL_INT)
                return pd_error(e, "cannot import '%s': line %zu, column "
                                "'%s': '%s' is not an integer, and int64 has "
                                "no missing value. Use --type '%s=float' or "
                                "'%s=str'.", t->path, t->lines[r], c->name,
                                pd_csv_cell(t, r, c->index), c->name,
                                c->name);
        }
    case T_FLOAT:
        if (n->count[PD_CELL_OUT_OF_RANGE]) {
            uint64_t r = n->first[PD_CELL_OUT_OF_RANGE];
            return pd_error(e, "cannot import '%s': line %zu, column '%s': "
                            "'%s' is out of float64's range.", t->path,
                            t->lines[r], c->name,
                            pd_csv_cell(t, r, c->index));
        }
        fits = n->count[PD_CELL_INT] + n->count[PD_CELL_FLOAT];
        break;
    case T_BOOL: fits = n->count[PD_CELL_BOOL]; break;
    case T_DATETIME:
        fits = n->count[PD_CELL_DATE] + n->count[PD_CELL_DATETIME];
        break;
    case T_CATEGORY:
    case T_STR:
    case T_AUTO: return 0;
    }
    c->coerced = filled - fits;
    if (c->coerced) {
        uint64_t r = 0;
        while (r + 1 < t->nrows && fits_type(c->type, pd_csv_cell(t, r, c->index)))
            r++;
        pd_buf_printf(said, "column '%s' (--type %s): cells that are not "
                      "%s are read as missing: %" PRIu64 " (first at ", c->name,
                      type_words[c->type], type_words[c->type], c->coerced);
        where(said, t, c->index, r);
        pd_buf_puts(said, ")\n");
    }
    return 0;
}

/* ---- values -------------------------------------------------------------- */

/* The code of label s in column c, added in first-seen order when new.
 * Returns -1 when the column already has MAX_LABELS labels. */
static int label_code(column *c, const char *s) {
    size_t mask = LABEL_SLOTS - 1;
    for (size_t i = pd_fnv1a(PD_FNV_OFFSET, s, strlen(s)) & mask;;
         i = (i + 1) & mask) {
        int32_t k = c->slots[i];
        if (k >= 0 && strcmp(c->labels[k], s) == 0)
            return k;
        if (k >= 0)
            continue;
        if (c->nlabels == MAX_LABELS)
            return -1;
        c->labels[c->nlabels] = s;
        c->slots[i] = (int32_t)c->nlabels;
        return (int)c->nlabels++;
    }
}

/* The label table, in first-seen order, before anything is written: the
 * code width depends on how many there are. */
static int collect_labels(column *c, pd_err *e) {
    const pd_csv *t = c->t;
    c->labels = pd_xcalloc(MAX_LABELS, sizeof *c->labels);
    c->slots = pd_xcalloc(LABEL_SLOTS, sizeof *c->slots);
    memset(c->slots, 0xff, LABEL_SLOTS * sizeof *c->slots); /* all -1 */
    for (uint64_t r = 0; r < t->nrows; r++) {
        const char *s = pd_csv_cell(t, r, c->index);
        if (s[strspn(s, " \t")] && label_code(c, s) < 0)
            return pd_error(e, "cannot import '%s': column '%s' has more than "
                            "%d distinct values, too many for a category. "
                            "Use --type '%s=str'.", t->path, c->name,
                            MAX_LABELS, c->name);
    }
    return 0;
}

static void fill_cell(column *c, const char *s, size_t i, void *buf) {
    int64_t iv = 0;
    double dv = NAN;
    int blank = !s[strspn(s, " \t")];
    pd_cell k = c->type == T_STR || c->type == T_CATEGORY
                    ? PD_CELL_TEXT
                    : pd_cell_parse(s, &iv, &dv);
    switch (c->type) {
    case T_INT: ((int64_t *)buf)[i] = iv; break;
    case T_FLOAT:
        ((double *)buf)[i] = k == PD_CELL_INT     ? (double)iv
                             : k == PD_CELL_FLOAT ? dv
                                                  : NAN;
        break;
    case T_BOOL: ((int8_t *)buf)[i] = k == PD_CELL_BOOL ? (int8_t)iv : -1; break;
    case T_DATETIME:
        ((int64_t *)buf)[i] =
            k == PD_CELL_DATE || k == PD_CELL_DATETIME ? iv : PD_NAT;
        break;
    case T_CATEGORY: {
        int code = blank ? -1 : label_code(c, s);
        if (c->nlabels <= INT8_MAX)
            ((int8_t *)buf)[i] = (int8_t)code;
        else
            ((int16_t *)buf)[i] = (int16_t)code;
        break;
    }
    case T_STR: ((const char **)buf)[i] = blank ? NULL : s; break;
    case T_AUTO: break;
    }
}

static int fill_column(void *ctx, uint64_t start, size_t n, void *buf,
                       pd_err *e) {
    column *c = ctx;
    for (size_t i = 0; i < n; i++)
        fill_cell(c, pd_csv_cell(c->t, start + i, c->index), i, buf);
    return 0;
}

static void column_spec(column *c, const char *base, pd_colspec *out) {
    size_t a = c->attrs[0] ? 2 : 0;
    switch (c->type) {
    case T_INT: out->store = PD_STORE_I64; break;
    case T_FLOAT: out->store = PD_STORE_F64; break;
    case T_BOOL:
        /* Decided over the whole column, so that the first n rows of it
         * load as the same dtype whether or not they hold a missing one. */
        out->store = PD_STORE_I8;
        out->kind = c->has_missing ? "boolean" : "bool";
        break;
    case T_DATETIME:
        out->store = PD_STORE_I64;
        out->kind = "datetime64[ns]";
        c->attrs[a++] = "format";
        c->attrs[a++] = c->date_only ? "date" : "datetime";
        break;
    case T_CATEGORY:
        out->store = c->nlabels <= INT8_MAX ? PD_STORE_I8 : PD_STORE_I16;
        out->labels = c->labels;
        out->nlabels = c->nlabels;
        break;
    case T_STR: out->store = PD_STORE_TEXT; break;
    case T_AUTO: break;
    }
    c->meaning = pd_strdup_printf("column %zu of %s", c->index + 1, base);
    out->name = c->name;
    out->meaning = c->meaning;
    out->attrs = c->attrs;
    out->fill = fill_column;
    out->ctx = c;
}

/* ---- the import ---------------------------------------------------------- */

static void csv_hash(const char *text, size_t len, const char *types,
                     char out[17]);

static col_type type_word(const char *s, size_t n) {
    static const struct {
        const char *word;
        col_type type;
    } aliases[] = {{"date", T_DATETIME}, {"text", T_STR}, {"string", T_STR},
                   {"categorical", T_CATEGORY}};
    for (int i = 1; type_words[i]; i++)
        if (strlen(type_words[i]) == n && memcmp(type_words[i], s, n) == 0)
            return (col_type)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].word) == n && memcmp(aliases[i].word, s, n) == 0)
            return aliases[i].type;
    return T_AUTO;
}

/* "zip=str,date=datetime": each column named (as stored, or as in the
 * header) gets its type. */
static int given_types(const char *spec, const pd_csv *t, column *cols,
                       pd_err *e) {
    for (const char *p = spec; p && *p;) {
        size_t len = strcspn(p, ","), k;
        const char *eq = memchr(p, '=', len);
        col_type type = eq ? type_word(eq + 1, len - (size_t)(eq + 1 - p))
                           : T_AUTO;
        if (!eq || type == T_AUTO)
            return pd_error(e, "--type wants COLUMN=TYPE,... with TYPE one "
                            "of int, float, bool, datetime, category, str; "
                            "not '%.*s'", (int)len, p);
        size_t nlen = (size_t)(eq - p);
        for (k = 0; k < t->ncols; k++)
            if ((strlen(cols[k].name) == nlen &&
                 memcmp(cols[k].name, p, nlen) == 0) ||
                (strlen(t->header[k]) == nlen &&
                 memcmp(t->header[k], p, nlen) == 0))
                break;
        if (k == t->ncols)
            return pd_error(e, "--type names column '%.*s', which '%s' does "
                            "not have.", (int)nlen, p, t->path);
        cols[k].type = type;
        p += len + (p[len] == ',');
    }
    return 0;
}

static void describe(const column *c, pd_buf *said) {
    static const char *const stored[] = {
        "", "int64", "float64", "bool", "datetime64[ns]", "category", "str",
    };
    pd_buf_printf(said, "  %-24s %s", c->name, stored[c->type]);
    if (c->type == T_CATEGORY)
        pd_buf_printf(said, " (%zu labels)", c->nlabels);
    if (c->type == T_DATETIME && c->date_only)
        pd_buf_puts(said, " (dates)");
    if (c->type == T_BOOL && c->has_missing)
        pd_buf_puts(said, " (with missing values: pandas' \"boolean\")");
    pd_buf_puts(said, "\n");
}

/* Decides each column's type and fills its spec. */
static int plan_columns(const pd_csv *t, const char *types, column *cols,
                        pd_colspec *specs, const char *base, pd_buf *said,
                        pd_err *e) {
    if (given_types(types, t, cols, e) < 0)
        return -1;
    for (size_t i = 0; i < t->ncols; i++) {
        column *c = &cols[i];
        census n = count_cells(t, i);
        int rc = c->type == T_AUTO ? infer(c, &n, said, e)
                                   : apply_given(c, &n, said, e);
        if (rc < 0 || (c->type == T_CATEGORY && collect_labels(c, e) < 0))
            return -1;
        c->date_only = n.count[PD_CELL_DATETIME] == 0;
        c->has_missing = n.count[PD_CELL_MISSING] + c->coerced > 0;
        column_spec(c, base, &specs[i]);
    }
    return 0;
}

int pd_dataset_import(const char *csv_path, const char *path,
                      const pd_import_opts *o, pd_import_report *r,
                      pd_err *e) {
    pd_csv t = {0};
    column *cols = NULL;
    pd_colspec *specs = NULL;
    char *recipe = NULL, *description = NULL;
    pd_buf said = {0}, kinds = {0};
    int rc = -1;
    const char *base = strrchr(csv_path, '/');
    base = base ? base + 1 : csv_path;
    memset(r, 0, sizeof *r);

    if (pd_check_name("dataset", o->name, e) < 0 ||
        pd_csv_read(csv_path, &t, e) < 0)
        goto cleanup;
    cols = pd_xcalloc(t.ncols, sizeof *cols);
    specs = pd_xcalloc(t.ncols, sizeof *specs);
    for (size_t i = 0; i < t.ncols; i++)
        cols[i] = (column){.t = &t, .index = i};
    name_columns(&t, cols, &said);
    if (plan_columns(&t, o->types, cols, specs, base, &said, e) < 0)
        goto cleanup;
    recipe = pd_strdup_printf("csv:%s", base);
    description = pd_strdup_printf("imported from %s", base);
    const char *attrs[] = {"source", o->source ? o->source : csv_path,
                           o->imported ? "imported" : NULL, o->imported, NULL};
    pd_table tb = {o->name, recipe, description, 0, t.nrows, "", specs,
                   t.ncols, attrs};
    csv_hash(t.text, t.len, o->types, tb.hash);
    if (pd_table_write(path, &tb, e) < 0)
        goto cleanup;
    for (size_t i = 0; i < t.ncols; i++)
        describe(&cols[i], &kinds);
    pd_buf_puts(&said, pd_buf_str(&kinds));
    r->said = said.s;
    said = (pd_buf){0};
    r->rows = t.nrows;
    r->columns = t.ncols;
    rc = 0;
cleanup:
    for (size_t i = 0; cols && i < t.ncols; i++) {
        free(cols[i].name);
        free(cols[i].labels);
        free(cols[i].slots);
        free(cols[i].meaning);
    }
    free(cols);
    free(specs);
    free(recipe);
    free(description);
    pd_buf_free(&said);
    pd_buf_free(&kinds);
    pd_csv_free(&t);
    return rc;
}

int pd_dataset_import_csv(const char *csv_path, const char *name,
                          const char *path, pd_err *e) {
    pd_import_opts o = {.name = name};
    pd_import_report r;
    int rc = pd_dataset_import(csv_path, path, &o, &r, e);
    pd_import_report_free(&r);
    return rc;
}

void pd_import_report_free(pd_import_report *r) {
    free(r->said);
    r->said = NULL;
}

/* The CSV's own bytes and the types asked for stand in for a recipe. */
static void csv_hash(const char *text, size_t len, const char *types,
                         char out[17]) {
    uint32_t versions[2] = {PD_DATASET_FORMAT_VERSION, PD_GENERATOR_VERSION};
    uint64_t h = pd_fnv1a(PD_FNV_OFFSET, "pdlab csv", 9);
    h = pd_fnv1a(h, versions, sizeof versions);
    h = pd_fnv1a(h, text, len);
    if (types)
        h = pd_fnv1a(h, types, strlen(types));
    snprintf(out, 17, "%016" PRIx64, h);
}
