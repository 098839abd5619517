/* Keep-alive policies in whole runs (docs/semantics.md, "Keep-alive and
 * pre-warming"): fixed, none and hybrid on a strictly periodic function whose
 * cold starts, pre-warms and wasted memory can be counted by hand; a pre-warm
 * cancelled by an arrival; --set paths; and every diagnostic of
 * policies.keepalive. */
#include "support.h"

/* Runs text with the --set overrides; returns summary.json. */
static cJSON *run_set(const char *text, const char *const *sets, size_t nsets)
{
    return run_into_tmp("/tmp/edgesim-ka-XXXXXX", text, sets, nsets, 0);
}

static cJSON *run(const char *text)
{
    return run_set(text, NULL, 0);
}

/* One node, function f (100 MB, exec 1 s, cold start 500 ms) invoked every
 * 60 minutes from 0 for DURATION, plus WORKLOADS, with POLICIES. */
#define PERIODIC(duration, workloads, policies)                                                   \
    "{\"name\": \"ka\", \"seed\": 1, \"duration\": \"" duration "\","                              \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                     \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\"}],"                                             \
    "\"functions\": [{\"id\": \"f\", \"memory_mb\": 100,"                                          \
    "  \"exec_time\": {\"type\": \"constant\", \"value\": \"1s\"},"                                \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"500ms\"}}],"                          \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"periodic\","          \
    "  \"period\": \"60m\"}" workloads "],"                                                        \
    "\"policies\": {" policies "}}"

Test(keepalive_world, fixed_10m_with_a_60m_period_is_always_cold, .fini = cleanup)
{
    /* 30 arrivals (0, 1h, ..., 29h); each instance idles its 10 minutes and
     * expires 50 minutes before the next: wasted = 100 MB x 600 s x 30. */
    cJSON *j = run(PERIODIC("30h", "", ""));
    cr_expect_str_eq(cJSON_GetStringValue(at(j, "keepalive.policy")), "fixed");
    cr_expect_eq(get(j, "keepalive.ttl_s"), 600);
    cr_expect_eq(get(j, "keepalive.starts"), 30);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 30);
    cr_expect_eq(get(j, "keepalive.cold_start_pct"), 100);
    cr_expect_float_eq(get(j, "keepalive.wasted_mb_s"), 100.0 * 600 * 30, 1e-6);
    cr_expect_float_eq(get(j, "functions.f.wasted_mb_s"), 100.0 * 600 * 30, 1e-6);
    cr_expect_eq(get(j, "functions.f.cold_start_pct"), 100);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 0);
    cJSON_Delete(j);
}

Test(keepalive_world, wasted_memory_closed_form_with_a_ttl_set_on_the_command_line,
     .fini = cleanup)
{
    /* --set policies.keepalive.ttl=5m makes {"ttl": "5m"}, type fixed. */
    const char *sets[] = {"policies.keepalive.ttl=5m"};
    cJSON *j = run_set(PERIODIC("30h", "", ""), sets, 1);
    cr_expect_eq(get(j, "keepalive.ttl_s"), 300);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 30);
    cr_expect_float_eq(get(j, "keepalive.wasted_mb_s"), 100.0 * 300 * 30, 1e-6);
    cJSON_Delete(j);
}

Test(keepalive_world, the_last_instance_is_counted_up_to_the_end_of_the_run, .fini = cleanup)
{
    /* Arrival at 29h finishes at 29h + 1.5 s; the run ends 2 minutes later,
     * before its 10 minutes are up: 29 x 600 s + 118.5 s. */
    cJSON *j = run(PERIODIC("1742m", "", ""));
    cr_expect_float_eq(get(j, "keepalive.wasted_mb_s"), 100.0 * (600 * 29 + 118.5), 1e-6);
    cJSON_Delete(j);
}

