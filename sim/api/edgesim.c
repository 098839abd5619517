/*
 * edgesim.c — the embedding API over the scenario reader and the world.
 *
 * A simulation owns its scenario (mutable: injected faults are appended to
 * it), its world, a copy of the options' strings and, when the embedder
 * routes, the plugin table the world's scheduler calls. Everything a run
 * does is the world's; this file translates: nanoseconds, error structs,
 * the router as an in-process policy.
 */
#include "api/edgesim.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "engine/rng.h"
#include "model/world.h"
#include "output/outfile.h"
#include "output/plot.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"

/* The public defaults (edgesim.h) are the command line's (limits.h). */
_Static_assert(EDGESIM_DEFAULT_MAX_EVENTS == SIM_LIMITS_DEFAULT_EVENTS, "events default");
_Static_assert(EDGESIM_DEFAULT_MAX_MEMORY == SIM_LIMITS_DEFAULT_MEMORY, "memory default");
_Static_assert(EDGESIM_DEFAULT_MAX_OUTPUT == SIM_LIMITS_DEFAULT_OUTPUT, "output default");

struct edgesim_sim {
    sim_scenario *sc;
    sim_world *w;
    char *outdir;
    edge_policy_plugin router;   /* the embedder's router as a plugin table */
    char router_name[128];
    int finished, failed;
    /* the outputs are written into set.staging beside outdir and published
     * as outdir by a successful finish (as `edgesim run -o` does): outdir
     * is never a mix of two runs' files or of outputs and other files, and
     * a run freed unfinished leaves it as it was */
    sim_outset set;
};

/* Numbers are written with printf and read with strtod, which follow the
 * thread's LC_NUMERIC: a host that chose a locale with a decimal comma
 * (Python's locale.setlocale(locale.LC_ALL, "") under de_DE) got "0,5"
 * inside CSV rows. Each call that reads a scenario, runs, writes or plots
 * does so under the "C" locale in the calling thread (uselocale, POSIX
 * 2008) and gives the caller's back before it returns; a router callback
 * runs under it too. Should newlocale fail (out of memory), the call runs
 * in the caller's locale. */
typedef struct {
    locale_t c, old;
} c_numbers;

static c_numbers c_numbers_begin(void)
{
    c_numbers l = {newlocale(LC_ALL_MASK, "C", (locale_t)0), (locale_t)0};
    if (l.c)
        l.old = uselocale(l.c);
    return l;
}

static void c_numbers_end(c_numbers l)
{
    if (l.c) {
        uselocale(l.old);
        freelocale(l.c);
    }
}

static const char *const err_msgs[] = {
#define EDGESIM__ERR_MSG(name, msg) msg,
    EDGESIM_ERROR_MAP(EDGESIM__ERR_MSG)
#undef EDGESIM__ERR_MSG
};

int edgesim_api_version(void)
{
    return EDGESIM_API_VERSION;
}

const char *edgesim_version(void)
{
    return EDGESIM_VERSION;
}

const char *edgesim_strerror(int code)
{
    if (code < 0 || (size_t)code >= sizeof err_msgs / sizeof *err_msgs)
        return "unknown error";
    return err_msgs[code];
}

