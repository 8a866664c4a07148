/* Runs from several machines put together: see include/pdlab/merge.h.
 *
 * Sections:
 *   machines      labels, fingerprints shared, versions that differ
 *   declarations  what of a lesson's declaration differs between runs
 *   lessons       the union of lessons, variants, sizes and claims
 *   entry         pd_merge_read, pd_merge_build, pd_merge_free
 *
 * The first run given is the baseline: versions and declarations are
 * compared with it (with the first run that has the lesson, for a lesson),
 * so a merge of one machine's run with three others reads as "how do the
 * others differ from this one", the way a team would ask it. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdlab/alloc.h"
#include "pdlab/evidence.h"
#include "pdlab/merge.h"
#include "pdlab/results.h"
#include "pdlab/strbuf.h"

/* ---------------------------------------------------------------------
 * Machines
 * ------------------------------------------------------------------ */

/* "A" .. "Z", then "M27", "M28": machines are few, but never unnamed. */
static void machine_name(size_t k, char *buf, size_t size)
{
    if (k < 26) snprintf(buf, size, "%c", (char)('A' + k));
    else snprintf(buf, size, "M%zu", k + 1);
}

/* Groups runs by fingerprint, in the order the runs are given. */
static void assign_machines(pd_merge *m)
{
    m->nmachines = 0;
    for (size_t i = 0; i < m->nruns; i++) {
        size_t j;
        for (j = 0; j < i; j++)
            if (pd_machine_same(&m->runs[j].run.machine, &m->runs[i].run.machine)) break;
        m->runs[i].machine = j < i ? m->runs[j].machine : m->nmachines++;
    }
}

/* The machine's name, then, when it made several of the runs, the start
 * time that tells them apart ("A 2026-11-25 09:26:08"); a run that shares
 * even its start time with an earlier one (a copy) gets "#2". */
