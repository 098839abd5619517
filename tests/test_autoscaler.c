/* Pins core/autoscaler.h's rules by hand: the concurrency rule reaches
 * ceil(load / target) as its stable window fills, panics on a step of twice
 * the ready capacity and never scales down in panic, leaves panic a stable
 * window after the condition, and scales to zero exactly at the grace
 * period; the utilization rule follows ceil(ready x util / target), stays
 * within its tolerance, and scales down only when the stabilisation window
 * has forgotten the higher recommendation; bad configurations are refused. */
#include <criterion/criterion.h>

#include "autoscaler.h"

static edge_autoscaler *kpa(uint32_t min_scale)
{
    edge_autoscaler_config c = edge_autoscaler_config_default(EDGE_AUTOSCALER_CONCURRENCY);
    c.min_scale = min_scale; /* target 10, tick 2 s, stable 60 s, panic 6 s, threshold 2 */
    edge_autoscaler *a = NULL;
    cr_assert_eq(edge_autoscaler_new(&c, 0, &a), EDGE_OK);
    return a;
}

Test(autoscaler, a_step_in_concurrency_reaches_the_formulas_count_when_the_window_is_full)
{
    edge_autoscaler *a = kpa(1);
    edge_time t = 0;
    for (int k = 0; k < 30; k++) /* a full window of no load */
        cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 1, NULL), 1);
    /* then 15 in flight: after k ticks the 30-tick mean is 15k/30; the count
     * ceil(mean / 10) is 1 up to k = 20 and 2 from k = 21 */
    int panic = -1;
    for (int k = 1; k <= 30; k++) {
        uint32_t n = edge_autoscaler_decide(a, t += 2 * EDGE_S, 15, 1, &panic);
        cr_expect_eq(n, k <= 20 ? 1u : 2u, "tick %d: %u", k, n);
        cr_expect_eq(panic, 0, "15 is under 2 x 10 per ready replica");
    }
    edge_autoscaler_free(a);
}

Test(autoscaler, twice_the_ready_capacity_panics_and_panic_never_scales_down)
{
    edge_autoscaler *a = kpa(1);
    edge_time t = 0;
    for (int k = 0; k < 30; k++)
        edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 1, NULL);
    /* 25 in flight against 1 replica of 10: the 3-tick panic mean is 25/3,
     * 50/3, then 25: panic at the third tick, at ceil(25 / 10) = 3 */
    int panic;
    cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 25, 1, &panic), 1);
    cr_expect_eq(panic, 0);
    cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 25, 1, &panic), 1);
    cr_expect_eq(panic, 0, "50/3 / 10 = 1.67 < 2");
    cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 25, 1, &panic), 3);
    cr_expect_eq(panic, 1);
    edge_time panic_at = t;
    /* the load goes: in panic the count stays 3 for a stable window (60 s) */
    while (t + 2 * EDGE_S < panic_at + 60 * EDGE_S) {
        cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 3, &panic), 3);
        cr_expect_eq(panic, 1);
    }
    /* at 60 s after the last panic condition it ends: the stable mean (3 x 25
     * over 30 ticks = 2.5) asks ceil(0.25) = 1 */
    cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 3, &panic), 1);
    cr_expect_eq(t, panic_at + 60 * EDGE_S);
    cr_expect_eq(panic, 0);
    edge_autoscaler_free(a);
}

Test(autoscaler, no_load_scales_to_zero_exactly_at_the_grace_period)
{
    edge_autoscaler *a = kpa(0);
    /* created at 0 with no load since: 1 until 30 s, 0 from 30 s */
    cr_expect_eq(edge_autoscaler_decide(a, 28 * EDGE_S, 0, 1, NULL), 1);
    cr_expect_eq(edge_autoscaler_decide(a, 30 * EDGE_S, 0, 1, NULL), 0);
    /* load again at 32 s: back to 1; then no load: the 30-tick window
     * forgets the 0.5 after 30 more ticks (92 s), well after the grace
     * (62 s), and the count drops at that tick, not before */
    cr_expect_eq(edge_autoscaler_decide(a, 32 * EDGE_S, 0.5, 0, NULL), 1);
    edge_time t = 32 * EDGE_S;
    for (int k = 1; k < 30; k++)
        cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 1, NULL), 1, "tick %d", k);
    cr_expect_eq(edge_autoscaler_decide(a, t += 2 * EDGE_S, 0, 1, NULL), 0);
    cr_expect_eq(t, 92 * EDGE_S);
    edge_autoscaler_free(a);
}

