/*
 * test_limits.c — pins the cost estimate of a scenario (sim/scenario/limits.h):
 * hand-computed events and memory of small scenarios, a limit exactly at
 * the estimate passes and one below it fails, each bomb of issue 17 is
 * refused with the field that drives it, the size and count parsers, and
 * every shipped scenario validates with the default limits, with margin.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "scenario/limits.h"
#include "scenario/scenario.h"

#define MAXD 16
static sim_diag diags[MAXD];
static size_t ndiags;

static sim_scenario *parse(const char *text)
{
    sim_scenario *s = sim_scenario_parse(text, strlen(text), "t.json", NULL, 0, diags, MAXD,
                                         &ndiags);
    if (!s) {
        char line[1024];
        sim_diag_format(&diags[0], line, sizeof line);
        cr_log_error("%s", line);
    }
    cr_assert_not_null(s);
    return s;
}

/* 100 s; samples every 10 s; one node (heartbeat 10 s, checks every 5 s,
 * 4 cores, queue_limit 100); one function; a constant arrival every second. */
static const char small[] =
    "{\"duration\": \"100s\", \"sample_interval\": \"10s\", \"regions\": [{\"id\": \"eu\"}],"
    " \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}],"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"10ms\"}}],"
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"constant\","
    " \"interval\": \"1s\"}]}";

Test(limits, estimates_the_events_of_a_small_scenario_by_its_formula)
{
    sim_scenario *s = parse(small);
    sim_estimate e;
    sim_limits_estimate(s, 0, &e);
    /* samples (100/10 + 1) x (1 + 1 node) = 22; heartbeats 2 x 100/10 = 20;
     * health checks 100/5 x (1 + 1 node) = 40; arrivals 100/1 + 1 = 101,
     * 4 events each = 404 */
    cr_assert_eq(e.events, 22 + 20 + 40 + 404, "events %.0f", e.events);
    cr_assert_str_eq(e.events_field, "workloads[0].interval");
    /* 16 MiB base, a node 3 KiB, a function 8 KiB, one deployment 512 B,
     * queue 100 x 4, in flight min(101, 4 + 100) x 512, latency 1 x 1 x 8 */
    double mem = 16777216.0 + 3072 + 8192 + 512 + 400 + 101 * 512 + 8;
    cr_assert_eq(e.memory, mem, "memory %.0f", e.memory);
    sim_scenario_free(s);
}

Test(limits, a_limit_at_the_estimate_passes_and_one_below_fails)
{
    sim_scenario *s = parse(small);
    sim_limits l = sim_limits_default();
    char err[512] = "";
    l.max_events = 486;
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), 0, "%s", err);
    l.max_events = 485;
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), -1);
    cr_assert_str_eq(err, "t.json: workloads[0].interval: this run would run arrivals (with their "
                          "invocations' events) for about 486 events (limit 485 events); change "
                          "workloads[0].interval, or pass --max-events N to raise the limit (0 or "
                          "none: no limit)");
    l.max_events = 0; /* no limit */
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), 0);
    l.max_memory = 16841112;
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), 0, "%s", err);
    l.max_memory = 16841111;
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), -1);
    cr_assert(strstr(err, "--max-memory SIZE"), "%s", err);
    sim_scenario_free(s);
}

Test(limits, invocations_csv_counts_only_when_asked)
{
    sim_scenario *s = parse(small);
    sim_estimate a, b;
    sim_limits_estimate(s, 0, &a);
    sim_limits_estimate(s, 1, &b);
    cr_assert_eq(b.output - a.output, 101 * 192.0);
    sim_scenario_free(s);
}

/* The small scenario with `top` added at the top level and `node` in its node. */
static sim_scenario *variant(const char *top, const char *node, const char *faults)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"duration\": \"1m\", %s \"regions\": [{\"id\": \"eu\"}],"
             " \"nodes\": [{\"id\": \"n{i}\", \"count\": 2, \"region\": \"eu\" %s}],"
             " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\","
             " \"value\": \"10ms\"}}],"
             " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
             " \"workloads\": [{\"function\": \"f\", \"region\": \"eu\", \"arrival\": \"poisson\","
             " \"rate\": 10}] %s}",
             top, node, faults);
    return parse(buf);
}

static void expect_refused(sim_scenario *s, const char *field, const char *option)
{
    sim_limits l = sim_limits_default();
    char err[512] = "";
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), -1, "accepted: %s", field);
    char want[128];
    snprintf(want, sizeof want, "t.json: %s: this run would", field);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "%s", err);
    cr_assert(strstr(err, option), "%s", err);
    sim_scenario_free(s);
}

Test(limits, refuses_a_one_nanosecond_sample_interval)
{
    expect_refused(variant("\"sample_interval\": \"1ns\",", "", ""), "sample_interval",
                   "--max-events");
}

