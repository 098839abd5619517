/*
 * Pins sim/engine: the order contract (time, then schedule order, including
 * events a handler schedules for now), a clock that never goes back, cancel
 * before/after/twice and through stale handles after their record is reused,
 * run_until at an event's exact time, stop and fail, an interrupt flag (Ctrl-C),
 * pool reuse without
 * growth, renumbering when the sequence runs out of bits, compaction of
 * tombstones, and a million random schedule/cancel/run operations checked
 * against a plain sorted array.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

/* ---- a log of the ids that ran, in order ---- */

typedef struct {
    uint64_t ids[4096];
    edge_time times[4096];
    size_t n;
} run_log;

static void log_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    run_log *l = ctx;
    cr_assert_lt(l->n, 4096);
    cr_assert_eq(sim_engine_now(e), ev->time);
    l->ids[l->n] = ev->payload.id;
    l->times[l->n++] = ev->time;
}

static sim_payload pl(uint64_t id)
{
    return (sim_payload){.id = id};
}

static sim_engine *mk(void)
{
    sim_engine *e = sim_engine_create(0);
    cr_assert_not_null(e);
    return e;
}

Test(engine, runs_equal_times_in_schedule_order)
{
    sim_engine *e = mk();
    run_log l = {0};
    /* ids 0..299 at times 3, 1, 2, 3, 1, 2 ...: within a time, by id */
    for (uint64_t i = 0; i < 300; i++)
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(3 - i % 3), log_event, &l, pl(i), NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 300);
    for (size_t k = 1; k < l.n; k++) {
        cr_assert(l.times[k - 1] < l.times[k]
                      || (l.times[k - 1] == l.times[k] && l.ids[k - 1] < l.ids[k]),
                  "event %zu out of order", k);
    }
    sim_engine_destroy(e);
}

/* A handler that schedules two events for now (ids 100 + its own, 200 +
 * its own) and one 0 ns later through schedule_in. */
static void spawn_now(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, ctx, ev);
    if (ev->payload.id < 100) {
        cr_assert_eq(sim_engine_schedule(e, ev->time, spawn_now, ctx, pl(100 + ev->payload.id), NULL),
                     EDGE_OK);
        cr_assert_eq(sim_engine_schedule_in(e, 0, spawn_now, ctx, pl(200 + ev->payload.id), NULL),
                     EDGE_OK);
    }
}

Test(engine, events_scheduled_for_now_run_after_those_already_queued)
{
    sim_engine *e = mk();
    run_log l = {0};
    for (uint64_t i = 0; i < 3; i++)
        sim_engine_schedule(e, 10, spawn_now, &l, pl(i), NULL);
    sim_engine_schedule(e, 11, spawn_now, &l, pl(50), NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    uint64_t want[] = {0, 1, 2, 100, 200, 101, 201, 102, 202, 50, 150, 250};
    cr_assert_eq(l.n, sizeof want / sizeof want[0]);
    for (size_t k = 0; k < l.n; k++)
        cr_expect_eq(l.ids[k], want[k], "position %zu: %lu, want %lu", k,
                     (unsigned long)l.ids[k], (unsigned long)want[k]);
    sim_engine_destroy(e);
}

/* spawn_now with payloads kept in the key: the first schedule of each
 * handler takes the engine's short path (its own handler and context, into
 * the running event's place), the second the general one. */
static void spawn_small(sim_engine *e, void *ctx, const sim_event *ev)
{
    run_log *l = ctx;
    cr_assert_lt(l->n, 4096);
    l->ids[l->n] = ev->payload.a;
    l->times[l->n++] = ev->time;
    if (ev->payload.a < 100) {
        cr_assert_eq(sim_engine_schedule(e, ev->time, spawn_small, ctx,
                                         (sim_payload){.a = 100 + ev->payload.a}, NULL),
                     EDGE_OK);
        cr_assert_eq(sim_engine_schedule_in(e, 0, spawn_small, ctx,
                                            (sim_payload){.a = 200 + ev->payload.a}, NULL),
                     EDGE_OK);
    }
}

Test(engine, small_events_scheduled_for_now_run_after_those_already_queued)
{
    sim_engine *e = mk();
    run_log l = {0};
    for (uint32_t i = 0; i < 3; i++)
        sim_engine_schedule(e, 10, spawn_small, &l, (sim_payload){.a = i}, NULL);
    sim_engine_schedule(e, 11, spawn_small, &l, (sim_payload){.a = 50}, NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    uint64_t want[] = {0, 1, 2, 100, 200, 101, 201, 102, 202, 50, 150, 250};
    cr_assert_eq(l.n, sizeof want / sizeof want[0]);
    for (size_t k = 0; k < l.n; k++)
        cr_expect_eq(l.ids[k], want[k], "position %zu: %lu, want %lu", k,
                     (unsigned long)l.ids[k], (unsigned long)want[k]);
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_assert_eq(st.scheduled, 12);
    /* the most: once 0, 1 and 2 have run, 50 and the six they made */
    cr_assert_eq(st.peak_pending, 7);
    sim_engine_destroy(e);
}

static void try_the_past(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ctx;
    cr_assert_eq(sim_engine_schedule(e, ev->time - 1, try_the_past, NULL, pl(0), NULL), EDGE_INVAL);
    cr_assert_eq(sim_engine_schedule_in(e, -1, try_the_past, NULL, pl(0), NULL), EDGE_INVAL);
}

Test(engine, clock_never_goes_back)
{
    sim_engine *e = mk();
    run_log l = {0};
    for (uint64_t i = 0; i < 1000; i++)
        sim_engine_schedule(e, (edge_time)((i * 7919) % 1000), log_event, &l, pl(i), NULL);
    sim_engine_schedule(e, 500, try_the_past, NULL, pl(0), NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    for (size_t k = 1; k < l.n; k++)
        cr_assert_leq(l.times[k - 1], l.times[k]);
    cr_assert_eq(sim_engine_now(e), 999);
    cr_assert_eq(sim_engine_schedule(e, 998, log_event, &l, pl(0), NULL), EDGE_INVAL);
    cr_assert_eq(sim_engine_run_until(e, 10), EDGE_INVAL);
    cr_assert_eq(sim_engine_schedule(e, 5, NULL, NULL, pl(0), NULL), EDGE_INVAL, "NULL handler");
    cr_assert_eq(sim_engine_schedule_in(e, EDGE_TIME_MAX, log_event, &l, pl(0), NULL), EDGE_RANGE);
    sim_engine_destroy(e);
}

Test(engine, cancel_before_run_means_it_never_runs)
{
    sim_engine *e = mk();
    run_log l = {0};
    sim_handle a, b;
    sim_engine_schedule(e, 5, log_event, &l, pl(1), &a);
    sim_engine_schedule(e, 6, log_event, &l, pl(2), &b);
    cr_assert(sim_engine_is_pending(e, a));
    cr_assert(sim_engine_cancel(e, a));
    cr_assert_not(sim_engine_is_pending(e, a));
    cr_assert_eq(sim_engine_pending(e), 1);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.ids[0], 2);
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_assert_eq(st.scheduled, 2);
    cr_assert_eq(st.run, 1);
    cr_assert_eq(st.cancelled, 1);
    cr_assert_eq(st.pending, 0);
    sim_engine_destroy(e);
}

Test(engine, cancel_after_run_and_cancel_twice_are_harmless_no_ops)
{
    sim_engine *e = mk();
    run_log l = {0};
    sim_handle a, b;
    sim_engine_schedule(e, 5, log_event, &l, pl(1), &a);
    sim_engine_schedule(e, 9, log_event, &l, pl(2), &b);
    cr_assert_eq(sim_engine_run_until(e, 5), EDGE_OK);
    cr_assert_not(sim_engine_cancel(e, a), "already ran");
    cr_assert(sim_engine_cancel(e, b));
    cr_assert_not(sim_engine_cancel(e, b), "already cancelled");
    cr_assert_not(sim_engine_cancel(e, SIM_HANDLE_NONE));
    cr_assert_not(sim_engine_cancel(e, (sim_handle){0xffffffffffULL}), "never issued");
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 1);
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_assert_eq(st.cancelled, 1);
    sim_engine_destroy(e);
}

/* ctx: the handle of the event that is running; cancelling it is a no-op */
static void cancel_self(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    cr_assert_not(sim_engine_cancel(e, *(sim_handle *)ctx));
}

Test(engine, a_handler_cannot_cancel_its_own_running_event)
{
    sim_engine *e = mk();
    sim_handle h;
    sim_engine_schedule(e, 1, cancel_self, &h, pl(0), &h);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    sim_engine_destroy(e);
}

Test(engine, stale_handle_is_a_no_op_after_its_record_is_reused)
{
    sim_engine *e = mk();
    run_log l = {0};
    sim_handle old, fresh;
    sim_engine_schedule(e, 1, log_event, &l, pl(1), &old);
    sim_engine_run(e);
    /* the free list is LIFO: the next event takes the same record */
    sim_engine_schedule(e, 2, log_event, &l, pl(2), &fresh);
    cr_assert_eq(old.v & 0xffffffffu, fresh.v & 0xffffffffu, "same record reused");
    cr_assert_neq(old.v, fresh.v);
    cr_assert_not(sim_engine_cancel(e, old));
    cr_assert(sim_engine_is_pending(e, fresh));
    sim_engine_run(e);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.ids[1], 2);
    /* and after a cancel, too */
    sim_handle c1, c2;
    sim_engine_schedule(e, 3, log_event, &l, pl(3), &c1);
    cr_assert(sim_engine_cancel(e, c1));
    sim_engine_run(e); /* drops the tombstone, frees its record */
    sim_engine_schedule(e, 4, log_event, &l, pl(4), &c2);
    cr_assert_not(sim_engine_cancel(e, c1));
    sim_engine_run(e);
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.ids[2], 4);
    sim_engine_destroy(e);
}

