/*
 * deployment.h — a function placed on a node.
 *
 * A deployment says that function F may run on node N from deployed_at on,
 * and counts the invocations routed to it. The cluster keeps deployments
 * (edge_cluster_deployment fills this struct; edge_cluster_count_invocation
 * bumps the counter); this header only defines the value a caller sees. It is
 * a plain open struct: copy it freely. Its id strings are borrowed from the
 * function table and the cluster's node, and stay valid while both exist and
 * the node is registered.
 */
#ifndef EDGE_DEPLOYMENT_H
#define EDGE_DEPLOYMENT_H

#include <stdint.h>

#include <cJSON.h>

#include "error.h"
#include "time.h"

typedef struct {
    uint32_t function;         /* index in the function table */
    uint32_t node;             /* the cluster's node index */
    const char *function_id;   /* borrowed */
    const char *node_id;       /* borrowed */
    edge_time deployed_at;
    uint64_t invocations;      /* invocations routed here so far */
} edge_deployment;

/*
 * d as a new cJSON object the caller frees with cJSON_Delete, with keys
 * "function_id", "node_id" (strings), "deployed_at_ns" (integer nanoseconds,
 * exact below 2^53), "deployed_at_s" (seconds) and "invocations" (integer,
 * exact below 2^53). Errors: EDGE_INVAL (NULL argument or id), EDGE_NOMEM;
 * *out untouched on error.
 */
edge_err edge_deployment_to_dict(const edge_deployment *d, cJSON **out);

#endif
