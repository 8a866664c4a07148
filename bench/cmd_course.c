/* pdlab course check COURSE DIR: every learner's submissions checked, each
 * by its own `pdlab check` process, so that nothing one learner's code does
 * (crash, hang, memory) reaches another's check; then the summary as a
 * table, CSV and HTML. */

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/course.h"
#include "pdlab/fileio.h"
#include "pdlab/spawn.h"
#include "pdlab/strbuf.h"

const pd_option pd_course_options[] = {
    {"out", "DIR", "where summary.csv and summary.html go (default DIR/_summary)"},
    {NULL, NULL, NULL},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The learners: DIR's folders, sorted; names starting with '.' or '_'
 * (the summary's own folder) are not learners. */
static int list_learners(const char *dir, char ***out, size_t *n, pd_err *e)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    *out = NULL;
    *n = 0;
    if (d == NULL) return pd_error_errno(e, "cannot read the submissions folder %s", dir);
    while ((ent = readdir(d)) != NULL) {
        char *path;
        struct stat st;
        if (ent->d_name[0] == '.' || ent->d_name[0] == '_') continue;
        path = pd_strdup_printf("%s/%s", dir, ent->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            *out = realloc(*out, (*n + 1) * sizeof **out);
            if (*out == NULL) abort();
            (*out)[(*n)++] = pd_strdup(ent->d_name);
        }
        free(path);
    }
    closedir(d);
    if (*n) qsort(*out, *n, sizeof **out, cmp_str);
    return *n ? 0 : pd_error(e, "%s holds no learner folders (DIR/LEARNER/LESSON.py)", dir);
}

/* Everything a child wrote on its stdout. */
static char *read_all(int fd)
{
    pd_buf b = {0};
    char chunk[4096];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0) pd_buf_add(&b, chunk, (size_t)got);
    pd_buf_puts(&b, "");
    return b.s;
}

/* The first line of text, newly allocated; NULL for NULL. */
static char *first_line(const char *s)
{
    char *line = s ? pd_strdup(s) : NULL;
    if (line) line[strcspn(line, "\n")] = '\0';
    return line;
}

/* The mark from `pdlab check --json`'s answer; "check failed" when there is
 * none to read (pdlab check itself failed). */
static void read_mark(const char *json, const char *log, pd_course_mark *m)
{
    json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
    const char *grade = json_string_value(json_object_get(doc, "grade"));
    json_t *vs = json_object_get(doc, "vs_slow");
    m->vs_slow = NAN;
    if (grade == NULL) {
        m->grade = pd_strdup("check failed");
        m->why = pd_strdup_printf("pdlab check gave no verdict; see %s", log);
    } else {
        m->grade = pd_strdup(grade);
        m->passed = strcmp(grade, "passed") == 0;
        json_t *t = json_object_get(json_object_get(doc, "target"), "figure");
        m->why = first_line(json_string_value(json_object_get(doc, "why")));
        if (json_is_number(t)) m->vs_slow = json_number_value(t);
        else if (json_is_number(vs)) m->vs_slow = json_number_value(vs);
    }
    json_decref(doc);
}

/* One submission checked in its own pdlab check process. */
static void check_one(const char *exe, const pd_course *c, const pd_course_lesson *l,
                      const char *file, const char *log, pd_course_mark *m)
{
    const char *argv[16];
    int n = 0, status;
    pd_child child = {0};
    pd_err e = {0};
    char *out = NULL;
    argv[n++] = "pdlab";
    argv[n++] = "check";
    argv[n++] = file;
    argv[n++] = "--json";
    if (l->target) argv[n++] = "--target", argv[n++] = l->target;
    if (l->sizes) argv[n++] = "--sizes", argv[n++] = l->sizes;
    if (c->timeout) argv[n++] = "--timeout", argv[n++] = c->timeout;
    argv[n] = NULL;
    child.path = exe;
    child.argv = argv;
    child.in = PD_IO_NULL;
    child.err = PD_IO_FILE;
    child.err_path = log;
    child.pipe_fd = 1;
    if (pd_child_start(&child, &e) == 0) {
        out = read_all(child.pipe);
        pd_child_wait(&child, &status, &e);
    }
    read_mark(out, log, m);
    free(out);
}

typedef struct course_ctx {
    const char *course_path, *dir, *out;
} course_ctx;

static int check_all(const course_ctx *k, const pd_course *c, pd_course_summary *s, pd_err *e)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len < 0) return pd_error_errno(e, "cannot find the pdlab binary");
    exe[len] = '\0';
    s->marks = pd_xcalloc(s->nlearners * c->nlessons, sizeof *s->marks);
    for (size_t i = 0; i < s->nlearners; i++)
        for (size_t j = 0; j < c->nlessons; j++) {
            pd_course_mark *m = &s->marks[i * c->nlessons + j];
            char *file = pd_strdup_printf("%s/%s/%s.py", k->dir, s->learners[i], c->lessons[j].id);
            char *log = pd_strdup_printf("%s/%s-%s.log", k->out, s->learners[i], c->lessons[j].id);
            fprintf(stderr, "checking %s: %s\n", s->learners[i], c->lessons[j].id);
            if (access(file, R_OK) != 0) {
                m->grade = pd_strdup("missing");
                m->why = pd_strdup_printf("no %s", file);
                m->vs_slow = NAN;
            } else {
                check_one(exe, c, &c->lessons[j], file, log, m);
            }
            free(file);
            free(log);
        }
    return 0;
}

static int course_check(const course_ctx *k)
{
    pd_course c;
    pd_course_summary s = {0};
    pd_err e = {0};
    char *csv = NULL, *html = NULL;
    int rc = PD_EXIT_FAILED;

    s.course = &c;
    if (pd_course_read(k->course_path, &c, &e) < 0 ||
        list_learners(k->dir, &s.learners, &s.nlearners, &e) < 0 || pd_mkdir_p(k->out, &e) < 0 ||
        check_all(k, &c, &s, &e) < 0)
        goto cleanup;
    csv = pd_strdup_printf("%s/summary.csv", k->out);
    html = pd_strdup_printf("%s/summary.html", k->out);
    if (pd_course_write_csv(&s, csv, &e) < 0 || pd_course_write_html(&s, html, &e) < 0)
        goto cleanup;
    pd_course_print_table(stdout, &s);
    printf("summary: %s, %s (logs of each check beside them)\n", csv, html);
    rc = PD_EXIT_OK;
    for (size_t i = 0; i < s.nlearners; i++)
        if (pd_course_passed(&s, i) < c.nlessons) rc = PD_EXIT_CLAIMS;
cleanup:
    if (rc == PD_EXIT_FAILED) cli_fail(&e);
    pd_course_summary_free(&s);
    pd_course_free(&c);
    free(csv);
    free(html);
    return rc;
}

int pd_cmd_course(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    course_ctx k = {0};
    char *out = NULL;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 3 || strcmp(p.argv[0], "check") != 0)
        return cli_usage_error(cmd, "%s", "pdlab course check COURSE DIR");
    k.course_path = p.argv[1];
    k.dir = p.argv[2];
    k.out = cli_opt(cmd, &p, "out");
    if (k.out == NULL) k.out = out = pd_strdup_printf("%s/_summary", k.dir);
    rc = course_check(&k);
    free(out);
    return rc;
}
