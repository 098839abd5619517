/*
 * fuzz_scenario.c — the scenario loader as `edgesim validate` runs it:
 * sim_scenario_parse on arbitrary bytes, then every diagnostic formatted
 * into the one line validate prints.
 *
 * Files a scenario names (CSV workloads, traces, plugins) are resolved
 * relative to "fuzz/scenario.json", a folder that does not exist, so the
 * loader's "cannot read" paths run without touching the disk; `make fuzz`
 * starts the fuzzer with stdin from /dev/null, so "-" reads nothing.
 */
#include "fuzz.h"

#include "common/diag.h"
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_diag diags[SIM_SCENARIO_MAX_ERRORS];
    size_t ndiags = 0;
    sim_scenario *s = sim_scenario_parse((const char *)data, size, "fuzz/scenario.json", NULL, 0,
                                         diags, SIM_SCENARIO_MAX_ERRORS, &ndiags);
    if (!s) {
        char line[SIM_DIAG_PATH_MAX + SIM_DIAG_MSG_MAX + 256];
        size_t shown = ndiags < SIM_SCENARIO_MAX_ERRORS ? ndiags : SIM_SCENARIO_MAX_ERRORS;
        if (ndiags == 0) {
            fprintf(stderr, "loader refused a scenario without saying why\n");
            abort();
        }
        for (size_t i = 0; i < shown; i++)
            sim_diag_format(&diags[i], line, sizeof line);
        return 0;
    }
    sim_scenario_free(s);
    return 0;
}
