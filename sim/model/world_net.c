/*
 * world_net.c — the world's side of the network (sim/net/net.h): payload
 * sizes drawn per function from their own streams ("request_kb" and
 * "response_kb", entity = the function), so that turning payloads on leaves
 * every other stream alone; the request sent before delivery and the
 * response after a successful execution; the per-invocation figures.
 *
 * Only built when the scenario has a network section or its routing policy
 * looks at tiers and cores (offload_threshold, latency_aware): otherwise
 * w->net is NULL, no call here is made and runs are what they were.
 */
#include <string.h>

#include <math.h>
#include <stdlib.h>

#include "engine/dist.h"
#include "model/workflow.h"
#include "model/world_internal.h"
#include "net/mobility.h"
#include "net/net.h"

struct wnet {
    sim_net *net;        /* NULL without a network section */
    sim_mobility *mob;   /* NULL without one */
    sim_rng *rng;        /* [2 * fn + dir], derived on first use */
    unsigned char *have; /* the same: derived yet */
    double *mean_bytes;  /* [2 * fn + dir]: for the expected transfer */
    double *fixed_bytes; /* [2 * fn + dir]: every draw's bytes (no payload: 0), or
                            NaN when they vary: a constant size is read here, not
                            from its distribution's record */
    int64_t *exec_mean;  /* per function: its mean execution time, ns (the
                            scheduler's expectation; INT64_MAX when infinite) */
    uint8_t *tier;       /* per node, for the scheduler */
    uint32_t *cores;     /* per node, for the scheduler */
    size_t pick_fn, pick_region; /* the invocation being routed */
    sim_wflow_input *inputs; /* scratch: a step's inputs, SIM_WF_MAX_STEPS; NULL until used */
};

/* The most bytes a payload draw gives: 2^53 (9 PB, days on any link). A
 * heavy tail (a Pareto of shape near 0) draws sizes past any double, even
 * inf; capped, such a transfer takes long instead of failing the run. */
#define PAYLOAD_MAX_BYTES 0x1p53

/* A draw of kB as bytes: 0 for none (<= 0, NaN), at most PAYLOAD_MAX_BYTES. */
static double payload_bytes(double kb)
{
    if (!(kb > 0))
        return 0;
    return kb < PAYLOAD_MAX_BYTES / 1000.0 ? kb * 1000.0 : PAYLOAD_MAX_BYTES;
}

/* The network's hint: invocation id's request (or response) is moving and
 * will be through in a few events, when deliver (or finish_invocation)
 * reads the node's records (or the latency of its path): fetched now, their
 * misses overlap with the events in between instead of stalling then. */
static void soon(void *ctx, uint64_t cookie)
{
    const sim_world *w = ctx;
    const winv *v = &w->invs[(uint32_t)cookie];
    size_t node = v->node;
    if (node >= w->nnodes)
        return;
    if (cookie >> 32) {
        __builtin_prefetch(&w->latency[(size_t)v->region * w->nnodes + node]);
        return;
    }
    wprefetch_delivery(w, node);
}

