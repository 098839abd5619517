#include "argmin.h"

#include <stdlib.h>
#include <string.h>

/* A leaf's entry: the key above the position, so that comparing entries
 * compares keys first and positions on ties. */
static inline uint64_t entry(uint32_t key, uint32_t pos)
{
    return (uint64_t)key << 32 | pos;
}

edge_err edge_argmin_init(edge_argmin *a, uint32_t n)
{
    memset(a, 0, sizeof *a);
    if (n >= (1u << 31))
        return EDGE_RANGE;
    uint32_t cap = 1;
    while (cap < n)
        cap <<= 1;
    a->node = malloc(2 * (size_t)cap * sizeof *a->node);
    if (!a->node)
        return EDGE_NOMEM;
    /* every leaf NONE at its own position (padding too: a padding position
     * is >= n, so it never beats a real one, and it never wins with NONE) */
    for (uint32_t i = 0; i < cap; i++)
        a->node[cap + i] = entry(EDGE_ARGMIN_NONE, i);
    for (uint32_t v = cap; v-- > 1;)
        a->node[v] = a->node[2 * v]; /* all NONE: the left child wins */
    a->n = n;
    a->cap = cap;
    return EDGE_OK;
}

void edge_argmin_free(edge_argmin *a)
{
    if (!a)
        return;
    free(a->node);
    memset(a, 0, sizeof *a);
}

void edge_argmin_set(edge_argmin *a, uint32_t i, uint32_t key)
{
    uint64_t *t = a->node;
    uint32_t v = a->cap + i;
    t[v] = entry(key, i);
    /* An entry that comes out as it was leaves every ancestor's inputs as
     * they were: the repair stops there. */
    for (v >>= 1; v >= 1; v >>= 1) {
        uint64_t l = t[2 * v], r = t[2 * v + 1], m = r < l ? r : l;
        if (t[v] == m)
            return;
        t[v] = m;
    }
}

edge_err edge_argmin_grow(edge_argmin *a, uint32_t n)
{
    if (n <= a->n)
        return EDGE_OK;
    uint32_t want = a->n > n / 2 ? a->n * 2 : n;
    if (want < n || want >= (1u << 31))
        want = n;
    edge_argmin b;
    edge_err rc = edge_argmin_init(&b, want);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < a->n; i++)
        if (edge_argmin_key(a, i) != EDGE_ARGMIN_NONE)
            edge_argmin_set(&b, i, edge_argmin_key(a, i));
    edge_argmin_free(a);
    *a = b;
    return EDGE_OK;
}
