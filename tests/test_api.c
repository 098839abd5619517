/*
 * Pins the embedding API (sim/api/edgesim.h) and what it stands on: a run
 * in pieces (run_until, step) has the fingerprint of one run at once; the
 * engine's step runs exactly one event; a router callback sees the plugin
 * ABI's request and a bad answer ends the run naming it; inject checks a
 * fault as the scenario reader does (sim_scenario_add_fault) and applies it
 * at now; counters read while paused hold every outcome so far; every
 * misuse is an error code, never a crash. (The Python
 * package's tests, tests/python, cover the same API from ctypes.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/edgesim.h"
#include "engine/engine.h"

static char outdir[64];

static void mkout(void)
{
    snprintf(outdir, sizeof outdir, "/tmp/edgesim-api-XXXXXX");
    cr_assert_not_null(mkdtemp(outdir));
}

static void rmout(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
    cr_expect_eq(system(cmd), 0);
}

/* Two nodes, one function every 100 ms from t = 0 for 10 s: 100 arrivals;
 * 50 ms each after a 100 ms cold start. */
static const char TINY[] =
    "{\"name\": \"tiny\", \"seed\": 1, \"duration\": \"10s\", \"sample_interval\": \"1s\",\n"
    " \"regions\": [{\"id\": \"r\"}],\n"
    " \"nodes\": [{\"id\": \"n1\", \"region\": \"r\"}, {\"id\": \"n2\", \"region\": \"r\"}],\n"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"50ms\"},\n"
    "   \"cold_start\": {\"type\": \"constant\", \"value\": \"100ms\"}}],\n"
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],\n"
    " \"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"constant\",\n"
    "   \"interval\": \"100ms\"}]}\n";

static edgesim_sim *open_tiny(const edgesim_options *o)
{
    edgesim_error err;
    edgesim_sim *s = edgesim_open_text(TINY, strlen(TINY), "tiny.json", o, &err);
    cr_assert_not_null(s, "%s", err.text);
    return s;
}

static void finish_fp(edgesim_sim *s, char fp[17])
{
    edgesim_error err;
    cr_assert_eq(edgesim_finish(s, &err), 0, "%s", err.text);
    edgesim_fingerprint(s, fp);
    edgesim_free(s);
}

Test(api, pieces_and_steps_give_the_fingerprint_of_one_run, .init = mkout, .fini = rmout)
{
    edgesim_options o = {.outdir = outdir};
    char whole[17], pieces[17], steps[17];
    finish_fp(open_tiny(&o), whole);

    edgesim_sim *s = open_tiny(&o);
    edgesim_error err;
    for (int k = 1; k <= 100; k++)
        cr_assert_eq(edgesim_run_until(s, (int64_t)k * 100000000, &err), 0, "%s", err.text);
    cr_assert_eq(edgesim_now_ns(s), edgesim_end_ns(s));
    finish_fp(s, pieces);

    s = open_tiny(&o);
    uint64_t n = 0;
    int64_t last = 0;
    int rc;
    while ((rc = edgesim_step(s, &err)) == 1) {
        cr_assert_geq(edgesim_now_ns(s), last);
        last = edgesim_now_ns(s);
        n++;
    }
    cr_assert_eq(rc, 0, "%s", err.text);
    cr_assert_eq(edgesim_events(s), n);
    cr_assert_eq(edgesim_invocations(s), 100);
    finish_fp(s, steps);
    cr_assert_str_eq(pieces, whole);
    cr_assert_str_eq(steps, whole);
}

/* What a paused run reports is every outcome so far: the nodes' and the
 * function's counters agree with each other and with the arrivals that have
 * had time to finish (the metrics apply outcomes in batches: metrics.h). */
