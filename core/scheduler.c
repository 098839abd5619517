/*
 * scheduler.c — the scheduler's shared candidate structures and the policy
 * registry. The policies themselves are in core/policies/, one file each;
 * scheduler_internal.h is the contract between the two.
 */
#include "scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "argmin.h"
#include "scheduler_internal.h"

/* The policies by name, in the order edge_scheduler_policies() lists them. */
static const edge__sched_policy *const registry[] = {
    &edge__sched_least_loaded, &edge__sched_warm_first,  &edge__sched_round_robin,
    &edge__sched_random,       &edge__sched_power_of_two, &edge__sched_nearest,
    &edge__sched_consistent_hash, &edge__sched_offload_threshold, &edge__sched_latency_aware,
};
#define NPOLICIES (sizeof registry / sizeof registry[0])

static const char *const policy_names[NPOLICIES + 1] = {
    "least_loaded", "warm_first", "round_robin", "random",
    "power_of_two", "nearest",    "consistent_hash", "offload_threshold", "latency_aware", NULL};

const char *const *edge_scheduler_policies(void)
{
    return policy_names;
}

static edge_scheduler *create(const edge__sched_policy *p, size_t nfunctions, size_t nnodes,
                              edge_err *err)
{
    edge_err rc = EDGE_NOMEM;
    edge_scheduler *s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->policy = p;
    s->flags = p->flags;
    s->pick = p->pick;
    s->offload_threshold = 1.0;
    s->started = p->started;
    s->finished = p->finished;
    s->fns = calloc(nfunctions ? nfunctions : 1, sizeof *s->fns);
    if (!s->fns)
        goto fail;
    s->nfns = nfunctions;
    for (size_t f = 0; f < nfunctions; f++) {
        s->fns[f].dirty = 1;
        s->fns[f].affine = UINT32_MAX;
    }
    if (edge_scheduler_grow_nodes(s, nnodes) != EDGE_OK)
        goto fail;
    if (err)
        *err = EDGE_OK;
    return s;
fail:
    edge_scheduler_free(s);
    if (err)
        *err = rc;
    return NULL;
}

edge_scheduler *edge_scheduler_create(const char *policy, size_t nfunctions, size_t nnodes,
                                      edge_err *err)
{
    for (size_t i = 0; policy && i < NPOLICIES; i++)
        if (!strcmp(policy, registry[i]->name))
            return create(registry[i], nfunctions, nnodes, err);
    if (err)
        *err = EDGE_NOT_FOUND;
    return NULL;
}

void edge_scheduler_free(edge_scheduler *s)
{
    if (!s)
        return;
    for (size_t f = 0; f < s->nfns; f++) {
        free(s->fns[f].nodes);
        free(s->fns[f].idle);
        free(s->fns[f].warm);
        free(s->fns[f].widx);
        free(s->fns[f].wbits);
    }
    edge__sched_shared_free_all(s);
    for (size_t n = 0; n < s->nnodes; n++) {
        free(s->nodes[n].fns);
        free(s->nodes[n].t);
    }
    free(s->fns);
    free(s->nodes);
    free(s->lkey);
    free(s->load);
    free(s->cand);
    free(s->cand_transfer);
    free(s);
}

const char *edge_scheduler_policy(const edge_scheduler *s)
{
    return s->policy->name;
}

edge_scheduler *edge_scheduler_create_plugin(const edge_policy_plugin *plugin, void *state,
                                             size_t nfunctions, size_t nnodes, edge_err *err)
{
    if (!plugin || !plugin->choose || plugin->abi_version != EDGE_POLICY_ABI_VERSION) {
        if (err)
            *err = EDGE_INVAL;
        return NULL;
    }
    edge_scheduler *s = create(&edge__sched_plugin, nfunctions, nnodes, err);
    if (!s)
        return NULL;
    s->plugin = plugin;
    s->plugin_state = state;
    return s;
}

void edge_scheduler_set_regions(edge_scheduler *s, const uint32_t *node_region)
{
    s->regions = node_region;
}

void edge_scheduler_set_request(edge_scheduler *s, int64_t now, uint32_t client_region)
{
    s->now = now;
    s->client_region = client_region;
}

void edge_scheduler_started(edge_scheduler *s, size_t function, size_t node, int64_t now)
{
    if (s->started)
        s->started(s, function, node, now);
}

