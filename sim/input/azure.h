/*
 * azure.h — readers of the Azure Functions traces (2019 and 2021) into
 * compact per-function data that the scenario turns into functions and
 * workloads (docs/traces.md).
 *
 * 2019 ("Serverless in the Wild"): per day, an invocations file (one row per
 * function: HashOwner, HashApp, HashFunction, Trigger, then one count per
 * minute), a durations file (per function: Average, Count, Minimum, Maximum
 * and percentile_Average_{0,1,25,50,75,99,100} in ms) and a memory file (per
 * app: SampleCount, AverageAllocatedMb and its percentiles; the form with an
 * extra HashFunction column, already split per function, is read too).
 * Each file is read once, row by row. What is kept per function is its ids,
 * its non-zero minutes as (minute, count) pairs, its duration percentiles
 * and its memory: memory is bounded by the number of functions (times the
 * minutes they are active in), never by the number of invocations.
 *
 * 2021 ("Faa$T"): rows `app, func, end_timestamp, duration` in seconds; each
 * row is one invocation that starts at end - duration and runs for
 * duration. Rows are kept per function as (start, duration) pairs sorted by
 * start: memory grows with the rows, which is fine for the published trace
 * (about 2 million rows, 16 bytes each) and is said so in docs/traces.md.
 *
 * Errors name the CSV file, line and column ("inv.csv:5:37: expected a
 * count (a whole number >= 0), found \"x\""); with skip_errors a malformed
 * row is skipped and counted instead. Nothing here knows about scenarios,
 * engines or random streams beyond the seeded sample selection.
 */
#ifndef SIM_AZURE_H
#define SIM_AZURE_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

/* Most minute columns a 2019 row may have (one day is 1440); the bound keeps a
 * malformed header from asking for arbitrary memory. */
#define SIM_AZ_MAX_MINUTES 1440u
/* Most days (files) one trace workload may replay: two weeks, as published. */
#define SIM_AZ_MAX_DAYS 14u
/* Longest CSV line accepted (a 2019 row is about 3 kB + 1440 counts). */
#define SIM_AZ_MAX_LINE (1u << 20)

typedef struct sim_az_minute {
    uint32_t minute; /* minutes since the start of the window */
    uint32_t count;  /* invocations in it, > 0 */
} sim_az_minute;

typedef struct sim_az_call {
    edge_time start;    /* since the window's start */
    edge_time duration; /* recorded, >= 0 */
} sim_az_call;

typedef struct sim_az_function {
    char *owner, *app, *func; /* the trace's hashes; owned ("" for 2021's owner) */
    uint64_t key;             /* a stable 64-bit hash of (owner, app, func) */
    sim_az_minute *minutes;   /* 2019: non-zero minutes, ascending; owned */
    size_t nminutes;
    sim_az_call *calls;       /* 2021: invocations by start; owned */
    size_t ncalls;
    uint64_t total;           /* invocations in the window */
    int has_durations;
    double dur_ms[7];         /* percentiles 0 1 25 50 75 99 100, non-decreasing */
    int has_memory;
    double memory_mb;         /* the app's average split evenly over its functions
                                 (by_app: the app's whole average) */
} sim_az_function;

typedef struct sim_az_options {
    const char *const *invocations; size_t ninvocations; /* one file per day, in order */
    const char *const *durations; size_t ndurations;     /* 2019 only; may be 0 */
    const char *const *memory; size_t nmemory;           /* 2019 only; may be 0 */
    edge_time window_lo, window_hi; /* keep [lo, hi) of the trace's time; hi 0 = all */
    size_t top;                     /* keep the N most invoked functions; 0 = off */
    size_t sample_functions;        /* a seeded random sample of N functions; 0 = off */
    size_t sample_apps;             /* ... of N apps (all their functions); 0 = off */
    uint64_t seed;                  /* for the samples */
    int skip_errors;                /* skip and count malformed rows */
    int by_app;                     /* 2019: one function per app (its functions merged) */
} sim_az_options;

typedef struct sim_az_trace {
    sim_az_function *fns; size_t n; /* the selected functions, in first-seen order */
    uint64_t rows;                  /* data rows read, all files */
    uint64_t skipped_rows;          /* malformed rows skipped (skip_errors) */
    uint64_t invocations;           /* sum of the selected functions' totals */
    size_t functions_in_file;       /* distinct functions seen before selection */
    size_t missing_durations, missing_memory; /* among the selected */
} sim_az_trace;

/*
 * Reads a 2019 trace as the options say into *out (zeroed first). With
 * by_app, each app becomes one function before selection (so top and the
 * samples pick apps): func and app are the app's hash, key the app's, the
 * minutes the sum of its functions' counts, memory the app's whole row
 * (with the per-function memory form: the sum of its functions' rows),
 * durations those of its most invoked function that has a durations row
 * (ties: the first seen); functions_in_file then counts apps. Returns 0,
 * or -1 with one line "FILE:LINE:COL: expected WHAT, found WHAT" (or
 * "FILE: ..." for an unreadable file, "out of memory") in err; *out is then
 * empty. The caller frees *out with sim_az_trace_free.
 */
int sim_az2019_read(const sim_az_options *o, sim_az_trace *out, char *err, size_t errlen);

/* The same for a 2021 file (durations, memory and top's ties as above). */
int sim_az2021_read(const sim_az_options *o, sim_az_trace *out, char *err, size_t errlen);

/* Frees what t owns and zeroes it; NULL is fine. */
void sim_az_trace_free(sim_az_trace *t);

/* Frees one function's contents (for a caller that took functions over). */
void sim_az_function_free(sim_az_function *f);

#endif
