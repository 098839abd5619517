/* Pins sim/scenario: defaults, group expansion and id patterns, reference
 * resolution (patterns included), --set overrides, the exact form of the
 * diagnostics (unknown fields, duplicate ids, unknown references, bare
 * numbers where durations are meant), the stable order of faults, network
 * latencies, CSV traces, the shipped scale scenario, and that truncated or
 * corrupted input never crashes. The full catalogue of error lines lives in
 * tests/scenarios/bad (checked by tests/cli/validate.t). */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario.h"

#define MAXD 64

static sim_diag diags[MAXD];
static size_t ndiags;

static const char *const BASE_HEAD =
    "{\"duration\": \"1h\", \"regions\": [{\"id\": \"eu\"}, {\"id\": \"us\"}],"
    " \"functions\": [{\"id\": \"api\", \"exec_time\": {\"type\": \"constant\", \"value\": \"50ms\"}}]";

/* Parses BASE_HEAD + extra + "}" (extra starts with a comma or is empty). */
static sim_scenario *parse_with(const char *extra, const char *const *sets, size_t nsets)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s%s}", BASE_HEAD, extra);
    return sim_scenario_parse(buf, strlen(buf), "t.json", sets, nsets, diags, MAXD, &ndiags);
}

static sim_scenario *parse_text(const char *text)
{
    return sim_scenario_parse(text, strlen(text), "t.json", NULL, 0, diags, MAXD, &ndiags);
}

/* The formatted diagnostic i. */
static const char *line(size_t i)
{
    static char buf[1024];
    sim_diag_format(&diags[i], buf, sizeof buf);
    return buf;
}

static void expect_lines(const char *const *want, size_t n)
{
    cr_assert_eq(ndiags, n, "%zu diagnostics, want %zu; first: %s", ndiags, n,
                 ndiags ? line(0) : "");
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(line(i), want[i]);
}

Test(scenario, applies_the_documented_defaults)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_str_eq(s->name, "t");
    cr_expect_str_eq(s->path, "t.json");
    cr_expect_eq(s->seed, 1);
    cr_expect_eq(s->duration, EDGE_HOUR);
    cr_expect_eq(s->sample_interval, 36 * EDGE_S);
    cr_assert_eq(s->nnodes, 1);
    const sim_node_spec *n = &s->nodes[0];
    cr_expect_eq(n->region, 1);
    cr_expect_eq(n->cores, 4);
    cr_expect_eq(n->memory_mb, 4096);
    cr_expect_eq(n->disk_mb, 32768);
    cr_expect_eq(n->heartbeat_interval, 10 * EDGE_S);
    cr_expect_eq(n->queue_limit, 100);
    cr_expect_eq(n->idle_watts, 50);
    cr_expect_eq(n->busy_watts, 150);
    cr_expect_eq(n->starts_registered, 1);
    cr_expect_eq(n->has_coords, 0);
    const sim_function_spec *f = &s->functions[0];
    cr_expect_eq(f->memory_mb, 128);
    cr_expect_eq(f->timeout, 60 * EDGE_S);
    cr_expect_not_null(f->exec);
    cr_expect_not_null(f->cold_start, "the default cold start is a constant 500ms");
    cr_expect_eq(f->instance_limit, 0);
    cr_expect_str_eq(s->policies.scheduler, "least_loaded");
    cr_expect_eq(s->policies.keepalive_ttl, 10 * EDGE_MIN);
    cr_expect_eq(s->policies.health_window, 60 * EDGE_S);
    cr_expect_eq(s->policies.check_interval, 5 * EDGE_S);
    cr_expect_eq(s->policies.retries, 0);
    cr_expect_eq(s->network.kind, SIM_NET_NONE);
    cr_expect_eq(sim_scenario_latency(s, 1, 0), EDGE_MS);
    cr_expect_eq(sim_scenario_latency(s, 0, 0), 50 * EDGE_MS);
    cr_expect_eq(s->ndeployments + s->nworkloads + s->nfaults, 0);
    sim_scenario_free(s);
}

Test(scenario, sample_interval_defaults_to_a_hundredth_of_the_duration_at_least_1s)
{
    const char *sets[] = {"duration=\"30s\""};
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 1);
    cr_assert_not_null(s);
    cr_expect_eq(s->sample_interval, EDGE_S);
    sim_scenario_free(s);
}

Test(scenario, expands_groups_with_padding_and_first)
{
    sim_scenario *s = parse_with(
        ", \"nodes\": [{\"id\": \"edge-{i:03}\", \"count\": 12, \"region\": \"eu\", \"cores\": 8,"
        " \"capabilities\": [\"gpu\", \"ssd\"]}, {\"id\": \"solo\", \"region\": \"us\"},"
        " {\"id\": \"x{i}y\", \"count\": 2, \"first\": 0, \"region\": \"us\"}]",
        NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_assert_eq(s->nnodes, 15);
    cr_expect_str_eq(s->nodes[0].id, "edge-001");
    cr_expect_str_eq(s->nodes[11].id, "edge-012");
    cr_expect_str_eq(s->nodes[12].id, "solo");
    cr_expect_str_eq(s->nodes[13].id, "x0y");
    cr_expect_str_eq(s->nodes[14].id, "x1y");
    for (size_t i = 0; i < 12; i++) {
        cr_expect_eq(s->nodes[i].cores, 8);
        cr_expect_eq(s->nodes[i].region, 0);
        cr_assert_eq(s->nodes[i].ncaps, 2);
        cr_expect_str_eq(s->nodes[i].caps[1], "ssd");
        cr_expect_neq(s->nodes[i].caps, s->nodes[0].caps == s->nodes[i].caps && i ? NULL : (char **)1,
                      "every node owns its capability list");
    }
    cr_expect_eq(sim_scenario_node_index(s, "edge-007"), 6);
    cr_expect_eq(sim_scenario_node_index(s, "x1y"), 14);
    cr_expect_eq(sim_scenario_node_index(s, "edge-7"), SIM_ALL);
    cr_expect_eq(sim_scenario_function_index(s, "api"), 0);
    cr_expect_eq(sim_scenario_function_index(s, "nope"), SIM_ALL);
    sim_scenario_free(s);
}

Test(scenario, patterns_select_functions_and_nodes)
{
    const char *text =
        "{\"duration\": \"1h\", \"regions\": [{\"id\": \"eu\"}],"
        " \"nodes\": [{\"id\": \"eu-{i}\", \"count\": 4, \"region\": \"eu\"}, {\"id\": \"gpu-1\", \"region\": \"eu\"}],"
        " \"functions\": [{\"id\": \"fn-{i:02}\", \"count\": 3, \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}},"
        "   {\"id\": \"other\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        " \"deployments\": [{\"function\": \"fn-*\", \"strategy\": \"least_loaded\", \"replicas\": 2},"
        "   {\"function\": \"other\", \"strategy\": \"nodes\", \"nodes\": [\"eu-*\", \"eu-2\", \"gpu-1\"]}],"
        " \"workloads\": [{\"function\": \"*\", \"region\": \"eu\", \"arrival\": \"times\", \"times\": [\"3s\", \"1s\"]}],"
        " \"faults\": [{\"kind\": \"random_failures\", \"nodes\": [\"*\"],"
        "   \"ttf\": {\"type\": \"exponential\", \"mean\": \"1h\"}, \"ttr\": {\"type\": \"constant\", \"value\": \"1m\"}}]}";
    sim_scenario *s = parse_text(text);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_assert_eq(s->ndeployments, 4);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(s->deployments[i].function, i);
        cr_expect_eq(s->deployments[i].kind, SIM_DEPLOY_LEAST_LOADED);
        cr_expect_eq(s->deployments[i].replicas, 2);
    }
    const sim_deployment_spec *d = &s->deployments[3];
    cr_expect_eq(d->kind, SIM_DEPLOY_NODES);
    cr_assert_eq(d->nnodes, 5, "each node once, in order of first mention");
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(d->nodes[i], i);
    cr_assert_eq(s->nworkloads, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_eq(s->workloads[i].function, i);
        cr_assert_eq(s->workloads[i].ntimes, 2);
        cr_expect_eq(s->workloads[i].times[0], EDGE_S, "times are sorted");
        cr_expect_eq(s->workloads[i].times[1], 3 * EDGE_S);
    }
    cr_assert_eq(s->nfaults, 1);
    cr_expect_eq(s->faults[0].nnodes, 5);
    cr_expect_not_null(s->faults[0].ttf);
    cr_expect_not_null(s->faults[0].ttr);
    sim_scenario_free(s);
}

