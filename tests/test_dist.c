/*
 * Pins sim/dist: for every type, the mean and variance of 10^6 draws agree
 * with the textbook values (computed here by hand, not by the module), and
 * sim_dist_mean/variance give those values; Kolmogorov-Smirnov against the
 * exact CDF for exponential, normal and Weibull; an empirical distribution
 * hits its percentile points; mixture weights are honoured; rates parse;
 * and bad specs are rejected with the exact line a user will read.
 *
 * Tolerances. With n = 10^6 independent draws, the sample mean has standard
 * error sd/sqrt(n) and the sample variance sd^2 * sqrt((kurtosis - 1)/n).
 * Each check allows 5 standard errors (a false alarm about once in 1.7
 * million checks were the draws truly random; with the fixed seeds here the
 * outcome is in fact deterministic, so the margin guards against a change of
 * seed or platform, not against flakiness). Each case states its kurtosis.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dist.h"

#define N_DRAWS 1000000

static sim_dist *parse_ok(const char *json, sim_dist_kind kind)
{
    cJSON *spec = cJSON_Parse(json);
    cr_assert_not_null(spec, "test JSON: %s", json);
    sim_diag d;
    sim_diag_clear(&d);
    sim_dist *out = NULL;
    edge_err err = sim_dist_parse(spec, kind, "x", &d, &out);
    cr_assert_eq(err, EDGE_OK, "%s: %s: %s", json, d.path, d.msg);
    cJSON_Delete(spec);
    return out;
}

typedef struct {
    const char *json;
    double mean, var; /* in seconds and s^2 for durations */
    double kurtosis;  /* bounds the variance's standard error */
} moment_case;

static void check_moments(const moment_case *c, sim_dist_kind kind, uint64_t entity)
{
    sim_dist *d = parse_ok(c->json, kind);
    double scale = kind == SIM_DIST_DURATION ? 1e9 : 1; /* draws are ns */
    double want_m = c->mean * scale, want_v = c->var * scale * scale;
    /* relative 1e-5: the cases are exact but for the normal 5 sd above 0,
     * whose truncation moves its moments by about 3e-7 */
    cr_expect(fabs(sim_dist_mean(d) - want_m) <= 1e-5 * fabs(want_m), "%s: mean() %.9g, want %.9g",
              c->json, sim_dist_mean(d), want_m);
    cr_expect(fabs(sim_dist_variance(d) - want_v) <= 1e-5 * want_v, "%s: variance() %.9g, want %.9g",
              c->json, sim_dist_variance(d), want_v);
    sim_rng r;
    sim_rng_derive(&r, 2024, "test_dist", entity);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_dist_sample(d, &r) - want_m; /* centred: no cancellation */
        sum += x;
        sum2 += x * x;
    }
    double m = sum / N_DRAWS, v = sum2 / N_DRAWS - m * m;
    double se_m = sqrt(want_v / N_DRAWS), se_v = want_v * sqrt((c->kurtosis - 1) / N_DRAWS);
    cr_expect(fabs(m) <= 5 * se_m + 1e-12 * fabs(want_m), "%s: sample mean off by %g (5 se = %g)",
              c->json, m, 5 * se_m);
    cr_expect(fabs(v - want_v) <= 5 * se_v, "%s: sample variance %g, want %g +- %g", c->json, v,
              want_v, 5 * se_v);
    sim_dist_destroy(d);
}