Test(api, counters_read_while_paused_include_every_outcome_so_far, .init = mkout, .fini = rmout)
{
    edgesim_options o = {.outdir = outdir};
    edgesim_sim *s = open_tiny(&o);
    edgesim_error err;
    for (int k = 1; k <= 100; k++) {
        cr_assert_eq(edgesim_run_until(s, (int64_t)k * 100000000 + 99000000, &err), 0, "%s", err.text);
        edgesim_node a, b;
        edgesim_function f;
        cr_assert_eq(edgesim_get_node(s, 0, &a, &err), 0, "%s", err.text);
        cr_assert_eq(edgesim_get_node(s, 1, &b, &err), 0, "%s", err.text);
        cr_assert_eq(edgesim_get_function(s, 0, &f, &err), 0, "%s", err.text);
        cr_expect_eq(a.ok + b.ok, f.ok, "at %d00 ms: nodes %llu + %llu, function %llu", k,
                     (unsigned long long)a.ok, (unsigned long long)b.ok, (unsigned long long)f.ok);
        /* arrivals at 0, 100, ..., k*100 ms: all but the one at k*100 are
         * through by k*100 + 99 ms (150 ms cold, 50 ms warm) */
        cr_expect_geq(f.ok, (uint64_t)(k - 1), "at %d99 ms: %llu ok", k, (unsigned long long)f.ok);
        cr_expect_leq(f.ok, (uint64_t)(k + 1));
        cr_expect_float_eq(a.latency_sum_ms + b.latency_sum_ms, f.latency_sum_ms, 1e-6);
    }
    char fp[17];
    finish_fp(s, fp);
}

static void count(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)e;
    (void)ev;
    (*(int *)ctx)++;
}

Test(api, engine_step_runs_one_event_and_moves_the_clock_to_it)
{
    sim_engine *e = sim_engine_create(0);
    int hits = 0;
    sim_payload p = {.id = 0};
    cr_assert_eq(sim_engine_schedule(e, 5, count, &hits, p, NULL), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 5, count, &hits, p, NULL), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 9, count, &hits, p, NULL), EDGE_OK);
    bool ran = false;
    cr_assert_eq(sim_engine_step(e, 100, &ran), EDGE_OK);
    cr_assert(ran);
    cr_assert_eq(hits, 1); /* one of the two at t = 5, not both */
    cr_assert_eq(sim_engine_now(e), 5);
    cr_assert_eq(sim_engine_step(e, 100, &ran), EDGE_OK);
    cr_assert_eq(hits, 2);
    cr_assert_eq(sim_engine_step(e, 8, &ran), EDGE_OK); /* the next is at 9 > 8 */
    cr_assert(!ran);
    cr_assert_eq(hits, 2);
    cr_assert_eq(sim_engine_now(e), 5); /* a step never moves the clock to its bound */
    cr_assert_eq(sim_engine_step(e, 9, &ran), EDGE_OK); /* exactly at the bound runs */
    cr_assert(ran);
    cr_assert_eq(sim_engine_now(e), 9);
    cr_assert_eq(sim_engine_step(e, 100, NULL), EDGE_OK); /* none left */
    cr_assert_eq(hits, 3);
    cr_assert_eq(sim_engine_step(e, 1, &ran), EDGE_INVAL); /* before now */
    sim_engine_destroy(e);
}

/* The router of the tests: always the last candidate, recording what it saw. */
typedef struct {
    int calls;
    size_t ncand;
    uint32_t function, first_node;
    int64_t latency, now;
    long answer; /* -100: the last candidate */
} seen;

static long router(void *ctx, const edge_policy_request *req)
{
    seen *s = ctx;
    if (s->calls++ == 0) {
        s->ncand = req->ncandidates;
        s->function = req->function;
        s->first_node = req->candidates[0].node;
        s->latency = req->candidates[0].latency_ns;
        s->now = req->now;
    }
    return s->answer == -100 ? (long)req->ncandidates - 1 : s->answer;
}

Test(api, a_router_sees_the_plugin_request_and_routes, .init = mkout, .fini = rmout)
{
    seen sn = {.answer = -100};
    edgesim_options o = {.outdir = outdir, .router = router, .router_ctx = &sn,
                         .router_name = "last"};
    edgesim_sim *s = open_tiny(&o);
    edgesim_error err;
    cr_assert_eq(edgesim_finish(s, &err), 0, "%s", err.text);
    cr_assert_eq(sn.calls, 100);
    cr_assert_eq(sn.ncand, 2);
    cr_assert_eq(sn.function, 0);
    cr_assert_eq(sn.first_node, 0);
    cr_assert_eq(sn.latency, 1000000); /* the network's default within a region: 1 ms */
    cr_assert_eq(sn.now, 0);
    edgesim_node n1, n2;
    cr_assert_eq(edgesim_get_node(s, 0, &n1, &err), 0);
    cr_assert_eq(edgesim_get_node(s, 1, &n2, &err), 0);
    cr_assert_eq(n1.invocations, 0);
    cr_assert_eq(n2.invocations, 100); /* the last candidate, every time */
    cr_assert_str_eq(n2.id, "n2");
    cr_assert_str_eq(n2.region, "r");
    edgesim_free(s);
}

