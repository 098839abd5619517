/*
 * Pins the fast paths of sim/net/fairshare (FAST PATHS in fairshare.h):
 * the flush that skips the recomputation when a start or an end provably
 * changes no other flow's rate, and falls back to it otherwise. Each branch
 * on a case computed by hand: a first flow alone (capacity, exactly), one
 * beside a flow bottlenecked elsewhere, one that would have to take from a
 * faster flow (falls back), a saturated route (falls back), an end with
 * room on every link, an end where the flow was alone at the top of its
 * saturated link, with two saturated links on one route, an end tied at
 * the top (falls back), a link emptied by ends given its capacity back
 * exactly, a rem made inexact by an end (falls back), an end and a start
 * of one route in one instant, and the order of the changed groups. Then
 * a reference: random starts and ends on random small topologies, checked
 * after EVERY flush against plain progressive filling from scratch (rates
 * and the bytes each link carried), so the fast paths cannot silently
 * diverge; the test also checks that both fast paths fired.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/rng.h"
#include "net/fairshare.h"
#include "maxmin_ref.h"

static sim_fairshare_counts counts(const sim_fairshare *s)
{
    sim_fairshare_counts k;
    sim_fairshare_get_counts(s, &k);
    return k;
}

Test(fairshare_fast, a_first_flow_alone_gets_the_capacity_without_a_recomputation)
{
    double cap[2] = {0.0125, 0.05};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t r[2] = {1, 0}, id;
    cr_assert_eq(sim_fairshare_start(s, 0, r, 2, 1e6, &id), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, id), 0.0125); /* the least capacity, exactly */
    cr_assert_eq(sim_fairshare_finish(s, id), 80 * EDGE_MS);
    cr_assert_eq(counts(s).fast, 1);
    cr_assert_eq(counts(s).recomputes, 0);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1);
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, id));
    sim_fairshare_free(s);
}

Test(fairshare_fast, a_start_beside_a_flow_bottlenecked_elsewhere_takes_the_rest)
{
    /* L0 = 10, L1 = 1: a over L0+L1 gets 1 (L1); b over L0 gets 10 - 1 = 9,
     * and a keeps 1: its bottleneck L1 is not on b's route. */
    double cap[2] = {10, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t ra[2] = {0, 1}, rb = 0, a, b;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, &rb, 1, 100, &b);
    cr_assert_eq(sim_fairshare_rate(s, a), 1);
    cr_assert_eq(sim_fairshare_rate(s, b), 9);
    cr_assert_eq(counts(s).fast, 2);
    cr_assert_eq(counts(s).recomputes, 0);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* b's group only */
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, b));
    sim_fairshare_free(s);
}

Test(fairshare_fast, a_start_that_would_take_from_a_faster_flow_recomputes)
{
    /* L0 = 10, L1 = 8: a over L0+L1 gets 8, leaving 2 on L0. b over L0
     * alone would get 2 < 8: a must come down. Max-min: 5 and 5. */
    double cap[2] = {10, 8};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t ra[2] = {0, 1}, rb = 0, a, b;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, &rb, 1, 100, &b);
    cr_assert_eq(sim_fairshare_rate(s, a), 5);
    cr_assert_eq(sim_fairshare_rate(s, b), 5);
    cr_assert_eq(counts(s).fast, 1);
    cr_assert_eq(counts(s).recomputes, 1);
    sim_fairshare_free(s);
}

