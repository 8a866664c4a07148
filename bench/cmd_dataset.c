/* pdlab dataset: list, make, info, import and export HDF5 datasets. */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/signals.h"
#include "pdlab/dataset.h"

const pd_option pd_dataset_options[] = {
    {"rows", "N", "make: number of rows"},
    {"out", "FILE", "make, import: where to write (default: the dataset cache); export: the CSV"},
    {"name", "NAME", "import: the dataset's name: a letter, then letters, digits, '_' or '-'; "
                     "not a built-in's"},
    {"type", "COL=TYPE,...", "import: give columns a type instead of inferring it: int, float, "
                             "bool, datetime, category or str (e.g. zip=str,day=datetime); "
                             "cells that are not of the type become missing, and the import "
                             "says how many (int has no missing value: such a cell is an error)"},
    {"replace", NULL, "import: replace an imported dataset of the same name"},
    {NULL, NULL, NULL},
};

/* ---- list ---- */

static void list_imported(const char *cache)
{
    pd_imported *v = NULL;
    size_t n = 0;
    pd_err ignored = {0};
    if (pd_imported_list(cache, &v, &n, &ignored) < 0 || n == 0) {
        printf("\nimported: none yet (`pdlab dataset import FILE.csv --name NAME`)\n");
        free(v);
        return;
    }
    printf("\nimported (%s/imported):\n", cache);
    for (size_t i = 0; i < n; i++) {
        if (v[i].rows)
            printf("%-10s %llu rows from %s, imported %s\n", v[i].name,
                   (unsigned long long)v[i].rows, v[i].source ? v[i].source : "?",
                   v[i].imported ? v[i].imported : "?");
        else
            printf("%-10s cannot be read: %s\n", v[i].name, v[i].path);
        pd_imported_free(&v[i]);
    }
    free(v);
}

static int dataset_list(void)
{
    const pd_recipe *r;
    char cache[4096];
    pd_err e = {0};
    printf("built in:\n");
    for (size_t i = 0; (r = pd_recipe_at(i)) != NULL; i++) {
        printf("%-10s %s\n", r->name, r->description);
        for (size_t c = 0; c < r->ncolumns; c++)
            printf("    %-8s %s\n", r->columns[c].name, r->columns[c].meaning);
    }
    if (pd_cache_dir(cache, sizeof cache, &e) < 0) return cli_fail(&e);
    list_imported(cache);
    return PD_EXIT_OK;
}

/* ---- make ---- */

static int dataset_make(const pd_command *cmd, const cli_parsed *p)
{
    const pd_recipe *r;
    const char *rows = cli_opt(cmd, p, "rows"), *out = cli_opt(cmd, p, "out");
    char cache[4096], path[4096];
    uint64_t n;
    pd_err e = {0};

    if (p->argc != 2) return cli_usage_error(cmd, "%s", "make wants a NAME: `pdlab dataset make mixed --rows 100000`");
    if ((r = pd_recipe_find(p->argv[1])) == NULL)
        return cli_usage_error(cmd, "unknown dataset '%s' (`pdlab dataset list` shows them)", p->argv[1]);
    if (rows == NULL || cli_parse_u64(rows, &n) < 0)
        return cli_usage_error(cmd, "%s", "make wants --rows N, a positive row count");
    if (out == NULL) {
        if (pd_cache_dir(cache, sizeof cache, &e) < 0 ||
            pd_dataset_path(cache, r->name, n, path, sizeof path, &e) < 0)
            return cli_fail(&e);
        out = path;
    }
    if (pd_dataset_make(r, n, out, &e) < 0) return cli_fail(&e);
    printf("%s\n", out);
    return PD_EXIT_OK;
}

/* ---- import ---- */

/* An import of a name already taken needs --replace: say what is there. */
static int refuse_existing(const char *name, const char *path, pd_err *e)
{
    pd_imported was;
    pd_err ignored = {0};
    if (access(path, F_OK) != 0) return 0;
    pd_imported_read(path, &was, &ignored);
    pd_error(e, "dataset '%s' is already imported (from %s, %s). Add --replace to import it "
             "again, or choose another --name.", name, was.source ? was.source : "?",
             was.imported ? was.imported : "date unknown");
    pd_imported_free(&was);
    return -1;
}

