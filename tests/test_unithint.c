/* Pins sim/common/unithint: the duration a unit written another way meant,
 * and silence where nothing can be told. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/unithint.h"

static const char *hint(const char *s)
{
    static char buf[128];
    return sim_duration_hint(s, buf, sizeof buf);
}

Test(unithint, unit_words_and_blanks_become_the_duration_units)
{
    static const char *const cases[][2] = {
        {"10min", "10m"},   {"10 mins", "10m"},    {"2 Hours", "2h"}, {"1.5hr", "1.5h"},
        {"30sec", "30s"},   {"30 seconds", "30s"}, {"5 s", "5s"},     {"500 ms", "500ms"},
        {"40 msec", "40ms"}, {"7 days", "7d"},     {"3 usec", "3us"}, {"10 \xc2\xb5s", "10us"},
        {"9 NS", "9ns"},    {".5 hour", ".5h"},    {"+2 min", "+2m"}, {"5s ", "5s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char want[64];
        snprintf(want, sizeof want, " (did you mean \"%s\"?)", cases[i][1]);
        cr_expect_str_eq(hint(cases[i][0]), want, "for \"%s\"", cases[i][0]);
    }
}

Test(unithint, nothing_is_said_when_the_meaning_is_not_clear)
{
    /* "M" and "S" (months? megaseconds?), no number, two points, a unit
     * no duration has, nothing at all, and a duration already right */
    static const char *const cases[] = {"10M", "10S", "abc", "min", "1.2.3min", "10 fortnights",
                                        "", "10m", "250ms", "10 min ago"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_str_eq(hint(cases[i]), "", "for \"%s\"", cases[i]);
    cr_expect_str_eq(hint(NULL), "");
}

Test(unithint, the_text_is_cut_to_the_buffer)
{
    char buf[8];
    cr_expect_str_eq(sim_duration_hint("10 minutes", buf, sizeof buf), " (did y");
    char one[1];
    cr_expect_str_eq(sim_duration_hint("10 minutes", one, 1), "");
}
