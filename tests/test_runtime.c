/*
 * Pins core/runtime: cold, then warm, then cold again once the keep-alive
 * has run out (warm one nanosecond before the expiry, cold at it, with or
 * without a call to expire); expiry order and reports; warm-up; concurrent
 * instances; memory accounting, NO_CAPACITY and least-recently-used
 * eviction; the per-node instance limit; stale handles; undeploy and crash
 * with work in flight; keep-alive 0 and re-timing; the choosers (what a
 * plugin is shown to pick the serving and the evicted instance, and what
 * its answers do); the idle memory-time
 * accumulator; invoke with success, handler failure and timeout; that time
 * never goes back; that every failing call — out of memory included —
 * leaves the runtime as it was; and, last, the runtime against a plain
 * reference model under a long random operation stream.
 *
 * This file defines core's four allocation functions (tests/alloc_budget.h,
 * see core/alloc.h), so a test can make the Nth allocation fail.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_budget.h"
#include "runtime.h"

/* ---- fixtures ------------------------------------------------------------- */

#define MAX_EVENTS 4096

static edge_function_table *fns;
static edge_runtime *rt;
static edge_instance_removal events[MAX_EVENTS];
static size_t n_events;

static void on_removal(void *ctx, const edge_instance_removal *r)
{
    (void)ctx;
    cr_assert_lt(n_events, MAX_EVENTS);
    events[n_events++] = *r;
}

/* Handlers for invoke. The context is a fake clock the handler moves. */
typedef struct {
    edge_time t;
    edge_time cost; /* how long a call takes */
    int calls;
} fake_clock;

static edge_time read_clock(void *ctx) { return ((fake_clock *)ctx)->t; }

static int echo_handler(void *ctx, const cJSON *args, cJSON **result, char *err, size_t len)
{
    fake_clock *c = ctx;
    (void)err;
    (void)len;
    c->t += c->cost;
    c->calls++;
    *result = args ? cJSON_Duplicate(args, 1) : cJSON_CreateString("no args");
    return 0;
}

static int failing_handler(void *ctx, const cJSON *args, cJSON **result, char *err, size_t len)
{
    fake_clock *c = ctx;
    (void)args;
    c->t += c->cost;
    c->calls++;
    *result = cJSON_CreateString("half-made result the runtime must free");
    snprintf(err, len, "disk on fire");
    return 7;
}

static int silent_failing_handler(void *ctx, const cJSON *args, cJSON **result, char *err,
                                  size_t len)
{
    (void)ctx, (void)args, (void)result, (void)err, (void)len;
    return -1;
}

static fake_clock clk;

/* Function indices, in table order. */
enum { F_SMALL, F_BIG, F_LIMITED, F_SHORT, F_ECHO, F_FAIL, F_SILENT, F_NOHANDLER, F_UNDEPLOYED };

static void add_fn(edge_function_spec spec)
{
    edge_function *f;
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    cr_assert_eq(edge_function_table_add(fns, f, NULL), EDGE_OK);
}

static edge_runtime *make_runtime(uint64_t memory_mb)
{
    edge_runtime_config cfg = edge_runtime_config_default("node-7");
    cfg.node_index = 7;
    cfg.memory_mb = memory_mb;
    cfg.on_removal = on_removal;
    edge_runtime *r;
    cr_assert_eq(edge_runtime_new(fns, &cfg, &r), EDGE_OK);
    for (uint32_t f = 0; f < F_UNDEPLOYED; f++)
        cr_assert_eq(edge_runtime_deploy_idx(r, f), EDGE_OK);
    return r;
}

static void setup(void)
{
    alloc_budget = -1;
    n_events = 0;
    clk = (fake_clock){0};
    cr_assert_eq(edge_function_table_new(&fns), EDGE_OK);
    add_fn((edge_function_spec){.id = "small", .memory_mb = 100, .timeout = EDGE_S});
    add_fn((edge_function_spec){.id = "big", .memory_mb = 600, .timeout = EDGE_S});
    add_fn((edge_function_spec){.id = "limited", .memory_mb = 10, .timeout = EDGE_S,
                                .max_instances = 2});
    add_fn((edge_function_spec){.id = "short", .memory_mb = 50, .timeout = EDGE_S,
                                .has_keepalive = true, .keepalive = 30 * EDGE_S});
    add_fn((edge_function_spec){.id = "echo", .memory_mb = 10, .timeout = 2 * EDGE_S,
                                .handler = echo_handler, .handler_ctx = &clk});
    add_fn((edge_function_spec){.id = "fail", .memory_mb = 10, .timeout = 2 * EDGE_S,
                                .handler = failing_handler, .handler_ctx = &clk});
    add_fn((edge_function_spec){.id = "silent", .memory_mb = 10, .timeout = 2 * EDGE_S,
                                .handler = silent_failing_handler});
    add_fn((edge_function_spec){.id = "nohandler", .memory_mb = 10, .timeout = 2 * EDGE_S});
    add_fn((edge_function_spec){.id = "undeployed", .memory_mb = 10, .timeout = EDGE_S,
                                .handler = echo_handler, .handler_ctx = &clk});
    rt = make_runtime(1000);
}

static void teardown(void)
{
    alloc_budget = -1;
    edge_runtime_free(rt);
    edge_function_table_free(fns);
    rt = NULL;
    fns = NULL;
}

TestSuite(runtime, .init = setup, .fini = teardown);

static edge_start start(uint32_t f, edge_time now)
{
    edge_start s;
    edge_err e = edge_runtime_start_idx(rt, f, now, 0, &s);
    cr_assert_eq(e, EDGE_OK, "start %u at %lld: %s", f, (long long)now, edge_errname(e));
    return s;
}

static edge_invocation_metrics finish(edge_invocation inv, edge_time now)
{
    edge_invocation_metrics m;
    edge_err e = edge_runtime_finish(rt, inv, now, true, &m);
    cr_assert_eq(e, EDGE_OK, "finish at %lld: %s", (long long)now, edge_errname(e));
    return m;
}

/* Everything observable, as text, to compare around a failing call. */
static void snapshot(char *buf, size_t n)
{
    size_t k = 0;
#define PUT(...) k += (size_t)snprintf(buf + k, k < n ? n - k : 0, __VA_ARGS__)
    edge_runtime_stats st = edge_runtime_stats_total(rt);
    PUT("now=%lld used=%llu idle=%llu free=%llu busy=%u idlen=%u next=%lld events=%zu "
        "st=%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.17g|",
        (long long)edge_runtime_now(rt), (unsigned long long)edge_runtime_memory_used(rt),
        (unsigned long long)edge_runtime_memory_idle(rt),
        (unsigned long long)edge_runtime_memory_free(rt), edge_runtime_in_flight(rt),
        edge_runtime_idle_total(rt), (long long)edge_runtime_next_expiry(rt), n_events,
        (unsigned long long)st.starts, (unsigned long long)st.cold_starts,
        (unsigned long long)st.warm_ups, (unsigned long long)st.finishes,
        (unsigned long long)st.failures, (unsigned long long)st.crashed,
        (unsigned long long)st.expired, (unsigned long long)st.evicted,
        (unsigned long long)st.undeployed, (unsigned long long)st.lost, st.idle_mb_ns);
    for (uint32_t f = 0; f < edge_function_table_count(fns); f++)
        PUT("%u:%d:%u:%u:%lld,", f, edge_runtime_is_deployed(rt, f),
            edge_runtime_idle_count(rt, f), edge_runtime_busy_count(rt, f),
            (long long)edge_runtime_keepalive(rt, f));
#undef PUT
    cr_assert_lt(k, n);
}

#define SNAP 8192
static char before[SNAP], after[SNAP];

static void expect_unchanged(const char *what)
{
    snapshot(after, SNAP);
    cr_expect_str_eq(after, before, "%s changed the runtime", what);
}

/* ---- warm and cold ------------------------------------------------------- */

Test(runtime, cold_then_warm_then_cold_again_after_the_keepalive)
{
    edge_start s = start(F_SMALL, 0);
    cr_expect(s.cold, "the first invocation after deploy is cold");
    edge_invocation_metrics m = finish(s.invocation, 2 * EDGE_S);
    cr_expect(m.cold_start);
    cr_expect_eq(m.start, 0);
    cr_expect_eq(m.duration, 2 * EDGE_S);
    cr_expect(m.success);
    cr_expect_str_eq(m.function_id, "small");
    cr_expect_str_eq(m.node_id, "node-7");
    cr_expect_eq(m.function, F_SMALL);
    cr_expect_eq(m.node, 7);
    cr_expect_eq(m.memory_mb, 100);

    s = start(F_SMALL, 5 * EDGE_S);
    cr_expect_not(s.cold, "an idle instance within its keep-alive is warm");
    m = finish(s.invocation, 6 * EDGE_S);
    cr_expect_not(m.cold_start);

    cr_expect_eq(edge_runtime_next_expiry(rt), 6 * EDGE_S + EDGE_KEEPALIVE_DEFAULT);
    size_t removed = 0;
    cr_assert_eq(edge_runtime_expire(rt, 6 * EDGE_S + EDGE_KEEPALIVE_DEFAULT, &removed), EDGE_OK);
    cr_expect_eq(removed, 1);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 0);
    s = start(F_SMALL, 6 * EDGE_S + EDGE_KEEPALIVE_DEFAULT);
    cr_expect(s.cold, "cold again once the warm instance expired");
}

