/* pdlab show: a lesson's question, strong answer, signal and trivia tax,
 * then the last measured evidence: where it was measured, each claim's
 * outcome, the verdict, and the variants at the size that speaks (the same
 * rules as every other view: evidence.h). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "pdlab/evidence.h"
#include "pdlab/format.h"
#include "pdlab/lesson.h"
#include "pdlab/results.h"
#include "pdlab/verdict.h"

const pd_option pd_show_options[] = {
    {"results", "DIR", "read the evidence from this run directory, or from the newest run "
                       "under DIR that has the lesson (default: under $PDLAB_RESULTS, else "
                       "results/ beside the lessons directory, where `pdlab run` writes)"},
    {NULL, NULL, NULL},
};

typedef struct show_ctx {
    const char *lesson;
    const char *results; /* a run directory, or NULL for the newest */
} show_ctx;

/* The lesson with this id in a run (borrowed), or NULL. */
static const pd_lesson_result *lesson_in(const pd_run *run, const char *id)
{
    for (size_t i = 0; i < run->nlessons; i++)
        if (run->lessons[i].lesson.id && strcmp(run->lessons[i].lesson.id, id) == 0)
            return &run->lessons[i];
    return NULL;
}

static void print_variant(const pd_variant_result *v)
{
    char t[32], q[32], m[32], lo[32], hi[32], ratio[32], speed[96] = "-";
    int measured = pd_variant_measured(v);

    if (measured && !isnan(v->speedup_lo) && pd_speedup_is_noise(v))
        snprintf(speed, sizeof speed, "no measurable difference");
    else if (measured && !isnan(v->speedup_lo))
        snprintf(speed, sizeof speed, "%s [%s-%s]", pd_fmt_ratio(v->speedup, ratio, sizeof ratio),
                 pd_fmt_ratio(v->speedup_lo, lo, sizeof lo),
                 pd_fmt_ratio(v->speedup_hi, hi, sizeof hi));
    else if (measured || v->extrapolated)
        snprintf(speed, sizeof speed, "%s%s", v->speedup_extrapolated ? PD_EXTRAPOLATED_MARK : "",
                 pd_fmt_ratio(v->speedup, ratio, sizeof ratio));
    printf("    %-20s %-8s %10s ± %-9s %-26s %9s%s\n", v->name, pd_status_word(v->status),
           measured ? pd_fmt_seconds(v->stats.median, t, sizeof t) : "-",
           measured ? pd_fmt_seconds(v->stats.iqr, q, sizeof q) : "-", speed,
           v->status == PD_NOT_RUN ? pd_skip_word(v->skip)
                                   : pd_fmt_bytes((double)v->peak_bytes, m, sizeof m),
           v->peak_fresh ? " (alone, fresh process)" : "");
    for (unsigned f = 1; f & PD_UNSTABLE_ALL; f <<= 1)
        if (v->unstable & f) printf("        ! %s\n", pd_instability_word(f));
}

static void print_claims(const pd_lesson *l)
{
    if (l->nclaims == 0) return;
    printf("\n  Claims\n");
    for (size_t c = 0; c < l->nclaims; c++) {
        const pd_claim *cl = &l->claims[c];
        char *what = pd_claim_describe(cl);
        char *line = pd_strdup_printf("%s%s%s%s", what, cl->note ? " [" : "",
                                      cl->note ? cl->note : "", cl->note ? "]" : "");
        int col = printf("    %-13s ", cl->outcome == PD_CLAIM_NOT_CONFIRMED
                                            ? "NOT CONFIRMED"
                                            : pd_claim_outcome_word(cl->outcome));
        cli_print_wrapped_from(stdout, col, "                  ", line, 78);
        free(line);
        free(what);
    }
}

