/*
 * workloads.c — the scenario's "workloads" section (docs/scenario.md,
 * "workloads"): arrival processes, times lists and CSV timestamps, and the
 * trace workloads (Azure Functions 2019 and 2021, docs/traces.md), which add
 * their own functions, deployments and workloads.
 */
#include "scenario/reader.h"
#include "scenario/reader_shim.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "engine/dist.h"

#define SIM_TIMES_MAX 50000000u   /* times of one workload (list or CSV): 400 MB */

static const sc_numspec NS_RATE = {0, 1e9, 0, 1};
static const sc_numspec NS_RATE0 = {0, 1e9, 0, 0};

/* ------------------------------------------------------------------------ */
/* Workloads                                                                  */

static const char *const wl_fields[] = {"function", "workflow", "region", "arrival", "rate",
                                        "interval", "period", "jitter", "on_rate", "off_rate",
                                        "on_mean", "off_mean", "times", "file", "start", "stop",
                                        "clients", NULL};
static const char *const arrivals[] = {"poisson", "constant", "periodic", "bursty",
                                       "times", "csv", NULL}; /* order of sim_arrival_kind */
static const char *const wl_allowed[][12] = {
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "rate", NULL},
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "interval", NULL},
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "period",
     "jitter", NULL},
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "on_rate",
     "off_rate", "on_mean", "off_mean", NULL},
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "times", NULL},
    {"function", "workflow", "region", "clients", "arrival", "start", "stop", "file", NULL},
};

/* What a workload requests: a workflow ("workflow": its 1 + index, with
 * *nfns = 1) or functions ("function": 0, the set into *fns); SIM_ALL on a
 * problem (reported). */
static size_t workload_target(sc_ctx *c, const cJSON *it, const char *p, size_t **fns,
                              size_t *nfns)
{
    const cJSON *fv = sc_member(it, "function"), *wv = sc_member(it, "workflow");
    if (fv && wv) {
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, p, "workflow");
        sc_diag(c, wv, q, "expected either function or workflow, found both");
        return SIM_ALL;
    }
    if (wv) {
        size_t wf = sc_workflow_ref(c, it, p, "workflow");
        *nfns = 1;
        return wf == SIM_ALL ? SIM_ALL : wf + 1;
    }
    return sc_function_set(c, it, p, "function", fns, nfns) < 0 ? SIM_ALL : 0;
}

static int cmp_time(const void *a, const void *b)
{
    edge_time x = *(const edge_time *)a, y = *(const edge_time *)b;
    return x < y ? -1 : x > y;
}

/*
 * Reads the timestamps of a CSV trace: the first field of each line is a
 * duration ("12.5s"); blank lines and lines starting with '#' are skipped,
 * and so is a first line that starts with a letter (a header). Problems are
 * reported at the "file" item v, with the CSV's line number in the message
 * and at most an excerpt of the line (common/textfile.h). A line is at most
 * SIM_LINE_MAX bytes; the file must be a regular file. Returns 0 with *times
 * (caller frees; NULL when there are none) and *n, or -1 (reported).
 */
