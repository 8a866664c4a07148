/* HDF5 dataset to CSV, for lessons about reading files.
 *
 * The CSV is streamed to a temporary file beside the target and renamed into
 * place: a lesson never reads half a file. Columns are read a block of rows
 * at a time, all of them, then the block's lines are written: memory stays
 * bounded however many rows there are, text columns included. */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset_int.h"
#include "pdlab/alloc.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"
#include "pdlab/signals.h"

#define BLOCK_ROWS PD_TEXT_BLOCK /* rows read from each column at a time */

typedef struct column {
    const char *name;   /* borrowed from the group's column list */
    char *object;       /* "/group/name", for messages */
    hid_t ds;
    int is_float;
    int is_bool;        /* int8 0/1, -1 missing: True, False, empty */
    int is_time;        /* int64 ns since 1970, PD_NAT missing: ISO text */
    int date_only;      /* is_time, format "date": YYYY-MM-DD */
    double *f;          /* is_float: the block's values */
    long long *i;       /* otherwise: integers or category codes */
    pd_h5_text *text;   /* text columns: the block's strings */
    char **labels;      /* categorical: label table, NULL-terminated */
    size_t nlabels;
} column;

/* Opens column `name` of group into *c (owned by c, see free_column), with
 * room for a block of values. */
static int open_column(hid_t group, const char *path, const char *gpath, const char *name,
                       column *c, pd_err *e)
{
    hid_t type = H5I_INVALID_HID;
    H5T_class_t cls = H5T_NO_CLASS;
    int cat;

    c->name = name;
    c->object = pd_strdup_printf("%s/%s", gpath, name);
    if ((c->ds = H5Dopen2(group, name, H5P_DEFAULT)) < 0)
        return pd_h5_read_error(e, path, c->object, "opening");
    if ((type = H5Dget_type(c->ds)) >= 0) cls = H5Tget_class(type);
    pd_h5_close(type);
    if (cls == H5T_NO_CLASS) return pd_h5_read_error(e, path, c->object, "reading the type of");
    if (cls == H5T_STRING)
        return (c->text = pd_h5_text_open(c->ds, path, c->object, e)) ? 0 : -1;
    char kind[32];
    if (pd_h5_kind(c->ds, path, c->object, kind, sizeof kind, e) < 0) return -1;
    cat = strcmp(kind, "categorical") == 0;
    if (cat && !(c->labels = pd_h5_attr_strings(c->ds, "labels", path, c->object, &c->nlabels, e)))
        return -1;
    c->is_bool = strcmp(kind, "bool") == 0 || strcmp(kind, "boolean") == 0;
    c->is_time = strcmp(kind, "datetime64[ns]") == 0;
    if (c->is_time && H5Aexists(c->ds, "format") > 0) {
        char *format = pd_h5_attr_string(c->ds, "format", path, c->object, e);
        if (!format) return -1;
        c->date_only = strcmp(format, "date") == 0;
        free(format);
    }
    c->is_float = !cat && cls == H5T_FLOAT;
    if (c->is_float)
        c->f = pd_xcalloc(BLOCK_ROWS, sizeof *c->f);
    else
        c->i = pd_xcalloc(BLOCK_ROWS, sizeof *c->i);
    return 0;
}

static void free_column(column *c)
{
    pd_h5_text_close(c->text); /* before the dataset it reads */
    pd_h5_close(c->ds);
    free(c->object);
    free(c->f);
    free(c->i);
    free(c->labels);
}

/* Reads rows [start, start + n) of c into its block, in the types the CSV
 * prints: double, long long, or strings. */
static int read_block(column *c, const char *path, uint64_t start, size_t n, pd_err *e)
{
    if (c->text) return pd_h5_text_read(c->text, start, n, e);
    if (c->is_float)
        return pd_h5_read_rows(c->ds, H5T_NATIVE_DOUBLE, H5P_DEFAULT, start, n, c->f, path, c->object, e);
    return pd_h5_read_rows(c->ds, H5T_NATIVE_LLONG, H5P_DEFAULT, start, n, c->i, path, c->object, e);
}