Test(scenario, set_overrides_apply_before_validation)
{
    const char *sets[] = {
        "seed=7",                        /* a number */
        "policies.scheduler=round_robin", /* not JSON: a string; creates "policies" */
        "functions[0].memory_mb=512",
        "nodes[0].capabilities=[\"gpu\"]",
        "name=renamed",
    };
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 5);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->seed, 7);
    cr_expect_str_eq(s->policies.scheduler, "round_robin");
    cr_expect_eq(s->functions[0].memory_mb, 512);
    cr_assert_eq(s->nodes[0].ncaps, 1);
    cr_expect_str_eq(s->nodes[0].caps[0], "gpu");
    cr_expect_str_eq(s->name, "renamed");
    sim_scenario_free(s);
}

Test(scenario, set_problems_are_reported_under_set)
{
    const char *sets[] = {"functions[3].memory_mb=1", "duration[0]=1", "=5", "seed=-2",
                          "functions[0].timeout=5"};
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 5);
    cr_assert_null(s);
    const char *want[] = {
        "--set: functions[3].memory_mb: expected an index below 1 in functions, found 3",
        "--set: duration[0]: expected a list at duration to index, found \"1h\"",
        "--set: expected PATH=VALUE such as \"policies.scheduler=round_robin\", found \"=5\"",
        "--set: seed: expected a whole number from 0 to 9007199254740991, found -2",
        "--set: functions[0].timeout: expected a duration such as \"3s\", found 5",
    };
    expect_lines(want, 5);
}

Test(scenario, a_set_that_fails_leaves_nothing_behind)
{
    /* Objects made for a path's start stayed in the tree when a later
     * segment failed, and were reported again as unknown fields ("a..b"
     * gave "a: expected a known field"); an index into an absent list
     * said it found the object just made for it. */
    const char *sets[] = {"a..b=1", "x[0]=1", "policies.deep.list[2]=1", "nodes[0].id.x=1"};
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 4);
    cr_assert_null(s);
    const char *want[] = {
        "--set: expected PATH=VALUE with a path such as \"functions[0].memory_mb\", found \"a..b=1\"",
        "--set: x[0]: expected a list at x to index, found nothing",
        "--set: policies.deep.list[2]: expected a list at policies.deep.list to index, found nothing",
        "--set: nodes[0].id.x: expected an object at nodes[0].id to set \"x\" in, found \"a\"",
    };
    expect_lines(want, 4);
}

Test(scenario, unknown_fields_are_errors_with_a_suggestion)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\", \"coers\": 2, \"zzz\": 1}]",
                                 NULL, 0);
    cr_assert_null(s);
    const char *want[] = {
        "t.json:1:190: nodes[0].coers: expected a known field, found \"coers\" (did you mean \"cores\"?)",
        "t.json:1:200: nodes[0].zzz: expected a known field (id, count, first, region, lat, lon, "
        "capabilities, cores, memory_mb, disk_mb, heartbeat_interval, queue_limit, idle_watts, "
        "busy_watts, cache_mb, bandwidth_mb_per_s), found \"zzz\"",
    };
    expect_lines(want, 2);
}

Test(scenario, duplicate_ids_are_errors)
{
    sim_scenario *s = parse_with(
        ", \"nodes\": [{\"id\": \"n-{i}\", \"count\": 3, \"region\": \"eu\"}, {\"id\": \"n-2\", \"region\": \"eu\"}]",
        NULL, 0);
    cr_assert_null(s);
    const char *want[] = {
        "t.json:1:205: nodes[1].id: expected a unique node id, found \"n-2\" again (first in nodes[0])"};
    expect_lines(want, 1);
}

Test(scenario, unknown_references_are_errors)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"edge-1\", \"region\": \"eu\"}],"
                                 " \"faults\": [{\"kind\": \"crash\", \"at\": \"1m\", \"node\": \"edge-2\"}]",
                                 NULL, 0);
    cr_assert_null(s);
    const char *want[] = {"t.json:1:237: faults[0].node: expected a node id defined in nodes, "
                          "found \"edge-2\" (did you mean \"edge-1\"?)"};
    expect_lines(want, 1);
}

Test(scenario, an_entry_refused_with_its_ids_is_one_problem_not_a_cascade)
{
    /* A group refused for its count (or a function for a field that keeps
     * its ids out) made none of its ids, and every reference to them was
     * reported as undefined too, with a "did you mean" of another node: the
     * problem is the count alone. References that no refused entry could
     * have made ("eu-7x", "eu-1": the pattern needs two digits, "h") are
     * still problems. */
    const char *text =
        "{\"duration\": \"1h\", \"regions\": [{\"id\": \"eu\"}],\n"
        " \"nodes\": [{\"id\": \"eu-{i:02}\", \"count\": 1e9, \"region\": \"eu\"}, {\"id\": \"us-01\", \"region\": \"eu\"}],\n"
        " \"functions\": [{\"id\": \"f{i}\", \"count\": -1, \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}},\n"
        "               {\"id\": \"g\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}, \"cold_start\": {\"type\": \"constant\", \"value\": \"1ms\"}, \"cold_exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],\n"
        " \"deployments\": [{\"function\": \"f*\", \"strategy\": \"nodes\", \"nodes\": [\"eu-01\", \"eu-*\", \"us-01\"]},\n"
        "                 {\"function\": \"g\", \"strategy\": \"all\"},\n"
        "                 {\"function\": \"f3\", \"strategy\": \"nodes\", \"nodes\": [\"eu-7x\", \"eu-1\"]}],\n"
        " \"faults\": [{\"kind\": \"crash\", \"at\": \"1m\", \"node\": \"eu-02\"}],\n"
        " \"workloads\": [{\"function\": \"f2\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1}, {\"function\": \"h\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1}]}\n";
    cr_assert_null(parse_text(text));
    const char *want[] = {
        "t.json:2:41: nodes[0].count: expected a whole number from 1 to 1000000, found 1000000000",
        "t.json:3:40: functions[0].count: expected a whole number from 1 to 1000000, found -1",
        "t.json:4:149: functions[1].cold_exec_time: expected either cold_start (a delay before "
        "the execution) or cold_exec_time (the whole service time of a cold invocation), found both",
        "t.json:7:68: deployments[2].nodes[0]: expected a node id defined in nodes, found \"eu-7x\"",
        "t.json:7:77: deployments[2].nodes[1]: expected a node id defined in nodes, found \"eu-1\"",
        "t.json:9:98: workloads[1].function: expected a function id defined in functions, found \"h\""};
    expect_lines(want, 6);
}

