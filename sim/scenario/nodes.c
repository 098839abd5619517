/*
 * nodes.c — the scenario's "nodes" section (docs/scenario.md, "nodes"): one
 * node or a group ("count") validated once as a template, then expanded.
 */
#include "scenario/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Slots are a counter (nothing is allocated per slot): a scale-per-request platform
 * with 10,000 concurrent instances on one node is one node of 10,000 cores. The bound
 * keeps a node a node; past a million slots, model more nodes. */
#define SIM_CORES_MAX 1000000
#define SIM_QUEUE_MAX 10000000    /* a queue longer than this is a modelling mistake */

static const sc_numspec NS_CORES = {1, SIM_CORES_MAX, 1, 0};
static const sc_numspec NS_WATTS = {0, 1e9, 0, 0};
static const sc_numspec NS_QUEUE = {0, SIM_QUEUE_MAX, 1, 0};

/* ------------------------------------------------------------------------ */
/* Nodes                                                                      */

static const char *const node_fields[] = {
    "id", "count", "first", "region", "lat", "lon", "capabilities", "cores", "memory_mb",
    "disk_mb", "heartbeat_interval", "queue_limit", "idle_watts", "busy_watts", "cache_mb",
    "bandwidth_mb_per_s", NULL};

void sc_free_node(sim_node_spec *n)
{
    free(n->id);
    sc_free_strings(n->caps, n->ncaps);
}

/* Reads a node entry (all but its ids) into t. Returns 0 or -1 (reported). */
static int node_template(sc_ctx *c, const cJSON *obj, const char *p, sim_node_spec *t)
{
    int bad = 0;
    t->region = sc_region_ref(c, obj, p, "region");
    bad |= t->region == SIM_ALL;
    bad |= sc_coords(c, obj, p, &t->has_coords, &t->lat, &t->lon) < 0;
    bad |= sc_capabilities(c, obj, p, &t->caps, &t->ncaps) < 0;
    t->cores = 4;
    t->memory_mb = 4096;
    t->disk_mb = 32768;
    t->heartbeat_interval = 10 * EDGE_S;
    t->queue_limit = 100;
    t->idle_watts = 50;
    t->busy_watts = 150;
    t->starts_registered = 1;
    t->cache_mb = 10240;
    t->bandwidth_mb_per_s = 100;
    bad |= sc_number_field(c, obj, p, "cache_mb", 0, &SC_NS_MB0, &t->cache_mb) < 0;
    bad |= sc_number_field(c, obj, p, "bandwidth_mb_per_s", 0, &SC_NS_MB, &t->bandwidth_mb_per_s) < 0;
    bad |= sc_u32_field(c, obj, p, "cores", 0, &NS_CORES, &t->cores) < 0;
    bad |= sc_number_field(c, obj, p, "memory_mb", 0, &SC_NS_MB, &t->memory_mb) < 0;
    bad |= sc_number_field(c, obj, p, "disk_mb", 0, &SC_NS_MB0, &t->disk_mb) < 0;
    bad |= sc_duration_field(c, obj, p, "heartbeat_interval", 0, SC_SIGN_POS, "10s",
                             &t->heartbeat_interval) < 0;
    bad |= sc_u32_field(c, obj, p, "queue_limit", 0, &NS_QUEUE, &t->queue_limit) < 0;
    int ri = sc_number_field(c, obj, p, "idle_watts", 0, &NS_WATTS, &t->idle_watts);
    int rb = sc_number_field(c, obj, p, "busy_watts", 0, &NS_WATTS, &t->busy_watts);
    bad |= ri < 0 || rb < 0;
    if (ri >= 0 && rb >= 0 && t->busy_watts < t->idle_watts) {
        char q[SIM_DIAG_PATH_MAX], w[32];
        sc_path_key(q, p, rb ? "busy_watts" : "idle_watts");
        sim_diag_number(w, sizeof w, t->idle_watts);
        sc_diag(c, rb ? sc_member(obj, "busy_watts") : sc_member(obj, "idle_watts"), q,
                "expected busy_watts at least idle_watts (%s), found %s", w,
                sc_found(rb ? sc_member(obj, "busy_watts") : sc_member(obj, "idle_watts")).s);
        bad = 1;
    }
    return bad ? -1 : 0;
}

void sc_read_nodes(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (sc_array_field(c, c->root, "", "nodes", 1,
                       "a list of nodes such as [{\"id\": \"edge-1\", \"region\": \"eu\"}]", &arr) <= 0) {
        sc_lose_table(c, SC_NODES);
        return;
    }
    if (!arr->child) {
        sc_diag(c, arr, "nodes", "expected at least one node, found an empty list");
        sc_lose_table(c, SC_NODES);
        return;
    }
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        sc_path_index(p, "nodes", e);
        if (!sc_want_object(c, it, p, "a node")) {
            sc_lose_ids(c, SC_NODES, it);
            continue;
        }
        sc_check_fields(c, it, p, node_fields, NULL, NULL);
        const char *id = NULL;
        sc_idpat pat;
        size_t count = 1;
        unsigned long long first = 1;
        /* An entry with bad fields but good ids is still added, so that
         * references to it do not cause a cascade of follow-up errors
         * (the scenario is not returned anyway). */
        int bad = sc_entry_ids(c, it, p, "a node id", "edge", &id, &pat, &count, &first) < 0;
        sim_node_spec t = {0};
        if (node_template(c, it, p, &t) < 0)
            c->nodes_doubtful = 1;
        if (!bad && s->nnodes + count > SIM_SCENARIO_MAX_NODES) {
            char q[SIM_DIAG_PATH_MAX];
            sc_path_key(q, p, "count");
            sc_diag(c, sc_member(it, "count") ? sc_member(it, "count") : it, q,
                    "expected at most %d nodes in all, found %zu more after %zu", SIM_SCENARIO_MAX_NODES,
                    count, s->nnodes);
            bad = 1;
        }
        if (bad || sc_grow(c, (void **)&s->nodes, &c->nodes_cap, s->nnodes + count, sizeof *s->nodes) ||
            sc_grow(c, (void **)&c->node_id_item, &c->cap_a, s->nnodes + count,
                    sizeof *c->node_id_item) ||
            sc_grow(c, (void **)&c->node_entry, &c->cap_b, s->nnodes + count, sizeof *c->node_entry)) {
            if (bad)
                sc_lose_ids(c, SC_NODES, it);
            sc_free_node(&t);
            continue;
        }
        const cJSON *idv = sc_member(it, "id");
        int dup_seen = 0;
        for (size_t k = 0; k < count && !c->oom; k++) {
            sim_node_spec n = t;
            n.caps = NULL;
            n.id = sc_member(it, "count") ? sc_expand(c, &pat, first + k) : sc_xstrdup(c, id);
            if (!n.id || sc_caps_dup(c, t.caps, t.ncaps, &n.caps)) {
                sc_free_node(&n);
                break;
            }
            if (!sc_claim_id(c, SC_NODES, n.id, s->nnodes, c->node_entry, p, idv,
                             &dup_seen)) {
                sc_free_node(&n);
                continue;
            }
            c->node_id_item[s->nnodes] = idv;
            c->node_entry[s->nnodes] = e;
            s->nodes[s->nnodes++] = n;
        }
        sc_free_node(&t);
    }
}
