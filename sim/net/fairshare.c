/*
 * fairshare.c — max-min fair sharing of links among flows (fairshare.h).
 *
 * Flows with the same route (the same links in the same order) always get
 * the same rate, so the solver works on route classes: a class keeps the
 * count of its active flows, its rate, and a virtual clock v (the bytes
 * each of its flows has received since the class's origin, up to vt). A
 * flow's finish tag is v at its start + its bytes; a min-heap of tags per
 * class gives the class's next finish. A rate change settles the class's
 * clock (one multiply-add), not its flows.
 *
 * Each link lists its classes with active flows (unordered; each class
 * keeps, per hop, its position there). A flush walks the component of the
 * changed links in the bipartite graph links <-> classes (breadth first,
 * marks are epochs so nothing is cleared), and runs progressive filling
 * over it with the classes' counts. Order of everything is the order of the
 * walk, which depends only on the sequence of calls: runs are repeatable.
 * A flush whose changes provably move no other rate skips the walk and
 * the fill (the fast paths, just before sim_fairshare_flush).
 */
#include "net/fairshare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fs_flow {
    double tag;   /* class v at the start + bytes (no link: the start time) */
    uint32_t cls; /* its route class */
    uint32_t hpos; /* index in the class's heap */
    uint32_t next_free;
    uint8_t active;
} fs_flow;

/* A class's heap of flows starts inside its record (most routes carry one
 * or two flows at a time: no allocation, no other line to load). */
#define FS_INLINE_HEAP 2

/* 128 bytes, two lines of a line-aligned array: a flow's start or end
 * reads and writes nearly all of it. What only the route table reads (the
 * hash chain) is apart, in fs_class_cold. */
typedef struct fs_class {
    _Alignas(64) double rate; /* bytes/ns of each flow */
    double v;                 /* bytes each flow received since the origin, at vt */
    double vlimit;            /* the origin moves when v passes this */
    edge_time vt;
    edge_time fin;  /* its next finish, while in the solver's heap */
    uint64_t fseq;  /* when fin was set: orders equal fins */
    uint32_t *heap; /* flow ids, a min-heap on (tag, id): inl while it is NULL */
    uint32_t n, hroom;
    uint32_t links[SIM_FAIRSHARE_MAX_HOPS];
    uint32_t pos[SIM_FAIRSHARE_MAX_HOPS]; /* index in links[k]'s class list */
    uint32_t inl[FS_INLINE_HEAP];
    uint32_t mark;  /* epoch of the last walk that saw it */
    uint32_t fixed; /* fill epoch of the last fill that fixed it */
    uint32_t gpos;  /* index in the solver's heap of groups, or FS_NONE */
    uint8_t nhops, listed, dirty, changed;
} fs_class;

typedef struct fs_class_cold {
    uint32_t hnext; /* next class in its hash chain */
} fs_class_cold;

/* A link's list of classes starts inside its record (an access link
 * carries a few routes: no allocation, no other line to load). */
#define FS_INLINE_CLASSES 4

/* 128 bytes, two lines of a line-aligned array: a start or an end on the
 * link reads and writes nearly all of it. */
_Static_assert(sizeof(fs_class) == 128, "a class is two lines");

typedef struct fs_link {
    _Alignas(64) double cap; /* bytes/ns */
    double used;             /* sum of its flows' rates */
    /* The rates as of the last flush, for the fast paths (see flush):
     * rem, the capacity left (cap minus the takes, in the fill's order,
     * then minus and plus the fast paths' rates); hi, at least the rate of
     * every class on the link; rn, the flows those rates count. During a
     * fill, rem is the capacity not yet taken. */
    double rem, hi;
    /* accounting up to `since` */
    edge_time since, busy;
    double bytes, flows_integral, util_max;
    uint32_t *cls; /* listed classes: inl while NULL */
    uint32_t nc, room;
    uint32_t n;    /* active flows */
    uint32_t mark; /* epoch */
    uint32_t rn;
    uint32_t unfixed; /* scratch of a fill */
    uint32_t inl[FS_INLINE_CLASSES];
    /* rem is what a fill would compute, bit for bit: set by a fill and by
     * the fast paths that subtract in the fill's order (see FAST PATHS) */
    uint8_t exact;
} fs_link;

_Static_assert(sizeof(fs_link) == 128, "a link is two lines");

/* A change waiting for the flush that may take a fast path: the first flow
 * of an empty class started, or the only flow of a class ended (rate: the
 * class's rate before). Any other change sets pend_full. */
typedef struct fs_change {
    double rate;
    uint32_t cls;
    uint8_t start;
} fs_change;

struct sim_fairshare {
    fs_link *links;
    size_t nlinks;
    fs_flow *flows;
    size_t nflows_cap, active;
    uint32_t free_head;
    fs_class *classes; /* line-aligned */
    fs_class_cold *cold;
    size_t nclasses, classes_cap;
    uint32_t *buckets; /* hash of the routes -> first class of the chain */
    uint32_t *gheap;   /* classes with a next finish: a min-heap on (fin, fseq) */
    size_t ngheap;
    uint64_t fseq;
    size_t nbuckets;
    uint32_t epoch;
    edge_time last_now;
    uint32_t fill_epoch;
    /* the cached component (links marked comp_ep; valid while comp_ok),
     * the unlists since its walk, the fill's scan list, the changed list */
    uint32_t *comp_links, *scan, *changed;
    size_t ncomp_links, nchanged;
    uint32_t comp_ep, unlists;
    int comp_ok;
    sim_fairshare_counts counts;
    /* changes waiting for the flush: the links they touched, the classes
     * whose flows came or went */
    uint32_t *pend, *dirty;
    size_t npend, ndirty;
    uint32_t pend_room;
    fs_change *chg; /* the changes since the flush, in call order */
    size_t nchg, chg_room;
    int pend_full; /* some change needs the full recomputation */
    int deferred;
};

