/* Pins core/scheduler: each policy's defining choice, ties to the earliest
 * registered, unusable and excluded nodes never chosen, and agreement of the
 * O(log n) least_loaded and of warm_first with a linear scan under random
 * load and idle changes, trees shared by functions on the same nodes, and
 * random and power_of_two over a shared node list picking draw for draw as
 * over the function's own. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "scheduler_internal.h" /* to count shared trees */

static uint64_t lcg(void *ctx)
{
    uint64_t *x = ctx;
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x ^ (*x >> 29);
}

static edge_scheduler *mk(const char *policy, size_t nfn, size_t nnodes)
{
    edge_err rc;
    edge_scheduler *s = edge_scheduler_create(policy, nfn, nnodes, &rc);
    cr_assert_not_null(s, "create %s", policy);
    cr_assert_eq(rc, EDGE_OK);
    return s;
}

static void deploy_all(edge_scheduler *s, size_t fn, size_t nnodes)
{
    for (size_t n = 0; n < nnodes; n++)
        cr_assert_eq(edge_scheduler_set_deployed(s, fn, n, 1), EDGE_OK);
}

Test(scheduler, unknown_policy_is_not_found)
{
    edge_err rc;
    cr_expect_null(edge_scheduler_create("fastest", 1, 1, &rc));
    cr_expect_eq(rc, EDGE_NOT_FOUND);
    cr_expect_null(edge_scheduler_create(NULL, 1, 1, NULL));
}

/* The names come from the registry in core/scheduler.c: each listed name
 * creates a scheduler of that policy; the plugin policy has no name to ask by. */
Test(scheduler, every_listed_policy_creates_a_scheduler_of_that_name)
{
    const char *const *names = edge_scheduler_policies();
    size_t n = 0;
    for (; names[n]; n++) {
        edge_scheduler *s = mk(names[n], 1, 1);
        cr_expect_str_eq(edge_scheduler_policy(s), names[n]);
        edge_scheduler_free(s);
    }
    cr_expect_eq(n, 9); /* ... offload_threshold, latency_aware */
    cr_expect_null(edge_scheduler_create("plugin", 1, 1, NULL));
}

Test(scheduler, nothing_deployed_means_no_node)
{
    edge_scheduler *s = mk("least_loaded", 2, 3);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), EDGE_SCHED_NONE);
    cr_expect_eq(edge_scheduler_pick(s, 9, NULL, 0, NULL), EDGE_SCHED_NONE, "unknown function");
    edge_scheduler_free(s);
}

Test(scheduler, least_loaded_takes_the_fewest_in_flight_ties_to_earliest)
{
    edge_scheduler *s = mk("least_loaded", 1, 4);
    /* deployed in reverse order: position order must still be node order */
    for (size_t n = 4; n-- > 0;)
        edge_scheduler_set_deployed(s, 0, n, 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    edge_scheduler_set_load(s, 0, 2);
    edge_scheduler_set_load(s, 1, 1);
    edge_scheduler_set_load(s, 2, 1);
    edge_scheduler_set_load(s, 3, 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1);
    edge_scheduler_set_load(s, 1, 3);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2);
    edge_scheduler_free(s);
}

Test(scheduler, unusable_and_excluded_nodes_are_never_chosen)
{
    edge_scheduler *s = mk("least_loaded", 1, 3);
    deploy_all(s, 0, 3);
    edge_scheduler_set_usable(s, 0, 0);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1);
    size_t ex[] = {1};
    cr_expect_eq(edge_scheduler_pick(s, 0, ex, 1, NULL), 2);
    size_t ex2[] = {1, 2};
    cr_expect_eq(edge_scheduler_pick(s, 0, ex2, 2, NULL), EDGE_SCHED_NONE);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1, "exclusion does not stick");
    edge_scheduler_set_usable(s, 0, 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    edge_scheduler_free(s);
}

Test(scheduler, undeploy_removes_a_node_from_the_choice)
{
    edge_scheduler *s = mk("least_loaded", 1, 3);
    deploy_all(s, 0, 3);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    cr_expect_eq(edge_scheduler_set_deployed(s, 0, 0, 0), EDGE_OK);
    cr_expect_eq(edge_scheduler_set_deployed(s, 0, 0, 0), EDGE_OK, "idempotent");
    cr_expect_eq(edge_scheduler_deployed_count(s, 0), 2);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1);
    cr_expect_eq(edge_scheduler_set_deployed(s, 0, 7, 1), EDGE_INVAL);
    cr_assert_eq(edge_scheduler_grow_nodes(s, 8), EDGE_OK);
    cr_expect_eq(edge_scheduler_set_deployed(s, 0, 7, 1), EDGE_OK);
    edge_scheduler_set_load(s, 1, 5);
    edge_scheduler_set_load(s, 2, 5);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 7, "a late node starts idle");
    edge_scheduler_free(s);
}

Test(scheduler, warm_first_prefers_an_idle_instance_over_a_lighter_node)
{
    edge_scheduler *s = mk("warm_first", 2, 3);
    deploy_all(s, 0, 3);
    deploy_all(s, 1, 3);
    edge_scheduler_set_load(s, 2, 5);
    edge_scheduler_set_idle(s, 0, 2, 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2);
    cr_expect_eq(edge_scheduler_pick(s, 1, NULL, 0, NULL), 0, "warmth is per function");
    edge_scheduler_set_idle(s, 0, 2, 0);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    edge_scheduler_free(s);
}

Test(scheduler, round_robin_cycles_in_order_and_skips_unusable)
{
    edge_scheduler *s = mk("round_robin", 1, 4);
    deploy_all(s, 0, 4);
    size_t want[] = {0, 1, 2, 3, 0, 1};
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), want[i]);
    edge_scheduler_set_usable(s, 2, 0);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 3);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    edge_scheduler_free(s);
}

