/*
 * world_summary.c — the end-of-run summaries, read from the finished world:
 * summary.json's object, the rows of nodes.csv and functions.csv, the
 * scopes of latency.csv and the keep-alive axes per function. The report
 * (sim/output/report.c) only formats and writes what this builds, so the
 * output layer never reads the world's state (docs/outputs.md is the
 * reference of every field).
 *
 * Per-node figures go to nodes.csv only; summary.json holds totals, per
 * function figures and settings. A cJSON object per node (30 numbers each,
 * printed by cJSON_Print) made summary.json 55 MB and most of the output
 * time at 100,000 nodes.
 *
 * Runs once per run, O(nodes + functions + deployments); nothing here is
 * on the event path.
 */
#include <cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "histogram.h"
#include "input/machine_events.h"
#include "keepalive.h"
#include "model/autoscaler.h"
#include "model/measures.h"
#include "model/workflow.h"
#include "model/world_internal.h"
#include "output/report.h"
#include "runtime.h"
#include "synchronizer.h"

/* The keep-alive axes (core/keepalive.h) per function and over the run. */
typedef struct ka_reports {
    edge_keepalive_report *fn; /* per function; owned */
    edge_keepalive_report total;
} ka_reports;

static double secs(edge_time t)
{
    return edge_time_to_s(t);
}

static cJSON *latency_obj(const edge_histogram *h)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", (double)h->count);
    cJSON_AddNumberToObject(o, "mean", edge_histogram_mean(h) / 1e9);
    cJSON_AddNumberToObject(o, "p50", secs(edge_histogram_quantile(h, 0.50)));
    cJSON_AddNumberToObject(o, "p90", secs(edge_histogram_quantile(h, 0.90)));
    cJSON_AddNumberToObject(o, "p95", secs(edge_histogram_quantile(h, 0.95)));
    cJSON_AddNumberToObject(o, "p99", secs(edge_histogram_quantile(h, 0.99)));
    cJSON_AddNumberToObject(o, "p999", secs(edge_histogram_quantile(h, 0.999)));
    cJSON_AddNumberToObject(o, "max", h->count ? secs(h->max) : 0.0);
    return o;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

/* Artifact cache figures of one node (or of the sum over nodes). */
static double cache_hit_ratio(const wcache_node *n)
{
    return ratio(n->hits + n->shared, n->lookups);
}

static double cache_pull_mean(const wcache_node *n)
{
    return n->pulls ? secs(n->pull_time) / (double)n->pulls : 0.0;
}

static cJSON *cache_obj(const wcache_node *n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "lookups", (double)n->lookups);
    cJSON_AddNumberToObject(o, "hits", (double)n->hits);
    cJSON_AddNumberToObject(o, "shared_pulls", (double)n->shared);
    cJSON_AddNumberToObject(o, "pulls", (double)n->pulls);
    cJSON_AddNumberToObject(o, "hit_ratio", cache_hit_ratio(n));
    cJSON_AddNumberToObject(o, "pulled_mb", n->pulled_mb);
    cJSON_AddNumberToObject(o, "pull_time_s", secs(n->pull_time));
    cJSON_AddNumberToObject(o, "pull_time_mean_s", cache_pull_mean(n));
    cJSON_AddNumberToObject(o, "wait_time_s", secs(n->wait_time));
    cJSON_AddNumberToObject(o, "evictions", (double)n->evictions);
    return o;
}

/* The policy, its parameters, and the two axes keep-alive policies are
 * compared on (cold-start percentage, wasted memory time), with pre-warms. */
