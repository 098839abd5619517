/*
 * policies.c — the scenario's "policies" section (docs/scenario.md,
 * "policies"): the scheduler (built in or a plugin), keep-alive, health
 * checking, retries, probes, overload thresholds and the model knobs
 * (instance selection, heartbeat spread, whether a cold start holds a slot).
 */
#include "scenario/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/plugin.h"
#include "node.h"
#include "scheduler.h"

#define SIM_RETRIES_MAX 15 /* an invocation remembers the nodes it tried: 16 attempts (world_internal.h) */

static const sc_numspec NS_RETRIES = {0, SIM_RETRIES_MAX, 1, 0};
static const sc_numspec NS_PROBE_FAILURES = {1, 1000000, 1, 0};
static const sc_numspec NS_PERCENT = {0, 100, 0, 1};

/* ------------------------------------------------------------------------ */
/* Policies                                                                   */

static const char *const policy_fields[] = {"scheduler", "keepalive", "keepalive_ttl",
                                            "health_window", "check_interval", "retries",
                                            "registry_latency", "probes", "overload",
                                            "instance_selection", "heartbeat_jitter",
                                            "heartbeat_phase", "autoscaler", "plugin",
                                            "offload_threshold", /* netspec.c */
                                            "cold_start_holds_slot", NULL};

static const char *const keepalive_types[] = {"fixed", "none", "hybrid", NULL};
static const edge_keepalive_type keepalive_type_of[] = {EDGE_KEEPALIVE_FIXED, EDGE_KEEPALIVE_NONE,
                                                       EDGE_KEEPALIVE_HYBRID};
static const char *const keepalive_fields[] = {"type", "ttl", "bins", "bin_width", "cv_threshold",
                                               "min_samples", "margin", "oob_max",
                                               "forecast_alpha", NULL};
/* The parameters each type takes: any other is an error, so that a hybrid
 * parameter given to "fixed" never passes silently. Indexed like keepalive_types. */
static const char *const keepalive_allowed[3][9] = {
    {"type", "ttl", NULL},
    {"type", NULL},
    {"type", "bins", "bin_width", "cv_threshold", "min_samples", "margin", "oob_max",
     "forecast_alpha", NULL},
};
static const sc_numspec NS_KA_BINS = {1, EDGE_KEEPALIVE_MAX_BINS, 1, 0};
static const sc_numspec NS_KA_SAMPLES = {1, 1e15, 1, 0};
static const sc_numspec NS_KA_CV = {0, 1e9, 0, 0};
static const sc_numspec NS_KA_UNIT = {0, 1, 0, 0};

/* policies.keepalive: a type name, or an object with "type" (default
 * "fixed") and that type's parameters. Returns 0 or -1 (reported). */
