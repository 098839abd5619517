/*
 * functions.c — the scenario's "functions" section (docs/scenario.md,
 * "functions"): one function or a group, with its distributions.
 */
#include "scenario/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sc_numspec NS_INSTANCES = {0, 4294967295.0, 1, 0};

/* ------------------------------------------------------------------------ */
/* Functions                                                                  */

static const char *const function_fields[] = {
    "id", "count", "first", "memory_mb", "timeout", "capabilities", "exec_time", "cold_start",
    "cold_exec_time", "instance_limit", "artifact_mb", "request_kb", "response_kb", /* netspec.c */
    NULL};

void sc_free_function(sim_function_spec *f)
{
    free(f->id);
    sc_free_strings(f->caps, f->ncaps);
    sc_dist_free(f->exec);
    sc_dist_free(f->cold_start);
    sc_dist_free(f->cold_exec);
    free(f->app);
}

/* A scenario whose functions all come from traces need not list any. */
static int has_trace_workload(const sc_ctx *c)
{
    const cJSON *arr = sc_member(c->root, "workloads");
    if (cJSON_IsArray(arr))
        for (const cJSON *it = arr->child; it; it = it->next)
            if (cJSON_IsObject(it) && sc_member(it, "type"))
                return 1;
    return 0;
}

void sc_read_functions(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    int traced = has_trace_workload(c);
    int ra = sc_array_field(c, c->root, "", "functions", !traced,
                            "a list of functions such as [{\"id\": \"resize\", \"exec_time\": ...}]",
                            &arr);
    if (ra <= 0) {
        if (ra < 0) /* absent beside a trace is fine */
            sc_lose_table(c, SC_FUNCTIONS);
        return;
    }
    if (!arr->child && !traced) {
        sc_diag(c, arr, "functions", "expected at least one function, found an empty list");
        sc_lose_table(c, SC_FUNCTIONS);
        return;
    }
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        sc_path_index(p, "functions", e);
        if (!sc_want_object(c, it, p, "a function")) {
            sc_lose_ids(c, SC_FUNCTIONS, it);
            continue;
        }
        sc_check_fields(c, it, p, function_fields, NULL, NULL);
        const char *id = NULL;
        sc_idpat pat;
        size_t count = 1;
        unsigned long long first = 1;
        /* As with nodes, bad fields do not keep a good id out. */
        int bad = sc_entry_ids(c, it, p, "a function id", "fn", &id, &pat, &count, &first) < 0;
        if (!bad && !sc_member(it, "count") && !strcmp(id, "all")) {
            /* latency.csv's scope of every function; a function of that id
             * would mix its rows with theirs (docs/outputs.md) */
            char q[SIM_DIAG_PATH_MAX];
            sc_path_key(q, p, "id");
            sc_diag(c, sc_member(it, "id"), q,
                    "expected a function id other than \"all\" (latency.csv's scope of every "
                    "function), found \"all\"");
            bad = 1;
        }
        sim_function_spec t = {0};
        t.memory_mb = 128;
        t.timeout = 60 * EDGE_S;
        sc_number_field(c, it, p, "memory_mb", 0, &SC_NS_MB, &t.memory_mb);
        sc_duration_field(c, it, p, "timeout", 0, SC_SIGN_POS, "3s", &t.timeout);
        sc_capabilities(c, it, p, &t.caps, &t.ncaps);
        sc_u32_field(c, it, p, "instance_limit", 0, &NS_INSTANCES, &t.instance_limit);
        sc_number_field(c, it, p, "artifact_mb", 0, &SC_NS_MB0, &t.artifact_mb);
        int re = sc_dist_field(c, it, p, "exec_time", 1, 1, &t.exec);
        int rc = sc_dist_field(c, it, p, "cold_start", 0, 1, &t.cold_start);
        /* A cold invocation's whole service time, instead of an added delay. */
        int rce = sc_dist_field(c, it, p, "cold_exec_time", 0, 1, &t.cold_exec);
        if (rc == 1 && rce == 1) {
            char q[SIM_DIAG_PATH_MAX];
            sc_path_key(q, p, "cold_exec_time");
            sc_diag(c, sc_member(it, "cold_exec_time"), q,
                    "expected either cold_start (a delay before the execution) or cold_exec_time "
                    "(the whole service time of a cold invocation), found both");
            bad = 1;
        }
        bad |= rce < 0;
        if (!bad && s->nfunctions + count > SIM_SCENARIO_MAX_FUNCTIONS) {
            char q[SIM_DIAG_PATH_MAX];
            sc_path_key(q, p, "count");
            sc_diag(c, sc_member(it, "count") ? sc_member(it, "count") : it, q,
                    "expected at most %d functions in all, found %zu more after %zu",
                    SIM_SCENARIO_MAX_FUNCTIONS, count, s->nfunctions);
            bad = 1;
        }
        if (!bad && re == 1 && rc == 0 && !(t.cold_start = sc_dist_default_cold_start(c)))
            bad = 1;
        if (bad ||
            sc_grow(c, (void **)&s->functions, &c->functions_cap, s->nfunctions + count,
                    sizeof *s->functions) ||
            sc_grow(c, (void **)&c->fn_id_item, &c->cap_c, s->nfunctions + count,
                    sizeof *c->fn_id_item) ||
            sc_grow(c, (void **)&c->fn_entry, &c->cap_d, s->nfunctions + count, sizeof *c->fn_entry)) {
            if (bad)
                sc_lose_ids(c, SC_FUNCTIONS, it);
            sc_free_function(&t);
            continue;
        }
        const cJSON *idv = sc_member(it, "id");
        int dup_seen = 0;
        for (size_t k = 0; k < count && !c->oom; k++) {
            sim_function_spec f = t;
            f.caps = NULL;
            f.exec = f.cold_start = f.cold_exec = NULL;
            f.id = sc_member(it, "count") ? sc_expand(c, &pat, first + k) : sc_xstrdup(c, id);
            if (!f.id || sc_caps_dup(c, t.caps, t.ncaps, &f.caps)) {
                sc_free_function(&f);
                break;
            }
            if (k == 0) { /* the first takes the template's distributions */
                f.exec = t.exec;
                f.cold_start = t.cold_start;
                f.cold_exec = t.cold_exec;
                t.exec = t.cold_start = t.cold_exec = NULL;
            } else if (re == 1 && rc >= 0) {
                sc_dist_field(c, it, p, "exec_time", 1, 0, &f.exec);
                if (rc == 1)
                    sc_dist_field(c, it, p, "cold_start", 0, 0, &f.cold_start);
                else
                    f.cold_start = sc_dist_default_cold_start(c);
                if (rce == 1)
                    sc_dist_field(c, it, p, "cold_exec_time", 0, 0, &f.cold_exec);
                if (!f.exec || !f.cold_start || (rce == 1 && !f.cold_exec)) {
                    sc_oom(c);
                    sc_free_function(&f);
                    break;
                }
            }
            if (!sc_claim_id(c, SC_FUNCTIONS, f.id, s->nfunctions, c->fn_entry, p, idv,
                             &dup_seen)) {
                sc_free_function(&f);
                continue;
            }
            c->fn_id_item[s->nfunctions] = idv;
            c->fn_entry[s->nfunctions] = e;
            s->functions[s->nfunctions++] = f;
        }
        sc_free_function(&t);
    }
}
