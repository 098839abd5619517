/*
 * edge_policy_plugin.h — the C interface of a scheduler policy compiled as a
 * shared object (a "plugin"), versioned.
 *
 * A plugin is a .so that exports ONE symbol, `edge_policy_plugin_v1`, a
 * constant struct edge_policy_plugin whose `abi_version` is
 * EDGE_POLICY_ABI_VERSION. A scenario names it:
 *     "policies": {"scheduler": {"plugin": "policy.so", "params": {...}}}
 * and the simulator loads it with dlopen (docs/plugins.md walks through it;
 * examples/policy-plugin/ is a worked example).
 *
 * This header is self-contained (only <stddef.h> and <stdint.h>) so a plugin
 * needs nothing else of edgecore: build it with
 *     cc -fPIC -shared $(pkg-config --cflags edgecore)/edgecore policy.c -o policy.so
 * or, from a source tree, with -I<tree>/core.
 *
 * Rules a plugin keeps, so runs stay reproducible:
 *   - every random draw comes from req->uniform(req->rng) (the run's
 *     scheduler stream, seeded by the scenario); never rand(), time() or
 *     the address of anything;
 *   - no global mutable state: everything lives in the state `create`
 *     returns (a sweep may run several worlds with the same plugin loaded);
 *   - no callback keeps its request's arrays (candidates, instances,
 *     transfer_ns) past its return: they are reused.
 *
 * Versioning: a change to any struct or signature below bumps the ABI
 * version and the symbol's suffix, so an old plugin is refused with a clear
 * error instead of misread. Version 1 (edge_policy_plugin_v1, routing only)
 * is still loaded as it was. Version 2 (the symbol edge_policy_plugin_v2, a
 * const edge_policy_plugin2, at the end of this header) is one plugin with an
 * optional table of callbacks per policy kind — routing, keep-alive,
 * autoscaler, instance selection, placement — and a `size` member, so later
 * additions append members (and tables) without a new version: the loader
 * reads only what the plugin's `size` covers. Instance selection and
 * placement were appended that way: a version 2 plugin built before them
 * (its size EDGE_POLICY_PLUGIN2_SIZE_BASE) still loads, with both NULL.
 * The tables' own structs are never extended in place (they carry no size):
 * a new callback of a kind comes as a new table appended here.
 */
#ifndef EDGE_POLICY_PLUGIN_H
#define EDGE_POLICY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define EDGE_POLICY_ABI_VERSION 1

/* The symbol a plugin exports (a `const edge_policy_plugin`). */
#define EDGE_POLICY_PLUGIN_SYMBOL "edge_policy_plugin_v1"

/* choose() returns this for "no node" (the invocation then fails with
 * no_eligible_node, as it does with a built-in policy finding none). */
#define EDGE_POLICY_NONE (-1)

/* One node the function is deployed on and the cluster believes usable
 * (registered, ONLINE or DEGRADED), not already tried by this invocation. */
typedef struct edge_policy_candidate {
    uint32_t node;         /* node index: registration order, the scenario's node order */
    uint32_t in_flight;    /* invocations running or queued there */
    uint32_t idle_warm;    /* idle warm instances of this function there */
    uint32_t region;       /* the node's region index (the scenario's region order) */
    int64_t latency_ns;    /* network latency from the client's region to the node */
} edge_policy_candidate;

/* One decision to make. Everything is borrowed for the duration of choose(). */
typedef struct edge_policy_request {
    uint32_t function;     /* function index (the scenario's function order) */
    uint32_t client_region;/* region the request comes from */
    int64_t now;           /* virtual time, nanoseconds */
    const edge_policy_candidate *candidates; /* in node-index order */
    size_t ncandidates;    /* at least 1: choose() is not called with none */
    double (*uniform)(void *rng); /* a uniform double in [0, 1) from the run's stream;
                                     edgesim always sets it (NULL only when a program
                                     embedding core passes no random source) */
    void *rng;
    /* Added in place (old plugins never read past rng, so v1 stays v1):
     * transfer_ns[i] is candidate i's expected transfer time, nanoseconds:
     * the request there and the response back at the links' current rates
     * (docs/semantics.md, "Network"). NULL when the scenario has no network
     * payloads. */
    const int64_t *transfer_ns;
} edge_policy_request;

