/*
 * world.c — binds a scenario's events to the core objects.
 *
 * Layout: per node a wnode (slots, FIFO queue, truth about crashes and
 * faults, accounting), per invocation in flight a winv from a free-list pool
 * (ids are pool indices, carried in event payloads), per workload an
 * arrival process. Handlers are small; each names the rule of
 * docs/semantics.md it implements.
 */
#include "model/world.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cluster.h"
#include "engine/engine.h"
#include "health_monitor.h"
#include "metrics.h"
#include "output/outfile.h"
#include "input/machine_events.h"
#include "input/plugin.h"
#include "output/report.h"
#include "engine/rng.h"
#include "engine/dist.h"
#include "runtime.h"
#include "scheduler.h"
#include "synchronizer.h"
#include "input/workload.h"
#include "model/world_internal.h"

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void *xrealloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n > 0 && size > 0 ? n * size : 1);
}

static void fail_run(sim_world *w, edge_err rc)
{
    if (!w->failed) {
        w->failed = rc ? rc : EDGE_NOMEM;
    }
    sim_engine_fail(w->eng, w->failed);
}

static void schedule(sim_world *w, edge_time at, sim_handler fn, uint64_t id, uint32_t a,
                     uint32_t b, sim_handle *out)
{
    sim_payload p;
    p.id = id;
    p.a = a;
    p.b = b;
    edge_err rc = sim_engine_schedule(w->eng, at, fn, w, p, out);
    if (rc)
        fail_run(w, rc);
}

/* ------------------------------------------------------------------ */
/* accounting                                                          */

/* Integrals over time: busy slots per node (for the CPU % a heartbeat
 * reports), invocations in the system (Little's law), status durations. */
static void node_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng);
    n->busy_integral += (double)n->busy * (double)(now - n->busy_since);
    n->busy_since = now;
}

static void system_account(sim_world *w)
{
    edge_time now = sim_engine_now(w->eng);
    w->in_system_integral += (double)w->in_system * (double)(now - w->in_system_since);
    w->in_system_since = now;
}

static void set_in_system(sim_world *w, int delta)
{
    system_account(w);
    w->in_system = (uint64_t)((int64_t)w->in_system + delta);
}

static void status_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng);
    n->time_in_status[n->status] += now - n->status_since;
    n->status_since = now;
}

static void up_account(sim_world *w, wnode *n)
{
    edge_time now = sim_engine_now(w->eng);
    if (n->up && n->registered)
        n->up_time += now - n->up_since;
    n->up_since = now;
}

static void publish_load(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    edge_scheduler_set_load(w->sched, node, n->busy + n->qlen);
}

/* ------------------------------------------------------------------ */
/* health                                                              */

static int node_usable(const wnode *n)
{
    return n->registered && (n->status == EDGE_NODE_ONLINE || n->status == EDGE_NODE_DEGRADED);
}

static void sync_start(sim_world *w, size_t node);

static void record_transition(sim_world *w, size_t node, edge_node_status to, const char *reason)
{
    wnode *n = &w->nodes[node];
    if (n->status == to)
        return;
    edge_time now = sim_engine_now(w->eng);
    status_account(w, n);
    sim_health_row row = {now, (uint32_t)node, n->status, to, reason};
    if (sim_report_health(w->report, &row) != 0)
        fail_run(w, EDGE_NOMEM);
    w->transitions++;
    if (to == EDGE_NODE_OFFLINE) {
        if (!n->up && n->crash_pending_detection) {
            w->detections++;
            edge_time lat = now - n->crashed_at;
            w->detection_sum += lat;
            if (lat > w->detection_max)
                w->detection_max = lat;
            n->crash_pending_detection = 0;
        } else if (n->up) {
            w->false_suspicions++;
        }
    }
    if (w->trace && sim_trace_status(w->trace, now, (uint32_t)node, w->sc->nodes[node].id,
                                     edge_node_status_name(to), reason) != 0)
        fail_run(w, EDGE_NOMEM);
    n->status = to;
    wcore_set_status(w, node, to);
    edge_scheduler_set_usable(w->sched, node, node_usable(n));
    /* A node entering SYNCING is sent the state at once, not at the next round. */
    if (to == EDGE_NODE_SYNCING && w->sync)
        sync_start(w, node);
}

/* A detector's suspicion of node: a detection when the node is down with a
 * crash that detector has not yet seen, a false suspicion when it is up. */
static void detector_suspects(sim_world *w, wdetector *d, wnode *n, uint8_t *pending)
{
    edge_time now = sim_engine_now(w->eng);
    if (!n->up && *pending) {
        edge_time lat = now - n->crashed_at;
        d->detections++;
        d->sum += lat;
        if (lat > d->max)
            d->max = lat;
        *pending = 0;
    } else if (n->up) {
        d->false_suspicions++;
    }
}

/* Runs the monitor's rules on one node now and applies the verdict. */
static void check_node(sim_world *w, size_t i, edge_time now)
{
    wnode *n = &w->nodes[i];
    edge_time last = wcore_last_heartbeat(w, i);
    edge_health_input in = {
        .status = n->status,
        .last_heartbeat = last,
        .window = w->sc->policies.health_window,
        .overloaded = n->reported_overloaded,
        .degraded = n->degrade_factor > 1.0,
        .maintenance = n->maintenance > 0,
        .synced = w->sync ? edge_synchronizer_is_current(w->sync->core, i) : 1,
        .probe_suspected = n->probe.suspected,
    };
    /* The heartbeat detector on its own: stale now, fresh before. */
    int stale = now - last > in.window;
    if (stale && !n->hb_suspect)
        detector_suspects(w, &w->hb_det, n, &n->hb_pending);
    n->hb_suspect = (uint8_t)stale;
    edge_health_verdict v = edge_health_check(&in, now);
    if (v.reason)
        record_transition(w, i, v.status, v.reason);
}

