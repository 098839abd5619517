/*
 * cli.h — the commands of the edgesim program.
 *
 * Each command lives in sim/cli/cmd_NAME.c as `int sim_cmd_NAME(int argc, char **argv)`
 * where argv[0] is the command name, with its command line described once
 * as `const sim_cmd sim_NAME_cmd` (cli/opts.h: options, help, usage line).
 * Exit codes, for every command:
 *   0  done;  1  anything else went wrong (I/O, a failed expectation);
 *   2  bad input or usage (the message names file, line, JSON path where known).
 * Every command answers --help (and `edgesim help NAME`) on stdout with
 * exit code 0.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stddef.h>

#include "cli/opts.h"

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

/* The command lines, for `edgesim help`, the man page and completion. */
extern const sim_cmd sim_bench_cmd, sim_checksum_cmd, sim_compare_cmd, sim_plot_cmd,
    sim_run_cmd, sim_sweep_cmd, sim_validate_cmd;
/* bench's benchmarks ("bench phold", ...), NULL-terminated. */
extern const sim_cmd *const sim_bench_cmds[];

/* Prints `kept` diagnostics, one line each, on stderr, and a count of the
 * rest when total > kept. Returns SIM_EXIT_USAGE. */
struct sim_diag;
int sim_print_diags(const struct sim_diag *diags, size_t kept, size_t total);

/* Reads the JSON file path whole (at most max bytes) and parses it.
 * Returns the tree (the caller frees it with cJSON_Delete), or NULL with one
 * line in err: cannot open or read, too long, not JSON. */
struct cJSON;
struct cJSON *sim_cli_load_json(const char *path, size_t max, char *err, size_t errlen);

#endif
