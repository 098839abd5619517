/*
 * round_robin — the next usable node after the one chosen last, in
 * registration order, wrapping around.
 *
 * Cost: O(1) while the next node is eligible, O(m) worst case for a function
 * on m nodes (skipping unusable or excluded ones). No ties: the order is the
 * function's node list; the cursor (fs->rr_next) moves past the node chosen
 * and follows removals (scheduler.c).
 */
#include "scheduler_internal.h"

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    (void)rnd;
    for (uint32_t k = 0; k < fs->n; k++) {
        uint32_t p = (fs->rr_next + k) % fs->n;
        if (edge__sched_eligible(s, fs, p, exclude, nexclude)) {
            fs->rr_next = (p + 1) % fs->n;
            return fs->nodes[p];
        }
    }
    return EDGE_SCHED_NONE;
}

const edge__sched_policy edge__sched_round_robin = {
    .name = "round_robin",
    .pick = pick,
};