void edge_scheduler_finished(edge_scheduler *s, size_t function, size_t node, int64_t now, int ok)
{
    if (s->finished)
        s->finished(s, function, node, now, ok);
}

int edge_scheduler_bad_choice(const edge_scheduler *s, long *value)
{
    if (s->bad_choice && value)
        *value = s->bad_value;
    return s->bad_choice;
}

edge_err edge_scheduler_grow_nodes(edge_scheduler *s, size_t nnodes)
{
    if (nnodes <= s->nnodes && s->nodes)
        return EDGE_OK;
    size_t want = nnodes ? nnodes : 1;
    uint32_t *k = realloc(s->lkey, want * sizeof *k);
    if (!k)
        return EDGE_NOMEM;
    s->lkey = k;
    uint32_t *l = realloc(s->load, want * sizeof *l);
    if (!l)
        return EDGE_NOMEM;
    s->load = l;
    edge__sched_node *p = realloc(s->nodes, want * sizeof *p);
    if (!p)
        return EDGE_NOMEM;
    for (size_t i = s->nnodes; i < want; i++) {
        memset(&p[i], 0, sizeof p[i]);
        k[i] = 0; /* usable, with no load */
        l[i] = 0;
    }
    s->nodes = p;
    s->nnodes = nnodes;
    return EDGE_OK;
}

/* lkey of a usable node with load in flight: a load of UINT32_MAX - 1 or
 * more is clamped, so it never ties NONE (UINT32_MAX: not usable). */
static inline uint32_t usable_key(uint32_t load)
{
    return load < UINT32_MAX - 1 ? load : UINT32_MAX - 1;
}

void edge_scheduler_prefetch(const edge_scheduler *s, size_t function, int stage)
{
    if (!s || function >= s->nfns)
        return;
    const edge__sched_fn *fs = &s->fns[function];
    if (stage >= 2) {
        __builtin_prefetch(fs);
        return;
    }
    if (fs->n) {
        __builtin_prefetch(fs->nodes);
        __builtin_prefetch(fs->idle);
    }
}

size_t edge_scheduler_guess(const edge_scheduler *s, size_t function)
{
    if (!s || function >= s->nfns || s->pick != edge__sched_min_key_pick)
        return EDGE_SCHED_NONE;
    const edge__sched_fn *fs = &s->fns[function];
    if (fs->dirty || fs->scan || !fs->shared || fs->n == 0)
        return EDGE_SCHED_NONE;
    const edge__sched_tree *st = s->trees[fs->shared - 1];
    const edge_argmin *tree = &st->t;
    uint32_t p = EDGE_ARGMIN_EMPTY;
    /* warm_first's own first try (edge__sched_min_key_pick), else the least
     * loaded: its answer when no warm node is eligible */
    if ((s->flags & EDGE__SCHED_WARM_KEY) && fs->nwarm > (fs->n + 63) / 64)
        p = edge_argmin_first_in(tree, fs->wbits);
    if (p == EDGE_ARGMIN_EMPTY)
        p = edge_argmin_get(tree);
    return p == EDGE_ARGMIN_EMPTY ? EDGE_SCHED_NONE : st->nodes[p];
}

size_t edge_scheduler_guess_after(const edge_scheduler *s, size_t function, size_t pick_fn,
                                  size_t release_node)
{
    size_t g = edge_scheduler_guess(s, function);
    if (g == EDGE_SCHED_NONE || (s->flags & EDGE__SCHED_WARM_KEY))
        return g; /* warm_first's order is not the loads' alone */
    const edge__sched_fn *fs = &s->fns[function];
    const edge__sched_tree *st = s->trees[fs->shared - 1];
    if (pick_fn < s->nfns) {
        /* a pick on the same tree takes its root first */
        const edge__sched_fn *ps = &s->fns[pick_fn];
        if (ps->dirty || ps->shared != fs->shared)
            return g;
        uint32_t p = edge_argmin_get_after_raise(&st->t);
        return p == EDGE_ARGMIN_EMPTY ? EDGE_SCHED_NONE : st->nodes[p];
    }
    if (release_node < s->nnodes) {
        /* a node of the tree one lighter: it wins if that beats the root */
        const edge__sched_node *nd = &s->nodes[release_node];
        if (nd->t1.tree != fs->shared - 1)
            return g;
        uint32_t k = edge_argmin_key(&st->t, nd->t1.pos), p = edge_argmin_get(&st->t);
        uint32_t kp = edge_argmin_key(&st->t, p);
        if (k != EDGE_ARGMIN_NONE && k > 0 && (k - 1 < kp || (k - 1 == kp && nd->t1.pos < p)))
            return release_node;
    }
    return g;
}

