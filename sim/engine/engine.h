/*
 * engine.h — the virtual clock and its event queue.
 *
 * Every simulated happening is an event: a time, a handler (function
 * pointer), a context pointer and a 16-byte inline payload. The engine runs
 * events in a documented total order and never reads the wall clock.
 *
 * THE ORDER CONTRACT. Events run in increasing (time, seq), where seq is a
 * counter taken when the event is scheduled. So events at equal times run in
 * the order they were scheduled, and an event a handler schedules for `now`
 * runs after every event already queued for `now` (it has a larger seq),
 * unless the handler schedules it with sim_engine_schedule_again, which
 * hands the running event's seq on to it (a generator's next event). The
 * clock never goes back: schedule(at) with at < now is an error. There is no
 * priority class and no exception to this order.
 *
 * THE WORKLOAD it is built for: a few thousand to a few million pending
 * events, most handlers scheduling one or two new events, a minority of
 * events cancelled (timeouts that did not fire). PHOLD (`edgesim bench phold`)
 * is the yardstick.
 *
 * DESIGN, chosen by measurement against ../shared/bench/phold-ref.c built
 * and run in the same session (`make bench`; gcc 12 -O2, 2-core Xeon VM,
 * 2 MB L2 per core). phold-ref's queues at 1 k / 16 k / 64 k pending, M
 * events/s: 4-ary heap (dheap4) 25.0 / 18.5 / 15.3, its cache-aligned twin
 * the same, 4-ary keys + 64-byte pooled records (pool4) 23.5 / 16.9 / 14.1,
 * binary heap 15.4 / 11.4 / 9.8 (hold-fused: +3%), calendar queue 21.3 /
 * 18.3 / 13.4, ladder queue 28.2 / 27.9 / 17.9, pairing heap 10.8 / 6.1 /
 * 3.4. This engine, with a handler call per event: 25.8 / 18.5 / 14.7, i.e.
 * 104% / 104% / 99% of dheap4 in the same run. (Later runs on the CPU clock
 * found it at 82-90% of dheap4 and 36 bytes per pending event; the inline
 * payloads, the written-out cmovs, the sift's fetches ahead and the short
 * schedule path below brought it, in four runs of `make bench`'s first
 * table on the shared machine, to 0.94-1.10 of dheap4 at 1 k pending,
 * 1.03-1.19 at 16 k and 1.10-1.17 at 64 k, with 16 bytes per pending
 * PHOLD event.)
 *  - The queue is a 4-ary min-heap of 16-byte keys {time, seq | slot |
 *    handler} held inline in one array placed so the four children of a
 *    node share one cache line: a sift compares keys side by side and never
 *    follows a pointer. seq, slot and an 8-bit handler index share one
 *    64-bit word (b = bits for the slot, grown with the pool); when seq runs
 *    out of its bits (after about 2^36 schedules) or the pool outgrows b,
 *    the keys are renumbered in order, which the heap allows because a
 *    sorted array is a heap.
 *  - The least of four children is found with conditional moves, not
 *    branches (the winner is a coin toss): written out as cmp, sbb and
 *    cmovb on x86-64 (pick_min in engine.c), as gcc 12 compiled most C
 *    shapes of it to branches (45-60% speed) and the one it did not to a
 *    rolled loop (~66 instructions per level against ~47).
 *  - Each level of a sift fetches the four cache lines of the next (the
 *    16 grandchildren are contiguous), so a heap beyond L1 does not wait
 *    for L2 level by level: PHOLD at 64 k pending +30%. Heaps within L1
 *    (2048 keys) sift without the fetches.
 *  - An event whose payload is only a small `a` (id and b zero, a below
 *    2^b, with b at least the bits of the capacity hint), scheduled with
 *    out == NULL and not by schedule_again, has no record: its key carries
 *    a in the slot's place, with a flag bit above it. Nobody holds a handle
 *    to it, so it is never cancelled and needs no generation either: such
 *    an event costs its 16-byte key and nothing else, as in the reference's
 *    heap of {time, destination}. PHOLD's events are all of this kind, and
 *    so are a world's per-node ticks below 2^b nodes. (Measured in the
 *    commit that made it: PHOLD at 64 k pending from 36 to 16 bytes per
 *    pending event; see `make bench`.) The order is unchanged: such a key
 *    has a fresh seq, so no other key ties with it on (time, seq).
 *  - Any other event's record is its 16-byte payload, in a pool of fixed
 *    1024-record chunks: it grows in chunks, never moves a record and never
 *    allocates per event in steady state. The handler and context are a
 *    (handler, context) pair named by the key's handler index: a table of
 *    the first 255 distinct pairs scheduled (a run has a few dozen: the
 *    world's handlers with the world as context), looked up at schedule
 *    through a 256-entry cache; past 255, the pair is kept beside the
 *    record (16 bytes per record, allocated only then). Whether a record
 *    holds a pending event is its generation's parity (odd: it does; a
 *    tombstone is even). A freed record goes on a LIFO free list and is
 *    freed before its handler runs, so the event a handler schedules
 *    usually takes the record still in cache. (Records were 32 bytes
 *    {handler, context, payload} with the same generation array: 52 bytes
 *    per pending event, 3.3 MB at 64 k, against a 1 MiB L2; now 36.
 *    Callgrind on PHOLD 4096 x 16, a 1 MiB last level: instructions +4%,
 *    its misses -10%; events per CPU second unchanged within the noise of
 *    a shared machine. Under 32 bytes is not reachable this way: the key's
 *    16 and the payload's 16 are 32 before a handle's generation.)
 *  - Code layout matters on this CPU (Intel's JCC erratum): without the
 *    Makefile's -Wa,-mbranches-within-32B-boundaries the same source ran at
 *    79-104% of dheap4 depending on where the linker put it.
 *  - While a handler runs, the next event's record is prefetched (11.2 ->
 *    14.7 M/s at 64 k pending, where the pool no longer fits in L2).
 *  - The run loop fuses the pop of the running event with the first push its
 *    handler makes ("hold": replace the root, sift down once). When that
 *    push is an inline event for the running (handler, context), as with
 *    PHOLD or a generator, sim_engine_schedule takes a short path: the pair
 *    index is the running one's, and no record, growth or peak applies.
 *  - Cancellation is a tombstone: the record's generation moves on (to
 *    even), its handle goes stale at once, and the key is dropped when it reaches the top. When tombstones
 *    outnumber half the live events (+256) the heap is compacted (O(n),
 *    amortized O(1) per cancel), so they cost at most 1.5x memory.
 *  - Handles are {slot, generation}: the generation moves on each time the
 *    record is taken and each time its event runs or is cancelled, so a stale handle is recognized and cancelling it is a
 *    safe no-op, even after the record has been reused.
 *  - Opt-in (sim_engine_set_far): a far tier of coarse time buckets in
 *    front of the heap, for runs with many events far ahead (a trace
 *    replay's next arrival per function). It keeps each key's (time, seq),
 *    so the FIFO tie order is kept exactly; only the heap gets smaller.
 *    A bucket drained into the heap frees its array (a kept one held the
 *    room of its fullest visit forever: scale.json's far tier grew from 5
 *    to 147 MB over 40 minutes). (Dropping a bucket's tombstones on its
 *    way into the heap was tried: no change in instructions or CPU time on
 *    routing.json, whose cancelled timeouts are mostly compacted away
 *    before their bucket comes up.)
 *  - Opt-in (sim_engine_set_prefetch): a hint naming the next two events,
 *    so the owner can prefetch their state (latency-bound replays).
 * Turned down: the binary heap (60% of the 4-ary heap, measured above); the
 * ladder and calendar queues: the ladder is faster on PHOLD's smooth
 * exponential times, but both need tuning to the time distribution, can
 * degrade on the clustered times of heartbeats and periodic timers, and
 * would need extra work to keep the FIFO tie order, while the 4-ary heap is
 * O(log n) whatever the times and already meets the target; the pairing
 * heap (pointer chasing: 3-5x slower at 64 k); Floyd's bottom-up sift for
 * the fused pop and push (the hole to a leaf, then the key up: -1% of
 * PHOLD's instructions at 64 k, but +11% of schedule's on routing.json,
 * whose new keys land mid-heap); an index-tracking heap for
 * true removal on cancel (not built: every sift step would also write a
 * heap position into a record in another cache line, a cost on the common
 * path paid for the rarer cancel, which tombstones make O(1)).
 *
 * COSTS. schedule O(log4 n), cancel O(1), running an event O(log4 n);
 * memory 16 bytes per pending event with a small payload and no handle (its
 * key), 36 for any other (16-byte record + 4-byte generation + 16-byte
 * key), plus slack up to one chunk of records and a doubled heap array,
 * and 4 KB for the pair table.
 *
 * An engine is single-threaded and not reentrant: handlers may schedule,
 * cancel, stop and read the clock, but not run the engine.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef struct sim_engine sim_engine;

/* The inline payload: 16 bytes copied with the event. By convention a
 * simulator of invocations puts an invocation id in `id` and a node and a
 * function index in `a` and `b`; `ptr` shares storage with `id`. */
