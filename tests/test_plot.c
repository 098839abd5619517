/* Pins sim/plot's side that needs no gnuplot: every missing or malformed
 * output of a run is one exact line and exit status BAD_INPUT (checked
 * before gnuplot is looked for), nothing is left behind, the report is
 * written without gnuplot and escapes what it shows, and the SVG inlining
 * keeps several gnuplot SVGs apart on one page. The pictures themselves are
 * checked by tests/cli/plot*.t, which run gnuplot. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/plot.h"
#include "output/plot_internal.h"

static char dir[64], err[1024];

static void setup(void)
{
    strcpy(dir, "/tmp/edgesim-plot-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* A small but complete run: 2 nodes, 2 sample intervals. */
static void valid_run(void)
{
    put("summary.json", "{\"scenario\": \"tiny\", \"seed\": 3, \"duration_s\": 20,"
                        " \"totals\": {\"arrivals\": 10, \"ok\": 9, \"failed\": 1, \"rejected\": 0},"
                        " \"outcomes\": {\"ok\": 9, \"node_crash\": 1}}\n");
    put("timeseries.csv",
        "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
        "latency_p95_s,latency_p99_s,in_flight,busy_slots,queued,healthy_nodes,offline_nodes\n"
        "0.000000000,10.000000000,5,5,0,0,2,0.010,0.020,0.030,0,0,0,2,0\n"
        "10.000000000,20.000000000,5,4,1,0,0,,,,0,0,0,1,1\n");
    put("node_series.csv",
        "t_end_s,node,status,in_flight,busy_slots,queued,warm_instances,memory_used_mb\n"
        "10.0,n1,online,1,1,0,1,128.000\n10.0,n2,online,0,0,0,0,0.000\n"
        "20.0,n1,online,0,0,0,1,128.000\n20.0,n2,offline,0,0,0,0,0.000\n");
    put("health.csv", "time_s,node,from,to,reason\n15.0,n2,online,offline,heartbeat_timeout\n");
    put("nodes.csv", "node,region,cores\nn1,r1,4\nn2,r2,4\n");
    put("latency.csv", "scope,bucket_lo_s,bucket_hi_s,count,cdf\nall,0.010,0.011,9,1.0\n");
    put("faults.csv", "start_s,end_s,kind,target\n12.0,12.0,crash,n2\n");
}

/* The names in dir, other than the run's inputs, joined by spaces. */
static const char *leftovers(void)
{
    static char out[1024];
    out[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || strstr(n, ".csv") || strstr(n, ".json"))
            continue;
        strncat(out, n, sizeof out - strlen(out) - 2);
        strcat(out, " ");
    }
    closedir(d);
    return out;
}

TestSuite(plot, .init = setup, .fini = teardown);

Test(plot, names_a_missing_run_directory)
{
    char missing[128];
    snprintf(missing, sizeof missing, "%s/nope", dir);
    cr_assert_eq(sim_plot_run_dir(missing, 0, err, sizeof err), SIM_PLOT_BAD_INPUT);
    char want[256];
    snprintf(want, sizeof want, "%s: no such run directory", missing);
    cr_assert_str_eq(err, want);
    put("file", "x");
    snprintf(missing, sizeof missing, "%s/file", dir);
    cr_assert_eq(sim_plot_run_dir(missing, 0, err, sizeof err), SIM_PLOT_BAD_INPUT);
    snprintf(want, sizeof want, "%s: not a run directory", missing);
    cr_assert_str_eq(err, want);
}