Test(engine, run_until_runs_events_at_exactly_t_and_sets_the_clock)
{
    sim_engine *e = mk();
    run_log l = {0};
    sim_engine_schedule(e, 5, log_event, &l, pl(5), NULL);
    sim_engine_schedule(e, 10, log_event, &l, pl(10), NULL);
    sim_engine_schedule(e, 11, log_event, &l, pl(11), NULL);
    cr_assert_eq(sim_engine_run_until(e, 10), EDGE_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.ids[1], 10);
    cr_assert_eq(sim_engine_now(e), 10);
    cr_assert_eq(sim_engine_pending(e), 1);
    edge_time next = 0;
    cr_assert(sim_engine_next_time(e, &next));
    cr_assert_eq(next, 11);
    cr_assert_eq(sim_engine_run_until(e, 10), EDGE_OK, "t == now is fine");
    cr_assert_eq(sim_engine_run_until(e, 100), EDGE_OK);
    cr_assert_eq(sim_engine_now(e), 100, "the clock moves to t past the last event");
    cr_assert_not(sim_engine_next_time(e, &next));
    sim_engine_destroy(e);
}

static void stopper(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, ctx, ev);
    if (ev->payload.id == 2)
        sim_engine_stop(e);
}

typedef struct {
    bool due[8];
    size_t n;
} due_log;

static void log_due(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    due_log *d = ctx;
    cr_assert_lt(d->n, 8);
    d->due[d->n++] = sim_engine_due_now(e);
}

/* Three events at 5 (the second cancelled: a tombstone between them) and
 * one at 6: the first at 5 sees the third due, the third sees none (the
 * one at 6 is later), nor does the one at 6. */
Test(engine, due_now_says_whether_another_event_waits_at_this_instant)
{
    sim_engine *e = mk();
    due_log d = {0};
    sim_handle h;
    cr_assert_not(sim_engine_due_now(e), "nothing pending");
    cr_assert_eq(sim_engine_schedule(e, 5, log_due, &d, pl(1), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 5, log_due, &d, pl(2), &h), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 5, log_due, &d, pl(3), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 6, log_due, &d, pl(4), NULL), EDGE_OK);
    cr_assert_not(sim_engine_due_now(e), "at 0, the first is at 5");
    cr_assert(sim_engine_cancel(e, h));
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(d.n, 3);
    cr_assert(d.due[0]);
    cr_assert_not(d.due[1]);
    cr_assert_not(d.due[2]);
    /* outside a run with the far tier on, past the bucket the heap reached */
    sim_engine_destroy(e);
    e = mk();
    cr_assert_eq(sim_engine_set_far(e, 4), EDGE_OK);
    cr_assert_eq(sim_engine_run_until(e, 1000), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 1000, log_due, &d, pl(5), NULL), EDGE_OK);
    cr_assert(sim_engine_due_now(e), "an event at now in the far tier");
    sim_engine_destroy(e);
}

Test(engine, stop_returns_after_the_handler_and_a_later_run_goes_on)
{
    sim_engine *e = mk();
    run_log l = {0};
    for (uint64_t i = 1; i <= 4; i++)
        sim_engine_schedule(e, (edge_time)i, stopper, &l, pl(i), NULL);
    cr_assert_eq(sim_engine_run_until(e, 100), EDGE_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(sim_engine_now(e), 2, "a stopped run leaves the clock at its last event");
    cr_assert_eq(sim_engine_pending(e), 2);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 4);
    sim_engine_stop(e); /* outside a run: no effect on the next */
    sim_engine_schedule(e, 7, stopper, &l, pl(7), NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 5);
    sim_engine_destroy(e);
}

/* What a SIGINT handler does: set the flag (here from the event with id 2). */
static volatile sig_atomic_t interrupt_flag;

static void interrupter(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, ctx, ev);
    if (ev->payload.id == 2)
        interrupt_flag = 2;
}

Test(engine, an_interrupt_flag_stops_the_run_after_the_running_event)
{
    sim_engine *e = mk();
    run_log l = {0};
    interrupt_flag = 0;
    sim_engine_set_interrupt(e, &interrupt_flag);
    for (uint64_t i = 1; i <= 4; i++)
        sim_engine_schedule(e, (edge_time)i, interrupter, &l, pl(i), NULL);
    cr_assert_eq(sim_engine_run_until(e, 100), EDGE_OK);
    cr_expect_eq(l.n, 2, "events 1 and 2 ran, then the flag stopped the run");
    cr_expect_eq(sim_engine_now(e), 2);
    cr_expect_eq(sim_engine_pending(e), 2, "the rest stays queued");
    cr_expect_eq(sim_engine_run(e), EDGE_OK);
    cr_expect_eq(l.n, 3, "while the flag is up each run stops after one event");
    interrupt_flag = 0;
    cr_expect_eq(sim_engine_run(e), EDGE_OK);
    cr_expect_eq(l.n, 4);
    sim_engine_set_interrupt(e, NULL);
    sim_engine_destroy(e);
}

static void failer(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ctx;
    (void)ev;
    sim_engine_fail(e, EDGE_NOMEM);
    sim_engine_fail(e, EDGE_RANGE); /* the first code wins */
}

static void reenter(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)ev;
    *(edge_err *)ctx = sim_engine_run(e);
}

Test(engine, fail_stops_the_run_with_its_code_and_runs_do_not_nest)
{
    sim_engine *e = mk();
    sim_engine_schedule(e, 1, failer, NULL, pl(0), NULL);
    sim_engine_schedule(e, 2, failer, NULL, pl(0), NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_NOMEM);
    cr_assert_eq(sim_engine_pending(e), 1);
    cr_assert_eq(sim_engine_run(e), EDGE_NOMEM, "the next run starts clean and fails again");
    edge_err inner = EDGE_OK;
    sim_engine_schedule(e, 3, reenter, &inner, pl(0), NULL);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(inner, EDGE_STATE);
    sim_engine_destroy(e);
}

static void chain(sim_engine *e, void *ctx, const sim_event *ev)
{
    uint64_t *left = ctx;
    if (*left > 0) {
        (*left)--;
        sim_engine_schedule_in(e, 1 + (edge_time)(ev->payload.id % 7), chain, ctx, ev->payload, NULL);
    }
}

Test(engine, pool_is_reused_without_growing)
{
    sim_engine *e = mk();
    uint64_t left = 200000;
    for (uint64_t i = 0; i < 10; i++)
        sim_engine_schedule(e, 0, chain, &left, pl(i), NULL);
    sim_engine_stats before, after;
    sim_engine_get_stats(e, &before);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    sim_engine_get_stats(e, &after);
    cr_assert_eq(after.run, 200010);
    cr_assert_eq(after.bytes, before.bytes, "no growth for 10 pending events");
    cr_assert_eq(after.peak_pending, 10);
    sim_engine_destroy(e);
}

