/* `pdlab dataset info`: what a file holds, for a person. Per column its
 * dtype as pandas will see it and as stored, what it takes on disk and in
 * memory, its meaning, and its labels or example strings.
 *
 * Files other tools wrote are described as far as they carry pdlab's
 * attributes; a missing one is an error naming it. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "pdlab/dataset.h"
#include "pdlab/format.h"
#include "dataset_int.h"

#define EXAMPLES 3      /* example strings shown for a text column */
#define LABELS_SHOWN 8  /* labels shown for a categorical column: the count
                           says how many more there are */
#define SAMPLE_ROWS 5   /* rows shown as a sample of the whole table */
#define EXAMPLE_WIDTH 44 /* characters of one, "…" included when cut */

/* HDF5 keeps each variable-length string as a global heap object: a 16-byte
 * header, then the characters (no NUL) padded to a multiple of 8. That is
 * where most of a text column's bytes are, outside the chunks that
 * H5Dget_storage_size counts. */
#define HEAP_OBJECT_BYTES(len) (16 + ((len) + 7) / 8 * 8)

/* What info says about a text column, from one pass over it. */
typedef struct text_summary {
    int variable;           /* variable-length strings (pdlab's), not fixed */
    double bytes;           /* UTF-8 bytes of all the strings */
    double heap;            /* variable length: bytes in HDF5's global heap */
    char *examples[EXAMPLES]; /* the first non-null rows, shortened */
    size_t nexamples;
} text_summary;

/* What info says about one column. */
typedef struct column_info {
    char object[1024];      /* "/group/name" */
    char dtype[32];         /* as NumPy spells it: "float64", "string" */
    int is_text, categorical;
    char kind[32];          /* its "kind" attribute, "" when none */
    hssize_t rows;
    char *meaning;
    char **labels;          /* categorical: the label table */
    size_t nlabels;
    double stored;          /* bytes in the file, global heap included */
    double raw;             /* bytes of the values in memory, before pandas
                               wraps them; variable-length text: the
                               characters */
    text_summary text;
} column_info;

/* "float64", "int8", "uint16", ... as NumPy spells them; "string". */
static void dtype_name(hid_t type, char *buf, size_t size) {
    size_t bits = 8 * H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_FLOAT:
        snprintf(buf, size, "float%zu", bits);
        break;
    case H5T_INTEGER:
        snprintf(buf, size, "%sint%zu",
                 H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", bits);
        break;
    case H5T_STRING:
        snprintf(buf, size, "string");
        break;
    default:
        snprintf(buf, size, "other");
        break;
    }
}

static void summary_add(text_summary *s, const char *v, int variable) {
    size_t len = v ? strlen(v) : 0;
    s->bytes += (double)len;
    if (variable && v) /* a null string has no heap object */
        s->heap += HEAP_OBJECT_BYTES(len);
    if (v && s->nexamples < EXAMPLES) {
        char *shown = pd_shorten(v, EXAMPLE_WIDTH);
        for (char *p = shown; *p; p++) /* one line per column */
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        s->examples[s->nexamples++] = shown;
    }
}

static int summarize_text(hid_t dset, uint64_t rows, const char *path,
                          const char *object, text_summary *s, pd_err *e) {
    pd_h5_text *t = pd_h5_text_open(dset, path, object, e);
    int rc = -1;
    if (!t)
        goto cleanup;
    s->variable = t->width == 0;
    for (uint64_t start = 0; start < rows; start += PD_TEXT_BLOCK) {
        size_t n = rows - start < PD_TEXT_BLOCK ? (size_t)(rows - start)
                                                : PD_TEXT_BLOCK;
        if (pd_h5_text_read(t, start, n, e) < 0)
            goto cleanup;
        for (size_t i = 0; i < n; i++)
            summary_add(s, t->v[i], s->variable);
    }
    rc = 0;
cleanup:
    pd_h5_text_close(t);
    return rc;
}

/* Reads what info_column prints about column `name` into ci (ci->object
 * set). Returns 0, or -1 with *e set; ci is the caller's to free either
 * way. */