Test(scheduler, random_is_uniform_over_usable_nodes)
{
    edge_scheduler *s = mk("random", 1, 5);
    deploy_all(s, 0, 5);
    edge_scheduler_set_usable(s, 4, 0);
    uint64_t st = 1;
    edge_rand r = {lcg, &st};
    int hits[5] = {0};
    for (int i = 0; i < 40000; i++)
        hits[edge_scheduler_pick(s, 0, NULL, 0, &r)]++;
    cr_expect_eq(hits[4], 0);
    for (int n = 0; n < 4; n++) /* 10000 expected, sd ~87: 5 sd */
        cr_expect(abs(hits[n] - 10000) < 450, "node %d got %d", n, hits[n]);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), EDGE_SCHED_NONE, "needs a source");
    edge_scheduler_free(s);
}

Test(scheduler, power_of_two_never_picks_the_more_loaded_of_its_pair)
{
    /* With two nodes the pair is always both, so the lighter always wins. */
    edge_scheduler *s = mk("power_of_two", 1, 2);
    deploy_all(s, 0, 2);
    edge_scheduler_set_load(s, 0, 3);
    uint64_t st = 9;
    edge_rand r = {lcg, &st};
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(edge_scheduler_pick(s, 0, NULL, 0, &r), 1);
    /* With many nodes, the most loaded node is never chosen. */
    edge_scheduler *t = mk("power_of_two", 1, 10);
    deploy_all(t, 0, 10);
    for (size_t n = 0; n < 10; n++)
        edge_scheduler_set_load(t, n, (uint32_t)n);
    for (int i = 0; i < 2000; i++)
        cr_assert_neq(edge_scheduler_pick(t, 0, NULL, 0, &r), 9);
    edge_scheduler_free(s);
    edge_scheduler_free(t);
}

Test(scheduler, least_loaded_agrees_with_a_linear_scan)
{
    enum { NODES = 200, FNS = 5, OPS = 50000 };
    edge_scheduler *s = mk("least_loaded", FNS, NODES);
    int dep[FNS][NODES] = {{0}};
    uint32_t load[NODES] = {0};
    int usable[NODES];
    for (int n = 0; n < NODES; n++)
        usable[n] = 1;
    srand(5);
    for (int op = 0; op < OPS; op++) {
        int kind = rand() % 10;
        size_t n = (size_t)(rand() % NODES), f = (size_t)(rand() % FNS);
        if (kind == 0) {
            dep[f][n] = !dep[f][n];
            edge_scheduler_set_deployed(s, f, n, dep[f][n]);
        } else if (kind == 1) {
            usable[n] = rand() % 4 != 0;
            edge_scheduler_set_usable(s, n, usable[n]);
        } else {
            load[n] = (uint32_t)(rand() % 6);
            edge_scheduler_set_load(s, n, load[n]);
        }
        size_t best = EDGE_SCHED_NONE;
        for (size_t m = 0; m < NODES; m++)
            if (dep[f][m] && usable[m] && (best == EDGE_SCHED_NONE || load[m] < load[best]))
                best = m;
        cr_assert_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), best, "op %d", op);
    }
    edge_scheduler_free(s);
}

/* least_loaded's key is the node's alone, so functions deployed on exactly
 * the same nodes share one tree (core/sched_shared.c): 100 functions on the
 * same 100 nodes keep one tree, and a load change costs one update, not 100.
 * A function whose node set changes leaves for a tree of its own and comes
 * back when the sets are equal again; the last user frees a tree. */
Test(scheduler, functions_on_the_same_nodes_share_one_tree)
{
    edge_scheduler *s = mk("least_loaded", 100, 100);
    for (size_t f = 0; f < 100; f++)
        deploy_all(s, f, 100);
    for (size_t f = 0; f < 100; f++)
        cr_assert_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), 0);
    cr_assert_eq(s->ntrees - s->nfree, 1, "one tree for 100 functions");
    cr_assert_eq(s->nodes[7].nt, 1, "a node is in one tree, not 100");
    edge_scheduler_set_load(s, 0, 3);
    for (size_t f = 0; f < 100; f++)
        cr_assert_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), 1);
    cr_assert_eq(edge_scheduler_set_deployed(s, 5, 1, 0), EDGE_OK);
    cr_assert_eq(edge_scheduler_pick(s, 5, NULL, 0, NULL), 2, "node 1 left function 5");
    cr_assert_eq(edge_scheduler_pick(s, 6, NULL, 0, NULL), 1);
    cr_assert_eq(s->ntrees - s->nfree, 2);
    cr_assert_eq(edge_scheduler_set_deployed(s, 5, 1, 1), EDGE_OK);
    cr_assert_eq(edge_scheduler_pick(s, 5, NULL, 0, NULL), 1);
    cr_assert_eq(s->ntrees - s->nfree, 1, "the sets are equal again: the lone tree is freed");
    edge_scheduler_free(s);
}

/* Against a linear scan, with node sets that are often equal (functions
 * 0-2 and 3-5 mostly move together, so they share trees, part and rejoin)
 * and picks that exclude nodes (a retry's), which hide positions of a
 * shared tree for the length of one pick. */
