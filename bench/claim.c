/* Claims as declared: words, freeing, and what a claim needs measured. It
 * uses nothing but the base, so the lesson reader can. Checking claims
 * against a run is bench/claim_check.c. See include/pdlab/claim.h. */

#include <stdlib.h>
#include <string.h>

#include "pdlab/claim.h"
#include "pdlab/format.h"

void pd_claim_free(pd_claim *c)
{
    if (!c)
        return;
    free(c->variant);
    free(c->other);
    free(c->warning);
    free(c->statistic);
    free(c->note);
    memset(c, 0, sizeof *c);
}

/* No default: -Wswitch names a kind nobody gave a word. The words are the
 * names of the functions a lesson declares claims with (pdlab.faster...). */
static const char *kind_name(int k)
{
    switch ((pd_claim_kind)k) {
    case PD_CLAIM_FASTER:       return "faster";
    case PD_CLAIM_SIMILAR:      return "similar";
    case PD_CLAIM_GROWTH:       return "growth";
    case PD_CLAIM_LESS_MEMORY:  return "less_memory";
    case PD_CLAIM_MEMORY_FLAT:  return "memory_flat";
    case PD_CLAIM_MEMORY_GROWS: return "memory_grows";
    case PD_CLAIM_WRONG:        return "wrong";
    case PD_CLAIM_FAILS:        return "fails";
    case PD_CLAIM_STATISTIC:    return "statistic";
    case PD_CLAIM_STATISTIC_RATIO: return "statistic_ratio";
    }
    return NULL;
}

static const char *outcome_name(int o)
{
    switch ((pd_claim_outcome)o) {
    case PD_CLAIM_UNDECIDED:     return "undecided";
    case PD_CLAIM_CONFIRMED:     return "confirmed";
    case PD_CLAIM_NOT_CONFIRMED: return "not confirmed";
    case PD_CLAIM_NOT_MEASURED:  return "not measured";
    }
    return NULL;
}

const char *pd_claim_kind_word(pd_claim_kind k)
{
    const char *w = kind_name(k);
    return w ? w : "unknown";
}

const char *pd_claim_outcome_word(pd_claim_outcome o)
{
    const char *w = outcome_name(o);
    return w ? w : "unknown";
}

int pd_claim_kind_parse(const char *word, pd_claim_kind *out)
{
    int i = pd_word_index(word, kind_name);
    if (i >= 0) *out = (pd_claim_kind)i;
    return i < 0 ? -1 : 0;
}

int pd_claim_outcome_parse(const char *word, pd_claim_outcome *out)
{
    int i = pd_word_index(word, outcome_name);
    if (i >= 0) *out = (pd_claim_outcome)i;
    return i < 0 ? -1 : 0;
}

int pd_claim_is_memory(const pd_claim *c)
{
    return c->kind == PD_CLAIM_LESS_MEMORY || c->kind == PD_CLAIM_MEMORY_FLAT ||
           c->kind == PD_CLAIM_MEMORY_GROWS;
}

static int names(const pd_claim *c, const char *variant)
{
    return strcmp(c->variant, variant) == 0 ||
           (c->other && strcmp(c->other, variant) == 0);
}

int pd_claim_needs(const pd_claim *c, const char *variant, uint64_t n)
{
    if (!names(c, variant))
        return 0;
    switch (c->kind) {
    case PD_CLAIM_GROWTH:
    case PD_CLAIM_WRONG:
        return c->n == 0 || c->n == n;
    case PD_CLAIM_MEMORY_FLAT:
    case PD_CLAIM_MEMORY_GROWS:
        return n == c->n || n == c->n_from;
    case PD_CLAIM_FASTER:
    case PD_CLAIM_SIMILAR:
    case PD_CLAIM_LESS_MEMORY:
    case PD_CLAIM_FAILS:
    case PD_CLAIM_STATISTIC:
    case PD_CLAIM_STATISTIC_RATIO:
        return n == c->n;
    }
    return 0;
}

int pd_claim_needs_samples(const pd_claim *c, const char *variant, uint64_t n)
{
    return (c->kind == PD_CLAIM_FASTER || c->kind == PD_CLAIM_SIMILAR) &&
           pd_claim_needs(c, variant, n);
}

int pd_claim_needs_fresh_peak(const pd_claim *c, const char *variant, uint64_t n)
{
    return pd_claim_is_memory(c) && pd_claim_needs(c, variant, n);
}
