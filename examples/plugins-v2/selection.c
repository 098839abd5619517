/*
 * selection.c — instance selection as an ABI version 2 plugin
 * (edge_policy_plugin.h, its instances table; docs/plugins.md).
 *
 * serve: of a function's idle instances on a node, the longest idle serves
 * a warm start (the last of the list, which runs most recently idle first):
 * every instance is kept in use by turns, as the built-in "lru" selection
 * does. evict: when a cold start needs memory, the idle instance holding the
 * most memory goes first (ties: the least recently idle, the first of that
 * list), where the built-in evicts the least recently idle whatever its
 * size: one big idle instance frees what several small ones would.
 *
 * params: {"serve": 1, "evict": 1} (0 turns a decision back to the
 * scenario's own). Build: make; use: policies.plugin.path in a scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"

typedef struct state {
    int serve, evict;
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
    s->serve = param(params, "serve", 1) != 0;
    s->evict = param(params, "evict", 1) != 0;
    return s;
}

static void destroy(void *st)
{
    free(st);
}

static long serve(void *st, const edge_policy_instance_request *req)
{
    const state *s = st;
    return s->serve ? (long)req->ninstances - 1 : EDGE_POLICY_DEFAULT;
}

static long evict(void *st, const edge_policy_instance_request *req)
{
    const state *s = st;
    if (!s->evict)
        return EDGE_POLICY_DEFAULT;
    size_t best = 0;
    for (size_t k = 1; k < req->ninstances; k++)
        if (req->instances[k].memory_mb > req->instances[best].memory_mb)
            best = k;
    return (long)best;
}

static const edge_policy_instances instances = {serve, evict};

const edge_policy_plugin2 edge_policy_plugin_v2 = {
    .abi_version = EDGE_POLICY_ABI_VERSION_2,
    .size = sizeof(edge_policy_plugin2),
    .name = "selection",
    .create = create,
    .destroy = destroy,
    .instances = &instances,
};
