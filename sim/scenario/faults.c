/*
 * faults.c — the scenario's "faults" section (docs/scenario.md, "faults"):
 * faults and operations on a timeline, each kind with the fields it takes,
 * sorted by time (stably).
 */
#include "scenario/reader.h"

#include "engine/rng.h"
#include "input/machine_events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_BURST_MAX 100000000u  /* one burst event per invocation: keep it finite */

static const sc_numspec NS_FACTOR = {0, 1e6, 0, 1};
static const sc_numspec NS_DEGRADE = {1, 1e6, 0, 0};
static const sc_numspec NS_BURST = {1, SIM_BURST_MAX, 1, 0};

/* ------------------------------------------------------------------------ */
/* Faults and operations                                                      */

static const char *const fault_kinds[] = {
    "crash", "recover", "heartbeat_delay", "heartbeat_loss", "degrade", "maintenance", "drain",
    "register", "deregister", "deploy", "undeploy", "load_spike", "burst", "random_failures",
    "google_machine_events", "state_update", "state_corruption", NULL}; /* in the order of sim_fault_kind */

const char *sim_fault_kind_name(sim_fault_kind k)
{
    return (unsigned)k < sizeof fault_kinds / sizeof fault_kinds[0] - 1 ? fault_kinds[k] : "unknown";
}

static const char *const fault_fields[] = {"kind", "at", "for", "node", "nodes", "function",
                                           "region", "delay", "factor", "count", "ttf", "ttr",
                                           "path", "offset", "scale", "patch", NULL};

enum {
    FF_NODE = 1 << 0,
    FF_FOR_REQ = 1 << 1,
    FF_FOR_OPT = 1 << 2,
    FF_FUNCTION = 1 << 3,
    FF_FUNCTION_OPT = 1 << 4,
    FF_REGION = 1 << 5,
    FF_DELAY = 1 << 6,
    FF_FACTOR = 1 << 7,
    FF_DEGRADE = 1 << 8,
    FF_COUNT = 1 << 9,
    FF_RANDOM = 1 << 10, /* nodes, ttf, ttr; "at" optional */
    FF_TRACE = 1 << 11,  /* path, nodes (optional), offset, scale; no "at" */
    FF_PATCH = 1 << 12,
    FF_SYNC = 1 << 13,   /* needs the "sync" section */
};

static const unsigned fault_shape[] = {
    [SIM_FAULT_CRASH] = FF_NODE | FF_FOR_OPT,
    [SIM_FAULT_RECOVER] = FF_NODE,
    [SIM_FAULT_HEARTBEAT_DELAY] = FF_NODE | FF_FOR_REQ | FF_DELAY,
    [SIM_FAULT_HEARTBEAT_LOSS] = FF_NODE | FF_FOR_REQ,
    [SIM_FAULT_DEGRADE] = FF_NODE | FF_FOR_REQ | FF_DEGRADE,
    [SIM_FAULT_MAINTENANCE] = FF_NODE | FF_FOR_REQ,
    [SIM_FAULT_DRAIN] = FF_NODE | FF_FOR_OPT,
    [SIM_FAULT_REGISTER] = FF_NODE,
    [SIM_FAULT_DEREGISTER] = FF_NODE,
    [SIM_FAULT_DEPLOY] = FF_NODE | FF_FUNCTION,
    [SIM_FAULT_UNDEPLOY] = FF_NODE | FF_FUNCTION,
    [SIM_FAULT_LOAD_SPIKE] = FF_FOR_REQ | FF_FUNCTION_OPT | FF_FACTOR,
    [SIM_FAULT_BURST] = FF_FUNCTION | FF_REGION | FF_COUNT | FF_FOR_OPT,
    [SIM_FAULT_RANDOM_FAILURES] = FF_RANDOM | FF_FOR_OPT,
    [SIM_FAULT_GOOGLE_MACHINE_EVENTS] = FF_TRACE,
    [SIM_FAULT_STATE_UPDATE] = FF_PATCH | FF_SYNC,
    [SIM_FAULT_STATE_CORRUPTION] = FF_NODE | FF_FOR_OPT | FF_SYNC,
};

static void fault_allowed(unsigned shape, const char **out)
{
    size_t n = 0;
    out[n++] = "kind";
    if (!(shape & FF_TRACE))
        out[n++] = "at";
    if (shape & (FF_FOR_REQ | FF_FOR_OPT))
        out[n++] = "for";
    if (shape & FF_NODE)
        out[n++] = "node";
    if (shape & (FF_FUNCTION | FF_FUNCTION_OPT))
        out[n++] = "function";
    if (shape & FF_REGION)
        out[n++] = "region";
    if (shape & FF_DELAY)
        out[n++] = "delay";
    if (shape & (FF_FACTOR | FF_DEGRADE))
        out[n++] = "factor";
    if (shape & FF_COUNT)
        out[n++] = "count";
    if (shape & FF_RANDOM) {
        out[n++] = "nodes";
        out[n++] = "ttf";
        out[n++] = "ttr";
    }
    if (shape & FF_TRACE) {
        out[n++] = "path";
        out[n++] = "nodes";
        out[n++] = "offset";
        out[n++] = "scale";
    }
    if (shape & FF_PATCH)
        out[n++] = "patch";
    out[n] = NULL;
}

