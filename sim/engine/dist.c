#include "engine/dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/unithint.h"

typedef enum {
    T_CONSTANT,
    T_UNIFORM,
    T_EXPONENTIAL,
    T_NORMAL,
    T_LOGNORMAL,
    T_GAMMA,
    T_WEIBULL,
    T_PARETO,
    T_ERLANG,
    T_EMPIRICAL,
    T_MIXTURE,
    T_COUNT
} dtype;

/* Each type's name and the fields it accepts besides "type". */
static const struct {
    const char *name;
    const char *fields[5];
    const char *list; /* for messages */
} types[T_COUNT] = {
    [T_CONSTANT] = {"constant", {"value"}, "type, value"},
    [T_UNIFORM] = {"uniform", {"min", "max"}, "type, min, max"},
    [T_EXPONENTIAL] = {"exponential", {"mean", "rate"}, "type, mean, rate"},
    [T_NORMAL] = {"normal", {"mean", "stddev"}, "type, mean, stddev"},
    [T_LOGNORMAL] = {"lognormal", {"mu", "sigma", "mean", "stddev"}, "type, mu, sigma, mean, stddev"},
    [T_GAMMA] = {"gamma", {"shape", "scale", "mean"}, "type, shape, scale, mean"},
    [T_WEIBULL] = {"weibull", {"shape", "scale"}, "type, shape, scale"},
    [T_PARETO] = {"pareto", {"shape", "scale"}, "type, shape, scale"},
    [T_ERLANG] = {"erlang", {"k", "mean", "rate"}, "type, k, mean, rate"},
    [T_EMPIRICAL] = {"empirical", {"percentiles"}, "type, percentiles"},
    [T_MIXTURE] = {"mixture", {"components"}, "type, components"},
};

#define TYPE_LIST                                                                          \
    "one of constant, uniform, exponential, normal, lognormal, gamma, weibull, pareto, " \
    "erlang, empirical, mixture"

struct sim_dist {
    dtype type;
    sim_dist_kind kind;
    double a, b; /* parameters, times in ns (see sample) */
    unsigned long k;
    size_t n;         /* empirical points or mixture components */
    double *q;        /* empirical: cumulative probability in [0, 1], ascending;
                         mixture: cumulative weight, last == 1 */
    double *x;        /* empirical: values at q */
    sim_dist **comps; /* mixture */
};

/* ---- messages ---- */

/* A short rendering of a JSON value for "found ...". */
static void describe(const cJSON *v, char *buf, size_t n)
{
    if (!v)
        snprintf(buf, n, "nothing");
    else if (cJSON_IsNumber(v)) /* its text, if the scenario reader kept it */
        sim_diag_number_text(buf, n, v->valuedouble, v->valuestring);
    else if (cJSON_IsString(v))
        snprintf(buf, n, "\"%.60s%s\"", v->valuestring, strlen(v->valuestring) > 60 ? "..." : "");
    else if (cJSON_IsBool(v))
        snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        snprintf(buf, n, "null");
    else if (cJSON_IsArray(v))
        snprintf(buf, n, "an array");
    else
        snprintf(buf, n, "an object");
}

static edge_err bad(sim_diag *d, const char *path, const char *expected, const cJSON *found)
{
    char f[96];
    describe(found, f, sizeof f);
    sim_diag_set(d, path, "expected %s, found %s", expected, f);
    return EDGE_PARSE;
}

/* bad() for a duration that did not parse, with the form it may have meant
 * (common/unithint.h). */
static edge_err bad_duration(sim_diag *d, const char *path, const char *expected,
                             const cJSON *found)
{
    char f[96], hint[96];
    describe(found, f, sizeof f);
    sim_duration_hint(cJSON_IsString(found) ? found->valuestring : NULL, hint, sizeof hint);
    sim_diag_set(d, path, "expected %s, found %s%s", expected, f, hint);
    return EDGE_PARSE;
}

/* ---- field readers ---- */

typedef struct {
    const cJSON *spec;
    sim_dist_kind kind;
    const char *path;
    sim_diag *diag;
} ctx;

