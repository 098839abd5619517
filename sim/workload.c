#include "workload.h"

#include <math.h>
#include <string.h>

#define NONE EDGE_TIME_MAX

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
    a->rate = spec->rate;
    a->factor = 1.0;
    a->end = spec->stop > 0 && spec->stop < scenario_end ? spec->stop : scenario_end;
    edge_err rc = sim_rng_derive(&a->rng, seed, "arrivals", index);
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
        break;
    }
    return a->next;
}
