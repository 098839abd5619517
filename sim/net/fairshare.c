/*
 * fairshare.c — max-min fair sharing of links among flows (fairshare.h).
 *
 * Each link keeps the ids of the flows crossing it in an unordered array;
 * each flow keeps, per hop, its position in that link's array, so adding
 * and removing a flow are O(hops). A start or an end walks the component
 * of the changed flow (breadth first, marks are epochs so nothing is
 * cleared), brings the component's links and flows up to now, and runs
 * progressive filling over it. Order of everything is the order of the
 * walk, which depends only on the sequence of calls: runs are repeatable.
 */
#include "net/fairshare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fs_flow {
    double remaining; /* bytes left at `since` */
    double rate;      /* bytes/ns */
    double next_rate; /* scratch of a recomputation */
    edge_time since;
    uint32_t links[SIM_FAIRSHARE_MAX_HOPS];
    uint32_t pos[SIM_FAIRSHARE_MAX_HOPS]; /* index in links[k]'s array */
    uint32_t mark;                        /* epoch of the last walk that saw it */
    uint32_t next_free;
    uint8_t nhops, active, fixed, fresh; /* fresh: started, not yet in a flush */
} fs_flow;

typedef struct fs_link {
    double cap;    /* bytes/ns */
    double used;   /* sum of its flows' rates */
    uint32_t *flows, n, room;
    uint32_t mark; /* epoch */
    /* accounting up to `since` */
    edge_time since, busy;
    double bytes, flows_integral, util_max;
    /* scratch of a recomputation */
    double rem;
    uint32_t unfixed;
} fs_link;

struct sim_fairshare {
    fs_link *links;
    size_t nlinks;
    fs_flow *flows;
    size_t nflows_cap, active;
    uint32_t free_head;
    uint32_t epoch;
    edge_time last_now;
    /* a walk's component and the changed list, reused */
    uint32_t *comp_links, *comp_flows, *changed;
    size_t ncomp_links, ncomp_flows, nchanged, comp_flows_room, changed_room;
    sim_fairshare_counts counts;
    /* changes waiting for the flush: the links they touched, started flows
     * without links */
    uint32_t *pend, *pend_zero;
    size_t npend, pend_room, npend_zero, pend_zero_room;
    int deferred;
};

#define FS_NONE UINT32_MAX

sim_fairshare *sim_fairshare_create(size_t nlinks, const double *capacity)
{
    sim_fairshare *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->links = calloc(nlinks ? nlinks : 1, sizeof *s->links);
    s->comp_links = malloc((nlinks ? nlinks : 1) * sizeof *s->comp_links);
    if (!s->links || !s->comp_links)
        goto fail;
    s->nlinks = nlinks;
    for (size_t l = 0; l < nlinks; l++) {
        if (!(capacity[l] > 0) || !isfinite(capacity[l]))
            goto fail;
        s->links[l].cap = capacity[l];
    }
    s->free_head = FS_NONE;
    return s;
fail:
    sim_fairshare_free(s);
    return NULL;
}

void sim_fairshare_free(sim_fairshare *s)
{
    if (!s)
        return;
    if (s->links)
        for (size_t l = 0; l < s->nlinks; l++)
            free(s->links[l].flows);
    free(s->links);
    free(s->flows);
    free(s->comp_links);
    free(s->comp_flows);
    free(s->changed);
    free(s->pend);
    free(s->pend_zero);
    free(s);
}

static int grow_u32(uint32_t **a, size_t *room, size_t need)
{
    if (need <= *room)
        return 0;
    size_t n = *room ? *room * 2 : 64;
    while (n < need)
        n *= 2;
    uint32_t *p = realloc(*a, n * sizeof *p);
    if (!p)
        return -1;
    *a = p;
    *room = n;
    return 0;
}

/* Makes sure a new flow id, the component arrays and every link on the
 * route have room, so that nothing can fail after the state starts to
 * change. */
