/*
 * Pins sim/net/fairshare against closed forms: one flow alone on a link
 * (size / capacity, exactly), two flows starting together on one link and
 * one finishing first (the survivor's finish by hand), the classic
 * three-link, three-flow max-min example, a flow bottlenecked elsewhere
 * leaving its unused share to the others, component-local recomputation
 * (a flow on an unrelated link keeps its rate and is not listed as
 * changed), the link accounting, the argument checks, and a single link fed
 * Poisson arrivals of exponential sizes, which is an M/M/1 processor-sharing
 * queue: mean transfer time = (E[size] / C) / (1 - rho), checked at rho 0.5
 * and 0.8 by a 95% interval over independent seeds.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

#include "engine/rng.h"
#include "net/fairshare.h"
#include "maxmin_ref.h"

Test(fairshare, one_flow_alone_takes_size_over_capacity_exactly)
{
    double cap = 0.0125; /* 100 Mbit/s in bytes per ns */
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    cr_assert_not_null(s);
    uint32_t l = 0, id;
    cr_assert_eq(sim_fairshare_start(s, 1000, &l, 1, 1e6, &id), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, id), cap);
    /* 1 MB at 12.5 MB/s: 80 ms */
    cr_assert_eq(sim_fairshare_finish(s, id), 1000 + 80 * EDGE_MS);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1);
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, id));
    cr_assert_eq(sim_fairshare_group_next(s, ch[0]), id);
    cr_assert_eq(sim_fairshare_group_finish(s, ch[0]), 1000 + 80 * EDGE_MS);
    sim_fairshare_free(s);
}

Test(fairshare, two_flows_share_then_the_survivor_speeds_up)
{
    double cap = 1.0; /* 1 byte per ns */
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    uint32_t l = 0, a, b;
    cr_assert_eq(sim_fairshare_start(s, 0, &l, 1, 1000, &a), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 0, &l, 1, 3000, &b), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, a), 0.5);
    cr_assert_eq(sim_fairshare_rate(s, b), 0.5);
    /* a: 1000 bytes at 0.5/ns finishes at 2000; b has 3000 - 1000 = 2000
     * left then, alone at 1/ns: 4000. */
    cr_assert_eq(sim_fairshare_finish(s, a), 2000);
    cr_assert_eq(sim_fairshare_finish(s, b), 6000);
    /* one route: one group, whose next finish is a's */
    uint32_t g = sim_fairshare_group_of(s, a);
    cr_assert_eq(sim_fairshare_group_of(s, b), g);
    cr_assert_eq(sim_fairshare_groups(s), 1);
    cr_assert_eq(sim_fairshare_group_next(s, g), a);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 2000);
    cr_assert_eq(sim_fairshare_end(s, 2000, a), EDGE_OK);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1);
    cr_assert_eq(ch[0], g);
    cr_assert_eq(sim_fairshare_group_next(s, g), b);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 4000);
    cr_assert_eq(sim_fairshare_rate(s, b), 1.0);
    cr_assert_eq(sim_fairshare_finish(s, b), 4000);
    sim_fairshare_link_stats st;
    cr_assert_eq(sim_fairshare_end(s, 4000, b), EDGE_OK);
    sim_fairshare_link_stats_at(s, 0, 5000, &st);
    cr_assert_float_eq(st.bytes, 4000, 1e-6);
    cr_assert_eq(st.busy, 4000);
    /* two flows for 2000 ns, one for 2000 ns */
    cr_assert_float_eq(st.flows_integral, 6000, 1e-6);
    cr_assert_eq(st.util_max, 1.0);
    cr_assert_eq(st.flows, 0);
    cr_assert_eq(sim_fairshare_active(s), 0);
    sim_fairshare_free(s);
}

