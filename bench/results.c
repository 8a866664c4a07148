/* results.json: a pd_run as a versioned JSON document, and the loader the
 * readers (show, plot, report, compare) share.
 *
 * Sections:
 *   values       numbers and strings that may be missing -> null
 *   building     run -> machine, lessons -> sizes -> variants, growth
 *   file         write atomically, load and check the schema, find a lesson
 *
 * Ownership: every builder returns a new reference and every container is
 * filled with json_object_set_new / json_array_append_new, which steal it,
 * so each value has exactly one owner: the document. Allocation failure
 * aborts, as pd_xcalloc does: a half-built document is worse than none.
 */

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/results.h"
#include "pdlab/stats.h"
#include "pdlab/strbuf.h"

/* Six significant digits: timings are not more precise than that, and the
 * file stays readable. */
#define PD_JSON_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(6))

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

static json_t *must(json_t *v)
{
    if (!v)
        abort();
    return v;
}

/* Steals v into obj[key]. */
static void put(json_t *obj, const char *key, json_t *v)
{
    if (json_object_set_new(obj, key, must(v)) != 0)
        abort();
}

/* Steals v onto the end of arr. */
static void push(json_t *arr, json_t *v)
{
    if (json_array_append_new(arr, must(v)) != 0)
        abort();
}

/* jansson cannot encode NaN or infinity; a number nobody measured is
 * null, never 0 (0 would be drawn as a measurement). */
static json_t *number_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* NULL is null. Text from a lesson or a crash log may not be valid UTF-8,
 * which json_string() refuses; such text is kept with its non-ASCII bytes
 * replaced by '?' rather than lost. */
static json_t *string_or_null(const char *s)
{
    json_t *j;
    char *copy;

    if (!s)
        return json_null();
    if ((j = json_string(s)) != NULL)
        return j;
    copy = pd_strdup(s);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    return j;
}

/* An empty fixed-size field ("" numexpr: not installed) is null. */
static json_t *field_or_null(const char *s)
{
    return string_or_null(s && *s ? s : NULL);
}

/* Warnings are stored "\n"-joined; the document has one string each. */
static json_t *lines_array(const char *text)
{
    json_t *arr = must(json_array());

    while (text && *text) {
        size_t n = strcspn(text, "\n");
        if (n > 0) {
            char *line = pd_xcalloc(n + 1, 1);
            memcpy(line, text, n);
            push(arr, string_or_null(line));
            free(line);
        }
        text += n;
        text += *text == '\n';
    }
    return arr;
}

/* ---------------------------------------------------------------------
 * Building
 * ------------------------------------------------------------------ */

static json_t *machine_json(const pd_machine *m)
{
    json_t *o = must(json_object());

    put(o, "cpu", field_or_null(m->cpu));
    put(o, "cores", m->cores > 0 ? json_integer(m->cores) : json_null());
    put(o, "os", field_or_null(m->os));
    put(o, "python", field_or_null(m->python));
    put(o, "numpy", field_or_null(m->numpy));
    put(o, "pandas", field_or_null(m->pandas));
    put(o, "numexpr", field_or_null(m->numexpr));
    put(o, "hdf5", field_or_null(m->hdf5));
    put(o, "governor", field_or_null(m->governor));
    put(o, "blas", field_or_null(m->blas));
    put(o, "blas_threads", field_or_null(m->blas_threads));
    return o;
}

static json_t *declaration_json(const pd_variant_info *d)
{
    json_t *o = must(json_object());

    put(o, "name", string_or_null(d->name));
    put(o, "kind", string_or_null(d->kind));
    put(o, "part", string_or_null(d->part));
    put(o, "doc", string_or_null(d->doc));
    /* 0 means "no limit" in C; null says so in the document. */
    put(o, "max_n", d->max_n ? json_integer((json_int_t)d->max_n)
                             : json_null());
    put(o, "mutates", json_boolean(d->mutates));
    put(o, "source", string_or_null(d->source));
    return o;
}

/* A byte count, or null when it was not measured (negative, or the
 * variant never ran). */
static json_t *bytes_or_null(const pd_variant_result *v, int64_t b)
{
    return v->status != PD_NOT_RUN && b >= 0 ? json_integer(b) : json_null();
}

/* pyperf-style warnings about the samples, in words. */
static json_t *instability_json(unsigned flags)
{
    json_t *a = must(json_array());
    for (unsigned f = 1; f & PD_UNSTABLE_ALL; f <<= 1)
        if (flags & f) push(a, json_string(pd_instability_word(f)));
    return a;
}

/* [{"name", "value", "hits", "trials", "lo", "hi"}]: hits, trials and the
 * interval are null for a statistic that is not a proportion. */
static json_t *statistics_json(const pd_variant_result *v)
{
    json_t *a = must(json_array());
    for (size_t i = 0; i < v->nstatistics; i++) {
        const pd_statistic *s = &v->statistics[i];
        json_t *o = must(json_object());
        put(o, "name", string_or_null(s->name));
        put(o, "value", number_or_null(s->value));
        put(o, "hits", s->trials ? json_integer((json_int_t)s->hits) : json_null());
        put(o, "trials", s->trials ? json_integer((json_int_t)s->trials) : json_null());
        put(o, "lo", number_or_null(s->lo));
        put(o, "hi", number_or_null(s->hi));
        push(a, o);
    }
    return a;
}

static json_t *numbers_json(const double *x, size_t n)
{
    json_t *a = must(json_array());
    for (size_t i = 0; i < n; i++)
        push(a, number_or_null(x[i]));
    return a;
}

/* [{"title", "x", "y", "logx", "logy", "series": [{"label", "x": [...],
 * "y": [...]}], "marks": [{"x", "y", "label"}]}] */
