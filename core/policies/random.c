/*
 * random — uniform among the function's eligible nodes, drawn from the
 * caller's stream (no stream: no pick).
 *
 * Cost: O(1) expected (up to 8 rejection draws), O(m) when most nodes are
 * ineligible (an exact count-and-select: edge__sched_random_pos). No ties.
 * Past EDGE__SCHED_SCAN_MAX nodes it reads the node list shared by the
 * functions on the same nodes (EDGE__SCHED_LIST), not the function's own.
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    if (!rnd)
        return EDGE_SCHED_NONE;
    const uint32_t *nodes = edge__sched_nodes_of(s, fs);
    uint32_t p = edge__sched_random_pos(s, fs, nodes, rnd, exclude, nexclude, UINT32_MAX);
    return p == UINT32_MAX ? EDGE_SCHED_NONE : nodes[p];
}

const edge__sched_policy edge__sched_random = {
    .name = "random",
    .flags = EDGE__SCHED_LIST | EDGE__SCHED_DRAWN,
    .pick = pick,
};