Test(engine, destroy_frees_pending_events_and_accepts_null)
{
    sim_engine_destroy(NULL);
    sim_engine *e = mk();
    run_log l = {0};
    for (uint64_t i = 0; i < 5000; i++) /* grows the pool past one chunk */
        sim_engine_schedule(e, (edge_time)i, log_event, &l, pl(i), NULL);
    sim_engine_destroy(e); /* ASan / valgrind check that nothing leaks */
}

Test(engine, order_survives_pool_growth_and_sequence_renumbering)
{
    sim_engine *e = mk();
    static run_log l;
    l.n = 0;
    /* close to the end of the sequence space of a 1024-record pool (54
     * bits), so renumbering happens mid-way; the pool also grows past a
     * power of two, which renumbers too */
    cr_assert_eq(sim__engine_set_seq(e, ((uint64_t)1 << 54) - 100), EDGE_OK);
    cr_assert_eq(sim__engine_set_seq(e, 5), EDGE_INVAL, "never backwards");
    for (uint64_t i = 0; i < 4000; i++)
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(i % 4), log_event, &l, pl(i), NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 4000);
    for (size_t k = 0; k < l.n; k++) {
        uint64_t want = (k / 1000) + 4 * (k % 1000); /* time k/1000, then id */
        cr_assert_eq(l.ids[k], want, "position %zu", k);
    }
    sim_engine_destroy(e);
}

/* A timer's event logs 1000000 + the timer's number (its ctx's n). */
typedef struct {
    run_log *l;
    uint64_t n;
} timer_tag;

static void log_timer(sim_engine *e, void *ctx, const sim_event *ev)
{
    const timer_tag *t = ctx;
    cr_assert_eq(sim_engine_now(e), ev->time);
    cr_assert(ev->payload.id == 0 && ev->payload.a == 0 && ev->payload.b == 0, "an empty payload");
    cr_assert_lt(t->l->n, 4096);
    t->l->ids[t->l->n] = 1000000 + t->n;
    t->l->times[t->l->n++] = ev->time;
}

Test(engine, a_timer_keeps_its_place_through_renumbering)
{
    sim_engine *e = mk();
    static run_log l;
    l.n = 0;
    timer_tag ta = {&l, 1}, tb = {&l, 2};
    sim_timer a, b;
    cr_assert_eq(sim_engine_timer_create(e, log_timer, &ta, &a), EDGE_OK);
    cr_assert_eq(sim_engine_timer_create(e, log_timer, &tb, &b), EDGE_OK);
    /* 100 seqs before the end of the space of a 1024-record pool (64 bits
     * less 10 of slot, a flag and 8 of handler: 45): the keys are
     * renumbered while timer a is pending between the events of its time */
    cr_assert_eq(sim__engine_set_seq(e, ((uint64_t)1 << 45) - 100), EDGE_OK);
    for (uint64_t i = 0; i < 50; i++)
        cr_assert_eq(sim_engine_schedule(e, 5, log_event, &l, pl(i), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_timer_set(e, a, 5), EDGE_OK);
    for (uint64_t i = 50; i < 150; i++)
        cr_assert_eq(sim_engine_schedule(e, 5, log_event, &l, pl(i), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_timer_set(e, b, 5), EDGE_OK);
    for (uint64_t i = 150; i < 160; i++) /* earlier time: before all of them */
        cr_assert_eq(sim_engine_schedule(e, 4, log_event, &l, pl(i), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_pending(e), 162);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 162);
    size_t k = 0;
    for (uint64_t i = 150; i < 160; i++)
        cr_assert_eq(l.ids[k++], i);
    for (uint64_t i = 0; i < 50; i++)
        cr_assert_eq(l.ids[k++], i);
    cr_assert_eq(l.ids[k++], 1000001, "timer a where it was set: after 49, before 50");
    for (uint64_t i = 50; i < 150; i++)
        cr_assert_eq(l.ids[k++], i);
    cr_assert_eq(l.ids[k++], 1000002);
    sim_engine_destroy(e);
}

Test(engine, a_lane_keeps_its_events_places_through_renumbering_and_refuses_going_back)
{
    sim_engine *e = mk();
    static run_log l;
    l.n = 0;
    sim_lane a, none = {0}, other = {2};
    cr_assert_eq(sim_engine_lane_create(e, NULL, &l, &a), EDGE_INVAL);
    cr_assert_eq(sim_engine_lane_create(e, log_event, &l, NULL), EDGE_INVAL);
    cr_assert_eq(sim_engine_lane_create(e, log_event, &l, &a), EDGE_OK);
    cr_assert_eq(sim_engine_lane_push(e, none, 5, pl(1)), EDGE_INVAL);
    cr_assert_eq(sim_engine_lane_push(e, other, 5, pl(1)), EDGE_INVAL);
    /* 100 seqs before the end of a 1024-record pool's space (45 bits): the
     * keys are renumbered while the lane holds events between them */
    cr_assert_eq(sim__engine_set_seq(e, ((uint64_t)1 << 45) - 100), EDGE_OK);
    for (uint64_t i = 0; i < 150; i++) {
        if (i % 3 == 0)
            cr_assert_eq(sim_engine_lane_push(e, a, 5 + (edge_time)(i / 75), pl(i)), EDGE_OK);
        else
            cr_assert_eq(sim_engine_schedule(e, 5 + (edge_time)(i / 75), log_event, &l, pl(i), NULL),
                         EDGE_OK);
    }
    cr_assert_eq(sim_engine_lane_push(e, a, 5, pl(999)), EDGE_RANGE, "before the lane's last (6)");
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_expect_eq(st.pending, 150);
    cr_expect_eq(st.scheduled, 150);
    cr_assert_eq(sim_engine_run_until(e, 5), EDGE_OK);
    cr_assert_eq(l.n, 75, "the events at 5, lane or not");
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 150);
    for (size_t k = 0; k < 150; k++)
        cr_assert_eq(l.ids[k], k, "in schedule order: position %zu", k);
    /* an empty lane takes any time from now on */
    cr_assert_eq(sim_engine_lane_push(e, a, 6, pl(7)), EDGE_OK);
    cr_assert_eq(sim_engine_lane_push(e, a, 5, pl(7)), EDGE_INVAL, "before now");
    sim_engine_get_stats(e, &st);
    cr_expect_eq(st.run, 150);
    cr_expect_eq(st.pending, 1);
    cr_expect_gt(st.bytes, 0);
    sim_lane x;
    for (int i = 1; i < SIM_ENGINE_LANES; i++)
        cr_assert_eq(sim_engine_lane_create(e, log_event, &l, &x), EDGE_OK);
    cr_assert_eq(sim_engine_lane_create(e, log_event, &l, &x), EDGE_LIMIT);
    sim_engine_destroy(e);
}

Test(engine, timers_move_clear_count_and_answer_like_events)
{
    sim_engine *e = mk();
    static run_log l;
    l.n = 0;
    timer_tag t1 = {&l, 1};
    sim_timer t, none = {0}, other = {3};
    cr_assert_eq(sim_engine_timer_create(e, NULL, &t1, &t), EDGE_INVAL);
    cr_assert_eq(sim_engine_timer_create(e, log_timer, &t1, NULL), EDGE_INVAL);
    cr_assert_eq(sim_engine_timer_create(e, log_timer, &t1, &t), EDGE_OK);
    cr_assert_eq(sim_engine_timer_set(e, none, 5), EDGE_INVAL, "not a timer");
    cr_assert_eq(sim_engine_timer_set(e, other, 5), EDGE_INVAL, "not one of e's");
    cr_assert_not(sim_engine_timer_clear(e, t), "not pending");
    cr_assert_not(sim_engine_timer_pending(e, t, NULL));
    edge_time at = -1, next = -1;
    cr_assert_not(sim_engine_next_time(e, &next));
    /* set, then moved: it runs once, at the last time set */
    cr_assert_eq(sim_engine_timer_set(e, t, 30), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 20, log_event, &l, pl(7), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_timer_set(e, t, 10), EDGE_OK);
    cr_assert(sim_engine_timer_pending(e, t, &at));
    cr_assert_eq(at, 10);
    cr_assert(sim_engine_next_time(e, &next));
    cr_assert_eq(next, 10, "the timer is the next event");
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_expect_eq(st.scheduled, 3, "two sets and a schedule");
    cr_expect_eq(st.cancelled, 1, "a move cancels the pending set");
    cr_expect_eq(st.pending, 2);
    cr_expect_eq(st.peak_pending, 2);
    /* run_until stops before a timer past t and sets the clock */
    cr_assert_eq(sim_engine_run_until(e, 9), EDGE_OK);
    cr_assert_eq(l.n, 0);
    cr_assert_eq(sim_engine_now(e), 9);
    cr_assert_eq(sim_engine_timer_set(e, t, 8), EDGE_INVAL, "never in the past");
    cr_assert(sim_engine_timer_pending(e, t, &at) && at == 10, "a refused set changes nothing");
    /* step runs exactly one: the timer */
    bool ran = false;
    cr_assert_eq(sim_engine_step(e, 100, &ran), EDGE_OK);
    cr_assert(ran);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.ids[0], 1000001);
    cr_assert_eq(l.times[0], 10);
    cr_assert_not(sim_engine_timer_pending(e, t, NULL), "it ran: not pending");
    /* set for now: due now; cleared: gone */
    cr_assert_eq(sim_engine_timer_set(e, t, 10), EDGE_OK);
    cr_assert(sim_engine_due_now(e));
    cr_assert(sim_engine_timer_clear(e, t));
    cr_assert_not(sim_engine_due_now(e));
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.ids[1], 7);
    sim_engine_get_stats(e, &st);
    cr_expect_eq(st.scheduled, 4);
    cr_expect_eq(st.cancelled, 2);
    cr_expect_eq(st.run, 2);
    cr_expect_eq(st.pending, 0);
    /* at most SIM_ENGINE_TIMERS */
    sim_timer x;
    for (int i = 1; i < SIM_ENGINE_TIMERS; i++)
        cr_assert_eq(sim_engine_timer_create(e, log_timer, &t1, &x), EDGE_OK);
    cr_assert_eq(sim_engine_timer_create(e, log_timer, &t1, &x), EDGE_LIMIT);
    sim_engine_destroy(e);
}

