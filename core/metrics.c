#include "metrics.h"

#include "alloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Two whole cache lines a scope (metrics.h), so that the OK path touches one. */
_Static_assert(sizeof(edge_metric_counts) == 128, "a scope is two 64-byte lines");
_Static_assert(offsetof(edge_metric_counts, by_reason) + sizeof(uint64_t) <= 64,
               "by_reason[OK] shares the histogram's line");

#define LINE 64

/* n zeroed scopes on a line boundary (aligned_alloc wants a multiple of
 * the alignment: a scope is 128 bytes). NULL when out of memory. */
static edge_metric_counts *alloc_scopes(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / sizeof(edge_metric_counts))
        return NULL;
    edge_metric_counts *p = aligned_alloc(LINE, n * sizeof *p);
    if (p)
        memset(p, 0, n * sizeof *p);
    return p;
}

const char *edge_reason_name(edge_reason r)
{
    switch (r) {
#define EDGE__REASON_NAME(name, str) case EDGE_REASON_##name: return str;
    EDGE_REASON_MAP(EDGE__REASON_NAME)
#undef EDGE__REASON_NAME
    case EDGE_REASON_COUNT:
        break;
    }
    return "unknown";
}

int edge_reason_is_rejection(edge_reason r)
{
    return r == EDGE_REASON_NO_ELIGIBLE_NODE || r == EDGE_REASON_QUEUE_FULL ||
           r == EDGE_REASON_NO_CAPACITY;
}

edge_err edge_metrics_init(edge_metrics *m, size_t nfunctions, size_t nnodes)
{
    memset(m, 0, sizeof *m);
    m->per_function = alloc_scopes(nfunctions);
    m->per_node = alloc_scopes(nnodes);
    if (!m->per_function || !m->per_node) {
        edge_metrics_free(m);
        return EDGE_NOMEM;
    }
    m->nfunctions = nfunctions;
    m->nnodes = nnodes;
    return EDGE_OK;
}

edge_err edge_metrics_grow_nodes(edge_metrics *m, size_t nnodes)
{
    if (nnodes <= m->nnodes)
        return EDGE_OK;
    edge_metric_counts *p = alloc_scopes(nnodes);
    if (!p)
        return EDGE_NOMEM;
    memcpy(p, m->per_node, m->nnodes * sizeof *p); /* the histograms' buckets move along */
    free(m->per_node);
    m->per_node = p;
    m->nnodes = nnodes;
    return EDGE_OK;
}

void edge_metrics_free(edge_metrics *m)
{
    if (!m)
        return;
    edge_histogram_clear(&m->total.latency);
    for (size_t i = 0; i < m->nfunctions; i++)
        edge_histogram_clear(&m->per_function[i].latency);
    for (size_t i = 0; i < m->nnodes; i++)
        edge_histogram_clear(&m->per_node[i].latency);
    free(m->per_function);
    free(m->per_node);
    edge__free(m->pending);
    memset(m, 0, sizeof *m);
}

/* One outcome into a scope. OK first: it is nearly every call, and touches
 * only the scope's first line (and the bucket's). */
static inline edge_err count(edge_metric_counts *c, edge_reason reason, edge_time latency,
                             int cold)
{
    c->by_reason[reason]++;
    if (reason == EDGE_REASON_OK) {
        if (cold)
            c->cold_starts++;
        return edge_histogram_record(&c->latency, latency);
    }
    if (cold && !edge_reason_is_rejection(reason))
        c->cold_starts++;
    return EDGE_OK;
}

edge_err edge_metrics_record(edge_metrics *m, size_t function, size_t node, edge_reason reason,
                             edge_time latency, int cold)
{
    if (function >= m->nfunctions || (unsigned)reason >= EDGE_REASON_COUNT ||
        (node != EDGE_METRICS_NO_NODE && node >= m->nnodes))
        return EDGE_INVAL;
    edge_err rc = count(&m->total, reason, latency, cold);
    edge_err rc2 = count(&m->per_function[function], reason, latency, cold);
    edge_err rc3 = node == EDGE_METRICS_NO_NODE ? EDGE_OK
                                                 : count(&m->per_node[node], reason, latency, cold);
    return rc ? rc : rc2 ? rc2 : rc3;
}

