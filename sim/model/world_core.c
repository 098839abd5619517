/*
 * world_core.c — the world's calls into libedgecore: one edge_cluster, one
 * edge_function_table, one edge_runtime per node. Everything the world knows
 * about placement, instances and heartbeats goes through here, so core's
 * contracts (deploy rules, cold/warm, keep-alive, memory) hold in every run.
 *
 * Node indices: the cluster hands them out in registration order, which can
 * differ from the scenario's order when nodes join late; `cl_index` maps a
 * scenario node to its cluster index (EDGE_NONE while not registered) and
 * `sc_index` back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "function.h"
#include "node.h"
#include "runtime.h"
#include "engine/rng.h"
#include "model/measures.h"
#include "model/world_internal.h"

struct wcore {
    edge_function_table *fns;
    edge_cluster *cluster;
    edge_runtime **rt;     /* per scenario node, created at first registration */
    uint32_t *cl_index;    /* scenario node -> cluster index */
    uint32_t *sc_index;    /* cluster index -> scenario node */
    size_t sc_cap;
    wcore_pair *pairs;     /* every (function, node) ever deployed, once: reports */
    size_t npairs, pairs_cap;
    /* the runtimes' counters at the warm-up, subtracted in reports (NULL
     * without a warm-up): per node, and per pair deployed by then */
    edge_runtime_stats *base_rt, *base_pair;
    size_t nbase_pair;
    sim_rng *sel_rng;      /* per node, only under "instance_selection": "random" */
};

static uint64_t sel_rand(void *ctx)
{
    return sim_rng_u64(ctx);
}

/* Keep-alive removals (expiry, eviction, crash) change what warm_first
 * sees, and what a hybrid policy's pre-warms left idle (its hook). */
static void on_removal(void *ctx, const edge_instance_removal *r)
{
    sim_world *w = ctx;
    size_t node = r->node;
    sim_measures_removed(w->ms, r->function, r->created_at, r->removed_at,
                         sim_engine_now(w->eng));
    if (w->track_idle || w->on_idle_removed) {
        uint32_t idle = edge_runtime_idle_count(w->core->rt[node], r->function);
        if (w->track_idle)
            edge_scheduler_set_idle(w->sched, r->function, node, idle);
        if (w->on_idle_removed)
            w->on_idle_removed(w, r->function, node, idle);
    }
}

static uint32_t mb(double v)
{
    double c = ceil(v);
    return c > 4e9 ? 4000000000u : c < 1 ? 1u : (uint32_t)c;
}

int wcore_create(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    wcore *c = calloc(1, sizeof *c);
    if (!c)
        goto nomem;
    w->core = c;
    c->rt = calloc(sc->nnodes ? sc->nnodes : 1, sizeof *c->rt);
    c->cl_index = malloc((sc->nnodes ? sc->nnodes : 1) * sizeof *c->cl_index);
    c->sc_cap = sc->nnodes ? sc->nnodes : 1;
    c->sc_index = malloc(c->sc_cap * sizeof *c->sc_index);
    if (!c->rt || !c->cl_index || !c->sc_index)
        goto nomem;
    for (size_t i = 0; i < sc->nnodes; i++)
        c->cl_index[i] = EDGE_NONE;
    if (sc->policies.instance_selection == EDGE_SELECT_RANDOM) {
        /* a stream of its own per node: the other streams stay as they were */
        c->sel_rng = calloc(sc->nnodes ? sc->nnodes : 1, sizeof *c->sel_rng);
        if (!c->sel_rng)
            goto nomem;
        for (size_t i = 0; i < sc->nnodes; i++)
            sim_rng_derive(&c->sel_rng[i], sc->seed, "instance_selection", i);
    }
    edge_err rc = edge_function_table_new(&c->fns);
    if (rc)
        goto core_err;
    for (size_t f = 0; f < sc->nfunctions; f++) {
        const sim_function_spec *fs = &sc->functions[f];
        edge_function_spec spec = {
            .id = fs->id,
            .memory_mb = mb(fs->memory_mb),
            .timeout = fs->timeout,
            .capabilities = (const char *const *)fs->caps,
            .n_capabilities = fs->ncaps,
            .max_instances = fs->instance_limit,
        };
        edge_function *fn = NULL;
        uint32_t idx;
        rc = edge_function_new(&spec, &fn);
        if (rc == EDGE_OK) {
            rc = edge_function_table_add(c->fns, fn, &idx);
            if (rc)
                edge_function_free(fn);
        }
        if (rc) {
            snprintf(err, errlen, "function %s: %s", fs->id, edge_strerror(rc));
            return -1;
        }
    }
    rc = edge_cluster_new(c->fns, &c->cluster);
    if (rc == EDGE_OK)
        rc = edge_cluster_set_health_window(c->cluster, sc->policies.health_window);
    if (rc)
        goto core_err;
    return 0;
core_err:
    snprintf(err, errlen, "cannot build the cluster: %s", edge_strerror(rc));
    return -1;
nomem:
    snprintf(err, errlen, "out of memory");
    return -1;
}