static int read_csv(sc_ctx *c, const cJSON *v, const char *p, const char *file, edge_time **times,
                    size_t *n)
{
    *times = NULL;
    *n = 0;
    char why[128];
    FILE *fp = sim_open_regular(file, why, sizeof why, NULL);
    if (!fp) {
        sc_diag(c, v, p, "expected a readable CSV file, found %s (%s)", sc_found(v).s, why);
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0, cap = 0, lineno = 0;
    int seen = 0, rc = 0;
    ssize_t got;
    while ((got = sim_line_read(fp, &line, &lcap, SIM_LINE_MAX)) >= 0) {
        lineno++;
        char *f = line;
        while (*f == ' ' || *f == '\t')
            f++;
        f[strcspn(f, ",\r\n")] = 0;
        for (size_t e = strlen(f); e > 0 && (f[e - 1] == ' ' || f[e - 1] == '\t'); e--)
            f[e - 1] = 0;
        if (!*f || *f == '#')
            continue;
        if (!seen++ && isalpha((unsigned char)*f))
            continue; /* a header */
        edge_time t;
        edge_err pe = edge_duration_parse(f, &t);
        if (pe != EDGE_OK || t < 0) {
            char ex[4 * SIM_EXCERPT_MAX + 8];
            sc_diag(c, v, p, "expected a duration %s on line %zu of %s, found %s",
                    pe == EDGE_RANGE ? "below 292 years" : "of at least 0s such as \"1.5s\"",
                    lineno, file, sim_excerpt(ex, sizeof ex, f, strlen(f)));
            rc = -1;
            break;
        }
        if (*n >= SIM_TIMES_MAX) {
            sc_diag(c, v, p, "expected at most %u timestamps in %s, found more", SIM_TIMES_MAX,
                    file);
            rc = -1;
            break;
        }
        if (sc_grow(c, (void **)times, &cap, *n + 1, sizeof **times)) {
            rc = -1;
            break;
        }
        (*times)[(*n)++] = t;
    }
    if (rc == 0 && got == SIM_LINE_TOO_LONG) {
        sc_diag(c, v, p, "expected lines of at most %d bytes in %s, found line %zu longer than %d bytes",
                SIM_LINE_MAX, file, lineno + 1, SIM_LINE_MAX);
        rc = -1;
    } else if (rc == 0 && got == SIM_LINE_BINARY) {
        sc_diag(c, v, p, "expected a text CSV file, found a NUL byte on line %zu of %s",
                lineno + 1, file);
        rc = -1;
    } else if (rc == 0 && got == SIM_LINE_NOMEM) {
        sc_oom(c);
        rc = -1;
    } else if (rc == 0 && got == SIM_LINE_ERROR) {
        sc_diag(c, v, p, "expected a readable CSV file, found %s (%s at line %zu)", sc_found(v).s,
                strerror(errno), lineno + 1);
        rc = -1;
    }
    free(line);
    fclose(fp);
    if (rc) {
        free(*times);
        *times = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1) /* qsort(NULL, 0, ...) is undefined: an empty CSV has no array */
        qsort(*times, *n, sizeof **times, cmp_time);
    return 0;
}

void sc_free_workload(sim_workload_spec *w)
{
    free(w->times);
    free(w->csv_path);
    free(w->minutes);
    free(w->calls);
}

/* Reads the arrival-specific part of a workload into t. Returns 0 or -1. */
static int read_arrival(sc_ctx *c, const cJSON *it, const char *p, sim_workload_spec *t)
{
    int bad = 0;
    switch (t->kind) {
    case SIM_ARRIVAL_POISSON:
        bad |= sc_rate_field(c, it, p, "rate", 1, &NS_RATE, &t->rate) < 0;
        break;
    case SIM_ARRIVAL_CONSTANT:
        bad |= sc_duration_field(c, it, p, "interval", 1, SC_SIGN_POS, "100ms", &t->interval) < 0;
        break;
    case SIM_ARRIVAL_PERIODIC: {
        bad |= sc_duration_field(c, it, p, "period", 1, SC_SIGN_POS, "1s", &t->interval) < 0;
        int r = sc_duration_field(c, it, p, "jitter", 0, SC_SIGN_NONNEG, "100ms", &t->jitter);
        bad |= r < 0;
        if (r == 1 && !bad && t->jitter > t->interval) {
            char q[SIM_DIAG_PATH_MAX], per[32];
            sc_path_key(q, p, "jitter");
            edge_duration_format(per, sizeof per, t->interval);
            sc_diag(c, sc_member(it, "jitter"), q, "expected a jitter of at most the period (%s), found %s",
                    per, sc_found(sc_member(it, "jitter")).s);
            bad = 1;
        }
        break;
    }
    case SIM_ARRIVAL_BURSTY:
        bad |= sc_rate_field(c, it, p, "on_rate", 1, &NS_RATE, &t->on_rate) < 0;
        bad |= sc_rate_field(c, it, p, "off_rate", 0, &NS_RATE0, &t->off_rate) < 0;
        bad |= sc_duration_field(c, it, p, "on_mean", 1, SC_SIGN_POS, "30s", &t->on_mean) < 0;
        bad |= sc_duration_field(c, it, p, "off_mean", 1, SC_SIGN_POS, "5m", &t->off_mean) < 0;
        break;
    case SIM_ARRIVAL_TIMES: {
        const cJSON *arr = NULL;
        if (sc_array_field(c, it, p, "times", 1, "a list of times such as [\"1s\", \"2.5s\"]", &arr) <= 0)
            return -1;
        char q[SIM_DIAG_PATH_MAX], r[SIM_DIAG_PATH_MAX];
        sc_path_key(q, p, "times");
        size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
        if (n > SIM_TIMES_MAX) {
            sc_diag(c, arr, q, "expected at most %u times, found %zu", SIM_TIMES_MAX, n);
            return -1;
        }
        if (!(t->times = sc_xcalloc(c, n, sizeof *t->times)))
            return -1;
        for (const cJSON *v = arr->child; v; v = v->next, i++) {
            sc_path_index(r, q, i);
            bad |= sc_duration_item(c, v, r, SC_SIGN_NONNEG, "1s", &t->times[i]) < 0;
        }
        t->ntimes = n;
        if (n > 1)
            qsort(t->times, n, sizeof *t->times, cmp_time);
        break;
    }
    case SIM_ARRIVAL_CSV: {
        const char *file;
        if (sc_string_field(c, it, p, "file", 1, "a CSV file name such as \"traces/resize.csv\"", &file) < 0)
            return -1;
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, p, "file");
        if (!(t->csv_path = sc_data_path(c, sc_member(it, "file"), q, file, 0)))
            return -1;
        bad |= read_csv(c, sc_member(it, "file"), q, t->csv_path, &t->times, &t->ntimes) < 0;
        break;
    }
    case SIM_ARRIVAL_MINUTES:
    case SIM_ARRIVAL_CALLS:
        break; /* trace workloads are read by read_trace_workload */
    }
    return bad ? -1 : 0;
}

