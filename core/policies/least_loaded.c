/*
 * least_loaded, warm_first — the min-key policies.
 *
 * least_loaded: the usable node with the fewest invocations in flight; ties
 * to the earliest registered. warm_first is the same pick with another key:
 * nodes with an idle warm instance of the function come first (then the
 * least loaded, then the earliest registered), so it shares this file.
 *
 * Cost: a function on at most EDGE__SCHED_SCAN_MAX nodes is scanned (O(m)
 * over the 4-byte lkey array); past that the scheduler keeps an argmin tree
 * per function (least_loaded: one per distinct node set, shared by the
 * functions deployed on it; core/sched_shared.c) and a pick is O(1), plus
 * O(e log m) to hide e excluded nodes (a retry's). This pick is the inner
 * loop of scenarios/scale.json.
 */
#include "scheduler_internal.h"

size_t edge__sched_min_key_pick(edge_scheduler *s, edge__sched_fn *fs, size_t function,
                                const size_t *exclude, size_t nexclude, edge_rand *rnd)
{
    (void)rnd;
    if (fs->scan) {
        uint32_t best = UINT32_MAX;
        uint64_t bk = EDGE_ARGMIN_NONE;
        for (uint32_t p = 0; p < fs->n; p++) {
            uint64_t k = edge__sched_key_of(s, fs, p);
            if (k < bk && !edge__sched_excluded(fs->nodes[p], exclude, nexclude)) {
                bk = k;
                best = p;
            }
        }
        return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
    }
    /* Excluded nodes leave the tree for the duration of this pick (a shared
     * tree has the same positions as fs: its node list equals fs's). */
    edge_argmin *tree = edge__sched_tree_of(s, fs);
    uint32_t hidden[16];
    size_t nh = 0;
    for (size_t i = 0; i < nexclude && nh < 16; i++) {
        if (exclude[i] >= s->nnodes)
            continue;
        edge__sched_member *m = edge__sched_find_member(&s->nodes[exclude[i]], (uint32_t)function);
        if (m) {
            hidden[nh++] = m->pos;
            edge_argmin_set(tree, m->pos, EDGE_ARGMIN_NONE);
        }
    }
    uint32_t w = edge_argmin_get(tree);
    for (size_t i = 0; i < nh; i++)
        edge_argmin_set(tree, hidden[i], edge__sched_key_of(s, fs, hidden[i]));
    if (w != EDGE_ARGMIN_EMPTY && !edge__sched_excluded(fs->nodes[w], exclude, nexclude))
        return fs->nodes[w];
    if (w == EDGE_ARGMIN_EMPTY)
        return EDGE_SCHED_NONE;
    /* More exclusions than we hid: the exact answer by a scan. */
    uint32_t best = UINT32_MAX;
    for (uint32_t p = 0; p < fs->n; p++)
        if (edge__sched_eligible(s, fs, p, exclude, nexclude) &&
            (best == UINT32_MAX || edge__sched_key_of(s, fs, p) < edge__sched_key_of(s, fs, best)))
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
