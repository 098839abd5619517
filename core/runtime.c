#include "runtime.h"

#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "idmap.h"
#include "util.h"

/*
 * Layout. Instance records live in one pool array (rt->pool) indexed by a
 * uint32_t; a record is FREE (on the free list through `next`), IDLE or BUSY.
 * A record is 64 bytes (a busy instance's tag shares its place with an idle
 * one's seq) and the pool is line-aligned, so each record is one cache line:
 * the 72-byte records straddled two. On routing.json (1,000 nodes x 100
 * functions, every start and finish touching records and their list
 * neighbours) callgrind counts 27.58 M -> 26.99 M L1 data misses (-2.1%;
 * make_idle's write misses -35%, unlink_idle's read misses -73%) and
 * 1,641 -> 1,638 M instructions, outputs byte-identical.
 * Idle instances are on three structures at once:
 *   - the runtime's LRU list (prev/next; head = most recently idle), which
 *     eviction walks from the tail;
 *   - their function's idle list (fprev/fnext; head = most recent), which
 *     start takes from at the head;
 *   - a binary min-heap by (expires_at, seq) (heap_pos), whose top is the
 *     next expiry. Each heap entry carries its instance's expires_at, so
 *     that a sift compares entries without reading the records (at 1,000
 *     nodes of 100 warm functions each the records are not in cache: under
 *     perf, reading them was most of the time of the sifts and of reap);
 *     only equal expiries read the records' seq.
 * Because a function's instances share one keep-alive and become idle at
 * non-decreasing times, the head of a function's idle list also has the
 * latest expiry: if it is expired, they all are. That is what makes "is
 * there a warm instance" O(1) and lets start check everything before it
 * changes anything.
 * Per deployed function there is a slot (rt->slots, found from the function
 * index through an idmap); slots are never freed, so a function's counters
 * survive undeploy and redeploy.
 */

enum { INST_FREE, INST_IDLE, INST_BUSY };

typedef struct {
    edge_time since;      /* busy: start time; idle: when it became idle */
    edge_time expires_at; /* idle only */
    edge_time born;       /* when the instance was created (lifespans) */
    union {
        uint64_t seq;     /* idle: order of becoming idle (ties of expires_at) */
        uint64_t tag;     /* busy: the caller's tag of the invocation */
    };
    uint32_t slot;
    uint32_t gen;
    uint32_t heap_pos;
    uint32_t prev, next;
    uint32_t fprev, fnext;
    uint8_t state;
    bool cold;
} inst;
_Static_assert(sizeof(inst) == 64, "an instance record is one cache line");

/* A function's slot: what a start or finish of it reads and writes first
 * (the first 96 bytes, counters included), then what only a removal needs. */
typedef struct {
    uint32_t index;
    uint32_t mem;
    uint32_t max_instances;
    uint32_t idle, busy;
    uint32_t idle_head, idle_tail;
    bool deployed;
    edge_time keepalive;
    double acc;           /* idle MB x ns integrated up to acc_time */
    edge_time acc_time;
    edge_runtime_stats st;
    const edge_function *fn;
} slot;

/* The runtime's record, line-aligned. A start or a finish reads and writes
 * the fields of its first two 64-byte lines (down to `capacity`): at 10,000
 * nodes no runtime stays in cache from one invocation of its node to the
 * next, so each line of them is a miss per start and per finish (the old
 * layout spread them over all six of its lines). What a cold start, the
 * choosers, the callbacks and the reports read comes after. The runtime's
 * own counters are not kept: each is the sum of its slots' (slots are never
 * freed), which edge_runtime_stats_total adds up, so an invocation counts
 * itself once. */
struct edge_runtime {
    edge_time now;
    uint64_t used_mb, busy_mb, idle_mb;
    uint64_t seq;
    double acc;
    edge_time acc_time;
    uint8_t selection;    /* an edge_instance_selection */
    uint8_t choosers;     /* choose_serve or choose_evict is set */
    /* second line */
    slot *slots;
    uint32_t *slot_fn;    /* slot_fn[i] = slots[i].index: a packed copy that a
                             look-up scans without touching the slots */
    inst *pool;           /* 64-byte records, each on its own line (pool_mem) */
    struct hent *heap;    /* capacity cap_pool: it can never overflow */
    uint32_t n_slots, cap_pool;
    uint32_t free_head, n_heap;
    uint32_t lru_head, lru_tail;
    uint32_t n_busy, n_idle;
    /* the rest: cold starts, look-ups past SLOT_SCAN_MAX, removals, set-up */
    uint64_t capacity;
    const edge_function_table *functions;
    edge__idmap by_fn;
    char *node_id;
    uint32_t node_index;
    uint32_t cap_slot_fn, cap_slots;
    edge_time keepalive;
    edge_removal_fn on_removal;
    void *removal_ctx;
    uint64_t (*rand_next)(void *ctx);
    void *rand_ctx;
    edge_instance_choose_fn choose_serve, choose_evict; /* NULL: our own */
    void *choose_ctx;
    edge_idle_instance *view;  /* the list a chooser sees, and which record each is */
    uint32_t *view_inst;
    uint32_t view_cap;
    void *block;          /* the allocation the record is aligned in (freed) */
    void *pool_mem;       /* the allocation pool is aligned in (freed) */
};

#define LINE 64
#define HOT_BYTES offsetof(edge_runtime, capacity)
_Static_assert(offsetof(edge_runtime, slots) == LINE, "the first line: times and totals");
_Static_assert(HOT_BYTES == 2 * LINE, "a start or finish reads two lines of the record");