/* ---- trace workloads: Azure Functions 2019 and 2021 (docs/traces.md) ---- */

static const char *const trace_types[] = {"azure2019", "azure2021", NULL};
static const char *const trace_fields[] = {
    "type",  "invocations", "durations", "memory", "placement", "window",  "top",
    "sample_functions", "sample_apps", "scale", "deploy", "replicas", "region",
    "start", "on_error", "timeout", "cold_start", "unit", NULL};
static const char *const trace_allowed[][19] = {
    {"type", "invocations", "durations", "memory", "placement", "window", "top",
     "sample_functions", "sample_apps", "scale", "deploy", "replicas", "region", "start",
     "on_error", "timeout", "cold_start", "unit", NULL},
    {"type", "invocations", "window", "top", "sample_functions", "sample_apps", "deploy",
     "replicas", "region", "start", "on_error", "timeout", "cold_start", NULL},
};
static const char *const placements[] = {"uniform", "even", "poisson", NULL}; /* sim_placement */
static const char *const trace_deploys[] = {"all", "least_loaded", NULL};
static const char *const on_errors[] = {"error", "skip", NULL};
static const char *const trace_units[] = {"function", "app", NULL}; /* sim_az_options.by_app */
static const sc_numspec NS_PICK = {1, SIM_SCENARIO_MAX_FUNCTIONS, 1, 0};
static const sc_numspec NS_SCALE = {0, 1e6, 0, 1};
/* Defaults for what the trace does not say (docs/traces.md). */
#define TRACE_DEFAULT_EXEC_MS 1000.0   /* a function without a durations row */
#define TRACE_DEFAULT_MEMORY_MB 128.0  /* a function whose app has no memory row */
#define TRACE_DEFAULT_TIMEOUT (10 * EDGE_MIN) /* Azure's longest on the consumption plan */

/* "key": a CSV file name or a list of 1 to SIM_AZ_MAX_DAYS of them, resolved
 * against the scenario's folder into *out (caller frees with free_strings).
 * Returns 1 read, 0 absent, -1 problem (reported). */