Test(scenario, the_json_schema_beside_the_scenarios_is_one_line)
{
    /* validate over every .json of scenarios/ met schema.json: four missing
     * sections and an unknown field per schema keyword */
    cr_assert_null(parse_text("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
                              " \"$id\": \"x\", \"type\": \"object\", \"properties\": {}}"));
    const char *want[] = {"t.json:1:13: $schema: expected a scenario, found a JSON Schema "
                          "(\"https://json-schema.org/draft/2020-12/schema\"): the file scenarios "
                          "name in their own \"$schema\", not one to run"};
    expect_lines(want, 1);
    /* a scenario that names a schema is read as one */
    sim_scenario *s = parse_text("{\"$schema\": \"https://json-schema.org/x\", \"duration\": \"1h\","
                                 " \"regions\": [{\"id\": \"eu\"}],"
                                 " \"nodes\": [{\"id\": \"n\", \"region\": \"eu\"}],"
                                 " \"functions\": [{\"id\": \"f\", \"exec_time\":"
                                 " {\"type\": \"constant\", \"value\": \"1ms\"}}]}");
    cr_assert_not_null(s);
    sim_scenario_free(s);
}

#define SC_ID_RULE_TEXT "letters, digits and - _ . : @, at most 128"

/* A scenario that uses every kind of id one section defines and others name:
 * regions (nodes, links, the latency matrix, client groups), nodes,
 * functions (by id and by pattern), client groups and workflows. */
static const char *const EVERY_REF =
    "{\"duration\": \"1h\",\n"
    " \"regions\": [{\"id\": \"eu\"}, {\"id\": \"cloud\", \"tier\": \"cloud\"}],\n"
    " \"nodes\": [{\"id\": \"e1\", \"region\": \"eu\"}, {\"id\": \"c1\", \"region\": \"cloud\"}],\n"
    " \"network\": {\"model\": \"matrix\", \"matrix\": {\"eu\": {\"cloud\": \"20ms\"}},\n"
    "   \"links\": [{\"kind\": \"uplink\", \"region\": \"eu\", \"capacity\": \"1Gbps\"},\n"
    "             {\"kind\": \"access\", \"nodes\": [\"e*\"], \"capacity\": \"1Gbps\"},\n"
    "             {\"kind\": \"backbone\", \"regions\": [\"eu\", \"cloud\"], \"capacity\": \"10Gbps\"}]},\n"
    " \"clients\": [{\"id\": \"walkers\", \"start\": \"eu\", \"mobility\": \"markov\",\n"
    "               \"rates\": {\"eu\": {\"cloud\": \"1/h\"}, \"cloud\": {\"eu\": \"2/h\"}}}],\n"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}, \"request_kb\": 4}],\n"
    " \"workflows\": [{\"id\": \"w\", \"steps\": [{\"id\": \"a\", \"function\": \"f\"},\n"
    "                                   {\"id\": \"b\", \"function\": \"f\", \"after\": [\"a\"]}]}],\n"
    " \"deployments\": [{\"function\": \"*\", \"strategy\": \"all\"}],\n"
    " \"faults\": [{\"kind\": \"crash\", \"at\": \"1m\", \"node\": \"e1\"}],\n"
    " \"workloads\": [{\"function\": \"f\", \"clients\": \"walkers\", \"arrival\": \"poisson\", \"rate\": 1},\n"
    "               {\"workflow\": \"w\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1}]}\n";

Test(scenario, a_table_that_lost_entries_of_unknown_ids_is_one_problem_not_a_cascade)
{
    /* A section that is not a list (or an empty one), or an entry that is
     * not an object or has no usable id, leaves its table without ids that
     * any reference could have meant: each reference to that kind was
     * reported as undefined too (regions: {} gave 14 lines for one problem,
     * nodes: {} blamed the deployment's function for fitting no node). Now
     * the definition's problem is the only line. */
    sim_scenario *ok = parse_text(EVERY_REF);
    cr_assert_not_null(ok, "%s", ndiags ? line(0) : "");
    sim_scenario_free(ok);
    static const struct {
        const char *set, *want;
    } cases[] = {
        {"regions={}", "--set: regions: expected a list of regions such as [{\"id\": \"eu\"}], found an object"},
        {"regions=[]", "--set: regions: expected at least one region, found an empty list"},
        {"regions[0]=5", "--set: regions[0]: expected a region (an object), found 5"},
        {"regions[0].id=7", "--set: regions[0].id: expected a region id (" SC_ID_RULE_TEXT "), found 7"},
        {"regions[0].id=e u", "--set: regions[0].id: expected a region id (" SC_ID_RULE_TEXT "), found \"e u\""},
        {"regions[0].id=", "--set: regions[0].id: expected a region id (" SC_ID_RULE_TEXT "), found \"\""},
        {"nodes={}", "--set: nodes: expected a list of nodes such as [{\"id\": \"edge-1\", \"region\": \"eu\"}], found an object"},
        {"nodes[0]=5", "--set: nodes[0]: expected a node (an object), found 5"},
        /* a group's id that is no pattern: which ids it meant is unknown */
        {"nodes[0].count=2;nodes[0].id=x", "--set: nodes[0].id: expected an id pattern with one {i} or {i:04} such as \"edge-{i}\", found \"x\""},
        {"functions={}", "--set: functions: expected a list of functions such as [{\"id\": \"resize\", \"exec_time\": ...}], found an object"},
        {"functions[0]=1", "--set: functions[0]: expected a function (an object), found 1"},
        {"functions[0].id=7", "--set: functions[0].id: expected a function id (" SC_ID_RULE_TEXT "), found 7"},
        {"clients={}", "--set: clients: expected a list of client groups such as [{\"id\": \"commuters\", \"start\": \"home\", \"mobility\": \"markov\", ...}], found an object"},
        {"clients[0]=3", "--set: clients[0]: expected a client group (an object), found 3"},
        {"clients=[]", "--set: clients: expected a list of client groups such as [{\"id\": \"commuters\", \"start\": \"home\", \"mobility\": \"markov\", ...}], found an empty list"},
        {"clients[0].id=7", "--set: clients[0].id: expected a client group id such as \"commuters\", found 7"},
        {"workflows=3", "--set: workflows: expected a list of workflows such as [{\"id\": \"thumbnail\", \"steps\": [...]}], found 3"},
        {"workflows[0]=3", "--set: workflows[0]: expected a workflow (an object), found 3"},
        {"workflows[0].id=7", "--set: workflows[0].id: expected a workflow id (" SC_ID_RULE_TEXT "), found 7"},
        /* a step refused for its id is the one a later step may run after */
        {"workflows[0].steps[0].id=7", "--set: workflows[0].steps[0].id: expected a step id (" SC_ID_RULE_TEXT "), found 7"},
        /* a workload of a client group with a bad arrival was asked for a region */
        {"workloads[0].arrival=0", "--set: workloads[0].arrival: expected one of poisson, constant, periodic, bursty, times, csv, found 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char both[256], *sets[2] = {both, NULL}; /* one or two sets, ';' between */
        snprintf(both, sizeof both, "%s", cases[i].set);
        if ((sets[1] = strchr(both, ';')))
            *sets[1]++ = '\0';
        sim_scenario *s = sim_scenario_parse(EVERY_REF, strlen(EVERY_REF), "t.json",
                                             (const char *const *)sets, sets[1] ? 2 : 1, diags,
                                             MAXD, &ndiags);
        cr_expect_null(s, "%s", cases[i].set);
        sim_scenario_free(s);
        cr_expect_eq(ndiags, 1, "--set %s: %zu lines, the second: %s", cases[i].set, ndiags,
                     ndiags > 1 ? line(1) : "");
        if (ndiags)
            cr_expect_str_eq(line(0), cases[i].want, "--set %s", cases[i].set);
    }
    /* A malformed id keeps quiet only what is near it: "eu" after "e u",
     * not a typo of another region. */
    const char *near[] = {"regions[0].id=e u", "nodes[1].region=clod"};
    cr_assert_null(sim_scenario_parse(EVERY_REF, strlen(EVERY_REF), "t.json", near, 2, diags, MAXD,
                                      &ndiags));
    cr_expect_eq(ndiags, 2);
    cr_expect_str_eq(line(1), "--set: nodes[1].region: expected a region id defined in regions, "
                              "found \"clod\" (did you mean \"cloud\"?)");
    /* A complete table still reports what it does not define. */
    const char *sets[] = {"workloads[0].clients=runners"};
    cr_assert_null(sim_scenario_parse(EVERY_REF, strlen(EVERY_REF), "t.json", sets, 1, diags, MAXD,
                                      &ndiags));
    cr_expect_eq(ndiags, 1);
    cr_expect(strstr(line(0), "expected a client group id defined in clients, found \"runners\""),
              "%s", line(0));
}

Test(scenario, a_function_may_not_be_called_all)
{
    /* latency.csv's scope of every function is "all": a function of that id
     * mixed its histogram rows with the run's */
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_scenario_free(s);
    const char *sets[] = {"functions[0].id=all"};
    cr_assert_null(parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 1));
    const char *want[] = {"--set: functions[0].id: expected a function id other than \"all\" "
                          "(latency.csv's scope of every function), found \"all\""};
    expect_lines(want, 1);
}

