/*
 * world.c — the run loop's events bound to the core objects: arrivals,
 * routing, starts and completions of invocations, heartbeats. What every
 * event calls is here, in one translation unit (these handlers run on
 * nearly every event; the rest of the world is split by concern, see
 * world_internal.h).
 *
 * Layout: per node a wnode (slots, FIFO queue, the ready list of cold
 * starts initialised without a slot, truth about crashes and faults,
 * accounting), per invocation in flight a winv from a free-list pool
 * (ids are pool indices, carried in event payloads), per workload an
 * arrival process. Handlers are small; each names the rule of
 * docs/semantics.md it implements.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dist.h"
#include "engine/engine.h"
#include "engine/rng.h"
#include "input/plugin.h"
#include "input/workload.h"
#include "metrics.h"
#include "output/report.h"
#include "output/trace.h"
#include "runtime.h"
#include "scheduler.h"
#include "model/autoscaler.h"
#include "model/measures.h"
#include "model/workflow.h"
#include "model/world_internal.h"

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void *xrealloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n > 0 && size > 0 ? n * size : 1);
}

/* ------------------------------------------------------------------ */
/* heartbeats                                                          */

static void ev_heartbeat(sim_engine *e, void *ctx, const sim_event *ev);

static void ev_heartbeat_deliver(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t node = ev->payload.a;
    wnode *n = &w->nodes[node];
    if (!n->registered)
        return;
    double cpu = (double)ev->payload.b / 1000.0; /* per mille, carried inline */
    wcore_heartbeat(w, node, sim_engine_now(e), cpu);
    n->reported_overloaded = wcore_overloaded(w, node);
}

static void ev_heartbeat(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t node = ev->payload.a;
    wnode *n = &w->nodes[node];
    if (ev->payload.id != n->hb_epoch)
        return; /* a timer from before a crash or deregistration */
    edge_time now = sim_engine_now(e);
    const sim_node_spec *spec = &w->sc->nodes[node];
    wnode_account(w, n);
    double span = (double)(now - n->hb_last_at);
    double cpu = span > 0 && spec->cores
                     ? 100.0 * (n->busy_integral - n->hb_busy_at) / (span * spec->cores)
                     : 100.0 * n->busy / (spec->cores ? spec->cores : 1);
    n->hb_last_at = now;
    n->hb_busy_at = n->busy_integral;
    uint32_t permille = (uint32_t)llround(cpu * 1000.0);
    if (n->hb_loss == 0) {
        if (n->hb_delay > 0)
            wschedule(w, now + n->hb_delay, ev_heartbeat_deliver, 0, (uint32_t)node, permille, NULL);
        else {
            sim_event d = {now, {.id = 0, .a = (uint32_t)node, .b = permille}};
            ev_heartbeat_deliver(e, ctx, &d);
        }
    }
    /* The next beat's instant, then its jitter: jitter does not accumulate. */
    n->hb_nominal += spec->heartbeat_interval;
    edge_time next = n->hb_nominal;
    if (w->hb_rng && w->sc->policies.heartbeat_jitter > 0)
        next += (edge_time)(sim_rng_uniform(&w->hb_rng[node]) *
                            (double)w->sc->policies.heartbeat_jitter);
    if (next <= w->sc->duration)
        wschedule(w, next, ev_heartbeat, n->hb_epoch, (uint32_t)node, 0, NULL);
}

/* Starts node's heartbeats now: the first at once, or, at the start of the
 * run (time 0) with heartbeat_phase "random", at a uniform phase in
 * [0, interval). */
