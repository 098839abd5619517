/*
 * Pins core/keepalive: fixed and none decide their ttl and never pre-warm;
 * the hybrid histogram policy (Shahrad et al. 2020) on a strictly periodic
 * function becomes representative after min_samples idle times and then
 * unloads after execution and pre-warms at 0.9 x the head (lower bin edge of
 * the 5th percentile), keeping alive to 1.1 x the tail (upper edge of the
 * 99th); driven against a real edge_runtime, hybrid reaches zero cold starts
 * once representative while fixed 10 minutes with a 60-minute period is
 * always cold; a uniform pattern falls back to the 4-hour range; out-of-bounds
 * idle times and the OOB fallback; the thresholds exactly (CV exactly 2,
 * exactly min_samples, an idle time exactly at the range); a head in the first
 * bin keeps the instance loaded; idle times with overlapping invocations;
 * unknown function indices, time going back, bad configs, names and
 * parameters from strings; allocation failure leaks nothing; the report.
 *
 * This file defines core's four allocation functions (tests/alloc_budget.h,
 * see core/alloc.h), so a test can make the Nth allocation fail.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "alloc_budget.h"
#include "keepalive.h"
#include "runtime.h"

/* ---- helpers --------------------------------------------------------------- */

static edge_keepalive *make(edge_keepalive_config cfg, size_t n)
{
    edge_keepalive *k = NULL;
    edge_err e = edge_keepalive_new(&cfg, n, &k);
    cr_assert_eq(e, EDGE_OK, "new: %s", edge_errname(e));
    return k;
}

static edge_keepalive_decision decide(edge_keepalive *k, uint32_t fn)
{
    edge_keepalive_decision d;
    cr_assert_eq(edge_keepalive_decide(k, fn, &d), EDGE_OK);
    return d;
}

static edge_keepalive_histogram_info info(edge_keepalive *k, uint32_t fn)
{
    edge_keepalive_histogram_info h;
    cr_assert_eq(edge_keepalive_histogram(k, fn, &h), EDGE_OK);
    return h;
}

/* One idle time of length idle for fn: a finish at *t, the next arrival
 * idle later (*t moves to that arrival). */
static void idle_sample(edge_keepalive *k, uint32_t fn, edge_time *t, edge_time idle)
{
    cr_assert_eq(edge_keepalive_on_finish(k, fn, *t), EDGE_OK);
    *t += idle;
    cr_assert_eq(edge_keepalive_on_arrival(k, fn, *t), EDGE_OK);
}

/* ---- fixed and none -------------------------------------------------------- */

Test(keepalive, fixed_keeps_its_ttl_and_never_prewarms)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_FIXED);
    cr_assert_eq(c.ttl, 10 * EDGE_MIN);
    c.ttl = 7 * EDGE_MIN;
    edge_keepalive *k = make(c, 2);
    edge_time t = 0;
    for (int i = 0; i < 50; i++)
        idle_sample(k, 1, &t, EDGE_HOUR);
    edge_keepalive_decision d = decide(k, 1);
    cr_assert_eq(d.keepalive, 7 * EDGE_MIN);
    cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM);
    cr_assert_eq(d.prewarm_keepalive, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_FIXED);
    cr_assert_eq(info(k, 1).samples, 0, "fixed keeps no histogram");
    edge_keepalive_free(k);
}

Test(keepalive, none_unloads_after_every_invocation)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_NONE), 1);
    edge_time t = 0;
    idle_sample(k, 0, &t, EDGE_MIN);
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.keepalive, 0);
    cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_NONE);
    edge_keepalive_free(k);
}

/* ---- hybrid on a periodic function ---------------------------------------- */