Test(autoscaler, max_scale_caps_the_count)
{
    edge_autoscaler_config c = edge_autoscaler_config_default(EDGE_AUTOSCALER_CONCURRENCY);
    c.max_scale = 4;
    edge_autoscaler *a = NULL;
    cr_assert_eq(edge_autoscaler_new(&c, 0, &a), EDGE_OK);
    cr_expect_eq(edge_autoscaler_decide(a, 2 * EDGE_S, 1000, 1, NULL), 4);
    edge_autoscaler_free(a);
}

Test(autoscaler, utilization_follows_the_hpa_formula_within_its_tolerance)
{
    edge_autoscaler_config c = edge_autoscaler_config_default(EDGE_AUTOSCALER_UTILIZATION);
    edge_autoscaler *a = NULL; /* target 0.7, sync 15 s, window 5 min, tolerance 0.1 */
    cr_assert_eq(edge_autoscaler_new(&c, 0, &a), EDGE_OK);
    edge_time t = 15 * EDGE_S;
    /* 2 replicas, 1.5 busy slots: utilisation 0.75, ratio 1.07: within 10% */
    cr_expect_eq(edge_autoscaler_decide(a, t, 1.5, 2, NULL), 2);
    /* 2.8 busy: utilisation 1.4, ratio 2: ceil(2 x 2) = 4, at once */
    cr_expect_eq(edge_autoscaler_decide(a, t += 15 * EDGE_S, 2.8, 2, NULL), 4);
    /* 0.7 busy on 4: ratio 0.25, recommends 1; the window remembers 4 for
     * 5 minutes (20 syncs): the count stays 4 until the 4 is forgotten */
    int k;
    for (k = 1; k < 20; k++)
        cr_expect_eq(edge_autoscaler_decide(a, t += 15 * EDGE_S, 0.7, 4, NULL), 4, "sync %d", k);
    cr_expect_eq(edge_autoscaler_decide(a, t += 15 * EDGE_S, 0.7, 4, NULL), 1);
    edge_autoscaler_free(a);
}

Test(autoscaler, bad_configurations_are_refused_with_the_field_named)
{
    char why[128];
    edge_autoscaler_config c = edge_autoscaler_config_default(EDGE_AUTOSCALER_UTILIZATION);
    c.target = 1.5;
    cr_expect_eq(edge_autoscaler_config_check(&c, why, sizeof why), EDGE_INVAL);
    cr_expect(strstr(why, "target") != NULL, "%s", why);
    c = edge_autoscaler_config_default(EDGE_AUTOSCALER_UTILIZATION);
    c.min_scale = 0;
    cr_expect_eq(edge_autoscaler_config_check(&c, why, sizeof why), EDGE_INVAL);
    cr_expect(strstr(why, "min_scale") != NULL, "%s", why);
    c = edge_autoscaler_config_default(EDGE_AUTOSCALER_CONCURRENCY);
    c.panic_window = 2 * c.stable_window;
    cr_expect_eq(edge_autoscaler_config_check(&c, why, sizeof why), EDGE_INVAL);
    c = edge_autoscaler_config_default(EDGE_AUTOSCALER_CONCURRENCY);
    c.min_scale = 5;
    c.max_scale = 4;
    edge_autoscaler *a = NULL;
    cr_expect_eq(edge_autoscaler_new(&c, 0, &a), EDGE_INVAL);
    cr_expect_null(a);
}
