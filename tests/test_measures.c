/* Pins sim/model/measures and what a run reports from it (docs/semantics.md,
 * "Warm-up and the end of the run"; docs/outputs.md, "queueing", "instances",
 * "steady_state"): the warm-up boundary, invocations in flight at the end,
 * waiting and service times, P(wait), cold-start delay, instance counts and
 * lifespans on hand-worked traces, the batch-means interval against GSL-free
 * hand arithmetic, and the crash accounting fix (every crash is detected,
 * missed or undetected). */
#include <math.h>

#include "model/measures.h"
#include "support.h"

static cJSON *run(const char *text)
{
    return run_into_tmp("/tmp/edgesim-measures-XXXXXX", text, NULL, 0, 0);
}

/* One node with one slot, no network latency; function f (exec EXEC, cold
 * start COLD); arrivals at the listed times; top-level and policy extras. */
#define ONE(top, exec, cold, times, policies)                                                      \
    "{\"name\": \"m\", \"seed\": 1, " top ","                                                    \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 100}],"         \
    "\"functions\": [{\"id\": \"f\", \"timeout\": \"1h\","                                         \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"" cold "\"},"                         \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"" exec "\"}}],"                        \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\","             \
    "  \"times\": [" times "]}], \"policies\": {" policies "}}"

Test(measures, three_requests_at_once_wait_in_line_on_one_slot, .fini = cleanup)
{
    /* Three arrivals at 0 s, one slot, 1 s executions, a 0.5 s cold start:
     * the first starts cold at 0 (runs 0.5..1.5), the second starts warm at
     * 1.5 (..2.5), the third at 2.5 (..3.5). Wq = (0 + 1.5 + 2.5) / 3,
     * P(wait) = 2/3, service 1 s, cold delay 0.5 s. One instance from 0 to
     * its expiry at 3.5 + 2 s TTL = 5.5 s in a 10 s run: 0.55 instances, 0.35
     * busy, 0.2 idle, lifespan 5.5 s. */
    cJSON *j = run(ONE("\"duration\": \"10s\"", "1s", "500ms", "\"0s\", \"0s\", \"0s\"",
                       "\"keepalive_ttl\": \"2s\""));
    cr_expect_float_eq(get(j, "queueing.wait_mean_s"), 4.0 / 3.0, 1e-9);
    cr_expect_float_eq(get(j, "queueing.p_wait"), 2.0 / 3.0, 1e-12);
    cr_expect_float_eq(get(j, "queueing.service_mean_s"), 1.0, 1e-9);
    cr_expect_float_eq(get(j, "queueing.cold_start_delay_mean_s"), 0.5, 1e-9);
    cr_expect_eq(get(j, "queueing.count"), 3);
    cr_expect_float_eq(get(j, "instances.mean"), 0.55, 1e-9);
    cr_expect_float_eq(get(j, "instances.busy_mean"), 0.35, 1e-9);
    cr_expect_float_eq(get(j, "instances.idle_mean"), 0.2, 1e-9);
    cr_expect_eq(get(j, "instances.created"), 1);
    cr_expect_eq(get(j, "instances.removed"), 1);
    cr_expect_float_eq(get(j, "instances.lifespan_mean_s"), 5.5, 1e-9);
    cr_expect_float_eq(get(j, "functions.f.wait_mean_s"), 4.0 / 3.0, 1e-9);
    cr_expect_float_eq(get(j, "functions.f.instances.mean"), 0.55, 1e-9);
    /* Both cold-start probabilities: 1 cold of 3 started, of 3 arrivals. */
    cr_expect_float_eq(get(j, "rates.cold_start_rate"), 1.0 / 3.0, 1e-12);
    cr_expect_float_eq(get(j, "rates.cold_start_per_arrival"), 1.0 / 3.0, 1e-12);
    cJSON_Delete(j);
}

