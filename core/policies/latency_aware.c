/*
 * latency_aware — the node with the least expected latency for this
 * invocation: the network cost from the client (set_costs: propagation),
 * plus the expected transfer of its request and response at the links'
 * current rates (edge_scheduler_set_expect's callback), plus the mean
 * execution time x (1 + floor(in flight / cores)): its own run and the
 * rounds of the queue ahead of it. Ties to the earliest registered.
 *
 * The cluster's view is what it is: in flight is the scheduler's load
 * (published by the owner), not the truth of the node.
 *
 * Cost: O(m) scan, and one transfer estimate per candidate (O(hops)).
 */
#include "scheduler_internal.h"

/* cost + transfer + exec_mean x rounds, saturated at INT64_MAX (a mean of
 * hours on a deep queue, or an infinite one, ranks last instead of
 * wrapping); each term >= 0. */
static int64_t expected(int64_t cost, int64_t transfer, int64_t exec_mean, int64_t rounds)
{
    int64_t e, t;
    if (__builtin_mul_overflow(exec_mean, rounds, &e) || __builtin_add_overflow(cost, transfer, &t) ||
        __builtin_add_overflow(t, e, &t))
        return INT64_MAX;
    return t;
}

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)function;
    (void)rnd;
    uint32_t best = UINT32_MAX;
    int64_t best_t = 0;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!edge__sched_eligible(s, fs, p, exclude, nexclude))
            continue;
        uint32_t node = fs->nodes[p];
        uint32_t cores = s->cores && s->cores[node] ? s->cores[node] : 1;
        int64_t t = expected(s->costs ? s->costs[node] : 0,
                             s->transfer ? s->transfer(s->transfer_ctx, node) : 0,
                             s->exec_mean, (int64_t)(1 + s->lkey[node] / cores));
        if (best == UINT32_MAX || t < best_t) {
            best = p;
            best_t = t;
        }
    }
    return best == UINT32_MAX ? EDGE_SCHED_NONE : fs->nodes[best];
}

const edge__sched_policy edge__sched_latency_aware = {
    .name = "latency_aware",
    .pick = pick,
};