static int trace_files(sc_ctx *c, const cJSON *obj, const char *p, const char *key, int required,
                       char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cJSON *v = sc_member(obj, key);
    char q[SIM_DIAG_PATH_MAX], r[SIM_DIAG_PATH_MAX];
    sc_path_key(q, p, key);
    if (!v) {
        if (required)
            sc_missing(c, obj, p, key, "a CSV file name or a list of them (one per day)");
        return required ? -1 : 0;
    }
    size_t k = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
    if (!cJSON_IsString(v) && !(cJSON_IsArray(v) && k >= 1 && k <= SIM_AZ_MAX_DAYS)) {
        sc_diag(c, v, q, "expected a CSV file name or a list of 1 to %u of them, found %s",
                SIM_AZ_MAX_DAYS, sc_found(v).s);
        return -1;
    }
    char **files = sc_xcalloc(c, k, sizeof *files);
    if (!files)
        return -1;
    const cJSON *it = cJSON_IsArray(v) ? v->child : v;
    for (size_t i = 0; i < k; i++, it = it->next) {
        sc_path_index(r, q, i);
        if (!cJSON_IsString(it) || !*it->valuestring) {
            sc_diag(c, it, cJSON_IsArray(v) ? r : q, "expected a CSV file name, found %s",
                    sc_found(it).s);
            sc_free_strings(files, i);
            return -1;
        }
        if (!(files[i] = sc_data_path(c, it, cJSON_IsArray(v) ? r : q, it->valuestring, 0))) {
            sc_free_strings(files, i);
            return -1;
        }
    }
    *out = files;
    *n = k;
    return 1;
}

/* The member whose file an error from the readers names (they start with it). */
static const char *trace_err_key(const char *err, char **const lists[3], const size_t n[3])
{
    static const char *const keys[3] = {"invocations", "durations", "memory"};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n[k]; i++) {
            size_t len = strlen(lists[k][i]);
            if (!strncmp(err, lists[k][i], len) && err[len] == ':')
                return keys[k];
        }
    return "invocations";
}

/* The execution time of a trace function: its percentiles, or the default. */
static sim_dist *trace_exec(sc_ctx *c, const sim_az_function *x, int calls)
{
    static const double q[7] = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1};
    sim_dist *d = NULL;
    edge_err rc;
    if (calls) { /* never drawn for recorded calls; the mean serves load spikes and bursts */
        double sum = 0;
        for (size_t i = 0; i < x->ncalls; i++)
            sum += (double)x->calls[i].duration;
        rc = sim_dist_new_constant(x->ncalls ? sum / (double)x->ncalls : 0, SIM_DIST_DURATION, &d);
    } else if (x->has_durations) {
        double ns[7];
        for (int i = 0; i < 7; i++)
            ns[i] = x->dur_ms[i] * 1e6;
        rc = sim_dist_new_empirical(q, ns, 7, SIM_DIST_DURATION, &d);
    } else {
        rc = sim_dist_new_constant(TRACE_DEFAULT_EXEC_MS * 1e6, SIM_DIST_DURATION, &d);
    }
    return rc == EDGE_OK ? d : sc_oom(c);
}

/* A function id for a trace function: the first 16 characters of its hash,
 * or with "@" and 8 of its app's when that is taken. NULL when both are
 * taken or not valid ids (reported at `at`). */
static char *trace_id(sc_ctx *c, const sim_az_function *x, const cJSON *at, const char *p)
{
    char id[64];
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 0)
            snprintf(id, sizeof id, "%.16s", x->func);
        else
            snprintf(id, sizeof id, "%.16s@%.8s", x->func, x->app);
        if (sc_valid_id(id) && sc_id_find(c->s, &c->ix, SC_FUNCTIONS, id) == SIM_ALL)
            return sc_xstrdup(c, id);
    }
    sc_diag(c, at, p, "expected trace functions whose ids (hash prefixes, %s) are unique and "
                      "made of " SC_ID_RULE ", found %s",
            "16 characters", sc_quoted(id).s);
    return NULL;
}

