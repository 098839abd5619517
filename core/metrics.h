/*
 * metrics.h — aggregation of invocation outcomes: counts by outcome and
 * reason, cold starts, and latency histograms, overall, per function and per
 * node.
 *
 * The caller (a runtime's owner, or the simulator) reports each finished or
 * refused invocation once, with its end-to-end latency. Memory is fixed by
 * the number of functions and nodes (histograms are log-linear, see
 * histogram.h), never by the number of invocations: a run of a billion
 * invocations costs what a run of a thousand does.
 *
 * Outcomes: OK; FAILED with a reason (the invocation started on a node and
 * did not complete: node_crash, timeout, handler); REJECTED with a reason
 * (it never started: no_eligible_node, queue_full, no_capacity). Latency is
 * recorded for OK invocations only, so percentiles describe what users got.
 */
#ifndef EDGE_METRICS_H
#define EDGE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "histogram.h"
#include "time.h"

#define EDGE_REASON_MAP(X)                                                     \
    X(OK, "ok")                                                                \
    X(NODE_CRASH, "node_crash")                                                \
    X(TIMEOUT, "timeout")                                                      \
    X(HANDLER, "handler_error")                                                \
    X(NO_ELIGIBLE_NODE, "no_eligible_node")                                    \
    X(QUEUE_FULL, "queue_full")                                                \
    X(NO_CAPACITY, "no_capacity")

typedef enum {
#define EDGE__REASON_ENUM(name, str) EDGE_REASON_##name,
    EDGE_REASON_MAP(EDGE__REASON_ENUM)
#undef EDGE__REASON_ENUM
    EDGE_REASON_COUNT
} edge_reason;

/* "ok", "node_crash", ...; "unknown" outside the table. */
const char *edge_reason_name(edge_reason r);

/* 1 for reasons that mean the invocation never started (rejections). */
int edge_reason_is_rejection(edge_reason r);

/* The counters of one scope (overall, a function, a node). Open: read them.
 * Laid out for the hot path: an OK outcome (nearly all of them) writes the
 * histogram's header and by_reason[OK], which share the first 64-byte line
 * (the tables are line-aligned, 128 bytes a scope); cold starts and the
 * other reasons are on the second. Started invocations are not stored:
 * edge_metric_started derives them (every reason but the rejections). */
typedef struct edge_metric_counts {
    edge_histogram latency;                /* OK invocations, ns */
    uint64_t by_reason[EDGE_REASON_COUNT]; /* by_reason[OK] = successes */
    uint64_t cold_starts;                  /* among invocations that started */
    uint64_t pad_[2];                      /* to 128 bytes: two whole lines */
} edge_metric_counts;

/* An outcome recorded with edge_metrics_record_deferred whose function and
 * node parts are not yet applied (internal: read through the functions). */
typedef struct edge__metrics_entry {
    int64_t latency;
    uint32_t function, node; /* node EDGE__METRICS_NO_NODE32: a rejection before placement */
    uint8_t reason, cold;
} edge__metrics_entry;

#define EDGE__METRICS_NO_NODE32 UINT32_MAX
#define EDGE_METRICS_BATCH 256 /* outcomes held back at most (6 KiB) */

typedef struct edge_metrics {
    edge_metric_counts total;
    edge_metric_counts *per_function; /* nfunctions; owned, 64-byte aligned */
    edge_metric_counts *per_node;     /* nnodes; owned, 64-byte aligned */
    size_t nfunctions, nnodes;
    edge__metrics_entry *pending; /* owned; EDGE_METRICS_BATCH entries, NULL until needed */
    size_t npending;              /* entries of pending not yet applied */
} edge_metrics;

#define EDGE_METRICS_NO_NODE ((size_t)-1)

/* Initializes m for nfunctions functions and nnodes nodes.
 * Errors: EDGE_NOMEM (m left empty, safe to free). */
edge_err edge_metrics_init(edge_metrics *m, size_t nfunctions, size_t nnodes);

/* Grows the node table to nnodes (nodes that register late). EDGE_NOMEM. */
edge_err edge_metrics_grow_nodes(edge_metrics *m, size_t nnodes);

/* Frees what m owns (outcomes still held back are dropped: flush first to
 * keep them); m is the caller's. NULL is fine. */
void edge_metrics_free(edge_metrics *m);

/*
 * Records one invocation outcome. node is EDGE_METRICS_NO_NODE for a
 * rejection before placement. latency (ns) is used only for OK; cold says
 * whether it started cold (ignored for rejections).
 * Errors: EDGE_INVAL for an out-of-range function, node or reason;
 * EDGE_NOMEM when a histogram cannot grow (counts are then still updated:
 * the error says a latency was lost).
 */
edge_err edge_metrics_record(edge_metrics *m, size_t function, size_t node, edge_reason reason,
                             edge_time latency, int cold);

/*
 * Records one outcome as edge_metrics_record does, but applies its function
 * and node parts later, up to EDGE_METRICS_BATCH outcomes at a time, in the
 * order they were recorded (so every count, histogram and sum ends exactly as
 * with edge_metrics_record). Applying a batch at once lets the loads of many
 * scattered scopes overlap: with 100,000 nodes their histograms do not stay
 * in any cache, and one at a time each costs a full miss. total is updated at
 * once; per_function and per_node lag until the batch fills or
 * edge_metrics_flush runs: call it before reading them.
 * Errors: EDGE_INVAL as edge_metrics_record (nothing recorded); EDGE_NOMEM
 * when a histogram of total or of an applied batch cannot grow (counts still
 * updated). Without memory for the batch it records at once.
 */
edge_err edge_metrics_record_deferred(edge_metrics *m, size_t function, size_t node,
                                      edge_reason reason, edge_time latency, int cold);

/* Applies every outcome edge_metrics_record_deferred holds back, in order.
 * Errors: EDGE_NOMEM when a histogram cannot grow (every count is still
 * applied and the batch is emptied: the error says a latency was lost). */
edge_err edge_metrics_flush(edge_metrics *m);

/* Totals of a scope. */
static inline uint64_t edge_metric_ok(const edge_metric_counts *c) { return c->by_reason[EDGE_REASON_OK]; }
uint64_t edge_metric_failed(const edge_metric_counts *c);
uint64_t edge_metric_rejected(const edge_metric_counts *c);
uint64_t edge_metric_total(const edge_metric_counts *c);
/* Invocations that started: OK and failed (every reason but a rejection). */
uint64_t edge_metric_started(const edge_metric_counts *c);

/* Cold starts / started; 0 when nothing started. */
double edge_metric_cold_rate(const edge_metric_counts *c);

#endif
