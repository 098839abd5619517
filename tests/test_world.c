/* Pins docs/semantics.md, point by point, on small scenarios whose outcome
 * can be worked out by hand: heartbeats and detection, false suspicions from
 * late heartbeats, heartbeat loss, crashes failing work in flight, retries,
 * queue limits, timeouts, degradation, maintenance, drain, register and
 * deregister, deploy and undeploy, load spikes, bursts, keep-alive, the
 * documented order of simultaneous events, and determinism (a pause a tenth
 * into the run, on_settled, changes no output). */
#include <math.h>

#include "support.h"

static void run_in(const char *text, const char *outdir)
{
    run_scenario_in(text, NULL, 0, outdir, 1);
}

static cJSON *run(const char *text)
{
    return run_into_tmp("/tmp/edgesim-world-XXXXXX", text, NULL, 0, 1);
}

/* Two nodes a and b in one region, no network latency, function f on both
 * (exec EXEC, cold start 0), workload and faults as given. */
#define TWO(extra_top, exec, workloads, faults, policies)                                          \
    "{\"name\": \"t\", \"seed\": 1, " extra_top ","                                              \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 1000},"         \
    "            {\"id\": \"b\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 1000}],"        \
    "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"  \
    "  \"timeout\": \"1s\", \"exec_time\": " exec "}],"                                            \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [" workloads "], \"faults\": [" faults "], \"policies\": {" policies "}}"

#define CONST(ms) "{\"type\": \"constant\", \"value\": \"" ms "\"}"

Test(world, a_crash_is_detected_between_window_and_window_plus_interval_plus_check, .fini = cleanup)
{
    /* Heartbeats every 10 s from 0; crash at 95 s: last heartbeat 90 s, stale
     * after 150 s, seen at the check at 155 s: 60 s after the crash. */
    cJSON *j = run(TWO("\"duration\": \"300s\"", CONST("10ms"), "",
                       "{\"kind\": \"crash\", \"at\": \"95s\", \"node\": \"a\"}", ""));
    cr_expect_eq(get(j, "health.detections"), 1);
    cr_expect_float_eq(get(j, "health.detection_latency_s.mean"), 60.0, 1e-9);
    cr_expect_eq(get(j, "health.false_suspicions"), 0);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "155.000000000,a,online,offline,heartbeat_timeout") != NULL, "%s", h);
    free(h);
    cr_expect_float_eq(node_get("a", "availability"), 95.0 / 300.0, 1e-9);
    cJSON_Delete(j);
}

Test(world, late_heartbeats_make_a_false_suspicion_and_the_node_comes_back_syncing,
     .fini = cleanup)
{
    /* From 100 s heartbeats arrive 75 s late: the one sent at 90 s is the
     * last on time; at 155 s the node is stale (65 s) and marked OFFLINE
     * while up; the heartbeat sent at 100 s arrives at 175 s: SYNCING at
     * the check at 175 s, ONLINE at 180 s. */
    cJSON *j = run(TWO("\"duration\": \"400s\"", CONST("10ms"), "",
                       "{\"kind\": \"heartbeat_delay\", \"at\": \"100s\", \"for\": \"100s\","
                       " \"node\": \"a\", \"delay\": \"75s\"}",
                       ""));
    cr_expect_eq(get(j, "health.false_suspicions"), 1);
    cr_expect_eq(get(j, "health.detections"), 0);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "155.000000000,a,online,offline,heartbeat_timeout"), "%s", h);
    cr_expect(strstr(h, "175.000000000,a,offline,syncing,heartbeat_resumed"), "%s", h);
    cr_expect(strstr(h, "180.000000000,a,syncing,online,synced"), "%s", h);
    free(h);
    cJSON_Delete(j);
}

