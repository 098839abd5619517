/*
 * least_loaded, warm_first — the min-key policies.
 *
 * least_loaded: the usable node with the fewest invocations in flight; ties
 * to the earliest registered. warm_first is the same pick with another key:
 * nodes with an idle warm instance of the function come first (then the
 * least loaded, then the earliest registered), so it shares this file.
 *
 * Cost: a function on at most EDGE__SCHED_SCAN_MAX nodes is scanned (O(m)
 * over the 4-byte lkey array). Past that, least_loaded reads the argmin tree
 * shared by the functions deployed on the same nodes (core/sched_shared.c):
 * O(1), plus O(e log m) to hide e excluded nodes (a retry's). warm_first
 * first scans the function's list of warm positions (O(w) for w nodes
 * holding an idle instance of it; the list changes only when an idle count
 * turns zero or non-zero), and when none of them is eligible it is exactly
 * least_loaded's pick: every eligible node is then cold, and cold keys order
 * as loads do. Neither pays per function hosted on a node when a load
 * changes (before, warm_first kept a tree per function, and a load change
 * updated the tree of every function on the node: 100 on
 * scenarios/bench/routing.json). This pick is the inner loop of
 * scenarios/scale.json.
 */
#include "scheduler_internal.h"

size_t edge__sched_min_key_pick(edge_scheduler *s, edge__sched_fn *fs, size_t function,
                                const size_t *exclude, size_t nexclude, edge_rand *rnd)
{
    (void)function;
    (void)rnd;
    if (fs->scan) {
        uint32_t best = UINT32_MAX;
        uint64_t bk = EDGE__SCHED_KEY_NONE;
        for (uint32_t p = 0; p < fs->n; p++) {
            uint64_t k = edge__sched_key_of(s, fs, p);
            if (k < bk && !edge__sched_excluded(fs->nodes[p], exclude, nexclude)) {
                bk = k;
                best = p;
            }
        }
        return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
    }
    const edge__sched_tree *st = s->trees[fs->shared - 1];
    edge_argmin *tree = edge__sched_tree_of(s, fs);
    if (s->flags & EDGE__SCHED_WARM_KEY) {
        /* With many warm nodes and no exclusions, the least loaded warm one
         * is the first warm position in the lowest load level of the shared
         * tree: a few word ANDs (edge_argmin_first_in) instead of a scan of
         * the warm list. When no warm node has a load below the levels
         * (every warm node unusable, or loaded past EDGE_ARGMIN_LEVELS),
         * the scan below decides, so the answer is the scan's. */
        if (nexclude == 0 && fs->nwarm > (fs->n + 63) / 64) {
            uint32_t p = edge_argmin_first_in(tree, fs->wbits);
            if (p != EDGE_ARGMIN_EMPTY)
                return st->nodes[p];
        }
        /* the least loaded eligible warm node, ties to the lowest position */
        uint32_t best = UINT32_MAX, bk = UINT32_MAX;
        for (uint32_t i = 0; i < fs->nwarm; i++) {
            uint32_t p = fs->warm[i], node = st->nodes[p], k = s->lkey[node];
            if (k == UINT32_MAX || k > bk || (k == bk && p > best) ||
                edge__sched_excluded(node, exclude, nexclude))
                continue;
            bk = k;
            best = p;
        }
        if (best != UINT32_MAX)
            return st->nodes[best];
    }
    /* Excluded nodes leave the tree for the duration of this pick (a shared
     * tree has the same positions as fs: its node list equals fs's). The
     * winner's node is read from the tree's list, not fs's: one list shared
     * by the functions on those nodes stays in cache where each function's
     * own copy does not (routing.json: 100 lists of 4 KB; reading fs's was
     * three quarters of the pick's samples under perf). */
    uint32_t hidden[16];
    size_t nh = 0;
    for (size_t i = 0; i < nexclude && nh < 16; i++) {
        if (exclude[i] >= s->nnodes)
            continue;
        uint32_t pos = edge__sched_pos_of(fs, exclude[i]);
        if (pos != UINT32_MAX) {
            hidden[nh++] = pos;
            edge_argmin_set(tree, pos, EDGE_ARGMIN_NONE);
        }
    }
    uint32_t w = edge_argmin_get(tree);
    for (size_t i = 0; i < nh; i++)
        edge_argmin_set(tree, hidden[i], edge__sched_node_key(s, fs->nodes[hidden[i]]));
    if (w != EDGE_ARGMIN_EMPTY && !edge__sched_excluded(st->nodes[w], exclude, nexclude))
        return st->nodes[w];
    if (w == EDGE_ARGMIN_EMPTY)
        return EDGE_SCHED_NONE;
    /* More exclusions than we hid: the exact answer by a scan (by load:
     * under warm_first no eligible node is warm by now). */
    uint32_t best = UINT32_MAX;
    for (uint32_t p = 0; p < fs->n; p++)
        if (edge__sched_eligible(s, fs, p, exclude, nexclude) &&
            (best == UINT32_MAX || s->lkey[fs->nodes[p]] < s->lkey[fs->nodes[best]]))
            best = p;
    return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
}

const edge__sched_policy edge__sched_least_loaded = {
    .name = "least_loaded",
    .flags = EDGE__SCHED_TREE,
    .pick = edge__sched_min_key_pick,
};

const edge__sched_policy edge__sched_warm_first = {
    .name = "warm_first",
    .flags = EDGE__SCHED_TREE | EDGE__SCHED_WARM_KEY | EDGE__SCHED_IDLE,
    .pick = edge__sched_min_key_pick,
};
