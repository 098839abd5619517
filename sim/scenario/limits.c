/*
 * limits.c — the cost estimate of a scenario and the check against the
 * limits (limits.h; the formulas are documented in docs/scenario.md,
 * "Limits").
 *
 * Each estimate is a sum of parts; each part remembers the field that
 * drives it, and the largest part names the field in the error line. The
 * per-item constants are upper figures measured on the shipped scenarios
 * (events per invocation: 2 without a network, up to 10 with one; bytes per
 * node: a few KiB; peak RSS of scenarios/bench/routing.json, 1,000 nodes x
 * 100 functions deployed everywhere: 66 MB; scenarios/scale-1m.json, a
 * million nodes, 100,000 functions, a million deployments: 4.8 GiB against
 * an estimate of 7.4 GiB). Not every constant bounds its own item there: a
 * function with its summary objects and five workloads measured about 20 KB
 * against the 8 KiB below, which the in-flight part (3 GB for 6 million
 * invocations, of which a few thousand are in flight at once) more than
 * covers.
 */
#include "scenario/limits.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dist.h"
#include "scenario/netspec.h"

/* Events per invocation: arrival, start, completion, keep-alive expiry and
 * a timeout, with room to spare; with network links each transfer adds
 * events of its own (10 per invocation measured on scenarios/network). */
#define EV_PER_INVOCATION 4.0
#define EV_PER_INVOCATION_NET 16.0

/* Bytes, each an upper figure for what one item holds at run time. */
#define MEM_BASE (16.0 * 1024 * 1024)  /* the program, its buffers and outputs */
#define MEM_PER_NODE 3072.0            /* wnode, runtime, cluster, scheduler, histogram, row:
                                          1.7 KB measured at 80k vs 40k nodes (few
                                          samples each), plus a latency histogram */
#define MEM_PER_FUNCTION 8192.0        /* histograms, streams, measures, scheduler */
#define MEM_PER_DEPLOYMENT 512.0       /* deployment, scheduler member, placement row:
                                          about 400 B under massif at 100k deployments */
#define MEM_PER_QUEUE_SLOT 4.0         /* a node's queue is allocated at queue_limit */
#define MEM_PER_INFLIGHT 512.0         /* invocation record, its events, an instance */
#define MEM_PER_LINK 512.0

/* Bytes of output per row (upper figures of the CSV rows). */
#define OUT_TIMESERIES_ROW 256.0
#define OUT_NODE_SERIES_ROW 96.0       /* plus the node id */
#define OUT_WORKFLOW_ROW 256.0
#define OUT_INVOCATION_ROW 192.0
#define OUT_ENTITY_ROW 512.0           /* nodes.csv, functions.csv, placements.csv */

typedef struct acc {
    double total, top;
    char field[96];
    const char *what;
} acc;

/* Adds v to a; when v is the largest part so far, it names the field. */
static void add(acc *a, double v, const char *what, const char *fmt, ...)
{
    if (!(v > 0))
        return;
    a->total += v;
    if (v > a->top) {
        a->top = v;
        a->what = what;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(a->field, sizeof a->field, fmt, ap);
        va_end(ap);
    }
}

static double secs(edge_time t)
{
    return t > 0 ? (double)t / 1e9 : 0.0;
}

/* How many times a period fits into span (at least 1 ns). */
static double times_in(edge_time span, edge_time period)
{
    return span > 0 ? (double)span / (double)(period > 0 ? period : 1) : 0.0;
}

static edge_time wl_window(const sim_scenario *s, const sim_workload_spec *w)
{
    edge_time end = w->stop > 0 && w->stop < s->duration ? w->stop : s->duration;
    return end > w->start ? end - w->start : 0;
}

/* Arrivals of one workload without spikes (an upper figure for the random
 * ones: the mean, or the higher rate of a bursty process throughout). */