#define POOL_MIN 16

edge_runtime_config edge_runtime_config_default(const char *node_id)
{
    return (edge_runtime_config){
        .node_id = node_id,
        .node_index = EDGE_NONE,
        .memory_mb = EDGE_MEMORY_UNLIMITED,
        .keepalive = EDGE_KEEPALIVE_DEFAULT,
    };
}

edge_err edge_runtime_new(const edge_function_table *functions, const edge_runtime_config *cfg,
                          edge_runtime **out)
{
    if (!functions || !cfg || !out || edge__check_name(cfg->node_id))
        return EDGE_INVAL;
    if (cfg->keepalive < 0)
        return EDGE_RANGE;
    /* on a line boundary, so that the hot fields take two lines, not three */
    void *block = edge__calloc(1, sizeof(edge_runtime) + LINE - 1);
    if (!block)
        return EDGE_NOMEM;
    edge_runtime *rt = (edge_runtime *)(((uintptr_t)block + LINE - 1) & ~(uintptr_t)(LINE - 1));
    rt->block = block;
    if (!(rt->node_id = edge__strdup(cfg->node_id)))
        goto fail;
    rt->functions = functions;
    rt->node_index = cfg->node_index;
    rt->capacity = cfg->memory_mb;
    rt->keepalive = cfg->keepalive;
    rt->on_removal = cfg->on_removal;
    rt->removal_ctx = cfg->removal_ctx;
    rt->now = INT64_MIN;
    rt->acc_time = INT64_MIN;
    rt->free_head = rt->lru_head = rt->lru_tail = EDGE_NONE;
    *out = rt;
    return EDGE_OK;
fail:
    edge_runtime_free(rt);
    return EDGE_NOMEM;
}

void edge_runtime_free(edge_runtime *rt)
{
    if (!rt)
        return;
    edge__free(rt->node_id);
    edge__free(rt->slots);
    edge__free(rt->slot_fn);
    edge__idmap_free(&rt->by_fn);
    edge__free(rt->pool_mem);
    edge__free(rt->heap);
    edge__free(rt->view);
    edge__free(rt->view_inst);
    edge__free(rt->block);
}

/* ---- Slots ----------------------------------------------------------------- */

static bool slot_eq(const void *ctx, uint32_t val, const void *key)
{
    const edge_runtime *rt = ctx;
    return rt->slots[val].index == *(const uint32_t *)key;
}

/* A node usually hosts a handful of functions: up to SLOT_SCAN_MAX a scan of
 * the packed slot_fn (one cache line) beats the hash probe, which touches
 * the map and then a slot (measured: the probe was 9% of a scale.json run).
 * Past it, the map keeps look-ups O(1). */
#define SLOT_SCAN_MAX 16

static slot *find_slot(const edge_runtime *rt, uint32_t fn)
{
    if (rt->n_slots <= SLOT_SCAN_MAX) {
        for (uint32_t i = 0; i < rt->n_slots; i++)
            if (rt->slot_fn[i] == fn)
                return &rt->slots[i];
        return NULL;
    }
    /* Deployments usually give a node its functions in table order (a
     * strategy "all", a block of a pattern): slot i then holds function
     * slot_fn[0] + i. That guess, checked in the packed slot_fn, saves the
     * probe of the map, a cache miss per look-up at 1,000 nodes of 100
     * functions (perf: half of find_slot's time); any other layout falls
     * through to the map. */
    uint32_t g = fn - rt->slot_fn[0];
    if (g < rt->n_slots && rt->slot_fn[g] == fn)
        return &rt->slots[g];
    uint32_t v = edge__idmap_find(&rt->by_fn, edge__hash_u64(fn), slot_eq, rt, &fn);
    return v == EDGE_NONE ? NULL : &rt->slots[v];
}

/* The deployed slot of fn, or why there is none. */
static edge_err resolve(const edge_runtime *rt, uint32_t fn, slot **out)
{
    /* a slot exists only for a function of the table (which never shrinks):
     * the table is read only when there is none */
    slot *s = find_slot(rt, fn);
    if (!s)
        return fn >= edge_function_table_count(rt->functions) ? EDGE_NOT_FOUND
                                                               : EDGE_NOT_DEPLOYED;
    if (!s->deployed)
        return EDGE_NOT_DEPLOYED;
    *out = s;
    return EDGE_OK;
}

static edge_err resolve_id(const edge_runtime *rt, const char *id, uint32_t *fn)
{
    if (!rt || !id)
        return EDGE_INVAL;
    return edge_function_table_find(rt->functions, id, fn);
}

/* ---- Expiry heap ---------------------------------------------------------- */

/* A heap entry: instance i and its expires_at (always equal to the
 * record's). */
typedef struct hent {
    edge_time at;
    uint32_t i;
} hent;

static bool before(const edge_runtime *rt, hent a, hent b)
{
    return a.at < b.at || (a.at == b.at && rt->pool[a.i].seq < rt->pool[b.i].seq);
}

static void heap_set(edge_runtime *rt, uint32_t pos, hent e)
{
    rt->heap[pos] = e;
    rt->pool[e.i].heap_pos = pos;
}

/* Puts e in the heap from the hole at pos up: the entries above it that it
 * goes before move down. e is passed, not read back from heap[pos]: a
 * 16-byte load of two fresh stores would wait for them to reach the cache
 * (no store forwarding), and the line of a heap's new last entry is
 * usually a miss. Returns where e went. */
