#ifndef PDLAB_OUTDIR_H
#define PDLAB_OUTDIR_H
/* A run's output directory, held by one run at a time.
 *
 * Two runs writing one directory would leave a results.json of one and
 * charts of both. A run holds an exclusive flock on DIR/.pdlab.lock (the
 * file holds its PID, for the message the second run gets) from before its
 * first write to its exit; the kernel drops the lock when the process ends,
 * however it ends, so a crashed run never leaves the directory locked.
 *
 * Running again into the directory of a finished run is normal use: the
 * new run replaces the old one. What the old run wrote that the new one
 * would not overwrite file for file (report.html, charts/ and logs/ of
 * lessons the new run may not have, a temporary of a run that was killed)
 * is removed first, so the directory never mixes two runs. Files pdlab
 * does not write (other extensions, other names) are left alone. */

#include "pdlab/error.h"

typedef struct pd_outdir {
    int lock_fd;  /* the locked DIR/.pdlab.lock, -1 when not held */
} pd_outdir;

/* Makes dir (mkdir -p), locks it, and clears an earlier run's outputs.
 * -1 with *e set, naming the other run's PID, when another run holds it. */
int pd_outdir_open(const char *dir, pd_outdir *od, pd_err *e);

/* Releases the lock; accepts a pd_outdir whose lock_fd is -1 (never
 * opened, or closed already). */
void pd_outdir_close(pd_outdir *od);

#endif
