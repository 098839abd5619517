/*
 * mobility.c — client groups moving between regions (mobility.h).
 */
#include "net/mobility.h"

#include <math.h>
#include <stdlib.h>

#include "engine/dist.h"
#include "engine/rng.h"
#include "scenario/netspec.h"

/* A random_waypoint group's current leg: from (px, py) at t0 to (qx, qy)
 * at t1, pausing there until t2. s is the leg parameter (0 at t0, 1 at
 * t1) of the last change of region on it; `cross` is the region the
 * pending event (at mgroup.next) moves to, or SIZE_MAX when that event is
 * the end of the pause (the next leg). */
typedef struct leg {
    double px, py, qx, qy, s;
    edge_time t0, t1, t2;
    size_t cross;
} leg;

typedef struct mgroup {
    const sim_client_group *spec;
    size_t region;
    edge_time since;     /* time accounted up to */
    edge_time next;      /* the next move, or EDGE_TIME_MAX */
    size_t k;            /* trace: the next move's index */
    uint64_t handovers;
    edge_time *time_in;  /* per region */
    sim_rng rng;
    leg w;               /* random_waypoint */
} mgroup;

struct sim_mobility {
    const sim_scenario *sc;
    mgroup *g;
    size_t ng, nr;
};

/* Markov: the time of the next move from g's region, drawn from now. */
static edge_time markov_next(sim_mobility *m, mgroup *g, edge_time now)
{
    const double *row = &g->spec->rates[g->region * m->nr];
    double q = 0;
    for (size_t b = 0; b < m->nr; b++)
        q += row[b];
    if (!(q > 0))
        return EDGE_TIME_MAX;
    double mean_ns = 1e9 / q;
    if (mean_ns > 1e16)
        return EDGE_TIME_MAX;
    edge_time d = sim_rng_exp_ns(&g->rng, mean_ns);
    return now + (d > 0 ? d : 1);
}

static size_t markov_to(sim_mobility *m, mgroup *g)
{
    const double *row = &g->spec->rates[g->region * m->nr];
    double q = 0;
    for (size_t b = 0; b < m->nr; b++)
        q += row[b];
    double u = sim_rng_uniform(&g->rng) * q;
    size_t last = g->region;
    for (size_t b = 0; b < m->nr; b++) {
        if (!(row[b] > 0))
            continue;
        last = b;
        if (u < row[b])
            return b;
        u -= row[b];
    }
    return last; /* rounding at the top end */
}

static void trace_next(mgroup *g)
{
    g->next = g->k < g->spec->nmoves ? g->spec->times[g->k] : EDGE_TIME_MAX;
}

/* ---- random_waypoint ---- */

/* The time of leg parameter s on g's leg: rounded up to the nanosecond, so
 * the region changes at the first instant the position is past the
 * boundary. */
static edge_time leg_time(const leg *w, double s)
{
    double d = ceil(s * (double)(w->t1 - w->t0));
    edge_time t = w->t0 + (edge_time)d;
    return t < w->t0 ? w->t0 : t > w->t1 ? w->t1 : t;
}

/* The first change of region on g's leg after parameter w.s: sets g->next
 * and w.cross, or, when the leg stays in g->region, the end of its pause.
 * With q_r the current region's point and A + sD the leg, region j is
 * nearer than r where a_j + b_j s < 0, a_j = 2A.(q_r - q_j) + |q_j|^2 -
 * |q_r|^2 and b_j = 2D.(q_r - q_j): the crossing is at s_j = -a_j / b_j for
 * b_j < 0. The earliest crossing wins; at equal s the region approached
 * fastest (least b_j), then the earlier region. O(regions). */
static void waypoint_next(sim_mobility *m, mgroup *g)
{
    const sim_netspec *n = m->sc->net;
    leg *w = &g->w;
    double dx = w->qx - w->px, dy = w->qy - w->py;
    double rx = n->x[g->region], ry = n->y[g->region];
    double best = INFINITY, bestb = 0;
    size_t to = SIZE_MAX;
    for (size_t j = 0; j < m->nr; j++) {
        if (j == g->region || isnan(n->x[j]))
            continue;
        double ex = rx - n->x[j], ey = ry - n->y[j];
        double b = 2 * (dx * ex + dy * ey);
        if (!(b < 0))
            continue;
        double a = 2 * (w->px * ex + w->py * ey) + (n->x[j] * n->x[j] + n->y[j] * n->y[j]) -
                   (rx * rx + ry * ry);
        double sj = -a / b;
        if (sj < w->s)
            sj = w->s; /* rounding: already past it */
        if (sj > 1)
            continue;
        if (sj < best || (sj == best && b < bestb)) {
            best = sj;
            bestb = b;
            to = j;
        }
    }
    if (to == SIZE_MAX) {
        w->cross = SIZE_MAX;
        g->next = w->t2;
        return;
    }
    w->cross = to;
    w->s = best;
    g->next = leg_time(w, best);
}

/* A new leg from the current position at time t: a waypoint uniform in the
 * area, a speed uniform in the range, a pause from its distribution (drawn
 * in this order from the group's stream). A leg lasts at least 1 ns
 * (travel + pause), so time always moves on. */
