/* Whole runs with every feature at once — tiers and shared links, a moving
 * client group, a workflow with a branch, a repeat and an edge payload,
 * bursty load, random crashes, and an autoscaler or a hybrid keep-alive —
 * whose books must balance, whatever the policy: each arrival has exactly
 * one outcome or is in flight at the end, every per-function, per-node,
 * per-tier and per-interval split adds up to its total, the instances
 * counted as gone were counted as made, and a workflow's requests add up
 * to their outcomes. Each mixed run once found an instance count below zero
 * (an autoscaler's replicas were counted when they went, not when they
 * came): these pin that class of slip, not one example of it. */
#include <math.h>

#include "support.h"

static const char *const world =
    "{\"name\": \"books\", \"seed\": 11, \"duration\": \"20m\", \"sample_interval\": \"1m\","
    " \"regions\": [{\"id\": \"sub\", \"lat\": 48.80, \"lon\": 2.20},"
    "   {\"id\": \"down\", \"lat\": 48.86, \"lon\": 2.35},"
    "   {\"id\": \"fog\", \"lat\": 48.9, \"lon\": 2.4, \"tier\": \"fog\"},"
    "   {\"id\": \"cloud\", \"lat\": 50.1, \"lon\": 8.7, \"tier\": \"cloud\"}],"
    " \"nodes\": [{\"id\": \"sub-{i}\", \"count\": 3, \"region\": \"sub\", \"cores\": 2, \"memory_mb\": 2048},"
    "   {\"id\": \"down-{i}\", \"count\": 3, \"region\": \"down\", \"cores\": 2, \"memory_mb\": 2048},"
    "   {\"id\": \"fog-{i}\", \"count\": 2, \"region\": \"fog\", \"cores\": 8},"
    "   {\"id\": \"cl-{i}\", \"count\": 2, \"region\": \"cloud\", \"cores\": 32}],"
    " \"network\": {\"model\": \"coordinates\", \"base\": \"2ms\", \"per_km\": \"10us\","
    "   \"links\": [{\"kind\": \"access\", \"nodes\": [\"*\"], \"capacity\": \"100Mbps\"},"
    "     {\"kind\": \"uplink\", \"region\": \"sub\", \"capacity\": \"200Mbps\"},"
    "     {\"kind\": \"uplink\", \"region\": \"down\", \"capacity\": \"200Mbps\"},"
    "     {\"kind\": \"uplink\", \"region\": \"fog\", \"capacity\": \"1Gbps\"},"
    "     {\"kind\": \"uplink\", \"region\": \"cloud\", \"capacity\": \"10Gbps\"}]},"
    " \"clients\": [{\"id\": \"walkers\", \"start\": \"sub\", \"mobility\": \"markov\","
    "   \"rates\": {\"sub\": {\"down\": \"6/h\"}, \"down\": {\"sub\": \"4/h\", \"fog\": \"1/h\"},"
    "             \"fog\": {\"down\": \"3/h\"}}}],"
    " \"functions\": [{\"id\": \"a\", \"memory_mb\": 256,"
    "     \"exec_time\": {\"type\": \"exponential\", \"mean\": \"30ms\"},"
    "     \"cold_start\": {\"type\": \"uniform\", \"min\": \"100ms\", \"max\": \"300ms\"},"
    "     \"request_kb\": 40, \"response_kb\": {\"type\": \"exponential\", \"mean\": 300}},"
    "   {\"id\": \"b\", \"memory_mb\": 512,"
    "     \"exec_time\": {\"type\": \"lognormal\", \"mean\": \"80ms\", \"stddev\": \"40ms\"},"
    "     \"request_kb\": 10, \"response_kb\": 10},"
    "   {\"id\": \"c\", \"memory_mb\": 128, \"exec_time\": \"5ms\"}],"
    " \"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],"
    " \"workflows\": [{\"id\": \"wf\", \"deadline\": \"2s\", \"steps\": ["
    "   {\"id\": \"s1\", \"function\": \"a\"},"
    "   {\"id\": \"s2\", \"function\": \"b\", \"after\": [{\"step\": \"s1\", \"payload_mb\": 1}], \"repeat\": 2},"
    "   {\"id\": \"s3\", \"function\": \"c\", \"after\": [{\"step\": \"s1\", \"probability\": 0.3}]},"
    "   {\"id\": \"s4\", \"function\": \"c\", \"after\": [{\"step\": \"s1\", \"probability\": 0.7}]},"
    "   {\"id\": \"s5\", \"function\": \"a\", \"after\": [\"s2\", \"s3\", \"s4\"]}]}],"
    " \"workloads\": [{\"workflow\": \"wf\", \"clients\": \"walkers\", \"arrival\": \"poisson\", \"rate\": 8},"
    "   {\"function\": \"a\", \"region\": \"down\", \"arrival\": \"bursty\", \"on_rate\": 60,"
    "    \"off_rate\": 5, \"on_mean\": \"30s\", \"off_mean\": \"3m\"},"
    "   {\"function\": \"c\", \"clients\": \"walkers\", \"arrival\": \"poisson\", \"rate\": 20}],"
    " \"faults\": [{\"kind\": \"random_failures\", \"nodes\": [\"*\"],"
    "   \"ttf\": {\"type\": \"exponential\", \"mean\": \"10m\"},"
    "   \"ttr\": {\"type\": \"exponential\", \"mean\": \"1m\"}}],"
    " \"policies\": {\"keepalive_ttl\": \"2m\", \"retries\": 1}}";

