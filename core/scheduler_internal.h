/*
 * scheduler_internal.h — internal: what the routing policies see of the
 * scheduler (core/scheduler.c) and how they plug into its registry.
 *
 * scheduler.c owns the shared candidate structures: per function the nodes it
 * is deployed on (ascending node index = registration order) with their idle
 * warm instances, an argmin tree when a min-key policy has more than
 * EDGE__SCHED_SCAN_MAX nodes, and per node its load, usability and the
 * compact `lkey` array every scan reads. It keeps them current on every
 * report (set_deployed, set_load, ...) and rebuilds a function's positions
 * and tree lazily at its next pick.
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

typedef struct edge__sched_member {
    uint32_t fn, pos; /* node is deployed for fn at position pos of fn's list */
} edge__sched_member;

typedef struct edge__sched_fn {
    uint32_t *nodes;  /* node indices, ascending (= registration order) */
    uint32_t *idle;   /* idle warm instances, parallel to nodes */
    uint32_t n, cap;
    edge_argmin tree; /* tree policies with more than SCAN_MAX nodes; valid when !dirty */
    int dirty;
    int scan;         /* few nodes: pick scans them instead of keeping a tree */
    int has_tree;     /* counted in n_tree_fns */
    uint32_t rr_next; /* round_robin: position to try first */
    uint32_t affine;  /* consistent_hash: the node last chosen, or UINT32_MAX */
} edge__sched_fn;

typedef struct edge__sched_node {
    uint32_t load;
    int usable;
    edge__sched_member *m;
    uint32_t nm, capm;
} edge__sched_node;

/* What a policy needs the scheduler to keep for it. */
enum {
    EDGE__SCHED_TREE = 1,     /* a min-key tree per function past SCAN_MAX nodes */
    EDGE__SCHED_WARM_KEY = 2, /* the key puts nodes with an idle warm instance first */
    EDGE__SCHED_IDLE = 4      /* set_idle is recorded (otherwise ignored) */
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
    edge__sched_fn *fns;
    size_t nfns;
    edge__sched_node *nodes;
    size_t nnodes;
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
};

/* The pick of least_loaded and warm_first (least_loaded.c): named, so that
 * edge_scheduler_pick calls it directly on the hot path. */
edge__sched_pick_fn edge__sched_min_key_pick;

/* The policies (core/policies/). */
extern const edge__sched_policy edge__sched_least_loaded, edge__sched_warm_first,
    edge__sched_round_robin, edge__sched_random, edge__sched_power_of_two,
    edge__sched_nearest, edge__sched_consistent_hash, edge__sched_plugin;

static inline edge__sched_member *edge__sched_find_member(edge__sched_node *ns, uint32_t fn)
{
    for (uint32_t i = 0; i < ns->nm; i++)
        if (ns->m[i].fn == fn)
            return &ns->m[i];
    return NULL;
}

/* The min-key policies' key of fs's position pos: EDGE_ARGMIN_NONE when the
 * node is not usable; else its load, behind every node with an idle warm
 * instance under EDGE__SCHED_WARM_KEY. */
static inline uint64_t edge__sched_key_of(const edge_scheduler *s, const edge__sched_fn *fs,
                                          uint32_t pos)
{
    uint32_t k = s->lkey[fs->nodes[pos]];
    if (k == UINT32_MAX)
        return EDGE_ARGMIN_NONE;
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

/* A uniformly random eligible position of fs other than `not` (UINT32_MAX for
 * none), or UINT32_MAX when there is none. Draws from r. In
 * core/policies/random_pick.c, beside its users (random, power_of_two). */
uint32_t edge__sched_random_pos(const edge_scheduler *s, const edge__sched_fn *fs, edge_rand *r,
                                const size_t *exclude, size_t nexclude, uint32_t not);

#endif
