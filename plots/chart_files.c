/* Which charts a lesson gets, what their files are called, and the
 * lookups of a variant's time that the charts share (the line charts and
 * the bars alike). */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/fileio.h"
#include "pdlab/plot.h"
#include "pdlab/results.h"
#include "plot_int.h"


int pd_variant_extrapolated(const pd_variant_result *v)
{
    return v && v->status == PD_NOT_RUN && v->extrapolated && v->stats.median > 0;
}

double pd_variant_time(const pd_variant_result *v)
{
    return pd_variant_measured(v) || pd_variant_extrapolated(v) ? v->stats.median
                                                                : NAN;
}

int pd_chart_expected(const pd_lesson_result *l, const char *kind)
{
    if (strcmp(kind, "speedup") == 0)
        return pd_speaking_size(l, pd_lesson_main_part(&l->lesson)) >= 0;
    for (size_t i = 0; i < l->nsizes; i++) {
        for (size_t j = 0; j < l->sizes[i].nvariants; j++) {
            const pd_variant_result *v = &l->sizes[i].variants[j];
            if (strcmp(kind, "time") == 0 && pd_variant_time(v) > 0)
                return 1;
            if (strcmp(kind, "memory") == 0 && v->status == PD_OK
                && v->peak_bytes >= 0)
                return 1;
        }
    }
    return 0;
}

/* The lesson id with anything but letters, digits, '_', '-' and inner dots
 * made '_', so an id from a hand-edited results.json cannot climb out of
 * the charts directory or start with '-' (read as an option by gnuplot). */
char *pd_chart_stem(const char *id, const char *kind)
{
    char *safe, *stem;

    if (!id) return pd_strdup(kind);
    safe = pd_strdup(*id ? id : "lesson");
    for (char *p = safe; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                 || (*p >= '0' && *p <= '9') || *p == '_'
                 || (p > safe && (*p == '-' || *p == '.'));
        if (!ok) *p = '_';
    }
    stem = pd_strdup_printf("%s-%s", safe, kind);
    free(safe);
    return stem;
}

char *pd_chart_path(const char *dir, const char *id, const char *kind,
                    const char *ext)
{
    char *stem = pd_chart_stem(id, kind);
    char *path = pd_strdup_printf("%s/charts/%s.%s", dir, stem, ext);
    free(stem);
    return path;
}

