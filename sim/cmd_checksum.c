/* Placeholder until the checksum command lands; replaced by its owner. */
#include <stdio.h>

#include "cli.h"

int sim_cmd_checksum(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "edgesim checksum: not built yet\n");
    return SIM_EXIT_FAIL;
}
