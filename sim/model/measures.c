#include "model/measures.h"

#include <cJSON.h>
#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <stdio.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/csvw.h"

/* One function's records. Integrals run from max(since, warmup). */
typedef struct mfn {
    uint64_t ok, waited, cold_ok;
    double wait_ns, service_ns, cold_delay_ns;
    int64_t instances;        /* signed: a runtime may report a removal before
                                 the creation at the same instant */
    edge_time since;
    double inst_ns, busy_ns;
    uint64_t created, removed;
    double lifespan_ns;
    uint64_t in_flight;
} mfn;

/* One batch: the invocations that arrived in it. */
typedef struct mbatch {
    uint64_t ok, started, cold, finished;
    double latency_ns;
} mbatch;

struct sim_measures {
    size_t nfn;
    edge_time warmup, duration, batch;
    mfn *fn;
    mbatch b[SIM_MEASURES_BATCHES];
    int closed;
};

static const char *const kind_names[SIM_MEASURE_COUNT] = {
    "latency_mean_s", "throughput_per_s", "cold_start_rate", "success_rate"};

const char *sim_measure_kind_name(sim_measure_kind k)
{
    return k < SIM_MEASURE_COUNT ? kind_names[k] : "unknown";
}

sim_measures *sim_measures_new(size_t nfunctions, edge_time warmup, edge_time duration)
{
    sim_measures *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->fn = calloc(nfunctions ? nfunctions : 1, sizeof *m->fn);
    if (!m->fn) {
        free(m);
        return NULL;
    }
    m->nfn = nfunctions;
    m->warmup = warmup < 0 ? 0 : warmup;
    m->duration = duration > m->warmup ? duration : m->warmup;
    m->batch = (m->duration - m->warmup) / SIM_MEASURES_BATCHES;
    return m;
}

void sim_measures_free(sim_measures *m)
{
    if (!m)
        return;
    free(m->fn);
    free(m);
}

edge_time sim_measures_warmup(const sim_measures *m)
{
    return m->warmup;
}

edge_time sim_measures_batch_length(const sim_measures *m)
{
    return m->batch;
}

/* Brings f's instance integral to now (counting only from the warm-up).
 * Instances change rarely (a cold start, a removal); busy time is added per
 * invocation as it ends (sim_measures_ran), not integrated per change. */
static void account(const sim_measures *m, mfn *f, edge_time now)
{
    edge_time from = f->since > m->warmup ? f->since : m->warmup;
    if (now > from)
        f->inst_ns += (double)f->instances * (double)(now - from);
    if (now > f->since)
        f->since = now;
}

void sim_measures_outcome(sim_measures *m, size_t fn, edge_reason reason, edge_time arrival,
                          edge_time transfer, edge_time start, edge_time exec_start,
                          edge_time end, edge_time latency, int cold)
{
    if (arrival < m->warmup || fn >= m->nfn)
        return;
    int ok = reason == EDGE_REASON_OK, started = !edge_reason_is_rejection(reason);
    if (ok) {
        mfn *f = &m->fn[fn];
        f->ok++;
        edge_time wait = start - arrival - transfer;
        f->waited += wait > 0;
        f->wait_ns += (double)wait;
        f->service_ns += (double)(end - exec_start);
        if (cold) {
            f->cold_ok++;
            f->cold_delay_ns += (double)(exec_start - start);
        }
    }
    if (m->batch <= 0)
        return;
    edge_time k = (arrival - m->warmup) / m->batch;
    mbatch *b = &m->b[k < SIM_MEASURES_BATCHES ? k : SIM_MEASURES_BATCHES - 1];
    b->finished++;
    b->started += started;
    b->cold += started && cold;
    if (ok) {
        b->ok++;
        b->latency_ns += (double)latency;
    }
}

void sim_measures_in_flight(sim_measures *m, size_t fn, edge_time arrival)
{
    if (arrival >= m->warmup && fn < m->nfn)
        m->fn[fn].in_flight++;
}

void sim_measures_created(sim_measures *m, size_t fn, edge_time now)
{
    if (fn >= m->nfn)
        return;
    mfn *f = &m->fn[fn];
    account(m, f, now);
    f->instances++;
    f->created += now >= m->warmup;
}

void sim_measures_removed(sim_measures *m, size_t fn, edge_time created, edge_time removed,
                          edge_time now)
{
    if (fn >= m->nfn)
        return;
    mfn *f = &m->fn[fn];
    account(m, f, now);
    f->instances--;
    /* It left at `removed`, not now: take back what was counted since. */
    edge_time from = removed > m->warmup ? removed : m->warmup;
    if (f->since > from)
        f->inst_ns -= (double)(f->since - from);
    if (removed >= m->warmup) {
        f->removed++;
        f->lifespan_ns += (double)(removed - created);
    }
}

