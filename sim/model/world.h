/*
 * world.h — one simulation run: a scenario's core objects driven by the
 * engine.
 *
 * The world builds an edge_cluster with the scenario's nodes, one
 * edge_runtime per node, the deployments (through the cluster's deploy
 * calls, so its contracts hold), a scheduler, and the arrival processes; then
 * it binds every event to core calls: heartbeats to edge_cluster heartbeat,
 * invocations to the scheduler and to edge_runtime start/finish, health ticks
 * to the health monitor. What a run means is pinned in docs/semantics.md.
 *
 * Memory grows with nodes, functions and invocations in flight, never with
 * the number of invocations simulated: latencies go into histograms, and the
 * only per-invocation output (invocations.csv) is opt-in and streamed.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdint.h>
#include <stdio.h>

#include "scenario/scenario.h"
#include "output/report.h" /* sim_run_stats */
#include "output/trace.h"

typedef struct sim_world sim_world;

typedef struct sim_world_options {
    const char *outdir;       /* where outputs go (must exist) */
    int write_invocations;    /* invocations.csv */
    int progress;             /* a progress line on stderr */
    const char *trace_path;   /* Chrome trace-event JSON (--trace); NULL: none */
    sim_trace_filter trace;   /* its window, nodes and cap */
} sim_world_options;

/*
 * Builds the world for scenario sc (borrowed: it must outlive the world).
 * Returns NULL with a message in err (one line, no newline) when a
 * deployment or a core object cannot be made. Caller frees with
 * sim_world_free.
 */
sim_world *sim_world_create(const sim_scenario *sc, const sim_world_options *opt, char *err,
                            size_t errlen);

/* Runs the scenario to its end and writes every output into opt->outdir.
 * Returns 0, or -1 with a message in err (the outputs already written stay;
 * none is half-written). */
int sim_world_run(sim_world *w, sim_run_stats *stats, char *err, size_t errlen);

/* The run's trajectory fingerprint so far: 16 hex digits and a NUL into buf. */
void sim_world_fingerprint(const sim_world *w, char buf[17]);

/* Frees w. NULL is fine. */
void sim_world_free(sim_world *w);

#endif