typedef struct sim_payload {
    union {
        uint64_t id;
        void *ptr;
    };
    uint32_t a, b;
} sim_payload;

/* What a handler is told about the event that is running. */
typedef struct sim_event {
    edge_time time;      /* the event's time; sim_engine_now() equals it */
    sim_payload payload; /* a copy of what was scheduled */
} sim_event;

/* A handler runs once per event. It may schedule, cancel, stop and fail, but
 * not run the engine. ev is valid only during the call. */
typedef void (*sim_handler)(sim_engine *e, void *ctx, const sim_event *ev);

/* A handle names a scheduled event for cancel: {slot, generation}. Zero
 * (SIM_HANDLE_NONE) names nothing. A handle stays safe to use forever; it
 * goes stale when its event runs or is cancelled. (The generation is 32
 * bits and moves by two per use: a handle kept across 2^31 reuses of one
 * record could alias; no simulation keeps a stale handle that long.) */
typedef struct sim_handle {
    uint64_t v;
} sim_handle;
#define SIM_HANDLE_NONE ((sim_handle){0})

typedef struct sim_engine_stats {
    uint64_t scheduled; /* successful schedule calls */
    uint64_t run;       /* handlers called */
    uint64_t cancelled; /* successful cancels */
    size_t pending;     /* scheduled, neither run nor cancelled */
    size_t peak_pending;
    size_t bytes;       /* pool + queue memory held now */
} sim_engine_stats;