#define FS_NONE UINT32_MAX
/* Classes that may leave the cached component before it is walked again. */
#define FS_REUSE_UNLISTS 2
/* A cached component this small is reused however many classes left it. */
#define FS_REUSE_LINKS 64

sim_fairshare *sim_fairshare_create(size_t nlinks, const double *capacity)
{
    sim_fairshare *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t nl = nlinks ? nlinks : 1;
    s->links = aligned_alloc(_Alignof(fs_link), nl * sizeof *s->links);
    if (s->links)
        memset(s->links, 0, nl * sizeof *s->links);
    s->comp_links = malloc(nl * sizeof *s->comp_links);
    s->scan = malloc(nl * sizeof *s->scan);
    if (!s->links || !s->comp_links || !s->scan)
        goto fail;
    s->nlinks = nlinks;
    for (size_t l = 0; l < nlinks; l++) {
        if (!(capacity[l] > 0) || !isfinite(capacity[l]))
            goto fail;
        s->links[l].cap = capacity[l];
        s->links[l].rem = capacity[l];
        s->links[l].exact = 1;
    }
    s->free_head = FS_NONE;
    return s;
fail:
    sim_fairshare_free(s);
    return NULL;
}

void sim_fairshare_free(sim_fairshare *s)
{
    if (!s)
        return;
    if (s->links)
        for (size_t l = 0; l < s->nlinks; l++)
            free(s->links[l].cls);
    for (size_t c = 0; c < s->nclasses; c++)
        free(s->classes[c].heap);
    free(s->links);
    free(s->flows);
    free(s->classes);
    free(s->cold);
    free(s->buckets);
    free(s->gheap);
    free(s->comp_links);
    free(s->scan);
    free(s->changed);
    free(s->pend);
    free(s->dirty);
    free(s->chg);
    free(s);
}

static int grow_u32(uint32_t **a, uint32_t *room, size_t need)
{
    if (need <= *room)
        return 0;
    size_t n = *room ? (size_t)*room * 2 : 8;
    while (n < need)
        n *= 2;
    if (n > UINT32_MAX)
        return -1;
    uint32_t *p = realloc(*a, n * sizeof *p);
    if (!p)
        return -1;
    *a = p;
    *room = (uint32_t)n;
    return 0;
}

/* Room for one more recorded change. */
static int grow_chg(sim_fairshare *s)
{
    if (s->nchg < s->chg_room)
        return 0;
    size_t n = s->chg_room ? s->chg_room * 2 : 8;
    fs_change *p = realloc(s->chg, n * sizeof *p);
    if (!p)
        return -1;
    s->chg = p;
    s->chg_room = n;
    return 0;
}

/* ---- route classes ---- */

/* A link's class list and a class's heap keep their first items inside
 * their record (inl, a fixed few) and move to an allocation (*a, with room
 * for *room) when they outgrow it. Room for need items, n of them present. */
static int small_reserve(uint32_t **a, uint32_t *room, const uint32_t *inl, size_t ninl,
                         size_t n, size_t need)
{
    if (*a)
        return grow_u32(a, room, need);
    if (need <= ninl)
        return 0;
    uint32_t *p = NULL, r = 0;
    if (grow_u32(&p, &r, need))
        return -1;
    memcpy(p, inl, n * sizeof *p);
    *a = p;
    *room = r;
    return 0;
}

static uint32_t *link_cls(fs_link *l)
{
    return l->cls ? l->cls : l->inl;
}

static const uint32_t *link_cls_c(const fs_link *l)
{
    return l->cls ? l->cls : l->inl;
}

static int cls_reserve(fs_link *l, size_t need)
{
    return small_reserve(&l->cls, &l->room, l->inl, FS_INLINE_CLASSES, l->nc, need);
}

static uint32_t *class_heap(fs_class *k)
{
    return k->heap ? k->heap : k->inl;
}

static const uint32_t *class_heap_c(const fs_class *k)
{
    return k->heap ? k->heap : k->inl;
}

static int heap_reserve(fs_class *k, size_t need)
{
    return small_reserve(&k->heap, &k->hroom, k->inl, FS_INLINE_HEAP, k->n, need);
}

static uint64_t route_hash(const uint32_t *links, size_t nhops)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ nhops;
    for (size_t k = 0; k < nhops; k++) {
        h ^= links[k];
        h *= 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    return h;
}

static uint32_t class_find(const sim_fairshare *s, const uint32_t *links, size_t nhops)
{
    if (!s->nbuckets)
        return FS_NONE;
    uint32_t c = s->buckets[route_hash(links, nhops) & (s->nbuckets - 1)];
    while (c != FS_NONE) {
        const fs_class *k = &s->classes[c];
        if (k->nhops == nhops && (!nhops || memcmp(k->links, links, nhops * sizeof *links) == 0))
            return c;
        c = s->cold[c].hnext;
    }
    return FS_NONE;
}

/* Room for one more class: the class array, the hash (kept at most half
 * full) and the arrays sized by the number of classes. */
