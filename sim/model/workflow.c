/*
 * workflow.c — workflow requests walking their DAG (workflow.h).
 *
 * A request is a record (wf_req) with one wf_st per step. A step waits for
 * its incoming edges to be resolved; an edge is resolved when its source
 * step is done (taken, or not taken when it lost the branch draw) or
 * skipped (not taken). A step whose edges are all resolved runs when at
 * least one was taken (a root step runs at once), else it is skipped, and
 * its own edges are resolved as not taken. The steps are in topological
 * order (the reader requires predecessors first), so successor lists built
 * once per workflow are all the graph the run needs.
 *
 * The critical path is carried along: a step starts with the path of the
 * predecessor whose result came last (the one that let it start) and adds
 * its own invocations' queueing, cold start, execution, network and
 * transfer time (request and inputs, response);
 * the workflow's path is that of the step whose result came last.
 *
 * Costs: a request is O(steps + edges) in all; a step's end is O(its
 * out-degree). Nothing is allocated per step; requests are recycled.
 */
#include "model/workflow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "engine/rng.h"
#include "histogram.h"
#include "output/outfile.h"
#include "output/trace.h"

enum { CP_QUEUE, CP_COLD, CP_EXEC, CP_NET, CP_TRANSFER, CP_N };
static const char *const cp_names[CP_N] = {"queueing", "cold_start", "execution", "network",
                                           "transfer"};

enum { ST_WAITING, ST_RUNNING, ST_DONE, ST_SKIPPED };

/* One outgoing edge, precomputed. */
typedef struct wf_out {
    uint32_t to;
    double probability; /* -1: always taken */
} wf_out;

/* Per step of a request. */
typedef struct wf_st {
    uint32_t waiting;    /* incoming edges not yet resolved */
    uint32_t runs_left;  /* invocations still to run (repeat) */
    uint8_t taken_in;    /* some incoming edge was taken */
    uint8_t state;
    uint32_t via;        /* the predecessor whose result it waited for; UINT32_MAX: none */
    uint32_t node;       /* of its last run (for the trace, and its edges' payloads) */
    uint32_t chosen_to;  /* the successor its branch draw took; UINT32_MAX: none */
    edge_time t0, t1;    /* its first invocation's arrival, its last result */
    edge_time path[CP_N];
} wf_st;

typedef struct wf_req {
    uint32_t wf, region;
    uint32_t source;     /* sim_wflow_request's tag */
    uint32_t pending;    /* invocations running + results on their way + a guard */
    uint32_t unresolved; /* steps neither done nor skipped */
    uint32_t next_free;
    uint32_t cold;
    uint64_t seq;        /* its number among its workflow's requests (trace) */
    uint8_t live, failed;
    edge_time arrival;
    edge_time last;      /* when the latest result reached the workflow */
    edge_time path[CP_N];/* of the step whose result came last */
    wf_st *st;           /* nsteps of its workflow; kept while on the free list */
} wf_req;

/* Per step of a workflow: the graph and the counts. */
typedef struct wf_step {
    wf_out *out;
    uint32_t nout;
    uint32_t nin;
    uint8_t branches;    /* some out edge carries a probability */
    uint64_t runs, skipped, invocations, cold_starts, failed_requests;
    edge_time sum[CP_N - 1]; /* over its invocations: queueing, cold, exec, net */
} wf_step;

typedef struct wf_def {
    const sim_workflow_spec *spec;
    wf_step *steps;
    sim_rng branch;      /* the branch draws of this workflow */
    uint32_t free_head;  /* recycled requests of this workflow */
    uint64_t requests, ok, late, failed, cold;
    double cp_sum[CP_N];
    edge_histogram latency;
    /* the current sampling interval */
    edge_histogram iv_latency;
    uint64_t iv_done, iv_failed;
} wf_def;

