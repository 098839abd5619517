/*
 * world_internal.h — the world's state, shared by the files of sim/model/
 * that make up one run. Not for other modules: the outputs get plain data
 * (world_summary.c builds it).
 *
 * The files, top to bottom; each calls only files below it (or through a
 * hook the upper one set, as the keep-alive policy's removal hook):
 *   world_api.c       world.h's run in pieces (run until, step), state readers,
 *                     inject: what the embedding API (sim/api) drives
 *   world_build.c     world.h's API: build from a scenario, run, free
 *   world_summary.c   the end-of-run summaries handed to the report
 *   world_faults.c    faults and operations
 *   world_health.c    health checks, probes, the state synchronizer
 *   world_sample.c    samples and the progress line
 *   world_deploy.c    placements (scenario deployments, deploy faults)
 *   world.c           the run loop: arrivals, routing, execution, heartbeats
 *   world_keepalive.c the keep-alive policy (hybrid per invocation)
 *   world_cache.c     artifact caches
 *   world_core.c      the calls into libedgecore
 */
#ifndef SIM_WORLD_INTERNAL_H
#define SIM_WORLD_INTERNAL_H

#include <stdint.h>

#include "engine/engine.h"
#include "health_monitor.h"
#include "metrics.h"
#include "node.h"
#include "engine/rng.h"
#include "scenario/scenario.h"
#include "scheduler.h"
#include "input/workload.h"
#include "model/world.h"
#include "runtime.h"

#define WNODE_NONE UINT32_MAX
#define WINV_MAX_TRIED 16 /* attempts per invocation: retries are capped at 15 */

typedef struct sim_report sim_report;
typedef struct wcore wcore;
typedef struct wka wka;
typedef struct wnet wnet;

/* Called by world_core.c when an instance of fn left node (keep-alive
 * expiry, eviction, crash), with the idle instances of fn left there. The
 * keep-alive policy sets it (wka_create): world_keepalive.c calls into
 * world_core.c, never the other way round, so the core binding reaches the
 * policy only through this hook and the two fields it sets in sim_world. */
typedef void (*wcore_removal_hook)(struct sim_world *w, size_t fn, size_t node,
                                   uint32_t idle_left);

/* Pre-warms of a function or of the run (hybrid keep-alive). */
typedef struct wka_counts {
    uint64_t done;      /* instances pre-warmed */
    uint64_t used;      /* warm starts served while a pre-warmed instance was idle */
    uint64_t cancelled; /* pending pre-warms that never fired (an arrival came first,
                           or a newer decision replaced them) */
    uint64_t failed;    /* fired but could not load (node down, memory, undeployed) */
} wka_counts;
typedef struct wsync wsync;

/* One invocation in flight (pool entry; its index is its id). */
typedef struct winv {
    uint64_t seq;         /* arrival order, for invocations.csv */
    edge_time arrival, started, exec_start; /* exec_start: after the cold start */
    edge_time exec_fixed; /* a recorded execution time (Azure 2021), or -1: draw one */
    edge_time exec;       /* the execution drawn at its start, run once it has a slot
                             (read only while it initialises without one) */
    edge_time slot_wait;  /* of its last attempt: time from the end of its initialisation
                             to its slot (policies.cold_start_holds_slot false), else 0 */
    edge_time xfer, xfer_start; /* time in request/response transfers; the current one's start */
    edge_time xfer_in;    /* a workflow step's wait for its inputs (edge payloads, with
                             its request): routing to delivery; 0 without inputs */
    sim_handle done;      /* its completion event while running */
    uint64_t rt;          /* the runtime's handle for the invocation */
    edge_runtime_lines fin; /* what its finish will read (a prefetch hint, set at its
                               start when the hint is on: world_prefetch) */
    uint32_t fn, region, node;
    uint32_t next_free;   /* the free list's link while free; while it waits in its
                             node's ready list, that list's link */
    uint32_t wf_req, wf_step; /* a workflow step: 1 + its request (model/workflow.h), 0: none */
    uint16_t inbound;     /* transfers to its node still on the way (request, inputs:
                             fewer than SIM_WF_MAX_STEPS) */
    uint8_t inputs;       /* the current attempt waits for a workflow step's inputs */
    uint32_t tried[WINV_MAX_TRIED];
    uint8_t attempts, cold, running, timed_out, live;
    uint8_t ran;          /* it started (started is meaningful) */
    uint8_t slot;         /* it holds one of its node's slots (running and not
                             initialising without one, nor waiting for a slot) */
    uint8_t responding;   /* its response is in transfer (since xfer_start) */
    uint32_t group;       /* 1 + the moving client group ("clients") it came from, 0: none
                             (in what was padding: the record stays 232 bytes) */
} winv;

