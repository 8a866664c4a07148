/* pdlab: a performance-lesson lab for Python data work. */

#include "pdlab/cli.h"
#include "pdlab/signals.h"

int main(int argc, char **argv)
{
    pd_ignore_file_size_signal();
    return pd_cli_main(argc, argv);
}
