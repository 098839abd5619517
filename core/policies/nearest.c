/*
 * nearest — the eligible node with the lowest network cost from the client
 * (edge_scheduler_set_costs; none set: all equal), then the least loaded,
 * then the earliest registered.
 *
 * Cost: O(m), a scan of the function's nodes: the costs differ per client
 * region, so no per-function tree can hold them.
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    (void)rnd;
    uint32_t best = UINT32_MAX;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!edge__sched_eligible(s, fs, p, exclude, nexclude))
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

const edge__sched_policy edge__sched_nearest = {
    .name = "nearest",
    .pick = pick,
};
