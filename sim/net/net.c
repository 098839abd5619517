/*
 * net.c — transfers over the scenario's links (net.h).
 *
 * A transfer is a pool record: its cookie, bytes and its route's group in
 * the solver (fairshare.h); its propagation event carries its index. A
 * (node, client region) path is resolved to its group and latency once,
 * into a table of routes, and what the flow's start will read is fetched
 * into the cache at the send, a propagation wait before it is needed. In
 * the sharing, the solver keeps the groups' next
 * finishes in order: the network has ONE pending finish event, at the
 * earliest of them, moved (engine handles make the cancel O(1)) only when
 * that earliest finish changes. The finish event ends every flow through
 * at its time, group by group in the solver's order (earliest finish, then
 * the group whose finish was set first), each group's in tag order. The
 * solver runs deferred: the starts and ends of one instant are recomputed
 * together, after every event already queued for that instant: at the end
 * of the handler that made the first change when no other event is queued
 * for the instant (exactly where a flush event would run), else by one
 * flush event.
 */
#include "net/net.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "net/fairshare.h"
#include "net/linkseries.h"
#include "output/csvw.h"
#include "output/outfile.h"

#define XNONE UINT32_MAX

typedef struct xfer {
    uint64_t cookie;
    double bytes;
    uint32_t group; /* its route's group in the sharing; XNONE: a path without links */
    uint32_t flow;
    uint32_t next_free;
} xfer;

/* A path from the clients of a region to a node, resolved on its first
 * transfer: its group in the sharing (XNONE: no link) and its latency. A
 * transfer then reads one entry, not the scenario's node, region and link
 * records, nor the solver's table of routes. */
typedef struct route {
    edge_time lat;
    uint32_t group;
    uint32_t last1; /* 0: not resolved yet; else 1 + the path's last link (a
                       node's access link: the one likely out of cache) */
} route;

/* Most (node, region) pairs given a table of routes: 16 bytes each,
 * allocated zeroed (pages never touched cost nothing); past it, every
 * transfer resolves its path again. */
#define NET_ROUTES_MAX ((size_t)1 << 24)

typedef struct obs {
    edge_histogram latency, transfer;
} obs;

/* Lanes of the engine (engine.h, LANES) for the propagation waits: one per
 * (latency, handler) met, up to NET_LANES; a wait of another latency past
 * them is an ordinary event. The order is the same either way. */
#define NET_LANES 6

typedef struct net_lane {
    edge_time lat;
    sim_handler h;
    sim_lane lane;
} net_lane;

struct sim_net {
    const sim_scenario *sc;
    const sim_netspec *spec;
    sim_engine *eng;
    sim_net_done_fn done;
    sim_net_soon_fn soon; /* NULL: none */
    void *ctx;
    sim_fairshare *fs;
    xfer *x;
    size_t xcap;
    uint32_t xfree;
    uint32_t *xfer_of_flow;
    route *routes;      /* [node * nregions + region]; NULL: past NET_ROUTES_MAX */
    uint8_t *link_cls;  /* per link: its class (sim_link_class) */
    uint8_t *node_tier; /* per node: the tier of its region (sim_tier) */
    size_t fcap;
    sim_timer fin;     /* the one finish event: an engine timer, moved in O(1) */
    edge_time fin_at;  /* its time, when armed */
    int armed;
    double class_bytes[SIM_LINK_CLASSES];
    double *link_bytes_done; /* per link: bytes of finished transfers */
    uint64_t sent, ndone, reschedules;
    int flush_pending; /* a flush event is scheduled for now */
    int flush_here;    /* the running handler flushes at its end */
    edge_histogram share_ppm; /* transfer / latency, parts per million */
    obs all, tier[SIM_TIERS];
    obs *group;               /* per client region */
    obs *cgroup;              /* per moving client group (spec->groups) */
    uint64_t tier_seen;       /* bit t: some invocation ran on tier t */
    sim_linkseries *series;   /* bytes per link per sample interval */
    double *sampled;          /* per link: bytes carried up to the last sample */
    double *delta;            /* per link: scratch for one sample */
    net_lane lanes[NET_LANES];
    size_t nlanes;
    int failed;
};

static void ev_done(sim_engine *e, void *ctx, const sim_event *ev);