int edge_scheduler_picks_by_draws(const edge_scheduler *s)
{
    return s && (s->flags & EDGE__SCHED_DRAWN) ? 1 : 0;
}

size_t edge_scheduler_guess_drawn(const edge_scheduler *s, size_t function, size_t pick_fn,
                                  edge_rand *copy)
{
    if (!s || !copy || !(s->flags & EDGE__SCHED_DRAWN) || function >= s->nfns)
        return EDGE_SCHED_NONE;
    /* the picks change nothing but *copy (EDGE__SCHED_DRAWN); a function
     * waiting for its rebuild is not guessed (the rebuild is a change) */
    edge_scheduler *w = (edge_scheduler *)s;
    if (pick_fn < s->nfns) {
        edge__sched_fn *ps = &w->fns[pick_fn];
        if (ps->dirty)
            return EDGE_SCHED_NONE;
        if (ps->n)
            s->pick(w, ps, pick_fn, NULL, 0, copy);
    }
    edge__sched_fn *fs = &w->fns[function];
    if (fs->dirty || fs->n == 0)
        return EDGE_SCHED_NONE;
    return s->pick(w, fs, function, NULL, 0, copy);
}

void edge_scheduler_prefetch_node(const edge_scheduler *s, size_t node)
{
    if (s && node < s->nnodes)
        __builtin_prefetch(&s->load[node], 1);
}

edge_err edge_scheduler_set_deployed(edge_scheduler *s, size_t function, size_t node, int deployed)
{
    if (function >= s->nfns || node >= s->nnodes)
        return EDGE_INVAL;
    edge__sched_fn *fs = &s->fns[function];
    edge__sched_node *ns = &s->nodes[node];
    uint32_t at = edge__sched_pos_of(fs, node);
    if (deployed && at == UINT32_MAX) {
        if (fs->n == fs->cap) {
            uint32_t cap = fs->cap ? fs->cap * 2 : 4;
            uint32_t *a = realloc(fs->nodes, cap * sizeof *a);
            if (!a)
                return EDGE_NOMEM;
            fs->nodes = a;
            uint32_t *b = realloc(fs->idle, cap * sizeof *b);
            if (!b)
                return EDGE_NOMEM;
            fs->idle = b;
            fs->cap = cap;
        }
        if (ns->nm == ns->capm) {
            uint32_t cap = ns->capm ? ns->capm * 2 : 2;
            uint32_t *a = realloc(ns->fns, cap * sizeof *a);
            if (!a)
                return EDGE_NOMEM;
            ns->fns = a;
            ns->capm = cap;
        }
        uint32_t pos = fs->n;
        while (pos > 0 && fs->nodes[pos - 1] > node)
            pos--;
        memmove(&fs->nodes[pos + 1], &fs->nodes[pos], (fs->n - pos) * sizeof fs->nodes[0]);
        memmove(&fs->idle[pos + 1], &fs->idle[pos], (fs->n - pos) * sizeof fs->idle[0]);
        fs->nodes[pos] = (uint32_t)node;
        fs->idle[pos] = 0;
        fs->n++;
        ns->fns[ns->nm++] = (uint32_t)function;
        fs->dirty = 1;
        fs->affine = UINT32_MAX; /* the new node may now be the heaviest */
    } else if (!deployed && at != UINT32_MAX) {
        uint32_t pos = at;
        memmove(&fs->nodes[pos], &fs->nodes[pos + 1], (fs->n - pos - 1) * sizeof fs->nodes[0]);
        memmove(&fs->idle[pos], &fs->idle[pos + 1], (fs->n - pos - 1) * sizeof fs->idle[0]);
        fs->n--;
        for (uint32_t i = 0; i < ns->nm; i++)
            if (ns->fns[i] == function) {
                ns->fns[i] = ns->fns[--ns->nm];
                break;
            }
        fs->dirty = 1;
        if (fs->rr_next > pos)
            fs->rr_next--;
    }
    return EDGE_OK;
}

