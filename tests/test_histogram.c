/* Pins core/histogram: bucket layout, the 1% error bound of every quantile,
 * nearest-rank percentiles, exact min/max/count, merging, and growth of the
 * covered range at both ends, and the widening of 32-bit counts past
 * UINT32_MAX. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "histogram.h"

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

Test(histogram, small_values_are_exact)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    for (int v = 0; v < 64; v++)
        cr_assert_eq(edge_histogram_record(&h, v), EDGE_OK);
    cr_expect_eq(edge_histogram_quantile(&h, 0.5), 31);
    cr_expect_eq(edge_histogram_quantile(&h, 0), 0);
    cr_expect_eq(edge_histogram_quantile(&h, 1), 63);
    cr_expect_eq(h.count, 64);
    edge_histogram_clear(&h);
}

Test(histogram, buckets_tile_the_value_range)
{
    int64_t prev_hi = 0;
    for (int32_t i = 0; i < 64 + 57 * 64; i++) {
        int64_t lo, hi;
        edge_histogram_bucket_range(i, &lo, &hi);
        cr_assert_eq(lo, prev_hi, "bucket %d starts where the last ended", i);
        cr_assert_eq(edge_histogram_bucket_of(lo), i);
        cr_assert_eq(edge_histogram_bucket_of(hi - 1), i);
        cr_assert_leq((double)(hi - lo), (double)lo / 64.0 + 1.0, "width <= lo/64");
        prev_hi = hi;
    }
}

Test(histogram, every_quantile_is_within_one_percent_of_the_exact_value)
{
    enum { N = 20000 };
    static int64_t v[N];
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    srand(7);
    for (int i = 0; i < N; i++) {
        /* log-uniform from 1 us to 100 s */
        double e = 3.0 + 8.0 * rand() / (double)RAND_MAX;
        v[i] = (int64_t)pow(10.0, e);
        edge_histogram_record(&h, v[i]);
    }
    qsort(v, N, sizeof v[0], cmp);
    const double qs[] = {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        size_t rank = (size_t)ceil(qs[k] * N);
        int64_t exact = v[rank - 1];
        int64_t got = edge_histogram_quantile(&h, qs[k]);
        cr_expect_leq(fabs((double)got - (double)exact) / (double)exact, 0.01,
                      "q=%g exact=%ld got=%ld", qs[k], (long)exact, (long)got);
    }
    cr_expect_eq(edge_histogram_quantile(&h, 0), v[0]);
    cr_expect_eq(edge_histogram_quantile(&h, 1), v[N - 1]);
    edge_histogram_clear(&h);
}


Test(histogram, quantiles_stay_within_min_and_max)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    edge_histogram_record_n(&h, 1000003, 10);
    cr_expect_eq(edge_histogram_quantile(&h, 0.5), 1000003);
    cr_expect_eq(edge_histogram_quantile(&h, 0.99), 1000003);
    cr_expect_float_eq(edge_histogram_mean(&h), 1000003.0, 1e-6);
    edge_histogram_clear(&h);
}

Test(histogram, an_empty_histogram_reports_zeros)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    cr_expect_eq(edge_histogram_quantile(&h, 0.5), 0);
    cr_expect_eq(edge_histogram_mean(&h), 0.0);
    edge_histogram_clear(&h);
    edge_histogram_clear(NULL);
}

Test(histogram, grows_at_both_ends_and_keeps_counts)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    edge_histogram_record(&h, 1000000);
    edge_histogram_record(&h, 10);          /* below */
    edge_histogram_record(&h, 3600000000000); /* far above */
    cr_expect_eq(h.count, 3);
    cr_expect_eq(h.min, 10);
    cr_expect_eq(h.max, 3600000000000);
    int64_t mid = edge_histogram_quantile(&h, 0.5);
    cr_expect_leq(fabs((double)mid - 1e6) / 1e6, 0.0079);
    edge_histogram_clear(&h);
}

Test(histogram, merge_equals_recording_everything_in_one)
{
    edge_histogram a = EDGE_HISTOGRAM_INIT, b = EDGE_HISTOGRAM_INIT, all = EDGE_HISTOGRAM_INIT,
                   empty = EDGE_HISTOGRAM_INIT;
    for (int i = 1; i <= 1000; i++) {
        edge_histogram *t = i % 3 ? &a : &b;
        edge_histogram_record(t, i * 977);
        edge_histogram_record(&all, i * 977);
    }
    cr_assert_eq(edge_histogram_merge(&a, &b), EDGE_OK);
    cr_assert_eq(edge_histogram_merge(&empty, &a), EDGE_OK);
    for (double q = 0; q <= 1.0; q += 0.05) {
        cr_expect_eq(edge_histogram_quantile(&a, q), edge_histogram_quantile(&all, q));
        cr_expect_eq(edge_histogram_quantile(&empty, q), edge_histogram_quantile(&all, q));
    }
    cr_expect_eq(a.count, all.count);
    cr_expect_eq(a.min, all.min);
    cr_expect_eq(a.max, all.max);
    edge_histogram_clear(&a);
    edge_histogram_clear(&b);
    edge_histogram_clear(&all);
    edge_histogram_clear(&empty);
}

/* Counts are 32-bit until a bucket passes UINT32_MAX; then the whole array
 * widens to 64 bits and no count is lost, on either recording path. */
