/*
 * world_plugin.c — the plugin's instance selection and placement tables
 * (edge_policy_plugin.h, docs/plugins.md) wired into the world.
 *
 * Instance selection: each node's runtime hands its two instance decisions
 * (which idle instance serves a warm start, which idle instance a cold start
 * evicts) to the choosers below (edge_runtime_set_choosers), which show the
 * plugin the runtime's list in the ABI's shape. Placement: where a
 * least_loaded deployment or an autoscaler scale-up puts its replica; the
 * plugin sees the candidate nodes and answers one. An answer that is not an
 * index of the list (nor EDGE_POLICY_DEFAULT, nor for placement
 * EDGE_POLICY_NONE) fails the run (exit 1) with the plugin's path and the
 * value, as a routing answer does. Without those tables nothing here runs.
 *
 * Costs: a serve decision O(idle instances of the function on the node), an
 * eviction O(idle instances on the node), a placement O(nodes); the lists
 * are buffers of this module, grown as needed, never per decision.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include "cluster.h"
#include "edge_policy_plugin.h"
#include "engine/dist.h"
#include "input/plugin.h"
#include "runtime.h"
#include "model/world_internal.h"

typedef struct wplug_node {
    sim_world *w;
    uint32_t node;
} wplug_node;

struct wplug {
    const edge_policy_instances *inst;  /* or NULL */
    const edge_policy_placement *place; /* or NULL */
    void *state;                        /* the plugin's, borrowed */
    wplug_node *nodes;                  /* the choosers' contexts, per node */
    int64_t *cold_mean;                 /* per function, ns */
    edge_policy_instance *buf;
    size_t cap;
    edge_policy_place_candidate *cand;  /* nnodes */
    uint64_t served, evicted, placed, refused; /* decisions the plugin took */
};

static uint32_t choose(void *ctx, uint32_t function, edge_time now, uint32_t lacking_mb,
                       const edge_idle_instance *idle, uint32_t n);

/* A new runtime of node (w->on_runtime_new): its instance decisions go to
 * the plugin's table. */
static edge_err attach(sim_world *w, size_t node, edge_runtime *rt)
{
    wplug *p = w->wplug;
    if (!p || !p->inst)
        return EDGE_OK;
    return edge_runtime_set_choosers(rt, p->inst->serve ? choose : NULL,
                                     p->inst->evict ? choose : NULL, &p->nodes[node]);
}

int wplug_create(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    if (!w->plugin || (!sim_plugin_instances(w->plugin) && !sim_plugin_placement(w->plugin)))
        return 0;
    wplug *p = calloc(1, sizeof *p);
    if (!p)
        goto nomem;
    w->wplug = p;
    p->inst = sim_plugin_instances(w->plugin);
    p->place = sim_plugin_placement(w->plugin);
    p->state = sim_plugin_state(w->plugin);
    if (p->inst)
        w->on_runtime_new = attach;
    size_t nn = sc->nnodes ? sc->nnodes : 1, nf = sc->nfunctions ? sc->nfunctions : 1;
    p->nodes = malloc(nn * sizeof *p->nodes);
    p->cold_mean = malloc(nf * sizeof *p->cold_mean);
    p->cand = malloc(nn * sizeof *p->cand);
    if (!p->nodes || !p->cold_mean || !p->cand)
        goto nomem;
    for (size_t i = 0; i < sc->nnodes; i++)
        p->nodes[i] = (wplug_node){w, (uint32_t)i};
    for (size_t f = 0; f < sc->nfunctions; f++) {
        double m = sim_dist_mean(sc->functions[f].cold_start);
        p->cold_mean[f] = isfinite(m) ? (int64_t)llround(m) : INT64_MAX;
    }
    return 0;
nomem:
    snprintf(err, errlen, "out of memory while loading the plugin's tables");
    return -1;
}

void wplug_free(sim_world *w)
{
    wplug *p = w->wplug;
    if (!p)
        return;
    free(p->nodes);
    free(p->cold_mean);
    free(p->buf);
    free(p->cand);
    free(p);
    w->wplug = NULL;
}

/* Stops the run after a bad answer (the first one is reported). */
static void bad_answer(sim_world *w, const char *what, long k, size_t fn, size_t n)
{
    if (!w->failed)
        snprintf(w->fail_msg, sizeof w->fail_msg,
                 "plugin %s answered %ld to %s for function %s (%zu candidate(s)): expected "
                 "a candidate index or EDGE_POLICY_DEFAULT%s",
                 w->sc->policies.plugin_path, k, what, w->sc->functions[fn].id, n,
                 strcmp(what, "a placement") ? "" : " or EDGE_POLICY_NONE");
    wfail_run(w, EDGE_INVAL);
}