Test(dist, duration_draws_have_the_textbook_mean_and_variance)
{
    static const moment_case cases[] = {
        {"{\"type\":\"constant\",\"value\":\"250ms\"}", 0.25, 0, 1},
        {"{\"type\":\"uniform\",\"min\":\"1s\",\"max\":\"3s\"}", 2, 4.0 / 12, 1.8},
        {"{\"type\":\"exponential\",\"mean\":\"250ms\"}", 0.25, 0.0625, 9},
        {"{\"type\":\"exponential\",\"rate\":\"4/s\"}", 0.25, 0.0625, 9},
        /* 5 sd above 0: the truncation at 0 changes nothing measurable */
        {"{\"type\":\"normal\",\"mean\":\"1s\",\"stddev\":\"200ms\"}", 1, 0.04, 3},
        /* mean 0: truncated at 0 it is the half-normal, mean s*sqrt(2/pi),
         * variance s^2 (1 - 2/pi), kurtosis 3.87 */
        {"{\"type\":\"normal\",\"mean\":\"0s\",\"stddev\":\"1s\"}", 0.7978845608028654,
         0.3633802276324186, 3.87},
        {"{\"type\":\"lognormal\",\"mean\":\"1s\",\"stddev\":\"500ms\"}", 1, 0.25, 8.04},
        /* mu = ln(0.1 s): median 100 ms; mean 0.1 e^(sigma^2/2) */
        {"{\"type\":\"lognormal\",\"mu\":-2.302585092994046,\"sigma\":0.5}", 0.11331484530668263,
         0.003646958540123867, 8.90},
        {"{\"type\":\"gamma\",\"shape\":2,\"scale\":\"500ms\"}", 1, 0.5, 6},
        {"{\"type\":\"gamma\",\"shape\":4,\"mean\":\"2s\"}", 2, 1, 4.5},
        /* Gamma(1 + 1/1.5) = 0.90275, Gamma(1 + 2/1.5) - that^2 = 0.37569 */
        {"{\"type\":\"weibull\",\"shape\":1.5,\"scale\":\"1s\"}", 0.9027452929509336,
         0.37569028481393174, 4.39},
        /* shape 5: mean 5 x 0.1 / 4, variance 0.01 x 5 / (16 x 3), kurtosis 73.8 */
        {"{\"type\":\"pareto\",\"shape\":5,\"scale\":\"100ms\"}", 0.125, 0.01 * 5 / 48.0, 73.8},
        {"{\"type\":\"erlang\",\"k\":3,\"mean\":\"300ms\"}", 0.3, 0.03, 5},
        {"{\"type\":\"erlang\",\"k\":2,\"rate\":\"10/s\"}", 0.2, 0.02, 6},
        /* half the mass uniform on [0, 100 ms], half on [100, 300 ms] */
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"0ms\",\"p50\":\"100ms\",\"p100\":\"300ms\"}}",
         0.125, 0.007708333333333333, 1.9},
        /* 0.9 Exp(mean 100 ms) + 0.1 x 1 s: mean 0.19, E[X^2] 0.118 */
        {"{\"type\":\"mixture\",\"components\":[{\"weight\":0.9,\"dist\":{\"type\":\"exponential\","
         "\"mean\":\"100ms\"}},{\"weight\":0.1,\"dist\":{\"type\":\"constant\",\"value\":\"1s\"}}]}",
         0.19, 0.0819, 6.52},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_moments(&cases[i], SIM_DIST_DURATION, i);
}

