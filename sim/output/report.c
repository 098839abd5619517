#include "output/report.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "histogram.h"
#include "keepalive.h"
#include "input/machine_events.h"
#include "output/outfile.h"
#include "synchronizer.h"
#include "model/autoscaler.h"
#include "model/workflow.h"
#include "model/world_internal.h"

#define SIM_REPORT_LINE_MAX 512 /* a node_series row: an id of <= 128 characters and numbers */

enum { F_TIMESERIES, F_NODE_SERIES, F_HEALTH, F_PLACEMENTS, F_FAULTS, F_INVOCATIONS, F_COUNT };

static const char *const file_names[F_COUNT] = {"timeseries.csv", "node_series.csv", "health.csv",
                                                "placements.csv", "faults.csv",
                                                "invocations.csv"};

static const char *const headers[F_COUNT] = {
    "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
    "latency_p95_s,latency_p99_s,in_flight,busy_slots,queued,healthy_nodes,offline_nodes,"
    "fingerprint\n",
    "t_end_s,node,status,in_flight,busy_slots,queued,warm_instances,memory_used_mb\n",
    "time_s,node,from,to,reason\n",
    "time_s,function,node,strategy,result\n",
    "start_s,end_s,kind,target\n",
    "id,function,region,node,arrival_s,start_s,end_s,latency_s,cold,outcome,attempts\n",
};

struct sim_report {
    const sim_scenario *sc;
    char *dir;
    sim_outfile out[F_COUNT];
    int open[F_COUNT];
    /* the current sample interval */
    edge_time interval_start;
    uint64_t arrivals, completions, failures, rejections, cold;
    edge_histogram latency;
    uint64_t fp; /* fingerprint */
    /* filled by sim_report_finish: the keep-alive axes per function and overall */
    edge_keepalive_report *ka_fn, ka_total;
};

/* Times as exact decimals of nanoseconds: "12.000500000". */
static void fmt_time(char *buf, size_t n, edge_time t)
{
    const char *sign = t < 0 ? "-" : "";
    uint64_t m = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    snprintf(buf, n, "%s%" PRIu64 ".%09" PRIu64, sign, m / 1000000000u, m % 1000000000u);
}

/* Hand-rolled number formatting for the per-node series, which writes a row
 * per node and sample (a million rows at 10,000 nodes): printf's generic
 * machinery cost more than the rest of a sample. Same text as the printf
 * formats it replaces ("%" PRIu64, fmt_time, "%.3f"). */
static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_time(char *p, edge_time t)
{
    uint64_t m = t < 0 ? (*p++ = '-', (uint64_t)0 - (uint64_t)t) : (uint64_t)t;
    p = put_u64(p, m / 1000000000u);
    *p++ = '.';
    uint64_t frac = m % 1000000000u;
    for (uint64_t d = 100000000u; d; d /= 10)
        *p++ = (char)('0' + frac / d % 10);
    return p;
}

