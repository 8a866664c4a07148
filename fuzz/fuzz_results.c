/* libFuzzer target: pd_results_read on any bytes (bench/results.c). A
 * results.json may come from another machine or be edited by hand. */

#include "fuzz_file.h"
#include "pdlab/results.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    pd_run run;
    pd_err e = {0};
    if (pd_results_read(fuzz_file(".json", data, size), &run, &e) == 0) pd_run_free(&run);
    return 0;
}
