/* pdlab: a performance-lesson lab for Python data work. */

#include "pdlab/cli.h"

int main(int argc, char **argv)
{
    return pd_cli_main(argc, argv);
}
