/*
 * Pins core/cluster: register (duplicates refused, indices never reused),
 * lookup and registration-order iteration that survive deregister;
 * deregister with deployments; heartbeats and statuses through the cluster;
 * deploy to all (draining nodes skipped), deploy_to's errors in order,
 * least-loaded placement with its ties and draining; spread / best fit /
 * worst fit placement (regions round robin, exact fit, deployed memory);
 * invocation counters;
 * the health summary (an empty cluster reads 0.0 healthy); and that every
 * failing call — out of memory included, at each allocation in turn — leaves
 * the cluster exactly as it was.
 *
 * This file defines core's four allocation functions (tests/alloc_budget.h,
 * see core/alloc.h), so a test can make the Nth allocation fail.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_budget.h"
#include "cluster.h"

/* ---- fixtures ------------------------------------------------------------- */

static edge_function_table *fns;
static edge_cluster *c;
static const edge_resource_usage usage = {.cpu_percent = 5, .memory_max_mb = 1024,
                                          .disk_max_mb = 1024};

static uint32_t add_fn(const char *id, const char *const *caps, size_t n)
{
    edge_function_spec spec = {.id = id, .memory_mb = 128, .timeout = EDGE_S,
                               .capabilities = caps, .n_capabilities = n};
    edge_function *f;
    uint32_t idx;
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    cr_assert_eq(edge_function_table_add(fns, f, &idx), EDGE_OK);
    return idx;
}

static edge_node *mk_node(const char *id, const char *const *caps, size_t n, edge_time now)
{
    edge_node_spec spec = {.id = id, .region = "r", .capabilities = caps, .n_capabilities = n,
                           .resources = usage};
    edge_node *node;
    cr_assert_eq(edge_node_new(&spec, now, &node), EDGE_OK);
    return node;
}

static uint32_t reg(const char *id, const char *const *caps, size_t n)
{
    uint32_t idx;
    cr_assert_eq(edge_cluster_register(c, mk_node(id, caps, n, 0), &idx), EDGE_OK, "%s", id);
    return idx;
}

static uint32_t idx_of(const char *id)
{
    uint32_t i;
    cr_assert_eq(edge_cluster_find(c, id, &i), EDGE_OK, "%s", id);
    return i;
}

static void setup(void)
{
    alloc_budget = -1;
    cr_assert_eq(edge_function_table_new(&fns), EDGE_OK);
    cr_assert_eq(edge_cluster_new(fns, &c), EDGE_OK);
}

static void teardown(void)
{
    alloc_budget = -1;
    edge_cluster_free(c);
    edge_function_table_free(fns);
    c = NULL;
    fns = NULL;
}

TestSuite(cluster, .init = setup, .fini = teardown);

/* Everything observable about the cluster, as text, to compare before and
 * after a failing call. */
static void snapshot(char *buf, size_t n)
{
    size_t k = 0;
#define PUT(...) k += (size_t)snprintf(buf + k, k < n ? n - k : 0, __VA_ARGS__)
    PUT("size=%zu bound=%u deps=%zu window=%lld|", edge_cluster_size(c),
        edge_cluster_index_bound(c), edge_cluster_deployment_count(c),
        (long long)edge_cluster_health_window(c));
    for (uint32_t i = edge_cluster_first(c); i != EDGE_NONE; i = edge_cluster_next(c, i)) {
        const edge_node *node = edge_cluster_node(c, i);
        PUT("%u:%s:%s:%d:%lld:%g[", i, edge_node_id(node),
            edge_node_status_name(edge_node_status_of(node)), edge_cluster_is_draining(c, i),
            (long long)edge_node_last_heartbeat(node), edge_node_usage(node)->cpu_percent);
        size_t m;
        const uint32_t *f = edge_cluster_functions_on(c, i, &m);
        for (size_t j = 0; j < m; j++) {
            edge_deployment d;
            cr_assert_eq(edge_cluster_deployment(c, f[j], i, &d), EDGE_OK);
            PUT("%u@%lld#%llu,", f[j], (long long)d.deployed_at,
                (unsigned long long)d.invocations);
        }
        PUT("]");
    }
    for (uint32_t f = 0; f < edge_function_table_count(fns); f++) {
        size_t m;
        const uint32_t *nodes = edge_cluster_nodes_of(c, f, &m);
        PUT("|f%u:", f);
        for (size_t j = 0; j < m; j++)
            PUT("%u,", nodes[j]);
    }
#undef PUT
    cr_assert_lt(k, n, "snapshot buffer too small");
}

#define SNAP 65536
static char before[SNAP], after[SNAP];

static void expect_unchanged(const char *what)
{
    snapshot(after, SNAP);
    cr_expect_str_eq(after, before, "%s changed the cluster", what);
}

/* ---- nodes ------------------------------------------------------------------ */

Test(cluster, registers_nodes_with_dense_indices_in_registration_order)
{
    cr_expect_eq(reg("a", NULL, 0), 0);
    cr_expect_eq(reg("b", NULL, 0), 1);
    cr_expect_eq(reg("c", NULL, 0), 2);
    cr_expect_eq(edge_cluster_size(c), 3);
    cr_expect_eq(idx_of("b"), 1);
    cr_expect_str_eq(edge_node_id(edge_cluster_node(c, 2)), "c");
    const char *order = "abc";
    int k = 0;
    for (uint32_t i = edge_cluster_first(c); i != EDGE_NONE; i = edge_cluster_next(c, i), k++)
        cr_expect_eq(edge_node_id(edge_cluster_node(c, i))[0], order[k]);
    cr_expect_eq(k, 3);
}

