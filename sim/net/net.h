/*
 * net.h — the network of a run: the scenario's links, the path of a
 * transfer through them, transfers as flows shared by max-min fairness
 * (sim/net/fairshare.h) with their finish events on the run's engine, and
 * what the network reports (links.csv, summary.json "network").
 *
 * THE PATH RULE (docs/semantics.md, "Network"). A transfer between clients
 * in region R and node N in region Q crosses, in this order and skipping
 * any link the scenario does not declare:
 *     R == Q:  access(N)
 *     R != Q:  uplink(R), backbone(R, Q), uplink(Q), access(N)
 * Requests and responses take the same path (links are shared by both
 * directions, as SimGrid's SHARED links are).
 * Between two nodes A (in region P) and B (in Q), e.g. a workflow edge's
 * payload: the same node, none; P == Q: access(A), access(B); P != Q:
 * access(A), uplink(P), backbone(P, Q), uplink(Q), access(B).
 *
 * A TRANSFER first waits the sum of its links' latencies (propagation),
 * using no bandwidth, then joins the sharing as a flow of its bytes; it is
 * done when its last byte is through. Alone on a path: latency + bytes /
 * (smallest capacity), exactly (to the ns, rounded up). This is SimGrid's
 * CM02 order with its factors at 1.
 *
 * The world decides when to send and what to do on arrival: it hands
 * sim_net_send a cookie and gets it back through the callback given at
 * creation, from an engine event, when the transfer is done. The network
 * draws no random number.
 */
#ifndef SIM_NET_H
#define SIM_NET_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "error.h"
#include "scenario/netspec.h"
#include "scenario/scenario.h"
#include "time.h"

typedef struct sim_net sim_net;

/* Called when the transfer sent with `cookie` is done (from an engine
 * event: the clock is its arrival time). It may send again. */
typedef void (*sim_net_done_fn)(void *ctx, uint64_t cookie);

/*
 * The network of scenario sc (sc->net must not be NULL; both borrowed:
 * they must outlive the network) on engine e. Returns NULL when out of
 * memory. Caller frees with sim_net_free (pending transfers are dropped;
 * their events are the engine's and must not run after the free).
 */
sim_net *sim_net_create(const sim_scenario *sc, sim_engine *e, sim_net_done_fn done, void *ctx);

/* Optional: called (with the done callback's ctx) when the transfer sent
 * with `cookie` has waited its propagation and starts to move bytes: it is
 * done a flow's transfer time later, a few events at most on an edge
 * scenario's links. A hint, for the owner to fetch what it will read then;
 * it must change nothing. NULL: none (the default). */
typedef void (*sim_net_soon_fn)(void *ctx, uint64_t cookie);
void sim_net_set_soon(sim_net *n, sim_net_soon_fn soon);
void sim_net_free(sim_net *n);

/* The links (indices into sc->net->links) from clients of region to node,
 * in order, into out[0..return); *latency gets the sum of their latencies. */
size_t sim_net_path(const sim_net *n, size_t region, size_t node, uint32_t out[4],
                    edge_time *latency);

/* The links from node `from` to node `to` (the node-to-node rule above),
 * in order, into out[0..return); *latency the sum of their latencies. */
size_t sim_net_path_nodes(const sim_net *n, size_t from, size_t to, uint32_t out[5],
                          edge_time *latency);

/* As sim_net_send, from node `from` to node `to` over sim_net_path_nodes. */
edge_err sim_net_send_nodes(sim_net *n, size_t from, size_t to, double bytes, uint64_t cookie);

/*
 * Sends `bytes` (> 0) between clients of region and node, now. The
 * callback gets `cookie` when it is done. Errors: EDGE_NOMEM, EDGE_INVAL
 * (bytes not > 0); nothing is sent then.
 */
edge_err sim_net_send(sim_net *n, size_t region, size_t node, double bytes, uint64_t cookie);

/* A hint that a transfer between region and node will be sent soon: its
 * entry in the table of routes is fetched into the cache. Changes nothing. */
void sim_net_prefetch_route(const sim_net *n, size_t region, size_t node);

/*
 * What a transfer of `bytes` between region and node would take if sent
 * now and nothing else changed: latency + bytes / (the least, over its
 * links, of capacity / (flows on it + 1)). The estimate a latency-aware
 * policy uses; O(hops).
 */
edge_time sim_net_expected(const sim_net *n, size_t region, size_t node, double bytes);

/* Per-invocation figures the network summary reports: its end-to-end
 * latency and the part of it spent in transfers, split by the tier of the
 * node it ran on (SIZE_MAX: none), by its client region ("client_groups")
 * and by the moving client group ("clients", index into sc->net->groups) it
 * came from (SIZE_MAX: none; see sim_net_group_figures). */
void sim_net_observe(sim_net *n, size_t region, size_t group, size_t node, edge_time latency,
                     edge_time transfer);

/* Adds to `into` the figures of the invocations client group g
 * (sc->net->groups) made: `count`, `latency_mean_s`, `latency_p99_s`,
 * `transfer_mean_s`, `transfer_p99_s`, as each entry of "client_groups"
 * has them. 0; -1 when g is not a group or into is NULL (nothing added),
 * or when out of memory (into may hold some of them: the caller drops it). */
int sim_net_group_figures(const sim_net *n, size_t g, cJSON *into);

/* Writes outdir/links.csv (one row per link; docs/outputs.md) atomically,
 * with figures up to `end`. Returns 0, or -1 with a message in err. */
int sim_net_write_links(const sim_net *n, const char *outdir, edge_time end, char *err,
                        size_t errlen);

/* The busiest links' time series: at every sample time (in order), the
 * bytes each link carried since the previous one (sim/net/linkseries.h).
 * Returns 0, or -1 out of memory. O(links). */
int sim_net_sample(sim_net *n, edge_time now);

/* Links in link_series.csv: the busiest by mean utilisation. */
#define SIM_NET_SERIES_LINKS 5

/* Writes outdir/link_series.csv atomically (docs/outputs.md): per sample
 * interval the utilisation of the SIM_NET_SERIES_LINKS links of highest
 * mean utilisation up to `end` that carried any byte, ranked. Returns 0,
 * or -1 with a message in err. */
int sim_net_write_link_series(const sim_net *n, const char *outdir, edge_time end, char *err,
                              size_t errlen);

/* The summary.json "network" object up to `end` (docs/outputs.md); the
 * caller owns it. NULL when out of memory. */
cJSON *sim_net_summary(const sim_net *n, edge_time end);

/* Transfer energy so far, joules (bytes x nJ/byte of each link crossed). */
double sim_net_energy_j(const sim_net *n);

/* Counts for benchmarks: transfers sent and done, and the solver's. */
typedef struct sim_net_counts {
    uint64_t sent, done, reschedules, recomputes, groups_visited;
} sim_net_counts;
void sim_net_get_counts(const sim_net *n, sim_net_counts *out);

#endif