Test(keepalive, hybrid_on_a_periodic_function_prewarms_at_0_9_head_and_keeps_to_1_1_tail)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    /* period 60 min, each run 1 s: idle 59 min 59 s, in bin 59 = [59, 60) min */
    edge_time t = 0;
    for (int i = 0; i < 9; i++) {
        idle_sample(k, 0, &t, EDGE_HOUR - EDGE_S);
        edge_keepalive_decision d = decide(k, 0);
        cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_FEW_SAMPLES, "after %d samples", i + 1);
        cr_assert_eq(d.keepalive, 4 * EDGE_HOUR, "the range until the pattern is known");
        cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM);
        t += EDGE_S;
    }
    idle_sample(k, 0, &t, EDGE_HOUR - EDGE_S); /* the 10th sample */
    edge_keepalive_histogram_info h = info(k, 0);
    cr_assert_eq(h.samples, 10);
    cr_assert_eq(h.out_of_bounds, 0);
    cr_assert(h.representative);
    cr_assert_float_eq(h.cv, sqrt(239.0), 1e-9, "one full bin of 240: CV = sqrt(239)");
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    cr_assert_eq(d.keepalive, 0, "unload right after execution");
    /* head: lower edge 59 min x 0.9 = 53.1 min; tail: upper edge 60 min x 1.1 = 66 min */
    cr_assert_eq(d.prewarm_delay, 3186 * EDGE_S);
    cr_assert_eq(d.prewarm_keepalive, 66 * EDGE_MIN - 3186 * EDGE_S);
    edge_keepalive_free(k);
}

/* Drives one function on a real runtime: n arrivals every period, each
 * running dur, applying the policy's decisions the way a simulator would
 * (set the keep-alive before finish; pre-warm at finish + delay unless an
 * arrival comes first). */
typedef struct {
    uint64_t cold;            /* cold starts in all */
    uint64_t cold_after_rep;  /* after the first HISTOGRAM decision */
    int rep_at;               /* index of the invocation whose finish first got it; -1 */
    double idle_at_rep;       /* idle MB x ns when it did */
    edge_runtime_stats st;
} drive_result;

static drive_result drive(edge_keepalive_config cfg, edge_time period, edge_time dur, int n)
{
    edge_function_table *fns;
    edge_function *f;
    cr_assert_eq(edge_function_table_new(&fns), EDGE_OK);
    edge_function_spec spec = {.id = "tick", .memory_mb = 100, .timeout = EDGE_MIN};
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    cr_assert_eq(edge_function_table_add(fns, f, NULL), EDGE_OK);
    edge_runtime *rt;
    edge_runtime_config rc = edge_runtime_config_default("edge-1");
    cr_assert_eq(edge_runtime_new(fns, &rc, &rt), EDGE_OK);
    cr_assert_eq(edge_runtime_deploy_idx(rt, 0), EDGE_OK);
    edge_keepalive *k = make(cfg, 1);

    drive_result r = {.rep_at = -1};
    edge_time prewarm_at = -1, prewarm_ttl = 0;
    for (int i = 0; i < n; i++) {
        edge_time t = (edge_time)i * period;
        if (prewarm_at >= 0 && prewarm_at <= t) {
            cr_assert_eq(edge_runtime_set_keepalive_idx(rt, 0, prewarm_ttl, prewarm_at), EDGE_OK);
            cr_assert_eq(edge_runtime_warm_up_idx(rt, 0, prewarm_at), EDGE_OK);
        }
        prewarm_at = -1; /* done, or cancelled by this arrival */
        cr_assert_eq(edge_keepalive_on_arrival(k, 0, t), EDGE_OK);
        edge_start s;
        cr_assert_eq(edge_runtime_start_idx(rt, 0, t, 0, &s), EDGE_OK);
        if (s.cold) {
            r.cold++;
            if (r.rep_at >= 0)
                r.cold_after_rep++;
        }
        edge_time fin = t + dur;
        cr_assert_eq(edge_keepalive_on_finish(k, 0, fin), EDGE_OK);
        edge_keepalive_decision d = decide(k, 0);
        cr_assert_eq(edge_runtime_set_keepalive_idx(rt, 0, d.keepalive, fin), EDGE_OK);
        cr_assert_eq(edge_runtime_finish(rt, s.invocation, fin, true, NULL), EDGE_OK);
        if (d.rule == EDGE_KEEPALIVE_RULE_HISTOGRAM && r.rep_at < 0) {
            r.rep_at = i;
            r.idle_at_rep = edge_runtime_stats_total(rt).idle_mb_ns;
        }
        if (d.prewarm_delay != EDGE_KEEPALIVE_NO_PREWARM) {
            prewarm_at = fin + d.prewarm_delay;
            prewarm_ttl = d.prewarm_keepalive;
        }
    }
    r.st = edge_runtime_stats_total(rt);
    edge_keepalive_free(k);
    edge_runtime_free(rt);
    edge_function_table_free(fns);
    return r;
}