Test(scenario, a_rate_is_a_number_per_second_or_n_per_unit)
{
    sim_scenario *s = parse_with(
        ", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}], \"workloads\": ["
        "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 20},"
        "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": \"20/s\"},"
        "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": \"1200/m\"},"
        "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"bursty\", \"on_rate\": \"3/h\","
        " \"off_rate\": \"0.5/ms\", \"on_mean\": \"1m\", \"off_mean\": \"1m\"}]",
        NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->workloads[0].rate, 20);
    cr_expect_eq(s->workloads[1].rate, 20, "\"20/s\" is 20 exactly");
    cr_expect_eq(s->workloads[2].rate, 20, "\"1200/m\" is 20 exactly");
    cr_expect_float_eq(s->workloads[3].on_rate, 3.0 / 3600, 1e-15);
    cr_expect_eq(s->workloads[3].off_rate, 500);
    sim_scenario_free(s);
    /* a bare word, a unit that is not a duration's, 0 where above 0 is asked */
    const char *sets[] = {"workloads[0].rate=\"20 per second\"", "workloads[1].rate=\"20/sec\"",
                          "workloads[2].rate=\"0/s\""};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}], \"workloads\": ["
                   "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1},"
                   "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1},"
                   "{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"poisson\", \"rate\": 1}]",
                   sets, 3);
    cr_assert_null(s);
#define RATE_RULE "expected a rate above 0 and at most 1000000000 a second (a number, per second, or " \
                  "\"N/unit\" such as \"20/s\" or \"3/h\"), found "
    const char *want[] = {"--set: workloads[0].rate: " RATE_RULE "\"20 per second\"",
                          "--set: workloads[1].rate: " RATE_RULE "\"20/sec\"",
                          "--set: workloads[2].rate: " RATE_RULE "\"0/s\""};
#undef RATE_RULE
    expect_lines(want, 3);
}

Test(scenario, a_capacity_written_another_way_gets_the_form_it_meant)
{
    static const char *const caps[] = {"\"200 Mbps\"", "\"25MB/s\"", "\"1gbit/s\"", "100",
                                       "200000000", "\"10GBps\"", "\"fast\"", "\"0Mbps\""};
    static const char *const hints[] = {
        "\"200 Mbps\" (did you mean \"200Mbps\"?)",
        "\"25MB/s\" (that is bytes per second: \"200Mbps\" in bits)",
        "\"1gbit/s\" (did you mean \"1Gbps\"?)",
        "100 (a number alone has no unit: \"100Mbps\" or \"100Gbps\"?)",
        "200000000 (a number alone has no unit: \"200Mbps\" if it is bits per second)",
        "\"10GBps\" (that is bytes per second: \"80Gbps\" in bits)",
        "\"fast\"",
        NULL};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        char set[128], want[512];
        snprintf(set, sizeof set, "network.links[0].capacity=%s", caps[i]);
        const char *sets[] = {set};
        sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}],"
                                     " \"network\": {\"links\": [{\"kind\": \"access\", \"nodes\": [\"a\"],"
                                     " \"capacity\": \"1Gbps\"}]}",
                                     sets, 1);
        cr_assert_null(s);
        if (hints[i])
            snprintf(want, sizeof want, "--set: network.links[0].capacity: expected a capacity with its "
                     "unit such as \"10Gbps\" or \"100Mbps\" (bits per second: bps, kbps, Mbps, Gbps, "
                     "Tbps), found %s", hints[i]);
        else /* 0 is told apart, with no hint */
            snprintf(want, sizeof want, "--set: network.links[0].capacity: expected a capacity > 0 "
                     "such as \"10Gbps\", found \"0Mbps\"");
        const char *w[] = {want};
        expect_lines(w, 1);
    }
}

Test(scenario, another_kind_of_json_file_is_one_line_saying_what_it_is)
{
    /* a run's summary.json: no duration, "functions" an object */
    cr_assert_null(parse_text("{\"scenario\": \"q\", \"seed\": 1, \"version\": \"1\", "
                              "\"duration_s\": 60, \"functions\": {}}"));
    const char *want[] = {"t.json:1:1: expected a scenario (an object with \"duration\", "
                          "\"regions\", \"nodes\", \"functions\", ...), found an object that is not "
                          "one (no \"duration\", no list of regions, nodes or functions; it has "
                          "\"scenario\", \"seed\", \"version\", ...)"};
    expect_lines(want, 1);
    cr_assert_null(parse_text("{\"scenarios\": [\"a.json\"], \"grid\": {\"seed\": [1, 2]}}"));
    const char *want2[] = {"t.json:1:15: scenarios: expected a scenario, found a sweep file (it "
                           "lists \"scenarios\"): `edgesim sweep` runs it"};
    expect_lines(want2, 1);
    /* an empty object, or one with a scenario's list, still gets every
     * missing field: the user is writing a scenario */
    cr_assert_null(parse_text("{}"));
    cr_expect_eq(ndiags, 4);
    cr_assert_null(parse_text("{\"nodes\": [], \"foo\": 1}"));
    cr_expect_gt(ndiags, 2);
}

Test(scenario, text_that_is_not_utf8_is_refused_where_it_is)
{
    /* a Latin-1 e-acute (0xe9) in a string: JSON is UTF-8, and the byte
     * would reach diagnostics, validate --json and the outputs as it is */
    cr_assert_null(parse_text("{\"duration\": \"1h\",\n \"description\": \"caf\xe9\"}"));
    const char *want[] = {"t.json:2:21: expected UTF-8 text (JSON is UTF-8), found the byte 0xe9, "
                          "which cannot be UTF-8 here (is the file in another encoding, such as "
                          "Latin-1 or UTF-16?)"};
    expect_lines(want, 1);
    /* overlong forms, surrogates and past U+10FFFF are not UTF-8 either;
     * a whole character is */
    static const char *const bad[] = {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xe2\x82", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[128];
        snprintf(text, sizeof text, "{\"description\": \"%s\", \"duration\": \"1h\"}", bad[i]);
        cr_assert_null(parse_text(text));
        cr_expect(strstr(line(0), "expected UTF-8 text") != NULL, "%zu: %s", i, line(0));
    }
    cr_assert_null(parse_text("{\"description\": \"\xe2\x82\xac \xf0\x9f\x98\x80\"}"));
    cr_expect(strstr(line(0), "UTF-8") == NULL, "the euro sign and an emoji are UTF-8: %s", line(0));
    /* a --set the same, and the quoted value shows the byte as \xNN */
    const char *sets[] = {"description=\"caf\xe9\""};
    cr_assert_null(parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}]", sets, 1));
    const char *w2[] = {"--set: expected UTF-8 text, found the byte 0xe9 in "
                        "\"description=\\\"caf\\xe9\\\"\""};
    expect_lines(w2, 1);
}

