/*
 * world_faults.c — the scenario's faults and operations applied to the
 * world (docs/scenario.md, "faults"; docs/semantics.md, "Operations"):
 * crashes and recoveries (single, random, or replayed from Google machine
 * events), heartbeat delay and loss, degradation, maintenance, drain,
 * (de)registration, deploy and undeploy, load spikes and bursts, state
 * updates and corruption; with each one's row in faults.csv.
 *
 * Sits above the invocation path and the health checks: a crash fails or
 * retries what ran on the node (world.c), a maintenance window is a status
 * transition (world_health.c); nothing below calls back into here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/dist.h"
#include "engine/rng.h"
#include "input/machine_events.h"
#include "input/workload.h"
#include "output/report.h"
#include "output/trace.h"
#include "scheduler.h"
#include "synchronizer.h"
#include "model/autoscaler.h"
#include "model/measures.h"
#include "model/workflow.h"
#include "model/world_internal.h"

/* ------------------------------------------------------------------ */
/* crash and recovery                                                  */

static void trace_fault(sim_world *w, const char *kind, size_t node, const char *target)
{
    if (!w->trace)
        return;
    int64_t n = node < w->nnodes ? (int64_t)node : -1;
    if (sim_trace_fault(w->trace, sim_engine_now(w->eng), kind, n,
                        n >= 0 ? w->sc->nodes[node].id : NULL, target) != 0)
        wfail_output(w);
}

/* The core's invocation counter of fn's deployment on node into its
 * placements row, before the deployment goes (or at the end of the run). */
void wfaults_keep_count(sim_world *w, size_t fn, size_t node)
{
    uint64_t n;
    if (wcore_deployment_count(w, fn, node, &n) == 0)
        sim_report_placement_count(w->report, fn, node, n);
}

