/*
 * power_of_two — two distinct eligible nodes at random, the one with fewer
 * invocations in flight; ties to the earlier registered. With one eligible
 * node, that one; no stream, no pick.
 *
 * Cost: two random positions (O(1) expected, O(m) when most nodes are
 * ineligible; edge__sched_random_pos).
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    if (!rnd)
        return EDGE_SCHED_NONE;
    uint32_t a = edge__sched_random_pos(s, fs, rnd, exclude, nexclude, UINT32_MAX);
    if (a == UINT32_MAX)
        return EDGE_SCHED_NONE;
    uint32_t b = edge__sched_random_pos(s, fs, rnd, exclude, nexclude, a);
    if (b == UINT32_MAX)
        return fs->nodes[a];
    /* lkey, which the eligibility test just read, is the load of a usable
     * node (clamped at UINT32_MAX - 1: four billion invocations in flight on
     * one node, more than memory holds), so the node records stay unread */
    uint32_t la = s->lkey[fs->nodes[a]], lb = s->lkey[fs->nodes[b]];
    if (lb < la || (lb == la && b < a))
        a = b;
    return fs->nodes[a];
}

const edge__sched_policy edge__sched_power_of_two = {
    .name = "power_of_two",
    .pick = pick,
};
