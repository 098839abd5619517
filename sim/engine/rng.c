#include "engine/rng.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

/* splitmix64's output function: a full-avalanche 64-bit mixer (Stafford's
 * variant 13 of the murmur3 finalizer). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t splitmix_next(uint64_t *x)
{
    *x += 0x9e3779b97f4a7c15ULL;
    return mix64(*x);
}

static void seed_state(uint64_t s[4], uint64_t key)
{
    uint64_t x = key;
    for (int i = 0; i < 4; i++)
        s[i] = splitmix_next(&x);
    if (!(s[0] | s[1] | s[2] | s[3])) /* the one state xoshiro cannot leave */
        s[0] = 1;
}

/* ---- the GSL generator type ---- */

static void xo_set(void *state, unsigned long seed)
{
    seed_state(state, mix64((uint64_t)seed ^ 0x5851f42d4c957f2dULL));
}

static unsigned long xo_get(void *state)
{
    return (unsigned long)(sim__xoshiro_next(state) >> 32);
}

static double xo_get_double(void *state)
{
    return (double)(sim__xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xo_type = {
    "xoshiro256**", 0xffffffffUL, 0, 4 * sizeof(uint64_t), xo_set, xo_get, xo_get_double,
};
const gsl_rng_type *const sim_rng_xoshiro256ss = &xo_type;

void sim_rng_init(void)
{
    gsl_set_error_handler_off();
}

uint64_t sim_rng_key(uint64_t seed, const char *purpose, uint64_t entity)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a over the purpose name */
    for (const unsigned char *p = (const unsigned char *)(purpose ? purpose : ""); *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    /* Each word enters through its own mixer round with a distinct constant,
     * so (seed, purpose, entity) and any permutation of them differ. */
    uint64_t k = mix64(seed ^ 0x6a09e667f3bcc908ULL);
    k = mix64(k ^ mix64(h ^ 0xbb67ae8584caa73bULL));
    k = mix64(k ^ mix64(entity ^ 0x3c6ef372fe94f82bULL));
    return k;
}

edge_err sim_rng_derive(sim_rng *r, uint64_t seed, const char *purpose, uint64_t entity)
{
    if (!r || !purpose)
        return EDGE_INVAL;
    seed_state(r->s, sim_rng_key(seed, purpose, entity));
    r->gsl.type = &xo_type;
    r->gsl.state = r->s;
    return EDGE_OK;
}

sim_rng *sim_rng_create(uint64_t seed, const char *purpose, uint64_t entity)
{
    if (!purpose)
        return NULL;
    sim_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    sim_rng_derive(r, seed, purpose, entity);
    return r;
}

void sim_rng_destroy(sim_rng *r)
{
    free(r);
}
