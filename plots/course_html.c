/* The summary of a course check as one HTML page in the report's style:
 * the page frame and styles of html.c, a card per learner. */

#include <math.h>
#include <string.h>

#include "pdlab/course.h"
#include "pdlab/fileio.h"
#include "plot_int.h"

static const char course_style[] =
    "<style>\n"
    "table.course td.passed{color:#1e6b34;font-weight:700}\n"
    "table.course td.failed{color:var(--bad);font-weight:700}\n"
    "table.course .why{display:block;font-size:12.5px;color:var(--muted);overflow-wrap:anywhere}\n"
    "</style>\n";

static void mark_row(pd_buf *b, const char *lesson, const pd_course_mark *m)
{
    char r[32];
    pd_buf_puts(b, "<tr><td>");
    pd_html_escape(b, lesson);
    pd_buf_printf(b, "</td><td class=\"%s\">", m->passed ? "passed" : "failed");
    pd_html_escape(b, m->grade);
    if (m->why) pd_html_wrap(b, "<span class=\"why\">", m->why, "</span>");
    pd_buf_printf(b, "</td><td class=\"num\">%s</td><td class=\"%s\">%s</td></tr>\n",
                  isfinite(m->vs_slow) ? pd_fmt_ratio(m->vs_slow, r, sizeof r) : "-",
                  m->passed ? "passed" : "failed", m->passed ? "yes" : "no");
}

static void learner_card(pd_buf *b, const pd_course_summary *s, size_t i)
{
    const pd_course *c = s->course;
    pd_buf_printf(b, "<section class=\"card learner\" id=\"learner-%zu\">\n<h2>", i + 1);
    pd_html_escape(b, s->learners[i]);
    pd_buf_printf(b, "</h2>\n<p class=\"sub\">%zu of %zu lessons passed</p>\n",
                  pd_course_passed(s, i), c->nlessons);
    pd_buf_puts(b, "<div class=\"tablewrap\"><table class=\"res course\">\n<tr><th>lesson</th>"
                   "<th>result</th><th class=\"num\">speedup</th><th>passed</th></tr>\n");
    for (size_t j = 0; j < c->nlessons; j++)
        mark_row(b, c->lessons[j].id, &s->marks[i * c->nlessons + j]);
    pd_buf_puts(b, "</table></div>\n</section>\n");
}

int pd_course_write_html(const pd_course_summary *s, const char *path, pd_err *e)
{
    pd_buf b = {0};
    int rc;
    pd_html_begin(&b, s->course->name);
    pd_buf_puts(&b, course_style);
    pd_html_wrap(&b, "<h1>", s->course->name, "</h1>\n");
    pd_buf_printf(&b, "<p class=\"sub\">%zu learners, %zu lessons, checked with pdlab check: "
                      "speedup is over each lesson's slow answer (less memory, for a memory "
                      "lesson)</p>\n", s->nlearners, s->course->nlessons);
    for (size_t i = 0; i < s->nlearners; i++) learner_card(&b, s, i);
    pd_html_end(&b);
    rc = pd_write_file_atomic(path, pd_buf_str(&b), b.len, e);
    pd_buf_free(&b);
    return rc;
}
