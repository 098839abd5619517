/* Pins core/time: duration strings with units, exactness, rejection of bare numbers. */
#include <criterion/criterion.h>

#include "time.h"

static edge_time parse_ok(const char *s)
{
    edge_time t = -1;
    cr_assert_eq(edge_duration_parse(s, &t), EDGE_OK, "parse '%s'", s);
    return t;
}

Test(time, parses_every_unit)
{
    cr_expect_eq(parse_ok("100ns"), 100);
    cr_expect_eq(parse_ok("500us"), 500 * EDGE_US);
    cr_expect_eq(parse_ok("250ms"), 250 * EDGE_MS);
    cr_expect_eq(parse_ok("1.5s"), 1500 * EDGE_MS);
    cr_expect_eq(parse_ok("10m"), 600 * EDGE_S);
    cr_expect_eq(parse_ok("2h"), 7200 * EDGE_S);
    cr_expect_eq(parse_ok("1d"), 86400 * EDGE_S);
    cr_expect_eq(parse_ok("0s"), 0);
    cr_expect_eq(parse_ok("-5s"), -5 * EDGE_S);
}

Test(time, decimal_fractions_are_exact)
{
    cr_expect_eq(parse_ok("0.1s"), 100 * EDGE_MS);
    cr_expect_eq(parse_ok("0.001ms"), 1000);
    cr_expect_eq(parse_ok("1.0000000005s"), 1000000001); /* half rounds up */
    cr_expect_eq(parse_ok(".5s"), 500 * EDGE_MS);
}

Test(time, rejects_bare_numbers_and_unknown_units)
{
    edge_time t = 42;
    const char *bad[] = {"5", "", "s", "5 s", "5sec", "1e3s", "1.2.3s", "--1s", "inf", "5S", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(edge_duration_parse(bad[i], &t), EDGE_INVAL, "'%s'", bad[i]);
    cr_expect_eq(edge_duration_parse(NULL, &t), EDGE_INVAL);
    cr_expect_eq(t, 42, "output untouched on error");
}

Test(time, rejects_values_beyond_int64)
{
    edge_time t;
    cr_expect_eq(edge_duration_parse("107000d", &t), EDGE_RANGE);
    cr_expect_eq(edge_duration_parse("99999999999999999999ns", &t), EDGE_RANGE);
    cr_expect_eq(edge_duration_parse("106751d", &t), EDGE_OK);
}

Test(time, formats_with_the_largest_exact_unit)
{
    char b[32];
    edge_duration_format(b, sizeof b, 10 * EDGE_MIN);
    cr_expect_str_eq(b, "10m");
    edge_duration_format(b, sizeof b, 1500 * EDGE_MS);
    cr_expect_str_eq(b, "1500ms");
    edge_duration_format(b, sizeof b, 0);
    cr_expect_str_eq(b, "0s");
    edge_duration_format(b, sizeof b, -3 * EDGE_HOUR);
    cr_expect_str_eq(b, "-3h");
    edge_duration_format(b, sizeof b, 7);
    cr_expect_str_eq(b, "7ns");
}

Test(time, seconds_round_trip)
{
    cr_expect_eq(edge_time_from_s(1.5), 1500 * EDGE_MS);
    cr_expect_eq(edge_time_from_s(1e300), EDGE_TIME_MAX);
    cr_expect_eq(edge_time_from_s(0.0 / 0.0), 0);
    cr_expect_float_eq(edge_time_to_s(2 * EDGE_S), 2.0, 1e-12);
}
