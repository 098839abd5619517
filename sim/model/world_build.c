/*
 * world_build.c — the world's life cycle, world.h's API: built from a
 * scenario (the engine, the scheduler or its plugin, the per-node and
 * per-workload state, core's objects through world_core.c, the
 * deployments, then the time-0 events in their documented order), run to
 * the scenario's end, summarised (world_summary.c), freed.
 *
 * The top of the world's files: it calls every part, none calls it.
 */
#include "model/world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/interrupt.h"
#include "common/stopwatch.h"
#include "engine/engine.h"
#include "engine/rng.h"
#include "input/machine_events.h"
#include "input/plugin.h"
#include "input/workload.h"
#include "metrics.h"
#include "output/report.h"
#include "output/trace.h"
#include "scenario/limits.h"
#include "scheduler.h"
#include "model/autoscaler.h"
#include "model/measures.h"
#include "model/workflow.h"
#include "model/world_internal.h"

/* ------------------------------------------------------------------ */
/* set-up                                                              */

/* The warm-up ends: the runtimes' counters are kept, so that the keep-alive
 * figures count from here (semantics: "Warm-up and the end of the run"). */
static void ev_warmup(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    (void)e;
    (void)ev;
    if (wcore_warmup(w) != 0)
        wfail_run(w, EDGE_NOMEM);
}

/* The engine's far tier buckets (sim_engine_set_far, engine.h): events past
 * the current bucket wait there, out of the heap, so the heap holds about a
 * bucket's worth and each push and pop walks fewer levels. engine.h asks
 * for hundreds to a thousand events a bucket: 2^shift ns of the scenario's
 * event rate (the events limits.h estimates, an upper figure, over its
 * duration) come to about FAR_EVENTS, between 2^24 ns (17 ms) and 2^30 ns
 * (1 s, which every small scenario and every trace replay of under ~1,000
 * events/s keeps: their next arrivals, minutes ahead, stay in the ring).
 * The keys keep their (time, seq), so the order of events, and every
 * output, is the same whatever the width. callgrind, the
 * run loop: scale.json 20 s 736.8 M instructions at 2^30, 712.9 M at 2^27,
 * 692.2 M at 2^24, 715.5 M at 2^22, 926.1 M at 2^20; routing.json 1,088 M
 * at 2^30, 1,046 M at 2^24, 1,051 M at 2^25; scale.json at 100,000 nodes,
 * 5 s: 2,376 M at 2^30, 2,279 M at 2^24, 2,220 M at 2^22, 2,189 M at 2^21.
 * The floor is CPU time's: at 100,000 nodes 2^21 and 2^22 took more CPU
 * than 2^24 in every alternating round (the overflow bucket, everything
 * past the ring's 1,024 buckets, is scattered again each time the ring
 * wraps), and 2^24 less than 2^30 in two rounds of three; routing.json at
 * 2^25: median of 9 alternating runs 1.00 M against 0.97 M invocations per
 * loop CPU second at 2^30. */
#define FAR_EVENTS 1200.0

static unsigned far_shift(const sim_scenario *sc)
{
    sim_estimate e;
    sim_limits_estimate(sc, 0, &e);
    double per_ns = sc->duration > 0 ? e.events / (double)sc->duration : 0;
    if (!(per_ns > 0))
        return 30;
    double b = log2(FAR_EVENTS / per_ns);
    return b >= 30 ? 30 : b <= 24 ? 24 : (unsigned)lround(b);
}

