/*
 * autoscaler.c — reads policies.autoscaler (docs/scenario.md,
 * "policies.autoscaler"): "none", a type name, or an object with "type"
 * and that type's parameters (core/autoscaler.h holds their meaning and
 * defaults). A parameter of the other type is an error, as for keep-alive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoscaler.h"
#include "scenario/reader.h"

static const char *const types[] = {"none", "concurrency", "utilization", NULL};
static const char *const all_fields[] = {
    "type", "functions", "target", "tick", "stable_window", "panic_window", "panic_threshold",
    "scale_to_zero_grace", "min_scale", "max_scale", "sync_period", "stabilization_window",
    "tolerance", "cpu_request", "min_replicas", "max_replicas", NULL};
static const char *const allowed[3][11] = {
    {"type", NULL},
    {"type", "functions", "target", "tick", "stable_window", "panic_window", "panic_threshold",
     "scale_to_zero_grace", "min_scale", "max_scale", NULL},
    {"type", "functions", "target", "sync_period", "stabilization_window", "tolerance",
     "cpu_request", "min_replicas", "max_replicas", NULL},
};

#define P "policies.autoscaler"

static int scale_field(sc_ctx *c, const cJSON *o, const char *key, uint32_t *out)
{
    double v;
    int r = sc_number_field(c, o, P, key, 0, &(const sc_numspec){0, 1e6, 1, 0}, &v);
    if (r == 1)
        *out = (uint32_t)v;
    return r < 0 ? -1 : 0;
}

void sc_read_autoscaler(sc_ctx *c, const cJSON *v, sim_policies *pol)
{
    pol->autoscaler = edge_autoscaler_config_default(EDGE_AUTOSCALER_NONE);
    if (!v)
        return;
    int type = 0;
    const cJSON *o = NULL;
    if (cJSON_IsString(v)) {
        for (int i = 0; types[i]; i++)
            if (!strcmp(v->valuestring, types[i]))
                type = i + 1;
        if (!type) {
            sc_diag(c, v, P, "expected one of none, concurrency, utilization, found %s",
                         sc_found(v).s);
            return;
        }
        type--;
    } else if (cJSON_IsObject(v)) {
        o = v;
        if (sc_enum_field(c, o, P, "type", 1, types, &type) < 0) {
            sc_check_fields(c, o, P, all_fields, NULL, NULL);
            return;
        }
        char kind[48];
        snprintf(kind, sizeof kind, "the %s autoscaler", types[type]);
        sc_check_fields(c, o, P, all_fields, allowed[type], kind);
    } else {
        sc_diag(c, v, P,
                     "expected an autoscaler: \"none\", \"concurrency\", \"utilization\" or an "
                     "object such as {\"type\": \"concurrency\", \"target\": 10}, found %s",
                     sc_found(v).s);
        return;
    }
    edge_autoscaler_config *a = &pol->autoscaler;
    *a = edge_autoscaler_config_default((edge_autoscaler_type)type);
    if (type == EDGE_AUTOSCALER_NONE)
        return;
    int bad = 0;
    sim_scenario *s = c->s;
    const cJSON *at = o ? o : v;
    if (o && sc_member(o, "functions")) {
        bad |= sc_function_set(c, o, P, "functions", &pol->autoscale_fns,
                                    &pol->nautoscale_fns) < 0;
    } else if (s->nfunctions) {
        pol->autoscale_fns = sc_xcalloc(c, s->nfunctions, sizeof *pol->autoscale_fns);
        if (!pol->autoscale_fns)
            return;
        for (size_t f = 0; f < s->nfunctions; f++)
            pol->autoscale_fns[f] = f;
        pol->nautoscale_fns = s->nfunctions;
    }
    if (o && type == EDGE_AUTOSCALER_CONCURRENCY) {
        bad |= sc_number_field(c, o, P, "target", 0, &(const sc_numspec){0, 1e9, 0, 1}, &a->target) < 0;
        bad |= sc_duration_field(c, o, P, "tick", 0, SC_SIGN_POS, "2s", &a->tick) < 0;
        bad |= sc_duration_field(c, o, P, "stable_window", 0, SC_SIGN_POS, "60s",
                                      &a->stable_window) < 0;
        bad |= sc_duration_field(c, o, P, "panic_window", 0, SC_SIGN_POS, "6s",
                                      &a->panic_window) < 0;
        bad |= sc_number_field(c, o, P, "panic_threshold", 0, &(const sc_numspec){1, 1e6, 0, 0},
                               &a->panic_threshold) < 0;
        bad |= sc_duration_field(c, o, P, "scale_to_zero_grace", 0, SC_SIGN_NONNEG, "30s",
                                      &a->scale_to_zero_grace) < 0;
        bad |= scale_field(c, o, "min_scale", &a->min_scale);
        bad |= scale_field(c, o, "max_scale", &a->max_scale);
    } else if (o) {
        bad |= sc_number_field(c, o, P, "target", 0, &(const sc_numspec){0, 1, 0, 1}, &a->target) < 0;
        bad |= sc_duration_field(c, o, P, "sync_period", 0, SC_SIGN_POS, "15s",
                                      &a->tick) < 0;
        bad |= sc_duration_field(c, o, P, "stabilization_window", 0, SC_SIGN_POS, "5m",
                                      &a->stable_window) < 0;
        bad |= sc_number_field(c, o, P, "tolerance", 0, &(const sc_numspec){0, 1e6, 0, 0}, &a->tolerance) < 0;
        bad |= sc_number_field(c, o, P, "cpu_request", 0, &(const sc_numspec){0, 1e6, 0, 1}, &a->cpu_request) < 0;
        bad |= scale_field(c, o, "min_replicas", &a->min_scale);
        bad |= scale_field(c, o, "max_replicas", &a->max_scale);
    }
    const char *maxk = type == EDGE_AUTOSCALER_CONCURRENCY ? "max_scale" : "max_replicas";
    const char *mink = type == EDGE_AUTOSCALER_CONCURRENCY ? "min_scale" : "min_replicas";
    if (!bad && (a->max_scale < a->min_scale || a->max_scale == 0)) {
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, P, maxk);
        const cJSON *mv = o ? sc_member(o, maxk) : NULL;
        sc_diag(c, mv ? mv : at, q, "expected at least 1 and at least %s (%u), found %u",
                     mink, a->min_scale, a->max_scale);
        return;
    }
    if (!bad && type == EDGE_AUTOSCALER_UTILIZATION && a->min_scale < 1) {
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, P, mink);
        sc_diag(c, sc_member(o, mink), q,
                     "expected at least 1 (utilisation is measured on a replica), found 0");
        return;
    }
    char why[160];
    if (!bad && edge_autoscaler_config_check(a, why, sizeof why) != EDGE_OK)
        sc_diag(c, at, P, "expected a consistent autoscaler, found %s", why);
}