/* Brings fs's shared tree and warm list up to date (a node's position in
 * fs is looked up in fs's ascending node list when needed, so there are no
 * per-node positions to refresh: that was an O(functions on the node)
 * search per node, 27M instructions of the first picks on routing.json). Rare
 * next to picks, so kept out of line: edge_scheduler_pick is flattened and
 * must stay small. */
__attribute__((noinline)) static edge_err rebuild(edge_scheduler *s, edge__sched_fn *fs)
{
    int scan = fs->n <= EDGE__SCHED_SCAN_MAX;
    int tree = (s->flags & EDGE__SCHED_TREE) && !scan;
    int shared = (s->flags & (EDGE__SCHED_TREE | EDGE__SCHED_LIST)) && !scan;
    if (tree && (s->flags & EDGE__SCHED_WARM_KEY)) {
        size_t want = fs->n ? fs->n : 1;
        uint32_t *w = realloc(fs->warm, want * sizeof *w);
        if (!w)
            return EDGE_NOMEM;
        fs->warm = w;
        uint32_t *x = realloc(fs->widx, want * sizeof *x);
        if (!x)
            return EDGE_NOMEM;
        fs->widx = x;
        size_t words = (want + 63) / 64;
        uint64_t *b = realloc(fs->wbits, words * sizeof *b);
        if (!b)
            return EDGE_NOMEM;
        fs->wbits = b;
        memset(b, 0, words * sizeof *b);
        fs->nwarm = 0;
        for (uint32_t i = 0; i < fs->n; i++) {
            fs->widx[i] = fs->idle[i] ? fs->nwarm : UINT32_MAX;
            if (fs->idle[i]) {
                fs->warm[fs->nwarm++] = i;
                b[i / 64] |= 1ull << (i % 64);
            }
        }
    }
    /* The key of the shared tree is the node's alone: functions on the same
     * nodes share one (a shared node list alone, under EDGE__SCHED_LIST). */
    if (shared) {
        edge_err rc = edge__sched_shared_acquire(s, fs);
        if (rc)
            return rc;
    } else {
        edge__sched_shared_release(s, fs);
    }
    if (s->policy->rebuilt) {
        edge_err rc = s->policy->rebuilt(s, fs);
        if (rc)
            return rc;
    }
    s->n_tree_fns = s->n_tree_fns - (size_t)fs->has_tree + (size_t)tree;
    fs->has_tree = tree;
    fs->scan = scan;
    fs->dirty = 0;
    return EDGE_OK;
}

/* A load or usability change of node: one update per shared tree holding
 * it, however many functions use those trees (warm_first's warm lists hold
 * positions, not keys, so they need nothing). */
static void refresh_node(edge_scheduler *s, size_t node)
{
    if (s->n_tree_fns == 0)
        return; /* every function is in scan mode: no tree to keep */
    const edge__sched_node *ns = &s->nodes[node];
    if (ns->nt == 0)
        return;
    uint32_t k = edge__sched_node_key(s, (uint32_t)node);
    edge_argmin_set(&s->trees[ns->t1.tree]->t, ns->t1.pos, k);
    for (uint32_t i = 0; i + 1 < ns->nt; i++)
        edge_argmin_set(&s->trees[ns->t[i].tree]->t, ns->t[i].pos, k);
}

void edge_scheduler_set_usable(edge_scheduler *s, size_t node, int usable)
{
    if (node >= s->nnodes || (s->lkey[node] != UINT32_MAX) == !!usable)
        return;
    s->lkey[node] = usable ? usable_key(s->load[node]) : UINT32_MAX;
    if (usable && s->policy->node_back)
        s->policy->node_back(s, node);
    if (s->flags & EDGE__SCHED_TREE)
        refresh_node(s, node);
}

void edge_scheduler_set_load(edge_scheduler *s, size_t node, uint32_t in_flight)
{
    if (node >= s->nnodes || s->load[node] == in_flight)
        return;
    s->load[node] = in_flight;
    if (s->lkey[node] != UINT32_MAX)
        s->lkey[node] = usable_key(in_flight);
    if (s->flags & EDGE__SCHED_TREE)
        refresh_node(s, node);
}

