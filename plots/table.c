/* The terminal view of results: human units and one aligned table per
 * lesson and size, then notes (warnings, mismatches, failures) and the
 * summary sentence.
 *
 * Sections:
 *   cells      a row of text cells, display widths, padding
 *   table      pd_table_print_lesson
 *
 * Plain ASCII apart from "µ", which is two bytes but one column: widths are
 * counted in characters, not bytes, so columns stay aligned.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/format.h"
#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "pdlab/stats.h"
#include "pdlab/evidence.h"
#include "pdlab/table.h"
#include "pdlab/verdict.h"


/* ---------------------------------------------------------------------
 * Cells
 * ------------------------------------------------------------------ */

/* Marks a peak measured alone in a fresh process (what memory claims use). */
#define FRESH_MARK "*"

enum { COL_VARIANT, COL_KIND, COL_TIME, COL_SPREAD, COL_SPEEDUP, COL_PEAK,
       COL_PYPEAK, COL_CORRECT, NCOLS };

/* Right-aligned columns hold numbers. */
static const int right_aligned[NCOLS] = {0, 0, 1, 1, 1, 1, 1, 0};
static const char *const headings[NCOLS] = {
    "variant", "kind", "time", "± IQR", "speedup", "peak RSS", "py peak", "correct?",
};



#define CELL_MAX 96

typedef struct row {
    char cell[NCOLS][CELL_MAX];
} row;

/* Columns on a terminal of the first n bytes of s: UTF-8 continuation
 * bytes take none. */