Test(engine, tombstones_are_compacted_and_order_kept)
{
    sim_engine *e = mk();
    static sim_handle h[20000];
    static run_log l;
    l.n = 0;
    for (uint64_t i = 0; i < 20000; i++)
        sim_engine_schedule(e, (edge_time)(i % 50), log_event, &l, pl(i), &h[i]);
    for (uint64_t i = 0; i < 20000; i++)
        if (i % 10 != 0)
            cr_assert(sim_engine_cancel(e, h[i]));
    cr_assert_eq(sim_engine_pending(e), 2000);
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    cr_assert_eq(st.cancelled, 18000);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 2000);
    for (size_t k = 1; k < l.n; k++) {
        cr_assert_leq(l.ids[k - 1] % 50, l.ids[k] % 50);
        if (l.ids[k - 1] % 50 == l.ids[k] % 50)
            cr_assert_lt(l.ids[k - 1], l.ids[k]);
    }
    sim_engine_destroy(e);
}

/* ---- a million random operations against a sorted array ---- */

typedef struct {
    edge_time time;
    uint64_t seq, id;
    sim_payload p; /* what was scheduled */
} ref_ev;

typedef struct fuzz fuzz;

/* A handler's context: event id's is wrap[id % nctx], so a run can use
 * more (handler, context) pairs than the engine's table holds. */
typedef struct {
    fuzz *f;
} fz_wrap;

struct fuzz {
    sim_engine *e;
    fz_wrap *wrap;
    size_t nctx;
    ref_ev *arr; /* sorted by (time, seq): the reference queue */
    size_t n, cap;
    uint64_t seq, next_id;
    sim_handle *handle; /* by id */
    uint64_t *hseq;     /* by id: the seq the reference gave it */
    edge_time *htime;
    size_t ids_cap;
    uint64_t rng;
    uint64_t ops, ran;
    int far;            /* the far tier is on: some delays reach past its ring */
    size_t npending;    /* how many pending the schedule op stops at */
    /* two timers (engine.h, TIMERS), in the reference as events of id
     * FZ_TIMER_ID(k) with an empty payload: a set is a cancel (when
     * pending) and a schedule, with the next seq */
    int timers;         /* 0: this run uses none */
    sim_timer timer[2];
    fz_wrap twrap[2];
    bool tpend[2];
    edge_time ttime[2];
    uint64_t tseq[2];
    uint64_t fired;
    /* two lanes (engine.h, LANES) of fixed delays: their events are
     * ordinary ids in the reference, scheduled without a handle */
    int lanes;
    sim_lane lane[2];
    fz_wrap lwrap[2];
    edge_time ldelay[2];
    uint64_t laned;
};
#define FZ_TIMER_ID(k) (UINT64_MAX - (uint64_t)(k))

static uint64_t fz_rand(fuzz *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return f->rng;
}

static bool ref_before(edge_time t1, uint64_t s1, edge_time t2, uint64_t s2)
{
    return t1 < t2 || (t1 == t2 && s1 < s2);
}

static size_t ref_find(const fuzz *f, edge_time t, uint64_t s)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ref_before(f->arr[mid].time, f->arr[mid].seq, t, s))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void fz_event(sim_engine *e, void *ctx, const sim_event *ev);

static void fz_schedule(fuzz *f)
{
    /* delays from a small set so that ties are common, 0 included */
    static const edge_time delays[] = {0, 0, 1, 1, 2, 3, 5, 10, 100, 1000, 3000, 100000};
    uint64_t id = f->next_id++;
    cr_assert_lt(id, f->ids_cap);
    /* a quarter: a small payload and no handle, which the engine keeps in
     * the key without a record (the rest have records); as these cannot be
     * cancelled, they take the short delays only (up to 10 ns, which still
     * reach the far tier at 2 ns buckets), or they would pile up */
    bool small = fz_rand(f) % 4 == 0;
    edge_time at = sim_engine_now(f->e) + delays[fz_rand(f) % (small ? 8 : f->far ? 12 : 10)];
    sim_payload p = small ? (sim_payload){.a = (uint32_t)(id % 1500)} : pl(id);
    f->handle[id] = SIM_HANDLE_NONE;
    cr_assert_eq(sim_engine_schedule(f->e, at, fz_event, &f->wrap[id % f->nctx], p,
                                     small ? NULL : &f->handle[id]),
                 EDGE_OK);
    uint64_t s = f->seq++;
    f->hseq[id] = s;
    f->htime[id] = at;
    size_t pos = ref_find(f, at, s);
    cr_assert_lt(f->n, f->cap);
    memmove(&f->arr[pos + 1], &f->arr[pos], (f->n - pos) * sizeof *f->arr);
    f->arr[pos] = (ref_ev){at, s, id, p};
    f->n++;
    f->ops++;
}

static void fz_cancel(fuzz *f)
{
    if (f->next_id == 0)
        return;
    /* mostly recent ids (often pending), sometimes old ones (stale) */
    uint64_t span = f->next_id < 64 ? f->next_id : 64;
    uint64_t id = fz_rand(f) % 8 == 0 ? fz_rand(f) % f->next_id : f->next_id - 1 - fz_rand(f) % span;
    size_t pos = ref_find(f, f->htime[id], f->hseq[id]);
    bool in_ref = pos < f->n && f->arr[pos].seq == f->hseq[id];
    if (f->handle[id].v == 0) /* scheduled without a handle: cannot be cancelled */
        in_ref = false;
    cr_assert_eq(sim_engine_cancel(f->e, f->handle[id]), in_ref, "cancel of id %lu", (unsigned long)id);
    if (in_ref) {
        memmove(&f->arr[pos], &f->arr[pos + 1], (f->n - pos - 1) * sizeof *f->arr);
        f->n--;
    }
    f->ops++;
}

/* Removes the reference's entry (t, s), which must be there. */
static void ref_remove(fuzz *f, edge_time t, uint64_t s)
{
    size_t pos = ref_find(f, t, s);
    cr_assert(pos < f->n && f->arr[pos].seq == s);
    memmove(&f->arr[pos], &f->arr[pos + 1], (f->n - pos - 1) * sizeof *f->arr);
    f->n--;
}