Test(keepalive_world, none_makes_every_start_cold_and_wastes_nothing, .fini = cleanup)
{
    const char *sets[] = {"policies.keepalive=none"};
    cJSON *j = run_set(PERIODIC("30h", ",{\"function\": \"f\", \"region\": \"r\", \"arrival\": "
                                       "\"times\", \"times\": [\"10s\", \"20s\"]}", ""),
                       sets, 1);
    cr_expect_str_eq(cJSON_GetStringValue(at(j, "keepalive.policy")), "none");
    cr_expect_eq(get(j, "keepalive.starts"), 32);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 32);
    cr_expect_eq(get(j, "keepalive.wasted_mb_s"), 0);
    cJSON_Delete(j);
}

Test(keepalive_world, hybrid_reaches_zero_cold_starts_on_a_periodic_function, .fini = cleanup)
{
    /* Only the very first start is cold. Invocations 1..10 find the
     * instance kept for the histogram's range (4 h: too few samples). From
     * the 10th idle time (recorded at the 11th arrival) every sample is in
     * bin 59 ([59m, 60m)): the histogram is representative, so after each
     * of finishes 11..30 the instance is unloaded and pre-warmed at
     * 59m x 0.9 = 53.1 min, kept until 60m x 1.1 = 66 min after the finish:
     * 20 pre-warms, 19 used (the last one's arrival is past the end).
     * Wasted: idle from finish to next arrival for 1..10 (3598.5 s after the
     * cold one, 3599 s after each warm one), then 413 s per pre-warm
     * (60 min - 1 s - 53.1 min), the last up to the end of the run. */
    const char *sets[] = {"policies.keepalive.type=hybrid"};
    cJSON *j = run_set(PERIODIC("30h", "", ""), sets, 1);
    cr_expect_str_eq(cJSON_GetStringValue(at(j, "keepalive.policy")), "hybrid");
    cr_expect_eq(get(j, "keepalive.starts"), 30);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 1);
    cr_expect_eq(get(j, "totals.cold_starts"), 1);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 20);
    cr_expect_eq(get(j, "keepalive.prewarms.used"), 19);
    cr_expect_eq(get(j, "keepalive.prewarms.cancelled"), 0);
    cr_expect_eq(get(j, "keepalive.prewarms.failed"), 0);
    cr_expect_eq(get(j, "functions.f.prewarms"), 20);
    cr_expect_eq(get(j, "functions.f.prewarms_used"), 19);
    cr_expect_float_eq(get(j, "keepalive.wasted_mb_s"),
                       100.0 * (3598.5 + 9 * 3599 + 20 * 413), 1e-6);
    cJSON_Delete(j);
}

Test(keepalive_world, hybrid_after_min_samples_has_no_cold_start_even_with_a_short_range,
     .fini = cleanup)
{
    /* bins 70 x 1m: the 4-hour fallback becomes 70 minutes, still above the
     * period; min_samples 3 makes the histogram representative at the 4th
     * arrival. Same count: one cold start, then pre-warms from finish 4. */
    cJSON *j = run(PERIODIC("10h", "",
                            "\"keepalive\": {\"type\": \"hybrid\", \"bins\": 70, "
                            "\"min_samples\": 3}"));
    cr_expect_eq(get(j, "keepalive.cold_starts"), 1);
    cr_expect_eq(get(j, "keepalive.bins"), 70);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 7);
    cr_expect_eq(get(j, "keepalive.prewarms.used"), 6);
    cJSON_Delete(j);
}

Test(keepalive_world, hybrid_with_a_fallback_shorter_than_the_period_is_cold_until_representative,
     .fini = cleanup)
{
    /* bins 30 x 1m: idle times of ~60 min are out of bounds, so the
     * fallback (30 min keep-alive) applies forever: all cold, each wasting
     * 30 minutes (the last one too: 29h + 1.5 s + 30 min is before 30h). */
    cJSON *j = run(PERIODIC("30h", "", "\"keepalive\": {\"type\": \"hybrid\", \"bins\": 30}"));
    cr_expect_eq(get(j, "keepalive.cold_starts"), 30);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 0);
    cr_expect_float_eq(get(j, "keepalive.wasted_mb_s"), 100.0 * 1800 * 30, 1e-6);
    cJSON_Delete(j);
}

