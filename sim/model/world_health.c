/*
 * world_health.c — what the control plane knows about the nodes: the health
 * monitor's periodic checks and the status transitions they decide, the
 * active probes, and the state synchronizer that gates SYNCING (the rules of
 * docs/semantics.md, "Health", "Active probes" and "State synchronizer").
 *
 * The synchronizer lives here, not in a file of its own, because it and the
 * checks call each other: a node entering SYNCING is sent the state at once,
 * and a transfer that makes it current runs the checks at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "health_monitor.h"
#include "output/report.h"
#include "output/trace.h"
#include "synchronizer.h"
#include "model/world_internal.h"

/* ------------------------------------------------------------------ */
/* health                                                              */

static void sync_start(sim_world *w, size_t node);

void whealth_transition(sim_world *w, size_t node, edge_node_status to, const char *reason)
{
    wnode *n = &w->nodes[node];
    if (n->status == to)
        return;
    edge_time now = sim_engine_now(w->eng);
    wstatus_account(w, n);
    sim_health_row row = {now, (uint32_t)node, n->status, to, reason};
    if (sim_report_health(w->report, &row) != 0)
        wfail_output(w);
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
        wfail_output(w);
    n->status = to;
    wcore_set_status(w, node, to);
    edge_scheduler_set_usable(w->sched, node, wnode_usable(n));
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
        whealth_transition(w, i, v.status, v.reason);
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
        wschedule(w, next, ev_health_check, 0, 0, 0, NULL);
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
            wschedule(w, now + w->probes.timeout, ev_probe_timeout, 0, (uint32_t)i, 0, NULL);
    }
    /* After the timeouts above: a probe's outcome is in before the next. */
    edge_time next = now + w->probes.period;
    if (next <= w->sc->duration)
        wschedule(w, next, ev_probe, 0, 0, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* state synchronizer (semantics: "State synchronizer")                */

/* Opens or closes node's "behind the primary" episode (sync lag). */
void wsync_lag(sim_world *w, size_t node)
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
        wfail_run(w, rc);
        return;
    }
    y->msg = m;
    y->epoch = w->nodes[node].epoch;
    y->corrupt = y->corrupt_windows > 0;
    y->transfers++;
    y->bytes += m->len;
    double mbps = ws->mbps > 0 ? ws->mbps : w->sc->nodes[node].bandwidth_mb_per_s * 8.0;
    edge_time t = (edge_time)llround((double)m->len * 8000.0 / mbps);
    wschedule(w, sim_engine_now(w->eng) + (t > 0 ? t : 1), ev_sync_arrive, 0, (uint32_t)node, 0,
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
            wfail_run(w, EDGE_NOMEM);
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
        wfail_run(w, rc);
        return;
    }
    wsync_lag(w, node);
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
        wschedule(w, next, ev_sync_round, 0, 0, 0, NULL);
}

void wsync_update(sim_world *w, const cJSON *patch)
{
    edge_err rc = edge_synchronizer_update(w->sync->core, patch);
    if (rc != EDGE_OK) {
        wfail_run(w, rc);
        return;
    }
    w->sync->updates++;
    for (size_t i = 0; i < w->nnodes; i++)
        wsync_lag(w, i);
}

int wsync_create(sim_world *w)
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

void wsync_free(sim_world *w)
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

/* Closes node's open "behind" episode at the end of the run. */
void wsync_close(sim_world *w, size_t node)
{
    wsync_node *y = &w->sync->node[node];
    if (!y->behind)
        return;
    edge_time d = w->sc->duration - y->behind_since;
    y->lag_total += d;
    if (d > y->lag_max)
        y->lag_max = d;
    y->behind = 0; /* closed; versions behind are read from the core */
}

/* ------------------------------------------------------------------ */
/* time 0                                                              */

void whealth_schedule(sim_world *w)
{
    const sim_scenario *sc = w->sc;
    if (sc->policies.check_interval > 0)
        wschedule(w, sc->policies.check_interval, ev_health_check, 0, 0, 0, NULL);
    if (w->probes.period > 0 && w->probes.period <= sc->duration)
        wschedule(w, w->probes.period, ev_probe, 0, 0, 0, NULL);
    if (w->sync && w->sync->interval <= sc->duration)
        wschedule(w, w->sync->interval, ev_sync_round, 0, 0, 0, NULL);
}
