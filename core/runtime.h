/*
 * runtime.h — the function runtime of one node: instances, keep-alive,
 * invocations.
 *
 * A runtime holds the functions deployed on its node and their instances.
 * An instance is one loaded copy of a function, taking the function's memory
 * from the node's capacity; it is BUSY while it runs one invocation and IDLE
 * (warm) between invocations until its keep-alive runs out. An invocation is
 * two calls, so that it can span virtual time in a simulator:
 *   start(function, now)  takes the most recently used idle instance of the
 *                         function (a warm start) or creates one (a cold
 *                         start), evicting idle instances least recently used
 *                         first when memory is short;
 *   finish(inv, now, ok)  returns the instance to idle and gives the
 *                         invocation metrics record.
 * invoke() does both around a real C handler for synchronous use. Several
 * invocations of one function run at once, each on its own instance.
 *
 * Time. Every call that changes the runtime takes `now`, which must not go
 * backwards (EDGE_RANGE otherwise): the runtime is a small discrete-event
 * model and keeps its state exact at the latest `now` it was given. Each such
 * call first removes the idle instances whose keep-alive ended at or before
 * now, in order of expiry, so that an idle instance is warm at time t iff
 * t < its expiry, whatever the order in which a caller's equal-time events
 * arrive. An instance's expiry is (when it last became idle) + the keep-alive
 * of its function on this runtime; a keep-alive of 0 unloads right after the
 * invocation. edge_runtime_next_expiry() says when to call again (O(1)), so a
 * simulator schedules one expiry event per runtime, not one per instance.
 *
 * Errors. A call that fails returns its code and changes nothing: not even
 * the removal of expired instances (every check is made before anything is
 * touched). invoke()'s EDGE_HANDLER and EDGE_TIMEOUT are outcomes of an
 * invocation that did run, and the runtime records it.
 *
 * Costs (the simulator of issue 4 calls start/finish about a million times a
 * second over 10,000 runtimes): start, finish and warm_up are expected O(1)
 * plus O(log idle) for the expiry heap, plus the instances they remove; the
 * counters are O(1). No allocation in steady state: instance records come
 * from a per-runtime pool that doubles when empty and is reused; handles are
 * two integers. Undeploy is O(idle instances of the function), crash
 * O(instance records).
 *
 * Where instances go when they leave. Every removal (expired, evicted to
 * make room, undeployed, crashed) is reported to the optional removal
 * callback of the config, from inside whichever call removed it; the callback
 * must not call back into this runtime. Crash reports the invocations it
 * fails to a callback of its own. Nothing here allocates per call to report.
 *
 * Keep-alive hooks for policies (issue 5): the default keep-alive is the
 * config's (10 min unless set); a function's own keep-alive overrides it when
 * deployed; edge_runtime_set_keepalive_idx() changes it at any time and
 * re-times the function's idle instances (TTL 0 = unload after execution);
 * warm_up() at a chosen time pre-warms. The runtime accumulates idle memory
 * time (MB x ns of idle instances, until they leave or expire), overall and
 * per function: the "wasted memory" axis on which keep-alive policies are
 * compared.
 */
#ifndef EDGE_RUNTIME_H
#define EDGE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "error.h"
#include "function.h"
#include "ids.h"
#include "time.h"

/* The default keep-alive of an idle instance. */
#define EDGE_KEEPALIVE_DEFAULT (10 * EDGE_MIN)

/* Memory capacity meaning "no limit". */
#define EDGE_MEMORY_UNLIMITED UINT64_MAX

/* Longest message of an edge_exec_error, with the NUL. */
#define EDGE_EXEC_MSG_MAX 256

typedef struct edge_runtime edge_runtime;

/* An invocation in flight: a handle, valid from start until finish or crash
 * (a stale handle is refused with EDGE_STATE, never misread). */
typedef struct {
    uint32_t instance;
    uint32_t gen;
} edge_invocation;

/* What start reports. */
typedef struct {
    edge_invocation invocation;
    bool cold;         /* a new instance was created */
    uint32_t evicted;  /* idle instances evicted to make room (each also reported) */
} edge_start;

/* One finished (or crashed) invocation. A plain value; the id strings are
 * borrowed from the function table and the runtime. */