struct sim_wflow {
    const sim_scenario *sc;
    sim_wflow_env env;
    wf_def *defs;
    size_t ndefs;
    wf_req *reqs;
    size_t nreqs, capreqs;
    sim_outfile series;
    int series_open;
    sim_trace *trace;    /* borrowed; NULL: none */
    sim_trace_step *tsteps; /* scratch for the trace, SIM_WF_MAX_STEPS */
    int nomem;           /* a histogram could not grow: the run fails */
    edge_time now;       /* of the call being served (a step's start time) */
};

#define REQ_NONE UINT32_MAX

/* ------------------------------------------------------------------ */
/* set-up                                                              */

static int build_def(wf_def *d, const sim_workflow_spec *spec, uint64_t seed, size_t index)
{
    d->spec = spec;
    d->free_head = REQ_NONE;
    edge_histogram_init(&d->latency);
    edge_histogram_init(&d->iv_latency);
    sim_rng_derive(&d->branch, seed, "workflow_branch", index);
    d->steps = calloc(spec->nsteps ? spec->nsteps : 1, sizeof *d->steps);
    if (!d->steps)
        return -1;
    for (size_t i = 0; i < spec->nsteps; i++) {
        d->steps[i].nin = (uint32_t)spec->steps[i].nafter;
        for (size_t j = 0; j < spec->steps[i].nafter; j++)
            d->steps[spec->steps[i].after[j].from].nout++;
    }
    for (size_t i = 0; i < spec->nsteps; i++)
        if (d->steps[i].nout && !(d->steps[i].out = calloc(d->steps[i].nout, sizeof(wf_out))))
            return -1;
    for (size_t i = 0; i < spec->nsteps; i++)
        d->steps[i].nout = 0;
    for (size_t i = 0; i < spec->nsteps; i++)
        for (size_t j = 0; j < spec->steps[i].nafter; j++) {
            const sim_wf_edge *e = &spec->steps[i].after[j];
            wf_step *from = &d->steps[e->from];
            from->out[from->nout++] = (wf_out){(uint32_t)i, e->probability};
            if (e->probability >= 0)
                from->branches = 1;
        }
    return 0;
}

sim_wflow *sim_wflow_create(const sim_scenario *sc, const sim_wflow_env *env,
                            const char *series_path, char *err, size_t errlen)
{
    sim_wflow *x = calloc(1, sizeof *x);
    if (!x)
        goto nomem;
    x->sc = sc;
    x->env = *env;
    x->ndefs = sc->nworkflows;
    x->defs = calloc(x->ndefs ? x->ndefs : 1, sizeof *x->defs);
    x->tsteps = calloc(SIM_WF_MAX_STEPS, sizeof *x->tsteps);
    if (!x->defs || !x->tsteps)
        goto nomem;
    for (size_t i = 0; i < x->ndefs; i++)
        if (build_def(&x->defs[i], &sc->workflows[i], sc->seed, i) != 0)
            goto nomem;
    if (series_path) {
        if (sim_outfile_open(&x->series, series_path) != 0) {
            snprintf(err, errlen, "cannot write %s", series_path);
            sim_wflow_free(x);
            return NULL;
        }
        x->series_open = 1;
        fputs("t_end_s,workflow,completed,failed,latency_mean_s,latency_p95_s\n", x->series.fp);
    }
    return x;
nomem:
    snprintf(err, errlen, "out of memory while building the workflows");
    sim_wflow_free(x);
    return NULL;
}

void sim_wflow_set_trace(sim_wflow *x, sim_trace *t)
{
    x->trace = t;
}

void sim_wflow_free(sim_wflow *x)
{
    if (!x)
        return;
    free(x->tsteps);
    if (x->series_open)
        sim_outfile_abort(&x->series);
    for (size_t i = 0; i < x->ndefs && x->defs; i++) {
        wf_def *d = &x->defs[i];
        if (d->steps)
            for (size_t s = 0; s < d->spec->nsteps; s++)
                free(d->steps[s].out);
        free(d->steps);
        edge_histogram_clear(&d->latency);
        edge_histogram_clear(&d->iv_latency);
    }
    free(x->defs);
    for (size_t i = 0; i < x->nreqs; i++)
        free(x->reqs[i].st);
    free(x->reqs);
    free(x);
}

