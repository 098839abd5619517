/*
 * world_keepalive.c — the keep-alive policy of a run (core/keepalive) wired
 * into the world, as core/keepalive.h prescribes; the rules are those of
 * docs/semantics.md, "Keep-alive and pre-warming".
 *
 * fixed and none decide the same thing after every invocation, so they are
 * applied once, as the runtimes' default keep-alive (w->runtime_keepalive),
 * and cost nothing per invocation. Only hybrid is driven per invocation:
 * each arrival and finish is reported to the policy, and after each finish
 * its decision is applied to the runtime of the node where the invocation
 * ran (its keep-alive there, and possibly one pending pre-warm there).
 *
 * Pre-warm state is per (function, node) pair and only for pairs that have
 * seen a hybrid finish, in an open-addressing hash table (never iterated, so
 * its order cannot leak into results): a dense nfunctions x nnodes table
 * would be 10 million entries on scenarios/scale.json.
 *
 * Calls run one way: this file calls into world_core.c (the runtimes, the
 * idle counts, the expiry event); world_core.c reaches the policy only
 * through what wka_create sets in the world (the runtimes' default
 * keep-alive and the removal hook).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_policy_plugin.h"
#include "engine/dist.h"
#include "input/plugin.h"
#include "keepalive.h"
#include "runtime.h"
#include "model/measures.h"
#include "model/world_internal.h"

typedef struct pw_entry {
    uint64_t key;         /* fn * nnodes + node + 1; 0 = empty */
    sim_handle pending;   /* the pending pre-warm event, if `armed` */
    edge_time keepalive;  /* its keep-alive (the decision's prewarm_keepalive) */
    uint32_t prewarmed;   /* pre-warmed instances of the pair still idle, unused */
    uint8_t armed;
} pw_entry;

struct wka {
    edge_keepalive *policy;
    pw_entry *tab;
    size_t cap, count;    /* cap a power of two, count <= cap / 2 */
    wka_counts *per_fn;   /* pre-warm counters per function */
    wka_counts total;
    edge_keepalive_decision decision; /* from before_finish to after_finish */
};

static void wka_removed(sim_world *w, size_t fn, size_t node, uint32_t idle_left);

/* The runtimes' default keep-alive under the scenario's policy. */
static edge_time runtime_keepalive(const sim_scenario *sc)
{
    const edge_keepalive_config *k = &sc->policies.keepalive;
    switch (k->type) {
    case EDGE_KEEPALIVE_FIXED:
        return k->ttl;
    case EDGE_KEEPALIVE_NONE:
        return 0;
    default: /* hybrid: what it decides while it knows nothing */
        return edge_keepalive_range(k);
    }
}

int wka_create(sim_world *w, char *err, size_t errlen)
{
    const sim_scenario *sc = w->sc;
    w->ka_hybrid = sc->policies.keepalive.type == EDGE_KEEPALIVE_HYBRID;
    wka *k = calloc(1, sizeof *k);
    if (!k || !(k->per_fn = calloc(sc->nfunctions ? sc->nfunctions : 1, sizeof *k->per_fn))) {
        free(k);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    w->ka = k;
    w->runtime_keepalive = runtime_keepalive(sc);
    if (!w->ka_hybrid)
        return 0;
    w->on_idle_removed = wka_removed;
    edge_err rc = edge_keepalive_new(&sc->policies.keepalive, sc->nfunctions, &k->policy);
    if (rc) {
        snprintf(err, errlen, "cannot create the keep-alive policy: %s", edge_strerror(rc));
        return -1;
    }
    return 0;
}

void wka_free(sim_world *w)
{
    wka *k = w ? w->ka : NULL;
    if (!k)
        return;
    edge_keepalive_free(k->policy);
    free(k->tab);
    free(k->per_fn);
    free(k);
    w->ka = NULL;
}

static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    return (size_t)(h >> 17) & (cap - 1);
}

/* The entry of (fn, node); created when `create`, else NULL when absent.
 * NULL also when the table cannot grow (the run then fails). */
static pw_entry *entry(sim_world *w, size_t fn, size_t node, int create)
{
    wka *k = w->ka;
    uint64_t key = (uint64_t)fn * w->nnodes + node + 1;
    if (k->cap) {
        for (size_t i = slot_of(key, k->cap);; i = (i + 1) & (k->cap - 1)) {
            if (k->tab[i].key == key)
                return &k->tab[i];
            if (k->tab[i].key == 0)
                break;
        }
    }
    if (!create)
        return NULL;
    if ((k->count + 1) * 2 > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        pw_entry *t = calloc(cap, sizeof *t);
        if (!t) {
            w->failed = EDGE_NOMEM;
            sim_engine_fail(w->eng, EDGE_NOMEM);
            return NULL;
        }
        for (size_t j = 0; j < k->cap; j++) {
            if (!k->tab[j].key)
                continue;
            size_t i = slot_of(k->tab[j].key, cap);
            while (t[i].key)
                i = (i + 1) & (cap - 1);
            t[i] = k->tab[j];
        }
        free(k->tab);
        k->tab = t;
        k->cap = cap;
    }
    size_t i = slot_of(key, k->cap);
    while (k->tab[i].key)
        i = (i + 1) & (k->cap - 1);
    k->tab[i].key = key;
    k->count++;
    return &k->tab[i];
}

void wka_arrival(sim_world *w, size_t fn)
{
    edge_keepalive_on_arrival(w->ka->policy, (uint32_t)fn, sim_engine_now(w->eng));
}

/* Pre-warm counters of a function and of the run. */
#define COUNT(w, fn, field) ((w)->ka->per_fn[fn].field++, (w)->ka->total.field++)

