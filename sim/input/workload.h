/*
 * workload.h — arrival processes: when the next invocation of a workload
 * arrives.
 *
 * One sim_arrivals per workload of the scenario, each with its own random
 * stream ("arrivals", workload index), so the arrivals a function sees do not
 * depend on the policy, on other workloads, or on the order things are
 * created (common random numbers across compared runs).
 *
 * Processes (see docs/scenario.md for the fields):
 *   poisson    exponential gaps of mean 1/rate.
 *   constant   start, start + interval, start + 2 interval, ...
 *   periodic   start + k period + U(-jitter, +jitter), kept in order.
 *   bursty     a two-state Markov-modulated Poisson process: exponential
 *              sojourns of mean on_mean / off_mean, Poisson at on_rate /
 *              off_rate inside them; it starts in the ON state.
 *   times/csv  the listed times, in order.
 *   minutes    (Azure 2019) per-minute counts, scaled and placed inside each
 *              minute as the workload's placement says: uniform (order
 *              statistics of uniform times, drawn one at a time), even
 *              (centred, evenly spaced) or poisson (the minute's count drawn
 *              binomially from the function's remaining total, so the
 *              total is kept, then uniform inside the minute).
 *   calls      (Azure 2021) recorded starts, each with its duration
 *              (a->next_duration), in order.
 * Every process is confined to [start, stop). A load spike multiplies the
 * rate by a factor from a given instant (sim_arrivals_set_factor): a Poisson
 * or bursty process redraws its next gap at the new rate (exact, because
 * exponential gaps are memoryless); constant and periodic ones shrink their
 * period from the next arrival on; explicit times are not affected (a spike
 * on a trace is written as a burst).
 *
 * Cost: O(1) per arrival (bursty: O(1) amortized over state switches;
 * minutes: O(1) per non-empty minute plus O(1) per arrival).
 * Trace kinds draw from the stream ("trace_arrivals", spec->stream), a hash
 * of the function's trace ids: a function keeps its arrivals whatever else
 * the window, the sample or the scenario holds.
 */
#ifndef SIM_WORKLOAD_H
#define SIM_WORKLOAD_H

#include "engine/rng.h"
#include "input/azure.h"
#include "time.h"

typedef enum {
    SIM_ARRIVAL_POISSON,     /* rate per second */
    SIM_ARRIVAL_CONSTANT,    /* every interval */
    SIM_ARRIVAL_PERIODIC,    /* every period, +- uniform jitter */
    SIM_ARRIVAL_BURSTY,      /* two-state MMPP: on/off rates, exponential sojourns */
    SIM_ARRIVAL_TIMES,       /* explicit list */
    SIM_ARRIVAL_CSV,         /* timestamps read from a CSV file, one per line */
    SIM_ARRIVAL_MINUTES,     /* Azure 2019: counts per minute, placed inside the minute */
    SIM_ARRIVAL_CALLS,       /* Azure 2021: recorded (start, duration) per invocation */
} sim_arrival_kind;

/* Where a minute's invocations go inside it (docs/traces.md). */
typedef enum {
    SIM_PLACE_UNIFORM,       /* independent uniform times, in order */
    SIM_PLACE_EVEN,          /* evenly spaced, centred: (k + 1/2) / n of the minute */
    SIM_PLACE_POISSON,       /* Poisson process over the whole trace, total kept */
} sim_placement;

