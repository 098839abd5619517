/*
 * cluster.h — the control plane's view of a set of edge nodes: who is
 * registered, what is deployed where, and how healthy the whole is.
 *
 * The cluster owns its nodes (handed over at register) and borrows an
 * edge_function_table (which must outlive it). It keeps:
 *   - nodes by id (expected O(1)) and by a dense node index given at register;
 *     indices are never reused, so an index names one registration for good
 *     and index order is registration order;
 *   - registration order among the registered nodes (a linked list, so
 *     deregister is O(1) and keeps the order of the rest);
 *   - deployments: (function, node) -> deployed-at and an invocation counter
 *     (expected O(1) by pair), plus per function the nodes it is deployed on
 *     and per node the functions deployed there, each in the order the
 *     deployments were made (a new deployment is appended at the end).
 *
 * Expected workload (the simulator of issue 4): 10,000 nodes, 1,000
 * functions; heartbeats, status changes, deployment lookups and invocation
 * counts on the hot path, all O(1); deploy, deploy_least_loaded and the
 * health summary scan the nodes, O(nodes), and deploy_strategy (spread,
 * best fit, worst fit: all replicas from one sort) costs O(nodes log nodes)
 * per call whatever the replicas, which is fine for placement
 * decisions and periodic checks but not per invocation. Routing reads
 * edge_cluster_nodes_of(), which is an array, not a scan.
 *
 * Draining is a flag beside the status: a draining node takes no new
 * deployments (deploy skips it, deploy_to refuses it, least-loaded ignores
 * it) while what runs there keeps running and routing may still use it.
 * Deployment ignores node status: placing a function is not routing to it.
 *
 * Every call that fails returns its code and leaves the cluster as it was:
 * the calls that add several entries reserve all memory first and then
 * commit without any further failure. A call named `_idx` takes indices where
 * its twin takes ids (looked up in expected O(1)); the lookups and counters
 * that only a program needs (is_deployed, deployment, count_invocation,
 * nodes_of, functions_on, is_healthy, is_draining) take indices only.
 */
#ifndef EDGE_CLUSTER_H
#define EDGE_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deployment.h"
#include "error.h"
#include "function.h"
#include "ids.h"
#include "node.h"
#include "time.h"

typedef struct edge_cluster edge_cluster;

/* Health at one instant. A plain value. */
typedef struct {
    size_t total;                              /* registered nodes */
    size_t by_status[EDGE_NODE_STATUS_COUNT];  /* indexed by edge_node_status */
    size_t healthy;                            /* edge_node_is_healthy at now */
    size_t draining;
    double healthy_fraction;                   /* healthy / total; 0.0 when empty */
} edge_health_summary;

/* A new empty cluster in *out, owned by the caller (edge_cluster_free),
 * borrowing functions, with the default health window.
 * Errors: EDGE_INVAL (NULL argument), EDGE_NOMEM. */
edge_err edge_cluster_new(const edge_function_table *functions, edge_cluster **out);

/* Frees the cluster, its nodes and deployments. Accepts NULL. */
void edge_cluster_free(edge_cluster *c);

/* The health window used by edge_cluster_is_healthy and the summary
 * (default EDGE_HEALTH_WINDOW_DEFAULT). Errors: EDGE_INVAL (NULL, negative). */
edge_err edge_cluster_set_health_window(edge_cluster *c, edge_time window);
edge_time edge_cluster_health_window(const edge_cluster *c);

/* The function table the cluster borrows. */
const edge_function_table *edge_cluster_functions(const edge_cluster *c);

/* ---- Nodes -------------------------------------------------------------- */

/*
 * Registers node, taking ownership on success, and gives it the next node
 * index (written to *index when not NULL). The node keeps its registration
 * time (set when it was made).
 * Errors: EDGE_INVAL (NULL), EDGE_EXISTS (a node with that id is registered),
 * EDGE_LIMIT (2^32 - 1 registrations), EDGE_NOMEM. On error the caller still
 * owns node.
 */
edge_err edge_cluster_register(edge_cluster *c, edge_node *node, uint32_t *index);

/*
 * Deregisters a node: removes its deployments, frees it, and keeps the
 * registration order of the others. Its index is not reused.
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (no such node).
 */
edge_err edge_cluster_deregister(edge_cluster *c, const char *node_id);
edge_err edge_cluster_deregister_idx(edge_cluster *c, uint32_t node);

/* *index of the registered node with that id. Errors: EDGE_INVAL (NULL),
 * EDGE_NOT_FOUND. Expected O(1). */
edge_err edge_cluster_find(const edge_cluster *c, const char *node_id, uint32_t *index);

/* The registered node at index, borrowed (valid until it is deregistered);
 * NULL when none. O(1). */
const edge_node *edge_cluster_node(const edge_cluster *c, uint32_t node);

/* Registered nodes. */
size_t edge_cluster_size(const edge_cluster *c);

/* One past the largest node index ever given: size per-node arrays by it. */
uint32_t edge_cluster_index_bound(const edge_cluster *c);