/* Most events the engine can hold at once: the key's low 64 bits hold the
 * sequence number, the slot (and the flag of a payload kept in its place)
 * and an 8-bit handler index, and the sequence number needs a few times as
 * many values as there are pending events (so that renumbering is rare):
 * 27 bits of slot and the flag leave it 28. (134 million pending events
 * take about 5 GB.) */
#define SIM_ENGINE_MAX_PENDING ((size_t)1 << 27)

/* Creates an engine at time 0 with room for capacity_hint pending events
 * (0: a default of 1024; it grows on demand either way): a heap of that
 * size; the pool of records starts empty and grows a chunk at a time as
 * events that need one are scheduled. The hint also sets how large a
 * payload's `a` may be and still be kept in the key (see DESIGN): below
 * 2^b, b the bits of max(hint, 1024). Returns NULL when out of memory.
 * Caller frees with sim_engine_destroy. */
sim_engine *sim_engine_create(size_t capacity_hint);

/* Frees e and every pending event (their handlers are not called; contexts
 * are the caller's). NULL is fine. Not from inside a handler. */
void sim_engine_destroy(sim_engine *e);

/*
 * Schedules fn(e, ctx, {at, payload}) at time at. The payload is passed by
 * value (two registers) and copied into the event; `(sim_payload){0}` when
 * there is none. (By value, not by pointer: a caller that builds the payload
 * field by field on its stack made the 16-byte copy stall on store
 * forwarding, measured at 5% of PHOLD's time.)
 * Writes the event's handle to *out when out is not NULL.
 * Errors: EDGE_INVAL when at < now or fn is NULL; EDGE_NOMEM when the pool
 * or the heap cannot grow; EDGE_LIMIT past SIM_ENGINE_MAX_PENDING. On error
 * nothing is scheduled and *out is left alone.
 * Cost: O(log n), no allocation unless the heap or the pool grows (then
 * one chunk). With out == NULL and a payload of only a small `a`, the
 * event takes no record (see DESIGN); that changes nothing a caller sees.
 */