static cJSON *keepalive_obj(const ka_reports *ka, const sim_world *w)
{
    const edge_keepalive_config *k = &w->sc->policies.keepalive;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "policy", edge_keepalive_type_name(k->type));
    if (w->ka_plugin) /* a plugin's keep-alive table decides after the policy */
        cJSON_AddStringToObject(o, "plugin", w->sc->policies.plugin_name);
    if (k->type == EDGE_KEEPALIVE_FIXED)
        cJSON_AddNumberToObject(o, "ttl_s", secs(k->ttl));
    if (k->type == EDGE_KEEPALIVE_HYBRID) {
        cJSON_AddNumberToObject(o, "bins", (double)k->bins);
        cJSON_AddNumberToObject(o, "bin_width_s", secs(k->bin_width));
        cJSON_AddNumberToObject(o, "cv_threshold", k->cv_threshold);
        cJSON_AddNumberToObject(o, "min_samples", (double)k->min_samples);
        cJSON_AddNumberToObject(o, "margin", k->margin);
        cJSON_AddNumberToObject(o, "oob_max", k->oob_max);
        if (k->forecast_alpha > 0) /* absent at 0: summaries of older runs stay as they were */
            cJSON_AddNumberToObject(o, "forecast_alpha", k->forecast_alpha);
    }
    cJSON_AddNumberToObject(o, "starts", (double)ka->total.starts);
    cJSON_AddNumberToObject(o, "cold_starts", (double)ka->total.cold_starts);
    cJSON_AddNumberToObject(o, "cold_start_pct", ka->total.cold_start_pct);
    cJSON_AddNumberToObject(o, "wasted_mb_s", ka->total.wasted_mb_s);
    const wka_counts *pw = wka_total_counts(w);
    cJSON *p = cJSON_AddObjectToObject(o, "prewarms");
    cJSON_AddNumberToObject(p, "done", (double)pw->done);
    cJSON_AddNumberToObject(p, "used", (double)pw->used);
    cJSON_AddNumberToObject(p, "cancelled", (double)pw->cancelled);
    cJSON_AddNumberToObject(p, "failed", (double)pw->failed);
    return o;
}

/* health.heartbeat / health.probes: one failure detector's record. */
static void detector_obj(cJSON *o, const wdetector *d, uint64_t open)
{
    cJSON_AddNumberToObject(o, "detections", (double)d->detections);
    cJSON_AddNumberToObject(o, "detection_mean_s",
                            d->detections ? secs(d->sum) / (double)d->detections : 0.0);
    cJSON_AddNumberToObject(o, "detection_max_s", secs(d->max));
    cJSON_AddNumberToObject(o, "missed", (double)(d->missed + open));
    cJSON_AddNumberToObject(o, "false_suspicions", (double)d->false_suspicions);
}

/* summary.json "sync": only with a synchronizer. */
static void sync_obj(cJSON *root, const sim_world *w)
{
    const wsync *ws = w->sync;
    const edge_sync_state *p = edge_synchronizer_primary(ws->core);
    cJSON *o = cJSON_AddObjectToObject(root, "sync");
    cJSON_AddNumberToObject(o, "version", (double)p->version);
    cJSON_AddStringToObject(o, "checksum", p->checksum);
    cJSON_AddNumberToObject(o, "updates", (double)ws->updates);
    cJSON_AddNumberToObject(o, "rounds", (double)ws->rounds);
    uint64_t transfers = 0, bytes = 0, rejected = 0, lost = 0, behind = 0;
    edge_time lag = 0, lag_max = 0;
    for (size_t i = 0; i < w->nnodes; i++) { /* per node: nodes.csv's sync_ columns */
        const wsync_node *y = &ws->node[i];
        int64_t vb = p->version - edge_synchronizer_replica_version(ws->core, i);
        transfers += y->transfers;
        bytes += y->bytes;
        rejected += y->rejected;
        lost += y->lost;
        behind += vb > 0;
        lag += y->lag_total;
        if (y->lag_max > lag_max)
            lag_max = y->lag_max;
    }
    cJSON_AddNumberToObject(o, "transfers", (double)transfers);
    cJSON_AddNumberToObject(o, "bytes", (double)bytes);
    cJSON_AddNumberToObject(o, "rejected", (double)rejected);
    cJSON_AddNumberToObject(o, "lost", (double)lost);
    cJSON_AddNumberToObject(o, "corruptions_injected", (double)ws->injected);
    cJSON_AddNumberToObject(o, "corruptions_detected", (double)ws->detected);
    cJSON_AddNumberToObject(o, "nodes_behind_at_end", (double)behind);
    cJSON_AddNumberToObject(o, "lag_mean_s", w->nnodes ? secs(lag) / (double)w->nnodes : 0.0);
    cJSON_AddNumberToObject(o, "lag_max_s", secs(lag_max));
}

