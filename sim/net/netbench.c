/*
 * netbench.c — flows on a tree through fairshare and the engine (netbench.h).
 * The event handling is net.c's: one finish event, at the solver's earliest
 * finish (sim_fairshare_next), moved when that changes after a flush.
 */
#include "net/netbench.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "engine/rng.h"
#include "net/fairshare.h"

void sim_netbench_defaults(sim_netbench_config *c)
{
    memset(c, 0, sizeof *c);
    c->leaves = 16;
    c->fanout = 4;
    c->leaf_bps = 1e9;
    c->agg_bps = 4e9;
    c->mean_bytes = 1e6;
    c->leaf_latency = EDGE_US;
    c->slots = 100;
    c->flows = 200000;
    c->seed = 1;
}

typedef struct nb {
    const sim_netbench_config *c;
    sim_engine *e;
    sim_fairshare *fs;
    sim_rng *rng;
    uint64_t done;
    struct nb_fin {
        uint64_t flow;
        edge_time at;
    } *fin_log;             /* finishes in finish order, when finish_out is set: written
                               after the timed run, as the SimGrid side writes its own */
    struct nb_spec {
        uint32_t src, dst;
        double bytes;
        edge_time start;    /* open mode */
    } *spec;                /* the flow list */
    uint64_t next_open;     /* open mode: the next flow to start */
    double sojourn;         /* ns from start to finish, summed (open mode) */
    uint32_t *slot_of_flow; /* by solver id */
    uint64_t *flow_of_slot;
    sim_timer fin;          /* the one finish event: an engine timer (engine.h) */
    sim_lane wait;          /* the propagation waits, all of one length */
    edge_time fin_at;       /* its time, when armed */
    int armed;
    uint64_t reschedules;
    edge_err failed;
    int flush_pending, flush_here;
    struct nb_route {
        uint32_t group; /* the solver's group of its route */
        double bytes;
    } *route_of_slot;
    uint32_t *group_of_pair; /* by src * leaves + dst: its route's group, resolved on first
                                use (as net.c resolves a path once), or SIM_FAIRSHARE_NONE */
} nb;

static void ev_propagated(sim_engine *e, void *ctx, const sim_event *ev);

static void ev_finish(sim_engine *e, void *ctx, const sim_event *ev);

static void fail(nb *b, edge_err rc)
{
    if (!b->failed)
        sim_engine_fail(b->e, b->failed = rc);
}

/* The one finish event at the solver's earliest finish: moved only when
 * that time changed. */
static void arm(nb *b)
{
    uint32_t g;
    edge_time at, now = sim_engine_now(b->e);
    bool any = sim_fairshare_next(b->fs, &g, &at);
    if (any && at < now)
        at = now;
    if (any && b->armed && at == b->fin_at)
        return;
    b->armed = 0;
    if (!any) {
        sim_engine_timer_clear(b->e, b->fin);
        return;
    }
    b->reschedules++;
    b->fin_at = at;
    b->armed = 1;
    edge_err rc = sim_engine_timer_set(b->e, b->fin, at);
    if (rc != EDGE_OK)
        fail(b, rc);
}

static void ev_flush(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    nb *b = ctx;
    b->flush_pending = 0;
    sim_fairshare_flush(b->fs, sim_engine_now(e));
    arm(b);
}

/* As net.c: the flush at the end of the running handler when no other
 * event is queued for now, else one flush event for the instant. */
static void need_flush(nb *b, edge_time now)
{
    if (b->flush_pending || b->flush_here)
        return;
    if (!sim_engine_due_now(b->e)) {
        b->flush_here = 1;
        return;
    }
    b->flush_pending = 1;
    edge_err rc = sim_engine_schedule(b->e, now, ev_flush, b, (sim_payload){0}, NULL);
    if (rc != EDGE_OK)
        fail(b, rc);
}

static void flush_here(nb *b)
{
    if (b->flush_here) {
        b->flush_here = 0;
        sim_fairshare_flush(b->fs, sim_engine_now(b->e));
        arm(b);
    }
}

/* Flow i of the list: its hosts and size (drawn in list order). */
static void next_spec(nb *b, uint32_t *src, uint32_t *dst, double *bytes)
{
    uint32_t h = b->c->leaves;
    *src = (uint32_t)sim_rng_below(b->rng, h);
    *dst = (uint32_t)sim_rng_below(b->rng, h - 1);
    if (*dst >= *src)
        (*dst)++;
    /* whole bytes: SimGrid's sendto takes an integer size */
    *bytes = ceil(gsl_ran_exponential(sim_rng_gsl(b->rng), b->c->mean_bytes));
    if (*bytes < 1)
        *bytes = 1;
}