Test(plot, names_each_missing_output)
{
    static const char *const files[] = {"summary.json", "timeseries.csv", "node_series.csv",
                                        "health.csv",   "nodes.csv",      "latency.csv",
                                        "faults.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        valid_run();
        char path[256], want[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
        cr_assert_eq(sim_plot_run_dir(dir, 0, err, sizeof err), SIM_PLOT_BAD_INPUT);
        snprintf(want, sizeof want,
                 "%s: missing (expected the outputs of `edgesim run` here; see docs/outputs.md)",
                 path);
        cr_assert_str_eq(err, want);
    }
    cr_assert_str_eq(leftovers(), "");
}

/* Each case: a file, its broken text, the line expected after "DIR/". */
static const struct {
    const char *file, *text, *want;
} bad[] = {
    {"summary.json", "{\n \"scenario\": \"x\",\n \"seed\": ]\n}\n",
     "summary.json:3: expected a JSON object (the run's summary), found invalid JSON"},
    {"summary.json", "[1, 2]\n", "summary.json:1: expected a JSON object (the run's summary), "
                                 "found another JSON value"},
    {"timeseries.csv", "t_start_s,t_end_s\n0,10\n",
     "timeseries.csv:1: expected a column \"arrivals\" in the header"},
    {"timeseries.csv",
     "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
     "latency_p95_s,latency_p99_s\n10,5,1,1,0,0,0,,,\n",
     "timeseries.csv:2: expected 0 <= t_start_s < t_end_s"},
    {"timeseries.csv",
     "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
     "latency_p95_s,latency_p99_s\n0,10,1,1,0,0,0,,,\n10,20,1,lots,0,0,0,,,\n",
     "timeseries.csv:3: column \"completions\": expected a number, found \"lots\""},
    {"timeseries.csv",
     "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
     "latency_p95_s,latency_p99_s\n10,20,1,1,0,0,0,,,\n0,10,1,1,0,0,0,,,\n",
     "timeseries.csv:3: expected sample intervals in increasing order of t_start_s"},
    {"timeseries.csv",
     "t_start_s,t_end_s,arrivals,completions,failures,rejections,cold_starts,latency_p50_s,"
     "latency_p95_s,latency_p99_s\n0,10,-1,1,0,0,0,,,\n",
     "timeseries.csv:2: expected counts of at least 0"},
    {"nodes.csv", "node,region\nn1,r\nn1,r\n", "nodes.csv: node \"n1\" appears more than once"},
    {"nodes.csv", "node,region\n,r\n",
     "nodes.csv:2: column \"node\": expected a node id, found an empty field"},
    {"nodes.csv", "id,region\n", "nodes.csv:1: expected a column \"node\" in the header"},
    {"faults.csv", "start_s,end_s,kind,target\n20,10,crash,n1\n",
     "faults.csv:2: expected 0 <= start_s <= end_s"},
    {"faults.csv", "start_s,end_s,kind,target\n1,2,,n1\n",
     "faults.csv:2: column \"kind\": expected a fault kind, found an empty field"},
    {"faults.csv", "start_s,end_s,kind,target\n1,2,crash\n",
     "faults.csv:2: expected 4 comma-separated fields as in the header, found 3"},
    {"health.csv", "time_s,node,from,to,reason\n5,n1,online,up,x\n",
     "health.csv:2: column \"to\": expected a status (online, offline, degraded, syncing, "
     "maintenance), found \"up\""},
    {"health.csv", "time_s,node,from,to,reason\n5,n9,online,offline,x\n",
     "health.csv:2: column \"node\": expected a node of nodes.csv, found \"n9\""},
    {"node_series.csv", "t_end_s,node,busy_slots\n10,n1,1\n10,zz,1\n",
     "node_series.csv:3: column \"node\": expected a node of nodes.csv, found \"zz\""},
    {"node_series.csv", "t_end_s,node,busy_slots\n10,n1,-2\n",
     "node_series.csv:2: column \"busy_slots\": expected a count of at least 0"},
    {"latency.csv", "scope,bucket_lo_s,bucket_hi_s,count,cdf\nall,0.1,0.2,3,1.5\n",
     "latency.csv:2: expected 0 <= bucket_lo_s <= bucket_hi_s, count >= 0 and 0 <= cdf <= 1"},
    {"latency.csv", "scope,bucket_lo_s,bucket_hi_s,count\n",
     "latency.csv:1: expected a column \"cdf\" in the header"},
    {"latency.csv", "", "latency.csv:1: expected a header line naming the columns, found an "
                        "empty file"},
};

Test(plot, names_file_line_and_expectation_of_malformed_outputs)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        valid_run();
        put(bad[i].file, bad[i].text);
        cr_assert_eq(sim_plot_run_dir(dir, 0, err, sizeof err), SIM_PLOT_BAD_INPUT,
                     "case %zu (%s) was accepted", i, bad[i].file);
        char want[512];
        snprintf(want, sizeof want, "%s/%s", dir, bad[i].want);
        cr_assert_str_eq(err, want, "case %zu: %s", i, err);
        cr_assert_str_eq(leftovers(), "", "case %zu left files behind", i);
    }
}

Test(plot, checks_input_even_without_gnuplot)
{
    valid_run();
    put("health.csv", "time_s,node,from,to,reason\n5,n1,online,up,x\n");
    char *saved = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", "/nonexistent", 1);
    sim_plot_status st = sim_plot_run_dir(dir, 0, err, sizeof err);
    setenv("PATH", saved, 1);
    free(saved);
    cr_assert_eq(st, SIM_PLOT_BAD_INPUT);
}

