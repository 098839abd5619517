/*
 * scheduler_internal.h — internal: what the routing policies see of the
 * scheduler (core/scheduler.c) and how they plug into its registry.
 *
 * scheduler.c owns the shared candidate structures: per function the nodes it
 * is deployed on (ascending node index = registration order) with their idle
 * warm instances, an argmin tree when a min-key policy has more than
 * EDGE__SCHED_SCAN_MAX nodes, and per node its load, usability, functions
 * and the compact `lkey` array every scan reads. It keeps them current on
 * every report (set_deployed, set_load, ...) and rebuilds a function's tree
 * lazily at its next pick.
 *
 * A policy (one file each under core/policies/) is an edge__sched_policy: a
 * name, a pick over those structures, flags saying which of them it needs
 * kept (so the others cost nothing), and optional hooks. scheduler.c looks a
 * policy up by name in its registry at create time; the plugin policy is not
 * in the registry (edge_scheduler_create_plugin). Not installed.
 */
#ifndef EDGE_SCHEDULER_INTERNAL_H
#define EDGE_SCHEDULER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "argmin.h"
#include "scheduler.h"

/* Up to this many nodes, a pick that reads every candidate's key (a few
 * hundred instructions over one small array) is cheaper than keeping a tree
 * up to date on every load change of every node (measured on scale.json: 30
 * nodes per function, two load changes per invocation). */
#define EDGE__SCHED_SCAN_MAX 64


/*
 * A shared least-loaded tree (core/sched_shared.c). The key (the load) is
 * the node's alone, so every function deployed on exactly the same nodes
 * needs the same tree, and they share one: a load change then updates one
 * tree per distinct node set holding the node, not one per function hosted
 * there (1,000 nodes x 100 functions on every node: 1 tree instead of 100,
 * and routing no longer costs in proportion to functions per node).
 * warm_first's key also depends on the function (its idle instances); it
 * uses the shared tree when none of the function's usable nodes is warm,
 * and otherwise scans the function's short list of warm positions
 * (edge__sched_fn.warm), which a load change does not touch. The tree keeps its own copy of the
 * node list, so it stays current while a function that used it is dirty;
 * its positions equal those of every function that refers to it.
 * Under EDGE__SCHED_LIST without EDGE__SCHED_TREE (random, power_of_two)
 * the same structure is a shared node list alone: its argmin is left empty
 * (t.n == 0, nothing to update on a load change) and no node lists it in
 * its references (edge__sched_node.t1 / t name only trees with keys).
 */
typedef struct edge__sched_tree {
    edge_argmin t;
    uint32_t *nodes;   /* owned; ascending node indices, n of them */
    uint32_t n;
    uint32_t refs;     /* functions using it; freed at 0 */
    uint64_t hash;     /* of the node list */
    uint32_t next;     /* next tree index + 1 in its hash chain, 0: end */
} edge__sched_tree;

/* Per node: a shared tree holding it, and its position there. */
typedef struct edge__sched_tree_ref {
    uint32_t tree, pos;
} edge__sched_tree_ref;

typedef struct edge__sched_fn {
    uint32_t *nodes;  /* node indices, ascending (= registration order) */
    uint32_t *idle;   /* idle warm instances, parallel to nodes */
    uint32_t n, cap;
    uint32_t shared;  /* tree policies past SCAN_MAX nodes: shared tree index + 1
                         (0: none); valid when !dirty */
    /* warm_first past SCAN_MAX nodes (valid when !dirty): the positions
     * whose idle count is not 0, unordered, and per position its index
     * there (UINT32_MAX: not warm). Owned; sized to n at the rebuild. */
    uint32_t *warm, *widx;
    uint32_t nwarm;
    /* the same warm positions as a bitset (bit p % 64 of word p / 64;
     * ceil(n / 64) words, owned), for edge_argmin_first_in */
    uint64_t *wbits;
    int dirty;
    int scan;         /* few nodes: pick scans them instead of keeping a tree */
    int has_tree;     /* counted in n_tree_fns */
    uint32_t rr_next; /* round_robin: position to try first */
    uint32_t affine;  /* consistent_hash: the node last chosen, or UINT32_MAX */
} edge__sched_fn;

typedef struct edge__sched_node {
    uint32_t *fns;    /* the functions deployed here, unordered (owned); a
                         function's position of the node is found in its
                         ascending node list (edge__sched_pos_of), so a
                         rebuild has no per-node positions to refresh */
    uint32_t nm, capm;
    /* the shared trees holding this node, nt of them: the first in t1, in
     * the record a load change reads anyway (usually the only one: a
     * separate allocation per node was a D1 miss per load change on
     * routing.json), the others in t[0 .. nt-1) (owned) */
    edge__sched_tree_ref t1;
    edge__sched_tree_ref *t;
    uint32_t nt, capt;
} edge__sched_node;

