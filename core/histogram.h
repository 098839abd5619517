/*
 * histogram.h — a log-linear histogram of non-negative int64 values
 * (latencies in nanoseconds), so that memory does not grow with the number
 * of values recorded.
 *
 * Values below 64 get a bucket each (exact). Above, every power of two is
 * split into 64 equal sub-buckets, so a bucket spans at most 1/64 of its
 * lower bound and its midpoint is within 1/128 (0.78%) of any value in it:
 * the "at most 1% relative error" every reported percentile keeps. Minimum,
 * maximum, count and sum are exact; percentiles are clamped to [min, max].
 *
 * The bucket array covers only the range of values seen so far and grows at
 * either end on demand: a histogram of latencies from 1 ms to 1 s uses about
 * 640 buckets, not the 3,776 the whole int64 range would need; that is what
 * lets every node and function keep its own. Counts are 32-bit (2.5 KiB for
 * those 640 buckets): a million nodes hold a million histograms, and a bucket
 * rarely passes four billion. The one that does widens the whole array to
 * 64-bit counts once (wide), so no count is ever lost or saturated; results
 * are the same either way. Recording is O(1) amortized; a percentile walks
 * the buckets (O(range)).
 *
 * Percentiles use the nearest-rank definition: the q-quantile is the
 * smallest recorded value v such that at least ceil(q * count) values are
 * <= v (q = 0 gives the minimum).
 */
#ifndef EDGE_HISTOGRAM_H
#define EDGE_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define EDGE_HIST_SUB_BITS 6 /* 64 sub-buckets per octave: <= 0.78% error */

typedef struct edge_histogram {
    void *counts;      /* owned; bucket lo + i at index i: uint32_t, or uint64_t when wide */
    int16_t lo, hi;    /* bucket index range [lo, hi) held in counts (indices < 3,776) */
    uint8_t wide;      /* counts are uint64_t: some bucket passed UINT32_MAX */
    uint64_t count;    /* values recorded */
    int64_t min, max;  /* exact; meaningful only when count > 0 */
    double sum;        /* for the mean */
} edge_histogram;

/* An empty histogram (no allocation until the first record). */
#define EDGE_HISTOGRAM_INIT {NULL, 0, 0, 0, 0, 0, 0, 0.0}

/* Initializes h empty. Never fails. */
void edge_histogram_init(edge_histogram *h);

/* Frees h's buckets and leaves it empty; h itself is the caller's. NULL ok. */
void edge_histogram_clear(edge_histogram *h);

/* Records value v (negative values are recorded as 0) n times.
 * Errors: EDGE_NOMEM when growing the bucket range fails (h unchanged). */
edge_err edge_histogram_record_n(edge_histogram *h, int64_t v, uint64_t n);

/* The bucket index of v (v < 0 counts as 0). */
static inline int32_t edge__histogram_bucket(int64_t v)
{
    if (v < (1 << EDGE_HIST_SUB_BITS))
        return v < 0 ? 0 : (int32_t)v;
    int shift = 63 - __builtin_clzll((uint64_t)v) - EDGE_HIST_SUB_BITS;
    return (1 << EDGE_HIST_SUB_BITS) * (shift + 1) +
           ((int32_t)((uint64_t)v >> shift) - (1 << EDGE_HIST_SUB_BITS));
}

/* Records v once: inline when v falls in the range already covered (the
 * common case on a hot path), else as edge_histogram_record_n. */
static inline edge_err edge_histogram_record(edge_histogram *h, int64_t v)
{
    int32_t idx = edge__histogram_bucket(v);
    if (h->count == 0 || idx < h->lo || idx >= h->hi || h->wide)
        return edge_histogram_record_n(h, v, 1);
    uint32_t *c = (uint32_t *)h->counts + (idx - h->lo);
    if (*c == UINT32_MAX) /* widens */
        return edge_histogram_record_n(h, v, 1);
    if (v < 0)
        v = 0;
    ++*c;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
    h->count++;
    h->sum += (double)v;
    return EDGE_OK;
}

/* The count of bucket idx (0 outside [lo, hi)), whatever the width. */
static inline uint64_t edge_histogram_bucket_count(const edge_histogram *h, int32_t idx)
{
    if (!h->counts || idx < h->lo || idx >= h->hi)
        return 0;
    return h->wide ? ((const uint64_t *)h->counts)[idx - h->lo]
                   : ((const uint32_t *)h->counts)[idx - h->lo];
}

/* The address of bucket idx's count, for a prefetch; NULL outside [lo, hi). */
static inline const void *edge__histogram_slot(const edge_histogram *h, int32_t idx)
{
    if (!h->counts || idx < h->lo || idx >= h->hi)
        return NULL;
    return h->wide ? (const void *)((const uint64_t *)h->counts + (idx - h->lo))
                   : (const void *)((const uint32_t *)h->counts + (idx - h->lo));
}

/* Adds every value of src into dst (src unchanged).
 * Errors: EDGE_NOMEM (dst unchanged). */
edge_err edge_histogram_merge(edge_histogram *dst, const edge_histogram *src);

/* The q-quantile (0 <= q <= 1, nearest rank), within 0.78% of a recorded
 * value and within [min, max]; 0 when the histogram is empty. */
int64_t edge_histogram_quantile(const edge_histogram *h, double q);

/* The qs[0..n) quantiles into out[0..n), each as edge_histogram_quantile
 * gives it, in one walk over the buckets (a writer of many quantiles per
 * histogram, a million histograms at a million nodes, pays one walk, not
 * one per quantile). qs must be ascending. */
void edge_histogram_quantiles(const edge_histogram *h, const double *qs, size_t n, int64_t *out);

/* The mean of the recorded values; 0 when empty. */
double edge_histogram_mean(const edge_histogram *h);

/* The bucket index of v and the value range [lo, hi) of a bucket index, for
 * tests and for writers that export the buckets. */
int32_t edge_histogram_bucket_of(int64_t v);
void edge_histogram_bucket_range(int32_t idx, int64_t *lo, int64_t *hi);

#endif
