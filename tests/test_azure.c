/* Pins the Azure Functions trace workloads: the 2019 and 2021 readers on
 * fixtures written here (empty minutes, a function without a durations row,
 * malformed rows named by file:line:col, scientific notation, duplicates),
 * the selection options (window, top, sample_functions, sample_apps), the
 * memory split over an app's functions, "unit": "app" (an app's functions
 * merged into one: counts added, whole memory, its top function's durations),
 * and the arrivals: exactly the trace's
 * count for every placement, inside the right minute, scaled as documented.
 * With ../shared/data/traces present, the real excerpts are read and replayed
 * and their per-function totals checked against the files; skipped otherwise. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/azure.h"
#include "scenario/scenario.h"
#include "input/workload.h"

#define MIN ((edge_time)60 * EDGE_S)

static char dir[256];

static void setup_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/edgesim-azure-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(azure, .init = setup_dir, .fini = teardown_dir);

/* Writes text to dir/name and returns the path (static buffer per slot). */
static const char *fixture(int slot, const char *name, const char *text)
{
    static char paths[8][300];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir, name);
    FILE *f = fopen(paths[slot], "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return paths[slot];
}

#define INV_HEADER "HashOwner,HashApp,HashFunction,Trigger,1,2,3,4\n"
#define DUR_HEADER                                                                          \
    "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"   \
    "percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75," \
    "percentile_Average_99,percentile_Average_100\n"
#define MEM_HEADER                                                                          \
    "HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,"              \
    "AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,"            \
    "AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,"           \
    "AverageAllocatedMb_pct100\n"

static const sim_az_function *by_func(const sim_az_trace *t, const char *func)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->fns[i].func, func))
            return &t->fns[i];
    return NULL;
}

/* Three functions of two apps over four minutes; fC is never invoked. */
static const char *inv_text = INV_HEADER "o1,a1,fA,http,3,0,0,5\n"
                                         "o1,a1,fB,timer,0,1,0,0\n"
                                         "o1,a1,fC,http,0,0,0,0\n"
                                         "o2,a2,fD,queue,10,20,30,40\n";

static int read2019(const char *inv, const char *dur, const char *mem, sim_az_options *o,
                    sim_az_trace *t, char *err)
{
    const char *iv[1] = {inv}, *dv[1] = {dur}, *mv[1] = {mem};
    o->invocations = iv;
    o->ninvocations = 1;
    o->durations = dur ? dv : NULL;
    o->ndurations = dur ? 1 : 0;
    o->memory = mem ? mv : NULL;
    o->nmemory = mem ? 1 : 0;
    return sim_az2019_read(o, t, err, 512);
}

Test(azure, reads_2019_counts_keeping_only_nonzero_minutes_and_dropping_silent_functions)
{
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 3, "fC is never invoked");
    cr_assert_eq(t.functions_in_file, 4);
    cr_assert_eq(t.rows, 4);
    cr_assert_eq(t.invocations, 8 + 1 + 100);
    const sim_az_function *a = by_func(&t, "fA");
    cr_assert_eq(a->nminutes, 2);
    cr_assert_eq(a->minutes[0].minute, 0);
    cr_assert_eq(a->minutes[0].count, 3);
    cr_assert_eq(a->minutes[1].minute, 3);
    cr_assert_eq(a->minutes[1].count, 5);
    cr_assert_str_eq(a->app, "a1");
    cr_assert_eq(t.missing_durations, 3);
    cr_assert_eq(t.missing_memory, 3);
    sim_az_trace_free(&t);
}