Test(cluster, refuses_a_duplicate_id_and_the_caller_keeps_the_node)
{
    reg("a", NULL, 0);
    edge_node *dup = mk_node("a", NULL, 0, 0);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_register(c, dup, NULL), EDGE_EXISTS);
    expect_unchanged("duplicate register");
    cr_expect_eq(edge_cluster_register(c, NULL, NULL), EDGE_INVAL);
    edge_node_free(dup); /* still ours */
}

Test(cluster, deregister_keeps_the_order_of_the_rest_and_never_reuses_an_index)
{
    reg("a", NULL, 0);
    reg("b", NULL, 0);
    reg("c", NULL, 0);
    reg("d", NULL, 0);
    cr_assert_eq(edge_cluster_deregister(c, "b"), EDGE_OK);
    cr_assert_eq(edge_cluster_deregister_idx(c, 0), EDGE_OK); /* the head */
    cr_assert_eq(edge_cluster_deregister(c, "d"), EDGE_OK);   /* the tail */
    cr_expect_eq(edge_cluster_size(c), 1);
    cr_expect_eq(edge_cluster_first(c), 2);
    cr_expect_eq(edge_cluster_next(c, 2), EDGE_NONE);
    cr_expect_null(edge_cluster_node(c, 1));
    uint32_t i;
    cr_expect_eq(edge_cluster_find(c, "b", &i), EDGE_NOT_FOUND);
    cr_expect_eq(reg("b", NULL, 0), 4, "a new registration gets a new index");
    cr_expect_eq(edge_cluster_index_bound(c), 5);
    cr_expect_eq(edge_cluster_first(c), 2);
    cr_expect_eq(edge_cluster_next(c, 2), 4);
}

Test(cluster, deregister_of_an_unknown_node_is_an_error)
{
    reg("a", NULL, 0);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deregister(c, "zz"), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deregister_idx(c, 7), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deregister(c, NULL), EDGE_INVAL);
    expect_unchanged("deregister of unknown");
    cr_assert_eq(edge_cluster_deregister(c, "a"), EDGE_OK);
    cr_expect_eq(edge_cluster_deregister(c, "a"), EDGE_NOT_FOUND, "twice");
    cr_expect_eq(edge_cluster_first(c), EDGE_NONE);
}

Test(cluster, deregister_removes_the_nodes_deployments)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    uint32_t a = reg("a", NULL, 0), b = reg("b", NULL, 0), d = reg("d", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, b, 0), EDGE_OK);
    cr_expect_eq(edge_cluster_deployment_count(c), 4);
    cr_assert_eq(edge_cluster_deregister(c, "b"), EDGE_OK);
    cr_expect_eq(edge_cluster_deployment_count(c), 2);
    size_t n;
    const uint32_t *nodes = edge_cluster_nodes_of(c, f, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(nodes[0], a);
    cr_expect_eq(nodes[1], d);
    cr_expect_null(edge_cluster_nodes_of(c, g, &n));
    cr_expect_eq(n, 0);
    cr_expect_not(edge_cluster_is_deployed(c, f, b));
    edge_deployment dep;
    cr_expect_eq(edge_cluster_deployment(c, f, b, &dep), EDGE_NOT_FOUND);
}

Test(cluster, finds_and_deregisters_among_thousands_of_nodes)
{
    char id[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "node-%d", i);
        reg(id, NULL, 0);
    }
    for (int i = 0; i < 3000; i += 2) {
        snprintf(id, sizeof id, "node-%d", i);
        cr_assert_eq(edge_cluster_deregister(c, id), EDGE_OK);
    }
    for (int i = 0; i < 3000; i++) {
        uint32_t idx;
        snprintf(id, sizeof id, "node-%d", i);
        edge_err e = edge_cluster_find(c, id, &idx);
        cr_assert_eq(e, i % 2 ? EDGE_OK : EDGE_NOT_FOUND, "%s", id);
        if (i % 2)
            cr_assert_eq(idx, (uint32_t)i);
    }
    uint32_t expect = 1;
    for (uint32_t i = edge_cluster_first(c); i != EDGE_NONE; i = edge_cluster_next(c, i)) {
        cr_assert_eq(i, expect);
        expect += 2;
    }
    cr_expect_eq(expect, 3001);
}

