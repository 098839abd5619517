/* Pins docs/semantics.md, "Autoscaling", in whole runs worked out by hand:
 * constant arrivals every 10 ms of a 100 ms function keep exactly 10
 * requests in flight, so the concurrency autoscaler's window mean and its
 * count ceil(mean / target) can be followed tick by tick (a step in load
 * reaches the formula's count as the window fills; panic on a step of twice
 * the capacity), an idle function goes to zero exactly at the grace period,
 * a request at zero replicas is held for the replica's cold start, and the
 * utilization autoscaler scales up at once and down only after its
 * stabilisation window. */
#include <math.h>

#include "support.h"

static cJSON *run(const char *text)
{
    return run_into_tmp("/tmp/edgesim-autoscale-XXXXXX", text, NULL, 0, 0);
}

/* Six nodes with 64 slots (no queueing), function f: exec 100 ms, cold
 * start COLD; DEPLOY replicas at the start; arrivals every 10 ms in
 * [START, STOP); the autoscaler AS. */
#define WORLD(cold, deploy, start, stop, as)                                                       \
    "{\"name\": \"t\", \"seed\": 1, \"duration\": \"400s\","                                       \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n{i}\", \"count\": 30, \"region\": \"r\", \"cores\": 64}],"            \
    "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"" cold \
    "\"}, \"exec_time\": {\"type\": \"constant\", \"value\": \"100ms\"}}],"                       \
    "\"deployments\": [" deploy "],"                                                               \
    "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", "         \
    "\"interval\": \"10ms\", \"start\": \"" start "\", \"stop\": \"" stop "\"}],"                  \
    "\"policies\": {\"autoscaler\": " as "}}"
#define ONE "{\"function\": \"f\", \"strategy\": \"least_loaded\", \"replicas\": 1}"

typedef struct row {
    double observed;
    unsigned desired, ready, pending, held;
    int panic;
} row;

/* autoscaler.csv's row of function f at time T (seconds, whole). */
static row at_time(const char *csv, int t)
{
    char key[32];
    snprintf(key, sizeof key, "\n%d.000000000,f,", t);
    const char *p = strstr(csv, key);
    cr_assert_not_null(p, "a row at %d s", t);
    row r;
    cr_assert_eq(sscanf(p + strlen(key), "%lf,%u,%u,%u,%d,%u", &r.observed, &r.desired, &r.ready,
                        &r.pending, &r.panic, &r.held),
                 6);
    return r;
}

Test(autoscaler_world, a_step_in_load_reaches_ceil_of_mean_over_target_as_the_window_fills,
     .fini = cleanup)
{
    /* 10 in flight from 60 s, target 2, panic out of reach: after k ticks
     * the 30-tick mean is about 10k/30, the count ceil(k/6): 4 at 108 s
     * (k = 24), 5 from 110 s (k = 25; the first tick lost 0.225 to the
     * ramp: (250 - 0.225)/30/2 = 4.16) and 5 with the window full. */
    cJSON *j = run(WORLD("0s", ONE, "60s", "400s",
                         "{\"type\": \"concurrency\", \"target\": 2, \"panic_threshold\": 1000, "
                         "\"min_scale\": 1}"));
    char *csv = slurp("autoscaler.csv");
    cr_expect_float_eq(at_time(csv, 62).observed, 9.775, 1e-9);
    cr_expect_float_eq(at_time(csv, 64).observed, 10.0, 1e-9);
    cr_expect_eq(at_time(csv, 108).desired, 4);
    cr_expect_eq(at_time(csv, 110).desired, 5);
    cr_expect_eq(at_time(csv, 120).desired, 5);
    cr_expect_eq(at_time(csv, 200).desired, 5);
    cr_expect_eq(at_time(csv, 200).ready, 5);
    cr_expect_eq(at_time(csv, 200).panic, 0);
    cr_expect_eq(get(j, "autoscaler.functions.f.max_ready"), 5);
    cr_expect_eq(get(j, "autoscaler.functions.f.scale_downs"), 0);
    free(csv);
    cJSON_Delete(j);
}