Test(histogram, a_bucket_past_four_billion_widens_without_losing_a_count)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    cr_assert_eq(edge_histogram_record_n(&h, 1000, UINT32_MAX), EDGE_OK);
    cr_assert_eq(edge_histogram_record(&h, 5000), EDGE_OK);
    cr_expect_eq(h.wide, 0);
    cr_assert_eq(edge_histogram_record(&h, 1000), EDGE_OK); /* the inline path widens */
    cr_expect_eq(h.wide, 1);
    int32_t b = edge_histogram_bucket_of(1000);
    cr_expect_eq(edge_histogram_bucket_count(&h, b), (uint64_t)UINT32_MAX + 1);
    cr_expect_eq(edge_histogram_bucket_count(&h, edge_histogram_bucket_of(5000)), 1);
    cr_expect_eq(h.count, (uint64_t)UINT32_MAX + 2);
    cr_assert_eq(edge_histogram_record_n(&h, 1000, UINT32_MAX), EDGE_OK);
    cr_expect_eq(edge_histogram_bucket_count(&h, b), 2 * (uint64_t)UINT32_MAX + 1);
    int64_t lo, hi; /* the 0.999-quantile is in 1000's bucket (its midpoint) */
    edge_histogram_bucket_range(b, &lo, &hi);
    cr_expect_eq(edge_histogram_quantile(&h, 0.999), lo + (hi - lo) / 2);
    cr_expect_eq(edge_histogram_quantile(&h, 1.0), 5000);
    edge_histogram_clear(&h);
    cr_expect_eq(h.wide, 0);
    cr_expect_null(h.counts);
}

Test(histogram, merging_past_four_billion_widens_and_a_small_merge_stays_narrow)
{
    edge_histogram a = EDGE_HISTOGRAM_INIT, b = EDGE_HISTOGRAM_INIT, c = EDGE_HISTOGRAM_INIT;
    cr_assert_eq(edge_histogram_record_n(&a, 70, 3000000000u), EDGE_OK);
    cr_assert_eq(edge_histogram_record_n(&b, 70, 3000000000u), EDGE_OK);
    cr_assert_eq(edge_histogram_record_n(&b, 90000, 7), EDGE_OK);
    cr_assert_eq(edge_histogram_record_n(&c, 12, 5), EDGE_OK);
    cr_assert_eq(edge_histogram_merge(&c, &b), EDGE_OK);
    cr_expect_eq(c.wide, 0); /* 3e9 fits in 32 bits */
    cr_expect_eq(edge_histogram_bucket_count(&c, edge_histogram_bucket_of(12)), 5);
    cr_expect_eq(edge_histogram_bucket_count(&c, edge_histogram_bucket_of(70)), 3000000000u);
    cr_assert_eq(edge_histogram_merge(&a, &b), EDGE_OK);
    cr_expect_eq(a.wide, 1);
    cr_expect_eq(edge_histogram_bucket_count(&a, edge_histogram_bucket_of(70)), 6000000000ull);
    cr_expect_eq(edge_histogram_bucket_count(&a, edge_histogram_bucket_of(90000)), 7);
    cr_expect_eq(a.count, 6000000007ull);
    cr_expect_eq(a.min, 70);
    cr_expect_eq(a.max, 90000);
    edge_histogram_clear(&a);
    edge_histogram_clear(&b);
    edge_histogram_clear(&c);
}

/* One walk for many quantiles gives what one call per quantile gives. */
Test(histogram, quantiles_in_one_walk_equal_one_call_each)
{
    static const double qs[] = {-1, 0, 1e-9, 0.1, 0.5, 0.5, 0.9, 0.95, 0.99, 0.999, 0.9999999, 1, 2};
    enum { NQ = sizeof qs / sizeof qs[0] };
    int64_t got[NQ];
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    edge_histogram_quantiles(&h, qs, NQ, got);
    for (int k = 0; k < NQ; k++)
        cr_expect_eq(got[k], 0, "empty, q %g", qs[k]);
    uint64_t x = 88172645463325252ULL;
    for (int round = 0; round < 50; round++) {
        int n = 1 + round * round * 7;
        for (int i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            cr_assert_eq(edge_histogram_record(&h, (int64_t)(x % 100000000u) >> (x >> 60)),
                         EDGE_OK);
        }
        edge_histogram_quantiles(&h, qs, NQ, got);
        for (int k = 0; k < NQ; k++)
            cr_expect_eq(got[k], edge_histogram_quantile(&h, qs[k]), "round %d q %g", round,
                         qs[k]);
    }
    edge_histogram_clear(&h);
}

/* The same with 64-bit counts (a bucket past 2^32), with the mass at either
 * end (a quantile's bucket found from below or from above), and with
 * quantiles on each side of one half. */
Test(histogram, quantiles_in_one_walk_equal_one_call_each_with_wide_counts)
{
    static const double qs[] = {0.001, 0.25, 0.4999, 0.5, 0.5001, 0.75, 0.9, 0.99, 0.999999};
    enum { NQ = sizeof qs / sizeof qs[0] };
    int64_t got[NQ];
    uint64_t x = 0x853c49e6748fea9bULL;
    for (int round = 0; round < 40; round++) {
        edge_histogram h = EDGE_HISTOGRAM_INIT;
        for (int i = 0; i < 200; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint64_t n = 1 + x % 7;
            if (i == round % 5) /* one heavy bucket: low, middle or high */
                n = round % 2 ? 5000000000ULL : 3;
            int64_t v = round % 3 == 0 ? (int64_t)(x % 1000) : (int64_t)(x % 100000000u) >> (x >> 61);
            cr_assert_eq(edge_histogram_record_n(&h, v, n), EDGE_OK);
        }
        edge_histogram_quantiles(&h, qs, NQ, got);
        for (int k = 0; k < NQ; k++)
            cr_expect_eq(got[k], edge_histogram_quantile(&h, qs[k]), "round %d q %g", round,
                         qs[k]);
        edge_histogram_clear(&h);
    }
}