Test(keepalive_world, an_arrival_before_the_pre_warm_cancels_it, .fini = cleanup)
{
    /* min_samples 2: arrivals 0 (cold), 60m and 120m (warm: 4 h fallback);
     * the finish at 120m + 1 s is the first representative decision:
     * unload, pre-warm at 173.1 min. An extra arrival at 150m reaches the
     * node first: that pre-warm is cancelled and the start is cold. Its own
     * decision (the 5th percentile now in bin 29) pre-warms at 150m + 1.5 s
     * + 26.1 min = 176.1 min, which the arrival at 180m uses; the decision
     * after that (at +26.1 min again) falls after the end at 200m. */
    cJSON *j = run(PERIODIC("200m",
                            ",{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\", "
                            "\"times\": [\"150m\"]}",
                            "\"keepalive\": {\"type\": \"hybrid\", \"min_samples\": 2}"));
    cr_expect_eq(get(j, "keepalive.starts"), 5);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 2);
    cr_expect_eq(get(j, "keepalive.prewarms.cancelled"), 1);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 1);
    cr_expect_eq(get(j, "keepalive.prewarms.used"), 1);
    cr_expect_eq(get(j, "functions.f.prewarms_cancelled"), 1);
    cJSON_Delete(j);
}

Test(keepalive_world, a_pre_warm_past_the_end_is_not_scheduled, .fini = cleanup)
{
    /* As above, ending at 151m: the pre-warm due at 173.1 min is never
     * scheduled, so the arrival at 150m has nothing to cancel. */
    cJSON *j = run(PERIODIC("151m",
                            ",{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"times\", "
                            "\"times\": [\"150m\"]}",
                            "\"keepalive\": {\"type\": \"hybrid\", \"min_samples\": 2}"));
    cr_expect_eq(get(j, "keepalive.cold_starts"), 2);
    cr_expect_eq(get(j, "keepalive.prewarms.cancelled"), 0);
    cr_expect_eq(get(j, "keepalive.prewarms.done"), 0);
    cJSON_Delete(j);
}

Test(keepalive_world, keepalive_ttl_is_a_shorthand_for_fixed, .fini = cleanup)
{
    cJSON *j = run(PERIODIC("3h", "", "\"keepalive_ttl\": \"90m\""));
    cr_expect_str_eq(cJSON_GetStringValue(at(j, "keepalive.policy")), "fixed");
    cr_expect_eq(get(j, "keepalive.ttl_s"), 5400);
    cr_expect_eq(get(j, "keepalive.cold_starts"), 1);
    cJSON_Delete(j);
}

Test(keepalive_world, functions_csv_has_the_keepalive_columns, .fini = cleanup)
{
    cJSON *j = run(PERIODIC("30h", "", ""));
    cJSON_Delete(j);
    char *csv = slurp("functions.csv");
    cr_expect(strstr(csv, ",cold_start_pct,wasted_mb_s,prewarms,prewarms_used,"
                          "prewarms_cancelled,app,wait_mean_s,") != NULL,
              "%s", csv);
    cr_expect(strstr(csv, ",100.000,1800000.000,0,0,0,,") != NULL, "%s", csv);
    /* 30 instances, each living its 1.5 s execution and the 10 m keep-alive */
    cr_expect(strstr(csv, ",30,30,601.500000000,0\n") != NULL, "%s", csv);
    free(csv);
}

/* ---- diagnostics ---- */

static void expect_diag(const char *policies, const char *const *sets, size_t nsets,
                        const char *want)
{
    char text[4096];
    snprintf(text, sizeof text, PERIODIC("1h", "", "%s"), policies);
    sim_diag diags[8];
    size_t nd = 0;
    sim_scenario *sc =
        sim_scenario_parse(text, strlen(text), "inline.json", sets, nsets, diags, 8, &nd);
    cr_assert_null(sc, "accepted: %s", policies);
    cr_assert_eq(nd, 1, "one problem for %s, got %zu", policies, nd);
    char line[512];
    sim_diag_format(&diags[0], line, sizeof line);
    cr_expect(strstr(line, want) != NULL, "%s: got %s, want %s", policies, line, want);
}