Test(autoscaler_world, twice_the_capacity_panics_and_holds_the_count, .fini = cleanup)
{
    /* One replica of target 2 (capacity 2) meets 10 in flight at 60 s: the
     * 3-tick mean is 3.26 at 62 s (1.6 x: no), 6.59 at 64 s (3.3 x: panic,
     * ceil(3.3) = 4), 9.93 at 66 s: 5. The load stops at 70 s: no scale-down
     * until a stable window (60 s) after the last panic condition. */
    cJSON *j = run(WORLD("0s", ONE, "60s", "70s",
                         "{\"type\": \"concurrency\", \"target\": 2, \"min_scale\": 1}"));
    char *csv = slurp("autoscaler.csv");
    cr_expect_eq(at_time(csv, 62).panic, 0);
    cr_expect_eq(at_time(csv, 62).desired, 1);
    cr_expect_eq(at_time(csv, 64).panic, 1);
    cr_expect_eq(at_time(csv, 64).desired, 4);
    cr_expect_eq(at_time(csv, 66).desired, 5);
    cr_expect_eq(at_time(csv, 100).desired, 5, "no load, still in panic");
    cr_expect_eq(at_time(csv, 100).panic, 1);
    free(csv);
    cJSON_Delete(j);
}

Test(autoscaler_world, an_idle_function_goes_to_zero_exactly_at_the_grace_period,
     .fini = cleanup)
{
    cJSON *j = run(WORLD("0s", ONE, "390s", "400s",
                         "{\"type\": \"concurrency\", \"scale_to_zero_grace\": \"30s\"}"));
    char *csv = slurp("autoscaler.csv");
    cr_expect_eq(at_time(csv, 28).ready, 1);
    cr_expect_eq(at_time(csv, 30).desired, 0);
    cr_expect_eq(at_time(csv, 30).ready, 0);
    cr_expect_eq(get(j, "autoscaler.functions.f.scale_downs"), 1);
    free(csv);
    cJSON_Delete(j);
}

Test(autoscaler_world, a_request_at_zero_replicas_waits_for_the_cold_start_of_one,
     .fini = cleanup)
{
    /* no replica at all, and none is made without load; one request at
     * 100 s calls one up: ready 1.5 s later with a warm instance, so the
     * request takes 1.5 s + 100 ms, without a cold start of its own */
    cJSON *j = run(WORLD("1500ms", "", "100s", "100005ms",
                         "{\"type\": \"concurrency\", \"target\": 1000}"));
    cr_expect_eq(get(j, "totals.ok"), 1);
    cr_expect_eq(get(j, "totals.cold_starts"), 0);
    cr_expect_eq(get(j, "autoscaler.functions.f.held_requests"), 1);
    cr_expect_eq(get(j, "autoscaler.functions.f.scale_ups"), 1);
    cr_expect_eq(get(j, "autoscaler.functions.f.replica_cold_starts"), 1);
    cr_expect_eq(get(j, "latency_s.max"), 1.6);
    /* and back to zero 30 s after the load: the last loaded tick is 102 s */
    cr_expect_eq(get(j, "autoscaler.functions.f.scale_downs"), 1);
    /* the replica's instance is counted as made when it is loaded (101.5 s)
     * and as gone with the replica (162 s: the stable window's mean falls
     * to 0 at 160 s, plus a tick): alive exactly while the replica was
     * ready, so the mean instance count is the mean ready count, and the
     * request's 100 ms is its busy time */
    cr_expect_eq(get(j, "instances.created"), 1);
    cr_expect_eq(get(j, "instances.removed"), 1);
    cr_expect_float_eq(get(j, "instances.lifespan_mean_s"), 60.5, 1e-9);
    cr_expect_float_eq(get(j, "instances.mean"), 60.5 / 400, 1e-12);
    cr_expect_float_eq(get(j, "instances.mean"), get(j, "autoscaler.functions.f.mean_ready"), 1e-12);
    cr_expect_float_eq(get(j, "instances.busy_mean"), 0.1 / 400, 1e-12);
    cJSON_Delete(j);
}

