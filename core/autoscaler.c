/*
 * autoscaler.c — the concurrency (KPA-like) and utilization (HPA-like)
 * decision rules (autoscaler.h).
 *
 * State: a ring of the last `window` per-tick values (observations for the
 * concurrency rule, recommendations for the utilization rule's scale-down
 * stabilisation), the panic episode and the last tick with any load.
 */
#include "autoscaler.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct edge_autoscaler {
    edge_autoscaler_config cfg;
    uint32_t n_stable, n_panic; /* ticks in each window */
    double *ring;               /* n_stable values, newest at head - 1 */
    uint32_t head, count;
    int panic;
    edge_time panic_since;      /* when the panic condition last held */
    uint32_t max_panic;         /* the highest count decided in this panic */
    edge_time last_active;      /* the end of the last tick with load */
};

edge_autoscaler_config edge_autoscaler_config_default(edge_autoscaler_type type)
{
    edge_autoscaler_config c = {0};
    c.type = type;
    c.max_scale = 100;
    c.panic_threshold = 2.0;
    c.tolerance = 0.1;
    c.cpu_request = 1.0;
    if (type == EDGE_AUTOSCALER_UTILIZATION) {
        c.target = 0.7;
        c.tick = 15 * EDGE_S;
        c.stable_window = 5 * EDGE_MIN;
        c.min_scale = 1;
    } else {
        c.target = 10;
        c.tick = 2 * EDGE_S;
        c.stable_window = 60 * EDGE_S;
        c.panic_window = 6 * EDGE_S;
        c.scale_to_zero_grace = 30 * EDGE_S;
    }
    return c;
}

const char *edge_autoscaler_type_name(edge_autoscaler_type type)
{
    switch (type) {
    case EDGE_AUTOSCALER_CONCURRENCY:
        return "concurrency";
    case EDGE_AUTOSCALER_UTILIZATION:
        return "utilization";
    default:
        return "none";
    }
}

static edge_err bad(char *why, size_t n, const char *msg)
{
    if (why && n)
        snprintf(why, n, "%s", msg);
    return EDGE_INVAL;
}

edge_err edge_autoscaler_config_check(const edge_autoscaler_config *c, char *why, size_t n)
{
    if (!c)
        return bad(why, n, "no configuration");
    if (c->type == EDGE_AUTOSCALER_NONE)
        return EDGE_OK;
    if (!(c->target > 0) || (c->type == EDGE_AUTOSCALER_UTILIZATION && c->target > 1))
        return bad(why, n, "target: expected above 0 (a utilisation at most 1)");
    if (c->tick <= 0)
        return bad(why, n, "tick: expected above 0");
    if (c->stable_window < c->tick)
        return bad(why, n, "stable_window: expected at least one tick");
    if (c->stable_window / c->tick > EDGE_AUTOSCALER_MAX_TICKS)
        return bad(why, n, "stable_window: expected at most 3600 ticks");
    if (c->type == EDGE_AUTOSCALER_CONCURRENCY &&
        (c->panic_window < c->tick || c->panic_window > c->stable_window))
        return bad(why, n, "panic_window: expected from one tick to the stable window");
    if (c->type == EDGE_AUTOSCALER_CONCURRENCY && !(c->panic_threshold >= 1))
        return bad(why, n, "panic_threshold: expected at least 1");
    if (c->scale_to_zero_grace < 0 || !(c->tolerance >= 0) || !(c->cpu_request > 0))
        return bad(why, n, "grace, tolerance or cpu_request out of range");
    if (c->max_scale < c->min_scale || c->max_scale == 0)
        return bad(why, n, "max_scale: expected at least 1 and at least min_scale");
    if (c->type == EDGE_AUTOSCALER_UTILIZATION && c->min_scale < 1)
        return bad(why, n, "min_scale: expected at least 1 (utilisation needs a replica to measure)");
    return EDGE_OK;
}