/* The fraction of the counted time (after the warm-up) node i was up. */
static double node_availability(const sim_world *w, size_t i)
{
    edge_time counted = w->sc->duration - w->sc->warmup;
    return counted > 0 ? (double)w->nodes[i].up_time / (double)counted : 0.0;
}

/* Node i's energy by the linear power model: idle watts while up, plus the
 * busy share of (busy - idle) watts; nothing while crashed. */
static double node_energy_j(const sim_world *w, size_t i)
{
    const wnode *n = &w->nodes[i];
    const sim_node_spec *ns = &w->sc->nodes[i];
    return ns->idle_watts * secs(n->up_time) +
           (ns->busy_watts - ns->idle_watts) * (n->busy_integral - n->busy_at_warmup) / 1e9 /
               (ns->cores ? ns->cores : 1);
}

static cJSON *summary_json(const sim_world *w, const ka_reports *ka)
{
    const sim_scenario *sc = w->sc;
    const edge_metrics *m = &w->metrics;
    const edge_metric_counts *t = &m->total;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", sc->name);
    cJSON_AddNumberToObject(root, "seed", (double)sc->seed);
    cJSON_AddStringToObject(root, "version", EDGESIM_VERSION);
    cJSON_AddStringToObject(root, "scheduler", sc->policies.scheduler);
    wplug_summary(w, root);
    cJSON_AddStringToObject(root, "instance_selection",
                            edge_instance_selection_name(
                                (edge_instance_selection)sc->policies.instance_selection));
    /* The model knobs a result depends on (docs/semantics.md). */
    cJSON *mk = cJSON_AddObjectToObject(root, "model");
    cJSON_AddStringToObject(mk, "instance_selection",
                            edge_instance_selection_name(
                                (edge_instance_selection)sc->policies.instance_selection));
    cJSON_AddBoolToObject(mk, "overload_rule", !sc->policies.overload_off);
    cJSON_AddStringToObject(mk, "heartbeat_phase",
                            sc->policies.heartbeat_phase_random ? "random" : "zero");
    cJSON_AddNumberToObject(mk, "heartbeat_jitter_s", secs(sc->policies.heartbeat_jitter));
    cJSON_AddBoolToObject(mk, "cold_start_holds_slot", !sc->policies.cold_start_no_slot);
    size_t ncx = 0;
    for (size_t f = 0; f < sc->nfunctions; f++)
        ncx += sc->functions[f].cold_exec != NULL;
    cJSON_AddNumberToObject(mk, "functions_with_cold_exec_time", (double)ncx);
    cJSON_AddNumberToObject(root, "duration_s", secs(sc->duration));
    cJSON_AddNumberToObject(root, "warmup_s", secs(sc->warmup));
    /* Rates and time averages are over what follows the warm-up. */
    double span = secs(sc->duration - sc->warmup);
    sim_measure_summary tm;
    sim_measures_total(w->ms, &tm);
    char fp[17];
    sim_report_fingerprint(w->report, fp);
    cJSON_AddStringToObject(root, "fingerprint", fp);

    uint64_t ok_n = edge_metric_ok(t), failed = edge_metric_failed(t),
             rejected = edge_metric_rejected(t), finished = edge_metric_total(t);
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(tot, "arrivals", (double)w->arrivals_counted);
    cJSON_AddNumberToObject(tot, "ok", (double)ok_n);
    cJSON_AddNumberToObject(tot, "failed", (double)failed);
    cJSON_AddNumberToObject(tot, "rejected", (double)rejected);
    cJSON_AddNumberToObject(tot, "in_flight_at_end", (double)tm.in_flight_at_end);
    cJSON_AddNumberToObject(tot, "started", (double)edge_metric_started(t));
    cJSON_AddNumberToObject(tot, "cold_starts", (double)t->cold_starts);
    cJSON_AddNumberToObject(tot, "retried", (double)w->retried);

    cJSON *rates = cJSON_AddObjectToObject(root, "rates");
    cJSON_AddNumberToObject(rates, "throughput_per_s", span > 0 ? (double)ok_n / span : 0.0);
    cJSON_AddNumberToObject(rates, "cold_start_rate", edge_metric_cold_rate(t));
    cJSON_AddNumberToObject(rates, "cold_start_per_arrival",
                            ratio(t->cold_starts, w->arrivals_counted));
    cJSON_AddNumberToObject(rates, "success_rate", ratio(ok_n, finished));
    cJSON_AddNumberToObject(rates, "failure_rate", ratio(failed, finished));
    cJSON_AddNumberToObject(rates, "rejection_rate", ratio(rejected, finished));

    cJSON_AddItemToObject(root, "latency_s", latency_obj(&t->latency));
    cJSON *oc = cJSON_AddObjectToObject(root, "outcomes");
    for (int k = 0; k < EDGE_REASON_COUNT; k++)
        cJSON_AddNumberToObject(oc, edge_reason_name((edge_reason)k), (double)t->by_reason[k]);
    cJSON_AddNumberToObject(oc, "in_flight_at_end", (double)tm.in_flight_at_end);
    cJSON *qo = cJSON_AddObjectToObject(root, "queueing");
    cJSON_AddNumberToObject(qo, "count", (double)tm.ok);
    sim_measures_queueing_json(qo, &tm);
    sim_measures_instances_json(cJSON_AddObjectToObject(root, "instances"), &tm);
    cJSON_AddItemToObject(root, "steady_state", sim_measures_steady_state_json(w->ms));

    cJSON *fns = cJSON_AddObjectToObject(root, "functions");
    for (size_t f = 0; f < sc->nfunctions; f++) {
        const edge_metric_counts *c = &m->per_function[f];
        sim_measure_summary fm;
        sim_measures_function(w->ms, f, &fm);
        cJSON *o = cJSON_AddObjectToObject(fns, sc->functions[f].id);
        if (sc->functions[f].app)
            cJSON_AddStringToObject(o, "app", sc->functions[f].app);
        uint64_t f_arrivals = edge_metric_total(c) + fm.in_flight_at_end;
        cJSON_AddNumberToObject(o, "arrivals", (double)f_arrivals);
        cJSON_AddNumberToObject(o, "ok", (double)edge_metric_ok(c));
        cJSON_AddNumberToObject(o, "failed", (double)edge_metric_failed(c));
        cJSON_AddNumberToObject(o, "rejected", (double)edge_metric_rejected(c));
        cJSON_AddNumberToObject(o, "cold_starts", (double)c->cold_starts);
        cJSON_AddNumberToObject(o, "cold_start_rate", edge_metric_cold_rate(c));
        cJSON_AddNumberToObject(o, "cold_start_per_arrival", ratio(c->cold_starts, f_arrivals));
        cJSON_AddNumberToObject(o, "in_flight_at_end", (double)fm.in_flight_at_end);
        cJSON_AddItemToObject(o, "latency_s", latency_obj(&c->latency));
        sim_measures_queueing_json(o, &fm);
        sim_measures_instances_json(cJSON_AddObjectToObject(o, "instances"), &fm);
        const wka_counts *pw = wka_function_counts(w, f);
        cJSON_AddNumberToObject(o, "cold_start_pct", ka->fn[f].cold_start_pct);
        cJSON_AddNumberToObject(o, "wasted_mb_s", ka->fn[f].wasted_mb_s);
        cJSON_AddNumberToObject(o, "prewarms", (double)pw->done);
        cJSON_AddNumberToObject(o, "prewarms_used", (double)pw->used);
        cJSON_AddNumberToObject(o, "prewarms_cancelled", (double)pw->cancelled);
    }
    cJSON_AddItemToObject(root, "keepalive", keepalive_obj(ka, w));

    /* Only with a google_machine_events fault: what each trace did. */
    cJSON *tf = NULL;
    for (size_t k = 0; k < sc->nfaults; k++) {
        if (sc->faults[k].kind != SIM_FAULT_GOOGLE_MACHINE_EVENTS)
            continue;
        if (!tf)
            tf = cJSON_AddArrayToObject(root, "trace_faults");
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(tf, o);
        cJSON_AddStringToObject(o, "kind", "google_machine_events");
        cJSON_AddNumberToObject(o, "line", sc->faults[k].line);
        static const sim_mevents_counts none;
        const sim_mevents_counts *mc = w->mev && w->mev[k] ? sim_mevents_counts_of(w->mev[k]) : &none;
        cJSON_AddNumberToObject(o, "rows", (double)mc->rows);
        cJSON_AddNumberToObject(o, "machines", (double)mc->machines);
        cJSON_AddNumberToObject(o, "machines_ignored", (double)mc->machines_ignored);
        cJSON_AddNumberToObject(o, "removes_applied", (double)mc->removes_applied);
        cJSON_AddNumberToObject(o, "removes_ignored", (double)mc->removes_ignored);
        cJSON_AddNumberToObject(o, "adds_applied", (double)mc->adds_applied);
        cJSON_AddNumberToObject(o, "adds_ignored", (double)mc->adds_ignored);
        cJSON_AddNumberToObject(o, "updates_ignored", (double)mc->updates_ignored);
    }

    double avail_sum = 0, energy = 0;
    size_t nreg = 0;
    uint64_t dmin = UINT64_MAX, dmax = 0;
    for (size_t i = 0; i < w->nnodes; i++) { /* per node: nodes.csv */
        const wnode *n = &w->nodes[i];
        energy += node_energy_j(w, i);
        avail_sum += node_availability(w, i);
        nreg++;
        if (n->deployments < dmin)
            dmin = n->deployments;
        if (n->deployments > dmax)
            dmax = n->deployments;
    }

    {
        wcache_node sum = {0};
        for (size_t i = 0; w->cnodes && i < w->nnodes; i++) {
            const wcache_node *n = &w->cnodes[i];
            sum.lookups += n->lookups;
            sum.hits += n->hits;
            sum.shared += n->shared;
            sum.pulls += n->pulls;
            sum.evictions += n->evictions;
            sum.pulled_mb += n->pulled_mb;
            sum.pull_time += n->pull_time;
            sum.wait_time += n->wait_time;
        }
        cJSON *co = cache_obj(&sum);
        cJSON_AddBoolToObject(co, "enabled", w->cache_on);
        cJSON_AddItemToObject(root, "cache", co);
    }

    cJSON *h = cJSON_AddObjectToObject(root, "health");
    cJSON_AddNumberToObject(h, "transitions", (double)w->transitions);
    cJSON_AddNumberToObject(h, "detections", (double)w->detections);
    cJSON *dl = cJSON_AddObjectToObject(h, "detection_latency_s");
    cJSON_AddNumberToObject(dl, "count", (double)w->detections);
    cJSON_AddNumberToObject(dl, "mean",
                            w->detections ? secs(w->detection_sum) / (double)w->detections : 0.0);
    cJSON_AddNumberToObject(dl, "max", secs(w->detection_max));
    cJSON_AddNumberToObject(h, "false_suspicions", (double)w->false_suspicions);
    uint64_t undetected = 0;
    for (size_t i = 0; i < w->nnodes; i++)
        undetected += w->nodes[i].crash_pending_detection;
    cJSON_AddNumberToObject(h, "undetected_crashes", (double)undetected);
    cJSON_AddNumberToObject(h, "crashes", (double)w->crashes_registered);
    cJSON_AddNumberToObject(h, "missed", (double)w->missed);
    cJSON_AddNumberToObject(h, "availability", nreg ? avail_sum / (double)nreg : 0.0);
    /* Each failure detector on its own; the keys above are the status's. */
    uint64_t hb_open = 0, probe_open = 0;
    for (size_t i = 0; i < w->nnodes; i++) {
        hb_open += w->nodes[i].hb_pending;
        probe_open += w->nodes[i].probe_pending;
    }
    detector_obj(cJSON_AddObjectToObject(h, "heartbeat"), &w->hb_det, hb_open);
    cJSON *pr = cJSON_AddObjectToObject(h, "probes");
    cJSON_AddBoolToObject(pr, "enabled", w->probes.period > 0);
    cJSON_AddNumberToObject(pr, "period_s", secs(w->probes.period));
    cJSON_AddNumberToObject(pr, "timeout_s", secs(w->probes.timeout));
    cJSON_AddNumberToObject(pr, "failures", (double)w->probes.failures);
    cJSON_AddNumberToObject(pr, "sent", (double)w->probes_sent);
    cJSON_AddNumberToObject(pr, "failed", (double)w->probes_failed);
    detector_obj(pr, &w->probe_det, probe_open);

    if (w->sync)
        sync_obj(root, w);
    cJSON *net = wnet_summary(w);
    if (net)
        cJSON_AddItemToObject(root, "network", net);

    cJSON *en = cJSON_AddObjectToObject(root, "energy");
    cJSON_AddNumberToObject(en, "total_j", energy);
    cJSON_AddNumberToObject(en, "per_ok_invocation_j", ok_n ? energy / (double)ok_n : 0.0);
    cJSON_AddNumberToObject(en, "mean_power_w", span > 0 ? energy / span : 0.0);
    if (w->sc->net) /* the network's transfers, beside the nodes' total_j */
        cJSON_AddNumberToObject(en, "transfer_j", wnet_energy_j(w));

    cJSON *pl = cJSON_AddObjectToObject(root, "placement");
    cJSON_AddNumberToObject(pl, "deployments", (double)w->deployments);
    cJSON *dpn = cJSON_AddObjectToObject(pl, "deployments_per_node");
    cJSON_AddNumberToObject(dpn, "min", nreg ? (double)dmin : 0.0);
    cJSON_AddNumberToObject(dpn, "mean", nreg ? (double)w->deployments / (double)nreg : 0.0);
    cJSON_AddNumberToObject(dpn, "max", (double)dmax);

    /* Little's law: L (time average in system) against lambda * W. */
    double T = span;
    double L = T > 0 ? w->in_system_integral / 1e9 / T : 0.0;
    double lambda = T > 0 ? (double)w->departures / T : 0.0;
    double W = w->departures ? w->time_in_system_sum / 1e9 / (double)w->departures : 0.0;
    cJSON *ll = cJSON_AddObjectToObject(root, "littles_law");
    cJSON_AddNumberToObject(ll, "mean_in_system", L);
    cJSON_AddNumberToObject(ll, "arrival_rate_per_s", lambda);
    cJSON_AddNumberToObject(ll, "mean_time_in_system_s", W);
    cJSON_AddNumberToObject(ll, "relative_error", L > 0 ? (L - lambda * W) / L : 0.0);
    if (sc->ntraces) { /* only with trace workloads: other summaries keep their shape */
        cJSON *tr = cJSON_AddArrayToObject(root, "traces");
        for (size_t k = 0; k < sc->ntraces; k++) {
            const sim_trace_info *ti = &sc->traces[k];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToArray(tr, o);
            cJSON_AddStringToObject(o, "type", ti->type);
            cJSON_AddNumberToObject(o, "workload", (double)ti->workload);
            cJSON_AddNumberToObject(o, "functions", (double)ti->functions);
            cJSON_AddNumberToObject(o, "functions_in_file", (double)ti->functions_in_file);
            cJSON_AddNumberToObject(o, "rows", (double)ti->rows);
            cJSON_AddNumberToObject(o, "skipped_rows", (double)ti->skipped_rows);
            cJSON_AddNumberToObject(o, "invocations_in_trace", (double)ti->invocations);
            cJSON_AddNumberToObject(o, "missing_durations", (double)ti->missing_durations);
            cJSON_AddNumberToObject(o, "missing_memory", (double)ti->missing_memory);
        }
    }
    if (w->wf) /* model/workflow.c */
        cJSON_AddItemToObject(root, "workflows", sim_wflow_summary(w->wf));
    if (w->as) /* model/autoscaler.c */
        cJSON_AddItemToObject(root, "autoscaler", was_summary(w));
    return root;
}