Test(cluster, heartbeats_and_statuses_go_through_the_cluster)
{
    reg("a", NULL, 0);
    edge_resource_usage u = usage;
    u.cpu_percent = 42;
    cr_expect_eq(edge_cluster_heartbeat(c, "a", 30 * EDGE_S, &u), EDGE_OK);
    const edge_node *n = edge_cluster_node(c, 0);
    cr_expect_eq(edge_node_last_heartbeat(n), 30 * EDGE_S);
    cr_expect_eq(edge_node_usage(n)->cpu_percent, 42);
    cr_expect_eq(edge_cluster_heartbeat_idx(c, 0, 31 * EDGE_S, &u), EDGE_OK);
    cr_expect(edge_cluster_is_healthy(c, 0, 91 * EDGE_S));
    cr_expect_not(edge_cluster_is_healthy(c, 0, 91 * EDGE_S + 1));
    cr_expect_eq(edge_cluster_set_status(c, "a", EDGE_NODE_MAINTENANCE), EDGE_OK);
    cr_expect_not(edge_cluster_is_healthy(c, 0, 31 * EDGE_S));
    cr_expect_eq(edge_cluster_set_status_idx(c, 0, EDGE_NODE_ONLINE), EDGE_OK);
    cr_expect_not(edge_cluster_is_healthy(c, 5, 0));

    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_heartbeat(c, "zz", 40 * EDGE_S, &u), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_heartbeat_idx(c, 9, 40 * EDGE_S, &u), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_heartbeat(c, "a", 10 * EDGE_S, &u), EDGE_RANGE);
    cr_expect_eq(edge_cluster_heartbeat(c, "a", 40 * EDGE_S, NULL), EDGE_INVAL);
    cr_expect_eq(edge_cluster_set_status(c, "a", (edge_node_status)12), EDGE_INVAL);
    cr_expect_eq(edge_cluster_set_status(c, "zz", EDGE_NODE_OFFLINE), EDGE_NOT_FOUND);
    expect_unchanged("failing heartbeat or status");
}

/* ---- deploy -------------------------------------------------------------- */

Test(cluster, deploy_reaches_every_capable_node_and_skips_draining_ones)
{
    const char *gpu[] = {"gpu"};
    uint32_t f = add_fn("f", gpu, 1);
    reg("cpu1", NULL, 0);
    uint32_t g1 = reg("gpu1", gpu, 1), g2 = reg("gpu2", gpu, 1), g3 = reg("gpu3", gpu, 1);
    cr_assert_eq(edge_cluster_drain(c, "gpu2"), EDGE_OK);
    size_t added = 99;
    cr_assert_eq(edge_cluster_deploy(c, "f", 5, &added), EDGE_OK);
    cr_expect_eq(added, 2);
    size_t n;
    const uint32_t *nodes = edge_cluster_nodes_of(c, f, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(nodes[0], g1);
    cr_expect_eq(nodes[1], g3);
    edge_deployment d;
    cr_assert_eq(edge_cluster_deployment(c, f, g3, &d), EDGE_OK);
    cr_expect_eq(d.deployed_at, 5);
    cr_expect_str_eq(d.function_id, "f");
    cr_expect_str_eq(d.node_id, "gpu3");
    cr_expect_eq(d.invocations, 0);
    (void)g2;
}

Test(cluster, deploy_again_adds_only_new_nodes_at_the_end)
{
    uint32_t f = add_fn("f", NULL, 0);
    reg("a", NULL, 0);
    reg("b", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_OK);
    size_t added = 9;
    cr_assert_eq(edge_cluster_deploy_idx(c, f, 1, &added), EDGE_OK);
    cr_expect_eq(added, 0, "idempotent");
    uint32_t n3 = reg("c", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_idx(c, f, 2, &added), EDGE_OK);
    cr_expect_eq(added, 1);
    size_t n;
    const uint32_t *nodes = edge_cluster_nodes_of(c, f, &n);
    cr_assert_eq(n, 3);
    cr_expect_eq(nodes[n - 1], n3);
    edge_deployment d;
    cr_assert_eq(edge_cluster_deployment(c, f, 0, &d), EDGE_OK);
    cr_expect_eq(d.deployed_at, 0, "the first deployment's time is kept");
}

Test(cluster, deploy_with_no_capable_non_draining_node_is_no_eligible)
{
    const char *gpu[] = {"gpu"};
    uint32_t f = add_fn("f", gpu, 1);
    uint32_t any = add_fn("any", NULL, 0);
    cr_expect_eq(edge_cluster_deploy_idx(c, any, 0, NULL), EDGE_NO_ELIGIBLE, "empty cluster");
    reg("cpu", NULL, 0);
    reg("gpu", gpu, 1);
    cr_assert_eq(edge_cluster_drain(c, "gpu"), EDGE_OK);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_NO_ELIGIBLE);
    cr_expect_eq(edge_cluster_deploy(c, "nope", 0, NULL), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy_idx(c, 77, 0, NULL), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy(c, NULL, 0, NULL), EDGE_INVAL);
    expect_unchanged("failing deploy");
    cr_assert_eq(edge_cluster_undrain(c, "gpu"), EDGE_OK);
    cr_expect_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_OK);
}

Test(cluster, deploy_to_reports_each_error_in_order_and_changes_nothing)
{
    const char *gpu[] = {"gpu"};
    add_fn("f", gpu, 1);
    add_fn("plain", NULL, 0);
    reg("cpu", NULL, 0);
    reg("gpu", gpu, 1);
    reg("drained", gpu, 1);
    cr_assert_eq(edge_cluster_drain(c, "drained"), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to(c, "f", "gpu", 0), EDGE_OK);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_to(c, "f", "nowhere", 1), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy_to(c, "nothing", "gpu", 1), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy_to(c, "f", "drained", 1), EDGE_DRAINING);
    cr_expect_eq(edge_cluster_deploy_to(c, "plain", "drained", 1), EDGE_DRAINING);
    cr_expect_eq(edge_cluster_deploy_to(c, "f", "cpu", 1), EDGE_CAPABILITY);
    cr_expect_eq(edge_cluster_deploy_to(c, "f", "gpu", 1), EDGE_EXISTS);
    cr_expect_eq(edge_cluster_deploy_to_idx(c, 0, 99, 1), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy_to(c, NULL, "gpu", 1), EDGE_INVAL);
    expect_unchanged("failing deploy_to");
}