edge_err sim_engine_schedule(sim_engine *e, edge_time at, sim_handler fn, void *ctx,
                             sim_payload payload, sim_handle *out);

/*
 * From a handler: as sim_engine_schedule, but the new event takes the
 * running event's sequence number instead of a fresh one, so among events
 * at equal times it keeps the running event's place: it runs before every
 * event scheduled after the running event was. A source that generates its
 * events one at a time (each schedules the next: a burst's arrivals, with
 * O(1) memory) thus runs them in exactly the order they would have had if
 * the first had scheduled all of them at once. at must not be before the
 * running event's time (EDGE_INVAL). EDGE_STATE outside a handler; other
 * errors as sim_engine_schedule. Renumbering keeps this seq in order too.
 */
edge_err sim_engine_schedule_again(sim_engine *e, edge_time at, sim_handler fn, void *ctx,
                                   sim_payload payload, sim_handle *out);

/* As sim_engine_schedule at now + delay. EDGE_INVAL when delay < 0,
 * EDGE_RANGE when now + delay overflows edge_time. */
edge_err sim_engine_schedule_in(sim_engine *e, edge_time delay, sim_handler fn, void *ctx,
                                sim_payload payload, sim_handle *out);

/*
 * Cancels the event h names, if it is still pending: it will never run.
 * Returns true when it was pending and is now cancelled; false, doing
 * nothing, when h is SIM_HANDLE_NONE, stale (the event already ran or was
 * cancelled, even if its record has since been reused) or was never issued
 * by e. O(1) (a tombstone; see the design notes).
 */
bool sim_engine_cancel(sim_engine *e, sim_handle h);

/* True when h names an event that is still pending. O(1). */
bool sim_engine_is_pending(const sim_engine *e, sim_handle h);

/*
 * TIMERS. A timer is an event kept beside the queue, not in it: its handler
 * and context are fixed when it is made, its payload is empty, and it is
 * pending at one time or not at all. Setting it again moves it in O(1),
 * where a cancel and a schedule cost a tombstone and a heap insertion (two
 * sifts of the heap, one when the tombstone surfaces): the network's one
 * event at its next finish moves at most flow starts and ends, more than
 * once a transfer. A set takes the next seq, exactly as the schedule it
 * stands for would (a move is a cancel and a schedule), so THE ORDER
 * CONTRACT holds as written: the timer runs among the events of its time in
 * the order it was set. The counters count a set as a schedule, a move or a
 * clear of a pending timer as a cancel, a timer that fires as a run, and a
 * pending timer as pending. At most SIM_ENGINE_TIMERS per engine, for its
 * life (they are not freed before it).
 */
#define SIM_ENGINE_TIMERS 4
typedef struct sim_timer {
    uint32_t v; /* 1 + its index; 0: none */
} sim_timer;

/* Makes a timer (not pending) that calls fn(e, ctx, {its time, zero
 * payload}) into *out. EDGE_INVAL when fn is NULL, EDGE_LIMIT when the
 * engine has SIM_ENGINE_TIMERS already; *out is left alone then. */
edge_err sim_engine_timer_create(sim_engine *e, sim_handler fn, void *ctx, sim_timer *out);

/* Makes timer t pending at `at` (moving it if it was), with the next seq.
 * EDGE_INVAL when at < now or t is not one of e's timers (nothing changes).
 * O(SIM_ENGINE_TIMERS). */
edge_err sim_engine_timer_set(sim_engine *e, sim_timer t, edge_time at);

