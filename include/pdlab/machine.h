#ifndef PDLAB_MACHINE_H
#define PDLAB_MACHINE_H
/* Where a run happened: CPU, cores, OS and library versions. The library
 * versions need the interpreter started. */

#include <stddef.h>

typedef struct pd_machine {
    char cpu[128];
    int cores;
    char os[128];
    char python[32], numpy[32], pandas[32], numexpr[32], hdf5[32];
    char governor[32];     /* CPU frequency governor, "" when unreadable */
    char blas[160];        /* the BLAS library NumPy loads (Debian's
                              alternatives decide it) */
    char blas_threads[32]; /* from OPENBLAS_NUM_THREADS/OMP_NUM_THREADS */
} pd_machine;

void pd_machine_probe(pd_machine *m);

/* CPU seconds, over all cores, that a hypervisor has given other guests
 * while this machine's vCPUs wanted to run, since boot ("steal" in
 * /proc/stat); NAN where the kernel does not say. Two readings bracket a
 * stretch of a run: on a shared 2-core VM a busy neighbour slows threads,
 * process pools and dask most, and a claim about them may miss for it. */
double pd_cpu_stolen_s(void);

/* The fields of a fingerprint, in the order views list them. A `version`
 * field names software whose change moves the figures (Python, NumPy,
 * pandas, ...): runs that differ in one are not the same experiment on
 * another machine, and views that put runs together mark it. */
typedef struct pd_machine_field {
    const char *key;     /* as results.json names it: "pandas" */
    const char *label;   /* for a person: "pandas", "CPU" */
    int version;
} pd_machine_field;

extern const pd_machine_field pd_machine_fields[];
extern const size_t pd_machine_nfields;

/* Field i of m as text into buf (cores as a number), or NULL when the run
 * did not record it. */
const char *pd_machine_value(const pd_machine *m, size_t i, char *buf, size_t size);

/* Every field equal: the same machine with the same software. */
int pd_machine_same(const pd_machine *a, const pd_machine *b);

#endif