/* One node: what the simulator knows that the control plane may not.
 * Line-aligned (the array is aligned_alloc'd): the first line holds what
 * every start and finish reads and writes, the second what most of them do
 * (at 10,000 nodes a node's record is not in cache from one invocation of
 * it to the next: each line is a miss). */
typedef struct wnode {
    /* execution: the first line */
    _Alignas(64) uint32_t busy;    /* slots in use */
    uint32_t unslotted;            /* started cold without a slot (cold_start_holds_slot
                                      false): initialising, or waiting in the ready list */
    uint32_t nready;               /* the ready list's length (below) */
    uint32_t qcap, qhead, qlen;    /* FIFO of waiting invocation ids: a ring of qcap
                                      slots, allocated on first use (world.c, queue_grow) */
    uint32_t epoch;                /* moves on at each crash */
    uint32_t cores, queue_limit;   /* the spec's (sc->nodes[i]), copied here: one line less */
    int up;
    uint32_t *queue;
    edge_time busy_since;
    double busy_integral;          /* slot-ns */
    /* the second line */
    double degrade_factor;         /* 1 = normal */
    edge_time expiry_at;
    uint64_t invocations;
    uint32_t ready_head, ready_tail; /* FIFO of initialised invocations waiting for a
                                      slot (linked through winv.next_free); served before
                                      the queue */
    double busy_at_warmup;         /* busy_integral at the warm-up (energy counts after it) */
    sim_handle expiry;             /* the pending keep-alive expiry event */
    /* truth */
    int registered;
    edge_time crashed_at;
    int crash_pending_detection;
    uint32_t crashes;
    int maintenance;               /* open maintenance windows */
    /* heartbeats */
    uint64_t hb_epoch;             /* timers of an older epoch are ignored */
    edge_time hb_delay;            /* > 0 during a heartbeat_delay window */
    int hb_loss;                   /* open heartbeat_loss windows */
    edge_time hb_last_at;
    edge_time hb_nominal;          /* the instant of the latest beat before its jitter */
    double hb_busy_at;             /* busy_integral at the last heartbeat */
    int reported_overloaded;
    /* the control plane's view, mirrored for speed */
    edge_node_status status;
    /* each failure detector on its own (summary.json health.heartbeat/probes) */
    edge_probe_state probe;        /* active probes; untouched without them */
    uint8_t hb_suspect;            /* the heartbeat was stale at the last check */
    uint8_t hb_pending, probe_pending; /* a crash that detector has not yet seen */
    /* accounting */
    edge_time time_in_status[5];   /* indexed by edge_node_status */
    edge_time status_since;
    edge_time up_time, up_since;
    uint64_t deployments;
    sim_rng fail_rng;
} wnode;

/* One node's artifact cache and its figures (world_cache.c); kept out of
 * wnode, which the run loop touches on every event. */
typedef struct wcache_node {
    struct edge_cache *cache;
    uint64_t lookups, hits, shared, pulls, evictions;
    double pulled_mb;
    edge_time pull_time;           /* sum of the pulls' durations */
    edge_time wait_time;           /* cold starts' delay for artifacts (pulls + shared waits) */
} wcache_node;

/* One failure detector's record: crashes it saw (and how late), crashes it
 * missed (the node came back first, or the run ended), suspicions of a node
 * that was up. */
typedef struct wdetector {
    uint64_t detections, missed, false_suspicions;
    edge_time sum, max;
} wdetector;

typedef struct fn_streams {
    sim_rng exec, cold, cold_exec;
} fn_streams;

