/* Pins core/argmin: the leftmost smallest key wins, NONE never wins, and the
 * structure agrees with a linear scan under long random streams of updates,
 * with small keys (the levels' bitsets), large ones (the tree) and both. */
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

/* n positions, ops random sets of keys below keyspace (one in ten NONE),
 * the argmin compared with a linear scan every `every` sets. */
static void against_a_scan(uint32_t n, int ops, uint32_t keyspace, int every, unsigned seed)
{
    uint32_t *ref = malloc(n * sizeof *ref);
    cr_assert_not_null(ref);
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, n), EDGE_OK);
    for (uint32_t i = 0; i < n; i++)
        ref[i] = EDGE_ARGMIN_NONE;
    srand(seed);
    for (int op = 0; op < ops; op++) {
        uint32_t i = (uint32_t)rand() % n;
        uint32_t k = rand() % 10 == 0 ? EDGE_ARGMIN_NONE : (uint32_t)rand() % keyspace;
        edge_argmin_set(&a, i, k);
        ref[i] = k;
        if (op % every)
            continue;
        uint32_t best = EDGE_ARGMIN_EMPTY;
        for (uint32_t j = 0; j < n; j++)
            if (ref[j] != EDGE_ARGMIN_NONE && (best == EDGE_ARGMIN_EMPTY || ref[j] < ref[best]))
                best = j;
        cr_assert_eq(edge_argmin_get(&a), best, "op %d", op);
        cr_assert_eq(edge_argmin_key(&a, i), k, "op %d", op);
    }
    free(ref);
    edge_argmin_free(&a);
}

Test(argmin, agrees_with_a_linear_scan_under_random_updates)
{
    against_a_scan(37, 200000, 8, 1, 11);
}

/* Keys on both sides of EDGE_ARGMIN_LEVELS: the levels' bitsets and the
 * tree of larger keys hand over to each other as the small keys come and go. */
Test(argmin, agrees_with_a_linear_scan_when_keys_cross_the_levels)
{
    against_a_scan(300, 200000, 2 * EDGE_ARGMIN_LEVELS, 1, 12);
    against_a_scan(100, 100000, UINT32_MAX - 1, 1, 13); /* nearly all in the tree */
}

/* More than 4,096 positions: a level's summary has several words. */
Test(argmin, agrees_with_a_linear_scan_past_one_summary_word)
{
    against_a_scan(300000, 30000, 70, 300, 14);
}

/* get_after_raise is get once the winner's key is one higher, wherever the
 * next winner is: beside it in its word, words or summary words further
 * on, one level up, or the winner itself. Keys stay in the levels. */
static void after_raise_against_get(uint32_t n, int ops, uint32_t keyspace, unsigned seed)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, n), EDGE_OK);
    cr_expect_eq(edge_argmin_get_after_raise(&a), EDGE_ARGMIN_EMPTY, "all NONE");
    srand(seed);
    for (int op = 0; op < ops; op++) {
        uint32_t i = (uint32_t)rand() % n;
        edge_argmin_set(&a, i, rand() % 10 == 0 ? EDGE_ARGMIN_NONE : (uint32_t)rand() % keyspace);
        uint32_t p = edge_argmin_get(&a);
        if (p == EDGE_ARGMIN_EMPTY)
            continue;
        uint32_t guess = edge_argmin_get_after_raise(&a), k = edge_argmin_key(&a, p);
        edge_argmin_set(&a, p, k + 1);
        cr_assert_eq(guess, edge_argmin_get(&a), "op %d", op);
        edge_argmin_set(&a, p, k);
    }
    edge_argmin_free(&a);
}

Test(argmin, after_raise_is_the_argmin_once_the_winner_takes_one_more)
{
    after_raise_against_get(37, 50000, 4, 21);
    after_raise_against_get(1000, 50000, 3, 22);     /* many ties: the next in the level */
    after_raise_against_get(9000, 20000, 2, 23);     /* past one summary word */
    after_raise_against_get(300, 50000, EDGE_ARGMIN_LEVELS - 1, 24); /* sparse levels */
    edge_argmin a; /* a lone winner one level below a higher position's key */
    cr_assert_eq(edge_argmin_init(&a, 200), EDGE_OK);
    edge_argmin_set(&a, 150, 0);
    edge_argmin_set(&a, 199, 1);
    cr_expect_eq(edge_argmin_get_after_raise(&a), 150, "it ties at 1 and is the lower");
    edge_argmin_set(&a, 3, 1);
    cr_expect_eq(edge_argmin_get_after_raise(&a), 3);
    edge_argmin_free(&a);
}

Test(argmin, a_lone_key_far_up_is_found_through_the_summary)
{
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, 300000), EDGE_OK);
    edge_argmin_set(&a, 299999, 5);
    cr_expect_eq(edge_argmin_get(&a), 299999);
    edge_argmin_set(&a, 4097, 5);
    cr_expect_eq(edge_argmin_get(&a), 4097);
    edge_argmin_set(&a, 4097, 6); /* its level empties: 5 has only 299999 */
    cr_expect_eq(edge_argmin_get(&a), 299999);
    edge_argmin_set(&a, 299999, 1000); /* into the tree; 4097 keeps level 6 */
    cr_expect_eq(edge_argmin_get(&a), 4097);
    edge_argmin_set(&a, 4097, EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_get(&a), 299999);
    edge_argmin_set(&a, 299999, 3); /* out of the tree again */
    cr_expect_eq(edge_argmin_get(&a), 299999);
    edge_argmin_set(&a, 299999, EDGE_ARGMIN_NONE);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
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

Test(argmin, a_zeroed_one_is_empty_and_can_grow)
{
    edge_argmin a = {0};
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    cr_assert_eq(edge_argmin_grow(&a, 1), EDGE_OK);
    cr_expect_eq(edge_argmin_get(&a), EDGE_ARGMIN_EMPTY);
    edge_argmin_set(&a, 0, 0);
    cr_expect_eq(edge_argmin_get(&a), 0);
    edge_argmin_free(&a);
}

/* first_in against a scan of the masked positions with keys below the
 * levels, under random keys (some past the levels, some NONE) and masks. */
Test(argmin, first_in_agrees_with_a_scan_of_the_masked_positions)
{
    enum { N = 300, OPS = 50000 };
    uint32_t ref[N];
    uint64_t mask[(N + 63) / 64] = {0};
    edge_argmin a;
    cr_assert_eq(edge_argmin_init(&a, N), EDGE_OK);
    for (int i = 0; i < N; i++)
        ref[i] = EDGE_ARGMIN_NONE;
    srand(21);
    for (int op = 0; op < OPS; op++) {
        uint32_t i = (uint32_t)rand() % N;
        if (rand() % 2) {
            uint32_t k = rand() % 10 == 0 ? EDGE_ARGMIN_NONE
                         : rand() % 10 == 0 ? EDGE_ARGMIN_LEVELS + (uint32_t)rand() % 5
                                            : (uint32_t)rand() % 6;
            edge_argmin_set(&a, i, k);
            ref[i] = k;
        } else {
            mask[i / 64] ^= 1ull << (i % 64);
        }
        uint32_t best = EDGE_ARGMIN_EMPTY;
        for (uint32_t j = 0; j < N; j++)
            if ((mask[j / 64] >> (j % 64) & 1) && ref[j] < EDGE_ARGMIN_LEVELS &&
                (best == EDGE_ARGMIN_EMPTY || ref[j] < ref[best]))
                best = j;
        cr_assert_eq(edge_argmin_first_in(&a, mask), best, "op %d", op);
    }
    edge_argmin_free(&a);
}