Test(azure, reads_durations_including_scientific_notation_and_counts_a_missing_row)
{
    const char *dur = fixture(1, "dur.csv",
                              DUR_HEADER "o1,a1,fA,10,8,1,100,1,2,5,10,20,50,1.0e2\n"
                                         "o2,a2,fD,5,100,1,9,1,1,2,3,4,9,9\n"
                                         "o9,a9,fZ,5,100,1,9,1,1,2,3,4,9,9\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), dur, NULL, &o, &t, err), 0, "%s", err);
    const sim_az_function *a = by_func(&t, "fA");
    cr_assert(a->has_durations);
    cr_assert_float_eq(a->dur_ms[6], 100.0, 1e-12);
    cr_assert_float_eq(a->dur_ms[3], 10.0, 1e-12);
    cr_assert_not(by_func(&t, "fB")->has_durations, "fB has no row");
    cr_assert_eq(t.missing_durations, 1);
    sim_az_trace_free(&t);
}

Test(azure, splits_an_apps_memory_evenly_over_all_its_functions_in_the_file)
{
    /* a1 has fA, fB and fC in the file (fC silent): 300 MB / 3 each */
    const char *mem = fixture(2, "mem.csv", MEM_HEADER "o1,a1,5,300,1,1,1,1,1,1,1,1\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, mem, &o, &t, err), 0, "%s", err);
    cr_assert_float_eq(by_func(&t, "fA")->memory_mb, 100.0, 1e-12);
    cr_assert_float_eq(by_func(&t, "fB")->memory_mb, 100.0, 1e-12);
    cr_assert_not(by_func(&t, "fD")->has_memory);
    cr_assert_eq(t.missing_memory, 1);
    sim_az_trace_free(&t);
}

Test(azure, reads_the_per_function_memory_form_as_is)
{
    const char *mem = fixture(2, "mem.csv",
                              "HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb\n"
                              "o1,a1,fA,5,64\no2,a2,fD,5,0\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, mem, &o, &t, err), 0, "%s", err);
    cr_assert_float_eq(by_func(&t, "fA")->memory_mb, 64.0, 1e-12);
    cr_assert_not(by_func(&t, "fD")->has_memory, "0 MB counts as missing");
    sim_az_trace_free(&t);
}

Test(azure, names_file_line_and_column_of_a_malformed_count)
{
    char path[400];
    const char *inv = fixture(0, "inv.csv", INV_HEADER "o1,a1,fA,http,3,0,0,5\no1,a1,fB,http,1,x7,0,0\n");
    snprintf(path, sizeof path, "%s:3:17: expected a count (a whole number >= 0), found \"x7\"", inv);
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    cr_assert_str_eq(err, path);
    cr_assert_eq(t.n, 0);
}

Test(azure, skips_and_counts_malformed_rows_when_asked)
{
    const char *inv = fixture(0, "inv.csv",
                              INV_HEADER "o1,a1,fA,http,3,0,0,5\no1,a1,fB,http,1,-1,0,0\n"
                                         "o1,a1,fE,http,1,2\no1,a1,fA,http,1,1,1,1\n");
    sim_az_options o = {.skip_errors = 1};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.skipped_rows, 3, "a negative count, a short row, a duplicate");
    cr_assert_eq(t.n, 1);
    cr_assert_eq(t.invocations, 8);
    sim_az_trace_free(&t);
}

Test(azure, rejects_a_wrong_header_a_short_row_and_a_duplicate_function)
{
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512], want[512];
    const char *inv = fixture(0, "inv.csv", "HashOwner,App,HashFunction,Trigger,1\n");
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    cr_assert(strstr(err, "inv.csv:1:11: expected the header"), "%s", err);
    inv = fixture(0, "inv.csv", INV_HEADER "o1,a1,fA,http,3,0\n");
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    snprintf(want, sizeof want, "%s:2:18: expected 8 fields (4 ids and 4 minute counts), found 6", inv);
    cr_assert_str_eq(err, want);
    inv = fixture(0, "inv.csv", INV_HEADER "o1,a1,fA,http,3,0,0,0\no1,a1,fA,http,3,0,0,0\n");
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    cr_assert(strstr(err, "inv.csv:3:7: expected one row per function"), "%s", err);
    inv = fixture(0, "inv.csv", "");
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    cr_assert(strstr(err, "found an empty file"), "%s", err);
    const char *missing[1] = {"/nonexistent/inv.csv"};
    o.invocations = missing;
    cr_assert_eq(sim_az2019_read(&o, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/inv.csv: cannot open"), "%s", err);
}

Test(azure, a_window_keeps_its_minutes_rebased_to_its_start)
{
    sim_az_options o = {.window_lo = 1 * MIN, .window_hi = 3 * MIN};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 2, "fA has nothing in minutes 1 and 2");
    const sim_az_function *d = by_func(&t, "fD");
    cr_assert_eq(d->nminutes, 2);
    cr_assert_eq(d->minutes[0].minute, 0);
    cr_assert_eq(d->minutes[0].count, 20);
    cr_assert_eq(d->minutes[1].count, 30);
    cr_assert_eq(t.invocations, 1 + 50);
    sim_az_trace_free(&t);
}

Test(azure, days_follow_one_another_and_a_function_of_both_days_is_one_function)
{
    const char *d1 = fixture(0, "d1.csv", INV_HEADER "o1,a1,fA,http,1,0,0,0\n");
    const char *d2 = fixture(1, "d2.csv", INV_HEADER "o1,a1,fA,http,0,2,0,0\no1,a1,fB,http,0,0,0,4\n");
    const char *days[2] = {d1, d2};
    sim_az_options o = {.invocations = days, .ninvocations = 2};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(sim_az2019_read(&o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(t.n, 2);
    const sim_az_function *a = by_func(&t, "fA");
    cr_assert_eq(a->nminutes, 2);
    cr_assert_eq(a->minutes[0].minute, 0);
    cr_assert_eq(a->minutes[1].minute, 1440 + 1, "day 2's minute 1");
    cr_assert_eq(a->total, 3);
    cr_assert_eq(by_func(&t, "fB")->minutes[0].minute, 1440 + 3);
    sim_az_trace_free(&t);
    o.window_lo = 1440 * MIN; /* the second day alone, rebased */
    cr_assert_eq(sim_az2019_read(&o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(by_func(&t, "fA")->minutes[0].minute, 1);
    cr_assert_eq(t.invocations, 6);
    sim_az_trace_free(&t);
}

Test(azure, top_keeps_the_most_invoked_functions)
{
    sim_az_options o = {.top = 2};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 2);
    cr_assert_not_null(by_func(&t, "fD"));
    cr_assert_not_null(by_func(&t, "fA"));
    sim_az_trace_free(&t);
}

/* 40 apps of 3 functions each, one invocation per function. */
static const char *many(void)
{
    static char text[8192];
    size_t k = (size_t)snprintf(text, sizeof text, "%s", INV_HEADER);
    for (int a = 0; a < 40; a++)
        for (int f = 0; f < 3; f++)
            k += (size_t)snprintf(text + k, sizeof text - k, "o,app%d,f%d_%d,http,1,0,0,0\n", a, a, f);
    return fixture(0, "many.csv", text);
}

Test(azure, samples_are_seeded_deterministic_and_of_the_asked_size)
{
    const char *inv = many();
    sim_az_options o = {.sample_functions = 7, .seed = 1};
    sim_az_trace t, u, v;
    char err[512];
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &u, err), 0, "%s", err);
    o.seed = 2;
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &v, err), 0, "%s", err);
    cr_assert_eq(t.n, 7);
    int same = 1, same_v = 1;
    for (size_t i = 0; i < 7; i++) {
        same &= !strcmp(t.fns[i].func, u.fns[i].func);
        same_v &= !strcmp(t.fns[i].func, v.fns[i].func);
    }
    cr_assert(same, "the same seed picks the same functions");
    cr_assert_not(same_v, "another seed picks others");
    sim_az_trace_free(&t);
    sim_az_trace_free(&u);
    sim_az_trace_free(&v);
}

Test(azure, sample_apps_keeps_every_function_of_the_chosen_apps)
{
    sim_az_options o = {.sample_apps = 5, .seed = 9};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(many(), NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 15);
    for (size_t i = 0; i < t.n; i++) {
        int n = 0;
        for (size_t j = 0; j < t.n; j++)
            n += !strcmp(t.fns[i].app, t.fns[j].app);
        cr_assert_eq(n, 3, "app %s kept whole", t.fns[i].app);
    }
    sim_az_trace_free(&t);
}

/* ---- arrivals ---- */

static sim_workload_spec minutes_spec(const sim_az_function *x, sim_placement p, double scale)
{
    sim_workload_spec w;
    memset(&w, 0, sizeof w);
    w.kind = SIM_ARRIVAL_MINUTES;
    w.minutes = x->minutes;
    w.nminutes = x->nminutes;
    w.total = x->total;
    w.placement = p;
    w.scale = scale;
    w.stream = x->key;
    return w;
}

/* Replays w; counts per minute into per_minute (size n) and returns the total. */
static uint64_t replay(const sim_workload_spec *w, uint64_t *per_minute, size_t n)
{
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, w, 7, 0, 3 * 1440 * MIN), EDGE_OK);
    uint64_t k = 0;
    edge_time prev = 0;
    while (a.next != EDGE_TIME_MAX) {
        cr_assert_geq(a.next, prev, "arrivals never go back");
        prev = a.next;
        size_t m = (size_t)(a.next / MIN);
        if (per_minute && m < n)
            per_minute[m]++;
        k++;
        sim_arrivals_advance(&a);
    }
    return k;
}