typedef struct edge_policy_plugin {
    uint32_t abi_version;  /* EDGE_POLICY_ABI_VERSION */
    const char *name;      /* short name for outputs (summary.json "scheduler": "plugin:NAME") */

    /* Makes the policy's state. params_json is the scenario's "params" as
     * compact JSON text ("{}" when absent; the plugin parses it itself).
     * nfunctions and nnodes are the scenario's counts (indices below them
     * are valid). On error: returns NULL and writes a one-line reason to
     * err (errlen bytes, always terminated by the caller's zeroing). */
    void *(*create)(const char *params_json, size_t nfunctions, size_t nnodes, char *err,
                    size_t errlen);

    /* Frees the state create returned. Called once per successful create. */
    void (*destroy)(void *state);

    /* The decision: an index into req->candidates, or EDGE_POLICY_NONE.
     * Anything else is an error that stops the run (exit 1) with a message
     * naming the plugin and the value. */
    long (*choose)(void *state, const edge_policy_request *req);

    /* Optional (may be NULL): an invocation of function started running on
     * node (after its queueing, before any cold start), and one finished
     * there (ok = 1 on success, 0 on timeout or crash). */
    void (*on_start)(void *state, uint32_t function, uint32_t node, int64_t now);
    void (*on_finish)(void *state, uint32_t function, uint32_t node, int64_t now, int ok);
} edge_policy_plugin;

/* ------------------------------------------------------------------------ */
/* ABI version 2: every policy kind in one plugin (docs/plugins.md)          */

#define EDGE_POLICY_ABI_VERSION_2 2
#define EDGE_POLICY_PLUGIN_SYMBOL_V2 "edge_policy_plugin_v2"

/* A callback's answer for "decide as the scenario's own policy would". */
#define EDGE_POLICY_DEFAULT (-2)

/* Routing: the callbacks of version 1, with the same meaning. */
typedef struct edge_policy_routing {
    long (*choose)(void *state, const edge_policy_request *req); /* required */
    void (*on_start)(void *state, uint32_t function, uint32_t node, int64_t now);
    void (*on_finish)(void *state, uint32_t function, uint32_t node, int64_t now, int ok);
} edge_policy_routing;

/* Keep-alive: asked when an invocation ends on a node, before its instance
 * turns idle. */
typedef struct edge_policy_keepalive_request {
    uint32_t function, node;
    int64_t now;               /* virtual time, ns */
    int64_t exec_ns;           /* how long the invocation ran (after any cold start) */
    int cold;                  /* it started cold */
    int ok;                    /* it succeeded */
    double memory_mb;          /* the function's memory: what an idle instance holds */
    int64_t cold_start_mean_ns;/* the mean of the function's cold-start distribution */
    int64_t default_ttl_ns;    /* what the scenario's keep-alive policy would keep */
} edge_policy_keepalive_request;

typedef struct edge_policy_keepalive {
    /* How long the function's idle instances on that node stay loaded from
     * now (ns >= 0; 0 unloads at once), or EDGE_POLICY_DEFAULT. Required. */
    int64_t (*keep_ns)(void *state, const edge_policy_keepalive_request *req);
} edge_policy_keepalive;

/* Autoscaler: asked at every tick of the scenario's autoscaler (which must
 * be concurrency or utilization: it sets the tick and the bounds). */
typedef struct edge_policy_autoscale_request {
    uint32_t function;
    int64_t now;
    double concurrency;        /* the tick's mean of invocations in flight */
    double busy;               /* the tick's mean of busy slots */
    uint32_t ready, pending;   /* replicas serving, and starting */
    uint32_t min_scale, max_scale; /* the answer is clamped to these */
    long builtin;              /* what the scenario's own rule answers */
} edge_policy_autoscale_request;

typedef struct edge_policy_autoscaler {
    /* The desired replica count (>= 0), or EDGE_POLICY_DEFAULT. Required. */
    long (*desired)(void *state, const edge_policy_autoscale_request *req);
} edge_policy_autoscaler;

/* Instance selection (appended to version 2; see `size` below). The idle
 * warm instances of a node, as the plugin sees them. */
typedef struct edge_policy_instance {
    uint32_t function;         /* its function's index */
    uint32_t memory_mb;        /* what it holds */
    int64_t idle_since_ns;     /* when it last turned idle */
    int64_t created_ns;        /* when it was created (its cold start or warm-up) */
    int64_t expires_ns;        /* when its keep-alive runs out (> now) */
    int64_t cold_start_mean_ns;/* the mean of its function's cold-start distribution */
} edge_policy_instance;

