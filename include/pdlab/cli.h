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

/* pdlab check: how a learner's answer fared (0 is passed). Apart from the
 * codes above, so that a script tells a failed check from a failed pdlab. */
enum {
    PD_EXIT_WRONG = 10,       /* it returned a different answer */
    PD_EXIT_TOO_SLOW = 11,    /* right, but short of the target */
    PD_EXIT_BROKE = 12,       /* raised, crashed, hung or ran out of memory */
    PD_EXIT_NOT_WRITTEN = 13, /* the starter's function is still empty */
};

int pd_cli_main(int argc, char **argv);

/* `pdlab bench`: figures about the lab itself (bench/cmd_bench.c). */
int pd_bench_main(int argc, char **argv);

#endif