void wka_delivered(sim_world *w, size_t fn, size_t node)
{
    pw_entry *e = entry(w, fn, node, 0);
    if (e && e->armed) {
        sim_engine_cancel(w->eng, e->pending);
        e->armed = 0;
        COUNT(w, fn, cancelled);
    }
}

static void ev_prewarm(sim_engine *eng, void *ctx, const sim_event *ev)
{
    sim_world *w = ctx;
    size_t fn = ev->payload.a, node = ev->payload.b;
    pw_entry *e = entry(w, fn, node, 0);
    if (!e || !e->armed)
        return;
    e->armed = 0;
    const wnode *n = &w->nodes[node];
    edge_runtime *rt = wcore_runtime(w, node);
    edge_time now = sim_engine_now(eng);
    edge_err rc = EDGE_STATE;
    if (n->up && n->registered && rt &&
        (rc = edge_runtime_set_keepalive_idx(rt, (uint32_t)fn, e->keepalive, now)) == EDGE_OK)
        rc = wcore_warm_up(w, fn, node);
    if (rc != EDGE_OK) {
        COUNT(w, fn, failed);
        return;
    }
    e->prewarmed++;
    COUNT(w, fn, done);
}

void wka_before_finish(sim_world *w, size_t node, size_t fn)
{
    wka *k = w->ka;
    edge_time now = sim_engine_now(w->eng);
    edge_runtime *rt = wcore_runtime(w, node);
    edge_keepalive_decision *d = &k->decision;
    if (edge_keepalive_on_finish(k->policy, (uint32_t)fn, now) == EDGE_OK &&
        edge_keepalive_decide(k->policy, (uint32_t)fn, d) == EDGE_OK) {
        if (edge_runtime_keepalive(rt, (uint32_t)fn) != d->keepalive)
            edge_runtime_set_keepalive_idx(rt, (uint32_t)fn, d->keepalive, now);
    } else {
        d->prewarm_delay = EDGE_KEEPALIVE_NO_PREWARM;
    }
}

void wka_after_finish(sim_world *w, size_t node, size_t fn)
{
    wka *k = w->ka;
    const edge_keepalive_decision *d = &k->decision;
    if (d->prewarm_delay == EDGE_KEEPALIVE_NO_PREWARM)
        return;
    edge_time at = sim_engine_now(w->eng) + d->prewarm_delay;
    if (at > w->sc->duration)
        return;
    pw_entry *e = entry(w, fn, node, 1);
    if (!e)
        return;
    if (e->armed) { /* one pending pre-warm per pair: the newer decision wins */
        sim_engine_cancel(w->eng, e->pending);
        COUNT(w, fn, cancelled);
    }
    e->keepalive = d->prewarm_keepalive;
    e->armed = 1;
    sim_payload p = {.id = 0, .a = (uint32_t)fn, .b = (uint32_t)node};
    if (sim_engine_schedule(w->eng, at, ev_prewarm, w, p, &e->pending) != EDGE_OK) {
        w->failed = EDGE_NOMEM;
        sim_engine_fail(w->eng, EDGE_NOMEM);
    }
}

void wka_warm_start(sim_world *w, size_t fn, size_t node)
{
    pw_entry *e = entry(w, fn, node, 0);
    if (e && e->prewarmed) {
        e->prewarmed--;
        COUNT(w, fn, used);
    }
}

/* w->on_idle_removed when hybrid: pre-warmed instances that left are no
 * longer there to be used. */
static void wka_removed(sim_world *w, size_t fn, size_t node, uint32_t idle_left)
{
    pw_entry *e = entry(w, fn, node, 0);
    if (e && e->prewarmed > idle_left)
        e->prewarmed = idle_left;
}

const wka_counts *wka_function_counts(const sim_world *w, size_t fn)
{
    return &w->ka->per_fn[fn];
}

const wka_counts *wka_total_counts(const sim_world *w)
{
    return &w->ka->total;
}

void wka_plugin_before_finish(sim_world *w, size_t node, size_t fn, edge_time exec, int cold,
                              int ok)
{
    edge_runtime *rt = wcore_runtime(w, node);
    edge_time now = sim_engine_now(w->eng);
    const sim_function_spec *f = &w->sc->functions[fn];
    double cold_mean = sim_dist_mean(f->cold_start);
    edge_policy_keepalive_request req = {
        .function = (uint32_t)fn,
        .node = (uint32_t)node,
        .now = now,
        .exec_ns = exec,
        .cold = cold,
        .ok = ok,
        .memory_mb = f->memory_mb,
        .cold_start_mean_ns = isfinite(cold_mean) ? (int64_t)llround(cold_mean) : INT64_MAX,
        .default_ttl_ns = edge_runtime_keepalive(rt, (uint32_t)fn),
    };
    int64_t ttl = w->ka_plugin->keep_ns(sim_plugin_state(w->plugin), &req);
    if (ttl == EDGE_POLICY_DEFAULT)
        return;
    if (ttl < 0) {
        snprintf(w->fail_msg, sizeof w->fail_msg,
                 "plugin %s answered a keep-alive of %" PRId64 " ns for function %s: expected "
                 "a time >= 0 or EDGE_POLICY_DEFAULT",
                 w->sc->policies.plugin_path, ttl, f->id);
        w->failed = EDGE_INVAL;
        sim_engine_fail(w->eng, EDGE_INVAL);
        return;
    }
    if (edge_runtime_keepalive(rt, (uint32_t)fn) != ttl)
        edge_runtime_set_keepalive_idx(rt, (uint32_t)fn, ttl, now);
}