Test(measures, cold_per_arrival_counts_rejections_and_cold_per_start_does_not,
     .fini = cleanup)
{
    /* queue_limit 0 through --set: of three arrivals at 0 s one starts (cold),
     * two are rejected (queue_full). cold / started = 1, cold / arrivals = 1/3. */
    const char *sets[] = {"nodes[0].queue_limit=0"};
    cJSON *j = run_into_tmp("/tmp/edgesim-measures-XXXXXX",
                            ONE("\"duration\": \"10s\"", "1s", "0s", "\"0s\", \"0s\", \"0s\"", ""),
                            sets, 1, 0);
    cr_expect_eq(get(j, "outcomes.queue_full"), 2);
    cr_expect_float_eq(get(j, "rates.cold_start_rate"), 1.0, 1e-12);
    cr_expect_float_eq(get(j, "rates.cold_start_per_arrival"), 1.0 / 3.0, 1e-12);
    cr_expect_float_eq(get(j, "functions.f.cold_start_per_arrival"), 1.0 / 3.0, 1e-12);
    cJSON_Delete(j);
}

Test(measures, the_warm_up_counts_arrivals_from_exactly_its_instant, .fini = cleanup)
{
    /* Arrivals at 1, 4.999999999, 5 and 7 s with a 5 s warm-up: the last
     * two count (5 s is at the warm-up, so it counts). Time integrals count
     * whatever runs after 5 s: the 10 ms execution from 4.999999999 s (all
     * but 1 ns of it), then the two counted ones: 30 ms - 1 ns of 5 s. */
    cJSON *j = run(ONE("\"duration\": \"10s\", \"warmup\": \"5s\"", "10ms", "0s",
                       "\"1s\", \"4999999999ns\", \"5s\", \"7s\"", ""));
    cr_expect_eq(get(j, "warmup_s"), 5);
    cr_expect_eq(get(j, "totals.arrivals"), 2);
    cr_expect_eq(get(j, "totals.ok"), 2);
    cr_expect_eq(get(j, "latency_s.count"), 2);
    cr_expect_eq(get(j, "functions.f.arrivals"), 2);
    cr_expect_float_eq(get(j, "rates.throughput_per_s"), 2.0 / 5.0, 1e-12);
    cr_expect_float_eq(get(j, "instances.busy_mean"), (0.03 - 1e-9) / 5.0, 1e-12);
    /* The one at 5 s waited for the slot until 5.009999999 s. */
    cr_expect_float_eq(get(j, "queueing.wait_mean_s"), (0.01 - 1e-9) / 2.0, 1e-12);
    /* The instance created cold at 1 s lives on (TTL 10 m): 1 the whole 5 s,
     * created before the warm-up, so not counted as created. */
    cr_expect_float_eq(get(j, "instances.mean"), 1.0, 1e-12);
    cr_expect_eq(get(j, "instances.created"), 0);
    /* Availability and time in status count from the warm-up too. */
    cr_expect_float_eq(node_get("n", "availability"), 1.0, 1e-12);
    cr_expect_float_eq(node_get("n", "online_s"), 5.0, 1e-12);
    /* The time series keeps every interval. */
    char *ts = slurp("timeseries.csv");
    cr_expect(strstr(ts, "0.000000000,1.000000000,") != NULL, "%s", ts);
    free(ts);
    cJSON_Delete(j);
}

Test(measures, invocations_in_flight_at_the_end_are_reported_not_dropped, .fini = cleanup)
{
    /* 3 s executions arriving at 0, 1, 2, 3 s on one slot in a 5 s run: the
     * first ends ok at 3 s, the second runs, two wait: 3 in flight. They are
     * not in the latency statistics. */
    cJSON *j = run(ONE("\"duration\": \"5s\"", "3s", "0s", "\"0s\", \"1s\", \"2s\", \"3s\"", ""));
    cr_expect_eq(get(j, "totals.arrivals"), 4);
    cr_expect_eq(get(j, "totals.ok"), 1);
    cr_expect_eq(get(j, "totals.in_flight_at_end"), 3);
    cr_expect_eq(get(j, "outcomes.in_flight_at_end"), 3);
    cr_expect_eq(get(j, "functions.f.in_flight_at_end"), 3);
    cr_expect_eq(get(j, "functions.f.arrivals"), 4);
    cr_expect_eq(get(j, "latency_s.count"), 1);
    char *f = slurp("functions.csv");
    cr_expect(strstr(f, "in_flight_at_end\n") != NULL, "%s", f);
    cr_expect(strstr(f, ",3\n") != NULL, "%s", f);
    free(f);
    cJSON_Delete(j);
}