sim_net *sim_net_create(const sim_scenario *sc, sim_engine *e, sim_net_done_fn done, void *ctx)
{
    const sim_netspec *spec = sc->net;
    sim_net *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->sc = sc;
    n->spec = spec;
    n->eng = e;
    n->done = done;
    n->ctx = ctx;
    n->xfree = XNONE;
    double *cap = malloc((spec->nlinks ? spec->nlinks : 1) * sizeof *cap);
    n->link_bytes_done = calloc(spec->nlinks ? spec->nlinks : 1, sizeof *n->link_bytes_done);
    n->group = calloc(sc->nregions ? sc->nregions : 1, sizeof *n->group);
    n->cgroup = calloc(spec->ngroups ? spec->ngroups : 1, sizeof *n->cgroup);
    if (!cap || !n->link_bytes_done || !n->group || !n->cgroup)
        goto fail;
    n->link_cls = malloc(spec->nlinks ? spec->nlinks : 1);
    n->node_tier = malloc(sc->nnodes ? sc->nnodes : 1);
    if (!n->link_cls || !n->node_tier)
        goto fail;
    for (size_t i = 0; i < sc->nnodes; i++)
        n->node_tier[i] = (uint8_t)spec->tier[sc->nodes[i].region];
    for (size_t l = 0; l < spec->nlinks; l++) {
        cap[l] = spec->links[l].bytes_per_ns;
        n->link_cls[l] = (uint8_t)spec->links[l].cls;
    }
    if (sc->nnodes && sc->nregions && sc->nnodes <= NET_ROUTES_MAX / sc->nregions &&
        !(n->routes = calloc(sc->nnodes * sc->nregions, sizeof *n->routes)))
        goto fail;
    if (!(n->fs = sim_fairshare_create(spec->nlinks, cap)))
        goto fail;
    n->sampled = calloc(spec->nlinks ? spec->nlinks : 1, sizeof *n->sampled);
    n->delta = calloc(spec->nlinks ? spec->nlinks : 1, sizeof *n->delta);
    if (!n->sampled || !n->delta || !(n->series = sim_linkseries_create(spec->nlinks)))
        goto fail;
    /* the engine's timers are few (engine.h): a run has one network */
    if (sim_engine_timer_create(e, ev_done, n, &n->fin) != EDGE_OK)
        goto fail;
    sim_fairshare_set_deferred(n->fs, 1);
    free(cap);
    return n;
fail:
    free(cap);
    sim_net_free(n);
    return NULL;
}

void sim_net_set_soon(sim_net *n, sim_net_soon_fn soon)
{
    n->soon = soon;
}

static void obs_clear(obs *o)
{
    edge_histogram_clear(&o->latency);
    edge_histogram_clear(&o->transfer);
}

void sim_net_free(sim_net *n)
{
    if (!n)
        return;
    sim_fairshare_free(n->fs);
    free(n->x);
    free(n->xfer_of_flow);
    free(n->routes);
    free(n->link_cls);
    free(n->node_tier);
    free(n->link_bytes_done);
    sim_linkseries_free(n->series);
    free(n->sampled);
    free(n->delta);
    edge_histogram_clear(&n->share_ppm);
    obs_clear(&n->all);
    for (int t = 0; t < SIM_TIERS; t++)
        obs_clear(&n->tier[t]);
    if (n->group)
        for (size_t r = 0; r < n->sc->nregions; r++)
            obs_clear(&n->group[r]);
    free(n->group);
    if (n->cgroup)
        for (size_t g = 0; g < n->spec->ngroups; g++)
            obs_clear(&n->cgroup[g]);
    free(n->cgroup);
    free(n);
}

size_t sim_net_path(const sim_net *n, size_t region, size_t node, uint32_t out[4],
                    edge_time *latency)
{
    const sim_netspec *s = n->spec;
    size_t q = n->sc->nodes[node].region, k = 0;
    size_t cand[4] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    if (region != q) {
        cand[0] = s->uplink_of[region];
        cand[1] = s->backbone[region * s->nregions + q];
        cand[2] = s->uplink_of[q];
    }
    cand[3] = s->access_of[node];
    edge_time lat = 0;
    for (int i = 0; i < 4; i++)
        if (cand[i] != SIZE_MAX) {
            out[k++] = (uint32_t)cand[i];
            lat += s->links[cand[i]].latency;
        }
    *latency = lat;
    return k;
}

