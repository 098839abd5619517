/*
 * power_of_two — two distinct eligible nodes at random, the one with fewer
 * invocations in flight; ties to the earlier registered. With one eligible
 * node, that one; no stream, no pick.
 *
 * Cost: two random positions (O(1) expected, O(m) when most nodes are
 * ineligible; edge__sched_random_pos). Past EDGE__SCHED_SCAN_MAX nodes the
 * positions index the node list shared by the functions deployed on the
 * same nodes (EDGE__SCHED_LIST): on routing.json (100 functions on every
 * one of 1,000 nodes) one 4 KB list that stays in cache, where each
 * function's own (400 KB in all) missed in D1 about twice a pick.
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    if (!rnd)
        return EDGE_SCHED_NONE;
    const uint32_t *nodes = edge__sched_nodes_of(s, fs);
    const uint32_t *lkey = s->lkey;
    uint32_t a, b;
    if (nexclude == 0) {
        /* The usual case inline: each position's first rejection draw is
         * made here, and edge__sched_random_pos_after goes on with the same
         * sequence only when it is rejected (saves two calls and their
         * set-up, about 80 instructions a pick on routing.json). */
        a = edge__sched_below(rnd, fs->n);
        if (lkey[nodes[a]] == UINT32_MAX)
            a = edge__sched_random_pos_after(s, fs, nodes, rnd, NULL, 0, UINT32_MAX, 1);
        if (a == UINT32_MAX)
            return EDGE_SCHED_NONE;
        b = edge__sched_below(rnd, fs->n);
        if (b == a || lkey[nodes[b]] == UINT32_MAX)
            b = edge__sched_random_pos_after(s, fs, nodes, rnd, NULL, 0, a, 1);
    } else {
        a = edge__sched_random_pos(s, fs, nodes, rnd, exclude, nexclude, UINT32_MAX);
        if (a == UINT32_MAX)
            return EDGE_SCHED_NONE;
        b = edge__sched_random_pos(s, fs, nodes, rnd, exclude, nexclude, a);
    }
    if (b == UINT32_MAX)
        return nodes[a];
    /* lkey, which the eligibility test just read, is the load of a usable
     * node (clamped at UINT32_MAX - 1: four billion invocations in flight on
     * one node, more than memory holds), so the node records stay unread */
    uint32_t la = lkey[nodes[a]], lb = lkey[nodes[b]];
    if (lb < la || (lb == la && b < a))
        a = b;
    return nodes[a];
}

const edge__sched_policy edge__sched_power_of_two = {
    .name = "power_of_two",
    .flags = EDGE__SCHED_LIST | EDGE__SCHED_DRAWN,
    .pick = pick,
};