Test(api, a_bad_router_answer_ends_the_run_naming_it, .init = mkout, .fini = rmout)
{
    seen sn = {.answer = 7};
    edgesim_options o = {.outdir = outdir, .router = router, .router_ctx = &sn,
                         .router_name = "seven"};
    edgesim_sim *s = open_tiny(&o);
    edgesim_error err;
    cr_assert_eq(edgesim_run_until(s, 5000000000, &err), -1);
    cr_assert_eq(err.code, EDGESIM_RUN);
    cr_assert_str_eq(err.text, "run failed: router seven answered 7 for function f (deployed on "
                               "2 node(s)): expected a candidate index or EDGE_POLICY_NONE");
    cr_assert_eq(sn.calls, 1);
    cr_assert_eq(edgesim_step(s, &err), -1); /* over: an error, not a crash */
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_eq(edgesim_finish(s, &err), -1);
    edgesim_free(s);
}

Test(api, inject_applies_at_now_and_checks_like_the_reader, .init = mkout, .fini = rmout)
{
    edgesim_options o = {.outdir = outdir};
    edgesim_sim *s = open_tiny(&o);
    edgesim_error err;
    cr_assert_eq(edgesim_run_until(s, 2000000000, &err), 0);
    edgesim_node n;
    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"crash\", \"node\": \"n1\"}", &err), 0, "%s",
                 err.text);
    cr_assert_eq(edgesim_get_node(s, 0, &n, &err), 0);
    cr_assert_eq(n.up, 0); /* at once */
    cr_assert_str_eq(n.status, "online"); /* the control plane has not noticed */

    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"crash\",\n \"node\": \"n7\"}", &err), -1);
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    cr_assert_str_eq(err.file, "<inject>");
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.col, 10);
    cr_assert_str_eq(err.path, "node");
    cr_assert_eq(err.count, 1);
    cr_assert_str_eq(err.text, "<inject>:2:10: node: expected a node id defined in nodes, "
                               "found \"n7\" (did you mean \"n1\"?)");
    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"recover\", \"node\": \"n1\", \"at\": \"1s\"}",
                                &err), -1);
    cr_assert_str_eq(err.path, "at");
    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"recover\", \"node\": \"n1\", \"at\": \"11s\"}",
                                &err), -1);
    cr_assert_str_eq(err.path, "at");
    cr_assert_eq(edgesim_inject(s, "[1, 2", &err), -1);
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    cr_assert_eq(edgesim_inject(s, "[]", &err), -1);
    cr_assert(strstr(err.message, "expected a fault") != NULL, "%s", err.message);
    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"state_update\", \"patch\": {}}", &err), -1);
    cr_assert(strstr(err.message, "\"sync\" section") != NULL, "%s", err.message);
    /* a later one is scheduled, then happens */
    cr_assert_eq(edgesim_inject(s, "{\"kind\": \"recover\", \"node\": \"n1\", \"at\": \"4s\"}",
                                &err), 0, "%s", err.text);
    cr_assert_eq(edgesim_get_node(s, 0, &n, &err), 0);
    cr_assert_eq(n.up, 0);
    cr_assert_eq(edgesim_run_until(s, 4000000000, &err), 0);
    cr_assert_eq(edgesim_get_node(s, 0, &n, &err), 0);
    cr_assert_eq(n.up, 1);
    cr_assert_eq(edgesim_finish(s, &err), 0, "%s", err.text);
    edgesim_free(s);
}

