#include "argmin.h"

#include <stdlib.h>
#include <string.h>

/* Padding leaves point at a sentinel key slot (index n) that is always NONE,
 * so a real position always beats padding and ties resolve leftwards. */

edge_err edge_argmin_init(edge_argmin *a, uint32_t n)
{
    memset(a, 0, sizeof *a);
    if (n >= (1u << 31))
        return EDGE_RANGE;
    uint32_t cap = 1;
    while (cap < n)
        cap <<= 1;
    a->keys = malloc(((size_t)n + 1) * sizeof *a->keys);
    a->win = malloc(2 * (size_t)cap * sizeof *a->win);
    if (!a->keys || !a->win) {
        edge_argmin_free(a);
        return EDGE_NOMEM;
    }
    for (uint32_t i = 0; i <= n; i++)
        a->keys[i] = EDGE_ARGMIN_NONE;
    for (uint32_t i = 0; i < cap; i++)
        a->win[cap + i] = i < n ? i : n;
    for (uint32_t v = cap; v-- > 1;)
        a->win[v] = a->win[2 * v]; /* all NONE: the left child wins */
    a->n = n;
    a->cap = cap;
    return EDGE_OK;
}

void edge_argmin_free(edge_argmin *a)
{
    if (!a)
        return;
    free(a->keys);
    free(a->win);
    memset(a, 0, sizeof *a);
}

void edge_argmin_set(edge_argmin *a, uint32_t i, uint64_t key)
{
    a->keys[i] = key;
    for (uint32_t v = (a->cap + i) >> 1; v >= 1; v >>= 1) {
        uint32_t l = a->win[2 * v], r = a->win[2 * v + 1];
        a->win[v] = a->keys[r] < a->keys[l] ? r : l;
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
        if (a->keys[i] != EDGE_ARGMIN_NONE)
            edge_argmin_set(&b, i, a->keys[i]);
    edge_argmin_free(a);
    *a = b;
    return EDGE_OK;
}