static uint32_t sift_up(edge_runtime *rt, uint32_t pos, hent e)
{
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        hent p = rt->heap[parent];
        if (!before(rt, e, p))
            break;
        heap_set(rt, pos, p);
        pos = parent;
    }
    heap_set(rt, pos, e);
    return pos;
}

/* The same from the hole at pos down. */
static void sift_down(edge_runtime *rt, uint32_t pos, hent e)
{
    for (;;) {
        uint32_t c = 2 * pos + 1;
        if (c >= rt->n_heap)
            break;
        if (c + 1 < rt->n_heap && before(rt, rt->heap[c + 1], rt->heap[c]))
            c++;
        hent m = rt->heap[c];
        if (!before(rt, m, e))
            break;
        heap_set(rt, pos, m);
        pos = c;
    }
    heap_set(rt, pos, e);
}

/* e's place from the hole at pos: up if it goes before its parent, else
 * down (an entry that moved up has nothing below it to pass). */
static void sift(edge_runtime *rt, uint32_t pos, hent e)
{
    if (sift_up(rt, pos, e) == pos)
        sift_down(rt, pos, e);
}

static void heap_push(edge_runtime *rt, uint32_t i)
{
    assert(rt->n_heap < rt->cap_pool);
    sift_up(rt, rt->n_heap++, (hent){rt->pool[i].expires_at, i});
}

static void heap_remove(edge_runtime *rt, uint32_t i)
{
    uint32_t pos = rt->pool[i].heap_pos;
    hent last = rt->heap[--rt->n_heap];
    if (pos < rt->n_heap)
        sift(rt, pos, last);
}

/* Instance i's expiry changed (its record's expires_at): its entry follows. */
static void heap_moved(edge_runtime *rt, uint32_t i)
{
    sift(rt, rt->pool[i].heap_pos, (hent){rt->pool[i].expires_at, i});
}

/* MB of idle instances expired at now, without removing them: the heap
 * prefix with expires_at <= now. O(expired). */
static uint64_t expired_mb(const edge_runtime *rt, uint32_t pos, edge_time now)
{
    if (pos >= rt->n_heap || rt->heap[pos].at > now)
        return 0;
    const inst *p = &rt->pool[rt->heap[pos].i];
    return rt->slots[p->slot].mem + expired_mb(rt, 2 * pos + 1, now) +
           expired_mb(rt, 2 * pos + 2, now);
}

/* ---- Instances ------------------------------------------------------------- */

/* Adds idle memory time up to t, before the idle set of s changes at t. */
static void integrate(edge_runtime *rt, slot *s, edge_time t)
{
    if (t > rt->acc_time) {
        if (rt->idle_mb)
            rt->acc += (double)rt->idle_mb * (double)(t - rt->acc_time);
        rt->acc_time = t;
    }
    if (t > s->acc_time) {
        if (s->idle)
            s->acc += (double)s->idle * (double)s->mem * (double)(t - s->acc_time);
        s->acc_time = t;
    }
}