Test(api, misuse_is_an_error_code, .init = mkout, .fini = rmout)
{
    edgesim_error err;
    edgesim_options o = {.outdir = outdir};
    edgesim_options none = {0};
    cr_assert_null(edgesim_open("x.json", NULL, &err));
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_null(edgesim_open("x.json", &none, &err)); /* no outdir */
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_null(edgesim_open_text(NULL, 0, NULL, &o, &err));
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_null(edgesim_open("/nonexistent/x.json", &o, &err));
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    cr_assert(strstr(err.text, "/nonexistent/x.json") != NULL, "%s", err.text);
    const char *sets[] = {"duration=soon"};
    edgesim_options bad = {.outdir = outdir, .sets = sets, .nsets = 1};
    cr_assert_null(edgesim_open_text(TINY, strlen(TINY), "tiny.json", &bad, &err));
    cr_assert_str_eq(err.file, "--set");
    cr_assert_str_eq(err.path, "duration");

    edgesim_sim *s = open_tiny(&o);
    edgesim_node n;
    edgesim_function f;
    cr_assert_eq(edgesim_get_node(s, 2, &n, &err), -1);
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_eq(edgesim_get_function(s, 1, &f, &err), -1);
    cr_assert_eq(edgesim_run_until(s, 3000000000, &err), 0);
    cr_assert_eq(edgesim_run_until(s, 1000000000, &err), -1); /* back in time */
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_eq(edgesim_run_until(s, 5000000000, &err), 0); /* still usable */
    cr_assert_eq(edgesim_finish(s, &err), 0);
    cr_assert_eq(edgesim_finish(s, &err), -1);
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_eq(edgesim_finished(s), 1);
    cr_assert_eq(edgesim_get_function(s, 0, &f, &err), 0); /* reading stays fine */
    cr_assert_eq(f.ok + f.failed + f.rejected, 100);
    edgesim_free(s);
    edgesim_free(NULL);
    /* a NULL simulation (a binding's handle after free): no call crashes,
     * the readers give nothing, the others refuse */
    char fp[17] = "x";
    edgesim_fingerprint(NULL, fp);
    cr_assert_str_eq(fp, "");
    edgesim_fingerprint(NULL, NULL);
    cr_assert_eq(edgesim_now_ns(NULL), 0);
    cr_assert_eq(edgesim_end_ns(NULL), 0);
    cr_assert_eq(edgesim_node_count(NULL), 0);
    cr_assert_eq(edgesim_function_count(NULL), 0);
    cr_assert_eq(edgesim_events(NULL), 0);
    cr_assert_eq(edgesim_invocations(NULL), 0);
    cr_assert_null(edgesim_outdir(NULL));
    cr_assert_eq(edgesim_finished(NULL), 0);
    cr_assert_eq(edgesim_run_until(NULL, 0, &err), -1);
    cr_assert_eq(err.code, EDGESIM_USAGE);
    cr_assert_eq(edgesim_step(NULL, &err), -1);
    cr_assert_eq(edgesim_inject(NULL, "{}", &err), -1);
    cr_assert_eq(edgesim_finish(NULL, &err), -1);
    cr_assert_eq(edgesim_get_node(NULL, 0, &n, &err), -1);
    cr_assert_eq(edgesim_get_function(NULL, 0, &f, &err), -1);
    cr_assert_str_eq(edgesim_strerror(EDGESIM_SCENARIO), "bad scenario or fault");
    cr_assert_str_eq(edgesim_strerror(99), "unknown error");
    cr_assert_eq(edgesim_api_version(), EDGESIM_API_VERSION);
}

Test(api, a_seed_and_overrides_act_as_the_cli_flags, .init = mkout, .fini = rmout)
{
    char a[17], b[17], c[17];
    /* random execution times: the seed matters */
    const char *expo = "functions[0].exec_time={\"type\": \"exponential\", \"mean\": \"50ms\"}";
    const char *sets1[] = {expo};
    edgesim_options o = {.outdir = outdir, .sets = sets1, .nsets = 1, .has_seed = 1, .seed = 5};
    finish_fp(open_tiny(&o), a);
    const char *sets2[] = {expo, "seed=5"};
    edgesim_options o2 = {.outdir = outdir, .sets = sets2, .nsets = 2};
    finish_fp(open_tiny(&o2), b);
    edgesim_options o3 = {.outdir = outdir, .sets = sets1, .nsets = 1, .has_seed = 1, .seed = 6};
    finish_fp(open_tiny(&o3), c);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
}

/* The trust flags: edgesim_open and flags 0 never load a plugin (the problem
 * is at its field and says how to opt in); EDGESIM_SANDBOX_PATHS refuses an
 * absolute data path; an unknown flag is a usage error. */