Test(scheduler, shared_trees_agree_with_a_linear_scan)
{
    enum { NODES = 150, FNS = 6, OPS = 40000 };
    edge_scheduler *s = mk("least_loaded", FNS, NODES);
    int dep[FNS][NODES] = {{0}};
    uint32_t load[NODES] = {0};
    int usable[NODES];
    for (int n = 0; n < NODES; n++) {
        usable[n] = 1;
        for (int f = 0; f < FNS; f++)
            if (n < 100) {
                dep[f][n] = 1;
                edge_scheduler_set_deployed(s, (size_t)f, (size_t)n, 1);
            }
    }
    srand(11);
    for (int op = 0; op < OPS; op++) {
        int kind = rand() % 20;
        size_t n = (size_t)(rand() % NODES), f = (size_t)(rand() % FNS);
        if (kind == 0) { /* a group moves together */
            size_t g = f / 3 * 3;
            int d = !dep[g][n];
            for (size_t k = g; k < g + 3; k++) {
                dep[k][n] = d;
                edge_scheduler_set_deployed(s, k, n, d);
            }
        } else if (kind == 1) { /* one function alone */
            dep[f][n] = !dep[f][n];
            edge_scheduler_set_deployed(s, f, n, dep[f][n]);
        } else if (kind == 2) {
            usable[n] = rand() % 4 != 0;
            edge_scheduler_set_usable(s, n, usable[n]);
        } else {
            /* now and then a load past the argmin's levels (64) */
            load[n] = (uint32_t)(rand() % 10 ? rand() % 6 : 60 + rand() % 10);
            edge_scheduler_set_load(s, n, load[n]);
        }
        size_t ex[2] = {(size_t)(rand() % NODES), (size_t)(rand() % NODES)};
        size_t nex = (size_t)(rand() % 3);
        size_t best = EDGE_SCHED_NONE;
        for (size_t m = 0; m < NODES; m++) {
            int excluded = (nex > 0 && ex[0] == m) || (nex > 1 && ex[1] == m);
            if (dep[f][m] && usable[m] && !excluded && (best == EDGE_SCHED_NONE || load[m] < load[best]))
                best = m;
        }
        cr_assert_eq(edge_scheduler_pick(s, f, ex, nex, NULL), best, "op %d", op);
    }
    edge_scheduler_free(s);
}

/* The random policies' pick over fs's own ascending node list, as written
 * before the lists were shared: draws from the same stream as the
 * scheduler's (a copy of its state), 8 rejection draws, then count and select. */
static uint32_t ref_below(uint64_t *st, uint32_t n)
{
    return (uint32_t)(((lcg(st) >> 32) * (uint64_t)n) >> 32);
}

static int ref_ok(const size_t *nodes, uint32_t p, const int *usable, const size_t *ex, size_t nex,
                  uint32_t not)
{
    if (p == not || !usable[nodes[p]])
        return 0;
    for (size_t i = 0; i < nex; i++)
        if (ex[i] == nodes[p])
            return 0;
    return 1;
}

static uint32_t ref_random_pos(uint64_t *st, const size_t *nodes, uint32_t n, const int *usable,
                               const size_t *ex, size_t nex, uint32_t not)
{
    if (n == 0)
        return UINT32_MAX;
    for (int t = 0; t < 8; t++) {
        uint32_t p = ref_below(st, n);
        if (ref_ok(nodes, p, usable, ex, nex, not))
            return p;
    }
    uint32_t count = 0;
    for (uint32_t p = 0; p < n; p++)
        count += (uint32_t)ref_ok(nodes, p, usable, ex, nex, not);
    if (count == 0)
        return UINT32_MAX;
    uint32_t k = ref_below(st, count);
    for (uint32_t p = 0; p < n; p++)
        if (ref_ok(nodes, p, usable, ex, nex, not) && k-- == 0)
            return p;
    return UINT32_MAX;
}

/* random and power_of_two past SCAN_MAX nodes read the node list shared by
 * the functions on the same nodes (EDGE__SCHED_LIST); every pick must be
 * the one the function's own list gives, draw for draw, under random
 * deployments (groups of functions that part and rejoin), nodes going down
 * and up between picks, loads and exclusions (a retry's). */
static void random_policies_agree_with_their_own_lists(const char *policy)
{
    enum { NODES = 150, FNS = 6, OPS = 30000 };
    edge_scheduler *s = mk(policy, FNS, NODES);
    int p2 = !strcmp(policy, "power_of_two");
    int dep[FNS][NODES] = {{0}};
    uint32_t load[NODES] = {0};
    int usable[NODES];
    for (int n = 0; n < NODES; n++) {
        usable[n] = 1;
        for (int f = 0; f < FNS; f++)
            if (n < 100) {
                dep[f][n] = 1;
                edge_scheduler_set_deployed(s, (size_t)f, (size_t)n, 1);
            }
    }
    uint64_t st = 3, ref = 3;
    edge_rand r = {lcg, &st};
    srand(17);
    for (int op = 0; op < OPS; op++) {
        int kind = rand() % 20;
        size_t n = (size_t)(rand() % NODES), f = (size_t)(rand() % FNS);
        if (kind == 0) { /* a group moves together */
            size_t g = f / 3 * 3;
            int d = !dep[g][n];
            for (size_t k = g; k < g + 3; k++) {
                dep[k][n] = d;
                edge_scheduler_set_deployed(s, k, n, d);
            }
        } else if (kind == 1) {
            dep[f][n] = !dep[f][n];
            edge_scheduler_set_deployed(s, f, n, dep[f][n]);
        } else if (kind == 2) {
            usable[n] = rand() % 3 != 0;
            edge_scheduler_set_usable(s, n, usable[n]);
        } else {
            load[n] = (uint32_t)(rand() % 6);
            edge_scheduler_set_load(s, n, load[n]);
        }
        size_t ex[2] = {(size_t)(rand() % NODES), (size_t)(rand() % NODES)};
        size_t nex = (size_t)(rand() % 3);
        size_t nodes[NODES];
        uint32_t m = 0;
        for (size_t k = 0; k < NODES; k++)
            if (dep[f][k])
                nodes[m++] = k;
        size_t want = EDGE_SCHED_NONE;
        uint32_t a = ref_random_pos(&ref, nodes, m, usable, ex, nex, UINT32_MAX);
        if (a != UINT32_MAX && p2) {
            uint32_t b = ref_random_pos(&ref, nodes, m, usable, ex, nex, a);
            if (b != UINT32_MAX &&
                (load[nodes[b]] < load[nodes[a]] || (load[nodes[b]] == load[nodes[a]] && b < a)))
                a = b;
        }
        if (a != UINT32_MAX)
            want = nodes[a];
        cr_assert_eq(edge_scheduler_pick(s, f, ex, nex, &r), want, "%s op %d", policy, op);
        cr_assert_eq(st, ref, "%s op %d: the same draws", policy, op);
    }
    edge_scheduler_free(s);
}