static int read_keepalive(sc_ctx *c, const cJSON *v, edge_keepalive_config *out)
{
    const char *path = "policies.keepalive";
    int t = 0;
    if (cJSON_IsString(v)) {
        for (t = 0; keepalive_types[t]; t++)
            if (!strcmp(v->valuestring, keepalive_types[t]))
                break;
        if (!keepalive_types[t]) {
            sc_diag(c, v, path, "expected one of fixed, none, hybrid, found %s%s", sc_found(v).s,
                    sc_did_you_mean(sc_suggest_list(v->valuestring, keepalive_types)).s);
            return -1;
        }
        *out = edge_keepalive_config_default(keepalive_type_of[t]);
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        sc_diag(c, v, path,
                "expected a keep-alive policy (\"fixed\", \"none\", \"hybrid\" or an object such as "
                "{\"type\": \"fixed\", \"ttl\": \"10m\"}), found %s",
                sc_found(v).s);
        return -1;
    }
    int bad = 0;
    if (sc_enum_field(c, v, path, "type", 0, keepalive_types, &t) < 0)
        return -1;
    /* A type given by --set drops the file's parameters of another type, so
     * that --set policies.keepalive.type=hybrid works on {"type": "fixed",
     * "ttl": "10m"}; otherwise a parameter the type does not take is an error. */
    const cJSON *tv = sc_member(v, "type");
    int type_set = tv && sc_is_set_item(c, tv);
    sc_check_fields(c, v, path, keepalive_fields, NULL, NULL);
    for (const cJSON *it = v->child; it; it = it->next) {
        if (!it->string || !sc_in_list(it->string, keepalive_fields) ||
            sc_in_list(it->string, keepalive_allowed[t]) || (type_set && !sc_is_set_item(c, it)))
            continue;
        char known[200], q[SIM_DIAG_PATH_MAX];
        sc_join_list(known, sizeof known, keepalive_allowed[t]);
        sc_path_key(q, path, it->string);
        sc_diag(c, it, q, "expected only the fields of type %s (%s), found %s", keepalive_types[t],
                known, sc_quoted(it->string).s);
        bad = 1;
    }
    edge_keepalive_config k = edge_keepalive_config_default(keepalive_type_of[t]);
    double d;
    uint32_t bins = k.bins;
    if (t == 0)
        bad |= sc_duration_field(c, v, path, "ttl", 0, SC_SIGN_NONNEG, "10m", &k.ttl) < 0;
    if (t == 2) {
        bad |= sc_u32_field(c, v, path, "bins", 0, &NS_KA_BINS, &bins) < 0;
        k.bins = bins;
        bad |= sc_duration_field(c, v, path, "bin_width", 0, SC_SIGN_POS, "1m", &k.bin_width) < 0;
        bad |= sc_number_field(c, v, path, "cv_threshold", 0, &NS_KA_CV, &k.cv_threshold) < 0;
        int r = sc_number_field(c, v, path, "min_samples", 0, &NS_KA_SAMPLES, &d);
        bad |= r < 0;
        if (r == 1)
            k.min_samples = (uint64_t)d;
        r = sc_number_field(c, v, path, "margin", 0, &NS_KA_UNIT, &d);
        bad |= r < 0;
        if (r == 1 && d >= 1) {
            sc_diag(c, sc_member(v, "margin"), "policies.keepalive.margin",
                    "expected a number from 0 to below 1, found %s", sc_found(sc_member(v, "margin")).s);
            bad = 1;
        } else if (r == 1) {
            k.margin = d;
        }
        bad |= sc_number_field(c, v, path, "oob_max", 0, &NS_KA_UNIT, &k.oob_max) < 0;
        bad |= sc_number_field(c, v, path, "forecast_alpha", 0, &NS_KA_UNIT,
                               &k.forecast_alpha) < 0;
        if (!bad && edge_keepalive_config_validate(&k) != EDGE_OK) {
            sc_diag(c, sc_member(v, "bins") ? sc_member(v, "bins") : v, path,
                    "expected bins x bin_width below 292 years, found %u x %s", k.bins,
                    sc_member(v, "bin_width") ? sc_found(sc_member(v, "bin_width")).s : "1m");
            bad = 1;
        }
    }
    if (!bad)
        *out = k;
    return bad ? -1 : 0;
}

static const char *const plugin_fields[] = {"plugin", "params", NULL};
static const char *const plugin2_fields[] = {"path", "params", NULL};

/*
 * "scheduler": {"plugin": "policy.so", "params": {...}}: the path relative to
 * the scenario's folder, the params kept as compact JSON text. The plugin
 * is loaded once here (and unloaded) so a missing file, a missing symbol,
 * another ABI version or params its create() refuses are scenario problems
 * (exit 2) reported at the field, not a failed run. Sets pol->scheduler to
 * "plugin:NAME" when it routes.
 *
 * "plugin": {"path": "kinds.so", "params": {...}} (general: any policy kinds
 * of an ABI version 2 plugin, or a version 1 routing plugin) is read the
 * same way (general = 1): one plugin per scenario.
 *
 * Either is loaded only when the caller allows plugins (sim_load_options,
 * --allow-plugins); otherwise naming one is a problem at its field.
 */
