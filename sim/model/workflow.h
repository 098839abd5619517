/*
 * workflow.h — workflows in a run: requests that walk a DAG of function
 * steps (docs/semantics.md, "Workflows"; the format: scenario/workflows.h).
 *
 * The module keeps, per request in flight, the state of each of its steps
 * (waiting for predecessors, running, done or skipped) and decides what
 * runs next; the world does the rest. Each step is an ordinary invocation
 * (routing, queue, cold start, execution, retries, outcome in every
 * invocation metric) that the world starts through env->invoke and
 * reports back through sim_wflow_step_ended. The result of a step reaches
 * the workflow one network latency (client region to the node) after the
 * invocation ends, as a single invocation's response reaches its client:
 * so a chain's end-to-end latency is the sum of its steps' latencies. With
 * network links, the world asks sim_wflow_inputs which edge payloads must
 * reach a step's node before it starts (model/world_net.c sends them).
 *
 * What it measures: per workflow the end-to-end latency (a log-linear
 * histogram), outcomes (ok, deadline_missed, failed, in flight at the end),
 * cold starts per request, the mean critical path split into queueing, cold
 * start, execution, network and transfer, and per step its runs, skips,
 * invocations, cold starts and the requests it failed.
 *
 * Memory: per request in flight one record and its steps' states (reused
 * through a free list per workflow), never per request simulated.
 */
#ifndef SIM_MODEL_WORKFLOW_H
#define SIM_MODEL_WORKFLOW_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "output/trace.h"
#include "scenario/scenario.h"
#include "time.h"

typedef struct sim_wflow sim_wflow;

/* How the module acts on the world. Each returns 0, or -1 when the run must
 * fail (out of memory). */
typedef struct sim_wflow_env {
    void *ctx;
    /* Starts an invocation of fn from region now, tagged (inst, step), on
     * behalf of its request's `source` (as sim_wflow_request was given it):
     * its end is reported with sim_wflow_step_ended, possibly before invoke
     * returns (a request rejected at once). */
    int (*invoke)(void *ctx, size_t fn, size_t region, uint32_t source, uint32_t inst,
                  uint32_t step);
    /* Calls sim_wflow_resume(x, inst, step, at) at virtual time at. */
    int (*later)(void *ctx, edge_time at, uint32_t inst, uint32_t step);
} sim_wflow_env;

/* How one step invocation ended. Times are virtual; started and exec_start
 * are meaningful only when it started. */
typedef struct sim_wflow_end {
    edge_time arrival, started, exec_start, end;
    edge_time net;           /* client region -> node latency; 0 when never placed */
    uint32_t node;           /* where it ran last; UINT32_MAX when never placed */
    int ok, cold, started_ok; /* started_ok: it ran (a slot was had) */
    edge_time transfer;      /* of arrival to start: the wait for its request and its
                                inputs' payloads (sim_wflow_inputs) to be through */
    edge_time response;      /* of exec_start to end: its response's transfer (0: none) */
} sim_wflow_end;

/* For scenario sc (borrowed; it must outlive the module) and env (copied).
 * series_path: where workflow_series.csv goes (written as the run goes,
 * renamed into place by sim_wflow_write); NULL for none. Returns NULL with a
 * one-line reason in err. Caller frees with sim_wflow_free. */
sim_wflow *sim_wflow_create(const sim_scenario *sc, const sim_wflow_env *env,
                            const char *series_path, char *err, size_t errlen);

/* Draws every finished request into the Chrome trace t (borrowed; NULL:
 * none) as sim_trace_workflow describes. */
void sim_wflow_set_trace(sim_wflow *x, sim_trace *t);

/* A request of workflow wf from region arrives now: its first steps start.
 * `source` is the caller's tag for where it came from (the world's: its
 * client group), handed back with each of its step invocations. */
int sim_wflow_request(sim_wflow *x, size_t wf, size_t region, uint32_t source, edge_time now);

/* The invocation of (inst, step) ended (e). */
int sim_wflow_step_ended(sim_wflow *x, uint32_t inst, uint32_t step, const sim_wflow_end *e);

/* One input of a step: an edge's payload and the node it comes from. */
typedef struct sim_wflow_input {
    uint32_t from;           /* the node the predecessor ran on (last run) */
    double bytes;            /* payload_mb x 10^6 */
} sim_wflow_input;

/* The inputs step s of request inst needs carried to `node`, where its
 * first run is going, into out[0..return) (at most max): one per incoming
 * edge that was taken, has payload_mb > 0 and comes from another node. A
 * repeat run (not the first) has none. O(in-degree). */
size_t sim_wflow_inputs(const sim_wflow *x, uint32_t inst, uint32_t step, size_t node,
                        sim_wflow_input *out, size_t max);

/* A step's result reaches its workflow (scheduled through env->later). */
int sim_wflow_resume(sim_wflow *x, uint32_t inst, uint32_t step, edge_time now);

/* Closes a sampling interval ending at now: one workflow_series.csv row a
 * workflow. Returns 0 or -1 (writing failed). */
int sim_wflow_sample(sim_wflow *x, edge_time now);

/* summary.json's "workflows" object (caller owns it), or NULL out of memory. */
cJSON *sim_wflow_summary(const sim_wflow *x);

/* Writes workflows.csv and workflow_steps.csv into outdir and commits
 * workflow_series.csv. Returns 0 or -1 with a message in err. */
int sim_wflow_write(sim_wflow *x, const char *outdir, char *err, size_t errlen);

/* Frees x (removing an uncommitted workflow_series.csv). NULL is fine. */
void sim_wflow_free(sim_wflow *x);

#endif