Test(keepalive, hybrid_reaches_zero_cold_starts_once_representative_on_a_runtime)
{
    int n = 30;
    drive_result r = drive(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), EDGE_HOUR,
                           EDGE_S, n);
    cr_assert_eq(r.rep_at, 10, "10 samples after the 11th invocation");
    cr_assert_eq(r.cold_after_rep, 0);
    cr_assert_eq(r.cold, 1, "only the very first start (the 4 h fallback covers the rest)");
    cr_assert_eq(r.st.warm_ups, (uint64_t)(n - 1 - r.rep_at));
    /* after that, idle only from the pre-warm (53.1 min after a finish) to
     * the arrival (59 min 59 s after it): 413 s x 100 MB per period, instead
     * of 59 min 59 s x 100 MB under the range fallback */
    double wasted = r.st.idle_mb_ns - r.idle_at_rep;
    cr_assert_float_eq(wasted, (double)(n - 1 - r.rep_at) * 413e9 * 100, 1e3);
    cr_assert_float_eq(r.idle_at_rep, 10 * 3599e9 * 100, 1e3);
}

Test(keepalive, fixed_ten_minutes_with_a_sixty_minute_period_is_always_cold)
{
    drive_result r = drive(edge_keepalive_config_default(EDGE_KEEPALIVE_FIXED), EDGE_HOUR,
                           EDGE_S, 30);
    cr_assert_eq(r.cold, 30);
    cr_assert_eq(r.st.starts, 30);
    edge_keepalive_report rep = edge_keepalive_report_of(&r.st);
    cr_assert_float_eq(rep.cold_start_pct, 100.0, 1e-12);
    cr_assert_float_eq(rep.wasted_mb_s, 29 * 600.0 * 100, 1e-6, "10 min x 100 MB after each "
                       "finish but the last (idle time counts up to the latest now)");
}

/* ---- fallbacks -------------------------------------------------------------- */

Test(keepalive, a_uniform_pattern_is_not_representative_and_keeps_the_range)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    uint64_t x = 88172645463325252ULL; /* xorshift64, fixed seed */
    edge_time t = 0;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        idle_sample(k, 0, &t, (edge_time)(x % (uint64_t)(4 * EDGE_HOUR)));
    }
    edge_keepalive_histogram_info h = info(k, 0);
    cr_assert_eq(h.samples, 2000);
    cr_assert_eq(h.out_of_bounds, 0);
    cr_assert_lt(h.cv, 1.0);
    cr_assert(!h.representative);
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_NOT_REPRESENTATIVE);
    cr_assert_eq(d.keepalive, 4 * EDGE_HOUR);
    cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM);
    edge_keepalive_free(k);
}

Test(keepalive, idle_times_at_or_beyond_the_range_are_out_of_bounds)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    edge_time t = 0;
    idle_sample(k, 0, &t, 4 * EDGE_HOUR - 1); /* last bin */
    idle_sample(k, 0, &t, 4 * EDGE_HOUR);     /* exactly the range: out */
    idle_sample(k, 0, &t, 5 * EDGE_HOUR);
    edge_keepalive_histogram_info h = info(k, 0);
    cr_assert_eq(h.samples, 3);
    cr_assert_eq(h.out_of_bounds, 2);
    edge_keepalive_free(k);
}

Test(keepalive, mostly_out_of_bounds_idle_times_take_the_documented_fallback)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    edge_time t = 0;
    /* 5 in range (all in one bin: representative on their own), 5 out:
     * exactly oob_max = 0.5 is still the histogram rule */
    for (int i = 0; i < 5; i++)
        idle_sample(k, 0, &t, 30 * EDGE_MIN);
    for (int i = 0; i < 5; i++)
        idle_sample(k, 0, &t, 6 * EDGE_HOUR);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    idle_sample(k, 0, &t, 6 * EDGE_HOUR); /* 6 of 11 out */
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_OUT_OF_BOUNDS);
    cr_assert_eq(d.keepalive, 4 * EDGE_HOUR);
    cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM);
    cr_assert(!info(k, 0).representative);
    edge_keepalive_free(k);
}

