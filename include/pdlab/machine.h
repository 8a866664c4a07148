#ifndef PDLAB_MACHINE_H
#define PDLAB_MACHINE_H
/* Where a run happened: CPU, cores, OS and library versions. The library
 * versions need the interpreter started. */

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

#endif
