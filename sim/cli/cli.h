/*
 * cli.h — the commands of the edgesim program.
 *
 * Each command lives in sim/cmd_NAME.c as `int sim_cmd_NAME(int argc, char **argv)`
 * where argv[0] is the command name. Exit codes, for every command:
 *   0  done;  1  anything else went wrong (I/O, a failed expectation);
 *   2  bad input or usage (the message names file, line, JSON path where known).
 * Every command answers --help on stdout with exit code 0.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stddef.h>

#define SIM_EXIT_OK 0
#define SIM_EXIT_FAIL 1
#define SIM_EXIT_USAGE 2

int sim_cmd_checksum(int argc, char **argv);
int sim_cmd_bench(int argc, char **argv);
int sim_cmd_validate(int argc, char **argv);
int sim_cmd_plot(int argc, char **argv);
int sim_cmd_run(int argc, char **argv);
int sim_cmd_compare(int argc, char **argv);
int sim_cmd_sweep(int argc, char **argv);

/* Prints `kept` diagnostics, one line each, on stderr, and a count of the
 * rest when total > kept. Returns SIM_EXIT_USAGE. */
struct sim_diag;
int sim_print_diags(const struct sim_diag *diags, size_t kept, size_t total);

#endif