Test(fairshare_fast, a_start_on_a_saturated_link_recomputes)
{
    /* L0 = 1 full with a; b over L0+L1 shares it: 0.5 each. A second flow
     * of a's route (a group with flows) recomputes too: 1/3 each. */
    double cap[2] = {1, 5};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t ra = 0, rb[2] = {0, 1}, a, b, c;
    sim_fairshare_start(s, 0, &ra, 1, 100, &a);
    sim_fairshare_start(s, 0, rb, 2, 100, &b);
    cr_assert_eq(sim_fairshare_rate(s, a), 0.5);
    cr_assert_eq(sim_fairshare_rate(s, b), 0.5);
    sim_fairshare_start(s, 0, &ra, 1, 100, &c);
    cr_assert_float_eq(sim_fairshare_rate(s, c), 1.0 / 3, 1e-15);
    cr_assert_float_eq(sim_fairshare_rate(s, b), 1.0 / 3, 1e-15);
    cr_assert_eq(counts(s).fast, 1);
    cr_assert_eq(counts(s).recomputes, 2);
    sim_fairshare_free(s);
}

Test(fairshare_fast, an_end_with_room_on_every_link_changes_nobody)
{
    /* L0 = 10, L1 = 2, L2 = 3: a over L0+L1 gets 2, b over L0+L2 gets 3;
     * L0 has 5 left. a ends: b keeps 3 (L2), no recomputation. */
    double cap[3] = {10, 2, 3};
    sim_fairshare *s = sim_fairshare_create(3, cap);
    uint32_t ra[2] = {0, 1}, rb[2] = {0, 2}, a, b;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, rb, 2, 1000, &b);
    uint32_t ga = sim_fairshare_group_of(s, a);
    cr_assert_eq(sim_fairshare_end(s, 10, a), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, b), 3);
    cr_assert_eq(counts(s).fast, 3);
    cr_assert_eq(counts(s).recomputes, 0);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 1); /* a's emptied group */
    cr_assert_eq(ch[0], ga);
    cr_assert_eq(sim_fairshare_group_finish(s, ga), EDGE_TIME_MAX);
    sim_fairshare_free(s);
}

Test(fairshare_fast, an_end_alone_at_the_top_of_its_saturated_link_changes_nobody)
{
    /* L0 = 10, L1 = 1: a over L0+L1 gets 1, b over L0 gets 9 (L0 full, b
     * the fastest there). b ends: a was below 9 on L0, so its bottleneck
     * is elsewhere (L1): it keeps 1, no recomputation. c takes b's place
     * (recomputed: L0's rem is 0 + 9 now, not a fill's 10 - 1, though
     * equal here). Then a's end frees 1 on L0 where c is at the top: c
     * grows to 10 (recomputation). */
    double cap[2] = {10, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t ra[2] = {0, 1}, rb = 0, a, b, c;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, &rb, 1, 1000, &b);
    cr_assert_eq(sim_fairshare_end(s, 5, b), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, a), 1);
    cr_assert_eq(counts(s).fast, 3);
    cr_assert_eq(counts(s).recomputes, 0);
    sim_fairshare_start(s, 5, &rb, 1, 1000, &c);
    cr_assert_eq(sim_fairshare_rate(s, c), 9);
    cr_assert_eq(counts(s).recomputes, 1);
    cr_assert_eq(sim_fairshare_end(s, 6, a), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, c), 10);
    cr_assert_eq(counts(s).recomputes, 2);
    sim_fairshare_free(s);
}

Test(fairshare_fast, an_end_checks_every_saturated_link_of_its_route)
{
    /* f over L0+L1. L0 = 4 with g over L0+L2 (L2 = 1): g = 1. L1 = 3 with
     * h over L1+L3 (L3 = 0.5): h = 0.5. f = min(4 - 1, 3 - 0.5) = 2.5: L1
     * is full with f at its top; L0 keeps 0.5. f ends: g and h keep their
     * bottlenecks L2, L3: no recomputation. With L3 = 2 instead, h = 1.5
     * and f would get 1 < 1.5 (recomputed: f = h = 1.5, tied at the top
     * of L1); f's end frees L1 for h (recomputed: h = 2, its L3). */
    for (int tie = 0; tie < 2; tie++) {
        double cap[4] = {4, 3, 1, tie ? 2 : 0.5};
        sim_fairshare *s = sim_fairshare_create(4, cap);
        uint32_t rg[2] = {0, 2}, rh[2] = {1, 3}, rf[2] = {0, 1}, f, g, h;
        sim_fairshare_start(s, 0, rg, 2, 100, &g);
        sim_fairshare_start(s, 0, rh, 2, 100, &h);
        sim_fairshare_start(s, 0, rf, 2, 100, &f);
        cr_assert_eq(sim_fairshare_rate(s, f), tie ? 1.5 : 2.5);
        cr_assert_eq(counts(s).recomputes, (uint64_t)tie); /* tie: f takes from h */
        cr_assert_eq(sim_fairshare_end(s, 1, f), EDGE_OK);
        cr_assert_eq(sim_fairshare_rate(s, g), 1);
        cr_assert_eq(sim_fairshare_rate(s, h), tie ? 2 : 0.5);
        cr_assert_eq(counts(s).recomputes, 2 * (uint64_t)tie);
        sim_fairshare_free(s);
    }
}

