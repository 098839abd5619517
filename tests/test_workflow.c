/* Pins docs/semantics.md, "Workflows", on scenarios worked out by hand: a
 * chain of constant steps is exactly the sum of its steps and their network
 * latencies; a fan-out of three exponentials joins after their maximum (its
 * closed-form mean); a branch is taken with its probability; a repeated
 * step runs N times in a row; a join after a branch runs once whichever way
 * it went; a failed step fails the workflow and its successors never run;
 * a deadline counts late requests; the critical path follows the slowest
 * branch; and a run with workflows is deterministic. */
#include <math.h>

#include "support.h"

static cJSON *run(const char *text)
{
    return run_into_tmp("/tmp/edgesim-workflow-XXXXXX", text, NULL, 0, 0);
}

/* One node with 64 slots in one region (network latency NET), functions
 * z (exec 0), c10, c20, c30 (constant 10/20/30 ms), e (exponential, mean
 * 100 ms) and slow (2 s, timeout 1 s), all with cold start 0 and deployed
 * there; the workflows WFS and one request of the first every INTERVAL
 * for DURATION. */
#define FN(id, exec, extra)                                                                        \
    "{\"id\": \"" id "\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"}, "           \
    "\"exec_time\": " exec extra "}"
#define CONST(v) "{\"type\": \"constant\", \"value\": \"" v "\"}"
#define DEP(id) "{\"function\": \"" id "\", \"strategy\": \"all\"}"
#define WORLD(net, duration, interval, first, wfs)                                                 \
    "{\"name\": \"t\", \"seed\": 3, \"duration\": \"" duration "\","                               \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"" net "\"},"                \
    "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 64, \"queue_limit\": 100000}],"    \
    "\"functions\": [" FN("z", CONST("0s"), "") "," FN("c10", CONST("10ms"), "") ","              \
    FN("c20", CONST("20ms"), "") "," FN("c30", CONST("30ms"), "") ","                              \
    FN("e", "{\"type\": \"exponential\", \"mean\": \"100ms\"}", "") ","                            \
    FN("slow", CONST("2s"), ", \"timeout\": \"1s\"") "],"                                          \
    "\"deployments\": [" DEP("z") "," DEP("c10") "," DEP("c20") "," DEP("c30") "," DEP("e") ","    \
    DEP("slow") "],"                                                                               \
    "\"workflows\": [" wfs "],"                                                                    \
    "\"workloads\": [{\"workflow\": \"" first "\", \"region\": \"r\", \"arrival\": \"constant\", " \
    "\"interval\": \"" interval "\"}]}"

Test(workflow, a_chain_of_constant_steps_is_exactly_their_sum_plus_the_latencies, .fini = cleanup)
{
    /* 10 + 20 + 30 ms of execution and 1 ms of network per step: 63 ms. */
    cJSON *j = run(WORLD("1ms", "10s", "1s", "chain",
                         "{\"id\": \"chain\", \"steps\": [{\"id\": \"a\", \"function\": \"c10\"},"
                         "{\"id\": \"b\", \"function\": \"c20\", \"after\": [\"a\"]},"
                         "{\"id\": \"c\", \"function\": \"c30\", \"after\": [\"b\"]}]}"));
    cr_expect_eq(get(j, "workflows.chain.requests"), 10);
    cr_expect_eq(get(j, "workflows.chain.ok"), 10);
    cr_expect_eq(get(j, "workflows.chain.latency_s.p50"), 0.063);
    cr_expect_eq(get(j, "workflows.chain.latency_s.max"), 0.063);
    cr_expect_float_eq(get(j, "workflows.chain.latency_s.mean"), 0.063, 1e-12);
    cr_expect_float_eq(get(j, "workflows.chain.critical_path_s.execution"), 0.060, 1e-12);
    cr_expect_float_eq(get(j, "workflows.chain.critical_path_s.network"), 0.003, 1e-12);
    cr_expect_eq(get(j, "workflows.chain.critical_path_s.queueing"), 0);
    /* each step is a real invocation: 30 of them, one cold start per function */
    cr_expect_eq(get(j, "totals.arrivals"), 30);
    cr_expect_eq(get(j, "totals.cold_starts"), 3);
    cr_expect_float_eq(get(j, "workflows.chain.cold_starts_per_request"), 0.3, 1e-12);
    char *csv = slurp("workflows.csv");
    cr_expect(strstr(csv, "\nchain,3,10,10,0,0,0,0.063000000,0.063000000,0.063000000,0.063000000,"
                          "0.300000,0.000000000,0.000000000,0.060000000,0.003000000,0.000000000\n"),
              "%s", csv);
    free(csv);
    cJSON_Delete(j);
}

