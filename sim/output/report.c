#include "output/report.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "histogram.h"
#include "common/hugepages.h"
#include "common/stopwatch.h"
#include "output/csvw.h"
#include "output/jsonw.h"
#include "output/outfile.h"

#define SIM_REPORT_LINE_MAX 1024 /* a node_series row: an id of <= 256 characters and numbers */

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
    "time_s,function,node,strategy,result,invocations\n",
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
    /* placements rows, written at the end with their deployment's invocations */
    sim_placement_row *prow;
    uint64_t *pcount;            /* UINT64_MAX: not known */
    size_t nprow, prow_cap;
    /* (function, node) -> 1 + its latest ok row: open addressing, at most half full */
    uint64_t *pkey;
    size_t *pval, pcap;
    /* the per-node series' time cell, formatted once per sample (every node's
     * row of a sample has the same): its text for the time ns_time */
    edge_time ns_time;
    char ns_text[SIM__CSVW_NUMBER_MAX];
    size_t ns_len;
};

/* Times as exact decimals of nanoseconds: "12.000500000". */
static void fmt_time(char *buf, size_t n, edge_time t)
{
    const char *sign = t < 0 ? "-" : "";
    uint64_t m = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    snprintf(buf, n, "%s%" PRIu64 ".%09" PRIu64, sign, m / 1000000000u, m % 1000000000u);
}

/* The per-node series writes a row per node and sample (a million rows at
 * 10,000 nodes): rows are built with csvw.h's formatters and written once,
 * not through printf (same text as "%" PRIu64, fmt_time and "%.3f"). */
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
    free(r->prow);
    free(r->pcount);
    free(r->pkey);
    free(r->pval);
    free(r->dir);
    free(r);
}

static int ok(sim_report *r, int f)
{
    return ferror(r->out[f].fp) ? -1 : 0;
}

