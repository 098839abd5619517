/* Pins whole runs against closed-form results of queueing and reliability
 * theory: M/M/1 and M/M/c mean response time (Erlang C), the M/D/1 and M/G/1
 * mean wait (Pollaczek-Khinchine), an M/M/1/K node's blocking and response
 * time, a node with no queue
 * as an Erlang B loss system, the cold-start probability of one instance
 * under a fixed keep-alive, availability under exponential failure and
 * repair, Little's law, a two-step workflow as a tandem of M/M/1
 * queues (Jackson; Reich for its quantiles), and routing: random routing
 * as independent M/M/1 queues (Poisson thinning), round robin as E_k/M/1
 * (GI/M/1). Each scenario is built so the model holds
 * exactly (no cold-start delay, no network latency, a queue that never
 * fills); each tolerance is several standard errors of the estimate, worked
 * out beside it, so a failure means the simulator is wrong, not unlucky. */
#include <math.h>

#include "support.h"

/* Under the sanitizers (make asan sets EDGESIM_SANITIZED) these runs of a
 * million invocations each would take ten times as long to check numbers the
 * plain build checks, on code paths the other tests take under the
 * sanitizers too: they are skipped there. */
static void skip_when_sanitized(void)
{
    if (getenv("EDGESIM_SANITIZED"))
        cr_skip_test("closed forms are checked by the plain build (make test)");
}

/* Runs text and returns summary.json; its folder goes at once. */
static cJSON *run_text(const char *text)
{
    skip_when_sanitized();
    cJSON *j = run_into_tmp("/tmp/edgesim-queueing-XXXXXX", text, NULL, 0, 0);
    cleanup();
    return j;
}

static double num(const cJSON *j, const char *a, const char *b)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        o = cJSON_GetObjectItemCaseSensitive(o, b);
    cr_assert(cJSON_IsNumber(o), "%s.%s is a number", a, b ? b : "");
    return o->valuedouble;
}

/* One node in one region, no network latency, instant cold starts. */
#define SINGLE_NODE(cores, queue, extra_fn, workload, policies, duration)                         \
    "{\"name\": \"q\", \"seed\": 7, \"duration\": \"" duration "\","                             \
    "\"regions\": [{\"id\": \"r\"}],"                                                              \
    "\"network\": {\"same_region\": \"0s\"},"                                                      \
    "\"nodes\": [{\"id\": \"n\", \"region\": \"r\", \"cores\": " #cores ","                       \
    "  \"queue_limit\": " #queue ", \"memory_mb\": 65536}],"                                       \
    "\"functions\": [{\"id\": \"f\", \"memory_mb\": 128, \"timeout\": \"1h\","                     \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"}, " extra_fn "}],"               \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [" workload "]," policies "}"

