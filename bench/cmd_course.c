/* pdlab course check COURSE DIR (stub) */
#include "cli_int.h"
const pd_option pd_course_options[] = {{NULL, NULL, NULL}};
int pd_cmd_course(const pd_command *cmd, int argc, char **argv) { (void)cmd; (void)argc; (void)argv; return 1; }