Test(scenario, bare_numbers_are_not_durations)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\", \"heartbeat_interval\": 10}]",
                                 NULL, 0);
    cr_assert_null(s);
    const char *want[] = {"t.json:1:203: nodes[0].heartbeat_interval: expected a duration such as "
                          "\"10s\", found 10"};
    expect_lines(want, 1);
}

Test(scenario, collects_every_problem_and_counts_those_not_kept)
{
    char text[4096] = "{\"duration\": \"1h\", \"x0\": 0";
    for (int i = 1; i < 30; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), ", \"x%d\": 0", i);
    strcat(text, "}");
    sim_diag few[3];
    size_t n = 0;
    sim_scenario *s = sim_scenario_parse(text, strlen(text), "t.json", NULL, 0, few, 3, &n);
    cr_assert_null(s);
    cr_expect_eq(n, 30 + 3, "30 unknown fields and 3 missing sections");
}

Test(scenario, sorts_faults_by_time_keeping_file_order_for_ties)
{
    sim_scenario *s = parse_with(
        ", \"nodes\": [{\"id\": \"n-{i}\", \"count\": 5, \"region\": \"eu\"}],"
        " \"faults\": [{\"kind\": \"recover\", \"at\": \"20m\", \"node\": \"n-1\"},"
        "  {\"kind\": \"crash\", \"at\": \"10m\", \"node\": \"n-1\"},"
        "  {\"kind\": \"crash\", \"at\": \"20m\", \"node\": \"n-2\"},"
        "  {\"kind\": \"register\", \"at\": \"5m\", \"node\": \"n-3\"},"
        "  {\"kind\": \"deregister\", \"at\": \"1m\", \"node\": \"n-4\"},"
        "  {\"kind\": \"register\", \"at\": \"2m\", \"node\": \"n-4\"},"
        "  {\"kind\": \"crash\", \"at\": \"20m\", \"node\": \"n-3\"}]",
        NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_assert_eq(s->nfaults, 7);
    sim_fault_kind kinds[] = {SIM_FAULT_DEREGISTER, SIM_FAULT_REGISTER, SIM_FAULT_REGISTER,
                              SIM_FAULT_CRASH, SIM_FAULT_RECOVER, SIM_FAULT_CRASH, SIM_FAULT_CRASH};
    size_t nodes[] = {3, 3, 2, 0, 0, 1, 2};
    for (size_t i = 0; i < 7; i++) {
        cr_expect_eq(s->faults[i].kind, kinds[i], "fault %zu", i);
        cr_expect_eq(s->faults[i].node, nodes[i], "fault %zu", i);
    }
    cr_expect_eq(s->nodes[2].starts_registered, 0, "first operation on n-3 is register");
    cr_expect_eq(s->nodes[2].join_at, 5 * EDGE_MIN);
    cr_expect_eq(s->nodes[3].starts_registered, 1, "n-4 is deregistered first, so it starts in");
    cr_expect_eq(s->nodes[0].starts_registered, 1);
    sim_scenario_free(s);
}

Test(scenario, matrix_latency_fills_reverse_then_defaults)
{
    const char *text =
        "{\"duration\": \"1h\", \"regions\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}],"
        " \"nodes\": [{\"id\": \"na\", \"region\": \"a\"}, {\"id\": \"nb\", \"region\": \"b\"}, {\"id\": \"nc\", \"region\": \"c\"}],"
        " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        " \"network\": {\"model\": \"matrix\", \"same_region\": \"3ms\", \"cross_region\": \"70ms\","
        "   \"matrix\": {\"a\": {\"b\": \"20ms\", \"a\": \"1ms\"}, \"c\": {\"a\": \"90ms\"}}}}";
    sim_scenario *s = parse_text(text);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->network.kind, SIM_NET_MATRIX);
    cr_expect_eq(sim_scenario_latency(s, 0, 1), 20 * EDGE_MS);
    cr_expect_eq(sim_scenario_latency(s, 1, 0), 20 * EDGE_MS, "the reverse direction");
    cr_expect_eq(sim_scenario_latency(s, 0, 0), EDGE_MS);
    cr_expect_eq(sim_scenario_latency(s, 1, 1), 3 * EDGE_MS, "same_region");
    cr_expect_eq(sim_scenario_latency(s, 2, 0), 90 * EDGE_MS);
    cr_expect_eq(sim_scenario_latency(s, 0, 2), 90 * EDGE_MS);
    cr_expect_eq(sim_scenario_latency(s, 1, 2), 70 * EDGE_MS, "cross_region");
    sim_scenario_free(s);
}

Test(scenario, coordinate_latency_is_base_plus_per_km)
{
    const char *text =
        "{\"duration\": \"1h\", \"regions\": [{\"id\": \"par\", \"lat\": 48.8566, \"lon\": 2.3522},"
        "   {\"id\": \"fra\", \"lat\": 50.1109, \"lon\": 8.6821}, {\"id\": \"nowhere\"}],"
        " \"nodes\": [{\"id\": \"n1\", \"region\": \"fra\"}, {\"id\": \"n2\", \"region\": \"par\", \"lat\": 48.8566, \"lon\": 2.3522},"
        "   {\"id\": \"n3\", \"region\": \"nowhere\"}],"
        " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        " \"network\": {\"model\": \"coordinates\", \"base\": \"2ms\", \"per_km\": \"10us\"}}";
    sim_scenario *s = parse_text(text);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    /* Paris-Frankfurt great circle: about 479 km */
    edge_time t = sim_scenario_latency(s, 0, 0);
    cr_expect(t > 2 * EDGE_MS + 470 * 10 * EDGE_US && t < 2 * EDGE_MS + 490 * 10 * EDGE_US, "%lld",
              (long long)t);
    cr_expect_eq(sim_scenario_latency(s, 0, 1), 2 * EDGE_MS, "same point: base only");
    cr_expect_eq(sim_scenario_latency(s, 0, 2), 50 * EDGE_MS, "no coordinates: cross_region");
    cr_expect_eq(sim_scenario_latency(s, 2, 2), EDGE_MS, "no coordinates: same_region");
    sim_scenario_free(s);
}

Test(scenario, reads_csv_traces_beside_the_scenario)
{
    sim_scenario *s = sim_scenario_load("tests/scenarios/good/csv-trace.json", NULL, 0, diags, MAXD,
                                        &ndiags);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_assert_eq(s->nworkloads, 1);
    const sim_workload_spec *w = &s->workloads[0];
    cr_expect_eq(w->kind, SIM_ARRIVAL_CSV);
    cr_expect_str_eq(w->csv_path, "tests/scenarios/good/traces/api.csv");
    cr_assert_eq(w->ntimes, 3);
    cr_expect_eq(w->times[0], 500 * EDGE_MS);
    cr_expect_eq(w->times[1], EDGE_S);
    cr_expect_eq(w->times[2], 2500 * EDGE_MS);
    sim_scenario_free(s);
}

