/*
 * measures.h — what a run measures once it is warm (docs/outputs.md,
 * "summary.json": queueing, instances, steady_state; docs/semantics.md,
 * "Warm-up and the end of the run").
 *
 * The world reports to it every final outcome of an invocation (with its
 * arrival, start, end of the cold start and end), every instance created or
 * removed and every busy span of an instance; it keeps, per function and in
 * O(1) per call:
 *   - the queueing measures of invocations that completed ok: waiting time
 *     (start - arrival), service time (end - end of the cold start), whether
 *     they waited at all, and the cold-start delay of the cold ones;
 *   - time integrals of the instance count and of the busy count, from the
 *     warm-up on, and the instances created and removed with their lifespans;
 *   - batch means: the time after the warm-up cut into SIM_MEASURES_BATCHES
 *     equal batches; an invocation belongs to the batch of its arrival.
 * Only invocations arriving at or after the warm-up count (an outcome of an
 * earlier one is ignored here); time integrals start at the warm-up, so a
 * change before it costs nothing and counts nothing.
 *
 * Memory: a record per function and per batch, fixed at creation. No
 * allocation after sim_measures_new.
 */
#ifndef SIM_MEASURES_H
#define SIM_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "time.h"

/* Batches of the batch-means method: 30 is the usual choice (enough
 * degrees of freedom for the t quantile, batches long enough to be nearly
 * independent when the run is long). Fewer than 2 non-empty batches give no
 * interval. */
#define SIM_MEASURES_BATCHES 30

typedef struct sim_measures sim_measures;

/* What a scope (a function, or the whole run) measured. Times in seconds;
 * means are 0 when there is nothing to average. */
typedef struct sim_measure_summary {
    uint64_t ok;                /* invocations that completed ok (the population below) */
    uint64_t waited;            /* ... that started later than they arrived */
    uint64_t cold_ok;           /* ... that started cold */
    double wait_mean_s;         /* mean of start - arrival */
    double service_mean_s;      /* mean execution time (after the cold start) */
    double p_wait;              /* waited / ok */
    double cold_start_delay_mean_s; /* mean cold-start delay of the cold ones */
    double instances_mean;      /* time average of instances, from the warm-up */
    double busy_instances_mean; /* ... of those running an invocation */
    double idle_instances_mean; /* ... of those idle (warm) */
    uint64_t created, removed;  /* instances created / removed at or after the warm-up */
    double lifespan_mean_s;     /* creation to removal, of the removed ones */
    uint64_t in_flight_at_end;  /* counted arrivals still running or queued at the end */
} sim_measure_summary;

/* The measures a batch-means interval is given for. */
typedef enum {
    SIM_MEASURE_LATENCY_MEAN,   /* mean latency of ok invocations, s */
    SIM_MEASURE_THROUGHPUT,     /* ok invocations per second */
    SIM_MEASURE_COLD_START_RATE,/* cold / started */
    SIM_MEASURE_SUCCESS_RATE,   /* ok / finished outcomes */
    SIM_MEASURE_COUNT
} sim_measure_kind;

/* Its key in summary.json ("latency_mean_s", ...); static. */
const char *sim_measure_kind_name(sim_measure_kind k);

/* A 95% confidence interval by the method of batch means. */
typedef struct sim_interval {
    int valid;                  /* 0: fewer than 2 batches had data */
    unsigned batches;           /* batches that had data (k) */
    double mean;                /* mean of the batch means */
    double half_width;          /* t(0.975, k-1) x sd / sqrt(k) */
    double lo, hi;              /* mean -/+ half_width, clipped to the values the
                                   measure can take (sim_measures_interval) */
    double lag1;                /* lag-1 autocorrelation of the batch means (0 when
                                   they do not vary); near 0 means long enough batches */
} sim_interval;

/*
 * New measures for nfunctions functions over [warmup, duration) (warmup <
 * duration). Returns NULL when out of memory. Caller frees with
 * sim_measures_free.
 */
sim_measures *sim_measures_new(size_t nfunctions, edge_time warmup, edge_time duration);

/* Frees m. NULL is fine. */
void sim_measures_free(sim_measures *m);

/* The warm-up: outcomes of invocations arriving before it are ignored. */
edge_time sim_measures_warmup(const sim_measures *m);

