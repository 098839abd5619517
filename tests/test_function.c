/*
 * Pins core/function and core/deployment: what a function checks and copies
 * when it is made; can_run_on with no, partial, exact and extra capabilities;
 * the function table's dense indices, duplicate ids and ownership on error;
 * and the keys of a deployment's to_dict.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "deployment.h"
#include "function.h"

static edge_function *fn_with(const char *id, const char *const *caps, size_t n)
{
    edge_function_spec spec = {.id = id, .memory_mb = 128, .timeout = 3 * EDGE_S,
                               .capabilities = caps, .n_capabilities = n};
    edge_function *f = NULL;
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    return f;
}

static edge_node *node_with(const char *id, const char *const *caps, size_t n)
{
    edge_node_spec spec = {.id = id, .region = "r", .capabilities = caps, .n_capabilities = n};
    edge_node *node = NULL;
    cr_assert_eq(edge_node_new(&spec, 0, &node), EDGE_OK);
    return node;
}

Test(function, new_copies_the_spec)
{
    char id[] = "resize";
    const char *caps[] = {"gpu"};
    int ctx;
    edge_function_spec spec = {.id = id, .memory_mb = 256, .timeout = 2 * EDGE_S,
                               .capabilities = caps, .n_capabilities = 1, .max_instances = 4,
                               .has_keepalive = true, .keepalive = 0, .handler_ctx = &ctx};
    edge_function *f;
    cr_assert_eq(edge_function_new(&spec, &f), EDGE_OK);
    id[0] = 'X';
    cr_expect_str_eq(edge_function_id(f), "resize");
    cr_expect_eq(edge_function_index(f), EDGE_NONE, "in no table yet");
    cr_expect_eq(edge_function_memory_mb(f), 256);
    cr_expect_eq(edge_function_timeout(f), 2 * EDGE_S);
    cr_expect_eq(edge_function_max_instances(f), 4);
    edge_time ttl = -1;
    cr_expect(edge_function_keepalive(f, &ttl));
    cr_expect_eq(ttl, 0, "a keep-alive of 0 is a real value, not 'unset'");
    void *got;
    cr_expect_null(edge_function_handler(f, &got));
    cr_expect_eq(got, &ctx);
    cr_expect_eq(edge_function_capability_count(f), 1);
    cr_expect_str_eq(edge_function_capability(f, 0), "gpu");
    cr_expect_null(edge_function_capability(f, 1));
    edge_function_free(f);
    edge_function_free(NULL);
}

Test(function, keepalive_is_unset_unless_asked_for)
{
    edge_function *f = fn_with("f", NULL, 0);
    edge_time ttl = 42;
    cr_expect_not(edge_function_keepalive(f, &ttl));
    cr_expect_eq(ttl, 42);
    edge_function_free(f);
}

Test(function, new_rejects_bad_specs)
{
    edge_function *f = (edge_function *)0x1;
    edge_function_spec ok = {.id = "f", .timeout = 1};
    edge_function_spec s;
    cr_expect_eq(edge_function_new(NULL, &f), EDGE_INVAL);
    cr_expect_eq(edge_function_new(&ok, NULL), EDGE_INVAL);
    s = ok; s.id = "";
    cr_expect_eq(edge_function_new(&s, &f), EDGE_INVAL);
    s = ok; s.timeout = 0;
    cr_expect_eq(edge_function_new(&s, &f), EDGE_RANGE);
    s = ok; s.timeout = -EDGE_S;
    cr_expect_eq(edge_function_new(&s, &f), EDGE_RANGE);
    s = ok; s.has_keepalive = true; s.keepalive = -1;
    cr_expect_eq(edge_function_new(&s, &f), EDGE_RANGE);
    s = ok; s.n_capabilities = 1; /* NULL names */
    cr_expect_eq(edge_function_new(&s, &f), EDGE_INVAL);
    cr_expect_eq(f, (edge_function *)0x1);
}

Test(function, with_no_requirements_runs_anywhere)
{
    edge_function *f = fn_with("f", NULL, 0);
    edge_node *bare = node_with("bare", NULL, 0);
    const char *caps[] = {"gpu"};
    edge_node *gpu = node_with("gpu", caps, 1);
    cr_expect(edge_function_can_run_on(f, bare));
    cr_expect(edge_function_can_run_on(f, gpu));
    edge_node_free(bare);
    edge_node_free(gpu);
    edge_function_free(f);
}

Test(function, needs_every_required_capability)
{
    const char *need[] = {"gpu", "arm64"};
    edge_function *f = fn_with("f", need, 2);
    const char *partial[] = {"gpu"};
    const char *exact[] = {"arm64", "gpu"};
    const char *extra[] = {"x86", "gpu", "ssd", "arm64"};
    const char *other_case[] = {"GPU", "arm64"};
    edge_node *np = node_with("p", partial, 1), *ne = node_with("e", exact, 2),
              *nx = node_with("x", extra, 4), *nc = node_with("c", other_case, 2),
              *n0 = node_with("0", NULL, 0);
    cr_expect_not(edge_function_can_run_on(f, np), "partial");
    cr_expect(edge_function_can_run_on(f, ne), "exact");
    cr_expect(edge_function_can_run_on(f, nx), "extra capabilities do not matter");
    cr_expect_not(edge_function_can_run_on(f, nc), "names are case-sensitive");
    cr_expect_not(edge_function_can_run_on(f, n0), "none");
    cr_expect_not(edge_function_can_run_on(NULL, ne));
    cr_expect_not(edge_function_can_run_on(f, NULL));
    edge_node *nodes[] = {np, ne, nx, nc, n0};
    for (int i = 0; i < 5; i++)
        edge_node_free(nodes[i]);
    edge_function_free(f);
}