static void fz_timer_set(fuzz *f)
{
    static const edge_time delays[] = {0, 0, 1, 2, 3, 5, 10, 100, 1000, 3000, 100000};
    int k = (int)(fz_rand(f) % 2);
    edge_time at = sim_engine_now(f->e) + delays[fz_rand(f) % (f->far ? 11 : 9)];
    cr_assert_eq(sim_engine_timer_set(f->e, f->timer[k], at), EDGE_OK);
    if (f->tpend[k])
        ref_remove(f, f->ttime[k], f->tseq[k]);
    uint64_t s = f->seq++;
    f->tpend[k] = true;
    f->ttime[k] = at;
    f->tseq[k] = s;
    size_t pos = ref_find(f, at, s);
    cr_assert_lt(f->n, f->cap);
    memmove(&f->arr[pos + 1], &f->arr[pos], (f->n - pos) * sizeof *f->arr);
    f->arr[pos] = (ref_ev){at, s, FZ_TIMER_ID(k), (sim_payload){.id = 0}};
    f->n++;
    edge_time got;
    cr_assert(sim_engine_timer_pending(f->e, f->timer[k], &got));
    cr_assert_eq(got, at);
    f->ops++;
}

static void fz_timer_clear(fuzz *f)
{
    int k = (int)(fz_rand(f) % 2);
    cr_assert_eq(sim_engine_timer_clear(f->e, f->timer[k]), f->tpend[k]);
    if (f->tpend[k])
        ref_remove(f, f->ttime[k], f->tseq[k]);
    f->tpend[k] = false;
    cr_assert_not(sim_engine_timer_pending(f->e, f->timer[k], NULL));
    f->ops++;
}

static void fz_lane_push(fuzz *f)
{
    int k = (int)(fz_rand(f) % 2);
    uint64_t id = f->next_id++;
    cr_assert_lt(id, f->ids_cap);
    edge_time at = sim_engine_now(f->e) + f->ldelay[k];
    sim_payload p = pl(id);
    cr_assert_eq(sim_engine_lane_push(f->e, f->lane[k], at, p), EDGE_OK);
    uint64_t s = f->seq++;
    f->handle[id] = SIM_HANDLE_NONE;
    f->hseq[id] = s;
    f->htime[id] = at;
    size_t pos = ref_find(f, at, s);
    cr_assert_lt(f->n, f->cap);
    memmove(&f->arr[pos + 1], &f->arr[pos], (f->n - pos) * sizeof *f->arr);
    f->arr[pos] = (ref_ev){at, s, id, p};
    f->n++;
    f->ops++;
}

/* What a handler does after its checks: schedules, cancels, timer moves. */
static void fz_handler_ops(fuzz *f)
{
    uint64_t r = fz_rand(f) % 8;
    if (r < 5)
        fz_schedule(f);
    if (r == 0)
        fz_schedule(f);
    if (r == 6)
        fz_cancel(f);
    if (f->timers && r == 7)
        fz_rand(f) % 4 ? fz_timer_set(f) : fz_timer_clear(f);
    if (f->lanes && r >= 4 && f->n < f->npending)
        fz_lane_push(f);
}

/* The reference's first event ran (its handler checked which): it leaves
 * the reference, and the handler does what handlers do. sim_engine_due_now
 * is asked while the running key is held, and after the handler's
 * schedules and cancels: another event at this instant? */
static void fz_ran(fuzz *f, sim_engine *e, const sim_event *ev)
{
    memmove(&f->arr[0], &f->arr[1], (f->n - 1) * sizeof *f->arr);
    f->n--;
    f->ran++;
    cr_assert_eq(sim_engine_due_now(e), f->n > 0 && f->arr[0].time <= ev->time);
    /* handlers schedule and cancel too, so the hold path is exercised */
    fz_handler_ops(f);
    cr_assert_eq(sim_engine_due_now(e), f->n > 0 && f->arr[0].time <= ev->time);
}

static void fz_lane_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    fuzz *f = ((fz_wrap *)ctx)->f;
    int k = (int)((fz_wrap *)ctx - f->lwrap);
    cr_assert_gt(f->n, 0);
    const ref_ev *want = &f->arr[0];
    cr_assert_eq(ev->payload.id, want->id, "lane %d ran id %lu, reference says id %lu", k,
                 (unsigned long)ev->payload.id, (unsigned long)want->id);
    cr_assert_eq(ev->time, want->time);
    f->laned++;
    fz_ran(f, e, ev);
}

static void fz_timer_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    fuzz *f = ((fz_wrap *)ctx)->f;
    int k = (int)((fz_wrap *)ctx - f->twrap);
    cr_assert_gt(f->n, 0);
    const ref_ev *want = &f->arr[0];
    cr_assert_eq(want->id, FZ_TIMER_ID(k), "timer %d ran, reference says id %lu", k,
                 (unsigned long)want->id);
    cr_assert_eq(ev->time, want->time);
    cr_assert(ev->payload.id == 0 && ev->payload.a == 0 && ev->payload.b == 0);
    cr_assert_not(sim_engine_timer_pending(e, f->timer[k], NULL), "not pending while it runs");
    f->tpend[k] = false;
    f->fired++;
    fz_ran(f, e, ev);
}

static void fz_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    fuzz *f = ((fz_wrap *)ctx)->f;
    cr_assert_gt(f->n, 0);
    const ref_ev *want = &f->arr[0];
    cr_assert_eq(ctx, &f->wrap[want->id % f->nctx], "the context it was scheduled with");
    cr_assert(ev->payload.id == want->p.id && ev->payload.a == want->p.a && ev->payload.b == want->p.b,
              "ran {%lu, %u, %u}, reference says id %lu {%lu, %u, %u}", (unsigned long)ev->payload.id,
              ev->payload.a, ev->payload.b, (unsigned long)want->id, (unsigned long)want->p.id,
              want->p.a, want->p.b);
    cr_assert_eq(ev->time, want->time);
    fz_ran(f, e, ev);
}

/* Operations of each random run against the sorted array: a million in the
 * plain build; a fifth of that under ASan (make asan), where the reference's
 * array shifts are instrumented and the million took a minute of CI. */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_OPS 200000
#else
#define FUZZ_OPS 1000000
#endif

static void fuzz_run_side(unsigned far_shift, size_t npending, size_t nctx, int timers, int lanes)
{
    fuzz f = {0};
    f.e = mk();
    f.nctx = nctx;
    f.timers = timers;
    f.lanes = lanes;
    for (int k = 0; timers && k < 2; k++) {
        f.twrap[k].f = &f;
        cr_assert_eq(sim_engine_timer_create(f.e, fz_timer_event, &f.twrap[k], &f.timer[k]), EDGE_OK);
    }
    f.ldelay[0] = 2;
    f.ldelay[1] = far_shift ? 3000 : 100;
    for (int k = 0; lanes && k < 2; k++) {
        f.lwrap[k].f = &f;
        cr_assert_eq(sim_engine_lane_create(f.e, fz_lane_event, &f.lwrap[k], &f.lane[k]), EDGE_OK);
    }
    f.wrap = malloc(nctx * sizeof *f.wrap);
    cr_assert_not_null(f.wrap);
    for (size_t i = 0; i < nctx; i++)
        f.wrap[i].f = &f;
    f.far = far_shift > 0;
    f.npending = npending;
    if (far_shift)
        cr_assert_eq(sim_engine_set_far(f.e, far_shift), EDGE_OK);
    f.cap = 1 << 16;
    f.ids_cap = 1 << 21;
    f.arr = malloc(f.cap * sizeof *f.arr);
    f.handle = malloc(f.ids_cap * sizeof *f.handle);
    f.hseq = malloc(f.ids_cap * sizeof *f.hseq);
    f.htime = malloc(f.ids_cap * sizeof *f.htime);
    cr_assert(f.arr && f.handle && f.hseq && f.htime);
    f.rng = 0x9e3779b97f4a7c15ULL;
    while (f.ops < FUZZ_OPS) {
        uint64_t r = fz_rand(&f) % 16;
        if (f.timers && fz_rand(&f) % 8 == 0) {
            fz_rand(&f) % 4 ? fz_timer_set(&f) : fz_timer_clear(&f);
        } else if (f.lanes && r < 3 && f.n < f.npending) {
            fz_lane_push(&f);
        } else if (r < 7 && f.n < f.npending) {
            fz_schedule(&f);
        } else if (r < 10) {
            fz_cancel(&f);
        } else if (r < 15) {
            edge_time t = sim_engine_now(f.e) + (edge_time)(fz_rand(&f) % 4);
            cr_assert_eq(sim_engine_run_until(f.e, t), EDGE_OK);
            cr_assert(f.n == 0 || f.arr[0].time > t, "an event at or before %ld was left", (long)t);
            f.ops++;
        } else {
            cr_assert_eq(sim_engine_due_now(f.e), f.n > 0 && f.arr[0].time <= sim_engine_now(f.e));
            edge_time next;
            bool any = sim_engine_next_time(f.e, &next);
            cr_assert_eq(any, f.n > 0);
            if (any)
                cr_assert_eq(next, f.arr[0].time);
        }
        cr_assert_eq(sim_engine_pending(f.e), f.n);
    }
    cr_assert_gt(f.ran, FUZZ_OPS / 10, "enough events ran to mean something: %lu", (unsigned long)f.ran);
    if (timers)
        cr_assert_gt(f.fired, FUZZ_OPS / 100, "enough timers fired: %lu", (unsigned long)f.fired);
    if (lanes)
        cr_assert_gt(f.laned, FUZZ_OPS / 20, "enough lane events ran: %lu", (unsigned long)f.laned);
    sim_engine_destroy(f.e);
    free(f.wrap);
    free(f.arr);
    free(f.handle);
    free(f.hseq);
    free(f.htime);
}

