/*
 * scheduler.h — routing: which node runs the next invocation of a function.
 *
 * The scheduler keeps, per function, the nodes it is deployed on in node-index
 * order (node indices are handed out in registration order, so position order
 * is registration order), and per node what the policies look at: invocations
 * in flight, idle warm instances per function, and whether the cluster
 * believes the node usable. The owner (the simulator, or a real platform's
 * control loop) reports every change; `pick` then answers from that state.
 *
 * Cost: policies that minimize a key (least_loaded, warm_first) keep a
 * tournament tree per function deployed on more than 64 nodes (argmin.h; on
 * fewer, a pick scans them), and a pick costs O(1). least_loaded's key is the
 * node's alone, so functions deployed on exactly the same nodes share one
 * tree: a load change costs O(t log m) for a node in t distinct node sets of
 * m nodes each, whatever the number of functions hosted (1,000 nodes x 100
 * functions on every node: one tree). warm_first's key holds the function's
 * idle instances, so it keeps a tree per function: O(k log m) for a node
 * hosting k functions. So 10,000 nodes do not make a pick cost 10,000. Membership
 * changes (deploy, undeploy) mark the function's tree for a rebuild at its
 * next pick (O(m)); they are rare next to invocations.
 *
 * Policies (by name):
 *   least_loaded  fewest in flight; ties to the earliest registered.
 *   warm_first    nodes with an idle warm instance first, then least loaded.
 *   round_robin   the next usable node after the last one chosen, in order.
 *   random        uniform among the usable nodes.
 *   power_of_two  two distinct usable nodes at random, the less loaded (ties
 *                 to the earlier registered).
 *   nearest       the lowest network cost from the client (set with
 *                 edge_scheduler_set_costs before the pick), then the least
 *                 loaded, then the earliest registered; a scan of the
 *                 function's nodes (costs differ per client, so no tree).
 *   offload_threshold  tiers (edge_scheduler_set_tiers: edge, fog, cloud):
 *                 the nearest node of the lowest tier whose load per core
 *                 (in flight / cores, edge_scheduler_set_capacity) is below
 *                 the threshold (edge_scheduler_set_offload_threshold,
 *                 default 1: a free core), else the same in the next tier;
 *                 when every node is past it, the least load per core
 *                 (ties: lower tier, nearer, earlier registered). O(m) scan.
 *   latency_aware the node minimising expected latency: network cost
 *                 (set_costs) + expected transfer (edge_scheduler_set_expect's
 *                 callback: request and response at the links' current rates)
 *                 + mean execution x (1 + floor(in flight / cores)), the
 *                 queue ahead (the sum saturated at INT64_MAX: an infinite
 *                 mean ranks every node alike); ties to the earliest
 *                 registered. O(m) scan.
 *   consistent_hash  function affinity by rendezvous hashing: a function
 *                 goes to the eligible node with the highest hash weight of
 *                 (function, node), so a node leaving moves only the
 *                 functions that were on it. The last answer is kept while it
 *                 stays eligible (O(1)); a change recomputes it (O(m)).
 *
 * A policy can also come from outside (edge_scheduler_create_plugin): a
 * plugin's choose() sees every eligible node of the function with its load,
 * idle warm instances, region and latency (edge_policy_plugin.h), so its
 * pick costs O(m) for a function on m nodes, plus whatever the plugin does.
 *
 * Randomness is the caller's: policies that need it draw from the edge_rand
 * they are handed, so a seeded simulator stays reproducible.
 *
 * Layout: each policy is one file in core/policies/ (what it does, its cost
 * and its ties at the top); scheduler.c keeps the shared structures above and
 * the registry that finds a policy by name; scheduler_internal.h (not
 * installed) is the contract between them. A new built-in policy is a file
 * there plus a line in the registry and in edge_scheduler_policies' list.
 */
#ifndef EDGE_SCHEDULER_H
#define EDGE_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>

#include "edge_policy_plugin.h"
#include "error.h"

#define EDGE_SCHED_NONE ((size_t)-1)

/* A source of uniform 64-bit random numbers the caller owns. */
typedef struct edge_rand {
    uint64_t (*next)(void *ctx);
    void *ctx;
} edge_rand;

