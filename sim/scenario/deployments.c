/*
 * deployments.c — the scenario's "deployments" section (docs/scenario.md,
 * "deployments"): which functions go where at the start, checked against the
 * nodes that can run them.
 */
#include "scenario/reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Deployments                                                                */

static const char *const deploy_fields[] = {"function", "strategy", "nodes", "replicas", NULL};
/* In sim_deploy_kind order. */
static const char *const deploy_strategies[] = {"all",    "nodes",    "least_loaded",
                                                "spread", "best_fit", "worst_fit", NULL};
static const char *const deploy_allowed[][4] = {
    {"function", "strategy", NULL},
    {"function", "strategy", "nodes", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
};

/* Nodes registered at the start that can run f and whose memory_mb holds
 * one instance of it (as core rounds it: up to a whole MB). */
static size_t fitting_nodes(sc_ctx *c, const sim_function_spec *f)
{
    const sim_scenario *s = c->s;
    double need = ceil(f->memory_mb) < 1 ? 1 : ceil(f->memory_mb);
    size_t n = 0;
    const char *lack;
    for (size_t k = 0; k < s->nnodes; k++)
        n += s->nodes[k].starts_registered && s->nodes[k].memory_mb >= need &&
             sc_node_has_caps(&s->nodes[k], f, &lack);
    return n;
}

/* Nodes registered at the start that can run function f. Functions without
 * required capabilities (the common case) share one cached count, so "*"
 * over 1,000 functions does not cost 1,000 passes over the nodes. */
size_t sc_capable_nodes(sc_ctx *c, const sim_function_spec *f)
{
    const sim_scenario *s = c->s;
    if (f->ncaps == 0 && c->registered_at_start != SIM_ALL)
        return c->registered_at_start;
    size_t n = 0;
    const char *lack;
    for (size_t k = 0; k < s->nnodes; k++)
        n += s->nodes[k].starts_registered && sc_node_has_caps(&s->nodes[k], f, &lack);
    if (f->ncaps == 0)
        c->registered_at_start = n;
    return n;
}

static void read_deployment(sc_ctx *c, const cJSON *it, const char *p)
{
    sim_scenario *s = c->s;
    int strategy;
    if (sc_enum_field(c, it, p, "strategy", 1, deploy_strategies, &strategy) < 0) {
        size_t *fns = NULL, nfns;
        sc_check_fields(c, it, p, deploy_fields, NULL, NULL);
        sc_function_set(c, it, p, "function", &fns, &nfns);
        free(fns);
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "the %s strategy", deploy_strategies[strategy]);
    sc_check_fields(c, it, p, deploy_fields, deploy_allowed[strategy], what);
    size_t *fns = NULL, nfns = 0, *nodes = NULL, nnodes = 0;
    double replicas = 1;
    int bad = sc_function_set(c, it, p, "function", &fns, &nfns) < 0;
    char q[SIM_DIAG_PATH_MAX];
    if (strategy == SIM_DEPLOY_NODES) {
        const cJSON *v = sc_member(it, "nodes");
        sc_path_key(q, p, "nodes");
        if (!v) {
            sc_missing(c, it, p, "nodes", "a list of node ids or patterns such as [\"edge-1\"]");
            bad = 1;
        } else if (!(nodes = sc_node_list(c, v, q, &nnodes))) {
            bad = 1;
        }
        /* Each named node must be there at the start and able to run each function. */
        for (size_t k = 0; !bad && k < nnodes; k++) {
            const sim_node_spec *n = &s->nodes[nodes[k]];
            const char *lack = NULL;
            if (!n->starts_registered) {
                sc_diag(c, v, q, "expected nodes registered at the start, found %s (it joins later by a register fault)",
                        sc_quoted(n->id).s);
                bad = 1;
            }
            for (size_t j = 0; !bad && !sc_nodes_partial(c) && j < nfns; j++)
                if (!sc_node_has_caps(n, &s->functions[fns[j]], &lack)) {
                    sc_diag(c, v, q, "expected nodes with capability %s (function %s needs it), found %s",
                            sc_quoted(lack).s, sc_quoted(s->functions[fns[j]].id).s, sc_quoted(n->id).s);
                    bad = 1;
                }
        }
    } else {
        if (strategy != SIM_DEPLOY_ALL)
            bad |= sc_number_field(c, it, p, "replicas", 0, &SC_NS_COUNT, &replicas) < 0;
        int fits = strategy == SIM_DEPLOY_BEST_FIT || strategy == SIM_DEPLOY_WORST_FIT;
        int partial = sc_nodes_partial(c); /* the fit is not asked then */
        for (size_t j = 0; !bad && !partial && j < nfns; j++) {
            const sim_function_spec *f = &s->functions[fns[j]];
            size_t cap = sc_capable_nodes(c, f);
            size_t fit = fits && cap > 0 ? fitting_nodes(c, f) : cap;
            if (cap > 0 && fit == 0) {
                sc_path_key(q, p, "function");
                sc_diag(c, sc_member(it, "function"), q,
                        "expected a function whose memory fits some capable node registered at "
                        "the start, found %s (%g MB; no such node has that much memory_mb)",
                        sc_quoted(f->id).s, f->memory_mb);
                bad = 1;
            } else if (fits && cap > 0 && fit < replicas) {
                sc_path_key(q, p, "replicas");
                sc_diag(c, sc_member(it, "replicas"), q,
                        "expected at most %zu replicas (the capable nodes with memory_mb for %s "
                        "at the start), found %.0f",
                        fit, sc_quoted(f->id).s, replicas);
                bad = 1;
            } else if (cap == 0) {
                sc_path_key(q, p, "function");
                sc_diag(c, sc_member(it, "function"), q,
                        "expected a function that some node registered at the start can run, "
                        "found %s (no such node has its capabilities)",
                        sc_quoted(f->id).s);
                bad = 1;
            } else if (strategy != SIM_DEPLOY_ALL && cap < replicas) {
                sc_path_key(q, p, "replicas");
                sc_diag(c, sc_member(it, "replicas"), q,
                        "expected at most %zu replicas (the nodes that can run %s at the start), "
                        "found %.0f",
                        cap, sc_quoted(f->id).s, replicas);
                bad = 1;
            }
        }
    }
    if (bad || c->oom) {
        free(fns);
        free(nodes);
        return;
    }
    size_t need = s->ndeployments + nfns;
    if (sc_grow(c, (void **)&s->deployments, &c->deploy_cap, need, sizeof *s->deployments) == 0) {
        for (size_t j = 0; j < nfns; j++) {
            sim_deployment_spec *d = &s->deployments[s->ndeployments];
            memset(d, 0, sizeof *d);
            d->function = fns[j];
            d->kind = (sim_deploy_kind)strategy;
            d->replicas = (uint32_t)replicas;
            if (strategy == SIM_DEPLOY_NODES) {
                if (!(d->nodes = sc_xcalloc(c, nnodes, sizeof *d->nodes)))
                    break;
                memcpy(d->nodes, nodes, nnodes * sizeof *nodes);
                d->nnodes = nnodes;
            }
            s->ndeployments++;
        }
    }
    free(fns);
    free(nodes);
}

void sc_read_deployments(sc_ctx *c)
{
    const cJSON *deps = NULL;
    if (sc_array_field(c, c->root, "", "deployments", 0,
                       "a list of deployments such as [{\"function\": \"resize\", \"strategy\": \"all\"}]",
                       &deps) <= 0)
        return;
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = deps->child; it && !c->oom; it = it->next, i++) {
        sc_path_index(p, "deployments", i);
        if (sc_want_object(c, it, p, "a deployment"))
            read_deployment(c, it, p);
    }
}

