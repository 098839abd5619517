/*
 * gap_ttl.c — a keep-alive policy as an ABI version 2 plugin
 * (edge_policy_plugin.h; docs/plugins.md).
 *
 * "Gap-aware TTL": per function, an exponentially weighted mean of the gaps
 * between its invocations' ends; after each invocation its idle instance
 * stays loaded for factor x that mean, capped at max_ttl_s, and not at all
 * while the mean gap is beyond the cap (an instance that will most likely
 * expire unused only wastes memory). Until a function has a gap, the
 * scenario's own keep-alive decides (EDGE_POLICY_DEFAULT).
 *
 * params: {"factor": 2, "max_ttl_s": 600, "alpha": 0.3}
 * Build: make (see the Makefile); use: policies.plugin.path in a scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"

typedef struct fn_state {
    int64_t last_end;  /* -1: none yet */
    double gap_ns;     /* EWMA of gaps; 0: none yet */
} fn_state;

typedef struct state {
    double factor, max_ttl_ns, alpha;
    size_t nfunctions;
    fn_state fn[];
} state;

/* The number after "key": in a flat JSON object, or def. Enough for these
 * params; a real plugin would use a JSON library. */
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
    (void)nnodes;
    state *s = calloc(1, sizeof *s + nfunctions * sizeof s->fn[0]);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->factor = param(params, "factor", 2);
    s->max_ttl_ns = param(params, "max_ttl_s", 600) * 1e9;
    s->alpha = param(params, "alpha", 0.3);
    if (!(s->factor > 0) || !(s->max_ttl_ns >= 0) || !(s->alpha > 0 && s->alpha <= 1)) {
        snprintf(err, errlen, "expected factor > 0, max_ttl_s >= 0, 0 < alpha <= 1");
        free(s);
        return NULL;
    }
    s->nfunctions = nfunctions;
    for (size_t f = 0; f < nfunctions; f++)
        s->fn[f].last_end = -1;
    return s;
}

static void destroy(void *st)
{
    free(st);
}

static int64_t keep_ns(void *st, const edge_policy_keepalive_request *req)
{
    state *s = st;
    fn_state *f = &s->fn[req->function];
    if (f->last_end >= 0) {
        double gap = (double)(req->now - f->last_end);
        f->gap_ns = f->gap_ns > 0 ? s->alpha * gap + (1 - s->alpha) * f->gap_ns : gap;
    }
    f->last_end = req->now;
    if (f->gap_ns <= 0)
        return EDGE_POLICY_DEFAULT;
    if (f->gap_ns > s->max_ttl_ns)
        return 0;
    double ttl = s->factor * f->gap_ns;
    return (int64_t)(ttl < s->max_ttl_ns ? ttl : s->max_ttl_ns);
}

static const edge_policy_keepalive keepalive = {keep_ns};

const edge_policy_plugin2 edge_policy_plugin_v2 = {
    .abi_version = EDGE_POLICY_ABI_VERSION_2,
    .size = sizeof(edge_policy_plugin2),
    .name = "gap_ttl",
    .create = create,
    .destroy = destroy,
    .keepalive = &keepalive,
};