Test(cluster, drain_keeps_existing_deployments)
{
    uint32_t f = add_fn("f", NULL, 0);
    uint32_t a = reg("a", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_drain_idx(c, a), EDGE_OK);
    cr_assert_eq(edge_cluster_drain_idx(c, a), EDGE_OK, "idempotent");
    cr_expect(edge_cluster_is_draining(c, a));
    cr_expect(edge_cluster_is_deployed(c, f, a));
    cr_expect_eq(edge_cluster_count_invocation(c, f, a), EDGE_OK, "still routable");
    cr_expect_eq(edge_cluster_drain(c, "zz"), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_undrain_idx(c, 42), EDGE_NOT_FOUND);
    cr_assert_eq(edge_cluster_undrain_idx(c, a), EDGE_OK);
    cr_expect_not(edge_cluster_is_draining(c, a));
    cr_expect_not(edge_cluster_is_draining(c, 42));
}

Test(cluster, least_loaded_picks_the_fewest_deployed_functions)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0), h = add_fn("h", NULL, 0);
    uint32_t a = reg("a", NULL, 0), b = reg("b", NULL, 0), d = reg("d", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, h, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, b, 0), EDGE_OK);
    uint32_t got = 99;
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, f, 1, &got), EDGE_OK);
    cr_expect_eq(got, d);
    cr_expect_eq(edge_cluster_nodes_of(c, f, NULL)[0], d);
}

Test(cluster, least_loaded_skips_unusable_nodes_unless_none_is_usable)
{
    /* a has no function (the least loaded) but is OFFLINE, b is in
     * MAINTENANCE, d ONLINE with one function: d. When d is OFFLINE too, no
     * node is usable and the least loaded eligible one, a, is taken. */
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0), h = add_fn("h", NULL, 0);
    uint32_t a = reg("a", NULL, 0), b = reg("b", NULL, 0), d = reg("d", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, d, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_set_status_idx(c, a, EDGE_NODE_OFFLINE), EDGE_OK);
    cr_assert_eq(edge_cluster_set_status_idx(c, b, EDGE_NODE_MAINTENANCE), EDGE_OK);
    uint32_t got = 99;
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, f, 1, &got), EDGE_OK);
    cr_expect_eq(got, d, "the usable node, though it has more functions");
    cr_assert_eq(edge_cluster_set_status_idx(c, d, EDGE_NODE_OFFLINE), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, h, 1, &got), EDGE_OK);
    cr_expect_eq(got, a, "none usable: the least loaded eligible node");
}

Test(cluster, least_loaded_ties_go_to_the_earliest_registered)
{
    uint32_t f = add_fn("f", NULL, 0);
    uint32_t x = reg("x", NULL, 0);
    reg("y", NULL, 0);
    uint32_t got;
    cr_assert_eq(edge_cluster_deploy_least_loaded(c, "f", 0, &got), EDGE_OK);
    cr_expect_eq(got, x);
    /* after a deregister and a re-register, registration order still rules */
    uint32_t g = add_fn("g", NULL, 0);
    cr_assert_eq(edge_cluster_deregister(c, "x"), EDGE_OK);
    uint32_t x2 = reg("x", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, g, 0, &got), EDGE_OK);
    cr_expect_neq(got, x2);
    cr_expect_eq(got, idx_of("y"));
    (void)f;
}

Test(cluster, least_loaded_ignores_draining_incapable_and_already_hosting_nodes)
{
    const char *gpu[] = {"gpu"};
    uint32_t f = add_fn("f", gpu, 1);
    reg("cpu", NULL, 0); /* least loaded of all, but cannot run f */
    uint32_t g1 = reg("g1", gpu, 1), g2 = reg("g2", gpu, 1), g3 = reg("g3", gpu, 1);
    uint32_t other = add_fn("other", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, other, g2, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, other, g3, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_drain_idx(c, g1), EDGE_OK);
    uint32_t got[2];
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, f, 0, &got[0]), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_least_loaded_idx(c, f, 0, &got[1]), EDGE_OK);
    cr_expect_eq(got[0], g2, "tie between g2 and g3: earliest");
    cr_expect_eq(got[1], g3, "k calls give k different nodes");
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_least_loaded_idx(c, f, 0, NULL), EDGE_NO_ELIGIBLE);
    cr_expect_eq(edge_cluster_deploy_least_loaded(c, "nope", 0, NULL), EDGE_NOT_FOUND);
    expect_unchanged("failing least-loaded");
}

Test(cluster, least_loaded_on_an_empty_cluster_is_no_eligible)
{
    add_fn("f", NULL, 0);
    cr_expect_eq(edge_cluster_deploy_least_loaded(c, "f", 0, NULL), EDGE_NO_ELIGIBLE);
}