static json_t *curves_json(const pd_variant_result *v)
{
    json_t *a = must(json_array());
    for (size_t i = 0; i < v->ncurves; i++) {
        const pd_curve *c = &v->curves[i];
        json_t *o = must(json_object()), *series = must(json_array());
        json_t *marks = must(json_array());
        for (size_t k = 0; k < c->nseries; k++) {
            json_t *s = must(json_object());
            put(s, "label", string_or_null(c->series[k].label));
            put(s, "x", numbers_json(c->series[k].x, c->series[k].n));
            put(s, "y", numbers_json(c->series[k].y, c->series[k].n));
            push(series, s);
        }
        for (size_t k = 0; k < c->nmarks; k++) {
            json_t *m = must(json_object());
            put(m, "x", number_or_null(c->marks[k].x));
            put(m, "y", number_or_null(c->marks[k].y));
            put(m, "label", string_or_null(c->marks[k].label));
            push(marks, m);
        }
        put(o, "title", string_or_null(c->title));
        put(o, "x", string_or_null(c->xlabel));
        put(o, "y", string_or_null(c->ylabel));
        put(o, "logx", json_boolean(c->logx));
        put(o, "logy", json_boolean(c->logy));
        put(o, "series", series);
        put(o, "marks", marks);
        push(a, o);
    }
    return a;
}

static json_t *variant_json(const pd_lesson *l, const pd_variant_result *v)
{
    json_t *o = must(json_object());
    json_t *samples = must(json_array());
    const pd_stats *st = &v->stats;
    int timed = v->nsamples > 0 && st->n > 0;
    int idx = v->name ? pd_lesson_variant_index(l, v->name) : -1;

    for (size_t i = 0; i < v->nsamples; i++)
        push(samples, number_or_null(v->samples[i]));

    put(o, "name", string_or_null(v->name));
    put(o, "kind", string_or_null(v->kind));
    put(o, "part", string_or_null(idx >= 0 ? l->variants[idx].part : NULL));
    put(o, "status", json_string(pd_status_word(v->status)));
    put(o, "correct", json_boolean(v->status == PD_OK));
    put(o, "median_s", number_or_null(timed ? st->median : NAN));
    put(o, "iqr_s", number_or_null(timed ? st->iqr : NAN));
    put(o, "q1_s", number_or_null(timed ? st->q1 : NAN));
    put(o, "q3_s", number_or_null(timed ? st->q3 : NAN));
    put(o, "min_s", number_or_null(timed ? st->min : NAN));
    put(o, "max_s", number_or_null(timed ? st->max : NAN));
    put(o, "samples_s", samples);
    put(o, "loops", timed ? json_integer((json_int_t)v->loops) : json_null());
    put(o, "rounds", timed && v->rounds_id ? json_integer((json_int_t)v->rounds_id)
                                           : json_null());
    /* A call never takes zero seconds: 0 is "not timed". */
    put(o, "first_call_s",
        number_or_null(v->first_call_s > 0 ? v->first_call_s : NAN));
    put(o, "peak_bytes", bytes_or_null(v, v->peak_bytes));
    put(o, "peak_fresh", json_boolean(v->peak_fresh));
    put(o, "python_peak_bytes", bytes_or_null(v, v->py_peak_bytes));
    put(o, "speedup", number_or_null(v->speedup));
    put(o, "speedup_extrapolated", json_boolean(v->speedup_extrapolated));
    put(o, "speedup_lo", number_or_null(v->speedup_lo));
    put(o, "speedup_hi", number_or_null(v->speedup_hi));
    put(o, "no_measurable_difference",
        json_boolean(!isnan(v->speedup_lo) && pd_speedup_is_noise(v)));
    put(o, "instability", instability_json(v->unstable));
    put(o, "extrapolated", json_boolean(v->extrapolated));
    put(o, "extrapolated_median_s", number_or_null(v->extrapolated ? st->median : NAN));
    put(o, "skip", string_or_null(v->status == PD_NOT_RUN ? pd_skip_word(v->skip) : NULL));
    put(o, "wall_s", number_or_null(v->wall_s));
    put(o, "calibration_s", number_or_null(v->calibration_s));
    put(o, "sampling_s", number_or_null(v->sampling_s));
    put(o, "observation", string_or_null(v->observation));
    put(o, "profile", string_or_null(v->profile));
    put(o, "warnings", lines_array(v->warnings));
    put(o, "mismatch", string_or_null(v->mismatch));
    put(o, "error", string_or_null(v->error));
    put(o, "statistics", statistics_json(v));
    put(o, "curves", curves_json(v));
    return o;
}

static json_t *size_json(const pd_lesson *l, const pd_size_result *s)
{
    json_t *o = must(json_object());
    json_t *load = must(json_object());
    json_t *variants = must(json_array());
    int loaded = s->load_s > 0 && isfinite(s->load_s);

    put(load, "seconds", number_or_null(loaded ? s->load_s : NAN));
    put(load, "bytes", json_integer((json_int_t)s->load_bytes));
    put(load, "mb_per_s", number_or_null(
        loaded ? (double)s->load_bytes / s->load_s / 1e6 : NAN));
    for (size_t i = 0; i < s->nvariants; i++)
        push(variants, variant_json(l, &s->variants[i]));

    put(o, "n", json_integer((json_int_t)s->n));
    put(o, "worker_s", number_or_null(s->worker_s > 0 ? s->worker_s : NAN));
    put(o, "startup_s", number_or_null(s->startup_s > 0 ? s->startup_s : NAN));
    put(o, "load", load);
    put(o, "variants", variants);
    return o;
}

static json_t *growth_json(const char *variant, const pd_growth *g)
{
    json_t *o = must(json_object());

    put(o, "variant", string_or_null(variant));
    put(o, "time_exponent", number_or_null(g->has_time ? g->time.exponent
                                                       : NAN));
    put(o, "time_r2", number_or_null(g->has_time ? g->time.r2 : NAN));
    put(o, "memory_exponent", number_or_null(g->has_memory
                                             ? g->memory.exponent : NAN));
    put(o, "memory_r2", number_or_null(g->has_memory ? g->memory.r2 : NAN));
    return o;
}