static int class_reserve(sim_fairshare *s)
{
    size_t need = s->nclasses + 1;
    if (need > s->classes_cap) {
        size_t cap = s->classes_cap ? s->classes_cap * 2 : 16;
        if (cap >= FS_NONE)
            return -1;
        fs_class *p = aligned_alloc(_Alignof(fs_class), cap * sizeof *p);
        if (!p)
            return -1;
        if (s->nclasses)
            memcpy(p, s->classes, s->nclasses * sizeof *p);
        free(s->classes);
        s->classes = p;
        fs_class_cold *q = realloc(s->cold, cap * sizeof *q);
        if (!q)
            return -1;
        s->cold = q;
        uint32_t *b = realloc(s->changed, cap * sizeof *b);
        if (!b)
            return -1;
        s->changed = b;
        uint32_t *d = realloc(s->dirty, cap * sizeof *d);
        if (!d)
            return -1;
        s->dirty = d;
        uint32_t *gh = realloc(s->gheap, cap * sizeof *gh);
        if (!gh)
            return -1;
        s->gheap = gh;
        s->classes_cap = cap;
    }
    if (need * 2 > s->nbuckets) {
        size_t nb = s->nbuckets ? s->nbuckets * 2 : 32;
        uint32_t *b = malloc(nb * sizeof *b);
        if (!b)
            return -1;
        for (size_t i = 0; i < nb; i++)
            b[i] = FS_NONE;
        for (size_t c = s->nclasses; c-- > 0;) { /* chains keep creation order reversed */
            fs_class *k = &s->classes[c];
            size_t i = route_hash(k->links, k->nhops) & (nb - 1);
            s->cold[c].hnext = b[i];
            b[i] = (uint32_t)c;
        }
        free(s->buckets);
        s->buckets = b;
        s->nbuckets = nb;
    }
    return 0;
}

/* Call after class_reserve: cannot fail. */
static uint32_t class_add(sim_fairshare *s, const uint32_t *links, size_t nhops)
{
    uint32_t c = (uint32_t)s->nclasses++;
    fs_class *k = &s->classes[c];
    memset(k, 0, sizeof *k);
    if (nhops)
        memcpy(k->links, links, nhops * sizeof *links);
    k->nhops = (uint8_t)nhops;
    k->rate = nhops ? 0 : HUGE_VAL;
    k->gpos = FS_NONE;
    size_t i = route_hash(links, nhops) & (s->nbuckets - 1);
    s->cold[c].hnext = s->buckets[i];
    s->buckets[i] = c;
    return c;
}

/* Brings the class's clock up to now at its current rate. */
static void settle_class(fs_class *k, edge_time now)
{
    if (now > k->vt) {
        if (k->n && k->nhops && k->rate > 0)
            k->v += k->rate * (double)(now - k->vt);
        k->vt = now;
    }
}

/* ---- the heap of the groups' next finishes ---- */

static int fin_lt(const fs_class *a, const fs_class *b)
{
    return a->fin < b->fin || (a->fin == b->fin && a->fseq < b->fseq);
}

static void gh_set(sim_fairshare *s, size_t i, uint32_t c)
{
    s->gheap[i] = c;
    s->classes[c].gpos = (uint32_t)i;
}

static void gh_up(sim_fairshare *s, size_t i)
{
    uint32_t c = s->gheap[i];
    const fs_class *k = &s->classes[c];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!fin_lt(k, &s->classes[s->gheap[p]]))
            break;
        gh_set(s, i, s->gheap[p]);
        i = p;
    }
    gh_set(s, i, c);
}

static void gh_down(sim_fairshare *s, size_t i)
{
    uint32_t c = s->gheap[i];
    const fs_class *k = &s->classes[c];
    for (;;) {
        size_t j = 2 * i + 1;
        if (j >= s->ngheap)
            break;
        if (j + 1 < s->ngheap && fin_lt(&s->classes[s->gheap[j + 1]], &s->classes[s->gheap[j]]))
            j++;
        if (!fin_lt(&s->classes[s->gheap[j]], k))
            break;
        gh_set(s, i, s->gheap[j]);
        i = j;
    }
    gh_set(s, i, c);
}

static edge_time finish_of(const fs_class *k, const struct fs_flow *f);

/* Group c's next finish changed (or may have): it takes its place in the
 * heap as if its finish event were scheduled now (after the equal ones). */
static void gh_update(sim_fairshare *s, uint32_t c)
{
    fs_class *k = &s->classes[c];
    edge_time fin = k->n ? finish_of(k, &s->flows[class_heap(k)[0]]) : EDGE_TIME_MAX;
    if (fin == EDGE_TIME_MAX) {
        if (k->gpos != FS_NONE) {
            size_t i = k->gpos;
            k->gpos = FS_NONE;
            uint32_t last = s->gheap[--s->ngheap];
            if (i < s->ngheap) {
                gh_set(s, i, last);
                gh_up(s, i);
                gh_down(s, s->classes[last].gpos);
            }
        }
        return;
    }
    k->fin = fin;
    k->fseq = ++s->fseq;
    if (k->gpos == FS_NONE) {
        gh_set(s, s->ngheap++, c);
        gh_up(s, s->ngheap - 1);
    } else {
        gh_up(s, k->gpos);
        gh_down(s, k->gpos);
    }
}

/* Every changed group takes its place, in the order of the changed list
 * (fseq in that order, as gh_update one by one would give). When many
 * change, their keys are set and the heap is rebuilt bottom-up: O(G)
 * instead of O(changed * log G). The heap's order (fin, fseq) is total, so
 * its root, and every later pop, are the same either way. */
static void gh_update_changed(sim_fairshare *s)
{
    size_t n = s->nchanged;
    if (n * 4 < s->ngheap + 8) {
        for (size_t i = 0; i < n; i++)
            gh_update(s, s->changed[i]);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s->changed[i];
        fs_class *k = &s->classes[c];
        edge_time fin = k->n ? finish_of(k, &s->flows[class_heap(k)[0]]) : EDGE_TIME_MAX;
        if (fin == EDGE_TIME_MAX) {
            if (k->gpos != FS_NONE) { /* out: the last takes its slot */
                size_t at = k->gpos;
                k->gpos = FS_NONE;
                uint32_t last = s->gheap[--s->ngheap];
                if (at < s->ngheap)
                    gh_set(s, at, last);
            }
            continue;
        }
        k->fin = fin;
        k->fseq = ++s->fseq;
        if (k->gpos == FS_NONE)
            gh_set(s, s->ngheap++, c);
    }
    for (size_t i = s->ngheap / 2; i-- > 0;)
        gh_down(s, i);
}