int wnet_create(sim_world *w, sim_net_done_fn done, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    const char *pol = sc->policies.scheduler;
    int wants = !strcmp(pol, "offload_threshold") || !strcmp(pol, "latency_aware") ||
                (sc->net && sc->policies.plugin_path);
    if (!sc->net && !wants)
        return 0;
    wnet *n = calloc(1, sizeof *n);
    if (!n)
        goto nomem;
    w->net = n;
    size_t nn = sc->nnodes ? sc->nnodes : 1;
    n->tier = calloc(nn, sizeof *n->tier);
    n->cores = calloc(nn, sizeof *n->cores);
    n->exec_mean = calloc(sc->nfunctions ? sc->nfunctions : 1, sizeof *n->exec_mean);
    if (!n->tier || !n->cores || !n->exec_mean)
        goto nomem;
    for (size_t f = 0; f < sc->nfunctions; f++) {
        double mean = sim_dist_mean(sc->functions[f].exec);
        n->exec_mean[f] = !(mean > 0) ? 0 : mean < 0x1p62 ? (int64_t)llround(mean) : INT64_MAX;
    }
    for (size_t i = 0; i < sc->nnodes; i++) {
        n->cores[i] = sc->nodes[i].cores;
        n->tier[i] = sc->net ? (uint8_t)sc->net->tier[sc->nodes[i].region] : 0;
    }
    edge_scheduler_set_tiers(w->sched, n->tier);
    edge_scheduler_set_capacity(w->sched, n->cores);
    if (sc->net && sc->net->offload_threshold > 0)
        edge_scheduler_set_offload_threshold(w->sched, sc->net->offload_threshold);
    if (!sc->net)
        return 0;
    size_t nf = sc->net->nfunctions;
    if (!(n->net = sim_net_create(sc, w->eng, done, w)) ||
        !(n->mob = sim_mobility_create(sc, sc->seed)))
        goto nomem;
    sim_net_set_soon(n->net, soon);
    if (sc->net->has_payloads) {
        n->mean_bytes = calloc(2 * (nf ? nf : 1), sizeof *n->mean_bytes);
        if (!n->mean_bytes)
            goto nomem;
        for (size_t f = 0; f < nf; f++) {
            const sim_dist *rq = sc->net->request[f], *rs = sc->net->response[f];
            n->mean_bytes[2 * f] = rq && sim_dist_mean(rq) > 0 ? 1000.0 * sim_dist_mean(rq) : 0;
            n->mean_bytes[2 * f + 1] = rs && sim_dist_mean(rs) > 0 ? 1000.0 * sim_dist_mean(rs) : 0;
        }
        n->fixed_bytes = malloc(2 * (nf ? nf : 1) * sizeof *n->fixed_bytes);
        if (!n->fixed_bytes)
            goto nomem;
        for (size_t k = 0; k < 2 * nf; k++) {
            const sim_dist *d = (k & 1 ? sc->net->response : sc->net->request)[k / 2];
            double kb = 0;
            n->fixed_bytes[k] = !d ? 0 : sim_dist_is_constant(d, &kb) ? payload_bytes(kb) : NAN;
        }
        n->rng = calloc(2 * (nf ? nf : 1), sizeof *n->rng);
        n->have = calloc(2 * (nf ? nf : 1), 1);
        if (!n->rng || !n->have)
            goto nomem;
    }
    return 0;
nomem:
    snprintf(err, errlen, "out of memory while building the network");
    return -1;
}

void wnet_free(sim_world *w)
{
    wnet *n = w->net;
    if (!n)
        return;
    sim_net_free(n->net);
    sim_mobility_free(n->mob);
    free(n->mean_bytes);
    free(n->fixed_bytes);
    free(n->exec_mean);
    free(n->tier);
    free(n->cores);
    free(n->rng);
    free(n->have);
    free(n->inputs);
    free(n);
    w->net = NULL;
}

/* Bytes of fn's request (dir 0) or response (dir 1): 0 when it has none. */
static double draw_bytes(sim_world *w, size_t fn, int dir)
{
    const sim_netspec *s = w->sc->net;
    if (!s || !s->has_payloads || fn >= s->nfunctions)
        return 0;
    wnet *n = w->net;
    size_t k = 2 * fn + (size_t)dir;
    if (!isnan(n->fixed_bytes[k]))
        return n->fixed_bytes[k];
    const sim_dist *d = (dir ? s->response : s->request)[fn];
    if (!n->have[k]) {
        sim_rng_derive(&n->rng[k], w->sc->seed, dir ? "response_kb" : "request_kb", fn);
        n->have[k] = 1;
    }
    double kb = sim_dist_sample(d, &n->rng[k]);
    return payload_bytes(kb);
}

/* A workflow step's first run going to node: its inputs (edge payloads)
 * sent from its predecessors' nodes. Returns how many were sent. */
static unsigned send_inputs(sim_world *w, uint32_t id, size_t node)
{
    wnet *n = w->net;
    const winv *v = &w->invs[id];
    if (!w->wf || !v->wf_req || !n->net)
        return 0;
    if (!n->inputs && !(n->inputs = malloc(SIM_WF_MAX_STEPS * sizeof *n->inputs))) {
        sim_engine_fail(w->eng, EDGE_NOMEM);
        return 0;
    }
    size_t k = sim_wflow_inputs(w->wf, v->wf_req - 1, v->wf_step, node, n->inputs,
                                SIM_WF_MAX_STEPS);
    unsigned sent = 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t hops[5];
        edge_time lat;
        if (sim_net_path_nodes(n->net, n->inputs[i].from, node, hops, &lat) == 0 && lat == 0)
            continue; /* no link between them: no time */
        edge_err rc = sim_net_send_nodes(n->net, n->inputs[i].from, node, n->inputs[i].bytes, id);
        if (rc != EDGE_OK) {
            sim_engine_fail(w->eng, rc);
            return sent;
        }
        sent++;
    }
    return sent;
}

