#include "health_monitor.h"

static edge_health_verdict to(edge_node_status s, const char *reason)
{
    return (edge_health_verdict){s, reason};
}

edge_health_verdict edge_health_check(const edge_health_input *in, edge_time now)
{
    edge_node_status st = in->status;
    edge_health_verdict same = {st, NULL};
    int fresh = now - in->last_heartbeat <= in->window;

    if (in->maintenance)
        return st == EDGE_NODE_MAINTENANCE ? same : to(EDGE_NODE_MAINTENANCE, "maintenance");
    if (st == EDGE_NODE_MAINTENANCE)
        return to(fresh ? EDGE_NODE_ONLINE : EDGE_NODE_OFFLINE, "maintenance_end");
    if (!fresh)
        return st == EDGE_NODE_OFFLINE ? same : to(EDGE_NODE_OFFLINE, "heartbeat_timeout");
    if (st == EDGE_NODE_OFFLINE)
        return to(EDGE_NODE_SYNCING, "heartbeat_resumed");
    if (st == EDGE_NODE_SYNCING)
        return in->synced ? to(EDGE_NODE_ONLINE, "synced") : same;
    if (in->overloaded || in->degraded) {
        if (st == EDGE_NODE_DEGRADED)
            return same;
        return to(EDGE_NODE_DEGRADED, in->degraded ? "degraded" : "overloaded");
    }
    if (st == EDGE_NODE_DEGRADED)
        return to(EDGE_NODE_ONLINE, "recovered");
    return same;
}
