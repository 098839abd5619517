/*
 * fairshare.h — flows sharing links by max-min fairness, at flow level.
 *
 * A flow moves a number of bytes over a route (a short list of links). At
 * every moment each link's capacity is shared among the flows crossing it
 * by max-min fairness: the allocation in which no flow can get more without
 * taking from a flow that has no more than it (progressive filling: raise
 * every rate together, freeze the flows of a link when it saturates, go on
 * with the rest). It is the fluid model of SimGrid's CM02 with its factors
 * at 1, and of the flow-level models in the literature.
 *
 * Rates change only when a flow starts or ends. Then, unless the change
 * provably moves no other rate (FAST PATHS), only the flows that can be
 * affected are recomputed: the connected component of the changed
 * flow in the bipartite graph links <-> flows (a flow on a link of the
 * component, every link of such a flow, ...). Flows elsewhere keep their
 * rate and their finish time.
 *
 * GROUPS. Flows with the same route (the same links in the same order) are
 * interchangeable in max-min: they always have the same rate. The solver
 * keeps them as one group (a route class): progressive filling works on
 * groups and their flow counts, and each group has a virtual clock v(t),
 * the bytes each of its flows has received, advanced only when the group's
 * rate changes. A flow's finish tag is v at its start + its bytes; the
 * group's flows finish in tag order, so a group has ONE next finish (that
 * of its least tag), and a rate change moves one finish per group, not one
 * per flow. The solver is passive: it keeps no clock and schedules
 * nothing; each call takes "now". It keeps the groups' next finishes in a
 * heap, so its owner needs ONE event, at the earliest of them
 * (sim_fairshare_next), moved only when that earliest one changes; the
 * groups whose next finish may have moved are also listed
 * (sim_fairshare_changed), for an owner that keeps an event per group
 * (sim_fairshare_group_finish, sim_fairshare_group_next). A flow never
 * changes group. Group ids are
 * dense (0 .. sim_fairshare_groups() - 1) and stay valid while the solver
 * lives (an emptied group keeps its id and is reused by its route).
 *
 * A finish time is the first nanosecond at which the flow's bytes are
 * through (rounded up, with a relative tolerance of 1e-9 so that an exact
 * quotient is not pushed one ns late by rounding noise): from the group's
 * last clock update vt, tag - v(vt) bytes at the group's rate. v is a
 * double; it is reset when the group empties and shifted back to 0 (every
 * tag minus v) when it has grown past four times the largest remaining at
 * the last shift, so tag - v keeps the precision of the flow's own bytes.
 *
 * FAST PATHS. Most changes change no other flow's rate, and a flush then
 * needs no recomputation: the first flow of a route (its group empty)
 * starting with r = the least capacity left on its route, when every link
 * of the route has room and on a link where r is left no flow is faster
 * than r (the flow takes r, everyone else keeps their rate); and the only
 * flow of a route ending, when each link of its route had room or the
 * flow was alone at the top rate there with every other flow slower. The
 * proof and the floating point are in fairshare.c ("the fast paths"). Per
 * link the solver keeps the capacity left and a bound on the top rate,
 * which settle most tests in O(hops); the others look at the groups of
 * the links concerned (a full link, for an end; the start's bottleneck
 * when the bound is above its rate): less work than the recomputation
 * they may save. At the first change of a flush that does not pass, the
 * changes' component is recomputed as below. A starting flow
 * gets the rate a recomputation would give it, bit for bit (a start whose
 * capacity left was changed by an end since is recomputed instead); the
 * others keep theirs, where a recomputation may round one the other way in
 * the last bit (it depends on the order it meets the groups); the links'
 * sums of rates (their bytes) can differ in the last bits, summed in
 * another order.
 *
 * COSTS. A start or an end is O(hops + log n_g + log G) (n_g: the flows
 * of its group, G: the groups with flows; a new route: one hash insert).
 * A recomputation (a flush) costs O(G_c * (h + log G) + L_c * R) for a component of G_c groups of h hops over L_c
 * links, R rounds of filling (R <= L_c; the bottleneck search scans the
 * links that still have unfixed flows). The groups whose rates moved then take
 * their places in the heap of next finishes one by one (O(log G) each), or,
 * when they are more than a quarter of it, by rebuilding it (O(G)). It does not depend on the number
 * of flows: on the trees edge scenarios build, G_c and L_c are tens or
 * hundreds however many flows are in flight. The component is found by a
 * walk (the same order of cost) only when needed: the last walk's links
 * are reused while they hold every changed link, no group joined them to
 * other links and at most two groups left them or they are at most 64
 * links (a group leaving may split a component; the parts are then filled
 * together, which gives the same rates as filling each alone, and is
 * bounded extra work). Memory: 24 bytes per flow
 * slot; 132 per group (two line-aligned cache lines and its hash link),
 * holding its first two flows' places in its heap (4 bytes per flow past
 * them); 128 per link (two lines), holding its first four groups' places in
 * its list (4 bytes per group past them). A start or an end thus touches
 * two lines of its group and two of each link on its route, and nothing
 * allocated apart while routes carry few flows.
 */