static int setup(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    w->eng = sim_engine_create(4096);
    if (w->eng && sim_engine_set_far(w->eng, far_shift(sc)) != EDGE_OK) {
        sim_engine_destroy(w->eng);
        w->eng = NULL;
    }
    /* Ctrl-C stops the loop after the event that is running (the flag is
     * set only where the command installed sim_interrupt_install). */
    if (w->eng)
        sim_engine_set_interrupt(w->eng, sim_interrupt_flag());
    edge_err rc;
    if (sc->policies.plugin_path) {
        /* the scenario reader checked it already; this load is the run's */
        w->plugin = sim_plugin_load(sc->policies.plugin_path, sc->policies.plugin_params,
                                    sc->nfunctions, sc->nnodes, err, errlen);
        if (!w->plugin)
            return -1;
        w->ka_plugin = sim_plugin_keepalive(w->plugin);
        if (wplug_create(w, err, errlen) != 0)
            return -1;
    }
    /* who routes: an embedder's router, else a plugin that routes, else the
     * scenario's scheduler */
    const edge_policy_plugin *table = NULL;
    void *state = NULL;
    if (w->opt.router) {
        table = w->opt.router;
        state = w->opt.router_state;
        snprintf(w->plugin_label, sizeof w->plugin_label, "router %s",
                 w->opt.router_name ? w->opt.router_name : "(unnamed)");
    } else if (w->plugin && sim_plugin_routes(w->plugin)) {
        table = sim_plugin_table(w->plugin);
        state = sim_plugin_state(w->plugin);
        snprintf(w->plugin_label, sizeof w->plugin_label, "plugin %s", sc->policies.plugin_path);
    }
    if (table) {
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
    w->track_idle = !strcmp(edge_scheduler_policy(w->sched), "warm_first") || w->node_region;
    w->probes = (edge_probe_config){sc->policies.probe_period, sc->policies.probe_timeout,
                                    sc->policies.probe_failures};
    if (edge_metrics_init(&w->metrics, sc->nfunctions, sc->nnodes) != EDGE_OK)
        goto nomem;
    w->ms = sim_measures_new(sc->nfunctions, sc->warmup, sc->duration);
    if (!w->ms)
        goto nomem;
    if (sc->policies.heartbeat_jitter > 0 || sc->policies.heartbeat_phase_random) {
        /* streams of their own: without these options nothing is drawn */
        w->hb_rng = calloc(sc->nnodes ? sc->nnodes : 1, sizeof *w->hb_rng);
        if (!w->hb_rng)
            goto nomem;
        for (size_t i = 0; i < sc->nnodes; i++)
            sim_rng_derive(&w->hb_rng[i], sc->seed, "heartbeat", i);
    }
    sim_rng_derive(&w->sched_rng, sc->seed, "scheduler", 0);

    w->nnodes = sc->nnodes;
    /* line-aligned: a start or finish touches the first two lines of its node's */
    w->nodes = aligned_alloc(_Alignof(wnode), (sc->nnodes ? sc->nnodes : 1) * sizeof *w->nodes);
    if (w->nodes) {
        memset(w->nodes, 0, (sc->nnodes ? sc->nnodes : 1) * sizeof *w->nodes);
        for (size_t i = 0; i < sc->nnodes; i++) {
            w->nodes[i].cores = sc->nodes[i].cores;
            w->nodes[i].queue_limit = sc->nodes[i].queue_limit;
        }
    }
    w->fn_rng = calloc(sc->nfunctions ? sc->nfunctions : 1, sizeof *w->fn_rng);
    w->narrivals = sc->nworkloads;
    /* line-aligned: an arrival touches the first two lines of its entry */
    w->arrivals_of = aligned_alloc(SIM_ARRIVALS_ALIGN,
                                   (sc->nworkloads ? sc->nworkloads : 1) * sizeof *w->arrivals_of);
    w->arrival_epoch = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->arrival_epoch);
    w->spike_factor = calloc(sc->nworkloads ? sc->nworkloads : 1, sizeof *w->spike_factor);
    w->fault_open = calloc(sc->nfaults ? sc->nfaults : 1, sizeof *w->fault_open);
    w->mev = calloc(sc->nfaults ? sc->nfaults : 1, sizeof *w->mev);
    w->nfaults = sc->nfaults;
    if (!w->nodes || !w->fn_rng || !w->arrivals_of || !w->arrival_epoch ||
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
        sim_rng_derive(&w->fn_rng[f].cold_exec, sc->seed, "cold_exec_time", f);
    }
    if (wcore_create(w, err, errlen) != 0 || wka_create(w, err, errlen) != 0)
        return -1;
    if (sc->nworkflows && winv_workflows_create(w, err, errlen) != 0)
        return -1;
    if (sc->sync.enabled && wsync_create(w) != 0) {
        snprintf(err, errlen, "cannot create the state synchronizer");
        return -1;
    }

    for (size_t i = 0; i < sc->nnodes; i++) {
        wnode *n = &w->nodes[i];
        const sim_node_spec *s = &sc->nodes[i];
        /* n->queue: allocated on the first invocation that waits (world.c) */
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

    if (wnet_create(w, sim__world_net_arrived, err, errlen) != 0)
        return -1;
    if (wcache_create(w, err, errlen) != 0)
        return -1;

    /* Deployments, in file order, through the cluster's calls. */
    if (wdeploy_scenario(w) != 0)
        goto nomem;
    if (w->failed) {
        if (!w->fail_msg[0])
            goto nomem;
        snprintf(err, errlen, "run failed: %s", w->fail_msg); /* a plugin's answer */
        return -1;
    }
    if (sc->policies.autoscaler.type != EDGE_AUTOSCALER_NONE &&
        winv_autoscaler_create(w, err, errlen) != 0)
        return -1;

    /* The warm-up's end first: before anything else at that instant. */
    if (sc->warmup > 0)
        wschedule(w, sc->warmup, ev_warmup, 0, 0, 0, NULL);
    /* Time 0, in the documented order: heartbeats, health ticks, samples,
     * faults, arrivals. */
    for (size_t i = 0; i < sc->nnodes; i++)
        if (w->nodes[i].registered)
            whb_start(w, i);
    whealth_schedule(w);
    wsample_schedule(w);
    wfaults_schedule(w);
    for (size_t k = 0; k < sc->nworkloads; k++) {
        w->spike_factor[k] = 1.0;
        if (sim_arrivals_init(&w->arrivals_of[k], &sc->workloads[k], sc->seed, k, sc->duration)) {
            snprintf(err, errlen, "workload %zu cannot run", k);
            return -1;
        }
        edge_time t = w->arrivals_of[k].next;
        if (t != EDGE_TIME_MAX && t <= sc->duration)
            winv_schedule_arrival(w, k, t);
    }
    if (w->failed)
        goto nomem;
    if (winv_prefetch_setup(w) != 0)
        goto nomem;
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
    w->setup_start = opt->setup_start > 0 ? opt->setup_start : sim_wall_seconds();
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

int sim_world_run(sim_world *w, sim_run_stats *stats, char *err, size_t errlen)
{
    w->wall_start = sim_wall_seconds();
    double cpu0 = sim_cpu_seconds();
    edge_err rc = EDGE_OK;
    if (w->opt.on_settled) { /* in two pieces: the same events, in the same order */
        rc = sim_engine_run_until(w->eng, w->sc->duration / 10);
        if (rc == EDGE_OK && !w->failed && !sim_interrupted())
            w->opt.on_settled(w->opt.settled_ctx);
    }
    if (rc == EDGE_OK && !w->failed && !sim_interrupted())
        rc = sim_engine_run_until(w->eng, w->sc->duration);
    wmetrics_flush(w);
    double wall_end = sim_wall_seconds();
    /* with pieces run before (world_api.c), the loop is theirs and this
     * rest, and the set-up ended when the first began */
    double loop_cpu_here = sim_cpu_seconds() - cpu0;
    stats->setup_seconds = (w->piece_run ? w->first_piece_wall : w->wall_start) - w->setup_start;
    stats->loop_seconds = w->pieces_wall + (wall_end - w->wall_start);
    stats->loop_cpu_seconds = w->pieces_cpu + loop_cpu_here;
    stats->output_seconds = 0.0;
    stats->cpu_seconds = 0.0;
    stats->outputs_start = wall_end;
    stats->setup_cpu_seconds = w->piece_run ? w->first_piece_cpu : cpu0;
    stats->outputs_cpu_start = cpu0 + loop_cpu_here;
    if (sim_interrupted()) { /* the engine stopped at the flag (sim_engine_set_interrupt) */
        snprintf(err, errlen, "interrupted by signal %d", sim_interrupted());
        return -1;
    }
    if (rc != EDGE_OK || w->failed) {
        if (w->fail_msg[0])
            snprintf(err, errlen, "run failed: %s", w->fail_msg);
        else
            snprintf(err, errlen, "run failed: %s", edge_strerror(w->failed ? w->failed : rc));
        return -1;
    }
    /* Close the integrals and the open fault windows at the end of the run;
     * idle memory time runs to the end (instances still warm are counted). */
    wfaults_close_windows(w);
    for (size_t i = 0; i < w->nnodes; i++)
        wcore_expire_to(w, i, w->sc->duration);
    wsystem_account(w);
    /* Counted arrivals still running or queued: reported, not dropped. */
    for (size_t i = 0; i < w->inv_cap; i++) {
        const winv *v = &w->invs[i];
        if (!v->live)
            continue;
        sim_measures_in_flight(w->ms, v->fn, v->arrival);
        if (v->running)
            sim_measures_ran(w->ms, v->fn, v->started, w->sc->duration);
    }
    sim_measures_close(w->ms);
    for (size_t i = 0; i < w->nnodes; i++) {
        wnode_account(w, &w->nodes[i]);
        if (w->nodes[i].registered)
            wstatus_account(w, &w->nodes[i]);
        wup_account(w, &w->nodes[i]);
        if (w->sync)
            wsync_close(w, i);
    }
    /* every live deployment's invocation counter into its placements row */
    const wcore_pair *pairs;
    size_t npairs = wcore_deployed_pairs(w, &pairs);
    for (size_t k = 0; k < npairs; k++)
        wfaults_keep_count(w, pairs[k].fn, pairs[k].node);
    sim_engine_stats st;
    sim_engine_get_stats(w->eng, &st);
    stats->events = st.run;
    stats->invocations = w->arrivals;
    stats->peak_rss_kb = peak_rss_kb();
    if (wsummary_finish(w, stats, err, errlen) != 0 || wnet_write(w, err, errlen) != 0 ||
        (w->wf && sim_wflow_write(w->wf, w->opt.outdir, err, errlen) != 0) ||
        (w->as && was_write(w, err, errlen) != 0))
        return -1;
    if (w->trace) {
        stats->trace_dropped = sim_trace_dropped(w->trace);
        stats->trace_max_events = sim_trace_max_events(w->trace);
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
    wsync_free(w);
    wcore_free(w);
    wka_free(w);
    wcache_free(w);
    wnet_free(w);
    sim_wflow_free(w->wf);
    was_free(w);
    sim_engine_destroy(w->eng);
    edge_scheduler_free(w->sched);
    wplug_free(w);
    sim_plugin_free(w->plugin); /* after the scheduler that borrowed it */
    free(w->node_region);
    edge_metrics_free(&w->metrics);
    sim_measures_free(w->ms);
    free(w->hb_rng);
    if (w->nodes)
        for (size_t i = 0; i < w->nnodes; i++)
            free(w->nodes[i].queue);
    free(w->nodes);
    free(w->fn_rng);
    free(w->arrivals_of);
    free(w->arrival_epoch);
    free(w->fn_rt);
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
