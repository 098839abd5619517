/*
 * fuzz_azure.c — the Azure Functions trace readers (sim/input/azure2019.c, azure2021.c) on
 * arbitrary bytes.
 *
 * The first byte chooses the reader and its options:
 *   bit 0  2021 (rows app,func,end_timestamp,duration) instead of 2019
 *   bit 1  skip_errors        bit 2  by_app (2019)
 *   bit 3  top 2              bit 4  sample 2 functions (bit 5: 2 apps)
 *   bit 6  window [1 min, 30 min) of the trace's time
 *   bit 7  the 2019 invocations are given as two days (the same file twice)
 * The rest is up to three files separated by a line "%%": the invocations,
 * then (2019) the durations and the memory files, each optional.
 */
#include "fuzz.h"

#include "input/azure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const unsigned mode = data[0];
    data++;
    size--;
    const char *paths[3];
    size_t n = 0;
    const uint8_t *part;
    size_t part_len;
    while (n < 3 && fuzz_split(&data, &size, &part, &part_len)) {
        paths[n] = fuzz_file((int)n, part, part_len);
        n++;
    }
    if (n == 0)
        paths[n++] = fuzz_file(0, "", 0);
    const char *days[2] = {paths[0], paths[0]};

    sim_az_options o;
    memset(&o, 0, sizeof o);
    o.invocations = days;
    o.ninvocations = (mode & 0x80) && !(mode & 1) ? 2 : 1;
    if (n > 1) {
        o.durations = &paths[1];
        o.ndurations = 1;
    }
    if (n > 2) {
        o.memory = &paths[2];
        o.nmemory = 1;
    }
    o.skip_errors = !!(mode & 0x02);
    o.by_app = !!(mode & 0x04);
    o.top = mode & 0x08 ? 2 : 0;
    o.sample_functions = (mode & 0x30) == 0x10 ? 2 : 0;
    o.sample_apps = (mode & 0x30) == 0x20 ? 2 : 0;
    o.seed = 7;
    if (mode & 0x40) {
        o.window_lo = (60 * EDGE_S);
        o.window_hi = 30 * 60 * EDGE_S;
    }

    sim_az_trace t;
    char err[512];
    int rc = (mode & 1 ? sim_az2021_read : sim_az2019_read)(&o, &t, err, sizeof err);
    if (rc == 0) {
        /* what the scenario reads of each function: everything it owns */
        uint64_t sum = 0;
        for (size_t i = 0; i < t.n; i++) {
            const sim_az_function *f = &t.fns[i];
            sum += strlen(f->owner) + strlen(f->app) + strlen(f->func);
            for (size_t k = 0; k < f->nminutes; k++)
                sum += f->minutes[k].count;
            for (size_t k = 0; k < f->ncalls; k++)
                sum += (uint64_t)f->calls[k].duration;
        }
        (void)sum;
    } else if (err[0] == '\0') {
        fprintf(stderr, "reader failed without a message\n");
        abort();
    }
    sim_az_trace_free(&t);
    return 0;
}