static json_t *claim_json(const pd_claim *c)
{
    json_t *o = must(json_object());

    put(o, "kind", json_string(pd_claim_kind_word(c->kind)));
    put(o, "variant", string_or_null(c->variant));
    put(o, "other", string_or_null(c->other));
    put(o, "n", c->n ? json_integer((json_int_t)c->n) : json_null());
    put(o, "n_from", c->n_from ? json_integer((json_int_t)c->n_from) : json_null());
    put(o, "factor", number_or_null(c->factor > 0 ? c->factor : NAN));
    put(o, "exponent_lo", number_or_null(c->kind == PD_CLAIM_GROWTH ? c->lo : NAN));
    put(o, "exponent_hi", number_or_null(c->kind == PD_CLAIM_GROWTH ? c->hi : NAN));
    put(o, "warning", string_or_null(c->warning));
    put(o, "statistic", string_or_null(c->statistic));
    put(o, "range_lo", number_or_null(c->kind == PD_CLAIM_STATISTIC ? c->lo : NAN));
    put(o, "range_hi", number_or_null(c->kind == PD_CLAIM_STATISTIC ? c->hi : NAN));
    put(o, "outcome", json_string(pd_claim_outcome_word(c->outcome)));
    put(o, "figure", number_or_null(c->figure));
    put(o, "figure_lo", number_or_null(c->figure_lo));
    put(o, "figure_hi", number_or_null(c->figure_hi));
    put(o, "figure_bound", json_boolean(c->figure_bound));
    put(o, "note", string_or_null(c->note));
    return o;
}

static json_t *lesson_json(const pd_lesson_result *r)
{
    const pd_lesson *l = &r->lesson;
    json_t *o = must(json_object());
    json_t *refs = must(json_object());
    json_t *sizes = must(json_array());
    json_t *decls = must(json_array());
    json_t *results = must(json_array());
    json_t *growth = must(json_array());
    json_t *claims = must(json_array());
    json_t *hints = must(json_array());

    for (size_t h = 0; h < l->nhints; h++) push(hints, string_or_null(l->hints[h]));
    for (size_t c = 0; c < l->nclaims; c++)
        push(claims, claim_json(&l->claims[c]));
    for (size_t p = 0; p < l->nparts; p++)
        put(refs, l->parts[p] ? l->parts[p] : "",
            string_or_null(l->references ? l->references[p] : NULL));
    for (size_t i = 0; i < l->nsizes; i++)
        push(sizes, json_integer((json_int_t)l->sizes[i]));
    for (size_t k = 0; k < l->nvariants; k++)
        push(decls, declaration_json(&l->variants[k]));
    for (size_t i = 0; i < r->nsizes; i++)
        push(results, size_json(l, &r->sizes[i]));
    /* growth is NULL until pd_lesson_result_derive ran. */
    for (size_t k = 0; r->growth && k < l->nvariants; k++)
        push(growth, growth_json(l->variants[k].name, &r->growth[k]));

    put(o, "id", string_or_null(l->id));
    put(o, "path", string_or_null(l->path));
    put(o, "question", string_or_null(l->question));
    put(o, "answer", string_or_null(l->answer));
    put(o, "signal", string_or_null(l->signal));
    put(o, "trivia", string_or_null(l->trivia));
    put(o, "dataset", string_or_null(l->dataset));
    put(o, "focus", string_or_null(l->focus));
    put(o, "profile", string_or_null(l->profile));
    put(o, "columns", string_or_null(l->columns));
    put(o, "mem_limit_bytes", l->mem_limit ? json_integer((json_int_t)l->mem_limit) : json_null());
    put(o, "references", refs);
    put(o, "sizes", sizes);
    put(o, "variants", decls);
    put(o, "claims", claims);
    put(o, "hints", hints);
    put(o, "error", string_or_null(r->error));
    put(o, "summary", string_or_null(r->summary));
    put(o, "cpu_stolen_s", number_or_null(r->stolen_s));
    put(o, "results", results);
    put(o, "growth", growth);
    return o;
}

static json_t *breakdown_json(const pd_run *r)
{
    json_t *o = must(json_object());
    pd_breakdown b;
    pd_run_breakdown(r, &b);
    put(o, "total_s", number_or_null(b.total));
    put(o, "startup_s", number_or_null(b.startup));
    put(o, "datasets_s", number_or_null(b.datasets));
    put(o, "load_s", number_or_null(b.load));
    put(o, "checks_s", number_or_null(b.checks));
    put(o, "calibration_s", number_or_null(b.calibration));
    put(o, "sampling_s", number_or_null(b.sampling));
    put(o, "other_s", number_or_null(b.other));
    return o;
}

/* New reference; the caller json_decref()s it. */
json_t *pd_run_to_json(const pd_run *r)
{
    json_t *doc = must(json_object());
    json_t *lessons = must(json_array());

    for (size_t i = 0; i < r->nlessons; i++)
        push(lessons, lesson_json(&r->lessons[i]));

    put(doc, "schema", json_integer(PD_RESULTS_SCHEMA));
    put(doc, "tool", json_string("pdlab"));
    put(doc, "pdlab_version", json_string(PDLAB_VERSION));
    put(doc, "started", field_or_null(r->started));
    put(doc, "wall_s", number_or_null(r->wall_s));
    put(doc, "budget_s", number_or_null(r->budget_s));
    put(doc, "claims_s", number_or_null(r->claims_s));
    put(doc, "cpu_stolen_s", number_or_null(r->stolen_s));
    put(doc, "machine", machine_json(&r->machine));
    put(doc, "time_breakdown", breakdown_json(r));
    {
        json_t *floor = must(json_object());
        put(floor, "clock_step_ns", number_or_null(r->clock_step_ns));
        put(floor, "call_overhead_ns", number_or_null(r->call_overhead_ns));
        put(doc, "noise_floor", floor);
    }
    put(doc, "lessons", lessons);
    return doc;
}

/* ---------------------------------------------------------------------
 * File
 * ------------------------------------------------------------------ */

/* Serializes r and replaces path with it; a reader never sees half a
 * file. -1 with *e naming the path on failure. */
int pd_results_write(const pd_run *r, const char *path, pd_err *e)
{
    json_t *doc = pd_run_to_json(r);
    char *text = NULL, *withnl = NULL;
    int rc = -1;

    if (!(text = json_dumps(doc, PD_JSON_FLAGS))) {
        pd_error(e, "%s: cannot serialize the results", path);
        goto cleanup;
    }
    withnl = pd_strdup_printf("%s\n", text);
    if (pd_write_file_atomic(path, withnl, strlen(withnl), e) != 0)
        goto cleanup;
    rc = 0;

cleanup:
    free(withnl);
    free(text);
    json_decref(doc);
    return rc;
}