Test(world, heartbeat_loss_marks_the_node_offline_but_it_serves_what_reaches_it,
     .fini = cleanup)
{
    /* Only node a is deployed; while its heartbeats are lost it goes
     * OFFLINE and invocations are rejected, not failed: the cluster sees no
     * usable node. Before and after, they run on a. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"400s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}],"
        "\"faults\": [{\"kind\": \"heartbeat_loss\", \"at\": \"100s\", \"for\": \"100s\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "health.false_suspicions"), 1);
    /* OFFLINE from the check at 155 s until SYNCING at 200 s and ONLINE at 205 s */
    cr_expect_eq(get(j, "outcomes.no_eligible_node"), 50, "155..204 s");
    cr_expect_eq(get(j, "outcomes.node_crash"), 0);
    cr_expect_eq(get(j, "totals.ok"), 350);
    cJSON_Delete(j);
}

Test(world, a_crash_fails_what_runs_there_and_retries_move_it_elsewhere, .fini = cleanup)
{
    /* Invocations of 10 s each arrive every second; a crashes at 50.5 s. The
     * one running on a fails; with one retry it moves to b. Until the crash
     * is detected, least_loaded keeps sending to a (empty after the crash):
     * those fail and are retried on b. */
    const char *wl = "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}";
    const char *fault = "{\"kind\": \"crash\", \"at\": \"50500ms\", \"node\": \"a\"}";
    char text[4096];
    snprintf(text, sizeof text,
             TWO("\"duration\": \"120s\"", CONST("100ms"), "%s", "%s", "\"retries\": 0"), wl, fault);
    cJSON *j0 = run(text);
    cr_expect_gt(get(j0, "outcomes.node_crash"), 0, "without retries, work sent to a fails");
    snprintf(text, sizeof text,
             TWO("\"duration\": \"120s\"", CONST("100ms"), "%s", "%s", "\"retries\": 1"), wl, fault);
    cJSON *j1 = run(text);
    cr_expect_eq(get(j1, "outcomes.node_crash"), 0, "with a retry, b takes it");
    cr_expect_eq(get(j1, "totals.ok") + get(j1, "totals.in_flight_at_end"),
                 get(j1, "totals.arrivals"));
    cJSON_Delete(j0);
    cJSON_Delete(j1);
}

Test(world, a_full_queue_rejects_and_a_long_execution_times_out, .fini = cleanup)
{
    /* One slot, queue of 1, 10 arrivals at once, 2 s executions against a
     * 1 s timeout: 1 starts, 1 waits, 8 are rejected; both that run fail
     * at the timeout. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"60s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 1}],"
        "\"functions\": [{\"id\": \"f\", \"timeout\": \"1s\","
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"2s\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"faults\": [{\"kind\": \"burst\", \"at\": \"10s\", \"function\": \"f\", \"region\": \"r\", \"count\": 10}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "outcomes.queue_full"), 8);
    cr_expect_eq(get(j, "outcomes.timeout"), 2);
    cr_expect_eq(get(j, "totals.arrivals"), 10);
    cJSON_Delete(j);
}

Test(world, a_queue_that_wraps_and_grows_keeps_first_come_first_served, .fini = cleanup)
{
    /* One slot, 1 s executions. The queue is allocated on first use (4
     * slots) and doubles up to queue_limit: 0.1 s to 0.4 s fill it; at 1 s
     * 0.1 s leaves it, 1.1 s takes the slot freed at the ring's start
     * (wrapped), 1.2 s grows it to 6 while wrapped, 1.3 s fills it, 1.4 s
     * and 1.5 s are rejected. The 8 served start at 0, 1, 2, ... s in
     * arrival order. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"60s\", \"regions\": [{\"id\": \"r\"}],"
        "\"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 6}],"
        "\"functions\": [{\"id\": \"f\", \"timeout\": \"60s\","
        "  \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\","
        "  \"times\": [\"0s\", \"0.1s\", \"0.2s\", \"0.3s\", \"0.4s\", \"1.1s\", \"1.2s\","
        "            \"1.3s\", \"1.4s\", \"1.5s\"]}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "outcomes.queue_full"), 2);
    cr_expect_eq(get(j, "outcomes.ok"), 8);
    char *csv = slurp("invocations.csv");
    /* arrival_s,start_s per ok row, in the order of the file (by id = arrival) */
    static const char *const want[] = {"0.000000000,0.000000000", "0.100000000,1.000000000",
                                       "0.200000000,2.000000000", "0.300000000,3.000000000",
                                       "0.400000000,4.000000000", "1.100000000,5.000000000",
                                       "1.200000000,6.000000000", "1.300000000,7.000000000"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        cr_expect(strstr(csv, want[k]) != NULL, "%s in %s", want[k], csv);
    free(csv);
    cJSON_Delete(j);
}

Test(world, degradation_multiplies_execution_time, .fini = cleanup)
{
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"100s\", \"regions\": [{\"id\": \"r\"}],"
        "\"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"100ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}],"
        "\"faults\": [{\"kind\": \"degrade\", \"at\": \"0s\", \"for\": \"1h\", \"node\": \"a\", \"factor\": 3}]}";
    cJSON *j = run(text);
    cr_expect_float_eq(get(j, "latency_s.max"), 0.3, 0.003);
    cr_expect_float_eq(get(j, "latency_s.p50"), 0.3, 0.003);
    cJSON_Delete(j);
}

