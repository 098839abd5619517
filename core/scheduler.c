#include "scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "argmin.h"

typedef enum {
    P_LEAST_LOADED,
    P_WARM_FIRST,
    P_ROUND_ROBIN,
    P_RANDOM,
    P_POWER_OF_TWO,
    P_NEAREST,
    P_CONSISTENT_HASH,
    P_PLUGIN /* not by name: edge_scheduler_create_plugin */
} policy_id;

static const char *const policy_names[] = {"least_loaded", "warm_first", "round_robin", "random",
                                           "power_of_two", "nearest", "consistent_hash", NULL};

/* Up to this many nodes, a pick that reads every candidate's key (a few
 * hundred instructions over one small array) is cheaper than keeping a tree
 * up to date on every load change of every node (measured on scale.json: 30
 * nodes per function, two load changes per invocation). */
#define SCAN_MAX 64

typedef struct member {
    uint32_t fn, pos; /* node is deployed for fn at position pos of fn's list */
} member;

typedef struct fn_state {
    uint32_t *nodes;  /* node indices, ascending (= registration order) */
    uint32_t *idle;   /* idle warm instances, parallel to nodes */
    uint32_t n, cap;
    edge_argmin tree; /* tree policies with more than SCAN_MAX nodes; valid when !dirty */
    int dirty;
    int scan;         /* few nodes: pick scans them instead of keeping a tree */
    int has_tree;     /* counted in n_tree_fns */
    uint32_t rr_next; /* round_robin: position to try first */
    uint32_t affine;  /* consistent_hash: the node last chosen, or UINT32_MAX */
} fn_state;

typedef struct node_state {
    uint32_t load;
    int usable;
    member *m;
    uint32_t nm, capm;
} node_state;

struct edge_scheduler {
    policy_id policy;
    const int64_t *costs; /* nearest: per node, the client's network cost */
    size_t n_tree_fns; /* functions that keep a tree (more than SCAN_MAX nodes) */
    uint32_t *lkey;   /* per node: its load when usable, UINT32_MAX when not.
                         4 bytes a node, so a scan over candidates reads one
                         small hot array instead of 24-byte node records */
    fn_state *fns;
    size_t nfns;
    node_state *nodes;
    size_t nnodes;
    /* P_PLUGIN: the borrowed vtable and state, the request context of the
     * next picks, and a candidate array sized to the largest function */
    const edge_policy_plugin *plugin;
    void *plugin_state;
    const uint32_t *regions;
    int64_t now;
    uint32_t client_region;
    edge_policy_candidate *cand;
    size_t cand_cap;
    int bad_choice;
    long bad_value;
};

const char *const *edge_scheduler_policies(void)
{
    return policy_names;
}

static int uses_tree(const edge_scheduler *s)
{
    return s->policy == P_LEAST_LOADED || s->policy == P_WARM_FIRST;
}

edge_scheduler *edge_scheduler_create(const char *policy, size_t nfunctions, size_t nnodes,
                                      edge_err *err)
{
    edge_err rc = EDGE_NOT_FOUND;
    edge_scheduler *s = NULL;
    int id = -1;
    for (int i = 0; policy && policy_names[i]; i++)
        if (!strcmp(policy, policy_names[i]))
            id = i;
    if (id < 0)
        goto fail;
    rc = EDGE_NOMEM;
    s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->policy = (policy_id)id;
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

void edge_scheduler_free(edge_scheduler *s)
{
    if (!s)
        return;
    for (size_t f = 0; f < s->nfns; f++) {
        free(s->fns[f].nodes);
        free(s->fns[f].idle);
        edge_argmin_free(&s->fns[f].tree);
    }
    for (size_t n = 0; n < s->nnodes; n++)
        free(s->nodes[n].m);
    free(s->fns);
    free(s->nodes);
    free(s->lkey);
    free(s->cand);
    free(s);
}

const char *edge_scheduler_policy(const edge_scheduler *s)
{
    return s->policy == P_PLUGIN ? "plugin" : policy_names[s->policy];
}

edge_scheduler *edge_scheduler_create_plugin(const edge_policy_plugin *plugin, void *state,
                                             size_t nfunctions, size_t nnodes, edge_err *err)
{
    if (!plugin || !plugin->choose || plugin->abi_version != EDGE_POLICY_ABI_VERSION) {
        if (err)
            *err = EDGE_INVAL;
        return NULL;
    }
    /* any built-in name to create, then switch: the state is the same */
    edge_scheduler *s = edge_scheduler_create(policy_names[0], nfunctions, nnodes, err);
    if (!s)
        return NULL;
    s->policy = P_PLUGIN;
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
    if (s->policy == P_PLUGIN && s->plugin->on_start)
        s->plugin->on_start(s->plugin_state, (uint32_t)function, (uint32_t)node, now);
}

void edge_scheduler_finished(edge_scheduler *s, size_t function, size_t node, int64_t now, int ok)
{
    if (s->policy == P_PLUGIN && s->plugin->on_finish)
        s->plugin->on_finish(s->plugin_state, (uint32_t)function, (uint32_t)node, now, ok);
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
    node_state *p = realloc(s->nodes, want * sizeof *p);
    if (!p)
        return EDGE_NOMEM;
    for (size_t i = s->nnodes; i < want; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].usable = 1;
        k[i] = 0;
    }
    s->nodes = p;
    s->nnodes = nnodes;
    return EDGE_OK;
}