Test(plot, writes_the_report_without_gnuplot_and_says_why)
{
    valid_run();
    put("summary.json", "{\"scenario\": \"<b>&'tiny'\\\"</b>\", \"scheduler\": \"rr<x>\","
                        " \"fingerprint\": \"0123abcd\", \"outcomes\": {\"ok\": 3}}\n");
    char *saved = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", "/nonexistent", 1);
    sim_plot_status st = sim_plot_run_dir(dir, 0, err, sizeof err);
    setenv("PATH", saved, 1);
    free(saved);
    cr_assert_eq(st, SIM_PLOT_NO_GNUPLOT);
    cr_assert_str_eq(err, "gnuplot not found on PATH: install it (Debian: gnuplot-nox; "
                          "scripts/deps.sh) to draw plots");
    const char *html = get("report.html");
    cr_assert_not_null(html);
    cr_assert(strstr(html, "<h1>&lt;b&gt;&amp;&#39;tiny&#39;&quot;&lt;/b&gt;</h1>"), "%.400s", html);
    cr_assert(strstr(html, "scheduler <b>rr&lt;x&gt;</b>"));
    cr_assert(strstr(html, "<code>0123abcd</code>"));
    cr_assert(strstr(html, "No plots: gnuplot was not found"));
    cr_assert_null(strstr(html, "<svg"));
    cr_assert_null(strstr(html, "<script"));
    cr_assert_str_eq(leftovers(), "report.html ");
}

Test(plot, escapes_html)
{
    sim__sb b = {0};
    sim__sb_html(&b, "<a href='x'>&\"\x01z");
    cr_assert_str_eq(b.s, "&lt;a href=&#39;x&#39;&gt;&amp;&quot; z");
    sim__sb_free(&b);
}

Test(plot, prefixes_svg_ids_and_references_but_not_data)
{
    const char *svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n"
                      "<svg width=\"10\" height=\"10\">\n<title>Gnuplot</title>\n"
                      "<g id=\"gnuplot_canvas\">\n<path id='gpPt0' d='M0,0'/>\n"
                      "<use xlink:href='#gpPt0' fill='url(#grad)'/>\n"
                      "<a href='https://x/'>id='not-an-attribute'</a>\n"
                      "<image href='data:image/png;base64,AAAA id=BBB'/>\n</g></svg>\n";
    sim__sb b = {0};
    cr_assert_eq(sim__svg_inline(&b, svg, "f3-", "CDF <1>"), 0);
    cr_assert_str_eq(b.s, "<svg width=\"10\" height=\"10\">\n<title>CDF &lt;1&gt;</title>\n"
                          "<g id=\"f3-gnuplot_canvas\">\n<path id='f3-gpPt0' d='M0,0'/>\n"
                          "<use xlink:href='#f3-gpPt0' fill='url(#f3-grad)'/>\n"
                          "<a href='https://x/'>id='not-an-attribute'</a>\n"
                          "<image href='data:image/png;base64,AAAA id=BBB'/>\n</g></svg>\n");
    sim__sb_free(&b);
    sim__sb c = {0};
    cr_assert_eq(sim__svg_inline(&c, "<html>no svg</html>", "p", "t"), -1);
    sim__sb_free(&c);
}

Test(plot, formats_numbers_for_people)
{
    char buf[64];
    sim__fmt_count(buf, sizeof buf, 529533);
    cr_assert_str_eq(buf, "529,533");
    sim__fmt_count(buf, sizeof buf, 999);
    cr_assert_str_eq(buf, "999");
    sim__fmt_count(buf, sizeof buf, 1000);
    cr_assert_str_eq(buf, "1,000");
    sim__fmt_count(buf, sizeof buf, 0);
    cr_assert_str_eq(buf, "0");
    sim__fmt_latency(buf, sizeof buf, 0.0718);
    cr_assert_str_eq(buf, "71.8 ms");
    sim__fmt_latency(buf, sizeof buf, 0.00085);
    cr_assert_str_eq(buf, "850 us");
    sim__fmt_latency(buf, sizeof buf, 1.3967);
    cr_assert_str_eq(buf, "1.4 s");
}

Test(plot, lists_its_plots)
{
    size_t n = 0;
    while (sim_plot_names[n])
        n++;
    cr_assert_eq(n, 8);
    cr_assert_str_eq(sim_plot_names[0], "latency_cdf");
    cr_assert_str_eq(sim_plot_names[7], "link_utilisation"); /* only with a network */
}
