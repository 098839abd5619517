/*
 * argmin.h — a tournament tree: the position of the smallest of n keys, kept
 * up to date as keys change.
 *
 * The scheduler keeps one per distinct set of nodes that functions are
 * deployed on (shared by those functions; core/sched_shared.c), in
 * registration order, keyed by the node's in-flight count; the cluster keeps
 * one over its nodes keyed by their deployment count. Ties go to the lowest
 * position, so a policy that orders positions by registration gets "ties to
 * the earliest registered" for free. A key of EDGE_ARGMIN_NONE marks a
 * position that must never win (a node the cluster does not believe usable).
 *
 * Layout: one array of 2*cap 64-bit entries, an implicit binary tree over a
 * power-of-two number of leaves (padding leaves hold NONE). Every entry is
 * (key << 32 | position) of its subtree's winner, so "smallest key, then
 * lowest position" is the smaller integer and a node is the min of its two
 * children: no indirection through a key array, and a repair stops at the
 * first node whose entry comes out unchanged (its ancestors' inputs are the
 * same). Against the earlier layout (winner positions over a separate key
 * array, repaired to the root) a set on the routing benchmark (1,000
 * positions) costs 128 instructions instead of 139 and half the D1 write
 * misses; most sets there still walk to the root, because least_loaded
 * raises the key of the root's own winner. Changing one key costs O(log n);
 * reading the argmin costs O(1). Memory: 16 bytes per leaf.
 */
#ifndef EDGE_ARGMIN_H
#define EDGE_ARGMIN_H

#include <stdint.h>

#include "error.h"

#define EDGE_ARGMIN_NONE UINT32_MAX  /* the key of a position that never wins */
#define EDGE_ARGMIN_EMPTY UINT32_MAX /* argmin when every key is NONE */

typedef struct edge_argmin {
    uint64_t *node;   /* owned; node[1] is the root, leaves at [cap, 2*cap) */
    uint32_t n, cap;
} edge_argmin;

/* Initializes a for n positions, every key NONE. Errors: EDGE_NOMEM,
 * EDGE_RANGE when n >= 2^31. a is left empty (and safe to free) on error. */
edge_err edge_argmin_init(edge_argmin *a, uint32_t n);

/* Makes room for at least n positions (new ones hold NONE), growing
 * geometrically so a position added at a time costs O(1) amortized; the
 * keys already set keep their positions. Errors: EDGE_NOMEM, EDGE_RANGE;
 * a is unchanged on error. */
edge_err edge_argmin_grow(edge_argmin *a, uint32_t n);

/* Frees a's array; a itself is the caller's. NULL is fine. */
void edge_argmin_free(edge_argmin *a);

/* Sets position i (< n) to key and repairs the path towards the root, as far
 * as an entry changes. O(log n). */
void edge_argmin_set(edge_argmin *a, uint32_t i, uint32_t key);

/* The lowest position holding the smallest key, or EDGE_ARGMIN_EMPTY when
 * n is 0 or every key is NONE. O(1). */
static inline uint32_t edge_argmin_get(const edge_argmin *a)
{
    if (a->n == 0)
        return EDGE_ARGMIN_EMPTY;
    uint64_t r = a->node[1];
    return (uint32_t)(r >> 32) == EDGE_ARGMIN_NONE ? EDGE_ARGMIN_EMPTY : (uint32_t)r;
}

/* The key of position i (< n). */
static inline uint32_t edge_argmin_key(const edge_argmin *a, uint32_t i)
{
    return (uint32_t)(a->node[a->cap + i] >> 32);
}

#endif
