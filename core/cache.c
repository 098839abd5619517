/*
 * cache.c — LRU artifact cache by bytes (see cache.h).
 *
 * Entries are records in a pool (free ones chained through `next`), found by
 * key through an idmap (hash of the key -> record index; the key lives only
 * in the record), and chained in recency order: head = least recently used
 * (next to go), tail = most recently used.
 */
#include "cache.h"

#include <math.h>

#include "alloc.h"
#include "ids.h"
#include "idmap.h"
#include "util.h"

#define NIL UINT32_MAX

typedef struct {
    uint64_t size;
    edge_time ready_at;
    uint32_t key;
    uint32_t prev, next; /* recency list; `next` chains free records */
} entry;

struct edge_cache {
    uint64_t capacity, used;
    entry *pool;
    uint32_t cap_pool, n_pool; /* records allocated, records ever handed out */
    uint32_t free_head;
    uint32_t head, tail;       /* least and most recently used */
    uint32_t count;
    edge__idmap by_key;
    edge_cache_stats st;
};

static bool key_eq(const void *ctx, uint32_t val, const void *key)
{
    const edge_cache *c = ctx;
    return c->pool[val].key == *(const uint32_t *)key;
}

static uint32_t find(const edge_cache *c, uint32_t key)
{
    return edge__idmap_find(&c->by_key, edge__hash_u64(key), key_eq, c, &key);
}

edge_err edge_cache_new(uint64_t capacity, edge_cache **out)
{
    if (!out)
        return EDGE_INVAL;
    edge_cache *c = edge__calloc(1, sizeof *c);
    if (!c)
        return EDGE_NOMEM;
    c->capacity = capacity;
    c->free_head = c->head = c->tail = NIL;
    *out = c;
    return EDGE_OK;
}

void edge_cache_free(edge_cache *c)
{
    if (!c)
        return;
    edge__idmap_free(&c->by_key);
    edge__free(c->pool);
    edge__free(c);
}

static void unlink_entry(edge_cache *c, uint32_t i)
{
    entry *e = &c->pool[i];
    if (e->prev != NIL)
        c->pool[e->prev].next = e->next;
    else
        c->head = e->next;
    if (e->next != NIL)
        c->pool[e->next].prev = e->prev;
    else
        c->tail = e->prev;
}

static void push_tail(edge_cache *c, uint32_t i)
{
    entry *e = &c->pool[i];
    e->prev = c->tail;
    e->next = NIL;
    if (c->tail != NIL)
        c->pool[c->tail].next = i;
    else
        c->head = i;
    c->tail = i;
}

/* Unlinks, unmaps and frees record i. */
static void drop(edge_cache *c, uint32_t i)
{
    entry *e = &c->pool[i];
    unlink_entry(c, i);
    uint32_t key = e->key;
    edge__idmap_remove(&c->by_key, edge__hash_u64(key), key_eq, c, &key);
    c->used -= e->size;
    c->count--;
    e->next = c->free_head;
    c->free_head = i;
}

bool edge_cache_lookup(edge_cache *c, uint32_t key, edge_time *ready_at)
{
    c->st.lookups++;
    uint32_t i = find(c, key);
    if (i == EDGE_NONE) {
        c->st.misses++;
        return false;
    }
    c->st.hits++;
    if (i != c->tail) {
        unlink_entry(c, i);
        push_tail(c, i);
    }
    if (ready_at)
        *ready_at = c->pool[i].ready_at;
    return true;
}

bool edge_cache_contains(const edge_cache *c, uint32_t key)
{
    return c && find(c, key) != EDGE_NONE;
}

edge_err edge_cache_insert(edge_cache *c, uint32_t key, uint64_t size, edge_time ready_at,
                           uint32_t *evicted)
{
    if (!c)
        return EDGE_INVAL;
    if (find(c, key) != EDGE_NONE)
        return EDGE_EXISTS;
    if (size > c->capacity) {
        c->st.oversize++;
        return EDGE_LIMIT;
    }
    /* Reserve everything first, so that a failure changes nothing. */
    if (c->count == UINT32_MAX - 1)
        return EDGE_NOMEM;
    if (edge__idmap_reserve(&c->by_key, c->count + 1) != EDGE_OK)
        return EDGE_NOMEM;
    if (c->free_head == NIL && c->n_pool == c->cap_pool) {
        uint32_t cap = c->cap_pool ? c->cap_pool * 2 : 8;
        if (cap < c->cap_pool)
            return EDGE_NOMEM;
        entry *p = edge__realloc(c->pool, (size_t)cap * sizeof *p);
        if (!p)
            return EDGE_NOMEM;
        c->pool = p;
        c->cap_pool = cap;
    }
    uint32_t n = 0;
    while (c->used + size > c->capacity) {
        c->st.evictions++;
        c->st.evicted_bytes += c->pool[c->head].size;
        drop(c, c->head);
        n++;
    }
    uint32_t i;
    if (c->free_head != NIL) {
        i = c->free_head;
        c->free_head = c->pool[i].next;
    } else {
        i = c->n_pool++;
    }
    entry *e = &c->pool[i];
    e->key = key;
    e->size = size;
    e->ready_at = ready_at;
    push_tail(c, i);
    edge__idmap_insert(&c->by_key, edge__hash_u64(key), i);
    c->used += size;
    c->count++;
    c->st.insertions++;
    if (evicted)
        *evicted = n;
    return EDGE_OK;
}

edge_err edge_cache_remove(edge_cache *c, uint32_t key)
{
    if (!c)
        return EDGE_INVAL;
    uint32_t i = find(c, key);
    if (i == EDGE_NONE)
        return EDGE_NOT_FOUND;
    drop(c, i);
    return EDGE_OK;
}

size_t edge_cache_drop_pending(edge_cache *c, edge_time now)
{
    size_t n = 0;
    for (uint32_t i = c ? c->head : NIL; i != NIL;) {
        uint32_t next = c->pool[i].next;
        if (c->pool[i].ready_at > now) {
            drop(c, i);
            n++;
        }
        i = next;
    }
    return n;
}

uint64_t edge_cache_capacity(const edge_cache *c) { return c->capacity; }
uint64_t edge_cache_used(const edge_cache *c) { return c->used; }
uint32_t edge_cache_count(const edge_cache *c) { return c->count; }
edge_cache_stats edge_cache_get_stats(const edge_cache *c) { return c->st; }

size_t edge_cache_lru_keys(const edge_cache *c, uint32_t *keys, size_t n)
{
    size_t k = 0;
    for (uint32_t i = c->head; i != NIL && k < n; i = c->pool[i].next)
        keys[k++] = c->pool[i].key;
    return k;
}

edge_time edge_cache_pull_time(double size_mb, double mb_per_s, edge_time latency)
{
    if (!(mb_per_s > 0) || latency < 0)
        return EDGE_TIME_MAX;
    double t = size_mb > 0 ? size_mb / mb_per_s * 1e9 : 0.0;
    double total = t + (double)latency;
    if (!(total < 9.2e18))
        return EDGE_TIME_MAX;
    return (edge_time)llround(total);
}