#ifndef SIM_NET_FAIRSHARE_H
#define SIM_NET_FAIRSHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

/* Most links on one route: a path in the topology has at most five (node
 * to node across regions: access, uplink, backbone, uplink, access); the
 * bound keeps a route inside its group's record. */
#define SIM_FAIRSHARE_MAX_HOPS 5

typedef struct sim_fairshare sim_fairshare;

/*
 * Creates a solver over nlinks links of the given capacities (bytes per
 * nanosecond, each > 0; copied). Returns NULL when out of memory or a
 * capacity is not > 0. Caller frees with sim_fairshare_free.
 */
sim_fairshare *sim_fairshare_create(size_t nlinks, const double *capacity);

/* Frees s. NULL is fine. */
void sim_fairshare_free(sim_fairshare *s);

/* No flow (sim_fairshare_group_next of an empty group). */
#define SIM_FAIRSHARE_NONE UINT32_MAX

/*
 * Starts a flow of `bytes` (> 0) at time now over links[0..nhops) (each
 * < nlinks, at most SIM_FAIRSHARE_MAX_HOPS, no link twice; nhops may be 0:
 * the flow then has an infinite rate and finishes at now). The flow joins
 * the group of its route (made on first use). Rates of the flow's
 * component are recomputed; the flow's group is among the changed ones.
 * Writes the flow's id to *id. Errors: EDGE_INVAL (bad arguments, now
 * before an earlier call's now; nothing changed), EDGE_NOMEM (no flow
 * started; the route's group may have been made).
 */
edge_err sim_fairshare_start(sim_fairshare *s, edge_time now, const uint32_t *links,
                             size_t nhops, double bytes, uint32_t *id);

/*
 * The group of the route links[0..nhops) (the rules of sim_fairshare_start),
 * made empty on first use, into *group: a route resolved once, for
 * sim_fairshare_start_group. A group made here that never carries a flow
 * costs its record and nothing else. Errors: EDGE_INVAL (a bad route),
 * EDGE_NOMEM; nothing changed then.
 */
edge_err sim_fairshare_route(sim_fairshare *s, const uint32_t *links, size_t nhops,
                             uint32_t *group);

/*
 * sim_fairshare_start over the route of group g (from sim_fairshare_route
 * or sim_fairshare_group_of): the same flow, without looking the route up.
 * sim_fairshare_start is sim_fairshare_route then this; on its EDGE_NOMEM
 * the group it made may stay (empty). Errors: EDGE_INVAL (g not a group,
 * bytes not > 0, now before an earlier call's now), EDGE_NOMEM; nothing
 * changed then.
 */
edge_err sim_fairshare_start_group(sim_fairshare *s, edge_time now, uint32_t g, double bytes,
                                   uint32_t *id);

/* A hint that a flow of group g will start soon over link l (among its
 * route's; SIM_FAIRSHARE_NONE: none): their records are fetched into the
 * cache. Changes nothing; O(1). */
void sim_fairshare_prefetch(const sim_fairshare *s, uint32_t g, uint32_t l);

/* Group g's route: *links points to its links (into the solver, valid while
 * it lives); returns their number. O(1). */
size_t sim_fairshare_group_links(const sim_fairshare *s, uint32_t g, const uint32_t **links);

/*
 * Ends flow id at now (it finished, or is abandoned), frees its id for
 * reuse and recomputes its component; its group is among the changed ones
 * (its next finish is another flow's, or none). Returns EDGE_INVAL when id
 * is not an active flow, EDGE_NOMEM (nothing changed).
 */
edge_err sim_fairshare_end(sim_fairshare *s, edge_time now, uint32_t id);

