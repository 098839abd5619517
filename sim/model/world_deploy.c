/*
 * world_deploy.c — placing functions on nodes: the scenario's deployments at
 * time 0 (in file order) and the deploy faults later (docs/scenario.md,
 * "deployments"), each through the cluster's calls (world_core.c) so its
 * contracts hold, each with its row in placements.csv and the scheduler
 * told where the function now runs.
 */
#include <stdint.h>
#include <stdlib.h>

#include "cluster.h"
#include "edge_policy_plugin.h"
#include "output/report.h"
#include "scheduler.h"
#include "model/world_internal.h"

void wdeploy_one(sim_world *w, size_t fn, size_t node, const char *strategy)
{
    edge_err rc = wcore_deploy_to(w, fn, node);
    sim_placement_row row = {sim_engine_now(w->eng), (uint32_t)fn, (uint32_t)node, strategy, rc};
    if (sim_report_placement(w->report, &row) != 0)
        wfail_run(w, EDGE_NOMEM);
    if (rc == EDGE_OK) {
        edge_scheduler_set_deployed(w->sched, fn, node, 1);
        w->nodes[node].deployments++;
        w->deployments++;
    }
}

/* A spread / best_fit / worst_fit deployment: one placements row per
 * replica placed, and one per replica that found no node (no_eligible_node),
 * as least_loaded writes them. */
static int deploy_strategy(sim_world *w, const sim_deployment_spec *ds)
{
    static const char *const names[] = {"spread", "best_fit", "worst_fit"};
    int strat = ds->kind == SIM_DEPLOY_SPREAD ? EDGE_PLACE_SPREAD
              : ds->kind == SIM_DEPLOY_BEST_FIT ? EDGE_PLACE_BEST_FIT : EDGE_PLACE_WORST_FIT;
    size_t *nodes = malloc((ds->replicas ? ds->replicas : 1) * sizeof *nodes), placed = 0;
    if (!nodes)
        return -1;
    edge_err rc = wcore_deploy_strategy(w, ds->function, strat, ds->replicas, nodes, &placed);
    if (rc == EDGE_NOMEM) {
        free(nodes);
        return -1;
    }
    for (uint32_t r = 0; r < ds->replicas; r++) {
        int ok = r < placed;
        sim_placement_row row = {0, (uint32_t)ds->function,
                                 ok ? (uint32_t)nodes[r] : UINT32_MAX, names[strat],
                                 ok ? EDGE_OK : rc ? rc : EDGE_NO_ELIGIBLE};
        if (sim_report_placement(w->report, &row) != 0) {
            free(nodes);
            return -1;
        }
        if (ok) {
            edge_scheduler_set_deployed(w->sched, ds->function, nodes[r], 1);
            w->nodes[nodes[r]].deployments++;
            w->deployments++;
        }
    }
    free(nodes);
    return 0;
}

int wdeploy_scenario(sim_world *w)
{
    const sim_scenario *sc = w->sc;
    for (size_t d = 0; d < sc->ndeployments; d++) {
        const sim_deployment_spec *ds = &sc->deployments[d];
        switch (ds->kind) {
        case SIM_DEPLOY_ALL:
            for (size_t i = 0; i < sc->nnodes; i++)
                if (w->nodes[i].registered && wcore_can_run(w, ds->function, i))
                    wdeploy_one(w, ds->function, i, "all");
            break;
        case SIM_DEPLOY_NODES:
            for (size_t i = 0; i < ds->nnodes; i++)
                wdeploy_one(w, ds->function, ds->nodes[i], "nodes");
            break;
        case SIM_DEPLOY_LEAST_LOADED:
            for (uint32_t r = 0; r < ds->replicas; r++) {
                size_t node;
                edge_err drc = wplace_least_loaded(w, ds->function,
                                                   EDGE_POLICY_PLACE_DEPLOYMENT, &node);
                sim_placement_row row = {0, (uint32_t)ds->function,
                                         drc == EDGE_OK ? (uint32_t)node : UINT32_MAX,
                                         "least_loaded", drc};
                if (sim_report_placement(w->report, &row) != 0)
                    return -1;
                if (drc == EDGE_OK) {
                    edge_scheduler_set_deployed(w->sched, ds->function, node, 1);
                    w->nodes[node].deployments++;
                    w->deployments++;
                }
            }
            break;
        case SIM_DEPLOY_SPREAD:
        case SIM_DEPLOY_BEST_FIT:
        case SIM_DEPLOY_WORST_FIT:
            if (deploy_strategy(w, ds) != 0)
                return -1;
            break;
        }
    }
    return 0;
}
