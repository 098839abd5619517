/* Pins sim/sweep: the statistics over replications (mean, sample standard
 * deviation, Student's t 95% interval) against values worked out by hand,
 * the n = 0 and n = 1 cases, the grid's expansion order (last parameter
 * fastest), the run numbering (scenario, config, replication), and the
 * reader's one-line errors. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/sweep.h"

static sim_sweep *parse(const char *text, sim_diag *d)
{
    return sim_sweep_parse(text, strlen(text), "dir/s.json", d);
}

static void expect_error(const char *text, const char *want)
{
    sim_diag d;
    sim_sweep *sw = parse(text, &d);
    cr_assert_null(sw, "accepted %s", text);
    char line[1024];
    sim_diag_format(&d, line, sizeof line);
    cr_assert_str_eq(line, want);
}

Test(sweep, stats_of_five_values_match_the_hand_computation)
{
    /* 2 4 4 5 10: mean 5, squared deviations 9+1+1+0+25 = 36, s^2 = 36/4 = 9,
     * s = 3; t(0.975, 4) = 2.776445, half width 2.776445 * 3 / sqrt(5) */
    const double x[] = {2, 4, 4, 5, 10};
    sim_sweep_stat st;
    sim_sweep_stats(x, 5, &st);
    cr_assert_eq(st.n, 5);
    cr_assert_float_eq(st.mean, 5.0, 1e-12);
    cr_assert_float_eq(st.stddev, 3.0, 1e-12);
    double half = 2.776445 * 3.0 / sqrt(5.0);
    cr_assert_float_eq(st.ci95_low, 5.0 - half, 1e-5);
    cr_assert_float_eq(st.ci95_high, 5.0 + half, 1e-5);
}

Test(sweep, stats_of_two_values_use_t_with_one_degree_of_freedom)
{
    /* 1 3: mean 2, s = sqrt(2), t(0.975, 1) = 12.706205 */
    const double x[] = {1, 3};
    sim_sweep_stat st;
    sim_sweep_stats(x, 2, &st);
    double half = 12.706205 * sqrt(2.0) / sqrt(2.0);
    cr_assert_float_eq(st.ci95_low, 2.0 - half, 1e-5);
    cr_assert_float_eq(st.ci95_high, 2.0 + half, 1e-5);
}

Test(sweep, an_interval_is_clipped_to_the_range_of_its_metric)
{
    /* rejection rates 0, 0, 0.01: mean 0.01/3, s = 0.01/sqrt(3), t(0.975, 2) =
     * 4.302653: mean -+ 0.0248, below 0 where no rate can be */
    const double x[] = {0, 0, 0.01};
    sim_sweep_stat st;
    sim_sweep_stats(x, 3, &st);
    double half = 4.302653 * (0.01 / sqrt(3.0)) / sqrt(3.0);
    cr_assert_float_eq(st.ci95_low, 0.01 / 3 - half, 1e-7);
    sim_sweep_stat_clip(&st, 0, 1);
    cr_expect_eq(st.ci95_low, 0);
    cr_expect_float_eq(st.ci95_high, 0.01 / 3 + half, 1e-7, "inside: left alone");
    cr_expect_float_eq(st.mean, 0.01 / 3, 1e-15);
    cr_expect_float_eq(st.stddev, 0.01 / sqrt(3.0), 1e-15);
    /* availabilities 1, 1, 0.99: the upper end stops at 1 */
    const double y[] = {1, 1, 0.99};
    sim_sweep_stats(y, 3, &st);
    cr_assert_gt(st.ci95_high, 1);
    sim_sweep_stat_clip(&st, 0, 1);
    cr_expect_eq(st.ci95_high, 1);
    /* no interval (one value): nothing to clip, NaN stays NaN */
    const double z[] = {-5};
    sim_sweep_stats(z, 1, &st);
    sim_sweep_stat_clip(&st, 0, 1);
    cr_expect(isnan(st.ci95_low) && isnan(st.ci95_high));
    cr_expect_eq(st.mean, -5, "the mean is never clipped");
}

Test(sweep, stats_of_one_value_have_no_spread_or_interval)
{
    const double x[] = {7.5};
    sim_sweep_stat st;
    sim_sweep_stats(x, 1, &st);
    cr_assert_eq(st.n, 1);
    cr_assert_float_eq(st.mean, 7.5, 0);
    cr_assert(isnan(st.stddev) && isnan(st.ci95_low) && isnan(st.ci95_high));
}

Test(sweep, stats_skip_missing_values)
{
    const double x[] = {NAN, 1, 3};
    sim_sweep_stat st;
    sim_sweep_stats(x, 3, &st);
    cr_assert_eq(st.n, 2);
    cr_assert_float_eq(st.mean, 2.0, 1e-12);
    sim_sweep_stats(x, 1, &st);
    cr_assert_eq(st.n, 0);
    cr_assert(isnan(st.mean));
}