Test(runtime, warm_one_ns_before_expiry_and_cold_at_it_without_calling_expire)
{
    edge_start s = start(F_SMALL, 0);
    finish(s.invocation, 10);
    edge_time expiry = 10 + EDGE_KEEPALIVE_DEFAULT;
    s = start(F_SMALL, expiry - 1);
    cr_expect_not(s.cold);
    finish(s.invocation, expiry - 1);

    s = start(F_SMALL, expiry - 1 + EDGE_KEEPALIVE_DEFAULT);
    cr_expect(s.cold, "the start itself removes what expired at its time");
    cr_assert_eq(n_events, 1);
    cr_expect_eq(events[0].reason, EDGE_REMOVED_EXPIRED);
    cr_expect_eq(events[0].removed_at, expiry - 1 + EDGE_KEEPALIVE_DEFAULT);
    cr_expect_eq(events[0].idle_since, expiry - 1);
    cr_expect_eq(events[0].function, F_SMALL);
    cr_expect_str_eq(events[0].function_id, "small");
    cr_expect_eq(events[0].node, 7);
}

Test(runtime, expire_reports_each_removal_in_order_of_expiry)
{
    edge_start a = start(F_SMALL, 0), b = start(F_SHORT, 0), c = start(F_BIG, 0);
    finish(a.invocation, 1 * EDGE_S);   /* expires 1 s + 10 min */
    finish(b.invocation, 2 * EDGE_S);   /* own keep-alive 30 s: expires 32 s */
    finish(c.invocation, 2 * EDGE_S);   /* expires 2 s + 10 min */
    cr_expect_eq(edge_runtime_next_expiry(rt), 32 * EDGE_S);
    size_t removed;
    cr_assert_eq(edge_runtime_expire(rt, 32 * EDGE_S - 1, &removed), EDGE_OK);
    cr_expect_eq(removed, 0);
    cr_assert_eq(edge_runtime_expire(rt, 32 * EDGE_S, &removed), EDGE_OK);
    cr_expect_eq(removed, 1);
    cr_expect_eq(events[0].function, F_SHORT);
    cr_expect_eq(edge_runtime_next_expiry(rt), 1 * EDGE_S + EDGE_KEEPALIVE_DEFAULT);
    cr_assert_eq(edge_runtime_expire(rt, EDGE_HOUR, &removed), EDGE_OK);
    cr_expect_eq(removed, 2);
    cr_assert_eq(n_events, 3);
    cr_expect_eq(events[1].function, F_SMALL);
    cr_expect_eq(events[1].removed_at, 1 * EDGE_S + EDGE_KEEPALIVE_DEFAULT);
    cr_expect_eq(events[2].function, F_BIG);
    cr_expect_eq(events[2].removed_at, 2 * EDGE_S + EDGE_KEEPALIVE_DEFAULT);
    cr_expect_eq(edge_runtime_next_expiry(rt), EDGE_TIME_MAX);
    cr_expect_eq(edge_runtime_memory_used(rt), 0);
    cr_expect_eq(edge_runtime_now(rt), EDGE_HOUR);
    edge_runtime_stats st = edge_runtime_stats_total(rt);
    cr_expect_eq(st.expired, 3);
}

Test(runtime, equal_expiries_go_in_the_order_instances_became_idle)
{
    edge_start a = start(F_SMALL, 0), b = start(F_BIG, 0);
    finish(b.invocation, 5);
    finish(a.invocation, 5);
    cr_assert_eq(edge_runtime_expire(rt, EDGE_HOUR, NULL), EDGE_OK);
    cr_assert_eq(n_events, 2);
    cr_expect_eq(events[0].function, F_BIG);
    cr_expect_eq(events[1].function, F_SMALL);
}

Test(runtime, warm_up_makes_the_next_invocation_warm)
{
    cr_assert_eq(edge_runtime_warm_up(rt, "small", 100), EDGE_OK);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 1);
    cr_expect_eq(edge_runtime_memory_used(rt), 100);
    cr_expect_eq(edge_runtime_next_expiry(rt), 100 + EDGE_KEEPALIVE_DEFAULT);
    edge_start s = start(F_SMALL, 200);
    cr_expect_not(s.cold);
    cr_expect_eq(edge_runtime_stats_total(rt).warm_ups, 1);
    cr_expect_eq(edge_runtime_stats_total(rt).cold_starts, 0);
}

Test(runtime, warm_up_never_evicts_another_functions_warm_instance)
{
    edge_start s = start(F_BIG, 0);
    finish(s.invocation, 1); /* 600 idle, 400 free */
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 2), EDGE_OK);
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 2), EDGE_OK);
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 2), EDGE_OK);
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 2), EDGE_OK); /* full */
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 3), EDGE_NO_CAPACITY);
    expect_unchanged("warm_up without room");
    edge_time big_expiry = 1 + EDGE_KEEPALIVE_DEFAULT;
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_SMALL, big_expiry - 1), EDGE_NO_CAPACITY,
                 "the big one is still warm");
    cr_expect_eq(n_events, 0);
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_SMALL, big_expiry), EDGE_OK,
                 "at its expiry its room is free");
    cr_expect_eq(n_events, 1);
    cr_expect_eq(events[0].function, F_BIG);
}

Test(runtime, warm_up_respects_the_instance_limit_counting_only_live_instances)
{
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_LIMITED, 0), EDGE_OK);
    edge_start s = start(F_LIMITED, 0); /* takes the warm one */
    cr_expect_not(s.cold);
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_LIMITED, 1), EDGE_OK);
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_LIMITED, 2), EDGE_INSTANCE_LIMIT);
    expect_unchanged("warm_up at the limit");
    /* the idle one expires: room again */
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_LIMITED, 1 + EDGE_KEEPALIVE_DEFAULT), EDGE_OK);
    cr_expect_eq(n_events, 1, "the expired one was removed first");
}

/* ---- instances and memory ---------------------------------------------------- */

Test(runtime, concurrent_invocations_each_run_on_their_own_instance)
{
    edge_start s[3];
    for (int i = 0; i < 3; i++) {
        s[i] = start(F_SMALL, 0);
        cr_expect(s[i].cold, "no idle instance to share");
    }
    cr_expect_eq(edge_runtime_busy_count(rt, F_SMALL), 3);
    cr_expect_eq(edge_runtime_in_flight(rt), 3);
    cr_expect_eq(edge_runtime_memory_used(rt), 300);
    cr_expect_neq(s[0].invocation.instance, s[1].invocation.instance);
    finish(s[0].invocation, 10);
    finish(s[2].invocation, 20);
    finish(s[1].invocation, 30);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 3);
    cr_expect_eq(edge_runtime_memory_idle(rt), 300);
    edge_start w = start(F_SMALL, 40);
    cr_expect_not(w.cold);
    cr_expect_eq(w.invocation.instance, s[1].invocation.instance,
                 "a warm start takes the most recently used instance");
}

Test(runtime, memory_accounting_follows_every_instance)
{
    cr_expect_eq(edge_runtime_memory_capacity(rt), 1000);
    cr_expect_eq(edge_runtime_memory_free(rt), 1000);
    edge_start a = start(F_SMALL, 0), b = start(F_BIG, 0);
    cr_expect_eq(edge_runtime_memory_used(rt), 700);
    cr_expect_eq(edge_runtime_memory_free(rt), 300);
    cr_expect_eq(edge_runtime_memory_idle(rt), 0);
    finish(a.invocation, 1);
    cr_expect_eq(edge_runtime_memory_used(rt), 700);
    cr_expect_eq(edge_runtime_memory_idle(rt), 100);
    cr_expect_eq(edge_runtime_idle_total(rt), 1);
    finish(b.invocation, 2);
    cr_expect_eq(edge_runtime_memory_idle(rt), 700);
    cr_expect_eq(edge_runtime_in_flight(rt), 0);
    cr_assert_eq(edge_runtime_expire(rt, EDGE_DAY, NULL), EDGE_OK);
    cr_expect_eq(edge_runtime_memory_used(rt), 0);
    cr_expect_eq(edge_runtime_memory_free(rt), 1000);
}

Test(runtime, no_capacity_when_busy_instances_hold_the_memory)
{
    start(F_BIG, 0);
    start(F_SMALL, 0);
    start(F_SMALL, 0);
    start(F_SMALL, 0); /* 900 busy */
    snapshot(before, SNAP);
    edge_start s;
    cr_expect_eq(edge_runtime_start_idx(rt, F_BIG, 1, 0, &s), EDGE_NO_CAPACITY);
    cr_expect_eq(edge_runtime_start_idx(rt, F_SMALL, 1, 0, &s), EDGE_OK, "exactly fits");
    cr_expect_eq(edge_runtime_memory_free(rt), 0);
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_start_idx(rt, F_LIMITED, 1, 0, &s), EDGE_NO_CAPACITY);
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_LIMITED, 1), EDGE_NO_CAPACITY);
    expect_unchanged("start without memory");
}

Test(runtime, a_cold_start_evicts_least_recently_used_idle_instances_first)
{
    edge_runtime_free(rt);
    rt = make_runtime(800);
    edge_start s[5];
    for (int i = 0; i < 4; i++)
        s[i] = start(F_SMALL, 0);
    s[4] = start(F_SHORT, 0);
    finish(s[2].invocation, 10); /* LRU */
    finish(s[4].invocation, 20);
    finish(s[0].invocation, 30);
    finish(s[3].invocation, 40);
    finish(s[1].invocation, 50); /* MRU */
    edge_start w = start(F_SMALL, 60); /* takes s[1] */
    cr_expect_not(w.cold);
    /* used 450 of 800 (100 busy); big needs 600: the idle ones since 10
     * (100), 20 (50) and 30 (100) must go, in that order; the one since 40
     * stays */
    edge_start big = start(F_BIG, 70);
    cr_expect(big.cold);
    cr_expect_eq(big.evicted, 3);
    cr_assert_eq(n_events, 3);
    edge_time since[] = {10, 20, 30};
    uint32_t fn[] = {F_SMALL, F_SHORT, F_SMALL};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(events[i].reason, EDGE_REMOVED_EVICTED);
        cr_expect_eq(events[i].function, fn[i]);
        cr_expect_eq(events[i].idle_since, since[i]);
        cr_expect_eq(events[i].removed_at, 70);
    }
    cr_expect_eq(edge_runtime_memory_used(rt), 800);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 1);
    cr_expect_not(start(F_SMALL, 80).cold, "the one idle since 40 is still warm");
    cr_expect_eq(edge_runtime_stats_total(rt).evicted, 3);
}

