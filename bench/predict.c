/* pdlab run --predict: the learner says how big the difference will be
 * before anything is measured, and sees afterwards how far off it was. The
 * prompt names the two answers the lesson's first claim compares, never
 * which one wins by how much. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/result.h"

/* "50", "50x": a factor above 0; -1 otherwise. */
int cli_parse_factor(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end != s && (*end == 'x' || *end == 'X')) end++;
    return end == s || *end || !(*out > 0) ? -1 : 0;
}

/* The first claim comparing two answers, as the prediction is about. */
static const pd_claim *compared(const pd_lesson *l)
{
    for (size_t i = 0; i < l->nclaims; i++)
        if (l->claims[i].kind == PD_CLAIM_FASTER || l->claims[i].kind == PD_CLAIM_LESS_MEMORY)
            return &l->claims[i];
    return NULL;
}

int cli_predict_ask(const pd_lesson *l, const char *given, double *factor)
{
    const pd_claim *c = compared(l);
    char line[64], n[32];
    if (c == NULL) return -1;
    fprintf(stderr, "%s\nPredict: at %s rows, how many times %s will %s be than %s? ",
            l->question, pd_fmt_count(c->n, n, sizeof n),
            c->kind == PD_CLAIM_LESS_MEMORY ? "less memory" : "faster", c->variant, c->other);
    if (given) {
        fprintf(stderr, "%s\n", given);
        return cli_parse_factor(given, factor);
    }
    fflush(stderr);
    if (fgets(line, sizeof line, stdin) == NULL) return -1;
    line[strcspn(line, "\r\n")] = '\0';
    if (!isatty(STDIN_FILENO)) fprintf(stderr, "%s\n", line); /* as a terminal would echo it */
    return cli_parse_factor(line, factor);
}

/* Only after the run, with the evidence in: what a strong candidate says. */
static void strong_answer(FILE *out, const pd_lesson_result *lr)
{
    if (lr->lesson.answer == NULL) return;
    fprintf(out, "the strong answer: ");
    cli_print_wrapped_from(out, 19, "  ", lr->lesson.answer, 78);
}

void cli_predict_report(FILE *out, const pd_lesson_result *lr, double predicted)
{
    const pd_claim *c = compared(&lr->lesson);
    char p[32], m[32];
    double off;
    if (c == NULL || !isfinite(c->figure)) {
        fprintf(out, "prediction: %s; the run did not measure the figure it was about\n",
                pd_fmt_ratio(predicted, p, sizeof p));
        strong_answer(out, lr);
        return;
    }
    off = c->figure > predicted ? c->figure / predicted : predicted / c->figure;
    fprintf(out, "prediction: %s, measured %s (%s vs %s): off by a factor of %.1f%s\n",
            pd_fmt_ratio(predicted, p, sizeof p), pd_fmt_ratio(c->figure, m, sizeof m),
            c->variant, c->other, off, off < 2 ? ", close" : "");
    strong_answer(out, lr);
}
