#include "cluster.h"

#include "argmin.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "deptab.h"
#include "idmap.h"
#include "util.h"

typedef struct {
    edge_node *node;  /* owned; NULL once deregistered */
    uint32_t prev, next;
    uint32_t *fns;    /* deployed function indices, in deployment order */
    uint32_t n_fns, cap_fns;
    uint64_t mem_mb;  /* deployed memory: sum of memory_mb of its functions */
    bool draining;
} node_rec;

typedef struct {
    uint32_t *nodes;  /* node indices, in deployment order */
    uint32_t n, cap;
} fn_rec;

struct edge_cluster {
    const edge_function_table *functions;
    edge_time window;

    node_rec *nodes;          /* by node index, never reused */
    uint32_t n_nodes, cap_nodes;
    uint32_t head, tail;      /* registration order */
    uint32_t live;
    edge__idmap by_id;
    edge_argmin least;        /* by node index: deployments, NONE if draining
                                 or gone; deploy_least_loaded's answer */

    fn_rec *by_fn;            /* by function index, grown on demand */
    uint32_t n_by_fn, cap_by_fn;

    edge__deptab deps;        /* (fn, node) -> deployed at, invocations */
    uint64_t *counted;        /* keys of invocations counted but not yet in deps
                                 (edge_cluster_count_invocation_deferred);
                                 COUNT_BATCH of them; owned, NULL until needed */
    uint32_t ncounted;
};

#define COUNT_BATCH 256

static bool node_eq(const void *ctx, uint32_t val, const void *key)
{
    const edge_cluster *c = ctx;
    return strcmp(edge_node_id(c->nodes[val].node), key) == 0;
}

/* Keeps the least-loaded tree in step with a node's deployments and drain. */
static void least_refresh(edge_cluster *c, uint32_t node)
{
    const node_rec *r = &c->nodes[node];
    edge_argmin_set(&c->least, node,
                    r->node && !r->draining
                        ? (r->n_fns < EDGE_ARGMIN_NONE ? r->n_fns : EDGE_ARGMIN_NONE - 1)
                        : EDGE_ARGMIN_NONE);
}

static node_rec *live_node(const edge_cluster *c, uint32_t node)
{
    return node < c->n_nodes && c->nodes[node].node ? &c->nodes[node] : NULL;
}

/* The slot of deployment (fn, node) in c->deps, or EDGE_NONE; valid until
 * the next deployment change. */
static uint32_t find_dep(const edge_cluster *c, uint32_t fn, uint32_t node)
{
    return edge__deptab_find(&c->deps, fn, node);
}

edge_err edge_cluster_new(const edge_function_table *functions, edge_cluster **out)
{
    if (!functions || !out)
        return EDGE_INVAL;
    edge_cluster *c = edge__calloc(1, sizeof *c);
    if (!c)
        return EDGE_NOMEM;
    c->functions = functions;
    c->window = EDGE_HEALTH_WINDOW_DEFAULT;
    c->head = c->tail = EDGE_NONE;
    *out = c;
    return EDGE_OK;
}

void edge_cluster_free(edge_cluster *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->n_nodes; i++) {
        edge_node_free(c->nodes[i].node);
        edge__free(c->nodes[i].fns);
    }
    for (uint32_t i = 0; i < c->n_by_fn; i++)
        edge__free(c->by_fn[i].nodes);
    edge__free(c->nodes);
    edge__free(c->by_fn);
    edge__deptab_free(&c->deps);
    edge__free(c->counted);
    edge__idmap_free(&c->by_id);
    edge_argmin_free(&c->least);
    edge__free(c);
}

edge_err edge_cluster_set_health_window(edge_cluster *c, edge_time window)
{
    if (!c || window < 0)
        return EDGE_INVAL;
    c->window = window;
    return EDGE_OK;
}

edge_time edge_cluster_health_window(const edge_cluster *c) { return c->window; }
const edge_function_table *edge_cluster_functions(const edge_cluster *c) { return c->functions; }

/* ---- Nodes -------------------------------------------------------------- */