Test(runtime, the_instance_limit_is_a_distinct_error_and_warm_starts_still_pass)
{
    edge_start a = start(F_LIMITED, 0), b = start(F_LIMITED, 0);
    edge_start s;
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_start_idx(rt, F_LIMITED, 1, 0, &s), EDGE_INSTANCE_LIMIT);
    expect_unchanged("start at the instance limit");
    finish(a.invocation, 2);
    cr_expect_eq(edge_runtime_start_idx(rt, F_LIMITED, 3, 0, &s), EDGE_OK);
    cr_expect_not(s.cold);
    (void)b;
}

Test(runtime, handles_are_refused_once_finished_and_after_their_record_is_reused)
{
    edge_start a = start(F_SMALL, 0);
    finish(a.invocation, 1);
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_finish(rt, a.invocation, 2, true, NULL), EDGE_STATE);
    edge_start b = start(F_SMALL, 3); /* the same record, warm */
    cr_expect_eq(b.invocation.instance, a.invocation.instance);
    cr_expect_eq(edge_runtime_finish(rt, a.invocation, 4, true, NULL), EDGE_STATE);
    edge_invocation bogus = {.instance = 100000, .gen = 0};
    cr_expect_eq(edge_runtime_finish(rt, bogus, 4, true, NULL), EDGE_INVAL);
    cr_expect_eq(edge_runtime_finish(NULL, b.invocation, 4, true, NULL), EDGE_INVAL);
    cr_expect_eq(edge_runtime_finish(rt, b.invocation, 4, true, NULL), EDGE_OK);
}

Test(runtime, many_instances_grow_the_pool_and_come_back)
{
    edge_runtime_free(rt);
    rt = make_runtime(EDGE_MEMORY_UNLIMITED);
    static edge_start s[5000];
    for (int i = 0; i < 5000; i++)
        s[i] = start(i % 2 ? F_SMALL : F_BIG, i);
    cr_expect_eq(edge_runtime_in_flight(rt), 5000);
    for (int i = 4999; i >= 0; i--)
        finish(s[i].invocation, 10000 + (4999 - i));
    cr_expect_eq(edge_runtime_idle_total(rt), 5000);
    cr_expect_eq(edge_runtime_memory_used(rt), 2500ull * 700);
    for (int i = 0; i < 5000; i++)
        cr_assert_not(start(i % 2 ? F_SMALL : F_BIG, 20000).cold);
    size_t failed;
    cr_assert_eq(edge_runtime_crash(rt, 30000, NULL, NULL, &failed), EDGE_OK);
    cr_expect_eq(failed, 5000);
}

/* ---- time ---------------------------------------------------------------- */

Test(runtime, time_never_goes_back)
{
    edge_start s = start(F_SMALL, 100);
    snapshot(before, SNAP);
    edge_start out;
    cr_expect_eq(edge_runtime_start_idx(rt, F_SMALL, 99, 0, &out), EDGE_RANGE);
    cr_expect_eq(edge_runtime_finish(rt, s.invocation, 99, true, NULL), EDGE_RANGE);
    cr_expect_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 99), EDGE_RANGE);
    cr_expect_eq(edge_runtime_expire(rt, 99, NULL), EDGE_RANGE);
    cr_expect_eq(edge_runtime_undeploy_idx(rt, F_SMALL, 99), EDGE_RANGE);
    cr_expect_eq(edge_runtime_crash(rt, 99, NULL, NULL, NULL), EDGE_RANGE);
    cr_expect_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, 0, 99), EDGE_RANGE);
    expect_unchanged("a call from the past");
    cr_expect_eq(edge_runtime_finish(rt, s.invocation, 100, true, NULL), EDGE_OK,
                 "the same instant is fine");
}

/* ---- undeploy, crash, keep-alive ------------------------------------------- */

Test(runtime, deploy_twice_or_of_an_unknown_function_is_refused)
{
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_deploy_idx(rt, F_SMALL), EDGE_EXISTS);
    cr_expect_eq(edge_runtime_deploy(rt, "nope"), EDGE_NOT_FOUND);
    cr_expect_eq(edge_runtime_deploy_idx(rt, 999), EDGE_NOT_FOUND);
    cr_expect_eq(edge_runtime_deploy(rt, NULL), EDGE_INVAL);
    edge_start s;
    cr_expect_eq(edge_runtime_start_idx(rt, F_UNDEPLOYED, 0, 0, &s), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_start(rt, "nope", 0, 0, &s), EDGE_NOT_FOUND);
    cr_expect_eq(edge_runtime_start_idx(rt, 999, 0, 0, &s), EDGE_NOT_FOUND);
    cr_expect_eq(edge_runtime_warm_up(rt, "undeployed", 0), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_undeploy(rt, "undeployed", 0), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_set_keepalive_idx(rt, F_UNDEPLOYED, 0, 0), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, -1, 0), EDGE_INVAL);
    edge_runtime_stats st;
    cr_expect_eq(edge_runtime_function_stats(rt, F_UNDEPLOYED, &st), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_function_stats(rt, 999, &st), EDGE_NOT_FOUND);
    expect_unchanged("refused deploys and starts");
}

Test(runtime, undeploy_drops_idle_instances_and_lets_running_ones_finish)
{
    edge_start a = start(F_SMALL, 0), b = start(F_SMALL, 0);
    finish(a.invocation, 1);
    cr_assert_eq(edge_runtime_undeploy(rt, "small", 2), EDGE_OK);
    cr_assert_eq(n_events, 1);
    cr_expect_eq(events[0].reason, EDGE_REMOVED_UNDEPLOYED);
    cr_expect_eq(events[0].removed_at, 2);
    cr_expect_not(edge_runtime_is_deployed(rt, F_SMALL));
    cr_expect_eq(edge_runtime_keepalive(rt, F_SMALL), -1);
    edge_start s;
    cr_expect_eq(edge_runtime_start_idx(rt, F_SMALL, 3, 0, &s), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_busy_count(rt, F_SMALL), 1);
    edge_invocation_metrics m = finish(b.invocation, 4);
    cr_expect(m.success);
    cr_expect_eq(m.duration, 4);
    cr_expect_eq(n_events, 2, "removed at finish instead of kept warm");
    cr_expect_eq(events[1].reason, EDGE_REMOVED_UNDEPLOYED);
    cr_expect_eq(edge_runtime_memory_used(rt), 0);
    cr_assert_eq(edge_runtime_deploy(rt, "small"), EDGE_OK);
    cr_expect(start(F_SMALL, 5).cold);
    edge_runtime_stats st;
    cr_assert_eq(edge_runtime_function_stats(rt, F_SMALL, &st), EDGE_OK);
    cr_expect_eq(st.starts, 3, "counters survive undeploy and redeploy");
    cr_expect_eq(st.undeployed, 2);
}

Test(runtime, undeploy_keeps_running_invocations_warm_if_redeployed_before_they_finish)
{
    edge_start a = start(F_SMALL, 0);
    cr_assert_eq(edge_runtime_undeploy_idx(rt, F_SMALL, 1), EDGE_OK);
    cr_assert_eq(edge_runtime_deploy_idx(rt, F_SMALL), EDGE_OK);
    finish(a.invocation, 2);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 1);
    cr_expect_eq(n_events, 0);
}

typedef struct {
    edge_invocation_metrics m[8];
    int n;
} failed_log;

static void on_failed(void *ctx, const edge_invocation_metrics *m)
{
    failed_log *log = ctx;
    cr_assert_lt(log->n, 8);
    log->m[log->n++] = *m;
}

Test(runtime, crash_fails_what_runs_and_loses_what_is_warm)
{
    edge_start a, b;
    cr_assert_eq(edge_runtime_start_idx(rt, F_SMALL, 0, 1111, &a), EDGE_OK);
    edge_start c = start(F_SHORT, 0);
    edge_start d = start(F_LIMITED, 0);
    finish(c.invocation, 1); /* warm, expires 31 s */
    finish(d.invocation, 1); /* warm, expires 10 min */
    cr_assert_eq(edge_runtime_start_idx(rt, F_BIG, 5, 2222, &b), EDGE_OK);
    failed_log log = {0};
    size_t failed = 0;
    cr_assert_eq(edge_runtime_crash(rt, 40 * EDGE_S, on_failed, &log, &failed), EDGE_OK);
    cr_expect_eq(failed, 2);
    cr_assert_eq(log.n, 2);
    uint64_t tags = log.m[0].tag + log.m[1].tag;
    cr_expect_eq(tags, 3333, "both in-flight invocations reported, with their tags");
    for (int i = 0; i < 2; i++) {
        cr_expect_not(log.m[i].success);
        cr_expect_eq(log.m[i].start + log.m[i].duration, 40 * EDGE_S);
    }
    cr_assert_eq(n_events, 2);
    cr_expect_eq(events[0].reason, EDGE_REMOVED_EXPIRED, "expired before the crash");
    cr_expect_eq(events[0].function, F_SHORT);
    cr_expect_eq(events[1].reason, EDGE_REMOVED_CRASHED);
    cr_expect_eq(events[1].function, F_LIMITED);
    cr_expect_eq(edge_runtime_memory_used(rt), 0);
    cr_expect_eq(edge_runtime_in_flight(rt), 0);
    cr_expect_eq(edge_runtime_idle_total(rt), 0);
    cr_expect_eq(edge_runtime_finish(rt, a.invocation, 41 * EDGE_S, true, NULL), EDGE_STATE);
    cr_expect(edge_runtime_is_deployed(rt, F_SMALL), "deployments survive a crash");
    cr_expect(start(F_LIMITED, 41 * EDGE_S).cold);
    edge_runtime_stats st = edge_runtime_stats_total(rt);
    cr_expect_eq(st.crashed, 2);
    cr_expect_eq(st.lost, 1);
    cr_expect_eq(st.expired, 1);
}