Test(measures, a_warm_up_as_long_as_the_run_is_an_error)
{
    sim_diag d[4];
    size_t nd = 0;
    const char *text = ONE("\"duration\": \"10s\", \"warmup\": \"10s\"", "1s", "0s", "\"0s\"", "");
    sim_scenario *s = sim_scenario_parse(text, strlen(text), "w.json", NULL, 0, d, 4, &nd);
    cr_assert_null(s);
    cr_assert_eq(nd, 1);
    cr_expect_str_eq(d[0].path, "warmup");
    cr_expect(strstr(d[0].msg, "shorter than the duration (10s), found \"10s\"") != NULL, "%s",
              d[0].msg);
}

Test(measures, batch_means_interval_is_t_times_sd_over_root_k)
{
    /* x = 1, 2, 3, 4: mean 2.5, sd sqrt(5/3), t(0.975, 3) = 3.182446305,
     * half width 3.182446305 * 1.290994449 / 2; lag-1 autocorrelation
     * sum((x_i - m)(x_{i-1} - m)) / sum((x_i - m)^2) = (0.75 - 0.25 + 0.75) / 5. */
    double x[] = {1, 2, 3, 4};
    sim_interval iv;
    sim_interval_of(x, 4, &iv);
    cr_expect(iv.valid);
    cr_expect_eq(iv.batches, 4);
    cr_expect_float_eq(iv.mean, 2.5, 1e-12);
    cr_expect_float_eq(iv.half_width, 3.182446305 * sqrt(5.0 / 3.0) / 2.0, 1e-8);
    cr_expect_float_eq(iv.lo, 2.5 - iv.half_width, 1e-12);
    cr_expect_float_eq(iv.lag1, 1.25 / 5.0, 1e-12);
    sim_interval_of(x, 1, &iv);
    cr_expect(!iv.valid, "one batch gives no interval");
    double same[] = {2, 2, 2};
    sim_interval_of(same, 3, &iv);
    cr_expect(iv.valid);
    cr_expect_eq(iv.half_width, 0);
    cr_expect_eq(iv.lag1, 0, "no variation: reported as 0, not NaN");
}

Test(measures, intervals_stay_inside_what_the_measure_can_take)
{
    /* 30 batches of 1 s. Every batch: two ok invocations, both cold in batch
     * 29 only, and a timeout in batch 0 only. Per batch, success rates 29 x 1
     * and one 2/3, cold-start rates 29 x 0 and one 1: their t-intervals reach
     * past 1 and below 0, where no rate can be; throughput 29 x 2/s and
     * one 3/s. */
    sim_measures *m = sim_measures_new(1, 0, 30 * EDGE_S);
    cr_assert_not_null(m);
    for (int b = 0; b < 30; b++)
        for (int k = 0; k < 2; k++) {
            edge_time t = b * EDGE_S + k * EDGE_S / 4;
            sim_measures_outcome(m, 0, EDGE_REASON_OK, t, 0, t, t, t + EDGE_S / 10, EDGE_S / 10,
                                 b == 29);
        }
    sim_measures_outcome(m, 0, EDGE_REASON_TIMEOUT, EDGE_S / 2, 0, EDGE_S / 2, EDGE_S / 2,
                         EDGE_S / 2 + EDGE_S / 10, EDGE_S / 10, 0);
    double t29 = 2.045229642; /* t(0.975, 29) */
    sim_interval iv;
    sim_measures_interval(m, SIM_MEASURE_SUCCESS_RATE, &iv);
    cr_assert_eq(iv.batches, 30);
    double mean = (29 + 2.0 / 3.0) / 30;
    cr_expect_float_eq(iv.mean, mean, 1e-12);
    double sd = sqrt((29 * pow(1 - mean, 2) + pow(2.0 / 3.0 - mean, 2)) / 29);
    cr_expect_float_eq(iv.half_width, t29 * sd / sqrt(30), 1e-8, "the t-interval's half width");
    cr_expect_gt(iv.mean + iv.half_width, 1, "the t-interval reaches past 1");
    cr_expect_eq(iv.hi, 1, "clipped to 1");
    cr_expect_float_eq(iv.lo, mean - iv.half_width, 1e-12, "the lower end untouched");
    sim_measures_interval(m, SIM_MEASURE_COLD_START_RATE, &iv);
    cr_expect_float_eq(iv.mean, 1.0 / 30, 1e-12);
    cr_expect_lt(iv.mean - iv.half_width, 0, "the t-interval reaches below 0");
    cr_expect_eq(iv.lo, 0, "clipped to 0");
    cr_expect_float_eq(iv.hi, iv.mean + iv.half_width, 1e-12);
    sim_measures_interval(m, SIM_MEASURE_LATENCY_MEAN, &iv);
    cr_expect_eq(iv.half_width, 0);
    cr_expect_float_eq(iv.lo, 0.1, 1e-12, "a constant latency: lo = hi = the mean");
    cr_expect_float_eq(iv.hi, 0.1, 1e-12);
    sim_measures_free(m);
}