edge_err edge_cluster_register(edge_cluster *c, edge_node *node, uint32_t *index)
{
    if (!c || !node)
        return EDGE_INVAL;
    const char *id = edge_node_id(node);
    uint32_t h = edge__hash_str(id);
    if (edge__idmap_find(&c->by_id, h, node_eq, c, id) != EDGE_NONE)
        return EDGE_EXISTS;
    if (c->n_nodes >= EDGE_NONE - 1)
        return EDGE_LIMIT;
    if (edge__grow(&c->nodes, &c->cap_nodes, c->n_nodes + 1, sizeof *c->nodes) ||
        edge__idmap_reserve(&c->by_id, c->live + 1) ||
        edge_argmin_grow(&c->least, c->n_nodes + 1))
        return EDGE_NOMEM;
    uint32_t i = c->n_nodes++;
    c->nodes[i] = (node_rec){.node = node, .prev = c->tail, .next = EDGE_NONE};
    if (c->tail != EDGE_NONE)
        c->nodes[c->tail].next = i;
    else
        c->head = i;
    c->tail = i;
    c->live++;
    edge__idmap_insert(&c->by_id, h, i);
    least_refresh(c, i);
    if (index)
        *index = i;
    return EDGE_OK;
}

edge_err edge_cluster_find(const edge_cluster *c, const char *node_id, uint32_t *index)
{
    if (!c || !node_id || !index)
        return EDGE_INVAL;
    uint32_t i = edge__idmap_find(&c->by_id, edge__hash_str(node_id), node_eq, c, node_id);
    if (i == EDGE_NONE)
        return EDGE_NOT_FOUND;
    *index = i;
    return EDGE_OK;
}

/* Looks a node id up for the id-taking wrappers. */
static edge_err lookup(const edge_cluster *c, const char *node_id, uint32_t *index)
{
    return edge_cluster_find(c, node_id, index);
}

static void erase_u32(uint32_t *v, uint32_t *n, uint32_t x)
{
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] == x) {
            memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
            (*n)--;
            return;
        }
}

/* Deferred counts go in before any deployment comes or goes, so that each
 * lands on the deployment that was live when it was counted. */
static void free_dep(edge_cluster *c, uint32_t fn, uint32_t node)
{
    edge_cluster_flush_counts(c);
    edge__deptab_remove(&c->deps, fn, node);
}

edge_err edge_cluster_deregister_idx(edge_cluster *c, uint32_t node)
{
    if (!c)
        return EDGE_INVAL;
    node_rec *r = live_node(c, node);
    if (!r)
        return EDGE_NOT_FOUND;
    for (uint32_t k = 0; k < r->n_fns; k++) {
        uint32_t fn = r->fns[k];
        erase_u32(c->by_fn[fn].nodes, &c->by_fn[fn].n, node);
        free_dep(c, fn, node);
    }
    const char *id = edge_node_id(r->node);
    edge__idmap_remove(&c->by_id, edge__hash_str(id), node_eq, c, id);
    if (r->prev != EDGE_NONE)
        c->nodes[r->prev].next = r->next;
    else
        c->head = r->next;
    if (r->next != EDGE_NONE)
        c->nodes[r->next].prev = r->prev;
    else
        c->tail = r->prev;
    edge_node_free(r->node);
    edge__free(r->fns);
    *r = (node_rec){.prev = EDGE_NONE, .next = EDGE_NONE};
    c->live--;
    least_refresh(c, node);
    return EDGE_OK;
}

edge_err edge_cluster_deregister(edge_cluster *c, const char *node_id)
{
    uint32_t i;
    edge_err err = lookup(c, node_id, &i);
    return err ? err : edge_cluster_deregister_idx(c, i);
}

const edge_node *edge_cluster_node(const edge_cluster *c, uint32_t node)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    return r ? r->node : NULL;
}

size_t edge_cluster_size(const edge_cluster *c) { return c->live; }
uint32_t edge_cluster_index_bound(const edge_cluster *c) { return c->n_nodes; }
uint32_t edge_cluster_first(const edge_cluster *c) { return c->head; }

uint32_t edge_cluster_next(const edge_cluster *c, uint32_t node)
{
    const node_rec *r = live_node(c, node);
    return r ? r->next : EDGE_NONE;
}

edge_err edge_cluster_heartbeat_idx(edge_cluster *c, uint32_t node, edge_time now,
                                    const edge_resource_usage *usage)
{
    if (!c || !usage)
        return EDGE_INVAL;
    node_rec *r = live_node(c, node);
    return r ? edge_node_heartbeat(r->node, now, usage) : EDGE_NOT_FOUND;
}

