#include "keepalive.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/*
 * Layout. One fn_state per function; for hybrid, one array of
 * nfunctions * bins counts (function f's bins at counts + f * bins). Per
 * function the running sum of squared bin counts makes the CV test O(1):
 *   CV^2 = bins * sumsq / n^2 - 1     (n = in-range samples)
 * so CV >= t  <=>  bins * sumsq - n^2 >= t^2 * n^2, evaluated in long double
 * (exact for the small counts of the threshold tests).
 */

/* The paper's head and tail percentiles, in percent. */
#define HEAD_PCT 5
#define TAIL_PCT 99

typedef struct {
    edge_time last_finish;     /* latest finish; valid when has_finish */
    bool has_finish;           /* a finish since the previous sample */
    bool seen_finish;          /* any finish ever (for the RANGE check) */
    bool dirty;                /* a sample since the cached decision */
    uint64_t samples, oob;
    uint64_t sumsq;            /* sum of squared bin counts */
    double forecast;           /* EWMA of idle times, ns (forecast_alpha > 0) */
    edge_keepalive_decision cached;
} fn_state;

struct edge_keepalive {
    edge_keepalive_config cfg;
    size_t n;
    fn_state *fns;
    uint64_t *counts;          /* hybrid only */
};

edge_keepalive_config edge_keepalive_config_default(edge_keepalive_type type)
{
    return (edge_keepalive_config){
        .type = type,
        .ttl = type == EDGE_KEEPALIVE_NONE ? 0 : EDGE_KEEPALIVE_DEFAULT,
        .bins = 240,
        .bin_width = EDGE_MIN,
        .cv_threshold = 2.0,
        .min_samples = 10,
        .margin = 0.1,
        .oob_max = 0.5,
    };
}

static const char *const type_names[] = {"fixed", "none", "hybrid"};
static const char *const rule_names[] = {"fixed",     "none",          "few_samples",
                                         "out_of_bounds", "histogram", "not_representative",
                                         "forecast"};

const char *edge_keepalive_type_name(edge_keepalive_type type)
{
    if ((unsigned)type >= sizeof type_names / sizeof *type_names)
        return "unknown";
    return type_names[type];
}

const char *edge_keepalive_rule_name(edge_keepalive_rule rule)
{
    if ((unsigned)rule >= sizeof rule_names / sizeof *rule_names)
        return "unknown";
    return rule_names[rule];
}

edge_err edge_keepalive_type_parse(const char *name, edge_keepalive_type *out)
{
    if (!name || !out)
        return EDGE_INVAL;
    for (unsigned i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (strcmp(name, type_names[i]) == 0) {
            *out = (edge_keepalive_type)i;
            return EDGE_OK;
        }
    return EDGE_NOT_FOUND;
}

/* ---- Config -------------------------------------------------------------- */

static edge_err parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s < '0' || *s > '9')
        return EDGE_INVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end)
        return EDGE_INVAL;
    if (errno == ERANGE)
        return EDGE_RANGE;
    *out = v;
    return EDGE_OK;
}

static edge_err parse_double(const char *s, double *out)
{
    if (!*s)
        return EDGE_INVAL;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || isnan(v))
        return EDGE_INVAL;
    if (errno == ERANGE || isinf(v))
        return EDGE_RANGE;
    if (v < 0)
        return EDGE_RANGE;
    *out = v;
    return EDGE_OK;
}

static edge_err parse_duration(const char *s, edge_time *out)
{
    edge_time t;
    edge_err rc = edge_duration_parse(s, &t);
    if (rc)
        return rc;
    if (t < 0)
        return EDGE_RANGE;
    *out = t;
    return EDGE_OK;
}

