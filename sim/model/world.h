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

#include "edge_policy_plugin.h"
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
    double setup_start;       /* sim_wall_seconds() when the command began (reading the
                                 scenario counts as set-up); 0: when sim_world_create
                                 is called */
    /* An in-process routing policy (the embedding API's router), used instead
     * of the scenario's routing (its scheduler, or a routing plugin's picks; a
     * plugin's other kinds still apply): choose() is called with router_state
     * for every decision, exactly as a plugin's (create/destroy are not called;
     * the table and state are borrowed and must outlive the world).
     * router_name names it in errors. NULL: the scenario's policy. */
    const edge_policy_plugin *router;
    void *router_state;
    const char *router_name;
    /* Called once by sim_world_run when a tenth of the duration has run
     * (the loop pauses there and goes on: the events, their order and every
     * output are those of one uninterrupted loop), so a caller can act on
     * the memory the run has grown into by then (edgesim run: huge pages).
     * Its time counts in the loop's; settled_ctx is passed to it. NULL: none. */
    void (*on_settled)(void *ctx);
    void *settled_ctx;
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

/* ---- driving a run in pieces (world_api.c; the embedding API) ----
 * A run may be advanced with sim_world_run_until and sim_world_step any
 * number of times and then finished with sim_world_run (which runs the rest
 * and writes the outputs): the trajectory, fingerprint and outputs are
 * exactly those of one sim_world_run, whatever the pieces (the engine runs
 * the same events in the same order). After a failed piece the run is over:
 * only sim_world_free is meaningful. */

/* The virtual clock (ns) and the run's end (the scenario's duration). */
edge_time sim_world_now(const sim_world *w);
edge_time sim_world_end(const sim_world *w);

/* Runs every event up to and including time t (capped at the end), then
 * sets the clock to t. Returns 0, or -1 with one line in err: t before now,
 * or the run failed (the reason, as sim_world_run gives it). */
int sim_world_run_until(sim_world *w, edge_time t, char *err, size_t errlen);

/* Runs the next event (an arrival with its routing decision, a completion,
 * a heartbeat, a health check, a fault, a sample...) if it is due by the
 * end. Returns 1 when one ran, 0 when none is left before the end (the
 * clock stays), -1 with one line in err when the run failed. */
int sim_world_step(sim_world *w, char *err, size_t errlen);

/* Events run and invocations arrived so far. */
uint64_t sim_world_events(const sim_world *w);
uint64_t sim_world_arrivals(const sim_world *w);

/* One node's state now, as the simulator knows it. Strings are borrowed
 * from the scenario. */
typedef struct sim_node_state {
    const char *id, *region;
    const char *status;        /* "online", "offline", ...: the control plane's view
                                  (an unregistered node is "offline") */
    int up;                    /* the truth: 0 while crashed */
    int registered;
    int healthy;               /* registered and online */
    uint32_t busy, queued;     /* slots in use; invocations waiting */
    uint32_t warm_instances;   /* idle warm instances (node_series.csv warm_instances) */
    double memory_used_mb;
    uint64_t invocations;      /* delivered to it so far */
    uint64_t ok;               /* completed there successfully */
    double latency_sum_ms;     /* their end-to-end latencies' sum */
} sim_node_state;

/* Fills *out for node i (< the scenario's node count). */
void sim_world_node_state(sim_world *w, size_t i, sim_node_state *out);

/* One function's counters so far. */
typedef struct sim_function_state {
    const char *id;            /* borrowed from the scenario */
    uint32_t deployed;         /* nodes it is deployed on (the scheduler's view) */
    uint64_t ok, failed, rejected, cold_starts;
    double p50_ms, p99_ms;     /* latency of its ok invocations; 0 before the first */
    double latency_sum_ms;     /* their sum (exact) */
} sim_function_state;

/* Fills *out for function i (< the scenario's function count). */
void sim_world_function_state(sim_world *w, size_t i, sim_function_state *out);

/* Fault `k` of the world's scenario, appended to it after the world was
 * made (sim_scenario_add_fault): applied at once when its `at` is now
 * (before any other event pending at now: it has taken effect on return),
 * else scheduled at `at`. Returns 0, or -1 with one line in err (k not a
 * new fault, `at` before now, out of memory, the run is over or failed). */
int sim_world_inject(sim_world *w, size_t k, char *err, size_t errlen);

#endif