/* ------------------------------------------------------------------ */
/* requests                                                            */

/* A request record of workflow wf with its steps' states reset; REQ_NONE
 * out of memory. */
static uint32_t req_alloc(sim_wflow *x, uint32_t wf)
{
    wf_def *d = &x->defs[wf];
    uint32_t id = d->free_head;
    if (id != REQ_NONE) {
        d->free_head = x->reqs[id].next_free;
    } else {
        if (x->nreqs == x->capreqs) {
            size_t cap = x->capreqs ? 2 * x->capreqs : 64;
            if (cap >= REQ_NONE)
                return REQ_NONE;
            wf_req *p = realloc(x->reqs, cap * sizeof *p);
            if (!p)
                return REQ_NONE;
            x->reqs = p;
            x->capreqs = cap;
        }
        wf_st *st = malloc(d->spec->nsteps * sizeof *st);
        if (!st)
            return REQ_NONE;
        id = (uint32_t)x->nreqs++;
        x->reqs[id].st = st;
    }
    wf_req *r = &x->reqs[id];
    wf_st *st = r->st;
    memset(r, 0, sizeof *r);
    r->st = st;
    r->wf = wf;
    r->live = 1;
    r->unresolved = (uint32_t)d->spec->nsteps;
    for (size_t i = 0; i < d->spec->nsteps; i++) {
        memset(&st[i], 0, sizeof st[i]);
        st[i].via = UINT32_MAX;
        st[i].chosen_to = UINT32_MAX;
        st[i].waiting = d->steps[i].nin;
        st[i].runs_left = d->spec->steps[i].repeat;
    }
    return id;
}

static void trace_request(sim_wflow *x, const wf_req *r, edge_time end)
{
    const wf_def *d = &x->defs[r->wf];
    const sim_workflow_spec *spec = d->spec;
    for (size_t i = 0; i < spec->nsteps; i++) {
        const wf_st *st = &r->st[i];
        int ran = st->state == ST_DONE || (st->state == ST_RUNNING && st->t1 >= st->t0 &&
                                           st->t1 > 0);
        x->tsteps[i] = (sim_trace_step){spec->steps[i].id,
                                        st->node < x->sc->nnodes ? x->sc->nodes[st->node].id
                                                                 : "",
                                        st->t0, st->t1 >= st->t0 ? st->t1 : st->t0,
                                        st->via == UINT32_MAX ? (size_t)-1 : st->via, ran};
    }
    const char *oc = r->failed ? "failed"
                   : spec->deadline > 0 && end - r->arrival > spec->deadline ? "deadline_missed"
                                                                            : "ok";
    if (sim_trace_workflow(x->trace, spec->id, r->seq, r->arrival, end, oc, x->tsteps,
                           spec->nsteps) != 0)
        x->nomem = 1;
}

/* Ends request id if it is resolved or failed and nothing of it is in
 * flight; records its outcome when it completes (ok or late). */
static void req_maybe_release(sim_wflow *x, uint32_t id, edge_time now)
{
    wf_req *r = &x->reqs[id];
    if (r->pending)
        return;
    wf_def *d = &x->defs[r->wf];
    if (!r->failed) {
        if (r->unresolved)
            return; /* cannot happen: every step resolves once its inputs have */
        (void)now;
        edge_time lat = r->last - r->arrival;
        if (d->spec->deadline > 0 && lat > d->spec->deadline)
            d->late++;
        else
            d->ok++;
        d->cold += r->cold;
        for (int k = 0; k < CP_N; k++)
            d->cp_sum[k] += (double)r->path[k];
        if (edge_histogram_record(&d->latency, lat) != EDGE_OK ||
            edge_histogram_record(&d->iv_latency, lat) != EDGE_OK)
            x->nomem = 1;
        d->iv_done++;
    }
    if (x->trace)
        trace_request(x, r, r->failed ? now : r->last);
    r->live = 0;
    r->next_free = d->free_head;
    d->free_head = id;
}

