/* Pins core/deptab (the cluster's deployments by (function, node)): it
 * agrees with a plain array under a long random stream of inserts, removes
 * and lookups, and an entry keeps its time and invocation count while
 * removals shift it and reservations move it. */
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