static void child_path(const ctx *c, const char *key, char *out)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, c->path, key, 0);
}

static const cJSON *field(const ctx *c, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(c->spec, key);
}

/* A plain number (shape parameters; everything in SIM_DIST_NUMBER and
 * SIM_DIST_SIZE). */
static edge_err read_number(const ctx *c, const char *key, double *out)
{
    const cJSON *v = field(c, key);
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, key, p);
    if (!cJSON_IsNumber(v))
        return bad(c->diag, p, "a number", v);
    *out = v->valuedouble;
    return EDGE_OK;
}

/* A time-valued field: a duration string in SIM_DIST_DURATION (ns, >= 0),
 * a plain number in SIM_DIST_NUMBER, one >= 0 in SIM_DIST_SIZE. */
static edge_err read_time(const ctx *c, const char *key, double *out)
{
    if (c->kind == SIM_DIST_NUMBER)
        return read_number(c, key, out);
    if (c->kind == SIM_DIST_SIZE) {
        edge_err err = read_number(c, key, out);
        if (!err && !(*out >= 0)) {
            char p[SIM_DIAG_PATH_MAX];
            child_path(c, key, p);
            return bad(c->diag, p, "a size >= 0", field(c, key));
        }
        return err;
    }
    const cJSON *v = field(c, key);
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, key, p);
    edge_time t;
    edge_err pe = cJSON_IsString(v) ? edge_duration_parse(v->valuestring, &t) : EDGE_PARSE;
    if (pe == EDGE_RANGE)
        return bad(c->diag, p, "a duration below 292 years", v);
    if (pe != EDGE_OK)
        return bad_duration(c->diag, p, "a duration with a unit, such as \"250ms\"", v);
    if (t < 0)
        return bad(c->diag, p, "a duration >= 0", v);
    *out = (double)t;
    return EDGE_OK;
}

/* A rate: "N/unit" in SIM_DIST_DURATION (stored per ns), a plain number in
 * SIM_DIST_NUMBER and SIM_DIST_SIZE; > 0 either way. */
static edge_err read_rate(const ctx *c, const char *key, double *out)
{
    const cJSON *v = field(c, key);
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, key, p);
    if (c->kind != SIM_DIST_DURATION) {
        if (!cJSON_IsNumber(v) || !(v->valuedouble > 0))
            return bad(c->diag, p, "a number > 0", v);
        *out = v->valuedouble;
        return EDGE_OK;
    }
    double per_s;
    if (!cJSON_IsString(v) || sim_rate_parse(v->valuestring, &per_s) != EDGE_OK)
        return bad(c->diag, p, "a rate with a unit, such as \"4/s\"", v);
    *out = per_s / 1e9;
    return EDGE_OK;
}

static edge_err require_positive(const ctx *c, const char *key, double v)
{
    if (v > 0)
        return EDGE_OK;
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, key, p);
    return bad(c->diag, p, c->kind == SIM_DIST_DURATION && strcmp(key, "shape") && strcmp(key, "sigma")
                               && strcmp(key, "k") ? "a duration > 0" : "a number > 0",
               field(c, key));
}

static bool has(const ctx *c, const char *key)
{
    return field(c, key) != NULL;
}

/* Exactly one of a and b present. */
static edge_err one_of(const ctx *c, const char *a, const char *b, bool *first)
{
    bool ha = has(c, a), hb = has(c, b);
    if (ha != hb) {
        *first = ha;
        return EDGE_OK;
    }
    sim_diag_set(c->diag, c->path, "expected exactly one of %s or %s, found %s", a, b,
                 ha ? "both" : "neither");
    return EDGE_PARSE;
}

/* ---- parsing ---- */

static edge_err parse_at(const cJSON *spec, sim_dist_kind kind, const char *path, sim_diag *diag,
                         int depth, sim_dist **out);

static int cmp_point(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb; /* {q, x} pairs */
    return (a[0] > b[0]) - (a[0] < b[0]);
}