Test(keepalive, with_a_forecast_out_of_bounds_functions_are_prewarmed_around_the_forecast)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    c.forecast_alpha = 0.5;
    edge_keepalive *k = make(c, 1);
    edge_time t = 0;
    /* ten idle times of 6 h (all beyond the 4 h range), then one of 8 h: the
     * mean weighted by 0.5 is 0.5 x 8 + 0.5 x 6 = 7 h; margin 10%: pre-warm
     * at 6.3 h, keep until 7.7 h */
    for (int i = 0; i < 10; i++)
        idle_sample(k, 0, &t, 6 * EDGE_HOUR);
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_FORECAST);
    cr_assert_eq(d.prewarm_delay, 6 * EDGE_HOUR * 9 / 10);
    idle_sample(k, 0, &t, 8 * EDGE_HOUR);
    d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_FORECAST);
    cr_assert_eq(d.keepalive, 0);
    cr_assert_eq(d.prewarm_delay, 7 * EDGE_HOUR * 9 / 10);
    cr_assert_eq(d.prewarm_keepalive, 7 * EDGE_HOUR * 11 / 10 - 7 * EDGE_HOUR * 9 / 10);
    cr_assert_str_eq(edge_keepalive_rule_name(d.rule), "forecast");
    edge_keepalive_free(k);
    /* alpha 0 (the default) keeps the range fallback; alpha above 1 is refused */
    c.forecast_alpha = 1.5;
    cr_assert_eq(edge_keepalive_config_validate(&c), EDGE_RANGE);
    cr_assert_eq(edge_keepalive_config_set(&c, "forecast_alpha", "0.25"), EDGE_OK);
    cr_assert_float_eq(c.forecast_alpha, 0.25, 0);
}

/* ---- thresholds exactly ----------------------------------------------------- */

/* 240 bins, m of them holding one sample each: CV^2 = 240/m - 1, so m = 48
 * gives CV exactly 2. */
static edge_keepalive *spread_over(uint32_t m)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    edge_time t = 0;
    for (uint32_t i = 0; i < m; i++)
        idle_sample(k, 0, &t, (edge_time)i * EDGE_MIN + 30 * EDGE_S);
    return k;
}

Test(keepalive, a_cv_of_exactly_two_is_representative)
{
    edge_keepalive *k = spread_over(48);
    edge_keepalive_histogram_info h = info(k, 0);
    cr_assert_float_eq(h.cv, 2.0, 1e-12);
    cr_assert(h.representative);
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    /* head: rank ceil(0.05 x 48) = 3 -> bin 2, lower edge 2 min -> 108 s;
     * tail: rank ceil(0.99 x 48) = 48 -> bin 47, upper edge 48 min -> 52.8 min */
    cr_assert_eq(d.prewarm_delay, 108 * EDGE_S);
    cr_assert_eq(d.prewarm_keepalive, 3168 * EDGE_S - 108 * EDGE_S);
    cr_assert_eq(d.keepalive, 0);
    edge_keepalive_free(k);
}

Test(keepalive, a_cv_just_below_two_is_not_representative)
{
    edge_keepalive *k = spread_over(49);
    cr_assert_lt(info(k, 0).cv, 2.0);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_NOT_REPRESENTATIVE);
    edge_keepalive_free(k);
}

Test(keepalive, exactly_min_samples_is_enough)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    c.min_samples = 4;
    edge_keepalive *k = make(c, 1);
    edge_time t = 0;
    for (int i = 0; i < 3; i++)
        idle_sample(k, 0, &t, 10 * EDGE_MIN);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_FEW_SAMPLES);
    idle_sample(k, 0, &t, 10 * EDGE_MIN);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_HISTOGRAM, "the cached decision "
                 "is refreshed by the new sample");
    edge_keepalive_free(k);
}

Test(keepalive, a_head_in_the_first_bin_keeps_the_instance_loaded)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    edge_time t = 0;
    for (int i = 0; i < 10; i++)
        idle_sample(k, 0, &t, 20 * EDGE_S);
    edge_keepalive_decision d = decide(k, 0);
    cr_assert_eq(d.rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    cr_assert_eq(d.prewarm_delay, EDGE_KEEPALIVE_NO_PREWARM, "a pre-warm at 0 is no unload");
    cr_assert_eq(d.keepalive, 66 * EDGE_S, "1.1 x the upper edge of bin 0");
    edge_keepalive_free(k);
}

/* ---- idle time bookkeeping --------------------------------------------------- */