/* Iteration in registration order: first, then next until EDGE_NONE:
 *   for (uint32_t i = edge_cluster_first(c); i != EDGE_NONE; i = edge_cluster_next(c, i))
 * Do not deregister the current node while iterating (take next first). */
uint32_t edge_cluster_first(const edge_cluster *c);
uint32_t edge_cluster_next(const edge_cluster *c, uint32_t node);

/* Records a heartbeat (see edge_node_heartbeat). Errors: EDGE_INVAL,
 * EDGE_NOT_FOUND, EDGE_RANGE (bad usage, or time going backwards). */
edge_err edge_cluster_heartbeat(edge_cluster *c, const char *node_id, edge_time now,
                                const edge_resource_usage *usage);
edge_err edge_cluster_heartbeat_idx(edge_cluster *c, uint32_t node, edge_time now,
                                    const edge_resource_usage *usage);

/* Sets a node's status. Errors: EDGE_INVAL (NULL, status outside the enum),
 * EDGE_NOT_FOUND. */
edge_err edge_cluster_set_status(edge_cluster *c, const char *node_id, edge_node_status s);
edge_err edge_cluster_set_status_idx(edge_cluster *c, uint32_t node, edge_node_status s);

/* True when the node is registered and healthy at now under the cluster's
 * health window. O(1). */
bool edge_cluster_is_healthy(const edge_cluster *c, uint32_t node, edge_time now);

/* Drain: no new deployments on the node; what is deployed stays. Undrain
 * lifts it. Both are idempotent. Errors: EDGE_INVAL, EDGE_NOT_FOUND. */
edge_err edge_cluster_drain(edge_cluster *c, const char *node_id);
edge_err edge_cluster_drain_idx(edge_cluster *c, uint32_t node);
edge_err edge_cluster_undrain(edge_cluster *c, const char *node_id);
edge_err edge_cluster_undrain_idx(edge_cluster *c, uint32_t node);
/* False for an unregistered node. */
bool edge_cluster_is_draining(const edge_cluster *c, uint32_t node);

/* The health of the registered nodes at now: counts by status, draining,
 * healthy under the cluster's window, and healthy / total (0.0 for an empty
 * cluster, so "no nodes" never reads as "all healthy"). Errors: EDGE_INVAL.
 * O(nodes). */
edge_err edge_cluster_health(const edge_cluster *c, edge_time now, edge_health_summary *out);

/* ---- Deployments ------------------------------------------------------- */

/*
 * Deploys a function to every registered node that can run it and is not
 * draining, in registration order, skipping nodes that already have it
 * (so calling it again only adds nodes registered since). Draining nodes are
 * skipped silently: that is what draining means. *added (may be NULL) gets the
 * number of new deployments; they are the last *added entries of
 * edge_cluster_nodes_of(function).
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (unknown function), EDGE_NO_ELIGIBLE
 * (no non-draining node can run it, counting nodes that already have it),
 * EDGE_NOMEM. O(nodes).
 */
edge_err edge_cluster_deploy(edge_cluster *c, const char *function_id, edge_time now,
                             size_t *added);
edge_err edge_cluster_deploy_idx(edge_cluster *c, uint32_t function, edge_time now,
                                 size_t *added);

/*
 * Deploys a function to one node.
 * Errors, checked in this order: EDGE_INVAL (NULL), EDGE_NOT_FOUND (unknown
 * function or node), EDGE_DRAINING, EDGE_CAPABILITY (the node lacks a
 * required capability), EDGE_EXISTS (already deployed there), EDGE_NOMEM.
 */
edge_err edge_cluster_deploy_to(edge_cluster *c, const char *function_id, const char *node_id,
                                edge_time now);
edge_err edge_cluster_deploy_to_idx(edge_cluster *c, uint32_t function, uint32_t node,
                                    edge_time now);

/*
 * Deploys a function to the node with the fewest deployed functions among
 * the registered nodes that are not draining, can run it, and do not have it
 * yet (so k calls place k replicas on k different nodes); ties go to the
 * earliest registered. Usable nodes (ONLINE, DEGRADED) come first: a node
 * that is OFFLINE, SYNCING or in MAINTENANCE is chosen only when no usable
 * node is eligible. *node (may be NULL) gets the chosen index.
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (unknown function), EDGE_NO_ELIGIBLE
 * (no such node), EDGE_NOMEM. O(nodes).
 */
edge_err edge_cluster_deploy_least_loaded(edge_cluster *c, const char *function_id,
                                          edge_time now, uint32_t *node);
edge_err edge_cluster_deploy_least_loaded_idx(edge_cluster *c, uint32_t function,
                                              edge_time now, uint32_t *node);