static edge_err parse_empirical(const ctx *c, sim_dist *d)
{
    const cJSON *pts = field(c, "percentiles");
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, "percentiles", p);
    if (!cJSON_IsObject(pts))
        return bad(c->diag, p, "an object of percentile points such as {\"p0\": ..., \"p100\": ...}",
                   pts);
    size_t n = (size_t)cJSON_GetArraySize(pts);
    if (n < 2 || n > SIM_DIST_MAX_POINTS) {
        char exp[96];
        snprintf(exp, sizeof exp, "from 2 to %d percentile points", SIM_DIST_MAX_POINTS);
        sim_diag_set(c->diag, p, "expected %s, found %zu", exp, n);
        return EDGE_PARSE;
    }
    double *pairs = malloc(2 * n * sizeof *pairs);
    if (!pairs)
        return EDGE_NOMEM;
    edge_err err = EDGE_PARSE;
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, pts)
    {
        char ip[SIM_DIAG_PATH_MAX];
        sim_diag_path_child(ip, sizeof ip, p, it->string, 0);
        /* the key: "p" + a decimal number from 0 to 100 */
        const char *k = it->string;
        char *end = NULL;
        double q = -1;
        if (k[0] == 'p' && k[1] >= '0' && k[1] <= '9')
            q = strtod(k + 1, &end);
        if (!end || *end || !(q >= 0 && q <= 100)) {
            cJSON key = {0};
            key.type = cJSON_String;
            key.valuestring = (char *)k;
            err = bad(c->diag, ip, "a percentile key from \"p0\" to \"p100\"", &key);
            goto fail;
        }
        ctx sub = {pts, c->kind, p, c->diag};
        double x;
        if ((err = read_time(&sub, k, &x)) != EDGE_OK)
            goto fail;
        pairs[2 * i] = q / 100.0;
        pairs[2 * i + 1] = x;
        i++;
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_point);
    if (pairs[0] != 0.0 || pairs[2 * (n - 1)] != 1.0) {
        sim_diag_set(c->diag, p, "expected points that include p0 and p100, found %s missing",
                     pairs[0] != 0.0 ? "p0" : "p100");
        err = EDGE_PARSE;
        goto fail;
    }
    for (i = 1; i < n; i++) {
        if (pairs[2 * i] == pairs[2 * i - 2]) {
            sim_diag_set(c->diag, p, "expected each percentile once, found %g twice",
                         pairs[2 * i] * 100);
            err = EDGE_PARSE;
            goto fail;
        }
        if (pairs[2 * i + 1] < pairs[2 * i - 1]) {
            char ip[SIM_DIAG_PATH_MAX], key[32];
            snprintf(key, sizeof key, "p%g", pairs[2 * i] * 100);
            sim_diag_path_child(ip, sizeof ip, p, key, 0);
            sim_diag_set(c->diag, ip,
                         "expected values that do not decrease as the percentile grows, found "
                         "one below p%g's",
                         pairs[2 * i - 2] * 100);
            err = EDGE_PARSE;
            goto fail;
        }
    }
    d->q = malloc(n * sizeof *d->q);
    d->x = malloc(n * sizeof *d->x);
    if (!d->q || !d->x) {
        err = EDGE_NOMEM;
        goto fail;
    }
    for (i = 0; i < n; i++) {
        d->q[i] = pairs[2 * i];
        d->x[i] = pairs[2 * i + 1];
    }
    d->n = n;
    err = EDGE_OK;
fail:
    free(pairs);
    return err;
}

