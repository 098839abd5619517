/* Placeholder until the bench command lands; replaced by its owner. */
#include <stdio.h>

#include "cli.h"

int sim_cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "edgesim bench: not built yet\n");
    return SIM_EXIT_FAIL;
}