static int reserve(sim_fairshare *s, const uint32_t *links, size_t nhops)
{
    if (s->free_head == FS_NONE) {
        size_t cap = s->nflows_cap ? s->nflows_cap * 2 : 64;
        if (cap > UINT32_MAX - 1)
            return -1;
        fs_flow *p = realloc(s->flows, cap * sizeof *p);
        if (!p)
            return -1;
        s->flows = p;
        for (size_t i = cap; i-- > s->nflows_cap;) {
            memset(&p[i], 0, sizeof p[i]);
            p[i].next_free = s->free_head;
            s->free_head = (uint32_t)i;
        }
        s->nflows_cap = cap;
    }
    if (grow_u32(&s->comp_flows, &s->comp_flows_room, s->active + 1) ||
        grow_u32(&s->changed, &s->changed_room, s->active + 1))
        return -1;
    for (size_t k = 0; k < nhops; k++) {
        fs_link *l = &s->links[links[k]];
        size_t room = l->room;
        if (grow_u32(&l->flows, &room, (size_t)l->n + 1))
            return -1;
        l->room = (uint32_t)room;
    }
    return 0;
}

/* Link accounting from l->since to now at its current rates and count. */
static void settle_link(fs_link *l, edge_time now)
{
    edge_time dt = now - l->since;
    if (dt > 0) {
        l->bytes += l->used * (double)dt;
        l->flows_integral += (double)l->n * (double)dt;
        if (l->n)
            l->busy += dt;
    }
    l->since = now;
}

static void settle_flow(fs_flow *f, edge_time now)
{
    edge_time dt = now - f->since;
    if (dt > 0 && f->rate > 0) {
        f->remaining -= f->rate * (double)dt;
        if (f->remaining < 0)
            f->remaining = 0;
    }
    f->since = now;
}

/* The component of the seed links: every link reachable through flows. */
static void walk(sim_fairshare *s, const uint32_t *seeds, size_t nseeds)
{
    uint32_t ep = ++s->epoch;
    if (ep == 0) { /* wrapped: clear the marks once */
        for (size_t l = 0; l < s->nlinks; l++)
            s->links[l].mark = 0;
        for (size_t i = 0; i < s->nflows_cap; i++)
            s->flows[i].mark = 0;
        ep = s->epoch = 1;
    }
    s->ncomp_links = s->ncomp_flows = 0;
    for (size_t k = 0; k < nseeds; k++) {
        fs_link *l = &s->links[seeds[k]];
        if (l->mark != ep) {
            l->mark = ep;
            s->comp_links[s->ncomp_links++] = seeds[k];
        }
    }
    for (size_t q = 0; q < s->ncomp_links; q++) {
        const fs_link *l = &s->links[s->comp_links[q]];
        for (uint32_t j = 0; j < l->n; j++) {
            fs_flow *f = &s->flows[l->flows[j]];
            if (f->mark == ep)
                continue;
            f->mark = ep;
            s->comp_flows[s->ncomp_flows++] = l->flows[j];
            for (uint8_t h = 0; h < f->nhops; h++) {
                fs_link *m = &s->links[f->links[h]];
                if (m->mark != ep) {
                    m->mark = ep;
                    s->comp_links[s->ncomp_links++] = f->links[h];
                }
            }
        }
    }
    s->counts.flows_visited += s->ncomp_flows;
}

static void settle_component(sim_fairshare *s, edge_time now)
{
    for (size_t q = 0; q < s->ncomp_links; q++)
        settle_link(&s->links[s->comp_links[q]], now);
    for (size_t q = 0; q < s->ncomp_flows; q++)
        settle_flow(&s->flows[s->comp_flows[q]], now);
}

/* Progressive filling over the component (comp_flows, comp_links); fills
 * the changed list with the flows whose rate changed and the fresh ones. */
