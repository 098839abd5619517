/*
 * cmd_run.c — `edgesim run`: one scenario, one seed, every output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <fnmatch.h>

#include "cli/cli.h"
#include "common/diag.h"
#include "common/hugepages.h"
#include "common/interrupt.h"
#include "common/plainname.h"
#include "common/stopwatch.h"
#include "output/outfile.h"
#include "output/plot.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"
#include "model/world.h"

/* Below this much heap the state nearly fits the TLB's reach (1,536
 * entries of 4 KiB here) anyway, and the scenarios people start with stay
 * untouched; scale.json's 10,000 nodes pass it. */
#define HUGEPAGES_MIN_BYTES ((size_t)16 << 20)

/* Once after set-up, and again when a tenth of the run is through: what the
 * loop allocates as it fills (instance pools, invocation records, event
 * records) comes after the first call. On scale.json for 5 minutes the
 * second took the process from 1.77 to 1.65 CPU-s (medians of 3), as much
 * as glibc's own hugetlb tunable, which covers every allocation. */
static void advise_hugepages(void *ctx)
{
    (void)ctx;
    sim_hugepages_advise(HUGEPAGES_MIN_BYTES);
}

enum {
    OPT_OUTPUT = 1,
    OPT_SEED,
    OPT_SET,
    OPT_INVOCATIONS,
    OPT_TRACE,
    OPT_TRACE_WINDOW,
    OPT_TRACE_NODES,
    OPT_TRACE_MAX_EVENTS,
    OPT_NO_PLOTS,
    OPT_EXPECT_FINGERPRINT,
    OPT_QUIET,
    OPT_MAX_EVENTS,
    OPT_MAX_MEMORY,
    OPT_MAX_OUTPUT,
    OPT_ALLOW_PLUGINS,
    OPT_SANDBOX_PATHS,
};

static const sim_opt run_opts[] = {
    {OPT_OUTPUT, 'o', "output", "DIR", 0, "output directory (default results/<scenario name>)"},
    {OPT_SEED, 0, "seed", "N", 0, "master seed, overriding the scenario's"},
    {OPT_SET, 0, "set", "PATH=VALUE", SIM_OPT_REPEAT,
     "override one field before validation, e.g. "
     "--set policies.scheduler=round_robin --set duration=10m"},
    {OPT_INVOCATIONS, 0, "invocations", NULL, 0,
     "also write invocations.csv (one row per invocation)"},
    {OPT_TRACE, 0, "trace", "FILE.json", 0,
     "also write the run as Chrome trace-event JSON (open it in "
     "Perfetto or chrome://tracing): a track per node, invocations "
     "as spans (cold start and execution), status changes and faults. "
     "FILE is new, an earlier trace or a device such as /dev/stdout: "
     "any other file is refused, never replaced"},
    {OPT_TRACE_WINDOW, 0, "trace-window", "A..B", 0,
     "with --trace: only events in [A, B) of virtual time, e.g. "
     "10m..12m; \"..5m\" from the start, \"30m..\" to the end"},
    {OPT_TRACE_NODES, 0, "trace-nodes", "PATTERN,...", 0,
     "with --trace: only the nodes whose id matches one of the "
     "comma-separated patterns: an id (eu-01) or a shell glob (eu-*, "
     "edge-?[0-9]); each pattern must match a node"},
    {OPT_TRACE_MAX_EVENTS, 0, "trace-max-events", "N", 0,
     "with --trace: write at most N events (default 1000000, about "
     "150 MB); 0 means no cap. Reaching the cap is a warning on stderr "
     "and is recorded in the trace (\"truncated\": true)"},
    {OPT_NO_PLOTS, 0, "no-plots", NULL, 0,
     "skip DIR/plots/ and DIR/report.html (drawn with gnuplot "
     "by default; 'edgesim plot DIR' draws them later)"},
    {OPT_EXPECT_FINGERPRINT, 0, "expect-fingerprint", "HEX|RUN_DIR", 0,
     "fail (exit 1) unless the run's trajectory fingerprint is "
     "HEX, or equals that of the earlier run in RUN_DIR; with a "
     "RUN_DIR it also names the first sample interval that differs"},
    {OPT_QUIET, 'q', "quiet", NULL, 0, "no progress line (it is shown only on a terminal)"},
    SIM_CLI_TRUST_AND_LIMIT_OPTS,
    {0, 0, NULL, NULL, 0, NULL},
};

