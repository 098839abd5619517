/* Pins core/deptab (the cluster's deployments by (function, node)): it
 * agrees with a plain array under a long random stream of inserts, removes
 * and lookups, and an entry keeps its time and invocation count while
 * removals shift it and reservations move it; a batch of counts lands as
 * single counts would. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "deptab.h"
#include "ids.h"

Test(deptab, an_empty_table_finds_nothing_and_frees)
{
    edge__deptab t = {0};
    cr_expect_eq(edge__deptab_find(&t, 0, 0), EDGE_NONE);
    cr_expect_not(edge__deptab_remove(&t, 0, 0));
    edge__deptab_free(&t);
    edge__deptab_free(&t);
}

Test(deptab, an_entry_keeps_its_time_and_count_through_growth)
{
    edge__deptab t = {0};
    cr_assert_eq(edge__deptab_reserve(&t, 1), EDGE_OK);
    edge__deptab_insert(&t, 7, 3, 1234);
    uint32_t d = edge__deptab_find(&t, 7, 3);
    cr_assert_neq(d, EDGE_NONE);
    t.e[d].invocations += 5;
    cr_assert_eq(edge__deptab_reserve(&t, 1000), EDGE_OK);
    for (uint32_t i = 0; i < 999; i++)
        edge__deptab_insert(&t, 8, i, i);
    d = edge__deptab_find(&t, 7, 3);
    cr_assert_neq(d, EDGE_NONE);
    cr_expect_eq(t.at[d], 1234);
    cr_expect_eq(t.e[d].invocations, 5);
    cr_expect_eq(edge__deptab_find(&t, 3, 7), EDGE_NONE, "(node, fn) is another key");
    cr_expect_eq(edge__deptab_find(&t, EDGE_NONE, EDGE_NONE), EDGE_NONE,
                 "the free slots' key is no entry");
    cr_expect_eq(t.count, 1000);
    edge__deptab_free(&t);
}

/* Keys from a small grid, so that probe runs are long and removals shift
 * entries; every entry's count is its own sum of bumps. */
Test(deptab, agrees_with_a_plain_array_under_random_operations)
{
    enum { F = 13, N = 29, OPS = 300000 };
    static int present[F][N];
    static uint64_t count[F][N];
    static edge_time at[F][N];
    edge__deptab t = {0};
    cr_assert_eq(edge__deptab_reserve(&t, F * N), EDGE_OK);
    uint32_t live = 0;
    srand(5);
    for (int op = 0; op < OPS; op++) {
        uint32_t f = (uint32_t)rand() % F, n = (uint32_t)rand() % N;
        uint32_t d = edge__deptab_find(&t, f, n);
        cr_assert_eq(d != EDGE_NONE, present[f][n] != 0, "op %d", op);
        if (d != EDGE_NONE) {
            cr_assert_eq(t.e[d].invocations, count[f][n], "op %d", op);
            cr_assert_eq(t.at[d], at[f][n], "op %d", op);
        }
        switch (rand() % 3) {
        case 0:
            if (!present[f][n]) {
                edge__deptab_insert(&t, f, n, op);
                present[f][n] = 1;
                count[f][n] = 0;
                at[f][n] = op;
                live++;
            }
            break;
        case 1:
            cr_assert_eq(edge__deptab_remove(&t, f, n), present[f][n] != 0, "op %d", op);
            live -= present[f][n] != 0;
            present[f][n] = 0;
            break;
        default:
            if (d != EDGE_NONE) {
                t.e[d].invocations++;
                count[f][n]++;
            }
        }
        cr_assert_eq(t.count, live);
    }
    edge__deptab_free(&t);
}

/* A batch counts each present key once per occurrence, in a table past its
 * prefetch distance, and skips keys that are absent (EDGE_NONE pairs too). */
Test(deptab, a_batch_of_counts_lands_as_single_counts_would)
{
    enum { PAIRS = 500, KEYS = 3000 };
    edge__deptab t = {0};
    cr_assert_eq(edge__deptab_reserve(&t, PAIRS), EDGE_OK);
    for (uint32_t i = 0; i < PAIRS; i++)
        edge__deptab_insert(&t, i % 17, i, 0);
    uint64_t keys[KEYS], want[PAIRS] = {0};
    srand(7);
    for (int k = 0; k < KEYS; k++) {
        uint32_t i = (uint32_t)rand() % (PAIRS + 50);
        if (i < PAIRS) {
            keys[k] = (uint64_t)(i % 17) << 32 | i;
            want[i]++;
        } else if (i < PAIRS + 25) {
            keys[k] = (uint64_t)(i % 17 + 1) << 32 | (i - PAIRS); /* a pair never inserted */
        } else {
            keys[k] = UINT64_MAX; /* (EDGE_NONE, EDGE_NONE) */
        }
    }
    edge__deptab_count_batch(&t, keys, KEYS);
    for (uint32_t i = 0; i < PAIRS; i++) {
        uint32_t d = edge__deptab_find(&t, i % 17, i);
        cr_assert_neq(d, EDGE_NONE);
        cr_expect_eq(t.e[d].invocations, want[i], "pair %u", i);
    }
    cr_expect_eq(t.count, PAIRS, "nothing inserted");
    edge__deptab_count_batch(&t, keys, 0);
    edge__deptab_free(&t);
    edge__deptab t0 = {0};
    edge__deptab_count_batch(&t0, keys, KEYS); /* an empty table: nothing to count */
    cr_expect_eq(t0.count, 0);
}