Test(fairshare, three_links_three_flows_get_the_max_min_rates)
{
    /* L0 = 10, L1 = 4, L2 = 10; f0 over L0+L1, f1 over L1+L2, f2 over L0+L2.
     * L1 saturates first (4 / 2 = 2 each for f0, f1); then L0 and L2 each
     * have 8 left for f2 alone: f2 = 8. */
    double cap[3] = {10, 4, 10};
    sim_fairshare *s = sim_fairshare_create(3, cap);
    uint32_t r0[2] = {0, 1}, r1[2] = {1, 2}, r2[2] = {0, 2}, f[3];
    cr_assert_eq(sim_fairshare_start(s, 0, r0, 2, 100, &f[0]), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 0, r1, 2, 100, &f[1]), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 0, r2, 2, 100, &f[2]), EDGE_OK);
    cr_assert_float_eq(sim_fairshare_rate(s, f[0]), 2, 1e-12);
    cr_assert_float_eq(sim_fairshare_rate(s, f[1]), 2, 1e-12);
    cr_assert_float_eq(sim_fairshare_rate(s, f[2]), 8, 1e-12);
    /* f2 (100 bytes at 8/ns) is done at 12.5 -> 13 ns; then f0 and f1 stay
     * at 2 each (L1 still binds): nothing changes for them; only f2's
     * group, now empty, is listed. */
    cr_assert_eq(sim_fairshare_finish(s, f[2]), 13);
    uint32_t g2 = sim_fairshare_group_of(s, f[2]);
    cr_assert_eq(sim_fairshare_end(s, 13, f[2]), EDGE_OK);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1);
    cr_assert_eq(ch[0], g2);
    cr_assert_eq(sim_fairshare_group_finish(s, g2), EDGE_TIME_MAX);
    cr_assert_float_eq(sim_fairshare_rate(s, f[0]), 2, 1e-12);
    sim_fairshare_free(s);
}

Test(fairshare, a_flow_bottlenecked_elsewhere_leaves_its_share)
{
    /* L0 = 10 shared by f0 and f1; f1 also crosses L1 = 1. Max-min: f1 = 1,
     * f0 = 9 (not 5). */
    double cap[2] = {10, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t r0 = 0, r1[2] = {0, 1}, a, b;
    sim_fairshare_start(s, 0, &r0, 1, 1e6, &a);
    sim_fairshare_start(s, 0, r1, 2, 1e6, &b);
    cr_assert_float_eq(sim_fairshare_rate(s, a), 9, 1e-12);
    cr_assert_float_eq(sim_fairshare_rate(s, b), 1, 1e-12);
    sim_fairshare_free(s);
}

Test(fairshare, only_the_component_is_recomputed)
{
    double cap[2] = {1, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t l0 = 0, l1 = 1, a, b, c;
    sim_fairshare_start(s, 0, &l0, 1, 1000, &a);
    sim_fairshare_start(s, 10, &l1, 1, 1000, &b);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* only b's group: a is elsewhere */
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, b));
    sim_fairshare_start(s, 20, &l1, 1, 1000, &c);
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* the group of b and c, not a's */
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, c));
    cr_assert_eq(sim_fairshare_finish(s, a), 1000);
    /* b: 10 bytes done alone, 990 left at 0.5/ns from 20 */
    cr_assert_eq(sim_fairshare_finish(s, b), 20 + 1980);
    sim_fairshare_counts k;
    sim_fairshare_get_counts(s, &k);
    cr_assert_eq(k.starts, 3);
    /* a's and b's starts took the fast paths (test_fairshare_fast.c); c's
     * recomputed b's group, never a's */
    cr_assert_eq(k.fast, 2);
    cr_assert_eq(k.recomputes, 1);
    cr_assert_eq(k.groups_visited, 1);
    sim_fairshare_free(s);
}

