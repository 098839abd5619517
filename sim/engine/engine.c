#include "engine/engine.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* A pending event's key in the heap: 16 bytes, compared as one 128-bit
 * number (time high, then seq << low_bits | ref << HBITS | handler, where
 * ref is slot_bits + 1 bits). Times are never negative (the clock starts at
 * 0 and never goes back), so the unsigned view of time orders like the
 * signed one. ref names the event's record (its slot), or, with its top bit
 * (INLINE) set, is the whole payload itself: an event whose payload is only
 * a small `a` (id and b zero, a <= slot_mask), scheduled without a handle
 * and not by schedule_again, takes no record at all (PHOLD's events and a
 * world's per-node ticks). Such an event cannot be cancelled (nobody holds a
 * handle), so it is never a tombstone, and its seq is its own (fresh), so
 * no other key shares its (time, seq). Among keys of one time and seq
 * (schedule_again's, all with records) the slot decides, as it did before
 * the handler index moved into the key. */
typedef struct {
    uint64_t time;
    uint64_t key;
} hkey;

/* An event record is its payload: 16 bytes, four to a cache line. The
 * handler and context are named by the key's low HBITS bits: an index into
 * the engine's table of the (handler, context) pairs seen so far (a run
 * uses a few dozen), or HOWN, when the table is full, for the pair kept
 * beside the record in own[slot]. A free record's payload.a links the free
 * list. A record's generation lives in its chunk's gen[] array: odd while
 * the record holds a pending event, even when it is free or a tombstone. It
 * moves on when schedule takes the record, when its event runs and when it
 * is cancelled, so the handles of its earlier events go stale. (A bitmap of
 * pending records was tried first: its line was one more miss per event;
 * the generation's line is prefetched with the record.) */
typedef sim_payload rec;

typedef struct {
    sim_handler fn;
    void *ctx;
} hpair;

#define HBITS 8
#define HOWN ((1u << HBITS) - 1) /* the pair is in own[slot]; also the mask */
#define HCACHE 256               /* direct-mapped lookup of the table, by pair */

#define CHUNK_BITS 10
#define CHUNK (1u << CHUNK_BITS)
#define NO_SLOT UINT32_MAX
#define MIN_SLOT_BITS CHUNK_BITS
/* Tombstones are compacted away once there are more than half as many as
 * live events, plus this many (so tiny queues are not compacted over and
 * over). */
#define COMPACT_SLACK 256

struct sim_engine {
    edge_time now;
    hkey *heap;
    size_t n, cap; /* keys in the heap (live + tombstones + a held root) */
    size_t dead;   /* tombstones in the heap */
    rec **chunks;
    size_t nchunks, chunks_cap;
    uint32_t nslots; /* records ever made: nchunks * CHUNK */
    uint32_t free_head;
    unsigned slot_bits, low_bits; /* low_bits = slot_bits + HBITS: below seq */
    uint64_t slot_mask;
    /* (handler, context) pairs: the table the keys index, a direct-mapped
     * cache of indices + 1, and per slot the pairs past the table (NULL
     * until the table is full) */
    hpair htab[HOWN];
    uint32_t nh;
    uint8_t hcache[HCACHE];
    hpair *own;
    size_t own_cap;
    uint64_t seq, seq_max;
    /* the running event's (handler, context) and its index, for a
     * handler's schedule of the same pair (run_fn NULL when the pair has
     * no index: it is kept beside a record) */
    sim_handler run_fn;
    void *run_ctx;
    uint32_t run_h;
    bool hint_next; /* the run loop looks at the next event: records or a prefetch hint exist */
    uint64_t run_key;  /* the running (or last run) event's key: its seq for
                          sim_engine_schedule_again; rekey renumbers it too */
    bool running, stopping, hold;
    sim_prefetch_fn prefetch; /* NULL: no hint (see sim_engine_set_prefetch) */
    sim_handler prefetch_only[SIM_PREFETCH_ONLY_MAX]; /* the hint's handlers; none: all */
    size_t nprefetch_only;
    const volatile sig_atomic_t *interrupt; /* NULL: none (sim_engine_set_interrupt) */
    /* The far tier (sim_engine_set_far; off while far_shift == 0): keys
     * whose time bucket (time >> far_shift) is beyond `cur` wait unsorted
     * in a ring of FAR_RING buckets (bucket numbers cur+1 .. cur+FAR_RING)
     * or, further out, in `ovf`; the heap holds only keys of buckets <= cur.
     * So every heap key is less than every far key, and when the heap runs
     * empty the next non-empty bucket moves into it (heapified). Keys keep
     * the (time, seq) they got when scheduled, so the order of events is
     * exactly that of one heap. */
    unsigned far_shift;
    uint64_t cur;
    struct far_bucket *ring; /* FAR_RING buckets, or NULL */
    struct far_bucket *ovf;  /* one bucket: beyond the ring */
    uint64_t ovf_min;        /* least bucket number in ovf (UINT64_MAX: empty) */
    size_t nfar;             /* keys in the ring and ovf (live + tombstones) */
    edge_err fail;
    uint64_t n_scheduled, n_run, n_cancelled;
    size_t peak_pending;
    /* Timers and lanes (engine.h, TIMERS and LANES): events beside the
     * heap. Each keeps its seq as a plain number, compared with a key's seq
     * field, so widening the keys' slot field leaves them alone; rekey
     * renumbers them with the keys. A pending timer's time and seq are its
     * shead entry (below). `side` is the one that runs first of the pending
     * timers and the lanes' heads (0 .. SIM_ENGINE_TIMERS - 1: a timer;
     * from SIM_ENGINE_TIMERS: a lane), or -1; side_time and side_seq are
     * its. */
    struct etimer {
        sim_handler fn;
        void *ctx;
    } timers[SIM_ENGINE_TIMERS];
    struct elane {
        struct litem {
            uint64_t time, seq;
            sim_payload p;
        } *q;                  /* a ring of cap (a power of two) items */
        size_t head, n, cap;
        sim_handler fn;
        void *ctx;
    } lanes[SIM_ENGINE_LANES];
    uint32_t ntimers, ntpending, nlanes;
    size_t nlaned;             /* events in the lanes */
    /* per side index, the (time, seq) of its next event (a timer's, a
     * lane's head); all ones: none (a timer not pending, an empty lane) */
    struct shead {
        uint64_t time, seq;
    } shead[SIM_ENGINE_TIMERS + SIM_ENGINE_LANES];
    int side;
    uint64_t side_time, side_seq;
};

#define FAR_RING 1024u

/* Timer i is pending: its shead entry holds its time and seq. */
static inline bool timer_pending(const sim_engine *e, uint32_t i)
{
    return e->shead[i].time != UINT64_MAX;
}

struct far_bucket {
    hkey *k;
    size_t n, cap;
};

static inline bool key_lt(hkey a, hkey b)
{
    unsigned __int128 x = (unsigned __int128)a.time << 64 | a.key;
    unsigned __int128 y = (unsigned __int128)b.time << 64 | b.key;
    return x < y;
}

/* A chunk is one 64-byte-aligned block: CHUNK records, then CHUNK
 * generations. */
static inline uint32_t key_slot(const sim_engine *e, uint64_t key)
{
    return (uint32_t)((key >> HBITS) & e->slot_mask);
}

/* The key carries its payload's `a` (in key_slot's place) and has no record. */
static inline bool key_inline(const sim_engine *e, uint64_t key)
{
    return (key >> (HBITS + e->slot_bits)) & 1;
}


static inline uint32_t *slot_gen(const sim_engine *e, uint32_t s);

static inline bool is_live(const sim_engine *e, uint32_t s)
{
    return *slot_gen(e, s) & 1;
}

/* The event of key is pending (not a tombstone): an inline one always is. */
static inline bool key_live(const sim_engine *e, uint64_t key)
{
    return key_inline(e, key) || is_live(e, key_slot(e, key));
}

/* The handler and context of the event whose key is key. */
static inline hpair key_pair(const sim_engine *e, uint64_t key)
{
    uint32_t h = (uint32_t)(key & HOWN);
    return h != HOWN ? e->htab[h] : e->own[key_slot(e, key)];
}

/* The hint is given for events of handler fn (sim_engine_prefetch_only). */
static inline bool hint_wanted(const sim_engine *e, sim_handler fn)
{
    if (!e->nprefetch_only)
        return true;
    for (size_t i = 0; i < e->nprefetch_only; i++)
        if (e->prefetch_only[i] == fn)
            return true;
    return false;
}

static inline rec *slot_rec(const sim_engine *e, uint32_t s)
{
    return &e->chunks[s >> CHUNK_BITS][s & (CHUNK - 1)];
}

static inline uint32_t *slot_gen(const sim_engine *e, uint32_t s)
{
    return (uint32_t *)(e->chunks[s >> CHUNK_BITS] + CHUNK) + (s & (CHUNK - 1));
}

/* The payload of key's event: from the key itself or from its record. */
static inline sim_payload key_payload(const sim_engine *e, uint64_t key)
{
    if (key_inline(e, key))
        return (sim_payload){.a = key_slot(e, key)};
    return *slot_rec(e, key_slot(e, key));
}

/* ---- the 4-ary heap: root at 0, children of i at 4i+1 .. 4i+4 ---- */

static inline void sift_up(hkey *h, size_t i, hkey x)
{
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!key_lt(x, h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

/* From this many keys (32 KB) up, sift_down fetches the next level's lines
 * ahead: below it the heap sits in L1 and the fetches only cost (PHOLD at
 * 1 k pending). */
#define SIFT_PREFETCH_MIN 2048

static inline bool lt2(uint64_t t1, uint64_t k1, uint64_t t2, uint64_t k2)
{
    return ((unsigned __int128)t1 << 64 | k1) < ((unsigned __int128)t2 << 64 | k2);
}

/* If (t, k) < (*mt, *mk): they replace them and idx replaces *j. Which child
 * is least is a coin toss, so this must be conditional moves, not a branch
 * that mispredicts half the time. On x86-64 it is written out as such (a
 * 128-bit compare is cmp + sbb, then three cmovb). gcc 12 -O2 chose cmov or
 * branches for the same C depending on how the code around it was written:
 * a tournament (two pairs, then their winners) and every unrolled form came
 * out as branches (PHOLD at 16 k pending: 9.8 M events/s against 18.2 M/s
 * with cmovs), the minimum kept as a 16-byte value or selected with masks
 * as SSE shuffles (8-10 M/s); only a rolled loop got the cmovs, at ~66
 * instructions per level of the heap. Unrolled with this: ~47 (callgrind,
 * PHOLD 4096 x 16 to 10 s: schedule's instructions 423 M -> 309 M).
 * Other targets, or -DSIM_ENGINE_NO_ASM, get the plain C below (test_engine
 * passes built either way). */
static inline void pick_min(uint64_t *mt, uint64_t *mk, size_t *j, uint64_t t, uint64_t k, size_t idx)
{
#if defined(__GNUC__) && defined(__x86_64__) && !defined(SIM_ENGINE_NO_ASM)
    uint64_t tmp;
    __asm__("mov %[t], %[tmp]\n\t"
            "cmp %[mk], %[k]\n\t"
            "sbb %[mt], %[tmp]\n\t"
            "cmovb %[t], %[mt]\n\t"
            "cmovb %[k], %[mk]\n\t"
            "cmovb %[idx], %[j]"
            : [mt] "+r"(*mt), [mk] "+r"(*mk), [j] "+r"(*j), [tmp] "=&r"(tmp)
            : [t] "r"(t), [k] "r"(k), [idx] "r"(idx)
            : "cc");
#else
    if (lt2(t, k, *mt, *mk)) {
        *mt = t;
        *mk = k;
        *j = idx;
    }
#endif
}

/*
 * Moves x down from position i to its place: at each level the least of
 * four children (pick_min), then one compare with x, which is mostly
 * predictable (x goes on down).
 *
 * With pf, each level also fetches the next one: the children of the four
 * children are the 16 keys from 4c + 1, four whole cache lines (the heap is
 * placed so that a group of four never straddles a line), and which of
 * them the sift goes on to is known only once this level is decided. A
 * sift is a chain of dependent loads, one per level; beyond L1 each waited
 * for L2 in turn, now the next level's lines are on their way while this
 * one is compared. Measured with PHOLD 4096 x 16 (64 k pending, a 1 MiB
 * heap), the binaries alternating in one session on the shared 2-core
 * machine: 5.3-6.2 M events per CPU second without, 7.4-8.1 M with.
 */
static inline __attribute__((always_inline)) void sift_down_pf(hkey *h, size_t n, size_t i, hkey x,
                                                               bool pf)
{
    for (;;) {
        size_t c = 4 * i + 1, m = c;
        if (c + 3 < n) {
            const hkey *g = h + c;
            /* the children of these four are the next 16 keys from 4c + 1,
             * four whole lines: fetch them while this level is decided */
            if (pf && 4 * c + 1 < n) {
                const char *gc = (const char *)(h + 4 * c + 1);
                __builtin_prefetch(gc);
                __builtin_prefetch(gc + 64);
                __builtin_prefetch(gc + 128);
                __builtin_prefetch(gc + 192);
            }
            uint64_t mt = g[0].time, mk = g[0].key;
            size_t j = 0;
            pick_min(&mt, &mk, &j, g[1].time, g[1].key, 1);
            pick_min(&mt, &mk, &j, g[2].time, g[2].key, 2);
            pick_min(&mt, &mk, &j, g[3].time, g[3].key, 3);
            if (!lt2(mt, mk, x.time, x.key))
                break;
            h[i].time = mt;
            h[i].key = mk;
            i = c + j;
            continue;
        } else if (c < n) {
            for (size_t k = c + 1; k < n; k++)
                if (key_lt(h[k], h[m]))
                    m = k;
        } else {
            break;
        }
        if (!key_lt(h[m], x))
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = x;
}

/* sift_down_pf in two copies: with the fetches ahead for a heap beyond L1,
 * without them for one inside it. */
static inline __attribute__((always_inline)) void sift_down(hkey *h, size_t n, size_t i, hkey x)
{
    if (n > SIFT_PREFETCH_MIN)
        sift_down_pf(h, n, i, x, true);
    else
        sift_down_pf(h, n, i, x, false);
}

static inline void pop_root(sim_engine *e)
{
    hkey last = e->heap[--e->n];
    if (e->n)
        sift_down(e->heap, e->n, 0, last);
}

/* Ends a hold: the running event's key still sits at the root and no push
 * has replaced it. Everything that looks at the heap beyond a push calls
 * this first. */
static inline void settle(sim_engine *e)
{
    if (e->hold) {
        e->hold = false;
        pop_root(e);
    }
}

static void heapify(hkey *h, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = (n - 2) / 4 + 1; i-- > 0;)
        sift_down(h, n, i, h[i]);
}

static int cmp_key(const void *a, const void *b)
{
    hkey x = *(const hkey *)a, y = *(const hkey *)b;
    return key_lt(x, y) ? -1 : key_lt(y, x) ? 1 : 0;
}

/* Renumbers the sequence part of every key in (time, seq) order with
 * bits slot bits. A sorted array is a valid heap, so the heap stays one.
 * O(n log n); happens when seq runs out of bits (after ~2^36 schedules),
 * or when the pool crosses a power of two and the seqs handed out would
 * not fit the narrower field (widen, below, rewrites the keys otherwise). */
static edge_err grow_heap(sim_engine *e);
static void set_slot_bits(sim_engine *e, unsigned bits);
static void side_refresh(sim_engine *e);

static edge_err far_grow(struct far_bucket *b);

/* Moves every far key into the heap array, after the heap's (unordered:
 * the caller sorts). */
static edge_err far_gather(sim_engine *e)
{
    if (!e->nfar)
        return EDGE_OK;
    while (e->cap < e->n + e->nfar)
        if (grow_heap(e) != EDGE_OK)
            return EDGE_NOMEM;
    for (size_t b = 0; b <= FAR_RING; b++) {
        struct far_bucket *fb = b < FAR_RING ? &e->ring[b] : e->ovf;
        if (fb->n) /* an empty bucket may have no array at all */
            memcpy(e->heap + e->n, fb->k, fb->n * sizeof *fb->k);
        e->n += fb->n;
        fb->n = 0;
    }
    e->nfar = 0;
    e->ovf_min = UINT64_MAX;
    return EDGE_OK;
}

/* After a sort: the keys beyond bucket cur go back to the far tier (the
 * buckets they came from, which kept their room); the rest, a sorted
 * prefix, is a valid heap. */
static edge_err far_scatter(sim_engine *e)
{
    size_t p = e->n;
    while (p > 0 && (e->heap[p - 1].time >> e->far_shift) > e->cur)
        p--;
    for (size_t i = p; i < e->n; i++) {
        uint64_t tb = e->heap[i].time >> e->far_shift;
        struct far_bucket *fb = tb - e->cur <= FAR_RING ? &e->ring[tb & (FAR_RING - 1)] : e->ovf;
        if (fb->n == fb->cap && far_grow(fb) != EDGE_OK)
            return EDGE_NOMEM;
        fb->k[fb->n++] = e->heap[i];
        if (fb == e->ovf && tb < e->ovf_min)
            e->ovf_min = tb;
    }
    e->nfar = e->n - p;
    e->n = p;
    return EDGE_OK;
}

/* The key layout for slots of bits bits: seq above a ref of bits + 1. */
static void set_slot_bits(sim_engine *e, unsigned bits)
{
    e->slot_bits = bits;
    e->low_bits = bits + 1 + HBITS;
    e->slot_mask = ((uint64_t)1 << bits) - 1;
    e->seq_max = ((uint64_t)1 << (64 - e->low_bits)) - 1;
}

static int cmp_seq(const void *a, const void *b)
{
    uint64_t x = ((const hkey *)a)->key, y = ((const hkey *)b)->key;
    return x < y ? -1 : x > y;
}

/* Renumbers in seq order, not in (time, seq) order: every seq keeps its
 * order against every other seq, whatever the times, and so does the
 * running event's (e->run_key), which sim_engine_schedule_again may still
 * give to a new event. Keys that share a seq (the running event's, reused)
 * keep sharing it. Then sorts by (time, seq): a sorted array is a heap. */
static edge_err rekey(sim_engine *e, unsigned bits)
{
    settle(e);
    if (far_gather(e) != EDGE_OK)
        return EDGE_NOMEM;
    if (e->n > 1) /* qsort must not see the NULL heap of an empty engine */
        qsort(e->heap, e->n, sizeof *e->heap, cmp_seq);
    uint64_t run = e->run_key >> e->low_bits;
    unsigned old_bits = e->slot_bits;
    uint64_t c = 0, prev = UINT64_MAX, prev_new = 0, run_new = 0;
    bool placed = false;
    /* The side events' seqs (a timer's set or a push takes a fresh seq: never
     * one of a key's) take their places among the keys': the pending timers
     * by seq and each lane in push order (seq order), merged as the keys
     * are walked; one pass more (i == n) places those after every key. */
    uint32_t tix[SIM_ENGINE_TIMERS];
    size_t nt = 0, ti = 0, lpos[SIM_ENGINE_LANES] = {0};
    for (uint32_t i = 0; i < e->ntimers; i++)
        if (timer_pending(e, i)) {
            size_t j = nt++;
            for (; j > 0 && e->shead[tix[j - 1]].seq > e->shead[i].seq; j--)
                tix[j] = tix[j - 1];
            tix[j] = i;
        }
    for (size_t i = 0; i <= e->n; i++) {
        uint64_t old = i < e->n ? e->heap[i].key >> e->low_bits : UINT64_MAX;
        for (;;) {
            uint64_t *next = ti < nt ? &e->shead[tix[ti]].seq : NULL;
            int which = -1;
            for (uint32_t j = 0; j < e->nlanes; j++) {
                struct elane *l = &e->lanes[j];
                if (lpos[j] < l->n) {
                    uint64_t *q = &l->q[(l->head + lpos[j]) & (l->cap - 1)].seq;
                    if (!next || *q < *next) {
                        next = q;
                        which = (int)j;
                    }
                }
            }
            if (!next || *next >= old)
                break;
            if (!placed && run < *next) {
                run_new = c++;
                placed = true;
            }
            *next = c++;
            if (which < 0)
                ti++;
            else
                lpos[which]++;
        }
        if (i == e->n)
            break;
        if (!placed && run <= old) {
            run_new = c++;
            placed = true;
            if (old == run) {
                prev = old;
                prev_new = run_new;
            }
        }
        if (old != prev) {
            prev = old;
            prev_new = c++;
        }
        /* the ref field widens with the slots: its INLINE bit moves up */
        uint64_t k = e->heap[i].key, ref = (k >> HBITS) & (((uint64_t)1 << old_bits) - 1);
        if ((k >> (HBITS + old_bits)) & 1)
            ref |= (uint64_t)1 << bits;
        e->heap[i].key = prev_new << (bits + 1 + HBITS) | ref << HBITS | (k & HOWN);
    }
    if (!placed)
        run_new = c++;
    if (e->n > 1)
        qsort(e->heap, e->n, sizeof *e->heap, cmp_key);
    set_slot_bits(e, bits);
    e->run_key = run_new << e->low_bits;
    e->seq = c;
    side_refresh(e); /* the side seqs moved */
    return e->far_shift ? far_scatter(e) : EDGE_OK;
}

/* The key k, laid out for slots of old_bits bits, for slots of bits bits:
 * seq, ref and handler index kept, the ref field wider (its INLINE bit moves
 * up). Among keys of one layout it keeps their order: seq above, then the
 * INLINE bit, then the slot or inline `a`, then the handler index. */
static inline uint64_t widen_key(uint64_t k, unsigned old_bits, unsigned bits)
{
    uint64_t seq = k >> (old_bits + 1 + HBITS);
    uint64_t ref = (k >> HBITS) & (((uint64_t)1 << old_bits) - 1);
    if ((k >> (HBITS + old_bits)) & 1)
        ref |= (uint64_t)1 << bits;
    return seq << (bits + 1 + HBITS) | ref << HBITS | (k & HOWN);
}

/* Widens the ref field to bits slot bits (the pool crossed a power of
 * two). When every seq handed out so far fits the narrower seq field, each
 * key is rewritten in place, O(n): widen_key keeps the order of keys, so
 * the heap stays a heap and each far key stays in its bucket (routing.json:
 * the two widenings of its run were 27 M instructions of sorting, 2.5% of
 * the loop). Otherwise rekey renumbers (O(n log n)). */
__attribute__((noinline)) static edge_err widen(sim_engine *e, unsigned bits)
{
    uint64_t seq_max = ((uint64_t)1 << (64 - (bits + 1 + HBITS))) - 1;
    if (e->seq > seq_max)
        return rekey(e, bits);
    unsigned old = e->slot_bits;
    for (size_t i = 0; i < e->n; i++)
        e->heap[i].key = widen_key(e->heap[i].key, old, bits);
    if (e->nfar)
        for (size_t b = 0; b <= FAR_RING; b++) {
            struct far_bucket *fb = b < FAR_RING ? &e->ring[b] : e->ovf;
            for (size_t i = 0; i < fb->n; i++)
                fb->k[i].key = widen_key(fb->k[i].key, old, bits);
        }
    e->run_key = widen_key(e->run_key, old, bits);
    set_slot_bits(e, bits);
    return EDGE_OK;
}

static edge_err grow_pool(sim_engine *e)
{
    if ((size_t)e->nslots + CHUNK > SIM_ENGINE_MAX_PENDING)
        return EDGE_LIMIT;
    if (e->nchunks == e->chunks_cap) {
        size_t nc = e->chunks_cap ? 2 * e->chunks_cap : 8;
        rec **c = realloc(e->chunks, nc * sizeof *c);
        if (!c)
            return EDGE_NOMEM;
        e->chunks = c;
        e->chunks_cap = nc;
    }
    if (e->own) {
        hpair *o = realloc(e->own, ((size_t)e->nslots + CHUNK) * sizeof *o);
        if (!o)
            return EDGE_NOMEM;
        e->own = o;
        e->own_cap = (size_t)e->nslots + CHUNK;
    }
    rec *chunk = aligned_alloc(64, CHUNK * (sizeof *chunk + sizeof(uint32_t)));
    if (!chunk)
        return EDGE_NOMEM;
    uint32_t base = e->nslots, *gen = (uint32_t *)(chunk + CHUNK);
    for (uint32_t i = 0; i < CHUNK; i++) {
        chunk[i] = (sim_payload){0};
        chunk[i].a = i + 1 < CHUNK ? base + i + 1 : e->free_head;
        gen[i] = 0;
    }
    e->chunks[e->nchunks++] = chunk;
    e->hint_next = true;
    e->nslots += CHUNK;
    e->free_head = base;
    if (((uint64_t)e->nslots - 1) >> e->slot_bits) {
        unsigned bits = e->slot_bits;
        while (((uint64_t)e->nslots - 1) >> bits)
            bits++;
        return widen(e, bits);
    }
    return EDGE_OK;
}

/* The heap array is placed so that heap[1] starts a 64-byte line: then the
 * four children 4i+1 .. 4i+4 of every node share one cache line (measured
 * +2-3% at 64 k pending). Hence aligned_alloc and a copy instead of
 * realloc; growth doubles, so copies cost O(1) amortized. */
#define HEAP_PAD 3 /* entries before heap[0]: 3 x 16 + 16 = 64 */

static hkey *heap_alloc(size_t cap)
{
    size_t bytes = (cap + HEAP_PAD + 1) * sizeof(hkey);
    bytes = (bytes + 63) & ~(size_t)63;
    hkey *raw = aligned_alloc(64, bytes);
    return raw ? raw + HEAP_PAD : NULL;
}

static void heap_free(hkey *h)
{
    if (h)
        free(h - HEAP_PAD);
}

static edge_err grow_heap(sim_engine *e)
{
    size_t nc = e->cap ? 2 * e->cap : 1024;
    hkey *h = heap_alloc(nc);
    if (!h)
        return EDGE_NOMEM;
    if (e->n)
        memcpy(h, e->heap, e->n * sizeof *h);
    heap_free(e->heap);
    e->heap = h;
    e->cap = nc;
    return EDGE_OK;
}

sim_engine *sim_engine_create(size_t capacity_hint)
{
    sim_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->free_head = NO_SLOT;
    e->fail = EDGE_OK;
    e->side = -1;
    memset(e->shead, 0xff, sizeof e->shead);
    if (capacity_hint > SIM_ENGINE_MAX_PENDING)
        capacity_hint = SIM_ENGINE_MAX_PENDING;
    if (capacity_hint == 0)
        capacity_hint = CHUNK;
    /* The ref field is sized for the hint from the start (so inline
     * payloads up to it fit); the pool itself grows only when an event
     * needs a record: an engine of inline events has none. */
    unsigned bits = MIN_SLOT_BITS;
    while ((capacity_hint - 1) >> bits)
        bits++;
    set_slot_bits(e, bits);
    e->heap = heap_alloc(capacity_hint);
    if (!e->heap)
        goto fail;
    e->cap = capacity_hint;
    return e;
fail:
    sim_engine_destroy(e);
    return NULL;
}

void sim_engine_destroy(sim_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nchunks; i++)
        free(e->chunks[i]);
    free(e->chunks);
    free(e->own);
    heap_free(e->heap);
    if (e->ring)
        for (size_t b = 0; b < FAR_RING; b++)
            free(e->ring[b].k);
    free(e->ring);
    if (e->ovf)
        free(e->ovf->k);
    free(e->ovf);
    for (uint32_t i = 0; i < e->nlanes; i++)
        free(e->lanes[i].q);
    free(e);
}

static inline size_t live(const sim_engine *e)
{
    return e->n + e->nfar - e->dead - (e->hold ? 1 : 0) + e->ntpending + e->nlaned;
}

/* The side event (a timer or a lane's head) runs before the event of heap
 * key k. */
static inline bool side_first(const sim_engine *e, hkey k)
{
    return e->side_time < k.time || (e->side_time == k.time && e->side_seq < k.key >> e->low_bits);
}

/* The side event that runs first, from the heads of the timers and lanes
 * made: (time, seq) compared as one 128-bit number. */
static void side_pick(sim_engine *e)
{
    int best = 0;
    unsigned __int128 bk = ~(unsigned __int128)0;
    for (int i = 0; i < SIM_ENGINE_TIMERS + SIM_ENGINE_LANES; i++) {
        if (i == (int)e->ntimers) /* past the timers made: on to the lanes */
            i = SIM_ENGINE_TIMERS;
        if (i >= SIM_ENGINE_TIMERS + (int)e->nlanes)
            break;
        unsigned __int128 k = (unsigned __int128)e->shead[i].time << 64 | e->shead[i].seq;
        if (k < bk) {
            bk = k;
            best = i;
        }
    }
    e->side = e->shead[best].time == UINT64_MAX ? -1 : best;
    e->side_time = e->shead[best].time;
    e->side_seq = e->shead[best].seq;
}

/* Side index i's next event is now (t, q) (UINT64_MAX twice: none). */
static void side_set(sim_engine *e, int i, uint64_t t, uint64_t q)
{
    e->shead[i].time = t;
    e->shead[i].seq = q;
    if (i == e->side) { /* it moved or left: another may come first now */
        side_pick(e);
        return;
    }
    if (t != UINT64_MAX &&
        (e->side < 0 || t < e->side_time || (t == e->side_time && q < e->side_seq))) {
        e->side = i;
        e->side_time = t;
        e->side_seq = q;
    }
}

/* The lanes' heads read again from their rings (their seqs were
 * renumbered; the timers' were renumbered in place), then the first of
 * them all. */
static void side_refresh(sim_engine *e)
{
    for (uint32_t j = 0; j < e->nlanes; j++) {
        const struct elane *l = &e->lanes[j];
        if (l->n)
            e->shead[SIM_ENGINE_TIMERS + j] =
                (struct shead){l->q[l->head].time, l->q[l->head].seq};
    }
    side_pick(e);
}

static edge_err far_grow(struct far_bucket *b)
{
    size_t nc = b->cap ? 2 * b->cap : 16;
    hkey *k = realloc(b->k, nc * sizeof *k);
    if (!k)
        return EDGE_NOMEM;
    b->k = k;
    b->cap = nc;
    return EDGE_OK;
}

/* Moves the keys of ovf that now fall in the ring's reach into it, and
 * recomputes ovf_min. */
static edge_err far_spill(sim_engine *e)
{
    struct far_bucket *o = e->ovf;
    uint64_t lo = UINT64_MAX;
    size_t j = 0;
    for (size_t i = 0; i < o->n; i++) {
        uint64_t tb = o->k[i].time >> e->far_shift;
        if (tb - e->cur <= FAR_RING) {
            struct far_bucket *b = &e->ring[tb & (FAR_RING - 1)];
            if (b->n == b->cap && far_grow(b) != EDGE_OK)
                return EDGE_NOMEM;
            b->k[b->n++] = o->k[i];
        } else {
            if (tb < lo)
                lo = tb;
            o->k[j++] = o->k[i];
        }
    }
    o->n = j;
    e->ovf_min = lo;
    return EDGE_OK;
}

/* The heap is empty and far keys wait: moves the next non-empty bucket
 * into the heap. */
static edge_err far_refill(sim_engine *e)
{
    for (;;) {
        if (e->nfar == e->ovf->n) { /* the ring is empty: jump to ovf's first */
            e->cur = e->ovf_min - 1;
            if (far_spill(e) != EDGE_OK)
                return EDGE_NOMEM;
        }
        e->cur++;
        struct far_bucket *b = &e->ring[e->cur & (FAR_RING - 1)];
        size_t k = b->n;
        if (k) {
            while (e->cap < k)
                if (grow_heap(e) != EDGE_OK)
                    return EDGE_NOMEM;
            memcpy(e->heap, b->k, k * sizeof *b->k);
            e->n = k;
            e->nfar -= k;
            b->n = 0;
        }
        /* The drained bucket gives its array back: it next fills a whole
         * ring later, maybe to another size, and a kept array would hold
         * the room of the fullest visit forever (on scale.json, the far
         * tier grew from 5 to 147 MB over a 40-minute run). malloc hands
         * the memory to the buckets filling now; regrowing costs at most
         * two copies per key, next to a heapify's log. */
        free(b->k);
        b->k = NULL;
        b->cap = 0;
        /* Spills take keys up to FAR_RING buckets ahead but start when the
         * first is FAR_RING / 2 ahead (schedule sends further ones to ovf),
         * so ovf is scanned once per FAR_RING / 2 buckets, not per bucket. */
        if (e->ovf->n && e->ovf_min - e->cur <= FAR_RING / 2 && far_spill(e) != EDGE_OK)
            return EDGE_NOMEM;
        if (k) {
            heapify(e->heap, e->n);
            return EDGE_OK;
        }
    }
}

edge_err sim_engine_set_far(sim_engine *e, unsigned shift)
{
    if (shift >= 63)
        return EDGE_INVAL;
    if (e->running || e->n || e->nfar)
        return EDGE_STATE;
    if (shift && !e->ring) {
        e->ring = calloc(FAR_RING, sizeof *e->ring);
        e->ovf = calloc(1, sizeof *e->ovf);
        if (!e->ring || !e->ovf)
            return EDGE_NOMEM;
    }
    e->far_shift = shift;
    e->cur = shift ? (uint64_t)e->now >> shift : 0;
    e->ovf_min = UINT64_MAX;
    return EDGE_OK;
}

/* The cache slot of (fn, ctx): 8 bits of a multiplicative hash. */
static inline uint32_t pair_hash(sim_handler fn, void *ctx)
{
    uint64_t x = (uint64_t)(uintptr_t)fn ^ ((uint64_t)(uintptr_t)ctx >> 3);
    return (uint32_t)((x * 0x9e3779b97f4a7c15ULL) >> 56);
}

/* pair_index past the cache: the table in order, adding the pair when it
 * is new; HOWN when the table is full (the pair then goes to own[slot]). */
__attribute__((noinline)) static uint32_t pair_lookup(sim_engine *e, sim_handler fn, void *ctx,
                                                      uint32_t c)
{
    uint32_t h;
    for (h = 0; h < e->nh; h++)
        if (e->htab[h].fn == fn && e->htab[h].ctx == ctx)
            break;
    if (h == e->nh) {
        if (e->nh == HOWN)
            return HOWN;
        e->htab[e->nh++] = (hpair){fn, ctx};
    }
    e->hcache[c] = (uint8_t)(h + 1);
    return h;
}

/* The table index of (fn, ctx): a direct-mapped cache of 256 entries in
 * front of the table (a world alternates between a dozen handlers, so a
 * "last pair" check missed 95% of the time on routing.json). */
static inline uint32_t pair_index(sim_engine *e, sim_handler fn, void *ctx)
{
    uint32_t c = pair_hash(fn, ctx), h = e->hcache[c];
    if (h && e->htab[h - 1].fn == fn && e->htab[h - 1].ctx == ctx)
        return h - 1;
    return pair_lookup(e, fn, ctx, c);
}

/* The event (payload, out, again, its pair index h) is kept in its key,
 * without a record (see the key's comment above). */
static inline bool keeps_inline(const sim_engine *e, sim_payload payload, const sim_handle *out,
                                bool again, uint32_t h)
{
    return ((uint64_t)(uintptr_t)out | payload.id | payload.b | (uint64_t)again | (uint64_t)(h == HOWN)
            | (uint64_t)(payload.a > e->slot_mask))
           == 0;
}

/* Every case of schedule (the common one also has a shorter path in
 * sim_engine_schedule). at and fn are checked, h = pair_index(fn, ctx). */
__attribute__((noinline)) static edge_err schedule(sim_engine *e, edge_time at, sim_handler fn,
                                                   void *ctx, sim_payload payload,
                                                   sim_handle *out, bool again, uint32_t h)
{
    bool inl = keeps_inline(e, payload, out, again, h);
    if (!inl && e->free_head == NO_SLOT) {
        edge_err err = grow_pool(e);
        if (err != EDGE_OK)
            return err;
    }
    if (h == HOWN && !e->own) {
        e->own = malloc((size_t)e->nslots * sizeof *e->own);
        if (!e->own)
            return EDGE_NOMEM;
        e->own_cap = e->nslots;
    }
    if (e->seq > e->seq_max && rekey(e, e->slot_bits) != EDGE_OK)
        return EDGE_NOMEM;
    struct far_bucket *fb = NULL;
    uint64_t tb = (uint64_t)at >> e->far_shift;
    if (e->far_shift && tb > e->cur) {
        fb = tb - e->cur <= FAR_RING / 2 ? &e->ring[tb & (FAR_RING - 1)] : e->ovf;
        if (fb->n == fb->cap && far_grow(fb) != EDGE_OK)
            return EDGE_NOMEM;
    } else if (e->n == e->cap && !e->hold) {
        edge_err err = grow_heap(e);
        if (err != EDGE_OK)
            return err;
    }
    uint64_t ref;
    uint32_t s = 0, gen = 0;
    if (inl) {
        ref = (uint64_t)1 << e->slot_bits | payload.a;
    } else {
        s = e->free_head;
        rec *r = slot_rec(e, s);
        e->free_head = r->a;
        gen = ++*slot_gen(e, s);
        *r = payload;
        if (h == HOWN)
            e->own[s] = (hpair){fn, ctx};
        ref = s;
    }
    uint64_t seq = again ? e->run_key >> e->low_bits : e->seq++;
    hkey k = {(uint64_t)at, seq << e->low_bits | ref << HBITS | h};
    if (fb) {
        fb->k[fb->n++] = k;
        e->nfar++;
        if (fb == e->ovf && tb < e->ovf_min)
            e->ovf_min = tb;
    } else if (e->hold) { /* the running event's root slot is free: fill it */
        e->hold = false;
        sift_down(e->heap, e->n, 0, k);
    } else {
        sift_up(e->heap, e->n++, k);
    }
    e->n_scheduled++;
    size_t p = live(e);
    if (p > e->peak_pending)
        e->peak_pending = p;
    if (out)
        out->v = (uint64_t)gen << 32 | ((uint64_t)s + 1);
    return EDGE_OK;
}

edge_err sim_engine_schedule(sim_engine *e, edge_time at, sim_handler fn, void *ctx,
                             sim_payload payload, sim_handle *out)
{
    /* The short path: a handler's first schedule, of an event kept in its
     * key (no handle, a small `a` only) for the handler and context that
     * are running (PHOLD's every event; a generator's next), into the
     * heap. Its key takes the running event's place at the root: no
     * record, no growth (the held root is room), and the pending count is
     * back where it was before the running event was taken, so the peak
     * cannot move. The pair's index is the running one's, so no lookup.
     * (PHOLD 64 x 16: 535 -> ... instructions per event.) */
    if (e->hold && fn == e->run_fn && ctx == e->run_ctx && at >= e->now && !out
        && !(payload.id | payload.b) && payload.a <= e->slot_mask && e->seq <= e->seq_max
        && (!e->far_shift || ((uint64_t)at >> e->far_shift) <= e->cur)) {
        uint64_t ref = (uint64_t)1 << e->slot_bits | payload.a;
        hkey k = {(uint64_t)at, e->seq++ << e->low_bits | ref << HBITS | e->run_h};
        e->hold = false;
        sift_down(e->heap, e->n, 0, k);
        e->n_scheduled++;
        return EDGE_OK;
    }
    if (at < e->now || !fn)
        return EDGE_INVAL;
    return schedule(e, at, fn, ctx, payload, out, false, pair_index(e, fn, ctx));
}

edge_err sim_engine_schedule_again(sim_engine *e, edge_time at, sim_handler fn, void *ctx,
                                   sim_payload payload, sim_handle *out)
{
    if (!e->running)
        return EDGE_STATE;
    if (at < e->now || !fn)
        return EDGE_INVAL;
    return schedule(e, at, fn, ctx, payload, out, true, pair_index(e, fn, ctx));
}

edge_err sim_engine_schedule_in(sim_engine *e, edge_time delay, sim_handler fn, void *ctx,
                                sim_payload payload, sim_handle *out)
{
    if (delay < 0)
        return EDGE_INVAL;
    if (delay > EDGE_TIME_MAX - e->now)
        return EDGE_RANGE;
    return sim_engine_schedule(e, e->now + delay, fn, ctx, payload, out);
}

/* The slot h names while its event is pending, else NO_SLOT. */
static uint32_t handle_slot(const sim_engine *e, sim_handle h)
{
    uint64_t s1 = h.v & 0xffffffffu;
    if (s1 == 0 || s1 > e->nslots)
        return NO_SLOT;
    uint32_t s = (uint32_t)(s1 - 1);
    if (*slot_gen(e, s) != (uint32_t)(h.v >> 32) || !is_live(e, s))
        return NO_SLOT;
    return s;
}

/* Puts slot s (its record r) on the free list. Its generation is already
 * even: a tombstone's, or moved on by the caller for an event that ran. */
static inline void free_slot(sim_engine *e, uint32_t s, rec *r)
{
    r->a = e->free_head;
    e->free_head = s;
}

/* Drops every tombstone and rebuilds the heap. O(n). */
static void compact(sim_engine *e)
{
    settle(e);
    size_t j = 0;
    for (size_t i = 0; i < e->n; i++) {
        uint32_t s = key_slot(e, e->heap[i].key);
        if (key_live(e, e->heap[i].key))
            e->heap[j++] = e->heap[i];
        else
            free_slot(e, s, slot_rec(e, s));
    }
    e->n = j;
    heapify(e->heap, e->n);
    if (e->nfar) {
        e->ovf_min = UINT64_MAX;
        for (size_t b = 0; b <= FAR_RING; b++) {
            struct far_bucket *fb = b < FAR_RING ? &e->ring[b] : e->ovf;
            size_t m = 0;
            for (size_t i = 0; i < fb->n; i++) {
                uint32_t s = key_slot(e, fb->k[i].key);
                if (key_live(e, fb->k[i].key)) {
                    fb->k[m++] = fb->k[i];
                    if (b == FAR_RING && (fb->k[i].time >> e->far_shift) < e->ovf_min)
                        e->ovf_min = fb->k[i].time >> e->far_shift;
                } else {
                    free_slot(e, s, slot_rec(e, s));
                }
            }
            e->nfar -= fb->n - m;
            fb->n = m;
        }
    }
    e->dead = 0;
}

static inline bool should_compact(const sim_engine *e)
{
    return e->dead > (e->n + e->nfar - e->dead) / 2 + COMPACT_SLACK;
}

bool sim_engine_cancel(sim_engine *e, sim_handle h)
{
    uint32_t s = handle_slot(e, h);
    if (s == NO_SLOT)
        return false;
    /* a tombstone: its key leaves the heap at the top (and frees the slot) */
    ++*slot_gen(e, s);
    e->dead++;
    e->n_cancelled++;
    if (!e->hold && should_compact(e))
        compact(e);
    return true;
}

bool sim_engine_is_pending(const sim_engine *e, sim_handle h)
{
    return handle_slot(e, h) != NO_SLOT;
}

/* Pops tombstones off the top. */
static inline void drop_dead_top(sim_engine *e)
{
    while (e->n) {
        uint32_t s = key_slot(e, e->heap[0].key);
        if (key_live(e, e->heap[0].key))
            return;
        pop_root(e);
        e->dead--;
        free_slot(e, s, slot_rec(e, s));
    }
}

/* After a handler returned, for an event of the heap or a side event: the
 * held key (if still held) goes, the run counts; true when the loop must
 * stop (stopped, failed, one event asked, interrupted). */
static inline bool ran(sim_engine *e)
{
    settle(e);
    e->n_run++;
    if (e->stopping)
        return true;
    if (e->interrupt && *e->interrupt) {
        e->stopping = true;
        return true;
    }
    if (e->dead && should_compact(e))
        compact(e);
    return false;
}

/* Runs the side event (due before every key): as the loop runs an event,
 * with no key held. True when the loop must stop. */
static bool run_side(sim_engine *e)
{
    sim_event ev = {(edge_time)e->side_time, {{0}, 0, 0}};
    sim_handler fn;
    void *ctx;
    uint64_t seq = e->side_seq;
    if (e->side < SIM_ENGINE_TIMERS) {
        const struct etimer *tm = &e->timers[e->side];
        e->ntpending--;
        fn = tm->fn;
        ctx = tm->ctx;
        side_set(e, e->side, UINT64_MAX, UINT64_MAX);
    } else {
        struct elane *l = &e->lanes[e->side - SIM_ENGINE_TIMERS];
        ev.payload = l->q[l->head].p;
        l->head = (l->head + 1) & (l->cap - 1);
        l->n--;
        e->nlaned--;
        fn = l->fn;
        ctx = l->ctx;
        if (l->n)
            side_set(e, e->side, l->q[l->head].time, l->q[l->head].seq);
        else
            side_set(e, e->side, UINT64_MAX, UINT64_MAX);
    }
    e->run_h = HOWN;
    e->run_fn = NULL; /* no short path: it fills a held root */
    e->run_ctx = ctx;
    e->now = ev.time;
    e->run_key = seq << e->low_bits;
    e->hold = false;
    fn(e, ctx, &ev);
    return ran(e);
}

static edge_err run_loop(sim_engine *e, edge_time t, bool bounded, bool one)
{
    if (e->running)
        return EDGE_STATE;
    if (bounded && t < e->now)
        return EDGE_INVAL;
    e->running = true;
    e->stopping = one; /* one event: the loop stops after its handler */
    e->fail = EDGE_OK;
    uint64_t limit = (uint64_t)t;
    for (;;) {
        if (!e->n && e->nfar) {
            edge_err err = far_refill(e);
            if (err != EDGE_OK) {
                e->fail = err;
                break;
            }
        }
        if (e->side >= 0 && (!e->n || side_first(e, e->heap[0]))) {
            if (e->side_time > limit)
                break;
            if (run_side(e))
                break;
            continue;
        }
        if (!e->n)
            break;
        hkey top = e->heap[0];
        if (top.time > limit)
            break;
        uint32_t s = key_slot(e, top.key);
        sim_event ev = {(edge_time)top.time, {{0}, 0, 0}};
        if (key_inline(e, top.key)) {
            ev.payload.a = s;
        } else {
            rec *r = slot_rec(e, s);
            if (!is_live(e, s)) { /* a tombstone */
                pop_root(e);
                e->dead--;
                free_slot(e, s, r);
                continue;
            }
            ev.payload = *r;
            ++*slot_gen(e, s); /* even: no longer pending */
            /* The record is free before the handler runs, so its first
             * schedule reuses it while it is in cache. */
            free_slot(e, s, r);
        }
        hpair hp = key_pair(e, top.key);
        e->run_h = (uint32_t)(top.key & HOWN);
        e->run_fn = e->run_h != HOWN ? hp.fn : NULL;
        e->run_ctx = hp.ctx;
        /* The key stays at the root (hold) until the handler's first
         * schedule replaces it or the handler returns. */
        e->now = ev.time;
        e->run_key = top.key;
        e->hold = true;
        /* While the handler runs, the next event is most likely the least
         * child of the root: fetch its record (read next) and generation
         * (written when its handler schedules) into cache. At 64 k pending
         * the pool no longer fits in L2; this took PHOLD there from 11.2 to
         * 14.1 M events/s. (In a static inline function of its own, gcc 12
         * dropped the prefetches altogether; check objdump for prefetcht0.)
         * An inline event has no record to fetch. */
        if (e->hint_next && e->n >= 5) {
            hkey mv = e->heap[1];
            size_t m = 1;
            for (size_t k = 2; k < 5; k++)
                if (key_lt(e->heap[k], mv)) { /* the same cmov shape as sift_down */
                    mv = e->heap[k];
                    m = k;
                }
            uint32_t ns = key_slot(e, mv.key);
            bool n_inl = key_inline(e, mv.key);
            if (!n_inl) {
                __builtin_prefetch(slot_rec(e, ns));
                __builtin_prefetch(slot_gen(e, ns), 1);
            }
            if (e->prefetch) {
                /* The event after it: the least of the root's other
                 * children and m's children. */
                hkey sv = {UINT64_MAX, UINT64_MAX};
                for (size_t k = 1; k < 5; k++)
                    if (k != m && key_lt(e->heap[k], sv))
                        sv = e->heap[k];
                for (size_t k = 4 * m + 1; k < 4 * m + 5 && k < e->n; k++)
                    if (key_lt(e->heap[k], sv))
                        sv = e->heap[k];
                /* the handler first (a table, no record): the payload
                 * only for the ones the owner asked for */
                hpair p2 = key_pair(e, sv.key);
                if (hint_wanted(e, p2.fn) && key_live(e, sv.key)) {
                    sim_event ev2 = {(edge_time)sv.time, key_payload(e, sv.key)};
                    e->prefetch(p2.ctx, p2.fn, &ev2, 2, hp.fn, &ev);
                }
                hpair p1 = key_pair(e, mv.key);
                if (hint_wanted(e, p1.fn) && key_live(e, mv.key)) {
                    sim_event nev = {(edge_time)mv.time, key_payload(e, mv.key)};
                    e->prefetch(p1.ctx, p1.fn, &nev, 1, hp.fn, &ev);
                }
            }
        }
        hp.fn(e, hp.ctx, &ev);
        if (ran(e))
            break;
    }
    if (!e->stopping && bounded)
        e->now = t;
    e->running = false;
    return e->fail;
}

edge_err sim_engine_prefetch_only(sim_engine *e, const sim_handler *fns, size_t n)
{
    if (n > SIM_PREFETCH_ONLY_MAX || (n && !fns))
        return EDGE_INVAL;
    for (size_t i = 0; i < n; i++)
        e->prefetch_only[i] = fns[i];
    e->nprefetch_only = n;
    return EDGE_OK;
}

void sim_engine_set_prefetch(sim_engine *e, sim_prefetch_fn fn)
{
    e->prefetch = fn;
    e->hint_next = e->nchunks || fn;
}

void sim_engine_set_interrupt(sim_engine *e, const volatile sig_atomic_t *flag)
{
    e->interrupt = flag;
}

edge_err sim_engine_run_until(sim_engine *e, edge_time t)
{
    return run_loop(e, t, true, false);
}

edge_err sim_engine_run(sim_engine *e)
{
    return run_loop(e, EDGE_TIME_MAX, false, false);
}

edge_err sim_engine_step(sim_engine *e, edge_time t, bool *ran)
{
    uint64_t before = e->n_run;
    edge_err rc = run_loop(e, t, true, true);
    if (ran)
        *ran = e->n_run != before;
    return rc;
}

void sim_engine_stop(sim_engine *e)
{
    if (e->running)
        e->stopping = true;
}

void sim_engine_fail(sim_engine *e, edge_err err)
{
    if (!e->running)
        return;
    e->stopping = true;
    if (e->fail == EDGE_OK)
        e->fail = err;
}

edge_time sim_engine_now(const sim_engine *e)
{
    return e->now;
}

size_t sim_engine_pending(const sim_engine *e)
{
    return live(e);
}

bool sim_engine_next_time(sim_engine *e, edge_time *out)
{
    settle(e);
    for (;;) {
        drop_dead_top(e);
        if (e->n || !e->nfar)
            break;
        if (far_refill(e) != EDGE_OK)
            return false;
    }
    if (e->side >= 0 && (!e->n || side_first(e, e->heap[0]))) {
        *out = (edge_time)e->side_time;
        return true;
    }
    if (!e->n)
        return false;
    *out = (edge_time)e->heap[0].time;
    return true;
}

bool sim_engine_due_now(sim_engine *e)
{
    uint64_t now = (uint64_t)e->now;
    if (e->side >= 0 && e->side_time <= now)
        return true;
    /* Far keys are in buckets past the one now is in (in a run: it is the
     * bucket of a key the heap held): never due. Heap keys
     * descend from the root (from its children while the running key is
     * held there), so if those are all later, every key is. */
    size_t lo = e->hold ? 1 : 0, hi = e->hold ? 5 : 1;
    bool unsure = e->far_shift && (now >> e->far_shift) > e->cur; /* outside a run only */
    for (size_t i = lo; i < hi && i < e->n; i++)
        if (e->heap[i].time <= now) {
            if (key_live(e, e->heap[i].key))
                return true;
            unsure = true; /* a tombstone: the live key below may be due */
        }
    if (!unsure)
        return false;
    edge_time t;
    return sim_engine_next_time(e, &t) && (uint64_t)t <= now;
}

void sim_engine_get_stats(const sim_engine *e, sim_engine_stats *out)
{
    out->scheduled = e->n_scheduled;
    out->run = e->n_run;
    out->cancelled = e->n_cancelled;
    out->pending = live(e);
    out->peak_pending = e->peak_pending;
    out->bytes = sizeof *e + (e->cap + HEAP_PAD + 1) * sizeof *e->heap + e->chunks_cap * sizeof *e->chunks
                 + e->nchunks * (size_t)CHUNK * (sizeof(rec) + sizeof(uint32_t))
                 + e->own_cap * sizeof *e->own;
    for (uint32_t i = 0; i < e->nlanes; i++)
        out->bytes += e->lanes[i].cap * sizeof *e->lanes[i].q;
    if (e->ring) {
        out->bytes += (FAR_RING + 1) * sizeof *e->ring + e->ovf->cap * sizeof(hkey);
        for (size_t b = 0; b < FAR_RING; b++)
            out->bytes += e->ring[b].cap * sizeof(hkey);
    }
}

edge_err sim_engine_timer_create(sim_engine *e, sim_handler fn, void *ctx, sim_timer *out)
{
    if (!fn || !out)
        return EDGE_INVAL;
    if (e->ntimers == SIM_ENGINE_TIMERS)
        return EDGE_LIMIT;
    e->timers[e->ntimers] = (struct etimer){.fn = fn, .ctx = ctx};
    out->v = ++e->ntimers;
    return EDGE_OK;
}

/* The index of timer t, or -1 when it is not one of e's. */
static int timer_index(const sim_engine *e, sim_timer t)
{
    return t.v >= 1 && t.v <= e->ntimers ? (int)(t.v - 1) : -1;
}

edge_err sim_engine_timer_set(sim_engine *e, sim_timer t, edge_time at)
{
    int i = timer_index(e, t);
    if (i < 0 || at < e->now)
        return EDGE_INVAL;
    /* a fresh seq, as schedule takes: renumber first when they ran out */
    if (e->seq > e->seq_max && rekey(e, e->slot_bits) != EDGE_OK)
        return EDGE_NOMEM;
    if (timer_pending(e, (uint32_t)i))
        e->n_cancelled++;
    else
        e->ntpending++;
    e->n_scheduled++;
    side_set(e, i, (uint64_t)at, e->seq++);
    size_t p = live(e);
    if (p > e->peak_pending)
        e->peak_pending = p;
    return EDGE_OK;
}

bool sim_engine_timer_clear(sim_engine *e, sim_timer t)
{
    int i = timer_index(e, t);
    if (i < 0 || !timer_pending(e, (uint32_t)i))
        return false;
    e->ntpending--;
    e->n_cancelled++;
    side_set(e, i, UINT64_MAX, UINT64_MAX);
    return true;
}

edge_err sim_engine_lane_create(sim_engine *e, sim_handler fn, void *ctx, sim_lane *out)
{
    if (!fn || !out)
        return EDGE_INVAL;
    if (e->nlanes == SIM_ENGINE_LANES)
        return EDGE_LIMIT;
    e->lanes[e->nlanes] = (struct elane){.fn = fn, .ctx = ctx};
    out->v = ++e->nlanes;
    return EDGE_OK;
}

edge_err sim_engine_lane_push(sim_engine *e, sim_lane lane, edge_time at, sim_payload payload)
{
    if (lane.v < 1 || lane.v > e->nlanes || at < e->now)
        return EDGE_INVAL;
    struct elane *l = &e->lanes[lane.v - 1];
    if (l->n && (uint64_t)at < l->q[(l->head + l->n - 1) & (l->cap - 1)].time)
        return EDGE_RANGE; /* before the last pending one */
    if (e->seq > e->seq_max && rekey(e, e->slot_bits) != EDGE_OK)
        return EDGE_NOMEM;
    if (l->n == l->cap) { /* double the ring, unwrapped */
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct litem *q = malloc(cap * sizeof *q);
        if (!q)
            return EDGE_NOMEM;
        for (size_t i = 0; i < l->n; i++)
            q[i] = l->q[(l->head + i) & (l->cap - 1)];
        free(l->q);
        l->q = q;
        l->cap = cap;
        l->head = 0;
    }
    l->q[(l->head + l->n) & (l->cap - 1)] = (struct litem){(uint64_t)at, e->seq++, payload};
    e->nlaned++;
    e->n_scheduled++;
    if (++l->n == 1) /* a new head */
        side_set(e, SIM_ENGINE_TIMERS + (int)(lane.v - 1), (uint64_t)at, e->seq - 1);
    size_t p = live(e);
    if (p > e->peak_pending)
        e->peak_pending = p;
    return EDGE_OK;
}

bool sim_engine_timer_pending(const sim_engine *e, sim_timer t, edge_time *at)
{
    int i = timer_index(e, t);
    if (i < 0 || !timer_pending(e, (uint32_t)i))
        return false;
    if (at)
        *at = (edge_time)e->shead[i].time;
    return true;
}

edge_err sim__engine_set_seq(sim_engine *e, uint64_t seq)
{
    if (seq < e->seq)
        return EDGE_INVAL;
    e->seq = seq;
    return EDGE_OK;
}
