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
 * Rates change only when a flow starts or ends. Then only the flows that
 * can be affected are recomputed: the connected component of the changed
 * flow in the bipartite graph links <-> flows (a flow on a link of the
 * component, every link of such a flow, ...). Flows elsewhere keep their
 * rate and their finish time. The solver is passive: it keeps no clock and
 * schedules nothing; each call takes "now", and after a start or an end it
 * lists the flows whose rate changed (sim_fairshare_changed) so the owner
 * can move their finish events.
 *
 * Bytes left are doubles, brought up to date lazily (only when the flow's
 * rate changes): remaining -= rate * (now - since). A finish time is the
 * first nanosecond at which the bytes are through (rounded up, with a
 * relative tolerance of 1e-9 so that an exact quotient is not pushed one ns
 * late by rounding noise).
 *
 * COSTS. A start or an end costs O(F_c * h + L_c^2) for a component of F_c
 * flows of h hops over L_c links (the bottleneck search is a scan of the
 * component's links: on the trees edge scenarios build, L_c is tens while
 * F_c is thousands). Memory: ~72 bytes per flow slot, 48 per link, plus
 * each link's list of its flows (4 bytes per flow-hop).
 */
#ifndef SIM_NET_FAIRSHARE_H
#define SIM_NET_FAIRSHARE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

/* Most links on one route: a client-to-node path in the topology has at
 * most four (uplink, backbone, uplink, access); the bound keeps a flow's
 * record inline. */
#define SIM_FAIRSHARE_MAX_HOPS 8

typedef struct sim_fairshare sim_fairshare;

/*
 * Creates a solver over nlinks links of the given capacities (bytes per
 * nanosecond, each > 0; copied). Returns NULL when out of memory or a
 * capacity is not > 0. Caller frees with sim_fairshare_free.
 */
sim_fairshare *sim_fairshare_create(size_t nlinks, const double *capacity);

/* Frees s. NULL is fine. */
void sim_fairshare_free(sim_fairshare *s);

/*
 * Starts a flow of `bytes` (> 0) at time now over links[0..nhops) (each
 * < nlinks, at most SIM_FAIRSHARE_MAX_HOPS, no link twice; nhops may be 0:
 * the flow then has an infinite rate and finishes at now). Rates of the
 * flow's component are recomputed; the new flow is among the changed ones.
 * Writes the flow's id to *id. Errors: EDGE_INVAL (bad arguments, now
 * before an earlier call's now), EDGE_NOMEM. On error nothing changed.
 */
edge_err sim_fairshare_start(sim_fairshare *s, edge_time now, const uint32_t *links,
                             size_t nhops, double bytes, uint32_t *id);

/*
 * Ends flow id at now (it finished, or is abandoned), frees its id for
 * reuse and recomputes its component. Returns EDGE_INVAL when id is not an
 * active flow.
 */
edge_err sim_fairshare_end(sim_fairshare *s, edge_time now, uint32_t id);

/*
 * Deferred mode (off by default): start and end only record the change
 * (O(hops)); the rates are recomputed by sim_fairshare_flush, once for all
 * the changes of an instant (a flow ending and the next one starting at the
 * same time cost one recomputation, not two). Off: each start and end
 * flushes at once.
 */
void sim_fairshare_set_deferred(sim_fairshare *s, int on);
/* Recomputes the rates of the components the changes since the last flush
 * touched (now: the changes' time). EDGE_INVAL when now went back. */
edge_err sim_fairshare_flush(sim_fairshare *s, edge_time now);

/* The flows whose rate changed in the last flush (started flows included,
 * ended ones not): *ids points into the solver, valid until the next
 * flush. Returns their number. */
size_t sim_fairshare_changed(const sim_fairshare *s, const uint32_t **ids);

/* Flow id's rate (bytes/ns), and when it will finish at that rate if
 * nothing changes (EDGE_TIME_MAX for a rate of 0). id must be active. */
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

/* Recomputations done and flows whose rate they changed, since creation. */
typedef struct sim_fairshare_counts {
    uint64_t starts, ends, recomputes, flows_visited, rate_changes;
} sim_fairshare_counts;
void sim_fairshare_get_counts(const sim_fairshare *s, sim_fairshare_counts *out);

#endif
