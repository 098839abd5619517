/*
 * rng.h — named random streams: one independent generator per (master seed,
 * purpose, entity id).
 *
 * Why streams are derived, not handed out in order: a stream made as "the
 * 7th generator created" changes the moment someone adds a node, and then
 * every later draw of every entity changes with it, so two runs that should
 * differ in one detail differ everywhere. Here the 256-bit state of a stream
 * is a hash of (seed, purpose, entity): adding a node, a function or a
 * purpose leaves every other stream bit-for-bit unchanged, and two policies
 * compared on the same seed see the same arrivals (common random numbers).
 *
 * The hash: the purpose string is folded with 64-bit FNV-1a, then the three
 * words go through a chain of splitmix64/murmur3-style finalizers (xor-shift-
 * multiply, full avalanche), and the xoshiro256** state is the next four
 * splitmix64 outputs of that 64-bit key, as the xoshiro authors recommend.
 * Deriving a stream costs 13 ns (`edgesim bench rng`); SHA-256 through
 * OpenSSL over the same triple was measured at 355 ns and turned down: the
 * mixer already avalanches fully, and 10,000 nodes x several purposes means
 * hundreds of thousands of streams. (A 64-bit key means two streams could
 * coincide with probability ~k^2/2^65 for k streams: 3e-9 for a million.)
 *
 * The generator: xoshiro256** (Blackman & Vigna 2018; period 2^256 - 1,
 * passes BigCrush), registered with GSL as a gsl_rng_type so every gsl_ran_*
 * distribution works on a stream unchanged. Chosen by measurement,
 * `edgesim bench rng`, ns per uniform double on this machine:
 *     through gsl_rng_uniform:  xoshiro256** 2.0, taus2 2.0, gfsr4 2.0,
 *                               mt19937 5.8, ranlxs0 20.4, ranlxd1 56.5
 *     inline sim_rng_uniform:   xoshiro256** 1.1
 *     exponential draw:         sim_rng_exp_ns 5.6, gsl_ran_exponential 13.6
 * Through GSL's function pointers the small generators tie (the call is the
 * cost); xoshiro256** wins because its 32-byte state makes the inline draw
 * possible, and it has the best statistical record of the fast ones (taus2
 * and gfsr4 fail linear-complexity tests; mt19937 is slower with 2.5 kB of
 * state per stream, too much for 100,000 streams).
 *
 * The struct is visible only so that the hot-path draws (sim_rng_u64,
 * sim_rng_uniform_pos, sim_rng_exp_ns, sim_rng_below) inline into the
 * caller's loop; its fields are private. Not thread-safe: one stream belongs
 * to one thread at a time.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef struct sim_rng {
    uint64_t s[4]; /* xoshiro256** state; private */
    gsl_rng gsl;   /* {type, state = s}: a GSL view of the same state */
} sim_rng;

/* GSL's description of xoshiro256** ("xoshiro256**"): get() returns the high
 * 32 bits of a draw (max 2^32 - 1), get_double() 53 random bits in [0, 1).
 * gsl_rng_alloc(sim_rng_xoshiro256ss) works too (seeded by splitmix64). */
extern const gsl_rng_type *const sim_rng_xoshiro256ss;

/*
 * Process-wide setup, once, before any stream or distribution is used:
 * turns GSL's abort-on-error handler off so a domain error in a gsl_ran_*
 * call comes back as a code (GSL_EDOM...) instead of killing the run. This
 * is the one piece of process-global state sim/ changes. Idempotent; cheap.
 */
void sim_rng_init(void);

/*
 * Creates the stream for (seed, purpose, entity): purpose is a short stable
 * name ("arrivals", "exec_time", "failures"...), entity a stable id (a node
 * or function index). The same triple gives the same stream in every run and
 * on every machine. Returns NULL when out of memory or purpose is NULL.
 * Copies nothing it keeps (purpose is only hashed). Caller frees with
 * sim_rng_destroy. Cost: one 48-byte allocation and ~13 ns of hashing.
 */
sim_rng *sim_rng_create(uint64_t seed, const char *purpose, uint64_t entity);

/* Re-seeds r in place as sim_rng_create(seed, purpose, entity) would
 * (no allocation); streams embedded in a larger struct use this. Returns
 * EDGE_INVAL when r or purpose is NULL. */
edge_err sim_rng_derive(sim_rng *r, uint64_t seed, const char *purpose, uint64_t entity);

/* Frees r; NULL is fine. */
void sim_rng_destroy(sim_rng *r);

/* The GSL view of r for gsl_ran_* calls; borrowed, valid while r lives.
 * Drawing through it advances the same state as the inline draws. */
static inline gsl_rng *sim_rng_gsl(sim_rng *r) { return &r->gsl; }

/* The 64-bit key the stream's state was expanded from, for diagnostics and
 * tests (streams with equal keys are equal). */
uint64_t sim_rng_key(uint64_t seed, const char *purpose, uint64_t entity);

/* ---- inline draws for hot paths: no call, a few ns each ---- */

static inline uint64_t sim__rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* One xoshiro256** step on a bare state (shared with the GSL type). */
static inline uint64_t sim__xoshiro_next(uint64_t *s)
{
    uint64_t out = sim__rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim__rotl(s[3], 45);
    return out;
}

/* The next 64 random bits. */
static inline uint64_t sim_rng_u64(sim_rng *r) { return sim__xoshiro_next(r->s); }

/* A uniform double in [0, 1) with 53 random bits. */
static inline double sim_rng_uniform(sim_rng *r) { return (double)(sim_rng_u64(r) >> 11) * 0x1.0p-53; }

/* A uniform double in (0, 1]: safe to take the log of. */
static inline double sim_rng_uniform_pos(sim_rng *r)
{
    return (double)((sim_rng_u64(r) >> 11) + 1) * 0x1.0p-53;
}

/* A uniform integer in [0, n) by multiply-shift (Lemire); n >= 1. The bias
 * is below n / 2^64, far below anything a simulation can detect. */
static inline uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)sim_rng_u64(r) * n) >> 64);
}

/* An exponential draw of the given mean in nanoseconds, rounded to the
 * nearest ns. Needs 0 <= mean_ns <= 1e17 (so the result, at most 37.5 x
 * mean, fits edge_time); sim_dist handles the general case. */
static inline edge_time sim_rng_exp_ns(sim_rng *r, double mean_ns)
{
    return (edge_time)(-mean_ns * log(sim_rng_uniform_pos(r)) + 0.5);
}

#endif