Test(measures, outcomes_before_the_warm_up_and_empty_batches_are_left_out)
{
    /* 30 batches of 1 s after a 10 s warm-up; ok outcomes with latency
     * 1 s in batch 0 and 3 s in batch 29 only; one arrival before the
     * warm-up is ignored. */
    sim_measures *m = sim_measures_new(1, 10 * EDGE_S, 40 * EDGE_S);
    cr_assert_not_null(m);
    cr_expect_eq(sim_measures_batch_length(m), EDGE_S);
    sim_measures_outcome(m, 0, EDGE_REASON_OK, 9 * EDGE_S, 0, 9 * EDGE_S, 9 * EDGE_S, 99 * EDGE_S,
                         90 * EDGE_S, 0);
    sim_measures_outcome(m, 0, EDGE_REASON_OK, 10 * EDGE_S, 0, 10 * EDGE_S, 10 * EDGE_S, 11 * EDGE_S,
                         EDGE_S, 0);
    sim_measures_outcome(m, 0, EDGE_REASON_OK, 39 * EDGE_S, 0, 39 * EDGE_S, 39 * EDGE_S, 42 * EDGE_S,
                         3 * EDGE_S, 1);
    sim_interval iv;
    sim_measures_interval(m, SIM_MEASURE_LATENCY_MEAN, &iv);
    cr_expect_eq(iv.batches, 2);
    cr_expect_float_eq(iv.mean, 2.0, 1e-12);
    sim_measures_interval(m, SIM_MEASURE_THROUGHPUT, &iv);
    cr_expect_eq(iv.batches, 30, "throughput has a value in every batch");
    cr_expect_float_eq(iv.mean, 2.0 / 30.0, 1e-12);
    cr_expect_lt(iv.mean - iv.half_width, 0);
    cr_expect_eq(iv.lo, 0, "a throughput is never below 0: the interval is clipped there");
    sim_measure_summary s;
    sim_measures_total(m, &s);
    cr_expect_eq(s.ok, 2);
    cr_expect_eq(s.cold_ok, 1);
    sim_measures_free(m);
}

Test(measures, a_second_crash_while_still_offline_from_the_first_is_accounted, .fini = cleanup)
{
    /* Heartbeats every 10 s, 60 s window, 5 s checks. Crash at 95 s for
     * 100 s: detected at 155 s (60 s). It recovers at 195 s, after that
     * instant's check, so the status is still OFFLINE and the heartbeat
     * detector still suspects it when it crashes again at 197 s. The check
     * at 200 s sees the 195 s heartbeat (SYNCING), 205 s ONLINE, and 260 s
     * finds it stale: detected 63 s after the second crash. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"400s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}, {\"id\": \"b\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}], \"workloads\": [],"
        "\"faults\": [{\"kind\": \"crash\", \"at\": \"95s\", \"for\": \"100s\", \"node\": \"a\"},"
        "             {\"kind\": \"crash\", \"at\": \"197s\", \"node\": \"a\"}],"
        "\"policies\": {\"health_window\": \"60s\", \"check_interval\": \"5s\"}}";
    cJSON *j = run(text);
    cr_expect_eq(node_get("a", "crashes"), 2);
    cr_expect_eq(get(j, "health.crashes"), 2);
    cr_expect_eq(get(j, "health.detections"), 2);
    cr_expect_eq(get(j, "health.missed"), 0);
    cr_expect_eq(get(j, "health.undetected_crashes"), 0);
    cr_expect_float_eq(get(j, "health.detection_latency_s.max"), 63.0, 1e-9);
    cr_expect_eq(get(j, "health.heartbeat.detections") + get(j, "health.heartbeat.missed"), 2);
    cr_expect_eq(get(j, "health.heartbeat.detections"), 2);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "260.000000000,a,online,offline,heartbeat_timeout") != NULL, "%s", h);
    free(h);
    cJSON_Delete(j);
}

Test(measures, a_crash_the_node_recovers_from_before_detection_is_missed, .fini = cleanup)
{
    /* Crash at 95 s for 30 s: back at 125 s, before the 155 s check. One
     * crash, missed by the status and by the heartbeat detector; a crash at
     * 300 s stays undetected at the end (350 s). */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"350s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}], \"workloads\": [],"
        "\"faults\": [{\"kind\": \"crash\", \"at\": \"95s\", \"for\": \"30s\", \"node\": \"a\"},"
        "             {\"kind\": \"crash\", \"at\": \"300s\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "health.crashes"), 2);
    cr_expect_eq(get(j, "health.detections"), 0);
    cr_expect_eq(get(j, "health.missed"), 1);
    cr_expect_eq(get(j, "health.undetected_crashes"), 1);
    cr_expect_eq(get(j, "health.heartbeat.missed"), 2, "missed counts the open one too");
    cJSON_Delete(j);
}