size_t sim_net_path_nodes(const sim_net *n, size_t from, size_t to, uint32_t out[5],
                          edge_time *latency)
{
    const sim_netspec *s = n->spec;
    size_t p = n->sc->nodes[from].region, q = n->sc->nodes[to].region, k = 0;
    size_t cand[5] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    edge_time lat = 0;
    if (from != to) {
        cand[0] = s->access_of[from];
        if (p != q) {
            cand[1] = s->uplink_of[p];
            cand[2] = s->backbone[p * s->nregions + q];
            cand[3] = s->uplink_of[q];
        }
        cand[4] = s->access_of[to];
    }
    for (int i = 0; i < 5; i++)
        if (cand[i] != SIZE_MAX) {
            out[k++] = (uint32_t)cand[i];
            lat += s->links[cand[i]].latency;
        }
    *latency = lat;
    return k;
}

static uint32_t xfer_alloc(sim_net *n)
{
    if (n->xfree == XNONE) {
        size_t cap = n->xcap ? n->xcap * 2 : 256;
        if (cap > XNONE)
            return XNONE;
        xfer *p = realloc(n->x, cap * sizeof *p);
        if (!p)
            return XNONE;
        n->x = p;
        for (size_t i = cap; i-- > n->xcap;) {
            p[i].next_free = n->xfree;
            n->xfree = (uint32_t)i;
        }
        n->xcap = cap;
    }
    uint32_t i = n->xfree;
    n->xfree = n->x[i].next_free;
    return i;
}

static void xfer_release(sim_net *n, uint32_t i)
{
    n->x[i].next_free = n->xfree;
    n->xfree = i;
}

static void ev_finish(sim_engine *e, void *ctx, const sim_event *ev);

static void fail(sim_net *n, edge_err rc)
{
    if (!n->failed)
        sim_engine_fail(n->eng, rc);
    n->failed = 1;
}

/* The one finish event at the solver's earliest finish, moved only when
 * that time changed. */
static void arm(sim_net *n)
{
    uint32_t g;
    edge_time at, now = sim_engine_now(n->eng);
    bool any = sim_fairshare_next(n->fs, &g, &at);
    if (any && at < now)
        at = now; /* through by the tolerance's rounding: at once */
    if (any && n->armed && at == n->fin_at)
        return;
    n->armed = 0;
    if (!any) {
        sim_engine_timer_clear(n->eng, n->fin);
        return;
    }
    n->reschedules++;
    edge_err rc = sim_engine_timer_set(n->eng, n->fin, at);
    if (rc != EDGE_OK) {
        fail(n, rc);
        return;
    }
    n->fin_at = at;
    n->armed = 1;
}

static void flush(sim_net *n)
{
    edge_err rc = sim_fairshare_flush(n->fs, sim_engine_now(n->eng));
    if (rc != EDGE_OK) {
        fail(n, rc);
        return;
    }
    arm(n);
}

static void ev_flush(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)e;
    (void)ev;
    sim_net *n = ctx;
    n->flush_pending = 0;
    flush(n);
}

/* The solver changed now: its flush must run after every event queued for
 * now. With none queued, it runs at the end of the running handler (what
 * the flush event would do next, without the event); else a flush event
 * is scheduled, once per instant. */
static void need_flush(sim_net *n)
{
    if (n->flush_pending || n->flush_here)
        return;
    if (!sim_engine_due_now(n->eng)) {
        n->flush_here = 1;
        return;
    }
    edge_err rc = sim_engine_schedule_in(n->eng, 0, ev_flush, n, (sim_payload){0}, NULL);
    if (rc != EDGE_OK)
        fail(n, rc);
    n->flush_pending = 1;
}

/* The end of a handler that changed the solver: the flush need_flush kept
 * for it, if any. */
static void flush_here(sim_net *n)
{
    if (n->flush_here) {
        n->flush_here = 0;
        flush(n);
    }
}