Test(cluster, undeploy_removes_one_deployment_and_keeps_the_order_of_the_rest)
{
    uint32_t f = add_fn("f", NULL, 0);
    reg("a", NULL, 0);
    reg("b", NULL, 0);
    reg("d", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_OK);
    cr_assert_eq(edge_cluster_undeploy(c, "f", "b"), EDGE_OK);
    size_t n;
    const uint32_t *nodes = edge_cluster_nodes_of(c, f, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(nodes[0], 0);
    cr_expect_eq(nodes[1], 2);
    cr_expect_null(edge_cluster_functions_on(c, 1, &n));
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_undeploy(c, "f", "b"), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_cluster_undeploy(c, "f", "zz"), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_undeploy_idx(c, 9, 0), EDGE_NOT_FOUND);
    expect_unchanged("failing undeploy");
}

Test(cluster, counts_invocations_per_deployment)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    uint32_t a = reg("a", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 0), EDGE_OK);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(edge_cluster_count_invocation(c, f, a), EDGE_OK);
    edge_deployment d;
    cr_assert_eq(edge_cluster_deployment(c, f, a, &d), EDGE_OK);
    cr_expect_eq(d.invocations, 5);
    cr_expect_eq(edge_cluster_count_invocation(c, g, a), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_cluster_count_invocation(c, f, 3), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_count_invocation(c, 7, a), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_count_invocation(c, EDGE_NONE, EDGE_NONE), EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deployment(c, g, a, &d), EDGE_NOT_DEPLOYED);
    cr_expect_eq(edge_cluster_deployment(c, f, a, NULL), EDGE_INVAL);
}

static uint64_t invocations_of(uint32_t f, uint32_t n)
{
    edge_deployment d;
    cr_assert_eq(edge_cluster_deployment(c, f, n, &d), EDGE_OK);
    return d.invocations;
}

Test(cluster, deferred_counts_arrive_at_a_flush_or_a_full_batch_as_immediate_ones_would)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    uint32_t a = reg("a", NULL, 0), b = reg("b", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, b, 0), EDGE_OK);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(edge_cluster_count_invocation_deferred(c, f, a), EDGE_OK);
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, g, a), EDGE_OK);
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, g, b), EDGE_OK, "not deployed: nowhere");
    cr_expect_eq(invocations_of(f, a), 0, "held back until the flush");
    edge_cluster_flush_counts(c);
    cr_expect_eq(invocations_of(f, a), 3);
    cr_expect_eq(invocations_of(g, a), 1);
    cr_expect_eq(invocations_of(f, b), 0);
    edge_cluster_flush_counts(c);
    cr_expect_eq(invocations_of(f, a), 3, "a flush applies each count once");
    /* 255 wait; the 256th applies the batch */
    for (int i = 0; i < 255; i++)
        cr_assert_eq(edge_cluster_count_invocation_deferred(c, f, b), EDGE_OK);
    cr_expect_eq(invocations_of(f, b), 0);
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, f, b), EDGE_OK);
    cr_expect_eq(invocations_of(f, b), 256);
    edge_cluster_flush_counts(NULL);
    cr_expect_eq(edge_cluster_count_invocation_deferred(NULL, f, a), EDGE_INVAL);
}

Test(cluster, a_held_back_count_lands_on_the_deployment_live_when_it_was_counted)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    uint32_t a = reg("a", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 0), EDGE_OK);
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, f, a), EDGE_OK);
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, g, a), EDGE_OK); /* g is not deployed */
    /* deploying g applies the held counts first: g's new deployment starts at 0 */
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, a, 5), EDGE_OK);
    cr_expect_eq(invocations_of(g, a), 0);
    cr_expect_eq(invocations_of(f, a), 1);
    /* a count held when its deployment goes is not carried to the next one */
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, f, a), EDGE_OK);
    cr_assert_eq(edge_cluster_undeploy_idx(c, f, a), EDGE_OK);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 9), EDGE_OK);
    edge_cluster_flush_counts(c);
    cr_expect_eq(invocations_of(f, a), 0);
    /* nor through a node that leaves and comes back */
    cr_assert_eq(edge_cluster_count_invocation_deferred(c, g, a), EDGE_OK);
    cr_assert_eq(edge_cluster_deregister_idx(c, a), EDGE_OK);
    uint32_t a2 = reg("a", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, a2, 10), EDGE_OK);
    edge_cluster_flush_counts(c);
    cr_expect_eq(invocations_of(g, a2), 0);
}

Test(cluster, without_memory_for_its_batch_a_deferred_count_counts_at_once)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    uint32_t a = reg("a", NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, f, a, 0), EDGE_OK);
    alloc_budget = 0;
    cr_expect_eq(edge_cluster_count_invocation_deferred(c, f, a), EDGE_OK);
    cr_expect_eq(edge_cluster_count_invocation_deferred(c, g, a), EDGE_NOT_DEPLOYED,
                 "the immediate call's errors");
    alloc_budget = -1;
    cr_expect_eq(invocations_of(f, a), 1, "counted at once");
}

/* ---- health ------------------------------------------------------------- */

Test(cluster, an_empty_cluster_is_zero_percent_healthy)
{
    edge_health_summary s;
    cr_assert_eq(edge_cluster_health(c, 0, &s), EDGE_OK);
    cr_expect_eq(s.total, 0);
    cr_expect_eq(s.healthy, 0);
    cr_expect_eq(s.healthy_fraction, 0.0);
}