Test(workflow, a_fan_out_of_three_exponentials_joins_after_the_mean_of_their_maximum,
     .fini = cleanup)
{
    /* E[max of 3 iid exponentials of mean m] = m (1 + 1/2 + 1/3) = 183.33 ms;
     * its standard deviation is m sqrt(1 + 1/4 + 1/9) = 116.7 ms: with 4,000
     * requests the mean's standard error is 1.84 ms; allow 4 of them. */
    cJSON *j = run(WORLD("0s", "4000s", "1s", "fan",
                         "{\"id\": \"fan\", \"steps\": [{\"id\": \"in\", \"function\": \"z\"},"
                         "{\"id\": \"x\", \"function\": \"e\", \"after\": [\"in\"]},"
                         "{\"id\": \"y\", \"function\": \"e\", \"after\": [\"in\"]},"
                         "{\"id\": \"w\", \"function\": \"e\", \"after\": [\"in\"]},"
                         "{\"id\": \"join\", \"function\": \"z\", \"after\": [\"x\", \"y\", \"w\"]}]}"));
    double n = get(j, "workflows.fan.ok");
    cr_expect_geq(n, 3999);
    cr_expect_float_eq(get(j, "workflows.fan.latency_s.mean"), 0.1 * 11.0 / 6.0, 4 * 0.00184);
    /* the critical path is the slowest branch: all of it execution */
    cr_expect_float_eq(get(j, "workflows.fan.critical_path_s.execution"),
                       get(j, "workflows.fan.latency_s.mean"), 1e-9);
    cr_expect_eq(get(j, "workflows.fan.steps_run.join"), get(j, "workflows.fan.requests"));
    cJSON_Delete(j);
}

Test(workflow, a_branch_is_taken_with_its_probability_and_the_join_after_it_runs_once,
     .fini = cleanup)
{
    /* 10,000 requests, p = 0.3: the count of "small" is binomial with
     * sd sqrt(10000 * 0.3 * 0.7) = 45.8; allow 4 sd. */
    cJSON *j = run(WORLD("0s", "10000s", "1s", "br",
                         "{\"id\": \"br\", \"steps\": [{\"id\": \"in\", \"function\": \"z\"},"
                         "{\"id\": \"small\", \"function\": \"c10\", \"after\": "
                         "  [{\"step\": \"in\", \"probability\": 0.3}]},"
                         "{\"id\": \"large\", \"function\": \"c30\", \"after\": "
                         "  [{\"step\": \"in\", \"probability\": 0.7}]},"
                         "{\"id\": \"out\", \"function\": \"z\", \"after\": [\"small\", \"large\"]}]}"));
    double req = get(j, "workflows.br.requests"), small = get(j, "workflows.br.steps_run.small");
    double large = get(j, "workflows.br.steps_run.large");
    cr_expect_eq(req, 10000);
    cr_expect_eq(small + large, req, "exactly one branch per request");
    cr_expect(fabs(small - 3000) <= 4 * 45.8, "small ran %g times", small);
    cr_expect_eq(get(j, "workflows.br.steps_run.out"), req);
    cr_expect_eq(get(j, "workflows.br.ok"), req);
    /* the mean latency mixes the branches: 0.3 x 10 ms + 0.7 x 30 ms */
    cr_expect_float_eq(get(j, "workflows.br.latency_s.mean"),
                       (small * 0.010 + large * 0.030) / req, 1e-12);
    char *steps = slurp("workflow_steps.csv");
    char line[128];
    snprintf(line, sizeof line, "\nbr,small,c10,1,%.0f,%.0f,%.0f,", small, large, small);
    cr_expect(strstr(steps, line), "%s in %s", line, steps);
    free(steps);
    cJSON_Delete(j);
}

