#include "argmin.h"

#include <stdlib.h>
#include <string.h>

/* A tree leaf's entry: the key above the position, so that comparing
 * entries compares keys first and positions on ties. */
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
    uint32_t nw = (n + 63) / 64;
    uint32_t ns = (nw + 63) / 64;
    if (ns == 0)
        ns = 1; /* n = 0: one (empty) summary word, never read */
    a->key = malloc(((size_t)n + 1) * sizeof *a->key);
    a->bits = calloc((size_t)EDGE_ARGMIN_LEVELS * (nw + ns), sizeof *a->bits);
    a->tree = malloc(2 * (size_t)cap * sizeof *a->tree);
    if (!a->key || !a->bits || !a->tree) {
        edge_argmin_free(a);
        return EDGE_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++)
        a->key[i] = EDGE_ARGMIN_NONE;
    /* every leaf NONE at its own position (padding too: a padding position
     * is >= n, so it never beats a real one, and it never wins with NONE) */
    for (uint32_t i = 0; i < cap; i++)
        a->tree[cap + i] = entry(EDGE_ARGMIN_NONE, i);
    for (uint32_t v = cap; v-- > 1;)
        a->tree[v] = a->tree[2 * v]; /* all NONE: the left child wins */
    a->n = n;
    a->cap = cap;
    a->nw = nw;
    a->ns = ns;
    a->stride = nw + ns;
    a->min = EDGE_ARGMIN_LEVELS;
    return EDGE_OK;
}

void edge_argmin_free(edge_argmin *a)
{
    if (!a)
        return;
    free(a->key);
    free(a->bits);
    free(a->tree);
    memset(a, 0, sizeof *a);
}

/* Sets tree leaf i to key and repairs the path: an entry that comes out as
 * it was leaves every ancestor's inputs as they were, so the repair stops
 * there. */
static void tree_set(edge_argmin *a, uint32_t i, uint32_t key)
{
    uint64_t *t = a->tree;
    uint32_t v = a->cap + i;
    t[v] = entry(key, i);
    for (v >>= 1; v >= 1; v >>= 1) {
        uint64_t l = t[2 * v], r = t[2 * v + 1], m = r < l ? r : l;
        if (t[v] == m)
            return;
        t[v] = m;
    }
}

void edge_argmin_set(edge_argmin *a, uint32_t i, uint32_t key)
{
    uint32_t old = a->key[i];
    if (old == key)
        return;
    a->key[i] = key;
    uint32_t w = i / 64;
    uint64_t bit = 1ull << (i % 64), wbit = 1ull << (w % 64);
    /* the new key first, so that the lowest level is never seen empty
     * while the position moves up by one */
    if (key < EDGE_ARGMIN_LEVELS) {
        uint64_t *b = a->bits + (size_t)key * a->stride;
        b[w] |= bit;
        b[a->nw + w / 64] |= wbit;
        a->cnt[key]++;
        if (key < a->min)
            a->min = key;
    }
    int key_tree = key >= EDGE_ARGMIN_LEVELS && key != EDGE_ARGMIN_NONE;
    if (key_tree || (old >= EDGE_ARGMIN_LEVELS && old != EDGE_ARGMIN_NONE))
        tree_set(a, i, key_tree ? key : EDGE_ARGMIN_NONE);
    if (old < EDGE_ARGMIN_LEVELS) {
        uint64_t *b = a->bits + (size_t)old * a->stride;
        if (!(b[w] &= ~bit))
            b[a->nw + w / 64] &= ~wbit;
        if (--a->cnt[old] == 0 && old == a->min)
            while (a->min < EDGE_ARGMIN_LEVELS && a->cnt[a->min] == 0)
                a->min++;
    }
}

/* The lowest position of level k above position p, or EDGE_ARGMIN_EMPTY:
 * the rest of p's word, then the summary to the next non-empty word. */
static uint32_t level_next(const edge_argmin *a, uint32_t k, uint32_t p)
{
    const uint64_t *b = a->bits + (size_t)k * a->stride, *sum = b + a->nw;
    uint32_t w = p / 64;
    uint64_t x = p % 64 == 63 ? 0 : b[w] & (~0ull << (p % 64 + 1));
    if (x)
        return w * 64 + (uint32_t)__builtin_ctzll(x);
    for (uint32_t v = w + 1, s = v / 64; s < a->ns; s++) {
        uint64_t ws = sum[s] & (s == v / 64 ? ~0ull << (v % 64) : ~0ull);
        if (ws) {
            uint32_t u = s * 64 + (uint32_t)__builtin_ctzll(ws);
            return u * 64 + (uint32_t)__builtin_ctzll(b[u]);
        }
    }
    return EDGE_ARGMIN_EMPTY;
}

/* The lowest position of level k (cnt[k] > 0). */
static uint32_t level_first(const edge_argmin *a, uint32_t k)
{
    const uint64_t *b = a->bits + (size_t)k * a->stride, *sum = b + a->nw;
    uint32_t s = 0;
    while (!sum[s])
        s++;
    uint32_t u = s * 64 + (uint32_t)__builtin_ctzll(sum[s]);
    return u * 64 + (uint32_t)__builtin_ctzll(b[u]);
}

uint32_t edge_argmin_get_after_raise(const edge_argmin *a)
{
    uint32_t p = edge_argmin_get(a);
    if (p == EDGE_ARGMIN_EMPTY || a->min >= EDGE_ARGMIN_LEVELS)
        return p; /* the tree's keys: p, which is right often enough */
    uint32_t k = a->min;
    if (a->cnt[k] > 1) { /* another holds the smallest key: the next one after p */
        uint32_t q = level_next(a, k, p);
        return q == EDGE_ARGMIN_EMPTY ? p : q; /* (cnt says there is one) */
    }
    /* p alone at k moves to k + 1, where it wins unless a lower one is there */
    if (k + 1 < EDGE_ARGMIN_LEVELS && a->cnt[k + 1]) {
        uint32_t q = level_first(a, k + 1);
        return q < p ? q : p;
    }
    return p;
}

uint32_t edge_argmin_first_in(const edge_argmin *a, const uint64_t *mask)
{
    for (uint32_t k = a->min; k < EDGE_ARGMIN_LEVELS; k++) {
        if (!a->cnt[k])
            continue;
        const uint64_t *b = a->bits + (size_t)k * a->stride, *sum = b + a->nw;
        for (uint32_t s = 0; s < a->ns; s++)
            for (uint64_t ws = sum[s]; ws; ws &= ws - 1) {
                uint32_t w = s * 64 + (uint32_t)__builtin_ctzll(ws);
                uint64_t x = b[w] & mask[w];
                if (x)
                    return w * 64 + (uint32_t)__builtin_ctzll(x);
            }
    }
    return EDGE_ARGMIN_EMPTY;
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
        edge_argmin_set(&b, i, a->key[i]);
    edge_argmin_free(a);
    *a = b;
    return EDGE_OK;
}
