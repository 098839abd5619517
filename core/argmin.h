/*
 * argmin.h — a tournament tree: the position of the smallest of n keys, kept
 * up to date as keys change.
 *
 * The scheduler keeps one per distinct set of nodes that functions are
 * deployed on (shared by those functions; core/sched_shared.c), in
 * registration order, keyed by the node's in-flight count. Changing one key costs O(log n);
 * reading the argmin costs O(1). Ties go to the lowest position, so a policy
 * that orders positions by registration gets "ties to the earliest
 * registered" for free. A key of EDGE_ARGMIN_NONE marks a position that must
 * never win (a node the cluster does not believe usable).
 *
 * Layout: keys[0..n) plus an implicit binary tree of winner positions over a
 * power-of-two number of leaves (padding leaves hold NONE). Memory: 8 bytes
 * per key plus 8 bytes per leaf.
 */
#ifndef EDGE_ARGMIN_H
#define EDGE_ARGMIN_H

#include <stdint.h>

#include "error.h"

#define EDGE_ARGMIN_NONE UINT64_MAX
#define EDGE_ARGMIN_EMPTY UINT32_MAX /* argmin when every key is NONE */

typedef struct edge_argmin {
    uint64_t *keys;   /* owned; keys[i] for position i < n */
    uint32_t *win;    /* owned; win[1] is the root, leaves at [cap, 2*cap) */
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

/* Frees a's arrays; a itself is the caller's. NULL is fine. */
void edge_argmin_free(edge_argmin *a);

/* Sets position i (< n) to key and repairs the path to the root. O(log n). */
void edge_argmin_set(edge_argmin *a, uint32_t i, uint64_t key);

/* The lowest position holding the smallest key, or EDGE_ARGMIN_EMPTY when
 * n is 0 or every key is NONE. O(1). */
static inline uint32_t edge_argmin_get(const edge_argmin *a)
{
    if (a->n == 0)
        return EDGE_ARGMIN_EMPTY;
    uint32_t w = a->win[1];
    return a->keys[w] == EDGE_ARGMIN_NONE ? EDGE_ARGMIN_EMPTY : w;
}

static inline uint64_t edge_argmin_key(const edge_argmin *a, uint32_t i) { return a->keys[i]; }

#endif
