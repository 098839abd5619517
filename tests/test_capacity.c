/* test_capacity.c — link capacities as written in scenarios
 * (sim_capacity_parse, sim/scenario/netspec.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "scenario/netspec.h"

static int parse(const char *s, double *out)
{
    *out = -1;
    return sim_capacity_parse(s, out);
}

Test(capacity, each_unit_is_bits_per_second_turned_into_bytes_per_ns)
{
    double v;
    cr_assert_eq(parse("800bps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 800 / 8e9, 1e-24);
    cr_assert_eq(parse("1.5kbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 1500 / 8e9, 1e-22);
    cr_assert_eq(parse("2Kbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 2000 / 8e9, 1e-22);
    cr_assert_eq(parse("100Mbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 0.0125, 1e-15);
    cr_assert_eq(parse("10Gbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 1.25, 1e-15);
    cr_assert_eq(parse(".5Tbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 62.5, 1e-12);
}

Test(capacity, the_range_is_one_bit_per_second_to_a_petabit_inclusive)
{
    double v;
    cr_assert_eq(parse("1bps", &v), SIM_CAPACITY_OK);
    cr_assert_eq(parse("1000Tbps", &v), SIM_CAPACITY_OK);
    cr_assert_float_eq(v, 125000.0, 1e-9);
    cr_assert_eq(parse("0.999bps", &v), SIM_CAPACITY_RANGE);
    cr_assert_eq(parse("1e-30bps", &v), SIM_CAPACITY_RANGE);
    cr_assert_eq(parse("1001Tbps", &v), SIM_CAPACITY_RANGE);
    cr_assert_eq(parse("1e400Gbps", &v), SIM_CAPACITY_RANGE);
    cr_assert_eq(v, -1, "a refused capacity leaves the output alone");
}

Test(capacity, zero_and_negative_are_told_apart_from_a_missing_unit)
{
    double v;
    cr_assert_eq(parse("0Gbps", &v), SIM_CAPACITY_NOT_POSITIVE);
    cr_assert_eq(parse("0.0Mbps", &v), SIM_CAPACITY_NOT_POSITIVE);
    cr_assert_eq(parse("-1Gbps", &v), SIM_CAPACITY_NOT_POSITIVE);
    cr_assert(strstr(sim_capacity_expected(SIM_CAPACITY_NOT_POSITIVE), "> 0"));
    cr_assert(strstr(sim_capacity_expected(SIM_CAPACITY_RANGE), "1bps to 1000Tbps"));
    cr_assert(strstr(sim_capacity_expected(SIM_CAPACITY_SYNTAX), "Gbps"));
}

Test(capacity, anything_but_a_decimal_number_and_a_unit_is_a_syntax_error)
{
    const char *bad[] = {"10",      "10 Gbps", " 10Gbps", "10Gbps ", "10gbps", "10GBps",
                         "Gbps",    "+1Gbps",  "0x10Gbps", "infGbps", "NaNGbps", "1e3",
                         "10Gbit/s", "",       ".Gbps",   "1..5Gbps"};
    double v;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(parse(bad[i], &v), SIM_CAPACITY_SYNTAX, "\"%s\"", bad[i]);
    cr_assert_eq(sim_capacity_parse(NULL, &v), SIM_CAPACITY_SYNTAX);
}