void edge_scheduler_set_idle(edge_scheduler *s, size_t function, size_t node, uint32_t idle)
{
    /* Only policies that look at idle instances (warm_first, plugins) have
     * them recorded; the others skip the lookup. */
    if (!(s->flags & EDGE__SCHED_IDLE) || function >= s->nfns || node >= s->nnodes)
        return;
    /* The position: when fs is up to date with a shared tree, the node's
     * own record names its position in that tree, which is fs's (O(1),
     * from a record a load change reads anyway); otherwise a binary search
     * of fs->nodes, O(log m) (on routing.json the search was most of
     * warm_first's 13% of samples here; the node's function list, before
     * it, cost O(functions on the node): 152M of 1.5G instructions). */
    edge__sched_fn *fs = &s->fns[function];
    uint32_t pos = UINT32_MAX;
    if (!fs->dirty && fs->shared) {
        const edge__sched_node *ns = &s->nodes[node];
        uint32_t tree = fs->shared - 1;
        if (ns->nt && ns->t1.tree == tree)
            pos = ns->t1.pos;
        for (uint32_t i = 0; pos == UINT32_MAX && i + 1 < ns->nt; i++)
            if (ns->t[i].tree == tree)
                pos = ns->t[i].pos;
    }
    if (pos == UINT32_MAX)
        pos = edge__sched_pos_of(fs, node);
    if (pos == UINT32_MAX)
        return;
    int changed = (fs->idle[pos] == 0) != (idle == 0);
    fs->idle[pos] = idle;
    if (!changed || !(s->flags & EDGE__SCHED_WARM_KEY) || fs->dirty || !fs->has_tree)
        return;
    /* the warm list (a dirty function's is rebuilt at its next pick) */
    if (idle) {
        fs->widx[pos] = fs->nwarm;
        fs->warm[fs->nwarm++] = pos;
    } else {
        uint32_t i = fs->widx[pos], last = fs->warm[--fs->nwarm];
        fs->warm[i] = last;
        fs->widx[last] = i;
        fs->widx[pos] = UINT32_MAX;
    }
    fs->wbits[pos / 64] ^= 1ull << (pos % 64);
}

/* The min-key pick (least_loaded, warm_first) is the inner loop of large
 * runs (scale.json: ~1M picks/s): it is called directly and the call
 * flattened, so with LTO it is inlined here as when it lived in this file; an
 * indirect call measured ~24 instructions more a pick under callgrind. The
 * other policies go through the registry's pointer. */
__attribute__((flatten)) size_t edge_scheduler_pick(edge_scheduler *s, size_t function, const size_t *exclude,
                           size_t nexclude, edge_rand *rnd)
{
    if (function >= s->nfns)
        return EDGE_SCHED_NONE;
    edge__sched_fn *fs = &s->fns[function];
    if (fs->dirty && rebuild(s, fs) != EDGE_OK)
        return EDGE_SCHED_NONE;
    if (fs->n == 0)
        return EDGE_SCHED_NONE;
    if (s->pick == edge__sched_min_key_pick)
        return edge__sched_min_key_pick(s, fs, function, exclude, nexclude, rnd);
    return s->pick(s, fs, function, exclude, nexclude, rnd);
}

void edge_scheduler_set_costs(edge_scheduler *s, const int64_t *costs)
{
    s->costs = costs;
}

void edge_scheduler_set_tiers(edge_scheduler *s, const uint8_t *tier)
{
    s->tier = tier;
}

void edge_scheduler_set_capacity(edge_scheduler *s, const uint32_t *cores)
{
    s->cores = cores;
}

void edge_scheduler_set_offload_threshold(edge_scheduler *s, double load_per_core)
{
    if (load_per_core > 0)
        s->offload_threshold = load_per_core;
}

void edge_scheduler_set_expect(edge_scheduler *s, int64_t (*transfer)(void *ctx, size_t node),
                               void *ctx, int64_t exec_mean_ns)
{
    s->transfer = transfer;
    s->transfer_ctx = ctx;
    s->exec_mean = exec_mean_ns;
}

size_t edge_scheduler_deployed_count(const edge_scheduler *s, size_t function)
{
    return function < s->nfns ? s->fns[function].n : 0;
}
