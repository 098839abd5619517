/*
 * Pins sim/net/net.c on its own, on an engine of its own: a transfer over
 * links is done its path's latency plus size / capacity after it is sent,
 * the same on the second send of a (node, region) pair (the table of
 * routes) as on the first; a path without links is done at its latency;
 * and the start hint (sim_net_set_soon) comes once per transfer over
 * links, when its propagation is waited, before its done, with its cookie.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/engine.h"
#include "net/net.h"
#include "scenario/scenario.h"

typedef struct log {
    sim_engine *e;
    uint64_t cookie[16];
    edge_time at[16];
    int soon[16]; /* 1: a hint, 0: done */
    size_t n;
} log_t;

static void note(log_t *l, uint64_t cookie, int soon)
{
    cr_assert_lt(l->n, 16);
    l->cookie[l->n] = cookie;
    l->at[l->n] = sim_engine_now(l->e);
    l->soon[l->n++] = soon;
}

static void on_done(void *ctx, uint64_t cookie)
{
    note(ctx, cookie, 0);
}

static void on_soon(void *ctx, uint64_t cookie)
{
    note(ctx, cookie, 1);
}

/* Regions eu and us, 5 ms between them; e1 in eu behind an 8 Mbit/s
 * access link (1 ms), u1 in us with no link of its own. */
static const char text[] =
    "{\"name\": \"n\", \"duration\": \"10s\", \"regions\": [{\"id\": \"eu\"}, {\"id\": \"us\"}],"
    " \"nodes\": [{\"id\": \"e1\", \"region\": \"eu\"}, {\"id\": \"u1\", \"region\": \"us\"}],"
    " \"network\": {\"same_region\": \"0ms\", \"cross_region\": \"5ms\", \"links\": ["
    "   {\"kind\": \"access\", \"nodes\": [\"e1\"], \"capacity\": \"8Mbps\", \"latency\": \"1ms\"}]},"
    " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\", \"value\": \"1ms\"},"
    "   \"request_kb\": 1}],"
    " \"deployments\": [{\"function\": \"f\", \"strategy\": \"all\"}]}";

Test(net, transfers_take_latency_plus_size_over_capacity_and_hint_their_start)
{
    sim_diag diags[4];
    size_t nd = 0;
    sim_scenario *sc = sim_scenario_parse(text, strlen(text), "inline.json", NULL, 0, diags, 4, &nd);
    cr_assert_not_null(sc);
    log_t l = {.e = sim_engine_create(64)};
    sim_net *n = sim_net_create(sc, l.e, on_done, &l);
    cr_assert_not_null(n);
    sim_net_set_soon(n, on_soon);
    /* 100 kB to e1 at 0 (1 ms, then 100 ms at 1 MB/s); to u1, no link (at
     * 0 + nothing: a path without links takes its latency only, here 0) */
    cr_assert_eq(sim_net_send(n, 0, 0, 100000, 7), EDGE_OK);
    cr_assert_eq(sim_net_send(n, 0, 1, 500, 8), EDGE_OK);
    cr_assert_eq(sim_engine_run_until(l.e, 1000 * EDGE_MS), EDGE_OK);
    /* the same pair again, from the table of routes: the same times */
    cr_assert_eq(sim_net_send(n, 0, 0, 100000, 9), EDGE_OK);
    cr_assert_eq(sim_engine_run_until(l.e, 2000 * EDGE_MS), EDGE_OK);
    cr_assert_eq(l.n, 5);
    cr_assert_eq(l.cookie[0], 8);
    cr_assert_eq(l.soon[0], 0, "no link: done, no hint");
    cr_assert_eq(l.at[0], 0);
    cr_assert_eq(l.cookie[1], 7);
    cr_assert_eq(l.soon[1], 1, "the hint when bytes start to move");
    cr_assert_eq(l.at[1], 1 * EDGE_MS);
    cr_assert_eq(l.cookie[2], 7);
    cr_assert_eq(l.soon[2], 0);
    cr_assert_eq(l.at[2], 101 * EDGE_MS);
    cr_assert_eq(l.cookie[3], 9);
    cr_assert_eq(l.soon[3], 1);
    cr_assert_eq(l.at[3], 1001 * EDGE_MS);
    cr_assert_eq(l.cookie[4], 9);
    cr_assert_eq(l.soon[4], 0);
    cr_assert_eq(l.at[4], 1101 * EDGE_MS);
    sim_net_counts c;
    sim_net_get_counts(n, &c);
    cr_assert_eq(c.sent, 3);
    cr_assert_eq(c.done, 3);
    sim_net_free(n);
    sim_engine_destroy(l.e);
    sim_scenario_free(sc);
}
