#include "input/workload.h"

#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include <stddef.h>

_Static_assert(sizeof(sim_arrivals) % SIM_ARRIVALS_ALIGN == 0, "whole lines (workload.h)");
_Static_assert(offsetof(sim_arrivals, rng) == 64 && offsetof(sim_arrivals, k) == 128,
               "the hot part is the first two lines (workload.h)");

#define NONE EDGE_TIME_MAX
#define MINUTE ((edge_time)60 * EDGE_S)

static edge_time exp_gap(sim_arrivals *a, double rate_per_s)
{
    double mean_ns = 1e9 / rate_per_s;
    if (!(mean_ns < 1e17)) /* a rate this low never arrives within a run */
        return NONE;
    edge_time g = sim_rng_exp_ns(&a->rng, mean_ns);
    return g < 1 ? 1 : g; /* two arrivals of one workload never coincide */
}

static edge_time clip(const sim_arrivals *a, edge_time t)
{
    return t >= a->end || t < 0 ? NONE : t;
}

/* t + d saturating at NONE; d may be negative (jitter), never below 0. */
static edge_time add(edge_time t, edge_time d)
{
    if (t == NONE || d == NONE || (d > 0 && t > NONE - d))
        return NONE;
    return t + d < 0 ? 0 : t + d;
}

static edge_time period_now(const sim_arrivals *a)
{
    double p = (double)a->spec->interval / a->factor;
    return p < 1 ? 1 : p > 9e18 ? NONE : (edge_time)llround(p);
}

static edge_time jitter(sim_arrivals *a)
{
    edge_time j = a->spec->jitter;
    if (j <= 0)
        return 0;
    return (edge_time)sim_rng_below(&a->rng, (uint64_t)(2 * j) + 1) - j;
}

/* Bursty: the next arrival at or after t, switching states as sojourns end. */
static edge_time bursty_from(sim_arrivals *a, edge_time t)
{
    const sim_workload_spec *w = a->spec;
    for (int guard = 0; guard < 1000000; guard++) {
        double rate = (a->on ? w->on_rate : w->off_rate) * a->factor;
        edge_time cand = rate > 0 ? add(t, exp_gap(a, rate)) : NONE;
        if (cand < a->state_end)
            return clip(a, cand);
        if (a->state_end >= a->end)
            return NONE;
        t = a->state_end;
        a->on = !a->on;
        edge_time mean = a->on ? w->on_mean : w->off_mean;
        a->state_end = add(t, mean > 0 ? exp_gap(a, 1e9 / (double)mean) : 1);
    }
    return NONE; /* only reachable with absurd parameters the reader rejects */
}

/* ---- traces ---- */

/* Binomial(n, p) for any 64-bit n (GSL's takes an unsigned int). */
static uint64_t binomial(sim_arrivals *a, uint64_t n, double p)
{
    if (p <= 0 || n == 0)
        return 0;
    if (p >= 1)
        return n;
    uint64_t k = 0;
    while (n > 0) {
        unsigned int part = n > UINT_MAX ? UINT_MAX : (unsigned int)n;
        k += gsl_ran_binomial(sim_rng_gsl(&a->rng), p, part);
        n -= part;
    }
    return k;
}

/* count x scale: floor(scale) copies of each invocation, plus binomial
 * thinning for the fraction (each kept with probability frac(scale)). */
static uint64_t scaled(sim_arrivals *a, uint64_t count)
{
    double s = a->spec->scale, whole = floor(s);
    uint64_t n = (uint64_t)whole * count;
    return s == whole ? n : n + binomial(a, count, s - whole);
}

/* Moves to the next minute with arrivals; 0 when there is none. */
static int next_minute(sim_arrivals *a)
{
    const sim_workload_spec *w = a->spec;
    while (a->mi < w->nminutes) {
        const sim_az_minute *m = &w->minutes[a->mi++];
        uint64_t n;
        if (w->placement == SIM_PLACE_POISSON) {
            n = a->weight <= m->count ? a->pool
                                      : binomial(a, a->pool, (double)m->count / (double)a->weight);
            a->pool -= n;
            a->weight -= m->count;
        } else {
            n = scaled(a, m->count);
        }
        if (n == 0)
            continue;
        a->mstart = add(w->start, (edge_time)m->minute * MINUTE);
        if (a->mstart > NONE - MINUTE) { /* beyond any run: the trace is over */
            a->mi = w->nminutes;
            return 0;
        }
        a->mcur = a->mstart;
        a->n = a->left = n;
        return 1;
    }
    return 0;
}

static edge_time minute_next(sim_arrivals *a)
{
    if (a->left == 0 && !next_minute(a))
        return NONE;
    uint64_t k = a->n - a->left; /* this arrival's index in its minute */
    a->left--;
    if (a->spec->placement == SIM_PLACE_EVEN)
        return clip(a, a->mstart + (edge_time)((__int128)(2 * k + 1) * MINUTE / (__int128)(2 * a->n)));
    /* The smallest of the m = left + 1 uniform times still to place in
     * (mcur, end): end - (end - mcur) U^(1/m), exact and one draw each. */
    edge_time end = a->mstart + MINUTE;
    double m = (double)(a->left + 1);
    double f = -expm1(log(sim_rng_uniform_pos(&a->rng)) / m);
    edge_time t = a->mcur + (edge_time)((double)(end - a->mcur) * f);
    if (t >= end)
        t = end - 1;
    if (t < a->mcur)
        t = a->mcur;
    a->mcur = t;
    return clip(a, t);
}