/* What a policy needs the scheduler to keep for it. */
enum {
    EDGE__SCHED_TREE = 1,     /* past SCAN_MAX nodes, a function uses the shared
                                 least-loaded tree over its nodes */
    EDGE__SCHED_WARM_KEY = 2, /* the key puts nodes with an idle warm instance first;
                                 past SCAN_MAX nodes, the warm positions are listed */
    EDGE__SCHED_IDLE = 4,     /* set_idle is recorded (otherwise ignored) */
    EDGE__SCHED_LIST = 8,     /* past SCAN_MAX nodes, a function points at the
                                 shared structure over its nodes for its node
                                 list alone (edge__sched_nodes_of); no keys are
                                 kept there, so a load change costs nothing */
    EDGE__SCHED_DRAWN = 16    /* the pick changes nothing but the stream it draws
                                 from: a pick on a copy of the stream is the
                                 pick (edge_scheduler_guess_drawn) */
};

/* A policy's pick: see edge__sched_policy. */
typedef size_t edge__sched_pick_fn(edge_scheduler *s, edge__sched_fn *fs, size_t function,
                                   const size_t *exclude, size_t nexclude, edge_rand *rnd);

/*
 * A policy. pick is called with fs up to date (not dirty) and fs->n > 0; it
 * returns a node index or EDGE_SCHED_NONE. The hooks may be NULL:
 *   rebuilt   after fs's positions and tree were rebuilt (may fail: EDGE_NOMEM)
 *   node_back when a node becomes usable again
 *   started, finished  edge_scheduler_started / _finished
 */
typedef struct edge__sched_policy {
    const char *name;
    unsigned flags;
    edge__sched_pick_fn *pick;
    edge_err (*rebuilt)(edge_scheduler *s, edge__sched_fn *fs);
    void (*node_back)(edge_scheduler *s, size_t node);
    void (*started)(edge_scheduler *s, size_t function, size_t node, int64_t now);
    void (*finished)(edge_scheduler *s, size_t function, size_t node, int64_t now, int ok);
} edge__sched_policy;

struct edge_scheduler {
    const edge__sched_policy *policy;
    /* copies of policy's fields read on every invocation: one load, not two */
    unsigned flags;
    edge__sched_pick_fn *pick;
    void (*started)(edge_scheduler *s, size_t function, size_t node, int64_t now);
    void (*finished)(edge_scheduler *s, size_t function, size_t node, int64_t now, int ok);
    const int64_t *costs; /* nearest: per node, the client's network cost */
    size_t n_tree_fns; /* functions that keep a tree (more than SCAN_MAX nodes) */
    uint32_t *lkey;   /* per node: its load when usable, UINT32_MAX when not.
                         4 bytes a node, so a scan over candidates reads one
                         small hot array instead of 24-byte node records */
    uint32_t *load;   /* per node: its in-flight count, usable or not. Beside
                         lkey, not in the node record: a load change (two an
                         invocation) then reads 8 bytes from arrays that stay
                         in L2 at 100,000 nodes, not a record that misses */
    edge__sched_fn *fns;
    size_t nfns;
    edge__sched_node *nodes;
    size_t nnodes;
    /* shared least-loaded trees (sched_shared.c): slots, a stack of free
     * slots, and a chained hash of node lists (heads: tree index + 1) */
    edge__sched_tree **trees;
    uint32_t ntrees, trees_cap;
    uint32_t *tfree;
    uint32_t nfree;
    uint32_t *thash;
    uint32_t thash_cap; /* a power of two, or 0 */
    /* plugin: the borrowed vtable and state, the request context of the
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
    int64_t *cand_transfer; /* parallel to cand: expected transfer times */
    /* offload_threshold and latency_aware */
    const uint8_t *tier;
    const uint32_t *cores;
    double offload_threshold;
    int64_t (*transfer)(void *ctx, size_t node);
    void *transfer_ctx;
    int64_t exec_mean;
};

/* The pick of least_loaded and warm_first (least_loaded.c): named, so that
 * edge_scheduler_pick calls it directly on the hot path. */
edge__sched_pick_fn edge__sched_min_key_pick;

/* fs's node list as a pick should read it (fs not dirty): the shared copy
 * when fs has one (EDGE__SCHED_TREE or _LIST past SCAN_MAX nodes), else
 * fs's own. The two are equal element by element; the shared one is read
 * by every function deployed on those nodes, so it stays in cache where
 * each function's own copy does not (routing.json: 100 functions' lists of
 * 4 KB, one shared list). */
static inline const uint32_t *edge__sched_nodes_of(const edge_scheduler *s,
                                                   const edge__sched_fn *fs)
{
    return fs->shared ? s->trees[fs->shared - 1]->nodes : fs->nodes;
}

/* The tree a min-key pick reads for fs (not dirty, not scan): the shared
 * least-loaded tree over its nodes. */
static inline edge_argmin *edge__sched_tree_of(const edge_scheduler *s, const edge__sched_fn *fs)
{
    return &s->trees[fs->shared - 1]->t;
}