/* ---- model knobs (docs/semantics.md) ---- */

Test(measures, overload_off_keeps_a_saturated_node_online, .fini = cleanup)
{
    /* One slot busy all the time (a 1 s execution every second: 100% CPU):
     * with the default thresholds the node turns DEGRADED (overloaded);
     * with "overload": "off" it never does. */
    const char *wl = "\"0s\", \"1s\", \"2s\", \"3s\", \"4s\", \"5s\", \"6s\", \"7s\", \"8s\", \"9s\","
                     " \"10s\", \"11s\", \"12s\", \"13s\", \"14s\", \"15s\", \"16s\", \"17s\", \"18s\"";
    char text[4096];
    snprintf(text, sizeof text, ONE("\"duration\": \"20s\"", "1s", "0s", "%s", ""), wl);
    cJSON *j = run(text);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, ",n,online,degraded,overloaded") != NULL, "%s", h);
    free(h);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "overload_rule")));
    cJSON_Delete(j);
    snprintf(text, sizeof text, ONE("\"duration\": \"20s\"", "1s", "0s", "%s", "\"overload\": \"off\""),
             wl);
    j = run(text);
    cr_expect_eq(get(j, "health.transitions"), 0);
    cr_expect_eq(node_get("n", "online_s"), 20);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "overload_rule")),
              "summary.json says the rule was off");
    cJSON_Delete(j);
}

Test(measures, one_node_holds_ten_thousand_concurrent_instances, .fini = cleanup)
{
    /* A burst of 10,000 at 0 s on one node of 10,000 slots (1 MB each, 20 GB):
     * all start cold at once, none waits; busy for 1 s of a 10 s run. */
    static const char text[] =
        "{\"name\": \"big\", \"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 10000, \"memory_mb\": 20000}],"
        "\"functions\": [{\"id\": \"f\", \"memory_mb\": 1,"
        "  \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"faults\": [{\"kind\": \"burst\", \"at\": \"0s\", \"function\": \"f\", \"region\": \"r\","
        "  \"count\": 10000}], \"policies\": {\"overload\": \"off\"}}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "totals.ok"), 10000);
    cr_expect_eq(get(j, "instances.created"), 10000);
    cr_expect_eq(get(j, "queueing.p_wait"), 0);
    cr_expect_float_eq(get(j, "instances.busy_mean"), 1000.0, 1e-9);
    cJSON_Delete(j);
}

/* Two slots; otherwise as ONE. */
#define TWO_SLOTS(times, policies)                                                                 \
    "{\"name\": \"m\", \"seed\": 1, \"duration\": \"10s\","                                       \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 2}],"                               \
    "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"}," \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"}}],"                              \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\","             \
    "  \"times\": [" times "]}], \"policies\": {\"keepalive_ttl\": \"2s\"" policies "}}"

