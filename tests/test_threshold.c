/* Pins sim/common/threshold: a tolerance is "P%" (relative) or an absolute in
 * the metric's unit, scaled into that unit; a bare number, a sign, NaN,
 * infinity, a wrong unit or trailing text is refused with one line that says
 * what to write. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/threshold.h"

static char err[400];

static sim_threshold ok(const char *s, sim_unit u)
{
    sim_threshold t;
    err[0] = '\0';
    cr_assert_eq(sim_parse_threshold(s, u, &t, err, sizeof err), 0, "%s: %s", s, err);
    return t;
}

static void refused(const char *s, sim_unit u)
{
    sim_threshold t;
    err[0] = '\0';
    cr_assert_eq(sim_parse_threshold(s, u, &t, err, sizeof err), -1, "'%s' was accepted", s);
    cr_assert(strchr(err, '\n') == NULL && err[0] != '\0', "one line for '%s': %s", s, err);
}

Test(threshold, a_percentage_is_relative_to_the_baseline)
{
    sim_threshold t = ok("5%", SIM_UNIT_SECONDS);
    cr_expect_eq(t.absolute, 0);
    cr_expect_float_eq(t.value, 0.05, 1e-15);
    cr_expect_str_eq(t.text, "5%");
    t = ok("0.5%", SIM_UNIT_PER_S);
    cr_expect_float_eq(t.value, 0.005, 1e-15);
    t = ok("250%", SIM_UNIT_FRACTION);
    cr_expect_float_eq(t.value, 2.5, 1e-15);
    cr_expect_eq(ok("0%", SIM_UNIT_MB_S).value, 0.0);
}

Test(threshold, an_absolute_tolerance_is_scaled_into_the_metrics_unit)
{
    sim_threshold t = ok("20ms", SIM_UNIT_SECONDS);
    cr_expect_eq(t.absolute, 1);
    cr_expect_float_eq(t.value, 0.02, 1e-15);
    cr_expect_str_eq(t.text, "20ms");
    cr_expect_float_eq(ok("0.5s", SIM_UNIT_SECONDS).value, 0.5, 1e-15);
    cr_expect_float_eq(ok("250us", SIM_UNIT_SECONDS).value, 250e-6, 1e-18);
    cr_expect_float_eq(ok("7ns", SIM_UNIT_SECONDS).value, 7e-9, 1e-21);
    cr_expect_float_eq(ok("0.1pp", SIM_UNIT_FRACTION).value, 0.001, 1e-15);
    cr_expect_float_eq(ok("2/s", SIM_UNIT_PER_S).value, 2.0, 0);
    cr_expect_float_eq(ok("3mJ", SIM_UNIT_JOULES).value, 0.003, 1e-15);
    cr_expect_float_eq(ok("2kJ", SIM_UNIT_JOULES).value, 2000.0, 0);
    cr_expect_float_eq(ok("1.5GB*s", SIM_UNIT_MB_S).value, 1500.0, 1e-9);
}

Test(threshold, a_bare_number_is_refused_with_what_to_write)
{
    refused("5", SIM_UNIT_SECONDS);
    cr_expect_str_eq(err, "expected a unit, found the bare number '5': write 5% for a "
                          "percentage of the baseline, or an absolute tolerance in ns, us, ms "
                          "or s such as 20ms");
    refused("0.05", SIM_UNIT_FRACTION);
    cr_expect(strstr(err, "write 0.05% ") && strstr(err, "such as 0.1pp"), "%s", err);
    refused("0", SIM_UNIT_PER_S);
    cr_expect(strstr(err, "bare number '0'") && strstr(err, "such as 2/s"), "%s", err);
}

Test(threshold, a_unit_of_another_metric_is_refused)
{
    refused("20ms", SIM_UNIT_PER_S);
    cr_expect_str_eq(err, "expected a percentage such as 5% or an absolute tolerance in /s such "
                          "as 2/s, found '20ms'");
    refused("1pp", SIM_UNIT_SECONDS);
    refused("5s", SIM_UNIT_FRACTION);
    refused("1MB", SIM_UNIT_MB_S);
}

Test(threshold, signs_non_finite_values_and_stray_text_are_refused)
{
    const char *bad[] = {"-5%", "+5%", " 5%", "5 %", "5%%", "5%x", "%", "", "nan%", "inf%",
                         "NaN", "infinity", "1e999%", "1e999ms", "ms", "5ms ", "0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i], SIM_UNIT_SECONDS);
}

Test(threshold, every_unit_has_a_name_and_an_example_that_parses)
{
    sim_unit all[] = {SIM_UNIT_SECONDS, SIM_UNIT_FRACTION, SIM_UNIT_PER_S, SIM_UNIT_JOULES,
                      SIM_UNIT_MB_S};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        cr_expect(sim_unit_name(all[i])[0] != '\0');
        cr_expect_eq(ok(sim_unit_example(all[i]), all[i]).absolute, 1);
    }
}
