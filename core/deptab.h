/*
 * deptab.h — internal: the cluster's deployments, a hash table from
 * (function, node) to the deployment's record.
 *
 * Every invocation counts itself on its deployment
 * (edge_cluster_count_invocation), so this lookup is on the hot path of
 * every run: 300,000 times on scenarios/bench/routing.json, in a table of
 * 100,000 deployments (100 functions on each of 1,000 nodes). The general
 * idmap (idmap.h) keeps no keys and confirms a hash match by reading the
 * owner's record, so a lookup there touched the table and then a record
 * elsewhere; here the key (function << 32 | node) and the invocation count
 * sit together in a 16-byte entry, so a count reads and writes one cache
 * line. The time of deployment, read only by the summaries, lives in a
 * parallel array.
 *
 * Open addressing with linear probing, load factor at most 1/2, deletion by
 * backward shift (no tombstones). Inserts never allocate: the owner reserves
 * first, so a failed reservation changes nothing and the commit that follows
 * cannot fail. The table is never iterated, so its order never leaks into
 * results. A slot number names an entry only until the next insert, remove
 * or reservation (they move entries).
 */
#ifndef EDGE_DEPTAB_H
#define EDGE_DEPTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef struct {
    uint64_t key;         /* function << 32 | node; EDGE__DEPTAB_EMPTY when free */
    uint64_t invocations; /* counted by edge_cluster_count_invocation */
} edge__dep_entry;

#define EDGE__DEPTAB_EMPTY UINT64_MAX

/* Zero-initialize to get an empty table. */
typedef struct {
    edge__dep_entry *e; /* owned; cap entries */
    edge_time *at;      /* owned; parallel to e: when deployed */
    uint32_t cap;       /* a power of two, or 0 */
    uint32_t count;     /* entries in use */
} edge__deptab;

/* Makes room for n entries in total, so that inserts up to that count
 * cannot fail. EDGE_NOMEM leaves the table as it was. */
edge_err edge__deptab_reserve(edge__deptab *t, uint32_t n);

/* The slot of (fn, node), or EDGE_NONE when it is not there (any fn and
 * node may be asked, EDGE_NONE too). Expected O(1). */
uint32_t edge__deptab_find(const edge__deptab *t, uint32_t fn, uint32_t node);

/* Adds (fn, node) deployed at `at` with no invocations. It must be absent
 * and room reserved. fn and node are below EDGE_NONE. */
void edge__deptab_insert(edge__deptab *t, uint32_t fn, uint32_t node, edge_time at);

/* Adds one invocation to each of the n deployments keys[0..n) names
 * (function << 32 | node), in order; a key not in the table is skipped.
 * With the home slots of later keys prefetched while earlier ones are
 * counted, a batch of lookups in a table too big for any cache overlaps its
 * misses instead of paying them one after another. */
void edge__deptab_count_batch(edge__deptab *t, const uint64_t *keys, uint32_t n);

/* Removes (fn, node); false when it was not there. */
bool edge__deptab_remove(edge__deptab *t, uint32_t fn, uint32_t node);

/* Frees the arrays and leaves an empty table. Accepts an empty table. */
void edge__deptab_free(edge__deptab *t);

#endif
