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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/results.h"

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
    put(o, "references", refs);
    put(o, "sizes", sizes);
    put(o, "variants", decls);
    put(o, "claims", claims);
    put(o, "error", string_or_null(r->error));
    put(o, "summary", string_or_null(r->summary));
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
json_t *pd_results_load(const char *path, pd_err *e)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    json_t *schema, *tool;

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

/* Borrowed reference to the lesson with this id, or NULL. */
json_t *pd_results_lesson(json_t *doc, const char *id)
{
    json_t *lesson;
    size_t i;

    json_array_foreach(json_object_get(doc, "lessons"), i, lesson) {
        const char *lid = json_string_value(json_object_get(lesson, "id"));
        if (lid && id && strcmp(lid, id) == 0)
            return lesson;
    }
    return NULL;
}