typedef struct {
    uint32_t function;        /* function index */
    uint32_t node;            /* the config's node_index */
    const char *function_id;
    const char *node_id;
    edge_time start;
    edge_time duration;       /* finish (or crash) time - start */
    bool success;
    bool cold_start;
    uint32_t memory_mb;
    uint64_t tag;             /* what the caller passed to start */
    edge_time instance_created_at; /* when its instance was created (a cold start's
                                      start, or a warm-up) */
} edge_invocation_metrics;

typedef enum {
    EDGE_REMOVED_EXPIRED,     /* keep-alive ran out */
    EDGE_REMOVED_EVICTED,     /* least recently used, made room for a cold start */
    EDGE_REMOVED_UNDEPLOYED,  /* its function was undeployed */
    EDGE_REMOVED_CRASHED      /* the node crashed */
} edge_removal_reason;

/* One instance removed. A plain value, valid during the callback. */
typedef struct {
    uint32_t function;
    const char *function_id;
    uint32_t node;
    uint32_t memory_mb;
    edge_time idle_since;     /* when it last became idle (or finished) */
    edge_time created_at;     /* when it was created (cold start or warm-up):
                                 its lifespan is removed_at - created_at */
    edge_time removed_at;     /* its expiry for EXPIRED, the call's now otherwise */
    edge_removal_reason reason;
} edge_instance_removal;

typedef void (*edge_removal_fn)(void *ctx, const edge_instance_removal *r);

/* Which idle instance of a function serves a warm start. The choice decides
 * which instances keep being used and which run out their keep-alive: at
 * short TTLs it changes cold-start rates several times over. */
typedef enum {
    EDGE_SELECT_MRU,     /* most recently idle (the default): a stack */
    EDGE_SELECT_NEWEST,  /* most recently created; ties to the most recently idle */
    EDGE_SELECT_LRU,     /* longest idle: a queue, every instance kept warm */
    EDGE_SELECT_RANDOM   /* uniform among the idle ones, from the caller's numbers */
} edge_instance_selection;

/* "mru", "newest", "lru", "random"; "unknown" outside the enum. Static. */
const char *edge_instance_selection_name(edge_instance_selection s);
typedef void (*edge_metrics_fn)(void *ctx, const edge_invocation_metrics *m);

/* How a runtime is made. edge_runtime_config_default() fills the defaults. */
typedef struct {
    const char *node_id;          /* required; copied */
    uint32_t node_index;          /* the caller's index of the node (a cluster's),
                                     copied into records; EDGE_NONE if none */
    uint64_t memory_mb;           /* capacity for instances */
    edge_time keepalive;          /* default keep-alive, >= 0 */
    edge_removal_fn on_removal;   /* may be NULL */
    void *removal_ctx;
} edge_runtime_config;

/* Counters, per function and per runtime. A plain value. */
typedef struct {
    uint64_t starts, cold_starts;
    uint64_t warm_ups;
    uint64_t finishes, failures;   /* failures: finished with success false */
    uint64_t crashed;              /* invocations failed by crash */
    uint64_t expired, evicted, undeployed, lost; /* instances removed, by reason
                                                    (lost: by a crash) */
    double idle_mb_ns;             /* MB x ns spent idle, up to the latest now */
} edge_runtime_stats;

/* The C form of EdgeExecutionError: why an invoke failed. Caller-owned, no
 * allocation. */
typedef struct {
    edge_err code;                         /* EDGE_OK after a success */
    char function_id[EDGE_ID_MAX + 1];     /* "" when none was given */
    char message[EDGE_EXEC_MSG_MAX];       /* "" after a success */
} edge_exec_error;

/* A clock for invoke: returns the current time. The caller supplies it, so
 * core never reads a clock. */
typedef edge_time (*edge_clock_fn)(void *ctx);

/* node_id, index EDGE_NONE, unlimited memory, EDGE_KEEPALIVE_DEFAULT, no
 * callback. */
edge_runtime_config edge_runtime_config_default(const char *node_id);

/*
 * A new runtime in *out, owned by the caller (edge_runtime_free), borrowing
 * functions (which must outlive it). Copies cfg and its node id.
 * Errors: EDGE_INVAL (NULL, invalid node id), EDGE_RANGE (negative
 * keep-alive), EDGE_NOMEM. *out untouched on error.
 */
edge_err edge_runtime_new(const edge_function_table *functions, const edge_runtime_config *cfg,
                          edge_runtime **out);

