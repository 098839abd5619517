/*
 * gdsf.c — a keep-alive that beats a fixed TTL, as an ABI version 2 plugin
 * (edge_policy_plugin.h; docs/plugins.md): a keep-alive table and an
 * instance table's evict.
 *
 * Keep-alive: per node and function, a histogram of the gaps between its
 * invocations (NBINS geometric bins from 1 s). After each invocation its
 * keep-alive is the bin edge t that maximises, over the gaps seen,
 *     warm starts x cold-start cost - price x memory x idle time
 * (kept t, an instance serves every gap <= t warm and holds its memory
 * min(gap, t)), 0 when no t pays. So a function whose gaps mostly exceed
 * what keeping it is worth is not kept (a fixed TTL holds it and still
 * starts it cold), and one whose gaps sit just past a round TTL is kept a
 * little longer. t is 0 or within [min_ttl_s, max_ttl_s]: the gaps are
 * between the ends of invocations, which under concurrency are much shorter
 * than one instance's idle times, and a short keep-alive learned from them
 * would expire the instances a burst needs. Until a function has min_gaps
 * gaps the scenario's keep-alive holds.
 *
 * Eviction, when a cold start needs memory: Greedy-Dual-Size-Frequency
 * (Cherkasova 1998; FaasCache, Fuerst and Sharma, ASPLOS 2021). The idle
 * instance of lowest priority goes, where per node and function
 *     priority = clock + frequency x cold-start cost / memory,
 * frequency counts its invocations there since its last eviction, and the
 * node's clock rises to each evicted priority, so what was used long ago
 * ages out.
 *
 * params: {"price": 4e-6, "min_ttl_s": 600, "max_ttl_s": 7200,
 *          "min_gaps": 3, "lru": 0}
 *   price: the cold-start time that one MB held idle for the same time is
 *   worth; lru 1 leaves eviction to the runtime (to measure GDSF's part).
 * State: nnodes x nfunctions entries of NBINS counters (about 300 bytes
 * each); O(NBINS) per invocation; an eviction scans the node's idle
 * instances, O(idle).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"

/* Gaps are counted in NBINS bins of geometric width from 1 s: bin j holds
 * gaps in [edge(j-1), edge(j)), edge(j) = 1 s x RATIO^j (the last holds
 * everything longer). */
#define NBINS 64
#define RATIO 1.2

typedef struct entry {
    int64_t last;         /* the last invocation's end; -1: none yet */
    double freq;          /* invocations since its last eviction here (GDSF) */
    double prio;          /* greedy-dual priority */
    uint32_t ngaps;
    uint32_t bins[NBINS]; /* its gaps' histogram */
} entry;