static int run_step(sim_wflow *x, uint32_t id, uint32_t s);
static int resolve_out(sim_wflow *x, uint32_t id, uint32_t s, int done);

/* Every incoming edge of step s is resolved: run it or skip it. */
static int inputs_resolved(sim_wflow *x, uint32_t id, uint32_t s)
{
    wf_st *st = &x->reqs[id].st[s];
    if (st->taken_in || x->defs[x->reqs[id].wf].steps[s].nin == 0) {
        st->state = ST_RUNNING;
        x->defs[x->reqs[id].wf].steps[s].runs++;
        return run_step(x, id, s);
    }
    st->state = ST_SKIPPED;
    x->defs[x->reqs[id].wf].steps[s].skipped++;
    x->reqs[id].unresolved--;
    return resolve_out(x, id, s, 0);
}

/* Resolves the edges out of step s: taken when s is done (a branch: the
 * one drawn), not taken when it was skipped. */
static int resolve_out(sim_wflow *x, uint32_t id, uint32_t s, int done)
{
    wf_def *d = &x->defs[x->reqs[id].wf];
    const wf_step *ws = &d->steps[s];
    uint32_t chosen = UINT32_MAX;
    if (done && ws->branches) {
        double u = sim_rng_uniform(&d->branch), acc = 0;
        for (uint32_t k = 0; k < ws->nout; k++) {
            if (ws->out[k].probability < 0)
                continue;
            chosen = k; /* the last branch edge takes what rounding leaves */
            acc += ws->out[k].probability;
            if (u < acc)
                break;
        }
    }
    if (chosen != UINT32_MAX)
        x->reqs[id].st[s].chosen_to = ws->out[chosen].to;
    for (uint32_t k = 0; k < ws->nout; k++) {
        if (x->reqs[id].failed)
            return 0;
        uint32_t to = ws->out[k].to;
        wf_st *t = &x->reqs[id].st[to];
        int taken = done && (ws->out[k].probability < 0 || k == chosen);
        if (taken) {
            t->taken_in = 1;
            t->via = s;
            /* results come in time order: the last taken one is critical */
            memcpy(t->path, x->reqs[id].st[s].path, sizeof t->path);
        }
        if (--t->waiting == 0 && inputs_resolved(x, id, to) != 0)
            return -1;
    }
    return 0;
}

/* Starts one invocation of step s of request id. */
static int run_step(sim_wflow *x, uint32_t id, uint32_t s)
{
    wf_req *r = &x->reqs[id];
    const sim_wf_step *spec = &x->defs[r->wf].spec->steps[s];
    r->pending++;
    if (r->st[s].runs_left == x->defs[r->wf].spec->steps[s].repeat)
        r->st[s].t0 = x->now;
    r->st[s].runs_left--;
    x->defs[r->wf].steps[s].invocations++;
    return x->env.invoke(x->env.ctx, spec->function, r->region, r->source, id, s);
}

size_t sim_wflow_inputs(const sim_wflow *x, uint32_t id, uint32_t s, size_t node,
                        sim_wflow_input *out, size_t max)
{
    const wf_req *r = &x->reqs[id];
    const sim_wf_step *spec = &x->defs[r->wf].spec->steps[s];
    if (r->st[s].runs_left + 1 != spec->repeat)
        return 0; /* a repeat: its inputs came with the first run */
    size_t k = 0;
    for (size_t j = 0; j < spec->nafter && k < max; j++) {
        const sim_wf_edge *e = &spec->after[j];
        const wf_st *from = &r->st[e->from];
        int taken = from->state == ST_DONE && (e->probability < 0 || from->chosen_to == s);
        if (!taken || !(e->payload_mb > 0) || from->node == UINT32_MAX || from->node == node)
            continue;
        out[k++] = (sim_wflow_input){from->node, e->payload_mb * 1e6};
    }
    return k;
}