/*
 * Deferred mode (off by default): start and end only record the change
 * (O(hops)); the rates are recomputed by sim_fairshare_flush, once for all
 * the changes of an instant (a flow ending and the next one starting at the
 * same time cost one recomputation, not two). Off: each start and end
 * flushes at once. Between a change and its flush, the flows of a group
 * move at the group's rate of the last flush (0 for a group that had no
 * flow).
 */
void sim_fairshare_set_deferred(sim_fairshare *s, int on);
/* Recomputes the rates of the components the changes since the last flush
 * touched (now: the changes' time). EDGE_INVAL when now went back. */
edge_err sim_fairshare_flush(sim_fairshare *s, edge_time now);

/* The groups whose next finish may have moved in the last flush: their
 * rate changed, or a flow joined or left them (an emptied group is
 * listed: its next finish is now none). Each group once; *groups points
 * into the solver, valid until the next start, end or flush. Returns
 * their number. */
size_t sim_fairshare_changed(const sim_fairshare *s, const uint32_t **groups);

/*
 * The group whose next finish is the earliest, and that finish, into
 * *group and *at; false when no flow will finish (none active, or every
 * rate 0). Among equal finishes: the group whose finish was set first (by
 * the start, end or flush that last moved it), as an engine runs events of
 * one time in the order they were scheduled. After a start or an end in
 * deferred mode, the finishes are at the rates of the last flush: what
 * finishes at now before the flush is still through at now. An owner ends
 * the flows due at now (sim_fairshare_group_next of that group, until the
 * earliest finish is later than now), each end moving its group's finish.
 * O(1).
 */
bool sim_fairshare_next(const sim_fairshare *s, uint32_t *group, edge_time *at);

/* Group ids made so far: every id is < this. O(1). */
size_t sim_fairshare_groups(const sim_fairshare *s);
/* The group of active flow id. O(1). */
uint32_t sim_fairshare_group_of(const sim_fairshare *s, uint32_t id);
/* Group g's flow that finishes first (least tag; ties: least id), or
 * SIM_FAIRSHARE_NONE when g has no flow. O(1). */
uint32_t sim_fairshare_group_next(const sim_fairshare *s, uint32_t g);
/* When sim_fairshare_group_next(g) finishes if nothing changes
 * (EDGE_TIME_MAX: g has no flow, or a rate of 0). It may be before the
 * last call's now only by the 1e-9 tolerance's rounding (the owner should
 * then end the flow at once). O(1). */
edge_time sim_fairshare_group_finish(const sim_fairshare *s, uint32_t g);

/* Flow id's rate (bytes/ns: its group's), and when it will finish at that
 * rate if nothing changes (EDGE_TIME_MAX for a rate of 0). id must be
 * active. O(1). */
double sim_fairshare_rate(const sim_fairshare *s, uint32_t id);
edge_time sim_fairshare_finish(const sim_fairshare *s, uint32_t id);

/* Flows now active. */
size_t sim_fairshare_active(const sim_fairshare *s);

/* Link l's capacity (bytes/ns) and the number of flows on it now. O(1). */
double sim_fairshare_capacity(const sim_fairshare *s, size_t l);
uint32_t sim_fairshare_link_flows(const sim_fairshare *s, size_t l);

/* Link l's accounting up to now: bytes carried (rate x time, summed over
 * its flows), time with at least one flow, the integral of its flow count
 * (flow-ns), the highest utilisation (sum of rates / capacity, 0..1) seen,
 * and its current flow count. now must not be before the last change. */
typedef struct sim_fairshare_link_stats {
    double bytes;
    edge_time busy;
    double flows_integral;
    double util_max;
    uint32_t flows;
} sim_fairshare_link_stats;
void sim_fairshare_link_stats_at(const sim_fairshare *s, size_t l, edge_time now,
                                 sim_fairshare_link_stats *out);

/* Since creation: starts, ends, recomputations, the groups they visited
 * (summed over recomputations), the group rate changes they made (the fast
 * paths' included), the component walks (a recomputation reuses the last
 * walk's component while it still holds the changed links; see COSTS), and
 * the flushes with changes that took the fast paths instead of a
 * recomputation (FAST PATHS): recomputes + fast is the number of flushes
 * that had changes. */
typedef struct sim_fairshare_counts {
    uint64_t starts, ends, recomputes, groups_visited, rate_changes, walks, fast;
} sim_fairshare_counts;
void sim_fairshare_get_counts(const sim_fairshare *s, sim_fairshare_counts *out);

#endif