edge_err edge_keepalive_config_set(edge_keepalive_config *cfg, const char *key, const char *value)
{
    if (!cfg || !key || !value)
        return EDGE_INVAL;
    edge_keepalive_config c = *cfg;
    edge_err rc;
    uint64_t u = 0;
    if (strcmp(key, "ttl") == 0)
        rc = parse_duration(value, &c.ttl);
    else if (strcmp(key, "bin_width") == 0)
        rc = parse_duration(value, &c.bin_width);
    else if (strcmp(key, "bins") == 0) {
        rc = parse_u64(value, &u);
        if (!rc && u > UINT32_MAX)
            rc = EDGE_RANGE;
        c.bins = (uint32_t)u;
    } else if (strcmp(key, "min_samples") == 0)
        rc = parse_u64(value, &c.min_samples);
    else if (strcmp(key, "cv_threshold") == 0)
        rc = parse_double(value, &c.cv_threshold);
    else if (strcmp(key, "margin") == 0)
        rc = parse_double(value, &c.margin);
    else if (strcmp(key, "oob_max") == 0)
        rc = parse_double(value, &c.oob_max);
    else if (strcmp(key, "forecast_alpha") == 0)
        rc = parse_double(value, &c.forecast_alpha);
    else
        rc = EDGE_NOT_FOUND;
    if (rc == EDGE_OK)
        *cfg = c;
    return rc;
}

edge_err edge_keepalive_config_validate(const edge_keepalive_config *cfg)
{
    if (!cfg)
        return EDGE_INVAL;
    switch (cfg->type) {
    case EDGE_KEEPALIVE_FIXED:
        return cfg->ttl < 0 ? EDGE_RANGE : EDGE_OK;
    case EDGE_KEEPALIVE_NONE:
        return EDGE_OK;
    case EDGE_KEEPALIVE_HYBRID:
        if (cfg->bins < 1 || cfg->bins > EDGE_KEEPALIVE_MAX_BINS || cfg->bin_width <= 0 ||
            cfg->bin_width > EDGE_TIME_MAX / (edge_time)cfg->bins)
            return EDGE_RANGE;
        if (!isfinite(cfg->cv_threshold) || cfg->cv_threshold < 0)
            return EDGE_RANGE;
        if (cfg->min_samples < 1)
            return EDGE_RANGE;
        if (!(cfg->margin >= 0 && cfg->margin < 1)) /* also rejects NaN */
            return EDGE_RANGE;
        if (!(cfg->oob_max >= 0 && cfg->oob_max <= 1))
            return EDGE_RANGE;
        if (!(cfg->forecast_alpha >= 0 && cfg->forecast_alpha <= 1))
            return EDGE_RANGE;
        return EDGE_OK;
    }
    return EDGE_INVAL;
}

edge_time edge_keepalive_range(const edge_keepalive_config *cfg)
{
    if (!cfg || cfg->type != EDGE_KEEPALIVE_HYBRID || edge_keepalive_config_validate(cfg))
        return 0;
    return (edge_time)cfg->bins * cfg->bin_width;
}

/* ---- Life ------------------------------------------------------------------ */

edge_err edge_keepalive_new(const edge_keepalive_config *cfg, size_t nfunctions,
                            edge_keepalive **out)
{
    if (!cfg || !out)
        return EDGE_INVAL;
    edge_err rc = edge_keepalive_config_validate(cfg);
    if (rc)
        return rc;
    if (nfunctions > EDGE_KEEPALIVE_MAX_FUNCTIONS)
        return EDGE_LIMIT;
    edge_keepalive *k = edge__calloc(1, sizeof *k);
    if (!k)
        goto fail;
    k->cfg = *cfg;
    k->n = nfunctions;
    if (nfunctions > 0) {
        if (!(k->fns = edge__calloc(nfunctions, sizeof *k->fns)))
            goto fail;
        if (cfg->type == EDGE_KEEPALIVE_HYBRID &&
            !(k->counts = edge__calloc(nfunctions * cfg->bins, sizeof *k->counts)))
            goto fail;
    }
    for (size_t i = 0; i < nfunctions; i++)
        k->fns[i].dirty = true;
    *out = k;
    return EDGE_OK;
fail:
    edge_keepalive_free(k);
    return EDGE_NOMEM;
}

void edge_keepalive_free(edge_keepalive *k)
{
    if (!k)
        return;
    edge__free(k->counts);
    edge__free(k->fns);
    edge__free(k);
}

edge_keepalive_config edge_keepalive_get_config(const edge_keepalive *k)
{
    return k->cfg;
}

/* ---- Events ------------------------------------------------------------------ */

