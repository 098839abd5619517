/*
 * limits.h — what a scenario would cost, estimated from its fields before
 * anything runs, and the documented limits a run must stay within.
 *
 * A valid scenario can still ask for an unbounded run: a 1 ns sample
 * interval, random failures every nanosecond, a million nodes with a
 * million functions deployed on each, a keep-alive histogram of 1e5 bins
 * for 1e5 functions. The reader checks each field on its own; this module
 * multiplies them out. It computes three upper estimates, in doubles (their
 * products overflow 64 bits long before they are refused):
 *   events  the engine's events (arrivals of every workload kind, bursts,
 *           load spikes, the invocations' own events, heartbeats, probes,
 *           health checks, samples, autoscaler ticks, sync rounds, random
 *           failures) plus the per-entity steps of periodic scans (a sample
 *           or a health check visits every node);
 *   memory  bytes held at once (nodes, functions, deployments, queues,
 *           latency matrix, hybrid keep-alive bins, invocations in flight,
 *           trace data, network links);
 *   output  bytes written (timeseries.csv, node_series.csv, invocations.csv
 *           when asked, the per-entity tables).
 * The formulas and their constants are in docs/scenario.md, "Limits". They
 * are deliberately generous per item (an upper estimate, not a forecast):
 * every shipped scenario stays far below the default limits, and what is
 * refused is refused by orders of magnitude.
 *
 * Cost: O(nodes + functions + workloads + faults + deployments); it never
 * reads a file and never allocates.
 */
#ifndef SIM_SCENARIO_LIMITS_H
#define SIM_SCENARIO_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

/* The default limits, with their reasons: a run a laptop finishes in well
 * under an hour (the engine runs a few million events a second), in the
 * memory of a typical machine, with outputs that fit a results folder. */
#define SIM_LIMITS_DEFAULT_EVENTS 2000000000ull     /* 2e9 events */
#define SIM_LIMITS_DEFAULT_MEMORY (8ull << 30)      /* 8 GiB */
#define SIM_LIMITS_DEFAULT_OUTPUT (4ull << 30)      /* 4 GiB */

/* The limits a run is checked against; 0 in a field means no limit. */
typedef struct sim_limits {
    uint64_t max_events;
    uint64_t max_memory;   /* bytes */
    uint64_t max_output;   /* bytes */
    int invocations_csv;   /* the run writes invocations.csv (run --invocations) */
    /* How the refusal line tells its reader to raise each limit (events,
     * memory, output); NULL: the command line's options ("--max-events N").
     * The embedding API names its own fields. Borrowed, static strings. */
    const char *raise_with[3];
} sim_limits;

/* The three estimates and, for each, the field that contributes most. */
typedef struct sim_estimate {
    double events, memory, output;
    char events_field[96], memory_field[96], output_field[96]; /* JSON paths */
    const char *events_what, *memory_what, *output_what;      /* static: "samples" */
} sim_estimate;

/* The default limits (the SIM_LIMITS_DEFAULT_* values, invocations_csv 0). */
sim_limits sim_limits_default(void);

/* Estimates s (a scenario made by the loader; not changed) into *out;
 * invocations_csv says whether invocations.csv is written. Never fails. */
void sim_limits_estimate(const sim_scenario *s, int invocations_csv, sim_estimate *out);

/*
 * Checks s against lim. Returns 0 when every estimate is within its limit;
 * otherwise -1 with one line (no newline) in err[0..n):
 *   FILE: FIELD: this run would WHAT about N (limit L); change FIELD, or
 *   pass --max-events N / --max-memory SIZE / --max-output SIZE (0 or none:
 *   no limit)
 * (lim->raise_with, when set, replaces the options named there)
 * naming the first limit exceeded (events, then memory, then output).
 * err may be NULL when n is 0.
 */
int sim_limits_check(const sim_scenario *s, const sim_limits *lim, char *err, size_t n);

/* Parses an events limit: a non-negative integer, also written as 2e9;
 * "0" or "none" means no limit. Returns 0, or -1 (out untouched). */
int sim_limits_parse_count(const char *text, uint64_t *out);

/* Parses a size: bytes, or a number with K, M, G or T (binary: 16G is
 * 16 GiB; KiB/MiB/GiB/TiB and KB/MB/GB/TB are read the same way);
 * "0" or "none" means no limit. Returns 0, or -1 (out untouched). */
int sim_limits_parse_size(const char *text, uint64_t *out);

/*
 * The command-line options every command shares: name is "max-events",
 * "max-memory" or "max-output" (without dashes, as the option table of
 * sim/cli/opts.h names it) and value its text. Parses value into lim and
 * returns 0; -1 after printing one line "edgesim CMD: --NAME: expected ...,
 * found ..." to stderr, or for an unknown name (a programming error).
 */
int sim_limits_set_option(const char *cmd, const char *name, const char *value,
                          sim_limits *lim);


#endif
