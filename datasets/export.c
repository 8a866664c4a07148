/* HDF5 dataset to CSV, for lessons about reading files.
 *
 * The CSV is streamed to a temporary file beside the target and renamed into
 * place: a lesson never reads half a file. Columns are read whole, one at a
 * time, in the types the file stores them in. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_int.h"
#include "pdlab/dataset.h"
#include "pdlab/fileio.h"

typedef struct column {
    const char *name;
    int is_float;
    double *f;          /* is_float: the values */
    long long *i;       /* otherwise: integers or category codes */
    char **labels;      /* categorical: label table, NULL-terminated */
    size_t nlabels;
} column;

/* Reads column `name` of group into *c (owned by c, see free_column). */
static int read_column(hid_t group, const char *path, const char *name, uint64_t rows,
                       column *c, pd_err *e)
{
    hid_t ds = H5Dopen2(group, name, H5P_DEFAULT), type = H5I_INVALID_HID;
    int rc = -1, cat;

    c->name = name;
    if (ds < 0) return pd_h5_read_error(e, path, name, "open");
    type = H5Dget_type(ds);
    cat = pd_h5_is_categorical(ds, path, name, e);
    if (type < 0 || cat < 0) goto cleanup;
    c->is_float = !cat && H5Tget_class(type) == H5T_FLOAT;
    if (c->is_float) {
        c->f = pd_xcalloc(rows ? rows : 1, sizeof *c->f);
        if (H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, c->f) < 0) {
            pd_h5_read_error(e, path, name, "read");
            goto cleanup;
        }
    } else {
        c->i = pd_xcalloc(rows ? rows : 1, sizeof *c->i);
        if (H5Dread(ds, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, c->i) < 0) {
            pd_h5_read_error(e, path, name, "read");
            goto cleanup;
        }
        if (cat && !(c->labels = pd_h5_attr_strings(ds, "labels", path, name, &c->nlabels, e)))
            goto cleanup;
    }
    rc = 0;
cleanup:
    pd_h5_close(type);
    pd_h5_close(ds);
    return rc;
}

static void free_column(column *c)
{
    free(c->f);
    free(c->i);
    free(c->labels);
}

static void write_cell(FILE *out, const column *c, uint64_t row)
{
    if (c->is_float) {
        if (!isnan(c->f[row])) fprintf(out, "%.17g", c->f[row]);
    } else if (c->labels) {
        long long code = c->i[row];
        if (code >= 0 && (size_t)code < c->nlabels) fputs(c->labels[code], out);
    } else {
        fprintf(out, "%lld", c->i[row]);
    }
}

static int write_csv(FILE *out, const column *cols, size_t ncols, uint64_t rows)
{
    for (size_t j = 0; j < ncols; j++) fprintf(out, "%s%s", j ? "," : "", cols[j].name);
    fputc('\n', out);
    for (uint64_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < ncols; j++) {
            if (j) fputc(',', out);
            write_cell(out, &cols[j], r);
        }
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
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

int pd_dataset_export_csv(const char *h5_path, const char *csv_path, pd_err *e)
{
    hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char gpath[256], **names = NULL, *tmp = NULL;
    column *cols = NULL;
    size_t ncols = 0;
    int64_t rows;
    FILE *out = NULL;
    int rc = -1;

    pd_h5_quiet();
    if ((file = pd_h5_open_read(h5_path, e)) < 0) goto cleanup;
    if ((group = pd_h5_open_group(file, h5_path, NULL, gpath, sizeof gpath, e)) < 0)
        goto cleanup;
    if (!(names = pd_h5_columns(group, h5_path, gpath, &ncols, e))) goto cleanup;
    if (ncols == 0 || (rows = group_rows(group, h5_path, names[0], e)) < 0) {
        if (ncols == 0) pd_error(e, "dataset file '%s' has no columns", h5_path);
        goto cleanup;
    }
    cols = pd_xcalloc(ncols, sizeof *cols);
    for (size_t j = 0; j < ncols; j++)
        if (read_column(group, h5_path, names[j], (uint64_t)rows, &cols[j], e) < 0)
            goto cleanup;

    tmp = pd_strdup_printf("%s.tmp.%ld", csv_path, (long)getpid());
    if ((out = fopen(tmp, "w")) == NULL) {
        pd_error_errno(e, "cannot write CSV file '%s'", tmp);
        goto cleanup;
    }
    if (write_csv(out, cols, ncols, (uint64_t)rows) < 0 || fflush(out) != 0 ||
        fsync(fileno(out)) != 0) {
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
    for (size_t j = 0; cols && j < ncols; j++) free_column(&cols[j]);
    free(cols);
    free(names);
    pd_h5_close(group);
    pd_h5_close(file);
    return rc;
}