static void complete(sim_net *n, uint32_t xi)
{
    xfer *x = &n->x[xi];
    uint64_t cookie = x->cookie;
    const uint32_t *links = NULL;
    size_t nhops = x->group == XNONE ? 0 : sim_fairshare_group_links(n->fs, x->group, &links);
    for (size_t h = 0; h < nhops; h++) {
        n->class_bytes[n->link_cls[links[h]]] += x->bytes;
        n->link_bytes_done[links[h]] += x->bytes;
    }
    n->ndone++;
    xfer_release(n, xi);
    n->done(n->ctx, cookie);
}

/* A transfer without links: through when its propagation is waited. */
static void ev_finish(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)e;
    sim_net *n = ctx;
    uint32_t xi = ev->payload.a;
    complete(n, xi);
}

/* The earliest finish is through: every flow through by now ends (group
 * by group in the solver's order, each group's in tag order) and its
 * transfer is done. */
static void ev_done(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    sim_net *n = ctx;
    edge_time now = sim_engine_now(e), at;
    n->armed = 0;
    uint32_t g;
    while (!n->failed && sim_fairshare_next(n->fs, &g, &at) && at <= now) {
        uint32_t fid = sim_fairshare_group_next(n->fs, g);
        edge_err rc = sim_fairshare_end(n->fs, now, fid);
        if (rc != EDGE_OK) {
            fail(n, rc);
            return;
        }
        need_flush(n);
        complete(n, n->xfer_of_flow[fid]);
    }
    flush_here(n);
    arm(n);
}

/* Propagation waited: the transfer joins the sharing. */
static void ev_propagated(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_net *n = ctx;
    uint32_t xi = ev->payload.a;
    xfer *x = &n->x[xi];
    uint32_t fid;
    edge_err rc = sim_fairshare_start_group(n->fs, sim_engine_now(e), x->group, x->bytes, &fid);
    if (rc == EDGE_OK && fid >= n->fcap) {
        size_t cap = n->fcap ? n->fcap * 2 : 256;
        while (cap <= fid)
            cap *= 2;
        uint32_t *p = realloc(n->xfer_of_flow, cap * sizeof *p);
        if (!p)
            rc = EDGE_NOMEM;
        else {
            n->xfer_of_flow = p;
            n->fcap = cap;
        }
    }
    if (rc != EDGE_OK) {
        fail(n, rc);
        return;
    }
    x->flow = fid;
    n->xfer_of_flow[fid] = xi;
    if (n->soon)
        n->soon(n->ctx, x->cookie);
    need_flush(n);
    flush_here(n);
}

/* The path from node `from` (SIZE_MAX: the clients of region) to node, as
 * its group in the sharing and its latency: from the table of routes when
 * it has the pair, else resolved now (and kept there). */
static edge_err resolve(sim_net *n, size_t region, size_t from, size_t node, route *out)
{
    route *slot = NULL;
    if (from == SIZE_MAX && n->routes) {
        slot = &n->routes[node * n->sc->nregions + region];
        if (slot->last1) {
            *out = *slot;
            return EDGE_OK;
        }
    }
    uint32_t links[5];
    route r = {.group = XNONE, .last1 = 1};
    size_t k = from == SIZE_MAX ? sim_net_path(n, region, node, links, &r.lat)
                                : sim_net_path_nodes(n, from, node, links, &r.lat);
    if (k) {
        r.last1 = 1 + links[k - 1];
        edge_err rc = sim_fairshare_route(n->fs, links, k, &r.group);
        if (rc != EDGE_OK)
            return rc;
    }
    if (slot)
        *slot = r;
    *out = r;
    return EDGE_OK;
}

/* h(xi) after lat: the transfer's propagation wait. Nothing cancels it, and
 * waits of one latency end in the order they start, so it goes in the lane
 * of its (latency, handler), appended in O(1) (a run has a few latencies:
 * one per kind of path). Past NET_LANES of them, an ordinary event: no
 * handle, the pool index alone as the payload, which the engine keeps in
 * the event's key without a record (engine.h) while it is small. The order
 * is (time, seq) either way. */
