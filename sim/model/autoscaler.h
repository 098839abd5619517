/*
 * autoscaler.h — the autoscaler's wiring in a run (docs/semantics.md,
 * "Autoscaling"): a timer that measures each scaled function's load, asks
 * core/autoscaler.h's rule for a replica count, and deploys or undeploys
 * replicas through the cluster's calls (placements.csv rows "autoscaler").
 *
 * A replica is a deployment of the function on a node. A new one is
 * pending for a cold start (drawn from the function's cold_start on the
 * stream "autoscaler_cold" of the function) and then serves with one warm
 * instance loaded; the scheduler routes to ready replicas only. A
 * scale-down undeploys the newest ready replicas (running invocations
 * finish there). With the concurrency autoscaler at zero replicas, a
 * request is held (as Knative's activator holds it) until the replica it
 * called up is ready.
 *
 * Only the world calls these; each is O(1) per invocation event and
 * O(scaled functions) per tick. Off (w->as NULL) unless the scenario's
 * policies.autoscaler is concurrency or utilization.
 */
#ifndef SIM_MODEL_AUTOSCALER_H
#define SIM_MODEL_AUTOSCALER_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_world sim_world;

/* After the initial deployments: the replicas are those deployed, the
 * first tick is scheduled. Returns 0, or -1 with a message in err. */
/* route re-routes a held invocation (the world's own routing). */
int was_create(sim_world *w, void (*route)(sim_world *, uint32_t), char *err, size_t errlen);
void was_free(sim_world *w);

/* Load accounting of fn (only while w->as): an invocation arrived, got a
 * slot, left its slot, ended. */
void was_arrival(sim_world *w, size_t fn);
void was_started(sim_world *w, size_t fn);
void was_stopped(sim_world *w, size_t fn);
void was_finished(sim_world *w, size_t fn);

/* Invocation id found no node: 1 when the autoscaler holds it until a
 * replica is ready (scale from zero), 0 when it is to be rejected. */
int was_hold(sim_world *w, uint32_t id);

/* summary.json's "autoscaler" (caller owns it), or NULL out of memory. */
cJSON *was_summary(const sim_world *w);

/* Commits autoscaler.csv into the output folder. 0 or -1 with err. */
int was_write(sim_world *w, char *err, size_t errlen);

#endif
