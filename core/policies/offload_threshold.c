/*
 * offload_threshold — stay at the edge until it is busy, then offload to the
 * next tier (fog, then cloud): among the eligible nodes of the lowest tier
 * (edge_scheduler_set_tiers) whose load per core (in flight / cores,
 * edge_scheduler_set_capacity) is below the threshold
 * (edge_scheduler_set_offload_threshold; default 1, a free core), the
 * nearest (set_costs), then the least loaded, then the earliest registered.
 * When no node of any tier is below it: the least load per core, ties to the
 * lower tier, then nearer, then earlier registered.
 *
 * Cost: O(m), one scan of the function's nodes (costs differ per client).
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    (void)rnd;
    uint32_t under = UINT32_MAX, over = UINT32_MAX;
    double over_lpc = 0;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!edge__sched_eligible(s, fs, p, exclude, nexclude))
            continue;
        uint32_t node = fs->nodes[p];
        uint32_t cores = s->cores && s->cores[node] ? s->cores[node] : 1;
        double lpc = (double)s->lkey[node] / cores;
        int tier = s->tier ? s->tier[node] : 0;
        int64_t cost = s->costs ? s->costs[node] : 0;
        if (lpc < s->offload_threshold) {
            if (under == UINT32_MAX) {
                under = p;
                continue;
            }
            uint32_t b = fs->nodes[under];
            int tb = s->tier ? s->tier[b] : 0;
            int64_t cb = s->costs ? s->costs[b] : 0;
            if (tier < tb || (tier == tb && (cost < cb || (cost == cb && s->lkey[node] < s->lkey[b]))))
                under = p;
        } else if (under == UINT32_MAX) {
            if (over == UINT32_MAX) {
                over = p;
                over_lpc = lpc;
                continue;
            }
            uint32_t b = fs->nodes[over];
            int tb = s->tier ? s->tier[b] : 0;
            int64_t cb = s->costs ? s->costs[b] : 0;
            if (lpc < over_lpc ||
                (lpc == over_lpc && (tier < tb || (tier == tb && cost < cb)))) {
                over = p;
                over_lpc = lpc;
            }
        }
    }
    uint32_t best = under != UINT32_MAX ? under : over;
    return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
}

const edge__sched_policy edge__sched_offload_threshold = {
    .name = "offload_threshold",
    .pick = pick,
};