static void err_clear(edgesim_error *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

/* One line of error `code` into e (NULL is fine). Returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(edgesim_error *e, int code,
                                                      const char *fmt, ...)
{
    if (!e)
        return -1;
    err_clear(e);
    e->code = code;
    e->count = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    snprintf(e->text, sizeof e->text, "%s", e->message);
    return -1;
}

/* The scenario problems diags[0..kept) of total into e. */
static void fail_diags(edgesim_error *e, const sim_diag *d, size_t kept, size_t total)
{
    if (!e)
        return;
    err_clear(e);
    e->code = EDGESIM_SCENARIO;
    e->count = (unsigned)total;
    if (kept) {
        snprintf(e->file, sizeof e->file, "%s", d[0].file ? d[0].file : "");
        e->line = d[0].line;
        e->col = d[0].col;
        snprintf(e->path, sizeof e->path, "%s", d[0].path);
        snprintf(e->message, sizeof e->message, "%s", d[0].msg);
    }
    size_t used = 0;
    for (size_t i = 0; i < kept && used + 1 < sizeof e->text; i++) {
        char line[1024];
        sim_diag_format(&d[i], line, sizeof line);
        int n = snprintf(e->text + used, sizeof e->text - used, "%s%s", i ? "\n" : "", line);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (total > kept && used + 1 < sizeof e->text)
        snprintf(e->text + used, sizeof e->text - used, "\n... and %zu more problems",
                 total - kept);
}

/* A failed run: the world's line; the simulation is over. */
static int fail_run(edgesim_sim *s, edgesim_error *e, const char *line)
{
    s->failed = 1;
    return fail(e, EDGESIM_RUN, "%s", line);
}

/* Opens from a file (text NULL) or from text. */
static edgesim_sim *open_sim_c(const char *path, const char *text, size_t len, const char *name,
                               const edgesim_options *opt, unsigned flags,
                               const edgesim_limits *lim, edgesim_error *err)
{
    err_clear(err);
    sim_rng_init(); /* GSL reports errors instead of aborting the embedding process */
    if (!opt || !opt->outdir || !opt->outdir[0] || (!path && !text) ||
        (opt->nsets && !opt->sets)) {
        fail(err, EDGESIM_USAGE, "edgesim_open: expected a scenario, options and an outdir");
        return NULL;
    }
    if (flags & ~(EDGESIM_ALLOW_PLUGINS | EDGESIM_SANDBOX_PATHS)) {
        fail(err, EDGESIM_USAGE, "edgesim_open2: unknown flags 0x%x", flags);
        return NULL;
    }
    sim_load_options load = {
        .allow_plugins = !!(flags & EDGESIM_ALLOW_PLUGINS),
        .sandbox_paths = !!(flags & EDGESIM_SANDBOX_PATHS),
        .allow_plugins_hint = "EDGESIM_ALLOW_PLUGINS (Python: allow_plugins=True)"};
    edgesim_sim *s = calloc(1, sizeof *s);
    const char **sets = calloc(opt->nsets + 1, sizeof *sets);
    sim_diag *diags = calloc(SIM_SCENARIO_MAX_ERRORS, sizeof *diags);
    char seed_set[48];
    if (!s || !sets || !diags || !(s->outdir = strdup(opt->outdir))) {
        fail(err, EDGESIM_NOMEM, "out of memory");
        goto fail;
    }
    size_t nsets = 0;
    for (size_t i = 0; i < opt->nsets; i++)
        sets[nsets++] = opt->sets[i];
    if (opt->has_seed) {
        snprintf(seed_set, sizeof seed_set, "seed=%llu", (unsigned long long)opt->seed);
        sets[nsets++] = seed_set;
    }
    size_t nd = 0;
    s->sc = text ? sim_scenario_parse_opts(text, len, name ? name : "<text>", sets, nsets, &load,
                                           diags, SIM_SCENARIO_MAX_ERRORS, &nd)
                 : sim_scenario_load_opts(path, sets, nsets, &load, diags,
                                          SIM_SCENARIO_MAX_ERRORS, &nd);
    if (!s->sc) {
        fail_diags(err, diags, nd < SIM_SCENARIO_MAX_ERRORS ? nd : SIM_SCENARIO_MAX_ERRORS, nd);
        goto fail;
    }
    sim_limits sl = {
        .max_events = lim ? lim->max_events : EDGESIM_DEFAULT_MAX_EVENTS,
        .max_memory = lim ? lim->max_memory : EDGESIM_DEFAULT_MAX_MEMORY,
        .max_output = lim ? lim->max_output : EDGESIM_DEFAULT_MAX_OUTPUT,
        .invocations_csv = opt->write_invocations,
        .raise_with = {"edgesim_limits.max_events (Python: max_events=)",
                       "edgesim_limits.max_memory (Python: max_memory=)",
                       "edgesim_limits.max_output (Python: max_output=)"},
    };
    char lline[1024];
    if (sim_limits_check(s->sc, &sl, lline, sizeof lline) != 0) {
        fail(err, EDGESIM_SCENARIO, "%s", lline);
        if (err)
            snprintf(err->file, sizeof err->file, "%s", s->sc->path);
        goto fail;
    }
    if (sim_outset_begin(&s->set, s->outdir, "summary.json", lline, sizeof lline) != 0) {
        fail(err, EDGESIM_RUN, "%s", lline); /* as `edgesim run -o` refuses it */
        goto fail;
    }
    sim_world_options wo = {.outdir = s->set.staging, .write_invocations = opt->write_invocations};
    if (opt->router) {
        snprintf(s->router_name, sizeof s->router_name, "%s",
                 opt->router_name && opt->router_name[0] ? opt->router_name : "router");
        s->router = (edge_policy_plugin){.abi_version = EDGE_POLICY_ABI_VERSION,
                                         .name = s->router_name,
                                         .choose = opt->router};
        wo.router = &s->router;
        wo.router_state = opt->router_ctx;
        wo.router_name = s->router_name;
        /* summary.json says who routed */
        char *label = strdup(s->router_name);
        if (!label) {
            fail(err, EDGESIM_NOMEM, "out of memory");
            goto fail;
        }
        free(s->sc->policies.scheduler);
        s->sc->policies.scheduler = label;
    }
    char line[1024] = "";
    s->w = sim_world_create(s->sc, &wo, line, sizeof line);
    if (!s->w) {
        fail(err, EDGESIM_RUN, "%s", line);
        goto fail;
    }
    free(sets);
    free(diags);
    return s;
fail:
    free(sets);
    free(diags);
    edgesim_free(s);
    return NULL;
}

/* open_sim_c under the C locale (c_numbers_begin). */
static edgesim_sim *open_sim(const char *path, const char *text, size_t len, const char *name,
                             const edgesim_options *opt, unsigned flags,
                             const edgesim_limits *lim, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    edgesim_sim *s = open_sim_c(path, text, len, name, opt, flags, lim, err);
    c_numbers_end(l);
    return s;
}

edgesim_sim *edgesim_open(const char *path, const edgesim_options *opt, edgesim_error *err)
{
    return open_sim(path, NULL, 0, NULL, opt, 0, NULL, err);
}

edgesim_sim *edgesim_open_text(const char *text, size_t len, const char *name,
                               const edgesim_options *opt, edgesim_error *err)
{
    return edgesim_open_text2(text, len, name, opt, 0, err);
}

edgesim_sim *edgesim_open2(const char *path, const edgesim_options *opt, unsigned flags,
                           edgesim_error *err)
{
    return open_sim(path, NULL, 0, NULL, opt, flags, NULL, err);
}

edgesim_sim *edgesim_open_text2(const char *text, size_t len, const char *name,
                                const edgesim_options *opt, unsigned flags, edgesim_error *err)
{
    return edgesim_open_text3(text, len, name, opt, flags, NULL, err);
}

edgesim_sim *edgesim_open3(const char *path, const edgesim_options *opt, unsigned flags,
                           const edgesim_limits *lim, edgesim_error *err)
{
    return open_sim(path, NULL, 0, NULL, opt, flags, lim, err);
}

edgesim_sim *edgesim_open_text3(const char *text, size_t len, const char *name,
                                const edgesim_options *opt, unsigned flags,
                                const edgesim_limits *lim, edgesim_error *err)
{
    if (!text) {
        fail(err, EDGESIM_USAGE, "edgesim_open_text: expected JSON text");
        return NULL;
    }
    return open_sim(NULL, text, len, name, opt, flags, lim, err);
}

int64_t edgesim_now_ns(const edgesim_sim *s)
{
    return s ? sim_world_now(s->w) : 0;
}

int64_t edgesim_end_ns(const edgesim_sim *s)
{
    return s ? sim_world_end(s->w) : 0;
}

/* 0 when s may still run, else -1 with the reason in err. */
static int check_running(const edgesim_sim *s, edgesim_error *err)
{
    if (!s)
        return fail(err, EDGESIM_USAGE, "no simulation");
    if (s->finished)
        return fail(err, EDGESIM_USAGE, "the simulation is finished");
    if (s->failed)
        return fail(err, EDGESIM_USAGE, "the run failed earlier");
    return 0;
}

static int run_until_c(edgesim_sim *s, int64_t t_ns, edgesim_error *err)
{
    err_clear(err);
    if (check_running(s, err))
        return -1;
    char line[1024] = "";
    if (t_ns < sim_world_now(s->w))
        return fail(err, EDGESIM_USAGE, "cannot run until %.9g s: the clock is at %.9g s",
                    (double)t_ns / 1e9, (double)sim_world_now(s->w) / 1e9);
    if (sim_world_run_until(s->w, t_ns, line, sizeof line) != 0)
        return fail_run(s, err, line);
    return 0;
}

int edgesim_run_until(edgesim_sim *s, int64_t t_ns, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    int r = run_until_c(s, t_ns, err);
    c_numbers_end(l);
    return r;
}

static int step_c(edgesim_sim *s, edgesim_error *err)
{
    err_clear(err);
    if (check_running(s, err))
        return -1;
    char line[1024] = "";
    int rc = sim_world_step(s->w, line, sizeof line);
    if (rc < 0)
        return fail_run(s, err, line);
    return rc;
}

int edgesim_step(edgesim_sim *s, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    int r = step_c(s, err);
    c_numbers_end(l);
    return r;
}

size_t edgesim_node_count(const edgesim_sim *s)
{
    return s ? s->sc->nnodes : 0;
}

size_t edgesim_function_count(const edgesim_sim *s)
{
    return s ? s->sc->nfunctions : 0;
}

int edgesim_get_node(edgesim_sim *s, size_t i, edgesim_node *out, edgesim_error *err)
{
    err_clear(err);
    if (!s || !out || i >= s->sc->nnodes)
        return fail(err, EDGESIM_USAGE, "no node %zu", i);
    sim_node_state st;
    sim_world_node_state(s->w, i, &st);
    *out = (edgesim_node){st.id,        st.region,         st.status,   st.up,
                          st.registered, st.healthy,       st.busy,     st.queued,
                          st.warm_instances, st.memory_used_mb, st.invocations,
                          st.ok,         st.latency_sum_ms};
    return 0;
}

int edgesim_get_function(edgesim_sim *s, size_t i, edgesim_function *out, edgesim_error *err)
{
    err_clear(err);
    if (!s || !out || i >= s->sc->nfunctions)
        return fail(err, EDGESIM_USAGE, "no function %zu", i);
    sim_function_state st;
    sim_world_function_state(s->w, i, &st);
    *out = (edgesim_function){st.id,     st.deployed,    st.ok,     st.failed,
                              st.rejected, st.cold_starts, st.p50_ms, st.p99_ms,
                              st.latency_sum_ms};
    return 0;
}

static int inject_c(edgesim_sim *s, const char *fault_json, edgesim_error *err)
{
    err_clear(err);
    if (check_running(s, err))
        return -1;
    if (!fault_json)
        return fail(err, EDGESIM_USAGE, "edgesim_inject: expected a fault as JSON text");
    sim_diag diags[8];
    size_t nd = 0;
    if (sim_scenario_add_fault(s->sc, fault_json, strlen(fault_json), "<inject>",
                              sim_world_now(s->w), diags, 8, &nd) != 0) {
        fail_diags(err, diags, nd < 8 ? nd : 8, nd);
        return -1;
    }
    char line[1024] = "";
    if (sim_world_inject(s->w, s->sc->nfaults - 1, line, sizeof line) != 0)
        return fail_run(s, err, line);
    return 0;
}

int edgesim_inject(edgesim_sim *s, const char *fault_json, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    int r = inject_c(s, fault_json, err);
    c_numbers_end(l);
    return r;
}

static int finish_c(edgesim_sim *s, edgesim_error *err)
{
    err_clear(err);
    if (check_running(s, err))
        return -1;
    char line[1024] = "";
    sim_run_stats st;
    if (sim_world_run(s->w, &st, line, sizeof line) != 0 ||
        sim_outset_publish(&s->set, line, sizeof line) != 0)
        return fail_run(s, err, line);
    s->finished = 1;
    return 0;
}

int edgesim_finish(edgesim_sim *s, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    int r = finish_c(s, err);
    c_numbers_end(l);
    return r;
}

int edgesim_finished(const edgesim_sim *s)
{
    return s && s->finished;
}

void edgesim_fingerprint(const edgesim_sim *s, char buf[17])
{
    if (!buf)
        return;
    if (s)
        sim_world_fingerprint(s->w, buf);
    else
        buf[0] = '\0';
}

uint64_t edgesim_events(const edgesim_sim *s)
{
    return s ? sim_world_events(s->w) : 0;
}

uint64_t edgesim_invocations(const edgesim_sim *s)
{
    return s ? sim_world_arrivals(s->w) : 0;
}

const char *edgesim_outdir(const edgesim_sim *s)
{
    return s ? s->outdir : NULL;
}

static int plot_c(const char *outdir, edgesim_error *err)
{
    err_clear(err);
    char line[1024] = "";
    if (!outdir)
        return fail(err, EDGESIM_USAGE, "edgesim_plot: expected a run folder");
    if (sim_plot_run_dir(outdir, 0, line, sizeof line) != SIM_PLOT_OK)
        return fail(err, EDGESIM_RUN, "%s", line);
    return 0;
}

int edgesim_plot(const char *outdir, edgesim_error *err)
{
    c_numbers l = c_numbers_begin();
    int r = plot_c(outdir, err);
    c_numbers_end(l);
    return r;
}

void edgesim_free(edgesim_sim *s)
{
    if (!s)
        return;
    sim_world_free(s->w);
    sim_outset_abort(&s->set); /* an unfinished run's staging folder; nothing once published */
    sim_scenario_free(s->sc);
    free(s->outdir);
    free(s);
}