/* Sums the runtimes' counters per function and overall, once at the end:
 * O(nodes + deployments) look-ups, nothing per invocation (each runtime
 * integrates its idle memory as it goes). */
static int keepalive_reports(ka_reports *ka, const sim_world *w)
{
    size_t nf = w->sc->nfunctions;
    ka->fn = calloc(nf ? nf : 1, sizeof *ka->fn);
    if (!ka->fn)
        return -1;
    for (size_t i = 0; i < w->nnodes; i++) {
        edge_runtime_stats st; /* from the warm-up on */
        if (wcore_runtime_stats(w, i, &st) != 0)
            continue;
        edge_keepalive_report one = edge_keepalive_report_of(&st);
        edge_keepalive_report_add(&ka->total, &one);
    }
    const wcore_pair *p;
    size_t np = wcore_deployed_pairs(w, &p);
    for (size_t k = 0; k < np; k++) {
        edge_runtime_stats st;
        if (wcore_pair_stats(w, k, &st) == 0) {
            edge_keepalive_report one = edge_keepalive_report_of(&st);
            edge_keepalive_report_add(&ka->fn[p[k].fn], &one);
        }
    }
    return 0;
}


/* nodes.csv: one row per scenario node, in the scenario's order. */
static void node_rows(const sim_world *w, sim_node_row *rows)
{
    for (size_t i = 0; i < w->nnodes; i++) {
        const sim_node_spec *s = &w->sc->nodes[i];
        const wnode *n = &w->nodes[i];
        const edge_metric_counts *c = &w->metrics.per_node[i];
        static const wcache_node none;
        const wcache_node *cn = w->cnodes ? &w->cnodes[i] : &none;
        sim_node_row *row = &rows[i];
        *row = (sim_node_row){
            .id = s->id,
            .region = w->sc->regions[s->region].name,
            .cores = s->cores,
            .memory_mb = s->memory_mb,
            .deployments = n->deployments,
            .invocations = edge_metric_started(c),
            .ok = edge_metric_ok(c),
            .failed = edge_metric_failed(c),
            .cold_starts = c->cold_starts,
            .latency = &c->latency,
            .crashes = n->crashes,
            .availability = node_availability(w, i),
            .energy_j = node_energy_j(w, i),
            .cache_hit_ratio = cache_hit_ratio(cn),
            .cache_lookups = cn->lookups,
            .cache_hits = cn->hits,
            .cache_shared_pulls = cn->shared,
            .cache_pulls = cn->pulls,
            .cache_evictions = cn->evictions,
            .cache_wait_time = cn->wait_time,
            .cache_pulled_mb = cn->pulled_mb,
            .cache_pull_time = cn->pull_time,
            .cache_pull_time_mean =
                cn->pulls ? (edge_time)llround((double)cn->pull_time / (double)cn->pulls) : 0,
        };
        for (int k = 0; k < 5; k++)
            row->time_in_status[k] = n->time_in_status[k];
        if (w->sync) {
            const wsync_node *y = &w->sync->node[i];
            row->has_sync = 1;
            row->sync_lag = y->lag_total;
            row->sync_lag_max = y->lag_max;
            row->sync_versions_behind = edge_synchronizer_primary(w->sync->core)->version -
                                        edge_synchronizer_replica_version(w->sync->core, i);
            row->sync_transfers = y->transfers;
            row->sync_bytes = y->bytes;
            row->sync_rejected = y->rejected;
            row->sync_lost = y->lost;
        }
    }
}