edge_err edge_cluster_heartbeat(edge_cluster *c, const char *node_id, edge_time now,
                                const edge_resource_usage *usage)
{
    uint32_t i;
    edge_err err = lookup(c, node_id, &i);
    return err ? err : edge_cluster_heartbeat_idx(c, i, now, usage);
}

edge_err edge_cluster_set_status_idx(edge_cluster *c, uint32_t node, edge_node_status s)
{
    if (!c)
        return EDGE_INVAL;
    node_rec *r = live_node(c, node);
    return r ? edge_node_set_status(r->node, s) : EDGE_NOT_FOUND;
}

edge_err edge_cluster_set_status(edge_cluster *c, const char *node_id, edge_node_status s)
{
    uint32_t i;
    edge_err err = lookup(c, node_id, &i);
    return err ? err : edge_cluster_set_status_idx(c, i, s);
}

bool edge_cluster_is_healthy(const edge_cluster *c, uint32_t node, edge_time now)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    return r && edge_node_is_healthy(r->node, now, c->window);
}

static edge_err set_draining(edge_cluster *c, uint32_t node, bool on)
{
    if (!c)
        return EDGE_INVAL;
    node_rec *r = live_node(c, node);
    if (!r)
        return EDGE_NOT_FOUND;
    r->draining = on;
    least_refresh(c, node);
    return EDGE_OK;
}

edge_err edge_cluster_drain_idx(edge_cluster *c, uint32_t node) { return set_draining(c, node, true); }
edge_err edge_cluster_undrain_idx(edge_cluster *c, uint32_t node) { return set_draining(c, node, false); }

edge_err edge_cluster_drain(edge_cluster *c, const char *node_id)
{
    uint32_t i;
    edge_err err = lookup(c, node_id, &i);
    return err ? err : set_draining(c, i, true);
}

edge_err edge_cluster_undrain(edge_cluster *c, const char *node_id)
{
    uint32_t i;
    edge_err err = lookup(c, node_id, &i);
    return err ? err : set_draining(c, i, false);
}

bool edge_cluster_is_draining(const edge_cluster *c, uint32_t node)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    return r && r->draining;
}

edge_err edge_cluster_health(const edge_cluster *c, edge_time now, edge_health_summary *out)
{
    if (!c || !out)
        return EDGE_INVAL;
    edge_health_summary s = {0};
    for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next) {
        const node_rec *r = &c->nodes[i];
        s.total++;
        s.by_status[edge_node_status_of(r->node)]++;
        s.draining += r->draining;
        s.healthy += edge_node_is_healthy(r->node, now, c->window);
    }
    s.healthy_fraction = s.total ? (double)s.healthy / (double)s.total : 0.0;
    *out = s;
    return EDGE_OK;
}

/* ---- Deployments ------------------------------------------------------- */

/* Reservation: makes sure that m more deployments of fn, on the nodes given,
 * can be committed without allocating. Changes nothing a caller can see. */
static edge_err reserve_fn(edge_cluster *c, uint32_t fn, uint32_t m)
{
    if (fn >= c->n_by_fn) {
        if (edge__grow(&c->by_fn, &c->cap_by_fn, fn + 1, sizeof *c->by_fn))
            return EDGE_NOMEM;
        memset(c->by_fn + c->n_by_fn, 0, (size_t)(fn + 1 - c->n_by_fn) * sizeof *c->by_fn);
        c->n_by_fn = fn + 1;
    }
    fn_rec *f = &c->by_fn[fn];
    if (edge__grow(&f->nodes, &f->cap, f->n + m, sizeof *f->nodes) ||
        edge__deptab_reserve(&c->deps, c->deps.count + m))
        return EDGE_NOMEM;
    return EDGE_OK;
}

static edge_err reserve_node(edge_cluster *c, uint32_t node)
{
    node_rec *r = &c->nodes[node];
    return edge__grow(&r->fns, &r->cap_fns, r->n_fns + 1, sizeof *r->fns);
}

/* Commit: cannot fail once reserved. */
static void add_dep(edge_cluster *c, uint32_t fn, uint32_t node, edge_time now)
{
    edge_cluster_flush_counts(c);
    edge__deptab_insert(&c->deps, fn, node, now);
    node_rec *r = &c->nodes[node];
    r->fns[r->n_fns++] = fn;
    r->mem_mb += edge_function_memory_mb(edge_function_table_get(c->functions, fn));
    least_refresh(c, node);
    fn_rec *f = &c->by_fn[fn];
    f->nodes[f->n++] = node;
}