edge_err edge_keepalive_on_arrival(edge_keepalive *k, uint32_t fn, edge_time now)
{
    if (!k)
        return EDGE_INVAL;
    if (fn >= k->n)
        return EDGE_NOT_FOUND;
    fn_state *s = &k->fns[fn];
    if (s->seen_finish && now < s->last_finish)
        return EDGE_RANGE;
    if (!s->has_finish || k->cfg.type != EDGE_KEEPALIVE_HYBRID) {
        s->has_finish = false;
        return EDGE_OK;
    }
    s->has_finish = false;
    s->samples++;
    s->dirty = true;
    /* now >= last_finish, so the unsigned difference is exact even where
     * the signed one would overflow */
    uint64_t idle = (uint64_t)now - (uint64_t)s->last_finish;
    if (k->cfg.forecast_alpha > 0) /* the first sample starts the mean */
        s->forecast = s->samples == 1 ? (double)idle
                                      : k->cfg.forecast_alpha * (double)idle +
                                            (1 - k->cfg.forecast_alpha) * s->forecast;
    uint64_t bin = idle / (uint64_t)k->cfg.bin_width;
    if (bin >= k->cfg.bins) {
        s->oob++;
        return EDGE_OK;
    }
    uint64_t *c = &k->counts[(size_t)fn * k->cfg.bins + (size_t)bin];
    s->sumsq += 2 * *c + 1;
    (*c)++;
    return EDGE_OK;
}

edge_err edge_keepalive_on_finish(edge_keepalive *k, uint32_t fn, edge_time now)
{
    if (!k)
        return EDGE_INVAL;
    if (fn >= k->n)
        return EDGE_NOT_FOUND;
    fn_state *s = &k->fns[fn];
    if (!s->seen_finish || now > s->last_finish)
        s->last_finish = now;
    s->seen_finish = true;
    s->has_finish = true;
    return EDGE_OK;
}

/* ---- Decisions ----------------------------------------------------------- */

static bool representative(const edge_keepalive *k, const fn_state *s, double *cv)
{
    uint64_t n = s->samples - s->oob;
    if (n == 0) {
        if (cv)
            *cv = 0;
        return false;
    }
    long double nn = (long double)n * (long double)n;
    long double lhs = (long double)k->cfg.bins * (long double)s->sumsq - nn;
    long double t = k->cfg.cv_threshold;
    if (cv) {
        double v = (double)(lhs / nn);
        *cv = v > 0 ? sqrt(v) : 0;
    }
    return lhs >= t * t * nn;
}

/* The bin of the pct-th percentile (nearest rank) of n in-range samples. */
static uint32_t percentile_bin(const uint64_t *counts, uint32_t bins, uint64_t n, unsigned pct)
{
    uint64_t rank = (n * pct + 99) / 100;
    if (rank < 1)
        rank = 1;
    uint64_t cum = 0;
    for (uint32_t i = 0; i < bins; i++) {
        cum += counts[i];
        if (cum >= rank)
            return i;
    }
    assert(!"percentile beyond the histogram");
    return bins - 1;
}

static edge_time scale(edge_time t, double f)
{
    double v = nearbyint((double)t * f);
    return v >= 9.2e18 ? EDGE_TIME_MAX : (edge_time)v;
}

