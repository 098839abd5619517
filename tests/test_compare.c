/* Pins sim/harness/compare: two runs' verdicts at and around the tolerance
 * (a change exactly at it is not a regression), the direction of each
 * metric, absolute tolerances in the metric's unit, a zero baseline, and the
 * fail-closed errors with their one line. The sweep pairing is exercised end
 * to end by tests/cli/compare-sweep.t. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "harness/compare.h"

static cJSON *summary(double p99, double throughput)
{
    char text[256];
    snprintf(text, sizeof text,
             "{\"latency_s\": {\"p99\": %.17g}, \"rates\": {\"throughput_per_s\": %.17g}}", p99,
             throughput);
    cJSON *j = cJSON_Parse(text);
    cr_assert_not_null(j);
    return j;
}

static size_t index_of(const char *name)
{
    for (size_t m = 0; m < SIM_COMPARE_NMETRICS; m++)
        if (!strcmp(sim_compare_metrics[m].name, name))
            return m;
    cr_assert_fail("no metric %s", name);
    return 0;
}

/* p99 (lower is better) and throughput (higher is better) only */
static void spec2(sim_compare_spec *s)
{
    sim_compare_spec_init(s);
    s->dirs[0] = "base";
    s->dirs[1] = "cand";
    s->any_chosen = 1;
    s->chosen[index_of("latency_p99")] = 1;
    s->chosen[index_of("throughput")] = 1;
}

static const char *verdict(double bp99, double cp99, double bthr, double cthr, size_t which)
{
    sim_compare_spec s;
    spec2(&s);
    cJSON *a = summary(bp99, bthr), *b = summary(cp99, cthr);
    sim_compare_config c;
    char err[512];
    cr_assert_eq(sim_compare_runs(&s, a, b, &c, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.nres, 2);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return c.res[which].verdict; /* static strings */
}

Test(compare, exactly_at_the_tolerance_is_ok_and_past_it_a_regression)
{
    /* default 5%: p99 1.0 -> 1.05 is exactly 5% worse */
    cr_assert_str_eq(verdict(1.0, 1.05, 100, 100, 0), "ok");
    cr_assert_str_eq(verdict(1.0, 1.0500001, 100, 100, 0), "REGRESSION");
    cr_assert_str_eq(verdict(1.0, 0.95, 100, 100, 0), "ok");
    cr_assert_str_eq(verdict(1.0, 0.9, 100, 100, 0), "better");
    /* higher is better: throughput falling 10% is the regression */
    cr_assert_str_eq(verdict(1.0, 1.0, 100, 90, 1), "REGRESSION");
    cr_assert_str_eq(verdict(1.0, 1.0, 100, 110, 1), "better");
}

Test(compare, an_absolute_tolerance_is_in_the_metrics_unit_and_a_zero_baseline_is_infinite)
{
    sim_compare_spec s;
    spec2(&s);
    size_t p99 = index_of("latency_p99");
    char err[400];
    cr_assert_eq(sim_parse_threshold("20ms", sim_compare_metrics[p99].unit, &s.tol[p99], err,
                                     sizeof err), 0, "%s", err);
    cJSON *a = summary(0.100, 10), *b = summary(0.119, 10), *z = summary(0.0, 10);
    sim_compare_config c;
    cr_assert_eq(sim_compare_runs(&s, a, b, &c, err, sizeof err), 0);
    cr_assert_str_eq(c.res[0].verdict, "ok", "19 ms worse, 20 ms allowed (19%% relative)");
    cr_assert_eq(sim_compare_runs(&s, z, b, &c, err, sizeof err), 0);
    cr_assert(isinf(c.res[0].rel) && c.res[0].rel > 0);
    cr_assert_str_eq(c.res[0].verdict, "REGRESSION", "119 ms from 0, past 20 ms");
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(z);
}

Test(compare, a_missing_or_non_numeric_metric_is_an_error_naming_file_and_path)
{
    sim_compare_spec s;
    spec2(&s);
    cJSON *a = summary(1, 1), *b = cJSON_Parse("{\"latency_s\": {\"p99\": null}}");
    sim_compare_config c;
    char err[512];
    cr_assert_eq(sim_compare_runs(&s, a, b, &c, err, sizeof err), -1);
    cr_assert_str_eq(err, "cand/summary.json: latency_s.p99: expected a finite number (metric "
                          "latency_p99), found null");
    cJSON_Delete(a);
    cJSON_Delete(b);
    cr_assert_null(sim_compare_load_summary("/nonexistent-dir", err, sizeof err));
    cr_assert(strstr(err, "/nonexistent-dir/summary.json") != NULL, "%s", err);
    /* a file where a run directory is asked: what it is, not "Not a directory" */
    char path[] = "/tmp/edgesim-compare-XXXXXX.json", want[512];
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_null(sim_compare_load_summary(path, err, sizeof err));
    remove(path);
    snprintf(want, sizeof want, "%s: a file, not a run or sweep directory (a scenario? `edgesim "
             "run` it, then compare the directories runs write)", path);
    cr_assert_str_eq(err, want);
}
