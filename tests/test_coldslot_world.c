/* policies.cold_start_holds_slot in whole runs (docs/semantics.md, "On a
 * node"): on one slot, hand traces whose latencies, queueing measures and
 * busy slot time differ between the two modes by amounts computed by hand;
 * the ready list (an initialised invocation waiting for a slot) is served
 * before the queue and is not bounded by queue_limit; an instance being
 * initialised holds the function's instance limit; a crash during the
 * initialisation or in the ready list leaves the node's counts right; the
 * utilization autoscaler counts only slots held; and with no cold-start
 * delay both modes are the same run (fingerprints). */
#include <math.h>

#include "support.h"

static cJSON *run_set(const char *text, const char *const *sets, size_t nsets)
{
    return run_into_tmp("/tmp/edgesim-coldslot-XXXXXX", text, sets, nsets, 1);
}

static const char *const FREE_SLOT[] = {"policies.cold_start_holds_slot=false"};

/* One node n with QUEUE_LIMIT and one slot (power: 0 W idle, 1 W busy, so
 * its energy_j is its busy slot time in seconds); f and g, exec 1 s, cold
 * start 2 s, 100 MB, f's instance limit F_LIMIT; workloads by times. */
#define ONE_SLOT(queue_limit, f_limit, f_times, g_times, extra)                                   \
    "{\"name\": \"coldslot\", \"seed\": 1, \"duration\": \"30s\","                                \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": " queue_limit  \
    ", \"idle_watts\": 0, \"busy_watts\": 1}],"                                                    \
    "\"functions\": ["                                                                            \
    " {\"id\": \"f\", \"memory_mb\": 100, \"instance_limit\": " f_limit ","                         \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"                                \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"2s\"}},"                              \
    " {\"id\": \"g\", \"memory_mb\": 100,"                                                         \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"                                \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"2s\"}}],"                             \
    "\"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": ["                                                                            \
    " {\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\", \"times\": [" f_times "]},"  \
    " {\"function\": \"g\", \"region\": \"r\", \"arrival\": \"times\", \"times\": [" g_times "]}]" \
    extra "}"

/* The trace: g at 0 (cold: it makes g warm), then f at 10 (cold), g at 10.5
 * and 11.8 (warm). */
#define TRACE(queue_limit, extra)                                                                  \
    ONE_SLOT(queue_limit, "10", "\"10s\"", "\"0s\", \"10500ms\", \"11800ms\"", extra)

/* The invocations.csv row of function FN arriving at ARRIVAL_S: its time
 * from arrival to outcome in seconds (end_s - arrival_s: the network takes
 * no time here, so an ok one's latency_s, which it checks) and its outcome
 * (into outcome, 32 bytes). Fails the test when there is none. */
static double latency_of(const char *fn, double arrival_s, char *outcome)
{
    char *csv = slurp("invocations.csv");
    double found = -1;
    char *save = NULL;
    for (char *ln = strtok_r(csv, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        /* id, function, region, node, arrival_s, start_s, end_s, latency_s, cold,
         * outcome, attempts; node may be empty, so split by hand */
        char *col[11] = {0};
        int k = 0;
        for (char *p = ln; k < 11; k++) {
            col[k] = p;
            char *c = strchr(p, ',');
            if (!c) {
                k++;
                break;
            }
            *c = 0;
            p = c + 1;
        }
        if (k < 10 || strcmp(col[1], fn) || fabs(atof(col[4]) - arrival_s) > 1e-9)
            continue;
        found = atof(col[6]) - atof(col[4]);
        if (!strcmp(col[9], "ok"))
            cr_expect_float_eq(atof(col[7]), found, 1e-9, "latency_s = end_s - arrival_s");
        snprintf(outcome, 32, "%s", col[9]);
        break;
    }
    free(csv);
    cr_assert_geq(found, 0, "a row for %s arriving at %g s", fn, arrival_s);
    return found;
}

static void expect_latency(const char *fn, double arrival_s, double want, const char *outcome)
{
    char got[32];
    double l = latency_of(fn, arrival_s, got);
    cr_expect_float_eq(l, want, 1e-9, "%s at %g s: latency %g, expected %g", fn, arrival_s, l,
                       want);
    cr_expect_str_eq(got, outcome, "%s at %g s", fn, arrival_s);
}

Test(coldslot_world, holding_the_slot_makes_warm_work_wait_for_a_cold_start, .fini = cleanup)
{
    /* Default (true): f takes the slot for 10..13 (2 s initialisation, 1 s
     * execution); g at 10.5 waits to 13 and runs 13..14 (warm: g's instance
     * idles since 3); g at 11.8 waits to 14 and runs 14..15. The first g is
     * cold at 0: 0..3. Latencies 3, 3, 3.5, 3.2; waits 0, 0, 2.5, 2.2; busy
     * slot time 3 + 3 + 1 + 1 = 8 s; instances busy from start to end: 8 s. */
    cJSON *j = run_set(TRACE("100", ""), NULL, 0);
    cr_expect(cJSON_IsTrue(at(j, "model.cold_start_holds_slot")));
    expect_latency("g", 0, 3, "ok");
    expect_latency("f", 10, 3, "ok");
    expect_latency("g", 10.5, 3.5, "ok");
    expect_latency("g", 11.8, 3.2, "ok");
    cr_expect_float_eq(get(j, "latency_s.mean"), (3 + 3 + 3.5 + 3.2) / 4, 1e-9);
    cr_expect_float_eq(get(j, "queueing.wait_mean_s"), (2.5 + 2.2) / 4, 1e-9);
    cr_expect_float_eq(get(j, "queueing.p_wait"), 0.5, 1e-12);
    cr_expect_float_eq(get(j, "queueing.service_mean_s"), 1, 1e-9);
    cr_expect_float_eq(get(j, "queueing.cold_start_delay_mean_s"), 2, 1e-9);
    cr_expect_float_eq(node_get("n", "energy_j"), 8, 1e-9);
    cr_expect_float_eq(get(j, "instances.busy_mean"), 8.0 / 30, 1e-9);
    cr_expect_eq(get(j, "totals.cold_starts"), 2);
    cJSON_Delete(j);
}

Test(coldslot_world, a_free_slot_runs_warm_work_during_the_initialisation, .fini = cleanup)
{
    /* false: f initialises 10..12 without the slot; g at 10.5 runs at once
     * (10.5..11.5), so does g at 11.8 (11.8..12.8: g's instance is idle
     * again). f's initialisation ends at 12 with the slot taken: it waits in
     * the ready list until 12.8 and runs 12.8..13.8. The first g initialises
     * 0..2 and runs 2..3 (the slot is free then). Latencies 3, 3.8, 1, 1;
     * waits 0, 0.8 (for the slot after the initialisation), 0, 0; cold-start
     * delay 2 each (the ready wait is waiting, not cold start); busy slot
     * time 1 + 1 + 1 + 1 = 4 s; instances busy from start to end:
     * 3 + 3.8 + 1 + 1 = 8.8 s. */
    cJSON *j = run_set(TRACE("100", ""), FREE_SLOT, 1);
    cr_expect(cJSON_IsFalse(at(j, "model.cold_start_holds_slot")));
    expect_latency("g", 0, 3, "ok");
    expect_latency("f", 10, 3.8, "ok");
    expect_latency("g", 10.5, 1, "ok");
    expect_latency("g", 11.8, 1, "ok");
    cr_expect_float_eq(get(j, "latency_s.mean"), (3 + 3.8 + 1 + 1) / 4, 1e-9);
    cr_expect_float_eq(get(j, "latency_s.max"), 3.8, 1e-9);
    cr_expect_float_eq(get(j, "queueing.wait_mean_s"), 0.8 / 4, 1e-9);
    cr_expect_float_eq(get(j, "queueing.p_wait"), 0.25, 1e-12);
    cr_expect_float_eq(get(j, "functions.f.wait_mean_s"), 0.8, 1e-9);
    cr_expect_float_eq(get(j, "functions.f.cold_start_delay_mean_s"), 2, 1e-9);
    cr_expect_float_eq(get(j, "queueing.service_mean_s"), 1, 1e-9);
    cr_expect_float_eq(get(j, "queueing.cold_start_delay_mean_s"), 2, 1e-9);
    cr_expect_float_eq(node_get("n", "energy_j"), 4, 1e-9);
    cr_expect_float_eq(get(j, "instances.busy_mean"), 8.8 / 30, 1e-9);
    cr_expect_eq(get(j, "totals.cold_starts"), 2);
    cr_expect_eq(get(j, "totals.ok"), 4);
    cJSON_Delete(j);
}

Test(coldslot_world, the_ready_list_is_not_bounded_by_the_queue_limit, .fini = cleanup)
{
    /* queue_limit 0. Holding the slot, g at 10.5 and 11.8 find it busy and
     * no room to wait: rejected. Without, they run at once, and f waits
     * for the slot after its initialisation (12..12.8) although no queue is
     * allowed: it started already, it is not queued. */
    cJSON *j = run_set(TRACE("0", ""), NULL, 0);
    cr_expect_eq(get(j, "outcomes.queue_full"), 2);
    expect_latency("f", 10, 3, "ok");
    cJSON_Delete(j);
    j = run_set(TRACE("0", ""), FREE_SLOT, 1);
    cr_expect_eq(get(j, "outcomes.queue_full"), 0);
    cr_expect_eq(get(j, "totals.ok"), 4);
    expect_latency("f", 10, 3.8, "ok");
    expect_latency("g", 11.8, 1, "ok");
    cJSON_Delete(j);
}

Test(coldslot_world, an_initialising_instance_holds_the_instance_limit, .fini = cleanup)
{
    /* f's instance limit 1; f at 10 and 10.1. Without a slot held, the
     * second finds the slot free but f's only instance initialising: it
     * waits (it is not rejected no_capacity although no slot is busy), and
     * starts warm on that instance when it finishes at 13: 13..14, latency
     * 3.9. The same as when the slot is held. */
    cJSON *j = run_set(ONE_SLOT("100", "1", "\"10s\", \"10100ms\"", "\"20s\"", ""), FREE_SLOT, 1);
    expect_latency("f", 10, 3, "ok");
    expect_latency("f", 10.1, 3.9, "ok");
    cr_expect_eq(get(j, "functions.f.cold_starts"), 1);
    cr_expect_eq(get(j, "outcomes.no_capacity"), 0);
    cJSON_Delete(j);
    j = run_set(ONE_SLOT("100", "1", "\"10s\", \"10100ms\"", "\"20s\"", ""), NULL, 0);
    expect_latency("f", 10.1, 3.9, "ok");
    cJSON_Delete(j);
}

Test(coldslot_world, a_crash_fails_initialising_and_ready_invocations_and_the_node_recovers,
     .fini = cleanup)
{
    /* The trace without a slot held, and a crash at 12.5 for 2 s: f (in the
     * ready list since 12) and g at 11.8 (running) fail. g at 20 finds the
     * node restarted empty: cold, 20..22 initialising, 22..23 on the slot
     * (latency 3), which it could not do if the crash had left a slot
     * counted busy. A second crash at 25.5 for 1 s hits f at 25 while it
     * initialises; g at 26.8 runs cold again (latency 3). */
    const char *crash = ",\"faults\": [{\"kind\": \"crash\", \"node\": \"n\", \"at\": \"12500ms\","
                        " \"for\": \"2s\"}, {\"kind\": \"crash\", \"node\": \"n\", \"at\": \"25500ms\","
                        " \"for\": \"1s\"}]";
    char text[8192];
    snprintf(text, sizeof text, ONE_SLOT("100", "10", "\"10s\", \"25s\"",
                                         "\"0s\", \"10500ms\", \"11800ms\", \"20s\", \"26800ms\"", "%s"),
             crash);
    cJSON *j = run_set(text, FREE_SLOT, 1);
    expect_latency("f", 10, 2.5, "node_crash");
    expect_latency("g", 11.8, 0.7, "node_crash");
    expect_latency("f", 25, 0.5, "node_crash");
    expect_latency("g", 20, 3, "ok");
    expect_latency("g", 26.8, 3, "ok");
    cr_expect_eq(get(j, "outcomes.node_crash"), 3);
    cr_expect_eq(get(j, "totals.in_flight_at_end"), 0);
    cJSON_Delete(j);
}

/* M/M/2-like load on two functions: Poisson arrivals, exponential
 * executions, a keep-alive of 0 so that every start is cold, with the given
 * cold-start time. */
#define POISSON(cold)                                                                              \
    "{\"name\": \"mmc\", \"seed\": 7, \"duration\": \"2000s\","                                   \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 2, \"queue_limit\": 100000}],"     \
    "\"functions\": ["                                                                            \
    " {\"id\": \"f\", \"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"},"            \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"" cold "\"}},"                        \
    " {\"id\": \"g\", \"exec_time\": {\"type\": \"exponential\", \"mean\": \"200ms\"},"            \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"" cold "\"}}],"                       \
    "\"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": ["                                                                            \
    " {\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 6},"            \
    " {\"function\": \"g\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 3}],"           \
    "\"policies\": {\"keepalive\": \"none\", \"overload\": \"off\"}}"

static char *fingerprint(const cJSON *j)
{
    const char *s = cJSON_GetStringValue(at(j, "fingerprint"));
    cr_assert_not_null(s);
    return strdup(s);
}

Test(coldslot_world, without_a_cold_start_delay_both_modes_are_the_same_run, .fini = cleanup)
{
    /* Every start is cold but takes no time: nothing initialises, so
     * nothing is ever without a slot, and the two runs are one trajectory
     * (the closed forms of M/M/c checked in tests/test_queueing.c hold for
     * both). With a 50 ms cold start they differ: the fingerprint can tell. */
    cJSON *a = run_set(POISSON("0s"), NULL, 0);
    char *fa = fingerprint(a);
    double ea = node_get("n", "energy_j"); /* nodes.csv of this run, before the next */
    cJSON *b = run_set(POISSON("0s"), FREE_SLOT, 1);
    char *fb = fingerprint(b);
    double eb = node_get("n", "energy_j");
    cr_expect_str_eq(fa, fb);
    cr_expect_gt(get(a, "totals.cold_starts"), 10000);
    cr_expect_float_eq(get(a, "queueing.wait_mean_s"), get(b, "queueing.wait_mean_s"), 1e-12);
    cr_expect_float_eq(ea, eb, 1e-6);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(fa);
    free(fb);
    a = run_set(POISSON("50ms"), NULL, 0);
    fa = fingerprint(a);
    ea = node_get("n", "energy_j");
    b = run_set(POISSON("50ms"), FREE_SLOT, 1);
    fb = fingerprint(b);
    eb = node_get("n", "energy_j");
    cr_expect_str_neq(fa, fb);
    /* Initialisations beside the executions: less waiting, less slot time
     * (each start's 50 ms of initialisation leaves the slot). */
    cr_expect_lt(get(b, "queueing.wait_mean_s"), get(a, "queueing.wait_mean_s"));
    cr_expect_lt(eb, ea);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(fa);
    free(fb);
}

/* autoscaler.csv's observed value of function f at time T (seconds, whole). */
static double observed_at(const char *csv, int t)
{
    char key[32];
    snprintf(key, sizeof key, "\n%d.000000000,f,", t);
    const char *p = strstr(csv, key);
    cr_assert_not_null(p, "a row at %d s", t);
    double v;
    cr_assert_eq(sscanf(p + strlen(key), "%lf", &v), 1);
    return v;
}

Test(coldslot_world, the_utilization_autoscaler_sees_only_slots_held, .fini = cleanup)
{
    /* One replica of f (exec 100 ms, cold start 1 s, 128 MB) on a 64-slot
     * node of 4096 MB; arrivals every 10 ms from 60 s. The first 32 find no
     * idle instance and start cold (60.00 .. 60.31 s); then memory is full
     * and the next wait for the first instance to finish (61.1 s), and run
     * warm from then on. The run ends at 76 s, before a replica added at the
     * 75 s sync is ready (its own 1 s cold start), so those 32 are all the
     * cold starts. Nothing ever waits for one of the 64 slots: the two runs
     * are the same but for what holds a slot, and the observed mean of busy
     * slots at 75 s (over [60 s, 75 s)) differs by 32 initialisations of 1 s
     * over the 15 s period (the CSV's 6 decimals: 2e-6). */
    const char *text =
        "{\"name\": \"t\", \"seed\": 1, \"duration\": \"76s\","
        "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"n{i}\", \"count\": 3, \"region\": \"r\", \"cores\": 64}],"
        "\"functions\": [{\"id\": \"f\", \"cold_start\": {\"type\": \"constant\", \"value\": \"1s\"},"
        " \"exec_time\": {\"type\": \"constant\", \"value\": \"100ms\"}}],"
        "\"deployments\": [{\"function\": \"f\", \"strategy\": \"least_loaded\", \"replicas\": 1}],"
        "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\","
        " \"interval\": \"10ms\", \"start\": \"60s\"}],"
        "\"policies\": {\"autoscaler\": {\"type\": \"utilization\", \"target\": 0.5}}}";
    cJSON *a = run_set(text, NULL, 0);
    char *csv = slurp("autoscaler.csv");
    double held = observed_at(csv, 75);
    free(csv);
    cJSON *b = run_set(text, FREE_SLOT, 1);
    csv = slurp("autoscaler.csv");
    double freed = observed_at(csv, 75);
    free(csv);
    double cold = get(a, "totals.cold_starts");
    cr_expect_eq(cold, 32);
    cr_expect_eq(get(b, "totals.cold_starts"), cold);
    cr_expect_float_eq(held - freed, 32.0 / 15, 2e-6, "held %g, free %g", held, freed);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