int sim_report_write_error(const sim_report *r, char *buf, size_t n)
{
    for (int f = 0; f < F_COUNT; f++) {
        if (!r->open[f])
            continue;
        int e = sim_outfile_error(&r->out[f]);
        if (!e && ferror(r->out[f].fp))
            e = EIO;
        if (e) {
            snprintf(buf, n, "%s/%s: cannot write: %s", r->dir, file_names[f], strerror(e));
            return 1;
        }
    }
    return 0;
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

/* The slot of key in the placements index (its own, or the empty one it
 * would take). pcap is a power of two, the table at most half full. */
static size_t pindex_slot(const sim_report *r, uint64_t key)
{
    size_t mask = r->pcap - 1, i = (size_t)mix(0, key) & mask;
    while (r->pval[i] && r->pkey[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* Makes the latest ok row of (function, node) row k. -1 when out of memory. */
static int pindex_put(sim_report *r, uint64_t key, size_t k)
{
    if (2 * (r->nprow + 1) > r->pcap) {
        size_t cap = r->pcap ? 2 * r->pcap : 128;
        uint64_t *keys = calloc(cap, sizeof *keys);
        size_t *vals = calloc(cap, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return -1;
        }
        uint64_t *ok = r->pkey;
        size_t *ov = r->pval, ocap = r->pcap;
        r->pkey = keys;
        r->pval = vals;
        r->pcap = cap;
        for (size_t i = 0; i < ocap; i++)
            if (ov[i]) {
                size_t j = pindex_slot(r, ok[i]);
                r->pkey[j] = ok[i];
                r->pval[j] = ov[i];
            }
        free(ok);
        free(ov);
    }
    size_t i = pindex_slot(r, key);
    r->pkey[i] = key;
    r->pval[i] = k + 1;
    return 0;
}

int sim_report_placement(sim_report *r, const sim_placement_row *row)
{
    uint64_t key = ((uint64_t)row->function << 32) | row->node;
    r->fp = mix(mix(r->fp, 4), key);
    if (row->result == EDGE_OK && pindex_put(r, key, r->nprow) != 0)
        return -1;
    if (r->nprow == r->prow_cap) {
        size_t cap = r->prow_cap ? 2 * r->prow_cap : 64;
        sim_placement_row *p = realloc(r->prow, cap * sizeof *p);
        if (p)
            r->prow = p;
        uint64_t *q = p ? realloc(r->pcount, cap * sizeof *q) : NULL;
        if (!q)
            return -1;
        r->pcount = q;
        r->prow_cap = cap;
    }
    r->prow[r->nprow] = *row;
    r->pcount[r->nprow++] = UINT64_MAX;
    return 0;
}

void sim_report_placement_count(sim_report *r, size_t function, size_t node, uint64_t count)
{
    if (!r->pcap)
        return;
    size_t i = pindex_slot(r, ((uint64_t)function << 32) | (uint32_t)node);
    if (r->pval[i] && r->pcount[r->pval[i] - 1] == UINT64_MAX)
        r->pcount[r->pval[i] - 1] = count;
}

static void placement_rows(sim_report *r)
{
    FILE *fp = r->out[F_PLACEMENTS].fp;
    for (size_t k = 0; k < r->nprow; k++) {
        const sim_placement_row *row = &r->prow[k];
        /* A row per deployment (100,000 at 1,000 nodes x 100 functions):
         * built with the put_ helpers and written once, not through printf
         * (3,100 instructions a row under callgrind). */
        const char *fn = r->sc->functions[row->function].id, *node = node_id(r, row->node);
        const char *res = row->result == EDGE_OK ? "ok" : edge_errname(row->result);
        char line[512];
        if (strlen(fn) + strlen(node) + strlen(row->strategy) + strlen(res) + 72 <= sizeof line) {
            char *p = sim__put_time(line, row->time);
            *p++ = ',';
            p = put_str(p, fn);
            *p++ = ',';
            p = put_str(p, node);
            *p++ = ',';
            p = put_str(p, row->strategy);
            *p++ = ',';
            p = put_str(p, res);
            *p++ = ',';
            if (r->pcount[k] != UINT64_MAX)
                p = sim_put_u64(p, r->pcount[k]);
            *p++ = '\n';
            fwrite(line, 1, (size_t)(p - line), fp);
        } else { /* ids too long for the line buffer */
            char t[32], n[24] = "";
            fmt_time(t, sizeof t, row->time);
            if (r->pcount[k] != UINT64_MAX)
                snprintf(n, sizeof n, "%" PRIu64, r->pcount[k]);
            fprintf(fp, "%s,%s,%s,%s,%s,%s\n", t, fn, node, row->strategy, res, n);
        }
    }
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
    if (r->ns_len == 0 || r->ns_time != s->t_end) {
        r->ns_len = (size_t)(sim__put_time(r->ns_text, s->t_end) - r->ns_text);
        r->ns_time = s->t_end;
    }
    memcpy(p, r->ns_text, r->ns_len);
    p += r->ns_len;
    *p++ = ',';
    p = put_str(p, id);
    *p++ = ',';
    p = put_str(p, edge_node_status_name(s->status));
    *p++ = ',';
    p = sim_put_u64(p, s->in_flight);
    *p++ = ',';
    p = sim_put_u64(p, s->busy);
    *p++ = ',';
    p = sim_put_u64(p, s->queued);
    *p++ = ',';
    p = sim_put_u64(p, s->warm);
    *p++ = ',';
    p = sim__put_fixed(p, s->memory_used_mb, 3);
    *p++ = '\n';
    fwrite(line, 1, (size_t)(p - line), r->out[F_NODE_SERIES].fp);
    return ok(r, F_NODE_SERIES);
}

/* ---- summaries ---- */

/* Writes DIR/name atomically: o as cJSON_Print formats it (jsonw.h) and a
 * newline, through one buffered writer. */
static int write_json(const char *dir, const char *name, const cJSON *o, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sim__csvw *w = malloc(sizeof *w);
    sim_outfile f;
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (sim_outfile_open(&f, path) != 0) {
        free(w);
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    w->fp = f.fp;
    w->len = 0;
    int bad = sim__jsonw_value(w, o);
    sim__csvw_char(w, '\n');
    sim__csvw_flush(w);
    free(w);
    if (bad) {
        sim_outfile_abort(&f);
        snprintf(err, errlen, "%s: a value JSON cannot hold", path);
        return -1;
    }
    if (sim_outfile_commit(&f) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes DIR/name atomically: the header, then rows(w, s) through one
 * buffered writer (csvw.h). */
static int write_csv(const sim_report *r, const sim_report_summary *s, const char *name,
                     const char *header, void (*rows)(sim__csvw *, const sim_report_summary *),
                     char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    sim__csvw *w = malloc(sizeof *w);
    sim_outfile o;
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (sim_outfile_open(&o, path) == 0) {
        w->fp = o.fp;
        w->len = 0;
        sim__csvw_str(w, header);
        rows(w, s);
        sim__csvw_flush(w);
        free(w);
        if (sim_outfile_commit(&o) == 0)
            return 0;
    } else {
        free(w);
    }
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
}

/* ",t" for each of the n quantiles in qt (or ",", empty, when h is empty). */
static void csv_quantiles(sim__csvw *w, const edge_histogram *h, const int64_t *qt, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        sim__csvw_char(w, ',');
        if (h->count)
            sim__csvw_time(w, qt[k]);
    }
}

/* ",mean" of h rounded to the nanosecond, empty when h is empty. */
static void csv_mean(sim__csvw *w, const edge_histogram *h)
{
    sim__csvw_char(w, ',');
    if (h->count)
        sim__csvw_time(w, (edge_time)llround(edge_histogram_mean(h)));
}

static void csv_u64(sim__csvw *w, uint64_t v)
{
    sim__csvw_char(w, ',');
    sim__csvw_u64(w, v);
}

static void csv_time(sim__csvw *w, edge_time t)
{
    sim__csvw_char(w, ',');
    sim__csvw_time(w, t);
}

static void csv_fixed(sim__csvw *w, double v, int decimals)
{
    sim__csvw_char(w, ',');
    sim__csvw_fixed(w, v, decimals);
}

static void csv_double(sim__csvw *w, double v)
{
    sim__csvw_char(w, ',');
    sim__csvw_double(w, v);
}

static void node_rows(sim__csvw *w, const sim_report_summary *sum)
{
    static const int status_order[5] = {EDGE_NODE_ONLINE, EDGE_NODE_OFFLINE, EDGE_NODE_DEGRADED,
                                        EDGE_NODE_SYNCING, EDGE_NODE_MAINTENANCE};
    for (size_t i = 0; i < sum->nnodes; i++) {
        const sim_node_row *n = &sum->nodes[i];
        sim__csvw_str(w, n->id);
        sim__csvw_char(w, ',');
        sim__csvw_str(w, n->region);
        csv_u64(w, n->cores);
        csv_fixed(w, n->memory_mb, 3);
        csv_u64(w, n->deployments);
        csv_u64(w, n->invocations);
        csv_u64(w, n->ok);
        csv_u64(w, n->failed);
        csv_u64(w, n->cold_starts);
        /* p50, p90, p95, p99, p999, max: one walk over the buckets */
        static const double qs[6] = {0.5, 0.90, 0.95, 0.99, 0.999, 1.0};
        int64_t qt[6];
        edge_histogram_quantiles(n->latency, qs, 6, qt);
        csv_quantiles(w, n->latency, &qt[0], 1); /* latency_p50_s */
        csv_quantiles(w, n->latency, &qt[3], 1); /* latency_p99_s */
        for (int k = 0; k < 5; k++)
            csv_time(w, n->time_in_status[status_order[k]]);
        csv_u64(w, n->crashes);
        csv_fixed(w, n->cache_hit_ratio, 6);
        csv_u64(w, n->cache_pulls);
        csv_fixed(w, n->cache_pulled_mb, 3);
        csv_time(w, n->cache_pull_time);
        csv_time(w, n->cache_pull_time_mean);
        if (n->has_sync) {
            csv_time(w, n->sync_lag);
            csv_time(w, n->sync_lag_max);
            sim__csvw_char(w, ',');
            sim__csvw_i64(w, n->sync_versions_behind);
            csv_u64(w, n->sync_transfers);
            csv_u64(w, n->sync_bytes);
            csv_u64(w, n->sync_rejected);
            csv_u64(w, n->sync_lost);
        } else {
            sim__csvw_str(w, ",,,,,,,");
        }
        csv_mean(w, n->latency);
        csv_quantiles(w, n->latency, &qt[1], 2); /* latency_p90_s, latency_p95_s */
        csv_quantiles(w, n->latency, &qt[4], 2); /* latency_p999_s, latency_max_s */
        csv_double(w, n->availability);
        csv_double(w, n->energy_j);
        csv_u64(w, n->cache_lookups);
        csv_u64(w, n->cache_hits);
        csv_u64(w, n->cache_shared_pulls);
        csv_time(w, n->cache_wait_time);
        csv_u64(w, n->cache_evictions);
        sim__csvw_char(w, '\n');
    }
}

static void function_rows(sim__csvw *w, const sim_report_summary *sum)
{
    for (size_t f = 0; f < sum->nfunctions; f++) {
        const sim_function_row *c = &sum->functions[f];
        sim__csvw_str(w, c->id);
        csv_fixed(w, c->memory_mb, 3);
        csv_u64(w, c->arrivals);
        csv_u64(w, c->ok);
        csv_u64(w, c->failed);
        csv_u64(w, c->rejected);
        csv_u64(w, c->cold_starts);
        csv_fixed(w, c->cold_start_rate, 6);
        csv_mean(w, c->latency);
        static const double qs[3] = {0.5, 0.99, 1.0};
        int64_t qt[3];
        edge_histogram_quantiles(c->latency, qs, 3, qt);
        csv_quantiles(w, c->latency, qt, 3); /* p50, p99, max */
        csv_fixed(w, c->cold_start_pct, 3);
        csv_fixed(w, c->wasted_mb_s, 3);
        csv_u64(w, c->prewarms);
        csv_u64(w, c->prewarms_used);
        csv_u64(w, c->prewarms_cancelled);
        sim__csvw_char(w, ',');
        sim__csvw_str(w, c->app);
        if (c->extra)
            sim__csvw_str(w, c->extra);
        sim__csvw_char(w, '\n');
    }
}

/* A row per non-empty bucket (latency.csv is most of a run's output at
 * 10,000 nodes): each built whole in the buffer. */
static void latency_rows(sim__csvw *w, const char *scope, const edge_histogram *h)
{
    size_t slen = strlen(scope);
    /* the scope, four numbers (two times, a count, a ratio) and 5 separators */
    size_t row = slen + 4 * SIM__CSVW_NUMBER_MAX + 5;
    uint64_t seen = 0;
    for (int32_t i = h->lo; h->counts && i < h->hi; i++) {
        uint64_t c = edge_histogram_bucket_count(h, i);
        if (!c)
            continue;
        seen += c;
        int64_t lo, hi;
        edge_histogram_bucket_range(i, &lo, &hi);
        if (row > SIM__CSVW_BUF) { /* a scope too long for the buffer: by cell */
            sim__csvw_str(w, scope);
            csv_time(w, lo);
            csv_time(w, hi);
            csv_u64(w, c);
            csv_fixed(w, (double)seen / (double)h->count, 9);
            sim__csvw_char(w, '\n');
            continue;
        }
        char *p = sim__csvw_room(w, row);
        memcpy(p, scope, slen);
        p += slen;
        *p++ = ',';
        p = sim__put_time(p, lo);
        *p++ = ',';
        p = sim__put_time(p, hi);
        *p++ = ',';
        p = sim_put_u64(p, c);
        *p++ = ',';
        p = sim__put_ratio(p, seen, h->count, 9);
        *p++ = '\n';
        sim__csvw_wrote(w, p);
    }
}

static void all_latency_rows(sim__csvw *w, const sim_report_summary *sum)
{
    for (size_t k = 0; k < sum->nlatency; k++)
        latency_rows(w, sum->latency[k].scope, sum->latency[k].latency);
}

int sim_report_finish(sim_report *r, const sim_report_summary *s, const sim_run_stats *stats,
                      char *err, size_t errlen)
{
    placement_rows(r);
    char fn_header[1024];
    snprintf(fn_header, sizeof fn_header,
             "function,memory_mb,arrivals,ok,failed,rejected,cold_starts,cold_start_rate,"
             "latency_mean_s,latency_p50_s,latency_p99_s,latency_max_s,cold_start_pct,"
             "wasted_mb_s,prewarms,prewarms_used,prewarms_cancelled,app%s\n",
             s->functions_header_extra ? s->functions_header_extra : "");
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
    if (write_csv(r, s, "nodes.csv",
                  "node,region,cores,memory_mb,deployments,invocations,ok,failed,cold_starts,"
                  "latency_p50_s,latency_p99_s,online_s,offline_s,degraded_s,syncing_s,"
                  "maintenance_s,crashes,cache_hit_ratio,cache_pulls,cache_pulled_mb,"
                  "cache_pull_time_s,cache_pull_time_mean_s,sync_lag_s,sync_lag_max_s,"
                  "sync_versions_behind,sync_transfers,sync_bytes,sync_rejected,sync_lost,"
                  "latency_mean_s,latency_p90_s,latency_p95_s,latency_p999_s,latency_max_s,"
                  "availability,energy_j,cache_lookups,cache_hits,cache_shared_pulls,"
                  "cache_wait_time_s,cache_evictions\n",
                  node_rows, err, errlen) != 0 ||
        write_csv(r, s, "functions.csv", fn_header, function_rows, err, errlen) != 0 ||
        write_csv(r, s, "latency.csv", "scope,bucket_lo_s,bucket_hi_s,count,cdf\n",
                  all_latency_rows, err, errlen) != 0)
        return -1;
    int rc = write_json(r->dir, "summary.json", s->summary, err, errlen);
    if (rc != 0)
        return -1;
    /* Everything but run.json is written: the outputs' time ends here. */
    double output_seconds = sim_wall_seconds() - stats->outputs_start;
    double cpu_seconds = sim_cpu_seconds();
    double loop = stats->loop_seconds, loop_cpu = stats->loop_cpu_seconds;
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "setup_seconds", stats->setup_seconds);
    cJSON_AddNumberToObject(run, "loop_seconds", loop);
    cJSON_AddNumberToObject(run, "output_seconds", output_seconds);
    cJSON_AddNumberToObject(run, "total_seconds", stats->setup_seconds + loop + output_seconds);
    cJSON_AddNumberToObject(run, "loop_cpu_seconds", loop_cpu);
    cJSON_AddNumberToObject(run, "cpu_seconds", cpu_seconds);
    cJSON_AddNumberToObject(run, "setup_cpu_seconds", stats->setup_cpu_seconds);
    cJSON_AddNumberToObject(run, "output_cpu_seconds", cpu_seconds - stats->outputs_cpu_start);
    cJSON_AddNumberToObject(run, "events", (double)stats->events);
    cJSON_AddNumberToObject(run, "events_per_second", loop > 0 ? (double)stats->events / loop : 0.0);
    cJSON_AddNumberToObject(run, "invocations", (double)stats->invocations);
    cJSON_AddNumberToObject(run, "invocations_per_second",
                            loop > 0 ? (double)stats->invocations / loop : 0.0);
    cJSON_AddNumberToObject(run, "invocations_per_cpu_second",
                            loop_cpu > 0 ? (double)stats->invocations / loop_cpu : 0.0);
    /* The peak of the whole process: the outputs' memory counts too. */
    struct rusage ru;
    long peak = stats->peak_rss_kb;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > peak)
        peak = ru.ru_maxrss;
    cJSON_AddNumberToObject(run, "peak_rss_kb", (double)peak);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    cJSON_AddStringToObject(run, "host", host);
    cJSON_AddStringToObject(run, "huge_pages", sim_hugepages_mode());
    rc = write_json(r->dir, "run.json", run, err, errlen);
    cJSON_Delete(run);
    return rc;
}