void wcore_free(sim_world *w)
{
    wcore *c = w ? w->core : NULL;
    if (!c)
        return;
    if (c->rt)
        for (size_t i = 0; i < w->sc->nnodes; i++)
            edge_runtime_free(c->rt[i]);
    edge_cluster_free(c->cluster);
    edge_function_table_free(c->fns);
    free(c->rt);
    free(c->cl_index);
    free(c->sc_index);
    free(c->pairs);
    free(c->base_rt);
    free(c->base_pair);
    free(c->sel_rng);
    free(c);
    w->core = NULL;
}

edge_err wcore_register(sim_world *w, size_t node)
{
    wcore *c = w->core;
    const sim_node_spec *s = &w->sc->nodes[node];
    const sim_region *reg = &w->sc->regions[s->region];
    edge_node_spec spec = {
        .id = s->id,
        .region = reg->name,
        .has_coordinates = s->has_coords != 0,
        .latitude = s->lat,
        .longitude = s->lon,
        .capabilities = (const char *const *)s->caps,
        .n_capabilities = s->ncaps,
        .resources = {.memory_max_mb = s->memory_mb, .disk_max_mb = s->disk_mb},
        .status = EDGE_NODE_ONLINE,
    };
    edge_time now = sim_engine_now(w->eng);
    edge_node *n = NULL;
    edge_err rc = edge_node_new(&spec, now, &n);
    if (rc)
        return rc;
    uint32_t idx;
    rc = edge_cluster_register(c->cluster, n, &idx);
    if (rc) {
        edge_node_free(n);
        return rc;
    }
    if (idx >= c->sc_cap) {
        size_t cap = c->sc_cap * 2 > idx + 1 ? c->sc_cap * 2 : (size_t)idx + 1;
        uint32_t *p = realloc(c->sc_index, cap * sizeof *p);
        if (!p)
            return EDGE_NOMEM;
        c->sc_index = p;
        c->sc_cap = cap;
    }
    c->cl_index[node] = idx;
    c->sc_index[idx] = (uint32_t)node;
    if (!c->rt[node]) {
        edge_runtime_config cfg = edge_runtime_config_default(s->id);
        cfg.node_index = (uint32_t)node;
        cfg.memory_mb = (uint64_t)floor(s->memory_mb);
        cfg.keepalive = w->runtime_keepalive;
        cfg.on_removal = on_removal;
        cfg.removal_ctx = w;
        rc = edge_runtime_new(c->fns, &cfg, &c->rt[node]);
        if (rc)
            return rc;
        edge_instance_selection sel = (edge_instance_selection)w->sc->policies.instance_selection;
        if (sel != EDGE_SELECT_MRU &&
            (rc = edge_runtime_set_selection(c->rt[node], sel, c->sel_rng ? sel_rand : NULL,
                                             c->sel_rng ? &c->sel_rng[node] : NULL)))
            return rc;
        if (w->on_runtime_new && (rc = w->on_runtime_new(w, node, c->rt[node])))
            return rc;
    }
    return EDGE_OK;
}