Test(sweep, grid_expands_with_the_last_parameter_fastest)
{
    sim_diag d;
    sim_sweep *sw = parse("{\"scenarios\": [\"a.json\", \"/abs/b.json\"],"
                          " \"grid\": {\"policies.scheduler\": [\"least_loaded\", \"round_robin\","
                          " \"power_of_two\"], \"policies.retries\": [0, 1]},"
                          " \"replications\": 4, \"base_seed\": 10}", &d);
    cr_assert_not_null(sw, "%s", d.msg);
    cr_assert_eq(sw->nconfigs, 6);
    cr_assert_eq(sim_sweep_nruns(sw), 2 * 6 * 4);
    cr_assert_str_eq(sw->scenario_paths[0], "dir/a.json");
    cr_assert_str_eq(sw->scenario_paths[1], "/abs/b.json");
    cr_assert_eq(sw->base_seed, 10);
    const char *want[6][2] = {{"least_loaded", "0"}, {"least_loaded", "1"},
                              {"round_robin", "0"},  {"round_robin", "1"},
                              {"power_of_two", "0"}, {"power_of_two", "1"}};
    for (size_t c = 0; c < 6; c++) {
        size_t idx[2];
        sim_sweep_config_point(sw, c, idx);
        cr_assert_str_eq(sw->params[0].labels[idx[0]], want[c][0]);
        cr_assert_str_eq(sw->params[1].labels[idx[1]], want[c][1]);
    }
    cr_assert_str_eq(sw->params[0].sets[2], "policies.scheduler=\"power_of_two\"");
    cr_assert_str_eq(sw->params[1].sets[1], "policies.retries=1");
    size_t s, c;
    uint32_t k;
    sim_sweep_run_split(sw, 0, &s, &c, &k);
    cr_assert(s == 0 && c == 0 && k == 0);
    sim_sweep_run_split(sw, 4 * 6 + 4 * 2 + 3, &s, &c, &k);
    cr_assert(s == 1 && c == 2 && k == 3);
    sim_sweep_free(sw);
}

Test(sweep, object_and_list_values_become_compact_json)
{
    sim_diag d;
    sim_sweep *sw = parse("{\"scenarios\": [\"a.json\"], \"grid\": {\"policies.keepalive\":"
                          " [{\"type\": \"fixed\", \"ttl\": \"5m\"}, {\"type\": \"hybrid\"}],"
                          " \"nodes[0].capabilities\": [[\"gpu\", \"npu\"], []]}}", &d);
    cr_assert_not_null(sw, "%s", d.msg);
    cr_assert_eq(sw->nconfigs, 4);
    cr_assert_str_eq(sw->params[0].labels[0], "{\"type\":\"fixed\",\"ttl\":\"5m\"}");
    cr_assert_str_eq(sw->params[0].sets[1], "policies.keepalive={\"type\":\"hybrid\"}");
    cr_assert_str_eq(sw->params[1].labels[0], "[\"gpu\",\"npu\"]");
    cr_assert_str_eq(sw->params[1].sets[1], "nodes[0].capabilities=[]");
    sim_sweep_free(sw);
}

Test(sweep, defaults_are_one_replication_seed_one_and_no_grid)
{
    sim_diag d;
    sim_sweep *sw = parse("{\"scenarios\": [\"a.json\"], \"set\": {\"duration\": \"1m\"}}", &d);
    cr_assert_not_null(sw, "%s", d.msg);
    cr_assert_eq(sw->replications, 1);
    cr_assert_eq(sw->base_seed, 1);
    cr_assert_eq(sw->nconfigs, 1);
    cr_assert_eq(sw->nparams, 0);
    cr_assert_str_eq(sw->name, "s");
    cr_assert_str_eq(sw->fixed_sets[0], "duration=\"1m\"");
    sim_sweep_free(sw);
}

Test(sweep, a_set_added_from_the_command_line_may_not_be_the_seed)
{
    sim_diag d;
    sim_sweep *sw = parse("{\"scenarios\": [\"a.json\"]}", &d);
    cr_assert_not_null(sw, "%s", d.msg);
    errno = 0;
    cr_expect_eq(sim_sweep_add_set(sw, "seed=3"), -1);
    cr_expect_eq(errno, EINVAL);
    cr_expect_eq(sim_sweep_add_set(sw, "seeds=3"), 0); /* only the seed itself */
    cr_expect_eq(sim_sweep_add_set(sw, "duration=1m"), 0);
    cr_expect_eq(sw->nfixed, 2);
    sim_sweep_free(sw);
}