Test(dist, number_draws_have_the_textbook_mean_and_variance)
{
    static const moment_case cases[] = {
        /* not truncated: a number may be negative */
        {"{\"type\":\"normal\",\"mean\":-3,\"stddev\":2}", -3, 4, 3},
        {"{\"type\":\"uniform\",\"min\":-1,\"max\":1}", 0, 1.0 / 3, 1.8},
        {"{\"type\":\"exponential\",\"rate\":2}", 0.5, 0.25, 9},
        {"{\"type\":\"constant\",\"value\":-7.5}", -7.5, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_moments(&cases[i], SIM_DIST_NUMBER, 100 + i);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The KS statistic of n draws of d (in seconds) against cdf. */
static double ks(sim_dist *d, double (*cdf)(double, const double *), const double *par, uint64_t ent)
{
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    sim_rng r;
    sim_rng_derive(&r, 77, "ks", ent);
    for (int i = 0; i < N; i++)
        x[i] = sim_dist_sample(d, &r) / 1e9;
    qsort(x, N, sizeof *x, cmp_double);
    double dmax = 0;
    for (int i = 0; i < N; i++) {
        double f = cdf(x[i], par);
        double lo = f - (double)i / N, hi = (double)(i + 1) / N - f;
        dmax = fmax(dmax, fmax(lo, hi));
    }
    free(x);
    return dmax;
}

static double cdf_exp(double x, const double *p) { return gsl_cdf_exponential_P(x, p[0]); }
static double cdf_norm(double x, const double *p) { return gsl_cdf_gaussian_P(x - p[0], p[1]); }
static double cdf_weib(double x, const double *p) { return gsl_cdf_weibull_P(x, p[0], p[1]); }

Test(dist, kolmogorov_smirnov_accepts_exponential_normal_and_weibull)
{
    /* critical value of D for n = 10^5 at the 0.1% level: 1.95 / sqrt(n) */
    const double crit = 1.95 / sqrt(100000.0);
    sim_dist *e = parse_ok("{\"type\":\"exponential\",\"mean\":\"2s\"}", SIM_DIST_DURATION);
    sim_dist *n = parse_ok("{\"type\":\"normal\",\"mean\":\"10s\",\"stddev\":\"1s\"}", SIM_DIST_DURATION);
    sim_dist *w = parse_ok("{\"type\":\"weibull\",\"shape\":0.7,\"scale\":\"3s\"}", SIM_DIST_DURATION);
    double pe[] = {2}, pn[] = {10, 1}, pw[] = {3, 0.7};
    cr_expect_lt(ks(e, cdf_exp, pe, 1), crit);
    cr_expect_lt(ks(n, cdf_norm, pn, 2), crit);
    cr_expect_lt(ks(w, cdf_weib, pw, 3), crit);
    /* and the test has teeth: a wrong mean is caught */
    double wrong[] = {2.1};
    cr_expect_gt(ks(e, cdf_exp, wrong, 1), crit);
    sim_dist_destroy(e);
    sim_dist_destroy(n);
    sim_dist_destroy(w);
}

Test(dist, empirical_cdf_hits_its_percentile_points)
{
    /* the Azure Functions trace form */
    sim_dist *d = parse_ok("{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"1ms\",\"p1\":\"2ms\","
                           "\"p25\":\"10ms\",\"p50\":\"20ms\",\"p75\":\"50ms\",\"p99\":\"500ms\","
                           "\"p100\":\"2s\"}}",
                           SIM_DIST_DURATION);
    static const double q[] = {0.01, 0.25, 0.5, 0.75, 0.99};
    static const double v[] = {2e6, 10e6, 20e6, 50e6, 500e6};
    size_t below[5] = {0};
    sim_rng r;
    sim_rng_derive(&r, 3, "empirical", 0);
    edge_time lo = EDGE_TIME_MAX, hi = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        edge_time t = sim_dist_sample_time(d, &r);
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
        for (int k = 0; k < 5; k++)
            below[k] += (double)t <= v[k];
    }
    for (int k = 0; k < 5; k++) {
        double f = (double)below[k] / N_DRAWS, se = sqrt(q[k] * (1 - q[k]) / N_DRAWS);
        cr_expect(fabs(f - q[k]) <= 5 * se, "P(X <= %g) = %g, want %g", v[k], f, q[k]);
    }
    cr_expect_geq(lo, 1000000);
    cr_expect_leq(hi, 2000000000);
    /* general points, unsorted in the file, decimals allowed */
    sim_dist *g = parse_ok("{\"type\":\"empirical\",\"percentiles\":{\"p100\":10,\"p0\":0,"
                           "\"p99.9\":9}}",
                           SIM_DIST_NUMBER);
    cr_expect(fabs(sim_dist_mean(g) - (0.999 * 4.5 + 0.001 * 9.5)) < 1e-12);
    sim_dist_destroy(g);
    sim_dist_destroy(d);
}

Test(dist, mixture_weights_are_honoured)
{
    sim_dist *d = parse_ok("{\"type\":\"mixture\",\"components\":["
                           "{\"weight\":3,\"dist\":{\"type\":\"constant\",\"value\":\"1s\"}},"
                           "{\"weight\":1,\"dist\":{\"type\":\"constant\",\"value\":\"2s\"}}]}",
                           SIM_DIST_DURATION);
    sim_rng r;
    sim_rng_derive(&r, 4, "mixture", 0);
    size_t ones = 0;
    for (int i = 0; i < N_DRAWS; i++)
        ones += sim_dist_sample_time(d, &r) == EDGE_S;
    /* binomial: sd sqrt(0.75 x 0.25 / n) = 0.00043; 5 sd = 0.0022 */
    cr_expect(fabs((double)ones / N_DRAWS - 0.75) < 0.0022, "%zu of %d", ones, N_DRAWS);
    cr_expect_str_eq(sim_dist_type_name(d), "mixture");
    cr_expect_eq(sim_dist_get_kind(d), SIM_DIST_DURATION);
    sim_dist_destroy(d);
    sim_dist_destroy(NULL);
}

Test(dist, pareto_moments_that_do_not_exist_are_infinite)
{
    sim_dist *d = parse_ok("{\"type\":\"pareto\",\"shape\":1.5,\"scale\":\"1s\"}", SIM_DIST_DURATION);
    cr_expect_eq(sim_dist_mean(d), 3e9);
    cr_expect(isinf(sim_dist_variance(d)));
    sim_dist_destroy(d);
}

Test(dist, rates_parse_with_units_and_bare_numbers_do_not)
{
    double r;
    cr_assert_eq(sim_rate_parse("4/s", &r), EDGE_OK);
    cr_expect_eq(r, 4);
    cr_assert_eq(sim_rate_parse("120/m", &r), EDGE_OK);
    cr_expect_eq(r, 2);
    cr_assert_eq(sim_rate_parse("0.5/ms", &r), EDGE_OK);
    cr_expect_eq(r, 500);
    cr_assert_eq(sim_rate_parse("36/h", &r), EDGE_OK);
    cr_expect(fabs(r - 0.01) < 1e-15);
    const char *bad[] = {"4", "/s", "4/", "4/sec", "-4/s", "0/s", "1e3/s", "4 /s", "4/S", "./s", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(sim_rate_parse(bad[i], &r), EDGE_INVAL, "'%s'", bad[i]);
    cr_expect_eq(sim_rate_parse(NULL, &r), EDGE_INVAL);
}

typedef struct {
    const char *json;
    sim_dist_kind kind;
    const char *line; /* what sim_diag_format prints */
} bad_case;

/* A size is a number that is never negative: the same specs as a number's
 * where they allow only values >= 0 (bad_specs: the refusals), and a normal
 * truncated at 0 as a duration's is, with the truncated moments; the
 * builders refuse a negative size too. */
Test(dist, sizes_are_numbers_that_are_never_negative)
{
    sim_dist *d = parse_ok("{\"type\":\"normal\",\"mean\":1,\"stddev\":2}", SIM_DIST_SIZE);
    sim_rng r;
    sim_rng_derive(&r, 2024, "test_dist_size", 0);
    double sum = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_dist_sample(d, &r);
        cr_assert(x >= 0, "draw %d is %g", i, x);
        sum += x;
    }
    /* N(1, 4) truncated at 0: alpha = -1/2, lambda = phi(alpha) / Q(alpha),
     * mean = 1 + 2 lambda = 2.0995; the draws' sd is about 1.4 */
    double alpha = -0.5, lambda = exp(-alpha * alpha / 2) / sqrt(2 * M_PI) / gsl_cdf_ugaussian_Q(alpha);
    double want = 1 + 2 * lambda;
    cr_expect(fabs(sim_dist_mean(d) - want) < 1e-9, "mean() %g, want %g", sim_dist_mean(d), want);
    cr_expect(fabs(sum / N_DRAWS - want) < 5 * 1.5 / sqrt(N_DRAWS), "sample mean %g, want %g",
              sum / N_DRAWS, want);
    sim_dist_destroy(d);
    /* the same spec as a plain number keeps its negative draws */
    d = parse_ok("{\"type\":\"normal\",\"mean\":1,\"stddev\":2}", SIM_DIST_NUMBER);
    cr_expect_float_eq(sim_dist_mean(d), 1.0, 1e-12);
    sim_dist_destroy(d);
    sim_dist *c = NULL;
    cr_expect_eq(sim_dist_new_constant(-1, SIM_DIST_SIZE, &c), EDGE_INVAL);
    cr_expect_eq(sim_dist_new_constant(0, SIM_DIST_SIZE, &c), EDGE_OK);
    sim_dist_destroy(c);
    const double q[2] = {0, 1}, x[2] = {-1, 5};
    cr_expect_eq(sim_dist_new_empirical(q, x, 2, SIM_DIST_SIZE, &c), EDGE_INVAL);
}

Test(dist, bad_specs_are_rejected_with_the_exact_message)
{
    static const bad_case cases[] = {
        {"{\"type\":\"exponential\",\"mean\":250}", SIM_DIST_DURATION,
         "x.mean: expected a duration with a unit, such as \"250ms\", found 250"},
        {"{\"type\":\"exponential\",\"mean\":\"250 ms\"}", SIM_DIST_DURATION,
         "x.mean: expected a duration with a unit, such as \"250ms\", found \"250 ms\" (did you mean \"250ms\"?)"},
        {"{\"type\":\"exponential\",\"mean\":\"250ms\",\"rate\":\"4/s\"}", SIM_DIST_DURATION,
         "x: expected exactly one of mean or rate, found both"},
        {"{\"type\":\"exponential\"}", SIM_DIST_DURATION,
         "x: expected exactly one of mean or rate, found neither"},
        {"{\"type\":\"exponential\",\"rate\":4}", SIM_DIST_DURATION,
         "x.rate: expected a rate with a unit, such as \"4/s\", found 4"},
        {"{\"type\":\"exponential\",\"mean\":\"0s\"}", SIM_DIST_DURATION,
         "x.mean: expected a duration > 0, found \"0s\""},
        {"{\"type\":\"exponential\",\"maen\":\"1s\"}", SIM_DIST_DURATION,
         "x.maen: expected a field of exponential (type, mean, rate), found an unknown field"},
        {"{\"type\":\"expo\",\"mean\":\"1s\"}", SIM_DIST_DURATION,
         "x.type: expected a distribution type: one of constant, uniform, exponential, normal, "
         "lognormal, gamma, weibull, pareto, erlang, empirical, mixture, found \"expo\""},
        {"{\"mean\":\"1s\"}", SIM_DIST_DURATION,
         "x.type: expected a distribution type: one of constant, uniform, exponential, normal, "
         "lognormal, gamma, weibull, pareto, erlang, empirical, mixture, found nothing"},
        {"5", SIM_DIST_DURATION,
         "x: expected a duration such as \"250ms\" or a distribution such as "
         "{\"type\": \"exponential\", \"mean\": \"250ms\"}, found 5"},
        {"\"250 ms\"", SIM_DIST_DURATION,
         "x: expected a duration such as \"250ms\" or a distribution such as "
         "{\"type\": \"exponential\", \"mean\": \"250ms\"}, found \"250 ms\" (did you mean \"250ms\"?)"},
        {"\"-1s\"", SIM_DIST_DURATION, "x: expected a duration >= 0, found \"-1s\""},
        /* past int64 nanoseconds: out of range, not malformed (as the scenario says it) */
        {"\"99999999999d\"", SIM_DIST_DURATION,
         "x: expected a duration below 292 years, found \"99999999999d\""},
        {"{\"type\":\"exponential\",\"mean\":\"300y\"}", SIM_DIST_DURATION,
         "x.mean: expected a duration with a unit, such as \"250ms\", found \"300y\""},
        {"{\"type\":\"exponential\",\"mean\":\"106752d\"}", SIM_DIST_DURATION,
         "x.mean: expected a duration below 292 years, found \"106752d\""},
        {"[]", SIM_DIST_DURATION,
         "x: expected a duration such as \"250ms\" or a distribution such as "
         "{\"type\": \"exponential\", \"mean\": \"250ms\"}, found an array"},
        /* sizes: numbers, never negative, wherever a value sits */
        {"-5", SIM_DIST_SIZE, "x: expected a size >= 0, found -5"},
        {"{\"type\":\"constant\",\"value\":-5}", SIM_DIST_SIZE,
         "x.value: expected a size >= 0, found -5"},
        {"{\"type\":\"uniform\",\"min\":-10,\"max\":-1}", SIM_DIST_SIZE,
         "x.min: expected a size >= 0, found -10"},
        {"{\"type\":\"normal\",\"mean\":-1,\"stddev\":1}", SIM_DIST_SIZE,
         "x.mean: expected a size >= 0, found -1"},
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":-1,\"p100\":5}}", SIM_DIST_SIZE,
         "x.percentiles.p0: expected a size >= 0, found -1"},
        {"{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":{\"type\":\"constant\",\"value\":-2}}]}",
         SIM_DIST_SIZE, "x.components[0].dist.value: expected a size >= 0, found -2"},
        {"\"2\"", SIM_DIST_NUMBER,
         "x: expected a number such as 2 or a distribution such as "
         "{\"type\": \"exponential\", \"mean\": 2}, found \"2\""},
        {"1e400", SIM_DIST_NUMBER,
         "x: expected a number such as 2 or a distribution such as "
         "{\"type\": \"exponential\", \"mean\": 2}, found 1e999"},
        {"{\"type\":\"uniform\",\"min\":\"2s\",\"max\":\"1s\"}", SIM_DIST_DURATION,
         "x.max: expected a value >= min, found \"1s\""},
        {"{\"type\":\"normal\",\"mean\":\"-1s\",\"stddev\":\"1s\"}", SIM_DIST_DURATION,
         "x.mean: expected a duration >= 0, found \"-1s\""},
        {"{\"type\":\"normal\",\"mean\":0,\"stddev\":-1}", SIM_DIST_NUMBER,
         "x.stddev: expected a number >= 0, found -1"},
        {"{\"type\":\"lognormal\",\"mu\":0,\"sigma\":1,\"mean\":\"1s\"}", SIM_DIST_DURATION,
         "x: expected either mu and sigma or mean and stddev, found both"},
        {"{\"type\":\"gamma\",\"shape\":-1,\"scale\":\"1s\"}", SIM_DIST_DURATION,
         "x.shape: expected a number > 0, found -1"},
        {"{\"type\":\"gamma\",\"shape\":\"2\",\"scale\":\"1s\"}", SIM_DIST_DURATION,
         "x.shape: expected a number, found \"2\""},
        {"{\"type\":\"erlang\",\"k\":2.5,\"mean\":\"1s\"}", SIM_DIST_DURATION,
         "x.k: expected a whole number from 1 to 1000000, found 2.5"},
        {"{\"type\":\"constant\",\"value\":\"5ms\"}", SIM_DIST_NUMBER,
         "x.value: expected a number, found \"5ms\""},
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"1ms\",\"p50\":\"5ms\"}}", SIM_DIST_DURATION,
         "x.percentiles: expected points that include p0 and p100, found p100 missing"},
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"1ms\",\"p50\":\"5ms\",\"p100\":\"3ms\"}}",
         SIM_DIST_DURATION,
         "x.percentiles.p100: expected values that do not decrease as the percentile grows, "
         "found one below p50's"},
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"1ms\",\"q50\":\"5ms\",\"p100\":\"3s\"}}",
         SIM_DIST_DURATION,
         "x.percentiles.q50: expected a percentile key from \"p0\" to \"p100\", found \"q50\""},
        {"{\"type\":\"empirical\",\"percentiles\":{\"p0\":\"1ms\",\"p101\":\"5ms\"}}", SIM_DIST_DURATION,
         "x.percentiles.p101: expected a percentile key from \"p0\" to \"p100\", found \"p101\""},
        {"{\"type\":\"mixture\",\"components\":[{\"weight\":0,\"dist\":{\"type\":\"constant\","
         "\"value\":\"1s\"}}]}",
         SIM_DIST_DURATION, "x.components[0].weight: expected a weight > 0, found 0"},
        {"{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":{\"type\":\"constant\","
         "\"value\":\"1s\"}},{\"weight\":1,\"dist\":{\"type\":\"constant\",\"value\":1}}]}",
         SIM_DIST_DURATION,
         "x.components[1].dist.value: expected a duration with a unit, such as \"250ms\", found 1"},
        {"{\"type\":\"mixture\",\"components\":[]}", SIM_DIST_DURATION,
         "x.components: expected a non-empty array of {\"weight\": w, \"dist\": {...}}, found an "
         "array"},
        {"{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":{\"type\":\"constant\","
         "\"value\":\"1s\"},\"wieght\":2}]}",
         SIM_DIST_DURATION,
         "x.components[0].wieght: expected a field of a mixture component (weight, dist), found an "
         "unknown field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *spec = cJSON_Parse(cases[i].json);
        cr_assert_not_null(spec, "test JSON %zu", i);
        sim_diag d;
        sim_diag_clear(&d);
        sim_dist *out = NULL;
        cr_expect_eq(sim_dist_parse(spec, cases[i].kind, "x", &d, &out), EDGE_PARSE, "%s",
                     cases[i].json);
        cr_expect_null(out);
        char line[SIM_DIAG_MSG_MAX + SIM_DIAG_PATH_MAX + 16];
        sim_diag_format(&d, line, sizeof line);
        cr_expect_str_eq(line, cases[i].line);
        cJSON_Delete(spec);
    }
}

Test(dist, mixtures_nest_only_so_deep)
{
    /* depth 8 is refused, 7 is fine */
    char json[4096] = "";
    for (int depth = 7; depth <= 8; depth++) {
        json[0] = '\0';
        for (int i = 0; i < depth; i++)
            strcat(json, "{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":");
        strcat(json, "{\"type\":\"constant\",\"value\":\"1s\"}");
        for (int i = 0; i < depth; i++)
            strcat(json, "}]}");
        cJSON *spec = cJSON_Parse(json);
        cr_assert_not_null(spec);
        sim_diag d;
        sim_diag_clear(&d);
        sim_dist *out = NULL;
        edge_err err = sim_dist_parse(spec, SIM_DIST_DURATION, "", &d, &out);
        if (depth == 7) {
            cr_expect_eq(err, EDGE_OK, "%s", d.msg);
            sim_rng r;
            sim_rng_derive(&r, 1, "deep", 0);
            cr_expect_eq(sim_dist_sample_time(out, &r), EDGE_S);
        } else {
            cr_expect_eq(err, EDGE_PARSE);
            cr_expect_str_eq(d.msg, "expected mixtures nested at most 8 deep, found deeper");
        }
        sim_dist_destroy(out);
        cJSON_Delete(spec);
    }
}

/* sim_dist_sample_time rounds as llround does (to nearest, ties away from
 * zero) without calling it: at the ties, just below them, past 2^52 (where
 * every double is whole) and for a million draws of a continuous duration. */
Test(dist, sample_time_rounds_to_nearest_with_ties_up_like_llround)
{
    static const double v[] = {0.5, 1.5, 2.5, 0.49999999999999994, 1.4999999999999998,
                               2.5000000000000004, 4503599627370495.5, 4503599627370497.0,
                               9007199254740993.0, 1e18 + 1.0, 9.2233720368547738e18, 123.456};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char json[96];
        snprintf(json, sizeof json, "{\"type\":\"constant\",\"value\":%.17g}", v[i]);
        sim_dist *d = parse_ok(json, SIM_DIST_NUMBER);
        sim_rng r;
        sim_rng_derive(&r, 1, "round", 0);
        cr_expect_eq(sim_dist_sample_time(d, &r), (edge_time)llround(v[i]), "%.17g", v[i]);
        sim_dist_destroy(d);
    }
    sim_dist *u = parse_ok("{\"type\":\"uniform\",\"min\":0,\"max\":20}", SIM_DIST_NUMBER);
    sim_rng a, b;
    sim_rng_derive(&a, 7, "round", 1);
    sim_rng_derive(&b, 7, "round", 1);
    size_t bad = 0;
    for (int i = 0; i < N_DRAWS; i++)
        bad += sim_dist_sample_time(u, &a) != (edge_time)llround(sim_dist_sample(u, &b));
    cr_expect_eq(bad, 0, "%zu of %d draws rounded differently", bad, N_DRAWS);
    sim_dist_destroy(u);
}

Test(dist, a_value_alone_is_the_constant_of_that_value)
{
    struct {
        const char *alone, *object;
        sim_dist_kind kind;
        double value;
    } cases[] = {
        {"\"250ms\"", "{\"type\":\"constant\",\"value\":\"250ms\"}", SIM_DIST_DURATION, 250e6},
        {"\"0s\"", "{\"type\":\"constant\",\"value\":\"0s\"}", SIM_DIST_DURATION, 0},
        {"\"1.5h\"", "{\"type\":\"constant\",\"value\":\"1.5h\"}", SIM_DIST_DURATION, 5400e9},
        {"64", "{\"type\":\"constant\",\"value\":64}", SIM_DIST_NUMBER, 64},
        {"-2.5", "{\"type\":\"constant\",\"value\":-2.5}", SIM_DIST_NUMBER, -2.5},
    };
    sim_rng *r = sim_rng_create(1, "test", 2);
    cr_assert_not_null(r);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_dist *a = parse_ok(cases[i].alone, cases[i].kind);
        sim_dist *o = parse_ok(cases[i].object, cases[i].kind);
        double va = -1, vo = -2;
        cr_assert(sim_dist_is_constant(a, &va), "%s", cases[i].alone);
        cr_assert(sim_dist_is_constant(o, &vo));
        cr_expect_eq(va, cases[i].value, "%s", cases[i].alone);
        cr_expect_eq(va, vo, "%s", cases[i].alone);
        cr_expect_eq(sim_dist_get_kind(a), cases[i].kind);
        cr_expect_eq(sim_dist_sample(a, r), cases[i].value);
        cr_expect_eq(sim_dist_mean(a), sim_dist_mean(o));
        sim_dist_destroy(a);
        sim_dist_destroy(o);
    }
    /* inside a mixture too: a component's dist may be a value alone */
    sim_dist *m = parse_ok("{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":\"1s\"},"
                           "{\"weight\":3,\"dist\":\"3s\"}]}",
                           SIM_DIST_DURATION);
    cr_expect_float_eq(sim_dist_mean(m), 2.5e9, 1e-6);
    sim_dist_destroy(m);
    sim_rng_destroy(r);
}

Test(dist, only_a_constant_says_it_is_one)
{
    double v = -1;
    sim_dist *c = parse_ok("{\"type\":\"constant\",\"value\":\"250ms\"}", SIM_DIST_DURATION);
    cr_assert(sim_dist_is_constant(c, &v));
    cr_assert_eq(v, 250e6);
    sim_dist_destroy(c);
    /* a spread of 0 is still drawn (it reads a random number): not constant */
    const char *varying[] = {"{\"type\":\"uniform\",\"min\":\"1s\",\"max\":\"1s\"}",
                             "{\"type\":\"exponential\",\"mean\":\"1s\"}",
                             "{\"type\":\"mixture\",\"components\":[{\"weight\":1,\"dist\":"
                             "{\"type\":\"constant\",\"value\":\"1s\"}}]}"};
    for (size_t i = 0; i < sizeof varying / sizeof *varying; i++) {
        sim_dist *d = parse_ok(varying[i], SIM_DIST_DURATION);
        v = -1;
        cr_assert_not(sim_dist_is_constant(d, &v), "%s", varying[i]);
        cr_assert_eq(v, -1, "value left alone");
        sim_dist_destroy(d);
    }
}
