/*
 * function.h — edge functions, and the table that numbers them.
 *
 * An edge function is what gets deployed and invoked: an id, a handler (a C
 * function pointer with a context, NULL for functions that only exist in a
 * simulation), the memory one instance takes, a timeout, the capabilities a
 * node must offer to run it, an optional cap on instances per node and an
 * optional keep-alive of its own. A function is immutable once made.
 *
 * Functions live in an edge_function_table, which owns them and numbers them
 * 0, 1, 2, ... in the order they were added: the dense function index that
 * clusters and runtimes use on their hot paths (a simulator keeps per-function
 * arrays with it). Functions are never removed from a table, so an index is
 * valid for the table's lifetime; taking a function out of service is an
 * undeploy, not a removal. Lookup by id is expected O(1); by index O(1).
 * Clusters and runtimes borrow the table: it must outlive them.
 */
#ifndef EDGE_FUNCTION_H
#define EDGE_FUNCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "error.h"
#include "ids.h"
#include "node.h"
#include "time.h"

/*
 * A function's handler. Called by edge_runtime_invoke with the context given
 * in the spec and the caller's args (borrowed, may be NULL).
 * Returns 0 on success, having set *result to a new cJSON value whose
 * ownership passes to invoke's caller (or left it NULL: no result). Returns
 * any other value on failure, ideally with a message written into errbuf
 * (errlen bytes, already an empty string); whatever it left in *result is
 * then freed by the runtime. It must not call into the runtime that invokes
 * it.
 */
typedef int (*edge_handler_fn)(void *ctx, const cJSON *args, cJSON **result, char *errbuf,
                               size_t errlen);

/* Everything a function is made from. Strings are borrowed for the call. */
typedef struct {
    const char *id;                   /* required, see ids.h */
    edge_handler_fn handler;          /* NULL: cannot be invoked synchronously */
    void *handler_ctx;                /* passed to handler, borrowed */
    uint32_t memory_mb;               /* one instance's memory */
    edge_time timeout;                /* > 0; an invocation that takes longer fails */
    const char *const *capabilities;  /* required of a node; duplicates dropped */
    size_t n_capabilities;
    uint32_t max_instances;           /* per node; 0 = unlimited */
    bool has_keepalive;               /* false: the runtime's default keep-alive */
    edge_time keepalive;              /* >= 0 when has_keepalive; 0 = unload after use */
} edge_function_spec;

typedef struct edge_function edge_function;

/*
 * Makes a function from spec. Copies the id and the capability names; the
 * handler context stays borrowed. On success *out is owned by the caller until
 * it is added to a table (free with edge_function_free otherwise).
 * Errors: EDGE_INVAL (NULL spec or out, invalid id or capability name),
 * EDGE_RANGE (timeout <= 0, negative keep-alive), EDGE_LIMIT (more than
 * EDGE_CAPS_MAX capabilities), EDGE_NOMEM. *out untouched on error.
 */
edge_err edge_function_new(const edge_function_spec *spec, edge_function **out);

/* Frees fn. Accepts NULL. Never free a function a table owns. */
void edge_function_free(edge_function *fn);

/* Getters. The id lives as long as the function. */
const char *edge_function_id(const edge_function *fn);
/* The index in its table, EDGE_NONE while in no table. */
uint32_t edge_function_index(const edge_function *fn);
uint32_t edge_function_memory_mb(const edge_function *fn);
edge_time edge_function_timeout(const edge_function *fn);
uint32_t edge_function_max_instances(const edge_function *fn);
/* True and *ttl set (ttl may be NULL) when the function has its own keep-alive. */
bool edge_function_keepalive(const edge_function *fn, edge_time *ttl);
edge_handler_fn edge_function_handler(const edge_function *fn, void **ctx);
/* Required capabilities in byte order, i in [0, count). */
size_t edge_function_capability_count(const edge_function *fn);
const char *edge_function_capability(const edge_function *fn, size_t i);

/* True iff every capability fn requires is among node's (none required: runs
 * anywhere; extra capabilities on the node do not matter). Status, draining
 * and memory are not considered here. O(r + k), usually one AND. */
bool edge_function_can_run_on(const edge_function *fn, const edge_node *node);

/* ---- Table ---------------------------------------------------------------- */

typedef struct edge_function_table edge_function_table;

/* A new empty table in *out, owned by the caller (free with
 * edge_function_table_free). Errors: EDGE_INVAL, EDGE_NOMEM. */
edge_err edge_function_table_new(edge_function_table **out);

/* Frees the table and every function in it. Accepts NULL. */
void edge_function_table_free(edge_function_table *t);

/*
 * Adds fn, taking ownership of it on success, and gives it the next index
 * (written to *index when index is not NULL).
 * Errors: EDGE_INVAL (NULL, or fn already in a table), EDGE_EXISTS (a function
 * with that id is in the table), EDGE_LIMIT (2^32 - 1 functions), EDGE_NOMEM.
 * On error the caller still owns fn and the table is unchanged.
 */
edge_err edge_function_table_add(edge_function_table *t, edge_function *fn, uint32_t *index);

/* Finds a function by id: *index set on success. Errors: EDGE_INVAL (NULL),
 * EDGE_NOT_FOUND. Expected O(1). */
edge_err edge_function_table_find(const edge_function_table *t, const char *id, uint32_t *index);

/* The function at index, borrowed; NULL when index is out of range. O(1). */
const edge_function *edge_function_table_get(const edge_function_table *t, uint32_t index);

/* Number of functions; indices run from 0 to this minus one. */
uint32_t edge_function_table_count(const edge_function_table *t);

#endif