/*
 * The final outcome of an invocation of fn that arrived at `arrival`:
 * started at `start` (its last attempt) after `transfer` ns of request
 * transfers (the network's, not waiting), its cold start (if cold) ended at
 * `exec_start`, and its execution ended at `end` (before any response
 * transfer), with end-to-end latency `latency`. start, exec_start, end and
 * transfer are read only for outcomes that started.
 */
void sim_measures_outcome(sim_measures *m, size_t fn, edge_reason reason, edge_time arrival,
                          edge_time transfer, edge_time start, edge_time exec_start,
                          edge_time end, edge_time latency, int cold);

/* At the end: an invocation of fn that arrived at `arrival` is still in flight. */
void sim_measures_in_flight(sim_measures *m, size_t fn, edge_time arrival);

/* An instance of fn was created at now (a cold start or a pre-warm). */
void sim_measures_created(sim_measures *m, size_t fn, edge_time now);

/* An instance of fn created at `created` was removed at `removed` (<= now,
 * the time of the call: a runtime may report an expiry late). */
void sim_measures_removed(sim_measures *m, size_t fn, edge_time created, edge_time removed,
                          edge_time now);

/* An invocation of fn held its instance busy from start to end (its end,
 * a crash, or the end of the run for one still running): the part after
 * the warm-up counts. */
void sim_measures_ran(sim_measures *m, size_t fn, edge_time start, edge_time end);

/* Closes the integrals at the end of the run (the duration). */
void sim_measures_close(sim_measures *m);

/* Results: of one function, and of the run (the sum over functions). */
void sim_measures_function(const sim_measures *m, size_t fn, sim_measure_summary *out);
void sim_measures_total(const sim_measures *m, sim_measure_summary *out);

/* The 95% batch-means interval of one measure (over every function), its
 * lo and hi clipped to what the measure can take: a rate (cold starts,
 * successes per finished) to [0, 1], a latency or a throughput to >= 0. The
 * t-interval of a proportion near 0 or 1 reaches past it (a success rate of
 * 0.999998 +- 0.000004); the true value cannot, so the clipped interval
 * covers it as often. half_width stays the t-interval's. */
void sim_measures_interval(const sim_measures *m, sim_measure_kind k, sim_interval *out);

/* The length of one batch, ns. */
edge_time sim_measures_batch_length(const sim_measures *m);

/*
 * The 95% confidence interval of the mean of x[0..n) as if they were
 * independent batch means: Student's t with n - 1 degrees of freedom, GSL's
 * mean, standard deviation and lag-1 autocorrelation. valid is 0 for n < 2.
 */
void sim_interval_of(const double *x, size_t n, sim_interval *out);

/* Clips iv's lo and hi to [min, max] (a bound of the measure). */
void sim_interval_clip(sim_interval *iv, double min, double max);

/* ---- outputs (docs/outputs.md) ---- */

struct cJSON;

/* Adds a scope's queueing measures to o: wait_mean_s, service_mean_s, p_wait,
 * cold_start_delay_mean_s. */
void sim_measures_queueing_json(struct cJSON *o, const sim_measure_summary *s);

/* Adds a scope's instance measures to o: mean, busy_mean, idle_mean, created,
 * removed, lifespan_mean_s. */
void sim_measures_instances_json(struct cJSON *o, const sim_measure_summary *s);

/* The "steady_state" object of summary.json: method, level, batches,
 * batch_s, warmup_s and one interval per sim_measure_kind. NULL when out of
 * memory; caller owns it. */
struct cJSON *sim_measures_steady_state_json(const sim_measures *m);

/* The columns functions.csv appends for a function, with their leading
 * commas (SIM_MEASURES_CSV_HEADER names them): the queueing and instance
 * measures and in_flight_at_end, into buf (n bytes, 512 are enough). */
#define SIM_MEASURES_CSV_HEADER                                                             \
    ",wait_mean_s,service_mean_s,p_wait,cold_start_delay_mean_s,instances_mean,"             \
    "instances_busy_mean,instances_idle_mean,instances_created,instances_removed,"           \
    "instance_lifespan_mean_s,in_flight_at_end"
void sim_measures_csv_columns(char *buf, size_t n, const sim_measure_summary *s);

#endif