struct sim_world {
    const sim_scenario *sc;
    sim_world_options opt;
    sim_engine *eng;
    edge_scheduler *sched;
    edge_metrics metrics;
    sim_rng sched_rng;
    int sched_drawn;             /* the policy picks by its draws alone: world_prefetch
                                    guesses on a copy of sched_rng */
    wcore *core;
    sim_report *report;
    sim_trace *trace;            /* NULL unless --trace */
    edge_err failed;
    int track_idle;              /* the policy looks at idle instances */
    wka *ka;                     /* keep-alive policy state (world_keepalive.c) */
    int ka_hybrid;               /* decided per invocation (else a fixed TTL) */
    edge_time runtime_keepalive; /* the runtimes' default keep-alive (set by wka_create) */
    wcore_removal_hook on_idle_removed; /* hybrid's pre-warm bookkeeping, or NULL */
    struct sim_plugin *plugin;   /* a policy plugin, or NULL; owned */
    char plugin_label[192];      /* "plugin PATH" or "router NAME" when the picks are a
                                    plugin's or an embedder's router; "" otherwise */
    uint32_t *node_region;       /* per node its region, when a plugin or a router picks
                                    (NULL otherwise); owned */
    const struct edge_policy_keepalive *ka_plugin; /* the plugin's keep-alive table, or NULL */
    struct wplug *wplug;         /* its instance / placement tables (world_plugin.c), or
                                    NULL; owned */
    /* called for each new runtime (world_plugin.c sets it: through a pointer, so
     * that world_core does not call back into the file that calls it), or NULL */
    edge_err (*on_runtime_new)(struct sim_world *w, size_t node, struct edge_runtime *rt);
    char fail_msg[320];          /* why the run failed, when more than an edge_err says */
    struct sim_wflow *wf;        /* workflows (model/workflow.h); NULL without; owned */
    struct was *as;              /* the autoscaler (model/autoscaler.h); NULL when none */
    int cache_on;                /* some function has an artifact */
    wcache_node *cnodes;         /* per node when cache_on, else NULL */
    wnet *net;                   /* the network (world_net.c), or NULL: none */

    wnode *nodes;
    size_t nnodes;
    fn_streams *fn_rng;
    sim_arrivals *arrivals_of;
    uint64_t *arrival_epoch;
    const struct edge_runtime **fn_rt; /* per function the runtime of its last delivery,
                                    or NULL (the array is NULL when the hint is off):
                                    prefetch */
    double *spike_factor;
    edge_time *latency;          /* [region * nnodes + node] */
    unsigned char *fault_open;   /* per fault: its window is open, row not written */
    size_t nfaults;              /* faults the world knows (the scenario's, then those
                                    injected: sim_world_inject) */
    struct sim_mevents **mev;    /* per fault: a google_machine_events reader, or NULL */
    size_t narrivals;

    winv *invs;
    size_t inv_cap;
    uint32_t inv_free;
    uint64_t inv_seq;

    struct sim_measures *ms;     /* queueing, instance and batch measures; owned */
    sim_rng *hb_rng;             /* per node: heartbeat jitter and phase; NULL without them */

    /* run totals; arrivals_counted, departures and the integrals count from
     * the warm-up (sc->warmup), arrivals every one (run.json) */
    uint64_t arrivals, arrivals_counted, departures, deployments, retried;
    uint64_t in_system;
    double in_system_integral;   /* invocation-ns */
    edge_time in_system_since;
    double time_in_system_sum;   /* ns */
    uint64_t transitions, detections, false_suspicions;
    uint64_t crashes_registered; /* crashes of registered nodes: detections + missed +
                                    undetected (still pending at the end) */
    uint64_t missed;             /* ... the node came back before the status turned OFFLINE */
    edge_time detection_sum, detection_max;
    wdetector hb_det, probe_det;
    wsync *sync;                 /* NULL unless the scenario has "sync" */
    edge_probe_config probes;    /* period 0: no probes */
    uint64_t probes_sent, probes_failed;

    double setup_start, wall_start, last_progress;
    /* the time of the pieces run before sim_world_run (world_api.c): their
     * wall and CPU seconds, and the clocks when the first began (the end of
     * the set-up) */
    double pieces_wall, pieces_cpu, first_piece_wall, first_piece_cpu;
    bool piece_run; /* a piece has run: first_piece_* are set */
};