Test(autoscaler_world, instances_made_and_gone_balance_under_scaling_faults_and_keepalive,
     .fini = cleanup)
{
    /* Replicas come and go with Poisson load while nodes crash and
     * instances expire: every instance counted as gone was counted as made
     * (created - removed is what is alive at the end, never negative), and
     * the mean count is at least the busy count, per function and in all. */
    static const char text[] =
        "{\"name\": \"t\", \"seed\": 5, \"duration\": \"30m\","
        "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"n{i}\", \"count\": 8, \"region\": \"r\", \"cores\": 2}],"
        "\"functions\": [{\"id\": \"f{i}\", \"count\": 3, \"cold_start\": \"300ms\","
        "  \"exec_time\": {\"type\": \"exponential\", \"mean\": \"80ms\"}}],"
        "\"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f*\", \"region\": \"r\", \"arrival\": \"bursty\","
        "  \"on_rate\": 40, \"off_rate\": 1, \"on_mean\": \"1m\", \"off_mean\": \"3m\"}],"
        "\"faults\": [{\"kind\": \"random_failures\", \"nodes\": [\"*\"],"
        "  \"ttf\": {\"type\": \"exponential\", \"mean\": \"10m\"},"
        "  \"ttr\": {\"type\": \"exponential\", \"mean\": \"1m\"}}],"
        "\"policies\": {\"keepalive_ttl\": \"1m\", \"autoscaler\": {\"type\": \"concurrency\","
        "  \"target\": 1, \"scale_to_zero_grace\": \"20s\"}}}";
    cJSON *j = run(text);
    cr_assert_gt(get(j, "autoscaler.functions.f1.scale_ups"), 5, "the replicas do come and go");
    cr_assert_gt(get(j, "autoscaler.functions.f1.scale_downs"), 5);
    cr_assert_gt(get(j, "totals.failed"), 0, "nodes do crash");
    const char *scopes[] = {"instances", "functions.f1.instances", "functions.f2.instances",
                            "functions.f3.instances"};
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++)
        cr_expect_leq(expect_instances_balance(j, scopes[i]), 8 * 64,
                      "%s: at most a node's slots alive at the end", scopes[i]);
    cJSON_Delete(j);
}

Test(autoscaler_world, utilization_scales_up_at_once_and_down_after_the_stabilisation_window,
     .fini = cleanup)
{
    /* 10 busy slots, target 0.5 of 1 slot per replica: ceil(10 / 0.5) = 20
     * at the first sync with load (75 s: the load starts at 60 s); the load
     * stops at 120 s: 1 replica is recommended from 135 s but the 5-minute
     * window keeps 20 until 135 + 300 - 15 = 420 s, after the run. */
    cJSON *j = run(WORLD("0s", ONE, "60s", "120s",
                         "{\"type\": \"utilization\", \"target\": 0.5, \"max_replicas\": 30}"));
    char *csv = slurp("autoscaler.csv");
    cr_expect_eq(at_time(csv, 60).desired, 1);
    cr_expect_eq(at_time(csv, 75).desired, 20);
    cr_expect_eq(at_time(csv, 90).desired, 20, "utilisation 0.5 on 20: on target");
    cr_expect_float_eq(at_time(csv, 90).observed, 10.0, 1e-9);
    cr_expect_eq(at_time(csv, 150).desired, 20);
    cr_expect_eq(at_time(csv, 390).desired, 20);
    cr_expect_eq(get(j, "autoscaler.functions.f.scale_downs"), 0);
    free(csv);
    cJSON_Delete(j);
}