Test(keepalive, idle_time_runs_from_the_latest_finish_to_the_next_arrival)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    c.min_samples = 1;
    edge_keepalive *k = make(c, 1);
    /* two overlapping invocations: arrivals at 0 and 1 min (the second
     * records nothing: no finish yet), finishes at 5 and 3 min (out of
     * order), next arrival at 20 min: idle 15 min, from the 5-min finish */
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, 0), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, EDGE_MIN), EDGE_OK);
    cr_assert_eq(info(k, 0).samples, 0);
    cr_assert_eq(edge_keepalive_on_finish(k, 0, 5 * EDGE_MIN), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_finish(k, 0, 3 * EDGE_MIN), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, 20 * EDGE_MIN), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, 21 * EDGE_MIN), EDGE_OK);
    cr_assert_eq(info(k, 0).samples, 1, "one sample per finish-then-arrival");
    edge_keepalive_decision d = decide(k, 0);
    /* bin 15: head 15 min x 0.9 = 13.5 min, tail 16 min x 1.1 = 17.6 min */
    cr_assert_eq(d.prewarm_delay, 810 * EDGE_S);
    cr_assert_eq(d.prewarm_keepalive, 1056 * EDGE_S - 810 * EDGE_S);
    edge_keepalive_free(k);
}

Test(keepalive, functions_keep_separate_histograms)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 3);
    edge_time t = 0;
    for (int i = 0; i < 10; i++)
        idle_sample(k, 2, &t, 30 * EDGE_MIN);
    cr_assert_eq(info(k, 2).samples, 10);
    cr_assert_eq(info(k, 0).samples, 0);
    cr_assert_eq(decide(k, 2).rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_FEW_SAMPLES);
    edge_keepalive_free(k);
}

/* ---- misuse ------------------------------------------------------------------ */

Test(keepalive, an_unknown_function_index_is_not_found)
{
    edge_keepalive_type types[] = {EDGE_KEEPALIVE_FIXED, EDGE_KEEPALIVE_NONE,
                                   EDGE_KEEPALIVE_HYBRID};
    for (size_t i = 0; i < 3; i++) {
        edge_keepalive *k = make(edge_keepalive_config_default(types[i]), 2);
        edge_keepalive_decision d = {.keepalive = 42};
        edge_keepalive_histogram_info h;
        cr_assert_eq(edge_keepalive_on_arrival(k, 2, 0), EDGE_NOT_FOUND);
        cr_assert_eq(edge_keepalive_on_finish(k, 2, 0), EDGE_NOT_FOUND);
        cr_assert_eq(edge_keepalive_decide(k, 2, &d), EDGE_NOT_FOUND);
        cr_assert_eq(d.keepalive, 42, "untouched on error");
        cr_assert_eq(edge_keepalive_histogram(k, UINT32_MAX, &h), EDGE_NOT_FOUND);
        cr_assert_eq(edge_keepalive_decide(k, 0, NULL), EDGE_INVAL);
        edge_keepalive_free(k);
    }
    edge_keepalive *k0 = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 0);
    cr_assert_eq(edge_keepalive_on_arrival(k0, 0, 0), EDGE_NOT_FOUND);
    edge_keepalive_free(k0);
    cr_assert_eq(edge_keepalive_on_arrival(NULL, 0, 0), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_on_finish(NULL, 0, 0), EDGE_INVAL);
    edge_keepalive_free(NULL);
}

Test(keepalive, an_arrival_before_the_latest_finish_is_refused_and_changes_nothing)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    cr_assert_eq(edge_keepalive_on_finish(k, 0, 10 * EDGE_MIN), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, 10 * EDGE_MIN - 1), EDGE_RANGE);
    cr_assert_eq(info(k, 0).samples, 0);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, 10 * EDGE_MIN), EDGE_OK, "idle 0 is fine");
    cr_assert_eq(info(k, 0).samples, 1);
    edge_keepalive_free(k);
}