/* functions.csv: one row per function, in the scenario's order. */
/* Each function's measures columns (SIM_MEASURES_CSV_HEADER) take
 * FN_EXTRA_MAX bytes of extra. */
#define FN_EXTRA_MAX 512
static void function_rows(const sim_world *w, const ka_reports *ka, sim_function_row *rows,
                          char *extra)
{
    for (size_t f = 0; f < w->sc->nfunctions; f++) {
        const sim_function_spec *fs = &w->sc->functions[f];
        const edge_metric_counts *c = &w->metrics.per_function[f];
        const wka_counts *pw = wka_function_counts(w, f);
        sim_measure_summary fm;
        sim_measures_function(w->ms, f, &fm);
        char *more = extra + f * FN_EXTRA_MAX;
        sim_measures_csv_columns(more, FN_EXTRA_MAX, &fm);
        rows[f] = (sim_function_row){
            .id = fs->id,
            .app = fs->app ? fs->app : "",
            .memory_mb = fs->memory_mb,
            .arrivals = edge_metric_total(c) + fm.in_flight_at_end,
            .ok = edge_metric_ok(c),
            .failed = edge_metric_failed(c),
            .rejected = edge_metric_rejected(c),
            .cold_starts = c->cold_starts,
            .cold_start_rate = edge_metric_cold_rate(c),
            .latency = &c->latency,
            .cold_start_pct = ka->fn[f].cold_start_pct,
            .wasted_mb_s = ka->fn[f].wasted_mb_s,
            .prewarms = pw->done,
            .prewarms_used = pw->used,
            .prewarms_cancelled = pw->cancelled,
            .extra = more,
        };
    }
}