typedef struct sim_workload_spec {
    size_t function;         /* with a workflow: the function of its first step */
    size_t workflow;         /* 1 + the index of the workflow it requests; 0: it
                                invokes `function` (docs/scenario.md, "workflows") */
    size_t region;           /* the client region the requests come from (with clients:
                                where the group starts) */
    size_t clients;          /* 0, or 1 + the client group whose region at each
                                arrival is the request's (scenario/netspec.h) */
    sim_arrival_kind kind;
    double rate;             /* POISSON: per second */
    edge_time interval;      /* CONSTANT; PERIODIC: the period */
    edge_time jitter;        /* PERIODIC: uniform in [-jitter, +jitter] */
    double on_rate, off_rate;        /* BURSTY: per second in each state */
    edge_time on_mean, off_mean;     /* BURSTY: mean sojourn in each state */
    edge_time start, stop;   /* active window; stop 0 = the scenario's end */
    edge_time *times;        /* TIMES and CSV (read at load), sorted */
    size_t ntimes;
    char *csv_path;          /* CSV, resolved relative to the scenario file */
    /* MINUTES and CALLS (one workload per trace function; data owned) */
    sim_az_minute *minutes;  /* MINUTES: non-zero minutes from `start`, ascending */
    size_t nminutes;
    uint64_t total;          /* MINUTES: sum of the counts */
    sim_placement placement;
    double scale;            /* MINUTES: rate factor, > 0 */
    uint64_t stream;         /* the stable key of its random stream (trace_arrivals) */
    sim_az_call *calls;      /* CALLS: by start, relative to `start` */
    size_t ncalls;
} sim_workload_spec;

/* One workload's arrival process. The first two 64-byte lines hold all an
 * arrival of the Poisson fast path reads and writes, the spec's fields the
 * world needs for it included (copied), so a table of these that is
 * line-aligned (SIM_ARRIVALS_ALIGN; the struct is a whole number of lines)
 * costs two lines an arrival, not the three to five of the struct and its
 * spec spread over lines. */
#define SIM_ARRIVALS_ALIGN 64

typedef struct sim_arrivals {
    /* line 1 */
    sim_arrival_kind kind;  /* copies of the spec's, so the Poisson fast */
    uint8_t indirect;       /* spec->clients or spec->workflow is set: the
                               arrival's region or target is found through spec */
    double rate;            /* path reads only this struct */
    double factor;      /* load-spike factor, 1 outside spikes */
    edge_time end;      /* min(spec stop, scenario end) */
    edge_time next;     /* the pending arrival, or EDGE_TIME_MAX when done */
    edge_time last;     /* the last arrival handed out (or start) */
    edge_time next_duration; /* calls: the recorded duration of a->next; else -1 */
    size_t function;    /* spec->function */
    /* line 2 */
    sim_rng rng;
    size_t region;      /* spec->region */
    const sim_workload_spec *spec; /* borrowed from the scenario */
    /* the other kinds */
    size_t k;           /* constant/periodic: arrivals so far; times: index */
    edge_time base;     /* constant/periodic: time of arrival k = base + k*period' */
    int on;             /* bursty: in the ON state */
    edge_time state_end;/* bursty: when the current state ends */
    /* traces (minutes, calls) */
    size_t mi;          /* minutes: the next minute entry; calls: the next call */
    uint64_t left;      /* minutes: arrivals still to place in the current minute */
    uint64_t n;         /* minutes: arrivals of the current minute */
    edge_time mstart;   /* minutes: the current minute's start */
    edge_time mcur;     /* uniform, poisson: the last time placed in it */
    uint64_t pool;      /* poisson: arrivals left for the remaining minutes */
    uint64_t weight;    /* poisson: the trace counts of the remaining minutes */
    unsigned char pad_[40]; /* to 256 bytes: whole lines */
} sim_arrivals;

/*
 * Prepares a for workload `index` of a scenario with master seed `seed` and
 * end time `scenario_end`, and computes its first arrival (a->next).
 * Returns EDGE_OK, or EDGE_INVAL for a spec it cannot run (the scenario
 * reader rejects those first).
 */
edge_err sim_arrivals_init(sim_arrivals *a, const sim_workload_spec *spec, uint64_t seed,
                           size_t index, edge_time scenario_end);

/* Consumes the pending arrival (a->next, which must not be EDGE_TIME_MAX)
 * and computes the one after it. Returns the new a->next. */
edge_time sim_arrivals_advance(sim_arrivals *a);

/* Changes the rate factor at time now (now <= a->next) and returns the
 * possibly changed a->next; the caller reschedules its arrival event when it
 * changed. factor must be > 0. */
edge_time sim_arrivals_set_factor(sim_arrivals *a, double factor, edge_time now);

#endif