edge_err edge_autoscaler_new(const edge_autoscaler_config *cfg, edge_time now,
                             edge_autoscaler **out)
{
    edge_err rc = edge_autoscaler_config_check(cfg, NULL, 0);
    if (rc)
        return rc;
    edge_autoscaler *a = calloc(1, sizeof *a);
    if (!a)
        return EDGE_NOMEM;
    a->cfg = *cfg;
    a->n_stable = (uint32_t)((cfg->stable_window + cfg->tick - 1) / cfg->tick);
    a->n_panic = cfg->panic_window > 0 ? (uint32_t)((cfg->panic_window + cfg->tick - 1) / cfg->tick)
                                       : 1;
    if (a->n_panic > a->n_stable)
        a->n_panic = a->n_stable;
    a->ring = calloc(a->n_stable, sizeof *a->ring);
    if (!a->ring) {
        free(a);
        return EDGE_NOMEM;
    }
    a->last_active = now;
    *out = a;
    return EDGE_OK;
}

void edge_autoscaler_free(edge_autoscaler *a)
{
    if (!a)
        return;
    free(a->ring);
    free(a);
}

static void push(edge_autoscaler *a, double v)
{
    a->ring[a->head] = v;
    a->head = (a->head + 1) % a->n_stable;
    if (a->count < a->n_stable)
        a->count++;
}

/* Mean (or max) of the newest k values held. */
static double newest(const edge_autoscaler *a, uint32_t k, int want_max)
{
    if (k > a->count)
        k = a->count;
    double acc = 0;
    for (uint32_t i = 1; i <= k; i++) {
        double v = a->ring[(a->head + a->n_stable - i) % a->n_stable];
        acc = want_max ? (v > acc ? v : acc) : acc + v;
    }
    return want_max || k == 0 ? acc : acc / k;
}

static uint32_t clamp(const edge_autoscaler_config *c, double want)
{
    if (want < c->min_scale)
        return c->min_scale;
    if (want > c->max_scale)
        return c->max_scale;
    return (uint32_t)want;
}

/* ceil that forgives rounding: 2.0000000000001 is 2 */
static double ceil_eps(double x)
{
    return ceil(x - 1e-9);
}

static uint32_t decide_concurrency(edge_autoscaler *a, edge_time now, double obs, uint32_t ready)
{
    const edge_autoscaler_config *c = &a->cfg;
    push(a, obs);
    if (obs > 0)
        a->last_active = now;
    double stable = newest(a, a->n_stable, 0), panic = newest(a, a->n_panic, 0);
    double want_stable = ceil_eps(stable / c->target), want_panic = ceil_eps(panic / c->target);
    double ratio = (panic / c->target) / (ready ? ready : 1);
    int over = ratio >= c->panic_threshold && panic > 0;
    if (over) {
        if (!a->panic) {
            a->panic = 1;
            a->max_panic = ready;
        }
        a->panic_since = now;
    } else if (a->panic && now - a->panic_since >= c->stable_window) {
        a->panic = 0;
        a->max_panic = 0;
    }
    double want = want_stable;
    if (a->panic) {
        want = want_panic > a->max_panic ? want_panic : a->max_panic;
        a->max_panic = (uint32_t)fmin(want, (double)c->max_scale);
    }
    /* to zero only after the grace period without any load (a function at
     * zero stays there until load comes) */
    if (want < 1 && ready > 0 && now - a->last_active < c->scale_to_zero_grace)
        want = 1;
    return clamp(c, want);
}

static uint32_t decide_utilization(edge_autoscaler *a, double busy, uint32_t ready)
{
    const edge_autoscaler_config *c = &a->cfg;
    double rec;
    if (ready == 0) {
        rec = ceil_eps(busy / (c->cpu_request * c->target));
    } else {
        double util = busy / (ready * c->cpu_request);
        double ratio = util / c->target;
        rec = fabs(ratio - 1.0) <= c->tolerance ? ready : ceil_eps(ready * ratio);
    }
    push(a, rec);
    /* a scale-down takes the highest recommendation of the window */
    double want = rec < ready ? newest(a, a->n_stable, 1) : rec;
    if (want > ready && rec < ready)
        want = ready; /* the window may hold higher ones than now: never up on the way down */
    return clamp(c, want);
}

uint32_t edge_autoscaler_decide(edge_autoscaler *a, edge_time now, double observed,
                                uint32_t ready, int *panic)
{
    if (observed < 0 || observed != observed)
        observed = 0;
    uint32_t n = a->cfg.type == EDGE_AUTOSCALER_UTILIZATION
                     ? decide_utilization(a, observed, ready)
                     : decide_concurrency(a, now, observed, ready);
    if (panic)
        *panic = a->panic;
    return n;
}