Test(keepalive_world, bad_keepalive_values_each_give_their_diagnostic)
{
    expect_diag("\"keepalive\": \"sometimes\"", NULL, 0,
                "policies.keepalive: expected one of fixed, none, hybrid, found \"sometimes\"");
    expect_diag("\"keepalive\": \"hybird\"", NULL, 0, "(did you mean \"hybrid\"?)");
    expect_diag("\"keepalive\": 5", NULL, 0,
                "policies.keepalive: expected a keep-alive policy (\"fixed\", \"none\", "
                "\"hybrid\" or an object such as {\"type\": \"fixed\", \"ttl\": \"10m\"}), found 5");
    expect_diag("\"keepalive\": {\"type\": \"lru\"}", NULL, 0,
                "policies.keepalive.type: expected one of fixed, none, hybrid, found \"lru\"");
    expect_diag("\"keepalive\": {\"type\": \"fixed\", \"bins\": 3}", NULL, 0,
                "policies.keepalive.bins: expected only the fields of type fixed (type, ttl), "
                "found \"bins\"");
    expect_diag("\"keepalive\": {\"type\": \"none\", \"ttl\": \"1m\"}", NULL, 0,
                "policies.keepalive.ttl: expected only the fields of type none (type), found "
                "\"ttl\"");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"ttl\": \"1m\"}", NULL, 0,
                "policies.keepalive.ttl: expected only the fields of type hybrid");
    expect_diag("\"keepalive\": {\"tpye\": \"fixed\"}", NULL, 0,
                "policies.keepalive.tpye: expected a known field, found \"tpye\" (did you mean "
                "\"type\"?)");
    expect_diag("\"keepalive\": {\"ttl\": \"-1s\"}", NULL, 0,
                "policies.keepalive.ttl: expected a duration of at least 0s, found \"-1s\"");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"bins\": 0}", NULL, 0,
                "policies.keepalive.bins: expected a whole number from 1 to 100000, found 0");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"bin_width\": \"0s\"}", NULL, 0,
                "policies.keepalive.bin_width: expected a duration above 0s, found \"0s\"");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"margin\": 1}", NULL, 0,
                "policies.keepalive.margin: expected a number from 0 to below 1, found 1");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"oob_max\": 1.5}", NULL, 0,
                "policies.keepalive.oob_max: expected a number from 0 to 1, found 1.5");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"cv_threshold\": -1}", NULL, 0,
                "policies.keepalive.cv_threshold: expected a number from 0 to");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"min_samples\": 0}", NULL, 0,
                "policies.keepalive.min_samples: expected a whole number from 1 to");
    expect_diag("\"keepalive\": {\"type\": \"hybrid\", \"bins\": 100000, \"bin_width\": "
                "\"100d\"}",
                NULL, 0, "policies.keepalive: expected bins x bin_width below 292 years");
    expect_diag("\"keepalive\": \"none\", \"keepalive_ttl\": \"1m\"", NULL, 0,
                "policies.keepalive_ttl: expected either keepalive or keepalive_ttl");
    const char *set_bad[] = {"policies.keepalive=sometimes"};
    expect_diag("", set_bad, 1,
                "--set: policies.keepalive: expected one of fixed, none, hybrid, found "
                "\"sometimes\"");
    const char *set_both[] = {"policies.keepalive.type=none", "policies.keepalive_ttl=1m"};
    expect_diag("", set_both, 2, "expected either keepalive or keepalive_ttl");
}

