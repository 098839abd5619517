/*
 * Pins sim/rng: xoshiro256** matches its published outputs; a stream is a
 * pure function of (seed, purpose, entity): same seed same draws, unchanged
 * when other entities are added or created in another order, different for
 * a different seed, purpose or entity; the derivation itself is frozen (a
 * golden key), since changing it would silently change every result; the
 * GSL view draws from the same state; GSL errors come back, not abort().
 */
#include <criterion/criterion.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

#include "engine/rng.h"

Test(rng, xoshiro256ss_matches_its_published_outputs)
{
    sim_rng r = {.s = {1, 2, 3, 4}};
    cr_assert_eq(sim_rng_u64(&r), 11520u);
    cr_assert_eq(sim_rng_u64(&r), 0u);
    cr_assert_eq(sim_rng_u64(&r), 1509978240u);
    cr_assert_eq(sim_rng_u64(&r), 1215971899390074240u);
}

Test(rng, stream_derivation_is_frozen)
{
    /* If this changes, every simulation result changes: do it on purpose. */
    cr_assert_eq(sim_rng_key(1, "phold", 0), 0xe617eebabfdde9e0ULL);
    sim_rng r;
    cr_assert_eq(sim_rng_derive(&r, 1, "phold", 0), EDGE_OK);
    cr_assert_eq(sim_rng_u64(&r), 0x83ce3bd25aa6027cULL);
    cr_assert_eq(sim_rng_u64(&r), 0xab0e549aeb81bd52ULL);
}

Test(rng, same_seed_gives_the_same_draws)
{
    sim_rng *a = sim_rng_create(42, "arrivals", 7), *b = sim_rng_create(42, "arrivals", 7);
    cr_assert(a && b);
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(sim_rng_u64(a), sim_rng_u64(b));
    sim_rng_destroy(a);
    sim_rng_destroy(b);
    sim_rng_destroy(NULL);
}

Test(rng, a_stream_is_unchanged_when_another_entity_is_added)
{
    enum { N = 10, DRAWS = 100 };
    uint64_t first[N][DRAWS];
    for (int e = 0; e < N; e++) {
        sim_rng r;
        sim_rng_derive(&r, 99, "exec_time", (uint64_t)e);
        for (int k = 0; k < DRAWS; k++)
            first[e][k] = sim_rng_u64(&r);
    }
    /* a second world: one more entity, created first, and the others in
     * reverse order, with draws interleaved across streams */
    sim_rng *s[N + 1];
    s[N] = sim_rng_create(99, "exec_time", 1000);
    for (int e = N - 1; e >= 0; e--)
        s[e] = sim_rng_create(99, "exec_time", (uint64_t)e);
    for (int k = 0; k < DRAWS; k++)
        for (int e = N; e >= 0; e--) {
            uint64_t v = sim_rng_u64(s[e]);
            if (e < N)
                cr_assert_eq(v, first[e][k], "entity %d draw %d", e, k);
        }
    for (int e = 0; e <= N; e++)
        sim_rng_destroy(s[e]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

Test(rng, streams_for_different_seeds_purposes_or_entities_differ)
{
    uint64_t base = sim_rng_key(5, "failures", 3);
    cr_assert_neq(base, sim_rng_key(6, "failures", 3));
    cr_assert_neq(base, sim_rng_key(5, "failure", 3));
    cr_assert_neq(base, sim_rng_key(5, "failures", 4));
    cr_assert_neq(sim_rng_key(3, "x", 5), sim_rng_key(5, "x", 3), "seed and entity do not commute");
    cr_assert_neq(sim_rng_key(0, "", 0), 0);
    /* no two of 200,000 (purpose, entity) keys collide */
    enum { N = 100000 };
    uint64_t *k = malloc(2 * N * sizeof *k);
    cr_assert_not_null(k);
    for (uint64_t i = 0; i < N; i++) {
        k[2 * i] = sim_rng_key(1, "arrivals", i);
        k[2 * i + 1] = sim_rng_key(1, "exec_time", i);
    }
    qsort(k, 2 * N, sizeof *k, cmp_u64);
    for (size_t i = 1; i < 2 * N; i++)
        cr_assert_neq(k[i - 1], k[i]);
    free(k);
    /* and neighbouring entities' draws are not shifted copies */
    sim_rng a, b;
    sim_rng_derive(&a, 1, "arrivals", 0);
    sim_rng_derive(&b, 1, "arrivals", 1);
    uint64_t a0 = sim_rng_u64(&a), a1 = sim_rng_u64(&a), b0 = sim_rng_u64(&b);
    cr_assert(a0 != b0 && a1 != b0);
    cr_assert_eq(sim_rng_create(1, NULL, 0), NULL);
    cr_assert_eq(sim_rng_derive(&a, 1, NULL, 0), EDGE_INVAL);
}

Test(rng, the_gsl_view_draws_from_the_same_state)
{
    sim_rng a, b;
    sim_rng_derive(&a, 7, "x", 1);
    sim_rng_derive(&b, 7, "x", 1);
    for (int i = 0; i < 1000; i++) {
        double via_gsl = gsl_rng_uniform(sim_rng_gsl(&a));
        cr_assert_eq(via_gsl, sim_rng_uniform(&b));
    }
    cr_assert_eq(gsl_rng_get(sim_rng_gsl(&a)), sim_rng_u64(&b) >> 32);
    cr_assert_str_eq(gsl_rng_name(sim_rng_gsl(&a)), "xoshiro256**");
    gsl_rng *g = gsl_rng_alloc(sim_rng_xoshiro256ss); /* also usable on its own */
    cr_assert_not_null(g);
    gsl_rng_set(g, 3);
    double u = gsl_rng_uniform(g);
    cr_assert(u >= 0 && u < 1);
    gsl_rng_free(g);
}

Test(rng, inline_draws_stay_in_their_ranges)
{
    sim_rng r;
    sim_rng_derive(&r, 1, "ranges", 0);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = sim_rng_uniform(&r), p = sim_rng_uniform_pos(&r);
        cr_assert(u >= 0 && u < 1);
        cr_assert(p > 0 && p <= 1);
        cr_assert_lt(sim_rng_below(&r, 7), 7u);
        cr_assert_geq(sim_rng_exp_ns(&r, 1e6), 0);
        sum += u;
    }
    /* mean of 1e5 uniforms: sd 0.29/sqrt(1e5) = 0.0009; 5 sd = 0.0046 */
    cr_assert(fabs(sum / 100000 - 0.5) < 0.0046);
    cr_assert_eq(sim_rng_below(&r, 1), 0u);
}

Test(rng, gsl_errors_come_back_instead_of_aborting)
{
    sim_rng_init();
    sim_rng_init(); /* idempotent */
    gsl_sf_result res;
    cr_assert_neq(gsl_sf_gamma_e(-1.0, &res), GSL_SUCCESS, "a domain error is reported");
}