/* Frees the runtime and its instances (no callbacks). Accepts NULL. */
void edge_runtime_free(edge_runtime *rt);

/* ---- Deployment ------------------------------------------------------- */

/*
 * Deploys a function here with its keep-alive (its own, else the default).
 * Errors: EDGE_INVAL, EDGE_NOT_FOUND (not in the table), EDGE_EXISTS (already
 * deployed), EDGE_NOMEM. Expected O(1).
 */
edge_err edge_runtime_deploy(edge_runtime *rt, const char *function_id);
edge_err edge_runtime_deploy_idx(edge_runtime *rt, uint32_t function);

/*
 * Undeploys a function at now: its idle instances are removed (reported
 * UNDEPLOYED); invocations in flight run to their finish, whose instance is
 * then removed rather than kept warm. New starts fail with EDGE_NOT_DEPLOYED.
 * Its counters are kept (and continue if it is deployed again).
 * Errors: EDGE_INVAL, EDGE_RANGE (now went back), EDGE_NOT_FOUND,
 * EDGE_NOT_DEPLOYED.
 */
edge_err edge_runtime_undeploy(edge_runtime *rt, const char *function_id, edge_time now);
edge_err edge_runtime_undeploy_idx(edge_runtime *rt, uint32_t function, edge_time now);

bool edge_runtime_is_deployed(const edge_runtime *rt, uint32_t function);

/*
 * Sets which idle instance serves a warm start from now on (MRU until set).
 * RANDOM draws one uniform 64-bit number from next(ctx) per warm start with
 * more than one idle instance (the caller owns the generator: core draws no
 * random numbers of its own); next may be NULL for the others.
 * Errors: EDGE_INVAL (NULL rt, an unknown selection, RANDOM without next).
 * MRU and LRU cost O(1); NEWEST and RANDOM O(idle instances of the function).
 */
edge_err edge_runtime_set_selection(edge_runtime *rt, edge_instance_selection sel,
                                    uint64_t (*next)(void *ctx), void *ctx);

/* One idle instance, as an instance chooser sees it. A plain value. */
typedef struct {
    uint32_t function;
    uint32_t memory_mb;
    edge_time idle_since;     /* when it last became idle */
    edge_time created_at;     /* when it was created */
    edge_time expires_at;     /* when its keep-alive runs out (> now) */
} edge_idle_instance;

/* Chooses among n idle instances (idle[0..n), borrowed for the call) for a
 * start of `function` at now: returns an index below n, or anything else
 * (EDGE_NONE) for the runtime's own choice. lacking_mb is 0 when choosing
 * which instance serves, and the memory still missing when choosing which
 * instance to evict. */
typedef uint32_t (*edge_instance_choose_fn)(void *ctx, uint32_t function, edge_time now,
                                            uint32_t lacking_mb, const edge_idle_instance *idle,
                                            uint32_t n);

/*
 * Hands two decisions to the caller from now on (NULL: the runtime's own):
 *   serve  a warm start with n >= 2 idle instances of the function: which
 *          serves. idle lists them most recently idle first (0 is MRU); its
 *          own choice is the selection (edge_runtime_set_selection).
 *   evict  a cold start whose memory only evicting frees: which idle instance
 *          goes, asked once per eviction. idle lists every idle instance of
 *          the runtime, of any function, least recently idle first (0 is its
 *          own choice, LRU).
 * ctx is passed back. The callbacks must not call into this runtime.
 * Errors: EDGE_INVAL (NULL rt). Cost: each call builds the list, O(idle
 * instances of the function) for serve, O(idle instances) for evict; the
 * list's memory (one entry per instance record) is the runtime's, grown on
 * a start before anything changes (EDGE_NOMEM from that start if it cannot).
 */
edge_err edge_runtime_set_choosers(edge_runtime *rt, edge_instance_choose_fn serve,
                                   edge_instance_choose_fn evict, void *ctx);

/* ---- Invocations -------------------------------------------------------- */

/*
 * Starts an invocation of a function at now. Warm when the function has an
 * idle instance still within its keep-alive (which one: the selection, by
 * default the most recently used); otherwise cold: a new instance, after evicting idle instances of
 * any function, least recently used first, until its memory fits.
 * tag is any value the caller wants back in the metrics (0 if unused; the
 * simulator passes its own invocation id). On success *out says which.
 * Errors: EDGE_INVAL, EDGE_RANGE (now went back), EDGE_NOT_FOUND,
 * EDGE_NOT_DEPLOYED, EDGE_INSTANCE_LIMIT (a cold start would exceed the
 * function's per-node instance limit: every instance is busy),
 * EDGE_NO_CAPACITY (even with every idle instance evicted the memory would not
 * fit: busy instances hold it), EDGE_NOMEM (the instance pool could not
 * grow).
 */
