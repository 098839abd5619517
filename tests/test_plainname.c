/* Pins common/plainname: names that become folders (a scenario's or a
 * sweep's name) cannot climb out of their parent or hide. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/plainname.h"

Test(plainname, accepts_ids_as_the_scenarios_use_them)
{
    cr_expect(sim_plain_name("quickstart"));
    cr_expect(sim_plain_name("crash-2.v1_x:y@z"));
    cr_expect(sim_plain_name("a.."), "dots after the first character are harmless");
    char longest[SIM_PLAIN_NAME_MAX + 2];
    memset(longest, 'a', SIM_PLAIN_NAME_MAX);
    longest[SIM_PLAIN_NAME_MAX] = '\0';
    cr_expect(sim_plain_name(longest));
    longest[SIM_PLAIN_NAME_MAX] = 'a';
    longest[SIM_PLAIN_NAME_MAX + 1] = '\0';
    cr_expect(!sim_plain_name(longest), "one byte too long");
}

Test(plainname, refuses_what_would_leave_or_hide_the_folder)
{
    const char *bad[] = {"", ".", "..", ".hidden", "../../x", "a/b", "/abs", "a b", "tab\there",
                         "nl\n", "del\x7f", "caf\xc3\xa9", "a\\b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_expect(!sim_plain_name(bad[i]), "accepted \"%s\"", bad[i]);
    cr_expect(!sim_plain_name(NULL));
}

Test(plainname, join_never_leaves_the_parent)
{
    char out[32];
    cr_expect_eq(sim_plain_join(out, sizeof out, "results", "q"), 0);
    cr_expect_str_eq(out, "results/q");
    cr_expect_eq(sim_plain_join(out, sizeof out, "results", ".."), -1);
    cr_expect_eq(sim_plain_join(out, sizeof out, "results/sweeps", "../../../x"), -1);
    cr_expect_eq(sim_plain_join(out, 12, "results", "toolongname"), -1, "does not fit");
}