static void ev_health_check(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)ev;
    edge_time now = sim_engine_now(e);
    for (size_t i = 0; i < w->nnodes; i++)
        if (w->nodes[i].registered)
            check_node(w, i, now);
    edge_time next = now + w->sc->policies.check_interval;
    if (next <= w->sc->duration)
        schedule(w, next, ev_health_check, 0, 0, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* active probes (semantics: "Active probes")                          */

/* One probe outcome of node i, known now. A suspicion applies the rules at
 * once (OFFLINE, reason probe_timeout); a cleared one waits for the next
 * check, like a resumed heartbeat. */
static void probe_outcome(sim_world *w, size_t i, int ok)
{
    wnode *n = &w->nodes[i];
    if (!ok)
        w->probes_failed++;
    edge_probe_change ch = edge_probe_record(&n->probe, &w->probes, ok);
    if (ch == EDGE_PROBE_SUSPECT) {
        detector_suspects(w, &w->probe_det, n, &n->probe_pending);
        check_node(w, i, sim_engine_now(w->eng));
    }
}

static void ev_probe_timeout(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    if (w->nodes[ev->payload.a].registered)
        probe_outcome(w, ev->payload.a, 0);
}

/* Probes every registered node. A running node answers at once (probes see
 * liveness only: heartbeat faults and degradation leave them alone); a
 * crashed one never, which is known when the timeout runs out. */
static void ev_probe(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)ev;
    edge_time now = sim_engine_now(e);
    for (size_t i = 0; i < w->nnodes; i++) {
        wnode *n = &w->nodes[i];
        if (!n->registered)
            continue;
        w->probes_sent++;
        edge_time answer = n->up ? now : EDGE_PROBE_NO_ANSWER;
        if (edge_probe_in_time(&w->probes, now, answer))
            probe_outcome(w, i, 1);
        else
            schedule(w, now + w->probes.timeout, ev_probe_timeout, 0, (uint32_t)i, 0, NULL);
    }
    /* After the timeouts above: a probe's outcome is in before the next. */
    edge_time next = now + w->probes.period;
    if (next <= w->sc->duration)
        schedule(w, next, ev_probe, 0, 0, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* state synchronizer (semantics: "State synchronizer")                */

/* Opens or closes node's "behind the primary" episode (sync lag). */
static void sync_lag(sim_world *w, size_t node)
{
    wsync_node *y = &w->sync->node[node];
    int behind = !edge_synchronizer_is_current(w->sync->core, node);
    if (behind == y->behind)
        return;
    edge_time now = sim_engine_now(w->eng);
    if (behind) {
        y->behind_since = now;
    } else {
        edge_time d = now - y->behind_since;
        y->lag_total += d;
        if (d > y->lag_max)
            y->lag_max = d;
    }
    y->behind = (uint8_t)behind;
}

static void ev_sync_arrive(sim_engine *e, void *ctx, const sim_event *ev);

/* Sends the primary to node if its replica is behind and nothing is in
 * flight to it; the transfer takes size / bandwidth. */
static void sync_start(sim_world *w, size_t node)
{
    wsync *ws = w->sync;
    wsync_node *y = &ws->node[node];
    if (!edge_synchronizer_needs(ws->core, node))
        return;
    edge_sync_message *m;
    edge_err rc = edge_synchronizer_send(ws->core, node, &m);
    if (rc != EDGE_OK) {
        fail_run(w, rc);
        return;
    }
    y->msg = m;
    y->epoch = w->nodes[node].epoch;
    y->corrupt = y->corrupt_windows > 0;
    y->transfers++;
    y->bytes += m->len;
    double mbps = ws->mbps > 0 ? ws->mbps : w->sc->nodes[node].bandwidth_mb_per_s * 8.0;
    edge_time t = (edge_time)llround((double)m->len * 8000.0 / mbps);
    schedule(w, sim_engine_now(w->eng) + (t > 0 ? t : 1), ev_sync_arrive, 0, (uint32_t)node, 0,
             NULL);
}

/* A transfer ends: lost if the node crashed since it was sent; else the
 * node checks the bytes (damaged ones, by a state_corruption fault, must be
 * rejected) and a SYNCING node that is now current turns ONLINE at once. */
static void ev_sync_arrive(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    wsync *ws = w->sync;
    size_t node = ev->payload.a;
    wnode *n = &w->nodes[node];
    wsync_node *y = &ws->node[node];
    edge_sync_message *m = y->msg;
    y->msg = NULL;
    if (!n->up || y->epoch != n->epoch) {
        y->lost++;
        edge_synchronizer_lost(ws->core, node);
        edge_sync_message_release(m);
        return;
    }
    char *damaged = NULL;
    if (y->corrupt) {
        /* Flip one byte, half-way: the checksum must no longer match. */
        damaged = malloc(m->len ? m->len : 1);
        if (!damaged) {
            edge_sync_message_release(m);
            fail_run(w, EDGE_NOMEM);
            return;
        }
        memcpy(damaged, m->payload, m->len);
        if (m->len)
            damaged[m->len / 2] ^= 0x01;
        ws->injected++;
    }
    edge_err rc = edge_synchronizer_receive(ws->core, node, m, damaged ? damaged : m->payload,
                                            m->len);
    free(damaged);
    edge_sync_message_release(m);
    if (rc == EDGE_CHECKSUM) {
        y->rejected++;
        ws->detected++;
        return; /* sent again at the next round */
    }
    if (rc != EDGE_OK) {
        fail_run(w, rc);
        return;
    }
    sync_lag(w, node);
    if (n->registered && n->status == EDGE_NODE_SYNCING)
        check_node(w, node, sim_engine_now(e));
}

static void ev_sync_round(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)ev;
    w->sync->rounds++;
    /* Every registered node the control plane does not hold OFFLINE. */
    for (size_t i = 0; i < w->nnodes; i++)
        if (w->nodes[i].registered && w->nodes[i].status != EDGE_NODE_OFFLINE)
            sync_start(w, i);
    edge_time next = sim_engine_now(e) + w->sync->interval;
    if (next <= w->sc->duration)
        schedule(w, next, ev_sync_round, 0, 0, 0, NULL);
}

static void sync_update(sim_world *w, const cJSON *patch)
{
    edge_err rc = edge_synchronizer_update(w->sync->core, patch);
    if (rc != EDGE_OK) {
        fail_run(w, rc);
        return;
    }
    w->sync->updates++;
    for (size_t i = 0; i < w->nnodes; i++)
        sync_lag(w, i);
}

static int sync_create(sim_world *w)
{
    const sim_sync_spec *y = &w->sc->sync;
    wsync *ws = calloc(1, sizeof *ws);
    if (!ws)
        return -1;
    w->sync = ws;
    ws->interval = y->interval;
    ws->mbps = y->bandwidth_mbps;
    ws->node = calloc(w->nnodes ? w->nnodes : 1, sizeof *ws->node);
    if (!ws->node)
        return -1;
    return edge_synchronizer_create(y->initial, w->nnodes, EDGE_DIGEST_DEFAULT, &ws->core) ==
                   EDGE_OK
               ? 0
               : -1;
}

static void sync_free(sim_world *w)
{
    wsync *ws = w->sync;
    if (!ws)
        return;
    if (ws->node)
        for (size_t i = 0; i < w->nnodes; i++)
            edge_sync_message_release(ws->node[i].msg);
    free(ws->node);
    edge_synchronizer_free(ws->core);
    free(ws);
    w->sync = NULL;
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
    node_account(w, n);
    double span = (double)(now - n->hb_last_at);
    double cpu = span > 0 && spec->cores
                     ? 100.0 * (n->busy_integral - n->hb_busy_at) / (span * spec->cores)
                     : 100.0 * n->busy / (spec->cores ? spec->cores : 1);
    n->hb_last_at = now;
    n->hb_busy_at = n->busy_integral;
    uint32_t permille = (uint32_t)llround(cpu * 1000.0);
    if (n->hb_loss == 0) {
        if (n->hb_delay > 0)
            schedule(w, now + n->hb_delay, ev_heartbeat_deliver, 0, (uint32_t)node, permille, NULL);
        else {
            sim_event d = {now, {.id = 0, .a = (uint32_t)node, .b = permille}};
            ev_heartbeat_deliver(e, ctx, &d);
        }
    }
    edge_time next = now + spec->heartbeat_interval;
    if (next <= w->sc->duration)
        schedule(w, next, ev_heartbeat, n->hb_epoch, (uint32_t)node, 0, NULL);
}

static void start_heartbeats(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    n->hb_epoch++;
    n->hb_last_at = sim_engine_now(w->eng);
    node_account(w, n);
    n->hb_busy_at = n->busy_integral;
    schedule(w, sim_engine_now(w->eng), ev_heartbeat, n->hb_epoch, (uint32_t)node, 0, NULL);
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
    v->attempts = v->cold = v->running = v->timed_out = 0;
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
    size_t node = v->node == WNODE_NONE || edge_reason_is_rejection(reason) ? EDGE_METRICS_NO_NODE
                                                                             : v->node;
    if (reason == EDGE_REASON_NO_ELIGIBLE_NODE)
        node = EDGE_METRICS_NO_NODE;
    if (edge_metrics_record(&w->metrics, v->fn, node, reason, latency, v->cold) != EDGE_OK)
        fail_run(w, EDGE_NOMEM);
    sim_report_outcome(w->report, v->fn, reason, latency, v->cold, now);
    w->time_in_system_sum += (double)(now - v->arrival);
    w->departures++;
    if (w->opt.write_invocations) {
        sim_invocation_row row = {v->seq, v->fn, v->region, v->node, v->arrival, v->started,
                                  now, latency, v->cold, reason, v->attempts};
        if (sim_report_invocation(w->report, &row) != 0)
            fail_run(w, EDGE_NOMEM);
    }
    set_in_system(w, -1);
    inv_release(w, id);
}

/* A failure that a retry may turn into another attempt elsewhere. */
static void fail_or_retry(sim_world *w, uint32_t id, edge_reason reason)
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

static void trace_invocation(sim_world *w, const winv *v, edge_reason reason)
{
    if (w->trace &&
        sim_trace_invocation(w->trace, v->node, w->sc->nodes[v->node].id,
                             w->sc->functions[v->fn].id, v->started, v->exec_start,
                             sim_engine_now(w->eng), edge_reason_name(reason)) != 0)
        fail_run(w, EDGE_NOMEM);
}

/* Starts invocation id on its node if a slot and an instance can be had.
 * Returns 1 when started; 0 when it must wait (memory or the instance limit
 * is held by running invocations, which will free it); -1 when it can never
 * start here for want of memory (nothing runs that could free it): rejected
 * no_capacity; -2 when the function was undeployed here meanwhile: rejected
 * no_eligible_node. */
static int try_start(sim_world *w, uint32_t id)
{
    winv *v = &w->invs[id];
    size_t node = v->node;
    wnode *n = &w->nodes[node];
    int cold = 0;
    int rc = wcore_start(w, node, v->fn, &cold, &v->rt);
    if (rc == -2)
        return -2;
    if (rc != 0)
        return n->busy > 0 ? 0 : -1;
    edge_time now = sim_engine_now(w->eng);
    node_account(w, n);
    n->busy++;
    v->cold = cold;
    v->started = now;
    v->running = 1;
    if (w->ka_hybrid && !cold)
        wka_warm_start(w, v->fn, node);
    edge_scheduler_started(w->sched, v->fn, node, now);
    const sim_function_spec *f = &w->sc->functions[v->fn];
    edge_time init = cold ? sim_dist_sample_time(f->cold_start, &w->fn_rng[v->fn].cold) : 0;
    if (cold && w->cache_on) /* the artifact first: pull, or wait for a pull */
        init += wcache_delay(w, node, v->fn);
    edge_time exec = v->exec_fixed >= 0 ? v->exec_fixed
                                        : sim_dist_sample_time(f->exec, &w->fn_rng[v->fn].exec);
    if (n->degrade_factor > 1.0)
        exec = (edge_time)llround((double)exec * n->degrade_factor);
    v->exec_start = now + init;
    v->timed_out = exec > f->timeout;
    if (v->timed_out)
        exec = f->timeout;
    schedule(w, now + init + exec, ev_done, id, (uint32_t)node, n->epoch, &v->done);
    return 1;
}

/* Starts queued invocations while slots and memory allow (FIFO). */
static void drain_queue(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    const sim_node_spec *spec = &w->sc->nodes[node];
    while (n->qlen > 0 && n->busy < spec->cores && n->up) {
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
    publish_load(w, node);
}

static void ev_done(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    uint32_t id = (uint32_t)ev->payload.id;
    winv *v = &w->invs[id];
    size_t node = v->node;
    wnode *n = &w->nodes[node];
    edge_metrics_prefetch(&w->metrics, v->fn, node,
                          w->latency[(size_t)v->region * w->nnodes + node] +
                              (ev->time - v->arrival));
    node_account(w, n);
    n->busy--;
    v->running = 0;
    int ok = !v->timed_out;
    trace_invocation(w, v, ok ? EDGE_REASON_OK : EDGE_REASON_TIMEOUT);
    if (w->ka_hybrid) /* the policy decides the keep-alive before the instance idles */
        wka_before_finish(w, node, v->fn);
    wcore_finish(w, node, v->fn, v->rt, ok);
    if (w->ka_hybrid)
        wka_after_finish(w, node, v->fn);
    edge_scheduler_finished(w->sched, v->fn, node, ev->time, ok);
    n->invocations++;
    finish_invocation(w, id, ok ? EDGE_REASON_OK : EDGE_REASON_TIMEOUT);
    drain_queue(w, node);
    wcore_arm_expiry(w, node);
}

/* Hands invocation id to node: start, queue or reject (semantics: "On a node"). */
static void deliver(sim_world *w, uint32_t id, size_t node)
{
    winv *v = &w->invs[id];
    wnode *n = &w->nodes[node];
    v->node = (uint32_t)node;
    v->tried[v->attempts++] = (uint32_t)node;
    if (w->fn_node)
        w->fn_node[v->fn] = (uint32_t)node;
    if (w->ka_hybrid)
        wka_delivered(w, v->fn, node); /* an arrival comes before a pending pre-warm */
    if (!n->up) {
        fail_or_retry(w, id, EDGE_REASON_NODE_CRASH);
        return;
    }
    const sim_node_spec *spec = &w->sc->nodes[node];
    if (n->qlen == 0 && n->busy < spec->cores) {
        int rc = try_start(w, id);
        if (rc > 0) {
            publish_load(w, node);
            return;
        }
        if (rc < 0) {
            finish_invocation(w, id, rc == -2 ? EDGE_REASON_NO_ELIGIBLE_NODE
                                              : EDGE_REASON_NO_CAPACITY);
            return;
        }
    }
    if (n->qlen >= spec->queue_limit) {
        finish_invocation(w, id, EDGE_REASON_QUEUE_FULL);
        return;
    }
    n->queue[(n->qhead + n->qlen) % n->qcap] = id;
    n->qlen++;
    publish_load(w, node);
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
    if (w->plugin_label[0])
        edge_scheduler_set_request(w->sched, sim_engine_now(w->eng), v->region);
    size_t node = edge_scheduler_pick(w->sched, v->fn, tried, v->attempts, &r);
    long bad;
    if (node == EDGE_SCHED_NONE && w->plugin_label[0] &&
        edge_scheduler_bad_choice(w->sched, &bad)) {
        snprintf(w->fail_msg, sizeof w->fail_msg,
                 "%s answered %ld for function %s (deployed on %zu node(s)): expected a "
                 "candidate index or EDGE_POLICY_NONE",
                 w->plugin_label, bad, w->sc->functions[v->fn].id,
                 edge_scheduler_deployed_count(w->sched, v->fn));
        fail_run(w, EDGE_INVAL);
    }
    sim_report_decision(w->report, v->fn, node);
    if (node == EDGE_SCHED_NONE) {
        finish_invocation(w, id, v->attempts ? EDGE_REASON_NODE_CRASH
                                             : EDGE_REASON_NO_ELIGIBLE_NODE);
        return;
    }
    deliver(w, id, node);
}

/* A new invocation of fn from region; exec >= 0 is its recorded execution
 * time (a trace's), -1 draws one from the function's distribution. */
static void new_invocation(sim_world *w, size_t fn, size_t region, edge_time exec)
{
    uint32_t id = inv_alloc(w);
    if (id == UINT32_MAX) {
        fail_run(w, EDGE_NOMEM);
        return;
    }
    winv *v = &w->invs[id];
    v->fn = (uint32_t)fn;
    v->region = (uint32_t)region;
    v->node = WNODE_NONE;
    v->arrival = sim_engine_now(w->eng);
    v->exec_fixed = exec;
    w->arrivals++;
    set_in_system(w, +1);
    sim_report_arrival(w->report, fn);
    if (w->ka_hybrid)
        wka_arrival(w, fn);
    route(w, id);
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
        schedule(w, next, ev_arrival, w->arrival_epoch[k], (uint32_t)k, 0, NULL);
    (void)e;
    new_invocation(w, a->spec->function, a->spec->region, exec);
}

/* Prefetch ahead (sim_engine_set_prefetch): an arrival touches its
 * function's arrival state, workload, function spec, random streams,
 * metrics and execution-time distribution (with 40,000 trace functions none
 * of it stays in L2); a completion, its invocation and metrics. Two events
 * ahead the lines found from the event alone; one event ahead (they are in
 * cache by then) what those lines point to. Only reads and prefetches. */
#define PREFETCH_MIN_FUNCTIONS 4096

static void prefetch_lines(const void *p, size_t bytes)
{
    const char *c = p;
    for (size_t o = 0; o < bytes; o += 64)
        __builtin_prefetch(c + o);
    __builtin_prefetch(c + bytes - 1);
}

static void world_prefetch(void *ctx, sim_handler next, const sim_event *ev, int ahead)
{
    const sim_world *w = ctx;
    if (next == ev_arrival) {
        size_t k = ev->payload.a;
        size_t fn = w->arrival_fn[k];
        if (ahead == 2) {
            prefetch_lines(&w->arrivals_of[k], sizeof w->arrivals_of[k]);
            __builtin_prefetch(&w->arrival_epoch[k]);
            prefetch_lines(&w->sc->workloads[k], sizeof w->sc->workloads[k]);
            prefetch_lines(&w->sc->functions[fn], sizeof w->sc->functions[fn]);
            prefetch_lines(&w->fn_rng[fn], sizeof w->fn_rng[fn]);
            prefetch_lines(&w->metrics.per_function[fn], sizeof w->metrics.per_function[fn]);
            if (w->fn_node[fn] < w->nnodes) /* where it most likely goes again */
                edge_runtime_prefetch(wcore_runtime(w, w->fn_node[fn]), (uint32_t)fn, 2);
            edge_scheduler_prefetch(w->sched, fn, 2);
        } else {
            edge_scheduler_prefetch(w->sched, fn, 1);
            if (w->fn_node[fn] < w->nnodes)
                edge_runtime_prefetch(wcore_runtime(w, w->fn_node[fn]), (uint32_t)fn, 1);
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
        edge_metrics_prefetch(&w->metrics, v->fn, v->node,
                              w->latency[(size_t)v->region * w->nnodes + v->node] +
                                  (ev->time - v->arrival));
    }
}

/* ------------------------------------------------------------------ */
/* crash and recovery                                                  */

static void trace_fault(sim_world *w, const char *kind, size_t node, const char *target)
{
    if (!w->trace)
        return;
    int64_t n = node < w->nnodes ? (int64_t)node : -1;
    if (sim_trace_fault(w->trace, sim_engine_now(w->eng), kind, n,
                        n >= 0 ? w->sc->nodes[node].id : NULL, target) != 0)
        fail_run(w, EDGE_NOMEM);
}

static void window(sim_world *w, edge_time start, edge_time end, const char *kind,
                   const char *target)
{
    if (sim_report_window(w->report, start, end, kind, target) != 0)
        fail_run(w, EDGE_NOMEM);
}

static void crash_node(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    if (!n->up)
        return;
    up_account(w, n);
    node_account(w, n);
    trace_fault(w, "crash", node, NULL);
    n->up = 0;
    n->crashes++;
    n->crashed_at = sim_engine_now(w->eng);
    n->crash_pending_detection = n->registered && n->status != EDGE_NODE_OFFLINE;
    n->hb_pending = n->registered && !n->hb_suspect;
    n->probe_pending = w->probes.period > 0 && n->registered && !n->probe.suspected;
    n->hb_epoch++; /* stops the heartbeat timer */
    n->epoch++;
    /* Everything running fails now; queued ones too (semantics: crash). */
    for (size_t i = 0; i < w->inv_cap; i++) {
        winv *v = &w->invs[i];
        if (v->live && v->running && v->node == node) {
            trace_invocation(w, v, EDGE_REASON_NODE_CRASH);
            sim_engine_cancel(w->eng, v->done);
            v->running = 0;
            n->busy--;
            edge_scheduler_finished(w->sched, v->fn, node, n->crashed_at, 0);
            fail_or_retry(w, (uint32_t)i, EDGE_REASON_NODE_CRASH);
        }
    }
    while (n->qlen > 0) {
        uint32_t id = n->queue[n->qhead];
        n->qhead = (n->qhead + 1) % n->qcap;
        n->qlen--;
        fail_or_retry(w, id, EDGE_REASON_NODE_CRASH);
    }
    n->busy = 0;
    wcore_crash(w, node);
    wcache_crash(w, node);
    publish_load(w, node);
    if (w->sync) { /* a restart is empty: the replica goes with the rest */
        edge_synchronizer_drop(w->sync->core, node);
        sync_lag(w, node);
    }
}

static void recover_node(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    if (n->up)
        return;
    up_account(w, n);
    window(w, n->crashed_at, sim_engine_now(w->eng), "crash", w->sc->nodes[node].id);
    trace_fault(w, "recover", node, NULL);
    n->up = 1;
    n->crash_pending_detection = 0;
    w->hb_det.missed += n->hb_pending;
    w->probe_det.missed += n->probe_pending;
    n->hb_pending = n->probe_pending = 0;
    if (n->registered)
        start_heartbeats(w, node);
}

/* ------------------------------------------------------------------ */
/* faults                                                              */

static void apply_spike(sim_world *w, size_t fn, double factor, int begin)
{
    edge_time now = sim_engine_now(w->eng);
    for (size_t k = 0; k < w->narrivals; k++) {
        sim_arrivals *a = &w->arrivals_of[k];
        if (fn != SIM_ALL && a->spec->function != fn)
            continue;
        w->spike_factor[k] = begin ? w->spike_factor[k] * factor : w->spike_factor[k] / factor;
        edge_time before = a->next;
        edge_time next = sim_arrivals_set_factor(a, w->spike_factor[k], now);
        if (next != before) {
            w->arrival_epoch[k]++;
            if (next != EDGE_TIME_MAX && next <= w->sc->duration)
                schedule(w, next, ev_arrival, w->arrival_epoch[k], (uint32_t)k, 0, NULL);
        }
    }
}

static void ev_burst_one(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)e;
    new_invocation(ctx, ev->payload.a, ev->payload.b, -1);
}

static void ev_random_failure(sim_engine *e, void *ctx, const sim_event *ev);

static void schedule_random_failure(sim_world *w, size_t fault, size_t node, int crash_next)
{
    const sim_fault_spec *f = &w->sc->faults[fault];
    sim_rng *r = &w->nodes[node].fail_rng;
    edge_time d = sim_dist_sample_time(crash_next ? f->ttf : f->ttr, r);
    edge_time at = sim_engine_now(w->eng) + (d > 0 ? d : 1);
    if (at <= w->sc->duration)
        schedule(w, at, ev_random_failure, ((uint64_t)fault << 1) | (uint64_t)crash_next,
                 (uint32_t)node, 0, NULL);
}

static void ev_random_failure(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    size_t fault = (size_t)(ev->payload.id >> 1), node = ev->payload.a;
    int crash = (int)(ev->payload.id & 1);
    if (crash)
        crash_node(w, node);
    else
        recover_node(w, node);
    schedule_random_failure(w, fault, node, !crash);
}

/* google_machine_events: the reader keeps one action ahead; each runs at its
 * time and brings the next (docs/scenario.md, "google_machine_events"). */
static void ev_mevent(sim_engine *e, void *ctx, const sim_event *ev);

static void next_mevent(sim_world *w, size_t fault)
{
    sim_mevent me;
    int rc = sim_mevents_next(w->mev[fault], &me, w->fail_msg, sizeof w->fail_msg);
    if (rc < 0) {
        fail_run(w, EDGE_INVAL);
        return;
    }
    w->fail_msg[0] = '\0';
    if (rc > 0)
        schedule(w, me.at, ev_mevent, (uint64_t)me.crash, (uint32_t)fault, (uint32_t)me.node,
                 NULL);
}

static void ev_mevent(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    if (ev->payload.id)
        crash_node(w, ev->payload.b);
    else
        recover_node(w, ev->payload.b);
    next_mevent(w, ev->payload.a);
}

static void start_mevents(sim_world *w, size_t fault)
{
    const sim_fault_spec *f = &w->sc->faults[fault];
    sim_rng r;
    sim_rng_derive(&r, w->sc->seed, "google_machine_events", fault);
    w->mev[fault] = sim_mevents_open(f->path, f->nodes, f->nnodes, f->offset, f->scale,
                                     w->sc->duration, &r, w->fail_msg, sizeof w->fail_msg);
    if (!w->mev[fault]) {
        fail_run(w, EDGE_INVAL);
        return;
    }
    w->fail_msg[0] = '\0';
    next_mevent(w, fault);
}

static void deploy_one(sim_world *w, size_t fn, size_t node, const char *strategy)
{
    edge_err rc = wcore_deploy_to(w, fn, node);
    sim_placement_row row = {sim_engine_now(w->eng), (uint32_t)fn, (uint32_t)node, strategy, rc};
    if (sim_report_placement(w->report, &row) != 0)
        fail_run(w, EDGE_NOMEM);
    if (rc == EDGE_OK) {
        edge_scheduler_set_deployed(w->sched, fn, node, 1);
        w->nodes[node].deployments++;
        w->deployments++;
    }
}

/* A spread / best_fit / worst_fit deployment: one placements row per
 * replica placed, and one per replica that found no node (no_eligible_node),
 * as least_loaded writes them. */
static int deploy_strategy(sim_world *w, const sim_deployment_spec *ds)
{
    static const char *const names[] = {"spread", "best_fit", "worst_fit"};
    int strat = ds->kind == SIM_DEPLOY_SPREAD ? EDGE_PLACE_SPREAD
              : ds->kind == SIM_DEPLOY_BEST_FIT ? EDGE_PLACE_BEST_FIT : EDGE_PLACE_WORST_FIT;
    size_t *nodes = malloc((ds->replicas ? ds->replicas : 1) * sizeof *nodes), placed = 0;
    if (!nodes)
        return -1;
    edge_err rc = wcore_deploy_strategy(w, ds->function, strat, ds->replicas, nodes, &placed);
    if (rc == EDGE_NOMEM) {
        free(nodes);
        return -1;
    }
    for (uint32_t r = 0; r < ds->replicas; r++) {
        int ok = r < placed;
        sim_placement_row row = {0, (uint32_t)ds->function,
                                 ok ? (uint32_t)nodes[r] : UINT32_MAX, names[strat],
                                 ok ? EDGE_OK : rc ? rc : EDGE_NO_ELIGIBLE};
        if (sim_report_placement(w->report, &row) != 0) {
            free(nodes);
            return -1;
        }
        if (ok) {
            edge_scheduler_set_deployed(w->sched, ds->function, nodes[r], 1);
            w->nodes[nodes[r]].deployments++;
            w->deployments++;
        }
    }
    free(nodes);
    return 0;
}

static void ev_fault_end(sim_engine *e, void *ctx, const sim_event *ev);

static const char *fault_target(const sim_world *w, const sim_fault_spec *f)
{
    switch (f->kind) {
    case SIM_FAULT_LOAD_SPIKE:
        return f->function == SIM_ALL ? "*" : w->sc->functions[f->function].id;
    case SIM_FAULT_BURST:
    case SIM_FAULT_DEPLOY:
    case SIM_FAULT_UNDEPLOY:
        return w->sc->functions[f->function].id;
    case SIM_FAULT_RANDOM_FAILURES:
    case SIM_FAULT_GOOGLE_MACHINE_EVENTS:
        return "";
    default:
        return f->node < w->sc->nnodes ? w->sc->nodes[f->node].id : "";
    }
}

/* Writes the rows of windows still open at the end of the run. */
static void close_windows(sim_world *w)
{
    for (size_t k = 0; k < w->nfaults; k++)
        if (w->fault_open[k]) {
            const sim_fault_spec *f = &w->sc->faults[k];
            window(w, f->at, w->sc->duration, sim_fault_kind_name(f->kind), fault_target(w, f));
        }
    for (size_t i = 0; i < w->nnodes; i++)
        if (!w->nodes[i].up)
            window(w, w->nodes[i].crashed_at, w->sc->duration, "crash", w->sc->nodes[i].id);
}

static void ev_fault(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t k = ev->payload.a;
    const sim_fault_spec *f = &w->sc->faults[k];
    edge_time now = sim_engine_now(e);
    wnode *n = f->node < w->nnodes ? &w->nodes[f->node] : NULL;
    int windowed = 0;
    sim_report_fault(w->report, k, 1, now);
    int own_rows = f->kind == SIM_FAULT_CRASH || f->kind == SIM_FAULT_RECOVER ||
                   f->kind == SIM_FAULT_RANDOM_FAILURES ||
                   f->kind == SIM_FAULT_GOOGLE_MACHINE_EVENTS; /* crash rows of their own */
    if (!own_rows)
        trace_fault(w, sim_fault_kind_name(f->kind), f->node, fault_target(w, f));
    switch (f->kind) {
    case SIM_FAULT_CRASH:
        crash_node(w, f->node);
        windowed = f->duration > 0;
        break;
    case SIM_FAULT_RECOVER:
        recover_node(w, f->node);
        break;
    case SIM_FAULT_HEARTBEAT_DELAY:
        n->hb_delay = f->delay;
        windowed = 1;
        break;
    case SIM_FAULT_HEARTBEAT_LOSS:
        n->hb_loss++;
        windowed = 1;
        break;
    case SIM_FAULT_DEGRADE:
        n->degrade_factor *= f->factor;
        windowed = 1;
        break;
    case SIM_FAULT_MAINTENANCE:
        n->maintenance++;
        record_transition(w, f->node, EDGE_NODE_MAINTENANCE, "maintenance");
        windowed = 1;
        break;
    case SIM_FAULT_DRAIN:
        wcore_drain(w, f->node, 1);
        windowed = f->duration > 0;
        break;
    case SIM_FAULT_REGISTER:
        if (!n->registered && wcore_register(w, f->node) == EDGE_OK) {
            up_account(w, n);
            n->registered = 1;
            n->status_since = now;
            n->status = EDGE_NODE_ONLINE;
            n->probe = (edge_probe_state){0};
            n->hb_suspect = 0;
            edge_scheduler_set_usable(w->sched, f->node, node_usable(n));
            if (n->up)
                start_heartbeats(w, f->node);
        }
        break;
    case SIM_FAULT_DEREGISTER:
        if (n->registered && wcore_deregister(w, f->node) == EDGE_OK) {
            up_account(w, n);
            status_account(w, n);
            n->registered = 0;
            n->hb_epoch++;
            for (size_t fn = 0; fn < w->sc->nfunctions; fn++)
                edge_scheduler_set_deployed(w->sched, fn, f->node, 0);
            edge_scheduler_set_usable(w->sched, f->node, 0);
        }
        break;
    case SIM_FAULT_DEPLOY:
        deploy_one(w, f->function, f->node, "fault");
        break;
    case SIM_FAULT_UNDEPLOY:
        if (wcore_undeploy(w, f->function, f->node) == EDGE_OK)
            edge_scheduler_set_deployed(w->sched, f->function, f->node, 0);
        break;
    case SIM_FAULT_LOAD_SPIKE:
        apply_spike(w, f->function, f->factor, 1);
        windowed = 1;
        break;
    case SIM_FAULT_BURST: {
        for (uint32_t i = 0; i < f->count; i++) {
            edge_time at = now + (f->count > 1 && f->duration > 0
                                      ? (edge_time)((double)f->duration * i / f->count)
                                      : 0);
            if (at <= w->sc->duration)
                schedule(w, at, ev_burst_one, 0, (uint32_t)f->function, (uint32_t)f->region, NULL);
        }
        break;
    }
    case SIM_FAULT_RANDOM_FAILURES:
        for (size_t i = 0; i < f->nnodes; i++)
            schedule_random_failure(w, k, f->nodes[i], 1);
        break;
    case SIM_FAULT_GOOGLE_MACHINE_EVENTS:
        start_mevents(w, k);
        break;
    case SIM_FAULT_STATE_UPDATE:
        sync_update(w, f->patch);
        break;
    case SIM_FAULT_STATE_CORRUPTION:
        if (w->sync->node[f->node].msg)
            w->sync->node[f->node].corrupt = 1; /* the transfer in flight now */
        windowed = f->duration > 0;             /* and those started in the window */
        w->sync->node[f->node].corrupt_windows += windowed;
        break;
    }
    if (windowed && f->duration > 0 && now + f->duration <= w->sc->duration)
        schedule(w, now + f->duration, ev_fault_end, 0, (uint32_t)k, 0, NULL);
    if (!own_rows) {
        if (windowed && f->duration > 0)
            w->fault_open[k] = 1; /* its row is written when it ends */
        else
            window(w, now, now, sim_fault_kind_name(f->kind), fault_target(w, f));
    }
}

int sim__world_apply_fault(sim_world *w, size_t k)
{
    const sim_fault_spec *f = &w->sc->faults[k];
    if (f->at > sim_engine_now(w->eng)) {
        schedule(w, f->at, ev_fault, 0, (uint32_t)k, 0, NULL);
    } else {
        sim_event ev = {f->at, {.a = (uint32_t)k}};
        ev_fault(w->eng, w, &ev);
    }
    return w->failed ? -1 : 0;
}

static void ev_fault_end(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t k = ev->payload.a;
    const sim_fault_spec *f = &w->sc->faults[k];
    wnode *n = f->node < w->nnodes ? &w->nodes[f->node] : NULL;
    sim_report_fault(w->report, k, 0, sim_engine_now(e));
    if (w->fault_open[k]) {
        w->fault_open[k] = 0;
        window(w, f->at, sim_engine_now(e), sim_fault_kind_name(f->kind), fault_target(w, f));
        char kind[64];
        snprintf(kind, sizeof kind, "%s end", sim_fault_kind_name(f->kind));
        trace_fault(w, kind, f->node, fault_target(w, f));
    }
    switch (f->kind) {
    case SIM_FAULT_CRASH:
        recover_node(w, f->node);
        break;
    case SIM_FAULT_HEARTBEAT_DELAY:
        n->hb_delay = 0;
        break;
    case SIM_FAULT_HEARTBEAT_LOSS:
        n->hb_loss--;
        break;
    case SIM_FAULT_DEGRADE:
        n->degrade_factor /= f->factor;
        if (fabs(n->degrade_factor - 1.0) < 1e-9)
            n->degrade_factor = 1.0;
        break;
    case SIM_FAULT_MAINTENANCE:
        n->maintenance--;
        break; /* the next health check ends MAINTENANCE */
    case SIM_FAULT_LOAD_SPIKE:
        apply_spike(w, f->function, f->factor, 0);
        break;
    case SIM_FAULT_DRAIN:
        wcore_drain(w, f->node, 0);
        break;
    case SIM_FAULT_STATE_CORRUPTION:
        w->sync->node[f->node].corrupt_windows--;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* sampling                                                            */

static void ev_sample(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)ev;
    edge_time now = sim_engine_now(e);
    sim_sample s = {0};
    s.t_end = now;
    for (size_t i = 0; i < w->nnodes; i++) {
        wnode *n = &w->nodes[i];
        s.busy += n->busy;
        s.queued += n->qlen;
        if (n->registered && n->status == EDGE_NODE_ONLINE)
            s.healthy++;
        if (n->registered && n->status == EDGE_NODE_OFFLINE)
            s.offline++;
        sim_node_sample ns = {now, (uint32_t)i, n->registered ? n->status : EDGE_NODE_OFFLINE,
                              n->busy + n->qlen, n->busy, n->qlen,
                              wcore_warm_instances(w, i), wcore_memory_used(w, i)};
        if (sim_report_node_sample(w->report, &ns) != 0)
            fail_run(w, EDGE_NOMEM);
    }
    s.in_flight = w->in_system;
    if (sim_report_sample(w->report, &s) != 0)
        fail_run(w, EDGE_NOMEM);
    edge_time next = now + w->sc->sample_interval;
    if (next > w->sc->duration && now < w->sc->duration)
        next = w->sc->duration;
    if (next <= w->sc->duration && next > now)
        schedule(w, next, ev_sample, 0, 0, 0, NULL);
    if (w->opt.progress)
        sim_world_progress(w, now);
}

/* ------------------------------------------------------------------ */
/* set-up                                                              */

static int setup(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    w->eng = sim_engine_create(4096);
    /* Events more than ~1 s ahead wait in the engine's far tier (2^30 ns
     * buckets): a trace replay's next arrival of each of its functions is
     * minutes ahead, and kept out of the heap they no longer make every
     * push and pop walk 8 levels (docs in sim/engine/engine.h). */
    if (w->eng && sim_engine_set_far(w->eng, 30) != EDGE_OK) {
        sim_engine_destroy(w->eng);
        w->eng = NULL;
    }
    edge_err rc;
    if (w->opt.router || sc->policies.plugin_path) {
        const edge_policy_plugin *table = w->opt.router;
        void *state = w->opt.router_state;
        if (!table) {
            /* the scenario reader checked it already; this load is the run's */
            w->plugin = sim_plugin_load(sc->policies.plugin_path, sc->policies.plugin_params,
                                        sc->nfunctions, sc->nnodes, err, errlen);
            if (!w->plugin)
                return -1;
            table = sim_plugin_table(w->plugin);
            state = sim_plugin_state(w->plugin);
            snprintf(w->plugin_label, sizeof w->plugin_label, "plugin %s",
                     sc->policies.plugin_path);
        } else {
            snprintf(w->plugin_label, sizeof w->plugin_label, "router %s",
                     w->opt.router_name ? w->opt.router_name : "(unnamed)");
        }
        w->node_region = calloc(sc->nnodes ? sc->nnodes : 1, sizeof *w->node_region);
        if (!w->node_region)
            goto nomem;
        for (size_t i = 0; i < sc->nnodes; i++)
            w->node_region[i] = (uint32_t)sc->nodes[i].region;
        w->sched = edge_scheduler_create_plugin(table, state, sc->nfunctions, sc->nnodes, &rc);
        if (w->sched)
            edge_scheduler_set_regions(w->sched, w->node_region);
    } else {
        w->sched = edge_scheduler_create(sc->policies.scheduler, sc->nfunctions, sc->nnodes, &rc);
    }
    if (!w->eng || !w->sched) {
        snprintf(err, errlen, "cannot create the %s: %s", w->eng ? "scheduler" : "engine",
                 w->eng ? edge_strerror(rc) : "out of memory");
        return -1;
    }
    w->track_idle = !strcmp(edge_scheduler_policy(w->sched), "warm_first") || w->plugin_label[0];
    w->probes = (edge_probe_config){sc->policies.probe_period, sc->policies.probe_timeout,
                                    sc->policies.probe_failures};
    if (edge_metrics_init(&w->metrics, sc->nfunctions, sc->nnodes) != EDGE_OK)
        goto nomem;
    sim_rng_derive(&w->sched_rng, sc->seed, "scheduler", 0);

    w->nnodes = sc->nnodes;
    w->nodes = calloc(sc->nnodes ? sc->nnodes : 1, sizeof *w->nodes);
    w->fn_rng = calloc(sc->nfunctions ? sc->nfunctions : 1, sizeof *w->fn_rng);
    w->narrivals = sc->nworkloads;
    w->arrivals_of = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->arrivals_of);
    w->arrival_epoch = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->arrival_epoch);
    w->arrival_fn = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->arrival_fn);
    w->spike_factor = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->spike_factor);
    w->fault_open = calloc(sc->nfaults ? sc->nfaults : 1, sizeof *w->fault_open);
    w->mev = calloc(sc->nfaults ? sc->nfaults : 1, sizeof *w->mev);
    w->nfaults = sc->nfaults;
    if (!w->nodes || !w->fn_rng || !w->arrivals_of || !w->arrival_epoch || !w->arrival_fn ||
        !w->spike_factor || !w->fault_open || !w->mev)
        goto nomem;
    /* Network latency per (client region, node), once: the coordinates
     * model's great-circle distance is too dear to compute per invocation. */
    w->latency = malloc((sc->nregions ? sc->nregions : 1) * (sc->nnodes ? sc->nnodes : 1) *
                        sizeof *w->latency);
    if (!w->latency)
        goto nomem;
    for (size_t r = 0; r < sc->nregions; r++)
        for (size_t i = 0; i < sc->nnodes; i++)
            w->latency[r * sc->nnodes + i] = sim_scenario_latency(sc, r, i);
    for (size_t f = 0; f < sc->nfunctions; f++) {
        sim_rng_derive(&w->fn_rng[f].exec, sc->seed, "exec_time", f);
        sim_rng_derive(&w->fn_rng[f].cold, sc->seed, "cold_start", f);
    }
    if (wcore_create(w, err, errlen) != 0 || wka_create(w, err, errlen) != 0)
        return -1;
    if (sc->sync.enabled && sync_create(w) != 0) {
        snprintf(err, errlen, "cannot create the state synchronizer");
        return -1;
    }

    for (size_t i = 0; i < sc->nnodes; i++) {
        wnode *n = &w->nodes[i];
        const sim_node_spec *s = &sc->nodes[i];
        n->qcap = s->queue_limit ? s->queue_limit : 1;
        n->queue = malloc(n->qcap * sizeof *n->queue);
        if (!n->queue)
            goto nomem;
        n->up = 1;
        n->degrade_factor = 1.0;
        n->expiry_at = EDGE_TIME_MAX;
        n->status = EDGE_NODE_ONLINE;
        sim_rng_derive(&n->fail_rng, sc->seed, "failures", i);
        if (s->starts_registered) {
            if (wcore_register(w, i) != EDGE_OK) {
                snprintf(err, errlen, "cannot register node %s", s->id);
                return -1;
            }
            n->registered = 1;
        } else {
            edge_scheduler_set_usable(w->sched, i, 0);
        }
    }

    if (wcache_create(w, err, errlen) != 0)
        return -1;

    /* Deployments, in file order, through the cluster's calls. */
    for (size_t d = 0; d < sc->ndeployments; d++) {
        const sim_deployment_spec *ds = &sc->deployments[d];
        switch (ds->kind) {
        case SIM_DEPLOY_ALL:
            for (size_t i = 0; i < sc->nnodes; i++)
                if (w->nodes[i].registered && wcore_can_run(w, ds->function, i))
                    deploy_one(w, ds->function, i, "all");
            break;
        case SIM_DEPLOY_NODES:
            for (size_t i = 0; i < ds->nnodes; i++)
                deploy_one(w, ds->function, ds->nodes[i], "nodes");
            break;
        case SIM_DEPLOY_LEAST_LOADED:
            for (uint32_t r = 0; r < ds->replicas; r++) {
                size_t node;
                edge_err drc = wcore_deploy_least_loaded(w, ds->function, &node);
                sim_placement_row row = {0, (uint32_t)ds->function,
                                         drc == EDGE_OK ? (uint32_t)node : UINT32_MAX,
                                         "least_loaded", drc};
                if (sim_report_placement(w->report, &row) != 0)
                    goto nomem;
                if (drc == EDGE_OK) {
                    edge_scheduler_set_deployed(w->sched, ds->function, node, 1);
                    w->nodes[node].deployments++;
                    w->deployments++;
                }
            }
            break;
        case SIM_DEPLOY_SPREAD:
        case SIM_DEPLOY_BEST_FIT:
        case SIM_DEPLOY_WORST_FIT:
            if (deploy_strategy(w, ds) != 0)
                goto nomem;
            break;
        }
    }
    if (w->failed)
        goto nomem;

    /* Time 0, in the documented order: heartbeats, health ticks, samples,
     * faults, arrivals. */
    for (size_t i = 0; i < sc->nnodes; i++)
        if (w->nodes[i].registered)
            start_heartbeats(w, i);
    if (sc->policies.check_interval > 0)
        schedule(w, sc->policies.check_interval, ev_health_check, 0, 0, 0, NULL);
    if (w->probes.period > 0 && w->probes.period <= sc->duration)
        schedule(w, w->probes.period, ev_probe, 0, 0, 0, NULL);
    if (w->sync && w->sync->interval <= sc->duration)
        schedule(w, w->sync->interval, ev_sync_round, 0, 0, 0, NULL);
    schedule(w, sc->sample_interval < sc->duration ? sc->sample_interval : sc->duration,
             ev_sample, 0, 0, 0, NULL);
    for (size_t k = 0; k < sc->nfaults; k++)
        if (sc->faults[k].at <= sc->duration)
            schedule(w, sc->faults[k].at, ev_fault, 0, (uint32_t)k, 0, NULL);
    for (size_t k = 0; k < sc->nworkloads; k++) {
        w->spike_factor[k] = 1.0;
        w->arrival_fn[k] = (uint32_t)sc->workloads[k].function;
        if (sim_arrivals_init(&w->arrivals_of[k], &sc->workloads[k], sc->seed, k, sc->duration)) {
            snprintf(err, errlen, "workload %zu cannot run", k);
            return -1;
        }
        edge_time t = w->arrivals_of[k].next;
        if (t != EDGE_TIME_MAX && t <= sc->duration)
            schedule(w, t, ev_arrival, 0, (uint32_t)k, 0, NULL);
    }
    if (w->failed)
        goto nomem;
    /* Only when the per-function state (about 1 kB a function, spread over
     * a dozen arrays) cannot stay in a 2 MB L2: below, the hint's cost (two
     * calls and a few compares per event, +12% instructions on
     * scenarios/scale.json with 1,000 functions) buys nothing. */
    if (sc->nfunctions >= PREFETCH_MIN_FUNCTIONS) {
        w->fn_node = malloc(sc->nfunctions * sizeof *w->fn_node);
        if (!w->fn_node)
            goto nomem;
        for (size_t f = 0; f < sc->nfunctions; f++)
            w->fn_node[f] = WNODE_NONE;
        sim_engine_set_prefetch(w->eng, world_prefetch);
    }
    return 0;
