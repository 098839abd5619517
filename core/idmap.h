/*
 * idmap.h — internal: a hash table from a key to a dense uint32_t index.
 *
 * The tables of core (nodes of a cluster by id, functions by id, a runtime's
 * deployed functions by function index; the cluster's deployments have their
 * own table, deptab.h, that keeps each key beside the counter every
 * invocation bumps) all map some key to the index of a record the owner
 * keeps in an array. So
 * the map stores no keys at all: each entry is (hash, value), and a lookup
 * confirms a hash match by asking the caller's eq callback whether record
 * `value` has the key. Keys therefore live exactly once, in the records.
 *
 * Open addressing with linear probing, load factor at most 1/2, deletion by
 * backward shift (no tombstones, so lookups stay short under churn).
 * Expected O(1) find, insert and remove. Insert never allocates: callers
 * reserve first, so that a failed reservation leaves everything unchanged and
 * the commit that follows cannot fail. The map is never iterated, so its
 * order never leaks into results.
 */
#ifndef EDGE_IDMAP_H
#define EDGE_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    uint32_t hash;
    uint32_t val; /* EDGE_NONE when the slot is empty */
} edge__idmap_entry;

/* Zero-initialize to get an empty map. */
typedef struct {
    edge__idmap_entry *e;
    uint32_t cap;   /* a power of two, or 0 */
    uint32_t count; /* entries in use */
} edge__idmap;

/* True when record val has key. */
typedef bool (*edge__idmap_eq)(const void *ctx, uint32_t val, const void *key);

/* Makes room for n entries in total, so that inserts up to that count
 * cannot fail. EDGE_NOMEM leaves the map as it was. */
edge_err edge__idmap_reserve(edge__idmap *m, uint32_t n);

/* The value whose record has key, or EDGE_NONE. */
uint32_t edge__idmap_find(const edge__idmap *m, uint32_t hash, edge__idmap_eq eq,
                          const void *ctx, const void *key);

/* Adds (hash, val). The key must be absent and room reserved. */
void edge__idmap_insert(edge__idmap *m, uint32_t hash, uint32_t val);

/* Removes the entry whose record has key; false when there was none. */
bool edge__idmap_remove(edge__idmap *m, uint32_t hash, edge__idmap_eq eq, const void *ctx,
                        const void *key);

/* Frees the table and leaves an empty map. Accepts an empty map. */
void edge__idmap_free(edge__idmap *m);

#endif
