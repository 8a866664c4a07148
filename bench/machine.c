/* Where a run happened: enough to tell two results files apart. */

#include <Python.h>

#include <hdf5.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pdlab/embed.h"
#include "pdlab/machine.h"

/* The "model name" line of /proc/cpuinfo. */
static void cpu_model(char *buf, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(buf, size, "unknown");
    if (f == NULL) return;
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += 1 + (colon[1] == ' ');
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, size, "%s", colon);
            break;
        }
    }
    fclose(f);
}

void pd_machine_probe(pd_machine *m)
{
    struct utsname u;
    unsigned maj = 0, min = 0, rel = 0;

    memset(m, 0, sizeof *m);
    cpu_model(m->cpu, sizeof m->cpu);
    m->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (uname(&u) == 0) snprintf(m->os, sizeof m->os, "%.20s %.60s %.20s", u.sysname, u.release,
                                      u.machine);
    /* The running library, which may differ from the headers built against. */
    snprintf(m->python, sizeof m->python, "%.*s", (int)strcspn(Py_GetVersion(), " "),
             Py_GetVersion());
    if (Py_IsInitialized()) {
        snprintf(m->numpy, sizeof m->numpy, "%s", pd_module_version("numpy"));
        snprintf(m->pandas, sizeof m->pandas, "%s", pd_module_version("pandas"));
        snprintf(m->numexpr, sizeof m->numexpr, "%s", pd_module_version("numexpr"));
    }
    H5get_libversion(&maj, &min, &rel);
    snprintf(m->hdf5, sizeof m->hdf5, "%u.%u.%u", maj, min, rel);
}
