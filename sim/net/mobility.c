/*
 * mobility.c — client groups moving between regions (mobility.h).
 */
#include "net/mobility.h"

#include <stdlib.h>

#include "engine/rng.h"
#include "scenario/netspec.h"

typedef struct mgroup {
    const sim_client_group *spec;
    size_t region;
    edge_time since;     /* time accounted up to */
    edge_time next;      /* the next move, or EDGE_TIME_MAX */
    size_t k;            /* trace: the next move's index */
    uint64_t handovers;
    edge_time *time_in;  /* per region */
    sim_rng rng;
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
        size_t to;
        if (g->spec->kind == SIM_MOB_MARKOV) {
            to = markov_to(m, g);
        } else {
            to = g->spec->regions[g->k++];
        }
        if (to != g->region)
            g->handovers++;
        g->region = to;
        if (g->spec->kind == SIM_MOB_MARKOV)
            g->next = markov_next(m, g, t);
        else
            trace_next(g);
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