static bool can_take(const edge_cluster *c, const edge_function *f, uint32_t node)
{
    const node_rec *r = &c->nodes[node];
    return !r->draining && edge_function_can_run_on(f, r->node);
}

edge_err edge_cluster_deploy_idx(edge_cluster *c, uint32_t function, edge_time now,
                                 size_t *added)
{
    if (!c)
        return EDGE_INVAL;
    const edge_function *f = edge_function_table_get(c->functions, function);
    if (!f)
        return EDGE_NOT_FOUND;
    uint32_t eligible = 0, fresh = 0;
    for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next)
        if (can_take(c, f, i)) {
            eligible++;
            fresh += find_dep(c, function, i) == EDGE_NONE;
        }
    if (eligible == 0)
        return EDGE_NO_ELIGIBLE;
    if (fresh > 0) {
        if (reserve_fn(c, function, fresh))
            return EDGE_NOMEM;
        for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next)
            if (can_take(c, f, i) && find_dep(c, function, i) == EDGE_NONE && reserve_node(c, i))
                return EDGE_NOMEM;
        for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next)
            if (can_take(c, f, i) && find_dep(c, function, i) == EDGE_NONE)
                add_dep(c, function, i, now);
    }
    if (added)
        *added = fresh;
    return EDGE_OK;
}

edge_err edge_cluster_deploy(edge_cluster *c, const char *function_id, edge_time now,
                             size_t *added)
{
    uint32_t fn;
    if (!c || !function_id)
        return EDGE_INVAL;
    edge_err err = edge_function_table_find(c->functions, function_id, &fn);
    return err ? err : edge_cluster_deploy_idx(c, fn, now, added);
}

edge_err edge_cluster_deploy_to_idx(edge_cluster *c, uint32_t function, uint32_t node,
                                    edge_time now)
{
    if (!c)
        return EDGE_INVAL;
    const edge_function *f = edge_function_table_get(c->functions, function);
    node_rec *r = live_node(c, node);
    if (!f || !r)
        return EDGE_NOT_FOUND;
    if (r->draining)
        return EDGE_DRAINING;
    if (!edge_function_can_run_on(f, r->node))
        return EDGE_CAPABILITY;
    if (find_dep(c, function, node) != EDGE_NONE)
        return EDGE_EXISTS;
    if (reserve_fn(c, function, 1) || reserve_node(c, node))
        return EDGE_NOMEM;
    add_dep(c, function, node, now);
    return EDGE_OK;
}

edge_err edge_cluster_deploy_to(edge_cluster *c, const char *function_id, const char *node_id,
                                edge_time now)
{
    uint32_t fn, node;
    if (!c || !function_id || !node_id)
        return EDGE_INVAL;
    edge_err err = edge_function_table_find(c->functions, function_id, &fn);
    if (!err)
        err = lookup(c, node_id, &node);
    return err ? err : edge_cluster_deploy_to_idx(c, fn, node, now);
}

/* A node the control plane would route to: neither OFFLINE, SYNCING nor in
 * MAINTENANCE. */
static bool usable(const edge_cluster *c, uint32_t node)
{
    edge_node_status st = edge_node_status_of(c->nodes[node].node);
    return st == EDGE_NODE_ONLINE || st == EDGE_NODE_DEGRADED;
}

/* The least loaded node that can take function f and does not have it (and,
 * with only_usable, is usable); EDGE_NONE when none. */
static uint32_t least_loaded_pick(edge_cluster *c, const edge_function *f, uint32_t function,
                                  bool only_usable)
{
    /* The tournament tree over nodes keyed by deployment count gives the
     * least loaded, ties to the earliest registered, in O(1); a node that
     * cannot take the function (a capability, it has it already, or it is
     * not usable) leaves the tree for the rest of this call, O(log n) each.
     * Past a few dozen such nodes a function with rare capabilities is
     * better served by one scan. Either way: O(log n) for the common case
     * instead of a scan of every node per replica. */
    enum { MAX_HIDDEN = 64 };
    uint32_t hidden[MAX_HIDDEN];
    size_t nh = 0;
    uint32_t best = EDGE_NONE;
    for (;;) {
        uint32_t w = edge_argmin_get(&c->least);
        if (w == EDGE_ARGMIN_EMPTY)
            break;
        if (can_take(c, f, w) && find_dep(c, function, w) == EDGE_NONE &&
            (!only_usable || usable(c, w))) {
            best = w;
            break;
        }
        if (nh == MAX_HIDDEN) {
            for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next) {
                if (best != EDGE_NONE && c->nodes[i].n_fns >= c->nodes[best].n_fns)
                    continue;
                if (can_take(c, f, i) && find_dep(c, function, i) == EDGE_NONE &&
                    (!only_usable || usable(c, i)))
                    best = i;
            }
            break;
        }
        hidden[nh++] = w;
        edge_argmin_set(&c->least, w, EDGE_ARGMIN_NONE);
    }
    for (size_t k = 0; k < nh; k++)
        least_refresh(c, hidden[k]);
    return best;
}