Test(world, maintenance_sets_the_status_and_keeps_work_away, .fini = cleanup)
{
    cJSON *j = run(TWO("\"duration\": \"200s\"", CONST("10ms"),
                       "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}",
                       "{\"kind\": \"maintenance\", \"at\": \"50s\", \"for\": \"50s\", \"node\": \"a\"}",
                       "\"scheduler\": \"round_robin\""));
    /* The window ends at 100 s; the health check at 100 s was scheduled
     * (at 95 s) after the window's end (at 50 s), so it already sees it. */
    cr_expect_float_eq(node_get("a", "maintenance_s"), 50.0, 1e-9,
                       "until the first check at or after the window's end");
    /* round robin alternates a, b; in maintenance everything goes to b */
    cr_expect_lt(node_get("a", "invocations"), node_get("b", "invocations") - 40);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "50.000000000,a,online,maintenance,maintenance"), "%s", h);
    cr_expect(strstr(h, "100.000000000,a,maintenance,online,maintenance_end"), "%s", h);
    free(h);
    cJSON_Delete(j);
}

/* Node "a" hosts f; node "late" registers at 20 s and gets g at 30 s; g
 * arrives once a second from 0 s. faults: what follows, as JSON list items. */
#define LATE_NODE(faults)                                                                          \
    "{\"name\": \"t\", \"duration\": \"100s\", \"regions\": [{\"id\": \"r\"}],"                    \
    "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}, {\"id\": \"late\", \"region\": \"r\"}],"      \
    "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}," \
    "                {\"id\": \"g\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"\
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"nodes\", \"nodes\": [\"a\"]}],"       \
    "\"workloads\": [{\"function\": \"g\", \"region\": \"r\", \"arrival\": \"constant\", "         \
    "\"interval\": \"1s\"}],"                                                                      \
    "\"faults\": [{\"kind\": \"register\", \"at\": \"20s\", \"node\": \"late\"},"                  \
    "             {\"kind\": \"deploy\", \"at\": \"30s\", \"function\": \"g\", \"node\": \"late\"}," \
    faults "]}"

/* g ran on "late" from 30 s to 59 s and had no node otherwise; the core's
 * counter of that deployment was kept when it went. */
static void expect_g_ran_only_from_30_to_59_s(const char *text)
{
    cJSON *j = run(text);
    cr_expect_eq(get(j, "functions.g.ok"), 30);
    cr_expect_eq(get(j, "outcomes.no_eligible_node"), 70);
    char *p = slurp("placements.csv");
    cr_expect(strstr(p, "30.000000000,g,late,fault,ok,30\n"), "%s", p);
    free(p);
    cJSON_Delete(j);
}

Test(world, register_deregister_deploy_and_undeploy_follow_the_timeline, .fini = cleanup)
{
    expect_g_ran_only_from_30_to_59_s(
        LATE_NODE("{\"kind\": \"undeploy\", \"at\": \"60s\", \"function\": \"g\", \"node\": \"late\"},"
                  "{\"kind\": \"deregister\", \"at\": \"80s\", \"node\": \"late\"}"));
}