static void fuzz_run(unsigned far_shift, size_t npending, size_t nctx)
{
    fuzz_run_side(far_shift, npending, nctx, 0, 0);
}

/* Timers among the events: a timer set is, for the order, a cancel (when
 * it was pending) and a schedule taking the next seq. */
Test(engine, timers_run_as_if_each_set_were_a_cancel_and_a_schedule)
{
    fuzz_run_side(0, 300, 1, 1, 0);
}

/* Lanes and timers among the events: a push is, for the order, a schedule
 * taking the next seq; with the far tier (a timer or a lane may run while
 * the heap is empty and events wait in the ring) and up to 3,000 pending,
 * so the pool grows and renumbers while lanes hold events. */
Test(engine, lanes_run_as_if_each_push_were_a_schedule)
{
    fuzz_run_side(6, 3000, 7, 1, 1);
}

Test(engine, a_million_random_operations_match_a_sorted_array)
{
    fuzz_run(0, 300, 1);
}

/* The engine names an event's (handler, context) by an index into a table
 * of 255 pairs, and keeps the pairs past those beside the record: with 600
 * contexts both kinds are pending at once, and 3,000 pending grow the pool
 * (and the per-record pairs with it). Every handler gets its own context. */
Test(engine, more_handler_pairs_than_the_table_holds_keep_order_and_context)
{
    fuzz_run(0, 3000, 600);
}

/* The far tier: buckets of 2 ns (so the ring reaches 2 us; delays of 3 us
 * and 100 us go beyond it), then of 64 ns; the second with up to 3,000
 * pending, so the pool grows and renumbers keys while some are far. */
Test(engine, with_the_far_tier_random_operations_match_a_sorted_array)
{
    fuzz_run(1, 300, 1);
    fuzz_run(6, 3000, 7);
}

/* Events far apart (beyond the ring, so it runs empty and the next
 * bucket is found in the overflow), many at equal times: they run in
 * (time, schedule order), as without the tier. */
static int cmp_ref(const void *a, const void *b)
{
    const ref_ev *x = a, *y = b;
    return x->time != y->time ? (x->time < y->time ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

Test(engine, the_far_tier_keeps_the_order_across_empty_rings_and_ties)
{
    static run_log l;
    static ref_ev ref[4000];
    memset(&l, 0, sizeof l);
    sim_engine *e = mk();
    cr_assert_eq(sim_engine_set_far(e, 4), EDGE_OK); /* 16 ns buckets, ring 16 us */
    uint64_t x = 12345;
    static const edge_time spans[] = {50, 20000, 3000000, 1000000000};
    for (uint64_t id = 0; id < 4000; id++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        edge_time at = (edge_time)((x >> 20) % (uint64_t)spans[(x >> 8) % 4]) / 7 * 7; /* ties */
        ref[id] = (ref_ev){at, 0, id, pl(id)};
        cr_assert_eq(sim_engine_schedule(e, at, log_event, &l, pl(id), NULL), EDGE_OK);
    }
    qsort(ref, 4000, sizeof *ref, cmp_ref);
    cr_assert_eq(sim_engine_pending(e), 4000);
    edge_time next;
    cr_assert(sim_engine_next_time(e, &next));
    cr_assert_eq(next, ref[0].time);
    cr_assert_eq(sim_engine_run_until(e, 2500000), EDGE_OK); /* stop part-way */
    size_t upto = 0;
    while (upto < 4000 && ref[upto].time <= 2500000)
        upto++;
    cr_assert_eq(l.n, upto);
    cr_assert_eq(sim_engine_pending(e), 4000 - upto);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 4000);
    for (size_t i = 0; i < 4000; i++) {
        cr_assert_eq(l.ids[i], ref[i].id, "event %zu", i);
        cr_assert_eq(l.times[i], ref[i].time);
    }
    sim_engine_destroy(e);
}

/* A steady load on the far tier: 1,000 events pending, each rescheduling
 * itself 1.5 to 2.5 buckets ahead, so every event passes through the ring
 * and each bucket fills to ~500 keys while it is ahead. Run past two whole
 * turns of the 1024-bucket ring, the engine's own byte count must stay
 * what it was after the first 50 buckets (plus slack for where the fullest
 * buckets happen to be): a drained bucket gives its array back. Before
 * that, every bucket kept the room of its fullest visit, and the count
 * grew with the number of buckets visited (about 8 MB here, 400x). */
static void steady_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    uint64_t *count = ctx;
    uint64_t k = (*count)++;
    edge_time delay = 1536 + (edge_time)((ev->payload.id * 7919 + k * 104729) % 1024);
    cr_assert_eq(sim_engine_schedule_in(e, delay, steady_event, ctx, ev->payload, NULL), EDGE_OK);
}

Test(engine, the_far_tier_gives_back_what_a_drained_bucket_held)
{
    sim_engine *e = mk();
    cr_assert_eq(sim_engine_set_far(e, 10), EDGE_OK); /* 1024 ns buckets, ring ~1 ms */
    uint64_t count = 0;
    for (uint64_t id = 0; id < 1000; id++)
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(id * 2), steady_event, &count, pl(id), NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_run_until(e, 50 * 1024), EDGE_OK);
    sim_engine_stats early, late;
    sim_engine_get_stats(e, &early);
    cr_assert_eq(early.pending, 1000);
    cr_assert_eq(sim_engine_run_until(e, 2500 * 1024), EDGE_OK);
    sim_engine_get_stats(e, &late);
    cr_assert_eq(late.pending, 1000);
    cr_assert_gt(count, 1000000, "about 500 events per bucket over 2,450 buckets ran");
    cr_assert_leq(late.bytes, early.bytes + early.bytes / 2, "engine bytes %zu after 50 buckets, %zu after 2,500",
                  early.bytes, late.bytes);
    sim_engine_destroy(e);
}

Test(engine, set_far_errors)
{
    sim_engine *e = mk();
    cr_assert_eq(sim_engine_set_far(e, 63), EDGE_INVAL);
    cr_assert_eq(sim_engine_schedule(e, 5, log_event, NULL, pl(1), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_set_far(e, 4), EDGE_STATE, "not while events are pending");
    sim_engine_destroy(e);
}

/* ---- the prefetch hint ---- */

typedef struct {
    run_log log;
    edge_time hinted[4096]; /* per event run: the time of the hinted next event, or -1 */
    uint64_t hinted_id[4096];
    sim_handler hinted_fn[4096];
    edge_time hinted2[4096]; /* ... of the event after that */
    sim_handler running_fn[4096]; /* the event about to run, as the hint named it */
    edge_time running_at[4096];
} hint_log;

static void hint_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, &((hint_log *)ctx)->log, ev);
}

/* Called just before the handler of event log.n runs: file the hint under it. */
static void hint(void *ctx, sim_handler next, const sim_event *ev, int ahead, sim_handler running,
                 const sim_event *now)
{
    hint_log *h = ctx;
    h->running_fn[h->log.n] = running;
    h->running_at[h->log.n] = now->time;
    if (ahead == 2) {
        h->hinted2[h->log.n] = ev->time;
        return;
    }
    cr_assert_eq(ahead, 1);
    h->hinted[h->log.n] = ev->time;
    h->hinted_id[h->log.n] = ev->payload.id;
    h->hinted_fn[h->log.n] = next;
}

static void hint_reset(hint_log *h)
{
    memset(h, 0, sizeof *h);
    for (size_t i = 0; i < 4096; i++)
        h->hinted[i] = h->hinted2[i] = -1;
}