/* A field as RFC 4180 wants it: in quotes, with each quote doubled, when it
 * holds a comma, a quote or a line break; as it is otherwise. */
static void write_field(FILE *out, const char *s)
{
    if (s[strcspn(s, ",\"\r\n")] == '\0') {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Row i of c's block: floats in the fewest digits that read back the same,
 * times in ISO 8601. NaN, NaT, a missing label or bool and a null string
 * are empty. */
static void write_cell(FILE *out, const column *c, size_t i)
{
    if (c->text) {
        if (c->text->v[i]) write_field(out, c->text->v[i]);
    } else if (c->is_float) {
        char num[32];
        if (isnan(c->f[i])) return;
        pd_format_double(c->f[i], num, sizeof num);
        fputs(num, out);
    } else if (c->is_bool) {
        if (c->i[i] >= 0) fputs(c->i[i] ? "True" : "False", out);
    } else if (c->is_time) {
        char when[48];
        if (c->i[i] == PD_NAT) return;
        pd_format_datetime(c->i[i], c->date_only, when, sizeof when);
        fputs(when, out);
    } else if (c->labels) {
        long long code = c->i[i];
        if (code >= 0 && (size_t)code < c->nlabels) write_field(out, c->labels[code]);
    } else {
        fprintf(out, "%lld", c->i[i]);
    }
}

/* Writes the header and the rows. A read error, or a write error (a full
 * disk), stops it at the block where it happened: -1 with *e set. */
static int write_csv(FILE *out, column *cols, size_t ncols, uint64_t rows, const char *h5_path,
                     const char *csv_path, pd_err *e)
{
    for (size_t j = 0; j < ncols; j++) {
        if (j) fputc(',', out);
        write_field(out, cols[j].name);
    }
    fputc('\n', out);
    for (uint64_t start = 0; start < rows; start += BLOCK_ROWS) {
        size_t n = rows - start < BLOCK_ROWS ? (size_t)(rows - start) : BLOCK_ROWS;
        for (size_t j = 0; j < ncols; j++)
            if (read_block(&cols[j], h5_path, start, n, e) < 0) return -1;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < ncols; j++) {
                if (j) fputc(',', out);
                write_cell(out, &cols[j], i);
            }
            fputc('\n', out);
        }
        if (ferror(out)) return pd_error_errno(e, "cannot write CSV file '%s'", csv_path);
        if (pd_stop_signal()) {
            char *doing = pd_strdup_printf("writing the CSV file %s", csv_path);
            pd_stop_error(e, doing);
            free(doing);
            return -1;
        }
    }
    return 0;
}

/* Rows of the group: the length of its first column. */
static int64_t group_rows(hid_t group, const char *path, const char *first, pd_err *e)
{
    hid_t ds = H5Dopen2(group, first, H5P_DEFAULT), space = H5I_INVALID_HID;
    hsize_t dims[1] = {0};
    int64_t rows = -1;
    if (ds < 0) return pd_h5_read_error(e, path, first, "open");
    space = H5Dget_space(ds);
    if (space >= 0 && H5Sget_simple_extent_ndims(space) == 1 &&
        H5Sget_simple_extent_dims(space, dims, NULL) == 1)
        rows = (int64_t)dims[0];
    else
        pd_h5_read_error(e, path, first, "read the shape of");
    pd_h5_close(space);
    pd_h5_close(ds);
    return rows;
}

/* An open dataset group and its columns, ready to be written out. */
typedef struct table {
    hid_t file, group;
    char gpath[256], **names;
    column *cols;
    size_t ncols;
    int64_t rows;
} table;

static void close_table(table *t)
{
    for (size_t j = 0; t->cols && j < t->ncols; j++) free_column(&t->cols[j]);
    free(t->cols);
    free(t->names);
    pd_h5_close(t->group);
    pd_h5_close(t->file);
}