Test(cluster, health_counts_nodes_by_status_and_by_heartbeat_age)
{
    const char *ids[] = {"on1", "on2", "on3", "off", "deg", "syn", "mnt"};
    for (int i = 0; i < 7; i++)
        reg(ids[i], NULL, 0);
    cr_assert_eq(edge_cluster_set_status(c, "off", EDGE_NODE_OFFLINE), EDGE_OK);
    cr_assert_eq(edge_cluster_set_status(c, "deg", EDGE_NODE_DEGRADED), EDGE_OK);
    cr_assert_eq(edge_cluster_set_status(c, "syn", EDGE_NODE_SYNCING), EDGE_OK);
    cr_assert_eq(edge_cluster_set_status(c, "mnt", EDGE_NODE_MAINTENANCE), EDGE_OK);
    cr_assert_eq(edge_cluster_heartbeat(c, "on1", 100 * EDGE_S, &usage), EDGE_OK);
    cr_assert_eq(edge_cluster_heartbeat(c, "on2", 40 * EDGE_S, &usage), EDGE_OK);
    cr_assert_eq(edge_cluster_drain(c, "on3"), EDGE_OK);
    edge_health_summary s;
    cr_assert_eq(edge_cluster_health(c, 100 * EDGE_S, &s), EDGE_OK);
    cr_expect_eq(s.total, 7);
    cr_expect_eq(s.by_status[EDGE_NODE_ONLINE], 3);
    cr_expect_eq(s.by_status[EDGE_NODE_OFFLINE], 1);
    cr_expect_eq(s.by_status[EDGE_NODE_DEGRADED], 1);
    cr_expect_eq(s.by_status[EDGE_NODE_SYNCING], 1);
    cr_expect_eq(s.by_status[EDGE_NODE_MAINTENANCE], 1);
    cr_expect_eq(s.draining, 1);
    cr_expect_eq(s.healthy, 2, "on1 fresh, on2 exactly 60 s old; on3 silent for 100 s");
    cr_expect_float_eq(s.healthy_fraction, 2.0 / 7.0, 1e-15);
    cr_assert_eq(edge_cluster_set_health_window(c, 10 * EDGE_S), EDGE_OK);
    cr_assert_eq(edge_cluster_health(c, 100 * EDGE_S, &s), EDGE_OK);
    cr_expect_eq(s.healthy, 1);
    cr_expect_eq(edge_cluster_set_health_window(c, -1), EDGE_INVAL);
    cr_expect_eq(edge_cluster_health_window(c), 10 * EDGE_S);
    cr_expect_eq(edge_cluster_health(c, 0, NULL), EDGE_INVAL);
}

/* ---- out of memory at every allocation ------------------------------------- */

/* Runs op with allocation N failing for N = 0, 1, ... until it succeeds;
 * every failure must be EDGE_NOMEM and leave the cluster as it was. (What a
 * failed call reserved may stay reserved — invisible capacity — so each
 * retry gets further.) Returns how many failures were seen. */
static int fail_each_allocation(const char *what, edge_err (*op)(void))
{
    for (long n = 0;; n++) {
        snapshot(before, SNAP);
        alloc_budget = n;
        edge_err e = op();
        alloc_budget = -1;
        if (e == EDGE_OK)
            return (int)n;
        cr_assert_eq(e, EDGE_NOMEM, "%s with allocation %ld failing: %s", what, n,
                     edge_errname(e));
        expect_unchanged(what);
    }
}

static edge_err op_register(void)
{
    long budget = alloc_budget; /* making the node is not under test */
    alloc_budget = -1;
    edge_node *n = mk_node("newcomer", NULL, 0, 0);
    alloc_budget = budget;
    edge_err e = edge_cluster_register(c, n, NULL);
    if (e)
        edge_node_free(n);
    return e;
}
static edge_err op_deploy_all(void) { return edge_cluster_deploy(c, "wide", 9, NULL); }
static edge_err op_deploy_to(void) { return edge_cluster_deploy_to(c, "one", "n3", 9); }
static edge_err op_least(void) { return edge_cluster_deploy_least_loaded(c, "least", 9, NULL); }

Test(cluster, every_allocation_failure_leaves_the_cluster_unchanged)
{
    char id[16];
    for (int i = 0; i < 8; i++)
        add_fn((snprintf(id, sizeof id, "pre%d", i), id), NULL, 0);
    add_fn("wide", NULL, 0);
    add_fn("one", NULL, 0);
    add_fn("least", NULL, 0);
    /* 16 nodes fill the node array and id map to a growth point; 8
     * functions on each fill every node's list, so the next deployment must
     * grow each of them */
    for (int i = 0; i < 16; i++) {
        snprintf(id, sizeof id, "n%d", i);
        reg(id, NULL, 0);
    }
    for (uint32_t f = 0; f < 8; f++)
        cr_assert_eq(edge_cluster_deploy_idx(c, f, 0, NULL), EDGE_OK);
    cr_expect_gt(fail_each_allocation("register", op_register), 0);
    cr_expect_gt(fail_each_allocation("deploy", op_deploy_all), 3);
    cr_expect_gt(fail_each_allocation("deploy_to", op_deploy_to), 0);
    cr_expect_gt(fail_each_allocation("deploy_least_loaded", op_least), 0);
    cr_expect_eq(edge_cluster_size(c), 17);
    cr_expect_eq(edge_cluster_deployment_count(c), 8 * 16 + 17 + 2);
}