Test(scheduler, random_and_power_of_two_pick_as_over_their_own_lists)
{
    random_policies_agree_with_their_own_lists("random");
    random_policies_agree_with_their_own_lists("power_of_two");
}

/* The shared node list keeps no keys: one list for 100 functions on the
 * same 100 nodes, no argmin to update, and no node refers to it (a load
 * change then touches nothing of it); the last user frees it. */
Test(scheduler, random_policies_share_one_node_list_without_keys)
{
    edge_scheduler *s = mk("power_of_two", 100, 100);
    for (size_t f = 0; f < 100; f++)
        deploy_all(s, f, 100);
    uint64_t st = 5;
    edge_rand r = {lcg, &st};
    for (size_t f = 0; f < 100; f++)
        cr_assert_neq(edge_scheduler_pick(s, f, NULL, 0, &r), EDGE_SCHED_NONE);
    cr_assert_eq(s->ntrees - s->nfree, 1, "one list for 100 functions");
    cr_assert_eq(s->trees[s->fns[0].shared - 1]->t.n, 0, "no keys kept");
    cr_assert_eq(s->nodes[7].nt, 0, "no node refers to a list");
    cr_assert_eq(s->n_tree_fns, 0);
    for (size_t f = 0; f < 100; f++)
        for (size_t n = 0; n < 100; n++)
            edge_scheduler_set_deployed(s, f, n, 0);
    for (size_t f = 0; f < 100; f++)
        cr_assert_eq(edge_scheduler_pick(s, f, NULL, 0, &r), EDGE_SCHED_NONE, "nothing deployed");
    cr_assert_eq(s->ntrees - s->nfree, 0, "the last user freed it");
    edge_scheduler_free(s);
}

/* warm_first past SCAN_MAX nodes: the least loaded eligible node among
 * those with an idle instance of the function, else the least loaded
 * eligible node (ties to the earliest), against a linear scan under random
 * deployments, usability, loads, idle counts and exclusions (up to 20, past
 * the 16 a pick hides in the tree). Idle counts change as often as loads,
 * and functions 0-2 share their node sets, as on a real run. */
Test(scheduler, warm_first_agrees_with_a_linear_scan)
{
    enum { NODES = 150, FNS = 6, OPS = 60000 };
    edge_scheduler *s = mk("warm_first", FNS, NODES);
    int dep[FNS][NODES] = {{0}};
    uint32_t idle[FNS][NODES] = {{0}};
    uint32_t load[NODES] = {0};
    int usable[NODES];
    for (int n = 0; n < NODES; n++) {
        usable[n] = 1;
        for (int f = 0; f < FNS; f++)
            if (n < 100) {
                dep[f][n] = 1;
                edge_scheduler_set_deployed(s, (size_t)f, (size_t)n, 1);
            }
    }
    srand(17);
    for (int op = 0; op < OPS; op++) {
        int kind = rand() % 20;
        size_t n = (size_t)(rand() % NODES), f = (size_t)(rand() % FNS);
        if (kind == 0) {
            size_t g = f < 3 ? 0 : f, e = f < 3 ? 3 : f + 1;
            int d = !dep[g][n];
            for (size_t k = g; k < e; k++) {
                dep[k][n] = d;
                idle[k][n] = 0; /* an undeployed node holds no instance */
                edge_scheduler_set_deployed(s, k, n, d);
            }
        } else if (kind == 1) {
            usable[n] = rand() % 4 != 0;
            edge_scheduler_set_usable(s, n, usable[n]);
        } else if (kind < 11) {
            /* now and then a load past the argmin's levels (64), where the
             * warm pick falls back from the level bitsets to its scan */
            load[n] = (uint32_t)(rand() % 10 ? rand() % 6 : 60 + rand() % 10);
            edge_scheduler_set_load(s, n, load[n]);
        } else if (dep[f][n]) {
            /* mostly zero: a function is warm on a few nodes */
            idle[f][n] = rand() % 3 == 0 ? (uint32_t)(rand() % 3) : 0;
            edge_scheduler_set_idle(s, f, n, idle[f][n]);
        }
        size_t ex[20];
        size_t nex = rand() % 8 == 0 ? 20 : (size_t)(rand() % 3);
        for (size_t i = 0; i < nex; i++)
            ex[i] = (size_t)(rand() % NODES);
        size_t best = EDGE_SCHED_NONE;
        for (size_t m = 0; m < NODES; m++) {
            int excluded = 0;
            for (size_t i = 0; i < nex; i++)
                excluded |= ex[i] == m;
            if (!dep[f][m] || !usable[m] || excluded)
                continue;
            if (best == EDGE_SCHED_NONE || (idle[f][m] > 0) > (idle[f][best] > 0) ||
                ((idle[f][m] > 0) == (idle[f][best] > 0) && load[m] < load[best]))
                best = m;
        }
        cr_assert_eq(edge_scheduler_pick(s, f, ex, nex, NULL), best, "op %d", op);
    }
    edge_scheduler_free(s);
}

