/*
 * keepalive.h — keep-alive and pre-warming policies: how long a function's
 * instance stays loaded after an invocation, and whether to load one again
 * ahead of the next arrival.
 *
 * The module only decides; it keeps no clock, draws no random number, does no
 * I/O and holds no global state. The caller (the simulator, or a platform)
 * reports two events per function — an invocation arrived, an invocation
 * finished — and, after each finish, asks for a decision, which it applies to
 * the node's runtime (core/runtime.h): edge_runtime_set_keepalive_idx() with
 * decision.keepalive before edge_runtime_finish(); then, if the decision asks
 * for a pre-warm, at finish + prewarm_delay set the keep-alive to
 * prewarm_keepalive and edge_runtime_warm_up_idx() (a caller cancels that
 * pre-warm when an invocation of the function arrives first).
 *
 * Policies (edge_keepalive_type):
 *   fixed  keep every instance loaded for ttl after each invocation; never
 *          pre-warm. The classic platform default (10 minutes).
 *   none   ttl 0: unload right after each invocation (every start is cold).
 *   hybrid the hybrid histogram policy of Shahrad et al., "Serverless in the
 *          Wild" (USENIX ATC 2020), below.
 *
 * Hybrid, per function. The idle time of a function is the time from an
 * invocation's finish to the function's next arrival. When several
 * invocations run at once, the sample is taken at the first arrival after a
 * finish and measured from the latest finish before it; an arrival with no
 * finish since the previous sample (the first arrival, or one that overlaps a
 * running invocation) records nothing. Idle times go into a histogram of
 * `bins` bins of `bin_width` (defaults: 240 bins of 1 minute, so the range is
 * 4 hours); bin i holds [i*w, (i+1)*w). Idle times >= range are counted as
 * out of bounds (OOB) and are in no bin. After each finish the decision is:
 *   1. fewer than min_samples samples (default 10, OOB included): the pattern
 *      is unknown: keep-alive = range (4 h), no pre-warm (the paper's
 *      fallback for a function it knows nothing about).
 *   2. more than oob_max (default 0.5) of the samples are OOB: the paper
 *      forecasts the next idle time with ARIMA. With forecast_alpha > 0 this
 *      module forecasts it with a simpler model, documented: the
 *      exponentially weighted mean of the function's idle times (OOB ones
 *      included, exact), F = alpha * idle + (1 - alpha) * F, F starting at the
 *      first idle time. The decision is then the histogram rule's with head =
 *      tail = F: pre-warm at F * (1 - margin), keep until F * (1 + margin)
 *      (keep-alive 0; when F * (1 - margin) is 0, keep-alive F * (1 + margin)
 *      and no pre-warm). With forecast_alpha = 0 (the default) it keeps the
 *      fallback of 1, keep-alive = range, no pre-warm: a function whose idle
 *      times are all beyond the range is then always cold and wastes `range`
 *      of memory per invocation.
 *   3. the histogram is representative — the coefficient of variation (CV,
 *      population standard deviation over mean) of the `bins` bin counts is
 *      at least cv_threshold (default 2; a CV exactly at the threshold
 *      counts) — then with head = 5th percentile and tail = 99th percentile
 *      of the in-range idle times:
 *        prewarm_delay     = head * (1 - margin)          (margin 10%)
 *        keep-alive until    tail * (1 + margin) after the finish, so
 *        prewarm_keepalive = tail * (1 + margin) - prewarm_delay
 *        keepalive         = 0 (unload right after execution).
 *      When prewarm_delay is 0 (head in the first bin) the paper keeps the
 *      instance loaded instead: keepalive = tail * (1 + margin), no pre-warm.
 *   4. otherwise (not representative): as 1, keep-alive = range.
 * Percentiles come from the bin counts alone, nearest rank over the in-range
 * samples (the q-percentile is in the first bin whose cumulative count
 * reaches ceil(q * n)). The head takes that bin's LOWER edge and the tail its
 * UPPER edge, so that the pre-warm comes no later and the keep-alive ends no
 * earlier than any idle time in those bins allows: with upper edges for both
 * a function re-invoked within the first minute would be unloaded and
 * pre-warmed only after 54 s, and always be cold. Times are rounded to the
 * nearest nanosecond.
 *
 * Costs. on_arrival and on_finish are O(1) (one bin count and a running sum
 * of squared counts, which makes the CV test O(1)). decide is O(1) for fixed
 * and none and when the function has no new sample since its last decision;
 * otherwise O(bins) for the two percentiles, and the result is cached until
 * the next sample. Memory: bins * 8 bytes per function (about 2 KB with the
 * defaults), allocated once by edge_keepalive_new; nothing allocates after.
 *
 * Limits. Bin counts and their running sum of squares are 64-bit: exact up
 * to 2^32 samples in one bin of one function (four billion idle times),
 * beyond which the CV test would overflow; a run that long should use a
 * fresh policy object per measurement window.
 */