Test(engine, prefetch_hint_names_the_next_event_and_changes_nothing)
{
    static hint_log h; /* too big for the stack of a test */
    hint_reset(&h);
    sim_engine *e = mk();
    sim_engine_set_prefetch(e, hint);
    /* ten events at 10, 20, ..., 100 scheduled out of order */
    const int order[10] = {7, 2, 9, 0, 5, 3, 8, 1, 6, 4};
    for (int i = 0; i < 10; i++)
        cr_assert_eq(sim_engine_schedule(e, 10 * (order[i] + 1), hint_event, &h, pl(100 + order[i]),
                                         NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(h.log.n, 10);
    for (size_t i = 0; i < 10; i++) {
        cr_assert_eq(h.log.times[i], (edge_time)(10 * (i + 1)), "order is unchanged");
        cr_assert_eq(h.log.ids[i], 100 + i);
    }
    /* Before event i ran, with at least four more pending, the hints were
     * event i + 1 (with its handler and payload) and event i + 2; near the
     * end (fewer pending) none is given. */
    for (size_t i = 0; i + 5 < 10; i++) {
        cr_assert_eq(h.hinted[i], h.log.times[i + 1], "hint during event %zu", i);
        cr_assert_eq(h.hinted_id[i], 101 + i);
        cr_assert(h.hinted_fn[i] == hint_event);
        cr_assert_eq(h.hinted2[i], h.log.times[i + 2], "second hint during event %zu", i);
        cr_assert(h.running_fn[i] == hint_event, "the hint names the event about to run");
        cr_assert_eq(h.running_at[i], h.log.times[i]);
    }
    cr_assert_eq(h.hinted[9], -1, "nothing after the last event");
    sim_engine_destroy(e);
}

static void other_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, &((hint_log *)ctx)->log, ev);
}

Test(engine, prefetch_only_hints_the_listed_handlers)
{
    static hint_log h;
    hint_reset(&h);
    sim_engine *e = mk();
    sim_engine_set_prefetch(e, hint);
    sim_handler only[SIM_PREFETCH_ONLY_MAX + 1] = {hint_event, hint_event, hint_event, hint_event,
                                                   hint_event};
    cr_assert_eq(sim_engine_prefetch_only(e, only, SIM_PREFETCH_ONLY_MAX + 1), EDGE_INVAL);
    cr_assert_eq(sim_engine_prefetch_only(e, NULL, 1), EDGE_INVAL);
    cr_assert_eq(sim_engine_prefetch_only(e, only, 1), EDGE_OK);
    /* events at 1..20: even times hint_event, odd other_event (with a
     * record: a handle asked for) */
    for (int i = 1; i <= 20; i++) {
        sim_handle hd;
        cr_assert_eq(sim_engine_schedule(e, i, i % 2 ? other_event : hint_event, &h,
                                         pl((uint64_t)i), i % 2 ? &hd : NULL),
                     EDGE_OK);
    }
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(h.log.n, 20);
    /* before event k (time k + 1) runs, with 4 or more after it: the next
     * (time k + 2) is hinted only when it is a hint_event (even time) */
    for (size_t k = 0; k + 5 < 20; k++) {
        edge_time next = (edge_time)k + 2;
        if (next % 2 == 0) {
            cr_assert_eq(h.hinted[k], next, "event %zu", k);
            cr_assert(h.hinted_fn[k] == hint_event);
            /* the event about to run is named whatever its handler */
            cr_assert(h.running_fn[k] == other_event, "event %zu", k);
            cr_assert_eq(h.running_at[k], (edge_time)k + 1);
        } else {
            cr_assert_eq(h.hinted[k], -1, "other_event is not hinted (event %zu)", k);
        }
        cr_assert_eq(h.hinted2[k], (next + 1) % 2 == 0 ? next + 1 : -1);
    }
    /* n = 0: every handler again */
    hint_reset(&h);
    cr_assert_eq(sim_engine_prefetch_only(e, NULL, 0), EDGE_OK);
    for (int i = 1; i <= 10; i++)
        cr_assert_eq(sim_engine_schedule(e, 100 + i, other_event, &h, pl((uint64_t)i), NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(h.hinted[0], 102);
    sim_engine_destroy(e);
}

Test(engine, no_prefetch_hint_by_default_or_after_reset)
{
    static hint_log h;
    hint_reset(&h);
    sim_engine *e = mk();
    sim_engine_set_prefetch(e, hint);
    sim_engine_set_prefetch(e, NULL);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(sim_engine_schedule(e, i + 1, hint_event, &h, pl((uint64_t)i), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(h.log.n, 10);
    for (size_t i = 0; i < 10; i++)
        cr_assert(h.hinted[i] == -1 && h.hinted2[i] == -1);
    sim_engine_destroy(e);
}

/* ---- schedule_again: a generator's events keep the first one's place ----
 * The reference schedules a burst's n events at once; the lazy run schedules
 * the first and each its successor with sim_engine_schedule_again. Every
 * event also schedules "noise" at now + 0..3 (many equal times), enough to
 * grow the pool past several powers of two (renumbering), and the lazy
 * engine's sequence is also pushed near its end, so it renumbers at other
 * moments than the reference. Both must run the same events in the same
 * order. */
typedef struct gen_run {
    int lazy;
    uint32_t n;           /* burst size */
    edge_time base, span;
    uint64_t rng, noise_left, next_id;
    uint64_t *order;
    size_t norder, cap;
} gen_run;

static edge_time gen_at(const gen_run *g, uint32_t i)
{
    return g->base + (edge_time)((uint64_t)g->span * i / g->n);
}

static void gen_noise(sim_engine *e, gen_run *g);

static void gen_record(sim_engine *e, gen_run *g, uint64_t id)
{
    if (g->norder < g->cap)
        g->order[g->norder++] = id;
    gen_noise(e, g);
}

static void gen_noise_ev(sim_engine *e, void *ctx, const sim_event *ev)
{
    gen_record(e, ctx, ev->payload.id);
}

static void gen_noise(sim_engine *e, gen_run *g)
{
    g->rng ^= g->rng << 13, g->rng ^= g->rng >> 7, g->rng ^= g->rng << 17;
    int k = (int)(g->rng % 3);
    for (int j = 0; j < k && g->noise_left > 0; j++, g->noise_left--)
        cr_assert_eq(sim_engine_schedule(e, sim_engine_now(e) + (edge_time)((g->rng >> (8 * j)) % 4),
                                         gen_noise_ev, g, pl(1000000 + g->next_id++), NULL),
                     EDGE_OK);
}

static void gen_burst_ev(sim_engine *e, void *ctx, const sim_event *ev)
{
    gen_run *g = ctx;
    uint32_t i = (uint32_t)ev->payload.id;
    if (g->lazy && i % 64 == 1) /* the next schedule renumbers, before the again */
        cr_assert_eq(sim__engine_set_seq(e, (uint64_t)1 << 54), EDGE_OK);
    if (i % 2) /* odd ones schedule noise first */
        gen_record(e, g, i);
    if (g->lazy && i + 1 < g->n)
        cr_assert_eq(sim_engine_schedule_again(e, gen_at(g, i + 1), gen_burst_ev, g, pl(i + 1),
                                               NULL),
                     EDGE_OK);
    if (i % 2 == 0)
        gen_record(e, g, i);
}

static void gen_start(sim_engine *e, void *ctx, const sim_event *ev)
{
    gen_run *g = ctx;
    (void)ev;
    for (uint32_t i = 0; i < (g->lazy ? 1u : g->n); i++)
        cr_assert_eq(sim_engine_schedule(e, gen_at(g, i), gen_burst_ev, g, pl(i), NULL), EDGE_OK);
    gen_noise(e, g);
}

static void gen_run_one(gen_run *g)
{
    sim_engine *e = mk();
    g->rng = 88172645463325252ull;
    g->noise_left = 60000;
    g->cap = 200000;
    g->order = calloc(g->cap, sizeof *g->order);
    cr_assert_not_null(g->order);
    if (g->lazy) /* renumber when the sequence runs out, too */
        cr_assert_eq(sim__engine_set_seq(e, ((uint64_t)1 << 54) - 5000), EDGE_OK);
    for (uint64_t j = 0; j < 3000; j++) /* noise before the burst, at its times */
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(j % 700), gen_noise_ev, g, pl(2000000 + j),
                                         NULL),
                     EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, g->base, gen_start, g, pl(0), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    sim_engine_destroy(e);
}

Test(engine, schedule_again_runs_a_generator_as_if_all_were_scheduled_at_once)
{
    gen_run ref = {.lazy = 0, .n = 40000, .base = 100, .span = 500};
    gen_run lazy = ref;
    lazy.lazy = 1;
    gen_run_one(&ref);
    gen_run_one(&lazy);
    cr_assert_gt(ref.norder, 40000);
    cr_assert_eq(ref.norder, lazy.norder);
    for (size_t i = 0; i < ref.norder; i++)
        cr_assert_eq(ref.order[i], lazy.order[i], "differ at event %zu", i);
    free(ref.order);
    free(lazy.order);
}

static void again_outside(sim_engine *e, void *ctx, const sim_event *ev)
{
    (void)e, (void)ctx, (void)ev;
}

Test(engine, schedule_again_is_only_for_handlers)
{
    sim_engine *e = mk();
    cr_assert_eq(sim_engine_schedule_again(e, 5, again_outside, NULL, pl(0), NULL), EDGE_STATE);
    cr_assert_eq(sim_engine_pending(e), 0);
    sim_engine_destroy(e);
}

/* ---- payloads kept in the key ---- */

typedef struct {
    uint32_t a[65536];
    uint64_t id[65536];
    edge_time t[65536];
    size_t n;
} small_log;

static void small_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    small_log *l = ctx;
    (void)e;
    cr_assert_lt(l->n, 65536);
    cr_assert_eq(ev->payload.b, 0);
    l->a[l->n] = ev->payload.a;
    l->id[l->n] = ev->payload.id;
    l->t[l->n++] = ev->time;
}

/* PHOLD's shape: 65,536 pending events, each with only a small `a` and no
 * handle. They take no record, so the engine holds one 16-byte key per
 * event (plus its fixed part): under 32 bytes per pending event, and no
 * pool at all. Ties (ten times for all of them) still run in schedule
 * order, and each event gets its own payload back. */
Test(engine, small_payloads_without_a_handle_take_no_record_and_keep_the_order)
{
    static small_log l;
    l.n = 0;
    sim_engine *e = sim_engine_create(65536);
    cr_assert_not_null(e);
    sim_engine_stats before, st;
    sim_engine_get_stats(e, &before);
    for (uint32_t i = 0; i < 65536; i++)
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(i * 7919u % 10u), small_event, &l,
                                         (sim_payload){.a = i}, NULL),
                     EDGE_OK);
    sim_engine_get_stats(e, &st);
    cr_assert_eq(st.bytes, before.bytes, "no record was made");
    cr_assert_lt(st.bytes, (size_t)32 * 65536, "%zu bytes for 65,536 pending", st.bytes);
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 65536);
    for (size_t k = 0; k < l.n; k++) {
        cr_assert_eq(l.t[k], (edge_time)(l.a[k] * 7919u % 10u), "event %zu ran at its time", k);
        if (k)
            cr_assert(l.t[k - 1] < l.t[k] || (l.t[k - 1] == l.t[k] && l.a[k - 1] < l.a[k]),
                      "event %zu out of order", k);
    }
    sim_engine_destroy(e);
}