Test(scenario, loads_the_scale_scenario)
{
    sim_scenario *s = sim_scenario_load("scenarios/scale.json", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->nnodes, 10000);
    cr_expect_eq(s->nregions, 5);
    cr_expect_eq(s->nfunctions, 1000);
    cr_expect_eq(s->ndeployments, 1000);
    cr_expect_eq(s->nworkloads, 5000);
    cr_expect_str_eq(s->nodes[9999].id, "sa-2000");
    cr_expect_eq(sim_scenario_node_index(s, "usw-0001"), 4000);
    cr_expect_eq(sim_scenario_function_index(s, "heavy-200"), 999);
    cr_expect_eq(s->faults[0].nnodes, 10000);
    sim_scenario_free(s);
}

Test(scenario, missing_file_is_one_line)
{
    sim_scenario *s = sim_scenario_load("no/such/file.json", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_null(s);
    const char *want[] = {"no/such/file.json: cannot read the file: No such file or directory"};
    expect_lines(want, 1);
}

/* cJSON skips every byte up to ' ' between tokens, control bytes too; the
 * walk that gives each value its line and column skips the same, and stays
 * inside the text when a key's value ends it (libFuzzer found it reading a
 * byte past the end: the walk took \x12 for a value and ran out of step). */
Test(scenario, control_bytes_between_tokens_keep_positions_and_the_walk_in_bounds)
{
    /* (a fuzz find, with "nodes" for its first key so that it reads as a
     * scenario, not as another kind of file) */
    static const char text[] = "{\"nodes\":[],\"r\":[\x12],\"r\":[],\"\":1}\n";
    /* exactly as long as the text: ASan sees a read past it */
    char *exact = malloc(sizeof text - 1);
    cr_assert_not_null(exact);
    memcpy(exact, text, sizeof text - 1);
    sim_scenario *s =
        sim_scenario_parse(exact, sizeof text - 1, "t.json", NULL, 0, diags, MAXD, &ndiags);
    free(exact);
    cr_assert_null(s);
    cr_assert_eq(ndiags, 7, "%zu: %s", ndiags, ndiags ? line(0) : "");
    cr_expect(strncmp(line(4), "t.json:1:17: r: expected a known field", 38) == 0, "%s", line(4));
    cr_expect(strncmp(line(5), "t.json:1:25: r: expected a known field", 38) == 0, "%s", line(5));
    cr_expect(strncmp(line(6), "t.json:1:31: expected a known field", 35) == 0, "%s", line(6));
    sim_scenario *t = parse_text("{\"duration\": \"1h\",\x01\x1f\"bogus\": 1}");
    cr_assert_null(t);
    int found = 0;
    for (size_t i = 0; i < ndiags; i++)
        found |= strncmp(line(i), "t.json:1:30: bogus:", 19) == 0;
    cr_expect(found, "bogus's value at 1:30 (control bytes count as columns); first: %s", line(0));
    /* and right after a number, where the walk ends the number there */
    sim_scenario *u = parse_text("{\"duration\": 5\x01, \"bogus\": 1}");
    cr_assert_null(u);
    found = 0;
    for (size_t i = 0; i < ndiags; i++)
        found |= strncmp(line(i), "t.json:1:27: bogus:", 19) == 0;
    cr_expect(found, "bogus's value at 1:27; first: %s", line(0));
}

/* Every prefix of a real scenario, and copies with bytes flipped, must be
 * rejected or accepted without crashing or leaking (ASan and valgrind run
 * this too). */
Test(scenario, truncated_and_corrupted_input_never_crashes)
{
    FILE *f = fopen("scenarios/quickstart.json", "rb");
    cr_assert_not_null(f);
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    cr_assert_gt(len, 1000);
    size_t accepted = 0;
    for (size_t n = 0; n < len; n += 7) {
        sim_scenario *s = sim_scenario_parse(text, n, "q.json", NULL, 0, diags, MAXD, &ndiags);
        accepted += s != NULL;
        cr_expect(s || ndiags > 0);
        sim_scenario_free(s);
    }
    cr_expect_eq(accepted, 0, "no strict prefix is a complete scenario");
    static char copy[1 << 16];
    unsigned seed = 12345;
    const char flips[] = "{}[]\",:0-9 ax{i}*";
    for (int round = 0; round < 400; round++) {
        memcpy(copy, text, len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            copy[at] = flips[(seed >> 8) % (sizeof flips - 1)];
        }
        sim_scenario *s = sim_scenario_parse(copy, len, "q.json", NULL, 0, diags, MAXD, &ndiags);
        cr_expect(s || ndiags > 0);
        sim_scenario_free(s);
    }
}

Test(scenario, stdin_gets_the_default_name_stdin)
{
    const char *text =
        "{\"duration\": \"1m\", \"regions\": [{\"id\": \"r\"}], \"nodes\": [{\"id\": \"n\", \"region\": \"r\"}],"
        " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}]}";
    sim_scenario *s = sim_scenario_parse(text, strlen(text), "-", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_str_eq(s->name, "stdin");
    cr_expect_str_eq(s->path, "-");
    sim_scenario_free(s);
    sim_scenario *bad = sim_scenario_parse("{", 1, "-", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_null(bad);
    cr_expect_str_eq(line(0), "<stdin>:1:2: expected valid JSON, found the end of the text with "
                              "1 list or object still open");
}

Test(scenario, probes_are_off_by_default_and_read_with_defaults)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", NULL, 0);
    cr_assert_not_null(s);
    cr_expect_eq(s->policies.probe_period, 0);
    cr_expect_float_eq(s->policies.overload_cpu, 90.0, 1e-12);
    sim_scenario_free(s);
    const char *sets[] = {"policies.probes={\"period\": \"5s\"}",
                          "policies.overload={\"memory_percent\": 75}"};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 2);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->policies.probe_period, 5 * EDGE_S);
    cr_expect_eq(s->policies.probe_timeout, EDGE_S);
    cr_expect_eq(s->policies.probe_failures, 3);
    cr_expect_float_eq(s->policies.overload_memory, 75.0, 1e-12);
    cr_expect_float_eq(s->policies.overload_cpu, 90.0, 1e-12);
    sim_scenario_free(s);
}

Test(scenario, bad_probe_and_overload_fields_are_diagnosed)
{
    const char *sets[] = {"policies.probes={\"period\": \"5s\", \"timeout\": \"6s\"}",
                          "policies.overload={\"cpu_percent\": 101, \"cpu\": 1}"};
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 2);
    cr_assert_null(s);
    const char *want[] = {
        "--set: policies.probes.timeout: expected a duration of at most the period (5s), found \"6s\"",
        "--set: policies.overload.cpu: expected a known field (cpu_percent, memory_percent, "
        "disk_percent), found \"cpu\"",
        "--set: policies.overload.cpu_percent: expected a number above 0, at most 100, found 101",
    };
    expect_lines(want, 3);
    const char *sets2[] = {"policies.probes={\"timeout\": \"1s\", \"failures\": 0}"};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets2, 1);
    cr_assert_null(s);
    const char *want2[] = {
        "--set: policies.probes.period: expected a duration such as \"5s\", found nothing",
        "--set: policies.probes.failures: expected a whole number from 1 to 1000000, found 0",
    };
    expect_lines(want2, 2);
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}], \"policies\": {\"probes\": 3}",
                   NULL, 0);
    cr_assert_null(s);
    cr_expect(strstr(line(0), "policies.probes: expected the active probes (an object), found 3"),
              "%s", line(0));
}

