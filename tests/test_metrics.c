/* Pins core/metrics: every outcome lands in the total, its function and its
 * node; rejections count neither as started nor as cold; latency only for OK. */
#include <criterion/criterion.h>

#include "metrics.h"

Test(metrics, outcomes_are_counted_in_every_scope)
{
    edge_metrics m;
    cr_assert_eq(edge_metrics_init(&m, 2, 3), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 0, 1, EDGE_REASON_OK, 5 * EDGE_MS, 1), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 0, 2, EDGE_REASON_OK, 7 * EDGE_MS, 0), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 1, 1, EDGE_REASON_TIMEOUT, 0, 1), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 1, EDGE_METRICS_NO_NODE, EDGE_REASON_NO_ELIGIBLE_NODE, 0, 1),
                 EDGE_OK);
    cr_expect_eq(edge_metric_total(&m.total), 4);
    cr_expect_eq(edge_metric_ok(&m.total), 2);
    cr_expect_eq(edge_metric_failed(&m.total), 1);
    cr_expect_eq(edge_metric_rejected(&m.total), 1);
    cr_expect_eq(edge_metric_started(&m.total), 3);
    cr_expect_eq(m.total.cold_starts, 2, "the rejection's cold flag is ignored");
    cr_expect_float_eq(edge_metric_cold_rate(&m.total), 2.0 / 3.0, 1e-12);
    cr_expect_eq(m.total.latency.count, 2, "latency only for OK");
    cr_expect_eq(edge_metric_total(&m.per_function[1]), 2);
    cr_expect_eq(edge_metric_total(&m.per_node[1]), 2);
    cr_expect_eq(edge_metric_total(&m.per_node[0]), 0);
    edge_metrics_free(&m);
}

Test(metrics, out_of_range_ids_are_refused_and_change_nothing)
{
    edge_metrics m;
    cr_assert_eq(edge_metrics_init(&m, 1, 1), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 1, 0, EDGE_REASON_OK, 1, 0), EDGE_INVAL);
    cr_expect_eq(edge_metrics_record(&m, 0, 1, EDGE_REASON_OK, 1, 0), EDGE_INVAL);
    cr_expect_eq(edge_metrics_record(&m, 0, 0, EDGE_REASON_COUNT, 1, 0), EDGE_INVAL);
    cr_expect_eq(edge_metric_total(&m.total), 0);
    cr_expect_eq(edge_metrics_grow_nodes(&m, 4), EDGE_OK);
    cr_expect_eq(edge_metrics_record(&m, 0, 3, EDGE_REASON_QUEUE_FULL, 0, 0), EDGE_OK);
    cr_expect_eq(edge_metric_rejected(&m.per_node[3]), 1);
    edge_metrics_free(&m);
    edge_metrics_free(NULL);
}

Test(metrics, reason_names_are_stable)
{
    cr_expect_str_eq(edge_reason_name(EDGE_REASON_OK), "ok");
    cr_expect_str_eq(edge_reason_name(EDGE_REASON_NODE_CRASH), "node_crash");
    cr_expect_str_eq(edge_reason_name(EDGE_REASON_QUEUE_FULL), "queue_full");
    cr_expect_str_eq(edge_reason_name(EDGE_REASON_COUNT), "unknown");
    cr_expect(edge_reason_is_rejection(EDGE_REASON_NO_ELIGIBLE_NODE));
    cr_expect(!edge_reason_is_rejection(EDGE_REASON_TIMEOUT));
}