Test(fairshare, deferred_changes_of_an_instant_cost_one_recomputation)
{
    double cap = 1.0;
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    sim_fairshare_set_deferred(s, 1);
    uint32_t l = 0, a, b, c;
    sim_fairshare_start(s, 0, &l, 1, 1000, &a);
    sim_fairshare_start(s, 0, &l, 1, 3000, &b);
    cr_assert_eq(sim_fairshare_flush(s, 0), EDGE_OK);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* a and b: one route, one group */
    /* a ends at 2000 and c starts then: one flush; the rate stays 0.5, the
     * group is listed for its flows changed (its next finish is c's) */
    cr_assert_eq(sim_fairshare_end(s, 2000, a), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 2000, &l, 1, 500, &c), EDGE_OK);
    cr_assert_eq(sim_fairshare_flush(s, 2000), EDGE_OK);
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1);
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, c));
    cr_assert_eq(sim_fairshare_group_next(s, ch[0]), c);
    cr_assert_eq(sim_fairshare_finish(s, b), 2000 + 4000); /* 2000 left at 0.5 */
    cr_assert_eq(sim_fairshare_finish(s, c), 2000 + 1000);
    sim_fairshare_counts k;
    sim_fairshare_get_counts(s, &k);
    cr_assert_eq(k.recomputes, 2);
    sim_fairshare_free(s);
}

Test(fairshare, a_route_without_links_is_through_at_once)
{
    double cap = 1;
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    uint32_t id;
    cr_assert_eq(sim_fairshare_start(s, 50, NULL, 0, 123, &id), EDGE_OK);
    cr_assert_eq(sim_fairshare_finish(s, id), 50);
    uint32_t g = sim_fairshare_group_of(s, id);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 50);
    cr_assert_eq(sim_fairshare_end(s, 50, id), EDGE_OK);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* emptied: listed, nothing next */
    cr_assert_eq(ch[0], g);
    cr_assert_eq(sim_fairshare_group_next(s, g), SIM_FAIRSHARE_NONE);
    cr_assert_eq(sim_fairshare_group_finish(s, g), EDGE_TIME_MAX);
    sim_fairshare_free(s);
}

Test(fairshare, refuses_bad_arguments)
{
    double cap[2] = {1, 0};
    cr_assert_null(sim_fairshare_create(2, cap)); /* a capacity of 0 */
    cap[1] = 1;
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t r[2] = {0, 0}, bad = 2, id;
    cr_assert_eq(sim_fairshare_start(s, 0, r, 2, 10, &id), EDGE_INVAL);    /* a link twice */
    cr_assert_eq(sim_fairshare_start(s, 0, &bad, 1, 10, &id), EDGE_INVAL); /* no such link */
    cr_assert_eq(sim_fairshare_start(s, 0, r, 1, 0, &id), EDGE_INVAL);     /* no bytes */
    cr_assert_eq(sim_fairshare_start(s, 10, r, 1, 10, &id), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 5, r, 1, 10, &id), EDGE_INVAL);    /* time went back */
    cr_assert_eq(sim_fairshare_end(s, 20, 7), EDGE_INVAL);                 /* not a flow */
    cr_assert_eq(sim_fairshare_end(s, 20, id), EDGE_OK);
    cr_assert_eq(sim_fairshare_end(s, 20, id), EDGE_INVAL);                /* twice */
    sim_fairshare_free(s);
    sim_fairshare_free(NULL);
}

Test(fairshare, a_group_finishes_its_flows_in_tag_order_across_rate_changes)
{
    /* One link of 1 byte/ns. At 0: a (3000 bytes) and b (1000) share it
     * (0.5 each): one group, b first (tag 1000 < 3000), at 2000. At 1000 c
     * (1000 bytes) starts on another route over the same link: a and b
     * then get 1/3 each. b has 500 left: 1500 ns, at 2500; then a and c
     * at 0.5: a has 3000 - 500 - 500 = 2000 left, c 1000 - 500 = 500:
     * c at 3500, a alone from then with 1500 left at 1: 5000. */
    double cap[2] = {1, 10};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t l0 = 0, r2[2] = {0, 1}, a, b, c;
    sim_fairshare_start(s, 0, &l0, 1, 3000, &a);
    sim_fairshare_start(s, 0, &l0, 1, 1000, &b);
    uint32_t g = sim_fairshare_group_of(s, a);
    cr_assert_eq(sim_fairshare_group_next(s, g), b);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 2000);
    sim_fairshare_start(s, 1000, r2, 2, 1000, &c);
    uint32_t gc = sim_fairshare_group_of(s, c);
    cr_assert_neq(gc, g);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 2); /* the rate of g, the new group */
    cr_assert_eq(sim_fairshare_group_finish(s, g), 2500);
    cr_assert_eq(sim_fairshare_group_finish(s, gc), 4000); /* 1000 at 1/3: 3000 ns */
    cr_assert_eq(sim_fairshare_finish(s, a), 1000 + 7500); /* 2500 left at 1/3 */
    cr_assert_eq(sim_fairshare_end(s, 2500, b), EDGE_OK);
    cr_assert_eq(sim_fairshare_group_next(s, g), a);
    cr_assert_eq(sim_fairshare_group_finish(s, gc), 3500);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 2500 + 4000);
    cr_assert_eq(sim_fairshare_end(s, 3500, c), EDGE_OK);
    cr_assert_eq(sim_fairshare_group_finish(s, g), 5000);
    cr_assert_eq(sim_fairshare_end(s, 5000, a), EDGE_OK);
    cr_assert_eq(sim_fairshare_active(s), 0);
    sim_fairshare_free(s);
}

