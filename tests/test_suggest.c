/* Pins common/suggest: the capped optimal string alignment distance behind
 * every "did you mean" (scenario fields and ids, commands, options). */
#include <criterion/criterion.h>
#include <string.h>

#include "common/suggest.h"

Test(suggest, counts_insertions_deletions_substitutions_and_swaps_as_one_edit)
{
    cr_expect_eq(sim_edit_distance("seed", "seed"), 0);
    cr_expect_eq(sim_edit_distance("sed", "seed"), 1);
    cr_expect_eq(sim_edit_distance("seeds", "seed"), 1);
    cr_expect_eq(sim_edit_distance("sead", "seed"), 1);
    cr_expect_eq(sim_edit_distance("sede", "seed"), 1); /* a transposition */
    cr_expect_eq(sim_edit_distance("", "ab"), 2);
}

Test(suggest, reports_anything_beyond_two_edits_as_far)
{
    cr_expect_gt(sim_edit_distance("abc", "xyz"), SIM_SUGGEST_MAX_EDITS);
    cr_expect_gt(sim_edit_distance("run", "validate"), SIM_SUGGEST_MAX_EDITS);
    char long_word[SIM_SUGGEST_WORD_MAX + 2];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    cr_expect_gt(sim_edit_distance(long_word, long_word), SIM_SUGGEST_MAX_EDITS);
}

Test(suggest, picks_the_closest_candidate_and_the_first_of_a_tie)
{
    const char *cands[] = {"trace", "trace-window", "trace-nodes", "seed", NULL};
    cr_expect_str_eq(sim_suggest("trace-node", cands), "trace-nodes");
    cr_expect_str_eq(sim_suggest("sed", cands), "seed");
    cr_expect_str_eq(sim_suggest("tracee", cands), "trace");
    const char *tie[] = {"ab", "ac", NULL};
    cr_expect_str_eq(sim_suggest("aa", tie), "ab");
}

Test(suggest, never_suggests_a_rewrite_of_the_whole_word)
{
    const char *cands[] = {"xy", "run", NULL};
    cr_expect_null(sim_suggest("ab", cands)); /* 2 edits, but the word has 2 letters */
    cr_expect_null(sim_suggest("", cands));
    cr_expect_null(sim_suggest("frobnicate", cands));
}