/* ---- a class's heap of finish tags ---- */

static int tag_lt(const fs_flow *fl, uint32_t a, uint32_t b)
{
    return fl[a].tag < fl[b].tag || (fl[a].tag == fl[b].tag && a < b);
}

static void heap_set(fs_flow *fl, uint32_t *heap, uint32_t i, uint32_t id)
{
    heap[i] = id;
    fl[id].hpos = i;
}

static void heap_up(fs_flow *fl, fs_class *k, uint32_t i)
{
    uint32_t *heap = class_heap(k), id = heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!tag_lt(fl, id, heap[p]))
            break;
        heap_set(fl, heap, i, heap[p]);
        i = p;
    }
    heap_set(fl, heap, i, id);
}

static void heap_down(fs_flow *fl, fs_class *k, uint32_t i)
{
    uint32_t *heap = class_heap(k), id = heap[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= k->n)
            break;
        if (c + 1 < k->n && tag_lt(fl, heap[c + 1], heap[c]))
            c++;
        if (!tag_lt(fl, heap[c], id))
            break;
        heap_set(fl, heap, i, heap[c]);
        i = c;
    }
    heap_set(fl, heap, i, id);
}

/* Moves the class's origin to now's v: every tag minus v (an order-keeping
 * shift), so that tag - v keeps its precision while the class never
 * empties. Called at most once per vlimit of service, which is four times
 * the largest remaining at the previous move: every flow then present has
 * finished since, so the O(n) is paid by the starts in between. */
static void rebase(sim_fairshare *s, fs_class *k)
{
    double most = 0;
    const uint32_t *heap = class_heap(k);
    for (uint32_t i = 0; i < k->n; i++) {
        fs_flow *f = &s->flows[heap[i]];
        f->tag -= k->v;
        if (f->tag > most)
            most = f->tag;
    }
    k->v = 0;
    k->vlimit = 4 * most;
}

/* ---- links ---- */

/* Link accounting from l->since to now at its current rates and count. */
static void settle_link(fs_link *l, edge_time now)
{
    /* Without a branch (dt is 0 about as often as not in a flush: it
     * mispredicted): adding products with a dt of 0 adds +0 or -0, which
     * leaves the sums (never -0: they start at +0) as they are. */
    edge_time dt = now - l->since;
    dt = dt > 0 ? dt : 0;
    l->bytes += l->used * (double)dt;
    l->flows_integral += (double)l->n * (double)dt;
    l->busy += l->n ? dt : 0;
    l->since = now;
}

static void class_list(sim_fairshare *s, uint32_t c)
{
    fs_class *k = &s->classes[c];
    for (uint8_t h = 0; h < k->nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        k->pos[h] = l->nc;
        link_cls(l)[l->nc++] = c;
        if (l->mark != s->comp_ep)
            s->comp_ok = 0; /* joins links out of the cached component */
    }
    k->listed = 1;
}

static void class_unlist(sim_fairshare *s, uint32_t c)
{
    fs_class *k = &s->classes[c];
    for (uint8_t h = 0; h < k->nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        uint32_t *cls = link_cls(l), p = k->pos[h], last = cls[--l->nc];
        if (last != c) {
            cls[p] = last;
            fs_class *g = &s->classes[last];
            for (uint8_t j = 0; j < g->nhops; j++)
                if (g->links[j] == k->links[h]) {
                    g->pos[j] = p;
                    break;
                }
        }
    }
    k->listed = 0;
    s->unlists++;
}

static void mark_dirty(sim_fairshare *s, uint32_t c)
{
    fs_class *k = &s->classes[c];
    if (!k->dirty) {
        k->dirty = 1;
        s->dirty[s->ndirty++] = c;
    }
}

/* ---- the walk and the fill ---- */

/* The component of the seed links: every link reachable through classes.
 * It stays as the cached component (comp_links, comp_ep) for later
 * flushes: see flush. */
static void walk(sim_fairshare *s, const uint32_t *seeds, size_t nseeds)
{
    uint32_t ep = ++s->epoch;
    if (ep == 0) { /* wrapped: clear the marks once */
        for (size_t l = 0; l < s->nlinks; l++)
            s->links[l].mark = 0;
        for (size_t c = 0; c < s->nclasses; c++)
            s->classes[c].mark = 0;
        ep = s->epoch = 1;
    }
    s->ncomp_links = 0;
    for (size_t k = 0; k < nseeds; k++) {
        fs_link *l = &s->links[seeds[k]];
        if (l->mark != ep) {
            l->mark = ep;
            s->comp_links[s->ncomp_links++] = seeds[k];
        }
    }
    for (size_t q = 0; q < s->ncomp_links; q++) {
        const fs_link *l = &s->links[s->comp_links[q]];
        const uint32_t *cls = link_cls_c(l);
        for (uint32_t j = 0; j < l->nc; j++) {
            fs_class *k = &s->classes[cls[j]];
            if (k->mark == ep)
                continue;
            k->mark = ep;
            for (uint8_t h = 0; h < k->nhops; h++) {
                fs_link *m = &s->links[k->links[h]];
                if (m->mark != ep) {
                    m->mark = ep;
                    s->comp_links[s->ncomp_links++] = k->links[h];
                }
            }
        }
    }
    s->comp_ep = ep;
    s->comp_ok = 1;
    s->unlists = 0;
    s->counts.walks++;
}

/* x, or +0 when x is below 0 (or -0): x > 0 ? x : 0 for a number, by bit
 * operations (a fill's rem is below 0 by rounding at times, and a branch on
 * it mispredicted often). */