Test(scenario, cold_start_holds_slot_is_a_boolean_true_by_default)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", NULL, 0);
    cr_assert_not_null(s);
    cr_expect_eq(s->policies.cold_start_no_slot, 0);
    sim_scenario_free(s);
    const char *sets[] = {"policies.cold_start_holds_slot=false"};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 1);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->policies.cold_start_no_slot, 1);
    sim_scenario_free(s);
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}],"
                   " \"policies\": {\"cold_start_holds_slot\": true}", NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect_eq(s->policies.cold_start_no_slot, 0);
    sim_scenario_free(s);
}

Test(scenario, cold_start_holds_slot_of_another_type_is_one_line)
{
    /* A string or a number is not taken for a boolean: one line, with the
     * position in the file, or "--set" for an override. */
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}],"
                                 " \"policies\": {\"cold_start_holds_slot\": \"no\"}", NULL, 0);
    cr_assert_null(s);
    const char *want[] = {"t.json:1:221: policies.cold_start_holds_slot: expected true or false, "
                          "found \"no\""};
    expect_lines(want, 1);
    const char *sets[] = {"policies.cold_start_holds_slot=0"};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", sets, 1);
    cr_assert_null(s);
    const char *want2[] = {"--set: policies.cold_start_holds_slot: expected true or false, found 0"};
    expect_lines(want2, 1);
}

Test(scenario, sync_is_off_by_default_and_read_with_defaults)
{
    sim_scenario *s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}]", NULL, 0);
    cr_assert_not_null(s);
    cr_expect_not(s->sync.enabled);
    sim_scenario_free(s);
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}], \"sync\": {\"interval\": \"10s\"},"
                   " \"faults\": [{\"kind\": \"state_update\", \"at\": \"1m\", \"patch\": {\"a\": 1}},"
                   " {\"kind\": \"state_corruption\", \"at\": \"2m\", \"node\": \"a\"}]",
                   NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    cr_expect(s->sync.enabled);
    cr_expect_eq(s->sync.interval, 10 * EDGE_S);
    cr_expect_float_eq(s->sync.bandwidth_mbps, 0.0, 1e-12);
    cr_expect(cJSON_IsObject(s->sync.initial));
    cr_expect_eq(s->faults[0].kind, SIM_FAULT_STATE_UPDATE);
    cr_expect(cJSON_IsObject(s->faults[0].patch));
    cr_expect_eq(s->faults[1].kind, SIM_FAULT_STATE_CORRUPTION);
    cr_expect_eq(s->faults[1].node, 0);
    sim_scenario_free(s);
}

Test(scenario, bad_sync_fields_are_diagnosed)
{
    sim_scenario *s = parse_with(
        ", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}],"
        " \"sync\": {\"bandwidth_mbps\": 0, \"intervall\": \"1s\"},"
        " \"faults\": [{\"kind\": \"state_update\", \"at\": \"1m\"},"
        " {\"kind\": \"state_corruption\", \"at\": \"2m\", \"node\": \"zz\", \"patch\": {}}]",
        NULL, 0);
    cr_assert_null(s);
    const char *want[] = {
        "t.json:1:191: sync.interval: expected a duration such as \"10s\", found nothing",
        "t.json:1:210: sync.bandwidth_mbps: expected a number above 0, at most 1000000000, found 0",
        "t.json:1:226: sync.intervall: expected a known field, found \"intervall\" (did you mean "
        "\"interval\"?)",
        "t.json:1:244: faults[0].patch: expected a JSON merge patch such as {\"mode\": \"eco\"}, "
        "found nothing",
        "t.json:1:331: faults[1].node: expected a node id defined in nodes, found \"zz\"",
        "t.json:1:346: faults[1].patch: expected only the fields of a state_corruption fault "
        "(kind, at, for, node), found \"patch\"",
    };
    expect_lines(want, 6);
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"us\"}],"
                   " \"faults\": [{\"kind\": \"state_update\", \"at\": \"1m\", \"patch\": 1}]",
                   NULL, 0);
    cr_assert_null(s);
    cr_expect(strstr(line(0), "faults[0].kind: expected a \"sync\" section for a state_update "
                              "fault, found none"),
              "%s", line(0));
}

/* cJSON's strings end at their first NUL: "n\u0000a" would be read as "n",
 * silently (two nodes "n\u0000a" and "n" were "n" twice, a single one ran as
 * "n"). A NUL escape in a value or a member name, and a raw NUL byte, are
 * refused at the place they are, with the JSON path; a literal backslash
 * before u0000 ("\\u0000") is just text. */
Test(scenario, nul_characters_are_refused_where_they_are)
{
    sim_scenario *s = parse_with(",\n \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"},"
                                 " {\"id\": \"n\\u0000a\", \"region\": \"eu\"}]",
                                 NULL, 0);
    cr_assert_null(s);
    const char *w1[] = {"t.json:2:50: nodes[1].id: expected a string without NUL characters, "
                        "found \"\\u0000\" in it"};
    expect_lines(w1, 1);
    s = parse_text("{\"duration\": \"1h\",\n  \"x\\u0000y\": 1}");
    cr_assert_null(s);
    const char *w2[] = {"t.json:2:5: x: expected a member name without NUL characters, found "
                        "\"\\u0000\" in it"};
    expect_lines(w2, 1);
    static const char raw[] = "{\"name\": \"a\0b\", \"duration\": \"1h\"}";
    s = sim_scenario_parse(raw, sizeof raw - 1, "t.json", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_null(s);
    const char *w3[] = {"t.json:1:12: expected valid JSON, found a NUL byte (0x00)"};
    expect_lines(w3, 1);
    /* "\\u0000" is a backslash and "u0000": text like any other */
    s = parse_with(", \"description\": \"a\\\\u0000\", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}]",
                   NULL, 0);
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_scenario_free(s);
    /* --set: a JSON value holding one is refused too */
    const char *set[] = {"name=\"a\\u0000b\""};
    s = parse_with(", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}]", set, 1);
    cr_assert_null(s);
    cr_expect(strstr(line(0), "--set: name: expected a value without NUL characters") == line(0),
              "%s", line(0));
}

/* Regression (issue 17): 100k levels of nesting were "expected valid JSON";
 * they are reported as too deep, at the bracket that opens level 1001. */