/* latency.csv: the run's histogram ("all"), then each function's. */
static void latency_scopes(const sim_world *w, sim_latency_scope *scopes)
{
    scopes[0] = (sim_latency_scope){"all", &w->metrics.total.latency};
    for (size_t f = 0; f < w->sc->nfunctions; f++)
        scopes[f + 1] = (sim_latency_scope){w->sc->functions[f].id,
                                            &w->metrics.per_function[f].latency};
}

int wsummary_finish(sim_world *w, const sim_run_stats *stats, char *err, size_t errlen)
{
    size_t nn = w->nnodes, nf = w->sc->nfunctions;
    ka_reports ka = {0};
    sim_node_row *nodes = calloc(nn ? nn : 1, sizeof *nodes);
    sim_function_row *fns = calloc(nf ? nf : 1, sizeof *fns);
    sim_latency_scope *scopes = calloc(nf + 1, sizeof *scopes);
    char *extra = malloc((nf ? nf : 1) * FN_EXTRA_MAX);
    cJSON *sum = NULL;
    int rc = -1;
    if (!nodes || !fns || !scopes || !extra || keepalive_reports(&ka, w) != 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    node_rows(w, nodes);
    function_rows(w, &ka, fns, extra);
    latency_scopes(w, scopes);
    if (!(sum = summary_json(w, &ka))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    sim_report_summary s = {nodes, nn, fns, nf, scopes, nf + 1, sum, SIM_MEASURES_CSV_HEADER};
    rc = sim_report_finish(w->report, &s, stats, err, errlen);
done:
    cJSON_Delete(sum);
    free(ka.fn);
    free(scopes);
    free(extra);
    free(fns);
    free(nodes);
    return rc;
}
