#include "idmap.h"

#include <assert.h>

#include "alloc.h"
#include "ids.h"

#define IDMAP_MIN_CAP 16

static void put(edge__idmap_entry *e, uint32_t mask, uint32_t hash, uint32_t val)
{
    uint32_t i = hash & mask;
    while (e[i].val != EDGE_NONE)
        i = (i + 1) & mask;
    e[i].hash = hash;
    e[i].val = val;
}

edge_err edge__idmap_reserve(edge__idmap *m, uint32_t n)
{
    if (n <= m->cap / 2)
        return EDGE_OK;
    if (n > UINT32_MAX / 4)
        return EDGE_NOMEM;
    uint32_t cap = m->cap ? m->cap * 2 : IDMAP_MIN_CAP;
    while (cap / 2 < n)
        cap *= 2;
    edge__idmap_entry *e = edge__malloc((size_t)cap * sizeof *e);
    if (!e)
        return EDGE_NOMEM;
    for (uint32_t i = 0; i < cap; i++)
        e[i].val = EDGE_NONE;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->e[i].val != EDGE_NONE)
            put(e, cap - 1, m->e[i].hash, m->e[i].val);
    edge__free(m->e);
    m->e = e;
    m->cap = cap;
    return EDGE_OK;
}

static uint32_t locate(const edge__idmap *m, uint32_t hash, edge__idmap_eq eq, const void *ctx,
                       const void *key)
{
    if (m->count == 0)
        return EDGE_NONE;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        const edge__idmap_entry *x = &m->e[i];
        if (x->val == EDGE_NONE)
            return EDGE_NONE;
        if (x->hash == hash && eq(ctx, x->val, key))
            return i;
    }
}

uint32_t edge__idmap_find(const edge__idmap *m, uint32_t hash, edge__idmap_eq eq,
                          const void *ctx, const void *key)
{
    uint32_t i = locate(m, hash, eq, ctx, key);
    return i == EDGE_NONE ? EDGE_NONE : m->e[i].val;
}

void edge__idmap_insert(edge__idmap *m, uint32_t hash, uint32_t val)
{
    assert(m->count + 1 <= m->cap / 2);
    assert(val != EDGE_NONE);
    put(m->e, m->cap - 1, hash, val);
    m->count++;
}

bool edge__idmap_remove(edge__idmap *m, uint32_t hash, edge__idmap_eq eq, const void *ctx,
                        const void *key)
{
    uint32_t i = locate(m, hash, eq, ctx, key);
    if (i == EDGE_NONE)
        return false;
    /* Backward shift: pull later members of the probe run into the hole
     * whenever their home slot does not lie cyclically in (hole, j]. */
    uint32_t mask = m->cap - 1;
    for (uint32_t j = (i + 1) & mask; m->e[j].val != EDGE_NONE; j = (j + 1) & mask) {
        uint32_t home = m->e[j].hash & mask;
        bool stays = i < j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            m->e[i] = m->e[j];
            i = j;
        }
    }
    m->e[i].val = EDGE_NONE;
    m->count--;
    return true;
}

void edge__idmap_free(edge__idmap *m)
{
    edge__free(m->e);
    m->e = NULL;
    m->cap = 0;
    m->count = 0;
}