Test(runtime, busy_tags_name_what_is_in_flight_and_only_that)
{
    uint64_t t[4] = {0};
    cr_expect_eq(edge_runtime_busy_tags(rt, NULL, 0), 0, "nothing runs yet");
    edge_start s[3];
    for (int i = 0; i < 3; i++)
        cr_assert_eq(edge_runtime_start_idx(rt, F_SMALL, 0, 100 + (uint64_t)i, &s[i]), EDGE_OK);
    cr_assert_eq(edge_runtime_start_idx(rt, F_SHORT, 0, 200, &s[0]), EDGE_OK);
    finish(s[1].invocation, 5); /* tag 101: idle now, not in flight */
    cr_assert_eq(edge_runtime_busy_tags(rt, t, 4), 3);
    uint64_t sum = t[0] + t[1] + t[2];
    cr_expect_eq(sum, 100 + 102 + 200, "the three in flight, the finished one not");
    cr_expect(t[0] != 101 && t[1] != 101 && t[2] != 101);
    cr_expect_eq(t[3], 0, "nothing past the count is written");
    uint64_t one[1] = {0};
    cr_expect_eq(edge_runtime_busy_tags(rt, one, 1), 3, "the count, whatever the room");
    cr_expect_eq(one[0], t[0], "the first in instance-record order");
    cr_expect_eq(edge_runtime_busy_tags(rt, NULL, 0), edge_runtime_in_flight(rt));
    cr_assert_eq(edge_runtime_crash(rt, 10, NULL, NULL, NULL), EDGE_OK);
    cr_expect_eq(edge_runtime_busy_tags(rt, t, 4), 0, "a crash leaves nothing in flight");
}

Test(runtime, keepalive_zero_unloads_right_after_execution)
{
    cr_assert_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, 0, 0), EDGE_OK);
    cr_expect_eq(edge_runtime_keepalive(rt, F_SMALL), 0);
    edge_start s = start(F_SMALL, 0);
    finish(s.invocation, 5);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 0);
    cr_expect_eq(edge_runtime_memory_used(rt), 0);
    cr_assert_eq(n_events, 1);
    cr_expect_eq(events[0].reason, EDGE_REMOVED_EXPIRED);
    cr_expect_eq(events[0].removed_at, 5);
    cr_expect(start(F_SMALL, 5).cold);
    cr_expect_eq(edge_runtime_stats_total(rt).idle_mb_ns, 0.0);
}

Test(runtime, a_functions_own_keepalive_overrides_the_runtime_default)
{
    cr_expect_eq(edge_runtime_keepalive(rt, F_SHORT), 30 * EDGE_S);
    cr_expect_eq(edge_runtime_keepalive(rt, F_SMALL), EDGE_KEEPALIVE_DEFAULT);
    edge_runtime_config cfg = edge_runtime_config_default("other");
    cfg.keepalive = 5 * EDGE_S;
    edge_runtime *r2;
    cr_assert_eq(edge_runtime_new(fns, &cfg, &r2), EDGE_OK);
    cr_assert_eq(edge_runtime_deploy_idx(r2, F_SMALL), EDGE_OK);
    cr_assert_eq(edge_runtime_deploy_idx(r2, F_SHORT), EDGE_OK);
    cr_expect_eq(edge_runtime_keepalive(r2, F_SMALL), 5 * EDGE_S);
    cr_expect_eq(edge_runtime_keepalive(r2, F_SHORT), 30 * EDGE_S);
    edge_runtime_free(r2);
}

Test(runtime, set_keepalive_retimes_idle_instances)
{
    edge_start a = start(F_SMALL, 0), b = start(F_SMALL, 0);
    finish(a.invocation, 10 * EDGE_S);
    finish(b.invocation, 20 * EDGE_S);
    cr_assert_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, EDGE_HOUR, 30 * EDGE_S), EDGE_OK);
    cr_expect_eq(edge_runtime_next_expiry(rt), 10 * EDGE_S + EDGE_HOUR, "extended");
    cr_assert_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, 15 * EDGE_S, 30 * EDGE_S), EDGE_OK);
    cr_assert_eq(n_events, 1, "the one idle since 10 s is past 15 s: removed now");
    cr_expect_eq(events[0].removed_at, 30 * EDGE_S);
    cr_expect_eq(events[0].idle_since, 10 * EDGE_S);
    cr_expect_eq(edge_runtime_next_expiry(rt), 35 * EDGE_S);
    cr_expect_not(start(F_SMALL, 35 * EDGE_S - 1).cold);
}

Test(runtime, keepalive_may_be_practically_forever)
{
    cr_assert_eq(edge_runtime_set_keepalive_idx(rt, F_SMALL, EDGE_TIME_MAX, 0), EDGE_OK);
    edge_start s = start(F_SMALL, 0);
    finish(s.invocation, 5);
    cr_expect_eq(edge_runtime_next_expiry(rt), EDGE_TIME_MAX, "saturated, no overflow");
    cr_expect_not(start(F_SMALL, EDGE_TIME_MAX - 1).cold);
}

Test(runtime, idle_memory_time_counts_mb_ns_until_an_instance_leaves_or_expires)
{
    edge_start a = start(F_SMALL, 0), b = start(F_SHORT, 0);
    finish(a.invocation, 1 * EDGE_S);  /* 100 MB idle from 1 s */
    finish(b.invocation, 2 * EDGE_S);  /* 50 MB idle from 2 s to 32 s */
    start(F_SMALL, 11 * EDGE_S);       /* small idle 10 s */
    cr_assert_eq(edge_runtime_expire(rt, 100 * EDGE_S, NULL), EDGE_OK);
    double small = 100.0 * 10e9, shrt = 50.0 * 30e9;
    edge_runtime_stats st = edge_runtime_stats_total(rt);
    cr_expect_eq(st.idle_mb_ns, small + shrt);
    edge_runtime_stats fs;
    cr_assert_eq(edge_runtime_function_stats(rt, F_SMALL, &fs), EDGE_OK);
    cr_expect_eq(fs.idle_mb_ns, small);
    cr_assert_eq(edge_runtime_function_stats(rt, F_SHORT, &fs), EDGE_OK);
    cr_expect_eq(fs.idle_mb_ns, shrt);
    cr_expect_eq(fs.expired, 1);
    /* open intervals count up to the latest now */
    cr_assert_eq(edge_runtime_warm_up_idx(rt, F_BIG, 200 * EDGE_S), EDGE_OK);
    cr_assert_eq(edge_runtime_expire(rt, 210 * EDGE_S, NULL), EDGE_OK);
    cr_expect_eq(edge_runtime_stats_total(rt).idle_mb_ns, small + shrt + 600.0 * 10e9);
}

/* ---- invoke ---------------------------------------------------------------- */

Test(runtime, invoke_runs_the_handler_and_returns_its_result)
{
    clk = (fake_clock){.t = 10 * EDGE_S, .cost = 300 * EDGE_MS};
    cJSON *args = cJSON_CreateNumber(42), *result = NULL;
    edge_exec_error err;
    edge_invocation_metrics m;
    cr_assert_eq(edge_runtime_invoke(rt, "echo", args, read_clock, &clk, &result, &err, &m),
                 EDGE_OK);
    cr_expect_eq(err.code, EDGE_OK);
    cr_expect_str_eq(err.message, "");
    cr_expect_str_eq(err.function_id, "echo");
    cr_assert(cJSON_IsNumber(result));
    cr_expect_eq(result->valuedouble, 42);
    cr_expect(m.cold_start);
    cr_expect(m.success);
    cr_expect_eq(m.start, 10 * EDGE_S);
    cr_expect_eq(m.duration, 300 * EDGE_MS);
    cJSON_Delete(result);
    cr_assert_eq(edge_runtime_invoke(rt, "echo", NULL, read_clock, &clk, &result, NULL, &m),
                 EDGE_OK);
    cr_expect_not(m.cold_start, "the second is warm");
    cr_expect_str_eq(result->valuestring, "no args");
    cJSON_Delete(result);
    cJSON_Delete(args);
}

Test(runtime, invoke_reports_a_handler_failure_with_its_message)
{
    clk = (fake_clock){.t = 0, .cost = EDGE_MS};
    cJSON *result = (cJSON *)0x1;
    edge_exec_error err;
    edge_invocation_metrics m;
    cr_expect_eq(edge_runtime_invoke(rt, "fail", NULL, read_clock, &clk, &result, &err, &m),
                 EDGE_HANDLER);
    cr_expect_null(result);
    cr_expect_eq(err.code, EDGE_HANDLER);
    cr_expect_str_eq(err.function_id, "fail");
    cr_expect_str_eq(err.message, "disk on fire");
    cr_expect_not(m.success);
    cr_expect_eq(edge_runtime_stats_total(rt).failures, 1);
    cr_expect_eq(edge_runtime_idle_count(rt, F_FAIL), 1, "the invocation ran and finished");

    cr_expect_eq(edge_runtime_invoke(rt, "silent", NULL, read_clock, &clk, &result, &err, NULL),
                 EDGE_HANDLER);
    cr_expect_str_eq(err.message, "handler of silent returned -1");
}