static void read_plugin(sc_ctx *c, const cJSON *obj, int general)
{
    sim_policies *pol = &c->s->policies;
    const char *path = general ? "policies.plugin" : "policies.scheduler";
    const char *sokey = general ? "path" : "plugin";
    char p[SIM_DIAG_PATH_MAX];
    if (!sc_want_object(c, obj, path, "a plugin such as {\"path\": \"kinds.so\"}"))
        return;
    sc_check_fields(c, obj, path, general ? plugin2_fields : plugin_fields, NULL, NULL);
    const cJSON *so = sc_member(obj, sokey);
    sc_path_key(p, path, sokey);
    if (!so) {
        sc_missing(c, obj, path, sokey, "the plugin's shared object such as \"policy.so\"");
        return;
    }
    if (pol->plugin_path) {
        sc_diag(c, so, p, "expected one plugin per scenario (policies.scheduler names one "
                          "already), found another");
        return;
    }
    if (!cJSON_IsString(so) || !so->valuestring[0]) {
        sc_diag(c, so, p, "expected the plugin's shared object such as \"policy.so\", found %s",
                sc_found(so).s);
        return;
    }
    const cJSON *params = sc_member(obj, "params");
    if (params && !cJSON_IsObject(params)) {
        char pp[SIM_DIAG_PATH_MAX];
        sc_path_key(pp, path, "params");
        sc_diag(c, params, pp, "expected the plugin's parameters (an object), found %s",
                sc_found(params).s);
        return;
    }
    if (!(pol->plugin_path = sc_data_path(c, so, p, so->valuestring, 0)))
        return;
    if (!c->opt.allow_plugins) {
        /* the trust model (docs/plugins.md): a file does not get to run native
         * code; whoever runs edgesim says so on the command line */
        sc_strbuf shown = sc_quoted(so->valuestring);
        size_t len = strlen(shown.s);
        sc_diag(c, so, p, "plugins are native code and run with your privileges; pass "
                          "%s to load '%.*s'",
                c->opt.allow_plugins_hint ? c->opt.allow_plugins_hint : "--allow-plugins",
                (int)(len - 2), shown.s + 1);
        return;
    }
    char *text = params ? cJSON_PrintUnformatted(params) : NULL;
    pol->plugin_params = sc_xstrdup(c, text ? text : "{}");
    cJSON_free(text);
    if (!pol->plugin_params)
        return;
    char err[512] = "";
    sim_plugin *pl = sim_plugin_load(pol->plugin_path, pol->plugin_params, c->s->nfunctions,
                                     c->s->nnodes, err, sizeof err);
    if (!pl) {
        sc_diag(c, so, p, "expected a loadable policy plugin, found %s", err);
        return;
    }
    if (!general && !sim_plugin_routes(pl)) {
        sc_diag(c, so, p, "expected a plugin that routes (a routing table), found plugin %s "
                          "without one (name it in policies.plugin instead)",
                so->valuestring);
        sim_plugin_free(pl);
        return;
    }
    const char *name = sim_plugin_name(pl);
    size_t n = strlen(name) + 8;
    pol->plugin_routes = sim_plugin_routes(pl);
    pol->plugin_keepalive = sim_plugin_keepalive(pl) != NULL;
    pol->plugin_autoscaler = sim_plugin_autoscaler(pl) != NULL;
    if ((pol->plugin_name = sc_xcalloc(c, n, 1)))
        snprintf(pol->plugin_name, n, "plugin:%s", name);
    if (pol->plugin_routes) {
        free(pol->scheduler);
        if ((pol->scheduler = sc_xcalloc(c, n, 1)))
            snprintf(pol->scheduler, n, "plugin:%s", name);
    }
    if (pol->plugin_autoscaler && pol->autoscaler.type == EDGE_AUTOSCALER_NONE)
        sc_diag(c, so, p, "expected an autoscaler in policies.autoscaler for plugin %s's "
                          "autoscaler table (it sets the tick and the bounds), found none",
                so->valuestring);
    sim_plugin_free(pl);
}

static const char *const probe_fields[] = {"period", "timeout", "failures", NULL};
static const char *const overload_fields[] = {"cpu_percent", "memory_percent", "disk_percent",
                                              NULL};

/* policies.probes: off when absent; the timeout may not exceed the period, so
 * a probe's answer is in before the next probe of the node is sent. */