/* New reference to the document, or NULL with *e naming the file and,
 * for a syntax error, jansson's line and column. */
static json_t *load_document(const char *path, pd_err *e)
{
    json_error_t jerr;
    json_t *doc, *schema, *tool;
    struct stat st;

    /* jansson reads a directory as an empty document: say what it is. */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        pd_error(e, "%s is a directory, not a results file (a run writes results.json "
                 "as a file): remove it or give another run", path);
        return NULL;
    }
    doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        if (jerr.line > 0)
            pd_error(e, "%s:%d:%d: not valid JSON: %s", path, jerr.line,
                     jerr.column, jerr.text);
        else
            pd_error(e, "%s: cannot read results: %s", path, jerr.text);
        return NULL;
    }
    schema = json_object_get(doc, "schema");
    tool = json_object_get(doc, "tool");
    if (!json_is_object(doc) || !json_is_integer(schema) ||
        !json_is_string(tool) || strcmp(json_string_value(tool), "pdlab")) {
        pd_error(e, "%s: not a pdlab results file (no \"schema\" and "
                 "\"tool\": \"pdlab\" at the top)", path);
        goto fail;
    }
    if (json_integer_value(schema) > PD_RESULTS_SCHEMA) {
        pd_error(e, "%s: written by a newer pdlab (results schema %lld; this "
                 "pdlab %s reads schema %d): upgrade pdlab to read it", path,
                 (long long)json_integer_value(schema), PDLAB_VERSION,
                 PD_RESULTS_SCHEMA);
        goto fail;
    }
    if (json_integer_value(schema) < 1) {
        pd_error(e, "%s: unknown results schema %lld", path,
                 (long long)json_integer_value(schema));
        goto fail;
    }
    if (!json_is_array(json_object_get(doc, "lessons"))) {
        pd_error(e, "%s: results file has no \"lessons\" array", path);
        goto fail;
    }
    return doc;

fail:
    json_decref(doc);
    return NULL;
}


/* ---------------------------------------------------------------------
 * Reading
 *
 * pd_results_read is the writer run backwards: the same structs, so every
 * view works from one model with one set of rules (evidence.h) instead of
 * reading fields its own way. A field may be missing or null in an old or
 * hand-made file: it takes the value the writer would have written null
 * for. A field of the wrong type is an error naming the file and the field;
 * the views never see a half-typed document, so they need no checks of
 * their own.
 * ------------------------------------------------------------------ */

typedef struct rd {
    const char *file;
    pd_err *e;
    char at[256];        /* where in the document: lessons[2].results[0] */
} rd;

/* Appends ".key" or "[i]" to the position; returns the old length for
 * leave(). */
static size_t enter(rd *r, const char *key, size_t i)
{
    size_t len = strlen(r->at);
    if (key)
        snprintf(r->at + len, sizeof r->at - len, "%s%s", len ? "." : "", key);
    else
        snprintf(r->at + len, sizeof r->at - len, "[%zu]", i);
    return len;
}

static void leave(rd *r, size_t len)
{
    r->at[len] = '\0';
}

static const char *type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* "FILE: lessons[0].results[1].n: expected WANT, found GOT". -1. */
static int bad(rd *r, const char *key, const char *want, const json_t *got)
{
    size_t len = enter(r, key, 0);
    if (got)
        pd_error(r->e, "%s: %s: expected %s, found %s", r->file, r->at, want,
                 type_name(got));
    else
        pd_error(r->e, "%s: %s: missing, expected %s", r->file, r->at, want);
    leave(r, len);
    return -1;
}

/* The value of o[key], NULL when missing or null. */
static json_t *field(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_null(v) ? NULL : v;
}

static int rd_num(rd *r, const json_t *o, const char *key, double dflt,
                  double *out)
{
    json_t *v = field(o, key);
    *out = dflt;
    if (!v) return 0;
    if (!json_is_number(v)) return bad(r, key, "a number", v);
    *out = json_number_value(v);
    return 0;
}

/* An integer at least min; dflt when missing. */
static int rd_int(rd *r, const json_t *o, const char *key, json_int_t min,
                  json_int_t dflt, json_int_t *out)
{
    json_t *v = field(o, key);
    *out = dflt;
    if (!v) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min)
        return bad(r, key, "an integer >= 0", v);
    *out = json_integer_value(v);
    return 0;
}

static int rd_u64(rd *r, const json_t *o, const char *key, uint64_t *out)
{
    json_int_t x;
    if (rd_int(r, o, key, 0, 0, &x) < 0) return -1;
    *out = (uint64_t)x;
    return 0;
}

static int rd_bool(rd *r, const json_t *o, const char *key, int *out)
{
    json_t *v = field(o, key);
    *out = 0;
    if (!v) return 0;
    if (!json_is_boolean(v)) return bad(r, key, "true or false", v);
    *out = json_is_true(v);
    return 0;
}

/* Borrowed text, NULL when missing; required makes missing an error. */
static int rd_text(rd *r, const json_t *o, const char *key, int required,
                   const char **out)
{
    json_t *v = field(o, key);
    *out = NULL;
    if (!v && required) return bad(r, key, "a string", NULL);
    if (!v) return 0;
    if (!json_is_string(v)) return bad(r, key, "a string", v);
    *out = json_string_value(v);
    return 0;
}

static int rd_str(rd *r, const json_t *o, const char *key, int required,
                  char **out)
{
    const char *s;
    if (rd_text(r, o, key, required, &s) < 0) return -1;
    *out = pd_strdup(s);
    return 0;
}

/* A fixed-size machine field; null is "", as the writer has it. */
static int rd_fixed(rd *r, const json_t *o, const char *key, char *buf,
                    size_t size)
{
    const char *s;
    if (rd_text(r, o, key, 0, &s) < 0) return -1;
    snprintf(buf, size, "%s", s ? s : "");
    return 0;
}

/* A container of the given type (JSON_ARRAY, JSON_OBJECT), NULL when
 * missing. */
static int rd_container(rd *r, const json_t *o, const char *key, json_type t,
                        json_t **out)
{
    json_t *v = field(o, key);
    *out = NULL;
    if (!v) return 0;
    if (json_typeof(v) != t)
        return bad(r, key, t == JSON_ARRAY ? "an array" : "an object", v);
    *out = v;
    return 0;
}