/*
 * Placement strategies that place several replicas in one call, each on a
 * different node among the registered nodes that are not draining, can run
 * the function (capabilities) and do not have it yet:
 *
 *   EDGE_PLACE_SPREAD      across regions: regions ranked by their first
 *                          candidate in registration order; replica k goes to
 *                          the next region in rank order (round robin, from
 *                          the first region, skipping regions with no
 *                          candidate left), and there to the candidate with
 *                          the fewest deployed functions (ties to the
 *                          earliest registered). Memory is not considered.
 *   EDGE_PLACE_BEST_FIT    the candidate with the LEAST free memory that
 *                          still fits the function's memory_mb,
 *   EDGE_PLACE_WORST_FIT   the candidate with the MOST free memory (that
 *                          fits); for both, ties to the earliest registered.
 *
 * Memory: a node's free memory is its capacity, the memory_max_mb it last
 * reported (edge_node_usage; at registration that of its spec), minus its
 * deployed memory: the sum of memory_mb of the functions deployed there (one
 * instance's worth per deployed function, whatever runs). A function fits
 * when its memory_mb <= free memory (exactly equal fits); a node of unknown
 * capacity (0) never fits. Each placement adds the function's memory to its
 * node's deployed memory, and undeploy / deregister take it off.
 *
 * Up to `replicas` nodes are chosen; their indices go to nodes[0..*placed)
 * in placement order (nodes has room for `replicas`). Fewer than asked is
 * not an error (*placed says how many; the caller decides); none at all for
 * replicas > 0 is EDGE_NO_ELIGIBLE. Errors: EDGE_INVAL (NULL, an unknown
 * strategy), EDGE_NOT_FOUND (unknown function), EDGE_NO_ELIGIBLE, EDGE_NOMEM;
 * on error nothing is deployed. Cost: O(n log n) for n registered nodes,
 * whatever the number of replicas (one sort, no rescan per replica).
 */
typedef enum {
    EDGE_PLACE_SPREAD,
    EDGE_PLACE_BEST_FIT,
    EDGE_PLACE_WORST_FIT
} edge_placement;

edge_err edge_cluster_deploy_strategy_idx(edge_cluster *c, uint32_t function,
                                          edge_placement strategy, uint32_t replicas,
                                          edge_time now, uint32_t *nodes, size_t *placed);

/* A node's deployed memory (see above) in MB; 0 for an unknown node. O(1). */
uint64_t edge_cluster_deployed_memory_mb(const edge_cluster *c, uint32_t node);

/* Its free memory: capacity minus deployed memory (negative when functions
 * were placed past it by other strategies); 0.0 for an unknown node. O(1). */
double edge_cluster_free_memory_mb(const edge_cluster *c, uint32_t node);

/* Removes one deployment (keeping the order of the others). Errors:
 * EDGE_INVAL, EDGE_NOT_FOUND (unknown function or node), EDGE_NOT_DEPLOYED.
 * O(deployments of the function + functions on the node). */
edge_err edge_cluster_undeploy(edge_cluster *c, const char *function_id, const char *node_id);
edge_err edge_cluster_undeploy_idx(edge_cluster *c, uint32_t function, uint32_t node);

/* True when function is deployed on node. Expected O(1). */
bool edge_cluster_is_deployed(const edge_cluster *c, uint32_t function, uint32_t node);

/* Fills *out with the deployment of function on node. Errors: EDGE_INVAL,
 * EDGE_NOT_FOUND (unknown function or node), EDGE_NOT_DEPLOYED. Expected O(1). */
edge_err edge_cluster_deployment(const edge_cluster *c, uint32_t function, uint32_t node,
                                 edge_deployment *out);

/* Counts one invocation routed to function on node. Errors: EDGE_INVAL,
 * EDGE_NOT_FOUND, EDGE_NOT_DEPLOYED. Expected O(1). */
edge_err edge_cluster_count_invocation(edge_cluster *c, uint32_t function, uint32_t node);

/* Counts one invocation routed to function on node, as
 * edge_cluster_count_invocation does, but later: counts are held back, up to
 * 256, and applied together (edge_cluster_flush_counts), which overlaps the
 * cache misses of their lookups in a table of hundreds of thousands of
 * deployments. They are applied, in order, before any deployment is added
 * or removed, so each lands on the deployment live when it was counted; a
 * pair not deployed then is counted nowhere (the immediate call's
 * EDGE_NOT_DEPLOYED). edge_cluster_deployment's invocations lag until a
 * flush: flush before reading them. Errors: EDGE_INVAL for a NULL cluster.
 * Without memory for the batch it counts at once (and its errors are the
 * immediate call's). */
edge_err edge_cluster_count_invocation_deferred(edge_cluster *c, uint32_t function, uint32_t node);

/* Applies every count edge_cluster_count_invocation_deferred holds back.
 * Never fails; NULL is fine. */
void edge_cluster_flush_counts(edge_cluster *c);

/* The node indices function is deployed on, in deployment order, and their
 * number in *n. Borrowed: valid until the next call that changes
 * deployments. NULL with *n = 0 when none. O(1). */
const uint32_t *edge_cluster_nodes_of(const edge_cluster *c, uint32_t function, size_t *n);

/* The function indices deployed on node, in deployment order (same rules). */
const uint32_t *edge_cluster_functions_on(const edge_cluster *c, uint32_t node, size_t *n);

/* Deployments in the cluster. */
size_t edge_cluster_deployment_count(const edge_cluster *c);

#endif