static edge_err start_wait(sim_net *n, edge_time lat, sim_handler h, uint32_t xi)
{
    sim_payload p = {.a = xi};
    edge_time now = sim_engine_now(n->eng);
    if (lat < 0 || lat > EDGE_TIME_MAX - now)
        return EDGE_RANGE;
    for (size_t i = 0; i < n->nlanes; i++)
        if (n->lanes[i].lat == lat && n->lanes[i].h == h)
            return sim_engine_lane_push(n->eng, n->lanes[i].lane, now + lat, p);
    if (n->nlanes < NET_LANES &&
        sim_engine_lane_create(n->eng, h, n, &n->lanes[n->nlanes].lane) == EDGE_OK) {
        n->lanes[n->nlanes].lat = lat;
        n->lanes[n->nlanes].h = h;
        return sim_engine_lane_push(n->eng, n->lanes[n->nlanes++].lane, now + lat, p);
    }
    return sim_engine_schedule_in(n->eng, lat, h, n, p, NULL);
}

/* Sends bytes from node `from` (SIZE_MAX: the clients of region) to node. */
static edge_err send(sim_net *n, size_t region, size_t from, size_t node, double bytes,
                     uint64_t cookie)
{
    if (!(bytes > 0) || !isfinite(bytes))
        return EDGE_INVAL;
    route r;
    edge_err rc = resolve(n, region, from, node, &r);
    if (rc != EDGE_OK)
        return rc;
    uint32_t xi = xfer_alloc(n);
    if (xi == XNONE)
        return EDGE_NOMEM;
    xfer *x = &n->x[xi];
    memset(x, 0, sizeof *x);
    x->cookie = cookie;
    x->bytes = bytes;
    x->group = r.group;
    if (r.group != XNONE) {
        /* what the flow's start reads after the propagation wait: at most
         * a few dozen events later, still in cache */
        sim_fairshare_prefetch(n->fs, r.group, r.last1 - 1);
        __builtin_prefetch(&n->link_bytes_done[r.last1 - 1], 1);
    }
    /* with links: the propagation wait, then the sharing; without: only the wait */
    sim_handler h = r.group != XNONE ? ev_propagated : ev_finish;
    rc = start_wait(n, r.lat, h, xi);
    if (rc != EDGE_OK) {
        xfer_release(n, xi);
        return rc;
    }
    n->sent++;
    return EDGE_OK;
}

void sim_net_prefetch_route(const sim_net *n, size_t region, size_t node)
{
    if (n->routes && node < n->sc->nnodes && region < n->sc->nregions)
        __builtin_prefetch(&n->routes[node * n->sc->nregions + region]);
}

edge_err sim_net_send(sim_net *n, size_t region, size_t node, double bytes, uint64_t cookie)
{
    return send(n, region, SIZE_MAX, node, bytes, cookie);
}

edge_err sim_net_send_nodes(sim_net *n, size_t from, size_t to, double bytes, uint64_t cookie)
{
    return send(n, 0, from, to, bytes, cookie);
}

edge_time sim_net_expected(const sim_net *n, size_t region, size_t node, double bytes)
{
    uint32_t links[4];
    edge_time lat;
    size_t k = sim_net_path(n, region, node, links, &lat);
    if (!(bytes > 0) || k == 0)
        return lat;
    double rate = HUGE_VAL;
    for (size_t i = 0; i < k; i++) {
        double r = sim_fairshare_capacity(n->fs, links[i]) /
                   (double)(sim_fairshare_link_flows(n->fs, links[i]) + 1);
        if (r < rate)
            rate = r;
    }
    return lat + (edge_time)ceil(bytes / rate);
}

void sim_net_observe(sim_net *n, size_t region, size_t group, size_t node, edge_time latency,
                     edge_time transfer)
{
    int bad = 0;
    obs *o[4] = {&n->all, region < n->sc->nregions ? &n->group[region] : NULL, NULL,
                 group < n->spec->ngroups ? &n->cgroup[group] : NULL};
    if (node < n->sc->nnodes) {
        sim_tier t = (sim_tier)n->node_tier[node];
        o[2] = &n->tier[t];
        n->tier_seen |= 1u << t;
    }
    for (int i = 0; i < 4; i++)
        if (o[i]) {
            bad |= edge_histogram_record(&o[i]->latency, latency) != EDGE_OK;
            bad |= edge_histogram_record(&o[i]->transfer, transfer) != EDGE_OK;
        }
    if (latency > 0)
        bad |= edge_histogram_record(&n->share_ppm,
                                     (int64_t)llround(1e6 * (double)transfer / (double)latency)) !=
               EDGE_OK;
    if (bad)
        fail(n, EDGE_NOMEM);
}

