/*
 * world_sample.c — the periodic samples of a run (timeseries.csv and
 * node_series.csv, one row per interval and per node and interval; docs/
 * outputs.md) and the progress line on stderr, drawn at sample times.
 */
#include <stdio.h>

#include "common/stopwatch.h"
#include "output/report.h"
#include "model/autoscaler.h"
#include "model/workflow.h"
#include "model/world_internal.h"

double wsample_wall_now(void)
{
    return sim_wall_seconds();
}

void wsample_progress(sim_world *w, edge_time now)
{
    double t = wsample_wall_now() - w->wall_start;
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
                              n->busy + n->qlen + n->unslotted, n->busy, n->qlen,
                              wcore_warm_instances(w, i), wcore_memory_used(w, i)};
        if (sim_report_node_sample(w->report, &ns) != 0)
            wfail_output(w);
    }
    s.in_flight = w->in_system;
    if (sim_report_sample(w->report, &s) != 0 || (w->wf && sim_wflow_sample(w->wf, now) != 0))
        wfail_output(w);
    if (wnet_sample(w, now) != 0)
        sim_engine_fail(e, EDGE_NOMEM);
    edge_time next = now + w->sc->sample_interval;
    if (next > w->sc->duration && now < w->sc->duration)
        next = w->sc->duration;
    if (next <= w->sc->duration && next > now)
        wschedule(w, next, ev_sample, 0, 0, 0, NULL);
    if (w->opt.progress)
        wsample_progress(w, now);
}

void wsample_schedule(sim_world *w)
{
    const sim_scenario *sc = w->sc;
    wschedule(w, sc->sample_interval < sc->duration ? sc->sample_interval : sc->duration,
              ev_sample, 0, 0, 0, NULL);
}