/* warm_first's key depends on the function, yet a load change costs what
 * it costs least_loaded: 100 functions on the same 100 nodes share one
 * tree (each node is in one), and the warm nodes are a list per function
 * that a load change does not touch. */
Test(scheduler, warm_first_shares_the_least_loaded_tree)
{
    edge_scheduler *s = mk("warm_first", 100, 100);
    for (size_t f = 0; f < 100; f++)
        deploy_all(s, f, 100);
    for (size_t f = 0; f < 100; f++)
        cr_assert_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), 0);
    cr_assert_eq(s->ntrees - s->nfree, 1, "one tree for 100 functions");
    cr_assert_eq(s->nodes[7].nt, 1, "a node is in one tree, not 100");
    edge_scheduler_set_idle(s, 3, 50, 2);
    edge_scheduler_set_idle(s, 3, 40, 1);
    edge_scheduler_set_load(s, 40, 2);
    cr_assert_eq(edge_scheduler_pick(s, 3, NULL, 0, NULL), 50, "warm and lighter");
    edge_scheduler_set_load(s, 50, 2);
    cr_assert_eq(edge_scheduler_pick(s, 3, NULL, 0, NULL), 40, "equal loads: the earlier");
    cr_assert_eq(edge_scheduler_pick(s, 4, NULL, 0, NULL), 0, "function 4 is warm nowhere");
    size_t ex[2] = {40, 50};
    cr_assert_eq(edge_scheduler_pick(s, 3, ex, 2, NULL), 0, "both warm nodes excluded");
    edge_scheduler_set_idle(s, 3, 40, 0);
    cr_assert_eq(edge_scheduler_pick(s, 3, NULL, 0, NULL), 50);
    edge_scheduler_free(s);
}

Test(scheduler, nearest_takes_the_lowest_cost_then_the_least_loaded)
{
    edge_scheduler *s = mk("nearest", 1, 4);
    deploy_all(s, 0, 4);
    int64_t costs[4] = {50, 10, 10, 5};
    edge_scheduler_set_costs(s, costs);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 3);
    edge_scheduler_set_usable(s, 3, 0);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1, "ties on cost: earliest");
    edge_scheduler_set_load(s, 1, 2);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2, "ties on cost: least loaded");
    int64_t other[4] = {1, 10, 10, 5};
    edge_scheduler_set_costs(s, other);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0, "another client, another answer");
    edge_scheduler_free(s);
}

Test(scheduler, latency_aware_weighs_queue_rounds_and_saturates_instead_of_wrapping)
{
    edge_scheduler *s = mk("latency_aware", 1, 3);
    deploy_all(s, 0, 3);
    int64_t costs[3] = {30, 10, 20};
    edge_scheduler_set_costs(s, costs);
    edge_scheduler_set_expect(s, NULL, NULL, 100);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1, "idle: the nearest");
    edge_scheduler_set_load(s, 1, 1); /* one core each: a round of 100 ahead */
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2);
    /* A mean so long that mean x rounds passes INT64_MAX: node 1 (one round
     * ahead) would wrap negative and win; saturated, it ranks with the
     * others' huge but finite sums and the idle nodes win on cost. */
    edge_scheduler_set_expect(s, NULL, NULL, INT64_MAX / 2 + 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2, "idle, then nearest");
    /* an infinite mean (INT64_MAX): every sum saturates, ties to the earliest */
    edge_scheduler_set_expect(s, NULL, NULL, INT64_MAX);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 0);
    edge_scheduler_free(s);
}

Test(scheduler, consistent_hash_moves_only_the_functions_of_a_removed_node)
{
    enum { FNS = 400, NODES = 10 };
    edge_scheduler *s = mk("consistent_hash", FNS, NODES);
    for (size_t f = 0; f < FNS; f++)
        deploy_all(s, f, NODES);
    size_t before[FNS];
    int per_node[NODES] = {0};
    for (size_t f = 0; f < FNS; f++) {
        before[f] = edge_scheduler_pick(s, f, NULL, 0, NULL);
        cr_assert_lt(before[f], NODES);
        per_node[before[f]]++;
        edge_scheduler_set_load(s, before[f], (uint32_t)(f % 7)); /* load does not matter */
        cr_expect_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), before[f], "affinity");
    }
    for (int n = 0; n < NODES; n++) /* 40 expected each; a crude balance check */
        cr_expect(per_node[n] > 15 && per_node[n] < 70, "node %d has %d", n, per_node[n]);
    for (size_t f = 0; f < FNS; f++)
        edge_scheduler_set_deployed(s, f, 3, 0);
    size_t moved = 0;
    for (size_t f = 0; f < FNS; f++) {
        size_t now = edge_scheduler_pick(s, f, NULL, 0, NULL);
        if (before[f] == 3)
            cr_expect_neq(now, 3);
        else
            cr_expect_eq(now, before[f], "function %zu moved off a node that stayed", f);
        moved += now != before[f];
    }
    cr_expect_eq(moved, (size_t)per_node[3]);
    /* node 3 comes back: exactly its functions return */
    for (size_t f = 0; f < FNS; f++)
        edge_scheduler_set_deployed(s, f, 3, 1);
    for (size_t f = 0; f < FNS; f++)
        cr_expect_eq(edge_scheduler_pick(s, f, NULL, 0, NULL), before[f]);
    edge_scheduler_free(s);
}