static member *find_member(node_state *ns, uint32_t fn)
{
    for (uint32_t i = 0; i < ns->nm; i++)
        if (ns->m[i].fn == fn)
            return &ns->m[i];
    return NULL;
}

static uint64_t key_of(const edge_scheduler *s, const fn_state *fs, uint32_t pos)
{
    uint32_t k = s->lkey[fs->nodes[pos]];
    if (k == UINT32_MAX)
        return EDGE_ARGMIN_NONE;
    if (s->policy == P_WARM_FIRST)
        return ((uint64_t)(fs->idle[pos] == 0) << 32) | k;
    return k;
}

static void set_lkey(edge_scheduler *s, size_t node)
{
    const node_state *ns = &s->nodes[node];
    /* a load of UINT32_MAX - 1 or more is clamped: it never ties NONE */
    s->lkey[node] = ns->usable ? (ns->load < UINT32_MAX - 1 ? ns->load : UINT32_MAX - 1)
                               : UINT32_MAX;
}

edge_err edge_scheduler_set_deployed(edge_scheduler *s, size_t function, size_t node, int deployed)
{
    if (function >= s->nfns || node >= s->nnodes)
        return EDGE_INVAL;
    fn_state *fs = &s->fns[function];
    node_state *ns = &s->nodes[node];
    member *m = find_member(ns, (uint32_t)function);
    if (deployed && !m) {
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
            member *a = realloc(ns->m, cap * sizeof *a);
            if (!a)
                return EDGE_NOMEM;
            ns->m = a;
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
        ns->m[ns->nm++] = (member){(uint32_t)function, pos};
        fs->dirty = 1;
        fs->affine = UINT32_MAX; /* the new node may now be the heaviest */
    } else if (!deployed && m) {
        uint32_t pos = m->pos;
        if (fs->dirty) /* positions are stale until a rebuild: search */
            for (pos = 0; fs->nodes[pos] != node; pos++)
                ;
        memmove(&fs->nodes[pos], &fs->nodes[pos + 1], (fs->n - pos - 1) * sizeof fs->nodes[0]);
        memmove(&fs->idle[pos], &fs->idle[pos + 1], (fs->n - pos - 1) * sizeof fs->idle[0]);
        fs->n--;
        *m = ns->m[--ns->nm];
        fs->dirty = 1;
        if (fs->rr_next > pos)
            fs->rr_next--;
    }
    return EDGE_OK;
}

/* Brings fn's member positions and tree up to date. */
static edge_err rebuild(edge_scheduler *s, fn_state *fs, uint32_t fn)
{
    for (uint32_t i = 0; i < fs->n; i++)
        find_member(&s->nodes[fs->nodes[i]], fn)->pos = i;
    int scan = fs->n <= SCAN_MAX;
    int tree = uses_tree(s) && !scan;
    if (tree) {
        edge_argmin t;
        edge_err rc = edge_argmin_init(&t, fs->n);
        if (rc)
            return rc;
        edge_argmin_free(&fs->tree);
        fs->tree = t;
    } else {
        edge_argmin_free(&fs->tree);
    }
    if (s->policy == P_PLUGIN && fs->n > s->cand_cap) {
        edge_policy_candidate *c = realloc(s->cand, fs->n * sizeof *c);
        if (!c)
            return EDGE_NOMEM;
        s->cand = c;
        s->cand_cap = fs->n;
    }
    s->n_tree_fns = s->n_tree_fns - (size_t)fs->has_tree + (size_t)tree;
    fs->has_tree = tree;
    fs->scan = scan;
    if (tree)
        for (uint32_t i = 0; i < fs->n; i++)
            edge_argmin_set(&fs->tree, i, key_of(s, fs, i));
    fs->dirty = 0;
    return EDGE_OK;
}

