/*
 * autoscaler.c — the autoscaler's timer, measurements and actuation
 * (autoscaler.h; the rules are core/autoscaler.c).
 *
 * Per scaled function: the time integrals of its invocations in flight and
 * of those holding a slot since the last tick (each tick's observation is
 * integral / tick), its ready replicas in the order they were added, the
 * count of pending ones, and the requests held at zero replicas. One tick
 * event serves every function; autoscaler.csv gets a row per function and
 * tick (desired against actual over time).
 */
#include "model/autoscaler.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "autoscaler.h"
#include "edge_policy_plugin.h"
#include "engine/dist.h"
#include "engine/engine.h"
#include "engine/rng.h"
#include "input/plugin.h"
#include "output/outfile.h"
#include "output/report.h"
#include "runtime.h"
#include "scheduler.h"
#include "model/world_internal.h"

typedef struct was_fn {
    edge_autoscaler *rule;
    uint32_t inflight, running;
    double inflight_int, running_int; /* since the last tick, invocation-ns */
    double last_inflight, last_running; /* of the tick being decided */
    edge_time since;
    uint32_t *ready;                  /* nodes serving, oldest first */
    uint32_t nready, capready;
    uint32_t pending;                 /* replicas deploying */
    uint32_t desired;
    int panic;
    uint32_t *held;                   /* invocations waiting for a first replica (FIFO) */
    uint32_t nheld, capheld;
    sim_rng cold;                     /* replica cold starts ("autoscaler_cold", fn) */
    uint64_t ups, downs, replica_cold_starts, held_total, deploy_failures;
    uint32_t max_ready;
    double ready_int;                 /* replica-ns */
    edge_time ready_since;
} was_fn;

struct was {
    edge_autoscaler_config cfg;
    was_fn *fn;                       /* per function; rule NULL when not scaled */
    void (*route)(sim_world *, uint32_t);
    const edge_policy_autoscaler *plugin; /* a plugin's table, or NULL */
    sim_outfile csv;
    int csv_open;
    uint64_t ticks;
};

/* ------------------------------------------------------------------ */

static was_fn *scaled(const sim_world *w, size_t fn)
{
    was_fn *f = &w->as->fn[fn];
    return f->rule ? f : NULL;
}

static void account(sim_world *w, was_fn *f)
{
    edge_time now = sim_engine_now(w->eng);
    double dt = (double)(now - f->since);
    f->inflight_int += dt * f->inflight;
    f->running_int += dt * f->running;
    f->since = now;
}

static void ready_account(sim_world *w, was_fn *f)
{
    edge_time now = sim_engine_now(w->eng);
    f->ready_int += (double)(now - f->ready_since) * f->nready;
    f->ready_since = now;
}

void was_arrival(sim_world *w, size_t fn)
{
    was_fn *f = scaled(w, fn);
    if (f) {
        account(w, f);
        f->inflight++;
    }
}

void was_started(sim_world *w, size_t fn)
{
    was_fn *f = scaled(w, fn);
    if (f) {
        account(w, f);
        f->running++;
    }
}

void was_stopped(sim_world *w, size_t fn)
{
    was_fn *f = scaled(w, fn);
    if (f) {
        account(w, f);
        f->running--;
    }
}

void was_finished(sim_world *w, size_t fn)
{
    was_fn *f = scaled(w, fn);
    if (f) {
        account(w, f);
        f->inflight--;
    }
}