Test(keepalive, bad_configs_are_rejected)
{
    edge_keepalive *k = NULL;
    edge_keepalive_config c;
#define REJECT(expr, code)                                                                  \
    do {                                                                                    \
        c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);                           \
        expr;                                                                               \
        cr_assert_eq(edge_keepalive_config_validate(&c), code, "%s", #expr);                \
        cr_assert_eq(edge_keepalive_new(&c, 1, &k), code, "%s", #expr);                     \
        cr_assert_null(k);                                                                  \
    } while (0)
    REJECT(c.bins = 0, EDGE_RANGE);
    REJECT(c.bins = EDGE_KEEPALIVE_MAX_BINS + 1, EDGE_RANGE);
    REJECT(c.bin_width = 0, EDGE_RANGE);
    REJECT(c.bin_width = -EDGE_MIN, EDGE_RANGE);
    REJECT(c.bin_width = EDGE_TIME_MAX / 2, EDGE_RANGE); /* range overflows */
    REJECT(c.cv_threshold = -1, EDGE_RANGE);
    REJECT(c.cv_threshold = NAN, EDGE_RANGE);
    REJECT(c.cv_threshold = INFINITY, EDGE_RANGE);
    REJECT(c.min_samples = 0, EDGE_RANGE);
    REJECT(c.margin = 1, EDGE_RANGE);
    REJECT(c.margin = -0.1, EDGE_RANGE);
    REJECT(c.margin = NAN, EDGE_RANGE);
    REJECT(c.oob_max = 1.5, EDGE_RANGE);
    REJECT(c.oob_max = NAN, EDGE_RANGE);
    REJECT((c.type = EDGE_KEEPALIVE_FIXED, c.ttl = -1), EDGE_RANGE);
    REJECT(c.type = (edge_keepalive_type)7, EDGE_INVAL);
#undef REJECT
    c = edge_keepalive_config_default(EDGE_KEEPALIVE_FIXED);
    c.bins = 0; /* another type's parameter: ignored */
    cr_assert_eq(edge_keepalive_config_validate(&c), EDGE_OK);
    cr_assert_eq(edge_keepalive_new(NULL, 1, &k), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_new(&c, 1, NULL), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_new(&c, (size_t)EDGE_KEEPALIVE_MAX_FUNCTIONS + 1, &k),
                 EDGE_LIMIT);
    cr_assert_eq(edge_keepalive_config_validate(NULL), EDGE_INVAL);
}

Test(keepalive, names_and_parameters_come_from_strings)
{
    edge_keepalive_type ty;
    for (int i = 0; i <= EDGE_KEEPALIVE_HYBRID; i++) {
        cr_assert_eq(edge_keepalive_type_parse(edge_keepalive_type_name(i), &ty), EDGE_OK);
        cr_assert_eq((int)ty, i);
    }
    cr_assert_str_eq(edge_keepalive_type_name(EDGE_KEEPALIVE_HYBRID), "hybrid");
    cr_assert_str_eq(edge_keepalive_type_name((edge_keepalive_type)9), "unknown");
    cr_assert_eq(edge_keepalive_type_parse("Hybrid", &ty), EDGE_NOT_FOUND);
    cr_assert_eq(edge_keepalive_type_parse(NULL, &ty), EDGE_INVAL);
    cr_assert_str_eq(edge_keepalive_rule_name(EDGE_KEEPALIVE_RULE_OUT_OF_BOUNDS),
                     "out_of_bounds");
    cr_assert_str_eq(edge_keepalive_rule_name((edge_keepalive_rule)99), "unknown");

    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    cr_assert_eq(edge_keepalive_range(&c), 4 * EDGE_HOUR);
    cr_assert_eq(edge_keepalive_config_set(&c, "bins", "120"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "bin_width", "30s"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "cv_threshold", "1.5"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "min_samples", "20"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "margin", "0.2"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "oob_max", "0.25"), EDGE_OK);
    cr_assert_eq(edge_keepalive_config_set(&c, "ttl", "5m"), EDGE_OK);
    cr_assert_eq(c.bins, 120);
    cr_assert_eq(c.bin_width, 30 * EDGE_S);
    cr_assert_float_eq(c.cv_threshold, 1.5, 0);
    cr_assert_eq(c.min_samples, 20);
    cr_assert_float_eq(c.margin, 0.2, 0);
    cr_assert_float_eq(c.oob_max, 0.25, 0);
    cr_assert_eq(c.ttl, 5 * EDGE_MIN);
    cr_assert_eq(edge_keepalive_range(&c), EDGE_HOUR);

    edge_keepalive_config before = c;
    cr_assert_eq(edge_keepalive_config_set(&c, "ttl", "5"), EDGE_INVAL, "a bare number");
    cr_assert_eq(edge_keepalive_config_set(&c, "ttl", "-5m"), EDGE_RANGE);
    cr_assert_eq(edge_keepalive_config_set(&c, "bins", "-3"), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_config_set(&c, "bins", "12x"), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_config_set(&c, "bins", "99999999999"), EDGE_RANGE);
    cr_assert_eq(edge_keepalive_config_set(&c, "margin", "abc"), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_config_set(&c, "margin", ""), EDGE_INVAL);
    cr_assert_eq(edge_keepalive_config_set(&c, "margin", "-0.1"), EDGE_RANGE);
    cr_assert_eq(edge_keepalive_config_set(&c, "colour", "red"), EDGE_NOT_FOUND);
    cr_assert_eq(edge_keepalive_config_set(&c, NULL, "1"), EDGE_INVAL);
    /* field by field: the struct's padding bytes are indeterminate */
    cr_assert(c.type == before.type && c.ttl == before.ttl && c.bins == before.bins &&
                  c.bin_width == before.bin_width && c.cv_threshold == before.cv_threshold &&
                  c.min_samples == before.min_samples && c.margin == before.margin &&
                  c.oob_max == before.oob_max,
              "untouched by the failures");
}

/* ---- allocation failure -------------------------------------------------------- */

Test(keepalive, allocation_failure_at_every_step_leaks_nothing)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    for (long n = 0;; n++) {
        edge_keepalive *k = NULL;
        alloc_budget = n;
        edge_err e = edge_keepalive_new(&c, 4, &k);
        alloc_budget = -1;
        if (e == EDGE_OK) {
            cr_assert_geq(n, 3, "three allocations: object, states, counts");
            edge_keepalive_free(k);
            break;
        }
        cr_assert_eq(e, EDGE_NOMEM);
        cr_assert_null(k);
    }
}

