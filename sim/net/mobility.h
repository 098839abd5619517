/*
 * mobility.h — client groups that move between regions ("clients";
 * docs/semantics.md, "Mobility").
 *
 * Each group is in one region at a time. A "markov" group stays in region a
 * for an exponential time of rate q_a = sum of its rates out of a, then
 * moves to b with probability rate(a, b) / q_a; a "trace" group moves at the
 * times its list (or its file) gives; a "random_waypoint" group travels in a
 * straight line at a uniform speed to a waypoint drawn uniformly in its
 * area, pauses there, and goes on, and its region is the one nearest to its
 * position (sim_netspec_nearest). A request of a workload driven by a group comes
 * from the group's region at its arrival time; each change of region is a
 * handover.
 *
 * Evaluation is lazy: a group's moves are drawn only when someone asks
 * where it is (or at the end), in time order, from the group's own stream
 * ("mobility", entity = the group's index): the moves do not depend on when
 * or how often the group is asked, and turning mobility on changes no other
 * stream. Cost: O(1) per query plus O(1) per move passed (a random
 * waypoint's leg and each of its changes of region: O(regions)).
 */
#ifndef SIM_NET_MOBILITY_H
#define SIM_NET_MOBILITY_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "time.h"

typedef struct sim_mobility sim_mobility;

/* The groups of sc->net (borrowed: sc must outlive it), streams from seed.
 * NULL when out of memory. Free with sim_mobility_free (NULL is fine). */
sim_mobility *sim_mobility_create(const sim_scenario *sc, uint64_t seed);
void sim_mobility_free(sim_mobility *m);

/* Group g's region at now (now never before an earlier call's). */
size_t sim_mobility_region(sim_mobility *m, size_t group, edge_time now);

/* Group g's position (km) at now, for a random_waypoint group (0), else -1
 * (nothing written). The same rule of time as sim_mobility_region. */
int sim_mobility_position(sim_mobility *m, size_t group, edge_time now, double *x, double *y);

/* The summary.json "network.mobility" object at end (advances every group
 * to end first): per group its handovers and the fraction of [0, end) it
 * spent in each region it visited. Caller owns it; NULL when out of memory. */
cJSON *sim_mobility_summary(sim_mobility *m, edge_time end);

#endif