static void read_trace_workload(sc_ctx *c, const cJSON *it, const char *p, size_t e)
{
    sim_scenario *s = c->s;
    int type;
    if (sc_enum_field(c, it, p, "type", 1, trace_types, &type) < 0) {
        sc_check_fields(c, it, p, trace_fields, NULL, NULL);
        return;
    }
    char what[64], q[SIM_DIAG_PATH_MAX];
    size_t n0 = c->n; /* the files are read only when the entry itself is sound */
    snprintf(what, sizeof what, "an %s workload", trace_types[type]);
    sc_check_fields(c, it, p, trace_fields, trace_allowed[type], what);
    char **files[3] = {NULL, NULL, NULL};
    size_t nfiles[3] = {0, 0, 0};
    sim_dist *cold = NULL;
    sim_az_trace t;
    memset(&t, 0, sizeof t);
    int bad = trace_files(c, it, p, "invocations", 1, &files[0], &nfiles[0]) < 0;
    bad |= trace_files(c, it, p, "durations", 0, &files[1], &nfiles[1]) < 0;
    bad |= trace_files(c, it, p, "memory", 0, &files[2], &nfiles[2]) < 0;
    int placement = 0, deploy = 0, onerr = 0, unit = 0;
    bad |= sc_enum_field(c, it, p, "placement", 0, placements, &placement) < 0;
    bad |= sc_enum_field(c, it, p, "unit", 0, trace_units, &unit) < 0;
    bad |= sc_enum_field(c, it, p, "deploy", 0, trace_deploys, &deploy) < 0;
    bad |= sc_enum_field(c, it, p, "on_error", 0, on_errors, &onerr) < 0;
    double top = 0, sf = 0, sa = 0, scale = 1, replicas = 1;
    bad |= sc_number_field(c, it, p, "top", 0, &NS_PICK, &top) < 0;
    bad |= sc_number_field(c, it, p, "sample_functions", 0, &NS_PICK, &sf) < 0;
    bad |= sc_number_field(c, it, p, "sample_apps", 0, &NS_PICK, &sa) < 0;
    bad |= sc_number_field(c, it, p, "scale", 0, &NS_SCALE, &scale) < 0;
    bad |= sc_number_field(c, it, p, "replicas", 0, &SC_NS_COUNT, &replicas) < 0;
    size_t region = sc_region_ref(c, it, p, "region");
    bad |= region == SIM_ALL;
    edge_time start = 0, timeout = TRACE_DEFAULT_TIMEOUT, wlo = 0, whi = 0;
    bad |= sc_duration_field(c, it, p, "start", 0, SC_SIGN_NONNEG, "0s", &start) < 0;
    bad |= sc_duration_field(c, it, p, "timeout", 0, SC_SIGN_POS, "10m", &timeout) < 0;
    int rcold = sc_dist_field(c, it, p, "cold_start", 0, 1, &cold);
    bad |= rcold < 0;
    const cJSON *wv = sc_member(it, "window");
    if (wv) {
        sc_path_key(q, p, "window");
        char r0[SIM_DIAG_PATH_MAX], r1[SIM_DIAG_PATH_MAX];
        sc_path_index(r0, q, 0);
        sc_path_index(r1, q, 1);
        if (!cJSON_IsArray(wv) || cJSON_GetArraySize(wv) != 2) {
            sc_diag(c, wv, q, "expected a window of two times such as [\"0m\", \"60m\"], found %s",
                    sc_found(wv).s);
            bad = 1;
        } else if (sc_duration_item(c, wv->child, r0, SC_SIGN_NONNEG, "0m", &wlo) ||
                   sc_duration_item(c, wv->child->next, r1, SC_SIGN_POS, "60m", &whi)) {
            bad = 1;
        } else if (whi <= wlo) {
            sc_diag(c, wv->child->next, r1, "expected a window end after its start, found %s",
                    sc_found(wv->child->next).s);
            bad = 1;
        } else if (type == 0 && (wlo % (60 * EDGE_S) || whi % (60 * EDGE_S))) {
            sc_diag(c, wlo % (60 * EDGE_S) ? wv->child : wv->child->next,
                    wlo % (60 * EDGE_S) ? r0 : r1,
                    "expected whole minutes (the 2019 trace counts per minute), found %s",
                    sc_found(wlo % (60 * EDGE_S) ? wv->child : wv->child->next).s);
            bad = 1;
        }
    }
    if (bad || c->oom || c->n > n0)
        goto done;
    sim_az_options o = {
        .invocations = (const char *const *)files[0], .ninvocations = nfiles[0],
        .durations = (const char *const *)files[1], .ndurations = nfiles[1],
        .memory = (const char *const *)files[2], .nmemory = nfiles[2],
        .window_lo = wlo, .window_hi = whi,
        .top = (size_t)top, .sample_functions = (size_t)sf, .sample_apps = (size_t)sa,
        .seed = s->seed, .skip_errors = onerr == 1, .by_app = unit == 1,
    };
    char err[SIM_DIAG_MSG_MAX - 16];
    if ((type == 0 ? sim_az2019_read : sim_az2021_read)(&o, &t, err, sizeof err) != 0) {
        const char *key = trace_err_key(err, files, nfiles);
        sc_path_key(q, p, key);
        sc_diag(c, sc_member(it, key), q, "%s", err);
        goto done;
    }
    sc_path_key(q, p, "invocations");
    if (t.n == 0) {
        sc_diag(c, sc_member(it, "invocations"), q,
                "expected a trace with at least one invocation in the window, found none");
        goto done;
    }
    if (s->nfunctions + t.n > SIM_SCENARIO_MAX_FUNCTIONS) {
        sc_diag(c, sc_member(it, "invocations"), q, "expected at most %d functions in all, found %zu more after %zu",
                SIM_SCENARIO_MAX_FUNCTIONS, t.n, s->nfunctions);
        goto done;
    }
    sim_function_spec probe = {0};
    size_t cap = sc_capable_nodes(c, &probe);
    if (cap == 0 || (deploy == 1 && cap < replicas)) {
        if (!sc_nodes_partial(c)) /* else the nodes' own problem is reported */
            sc_diag(c, it, p, "expected nodes registered at the start to deploy the trace's "
                    "functions to (%s), found %zu", deploy == 1 ? "at least replicas" : "one or more",
                    cap);
        goto done;
    }
    size_t need = s->nfunctions + t.n;
    if (sc_grow(c, (void **)&s->functions, &c->functions_cap, need, sizeof *s->functions) ||
        sc_grow(c, (void **)&c->fn_id_item, &c->cap_c, need, sizeof *c->fn_id_item) ||
        sc_grow(c, (void **)&c->fn_entry, &c->cap_d, need, sizeof *c->fn_entry) ||
        sc_grow(c, (void **)&s->deployments, &c->deploy_cap, s->ndeployments + t.n,
                sizeof *s->deployments) ||
        sc_grow(c, (void **)&s->workloads, &c->workload_cap, s->nworkloads + t.n,
                sizeof *s->workloads))
        goto done;
    sim_trace_info *ti = realloc(s->traces, (s->ntraces + 1) * sizeof *ti);
    if (!ti) {
        sc_oom(c);
        goto done;
    }
    s->traces = ti;
    for (size_t i = 0; i < t.n && !c->oom; i++) {
        sim_az_function *x = &t.fns[i];
        sim_function_spec f = {0};
        f.timeout = timeout;
        f.memory_mb = x->has_memory ? x->memory_mb : TRACE_DEFAULT_MEMORY_MB;
        if (!(f.id = trace_id(c, x, sc_member(it, "invocations"), q)) ||
            !(f.app = sc_xstrdup(c, x->app)) || !(f.exec = trace_exec(c, x, type == 1))) {
            sc_free_function(&f);
            break;
        }
        if (rcold == 1 && i == 0) {
            f.cold_start = cold;
            cold = NULL;
        } else if (rcold == 1) {
            sc_dist_field(c, it, p, "cold_start", 0, 0, &f.cold_start);
        } else {
            f.cold_start = sc_dist_default_cold_start(c);
        }
        if (!f.cold_start || sc_id_add(c, SC_FUNCTIONS, f.id, s->nfunctions)) {
            sc_oom(c);
            sc_free_function(&f);
            break;
        }
        size_t fi = s->nfunctions;
        c->fn_id_item[fi] = sc_member(it, "type");
        c->fn_entry[fi] = e;
        s->functions[s->nfunctions++] = f;
        sim_deployment_spec *d = &s->deployments[s->ndeployments++];
        memset(d, 0, sizeof *d);
        d->function = fi;
        d->kind = deploy == 1 ? SIM_DEPLOY_LEAST_LOADED : SIM_DEPLOY_ALL;
        d->replicas = (uint32_t)replicas;
        sim_workload_spec *w = &s->workloads[s->nworkloads++];
        memset(w, 0, sizeof *w);
        w->function = fi;
        w->region = region;
        w->kind = type == 1 ? SIM_ARRIVAL_CALLS : SIM_ARRIVAL_MINUTES;
        w->start = start;
        w->placement = (sim_placement)placement;
        w->scale = scale;
        w->stream = x->key;
        w->total = x->total;
        w->minutes = x->minutes;
        w->nminutes = x->nminutes;
        w->calls = x->calls;
        w->ncalls = x->ncalls;
        x->minutes = NULL;
        x->calls = NULL;
    }
    ti = &s->traces[s->ntraces++];
    *ti = (sim_trace_info){trace_types[type], e, t.n, t.functions_in_file, t.rows,
                           t.skipped_rows, t.invocations, t.missing_durations, t.missing_memory};
done:
    for (int k = 0; k < 3; k++)
        sc_free_strings(files[k], nfiles[k]);
    sc_dist_free(cold);
    sim_az_trace_free(&t);
}

