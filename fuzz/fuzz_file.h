#ifndef PDLAB_FUZZ_FILE_H
#define PDLAB_FUZZ_FILE_H
/* The fuzz input as a file, for entry points that read a path. One file
 * per process, rewritten for each input. */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fuzz_file(const char *suffix, const unsigned char *data, size_t size)
{
    static char path[64];
    FILE *f;
    if (!path[0]) snprintf(path, sizeof path, "/tmp/pdlab-fuzz-%d%s", (int)getpid(), suffix);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
    return path;
}

#endif
