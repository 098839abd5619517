/* Artifact caches in whole runs (docs/semantics.md, "Artifact cache"): the
 * pull shows in latency with its closed form, hits, shared pulls, oversize
 * artifacts, LRU eviction across functions, crashes, and the diagnostics of
 * the new fields. */
#include "support.h"

static cJSON *run_set(const char *text, const char *const *sets, size_t nsets)
{
    return run_into_tmp("/tmp/edgesim-cache-XXXXXX", text, sets, nsets, 1);
}

static cJSON *run(const char *text)
{
    return run_set(text, NULL, 0);
}

/* The latency column of invocations.csv, row by row (seconds). */
static size_t latencies(double *out, size_t max)
{
    char *csv = slurp("invocations.csv");
    size_t n = 0;
    char *save = NULL;
    strtok_r(csv, "\n", &save); /* header */
    for (char *line = strtok_r(NULL, "\n", &save); line && n < max;
         line = strtok_r(NULL, "\n", &save)) {
        char *f = line;
        for (int k = 0; k < 7; k++)
            f = strchr(f, ',') + 1;
        out[n++] = *f == ',' ? -1.0 : strtod(f, NULL);
    }
    free(csv);
    return n;
}

/* One node n (cores, cache NODE_EXTRA), functions a and b (artifact 200 MB
 * unless FN_EXTRA says otherwise, cold start 500 ms, exec 1 s), no network
 * latency, keep-alive none (every start cold), registry latency 50 ms,
 * bandwidth 100 MB/s: a pull takes 2.05 s. */
#define ONE(node_extra, fn_extra, times_a, times_b, faults)                                        \
    "{\"name\": \"c\", \"seed\": 1, \"duration\": \"60s\","                                        \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": 2, \"bandwidth_mb_per_s\": 100"     \
    node_extra "}],"                                                                               \
    "\"functions\": [{\"id\": \"a\", \"artifact_mb\": 200, "                                       \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"                                \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"500ms\"}" fn_extra "},"              \
    " {\"id\": \"b\", \"artifact_mb\": 200, "                                                      \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"                                \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"500ms\"}}],"                          \
    "\"deployments\": [{\"function\": \"a\", \"strategy\": \"all\"},"                              \
    "  {\"function\": \"b\", \"strategy\": \"all\"}],"                                             \
    "\"workloads\": [{\"function\": \"a\", \"region\": \"r\", \"arrival\": \"times\", "            \
    "  \"times\": [" times_a "]},"                                                                 \
    " {\"function\": \"b\", \"region\": \"r\", \"arrival\": \"times\", \"times\": [" times_b "]}]," \
    "\"faults\": [" faults "],"                                                                    \
    "\"policies\": {\"keepalive\": \"none\", \"registry_latency\": \"50ms\"}}"

Test(cache_world, one_cold_start_pays_pull_plus_cold_start_plus_exec, .fini = cleanup)
{
    /* 200 MB / 100 MB/s + 50 ms = 2.05 s; + 500 ms + 1 s = 3.55 s. */
    cJSON *j = run(ONE("", "", "\"0s\"", "", ""));
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 1);
    cr_expect_float_eq(lat[0], 3.55, 1e-9);
    cr_expect_float_eq(get(j, "latency_s.max"), 3.55, 1e-6);
    cr_expect_eq(get(j, "cache.pulls"), 1);
    cr_expect_eq(get(j, "cache.hits"), 0);
    cr_expect_eq(get(j, "cache.pulled_mb"), 200);
    cr_expect_float_eq(get(j, "cache.pull_time_s"), 2.05, 1e-9);
    cr_expect_float_eq(get(j, "cache.pull_time_mean_s"), 2.05, 1e-9);
    cr_expect_float_eq(node_get("n", "cache_pull_time_s"), 2.05, 1e-9);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "cache"), "enabled")));
    cJSON_Delete(j);
}