static inline double nonneg(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    b &= ~(uint64_t)((int64_t)b >> 63);
    memcpy(&x, &b, sizeof b);
    return x;
}

/* Progressive filling at now over the links comp_links (a union of whole
 * components: every class listed on them has all its links there). Each
 * round fixes the classes of the link of least share among those with
 * unfixed flows (the first such link in comp_links order on a tie). A
 * class fixed at a share other than its rate settles its clock at the old
 * rate, takes the share and is listed as changed (so is a dirty one); each
 * link's used is the sum of the takes. */
static void fill(sim_fairshare *s, edge_time now)
{
    s->counts.recomputes++;
    uint32_t fe = ++s->fill_epoch;
    if (fe == 0) { /* wrapped: clear the marks once */
        for (size_t c = 0; c < s->nclasses; c++)
            s->classes[c].fixed = 0;
        fe = s->fill_epoch = 1;
    }
    size_t ns = 0;
    for (size_t q = 0; q < s->ncomp_links; q++) {
        fs_link *l = &s->links[s->comp_links[q]];
        settle_link(l, now);
        l->rem = l->cap;
        l->unfixed = l->rn = l->n;
        l->used = 0;
        l->hi = 0;
        l->exact = 1;
        if (l->n)
            s->scan[ns++] = s->comp_links[q];
    }
    for (;;) {
        /* Without branches on the data (they mispredicted about one time in
         * three, most of the fill's cost at 20 flows): a link with no unfixed
         * flow is dropped from the list and never wins (its share is +inf,
         * x + 0 being x for x >= +0); a share is finite otherwise (rem <=
         * cap), so the first link with flows beats HUGE_VAL, and a later one
         * only a strictly lower share (the first on a tie). */
        fs_link *best = NULL;
        double share = HUGE_VAL;
        size_t keep = 0;
        for (size_t q = 0; q < ns; q++) {
            fs_link *l = &s->links[s->scan[q]];
            uint32_t u = l->unfixed;
            s->scan[keep] = s->scan[q];
            keep += u != 0;
            static const double never[2] = {0, HUGE_VAL}; /* by an index: no branch */
            double x = nonneg(l->rem) / (double)(u + (u == 0)) + never[u == 0];
            int better = x < share;
            share = better ? x : share;
            best = better ? l : best;
        }
        ns = keep;
        if (!best)
            break;
        const uint32_t *bcls = link_cls_c(best);
        for (uint32_t j = 0; j < best->nc; j++) {
            uint32_t c = bcls[j];
            fs_class *k = &s->classes[c];
            if (k->fixed == fe)
                continue;
            k->fixed = fe;
            s->counts.groups_visited++;
            /* copies: the stores to the links may alias the class's
             * fields as far as the compiler knows */
            const uint32_t kn = k->n, nhops = k->nhops;
            const double take = share * (double)kn;
            for (uint32_t h = 0; h < nhops; h++) {
                fs_link *m = &s->links[k->links[h]];
                m->rem -= take;
                m->unfixed -= kn;
                m->used += take;
                m->hi = share > m->hi ? share : m->hi; /* a maxsd, not a branch */
            }
            if (share != k->rate) {
                settle_class(k, now);
                k->rate = share;
                s->counts.rate_changes++;
                k->changed = 1;
                s->changed[s->nchanged++] = c;
            } else if (k->dirty) {
                k->changed = 1;
                s->changed[s->nchanged++] = c;
            }
        }
    }
    for (size_t q = 0; q < s->ncomp_links; q++) {
        fs_link *l = &s->links[s->comp_links[q]];
        double u = l->used / l->cap;
        if (u > 1)
            u = 1; /* rounding of the shares */
        if (u > l->util_max)
            l->util_max = u;
    }
}

/* ---- starts and ends ---- */

/* Links each < nlinks, none twice, at most SIM_FAIRSHARE_MAX_HOPS. */
static int route_ok(const sim_fairshare *s, const uint32_t *links, size_t nhops)
{
    if ((nhops && !links) || nhops > SIM_FAIRSHARE_MAX_HOPS)
        return 0;
    for (size_t k = 0; k < nhops; k++) {
        if (links[k] >= s->nlinks)
            return 0;
        for (size_t j = 0; j < k; j++)
            if (links[j] == links[k])
                return 0;
    }
    return 1;
}

edge_err sim_fairshare_route(sim_fairshare *s, const uint32_t *links, size_t nhops,
                             uint32_t *group)
{
    if (!s || !group || !route_ok(s, links, nhops))
        return EDGE_INVAL;
    uint32_t c = class_find(s, links, nhops);
    if (c == FS_NONE) {
        if (class_reserve(s))
            return EDGE_NOMEM;
        c = class_add(s, links, nhops);
    }
    *group = c;
    return EDGE_OK;
}

void sim_fairshare_prefetch(const sim_fairshare *s, uint32_t g, uint32_t l)
{
    if (g < s->nclasses) {
        __builtin_prefetch(&s->classes[g], 1);
        __builtin_prefetch((const char *)&s->classes[g] + 64, 1);
    }
    if (l < s->nlinks) {
        __builtin_prefetch(&s->links[l], 1);
        __builtin_prefetch((const char *)&s->links[l] + 64, 1);
    }
}

size_t sim_fairshare_group_links(const sim_fairshare *s, uint32_t g, const uint32_t **links)
{
    *links = s->classes[g].links;
    return s->classes[g].nhops;
}

/* Makes sure a new flow id, room in class c's heap and on every link of
 * its route, so that nothing can fail after the state starts to change. */