static double wl_arrivals(const sim_scenario *s, const sim_workload_spec *w)
{
    edge_time span = wl_window(s, w);
    switch (w->kind) {
    case SIM_ARRIVAL_POISSON:
        return w->rate * secs(span);
    case SIM_ARRIVAL_CONSTANT:
    case SIM_ARRIVAL_PERIODIC:
        return times_in(span, w->interval) + 1;
    case SIM_ARRIVAL_BURSTY:
        return fmax(w->on_rate, w->off_rate) * secs(span);
    case SIM_ARRIVAL_TIMES:
    case SIM_ARRIVAL_CSV:
        return (double)w->ntimes;
    case SIM_ARRIVAL_MINUTES:
        return (double)w->total * ceil(w->scale > 0 ? w->scale : 1);
    case SIM_ARRIVAL_CALLS:
        return (double)w->ncalls;
    }
    return 0;
}

/* Invocations per request: one, or every step of its workflow (with its
 * repeats; a branch takes one of its edges, so this is an upper figure). */
static double wl_stages(const sim_scenario *s, const sim_workload_spec *w)
{
    if (!w->workflow || w->workflow > s->nworkflows)
        return 1;
    const sim_workflow_spec *wf = &s->workflows[w->workflow - 1];
    double n = 0;
    for (size_t i = 0; i < wf->nsteps; i++)
        n += wf->steps[i].repeat ? wf->steps[i].repeat : 1;
    return n > 0 ? n : 1;
}

/* A spike's extra arrivals on w: (factor - 1) x rate x its window. */
static double spike_extra(const sim_scenario *s, const sim_fault_spec *f,
                          const sim_workload_spec *w, double arrivals)
{
    if (f->function != SIM_ALL && (w->function != f->function || w->workflow))
        return 0;
    if (!(f->factor > 1) || f->at >= s->duration)
        return 0;
    if (w->kind == SIM_ARRIVAL_TIMES || w->kind == SIM_ARRIVAL_CSV ||
        w->kind == SIM_ARRIVAL_MINUTES || w->kind == SIM_ARRIVAL_CALLS)
        return 0; /* a trace keeps its counts */
    edge_time span = wl_window(s, w);
    if (span <= 0)
        return 0;
    edge_time d = s->duration - f->at;
    if (f->duration > 0 && f->duration < d)
        d = f->duration;
    return (f->factor - 1) * arrivals * ((double)d / (double)span);
}

/* Nodes a deployment places the function on (an upper figure for "all"). */
static double deploy_count(const sim_scenario *s, const sim_deployment_spec *d)
{
    switch (d->kind) {
    case SIM_DEPLOY_ALL:
        return (double)s->nnodes;
    case SIM_DEPLOY_NODES:
        return (double)d->nnodes;
    default:
        return d->replicas ? (double)d->replicas : 1.0;
    }
}

