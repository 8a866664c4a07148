/* Exercises: what a lesson asks of a learner and the lesson `pdlab check`
 * runs (include/pdlab/exercise.h). The starter file is written in a worker
 * (bench/starter.c); grading a check's result is bench/exercise_grade.c.
 *
 * The learner's file is untrusted: this part reads its LESSON line as text
 * and otherwise only passes its path on, to a worker. */

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/exercise.h"
#include "pdlab/fileio.h"
#include "pdlab/format.h"

extern const char pd_check_lesson_source[]; /* lessons/_check_lesson.py */

/* ---- what a lesson asks ------------------------------------------------- */

/* The lesson's first claim that one answer beats another: the exercise. */
static const pd_claim *target_claim(const pd_lesson *l)
{
    for (size_t i = 0; i < l->nclaims; i++)
        if (l->claims[i].kind == PD_CLAIM_FASTER || l->claims[i].kind == PD_CLAIM_LESS_MEMORY)
            return &l->claims[i];
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Without sizes given: the target's size and the lesson's size below it,
 * two sizes for a growth exponent, none of the larger ones the learner
 * would only wait for. */
static void default_sizes(const pd_lesson *l, pd_exercise *x)
{
    for (size_t i = 0; i < l->nsizes; i++) {
        if (l->sizes[i] > x->target_n) continue;
        if (x->nsizes == 2) x->sizes[0] = x->sizes[1], x->nsizes = 1;
        x->sizes[x->nsizes++] = l->sizes[i];
    }
}

/* Given sizes: the target moves to the largest one the slow answer runs at
 * when its own size is not among them. */
static int given_sizes(const uint64_t *sizes, size_t n, uint64_t slow_max, pd_exercise *x,
                       pd_err *e)
{
    int has_target = 0;
    uint64_t best = 0;
    if (n > sizeof x->sizes / sizeof x->sizes[0])
        return pd_error(e, "a check runs at up to %zu sizes, not %zu",
                        sizeof x->sizes / sizeof x->sizes[0], n);
    memcpy(x->sizes, sizes, n * sizeof *sizes);
    x->nsizes = n;
    qsort(x->sizes, n, sizeof *x->sizes, cmp_u64);
    for (size_t i = 0; i < n; i++) {
        has_target |= x->sizes[i] == x->target_n;
        if (slow_max == 0 || x->sizes[i] <= slow_max) best = x->sizes[i];
    }
    if (best == 0)
        return pd_error(e, "the slow answer %s runs only up to %llu rows: give a size at or "
                        "under it", x->slow, (unsigned long long)slow_max);
    if (!has_target) x->target_n = best;
    return 0;
}

int pd_exercise_from_lesson(const pd_lesson *l, double by, const uint64_t *sizes,
                            size_t nsizes, pd_exercise *x, pd_err *e)
{
    const pd_claim *c = target_claim(l);
    int slow;
    memset(x, 0, sizeof *x);
    if (c == NULL)
        return pd_error(e, "lesson '%s' claims no speedup or memory saving of one answer "
                        "over another, so it has no target to check an answer against",
                        l->id);
    x->lesson = l;
    x->model = c->variant;
    x->slow = c->other;
    x->reference = pd_lesson_reference(l, l->variants[pd_lesson_variant_index(l, c->variant)].part);
    x->memory = c->kind == PD_CLAIM_LESS_MEMORY;
    x->target_n = c->n;
    x->target_by = by > 0 ? by : c->factor;
    slow = pd_lesson_variant_index(l, x->slow);
    if (nsizes == 0) default_sizes(l, x);
    else if (given_sizes(sizes, nsizes, l->variants[slow].max_n, x, e) < 0) return -1;
    x->sizes_trimmed = x->nsizes < l->nsizes;
    return 0;
}

const char *pd_exercise_target_text(const pd_exercise *x, char *buf, size_t size)
{
    char by[32], n[32];
    snprintf(buf, size, "at least %s %s than %s at %s rows",
             pd_fmt_ratio(x->target_by, by, sizeof by),
             x->memory ? "less peak memory" : "faster", x->slow,
             pd_fmt_count(x->target_n, n, sizeof n));
    return buf;
}

/* ---- the learner's file, as text ---------------------------------------- */

/* `LESSON = "name"` at the start of a line; the name into out. */
static int lesson_line(const char *line, char *out, size_t size)
{
    const char *p = line + strlen("LESSON");
    size_t n = 0;
    char quote;
    if (strncmp(line, "LESSON", 6) != 0) return -1;
    while (*p == ' ') p++;
    if (*p++ != '=') return -1;
    while (*p == ' ') p++;
    if (*p != '"' && *p != '\'') return -1;
    quote = *p++;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < size) n++;
    if (n == 0 || p[n] != quote) return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

char *pd_exercise_lesson_of(const char *learner_path, pd_err *e)
{
    size_t len;
    char *text = pd_read_file(learner_path, &len, e), *line, *save = NULL, name[128];
    int found = -1;
    if (text == NULL) return NULL;
    for (line = strtok_r(text, "\n", &save); line && found < 0; line = strtok_r(NULL, "\n", &save))
        found = lesson_line(line, name, sizeof name);
    free(text);
    if (found < 0) {
        pd_error(e, "%s has no line LESSON = \"name\" saying which lesson it answers; "
                 "`pdlab exercise LESSON` writes a starter file that has one", learner_path);
        return NULL;
    }
    return pd_strdup(name);
}

/* ---- the lesson a check runs -------------------------------------------- */

static json_t *check_settings(const pd_exercise *x, const char *learner_path)
{
    const pd_lesson *l = x->lesson;
    const pd_variant_info *model = &l->variants[pd_lesson_variant_index(l, x->model)];
    json_t *sizes = json_array();
    for (size_t i = 0; i < x->nsizes; i++) json_array_append_new(sizes, json_integer((json_int_t)x->sizes[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:[s,s,s], s:o, s:b, s:s, s:I, s:f, s:s, s:s, s:b}",
                     "lesson_id", l->id, "lesson_path", l->path, "learner_path", learner_path,
                     "function", PD_EXERCISE_FUNCTION, "keep", x->reference, x->slow, x->model,
                     "sizes", sizes, "memory", x->memory, "slow", x->slow,
                     "target_n", (json_int_t)x->target_n, "target_by", x->target_by,
                     "kind", model->kind, "part", model->part, "mutates", model->mutates);
}

int pd_exercise_write_check_lesson(const pd_exercise *x, const char *learner_path,
                                   const char *dir, char **out, pd_err *e)
{
    char *learner = realpath(learner_path, NULL), *settings_path = NULL, *text = NULL;
    json_t *settings = NULL;
    int rc = -1;

    *out = NULL;
    if (learner == NULL) return pd_error_errno(e, "cannot open %s", learner_path);
    if (pd_mkdir_p(dir, e) < 0) goto cleanup;
    settings = check_settings(x, learner);
    text = json_dumps(settings, JSON_INDENT(2));
    settings_path = pd_strdup_printf("%s/check.json", dir);
    if (text == NULL || pd_write_file_atomic(settings_path, text, strlen(text), e) < 0)
        goto cleanup;
    *out = pd_strdup_printf("%s/%s.py", dir, x->lesson->id);
    if (pd_write_file_atomic(*out, pd_check_lesson_source, strlen(pd_check_lesson_source), e) < 0) {
        free(*out);
        *out = NULL;
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(settings);
    free(text);
    free(settings_path);
    free(learner);
    return rc;
}