int wcore_deployment_count(sim_world *w, size_t fn, size_t node, uint64_t *out)
{
    const wcore *c = w->core;
    edge_deployment d;
    edge_cluster_flush_counts(c->cluster);
    if (c->cl_index[node] == EDGE_NONE ||
        edge_cluster_deployment(c->cluster, (uint32_t)fn, c->cl_index[node], &d) != EDGE_OK)
        return -1;
    *out = d.invocations;
    return 0;
}

void wcore_count_invocation(sim_world *w, size_t fn, size_t node)
{
    wcore *c = w->core;
    edge_cluster_count_invocation_deferred(c->cluster, (uint32_t)fn, c->cl_index[node]);
}

edge_err wcore_deregister(sim_world *w, size_t node)
{
    wcore *c = w->core;
    if (c->cl_index[node] == EDGE_NONE)
        return EDGE_NOT_FOUND;
    edge_err rc = edge_cluster_deregister_idx(c->cluster, c->cl_index[node]);
    if (rc == EDGE_OK)
        c->cl_index[node] = EDGE_NONE;
    return rc;
}

void wcore_drain(sim_world *w, size_t node, int on)
{
    wcore *c = w->core;
    if (c->cl_index[node] == EDGE_NONE)
        return;
    if (on)
        edge_cluster_drain_idx(c->cluster, c->cl_index[node]);
    else
        edge_cluster_undrain_idx(c->cluster, c->cl_index[node]);
}

int wcore_can_run(sim_world *w, size_t fn, size_t node)
{
    wcore *c = w->core;
    const edge_node *n = edge_cluster_node(c->cluster, c->cl_index[node]);
    return n && edge_function_can_run_on(edge_function_table_get(c->fns, (uint32_t)fn), n);
}

/* The runtime follows the cluster: a function deployed on a node is
 * deployed in that node's runtime. */
static edge_err runtime_deploy(sim_world *w, size_t fn, size_t node)
{
    wcore *c = w->core;
    edge_runtime *rt = c->rt[node];
    if (edge_runtime_is_deployed(rt, (uint32_t)fn))
        return EDGE_OK;
    edge_runtime_stats st;
    int fresh = edge_runtime_function_stats(rt, (uint32_t)fn, &st) == EDGE_NOT_DEPLOYED;
    if (fresh && c->npairs == c->pairs_cap) {
        size_t cap = c->pairs_cap ? 2 * c->pairs_cap : 64;
        wcore_pair *p = realloc(c->pairs, cap * sizeof *p);
        if (!p)
            return EDGE_NOMEM;
        c->pairs = p;
        c->pairs_cap = cap;
    }
    edge_err rc = edge_runtime_deploy_idx(rt, (uint32_t)fn);
    if (rc == EDGE_OK && fresh)
        c->pairs[c->npairs++] = (wcore_pair){(uint32_t)fn, (uint32_t)node};
    return rc;
}

size_t wcore_deployed_pairs(const sim_world *w, const wcore_pair **out)
{
    *out = w->core->pairs;
    return w->core->npairs;
}

edge_err wcore_deploy_to(sim_world *w, size_t fn, size_t node)
{
    wcore *c = w->core;
    if (c->cl_index[node] == EDGE_NONE)
        return EDGE_NOT_FOUND;
    edge_err rc = edge_cluster_deploy_to_idx(c->cluster, (uint32_t)fn, c->cl_index[node],
                                             sim_engine_now(w->eng));
    if (rc == EDGE_OK)
        rc = runtime_deploy(w, fn, node);
    return rc;
}

const uint32_t *wcore_functions_on(const sim_world *w, size_t node, size_t *n)
{
    const wcore *c = w->core;
    *n = 0;
    if (c->cl_index[node] == EDGE_NONE)
        return NULL;
    return edge_cluster_functions_on(c->cluster, c->cl_index[node], n);
}

const edge_cluster *wcore_cluster(const sim_world *w)
{
    return w->core->cluster;
}

uint32_t wcore_cluster_index(const sim_world *w, size_t node)
{
    return w->core->cl_index[node];
}