/* Element i of the array the position is at, which must be an object. */
static int rd_element(rd *r, json_t *arr, size_t i, json_t **out)
{
    size_t len;

    *out = json_array_get(arr, i);
    if (json_is_object(*out)) return 0;
    len = enter(r, NULL, i);
    pd_error(r->e, "%s: %s: expected an object, found %s", r->file, r->at,
             type_name(*out));
    leave(r, len);
    return -1;
}

/* Calls fn on each object of array o[key], allocating n elements of
 * `size` bytes at *items first, so a failure part way leaves everything
 * read so far for the caller's free. */
static int each_read(rd *r, const json_t *o, const char *key, void **items,
                     size_t *n, size_t size,
                     int (*fn)(rd *, const json_t *, void *))
{
    json_t *arr, *x;
    size_t i, at;
    int rc = 0;

    if (rd_container(r, o, key, JSON_ARRAY, &arr) < 0) return -1;
    *n = json_array_size(arr);
    *items = pd_xcalloc(*n, size);
    at = enter(r, key, 0);
    for (i = 0; rc == 0 && i < *n; i++) {
        rc = rd_element(r, arr, i, &x);
        if (rc == 0) {
            size_t here = enter(r, NULL, i);
            rc = fn(r, x, (char *)*items + i * size);
            leave(r, here);
        }
    }
    leave(r, at);
    return rc;
}

/* A word the parse function knows, or an error listing what it is. */
static int bad_word(rd *r, const char *key, const char *what, const char *w)
{
    size_t len = enter(r, key, 0);
    pd_error(r->e, "%s: %s: \"%s\" is not %s", r->file, r->at, w, what);
    leave(r, len);
    return -1;
}

static int machine_read(rd *r, const json_t *m, pd_machine *out)
{
    json_int_t cores;
    size_t at = enter(r, "machine", 0);
    int rc = -1;

    if (rd_fixed(r, m, "cpu", out->cpu, sizeof out->cpu) < 0
        || rd_int(r, m, "cores", 0, 0, &cores) < 0
        || rd_fixed(r, m, "os", out->os, sizeof out->os) < 0
        || rd_fixed(r, m, "python", out->python, sizeof out->python) < 0
        || rd_fixed(r, m, "numpy", out->numpy, sizeof out->numpy) < 0
        || rd_fixed(r, m, "pandas", out->pandas, sizeof out->pandas) < 0
        || rd_fixed(r, m, "numexpr", out->numexpr, sizeof out->numexpr) < 0
        || rd_fixed(r, m, "hdf5", out->hdf5, sizeof out->hdf5) < 0
        || rd_fixed(r, m, "governor", out->governor, sizeof out->governor) < 0
        || rd_fixed(r, m, "blas", out->blas, sizeof out->blas) < 0
        || rd_fixed(r, m, "blas_threads", out->blas_threads,
                    sizeof out->blas_threads) < 0)
        goto cleanup;
    out->cores = cores > INT_MAX ? INT_MAX : (int)cores;
    rc = 0;
cleanup:
    leave(r, at);
    return rc;
}

static int declaration_read(rd *r, const json_t *o, pd_variant_info *d)
{
    uint64_t max_n;

    if (rd_str(r, o, "name", 1, &d->name) < 0
        || rd_str(r, o, "kind", 0, &d->kind) < 0
        || rd_str(r, o, "part", 0, &d->part) < 0
        || rd_str(r, o, "doc", 0, &d->doc) < 0
        || rd_u64(r, o, "max_n", &max_n) < 0
        || rd_bool(r, o, "mutates", &d->mutates) < 0
        || rd_str(r, o, "source", 0, &d->source) < 0)
        return -1;
    d->max_n = max_n;
    return 0;
}

static int is_string(const json_t *x) { return json_is_string(x); }
static int is_sample(const json_t *x) { return json_is_number(x) || json_is_null(x); }
static int is_size(const json_t *x)
{
    return json_is_integer(x) && json_integer_value(x) >= 0;
}

/* Array o[key] whose every element passes ok, described by what for the
 * error; *out NULL (no elements) when missing. */
static int rd_array_of(rd *r, const json_t *o, const char *key,
                       int (*ok)(const json_t *), const char *what, json_t **out)
{
    json_t *x;
    size_t i;

    if (rd_container(r, o, key, JSON_ARRAY, out) < 0) return -1;
    json_array_foreach(*out, i, x)
        if (!ok(x)) return bad(r, key, what, x);
    return 0;
}

/* The "\n"-joined form of an array of strings. */
static int lines_read(rd *r, const json_t *o, const char *key, char **out)
{
    json_t *arr, *s;
    pd_buf b = {0};
    size_t i;

    *out = NULL;
    if (rd_array_of(r, o, key, is_string, "an array of strings", &arr) < 0) return -1;
    json_array_foreach(arr, i, s)
        pd_buf_printf(&b, "%s%s", b.len ? "\n" : "", json_string_value(s));
    *out = b.s;
    return 0;
}

static int samples_read(rd *r, const json_t *o, pd_variant_result *v)
{
    json_t *arr, *x;
    size_t i;

    if (rd_array_of(r, o, "samples_s", is_sample, "an array of numbers", &arr) < 0)
        return -1;
    v->nsamples = json_array_size(arr);
    v->samples = v->nsamples ? pd_xcalloc(v->nsamples, sizeof *v->samples) : NULL;
    json_array_foreach(arr, i, x)
        v->samples[i] = json_is_number(x) ? json_number_value(x) : NAN;
    return 0;
}

/* The flags back from their words; a word this pdlab does not know (a
 * newer check) is dropped, not an error. */
static int instability_read(rd *r, const json_t *o, unsigned *out)
{
    json_t *arr, *w;
    size_t i;

    *out = 0;
    if (rd_array_of(r, o, "instability", is_string, "an array of strings", &arr) < 0)
        return -1;
    json_array_foreach(arr, i, w)
        for (unsigned f = 1; f & PD_UNSTABLE_ALL; f <<= 1)
            if (strcmp(json_string_value(w), pd_instability_word(f)) == 0)
                *out |= f;
    return 0;
}