/* One chooser for both decisions (lacking_mb 0: serve; > 0: evict). */
static uint32_t choose(void *ctx, uint32_t function, edge_time now, uint32_t lacking_mb,
                       const edge_idle_instance *idle, uint32_t n)
{
    const wplug_node *pn = ctx;
    sim_world *w = pn->w;
    wplug *p = w->wplug;
    long (*cb)(void *, const edge_policy_instance_request *) =
        lacking_mb ? p->inst->evict : p->inst->serve;
    if (!cb || w->failed)
        return EDGE_NONE;
    if (n > p->cap) {
        size_t cap = n > 2 * p->cap ? n : 2 * p->cap;
        edge_policy_instance *b = realloc(p->buf, cap * sizeof *b);
        if (!b) {
            wfail_run(w, EDGE_NOMEM);
            return EDGE_NONE;
        }
        p->buf = b;
        p->cap = cap;
    }
    for (uint32_t k = 0; k < n; k++)
        p->buf[k] = (edge_policy_instance){idle[k].function, idle[k].memory_mb,
                                           idle[k].idle_since, idle[k].created_at,
                                           idle[k].expires_at, p->cold_mean[idle[k].function]};
    edge_policy_instance_request req = {function, pn->node, now, lacking_mb, p->buf, n};
    long k = cb(p->state, &req);
    if (k == EDGE_POLICY_DEFAULT)
        return EDGE_NONE;
    if (k < 0 || (uint64_t)k >= n) {
        bad_answer(w, lacking_mb ? "an eviction" : "a warm start", k, function, n);
        return EDGE_NONE;
    }
    if (lacking_mb)
        p->evicted++;
    else
        p->served++;
    return (uint32_t)k;
}

edge_err wplace_least_loaded(sim_world *w, size_t fn, int reason, size_t *node)
{
    wplug *p = w->wplug;
    if (!p || !p->place)
        return wcore_deploy_least_loaded(w, fn, node);
    const sim_scenario *sc = w->sc;
    const edge_cluster *cl = wcore_cluster(w);
    size_t n = 0;
    long builtin = -1;
    uint32_t best_ci = 0;
    size_t best_fns = 0;
    int best_usable = 0;
    for (size_t i = 0; i < sc->nnodes; i++) {
        uint32_t ci = wcore_cluster_index(w, i);
        if (ci == EDGE_NONE || edge_cluster_is_draining(cl, ci) || !wcore_can_run(w, fn, i) ||
            edge_cluster_is_deployed(cl, (uint32_t)fn, ci))
            continue;
        const wnode *wn = &w->nodes[i];
        size_t nfns = 0;
        edge_cluster_functions_on(cl, ci, &nfns);
        int usable = wnode_usable(wn);
        p->cand[n] = (edge_policy_place_candidate){
            .node = (uint32_t)i,
            .region = (uint32_t)sc->nodes[i].region,
            .slots = sc->nodes[i].cores,
            .in_flight = wn->busy + wn->qlen + wn->unslotted,
            .deployed = (uint32_t)nfns,
            .usable = usable,
            .memory_mb = sc->nodes[i].memory_mb,
            .free_memory_mb = edge_cluster_free_memory_mb(cl, ci),
        };
        /* least_loaded's rule (edge_cluster_deploy_least_loaded): usable
         * first, then the fewest deployed functions, then the earliest
         * registered */
        if (builtin < 0 || usable > best_usable ||
            (usable == best_usable &&
             (nfns < best_fns || (nfns == best_fns && ci < best_ci)))) {
            builtin = (long)n;
            best_usable = usable;
            best_fns = nfns;
            best_ci = ci;
        }
        n++;
    }
    if (n == 0)
        return EDGE_NO_ELIGIBLE;
    edge_policy_place_request req = {
        .function = (uint32_t)fn,
        .now = sim_engine_now(w->eng),
        .reason = (uint32_t)reason,
        .memory_mb = sc->functions[fn].memory_mb,
        .candidates = p->cand,
        .ncandidates = n,
        .builtin = builtin,
    };
    long k = p->place->place(p->state, &req);
    if (k == EDGE_POLICY_NONE) {
        p->refused++;
        return EDGE_NO_ELIGIBLE;
    }
    if (k == EDGE_POLICY_DEFAULT)
        k = builtin;
    else if (k < 0 || (size_t)k >= n) {
        bad_answer(w, "a placement", k, fn, n);
        return EDGE_NO_ELIGIBLE;
    } else {
        p->placed++;
    }
    *node = p->cand[k].node;
    return wcore_deploy_to(w, fn, *node);
}

void wplug_summary(const sim_world *w, cJSON *root)
{
    const wplug *p = w->wplug;
    if (!p)
        return;
    cJSON *o = cJSON_AddObjectToObject(root, "plugin_decisions");
    if (!o)
        return;
    cJSON_AddStringToObject(o, "plugin", w->sc->policies.plugin_name);
    if (p->inst) {
        cJSON_AddNumberToObject(o, "warm_starts_chosen", (double)p->served);
        cJSON_AddNumberToObject(o, "evictions_chosen", (double)p->evicted);
    }
    if (p->place) {
        cJSON_AddNumberToObject(o, "placements_chosen", (double)p->placed);
        cJSON_AddNumberToObject(o, "placements_refused", (double)p->refused);
    }
}
