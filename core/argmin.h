/*
 * argmin.h — the position of the smallest of n keys, kept up to date as keys
 * change.
 *
 * The scheduler keeps one per distinct set of nodes that functions are
 * deployed on (shared by those functions; core/sched_shared.c), in
 * registration order, keyed by the node's in-flight count; the cluster keeps
 * one over its nodes keyed by their deployment count. Ties go to the lowest
 * position, so a policy that orders positions by registration gets "ties to
 * the earliest registered" for free. A key of EDGE_ARGMIN_NONE marks a
 * position that must never win (a node the cluster does not believe usable).
 *
 * The keys are small integers almost always (a node's invocations in flight
 * are its slots plus its queue), so a key below EDGE_ARGMIN_LEVELS is kept as
 * one bit in its level's bitset: a set clears one bit and sets another, O(1),
 * and the argmin is the lowest set bit of the lowest non-empty level, found
 * through a summary word per 4,096 positions. Larger keys live in a
 * tournament tree (one 64-bit entry (key << 32 | position) per node, repaired
 * towards the root while entries change), consulted only when every level is
 * empty: every key there is above every level's. On the routing benchmark
 * (1,000 positions, two load changes per invocation) the tournament tree
 * alone cost 128 instructions a set, most of them walking to the root:
 * least_loaded raises the key of the root's own winner on every pick.
 *
 * Cost: set O(1) for keys below EDGE_ARGMIN_LEVELS (plus a scan of at most
 * that many level counts when the smallest level empties), O(log n) for
 * larger ones; get O(n / 262,144) words of summary, O(1) in practice.
 * Memory: 28 bytes per position (4 for its key, 8 for its bits in the 64
 * levels, 16 for the tree).
 */
#ifndef EDGE_ARGMIN_H
#define EDGE_ARGMIN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define EDGE_ARGMIN_NONE UINT32_MAX  /* the key of a position that never wins */
#define EDGE_ARGMIN_EMPTY UINT32_MAX /* argmin when every key is NONE */
#define EDGE_ARGMIN_LEVELS 64        /* keys below this are bits in per-key sets */

typedef struct edge_argmin {
    uint32_t *key;   /* owned; key[i] for position i < n */
    uint64_t *bits;  /* owned; per level (stride words each): nw words of
                        positions, then ns words with a bit per non-zero word */
    uint64_t *tree;  /* owned; keys >= LEVELS: node[1] is the root, leaves at
                        [cap, 2*cap), each (key << 32 | position) */
    uint32_t cnt[EDGE_ARGMIN_LEVELS]; /* positions per level */
    uint32_t n, cap, nw, ns, stride;
    uint32_t min;    /* the lowest non-empty level, EDGE_ARGMIN_LEVELS if none */
} edge_argmin;

/* Initializes a for n positions, every key NONE. Errors: EDGE_NOMEM,
 * EDGE_RANGE when n >= 2^31. a is left empty (and safe to free) on error. */
edge_err edge_argmin_init(edge_argmin *a, uint32_t n);

/* Makes room for at least n positions (new ones hold NONE), growing
 * geometrically so a position added at a time costs O(1) amortized; the
 * keys already set keep their positions. Errors: EDGE_NOMEM, EDGE_RANGE;
 * a is unchanged on error. */
edge_err edge_argmin_grow(edge_argmin *a, uint32_t n);

/* Frees a's arrays; a itself is the caller's. NULL is fine. */
void edge_argmin_free(edge_argmin *a);

/* Sets position i (< n) to key. O(1) for keys below EDGE_ARGMIN_LEVELS,
 * O(log n) otherwise (see above). */
void edge_argmin_set(edge_argmin *a, uint32_t i, uint32_t key);

/* The lowest position holding the smallest key, or EDGE_ARGMIN_EMPTY when
 * n is 0 or every key is NONE. */
static inline uint32_t edge_argmin_get(const edge_argmin *a)
{
    if (a->n == 0) /* a zeroed edge_argmin is empty too (the cluster's, before a node) */
        return EDGE_ARGMIN_EMPTY;
    if (a->min < EDGE_ARGMIN_LEVELS) {
        const uint64_t *b = a->bits + (size_t)a->min * a->stride, *sum = b + a->nw;
        uint32_t s = 0;
        while (!sum[s])
            s++; /* the level is not empty: some summary word is not 0 */
        uint32_t w = s * 64 + (uint32_t)__builtin_ctzll(sum[s]);
        return w * 64 + (uint32_t)__builtin_ctzll(b[w]);
    }
    uint64_t r = a->tree[1];
    return (uint32_t)(r >> 32) == EDGE_ARGMIN_NONE ? EDGE_ARGMIN_EMPTY : (uint32_t)r;
}

/* The lowest position with the smallest key among those whose bit is set
 * in mask (nw = ceil(n / 64) words, position i is bit i % 64 of word i / 64),
 * looking only at keys below EDGE_ARGMIN_LEVELS: EDGE_ARGMIN_EMPTY when no
 * masked position has such a key (larger keys are not looked at; the caller
 * decides what then). Reads the non-empty words of the levels from the
 * smallest up to the first hit: warm_first's "least loaded among the nodes
 * holding an idle instance" as a few word ANDs instead of a scan of those
 * nodes. */
uint32_t edge_argmin_first_in(const edge_argmin *a, const uint64_t *mask);

/* What edge_argmin_get would return once its answer's key were one higher
 * (a pick by the least load takes a node): the next position holding the
 * same smallest key, else the lowest of the next key up or the answer
 * itself. For a cache hint (the scheduler's guess one event ahead); reads
 * only, O(1) words of the levels in practice. Keys past the levels: the
 * plain answer. EDGE_ARGMIN_EMPTY when every key is NONE. */
uint32_t edge_argmin_get_after_raise(const edge_argmin *a);

/* The key of position i (< n). */
static inline uint32_t edge_argmin_key(const edge_argmin *a, uint32_t i) { return a->key[i]; }

#endif
