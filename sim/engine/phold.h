/*
 * phold.h — the PHOLD benchmark model on the engine (Fujimoto 1990).
 *
 * lps logical processes each start with population events at time
 * lookahead + Exp(mean). Processing an event at time t on any LP schedules
 * exactly one new event at t + lookahead + Exp(mean) for a uniformly random
 * LP, so the number of pending events stays lps x population. Events with
 * time <= end are committed (run); the rest stay queued.
 *
 * It measures the engine through its real API: every event is a handler
 * call through a function pointer with a payload (the destination LP), and
 * every new event a schedule call. All draws come from one named stream
 * (seed, "phold", 0), so the same seed gives the same events on every run.
 */
#ifndef SIM_PHOLD_H
#define SIM_PHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef struct sim_phold_config {
    uint32_t lps;         /* >= 1 */
    uint32_t population;  /* events per LP at the start, >= 1 */
    edge_time lookahead;  /* >= 0 */
    edge_time mean;       /* of the exponential increment, >= 0 */
    edge_time end;        /* events at times <= end are run */
    uint64_t seed;
} sim_phold_config;

/* The defaults: 1024 LPs x 16, lookahead 0.1 s, mean 1 s, end
 * 1000 s, seed 1. */
void sim_phold_defaults(sim_phold_config *cfg);

typedef struct sim_phold_result {
    uint64_t events;       /* committed (run) events */
    double wall_seconds;   /* wall time of the event loop alone */
    double cpu_seconds;    /* CPU time of the event loop alone: what to compare on a
                              machine shared with other work */
    size_t pending;        /* lps x population */
    size_t engine_bytes;   /* pool + queue memory at the end */
    uint64_t lp_checksum;  /* sum over LPs of events received: == events */
} sim_phold_result;

/*
 * Builds the model, runs it to cfg->end and fills *out.
 * Errors: EDGE_INVAL for a config outside the limits above or whose
 * pending count exceeds SIM_ENGINE_MAX_PENDING; EDGE_NOMEM.
 * Cost: memory ~16 bytes per pending event (the engine keeps PHOLD's
 * payload, the destination LP, in the event's key) + 8 per LP.
 */
edge_err sim_phold_run(const sim_phold_config *cfg, sim_phold_result *out);

#endif