Test(workflow, a_repeated_step_runs_n_times_in_a_row, .fini = cleanup)
{
    /* 3 x (10 ms + 2 ms network), then 20 ms + 2 ms: 58 ms */
    cJSON *j = run(WORLD("2ms", "5s", "1s", "loop",
                         "{\"id\": \"loop\", \"steps\": [{\"id\": \"a\", \"function\": \"c10\", "
                         "\"repeat\": 3}, {\"id\": \"b\", \"function\": \"c20\", \"after\": [\"a\"]}]}"));
    cr_expect_eq(get(j, "workflows.loop.latency_s.max"), 0.058);
    cr_expect_eq(get(j, "workflows.loop.latency_s.p50"), 0.058);
    cr_expect_eq(get(j, "totals.arrivals"), 5 * 4);
    cJSON_Delete(j);
}

Test(workflow, a_failed_step_fails_the_workflow_and_its_successors_never_run, .fini = cleanup)
{
    /* "slow" times out (2 s against 1 s): every request fails at step s;
     * t never runs; the parallel step p still runs (it was started). */
    cJSON *j = run(WORLD("0s", "10s", "1s", "bad",
                         "{\"id\": \"bad\", \"steps\": [{\"id\": \"a\", \"function\": \"c10\"},"
                         "{\"id\": \"s\", \"function\": \"slow\", \"after\": [\"a\"]},"
                         "{\"id\": \"p\", \"function\": \"c30\", \"after\": [\"a\"]},"
                         "{\"id\": \"t\", \"function\": \"c10\", \"after\": [\"s\", \"p\"]}]}"));
    /* requests at 0, 1, ..., 9 s: the one at 9 s is still running at the end */
    cr_expect_eq(get(j, "workflows.bad.requests"), 10);
    cr_expect_eq(get(j, "workflows.bad.failed"), 9);
    cr_expect_eq(get(j, "workflows.bad.ok"), 0);
    cr_expect_eq(get(j, "workflows.bad.in_flight_at_end"), 1);
    cr_expect_eq(get(j, "workflows.bad.failures_by_step.s"), 9);
    cr_expect_eq(get(j, "workflows.bad.failures_by_step.a"), 0);
    cr_expect_eq(get(j, "workflows.bad.steps_run.t"), 0);
    cr_expect_eq(get(j, "workflows.bad.steps_run.p"), 10);
    cr_expect_eq(get(j, "outcomes.timeout"), 9);
    cr_expect_eq(get(j, "workflows.bad.latency_s.count"), 0);
    cJSON_Delete(j);
}

Test(workflow, a_deadline_counts_the_late_requests_apart, .fini = cleanup)
{
    /* 60 ms end to end: a 60 ms deadline is met (not exceeded), 59 ms is not */
    const char *chain = "\"steps\": [{\"id\": \"a\", \"function\": \"c10\"},"
                        "{\"id\": \"b\", \"function\": \"c20\", \"after\": [\"a\"]},"
                        "{\"id\": \"c\", \"function\": \"c30\", \"after\": [\"b\"]}]}";
    char wfs[1024];
    snprintf(wfs, sizeof wfs, "{\"id\": \"met\", \"deadline\": \"60ms\", %s", chain);
    char text[8192];
    snprintf(text, sizeof text, WORLD("0s", "10s", "1s", "met", "%s"), wfs);
    cJSON *j = run(text);
    cr_expect_eq(get(j, "workflows.met.ok"), 10);
    cr_expect_eq(get(j, "workflows.met.deadline_missed"), 0);
    cJSON_Delete(j);
    snprintf(wfs, sizeof wfs, "{\"id\": \"met\", \"deadline\": \"59ms\", %s", chain);
    snprintf(text, sizeof text, WORLD("0s", "10s", "1s", "met", "%s"), wfs);
    j = run(text);
    cr_expect_eq(get(j, "workflows.met.ok"), 0);
    cr_expect_eq(get(j, "workflows.met.deadline_missed"), 10);
    cr_expect_eq(get(j, "workflows.met.latency_s.count"), 10, "late ones are measured too");
    cJSON_Delete(j);
}

