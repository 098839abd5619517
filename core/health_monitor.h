/*
 * health_monitor.h — the rules that turn what the control plane knows about
 * a node (its last heartbeat, its reported usage, operator actions) into a
 * status, with a reason for every change.
 *
 * The monitor is a pure function of its inputs: the caller runs it every
 * check interval for every node and applies the verdict (the simulator
 * records it in health.csv; a real platform would update its registry). It
 * keeps no state of its own, so the same rules serve the simulator and a
 * real control loop, and a test can pin every transition.
 *
 * The rules, in order (the first that applies wins):
 *   1. in a maintenance window           -> MAINTENANCE ("maintenance")
 *   2. heartbeat older than the window   -> OFFLINE ("heartbeat_timeout"),
 *      unless already OFFLINE (or leaving MAINTENANCE: "maintenance_end")
 *   3. OFFLINE with a fresh heartbeat    -> SYNCING ("heartbeat_resumed")
 *   4. SYNCING and the replica current   -> ONLINE ("synced")
 *   5. overloaded or degraded            -> DEGRADED ("overloaded"/"degraded")
 *   6. DEGRADED and neither              -> ONLINE ("recovered")
 *   7. MAINTENANCE after the window      -> ONLINE ("maintenance_end")
 * "Fresh" means now - last_heartbeat <= window: exactly the window is fresh.
 */
#ifndef EDGE_HEALTH_MONITOR_H
#define EDGE_HEALTH_MONITOR_H

#include "node.h"
#include "time.h"

typedef struct edge_health_input {
    edge_node_status status;  /* the status the control plane holds now */
    edge_time last_heartbeat; /* when the last heartbeat was received */
    edge_time window;         /* the health window (default 60 s) */
    int overloaded;           /* the last reported usage is overloaded */
    int degraded;             /* an operator or fault marks it degraded */
    int maintenance;          /* inside a maintenance window */
    int synced;               /* the node's state replica is current */
} edge_health_input;

typedef struct edge_health_verdict {
    edge_node_status status;  /* the status it should have */
    const char *reason;       /* static string; NULL when unchanged */
} edge_health_verdict;

#define EDGE_HEALTH_CHECK_DEFAULT (5 * EDGE_S)

/* Applies the rules above at time now. Never fails. */
edge_health_verdict edge_health_check(const edge_health_input *in, edge_time now);

#endif