void sim_measures_ran(sim_measures *m, size_t fn, edge_time start, edge_time end)
{
    if (start < m->warmup)
        start = m->warmup;
    if (fn < m->nfn && end > start)
        m->fn[fn].busy_ns += (double)(end - start);
}

void sim_measures_close(sim_measures *m)
{
    if (m->closed)
        return;
    for (size_t i = 0; i < m->nfn; i++)
        account(m, &m->fn[i], m->duration);
    m->closed = 1;
}

static double mean_of(double sum, uint64_t n)
{
    return n ? sum / (double)n : 0.0;
}

static void add(mfn *t, const mfn *f)
{
    t->ok += f->ok;
    t->waited += f->waited;
    t->cold_ok += f->cold_ok;
    t->wait_ns += f->wait_ns;
    t->service_ns += f->service_ns;
    t->cold_delay_ns += f->cold_delay_ns;
    t->inst_ns += f->inst_ns;
    t->busy_ns += f->busy_ns;
    t->created += f->created;
    t->removed += f->removed;
    t->lifespan_ns += f->lifespan_ns;
    t->in_flight += f->in_flight;
}

static void summarize(const sim_measures *m, const mfn *f, sim_measure_summary *o)
{
    double span = (double)(m->duration - m->warmup);
    o->ok = f->ok;
    o->waited = f->waited;
    o->cold_ok = f->cold_ok;
    o->wait_mean_s = mean_of(f->wait_ns, f->ok) / 1e9;
    o->service_mean_s = mean_of(f->service_ns, f->ok) / 1e9;
    o->p_wait = f->ok ? (double)f->waited / (double)f->ok : 0.0;
    o->cold_start_delay_mean_s = mean_of(f->cold_delay_ns, f->cold_ok) / 1e9;
    o->instances_mean = span > 0 ? f->inst_ns / span : 0.0;
    o->busy_instances_mean = span > 0 ? f->busy_ns / span : 0.0;
    o->idle_instances_mean = o->instances_mean - o->busy_instances_mean;
    if (o->idle_instances_mean < 0) /* rounding of two sums */
        o->idle_instances_mean = 0;
    o->created = f->created;
    o->removed = f->removed;
    o->lifespan_mean_s = mean_of(f->lifespan_ns, f->removed) / 1e9;
    o->in_flight_at_end = f->in_flight;
}

void sim_measures_function(const sim_measures *m, size_t fn, sim_measure_summary *out)
{
    static const mfn none;
    summarize(m, fn < m->nfn ? &m->fn[fn] : &none, out);
}

void sim_measures_total(const sim_measures *m, sim_measure_summary *out)
{
    mfn t = {0};
    for (size_t i = 0; i < m->nfn; i++)
        add(&t, &m->fn[i]);
    summarize(m, &t, out);
}

void sim_interval_of(const double *x, size_t n, sim_interval *out)
{
    *out = (sim_interval){0};
    out->batches = (unsigned)n;
    if (n == 0)
        return;
    out->mean = gsl_stats_mean(x, 1, n);
    out->lo = out->hi = out->mean;
    if (n < 2)
        return;
    double sd = gsl_stats_sd_m(x, 1, n, out->mean);
    out->valid = 1;
    out->half_width = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
    out->lo = out->mean - out->half_width;
    out->hi = out->mean + out->half_width;
    out->lag1 = sd > 0 ? gsl_stats_lag1_autocorrelation_m(x, 1, n, out->mean) : 0.0;
}

void sim_interval_clip(sim_interval *iv, double min, double max)
{
    if (iv->lo < min)
        iv->lo = min;
    if (iv->hi > max)
        iv->hi = max;
}

void sim_measures_interval(const sim_measures *m, sim_measure_kind k, sim_interval *out)
{
    double x[SIM_MEASURES_BATCHES];
    size_t n = 0;
    double secs = (double)m->batch / 1e9;
    for (size_t i = 0; m->batch > 0 && i < SIM_MEASURES_BATCHES; i++) {
        const mbatch *b = &m->b[i];
        switch (k) {
        case SIM_MEASURE_LATENCY_MEAN:
            if (b->ok)
                x[n++] = b->latency_ns / (double)b->ok / 1e9;
            break;
        case SIM_MEASURE_THROUGHPUT:
            x[n++] = (double)b->ok / secs;
            break;
        case SIM_MEASURE_COLD_START_RATE:
            if (b->started)
                x[n++] = (double)b->cold / (double)b->started;
            break;
        case SIM_MEASURE_SUCCESS_RATE:
            if (b->finished)
                x[n++] = (double)b->ok / (double)b->finished;
            break;
        default:
            break;
        }
    }
    sim_interval_of(x, n, out);
    int fraction = k == SIM_MEASURE_COLD_START_RATE || k == SIM_MEASURE_SUCCESS_RATE;
    sim_interval_clip(out, 0, fraction ? 1 : HUGE_VAL);
}