/* Points fs at the shared tree over exactly fs->nodes, making it (keyed by
 * the current loads) when there is none; fs->shared is set. Releases fs's
 * previous one first. Errors: EDGE_NOMEM (fs then has none). O(m) to hash
 * and compare fs's m nodes, plus O(m log m) when the tree is made. */
edge_err edge__sched_shared_acquire(edge_scheduler *s, edge__sched_fn *fs);

/* Drops fs's reference to its shared tree, if any; the last one frees it.
 * O(m) plus the holders' reference lists when freed. */
void edge__sched_shared_release(edge_scheduler *s, edge__sched_fn *fs);

/* Frees every shared tree (edge_scheduler_free). */
void edge__sched_shared_free_all(edge_scheduler *s);

/* The policies (core/policies/). */
extern const edge__sched_policy edge__sched_least_loaded, edge__sched_warm_first,
    edge__sched_round_robin, edge__sched_random, edge__sched_power_of_two,
    edge__sched_nearest, edge__sched_consistent_hash, edge__sched_plugin,
    edge__sched_offload_threshold, edge__sched_latency_aware;

/* fs's position of node (fs->nodes is ascending, dirty or not), or
 * UINT32_MAX when fs is not deployed there. O(log m). */
static inline uint32_t edge__sched_pos_of(const edge__sched_fn *fs, size_t node)
{
    uint32_t lo = 0, hi = fs->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (fs->nodes[mid] < node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < fs->n && fs->nodes[lo] == node ? lo : UINT32_MAX;
}

/* A shared tree's key of a node: its load, EDGE_ARGMIN_NONE when it is not
 * usable (lkey already holds exactly that: UINT32_MAX = EDGE_ARGMIN_NONE). */
static inline uint32_t edge__sched_node_key(const edge_scheduler *s, uint32_t node)
{
    return s->lkey[node];
}

/* A scan's key that never wins (edge__sched_key_of). */
#define EDGE__SCHED_KEY_NONE UINT64_MAX

/* The min-key policies' key of fs's position pos, for a scan:
 * EDGE__SCHED_KEY_NONE when the node is not usable; else its load, behind
 * every node with an idle warm instance under EDGE__SCHED_WARM_KEY. */
static inline uint64_t edge__sched_key_of(const edge_scheduler *s, const edge__sched_fn *fs,
                                          uint32_t pos)
{
    uint32_t k = s->lkey[fs->nodes[pos]];
    if (k == UINT32_MAX)
        return EDGE__SCHED_KEY_NONE;
    if (s->flags & EDGE__SCHED_WARM_KEY)
        return ((uint64_t)(fs->idle[pos] == 0) << 32) | k;
    return k;
}

static inline int edge__sched_excluded(size_t node, const size_t *exclude, size_t nexclude)
{
    for (size_t i = 0; i < nexclude; i++)
        if (exclude[i] == node)
            return 1;
    return 0;
}

/* Usable and not excluded. */
static inline int edge__sched_eligible(const edge_scheduler *s, const edge__sched_fn *fs,
                                       uint32_t pos, const size_t *exclude, size_t nexclude)
{
    uint32_t node = fs->nodes[pos];
    return s->lkey[node] != UINT32_MAX && !edge__sched_excluded(node, exclude, nexclude);
}

/* Uniform over [0, n) by multiply-shift of the draw's high 32 bits (bias
 * below n / 2^32, nothing a run can detect); one draw from r. n >= 1. */
static inline uint32_t edge__sched_below(edge_rand *r, uint32_t n)
{
    return (uint32_t)(((r->next(r->ctx) >> 32) * (uint64_t)n) >> 32);
}

/* Rejection draws edge__sched_random_pos makes before it counts and selects. */
#define EDGE__SCHED_RANDOM_TRIES 8

/* A uniformly random eligible position of fs other than `not` (UINT32_MAX for
 * none), or UINT32_MAX when there is none: up to EDGE__SCHED_RANDOM_TRIES
 * rejection draws (edge__sched_below over fs->n), then one draw to select
 * among the counted eligible positions. Draws from r. nodes is fs's node
 * list as edge__sched_nodes_of gives it (read in its place: equal). In
 * core/policies/random_pick.c, beside its users (random, power_of_two). */
uint32_t edge__sched_random_pos(const edge_scheduler *s, const edge__sched_fn *fs,
                                const uint32_t *nodes, edge_rand *r, const size_t *exclude,
                                size_t nexclude, uint32_t not);

/* edge__sched_random_pos when the caller has already made `tried` of its
 * rejection draws itself (each rejected): the rest of the same sequence, so
 * a caller may inline the first draw (power_of_two) and still draw exactly
 * as edge__sched_random_pos would. */
uint32_t edge__sched_random_pos_after(const edge_scheduler *s, const edge__sched_fn *fs,
                                      const uint32_t *nodes, edge_rand *r, const size_t *exclude,
                                      size_t nexclude, uint32_t not, int tried);

#endif