Test(cluster, new_fails_cleanly_without_memory)
{
    edge_cluster *x = (edge_cluster *)0x1;
    alloc_budget = 0;
    cr_expect_eq(edge_cluster_new(fns, &x), EDGE_NOMEM);
    alloc_budget = -1;
    cr_expect_eq(x, (edge_cluster *)0x1);
    cr_expect_eq(edge_cluster_new(NULL, &x), EDGE_INVAL);
    edge_cluster_free(NULL);
}

/* ---- placement strategies: spread, best fit, worst fit ------------------- */

static uint32_t add_fn_mem(const char *id, uint32_t mb, const char *const *caps, size_t n)
{
    edge_function_spec spec = {.id = id, .memory_mb = mb, .timeout = EDGE_S,
                               .capabilities = caps, .n_capabilities = n};
    edge_function *f;
    uint32_t idx;
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    cr_assert_eq(edge_function_table_add(fns, f, &idx), EDGE_OK);
    return idx;
}

static uint32_t reg_in(const char *id, const char *region, double memory_mb,
                       const char *const *caps, size_t n)
{
    edge_resource_usage u = usage;
    u.memory_max_mb = memory_mb;
    edge_node_spec spec = {.id = id, .region = region, .capabilities = caps,
                           .n_capabilities = n, .resources = u};
    edge_node *node;
    uint32_t idx;
    cr_assert_eq(edge_node_new(&spec, 0, &node), EDGE_OK);
    cr_assert_eq(edge_cluster_register(c, node, &idx), EDGE_OK, "%s", id);
    return idx;
}

Test(cluster, spread_puts_one_replica_per_region_first)
{
    uint32_t f = add_fn("f", NULL, 0), g = add_fn("g", NULL, 0);
    /* 3 regions x 2 nodes, registered region by region */
    uint32_t a1 = reg_in("a1", "ra", 1024, NULL, 0), a2 = reg_in("a2", "ra", 1024, NULL, 0);
    uint32_t b1 = reg_in("b1", "rb", 1024, NULL, 0), b2 = reg_in("b2", "rb", 1024, NULL, 0);
    uint32_t c1 = reg_in("c1", "rc", 1024, NULL, 0), c2 = reg_in("c2", "rc", 1024, NULL, 0);
    (void)a2, (void)c2;
    /* b1 already hosts g: within rb the least loaded is b2 */
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, b1, 0), EDGE_OK);
    uint32_t got[6];
    size_t placed = 99;
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_SPREAD, 3, 0, got, &placed),
                 EDGE_OK);
    cr_assert_eq(placed, 3);
    cr_expect_eq(got[0], a1, "region ra, tie to the earliest");
    cr_expect_eq(got[1], b2, "region rb, the least loaded");
    cr_expect_eq(got[2], c1);
    /* 5 more asked, 3 nodes left: a second round a2, b1, c2, then nothing */
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_SPREAD, 5, 0, got, &placed),
                 EDGE_OK);
    cr_assert_eq(placed, 3);
    cr_expect_eq(got[0], a2);
    cr_expect_eq(got[1], b1);
    cr_expect_eq(got[2], c2);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_SPREAD, 1, 0, got, &placed),
                 EDGE_NO_ELIGIBLE, "every node has f");
    expect_unchanged("spread with no candidate");
}

Test(cluster, spread_round_robin_skips_exhausted_regions)
{
    uint32_t f = add_fn("f", NULL, 0);
    uint32_t a1 = reg_in("a1", "ra", 1024, NULL, 0);
    uint32_t b1 = reg_in("b1", "rb", 1024, NULL, 0), b2 = reg_in("b2", "rb", 1024, NULL, 0);
    uint32_t b3 = reg_in("b3", "rb", 1024, NULL, 0);
    uint32_t got[4];
    size_t placed;
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_SPREAD, 4, 0, got, &placed),
                 EDGE_OK);
    cr_assert_eq(placed, 4);
    cr_expect_eq(got[0], a1);
    cr_expect_eq(got[1], b1);
    cr_expect_eq(got[2], b2, "ra is exhausted: rb again");
    cr_expect_eq(got[3], b3);
}

Test(cluster, spread_honours_capabilities_and_drain)
{
    const char *gpu[] = {"gpu"};
    uint32_t f = add_fn("f", gpu, 1);
    reg_in("a1", "ra", 1024, NULL, 0); /* no gpu */
    uint32_t a2 = reg_in("a2", "ra", 1024, gpu, 1);
    uint32_t b1 = reg_in("b1", "rb", 1024, gpu, 1);
    cr_assert_eq(edge_cluster_drain_idx(c, b1), EDGE_OK);
    uint32_t got[3];
    size_t placed;
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_SPREAD, 3, 0, got, &placed),
                 EDGE_OK);
    cr_assert_eq(placed, 1);
    cr_expect_eq(got[0], a2);
}

