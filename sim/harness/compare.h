/*
 * compare.h — the paired comparison behind `edgesim compare` (docs/
 * regression.md): did a change make things worse?
 *
 * Two runs are compared metric by metric from their summary.json; each
 * metric has a direction (lower or higher is better) and a tolerance, and a
 * change worse than its tolerance is a regression. Two sweeps (runs.csv) are
 * paired run by run on (scenario, grid values, seed); per configuration and
 * metric the paired differences give a mean change with a Student-t 95%
 * interval, and a regression is a change worse than the tolerance whose
 * interval excludes zero.
 *
 * It fails closed: anything it cannot judge (a missing, null, non-number or
 * non-finite metric, an empty or NaN cell, an unreadable, truncated,
 * oversized or non-regular file, runs that do not pair up, out of memory) is
 * an error with one line in the caller's err buffer naming the file and the
 * metric or cell. Nothing here prints; sim/cli/cmd_compare.c formats the
 * table and the JSON.
 */
#ifndef SIM_HARNESS_COMPARE_H
#define SIM_HARNESS_COMPARE_H

#include <cJSON.h>
#include <stddef.h>

#include "common/threshold.h"

/* Files compare loads whole, capped before reading: a summary.json is a few
 * kB and a sweep's runs.csv about 300 bytes a run, so these caps leave room
 * for ~800k runs while /dev/zero or a mistaken path is refused at once. */
#define SIM_COMPARE_MAX_SUMMARY ((size_t)64 << 20)  /* 64 MiB */
#define SIM_COMPARE_MAX_RUNS_CSV ((size_t)256 << 20) /* 256 MiB */

typedef struct sim_compare_metric {
    const char *name;   /* as given to --metric */
    const char *path;   /* dotted path in summary.json */
    const char *column; /* its column in a sweep's runs.csv, NULL when it has none */
    int higher_better;
    sim_unit unit;
} sim_compare_metric;

/* The metrics: what a person asks first about a scheduling change, in the
 * order tables print them. */
#define SIM_COMPARE_NMETRICS 10
extern const sim_compare_metric sim_compare_metrics[SIM_COMPARE_NMETRICS];

/* What to compare: the two directories (borrowed), the chosen metrics (none
 * chosen: all) and each metric's tolerance. */
typedef struct sim_compare_spec {
    const char *dirs[2];
    int any_chosen;
    int chosen[SIM_COMPARE_NMETRICS];
    sim_threshold tol[SIM_COMPARE_NMETRICS];
} sim_compare_spec;

/* Everything zero, every tolerance 5% of the baseline. */
void sim_compare_spec_init(sim_compare_spec *s);
/* Whether metric m is compared. */
int sim_compare_chosen(const sim_compare_spec *s, size_t m);
/* x relative to |base|; from a zero baseline any change is infinite. */
double sim_compare_relative(double x, double base);

/* One metric of one configuration (or of the two runs). */
typedef struct sim_compare_result {
    size_t metric;
    double base, cand;    /* means over the pairs */
    double diff;          /* mean paired difference, candidate - baseline */
    double rel;           /* diff relative to |base|; +-inf from a zero baseline */
    int have_ci;          /* sweeps: an interval of diff */
    double lo, hi;        /* its ends, in the metric's unit */
    const char *verdict;  /* "REGRESSION", "better", "noise", "ok", or SIM_COMPARE_NO_VALUE */
} sim_compare_result;

/* The verdict of a sweep's metric that fewer than 2 paired runs have a value
 * of in both sweeps (a latency where no invocation completed): nothing to
 * judge; its numbers are NaN. Not a regression. */
#define SIM_COMPARE_NO_VALUE "no value"

/* A configuration: scenario and grid values (row of the baseline's runs.csv),
 * and its results; for two runs, the one configuration. */
typedef struct sim_compare_config {
    size_t row;    /* first baseline row (sweeps) */
    size_t pairs;
    size_t nres;
    sim_compare_result res[SIM_COMPARE_NMETRICS];
} sim_compare_config;

/* A runs.csv read whole and split in place: RFC 4180 quoting (grid values may
 * be JSON objects, which the sweep writes quoted), every record with the
 * header's width. Cells point into text. */
typedef struct sim_compare_table {
    char path[4200];
    char *text;    /* the file, unquoted in place; owns every cell */
    char **cell;   /* nrows x ncols, row 0 the header */
    size_t *line;  /* 1-based line of each row */
    size_t ncols, nrows;
} sim_compare_table;

/* The layout of a runs.csv: grid columns between "config" and "replication". */
typedef struct sim_compare_layout {
    int seed, fingerprint, first_param, nparams;
    int metric[SIM_COMPARE_NMETRICS]; /* -1: not in this file */
} sim_compare_layout;

/* The paired sweeps: both tables, their layouts, and for every baseline run
 * (row r + 1 of a) its candidate row match[r]. */
typedef struct sim_compare_pairing {
    sim_compare_table a, b;
    sim_compare_layout la, lb;
    size_t nruns;
    size_t *match;
    char **cfgkey; /* baseline row r + 1's key without the seed */
} sim_compare_pairing;

/* DIR/summary.json, capped at SIM_COMPARE_MAX_SUMMARY and parsed whole: the
 * caller owns it (cJSON_Delete), or NULL with one line in err. */
cJSON *sim_compare_load_summary(const char *dir, char *err, size_t errlen);

/* Fills c with the compared metrics of two runs' summaries a and b (of
 * s->dirs[0] and [1]). Returns 0, or -1 with one line in err. */
int sim_compare_runs(const sim_compare_spec *s, const cJSON *a, const cJSON *b,
                     sim_compare_config *c, char *err, size_t errlen);

/* Loads both sweeps' runs.csv (capped at SIM_COMPARE_MAX_RUNS_CSV) and pairs
 * their runs into *p (zeroed first; sim_compare_pairing_free it in any
 * case). Returns 0, or -1 with one line in err. */
int sim_compare_pair_sweeps(const sim_compare_spec *s, sim_compare_pairing *p, char *err,
                            size_t errlen);
void sim_compare_pairing_free(sim_compare_pairing *p);

/* Groups p's runs into configurations and computes every compared metric of
 * each: *out (the caller frees it) gets *nout of them. Returns 0, or -1 with
 * one line in err. */
int sim_compare_sweeps(const sim_compare_spec *s, const sim_compare_pairing *p,
                       sim_compare_config **out, size_t *nout, char *err, size_t errlen);

/* Cell (row, col) of t; row 0 is the header. */
const char *sim_compare_cell(const sim_compare_table *t, size_t row, size_t col);

/* Of p's paired runs, how many have fingerprints in both files and how many
 * of those differ. */
void sim_compare_fingerprints(const sim_compare_pairing *p, size_t *pairs, size_t *differ);

#endif