edge_err edge_cluster_deploy_least_loaded_idx(edge_cluster *c, uint32_t function,
                                              edge_time now, uint32_t *node)
{
    if (!c)
        return EDGE_INVAL;
    const edge_function *f = edge_function_table_get(c->functions, function);
    if (!f)
        return EDGE_NOT_FOUND;
    /* Usable nodes first; an OFFLINE, SYNCING or MAINTENANCE one only when
     * no usable node is eligible. */
    uint32_t best = least_loaded_pick(c, f, function, true);
    if (best == EDGE_NONE)
        best = least_loaded_pick(c, f, function, false);
    if (best == EDGE_NONE)
        return EDGE_NO_ELIGIBLE;
    if (reserve_fn(c, function, 1) || reserve_node(c, best))
        return EDGE_NOMEM;
    add_dep(c, function, best, now);
    if (node)
        *node = best;
    return EDGE_OK;
}

edge_err edge_cluster_deploy_least_loaded(edge_cluster *c, const char *function_id,
                                          edge_time now, uint32_t *node)
{
    uint32_t fn;
    if (!c || !function_id)
        return EDGE_INVAL;
    edge_err err = edge_function_table_find(c->functions, function_id, &fn);
    return err ? err : edge_cluster_deploy_least_loaded_idx(c, fn, now, node);
}

/* A deployment exists only for a known function on a live node (a node's
 * deployments go when it is deregistered), so a hit answers alone; the
 * function table and the node record, each a likely cache miss on the
 * per-invocation count, are read only to name a miss. */
static edge_err check_pair(const edge_cluster *c, uint32_t function, uint32_t node,
                           uint32_t *dep)
{
    if (!c)
        return EDGE_INVAL;
    *dep = find_dep(c, function, node);
    if (*dep != EDGE_NONE)
        return EDGE_OK;
    if (!edge_function_table_get(c->functions, function) || !live_node(c, node))
        return EDGE_NOT_FOUND;
    return EDGE_NOT_DEPLOYED;
}

edge_err edge_cluster_undeploy_idx(edge_cluster *c, uint32_t function, uint32_t node)
{
    uint32_t d;
    edge_err err = check_pair(c, function, node, &d);
    if (err)
        return err;
    node_rec *r = &c->nodes[node];
    erase_u32(r->fns, &r->n_fns, function);
    r->mem_mb -= edge_function_memory_mb(edge_function_table_get(c->functions, function));
    least_refresh(c, node);
    erase_u32(c->by_fn[function].nodes, &c->by_fn[function].n, node);
    free_dep(c, function, node);
    return EDGE_OK;
}

edge_err edge_cluster_undeploy(edge_cluster *c, const char *function_id, const char *node_id)
{
    uint32_t fn, node;
    if (!c || !function_id || !node_id)
        return EDGE_INVAL;
    edge_err err = edge_function_table_find(c->functions, function_id, &fn);
    if (!err)
        err = lookup(c, node_id, &node);
    return err ? err : edge_cluster_undeploy_idx(c, fn, node);
}

bool edge_cluster_is_deployed(const edge_cluster *c, uint32_t function, uint32_t node)
{
    return c && find_dep(c, function, node) != EDGE_NONE;
}

edge_err edge_cluster_deployment(const edge_cluster *c, uint32_t function, uint32_t node,
                                 edge_deployment *out)
{
    uint32_t d;
    if (!out)
        return EDGE_INVAL;
    edge_err err = check_pair(c, function, node, &d);
    if (err)
        return err;
    *out = (edge_deployment){
        .function = function,
        .node = node,
        .function_id = edge_function_id(edge_function_table_get(c->functions, function)),
        .node_id = edge_node_id(c->nodes[node].node),
        .deployed_at = c->deps.at[d],
        .invocations = c->deps.e[d].invocations,
    };
    return EDGE_OK;
}