Test(workflow, the_critical_path_follows_the_slowest_branch, .fini = cleanup)
{
    /* in (10) -> {x (20), y (30)} -> out (10), 1 ms network a step: the
     * path in, y, out: 50 ms of execution and 3 ms of network. */
    cJSON *j = run(WORLD("1ms", "5s", "1s", "cp",
                         "{\"id\": \"cp\", \"steps\": [{\"id\": \"in\", \"function\": \"c10\"},"
                         "{\"id\": \"x\", \"function\": \"c20\", \"after\": [\"in\"]},"
                         "{\"id\": \"y\", \"function\": \"c30\", \"after\": [\"in\"]},"
                         "{\"id\": \"out\", \"function\": \"c10\", \"after\": [\"x\", \"y\"]}]}"));
    cr_expect_eq(get(j, "workflows.cp.latency_s.max"), 0.053);
    cr_expect_float_eq(get(j, "workflows.cp.critical_path_s.execution"), 0.050, 1e-12);
    cr_expect_float_eq(get(j, "workflows.cp.critical_path_s.network"), 0.003, 1e-12);
    cJSON_Delete(j);
}

Test(workflow, a_run_with_workflows_is_deterministic, .fini = cleanup)
{
    const char *text = WORLD("1ms", "200s", "100ms", "br",
                             "{\"id\": \"br\", \"steps\": [{\"id\": \"in\", \"function\": \"e\"},"
                             "{\"id\": \"s\", \"function\": \"e\", \"after\": "
                             "  [{\"step\": \"in\", \"probability\": 0.5}]},"
                             "{\"id\": \"l\", \"function\": \"e\", \"after\": "
                             "  [{\"step\": \"in\", \"probability\": 0.5}]}]}");
    cJSON *a = run(text);
    char *wa = slurp("workflows.csv"), *sa = slurp("workflow_series.csv");
    cJSON *b = run(text);
    char *wb = slurp("workflows.csv"), *sb = slurp("workflow_series.csv");
    cr_expect_str_eq(wa, wb);
    cr_expect_str_eq(sa, sb);
    cr_expect_str_eq(cJSON_GetObjectItem(a, "fingerprint")->valuestring,
                     cJSON_GetObjectItem(b, "fingerprint")->valuestring);
    free(wa);
    free(wb);
    free(sa);
    free(sb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

Test(workflow, a_step_that_fails_in_its_cold_start_spent_its_time_there_not_executing,
     .fini = cleanup)
{
    /* One request at 1 s; its only step's function cold-starts for 3 s and
     * the node crashes at 2.5 s: the step was 1.5 s in its cold start and
     * never executed. (Its planned end of initialisation, 4 s, used to count
     * as cold start and make the execution -1.5 s.) */
    static const char text[] =
        "{\"name\": \"t\", \"seed\": 1, \"duration\": \"10s\", \"regions\": [{\"id\": \"r\"}],"
        "\"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 4}],"
        "\"functions\": [{\"id\": \"boot\", \"timeout\": \"1s\","
        "  \"cold_start\": {\"type\": \"constant\", \"value\": \"3s\"},"
        "  \"exec_time\": {\"type\": \"constant\", \"value\": \"10ms\"}}],"
        "\"deployments\": [{\"function\": \"boot\", \"strategy\": \"all\"}],"
        "\"workflows\": [{\"id\": \"w\", \"steps\": [{\"id\": \"s\", \"function\": \"boot\"}]}],"
        "\"workloads\": [{\"workflow\": \"w\", \"region\": \"r\", \"arrival\": \"times\","
        "  \"times\": [\"1s\"]}],"
        "\"faults\": [{\"kind\": \"crash\", \"at\": \"2500ms\", \"node\": \"a\"}]}";
    cJSON *j = run(text);
    cr_expect_eq(get(j, "workflows.w.failed"), 1);
    cr_expect_eq(get(j, "outcomes.node_crash"), 1);
    char *steps = slurp("workflow_steps.csv");
    cr_expect(strstr(steps, "\nw,s,boot,1,1,0,1,1,1,0.000000000,1.500000000,0.000000000,"
                            "0.000000000\n"),
              "%s", steps);
    free(steps);
    cJSON_Delete(j);
}
