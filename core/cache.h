/*
 * cache.h — a node's artifact cache: function artifacts (code, container
 * image) kept on the node's disk, least recently used first out, bounded by
 * bytes.
 *
 * A cold start needs its function's artifact on the node. The caller looks it
 * up; on a miss it pulls it from the registry (edge_cache_pull_time() gives
 * how long: size / bandwidth + registry latency) and inserts it, which evicts
 * least recently used artifacts until it fits. A hit refreshes recency.
 *
 * Entries carry `ready_at`, the time their pull completes: an artifact is
 * inserted when its pull starts, so that a second cold start of the same
 * function during the pull finds it and waits for the same pull (ready_at -
 * now) instead of pulling again. The cache never reads a clock: times are
 * values the caller passes in.
 *
 * Rules:
 *   - exactly at capacity fits (used + size <= capacity);
 *   - an artifact bigger than the whole capacity is never cached
 *     (EDGE_LIMIT, nothing evicted): the caller pulls it every time;
 *   - eviction removes the least recently used entries (lookup hits and
 *     inserts count as uses), whatever their ready_at.
 *
 * Keys are the caller's dense indices (function indices); the cache stores
 * only the keys it holds. No global state, no I/O.
 *
 * Costs: lookup, insert (per entry evicted), remove are expected O(1) (a hash
 * table from key to an entry record, and an intrusive doubly linked list in
 * recency order); drop_pending is O(entries). Memory is proportional to the
 * entries held; records are reused, and the record pool and table only grow
 * on insert.
 */
#ifndef EDGE_CACHE_H
#define EDGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef struct edge_cache edge_cache;

/* Counters over the cache's life. A plain value. */
typedef struct {
    uint64_t lookups, hits, misses;   /* hits + misses = lookups */
    uint64_t insertions;              /* artifacts inserted */
    uint64_t oversize;                /* inserts refused: bigger than the capacity */
    uint64_t evictions;               /* entries evicted to make room */
    uint64_t evicted_bytes;
} edge_cache_stats;

/*
 * A new, empty cache of capacity bytes (0 is allowed: nothing but empty
 * artifacts fits) in *out, owned by the caller (edge_cache_free).
 * Errors: EDGE_INVAL (out NULL), EDGE_NOMEM. *out untouched on error.
 */
edge_err edge_cache_new(uint64_t capacity, edge_cache **out);

/* Frees the cache. Accepts NULL. */
void edge_cache_free(edge_cache *c);

/*
 * Looks key up. A hit makes it the most recently used and gives its ready_at
 * in *ready_at (may be NULL); a miss leaves *ready_at untouched. Counts a
 * lookup and a hit or a miss. c must not be NULL. Expected O(1).
 */
bool edge_cache_lookup(edge_cache *c, uint32_t key, edge_time *ready_at);

/* Whether key is cached, without counting or touching recency. */
bool edge_cache_contains(const edge_cache *c, uint32_t key);

/*
 * Inserts key, size bytes, available from ready_at, as the most recently
 * used; first evicts least recently used entries until used + size <=
 * capacity. *evicted (may be NULL) gets how many were evicted.
 * Errors: EDGE_INVAL (c NULL), EDGE_EXISTS (key is cached: look it up
 * instead), EDGE_LIMIT (size > capacity: never cached, nothing evicted),
 * EDGE_NOMEM (nothing changed). Expected O(1 + evicted).
 */
edge_err edge_cache_insert(edge_cache *c, uint32_t key, uint64_t size, edge_time ready_at,
                           uint32_t *evicted);

/* Removes key. Errors: EDGE_INVAL, EDGE_NOT_FOUND. Expected O(1). */
edge_err edge_cache_remove(edge_cache *c, uint32_t key);

/*
 * Removes every entry whose ready_at is after now: pulls in flight that did
 * not complete (the node crashed during them). Returns how many. O(entries).
 */
size_t edge_cache_drop_pending(edge_cache *c, edge_time now);

uint64_t edge_cache_capacity(const edge_cache *c);
uint64_t edge_cache_used(const edge_cache *c);    /* bytes held */
uint32_t edge_cache_count(const edge_cache *c);   /* entries held */
edge_cache_stats edge_cache_get_stats(const edge_cache *c);

/*
 * Writes up to n keys into keys[], least recently used first (the order in
 * which they would be evicted); returns how many were written. For tests and
 * reports. O(n).
 */
size_t edge_cache_lru_keys(const edge_cache *c, uint32_t *keys, size_t n);

/*
 * The time to pull size_mb megabytes at mb_per_s megabytes per second, plus
 * latency, rounded to the nearest nanosecond; saturates at EDGE_TIME_MAX.
 * size_mb <= 0 gives latency (a registry round trip still happens).
 * mb_per_s must be > 0, latency >= 0 (else EDGE_TIME_MAX: never done).
 */
edge_time edge_cache_pull_time(double size_mb, double mb_per_s, edge_time latency);

#endif