static edge_err parse_mixture(const ctx *c, sim_dist *d, int depth)
{
    const cJSON *comps = field(c, "components");
    char p[SIM_DIAG_PATH_MAX];
    child_path(c, "components", p);
    if (!cJSON_IsArray(comps) || cJSON_GetArraySize(comps) < 1)
        return bad(c->diag, p, "a non-empty array of {\"weight\": w, \"dist\": {...}}", comps);
    size_t n = (size_t)cJSON_GetArraySize(comps);
    if (n > SIM_DIST_MAX_COMPONENTS) {
        sim_diag_set(c->diag, p, "expected at most %d components, found %zu",
                     SIM_DIST_MAX_COMPONENTS, n);
        return EDGE_PARSE;
    }
    d->q = calloc(n, sizeof *d->q);
    d->comps = calloc(n, sizeof *d->comps);
    if (!d->q || !d->comps)
        return EDGE_NOMEM;
    d->n = n;
    double total = 0;
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, comps)
    {
        char ip[SIM_DIAG_PATH_MAX];
        sim_diag_path_child(ip, sizeof ip, p, NULL, i);
        if (!cJSON_IsObject(it))
            return bad(c->diag, ip, "an object {\"weight\": w, \"dist\": {...}}", it);
        const cJSON *f;
        cJSON_ArrayForEach(f, it)
        {
            if (strcmp(f->string, "weight") && strcmp(f->string, "dist")) {
                char fp[SIM_DIAG_PATH_MAX];
                sim_diag_path_child(fp, sizeof fp, ip, f->string, 0);
                sim_diag_set(c->diag, fp, "expected a field of a mixture component (weight, dist), "
                                          "found an unknown field");
                return EDGE_PARSE;
            }
        }
        ctx sub = {it, c->kind, ip, c->diag};
        double w;
        edge_err err = read_number(&sub, "weight", &w);
        if (err != EDGE_OK)
            return err;
        if (!(w > 0)) {
            char wp[SIM_DIAG_PATH_MAX];
            sim_diag_path_child(wp, sizeof wp, ip, "weight", 0);
            return bad(c->diag, wp, "a weight > 0", cJSON_GetObjectItemCaseSensitive(it, "weight"));
        }
        char dp[SIM_DIAG_PATH_MAX];
        sim_diag_path_child(dp, sizeof dp, ip, "dist", 0);
        err = parse_at(cJSON_GetObjectItemCaseSensitive(it, "dist"), c->kind, dp, c->diag, depth + 1,
                       &d->comps[i]);
        if (err != EDGE_OK)
            return err;
        total += w;
        d->q[i] = total;
        i++;
    }
    for (i = 0; i < n; i++)
        d->q[i] /= total;
    d->q[n - 1] = 1.0;
    return EDGE_OK;
}

