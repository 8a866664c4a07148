/* Curves a lesson asked for (pdlab.curve: precision and recall against the
 * threshold, loss against seconds), drawn from the curves its variants'
 * results carry: one chart per title, one line per variant and series,
 * marked points labelled. See plots/plot_int.h; the look is
 * plots/curves.gp. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

/* Calls fn on each curve of the lesson titled `title`, with the variant
 * that drew it. */
static void each_curve(const pd_lesson_result *l, const char *title,
                       void (*fn)(void *, const pd_variant_result *, const pd_curve *),
                       void *arg)
{
    for (size_t i = 0; i < l->nsizes; i++)
        for (size_t j = 0; j < l->sizes[i].nvariants; j++) {
            const pd_variant_result *v = &l->sizes[i].variants[j];
            for (size_t c = 0; c < v->ncurves; c++)
                if (strcmp(v->curves[c].title, title) == 0) fn(arg, v, &v->curves[c]);
        }
}

const char *pd_curve_title(const pd_lesson_result *l, size_t k)
{
    const char *seen[64];
    size_t nseen = 0;

    for (size_t i = 0; i < l->nsizes; i++)
        for (size_t j = 0; j < l->sizes[i].nvariants; j++) {
            const pd_variant_result *v = &l->sizes[i].variants[j];
            for (size_t c = 0; c < v->ncurves && nseen < 64; c++) {
                size_t s = 0;
                while (s < nseen && strcmp(seen[s], v->curves[c].title) != 0) s++;
                if (s < nseen) continue;
                if (nseen == k) return v->curves[c].title;
                seen[nseen++] = v->curves[c].title;
            }
        }
    return NULL;
}

char *pd_curve_kind(size_t k)
{
    return pd_strdup_printf("curve%zu", k + 1);
}

/* What a curve chart draws, gathered across the variants. */
typedef struct curves_data {
    pd_buf data, vars;
    size_t nser, nmarks;
    int lt;
    const pd_curve *first; /* axes and scales come from the first curve */
} curves_data;

static void add_curve(void *arg, const pd_variant_result *v, const pd_curve *c)
{
    curves_data *d = arg;
    char *title;

    if (!d->first) d->first = c;
    for (size_t s = 0; s < c->nseries; s++) {
        const pd_series *ser = &c->series[s];
        if (ser->n == 0) continue;
        for (size_t i = 0; i < ser->n; i++) {
            pd_gp_num(&d->data, ser->x[i]);
            pd_buf_puts(&d->data, " ");
            pd_gp_num(&d->data, ser->y[i]);
            pd_buf_puts(&d->data, "\n");
        }
        pd_buf_puts(&d->data, "\n\n");
        d->nser++;
        /* One variant's several series are told apart by their labels,
         * several variants' single series by the variant's name. */
        title = c->nseries > 1 ? pd_strdup_printf("%s: %s", v->name, ser->label)
                               : pd_strdup(v->name);
        pd_buf_printf(&d->vars, "ser_title[%zu] = ", d->nser);
        pd_gp_quote(&d->vars, title);
        pd_buf_printf(&d->vars, "\nser_lt[%zu] = %d\n", d->nser, (d->lt++ % 10) + 1);
        free(title);
    }
    for (size_t m = 0; m < c->nmarks; m++) {
        const pd_mark *mk = &c->marks[m];
        if (!isfinite(mk->x) || !isfinite(mk->y)) continue;
        d->nmarks++;
        pd_buf_printf(&d->vars, "mark_x[%zu] = ", d->nmarks);
        pd_gp_num(&d->vars, mk->x);
        pd_buf_printf(&d->vars, "\nmark_y[%zu] = ", d->nmarks);
        pd_gp_num(&d->vars, mk->y);
        pd_buf_printf(&d->vars, "\nmark_label[%zu] = ", d->nmarks);
        pd_gp_quote(&d->vars, mk->label ? mk->label : "");
        pd_buf_puts(&d->vars, "\n");
    }
}

/* Counts the series and marks first: gnuplot arrays are declared with
 * their size before they are filled. */
static void count_curve(void *arg, const pd_variant_result *v, const pd_curve *c)
{
    size_t *n = arg;
    (void)v;
    n[0] += c->nseries;
    n[1] += c->nmarks;
}

int pd_plot_curves(const char *gnuplot, const char *charts_dir,
                   const pd_lesson_result *l, size_t k, FILE *listing, pd_err *e)
{
    const char *title = pd_curve_title(l, k);
    curves_data d = {0};
    size_t counts[2] = {0, 0};
    pd_buf vars = {0};
    char *kind, *stem;
    int rc;

    if (!title) PD_BUG("lesson %s has no curve %zu", l->lesson.id, k);
    each_curve(l, title, count_curve, counts);
    each_curve(l, title, add_curve, &d);
    pd_buf_printf(&vars, "chart_w = %d\nchart_h = %d\n", PD_CHART_W,
                  540 + 20 * pd_gp_title(&vars, title));
    pd_buf_printf(&vars, "logx = %d\nlogy = %d\nnser = %zu\nnmarks = %zu\n"
                  "array ser_title[%zu]\narray ser_lt[%zu]\narray mark_x[%zu]\n"
                  "array mark_y[%zu]\narray mark_label[%zu]\n",
                  d.first->logx, d.first->logy, d.nser, d.nmarks, counts[0] + 1,
                  counts[0] + 1, counts[1] + 1, counts[1] + 1, counts[1] + 1);
    pd_buf_puts(&vars, "xlabel_text = ");
    pd_gp_quote(&vars, d.first->xlabel ? d.first->xlabel : "");
    pd_buf_puts(&vars, "\nylabel_text = ");
    pd_gp_quote(&vars, d.first->ylabel ? d.first->ylabel : "");
    pd_buf_puts(&vars, "\n");
    pd_buf_puts(&vars, pd_buf_str(&d.vars));
    kind = pd_curve_kind(k);
    stem = pd_chart_stem(l->lesson.id, kind);
    rc = pd_gp_draw(gnuplot, charts_dir, stem, &vars, pd_gp_curves, &d.data, listing, e);
    free(stem);
    free(kind);
    pd_buf_free(&vars);
    pd_buf_free(&d.vars);
    pd_buf_free(&d.data);
    return rc;
}