void sim_limits_estimate(const sim_scenario *s, int invocations_csv, sim_estimate *out)
{
    acc ev = {0}, mem = {0}, outb = {0};
    const sim_policies *p = &s->policies;
    edge_time D = s->duration;
    double nn = (double)s->nnodes, nf = (double)s->nfunctions;
    int has_net = s->net && s->net->nlinks > 0;
    double per_inv = (has_net ? EV_PER_INVOCATION_NET : EV_PER_INVOCATION) * (1.0 + p->retries);

    /* ---- invocations: workloads, spikes, bursts ---- */
    double invocations = 0;
    for (size_t k = 0; k < s->nworkloads; k++) {
        const sim_workload_spec *w = &s->workloads[k];
        double a = wl_arrivals(s, w), spikes = 0;
        for (size_t j = 0; j < s->nfaults; j++)
            if (s->faults[j].kind == SIM_FAULT_LOAD_SPIKE)
                spikes += spike_extra(s, &s->faults[j], w, a);
        double inv = (a + spikes) * wl_stages(s, w);
        invocations += inv;
        const char *field = w->kind == SIM_ARRIVAL_POISSON   ? "rate"
                            : w->kind == SIM_ARRIVAL_BURSTY   ? "on_rate"
                            : w->kind == SIM_ARRIVAL_CONSTANT ? "interval"
                            : w->kind == SIM_ARRIVAL_PERIODIC ? "period"
                                                              : "type";
        if (spikes > a)
            add(&ev, inv * per_inv, "run load-spiked arrivals for",
                "workloads[%zu] (with its load spikes' factor)", k);
        else
            add(&ev, inv * per_inv, "run arrivals (with their invocations' events) for",
                "workloads[%zu].%s", k, field);
        add(&mem, (double)w->ntimes * 8 + (double)w->nminutes * 16 + (double)w->ncalls * 16,
            "hold trace data of", "workloads[%zu]", k);
    }
    for (size_t j = 0; j < s->nfaults; j++) {
        const sim_fault_spec *f = &s->faults[j];
        if (f->at > D)
            continue;
        if (f->kind == SIM_FAULT_BURST) {
            invocations += f->count;
            add(&ev, f->count * per_inv, "run burst invocations for", "faults[%zu].count", j);
        } else if (f->kind == SIM_FAULT_RANDOM_FAILURES) {
            double ttf = sim_dist_mean(f->ttf), ttr = sim_dist_mean(f->ttr);
            double cycle = (isfinite(ttf) ? fmax(ttf, 1) : INFINITY) +
                           (isfinite(ttr) ? fmax(ttr, 1) : INFINITY);
            if (isfinite(cycle))
                add(&ev, 2.0 * (double)f->nnodes * (double)(D - f->at) / cycle,
                    "run crashes and repairs for", "faults[%zu].ttf", j);
        }
    }

    /* ---- periodic work ---- */
    double samples = times_in(D, s->sample_interval) + 1;
    add(&ev, samples * (1 + nn), "run samples (each visits every node) for", "sample_interval");
    double hb = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        hb += 2 * times_in(D, s->nodes[i].heartbeat_interval);
    add(&ev, hb, "run heartbeats for", "nodes[*].heartbeat_interval");
    if (p->check_interval > 0)
        add(&ev, times_in(D, p->check_interval) * (1 + nn),
            "run health checks (each visits every node) for", "policies.check_interval");
    if (p->probe_period > 0)
        add(&ev, 2 * nn * times_in(D, p->probe_period), "run probes for",
            "policies.probes.period");
    if (p->autoscaler.type != EDGE_AUTOSCALER_NONE)
        add(&ev, times_in(D, p->autoscaler.tick) * (1 + (double)p->nautoscale_fns),
            "run autoscaler ticks (each visits its functions) for", "policies.autoscaler.tick");
    if (s->sync.enabled)
        add(&ev, 2 * (1 + nn) * times_in(D, s->sync.interval), "run sync transfers for",
            "sync.interval");

    /* ---- client mobility: moves are worked out when a request asks where
     * its group is, one step at a time, so each counts as an event ---- */
    for (size_t g = 0; s->net && g < s->net->ngroups; g++) {
        const sim_client_group *c = &s->net->groups[g];
        if (c->kind == SIM_MOB_MARKOV) {
            /* the fastest region to leave, all the time */
            double out_max = 0;
            for (size_t a = 0; a < s->nregions; a++) {
                double leave = 0;
                for (size_t b = 0; b < s->nregions; b++)
                    leave += c->rates[a * s->nregions + b];
                out_max = fmax(out_max, leave);
            }
            add(&ev, out_max * (double)D / 1e9, "run client moves for",
                "clients[%zu].rates", g);
        } else if (c->kind == SIM_MOB_WAYPOINT) {
            /* a leg lasts at least 1 ns; on average at least the mean
             * distance between two uniform points (>= the wider side / 3)
             * at the top speed, plus the mean pause; each leg is one step
             * and at most one crossing per region */
            double side = fmax(c->area[1] - c->area[0], c->area[3] - c->area[2]);
            double leg = side / 3.0 / c->speed_kmh[1] * 3.6e12;
            double pause = c->pause ? sim_dist_mean(c->pause) : 0;
            if (isfinite(pause) && pause > 0)
                leg += pause;
            add(&ev, (double)D / fmax(leg, 1.0) * (1.0 + (double)s->nregions),
                "run client moves (waypoint legs and region crossings) for",
                "clients[%zu].speed_kmh", g);
        } else {
            add(&ev, (double)c->nmoves, "run client moves for", "clients[%zu].moves", g);
        }
    }

    /* ---- memory ---- */
    add(&mem, MEM_BASE, "use", "the program itself");
    add(&mem, nn * MEM_PER_NODE, "hold node state of", "nodes");
    add(&mem, nf * MEM_PER_FUNCTION, "hold function state of", "functions");
    double deployments = 0;
    for (size_t d = 0; d < s->ndeployments; d++)
        deployments += deploy_count(s, &s->deployments[d]);
    add(&mem, deployments * MEM_PER_DEPLOYMENT,
        "hold deployments (nodes x functions deployed) of", "deployments");
    double queue = 0, slots = 0;
    for (size_t i = 0; i < s->nnodes; i++) {
        queue += s->nodes[i].queue_limit;
        slots += (double)s->nodes[i].cores + s->nodes[i].queue_limit;
    }
    add(&mem, queue * MEM_PER_QUEUE_SLOT, "allocate node queues of", "nodes[*].queue_limit");
    add(&mem, fmin(invocations, slots) * MEM_PER_INFLIGHT,
        "hold invocations in flight (cores + queue_limit per node) of",
        "nodes[*].queue_limit");
    add(&mem, (double)s->nregions * nn * 8, "hold the latency matrix (regions x nodes) of",
        "regions");
    if (p->keepalive.type == EDGE_KEEPALIVE_HYBRID)
        add(&mem, nf * (double)p->keepalive.bins * 8,
            "hold hybrid keep-alive histograms (bins x functions) of", "policies.keepalive.bins");
    if (s->net)
        add(&mem, (double)s->net->nlinks * MEM_PER_LINK + (double)s->nregions * s->nregions * 8,
            "hold network links of", "network");

    /* ---- output ---- */
    add(&outb, samples * OUT_TIMESERIES_ROW, "write samples (timeseries.csv) of", "sample_interval");
    double idlen = 0;
    for (size_t i = 0; i < s->nnodes; i++)
        idlen += (double)strlen(s->nodes[i].id);
    add(&outb, samples * (nn * OUT_NODE_SERIES_ROW + idlen),
        "write node samples (node_series.csv: samples x nodes) of", "sample_interval");
    add(&outb, samples * (double)s->nworkflows * OUT_WORKFLOW_ROW,
        "write workflow samples of", "sample_interval");
    add(&outb, (nn + nf + deployments) * OUT_ENTITY_ROW,
        "write per-node, per-function and placement rows of", "deployments");
    if (invocations_csv)
        add(&outb, invocations * OUT_INVOCATION_ROW, "write invocations.csv of", "--invocations");

    out->events = ev.total;
    out->memory = mem.total;
    out->output = outb.total;
    snprintf(out->events_field, sizeof out->events_field, "%s", ev.field);
    snprintf(out->memory_field, sizeof out->memory_field, "%s", mem.field);
    snprintf(out->output_field, sizeof out->output_field, "%s", outb.field);
    out->events_what = ev.what ? ev.what : "run";
    out->memory_what = mem.what ? mem.what : "use";
    out->output_what = outb.what ? outb.what : "write";
}