static int read_column_info(hid_t group, const char *path, const char *name,
                            column_info *ci, pd_err *e) {
    hid_t dset = H5Dopen2(group, name, H5P_DEFAULT);
    hid_t type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    int rc = -1;
    if (dset < 0 || (type = H5Dget_type(dset)) < 0 ||
        (space = H5Dget_space(dset)) < 0) {
        pd_h5_read_error(e, path, ci->object, "opening");
        goto cleanup;
    }
    if ((ci->rows = H5Sget_simple_extent_npoints(space)) < 0) {
        pd_h5_read_error(e, path, ci->object, "reading the shape of");
        goto cleanup;
    }
    ci->is_text = H5Tget_class(type) == H5T_STRING;
    dtype_name(type, ci->dtype, sizeof ci->dtype);
    if (pd_h5_kind(dset, path, ci->object, ci->kind, sizeof ci->kind, e) < 0)
        goto cleanup;
    ci->categorical = strcmp(ci->kind, "categorical") == 0;
    if (!(ci->meaning =
              pd_h5_attr_string(dset, "meaning", path, ci->object, e)) ||
        (ci->categorical &&
         !(ci->labels = pd_h5_attr_strings(dset, "labels", path, ci->object,
                                           &ci->nlabels, e))) ||
        (ci->is_text && summarize_text(dset, (uint64_t)ci->rows, path,
                                       ci->object, &ci->text, e) < 0))
        goto cleanup;
    ci->raw = ci->text.variable ? ci->text.bytes
                                : (double)ci->rows * (double)H5Tget_size(type);
    ci->stored = (double)H5Dget_storage_size(dset) + ci->text.heap;
    rc = 0;
cleanup:
    pd_h5_close(space);
    pd_h5_close(type);
    pd_h5_close(dset);
    return rc;
}

static void print_column(const column_info *ci, const char *name, int width,
                         FILE *out) {
    char kind[64], stored[32], raw[32], ratio[32];
    snprintf(kind, sizeof kind, "%s%s",
             ci->categorical                          ? "category/"
             : strcmp(ci->kind, "bool") == 0           ? "bool/"
             : strcmp(ci->kind, "boolean") == 0        ? "boolean/"
             : strcmp(ci->kind, "datetime64[ns]") == 0 ? "datetime64[ns]/"
             : ci->is_text                            ? "object/"
                                                      : "",
             ci->dtype);
    fprintf(out, "  %-*s  %-20s %10s %10s %7s  %s\n", width, name, kind,
            pd_fmt_bytes(ci->stored, stored, sizeof stored),
            pd_fmt_bytes(ci->raw, raw, sizeof raw),
            pd_fmt_ratio(ci->stored > 0 ? ci->raw / ci->stored : 0, ratio,
                         sizeof ratio),
            ci->meaning);
    if (ci->categorical) {
        fprintf(out, "  %-*s  labels (%zu):", width, "", ci->nlabels);
        for (size_t i = 0; i < ci->nlabels && i < LABELS_SHOWN; i++) {
            char *label = pd_shorten(ci->labels[i], EXAMPLE_WIDTH);
            fprintf(out, "%s %s", i ? "," : "", label);
            free(label);
        }
        fputs(ci->nlabels > LABELS_SHOWN ? ", ...\n" : "\n", out);
    }
    if (ci->is_text) {
        fprintf(out, "  %-*s  text, %.1f bytes a row on average, e.g.", width,
                "", ci->rows > 0 ? ci->text.bytes / (double)ci->rows : 0.0);
        for (size_t i = 0; i < ci->text.nexamples; i++)
            fprintf(out, "%s \"%s\"", i ? "," : "", ci->text.examples[i]);
        fputc('\n', out);
    }
}

static int info_column(hid_t group, const char *path, const char *group_path,
                       const char *name, int width, FILE *out, pd_err *e) {
    column_info ci = {0};
    snprintf(ci.object, sizeof ci.object, "%s/%s", group_path, name);
    int rc = read_column_info(group, path, name, &ci, e);
    if (rc == 0)
        print_column(&ci, name, width, out);
    free(ci.meaning);
    free(ci.labels);
    for (size_t i = 0; i < ci.text.nexamples; i++)
        free(ci.text.examples[i]);
    return rc;
}