static void refresh_node(edge_scheduler *s, size_t node)
{
    if (s->n_tree_fns == 0)
        return; /* every function is in scan mode: no tree to keep */
    node_state *ns = &s->nodes[node];
    for (uint32_t i = 0; i < ns->nm; i++) {
        fn_state *fs = &s->fns[ns->m[i].fn];
        if (!fs->dirty && !fs->scan)
            edge_argmin_set(&fs->tree, ns->m[i].pos, key_of(s, fs, ns->m[i].pos));
    }
}

void edge_scheduler_set_usable(edge_scheduler *s, size_t node, int usable)
{
    if (node >= s->nnodes || s->nodes[node].usable == !!usable)
        return;
    s->nodes[node].usable = !!usable;
    set_lkey(s, node);
    if (usable && s->policy == P_CONSISTENT_HASH) /* a node back may win its functions back */
        for (uint32_t i = 0; i < s->nodes[node].nm; i++)
            s->fns[s->nodes[node].m[i].fn].affine = UINT32_MAX;
    if (uses_tree(s))
        refresh_node(s, node);
}

void edge_scheduler_set_load(edge_scheduler *s, size_t node, uint32_t in_flight)
{
    if (node >= s->nnodes || s->nodes[node].load == in_flight)
        return;
    s->nodes[node].load = in_flight;
    set_lkey(s, node);
    if (uses_tree(s))
        refresh_node(s, node);
}

void edge_scheduler_set_idle(edge_scheduler *s, size_t function, size_t node, uint32_t idle)
{
    /* Only warm_first and plugins look at idle instances; the others skip
     * the lookup. */
    if ((s->policy != P_WARM_FIRST && s->policy != P_PLUGIN) || function >= s->nfns || node >= s->nnodes)
        return;
    fn_state *fs = &s->fns[function];
    member *m = find_member(&s->nodes[node], (uint32_t)function);
    if (!m)
        return;
    uint32_t pos = m->pos;
    if (fs->dirty)
        for (pos = 0; fs->nodes[pos] != node; pos++)
            ;
    int changed = (fs->idle[pos] == 0) != (idle == 0);
    fs->idle[pos] = idle;
    if (changed && s->policy == P_WARM_FIRST && !fs->dirty && !fs->scan)
        edge_argmin_set(&fs->tree, pos, key_of(s, fs, pos));
}

static int excluded(size_t node, const size_t *exclude, size_t nexclude)
{
    for (size_t i = 0; i < nexclude; i++)
        if (exclude[i] == node)
            return 1;
    return 0;
}

static int eligible(const edge_scheduler *s, const fn_state *fs, uint32_t pos,
                    const size_t *exclude, size_t nexclude)
{
    uint32_t node = fs->nodes[pos];
    return s->lkey[node] != UINT32_MAX && !excluded(node, exclude, nexclude);
}

/* Uniform over [0, n) without modulo bias worth speaking of (64-bit source). */
static uint32_t below(edge_rand *r, uint32_t n)
{
    return (uint32_t)(((r->next(r->ctx) >> 32) * (uint64_t)n) >> 32);
}

/* A uniformly random eligible position other than `not` (UINT32_MAX for
 * none), or UINT32_MAX when there is none. A few rejection draws, then an
 * exact count-and-select so a sparse eligible set still gets a uniform pick. */
