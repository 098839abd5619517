/*
 * fuzz_sweep.c — `edgesim sweep`'s file reader (sim_sweep_parse: the JSON
 * reader with positions, the fields, the grid) on arbitrary bytes.
 *
 * Besides "no crash, no sanitizer report, no leak": a refused file always
 * says why (a message that starts "expected"), at a line and column inside
 * the text when it names one, and its one line formats; an accepted one has
 * at least one scenario, one configuration and one replication, and every
 * grid value as a --set "PATH=VALUE" for its parameter.
 */
#include "fuzz.h"

#include "common/diag.h"
#include "harness/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_diag d;
    sim_sweep *sw = sim_sweep_parse((const char *)data, size, "fuzz/sweep.json", &d);
    if (!sw) {
        if (strncmp(d.msg, "expected", 8) != 0)
            abort();
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        if (d.line < 0 || (size_t)d.line > lines || d.col < 0)
            abort();
        char line[SIM_DIAG_MSG_MAX + SIM_DIAG_PATH_MAX + 64];
        sim_diag_format(&d, line, sizeof line);
        return 0;
    }
    if (sw->nscenarios < 1 || sw->nconfigs < 1 || sw->replications < 1)
        abort();
    for (size_t p = 0; p < sw->nparams; p++) {
        size_t n = strlen(sw->params[p].path);
        for (size_t v = 0; v < sw->params[p].nvalues; v++)
            if (strncmp(sw->params[p].sets[v], sw->params[p].path, n) != 0 ||
                sw->params[p].sets[v][n] != '=')
                abort();
    }
    sim_sweep_free(sw);
    return 0;
}