void sc_free_fault(sim_fault_spec *f)
{
    free(f->nodes);
    free(f->path);
    sc_dist_free(f->ttf);
    sc_dist_free(f->ttr);
    cJSON_Delete(f->patch);
}

/* Every row of the machine events at `path` that a run of the scenario would
 * read (those before its end, with offset and scale), read now as the run
 * will: a malformed row is a problem of the scenario (exit 2 in validate and
 * run alike, at its file, line and column), not a run that fails part-way.
 * O(rows) time, one line of memory plus the machines seen. */
static int check_trace_rows(sc_ctx *c, const cJSON *at, const char *q, const sim_fault_spec *f)
{
    sim_rng rng;
    sim_rng_derive(&rng, 0, "google_machine_events", 0); /* no nodes: never drawn */
    char err[512];
    sim_mevents *m = sim_mevents_open(f->path, NULL, 0, f->offset, f->scale, c->s->duration,
                                      &rng, err, sizeof err);
    int rc = m ? 1 : -1;
    sim_mevent ev;
    while (rc == 1)
        rc = sim_mevents_next(m, &ev, err, sizeof err);
    sim_mevents_close(m);
    if (rc < 0)
        sc_diag(c, at, q, "expected a machine events CSV whose rows read, found %s", err);
    return rc < 0 ? -1 : 0;
}

/* google_machine_events: the file (its rows are checked now and read again
 * during the run), the nodes ("all" or a list, default all), offset and
 * scale. */
static int read_trace_fault(sc_ctx *c, const cJSON *it, const char *p, sim_fault_spec *f)
{
    sim_scenario *s = c->s;
    char q[SIM_DIAG_PATH_MAX];
    int bad = 0;
    const cJSON *path = sc_member(it, "path");
    sc_path_key(q, p, "path");
    if (!path) {
        sc_missing(c, it, p, "path", "the machine events CSV such as \"machine_events.csv\"");
        bad = 1;
    } else if (!cJSON_IsString(path) || !path->valuestring[0]) {
        sc_diag(c, path, q, "expected the machine events CSV such as \"machine_events.csv\", found %s",
                sc_found(path).s);
        bad = 1;
    } else if (!(f->path = sc_data_path(c, path, q, path->valuestring, 1))) {
        bad = 1;
    }
    const cJSON *nodes = sc_member(it, "nodes");
    sc_path_key(q, p, "nodes");
    if (!nodes || (cJSON_IsString(nodes) && !strcmp(nodes->valuestring, "all"))) {
        f->nnodes = s->nnodes;
        if ((f->nodes = sc_xcalloc(c, s->nnodes ? s->nnodes : 1, sizeof *f->nodes)))
            for (size_t k = 0; k < s->nnodes; k++)
                f->nodes[k] = k;
    } else if (cJSON_IsString(nodes)) {
        sc_diag(c, nodes, q, "expected \"all\" or a list of node ids or patterns, found %s",
                sc_found(nodes).s);
        bad = 1;
    } else if (!(f->nodes = sc_node_list(c, nodes, q, &f->nnodes))) {
        bad = 1;
    }
    f->offset = 0;
    if (sc_member(it, "offset"))
        bad |= sc_duration_field(c, it, p, "offset", 0, SC_SIGN_NONNEG, "1h", &f->offset) < 0;
    f->scale = 1.0;
    if (sc_member(it, "scale"))
        bad |= sc_number_field(c, it, p, "scale", 0, &NS_FACTOR, &f->scale) < 0;
    if (!bad && f->path && s->duration > 0) {
        sc_path_key(q, p, "path");
        bad |= check_trace_rows(c, path, q, f) < 0;
    }
    return bad ? -1 : 0;
}