static int open_table(const char *h5_path, table *t, pd_err *e)
{
    memset(t, 0, sizeof *t);
    t->file = t->group = H5I_INVALID_HID;
    pd_h5_quiet();
    if ((t->file = pd_h5_open_read(h5_path, e)) < 0) return -1;
    if ((t->group = pd_h5_open_group(t->file, h5_path, NULL, t->gpath, sizeof t->gpath, e)) < 0)
        return -1;
    if (!(t->names = pd_h5_columns(t->group, h5_path, t->gpath, &t->ncols, e))) return -1;
    if (t->ncols == 0) return pd_error(e, "dataset file '%s' has no columns", h5_path);
    if ((t->rows = group_rows(t->group, h5_path, t->names[0], e)) < 0) return -1;
    t->cols = pd_xcalloc(t->ncols, sizeof *t->cols);
    for (size_t j = 0; j < t->ncols; j++) t->cols[j].ds = H5I_INVALID_HID;
    for (size_t j = 0; j < t->ncols; j++)
        if (open_column(t->group, h5_path, t->gpath, t->names[j], &t->cols[j], e) < 0) return -1;
    return 0;
}

int pd_dataset_head(const char *h5_path, FILE *out, uint64_t limit, pd_err *e)
{
    table t;
    int rc = open_table(h5_path, &t, e);
    if (rc == 0)
        rc = write_csv(out, t.cols, t.ncols, (uint64_t)t.rows < limit ? (uint64_t)t.rows : limit,
                       h5_path, "standard output", e);
    close_table(&t);
    return rc;
}

int pd_dataset_export_csv(const char *h5_path, const char *csv_path, pd_err *e)
{
    table t;
    char *tmp = NULL;
    FILE *out = NULL;
    int rc = -1;

    if (open_table(h5_path, &t, e) < 0) goto cleanup;
    tmp = pd_strdup_printf("%s.tmp.%ld", csv_path, (long)getpid());
    if ((out = fopen(tmp, "w")) == NULL) {
        pd_error_errno(e, "cannot write CSV file '%s'", tmp);
        goto cleanup;
    }
    if (write_csv(out, t.cols, t.ncols, (uint64_t)t.rows, h5_path, csv_path, e) < 0) goto cleanup;
    if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
        pd_error_errno(e, "cannot write CSV file '%s'", csv_path);
        goto cleanup;
    }
    if (fclose(out) != 0) {
        out = NULL;
        pd_error_errno(e, "cannot write CSV file '%s'", csv_path);
        goto cleanup;
    }
    out = NULL;
    if (rename(tmp, csv_path) != 0) {
        pd_error_errno(e, "cannot move the CSV into place at '%s'", csv_path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (out) fclose(out);
    if (rc < 0 && tmp) unlink(tmp);
    free(tmp);
    close_table(&t);
    return rc;
}

/* The CSV path beside a dataset file: a.h5 becomes a.csv. */
static char *csv_beside(const char *h5_path)
{
    size_t len = strlen(h5_path);
    if (len > 3 && strcmp(h5_path + len - 3, ".h5") == 0)
        return pd_strdup_printf("%.*s.csv", (int)(len - 3), h5_path);
    return pd_strdup_printf("%s.csv", h5_path);
}

static int same_mtime(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int pd_dataset_csv_beside(const char *h5_path, char **csv_path, pd_err *e)
{
    struct stat h5, csv;
    struct timespec times[2];

    *csv_path = csv_beside(h5_path);
    if (stat(h5_path, &h5) != 0) {
        pd_error_errno(e, "cannot read dataset '%s'", h5_path);
        goto fail;
    }
    if (stat(*csv_path, &csv) == 0 && S_ISREG(csv.st_mode) && same_mtime(&csv, &h5))
        return 0;
    if (pd_dataset_export_csv(h5_path, *csv_path, e) < 0) goto fail;
    times[0] = h5.st_atim;
    times[1] = h5.st_mtim;
    if (utimensat(AT_FDCWD, *csv_path, times, 0) != 0) {
        pd_error_errno(e, "cannot date the CSV file '%s' as its dataset", *csv_path);
        goto fail;
    }
    return 0;
fail:
    free(*csv_path);
    *csv_path = NULL;
    return -1;
}