static void fill(sim_fairshare *s)
{
    s->counts.recomputes++;
    for (size_t q = 0; q < s->ncomp_links; q++) {
        fs_link *l = &s->links[s->comp_links[q]];
        l->rem = l->cap;
        l->unfixed = l->n;
    }
    for (size_t q = 0; q < s->ncomp_flows; q++)
        s->flows[s->comp_flows[q]].fixed = 0;
    for (;;) {
        fs_link *best = NULL;
        double share = 0;
        for (size_t q = 0; q < s->ncomp_links; q++) {
            fs_link *l = &s->links[s->comp_links[q]];
            if (!l->unfixed)
                continue;
            double x = (l->rem > 0 ? l->rem : 0) / (double)l->unfixed;
            if (!best || x < share) {
                best = l;
                share = x;
            }
        }
        if (!best)
            break;
        for (uint32_t j = 0; j < best->n; j++) {
            fs_flow *f = &s->flows[best->flows[j]];
            if (f->fixed)
                continue;
            f->fixed = 1;
            f->next_rate = share;
            for (uint8_t h = 0; h < f->nhops; h++) {
                fs_link *m = &s->links[f->links[h]];
                m->rem -= share;
                m->unfixed--;
            }
        }
    }
    s->nchanged = 0;
    for (size_t q = 0; q < s->ncomp_flows; q++) {
        uint32_t id = s->comp_flows[q];
        fs_flow *f = &s->flows[id];
        if (f->next_rate != f->rate || f->fresh) {
            f->rate = f->next_rate;
            f->fresh = 0;
            s->changed[s->nchanged++] = id;
        }
    }
    s->counts.rate_changes += s->nchanged;
    for (size_t q = 0; q < s->ncomp_links; q++) {
        fs_link *l = &s->links[s->comp_links[q]];
        double used = 0;
        for (uint32_t j = 0; j < l->n; j++)
            used += s->flows[l->flows[j]].rate;
        l->used = used;
        double u = used / l->cap;
        if (u > 1)
            u = 1; /* rounding of the shares */
        if (u > l->util_max)
            l->util_max = u;
    }
}

static int grow_pend(sim_fairshare *s, size_t more)
{
    return grow_u32(&s->pend, &s->pend_room, s->npend + more) ||
           grow_u32(&s->pend_zero, &s->pend_zero_room, s->npend_zero + 1);
}

edge_err sim_fairshare_start(sim_fairshare *s, edge_time now, const uint32_t *links,
                             size_t nhops, double bytes, uint32_t *id)
{
    if (!s || !id || (nhops && !links) || nhops > SIM_FAIRSHARE_MAX_HOPS || !(bytes > 0) ||
        !isfinite(bytes) || now < s->last_now)
        return EDGE_INVAL;
    for (size_t k = 0; k < nhops; k++) {
        if (links[k] >= s->nlinks)
            return EDGE_INVAL;
        for (size_t j = 0; j < k; j++)
            if (links[j] == links[k])
                return EDGE_INVAL;
    }
    if (reserve(s, links, nhops) || grow_pend(s, nhops))
        return EDGE_NOMEM;
    s->last_now = now;
    uint32_t fid = s->free_head;
    fs_flow *f = &s->flows[fid];
    s->free_head = f->next_free;
    uint32_t mark = f->mark;
    memset(f, 0, sizeof *f);
    f->mark = mark;
    f->remaining = bytes;
    f->since = now;
    f->active = 1;
    f->fresh = 1;
    f->nhops = (uint8_t)nhops;
    s->active++;
    s->counts.starts++;
    *id = fid;
    if (nhops == 0) { /* no link in the way: through at once */
        f->rate = HUGE_VAL;
        s->pend_zero[s->npend_zero++] = fid;
    }
    /* The links' counts change now: their accounting is brought up to now
     * first; the rates change at the flush. */
    for (size_t k = 0; k < nhops; k++) {
        fs_link *l = &s->links[links[k]];
        settle_link(l, now);
        f->links[k] = links[k];
        f->pos[k] = l->n;
        l->flows[l->n++] = fid;
        s->pend[s->npend++] = links[k];
    }
    return s->deferred ? EDGE_OK : sim_fairshare_flush(s, now);
}