static edge_keepalive_decision hybrid_decide(const edge_keepalive *k, uint32_t fn)
{
    const edge_keepalive_config *c = &k->cfg;
    const fn_state *s = &k->fns[fn];
    edge_keepalive_decision d = {
        .keepalive = (edge_time)c->bins * c->bin_width,
        .prewarm_delay = EDGE_KEEPALIVE_NO_PREWARM,
        .prewarm_keepalive = 0,
    };
    if (s->samples < c->min_samples) {
        d.rule = EDGE_KEEPALIVE_RULE_FEW_SAMPLES;
        return d;
    }
    if ((double)s->oob > c->oob_max * (double)s->samples) {
        d.rule = EDGE_KEEPALIVE_RULE_OUT_OF_BOUNDS;
        if (c->forecast_alpha > 0) {
            double f = s->forecast;
            edge_time prewarm = f * (1 - c->margin) >= 9.2e18 ? EDGE_TIME_MAX
                                                             : (edge_time)nearbyint(f * (1 - c->margin));
            edge_time until = f * (1 + c->margin) >= 9.2e18 ? EDGE_TIME_MAX
                                                           : (edge_time)nearbyint(f * (1 + c->margin));
            d.rule = EDGE_KEEPALIVE_RULE_FORECAST;
            if (prewarm == 0) {
                d.keepalive = until;
            } else {
                d.keepalive = 0;
                d.prewarm_delay = prewarm;
                d.prewarm_keepalive = until - prewarm;
            }
        }
        return d;
    }
    if (!representative(k, s, NULL)) {
        d.rule = EDGE_KEEPALIVE_RULE_NOT_REPRESENTATIVE;
        return d;
    }
    const uint64_t *counts = k->counts + (size_t)fn * c->bins;
    uint64_t n = s->samples - s->oob;
    edge_time head = (edge_time)percentile_bin(counts, c->bins, n, HEAD_PCT) * c->bin_width;
    edge_time tail = ((edge_time)percentile_bin(counts, c->bins, n, TAIL_PCT) + 1) * c->bin_width;
    edge_time prewarm = scale(head, 1 - c->margin);
    edge_time until = scale(tail, 1 + c->margin);
    d.rule = EDGE_KEEPALIVE_RULE_HISTOGRAM;
    if (prewarm == 0) {
        d.keepalive = until;
        return d;
    }
    d.keepalive = 0;
    d.prewarm_delay = prewarm;
    d.prewarm_keepalive = until - prewarm;
    return d;
}

edge_err edge_keepalive_decide(edge_keepalive *k, uint32_t fn, edge_keepalive_decision *out)
{
    if (!k || !out)
        return EDGE_INVAL;
    if (fn >= k->n)
        return EDGE_NOT_FOUND;
    switch (k->cfg.type) {
    case EDGE_KEEPALIVE_FIXED:
        *out = (edge_keepalive_decision){k->cfg.ttl, EDGE_KEEPALIVE_NO_PREWARM, 0,
                                         EDGE_KEEPALIVE_RULE_FIXED};
        return EDGE_OK;
    case EDGE_KEEPALIVE_NONE:
        *out = (edge_keepalive_decision){0, EDGE_KEEPALIVE_NO_PREWARM, 0,
                                         EDGE_KEEPALIVE_RULE_NONE};
        return EDGE_OK;
    case EDGE_KEEPALIVE_HYBRID:
        break;
    }
    fn_state *s = &k->fns[fn];
    if (s->dirty) {
        s->cached = hybrid_decide(k, fn);
        s->dirty = false;
    }
    *out = s->cached;
    return EDGE_OK;
}

edge_err edge_keepalive_histogram(const edge_keepalive *k, uint32_t fn,
                                  edge_keepalive_histogram_info *out)
{
    if (!k || !out)
        return EDGE_INVAL;
    if (fn >= k->n)
        return EDGE_NOT_FOUND;
    const fn_state *s = &k->fns[fn];
    edge_keepalive_histogram_info h = {.samples = s->samples, .out_of_bounds = s->oob};
    if (k->cfg.type == EDGE_KEEPALIVE_HYBRID) {
        bool shaped = representative(k, s, &h.cv); /* always: it also gives the CV */
        h.representative = shaped && s->samples >= k->cfg.min_samples &&
                           !((double)s->oob > k->cfg.oob_max * (double)s->samples);
    }
    *out = h;
    return EDGE_OK;
}

/* ---- Reporting ---------------------------------------------------------- */

static void report_pct(edge_keepalive_report *r)
{
    r->cold_start_pct = r->starts ? 100.0 * (double)r->cold_starts / (double)r->starts : 0;
}

edge_keepalive_report edge_keepalive_report_of(const edge_runtime_stats *st)
{
    edge_keepalive_report r = {
        .starts = st->starts,
        .cold_starts = st->cold_starts,
        .wasted_mb_s = st->idle_mb_ns / 1e9,
    };
    report_pct(&r);
    return r;
}

void edge_keepalive_report_add(edge_keepalive_report *a, const edge_keepalive_report *b)
{
    a->starts += b->starts;
    a->cold_starts += b->cold_starts;
    a->wasted_mb_s += b->wasted_mb_s;
    report_pct(a);
}