static const char *const place_names[] = {"uniform", "even", "poisson"};

Test(azure, every_placement_generates_exactly_the_traces_total)
{
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", inv_text), NULL, NULL, &o, &t, err), 0, "%s", err);
    for (int p = 0; p < 3; p++)
        for (size_t i = 0; i < t.n; i++) {
            sim_workload_spec w = minutes_spec(&t.fns[i], (sim_placement)p, 1.0);
            uint64_t per[4] = {0};
            cr_assert_eq(replay(&w, per, 4), t.fns[i].total, "%s %s", place_names[p], t.fns[i].func);
            if (p != SIM_PLACE_POISSON) /* uniform and even keep each minute's count */
                for (size_t m = 0; m < t.fns[i].nminutes; m++)
                    cr_assert_eq(per[t.fns[i].minutes[m].minute], t.fns[i].minutes[m].count);
        }
    sim_az_trace_free(&t);
}

Test(azure, even_placement_centres_the_arrivals_of_a_minute)
{
    sim_az_minute m = {2, 4};
    sim_az_function x = {.minutes = &m, .nminutes = 1, .total = 4, .key = 1};
    sim_workload_spec w = minutes_spec(&x, SIM_PLACE_EVEN, 1.0);
    w.start = 5 * EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 1, 0, 1000 * MIN), EDGE_OK);
    edge_time want[4] = {7.5 * EDGE_S, 22.5 * EDGE_S, 37.5 * EDGE_S, 52.5 * EDGE_S};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(a.next, 5 * EDGE_S + 2 * MIN + want[i]);
        sim_arrivals_advance(&a);
    }
    cr_assert_eq(a.next, EDGE_TIME_MAX);
}