Test(fairshare, a_group_that_never_empties_keeps_exact_finishes)
{
    /* Two closed loops on one link of 2 bytes/ns: each starts its next
     * flow when its previous one ends, so the group never empties and its
     * clock keeps growing (and is shifted back many times). Sizes are even
     * integers and the rates 1 or 2: every finish is an exact integer,
     * checked against integer bookkeeping of the same run. */
    double cap = 2;
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    sim_rng *r = sim_rng_create(5, "test_sizes", 0);
    uint32_t l = 0, id[2];
    int64_t left[2]; /* bytes left */
    edge_time now = 0;
    for (int k = 0; k < 2; k++) {
        left[k] = 2 * (1 + (int64_t)sim_rng_below(r, 1000 * (uint64_t)(k * 999 + 1)));
        cr_assert_eq(sim_fairshare_start(s, now, &l, 1, (double)left[k], &id[k]), EDGE_OK);
    }
    for (int i = 0; i < 5000; i++) {
        /* both at 1 byte/ns: the smaller finishes first (ties: the lower id) */
        int k = left[0] < left[1] || (left[0] == left[1] && id[0] < id[1]) ? 0 : 1;
        edge_time at = now + left[k];
        uint32_t g = sim_fairshare_group_of(s, id[k]);
        cr_assert_eq(sim_fairshare_group_next(s, g), id[k], "step %d", i);
        cr_assert_eq(sim_fairshare_group_finish(s, g), at, "step %d", i);
        left[1 - k] -= left[k];
        now = at;
        cr_assert_eq(sim_fairshare_end(s, now, id[k]), EDGE_OK);
        /* sizes of very different scales: a tiny flow next to a huge one */
        left[k] = 2 * (1 + (int64_t)sim_rng_below(r, i % 7 ? 1000 : 10000000));
        cr_assert_eq(sim_fairshare_start(s, now, &l, 1, (double)left[k], &id[k]), EDGE_OK);
    }
    sim_rng_destroy(r);
    sim_fairshare_free(s);
}

/* One replication of M/M/1-PS on a link of capacity 1 byte/ns: mean
 * transfer time of n transfers after a warm-up, in ns. */
static double mm1ps_mean(double rho, uint64_t seed, int n)
{
    double cap = 1.0, mean_size = 1e5; /* E[size]/C = 100 us */
    sim_fairshare *s = sim_fairshare_create(1, &cap);
    sim_rng *arr = sim_rng_create(seed, "test_arrivals", 0);
    sim_rng *sz = sim_rng_create(seed, "test_sizes", 0);
    cr_assert(s && arr && sz);
    enum { MAXF = 4096 };
    static uint32_t ids[MAXF];
    static edge_time start[MAXF];
    size_t nact = 0;
    edge_time now = 0, next_arrival = sim_rng_exp_ns(arr, mean_size / rho);
    int started = 0, done = 0, warm = n / 10;
    double sum = 0;
    uint32_t l = 0;
    while (done < n + warm) {
        edge_time first = EDGE_TIME_MAX;
        size_t who = 0;
        for (size_t i = 0; i < nact; i++) {
            edge_time f = sim_fairshare_finish(s, ids[i]);
            if (f < first) {
                first = f;
                who = i;
            }
        }
        if (next_arrival < first) {
            now = next_arrival;
            cr_assert_lt(nact, MAXF);
            double bytes = gsl_ran_exponential(sim_rng_gsl(sz), mean_size);
            if (bytes < 1)
                bytes = 1;
            cr_assert_eq(sim_fairshare_start(s, now, &l, 1, bytes, &ids[nact]), EDGE_OK);
            start[nact++] = now;
            started++;
            next_arrival = now + sim_rng_exp_ns(arr, mean_size / rho);
        } else {
            now = first;
            cr_assert_eq(sim_fairshare_end(s, now, ids[who]), EDGE_OK);
            if (done >= warm)
                sum += (double)(now - start[who]);
            done++;
            ids[who] = ids[nact - 1];
            start[who] = start[nact - 1];
            nact--;
        }
    }
    sim_fairshare_free(s);
    sim_rng_destroy(arr);
    sim_rng_destroy(sz);
    return sum / n;
}

