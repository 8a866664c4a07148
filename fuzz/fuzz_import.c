/* libFuzzer target: the CSV importer's public entry point
 * (pd_dataset_import_csv, datasets/import.c) on any bytes. */

#include "fuzz_file.h"
#include "pdlab/dataset.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static char out[64];
    pd_err e = {0};
    if (!out[0]) snprintf(out, sizeof out, "/tmp/pdlab-fuzz-%d.h5", (int)getpid());
    pd_dataset_import_csv(fuzz_file(".csv", data, size), "fuzz", out, &e);
    unlink(out);
    return 0;
}
