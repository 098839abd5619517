/*
 * fuzz_google.c — the Google cluster-data machine-events reader
 * (sim/input/machine_events.c) on arbitrary bytes, read to the end as a
 * run reads it (sim_mevents_next until 0 or an error).
 *
 * The first byte chooses the fault's shape: bits 0-2 the node count
 * (0..7; 0 maps no machine), bit 3 a time scale of 1e-3 instead of 1,
 * bit 4 an `until` of one hour instead of the end of time, bit 5 an
 * offset of one minute. The rest is the CSV file.
 */
#include "fuzz.h"

#include "engine/rng.h"
#include "input/machine_events.h"

/* A row yields at most one action; this bounds a loop that would not end. */
#define FUZZ_EVENTS_MAX 1000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const unsigned mode = data[0];
    const char *path = fuzz_file(0, data + 1, size - 1);
    size_t nodes[8];
    const size_t nnodes = mode & 7;
    for (size_t i = 0; i < nnodes; i++)
        nodes[i] = 10 + i;
    sim_rng rng;
    if (sim_rng_derive(&rng, 1, "fuzz", 0) != EDGE_OK)
        abort();
    char err[512] = "";
    const edge_time until = mode & 0x10 ? 3600 * EDGE_S : EDGE_TIME_MAX;
    const edge_time offset = mode & 0x20 ? 60 * EDGE_S : 0;
    sim_mevents *m = sim_mevents_open(path, nodes, nnodes, offset, mode & 0x08 ? 1e-3 : 1.0,
                                      until, &rng, err, sizeof err);
    if (!m)
        return 0;
    sim_mevent ev;
    edge_time last = offset;
    int rc;
    size_t k = 0;
    while ((rc = sim_mevents_next(m, &ev, err, sizeof err)) == 1) {
        /* the documented contract: times never go back, from the offset on,
         * not past until; nodes from the fault's list */
        int known = 0;
        for (size_t i = 0; i < nnodes; i++)
            known |= ev.node == nodes[i];
        if (ev.at < last || ev.at > until || !known) {
            fprintf(stderr, "bad event: at %lld (last %lld), node %zu\n", (long long)ev.at,
                    (long long)last, ev.node);
            abort();
        }
        last = ev.at;
        if (++k > FUZZ_EVENTS_MAX) {
            fprintf(stderr, "more than %d events from %zu bytes\n", FUZZ_EVENTS_MAX, size);
            abort();
        }
    }
    if (rc < 0 && err[0] == '\0') {
        fprintf(stderr, "reader failed without a message\n");
        abort();
    }
    (void)sim_mevents_counts_of(m);
    sim_mevents_close(m);
    return 0;
}
