/* The rules every view follows: see include/pdlab/evidence.h. */

#include <math.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/stats.h"

size_t pd_lesson_main_part(const pd_lesson *l)
{
    for (size_t p = 0; p < l->nparts; p++)
        if (l->parts[p] && strcmp(l->parts[p], "main") == 0)
            return p;
    return 0;
}

const char *pd_variant_part(const pd_lesson *l, const char *variant)
{
    int i = variant ? pd_lesson_variant_index(l, variant) : -1;

    if (i < 0 || !l->variants[i].part)
        return "";
    return l->variants[i].part;
}

const pd_variant_result *pd_size_variant(const pd_size_result *s, const char *name)
{
    for (size_t j = 0; s && name && j < s->nvariants; j++)
        if (s->variants[j].name && strcmp(s->variants[j].name, name) == 0)
            return &s->variants[j];
    return NULL;
}

int pd_variant_measured(const pd_variant_result *v)
{
    return v && v->status == PD_OK && v->nsamples > 0 && v->stats.n > 0 &&
           v->stats.median > 0;
}

/* Pairs need a median and a spread of their own: three at least. */
#define PAIRED_MIN_SAMPLES 3

void pd_time_ratio(const pd_variant_result *slow, const pd_variant_result *fast,
                   double *ratio, double *lo, double *hi)
{
    size_t pairs;

    *ratio = *lo = *hi = NAN;
    if (!slow || !fast || !slow->nsamples || !fast->nsamples || !(fast->stats.median > 0))
        return;
    /* Round k holds sample k of every variant still taking samples: the
     * three of a slow call pair with the first three of a fast one's five. */
    pairs = slow->nsamples < fast->nsamples ? slow->nsamples : fast->nsamples;
    if (slow->rounds_id && slow->rounds_id == fast->rounds_id && pairs >= PAIRED_MIN_SAMPLES) {
        pd_bootstrap_paired_ratio(slow->samples, fast->samples, pairs, PD_BOOTSTRAP_ROUNDS,
                                  0.95, ratio, lo, hi);
        return;
    }
    *ratio = slow->stats.median / fast->stats.median;
    pd_bootstrap_ratio(slow->samples, slow->nsamples, fast->samples, fast->nsamples,
                       PD_BOOTSTRAP_ROUNDS, 0.95, lo, hi);
}

/* Less than this is a scheduler's rounding, not a neighbour. */
#define STEAL_WORTH_SAYING_S 1.0

char *pd_lesson_steal_note(const pd_lesson_result *l)
{
    char t[32];
    if (!(l->stolen_s >= STEAL_WORTH_SAYING_S) ||
        pd_claims_count(&l->lesson, PD_CLAIM_NOT_CONFIRMED) == 0)
        return NULL;
    return pd_strdup_printf("while this lesson ran, the hypervisor gave %s of this machine's "
                            "CPU to other guests: threads, process pools and dask feel a "
                            "missing core first",
                            pd_fmt_seconds(l->stolen_s, t, sizeof t));
}

/* The size index holding n, or -1. */
static long size_index(const pd_lesson_result *l, uint64_t n)
{
    for (size_t i = 0; i < l->nsizes; i++)
        if (l->sizes[i].n == n)
            return (long)i;
    return -1;
}

/* Rule 1: the first claim about the part that names a size. */
static long claimed_size(const pd_lesson_result *l, const char *part)
{
    for (size_t c = 0; c < l->lesson.nclaims; c++) {
        const pd_claim *cl = &l->lesson.claims[c];
        long i;
        if (cl->n == 0 || strcmp(pd_variant_part(&l->lesson, cl->variant), part) != 0)
            continue;
        if ((i = size_index(l, cl->n)) >= 0)
            return i;
    }
    return -1;
}

long pd_speaking_size(const pd_lesson_result *l, size_t p)
{
    const char *part, *ref;
    long best = -1;
    size_t best_count = 0;
    int memory;

    if (p >= l->lesson.nparts)
        return -1;
    part = l->lesson.parts[p];
    ref = l->lesson.references[p];
    memory = l->lesson.focus && strcmp(l->lesson.focus, "memory") == 0;
    {
        long i = claimed_size(l, part);
        if (i >= 0)
            return i;
    }
    /* Rule 2. */
    for (size_t i = 0; i < l->nsizes; i++) {
        const pd_size_result *s = &l->sizes[i];
        size_t count = 0;
        int ref_ok = 0;
        for (size_t j = 0; j < s->nvariants; j++) {
            const pd_variant_result *v = &s->variants[j];
            if (!pd_variant_measured(v) ||
                strcmp(pd_variant_part(&l->lesson, v->name), part) != 0)
                continue;
            count++;
            ref_ok |= strcmp(v->name, ref) == 0;
        }
        /* A memory lesson speaks at its largest size with two variants to
         * compare: memory is never extrapolated, and small inputs bury it
         * under fixed overheads. */
        if (memory) count = count >= 2;
        if (ref_ok && count >= best_count) {
            best = (long)i;
            best_count = count;
        }
    }
    return best;
}

/* The first claim that compares two variants by a ratio. */
static const pd_claim *headline_claim(const pd_lesson *l)
{
    for (size_t c = 0; c < l->nclaims; c++) {
        const pd_claim *cl = &l->claims[c];
        if (cl->kind == PD_CLAIM_FASTER || cl->kind == PD_CLAIM_LESS_MEMORY)
            return cl;
    }
    return NULL;
}

int pd_lesson_headline(const pd_lesson_result *l, pd_headline *h)
{
    size_t mainp = pd_lesson_main_part(&l->lesson);
    const pd_claim *cl = headline_claim(&l->lesson);

    memset(h, 0, sizeof *h);
    h->ratio = NAN;
    h->size = -1;
    if (cl) {
        h->claim = cl;
        h->size = size_index(l, cl->n);
        h->ratio = cl->figure;
        h->memory = cl->kind == PD_CLAIM_LESS_MEMORY;
        return h->size >= 0 ? 0 : -1;
    }
    h->size = pd_speaking_size(l, mainp);
    if (h->size < 0)
        return -1;
    {
        const pd_size_result *s = &l->sizes[h->size];
        const char *part = l->lesson.nparts ? l->lesson.parts[mainp] : "";
        for (size_t j = 0; j < s->nvariants; j++) {
            const pd_variant_result *v = &s->variants[j];
            if (!pd_variant_measured(v) ||
                strcmp(pd_variant_part(&l->lesson, v->name), part) != 0)
                continue;
            if (!h->fast || v->stats.median < h->fast->stats.median) h->fast = v;
            if (!h->slow || v->stats.median > h->slow->stats.median) h->slow = v;
        }
    }
    if (!h->fast || h->fast == h->slow) {
        h->fast = h->slow = NULL;
        h->size = -1;
        return -1;
    }
    h->ratio = h->slow->stats.median / h->fast->stats.median;
    return 0;
}

size_t pd_claims_count(const pd_lesson *l, pd_claim_outcome o)
{
    size_t n = 0;
    for (size_t c = 0; c < l->nclaims; c++)
        n += l->claims[c].outcome == o;
    return n;
}
