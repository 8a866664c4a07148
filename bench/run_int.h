#ifndef PDLAB_RUN_INT_H
#define PDLAB_RUN_INT_H
/* Internal to the run (bench/run.c and run_data.c): the data a lesson runs
 * on. */

#include "pdlab/dataset.h"
#include "pdlab/lesson.h"
#include "pdlab/run.h"

/* The lesson's dataset, or the run's --dataset. An imported file is
 * checked (checksums) here, once: it cannot be regenerated. */
int pd_run_data_find(const pd_run_opts *o, const pd_lesson *l, pd_dataset_ref *ref,
                     pd_err *e);

/* The sizes to run at on ref (new array of *out_n): see run_data.c. */
uint64_t *pd_run_data_sizes(const pd_dataset_ref *ref, const uint64_t *sizes, size_t n,
                            size_t *out_n);

/* The file a worker loads for size n into buf: the recipe's file, the
 * imported one, or a view of either (first n rows, columns mapped); then
 * checked to hold the columns the lesson needs. */
int pd_run_data_prepare(const pd_run_opts *o, const pd_lesson *l, const pd_dataset_ref *ref,
                        uint64_t n, char *buf, size_t size, pd_err *e);

#endif
