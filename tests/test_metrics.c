/* Pins core/metrics: every outcome lands in the total, its function and its
 * node; rejections count neither as started nor as cold; latency only for OK.
 * Deferred recording ends exactly where immediate recording does (counts,
 * buckets, min, max and the order-sensitive sum), lags only until a flush or
 * a full batch, refuses what recording refuses, and without memory for its
 * batch records at once.
 *
 * This file defines core's four allocation functions (tests/alloc_budget.h,
 * see core/alloc.h), so a test can make the Nth allocation fail. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_budget.h"
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
    /* deferred recording refuses what recording refuses, and holds nothing */
    edge_err (*const record[])(edge_metrics *, size_t, size_t, edge_reason, edge_time, int) = {
        edge_metrics_record, edge_metrics_record_deferred};
    for (int k = 0; k < 2; k++) {
        cr_expect_eq(record[k](&m, 1, 0, EDGE_REASON_OK, 1, 0), EDGE_INVAL);
        cr_expect_eq(record[k](&m, 0, 1, EDGE_REASON_OK, 1, 0), EDGE_INVAL);
        cr_expect_eq(record[k](&m, 0, 0, EDGE_REASON_COUNT, 1, 0), EDGE_INVAL);
    }
    cr_expect_eq(m.npending, 0);
    cr_assert_eq(edge_metrics_flush(&m), EDGE_OK);
    cr_expect_eq(edge_metric_total(&m.total), 0);
    cr_expect_eq(edge_metric_total(&m.per_function[0]), 0);
    cr_expect_eq(edge_metric_total(&m.per_node[0]), 0);
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

/* Every field of two scopes, buckets included, bit for bit (sum too: it is
 * added in the same order or not at all). */
static void expect_same_scope(const edge_metric_counts *a, const edge_metric_counts *b,
                              const char *what, size_t i)
{
    for (int r = 0; r < EDGE_REASON_COUNT; r++)
        cr_expect_eq(a->by_reason[r], b->by_reason[r], "%s %zu reason %d", what, i, r);
    cr_expect_eq(a->cold_starts, b->cold_starts, "%s %zu cold starts", what, i);
    cr_expect_eq(a->latency.count, b->latency.count, "%s %zu count", what, i);
    if (a->latency.count == 0)
        return;
    cr_expect_eq(a->latency.min, b->latency.min, "%s %zu min", what, i);
    cr_expect_eq(a->latency.max, b->latency.max, "%s %zu max", what, i);
    cr_expect(memcmp(&a->latency.sum, &b->latency.sum, sizeof a->latency.sum) == 0,
              "%s %zu sum %.17g vs %.17g", what, i, a->latency.sum, b->latency.sum);
    for (int32_t k = 0; k < 3776; k++)
        if (edge_histogram_bucket_count(&a->latency, k) != edge_histogram_bucket_count(&b->latency, k)) {
            cr_expect(0, "%s %zu bucket %d differs", what, i, k);
            return;
        }
}

Test(metrics, deferred_recording_ends_exactly_where_immediate_recording_does)
{
    enum { FUNCTIONS = 7, NODES = 300, OUTCOMES = 5 * EDGE_METRICS_BATCH + 37 };
    edge_metrics now, later;
    cr_assert_eq(edge_metrics_init(&now, FUNCTIONS, NODES), EDGE_OK);
    cr_assert_eq(edge_metrics_init(&later, FUNCTIONS, NODES), EDGE_OK);
    uint64_t x = 88172645463325252u; /* xorshift: the same outcomes for both */
    for (int i = 0; i < OUTCOMES; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t fn = x % FUNCTIONS, node = (x >> 8) % (NODES + 1);
        if (node == NODES)
            node = EDGE_METRICS_NO_NODE;
        edge_reason reason = (x >> 20) % 4 ? EDGE_REASON_OK : (edge_reason)((x >> 24) % EDGE_REASON_COUNT);
        edge_time latency = (edge_time)((x >> 30) % (3 * EDGE_S)) + (i % 5 == 0 ? 0 : EDGE_MS);
        int cold = (x >> 50) % 3 == 0;
        cr_assert_eq(edge_metrics_record(&now, fn, node, reason, latency, cold), EDGE_OK);
        cr_assert_eq(edge_metrics_record_deferred(&later, fn, node, reason, latency, cold), EDGE_OK);
    }
    cr_expect_eq(later.npending, OUTCOMES % EDGE_METRICS_BATCH, "full batches were applied");
    expect_same_scope(&now.total, &later.total, "total", 0);
    cr_assert_eq(edge_metrics_flush(&later), EDGE_OK);
    cr_expect_eq(later.npending, 0);
    cr_expect_eq(edge_metrics_flush(&later), EDGE_OK, "an empty flush is fine");
    expect_same_scope(&now.total, &later.total, "total", 0);
    for (size_t f = 0; f < FUNCTIONS; f++)
        expect_same_scope(&now.per_function[f], &later.per_function[f], "function", f);
    for (size_t n = 0; n < NODES; n++)
        expect_same_scope(&now.per_node[n], &later.per_node[n], "node", n);
    edge_metrics_free(&now);
    edge_metrics_free(&later);
}