/* ------------------------------------------------------------------------ */
/* Requests nothing places                                                    */

/* The first function of workload w that `placed` lacks, or SIM_ALL. */
static size_t unplaced_function(const sim_scenario *s, const sim_workload_spec *w,
                                const unsigned char *placed)
{
    if (!w->workflow)
        return w->function < s->nfunctions && !placed[w->function] ? w->function : SIM_ALL;
    const sim_workflow_spec *wf = &s->workflows[w->workflow - 1];
    for (size_t k = 0; k < wf->nsteps; k++)
        if (wf->steps[k].function < s->nfunctions && !placed[wf->steps[k].function])
            return wf->steps[k].function;
    return SIM_ALL;
}

/* Per function, 1 when something can place it: a deployment or a deploy
 * fault. NULL when nothing needs the answer (an autoscaler or a plugin may
 * place anything; no function) or out of memory. The caller frees it. */
static unsigned char *placed_functions(const sim_scenario *s)
{
    if (!s || s->policies.autoscaler.type != EDGE_AUTOSCALER_NONE || s->policies.plugin_name ||
        !s->nfunctions)
        return NULL;
    unsigned char *placed = calloc(s->nfunctions, 1);
    if (!placed)
        return NULL;
    for (size_t i = 0; i < s->ndeployments; i++)
        if (s->deployments[i].function < s->nfunctions)
            placed[s->deployments[i].function] = 1;
    for (size_t i = 0; i < s->nfaults; i++)
        if (s->faults[i].kind == SIM_FAULT_DEPLOY && s->faults[i].function < s->nfunctions)
            placed[s->faults[i].function] = 1;
    return placed;
}

size_t sim_scenario_unplaced(const sim_scenario *s, sim_unplaced *out, size_t max)
{
    unsigned char *placed = placed_functions(s);
    if (!placed)
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < s->nworkloads; k++) {
        size_t f = unplaced_function(s, &s->workloads[k], placed);
        if (f != SIM_ALL && n++ < max)
            out[n - 1] = (sim_unplaced){k, SIZE_MAX, f};
    }
    for (size_t k = 0; k < s->nfaults; k++) {
        size_t f = s->faults[k].function;
        if (s->faults[k].kind == SIM_FAULT_BURST && f < s->nfunctions && !placed[f] &&
            n++ < max)
            out[n - 1] = (sim_unplaced){SIZE_MAX, k, f};
    }
    free(placed);
    return n;
}