Test(runtime, invoke_fails_past_the_timeout_but_not_at_it)
{
    cJSON *result = NULL;
    edge_exec_error err;
    edge_invocation_metrics m;
    clk = (fake_clock){.t = 0, .cost = 2 * EDGE_S};
    cr_expect_eq(edge_runtime_invoke(rt, "echo", NULL, read_clock, &clk, &result, &err, &m),
                 EDGE_OK, "exactly the timeout");
    cJSON_Delete(result);
    clk.cost = 2 * EDGE_S + 1;
    cr_expect_eq(edge_runtime_invoke(rt, "echo", NULL, read_clock, &clk, &result, &err, &m),
                 EDGE_TIMEOUT);
    cr_expect_null(result, "the late result is dropped");
    cr_expect_eq(err.code, EDGE_TIMEOUT);
    cr_expect_str_eq(err.message, "echo took 2000000001ns, timeout 2s");
    cr_expect_not(m.success);
    cr_expect_eq(m.duration, 2 * EDGE_S + 1);
}

Test(runtime, invoke_that_cannot_run_changes_nothing)
{
    cJSON *result = NULL;
    edge_exec_error err;
    clk = (fake_clock){.t = 0, .cost = 1};
    snapshot(before, SNAP);
    cr_expect_eq(edge_runtime_invoke(rt, "ghost", NULL, read_clock, &clk, &result, &err, NULL),
                 EDGE_NOT_FOUND);
    cr_expect_eq(err.code, EDGE_NOT_FOUND);
    cr_expect_str_eq(err.function_id, "ghost");
    cr_expect_str_eq(err.message, "function ghost is not known");
    cr_expect_eq(edge_runtime_invoke(rt, "undeployed", NULL, read_clock, &clk, &result, &err,
                                     NULL), EDGE_NOT_DEPLOYED);
    cr_expect_eq(err.code, EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_runtime_invoke(rt, "nohandler", NULL, read_clock, &clk, &result, &err,
                                     NULL), EDGE_INVAL);
    cr_expect_eq(edge_runtime_invoke(rt, "echo", NULL, NULL, NULL, &result, &err, NULL),
                 EDGE_INVAL);
    cr_expect_eq(edge_runtime_invoke(rt, "echo", NULL, read_clock, &clk, NULL, &err, NULL),
                 EDGE_INVAL);
    cr_expect_eq(clk.calls, 0, "no handler ran");
    expect_unchanged("invoke that cannot run");
}

Test(runtime, a_clock_going_back_during_invoke_reads_as_standing_still)
{
    clk = (fake_clock){.t = 100, .cost = -50};
    cJSON *result = NULL;
    edge_invocation_metrics m;
    cr_expect_eq(edge_runtime_invoke(rt, "echo", NULL, read_clock, &clk, &result, NULL, &m),
                 EDGE_OK);
    cr_expect_eq(m.duration, 0);
    cJSON_Delete(result);
}

/* ---- construction and out of memory ------------------------------------------ */

Test(runtime, new_checks_its_config)
{
    edge_runtime *r = (edge_runtime *)0x1;
    edge_runtime_config cfg = edge_runtime_config_default("n");
    cr_expect_eq(edge_runtime_new(NULL, &cfg, &r), EDGE_INVAL);
    cr_expect_eq(edge_runtime_new(fns, NULL, &r), EDGE_INVAL);
    cfg.node_id = "";
    cr_expect_eq(edge_runtime_new(fns, &cfg, &r), EDGE_INVAL);
    cfg = edge_runtime_config_default("n");
    cfg.keepalive = -1;
    cr_expect_eq(edge_runtime_new(fns, &cfg, &r), EDGE_RANGE);
    cfg = edge_runtime_config_default("n");
    alloc_budget = 1;
    cr_expect_eq(edge_runtime_new(fns, &cfg, &r), EDGE_NOMEM);
    alloc_budget = -1;
    cr_expect_eq(r, (edge_runtime *)0x1);
    edge_runtime_free(NULL);
    cr_expect_eq(edge_runtime_node_index(rt), 7);
    cr_expect_str_eq(edge_runtime_node_id(rt), "node-7");
    cr_expect_eq(edge_runtime_now(rt), INT64_MIN);
}

static int fail_each_allocation(const char *what, edge_err (*op)(void))
{
    for (long n = 0;; n++) {
        snapshot(before, SNAP);
        alloc_budget = n;
        edge_err e = op();
        alloc_budget = -1;
        if (e == EDGE_OK)
            return (int)n;
        cr_assert_eq(e, EDGE_NOMEM, "%s with allocation %ld failing: %s", what, n,
                     edge_errname(e));
        expect_unchanged(what);
    }
}

static edge_err op_start(void)
{
    edge_start s;
    return edge_runtime_start_idx(rt, F_LIMITED, edge_runtime_now(rt), 0, &s);
}
static edge_err op_warm_up(void) { return edge_runtime_warm_up_idx(rt, F_SMALL, edge_runtime_now(rt)); }
static edge_err op_deploy(void) { return edge_runtime_deploy_idx(rt, F_UNDEPLOYED); }

Test(runtime, every_allocation_failure_leaves_the_runtime_unchanged)
{
    edge_runtime_free(rt);
    edge_runtime_config cfg = edge_runtime_config_default("n");
    cfg.on_removal = on_removal;
    cr_assert_eq(edge_runtime_new(fns, &cfg, &rt), EDGE_OK);
    for (uint32_t f = 0; f < F_UNDEPLOYED; f++) /* 8 slots: the next deploy grows */
        cr_assert_eq(edge_runtime_deploy_idx(rt, f), EDGE_OK);
    cr_expect_gt(fail_each_allocation("start", op_start), 0, "first instance: the pool grows");
    for (int i = 0; i < 15; i++) /* fill the pool's first chunk */
        cr_assert_eq(edge_runtime_warm_up_idx(rt, F_SMALL, 1), EDGE_OK);
    cr_expect_gt(fail_each_allocation("warm_up", op_warm_up), 0, "the pool grows again");
    cr_expect_gt(fail_each_allocation("deploy", op_deploy), 0);
}

/* ---- the runtime against a reference model ---------------------------------- */

/*
 * The reference keeps instances in a plain array and finds everything by
 * scanning: warm = the idle instance of the function with the latest idle
 * sequence number among those not yet expired; eviction = the idle instance
 * with the smallest sequence number; expiry in (expiry, sequence) order. Idle
 * memory time is summed per instance when it leaves. A long random stream of
 * operations (with many equal times) must give the same codes, cold flags,
 * eviction counts, removal reports and counters.
 */

#define RN 2048
#define RF 4

typedef struct {
    int state; /* 0 free, 1 idle, 2 busy */
    int fn;
    edge_time since, expires;
    uint64_t seq;
    edge_invocation h;
    bool cold;
} ref_inst;

typedef struct {
    ref_inst in[RN];
    uint32_t mem[RF], max[RF];
    edge_time ttl[RF];
    bool deployed[RF];
    uint64_t capacity, seq;
    edge_time now;
    double idle_acc;
    edge_instance_removal ev[MAX_EVENTS];
    size_t n_ev;
    uint64_t starts, cold, expired, evicted, undeployed, lost, crashed, finishes;
} ref_model;

static ref_model R;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static uint64_t ref_used(void)
{
    uint64_t u = 0;
    for (int i = 0; i < RN; i++)
        if (R.in[i].state)
            u += R.mem[R.in[i].fn];
    return u;
}

static uint64_t ref_busy_mem(void)
{
    uint64_t u = 0;
    for (int i = 0; i < RN; i++)
        if (R.in[i].state == 2)
            u += R.mem[R.in[i].fn];
    return u;
}

static int ref_count(int fn, int state)
{
    int n = 0;
    for (int i = 0; i < RN; i++)
        n += R.in[i].state == state && R.in[i].fn == fn;
    return n;
}

static void ref_remove(int i, edge_time at, edge_removal_reason why)
{
    ref_inst *p = &R.in[i];
    if (p->state == 1)
        R.idle_acc += (double)R.mem[p->fn] * (double)(at - p->since);
    cr_assert_lt(R.n_ev, MAX_EVENTS);
    R.ev[R.n_ev++] = (edge_instance_removal){.function = (uint32_t)p->fn, .memory_mb = R.mem[p->fn],
                                             .idle_since = p->since, .removed_at = at,
                                             .reason = why};
    switch (why) {
    case EDGE_REMOVED_EXPIRED: R.expired++; break;
    case EDGE_REMOVED_EVICTED: R.evicted++; break;
    case EDGE_REMOVED_UNDEPLOYED: R.undeployed++; break;
    case EDGE_REMOVED_CRASHED: R.lost++; break;
    }
    p->state = 0;
}

static void ref_reap(edge_time now)
{
    for (;;) {
        int best = -1;
        for (int i = 0; i < RN; i++) {
            ref_inst *p = &R.in[i];
            if (p->state != 1 || p->expires > now)
                continue;
            if (best < 0 || p->expires < R.in[best].expires ||
                (p->expires == R.in[best].expires && p->seq < R.in[best].seq))
                best = i;
        }
        if (best < 0)
            return;
        ref_remove(best, R.in[best].expires, EDGE_REMOVED_EXPIRED);
    }
}

static int ref_free_slot(void)
{
    for (int i = 0; i < RN; i++)
        if (!R.in[i].state)
            return i;
    cr_assert_fail("reference model full");
    return -1;
}