/* Makes timer t not pending; true when it was. O(SIM_ENGINE_TIMERS). */
bool sim_engine_timer_clear(sim_engine *e, sim_timer t);

/* True when timer t is pending, its time into *at (when at is not NULL). */
bool sim_engine_timer_pending(const sim_engine *e, sim_timer t, edge_time *at);

/*
 * LANES. A lane is a queue of events beside the heap, for events a module
 * schedules at one fixed delay from now, whose times therefore never
 * decrease in the order they are scheduled (the network's propagation
 * waits: one delay per path). A push appends to the lane in O(1), where a
 * schedule sifts a key up a heap of every pending event and the run pops
 * it down again; the run loop takes a lane's first event when it comes
 * first. A push takes the next seq as the schedule it stands for would, so
 * THE ORDER CONTRACT holds as written. Events in a lane cannot be
 * cancelled (no handle) and have the lane's handler and context and their
 * own payload. The counters count a push as a schedule, its event as a run
 * and as pending until then. At most SIM_ENGINE_LANES per engine, for its
 * life.
 */
#define SIM_ENGINE_LANES 8
typedef struct sim_lane {
    uint32_t v; /* 1 + its index; 0: none */
} sim_lane;

/* Makes an empty lane whose events call fn(e, ctx, {time, payload}) into
 * *out. EDGE_INVAL when fn or out is NULL, EDGE_LIMIT when the engine has
 * SIM_ENGINE_LANES already; *out is left alone then. */
edge_err sim_engine_lane_create(sim_engine *e, sim_handler fn, void *ctx, sim_lane *out);

/* Schedules fn(e, ctx, {at, payload}) in lane. EDGE_INVAL when at < now or
 * lane is not one of e's; EDGE_RANGE when at is before the time of the
 * lane's last pending event (the caller schedules it instead); EDGE_NOMEM
 * when the lane cannot grow. Nothing is scheduled on error. O(1)
 * amortized; the lane's memory doubles when full and is kept. */
edge_err sim_engine_lane_push(sim_engine *e, sim_lane lane, edge_time at, sim_payload payload);

/*
 * Runs events in order while the next one's time is <= t (events at exactly
 * t run), then sets the clock to t, unless the run was stopped, in which
 * case the clock stays at the last event run.
 * Returns EDGE_OK; the code given to sim_engine_fail by a handler; EDGE_INVAL
 * when t < now; EDGE_STATE when called from a handler.
 */
edge_err sim_engine_run_until(sim_engine *e, edge_time t);

/* Runs the next event if its time is <= t (and nothing else: the clock
 * moves to that event's time, never to t); *ran (may be NULL) says whether
 * one ran. The embedding API's step. Errors as sim_engine_run_until. */
edge_err sim_engine_step(sim_engine *e, edge_time t, bool *ran);

/* Runs until no event is pending or a handler stops the run; the clock
 * stays at the last event's time. Errors as sim_engine_run_until. */
edge_err sim_engine_run(sim_engine *e);

/*
 * Turns on the far tier: events more than one bucket of 2^shift ns ahead
 * of the current one wait unsorted in a ring of 1024 such buckets (or an
 * overflow list beyond it) instead of the heap, and enter the heap a bucket
 * at a time, when it runs empty. The order of events is exactly the same
 * (keys keep their (time, schedule order)); what changes is the heap's
 * size: a trace replay keeps one pending arrival per function (40,000+),
 * nearly all minutes ahead, and each push and pop of a 4-ary heap that size
 * walked 8 levels. Choose the bucket so that one holds some hundreds to a
 * thousand events (the world picks it from the scenario's estimated event
 * rate, sim/model/world_build.c). shift 0 turns it off. Memory: the far
 * tier holds the arrays of the buckets that have keys, never more than its
 * pending keys need (times the growth slack of 2); a drained bucket gives
 * its array back.
 * Errors: EDGE_STATE when events are pending or from a handler; EDGE_INVAL
 * when shift >= 63; EDGE_NOMEM.
 */
edge_err sim_engine_set_far(sim_engine *e, unsigned shift);