/* Status and skip: words the writer took from result.h. */
static int status_read(rd *r, const json_t *o, pd_variant_result *v)
{
    const char *w;

    if (rd_text(r, o, "status", 1, &w) < 0) return -1;
    if (pd_status_parse(w, &v->status) < 0)
        return bad_word(r, "status", "a status (ok, wrong, raised, timeout, "
                        "crashed, no_memory, not_run)", w);
    if (rd_text(r, o, "skip", 0, &w) < 0) return -1;
    v->skip = PD_SKIP_NONE;
    if (w && pd_skip_parse(w, &v->skip) < 0)
        return bad_word(r, "skip", "a reason a variant was not run", w);
    return 0;
}

/* Quartiles and the rest, as far as the samples back them. */
static int stats_read(rd *r, const json_t *o, pd_variant_result *v)
{
    pd_stats *st = &v->stats;
    double xmed, sum = 0;

    if (rd_num(r, o, "median_s", NAN, &st->median) < 0
        || rd_num(r, o, "iqr_s", NAN, &st->iqr) < 0
        || rd_num(r, o, "q1_s", NAN, &st->q1) < 0
        || rd_num(r, o, "q3_s", NAN, &st->q3) < 0
        || rd_num(r, o, "min_s", NAN, &st->min) < 0
        || rd_num(r, o, "max_s", NAN, &st->max) < 0
        || rd_num(r, o, "extrapolated_median_s", NAN, &xmed) < 0)
        return -1;
    for (size_t i = 0; i < v->nsamples; i++) sum += v->samples[i];
    st->n = isnan(st->median) ? 0 : v->nsamples;
    st->mean = st->n ? sum / (double)st->n : NAN;
    if (v->extrapolated) st->median = xmed;
    return 0;
}

/* Statistics and curves: one reader for results.json and for a worker's
 * result event (pd_variant_figures_read). */
static int statistic_read(rd *r, const json_t *o, void *item)
{
    pd_statistic *s = item;
    json_int_t hits, trials;

    if (rd_str(r, o, "name", 1, &s->name) < 0
        || rd_num(r, o, "value", NAN, &s->value) < 0
        || rd_int(r, o, "hits", 0, 0, &hits) < 0
        || rd_int(r, o, "trials", 0, 0, &trials) < 0)
        return -1;
    s->hits = (uint64_t)hits;
    s->trials = (uint64_t)trials;
    /* Recomputed rather than read: the interval follows from the counts. */
    pd_wilson_interval(s->hits, s->trials, 1.96, &s->lo, &s->hi);
    return 0;
}

static int is_number(const json_t *x) { return json_is_number(x); }

/* o[key] as n doubles, newly allocated. */
static int numbers_read(rd *r, const json_t *o, const char *key, double **out, size_t *n)
{
    json_t *arr, *x;
    size_t i;

    if (rd_array_of(r, o, key, is_number, "an array of numbers", &arr) < 0) return -1;
    *n = json_array_size(arr);
    *out = pd_xcalloc(*n + 1, sizeof **out);
    json_array_foreach(arr, i, x)
        (*out)[i] = json_number_value(x);
    return 0;
}

static int series_read(rd *r, const json_t *o, void *item)
{
    pd_series *s = item;
    size_t ny;

    if (rd_str(r, o, "label", 0, &s->label) < 0
        || numbers_read(r, o, "x", &s->x, &s->n) < 0
        || numbers_read(r, o, "y", &s->y, &ny) < 0)
        return -1;
    if (ny != s->n) return bad(r, "y", "as many numbers as x", json_object_get(o, "y"));
    return 0;
}

static int mark_read(rd *r, const json_t *o, void *item)
{
    pd_mark *m = item;
    return rd_num(r, o, "x", NAN, &m->x) < 0 || rd_num(r, o, "y", NAN, &m->y) < 0
           || rd_str(r, o, "label", 0, &m->label) < 0 ? -1 : 0;
}

static int curve_read(rd *r, const json_t *o, void *item)
{
    pd_curve *c = item;

    if (rd_str(r, o, "title", 1, &c->title) < 0
        || rd_str(r, o, "x", 0, &c->xlabel) < 0
        || rd_str(r, o, "y", 0, &c->ylabel) < 0
        || rd_bool(r, o, "logx", &c->logx) < 0
        || rd_bool(r, o, "logy", &c->logy) < 0
        || each_read(r, o, "series", (void **)&c->series, &c->nseries,
                     sizeof *c->series, series_read) < 0
        || each_read(r, o, "marks", (void **)&c->marks, &c->nmarks,
                     sizeof *c->marks, mark_read) < 0)
        return -1;
    return 0;
}

static int figures_read(rd *r, const json_t *o, pd_variant_result *v)
{
    return each_read(r, o, "statistics", (void **)&v->statistics, &v->nstatistics,
                     sizeof *v->statistics, statistic_read) < 0
           || each_read(r, o, "curves", (void **)&v->curves, &v->ncurves,
                        sizeof *v->curves, curve_read) < 0 ? -1 : 0;
}

int pd_variant_figures_read(const json_t *o, pd_variant_result *v, const char *where,
                            pd_err *e)
{
    rd r = {.file = where, .e = e};
    return figures_read(&r, o, v);
}