const sim_cmd sim_run_cmd = {
    .name = "run",
    .operands = "SCENARIO",
    .about = "run a scenario and write its metrics, series and summaries",
    .intro = "Runs the scenario file SCENARIO ('-' for stdin) and writes its outputs\n"
             "(summary.json, timeseries.csv, node_series.csv, health.csv, placements.csv,\n"
             "nodes.csv, functions.csv, run.json; see docs/outputs.md) into DIR.\n"
             "A sweep file is run with 'edgesim sweep'.\n",
    .opts = run_opts,
    .outro = "Every output is written into a temporary folder beside DIR and DIR is replaced\n"
             "as a whole when the run is complete (plots included): a failed or interrupted\n"
             "run leaves the previous DIR as it was.\n"
             "\n"
             "To give its memory 2 MiB pages from the start, the run starts itself again once\n"
             "with glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES (run.json, huge_pages;\n"
             "docs/outputs.md); EDGESIM_HUGEPAGES=0 in the environment turns that off.\n"
             "\n"
             "exit codes: 0 done, 1 the run failed, 2 bad scenario or usage, 130 interrupted\n"
             "(Ctrl-C; 143 for SIGTERM).\n",
};

int sim_print_diags(const sim_diag *diags, size_t kept, size_t total)
{
    char line[1024];
    for (size_t i = 0; i < kept; i++) {
        sim_diag_format(&diags[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (total > kept)
        fprintf(stderr, "... and %zu more problems\n", total - kept);
    return SIM_EXIT_USAGE;
}

size_t sim_cli_unplaced_lines(const sim_scenario *sc, void (*emit)(void *ctx, const char *line),
                              void *ctx)
{
    enum { SHOWN = 3 };
    sim_unplaced u[SHOWN];
    size_t n = sim_scenario_unplaced(sc, u, SHOWN);
    char line[1024];
    for (size_t i = 0; i < n && i < SHOWN; i++) {
        const char *fn = sc->functions[u[i].function].id;
        if (u[i].workload == SIZE_MAX) {
            char at[32];
            edge_duration_format(at, sizeof at, sc->faults[u[i].fault].at);
            snprintf(line, sizeof line,
                     "faults: the burst at %s: \"%s\" is in no deployment and nothing deploys "
                     "it later: each of its invocations is rejected (no_eligible_node)",
                     at, fn);
        } else if (sc->workloads[u[i].workload].workflow) {
            snprintf(line, sizeof line,
                     "workloads[%zu].workflow: step function \"%s\" of \"%s\" is in no "
                     "deployment and nothing deploys it later: each of these requests is "
                     "rejected (no_eligible_node)",
                     u[i].workload, fn,
                     sc->workflows[sc->workloads[u[i].workload].workflow - 1].id);
        } else {
            snprintf(line, sizeof line,
                     "workloads[%zu].function: \"%s\" is in no deployment and nothing deploys "
                     "it later: each of its invocations is rejected (no_eligible_node)",
                     u[i].workload, fn);
        }
        emit(ctx, line);
    }
    if (n > SHOWN) {
        snprintf(line, sizeof line, "and %zu more such workload%s or burst%s", n - SHOWN,
                 n - SHOWN == 1 ? "" : "s", n - SHOWN == 1 ? "" : "s");
        emit(ctx, line);
    }
    return n;
}

typedef struct {
    const char *cmd, *path;
} warn_to;

static void warn_line(void *ctx, const char *line)
{
    const warn_to *w = ctx;
    fprintf(stderr, "edgesim %s: warning: %s: %s\n", w->cmd, w->path, line);
}

void sim_cli_warn_unplaced(const char *cmd, const char *path, const sim_scenario *sc)
{
    warn_to w = {cmd, path};
    sim_cli_unplaced_lines(sc, warn_line, &w);
}

/* --trace-window "A..B", "..B" or "A.." (durations) and --trace-nodes
 * "pattern,pattern,..." (ids or fnmatch globs) into f; *nodes (owned by the
 * caller) holds the node indices, each once, in registration order. 0, or
 * -1 after printing one line. */
static int parse_trace_filter(const sim_scenario *sc, const char *window, const char *pats,
                              sim_trace_filter *f, uint32_t **nodes)
{
    if (window) {
        const char *dots = strstr(window, "..");
        char a[64];
        if (!dots || (size_t)(dots - window) >= sizeof a)
            goto bad_window;
        memcpy(a, window, (size_t)(dots - window));
        a[dots - window] = '\0';
        f->from = 0;
        f->to = INT64_MAX; /* "30m..": to the end of the run */
        if ((a[0] && edge_duration_parse(a, &f->from)) ||
            (dots[2] && edge_duration_parse(dots + 2, &f->to)) || (!a[0] && !dots[2]) ||
            f->from < 0 || f->to <= f->from)
            goto bad_window;
        f->has_window = 1;
    }
    if (pats) {
        char *copy = strdup(pats);
        unsigned char *hit = calloc(sc->nnodes ? sc->nnodes : 1, 1);
        *nodes = calloc(sc->nnodes ? sc->nnodes : 1, sizeof **nodes);
        if (!copy || !hit || !*nodes) {
            free(copy);
            free(hit);
            fprintf(stderr, "edgesim run: out of memory\n");
            return -1;
        }
        int bad = 0;
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && !bad;
             tok = strtok_r(NULL, ",", &save)) {
            size_t matched = 0;
            for (size_t i = 0; i < sc->nnodes; i++)
                if (fnmatch(tok, sc->nodes[i].id, 0) == 0) {
                    hit[i] = 1;
                    matched++;
                }
            if (!matched) {
                fprintf(stderr, "edgesim run: --trace-nodes: expected node ids or patterns "
                                "(such as eu-*) that match nodes of the scenario, found '%s'\n",
                        tok);
                bad = 1;
            }
        }
        if (!bad && pats[strspn(pats, ",")] == '\0') {
            fprintf(stderr, "edgesim run: --trace-nodes: expected node ids or patterns, "
                            "found nothing\n");
            bad = 1;
        }
        size_t k = 0;
        for (size_t i = 0; i < sc->nnodes; i++)
            if (hit[i])
                (*nodes)[k++] = (uint32_t)i;
        free(copy);
        free(hit);
        if (bad)
            return -1;
        f->nodes = *nodes;
        f->nnodes = k;
    }
    return 0;
bad_window:
    fprintf(stderr, "edgesim run: --trace-window: expected START..END with durations such as "
                    "10m..12m (either may be left out), found '%s'\n", window);
    return -1;
}

/* An earlier trace: it starts as every trace does (sim_cli_may_replace). */
static int is_trace(const char *head, size_t n)
{
    return n >= 14 && !strncmp(head, "{\"traceEvents\"", 14);
}

/* A file that failed to load as a scenario but is a sweep file (it has a
 * top-level "scenarios" list) gets one line saying how to run it. 1 when it
 * said so. */
static int said_sweep_file(const char *path)
{
    if (!strcmp(path, "-"))
        return 0;
    char err[512];
    cJSON *j = sim_cli_load_json(path, SIM_SCENARIO_MAX_BYTES, err, sizeof err);
    int sweep = cJSON_IsObject(j) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "scenarios"));
    cJSON_Delete(j);
    if (sweep)
        fprintf(stderr, "edgesim run: %s is a sweep file (it lists \"scenarios\"), not a "
                        "scenario: run it with 'edgesim sweep %s'\n", path, path);
    return sweep;
}

