/*
 * main.c — edgesim's entry point: dispatches to one command per sim/cmd_*.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/rng.h"

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"bench", sim_cmd_bench, "run a benchmark (phold, rng, azure) and print its figures"},
    {"checksum", sim_cmd_checksum, "print the digest of a JSON document's canonical text"},
    {"compare", sim_cmd_compare, "compare two runs or two sweeps; exit 1 on a regression"},
    {"plot", sim_cmd_plot, "draw a run directory's plots and report.html (gnuplot)"},
    {"run", sim_cmd_run, "run a scenario and write its metrics, series and summaries"},
    {"sweep", sim_cmd_sweep, "run scenarios x a parameter grid x replications, with statistics"},
    {"validate", sim_cmd_validate, "check a scenario file and list every problem in it"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim COMMAND [ARGS...]\n"
            "       edgesim --help | --version\n\n"
            "edgesim is a discrete-event simulator and benchmark harness for edge\n"
            "computing platforms.\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'edgesim COMMAND --help' describes a command.\n"
                 "exit codes: 0 done, 1 failure, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SIM_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return SIM_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("edgesim %s\n", EDGESIM_VERSION);
        return SIM_EXIT_OK;
    }
    sim_rng_init(); /* GSL reports errors instead of aborting */
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "edgesim: unknown command '%s' (see 'edgesim --help')\n", argv[1]);
    return SIM_EXIT_USAGE;
}