edge_err wcore_deploy_least_loaded(sim_world *w, size_t fn, size_t *node)
{
    wcore *c = w->core;
    uint32_t idx;
    edge_err rc = edge_cluster_deploy_least_loaded_idx(c->cluster, (uint32_t)fn,
                                                       sim_engine_now(w->eng), &idx);
    if (rc)
        return rc;
    *node = c->sc_index[idx];
    return runtime_deploy(w, fn, *node);
}

edge_err wcore_deploy_strategy(sim_world *w, size_t fn, int strategy, uint32_t replicas,
                               size_t *nodes, size_t *placed)
{
    wcore *c = w->core;
    *placed = 0;
    uint32_t *idx = malloc((replicas ? replicas : 1) * sizeof *idx);
    if (!idx)
        return EDGE_NOMEM;
    size_t m = 0;
    edge_err rc = edge_cluster_deploy_strategy_idx(c->cluster, (uint32_t)fn,
                                                   (edge_placement)strategy, replicas,
                                                   sim_engine_now(w->eng), idx, &m);
    for (size_t k = 0; rc == EDGE_OK && k < m; k++) {
        nodes[k] = c->sc_index[idx[k]];
        rc = runtime_deploy(w, fn, nodes[k]);
        if (rc == EDGE_OK)
            *placed = k + 1;
    }
    free(idx);
    return rc;
}

edge_err wcore_undeploy(sim_world *w, size_t fn, size_t node)
{
    wcore *c = w->core;
    if (c->cl_index[node] == EDGE_NONE)
        return EDGE_NOT_FOUND;
    edge_err rc = edge_cluster_undeploy_idx(c->cluster, (uint32_t)fn, c->cl_index[node]);
    if (rc == EDGE_OK)
        rc = edge_runtime_undeploy_idx(c->rt[node], (uint32_t)fn, sim_engine_now(w->eng));
    return rc;
}

void wcore_heartbeat(sim_world *w, size_t node, edge_time now, double cpu_percent)
{
    wcore *c = w->core;
    if (c->cl_index[node] == EDGE_NONE)
        return;
    const sim_node_spec *s = &w->sc->nodes[node];
    edge_runtime *rt = c->rt[node];
    edge_resource_usage u = {
        .cpu_percent = cpu_percent > 100 ? 100 : cpu_percent < 0 ? 0 : cpu_percent,
        .memory_used_mb = (double)edge_runtime_memory_used(rt),
        .memory_max_mb = s->memory_mb,
        .disk_used_mb = 0,
        .disk_max_mb = s->disk_mb,
        .active_functions = edge_runtime_in_flight(rt),
    };
    edge_cluster_heartbeat_idx(c->cluster, c->cl_index[node], now, &u);
}

int wcore_overloaded(sim_world *w, size_t node)
{
    wcore *c = w->core;
    const edge_node *n = edge_cluster_node(c->cluster, c->cl_index[node]);
    const sim_policies *p = &w->sc->policies;
    edge_overload_thresholds t = {p->overload_cpu, p->overload_memory, p->overload_disk};
    return n && !p->overload_off && edge_resource_usage_is_overloaded(edge_node_usage(n), &t);
}

edge_time wcore_last_heartbeat(sim_world *w, size_t node)
{
    wcore *c = w->core;
    const edge_node *n = edge_cluster_node(c->cluster, c->cl_index[node]);
    return n ? edge_node_last_heartbeat(n) : 0;
}

void wcore_set_status(sim_world *w, size_t node, edge_node_status st)
{
    wcore *c = w->core;
    if (c->cl_index[node] != EDGE_NONE)
        edge_cluster_set_status_idx(c->cluster, c->cl_index[node], st);
}