static edge_time call_next(sim_arrivals *a)
{
    const sim_workload_spec *w = a->spec;
    if (a->mi >= w->ncalls) {
        a->next_duration = -1;
        return NONE;
    }
    const sim_az_call *c = &w->calls[a->mi++];
    a->next_duration = c->duration;
    return clip(a, add(w->start, c->start));
}

static edge_time first(sim_arrivals *a)
{
    const sim_workload_spec *w = a->spec;
    edge_time start = w->start;
    switch (w->kind) {
    case SIM_ARRIVAL_POISSON:
        return w->rate > 0 ? clip(a, add(start, exp_gap(a, w->rate))) : NONE;
    case SIM_ARRIVAL_CONSTANT:
        a->base = start;
        return clip(a, start);
    case SIM_ARRIVAL_PERIODIC: {
        a->base = add(start, w->jitter); /* nominal time of the first arrival */
        edge_time t = a->base + jitter(a);
        return clip(a, t < start ? start : t);
    }
    case SIM_ARRIVAL_BURSTY:
        a->on = 1;
        a->state_end = add(start, w->on_mean > 0 ? exp_gap(a, 1e9 / (double)w->on_mean) : 1);
        return bursty_from(a, start);
    case SIM_ARRIVAL_TIMES:
    case SIM_ARRIVAL_CSV:
        while (a->k < w->ntimes && w->times[a->k] < start)
            a->k++;
        return a->k < w->ntimes ? clip(a, w->times[a->k]) : NONE;
    case SIM_ARRIVAL_MINUTES:
        a->weight = w->total;
        a->pool = w->placement == SIM_PLACE_POISSON ? scaled(a, w->total) : 0;
        return minute_next(a);
    case SIM_ARRIVAL_CALLS:
        return call_next(a);
    }
    return NONE;
}

edge_err sim_arrivals_init(sim_arrivals *a, const sim_workload_spec *spec, uint64_t seed,
                           size_t index, edge_time scenario_end)
{
    memset(a, 0, sizeof *a);
    if (!spec)
        return EDGE_INVAL;
    a->spec = spec;
    a->kind = spec->kind;
    a->function = spec->function;
    a->region = spec->region;
    a->indirect = spec->clients || spec->workflow;
    a->rate = spec->rate;
    a->factor = 1.0;
    a->end = spec->stop > 0 && spec->stop < scenario_end ? spec->stop : scenario_end;
    a->next_duration = -1;
    int traced = spec->kind == SIM_ARRIVAL_MINUTES || spec->kind == SIM_ARRIVAL_CALLS;
    edge_err rc = traced ? sim_rng_derive(&a->rng, seed, "trace_arrivals", spec->stream)
                         : sim_rng_derive(&a->rng, seed, "arrivals", index);
    if (rc)
        return rc;
    if ((spec->kind == SIM_ARRIVAL_CONSTANT || spec->kind == SIM_ARRIVAL_PERIODIC) &&
        spec->interval <= 0)
        return EDGE_INVAL;
    a->last = spec->start;
    a->next = first(a);
    return EDGE_OK;
}

edge_time sim_arrivals_advance(sim_arrivals *a)
{
    edge_time t = a->next;
    a->last = t;
    if (a->kind == SIM_ARRIVAL_POISSON) { /* the common case, on every arrival */
        a->next = clip(a, add(t, exp_gap(a, a->rate * a->factor)));
        return a->next;
    }
    const sim_workload_spec *w = a->spec;
    switch (w->kind) {
    case SIM_ARRIVAL_POISSON:
        a->next = clip(a, add(t, exp_gap(a, w->rate * a->factor)));
        break;
    case SIM_ARRIVAL_CONSTANT:
        a->base = t;
        a->next = clip(a, add(t, period_now(a)));
        break;
    case SIM_ARRIVAL_PERIODIC: {
        a->base = add(a->base, period_now(a));
        edge_time n = add(a->base, jitter(a));
        a->next = clip(a, n < t ? t : n); /* jitter never reorders arrivals */
        break;
    }
    case SIM_ARRIVAL_BURSTY:
        a->next = bursty_from(a, t);
        break;
    case SIM_ARRIVAL_TIMES:
    case SIM_ARRIVAL_CSV:
        a->k++;
        a->next = a->k < w->ntimes ? clip(a, w->times[a->k]) : NONE;
        break;
    case SIM_ARRIVAL_MINUTES:
        a->next = minute_next(a);
        break;
    case SIM_ARRIVAL_CALLS:
        a->next = call_next(a);
        break;
    }
    return a->next;
}

edge_time sim_arrivals_set_factor(sim_arrivals *a, double factor, edge_time now)
{
    const sim_workload_spec *w = a->spec;
    if (!(factor > 0) || a->next == NONE)
        return a->next;
    a->factor = factor;
    if (now < w->start) /* not started: the first arrival is unaffected */
        return a->next;
    switch (w->kind) {
    case SIM_ARRIVAL_POISSON:
        a->next = clip(a, add(now, exp_gap(a, w->rate * factor)));
        break;
    case SIM_ARRIVAL_BURSTY:
        a->next = bursty_from(a, now);
        break;
    case SIM_ARRIVAL_CONSTANT:
    case SIM_ARRIVAL_PERIODIC: {
        if (a->next == w->start)
            break; /* the first arrival stands */
        edge_time n = add(a->last, period_now(a));
        if (w->kind == SIM_ARRIVAL_PERIODIC)
            a->base = n;
        a->next = clip(a, n < now ? now : n);
        break;
    }
    case SIM_ARRIVAL_TIMES:
    case SIM_ARRIVAL_CSV:
    case SIM_ARRIVAL_MINUTES: /* a trace keeps its counts: a spike is written as a burst */
    case SIM_ARRIVAL_CALLS:
        break;
    }
    return a->next;
}