static edge_err parse_params(const ctx *c, sim_dist *d, int depth)
{
    edge_err err = EDGE_OK;
    bool first;
    switch (d->type) {
    case T_CONSTANT:
        return read_time(c, "value", &d->a);
    case T_UNIFORM:
        if ((err = read_time(c, "min", &d->a)) || (err = read_time(c, "max", &d->b)))
            return err;
        if (d->b < d->a) {
            char p[SIM_DIAG_PATH_MAX];
            child_path(c, "max", p);
            return bad(c->diag, p, "a value >= min", field(c, "max"));
        }
        return EDGE_OK;
    case T_EXPONENTIAL: /* a = mean */
        if ((err = one_of(c, "mean", "rate", &first)))
            return err;
        if (first) {
            if ((err = read_time(c, "mean", &d->a)) || (err = require_positive(c, "mean", d->a)))
                return err;
        } else {
            double rate;
            if ((err = read_rate(c, "rate", &rate)))
                return err;
            d->a = 1.0 / rate;
        }
        return EDGE_OK;
    case T_NORMAL: /* a = mean, b = stddev */
        if ((err = read_time(c, "mean", &d->a)) || (err = read_time(c, "stddev", &d->b)))
            return err;
        if (!(d->b >= 0)) {
            char p[SIM_DIAG_PATH_MAX];
            child_path(c, "stddev", p);
            return bad(c->diag, p, "a number >= 0", field(c, "stddev"));
        }
        return EDGE_OK;
    case T_LOGNORMAL: { /* a = mu, b = sigma of the underlying normal (of ns) */
        bool musig = has(c, "mu") || has(c, "sigma"), meansd = has(c, "mean") || has(c, "stddev");
        if (musig == meansd) {
            sim_diag_set(c->diag, c->path, "expected either mu and sigma or mean and stddev, "
                                           "found %s", musig ? "both" : "neither");
            return EDGE_PARSE;
        }
        if (musig) {
            if ((err = read_number(c, "mu", &d->a)) || (err = read_number(c, "sigma", &d->b)))
                return err;
            if (!(d->b >= 0)) {
                char p[SIM_DIAG_PATH_MAX];
                child_path(c, "sigma", p);
                return bad(c->diag, p, "a number >= 0", field(c, "sigma"));
            }
            if (c->kind == SIM_DIST_DURATION)
                d->a += log(1e9); /* mu is of ln(seconds); draws are ns */
        } else {
            double m, s;
            if ((err = read_time(c, "mean", &m)) || (err = require_positive(c, "mean", m))
                || (err = read_time(c, "stddev", &s)))
                return err;
            if (!(s >= 0)) {
                char p[SIM_DIAG_PATH_MAX];
                child_path(c, "stddev", p);
                return bad(c->diag, p, "a number >= 0", field(c, "stddev"));
            }
            d->b = sqrt(log1p((s / m) * (s / m)));
            d->a = log(m) - d->b * d->b / 2;
        }
        return EDGE_OK;
    }
    case T_GAMMA: /* a = shape, b = scale */
        if ((err = read_number(c, "shape", &d->a)) || (err = require_positive(c, "shape", d->a))
            || (err = one_of(c, "scale", "mean", &first)))
            return err;
        if (first)
            err = read_time(c, "scale", &d->b);
        else
            err = read_time(c, "mean", &d->b);
        if (err || (err = require_positive(c, first ? "scale" : "mean", d->b)))
            return err;
        if (!first)
            d->b /= d->a;
        return EDGE_OK;
    case T_WEIBULL:
    case T_PARETO: /* a = shape, b = scale */
        if ((err = read_number(c, "shape", &d->a)) || (err = require_positive(c, "shape", d->a))
            || (err = read_time(c, "scale", &d->b)) || (err = require_positive(c, "scale", d->b)))
            return err;
        return EDGE_OK;
    case T_ERLANG: { /* k, b = mean of one stage */
        double k;
        if ((err = read_number(c, "k", &k)))
            return err;
        if (!(k >= 1 && k <= SIM_DIST_MAX_ERLANG_K && k == floor(k))) {
            char p[SIM_DIAG_PATH_MAX], exp[64];
            child_path(c, "k", p);
            snprintf(exp, sizeof exp, "a whole number from 1 to %d", SIM_DIST_MAX_ERLANG_K);
            return bad(c->diag, p, exp, field(c, "k"));
        }
        d->k = (unsigned long)k;
        if ((err = one_of(c, "mean", "rate", &first)))
            return err;
        if (first) {
            if ((err = read_time(c, "mean", &d->b)) || (err = require_positive(c, "mean", d->b)))
                return err;
            d->b /= k;
        } else {
            double rate;
            if ((err = read_rate(c, "rate", &rate)))
                return err;
            d->b = 1.0 / rate;
        }
        return EDGE_OK;
    }
    case T_EMPIRICAL:
        return parse_empirical(c, d);
    case T_MIXTURE:
        return parse_mixture(c, d, depth);
    case T_COUNT:
        break;
    }
    return EDGE_PARSE;
}

/* A constant written as its value alone: "250ms" for {"type": "constant",
 * "value": "250ms"} in SIM_DIST_DURATION, 2 for {"type": "constant",
 * "value": 2} in SIM_DIST_NUMBER; the same checks as the constant's value
 * (a duration >= 0 with a unit; a finite number). Anything else that is not
 * an object is the error, which names both forms. */