Test(world, a_deregistered_node_takes_its_deployments_with_it, .fini = cleanup)
{
    /* g is still deployed on "late" when it deregisters at 60 s: its count
     * is kept, and when "late" registers again at 80 s it hosts nothing
     * (the scheduler forgot g there too), so g has no node from 60 s on */
    expect_g_ran_only_from_30_to_59_s(
        LATE_NODE("{\"kind\": \"deregister\", \"at\": \"60s\", \"node\": \"late\"},"
                  "{\"kind\": \"register\", \"at\": \"80s\", \"node\": \"late\"}"));
}

Test(world, a_drained_node_gets_no_new_deployment, .fini = cleanup)
{
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"faults\": [{\"kind\": \"drain\", \"at\": \"1s\", \"node\": \"a\"},"
        "             {\"kind\": \"deploy\", \"at\": \"2s\", \"function\": \"f\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "placement.deployments"), 0);
    char *p = slurp("placements.csv");
    cr_expect(strstr(p, "2.000000000,f,a,fault,DRAINING,\n"), "%s", p);
    free(p);
    cJSON_Delete(j);
}

Test(world, a_load_spike_multiplies_the_rate_and_a_burst_adds_its_count, .fini = cleanup)
{
    /* constant 1/s for 100 s; x4 during [20 s, 40 s); a burst of 7 at 50 s */
    cJSON *j = run(TWO("\"duration\": \"100s\"", CONST("1ms"),
                       "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}",
                       "{\"kind\": \"load_spike\", \"at\": \"20s\", \"for\": \"20s\", \"factor\": 4},"
                       "{\"kind\": \"burst\", \"at\": \"50s\", \"function\": \"f\", \"region\": \"r\", \"count\": 7}",
                       ""));
    double arrivals = get(j, "totals.arrivals");
    /* at 0, 1, ..., 99 s (the end is exclusive): 100; every 0.25 s instead of
     * every second in [20 s, 40 s): 60 more; the burst: 7 */
    cr_expect_eq(arrivals, 100 + 60 + 7, "arrivals %g", arrivals);
    cJSON_Delete(j);
}

Test(world, keepalive_expiry_makes_the_next_start_cold, .fini = cleanup)
{
    /* arrivals every 10 min with a 5 min keep-alive: every start is cold;
     * with 15 min, only the first */
    const char *wl = "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"10m\"}";
    char text[4096];
    snprintf(text, sizeof text, TWO("\"duration\": \"100m\"", CONST("1ms"), "%s", "", "\"keepalive_ttl\": \"5m\""), wl);
    cJSON *j = run(text);
    cr_expect_eq(get(j, "totals.cold_starts"), get(j, "totals.started"));
    cJSON_Delete(j);
    snprintf(text, sizeof text, TWO("\"duration\": \"100m\"", CONST("1ms"), "%s", "", "\"keepalive_ttl\": \"15m\""), wl);
    j = run(text);
    cr_expect_eq(get(j, "totals.cold_starts"), 1);
    cJSON_Delete(j);
}