/* Where an imported dataset came from, when the group says. */
static void print_origin(hid_t group, const char *path, const char *gpath,
                         FILE *out) {
    static const char *const said[][2] = {{"source", "source     "},
                                          {"imported", "imported   "}};
    for (size_t i = 0; i < 2; i++) {
        pd_err ignored = {0};
        char *v = H5Aexists(group, said[i][0]) > 0
                      ? pd_h5_attr_string(group, said[i][0], path, gpath,
                                          &ignored)
                      : NULL;
        if (v)
            fprintf(out, "%s  %s\n", said[i][1], v);
        free(v);
    }
}

static int info_group(hid_t file, const char *path, const char *name,
                      FILE *out, pd_err *e) {
    hid_t group = H5I_INVALID_HID;
    char group_path[512];
    char *recipe = NULL, *description = NULL, *hash = NULL, **columns = NULL;
    uint64_t rows = 0, seed = 0, version = 0;
    size_t ncols = 0;
    int rc = -1;
    group = pd_h5_open_group(file, path, name, group_path, sizeof group_path,
                             e);
    if (group < 0 ||
        pd_h5_attr_u64(group, "pdlab_version", path, group_path, &version,
                       e) < 0 ||
        !(recipe = pd_h5_attr_string(group, "recipe", path, group_path, e)) ||
        !(description = pd_h5_attr_string(group, "description", path,
                                          group_path, e)) ||
        pd_h5_attr_u64(group, "rows", path, group_path, &rows, e) < 0 ||
        pd_h5_attr_u64(group, "seed", path, group_path, &seed, e) < 0 ||
        !(hash = pd_h5_attr_string(group, "recipe_hash", path, group_path,
                                   e)) ||
        !(columns = pd_h5_columns(group, path, group_path, &ncols, e)))
        goto cleanup;
    fprintf(out,
            "group        %s\n"
            "description  %s\n"
            "recipe       %s\n"
            "rows         %" PRIu64 "\n"
            "seed         %" PRIu64 "\n"
            "recipe hash  %s\n"
            "format       %" PRIu64 "\n"
            "columns      %zu\n",
            group_path, description, recipe, rows, seed, hash, version, ncols);
    print_origin(group, path, group_path, out);
    int width = 6;
    for (size_t i = 0; i < ncols; i++)
        if ((int)strlen(columns[i]) > width)
            width = (int)strlen(columns[i]);
    fprintf(out, "  %-*s  %-20s %10s %10s %7s  %s\n", width, "name", "dtype",
            "stored", "raw", "ratio", "meaning");
    for (size_t i = 0; i < ncols; i++)
        if (info_column(group, path, group_path, columns[i], width, out, e) < 0)
            goto cleanup;
    rc = 0;
cleanup:
    free(recipe);
    free(description);
    free(hash);
    free(columns);
    pd_h5_close(group);
    return rc;
}

int pd_dataset_info(const char *path, FILE *out, pd_err *e) {
    hid_t file = H5I_INVALID_HID;
    char **groups = NULL;
    size_t ngroups = 0;
    char size[32];
    struct stat st;
    int rc = -1;
    pd_h5_quiet();
    file = pd_h5_open_read(path, e);
    if (file < 0 || !(groups = pd_h5_children(file, H5O_TYPE_GROUP, path, "/",
                                              &ngroups, e)))
        goto cleanup;
    if (ngroups == 0) {
        pd_error(e, "dataset file '%s' holds no group; it was not written by "
                 "pdlab.", path);
        goto cleanup;
    }
    fprintf(out, "file         %s (%s)\n", path,
            stat(path, &st) == 0
                ? pd_fmt_bytes((double)st.st_size, size, sizeof size)
                : "?");
    for (size_t i = 0; i < ngroups; i++)
        if ((i && fputc('\n', out) == EOF) ||
            info_group(file, path, groups[i], out, e) < 0)
            goto cleanup;
    if (ngroups == 1) {
        fprintf(out, "the first rows (at most %d), as `pdlab dataset export` "
                "writes them:\n", SAMPLE_ROWS);
        if (pd_dataset_head(path, out, SAMPLE_ROWS, e) < 0)
            goto cleanup;
    }
    if (fflush(out) != 0 || ferror(out)) {
        pd_error_errno(e, "cannot print the description of '%s'", path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(groups);
    pd_h5_close(file);
    return rc;
}