static edge_err parse_shorthand(const cJSON *spec, sim_dist_kind kind, const char *path,
                                sim_diag *diag, sim_dist **out)
{
    double v;
    if (kind == SIM_DIST_DURATION) {
        edge_time t;
        edge_err pe =
            cJSON_IsString(spec) ? edge_duration_parse(spec->valuestring, &t) : EDGE_PARSE;
        if (pe == EDGE_RANGE)
            return bad(diag, path, "a duration below 292 years", spec);
        if (pe != EDGE_OK)
            return bad_duration(diag, path,
                                "a duration such as \"250ms\" or a distribution such as "
                                "{\"type\": \"exponential\", \"mean\": \"250ms\"}",
                                spec);
        if (t < 0)
            return bad(diag, path, "a duration >= 0", spec);
        v = (double)t;
    } else {
        if (!cJSON_IsNumber(spec) || !isfinite(spec->valuedouble))
            return bad(diag, path,
                       "a number such as 2 or a distribution such as "
                       "{\"type\": \"exponential\", \"mean\": 2}",
                       spec);
        v = spec->valuedouble;
        if (kind == SIM_DIST_SIZE && v < 0)
            return bad(diag, path, "a size >= 0", spec);
    }
    return sim_dist_new_constant(v, kind, out);
}

static edge_err parse_at(const cJSON *spec, sim_dist_kind kind, const char *path, sim_diag *diag,
                         int depth, sim_dist **out)
{
    if (!path)
        path = "";
    if (depth >= SIM_DIST_MAX_DEPTH) {
        sim_diag_set(diag, path, "expected mixtures nested at most %d deep, found deeper",
                     SIM_DIST_MAX_DEPTH);
        return EDGE_PARSE;
    }
    if (!cJSON_IsObject(spec))
        return parse_shorthand(spec, kind, path, diag, out);
    ctx c = {spec, kind, path, diag};
    const cJSON *t = field(&c, "type");
    char tp[SIM_DIAG_PATH_MAX];
    child_path(&c, "type", tp);
    dtype type = T_COUNT;
    if (cJSON_IsString(t))
        for (int i = 0; i < T_COUNT; i++)
            if (!strcmp(t->valuestring, types[i].name))
                type = (dtype)i;
    if (type == T_COUNT)
        return bad(diag, tp, "a distribution type: " TYPE_LIST, t);
    const cJSON *f;
    cJSON_ArrayForEach(f, spec)
    {
        bool known = !strcmp(f->string, "type");
        for (int i = 0; i < 5 && types[type].fields[i]; i++)
            known = known || !strcmp(f->string, types[type].fields[i]);
        if (!known) {
            char fp[SIM_DIAG_PATH_MAX];
            child_path(&c, f->string, fp);
            sim_diag_set(diag, fp, "expected a field of %s (%s), found an unknown field",
                         types[type].name, types[type].list);
            return EDGE_PARSE;
        }
    }
    sim_dist *d = calloc(1, sizeof *d);
    if (!d)
        return EDGE_NOMEM;
    d->type = type;
    d->kind = kind;
    edge_err err = parse_params(&c, d, depth);
    if (err != EDGE_OK) {
        sim_dist_destroy(d);
        return err;
    }
    *out = d;
    return EDGE_OK;
}

edge_err sim_dist_parse(const cJSON *spec, sim_dist_kind kind, const char *path, sim_diag *diag,
                        sim_dist **out)
{
    return parse_at(spec, kind, path, diag, 0, out);
}

void sim_dist_destroy(sim_dist *d)
{
    if (!d)
        return;
    if (d->comps)
        for (size_t i = 0; i < d->n; i++)
            sim_dist_destroy(d->comps[i]);
    free(d->comps);
    free(d->q);
    free(d->x);
    free(d);
}

/* ---- sampling ---- */