typedef struct state {
    double max_ttl_ns, min_ttl_ns, price;
    int lru;              /* evict as the runtime would (to measure GDSF's part) */
    uint32_t min_gaps;
    double edge[NBINS];   /* bin upper edges, ns */
    double mid[NBINS];    /* a gap's value within its bin, ns */
    size_t nfunctions, nnodes;
    double *clock;        /* per node */
    entry *e;             /* [node * nfunctions + function] */
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

static void destroy(void *st)
{
    state *s = st;
    if (!s)
        return;
    free(s->clock);
    free(s->e);
    free(s);
}

static void *create(const char *params, size_t nfunctions, size_t nnodes, char *err,
                    size_t errlen)
{
    state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->max_ttl_ns = param(params, "max_ttl_s", 7200) * 1e9;
    s->min_ttl_ns = param(params, "min_ttl_s", 600) * 1e9;
    s->price = param(params, "price", 4e-6);
    s->lru = param(params, "lru", 0) != 0;
    double mg = param(params, "min_gaps", 3);
    if (!(s->max_ttl_ns >= 0 && s->max_ttl_ns < 9e18) || !(s->price >= 0) ||
        !(mg >= 1 && mg < 1e9)) {
        snprintf(err, errlen, "expected 0 <= max_ttl_s < 9e9, price >= 0, min_gaps >= 1");
        free(s);
        return NULL;
    }
    s->min_gaps = (uint32_t)mg;
    for (int j = 0; j < NBINS; j++) {
        s->edge[j] = 1e9 * pow(RATIO, j);
        s->mid[j] = j ? sqrt(s->edge[j - 1] * s->edge[j]) : s->edge[0] / 2;
    }
    s->nfunctions = nfunctions;
    s->nnodes = nnodes;
    s->clock = calloc(nnodes ? nnodes : 1, sizeof *s->clock);
    size_t ne = nnodes * nfunctions;
    s->e = calloc(ne ? ne : 1, sizeof *s->e);
    if (!s->clock || !s->e) {
        snprintf(err, errlen, "out of memory for %zu nodes x %zu functions", nnodes, nfunctions);
        destroy(s);
        return NULL;
    }
    for (size_t k = 0; k < ne; k++)
        s->e[k].last = -1;
    return s;
}

/* The keep-alive from the function's gaps on this node: of the bin edges,
 * the one that maximises  warm starts x cold-start cost - price x memory x
 * idle time  over the gaps seen (an instance kept t serves every gap <= t
 * warm and holds its memory min(gap, t)); 0 when keeping never pays. */
static double best_ttl(const state *s, const entry *e, double cost_ns, double memory_mb)
{
    double best = 0, best_ttl = 0, hits = 0, short_idle = 0, n = e->ngaps;
    double per_ns = s->price * memory_mb; /* cold-start ns a ns of idle memory is worth */
    for (int j = 0; j < NBINS - 1 && s->edge[j] <= s->max_ttl_ns; j++) {
        hits += e->bins[j];
        short_idle += e->bins[j] * s->mid[j];
        double idle = short_idle + (n - hits) * s->edge[j];
        double gain = hits * cost_ns - per_ns * idle;
        if (gain > best && s->edge[j] >= s->min_ttl_ns) {
            best = gain;
            best_ttl = s->edge[j];
        }
    }
    return best_ttl;
}

/* An invocation ended: its gap goes into the histogram, its GDSF priority
 * rises, and its keep-alive is the histogram's best. */
static int64_t keep_ns(void *st, const edge_policy_keepalive_request *req)
{
    state *s = st;
    entry *e = &s->e[req->node * s->nfunctions + req->function];
    if (e->last >= 0) {
        double gap = (double)(req->now - e->last);
        int j = gap < 1e9 ? 0 : (int)(log(gap / 1e9) / log(RATIO)) + 1;
        e->bins[j < NBINS ? j : NBINS - 1]++;
        e->ngaps++;
    }
    e->last = req->now;
    double mem = req->memory_mb > 1 ? req->memory_mb : 1;
    double cost = (double)req->cold_start_mean_ns;
    e->freq += 1;
    e->prio = s->clock[req->node] + e->freq * (cost / 1e9) / mem;
    if (e->ngaps < s->min_gaps)
        return EDGE_POLICY_DEFAULT;
    return (int64_t)best_ttl(s, e, cost, mem);
}

/* Memory is short: the idle instance of lowest priority goes (ties: the
 * least recently idle, the first in the list), and the node's clock rises
 * to its priority. */
static long evict(void *st, const edge_policy_instance_request *req)
{
    state *s = st;
    if (s->lru)
        return EDGE_POLICY_DEFAULT;
    const entry *row = &s->e[req->node * s->nfunctions];
    size_t best = 0;
    for (size_t k = 1; k < req->ninstances; k++)
        if (row[req->instances[k].function].prio < row[req->instances[best].function].prio)
            best = k;
    entry *e = &s->e[req->node * s->nfunctions + req->instances[best].function];
    s->clock[req->node] = e->prio;
    e->freq = 0; /* counted again from its next use, ranked from the clock */
    return (long)best;
}

static const edge_policy_keepalive keepalive = {keep_ns};
static const edge_policy_instances instances = {.evict = evict};

const edge_policy_plugin2 edge_policy_plugin_v2 = {
    .abi_version = EDGE_POLICY_ABI_VERSION_2,
    .size = sizeof(edge_policy_plugin2),
    .name = "gdsf",
    .create = create,
    .destroy = destroy,
    .keepalive = &keepalive,
    .instances = &instances,
};