/* ---- small helpers every part of the world uses (inline: the run loop's
 * handlers call them on every event) ---- */

/* Fails the run with rc (EDGE_NOMEM when 0); the first error wins. */
static inline void wfail_run(sim_world *w, edge_err rc)
{
    if (!w->failed) {
        w->failed = rc ? rc : EDGE_NOMEM;
    }
    sim_engine_fail(w->eng, w->failed);
}

/* Applies the outcomes the metrics hold back (edge_metrics_record_deferred):
 * before anything reads per_function or per_node. Fails the run when a
 * histogram could not grow. */
static inline void wmetrics_flush(sim_world *w)
{
    if (w->metrics.npending && edge_metrics_flush(&w->metrics) != EDGE_OK)
        wfail_run(w, EDGE_NOMEM);
}

/* Fails the run after a write to an output returned -1: the file and the
 * cause ("DIR/health.csv: cannot write: No space left on device") into
 * fail_msg when the report or the trace has a write error; out of memory
 * otherwise. (Inline, as wfail_run: every part of the world calls it, and
 * a function in one of them would tie them into a call loop.) */
static inline void wfail_output(sim_world *w)
{
    if (!w->fail_msg[0] && (sim_report_write_error(w->report, w->fail_msg, sizeof w->fail_msg) ||
                            sim_trace_write_error(w->trace, w->fail_msg, sizeof w->fail_msg))) {
        wfail_run(w, EDGE_STATE);
        return;
    }
    wfail_run(w, EDGE_NOMEM);
}

/* Schedules fn at `at` with payload (id, a, b); the handle into *out when
 * out is not NULL. A full engine fails the run. */
static inline void wschedule(sim_world *w, edge_time at, sim_handler fn, uint64_t id,
                             uint32_t a, uint32_t b, sim_handle *out)
{
    sim_payload p;
    p.id = id;
    p.a = a;
    p.b = b;
    edge_err rc = sim_engine_schedule(w->eng, at, fn, w, p, out);
    if (rc)
        wfail_run(w, rc);
}

/* Integrals over time: busy slots per node (for the CPU % a heartbeat
 * reports), invocations in the system (Little's law), status durations. */
static inline void wnode_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng);
    edge_time wu = w->sc->warmup;
    if (n->busy_since < wu && now >= wu) /* energy counts from the warm-up */
        n->busy_at_warmup = n->busy_integral + (double)n->busy * (double)(wu - n->busy_since);
    n->busy_integral += (double)n->busy * (double)(now - n->busy_since);
    n->busy_since = now;
}

/* The time integrals below count from the warm-up (0 without one). */
static inline edge_time wfrom_warmup(const sim_world *w, edge_time since)
{
    return since > w->sc->warmup ? since : w->sc->warmup;
}

static inline void wsystem_account(sim_world *w)
{
    edge_time now = sim_engine_now(w->eng), from = wfrom_warmup(w, w->in_system_since);
    if (now > from)
        w->in_system_integral += (double)w->in_system * (double)(now - from);
    w->in_system_since = now;
}

static inline void wset_in_system(sim_world *w, int delta)
{
    wsystem_account(w);
    w->in_system = (uint64_t)((int64_t)w->in_system + delta);
}

static inline void wstatus_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng), from = wfrom_warmup(w, n->status_since);
    if (now > from)
        n->time_in_status[n->status] += now - from;
    n->status_since = now;
}

static inline void wup_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng), from = wfrom_warmup(w, n->up_since);
    if (n->up && n->registered && now > from)
        n->up_time += now - from;
    n->up_since = now;
}

static inline void wpublish_load(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    edge_scheduler_set_load(w->sched, node, n->busy + n->qlen + n->unslotted);
}

static inline int wnode_usable(const wnode *n)
{
    return n->registered && (n->status == EDGE_NODE_ONLINE || n->status == EDGE_NODE_DEGRADED);
}

/* ---- the state synchronizer (world_health.c; read by world_summary.c) ---- */