/* Where a workload's requests come from: its client group (a moving one,
 * netspec.c) or its region. *region and *group (1 + the group's index, 0
 * for none) are set; 0, or -1 (reported). */
static int workload_source(sc_ctx *c, const cJSON *it, const char *p, size_t *region,
                           size_t *group)
{
    if (sc_member(it, "clients"))
        return sim__clients_ref(c, it, p, region, group);
    *group = 0;
    return (*region = sc_region_ref(c, it, p, "region")) == SIM_ALL ? -1 : 0;
}

void sc_read_workloads(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (sc_array_field(c, c->root, "", "workloads", 0,
                       "a list of workloads such as [{\"function\": \"resize\", \"arrival\": \"poisson\", ...}]",
                       &arr) <= 0)
        return;
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        sc_path_index(p, "workloads", e);
        if (!sc_want_object(c, it, p, "a workload"))
            continue;
        if (sc_member(it, "type")) {
            read_trace_workload(c, it, p, e);
            continue;
        }
        int kind;
        size_t *fns = NULL, nfns = 0;
        if (sc_enum_field(c, it, p, "arrival", 1, arrivals, &kind) < 0) {
            sc_check_fields(c, it, p, wl_fields, NULL, NULL);
            workload_target(c, it, p, &fns, &nfns);
            size_t region, group;
            workload_source(c, it, p, &region, &group);
            free(fns);
            continue;
        }
        char what[64];
        snprintf(what, sizeof what, "a %s workload", arrivals[kind]);
        sc_check_fields(c, it, p, wl_fields, wl_allowed[kind], what);
        sim_workload_spec t = {0};
        t.kind = (sim_arrival_kind)kind;
        size_t wf = workload_target(c, it, p, &fns, &nfns);
        int bad = wf == SIM_ALL;
        if (!bad && wf > 0) {
            const sim_workflow_spec *x = &s->workflows[wf - 1];
            t.workflow = wf;
            t.function = x->nsteps && x->steps[0].function != SIM_ALL ? x->steps[0].function : 0;
        }
        bad |= workload_source(c, it, p, &t.region, &t.clients) < 0;
        bad |= sc_duration_field(c, it, p, "start", 0, SC_SIGN_NONNEG, "0s", &t.start) < 0;
        int rs = sc_duration_field(c, it, p, "stop", 0, SC_SIGN_POS, "1h", &t.stop);
        bad |= rs < 0;
        if (rs == 1 && !bad && t.stop <= t.start) {
            char q[SIM_DIAG_PATH_MAX], st[32];
            sc_path_key(q, p, "stop");
            edge_duration_format(st, sizeof st, t.start);
            sc_diag(c, sc_member(it, "stop"), q, "expected a stop after the start (%s), found %s", st,
                    sc_found(sc_member(it, "stop")).s);
            bad = 1;
        }
        bad |= read_arrival(c, it, p, &t) < 0;
        if (bad || sc_grow(c, (void **)&s->workloads, &c->workload_cap, s->nworkloads + nfns,
                           sizeof *s->workloads)) {
            free(fns);
            sc_free_workload(&t);
            continue;
        }
        for (size_t j = 0; j < nfns && !c->oom; j++) {
            sim_workload_spec w = t;
            if (!t.workflow)
                w.function = fns[j];
            w.times = NULL;
            w.csv_path = NULL;
            if (j == 0) {
                w.times = t.times;
                w.csv_path = t.csv_path;
                t.times = NULL;
                t.csv_path = NULL;
            } else {
                const sim_workload_spec *w0 = &s->workloads[s->nworkloads - j];
                if (w0->ntimes && (w.times = sc_xcalloc(c, w0->ntimes, sizeof *w.times)))
                    memcpy(w.times, w0->times, w0->ntimes * sizeof *w.times);
                if (w0->csv_path)
                    w.csv_path = sc_xstrdup(c, w0->csv_path);
            }
            s->workloads[s->nworkloads++] = w;
        }
        free(fns);
        sc_free_workload(&t);
    }
}
