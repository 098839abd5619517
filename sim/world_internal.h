/*
 * world_internal.h — the world's state, shared by world.c (events),
 * world_core.c (the calls into core) and report.c (outputs). Not for
 * other modules.
 */
#ifndef SIM_WORLD_INTERNAL_H
#define SIM_WORLD_INTERNAL_H

#include <stdint.h>

#include "engine.h"
#include "metrics.h"
#include "node.h"
#include "rng.h"
#include "scenario.h"
#include "scheduler.h"
#include "workload.h"
#include "world.h"

#define WNODE_NONE UINT32_MAX
#define WINV_MAX_TRIED 16 /* attempts per invocation: retries are capped at 15 */

typedef struct sim_report sim_report;
typedef struct wcore wcore;

/* One invocation in flight (pool entry; its index is its id). */
typedef struct winv {
    uint64_t seq;         /* arrival order, for invocations.csv */
    edge_time arrival, started, exec_start; /* exec_start: after the cold start */
    edge_time exec_fixed; /* a recorded execution time (Azure 2021), or -1: draw one */
    sim_handle done;      /* its completion event while running */
    uint64_t rt;          /* the runtime's handle for the invocation */
    uint32_t fn, region, node;
    uint32_t next_free;
    uint32_t tried[WINV_MAX_TRIED];
    uint8_t attempts, cold, running, timed_out, live;
} winv;

/* One node: what the simulator knows that the control plane may not. */
typedef struct wnode {
    /* execution */
    uint32_t busy;                 /* slots in use */
    uint32_t *queue, qcap, qhead, qlen; /* FIFO of waiting invocation ids */
    uint32_t epoch;                /* moves on at each crash */
    /* truth */
    int up, registered;
    edge_time crashed_at;
    int crash_pending_detection;
    uint32_t crashes;
    double degrade_factor;         /* 1 = normal */
    int maintenance;               /* open maintenance windows */
    /* heartbeats */
    uint64_t hb_epoch;             /* timers of an older epoch are ignored */
    edge_time hb_delay;            /* > 0 during a heartbeat_delay window */
    int hb_loss;                   /* open heartbeat_loss windows */
    edge_time hb_last_at;
    double hb_busy_at;             /* busy_integral at the last heartbeat */
    int reported_overloaded;
    /* the control plane's view, mirrored for speed */
    edge_node_status status;
    /* accounting */
    double busy_integral;          /* slot-ns */
    edge_time busy_since;
    edge_time time_in_status[5];   /* indexed by edge_node_status */
    edge_time status_since;
    edge_time up_time, up_since;
    uint64_t invocations, deployments;
    sim_rng fail_rng;
    sim_handle expiry;             /* the pending keep-alive expiry event */
    edge_time expiry_at;
} wnode;

typedef struct fn_streams {
    sim_rng exec, cold;
} fn_streams;

struct sim_world {
    const sim_scenario *sc;
    sim_world_options opt;
    sim_engine *eng;
    edge_scheduler *sched;
    edge_metrics metrics;
    sim_rng sched_rng;
    wcore *core;
    sim_report *report;
    sim_trace *trace;            /* NULL unless --trace */
    edge_err failed;
    int track_idle;              /* the policy looks at idle instances */

    wnode *nodes;
    size_t nnodes;
    fn_streams *fn_rng;
    sim_arrivals *arrivals_of;
    uint64_t *arrival_epoch;
    double *spike_factor;
    edge_time *latency;          /* [region * nnodes + node] */
    unsigned char *fault_open;   /* per fault: its window is open, row not written */
    size_t narrivals;

    winv *invs;
    size_t inv_cap;
    uint32_t inv_free;
    uint64_t inv_seq;

    /* run totals */
    uint64_t arrivals, departures, deployments, retried;
    uint64_t in_system;
    double in_system_integral;   /* invocation-ns */
    edge_time in_system_since;
    double time_in_system_sum;   /* ns */
    uint64_t transitions, detections, false_suspicions;
    edge_time detection_sum, detection_max;

    double wall_start, last_progress;
};

void sim_world_progress(sim_world *w, edge_time now);

/* ---- world_core.c: the calls into libedgecore ---- */
int wcore_create(sim_world *w, char *err, size_t errlen);
void wcore_free(sim_world *w);
edge_err wcore_register(sim_world *w, size_t node);
edge_err wcore_deregister(sim_world *w, size_t node);
void wcore_drain(sim_world *w, size_t node, int on);
int wcore_can_run(sim_world *w, size_t fn, size_t node);
edge_err wcore_deploy_to(sim_world *w, size_t fn, size_t node);
edge_err wcore_deploy_least_loaded(sim_world *w, size_t fn, size_t *node);
edge_err wcore_undeploy(sim_world *w, size_t fn, size_t node);
void wcore_heartbeat(sim_world *w, size_t node, edge_time now, double cpu_percent);
int wcore_overloaded(sim_world *w, size_t node);
edge_time wcore_last_heartbeat(sim_world *w, size_t node);
void wcore_set_status(sim_world *w, size_t node, edge_node_status st);
/* 0 when started (cold says how); -1 when it must wait for memory or for an
 * instance below the function's limit; -2 when it cannot start here at all
 * (the function is no longer deployed). */
int wcore_start(sim_world *w, size_t node, size_t fn, int *cold, uint64_t *handle);
void wcore_finish(sim_world *w, size_t node, size_t fn, uint64_t handle, int ok);
void wcore_crash(sim_world *w, size_t node);
void wcore_arm_expiry(sim_world *w, size_t node);
uint32_t wcore_warm_instances(sim_world *w, size_t node);
double wcore_memory_used(sim_world *w, size_t node);

#endif