static void check_mm1ps(double rho)
{
    enum { SEEDS = 12 };
    double m[SEEDS];
    for (int k = 0; k < SEEDS; k++)
        m[k] = mm1ps_mean(rho, 1000 + (uint64_t)k, 20000);
    double mean = gsl_stats_mean(m, 1, SEEDS);
    double sd = gsl_stats_sd(m, 1, SEEDS);
    double half = gsl_cdf_tdist_Pinv(0.975, SEEDS - 1) * sd / sqrt(SEEDS);
    double theory = 1e5 / (1 - rho);
    cr_assert(fabs(mean - theory) <= half,
              "rho %.1f: mean transfer %.0f ns +- %.0f, theory %.0f", rho, mean, half, theory);
}

Test(fairshare, a_poisson_fed_link_is_mm1_processor_sharing_at_rho_half)
{
    sim_rng_init();
    check_mm1ps(0.5);
}

Test(fairshare, a_poisson_fed_link_is_mm1_processor_sharing_at_rho_0_8)
{
    sim_rng_init();
    check_mm1ps(0.8);
}

/* ---- against a from-scratch reference over random operations ---- */

enum { RL = 8, RF = 64 };

static void random_ops(int deferred)
{
    double cap[RL] = {1, 2, 3, 1, 5, 0.5, 2, 4};
    sim_fairshare *s = sim_fairshare_create(RL, cap);
    sim_fairshare_set_deferred(s, deferred);
    sim_rng *r = sim_rng_create(9, "test_ops", (uint64_t)deferred);
    ref_flow f[RF] = {{0}};
    double rate[RF];
    edge_time now = 0;
    for (int op = 0; op < 20000; op++) {
        int i = (int)sim_rng_below(r, RF);
        if (f[i].on) {
            cr_assert_eq(sim_fairshare_end(s, now, f[i].id), EDGE_OK);
            f[i].on = 0;
        } else {
            f[i].n = 1 + (uint32_t)sim_rng_below(r, 4);
            for (uint32_t h = 0; h < f[i].n; h++) {
                int again;
                do {
                    f[i].l[h] = (uint32_t)sim_rng_below(r, RL);
                    again = 0;
                    for (uint32_t k = 0; k < h; k++)
                        again |= f[i].l[k] == f[i].l[h];
                } while (again);
            }
            cr_assert_eq(sim_fairshare_start(s, now, f[i].l, f[i].n, 1e12, &f[i].id), EDGE_OK);
            f[i].on = 1;
        }
        if (sim_rng_below(r, 3) == 0) { /* some instants batch several changes */
            now += 1 + (edge_time)sim_rng_below(r, 100);
            if (deferred)
                cr_assert_eq(sim_fairshare_flush(s, now), EDGE_OK);
            maxmin_ref(RL, cap, RF, f, rate);
            for (int k = 0; k < RF; k++)
                if (f[k].on)
                    cr_assert_float_eq(sim_fairshare_rate(s, f[k].id), rate[k], 1e-9,
                                       "op %d flow %d", op, k);
        }
    }
    sim_rng_destroy(r);
    sim_fairshare_free(s);
}

