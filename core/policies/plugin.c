/*
 * plugin — picks made by a policy loaded from outside (edge_policy_plugin.h,
 * edge_scheduler_create_plugin); not in the registry by name.
 *
 * The plugin's choose() sees every eligible node of the function in node
 * order with its load, idle warm instances, region and latency, so a pick
 * costs O(m) for a function on m nodes plus whatever the plugin does; ties
 * are the plugin's. An answer that is neither a candidate index nor
 * EDGE_POLICY_NONE is no pick, remembered for edge_scheduler_bad_choice.
 * on_start / on_finish are forwarded.
 */
#include "scheduler_internal.h"

#include <stdlib.h>

/* A uniform double in [0, 1) from the caller's 64-bit stream: its top 53 bits. */
static double uniform01(void *ctx)
{
    edge_rand *r = ctx;
    return (double)(r->next(r->ctx) >> 11) * 0x1.0p-53;
}

static size_t pick(edge_scheduler *s, edge__sched_fn *fs, size_t function, const size_t *exclude,
                   size_t nexclude, edge_rand *rnd)
{
    size_t nc = 0;
    for (uint32_t p = 0; p < fs->n; p++) {
        if (!edge__sched_eligible(s, fs, p, exclude, nexclude))
            continue;
        uint32_t node = fs->nodes[p];
        s->cand[nc++] = (edge_policy_candidate){
            .node = node,
            .in_flight = s->load[node],
            .idle_warm = fs->idle[p],
            .region = s->regions ? s->regions[node] : 0,
            .latency_ns = s->costs ? s->costs[node] : 0,
        };
    }
    if (nc == 0)
        return EDGE_SCHED_NONE;
    if (s->transfer)
        for (size_t i = 0; i < nc; i++)
            s->cand_transfer[i] = s->transfer(s->transfer_ctx, s->cand[i].node);
    edge_policy_request req = {
        .function = (uint32_t)function,
        .client_region = s->client_region,
        .now = s->now,
        .candidates = s->cand,
        .ncandidates = nc,
        .uniform = rnd ? uniform01 : NULL,
        .rng = rnd,
        .transfer_ns = s->transfer ? s->cand_transfer : NULL,
    };
    long k = s->plugin->choose(s->plugin_state, &req);
    if (k == EDGE_POLICY_NONE)
        return EDGE_SCHED_NONE;
    if (k < 0 || (size_t)k >= nc) {
        if (!s->bad_choice)
            s->bad_value = k;
        s->bad_choice = 1;
        return EDGE_SCHED_NONE;
    }
    return s->cand[k].node;
}

/* The candidate array holds the largest function's nodes. */
static edge_err rebuilt(edge_scheduler *s, edge__sched_fn *fs)
{
    if (fs->n > s->cand_cap) {
        edge_policy_candidate *c = realloc(s->cand, fs->n * sizeof *c);
        if (!c)
            return EDGE_NOMEM;
        s->cand = c;
        int64_t *t = realloc(s->cand_transfer, fs->n * sizeof *t);
        if (!t)
            return EDGE_NOMEM;
        s->cand_transfer = t;
        s->cand_cap = fs->n;
    }
    return EDGE_OK;
}

static void started(edge_scheduler *s, size_t function, size_t node, int64_t now)
{
    if (s->plugin->on_start)
        s->plugin->on_start(s->plugin_state, (uint32_t)function, (uint32_t)node, now);
}

static void finished(edge_scheduler *s, size_t function, size_t node, int64_t now, int ok)
{
    if (s->plugin->on_finish)
        s->plugin->on_finish(s->plugin_state, (uint32_t)function, (uint32_t)node, now, ok);
}

const edge__sched_policy edge__sched_plugin = {
    .name = "plugin",
    .flags = EDGE__SCHED_IDLE,
    .pick = pick,
    .rebuilt = rebuilt,
    .started = started,
    .finished = finished,
};