Test(sweep, bad_files_give_one_clear_line)
{
    /* FILE:LINE:COL: PATH: expected ..., found ...; the column is where the
     * offending value starts (a field's value for a field) */
    expect_error("[]", "dir/s.json:1:1: expected a JSON object, found an empty list");
    expect_error("{\"scenarios\": [\"a\"], \"grids\": {}}",
                 "dir/s.json:1:31: grids: expected a known field (scenarios, grid, set, "
                 "replications, base_seed, name, description), found \"grids\" (did you mean "
                 "\"grid\"?)");
    expect_error("{\"scenarios\": []}", "dir/s.json:1:15: scenarios: expected 1 to 1000 scenario files, found 0");
    /* a scenario where a sweep file is asked: what it is, not its first field */
    expect_error("{\"seed\": 1, \"duration\": \"1h\", \"nodes\": []}",
                 "dir/s.json:1:1: expected a sweep file (an object with \"scenarios\" and \"grid\" or "
                 "\"set\"), found a scenario (it has \"nodes\"): run it with 'edgesim run', or name "
                 "it in a sweep file's \"scenarios\"");
    expect_error("{\"scenarios\": [3]}",
                 "dir/s.json:1:16: scenarios[0]: expected a scenario file name, found 3");
    expect_error("{\"scenarios\": [\"\"]}",
                 "dir/s.json:1:16: scenarios[0]: expected a scenario file name, found \"\"");
    expect_error("{\"scenarios\": [\"a\"], \"grid\": {\"x\": []}}",
                 "dir/s.json:1:36: grid.x: expected 1 to 1000 values, found 0");
    expect_error("{\"scenarios\": [\"a\"], \"grid\": {\"x\": [1, null]}}",
                 "dir/s.json:1:40: grid.x[1]: expected a string, number, boolean, object or list, "
                 "found null");
    /* a value twice was the same configuration under two ids */
    expect_error("{\"scenarios\": [\"a\"], \"grid\": {\"x\": [2, {\"k\": 1}, 3, {\"k\": 1.0}]}}",
                 "dir/s.json:1:53: grid.x[3]: expected distinct values, found an object again "
                 "(first at [1])");
    /* the seed is the sweep's (base_seed + k): a grid of seeds ran the same
     * runs under two configuration ids, a seed set was replaced */
    expect_error("{\"scenarios\": [\"a\"], \"grid\": {\"seed\": [1, 2]}}",
                 "dir/s.json:1:39: grid.seed: expected a parameter other than seed (replication k "
                 "of every configuration runs with seed base_seed + k: more seeds are more "
                 "replications), found \"seed\"");
    expect_error("{\"scenarios\": [\"a\"], \"set\": {\"seed\": 7}}",
                 "dir/s.json:1:38: set.seed: expected a path other than seed (replication k of "
                 "every configuration runs with seed base_seed + k: set base_seed), found \"seed\"");
    expect_error("{\"scenarios\": [\"a\"], \"base_seed\": -1}",
                 "dir/s.json:1:35: base_seed: expected a non-negative integer below 2^53, found -1");
    expect_error("{\"scenarios\": [\"a\"],\n \"replications\": 1.5}",
                 "dir/s.json:2:18: replications: expected an integer from 1 to 100000, found 1.5");
    expect_error("{\"scenarios\": [\"a\"], \"replications\": 0}",
                 "dir/s.json:1:38: replications: expected an integer from 1 to 100000, found 0");
    expect_error("{\"scenarios\": [\"a\"], \"set\": {\"a=b\": 1}}",
                 "dir/s.json:1:37: set.a=b: expected a --set path such as \"duration\", found \"a=b\"");
    expect_error("{\"scenarios\": [\"a\"], \"replications\": 100000, "
                 "\"grid\": {\"x\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}}",
                 "dir/s.json:1:1: expected at most 1000000 runs (scenarios x grid points x "
                 "replications), found 1100000");
    expect_error("{\"name\": \"a\"}",
                 "dir/s.json:1:1: scenarios: expected a list of scenario files, found nothing "
                 "(it is required)");
    /* syntax: the line and column of the error, a quote of the text there */
    expect_error("{\"scenarios\": [\"a\"],\n \"grid\": {\"x\": [1, 2,]}}",
                 "dir/s.json:2:22: expected valid JSON, found \"]}}\"");
    expect_error("", "dir/s.json:1:1: expected valid JSON, found the end of the text");
}

Test(sweep, nesting_past_the_limit_is_one_line_not_a_crash)
{
    size_t n = 100000;
    char *text = malloc(n + 1);
    cr_assert_not_null(text);
    memset(text, '[', n);
    text[n] = '\0';
    sim_diag d;
    sim_sweep *sw = parse(text, &d);
    free(text);
    cr_assert_null(sw);
    cr_assert_eq(d.line, 1);
    cr_assert(strstr(d.msg, "expected at most 1000 levels of nested lists and objects"), "%s", d.msg);
}