Test(fairshare_fast, an_end_tied_at_the_top_recomputes)
{
    /* L0 = 2 shared by a (L0+L1) and b (L0+L2), L1 = L2 = 10: 1 each. a's
     * end lets b take all of L0. */
    double cap[3] = {2, 10, 10};
    sim_fairshare *s = sim_fairshare_create(3, cap);
    uint32_t ra[2] = {0, 1}, rb[2] = {0, 2}, a, b;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, rb, 2, 100, &b);
    cr_assert_eq(sim_fairshare_rate(s, b), 1);
    uint64_t before = counts(s).recomputes;
    cr_assert_eq(sim_fairshare_end(s, 1, a), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, b), 2);
    cr_assert_eq(counts(s).recomputes, before + 1);
    sim_fairshare_free(s);
}

Test(fairshare_fast, a_link_emptied_by_ends_gets_its_capacity_back_exactly)
{
    /* L0 = 0.9, L1 = 0.2: a over L0+L1 takes 0.2; in doubles
     * (0.9 - 0.2) + 0.2 is 0.8999999999999999. After a's end (fast) the
     * empty L0 is reset: b alone on it gets 0.9 exactly. */
    double cap[2] = {0.9, 0.2};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    uint32_t ra[2] = {0, 1}, rb = 0, a, b;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    cr_assert_eq(sim_fairshare_end(s, 1, a), EDGE_OK);
    sim_fairshare_start(s, 1, &rb, 1, 100, &b);
    cr_assert_eq(sim_fairshare_rate(s, b), 0.9);
    cr_assert_eq(counts(s).recomputes, 0);
    sim_fairshare_free(s);
}

Test(fairshare_fast, a_start_on_a_rem_an_end_made_inexact_recomputes)
{
    /* L0 = 0.9 carries a (L0+L1, L1 = 0.2) and c (L0+L2, L2 = 0.05). a
     * ends (fast: room on L0): L0's rem is now ((0.9 - 0.2) - 0.05) + 0.2 =
     * 0.8499999999999999 in doubles, where a fill computes 0.9 - 0.05 =
     * 0.85. b over L0 alone would take that rem: the flush recomputes
     * instead, and b gets the fill's 0.85. */
    double cap[3] = {0.9, 0.2, 0.05};
    sim_fairshare *s = sim_fairshare_create(3, cap);
    uint32_t ra[2] = {0, 1}, rc[2] = {0, 2}, rb = 0, a, b, c;
    sim_fairshare_start(s, 0, ra, 2, 100, &a);
    sim_fairshare_start(s, 0, rc, 2, 100, &c);
    cr_assert_eq(sim_fairshare_end(s, 1, a), EDGE_OK);
    cr_assert_eq(counts(s).recomputes, 0);
    sim_fairshare_start(s, 1, &rb, 1, 100, &b);
    cr_assert_eq(counts(s).recomputes, 1);
    cr_assert_eq(sim_fairshare_rate(s, b), 0.9 - 0.05);
    cr_assert_eq(sim_fairshare_rate(s, c), 0.05);
    sim_fairshare_free(s);
}

