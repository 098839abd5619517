/*
 * sweep.h — a sweep file, its expansion into runs, and the statistics over
 * replications.
 *
 * A sweep names scenarios, a grid of parameter values (any --set path to a
 * list of values) and a number of replications R. Its runs are scenarios x
 * grid points x R, numbered in one fixed order: scenario (file order), then
 * grid point, then replication. Grid points are the odometer over the grid's
 * parameters in file order, the last parameter changing fastest. Replication
 * k of every configuration runs with seed base_seed + k (common random
 * numbers), so configurations are compared on the same arrivals.
 *
 * The sweep is plain data owned by one sim_sweep and freed with
 * sim_sweep_free. Nothing here runs a simulation: sim/cli/cmd_sweep.c does, and
 * docs/sweeps.md documents the format field by field.
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

/* Limits, each with its reason. */
#define SIM_SWEEP_MAX_BYTES (1u << 20)      /* a sweep is a short description */
#define SIM_SWEEP_MAX_SCENARIOS 1000
#define SIM_SWEEP_MAX_PARAMS 16             /* grid dimensions; more is a typo, not a study */
#define SIM_SWEEP_MAX_VALUES 1000           /* values of one parameter */
#define SIM_SWEEP_MAX_REPLICATIONS 100000
#define SIM_SWEEP_MAX_RUNS 1000000          /* every run leaves a directory of outputs */

/* One swept parameter: a --set path and its values. */
typedef struct sim_sweep_param {
    char *path;          /* "policies.scheduler" */
    char **sets;         /* "PATH=JSON" per value, as --set takes it */
    char **labels;       /* the value as runs.csv writes it (strings unquoted, others
                          * compact JSON: objects and lists too) */
    size_t nvalues;
} sim_sweep_param;

typedef struct sim_sweep {
    char *path;              /* the sweep file */
    char *name;              /* "name", default the file name without .json */
    char **scenarios;        /* as written in the file */
    char **scenario_paths;   /* resolved relative to the sweep file's folder */
    size_t nscenarios;
    char **fixed_sets;       /* "set": "PATH=JSON", applied to every run first */
    size_t nfixed;
    sim_sweep_param *params; /* "grid", in file order */
    size_t nparams;
    size_t nconfigs;         /* product of the parameters' value counts (1 without a grid) */
    uint32_t replications;   /* default 1 */
    uint64_t base_seed;      /* default 1 */
} sim_sweep;

/*
 * Reads and validates the sweep file `path`. Returns a new sweep the caller
 * frees with sim_sweep_free, or NULL with the first problem in *d (its file
 * is `path`, borrowed; keep it alive while using d; its line and column
 * are where the offending value starts, or the end of a text cut short, 1:1
 * for a problem of the whole document, 0 and 0 for a file too large or out
 * of memory). Unknown fields are errors. Never
 * aborts on bad input; out of memory is reported in *d.
 */
sim_sweep *sim_sweep_load(const char *path, sim_diag *d);

/* The same from len bytes of text; `name` is the file name used for errors,
 * for the default name and as the base of relative scenario paths. */
sim_sweep *sim_sweep_parse(const char *text, size_t len, const char *name, sim_diag *d);

/* Appends "PATH=VALUE" (as `edgesim run --set` takes it) to the fixed sets,
 * after the file's own "set" and so before the grid's values: `edgesim sweep
 * --set`. The text is copied. Returns 0, or -1 when it has no '=', an empty
 * PATH or the PATH seed (sim_sweep_sets_seed; errno EINVAL) or memory runs
 * out (ENOMEM). */
int sim_sweep_add_set(sim_sweep *sw, const char *set);

/* Whether a --set path, or a "PATH=VALUE", names the scenario's seed, which
 * a sweep may not set or sweep: replication k of every configuration runs
 * with base_seed + k (a seed set would be replaced, a grid of seeds would
 * run the same runs under several configuration ids). The file's "set" and
 * "grid" are refused with it by sim_sweep_parse, `sweep --set` by the
 * command and sim_sweep_add_set. NULL: 0. */
int sim_sweep_sets_seed(const char *set);

/* Frees sw and everything it owns. NULL is fine. */
void sim_sweep_free(sim_sweep *sw);

/* Number of runs: nscenarios x nconfigs x replications. */
size_t sim_sweep_nruns(const sim_sweep *sw);

/* The value index of every parameter for grid point `config` (< nconfigs)
 * into idx[0..nparams): the last parameter changes fastest. */
void sim_sweep_config_point(const sim_sweep *sw, size_t config, size_t *idx);

/* Run number `run` (< nruns) split into scenario, config and replication. */
void sim_sweep_run_split(const sim_sweep *sw, size_t run, size_t *scenario, size_t *config,
                         uint32_t *rep);

/* Summary statistics of a sample. */
typedef struct sim_sweep_stat {
    size_t n;          /* finite values used (NaN values are skipped) */
    double mean;       /* NaN when n == 0 */
    double stddev;     /* sample standard deviation (n - 1); NaN when n < 2 */
    double ci95_low;   /* mean -+ t(0.975, n-1) * stddev / sqrt(n); NaN when n < 2 */
    double ci95_high;
} sim_sweep_stat;

/* The statistics of x[0..n) into *out: GSL's mean, standard deviation and
 * Student's t. Out of memory (more than 64 values): n 0 and every figure NaN. */
void sim_sweep_stats(const double *x, size_t n, sim_sweep_stat *out);

/* Clips st's ci95_low and ci95_high (when not NaN) to [min, max], the values
 * the metric can take: the t-interval of rates near 0 (a rejection rate of
 * 0.001 +- 0.002) reaches below 0, where the true value cannot be, so the
 * clipped interval covers it as often. mean and stddev are left alone. */
void sim_sweep_stat_clip(sim_sweep_stat *st, double min, double max);

#endif
