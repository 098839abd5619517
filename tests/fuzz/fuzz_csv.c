/*
 * fuzz_csv.c — the CSV readers on arbitrary bytes:
 *   - a CSV workload (`"arrival": "csv"`, timestamps one per line), read by
 *     the scenario loader exactly as `edgesim validate` reads it: the input
 *     is the CSV file a fixed, valid scenario names;
 *   - sim_csv, the reader of edgesim's own CSV outputs (plot, compare):
 *     the same bytes as a file with a header, every record and field read,
 *     the first column as a number.
 */
#include "fuzz.h"

#include "common/diag.h"
#include "input/csv.h"
#include "scenario/scenario.h"

static const char scenario_fmt[] =
    "{\"name\": \"fuzz-csv\", \"seed\": 1, \"duration\": \"1h\",\n"
    " \"regions\": [{\"id\": \"r\"}],\n"
    " \"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 2, \"memory_mb\": 1024}],\n"
    " \"functions\": [{\"id\": \"f\", \"memory_mb\": 128,\n"
    "   \"exec_time\": {\"type\": \"constant\", \"value\": \"10ms\"}}],\n"
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],\n"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"csv\",\n"
    "   \"file\": \"%s\"}]}\n";

static void workload(const char *path)
{
    char text[sizeof scenario_fmt + 64];
    int len = snprintf(text, sizeof text, scenario_fmt, path);
    if (len < 0 || (size_t)len >= sizeof text)
        abort();
    sim_diag diags[SIM_SCENARIO_MAX_ERRORS];
    size_t ndiags = 0;
    sim_scenario *s = sim_scenario_parse(text, (size_t)len, "fuzz.json", NULL, 0, diags,
                                         SIM_SCENARIO_MAX_ERRORS, &ndiags);
    if (!s) {
        char line[SIM_DIAG_PATH_MAX + SIM_DIAG_MSG_MAX + 256];
        if (ndiags == 0)
            abort();
        for (size_t i = 0; i < ndiags && i < SIM_SCENARIO_MAX_ERRORS; i++)
            sim_diag_format(&diags[i], line, sizeof line);
        return;
    }
    sim_scenario_free(s);
}

static void outputs(const char *path)
{
    char err[512];
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    if (!c)
        return;
    int t = sim_csv_nfields(c) > 0 ? 0 : -1; /* the first column as a number */
    int rc;
    while ((rc = sim_csv_next(c, err, sizeof err)) == 1) {
        int n = sim_csv_nfields(c);
        size_t total = 0;
        for (int i = 0; i < n; i++)
            total += strlen(sim_csv_field(c, i));
        (void)total;
        double v;
        if (t >= 0)
            (void)sim_csv_double(c, t, 1, &v, err, sizeof err);
    }
    sim_csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    workload(path);
    outputs(path);
    return 0;
}