Test(queueing, mm1_mean_response_time_is_one_over_mu_minus_lambda, .timeout = 120)
{
    /* lambda 5/s, mu 10/s: W = 1 / (10 - 5) = 0.2 s. About 1e6 customers;
     * the sojourn times are correlated over roughly ten customers at rho
     * 0.5, so the standard error of the mean is about 0.2 * sqrt(20 / 1e6)
     * = 0.45%: 2% is over four standard errors. */
    cJSON *j = run_text(SINGLE_NODE(1, 10000000, "\"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 5}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "200000s"));
    double w = num(j, "latency_s", "mean");
    cr_expect(fabs(w - 0.2) / 0.2 < 0.02, "W = %g, expected 0.2", w);
    cr_expect_eq(num(j, "totals", "rejected"), 0);
    /* The queueing measures of the same run: Wq = rho / (mu - lambda) = 0.1 s
     * (twice the relative error of W: 4%), P(wait) = rho = 0.5 (PASTA; the
     * indicator is correlated over about as many customers as the sojourn
     * time, so 2% is again several standard errors), mean service 1 / mu
     * (1e6 independent draws: 0.1% is 1 standard error x 1, so 0.5%), and
     * the busy instance count is the utilisation rho. */
    double wq = num(j, "queueing", "wait_mean_s"), pw = num(j, "queueing", "p_wait");
    cr_expect(fabs(wq - 0.1) / 0.1 < 0.04, "Wq = %g, expected 0.1", wq);
    cr_expect(fabs(pw - 0.5) / 0.5 < 0.02, "P(wait) = %g, expected 0.5", pw);
    cr_expect(fabs(num(j, "queueing", "service_mean_s") - 0.1) / 0.1 < 0.005);
    double u = num(j, "instances", "busy_mean");
    cr_expect(fabs(u - 0.5) / 0.5 < 0.01, "busy instances = %g, expected 0.5", u);
    cr_expect_float_eq(num(j, "instances", "mean"), 1.0, 1e-4, "one instance, kept for a day");
    cJSON_Delete(j);
}

Test(queueing, batch_means_interval_covers_the_mm1_mean_in_most_seeded_runs, .timeout = 120)
{
    /* lambda 5/s, mu 10/s, W = 0.2 s. 30 runs (seeds 1..30) of 20,000 s
     * after a 100 s warm-up (about 100,000 customers each): 30 batches of
     * 663 s hold about 3,300 customers, far longer than the correlation time
     * at rho 0.5 (about ten customers), so each 95% interval should cover W
     * with probability close to 0.95. At least 27 of 30 (90%) must (the
     * seeds are fixed: the count is deterministic); a biased or too narrow
     * interval fails that, a too wide one the bound on its width below. */
    skip_when_sanitized();
    int covered = 0;
    double hw_sum = 0;
    for (int seed = 1; seed <= 30; seed++) {
        char set[32];
        snprintf(set, sizeof set, "seed=%d", seed);
        const char *sets[] = {set};
        cJSON *j = run_into_tmp("/tmp/edgesim-queueing-XXXXXX",
                                SINGLE_NODE(1, 10000000,
                                            "\"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}",
                                            "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 5}",
                                            "\"warmup\": \"100s\", \"policies\": {\"keepalive_ttl\": \"1d\"}",
                                            "20100s"),
                                sets, 1, 0);
        cleanup();
        const cJSON *iv = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(j, "steady_state"), "latency_mean_s");
        cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(iv, "valid")));
        cr_expect_eq(num(iv, "batches", NULL), 30);
        double lo = num(iv, "lo", NULL), hi = num(iv, "hi", NULL);
        covered += lo <= 0.2 && 0.2 <= hi;
        hw_sum += num(iv, "half_width", NULL);
        cJSON_Delete(j);
    }
    cr_expect_geq(covered, 27, "%d of 30 intervals cover W = 0.2 s", covered);
    cr_log_info("%d of 30 intervals cover W; mean half width %g s", covered, hw_sum / 30);
    /* Not covering by being wide: sd of a batch mean ~ 0.2 * sqrt(20 / 3300),
     * t(0.975, 29) = 2.045, half width ~ 2.045 * 0.0156 / sqrt(30) = 0.0058 s
     * (0.0037 s measured): twice that is far too wide. */
    cr_expect_lt(hw_sum / 30, 0.012, "mean half width %g s", hw_sum / 30);
}