Test(cluster, best_fit_takes_the_tightest_node_that_fits_exact_fit_included)
{
    uint32_t big = add_fn_mem("big", 600, NULL, 0), f = add_fn_mem("f", 400, NULL, 0);
    uint32_t n1 = reg_in("n1", "r", 2048, NULL, 0);
    uint32_t n2 = reg_in("n2", "r", 1000, NULL, 0); /* 400 free after big: exact fit */
    uint32_t n3 = reg_in("n3", "r", 300, NULL, 0);  /* too small */
    uint32_t n4 = reg_in("n4", "r", 1024, NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, big, n2, 0), EDGE_OK);
    cr_expect_eq(edge_cluster_deployed_memory_mb(c, n2), 600);
    cr_expect_eq(edge_cluster_free_memory_mb(c, n2), 400.0);
    uint32_t got[4];
    size_t placed;
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_BEST_FIT, 3, 0, got, &placed),
                 EDGE_OK);
    cr_assert_eq(placed, 3, "n3 never fits");
    cr_expect_eq(got[0], n2, "400 free for 400: exactly fits, the tightest");
    cr_expect_eq(got[1], n4);
    cr_expect_eq(got[2], n1);
    cr_expect_eq(edge_cluster_free_memory_mb(c, n2), 0.0);
    (void)n3;
}

Test(cluster, worst_fit_takes_the_emptiest_and_ties_go_to_the_earliest)
{
    uint32_t g = add_fn_mem("g", 512, NULL, 0), f = add_fn_mem("f", 256, NULL, 0);
    uint32_t n1 = reg_in("n1", "r", 1024, NULL, 0);
    uint32_t n2 = reg_in("n2", "r", 1024, NULL, 0);
    uint32_t n3 = reg_in("n3", "r", 1024, NULL, 0);
    cr_assert_eq(edge_cluster_deploy_to_idx(c, g, n1, 0), EDGE_OK);
    uint32_t got[3];
    size_t placed;
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_WORST_FIT, 1, 0, got, &placed),
                 EDGE_OK);
    cr_expect_eq(got[0], n2, "n2 and n3 tie at 1024 free: the earliest");
    uint32_t h = add_fn_mem("h", 256, NULL, 0);
    cr_assert_eq(edge_cluster_deploy_strategy_idx(c, h, EDGE_PLACE_WORST_FIT, 1, 0, got, &placed),
                 EDGE_OK);
    cr_expect_eq(got[0], n3, "n3 1024 free, n2 768, n1 512");
    /* undeploy gives the memory back */
    cr_assert_eq(edge_cluster_undeploy_idx(c, g, n1), EDGE_OK);
    cr_expect_eq(edge_cluster_deployed_memory_mb(c, n1), 0);
}

Test(cluster, fits_with_no_node_that_fits_is_no_eligible_and_changes_nothing)
{
    const char *gpu[] = {"gpu"};
    uint32_t f = add_fn_mem("f", 2048, NULL, 0), gf = add_fn_mem("gf", 64, gpu, 1);
    uint32_t n1 = reg_in("n1", "r", 1024, NULL, 0);
    reg_in("n0", "r", 0, NULL, 0); /* unknown capacity never fits */
    uint32_t got[2];
    size_t placed = 7;
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, f, EDGE_PLACE_BEST_FIT, 1, 0, got, &placed),
                 EDGE_NO_ELIGIBLE);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, gf, EDGE_PLACE_WORST_FIT, 1, 0, got, &placed),
                 EDGE_NO_ELIGIBLE, "no capable node");
    cr_expect_eq(placed, 0);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, 99, EDGE_PLACE_BEST_FIT, 1, 0, got, NULL),
                 EDGE_NOT_FOUND);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, f, (edge_placement)9, 1, 0, got, NULL),
                 EDGE_INVAL);
    cr_assert_eq(edge_cluster_drain_idx(c, n1), EDGE_OK);
    uint32_t small = add_fn_mem("small", 1, NULL, 0);
    snapshot(before, SNAP);
    cr_expect_eq(edge_cluster_deploy_strategy_idx(c, small, EDGE_PLACE_BEST_FIT, 1, 0, got, NULL),
                 EDGE_NO_ELIGIBLE, "drained");
    expect_unchanged("failing fits");
}

Test(cluster, strategies_fail_cleanly_at_each_allocation)
{
    uint32_t f = add_fn("f", NULL, 0);
    reg_in("a1", "ra", 1024, NULL, 0);
    reg_in("b1", "rb", 1024, NULL, 0);
    for (int strat = 0; strat < 3; strat++) {
        for (long budget = 0;; budget++) {
            snapshot(before, SNAP);
            uint32_t got[2];
            alloc_budget = budget;
            edge_err rc = edge_cluster_deploy_strategy_idx(c, f, (edge_placement)strat, 2, 0,
                                                           got, NULL);
            alloc_budget = -1;
            if (rc == EDGE_OK)
                break;
            cr_assert_eq(rc, EDGE_NOMEM, "strategy %d budget %ld: %d", strat, budget, rc);
            expect_unchanged("out of memory in a strategy");
        }
        cr_assert_eq(edge_cluster_undeploy(c, "f", "a1"), EDGE_OK);
        cr_assert_eq(edge_cluster_undeploy(c, "f", "b1"), EDGE_OK);
    }
}