Test(scenario, json_nested_too_deep_is_named_at_the_level_past_the_limit)
{
    size_t depth = 100000;
    char *text = malloc(2 * depth + 16);
    cr_assert_not_null(text);
    size_t n = 0;
    n += (size_t)sprintf(text, "{\n \"a\": ");
    for (size_t i = 0; i < depth; i++)
        text[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        text[n++] = ']';
    text[n++] = '}';
    sim_scenario *s = sim_scenario_parse(text, n, "t.json", NULL, 0, diags, MAXD, &ndiags);
    free(text);
    cr_assert_null(s);
    char want[200];
    snprintf(want, sizeof want, "t.json:2:%d: expected at most %d levels of nested lists and "
                                "objects, found JSON nested too deep (more than %d levels)",
             7 + CJSON_NESTING_LIMIT - 1, CJSON_NESTING_LIMIT, CJSON_NESTING_LIMIT);
    const char *w[] = {want};
    expect_lines(w, 1);
    /* a syntax error before the deep part is still a syntax error */
    sim_scenario *t = parse_text("{\"a\": x [[[[");
    cr_assert_null(t);
    cr_expect(strstr(line(0), "expected valid JSON") != NULL, "%s", line(0));
}

/* A file cut short (a truncated copy, an editor that did not save the end)
 * is reported at its end with what is still open, not at the last value,
 * where cJSON stops ("found \"]\""); a mistake before the end is still
 * reported where it is. */
Test(scenario, a_file_cut_short_is_reported_at_its_end)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"duration\": [\"1h\"", "t.json:1:19: expected valid JSON, found the end of the text "
                                   "with 2 lists or objects still open"},
        {"{\"a\": {\"b\": [1, 2]", "t.json:1:19: expected valid JSON, found the end of the text "
                                   "with 2 lists or objects still open"},
        {"{\"a\":\n  \"x", "t.json:2:5: expected valid JSON, found the end of the text inside "
                           "a string"},
        {"{\"a\"", "t.json:1:5: expected valid JSON, found the end of the text with 1 list or "
                   "object still open"},
        {"{\"a\": 1,", "t.json:1:9: expected valid JSON, found the end of the text with 1 list "
                       "or object still open"},
        {"{\"a\": ", "t.json:1:7: expected valid JSON, found the end of the text with 1 list or "
                     "object still open"},
        /* white space alone (a file saved empty with a newline): its end, not a
         * quoted empty fragment of its first line */
        {"\n", "t.json:2:1: expected valid JSON, found the end of the text"},
        {"  \r\n\t\n", "t.json:3:1: expected valid JSON, found the end of the text"},
        /* wrong before the end: where it is */
        {"{\"a\": [1, 2,]", "t.json:1:13: expected valid JSON, found \"]\""},
        {"{\"a\": tru", "t.json:1:7: expected valid JSON, found \"tru\""},
        {"{\"a\": 1]", "t.json:1:8: expected valid JSON, found \"]\""},
        {"{\"a\": \"x\\", "t.json:1:8: expected valid JSON, found \"x\\\\\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sim_scenario *s = parse_text(cases[i].text);
        cr_assert_null(s, "%s", cases[i].text);
        cr_expect_eq(ndiags, 1, "%s", cases[i].text);
        cr_expect_str_eq(line(0), cases[i].want, "%s", cases[i].text);
    }
}

/* Regression (issue 17): a 1 GiB file was read up to the limit and reported as
 * "found 67108865 bytes"; its size is checked first and said in human units. */
Test(scenario, an_oversized_file_is_refused_by_its_size_unread)
{
    char path[] = "/tmp/edgesim-big-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, (off_t)1 << 30), 0);
    close(fd);
    sim_scenario *s = sim_scenario_load(path, NULL, 0, diags, MAXD, &ndiags);
    unlink(path);
    cr_assert_null(s);
    char want[200];
    snprintf(want, sizeof want, "%s: expected a scenario of at most 64 MiB, found 1 GiB", path);
    const char *w[] = {want};
    expect_lines(w, 1);
    s = sim_scenario_load("/tmp", NULL, 0, diags, MAXD, &ndiags);
    cr_assert_null(s);
    const char *d[] = {"/tmp: expected a scenario file, found a directory (its scenarios are "
                       "the .json files in it: name one, or all with /tmp/*.json)"};
    expect_lines(d, 1);
    /* an empty name (the embedding API passes it through) */
    cr_assert_null(sim_scenario_load("", NULL, 0, diags, MAXD, &ndiags));
    const char *e[] = {"\"\": expected a scenario file name (or - for standard input), found an "
                       "empty name"};
    expect_lines(e, 1);
}

static const char *const PLUGIN_EXTRA =
    ", \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}],"
    " \"policies\": {\"scheduler\": {\"plugin\": \"evil.so\"}}";

/* A plugin is native code: without allow_plugins (the default, and what
 * sim_scenario_parse uses) naming one is a problem at its field, and the file
 * is not looked at (evil.so does not exist: no "no such file"). */
Test(scenario, a_plugin_is_refused_without_the_opt_in)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s}", BASE_HEAD, PLUGIN_EXTRA);
    cr_assert_null(sim_scenario_parse(buf, strlen(buf), "t.json", NULL, 0, diags, MAXD, &ndiags));
    cr_assert_eq(ndiags, 1);
    cr_expect_str_eq(diags[0].path, "policies.scheduler.plugin");
    cr_expect_str_eq(diags[0].msg, "plugins are native code and run with your privileges; pass "
                                   "--allow-plugins to load 'evil.so'");
    /* with the opt-in the reader tries to load it (and finds it missing) */
    sim_load_options opt = {.allow_plugins = 1};
    cr_assert_null(sim_scenario_parse_opts(buf, strlen(buf), "t.json", NULL, 0, &opt, diags,
                                           MAXD, &ndiags));
    cr_expect(strstr(diags[0].msg, "plugin evil.so: no such file") != NULL, "%s", diags[0].msg);
}

/* --sandbox-paths: absolute paths and ".." components are refused at the field;
 * a plain relative path is not (it is then read, and here missing). */
Test(scenario, sandboxed_paths_refuse_absolute_and_dotdot)
{
    sim_load_options opt = {.sandbox_paths = 1};
    static const char *const bad[] = {"/etc/passwd", "..", "../x.csv", "a/../../x.csv", "a/.."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "%s, \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}], \"workloads\": "
                 "[{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"csv\", \"file\": "
                 "\"%s\"}]}",
                 BASE_HEAD, bad[i]);
        cr_assert_null(sim_scenario_parse_opts(buf, strlen(buf), "d/t.json", NULL, 0, &opt, diags,
                                               MAXD, &ndiags));
        cr_assert_eq(ndiags, 1);
        cr_expect_str_eq(diags[0].path, "workloads[0].file");
        cr_expect(strstr(diags[0].msg, "--sandbox-paths") != NULL, "%s: %s", bad[i], diags[0].msg);
    }
    static const char *const ok[] = {"x.csv", "a/b..c.csv", "..a/x.csv", "./x.csv"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "%s, \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}], \"workloads\": "
                 "[{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"csv\", \"file\": "
                 "\"%s\"}]}",
                 BASE_HEAD, ok[i]);
        cr_assert_null(sim_scenario_parse_opts(buf, strlen(buf), "d/t.json", NULL, 0, &opt, diags,
                                               MAXD, &ndiags));
        cr_expect(strstr(diags[0].msg, "No such file") != NULL, "%s: %s", ok[i], diags[0].msg);
    }
}

/* Regression (issue 17): an empty, header-only or one-word CSV workload reached
 * qsort(NULL, 0, ...) (undefined: the sanitizer build died); it is a workload
 * without times. */
Test(scenario, an_empty_csv_workload_has_no_times)
{
    static const char *const texts[] = {"", "time\n", "word"};
    char dir[] = "/tmp/edgesim-csvw-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char csv[128], json[128];
    snprintf(csv, sizeof csv, "%s/w.csv", dir);
    snprintf(json, sizeof json, "%s/s.json", dir);
    for (size_t i = 0; i < 3; i++) {
        FILE *f = fopen(csv, "w");
        fputs(texts[i], f);
        fclose(f);
        f = fopen(json, "w");
        fprintf(f, "%s, \"nodes\": [{\"id\": \"a\", \"region\": \"eu\"}], \"workloads\": "
                   "[{\"function\": \"api\", \"region\": \"eu\", \"arrival\": \"csv\", "
                   "\"file\": \"w.csv\"}]}", BASE_HEAD);
        fclose(f);
        sim_scenario *s = sim_scenario_load(json, NULL, 0, diags, MAXD, &ndiags);
        cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
        cr_expect_eq(s->workloads[0].ntimes, 0);
        sim_scenario_free(s);
    }
    unlink(csv);
    unlink(json);
    rmdir(dir);
}