Test(azure, a_whole_scale_multiplies_and_a_fraction_thins_binomially)
{
    sim_az_minute m[2] = {{0, 1000}, {1, 3000}};
    sim_az_function x = {.minutes = m, .nminutes = 2, .total = 4000, .key = 5};
    for (int p = 0; p < 3; p++) {
        sim_workload_spec w = minutes_spec(&x, (sim_placement)p, 2.0);
        cr_assert_eq(replay(&w, NULL, 0), 8000, "%s", place_names[p]);
        w.scale = 0.5; /* binomial(4000, 1/2): mean 2000, sd 31.6 */
        uint64_t n = replay(&w, NULL, 0);
        cr_assert(n > 2000 - 160 && n < 2000 + 160, "%s: %llu", place_names[p], (unsigned long long)n);
    }
}

Test(azure, arrivals_depend_on_the_function_not_on_the_workload_index)
{
    sim_az_minute m = {0, 50};
    sim_az_function x = {.minutes = &m, .nminutes = 1, .total = 50, .key = 77};
    sim_workload_spec w = minutes_spec(&x, SIM_PLACE_UNIFORM, 1.0);
    sim_arrivals a, b;
    cr_assert_eq(sim_arrivals_init(&a, &w, 3, 0, MIN), EDGE_OK);
    cr_assert_eq(sim_arrivals_init(&b, &w, 3, 12345, MIN), EDGE_OK);
    for (int i = 0; i < 50; i++) {
        cr_assert_eq(a.next, b.next);
        cr_assert_lt(a.next, MIN);
        sim_arrivals_advance(&a);
        sim_arrivals_advance(&b);
    }
}

/* ---- unit "app": one function per app ---- */

/* a1 has fA, fB and fC (silent) in the file, a2 only fD; fB has a durations
 * row but fA, a1's most invoked, has one too and wins. */
static const char *app_inv_text = INV_HEADER "o1,a1,fA,http,3,0,0,5\n"
                                             "o2,a2,fD,queue,10,20,30,40\n"
                                             "o1,a1,fB,timer,2,1,0,1\n"
                                             "o1,a1,fC,http,0,0,0,0\n";

Test(azure, unit_app_merges_an_apps_three_functions_into_one)
{
    const char *dur = fixture(1, "dur.csv",
                              DUR_HEADER "o1,a1,fB,10,8,1,100,7,7,7,7,7,7,7\n"
                                         "o1,a1,fA,10,8,1,100,1,2,5,10,20,50,100\n");
    const char *mem = fixture(2, "mem.csv", MEM_HEADER "o1,a1,5,300,1,1,1,1,1,1,1,1\n");
    sim_az_options o = {.by_app = 1};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", app_inv_text), dur, mem, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 2, "two apps");
    cr_assert_eq(t.functions_in_file, 2, "apps, with unit app");
    const sim_az_function *a = &t.fns[0];
    cr_assert_str_eq(a->app, "a1", "apps in first-seen order");
    cr_assert_str_eq(a->func, "a1", "the app's hash names it");
    cr_assert_str_eq(a->owner, "o1");
    cr_assert_eq(a->total, 3 + 5 + 2 + 1 + 1);
    cr_assert_eq(a->nminutes, 3, "minutes 0, 1 and 3, each once");
    sim_az_minute want[3] = {{0, 5}, {1, 1}, {3, 6}};
    for (int m = 0; m < 3; m++) {
        cr_assert_eq(a->minutes[m].minute, want[m].minute);
        cr_assert_eq(a->minutes[m].count, want[m].count);
    }
    cr_assert(a->has_memory);
    cr_assert_float_eq(a->memory_mb, 300.0, 1e-12, "the app's whole row, not split");
    cr_assert(a->has_durations);
    cr_assert_float_eq(a->dur_ms[3], 10.0, 1e-12, "fA's (the most invoked with a row)");
    cr_assert_str_eq(t.fns[1].app, "a2");
    cr_assert_eq(t.fns[1].total, 100);
    cr_assert_eq(t.missing_durations, 1, "a2");
    cr_assert_eq(t.missing_memory, 1, "a2");
    cr_assert_eq(t.invocations, 12 + 100);
    sim_az_trace_free(&t);
}

Test(azure, unit_app_takes_durations_from_a_less_invoked_function_when_the_top_has_none)
{
    const char *dur = fixture(1, "dur.csv", DUR_HEADER "o1,a1,fB,10,8,1,100,7,7,7,7,7,7,7\n");
    const char *mem = fixture(2, "mem.csv",
                              "HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb\n"
                              "o1,a1,fA,5,64\no1,a1,fB,5,36\n");
    sim_az_options o = {.by_app = 1};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(fixture(0, "inv.csv", app_inv_text), dur, mem, &o, &t, err), 0, "%s", err);
    cr_assert_float_eq(t.fns[0].dur_ms[3], 7.0, 1e-12);
    cr_assert_float_eq(t.fns[0].memory_mb, 100.0, 1e-12, "per-function rows add up");
    sim_az_trace_free(&t);
}

