/*
 * netbench.h — a flow-level benchmark of the fair-sharing solver on the
 * event engine, the same work SimGrid's s4u runs in scripts/simgrid-flows.cpp
 * (make bench compares the two, flow by flow).
 *
 * Topology: a two-level tree of `leaves` leaf links in groups of `fanout`
 * under leaves / fanout aggregation links (default 16 + 4 = 20 links). A
 * flow goes from host a to host b != a: leaf(a), agg(a), [agg(b) if other],
 * leaf(b). Workload: `slots` closed loops; slot s sends flows s, s + slots,
 * s + 2 slots, ... one after the other, each starting when the previous one
 * of its slot is through; flow i's hosts and size (exponential) come from
 * one stream, so the list is the same for any slot count. A flow first
 * waits its route's latency (2 leaf latencies), then shares: CM02 with its
 * factors at 1 and equal route latencies, which is plain max-min.
 *
 * Open mode (open_load > 0): no loops; flow i starts at a time of its own,
 * from a Poisson process whose rate loads each leaf link to open_load on
 * average (each flow crosses two leaves: rate = open_load x leaves x
 * leaf_bps / (16 x mean_bytes)), drawn from a stream of its own (the
 * "netbench-arrivals" stream: the hosts and sizes stay those of the closed
 * list), rounded to the nanosecond. With every start fixed, a flow's finish
 * depends on the others only through rates, so two simulators of the same
 * model agree flow by flow to within rounding: the check that the closed
 * loops cannot give once a near tie has swapped two finishes.
 */
#ifndef SIM_NET_NETBENCH_H
#define SIM_NET_NETBENCH_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "time.h"

typedef struct sim_netbench_config {
    uint32_t leaves, fanout;   /* default 16, 4 */
    double leaf_bps, agg_bps;  /* default 1e9, 4e9 */
    double mean_bytes;         /* default 1e6 */
    edge_time leaf_latency;    /* each leaf link's latency (a route crosses two, so every
                                  route's is 2x: equal RTTs keep SimGrid's CM02 plain
                                  max-min); default 1us */
    uint32_t slots;            /* flows in flight; default 100 */
    uint64_t flows;            /* flows to complete; default 200,000 */
    uint64_t seed;             /* default 1 */
    double open_load;          /* 0: closed loops (slots); in (0, 1): open mode, each leaf
                                  link's mean load */
    FILE *finish_out;          /* NULL, or: one line "flow,finish_s" per flow, in finish
                                  order, written after the timed run (16 bytes a flow
                                  are kept until then) */
    FILE *list_out;            /* NULL, or: the flow list "flow,src,dst,bytes" (closed), or
                                  "flow,src,dst,bytes,start_s" (open) */
} sim_netbench_config;

typedef struct sim_netbench_result {
    uint64_t flows, events, reschedules, groups_visited;
    uint64_t recomputes, fast; /* the solver's flushes: recomputed, or by its fast paths */
    double cpu_seconds;        /* process CPU time of the run */
    edge_time end;             /* virtual time of the last finish */
    double mean_in_flight;     /* time-average flows in flight (slots when closed) */
} sim_netbench_result;

void sim_netbench_defaults(sim_netbench_config *c);
/* Runs it. EDGE_NOMEM, EDGE_INVAL (a zero count, open_load not in [0, 1)). */
edge_err sim_netbench_run(const sim_netbench_config *c, sim_netbench_result *r);

#endif