int sc_read_fault(sc_ctx *c, const cJSON *it, const char *p, sim_fault_spec *f)
{
    int kind;
    memset(f, 0, sizeof *f);
    f->node = f->function = f->region = SIM_ALL;
    if (sc_enum_field(c, it, p, "kind", 1, fault_kinds, &kind) < 0) {
        sc_check_fields(c, it, p, fault_fields, NULL, NULL);
        return -1;
    }
    f->kind = (sim_fault_kind)kind;
    unsigned shape = fault_shape[kind];
    const char *allowed[16];
    char what[64];
    fault_allowed(shape, allowed);
    snprintf(what, sizeof what, "a %s fault", fault_kinds[kind]);
    sc_check_fields(c, it, p, fault_fields, allowed, what);
    int bad = 0;
    int line, col;
    sc_jsonpos_get(&c->pos, it, &line, &col);
    f->line = line;
    if (!(shape & FF_TRACE))
        bad |= sc_duration_field(c, it, p, "at", !(shape & FF_RANDOM), SC_SIGN_NONNEG, "10m", &f->at) < 0;
    if (shape & (FF_FOR_REQ | FF_FOR_OPT))
        bad |= sc_duration_field(c, it, p, "for", !!(shape & FF_FOR_REQ), SC_SIGN_POS, "5m",
                                 &f->duration) < 0;
    if (shape & FF_NODE)
        bad |= (f->node = sc_node_ref(c, it, p, "node")) == SIM_ALL;
    if (shape & FF_FUNCTION)
        bad |= (f->function = sc_function_ref(c, it, p, "function")) == SIM_ALL;
    if ((shape & FF_FUNCTION_OPT) && sc_member(it, "function"))
        bad |= (f->function = sc_function_ref(c, it, p, "function")) == SIM_ALL;
    if (shape & FF_REGION)
        bad |= (f->region = sc_region_ref(c, it, p, "region")) == SIM_ALL;
    if (shape & FF_DELAY)
        bad |= sc_duration_field(c, it, p, "delay", 1, SC_SIGN_POS, "30s", &f->delay) < 0;
    if (shape & FF_FACTOR)
        bad |= sc_number_field(c, it, p, "factor", 1, &NS_FACTOR, &f->factor) < 0;
    if (shape & FF_DEGRADE)
        bad |= sc_number_field(c, it, p, "factor", 1, &NS_DEGRADE, &f->factor) < 0;
    if (shape & FF_COUNT)
        bad |= sc_u32_field(c, it, p, "count", 1, &NS_BURST, &f->count) < 0;
    if (shape & FF_RANDOM) {
        const cJSON *nodes = sc_member(it, "nodes");
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, p, "nodes");
        if (!nodes) {
            sc_missing(c, it, p, "nodes", "a list of node ids or patterns such as [\"edge-*\"]");
            bad = 1;
        } else if (!(f->nodes = sc_node_list(c, nodes, q, &f->nnodes))) {
            bad = 1;
        }
        bad |= sc_dist_field(c, it, p, "ttf", 1, 1, &f->ttf) < 0;
        bad |= sc_dist_field(c, it, p, "ttr", 1, 1, &f->ttr) < 0;
    }
    if (shape & FF_TRACE)
        bad |= read_trace_fault(c, it, p, f) < 0;
    if (shape & FF_PATCH) {
        const cJSON *patch = sc_member(it, "patch");
        if (!patch) {
            sc_missing(c, it, p, "patch", "a JSON merge patch such as {\"mode\": \"eco\"}");
            bad = 1;
        } else if (!(f->patch = cJSON_Duplicate(patch, 1))) {
            sc_oom(c);
            bad = 1;
        }
    }
    if ((shape & FF_SYNC) && !sc_member(c->root, "sync")) {
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, p, "kind");
        sc_diag(c, sc_member(it, "kind"), q, "expected a \"sync\" section for a %s fault, found none",
                fault_kinds[kind]);
        bad = 1;
    }
    if (bad) {
        sc_free_fault(f);
        return -1;
    }
    return 0;
}

static int fault_before(const sim_fault_spec *x, const sim_fault_spec *y)
{
    return x->at < y->at;
}

/* A stable sort by `at` (insertion into runs, merged): qsort is not stable. */
static void sort_faults(sim_fault_spec *v, size_t n, sim_fault_spec *tmp)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = fault_before(&v[j], &v[i]) ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

void sc_read_faults(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (sc_array_field(c, c->root, "", "faults", 0, "a list of faults such as [{\"kind\": \"crash\", ...}]",
                       &arr) <= 0)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    if (!n || !(s->faults = sc_xcalloc(c, n, sizeof *s->faults)))
        return;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, i++) {
        sc_path_index(p, "faults", i);
        if (!sc_want_object(c, it, p, "a fault"))
            continue;
        if (sc_read_fault(c, it, p, &s->faults[s->nfaults]) == 0)
            s->nfaults++;
    }
    sim_fault_spec *tmp = s->nfaults > 1 ? sc_xcalloc(c, s->nfaults, sizeof *tmp) : NULL;
    if (tmp)
        sort_faults(s->faults, s->nfaults, tmp);
    free(tmp);
    /* A node whose first register/deregister operation is "register" joins
     * then; every other node is registered from the start. */
    for (size_t k = 0; k < s->nfaults; k++) {
        sim_fault_spec *f = &s->faults[k];
        if (f->kind != SIM_FAULT_REGISTER && f->kind != SIM_FAULT_DEREGISTER)
            continue;
        if (c->stamp[f->node] == 1)
            continue;
        c->stamp[f->node] = 1;
        if (f->kind == SIM_FAULT_REGISTER) {
            s->nodes[f->node].starts_registered = 0;
            s->nodes[f->node].join_at = f->at;
        }
    }
    memset(c->stamp, 0, s->nnodes * sizeof *c->stamp);
}
