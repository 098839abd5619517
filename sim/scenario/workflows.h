/*
 * workflows.h — the scenario's "workflows" section: DAGs of function steps
 * (docs/scenario.md, "workflows"; what a run does with them:
 * docs/semantics.md, "Workflows").
 *
 * A workflow is a list of steps in topological order: each step names a
 * function and the steps it runs after ("after"), and those must be listed
 * before it, so a workflow is acyclic by construction. An edge may carry a
 * payload size (carried over network.links from the predecessor's node to
 * the step's; no transfer time without links) and a
 * probability: the edges out of one step that carry a probability form a
 * branch (exactly one of them is taken per request; they sum to 1), the
 * others are always taken. A step may repeat: it runs `repeat` times in a
 * row before its successors may start.
 *
 * Plain data, owned by the sim_scenario; read by sim/scenario/workflows.c.
 */
#ifndef SIM_SCENARIO_WORKFLOWS_H
#define SIM_SCENARIO_WORKFLOWS_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

/* Limits, with their reasons. */
#define SIM_WF_MAX_STEPS 1024    /* per request, each step's state is held while it runs */
#define SIM_WF_MAX_REPEAT 1000000 /* a loop longer than this is a modelling mistake */
#define SIM_WF_MAX 100000        /* workflows per scenario: per workflow a row in every output */

/* One incoming edge of a step. */
typedef struct sim_wf_edge {
    uint32_t from;           /* index of the predecessor step (< this step's index) */
    double payload_mb;       /* data handed over; default 0 */
    double probability;      /* in (0, 1] for a branch edge; -1: always taken */
} sim_wf_edge;

typedef struct sim_wf_step {
    char *id;                /* unique within its workflow */
    size_t function;         /* index into the scenario's functions */
    uint32_t repeat;         /* runs in a row; default 1 */
    sim_wf_edge *after;      /* its predecessors, as written; owned */
    size_t nafter;
} sim_wf_step;

typedef struct sim_workflow_spec {
    char *id;
    edge_time deadline;      /* end-to-end; 0: none */
    sim_wf_step *steps;      /* in the file's (topological) order; owned */
    size_t nsteps;
} sim_workflow_spec;

/* Frees what a workflow owns (not wf itself). NULL is fine. */
void sim_workflow_spec_free(sim_workflow_spec *wf);

#endif