Test(fairshare, rates_match_a_from_scratch_max_min_over_random_operations)
{
    random_ops(0);
}

Test(fairshare, deferred_rates_match_a_from_scratch_max_min_over_random_operations)
{
    random_ops(1);
}

/* The owner's contract of sim_fairshare_next, against a model kept beside
 * it: each group's finish and the order it was set in (every group the
 * solver lists as changed, in list order, takes the next number); the next
 * group is the least (finish, number). Many groups on shared links, flows
 * started at random and ended when due, so that a flush moves one group or
 * most of them (the heap is fixed up one by one or rebuilt). */
Test(fairshare, next_is_the_earliest_finish_set_first_among_equals)
{
    enum { NL = 10, NR = 40, MAXF = 80 };
    double cap[NL];
    for (int l = 0; l < NL; l++)
        cap[l] = l < 4 ? 0.5 : 0.125; /* 4 shared cores, 6 edges */
    sim_rng *r = sim_rng_create(11, "fairshare_next", 0);
    uint32_t routes[NR][3], rlen[NR];
    for (int k = 0; k < NR; k++) {
        rlen[k] = 1 + (uint32_t)sim_rng_below(r, 3);
        for (uint32_t h = 0; h < rlen[k]; h++) {
            int again;
            do {
                routes[k][h] = (uint32_t)sim_rng_below(r, NL);
                again = 0;
                for (uint32_t j = 0; j < h; j++)
                    again |= routes[k][j] == routes[k][h];
            } while (again);
        }
    }
    sim_fairshare *s = sim_fairshare_create(NL, cap);
    cr_assert_not_null(s);
    enum { MAXG = 64 };
    edge_time fin[MAXG];
    uint64_t seq[MAXG], counter = 0;
    for (int g = 0; g < MAXG; g++)
        fin[g] = EDGE_TIME_MAX;
    size_t active = 0, checks = 0, ties = 0;
    edge_time now = 0;
    for (int op = 0; op < 20000; op++) {
        uint32_t g;
        edge_time at;
        bool any = sim_fairshare_next(s, &g, &at);
        if (active < MAXF && (!any || sim_rng_below(r, 2))) {
            int k = (int)sim_rng_below(r, NR);
            uint32_t id;
            double bytes = 1000 * (1 + (double)sim_rng_below(r, 100));
            cr_assert_eq(sim_fairshare_start(s, now, routes[k], rlen[k], bytes, &id), EDGE_OK);
            active++;
        } else {
            cr_assert(any);
            now = at > now ? at : now;
            cr_assert_eq(sim_fairshare_end(s, now, sim_fairshare_group_next(s, g)), EDGE_OK);
            active--;
        }
        const uint32_t *ch;
        size_t n = sim_fairshare_changed(s, &ch);
        for (size_t i = 0; i < n; i++) {
            cr_assert_lt(ch[i], MAXG);
            fin[ch[i]] = sim_fairshare_group_finish(s, ch[i]);
            seq[ch[i]] = ++counter;
        }
        uint32_t want = SIM_FAIRSHARE_NONE;
        size_t at_min = 0;
        for (uint32_t q = 0; q < sim_fairshare_groups(s); q++) {
            cr_assert_eq(fin[q], sim_fairshare_group_finish(s, q), "op %d group %u", op, q);
            if (fin[q] == EDGE_TIME_MAX)
                continue;
            if (want == SIM_FAIRSHARE_NONE || fin[q] < fin[want] ||
                (fin[q] == fin[want] && seq[q] < seq[want])) {
                want = q;
                at_min = 1;
            } else if (fin[q] == fin[want]) {
                at_min++;
            }
        }
        any = sim_fairshare_next(s, &g, &at);
        cr_assert_eq(any, want != SIM_FAIRSHARE_NONE, "op %d", op);
        if (any) {
            cr_assert_eq(g, want, "op %d: next %u at %lld, want %u at %lld", op, g,
                         (long long)at, want, (long long)fin[want]);
            cr_assert_eq(at, fin[want]);
            checks++;
            ties += at_min > 1;
        }
    }
    cr_assert_gt(checks, 10000);
    cr_assert_gt(ties, 10, "%zu ties", ties); /* equal finishes were met */
    sim_fairshare_free(s);
    sim_rng_destroy(r);
}