Test(metrics, deferred_outcomes_reach_functions_and_nodes_at_the_flush_or_a_full_batch)
{
    edge_metrics m;
    cr_assert_eq(edge_metrics_init(&m, 1, 2), EDGE_OK);
    cr_assert_eq(edge_metrics_record_deferred(&m, 0, 1, EDGE_REASON_OK, 5 * EDGE_MS, 1), EDGE_OK);
    cr_expect_eq(edge_metric_ok(&m.total), 1, "the total at once");
    cr_expect_eq(m.total.cold_starts, 1);
    cr_expect_eq(edge_metric_ok(&m.per_node[1]), 0, "the node waits for the flush");
    cr_expect_eq(edge_metric_ok(&m.per_function[0]), 0);
    cr_assert_eq(edge_metrics_flush(&m), EDGE_OK);
    cr_expect_eq(edge_metric_ok(&m.per_node[1]), 1);
    cr_expect_eq(edge_metric_ok(&m.per_function[0]), 1);
    cr_expect_eq(m.per_node[1].latency.max, 5 * EDGE_MS);
    /* one short of a batch waits; the batch's last outcome applies them all */
    for (int i = 0; i < EDGE_METRICS_BATCH - 1; i++)
        cr_assert_eq(edge_metrics_record_deferred(&m, 0, 0, EDGE_REASON_TIMEOUT, 0, 0), EDGE_OK);
    cr_expect_eq(edge_metric_failed(&m.per_node[0]), 0);
    cr_assert_eq(edge_metrics_record_deferred(&m, 0, 0, EDGE_REASON_TIMEOUT, 0, 0), EDGE_OK);
    cr_expect_eq(edge_metric_failed(&m.per_node[0]), EDGE_METRICS_BATCH);
    cr_expect_eq(m.npending, 0);
    /* held back outcomes are dropped with the metrics (valgrind: no leak) */
    cr_assert_eq(edge_metrics_record_deferred(&m, 0, 0, EDGE_REASON_OK, 1, 0), EDGE_OK);
    edge_metrics_free(&m);
}

Test(metrics, without_memory_for_its_batch_deferred_recording_records_at_once)
{
    edge_metrics m;
    cr_assert_eq(edge_metrics_init(&m, 1, 1), EDGE_OK);
    alloc_budget = 0;
    cr_expect_eq(edge_metrics_record_deferred(&m, 0, 0, EDGE_REASON_OK, 7 * EDGE_MS, 0), EDGE_OK);
    alloc_budget = -1;
    cr_expect_null(m.pending);
    cr_expect_eq(edge_metric_ok(&m.per_node[0]), 1, "recorded at once");
    cr_expect_eq(m.per_function[0].latency.min, 7 * EDGE_MS);
    cr_expect_eq(edge_metrics_record_deferred(&m, 0, 0, EDGE_REASON_OK, 8 * EDGE_MS, 0), EDGE_OK);
    cr_expect_not_null(m.pending, "memory is back: deferred again");
    cr_expect_eq(edge_metric_ok(&m.per_node[0]), 1);
    cr_assert_eq(edge_metrics_flush(&m), EDGE_OK);
    cr_expect_eq(m.per_node[0].latency.max, 8 * EDGE_MS);
    edge_metrics_free(&m);
}
