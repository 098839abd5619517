/*
 * world_cache.c — the nodes' artifact caches (core/cache) in a run; the
 * rules are docs/semantics.md's "Artifact cache".
 *
 * Only when some function has an artifact (artifact_mb > 0) are caches made,
 * one per node; otherwise nothing here runs and a cold start costs what it
 * did before. Sizes go to the cache in bytes (1 MB = 10^6 bytes).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cache.h"
#include "model/world_internal.h"

static uint64_t bytes_of(double mb)
{
    double b = round(mb * 1e6);
    return b >= 1.8e19 ? UINT64_MAX : (uint64_t)b;
}

int wcache_create(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    w->cache_on = 0;
    for (size_t f = 0; f < sc->nfunctions; f++)
        if (sc->functions[f].artifact_mb > 0)
            w->cache_on = 1;
    if (!w->cache_on)
        return 0;
    w->cnodes = calloc(w->nnodes ? w->nnodes : 1, sizeof *w->cnodes);
    if (!w->cnodes) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < w->nnodes; i++) {
        if (edge_cache_new(bytes_of(sc->nodes[i].cache_mb), &w->cnodes[i].cache) != EDGE_OK) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

void wcache_free(sim_world *w)
{
    if (!w || !w->cnodes)
        return;
    for (size_t i = 0; i < w->nnodes; i++)
        edge_cache_free(w->cnodes[i].cache);
    free(w->cnodes);
    w->cnodes = NULL;
}

edge_time wcache_delay(sim_world *w, size_t node, size_t fn)
{
    const sim_function_spec *f = &w->sc->functions[fn];
    if (!(f->artifact_mb > 0))
        return 0;
    wcache_node *n = &w->cnodes[node];
    edge_time now = sim_engine_now(w->eng), ready;
    n->lookups++;
    if (edge_cache_lookup(n->cache, (uint32_t)fn, &ready)) {
        if (ready <= now) {
            n->hits++;
            return 0;
        }
        n->shared++; /* its pull is under way: wait for that one */
        n->wait_time += ready - now;
        return ready - now;
    }
    edge_time pull = edge_cache_pull_time(f->artifact_mb, w->sc->nodes[node].bandwidth_mb_per_s,
                                          w->sc->policies.registry_latency);
    n->pulls++;
    n->pulled_mb += f->artifact_mb;
    n->pull_time += pull;
    n->wait_time += pull;
    /* EDGE_LIMIT (bigger than the cache: pulled every time) and EDGE_NOMEM
     * (then the next cold start pulls again) leave it uncached. */
    uint32_t evicted = 0;
    if (edge_cache_insert(n->cache, (uint32_t)fn, bytes_of(f->artifact_mb),
                          edge_time_add_sat(now, pull),
                          &evicted) == EDGE_OK)
        n->evictions += evicted;
    return pull;
}

void wcache_crash(sim_world *w, size_t node)
{
    if (w->cache_on)
        edge_cache_drop_pending(w->cnodes[node].cache, sim_engine_now(w->eng));
}
