/*
 * node.h — an edge node: where it is, what it can run, how loaded it says it
 * is, and whether it is alive.
 *
 * A node is a small owned record (an opaque handle with const getters): its
 * id, a location (a region name and optional coordinates), a set of
 * capabilities, the resource usage of its latest heartbeat, a status, its
 * registration time and its last heartbeat time. Nodes are created on their
 * own (tests, tools) and usually handed to an edge_cluster, which then owns
 * them; the cluster's setters are the way to change a registered node.
 *
 * Liveness is a pure function of time: a node is healthy at `now` iff its
 * status is ONLINE and its last heartbeat is at most the health window old.
 * Nothing here changes status by itself — a heartbeat records time and usage
 * and nothing else; deciding that a silent node is OFFLINE, or that an
 * overloaded one is DEGRADED, is the health monitor's job (issue 4), so the
 * rules live in one place.
 *
 * Nothing here reads a clock: every call that needs the time takes `now`.
 * Getters are O(1); edge_node_has_capability is O(log k) for k capabilities.
 */
#ifndef EDGE_NODE_H
#define EDGE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "error.h"
#include "ids.h"
#include "time.h"

/* ---- Status ------------------------------------------------------------ */

/* The status of a node. ONLINE is 0, so a zeroed spec makes an ONLINE node. */
typedef enum {
    EDGE_NODE_ONLINE = 0,
    EDGE_NODE_OFFLINE,
    EDGE_NODE_DEGRADED,
    EDGE_NODE_SYNCING,
    EDGE_NODE_MAINTENANCE
} edge_node_status;

#define EDGE_NODE_STATUS_COUNT 5

/* The status's name as scenario files and reports write it: "online",
 * "offline", "degraded", "syncing", "maintenance" (lowercase, like the
 * values of the Python NodeStatus enum). NULL for a value outside the enum. */
const char *edge_node_status_name(edge_node_status s);

/* Parses a status name into *out. Matching ignores ASCII case, so both
 * Python's enum values ("online") and member names ("ONLINE") are accepted;
 * names are always written lowercase. Errors: EDGE_INVAL for NULL or an
 * unknown name (*out untouched). */
edge_err edge_node_status_parse(const char *name, edge_node_status *out);

/* ---- Resource usage ------------------------------------------------------ */

/* What a node reports about itself with each heartbeat. A plain value. */
typedef struct {
    double cpu_percent;         /* of the whole node, 0..100 */
    double memory_used_mb;      /* >= 0 */
    double memory_max_mb;       /* >= 0; 0 means unknown */
    double disk_used_mb;        /* >= 0 */
    double disk_max_mb;         /* >= 0; 0 means unknown */
    uint32_t active_functions;  /* functions running on the node */
} edge_resource_usage;

/* Percentages at or above which a resource counts as overloaded. */
typedef struct {
    double cpu_percent;
    double memory_percent;
    double disk_percent;
} edge_overload_thresholds;

/* The default: 90% of CPU, memory or disk. */
#define EDGE_OVERLOAD_DEFAULT_PERCENT 90.0
#define EDGE_OVERLOAD_THRESHOLDS_DEFAULT                                       \
    ((edge_overload_thresholds){EDGE_OVERLOAD_DEFAULT_PERCENT,                 \
                                EDGE_OVERLOAD_DEFAULT_PERCENT,                 \
                                EDGE_OVERLOAD_DEFAULT_PERCENT})

/* EDGE_OK when every figure of u is finite, not negative, and the CPU is at
 * most 100%; EDGE_INVAL for NULL; EDGE_RANGE otherwise. (Used memory above
 * the maximum is allowed: a node may report swap.) */
edge_err edge_resource_usage_check(const edge_resource_usage *u);

/*
 * True when CPU, memory or disk use is at or above its threshold (exactly
 * 90% is overloaded). Memory and disk use are used/max, compared as
 * used * 100 >= threshold * max so that 900 of 1000 MB is exactly 90%; a
 * resource whose max is 0 (unknown) never counts. t NULL means the defaults.
 */
bool edge_resource_usage_is_overloaded(const edge_resource_usage *u,
                                       const edge_overload_thresholds *t);

/* ---- Node ---------------------------------------------------------------- */

/* The default health window: a node is healthy while its last heartbeat is
 * at most this old. */