/* The value of column `col` (0-based) of a CSV line, into out. */
static int csv_field(const char *line, int col, char *out, size_t n)
{
    for (int c = 0; c < col; c++) {
        line = strchr(line, ',');
        if (!line)
            return -1;
        line++;
    }
    size_t k = strcspn(line, ",\r\n");
    if (k >= n)
        return -1;
    memcpy(out, line, k);
    out[k] = '\0';
    return 0;
}

/* The first sample interval whose fingerprint differs between two runs'
 * timeseries.csv, written as a sentence into msg; "" when none can be found. */
static void first_divergence(const char *base_dir, const char *new_dir, char *msg, size_t n)
{
    char pa[4096], pb[4096], la[1024], lb[1024];
    snprintf(pa, sizeof pa, "%s/timeseries.csv", base_dir);
    snprintf(pb, sizeof pb, "%s/timeseries.csv", new_dir);
    FILE *a = fopen(pa, "r"), *b = fopen(pb, "r");
    msg[0] = '\0';
    int fpcol = 15; /* the fingerprint column of docs/outputs.md */
    if (a && b && fgets(la, sizeof la, a) && fgets(lb, sizeof lb, b)) {
        while (fgets(la, sizeof la, a) && fgets(lb, sizeof lb, b)) {
            char fa[32], fb[32], t0[32], t1[32], aa[32], ab[32];
            if (csv_field(la, fpcol, fa, sizeof fa) || csv_field(lb, fpcol, fb, sizeof fb))
                break;
            if (strcmp(fa, fb) != 0) {
                csv_field(lb, 0, t0, sizeof t0);
                csv_field(lb, 1, t1, sizeof t1);
                csv_field(la, 2, aa, sizeof aa);
                csv_field(lb, 2, ab, sizeof ab);
                snprintf(msg, n, "; behaviour first differs in the sample interval [%s s, %s s) "
                                 "(arrivals %s before, %s now)", t0, t1, aa, ab);
                break;
            }
        }
    }
    if (a)
        fclose(a);
    if (b)
        fclose(b);
}