typedef struct edge_scheduler edge_scheduler;

/* The names of the built-in policies, NULL-terminated, static. */
const char *const *edge_scheduler_policies(void);

/*
 * Creates a scheduler for `policy` over nfunctions functions and an initial
 * nnodes nodes (all usable, idle, nothing deployed).
 * Errors (*err, may be NULL): EDGE_NOT_FOUND for an unknown policy name,
 * EDGE_NOMEM. Returns NULL on error. Caller frees with edge_scheduler_free.
 */
edge_scheduler *edge_scheduler_create(const char *policy, size_t nfunctions, size_t nnodes,
                                      edge_err *err);

/*
 * Creates a scheduler whose picks are made by a plugin (see
 * edge_policy_plugin.h). Borrows `plugin` and `state`: the caller keeps them
 * alive until edge_scheduler_free, and destroys the state itself afterwards.
 * Errors: EDGE_INVAL when plugin is NULL, has no choose() or another
 * abi_version; EDGE_NOMEM. Returns NULL on error.
 */
edge_scheduler *edge_scheduler_create_plugin(const edge_policy_plugin *plugin, void *state,
                                             size_t nfunctions, size_t nnodes, edge_err *err);

/* For plugins: node_region[node] is each node's region index (borrowed, kept
 * alive by the caller; NULL: all 0). */
void edge_scheduler_set_regions(edge_scheduler *s, const uint32_t *node_region);

/* For plugins: the time and client region of the next picks. */
void edge_scheduler_set_request(edge_scheduler *s, int64_t now, uint32_t client_region);

/* An invocation of function started / finished (ok 1 or 0) on node at now:
 * forwarded to a plugin's on_start / on_finish; nothing for built-ins. */
void edge_scheduler_started(edge_scheduler *s, size_t function, size_t node, int64_t now);
void edge_scheduler_finished(edge_scheduler *s, size_t function, size_t node, int64_t now,
                             int ok);

/* 1 when a plugin has answered a pick with a value that is neither a
 * candidate index nor EDGE_POLICY_NONE (the pick returned EDGE_SCHED_NONE);
 * *value (may be NULL) gets the first such value. 0 otherwise. */
int edge_scheduler_bad_choice(const edge_scheduler *s, long *value);

/* Frees s. NULL is fine. */
void edge_scheduler_free(edge_scheduler *s);

/* The policy's name (static). */
const char *edge_scheduler_policy(const edge_scheduler *s);

/* Makes room for node indices below nnodes (nodes registered later start
 * usable and idle). Errors: EDGE_NOMEM (s unchanged). */
edge_err edge_scheduler_grow_nodes(edge_scheduler *s, size_t nnodes);

/*
 * A cache hint for a coming pick of function: reads and prefetches, changes
 * nothing. Stage 2 prefetches the function's record; stage 1, called some
 * work later (the record in cache), its node and idle lists. Any s (NULL
 * too), any function. No errors.
 */
void edge_scheduler_prefetch(const edge_scheduler *s, size_t function, int stage);

/*
 * For cache hints only: the node a pick of function with no exclusions
 * would most likely return now, or EDGE_SCHED_NONE when the policy has no
 * cheap guess (every policy but least_loaded and warm_first past their
 * scan size, a function whose lists wait for a rebuild, no node). A pick
 * may return another node (loads change in between): nothing may depend on
 * the guess but what is prefetched. Reads only; O(1). Any s (NULL too),
 * any function. No errors.
 */
size_t edge_scheduler_guess(const edge_scheduler *s, size_t function);

/*
 * edge_scheduler_guess as it will most likely stand after the event that
 * runs first: pick_fn < the function count when that event picks a node
 * for pick_fn (least_loaded's pick raises its tree's root: on the same
 * tree the guess is the runner-up), else release_node < the node count
 * when it ends an invocation there (that node one lighter may become the
 * root); EDGE_SCHED_NONE (or any out-of-range value) for neither, which is
 * edge_scheduler_guess. On scenarios/bench/routing.json the guess one event
 * ahead was the node picked 25% of the time; with the event before taken
 * into account, 99%. For cache hints only, like edge_scheduler_guess;
 * reads only, O(1). Any s (NULL too), any function. No errors.
 */