Test(queueing, mmc_mean_response_time_follows_erlang_c, .timeout = 120)
{
    /* c = 4, lambda 30/s, mu 10/s, a = 3: Erlang C = 13.5 / 26.5 = 0.50943,
     * W = C / (c mu - lambda) + 1 / mu = 0.150943 s. About 1e6 customers;
     * 2% is several standard errors as above. */
    cJSON *j = run_text(SINGLE_NODE(4, 10000000, "\"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 30}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "33333s"));
    double c = 13.5 / 26.5, want = c / (40.0 - 30.0) + 0.1;
    double w = num(j, "latency_s", "mean");
    cr_expect(fabs(w - want) / want < 0.02, "W = %g, expected %g", w, want);
    cJSON_Delete(j);
}

/* The Pollaczek-Khinchine mean wait of an M/G/1 queue: Wq = lambda E[S^2] /
 * (2 (1 - rho)), from the service law's first two moments alone. */
static double pk_wait(double lambda, double es, double es2)
{
    return lambda * es2 / (2.0 * (1.0 - lambda * es));
}

Test(queueing, md1_mean_wait_follows_pollaczek_khinchine, .timeout = 120)
{
    /* lambda 5/s, a constant 100 ms service (rho 0.5): Wq = 5 x 0.01 / 1 =
     * 0.05 s, W = 0.15 s, half the M/M/1 wait at the same load. About 5e5
     * customers; waits are correlated over fewer customers than in M/M/1,
     * so the standard error of Wq is under 1%: 4% is several of them. */
    cJSON *j = run_text(SINGLE_NODE(1, 10000000, "\"exec_time\": {\"type\": \"constant\", \"value\": \"100ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 5}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "100000s"));
    double wq_want = pk_wait(5, 0.1, 0.01);
    double wq = num(j, "queueing", "wait_mean_s"), w = num(j, "latency_s", "mean");
    cr_expect(fabs(wq - wq_want) / wq_want < 0.04, "Wq = %g, expected %g", wq, wq_want);
    cr_expect(fabs(w - (wq_want + 0.1)) / (wq_want + 0.1) < 0.015, "W = %g, expected %g", w,
              wq_want + 0.1);
    cr_expect_float_eq(num(j, "queueing", "service_mean_s"), 0.1, 1e-9, "the service is fixed");
    cJSON_Delete(j);
}

Test(queueing, mg1_with_uniform_service_follows_pollaczek_khinchine, .timeout = 120)
{
    /* lambda 5/s, service uniform on [0, 200 ms]: E[S] = 0.1, E[S^2] = 0.04 /
     * 3, Wq = 5 x 0.013333 / 1 = 0.066667 s, between M/D/1 (0.05) and M/M/1
     * (0.1), as the service's variance is. 5e5 customers as above. */
    cJSON *j = run_text(SINGLE_NODE(1, 10000000, "\"exec_time\": {\"type\": \"uniform\", \"min\": \"0s\", \"max\": \"200ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 5}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "100000s"));
    double wq_want = pk_wait(5, 0.1, 0.04 / 3.0);
    double wq = num(j, "queueing", "wait_mean_s");
    cr_expect(fabs(wq - wq_want) / wq_want < 0.04, "Wq = %g, expected %g", wq, wq_want);
    double es = num(j, "queueing", "service_mean_s");
    cr_expect(fabs(es - 0.1) / 0.1 < 0.005, "E[S] = %g, expected 0.1", es);
    cJSON_Delete(j);
}

Test(queueing, a_finite_queue_blocks_and_waits_as_mm1k, .timeout = 120)
{
    /* One slot and queue_limit 4: K = 5 in the system. lambda 8/s, mu 10/s
     * (rho 0.8): P(block) = (1 - rho) rho^K / (1 - rho^(K+1)) = 0.088818;
     * L = rho / (1 - rho) - (K + 1) rho^(K+1) / (1 - rho^(K+1)) = 1.868350,
     * W = L / (lambda (1 - P(block))) = 0.256312 s (Little's law over the
     * admitted). 4e5 arrivals: the blocked fraction's standard error is
     * about sqrt(0.09 x 0.91 / 4e5) = 0.00045, 0.5%, a few times that for
     * correlation: 5% is several; W's is under 1%: 3%. */
    cJSON *j = run_text(SINGLE_NODE(1, 4, "\"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 8}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "50000s"));
    double rho = 0.8, k = 5, rk = pow(rho, k), rk1 = rk * rho;
    double pb = (1 - rho) * rk / (1 - rk1);
    double l = rho / (1 - rho) - (k + 1) * rk1 / (1 - rk1);
    double w_want = l / (8.0 * (1 - pb));
    double blocked = num(j, "outcomes", "queue_full") / num(j, "totals", "arrivals");
    cr_expect(fabs(blocked - pb) / pb < 0.05, "blocked %g, expected %g", blocked, pb);
    double w = num(j, "latency_s", "mean");
    cr_expect(fabs(w - w_want) / w_want < 0.03, "W = %g, expected %g", w, w_want);
    cJSON_Delete(j);
}

Test(queueing, a_node_without_a_queue_loses_calls_as_erlang_b, .timeout = 120)
{
    /* c = 4 slots, no queue, a = 3 Erlangs: B(4, 3) = 3.375 / 16.375 =
     * 0.206107. The loss fraction over 1e6 calls has a standard error of
     * about sqrt(0.2 * 0.8 / 1e6) = 0.0004 (0.2%, doubled for correlation):
     * 2% is many standard errors. */
    cJSON *j = run_text(SINGLE_NODE(4, 0, "\"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 30}",
                                    "\"policies\": {\"keepalive_ttl\": \"1d\"}", "33333s"));
    double b = 3.375 / 16.375;
    double lost = num(j, "outcomes", "queue_full") / num(j, "totals", "arrivals");
    cr_expect(fabs(lost - b) / b < 0.02, "loss %g, expected %g", lost, b);
    cJSON_Delete(j);
}

Test(queueing, one_instance_under_fixed_keepalive_is_cold_with_probability_exp_minus_lambda_ttl,
     .timeout = 120)
{
    /* Poisson arrivals at 1 per 100 s, a 1 ms execution, a 60 s keep-alive:
     * an arrival is cold iff the gap since the last one exceeds 60.001 s,
     * probability exp(-0.6) = 0.5488. Over 1e5 arrivals the standard error
     * is sqrt(0.25 / 1e5) = 0.0016 (0.3%): 3% is ten of them. */
    cJSON *j = run_text(SINGLE_NODE(1, 1000, "\"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}",
                                    "{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 0.01}",
                                    "\"policies\": {\"keepalive_ttl\": \"60s\"}", "10000000s"));
    double want = exp(-0.01 * 60.001);
    double cold = num(j, "rates", "cold_start_rate");
    cr_expect(fabs(cold - want) / want < 0.03, "cold rate %g, expected %g", cold, want);
    cJSON_Delete(j);
}

Test(queueing, availability_under_exponential_failure_and_repair_is_mttf_over_mttf_plus_mttr,
     .timeout = 120)
{
    /* 10 nodes, MTTF 900 s, MTTR 100 s: A = 0.9. Each node makes about
     * 1,000 cycles in 1e6 s; the estimate's standard error is about
     * 0.1 * sqrt(2 / 10000) = 0.0014 (0.16% of A): 1% is six of them. */
    static const char text[] =
        "{\"name\": \"a\", \"seed\": 3, \"duration\": \"1000000s\","
        "\"regions\": [{\"id\": \"r\"}],"
        "\"nodes\": [{\"id\": \"n{i}\", \"count\": 10, \"region\": \"r\", \"heartbeat_interval\": \"60s\"}],"
        "\"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"}}],"
        "\"faults\": [{\"kind\": \"random_failures\", \"nodes\": [\"*\"],"
        "  \"ttf\": {\"type\": \"exponential\", \"mean\": \"900s\"},"
        "  \"ttr\": {\"type\": \"exponential\", \"mean\": \"100s\"}}],"
        "\"policies\": {\"check_interval\": \"60s\"}}";
    cJSON *j = run_text(text);
    double a = num(j, "health", "availability");
    cr_expect(fabs(a - 0.9) / 0.9 < 0.01, "availability %g, expected 0.9", a);
    cJSON_Delete(j);
}

/* P(T > t) for T = Exp(a) + Exp(b), a != b: (b e^-at - a e^-bt) / (b - a). */
static double hypoexp_tail(double a, double b, double t)
{
    return (b * exp(-a * t) - a * exp(-b * t)) / (b - a);
}

/* Its p-quantile, by bisection (the tail falls from 1 to 0). */
static double hypoexp_quantile(double a, double b, double p)
{
    double lo = 0, hi = 100;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (hypoexp_tail(a, b, mid) > 1 - p)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

Test(queueing, a_two_step_workflow_on_two_single_slot_nodes_is_a_tandem_of_mm1_queues,
     .timeout = 120)
{
    /* A chain s1 -> s2, each step's function alone on its own one-slot
     * node: Poisson arrivals at lambda 5/s, exponential service at mu1 10/s
     * and mu2 20/s, FIFO, no cold-start delay or network latency. By
     * Burke's theorem the first queue's departures are Poisson, so this is
     * a Jackson network: E[T] = 1 / (mu1 - lambda) + 1 / (mu2 - lambda) =
     * 0.2 + 0.0667 s. By Reich's theorem a customer's sojourns at the two
     * queues are independent, so T itself is Exp(5) + Exp(15), whose
     * quantiles are computed here. About 1e6 requests, correlated over a
     * few tens at these loads: the mean's standard error is about 0.3%, so
     * 2% is several; quantiles add the histogram's 1%. */
    static const char text[] =
        "{\"name\": \"tandem\", \"seed\": 3, \"duration\": \"200000s\","
        "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"
        "\"nodes\": [{\"id\": \"a\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 1000000},"
        "  {\"id\": \"b\", \"region\": \"r\", \"cores\": 1, \"queue_limit\": 1000000}],"
        "\"functions\": ["
        "  {\"id\": \"f1\", \"timeout\": \"1h\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "   \"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}},"
        "  {\"id\": \"f2\", \"timeout\": \"1h\", \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"
        "   \"exec_time\": {\"type\": \"exponential\", \"mean\": \"50ms\"}}],"
        "\"deployments\": [{\"function\": \"f1\", \"strategy\": \"nodes\", \"nodes\": [\"a\"]},"
        "  {\"function\": \"f2\", \"strategy\": \"nodes\", \"nodes\": [\"b\"]}],"
        "\"workflows\": [{\"id\": \"w\", \"steps\": [{\"id\": \"s1\", \"function\": \"f1\"},"
        "  {\"id\": \"s2\", \"function\": \"f2\", \"after\": [\"s1\"]}]}],"
        "\"workloads\": [{\"workflow\": \"w\", \"region\": \"r\", \"arrival\": \"poisson\", \"rate\": 5}],"
        "\"policies\": {\"keepalive_ttl\": \"1d\"}}";
    cJSON *j = run_text(text);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "workflows"), "w");
    cr_assert(cJSON_IsObject(w), "workflows.w");
    cr_expect_eq(num(w, "failed", NULL), 0);
    cr_expect_eq(num(w, "deadline_missed", NULL), 0);
    double mean = num(w, "latency_s", "mean"), want = 1.0 / 5 + 1.0 / 15;
    cr_expect(fabs(mean - want) / want < 0.02, "E[T] = %g, expected %g", mean, want);
    static const struct { const char *name; double p, tol; } qs[] = {
        {"p50", 0.50, 0.02}, {"p95", 0.95, 0.02}, {"p99", 0.99, 0.03}};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        double got = num(w, "latency_s", qs[i].name), q = hypoexp_quantile(5, 15, qs[i].p);
        cr_expect(fabs(got - q) / q < qs[i].tol, "%s = %g, expected %g", qs[i].name, got, q);
    }
    /* each queue alone: the first step waits rho1 / (mu1 - lambda) = 0.1 s */
    cr_expect(fabs(num(w, "critical_path_s", "queueing") - (0.1 + 0.25 / 15)) / 0.1167 < 0.03,
              "queueing on the path %g, expected %g", num(w, "critical_path_s", "queueing"),
              0.1 + 0.25 / 15);
    cJSON_Delete(j);
}

/* k single-slot nodes in one region, no latency, instant cold starts, one
 * function on all of them, Poisson arrivals at `rate`, exponential service
 * of mean 100 ms, routed by `policy`. */
#define K_NODES(k, policy, rate, duration)                                                          \
    "{\"name\": \"k\", \"seed\": 11, \"duration\": \"" duration "\","                              \
    "\"regions\": [{\"id\": \"r\"}], \"network\": {\"same_region\": \"0s\"},"                      \
    "\"nodes\": [{\"id\": \"n{i}\", \"count\": " #k ", \"region\": \"r\", \"cores\": 1,"          \
    "  \"queue_limit\": 10000000, \"memory_mb\": 65536}],"                                         \
    "\"functions\": [{\"id\": \"f\", \"memory_mb\": 128, \"timeout\": \"1h\","                     \
    "  \"cold_start\": {\"type\": \"constant\", \"value\": \"0s\"},"                                \
    "  \"exec_time\": {\"type\": \"exponential\", \"mean\": \"100ms\"}}],"                          \
    "\"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}],"                             \
    "\"workloads\": [{\"function\": \"f\", \"region\": \"r\", \"arrival\": \"poisson\","           \
    "  \"rate\": " #rate "}],"                                                                      \
    "\"policies\": {\"scheduler\": \"" policy "\", \"keepalive_ttl\": \"1d\"}}"

Test(queueing, random_routing_splits_poisson_into_independent_mm1_queues, .timeout = 120)
{
    /* Uniform random routing over 4 nodes thins the Poisson stream into 4
     * Poisson streams of lambda / 4 = 5/s: each node is M/M/1 at rho 0.5,
     * W = 1 / (10 - 5) = 0.2 s, whatever the other nodes do. 1e6 customers
     * as in the M/M/1 test: 2% is over four standard errors. */
    cJSON *j = run_text(K_NODES(4, "random", 20, "50000s"));
    double w = num(j, "latency_s", "mean");
    cr_expect(fabs(w - 0.2) / 0.2 < 0.02, "W = %g, expected 0.2", w);
    /* an M/M/1 sojourn time is exponential of rate mu - lambda: its 90th
     * percentile is ln 10 / 5 = 0.4605 s (the histogram's own error is
     * under 1%; the estimate's is about as small as the mean's) */
    double p90 = num(j, "latency_s", "p90"), p90_want = log(10.0) / 5.0;
    cr_expect(fabs(p90 - p90_want) / p90_want < 0.03, "p90 = %g, expected %g", p90, p90_want);
    cJSON_Delete(j);
}

/* The root sigma in (0, 1) of sigma = (lambda / (lambda + mu (1 - sigma)))^k:
 * the GI/M/1 queue whose interarrival times are Erlang-k of phase rate
 * lambda (the Laplace transform of the interarrival law at mu (1 - sigma)).
 * The iteration from 0 rises to the least root, which is the one below 1
 * when rho = lambda / (k mu) < 1. */
static double erlang_gim1_sigma(double lambda, double mu, int k)
{
    double sigma = 0;
    for (int i = 0; i < 10000; i++)
        sigma = pow(lambda / (lambda + mu * (1 - sigma)), k);
    return sigma;
}

Test(queueing, round_robin_gives_each_node_erlang_arrivals_a_gim1_queue, .timeout = 120)
{
    /* Round robin over 4 nodes hands each node every 4th arrival of a
     * Poisson stream of 20/s: Erlang-4 interarrival times of mean 0.2 s, so
     * each node is a GI/M/1 queue (E4/M/1) at rho 0.5, with W = 1 / (mu (1 -
     * sigma)), sigma the root of sigma = (20 / (20 + 10 (1 - sigma)))^4:
     * 0.3017, W = 0.1432 s. Regular arrivals wait less than Poisson ones:
     * random routing's 0.2 s (above) is 40% more, far outside the 2% here
     * (the sojourn times are less correlated than M/M/1's at the same rho:
     * the same tolerance holds). */
    double sigma = erlang_gim1_sigma(20, 10, 4);
    cr_assert(sigma > 0.30 && sigma < 0.31, "sigma = %g", sigma);
    double want = 1 / (10 * (1 - sigma));
    cJSON *j = run_text(K_NODES(4, "round_robin", 20, "50000s"));
    double w = num(j, "latency_s", "mean");
    cr_expect(fabs(w - want) / want < 0.02, "W = %g, expected %g", w, want);
    cJSON_Delete(j);
}