Test(limits, refuses_random_failures_every_nanosecond)
{
    expect_refused(variant("", "",
                           ", \"faults\": [{\"kind\": \"random_failures\", \"nodes\": [\"n*\"],"
                           " \"ttf\": {\"type\": \"constant\", \"value\": \"1ns\"},"
                           " \"ttr\": {\"type\": \"constant\", \"value\": \"1ns\"}}]"),
                   "faults[0].ttf", "--max-events");
}

Test(limits, refuses_queues_beyond_memory)
{
    /* 2 nodes x 1e7 x 4 bytes is only 80 MB: the limit is what refuses */
    sim_scenario *s = variant("", ", \"queue_limit\": 10000000", "");
    sim_limits l = sim_limits_default();
    char err[512];
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), 0, "%s", err);
    l.max_memory = 64u << 20;
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), -1);
    cr_assert(strstr(err, "nodes[*].queue_limit: this run would allocate node queues"), "%s", err);
    sim_scenario_free(s);
}

Test(limits, counts_hybrid_bins_times_functions)
{
    sim_scenario *s = variant("\"policies\": {\"keepalive\": {\"type\": \"hybrid\", \"bins\": 100000}},",
                              "", "");
    sim_estimate e;
    sim_limits_estimate(s, 0, &e);
    cr_assert_geq(e.memory, 100000 * 8.0);
    cr_assert_lt(e.memory, 100000 * 8.0 + 17e6);
    sim_scenario_free(s);
}

/* A burst keeps one arrival pending at a time: its count costs events, not memory. */
Test(limits, a_burst_counts_its_invocations_in_events_not_memory)
{
    sim_scenario *s = variant("", "",
                              ", \"faults\": [{\"kind\": \"burst\", \"at\": \"1s\", \"for\": \"10s\","
                              " \"function\": \"f\", \"region\": \"eu\", \"count\": 100000000}]");
    sim_estimate e;
    sim_limits_estimate(s, 0, &e);
    cr_assert_str_eq(e.events_field, "faults[0].count");
    cr_assert_geq(e.events, 4e8);
    cr_assert_lt(e.memory, 32e6, "memory %.3g", e.memory);
    sim_limits l = sim_limits_default();
    l.max_events = 100000000;
    char err[512];
    cr_assert_eq(sim_limits_check(s, &l, err, sizeof err), -1);
    cr_assert(strstr(err, "about 4e8 events (limit 1e8 events)"), "%s", err);
    sim_scenario_free(s);
}

Test(limits, parses_counts_and_sizes)
{
    uint64_t v = 7;
    cr_assert_eq(sim_limits_parse_count("5e9", &v), 0);
    cr_assert_eq(v, 5000000000ull);
    cr_assert_eq(sim_limits_parse_count("none", &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(sim_limits_parse_count("12", &v), 0);
    cr_assert_eq(v, 12);
    v = 7;
    cr_assert_eq(sim_limits_parse_count("-1", &v), -1);
    cr_assert_eq(sim_limits_parse_count("1.5", &v), -1);
    cr_assert_eq(sim_limits_parse_count("lots", &v), -1);
    cr_assert_eq(sim_limits_parse_count("", &v), -1);
    cr_assert_eq(v, 7);
    cr_assert_eq(sim_limits_parse_size("16G", &v), 0);
    cr_assert_eq(v, 16ull << 30);
    cr_assert_eq(sim_limits_parse_size("512MiB", &v), 0);
    cr_assert_eq(v, 512ull << 20);
    cr_assert_eq(sim_limits_parse_size("1.5K", &v), 0);
    cr_assert_eq(v, 1536);
    cr_assert_eq(sim_limits_parse_size("4096", &v), 0);
    cr_assert_eq(v, 4096);
    cr_assert_eq(sim_limits_parse_size("0", &v), 0);
    cr_assert_eq(v, 0);
    v = 7;
    cr_assert_eq(sim_limits_parse_size("16X", &v), -1);
    cr_assert_eq(sim_limits_parse_size("-1G", &v), -1);
    cr_assert_eq(sim_limits_parse_size("G", &v), -1);
    cr_assert_eq(sim_limits_parse_size("100000000T", &v), -1); /* past 64 bits */
    cr_assert_eq(v, 7);
}

/* Every shipped scenario that loads here (some need a built plugin or a
 * generated trace) is within a quarter of each default limit, and within the
 * output limit with invocations.csv (the one-day Azure replay, with the real
 * trace beside the repository, writes about 2.5 GB of invocations.csv).
 * scenarios/scale-1m.json is the one exception on purpose: it is the
 * benchmark of the memory limit itself (a million nodes in under 8 GiB), so
 * it must pass the defaults as shipped, not with a margin of four. */
Test(limits, every_shipped_scenario_is_well_within_the_defaults)
{
    FILE *p = popen("find scenarios tests/scenarios/good tests/fixtures examples -name '*.json'"
                    " ! -name schema.json ! -path '*/sweeps/*' ! -name summary.json | sort",
                    "r");
    cr_assert_not_null(p);
    char path[4096];
    int loaded = 0;
    while (fgets(path, sizeof path, p)) {
        path[strcspn(path, "\n")] = '\0';
        size_t nd = 0;
        sim_scenario *s = sim_scenario_load(path, NULL, 0, diags, MAXD, &nd);
        if (!s)
            continue;
        loaded++;
        sim_estimate e, inv;
        sim_limits_estimate(s, 0, &e);
        sim_limits_estimate(s, 1, &inv); /* run --invocations: within the limit */
        cr_expect_lt(inv.output, (double)SIM_LIMITS_DEFAULT_OUTPUT, "%s: %.3g bytes", path,
                     inv.output);
        double margin = strstr(path, "scale-1m.json") ? 1.0 : 4.0;
        cr_expect_lt(e.events, SIM_LIMITS_DEFAULT_EVENTS / margin, "%s: %.3g events", path,
                     e.events);
        cr_expect_lt(e.memory, SIM_LIMITS_DEFAULT_MEMORY / margin, "%s: %.3g bytes", path,
                     e.memory);
        cr_expect_lt(e.output, SIM_LIMITS_DEFAULT_OUTPUT / margin, "%s: %.3g bytes", path,
                     e.output);
        sim_scenario_free(s);
    }
    pclose(p);
    cr_assert_geq(loaded, 20, "only %d scenarios loaded", loaded);
}

/* Two regions with points, one workload from client group `group`. */
static sim_scenario *moving(const char *group)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"duration\": \"1h\", \"regions\": [{\"id\": \"w\", \"x\": 0, \"y\": 0},"
             " {\"id\": \"e\", \"x\": 1, \"y\": 0}],"
             " \"nodes\": [{\"id\": \"n\", \"region\": \"w\"}],"
             " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\","
             " \"value\": \"10ms\"}}],"
             " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"
             " \"clients\": [%s],"
             " \"workloads\": [{\"function\": \"f\", \"clients\": \"c\", \"arrival\": \"poisson\","
             " \"rate\": 1}]}",
             group);
    return parse(buf);
}

