/* core/cache: LRU order, eviction by bytes, exactly at capacity, oversize
 * artifacts, unknown keys, pending pulls, pull time. */
#include <criterion/criterion.h>

#include "cache.h"

static edge_cache *mk(uint64_t cap)
{
    edge_cache *c = NULL;
    cr_assert_eq(edge_cache_new(cap, &c), EDGE_OK);
    return c;
}

static void expect_order(const edge_cache *c, const uint32_t *want, size_t n)
{
    uint32_t got[16];
    size_t k = edge_cache_lru_keys(c, got, 16);
    cr_assert_eq(k, n, "%zu keys, want %zu", k, n);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(got[i], want[i], "position %zu: %u, want %u", i, got[i], want[i]);
}

Test(cache, new_rejects_null_and_starts_empty)
{
    cr_expect_eq(edge_cache_new(10, NULL), EDGE_INVAL);
    edge_cache *c = mk(10);
    cr_expect_eq(edge_cache_count(c), 0);
    cr_expect_eq(edge_cache_used(c), 0);
    cr_expect_eq(edge_cache_capacity(c), 10);
    edge_cache_free(c);
    edge_cache_free(NULL);
}

Test(cache, unknown_key_is_a_miss_and_cannot_be_removed)
{
    edge_cache *c = mk(10);
    edge_time r = 123;
    cr_expect_not(edge_cache_lookup(c, 7, &r));
    cr_expect_eq(r, 123, "untouched on a miss");
    cr_expect_eq(edge_cache_remove(c, 7), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cache_remove(NULL, 7), EDGE_INVAL);
    cr_expect_eq(edge_cache_insert(NULL, 1, 1, 0, NULL), EDGE_INVAL);
    edge_cache_stats st = edge_cache_get_stats(c);
    cr_expect_eq(st.lookups, 1);
    cr_expect_eq(st.misses, 1);
    cr_expect_eq(st.hits, 0);
    edge_cache_free(c);
}

Test(cache, hit_gives_ready_at_and_refreshes_recency)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 10, 5, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 2, 10, 6, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 3, 10, 7, NULL), EDGE_OK);
    expect_order(c, (uint32_t[]){1, 2, 3}, 3);
    edge_time r = 0;
    cr_expect(edge_cache_lookup(c, 1, &r));
    cr_expect_eq(r, 5);
    expect_order(c, (uint32_t[]){2, 3, 1}, 3);
    cr_expect(edge_cache_lookup(c, 3, NULL));
    expect_order(c, (uint32_t[]){2, 1, 3}, 3);
    cr_expect(edge_cache_contains(c, 2));
    expect_order(c, (uint32_t[]){2, 1, 3}, 3); /* contains does not touch recency */
    cr_expect_eq(edge_cache_insert(c, 2, 10, 0, NULL), EDGE_EXISTS);
    edge_cache_stats st = edge_cache_get_stats(c);
    cr_expect_eq(st.hits, 2);
    cr_expect_eq(st.insertions, 3);
    edge_cache_free(c);
}

Test(cache, eviction_is_by_bytes_least_recently_used_first)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 30, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 2, 30, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 3, 30, 0, NULL), EDGE_OK);
    cr_expect(edge_cache_lookup(c, 1, NULL)); /* order 2, 3, 1 */
    uint32_t ev = 99;
    /* 90 used + 50 > 100: evicting 2 gives 60 + 50 > 100, so 3 goes too. */
    cr_assert_eq(edge_cache_insert(c, 4, 50, 0, &ev), EDGE_OK);
    cr_expect_eq(ev, 2);
    expect_order(c, (uint32_t[]){1, 4}, 2);
    cr_expect_eq(edge_cache_used(c), 80);
    cr_expect_not(edge_cache_contains(c, 2));
    cr_expect_not(edge_cache_contains(c, 3));
    edge_cache_stats st = edge_cache_get_stats(c);
    cr_expect_eq(st.evictions, 2);
    cr_expect_eq(st.evicted_bytes, 60);
    edge_cache_free(c);
}

Test(cache, exactly_at_capacity_fits_without_eviction)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 60, 0, NULL), EDGE_OK);
    uint32_t ev = 99;
    cr_assert_eq(edge_cache_insert(c, 2, 40, 0, &ev), EDGE_OK);
    cr_expect_eq(ev, 0);
    cr_expect_eq(edge_cache_used(c), 100);
    /* One byte more evicts the least recently used. */
    cr_assert_eq(edge_cache_insert(c, 3, 1, 0, &ev), EDGE_OK);
    cr_expect_eq(ev, 1);
    expect_order(c, (uint32_t[]){2, 3}, 2);
    edge_cache_free(c);
}