/* Makes sure a free instance record exists. Changes nothing visible. */
static edge_err reserve_instance(edge_runtime *rt)
{
    if (rt->free_head != EDGE_NONE)
        return EDGE_OK;
    uint32_t old = rt->cap_pool;
    if (old > UINT32_MAX / 4) /* a billion instance records: memory is gone anyway */
        return EDGE_NOMEM;
    uint32_t cap = old ? old * 2 : POOL_MIN;
    /* aligned to a line: a record is read in one miss, not two */
    void *mem = edge__malloc((size_t)cap * sizeof(inst) + 63);
    if (!mem)
        return EDGE_NOMEM;
    inst *p = (inst *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
    if (old)
        memcpy(p, rt->pool, (size_t)old * sizeof *p);
    edge__free(rt->pool_mem);
    rt->pool_mem = mem;
    rt->pool = p; /* bigger but not yet counted: harmless if the heap fails */
    hent *h = edge__realloc(rt->heap, (size_t)cap * sizeof *h);
    if (!h)
        return EDGE_NOMEM;
    rt->heap = h;
    for (uint32_t i = old; i < cap; i++)
        rt->pool[i] = (inst){.state = INST_FREE, .next = i + 1 < cap ? i + 1 : EDGE_NONE};
    rt->free_head = old;
    rt->cap_pool = cap;
    return EDGE_OK;
}

static uint32_t take_free(edge_runtime *rt, slot *s)
{
    uint32_t i = rt->free_head;
    assert(i != EDGE_NONE);
    rt->free_head = rt->pool[i].next;
    rt->pool[i].slot = (uint32_t)(s - rt->slots);
    rt->used_mb += s->mem;
    return i;
}

static void release(edge_runtime *rt, uint32_t i)
{
    inst *p = &rt->pool[i];
    rt->used_mb -= rt->slots[p->slot].mem;
    p->state = INST_FREE;
    p->gen++;
    p->next = rt->free_head;
    rt->free_head = i;
}

/* Puts instance i of s on the idle structures at now. */
static void make_idle(edge_runtime *rt, slot *s, uint32_t i, edge_time now)
{
    inst *p = &rt->pool[i];
    integrate(rt, s, now);
    p->state = INST_IDLE;
    p->since = now;
    p->expires_at = edge_time_add_sat(now, s->keepalive);
    p->seq = ++rt->seq;
    p->prev = EDGE_NONE;
    p->next = rt->lru_head;
    if (rt->lru_head != EDGE_NONE)
        rt->pool[rt->lru_head].prev = i;
    else
        rt->lru_tail = i;
    rt->lru_head = i;
    p->fprev = EDGE_NONE;
    p->fnext = s->idle_head;
    if (s->idle_head != EDGE_NONE)
        rt->pool[s->idle_head].fprev = i;
    else
        s->idle_tail = i;
    s->idle_head = i;
    heap_push(rt, i);
    s->idle++;
    rt->n_idle++;
    rt->idle_mb += s->mem;
}

/* Takes idle instance i off the idle structures at t. */
static void unlink_idle(edge_runtime *rt, uint32_t i, edge_time t)
{
    inst *p = &rt->pool[i];
    slot *s = &rt->slots[p->slot];
    integrate(rt, s, t);
    if (p->prev != EDGE_NONE)
        rt->pool[p->prev].next = p->next;
    else
        rt->lru_head = p->next;
    if (p->next != EDGE_NONE)
        rt->pool[p->next].prev = p->prev;
    else
        rt->lru_tail = p->prev;
    if (p->fprev != EDGE_NONE)
        rt->pool[p->fprev].fnext = p->fnext;
    else
        s->idle_head = p->fnext;
    if (p->fnext != EDGE_NONE)
        rt->pool[p->fnext].fprev = p->fprev;
    else
        s->idle_tail = p->fprev;
    heap_remove(rt, i);
    s->idle--;
    rt->n_idle--;
    rt->idle_mb -= s->mem;
}

static void count_removal(edge_runtime_stats *st, edge_removal_reason why)
{
    switch (why) {
    case EDGE_REMOVED_EXPIRED: st->expired++; break;
    case EDGE_REMOVED_EVICTED: st->evicted++; break;
    case EDGE_REMOVED_UNDEPLOYED: st->undeployed++; break;
    case EDGE_REMOVED_CRASHED: st->lost++; break;
    }
}

/* Reports and frees instance i (idle or just finished) removed at t. */
static void report_and_release(edge_runtime *rt, uint32_t i, edge_time since, edge_time t,
                               edge_removal_reason why)
{
    slot *s = &rt->slots[rt->pool[i].slot];
    edge_time born = rt->pool[i].born;
    count_removal(&s->st, why);
    release(rt, i);
    if (rt->on_removal) {
        edge_instance_removal r = {
            .function = s->index,
            .function_id = edge_function_id(s->fn),
            .node = rt->node_index,
            .memory_mb = s->mem,
            .idle_since = since,
            .created_at = born,
            .removed_at = t,
            .reason = why,
        };
        rt->on_removal(rt->removal_ctx, &r);
    }
}

static void drop_idle(edge_runtime *rt, uint32_t i, edge_time t, edge_removal_reason why)
{
    edge_time since = rt->pool[i].since;
    unlink_idle(rt, i, t);
    report_and_release(rt, i, since, t, why);
}

/* Removes the idle instances expired at now, in order of expiry. */
static size_t reap(edge_runtime *rt, edge_time now)
{
    size_t n = 0;
    while (rt->n_heap > 0) {
        hent top = rt->heap[0];
        if (top.at > now)
            break;
        drop_idle(rt, top.i, top.at, EDGE_REMOVED_EXPIRED);
        n++;
    }
    return n;
}

/* Brings the runtime to now: the common first step of every change. */
static void advance(edge_runtime *rt, edge_time now)
{
    rt->now = now;
    reap(rt, now);
}

static edge_invocation_metrics metrics_of(const edge_runtime *rt, const inst *p, edge_time now,
                                          bool success)
{
    const slot *s = &rt->slots[p->slot];
    return (edge_invocation_metrics){
        .function = s->index,
        .node = rt->node_index,
        .function_id = edge_function_id(s->fn),
        .node_id = rt->node_id,
        .start = p->since,
        .duration = now - p->since,
        .success = success,
        .cold_start = p->cold,
        .memory_mb = s->mem,
        .tag = p->tag,
        .instance_created_at = p->born,
    };
}

/* ---- Deployment ------------------------------------------------------- */

edge_err edge_runtime_deploy_idx(edge_runtime *rt, uint32_t function)
{
    if (!rt)
        return EDGE_INVAL;
    const edge_function *f = edge_function_table_get(rt->functions, function);
    if (!f)
        return EDGE_NOT_FOUND;
    slot *s = find_slot(rt, function);
    if (s && s->deployed)
        return EDGE_EXISTS;
    if (!s) {
        if (edge__grow(&rt->slots, &rt->cap_slots, rt->n_slots + 1, sizeof *rt->slots) ||
            edge__idmap_reserve(&rt->by_fn, rt->n_slots + 1) ||
            edge__grow(&rt->slot_fn, &rt->cap_slot_fn, rt->n_slots + 1, sizeof *rt->slot_fn))
            return EDGE_NOMEM;
        s = &rt->slots[rt->n_slots];
        *s = (slot){
            .fn = f,
            .index = function,
            .mem = edge_function_memory_mb(f),
            .max_instances = edge_function_max_instances(f),
            .idle_head = EDGE_NONE,
            .idle_tail = EDGE_NONE,
            .acc_time = INT64_MIN,
        };
        rt->slot_fn[rt->n_slots] = function;
        edge__idmap_insert(&rt->by_fn, edge__hash_u64(function), rt->n_slots++);
    }
    s->deployed = true;
    if (!edge_function_keepalive(f, &s->keepalive))
        s->keepalive = rt->keepalive;
    return EDGE_OK;
}

edge_err edge_runtime_deploy(edge_runtime *rt, const char *function_id)
{
    uint32_t fn;
    edge_err err = resolve_id(rt, function_id, &fn);
    return err ? err : edge_runtime_deploy_idx(rt, fn);
}

/* The common opening of a call on one function at `now`: rt given, time
 * not going backwards, the function in range and known. */
static inline edge_err enter(edge_runtime *rt, uint32_t function, edge_time now, slot **s)
{
    if (!rt)
        return EDGE_INVAL;
    if (now < rt->now)
        return EDGE_RANGE;
    return resolve(rt, function, s);
}

edge_err edge_runtime_undeploy_idx(edge_runtime *rt, uint32_t function, edge_time now)
{
    slot *s;
    edge_err err = enter(rt, function, now, &s);
    if (err)
        return err;
    advance(rt, now);
    while (s->idle_head != EDGE_NONE)
        drop_idle(rt, s->idle_head, now, EDGE_REMOVED_UNDEPLOYED);
    s->deployed = false;
    return EDGE_OK;
}

edge_err edge_runtime_undeploy(edge_runtime *rt, const char *function_id, edge_time now)
{
    uint32_t fn;
    edge_err err = resolve_id(rt, function_id, &fn);
    return err ? err : edge_runtime_undeploy_idx(rt, fn, now);
}

bool edge_runtime_is_deployed(const edge_runtime *rt, uint32_t function)
{
    const slot *s = rt ? find_slot(rt, function) : NULL;
    return s && s->deployed;
}

/* ---- Invocations -------------------------------------------------------- */

/* Up to this many slots, stage 1 prefetches them all (a few lines) rather
 * than look for the function's, which would wait for the scan's line. */
#define PREFETCH_ALL_SLOTS 4

static void prefetch_bytes(const void *p, size_t n)
{
    const char *c = p;
    for (size_t o = 0; o < n; o += 64)
        __builtin_prefetch(c + o);
    __builtin_prefetch(c + n - 1);
}

void edge_runtime_prefetch(const edge_runtime *rt, uint32_t function, int stage)
{
    if (!rt)
        return;
    if (stage >= 2) {
        /* without reading them: the two hot lines, all that stage 1, the
         * look-up and a start or finish read of the record (a node of more
         * than SLOT_SCAN_MAX functions also reads by_fn, on the third) */
        prefetch_bytes(rt, HOT_BYTES);
        return;
    }
    if (rt->n_slots == 0)
        return;
    if (rt->n_slots <= PREFETCH_ALL_SLOTS) {
        __builtin_prefetch(rt->slot_fn);
        prefetch_bytes(rt->slots, rt->n_slots * sizeof *rt->slots);
        return;
    }
    if (rt->n_slots <= SLOT_SCAN_MAX) {
        __builtin_prefetch(rt->slot_fn);
        return;
    }
    /* find_slot's table-order guess and the slot it names (one read of
     * slot_fn, which the look-up reads next anyway), else the first entry
     * of the function's hash: usually its own */
    uint32_t g = function - rt->slot_fn[0];
    if (g < rt->n_slots) {
        __builtin_prefetch(&rt->slot_fn[g]);
        __builtin_prefetch(&rt->slots[g], 1);
    } else if (rt->by_fn.cap) {
        __builtin_prefetch(&rt->by_fn.e[edge__hash_u64(function) & (rt->by_fn.cap - 1)]);
    }
}

edge_runtime_lines edge_runtime_finish_lines(const edge_runtime *rt, edge_invocation inv)
{
    edge_runtime_lines l = {NULL, NULL, NULL, 0};
    if (!rt || inv.instance >= rt->cap_pool)
        return l;
    const inst *p = &rt->pool[inv.instance];
    if (p->state != INST_BUSY || p->gen != inv.gen)
        return l;
    l.header = rt;
    l.header_bytes = HOT_BYTES;
    l.instance = p;
    l.slot = &rt->slots[p->slot];
    return l;
}

const char *edge_instance_selection_name(edge_instance_selection sel)
{
    static const char *const names[] = {"mru", "newest", "lru", "random"};
    return (unsigned)sel < sizeof names / sizeof names[0] ? names[sel] : "unknown";
}

edge_err edge_runtime_set_selection(edge_runtime *rt, edge_instance_selection sel,
                                    uint64_t (*next)(void *ctx), void *ctx)
{
    if (!rt || (unsigned)sel > EDGE_SELECT_RANDOM || (sel == EDGE_SELECT_RANDOM && !next))
        return EDGE_INVAL;
    rt->selection = (uint8_t)sel;
    rt->rand_next = next;
    rt->rand_ctx = ctx;
    return EDGE_OK;
}

/* The idle instance of s a warm start takes under a selection other than
 * MRU (the list runs from the most recently idle to the longest idle; every
 * instance on it is unexpired: the caller has reaped). */
static uint32_t pick_idle(edge_runtime *rt, const slot *s)
{
    uint32_t i = s->idle_head;
    switch (rt->selection) {
    case EDGE_SELECT_LRU:
        return s->idle_tail;
    case EDGE_SELECT_NEWEST:
        for (uint32_t j = rt->pool[i].fnext; j != EDGE_NONE; j = rt->pool[j].fnext)
            if (rt->pool[j].born > rt->pool[i].born)
                i = j;
        return i;
    case EDGE_SELECT_RANDOM:
        if (s->idle > 1) {
            /* k uniform in [0, idle): the top 32 bits scaled, as the
             * scheduler's random pick does */
            uint64_t r = rt->rand_next(rt->rand_ctx) >> 32;
            uint32_t k = (uint32_t)((r * (uint64_t)s->idle) >> 32);
            while (k--)
                i = rt->pool[i].fnext;
        }
        return i;
    default:
        return i;
    }
}

edge_err edge_runtime_set_choosers(edge_runtime *rt, edge_instance_choose_fn serve,
                                   edge_instance_choose_fn evict, void *ctx)
{
    if (!rt)
        return EDGE_INVAL;
    rt->choose_serve = serve;
    rt->choose_evict = evict;
    rt->choose_ctx = ctx;
    rt->choosers = serve || evict;
    return EDGE_OK;
}

/* Room in the choosers' list for n instances. */
static edge_err reserve_view(edge_runtime *rt, uint32_t n)
{
    if (n <= rt->view_cap)
        return EDGE_OK;
    uint32_t cap = n > 2 * rt->view_cap ? n : 2 * rt->view_cap;
    edge_idle_instance *v = edge__realloc(rt->view, (size_t)cap * sizeof *v);
    if (!v)
        return EDGE_NOMEM;
    rt->view = v;
    uint32_t *k = edge__realloc(rt->view_inst, (size_t)cap * sizeof *k);
    if (!k)
        return EDGE_NOMEM;
    rt->view_inst = k;
    rt->view_cap = cap;
    return EDGE_OK;
}

static void view_add(edge_runtime *rt, uint32_t n, uint32_t i)
{
    const inst *p = &rt->pool[i];
    const slot *s = &rt->slots[p->slot];
    rt->view[n] = (edge_idle_instance){s->index, s->mem, p->since, p->born, p->expires_at};
    rt->view_inst[n] = i;
}

/* The instance of s that serves a warm start: the chooser's, else the
 * selection's. */
static uint32_t serving(edge_runtime *rt, slot *s, edge_time now)
{
    if (rt->choosers && rt->choose_serve && s->idle > 1) { /* choosers: on a hot line */
        uint32_t n = 0;
        for (uint32_t i = s->idle_head; i != EDGE_NONE; i = rt->pool[i].fnext)
            view_add(rt, n++, i);
        uint32_t k = rt->choose_serve(rt->choose_ctx, s->index, now, 0, rt->view, n);
        if (k < n)
            return rt->view_inst[k];
    }
    return rt->selection == EDGE_SELECT_MRU ? s->idle_head : pick_idle(rt, s);
}

/* The idle instance to evict for a start of s lacking `lacking` MB: the
 * chooser's, else the least recently idle. */
static uint32_t victim(edge_runtime *rt, const slot *s, edge_time now, uint64_t lacking)
{
    if (rt->choose_evict) {
        uint32_t n = 0;
        for (uint32_t i = rt->lru_tail; i != EDGE_NONE; i = rt->pool[i].prev)
            view_add(rt, n++, i);
        uint32_t k = rt->choose_evict(rt->choose_ctx, s->index, now,
                                      lacking > UINT32_MAX ? UINT32_MAX : (uint32_t)lacking,
                                      rt->view, n);
        if (k < n)
            return rt->view_inst[k];
    }
    return rt->lru_tail;
}

edge_err edge_runtime_start_idx(edge_runtime *rt, uint32_t function, edge_time now,
                                uint64_t tag, edge_start *out)
{
    slot *s;
    if (!out)
        return EDGE_INVAL;
    edge_err err = enter(rt, function, now, &s);
    if (err)
        return err;
    /* Every check before any change (see the layout note at the top). */
    bool warm = s->idle_head != EDGE_NONE && rt->pool[s->idle_head].expires_at > now;
    if (!warm) {
        if (s->max_instances && s->busy >= s->max_instances)
            return EDGE_INSTANCE_LIMIT;
        if (rt->capacity - rt->busy_mb < s->mem)
            return EDGE_NO_CAPACITY;
        if ((err = reserve_instance(rt)))
            return err;
    }
    /* the choosers' list holds at most the idle instances (before reaping) */
    if (rt->choosers && (err = reserve_view(rt, rt->n_idle)))
        return err;
    advance(rt, now);
    uint32_t i, evicted = 0;
    if (warm) {
        i = serving(rt, s, now);
        unlink_idle(rt, i, now);
    } else {
        while (rt->capacity - rt->used_mb < s->mem) {
            assert(rt->lru_tail != EDGE_NONE);
            drop_idle(rt, victim(rt, s, now, s->mem - (rt->capacity - rt->used_mb)), now,
                      EDGE_REMOVED_EVICTED);
            evicted++;
        }
        i = take_free(rt, s);
        rt->pool[i].born = now;
    }
    inst *p = &rt->pool[i];
    p->state = INST_BUSY;
    p->gen++;
    p->since = now;
    p->cold = !warm;
    p->tag = tag;
    s->busy++;
    rt->n_busy++;
    rt->busy_mb += s->mem;
    s->st.starts++;
    s->st.cold_starts += !warm;
    out->invocation = (edge_invocation){i, p->gen};
    out->cold = !warm;
    out->evicted = evicted;
    return EDGE_OK;
}

edge_err edge_runtime_start(edge_runtime *rt, const char *function_id, edge_time now,
                            uint64_t tag, edge_start *out)
{
    uint32_t fn;
    edge_err err = resolve_id(rt, function_id, &fn);
    return err ? err : edge_runtime_start_idx(rt, fn, now, tag, out);
}

edge_err edge_runtime_finish(edge_runtime *rt, edge_invocation inv, edge_time now,
                             bool success, edge_invocation_metrics *out)
{
    if (!rt || inv.instance >= rt->cap_pool)
        return EDGE_INVAL;
    if (now < rt->now)
        return EDGE_RANGE;
    inst *p = &rt->pool[inv.instance];
    if (p->state != INST_BUSY || p->gen != inv.gen)
        return EDGE_STATE;
    advance(rt, now);
    slot *s = &rt->slots[p->slot];
    edge_invocation_metrics m;
    if (out) /* the record costs a few look-ups: only when asked for */
        m = metrics_of(rt, p, now, success);
    s->busy--;
    rt->n_busy--;
    rt->busy_mb -= s->mem;
    s->st.finishes++;
    s->st.failures += !success;
    if (!s->deployed) {
        report_and_release(rt, inv.instance, now, now, EDGE_REMOVED_UNDEPLOYED);
    } else {
        make_idle(rt, s, inv.instance, now);
        if (p->expires_at <= now)
            drop_idle(rt, inv.instance, now, EDGE_REMOVED_EXPIRED);
    }
    if (out)
        *out = m;
    return EDGE_OK;
}

edge_err edge_runtime_warm_up_idx(edge_runtime *rt, uint32_t function, edge_time now)
{
    slot *s;
    edge_err err = enter(rt, function, now, &s);
    if (err)
        return err;
    if (s->max_instances) {
        uint32_t live = s->idle;
        for (uint32_t i = s->idle_tail; i != EDGE_NONE && rt->pool[i].expires_at <= now;
             i = rt->pool[i].fprev)
            live--;
        if (s->busy + live >= s->max_instances)
            return EDGE_INSTANCE_LIMIT;
    }
    if (rt->capacity - rt->used_mb + expired_mb(rt, 0, now) < s->mem)
        return EDGE_NO_CAPACITY;
    if ((err = reserve_instance(rt)))
        return err;
    advance(rt, now);
    uint32_t i = take_free(rt, s);
    rt->pool[i].born = now;
    s->st.warm_ups++;
    make_idle(rt, s, i, now);
    if (rt->pool[i].expires_at <= now)
        drop_idle(rt, i, now, EDGE_REMOVED_EXPIRED);
    return EDGE_OK;
}

edge_err edge_runtime_warm_up(edge_runtime *rt, const char *function_id, edge_time now)
{
    uint32_t fn;
    edge_err err = resolve_id(rt, function_id, &fn);
    return err ? err : edge_runtime_warm_up_idx(rt, fn, now);
}

edge_err edge_runtime_expire(edge_runtime *rt, edge_time now, size_t *removed)
{
    if (!rt)
        return EDGE_INVAL;
    if (now < rt->now)
        return EDGE_RANGE;
    rt->now = now;
    size_t n = reap(rt, now);
    if (removed)
        *removed = n;
    return EDGE_OK;
}

edge_time edge_runtime_next_expiry(const edge_runtime *rt)
{
    return rt->n_heap ? rt->heap[0].at : EDGE_TIME_MAX;
}

edge_err edge_runtime_crash(edge_runtime *rt, edge_time now, edge_metrics_fn on_failed,
                            void *ctx, size_t *failed)
{
    if (!rt)
        return EDGE_INVAL;
    if (now < rt->now)
        return EDGE_RANGE;
    advance(rt, now);
    size_t n = 0;
    for (uint32_t i = 0; i < rt->cap_pool; i++) {
        inst *p = &rt->pool[i];
        if (p->state == INST_BUSY) {
            slot *s = &rt->slots[p->slot];
            edge_invocation_metrics m = metrics_of(rt, p, now, false);
            s->busy--;
            rt->n_busy--;
            rt->busy_mb -= s->mem;
            s->st.crashed++;
            release(rt, i);
            n++;
            if (on_failed)
                on_failed(ctx, &m);
        } else if (p->state == INST_IDLE) {
            drop_idle(rt, i, now, EDGE_REMOVED_CRASHED);
        }
    }
    if (failed)
        *failed = n;
    return EDGE_OK;
}

edge_err edge_runtime_set_keepalive_idx(edge_runtime *rt, uint32_t function, edge_time ttl,
                                        edge_time now)
{
    slot *s;
    if (ttl < 0)
        return EDGE_INVAL;
    edge_err err = enter(rt, function, now, &s);
    if (err)
        return err;
    advance(rt, now);
    s->keepalive = ttl;
    for (uint32_t i = s->idle_head; i != EDGE_NONE; i = rt->pool[i].fnext) {
        inst *p = &rt->pool[i];
        edge_time at = edge_time_add_sat(p->since, ttl);
        p->expires_at = at > now ? at : now;
        heap_moved(rt, i);
    }
    reap(rt, now);
    return EDGE_OK;
}

edge_time edge_runtime_keepalive(const edge_runtime *rt, uint32_t function)
{
    const slot *s = rt ? find_slot(rt, function) : NULL;
    return s && s->deployed ? s->keepalive : -1;
}

/* ---- invoke ------------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static edge_err
fail_exec(edge_exec_error *e, edge_err code, const char *function_id, const char *fmt, ...)
{
    e->code = code;
    snprintf(e->function_id, sizeof e->function_id, "%s", function_id ? function_id : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

edge_err edge_runtime_invoke(edge_runtime *rt, const char *function_id, const cJSON *args,
                             edge_clock_fn clock, void *clock_ctx, cJSON **result,
                             edge_exec_error *error, edge_invocation_metrics *metrics)
{
    edge_exec_error scratch;
    if (!error)
        error = &scratch;
    if (result)
        *result = NULL;
    if (!rt || !function_id || !clock || !result)
        return fail_exec(error, EDGE_INVAL, function_id, "invalid argument");
    uint32_t fn;
    if (edge_function_table_find(rt->functions, function_id, &fn))
        return fail_exec(error, EDGE_NOT_FOUND, function_id, "function %s is not known",
                         function_id);
    const edge_function *f = edge_function_table_get(rt->functions, fn);
    void *hctx;
    edge_handler_fn handler = edge_function_handler(f, &hctx);
    if (!handler)
        return fail_exec(error, EDGE_INVAL, function_id, "function %s has no handler",
                         function_id);

    edge_time t0 = clock(clock_ctx);
    edge_start st;
    edge_err err = edge_runtime_start_idx(rt, fn, t0, 0, &st);
    if (err)
        return fail_exec(error, err, function_id, "cannot start %s on node %s: %s", function_id,
                         rt->node_id, edge_strerror(err));

    char msg[EDGE_EXEC_MSG_MAX] = "";
    cJSON *res = NULL;
    int rc = handler(hctx, args, &res, msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    edge_time t1 = clock(clock_ctx);
    if (t1 < t0)
        t1 = t0;
    edge_time took = t1 - t0, timeout = edge_function_timeout(f);
    bool ok = rc == 0 && took <= timeout;
    edge_invocation_metrics m;
    if ((err = edge_runtime_finish(rt, st.invocation, t1, ok, &m))) {
        cJSON_Delete(res); /* only when a handler broke the rules (see function.h) */
        return fail_exec(error, err, function_id, "cannot finish %s: %s", function_id,
                         edge_strerror(err));
    }
    if (metrics)
        *metrics = m;
    if (rc != 0) {
        cJSON_Delete(res);
        if (msg[0])
            return fail_exec(error, EDGE_HANDLER, function_id, "%s", msg);
        return fail_exec(error, EDGE_HANDLER, function_id, "handler of %s returned %d",
                         function_id, rc);
    }
    if (!ok) {
        cJSON_Delete(res);
        char a[32], b[32];
        edge_duration_format(a, sizeof a, took);
        edge_duration_format(b, sizeof b, timeout);
        return fail_exec(error, EDGE_TIMEOUT, function_id, "%s took %s, timeout %s",
                         function_id, a, b);
    }
    *result = res;
    fail_exec(error, EDGE_OK, function_id, "%s", "");
    return EDGE_OK;
}