static double lifespan_under(const char *times_text, const char *sel)
{
    char text[2048], pol[64];
    snprintf(pol, sizeof pol, ", \"instance_selection\": \"%s\"", sel);
    snprintf(text, sizeof text, TWO_SLOTS("%s", "%s"), times_text, pol);
    cJSON *j = run(text);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(j, "instance_selection")), sel);
    cr_expect_eq(get(j, "instances.removed"), 2);
    double l = get(j, "instances.lifespan_mean_s");
    cJSON_Delete(j);
    return l;
}

Test(measures, instance_selection_on_a_three_request_trace, .fini = cleanup)
{
    /* 1 s executions, TTL 2 s, two slots. A is created at 0 (idle at 1 s,
     * expires 3 s), B at 0.5 s (idle at 1.5 s, expires 3.5 s). At 2 s:
     * mru (B, idle last) and newest (B, created last) take B: busy to 3 s,
     * gone at 5 s (lifespan 4.5), A expires at 3 s (3): mean 3.75.
     * lru takes A: gone at 5 s (5), B at 3.5 s (3): mean 4. */
    const char *t = "\"0s\", \"500ms\", \"2s\"";
    cr_expect_float_eq(lifespan_under(t, "mru"), 3.75, 1e-9);
    cr_expect_float_eq(lifespan_under(t, "newest"), 3.75, 1e-9);
    cr_expect_float_eq(lifespan_under(t, "lru"), 4.0, 1e-9);
    double r = lifespan_under(t, "random");
    cr_expect(fabs(r - 3.75) < 1e-9 || fabs(r - 4.0) < 1e-9, "random took A or B: %g", r);
}

Test(measures, newest_is_not_most_recently_idle, .fini = cleanup)
{
    /* As above, and a third request at 1.2 s takes A (B is busy): A idle at
     * 2.2 s (expires 4.2 s), B idle since 1.5 s (3.5 s). At 3 s mru takes A
     * (idle last): busy to 4 s, gone at 6 s (6), B at 3.5 s (3): mean 4.5.
     * newest and lru take B (created last, idle longest): gone at 6 s (5.5),
     * A at 4.2 s (4.2): mean 4.85. */
    const char *t = "\"0s\", \"500ms\", \"1200ms\", \"3s\"";
    cr_expect_float_eq(lifespan_under(t, "mru"), 4.5, 1e-9);
    cr_expect_float_eq(lifespan_under(t, "newest"), 4.85, 1e-9);
    cr_expect_float_eq(lifespan_under(t, "lru"), 4.85, 1e-9);
}

Test(measures, an_unknown_instance_selection_is_an_error)
{
    sim_diag d[4];
    size_t nd = 0;
    const char *text = TWO_SLOTS("\"0s\"", ", \"instance_selection\": \"fifo\"");
    cr_assert_null(sim_scenario_parse(text, strlen(text), "s.json", NULL, 0, d, 4, &nd));
    cr_assert_eq(nd, 1);
    cr_expect_str_eq(d[0].path, "policies.instance_selection");
    cr_expect(strstr(d[0].msg, "mru") && strstr(d[0].msg, "\"fifo\""), "%s", d[0].msg);
}

Test(measures, cold_exec_time_is_the_whole_service_of_a_cold_invocation, .fini = cleanup)
{
    /* exec 1 s, cold_exec_time 3 s, no cold_start: the cold first at 0 s
     * takes 3 s in all (no separate delay), the warm second at 5 s 1 s. */
    static const char text[] =
        "{\"name\": \"c\", \"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"n\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"
        "  \"cold_exec_time\": {\"type\": \"constant\", \"value\": \"3s\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\","
        "  \"times\": [\"0s\", \"5s\"]}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "totals.cold_starts"), 1);
    cr_expect_float_eq(get(j, "latency_s.max"), 3.0, 3.0 * 0.0078);
    cr_expect_float_eq(get(j, "queueing.service_mean_s"), 2.0, 1e-9);
    cr_expect_eq(get(j, "queueing.cold_start_delay_mean_s"), 0);
    cJSON_Delete(j);
}