int wnet_send(sim_world *w, uint32_t id, size_t node, int response)
{
    winv *v = &w->invs[id];
    double bytes = draw_bytes(w, v->fn, response);
    unsigned inputs = response ? 0 : send_inputs(w, id, node);
    if (!(bytes > 0) && !inputs)
        return 0;
    v->xfer_start = sim_engine_now(w->eng);
    v->inputs = inputs > 0;
    v->inbound = (uint16_t)inputs;
    if (bytes > 0) {
        edge_err rc = sim_net_send(w->net->net, v->region, node, bytes,
                                   (uint64_t)id | ((uint64_t)(response != 0) << 32));
        if (rc != EDGE_OK) {
            sim_engine_fail(w->eng, rc);
            return 0;
        }
        if (!response)
            v->inbound++;
    }
    return 1;
}

void wnet_will_respond(const sim_world *w, uint32_t id)
{
    const winv *v = &w->invs[id];
    if (w->net->net)
        sim_net_prefetch_route(w->net->net, v->region, v->node);
}

int wnet_arrived(sim_world *w, uint32_t id, int response)
{
    winv *v = &w->invs[id];
    if (!response && v->inbound > 1) {
        v->inbound--;
        return 0;
    }
    edge_time took = sim_engine_now(w->eng) - v->xfer_start;
    v->xfer += took;
    if (!response) { /* the request (with the inputs): a workflow step's transfer part */
        v->inbound = 0;
        v->xfer_in += took;
        v->inputs = 0;
    }
    return 1;
}

void wnet_observe(sim_world *w, uint32_t id, edge_reason reason, edge_time latency)
{
    const winv *v = &w->invs[id];
    /* like the invocation statistics: arrivals from the warm-up on */
    if (reason == EDGE_REASON_OK && w->net->net && v->arrival >= w->sc->warmup)
        sim_net_observe(w->net->net, v->region, v->group ? v->group - 1 : SIZE_MAX, v->node,
                        latency, v->xfer);
}

/* The scheduler's callback: request and response of the invocation being
 * routed, to node and back, at the links' current rates. */
static int64_t expected_transfer(void *ctx, size_t node)
{
    const sim_world *w = ctx;
    const wnet *n = w->net;
    size_t f = n->pick_fn;
    double rq = n->mean_bytes[2 * f], rs = n->mean_bytes[2 * f + 1];
    edge_time t = 0;
    if (rq > 0)
        t += sim_net_expected(n->net, n->pick_region, node, rq);
    if (rs > 0)
        t += sim_net_expected(n->net, n->pick_region, node, rs);
    return t;
}

void wnet_before_pick(sim_world *w, uint32_t id)
{
    wnet *n = w->net;
    const winv *v = &w->invs[id];
    const sim_netspec *s = w->sc->net;
    int xfer = n->mean_bytes && v->fn < s->nfunctions &&
               (n->mean_bytes[2 * v->fn] > 0 || n->mean_bytes[2 * v->fn + 1] > 0);
    n->pick_fn = v->fn;
    n->pick_region = v->region;
    edge_scheduler_set_expect(w->sched, xfer ? expected_transfer : NULL, w,
                              n->exec_mean[v->fn]);
}

int wnet_write(const sim_world *w, char *err, size_t errlen)
{
    if (!w->net || !w->net->net)
        return 0;
    if (sim_net_write_links(w->net->net, w->opt.outdir, w->sc->duration, err, errlen) != 0)
        return -1;
    return sim_net_write_link_series(w->net->net, w->opt.outdir, w->sc->duration, err, errlen);
}

int wnet_sample(sim_world *w, edge_time now)
{
    return w->net && w->net->net ? sim_net_sample(w->net->net, now) : 0;
}

size_t wnet_client_region(sim_world *w, size_t group)
{
    return sim_mobility_region(w->net->mob, group, sim_engine_now(w->eng));
}

cJSON *wnet_summary(const sim_world *w)
{
    if (!w->net || !w->net->net)
        return NULL;
    cJSON *o = sim_net_summary(w->net->net, w->sc->duration);
    if (o && w->sc->net->ngroups) {
        cJSON *m = sim_mobility_summary(w->net->mob, w->sc->duration);
        int bad = !m;
        /* each group's requests, next to its moves */
        for (size_t g = 0; !bad && g < w->sc->net->ngroups; g++)
            bad = sim_net_group_figures(
                      w->net->net, g,
                      cJSON_GetObjectItemCaseSensitive(m, w->sc->net->groups[g].id)) != 0;
        if (bad) {
            cJSON_Delete(m);
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, "mobility", m);
    }
    return o;
}

double wnet_energy_j(const sim_world *w)
{
    return w->net && w->net->net ? sim_net_energy_j(w->net->net) : 0.0;
}
