/*
 * pack.c — deployment placement as an ABI version 2 plugin
 * (edge_policy_plugin.h, its placement table; docs/plugins.md).
 *
 * Best-fit packing: a replica goes to the usable candidate (ONLINE or
 * DEGRADED) with the least free memory that still holds the function (ties:
 * the earliest in node order), so big nodes stay free for big functions;
 * when none holds it the placement is refused (no_eligible_node), where the
 * built-in least_loaded places by deployment count whatever the memory.
 * With "region": R only nodes of region index R are candidates.
 *
 * params: {"region": -1}   (-1: any region)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"

typedef struct state {
    long region;
} state;

/* The number after "key": in a flat JSON object, or def. */
static double param(const char *json, const char *key, double def)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? strtod(p + strlen(pat), NULL) : def;
}

static void *create(const char *params, size_t nfunctions, size_t nnodes, char *err,
                    size_t errlen)
{
    (void)nfunctions;
    (void)nnodes;
    state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->region = (long)param(params, "region", -1);
    return s;
}

static void destroy(void *st)
{
    free(st);
}

static long place(void *st, const edge_policy_place_request *req)
{
    const state *s = st;
    long best = EDGE_POLICY_NONE;
    for (size_t k = 0; k < req->ncandidates; k++) {
        const edge_policy_place_candidate *c = &req->candidates[k];
        if (!c->usable || c->free_memory_mb < req->memory_mb ||
            (s->region >= 0 && c->region != (uint32_t)s->region))
            continue;
        if (best < 0 || c->free_memory_mb < req->candidates[best].free_memory_mb)
            best = (long)k;
    }
    return best;
}

static const edge_policy_placement placement = {place};

const edge_policy_plugin2 edge_policy_plugin_v2 = {
    .abi_version = EDGE_POLICY_ABI_VERSION_2,
    .size = sizeof(edge_policy_plugin2),
    .name = "pack",
    .create = create,
    .destroy = destroy,
    .placement = &placement,
};