void whb_start(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    edge_time now = sim_engine_now(w->eng);
    n->hb_epoch++;
    n->hb_last_at = now;
    wnode_account(w, n);
    n->hb_busy_at = n->busy_integral;
    n->hb_nominal = now;
    if (now == 0 && w->hb_rng && w->sc->policies.heartbeat_phase_random)
        n->hb_nominal += (edge_time)(sim_rng_uniform(&w->hb_rng[node]) *
                                     (double)w->sc->nodes[node].heartbeat_interval);
    wschedule(w, n->hb_nominal, ev_heartbeat, n->hb_epoch, (uint32_t)node, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* invocations                                                         */

static uint32_t inv_alloc(sim_world *w)
{
    if (w->inv_free == UINT32_MAX) {
        size_t cap = w->inv_cap ? w->inv_cap * 2 : 1024;
        winv *p = xrealloc_array(w->invs, cap, sizeof *p);
        if (!p)
            return UINT32_MAX;
        w->invs = p;
        for (size_t i = cap; i-- > w->inv_cap;) {
            p[i].next_free = w->inv_free;
            p[i].live = 0;
            w->inv_free = (uint32_t)i;
        }
        w->inv_cap = cap;
    }
    uint32_t id = w->inv_free;
    w->inv_free = w->invs[id].next_free;
    winv *v = &w->invs[id];
    /* tried[] is read only below attempts: clearing it would be 64 of the 136
     * bytes written per arrival */
    memset(v, 0, offsetof(winv, tried));
    v->attempts = v->cold = v->running = v->timed_out = v->ran = v->responding = v->slot = 0;
    v->live = 1;
    v->seq = w->inv_seq++;
    return id;
}

static void inv_release(sim_world *w, uint32_t id)
{
    w->invs[id].live = 0;
    w->invs[id].next_free = w->inv_free;
    w->inv_free = id;
}

static void route(sim_world *w, uint32_t id);

/* The final outcome of an invocation: metrics, series, optional row. */
static void finish_invocation(sim_world *w, uint32_t id, edge_reason reason)
{
    winv *v = &w->invs[id];
    edge_time now = sim_engine_now(w->eng);
    edge_time net = v->node == WNODE_NONE ? 0 : w->latency[(size_t)v->region * w->nnodes + v->node];
    edge_time latency = net + (now - v->arrival);
    if (w->net)
        wnet_observe(w, id, reason, latency);
    size_t node = v->node == WNODE_NONE || edge_reason_is_rejection(reason) ? EDGE_METRICS_NO_NODE
                                                                             : v->node;
    if (reason == EDGE_REASON_NO_ELIGIBLE_NODE)
        node = EDGE_METRICS_NO_NODE;
    /* Statistics count invocations that arrived at or after the warm-up; the
     * time series and the fingerprint count every one. */
    if (v->arrival >= w->sc->warmup) {
        if (edge_metrics_record_deferred(&w->metrics, v->fn, node, reason, latency, v->cold) !=
            EDGE_OK)
            wfail_run(w, EDGE_NOMEM);
        /* the measures see the node's part: no request or response transfer;
         * a wait for a slot after the initialisation is waiting, not cold
         * start (the start is moved by it: waiting and cold-start delay add up) */
        edge_time resp = v->responding ? now - v->xfer_start : 0;
        sim_measures_outcome(w->ms, v->fn, reason, v->arrival, v->xfer - resp,
                             v->started + v->slot_wait, v->exec_start, now - resp, latency,
                             v->cold);
        w->time_in_system_sum += (double)(now - v->arrival);
        w->departures++;
    }
    sim_report_outcome(w->report, v->fn, reason, latency, v->cold, now);
    if (w->opt.write_invocations) {
        sim_invocation_row row = {v->seq, v->fn, v->region, v->node, v->arrival, v->started,
                                  now, latency, v->cold, reason, v->attempts};
        if (sim_report_invocation(w->report, &row) != 0)
            wfail_output(w);
    }
    wset_in_system(w, -1);
    if (w->as)
        was_finished(w, v->fn);
    uint32_t wf_req = v->wf_req, wf_step = v->wf_step;
    sim_wflow_end e = {v->arrival, v->started + v->slot_wait, v->exec_start, now, net, v->node,
                       reason == EDGE_REASON_OK, v->cold, v->ran, v->xfer_in,
                       v->xfer - v->xfer_in};
    inv_release(w, id);
    if (wf_req && sim_wflow_step_ended(w->wf, wf_req - 1, wf_step, &e) != 0)
        wfail_run(w, EDGE_NOMEM);
}

/* A failure that a retry may turn into another attempt elsewhere. */
void winv_fail_or_retry(sim_world *w, uint32_t id, edge_reason reason)
{
    winv *v = &w->invs[id];
    if (reason == EDGE_REASON_NODE_CRASH && v->attempts <= w->sc->policies.retries &&
        v->attempts < WINV_MAX_TRIED) {
        w->retried++;
        route(w, id);
        return;
    }
    finish_invocation(w, id, reason);
}

static void ev_done(sim_engine *e, void *ctx, const sim_event *ev);

void winv_trace(sim_world *w, const winv *v, edge_reason reason)
{
    if (w->trace &&
        sim_trace_invocation(w->trace, v->node, w->sc->nodes[v->node].id,
                             w->sc->functions[v->fn].id, v->started, v->exec_start,
                             sim_engine_now(w->eng), edge_reason_name(reason)) != 0)
        wfail_output(w);
}

/* Invocation id, initialised or warm, takes a free slot of its node now and
 * runs its execution (v->exec) from now. */
static void take_slot(sim_world *w, uint32_t id)
{
    winv *v = &w->invs[id];
    size_t node = v->node;
    wnode *n = &w->nodes[node];
    edge_time now = sim_engine_now(w->eng);
    wnode_account(w, n);
    n->busy++;
    n->unslotted--;
    v->slot = 1;
    v->slot_wait = now - v->exec_start; /* exec_start was the end of the initialisation */
    v->exec_start = now;
    if (w->as)
        was_started(w, v->fn);
    wschedule(w, edge_time_add_sat(now, v->exec), ev_done, id, (uint32_t)node, n->epoch,
              &v->done);
}

/* The initialisation of a cold start that holds no slot ended: the slot
 * now, or the ready list until one frees (docs/semantics.md, "On a node"). */
static void ev_init_done(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    uint32_t id = (uint32_t)ev->payload.id;
    winv *v = &w->invs[id];
    wnode *n = &w->nodes[v->node];
    if (n->busy < n->cores) {
        take_slot(w, id);
        return;
    }
    if (n->nready++ == 0)
        n->ready_head = id;
    else
        w->invs[n->ready_tail].next_free = id;
    n->ready_tail = id;
}

/* d x factor (>= 1), rounded, saturated at EDGE_TIME_MAX. */
static edge_time scaled(edge_time d, double factor)
{
    double x = (double)d * factor;
    return x < 0x1p63 ? (edge_time)llround(x) : EDGE_TIME_MAX;
}

/* Starts invocation id on its node if a slot and an instance can be had.
 * Returns 1 when started; 0 when it must wait (memory or the instance limit
 * is held by invocations of the node, which will free it); -1 when it can
 * never start here for want of memory (nothing runs that could free it):
 * rejected no_capacity; -2 when the function was undeployed here meanwhile:
 * rejected no_eligible_node. A warm start takes the slot; so does a cold one,
 * for its initialisation and execution, unless policies.cold_start_holds_slot
 * is false: then it initialises without one and takes one after (ev_init_done). */
static int try_start(sim_world *w, uint32_t id)
{
    winv *v = &w->invs[id];
    size_t node = v->node;
    wnode *n = &w->nodes[node];
    int cold = 0;
    int rc = wcore_start(w, node, v->fn, id, &cold, &v->rt, w->fn_rt ? &v->fin : NULL);
    if (rc == -2)
        return -2;
    if (rc != 0)
        return n->busy + n->unslotted > 0 ? 0 : -1;
    edge_time now = sim_engine_now(w->eng);
    if (cold)
        sim_measures_created(w->ms, v->fn, now);
    v->cold = cold;
    v->started = now;
    v->running = 1;
    v->ran = 1;
    v->slot_wait = 0;
    if (w->ka_hybrid && !cold)
        wka_warm_start(w, v->fn, node);
    edge_scheduler_started(w->sched, v->fn, node, now);
    const sim_function_spec *f = &w->sc->functions[v->fn];
    /* With cold_exec_time a cold invocation's whole service is one draw from
     * it (a stream of its own), with no separate cold-start delay. */
    int whole = cold && f->cold_exec;
    edge_time init = cold && !whole ? sim_dist_sample_time(f->cold_start, &w->fn_rng[v->fn].cold)
                                    : 0;
    if (cold && w->cache_on) /* the artifact first: pull, or wait for a pull */
        init = edge_time_add_sat(init, wcache_delay(w, node, v->fn));
    edge_time exec;
    if (whole)
        exec = sim_dist_sample_time(f->cold_exec, &w->fn_rng[v->fn].cold_exec);
    else
        exec = v->exec_fixed >= 0 ? v->exec_fixed
                                  : sim_dist_sample_time(f->exec, &w->fn_rng[v->fn].exec);
    if (n->degrade_factor > 1.0)
        exec = scaled(exec, n->degrade_factor);
    /* draws saturate at EDGE_TIME_MAX (a heavy tail): so do the times */
    v->exec_start = edge_time_add_sat(now, init);
    v->timed_out = exec > f->timeout;
    if (v->timed_out)
        exec = f->timeout;
    if (init > 0 && w->sc->policies.cold_start_no_slot) {
        n->unslotted++;
        v->exec = exec;
        wschedule(w, v->exec_start, ev_init_done, id, (uint32_t)node, n->epoch, &v->done);
        return 1;
    }
    wnode_account(w, n);
    n->busy++;
    v->slot = 1;
    if (w->as)
        was_started(w, v->fn);
    wschedule(w, edge_time_add_sat(v->exec_start, exec), ev_done, id, (uint32_t)node, n->epoch,
              &v->done);
    return 1;
}

/* Gives free slots to the ready list (initialised invocations), then starts
 * queued invocations while slots and memory allow (FIFO). */
static void drain_queue(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    while (n->nready > 0 && n->busy < n->cores && n->up) {
        uint32_t id = n->ready_head;
        n->ready_head = w->invs[id].next_free;
        n->nready--;
        take_slot(w, id);
    }
    while (n->qlen > 0 && n->busy < n->cores && n->up) {
        uint32_t id = n->queue[n->qhead];
        int rc = try_start(w, id);
        if (rc == 0)
            break; /* the head waits for memory: FIFO, no overtaking */
        n->qhead = (n->qhead + 1) % n->qcap;
        n->qlen--;
        if (rc < 0)
            finish_invocation(w, id, rc == -2 ? EDGE_REASON_NO_ELIGIBLE_NODE
                                              : EDGE_REASON_NO_CAPACITY);
    }
    wpublish_load(w, node);
}

static void ev_done(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    uint32_t id = (uint32_t)ev->payload.id;
    winv *v = &w->invs[id];
    size_t node = v->node;
    wnode *n = &w->nodes[node];
    if (w->net)
        wnet_will_respond(w, id);
    wnode_account(w, n);
    n->busy--;
    sim_measures_ran(w->ms, v->fn, v->started, ev->time);
    v->running = 0;
    v->slot = 0;
    if (w->as)
        was_stopped(w, v->fn);
    int ok = !v->timed_out;
    winv_trace(w, v, ok ? EDGE_REASON_OK : EDGE_REASON_TIMEOUT);
    if (w->ka_hybrid) /* the policy decides the keep-alive before the instance idles */
        wka_before_finish(w, node, v->fn);
    if (w->ka_plugin) /* a plugin's keep-alive table has the last word */
        wka_plugin_before_finish(w, node, v->fn, ev->time - v->exec_start, v->cold, ok);
    wcore_finish(w, node, v->fn, v->rt, ok);
    if (w->ka_hybrid)
        wka_after_finish(w, node, v->fn);
    edge_scheduler_finished(w->sched, v->fn, node, ev->time, ok);
    n->invocations++;
    if (ok && w->net && wnet_send(w, id, node, 1)) /* finished when the response is back */
        v->responding = 1;
    else
        finish_invocation(w, id, ok ? EDGE_REASON_OK : EDGE_REASON_TIMEOUT);
    drain_queue(w, node);
    wcore_arm_expiry(w, node);
}

/* Hands invocation id to node: start, queue or reject (semantics: "On a node"). */
/* A node's queue is allocated on its first waiting invocation and doubles
 * up to queue_limit (a million nodes x the default 100 slots would be 400 MB
 * of queues that mostly never hold anything). The ring is laid out again
 * from index 0. Returns 0, or -1 out of memory (the queue unchanged). */
static int queue_grow(wnode *n, uint32_t limit)
{
    uint32_t cap = n->qcap ? 2 * n->qcap : 4;
    if (cap > limit || cap < n->qcap)
        cap = limit;
    uint32_t *q = malloc((size_t)cap * sizeof *q);
    if (!q)
        return -1;
    for (uint32_t k = 0; k < n->qlen; k++)
        q[k] = n->queue[(n->qhead + k) % n->qcap];
    free(n->queue);
    n->queue = q;
    n->qcap = cap;
    n->qhead = 0;
    return 0;
}

static void deliver(sim_world *w, uint32_t id, size_t node)
{
    wprefetch_delivery(w, node); /* the node was just chosen */
    winv *v = &w->invs[id];
    wnode *n = &w->nodes[node];
    v->node = (uint32_t)node;
    v->tried[v->attempts++] = (uint32_t)node;
    wcore_count_invocation(w, v->fn, node);
    if (w->fn_rt)
        w->fn_rt[v->fn] = wcore_runtime(w, node);
    if (w->ka_hybrid)
        wka_delivered(w, v->fn, node); /* an arrival comes before a pending pre-warm */
    if (!n->up) {
        winv_fail_or_retry(w, id, EDGE_REASON_NODE_CRASH);
        return;
    }
    if (n->qlen == 0 && n->busy < n->cores) {
        int rc = try_start(w, id);
        if (rc > 0) {
            wpublish_load(w, node);
            return;
        }
        if (rc < 0) {
            finish_invocation(w, id, rc == -2 ? EDGE_REASON_NO_ELIGIBLE_NODE
                                              : EDGE_REASON_NO_CAPACITY);
            return;
        }
    }
    if (n->qlen >= n->queue_limit) {
        finish_invocation(w, id, EDGE_REASON_QUEUE_FULL);
        return;
    }
    if (n->qlen == n->qcap && queue_grow(n, n->queue_limit) != 0) {
        wfail_run(w, EDGE_NOMEM);
        return;
    }
    n->queue[(n->qhead + n->qlen) % n->qcap] = id;
    n->qlen++;
    wpublish_load(w, node);
}

static uint64_t sched_rand(void *ctx)
{
    return sim_rng_u64(ctx);
}

static void route(sim_world *w, uint32_t id)
{
    winv *v = &w->invs[id];
    size_t tried[WINV_MAX_TRIED];
    for (uint32_t i = 0; i < v->attempts; i++)
        tried[i] = v->tried[i];
    edge_rand r = {sched_rand, &w->sched_rng};
    edge_scheduler_set_costs(w->sched, &w->latency[(size_t)v->region * w->nnodes]);
    if (w->node_region) /* a routing plugin or an embedder's router */
        edge_scheduler_set_request(w->sched, sim_engine_now(w->eng), v->region);
    if (w->net)
        wnet_before_pick(w, id);
    size_t node = edge_scheduler_pick(w->sched, v->fn, tried, v->attempts, &r);
    long bad;
    if (node == EDGE_SCHED_NONE && w->node_region && edge_scheduler_bad_choice(w->sched, &bad)) {
        snprintf(w->fail_msg, sizeof w->fail_msg,
                 "%s answered %ld for function %s (deployed on %zu node(s)): expected a "
                 "candidate index or EDGE_POLICY_NONE",
                 w->plugin_label, bad, w->sc->functions[v->fn].id,
                 edge_scheduler_deployed_count(w->sched, v->fn));
        wfail_run(w, EDGE_INVAL);
    }
    sim_report_decision(w->report, v->fn, node);
    if (node == EDGE_SCHED_NONE && w->as && was_hold(w, id))
        return; /* scale from zero: waits for the replica it called up */
    if (node == EDGE_SCHED_NONE) {
        finish_invocation(w, id, v->attempts ? EDGE_REASON_NODE_CRASH
                                             : EDGE_REASON_NO_ELIGIBLE_NODE);
        return;
    }
    if (w->net && wnet_send(w, id, node, 0)) {
        v->node = (uint32_t)node; /* delivered when the request is through */
        return;
    }
    deliver(w, id, node);
}

/* A transfer is through (world_net.c): the request reaches its node, or
 * the response its client. */
void sim__world_net_arrived(void *ctx, uint64_t cookie)
{
    sim_world *w = ctx;
    uint32_t id = (uint32_t)cookie;
    if (!wnet_arrived(w, id, (int)(cookie >> 32)))
        return; /* other inputs of a workflow step still on the way */
    if (cookie >> 32)
        finish_invocation(w, id, EDGE_REASON_OK);
    else
        deliver(w, id, w->invs[id].node);
}

/* A new invocation of fn from region; exec >= 0 is its recorded execution
 * time (a trace's), -1 draws one from the function's distribution; wf_req
 * 1 + the workflow request it is step wf_step of, or 0. */
static void start_invocation(sim_world *w, size_t fn, size_t region, uint32_t group,
                             edge_time exec, uint32_t wf_req, uint32_t wf_step)
{
    uint32_t id = inv_alloc(w);
    if (id == UINT32_MAX) {
        wfail_run(w, EDGE_NOMEM);
        return;
    }
    winv *v = &w->invs[id];
    v->fn = (uint32_t)fn;
    v->region = (uint32_t)region;
    v->group = group;
    v->node = WNODE_NONE;
    v->arrival = sim_engine_now(w->eng);
    v->exec_fixed = exec;
    v->wf_req = wf_req;
    v->wf_step = wf_step;
    w->arrivals++;
    w->arrivals_counted += v->arrival >= w->sc->warmup;
    wset_in_system(w, +1);
    if (w->as)
        was_arrival(w, fn);
    sim_report_arrival(w->report, fn);
    if (w->ka_hybrid)
        wka_arrival(w, fn);
    route(w, id);
}

void winv_new(sim_world *w, size_t fn, size_t region, uint32_t group, edge_time exec)
{
    start_invocation(w, fn, region, group, exec, 0, 0);
}

/* ---- workflows (docs/semantics.md, "Workflows"): model/workflow.c decides ---- */

static int wf_invoke(void *ctx, size_t fn, size_t region, uint32_t group, uint32_t req,
                     uint32_t step)
{
    sim_world *w = ctx;
    start_invocation(w, fn, region, group, -1, req + 1, step);
    return w->failed ? -1 : 0;
}

static void ev_wf_resume(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    if (sim_wflow_resume(w->wf, (uint32_t)ev->payload.id, ev->payload.a, sim_engine_now(e)) != 0)
        wfail_run(w, EDGE_NOMEM);
}

static int wf_later(void *ctx, edge_time at, uint32_t req, uint32_t step)
{
    sim_world *w = ctx;
    wschedule(w, at, ev_wf_resume, req, step, 0, NULL);
    return w->failed ? -1 : 0;
}

int winv_workflows_create(sim_world *w, char *err, size_t errlen)
{
    sim_wflow_env env = {w, wf_invoke, wf_later};
    char path[4096];
    snprintf(path, sizeof path, "%s/workflow_series.csv", w->opt.outdir);
    if (!(w->wf = sim_wflow_create(w->sc, &env, path, err, errlen)))
        return -1;
    sim_wflow_set_trace(w->wf, w->trace);
    return 0;
}

int winv_autoscaler_create(sim_world *w, char *err, size_t errlen)
{
    return was_create(w, route, err, errlen);
}

static void ev_arrival(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t k = ev->payload.a;
    sim_arrivals *a = &w->arrivals_of[k];
    if (ev->payload.id != w->arrival_epoch[k])
        return; /* superseded by a rate change */
    edge_time exec = a->next_duration;
    edge_time next = sim_arrivals_advance(a);
    if (next != EDGE_TIME_MAX && next <= w->sc->duration)
        wschedule(w, next, ev_arrival, w->arrival_epoch[k], (uint32_t)k, (uint32_t)a->function,
                  NULL);
    size_t region = a->region;
    uint32_t group = 0; /* 1 + its client group */
    if (a->indirect) { /* a client group's region, or a workflow (the spec says) */
        group = (uint32_t)a->spec->clients;
        if (group)
            region = wnet_client_region(w, group - 1);
        if (a->spec->workflow) {
            if (sim_wflow_request(w->wf, a->spec->workflow - 1, region, group,
                                  sim_engine_now(e)) != 0)
                wfail_run(w, EDGE_NOMEM);
            return;
        }
    }
    winv_new(w, a->function, region, group, exec);
}

void winv_schedule_arrival(sim_world *w, size_t k, edge_time at)
{
    wschedule(w, at, ev_arrival, w->arrival_epoch[k], (uint32_t)k,
              (uint32_t)w->arrivals_of[k].function, NULL);
}

/* Prefetch ahead (sim_engine_set_prefetch): an arrival touches its
 * function's arrival state, workload, function spec, random streams and
 * execution-time distribution (with 40,000 trace functions none of it stays
 * in L2); a completion, its invocation, its runtime records and its network
 * latency (the metrics it records are applied in batches: metrics.h). Two events
 * ahead the lines found from the event alone; one event ahead (they are in
 * cache by then) what those lines point to. Only reads and prefetches.
 *
 * It pays where that state cannot stay in cache between two invocations
 * that touch it: about 512 bytes a node (its record, runtime header, pool),
 * 1 kB a function and 128 bytes a deployment (a function's slot on a node,
 * its scheduler and cluster entries), from PREFETCH_MIN_BYTES of them.
 * Below, its cost (two calls and a few compares per event) buys nothing:
 * scale.json at 1,000 nodes (about 1 MB) runs no faster with it. Above, loop
 * CPU with it against without, alternating runs on a 512 kB-L2 host:
 * scale.json (10,000 nodes, 1,000 functions, 30,000 deployments: 10 MB)
 * 1.216 -> 1.045 s (6 of 6 pairs), routing.json (1,000 nodes, 100
 * functions on every node: 13 MB) 0.495 -> 0.479 s (3 of 5: about even).
 * There an arrival's runtime was the function's last node's, where
 * least_loaded seldom sends it again; one event ahead the scheduler now
 * names the node it would pick (edge_scheduler_guess: the tree's root) and
 * that runtime is fetched instead (its record read at once: a demand miss
 * the start would take anyway). routing.json least_loaded, median of 6
 * alternating runs: 612k -> 706k invocations per loop CPU-s (6 of 6).
 * That root was the node picked only 25% of the time: the event about to
 * run is usually an arrival whose pick takes the root first, or a
 * completion that makes its node the lightest. The guess now allows for
 * it (edge_scheduler_guess_after, from the event the engine names as
 * running): 99% right, and routing.json least_loaded 1.11M -> 1.24M
 * invocations per loop CPU-s (medians of 10 alternating pairs, 8 of 10
 * faster, the pairs' ratio 1.12 at the median), outputs byte-identical.
 * power_of_two and random have no tree to read a guess from; their pick
 * changes nothing but the scheduler's stream, so the guess is their pick on
 * a copy of it, after the running arrival's own pick on the same copy
 * (edge_scheduler_guess_drawn): routing.json power_of_two, 60 s, 12
 * alternating pairs: 11 faster, the pairs' ratio 1.08 at the median. */
#define PREFETCH_MIN_BYTES (4.0 * 1024 * 1024)
#define PREFETCH_NODE_BYTES 512.0
#define PREFETCH_FUNCTION_BYTES 1024.0
#define PREFETCH_DEPLOYMENT_BYTES 128.0

/* Every 64-byte line [p, p + bytes) touches, each once (the last one used
 * to be fetched twice when a record ended on a line boundary). */
static void prefetch_lines(const void *p, size_t bytes)
{
    uintptr_t first = (uintptr_t)p & ~(uintptr_t)63;
    uintptr_t last = ((uintptr_t)p + bytes - 1) & ~(uintptr_t)63;
    for (uintptr_t l = first; l <= last; l += 64)
        __builtin_prefetch((const void *)l);
}

/* The function whose node the event about to run picks (an arrival of
 * it), else SIZE_MAX; the node where it ends an invocation (a completion),
 * else SIZE_MAX. Guesses for world_prefetch: a superseded arrival, a
 * workflow's or a retry are not told apart. */
static size_t pick_of(sim_handler running, const sim_event *now)
{
    return running == ev_arrival ? (size_t)now->payload.b : SIZE_MAX;
}

static size_t release_of(const sim_world *w, sim_handler running, const sim_event *now)
{
    if (running != ev_done)
        return SIZE_MAX;
    uint32_t id = (uint32_t)now->payload.id; /* its record is in cache: it was hinted */
    return id < w->inv_cap ? (size_t)w->invs[id].node : SIZE_MAX;
}

static void world_prefetch(void *ctx, sim_handler next, const sim_event *ev, int ahead,
                           sim_handler running, const sim_event *now)
{
    const sim_world *w = ctx;
    if (next == ev_arrival) {
        /* the event carries its function (payload.b): no table read here */
        size_t k = ev->payload.a, fn = ev->payload.b;
        const struct edge_runtime *rt = w->fn_rt[fn]; /* where it most likely goes again */
        if (ahead == 2) {
            prefetch_lines(&w->arrivals_of[k], sizeof w->arrivals_of[k]);
            __builtin_prefetch(&w->arrival_epoch[k]);
            prefetch_lines(&w->sc->workloads[k], sizeof w->sc->workloads[k]);
            prefetch_lines(&w->sc->functions[fn], sizeof w->sc->functions[fn]);
            prefetch_lines(&w->fn_rng[fn], sizeof w->fn_rng[fn]);
            edge_runtime_prefetch(rt, (uint32_t)fn, 2);
            edge_scheduler_prefetch(w->sched, fn, 2);
        } else {
            edge_scheduler_prefetch(w->sched, fn, 1);
            /* the node the policy will pick, if it can tell cheaply
             * (least_loaded's tree root once the event about to run has
             * picked or freed a node): likelier than the last one */
            size_t g = edge_scheduler_guess_after(w->sched, fn, pick_of(running, now),
                                                  release_of(w, running, now));
            if (g == EDGE_SCHED_NONE && w->sched_drawn) {
                /* power_of_two, random: their picks on a copy of the stream */
                sim_rng copy = w->sched_rng;
                edge_rand r = {sched_rand, &copy};
                g = edge_scheduler_guess_drawn(w->sched, fn, pick_of(running, now), &r);
            }
            const struct edge_runtime *grt = g < w->nnodes ? wcore_runtime(w, g) : rt;
            if (grt != rt) { /* its record was not asked for two events ago */
                rt = grt;
                edge_runtime_prefetch(rt, (uint32_t)fn, 2);
            }
            edge_runtime_prefetch(rt, (uint32_t)fn, 1);
            const sim_arrivals *a = &w->arrivals_of[k];
            if (a->spec->minutes && a->mi < a->spec->nminutes)
                __builtin_prefetch(&a->spec->minutes[a->mi]);
            sim_dist_prefetch(w->sc->functions[fn].exec);
        }
    } else if (next == ev_done) {
        const winv *v = &w->invs[(uint32_t)ev->payload.id];
        if (ahead == 2) {
            prefetch_lines(v, sizeof *v);
            return;
        }
        if (v->node >= w->nnodes) /* a stale guess: the record was reused */
            return;
        /* the runtime's records the finish reads (addresses taken at the
         * start: never read through, only prefetched) */
        if (v->fin.header) {
            prefetch_lines(v->fin.header, v->fin.header_bytes);
            prefetch_lines(v->fin.instance, 64);
            prefetch_lines(v->fin.slot, 64);
        }
        __builtin_prefetch(&w->latency[(size_t)v->region * w->nnodes + v->node]);
    }
}

int winv_prefetch_setup(sim_world *w)
{
    const sim_scenario *sc = w->sc;
    const wcore_pair *pairs;
    double state = PREFETCH_NODE_BYTES * (double)sc->nnodes +
                   PREFETCH_FUNCTION_BYTES * (double)sc->nfunctions +
                   PREFETCH_DEPLOYMENT_BYTES * (double)wcore_deployed_pairs(w, &pairs);
    if (state >= PREFETCH_MIN_BYTES) {
        w->fn_rt = calloc(sc->nfunctions, sizeof *w->fn_rt);
        if (!w->fn_rt)
            return -1;
        w->sched_drawn = edge_scheduler_picks_by_draws(w->sched);
        sim_engine_set_prefetch(w->eng, world_prefetch);
        const sim_handler mine[] = {ev_arrival, ev_done}; /* what world_prefetch knows */
        sim_engine_prefetch_only(w->eng, mine, 2);
    }
    return 0;
}