size_t edge_scheduler_guess_after(const edge_scheduler *s, size_t function, size_t pick_fn,
                                  size_t release_node);

/*
 * The guess of the policies that pick at random (random, power_of_two),
 * which change nothing but the stream they draw from: their pick for
 * function on the draws of copy, a copy of the stream the picks use (it is
 * advanced; the caller's stream is not), after a pick for pick_fn when
 * pick_fn < the function count (the event about to run draws first). Exact
 * when the loads and the stream are as they will be. EDGE_SCHED_NONE for
 * any other policy, a function waiting for its rebuild or out of range, s
 * or copy NULL. For cache hints only; O(a pick). No errors.
 */
size_t edge_scheduler_guess_drawn(const edge_scheduler *s, size_t function, size_t pick_fn,
                                  edge_rand *copy);

/* 1 when edge_scheduler_guess_drawn can answer for s's policy (its pick
 * changes nothing but the stream), else 0. Any s (NULL: 0). */
int edge_scheduler_picks_by_draws(const edge_scheduler *s);

/* A hint that node's load is about to change (an invocation delivered to
 * it): starts loading what edge_scheduler_set_load reads. No effect on
 * results; out-of-range nodes are ignored. */
void edge_scheduler_prefetch_node(const edge_scheduler *s, size_t node);

/* Records that function is deployed (deployed = 1) or no longer deployed
 * (0) on node. Idempotent. Errors: EDGE_INVAL for out-of-range indices,
 * EDGE_NOMEM (s unchanged). */
edge_err edge_scheduler_set_deployed(edge_scheduler *s, size_t function, size_t node,
                                     int deployed);

/* Reports a node's usability as the cluster sees it (healthy, not in
 * maintenance). Out-of-range nodes are ignored. */
void edge_scheduler_set_usable(edge_scheduler *s, size_t node, int usable);

/* Reports a node's invocations in flight (running or queued there). */
void edge_scheduler_set_load(edge_scheduler *s, size_t node, uint32_t in_flight);

/* Reports the number of idle warm instances of function on node. */
void edge_scheduler_set_idle(edge_scheduler *s, size_t function, size_t node, uint32_t idle);

/*
 * Chooses a node for an invocation of function among the usable nodes it is
 * deployed on, skipping the `nexclude` nodes in `exclude` (nodes already tried
 * by a retry; may be NULL). rnd is used by the random policies and handed to
 * a plugin (may be NULL for the others). Returns the node index, or EDGE_SCHED_NONE when no node is
 * eligible. Cost: see the top of this file.
 */
size_t edge_scheduler_pick(edge_scheduler *s, size_t function, const size_t *exclude,
                           size_t nexclude, edge_rand *rnd);

/* For nearest: costs[node] is the network cost from the client of the next
 * picks to each node (borrowed; the caller keeps it alive and may switch it
 * before each pick). NULL: every cost is equal. */
void edge_scheduler_set_costs(edge_scheduler *s, const int64_t *costs);

/* For offload_threshold and latency_aware (borrowed, kept alive by the
 * caller; NULL: every node is tier 0 / has 1 core): tier[node] is 0 edge,
 * 1 fog, 2 cloud; cores[node] its execution slots. */
void edge_scheduler_set_tiers(edge_scheduler *s, const uint8_t *tier);
void edge_scheduler_set_capacity(edge_scheduler *s, const uint32_t *cores);
/* offload_threshold: load per core at or past which a node is passed over
 * (> 0; default 1). */
void edge_scheduler_set_offload_threshold(edge_scheduler *s, double load_per_core);
/* For latency_aware and plugins, before a pick: transfer(ctx, node) is the
 * expected time (ns) to move the invocation's request there and its
 * response back at the current link rates (NULL: 0 everywhere);
 * exec_mean_ns the function's mean execution time. */
void edge_scheduler_set_expect(edge_scheduler *s, int64_t (*transfer)(void *ctx, size_t node),
                               void *ctx, int64_t exec_mean_ns);

/* Number of nodes function is deployed on (usable or not). */
size_t edge_scheduler_deployed_count(const edge_scheduler *s, size_t function);

#endif