/* An `a` beyond the slots' width (1,023 for an engine of the default
 * size), an id or b, a handle or a schedule_again each take a record;
 * then the pool grows past a power of two, which widens the key's fields
 * and renumbers every key, the small ones included: all still run in
 * (time, schedule) order with the payloads they were given. */
Test(engine, payloads_that_need_a_record_and_renumbering_mix_with_small_ones)
{
    static small_log l;
    l.n = 0;
    sim_engine *e = mk();
    sim_engine_stats s0, s1, s2;
    sim_engine_get_stats(e, &s0);
    cr_assert_eq(sim_engine_schedule(e, 5, small_event, &l, (sim_payload){.a = 1023}, NULL), EDGE_OK);
    sim_engine_get_stats(e, &s1);
    cr_assert_eq(s1.bytes, s0.bytes, "a = 1023 fits the key");
    cr_assert_eq(sim_engine_schedule(e, 5, small_event, &l, (sim_payload){.a = 1024}, NULL), EDGE_OK);
    sim_engine_get_stats(e, &s2);
    cr_assert_gt(s2.bytes, s1.bytes, "a = 1024 takes a record");
    sim_handle h;
    cr_assert_eq(sim_engine_schedule(e, 5, small_event, &l, (sim_payload){.a = 7}, &h), EDGE_OK);
    cr_assert(sim_engine_is_pending(e, h), "with a handle it has a record");
    /* 6,000 more, alternating small and not, at ten times: the pool grows
     * past 4,096 records (renumbering) while small keys are queued */
    for (uint32_t i = 0; i < 6000; i++) {
        sim_payload p = i % 2 ? (sim_payload){.id = 100000 + i, .a = 3} : (sim_payload){.a = i % 1000};
        cr_assert_eq(sim_engine_schedule(e, (edge_time)(i % 10), small_event, &l, p, NULL), EDGE_OK);
    }
    cr_assert(sim_engine_cancel(e, h));
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(l.n, 6002);
    /* time t runs t's 600 events in schedule order; the two early ones at 5 first */
    size_t k = 0;
    for (edge_time t = 0; t < 10; t++) {
        for (uint32_t i = (uint32_t)t; i < 6000; i += 10, k++) {
            if (t == 5 && i == 5) {
                cr_assert_eq(l.a[k], 1023);
                cr_assert_eq(l.a[k + 1], 1024);
                k += 2;
            }
            cr_assert_eq(l.t[k], t, "position %zu", k);
            cr_assert_eq(l.id[k], i % 2 ? 100000 + i : 0, "position %zu", k);
            cr_assert_eq(l.a[k], i % 2 ? 3 : i % 1000, "position %zu", k);
        }
    }
    sim_engine_destroy(e);
}

/* ---- widening the keys when the pool crosses a power of two ---- */

typedef struct {
    run_log log;
    int again_done;
} widen_ctx;

static void widen_log(sim_engine *e, void *ctx, const sim_event *ev)
{
    log_event(e, &((widen_ctx *)ctx)->log, ev);
}

/* A at 0 schedules 1,100 events at 20 (the pool of 1,024 records grows to
 * 2,048: every pending key is rewritten for the wider slot field), then
 * gives its own place in the schedule order to its next run at 10. */
static void widen_gen(sim_engine *e, void *ctx, const sim_event *ev)
{
    widen_ctx *w = ctx;
    log_event(e, &w->log, ev);
    if (w->again_done++)
        return;
    for (uint64_t i = 0; i < 1100; i++)
        cr_assert_eq(sim_engine_schedule(e, 20, widen_log, w, pl(100 + i), NULL), EDGE_OK);
    cr_assert_eq(sim_engine_schedule_again(e, 10, widen_gen, w, pl(2), NULL), EDGE_OK);
}

/* The running event's seq survives the widening: at 10, C (scheduled
 * first), then A's next run (A's seq), then B, then the 1,100 at 20 in
 * their order. Sequence numbers start at 1,000, so a seq left in the old
 * layout would be read as half of itself and run A's event before C. */
Test(engine, widening_the_keys_keeps_the_order_and_the_running_events_seq)
{
    sim_engine *e = mk();
    static widen_ctx w;
    memset(&w, 0, sizeof w);
    cr_assert_eq(sim__engine_set_seq(e, 1000), EDGE_OK);
    cr_assert_eq(sim_engine_schedule(e, 10, widen_log, &w, pl(1), NULL), EDGE_OK);  /* C */
    cr_assert_eq(sim_engine_schedule(e, 0, widen_gen, &w, pl(0), NULL), EDGE_OK);   /* A */
    cr_assert_eq(sim_engine_schedule(e, 10, widen_log, &w, pl(3), NULL), EDGE_OK);  /* B */
    cr_assert_eq(sim_engine_run(e), EDGE_OK);
    cr_assert_eq(w.log.n, 4 + 1100);
    static const uint64_t first[] = {0, 1, 2, 3};
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(w.log.ids[k], first[k], "position %zu: %lu", k, (unsigned long)w.log.ids[k]);
    for (size_t k = 4; k < w.log.n; k++)
        cr_assert_eq(w.log.ids[k], 100 + (k - 4), "position %zu", k);
    sim_engine_stats s;
    sim_engine_get_stats(e, &s);
    cr_assert_geq(s.bytes, 2048 * 16, "the pool grew past 1,024 records");
    sim_engine_destroy(e);
}