/* Per node: the transfer in flight and the accounting of its replica. */
typedef struct wsync_node {
    struct edge_sync_message *msg; /* the transfer in flight (a reference); NULL when none */
    uint32_t epoch;                /* the node's crash epoch when it was sent */
    uint8_t corrupt;               /* damaged on the way (a state_corruption fault) */
    uint8_t behind;                /* the replica is behind the primary */
    int corrupt_windows;           /* open state_corruption windows on this node */
    edge_time behind_since, lag_total, lag_max;
    uint64_t transfers, bytes, rejected, lost;
} wsync_node;

struct wsync {
    struct edge_synchronizer *core;
    wsync_node *node;            /* nnodes */
    edge_time interval;
    double mbps;                 /* sync.bandwidth_mbps; 0: each node's bandwidth_mb_per_s x 8.
                                    transfer time = round(bytes * 8000 / mbps) ns, at least 1 */
    uint64_t rounds, updates, injected, detected;
};

/* ---- world_core.c: the calls into libedgecore ---- */
int wcore_create(sim_world *w, char *err, size_t errlen);
void wcore_free(sim_world *w);
edge_err wcore_register(sim_world *w, size_t node);
edge_err wcore_deregister(sim_world *w, size_t node);
void wcore_drain(sim_world *w, size_t node, int on);
int wcore_can_run(sim_world *w, size_t fn, size_t node);
edge_err wcore_deploy_to(sim_world *w, size_t fn, size_t node);
edge_err wcore_deploy_least_loaded(sim_world *w, size_t fn, size_t *node);
/* Places up to `replicas` of fn with an edge_placement strategy: the
 * scenario indices of the nodes go to nodes[0..*placed) (room for
 * replicas). Errors as edge_cluster_deploy_strategy_idx. */
edge_err wcore_deploy_strategy(sim_world *w, size_t fn, int strategy, uint32_t replicas,
                               size_t *nodes, size_t *placed);
edge_err wcore_undeploy(sim_world *w, size_t fn, size_t node);
/* Counts an invocation routed to fn's deployment on node in the core's
 * per-deployment counter (placements.csv's invocations). */
void wcore_count_invocation(sim_world *w, size_t fn, size_t node);
/* That counter into *out; -1 when fn is not deployed on node. */
int wcore_deployment_count(sim_world *w, size_t fn, size_t node, uint64_t *out);
void wcore_heartbeat(sim_world *w, size_t node, edge_time now, double cpu_percent);
int wcore_overloaded(sim_world *w, size_t node);
edge_time wcore_last_heartbeat(sim_world *w, size_t node);
void wcore_set_status(sim_world *w, size_t node, edge_node_status st);
/* 0 when started (cold says how; where its finish will read into *lines
 * when lines is not NULL, a prefetch hint); -1 when it must wait for memory
 * or for an instance below the function's limit; -2 when it cannot start
 * here at all (the function is no longer deployed). */
int wcore_start(sim_world *w, size_t node, size_t fn, uint32_t id, int *cold, uint64_t *handle,
                edge_runtime_lines *lines);
void wcore_finish(sim_world *w, size_t node, size_t fn, uint64_t handle, int ok);
/* The invocations in flight on node's runtime (each holds a busy instance,
 * tagged with its id at wcore_start): the first min(cap, count) ids into
 * tags, in the runtime's instance order; returns the count. O(instances of
 * the node), so a crash costs what its node holds, not what the world does. */
size_t wcore_running(const sim_world *w, size_t node, uint64_t *tags, size_t cap);
void wcore_crash(sim_world *w, size_t node);
void wcore_arm_expiry(sim_world *w, size_t node);
/* Loads one idle (warm) instance of fn on node at the engine's now, outside
 * any invocation (a pre-warm, an autoscaler's replica made ready), and
 * counts it as made in the measures, as a cold start's instance is: every
 * instance made outside wcore_start is made here, so that what the measures
 * count as made is what the runtime later reports as removed. Tells warm_first
 * and arms the node's expiry. EDGE_OK; otherwise the runtime's error (no
 * runtime: EDGE_STATE) and nothing changed. */