static void ref_make_idle(int i, edge_time now)
{
    ref_inst *p = &R.in[i];
    p->state = 1;
    p->since = now;
    edge_time t = R.ttl[p->fn];
    p->expires = now > EDGE_TIME_MAX - t ? EDGE_TIME_MAX : now + t;
    p->seq = ++R.seq;
    if (p->expires <= now)
        ref_remove(i, now, EDGE_REMOVED_EXPIRED);
}

static edge_err ref_start(int fn, edge_time now, bool *cold, uint32_t *evicted, int *slot)
{
    if (now < R.now)
        return EDGE_RANGE;
    if (!R.deployed[fn])
        return EDGE_NOT_DEPLOYED;
    int warm = -1;
    for (int i = 0; i < RN; i++)
        if (R.in[i].state == 1 && R.in[i].fn == fn && R.in[i].expires > now &&
            (warm < 0 || R.in[i].seq > R.in[warm].seq))
            warm = i;
    *cold = warm < 0;
    if (warm < 0) {
        if (R.max[fn] && (uint32_t)ref_count(fn, 2) >= R.max[fn])
            return EDGE_INSTANCE_LIMIT;
        if (R.capacity - ref_busy_mem() < R.mem[fn])
            return EDGE_NO_CAPACITY;
    }
    R.now = now;
    ref_reap(now);
    *evicted = 0;
    if (warm >= 0) {
        R.idle_acc += (double)R.mem[fn] * (double)(now - R.in[warm].since);
    } else {
        while (R.capacity - ref_used() < R.mem[fn]) {
            int lru = -1;
            for (int i = 0; i < RN; i++)
                if (R.in[i].state == 1 && (lru < 0 || R.in[i].seq < R.in[lru].seq))
                    lru = i;
            ref_remove(lru, now, EDGE_REMOVED_EVICTED);
            (*evicted)++;
        }
        warm = ref_free_slot();
        R.in[warm].fn = fn;
        R.cold++;
    }
    R.in[warm].state = 2;
    R.in[warm].since = now;
    R.starts++;
    *slot = warm;
    return EDGE_OK;
}

static void compare(const char *what, long step)
{
    cr_assert_eq(edge_runtime_memory_used(rt), ref_used(), "%s step %ld: used", what, step);
    cr_assert_eq(edge_runtime_memory_idle(rt), ref_used() - ref_busy_mem(), "%s step %ld", what, step);
    for (int f = 0; f < RF; f++) {
        cr_assert_eq(edge_runtime_idle_count(rt, (uint32_t)f), (uint32_t)ref_count(f, 1),
                     "%s step %ld: idle of %d", what, step, f);
        cr_assert_eq(edge_runtime_busy_count(rt, (uint32_t)f), (uint32_t)ref_count(f, 2),
                     "%s step %ld: busy of %d", what, step, f);
    }
    edge_time next = EDGE_TIME_MAX;
    for (int i = 0; i < RN; i++)
        if (R.in[i].state == 1 && R.in[i].expires < next)
            next = R.in[i].expires;
    cr_assert_eq(edge_runtime_next_expiry(rt), next, "%s step %ld: next expiry", what, step);
    cr_assert_eq(n_events, R.n_ev, "%s step %ld: removal reports", what, step);
    for (size_t k = 0; k < n_events; k++) {
        cr_assert_eq(events[k].function, R.ev[k].function, "%s step %ld ev %zu", what, step, k);
        cr_assert_eq(events[k].reason, R.ev[k].reason, "%s step %ld ev %zu", what, step, k);
        cr_assert_eq(events[k].removed_at, R.ev[k].removed_at, "%s step %ld ev %zu", what, step, k);
        cr_assert_eq(events[k].idle_since, R.ev[k].idle_since, "%s step %ld ev %zu", what, step, k);
    }
    edge_runtime_stats st = edge_runtime_stats_total(rt);
    cr_assert_eq(st.starts, R.starts, "%s step %ld", what, step);
    cr_assert_eq(st.cold_starts, R.cold, "%s step %ld", what, step);
    cr_assert_eq(st.expired, R.expired, "%s step %ld", what, step);
    cr_assert_eq(st.evicted, R.evicted, "%s step %ld", what, step);
    cr_assert_eq(st.undeployed, R.undeployed, "%s step %ld", what, step);
    cr_assert_eq(st.lost, R.lost, "%s step %ld", what, step);
    cr_assert_eq(st.crashed, R.crashed, "%s step %ld", what, step);
    cr_assert_eq(st.finishes, R.finishes, "%s step %ld", what, step);
    double open = 0;
    for (int i = 0; i < RN; i++)
        if (R.in[i].state == 1)
            open += (double)R.mem[R.in[i].fn] * (double)(R.now - R.in[i].since);
    cr_assert_eq(st.idle_mb_ns, R.idle_acc + open, "%s step %ld: idle MB ns %.17g vs %.17g",
                 what, step, st.idle_mb_ns, R.idle_acc + open);
}

/* Removal reports of a crash come in record order, which the reference does
 * not model: compare them as a multiset by sorting both tails. */
static int ev_cmp(const void *a, const void *b)
{
    const edge_instance_removal *x = a, *y = b;
    if (x->function != y->function)
        return x->function < y->function ? -1 : 1;
    if (x->reason != y->reason)
        return x->reason < y->reason ? -1 : 1;
    return (x->idle_since > y->idle_since) - (x->idle_since < y->idle_since);
}

