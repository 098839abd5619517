/*
 * report.h — the outputs of a run (docs/outputs.md is their reference).
 *
 * Streams (timeseries.csv, node_series.csv, health.csv, placements.csv and,
 * opt-in, invocations.csv) are written as the run goes, into temporary files
 * that are renamed into place only when the run finishes; the summaries
 * (summary.json, nodes.csv, functions.csv, run.json) are written at the end.
 * A run that fails leaves no half-written file and the old outputs intact.
 *
 * Every number is printed the same way on every machine (fixed formats,
 * times as exact nanosecond decimals), so two runs of one scenario and seed
 * give byte-identical files; run.json, which holds wall-clock figures, is
 * the one exception.
 *
 * The report also folds every decision into the run's fingerprint: a 64-bit
 * hash over (time, kind, entity, choice) of each routing decision, outcome
 * and health transition, so a change in behaviour shows even where the
 * summary metrics agree.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "histogram.h"
#include "metrics.h"
#include "node.h"
#include "scenario/scenario.h"
#include "time.h"

typedef struct sim_report sim_report;

/* What a finished run measured about itself (run.json). The three wall
 * times split the command: set-up (from the world options' setup_start:
 * reading the scenario, building the world, scheduling the first events),
 * the event loop, and the outputs (closing the integrals, writing every
 * file but run.json; measured by sim_report_finish just before it writes
 * run.json, from outputs_start). */
typedef struct sim_run_stats {
    double setup_seconds;
    double loop_seconds;
    double loop_cpu_seconds; /* process CPU time spent in the loop */
    double output_seconds;   /* unused on input: sim_report_finish measures it */
    double cpu_seconds;      /* likewise: process CPU time from start to run.json */
    double outputs_start;    /* sim_wall_seconds() when the loop ended */
    double setup_cpu_seconds; /* process CPU time when the loop began */
    double outputs_cpu_start; /* sim_cpu_seconds() when the loop ended */
    uint64_t events;
    uint64_t invocations;
    long peak_rss_kb;
    uint64_t trace_dropped;    /* --trace: events dropped at the cap (0: none, or no trace) */
    uint64_t trace_max_events; /* and the cap */
} sim_run_stats;

typedef struct sim_health_row {
    edge_time time;
    uint32_t node;
    edge_node_status from, to;
    const char *reason; /* static */
} sim_health_row;

typedef struct sim_placement_row {
    edge_time time;
    uint32_t function, node; /* node UINT32_MAX when none was found */
    const char *strategy;    /* static */
    edge_err result;
} sim_placement_row;

typedef struct sim_invocation_row {
    uint64_t id;
    uint32_t function, region, node; /* node UINT32_MAX when never placed */
    edge_time arrival, start, end, latency;
    int cold;
    edge_reason outcome;
    uint32_t attempts;
} sim_invocation_row;

typedef struct sim_sample {
    edge_time t_end;
    uint64_t in_flight, busy, queued, healthy, offline;
} sim_sample;

typedef struct sim_node_sample {
    edge_time t_end;
    uint32_t node;
    edge_node_status status;
    uint32_t in_flight, busy, queued, warm;
    double memory_used_mb;
} sim_node_sample;

/* Opens the streamed outputs in outdir (created if missing). Returns NULL
 * with a one-line message in err on failure. sc is borrowed. */
sim_report *sim_report_open(const sim_scenario *sc, const char *outdir, int invocations,
                            char *err, size_t errlen);

/* Stream rows. Each returns 0, or -1 when writing failed (the run fails). */
int sim_report_health(sim_report *r, const sim_health_row *row);
int sim_report_placement(sim_report *r, const sim_placement_row *row);
/* The invocations routed to the deployment of function on node that the
 * latest ok placements row of that pair made (rows are kept in memory and
 * written at the end with this count; without one the count is empty). */
void sim_report_placement_count(sim_report *r, size_t function, size_t node, uint64_t count);
int sim_report_invocation(sim_report *r, const sim_invocation_row *row);
int sim_report_sample(sim_report *r, const sim_sample *s);
int sim_report_node_sample(sim_report *r, const sim_node_sample *s);