Test(scheduler, consistent_hash_leaves_an_unusable_node_and_returns_to_it)
{
    edge_scheduler *s = mk("consistent_hash", 1, 5);
    deploy_all(s, 0, 5);
    size_t home = edge_scheduler_pick(s, 0, NULL, 0, NULL);
    edge_scheduler_set_usable(s, home, 0);
    size_t away = edge_scheduler_pick(s, 0, NULL, 0, NULL);
    cr_expect_neq(away, home);
    size_t ex[] = {away};
    size_t third = edge_scheduler_pick(s, 0, ex, 1, NULL);
    cr_expect_neq(third, away, "a retry avoids the node it tried");
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), away, "exclusion does not stick");
    edge_scheduler_set_usable(s, home, 1);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), home);
    edge_scheduler_free(s);
}

/* ---- plugins (edge_policy_plugin.h), in-process: no dlopen here ---- */

typedef struct fake {
    long answer;                     /* what choose returns; -2: the last candidate */
    edge_policy_candidate seen[8];
    size_t nseen;
    uint32_t fn, region;
    int64_t now;
    double draw;
    int starts, finishes, last_ok;
} fake;

static long fake_choose(void *st, const edge_policy_request *r)
{
    fake *f = st;
    f->nseen = r->ncandidates;
    for (size_t i = 0; i < r->ncandidates && i < 8; i++)
        f->seen[i] = r->candidates[i];
    f->fn = r->function;
    f->region = r->client_region;
    f->now = r->now;
    f->draw = r->uniform ? r->uniform(r->rng) : -1.0;
    return f->answer == -2 ? (long)r->ncandidates - 1 : f->answer;
}
static void *fake_create(const char *p, size_t nf, size_t nn, char *e, size_t el)
{
    (void)p, (void)nf, (void)nn, (void)e, (void)el;
    return NULL;
}
static void fake_destroy(void *st) { (void)st; }
static void fake_start(void *st, uint32_t fn, uint32_t node, int64_t now)
{
    (void)fn, (void)node, (void)now;
    ((fake *)st)->starts++;
}
static void fake_finish(void *st, uint32_t fn, uint32_t node, int64_t now, int ok)
{
    (void)fn, (void)node, (void)now;
    ((fake *)st)->finishes++;
    ((fake *)st)->last_ok = ok;
}
static const edge_policy_plugin fake_plugin = {EDGE_POLICY_ABI_VERSION, "fake", fake_create,
                                               fake_destroy, fake_choose, fake_start,
                                               fake_finish};

Test(scheduler, plugin_sees_the_eligible_candidates_with_their_state)
{
    fake f = {.answer = -2};
    edge_err rc;
    edge_scheduler *s = edge_scheduler_create_plugin(&fake_plugin, &f, 2, 4, &rc);
    cr_assert_not_null(s);
    cr_expect_str_eq(edge_scheduler_policy(s), "plugin");
    deploy_all(s, 1, 4);
    uint32_t regions[4] = {0, 1, 1, 2};
    int64_t costs[4] = {10, 20, 30, 40};
    edge_scheduler_set_regions(s, regions);
    edge_scheduler_set_costs(s, costs);
    edge_scheduler_set_request(s, 12345, 1);
    edge_scheduler_set_load(s, 2, 7);
    edge_scheduler_set_idle(s, 1, 3, 2);
    edge_scheduler_set_usable(s, 1, 0);
    uint64_t x = 1;
    edge_rand r = {lcg, &x};
    size_t ex[1] = {0};
    cr_expect_eq(edge_scheduler_pick(s, 1, ex, 1, &r), 3, "the last candidate: node 3");
    cr_assert_eq(f.nseen, 2, "node 0 excluded, node 1 unusable");
    cr_expect_eq(f.seen[0].node, 2);
    cr_expect_eq(f.seen[0].in_flight, 7);
    cr_expect_eq(f.seen[0].region, 1);
    cr_expect_eq(f.seen[0].latency_ns, 30);
    cr_expect_eq(f.seen[1].node, 3);
    cr_expect_eq(f.seen[1].idle_warm, 2);
    cr_expect_eq(f.fn, 1);
    cr_expect_eq(f.region, 1);
    cr_expect_eq(f.now, 12345);
    cr_expect(f.draw >= 0.0 && f.draw < 1.0, "uniform draw %f", f.draw);
    cr_expect_eq(edge_scheduler_bad_choice(s, NULL), 0);
    edge_scheduler_started(s, 1, 3, 1);
    edge_scheduler_finished(s, 1, 3, 2, 0);
    cr_expect_eq(f.starts, 1);
    cr_expect_eq(f.finishes, 1);
    cr_expect_eq(f.last_ok, 0);
    edge_scheduler_free(s);
}

Test(scheduler, plugin_none_and_out_of_range_answers)
{
    fake f = {.answer = EDGE_POLICY_NONE};
    edge_scheduler *s = edge_scheduler_create_plugin(&fake_plugin, &f, 1, 3, NULL);
    cr_assert_not_null(s);
    deploy_all(s, 0, 3);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), EDGE_SCHED_NONE);
    cr_expect_eq(edge_scheduler_bad_choice(s, NULL), 0, "NONE is a valid answer");
    f.answer = 3; /* exactly one past the last of 3 candidates */
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), EDGE_SCHED_NONE);
    long v = 0;
    cr_expect_eq(edge_scheduler_bad_choice(s, &v), 1);
    cr_expect_eq(v, 3);
    f.answer = 2;
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 2, "the last index is fine");
    /* no candidates: choose is not called */
    f.nseen = 99;
    for (size_t n = 0; n < 3; n++)
        edge_scheduler_set_usable(s, n, 0);
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), EDGE_SCHED_NONE);
    cr_expect_eq(f.nseen, 99);
    edge_scheduler_free(s);
}

