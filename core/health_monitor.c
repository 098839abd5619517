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
        return to(fresh && !in->probe_suspected ? EDGE_NODE_ONLINE : EDGE_NODE_OFFLINE,
                  "maintenance_end");
    if (!fresh)
        return st == EDGE_NODE_OFFLINE ? same : to(EDGE_NODE_OFFLINE, "heartbeat_timeout");
    if (in->probe_suspected)
        return st == EDGE_NODE_OFFLINE ? same : to(EDGE_NODE_OFFLINE, "probe_timeout");
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

int edge_probe_in_time(const edge_probe_config *cfg, edge_time sent, edge_time answered_at)
{
    return answered_at != EDGE_PROBE_NO_ANSWER && answered_at >= sent &&
           answered_at - sent <= cfg->timeout;
}

edge_probe_change edge_probe_record(edge_probe_state *st, const edge_probe_config *cfg, int ok)
{
    if (ok) {
        st->failed_in_row = 0;
        if (!st->suspected)
            return EDGE_PROBE_SAME;
        st->suspected = 0;
        return EDGE_PROBE_CLEAR;
    }
    if (st->failed_in_row < UINT32_MAX)
        st->failed_in_row++;
    if (st->suspected || st->failed_in_row < cfg->failures)
        return EDGE_PROBE_SAME;
    st->suspected = 1;
    return EDGE_PROBE_SUSPECT;
}
