/* libFuzzer target: what a worker writes on its event pipe (bench/events.c
 * splits it into events), and a declaration inside one read and checked
 * as the parent does (pd_declaration_read, pd_lesson_check). */

#include <string.h>

#include "pdlab/events.h"
#include "pdlab/lesson.h"
#include "pdlab/results.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    pd_events r;
    json_t *ev;
    memset(&r, 0, sizeof r);
    pd_events_push(&r, (const char *)data, size);
    while (pd_events_take(&r, &ev)) {
        json_t *decl = json_object_get(ev, "lesson");
        if (decl) {
            pd_lesson l;
            pd_err e = {0};
            memset(&l, 0, sizeof l);
            if (pd_declaration_read(decl, "fuzz.py", &l, &e) == 0) pd_lesson_check(&l, &e);
            pd_lesson_free(&l);
        }
        json_decref(ev);
    }
    pd_events_free(&r);
    return 0;
}
