/*
 * netspec_data.c — the sim_netspec record itself (netspec.h): a new empty
 * one, its free, and the nearest-region rule on regions' points. Below both
 * of its readers, netspec.c (links, payloads, tiers) and clients.c (client
 * groups), which each fill a part of it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "engine/dist.h"
#include "scenario/netspec.h"
#include "scenario/reader_shim.h"

void sim_netspec_free(sim_netspec *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nlinks; i++)
        free(n->links[i].id);
    free(n->links);
    free(n->access_of);
    free(n->uplink_of);
    free(n->backbone);
    for (size_t f = 0; f < n->nfunctions; f++) {
        if (n->request)
            sim_dist_destroy(n->request[f]);
        if (n->response)
            sim_dist_destroy(n->response[f]);
    }
    free(n->request);
    free(n->response);
    free(n->tier);
    for (size_t g = 0; g < n->ngroups; g++) {
        sim_dist_destroy(n->groups[g].pause);
        free(n->groups[g].id);
        free(n->groups[g].rates);
        free(n->groups[g].times);
        free(n->groups[g].regions);
    }
    free(n->groups);
    free(n->x);
    free(n->y);
    free(n);
}

sim_netspec *sim__netspec_new(sim__scn *c)
{
    sim_netspec *n = calloc(1, sizeof *n);
    if (!n)
        return sim__scn_oom(c);
    const sim_scenario *s = sim__scn_scenario(c);
    size_t nn = s->nnodes, nr = s->nregions, nf = s->nfunctions;
    n->nnodes = nn;
    n->nregions = nr;
    n->nfunctions = nf;
    n->access_of = malloc((nn ? nn : 1) * sizeof *n->access_of);
    n->uplink_of = malloc((nr ? nr : 1) * sizeof *n->uplink_of);
    n->backbone = malloc((nr ? nr * nr : 1) * sizeof *n->backbone);
    n->request = calloc(nf ? nf : 1, sizeof *n->request);
    n->response = calloc(nf ? nf : 1, sizeof *n->response);
    n->tier = calloc(nr ? nr : 1, sizeof *n->tier);
    if (!n->access_of || !n->uplink_of || !n->backbone || !n->request || !n->response ||
        !n->tier) {
        sim_netspec_free(n);
        return sim__scn_oom(c);
    }
    for (size_t i = 0; i < nn; i++)
        n->access_of[i] = SIZE_MAX;
    for (size_t i = 0; i < nr; i++)
        n->uplink_of[i] = SIZE_MAX;
    for (size_t i = 0; i < nr * nr; i++)
        n->backbone[i] = SIZE_MAX;
    return n;
}

size_t sim_netspec_nearest(const sim_netspec *n, double x, double y)
{
    size_t best = SIZE_MAX;
    double bd = 0;
    for (size_t g = 0; n && n->x && g < n->nregions; g++) {
        if (isnan(n->x[g]))
            continue;
        double dx = x - n->x[g], dy = y - n->y[g], d = dx * dx + dy * dy;
        if (best == SIZE_MAX || d < bd) {
            best = g;
            bd = d;
        }
    }
    return best;
}