/* ---- Counters --------------------------------------------------------------- */

const char *edge_runtime_node_id(const edge_runtime *rt) { return rt->node_id; }
uint32_t edge_runtime_node_index(const edge_runtime *rt) { return rt->node_index; }
edge_time edge_runtime_now(const edge_runtime *rt) { return rt->now; }
uint64_t edge_runtime_memory_capacity(const edge_runtime *rt) { return rt->capacity; }
uint64_t edge_runtime_memory_used(const edge_runtime *rt) { return rt->used_mb; }
uint64_t edge_runtime_memory_free(const edge_runtime *rt) { return rt->capacity - rt->used_mb; }
uint64_t edge_runtime_memory_idle(const edge_runtime *rt) { return rt->idle_mb; }
uint32_t edge_runtime_in_flight(const edge_runtime *rt) { return rt->n_busy; }
uint32_t edge_runtime_idle_total(const edge_runtime *rt) { return rt->n_idle; }

size_t edge_runtime_busy_tags(const edge_runtime *rt, uint64_t *out, size_t cap)
{
    size_t n = 0;
    for (uint32_t i = 0; i < rt->cap_pool; i++)
        if (rt->pool[i].state == INST_BUSY) {
            if (n < cap)
                out[n] = rt->pool[i].tag;
            n++;
        }
    return n;
}