/* ---- outputs ---- */

int sim_net_sample(sim_net *n, edge_time now)
{
    for (size_t l = 0; l < n->spec->nlinks; l++) {
        sim_fairshare_link_stats st;
        sim_fairshare_link_stats_at(n->fs, l, now, &st);
        n->delta[l] = st.bytes - n->sampled[l];
        n->sampled[l] = st.bytes;
    }
    return sim_linkseries_add(n->series, now, n->delta);
}

typedef struct link_row {
    double bytes, busy, mean_flows, util_mean, util_max;
} link_row;

static link_row link_figures(const sim_net *n, size_t l, edge_time end)
{
    sim_fairshare_link_stats st;
    sim_fairshare_link_stats_at(n->fs, l, end, &st);
    double span = end > 0 ? (double)end : 1;
    double cap = n->spec->links[l].bytes_per_ns;
    link_row r = {st.bytes, (double)st.busy / span, st.flows_integral / span,
                  st.bytes / (cap * span), st.util_max};
    if (r.util_mean > 1)
        r.util_mean = 1;
    return r;
}

double sim_net_energy_j(const sim_net *n)
{
    double j = 0;
    for (int k = 0; k < SIM_LINK_CLASSES; k++)
        j += n->class_bytes[k] * n->spec->nj_per_byte[k] * 1e-9;
    return j;
}

/* A CSV output of the network: the file (written to a temporary and renamed
 * into place by sim_outfile) and a row writer over it. */
typedef struct net_csv {
    char path[4096];
    sim_outfile o;
    sim__csvw *w;
} net_csv;