Test(runtime, agrees_with_a_reference_model_over_a_long_random_stream)
{
    edge_function_table *t;
    cr_assert_eq(edge_function_table_new(&t), EDGE_OK);
    uint32_t mems[RF] = {10, 25, 40, 5}, maxs[RF] = {0, 3, 0, 2};
    edge_time ttls[RF] = {300, 50, 0, 1000};
    for (int f = 0; f < RF; f++) {
        char id[16];
        snprintf(id, sizeof id, "f%d", f);
        edge_function *fn;
        cr_assert_eq(edge_function_new(&(edge_function_spec){.id = id, .memory_mb = mems[f],
                                                             .timeout = 1, .max_instances = maxs[f],
                                                             .has_keepalive = true,
                                                             .keepalive = ttls[f]},
                                       &fn), EDGE_OK);
        cr_assert_eq(edge_function_table_add(t, fn, NULL), EDGE_OK);
        R.mem[f] = mems[f];
        R.max[f] = maxs[f];
        R.ttl[f] = ttls[f];
    }
    edge_runtime_free(rt);
    edge_runtime_config cfg = edge_runtime_config_default("ref");
    cfg.memory_mb = R.capacity = 200;
    cfg.on_removal = on_removal;
    cr_assert_eq(edge_runtime_new(t, &cfg, &rt), EDGE_OK);
    for (int f = 0; f < RF; f++) {
        cr_assert_eq(edge_runtime_deploy_idx(rt, (uint32_t)f), EDGE_OK);
        R.deployed[f] = true;
    }
    R.now = INT64_MIN;
    edge_time now = 0;
    edge_invocation stale[64];
    int n_stale = 0;
    for (long step = 0; step < 40000; step++) {
        uint64_t dt = rnd(10);
        now += dt < 4 ? 0 : (edge_time)rnd(40); /* many equal times */
        edge_time at = rnd(100) == 0 && now > 0 ? now - 1 : now; /* sometimes from the past */
        int fn = (int)rnd(RF);
        int op = (int)rnd(100);
        const char *what;
        if (op < 40) {
            what = "start";
            bool cold = false;
            uint32_t ev = 0;
            int slot = -1;
            edge_err want = ref_start(fn, at, &cold, &ev, &slot);
            edge_start s;
            edge_err got = edge_runtime_start_idx(rt, (uint32_t)fn, at, (uint64_t)step, &s);
            cr_assert_eq(got, want, "step %ld start: %s vs %s", step, edge_errname(got),
                         edge_errname(want));
            if (got == EDGE_OK) {
                cr_assert_eq(s.cold, cold, "step %ld cold", step);
                cr_assert_eq(s.evicted, ev, "step %ld evicted", step);
                R.in[slot].h = s.invocation;
                R.in[slot].cold = s.cold;
            }
        } else if (op < 75) {
            what = "finish";
            int busy[RN], nb = 0;
            for (int i = 0; i < RN; i++)
                if (R.in[i].state == 2)
                    busy[nb++] = i;
            if (nb == 0 || rnd(20) == 0) {
                if (n_stale > 0) {
                    edge_invocation h = stale[rnd((uint64_t)n_stale)];
                    edge_err e = edge_runtime_finish(rt, h, at, true, NULL);
                    cr_assert(e == EDGE_STATE || e == EDGE_RANGE, "step %ld stale: %s", step,
                              edge_errname(e));
                }
            } else {
                int i = busy[rnd((uint64_t)nb)];
                bool ok = rnd(4) != 0;
                edge_invocation_metrics m;
                edge_err got = edge_runtime_finish(rt, R.in[i].h, at, ok, &m);
                edge_err want = at < R.now ? EDGE_RANGE : EDGE_OK;
                cr_assert_eq(got, want, "step %ld finish", step);
                if (got == EDGE_OK) {
                    cr_assert_eq(m.start, R.in[i].since);
                    cr_assert_eq(m.duration, at - R.in[i].since);
                    cr_assert_eq(m.cold_start, R.in[i].cold);
                    cr_assert_eq(m.success, ok);
                    R.now = at;
                    ref_reap(at);
                    R.finishes++;
                    if (n_stale < 64)
                        stale[n_stale++] = R.in[i].h;
                    else
                        stale[rnd(64)] = R.in[i].h;
                    if (R.deployed[R.in[i].fn]) {
                        ref_make_idle(i, at);
                    } else {
                        R.in[i].since = at;
                        ref_remove(i, at, EDGE_REMOVED_UNDEPLOYED);
                    }
                }
            }
        } else if (op < 85) {
            what = "warm_up";
            edge_err want;
            if (at < R.now)
                want = EDGE_RANGE;
            else if (!R.deployed[fn])
                want = EDGE_NOT_DEPLOYED;
            else {
                int live = 0;
                uint64_t expired = 0;
                for (int i = 0; i < RN; i++) {
                    if (R.in[i].state == 1 && R.in[i].expires <= at)
                        expired += R.mem[R.in[i].fn];
                    live += R.in[i].state && R.in[i].fn == fn &&
                            (R.in[i].state == 2 || R.in[i].expires > at);
                }
                if (R.max[fn] && (uint32_t)live >= R.max[fn])
                    want = EDGE_INSTANCE_LIMIT;
                else if (R.capacity - ref_used() + expired < R.mem[fn])
                    want = EDGE_NO_CAPACITY;
                else
                    want = EDGE_OK;
            }
            edge_err got = edge_runtime_warm_up_idx(rt, (uint32_t)fn, at);
            cr_assert_eq(got, want, "step %ld warm_up: %s vs %s", step, edge_errname(got),
                         edge_errname(want));
            if (got == EDGE_OK) {
                R.now = at;
                ref_reap(at);
                int i = ref_free_slot();
                R.in[i].fn = fn;
                R.in[i].cold = false;
                ref_make_idle(i, at);
            }
        } else if (op < 92) {
            what = "expire";
            edge_err got = edge_runtime_expire(rt, at, NULL);
            cr_assert_eq(got, at < R.now ? EDGE_RANGE : EDGE_OK, "step %ld expire", step);
            if (got == EDGE_OK) {
                R.now = at;
                ref_reap(at);
            }
        } else if (op < 95) {
            what = "deploy/undeploy";
            if (R.deployed[fn]) {
                edge_err got = edge_runtime_undeploy_idx(rt, (uint32_t)fn, at);
                cr_assert_eq(got, at < R.now ? EDGE_RANGE : EDGE_OK, "step %ld undeploy", step);
                if (got == EDGE_OK) {
                    R.now = at;
                    ref_reap(at);
                    for (;;) { /* most recent first, as the runtime walks its list */
                        int mru = -1;
                        for (int i = 0; i < RN; i++)
                            if (R.in[i].state == 1 && R.in[i].fn == fn &&
                                (mru < 0 || R.in[i].seq > R.in[mru].seq))
                                mru = i;
                        if (mru < 0)
                            break;
                        ref_remove(mru, at, EDGE_REMOVED_UNDEPLOYED);
                    }
                    R.deployed[fn] = false;
                }
            } else {
                cr_assert_eq(edge_runtime_deploy_idx(rt, (uint32_t)fn), EDGE_OK);
                R.deployed[fn] = true;
                R.ttl[fn] = ttls[fn];
            }
        } else if (op < 99) {
            what = "set_keepalive";
            edge_time ttl = (edge_time)rnd(400);
            edge_err want = at < R.now ? EDGE_RANGE : !R.deployed[fn] ? EDGE_NOT_DEPLOYED : EDGE_OK;
            edge_err got = edge_runtime_set_keepalive_idx(rt, (uint32_t)fn, ttl, at);
            cr_assert_eq(got, want, "step %ld set_keepalive", step);
            if (got == EDGE_OK) {
                R.now = at;
                ref_reap(at);
                R.ttl[fn] = ttl;
                for (int i = 0; i < RN; i++)
                    if (R.in[i].state == 1 && R.in[i].fn == fn) {
                        edge_time e = R.in[i].since + ttl;
                        R.in[i].expires = e > at ? e : at;
                    }
                ref_reap(at);
            }
        } else {
            what = "crash";
            size_t failed = 0;
            edge_err got = edge_runtime_crash(rt, at, NULL, NULL, &failed);
            cr_assert_eq(got, at < R.now ? EDGE_RANGE : EDGE_OK, "step %ld crash", step);
            if (got == EDGE_OK) {
                R.now = at;
                ref_reap(at);
                size_t mark = R.n_ev, nf = 0;
                for (int i = 0; i < RN; i++) {
                    if (R.in[i].state == 2) {
                        R.in[i].state = 0;
                        R.crashed++;
                        nf++;
                    } else if (R.in[i].state == 1) {
                        ref_remove(i, at, EDGE_REMOVED_CRASHED);
                    }
                }
                cr_assert_eq(failed, nf, "step %ld failed", step);
                cr_assert_eq(n_events, R.n_ev, "step %ld crash reports", step);
                qsort(events + mark, n_events - mark, sizeof *events, ev_cmp);
                qsort(R.ev + mark, R.n_ev - mark, sizeof *R.ev, ev_cmp);
            }
        }
        compare(what, step);
        if (n_events > MAX_EVENTS / 2) { /* keep the logs short */
            n_events = R.n_ev = 0;
        }
    }
    cr_expect_gt(R.expired, 100);
    cr_expect_gt(R.evicted, 100);
    cr_expect_gt(R.cold, 100);
    cr_expect_gt(R.starts - R.cold, 100, "warm starts");
    edge_runtime_free(rt);
    rt = NULL;
    edge_function_table_free(t);
}

/* The prefetch hint only reads: on the scan path (few slots) and on the map
 * path (more than 16), for deployed, undeployed and unknown functions, it
 * changes no counter, and starts after it behave as without it. */
Test(runtime, prefetch_changes_nothing_on_either_look_up_path)
{
    edge_runtime_prefetch(NULL, 0, 2);
    edge_runtime_prefetch(NULL, 0, 1);
    for (int extra = 0; extra < 2; extra++) {
        if (extra)
            for (int i = 0; i < 20; i++) {
                char id[24];
                snprintf(id, sizeof id, "extra%d", i);
                add_fn((edge_function_spec){.id = id, .memory_mb = 1, .timeout = EDGE_S});
            }
        edge_runtime *r = make_runtime(10000);
        uint32_t n = (uint32_t)edge_function_table_count(fns);
        for (uint32_t f = F_UNDEPLOYED + 1; f < n; f++)
            cr_assert_eq(edge_runtime_deploy_idx(r, f), EDGE_OK);
        for (uint32_t f = 0; f < n + 3; f++) {
            edge_runtime_prefetch(r, f, 2);
            edge_runtime_prefetch(r, f, 1);
        }
        cr_expect_eq(edge_runtime_stats_total(r).starts, 0);
        edge_start s;
        cr_expect_eq(edge_runtime_start_idx(r, F_SMALL, 0, 1, &s), EDGE_OK);
        cr_expect(s.cold);
        cr_expect_eq(edge_runtime_start_idx(r, F_UNDEPLOYED, 0, 2, &s), EDGE_NOT_DEPLOYED);
        cr_expect_eq(edge_runtime_start_idx(r, n + 3, 0, 3, &s), EDGE_NOT_FOUND);
        cr_expect_eq(edge_runtime_stats_total(r).starts, 1);
        edge_runtime_free(r);
    }
}

/* A generator that always answers `value`: the random pick is then known. */
static uint64_t fixed_rand(void *ctx)
{
    return *(const uint64_t *)ctx;
}

Test(runtime, instance_selection_takes_the_chosen_idle_instance)
{
    /* Three instances of small made at 0, 1, 2 s, idle at 10, 12, 11 s:
     * from the most recently idle, the idle list is (1 s, 2 s, 0 s). Each
     * selection on a fresh runtime with that history. */
    uint64_t top = UINT64_MAX; /* the random pick's k = idle - 1: the last of the list */
    struct {
        edge_instance_selection sel;
        int want; /* 0, 1, 2: the instance made at 0, 1, 2 s */
    } cases[] = {
        {EDGE_SELECT_MRU, 1},    /* idle last (12 s) */
        {EDGE_SELECT_NEWEST, 2}, /* created last (2 s) */
        {EDGE_SELECT_LRU, 0},    /* idle longest (10 s) */
        {EDGE_SELECT_RANDOM, 0}, /* k = 2 of (1 s, 2 s, 0 s) */
    };
    for (size_t k = 0; k < 4; k++) {
        edge_runtime_free(rt);
        rt = make_runtime(1000);
        edge_start m[3] = {start(F_SMALL, 0), start(F_SMALL, EDGE_S), start(F_SMALL, 2 * EDGE_S)};
        finish(m[0].invocation, 10 * EDGE_S);
        finish(m[2].invocation, 11 * EDGE_S);
        finish(m[1].invocation, 12 * EDGE_S);
        cr_assert_eq(edge_runtime_set_selection(rt, cases[k].sel, fixed_rand, &top), EDGE_OK);
        edge_start s = start(F_SMALL, 20 * EDGE_S);
        cr_expect(!s.cold);
        cr_expect_eq(s.invocation.instance, m[cases[k].want].invocation.instance, "%s",
                     edge_instance_selection_name(cases[k].sel));
        /* the removal record carries the creation time: crash and look */
        n_events = 0;
        cr_assert_eq(edge_runtime_crash(rt, 30 * EDGE_S, NULL, NULL, NULL), EDGE_OK);
        cr_expect_eq(n_events, 2, "the two idle ones are reported");
        edge_time born = 0; /* the two not taken: made at (0 + 1 + 2 - want) s together */
        for (size_t e = 0; e < n_events; e++)
            born += events[e].created_at;
        cr_expect_eq(born, (3 - cases[k].want) * EDGE_S, "created_at of the removed ones");
    }
    cr_expect_eq(edge_runtime_set_selection(rt, EDGE_SELECT_RANDOM, NULL, NULL), EDGE_INVAL);
    cr_expect_eq(edge_runtime_set_selection(rt, (edge_instance_selection)9, NULL, NULL), EDGE_INVAL);
    cr_expect_eq(edge_runtime_set_selection(NULL, EDGE_SELECT_MRU, NULL, NULL), EDGE_INVAL);
    cr_expect_str_eq(edge_instance_selection_name(EDGE_SELECT_NEWEST), "newest");
    cr_expect_str_eq(edge_instance_selection_name((edge_instance_selection)9), "unknown");
}