static void read_probes(sc_ctx *c, const cJSON *pol_obj, sim_policies *pol)
{
    const char *p = "policies.probes";
    const cJSON *obj = sc_optional_object(c, pol_obj, "probes", p, "the active probes", probe_fields);
    if (!obj)
        return;
    edge_time period = 0, timeout = EDGE_S;
    uint32_t failures = 3;
    int bad = sc_duration_field(c, obj, p, "period", 1, SC_SIGN_POS, "5s", &period) < 0;
    int rt = sc_duration_field(c, obj, p, "timeout", 0, SC_SIGN_POS, "1s", &timeout);
    bad |= rt < 0;
    bad |= sc_u32_field(c, obj, p, "failures", 0, &NS_PROBE_FAILURES, &failures) < 0;
    if (!bad && timeout > period) {
        char want[64], have[64], q[SIM_DIAG_PATH_MAX];
        edge_duration_format(want, sizeof want, period);
        edge_duration_format(have, sizeof have, timeout);
        sc_path_key(q, p, "timeout");
        sc_diag(c, rt == 1 ? sc_member(obj, "timeout") : obj, q,
                "expected a duration of at most the period (%s), found \"%s\"", want, have);
        bad = 1;
    }
    if (bad)
        return;
    pol->probe_period = period;
    pol->probe_timeout = timeout;
    pol->probe_failures = failures;
}

/* policies.overload: the usage percentages at or above which a node's
 * heartbeat makes it DEGRADED (reason "overloaded"). */
static void read_overload(sc_ctx *c, const cJSON *pol_obj, sim_policies *pol)
{
    const char *p = "policies.overload";
    const cJSON *off = sc_member(pol_obj, "overload");
    if (cJSON_IsString(off) && !strcmp(off->valuestring, "off")) {
        pol->overload_off = 1; /* no heartbeat makes a node DEGRADED */
        return;
    }
    const cJSON *obj = sc_optional_object(c, pol_obj, "overload", p,
                                          "the overload thresholds (an object, or \"off\")",
                                          overload_fields);
    if (!obj)
        return;
    sc_number_field(c, obj, p, "cpu_percent", 0, &NS_PERCENT, &pol->overload_cpu);
    sc_number_field(c, obj, p, "memory_percent", 0, &NS_PERCENT, &pol->overload_memory);
    sc_number_field(c, obj, p, "disk_percent", 0, &NS_PERCENT, &pol->overload_disk);
}

/* policies.heartbeat_jitter and heartbeat_phase: heartbeats not all aligned
 * on the same instants (docs/semantics.md, "Nodes and heartbeats"). Nodes
 * are read before the policies. */
static void read_heartbeat_spread(sc_ctx *c, const cJSON *obj, sim_policies *pol)
{
    static const char *const phases[] = {"zero", "random", NULL};
    sc_enum_field(c, obj, "policies", "heartbeat_phase", 0, phases, &pol->heartbeat_phase_random);
    if (sc_duration_field(c, obj, "policies", "heartbeat_jitter", 0, SC_SIGN_NONNEG, "2s",
                          &pol->heartbeat_jitter) != 1)
        return;
    /* A beat moves later by less than the interval: beats keep their order. */
    for (size_t i = 0; i < c->s->nnodes; i++) {
        const sim_node_spec *n = &c->s->nodes[i];
        if (pol->heartbeat_jitter < n->heartbeat_interval)
            continue;
        char want[64], have[64];
        edge_duration_format(want, sizeof want, n->heartbeat_interval);
        edge_duration_format(have, sizeof have, pol->heartbeat_jitter);
        sc_diag(c, sc_member(obj, "heartbeat_jitter"), "policies.heartbeat_jitter",
                "expected a jitter shorter than node %s's heartbeat_interval (%s), found \"%s\"",
                n->id, want, have);
        return;
    }
}