/* sim_fairshare_route + sim_fairshare_start_group is sim_fairshare_start
 * without the lookup: the same flows get the same rates and finishes, bit
 * for bit, through a random run where groups hold more flows than fit in
 * their records and links more groups than fit in theirs. */
Test(fairshare, a_route_resolved_once_starts_the_same_flows)
{
    enum { LINKS = 6, ROUTES = 9, OPS = 4000 };
    double cap[LINKS] = {1, 2, 0.5, 4, 1.5, 3};
    /* every route crosses link 3: it lists up to 9 groups (4 fit inline) */
    static const uint32_t routes[ROUTES][5] = {{3},       {0, 3},    {1, 3},       {3, 2},
                                               {0, 1, 3}, {4, 3, 5}, {5, 3, 2, 1}, {2, 3, 4, 5, 0},
                                               {1, 3, 5}};
    static const size_t len[ROUTES] = {1, 2, 2, 2, 3, 3, 4, 5, 3};
    sim_fairshare *a = sim_fairshare_create(LINKS, cap), *b = sim_fairshare_create(LINKS, cap);
    uint32_t group[ROUTES];
    for (size_t r = 0; r < ROUTES; r++)
        cr_assert_eq(sim_fairshare_route(b, routes[r], len[r], &group[r]), EDGE_OK);
    cr_assert_eq(sim_fairshare_groups(b), ROUTES, "a group per route, made empty");
    cr_assert_eq(sim_fairshare_active(b), 0);
    uint32_t again;
    cr_assert_eq(sim_fairshare_route(b, routes[4], len[4], &again), EDGE_OK);
    cr_assert_eq(again, group[4], "the same route, the same group");
    const uint32_t *links;
    cr_assert_eq(sim_fairshare_group_links(b, group[7], &links), 5);
    cr_assert_arr_eq(links, routes[7], 5 * sizeof *links);

    sim_rng *rng = sim_rng_create(11, "test_route_groups", 0);
    uint32_t fa[64], fb[64];
    size_t n = 0, most_in_a_group = 0;
    edge_time now = 0;
    for (int op = 0; op < OPS; op++) {
        now += (edge_time)(sim_rng_uniform(rng) * 50);
        if (n < 64 && (n == 0 || sim_rng_uniform(rng) < 0.55)) {
            size_t r = (size_t)(sim_rng_uniform(rng) * ROUTES);
            double bytes = 1 + floor(sim_rng_uniform(rng) * 5000);
            cr_assert_eq(sim_fairshare_start(a, now, routes[r], len[r], bytes, &fa[n]), EDGE_OK);
            cr_assert_eq(sim_fairshare_start_group(b, now, group[r], bytes, &fb[n]), EDGE_OK);
            n++;
        } else {
            size_t i = (size_t)(sim_rng_uniform(rng) * (double)n);
            cr_assert_eq(sim_fairshare_end(a, now, fa[i]), EDGE_OK);
            cr_assert_eq(sim_fairshare_end(b, now, fb[i]), EDGE_OK);
            fa[i] = fa[--n];
            fb[i] = fb[n];
        }
        size_t per[ROUTES] = {0};
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(fa[i], fb[i], "the same flow ids");
            cr_assert_eq(sim_fairshare_rate(a, fa[i]), sim_fairshare_rate(b, fb[i]), "op %d", op);
            cr_assert_eq(sim_fairshare_finish(a, fa[i]), sim_fairshare_finish(b, fb[i]));
            uint32_t g = sim_fairshare_group_of(b, fb[i]);
            cr_assert_lt(g, ROUTES);
            if (++per[g] > most_in_a_group)
                most_in_a_group = per[g];
        }
    }
    cr_assert_gt(most_in_a_group, 4, "some group held more flows than its record does");
    sim_rng_destroy(rng);
    sim_fairshare_free(a);
    sim_fairshare_free(b);
}