#define EDGE_HEALTH_WINDOW_DEFAULT (60 * EDGE_S)

/* Everything a node is made from. The strings are borrowed for the call. */
typedef struct {
    const char *id;                   /* required, see ids.h */
    const char *region;               /* required, see ids.h */
    bool has_coordinates;             /* false: lat/lon are ignored */
    double latitude;                  /* degrees, -90..90 */
    double longitude;                 /* degrees, -180..180 */
    const char *const *capabilities;  /* n_capabilities names (duplicates dropped) */
    size_t n_capabilities;
    edge_resource_usage resources;    /* initial usage, as a heartbeat would report */
    edge_node_status status;          /* initial status; ONLINE when zeroed */
} edge_node_spec;

typedef struct edge_node edge_node;

/*
 * Makes a node from spec, registered and last heard from at `now`. Copies
 * every string. On success *out is a new node the caller owns (free with
 * edge_node_free, or hand to edge_cluster_register).
 * Errors: EDGE_INVAL (NULL spec or out, invalid id, region or capability
 * name, status outside the enum), EDGE_RANGE (coordinates or usage out of
 * range, see edge_resource_usage_check), EDGE_LIMIT (more than EDGE_CAPS_MAX capabilities),
 * EDGE_NOMEM. *out is untouched on error.
 */
edge_err edge_node_new(const edge_node_spec *spec, edge_time now, edge_node **out);

/* Frees node and everything it owns. Accepts NULL. Never free a node a
 * cluster owns. */
void edge_node_free(edge_node *node);

/* Getters. The strings live as long as the node. */
const char *edge_node_id(const edge_node *node);
const char *edge_node_region(const edge_node *node);
/* True and *lat, *lon set when the node has coordinates (either may be NULL). */
bool edge_node_coordinates(const edge_node *node, double *lat, double *lon);
edge_node_status edge_node_status_of(const edge_node *node);
const edge_resource_usage *edge_node_usage(const edge_node *node);
edge_time edge_node_registered_at(const edge_node *node);
edge_time edge_node_last_heartbeat(const edge_node *node);
/* Capabilities in byte order, i in [0, count). */
size_t edge_node_capability_count(const edge_node *node);
const char *edge_node_capability(const edge_node *node, size_t i);
bool edge_node_has_capability(const edge_node *node, const char *name);

/*
 * Records a heartbeat: last heartbeat becomes now and the usage is copied.
 * The status is not changed (see the top of this file).
 * Errors: EDGE_INVAL (NULL node or usage), EDGE_RANGE (usage out of range,
 * or now earlier than the last heartbeat: time does not go backwards).
 * The node is unchanged on error.
 */
edge_err edge_node_heartbeat(edge_node *node, edge_time now, const edge_resource_usage *usage);

/* Sets the status. Errors: EDGE_INVAL (NULL node, value outside the enum). */
edge_err edge_node_set_status(edge_node *node, edge_node_status status);

/*
 * True iff the status is ONLINE and now - last_heartbeat <= window: exactly
 * `window` after the last heartbeat is healthy, one nanosecond later is not.
 * A heartbeat "from the future" (now earlier than it) counts as fresh. Pass
 * EDGE_HEALTH_WINDOW_DEFAULT for the default window; a negative window makes
 * only future heartbeats fresh. No overflow for any inputs.
 */
bool edge_node_is_healthy(const edge_node *node, edge_time now, edge_time window);

/*
 * The node as a new cJSON object the caller frees with cJSON_Delete:
 *   "id", "region"            strings
 *   "coordinates"             {"lat": number, "lon": number} or null
 *   "capabilities"            array of strings in byte order
 *   "status"                  status name ("online", ...)
 *   "resources"               {"cpu_percent", "memory_used_mb", "memory_max_mb",
 *                              "disk_used_mb", "disk_max_mb", "active_functions"}
 *   "registered_at_ns", "last_heartbeat_ns"   integer nanoseconds of the
 *                              caller's clock (exact while |t| < 2^53 ns,
 *                              about 104 days: cJSON numbers are doubles)
 *   "registered_at_s", "last_heartbeat_s"     the same in seconds, for people
 * Errors: EDGE_INVAL (NULL argument), EDGE_NOMEM; *out untouched on error.
 */
edge_err edge_node_to_dict(const edge_node *node, cJSON **out);

#endif