/*
 * A hint for the owner of the handlers: just before an event's handler
 * runs, the engine calls fn with the event most likely to run after it
 * (ahead 1: its context, handler and the event itself), and first with the
 * one most likely to run after that (ahead 2); only while at least 4 more
 * events are pending. Both calls also name the event about to run (its
 * handler, any owner's, and the event): what it will change can make the
 * owner's guess of what the next one touches better (a scheduler's pick).
 * The owner can prefetch what those handlers will touch while the current
 * one runs: at ahead 2 the lines it needs first, at ahead 1 (the same event
 * one handler later) what they point to. The hint may be wrong (the running
 * handler can schedule something earlier, or cancel it); fn must not change
 * any state, only read and prefetch. NULL (the default) turns it off. Its point: a
 * trace replay keeps per-function state for 40,000+ functions, far beyond
 * L2, and each event touches a dozen of its lines; prefetched one event
 * ahead, their misses overlap with the running handler.
 */
typedef void (*sim_prefetch_fn)(void *ctx, sim_handler next, const sim_event *ev, int ahead,
                                sim_handler running, const sim_event *now);
void sim_engine_set_prefetch(sim_engine *e, sim_prefetch_fn fn);

/* Most handlers sim_engine_prefetch_only takes. */
#define SIM_PREFETCH_ONLY_MAX 4

/*
 * The hint only for events of the handlers fns[0..n) (n <= 4), the ones the
 * owner prefetches for: the others' payloads are then not read at all (an
 * event's record two ahead is itself a likely miss; with many events of
 * other handlers, such as a network's, reading theirs cost more than the
 * hint saved). n = 0: every handler (the default). Returns EDGE_INVAL when
 * n is past SIM_PREFETCH_ONLY_MAX (nothing changed).
 */
edge_err sim_engine_prefetch_only(sim_engine *e, const sim_handler *fns, size_t n);

/* A flag the run reads after every event (one load and a branch): once
 * *flag is nonzero the run stops as sim_engine_stop makes it (returns
 * EDGE_OK, the clock at the last event run, the pending events kept). The
 * owner of the engine tells a stopped run from a finished one by the flag.
 * The flag is borrowed (a signal handler's, sim/common/interrupt.h; it must
 * outlive the engine); NULL (the default) turns it off. */
void sim_engine_set_interrupt(sim_engine *e, const volatile sig_atomic_t *flag);

/* From a handler: the run returns after this handler (the pending events
 * stay queued; a later run goes on from there). Outside a run: no effect. */
void sim_engine_stop(sim_engine *e);

/* From a handler: stops the run as sim_engine_stop does and makes it return
 * err (a handler's way to report, e.g., EDGE_NOMEM from a schedule). The
 * first code wins. Outside a run: no effect. */
void sim_engine_fail(sim_engine *e, edge_err err);

/* The virtual clock. O(1). */
edge_time sim_engine_now(const sim_engine *e);

/* Events pending (scheduled, not run, not cancelled). O(1). */
size_t sim_engine_pending(const sim_engine *e);

/* The time of the next pending event in *out; false (and *out untouched)
 * when none is pending. May drop tombstones from the top. */
bool sim_engine_next_time(sim_engine *e, edge_time *out);

/* Whether an event other than the running one is pending at a time <=
 * now (outside a run: any at <= now), as sim_engine_next_time(e, &t) && t
 * <= now would say, but without popping the running event's held key: it
 * looks at the root's children while the running key is held, at the root
 * otherwise, and falls back to sim_engine_next_time only when one of those
 * at <= now is a cancelled event. O(1) then. (A handler asks it to learn
 * whether it is the last event of its instant.) May drop tombstones. */
bool sim_engine_due_now(sim_engine *e);

/* Counters and memory; O(1). */
void sim_engine_get_stats(const sim_engine *e, sim_engine_stats *out);

/* For tests only: sets the next sequence number, to exercise renumbering
 * when the sequence runs out of bits. Returns EDGE_INVAL if seq is below
 * the current one (that would break the order). */
edge_err sim__engine_set_seq(sim_engine *e, uint64_t seq);

#endif