typedef struct edge_policy_instance_request {
    uint32_t function;         /* the function starting on the node */
    uint32_t node;
    int64_t now;
    uint32_t memory_mb;        /* serve: 0; evict: the memory the new instance still
                                  lacks (> 0) */
    const edge_policy_instance *instances; /* borrowed for the call; see below */
    size_t ninstances;         /* at least 1 (serve: at least 2) */
} edge_policy_instance_request;

typedef struct edge_policy_instances {
    /* Optional. A warm start of req->function with several idle instances:
     * which serves. instances are that function's idle ones on the node,
     * most recently idle first (0 is "mru"). Answer an index, or
     * EDGE_POLICY_DEFAULT for the scenario's policies.instance_selection. */
    long (*serve)(void *state, const edge_policy_instance_request *req);
    /* Optional. A cold start needs memory that only evicting idle instances
     * frees: which one goes now (asked again while memory is short).
     * instances are every idle instance on the node, of any function, least
     * recently idle first (0 is the built-in LRU eviction). Answer an index,
     * or EDGE_POLICY_DEFAULT for 0. At least one of serve and evict is set. */
    long (*evict)(void *state, const edge_policy_instance_request *req);
} edge_policy_instances;

/* Deployment placement (appended to version 2). A node that may take a
 * replica: registered, not draining, able to run the function (its
 * capabilities), without the function yet. */
typedef struct edge_policy_place_candidate {
    uint32_t node;             /* node index (the scenario's node order) */
    uint32_t region;           /* region index */
    uint32_t slots;            /* its cores: execution slots */
    uint32_t in_flight;        /* invocations running or queued there now */
    uint32_t deployed;         /* functions deployed there */
    int usable;                /* ONLINE or DEGRADED (else the built-in takes it
                                  only when no usable node is left) */
    double memory_mb;          /* its memory capacity */
    double free_memory_mb;     /* capacity minus one instance's worth per deployed
                                  function (may be negative) */
} edge_policy_place_candidate;

/* Why a replica is being placed. */
#define EDGE_POLICY_PLACE_DEPLOYMENT 0 /* a deployment "least_loaded" (or a workload's
                                          "deploy": "least_loaded"), at time 0 */
#define EDGE_POLICY_PLACE_SCALE_UP 1   /* the autoscaler adds a replica */

typedef struct edge_policy_place_request {
    uint32_t function;
    int64_t now;
    uint32_t reason;           /* EDGE_POLICY_PLACE_* */
    double memory_mb;          /* the function's memory */
    const edge_policy_place_candidate *candidates; /* in node order; borrowed */
    size_t ncandidates;        /* at least 1 */
    long builtin;              /* the index least_loaded would choose */
} edge_policy_place_request;

typedef struct edge_policy_placement {
    /* Where the replica goes: an index into req->candidates,
     * EDGE_POLICY_NONE to refuse (the placement fails no_eligible_node, as
     * with no candidate) or EDGE_POLICY_DEFAULT (req->builtin). Required. */
    long (*place)(void *state, const edge_policy_place_request *req);
} edge_policy_placement;

typedef struct edge_policy_plugin2 {
    uint32_t abi_version;      /* EDGE_POLICY_ABI_VERSION_2 */
    uint32_t size;             /* sizeof(edge_policy_plugin2) as built: the loader
                                  reads the members below only as far as it covers */
    const char *name;          /* outputs say "plugin:NAME" for each kind it provides */
    /* as in version 1; create and destroy are required */
    void *(*create)(const char *params_json, size_t nfunctions, size_t nnodes, char *err,
                    size_t errlen);
    void (*destroy)(void *state);
    /* Each NULL: the scenario's own policy of that kind. At least one is set. */
    const edge_policy_routing *routing;
    const edge_policy_keepalive *keepalive;
    const edge_policy_autoscaler *autoscaler;
    /* Appended after the first release of version 2: a plugin built before
     * has a smaller `size` (EDGE_POLICY_PLUGIN2_SIZE_BASE) and loads with
     * these NULL. Append new members here, never in between. */
    const edge_policy_instances *instances;
    const edge_policy_placement *placement;
} edge_policy_plugin2;

/* The size of the first release of version 2 (up to `autoscaler`): the
 * smallest `size` the loader accepts. */
#define EDGE_POLICY_PLUGIN2_SIZE_BASE                                                    \
    (offsetof(edge_policy_plugin2, autoscaler) + sizeof(const edge_policy_autoscaler *))

#endif