int sim_wflow_request(sim_wflow *x, size_t wf, size_t region, uint32_t source, edge_time now)
{
    uint32_t id = req_alloc(x, (uint32_t)wf);
    if (id == REQ_NONE)
        return -1;
    wf_req *r = &x->reqs[id];
    r->region = (uint32_t)region;
    r->source = source;
    r->arrival = r->last = now;
    r->seq = x->defs[wf].requests++;
    x->now = now;
    r->pending++; /* a guard: a step rejected at once must not end it here */
    int rc = 0;
    size_t n = x->defs[wf].spec->nsteps;
    for (uint32_t s = 0; s < n && rc == 0 && !x->reqs[id].failed; s++)
        if (x->defs[wf].steps[s].nin == 0)
            rc = inputs_resolved(x, id, s);
    x->reqs[id].pending--;
    req_maybe_release(x, id, now);
    return rc ? rc : -x->nomem;
}

int sim_wflow_step_ended(sim_wflow *x, uint32_t id, uint32_t s, const sim_wflow_end *e)
{
    wf_req *r = &x->reqs[id];
    wf_def *d = &x->defs[r->wf];
    wf_step *ws = &d->steps[s];
    edge_time q = 0, cold = 0, exec = 0;
    if (e->started_ok) {
        /* an invocation that ended (failed) before its execution began
         * spent its time to the end in the cold start, none executing */
        edge_time xs = e->exec_start < e->end ? e->exec_start : e->end;
        q = e->started - e->arrival;
        cold = xs - e->started;
        exec = e->end - xs - e->response; /* the response's transfer: transfer */
    } else {
        q = e->end - e->arrival;
    }
    q -= e->transfer; /* the request's and inputs' wait is the transfer part, not queueing */
    ws->sum[CP_COLD] += cold;
    ws->sum[CP_EXEC] += exec;
    ws->sum[CP_NET] += e->net;
    if (e->cold) {
        ws->cold_starts++;
        r->cold++;
    }
    if (!e->ok) {
        if (!r->failed) {
            r->failed = 1;
            ws->failed_requests++;
            d->failed++;
            d->iv_failed++;
        }
        r->pending--;
        req_maybe_release(x, id, e->end);
        return -x->nomem;
    }
    if (r->failed) {
        r->pending--;
        req_maybe_release(x, id, e->end);
        return -x->nomem;
    }
    wf_st *st = &r->st[s];
    st->node = e->node;
    st->path[CP_QUEUE] += q;
    st->path[CP_COLD] += cold;
    st->path[CP_EXEC] += exec;
    st->path[CP_NET] += e->net;
    st->path[CP_TRANSFER] += e->transfer + e->response;
    /* A last step (no successor, no repeat left) starts nothing: its result
     * time only counts for the request's end, so it needs no event of its
     * own. Others wait for their result to travel back first. */
    int last = d->steps[s].nout == 0 && st->runs_left == 0;
    if (e->net > 0 && !last)
        return x->env.later(x->env.ctx, e->end + e->net, id, s);
    return sim_wflow_resume(x, id, s, e->end + e->net);
}

int sim_wflow_resume(sim_wflow *x, uint32_t id, uint32_t s, edge_time now)
{
    wf_req *r = &x->reqs[id];
    x->now = now;
    int rc = 0;
    if (!r->failed) {
        wf_st *st = &r->st[s];
        if (st->runs_left > 0) {
            rc = run_step(x, id, s); /* a repeat: the next run of the step */
        } else {
            st->state = ST_DONE;
            st->t1 = now;
            r->unresolved--;
            if (now >= r->last) { /* the latest result so far: the critical one */
                r->last = now;
                memcpy(r->path, st->path, sizeof r->path);
            }
            rc = resolve_out(x, id, s, 1);
        }
    }
    x->reqs[id].pending--;
    req_maybe_release(x, id, now);
    return rc ? rc : -x->nomem;
}