Test(cache_world, the_next_cold_start_hits_and_pays_no_pull, .fini = cleanup)
{
    cJSON *j = run(ONE("", "", "\"0s\", \"10s\"", "", ""));
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 2);
    cr_expect_float_eq(lat[0], 3.55, 1e-9);
    cr_expect_float_eq(lat[1], 1.5, 1e-9);
    cr_expect_eq(get(j, "cache.lookups"), 2);
    cr_expect_eq(get(j, "cache.hits"), 1);
    cr_expect_eq(get(j, "cache.pulls"), 1);
    cr_expect_float_eq(get(j, "cache.hit_ratio"), 0.5, 1e-12);
    char *csv = slurp("nodes.csv");
    cr_expect(strstr(csv, ",cache_hit_ratio,cache_pulls,cache_pulled_mb,cache_pull_time_s,"
                          "cache_pull_time_mean_s,sync_lag_s") != NULL,
              "%s", csv);
    cr_expect(strstr(csv, ",0.500000,1,200.000,2.050000000,2.050000000,") != NULL, "%s", csv);
    free(csv);
    cJSON_Delete(j);
}

Test(cache_world, a_cold_start_during_the_pull_waits_for_the_same_pull, .fini = cleanup)
{
    /* The second arrives at 1 s while the first's pull runs until 2.05 s:
     * it waits 1.05 s, then 500 ms + 1 s. */
    cJSON *j = run(ONE("", "", "\"0s\", \"1s\"", "", ""));
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 2);
    cr_expect_float_eq(lat[0], 3.55, 1e-9);
    cr_expect_float_eq(lat[1], 2.55, 1e-9);
    cr_expect_eq(get(j, "cache.pulls"), 1);
    cr_expect_eq(get(j, "cache.shared_pulls"), 1);
    cr_expect_eq(get(j, "cache.hits"), 0);
    cr_expect_float_eq(get(j, "cache.hit_ratio"), 0.5, 1e-12);
    cr_expect_float_eq(get(j, "cache.wait_time_s"), 2.05 + 1.05, 1e-9);
    cJSON_Delete(j);
}

Test(cache_world, an_artifact_bigger_than_the_cache_is_pulled_every_time, .fini = cleanup)
{
    cJSON *j = run(ONE(", \"cache_mb\": 199", "", "\"0s\", \"10s\"", "", ""));
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 2);
    cr_expect_float_eq(lat[1], 3.55, 1e-9);
    cr_expect_eq(get(j, "cache.pulls"), 2);
    cr_expect_eq(get(j, "cache.pulled_mb"), 400);
    cJSON_Delete(j);
}

Test(cache_world, exactly_the_capacity_is_cached, .fini = cleanup)
{
    cJSON *j = run(ONE(", \"cache_mb\": 200", "", "\"0s\", \"10s\"", "", ""));
    cr_expect_eq(get(j, "cache.pulls"), 1);
    cr_expect_eq(get(j, "cache.hits"), 1);
    cJSON_Delete(j);
}

Test(cache_world, two_functions_in_a_cache_of_one_evict_each_other, .fini = cleanup)
{
    /* 300 MB holds one 200 MB artifact: a, b, a pull three times; with
     * 400 MB the last a hits. */
    cJSON *j = run(ONE(", \"cache_mb\": 300", "", "\"0s\", \"20s\"", "\"10s\"", ""));
    cr_expect_eq(get(j, "cache.pulls"), 3);
    cr_expect_eq(get(j, "cache.evictions"), 2);
    cJSON_Delete(j);
    const char *sets[] = {"nodes[0].cache_mb=400"};
    j = run_set(ONE(", \"cache_mb\": 300", "", "\"0s\", \"20s\"", "\"10s\"", ""), sets, 1);
    cr_expect_eq(get(j, "cache.pulls"), 2);
    cr_expect_eq(get(j, "cache.hits"), 1);
    cr_expect_eq(get(j, "cache.evictions"), 0);
    cJSON_Delete(j);
}

Test(cache_world, no_artifact_means_no_cache_and_no_delay, .fini = cleanup)
{
    const char *sets[] = {"functions[0].artifact_mb=0", "functions[1].artifact_mb=0"};
    cJSON *j = run_set(ONE("", "", "\"0s\"", "", ""), sets, 2);
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 1);
    cr_expect_float_eq(lat[0], 1.5, 1e-9);
    cr_expect_eq(get(j, "cache.lookups"), 0);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "cache"), "enabled")));
    cJSON_Delete(j);
}

