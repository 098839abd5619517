/* Pins sim/output/report's end-of-run files from plain data (the model
 * builds sim_report_summary, the report only formats it): a nodes.csv row
 * column by column, with and without the sync columns; a functions.csv row
 * with one latency (mean = p50 = p99 = max, exact) and with none (empty
 * latency columns); latency.csv's scopes in the order given, with their
 * cumulative fractions; summary.json printed as handed over; and a finish
 * whose directory vanished fails with one line naming the file. */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/stopwatch.h"
#include "output/report.h"

static char dir[64];
static sim_scenario sc; /* no nodes or functions: nothing streamed here */

static void setup(void)
{
    strcpy(dir, "/tmp/edgesim-report-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

/* The whole of DIR/name (static buffer). */
static const char *slurp(const char *name)
{
    static char buf[8192];
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "no %s", name);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The second line of DIR/name (the first row under the header). */
static const char *row1(const char *name)
{
    const char *t = slurp(name);
    const char *nl = strchr(t, '\n');
    cr_assert_not_null(nl, "%s has no header line", name);
    return nl + 1;
}

/* Finishes a report opened on dir with s; returns sim_report_finish's code. */
static int finish(const sim_report_summary *s, char *err, size_t errlen)
{
    sim_report *r = sim_report_open(&sc, dir, 0, err, errlen);
    cr_assert_not_null(r, "%s", err);
    sim_run_stats st = {.setup_seconds = 0.5, .loop_seconds = 1.0, .loop_cpu_seconds = 0.25,
                        .outputs_start = sim_wall_seconds(), .events = 10, .invocations = 5,
                        .peak_rss_kb = 100};
    int rc = sim_report_finish(r, s, &st, err, errlen);
    sim_report_close(r);
    return rc;
}

static const edge_histogram empty = EDGE_HISTOGRAM_INIT;

static sim_node_row node(void)
{
    sim_node_row n = {
        .id = "edge-1",
        .region = "eu",
        .cores = 4,
        .memory_mb = 4096,
        .deployments = 2,
        .invocations = 7,
        .ok = 6,
        .failed = 1,
        .cold_starts = 3,
        .latency = &empty,
        .time_in_status = {10 * EDGE_S, 2 * EDGE_S, 0, 500 * EDGE_MS, 1},
        .crashes = 1,
        .availability = 0.1,
        .energy_j = 1.0 / 3.0,
        .cache_hit_ratio = 0.25,
        .cache_lookups = 4,
        .cache_hits = 1,
        .cache_shared_pulls = 0,
        .cache_pulls = 3,
        .cache_evictions = 2,
        .cache_pulled_mb = 300.5,
        .cache_pull_time = 6 * EDGE_S,
        .cache_pull_time_mean = 2 * EDGE_S,
        .cache_wait_time = 7 * EDGE_MS,
    };
    return n;
}

TestSuite(report, .init = setup, .fini = teardown);

Test(report, writes_a_node_row_column_by_column_with_empty_sync_columns)
{
    sim_node_row n = node();
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.nodes = &n, .nnodes = 1, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(row1("nodes.csv"),
                     "edge-1,eu,4,4096.000,2,7,6,1,3,,,10.000000000,2.000000000,0.000000000,"
                     "0.500000000,0.000000001,1,0.250000,3,300.500,6.000000000,2.000000000,"
                     ",,,,,,,"       /* sync_ columns: no synchronizer */
                     ",,,,,"          /* latency mean, p90, p95, p999, max: no latency */
                     "0.1,0.3333333333333333," /* availability, energy_j: shortest exact */
                     "4,1,0,0.007000000,2\n");
    cJSON_Delete(sum);
}

Test(report, writes_a_node_rows_latency_from_its_histogram_and_no_per_node_summary)
{
    /* 1 s and 3 s: mean 2 s (exact sum); p50 is the 1 s bucket's midpoint,
     * p90 up to max the largest value (quantiles are clamped to max). */
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    cr_assert_eq(edge_histogram_record(&h, EDGE_S), EDGE_OK);
    cr_assert_eq(edge_histogram_record(&h, 3 * EDGE_S), EDGE_OK);
    sim_node_row n = node();
    n.latency = &h;
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.nodes = &n, .nnodes = 1, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    const char *r = row1("nodes.csv");
    char p50[64];
    snprintf(p50, sizeof p50, ",3,%.9f,3.000000000,10.000000000,",
             (double)edge_histogram_quantile(&h, 0.5) / 1e9);
    cr_expect(strstr(r, p50) != NULL, "row: %s, p50 %s", r, p50);
    cr_expect(strstr(r, ",,,,,,,2.000000000,3.000000000,3.000000000,3.000000000,3.000000000,0.1,") !=
                  NULL,
              "row: %s", r);
    cr_expect_str_eq(slurp("summary.json"), "{\n}\n");
    cJSON_Delete(sum);
    edge_histogram_clear(&h);
}

Test(report, writes_the_sync_columns_when_the_run_had_a_synchronizer)
{
    sim_node_row n = node();
    n.has_sync = 1;
    n.sync_lag = 1500 * EDGE_MS;
    n.sync_lag_max = EDGE_S;
    n.sync_versions_behind = -2;
    n.sync_transfers = 4;
    n.sync_bytes = 1024;
    n.sync_rejected = 1;
    n.sync_lost = 5;
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.nodes = &n, .nnodes = 1, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    const char *r = row1("nodes.csv");
    const char *mid = ",1.500000000,1.000000000,-2,4,1024,1,5,,,,,,0.1,";
    cr_expect(strstr(r, mid) != NULL, "row: %s", r);
    cJSON_Delete(sum);
}

Test(report, writes_a_function_row_whose_single_latency_is_mean_and_every_quantile)
{
    edge_histogram h = EDGE_HISTOGRAM_INIT;
    cr_assert_eq(edge_histogram_record(&h, 1500 * EDGE_MS), EDGE_OK);
    sim_function_row f = {
        .id = "resize", .app = "shop", .memory_mb = 128, .arrivals = 4, .ok = 1, .failed = 1,
        .rejected = 2, .cold_starts = 1, .cold_start_rate = 0.5, .latency = &h,
        .cold_start_pct = 50, .wasted_mb_s = 12.3456, .prewarms = 3, .prewarms_used = 2,
        .prewarms_cancelled = 1,
    };
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.functions = &f, .nfunctions = 1, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(row1("functions.csv"),
                     "resize,128.000,4,1,1,2,1,0.500000,1.500000000,1.500000000,1.500000000,"
                     "1.500000000,50.000,12.346,3,2,1,shop\n");
    edge_histogram_clear(&h);
    cJSON_Delete(sum);
}

Test(report, leaves_the_latency_columns_empty_without_a_latency)
{
    sim_function_row f = {.id = "idle", .app = "", .memory_mb = 64, .latency = &empty};
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.functions = &f, .nfunctions = 1, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(row1("functions.csv"),
                     "idle,64.000,0,0,0,0,0,0.000000,,,,,0.000,0.000,0,0,0,\n");
    cJSON_Delete(sum);
}

Test(report, writes_latency_scopes_in_the_order_given_with_cumulative_fractions)
{
    edge_histogram a = EDGE_HISTOGRAM_INIT, b = EDGE_HISTOGRAM_INIT;
    /* values below 2^EDGE_HIST_SUB_BITS ns have a bucket of their own */
    cr_assert_eq(edge_histogram_record_n(&a, 3, 3), EDGE_OK);
    cr_assert_eq(edge_histogram_record(&a, 5), EDGE_OK);
    sim_latency_scope sc2[] = {{"all", &a}, {"none", &b}, {"f", &a}};
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.latency = sc2, .nlatency = 3, .summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp("latency.csv"),
                     "scope,bucket_lo_s,bucket_hi_s,count,cdf\n"
                     "all,0.000000003,0.000000004,3,0.750000000\n"
                     "all,0.000000005,0.000000006,1,1.000000000\n"
                     "f,0.000000003,0.000000004,3,0.750000000\n"
                     "f,0.000000005,0.000000006,1,1.000000000\n");
    edge_histogram_clear(&a);
    cJSON_Delete(sum);
}

Test(report, prints_the_summary_it_is_handed_and_run_json_from_the_stats)
{
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddStringToObject(sum, "scenario", "x");
    cJSON_AddNumberToObject(sum, "seed", 7);
    sim_report_summary s = {.summary = sum};
    char err[256] = "";
    cr_assert_eq(finish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp("summary.json"), "{\n\t\"scenario\":\t\"x\",\n\t\"seed\":\t7\n}\n");
    cJSON *run = cJSON_Parse(slurp("run.json"));
    cr_assert_not_null(run);
    cr_expect_eq(cJSON_GetObjectItem(run, "events_per_second")->valuedouble, 10.0);
    cr_expect_eq(cJSON_GetObjectItem(run, "invocations_per_second")->valuedouble, 5.0);
    /* the process's own peak up to run.json, never below what the stats say */
    struct rusage ru;
    cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
    double peak = cJSON_GetObjectItem(run, "peak_rss_kb")->valuedouble;
    cr_expect(peak >= 100.0 && peak <= (double)ru.ru_maxrss, "peak_rss_kb %g", peak);
    /* rates per second of the loop, and per CPU second of it; the three
     * wall times add up */
    cr_expect_eq(cJSON_GetObjectItem(run, "invocations_per_cpu_second")->valuedouble, 20.0);
    cr_expect_eq(cJSON_GetObjectItem(run, "setup_seconds")->valuedouble, 0.5);
    cr_expect_eq(cJSON_GetObjectItem(run, "loop_seconds")->valuedouble, 1.0);
    double out = cJSON_GetObjectItem(run, "output_seconds")->valuedouble;
    cr_expect(out >= 0 && out < 60, "output_seconds %g", out);
    /* cJSON prints 15 significant digits when they read back "close enough"
     * (its compare_double is relative, not exact), so the sum is compared to
     * within that rounding, not bit for bit */
    double total = cJSON_GetObjectItem(run, "total_seconds")->valuedouble;
    cr_expect(fabs(total - (1.5 + out)) <= 1e-12 * (1.5 + out), "total_seconds %.17g, expected "
              "%.17g", total, 1.5 + out);
    cr_expect_gt(cJSON_GetObjectItem(run, "cpu_seconds")->valuedouble, 0.0);
    cr_expect_null(cJSON_GetObjectItem(run, "wall_seconds"));
    cJSON_Delete(run);
    cJSON_Delete(sum);
}

Test(report, fails_with_one_line_naming_the_file_when_the_directory_vanished)
{
    char err[256] = "";
    sim_report *r = sim_report_open(&sc, dir, 0, err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    cJSON *sum = cJSON_CreateObject();
    sim_report_summary s = {.summary = sum};
    sim_run_stats st = {0};
    cr_expect_eq(sim_report_finish(r, &s, &st, err, sizeof err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s/timeseries.csv: cannot write: ", dir);
    cr_expect(!strncmp(err, want, strlen(want)) && !strchr(err, '\n'), "err: %s", err);
    sim_report_close(r);
    cJSON_Delete(sum);
}
