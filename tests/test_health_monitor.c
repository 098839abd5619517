/* Pins core/health_monitor: the rules of edge_health_check (including the
 * probe suspicion of rule 2b) and the active-probe record: exactly the
 * timeout is in time, failures-1 failures in a row do not suspect, the
 * failures-th does (once), and a success clears it. */
#include <criterion/criterion.h>

#include "health_monitor.h"

static const edge_probe_config cfg = {5 * EDGE_S, EDGE_S, 3};

Test(health_monitor, an_answer_exactly_at_the_timeout_is_in_time)
{
    cr_expect(edge_probe_in_time(&cfg, 10 * EDGE_S, 11 * EDGE_S));
    cr_expect_not(edge_probe_in_time(&cfg, 10 * EDGE_S, 11 * EDGE_S + 1));
    cr_expect(edge_probe_in_time(&cfg, 10 * EDGE_S, 10 * EDGE_S));
    cr_expect_not(edge_probe_in_time(&cfg, 10 * EDGE_S, EDGE_PROBE_NO_ANSWER));
}

Test(health_monitor, failures_minus_one_probes_in_a_row_do_not_suspect)
{
    edge_probe_state st = {0};
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SAME);
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SAME);
    cr_expect_not(st.suspected);
    cr_expect_eq(st.failed_in_row, 2);
    /* a success in between starts the count again */
    cr_expect_eq(edge_probe_record(&st, &cfg, 1), EDGE_PROBE_SAME);
    cr_expect_eq(st.failed_in_row, 0);
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SAME);
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SAME);
    cr_expect_not(st.suspected);
}

Test(health_monitor, the_failures_th_failure_suspects_once_and_a_success_clears)
{
    edge_probe_state st = {0};
    edge_probe_record(&st, &cfg, 0);
    edge_probe_record(&st, &cfg, 0);
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SUSPECT);
    cr_expect(st.suspected);
    cr_expect_eq(edge_probe_record(&st, &cfg, 0), EDGE_PROBE_SAME, "already suspected");
    cr_expect_eq(edge_probe_record(&st, &cfg, 1), EDGE_PROBE_CLEAR);
    cr_expect_not(st.suspected);
    cr_expect_eq(edge_probe_record(&st, &cfg, 1), EDGE_PROBE_SAME);
}

Test(health_monitor, one_failure_suspects_when_the_threshold_is_one)
{
    edge_probe_config one = {EDGE_S, EDGE_S, 1};
    edge_probe_state st = {0};
    cr_expect_eq(edge_probe_record(&st, &one, 0), EDGE_PROBE_SUSPECT);
}

static edge_health_input fresh_online(void)
{
    return (edge_health_input){.status = EDGE_NODE_ONLINE, .last_heartbeat = 100 * EDGE_S,
                               .window = 60 * EDGE_S, .synced = 1};
}

Test(health_monitor, a_probe_suspicion_makes_a_node_with_fresh_heartbeats_offline)
{
    edge_health_input in = fresh_online();
    in.probe_suspected = 1;
    edge_health_verdict v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_eq(v.status, EDGE_NODE_OFFLINE);
    cr_expect_str_eq(v.reason, "probe_timeout");
    in.status = EDGE_NODE_OFFLINE;
    v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_null(v.reason, "stays OFFLINE while suspected, though heartbeats are fresh");
    in.probe_suspected = 0;
    v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_eq(v.status, EDGE_NODE_SYNCING);
    cr_expect_str_eq(v.reason, "heartbeat_resumed");
}

Test(health_monitor, a_stale_heartbeat_is_named_before_a_probe_suspicion)
{
    edge_health_input in = fresh_online();
    in.probe_suspected = 1;
    edge_health_verdict v = edge_health_check(&in, 160 * EDGE_S + 1);
    cr_expect_str_eq(v.reason, "heartbeat_timeout");
}

Test(health_monitor, maintenance_wins_over_a_probe_suspicion)
{
    edge_health_input in = fresh_online();
    in.probe_suspected = 1;
    in.maintenance = 1;
    edge_health_verdict v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_eq(v.status, EDGE_NODE_MAINTENANCE);
}

Test(health_monitor, leaving_maintenance_while_suspected_by_probes_is_offline)
{
    edge_health_input in = fresh_online();
    in.status = EDGE_NODE_MAINTENANCE;
    in.probe_suspected = 1;
    edge_health_verdict v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_eq(v.status, EDGE_NODE_OFFLINE);
    cr_expect_str_eq(v.reason, "maintenance_end");
    in.probe_suspected = 0;
    cr_expect_eq(edge_health_check(&in, 110 * EDGE_S).status, EDGE_NODE_ONLINE);
}

Test(health_monitor, syncing_waits_for_the_replica)
{
    edge_health_input in = fresh_online();
    in.status = EDGE_NODE_SYNCING;
    in.synced = 0;
    cr_expect_null(edge_health_check(&in, 110 * EDGE_S).reason);
    in.synced = 1;
    edge_health_verdict v = edge_health_check(&in, 110 * EDGE_S);
    cr_expect_eq(v.status, EDGE_NODE_ONLINE);
    cr_expect_str_eq(v.reason, "synced");
}