/* policies.cold_start_holds_slot: a boolean, true (the default) or false. */
static void read_cold_start_slot(sc_ctx *c, const cJSON *obj, sim_policies *pol)
{
    const cJSON *v = sc_member(obj, "cold_start_holds_slot");
    if (!v)
        return;
    if (!cJSON_IsBool(v)) {
        sc_diag(c, v, "policies.cold_start_holds_slot", "expected true or false, found %s",
                sc_found(v).s);
        return;
    }
    pol->cold_start_no_slot = cJSON_IsFalse(v);
}

void sc_read_policies(sc_ctx *c)
{
    sim_policies *pol = &c->s->policies;
    pol->keepalive_ttl = 10 * EDGE_MIN;
    pol->keepalive = edge_keepalive_config_default(EDGE_KEEPALIVE_FIXED);
    pol->health_window = 60 * EDGE_S;
    pol->check_interval = 5 * EDGE_S;
    pol->retries = 0;
    pol->registry_latency = 50 * EDGE_MS;
    pol->overload_cpu = pol->overload_memory = pol->overload_disk = EDGE_OVERLOAD_DEFAULT_PERCENT;
    const cJSON *obj = sc_member(c->root, "policies");
    int sched = 0;
    const char *const *names = edge_scheduler_policies();
    int pol_ok = obj && sc_want_object(c, obj, "policies", "the policies");
    /* first: a plugin's autoscaler table needs to know the autoscaler */
    sc_read_autoscaler(c, pol_ok ? sc_member(obj, "autoscaler") : NULL, pol);
    if (pol_ok) {
        sc_check_fields(c, obj, "policies", policy_fields, NULL, NULL);
        if (cJSON_IsObject(sc_member(obj, "scheduler")))
            read_plugin(c, sc_member(obj, "scheduler"), 0);
        else
            sc_enum_field(c, obj, "policies", "scheduler", 0, names, &sched);
        int has_ttl = sc_duration_field(c, obj, "policies", "keepalive_ttl", 0, SC_SIGN_NONNEG, "10m",
                                        &pol->keepalive_ttl);
        const cJSON *ka = sc_member(obj, "keepalive"), *ttl = sc_member(obj, "keepalive_ttl");
        /* Both in the file (or both from --set) is an error; one from --set
         * overrides the other from the file, so that --set policies.keepalive=...
         * works on a file that uses the keepalive_ttl shorthand. */
        int ka_set = ka && sc_is_set_item(c, ka), ttl_set = ttl && sc_is_set_item(c, ttl);
        if (ka && ttl && ka_set == ttl_set)
            sc_diag(c, ttl, "policies.keepalive_ttl",
                    "expected either keepalive or keepalive_ttl (a shorthand for "
                    "{\"type\": \"fixed\", \"ttl\": ...}), found both");
        else if (ka && !(ttl && ttl_set))
            read_keepalive(c, ka, &pol->keepalive);
        else if (has_ttl == 1)
            pol->keepalive.ttl = pol->keepalive_ttl;
        sc_duration_field(c, obj, "policies", "health_window", 0, SC_SIGN_POS, "60s", &pol->health_window);
        sc_duration_field(c, obj, "policies", "check_interval", 0, SC_SIGN_POS, "5s", &pol->check_interval);
        sc_u32_field(c, obj, "policies", "retries", 0, &NS_RETRIES, &pol->retries);
        sc_duration_field(c, obj, "policies", "registry_latency", 0, SC_SIGN_NONNEG, "50ms",
                          &pol->registry_latency);
        read_probes(c, obj, pol);
        read_overload(c, obj, pol);
        /* in the order of edge_instance_selection */
        static const char *const sel[] = {"mru", "newest", "lru", "random", NULL};
        sc_enum_field(c, obj, "policies", "instance_selection", 0, sel, &pol->instance_selection);
        read_heartbeat_spread(c, obj, pol);
        read_cold_start_slot(c, obj, pol);
    }
    if (pol_ok && sc_member(obj, "plugin"))
        read_plugin(c, sc_member(obj, "plugin"), 1);
    if (!pol->scheduler)
        pol->scheduler = sc_xstrdup(c, names[sched]);
    pol->keepalive_ttl = pol->keepalive.type == EDGE_KEEPALIVE_FIXED ? pol->keepalive.ttl : 0;
}
