/* Courses: the course file, and the summary of a course check as a table
 * and CSV (include/pdlab/course.h). The HTML page is plots/course_html.c. */

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/course.h"
#include "pdlab/fileio.h"
#include "pdlab/format.h"
#include "pdlab/strbuf.h"

/* ---- the course file ---- */

static char *trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s)) s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
    return s;
}

/* A lesson id as a file name allows: letters, digits, '_'. */
static int valid_id(const char *s)
{
    if (*s == '\0') return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return 0;
    return 1;
}

static int set_key(pd_course *c, const char *key, const char *value)
{
    pd_course_lesson *l = c->nlessons ? &c->lessons[c->nlessons - 1] : NULL;
    char **slot = NULL;
    if (l == NULL && strcmp(key, "name") == 0) slot = &c->name;
    else if (l == NULL && strcmp(key, "timeout") == 0) slot = &c->timeout;
    else if (l && strcmp(key, "target") == 0) slot = &l->target;
    else if (l && strcmp(key, "sizes") == 0) slot = &l->sizes;
    if (slot == NULL || *slot) return -1;
    *slot = pd_strdup(value);
    return 0;
}

static int read_line(pd_course *c, char *line, const char *path, int no, pd_err *e)
{
    char *eq, *s = trim(line);
    if (*s == '\0' || *s == '#') return 0;
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (end == NULL || end[1] != '\0' || (*end = '\0', !valid_id(trim(s + 1))))
            return pd_error(e, "%s:%d: a lesson section is [lesson_id], not '%s'", path, no, s);
        c->lessons = realloc(c->lessons, (c->nlessons + 1) * sizeof *c->lessons);
        if (c->lessons == NULL) abort();
        c->lessons[c->nlessons++] = (pd_course_lesson){pd_strdup(trim(s + 1)), NULL, NULL};
        return 0;
    }
    if ((eq = strchr(s, '=')) == NULL)
        return pd_error(e, "%s:%d: expected `key = value` or [lesson], not '%s'", path, no, s);
    *eq = '\0';
    if (set_key(c, trim(s), trim(eq + 1)) < 0)
        return pd_error(e, "%s:%d: '%s' is not a key here, or is given twice (name and timeout "
                        "come before the first [lesson]; target and sizes inside one)",
                        path, no, trim(s));
    return 0;
}

int pd_course_read(const char *path, pd_course *c, pd_err *e)
{
    size_t len;
    char *text, *line, *next;
    int no = 1, rc = 0;
    memset(c, 0, sizeof *c);
    if ((text = pd_read_file(path, &len, e)) == NULL) return -1;
    for (line = text; line && rc == 0; line = next, no++) {
        if ((next = strchr(line, '\n')) != NULL) *next++ = '\0';
        rc = read_line(c, line, path, no, e);
    }
    free(text);
    if (rc == 0 && c->nlessons == 0)
        rc = pd_error(e, "%s names no lesson: add a [lesson_id] section per lesson", path);
    if (rc == 0 && c->name == NULL) c->name = pd_strdup(path);
    return rc;
}

void pd_course_free(pd_course *c)
{
    for (size_t i = 0; i < c->nlessons; i++) {
        free(c->lessons[i].id);
        free(c->lessons[i].target);
        free(c->lessons[i].sizes);
    }
    free(c->lessons);
    free(c->name);
    free(c->timeout);
    memset(c, 0, sizeof *c);
}

/* ---- the summary ---- */

void pd_course_summary_free(pd_course_summary *s)
{
    size_t n = s->nlearners * (s->course ? s->course->nlessons : 0);
    for (size_t i = 0; i < n; i++) {
        free(s->marks[i].grade);
        free(s->marks[i].why);
    }
    for (size_t i = 0; i < s->nlearners; i++) free(s->learners[i]);
    free(s->learners);
    free(s->marks);
    memset(s, 0, sizeof *s);
}

size_t pd_course_passed(const pd_course_summary *s, size_t learner)
{
    size_t n = 0;
    for (size_t j = 0; j < s->course->nlessons; j++)
        n += s->marks[learner * s->course->nlessons + j].passed;
    return n;
}

/* "412x" or "-". */
static const char *speedup(const pd_course_mark *m, char *buf, size_t size)
{
    return isfinite(m->vs_slow) ? pd_fmt_ratio(m->vs_slow, buf, size) : "-";
}

void pd_course_print_table(FILE *out, const pd_course_summary *s)
{
    const pd_course *c = s->course;
    fprintf(out, "%s\n\n%-16s %-18s %-12s %9s  %s\n", c->name, "learner", "lesson", "result",
            "speedup", "passed");
    for (size_t i = 0; i < s->nlearners; i++) {
        for (size_t j = 0; j < c->nlessons; j++) {
            const pd_course_mark *m = &s->marks[i * c->nlessons + j];
            char r[32];
            fprintf(out, "%-16s %-18s %-12s %9s  %s\n", j == 0 ? s->learners[i] : "",
                    c->lessons[j].id, m->grade, speedup(m, r, sizeof r), m->passed ? "yes" : "NO");
        }
        fprintf(out, "%-16s %zu of %zu passed\n\n", "", pd_course_passed(s, i), c->nlessons);
    }
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void csv_field(pd_buf *b, const char *s, const char *sep)
{
    if (s && strpbrk(s, ",\"\n")) {
        pd_buf_puts(b, "\"");
        for (; *s; s++) pd_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
        pd_buf_puts(b, "\"");
    } else if (s) {
        pd_buf_puts(b, s);
    }
    pd_buf_puts(b, sep);
}

int pd_course_write_csv(const pd_course_summary *s, const char *path, pd_err *e)
{
    pd_buf b = {0};
    int rc;
    pd_buf_puts(&b, "learner,lesson,result,speedup,passed,why\n");
    for (size_t i = 0; i < s->nlearners; i++)
        for (size_t j = 0; j < s->course->nlessons; j++) {
            const pd_course_mark *m = &s->marks[i * s->course->nlessons + j];
            char r[32] = "";
            if (isfinite(m->vs_slow)) snprintf(r, sizeof r, "%.4g", m->vs_slow);
            csv_field(&b, s->learners[i], ",");
            csv_field(&b, s->course->lessons[j].id, ",");
            csv_field(&b, m->grade, ",");
            csv_field(&b, r, ",");
            csv_field(&b, m->passed ? "yes" : "no", ",");
            csv_field(&b, m->why ? m->why : "", "\n");
        }
    rc = pd_write_file_atomic(path, pd_buf_str(&b), b.len, e);
    pd_buf_free(&b);
    return rc;
}