Test(fairshare_fast, an_end_and_a_start_of_one_route_in_one_instant_take_the_fast_paths)
{
    /* deferred: a (L0+L1) ends and b starts on the same route at 10; one
     * flush, no recomputation; b gets a's rate back: 1 (L1). */
    double cap[2] = {10, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    sim_fairshare_set_deferred(s, 1);
    uint32_t r[2] = {0, 1}, a, b;
    sim_fairshare_start(s, 0, r, 2, 100, &a);
    sim_fairshare_flush(s, 0);
    sim_fairshare_end(s, 10, a);
    sim_fairshare_start(s, 10, r, 2, 100, &b);
    cr_assert_eq(sim_fairshare_flush(s, 10), EDGE_OK);
    cr_assert_eq(sim_fairshare_rate(s, b), 1);
    cr_assert_eq(sim_fairshare_finish(s, b), 110);
    cr_assert_eq(counts(s).fast, 2);
    cr_assert_eq(counts(s).recomputes, 0);
    sim_fairshare_free(s);
}

Test(fairshare_fast, groups_started_together_are_listed_by_rate_as_a_fill_lists_them)
{
    /* deferred: b (L1 = 1) then a (L0 = 4) start at 0 on their own links:
     * a fill fixes b first (the least share), so b's group is listed
     * first though it started second. */
    double cap[2] = {4, 1};
    sim_fairshare *s = sim_fairshare_create(2, cap);
    sim_fairshare_set_deferred(s, 1);
    uint32_t l0 = 0, l1 = 1, a, b;
    sim_fairshare_start(s, 0, &l0, 1, 100, &a);
    sim_fairshare_start(s, 0, &l1, 1, 100, &b);
    sim_fairshare_flush(s, 0);
    const uint32_t *ch;
    cr_assert_eq(sim_fairshare_changed(s, &ch), 2);
    cr_assert_eq(ch[0], sim_fairshare_group_of(s, b));
    cr_assert_eq(ch[1], sim_fairshare_group_of(s, a));
    cr_assert_eq(counts(s).fast, 1);
    sim_fairshare_free(s);
}

/* ---- against plain progressive filling, after every flush ---- */

enum { ML = 6, MF = 12 };

/* Random topologies (2..6 links; capacities from a few values, so ties
 * are common, or arbitrary), random routes (1..3 links; few distinct, so
 * groups fill and empty), random starts and ends (one instant batches up
 * to 3 in deferred mode); after each flush every rate equals the
 * reference's and each link carried, since the last flush, the sum of the
 * reference rates of its flows times the time. Returns the fast flushes
 * after a start alone and after an end alone. */
static void random_topologies(int deferred, uint64_t *fast_starts, uint64_t *fast_ends)
{
    static const double caps[] = {1, 2, 0.5, 3, 0.125, 0.3};
    sim_rng *r = sim_rng_create(5, "fairshare_fast", (uint64_t)deferred);
    *fast_starts = *fast_ends = 0;
    uint64_t flushes = 0, fast = 0;
    for (int topo = 0; topo < 300; topo++) {
        int nl = 2 + (int)sim_rng_below(r, ML - 1);
        double cap[ML];
        for (int l = 0; l < nl; l++)
            cap[l] = sim_rng_below(r, 2) ? caps[sim_rng_below(r, 6)]
                                         : 0.05 + 4 * sim_rng_uniform(r);
        /* a few routes per topology */
        uint32_t routes[6][3], rlen[6];
        for (int k = 0; k < 6; k++) {
            rlen[k] = 1 + (uint32_t)sim_rng_below(r, nl < 3 ? (uint64_t)nl : 3);
            for (uint32_t h = 0; h < rlen[k]; h++) {
                int again;
                do {
                    routes[k][h] = (uint32_t)sim_rng_below(r, (uint64_t)nl);
                    again = 0;
                    for (uint32_t j = 0; j < h; j++)
                        again |= routes[k][j] == routes[k][h];
                } while (again);
            }
        }
        sim_fairshare *s = sim_fairshare_create((size_t)nl, cap);
        cr_assert_not_null(s);
        sim_fairshare_set_deferred(s, deferred);
        ref_flow f[MF] = {{0}};
        double rate[MF], bytes[ML] = {0}, ref_used[ML] = {0};
        edge_time now = 0, last = 0;
        for (int op = 0; op < 200; op++) {
            int batch = deferred ? 1 + (int)sim_rng_below(r, 3) : 1, kind = -1;
            uint64_t before = counts(s).fast;
            for (int b = 0; b < batch; b++) {
                /* few flows in flight (up to 1..MF), so links have room */
                int active = 0, i;
                for (int k = 0; k < MF; k++)
                    active += f[k].on;
                int end = active > 0 && (int)sim_rng_below(r, MF) < active * 3;
                do
                    i = (int)sim_rng_below(r, MF);
                while (f[i].on != end);
                if (f[i].on) {
                    cr_assert_eq(sim_fairshare_end(s, now, f[i].id), EDGE_OK);
                    f[i].on = 0;
                    kind = kind == -1 || kind == 0 ? 0 : 2;
                } else {
                    int k = (int)sim_rng_below(r, 6);
                    f[i].n = rlen[k];
                    memcpy(f[i].l, routes[k], sizeof routes[k]);
                    cr_assert_eq(sim_fairshare_start(s, now, f[i].l, f[i].n, 1e15, &f[i].id),
                                 EDGE_OK);
                    f[i].on = 1;
                    kind = kind == -1 || kind == 1 ? 1 : 2;
                }
            }
            if (deferred)
                cr_assert_eq(sim_fairshare_flush(s, now), EDGE_OK);
            flushes++;
            if (counts(s).fast > before) {
                fast++;
                if (batch == 1 && kind == 1)
                    ++*fast_starts;
                if (batch == 1 && kind == 0)
                    ++*fast_ends;
            }
            /* the bytes carried since the last flush, at the old rates */
            for (int l = 0; l < nl; l++) {
                sim_fairshare_link_stats st;
                sim_fairshare_link_stats_at(s, (size_t)l, now, &st);
                double want = bytes[l] + ref_used[l] * (double)(now - last);
                cr_assert_float_eq(st.bytes, want, 1e-9 * (1 + want), "topo %d op %d link %d",
                                   topo, op, l);
                bytes[l] = st.bytes;
            }
            maxmin_ref(nl, cap, MF, f, rate);
            memset(ref_used, 0, sizeof ref_used);
            for (int i = 0; i < MF; i++) {
                if (!f[i].on)
                    continue;
                cr_assert_float_eq(sim_fairshare_rate(s, f[i].id), rate[i], 1e-12,
                                   "topo %d op %d flow %d", topo, op, i);
                for (uint32_t h = 0; h < f[i].n; h++)
                    ref_used[f[i].l[h]] += rate[i];
            }
            last = now;
            now += 1 + (edge_time)sim_rng_below(r, 50);
        }
        sim_fairshare_free(s);
    }
    sim_rng_destroy(r);
    /* the fast paths carry a real share of the flushes here */
    cr_assert_gt(fast, flushes / 10, "%llu of %llu flushes fast", (unsigned long long)fast,
                 (unsigned long long)flushes);
}

Test(fairshare_fast, every_flush_matches_max_min_from_scratch_on_random_topologies)
{
    uint64_t starts, ends;
    random_topologies(0, &starts, &ends);
    cr_assert_gt(starts, 1000);
    cr_assert_gt(ends, 1000);
}

Test(fairshare_fast, deferred_flushes_match_max_min_from_scratch_on_random_topologies)
{
    uint64_t starts, ends;
    random_topologies(1, &starts, &ends);
    cr_assert_gt(starts, 100);
    cr_assert_gt(ends, 100);
}