uint32_t edge_runtime_idle_count(const edge_runtime *rt, uint32_t function)
{
    const slot *s = find_slot(rt, function);
    return s ? s->idle : 0;
}

uint32_t edge_runtime_busy_count(const edge_runtime *rt, uint32_t function)
{
    const slot *s = find_slot(rt, function);
    return s ? s->busy : 0;
}

edge_runtime_stats edge_runtime_stats_total(const edge_runtime *rt)
{
    edge_runtime_stats st = {0};
    for (uint32_t i = 0; i < rt->n_slots; i++) {
        const edge_runtime_stats *f = &rt->slots[i].st;
        st.starts += f->starts;
        st.cold_starts += f->cold_starts;
        st.warm_ups += f->warm_ups;
        st.finishes += f->finishes;
        st.failures += f->failures;
        st.crashed += f->crashed;
        st.expired += f->expired;
        st.evicted += f->evicted;
        st.undeployed += f->undeployed;
        st.lost += f->lost;
    }
    st.idle_mb_ns = rt->acc;
    if (rt->idle_mb && rt->now > rt->acc_time)
        st.idle_mb_ns += (double)rt->idle_mb * (double)(rt->now - rt->acc_time);
    return st;
}

edge_err edge_runtime_function_stats(const edge_runtime *rt, uint32_t function,
                                     edge_runtime_stats *out)
{
    if (!rt || !out)
        return EDGE_INVAL;
    if (function >= edge_function_table_count(rt->functions))
        return EDGE_NOT_FOUND;
    const slot *s = find_slot(rt, function);
    if (!s)
        return EDGE_NOT_DEPLOYED;
    *out = s->st;
    out->idle_mb_ns = s->acc;
    if (s->idle && rt->now > s->acc_time)
        out->idle_mb_ns += (double)s->idle * (double)s->mem * (double)(rt->now - s->acc_time);
    return EDGE_OK;
}