Test(function, can_run_on_agrees_with_a_plain_check_over_many_sets)
{
    /* Catches a signature bit that wrongly rejects, and merge-walk slips. */
    char names[40][16];
    for (int i = 0; i < 40; i++)
        snprintf(names[i], sizeof names[i], "cap%d", i);
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        const char *need[6], *have[12];
        size_t nn = 0, nh = 0;
        seed = seed * 1103515245 + 12345;
        unsigned m_need = seed >> 8, m_have;
        seed = seed * 1103515245 + 12345;
        m_have = seed >> 4;
        for (int i = 0; i < 12 && nn < 6; i++)
            if ((m_need >> i & 7) == 0)
                need[nn++] = names[i];
        for (int i = 0; i < 12 && nh < 12; i++)
            if (m_have >> i & 1)
                have[nh++] = names[i];
        bool expect = true;
        for (size_t i = 0; i < nn; i++) {
            bool found = false;
            for (size_t j = 0; j < nh; j++)
                found |= strcmp(need[i], have[j]) == 0;
            expect &= found;
        }
        edge_function *f = fn_with("f", need, nn);
        edge_node *n = node_with("n", have, nh);
        cr_assert_eq(edge_function_can_run_on(f, n), expect, "round %d", round);
        edge_node_free(n);
        edge_function_free(f);
    }
}

/* ---- table ---------------------------------------------------------------- */

Test(function_table, gives_dense_indices_in_the_order_functions_are_added)
{
    edge_function_table *t;
    cr_assert_eq(edge_function_table_new(&t), EDGE_OK);
    const char *ids[] = {"a", "b", "c"};
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t idx = 99;
        edge_function *f = fn_with(ids[i], NULL, 0);
        cr_assert_eq(edge_function_table_add(t, f, &idx), EDGE_OK);
        cr_expect_eq(idx, i);
        cr_expect_eq(edge_function_index(f), i);
    }
    cr_expect_eq(edge_function_table_count(t), 3);
    uint32_t idx;
    cr_expect_eq(edge_function_table_find(t, "b", &idx), EDGE_OK);
    cr_expect_eq(idx, 1);
    cr_expect_str_eq(edge_function_id(edge_function_table_get(t, 2)), "c");
    cr_expect_null(edge_function_table_get(t, 3));
    cr_expect_null(edge_function_table_get(t, EDGE_NONE));
    cr_expect_eq(edge_function_table_find(t, "z", &idx), EDGE_NOT_FOUND);
    cr_expect_eq(edge_function_table_find(t, NULL, &idx), EDGE_INVAL);
    edge_function_table_free(t);
    edge_function_table_free(NULL);
}

Test(function_table, refuses_a_duplicate_id_and_the_caller_keeps_the_function)
{
    edge_function_table *t;
    cr_assert_eq(edge_function_table_new(&t), EDGE_OK);
    edge_function *a = fn_with("a", NULL, 0), *dup = fn_with("a", NULL, 0);
    cr_assert_eq(edge_function_table_add(t, a, NULL), EDGE_OK);
    cr_expect_eq(edge_function_table_add(t, dup, NULL), EDGE_EXISTS);
    cr_expect_eq(edge_function_index(dup), EDGE_NONE);
    cr_expect_eq(edge_function_table_add(t, a, NULL), EDGE_INVAL, "already in a table");
    cr_expect_eq(edge_function_table_count(t), 1);
    edge_function_free(dup);
    edge_function_table_free(t);
}

Test(function_table, finds_every_one_of_ten_thousand_functions)
{
    edge_function_table *t;
    cr_assert_eq(edge_function_table_new(&t), EDGE_OK);
    char id[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof id, "fn-%d", i);
        cr_assert_eq(edge_function_table_add(t, fn_with(id, NULL, 0), NULL), EDGE_OK);
    }
    for (int i = 0; i < 10000; i++) {
        uint32_t idx;
        snprintf(id, sizeof id, "fn-%d", i);
        cr_assert_eq(edge_function_table_find(t, id, &idx), EDGE_OK);
        cr_assert_eq(idx, (uint32_t)i);
    }
    edge_function_table_free(t);
}

/* ---- deployment ---------------------------------------------------------- */

Test(deployment, to_dict_has_the_documented_keys)
{
    edge_deployment d = {.function = 1, .node = 2, .function_id = "f", .node_id = "n",
                         .deployed_at = 2500 * EDGE_MS, .invocations = 7};
    cJSON *o;
    cr_assert_eq(edge_deployment_to_dict(&d, &o), EDGE_OK);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(o, "function_id")->valuestring, "f");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(o, "node_id")->valuestring, "n");
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(o, "deployed_at_ns")->valuedouble, 2.5e9);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(o, "deployed_at_s")->valuedouble, 2.5);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(o, "invocations")->valuedouble, 7);
    cr_expect_eq(cJSON_GetArraySize(o), 5);
    cJSON_Delete(o);
    d.node_id = NULL;
    cr_expect_eq(edge_deployment_to_dict(&d, &o), EDGE_INVAL);
}