int wcore_start(sim_world *w, size_t node, size_t fn, uint32_t id, int *cold, uint64_t *handle,
                edge_runtime_lines *lines)
{
    wcore *c = w->core;
    edge_runtime *rt = c->rt[node];
    edge_start st;
    edge_err rc = edge_runtime_start_idx(rt, (uint32_t)fn, sim_engine_now(w->eng), id, &st);
    if (rc == EDGE_NO_CAPACITY || rc == EDGE_INSTANCE_LIMIT || rc == EDGE_NOMEM)
        return -1; /* memory or the instance limit: running work may free it */
    if (rc != EDGE_OK)
        return -2; /* undeployed while it waited: it cannot run here */
    *cold = st.cold;
    *handle = ((uint64_t)st.invocation.gen << 32) | st.invocation.instance;
    if (lines) /* all in cache now: the finish's prefetch needs no look-up then */
        *lines = edge_runtime_finish_lines(rt, st.invocation);
    if (!st.cold && w->track_idle)
        edge_scheduler_set_idle(w->sched, fn, node, edge_runtime_idle_count(rt, (uint32_t)fn));
    return 0;
}

void wcore_finish(sim_world *w, size_t node, size_t fn, uint64_t handle, int ok)
{
    edge_runtime *rt = w->core->rt[node];
    edge_invocation inv = {(uint32_t)handle, (uint32_t)(handle >> 32)};
    /* The world keeps its own metrics: no record wanted back. */
    if (edge_runtime_finish(rt, inv, sim_engine_now(w->eng), ok, NULL) == EDGE_OK &&
        w->track_idle)
        edge_scheduler_set_idle(w->sched, fn, node, edge_runtime_idle_count(rt, (uint32_t)fn));
}

/* The world fails and counts its own invocations; their instances go with
 * the node (the idle ones are reported to on_removal). */
static void crashed_instance(void *ctx, const edge_invocation_metrics *m)
{
    sim_world *w = ctx;
    edge_time now = sim_engine_now(w->eng);
    sim_measures_removed(w->ms, m->function, m->instance_created_at, now, now);
}

size_t wcore_running(const sim_world *w, size_t node, uint64_t *tags, size_t cap)
{
    const edge_runtime *rt = w->core->rt[node];
    return rt ? edge_runtime_busy_tags(rt, tags, cap) : 0;
}

void wcore_crash(sim_world *w, size_t node)
{
    edge_runtime *rt = w->core->rt[node];
    if (rt)
        edge_runtime_crash(rt, sim_engine_now(w->eng), crashed_instance, w, NULL);
}

static void ev_expire(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t node = ev->payload.a;
    wnode *n = &w->nodes[node];
    edge_time now = sim_engine_now(e);
    if (n->expiry_at != now)
        return; /* superseded by an earlier one */
    n->expiry_at = EDGE_TIME_MAX;
    edge_runtime_expire(w->core->rt[node], now, NULL);
    wcore_arm_expiry(w, node);
}

/* Keeps one expiry event per node at its runtime's earliest expiry, so idle
 * instances leave (and warm_first stops counting them) exactly on time. */
void wcore_arm_expiry(sim_world *w, size_t node)
{
    edge_runtime *rt = w->core->rt[node];
    wnode *n = &w->nodes[node];
    if (!rt)
        return;
    edge_time next = edge_runtime_next_expiry(rt);
    edge_time now = sim_engine_now(w->eng);
    if (next == EDGE_TIME_MAX || next > w->sc->duration)
        return;
    if (next < now)
        next = now;
    if (n->expiry_at != EDGE_TIME_MAX && n->expiry_at <= next && n->expiry_at >= now)
        return; /* an event at or before it is already pending */
    n->expiry_at = next;
    sim_payload p = {.id = 0, .a = (uint32_t)node, .b = 0};
    if (sim_engine_schedule(w->eng, next, ev_expire, w, p, NULL) != EDGE_OK)
        w->failed = EDGE_NOMEM;
}

uint32_t wcore_warm_instances(sim_world *w, size_t node)
{
    edge_runtime *rt = w->core->rt[node];
    return rt ? edge_runtime_idle_total(rt) : 0;
}

double wcore_memory_used(sim_world *w, size_t node)
{
    edge_runtime *rt = w->core->rt[node];
    return rt ? (double)edge_runtime_memory_used(rt) : 0.0;
}

edge_runtime *wcore_runtime(const sim_world *w, size_t node)
{
    return w->core->rt[node];
}

void wcore_prefetch_node(const sim_world *w, size_t node)
{
    __builtin_prefetch(&w->core->rt[node]);
    __builtin_prefetch(&w->core->cl_index[node]);
}