/* One fault window or operation for faults.csv: [start, end] (end == start
 * for an instant operation), the kind's name and its target (a node or
 * function id, "*", or ""). Returns 0 or -1 when writing failed. */
int sim_report_window(sim_report *r, edge_time start, edge_time end, const char *kind,
                      const char *target);

/* After a stream row returned -1: the file whose write failed and why, as
 * "DIR/health.csv: No space left on device", into buf (n bytes). Returns 1
 * when a stream has a write error, 0 (buf untouched) when none has: then
 * the -1 was memory (placements rows are kept in memory). */
int sim_report_write_error(const sim_report *r, char *buf, size_t n);

/* Per-interval counters and the fingerprint. Never fail. */
void sim_report_arrival(sim_report *r, size_t function);
void sim_report_outcome(sim_report *r, size_t function, edge_reason reason, edge_time latency,
                        int cold, edge_time now);
void sim_report_decision(sim_report *r, size_t function, size_t node);
void sim_report_fault(sim_report *r, size_t fault, int begin, edge_time now);

/* The fingerprint so far, as 16 hex digits into buf (at least 17 bytes). */
void sim_report_fingerprint(const sim_report *r, char *buf);

/* One row of nodes.csv (docs/outputs.md names the columns). Strings and
 * the histogram are borrowed for the call of sim_report_finish. */
typedef struct sim_node_row {
    const char *id, *region;
    uint32_t cores;
    double memory_mb;
    uint64_t deployments, invocations, ok, failed, cold_starts;
    const edge_histogram *latency;     /* the latency_ columns: mean, quantiles, max */
    edge_time time_in_status[5];       /* indexed by edge_node_status */
    uint32_t crashes;
    double availability;               /* fraction of the counted time the node was up */
    double energy_j;
    double cache_hit_ratio;
    uint64_t cache_lookups, cache_hits, cache_shared_pulls, cache_pulls, cache_evictions;
    double cache_pulled_mb;
    edge_time cache_pull_time, cache_pull_time_mean, cache_wait_time;
    int has_sync;                      /* 0: the sync_* columns stay empty */
    edge_time sync_lag, sync_lag_max;
    int64_t sync_versions_behind;
    uint64_t sync_transfers, sync_bytes, sync_rejected, sync_lost;
} sim_node_row;

/* One row of functions.csv. Borrowed as sim_node_row. */
typedef struct sim_function_row {
    const char *id, *app;              /* app: "" when the function has none */
    double memory_mb;
    uint64_t arrivals, ok, failed, rejected, cold_starts;
    double cold_start_rate;
    const edge_histogram *latency;     /* mean, p50, p99, max */
    double cold_start_pct, wasted_mb_s;
    uint64_t prewarms, prewarms_used, prewarms_cancelled;
    const char *extra;                 /* columns appended after app, with their leading
                                          commas (the measures); NULL: none */
} sim_function_row;

/* One scope of latency.csv: "all" or a function id, and its histogram. */
typedef struct sim_latency_scope {
    const char *scope;
    const edge_histogram *latency;
} sim_latency_scope;

/* The end-of-run summaries, built by the model (sim/model/world_summary.c)
 * from its state: the report only formats and writes them. All borrowed. */
typedef struct sim_report_summary {
    const sim_node_row *nodes;         /* nodes.csv, in this order */
    size_t nnodes;
    const sim_function_row *functions; /* functions.csv */
    size_t nfunctions;
    const sim_latency_scope *latency;  /* latency.csv */
    size_t nlatency;
    const cJSON *summary;              /* summary.json, printed as is */
    const char *functions_header_extra; /* the names of the functions' extra columns,
                                           with leading commas; NULL: none */
} sim_report_summary;

/* Renames every streamed output into place, then writes the summaries of s
 * (nodes.csv, functions.csv, latency.csv, summary.json) and run.json from
 * stats. Returns 0, or -1 with a one-line message in err. */
int sim_report_finish(sim_report *r, const sim_report_summary *s, const sim_run_stats *stats,
                      char *err, size_t errlen);

/* Frees r, removing any output not yet committed. NULL is fine. */
void sim_report_close(sim_report *r);

#endif
