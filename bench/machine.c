/* Where a run happened: enough to tell two results files apart. */

#include <Python.h>

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pdlab/embed.h"
#include "pdlab/error.h"
#include "pdlab/machine.h"

#if defined(__x86_64__)
#define PD_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define PD_MULTIARCH "aarch64-linux-gnu"
#else
#define PD_MULTIARCH "."
#endif

double pd_cpu_stolen_s(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
    long ticks = sysconf(_SC_CLK_TCK);
    int got;

    if (f == NULL) return NAN;
    got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle,
                 &iowait, &irq, &softirq, &steal);
    fclose(f);
    return got == 8 && ticks > 0 ? (double)steal / (double)ticks : NAN;
}

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

/* First line of a small file, or "" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (f == NULL) return;
    if (fgets(buf, (int)size, f)) buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

/* NumPy on Debian links the generic libblas.so.3; which implementation
 * that is (OpenBLAS, BLIS, reference) is a symlink chain away. */
static void blas_library(char *buf, size_t size)
{
    char *real = realpath("/usr/lib/" PD_MULTIARCH "/libblas.so.3", NULL);
    snprintf(buf, size, "%s", real ? real : "unknown");
    free(real);
}

static void blas_threads(char *buf, size_t size)
{
    const char *v = getenv("OPENBLAS_NUM_THREADS");
    if (v == NULL) v = getenv("OMP_NUM_THREADS");
    snprintf(buf, size, "%s", v ? v : "default (one per core)");
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
    read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", m->governor,
              sizeof m->governor);
    blas_library(m->blas, sizeof m->blas);
    blas_threads(m->blas_threads, sizeof m->blas_threads);
    H5get_libversion(&maj, &min, &rel);
    snprintf(m->hdf5, sizeof m->hdf5, "%u.%u.%u", maj, min, rel);
}

/* ---- the fields, for views that list or compare fingerprints ---- */

const pd_machine_field pd_machine_fields[] = {
    {"cpu", "CPU", 0},          {"cores", "cores", 0},
    {"os", "system", 0},        {"python", "Python", 1},
    {"numpy", "NumPy", 1},      {"pandas", "pandas", 1},
    {"numexpr", "numexpr", 1},  {"hdf5", "HDF5", 1},
    {"blas", "BLAS", 0},        {"blas_threads", "BLAS threads", 0},
    {"governor", "CPU governor", 0},
};
const size_t pd_machine_nfields = sizeof pd_machine_fields / sizeof pd_machine_fields[0];

/* The text fields, parallel to pd_machine_fields (cores is the one number). */
static const char *text_field(const pd_machine *m, size_t i)
{
    const char *const fields[] = {m->cpu, NULL, m->os, m->python, m->numpy, m->pandas,
                                  m->numexpr, m->hdf5, m->blas, m->blas_threads,
                                  m->governor};
    _Static_assert(sizeof fields / sizeof fields[0]
                   == sizeof pd_machine_fields / sizeof pd_machine_fields[0],
                   "a fingerprint field without its text");
    return fields[i];
}

const char *pd_machine_value(const pd_machine *m, size_t i, char *buf, size_t size)
{
    const char *s;

    if (i >= pd_machine_nfields) PD_BUG("machine field %zu of %zu", i, pd_machine_nfields);
    if ((s = text_field(m, i)) == NULL) {
        if (m->cores <= 0) return NULL;
        snprintf(buf, size, "%d", m->cores);
        return buf;
    }
    if (!*s) return NULL;
    snprintf(buf, size, "%s", s);
    return buf;
}

int pd_machine_same(const pd_machine *a, const pd_machine *b)
{
    if (a->cores != b->cores) return 0;
    for (size_t i = 0; i < pd_machine_nfields; i++) {
        const char *x = text_field(a, i), *y = text_field(b, i);
        if (x && strcmp(x, y) != 0) return 0;
    }
    return 1;
}