edge_err wcore_warm_up(sim_world *w, size_t fn, size_t node);
uint32_t wcore_warm_instances(sim_world *w, size_t node);
/* The runtime of a scenario node (NULL before its first registration). */
struct edge_runtime *wcore_runtime(const sim_world *w, size_t node);
/* Starts loading the core's per-node entries a delivery to node reads. */
void wcore_prefetch_node(const sim_world *w, size_t node);

/* Starts loading what a delivery to node reads first, one array after
 * another: its record (both lines), the core's entries, its scheduler load.
 * Fetched together their misses overlap. A hint: changes nothing. */
static inline void wprefetch_delivery(const sim_world *w, size_t node)
{
    __builtin_prefetch(&w->nodes[node], 1);
    __builtin_prefetch((const char *)&w->nodes[node] + 64, 1);
    wcore_prefetch_node(w, node);
    edge_scheduler_prefetch_node(w->sched, node);
}
/* Every (function, node) pair ever deployed in a runtime, once each, in
 * order of first deployment: what per-function reports sum over. */
typedef struct wcore_pair {
    uint32_t fn, node;
} wcore_pair;
size_t wcore_deployed_pairs(const sim_world *w, const wcore_pair **out);
/* At the warm-up: keeps the runtimes' counters, which the two calls below
 * then subtract (without a warm-up they give the whole run). -1 when out of
 * memory. */
int wcore_warmup(sim_world *w);
/* node's runtime counters from the warm-up on; -1 when it has no runtime. */
int wcore_runtime_stats(const sim_world *w, size_t node, edge_runtime_stats *out);
/* The same for the k-th deployed pair (wcore_deployed_pairs); -1 when none. */
int wcore_pair_stats(const sim_world *w, size_t k, edge_runtime_stats *out);
/* Brings node's runtime to now (expiring what ran out), so that its idle
 * memory time counts up to now. */
void wcore_expire_to(sim_world *w, size_t node, edge_time now);
/* Tells the scheduler the idle count of (fn, node) changed (warm_first). */
void wcore_idle_changed(sim_world *w, size_t fn, size_t node);
double wcore_memory_used(sim_world *w, size_t node);
/* The cluster (borrowed) and a scenario node's index in it (EDGE_NONE when
 * not registered): for placement decisions made outside the cluster. */
const struct edge_cluster *wcore_cluster(const sim_world *w);
/* The functions deployed on node now (the cluster's list, borrowed until
 * deployments change); NULL with *n = 0 when it is not registered. */
const uint32_t *wcore_functions_on(const sim_world *w, size_t node, size_t *n);
uint32_t wcore_cluster_index(const sim_world *w, size_t node);

/* ---- world_plugin.c: a plugin's instance selection and placement ---- */
typedef struct wplug wplug;
/* After the plugin is loaded, before the first wcore_register: sets up
 * w->wplug when the plugin has either table, and w->on_runtime_new when it
 * selects instances (each new runtime's decisions then go to the plugin).
 * 0, or -1 with err. */
int wplug_create(sim_world *w, char *err, size_t errlen);
void wplug_free(sim_world *w);
/* Deploys one replica of fn where least_loaded would, or where the plugin's
 * placement table says (reason: EDGE_POLICY_PLACE_*); *node gets it. Errors
 * as wcore_deploy_least_loaded; a bad answer fails the run (w->failed). */
edge_err wplace_least_loaded(sim_world *w, size_t fn, int reason, size_t *node);
/* summary.json "plugin_decisions", when there is a wplug. */
void wplug_summary(const sim_world *w, struct cJSON *root);


/* ---- world_keepalive.c: the keep-alive policy (docs/semantics.md) ---- */
/* Sets w->ka_hybrid, w->runtime_keepalive (the runtimes' default keep-alive
 * under the scenario's policy) and, when hybrid, w->on_idle_removed. Before
 * the first wcore_register. Returns 0, or -1 with a message in err. */
int wka_create(sim_world *w, char *err, size_t errlen);
void wka_free(sim_world *w);
/* Hybrid only (w->ka_hybrid), each O(1) expected. Kept out of line (noinline):
 * inlined into the run loop's handlers they made the compiler stop inlining
 * the runtime's finish there, costing every run ~1% (callgrind), hybrid or not. */