/* Slot `slot` starts flow i of the list (drawn before the run). */
static void start_flow(nb *b, uint32_t slot, uint64_t i, edge_time now)
{
    const sim_netbench_config *c = b->c;
    uint32_t src = b->spec[i].src, dst = b->spec[i].dst;
    double bytes = b->spec[i].bytes;
    uint32_t *g = &b->group_of_pair[(size_t)src * c->leaves + dst];
    if (*g == SIM_FAIRSHARE_NONE) {
        uint32_t route[4], n = 0, ga = src / c->fanout, gb = dst / c->fanout;
        route[n++] = src;
        route[n++] = c->leaves + ga;
        if (gb != ga)
            route[n++] = c->leaves + gb;
        route[n++] = dst;
        edge_err rc = sim_fairshare_route(b->fs, route, n, g);
        if (rc != EDGE_OK) {
            *g = SIM_FAIRSHARE_NONE;
            if (!b->failed)
                sim_engine_fail(b->e, b->failed = rc);
            return;
        }
    }
    b->route_of_slot[slot].group = *g;
    b->route_of_slot[slot].bytes = bytes;
    b->flow_of_slot[slot] = i;
    /* every route waits the same (two leaf links): one lane (engine.h) */
    edge_err rc = sim_engine_lane_push(b->e, b->wait, now + 2 * c->leaf_latency,
                                       (sim_payload){.id = slot});
    if (rc != EDGE_OK && !b->failed)
        sim_engine_fail(b->e, b->failed = rc);
}

/* The route's latency waited: the flow joins the sharing. */
static void ev_propagated(sim_engine *e, void *ctx, const sim_event *ev)
{
    nb *b = ctx;
    uint32_t slot = (uint32_t)ev->payload.id;
    edge_time now = sim_engine_now(e);
    const struct nb_route *r = &b->route_of_slot[slot];
    uint32_t fid;
    edge_err rc = sim_fairshare_start_group(b->fs, now, r->group, r->bytes, &fid);
    if (rc != EDGE_OK) {
        if (!b->failed)
            sim_engine_fail(b->e, b->failed = rc);
        return;
    }
    b->slot_of_flow[fid] = slot;
    need_flush(b, now);
    flush_here(b);
}

/* The earliest finish is through: every flow through by now ends (by
 * group, in tag order); each one's slot starts its next flow. */
static void ev_finish(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    nb *b = ctx;
    b->armed = 0;
    edge_time now = sim_engine_now(e), at;
    uint32_t g;
    while (!b->failed && sim_fairshare_next(b->fs, &g, &at) && at <= now) {
        uint32_t fid = sim_fairshare_group_next(b->fs, g), s = b->slot_of_flow[fid];
        if (sim_fairshare_end(b->fs, now, fid) != EDGE_OK) {
            fail(b, EDGE_STATE);
            return;
        }
        if (b->fin_log)
            b->fin_log[b->done] = (struct nb_fin){b->flow_of_slot[s], now};
        b->done++;
        b->sojourn += (double)(now - b->spec[b->flow_of_slot[s]].start);
        need_flush(b, now);
        uint64_t next = b->flow_of_slot[s] + b->c->slots; /* the slot's own sequence */
        if (b->c->open_load <= 0 && next < b->c->flows)
            start_flow(b, s, next, now);
    }
    flush_here(b);
    arm(b);
}

/* Open mode: flow b->next_open starts now (its own slot), and the one
 * after it is scheduled. */