/* Client moves are worked out one step at a time when a request asks where
 * its group is: a group that moves every nanosecond is refused before it
 * runs, as a sample every nanosecond is. */
Test(limits, counts_waypoint_legs_and_refuses_a_group_that_never_stops_moving)
{
    /* legs of at least (3 km / 3) / 6 km/h = 10 minutes plus the mean
     * pause of 5 minutes: 1 h / 15 min = 4 legs, x (1 + 2 regions) */
    sim_scenario *s = moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"random_waypoint\","
                             " \"area\": {\"x\": [0, 3], \"y\": [0, 1]}, \"speed_kmh\": [3, 6],"
                             " \"pause\": {\"type\": \"exponential\", \"mean\": \"5m\"}}");
    sim_scenario *still = moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"trace\","
                                 " \"moves\": [[\"1s\", \"w\"]]}");
    sim_estimate e, base;
    sim_limits_estimate(s, 0, &e);
    sim_limits_estimate(still, 0, &base);
    cr_assert_float_eq(e.events - (base.events - 1), 12.0, 1e-6, "%.9g", e.events - base.events);
    sim_scenario_free(s);
    sim_scenario_free(still);
    /* a millimetre-wide area at 10,000 km/h: a leg every nanosecond */
    expect_refused(moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"random_waypoint\","
                          " \"area\": {\"x\": [0, 1e-6], \"y\": [0, 1e-6]},"
                          " \"speed_kmh\": 10000}"),
                   "clients[0].speed_kmh", "--max-events");
}

Test(limits, counts_markov_moves_at_the_fastest_way_out)
{
    /* out of w at 2/s, out of e at 1/s: at most 2/s for an hour */
    sim_scenario *s = moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"markov\","
                             " \"rates\": {\"w\": {\"e\": \"2/s\"}, \"e\": {\"w\": \"1/s\"}}}");
    sim_scenario *still = moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"trace\","
                                 " \"moves\": [[\"1s\", \"w\"]]}");
    sim_estimate e, base;
    sim_limits_estimate(s, 0, &e);
    sim_limits_estimate(still, 0, &base);
    cr_assert_float_eq(e.events - (base.events - 1), 7200.0, 1e-6);
    sim_scenario_free(s);
    sim_scenario_free(still);
    expect_refused(moving("{\"id\": \"c\", \"start\": \"w\", \"mobility\": \"markov\","
                          " \"rates\": {\"w\": {\"e\": \"1000000/s\"}, \"e\": {\"w\": \"1/s\"}}}"),
                   "clients[0].rates", "--max-events");
}
