/*
 * trust.c — what run, validate and sweep share on their command lines: the
 * limits a scenario's estimated cost must stay inside (--max-events,
 * --max-memory, --max-output; sim/scenario/limits.h) beside the trust
 * options (--allow-plugins, --sandbox-paths) of SIM_CLI_TRUST_AND_LIMIT_OPTS.
 */
#include "cli/cli.h"
#include "scenario/limits.h"

int sim_cli_limit_option(const sim_cmd *cmd, int which, const char *value, sim_limits *lim)
{
    static const char *const names[] = {"max-events", "max-memory", "max-output"};
    if (which < 0 || which > 2)
        return sim_cmd_fail(cmd, "not a limit option");
    return sim_limits_set_option(cmd->name, names[which], value, lim) ? SIM_EXIT_USAGE : 0;
}