static int push_u32(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? 2 * *cap : 8;
        uint32_t *p = realloc(*v, nc * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return 0;
}

static void placement(sim_world *w, size_t fn, uint32_t node, edge_err rc)
{
    sim_placement_row row = {sim_engine_now(w->eng), (uint32_t)fn, node, "autoscaler", rc};
    if (sim_report_placement(w->report, &row) != 0)
        sim_engine_fail(w->eng, EDGE_NOMEM);
}

static void ev_ready(sim_engine *e, void *ctx, const sim_event *ev);

/* One more replica of fn: deployed now through the cluster, serving after
 * its cold start. 0, or -1 when no node can take it. */
static int scale_up(sim_world *w, size_t fn)
{
    was_fn *f = &w->as->fn[fn];
    size_t node;
    edge_err rc = wplace_least_loaded(w, fn, EDGE_POLICY_PLACE_SCALE_UP, &node);
    placement(w, fn, rc == EDGE_OK ? (uint32_t)node : UINT32_MAX, rc);
    if (rc != EDGE_OK) {
        f->deploy_failures++;
        return -1;
    }
    w->nodes[node].deployments++;
    w->deployments++;
    f->pending++;
    f->ups++;
    edge_time cold = sim_dist_sample_time(w->sc->functions[fn].cold_start, &f->cold);
    sim_payload p = {.id = node, .a = (uint32_t)fn, .b = 0};
    if (sim_engine_schedule(w->eng, edge_time_add_sat(sim_engine_now(w->eng), cold), ev_ready, w,
                            p, NULL) != EDGE_OK)
        sim_engine_fail(w->eng, EDGE_NOMEM);
    return 0;
}

/* A pending replica is ready: one warm instance, routable, and the held
 * requests go to it (in arrival order). */
static void ev_ready(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t fn = ev->payload.a, node = (size_t)ev->payload.id;
    was_fn *f = &w->as->fn[fn];
    f->pending--;
    f->replica_cold_starts++;
    if (w->nodes[node].up)
        (void)wcore_warm_up(w, fn, node); /* failing, the first request starts cold */
    ready_account(w, f);
    if (push_u32(&f->ready, &f->nready, &f->capready, (uint32_t)node) != 0) {
        sim_engine_fail(e, EDGE_NOMEM);
        return;
    }
    if (f->nready > f->max_ready)
        f->max_ready = f->nready;
    edge_scheduler_set_deployed(w->sched, fn, node, 1);
    uint32_t n = f->nheld;
    f->nheld = 0;
    for (uint32_t i = 0; i < n; i++)
        w->as->route(w, f->held[i]);
}

/* The newest ready replica of fn goes. */
static void scale_down(sim_world *w, size_t fn)
{
    was_fn *f = &w->as->fn[fn];
    uint32_t node = f->ready[f->nready - 1];
    ready_account(w, f);
    f->nready--;
    f->downs++;
    edge_scheduler_set_deployed(w->sched, fn, node, 0);
    edge_err rc = wcore_undeploy(w, fn, node);
    sim_placement_row row = {sim_engine_now(w->eng), (uint32_t)fn, node, "autoscaler_remove", rc};
    if (sim_report_placement(w->report, &row) != 0)
        sim_engine_fail(w->eng, EDGE_NOMEM);
}

int was_hold(sim_world *w, uint32_t id)
{
    const winv *v = &w->invs[id];
    was_fn *f = scaled(w, v->fn);
    if (!f || v->attempts || f->nready || w->as->cfg.type != EDGE_AUTOSCALER_CONCURRENCY)
        return 0;
    if (!f->pending && scale_up(w, v->fn) != 0)
        return 0; /* nowhere to put a replica: rejected as without an autoscaler */
    if (push_u32(&f->held, &f->nheld, &f->capheld, id) != 0) {
        sim_engine_fail(w->eng, EDGE_NOMEM);
        return 0;
    }
    f->held_total++;
    return 1;
}

/* A plugin's autoscaler table answers instead of the rule (docs/plugins.md);
 * -1 when its answer is not a count (the run fails). */
static int plugin_decides(sim_world *w, size_t fn, was_fn *f, edge_time now, uint32_t *want)
{
    struct was *a = w->as;
    double dt = (double)a->cfg.tick;
    edge_policy_autoscale_request req = {
        .function = (uint32_t)fn,
        .now = now,
        .concurrency = f->last_inflight / dt,
        .busy = f->last_running / dt,
        .ready = f->nready,
        .pending = f->pending,
        .min_scale = a->cfg.min_scale,
        .max_scale = a->cfg.max_scale,
        .builtin = (long)*want,
    };
    long n = a->plugin->desired(sim_plugin_state(w->plugin), &req);
    if (n == EDGE_POLICY_DEFAULT)
        return 0;
    if (n < 0) {
        snprintf(w->fail_msg, sizeof w->fail_msg,
                 "plugin %s answered %ld replicas for function %s: expected a count >= 0 or "
                 "EDGE_POLICY_DEFAULT",
                 w->sc->policies.plugin_path, n, w->sc->functions[fn].id);
        w->failed = EDGE_INVAL;
        sim_engine_fail(w->eng, EDGE_INVAL);
        return -1;
    }
    *want = n < (long)a->cfg.min_scale ? a->cfg.min_scale
          : n > (long)a->cfg.max_scale ? a->cfg.max_scale : (uint32_t)n;
    return 0;
}

static void ev_tick(sim_engine *e, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    struct was *a = w->as;
    (void)ev;
    edge_time now = sim_engine_now(e), dt = a->cfg.tick;
    a->ticks++;
    char t[32];
    snprintf(t, sizeof t, "%" PRId64 ".%09" PRId64, now / EDGE_S, now % EDGE_S);
    for (size_t fn = 0; fn < w->sc->nfunctions; fn++) {
        was_fn *f = scaled(w, fn);
        if (!f)
            continue;
        account(w, f);
        double obs = (a->cfg.type == EDGE_AUTOSCALER_UTILIZATION ? f->running_int
                                                                  : f->inflight_int) /
                     (double)dt;
        f->last_inflight = f->inflight_int;
        f->last_running = f->running_int;
        f->inflight_int = f->running_int = 0;
        uint32_t want = edge_autoscaler_decide(f->rule, now, obs, f->nready, &f->panic);
        if (a->plugin && plugin_decides(w, fn, f, now, &want) != 0)
            return;
        f->desired = want;
        uint32_t have = f->nready + f->pending;
        while (have < want && scale_up(w, fn) == 0)
            have++;
        while (have > want && f->nready > 0) {
            scale_down(w, fn);
            have--;
        }
        if (a->csv_open)
            fprintf(a->csv.fp, "%s,%s,%.6f,%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%d,%" PRIu32 "\n",
                    t, w->sc->functions[fn].id, obs, want, f->nready, f->pending, f->panic,
                    f->nheld);
    }
    if (now + dt <= w->sc->duration &&
        sim_engine_schedule(e, now + dt, ev_tick, w, (sim_payload){0}, NULL) != EDGE_OK)
        sim_engine_fail(e, EDGE_NOMEM);
}

int was_create(sim_world *w, void (*route)(sim_world *, uint32_t), char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    struct was *a = calloc(1, sizeof *a);
    if (!a)
        goto nomem;
    w->as = a;
    a->cfg = sc->policies.autoscaler;
    a->route = route;
    a->plugin = w->plugin ? sim_plugin_autoscaler(w->plugin) : NULL;
    a->fn = calloc(sc->nfunctions ? sc->nfunctions : 1, sizeof *a->fn);
    if (!a->fn)
        goto nomem;
    for (size_t k = 0; k < sc->policies.nautoscale_fns; k++) {
        size_t fn = sc->policies.autoscale_fns[k];
        was_fn *f = &a->fn[fn];
        edge_err rc = edge_autoscaler_new(&a->cfg, 0, &f->rule);
        if (rc != EDGE_OK) {
            snprintf(err, errlen, "cannot create the autoscaler of %s: %s",
                     sc->functions[fn].id, edge_strerror(rc));
            return -1;
        }
        sim_rng_derive(&f->cold, sc->seed, "autoscaler_cold", fn);
    }
    /* the initial deployments are the first replicas */
    const wcore_pair *pairs;
    size_t n = wcore_deployed_pairs(w, &pairs);
    for (size_t i = 0; i < n; i++) {
        was_fn *f = scaled(w, pairs[i].fn);
        if (f && push_u32(&f->ready, &f->nready, &f->capready, pairs[i].node) != 0)
            goto nomem;
        if (f && f->nready > f->max_ready)
            f->max_ready = f->nready;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/autoscaler.csv", w->opt.outdir);
    if (sim_outfile_open(&a->csv, path) != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    a->csv_open = 1;
    fputs("t_s,function,observed,desired,ready,pending,panic,held\n", a->csv.fp);
    if (a->cfg.tick <= sc->duration &&
        sim_engine_schedule(w->eng, a->cfg.tick, ev_tick, w, (sim_payload){0}, NULL) != EDGE_OK)
        goto nomem;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory while building the autoscaler");
    return -1;
}

void was_free(sim_world *w)
{
    struct was *a = w->as;
    if (!a)
        return;
    if (a->csv_open)
        sim_outfile_abort(&a->csv);
    if (a->fn)
        for (size_t fn = 0; fn < w->sc->nfunctions; fn++) {
            edge_autoscaler_free(a->fn[fn].rule);
            free(a->fn[fn].ready);
            free(a->fn[fn].held);
        }
    free(a->fn);
    free(a);
    w->as = NULL;
}

cJSON *was_summary(const sim_world *w)
{
    const struct was *a = w->as;
    const edge_autoscaler_config *c = &a->cfg;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int conc = c->type == EDGE_AUTOSCALER_CONCURRENCY;
    cJSON_AddStringToObject(o, "type", edge_autoscaler_type_name(c->type));
    if (a->plugin)
        cJSON_AddStringToObject(o, "plugin", w->sc->policies.plugin_name);
    cJSON_AddNumberToObject(o, "target", c->target);
    cJSON_AddNumberToObject(o, conc ? "tick_s" : "sync_period_s", (double)c->tick / 1e9);
    cJSON_AddNumberToObject(o, conc ? "stable_window_s" : "stabilization_window_s",
                            (double)c->stable_window / 1e9);
    if (conc) {
        cJSON_AddNumberToObject(o, "panic_window_s", (double)c->panic_window / 1e9);
        cJSON_AddNumberToObject(o, "panic_threshold", c->panic_threshold);
        cJSON_AddNumberToObject(o, "scale_to_zero_grace_s", (double)c->scale_to_zero_grace / 1e9);
    } else {
        cJSON_AddNumberToObject(o, "tolerance", c->tolerance);
        cJSON_AddNumberToObject(o, "cpu_request", c->cpu_request);
    }
    cJSON_AddNumberToObject(o, "min_scale", c->min_scale);
    cJSON_AddNumberToObject(o, "max_scale", c->max_scale);
    cJSON_AddNumberToObject(o, "ticks", (double)a->ticks);
    cJSON *per = cJSON_AddObjectToObject(o, "functions");
    if (!per) {
        cJSON_Delete(o);
        return NULL;
    }
    edge_time dur = w->sc->duration;
    for (size_t fn = 0; fn < w->sc->nfunctions; fn++) {
        const was_fn *f = &a->fn[fn];
        if (!f->rule)
            continue;
        cJSON *x = cJSON_AddObjectToObject(per, w->sc->functions[fn].id);
        if (!x) {
            cJSON_Delete(o);
            return NULL;
        }
        double ready_int = f->ready_int + (double)(dur - f->ready_since) * f->nready;
        cJSON_AddNumberToObject(x, "scale_ups", (double)f->ups);
        cJSON_AddNumberToObject(x, "scale_downs", (double)f->downs);
        cJSON_AddNumberToObject(x, "replica_cold_starts", (double)f->replica_cold_starts);
        cJSON_AddNumberToObject(x, "deploy_failures", (double)f->deploy_failures);
        cJSON_AddNumberToObject(x, "held_requests", (double)f->held_total);
        cJSON_AddNumberToObject(x, "ready_at_end", f->nready);
        cJSON_AddNumberToObject(x, "pending_at_end", f->pending);
        cJSON_AddNumberToObject(x, "max_ready", f->max_ready);
        cJSON_AddNumberToObject(x, "mean_ready", dur > 0 ? ready_int / (double)dur : 0.0);
    }
    return o;
}

int was_write(sim_world *w, char *err, size_t errlen)
{
    struct was *a = w->as;
    if (!a->csv_open)
        return 0;
    a->csv_open = 0;
    if (sim_outfile_commit(&a->csv) != 0) { /* it reports a write error too */
        snprintf(err, errlen, "%s/autoscaler.csv: cannot write: %s", w->opt.outdir,
                 strerror(errno));
        return -1;
    }
    return 0;
}