Test(azure, unit_app_totals_are_the_sum_of_its_functions_for_every_placement)
{
    sim_az_options of = {0}, oa = {.by_app = 1};
    sim_az_trace tf, ta;
    char err[512];
    const char *inv = fixture(0, "inv.csv", app_inv_text);
    cr_assert_eq(read2019(inv, NULL, NULL, &of, &tf, err), 0, "%s", err);
    cr_assert_eq(read2019(inv, NULL, NULL, &oa, &ta, err), 0, "%s", err);
    for (size_t k = 0; k < ta.n; k++) {
        uint64_t fsum[4] = {0}, total = 0;
        for (size_t i = 0; i < tf.n; i++)
            if (!strcmp(tf.fns[i].app, ta.fns[k].app)) {
                for (size_t m = 0; m < tf.fns[i].nminutes; m++)
                    fsum[tf.fns[i].minutes[m].minute] += tf.fns[i].minutes[m].count;
                total += tf.fns[i].total;
            }
        cr_assert_eq(ta.fns[k].total, total);
        for (int p = 0; p < 3; p++) {
            sim_workload_spec w = minutes_spec(&ta.fns[k], (sim_placement)p, 1.0);
            uint64_t per[4] = {0};
            cr_assert_eq(replay(&w, per, 4), total, "%s %s", place_names[p], ta.fns[k].app);
            if (p != SIM_PLACE_POISSON)
                for (int m = 0; m < 4; m++)
                    cr_assert_eq(per[m], fsum[m], "%s minute %d", place_names[p], m);
        }
    }
    sim_az_trace_free(&tf);
    sim_az_trace_free(&ta);
}

Test(azure, unit_app_selects_apps_and_a_window_keeps_only_invoked_apps)
{
    sim_az_options o = {.by_app = 1, .top = 1};
    sim_az_trace t;
    char err[512];
    const char *inv = fixture(0, "inv.csv", app_inv_text);
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 1);
    cr_assert_str_eq(t.fns[0].app, "a2", "100 invocations against 12");
    sim_az_trace_free(&t);
    o = (sim_az_options){.by_app = 1, .window_lo = 2 * MIN, .window_hi = 3 * MIN};
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 1, "a1 is silent in minute 2");
    cr_assert_eq(t.fns[0].total, 30);
    sim_az_trace_free(&t);
}

/* ---- 2021 ---- */

static int read2021(const char *inv, sim_az_options *o, sim_az_trace *t, char *err)
{
    const char *iv[1] = {inv};
    o->invocations = iv;
    o->ninvocations = 1;
    return sim_az2021_read(o, t, err, 512);
}

Test(azure, reads_2021_calls_by_start_with_their_durations)
{
    const char *inv = fixture(0, "inv21.csv",
                              "app,func,end_timestamp,duration\n"
                              "a1,f1,10.5,0.5\n"
                              "a1,f2,11,4\n"   /* starts at 7: before the first row's 10 */
                              "a1,f1,1.2E+01,1\n"
                              "a1,f1,0.05,0.068\n"); /* rounded: a start before 0 is 0 */
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2021(inv, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 2);
    const sim_az_function *f1 = by_func(&t, "f1");
    cr_assert_eq(f1->ncalls, 3);
    cr_assert_eq(f1->calls[0].start, 0);
    cr_assert_eq(f1->calls[0].duration, 68 * EDGE_MS);
    cr_assert_eq(f1->calls[1].start, 10 * EDGE_S);
    cr_assert_eq(f1->calls[1].duration, 500 * EDGE_MS);
    cr_assert_eq(f1->calls[2].start, 11 * EDGE_S);
    cr_assert_eq(by_func(&t, "f2")->calls[0].start, 7 * EDGE_S);
    cr_assert_eq(t.invocations, 4);

    /* replayed in order of start, each with its own duration */
    sim_workload_spec w;
    memset(&w, 0, sizeof w);
    w.kind = SIM_ARRIVAL_CALLS;
    w.calls = f1->calls;
    w.ncalls = f1->ncalls;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 1, 0, MIN), EDGE_OK);
    cr_assert_eq(a.next, 0);
    cr_assert_eq(a.next_duration, 68 * EDGE_MS);
    sim_arrivals_advance(&a);
    cr_assert_eq(a.next, 10 * EDGE_S);
    cr_assert_eq(a.next_duration, 500 * EDGE_MS);
    sim_arrivals_advance(&a);
    sim_arrivals_advance(&a);
    cr_assert_eq(a.next, EDGE_TIME_MAX);
    sim_az_trace_free(&t);
}

