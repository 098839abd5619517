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
 *      unless already OFFLINE (or leaving MAINTENANCE: "maintenance_end",
 *      which also turns OFFLINE when the probes suspect the node)
 *   2b. suspected by the active probes   -> OFFLINE ("probe_timeout"),
 *      unless already OFFLINE
 *   3. OFFLINE with a fresh heartbeat    -> SYNCING ("heartbeat_resumed")
 *      (and no probe suspicion)
 *   4. SYNCING and the replica current   -> ONLINE ("synced")
 *   5. overloaded or degraded            -> DEGRADED ("overloaded"/"degraded")
 *   6. DEGRADED and neither              -> ONLINE ("recovered")
 *   7. MAINTENANCE after the window      -> ONLINE ("maintenance_end")
 * "Fresh" means now - last_heartbeat <= window: exactly the window is fresh.
 *
 * Active probes are a second, independent witness: the control plane asks
 * the node every probe period and waits `timeout` for the answer. They see
 * only whether the node answers (a crashed node never does), not the
 * heartbeat path, so a heartbeat delay or loss fault leaves them alone. The
 * probe rules keep a two-field state per node (failures in a row, suspected)
 * that the caller owns and passes in; like the check they read no clock.
 */
#ifndef EDGE_HEALTH_MONITOR_H
#define EDGE_HEALTH_MONITOR_H

#include <stdint.h>

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
    int probe_suspected;      /* edge_probe_state.suspected; 0 without probes */
} edge_health_input;

typedef struct edge_health_verdict {
    edge_node_status status;  /* the status it should have */
    const char *reason;       /* static string; NULL when unchanged */
} edge_health_verdict;

#define EDGE_HEALTH_CHECK_DEFAULT (5 * EDGE_S)

/* Applies the rules above at time now. Never fails. */
edge_health_verdict edge_health_check(const edge_health_input *in, edge_time now);

/* ---- active probes -------------------------------------------------------- */

typedef struct edge_probe_config {
    edge_time period;   /* between two probes of one node; > 0 */
    edge_time timeout;  /* an answer later than this after the probe is a failure; > 0 */
    uint32_t failures;  /* failures in a row that make the node suspected; >= 1 */
} edge_probe_config;

/* One node's probe history; zero-initialised means "never probed". */
typedef struct edge_probe_state {
    uint32_t failed_in_row;
    int suspected;
} edge_probe_state;

typedef enum {
    EDGE_PROBE_SAME,      /* the suspicion did not change */
    EDGE_PROBE_SUSPECT,   /* this failure reached the threshold: now suspected */
    EDGE_PROBE_CLEAR,     /* this success ended a suspicion */
} edge_probe_change;

/* Never: what a node that does not answer answers at. */
#define EDGE_PROBE_NO_ANSWER EDGE_TIME_MAX

/*
 * Whether a probe sent at `sent` and answered at `answered_at`
 * (EDGE_PROBE_NO_ANSWER when it never is) succeeded: 1 when
 * answered_at - sent <= timeout (exactly the timeout is in time), else 0.
 */
int edge_probe_in_time(const edge_probe_config *cfg, edge_time sent, edge_time answered_at);

/*
 * Records one probe outcome (ok 1 = answered in time) into st and says
 * whether the suspicion changed: a success resets the run of failures and
 * clears a suspicion; a failure extends the run, and the one that makes it
 * cfg->failures long suspects the node (later failures change nothing).
 * Never fails; st and cfg must not be NULL.
 */
edge_probe_change edge_probe_record(edge_probe_state *st, const edge_probe_config *cfg, int ok);

#endif