static void waypoint_leg(sim_mobility *m, mgroup *g, edge_time t)
{
    const sim_client_group *c = g->spec;
    leg *w = &g->w;
    w->px = w->qx;
    w->py = w->qy;
    w->qx = c->area[0] + sim_rng_uniform(&g->rng) * (c->area[1] - c->area[0]);
    w->qy = c->area[2] + sim_rng_uniform(&g->rng) * (c->area[3] - c->area[2]);
    double v = c->speed_kmh[0] + sim_rng_uniform(&g->rng) * (c->speed_kmh[1] - c->speed_kmh[0]);
    edge_time pause = c->pause ? sim_dist_sample_time(c->pause, &g->rng) : 0;
    double travel = hypot(w->qx - w->px, w->qy - w->py) / v * 3.6e12; /* km / (km/h) in ns */
    edge_time left = EDGE_TIME_MAX - t;
    edge_time tr = travel >= (double)left ? left : (edge_time)llround(travel);
    w->t0 = t;
    w->t1 = t + tr;
    w->t2 = pause >= EDGE_TIME_MAX - w->t1 ? EDGE_TIME_MAX : w->t1 + pause;
    if (w->t2 == t && t < EDGE_TIME_MAX)
        w->t2 = t + 1;
    w->s = 0;
    waypoint_next(m, g);
}

static void waypoint_start(sim_mobility *m, mgroup *g)
{
    const sim_netspec *n = m->sc->net;
    g->w.qx = n->x[g->spec->start];
    g->w.qy = n->y[g->spec->start];
    g->region = sim_netspec_nearest(n, g->w.qx, g->w.qy);
    waypoint_leg(m, g, 0);
}

/* The event at g->next: a change of region on the leg, or a new leg. */
static size_t waypoint_step(sim_mobility *m, mgroup *g, edge_time t)
{
    leg *w = &g->w;
    size_t to = w->cross;
    if (to == SIZE_MAX) {
        waypoint_leg(m, g, t);
        return g->region;
    }
    g->region = to;
    waypoint_next(m, g);
    return to;
}

sim_mobility *sim_mobility_create(const sim_scenario *sc, uint64_t seed)
{
    const sim_netspec *s = sc->net;
    sim_mobility *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->sc = sc;
    m->nr = sc->nregions;
    m->ng = s ? s->ngroups : 0;
    if (!(m->g = calloc(m->ng ? m->ng : 1, sizeof *m->g)))
        goto fail;
    for (size_t i = 0; i < m->ng; i++) {
        mgroup *g = &m->g[i];
        g->spec = &s->groups[i];
        g->region = g->spec->start;
        if (!(g->time_in = calloc(m->nr ? m->nr : 1, sizeof *g->time_in)))
            goto fail;
        sim_rng_derive(&g->rng, seed, "mobility", i);
        if (g->spec->kind == SIM_MOB_MARKOV)
            g->next = markov_next(m, g, 0);
        else if (g->spec->kind == SIM_MOB_WAYPOINT)
            waypoint_start(m, g);
        else
            trace_next(g);
    }
    return m;
fail:
    sim_mobility_free(m);
    return NULL;
}

void sim_mobility_free(sim_mobility *m)
{
    if (!m)
        return;
    if (m->g)
        for (size_t i = 0; i < m->ng; i++)
            free(m->g[i].time_in);
    free(m->g);
    free(m);
}

static void advance(sim_mobility *m, mgroup *g, edge_time now)
{
    while (g->next <= now) {
        edge_time t = g->next;
        g->time_in[g->region] += t - g->since;
        g->since = t;
        size_t from = g->region, to;
        if (g->spec->kind == SIM_MOB_MARKOV) {
            to = g->region = markov_to(m, g);
            g->next = markov_next(m, g, t); /* from the new region */
        } else if (g->spec->kind == SIM_MOB_WAYPOINT) {
            to = waypoint_step(m, g, t);
        } else {
            to = g->spec->regions[g->k++];
            trace_next(g);
        }
        if (to != from)
            g->handovers++;
        g->region = to;
    }
    if (now > g->since) {
        g->time_in[g->region] += now - g->since;
        g->since = now;
    }
}

size_t sim_mobility_region(sim_mobility *m, size_t group, edge_time now)
{
    mgroup *g = &m->g[group];
    advance(m, g, now);
    return g->region;
}

int sim_mobility_position(sim_mobility *m, size_t group, edge_time now, double *x, double *y)
{
    mgroup *g = &m->g[group];
    if (g->spec->kind != SIM_MOB_WAYPOINT)
        return -1;
    advance(m, g, now);
    const leg *w = &g->w;
    if (now >= w->t1 || w->t1 == w->t0) {
        *x = w->qx;
        *y = w->qy;
    } else {
        double f = (double)(now - w->t0) / (double)(w->t1 - w->t0);
        *x = w->px + f * (w->qx - w->px);
        *y = w->py + f * (w->qy - w->py);
    }
    return 0;
}

cJSON *sim_mobility_summary(sim_mobility *m, edge_time end)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (size_t i = 0; i < m->ng; i++) {
        mgroup *g = &m->g[i];
        advance(m, g, end);
        cJSON *j = cJSON_AddObjectToObject(o, g->spec->id);
        cJSON_AddNumberToObject(j, "handovers", (double)g->handovers);
        cJSON_AddStringToObject(j, "region_at_end", m->sc->regions[g->region].name);
        cJSON *f = cJSON_AddObjectToObject(j, "time_fraction");
        for (size_t r = 0; r < m->nr; r++)
            if (g->time_in[r])
                cJSON_AddNumberToObject(f, m->sc->regions[r].name,
                                        end > 0 ? (double)g->time_in[r] / (double)end : 0.0);
    }
    return o;
}