Test(scheduler, plugin_of_another_abi_version_is_refused)
{
    edge_policy_plugin p = fake_plugin;
    p.abi_version = EDGE_POLICY_ABI_VERSION + 1;
    edge_err rc = EDGE_OK;
    cr_expect_null(edge_scheduler_create_plugin(&p, NULL, 1, 1, &rc));
    cr_expect_eq(rc, EDGE_INVAL);
    p = fake_plugin;
    p.choose = NULL;
    cr_expect_null(edge_scheduler_create_plugin(&p, NULL, 1, 1, &rc));
    cr_expect_null(edge_scheduler_create_plugin(NULL, NULL, 1, 1, &rc));
}

/* The prefetch hint only reads: for a function with and without nodes, an
 * unknown one and a NULL scheduler, the picks after it are the ones without. */
Test(scheduler, prefetch_changes_no_pick)
{
    edge_scheduler_prefetch(NULL, 0, 2);
    edge_scheduler_prefetch(NULL, 0, 1);
    edge_scheduler *s = mk("least_loaded", 2, 3);
    deploy_all(s, 0, 3);
    edge_scheduler_set_load(s, 0, 2);
    for (size_t f = 0; f < 4; f++) {
        edge_scheduler_prefetch(s, f, 2);
        edge_scheduler_prefetch(s, f, 1);
    }
    cr_expect_eq(edge_scheduler_pick(s, 0, NULL, 0, NULL), 1);
    cr_expect_eq(edge_scheduler_pick(s, 1, NULL, 0, NULL), EDGE_SCHED_NONE);
    edge_scheduler_free(s);
}

/* edge_scheduler_guess_after foresees the pick after a pick of a function on
 * the same nodes (the root takes one more) or after a node gets lighter:
 * for least_loaded it is that pick; for a function on other nodes, or when
 * neither is named, and for warm_first, it is edge_scheduler_guess. */
Test(scheduler, guess_after_a_pick_or_a_release_is_the_next_pick)
{
    enum { NODES = 300, OPS = 6000 };
    cr_expect_eq(edge_scheduler_guess_after(NULL, 0, 0, 0), EDGE_SCHED_NONE);
    const char *policies[] = {"least_loaded", "warm_first"};
    for (size_t p = 0; p < 2; p++) {
        edge_scheduler *s = mk(policies[p], 3, NODES);
        uint32_t load[NODES] = {0};
        deploy_all(s, 0, NODES);
        deploy_all(s, 1, NODES); /* 0 and 1 share a tree */
        for (size_t n = 0; n < NODES; n += 2)
            cr_assert_eq(edge_scheduler_set_deployed(s, 2, n, 1), EDGE_OK);
        uint64_t st = 7;
        edge_rand rnd = {lcg, &st};
        for (size_t f = 0; f < 3; f++)
            edge_scheduler_pick(s, f, NULL, 0, &rnd); /* the rebuilds */
        srand(29);
        for (int op = 0; op < OPS; op++) {
            size_t n = (size_t)(rand() % NODES);
            load[n] = (uint32_t)(rand() % 4);
            edge_scheduler_set_load(s, n, load[n]);
            if (rand() % 20 == 0)
                edge_scheduler_set_usable(s, n, rand() % 4 != 0);
            if (p == 1 && op % 100 == 0)
                edge_scheduler_set_idle(s, 0, n, rand() % 2);
            size_t plain = edge_scheduler_guess(s, 0);
            cr_assert_eq(edge_scheduler_guess_after(s, 0, EDGE_SCHED_NONE, EDGE_SCHED_NONE), plain);
            cr_assert_eq(edge_scheduler_guess_after(s, 0, 2, EDGE_SCHED_NONE), plain,
                         "function 2 is on other nodes");
            if (p == 1) {
                cr_assert_eq(edge_scheduler_guess_after(s, 0, 1, n), plain, "warm_first: op %d", op);
                continue;
            }
            /* function 1 picks first: the next pick for 0 */
            size_t g = edge_scheduler_guess_after(s, 0, 1, EDGE_SCHED_NONE);
            size_t first = edge_scheduler_pick(s, 1, NULL, 0, &rnd);
            if (first != EDGE_SCHED_NONE)
                edge_scheduler_set_load(s, first, load[first] + 1);
            cr_assert_eq(g, edge_scheduler_pick(s, 0, NULL, 0, &rnd), "after a pick, op %d", op);
            if (first != EDGE_SCHED_NONE)
                edge_scheduler_set_load(s, first, load[first]);
            /* node m one lighter first */
            size_t m = (size_t)(rand() % NODES);
            if (load[m] == 0)
                continue;
            g = edge_scheduler_guess_after(s, 0, EDGE_SCHED_NONE, m);
            edge_scheduler_set_load(s, m, load[m] - 1);
            cr_assert_eq(g, edge_scheduler_pick(s, 0, NULL, 0, &rnd), "after a release, op %d", op);
            edge_scheduler_set_load(s, m, load[m]);
        }
        edge_scheduler_free(s);
    }
}

/* edge_scheduler_guess_drawn, for the policies that pick by their draws
 * alone, is the pick the real stream then makes (after a pick for another
 * function when one is named), and changes nothing: the picks after it are
 * those of a scheduler never asked. Other policies: no guess. */