static uint32_t random_pos(const edge_scheduler *s, const fn_state *fs, edge_rand *r,
                           const size_t *exclude, size_t nexclude, uint32_t not)
{
    if (fs->n == 0)
        return UINT32_MAX;
    for (int tries = 0; tries < 8; tries++) {
        uint32_t p = below(r, fs->n);
        if (p != not && eligible(s, fs, p, exclude, nexclude))
            return p;
    }
    uint32_t count = 0;
    for (uint32_t p = 0; p < fs->n; p++)
        count += p != not && eligible(s, fs, p, exclude, nexclude);
    if (count == 0)
        return UINT32_MAX;
    uint32_t k = below(r, count);
    for (uint32_t p = 0; p < fs->n; p++)
        if (p != not && eligible(s, fs, p, exclude, nexclude) && k-- == 0)
            return p;
    return UINT32_MAX;
}

/* Rendezvous (highest random weight) hashing: the weight of (function,
 * node) is a fixed mix of the two. A function goes to its heaviest eligible
 * node, so removing a node moves only the functions that were on it, and
 * adding one takes only the functions for which it is now heaviest. */
static uint64_t hrw(uint32_t fn, uint32_t node)
{
    uint64_t x = ((uint64_t)fn << 32 | node) + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A uniform double in [0, 1) from the caller's 64-bit stream: its top 53 bits. */
static double uniform01(void *ctx)
{
    edge_rand *r = ctx;
    return (double)(r->next(r->ctx) >> 11) * 0x1.0p-53;
}

/* A plugin's pick: the eligible candidates in node order, its answer
 * checked. O(m) for a function on m nodes: the plugin sees them all. */
static size_t plugin_pick(edge_scheduler *s, fn_state *fs, size_t function,
                          const size_t *exclude, size_t nexclude, edge_rand *rnd)
{
    size_t nc = 0;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!eligible(s, fs, p, exclude, nexclude))
            continue;
        uint32_t node = fs->nodes[p];
        s->cand[nc++] = (edge_policy_candidate){
            .node = node,
            .in_flight = s->nodes[node].load,
            .idle_warm = fs->idle[p],
            .region = s->regions ? s->regions[node] : 0,
            .latency_ns = s->costs ? s->costs[node] : 0,
        };
    }
    if (nc == 0)
        return EDGE_SCHED_NONE;
    edge_policy_request req = {
        .function = (uint32_t)function,
        .client_region = s->client_region,
        .now = s->now,
        .candidates = s->cand,
        .ncandidates = nc,
        .uniform = rnd ? uniform01 : NULL,
        .rng = rnd,
    };
    long k = s->plugin->choose(s->plugin_state, &req);
    if (k == EDGE_POLICY_NONE)
        return EDGE_SCHED_NONE;
    if (k < 0 || (size_t)k >= nc) {
        if (!s->bad_choice)
            s->bad_value = k;
        s->bad_choice = 1;
        return EDGE_SCHED_NONE;
    }
    return s->cand[k].node;
}

