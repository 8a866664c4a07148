/* pdlab dataset: list, make, info, import and export HDF5 datasets. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/signals.h"
#include "pdlab/dataset.h"

const pd_option pd_dataset_options[] = {
    {"rows", "N", "make: number of rows"},
    {"out", "FILE", "make, import: where to write (default: the dataset cache); export: the CSV"},
    {"name", "NAME", "import: the dataset's name"},
    {NULL, NULL, NULL},
};

/* ---- dataset ---- */

static int dataset_list(void)
{
    const pd_recipe *r;
    for (size_t i = 0; (r = pd_recipe_at(i)) != NULL; i++) {
        printf("%-10s %s\n", r->name, r->description);
        for (size_t c = 0; c < r->ncolumns; c++)
            printf("    %-8s %s\n", r->columns[c].name, r->columns[c].meaning);
    }
    return PD_EXIT_OK;
}

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

static int dataset_import(const pd_command *cmd, const cli_parsed *p)
{
    const char *name = cli_opt(cmd, p, "name"), *out = cli_opt(cmd, p, "out");
    char cache[4096], path[4096];
    pd_err e = {0};
    if (p->argc != 2) return cli_usage_error(cmd, "%s", "import wants a CSV file");
    if (name == NULL) return cli_usage_error(cmd, "%s", "import wants --name NAME for the dataset");
    if (out == NULL) {
        if (pd_cache_dir(cache, sizeof cache, &e) < 0 ||
            pd_dataset_path(cache, name, 0, path, sizeof path, &e) < 0)
            return cli_fail(&e);
        out = path;
    }
    if (pd_dataset_import_csv(p->argv[1], name, out, &e) < 0) return cli_fail(&e);
    printf("%s\n", out);
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
    pd_err e = {0};
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc == 0) return cli_usage_error(cmd, "%s", "say what to do: list, make, info or import");
    if (strcmp(p.argv[0], "list") == 0) return dataset_list();
    if (strcmp(p.argv[0], "make") == 0) return writing(dataset_make, cmd, &p);
    if (strcmp(p.argv[0], "import") == 0) return writing(dataset_import, cmd, &p);
    if (strcmp(p.argv[0], "export") == 0) {
        const char *out = cli_opt(cmd, &p, "out");
        if (p.argc != 2 || out == NULL)
            return cli_usage_error(cmd, "%s", "export wants a FILE and --out CSV");
        return pd_dataset_export_csv(p.argv[1], out, &e) < 0 ? cli_fail(&e) : PD_EXIT_OK;
    }
    if (strcmp(p.argv[0], "info") == 0) {
        if (p.argc != 2) return cli_usage_error(cmd, "%s", "info wants one FILE");
        return pd_dataset_info(p.argv[1], stdout, &e) < 0 ? cli_fail(&e) : PD_EXIT_OK;
    }
    return cli_usage_error(cmd, "unknown dataset action '%s' (list, make, info, import, export)",
                       p.argv[0]);
}
