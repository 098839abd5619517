/*
 * random_pick.c — the uniform pick over a function's eligible nodes that the
 * random and power_of_two policies share (declared in scheduler_internal.h).
 * It lives beside the policies, not in scheduler.c, so the calls run one
 * way: the scheduler reaches the policies through its registry, and the
 * policies use only scheduler_internal.h and the helpers here.
 */
#include "scheduler_internal.h"

/* Usable and not excluded: edge__sched_eligible over the list `nodes`. */
static inline int eligible(const edge_scheduler *s, const uint32_t *nodes, uint32_t pos,
                           const size_t *exclude, size_t nexclude)
{
    uint32_t node = nodes[pos];
    return s->lkey[node] != UINT32_MAX && !edge__sched_excluded(node, exclude, nexclude);
}

uint32_t edge__sched_random_pos_after(const edge_scheduler *s, const edge__sched_fn *fs,
                                      const uint32_t *nodes, edge_rand *r, const size_t *exclude,
                                      size_t nexclude, uint32_t not, int tried)
{
    if (fs->n == 0)
        return UINT32_MAX;
    for (int tries = tried; tries < EDGE__SCHED_RANDOM_TRIES; tries++) {
        uint32_t p = edge__sched_below(r, fs->n);
        if (p != not && eligible(s, nodes, p, exclude, nexclude))
            return p;
    }
    uint32_t count = 0;
    for (uint32_t p = 0; p < fs->n; p++)
        count += p != not && eligible(s, nodes, p, exclude, nexclude);
    if (count == 0)
        return UINT32_MAX;
    uint32_t k = edge__sched_below(r, count);
    for (uint32_t p = 0; p < fs->n; p++)
        if (p != not && eligible(s, nodes, p, exclude, nexclude) && k-- == 0)
            return p;
    return UINT32_MAX;
}

uint32_t edge__sched_random_pos(const edge_scheduler *s, const edge__sched_fn *fs,
                                const uint32_t *nodes, edge_rand *r, const size_t *exclude,
                                size_t nexclude, uint32_t not)
{
    return edge__sched_random_pos_after(s, fs, nodes, r, exclude, nexclude, not, 0);
}
