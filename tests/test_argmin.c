/* Pins core/argmin: the leftmost smallest key wins, NONE never wins, and the
 * tree agrees with a linear scan under a long random stream of updates. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "argmin.h"

Test(argmin, an_empty_or_all_none_tree_has_no_winner)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, 0), EDGE_OK);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    edge_argmin_free(&a);
    cr_assert_eq(edge_argmin_init(&a, 5), EDGE_OK);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    edge_argmin_set(&a, 3, 7);
    cr_expect_eq(edge_argmin_get(&a), 3);
    edge_argmin_set(&a, 3, EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    edge_argmin_free(&a);
    edge_argmin_free(NULL);
}

Test(argmin, ties_go_to_the_lowest_position)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, 6), EDGE_OK);
    for (uint32_t i = 0; i < 6; i++)
        edge_argmin_set(&a, i, 2);
    cr_expect_eq(edge_argmin_get(&a), 0);
    edge_argmin_set(&a, 0, 3);
    cr_expect_eq(edge_argmin_get(&a), 1);
    edge_argmin_set(&a, 4, 1);
    cr_expect_eq(edge_argmin_get(&a), 4);
    edge_argmin_set(&a, 5, 1);
    cr_expect_eq(edge_argmin_get(&a), 4);
    edge_argmin_free(&a);
}

Test(argmin, agrees_with_a_linear_scan_under_random_updates)
{
    enum { N = 37, OPS = 200000 };
    uint32_t ref[N];
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, N), EDGE_OK);
    for (int i = 0; i < N; i++)
        ref[i] = EDGE_ARGMIN_NONE;
    srand(11);
    for (int op = 0; op < OPS; op++) {
        uint32_t i = (uint32_t)(rand() % N);
        uint32_t k = rand() % 10 == 0 ? EDGE_ARGMIN_NONE : (uint32_t)(rand() % 8);
        edge_argmin_set(&a, i, k);
        ref[i] = k;
        uint32_t best = EDGE_ARGMIN_EMPTY;
        for (uint32_t j = 0; j < N; j++)
            if (ref[j] != EDGE_ARGMIN_NONE && (best == EDGE_ARGMIN_EMPTY || ref[j] < ref[best]))
                best = j;
        cr_assert_eq(edge_argmin_get(&a), best, "op %d", op);
    }
    edge_argmin_free(&a);
}

Test(argmin, growing_keeps_every_key_at_its_position)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, 3), EDGE_OK);
    edge_argmin_set(&a, 0, 5);
    edge_argmin_set(&a, 2, 4);
    cr_assert_eq(edge_argmin_grow(&a, 9), EDGE_OK);
    cr_expect_eq(edge_argmin_key(&a, 0), 5);
    cr_expect_eq(edge_argmin_key(&a, 1), EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_key(&a, 2), 4);
    cr_expect_eq(edge_argmin_key(&a, 8), EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_get(&a), 2);
    edge_argmin_set(&a, 8, 4);
    cr_expect_eq(edge_argmin_get(&a), 2); /* a tie stays with the lower position */
    edge_argmin_set(&a, 8, 3);
    cr_expect_eq(edge_argmin_get(&a), 8);
    edge_argmin_free(&a);
}

/* The repair stops at the first entry that comes out unchanged: the tree
 * must still follow a winner whose key rises past others', and a loser
 * whose key changes without winning. */
Test(argmin, a_winner_that_rises_hands_over_and_a_loser_that_changes_does_not_win)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, 1000), EDGE_OK);
    for (uint32_t i = 0; i < 1000; i++)
        edge_argmin_set(&a, i, 1);
    edge_argmin_set(&a, 0, 0);
    cr_expect_eq(edge_argmin_get(&a), 0);
    edge_argmin_set(&a, 0, 2);
    cr_expect_eq(edge_argmin_get(&a), 1);
    edge_argmin_set(&a, 999, 7);
    cr_expect_eq(edge_argmin_get(&a), 1);
    edge_argmin_set(&a, 999, 0);
    cr_expect_eq(edge_argmin_get(&a), 999);
    edge_argmin_set(&a, 999, EDGE_ARGMIN_NONE - 1);
    cr_expect_eq(edge_argmin_get(&a), 1);
    for (uint32_t i = 0; i < 1000; i++)
        edge_argmin_set(&a, i, EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    edge_argmin_free(&a);
}