edge_err edge_cluster_count_invocation(edge_cluster *c, uint32_t function, uint32_t node)
{
    uint32_t d;
    edge_err err = check_pair(c, function, node, &d);
    if (err)
        return err;
    c->deps.e[d].invocations++;
    return EDGE_OK;
}

edge_err edge_cluster_count_invocation_deferred(edge_cluster *c, uint32_t function, uint32_t node)
{
    if (!c)
        return EDGE_INVAL;
    if (!c->counted && !(c->counted = edge__malloc(COUNT_BATCH * sizeof *c->counted)))
        return edge_cluster_count_invocation(c, function, node);
    c->counted[c->ncounted++] = (uint64_t)function << 32 | node;
    if (c->ncounted == COUNT_BATCH)
        edge_cluster_flush_counts(c);
    return EDGE_OK;
}

void edge_cluster_flush_counts(edge_cluster *c)
{
    if (!c || c->ncounted == 0)
        return;
    edge__deptab_count_batch(&c->deps, c->counted, c->ncounted);
    c->ncounted = 0;
}

const uint32_t *edge_cluster_nodes_of(const edge_cluster *c, uint32_t function, size_t *n)
{
    if (!c || function >= c->n_by_fn || c->by_fn[function].n == 0) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = c->by_fn[function].n;
    return c->by_fn[function].nodes;
}

const uint32_t *edge_cluster_functions_on(const edge_cluster *c, uint32_t node, size_t *n)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    if (!r || r->n_fns == 0) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = r->n_fns;
    return r->fns;
}

size_t edge_cluster_deployment_count(const edge_cluster *c) { return c->deps.count; }

/* ---- Placement strategies: spread, best fit, worst fit ------------------ */

typedef struct {
    uint32_t node;
    uint32_t rank;   /* spread: the region's rank */
    uint32_t n_fns;  /* spread: deployments there */
    double free_mb;  /* fits: memory left */
} cand;

static int cmp_spread(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->n_fns != y->n_fns)
        return x->n_fns < y->n_fns ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

static int cmp_best(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->free_mb != y->free_mb)
        return x->free_mb < y->free_mb ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

static int cmp_worst(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->free_mb != y->free_mb)
        return x->free_mb > y->free_mb ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

typedef struct {
    const edge_cluster *c;
    const uint32_t *first; /* per region rank: its first candidate node */
} rank_ctx;

static bool rank_eq(const void *ctx, uint32_t val, const void *key)
{
    const rank_ctx *r = ctx;
    return strcmp(edge_node_region(r->c->nodes[r->first[val]].node), key) == 0;
}

double edge_cluster_free_memory_mb(const edge_cluster *c, uint32_t node)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    if (!r)
        return 0.0;
    return edge_node_usage(r->node)->memory_max_mb - (double)r->mem_mb;
}

uint64_t edge_cluster_deployed_memory_mb(const edge_cluster *c, uint32_t node)
{
    const node_rec *r = c ? live_node(c, node) : NULL;
    return r ? r->mem_mb : 0;
}

/* Spread: candidates sorted by (region rank, deployments, index), then
 * taken round robin over the regions, each region from its front. */
