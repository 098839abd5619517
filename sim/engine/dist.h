/*
 * dist.h — probability distributions read from JSON specs and sampled with
 * a sim_rng stream.
 *
 * A spec is an object with a "type" and that type's fields, e.g.
 *     {"type": "exponential", "mean": "250ms"}
 *     {"type": "lognormal", "mean": "1.2s", "stddev": "400ms"}
 *     {"type": "mixture", "components": [{"weight": 0.9, "dist": {...}}, ...]}
 * docs/distributions.md documents every type, field, unit, default and
 * limit. A distribution is parsed for one of two kinds, which the caller
 * knows from where the spec sits:
 *  - SIM_DIST_DURATION: a time. Time-valued fields are duration strings with
 *    a unit ("250ms"); a bare number is rejected with a message that says to
 *    give a unit. Rates are strings "N/unit" ("4/s"). Negative times are
 *    rejected, and the normal distribution is truncated at 0. Draws are in
 *    nanoseconds.
 *  - SIM_DIST_NUMBER: a dimensionless number (a factor): plain JSON numbers
 *    everywhere, of any sign.
 *  - SIM_DIST_SIZE: an amount (a payload in kB): plain JSON numbers as in
 *    SIM_DIST_NUMBER, but, as with durations, negative values are rejected
 *    ("a size >= 0") and the normal distribution is truncated at 0.
 * Shape parameters (shape, sigma, k, weights, percentiles) are plain
 * numbers in both kinds.
 *
 * Validation is complete and strict: a wrong type, a missing or unknown
 * field (typos must not pass silently), a value out of range all give one
 * sim_diag line "PATH: expected X, found Y". Parsing allocates; sampling
 * never does. Sampling goes through GSL's gsl_ran_* on the stream's GSL view
 * (or the stream's inline draws where GSL has nothing better), so the draws
 * depend only on the stream and the spec.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "common/diag.h"
#include "error.h"
#include "engine/rng.h"
#include "time.h"

typedef struct sim_dist sim_dist;

typedef enum {
    SIM_DIST_NUMBER,   /* dimensionless: plain numbers */
    SIM_DIST_DURATION, /* a time: durations with units, draws in ns, >= 0 */
    SIM_DIST_SIZE,     /* an amount: plain numbers, draws >= 0 */
} sim_dist_kind;

/* Mixtures nested deeper than this are refused (no legitimate spec needs
 * it; the bound keeps parsing from recursing without limit). */
#define SIM_DIST_MAX_DEPTH 8
/* Most points an empirical distribution and most components a mixture may
 * have: the Azure trace form has 7 points; the bound keeps a malformed file
 * from asking for arbitrary memory. */
#define SIM_DIST_MAX_POINTS 1024
#define SIM_DIST_MAX_COMPONENTS 256
/* Largest k of an Erlang distribution (a draw costs O(1) through
 * gsl_ran_gamma, but k beyond this is surely a mistake). */
#define SIM_DIST_MAX_ERLANG_K 1000000

/*
 * Parses spec as a distribution of the given kind into *out: an object
 * (docs/distributions.md), or a constant written as its value alone (a
 * duration string such as "250ms" in SIM_DIST_DURATION, a number in
 * SIM_DIST_NUMBER and SIM_DIST_SIZE). path is the spec's JSON path for messages
 * ("functions[2].exec_time"; NULL or "" for the root). Returns EDGE_OK; EDGE_PARSE with diag filled (its path and
 * message; file, line and column are the caller's) when the spec is
 * invalid; EDGE_NOMEM. *out is written only on success; the caller frees it
 * with sim_dist_destroy. The spec is not kept (nothing borrowed).
 * Cost: O(size of the spec).
 */
edge_err sim_dist_parse(const cJSON *spec, sim_dist_kind kind, const char *path, sim_diag *diag,
                        sim_dist **out);

/*
 * Builders for callers that have the numbers already (trace readers): a
 * constant, and an empirical distribution through the points (q[i], x[i]),
 * q cumulative probabilities from 0 to 1, strictly ascending, x not
 * decreasing (ns for durations). Return EDGE_OK with *out (caller frees with
 * sim_dist_destroy), EDGE_INVAL for points the parser would refuse, or
 * EDGE_NOMEM. Nothing borrowed.
 */
edge_err sim_dist_new_constant(double value, sim_dist_kind kind, sim_dist **out);
edge_err sim_dist_new_empirical(const double *q, const double *x, size_t n, sim_dist_kind kind,
                                sim_dist **out);

/* Frees d and its components; NULL is fine. */
void sim_dist_destroy(sim_dist *d);

/* One draw: a plain number for SIM_DIST_NUMBER (>= 0 for SIM_DIST_SIZE),
 * nanoseconds (>= 0, as a double) for SIM_DIST_DURATION. Advances r. O(1), except empirical
 * (O(log points)) and mixture (O(log components) + the component's cost). */
double sim_dist_sample(const sim_dist *d, sim_rng *r);

/* One draw of a duration distribution as edge_time: rounded to the nearest
 * ns and saturated at EDGE_TIME_MAX. For SIM_DIST_NUMBER the draw is taken
 * as ns all the same. */
edge_time sim_dist_sample_time(const sim_dist *d, sim_rng *r);

/* Prefetches what a sample of d reads (its record, and an empirical
 * distribution's points). A hint only: changes nothing; NULL ok. */
void sim_dist_prefetch(const sim_dist *d);

/* The exact mean and variance (ns and ns^2 for durations); INFINITY where
 * they do not exist (Pareto with shape <= 1 or <= 2). O(size). */
double sim_dist_mean(const sim_dist *d);
double sim_dist_variance(const sim_dist *d);

sim_dist_kind sim_dist_get_kind(const sim_dist *d);

/* True when every draw of d is the same value (type "constant": a draw
 * reads no random number), written to *value; false otherwise. O(1). */
bool sim_dist_is_constant(const sim_dist *d, double *value);

/* The spec's type name ("exponential"), a static string. */
const char *sim_dist_type_name(const sim_dist *d);

/*
 * Parses a rate "N/unit" ("4/s", "0.5/m", "120/h"; units as for durations:
 * ns us ms s m h d) into events per second. N is a decimal number > 0.
 * Errors: EDGE_INVAL for anything else, including a bare number.
 */
edge_err sim_rate_parse(const char *s, double *per_second);

#endif