/* ------------------------------------------------------------------ */
/* outputs                                                             */

static double secs(edge_time t)
{
    return (double)t / 1e9;
}

static void fmt_time(char *buf, size_t n, edge_time t)
{
    snprintf(buf, n, "%" PRId64 ".%09" PRId64, t / 1000000000, t % 1000000000);
}

int sim_wflow_sample(sim_wflow *x, edge_time now)
{
    if (!x->series_open)
        return 0;
    char t[32];
    fmt_time(t, sizeof t, now);
    for (size_t i = 0; i < x->ndefs; i++) {
        wf_def *d = &x->defs[i];
        fprintf(x->series.fp, "%s,%s,%" PRIu64 ",%" PRIu64 ",%.9f,%.9f\n", t, d->spec->id,
                d->iv_done, d->iv_failed, edge_histogram_mean(&d->iv_latency) / 1e9,
                secs(edge_histogram_quantile(&d->iv_latency, 0.95)));
        edge_histogram_clear(&d->iv_latency);
        d->iv_done = d->iv_failed = 0;
    }
    return ferror(x->series.fp) ? -1 : 0;
}

static uint64_t in_flight(const sim_wflow *x, size_t wf)
{
    uint64_t n = 0;
    for (size_t i = 0; i < x->nreqs; i++)
        n += x->reqs[i].live && x->reqs[i].wf == wf && !x->reqs[i].failed;
    return n;
}

static double per(double v, uint64_t n)
{
    return n ? v / (double)n : 0.0;
}

cJSON *sim_wflow_summary(const sim_wflow *x)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    for (size_t i = 0; i < x->ndefs; i++) {
        const wf_def *d = &x->defs[i];
        const sim_workflow_spec *spec = d->spec;
        uint64_t done = d->ok + d->late;
        cJSON *o = cJSON_AddObjectToObject(root, spec->id);
        if (!o)
            goto nomem;
        cJSON_AddNumberToObject(o, "steps", (double)spec->nsteps);
        cJSON_AddNumberToObject(o, "requests", (double)d->requests);
        cJSON_AddNumberToObject(o, "ok", (double)d->ok);
        cJSON_AddNumberToObject(o, "deadline_missed", (double)d->late);
        cJSON_AddNumberToObject(o, "failed", (double)d->failed);
        cJSON_AddNumberToObject(o, "in_flight_at_end", (double)in_flight(x, i));
        cJSON_AddNumberToObject(o, "deadline_s", secs(spec->deadline));
        cJSON *l = cJSON_AddObjectToObject(o, "latency_s");
        if (!l)
            goto nomem;
        const edge_histogram *h = &d->latency;
        cJSON_AddNumberToObject(l, "count", (double)h->count);
        cJSON_AddNumberToObject(l, "mean", edge_histogram_mean(h) / 1e9);
        cJSON_AddNumberToObject(l, "p50", secs(edge_histogram_quantile(h, 0.50)));
        cJSON_AddNumberToObject(l, "p95", secs(edge_histogram_quantile(h, 0.95)));
        cJSON_AddNumberToObject(l, "p99", secs(edge_histogram_quantile(h, 0.99)));
        cJSON_AddNumberToObject(l, "max", h->count ? secs(h->max) : 0.0);
        cJSON *cp = cJSON_AddObjectToObject(o, "critical_path_s");
        if (!cp)
            goto nomem;
        for (int k = 0; k < CP_N; k++)
            cJSON_AddNumberToObject(cp, cp_names[k], per(d->cp_sum[k], done) / 1e9);
        cJSON_AddNumberToObject(o, "cold_starts_per_request", per((double)d->cold, done));
        cJSON *fs = cJSON_AddObjectToObject(o, "failures_by_step");
        cJSON *st = cJSON_AddObjectToObject(o, "steps_run");
        if (!fs || !st)
            goto nomem;
        for (size_t s = 0; s < spec->nsteps; s++) {
            cJSON_AddNumberToObject(fs, spec->steps[s].id, (double)d->steps[s].failed_requests);
            cJSON_AddNumberToObject(st, spec->steps[s].id, (double)d->steps[s].runs);
        }
    }
    return root;