static void label_runs(pd_merge *m)
{
    for (size_t i = 0; i < m->nruns; i++) {
        pd_merge_run *r = &m->runs[i];
        const char *t = r->run.started;
        char name[16];
        size_t same = 0, same_time = 0;

        for (size_t j = 0; j < m->nruns; j++) {
            if (m->runs[j].machine != r->machine) continue;
            same++;
            if (j < i && strcmp(m->runs[j].run.started, t) == 0) same_time++;
        }
        machine_name(r->machine, name, sizeof name);
        if (same == 1)
            snprintf(r->label, sizeof r->label, "%s", name);
        else if (strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z')
            snprintf(r->label, sizeof r->label, "%s %.10s %.8s", name, t, t + 11);
        else
            snprintf(r->label, sizeof r->label, "%s %.40s", name, *t ? t : "(no start time)");
        if (same_time)
            snprintf(r->label + strlen(r->label), sizeof r->label - strlen(r->label),
                     " #%zu", same_time + 1);
    }
}

/* Which version fields of each run differ from the first run's. */
static void mark_versions(pd_merge *m)
{
    char a[160], b[160];

    for (size_t i = 0; i < m->nruns; i++) {
        m->runs[i].versions = 0;
        for (size_t f = 0; f < pd_machine_nfields; f++) {
            const char *x, *y;
            if (!pd_machine_fields[f].version) continue;
            x = pd_machine_value(&m->runs[0].run.machine, f, a, sizeof a);
            y = pd_machine_value(&m->runs[i].run.machine, f, b, sizeof b);
            if (strcmp(x ? x : "", y ? y : "") != 0) m->runs[i].versions |= 1u << f;
        }
    }
}

int pd_merge_versions_differ(const pd_merge *m, size_t r)
{
    return m->runs[r].versions != 0;
}

/* ---------------------------------------------------------------------
 * Declarations
 * ------------------------------------------------------------------ */

static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Equal, or both unset (NaN). */
static int same_number(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* The same claim: what it says, not how it came out. */
static int same_claim(const pd_claim *a, const pd_claim *b)
{
    return a->kind == b->kind && same_text(a->variant, b->variant)
           && same_text(a->other, b->other) && a->n == b->n && a->n_from == b->n_from
           && same_number(a->factor, b->factor) && same_number(a->lo, b->lo)
           && same_number(a->hi, b->hi) && same_text(a->warning, b->warning)
           && same_text(a->statistic, b->statistic);
}

static int same_sizes(const pd_lesson *a, const pd_lesson *b)
{
    if (a->nsizes != b->nsizes) return 0;
    for (size_t i = 0; i < a->nsizes; i++)
        if (a->sizes[i] != b->sizes[i]) return 0;
    return 1;
}

static int same_variants(const pd_lesson *a, const pd_lesson *b)
{
    if (a->nvariants != b->nvariants || a->nparts != b->nparts) return 0;
    for (size_t i = 0; i < a->nvariants; i++) {
        const pd_variant_info *x = &a->variants[i], *y = &b->variants[i];
        if (!same_text(x->name, y->name) || !same_text(x->part, y->part)
            || x->max_n != y->max_n || x->mutates != y->mutates)
            return 0;
    }
    for (size_t i = 0; i < a->nparts; i++)
        if (!same_text(a->references[i], b->references[i])) return 0;
    return 1;
}

static int same_claims(const pd_lesson *a, const pd_lesson *b)
{
    if (a->nclaims != b->nclaims) return 0;
    for (size_t i = 0; i < a->nclaims; i++)
        if (!same_claim(&a->claims[i], &b->claims[i])) return 0;
    return 1;
}

/* What differs between two declarations of a lesson, as words joined by
 * ", " ("sizes, claims"). New string, or NULL when nothing that changes
 * the measurement differs (the question's wording may). */
static char *declaration_diff(const pd_lesson *a, const pd_lesson *b)
{
    pd_buf w = {0};

    if (!same_text(a->dataset, b->dataset)) pd_buf_puts(&w, "dataset");
    if (!same_sizes(a, b)) pd_buf_printf(&w, "%ssizes", w.len ? ", " : "");
    if (!same_variants(a, b)) pd_buf_printf(&w, "%svariants", w.len ? ", " : "");
    if (!same_claims(a, b)) pd_buf_printf(&w, "%sclaims", w.len ? ", " : "");
    if (a->mem_limit != b->mem_limit || a->csv != b->csv)
        pd_buf_printf(&w, "%smemory limit or CSV input", w.len ? ", " : "");
    return w.s;
}

/* ---------------------------------------------------------------------
 * Lessons
 * ------------------------------------------------------------------ */

static const pd_lesson_result *run_lesson(const pd_run *r, const char *id)
{
    for (size_t i = 0; i < r->nlessons; i++)
        if (strcmp(r->lessons[i].lesson.id, id) == 0) return &r->lessons[i];
    return NULL;
}

static void add_variant(pd_merge_lesson *ml, const char *name)
{
    for (size_t i = 0; i < ml->nvariants; i++)
        if (strcmp(ml->variants[i], name) == 0) return;
    ml->variants = pd_xrealloc(ml->variants, (ml->nvariants + 1) * sizeof *ml->variants);
    ml->variants[ml->nvariants++] = name;
}

static void add_size(pd_merge_lesson *ml, uint64_t n)
{
    size_t at = 0;

    while (at < ml->nsizes && ml->sizes[at] < n) at++;
    if (at < ml->nsizes && ml->sizes[at] == n) return;
    ml->sizes = pd_xrealloc(ml->sizes, (ml->nsizes + 1) * sizeof *ml->sizes);
    memmove(ml->sizes + at + 1, ml->sizes + at, (ml->nsizes - at) * sizeof *ml->sizes);
    ml->sizes[at] = n;
    ml->nsizes++;
}

/* Run r's claim c into the claim rows: a row per distinct claim. */
static void add_claim(pd_merge_lesson *ml, size_t nruns, size_t r, const pd_claim *c)
{
    pd_merge_claim *mc = NULL;

    for (size_t i = 0; i < ml->nclaims && !mc; i++)
        if (same_claim(ml->claims[i].claim, c) && !ml->claims[i].in[r]) mc = &ml->claims[i];
    if (!mc) {
        ml->claims = pd_xrealloc(ml->claims, (ml->nclaims + 1) * sizeof *ml->claims);
        mc = &ml->claims[ml->nclaims++];
        mc->claim = c;
        mc->in = pd_xcalloc(nruns, sizeof *mc->in);
        mc->disagree = 0;
    }
    mc->in[r] = c;
}

static void mark_disagreement(pd_merge_lesson *ml, size_t nruns)
{
    ml->ndisagree = 0;
    for (size_t i = 0; i < ml->nclaims; i++) {
        pd_merge_claim *mc = &ml->claims[i];
        int yes = 0, no = 0;
        for (size_t r = 0; r < nruns; r++) {
            if (!mc->in[r]) continue;
            yes |= mc->in[r]->outcome == PD_CLAIM_CONFIRMED;
            no |= mc->in[r]->outcome == PD_CLAIM_NOT_CONFIRMED;
        }
        mc->disagree = yes && no;
        ml->ndisagree += (size_t)mc->disagree;
    }
}

/* The first run's speaking size for the lesson: where its evidence is. */
static uint64_t speaking_n(const pd_merge_lesson *ml, size_t nruns)
{
    for (size_t r = 0; r < nruns; r++) {
        const pd_lesson_result *l = ml->in[r];
        long at;
        if (!l) continue;
        at = pd_speaking_size(l, pd_lesson_main_part(&l->lesson));
        if (at >= 0) return l->sizes[at].n;
    }
    return 0;
}

static void build_lesson(pd_merge *m, pd_merge_lesson *ml)
{
    const pd_lesson_result *first = NULL;

    ml->in = pd_xcalloc(m->nruns, sizeof *ml->in);
    ml->declared = pd_xcalloc(m->nruns, sizeof *ml->declared);
    for (size_t r = 0; r < m->nruns; r++) {
        const pd_lesson_result *l = run_lesson(&m->runs[r].run, ml->id);
        if (!(ml->in[r] = l)) continue;
        if (!first) first = l;
        else ml->declared[r] = declaration_diff(&first->lesson, &l->lesson);
        for (size_t v = 0; v < l->lesson.nvariants; v++)
            add_variant(ml, l->lesson.variants[v].name);
        for (size_t s = 0; s < l->nsizes; s++) {
            add_size(ml, l->sizes[s].n);
            for (size_t v = 0; v < l->sizes[s].nvariants; v++)
                add_variant(ml, l->sizes[s].variants[v].name);
        }
        for (size_t c = 0; c < l->lesson.nclaims; c++)
            add_claim(ml, m->nruns, r, &l->lesson.claims[c]);
    }
    mark_disagreement(ml, m->nruns);
    ml->speaking_n = speaking_n(ml, m->nruns);
}

/* Every lesson some run has, first listed first. */
static void build_lessons(pd_merge *m)
{
    size_t cap = 0;

    for (size_t r = 0; r < m->nruns; r++) cap += m->runs[r].run.nlessons;
    m->lessons = pd_xcalloc(cap, sizeof *m->lessons);
    m->nlessons = 0;
    for (size_t r = 0; r < m->nruns; r++) {
        for (size_t i = 0; i < m->runs[r].run.nlessons; i++) {
            const char *id = m->runs[r].run.lessons[i].lesson.id;
            size_t k;
            for (k = 0; k < m->nlessons; k++)
                if (strcmp(m->lessons[k].id, id) == 0) break;
            if (k < m->nlessons) continue;
            m->lessons[m->nlessons].id = id;
            build_lesson(m, &m->lessons[m->nlessons++]);
        }
    }
}

/* ---------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------ */

void pd_merge_build(pd_merge *m)
{
    assign_machines(m);
    label_runs(m);
    if (m->nruns > 0) mark_versions(m);
    build_lessons(m);
}

/* A run's directory holds results.json; anything else is taken as the
 * results file itself. New string, or NULL with *e set when there is
 * nothing at source. */
static char *results_path(const char *source, pd_err *e)
{
    struct stat st;

    if (stat(source, &st) < 0) {
        pd_error_errno(e, "%s: not a run's directory or results file", source);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) return pd_strdup_printf("%s/results.json", source);
    return pd_strdup(source);
}

int pd_merge_read(char *const *sources, size_t n, pd_merge *out, pd_err *e)
{
    memset(out, 0, sizeof *out);
    out->runs = pd_xcalloc(n, sizeof *out->runs);
    for (size_t i = 0; i < n; i++) {
        pd_merge_run *r = &out->runs[out->nruns++];
        r->source = pd_strdup(sources[i]);
        r->path = results_path(sources[i], e);
        if (!r->path || pd_results_read(r->path, &r->run, e) < 0) {
            pd_error_prefix(e, "run %zu of %zu", i + 1, n);
            pd_merge_free(out);
            return -1;
        }
    }
    pd_merge_build(out);
    return 0;
}

static void lesson_free(pd_merge_lesson *ml, size_t nruns)
{
    for (size_t i = 0; i < ml->nclaims; i++) free(ml->claims[i].in);
    for (size_t r = 0; ml->declared && r < nruns; r++) free(ml->declared[r]);
    free(ml->claims);
    free(ml->declared);
    free(ml->in);
    free(ml->variants);
    free(ml->sizes);
}

void pd_merge_free(pd_merge *m)
{
    for (size_t i = 0; i < m->nlessons; i++) lesson_free(&m->lessons[i], m->nruns);
    for (size_t i = 0; i < m->nruns; i++) {
        pd_run_free(&m->runs[i].run);
        free(m->runs[i].source);
        free(m->runs[i].path);
    }
    free(m->lessons);
    free(m->runs);
    memset(m, 0, sizeof *m);
}
