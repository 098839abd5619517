/*
 * cmd_validate.c — `edgesim validate SCENARIO [--set PATH=VALUE ...]`.
 *
 * Reads the scenario exactly as `edgesim run` would (same reader, same
 * overrides) and reports every problem on stderr, one line each, in file
 * order: FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT. Exit 2 when
 * there is any; otherwise one summary line on stdout and exit 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim validate SCENARIO [--set PATH=VALUE ...] [--allow-plugins]\n"
            "                        [--sandbox-paths]\n\n"
            "Checks a scenario file (\"-\" reads stdin) and prints every problem, one line\n"
            "each: FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT. With none it\n"
            "prints a one-line summary.\n\n"
            "  --set PATH=VALUE  override a field before validation, as `edgesim run` does;\n"
            "                    PATH like seed, policies.scheduler or functions[0].memory_mb;\n"
            "                    VALUE is JSON, else taken as a string. Repeatable.\n"
            "  --max-events N, --max-memory SIZE, --max-output SIZE\n"
            "                    raise the limits on the run's estimated events (default 2e9),\n"
            "                    memory (8G) and output (4G); 0 or none: no limit\n"
            "  --allow-plugins   load the plugin (.so: native code) the scenario names\n"
            "  --sandbox-paths   refuse absolute data paths and \"..\" (docs/scenario.md)\n"
            "  -h, --help        this text\n\n"
            "exit codes: 0 valid, 2 problems found or bad usage, 1 anything else.\n"
            "The format is described in docs/scenario.md.\n");
}

int sim_cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    int rc = SIM_EXIT_USAGE, lr;
    sim_limits lim = sim_limits_default();
    sim_load_options load = {0};
    if (!sets) {
        fprintf(stderr, "edgesim validate: out of memory\n");
        return SIM_EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            rc = SIM_EXIT_OK;
            goto out;
        } else if (!strcmp(a, "--set")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "edgesim validate: --set needs PATH=VALUE\n");
                goto out;
            }
            sets[nsets++] = argv[++i];
        } else if (!strncmp(a, "--set=", 6)) {
            sets[nsets++] = a + 6;
        } else if ((lr = sim_limits_option("validate", argc, argv, &i, &lim)) != 0) {
            if (lr < 0)
                goto out;
        } else if (!strcmp(a, "--allow-plugins")) {
            load.allow_plugins = 1;
        } else if (!strcmp(a, "--sandbox-paths")) {
            load.sandbox_paths = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "edgesim validate: unknown option '%s' (see 'edgesim validate --help')\n", a);
            goto out;
        } else if (path) {
            fprintf(stderr, "edgesim validate: one scenario at a time ('%s' and '%s')\n", path, a);
            goto out;
        } else {
            path = a;
        }
    }
    if (!path) {
        usage(stderr);
        goto out;
    }

    sim_diag diags[SIM_SCENARIO_MAX_ERRORS];
    size_t ndiags = 0;
    sim_scenario *s = sim_scenario_load_opts(path, sets, nsets, &load, diags, SIM_SCENARIO_MAX_ERRORS,
                                             &ndiags);
    if (!s) {
        char line[SIM_DIAG_PATH_MAX + SIM_DIAG_MSG_MAX + 256];
        size_t shown = ndiags < SIM_SCENARIO_MAX_ERRORS ? ndiags : SIM_SCENARIO_MAX_ERRORS;
        for (size_t i = 0; i < shown; i++) {
            sim_diag_format(&diags[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        if (ndiags > shown)
            fprintf(stderr, "%s: %zu more problems not shown\n", path, ndiags - shown);
        goto out;
    }
    char lerr[512];
    if (sim_limits_check(s, &lim, lerr, sizeof lerr) != 0) {
        fprintf(stderr, "%s\n", lerr);
        sim_scenario_free(s);
        goto out;
    }
    char dur[32];
    edge_duration_format(dur, sizeof dur, s->duration);
    printf("ok: %s: %zu node%s in %zu region%s, %zu function%s, %zu workload%s, %zu fault%s, "
           "duration %s\n",
           s->name, s->nnodes, s->nnodes == 1 ? "" : "s", s->nregions, s->nregions == 1 ? "" : "s",
           s->nfunctions, s->nfunctions == 1 ? "" : "s", s->nworkloads,
           s->nworkloads == 1 ? "" : "s", s->nfaults, s->nfaults == 1 ? "" : "s", dur);
    sim_scenario_free(s);
    rc = SIM_EXIT_OK;
out:
    free(sets);
    return rc;
}