/* The first i with q[i] > u (q ascending, q[n-1] == 1 > u). */
static size_t upper(const double *q, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

double sim_dist_sample(const sim_dist *d, sim_rng *r)
{
    gsl_rng *g = sim_rng_gsl(r);
    switch (d->type) {
    case T_CONSTANT:
        return d->a;
    case T_UNIFORM:
        return d->a + (d->b - d->a) * sim_rng_uniform(r);
    case T_EXPONENTIAL:
        return -d->a * log(sim_rng_uniform_pos(r));
    case T_NORMAL:
        if (d->kind != SIM_DIST_NUMBER) {
            /* truncated at 0 by rejection; mean >= 0 keeps acceptance >= 1/2 */
            for (;;) {
                double x = d->a + gsl_ran_gaussian_ziggurat(g, d->b);
                if (x >= 0)
                    return x;
            }
        }
        return d->a + gsl_ran_gaussian_ziggurat(g, d->b);
    case T_LOGNORMAL:
        return exp(d->a + gsl_ran_gaussian_ziggurat(g, d->b));
    case T_GAMMA:
        return gsl_ran_gamma(g, d->a, d->b);
    case T_WEIBULL:
        return gsl_ran_weibull(g, d->b, d->a);
    case T_PARETO:
        return gsl_ran_pareto(g, d->a, d->b);
    case T_ERLANG:
        return gsl_ran_gamma(g, (double)d->k, d->b);
    case T_EMPIRICAL: {
        double u = sim_rng_uniform(r);
        size_t i = upper(d->q, d->n, u); /* q[i-1] <= u < q[i] */
        double f = (u - d->q[i - 1]) / (d->q[i] - d->q[i - 1]);
        return d->x[i - 1] + f * (d->x[i] - d->x[i - 1]);
    }
    case T_MIXTURE:
        return sim_dist_sample(d->comps[upper(d->q, d->n, sim_rng_uniform(r))], r);
    case T_COUNT:
        break;
    }
    return NAN;
}

edge_time sim_dist_sample_time(const sim_dist *d, sim_rng *r)
{
    double x = sim_dist_sample(d, r);
    if (!(x > 0))
        return 0;
    if (x >= 9.2233720368547748e18)
        return EDGE_TIME_MAX;
    /* llround(x) for 0 < x < 2^63, without the call (it was 1% of a
     * routing.json run: a draw per start): the conversion truncates, and
     * x - t, the fraction, is exact for every double (for x >= 2^52 it is
     * 0), so ties go up (away from zero) exactly as llround's do. */
    edge_time t = (edge_time)x;
    return t + (x - (double)t >= 0.5);
}

void sim_dist_prefetch(const sim_dist *d)
{
    if (!d)
        return;
    __builtin_prefetch(d);
    __builtin_prefetch((const char *)d + sizeof *d - 1);
    if (d->type == T_EMPIRICAL) {
        __builtin_prefetch(d->q);
        __builtin_prefetch(d->q + d->n - 1);
        __builtin_prefetch(d->x);
        __builtin_prefetch(d->x + d->n - 1);
    }
}

/* ---- moments ---- */

static void moments(const sim_dist *d, double *mean, double *var)
{
    double a = d->a, b = d->b;
    switch (d->type) {
    case T_CONSTANT:
        *mean = a, *var = 0;
        return;
    case T_UNIFORM:
        *mean = (a + b) / 2, *var = (b - a) * (b - a) / 12;
        return;
    case T_EXPONENTIAL:
        *mean = a, *var = a * a;
        return;
    case T_NORMAL:
        if (d->kind != SIM_DIST_NUMBER && b > 0) {
            double alpha = -a / b, lambda = gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
            *mean = a + b * lambda;
            *var = b * b * (1 + alpha * lambda - lambda * lambda);
        } else {
            *mean = a, *var = b * b;
        }
        return;
    case T_LOGNORMAL:
        *mean = exp(a + b * b / 2), *var = expm1(b * b) * exp(2 * a + b * b);
        return;
    case T_GAMMA:
        *mean = a * b, *var = a * b * b;
        return;
    case T_WEIBULL: {
        double g1 = gsl_sf_gamma(1 + 1 / a), g2 = gsl_sf_gamma(1 + 2 / a);
        *mean = b * g1, *var = b * b * (g2 - g1 * g1);
        return;
    }
    case T_PARETO:
        *mean = a > 1 ? a * b / (a - 1) : INFINITY;
        *var = a > 2 ? b * b * a / ((a - 1) * (a - 1) * (a - 2)) : INFINITY;
        return;
    case T_ERLANG:
        *mean = (double)d->k * b, *var = (double)d->k * b * b;
        return;
    case T_EMPIRICAL: { /* a mixture of uniforms on the segments */
        double m = 0, m2 = 0;
        for (size_t i = 1; i < d->n; i++) {
            double w = d->q[i] - d->q[i - 1], x0 = d->x[i - 1], x1 = d->x[i];
            m += w * (x0 + x1) / 2;
            m2 += w * (x0 * x0 + x0 * x1 + x1 * x1) / 3;
        }
        *mean = m, *var = m2 - m * m;
        return;
    }
    case T_MIXTURE: {
        double m = 0, m2 = 0, prev = 0;
        for (size_t i = 0; i < d->n; i++) {
            double w = d->q[i] - prev, cm, cv;
            prev = d->q[i];
            moments(d->comps[i], &cm, &cv);
            m += w * cm;
            m2 += w * (cv + cm * cm);
        }
        *mean = m, *var = isinf(m2) ? INFINITY : m2 - m * m;
        return;
    }
    case T_COUNT:
        break;
    }
    *mean = *var = NAN;
}

double sim_dist_mean(const sim_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return m;
}

double sim_dist_variance(const sim_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return v;
}

sim_dist_kind sim_dist_get_kind(const sim_dist *d)
{
    return d->kind;
}

bool sim_dist_is_constant(const sim_dist *d, double *value)
{
    if (d->type != T_CONSTANT)
        return false;
    *value = d->a;
    return true;
}

const char *sim_dist_type_name(const sim_dist *d)
{
    return types[d->type].name;
}

edge_err sim_rate_parse(const char *s, double *per_second)
{
    if (!s)
        return EDGE_INVAL;
    const char *slash = strchr(s, '/');
    if (!slash || slash == s || slash - s > 40)
        return EDGE_INVAL;
    char num[48], unit[48];
    memcpy(num, s, (size_t)(slash - s));
    num[slash - s] = '\0';
    /* the number: digits with at most one point, like a duration's */
    int digits = 0, points = 0;
    for (const char *p = num; *p; p++) {
        if (*p == '.')
            points++;
        else if (*p >= '0' && *p <= '9')
            digits++;
        else
            return EDGE_INVAL;
    }
    if (!digits || points > 1 || strlen(slash + 1) > 8)
        return EDGE_INVAL;
    snprintf(unit, sizeof unit, "1%s", slash + 1);
    edge_time per;
    if (edge_duration_parse(unit, &per) != EDGE_OK)
        return EDGE_INVAL;
    double n = strtod(num, NULL);
    if (!(n > 0))
        return EDGE_INVAL;
    *per_second = n * 1e9 / (double)per;
    return EDGE_OK;
}

edge_err sim_dist_new_constant(double value, sim_dist_kind kind, sim_dist **out)
{
    if (!isfinite(value) || (kind != SIM_DIST_NUMBER && value < 0))
        return EDGE_INVAL;
    sim_dist *d = calloc(1, sizeof *d);
    if (!d)
        return EDGE_NOMEM;
    d->type = T_CONSTANT;
    d->kind = kind;
    d->a = value;
    *out = d;
    return EDGE_OK;
}

edge_err sim_dist_new_empirical(const double *q, const double *x, size_t n, sim_dist_kind kind,
                                sim_dist **out)
{
    if (n < 2 || n > SIM_DIST_MAX_POINTS || q[0] != 0.0 || q[n - 1] != 1.0)
        return EDGE_INVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || (kind != SIM_DIST_NUMBER && x[i] < 0) ||
            (i > 0 && (!(q[i] > q[i - 1]) || x[i] < x[i - 1])))
            return EDGE_INVAL;
    sim_dist *d = calloc(1, sizeof *d);
    if (!d)
        return EDGE_NOMEM;
    d->type = T_EMPIRICAL;
    d->kind = kind;
    d->q = malloc(n * sizeof *d->q);
    d->x = malloc(n * sizeof *d->x);
    if (!d->q || !d->x) {
        sim_dist_destroy(d);
        return EDGE_NOMEM;
    }
    memcpy(d->q, q, n * sizeof *q);
    memcpy(d->x, x, n * sizeof *x);
    d->n = n;
    *out = d;
    return EDGE_OK;
}