edge_err edge_runtime_start(edge_runtime *rt, const char *function_id, edge_time now,
                            uint64_t tag, edge_start *out);
edge_err edge_runtime_start_idx(edge_runtime *rt, uint32_t function, edge_time now,
                                uint64_t tag, edge_start *out);

/*
 * A cache hint for a coming start or finish of function (by index): reads and
 * prefetches, changes nothing. Call it twice, some work apart: stage 2
 * prefetches the runtime's look-up fields and reads nothing of rt (a hint
 * that waited for a miss would cost what it saves); stage 1, when those are
 * in cache, prefetches the look-up's line and, on a node of a few functions,
 * their slots. Any rt (NULL too), any function: a wrong guess costs only the
 * loads. No errors.
 */
void edge_runtime_prefetch(const edge_runtime *rt, uint32_t function, int stage);

/*
 * Where a finish of inv will read first, for a caller that prefetches them
 * some work before the finish: the part of the runtime's own record that a
 * start or finish reads (header, header_bytes long: two cache lines), the
 * instance's record and its function's slot. Take it
 * right after the start (all three are in cache then); by the finish it may
 * be stale (a start that grows the pool moves the records), which costs a
 * prefetch only bandwidth: never dereference these. All NULL when inv is
 * not a running instance of rt (or rt is NULL). No errors.
 */
typedef struct edge_runtime_lines {
    const void *header, *instance, *slot;
    size_t header_bytes;
} edge_runtime_lines;
edge_runtime_lines edge_runtime_finish_lines(const edge_runtime *rt, edge_invocation inv);

/*
 * Finishes an invocation at now. Its instance becomes idle (warm) until
 * now + keep-alive; with a keep-alive of 0, or when the function was
 * undeployed meanwhile, it is removed at once (and reported). *out (may be
 * NULL) gets the metrics record.
 * Errors: EDGE_INVAL (NULL rt, handle out of range), EDGE_RANGE (now went
 * back), EDGE_STATE (the invocation already finished or was crashed).
 * Never fails for lack of memory.
 */
edge_err edge_runtime_finish(edge_runtime *rt, edge_invocation inv, edge_time now,
                             bool success, edge_invocation_metrics *out);

/*
 * Pre-warms: creates an idle instance of a function at now, warm until
 * now + keep-alive, so that the next start is warm. Always a new instance
 * (call it k times for k warm instances). It only uses free memory: pre-warming
 * is speculative, so it never evicts another function's warm instance.
 * Errors: EDGE_INVAL, EDGE_RANGE, EDGE_NOT_FOUND, EDGE_NOT_DEPLOYED,
 * EDGE_INSTANCE_LIMIT, EDGE_NO_CAPACITY (not enough free memory), EDGE_NOMEM.
 */
edge_err edge_runtime_warm_up(edge_runtime *rt, const char *function_id, edge_time now);
edge_err edge_runtime_warm_up_idx(edge_runtime *rt, uint32_t function, edge_time now);

/*
 * Removes every idle instance whose keep-alive ended at or before now (in
 * order of expiry, each reported to the removal callback as EXPIRED) and
 * brings the runtime to now. *removed (may be NULL) gets how many.
 * Errors: EDGE_INVAL, EDGE_RANGE (now went back).
 */
edge_err edge_runtime_expire(edge_runtime *rt, edge_time now, size_t *removed);

/* The earliest expiry among idle instances, EDGE_TIME_MAX when none. O(1). */
edge_time edge_runtime_next_expiry(const edge_runtime *rt);

/*
 * The node crashed at now: expired instances are removed first (EXPIRED),
 * then every invocation in flight fails — on_failed (may be NULL) gets its
 * metrics record, success false, duration up to now — and every idle
 * instance is lost (reported CRASHED). Deployments stay. *failed (may be
 * NULL) gets the number of failed invocations; their handles turn stale.
 * Reports come in instance-record order. Errors: EDGE_INVAL, EDGE_RANGE.
 */