Test(scheduler, guess_drawn_is_the_pick_a_copy_of_the_stream_foresees)
{
    enum { NODES = 200, OPS = 3000 };
    const char *policies[] = {"random", "power_of_two", "least_loaded", "round_robin"};
    for (size_t p = 0; p < 4; p++) {
        edge_scheduler *s = mk(policies[p], 2, NODES), *twin = mk(policies[p], 2, NODES);
        int drawn = p < 2;
        cr_assert_eq(edge_scheduler_picks_by_draws(s), drawn, "%s", policies[p]);
        for (size_t f = 0; f < 2; f++) {
            deploy_all(s, f, NODES);
            deploy_all(twin, f, NODES);
        }
        uint64_t st = 99, st2 = 99;
        edge_rand rnd = {lcg, &st}, rnd2 = {lcg, &st2};
        for (size_t f = 0; f < 2; f++) { /* the rebuilds: a function waiting for one is not guessed */
            cr_assert_eq(edge_scheduler_guess_drawn(s, f, EDGE_SCHED_NONE, &rnd), EDGE_SCHED_NONE);
            edge_scheduler_pick(s, f, NULL, 0, &rnd);
            edge_scheduler_pick(twin, f, NULL, 0, &rnd2);
        }
        cr_assert_eq(st, st2);
        srand(31);
        for (int op = 0; op < OPS; op++) {
            size_t n = (size_t)(rand() % NODES);
            uint32_t load = (uint32_t)(rand() % 4);
            int usable = rand() % 8 != 0;
            edge_scheduler_set_load(s, n, load);
            edge_scheduler_set_load(twin, n, load);
            edge_scheduler_set_usable(s, n, usable);
            edge_scheduler_set_usable(twin, n, usable);
            size_t before = op % 2 ? 1 : EDGE_SCHED_NONE;
            uint64_t copy_state = st;
            edge_rand copy = {lcg, &copy_state};
            size_t g = edge_scheduler_guess_drawn(s, 0, before, &copy);
            if (before != EDGE_SCHED_NONE) {
                edge_scheduler_pick(s, 1, NULL, 0, &rnd);
                edge_scheduler_pick(twin, 1, NULL, 0, &rnd2);
            }
            size_t got = edge_scheduler_pick(s, 0, NULL, 0, &rnd);
            cr_assert_eq(got, edge_scheduler_pick(twin, 0, NULL, 0, &rnd2),
                         "%s: the guess changed nothing, op %d", policies[p], op);
            if (drawn)
                cr_assert_eq(g, got, "%s, op %d", policies[p], op);
            else if (!drawn)
                cr_assert_eq(g, EDGE_SCHED_NONE, "%s", policies[p]);
        }
        cr_expect_eq(edge_scheduler_guess_drawn(s, 0, EDGE_SCHED_NONE, NULL), EDGE_SCHED_NONE);
        cr_expect_eq(edge_scheduler_guess_drawn(s, 7, EDGE_SCHED_NONE, &rnd), EDGE_SCHED_NONE);
        edge_scheduler_free(s);
        edge_scheduler_free(twin);
    }
    cr_expect_eq(edge_scheduler_picks_by_draws(NULL), 0);
}

/* The cache hint's guess (edge_scheduler_guess) is the pick itself for
 * least_loaded past the scan size, and for warm_first when it has many warm
 * nodes or none (its first tries); nothing for the other policies, for a
 * function scanned or waiting for its rebuild, and for bad arguments. */
Test(scheduler, guess_is_the_pick_where_a_policy_can_tell_and_nothing_elsewhere)
{
    enum { NODES = 100, OPS = 4000 };
    cr_expect_eq(edge_scheduler_guess(NULL, 0), EDGE_SCHED_NONE);
    const char *policies[] = {"least_loaded", "warm_first", "round_robin", "random",
                              "power_of_two"};
    for (size_t p = 0; p < sizeof policies / sizeof *policies; p++) {
        edge_scheduler *s = mk(policies[p], 2, NODES);
        int tree = p < 2;
        deploy_all(s, 0, NODES);
        for (size_t n = 0; n < 10; n++) /* function 1 on few nodes: scanned */
            cr_assert_eq(edge_scheduler_set_deployed(s, 1, n, 1), EDGE_OK);
        cr_expect_eq(edge_scheduler_guess(s, 0), EDGE_SCHED_NONE, "%s: before its rebuild",
                     policies[p]);
        cr_expect_eq(edge_scheduler_guess(s, 2), EDGE_SCHED_NONE, "%s: no such function",
                     policies[p]);
        uint64_t st = 7;
        edge_rand rnd = {lcg, &st};
        edge_scheduler_pick(s, 0, NULL, 0, &rnd); /* the rebuild */
        srand(23);
        int warm = 0;
        for (int op = 0; op < OPS; op++) {
            size_t n = (size_t)(rand() % NODES);
            int kind = rand() % 10;
            if (kind < 6)
                edge_scheduler_set_load(s, n, (uint32_t)(rand() % 5));
            else if (kind < 7)
                edge_scheduler_set_usable(s, n, rand() % 5 != 0);
            if (op % 500 == 499) { /* warm on every third node, or none */
                warm = !warm;
                for (size_t m = 0; m < NODES; m++)
                    edge_scheduler_set_idle(s, 0, m, warm && m % 3 == 0);
            }
            size_t g = edge_scheduler_guess(s, 0);
            if (!tree) {
                cr_assert_eq(g, EDGE_SCHED_NONE, "%s, op %d", policies[p], op);
                continue;
            }
            cr_assert_eq(g, edge_scheduler_pick(s, 0, NULL, 0, &rnd), "%s, op %d",
                         policies[p], op);
            cr_assert_eq(edge_scheduler_guess(s, 1), EDGE_SCHED_NONE, "%s: scanned",
                         policies[p]);
        }
        edge_scheduler_free(s);
    }
}
