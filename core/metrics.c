#include "metrics.h"

#include <stdlib.h>
#include <string.h>

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
    m->per_function = calloc(nfunctions ? nfunctions : 1, sizeof *m->per_function);
    m->per_node = calloc(nnodes ? nnodes : 1, sizeof *m->per_node);
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
    edge_metric_counts *p = realloc(m->per_node, nnodes * sizeof *p);
    if (!p)
        return EDGE_NOMEM;
    memset(p + m->nnodes, 0, (nnodes - m->nnodes) * sizeof *p);
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
    memset(m, 0, sizeof *m);
}

static edge_err count(edge_metric_counts *c, edge_reason reason, edge_time latency, int cold)
{
    c->by_reason[reason]++;
    if (!edge_reason_is_rejection(reason)) {
        c->started++;
        if (cold)
            c->cold_starts++;
    }
    if (reason == EDGE_REASON_OK)
        return edge_histogram_record(&c->latency, latency);
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
    return c->started ? (double)c->cold_starts / (double)c->started : 0.0;
}