static size_t span_width(const char *s, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < n && s[i]; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

static size_t display_width(const char *s)
{
    return span_width(s, strlen(s));
}

static void print_row(FILE *out, const row *r, const size_t *width)
{
    fputs("  ", out);
    for (int c = 0; c < NCOLS; c++) {
        size_t pad = width[c] - display_width(r->cell[c]);
        if (right_aligned[c])
            fprintf(out, "%*s%s", (int)pad, "", r->cell[c]);
        else if (c == NCOLS - 1)
            fputs(r->cell[c], out); /* no trailing blanks */
        else
            fprintf(out, "%s%*s", r->cell[c], (int)pad, "");
        fputs(c == NCOLS - 1 ? "\n" : "  ", out);
    }
}

/* Correctness first: a time is shown only for a result that matched the
 * reference; anything else shows its status where the speedup would be. */
static void fill_row(row *r, const pd_variant_result *v)
{
    int correct = v->status == PD_OK;
    int timed = correct && v->nsamples > 0 && v->stats.n > 0;
    char t[48];

    snprintf(r->cell[COL_VARIANT], CELL_MAX, "%s", v->name ? v->name : "?");
    snprintf(r->cell[COL_KIND], CELL_MAX, "%s", v->kind ? v->kind : "");
    if (v->extrapolated) {
        snprintf(r->cell[COL_TIME], CELL_MAX, PD_EXTRAPOLATED_MARK "%s",
                 pd_fmt_seconds(v->stats.median, t, sizeof t));
        snprintf(r->cell[COL_SPREAD], CELL_MAX, "%s", pd_skip_word(v->skip));
    } else {
        pd_fmt_seconds(timed ? v->stats.median : NAN, t, sizeof t);
        /* "!": the samples failed a stability check, named in the notes. */
        snprintf(r->cell[COL_TIME], CELL_MAX, "%s%s", v->unstable ? "!" : "", t);
        if (timed)
            snprintf(r->cell[COL_SPREAD], CELL_MAX, "± %s",
                     pd_fmt_seconds(v->stats.iqr, t, sizeof t));
        else
            snprintf(r->cell[COL_SPREAD], CELL_MAX, "-");
    }
    if (correct && !isnan(v->speedup_lo) && pd_speedup_is_noise(v))
        snprintf(r->cell[COL_SPEEDUP], CELL_MAX, "no diff");
    else if (correct || v->extrapolated)
        snprintf(r->cell[COL_SPEEDUP], CELL_MAX, "%s%s",
                 v->speedup_extrapolated ? PD_EXTRAPOLATED_MARK : "",
                 pd_fmt_ratio(v->speedup, t, sizeof t));
    else
        snprintf(r->cell[COL_SPEEDUP], CELL_MAX, "%s", pd_status_phrase(v->status));
    /* 0 is a measurement (nothing held past a page), -1 is none. */
    if (v->status != PD_NOT_RUN && v->peak_bytes >= 0 && v->peak_bytes < 4096)
        snprintf(r->cell[COL_PEAK], CELL_MAX, "<4 KiB");
    else
        pd_fmt_bytes(v->status == PD_NOT_RUN ? 0 : (double)v->peak_bytes,
                     r->cell[COL_PEAK], CELL_MAX);
    if (v->peak_fresh)
        strncat(r->cell[COL_PEAK], FRESH_MARK, CELL_MAX - strlen(r->cell[COL_PEAK]) - 1);
    pd_fmt_bytes(v->status == PD_NOT_RUN ? 0 : (double)v->py_peak_bytes,
                 r->cell[COL_PYPEAK], CELL_MAX);
    snprintf(r->cell[COL_CORRECT], CELL_MAX, "%s",
             correct ? "yes" : v->status == PD_WRONG ? "NO" : "-");
}

/* ---------------------------------------------------------------------
 * Table
 * ------------------------------------------------------------------ */

/* Group of a measured variant: the index of its part in the lesson, or
 * nparts when the lesson does not declare it. */
static size_t group_of(const pd_lesson *l, const char *name)
{
    int k = name ? pd_lesson_variant_index(l, name) : -1;

    if (k >= 0 && l->variants[k].part)
        for (size_t p = 0; p < l->nparts; p++)
            if (l->parts[p] && strcmp(l->parts[p], l->variants[k].part) == 0)
                return p;
    return l->nparts;
}

static void print_size(FILE *out, const pd_lesson_result *l,
                       const pd_size_result *s)
{
    const pd_lesson *d = &l->lesson;
    size_t width[NCOLS] = {0}, mainp = pd_lesson_main_part(d);
    row *rows = pd_xcalloc(s->nvariants + 1, sizeof *rows);
    char count[32], t[32];

    pd_fmt_count(s->n, count, sizeof count);
    fprintf(out, "%s  n = %s", d->id ? d->id : "?", count);
    if (s->load_s > 0 && isfinite(s->load_s)) {
        double mbs = (double)s->load_bytes / s->load_s / 1e6;
        fprintf(out, "   (load %s, %.*f MB/s)",
                pd_fmt_seconds(s->load_s, t, sizeof t), mbs < 10 ? 1 : 0,
                mbs);
    }
    fputs("\n", out);

    for (int c = 0; c < NCOLS; c++)
        snprintf(rows[0].cell[c], CELL_MAX, "%s", headings[c]);
    for (size_t j = 0; j < s->nvariants; j++)
        fill_row(&rows[j + 1], &s->variants[j]);
    for (size_t j = 0; j <= s->nvariants; j++)
        for (int c = 0; c < NCOLS; c++) {
            size_t w = display_width(rows[j].cell[c]);
            if (w > width[c])
                width[c] = w;
        }

    print_row(out, &rows[0], width);
    /* The main part first, then the others under a heading each, then any
     * variant the declaration does not know (group nparts). */
    for (size_t g = 0; g <= d->nparts; g++) {
        size_t part = g == d->nparts ? d->nparts
                    : g == 0         ? mainp
                    : g <= mainp     ? g - 1 : g;
        int headed = 0;
        for (size_t j = 0; j < s->nvariants; j++) {
            if (group_of(d, s->variants[j].name) != part)
                continue;
            if (!headed && g > 0 && part < d->nparts)
                fprintf(out, "  part %s:\n", d->parts[part]);
            headed = 1;
            print_row(out, &rows[j + 1], width);
        }
    }
    for (size_t j = 0; j < s->nvariants; j++)
        if (!isnan(s->variants[j].speedup_lo) && pd_speedup_is_noise(&s->variants[j])) {
            fputs("  no diff: the 95% interval of the speedup holds 1, no measurable "
                  "difference\n", out);
            break;
        }
    for (size_t j = 0; j < s->nvariants; j++)
        if (s->variants[j].peak_fresh) {
            fputs("  " FRESH_MARK " peak measured with the variant alone in a fresh process, "
                  "above that process's resident set before the call\n", out);
            break;
        }
    for (size_t j = 0; j < s->nvariants; j++)
        if (s->variants[j].speedup_extrapolated) {
            fputs("  " PD_EXTRAPOLATED_MARK " extrapolated from the growth fitted over the sizes "
                  "it ran at: not measured here\n", out);
            break;
        }
    free(rows);
}

/* Steps *p past the next line of text; its start and length go to *line
 * and *len. 0 at the end of the text. */
static int next_line(const char **p, const char **line, size_t *len)
{
    if (!*p || !**p)
        return 0;
    *line = *p;
    *len = strcspn(*p, "\n");
    *p += *len;
    *p += **p == '\n';
    return 1;
}

/* One line of an error: the first, except in a Python traceback, whose
 * useful line is the exception at its end (the last line not indented);
 * the whole text is in results.json. */
static void print_error_line(FILE *out, const char *text)
{
    const char *p = text, *line, *pick = text;
    size_t len, pick_len = strcspn(text, "\n");

    if (strncmp(text, "Traceback (most recent call last)", 33) == 0)
        while (next_line(&p, &line, &len))
            if (len > 0 && line[0] != ' ') {
                pick = line;
                pick_len = len;
            }
    fprintf(out, "%.*s", (int)pick_len, pick);
}

/* The observation and the profile of a variant at the largest size that
 * has them: the numbers the lesson wants seen besides time. */
static void print_last_texts(FILE *out, const pd_lesson_result *l, const char *name)
{
    const pd_variant_result *obs = NULL, *prof = NULL;
    uint64_t obs_n = 0, prof_n = 0;
    char count[32];
    const char *p, *line;
    size_t len;

    for (size_t i = 0; i < l->nsizes; i++)
        for (size_t j = 0; j < l->sizes[i].nvariants; j++) {
            const pd_variant_result *v = &l->sizes[i].variants[j];
            if (!v->name || strcmp(v->name, name) != 0) continue;
            if (v->observation) obs = v, obs_n = l->sizes[i].n;
            if (v->profile) prof = v, prof_n = l->sizes[i].n;
        }
    if (obs)
        fprintf(out, "  %s at n = %s: %s\n", name, pd_fmt_count(obs_n, count, sizeof count),
                obs->observation);
    if (prof) {
        fprintf(out, "  %s, profiled once at n = %s:\n", name,
                pd_fmt_count(prof_n, count, sizeof count));
        for (p = prof->profile; next_line(&p, &line, &len);)
            fprintf(out, "    %.*s\n", (int)len, line);
    }
}

/* Beneath the tables, per variant at the first size it happened: its
 * warnings, why it was wrong, how it failed. Repeating them for every size
 * would bury them. */
static void print_notes(FILE *out, const pd_lesson_result *l)
{
    const pd_lesson *d = &l->lesson;
    char count[32];

    if (l->error) {
        fputs("  lesson error: ", out);
        print_error_line(out, l->error);
        fputs(" (see results.json)\n", out);
    }
    for (size_t k = 0; k < d->nvariants; k++) {
        const char *name = d->variants[k].name;
        int warned = 0, wrong = 0, failed = 0, unstable = 0, cold = 0;
        const char *p, *line;
        size_t len;

        for (size_t i = 0; i < l->nsizes; i++) {
            const pd_size_result *s = &l->sizes[i];
            for (size_t j = 0; j < s->nvariants; j++) {
                const pd_variant_result *v = &s->variants[j];
                if (!v->name || strcmp(v->name, name) != 0)
                    continue;
                pd_fmt_count(s->n, count, sizeof count);
                if (!warned && v->warnings && *v->warnings) {
                    for (p = v->warnings; next_line(&p, &line, &len);)
                        if (len > 0)
                            fprintf(out, "  %s: warning: %.*s\n", name,
                                    (int)len, line);
                    warned = 1;
                }
                if (!wrong && v->status == PD_WRONG) {
                    /* The mismatch may list several differences: the
                     * lines after the first are indented beneath it. */
                    fprintf(out, "  %s: WRONG at n = %s: ", name, count);
                    p = v->mismatch ? v->mismatch
                                    : "result differs from the reference";
                    for (int first = 1; next_line(&p, &line, &len); first = 0)
                        fprintf(out, "%s%.*s\n", first ? "" : "    ",
                                (int)len, line);
                    wrong = 1;
                }
                if (!unstable && v->unstable) {
                    fprintf(out, "  %s: ! unstable at n = %s:", name, count);
                    for (unsigned f = 1; f & PD_UNSTABLE_ALL; f <<= 1)
                        if (v->unstable & f)
                            fprintf(out, " %s;", pd_instability_word(f));
                    fputs("\n", out);
                    unstable = 1;
                }
                if (!cold && v->status == PD_OK && v->stats.n &&
                    v->first_call_s > 2 * v->stats.median &&
                    v->first_call_s - v->stats.median > 1e-3) {
                    char a[32], b[32];
                    fprintf(out, "  %s: first call %s against %s steady at n = %s "
                            "(imports, caches, lazy set-up)\n", name,
                            pd_fmt_seconds(v->first_call_s, a, sizeof a),
                            pd_fmt_seconds(v->stats.median, b, sizeof b), count);
                    cold = 1;
                }
                if (!failed && v->status != PD_OK && v->status != PD_WRONG &&
                    v->status != PD_NOT_RUN) {
                    fprintf(out, "  %s: %s at n = %s", name,
                            pd_status_word(v->status), count);
                    if (v->error && *v->error) {
                        fputs(": ", out);
                        print_error_line(out, v->error);
                        fputs(" (see results.json)", out);
                    }
                    fputs("\n", out);
                    failed = 1;
                }
            }
        }
        print_last_texts(out, l, name);
    }
}

/* The sentence, wrapped at word boundaries to fit a terminal; the lines
 * after the first are indented under the text, not the lead. */
static void print_wrapped(FILE *out, const char *lead, const char *text)
{
    enum { WIDTH = 78 };
    size_t col = display_width(lead), indent = col;

    fputs(lead, out);
    text += strspn(text, " ");
    while (*text) {
        size_t n = strcspn(text, " "), w = span_width(text, n);
        if (col > indent && col + 1 + w > WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)n, text);
        col += w;
        text += n;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

/* One line per claim, its outcome first so a column of words shows at a
 * glance what the run confirmed. */
static void print_claims(FILE *out, const pd_lesson *d)
{
    char text[1024], lead[32];

    fputs("  claims:\n", out);
    for (size_t c = 0; c < d->nclaims; c++) {
        const pd_claim *cl = &d->claims[c];
        char *what = pd_claim_describe(cl);
        const char *word = cl->outcome == PD_CLAIM_NOT_CONFIRMED ? "NOT CONFIRMED"
                         : pd_claim_outcome_word(cl->outcome);
        snprintf(text, sizeof text, "%s%s%s%s", what, cl->note ? " [" : "",
                 cl->note ? cl->note : "", cl->note ? "]" : "");
        snprintf(lead, sizeof lead, "    %-13s ", word);
        print_wrapped(out, lead, text);
        free(what);
    }
}

/* Prints every size's table, the notes, and the claims' outcomes (or,
 * for a lesson without claims, the summary sentence) to out. */
void pd_table_print_lesson(FILE *out, const pd_lesson_result *l)
{
    for (size_t i = 0; i < l->nsizes; i++) {
        print_size(out, l, &l->sizes[i]);
        fputc('\n', out);
    }
    if (l->nsizes == 0)
        fprintf(out, "%s: no size was measured\n",
                l->lesson.id ? l->lesson.id : "?");
    print_notes(out, l);
    if (l->lesson.nclaims) {
        char *steal = pd_lesson_steal_note(l);
        print_claims(out, &l->lesson);
        if (steal) print_wrapped(out, "  ", steal);
        free(steal);
    } else if (l->summary)
        print_wrapped(out, "  => ", l->summary);
}

void pd_table_print_breakdown(FILE *out, const pd_run *r)
{
    pd_breakdown b;
    char t[32];
    pd_run_breakdown(r, &b);
    const struct { const char *what; double s; } rows[] = {
        {"worker start-up (Python, pandas, the lesson file)", b.startup},
        {"making datasets and CSV files", b.datasets},
        {"loading data (HDF5 to DataFrame)", b.load},
        {"first calls, verification, memory, profiles", b.checks},
        {"calibrating calls per sample", b.calibration},
        {"timed samples", b.sampling},
        {"the rest (harness, process exits)", b.other},
    };
    fprintf(out, "noise floor: the clock steps by %.0f ns; the harness costs %.0f ns per timed "
            "call\n", r->clock_step_ns, r->call_overhead_ns);
    fprintf(out, "where the time went (%s):\n", pd_fmt_seconds(b.total, t, sizeof t));
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fprintf(out, "  %-50s %9s  %3.0f%%\n", rows[i].what,
                pd_fmt_seconds(rows[i].s, t, sizeof t),
                b.total > 0 ? 100 * rows[i].s / b.total : 0);
    if (r->stolen_s >= 0.5)
        fprintf(out, "meanwhile the hypervisor gave %s of this machine's CPU to other guests "
                "(steal)\n", pd_fmt_seconds(r->stolen_s, t, sizeof t));
}