/* ---- outputs ---- */

void sim_measures_queueing_json(cJSON *o, const sim_measure_summary *s)
{
    cJSON_AddNumberToObject(o, "wait_mean_s", s->wait_mean_s);
    cJSON_AddNumberToObject(o, "service_mean_s", s->service_mean_s);
    cJSON_AddNumberToObject(o, "p_wait", s->p_wait);
    cJSON_AddNumberToObject(o, "cold_start_delay_mean_s", s->cold_start_delay_mean_s);
}

void sim_measures_instances_json(cJSON *o, const sim_measure_summary *s)
{
    cJSON_AddNumberToObject(o, "mean", s->instances_mean);
    cJSON_AddNumberToObject(o, "busy_mean", s->busy_instances_mean);
    cJSON_AddNumberToObject(o, "idle_mean", s->idle_instances_mean);
    cJSON_AddNumberToObject(o, "created", (double)s->created);
    cJSON_AddNumberToObject(o, "removed", (double)s->removed);
    cJSON_AddNumberToObject(o, "lifespan_mean_s", s->lifespan_mean_s);
}

cJSON *sim_measures_steady_state_json(const sim_measures *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "method", "batch_means");
    cJSON_AddNumberToObject(o, "level", 0.95);
    cJSON_AddNumberToObject(o, "batches", SIM_MEASURES_BATCHES);
    cJSON_AddNumberToObject(o, "batch_s", (double)m->batch / 1e9);
    cJSON_AddNumberToObject(o, "warmup_s", (double)m->warmup / 1e9);
    for (int k = 0; k < SIM_MEASURE_COUNT; k++) {
        sim_interval iv;
        sim_measures_interval(m, (sim_measure_kind)k, &iv);
        cJSON *x = cJSON_AddObjectToObject(o, kind_names[k]);
        cJSON_AddBoolToObject(x, "valid", iv.valid);
        cJSON_AddNumberToObject(x, "mean", iv.mean);
        cJSON_AddNumberToObject(x, "lo", iv.lo);
        cJSON_AddNumberToObject(x, "hi", iv.hi);
        cJSON_AddNumberToObject(x, "half_width", iv.half_width);
        cJSON_AddNumberToObject(x, "batches", iv.batches);
        cJSON_AddNumberToObject(x, "lag1_autocorrelation", iv.lag1);
    }
    return o;
}

/* The text of
 *   ",%.9f,%.9f,%.6f,%.9f,%.6f,%.6f,%.6f,%" PRIu64 ",%" PRIu64 ",%.9f,%" PRIu64
 * by the outputs' exact writers (csvw.h), not snprintf: about 13,000
 * instructions a function row before, and a run can have 100,000. Each
 * number gets the writers' room in a scratch buffer; buf takes what
 * snprintf would have left there (cut to n - 1 bytes). */
void sim_measures_csv_columns(char *buf, size_t n, const sim_measure_summary *s)
{
    const double fixed[7] = {s->wait_mean_s,    s->service_mean_s,      s->p_wait,
                             s->cold_start_delay_mean_s, s->instances_mean,
                             s->busy_instances_mean, s->idle_instances_mean};
    static const int decimals[7] = {9, 9, 6, 9, 6, 6, 6};
    char tmp[11 * (SIM__CSVW_NUMBER_MAX + 1)], *p = tmp;
    for (int i = 0; i < 7; i++) {
        *p++ = ',';
        p = sim__put_fixed(p, fixed[i], decimals[i]);
    }
    *p++ = ',';
    p = sim_put_u64(p, s->created);
    *p++ = ',';
    p = sim_put_u64(p, s->removed);
    *p++ = ',';
    p = sim__put_fixed(p, s->lifespan_mean_s, 9);
    *p++ = ',';
    p = sim_put_u64(p, s->in_flight_at_end);
    if (n) {
        size_t len = (size_t)(p - tmp), k = len < n ? len : n - 1;
        memcpy(buf, tmp, k);
        buf[k] = 0;
    }
}