static const char *const fns[] = {"a", "b", "c"};

/* The column COL of the CSV line LINE (0-based), as a number. */
static double csv_col(const char *line, int col)
{
    for (int k = 0; k < col && line; k++) {
        line = strchr(line, ',');
        line = line ? line + 1 : NULL;
    }
    cr_assert_not_null(line, "a column %d", col);
    return strtod(line, NULL);
}

/* The index of COLUMN in the CSV header line HEAD. */
static int csv_index(const char *head, const char *column)
{
    size_t n = strlen(column);
    int k = 0;
    for (const char *c = head; c; k++) {
        const char *e = strpbrk(c, ",\n");
        size_t len = e ? (size_t)(e - c) : strlen(c);
        if (len == n && !strncmp(c, column, n))
            return k;
        c = e && *e == ',' ? e + 1 : NULL;
    }
    cr_assert_fail("a column %s", column);
    return -1;
}

static void check_books(const char *scheduler, const char *extra)
{
    char sched[96], more[160];
    snprintf(sched, sizeof sched, "policies.scheduler=\"%s\"", scheduler);
    snprintf(more, sizeof more, "%s", extra);
    const char *sets[] = {sched, more};
    cJSON *j = run_into_tmp("/tmp/edgesim-books-XXXXXX", world, sets, extra[0] ? 2 : 1, 0);

    /* every arrival: one outcome, or in flight at the end */
    double arrivals = get(j, "totals.arrivals"), ok = get(j, "totals.ok");
    double failed = get(j, "totals.failed"), rejected = get(j, "totals.rejected");
    double in_flight = get(j, "totals.in_flight_at_end");
    cr_assert_gt(arrivals, 10000, "a busy run");
    cr_assert_gt(failed, 0, "crashes fail work");
    cr_expect_eq(arrivals, ok + failed + rejected + in_flight);
    double outcomes = 0;
    for (const cJSON *o = at(j, "outcomes")->child; o; o = o->next)
        outcomes += o->valuedouble;
    cr_expect_eq(outcomes, arrivals, "outcomes %g, arrivals %g", outcomes, arrivals);
    cr_expect_eq(get(j, "latency_s.count"), ok);
    cr_expect_leq(get(j, "totals.cold_starts"), get(j, "totals.started"));

    /* the functions' parts add up to the totals; instances made >= gone */
    double f_arr = 0, f_ok = 0, f_cold = 0;
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        char p[96];
        snprintf(p, sizeof p, "functions.%s.arrivals", fns[i]);
        f_arr += get(j, p);
        snprintf(p, sizeof p, "functions.%s.ok", fns[i]);
        f_ok += get(j, p);
        snprintf(p, sizeof p, "functions.%s.cold_starts", fns[i]);
        f_cold += get(j, p);
        snprintf(p, sizeof p, "functions.%s.instances", fns[i]);
        expect_instances_balance(j, p);
    }
    cr_expect_eq(f_arr, arrivals);
    cr_expect_eq(f_ok, ok);
    cr_expect_eq(f_cold, get(j, "totals.cold_starts"));
    expect_instances_balance(j, "instances");

    /* the network's splits: every ok invocation in one tier; the group's
     * invocations are some of them */
    double tiers = 0;
    for (const cJSON *t = at(j, "network.tiers")->child; t; t = t->next)
        tiers += get(t, "count");
    cr_expect_eq(tiers, ok, "tiers %g, ok %g", tiers, ok);
    cr_expect_eq(get(j, "network.all.count"), ok);
    double regions = 0;
    for (const cJSON *g = at(j, "network.client_groups")->child; g; g = g->next)
        regions += get(g, "count");
    cr_expect_eq(regions, ok);
    double walkers = get(j, "network.mobility.walkers.count");
    cr_expect_gt(walkers, 0);
    cr_expect_lt(walkers, ok, "the bursty workload has no group");

    /* the workflow's requests add up to their outcomes */
    cr_expect_eq(get(j, "workflows.wf.requests"),
                 get(j, "workflows.wf.ok") + get(j, "workflows.wf.deadline_missed") +
                     get(j, "workflows.wf.failed") + get(j, "workflows.wf.in_flight_at_end"));
    cr_expect_eq(get(j, "workflows.wf.latency_s.count"),
                 get(j, "workflows.wf.ok") + get(j, "workflows.wf.deadline_missed"));

    /* the intervals: arrivals add up, and in flight at each interval's end
     * is what came minus what ended, so far */
    char *csv = slurp("timeseries.csv");
    int c_arr = csv_index(csv, "arrivals"), c_done = csv_index(csv, "completions");
    int c_fail = csv_index(csv, "failures"), c_rej = csv_index(csv, "rejections");
    int c_in = csv_index(csv, "in_flight");
    double sum = 0, open = 0;
    int rows = 0;
    for (char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *l = line + 1;
        sum += csv_col(l, c_arr);
        open += csv_col(l, c_arr) - csv_col(l, c_done) - csv_col(l, c_fail) - csv_col(l, c_rej);
        cr_expect_eq(csv_col(l, c_in), open, "row %d: in flight %g, came minus ended %g", rows,
                     csv_col(l, c_in), open);
        rows++;
    }
    cr_expect_eq(rows, 20);
    cr_expect_eq(sum, arrivals);
    free(csv);

    /* the nodes' ok and cold starts add up to the totals */
    csv = slurp("nodes.csv");
    int n_ok = csv_index(csv, "ok"), n_cold = csv_index(csv, "cold_starts");
    double nodes_ok = 0, nodes_cold = 0;
    for (char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        nodes_ok += csv_col(line + 1, n_ok);
        nodes_cold += csv_col(line + 1, n_cold);
    }
    cr_expect_eq(nodes_ok, ok);
    cr_expect_eq(nodes_cold, get(j, "totals.cold_starts"));
    free(csv);
    cJSON_Delete(j);
}

TestSuite(accounting, .fini = cleanup, .timeout = 120);

Test(accounting, the_books_balance_with_offloading_and_a_concurrency_autoscaler)
{
    check_books("offload_threshold", "policies.autoscaler={\"type\": \"concurrency\", \"target\": 2}");
}

Test(accounting, the_books_balance_with_latency_aware_routing_and_a_utilization_autoscaler)
{
    check_books("latency_aware", "policies.autoscaler={\"type\": \"utilization\", \"target\": 0.5}");
}

Test(accounting, the_books_balance_with_warm_first_and_hybrid_keepalive)
{
    check_books("warm_first", "policies.keepalive=\"hybrid\"");
}

Test(accounting, the_books_balance_with_power_of_two_and_nothing_else)
{
    check_books("power_of_two", "");
}