static int dataset_import(const pd_command *cmd, const cli_parsed *p)
{
    const char *name = cli_opt(cmd, p, "name"), *out = cli_opt(cmd, p, "out");
    char cache[4096], path[4096], source[PATH_MAX], when[32];
    time_t now = time(NULL);
    struct tm tm;
    pd_import_report said = {0};
    pd_err e = {0};
    int rc;

    if (p->argc != 2) return cli_usage_error(cmd, "%s", "import wants a CSV file");
    if (name == NULL) return cli_usage_error(cmd, "%s", "import wants --name NAME for the dataset");
    if (pd_imported_name_check(name, &e) < 0) return cli_usage_error(cmd, "%s", e.msg);
    if (out == NULL) {
        if (pd_cache_dir(cache, sizeof cache, &e) < 0 ||
            pd_imported_path(cache, name, path, sizeof path, &e) < 0 ||
            (!cli_opt(cmd, p, "replace") && refuse_existing(name, path, &e) < 0))
            return cli_fail(&e);
        out = path;
    }
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pd_import_opts o = {name, cli_opt(cmd, p, "type"),
                        realpath(p->argv[1], source) ? source : p->argv[1], when};
    rc = pd_dataset_import(p->argv[1], out, &o, &said, &e);
    if (rc == 0)
        printf("imported '%s': %llu rows, %zu columns, into %s\n%s", name,
               (unsigned long long)said.rows, said.columns, out, said.said);
    pd_import_report_free(&said);
    return rc < 0 ? cli_fail(&e) : PD_EXIT_OK;
}

/* ---- info and export ---- */

/* The file a NAME or FILE argument means; a built-in recipe has one file
 * per size, so it needs the file. */
static int dataset_file(const char *arg, char *buf, size_t size, pd_err *e)
{
    char cache[4096];
    pd_dataset_ref ref;
    if (pd_cache_dir(cache, sizeof cache, e) < 0 || pd_dataset_find(cache, arg, &ref, e) < 0)
        return -1;
    if (ref.recipe)
        return pd_error(e, "'%s' is a built-in recipe, with one file per row count: name "
                        "the file (`pdlab dataset make %s --rows N` prints its path).", arg, arg);
    snprintf(buf, size, "%s", ref.path);
    return 0;
}

static int dataset_info(const pd_command *cmd, const cli_parsed *p)
{
    char path[4096];
    pd_err e = {0};
    if (p->argc != 2) return cli_usage_error(cmd, "%s", "info wants one NAME or FILE");
    if (dataset_file(p->argv[1], path, sizeof path, &e) < 0 ||
        pd_dataset_info(path, stdout, &e) < 0)
        return cli_fail(&e);
    return PD_EXIT_OK;
}

static int dataset_export(const pd_command *cmd, const cli_parsed *p)
{
    const char *out = cli_opt(cmd, p, "out");
    char path[4096];
    pd_err e = {0};
    if (p->argc != 2 || out == NULL)
        return cli_usage_error(cmd, "%s", "export wants a NAME or FILE and --out CSV");
    if (dataset_file(p->argv[1], path, sizeof path, &e) < 0 ||
        pd_dataset_export_csv(path, out, &e) < 0)
        return cli_fail(&e);
    return PD_EXIT_OK;
}

/* Writing a dataset can take minutes: a signal stops the writer, which
 * removes its temporary file, and once the error is reported the exit
 * status names the signal (128 + it), as for a run. */
static int writing(int (*action)(const pd_command *, const cli_parsed *),
                   const pd_command *cmd, const cli_parsed *p)
{
    int rc;
    pd_stop_signals_install();
    rc = action(cmd, p);
    return rc != PD_EXIT_OK && pd_stop_signal() ? 128 + pd_stop_signal() : rc;
}

int pd_cmd_dataset(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc == 0) return cli_usage_error(cmd, "%s", "say what to do: list, make, info, import or export");
    if (strcmp(p.argv[0], "list") == 0) return dataset_list();
    if (strcmp(p.argv[0], "make") == 0) return writing(dataset_make, cmd, &p);
    if (strcmp(p.argv[0], "import") == 0) return writing(dataset_import, cmd, &p);
    if (strcmp(p.argv[0], "export") == 0) return dataset_export(cmd, &p);
    if (strcmp(p.argv[0], "info") == 0) return dataset_info(cmd, &p);
    return cli_usage_error(cmd, "unknown dataset action '%s' (list, make, info, import, export)",
                           p.argv[0]);
}