Test(world, a_fault_at_the_same_instant_as_an_arrival_applies_first, .fini = cleanup)
{
    /* The crash at 10 s is scheduled before the arrival at 10 s (faults
     * before workloads at time 0): that arrival sees a crashed node a. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"20s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\", \"times\": [\"10s\"]}],"
        "\"faults\": [{\"kind\": \"crash\", \"at\": \"10s\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "outcomes.node_crash"), 1);
    cJSON_Delete(j);
}

Test(world, the_same_scenario_and_seed_give_byte_identical_outputs, .fini = cleanup)
{
    static const char *files[] = {"summary.json", "timeseries.csv", "node_series.csv", "health.csv",
                                  "placements.csv", "nodes.csv", "functions.csv", "invocations.csv"};
    const char *wl = "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 20}";
    const char *faults = "{\"kind\": \"crash\", \"at\": \"30s\", \"node\": \"a\", \"for\": \"30s\"}";
    char text[4096];
    snprintf(text, sizeof text,
             TWO("\"duration\": \"120s\"", "{\"type\": \"exponential\", \"mean\": \"40ms\"}", "%s", "%s",
                 "\"retries\": 1"),
             wl, faults);
    cJSON *j = run(text);
    cJSON_Delete(j);
    char first[64];
    strcpy(first, dir);
    strcpy(dir, "/tmp/edgesim-world2-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    run_in(text, dir);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *b = slurp(files[i]);
        char save[64];
        strcpy(save, dir);
        strcpy(dir, first);
        char *a = slurp(files[i]);
        strcpy(dir, save);
        cr_expect_str_eq(a, b, "%s differs between two runs", files[i]);
        free(a);
        free(b);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", first);
    cr_expect_eq(system(cmd), 0);
}

Test(world, energy_follows_the_linear_power_model, .fini = cleanup)
{
    /* One node of 2 cores, 50 W idle, 150 W busy, up for 100 s; one slot busy
     * 1 s of every 10 s: 10 busy slot-seconds, 5 core-seconds of the whole
     * node: 50 * 100 + 100 * 10 / 2 = 5500 J. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"100s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 2,"
        "  \"idle_watts\": 50, \"busy_watts\": 150}],"
        "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\","
        "  \"interval\": \"10s\", \"stop\": \"95s\"}]}";
    cJSON *j = run(text);
    cr_expect_float_eq(get(j, "energy.total_j"), 5500.0, 1e-6);
    cr_expect_float_eq(node_get("a", "energy_j"), 5500.0, 1e-6);
    cr_expect_float_eq(get(j, "energy.per_ok_invocation_j"), 550.0, 1e-6);
    cJSON_Delete(j);
}

Test(world, a_function_that_never_fits_is_rejected_for_capacity, .fini = cleanup)
{
    /* 128 MB instances on a node of 100 MB: nothing running could free
     * enough, so waiting is pointless: no_capacity at once. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"memory_mb\": 100}],"
        "\"functions\": [{\"id\": \"f\", \"memory_mb\": 128,"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "outcomes.no_capacity"), get(j, "totals.arrivals"));
    cr_expect_eq(get(j, "totals.arrivals"), 10, "at 0, 1, ..., 9 s: the end is exclusive");
    cJSON_Delete(j);
}

/* ---- active probes (docs/semantics.md, "Active probes") ---- */

#define PROBES "\"probes\": {\"period\": \"5s\", \"timeout\": \"1s\", \"failures\": 3}"

Test(world, a_crash_is_detected_by_probes_after_failures_periods_plus_the_timeout,
     .fini = cleanup)
{
    /* Probes every 5 s from 5 s; crash at 12 s. Probes at 15, 20, 25 s find
     * it down; each failure is known 1 s later; the third (at 26 s) suspects
     * it: latency = (ceil(c/P)*P + (F-1)*P + T) - c = 15 + 10 + 1 - 12 = 14 s.
     * Heartbeats (every 10 s, last at 10 s) see it at the check at 75 s. */
    cJSON *j = run(TWO("\"duration\": \"300s\"", CONST("10ms"), "",
                       "{\"kind\": \"crash\", \"at\": \"12s\", \"node\": \"a\"}", PROBES));
    double P = 5, F = 3, T = 1, c = 12;
    double want = ceil(c / P) * P + (F - 1) * P + T - c;
    cr_expect_float_eq(get(j, "health.probes.detection_mean_s"), want, 1e-9);
    cr_expect_eq(get(j, "health.probes.detections"), 1);
    cr_expect_eq(get(j, "health.probes.false_suspicions"), 0);
    cr_expect_float_eq(get(j, "health.heartbeat.detection_mean_s"), 75.0 - c, 1e-9);
    cr_expect_eq(get(j, "health.heartbeat.detections"), 1);
    cr_expect_float_eq(get(j, "health.detection_latency_s.mean"), want, 1e-9, "the first wins");
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "26.000000000,a,online,offline,probe_timeout"), "%s", h);
    cr_expect(!strstr(h, "heartbeat_timeout"), "already OFFLINE by then: %s", h);
    free(h);
    cJSON_Delete(j);
}

