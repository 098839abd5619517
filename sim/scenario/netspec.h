/*
 * netspec.h — the scenario's network topology, payload sizes and tiers,
 * as read from the file (docs/scenario.md, "network.links"; functions'
 * "request_kb"/"response_kb"; regions' "tier").
 *
 * Plain data owned by the scenario (sim_scenario.net, NULL when the file
 * declares no link, no payload and no tier other than "edge": then the run
 * is exactly what it was before the network model existed). The path rule
 * that turns (client region, node) into a list of links lives with the
 * topology in sim/net/net.h; this header only holds what the file said.
 */
#ifndef SIM_SCENARIO_NETSPEC_H
#define SIM_SCENARIO_NETSPEC_H

#include <stddef.h>

#include "time.h"

typedef struct sim_dist sim_dist;

/* Link classes: a node's access link, a region's uplink to the wide area,
 * a backbone link between two regions. Energy per byte and bytes moved are
 * reported per class. */
typedef enum { SIM_LINK_ACCESS, SIM_LINK_UPLINK, SIM_LINK_BACKBONE, SIM_LINK_CLASSES } sim_link_class;

/* The class's name as the file writes it ("access"); static. */
const char *sim_link_class_name(sim_link_class k);

/* Tiers of a region: where it sits between clients and the far cloud. */
typedef enum { SIM_TIER_EDGE, SIM_TIER_FOG, SIM_TIER_CLOUD, SIM_TIERS } sim_tier;
const char *sim_tier_name(sim_tier t); /* "edge", "fog", "cloud"; static */

typedef struct sim_link_spec {
    char *id;               /* "access:NODE", "uplink:REGION", "backbone:A~B"; owned */
    sim_link_class cls;
    double bytes_per_ns;    /* capacity: "10Gbps" is 1.25 bytes/ns */
    edge_time latency;      /* propagation, paid once per transfer before it shares */
    size_t a, b;            /* access: node, SIZE_MAX; uplink: region, SIZE_MAX;
                               backbone: the two regions, a < b */
    int line;               /* where it was written */
} sim_link_spec;

/* A client group that moves between regions ("clients"; docs/scenario.md). */
typedef enum { SIM_MOB_MARKOV, SIM_MOB_TRACE, SIM_MOB_WAYPOINT } sim_mob_kind;
typedef struct sim_client_group {
    char *id;                /* owned */
    sim_mob_kind kind;
    size_t start;            /* its region at time 0 */
    double *rates;           /* MARKOV: [from * nregions + to], per second; owned */
    edge_time *times;        /* TRACE: when it moves, ascending; owned */
    size_t *regions;         /* TRACE: where to; owned */
    size_t nmoves;
    /* WAYPOINT: the area waypoints are drawn in, km: x in [area[0], area[1]],
     * y in [area[2], area[3]]; the speed of a leg, uniform in
     * [speed_kmh[0], speed_kmh[1]]; the pause at each waypoint (owned; NULL:
     * none). The group starts at its start region's coordinates. */
    double area[4];
    double speed_kmh[2];
    sim_dist *pause;
} sim_client_group;

typedef struct sim_netspec {
    sim_link_spec *links;   /* in file order, an access entry expanded per node */
    size_t nlinks;
    size_t *access_of;      /* per node: its access link, or SIZE_MAX */
    size_t *uplink_of;      /* per region: its uplink, or SIZE_MAX */
    size_t *backbone;       /* nregions x nregions, symmetric: the link, or SIZE_MAX */
    size_t nnodes, nregions;
    double nj_per_byte[SIM_LINK_CLASSES]; /* transfer energy; default 0 */
    sim_dist **request, **response; /* per function (nfunctions), kilobytes (1000 bytes);
                                       NULL: 0, no transfer */
    size_t nfunctions;      /* functions listed in "functions" (trace functions: no payload) */
    sim_tier *tier;         /* per region */
    int has_payloads;       /* some function has a request or response size */
    double offload_threshold; /* policies.offload_threshold: load per core; 0: default (1) */
    sim_client_group *groups; /* "clients", in file order */
    size_t ngroups;
    double *x, *y;          /* per region: "x", "y" in km (random_waypoint, trace
                               files with coordinates); NaN when absent; NULL when
                               no region has them */
} sim_netspec;

/* The region nearest to (x, y) km among those with coordinates (squared
 * Euclidean distance on the plane; ties to the earlier region), or SIZE_MAX
 * when none has them. O(regions). */
size_t sim_netspec_nearest(const sim_netspec *n, double x, double y);

/* Frees n and everything it owns. NULL is fine. */
void sim_netspec_free(sim_netspec *n);

/* What sim_capacity_parse found. */
enum {
    SIM_CAPACITY_OK = 0,
    SIM_CAPACITY_SYNTAX = -1,       /* not a decimal number and a unit */
    SIM_CAPACITY_NOT_POSITIVE = -2, /* 0 or negative */
    SIM_CAPACITY_RANGE = -3         /* under 1 bps or over 1,000 Tbps */
};

/* Parses a capacity such as "10Gbps", "100Mbps", "1.5kbps", "800bps"
 * (a plain decimal number, then bits per second with an SI prefix k/K, M,
 * G or T; no blanks) into bytes per ns, in *bytes_per_ns. Returns
 * SIM_CAPACITY_OK, or one of the failures above (*bytes_per_ns untouched).
 * s may be NULL (SIM_CAPACITY_SYNTAX). */
int sim_capacity_parse(const char *s, double *bytes_per_ns);

/* The "expected ..." part of a diagnostic for failure rc of
 * sim_capacity_parse (a static string). */
const char *sim_capacity_expected(int rc);

#endif