sim_limits sim_limits_default(void)
{
    sim_limits l = {.max_events = SIM_LIMITS_DEFAULT_EVENTS,
                    .max_memory = SIM_LIMITS_DEFAULT_MEMORY,
                    .max_output = SIM_LIMITS_DEFAULT_OUTPUT};
    return l;
}

/* Bytes as "6.5 GiB", "512 MiB". */
static void fmt_bytes(char *buf, size_t n, double b)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024 && u < 6) {
        b /= 1024;
        u++;
    }
    if (u == 6 && b >= 1024)
        snprintf(buf, n, "%.1e EiB", b);
    else if (u == 0 || b >= 100 || b == floor(b))
        snprintf(buf, n, "%.0f %s", b, units[u]);
    else
        snprintf(buf, n, "%.1f %s", b, units[u]);
}

/* A count as "40", "1.8e11" or "2e9". */
static void fmt_count(char *buf, size_t n, double v)
{
    if (v < 1e6) {
        snprintf(buf, n, "%.0f", v);
        return;
    }
    int e = (int)floor(log10(v));
    double m = v / pow(10, e);
    if (m >= 9.95) { /* rounds up to the next power */
        m /= 10;
        e++;
    }
    if (fabs(m - round(m)) < 0.05)
        snprintf(buf, n, "%.0fe%d", round(m), e);
    else
        snprintf(buf, n, "%.1fe%d", m, e);
}