#ifndef EDGE_KEEPALIVE_H
#define EDGE_KEEPALIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "runtime.h"
#include "time.h"

/* Most bins a hybrid histogram may have: each costs 8 bytes per function,
 * and a decision walks them; 1-second bins over a day fit. */
#define EDGE_KEEPALIVE_MAX_BINS 100000

/* Most functions one policy object tracks (the function table's scale). */
#define EDGE_KEEPALIVE_MAX_FUNCTIONS (1u << 24)

/* prewarm_delay of a decision that does not pre-warm. */
#define EDGE_KEEPALIVE_NO_PREWARM ((edge_time)-1)

typedef enum {
    EDGE_KEEPALIVE_FIXED,
    EDGE_KEEPALIVE_NONE,
    EDGE_KEEPALIVE_HYBRID
} edge_keepalive_type;

/* Which rule produced a decision (for reports and tests). */
typedef enum {
    EDGE_KEEPALIVE_RULE_FIXED,        /* fixed ttl */
    EDGE_KEEPALIVE_RULE_NONE,         /* ttl 0 */
    EDGE_KEEPALIVE_RULE_FEW_SAMPLES,  /* hybrid 1: keep-alive = range */
    EDGE_KEEPALIVE_RULE_OUT_OF_BOUNDS,/* hybrid 2: keep-alive = range */
    EDGE_KEEPALIVE_RULE_HISTOGRAM,    /* hybrid 3: from the percentiles */
    EDGE_KEEPALIVE_RULE_NOT_REPRESENTATIVE, /* hybrid 4: keep-alive = range */
    EDGE_KEEPALIVE_RULE_FORECAST      /* hybrid 2 with forecast_alpha > 0: from the forecast */
} edge_keepalive_rule;

/* A policy's parameters. A plain value; edge_keepalive_config_default()
 * fills the defaults of a type, edge_keepalive_config_set() changes one. */
typedef struct {
    edge_keepalive_type type;
    edge_time ttl;          /* fixed: keep-alive, >= 0 (default 10 min) */
    uint32_t bins;          /* hybrid: number of bins, 1..MAX_BINS (240) */
    edge_time bin_width;    /* hybrid: > 0 (1 min); range = bins * bin_width */
    double cv_threshold;    /* hybrid: representative when CV >= this, >= 0 (2) */
    uint64_t min_samples;   /* hybrid: fewer samples = unknown pattern, >= 1 (10) */
    double margin;          /* hybrid: head * (1 - m), tail * (1 + m), [0, 1) (0.1) */
    double oob_max;         /* hybrid: OOB fraction above which rule 2, [0, 1] (0.5) */
    double forecast_alpha;  /* hybrid rule 2: weight of the idle-time forecast, [0, 1];
                               0 (default): no forecast, keep-alive = range */
} edge_keepalive_config;

/* What to do after an invocation of a function finished. All times are
 * durations from that finish, except the keep-alives, which are TTLs. */
typedef struct {
    edge_time keepalive;         /* TTL of the instance that just finished (0 = unload) */
    edge_time prewarm_delay;     /* when to pre-warm one instance after the finish,
                                    EDGE_KEEPALIVE_NO_PREWARM when none */
    edge_time prewarm_keepalive; /* TTL of that pre-warmed instance; 0 when none */
    edge_keepalive_rule rule;
} edge_keepalive_decision;

/* What the hybrid histogram of one function holds (all zero for fixed and
 * none, which keep no histogram). */
typedef struct {
    uint64_t samples;            /* idle times recorded, OOB included */
    uint64_t out_of_bounds;      /* of which >= range */
    double cv;                   /* of the bin counts; 0 when no in-range sample */
    bool representative;         /* rule 3 applies */
} edge_keepalive_histogram_info;

typedef struct edge_keepalive edge_keepalive;

/* The defaults of a type (see edge_keepalive_config above); an unknown type
 * gets the defaults with that type, which validation then rejects. */
edge_keepalive_config edge_keepalive_config_default(edge_keepalive_type type);

/* The policy name of a type ("fixed", "none", "hybrid"); "unknown" outside
 * the enum. A static string, never NULL. */
const char *edge_keepalive_type_name(edge_keepalive_type type);

/* The type named name, exactly as edge_keepalive_type_name() spells it.
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (no such policy); *out untouched. */
edge_err edge_keepalive_type_parse(const char *name, edge_keepalive_type *out);