static void ev_open(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    nb *b = ctx;
    uint64_t i = b->next_open++;
    start_flow(b, (uint32_t)i, i, sim_engine_now(e));
    if (b->next_open < b->c->flows) {
        edge_err rc = sim_engine_schedule(e, b->spec[b->next_open].start, ev_open, b,
                                          (sim_payload){0}, NULL);
        if (rc != EDGE_OK)
            fail(b, rc);
    }
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

edge_err sim_netbench_run(const sim_netbench_config *c, sim_netbench_result *r)
{
    if (!c->leaves || c->leaves < 2 || !c->fanout || !c->slots || !c->flows ||
        !(c->leaf_bps > 0) || !(c->agg_bps > 0) || !(c->mean_bytes > 0) ||
        !(c->open_load >= 0 && c->open_load < 1) || (c->open_load > 0 && c->flows > UINT32_MAX))
        return EDGE_INVAL;
    int open = c->open_load > 0;
    /* open mode: a slot per flow */
    size_t slots = open ? (size_t)c->flows : c->slots;
    memset(r, 0, sizeof *r);
    nb b = {.c = c};
    uint32_t nagg = (c->leaves + c->fanout - 1) / c->fanout, nl = c->leaves + nagg;
    double *cap = malloc(nl * sizeof *cap);
    size_t fcap = slots * 2 + 64;
    b.slot_of_flow = calloc(fcap, sizeof *b.slot_of_flow);
    b.flow_of_slot = calloc(slots, sizeof *b.flow_of_slot);
    b.route_of_slot = calloc(slots, sizeof *b.route_of_slot);
    b.group_of_pair = malloc((size_t)c->leaves * c->leaves * sizeof *b.group_of_pair);
    edge_err rc = EDGE_NOMEM;
    if (!cap || !b.slot_of_flow || !b.flow_of_slot || !b.route_of_slot || !b.group_of_pair)
        goto out;
    for (size_t k = 0; k < (size_t)c->leaves * c->leaves; k++)
        b.group_of_pair[k] = SIM_FAIRSHARE_NONE;
    for (uint32_t l = 0; l < nl; l++)
        cap[l] = (l < c->leaves ? c->leaf_bps : c->agg_bps) / 8e9;
    b.fs = sim_fairshare_create(nl, cap);
    b.e = sim_engine_create(open ? 1024 : (size_t)c->slots * 2);
    b.rng = sim_rng_create(c->seed, "netbench", 0);
    if (!b.fs || !b.e || !b.rng)
        goto out;
    if ((rc = sim_engine_timer_create(b.e, ev_finish, &b, &b.fin)) != EDGE_OK ||
        (rc = sim_engine_lane_create(b.e, ev_propagated, &b, &b.wait)) != EDGE_OK)
        goto out;
    rc = EDGE_NOMEM;
    sim_fairshare_set_deferred(b.fs, 1);
    if (!(b.spec = malloc(c->flows * sizeof *b.spec)) ||
        (c->finish_out && !(b.fin_log = malloc(c->flows * sizeof *b.fin_log)))) {
        rc = EDGE_NOMEM;
        goto out;
    }
    sim_rng *arr = open ? sim_rng_create(c->seed, "netbench-arrivals", 0) : NULL;
    if (open && !arr) {
        rc = EDGE_NOMEM;
        goto out;
    }
    /* flows per ns that load each leaf to open_load: a flow of mean_bytes
     * takes 8 mean_bytes / leaf_bps seconds on each of its two leaves */
    double per_ns = c->open_load * (double)c->leaves * c->leaf_bps / (16.0 * c->mean_bytes) / 1e9;
    double t = 0;
    for (uint64_t i = 0; i < c->flows; i++) {
        next_spec(&b, &b.spec[i].src, &b.spec[i].dst, &b.spec[i].bytes);
        if (open) {
            t += gsl_ran_exponential(sim_rng_gsl(arr), 1.0 / per_ns);
            b.spec[i].start = (edge_time)llround(t);
        }
        if (c->list_out && open)
            fprintf(c->list_out, "%llu,%u,%u,%.0f,%.9f\n", (unsigned long long)i, b.spec[i].src,
                    b.spec[i].dst, b.spec[i].bytes, (double)b.spec[i].start / 1e9);
        else if (c->list_out)
            fprintf(c->list_out, "%llu,%u,%u,%.0f\n", (unsigned long long)i, b.spec[i].src,
                    b.spec[i].dst, b.spec[i].bytes);
    }
    sim_rng_destroy(arr);
    double t0 = cpu_now();
    rc = EDGE_OK;
    if (open)
        rc = sim_engine_schedule(b.e, b.spec[0].start, ev_open, &b, (sim_payload){0}, NULL);
    else
        for (uint32_t s = 0; s < c->slots && s < c->flows; s++)
            start_flow(&b, s, s, 0);
    if (rc != EDGE_OK && !b.failed)
        b.failed = rc;
    rc = b.failed ? b.failed : sim_engine_run(b.e);
    r->cpu_seconds = cpu_now() - t0;
    for (uint64_t i = 0; b.fin_log && i < b.done; i++)
        fprintf(c->finish_out, "%llu,%.9f\n", (unsigned long long)b.fin_log[i].flow,
                (double)b.fin_log[i].at / 1e9);
    if (rc == EDGE_OK && b.failed)
        rc = b.failed;
    sim_engine_stats st;
    sim_engine_get_stats(b.e, &st);
    sim_fairshare_counts k;
    sim_fairshare_get_counts(b.fs, &k);
    r->flows = b.done;
    r->events = st.run;
    r->reschedules = b.reschedules;
    r->groups_visited = k.groups_visited;
    r->recomputes = k.recomputes;
    r->fast = k.fast;
    r->end = sim_engine_now(b.e);
    r->mean_in_flight = open && r->end > 0 ? b.sojourn / (double)r->end : c->slots;
out:
    free(cap);
    free(b.slot_of_flow);
    free(b.flow_of_slot);
    free(b.route_of_slot);
    free(b.group_of_pair);
    free(b.spec);
    free(b.fin_log);
    sim_fairshare_free(b.fs);
    sim_engine_destroy(b.e);
    sim_rng_destroy(b.rng);
    return rc;
}