Test(cache_world, a_crash_loses_the_pull_in_flight_but_keeps_the_disk, .fini = cleanup)
{
    /* a at 0 s: pull until 2.05 s, but the node crashes at 1 s (back at
     * 1.5 s): the invocation fails, the half-done pull is lost, so a at 5 s
     * pulls again. It completes; the crash at 10 s keeps the artifact on
     * disk, and a at 15 s starts cold (instances are lost) without a pull. */
    cJSON *j = run(ONE("", "", "\"0s\", \"5s\", \"15s\"", "",
                       "{\"kind\": \"crash\", \"at\": \"1s\", \"node\": \"n\", \"for\": \"500ms\"},"
                       "{\"kind\": \"crash\", \"at\": \"10s\", \"node\": \"n\", \"for\": \"500ms\"}"));
    cr_expect_eq(get(j, "outcomes.node_crash"), 1);
    cr_expect_eq(get(j, "cache.pulls"), 2);
    cr_expect_eq(get(j, "cache.hits"), 1);
    double lat[4];
    cr_assert_eq(latencies(lat, 4), 3);
    cr_expect_float_eq(lat[1], 3.55, 1e-9);
    cr_expect_float_eq(lat[2], 1.5, 1e-9);
    cJSON_Delete(j);
}

Test(cache_world, node_groups_take_the_cache_fields)
{
    const char *text =
        "{\"duration\": \"1m\", \"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"n{i}\", \"count\": 2, \"region\": \"r\", \"cache_mb\": 512,"
        "  \"bandwidth_mb_per_s\": 12.5}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": "
        "\"1s\"}}], \"workloads\": [], \"policies\": {}}";
    sim_diag diags[8];
    size_t nd = 0;
    sim_scenario *sc = sim_scenario_parse(text, strlen(text), "inline.json", NULL, 0, diags, 8, &nd);
    if (!sc) {
        char line[512];
        sim_diag_format(&diags[0], line, sizeof line);
        cr_assert_fail("%s", line);
    }
    cr_expect_eq(sc->nnodes, 2);
    cr_expect_eq(sc->nodes[1].cache_mb, 512);
    cr_expect_eq(sc->nodes[1].bandwidth_mb_per_s, 12.5);
    cr_expect_eq(sc->functions[0].artifact_mb, 0);
    cr_expect_eq(sc->policies.registry_latency, 50 * EDGE_MS);
    sim_scenario_free(sc);
}

static void expect_diag(const char *const *sets, size_t nsets, const char *want)
{
    const char *text = ONE("", "", "\"0s\"", "", "");
    sim_diag diags[8];
    size_t nd = 0;
    sim_scenario *sc =
        sim_scenario_parse(text, strlen(text), "inline.json", sets, nsets, diags, 8, &nd);
    cr_assert_null(sc, "accepted: %s", sets[0]);
    cr_assert_eq(nd, 1, "%s: %zu problems", sets[0], nd);
    char line[512];
    sim_diag_format(&diags[0], line, sizeof line);
    cr_expect(strstr(line, want) != NULL, "%s: got %s, want %s", sets[0], line, want);
}

Test(cache_world, bad_cache_fields_each_give_their_diagnostic)
{
    expect_diag((const char *[]){"functions[0].artifact_mb=-1"}, 1,
                "functions[0].artifact_mb: expected a number from 0 to");
    expect_diag((const char *[]){"functions[1].artifact_mb=\"big\""}, 1,
                "functions[1].artifact_mb: expected a number from 0 to");
    expect_diag((const char *[]){"nodes[0].cache_mb=-5"}, 1,
                "nodes[0].cache_mb: expected a number from 0 to");
    expect_diag((const char *[]){"nodes[0].bandwidth_mb_per_s=0"}, 1,
                "nodes[0].bandwidth_mb_per_s: expected a number above 0");
    expect_diag((const char *[]){"policies.registry_latency=-1s"}, 1,
                "policies.registry_latency: expected a duration of at least 0s");
    expect_diag((const char *[]){"nodes[0].cache_size=5"}, 1,
                "nodes[0].cache_size: expected a known field");
}