static int variant_read(rd *r, const json_t *o, pd_variant_result *v)
{
    json_int_t loops, rounds, peak, py_peak;

    if (rd_str(r, o, "name", 1, &v->name) < 0
        || rd_str(r, o, "kind", 0, &v->kind) < 0
        || status_read(r, o, v) < 0
        || samples_read(r, o, v) < 0
        || rd_bool(r, o, "extrapolated", &v->extrapolated) < 0
        || stats_read(r, o, v) < 0
        || rd_int(r, o, "loops", 0, 0, &loops) < 0
        || rd_int(r, o, "rounds", 0, 0, &rounds) < 0
        || rd_num(r, o, "first_call_s", NAN, &v->first_call_s) < 0
        || rd_int(r, o, "peak_bytes", 0, -1, &peak) < 0
        || rd_bool(r, o, "peak_fresh", &v->peak_fresh) < 0
        || rd_int(r, o, "python_peak_bytes", 0, -1, &py_peak) < 0
        || rd_num(r, o, "speedup", NAN, &v->speedup) < 0
        || rd_bool(r, o, "speedup_extrapolated", &v->speedup_extrapolated) < 0
        || rd_num(r, o, "speedup_lo", NAN, &v->speedup_lo) < 0
        || rd_num(r, o, "speedup_hi", NAN, &v->speedup_hi) < 0
        || instability_read(r, o, &v->unstable) < 0
        || rd_num(r, o, "wall_s", NAN, &v->wall_s) < 0
        || rd_num(r, o, "calibration_s", NAN, &v->calibration_s) < 0
        || rd_num(r, o, "sampling_s", NAN, &v->sampling_s) < 0
        || rd_str(r, o, "observation", 0, &v->observation) < 0
        || rd_str(r, o, "profile", 0, &v->profile) < 0
        || lines_read(r, o, "warnings", &v->warnings) < 0
        || rd_str(r, o, "mismatch", 0, &v->mismatch) < 0
        || rd_str(r, o, "error", 0, &v->error) < 0
        || figures_read(r, o, v) < 0)
        return -1;
    v->loops = (uint64_t)loops;
    v->rounds_id = (uint64_t)rounds;
    v->peak_bytes = peak;
    v->py_peak_bytes = py_peak;
    return 0;
}

static int each_variant(rd *r, const json_t *o, void *item)
{
    return variant_read(r, o, item);
}

static int size_read(rd *r, const json_t *o, pd_size_result *s)
{
    json_t *load;
    uint64_t bytes;
    size_t at;
    int rc;

    if (!field(o, "n")) return bad(r, "n", "an integer >= 0", NULL);
    if (rd_u64(r, o, "n", &s->n) < 0
        || rd_num(r, o, "worker_s", 0, &s->worker_s) < 0
        || rd_num(r, o, "startup_s", 0, &s->startup_s) < 0
        || rd_container(r, o, "load", JSON_OBJECT, &load) < 0)
        return -1;
    at = enter(r, "load", 0);
    rc = rd_num(r, load, "seconds", 0, &s->load_s) < 0
         || rd_u64(r, load, "bytes", &bytes) < 0 ? -1 : 0;
    leave(r, at);
    if (rc < 0) return -1;
    s->load_bytes = bytes;
    return each_read(r, o, "variants", (void **)&s->variants, &s->nvariants,
                     sizeof *s->variants, each_variant);
}

static int claim_read(rd *r, const json_t *o, pd_claim *c)
{
    const char *w;
    uint64_t n, n_from;

    if (rd_text(r, o, "kind", 1, &w) < 0) return -1;
    if (pd_claim_kind_parse(w, &c->kind) < 0)
        return bad_word(r, "kind", "a kind of claim", w);
    if (rd_text(r, o, "outcome", 0, &w) < 0) return -1;
    c->outcome = PD_CLAIM_UNDECIDED;
    if (w && pd_claim_outcome_parse(w, &c->outcome) < 0)
        return bad_word(r, "outcome", "an outcome (confirmed, not confirmed, "
                        "not measured)", w);
    if (rd_str(r, o, "variant", 1, &c->variant) < 0
        || rd_str(r, o, "other", 0, &c->other) < 0
        || rd_u64(r, o, "n", &n) < 0
        || rd_u64(r, o, "n_from", &n_from) < 0
        || rd_num(r, o, "factor", 0, &c->factor) < 0
        || rd_num(r, o, c->kind == PD_CLAIM_STATISTIC ? "range_lo" : "exponent_lo", NAN,
                  &c->lo) < 0
        || rd_num(r, o, c->kind == PD_CLAIM_STATISTIC ? "range_hi" : "exponent_hi", NAN,
                  &c->hi) < 0
        || rd_str(r, o, "warning", 0, &c->warning) < 0
        || rd_str(r, o, "statistic", 0, &c->statistic) < 0
        || rd_num(r, o, "figure", NAN, &c->figure) < 0
        || rd_num(r, o, "figure_lo", NAN, &c->figure_lo) < 0
        || rd_num(r, o, "figure_hi", NAN, &c->figure_hi) < 0
        || rd_str(r, o, "note", 0, &c->note) < 0)
        return -1;
    c->n = n;
    c->n_from = n_from;
    return 0;
}

/* Parts and their references from the object part -> reference, in the
 * order written. A null reference becomes "": it names no variant, and
 * the views compare names without checking for NULL. */
static int references_read(rd *r, const json_t *o, pd_lesson *l)
{
    json_t *refs, *ref;
    const char *part;
    size_t p = 0;

    if (rd_container(r, o, "references", JSON_OBJECT, &refs) < 0) return -1;
    l->nparts = json_object_size(refs);
    l->parts = pd_xcalloc(l->nparts, sizeof *l->parts);
    l->references = pd_xcalloc(l->nparts, sizeof *l->references);
    json_object_foreach(refs, part, ref) {
        if (!json_is_string(ref) && !json_is_null(ref)) {
            size_t at = enter(r, "references", 0);
            int rc = bad(r, part, "a variant name", ref);
            leave(r, at);
            return rc;
        }
        l->parts[p] = pd_strdup(part);
        l->references[p++] = pd_strdup(json_is_string(ref)
                                       ? json_string_value(ref) : "");
    }
    return 0;
}

static int sizes_read(rd *r, const json_t *o, pd_lesson *l)
{
    json_t *arr, *x;
    size_t i;

    if (rd_array_of(r, o, "sizes", is_size, "an array of integers >= 0", &arr) < 0)
        return -1;
    l->nsizes = json_array_size(arr);
    l->sizes = pd_xcalloc(l->nsizes, sizeof *l->sizes);
    json_array_foreach(arr, i, x)
        l->sizes[i] = (uint64_t)json_integer_value(x);
    return 0;
}

static int each_decl(rd *r, const json_t *o, void *item)
{
    return declaration_read(r, o, item);
}

static int each_claim(rd *r, const json_t *o, void *item)
{
    return claim_read(r, o, item);
}

static int each_size(rd *r, const json_t *o, void *item)
{
    return size_read(r, o, item);
}

/* Growth fits by variant name, onto the declaration's order; an empty
 * array is a lesson not finished (growth NULL). */