static void unlink_flow(sim_fairshare *s, uint32_t fid)
{
    fs_flow *f = &s->flows[fid];
    for (uint8_t h = 0; h < f->nhops; h++) {
        fs_link *l = &s->links[f->links[h]];
        uint32_t p = f->pos[h];
        uint32_t last = l->flows[--l->n];
        if (last != fid) {
            l->flows[p] = last;
            fs_flow *g = &s->flows[last];
            for (uint8_t k = 0; k < g->nhops; k++)
                if (g->links[k] == f->links[h]) {
                    g->pos[k] = p;
                    break;
                }
        }
    }
}

edge_err sim_fairshare_end(sim_fairshare *s, edge_time now, uint32_t id)
{
    if (!s || id >= s->nflows_cap || !s->flows[id].active || now < s->last_now)
        return EDGE_INVAL;
    fs_flow *f = &s->flows[id];
    if (grow_pend(s, f->nhops))
        return EDGE_NOMEM;
    s->last_now = now;
    s->counts.ends++;
    for (uint8_t h = 0; h < f->nhops; h++) {
        settle_link(&s->links[f->links[h]], now);
        s->pend[s->npend++] = f->links[h];
    }
    unlink_flow(s, id);
    f->active = 0;
    f->fresh = 0;
    f->nhops = 0;
    f->next_free = s->free_head;
    s->free_head = id;
    s->active--;
    return s->deferred ? EDGE_OK : sim_fairshare_flush(s, now);
}

void sim_fairshare_set_deferred(sim_fairshare *s, int on)
{
    s->deferred = on != 0;
}

edge_err sim_fairshare_flush(sim_fairshare *s, edge_time now)
{
    if (now < s->last_now)
        return EDGE_INVAL;
    s->last_now = now;
    s->nchanged = 0;
    if (s->npend) {
        walk(s, s->pend, s->npend);
        settle_component(s, now);
        fill(s);
    }
    for (size_t i = 0; i < s->npend_zero; i++) { /* room: changed holds every active flow */
        fs_flow *f = &s->flows[s->pend_zero[i]];
        if (f->active && f->fresh) {
            f->fresh = 0;
            s->changed[s->nchanged++] = s->pend_zero[i];
        }
    }
    s->npend = s->npend_zero = 0;
    return EDGE_OK;
}

size_t sim_fairshare_changed(const sim_fairshare *s, const uint32_t **ids)
{
    *ids = s->changed;
    return s->nchanged;
}

double sim_fairshare_rate(const sim_fairshare *s, uint32_t id)
{
    return s->flows[id].rate;
}

edge_time sim_fairshare_finish(const sim_fairshare *s, uint32_t id)
{
    const fs_flow *f = &s->flows[id];
    if (f->nhops == 0 || f->remaining <= 0)
        return f->since;
    if (!(f->rate > 0))
        return EDGE_TIME_MAX;
    double q = f->remaining / f->rate;
    if (q >= 9.0e18)
        return EDGE_TIME_MAX;
    double whole = floor(q);
    if (q - whole > 1e-9 * q)
        whole += 1;
    return f->since + (edge_time)whole;
}

size_t sim_fairshare_active(const sim_fairshare *s)
{
    return s->active;
}

double sim_fairshare_capacity(const sim_fairshare *s, size_t l)
{
    return s->links[l].cap;
}

uint32_t sim_fairshare_link_flows(const sim_fairshare *s, size_t l)
{
    return s->links[l].n;
}

void sim_fairshare_link_stats_at(const sim_fairshare *s, size_t l, edge_time now,
                                 sim_fairshare_link_stats *out)
{
    fs_link k = s->links[l];
    settle_link(&k, now);
    out->bytes = k.bytes;
    out->busy = k.busy;
    out->flows_integral = k.flows_integral;
    out->util_max = k.util_max;
    out->flows = k.n;
}

void sim_fairshare_get_counts(const sim_fairshare *s, sim_fairshare_counts *out)
{
    *out = s->counts;
}
