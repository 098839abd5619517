/*
 * stopwatch.h — the two clocks a run measures itself with, for run.json,
 * the progress line and `edgesim bench` only: nothing deterministic may
 * read them.
 *
 * Wall time (CLOCK_MONOTONIC) is what a user waits; CPU time
 * (CLOCK_PROCESS_CPUTIME_ID, every thread of the process) is what the run
 * cost. On a machine shared with other work the two differ widely (a loop of
 * 6 CPU-s took 25 s of wall on a loaded 2-core machine), so benchmarks
 * compare CPU times.
 */
#ifndef SIM_STOPWATCH_H
#define SIM_STOPWATCH_H

/* Seconds on the monotonic wall clock since an arbitrary origin; only
 * differences mean anything. */
double sim_wall_seconds(void);

/* CPU seconds (user + system) the process has used so far. */
double sim_cpu_seconds(void);

#endif
