#ifndef PDLAB_CLI_H
#define PDLAB_CLI_H
/* The command line: one table of commands, help generated from it. */

/* Exit codes, the same for every command. */
enum {
    PD_EXIT_OK = 0,
    PD_EXIT_FAILED = 1,   /* the command could not do its job */
    PD_EXIT_USAGE = 2,    /* bad arguments; nothing was done */
    PD_EXIT_PARTIAL = 3,  /* the run finished, but a lesson could not run */
    PD_EXIT_CLAIMS = 4,   /* every lesson ran, but a claim was not confirmed
                             or could not be measured */
};

int pd_cli_main(int argc, char **argv);

/* `pdlab bench`: figures about the lab itself (bench/cmd_bench.c). */
int pd_bench_main(int argc, char **argv);

#endif