static int reserve(sim_fairshare *s, uint32_t c)
{
    if (s->free_head == FS_NONE) {
        size_t cap = s->nflows_cap ? s->nflows_cap * 2 : 64;
        if (cap > UINT32_MAX - 1)
            return -1;
        fs_flow *p = realloc(s->flows, cap * sizeof *p);
        if (!p)
            return -1;
        s->flows = p;
        for (size_t i = cap; i-- > s->nflows_cap;) {
            memset(&p[i], 0, sizeof p[i]);
            p[i].next_free = s->free_head;
            s->free_head = (uint32_t)i;
        }
        s->nflows_cap = cap;
    }
    fs_class *k = &s->classes[c];
    if (grow_u32(&s->pend, &s->pend_room, s->npend + k->nhops) || grow_chg(s) ||
        heap_reserve(k, (size_t)k->n + 1))
        return -1;
    for (size_t h = 0; h < k->nhops && !k->listed; h++) {
        fs_link *l = &s->links[k->links[h]];
        if (cls_reserve(l, (size_t)l->nc + 1))
            return -1;
    }
    return 0;
}

edge_err sim_fairshare_start(sim_fairshare *s, edge_time now, const uint32_t *links,
                             size_t nhops, double bytes, uint32_t *id)
{
    if (!s || !id || !(bytes > 0) || !isfinite(bytes) || now < s->last_now)
        return EDGE_INVAL; /* before the route: a bad flow makes no group */
    uint32_t c;
    edge_err rc = sim_fairshare_route(s, links, nhops, &c);
    return rc != EDGE_OK ? rc : sim_fairshare_start_group(s, now, c, bytes, id);
}

edge_err sim_fairshare_start_group(sim_fairshare *s, edge_time now, uint32_t c, double bytes,
                                   uint32_t *id)
{
    if (!s || !id || c >= s->nclasses || !(bytes > 0) || !isfinite(bytes) || now < s->last_now)
        return EDGE_INVAL;
    if (reserve(s, c))
        return EDGE_NOMEM;
    s->last_now = now;
    uint32_t fid = s->free_head;
    fs_flow *f = &s->flows[fid];
    s->free_head = f->next_free;
    fs_class *k = &s->classes[c];
    size_t nhops = k->nhops;
    if (k->n == 0) { /* a new origin */
        k->v = 0;
        k->vt = now;
        k->vlimit = 4 * bytes;
    } else {
        settle_class(k, now);
        if (k->v > k->vlimit) {
            rebase(s, k);
            if (k->vlimit < 4 * bytes)
                k->vlimit = 4 * bytes;
        }
    }
    f->tag = nhops ? k->v + bytes : (double)now;
    f->cls = c;
    f->active = 1;
    if (nhops && k->n == 0)
        s->chg[s->nchg++] = (fs_change){.rate = 0, .cls = c, .start = 1};
    else if (nhops)
        s->pend_full = 1; /* a class with flows cannot take a new one as is */
    class_heap(k)[k->n++] = fid;
    heap_up(s->flows, k, k->n - 1);
    if (nhops && !k->listed)
        class_list(s, c);
    mark_dirty(s, c);
    gh_update(s, c);
    s->active++;
    s->counts.starts++;
    *id = fid;
    /* The links' counts change now: their accounting is brought up to now
     * first; the rates change at the flush. */
    for (size_t h = 0; h < nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        settle_link(l, now);
        l->n++;
        s->pend[s->npend++] = k->links[h];
    }
    return s->deferred ? EDGE_OK : sim_fairshare_flush(s, now);
}

edge_err sim_fairshare_end(sim_fairshare *s, edge_time now, uint32_t id)
{
    if (!s || id >= s->nflows_cap || !s->flows[id].active || now < s->last_now)
        return EDGE_INVAL;
    fs_flow *f = &s->flows[id];
    uint32_t c = f->cls;
    fs_class *k = &s->classes[c];
    if (grow_u32(&s->pend, &s->pend_room, s->npend + k->nhops) || grow_chg(s))
        return EDGE_NOMEM;
    s->last_now = now;
    s->counts.ends++;
    /* out of the heap: the last one takes its place */
    uint32_t p = f->hpos, last = class_heap(k)[--k->n];
    if (last != id) {
        heap_set(s->flows, class_heap(k), p, last);
        heap_up(s->flows, k, p);
        heap_down(s->flows, k, s->flows[last].hpos);
    }
    for (uint8_t h = 0; h < k->nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        settle_link(l, now);
        l->n--;
        s->pend[s->npend++] = k->links[h];
    }
    /* the fast path needs the class's rate of the last flush: not when it
     * changed since (dirty), nor when flows of its route remain */
    if (k->nhops && k->n == 0 && !k->dirty)
        s->chg[s->nchg++] = (fs_change){.rate = k->rate, .cls = c, .start = 0};
    else if (k->nhops)
        s->pend_full = 1;
    if (k->n == 0 && k->listed) {
        class_unlist(s, c);
        k->rate = 0; /* until a flush gives it flows and a rate again */
    }
    mark_dirty(s, c);
    f->active = 0;
    gh_update(s, c);
    f->next_free = s->free_head;
    s->free_head = id;
    s->active--;
    return s->deferred ? EDGE_OK : sim_fairshare_flush(s, now);
}

void sim_fairshare_set_deferred(sim_fairshare *s, int on)
{
    s->deferred = on != 0;
}