Test(api, plugins_need_the_allow_flag_and_sandbox_refuses_absolute_paths, .init = mkout,
     .fini = rmout)
{
    edgesim_options o = {.outdir = outdir};
    edgesim_error err;
    const char *sets[] = {"policies.scheduler={\"plugin\": \"evil.so\"}"};
    o.sets = sets;
    o.nsets = 1;
    cr_assert_null(edgesim_open_text(TINY, strlen(TINY), "tiny.json", &o, &err));
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    cr_assert_str_eq(err.path, "policies.scheduler.plugin");
    cr_assert(strstr(err.message, "pass EDGESIM_ALLOW_PLUGINS (Python: allow_plugins=True) to "
                                  "load 'evil.so'") != NULL,
              "%s", err.message);
    cr_assert_null(edgesim_open_text2(TINY, strlen(TINY), "tiny.json", &o, EDGESIM_ALLOW_PLUGINS,
                                      &err));
    cr_assert(strstr(err.message, "plugin evil.so: no such file") != NULL, "%s", err.message);
    const char *abs_csv[] = {"workloads[0]={\"function\": \"f\", \"region\": \"r\", "
                             "\"arrival\": \"csv\", \"file\": \"/etc/passwd\"}"};
    o.sets = abs_csv;
    cr_assert_null(edgesim_open_text2(TINY, strlen(TINY), "tiny.json", &o, EDGESIM_SANDBOX_PATHS,
                                      &err));
    cr_assert_str_eq(err.path, "workloads[0].file");
    cr_assert(strstr(err.message, "--sandbox-paths") != NULL, "%s", err.message);
    cr_assert_null(edgesim_open_text2(TINY, strlen(TINY), "tiny.json", &o, 0x80, &err));
    cr_assert_eq(err.code, EDGESIM_USAGE);
}

/* The limits (API 3): every open checks the estimated cost, as `edgesim run`
 * does; a refusal is EDGESIM_SCENARIO naming the field and how to raise the
 * limit through the API; open3 sets the limits, 0 lifting one. Regression:
 * before API 3 a sample every nanosecond for a day was built and run. */
Test(api, every_open_checks_the_limits_and_open3_sets_them, .init = mkout, .fini = rmout)
{
    edgesim_options o = {.outdir = outdir};
    edgesim_error err;
    const char *bomb[] = {"sample_interval=1ns", "duration=1d"};
    o.sets = bomb;
    o.nsets = 2;
    cr_assert_null(edgesim_open_text(TINY, strlen(TINY), "tiny.json", &o, &err));
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    cr_assert_str_eq(err.file, "tiny.json");
    cr_assert(strstr(err.message, "tiny.json: sample_interval: this run would run samples") ==
                  err.message, "%s", err.message);
    cr_assert(strstr(err.message, "(limit 2e9 events); change sample_interval, or pass "
                                  "edgesim_limits.max_events (Python: max_events=)") != NULL,
              "%s", err.message);
    cr_assert_null(edgesim_open_text2(TINY, strlen(TINY), "tiny.json", &o, 0, &err));
    cr_assert_null(edgesim_open_text3(TINY, strlen(TINY), "tiny.json", &o, 0, NULL, &err),
                   "NULL limits are the defaults");
    edgesim_limits none = {0, 0, 0};
    edgesim_sim *s = edgesim_open_text3(TINY, strlen(TINY), "tiny.json", &o, 0, &none, &err);
    cr_assert_not_null(s, "no limit: opened (not run) %s", err.text);
    edgesim_free(s);

    /* the tiny scenario itself: about 10 s x 10/s invocations x 4 events + samples */
    o.nsets = 0;
    edgesim_limits tight = {.max_events = 10};
    cr_assert_null(edgesim_open_text3(TINY, strlen(TINY), "tiny.json", &o, 0, &tight, &err));
    cr_assert_eq(err.code, EDGESIM_SCENARIO);
    edgesim_limits mem = {.max_memory = 1024};
    cr_assert_null(edgesim_open_text3(TINY, strlen(TINY), "tiny.json", &o, 0, &mem, &err));
    cr_assert(strstr(err.message, "edgesim_limits.max_memory (Python: max_memory=)") != NULL,
              "%s", err.message);
    tight.max_events = 1000000;
    s = edgesim_open_text3(TINY, strlen(TINY), "tiny.json", &o, 0, &tight, &err);
    cr_assert_not_null(s, "%s", err.text);
    edgesim_free(s);
    cr_assert_eq(edgesim_api_version(), 3);
}
