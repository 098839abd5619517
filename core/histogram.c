#include "histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB (1 << EDGE_HIST_SUB_BITS)

void edge_histogram_init(edge_histogram *h)
{
    memset(h, 0, sizeof *h);
}

void edge_histogram_clear(edge_histogram *h)
{
    if (!h)
        return;
    free(h->counts);
    edge_histogram_init(h);
}

int32_t edge_histogram_bucket_of(int64_t v)
{
    return edge__histogram_bucket(v);
}

void edge_histogram_bucket_range(int32_t idx, int64_t *lo, int64_t *hi)
{
    if (idx < SUB) {
        *lo = idx;
        *hi = (int64_t)idx + 1;
        return;
    }
    int shift = (idx - SUB) / SUB;
    int64_t sub = (idx - SUB) % SUB;
    *lo = (int64_t)((uint64_t)(SUB + sub) << shift);
    uint64_t h = (uint64_t)(SUB + sub + 1) << shift;
    *hi = h > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)h;
}

/* Makes [lo, hi) cover idx, growing by at least an octave at a time so a
 * slowly widening range does not realloc on every record. */
static edge_err cover(edge_histogram *h, int32_t idx)
{
    if (h->counts && idx >= h->lo && idx < h->hi)
        return EDGE_OK;
    int32_t lo = h->counts ? h->lo : idx, hi = h->counts ? h->hi : idx + 1;
    if (idx < lo)
        lo = idx - SUB < 0 ? 0 : idx - SUB;
    if (idx >= hi)
        hi = idx + 1 + SUB;
    uint64_t *c = calloc((size_t)(hi - lo), sizeof *c);
    if (!c)
        return EDGE_NOMEM;
    if (h->counts)
        memcpy(c + (h->lo - lo), h->counts, (size_t)(h->hi - h->lo) * sizeof *c);
    free(h->counts);
    h->counts = c;
    h->lo = lo;
    h->hi = hi;
    return EDGE_OK;
}

edge_err edge_histogram_record_n(edge_histogram *h, int64_t v, uint64_t n)
{
    if (n == 0)
        return EDGE_OK;
    if (v < 0)
        v = 0;
    int32_t idx = edge_histogram_bucket_of(v);
    edge_err rc = cover(h, idx);
    if (rc)
        return rc;
    h->counts[idx - h->lo] += n;
    if (h->count == 0 || v < h->min)
        h->min = v;
    if (h->count == 0 || v > h->max)
        h->max = v;
    h->count += n;
    h->sum += (double)v * (double)n;
    return EDGE_OK;
}

edge_err edge_histogram_merge(edge_histogram *dst, const edge_histogram *src)
{
    if (src->count == 0)
        return EDGE_OK;
    /* Cover both ends first so a failure leaves dst unchanged. */
    edge_histogram tmp = *dst;
    int32_t first = -1, last = -1;
    for (int32_t i = src->lo; i < src->hi; i++)
        if (src->counts[i - src->lo]) {
            if (first < 0)
                first = i;
            last = i;
        }
    tmp.counts = NULL;
    if (dst->counts) {
        int32_t lo = dst->lo < first ? dst->lo : first;
        int32_t hi = dst->hi > last + 1 ? dst->hi : last + 1;
        uint64_t *c = calloc((size_t)(hi - lo), sizeof *c);
        if (!c)
            return EDGE_NOMEM;
        memcpy(c + (dst->lo - lo), dst->counts, (size_t)(dst->hi - dst->lo) * sizeof *c);
        tmp.counts = c;
        tmp.lo = lo;
        tmp.hi = hi;
    } else {
        uint64_t *c = calloc((size_t)(last + 1 - first), sizeof *c);
        if (!c)
            return EDGE_NOMEM;
        tmp.counts = c;
        tmp.lo = first;
        tmp.hi = last + 1;
    }
    for (int32_t i = first; i <= last; i++)
        tmp.counts[i - tmp.lo] += src->counts[i - src->lo];
    if (dst->count == 0 || src->min < tmp.min)
        tmp.min = src->min;
    if (dst->count == 0 || src->max > tmp.max)
        tmp.max = src->max;
    tmp.count += src->count;
    tmp.sum += src->sum;
    free(dst->counts);
    *dst = tmp;
    return EDGE_OK;
}

int64_t edge_histogram_quantile(const edge_histogram *h, double q)
{
    if (h->count == 0)
        return 0;
    if (!(q > 0))
        return h->min;
    if (q >= 1)
        return h->max;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (int32_t i = h->lo; i < h->hi; i++) {
        seen += h->counts[i - h->lo];
        if (seen >= rank) {
            int64_t lo, hi;
            edge_histogram_bucket_range(i, &lo, &hi);
            int64_t mid = lo + (hi - lo) / 2; /* a unit bucket is exact */
            if (mid < h->min)
                mid = h->min;
            if (mid > h->max)
                mid = h->max;
            return mid;
        }
    }
    return h->max;
}

double edge_histogram_mean(const edge_histogram *h)
{
    return h->count ? h->sum / (double)h->count : 0.0;
}
