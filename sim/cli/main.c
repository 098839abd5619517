/*
 * main.c — edgesim's entry point: dispatches to one command per sim/cli/cmd_*.c.
 *
 * `edgesim help CMD` prints the same help as `edgesim CMD --help` (both come
 * from the command's sim_cmd table, cli/opts.h); an unknown command gets the
 * closest known one. Two machine-readable listings serve the man page
 * generator (scripts/gen-man.sh) and shell completion
 * (scripts/edgesim-completion.bash):
 *   edgesim help --commands      every help topic, one per line ("run",
 *                                "bench phold", ...)
 *   edgesim help --options CMD   CMD's options, one per line ("--output DIR")
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/suggest.h"
#include "engine/rng.h"

typedef struct {
    const sim_cmd *cmd;
    int (*fn)(int argc, char **argv);
} command;

static const command commands[] = {
    {&sim_bench_cmd, sim_cmd_bench},       {&sim_checksum_cmd, sim_cmd_checksum},
    {&sim_compare_cmd, sim_cmd_compare},   {&sim_plot_cmd, sim_cmd_plot},
    {&sim_run_cmd, sim_cmd_run},           {&sim_sweep_cmd, sim_cmd_sweep},
    {&sim_validate_cmd, sim_cmd_validate},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim COMMAND [ARGS...]\n"
            "       edgesim help [COMMAND]\n"
            "       edgesim --help | --version\n\n"
            "edgesim is a discrete-event simulator and benchmark harness for edge\n"
            "computing platforms.\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].cmd->name, commands[i].cmd->about);
    fprintf(out, "\n'edgesim help COMMAND' or 'edgesim COMMAND --help' describes a command.\n"
                 "exit codes: 0 done, 1 failure, 2 bad input or usage.\n");
}

/* The help topic named by words (argv of `help`): a command, or "bench NAME". */
static const sim_cmd *topic(int n, char **words)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(words[0], commands[i].cmd->name))
            continue;
        if (n == 1)
            return commands[i].cmd;
        if (commands[i].cmd == &sim_bench_cmd && n == 2)
            for (size_t k = 0; sim_bench_cmds[k]; k++)
                if (!strcmp(sim_bench_cmds[k]->name + 6, words[1]))
                    return sim_bench_cmds[k];
        return NULL;
    }
    return NULL;
}

static int unknown_command(const char *what, const char *name)
{
    const char *names[N_COMMANDS + 2];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].cmd->name;
    names[N_COMMANDS] = "help";
    names[N_COMMANDS + 1] = NULL;
    const char *sug = sim_suggest(name, names);
    if (sug)
        fprintf(stderr, "edgesim: unknown %s '%s' (did you mean '%s'?)\n", what, name, sug);
    else
        fprintf(stderr, "edgesim: unknown %s '%s' (see 'edgesim --help')\n", what, name);
    return SIM_EXIT_USAGE;
}

/* `edgesim help [--commands | --options TOPIC | TOPIC]` */
static int help(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return SIM_EXIT_OK;
    }
    if (!strcmp(argv[1], "--commands")) {
        for (size_t i = 0; i < N_COMMANDS; i++) {
            printf("%s\n", commands[i].cmd->name);
            if (commands[i].cmd == &sim_bench_cmd)
                for (size_t k = 0; sim_bench_cmds[k]; k++)
                    printf("%s\n", sim_bench_cmds[k]->name);
        }
        return SIM_EXIT_OK;
    }
    int list = !strcmp(argv[1], "--options");
    char **words = argv + 1 + list;
    int n = argc - 1 - list;
    if (n < 1 || n > 2) {
        fprintf(stderr, "edgesim help: expected a COMMAND (see 'edgesim --help')\n");
        return SIM_EXIT_USAGE;
    }
    const sim_cmd *c = topic(n, words);
    if (!c) {
        if (!topic(1, words))
            return unknown_command("help topic", words[0]);
        fprintf(stderr, "edgesim help: '%s' has no topic '%s' (see 'edgesim help %s')\n",
                words[0], words[1], words[0]);
        return SIM_EXIT_USAGE;
    }
    if (list)
        sim_cmd_list_options(c, stdout);
    else
        sim_cmd_help(c, stdout);
    return SIM_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SIM_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return SIM_EXIT_OK;
    }
    if (!strcmp(argv[1], "help"))
        return help(argc - 1, argv + 1);
    if (!strcmp(argv[1], "--version")) {
        printf("edgesim %s\n", EDGESIM_VERSION);
        return SIM_EXIT_OK;
    }
    if (argv[1][0] == '-') {
        const char *opts[] = {"--help", "--version", NULL};
        const char *sug = sim_suggest(argv[1], opts);
        fprintf(stderr, "edgesim: unknown option '%s' (%s%s%s)\n", argv[1],
                sug ? "did you mean '" : "see 'edgesim --help'", sug ? sug : "", sug ? "'?" : "");
        return SIM_EXIT_USAGE;
    }
    sim_rng_init(); /* GSL reports errors instead of aborting */
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].cmd->name))
            return commands[i].fn(argc - 1, argv + 1);
    return unknown_command("command", argv[1]);
}