Test(keepalive_world, set_paths_reach_the_config)
{
    const char *sets[] = {"policies.keepalive.type=hybrid", "policies.keepalive.bins=60",
                          "policies.keepalive.bin_width=30s", "policies.keepalive.margin=0.2"};
    char text[4096];
    snprintf(text, sizeof text, "%s", PERIODIC("1h", "", ""));
    sim_diag diags[8];
    size_t nd = 0;
    sim_scenario *sc = sim_scenario_parse(text, strlen(text), "inline.json", sets, 4, diags, 8, &nd);
    cr_assert_not_null(sc);
    const edge_keepalive_config *k = &sc->policies.keepalive;
    cr_expect_eq(k->type, EDGE_KEEPALIVE_HYBRID);
    cr_expect_eq(k->bins, 60);
    cr_expect_eq(k->bin_width, 30 * EDGE_S);
    cr_expect_float_eq(k->margin, 0.2, 1e-12);
    cr_expect_eq(k->min_samples, 10);
    sim_scenario_free(sc);

    const char *none[] = {"policies.keepalive=none"};
    sc = sim_scenario_parse(text, strlen(text), "inline.json", none, 1, diags, 8, &nd);
    cr_assert_not_null(sc);
    cr_expect_eq(sc->policies.keepalive.type, EDGE_KEEPALIVE_NONE);
    sim_scenario_free(sc);

    sc = sim_scenario_parse(text, strlen(text), "inline.json", NULL, 0, diags, 8, &nd);
    cr_assert_not_null(sc);
    cr_expect_eq(sc->policies.keepalive.type, EDGE_KEEPALIVE_FIXED);
    cr_expect_eq(sc->policies.keepalive.ttl, 10 * EDGE_MIN);
    sim_scenario_free(sc);
    /* One from --set overrides the other from the file. */
    snprintf(text, sizeof text, "%s", PERIODIC("1h", "", "\"keepalive_ttl\": \"3m\""));
    sc = sim_scenario_parse(text, strlen(text), "inline.json", none, 1, diags, 8, &nd);
    cr_assert_not_null(sc, "--set policies.keepalive over the file's keepalive_ttl");
    cr_expect_eq(sc->policies.keepalive.type, EDGE_KEEPALIVE_NONE);
    sim_scenario_free(sc);
    snprintf(text, sizeof text, "%s", PERIODIC("1h", "", "\"keepalive\": \"hybrid\""));
    const char *ttl[] = {"policies.keepalive_ttl=2m"};
    sc = sim_scenario_parse(text, strlen(text), "inline.json", ttl, 1, diags, 8, &nd);
    cr_assert_not_null(sc, "--set policies.keepalive_ttl over the file's keepalive");
    cr_expect_eq(sc->policies.keepalive.type, EDGE_KEEPALIVE_FIXED);
    cr_expect_eq(sc->policies.keepalive.ttl, 2 * EDGE_MIN);
    sim_scenario_free(sc);

    /* A type from --set drops the file's parameters of another type... */
    snprintf(text, sizeof text, "%s",
             PERIODIC("1h", "", "\"keepalive\": {\"type\": \"fixed\", \"ttl\": \"3m\"}"));
    const char *hyb[] = {"policies.keepalive.type=hybrid", "policies.keepalive.bins=30"};
    sc = sim_scenario_parse(text, strlen(text), "inline.json", hyb, 2, diags, 8, &nd);
    cr_assert_not_null(sc, "--set type=hybrid over a fixed ttl in the file");
    cr_expect_eq(sc->policies.keepalive.type, EDGE_KEEPALIVE_HYBRID);
    cr_expect_eq(sc->policies.keepalive.bins, 30);
    sim_scenario_free(sc);
    /* ... but not a parameter from --set that the type does not take. */
    expect_diag("\"keepalive\": {\"type\": \"fixed\", \"ttl\": \"3m\"}", hyb + 1, 1,
                "--set: policies.keepalive.bins: expected only the fields of type fixed");
    const char *both[] = {"policies.keepalive.type=none", "policies.keepalive.ttl=1m"};
    expect_diag("\"keepalive\": {\"type\": \"fixed\"}", both, 2,
                "policies.keepalive.ttl: expected only the fields of type none (type)");
}