Test(fairshare, a_route_or_a_group_refused_changes_nothing)
{
    double cap[6] = {1, 1, 1, 1, 1, 1};
    sim_fairshare *s = sim_fairshare_create(6, cap);
    uint32_t six[6] = {0, 1, 2, 3, 4, 5}, twice[2] = {1, 1}, bad = 6, g, id;
    cr_assert_eq(sim_fairshare_route(s, six, 6, &g), EDGE_INVAL, "past SIM_FAIRSHARE_MAX_HOPS");
    cr_assert_eq(sim_fairshare_route(s, twice, 2, &g), EDGE_INVAL);
    cr_assert_eq(sim_fairshare_route(s, &bad, 1, &g), EDGE_INVAL);
    cr_assert_eq(sim_fairshare_start(s, 0, six, 1, 0, &id), EDGE_INVAL, "no bytes");
    cr_assert_eq(sim_fairshare_groups(s), 0, "no group made for a refused flow");
    cr_assert_eq(sim_fairshare_start_group(s, 0, 0, 10, &id), EDGE_INVAL, "no such group");
    cr_assert_eq(sim_fairshare_route(s, six, 5, &g), EDGE_OK);
    cr_assert_eq(sim_fairshare_start_group(s, 0, g, -1, &id), EDGE_INVAL);
    cr_assert_eq(sim_fairshare_start_group(s, 10, g, 100, &id), EDGE_OK);
    cr_assert_eq(sim_fairshare_start_group(s, 5, g, 100, &id), EDGE_INVAL, "time went back");
    cr_assert_eq(sim_fairshare_active(s), 1);
    cr_assert_eq(sim_fairshare_finish(s, id), 110);
    sim_fairshare_free(s);
}

/* A link's highest utilisation is the largest sum of rates / capacity that a
 * change left on it, saturated or not (a fast start and a recomputation
 * alike), and it stays once the load goes down again. */
Test(fairshare, the_highest_utilisation_is_the_peak_of_the_sums_a_change_left)
{
    /* link 0 (10 bytes/ns) shared by routes bounded elsewhere: 4 (link 1), 3 (link 2) */
    double cap[] = {10, 4, 3, 5};
    sim_fairshare *s = sim_fairshare_create(4, cap);
    cr_assert_not_null(s);
    uint32_t ra[] = {0, 1}, rb[] = {0, 2}, rc[] = {0, 3}, a, b, c;
    cr_assert_eq(sim_fairshare_start(s, 0, ra, 2, 1e6, &a), EDGE_OK);
    sim_fairshare_link_stats st;
    sim_fairshare_link_stats_at(s, 0, 10, &st);
    cr_expect_eq(st.util_max, 4.0 / 10.0);
    cr_assert_eq(sim_fairshare_start(s, 10, rb, 2, 1e6, &b), EDGE_OK);
    sim_fairshare_link_stats_at(s, 0, 20, &st);
    cr_expect_eq(st.util_max, 7.0 / 10.0);
    cr_assert_eq(sim_fairshare_end(s, 20, b), EDGE_OK);
    sim_fairshare_link_stats_at(s, 0, 30, &st);
    cr_expect_eq(st.util_max, 7.0 / 10.0, "the peak stays");
    /* the three routes want 4 + 3 + 5 of link 0's 10: max-min gives b 3 (link
     * 2 full), then a and c 3.5 each (link 0 full) */
    cr_assert_eq(sim_fairshare_start(s, 30, rb, 2, 1e6, &b), EDGE_OK);
    cr_assert_eq(sim_fairshare_start(s, 30, rc, 2, 1e6, &c), EDGE_OK);
    cr_expect_eq(sim_fairshare_rate(s, c), 3.5);
    sim_fairshare_link_stats_at(s, 0, 40, &st);
    cr_expect_eq(st.util_max, 1.0);
    sim_fairshare_link_stats_at(s, 3, 40, &st);
    cr_expect_eq(st.util_max, 3.5 / 5.0, "c's own link, never full");
    sim_fairshare_link_stats_at(s, 1, 40, &st);
    cr_expect_eq(st.util_max, 1.0, "a alone filled link 1 at first");
    sim_fairshare_free(s);
}