edge_err edge_metrics_record_deferred(edge_metrics *m, size_t function, size_t node,
                                      edge_reason reason, edge_time latency, int cold)
{
    if (function >= m->nfunctions || (unsigned)reason >= EDGE_REASON_COUNT ||
        (node != EDGE_METRICS_NO_NODE && node >= m->nnodes))
        return EDGE_INVAL;
    /* an entry holds 32-bit indices: beyond them, and without memory for
     * the batch, the outcome is recorded at once */
    bool fits = function < UINT32_MAX && (node < UINT32_MAX || node == EDGE_METRICS_NO_NODE);
    if (fits && !m->pending)
        m->pending = edge__malloc(EDGE_METRICS_BATCH * sizeof *m->pending);
    if (!fits || !m->pending)
        return edge_metrics_record(m, function, node, reason, latency, cold);
    edge_err rc = count(&m->total, reason, latency, cold);
    m->pending[m->npending++] = (edge__metrics_entry){
        latency, (uint32_t)function,
        node == EDGE_METRICS_NO_NODE ? EDGE__METRICS_NO_NODE32 : (uint32_t)node, (uint8_t)reason,
        (uint8_t)(cold != 0)};
    edge_err rc2 = m->npending == EDGE_METRICS_BATCH ? edge_metrics_flush(m) : EDGE_OK;
    return rc ? rc : rc2;
}

/* Starts loading what applying e will touch: ahead == 2, the scopes' first
 * lines; ahead == 1 (they have arrived by then), the buckets they point to. */
static inline void prefetch_entry(const edge_metrics *m, const edge__metrics_entry *e, int ahead)
{
    const edge_metric_counts *f = &m->per_function[e->function];
    const edge_metric_counts *n = e->node == EDGE__METRICS_NO_NODE32 ? NULL : &m->per_node[e->node];
    if (ahead == 2) {
        __builtin_prefetch(f, 1);
        if (n)
            __builtin_prefetch(n, 1);
        return;
    }
    if (e->reason != EDGE_REASON_OK)
        return;
    int32_t idx = edge__histogram_bucket(e->latency);
    const void *slot = edge__histogram_slot(&f->latency, idx);
    if (slot)
        __builtin_prefetch(slot, 1);
    if (n && (slot = edge__histogram_slot(&n->latency, idx)))
        __builtin_prefetch(slot, 1);
}

edge_err edge_metrics_flush(edge_metrics *m)
{
    /* scopes 16 outcomes ahead, buckets 8 ahead: a miss's latency is
     * covered by the work on the outcomes between */
    enum { SCOPES_AHEAD = 16, BUCKETS_AHEAD = 8 };
    edge_err rc = EDGE_OK;
    size_t n = m->npending;
    const edge__metrics_entry *e = m->pending;
    for (size_t i = 0; i < n && i < SCOPES_AHEAD; i++)
        prefetch_entry(m, &e[i], 2);
    for (size_t i = 0; i < n && i < BUCKETS_AHEAD; i++)
        prefetch_entry(m, &e[i], 1);
    for (size_t i = 0; i < n; i++) {
        if (i + SCOPES_AHEAD < n)
            prefetch_entry(m, &e[i + SCOPES_AHEAD], 2);
        if (i + BUCKETS_AHEAD < n)
            prefetch_entry(m, &e[i + BUCKETS_AHEAD], 1);
        edge_reason reason = (edge_reason)e[i].reason;
        edge_err r = count(&m->per_function[e[i].function], reason, e[i].latency, e[i].cold);
        if (e[i].node != EDGE__METRICS_NO_NODE32) {
            edge_err r2 = count(&m->per_node[e[i].node], reason, e[i].latency, e[i].cold);
            r = r ? r : r2;
        }
        rc = rc ? rc : r;
    }
    m->npending = 0;
    return rc;
}

uint64_t edge_metric_started(const edge_metric_counts *c)
{
    return edge_metric_total(c) - edge_metric_rejected(c);
}

uint64_t edge_metric_failed(const edge_metric_counts *c)
{
    uint64_t n = 0;
    for (int r = 0; r < EDGE_REASON_COUNT; r++)
        if (r != EDGE_REASON_OK && !edge_reason_is_rejection((edge_reason)r))
            n += c->by_reason[r];
    return n;
}

uint64_t edge_metric_rejected(const edge_metric_counts *c)
{
    uint64_t n = 0;
    for (int r = 0; r < EDGE_REASON_COUNT; r++)
        if (edge_reason_is_rejection((edge_reason)r))
            n += c->by_reason[r];
    return n;
}

uint64_t edge_metric_total(const edge_metric_counts *c)
{
    uint64_t n = 0;
    for (int r = 0; r < EDGE_REASON_COUNT; r++)
        n += c->by_reason[r];
    return n;
}

double edge_metric_cold_rate(const edge_metric_counts *c)
{
    uint64_t started = edge_metric_started(c);
    return started ? (double)c->cold_starts / (double)started : 0.0;
}