/* A chooser that records what it was shown and answers `answer`. */
typedef struct {
    uint32_t answer, calls, n, function, lacking;
    edge_idle_instance seen[8];
} chooser_log;

static uint32_t log_choose(void *ctx, uint32_t function, edge_time now, uint32_t lacking_mb,
                           const edge_idle_instance *idle, uint32_t n)
{
    (void)now;
    chooser_log *l = ctx;
    l->calls++;
    l->n = n;
    l->function = function;
    l->lacking = lacking_mb;
    for (uint32_t k = 0; k < n && k < 8; k++)
        l->seen[k] = idle[k];
    return l->answer;
}

Test(runtime, choosers_decide_which_instance_serves_and_which_is_evicted)
{
    /* The history of instance_selection_takes_the_chosen_idle_instance: the
     * idle list from the most recently idle is (made 1 s, 2 s, 0 s). */
    chooser_log l = {.answer = 2};
    edge_runtime_free(rt); /* setup's, of the same size: a fresh one for this history */
    rt = make_runtime(1000);
    cr_assert_eq(edge_runtime_set_choosers(rt, log_choose, NULL, &l), EDGE_OK);
    edge_start m[3] = {start(F_SMALL, 0), start(F_SMALL, EDGE_S), start(F_SMALL, 2 * EDGE_S)};
    finish(m[0].invocation, 10 * EDGE_S);
    finish(m[2].invocation, 11 * EDGE_S);
    finish(m[1].invocation, 12 * EDGE_S);
    edge_start s = start(F_SMALL, 20 * EDGE_S);
    cr_expect(!s.cold);
    cr_expect_eq(l.calls, 1);
    cr_expect_eq(l.n, 3);
    cr_expect_eq(l.lacking, 0, "serving lacks no memory");
    cr_expect_eq(l.seen[0].created_at, EDGE_S, "most recently idle first");
    cr_expect_eq(l.seen[0].idle_since, 12 * EDGE_S);
    cr_expect_eq(l.seen[2].created_at, 0);
    cr_expect_eq(l.seen[2].memory_mb, 100);
    cr_expect_eq(s.invocation.instance, m[0].invocation.instance, "answer 2: made at 0 s");
    /* an answer past the list: the runtime's own choice (MRU: made at 1 s) */
    finish(s.invocation, 21 * EDGE_S);
    l.answer = EDGE_NONE;
    s = start(F_SMALL, 22 * EDGE_S);
    cr_expect_eq(s.invocation.instance, m[0].invocation.instance, "MRU: the one idle at 21 s");
    finish(s.invocation, 23 * EDGE_S);
    /* one idle instance left of two? the chooser is asked only with >= 2 */
    l.calls = 0;
    edge_start a = start(F_SMALL, 24 * EDGE_S), b = start(F_SMALL, 25 * EDGE_S);
    cr_expect_eq(l.calls, 2);
    edge_start c = start(F_SMALL, 26 * EDGE_S);
    cr_expect_eq(l.calls, 2, "a single idle instance needs no choice");
    finish(a.invocation, 27 * EDGE_S);
    finish(b.invocation, 27 * EDGE_S);
    finish(c.invocation, 27 * EDGE_S);

    /* evict: 700 MB; three small idle (100 MB each, idle at 1, 2, 3 s);
     * big (600) at 4 s lacks 600 - 400 = 200: asked with the three, least
     * recently idle first, answer 1 evicts the one idle at 2 s; it then
     * lacks 100: asked with the two left (1 s, 3 s), answer 1 evicts the
     * one idle at 3 s; the one idle at 1 s stays. */
    edge_runtime_free(rt);
    rt = make_runtime(700);
    chooser_log e = {.answer = 1};
    cr_assert_eq(edge_runtime_set_choosers(rt, NULL, log_choose, &e), EDGE_OK);
    edge_start x = start(F_SMALL, 0), y = start(F_SMALL, 0), z = start(F_SMALL, 0);
    finish(x.invocation, EDGE_S);
    finish(y.invocation, 2 * EDGE_S);
    finish(z.invocation, 3 * EDGE_S);
    n_events = 0;
    edge_start big = start(F_BIG, 4 * EDGE_S);
    cr_expect(big.cold);
    cr_expect_eq(big.evicted, 2);
    cr_expect_eq(e.calls, 2);
    cr_expect_eq(e.function, F_BIG);
    cr_expect_eq(e.n, 2, "the second ask sees the two left");
    cr_expect_eq(e.lacking, 100);
    cr_expect_eq(e.seen[0].idle_since, EDGE_S);
    cr_expect_eq(e.seen[1].idle_since, 3 * EDGE_S);
    cr_assert_eq(n_events, 2);
    cr_expect_eq(events[0].idle_since, 2 * EDGE_S);
    cr_expect_eq(events[1].idle_since, 3 * EDGE_S);
    cr_expect_eq(events[0].reason, EDGE_REMOVED_EVICTED);
    cr_expect_eq(edge_runtime_idle_count(rt, F_SMALL), 1);
    cr_expect_eq(edge_runtime_set_choosers(NULL, NULL, NULL, NULL), EDGE_INVAL);
}

/* The finish hint names lines only for a running instance of that runtime:
 * NULL for a NULL runtime, an unknown record, an old generation and after
 * the finish; a second running instance gets a record of its own. */
Test(runtime, finish_lines_name_only_a_running_instance)
{
    edge_runtime_lines l = edge_runtime_finish_lines(NULL, (edge_invocation){0, 0});
    cr_expect(l.header == NULL && l.instance == NULL && l.slot == NULL && l.header_bytes == 0);
    edge_runtime *r = make_runtime(10000);
    edge_start a, b;
    cr_assert_eq(edge_runtime_start_idx(r, F_SMALL, 0, 1, &a), EDGE_OK);
    cr_assert_eq(edge_runtime_start_idx(r, F_SMALL, 0, 2, &b), EDGE_OK);
    edge_runtime_lines la = edge_runtime_finish_lines(r, a.invocation);
    edge_runtime_lines lb = edge_runtime_finish_lines(r, b.invocation);
    cr_expect(la.header == r && la.header_bytes > 0 && la.instance && la.slot);
    cr_expect(lb.instance && lb.instance != la.instance, "each instance its record");
    cr_expect_eq(lb.slot, la.slot, "one function, one slot");
    edge_invocation old = {a.invocation.instance, a.invocation.gen - 1};
    cr_expect_null(edge_runtime_finish_lines(r, old).instance);
    cr_expect_null(edge_runtime_finish_lines(r, (edge_invocation){UINT32_MAX, 0}).instance);
    cr_assert_eq(edge_runtime_finish(r, a.invocation, 1, true, NULL), EDGE_OK);
    cr_expect_null(edge_runtime_finish_lines(r, a.invocation).header, "finished: idle now");
    edge_runtime_free(r);
}

/* Past 16 functions a look-up first guesses that the node's functions were
 * deployed in table order (slot i holds the first one + i), then asks the
 * map. In every layout (in order, from an offset, reversed, interleaved,
 * with a gap) each deployed function's start lands on its own counters and
 * the others are refused as before. */
Test(runtime, many_functions_find_their_own_slot_in_any_deploy_order)
{
    for (int i = 0; i < 40; i++) {
        char id[24];
        snprintf(id, sizeof id, "many%d", i);
        add_fn((edge_function_spec){.id = id, .memory_mb = 1, .timeout = EDGE_S});
    }
    uint32_t n = (uint32_t)edge_function_table_count(fns), first = F_UNDEPLOYED + 1;
    for (int layout = 0; layout < 4; layout++) {
        edge_runtime *r;
        edge_runtime_config cfg = edge_runtime_config_default("many");
        cr_assert_eq(edge_runtime_new(fns, &cfg, &r), EDGE_OK);
        uint32_t order[64], k = 0;
        for (uint32_t i = 0; i < n - first; i++) {
            uint32_t f = layout == 0 ? first + i           /* table order */
                         : layout == 1 ? n - 1 - i         /* reversed */
                         : layout == 2 ? first + (i * 7) % (n - first) /* interleaved */
                                       : first + i + (i >= 20); /* a gap at 20 */
            if (f < n)
                order[k++] = f;
        }
        for (uint32_t i = 0; i < k; i++)
            cr_assert_eq(edge_runtime_deploy_idx(r, order[i]), EDGE_OK);
        bool deployed[64] = {false};
        for (uint32_t i = 0; i < k; i++)
            deployed[order[i]] = true;
        for (uint32_t f = 0; f < n + 2; f++) {
            edge_start s;
            edge_err want = f >= n ? EDGE_NOT_FOUND : deployed[f] ? EDGE_OK : EDGE_NOT_DEPLOYED;
            cr_expect_eq(edge_runtime_start_idx(r, f, 0, f + 1, &s), want,
                         "layout %d, function %u", layout, f);
        }
        for (uint32_t f = 0; f < n; f++) {
            edge_runtime_stats st;
            edge_err rc = edge_runtime_function_stats(r, f, &st);
            cr_expect_eq(rc, deployed[f] ? EDGE_OK : EDGE_NOT_DEPLOYED, "layout %d, %u", layout, f);
            if (rc == EDGE_OK)
                cr_expect_eq(st.starts, 1, "layout %d, function %u: its own start only", layout, f);
        }
        edge_runtime_free(r);
    }
}