int sim_limits_check(const sim_scenario *s, const sim_limits *lim, char *err, size_t n)
{
    sim_estimate e;
    sim_limits_estimate(s, lim->invocations_csv, &e);
    char got[32], max[32];
    const char *field, *what, *opt, *unit;
    if (lim->max_events && e.events > (double)lim->max_events) {
        fmt_count(got, sizeof got, e.events);
        fmt_count(max, sizeof max, (double)lim->max_events);
        field = e.events_field, what = e.events_what, unit = " events";
        opt = lim->raise_with[0] ? lim->raise_with[0] : "--max-events N";
    } else if (lim->max_memory && e.memory > (double)lim->max_memory) {
        fmt_bytes(got, sizeof got, e.memory);
        fmt_bytes(max, sizeof max, (double)lim->max_memory);
        field = e.memory_field, what = e.memory_what, unit = "";
        opt = lim->raise_with[1] ? lim->raise_with[1] : "--max-memory SIZE";
    } else if (lim->max_output && e.output > (double)lim->max_output) {
        fmt_bytes(got, sizeof got, e.output);
        fmt_bytes(max, sizeof max, (double)lim->max_output);
        field = e.output_field, what = e.output_what, unit = "";
        opt = lim->raise_with[2] ? lim->raise_with[2] : "--max-output SIZE";
    } else {
        return 0;
    }
    if (n)
        snprintf(err, n,
                 "%s: %s: this run would %s about %s%s (limit %s%s); change %s, or pass %s to "
                 "raise the limit (0 or none: no limit)",
                 s->path, field, what, got, unit, max, unit, field, opt);
    return -1;
}

int sim_limits_parse_count(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return -1;
    if (!strcmp(text, "none")) {
        *out = 0;
        return 0;
    }
    if (text[0] == '-' || text[0] == '+' || (text[0] < '0' || text[0] > '9'))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || *end || !(v >= 0) || v >= 1.8e19 || v != floor(v))
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int sim_limits_parse_size(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return -1;
    if (!strcmp(text, "none")) {
        *out = 0;
        return 0;
    }
    if (text[0] < '0' || text[0] > '9')
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || !(v >= 0))
        return -1;
    static const char *const suffix[][4] = {{"", "B", NULL, NULL},
                                            {"K", "KiB", "KB", "k"},
                                            {"M", "MiB", "MB", NULL},
                                            {"G", "GiB", "GB", NULL},
                                            {"T", "TiB", "TB", NULL}};
    int u = -1;
    for (int i = 0; i < 5 && u < 0; i++)
        for (int j = 0; j < 4 && suffix[i][j]; j++)
            if (!strcmp(end, suffix[i][j]))
                u = i;
    if (u < 0)
        return -1;
    v = ldexp(v, 10 * u);
    if (v >= 1.8e19 || v != floor(v))
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int sim_limits_set_option(const char *cmd, const char *name, const char *value,
                          sim_limits *lim)
{
    static const char *const names[] = {"max-events", "max-memory", "max-output"};
    for (int k = 0; k < 3; k++) {
        if (strcmp(name, names[k]) != 0)
            continue;
        uint64_t x;
        int bad = k == 0 ? sim_limits_parse_count(value, &x) : sim_limits_parse_size(value, &x);
        if (bad) {
            fprintf(stderr, "edgesim %s: --%s: expected %s, 0 or none (no limit), found '%s'\n",
                    cmd, names[k],
                    k == 0 ? "a count such as 5000000000 or 5e9" : "a size such as 16G or 512M",
                    value);
            return -1;
        }
        if (k == 0)
            lim->max_events = x;
        else if (k == 1)
            lim->max_memory = x;
        else
            lim->max_output = x;
        return 0;
    }
    fprintf(stderr, "edgesim %s: --%s: not a limit option\n", cmd, name);
    return -1;
}