/* The name of a rule ("fixed", "none", "few_samples", "out_of_bounds",
 * "histogram", "not_representative"); "unknown" outside the enum. */
const char *edge_keepalive_rule_name(edge_keepalive_rule rule);

/*
 * Sets one parameter of cfg from its text form, as a scenario file or --set
 * gives it: "ttl" and "bin_width" are durations with a unit ("10m"); "bins"
 * and "min_samples" decimal integers; "cv_threshold", "margin", "oob_max" and
 * "forecast_alpha"
 * decimal numbers. Only the value's syntax and sign are checked here; the
 * whole config is checked by edge_keepalive_config_validate().
 * Errors: EDGE_INVAL (NULL argument, malformed value), EDGE_NOT_FOUND (no such
 * key), EDGE_RANGE (value does not fit); cfg untouched on error.
 */
edge_err edge_keepalive_config_set(edge_keepalive_config *cfg, const char *key, const char *value);

/*
 * Checks a config: known type; fixed: ttl >= 0; hybrid: 1 <= bins <=
 * EDGE_KEEPALIVE_MAX_BINS, bin_width > 0 and bins * bin_width fits, finite
 * cv_threshold >= 0, min_samples >= 1, margin in [0, 1), oob_max and forecast_alpha
 * in [0, 1].
 * Parameters of other types are ignored. Errors: EDGE_INVAL (NULL, unknown
 * type), EDGE_RANGE (a parameter out of range).
 */
edge_err edge_keepalive_config_validate(const edge_keepalive_config *cfg);

/* bins * bin_width: the hybrid histogram's range (0 for a config that does
 * not validate as hybrid). */
edge_time edge_keepalive_range(const edge_keepalive_config *cfg);

/*
 * A new policy for functions 0 .. nfunctions-1 (the function table's
 * indices), in *out, owned by the caller (edge_keepalive_free). Copies cfg.
 * Errors: EDGE_INVAL (NULL cfg or out, unknown type), EDGE_RANGE (a bad
 * parameter, see validate), EDGE_LIMIT (nfunctions > MAX_FUNCTIONS),
 * EDGE_NOMEM. *out untouched on error.
 */
edge_err edge_keepalive_new(const edge_keepalive_config *cfg, size_t nfunctions,
                            edge_keepalive **out);

/* Frees the policy. Accepts NULL. */
void edge_keepalive_free(edge_keepalive *k);

/* The policy's config (a copy of what new was given); k must not be NULL. */
edge_keepalive_config edge_keepalive_get_config(const edge_keepalive *k);

/*
 * An invocation of function fn arrived at now. Records the idle time since
 * the latest finish, if one finished since the previous sample (see above).
 * Per function, now must not go back before its latest finish.
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (fn >= nfunctions), EDGE_RANGE
 * (now before the function's latest finish); nothing changes on error. O(1).
 */
edge_err edge_keepalive_on_arrival(edge_keepalive *k, uint32_t fn, edge_time now);

/*
 * An invocation of function fn finished at now: the function's latest
 * finish becomes max(latest, now). Errors: EDGE_INVAL, EDGE_NOT_FOUND. O(1).
 */
edge_err edge_keepalive_on_finish(edge_keepalive *k, uint32_t fn, edge_time now);

/*
 * The decision for function fn after its latest finish, into *out. Not
 * const: the hybrid policy caches the decision until the next sample.
 * Errors: EDGE_INVAL (NULL), EDGE_NOT_FOUND (fn >= nfunctions); *out
 * untouched on error. O(1), or O(bins) after a new sample (hybrid).
 */
edge_err edge_keepalive_decide(edge_keepalive *k, uint32_t fn, edge_keepalive_decision *out);

/* What function fn's histogram holds, into *out. Errors: EDGE_INVAL,
 * EDGE_NOT_FOUND. O(1). */
edge_err edge_keepalive_histogram(const edge_keepalive *k, uint32_t fn,
                                  edge_keepalive_histogram_info *out);

/* ---- Reporting ---------------------------------------------------------- */

/* The two axes on which keep-alive policies are compared. A plain value. */
typedef struct {
    uint64_t starts, cold_starts;
    double cold_start_pct;       /* 100 * cold / starts; 0 when no start */
    double wasted_mb_s;          /* idle instance memory time, MB x seconds */
} edge_keepalive_report;

/* The report of runtime counters (one function's on one node, or a node's
 * total). Never fails. */
edge_keepalive_report edge_keepalive_report_of(const edge_runtime_stats *st);

/* Adds the counters of b into a (for a function over all nodes, or overall),
 * recomputing the percentage. Never fails. */
void edge_keepalive_report_add(edge_keepalive_report *a, const edge_keepalive_report *b);

#endif