nomem:
    snprintf(err, errlen, "out of memory while building the world");
    return -1;
}

sim_world *sim_world_create(const sim_scenario *sc, const sim_world_options *opt, char *err,
                            size_t errlen)
{
    sim_world *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->sc = sc;
    w->opt = *opt;
    w->inv_free = UINT32_MAX;
    w->report = sim_report_open(sc, opt->outdir, opt->write_invocations, err, errlen);
    if (w->report && opt->trace_path)
        w->trace = sim_trace_open(opt->trace_path, &opt->trace, sc->name, err, errlen);
    if (!w->report || (opt->trace_path && !w->trace) || setup(w, err, errlen) != 0) {
        sim_world_free(w);
        return NULL;
    }
    return w;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void sim_world_progress(sim_world *w, edge_time now)
{
    double t = wall_now() - w->wall_start;
    if (t - w->last_progress < 0.25 && now < w->sc->duration)
        return;
    w->last_progress = t;
    double done = w->sc->duration ? (double)now / (double)w->sc->duration : 1.0;
    sim_engine_stats st;
    sim_engine_get_stats(w->eng, &st);
    double eta = done > 0 ? t * (1.0 - done) / done : 0.0;
    fprintf(stderr, "\r%s: %5.1f%% of %.0fs simulated, %.2fM events/s, ETA %.0fs   ",
            w->sc->name, 100.0 * done, edge_time_to_s(w->sc->duration),
            t > 0 ? (double)st.run / t / 1e6 : 0.0, eta);
    if (now >= w->sc->duration)
        fputc('\n', stderr);
}

int sim_world_run(sim_world *w, sim_run_stats *stats, char *err, size_t errlen)
{
    w->wall_start = wall_now();
    edge_err rc = sim_engine_run_until(w->eng, w->sc->duration);
    double wall = wall_now() - w->wall_start;
    if (rc != EDGE_OK || w->failed) {
        if (w->fail_msg[0])
            snprintf(err, errlen, "run failed: %s", w->fail_msg);
        else
            snprintf(err, errlen, "run failed: %s", edge_strerror(w->failed ? w->failed : rc));
        return -1;
    }
    /* Close the integrals and the open fault windows at the end of the run;
     * idle memory time runs to the end (instances still warm are counted). */
    close_windows(w);
    for (size_t i = 0; i < w->nnodes; i++)
        wcore_expire_to(w, i, w->sc->duration);
    system_account(w);
    for (size_t i = 0; i < w->nnodes; i++) {
        node_account(w, &w->nodes[i]);
        if (w->nodes[i].registered)
            status_account(w, &w->nodes[i]);
        up_account(w, &w->nodes[i]);
        if (w->sync && w->sync->node[i].behind) {
            wsync_node *y = &w->sync->node[i];
            edge_time d = w->sc->duration - y->behind_since;
            y->lag_total += d;
            if (d > y->lag_max)
                y->lag_max = d;
            y->behind = 0; /* closed; versions behind are read from the core */
        }
    }
    sim_engine_stats st;
    sim_engine_get_stats(w->eng, &st);
    stats->wall_seconds = wall;
    stats->events = st.run;
    stats->invocations = w->arrivals;
    stats->peak_rss_kb = peak_rss_kb();
    if (sim_report_finish(w->report, w, stats, err, errlen) != 0)
        return -1;
    if (w->trace) {
        int rc2 = sim_trace_close_commit(w->trace, err, errlen);
        w->trace = NULL;
        if (rc2 != 0)
            return -1;
    }
    return 0;
}

void sim_world_fingerprint(const sim_world *w, char buf[17])
{
    sim_report_fingerprint(w->report, buf);
}

void sim_world_free(sim_world *w)
{
    if (!w)
        return;
    sim_report_close(w->report);
    sim_trace_abort(w->trace);
    sync_free(w);
    wcore_free(w);
    wka_free(w);
    wcache_free(w);
    sim_engine_destroy(w->eng);
    edge_scheduler_free(w->sched);
    sim_plugin_free(w->plugin); /* after the scheduler that borrowed it */
    free(w->node_region);
    edge_metrics_free(&w->metrics);
    if (w->nodes)
        for (size_t i = 0; i < w->nnodes; i++)
            free(w->nodes[i].queue);
    free(w->nodes);
    free(w->fn_rng);
    free(w->arrivals_of);
    free(w->arrival_epoch);
    free(w->arrival_fn);
    free(w->fn_node);
    free(w->spike_factor);
    free(w->latency);
    free(w->fault_open);
    if (w->mev)
        for (size_t k = 0; k < w->nfaults; k++)
            sim_mevents_close(w->mev[k]);
    free(w->mev);
    free(w->invs);
    free(w);
}