Test(world, heartbeat_loss_is_a_heartbeat_false_suspicion_but_not_a_probe_one, .fini = cleanup)
{
    cJSON *j = run(TWO("\"duration\": \"400s\"", CONST("10ms"), "",
                       "{\"kind\": \"heartbeat_loss\", \"at\": \"100s\", \"for\": \"100s\","
                       " \"node\": \"a\"}",
                       PROBES));
    cr_expect_eq(get(j, "health.heartbeat.false_suspicions"), 1);
    cr_expect_eq(get(j, "health.probes.false_suspicions"), 0);
    cr_expect_eq(get(j, "health.probes.failed"), 0);
    cr_expect_eq(get(j, "health.probes.sent"), 2 * 80, "two nodes, 5..400 s");
    cr_expect_eq(get(j, "health.false_suspicions"), 1);
    cJSON_Delete(j);
}

Test(world, failures_minus_one_failed_probes_do_not_suspect, .fini = cleanup)
{
    /* Down from 12 s to 23 s: the probes at 15 and 20 s fail, the one at 25 s
     * succeeds: two failures in a row, one short of 3. The crash is missed
     * by the probes and by the heartbeats (the node is back first). */
    cJSON *j = run(TWO("\"duration\": \"300s\"", CONST("10ms"), "",
                       "{\"kind\": \"crash\", \"at\": \"12s\", \"for\": \"11s\", \"node\": \"a\"}",
                       PROBES));
    cr_expect_eq(get(j, "health.probes.failed"), 2);
    cr_expect_eq(get(j, "health.probes.detections"), 0);
    cr_expect_eq(get(j, "health.probes.missed"), 1);
    cr_expect_eq(get(j, "health.probes.false_suspicions"), 0);
    cr_expect_eq(get(j, "health.heartbeat.missed"), 1);
    cr_expect_eq(get(j, "health.transitions"), 0);
    cJSON_Delete(j);
}

Test(world, probes_off_leave_the_probe_record_empty, .fini = cleanup)
{
    cJSON *j = run(TWO("\"duration\": \"100s\"", CONST("10ms"), "",
                       "{\"kind\": \"crash\", \"at\": \"12s\", \"node\": \"a\"}", ""));
    cr_expect_eq(get(j, "health.probes.sent"), 0);
    cr_expect_eq(get(j, "health.probes.missed"), 0);
    cr_expect_eq(get(j, "health.heartbeat.detections"), 1);
    cJSON_Delete(j);
}

/* ---- state synchronizer (docs/semantics.md, "State synchronizer") ---- */

Test(world, every_damaged_sync_transfer_is_detected, .fini = cleanup)
{
    /* Rounds every 10 s; updates at 20 s and 50 s; transfers to a damaged
     * during [15 s, 45 s): the one at 20 s (rejected), again at 30 and 40 s,
     * then intact at 50 s. */
    cJSON *j = run(TWO("\"duration\": \"100s\", \"sync\": {\"interval\": \"10s\","
                       " \"initial\": {\"k\": \"v\"}}",
                       CONST("10ms"), "",
                       "{\"kind\": \"state_update\", \"at\": \"20s\", \"patch\": {\"k\": \"w\"}},"
                       "{\"kind\": \"state_corruption\", \"at\": \"15s\", \"for\": \"30s\","
                       " \"node\": \"a\"},"
                       "{\"kind\": \"state_update\", \"at\": \"50s\", \"patch\": {\"n\": 1}}",
                       ""));
    cr_expect_eq(get(j, "sync.corruptions_injected"), 3);
    cr_expect_eq(get(j, "sync.corruptions_detected"), get(j, "sync.corruptions_injected"));
    cr_expect_eq(node_get("a", "sync_rejected"), 3);
    cr_expect_eq(node_get("b", "sync_rejected"), 0);
    cr_expect_eq(node_get("a", "sync_transfers"), 4);
    cr_expect_eq(node_get("b", "sync_transfers"), 2);
    cr_expect_eq(get(j, "sync.version"), 3);
    cr_expect_eq(get(j, "sync.nodes_behind_at_end"), 0);
    /* a was behind from 20 s until the intact copy of 50 s arrived */
    cr_expect_gt(node_get("a", "sync_lag_max_s"), 30.0);
    cr_expect_lt(node_get("b", "sync_lag_max_s"), 1.0);
    /* per-node figures live in nodes.csv only: summary.json keeps the totals */
    cr_expect_null(cJSON_GetObjectItem(j, "nodes"));
    cr_expect_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sync"), "nodes"));
    cJSON_Delete(j);
}