nomem:
    cJSON_Delete(root);
    return NULL;
}

static int write_csv(const char *path, const sim_wflow *x, int steps)
{
    sim_outfile o;
    if (sim_outfile_open(&o, path) != 0)
        return -1;
    if (!steps) {
        fputs("workflow,steps,requests,ok,deadline_missed,failed,in_flight_at_end,"
              "latency_mean_s,latency_p50_s,latency_p95_s,latency_p99_s,"
              "cold_starts_per_request,cp_queueing_s,cp_cold_start_s,cp_execution_s,"
              "cp_network_s,cp_transfer_s\n",
              o.fp);
        for (size_t i = 0; i < x->ndefs; i++) {
            const wf_def *d = &x->defs[i];
            const edge_histogram *h = &d->latency;
            uint64_t done = d->ok + d->late;
            fprintf(o.fp,
                    "%s,%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                    ",%.9f,%.9f,%.9f,%.9f,%.6f",
                    d->spec->id, d->spec->nsteps, d->requests, d->ok, d->late, d->failed,
                    in_flight(x, i), edge_histogram_mean(h) / 1e9,
                    secs(edge_histogram_quantile(h, 0.50)), secs(edge_histogram_quantile(h, 0.95)),
                    secs(edge_histogram_quantile(h, 0.99)), per((double)d->cold, done));
            for (int k = 0; k < CP_N; k++)
                fprintf(o.fp, ",%.9f", per(d->cp_sum[k], done) / 1e9);
            fputc('\n', o.fp);
        }
    } else {
        fputs("workflow,step,function,repeat,runs,skipped,invocations,cold_starts,"
              "failed_requests,queueing_mean_s,cold_start_mean_s,execution_mean_s,"
              "network_mean_s\n",
              o.fp);
        for (size_t i = 0; i < x->ndefs; i++) {
            const wf_def *d = &x->defs[i];
            for (size_t s = 0; s < d->spec->nsteps; s++) {
                const wf_step *ws = &d->steps[s];
                const sim_wf_step *ss = &d->spec->steps[s];
                fprintf(o.fp,
                        "%s,%s,%s,%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                        ",%" PRIu64,
                        d->spec->id, ss->id, x->sc->functions[ss->function].id, ss->repeat,
                        ws->runs, ws->skipped, ws->invocations, ws->cold_starts,
                        ws->failed_requests);
                for (int k = 0; k < CP_N - 1; k++)
                    fprintf(o.fp, ",%.9f", per((double)ws->sum[k], ws->invocations) / 1e9);
                fputc('\n', o.fp);
            }
        }
    }
    return sim_outfile_commit(&o); /* -1 on a write error too, with its errno */
}

int sim_wflow_write(sim_wflow *x, const char *outdir, char *err, size_t errlen)
{
    static const char *const names[2] = {"workflows.csv", "workflow_steps.csv"};
    char path[4096];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s", outdir, names[k]);
        if (write_csv(path, x, k) != 0) {
            snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
            return -1;
        }
    }
    if (x->series_open) {
        x->series_open = 0;
        if (sim_outfile_commit(&x->series) != 0) {
            snprintf(err, errlen, "%s/workflow_series.csv: cannot write: %s", outdir,
                     strerror(errno));
            return -1;
        }
    }
    return 0;
}
