/*
 * world_api.c — a run driven in pieces, read while it runs, steered by
 * injected faults: what the embedding API (sim/api) needs of the world.
 *
 * Nothing here changes what a run does: run_until and step hand the engine
 * the same events in the same order as sim_world_run, so a run made of
 * pieces has the trajectory (and fingerprint) of one made at once. The
 * readers only read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/stopwatch.h"
#include "engine/engine.h"
#include "histogram.h"
#include "metrics.h"
#include "model/world.h"
#include "model/world_internal.h"
#include "node.h"
#include "scheduler.h"

edge_time sim_world_now(const sim_world *w)
{
    return sim_engine_now(w->eng);
}

edge_time sim_world_end(const sim_world *w)
{
    return w->sc->duration;
}

uint64_t sim_world_events(const sim_world *w)
{
    sim_engine_stats st;
    sim_engine_get_stats(w->eng, &st);
    return st.run;
}

uint64_t sim_world_arrivals(const sim_world *w)
{
    return w->arrivals;
}

/* The one line of a failed run, as sim_world_run words it. */
static int run_failed(const sim_world *w, edge_err rc, char *err, size_t errlen)
{
    if (w->fail_msg[0])
        snprintf(err, errlen, "run failed: %s", w->fail_msg);
    else
        snprintf(err, errlen, "run failed: %s", edge_strerror(w->failed ? w->failed : rc));
    return -1;
}

/* A piece's clocks: run.json's loop time is the pieces' and the rest's
 * (sim_world_run), its set-up time what came before the first piece. */
static void piece_begin(sim_world *w, double *wall, double *cpu)
{
    *wall = sim_wall_seconds();
    *cpu = sim_cpu_seconds();
    if (!w->piece_run) {
        w->piece_run = true;
        w->first_piece_wall = *wall;
        w->first_piece_cpu = *cpu;
    }
}

static void piece_end(sim_world *w, double wall, double cpu)
{
    w->pieces_wall += sim_wall_seconds() - wall;
    w->pieces_cpu += sim_cpu_seconds() - cpu;
}

static int run_until(sim_world *w, edge_time t, char *err, size_t errlen)
{
    edge_time now = sim_engine_now(w->eng);
    if (w->failed)
        return run_failed(w, EDGE_OK, err, errlen);
    if (t < now) {
        snprintf(err, errlen, "cannot run until %.9g s: the clock is at %.9g s already",
                 edge_time_to_s(t), edge_time_to_s(now));
        return -1;
    }
    if (t > w->sc->duration)
        t = w->sc->duration;
    edge_err rc = sim_engine_run_until(w->eng, t);
    if (rc != EDGE_OK || w->failed)
        return run_failed(w, rc, err, errlen);
    return 0;
}

int sim_world_run_until(sim_world *w, edge_time t, char *err, size_t errlen)
{
    double wall, cpu;
    piece_begin(w, &wall, &cpu);
    int rc = run_until(w, t, err, errlen);
    piece_end(w, wall, cpu);
    return rc;
}

static int step(sim_world *w, char *err, size_t errlen)
{
    if (w->failed)
        return run_failed(w, EDGE_OK, err, errlen);
    bool ran = false;
    edge_err rc = sim_engine_step(w->eng, w->sc->duration, &ran);
    if (rc != EDGE_OK || w->failed)
        return run_failed(w, rc, err, errlen);
    return ran ? 1 : 0;
}

int sim_world_step(sim_world *w, char *err, size_t errlen)
{
    double wall, cpu;
    piece_begin(w, &wall, &cpu);
    int rc = step(w, err, errlen);
    piece_end(w, wall, cpu);
    return rc;
}

void sim_world_node_state(sim_world *w, size_t i, sim_node_state *out)
{
    wmetrics_flush(w);
    const sim_node_spec *spec = &w->sc->nodes[i];
    const wnode *n = &w->nodes[i];
    edge_node_status st = n->registered ? n->status : EDGE_NODE_OFFLINE;
    *out = (sim_node_state){
        .id = spec->id,
        .region = w->sc->regions[spec->region].name,
        .status = edge_node_status_name(st),
        .up = n->up,
        .registered = n->registered,
        .healthy = n->registered && n->status == EDGE_NODE_ONLINE,
        .busy = n->busy,
        .queued = n->qlen,
        .warm_instances = wcore_warm_instances(w, i),
        .memory_used_mb = wcore_memory_used(w, i),
        .invocations = n->invocations,
        .ok = edge_metric_ok(&w->metrics.per_node[i]),
        .latency_sum_ms = w->metrics.per_node[i].latency.sum / 1e6,
    };
}

void sim_world_function_state(sim_world *w, size_t i, sim_function_state *out)
{
    wmetrics_flush(w);
    const edge_metric_counts *c = &w->metrics.per_function[i];
    int any = edge_metric_ok(c) > 0;
    *out = (sim_function_state){
        .id = w->sc->functions[i].id,
        .deployed = (uint32_t)edge_scheduler_deployed_count(w->sched, i),
        .ok = edge_metric_ok(c),
        .failed = edge_metric_failed(c),
        .rejected = edge_metric_rejected(c),
        .cold_starts = c->cold_starts,
        .p50_ms = any ? (double)edge_histogram_quantile(&c->latency, 0.5) / 1e6 : 0.0,
        .p99_ms = any ? (double)edge_histogram_quantile(&c->latency, 0.99) / 1e6 : 0.0,
        .latency_sum_ms = c->latency.sum / 1e6,
    };
}

int sim_world_inject(sim_world *w, size_t k, char *err, size_t errlen)
{
    edge_time now = sim_engine_now(w->eng);
    if (w->failed)
        return run_failed(w, EDGE_OK, err, errlen);
    if (k != w->nfaults || k >= w->sc->nfaults) {
        snprintf(err, errlen, "fault %zu is not the next one added to the scenario", k);
        return -1;
    }
    const sim_fault_spec *f = &w->sc->faults[k];
    if (f->at < now) {
        snprintf(err, errlen, "a fault at %.9g s is in the past: the clock is at %.9g s",
                 edge_time_to_s(f->at), edge_time_to_s(now));
        return -1;
    }
    if (f->at > w->sc->duration) {
        snprintf(err, errlen, "a fault at %.9g s is after the end of the run (%.9g s)",
                 edge_time_to_s(f->at), edge_time_to_s(w->sc->duration));
        return -1;
    }
    /* one entry per fault in the per-fault arrays, sized for the scenario's */
    unsigned char *open = realloc(w->fault_open, (k + 1) * sizeof *open);
    if (open)
        w->fault_open = open;
    struct sim_mevents **mev = open ? realloc(w->mev, (k + 1) * sizeof *mev) : NULL;
    if (!mev) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    w->mev = mev;
    w->fault_open[k] = 0;
    w->mev[k] = NULL;
    w->nfaults = k + 1;
    if (sim__world_apply_fault(w, k) != 0)
        return run_failed(w, EDGE_OK, err, errlen);
    return 0;
}