Test(cache, an_artifact_of_the_whole_capacity_evicts_everything)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 10, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 2, 10, 0, NULL), EDGE_OK);
    uint32_t ev = 0;
    cr_assert_eq(edge_cache_insert(c, 3, 100, 0, &ev), EDGE_OK);
    cr_expect_eq(ev, 2);
    expect_order(c, (uint32_t[]){3}, 1);
    edge_cache_free(c);
}

Test(cache, oversize_is_never_cached_and_evicts_nothing)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 50, 0, NULL), EDGE_OK);
    uint32_t ev = 7;
    cr_expect_eq(edge_cache_insert(c, 2, 101, 0, &ev), EDGE_LIMIT);
    cr_expect_eq(ev, 7, "untouched");
    cr_expect_not(edge_cache_contains(c, 2));
    expect_order(c, (uint32_t[]){1}, 1);
    cr_expect_eq(edge_cache_used(c), 50);
    cr_expect_eq(edge_cache_get_stats(c).oversize, 1);
    edge_cache_free(c);

    c = mk(0); /* a zero capacity caches only empty artifacts */
    cr_expect_eq(edge_cache_insert(c, 1, 1, 0, NULL), EDGE_LIMIT);
    cr_expect_eq(edge_cache_insert(c, 2, 0, 0, NULL), EDGE_OK);
    edge_cache_free(c);
}

Test(cache, remove_and_reuse_of_records_keep_the_list_consistent)
{
    edge_cache *c = mk(1000);
    for (uint32_t k = 0; k < 10; k++)
        cr_assert_eq(edge_cache_insert(c, k, 10, 0, NULL), EDGE_OK);
    cr_expect_eq(edge_cache_remove(c, 0), EDGE_OK);   /* head */
    cr_expect_eq(edge_cache_remove(c, 9), EDGE_OK);   /* tail */
    cr_expect_eq(edge_cache_remove(c, 5), EDGE_OK);   /* middle */
    expect_order(c, (uint32_t[]){1, 2, 3, 4, 6, 7, 8}, 7);
    cr_expect_eq(edge_cache_used(c), 70);
    cr_assert_eq(edge_cache_insert(c, 100, 5, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 5, 5, 0, NULL), EDGE_OK);
    expect_order(c, (uint32_t[]){1, 2, 3, 4, 6, 7, 8, 100, 5}, 9);
    cr_expect_eq(edge_cache_count(c), 9);
    edge_cache_free(c);
}

Test(cache, many_keys_grow_the_pool_and_the_table)
{
    edge_cache *c = mk(UINT64_MAX);
    for (uint32_t k = 0; k < 5000; k++)
        cr_assert_eq(edge_cache_insert(c, k * 7919u, 1, 0, NULL), EDGE_OK);
    for (uint32_t k = 0; k < 5000; k++)
        cr_expect(edge_cache_contains(c, k * 7919u));
    cr_expect_not(edge_cache_contains(c, 1));
    cr_expect_eq(edge_cache_count(c), 5000);
    edge_cache_free(c);
}

Test(cache, drop_pending_removes_pulls_not_yet_complete)
{
    edge_cache *c = mk(100);
    cr_assert_eq(edge_cache_insert(c, 1, 10, 5, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 2, 10, 10, NULL), EDGE_OK);
    cr_assert_eq(edge_cache_insert(c, 3, 10, 11, NULL), EDGE_OK);
    /* at 10: the pull ending at 10 is complete, the one ending at 11 not */
    cr_expect_eq(edge_cache_drop_pending(c, 10), 1);
    expect_order(c, (uint32_t[]){1, 2}, 2);
    cr_expect_eq(edge_cache_used(c), 20);
    cr_expect_eq(edge_cache_drop_pending(NULL, 0), 0);
    edge_cache_free(c);
}

Test(cache, pull_time_is_size_over_bandwidth_plus_latency)
{
    cr_expect_eq(edge_cache_pull_time(100, 50, 20 * EDGE_MS), 2 * EDGE_S + 20 * EDGE_MS);
    cr_expect_eq(edge_cache_pull_time(0, 50, 20 * EDGE_MS), 20 * EDGE_MS);
    cr_expect_eq(edge_cache_pull_time(1, 3, 0), 333333333);
    cr_expect_eq(edge_cache_pull_time(1, 0, 0), EDGE_TIME_MAX);
    cr_expect_eq(edge_cache_pull_time(1, 1, -1), EDGE_TIME_MAX);
    cr_expect_eq(edge_cache_pull_time(1e12, 1e-3, 0), EDGE_TIME_MAX);
}