Test(azure, rejects_a_2021_row_with_a_negative_duration_at_its_column)
{
    const char *inv = fixture(0, "inv21.csv", "app,func,end_timestamp,duration\na1,f1,3,-1\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512], want[512];
    cr_assert_eq(read2021(inv, &o, &t, err), -1);
    snprintf(want, sizeof want,
             "%s:2:9: expected a duration in seconds (a number >= 0), found \"-1\"", inv);
    cr_assert_str_eq(err, want);
    o.skip_errors = 1;
    cr_assert_eq(read2021(inv, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 0, "nothing left: the scenario reports that");
    cr_assert_eq(t.skipped_rows, 1);
    cr_assert_eq(read2021(fixture(0, "i2.csv", "app,func,end_timestamp,duration\na,f,1,x\na,f,2,1\n"),
                          &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.skipped_rows, 1);
    cr_assert_eq(t.n, 1);
    sim_az_trace_free(&t);
}

/* Regression (fuzzing, stop 22): the 2021 reader took its columns from the
 * header but checked each row against four fields, so a header with more
 * columns let a short row index fields of an earlier line, freed since. A row
 * must have the header's width; the columns may come in any order. */
Test(azure, a_2021_row_has_the_headers_width_and_its_columns_in_any_order)
{
    const char *inv = fixture(0, "wide21.csv",
                              "region,duration,func,end_timestamp,app\n"
                              "eu,0.5,f1,10.5,a1\n"
                              "eu,1,f1,12,a1\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512], want[600];
    cr_assert_eq(read2021(inv, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 1);
    cr_assert_eq(t.fns[0].ncalls, 2);
    cr_assert_eq(t.fns[0].calls[0].start, 10 * EDGE_S);
    cr_assert_eq(t.fns[0].calls[0].duration, 500 * EDGE_MS);
    sim_az_trace_free(&t);

    inv = fixture(0, "short21.csv",
                  "region,duration,func,end_timestamp,app\n"
                  "eu,0.5,f1,10.5,a1\n"
                  "a1,f1,3,1\n");
    cr_assert_eq(read2021(inv, &o, &t, err), -1);
    snprintf(want, sizeof want, "%s:3:9: expected 5 fields, found 4", inv);
    cr_assert_str_eq(err, want);
}

/* A NUL byte makes a line two rows to a C string; it is refused at its line. */
Test(azure, a_2021_line_with_a_nul_byte_is_refused_at_its_line)
{
    char path[300];
    snprintf(path, sizeof path, "%s/nul21.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    static const char text[] = "app,func,end_timestamp,duration\na1,f1,3,1\na1,f1\0junk,4,1\n";
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    sim_az_options o = {0};
    o.skip_errors = 1; /* not a row to skip: the file is not text */
    sim_az_trace t;
    char err[512], want[600];
    cr_assert_eq(read2021(path, &o, &t, err), -1);
    snprintf(want, sizeof want,
             "%s:3:1: expected a line of text, found a NUL byte (is this a binary file?)", path);
    cr_assert_str_eq(err, want);
}

/* ---- the scenario ---- */

static sim_scenario *load(const char *json, sim_diag *d, size_t *nd)
{
    static char path[300]; /* the diagnostics borrow it */
    snprintf(path, sizeof path, "%s/s.json", dir);
    return sim_scenario_parse(json, strlen(json), path, NULL, 0, d, 4, nd);
}

#define SCEN(W)                                                                          \
    "{\"duration\": \"10m\", \"regions\": [{\"id\": \"r\"}],"                             \
    " \"nodes\": [{\"id\": \"n{i}\", \"count\": 2, \"region\": \"r\"}],"                  \
    " \"workloads\": [" W "]}"

Test(azure, a_trace_workload_becomes_functions_deployments_and_workloads)
{
    fixture(0, "inv.csv", inv_text);
    sim_diag d[4];
    size_t nd = 0;
    sim_scenario *s = load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", "
                                "\"region\": \"r\", \"deploy\": \"least_loaded\"}"),
                           d, &nd);
    char line[700] = "";
    if (nd)
        sim_diag_format(&d[0], line, sizeof line);
    cr_assert_not_null(s, "%s", line);
    cr_assert_eq(s->nfunctions, 3);
    cr_assert_eq(s->nworkloads, 3);
    cr_assert_eq(s->ndeployments, 3);
    cr_assert_eq(s->deployments[0].kind, SIM_DEPLOY_LEAST_LOADED);
    cr_assert_str_eq(s->functions[0].id, "fA");
    cr_assert_str_eq(s->functions[0].app, "a1");
    cr_assert_float_eq(s->functions[0].memory_mb, 128.0, 1e-12, "the default");
    cr_assert_eq(s->functions[0].timeout, 10 * MIN);
    cr_assert_eq(s->ntraces, 1);
    cr_assert_eq(s->traces[0].missing_durations, 3);
    cr_assert_eq(s->workloads[2].total, 100);
    sim_scenario_free(s);
}

Test(azure, unit_app_in_a_scenario_gives_one_function_per_app_named_by_its_hash)
{
    fixture(0, "inv.csv", app_inv_text);
    sim_diag d[4];
    size_t nd = 0;
    sim_scenario *s = load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", "
                                "\"region\": \"r\", \"unit\": \"app\"}"),
                           d, &nd);
    char line[700] = "";
    if (nd)
        sim_diag_format(&d[0], line, sizeof line);
    cr_assert_not_null(s, "%s", line);
    cr_assert_eq(s->nfunctions, 2);
    cr_assert_str_eq(s->functions[0].id, "a1");
    cr_assert_str_eq(s->functions[0].app, "a1");
    cr_assert_eq(s->workloads[0].total, 12);
    cr_assert_eq(s->traces[0].functions, 2);
    sim_scenario_free(s);
    cr_assert_null(load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", "
                             "\"region\": \"r\", \"unit\": \"owner\"}"),
                        d, &nd));
    sim_diag_format(&d[0], line, sizeof line);
    cr_assert(strstr(line, "workloads[0].unit: expected one of"), "%s", line);
    cr_assert_null(load(SCEN("{\"type\": \"azure2021\", \"invocations\": \"inv.csv\", "
                             "\"region\": \"r\", \"unit\": \"app\"}"),
                        d, &nd));
    sim_diag_format(&d[0], line, sizeof line);
    cr_assert(strstr(line, "workloads[0].unit"), "%s", line);
}

