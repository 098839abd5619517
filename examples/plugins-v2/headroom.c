/*
 * headroom.c — an autoscaler as an ABI version 2 plugin
 * (edge_policy_plugin.h; docs/plugins.md).
 *
 * "Headroom": replicas = ceil(concurrency x (1 + headroom) / per_replica)
 * of the last tick alone, no window: it reacts within one tick and keeps a
 * margin for the load's next step. The scenario's autoscaler sets the tick
 * and clamps the answer to its bounds. At zero load it asks for
 * EDGE_POLICY_DEFAULT: the built-in rule (and its scale-to-zero grace)
 * decides.
 *
 * params: {"per_replica": 2, "headroom": 0.5}
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"

typedef struct state {
    double per_replica, headroom;
} state;

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
    state *s = malloc(sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->per_replica = param(params, "per_replica", 2);
    s->headroom = param(params, "headroom", 0.5);
    if (!(s->per_replica > 0) || !(s->headroom >= 0)) {
        snprintf(err, errlen, "expected per_replica > 0 and headroom >= 0");
        free(s);
        return NULL;
    }
    return s;
}

static void destroy(void *st)
{
    free(st);
}

static long desired(void *st, const edge_policy_autoscale_request *req)
{
    const state *s = st;
    if (req->concurrency <= 0)
        return EDGE_POLICY_DEFAULT;
    return (long)ceil(req->concurrency * (1 + s->headroom) / s->per_replica - 1e-9);
}

static const edge_policy_autoscaler autoscaler = {desired};

const edge_policy_plugin2 edge_policy_plugin_v2 = {
    .abi_version = EDGE_POLICY_ABI_VERSION_2,
    .size = sizeof(edge_policy_plugin2),
    .name = "headroom",
    .create = create,
    .destroy = destroy,
    .autoscaler = &autoscaler,
};