static void print_evidence(const pd_run *run, const pd_lesson_result *l, const char *file)
{
    size_t mainp = pd_lesson_main_part(&l->lesson);
    long i = pd_speaking_size(l, mainp);
    char count[32];

    printf("\nEvidence from %s\n", file);
    printf("  measured %s on %s (%d cores), Python %s, NumPy %s, pandas %s\n", run->started,
           run->machine.cpu, run->machine.cores, run->machine.python, run->machine.numpy,
           run->machine.pandas);
    print_claims(&l->lesson);
    {
        char *steal = pd_lesson_steal_note(l);
        if (steal) cli_print_wrapped(stdout, "    ", steal, 78);
        free(steal);
    }
    if (l->summary) {
        printf("\n  Verdict\n");
        cli_print_wrapped(stdout, "    ", l->summary, 78);
    }
    if (i < 0) return;
    printf("\n  at n = %s (median ± IQR, speedup over the slowest correct variant "
           "[95%% interval], peak memory):\n",
           pd_fmt_count(l->sizes[i].n, count, sizeof count));
    for (size_t j = 0; j < l->sizes[i].nvariants; j++) print_variant(&l->sizes[i].variants[j]);
    printf("\n  growth with n (time ~ n^k, fitted on log-log axes):\n");
    for (size_t k = 0; l->growth && k < l->lesson.nvariants; k++)
        if (l->growth[k].has_time)
            printf("    %-20s k = %.2f (r2 %.2f)\n", l->lesson.variants[k].name,
                   l->growth[k].time.exponent, l->growth[k].time.r2);
}

static void print_declaration(const pd_lesson *l)
{
    printf("%s\n\nQuestion\n", l->id);
    cli_print_wrapped(stdout, "  ", l->question, 78);
    printf("\nA strong answer\n");
    cli_print_wrapped(stdout, "  ", l->answer, 78);
    printf("\nWhat it signals\n");
    cli_print_wrapped(stdout, "  ", l->signal, 78);
    printf("\nTrivia tax: %s\n", l->trivia);
    if (l->columns && *l->columns)
        printf("\nColumns it needs (name=type; `pdlab run --columns` maps yours): %s\n",
               l->columns);
    printf("\nVariants (dataset %s):\n", l->dataset);
    for (size_t i = 0; i < l->nvariants; i++) {
        const pd_variant_info *v = &l->variants[i];
        const char *ref = pd_lesson_reference(l, v->part);
        printf("  %-24s %-12s %s%s\n", v->name, v->kind, v->doc,
               ref && strcmp(ref, v->name) == 0 ? "  [reference]" : "");
    }
}

/* A run directory holds results.json; a results root holds runs. */
static int run_dir(const char *dir)
{
    char *path = pd_strdup_printf("%s/results.json", dir);
    int yes = access(path, F_OK) == 0;
    free(path);
    return yes;
}

static int show_body(void *ctx, pd_err *e)
{
    show_ctx *s = ctx;
    char path[4096], results[4096];
    pd_lesson l;
    pd_run run;
    int rc = PD_EXIT_OK, have;

    if (pd_lesson_resolve(s->lesson, path, sizeof path, e) < 0) return cli_fail(e);
    if (pd_lesson_load(path, &l, e) < 0) {
        pd_lesson_free(&l);
        return cli_fail(e);
    }
    print_declaration(&l);
    if (s->results && run_dir(s->results)) {
        snprintf(results, sizeof results, "%s/results.json", s->results);
        have = pd_results_read(results, &run, e) == 0;
        if (!have) rc = cli_fail(e);
    } else {
        char *root = s->results ? pd_strdup(s->results) : pd_results_root();
        have = pd_results_newest_with(root, l.id, &run, results, sizeof results) == 0;
        /* The lesson as it was named: a path works from here, as typed. */
        if (!have)
            printf("\nNo measured evidence yet under %s: run `pdlab run %s`.\n", root,
                   strchr(s->lesson, '/') || strstr(s->lesson, ".py") ? s->lesson : l.id);
        free(root);
    }
    if (have) {
        const pd_lesson_result *lr = lesson_in(&run, l.id);
        if (lr) print_evidence(&run, lr, results);
        else printf("\nNo evidence for %s in %s.\n", l.id, results);
        pd_run_free(&run);
    }
    pd_lesson_free(&l);
    return rc;
}

int pd_cmd_show(const pd_command *cmd, int argc, char **argv)
{
    cli_parsed p;
    show_ctx s;
    int rc = cli_parse(cmd, argc, argv, &p);
    if (rc) return rc;
    if (p.help) return cli_print_help(cmd), PD_EXIT_OK;
    if (p.argc != 1) return cli_usage_error(cmd, "%s", "give exactly one LESSON");
    s.lesson = p.argv[0];
    s.results = cli_opt(cmd, &p, "results");
    /* No interpreter here: the declaration is read in a worker. */
    {
        pd_err e = {0};
        return show_body(&s, &e);
    }
}