/* ---- the fast paths ----
 *
 * An allocation is THE max-min one (it is unique) iff it is feasible and
 * every flow has a bottleneck: a saturated link on which no flow has a
 * higher rate. A change that keeps every other flow's bottleneck keeps
 * every other rate, and then needs no fill:
 *
 * - The first flow of class c starts (its class had no flow, so it is
 *   alone on its route) with r = the least rem on its route. If every link
 *   of the route has room (rem > FS_ROOM x cap) and on a link l* where rem
 *   is r no class has a rate above r (hi <= r), then the old rates with c
 *   at r are max-min: feasible (r fits on every link), c's bottleneck is
 *   l* (now saturated, c's rate the highest there), and every other flow
 *   keeps its bottleneck (none was on c's route: those links had room).
 * - The only flow of class c ends, at rate r. If on every link of its
 *   route there was room, or every other class there was below
 *   r (1 - FS_ROOM), no other flow had its
 *   bottleneck on the route (it would have a rate >= r there), so each
 *   keeps its bottleneck elsewhere, unchanged.
 *
 * hi, a bound on the rates of a link's classes, accepts the start at once
 * when hi <= r; else, and for an end on a full link, the link's classes
 * are looked at (top_rate): O(classes there), which a fill would visit
 * anyway.
 *
 * The tests are conservative by FS_ROOM, far above the rounding of rem
 * (a sum of at most thousands of terms, each off by 2^-53): "room" is
 * never concluded on a link that is saturated in exact arithmetic, nor
 * "below" for a rate equal to r. hi <= r is exact: where it errs, the two
 * rates differ by rounding only, as the fill's own would.
 *
 * c's rate is the one the fill would compute: the fill would fix every
 * other class on l* before c (their rates are lower) taking the same
 * amounts in the same order as the fill that set rem, and give c what is
 * left on l*: rem, bit for bit (c alone on an empty route: cap, exactly).
 * That holds while rem is `exact`: set by a fill, or since changed only by
 * starts at a rate above every other on the link (a fill subtracts those
 * last too). An end's rem + r need not be the fill's rem without r, so it
 * clears exact, and a start that would take its rate from an inexact rem
 * recomputes. A link whose last flow leaves is reset (rem = cap, used = 0,
 * exact). The rates of the other classes are kept, where a new fill might
 * round one differently in the last bit (its order of subtractions differs
 * with the order it meets the classes); used can differ from a fill's in
 * the last bits (another order of additions). */
#define FS_ROOM 1e-9

static int has_room(const fs_link *l)
{
    return l->rem > FS_ROOM * l->cap;
}

/* The highest rate on link l as the changes before change i left it: its
 * listed classes' (a class started by a later change is listed at rate 0)
 * and those of the later changes that end a class crossing l (unlisted
 * already). O(classes on l + changes). */
static double top_rate(const sim_fairshare *s, uint32_t l, size_t i)
{
    const fs_link *m = &s->links[l];
    double top = 0;
    const uint32_t *cls = link_cls_c(m);
    for (uint32_t j = 0; j < m->nc; j++)
        if (s->classes[cls[j]].rate > top)
            top = s->classes[cls[j]].rate;
    for (size_t q = i + 1; q < s->nchg; q++) {
        const fs_class *k = &s->classes[s->chg[q].cls];
        for (uint8_t h = 0; !s->chg[q].start && h < k->nhops; h++)
            if (k->links[h] == l && s->chg[q].rate > top)
                top = s->chg[q].rate;
    }
    return top;
}

/* Change i starts the first flow of class c. */
static int fast_start(sim_fairshare *s, uint32_t c, size_t i, edge_time now)
{
    fs_class *k = &s->classes[c];
    double r = HUGE_VAL;
    for (uint8_t h = 0; h < k->nhops; h++) {
        const fs_link *l = &s->links[k->links[h]];
        if (!has_room(l))
            return 0;
        if (l->rem < r)
            r = l->rem;
    }
    /* a link l* where r is left, rem exact, no rate above r (the bound hi
     * says so at once; else the link's classes are looked at) */
    int ok = 0;
    for (uint8_t h = 0; h < k->nhops && !ok; h++) {
        const fs_link *l = &s->links[k->links[h]];
        ok = l->rem == r && l->exact && (l->hi <= r || top_rate(s, k->links[h], i) <= r);
    }
    if (!ok)
        return 0;
    for (uint8_t h = 0; h < k->nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        settle_link(l, now);
        /* a fill would take r after every lower rate: the same order */
        l->exact = l->exact && l->hi < r;
        l->rem -= r;
        l->used += r;
        l->rn++;
        if (r > l->hi)
            l->hi = r;
    }
    settle_class(k, now);
    k->rate = r;
    s->counts.rate_changes++;
    return 1;
}

/* Change i ends the only flow of class c, which had rate r. */
static int fast_end(sim_fairshare *s, uint32_t c, double r, size_t i, edge_time now)
{
    const fs_class *k = &s->classes[c];
    for (uint8_t h = 0; h < k->nhops; h++) {
        const fs_link *l = &s->links[k->links[h]];
        if (!has_room(l) && !(top_rate(s, k->links[h], i) < r * (1 - FS_ROOM)))
            return 0;
    }
    for (uint8_t h = 0; h < k->nhops; h++) {
        fs_link *l = &s->links[k->links[h]];
        settle_link(l, now);
        if (--l->rn == 0) { /* empty: exactly as a fill leaves it */
            l->rem = l->cap;
            l->used = 0;
            l->hi = 0;
            l->exact = 1;
            continue;
        }
        l->rem += r; /* (x - r) + r need not be x; hi stays a bound */
        l->exact = 0;
        l->used -= r;
    }
    return 1;
}

/* The changes since the last flush, in call order, each by its fast path;
 * 0 at the first that cannot take it (the fill then recomputes the
 * component of all of them: what the ones before it did is redone). On
 * success the started classes are listed as changed in the order a fill
 * would list them: by rate, then in call order. */