Test(world, a_rejoining_node_is_syncing_for_exactly_the_transfer_time, .fini = cleanup)
{
    /* Only a serves. It crashes at 12 s (its replica is lost) and is marked
     * OFFLINE at the check at 75 s; it recovers at 100 s and heartbeats at
     * once (an event after the check at 100 s), so the check at 105 s makes
     * it SYNCING and the state is sent at once. The state {"k": "v"} is 10
     * bytes of canonical text; at 0.00001 Mbit/s that takes 10 * 8 / 10 =
     * 8 s: ONLINE at 113 s. Arrivals every second from 75 s to 112 s find no
     * usable node: SYNCING is not routed to. */
    static const char text[] =
        "{\"name\": \"t\", \"duration\": \"200s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"1s\"}],"
        "\"sync\": {\"interval\": \"1m\", \"initial\": {\"k\": \"v\"}, \"bandwidth_mbps\": 0.00001},"
        "\"faults\": [{\"kind\": \"crash\", \"at\": \"12s\", \"node\": \"a\"},"
        "            {\"kind\": \"recover\", \"at\": \"100s\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    double bytes = 10, mbps = 0.00001;
    double transfer = bytes * 8 / (mbps * 1e6);
    cr_expect_float_eq(node_get("a", "syncing_s"), transfer, 1e-9);
    char *h = slurp("health.csv");
    cr_expect(strstr(h, "105.000000000,a,offline,syncing,heartbeat_resumed"), "%s", h);
    cr_expect(strstr(h, "113.000000000,a,syncing,online,synced"), "%s", h);
    free(h);
    cr_expect_eq(get(j, "outcomes.no_eligible_node"), 113 - 75);
    /* the round at 60 s sent to a crashed node not yet known OFFLINE: lost */
    cr_expect_eq(node_get("a", "sync_transfers"), 2);
    cr_expect_eq(node_get("a", "sync_lost"), 1);
    cr_expect_eq(node_get("a", "sync_bytes"), 2 * bytes);
    cr_expect_eq(node_get("a", "sync_versions_behind"), 0);
    /* behind from the crash (12 s) until the copy arrived (113 s) */
    cr_expect_float_eq(node_get("a", "sync_lag_s"), 101.0, 1e-9);
    cJSON_Delete(j);
}

Test(world, without_sync_there_is_no_sync_section, .fini = cleanup)
{
    cJSON *j = run(TWO("\"duration\": \"30s\"", CONST("10ms"), "", "", ""));
    cr_expect_null(cJSON_GetObjectItem(j, "sync"));
    cJSON_Delete(j);
}

Test(world, the_overload_threshold_is_configurable, .fini = cleanup)
{
    /* a (1 slot, the earliest registered) takes every invocation: 500 ms
     * every second is 50% CPU. Below the default 90% nothing happens; with
     * cpu_percent 50 it is exactly at the threshold: DEGRADED. */
    cJSON *j = run(TWO("\"duration\": \"60s\"", CONST("500ms"),
                       "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\","
                       " \"interval\": \"1s\"}",
                       "", ""));
    cr_expect_eq(get(j, "health.transitions"), 0);
    cJSON_Delete(j);
    j = run(TWO("\"duration\": \"60s\"", CONST("500ms"),
                "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\","
                " \"interval\": \"1s\"}",
                "", "\"overload\": {\"cpu_percent\": 50}"));
    char *h = slurp("health.csv");
    cr_expect(strstr(h, ",a,online,degraded,overloaded"), "%s", h);
    cr_expect(!strstr(h, ",b,"), "%s", h);
    free(h);
    cJSON_Delete(j);
}

static void count_settled(void *ctx) { ++*(int *)ctx; }

/* sim_world_options.on_settled pauses the loop once, at a tenth of the
 * duration, and changes nothing: every output but run.json is byte for byte
 * that of an uninterrupted run, events at the pause instant included (an
 * arrival every 100 ms puts several exactly at 30 s). */
