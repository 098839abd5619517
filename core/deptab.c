#include "deptab.h"

#include <assert.h>

#include "alloc.h"
#include "ids.h"
#include "util.h"

#define DEPTAB_MIN_CAP 16

static inline uint64_t key_of(uint32_t fn, uint32_t node)
{
    return (uint64_t)fn << 32 | node;
}

static inline uint32_t home(uint64_t key, uint32_t mask)
{
    return edge__hash_u64(key) & mask;
}

/* Places an entry in the first free slot of its probe run. */
static void put(edge__deptab *t, edge__dep_entry x, edge_time at)
{
    uint32_t mask = t->cap - 1;
    uint32_t i = home(x.key, mask);
    while (t->e[i].key != EDGE__DEPTAB_EMPTY)
        i = (i + 1) & mask;
    t->e[i] = x;
    t->at[i] = at;
}

edge_err edge__deptab_reserve(edge__deptab *t, uint32_t n)
{
    if (n <= t->cap / 2)
        return EDGE_OK;
    if (n > UINT32_MAX / 4)
        return EDGE_NOMEM;
    uint32_t cap = t->cap ? t->cap * 2 : DEPTAB_MIN_CAP;
    while (cap / 2 < n)
        cap *= 2;
    edge__deptab b = {edge__malloc((size_t)cap * sizeof *b.e),
                      edge__malloc((size_t)cap * sizeof *b.at), cap, t->count};
    if (!b.e || !b.at) {
        edge__free(b.e);
        edge__free(b.at);
        return EDGE_NOMEM;
    }
    for (uint32_t i = 0; i < cap; i++)
        b.e[i].key = EDGE__DEPTAB_EMPTY;
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->e[i].key != EDGE__DEPTAB_EMPTY)
            put(&b, t->e[i], t->at[i]);
    edge__free(t->e);
    edge__free(t->at);
    *t = b;
    return EDGE_OK;
}

uint32_t edge__deptab_find(const edge__deptab *t, uint32_t fn, uint32_t node)
{
    uint64_t key = key_of(fn, node);
    if (t->count == 0 || key == EDGE__DEPTAB_EMPTY) /* (EDGE_NONE, EDGE_NONE) is never there */
        return EDGE_NONE;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = home(key, mask);; i = (i + 1) & mask) {
        uint64_t k = t->e[i].key;
        if (k == key)
            return i;
        if (k == EDGE__DEPTAB_EMPTY)
            return EDGE_NONE;
    }
}

void edge__deptab_count_batch(edge__deptab *t, const uint64_t *keys, uint32_t n)
{
    enum { AHEAD = 8 };
    if (t->count == 0)
        return;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = 0; i < n && i < AHEAD; i++)
        __builtin_prefetch(&t->e[home(keys[i], mask)], 1);
    for (uint32_t i = 0; i < n; i++) {
        if (i + AHEAD < n)
            __builtin_prefetch(&t->e[home(keys[i + AHEAD], mask)], 1);
        uint32_t k = edge__deptab_find(t, (uint32_t)(keys[i] >> 32), (uint32_t)keys[i]);
        if (k != EDGE_NONE)
            t->e[k].invocations++;
    }
}

void edge__deptab_insert(edge__deptab *t, uint32_t fn, uint32_t node, edge_time at)
{
    assert(t->count + 1 <= t->cap / 2);
    assert(fn != EDGE_NONE && node != EDGE_NONE);
    put(t, (edge__dep_entry){key_of(fn, node), 0}, at);
    t->count++;
}

bool edge__deptab_remove(edge__deptab *t, uint32_t fn, uint32_t node)
{
    uint32_t i = edge__deptab_find(t, fn, node);
    if (i == EDGE_NONE)
        return false;
    /* Backward shift: pull later members of the probe run into the hole
     * whenever their home slot does not lie cyclically in (hole, j]. */
    uint32_t mask = t->cap - 1;
    for (uint32_t j = (i + 1) & mask; t->e[j].key != EDGE__DEPTAB_EMPTY; j = (j + 1) & mask) {
        uint32_t h = home(t->e[j].key, mask);
        bool stays = i < j ? (h > i && h <= j) : (h > i || h <= j);
        if (!stays) {
            t->e[i] = t->e[j];
            t->at[i] = t->at[j];
            i = j;
        }
    }
    t->e[i].key = EDGE__DEPTAB_EMPTY;
    t->count--;
    return true;
}

void edge__deptab_free(edge__deptab *t)
{
    edge__free(t->e);
    edge__free(t->at);
    t->e = NULL;
    t->at = NULL;
    t->cap = 0;
    t->count = 0;
}