static size_t spread_order(edge_cluster *c, cand *cs, size_t n, uint32_t replicas,
                           uint32_t *out, edge_err *err)
{
    /* region ranks: order of first appearance among the candidates */
    edge__idmap ranks = {0};
    uint32_t *first = edge__malloc((n ? n : 1) * sizeof *first); /* rank -> a node */
    size_t *start = edge__malloc((n + 1) * sizeof *start), *cur = NULL;
    uint32_t *live = NULL;
    size_t placed = 0;
    if (!first || !start || edge__idmap_reserve(&ranks, (uint32_t)n + 1)) {
        *err = EDGE_NOMEM;
        goto done;
    }
    uint32_t nregions = 0;
    rank_ctx rc = {c, first};
    for (size_t i = 0; i < n; i++) {
        const char *reg = edge_node_region(c->nodes[cs[i].node].node);
        uint32_t h = edge__hash_str(reg);
        uint32_t rank = edge__idmap_find(&ranks, h, rank_eq, &rc, reg);
        if (rank == EDGE_NONE) {
            first[nregions] = cs[i].node;
            edge__idmap_insert(&ranks, h, nregions);
            rank = nregions++;
        }
        cs[i].rank = rank;
    }
    qsort(cs, n, sizeof *cs, cmp_spread);
    cur = edge__malloc((nregions ? nregions : 1) * sizeof *cur);
    live = edge__malloc((nregions ? nregions : 1) * sizeof *live);
    if (!cur || !live) {
        *err = EDGE_NOMEM;
        goto done;
    }
    for (uint32_t r = 0, i = 0; r < nregions; r++) {
        start[r] = i;
        while (i < n && cs[i].rank == r)
            i++;
        cur[r] = start[r];
        live[r] = r;
    }
    start[nregions] = n;
    /* Rounds over the regions that still have candidates; each round
     * places one replica in each of them, so dropping the exhausted ones
     * after a round keeps the whole O(n + replicas). */
    uint32_t nlive = nregions;
    while (placed < replicas && nlive > 0) {
        uint32_t keep = 0;
        for (uint32_t k = 0; k < nlive; k++) {
            uint32_t r = live[k];
            if (placed < replicas && cur[r] < start[r + 1])
                out[placed++] = cs[cur[r]++].node;
            if (cur[r] < start[r + 1])
                live[keep++] = r;
        }
        nlive = keep;
    }
    *err = EDGE_OK;
done:
    edge__idmap_free(&ranks);
    edge__free(first);
    edge__free(start);
    edge__free(cur);
    edge__free(live);
    return placed;
}

edge_err edge_cluster_deploy_strategy_idx(edge_cluster *c, uint32_t function,
                                          edge_placement strategy, uint32_t replicas,
                                          edge_time now, uint32_t *nodes, size_t *placed)
{
    if (!c || (replicas > 0 && !nodes) ||
        (strategy != EDGE_PLACE_SPREAD && strategy != EDGE_PLACE_BEST_FIT &&
         strategy != EDGE_PLACE_WORST_FIT))
        return EDGE_INVAL;
    const edge_function *f = edge_function_table_get(c->functions, function);
    if (!f)
        return EDGE_NOT_FOUND;
    if (placed)
        *placed = 0;
    double need = (double)edge_function_memory_mb(f);
    cand *cs = edge__malloc((c->live ? c->live : 1) * sizeof *cs);
    if (!cs)
        return EDGE_NOMEM;
    size_t n = 0;
    for (uint32_t i = c->head; i != EDGE_NONE; i = c->nodes[i].next) {
        if (!can_take(c, f, i) || find_dep(c, function, i) != EDGE_NONE)
            continue;
        cand k = {.node = i, .n_fns = c->nodes[i].n_fns};
        if (strategy != EDGE_PLACE_SPREAD) {
            double cap = edge_node_usage(c->nodes[i].node)->memory_max_mb;
            k.free_mb = cap - (double)c->nodes[i].mem_mb;
            if (cap <= 0.0 || k.free_mb < need) /* unknown capacity never fits */
                continue;
        }
        cs[n++] = k;
    }
    edge_err err = EDGE_OK;
    size_t m = 0;
    if (strategy == EDGE_PLACE_SPREAD) {
        m = spread_order(c, cs, n, replicas, nodes, &err);
    } else {
        /* Replicas go to distinct nodes and placing one changes only its
         * own node's free memory, so taking the first `replicas` of one
         * sorted list is the same as choosing again after each placement. */
        qsort(cs, n, sizeof *cs, strategy == EDGE_PLACE_BEST_FIT ? cmp_best : cmp_worst);
        for (; m < n && m < replicas; m++)
            nodes[m] = cs[m].node;
    }
    edge__free(cs);
    if (err)
        return err;
    if (replicas > 0 && m == 0)
        return EDGE_NO_ELIGIBLE;
    /* reserve everything, then commit (no failure after the first add) */
    if (m > 0 && reserve_fn(c, function, (uint32_t)m))
        return EDGE_NOMEM;
    for (size_t k = 0; k < m; k++)
        if (reserve_node(c, nodes[k]))
            return EDGE_NOMEM;
    for (size_t k = 0; k < m; k++)
        add_dep(c, function, nodes[k], now);
    if (placed)
        *placed = m;
    return EDGE_OK;
}