/* Opens outdir/name with its header line. Returns 0, or -1 with err set. */
static int csv_open(net_csv *c, const char *outdir, const char *name, const char *header,
                    char *err, size_t errlen)
{
    snprintf(c->path, sizeof c->path, "%s/%s", outdir, name);
    if (sim_outfile_open(&c->o, c->path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", c->path, strerror(errno));
        return -1;
    }
    if (!(c->w = malloc(sizeof *c->w))) {
        sim_outfile_abort(&c->o);
        snprintf(err, errlen, "cannot write %s: out of memory", c->path);
        return -1;
    }
    c->w->fp = c->o.fp;
    c->w->len = 0;
    sim__csvw_str(c->w, header);
    return 0;
}

/* Writes out the rows and puts the file in place. Returns 0, or -1 with
 * err set. */
static int csv_close(net_csv *c, char *err, size_t errlen)
{
    sim__csvw_flush(c->w);
    free(c->w);
    c->w = NULL;
    if (sim_outfile_commit(&c->o) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", c->path, strerror(errno));
        return -1;
    }
    return 0;
}

int sim_net_write_links(const sim_net *n, const char *outdir, edge_time end, char *err,
                        size_t errlen)
{
    net_csv c;
    if (csv_open(&c, outdir, "links.csv",
                 "link,class,capacity_bps,latency_s,bytes,busy_fraction,mean_flows,"
                 "utilisation_mean,utilisation_max,energy_j\n",
                 err, errlen) != 0)
        return -1;
    sim__csvw *w = c.w;
    /* the cells of "%s,%s,%.0f,%.9f,%.0f,%.6f,%.6f,%.6f,%.6f,%.6f", each
     * formatted once into the row (sim/output/csvw.h: printf's text) */
    for (size_t l = 0; l < n->spec->nlinks; l++) {
        const sim_link_spec *s = &n->spec->links[l];
        link_row r = link_figures(n, l, end);
        const double cells[8] = {s->bytes_per_ns * 8e9, (double)s->latency / 1e9, r.bytes,
                                 r.busy, r.mean_flows, r.util_mean, r.util_max,
                                 n->link_bytes_done[l] * n->spec->nj_per_byte[s->cls] * 1e-9};
        static const int decimals[8] = {0, 9, 0, 6, 6, 6, 6, 6};
        sim__csvw_str(w, s->id);
        sim__csvw_char(w, ',');
        sim__csvw_str(w, sim_link_class_name(s->cls));
        for (int k = 0; k < 8; k++) {
            sim__csvw_char(w, ',');
            sim__csvw_fixed(w, cells[k], decimals[k]);
        }
        sim__csvw_char(w, '\n');
    }
    return csv_close(&c, err, errlen);
}

/* The k links of highest mean utilisation up to end that carried bytes,
 * highest first (ties: file order), into pick[0..return). */
static size_t busiest(const sim_net *n, edge_time end, size_t *pick, size_t k);

int sim_net_write_link_series(const sim_net *n, const char *outdir, edge_time end, char *err,
                              size_t errlen)
{
    size_t pick[SIM_NET_SERIES_LINKS];
    size_t k = busiest(n, end, pick, SIM_NET_SERIES_LINKS);
    net_csv c;
    if (csv_open(&c, outdir, "link_series.csv", "t_start_s,t_end_s,rank,link,utilisation\n",
                 err, errlen) != 0)
        return -1;
    sim__csvw *w = c.w;
    edge_time t0 = 0;
    for (size_t r = 0; r < sim_linkseries_rows(n->series); r++) {
        edge_time t1 = sim_linkseries_t_end(n->series, r);
        for (size_t i = 0; i < k && t1 > t0; i++) {
            const sim_link_spec *s = &n->spec->links[pick[i]];
            double u = sim_linkseries_bytes(n->series, r, pick[i]) /
                       (s->bytes_per_ns * (double)(t1 - t0));
            /* "%.9f,%.9f,%zu,%s,%.6f" */
            sim__csvw_fixed(w, (double)t0 / 1e9, 9);
            sim__csvw_char(w, ',');
            sim__csvw_fixed(w, (double)t1 / 1e9, 9);
            sim__csvw_char(w, ',');
            sim__csvw_u64(w, i + 1);
            sim__csvw_char(w, ',');
            sim__csvw_str(w, s->id);
            sim__csvw_char(w, ',');
            sim__csvw_fixed(w, u > 1 ? 1.0 : u, 6);
            sim__csvw_char(w, '\n');
        }
        t0 = t1;
    }
    return csv_close(&c, err, errlen);
}

static double secs(int64_t ns)
{
    return (double)ns / 1e9;
}

/* The figures of o into j (one entry of "client_groups"); 0, or -1 when
 * out of memory. */
static int obs_fields(const obs *o, cJSON *j)
{
    const edge_histogram *l = &o->latency, *t = &o->transfer;
    int ok = cJSON_AddNumberToObject(j, "count", (double)l->count) != NULL;
    ok &= cJSON_AddNumberToObject(j, "latency_mean_s",
                                  l->count ? edge_histogram_mean(l) / 1e9 : 0.0) != NULL;
    ok &= cJSON_AddNumberToObject(j, "latency_p99_s",
                                  l->count ? secs(edge_histogram_quantile(l, 0.99)) : 0.0) != NULL;
    ok &= cJSON_AddNumberToObject(j, "transfer_mean_s",
                                  t->count ? edge_histogram_mean(t) / 1e9 : 0.0) != NULL;
    ok &= cJSON_AddNumberToObject(j, "transfer_p99_s",
                                  t->count ? secs(edge_histogram_quantile(t, 0.99)) : 0.0) != NULL;
    return ok ? 0 : -1;
}

static cJSON *obs_json(const obs *o)
{
    cJSON *j = cJSON_CreateObject();
    if (j && obs_fields(o, j) != 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

int sim_net_group_figures(const sim_net *n, size_t g, cJSON *into)
{
    return g < n->spec->ngroups && into ? obs_fields(&n->cgroup[g], into) : -1;
}

/* Links listed by name in the summary; links.csv has all of them. */
#define NET_SUMMARY_LINKS 32

cJSON *sim_net_summary(const sim_net *n, edge_time end)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const sim_netspec *s = n->spec;
    cJSON_AddNumberToObject(o, "transfers", (double)n->ndone);
    cJSON_AddNumberToObject(o, "transfers_in_flight_at_end", (double)(n->sent - n->ndone));
    const edge_histogram *sh = &n->share_ppm;
    cJSON *share = cJSON_AddObjectToObject(o, "transfer_share");
    cJSON_AddNumberToObject(share, "mean", sh->count ? edge_histogram_mean(sh) / 1e6 : 0.0);
    cJSON_AddNumberToObject(share, "p99",
                            sh->count ? (double)edge_histogram_quantile(sh, 0.99) / 1e6 : 0.0);
    cJSON *by = cJSON_AddObjectToObject(o, "bytes_by_class");
    cJSON *en = cJSON_AddObjectToObject(o, "energy_j");
    for (int k = 0; k < SIM_LINK_CLASSES; k++) {
        cJSON_AddNumberToObject(by, sim_link_class_name((sim_link_class)k),
                                round(n->class_bytes[k]));
        cJSON_AddNumberToObject(en, sim_link_class_name((sim_link_class)k),
                                n->class_bytes[k] * s->nj_per_byte[k] * 1e-9);
    }
    cJSON_AddNumberToObject(en, "total", sim_net_energy_j(n));
    /* the busiest links by bytes (ties: file order) */
    size_t nl = s->nlinks, top = nl < NET_SUMMARY_LINKS ? nl : NET_SUMMARY_LINKS;
    size_t *pick = malloc((top ? top : 1) * sizeof *pick);
    double *val = malloc((top ? top : 1) * sizeof *val);
    cJSON *links = cJSON_AddObjectToObject(o, "links");
    if (!pick || !val || !links) {
        free(pick);
        free(val);
        cJSON_Delete(o);
        return NULL;
    }
    size_t have = 0;
    for (size_t l = 0; l < nl; l++) {
        double b = link_figures(n, l, end).bytes;
        if (have == top && !(b > val[have - 1]))
            continue;
        size_t i = have < top ? have++ : have - 1;
        while (i > 0 && b > val[i - 1]) {
            pick[i] = pick[i - 1];
            val[i] = val[i - 1];
            i--;
        }
        pick[i] = l;
        val[i] = b;
    }
    for (size_t i = 0; i < have; i++) {
        link_row r = link_figures(n, pick[i], end);
        cJSON *lj = cJSON_AddObjectToObject(links, s->links[pick[i]].id);
        cJSON_AddNumberToObject(lj, "utilisation_mean", r.util_mean);
        cJSON_AddNumberToObject(lj, "utilisation_max", r.util_max);
        cJSON_AddNumberToObject(lj, "mean_flows", r.mean_flows);
        cJSON_AddNumberToObject(lj, "bytes", round(r.bytes));
    }
    free(pick);
    free(val);
    cJSON_AddItemToObject(o, "all", obs_json(&n->all));
    cJSON *tiers = cJSON_AddObjectToObject(o, "tiers");
    for (int t = 0; t < SIM_TIERS; t++)
        if (n->tier_seen & (1u << t))
            cJSON_AddItemToObject(tiers, sim_tier_name((sim_tier)t), obs_json(&n->tier[t]));
    cJSON *groups = cJSON_AddObjectToObject(o, "client_groups");
    for (size_t r = 0; r < n->sc->nregions; r++)
        if (n->group[r].latency.count)
            cJSON_AddItemToObject(groups, n->sc->regions[r].name, obs_json(&n->group[r]));
    return o;
}

static size_t busiest(const sim_net *n, edge_time end, size_t *pick, size_t k)
{
    double val[SIM_NET_SERIES_LINKS];
    size_t have = 0;
    if (k > SIM_NET_SERIES_LINKS)
        k = SIM_NET_SERIES_LINKS;
    for (size_t l = 0; l < n->spec->nlinks && k; l++) {
        link_row r = link_figures(n, l, end);
        double u = r.util_mean;
        if (!(r.bytes > 0) || (have == k && !(u > val[have - 1])))
            continue;
        size_t i = have < k ? have++ : have - 1;
        while (i > 0 && u > val[i - 1]) {
            pick[i] = pick[i - 1];
            val[i] = val[i - 1];
            i--;
        }
        pick[i] = l;
        val[i] = u;
    }
    return have;
}

void sim_net_get_counts(const sim_net *n, sim_net_counts *out)
{
    sim_fairshare_counts c;
    sim_fairshare_get_counts(n->fs, &c);
    out->sent = n->sent;
    out->done = n->ndone;
    out->reschedules = n->reschedules;
    out->recomputes = c.recomputes;
    out->groups_visited = c.groups_visited;
}