static int fast(sim_fairshare *s, edge_time now)
{
    for (size_t i = 0; i < s->nchg; i++) {
        const fs_change *x = &s->chg[i];
        if (!(x->start ? fast_start(s, x->cls, i, now) : fast_end(s, x->cls, x->rate, i, now)))
            return 0;
    }
    for (size_t i = 0; i < s->nchg; i++) {
        if (!s->chg[i].start)
            continue;
        uint32_t c = s->chg[i].cls;
        fs_class *k = &s->classes[c];
        /* the utilisation the flush leaves, as a fill takes it (not that of
         * the changes between) */
        for (uint8_t h = 0; h < k->nhops; h++) {
            fs_link *l = &s->links[k->links[h]];
            double u = l->used / l->cap;
            if (u > 1)
                u = 1;
            if (u > l->util_max)
                l->util_max = u;
        }
        if (k->changed)
            continue;
        k->changed = 1;
        size_t j = s->nchanged++;
        for (; j > 0 && s->classes[s->changed[j - 1]].rate > k->rate; j--)
            s->changed[j] = s->changed[j - 1];
        s->changed[j] = c;
    }
    s->counts.fast++;
    return 1;
}

edge_err sim_fairshare_flush(sim_fairshare *s, edge_time now)
{
    if (now < s->last_now)
        return EDGE_INVAL;
    s->last_now = now;
    for (size_t q = 0; q < s->nchanged; q++)
        s->classes[s->changed[q]].changed = 0;
    s->nchanged = 0;
    if (s->npend && (s->pend_full || !fast(s, now))) {
        /* The cached component serves while it holds every changed link,
         * no class joined it to links out of it, and at most
         * FS_REUSE_UNLISTS classes left it since its walk (a leaving class
         * may split it: it is then the union of at most 1 + u * (hops - 1)
         * components, filled together: the same rates, some extra work), or
         * it has at most FS_REUSE_LINKS links, when filling all of them
         * costs less than the walk that might find a smaller part (on a
         * 20-link tree with 20 flows, where a quarter of the flushes
         * walked: 12% less CPU a flow; no shipped scenario's output moved). */
        int reuse = s->comp_ok &&
                    (s->unlists <= FS_REUSE_UNLISTS || s->ncomp_links <= FS_REUSE_LINKS);
        for (size_t i = 0; i < s->npend && reuse; i++)
            reuse = s->links[s->pend[i]].mark == s->comp_ep;
        if (!reuse)
            walk(s, s->pend, s->npend);
        fill(s, now);
    }
    /* the dirty classes not listed yet: emptied ones, routes without
     * links */
    for (size_t i = 0; i < s->ndirty; i++) {
        fs_class *k = &s->classes[s->dirty[i]];
        if (!k->changed) {
            k->changed = 1;
            s->changed[s->nchanged++] = s->dirty[i];
        }
        k->dirty = 0;
    }
    s->npend = s->ndirty = s->nchg = 0;
    s->pend_full = 0;
    gh_update_changed(s);
    return EDGE_OK;
}

size_t sim_fairshare_changed(const sim_fairshare *s, const uint32_t **groups)
{
    *groups = s->changed;
    return s->nchanged;
}

/* When flow f of class k finishes at the class's rate: the first ns at
 * which tag - v bytes are through from vt (1e-9 relative tolerance). */
static edge_time finish_of(const fs_class *k, const struct fs_flow *f)
{
    if (k->nhops == 0)
        return (edge_time)f->tag;
    double rem = f->tag - k->v;
    if (rem <= 0)
        return k->vt;
    if (!(k->rate > 0))
        return EDGE_TIME_MAX;
    double q = rem / k->rate;
    if (q >= 9.0e18)
        return EDGE_TIME_MAX;
    /* floor(q) by truncation (q is positive and below 2^63): exact, and
     * without a call to libm's floor on a baseline x86-64 */
    edge_time whole = (edge_time)q;
    if (q - (double)whole > 1e-9 * q)
        whole += 1;
    return k->vt + whole;
}

bool sim_fairshare_next(const sim_fairshare *s, uint32_t *group, edge_time *at)
{
    if (!s->ngheap)
        return false;
    const fs_class *k = &s->classes[s->gheap[0]];
    *group = s->gheap[0];
    *at = k->fin;
    return true;
}

size_t sim_fairshare_groups(const sim_fairshare *s)
{
    return s->nclasses;
}

uint32_t sim_fairshare_group_of(const sim_fairshare *s, uint32_t id)
{
    return s->flows[id].cls;
}

uint32_t sim_fairshare_group_next(const sim_fairshare *s, uint32_t g)
{
    const fs_class *k = &s->classes[g];
    return k->n ? class_heap_c(k)[0] : SIM_FAIRSHARE_NONE;
}

edge_time sim_fairshare_group_finish(const sim_fairshare *s, uint32_t g)
{
    const fs_class *k = &s->classes[g];
    return k->n ? finish_of(k, &s->flows[class_heap_c(k)[0]]) : EDGE_TIME_MAX;
}

double sim_fairshare_rate(const sim_fairshare *s, uint32_t id)
{
    return s->classes[s->flows[id].cls].rate;
}

edge_time sim_fairshare_finish(const sim_fairshare *s, uint32_t id)
{
    const fs_flow *f = &s->flows[id];
    return finish_of(&s->classes[f->cls], f);
}

size_t sim_fairshare_active(const sim_fairshare *s)
{
    return s->active;
}

double sim_fairshare_capacity(const sim_fairshare *s, size_t l)
{
    return s->links[l].cap;
}

uint32_t sim_fairshare_link_flows(const sim_fairshare *s, size_t l)
{
    return s->links[l].n;
}

void sim_fairshare_link_stats_at(const sim_fairshare *s, size_t l, edge_time now,
                                 sim_fairshare_link_stats *out)
{
    fs_link k = s->links[l];
    settle_link(&k, now);
    out->bytes = k.bytes;
    out->busy = k.busy;
    out->flows_integral = k.flows_integral;
    out->util_max = k.util_max;
    out->flows = k.n;
}

void sim_fairshare_get_counts(const sim_fairshare *s, sim_fairshare_counts *out)
{
    *out = s->counts;
}
