#ifndef PDLAB_MACHINE_H
#define PDLAB_MACHINE_H
/* Where a run happened: CPU, cores, OS and library versions. The library
 * versions need the interpreter started. */

#include "pdlab/result.h"

void pd_machine_probe(pd_machine *m);

#endif
