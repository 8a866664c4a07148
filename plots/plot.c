/* placeholder: being written */
#include "pdlab/plot.h"
int pd_plot_results(const char *d, FILE *log, pd_err *e) { (void)d; (void)log; return pd_error(e, "charts are not written yet"); }
int pd_gnuplot_quote(const char *s, char *buf, size_t size) { (void)s; (void)buf; (void)size; return -1; }