size_t edge_scheduler_pick(edge_scheduler *s, size_t function, const size_t *exclude,
                           size_t nexclude, edge_rand *rnd)
{
    if (function >= s->nfns)
        return EDGE_SCHED_NONE;
    fn_state *fs = &s->fns[function];
    if (fs->dirty && rebuild(s, fs, (uint32_t)function) != EDGE_OK)
        return EDGE_SCHED_NONE;
    if (fs->n == 0)
        return EDGE_SCHED_NONE;

    switch (s->policy) {
    case P_LEAST_LOADED:
    case P_WARM_FIRST: {
        if (fs->scan) {
            uint32_t best = UINT32_MAX;
            uint64_t bk = EDGE_ARGMIN_NONE;
            for (uint32_t p = 0; p < fs->n; p++) {
                uint64_t k = key_of(s, fs, p);
                if (k < bk && !excluded(fs->nodes[p], exclude, nexclude)) {
                    bk = k;
                    best = p;
                }
            }
            return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
        }
        /* Excluded nodes leave the tree for the duration of this pick. */
        uint32_t hidden[16];
        size_t nh = 0;
        for (size_t i = 0; i < nexclude && nh < 16; i++) {
            if (exclude[i] >= s->nnodes)
                continue;
            member *m = find_member(&s->nodes[exclude[i]], (uint32_t)function);
            if (m) {
                hidden[nh++] = m->pos;
                edge_argmin_set(&fs->tree, m->pos, EDGE_ARGMIN_NONE);
            }
        }
        uint32_t w = edge_argmin_get(&fs->tree);
        for (size_t i = 0; i < nh; i++)
            edge_argmin_set(&fs->tree, hidden[i], key_of(s, fs, hidden[i]));
        if (w != EDGE_ARGMIN_EMPTY && !excluded(fs->nodes[w], exclude, nexclude))
            return fs->nodes[w];
        if (w == EDGE_ARGMIN_EMPTY)
            return EDGE_SCHED_NONE;
        /* More exclusions than we hid: the exact answer by a scan. */
        uint32_t best = UINT32_MAX;
        for (uint32_t p = 0; p < fs->n; p++)
            if (eligible(s, fs, p, exclude, nexclude) &&
                (best == UINT32_MAX || key_of(s, fs, p) < key_of(s, fs, best)))
                best = p;
        return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
    }
    case P_ROUND_ROBIN:
        for (uint32_t k = 0; k < fs->n; k++) {
            uint32_t p = (fs->rr_next + k) % fs->n;
            if (eligible(s, fs, p, exclude, nexclude)) {
                fs->rr_next = (p + 1) % fs->n;
                return fs->nodes[p];
            }
        }
        return EDGE_SCHED_NONE;
    case P_RANDOM: {
        if (!rnd)
            return EDGE_SCHED_NONE;
        uint32_t p = random_pos(s, fs, rnd, exclude, nexclude, UINT32_MAX);
        return p == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[p];
    }
    case P_POWER_OF_TWO: {
        if (!rnd)
            return EDGE_SCHED_NONE;
        uint32_t a = random_pos(s, fs, rnd, exclude, nexclude, UINT32_MAX);
        if (a == UINT32_MAX)
            return EDGE_SCHED_NONE;
        uint32_t b = random_pos(s, fs, rnd, exclude, nexclude, a);
        if (b == UINT32_MAX)
            return fs->nodes[a];
        uint32_t la = s->nodes[fs->nodes[a]].load, lb = s->nodes[fs->nodes[b]].load;
        if (lb < la || (lb == la && b < a))
            a = b;
        return fs->nodes[a];
    }
    case P_NEAREST: {
        /* The client's costs differ per region, so no per-function tree can
         * hold them: a scan, lowest (cost, load), ties to the earliest. */
        uint32_t best = UINT32_MAX;
        for (uint32_t p = 0; p < fs->n; p++) {
            if (!eligible(s, fs, p, exclude, nexclude))
                continue;
            if (best == UINT32_MAX) {
                best = p;
                continue;
            }
            int64_t cp = s->costs ? s->costs[fs->nodes[p]] : 0;
            int64_t cb = s->costs ? s->costs[fs->nodes[best]] : 0;
            if (cp < cb || (cp == cb && s->lkey[fs->nodes[p]] < s->lkey[fs->nodes[best]]))
                best = p;
        }
        return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
    }
    case P_PLUGIN:
        return plugin_pick(s, fs, function, exclude, nexclude, rnd);
    case P_CONSISTENT_HASH: {
        /* Affinity: the node chosen last stays the answer while it is
         * eligible (O(1)); otherwise the heaviest eligible node (O(m)). */
        if (fs->affine != UINT32_MAX && fs->affine < s->nnodes &&
            s->lkey[fs->affine] != UINT32_MAX && !excluded(fs->affine, exclude, nexclude) &&
            find_member(&s->nodes[fs->affine], (uint32_t)function)) {
            /* still the heaviest? only a node added since could beat it:
             * membership changes reset the affinity */
            return fs->affine;
        }
        uint32_t best = UINT32_MAX;
        uint64_t bw = 0;
        for (uint32_t p = 0; p < fs->n; p++) {
            if (!eligible(s, fs, p, exclude, nexclude))
                continue;
            uint64_t wgt = hrw((uint32_t)function, fs->nodes[p]);
            if (best == UINT32_MAX || wgt > bw) {
                best = p;
                bw = wgt;
            }
        }
        if (best == UINT32_MAX)
            return EDGE_SCHED_NONE;
        if (nexclude == 0)
            fs->affine = fs->nodes[best];
        return fs->nodes[best];
    }
    }
    return EDGE_SCHED_NONE;
}

void edge_scheduler_set_costs(edge_scheduler *s, const int64_t *costs)
{
    s->costs = costs;
}

size_t edge_scheduler_deployed_count(const edge_scheduler *s, size_t function)
{
    return function < s->nfns ? s->fns[function].n : 0;
}