/* ---- reporting -------------------------------------------------------------- */

Test(keepalive, the_report_gives_cold_start_percentage_and_wasted_memory)
{
    edge_runtime_stats a = {.starts = 8, .cold_starts = 2, .idle_mb_ns = 5e9 * 100};
    edge_runtime_stats b = {.starts = 2, .cold_starts = 2, .idle_mb_ns = 1e9};
    edge_keepalive_report r = edge_keepalive_report_of(&a);
    cr_assert_float_eq(r.cold_start_pct, 25.0, 1e-12);
    cr_assert_float_eq(r.wasted_mb_s, 500.0, 1e-9);
    edge_keepalive_report rb = edge_keepalive_report_of(&b);
    edge_keepalive_report_add(&r, &rb);
    cr_assert_eq(r.starts, 10);
    cr_assert_float_eq(r.cold_start_pct, 40.0, 1e-12);
    cr_assert_float_eq(r.wasted_mb_s, 501.0, 1e-9);
    edge_runtime_stats none = {0};
    cr_assert_float_eq(edge_keepalive_report_of(&none).cold_start_pct, 0.0, 0);
}

/* ---- more ------------------------------------------------------------------ */

Test(keepalive, the_config_is_copied)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    c.min_samples = 3;
    edge_keepalive *k = make(c, 1);
    c.min_samples = 99;
    cr_assert_eq(edge_keepalive_get_config(k).min_samples, 3);
    cr_assert_eq(edge_keepalive_get_config(k).type, EDGE_KEEPALIVE_HYBRID);
    edge_keepalive_free(k);
}

Test(keepalive, the_decision_follows_a_pattern_that_stops_being_periodic)
{
    edge_keepalive *k = make(edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID), 1);
    edge_time t = 0;
    for (int i = 0; i < 10; i++)
        idle_sample(k, 0, &t, 30 * EDGE_MIN);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_HISTOGRAM);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_HISTOGRAM, "cached, same answer");
    for (uint32_t b = 0; b < 240; b++) /* one in every bin flattens it */
        idle_sample(k, 0, &t, (edge_time)b * EDGE_MIN);
    cr_assert_eq(decide(k, 0).rule, EDGE_KEEPALIVE_RULE_NOT_REPRESENTATIVE);
    cr_assert_eq(decide(k, 0).keepalive, 4 * EDGE_HOUR);
    edge_keepalive_free(k);
}

Test(keepalive, extreme_times_do_not_overflow_the_idle_time)
{
    edge_keepalive_config c = edge_keepalive_config_default(EDGE_KEEPALIVE_HYBRID);
    c.min_samples = 1;
    edge_keepalive *k = make(c, 1);
    cr_assert_eq(edge_keepalive_on_finish(k, 0, INT64_MIN + 1), EDGE_OK);
    cr_assert_eq(edge_keepalive_on_arrival(k, 0, EDGE_TIME_MAX), EDGE_OK);
    edge_keepalive_histogram_info h = info(k, 0);
    cr_assert_eq(h.samples, 1);
    cr_assert_eq(h.out_of_bounds, 1);
    edge_keepalive_free(k);
}