Test(measures, cold_start_and_cold_exec_time_together_are_an_error)
{
    static const char text[] =
        "{\"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"n\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"
        "  \"cold_start\": {\"type\": \"constant\", \"value\": \"1s\"},"
        "  \"cold_exec_time\": {\"type\": \"constant\", \"value\": \"3s\"}}]}";
    sim_diag d[4];
    size_t nd = 0;
    cr_assert_null(sim_scenario_parse(text, strlen(text), "c.json", NULL, 0, d, 4, &nd));
    cr_assert_eq(nd, 1);
    cr_expect_str_eq(d[0].path, "functions[0].cold_exec_time");
    cr_expect(strstr(d[0].msg, "found both") != NULL, "%s", d[0].msg);
    cr_expect_gt(d[0].line, 0, "the line of the field");
}

#define THREE_CRASH(policies)                                                                      \
    "{\"name\": \"t\", \"seed\": 1, \"duration\": \"400s\", \"regions\": [{\"id\": \"r\"}],"      \
    "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}, {\"id\": \"b\", \"region\": \"r\"},"         \
    "            {\"id\": \"c\", \"region\": \"r\"}],"                                            \
    "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}]," \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}], \"workloads\": [],"          \
    "\"faults\": [{\"kind\": \"crash\", \"at\": \"95s\", \"node\": \"a\"},"                       \
    "  {\"kind\": \"crash\", \"at\": \"95s\", \"node\": \"b\"},"                                  \
    "  {\"kind\": \"crash\", \"at\": \"95s\", \"node\": \"c\"}], \"policies\": {" policies "}}"

/* The detection times of a, b and c in health.csv of the last run. */
static void detection_times(double t[3])
{
    char *h = slurp("health.csv");
    const char *ids[] = {",a,online,offline", ",b,online,offline", ",c,online,offline"};
    for (int k = 0; k < 3; k++) {
        const char *p = strstr(h, ids[k]);
        cr_assert_not_null(p, "%s", h);
        while (p > h && p[-1] != '\n')
            p--;
        t[k] = strtod(p, NULL);
    }
    free(h);
}

Test(measures, heartbeat_phase_and_jitter_spread_detection_latency, .fini = cleanup)
{
    /* Aligned beats (at 0, 10, ... s): all three crashes at 95 s are seen at
     * 155 s. A random phase p in [0, 10 s) puts the last beat before the
     * crash at 90 + p (p <= 5) or 80 + p: in [85, 95] s, so detection is at
     * the first check (every 5 s) more than 60 s after it: between 150 and
     * 160 s (latency 55..65 s) — and the three nodes no longer agree. A jitter J < 10 s moves each beat
     * later by U(0, J): the last beat is in [80, 95), so detection is between
     * 145 and 155 s (latency 50..60 s). */
    double t[3];
    cJSON *j = run(THREE_CRASH(""));
    detection_times(t);
    cr_expect(t[0] == 155 && t[1] == 155 && t[2] == 155);
    cJSON_Delete(j);
    j = run(THREE_CRASH("\"heartbeat_phase\": \"random\""));
    detection_times(t);
    for (int k = 0; k < 3; k++)
        cr_expect(t[k] >= 150 && t[k] <= 160, "node %d at %g s", k, t[k]);
    cr_expect(t[0] != t[1] || t[1] != t[2], "a random phase spreads them: %g %g %g", t[0], t[1],
              t[2]);
    cr_expect_eq(get(j, "health.detections"), 3);
    cJSON_Delete(j);
    j = run(THREE_CRASH("\"heartbeat_jitter\": \"9s\""));
    detection_times(t);
    for (int k = 0; k < 3; k++)
        cr_expect(t[k] >= 145 && t[k] <= 155, "node %d at %g s", k, t[k]);
    cr_expect(t[0] != t[1] || t[1] != t[2], "jitter spreads them: %g %g %g", t[0], t[1], t[2]);
    cJSON_Delete(j);
}

Test(measures, a_jitter_as_long_as_the_heartbeat_interval_is_an_error)
{
    const char *text = THREE_CRASH("\"heartbeat_jitter\": \"10s\"");
    sim_diag d[4];
    size_t nd = 0;
    cr_assert_null(sim_scenario_parse(text, strlen(text), "h.json", NULL, 0, d, 4, &nd));
    cr_assert_eq(nd, 1);
    cr_expect_str_eq(d[0].path, "policies.heartbeat_jitter");
    cr_expect(strstr(d[0].msg, "shorter than node a's heartbeat_interval (10s), found \"10s\""),
              "%s", d[0].msg);
}