/* --expect-fingerprint: HEX, or the run directory of a baseline run. */
static int check_fingerprint(const char *fp, const char *expect, const char *outdir)
{
    char want[64] = "";
    char sum[4096];
    snprintf(sum, sizeof sum, "%s/summary.json", expect);
    FILE *f = fopen(sum, "r");
    int is_dir = f != NULL;
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, " \"fingerprint\": \"%16[0-9a-f]\"", want) == 1)
                break;
        fclose(f);
        if (!want[0]) {
            fprintf(stderr, "edgesim run: --expect-fingerprint: %s has no fingerprint\n", sum);
            return SIM_EXIT_USAGE;
        }
    } else {
        snprintf(want, sizeof want, "%s", expect);
    }
    if (strcmp(fp, want) == 0)
        return SIM_EXIT_OK;
    char where[512] = "";
    if (is_dir)
        first_divergence(expect, outdir, where, sizeof where);
    fprintf(stderr, "edgesim run: fingerprint %s, expected %s%s\n", fp, want, where);
    return SIM_EXIT_FAIL;
}

int sim_cmd_run(int argc, char **argv)
{
    /* set-up in run.json counts from here (or from the first start: below) */
    double setup_start = sim_hugepages_setup_t0(sim_wall_seconds());
    const char *path = NULL, *outdir = NULL, *seed_text = NULL, *expect = NULL;
    const char *trace_path = NULL, *trace_window = NULL, *trace_node_ids = NULL;
    const char *trace_max = NULL;
    uint32_t *trace_nodes = NULL;
    int invocations = 0, quiet = 0, plots = 1;
    sim_limits lim = sim_limits_default();
    sim_load_options load = {0};
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    int rc = SIM_EXIT_USAGE;
    sim_scenario *sc = NULL;
    sim_world *w = NULL;
    sim_diag *diags = NULL;
    char *seed_set = NULL, *default_dir = NULL, *staged_trace = NULL;
    sim_outset set = {0};
    if (!sets) {
        fprintf(stderr, "edgesim run: out of memory\n");
        return SIM_EXIT_FAIL;
    }
    sim_opts p;
    sim_opts_init(&p, &sim_run_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: rc = SIM_EXIT_OK; goto done;
        case SIM_OPTS_ERROR: goto done;
        case OPT_OUTPUT: outdir = p.arg; break;
        case OPT_SEED: seed_text = p.arg; break;
        case OPT_SET: sets[nsets++] = p.arg; break;
        case OPT_EXPECT_FINGERPRINT: expect = p.arg; break;
        case OPT_TRACE: trace_path = p.arg; break;
        case OPT_TRACE_WINDOW: trace_window = p.arg; break;
        case OPT_TRACE_NODES: trace_node_ids = p.arg; break;
        case OPT_TRACE_MAX_EVENTS: trace_max = p.arg; break;
        case OPT_NO_PLOTS: plots = 0; break;
        case OPT_INVOCATIONS: invocations = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_ALLOW_PLUGINS: load.allow_plugins = 1; break;
        case OPT_SANDBOX_PATHS: load.sandbox_paths = 1; break;
        case OPT_MAX_EVENTS:
        case OPT_MAX_MEMORY:
        case OPT_MAX_OUTPUT:
            if (sim_cli_limit_option(&sim_run_cmd, id - OPT_MAX_EVENTS, p.arg, &lim) != 0)
                goto done;
            break;
        case SIM_OPTS_OPERAND:
            if (path) {
                sim_cmd_fail(&sim_run_cmd, "one scenario at a time ('%s' is extra)", p.arg);
                goto done;
            }
            path = p.arg;
            break;
        }
    }
    if (!path) {
        sim_cmd_fail(&sim_run_cmd, "expected a SCENARIO file (see 'edgesim run --help')");
        goto done;
    }
    /* options that would do nothing are refused, not ignored */
    if (!trace_path && (trace_window || trace_node_ids || trace_max)) {
        sim_cmd_fail(&sim_run_cmd, "%s only applies with --trace FILE.json",
                     trace_window ? "--trace-window" : trace_node_ids ? "--trace-nodes"
                                                                     : "--trace-max-events");
        goto done;
    }
    uint64_t max_events = 0;
    if (trace_max) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(trace_max, &end, 10);
        if (errno || *end || end == trace_max || trace_max[0] == '-' || trace_max[0] == '+') {
            sim_cmd_fail(&sim_run_cmd, "--trace-max-events: expected a whole number of events "
                                       "(0 for no cap), found '%s'", trace_max);
            goto done;
        }
        max_events = v ? (uint64_t)v : SIM_TRACE_NO_CAP;
    }
    if (seed_text) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(seed_text, &end, 10);
        if (errno || *end || seed_text[0] == '-' || end == seed_text) {
            fprintf(stderr, "edgesim run: --seed: expected a non-negative integer, found '%s'\n",
                    seed_text);
            goto done;
        }
        size_t n = strlen(seed_text) + 8;
        seed_set = malloc(n);
        if (!seed_set)
            goto oom;
        snprintf(seed_set, n, "seed=%llu", s);
        sets[nsets++] = seed_set;
    }

    /* The run starts again with huge pages from birth (hugepages.h): here,
     * before it has read or written anything, so that the first process is
     * small and the scenario (standard input too) is read once. */
    sim_hugepages_reexec(setup_start);

    diags = calloc(SIM_SCENARIO_MAX_ERRORS, sizeof *diags);
    if (!diags)
        goto oom;
    size_t ndiags = 0;
    sc = sim_scenario_load_opts(path, sets, nsets, &load, diags, SIM_SCENARIO_MAX_ERRORS, &ndiags);
    if (!sc) {
        if (said_sweep_file(path))
            goto done;
        rc = sim_print_diags(diags, ndiags < SIM_SCENARIO_MAX_ERRORS ? ndiags
                                                                     : SIM_SCENARIO_MAX_ERRORS,
                             ndiags);
        goto done;
    }
    sim_cli_warn_unplaced("run", path, sc);
    lim.invocations_csv = invocations;
    char lerr[512];
    if (sim_limits_check(sc, &lim, lerr, sizeof lerr) != 0) {
        fprintf(stderr, "%s\n", lerr);
        rc = SIM_EXIT_USAGE;
        goto done;
    }
    if (!outdir) {
        size_t n = strlen(sc->name) + 16;
        default_dir = malloc(n);
        if (!default_dir)
            goto oom;
        if (sim_plain_join(default_dir, n, "results", sc->name) != 0) { /* never outside */
            fprintf(stderr, "edgesim run: %s: name: expected a plain name (" SIM_PLAIN_NAME_RULE
                            "), found \"%s\"\n", path, sc->name);
            goto done;
        }
        outdir = default_dir;
    }
    char err[1024] = "";
    if (sim_interrupt_install() != 0 ||
        sim_outset_begin(&set, outdir, "summary.json", err, sizeof err) != 0) {
        fprintf(stderr, "edgesim run: %s\n", err[0] ? err : strerror(errno));
        rc = SIM_EXIT_FAIL;
        goto done;
    }
    /* a trace inside DIR is part of the set: written into the staging folder */
    size_t olen = strlen(outdir);
    if (trace_path && !strncmp(trace_path, outdir, olen) && trace_path[olen] == '/') {
        size_t n = strlen(set.staging) + strlen(trace_path + olen) + 1;
        if (!(staged_trace = malloc(n)))
            goto oom;
        snprintf(staged_trace, n, "%s%s", set.staging, trace_path + olen);
        trace_path = staged_trace;
    } else if (trace_path &&
               sim_cli_may_replace("run", "--trace", trace_path, "trace", is_trace) != 0) {
        rc = SIM_EXIT_FAIL;
        goto done;
    }
    sim_world_options opt = {.outdir = set.staging,
                             .write_invocations = invocations,
                             .progress = !quiet && isatty(STDERR_FILENO),
                             .trace_path = trace_path,
                             .setup_start = setup_start,
                             .on_settled = advise_hugepages};
    if (trace_path) {
        opt.trace.max_events = max_events;
        if (parse_trace_filter(sc, trace_window, trace_node_ids, &opt.trace, &trace_nodes) != 0) {
            rc = SIM_EXIT_USAGE;
            goto done;
        }
    }
    w = sim_world_create(sc, &opt, err, sizeof err);
    /* a run whose state outgrows the caches gets huge pages (set-up time) */
    if (w)
        advise_hugepages(NULL);
    sim_run_stats st = {0};
    if (!w || sim_world_run(w, &st, err, sizeof err) != 0) {
        sim_outset_rename_in(&set, err, sizeof err);
        if (sim_interrupted())
            goto interrupted;
        fprintf(stderr, "edgesim run: %s: %s\n", path, err);
        rc = SIM_EXIT_FAIL;
        goto done;
    }
    if (st.trace_dropped)
        fprintf(stderr, "edgesim run: warning: %s: the trace's cap of %" PRIu64 " events was "
                        "reached; %" PRIu64 " later events were dropped (raise the cap with "
                        "--trace-max-events N, 0 for none, or narrow --trace-window or "
                        "--trace-nodes)\n",
                trace_path, st.trace_max_events, st.trace_dropped);
    if (!quiet)
        fprintf(stderr, "%s: %" PRIu64 " invocations, %" PRIu64 " events in %.2fs -> %s/\n",
                sc->name, st.invocations, st.events, st.loop_seconds, outdir);
    rc = SIM_EXIT_OK;
    if (plots) {
        /* The run's outputs are complete already: a plotting problem is a
         * warning, never a failed run. */
        char perr[1024] = "";
        if (sim_plot_run_dir_as(set.staging, outdir, 0, perr, sizeof perr) != SIM_PLOT_OK &&
            !sim_interrupted()) {
            sim_outset_rename_in(&set, perr, sizeof perr);
            fprintf(stderr, "edgesim run: warning: plots: %s\n", perr);
        }
    }
    if (sim_interrupted())
        goto interrupted;
    if (sim_outset_publish(&set, err, sizeof err) != 0) {
        fprintf(stderr, "edgesim run: %s\n", err);
        rc = SIM_EXIT_FAIL;
        goto done;
    }
    if (expect) {
        char fp[17];
        sim_world_fingerprint(w, fp);
        rc = check_fingerprint(fp, expect, outdir);
    }
    goto done;
interrupted:
    fprintf(stderr, "edgesim run: interrupted (signal %d): the unfinished outputs are removed, "
                    "%s is as it was\n", sim_interrupted(), outdir);
    rc = sim_interrupt_exit_code();
    goto done;
oom:
    fprintf(stderr, "edgesim run: out of memory\n");
    rc = SIM_EXIT_FAIL;
done:
    sim_world_free(w);
    sim_outset_abort(&set); /* after the world, whose files are in it; no-op once published */
    free(staged_trace);
    sim_scenario_free(sc);
    free(diags);
    free(seed_set);
    free(default_dir);
    free(trace_nodes);
    free(sets);
    return rc;
}