static char *put_fixed3(char *p, double v)
{
    if (!(v >= 0 && v < 1e15)) { /* outside the fast path: the printf text */
        return p + sprintf(p, "%.3f", v);
    }
    uint64_t milli = (uint64_t)llround(v * 1000.0);
    p = put_u64(p, milli / 1000);
    *p++ = '.';
    *p++ = (char)('0' + milli / 100 % 10);
    *p++ = (char)('0' + milli / 10 % 10);
    *p++ = (char)('0' + milli % 10);
    return p;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* A 64-bit mixer (splitmix64's finalizer): the fingerprint folds each record
 * in with it, so order and content both matter. */
static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

sim_report *sim_report_open(const sim_scenario *sc, const char *outdir, int invocations,
                            char *err, size_t errlen)
{
    sim_report *r = calloc(1, sizeof *r);
    if (!r || !(r->dir = strdup(outdir))) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->sc = sc;
    r->fp = 0x6564676573696dULL; /* "edgesim" */
    if (sim_mkdirs(outdir) != 0) {
        snprintf(err, errlen, "%s: cannot create the output directory: %s", outdir,
                 strerror(errno));
        goto fail;
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (f == F_INVOCATIONS && !invocations)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", outdir, file_names[f]);
        if (sim_outfile_open(&r->out[f], path) != 0) {
            snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
            goto fail;
        }
        r->open[f] = 1;
        fputs(headers[f], r->out[f].fp);
    }
    return r;
fail:
    sim_report_close(r);
    return NULL;
}

void sim_report_close(sim_report *r)
{
    if (!r)
        return;
    for (int f = 0; f < F_COUNT; f++)
        if (r->open[f])
            sim_outfile_abort(&r->out[f]);
    edge_histogram_clear(&r->latency);
    free(r->ka_fn);
    free(r->dir);
    free(r);
}

static int ok(sim_report *r, int f)
{
    return ferror(r->out[f].fp) ? -1 : 0;
}

static const char *node_id(const sim_report *r, uint32_t node)
{
    return node < r->sc->nnodes ? r->sc->nodes[node].id : "";
}

int sim_report_health(sim_report *r, const sim_health_row *row)
{
    char t[32];
    fmt_time(t, sizeof t, row->time);
    fprintf(r->out[F_HEALTH].fp, "%s,%s,%s,%s,%s\n", t, node_id(r, row->node),
            edge_node_status_name(row->from), edge_node_status_name(row->to), row->reason);
    r->fp = mix(mix(mix(r->fp, (uint64_t)row->time), 3), ((uint64_t)row->node << 8) | row->to);
    return ok(r, F_HEALTH);
}

int sim_report_placement(sim_report *r, const sim_placement_row *row)
{
    char t[32];
    fmt_time(t, sizeof t, row->time);
    fprintf(r->out[F_PLACEMENTS].fp, "%s,%s,%s,%s,%s\n", t, r->sc->functions[row->function].id,
            node_id(r, row->node), row->strategy,
            row->result == EDGE_OK ? "ok" : edge_errname(row->result));
    r->fp = mix(mix(r->fp, 4), ((uint64_t)row->function << 32) | row->node);
    return ok(r, F_PLACEMENTS);
}

int sim_report_invocation(sim_report *r, const sim_invocation_row *row)
{
    char a[32], s[32], e[32], l[32];
    fmt_time(a, sizeof a, row->arrival);
    fmt_time(s, sizeof s, row->start);
    fmt_time(e, sizeof e, row->end);
    fmt_time(l, sizeof l, row->latency);
    int started = !edge_reason_is_rejection(row->outcome);
    fprintf(r->out[F_INVOCATIONS].fp, "%" PRIu64 ",%s,%s,%s,%s,%s,%s,%s,%d,%s,%u\n", row->id,
            r->sc->functions[row->function].id, r->sc->regions[row->region].name,
            node_id(r, row->node), a, started ? s : "", e,
            row->outcome == EDGE_REASON_OK ? l : "", started && row->cold,
            edge_reason_name(row->outcome), row->attempts);
    return ok(r, F_INVOCATIONS);
}

int sim_report_window(sim_report *r, edge_time start, edge_time end, const char *kind,
                      const char *target)
{
    char a[32], b[32];
    fmt_time(a, sizeof a, start);
    fmt_time(b, sizeof b, end);
    fprintf(r->out[F_FAULTS].fp, "%s,%s,%s,%s\n", a, b, kind, target ? target : "");
    return ok(r, F_FAULTS);
}

void sim_report_arrival(sim_report *r, size_t function)
{
    (void)function;
    r->arrivals++;
}

void sim_report_outcome(sim_report *r, size_t function, edge_reason reason, edge_time latency,
                        int cold, edge_time now)
{
    if (reason == EDGE_REASON_OK) {
        r->completions++;
        edge_histogram_record(&r->latency, latency);
    } else if (edge_reason_is_rejection(reason)) {
        r->rejections++;
    } else {
        r->failures++;
    }
    if (cold && !edge_reason_is_rejection(reason))
        r->cold++;
    r->fp = mix(mix(mix(r->fp, (uint64_t)now), 1), ((uint64_t)function << 8) | (uint64_t)reason);
}

void sim_report_decision(sim_report *r, size_t function, size_t node)
{
    r->fp = mix(mix(r->fp, 2), ((uint64_t)function << 32) ^ (uint64_t)node);
}

void sim_report_fault(sim_report *r, size_t fault, int begin, edge_time now)
{
    r->fp = mix(mix(mix(r->fp, (uint64_t)now), 5), ((uint64_t)fault << 1) | (uint64_t)begin);
}

void sim_report_fingerprint(const sim_report *r, char *buf)
{
    snprintf(buf, 17, "%016" PRIx64, r->fp);
}

static void fmt_seconds_of(char *buf, size_t n, const edge_histogram *h, double q, int have)
{
    if (!have || h->count == 0) {
        buf[0] = '\0';
        return;
    }
    fmt_time(buf, n, edge_histogram_quantile(h, q));
}

int sim_report_sample(sim_report *r, const sim_sample *s)
{
    char t0[32], t1[32], p50[32], p95[32], p99[32];
    fmt_time(t0, sizeof t0, r->interval_start);
    fmt_time(t1, sizeof t1, s->t_end);
    fmt_seconds_of(p50, sizeof p50, &r->latency, 0.50, 1);
    fmt_seconds_of(p95, sizeof p95, &r->latency, 0.95, 1);
    fmt_seconds_of(p99, sizeof p99, &r->latency, 0.99, 1);
    fprintf(r->out[F_TIMESERIES].fp,
            "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s,%s,%s,%" PRIu64
            ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%016" PRIx64 "\n",
            t0, t1, r->arrivals, r->completions, r->failures, r->rejections, r->cold, p50, p95,
            p99, s->in_flight, s->busy, s->queued, s->healthy, s->offline, r->fp);
    r->interval_start = s->t_end;
    r->arrivals = r->completions = r->failures = r->rejections = r->cold = 0;
    edge_histogram_clear(&r->latency);
    return ok(r, F_TIMESERIES);
}

int sim_report_node_sample(sim_report *r, const sim_node_sample *s)
{
    char line[SIM_REPORT_LINE_MAX], *p = line;
    const char *id = node_id(r, s->node);
    if (strlen(id) > 256)
        return -1; /* ids are at most 128 characters: never happens */
    p = put_time(p, s->t_end);
    *p++ = ',';
    p = put_str(p, id);
    *p++ = ',';
    p = put_str(p, edge_node_status_name(s->status));
    *p++ = ',';
    p = put_u64(p, s->in_flight);
    *p++ = ',';
    p = put_u64(p, s->busy);
    *p++ = ',';
    p = put_u64(p, s->queued);
    *p++ = ',';
    p = put_u64(p, s->warm);
    *p++ = ',';
    p = put_fixed3(p, s->memory_used_mb);
    *p++ = '\n';
    fwrite(line, 1, (size_t)(p - line), r->out[F_NODE_SERIES].fp);
    return ok(r, F_NODE_SERIES);
}

/* ---- summaries ---- */

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
static cJSON *keepalive_obj(const sim_report *r, const sim_world *w)
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
    cJSON_AddNumberToObject(o, "starts", (double)r->ka_total.starts);
    cJSON_AddNumberToObject(o, "cold_starts", (double)r->ka_total.cold_starts);
    cJSON_AddNumberToObject(o, "cold_start_pct", r->ka_total.cold_start_pct);
    cJSON_AddNumberToObject(o, "wasted_mb_s", r->ka_total.wasted_mb_s);
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
    cJSON *per = cJSON_CreateObject();
    for (size_t i = 0; i < w->nnodes; i++) {
        const wsync_node *y = &ws->node[i];
        int64_t vb = p->version - edge_synchronizer_replica_version(ws->core, i);
        cJSON *n = cJSON_AddObjectToObject(per, w->sc->nodes[i].id);
        cJSON_AddNumberToObject(n, "lag_s", secs(y->lag_total));
        cJSON_AddNumberToObject(n, "lag_max_s", secs(y->lag_max));
        cJSON_AddNumberToObject(n, "versions_behind", (double)vb);
        cJSON_AddNumberToObject(n, "transfers", (double)y->transfers);
        cJSON_AddNumberToObject(n, "bytes", (double)y->bytes);
        cJSON_AddNumberToObject(n, "rejected", (double)y->rejected);
        cJSON_AddNumberToObject(n, "lost", (double)y->lost);
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
    cJSON_AddItemToObject(o, "nodes", per);
}

static cJSON *summary_json(const sim_report *r, const sim_world *w)
{
    const sim_scenario *sc = w->sc;
    const edge_metrics *m = &w->metrics;
    const edge_metric_counts *t = &m->total;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", sc->name);
    cJSON_AddNumberToObject(root, "seed", (double)sc->seed);
    cJSON_AddStringToObject(root, "version", EDGESIM_VERSION);
    cJSON_AddStringToObject(root, "scheduler", sc->policies.scheduler);
    cJSON_AddNumberToObject(root, "duration_s", secs(sc->duration));
    char fp[17];
    sim_report_fingerprint(r, fp);
    cJSON_AddStringToObject(root, "fingerprint", fp);

    uint64_t ok_n = edge_metric_ok(t), failed = edge_metric_failed(t),
             rejected = edge_metric_rejected(t), finished = edge_metric_total(t);
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(tot, "arrivals", (double)w->arrivals);
    cJSON_AddNumberToObject(tot, "ok", (double)ok_n);
    cJSON_AddNumberToObject(tot, "failed", (double)failed);
    cJSON_AddNumberToObject(tot, "rejected", (double)rejected);
    cJSON_AddNumberToObject(tot, "in_flight_at_end", (double)w->in_system);
    cJSON_AddNumberToObject(tot, "started", (double)t->started);
    cJSON_AddNumberToObject(tot, "cold_starts", (double)t->cold_starts);
    cJSON_AddNumberToObject(tot, "retried", (double)w->retried);

    cJSON *rates = cJSON_AddObjectToObject(root, "rates");
    cJSON_AddNumberToObject(rates, "throughput_per_s",
                            sc->duration ? (double)ok_n / secs(sc->duration) : 0.0);
    cJSON_AddNumberToObject(rates, "cold_start_rate", edge_metric_cold_rate(t));
    cJSON_AddNumberToObject(rates, "success_rate", ratio(ok_n, finished));
    cJSON_AddNumberToObject(rates, "failure_rate", ratio(failed, finished));
    cJSON_AddNumberToObject(rates, "rejection_rate", ratio(rejected, finished));

    cJSON_AddItemToObject(root, "latency_s", latency_obj(&t->latency));
    cJSON *oc = cJSON_AddObjectToObject(root, "outcomes");
    for (int k = 0; k < EDGE_REASON_COUNT; k++)
        cJSON_AddNumberToObject(oc, edge_reason_name((edge_reason)k), (double)t->by_reason[k]);

    cJSON *fns = cJSON_AddObjectToObject(root, "functions");
    for (size_t f = 0; f < sc->nfunctions; f++) {
        const edge_metric_counts *c = &m->per_function[f];
        cJSON *o = cJSON_AddObjectToObject(fns, sc->functions[f].id);
        if (sc->functions[f].app)
            cJSON_AddStringToObject(o, "app", sc->functions[f].app);
        cJSON_AddNumberToObject(o, "arrivals", (double)edge_metric_total(c));
        cJSON_AddNumberToObject(o, "ok", (double)edge_metric_ok(c));
        cJSON_AddNumberToObject(o, "failed", (double)edge_metric_failed(c));
        cJSON_AddNumberToObject(o, "rejected", (double)edge_metric_rejected(c));
        cJSON_AddNumberToObject(o, "cold_starts", (double)c->cold_starts);
        cJSON_AddNumberToObject(o, "cold_start_rate", edge_metric_cold_rate(c));
        cJSON_AddItemToObject(o, "latency_s", latency_obj(&c->latency));
        const wka_counts *pw = wka_function_counts(w, f);
        cJSON_AddNumberToObject(o, "cold_start_pct", r->ka_fn[f].cold_start_pct);
        cJSON_AddNumberToObject(o, "wasted_mb_s", r->ka_fn[f].wasted_mb_s);
        cJSON_AddNumberToObject(o, "prewarms", (double)pw->done);
        cJSON_AddNumberToObject(o, "prewarms_used", (double)pw->used);
        cJSON_AddNumberToObject(o, "prewarms_cancelled", (double)pw->cancelled);
    }
    cJSON_AddItemToObject(root, "keepalive", keepalive_obj(r, w));

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
    cJSON *nodes = cJSON_AddObjectToObject(root, "nodes");
    for (size_t i = 0; i < w->nnodes; i++) {
        const wnode *n = &w->nodes[i];
        const edge_metric_counts *c = &m->per_node[i];
        cJSON *o = cJSON_AddObjectToObject(nodes, sc->nodes[i].id);
        cJSON_AddStringToObject(o, "region", sc->regions[sc->nodes[i].region].name);
        cJSON_AddNumberToObject(o, "deployments", (double)n->deployments);
        cJSON_AddNumberToObject(o, "invocations", (double)c->started);
        cJSON_AddNumberToObject(o, "ok", (double)edge_metric_ok(c));
        cJSON_AddNumberToObject(o, "failed", (double)edge_metric_failed(c));
        cJSON_AddNumberToObject(o, "cold_starts", (double)c->cold_starts);
        cJSON_AddNumberToObject(o, "crashes", (double)n->crashes);
        cJSON_AddItemToObject(o, "latency_s", latency_obj(&c->latency));
        cJSON *ts = cJSON_AddObjectToObject(o, "time_in_status_s");
        for (int s = 0; s < 5; s++)
            cJSON_AddNumberToObject(ts, edge_node_status_name((edge_node_status)s),
                                    secs(n->time_in_status[s]));
        double avail = sc->duration ? (double)n->up_time / (double)sc->duration : 0.0;
        cJSON_AddNumberToObject(o, "availability", avail);
        /* Linear power model: idle watts while up, plus the busy share of
         * (busy - idle) watts; nothing while crashed. */
        const sim_node_spec *ns = &sc->nodes[i];
        double joules = ns->idle_watts * secs(n->up_time) +
                        (ns->busy_watts - ns->idle_watts) * n->busy_integral / 1e9 /
                            (ns->cores ? ns->cores : 1);
        cJSON_AddNumberToObject(o, "energy_j", joules);
        if (w->cache_on) /* 10,000 nodes x 10 numbers: only when there is a cache */
            cJSON_AddItemToObject(o, "cache", cache_obj(&w->cnodes[i]));
        energy += joules;
        avail_sum += avail;
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

    cJSON *en = cJSON_AddObjectToObject(root, "energy");
    cJSON_AddNumberToObject(en, "total_j", energy);
    cJSON_AddNumberToObject(en, "per_ok_invocation_j", ok_n ? energy / (double)ok_n : 0.0);
    cJSON_AddNumberToObject(en, "mean_power_w", sc->duration ? energy / secs(sc->duration) : 0.0);

    cJSON *pl = cJSON_AddObjectToObject(root, "placement");
    cJSON_AddNumberToObject(pl, "deployments", (double)w->deployments);
    cJSON *dpn = cJSON_AddObjectToObject(pl, "deployments_per_node");
    cJSON_AddNumberToObject(dpn, "min", nreg ? (double)dmin : 0.0);
    cJSON_AddNumberToObject(dpn, "mean", nreg ? (double)w->deployments / (double)nreg : 0.0);
    cJSON_AddNumberToObject(dpn, "max", (double)dmax);

    /* Little's law: L (time average in system) against lambda * W. */
    double T = secs(sc->duration);
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

static int write_json(const char *dir, const char *name, cJSON *o, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = cJSON_Print(o);
    if (!text) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    size_t n = strlen(text);
    char *withnl = malloc(n + 2);
    int rc = -1;
    if (withnl) {
        memcpy(withnl, text, n);
        withnl[n] = '\n';
        withnl[n + 1] = '\0';
        rc = sim_write_file_atomic(path, withnl);
    }
    if (rc != 0)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    free(withnl);
    cJSON_free(text);
    return rc;
}

/* Writes DIR/name atomically: the header, then rows(fp, w). */
static int write_csv(const sim_report *r, const sim_world *w, const char *name,
                     const char *header, void (*rows)(FILE *, const sim_world *), char *err,
                     size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    sim_outfile o;
    if (sim_outfile_open(&o, path) == 0) {
        fputs(header, o.fp);
        rows(o.fp, w);
        if (sim_outfile_commit(&o) == 0)
            return 0;
    }
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
}

static void node_rows(FILE *fp, const sim_world *w)
{
    for (size_t i = 0; i < w->nnodes; i++) {
        const sim_node_spec *s = &w->sc->nodes[i];
        const wnode *n = &w->nodes[i];
        const edge_metric_counts *c = &w->metrics.per_node[i];
        char p50[32], p99[32], st[5][32];
        fmt_seconds_of(p50, sizeof p50, &c->latency, 0.5, 1);
        fmt_seconds_of(p99, sizeof p99, &c->latency, 0.99, 1);
        for (int k = 0; k < 5; k++)
            fmt_time(st[k], sizeof st[k], n->time_in_status[k]);
        static const wcache_node none;
        const wcache_node *cn = w->cnodes ? &w->cnodes[i] : &none;
        char pt[32], pm[32];
        fmt_time(pt, sizeof pt, cn->pull_time);
        fmt_time(pm, sizeof pm,
                 cn->pulls ? (edge_time)llround((double)cn->pull_time / (double)cn->pulls) : 0);
        fprintf(fp,
                "%s,%s,%u,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                ",%s,%s,%s,%s,%s,%s,%s,%u,%.6f,%" PRIu64 ",%.3f,%s,%s",
                s->id, w->sc->regions[s->region].name, s->cores, s->memory_mb, n->deployments,
                c->started, edge_metric_ok(c), edge_metric_failed(c), c->cold_starts, p50, p99,
                st[EDGE_NODE_ONLINE], st[EDGE_NODE_OFFLINE], st[EDGE_NODE_DEGRADED],
                st[EDGE_NODE_SYNCING], st[EDGE_NODE_MAINTENANCE], n->crashes, cache_hit_ratio(cn),
                cn->pulls, cn->pulled_mb, pt, pm);
        if (w->sync) {
            const wsync_node *y = &w->sync->node[i];
            char lag[32], lmax[32];
            fmt_time(lag, sizeof lag, y->lag_total);
            fmt_time(lmax, sizeof lmax, y->lag_max);
            int64_t vb = edge_synchronizer_primary(w->sync->core)->version -
                         edge_synchronizer_replica_version(w->sync->core, i);
            fprintf(fp, ",%s,%s,%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", lag, lmax, vb,
                    y->transfers, y->bytes, y->rejected);
        } else {
            fputs(",,,,,,\n", fp);
        }
    }
}

static void function_rows(FILE *fp, const sim_world *w)
{
    for (size_t f = 0; f < w->sc->nfunctions; f++) {
        const edge_metric_counts *c = &w->metrics.per_function[f];
        char mean[32], p50[32], p99[32], mx[32];
        fmt_seconds_of(p50, sizeof p50, &c->latency, 0.5, 1);
        fmt_seconds_of(p99, sizeof p99, &c->latency, 0.99, 1);
        fmt_seconds_of(mx, sizeof mx, &c->latency, 1.0, 1);
        if (c->latency.count)
            fmt_time(mean, sizeof mean, (edge_time)llround(edge_histogram_mean(&c->latency)));
        else
            mean[0] = '\0';
        const edge_keepalive_report *ka = &w->report->ka_fn[f];
        const wka_counts *pw = wka_function_counts(w, f);
        fprintf(fp, "%s,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                      ",%.6f,%s,%s,%s,%s,%.3f,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s\n",
                w->sc->functions[f].id, w->sc->functions[f].memory_mb, edge_metric_total(c),
                edge_metric_ok(c), edge_metric_failed(c), edge_metric_rejected(c), c->cold_starts,
                edge_metric_cold_rate(c), mean, p50, p99, mx, ka->cold_start_pct,
                ka->wasted_mb_s, pw->done, pw->used, pw->cancelled,
                w->sc->functions[f].app ? w->sc->functions[f].app : "");
    }
}

static void latency_rows(FILE *f, const char *scope, const edge_histogram *h)
{
    uint64_t seen = 0;
    for (int32_t i = h->lo; h->counts && i < h->hi; i++) {
        uint64_t c = h->counts[i - h->lo];
        if (!c)
            continue;
        seen += c;
        int64_t lo, hi;
        edge_histogram_bucket_range(i, &lo, &hi);
        char a[32], b[32];
        fmt_time(a, sizeof a, lo);
        fmt_time(b, sizeof b, hi);
        fprintf(f, "%s,%s,%s,%" PRIu64 ",%.9f\n", scope, a, b, c, (double)seen / (double)h->count);
    }
}

static void all_latency_rows(FILE *fp, const sim_world *w)
{
    latency_rows(fp, "all", &w->metrics.total.latency);
    for (size_t f = 0; f < w->sc->nfunctions; f++)
        latency_rows(fp, w->sc->functions[f].id, &w->metrics.per_function[f].latency);
}

/* Sums the runtimes' counters per function and overall, once at the end:
 * O(nodes + deployments) look-ups, nothing per invocation (each runtime
 * integrates its idle memory as it goes). */
static int keepalive_reports(sim_report *r, const sim_world *w)
{
    size_t nf = w->sc->nfunctions;
    r->ka_fn = calloc(nf ? nf : 1, sizeof *r->ka_fn);
    if (!r->ka_fn)
        return -1;
    for (size_t i = 0; i < w->nnodes; i++) {
        const edge_runtime *rt = wcore_runtime(w, i);
        if (!rt)
            continue;
        edge_runtime_stats st = edge_runtime_stats_total(rt);
        edge_keepalive_report one = edge_keepalive_report_of(&st);
        edge_keepalive_report_add(&r->ka_total, &one);
    }
    const wcore_pair *p;
    size_t np = wcore_deployed_pairs(w, &p);
    for (size_t k = 0; k < np; k++) {
        edge_runtime_stats st;
        if (edge_runtime_function_stats(wcore_runtime(w, p[k].node), p[k].fn, &st) == EDGE_OK) {
            edge_keepalive_report one = edge_keepalive_report_of(&st);
            edge_keepalive_report_add(&r->ka_fn[p[k].fn], &one);
        }
    }
    return 0;
}

int sim_report_finish(sim_report *r, const sim_world *w, const sim_run_stats *stats, char *err,
                      size_t errlen)
{
    if (keepalive_reports(r, w) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (!r->open[f])
            continue;
        r->open[f] = 0;
        if (sim_outfile_commit(&r->out[f]) != 0) {
            snprintf(err, errlen, "%s/%s: cannot write: %s", r->dir, file_names[f],
                     strerror(errno));
            return -1;
        }
    }
    if (write_csv(r, w, "nodes.csv",
                  "node,region,cores,memory_mb,deployments,invocations,ok,failed,cold_starts,"
                  "latency_p50_s,latency_p99_s,online_s,offline_s,degraded_s,syncing_s,"
                  "maintenance_s,crashes,cache_hit_ratio,cache_pulls,cache_pulled_mb,"
                  "cache_pull_time_s,cache_pull_time_mean_s,sync_lag_s,sync_lag_max_s,"
                  "sync_versions_behind,sync_transfers,sync_bytes,sync_rejected\n",
                  node_rows, err, errlen) != 0 ||
        write_csv(r, w, "functions.csv",
                  "function,memory_mb,arrivals,ok,failed,rejected,cold_starts,cold_start_rate,"
                  "latency_mean_s,latency_p50_s,latency_p99_s,latency_max_s,cold_start_pct,"
                  "wasted_mb_s,prewarms,prewarms_used,prewarms_cancelled,app\n",
                  function_rows, err, errlen) != 0 ||
        write_csv(r, w, "latency.csv", "scope,bucket_lo_s,bucket_hi_s,count,cdf\n",
                  all_latency_rows, err, errlen) != 0)
        return -1;
    cJSON *sum = summary_json(r, w);
    int rc = sum ? write_json(r->dir, "summary.json", sum, err, errlen) : -1;
    cJSON_Delete(sum);
    if (rc != 0)
        return -1;
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "wall_seconds", stats->wall_seconds);
    cJSON_AddNumberToObject(run, "events", (double)stats->events);
    cJSON_AddNumberToObject(run, "events_per_second",
                            stats->wall_seconds > 0 ? (double)stats->events / stats->wall_seconds
                                                    : 0.0);
    cJSON_AddNumberToObject(run, "invocations", (double)stats->invocations);
    cJSON_AddNumberToObject(run, "invocations_per_second",
                            stats->wall_seconds > 0
                                ? (double)stats->invocations / stats->wall_seconds
                                : 0.0);
    cJSON_AddNumberToObject(run, "peak_rss_kb", (double)stats->peak_rss_kb);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    cJSON_AddStringToObject(run, "host", host);
    rc = write_json(r->dir, "run.json", run, err, errlen);
    cJSON_Delete(run);
    return rc;
}
