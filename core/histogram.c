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

static size_t width(const edge_histogram *h)
{
    return h->wide ? sizeof(uint64_t) : sizeof(uint32_t);
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
    char *c = calloc((size_t)(hi - lo), width(h));
    if (!c)
        return EDGE_NOMEM;
    if (h->counts)
        memcpy(c + (size_t)(h->lo - lo) * width(h), h->counts,
               (size_t)(h->hi - h->lo) * width(h));
    free(h->counts);
    h->counts = c;
    h->lo = (int16_t)lo;
    h->hi = (int16_t)hi;
    return EDGE_OK;
}

/* Moves h to 64-bit counts (once; the values stay). */
static edge_err widen(edge_histogram *h)
{
    size_t n = (size_t)(h->hi - h->lo);
    uint64_t *c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return EDGE_NOMEM;
    const uint32_t *old = h->counts;
    for (size_t i = 0; i < n; i++)
        c[i] = old[i];
    free(h->counts);
    h->counts = c;
    h->wide = 1;
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
    if (!h->wide && n > (uint64_t)UINT32_MAX - ((uint32_t *)h->counts)[idx - h->lo] &&
        (rc = widen(h)) != EDGE_OK)
        return rc;
    if (h->wide)
        ((uint64_t *)h->counts)[idx - h->lo] += n;
    else
        ((uint32_t *)h->counts)[idx - h->lo] += (uint32_t)n;
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
    /* Build the merged buckets aside (64-bit), so a failure leaves dst
     * unchanged; keep 32-bit counts when every sum fits. */
    int32_t first = -1, last = -1;
    for (int32_t i = src->lo; i < src->hi; i++)
        if (edge_histogram_bucket_count(src, i)) {
            if (first < 0)
                first = i;
            last = i;
        }
    int32_t lo = first, hi = last + 1;
    if (dst->counts) {
        lo = dst->lo < lo ? dst->lo : lo;
        hi = dst->hi > hi ? dst->hi : hi;
    }
    size_t n = (size_t)(hi - lo);
    uint64_t *sum = calloc(n, sizeof *sum);
    if (!sum)
        return EDGE_NOMEM;
    uint64_t top = 0;
    for (int32_t i = lo; i < hi; i++) {
        uint64_t v = edge_histogram_bucket_count(dst, i) + edge_histogram_bucket_count(src, i);
        sum[i - lo] = v;
        if (v > top)
            top = v;
    }
    void *counts = sum;
    int wide = dst->wide || top > UINT32_MAX;
    if (!wide) {
        uint32_t *c = calloc(n, sizeof *c);
        if (!c) {
            free(sum);
            return EDGE_NOMEM;
        }
        for (size_t i = 0; i < n; i++)
            c[i] = (uint32_t)sum[i];
        free(sum);
        counts = c;
    }
    if (dst->count == 0 || src->min < dst->min)
        dst->min = src->min;
    if (dst->count == 0 || src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    dst->sum += src->sum;
    free(dst->counts);
    dst->counts = counts;
    dst->lo = (int16_t)lo;
    dst->hi = (int16_t)hi;
    dst->wide = (uint8_t)wide;
    return EDGE_OK;
}

static int64_t bucket_mid(const edge_histogram *h, int32_t i)
{
    int64_t lo, hi;
    edge_histogram_bucket_range(i, &lo, &hi);
    int64_t mid = lo + (hi - lo) / 2; /* a unit bucket is exact */
    if (mid < h->min)
        mid = h->min;
    if (mid > h->max)
        mid = h->max;
    return mid;
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
        seen += edge_histogram_bucket_count(h, i);
        if (seen >= rank)
            return bucket_mid(h, i);
    }
    return h->max;
}

/* Bucket idx's count, idx in [lo, hi). */
static inline uint64_t count_at(const edge_histogram *h, int32_t idx)
{
    return h->wide ? ((const uint64_t *)h->counts)[idx - h->lo]
                   : ((const uint32_t *)h->counts)[idx - h->lo];
}

/* From bucket i up, adding counts to *seen until it reaches rank: returns
 * one past the bucket that reached it (hi when none did). */
static int32_t walk_up(const edge_histogram *h, int32_t i, uint64_t *seen, uint64_t rank)
{
    uint64_t s = *seen;
    if (h->wide) {
        const uint64_t *c = h->counts;
        while (s < rank && i < h->hi)
            s += c[i++ - h->lo];
    } else {
        const uint32_t *c = h->counts;
        while (s < rank && i < h->hi)
            s += c[i++ - h->lo];
    }
    *seen = s;
    return i;
}

/* The quantile of nearest rank `rank` is the least bucket b whose running
 * count reaches it: the least b with at most count - rank recorded above
 * it. From bucket i down (*above: the counts above i), the least such b. */
static int32_t walk_down(const edge_histogram *h, int32_t i, uint64_t *above, uint64_t most)
{
    uint64_t t = *above;
    while (i > h->lo && t + count_at(h, i) <= most)
        t += count_at(h, i--);
    *above = t;
    return i;
}

/* Quantiles below one half are walked to from the lowest bucket, the others
 * from the highest (the tail is short: p99 and p999 take a few buckets, not
 * the whole range); each walk continues where the last quantile stopped. */
void edge_histogram_quantiles(const edge_histogram *h, const double *qs, size_t n, int64_t *out)
{
    size_t k = 0;
    /* the ends and an empty histogram as edge_histogram_quantile has them */
    while (k < n && (h->count == 0 || !(qs[k] > 0))) {
        out[k] = h->count ? h->min : 0;
        k++;
    }
    size_t top = k; /* qs[k..top): below one half; qs[top..end): to 1 */
    while (top < n && qs[top] < 0.5)
        top++;
    size_t end = top;
    while (end < n && qs[end] < 1)
        end++;
    int32_t i = h->lo;
    uint64_t seen = 0;
    for (; k < top; k++) {
        uint64_t rank = (uint64_t)ceil(qs[k] * (double)h->count);
        if (rank < 1)
            rank = 1;
        i = walk_up(h, i, &seen, rank);
        out[k] = seen >= rank ? bucket_mid(h, i - 1) : h->max;
    }
    int32_t b = h->hi - 1;
    uint64_t above = 0;
    for (size_t j = end; j-- > top;) {
        uint64_t rank = (uint64_t)ceil(qs[j] * (double)h->count);
        if (rank < 1)
            rank = 1;
        if (rank > h->count || !h->counts) { /* never reached going up */
            out[j] = h->max;
            continue;
        }
        b = walk_down(h, b, &above, h->count - rank);
        out[j] = bucket_mid(h, b);
    }
    for (k = end; k < n; k++)
        out[k] = h->max;
}

double edge_histogram_mean(const edge_histogram *h)
{
    return h->count ? h->sum / (double)h->count : 0.0;
}
