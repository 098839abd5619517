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

/* Warns on stderr ("edgesim CMD: warning: FILE: workloads[K]...: ...", one
 * line each, at most three and a count of the rest) about the workloads of
 * sc and the burst faults whose invocations nothing can place
 * (sim_scenario_unplaced): a scenario that forgot its deployments runs,
 * and rejects everything. */
struct sim_scenario;
void sim_cli_warn_unplaced(const char *cmd, const char *path, const struct sim_scenario *sc);

/* The same warnings, without the "edgesim CMD: warning: FILE: " prefix,
 * each passed to emit (a line without newline, valid during the call);
 * returns how many workloads and bursts there are (emit sees at most
 * three, then "and N more such workloads or bursts"). */
size_t sim_cli_unplaced_lines(const struct sim_scenario *sc,
                              void (*emit)(void *ctx, const char *line), void *ctx);

/* Reads the JSON file path whole (at most max bytes) and parses it.
 * Returns the tree (the caller frees it with cJSON_Delete), or NULL with one
 * line in err: cannot open or read, too long, not JSON. */
struct cJSON;
struct cJSON *sim_cli_load_json(const char *path, size_t max, char *err, size_t errlen);

/* The options run, validate and sweep share: a row each for their option
 * tables, with ids OPT_MAX_EVENTS, OPT_MAX_MEMORY, OPT_MAX_OUTPUT (in that
 * order, consecutive), OPT_ALLOW_PLUGINS and OPT_SANDBOX_PATHS, which each
 * command's own enum defines. */
#define SIM_CLI_TRUST_AND_LIMIT_OPTS                                                          \
    {OPT_MAX_EVENTS, 0, "max-events", "N", 0,                                                 \
     "refuse a scenario whose estimated events exceed N (default 2e9; 0 or none: no limit; "  \
     "docs/scenario.md, \"Limits\")"},                                                        \
        {OPT_MAX_MEMORY, 0, "max-memory", "SIZE", 0,                                          \
         "refuse a scenario whose estimated memory exceeds SIZE (default 8G; 16G, 512M or "   \
         "bytes; 0 or none: no limit)"},                                                      \
        {OPT_MAX_OUTPUT, 0, "max-output", "SIZE", 0,                                          \
         "refuse a scenario whose estimated output exceeds SIZE (default 4G; 0 or none: no "  \
         "limit)"},                                                                           \
        {OPT_ALLOW_PLUGINS, 0, "allow-plugins", NULL, 0,                                      \
         "load the plugins (.so files: native code, run with your privileges) a scenario "    \
         "names; without it such a scenario is refused (docs/plugins.md)"},                   \
        {OPT_SANDBOX_PATHS, 0, "sandbox-paths", NULL, 0,                                      \
         "refuse absolute data paths, and \"..\" in them, for services that check uploaded "  \
         "scenarios (docs/scenario.md)"}

/* Whether an output named outside an outputs folder (run --trace FILE,
 * bench net --list/--finish FILE) may be written at path: it does not
 * exist, is empty, is not a regular file (/dev/stdout, a FIFO: written to as
 * it is, sim_outfile_open), or is an earlier output of its kind (earlier,
 * given its first bytes, says so). Else the user's own file (the scenario
 * itself, say) would be replaced as a whole: one line "edgesim CMD: OPT
 * PATH: expected a new file or an earlier WHAT, found other content (...)"
 * on stderr and -1. */
int sim_cli_may_replace(const char *cmd, const char *opt, const char *path, const char *what,
                        int (*earlier)(const char *head, size_t n));

/* --max-events (which 0), --max-memory (1) or --max-output (2) with its
 * value into lim. Returns 0, or SIM_EXIT_USAGE after one line on stderr. */
struct sim_limits;
int sim_cli_limit_option(const sim_cmd *cmd, int which, const char *value,
                         struct sim_limits *lim);

#endif