Test(azure, a_malformed_trace_row_is_reported_at_the_scenario_field_with_the_csv_position)
{
    fixture(0, "inv.csv", INV_HEADER "o1,a1,fA,http,3,0,0,zz\n");
    sim_diag d[4];
    size_t nd = 0;
    sim_scenario *s = load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", "
                                "\"region\": \"r\"}"),
                           d, &nd);
    cr_assert_null(s);
    cr_assert_eq(nd, 1);
    char line[700], want[700];
    sim_diag_format(&d[0], line, sizeof line);
    snprintf(want, sizeof want,
             "%s/s.json:1:152: workloads[0].invocations: %s/inv.csv:2:21: expected a count (a "
             "whole number >= 0), found \"zz\"",
             dir, dir);
    cr_assert_str_eq(line, want);
}

Test(azure, rejects_unknown_fields_a_bad_window_and_fields_of_the_other_format)
{
    fixture(0, "inv.csv", inv_text);
    sim_diag d[4];
    size_t nd = 0;
    char line[700];
    cr_assert_null(load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", \"region\": \"r\", "
                             "\"window\": [\"0m\", \"90s\"]}"),
                        d, &nd));
    sim_diag_format(&d[0], line, sizeof line);
    cr_assert(strstr(line, "workloads[0].window[1]: expected whole minutes"), "%s", line);
    cr_assert_null(load(SCEN("{\"type\": \"azure2021\", \"invocations\": \"inv.csv\", \"region\": \"r\", "
                             "\"placement\": \"even\"}"),
                        d, &nd));
    sim_diag_format(&d[0], line, sizeof line);
    cr_assert(strstr(line, "workloads[0].placement: expected"), "%s", line);
    cr_assert_null(load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", \"region\": \"r\", "
                             "\"placment\": \"even\"}"),
                        d, &nd));
    cr_assert_null(load(SCEN("{\"type\": \"azure2019\", \"invocations\": \"inv.csv\", \"region\": \"r\", "
                             "\"window\": [\"5m\", \"6m\"]}"),
                        d, &nd));
    sim_diag_format(&d[0], line, sizeof line);
    cr_assert(strstr(line, "at least one invocation in the window"), "%s", line);
}

/* ---- the real excerpts (skipped when absent) ---- */