static int growth_read(rd *r, const json_t *o, pd_lesson_result *l)
{
    json_t *arr, *g;
    size_t i;

    if (rd_container(r, o, "growth", JSON_ARRAY, &arr) < 0) return -1;
    if (json_array_size(arr) == 0) return 0;
    l->growth = pd_xcalloc(l->lesson.nvariants, sizeof *l->growth);
    json_array_foreach(arr, i, g) {
        size_t at = enter(r, "growth", 0);
        const char *name;
        pd_growth x = {0};
        int k, rc;

        rc = rd_element(r, arr, i, &g);
        enter(r, NULL, i);
        rc = rc < 0 || rd_text(r, g, "variant", 1, &name) < 0
             || rd_num(r, g, "time_exponent", NAN, &x.time.exponent) < 0
             || rd_num(r, g, "time_r2", NAN, &x.time.r2) < 0
             || rd_num(r, g, "memory_exponent", NAN, &x.memory.exponent) < 0
             || rd_num(r, g, "memory_r2", NAN, &x.memory.r2) < 0 ? -1 : 0;
        leave(r, at);
        if (rc < 0) return -1;
        x.has_time = !isnan(x.time.exponent);
        x.has_memory = !isnan(x.memory.exponent);
        if ((k = pd_lesson_variant_index(&l->lesson, name)) >= 0)
            l->growth[k] = x;
    }
    return 0;
}

/* The hints, each a string; how many a lesson may have is
 * pd_lesson_check's to say. */
static int hints_read(rd *r, const json_t *o, pd_lesson *l)
{
    json_t *arr, *s;
    size_t i;

    if (rd_array_of(r, o, "hints", is_string, "an array of strings", &arr) < 0) return -1;
    l->nhints = json_array_size(arr);
    l->hints = pd_xcalloc(l->nhints + 1, sizeof *l->hints);
    json_array_foreach(arr, i, s) l->hints[i] = pd_strdup(json_string_value(s));
    return 0;
}

/* What a lesson file declares, as written in a lesson's object. */
static int declaration_fields_read(rd *r, const json_t *o, pd_lesson *l)
{
    return rd_str(r, o, "question", 0, &l->question) < 0
        || rd_str(r, o, "answer", 0, &l->answer) < 0
        || rd_str(r, o, "signal", 0, &l->signal) < 0
        || rd_str(r, o, "trivia", 0, &l->trivia) < 0
        || rd_str(r, o, "dataset", 0, &l->dataset) < 0
        || rd_str(r, o, "focus", 0, &l->focus) < 0
        || rd_str(r, o, "profile", 0, &l->profile) < 0
        || rd_str(r, o, "columns", 0, &l->columns) < 0
        || rd_u64(r, o, "mem_limit_bytes", &l->mem_limit) < 0
        || references_read(r, o, l) < 0
        || sizes_read(r, o, l) < 0
        || each_read(r, o, "variants", (void **)&l->variants, &l->nvariants,
                     sizeof *l->variants, each_decl) < 0
        || each_read(r, o, "claims", (void **)&l->claims, &l->nclaims,
                     sizeof *l->claims, each_claim) < 0
        || hints_read(r, o, l) < 0 ? -1 : 0;
}

static int lesson_read(rd *r, const json_t *o, void *item)
{
    pd_lesson_result *lr = item;
    pd_lesson *l = &lr->lesson;

    if (rd_str(r, o, "id", 1, &l->id) < 0
        || rd_str(r, o, "path", 0, &l->path) < 0
        || declaration_fields_read(r, o, l) < 0
        || rd_str(r, o, "error", 0, &lr->error) < 0
        || rd_str(r, o, "summary", 0, &lr->summary) < 0
        || rd_num(r, o, "cpu_stolen_s", NAN, &lr->stolen_s) < 0
        || each_read(r, o, "results", (void **)&lr->sizes, &lr->nsizes,
                     sizeof *lr->sizes, each_size) < 0
        || growth_read(r, o, lr) < 0)
        return -1;
    return 0;
}

/* The run's own figures; the time breakdown is recomputed from the sizes,
 * except the datasets' share, which is recorded nowhere else. */
static int run_read(rd *r, const json_t *doc, pd_run *out)
{
    json_t *machine, *breakdown, *floor;
    size_t at;
    int rc;

    if (rd_fixed(r, doc, "started", out->started, sizeof out->started) < 0
        || rd_num(r, doc, "wall_s", NAN, &out->wall_s) < 0
        || rd_num(r, doc, "cpu_stolen_s", NAN, &out->stolen_s) < 0
        || rd_container(r, doc, "machine", JSON_OBJECT, &machine) < 0
        || machine_read(r, machine, &out->machine) < 0
        || rd_container(r, doc, "time_breakdown", JSON_OBJECT, &breakdown) < 0
        || rd_container(r, doc, "noise_floor", JSON_OBJECT, &floor) < 0)
        return -1;
    at = enter(r, "time_breakdown", 0);
    rc = rd_num(r, breakdown, "datasets_s", 0, &out->dataset_s);
    leave(r, at);
    if (rc < 0) return -1;
    at = enter(r, "noise_floor", 0);
    rc = rd_num(r, floor, "clock_step_ns", NAN, &out->clock_step_ns) < 0
         || rd_num(r, floor, "call_overhead_ns", NAN, &out->call_overhead_ns) < 0
         ? -1 : 0;
    leave(r, at);
    if (rc < 0) return -1;
    return each_read(r, doc, "lessons", (void **)&out->lessons, &out->nlessons,
                     sizeof *out->lessons, lesson_read);
}

int pd_results_read(const char *path, pd_run *out, pd_err *e)
{
    rd r = {.file = path, .e = e};
    json_t *doc;
    int rc;

    memset(out, 0, sizeof *out);
    if (!(doc = load_document(path, e))) return -1;
    rc = run_read(&r, doc, out);
    json_decref(doc);
    if (rc < 0) {
        pd_run_free(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int pd_declaration_read(const json_t *o, const char *file, pd_lesson *l, pd_err *e)
{
    rd r = {.file = file, .e = e};
    if (!json_is_object(o)) return pd_error(e, "%s: the declaration is not an object", file);
    return declaration_fields_read(&r, o, l) < 0 || rd_bool(&r, o, "csv", &l->csv) < 0 ? -1 : 0;
}