Test(world, a_callback_a_tenth_into_the_run_is_called_once_and_changes_no_output)
{
    const char *text =
        TWO("\"duration\": \"300s\"", "{\"type\": \"exponential\", \"mean\": \"150ms\"}",
            "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\", \"interval\": \"100ms\"},"
            "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 3}",
            "{\"kind\": \"crash\", \"at\": \"29s\", \"node\": \"a\", \"for\": \"3s\"}", "");
    sim_diag diags[4];
    size_t nd = 0;
    sim_scenario *sc = sim_scenario_parse(text, strlen(text), "inline.json", NULL, 0, diags, 4, &nd);
    cr_assert_not_null(sc);
    char dirs[2][64];
    int settled_calls = 0;
    for (int k = 0; k < 2; k++) {
        snprintf(dirs[k], sizeof dirs[k], "/tmp/edgesim-settled-XXXXXX");
        cr_assert_not_null(mkdtemp(dirs[k]));
        sim_world_options opt = {.outdir = dirs[k], .write_invocations = 1,
                                 .on_settled = k ? count_settled : NULL,
                                 .settled_ctx = &settled_calls};
        run_world(sc, &opt);
    }
    cr_expect_eq(settled_calls, 1);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "diff -r -x run.json '%s' '%s' >/dev/null", dirs[0], dirs[1]);
    cr_expect_eq(system(cmd), 0, "the outputs differ");
    snprintf(cmd, sizeof cmd, "test -s '%s/invocations.csv'", dirs[1]);
    cr_expect_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dirs[0], dirs[1]);
    cr_expect_eq(system(cmd), 0);
    sim_scenario_free(sc);
}

Test(world, draws_past_the_end_of_time_saturate_instead_of_wrapping, .fini = cleanup)
{
    /* Pareto of shape 0.01 draws past 2^63 ns four times in five: such a
     * cold start, execution, failure or repair lasts until the end of time
     * (EDGE_TIME_MAX) and the run goes on. Adding one to "now" wrapped to a
     * time in the past (undefined behaviour; the run failed). */
    static const char text[] =
        "{\"name\": \"t\", \"seed\": 3, \"duration\": \"60s\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 4},"
        "            {\"id\": \"b\", \"region\": \"r\", \"cores\": 4}],"
        "\"functions\": ["
        "  {\"id\": \"cold\", \"timeout\": \"1s\", \"exec_time\": {\"type\": \"constant\", \"value\": \"10ms\"},"
        "   \"cold_start\": {\"type\": \"pareto\", \"shape\": 0.01, \"scale\": \"1s\"}},"
        "  {\"id\": \"long\", \"timeout\": \"100000d\","
        "   \"exec_time\": {\"type\": \"pareto\", \"shape\": 0.01, \"scale\": \"1s\"}}],"
        "\"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"
        "\"faults\": ["
        "  {\"kind\": \"burst\", \"at\": \"10s\", \"function\": \"cold\", \"region\": \"r\", \"count\": 20},"
        "  {\"kind\": \"burst\", \"at\": \"10s\", \"function\": \"long\", \"region\": \"r\", \"count\": 20},"
        "  {\"kind\": \"degrade\", \"at\": \"1s\", \"for\": \"50s\", \"node\": \"a\", \"factor\": 3},"
        "  {\"kind\": \"random_failures\", \"nodes\": [\"b\"],"
        "   \"ttf\": {\"type\": \"pareto\", \"shape\": 0.01, \"scale\": \"20s\"},"
        "   \"ttr\": {\"type\": \"pareto\", \"shape\": 0.01, \"scale\": \"1s\"}}],"
        "\"policies\": {\"cold_start_holds_slot\": false}}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "totals.arrivals"), 40);
    double unfinished = get(j, "totals.in_flight_at_end");
    cr_expect_gt(unfinished, 20, "most cold starts and long executions never end");
    cr_expect_eq(get(j, "totals.ok") + get(j, "totals.failed") + get(j, "totals.rejected") +
                     unfinished, 40);
    cJSON_Delete(j);
}
