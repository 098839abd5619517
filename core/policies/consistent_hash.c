/*
 * consistent_hash — function affinity by rendezvous (highest random weight)
 * hashing: the weight of (function, node) is a fixed mix of the two, and a
 * function goes to its heaviest eligible node. Removing a node moves only
 * the functions that were on it; adding one takes only the functions for
 * which it is now heaviest. Ties (equal 64-bit weights) to the earliest
 * registered.
 *
 * Cost: the node chosen last (fs->affine) stays the answer while it is
 * eligible, O(1) (plus its membership check); otherwise O(m) to recompute.
 * Deploying a node resets the affinity (scheduler.c), and so does a node
 * becoming usable again (node_back below): either may now be heavier.
 */
#include "scheduler_internal.h"

static uint64_t hrw(uint32_t fn, uint32_t node)
{
    uint64_t x = ((uint64_t)fn << 32 | node) + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    (void)rnd;
    if (fs->affine != UINT32_MAX && fs->affine < s->nnodes &&
        s->lkey[fs->affine] != UINT32_MAX && !edge__sched_excluded(fs->affine, exclude, nexclude) &&
        edge__sched_pos_of(fs, fs->affine) != UINT32_MAX) {
        /* still the heaviest? only a node added since could beat it:
         * membership changes reset the affinity */
        return fs->affine;
    }
    uint32_t best = UINT32_MAX;
    uint64_t bw = 0;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!edge__sched_eligible(s, fs, p, exclude, nexclude))
            continue;
        uint64_t wgt = hrw((uint32_t)function, fs->nodes[p]);
        if (best == UINT32_MAX || wgt > bw) {
            best = p;
            bw = wgt;
        }
    }
    if (best == UINT32_MAX)
        return EDGE_SCHED_NONE;
    if (nexclude == 0)
        fs->affine = fs->nodes[best];
    return fs->nodes[best];
}

/* A node back may win its functions back. */
static void node_back(edge_scheduler *s, size_t node)
{
    for (uint32_t i = 0; i < s->nodes[node].nm; i++)
        s->fns[s->nodes[node].fns[i]].affine = UINT32_MAX;
}

const edge__sched_policy edge__sched_consistent_hash = {
    .name = "consistent_hash",
    .pick = pick,
    .node_back = node_back,
};