edge_err wcore_warm_up(sim_world *w, size_t fn, size_t node)
{
    edge_runtime *rt = w->core->rt[node];
    edge_time now = sim_engine_now(w->eng);
    edge_err rc = rt ? edge_runtime_warm_up_idx(rt, (uint32_t)fn, now) : EDGE_STATE;
    if (rc != EDGE_OK)
        return rc;
    sim_measures_created(w->ms, fn, now);
    wcore_idle_changed(w, fn, node);
    wcore_arm_expiry(w, node);
    return EDGE_OK;
}

void wcore_idle_changed(sim_world *w, size_t fn, size_t node)
{
    if (w->track_idle)
        edge_scheduler_set_idle(w->sched, fn, node,
                                edge_runtime_idle_count(w->core->rt[node], (uint32_t)fn));
}

void wcore_expire_to(sim_world *w, size_t node, edge_time now)
{
    edge_runtime *rt = w->core->rt[node];
    if (rt && edge_runtime_now(rt) <= now)
        edge_runtime_expire(rt, now, NULL);
}

/* ---- the warm-up: the runtimes' counters from then on ---- */

static void stats_sub(edge_runtime_stats *a, const edge_runtime_stats *b)
{
    a->starts -= b->starts;
    a->cold_starts -= b->cold_starts;
    a->warm_ups -= b->warm_ups;
    a->finishes -= b->finishes;
    a->failures -= b->failures;
    a->crashed -= b->crashed;
    a->expired -= b->expired;
    a->evicted -= b->evicted;
    a->undeployed -= b->undeployed;
    a->lost -= b->lost;
    a->idle_mb_ns -= b->idle_mb_ns;
}

int wcore_warmup(sim_world *w)
{
    wcore *c = w->core;
    edge_time now = sim_engine_now(w->eng);
    c->base_rt = calloc(w->nnodes ? w->nnodes : 1, sizeof *c->base_rt);
    c->base_pair = calloc(c->npairs ? c->npairs : 1, sizeof *c->base_pair);
    if (!c->base_rt || !c->base_pair)
        return -1;
    c->nbase_pair = c->npairs;
    /* Idle memory time is integrated up to each runtime's latest now: the
     * instances idle now were idle since then (expiries run on time). */
    for (size_t i = 0; i < w->nnodes; i++) {
        edge_runtime *rt = c->rt[i];
        if (!rt)
            continue;
        edge_time gap = edge_runtime_now(rt) < now ? now - edge_runtime_now(rt) : 0;
        c->base_rt[i] = edge_runtime_stats_total(rt);
        c->base_rt[i].idle_mb_ns += (double)edge_runtime_memory_idle(rt) * (double)gap;
    }
    for (size_t k = 0; k < c->npairs; k++) {
        edge_runtime *rt = c->rt[c->pairs[k].node];
        uint32_t fn = c->pairs[k].fn;
        if (edge_runtime_function_stats(rt, fn, &c->base_pair[k]) != EDGE_OK)
            continue;
        edge_time gap = edge_runtime_now(rt) < now ? now - edge_runtime_now(rt) : 0;
        c->base_pair[k].idle_mb_ns += (double)edge_runtime_idle_count(rt, fn) *
                                      mb(w->sc->functions[fn].memory_mb) * (double)gap;
    }
    return 0;
}

int wcore_runtime_stats(const sim_world *w, size_t node, edge_runtime_stats *out)
{
    const wcore *c = w->core;
    if (!c->rt[node])
        return -1;
    *out = edge_runtime_stats_total(c->rt[node]);
    if (c->base_rt)
        stats_sub(out, &c->base_rt[node]);
    return 0;
}

int wcore_pair_stats(const sim_world *w, size_t k, edge_runtime_stats *out)
{
    const wcore *c = w->core;
    if (edge_runtime_function_stats(c->rt[c->pairs[k].node], c->pairs[k].fn, out) != EDGE_OK)
        return -1;
    if (c->base_pair && k < c->nbase_pair)
        stats_sub(out, &c->base_pair[k]);
    return 0;
}