static void window(sim_world *w, edge_time start, edge_time end, const char *kind,
                   const char *target)
{
    if (sim_report_window(w->report, start, end, kind, target) != 0)
        wfail_output(w);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void crash_node(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    if (!n->up)
        return;
    wup_account(w, n);
    wnode_account(w, n);
    trace_fault(w, "crash", node, NULL);
    n->up = 0;
    n->crashes++;
    n->crashed_at = sim_engine_now(w->eng);
    /* Every crash of a registered node lands in exactly one of detected,
     * missed (it came back first) or undetected (still down at the end), for
     * the status and for each detector. A node already OFFLINE or suspected
     * (a stale verdict from an earlier crash) waits for its next suspicion:
     * the next check clears a suspicion that a fresh heartbeat contradicts. */
    w->crashes_registered += n->registered != 0;
    n->crash_pending_detection = n->registered;
    n->hb_pending = n->registered != 0;
    n->probe_pending = w->probes.period > 0 && n->registered;
    n->hb_epoch++; /* stops the heartbeat timer */
    n->epoch++;
    /* Everything running fails now, in order of invocation id; queued ones
     * too (semantics: crash). What runs here is what holds an instance of
     * the node's runtime (wcore_running): found there, not by a pass over
     * every invocation record of the world, which made a crash cost
     * O(invocations in flight anywhere) and random failures at a constant
     * per-node rate O(nodes^2) in all (at 100,000 nodes 43,000 cache misses
     * a crash, 6.7 per invocation of the run). */
    uint64_t buf[64], *tags = buf;
    size_t nrun = wcore_running(w, node, buf, 64);
    if (nrun > 64) {
        tags = malloc(nrun * sizeof *tags);
        if (!tags) {
            wfail_run(w, EDGE_NOMEM);
            return;
        }
        wcore_running(w, node, tags, nrun);
    }
    qsort(tags, nrun, sizeof *tags, cmp_u64);
    for (size_t r = 0; r < nrun; r++) {
        uint32_t i = (uint32_t)tags[r];
        winv *v = i < w->inv_cap ? &w->invs[i] : NULL;
        if (v && v->live && v->running && v->node == node) {
            winv_trace(w, v, EDGE_REASON_NODE_CRASH);
            sim_engine_cancel(w->eng, v->done);
            v->running = 0;
            if (v->slot)
                n->busy--;
            else
                n->unslotted--;
            sim_measures_ran(w->ms, v->fn, v->started, n->crashed_at);
            if (v->slot && w->as) /* one initialising without a slot was not counted */
                was_stopped(w, v->fn);
            v->slot = 0;
            edge_scheduler_finished(w->sched, v->fn, node, n->crashed_at, 0);
            winv_fail_or_retry(w, i, EDGE_REASON_NODE_CRASH);
        }
    }
    if (tags != buf)
        free(tags);
    while (n->qlen > 0) {
        uint32_t id = n->queue[n->qhead];
        n->qhead = (n->qhead + 1) % n->qcap;
        n->qlen--;
        winv_fail_or_retry(w, id, EDGE_REASON_NODE_CRASH);
    }
    n->busy = n->unslotted = n->nready = 0;
    wcore_crash(w, node);
    wcache_crash(w, node);
    wpublish_load(w, node);
    if (w->sync) { /* a restart is empty: the replica goes with the rest */
        edge_synchronizer_drop(w->sync->core, node);
        wsync_lag(w, node);
    }
}

static void recover_node(sim_world *w, size_t node)
{
    wnode *n = &w->nodes[node];
    if (n->up)
        return;
    wup_account(w, n);
    window(w, n->crashed_at, sim_engine_now(w->eng), "crash", w->sc->nodes[node].id);
    trace_fault(w, "recover", node, NULL);
    n->up = 1;
    w->missed += n->crash_pending_detection != 0;
    n->crash_pending_detection = 0;
    w->hb_det.missed += n->hb_pending;
    w->probe_det.missed += n->probe_pending;
    n->hb_pending = n->probe_pending = 0;
    if (n->registered)
        whb_start(w, node);
}

/* ------------------------------------------------------------------ */
/* faults                                                              */

static void apply_spike(sim_world *w, size_t fn, double factor, int begin)
{
    edge_time now = sim_engine_now(w->eng);
    for (size_t k = 0; k < w->narrivals; k++) {
        sim_arrivals *a = &w->arrivals_of[k];
        if (fn != SIM_ALL && (a->spec->function != fn || a->spec->workflow))
            continue;
        w->spike_factor[k] = begin ? w->spike_factor[k] * factor : w->spike_factor[k] / factor;
        edge_time before = a->next;
        edge_time next = sim_arrivals_set_factor(a, w->spike_factor[k], now);
        if (next != before) {
            w->arrival_epoch[k]++;
            if (next != EDGE_TIME_MAX && next <= w->sc->duration)
                winv_schedule_arrival(w, k, next);
        }
    }
}

/* A burst's arrival i at base + for x i / count (all at base without a
 * window); EDGE_TIME_MAX past the run's end, where the burst stops. */
static edge_time burst_at(const sim_world *w, const sim_fault_spec *f, edge_time base, uint32_t i)
{
    if (i >= f->count)
        return EDGE_TIME_MAX;
    edge_time at = base + (f->count > 1 && f->duration > 0
                               ? (edge_time)((double)f->duration * i / f->count)
                               : 0);
    return at <= w->sc->duration ? at : EDGE_TIME_MAX;
}

/* A burst keeps one arrival pending (payload: its base time, the fault, the
 * arrival's index): each schedules the next with the engine's
 * schedule_again, which keeps the first one's place among equal times, so
 * the arrivals run exactly as if all had been scheduled when the burst
 * started, in O(1) memory instead of count pending events. */
static void ev_burst_one(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    const sim_fault_spec *f = &w->sc->faults[ev->payload.a];
    uint32_t next = ev->payload.b + 1;
    edge_time at = burst_at(w, f, (edge_time)ev->payload.id, next);
    if (at != EDGE_TIME_MAX) {
        sim_payload p = {{.id = ev->payload.id}, ev->payload.a, next};
        edge_err rc = sim_engine_schedule_again(e, at, ev_burst_one, w, p, NULL);
        if (rc)
            wfail_run(w, rc);
    }
    winv_new(w, (uint32_t)f->function, (uint32_t)f->region, 0, -1);
}

static void ev_random_failure(sim_engine *e, void *ctx, const sim_event *ev);

static void schedule_random_failure(sim_world *w, size_t fault, size_t node, int crash_next)
{
    const sim_fault_spec *f = &w->sc->faults[fault];
    sim_rng *r = &w->nodes[node].fail_rng;
    edge_time d = sim_dist_sample_time(crash_next ? f->ttf : f->ttr, r);
    edge_time at = edge_time_add_sat(sim_engine_now(w->eng), d > 0 ? d : 1);
    if (at <= w->sc->duration)
        wschedule(w, at, ev_random_failure, ((uint64_t)fault << 1) | (uint64_t)crash_next,
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
        wfail_run(w, EDGE_INVAL);
        return;
    }
    w->fail_msg[0] = '\0';
    if (rc > 0)
        wschedule(w, me.at, ev_mevent, (uint64_t)me.crash, (uint32_t)fault, (uint32_t)me.node,
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
        wfail_run(w, EDGE_INVAL);
        return;
    }
    w->fail_msg[0] = '\0';
    next_mevent(w, fault);
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
void wfaults_close_windows(sim_world *w)
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
        whealth_transition(w, f->node, EDGE_NODE_MAINTENANCE, "maintenance");
        windowed = 1;
        break;
    case SIM_FAULT_DRAIN:
        wcore_drain(w, f->node, 1);
        windowed = f->duration > 0;
        break;
    case SIM_FAULT_REGISTER:
        if (!n->registered && wcore_register(w, f->node) == EDGE_OK) {
            wup_account(w, n);
            n->registered = 1;
            n->status_since = now;
            n->status = EDGE_NODE_ONLINE;
            n->probe = (edge_probe_state){0};
            n->hb_suspect = 0;
            edge_scheduler_set_usable(w->sched, f->node, wnode_usable(n));
            if (n->up)
                whb_start(w, f->node);
        }
        break;
    case SIM_FAULT_DEREGISTER: {
        /* Its deployments go with it: their counts are kept, and the
         * scheduler forgets them. The node's own list, copied before the
         * cluster drops it: O(its functions), not a pass over every
         * function or every pair ever deployed (a trace of machine removals
         * would cost removals x functions). */
        if (!n->registered)
            break;
        size_t nf;
        const uint32_t *on = wcore_functions_on(w, f->node, &nf);
        uint32_t *fns = nf ? malloc(nf * sizeof *fns) : NULL;
        if (nf && !fns) {
            wfail_run(w, EDGE_NOMEM);
            break;
        }
        for (size_t q = 0; q < nf; q++) {
            fns[q] = on[q];
            wfaults_keep_count(w, fns[q], f->node);
        }
        if (wcore_deregister(w, f->node) == EDGE_OK) {
            wup_account(w, n);
            wstatus_account(w, n);
            n->registered = 0;
            n->hb_epoch++;
            for (size_t q = 0; q < nf; q++)
                edge_scheduler_set_deployed(w->sched, fns[q], f->node, 0);
            edge_scheduler_set_usable(w->sched, f->node, 0);
        }
        free(fns);
        break;
    }
    case SIM_FAULT_DEPLOY:
        wdeploy_one(w, f->function, f->node, "fault");
        break;
    case SIM_FAULT_UNDEPLOY:
        wfaults_keep_count(w, f->function, f->node);
        if (wcore_undeploy(w, f->function, f->node) == EDGE_OK)
            edge_scheduler_set_deployed(w->sched, f->function, f->node, 0);
        break;
    case SIM_FAULT_LOAD_SPIKE:
        apply_spike(w, f->function, f->factor, 1);
        windowed = 1;
        break;
    case SIM_FAULT_BURST: {
        edge_time at = burst_at(w, f, now, 0); /* the first; it brings the next */
        if (at != EDGE_TIME_MAX)
            wschedule(w, at, ev_burst_one, (uint64_t)now, (uint32_t)k, 0, NULL);
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
        wsync_update(w, f->patch);
        break;
    case SIM_FAULT_STATE_CORRUPTION:
        if (w->sync->node[f->node].msg)
            w->sync->node[f->node].corrupt = 1; /* the transfer in flight now */
        windowed = f->duration > 0;             /* and those started in the window */
        w->sync->node[f->node].corrupt_windows += windowed;
        break;
    }
    if (windowed && f->duration > 0 && now + f->duration <= w->sc->duration)
        wschedule(w, now + f->duration, ev_fault_end, 0, (uint32_t)k, 0, NULL);
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
        wschedule(w, f->at, ev_fault, 0, (uint32_t)k, 0, NULL);
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
/* time 0                                                              */

void wfaults_schedule(sim_world *w)
{
    const sim_scenario *sc = w->sc;
    for (size_t k = 0; k < sc->nfaults; k++)
        if (sc->faults[k].at <= sc->duration)
            wschedule(w, sc->faults[k].at, ev_fault, 0, (uint32_t)k, 0, NULL);
}