#define WKA_OUT_OF_LINE __attribute__((noinline, cold))
WKA_OUT_OF_LINE void wka_arrival(sim_world *w, size_t fn);                /* an invocation arrived */
WKA_OUT_OF_LINE void wka_delivered(sim_world *w, size_t fn, size_t node); /* ... reached node: cancels */
/* Around wcore_finish of an invocation of fn on node: before, the policy's
 * decision sets the keep-alive there; after, it schedules the pre-warm. */
WKA_OUT_OF_LINE void wka_before_finish(sim_world *w, size_t node, size_t fn);
WKA_OUT_OF_LINE void wka_after_finish(sim_world *w, size_t node, size_t fn);
WKA_OUT_OF_LINE void wka_warm_start(sim_world *w, size_t fn, size_t node);
/* With a plugin keep-alive table (w->ka_plugin), before wcore_finish of an
 * invocation of fn on node that ran exec ns: asks the plugin how long the
 * instance stays (docs/plugins.md). */
WKA_OUT_OF_LINE void wka_plugin_before_finish(sim_world *w, size_t node, size_t fn,
                                              edge_time exec, int cold, int ok);
const wka_counts *wka_function_counts(const sim_world *w, size_t fn);
const wka_counts *wka_total_counts(const sim_world *w);

/* ---- world_cache.c: artifact caches (docs/semantics.md) ---- */
int wcache_create(sim_world *w, char *err, size_t errlen);  /* after the nodes */
void wcache_free(sim_world *w);
/* A cold start of fn on node now (w->cache_on): how long it waits for the
 * artifact (0 on a hit, the pull or what is left of a shared one). */
WKA_OUT_OF_LINE edge_time wcache_delay(sim_world *w, size_t node, size_t fn);
void wcache_crash(sim_world *w, size_t node); /* pulls in flight are lost */

/* ---- world.c: the invocation path and heartbeats ---- */
/* A new invocation of fn from region now; exec >= 0 is its recorded
 * execution time (a trace's), -1 draws one. */
void winv_new(sim_world *w, size_t fn, size_t region, uint32_t group, edge_time exec);
/* The workflows (model/workflow.h) and the autoscaler (model/autoscaler.h),
 * bound to the invocation paths; 0, or -1 with a message in err. */
int winv_workflows_create(sim_world *w, char *err, size_t errlen);
int winv_autoscaler_create(sim_world *w, char *err, size_t errlen);
/* Invocation id failed for reason: routed again while retries are left (a
 * node crash), else finished with that outcome. */
void winv_fail_or_retry(sim_world *w, uint32_t id, edge_reason reason);
/* The Chrome trace's span of v ending now with reason (with --trace only). */
void winv_trace(sim_world *w, const winv *v, edge_reason reason);
/* Schedules workload k's next arrival at `at`, in its current epoch. */
void winv_schedule_arrival(sim_world *w, size_t k, edge_time at);
/* The prefetch hint of the run loop (sim_engine_set_prefetch), only with
 * many functions. Returns 0, or -1 when memory ran out. */
int winv_prefetch_setup(sim_world *w);
/* Starts node's heartbeat timer now (a new epoch: older timers lapse). */
void whb_start(sim_world *w, size_t node);

/* ---- world_faults.c: faults and operations ---- */
/* Schedules every fault at its time (time 0). */
void wfaults_schedule(sim_world *w);
/* The core's invocation counter of fn's deployment on node into its
 * placements.csv row (before an undeploy or deregister, and at the end). */
void wfaults_keep_count(sim_world *w, size_t fn, size_t node);
/* Writes the faults.csv rows of windows still open at the end of the run. */
void wfaults_close_windows(sim_world *w);
/* Fault k of w->sc, added after the world was made (w->fault_open and w->mev
 * have room for it): applied now when its `at` is now, else scheduled (for
 * world_api.c). 0, or -1 when the run failed. */
int sim__world_apply_fault(sim_world *w, size_t k);

/* ---- world_sample.c: samples and the progress line ---- */
/* Schedules the first sample (time 0). */
void wsample_schedule(sim_world *w);
/* The progress line on stderr, at most every 0.25 s of wall time (and at
 * the end); with opt.progress only. */