static const char *shared(const char *rel, char *buf, size_t n)
{
    const char *base = getenv("EDGESIM_SHARED_TRACES");
    snprintf(buf, n, "%s/%s", base ? base : "../shared/data/traces", rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

Test(azure, the_2019_excerpt_replays_its_files_per_function_totals)
{
    char ib[512], db[512], mb[512];
    const char *inv = shared("azure2019-sample/invocations.csv", ib, sizeof ib);
    if (!inv)
        cr_skip_test("../shared/data/traces is absent");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2019(inv, shared("azure2019-sample/durations.csv", db, sizeof db),
                          shared("azure2019-sample/memory.csv", mb, sizeof mb), &o, &t, err),
                 0, "%s", err);
    /* the totals summed here, independently, from the file's text */
    FILE *f = fopen(inv, "r");
    char *line = NULL;
    size_t cap = 0, rows = 0;
    while (getline(&line, &cap, f) > 0) {
        if (!strncmp(line, "HashOwner", 9))
            continue;
        char *p = line, *fn = NULL;
        uint64_t sum = 0;
        for (int k = 0; p; k++) {
            char *c = strchr(p, ',');
            if (c)
                *c = 0;
            if (k == 2)
                fn = p;
            if (k >= 4)
                sum += strtoull(p, NULL, 10);
            p = c ? c + 1 : NULL;
        }
        const sim_az_function *x = by_func(&t, fn);
        cr_assert_not_null(x, "%s", fn);
        cr_assert_eq(x->total, sum, "%s", fn);
        cr_assert(x->has_durations && x->has_memory);
        for (int pl = 0; pl < 3; pl++) {
            sim_workload_spec w = minutes_spec(x, (sim_placement)pl, 1.0);
            cr_assert_eq(replay(&w, NULL, 0), sum, "%s %s", place_names[pl], fn);
        }
        rows++;
    }
    free(line);
    fclose(f);
    cr_assert_eq(rows, t.n);
    cr_assert_eq(t.missing_durations + t.missing_memory, 0);
    sim_az_trace_free(&t);
}

Test(azure, the_2021_excerpt_reads_every_row)
{
    char ib[512];
    const char *inv = shared("azure2021-sample/invocations.csv", ib, sizeof ib);
    if (!inv)
        cr_skip_test("../shared/data/traces is absent");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2021(inv, &o, &t, err), 0, "%s", err);
    FILE *f = fopen(inv, "r");
    char *line = NULL;
    size_t cap = 0, rows = 0;
    while (getline(&line, &cap, f) > 0)
        rows += strncmp(line, "app,", 4) != 0;
    free(line);
    fclose(f);
    cr_assert_eq(t.invocations, rows);
    uint64_t calls = 0;
    for (size_t i = 0; i < t.n; i++) {
        calls += t.fns[i].ncalls;
        for (size_t k = 1; k < t.fns[i].ncalls; k++)
            cr_assert_geq(t.fns[i].calls[k].start, t.fns[i].calls[k - 1].start);
    }
    cr_assert_eq(calls, rows);
    sim_az_trace_free(&t);
}

/* Regression (issue 17): /dev/zero as a trace was read with getline until
 * allocation failed, and that failure was taken for the end of the file. A
 * device or a directory is refused at open; an endless line stops at the cap. */
Test(azure, refuses_devices_directories_and_lines_past_the_cap)
{
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512], want[600];
    cr_assert_eq(read2019("/dev/zero", NULL, NULL, &o, &t, err), -1);
    cr_assert_str_eq(err, "/dev/zero: cannot open: not a regular file (a device, a FIFO or a socket)");
    cr_assert_eq(read2019(dir, NULL, NULL, &o, &t, err), -1);
    snprintf(want, sizeof want, "%s: cannot open: a directory", dir);
    cr_assert_str_eq(err, want);
    /* a header, then a row longer than the cap with no line end */
    size_t n = SIM_AZ_MAX_LINE + 100;
    char *big = malloc(n + sizeof INV_HEADER);
    cr_assert_not_null(big);
    memcpy(big, INV_HEADER, sizeof INV_HEADER - 1);
    memset(big + sizeof INV_HEADER - 1, '7', n);
    big[sizeof INV_HEADER - 1 + n] = '\0';
    const char *inv = fixture(0, "long.csv", big);
    free(big);
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    snprintf(want, sizeof want,
             "%s:2:1: expected a line of at most %u bytes, found line 2 longer than %u bytes", inv,
             SIM_AZ_MAX_LINE, SIM_AZ_MAX_LINE);
    cr_assert_str_eq(err, want);
    cr_assert_eq(t.n, 0);
    /* 2021 the same way */
    o.invocations = (const char *const[]){"/dev/zero"};
    o.ninvocations = 1;
    cr_assert_eq(sim_az2021_read(&o, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "not a regular file") != NULL, "%s", err);
}

/* Regression: a field quoted in an error is cut at 40 characters and escaped. */
Test(azure, quotes_at_most_forty_escaped_characters_of_a_field)
{
    const char *inv = fixture(0, "inv.csv", INV_HEADER "o1,a1,fA,http,3,0,0,5\n"
                                            "o1,a1,fB,http,1,\033x123456789012345678901234567890123456789012345,0,0\n");
    sim_az_options o = {0};
    sim_az_trace t;
    char err[512], want[600];
    cr_assert_eq(read2019(inv, NULL, NULL, &o, &t, err), -1);
    snprintf(want, sizeof want, "%s:3:17: expected a count (a whole number >= 0), found "
                                "\"\\x1bx12345678901234567890123456789012345678...\"", inv);
    cr_assert_str_eq(err, want);
}

/* Regression: a 2021 function whose calls all fall outside the window has no
 * call array; sorting it was qsort(NULL, 0) (undefined: `make asan` runs this
 * under UBSan). It is dropped as never invoked. */
Test(azure, a_2021_function_with_every_call_outside_the_window_is_dropped)
{
    const char *inv = fixture(0, "inv21.csv", "app,func,end_timestamp,duration\n"
                                              "a1,f1,10,1\n"
                                              "a2,f2,500,1\n");
    sim_az_options o = {.window_lo = 0, .window_hi = 100 * EDGE_S};
    sim_az_trace t;
    char err[512];
    cr_assert_eq(read2021(inv, &o, &t, err), 0, "%s", err);
    cr_assert_eq(t.n, 1);
    cr_assert_not_null(by_func(&t, "f1"));
    sim_az_trace_free(&t);
}