edge_err edge_runtime_crash(edge_runtime *rt, edge_time now, edge_metrics_fn on_failed,
                            void *ctx, size_t *failed);

/*
 * Sets the keep-alive of a deployed function at now, and re-times its idle
 * instances: each now expires at (when it became idle) + ttl, or at now if
 * that has passed (then it is removed at once, reported EXPIRED).
 * Errors: EDGE_INVAL (NULL, ttl < 0), EDGE_RANGE, EDGE_NOT_FOUND,
 * EDGE_NOT_DEPLOYED. O(idle instances of the function x log).
 */
edge_err edge_runtime_set_keepalive_idx(edge_runtime *rt, uint32_t function, edge_time ttl,
                                        edge_time now);

/* The keep-alive of a deployed function; -1 when it is not deployed. */
edge_time edge_runtime_keepalive(const edge_runtime *rt, uint32_t function);

/*
 * Invokes a function synchronously: takes now from clock, starts, runs the
 * handler with args, takes now again, finishes. The invocation fails when the
 * handler returns non-zero (EDGE_HANDLER, with its message) or took longer
 * than the function's timeout (EDGE_TIMEOUT: exactly the timeout is fine; a
 * running handler cannot be stopped, so this is found after it returns). On
 * success *result gets the handler's result (possibly NULL), which the caller
 * frees with cJSON_Delete; on failure *result is NULL. *error (may be NULL)
 * says what failed, or has code EDGE_OK. *metrics (may be NULL) gets the
 * record whenever the invocation ran.
 * Errors that mean nothing ran and nothing changed: EDGE_INVAL (NULL rt, id,
 * clock or result; a function without handler), EDGE_NOT_FOUND (unknown
 * function), and start's errors (EDGE_NOT_DEPLOYED, EDGE_RANGE, ...).
 * A clock that goes back during the call is read as not having moved.
 */
edge_err edge_runtime_invoke(edge_runtime *rt, const char *function_id, const cJSON *args,
                             edge_clock_fn clock, void *clock_ctx, cJSON **result,
                             edge_exec_error *error, edge_invocation_metrics *metrics);

/* ---- Counters (all O(1); function is an index) -------------------------- */

const char *edge_runtime_node_id(const edge_runtime *rt);
uint32_t edge_runtime_node_index(const edge_runtime *rt);
/* The latest now the runtime was given; INT64_MIN before the first. */
edge_time edge_runtime_now(const edge_runtime *rt);
uint64_t edge_runtime_memory_capacity(const edge_runtime *rt);
uint64_t edge_runtime_memory_used(const edge_runtime *rt);   /* busy + idle */
uint64_t edge_runtime_memory_free(const edge_runtime *rt);
uint64_t edge_runtime_memory_idle(const edge_runtime *rt);
/* Invocations in flight (busy instances). */
uint32_t edge_runtime_in_flight(const edge_runtime *rt);
/* The tags (what edge_runtime_start was given) of the invocations in flight,
 * in instance-record order: the first min(cap, in flight) into out (the
 * caller's array; NULL is fine when cap is 0). Returns how many are in
 * flight. Reads only; O(instance records). */
size_t edge_runtime_busy_tags(const edge_runtime *rt, uint64_t *out, size_t cap);
uint32_t edge_runtime_idle_total(const edge_runtime *rt);
/* Idle (warm) and busy instances of a function; 0 when not deployed. Exact
 * as of the latest now: call edge_runtime_expire(rt, now) first to see the
 * warm count at a later now. */
uint32_t edge_runtime_idle_count(const edge_runtime *rt, uint32_t function);
uint32_t edge_runtime_busy_count(const edge_runtime *rt, uint32_t function);

/* Counters over the runtime's life, idle memory time up to the latest now:
 * the sums of its functions' counters (edge_runtime_function_stats), added
 * up at each call, O(functions ever deployed on it). For reports and
 * warm-up, not for a per-invocation path. */
edge_runtime_stats edge_runtime_stats_total(const edge_runtime *rt);
/* The same for one function (kept across undeploy). Errors: EDGE_INVAL,
 * EDGE_NOT_FOUND (not in the table), EDGE_NOT_DEPLOYED (never deployed here). */
edge_err edge_runtime_function_stats(const edge_runtime *rt, uint32_t function,
                                     edge_runtime_stats *out);

#endif