void wsample_progress(sim_world *w, edge_time now);
/* A monotonic wall clock, in seconds. */
double wsample_wall_now(void);

/* ---- world_health.c: health checks, probes, the state synchronizer ---- */
/* Schedules the first health check, probe round and sync round (time 0). */
void whealth_schedule(sim_world *w);
/* node's status becomes `to` now, for `reason` (static): health.csv row,
 * detection figures, the cluster and scheduler told. Nothing when it is
 * already `to`. */
void whealth_transition(sim_world *w, size_t node, edge_node_status to, const char *reason);
/* With a synchronizer (w->sync) only. wsync_create returns 0 or -1 (out of
 * memory); wsync_free accepts a world without one. */
int wsync_create(sim_world *w);
void wsync_free(sim_world *w);
/* Opens or closes node's "behind the primary" episode (sync lag) after its
 * replica or the primary changed. */
void wsync_lag(sim_world *w, size_t node);
/* A state_update fault: patches the primary (a failure fails the run). */
void wsync_update(sim_world *w, const cJSON *patch);
/* Closes node's open episode at the end of the run. */
void wsync_close(sim_world *w, size_t node);

/* ---- world_deploy.c: placements ---- */
/* Deploys fn on node now; a placements.csv row whatever the outcome, with
 * `strategy` (static) as its strategy column. */
void wdeploy_one(sim_world *w, size_t fn, size_t node, const char *strategy);
/* The scenario's deployments, in file order (at set-up, time 0). Returns 0,
 * or -1 when memory ran out. */
int wdeploy_scenario(sim_world *w);

/* ---- world_summary.c: the end-of-run summaries ---- */
/* Builds summary.json, the rows of nodes.csv, functions.csv and latency.csv
 * from the finished world (integrals closed) and has the report write them
 * with run.json from stats. Returns 0, or -1 with a message in err. */
int wsummary_finish(sim_world *w, const sim_run_stats *stats, char *err, size_t errlen);

/* ---- world_net.c: the network (sim/net; docs/semantics.md, "Network") ---- */
#include <cjson/cJSON.h>
#include "net/net.h"
/* Builds w->net when the scenario has a network section or its policy
 * looks at tiers and cores (else leaves it NULL and returns 0); done gets a
 * transfer's cookie: the invocation id, bit 32 set for a response. -1 with
 * a message when out of memory. */
int wnet_create(sim_world *w, sim_net_done_fn done, char *err, size_t errlen);
/* world.c: the callback wnet_create is given (a transfer is through). */
void sim__world_net_arrived(void *ctx, uint64_t cookie);
void wnet_free(sim_world *w);
/* Sends invocation id's request (response 0) to node or its response
 * (response 1) back: 1 when a transfer started (done will be called), 0
 * when the function has no such payload (carry on at once). */
int wnet_send(sim_world *w, uint32_t id, size_t node, int response);
/* Invocation id's execution ended: its response may be sent before the
 * handler ends, so the path's entry is fetched now (a hint, w->net set). */
void wnet_will_respond(const sim_world *w, uint32_t id);
/* A transfer of id is done: its time. 1 when id may go on (its response is
 * back, or its request and every input are at its node), 0 while others
 * are on the way. */
int wnet_arrived(sim_world *w, uint32_t id, int response);
void wnet_observe(sim_world *w, uint32_t id, edge_reason reason, edge_time latency);
/* Before routing invocation id: the scheduler's expectations (transfer
 * callback, mean execution) for latency_aware and plugins. */
void wnet_before_pick(sim_world *w, uint32_t id);
/* The region of client group `group` now (a workload's clients). */
size_t wnet_client_region(sim_world *w, size_t group);
int wnet_write(const sim_world *w, char *err, size_t errlen); /* links.csv, link_series.csv */
int wnet_sample(sim_world *w, edge_time now); /* a sample of the links: 0, or -1 out of memory */
/* summary.json "network"; NULL without a network section */
cJSON *wnet_summary(const sim_world *w);
double wnet_energy_j(const sim_world *w); /* transfer energy, joules */

#endif
