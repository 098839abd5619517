/* Pins sim/workload: each arrival process's rate and shape, the [start, stop)
 * window, load-spike factors, and that a workload's arrivals depend only on
 * (seed, workload index). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "input/workload.h"

static sim_workload_spec spec(sim_arrival_kind kind)
{
    sim_workload_spec w;
    memset(&w, 0, sizeof w);
    w.kind = kind;
    return w;
}

static size_t count_until(sim_arrivals *a, edge_time end, edge_time *last)
{
    size_t n = 0;
    edge_time prev = -1;
    while (a->next != EDGE_TIME_MAX && a->next < end) {
        cr_assert_geq(a->next, prev, "arrivals never go back");
        prev = a->next;
        n++;
        sim_arrivals_advance(a);
    }
    if (last)
        *last = prev;
    return n;
}

Test(workload, poisson_rate_matches_within_five_standard_errors)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_POISSON);
    w.rate = 100;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 42, 0, 1000 * EDGE_S), EDGE_OK);
    size_t n = count_until(&a, 1000 * EDGE_S, NULL);
    /* mean 100000, sd sqrt(100000) = 316 */
    cr_expect(fabs((double)n - 100000) < 5 * 316, "n = %zu", n);
}

Test(workload, constant_arrives_exactly_every_interval_from_start_until_stop)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_CONSTANT);
    w.interval = 2 * EDGE_S;
    w.start = 10 * EDGE_S;
    w.stop = 20 * EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 1, 0, 100 * EDGE_S), EDGE_OK);
    edge_time want = 10 * EDGE_S;
    size_t n = 0;
    while (a.next != EDGE_TIME_MAX) {
        cr_expect_eq(a.next, want);
        want += 2 * EDGE_S;
        n++;
        sim_arrivals_advance(&a);
    }
    cr_expect_eq(n, 5, "10,12,14,16,18: stop is exclusive");
}

Test(workload, periodic_jitter_stays_within_bounds_and_in_order)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_PERIODIC);
    w.interval = 60 * EDGE_S;
    w.jitter = 5 * EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 3, 0, 6000 * EDGE_S), EDGE_OK);
    int k = 0;
    for (; a.next != EDGE_TIME_MAX; k++) {
        edge_time nominal = 5 * EDGE_S + k * 60 * EDGE_S;
        cr_assert_leq(llabs(a.next - nominal), 5 * EDGE_S, "k=%d", k);
        sim_arrivals_advance(&a);
    }
    cr_expect_eq(k, 100, "one arrival per period: a negative jitter must not end the process");
}

Test(workload, bursty_mean_rate_is_the_time_weighted_mix)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_BURSTY);
    w.on_rate = 50;
    w.off_rate = 0;
    w.on_mean = 10 * EDGE_S;
    w.off_mean = 30 * EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 9, 0, 100000 * EDGE_S), EDGE_OK);
    size_t n = count_until(&a, 100000 * EDGE_S, NULL);
    /* ON a quarter of the time: 12.5/s on average. About 2,500 ON periods
     * of exponential length: the count's relative sd is about
     * sqrt(2 * 2500) / 2500 ~ 3%; allow 10%. */
    double rate = (double)n / 100000.0;
    cr_expect(fabs(rate - 12.5) < 1.25, "rate %g", rate);
}

Test(workload, explicit_times_are_replayed_within_the_window)
{
    edge_time t[] = {0, 5 * EDGE_S, 7 * EDGE_S, 7 * EDGE_S, 50 * EDGE_S};
    sim_workload_spec w = spec(SIM_ARRIVAL_TIMES);
    w.times = t;
    w.ntimes = 5;
    w.start = EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 1, 0, 10 * EDGE_S), EDGE_OK);
    cr_expect_eq(a.next, 5 * EDGE_S);
    cr_expect_eq(sim_arrivals_advance(&a), 7 * EDGE_S);
    cr_expect_eq(sim_arrivals_advance(&a), 7 * EDGE_S, "equal times both arrive");
    cr_expect_eq(sim_arrivals_advance(&a), EDGE_TIME_MAX, "50s is past the end");
}

Test(workload, a_spike_multiplies_the_poisson_rate)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_POISSON);
    w.rate = 10;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 5, 0, 2000 * EDGE_S), EDGE_OK);
    size_t before = count_until(&a, 1000 * EDGE_S, NULL);
    sim_arrivals_set_factor(&a, 4.0, 1000 * EDGE_S);
    size_t during = count_until(&a, 2000 * EDGE_S, NULL);
    cr_expect(fabs((double)before - 10000) < 500, "before %zu", before);
    cr_expect(fabs((double)during - 40000) < 1000, "during %zu", during);
}

Test(workload, a_spike_shrinks_the_constant_interval)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_CONSTANT);
    w.interval = 4 * EDGE_S;
    sim_arrivals a;
    cr_assert_eq(sim_arrivals_init(&a, &w, 1, 0, 100 * EDGE_S), EDGE_OK);
    sim_arrivals_advance(&a); /* 0 -> 4s */
    cr_expect_eq(sim_arrivals_set_factor(&a, 2.0, 3 * EDGE_S), 3 * EDGE_S,
                 "last 0 + 2s is already past: arrive now");
    cr_expect_eq(sim_arrivals_advance(&a), 5 * EDGE_S);
}

Test(workload, streams_depend_only_on_seed_and_index)
{
    sim_workload_spec w = spec(SIM_ARRIVAL_POISSON);
    w.rate = 1;
    sim_arrivals a, b, c;
    sim_arrivals_init(&a, &w, 7, 3, 100 * EDGE_S);
    sim_arrivals_init(&c, &w, 7, 4, 100 * EDGE_S);
    sim_arrivals_init(&b, &w, 7, 3, 100 * EDGE_S);
    cr_expect_eq(a.next, b.next);
    cr_expect_neq(a.next, c.next);
}
