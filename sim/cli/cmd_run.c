/*
 * cmd_run.c — `edgesim run`: one scenario, one seed, every output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/diag.h"
#include "common/interrupt.h"
#include "common/plainname.h"
#include "common/stopwatch.h"
#include "output/outfile.h"
#include "output/plot.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"
#include "model/world.h"

static const char usage_text[] =
    "usage: edgesim run SCENARIO [-o DIR] [--seed N] [--set PATH=VALUE ...]\n"
    "                   [--invocations] [--quiet] [--allow-plugins] [--sandbox-paths]\n"
    "\n"
    "Runs the scenario file SCENARIO ('-' for stdin) and writes its outputs\n"
    "(summary.json, timeseries.csv, node_series.csv, health.csv, placements.csv,\n"
    "nodes.csv, functions.csv, run.json; see docs/outputs.md) into DIR.\n"
    "\n"
    "  -o, --output DIR   output directory (default results/<scenario name>)\n"
    "  --seed N           master seed, overriding the scenario's\n"
    "  --set PATH=VALUE   override one field before validation, e.g.\n"
    "                     --set policies.scheduler=round_robin --set duration=10m\n"
    "  --invocations      also write invocations.csv (one row per invocation)\n"
    "  --max-events N, --max-memory SIZE, --max-output SIZE\n"
    "                     raise the limits on the run's estimated events (default\n"
    "                     2e9), memory (8G) and output (4G), checked before it\n"
    "                     starts (docs/scenario.md, \"Limits\"); 0 or none: no limit\n"
    "  --trace FILE.json  also write the run as Chrome trace-event JSON (open it in\n"
    "                     Perfetto or chrome://tracing): a track per node, invocations\n"
    "                     as spans (cold start and execution), status changes and faults\n"
    "  --trace-window A..B  only events in [A, B), e.g. 10m..12m\n"
    "  --trace-nodes ID,...  only these nodes (at most 10^6 events either way)\n"
    "  --no-plots         skip DIR/plots/ and DIR/report.html (drawn with gnuplot\n"
    "                     by default; 'edgesim plot DIR' draws them later)\n"
    "  --expect-fingerprint HEX|RUN_DIR\n"
    "                     fail (exit 1) unless the run's trajectory fingerprint is\n"
    "                     HEX, or equals that of the earlier run in RUN_DIR; with a\n"
    "                     RUN_DIR it also names the first sample interval that differs\n"
    "  --allow-plugins    load the plugin (.so: native code) the scenario names\n"
    "  --sandbox-paths    refuse absolute data paths and \"..\" (docs/scenario.md)\n"
    "  -q, --quiet        no progress line (it is shown only on a terminal)\n"
    "  -h, --help         this help\n"
    "\n"
    "Every output is written into a temporary folder beside DIR and DIR is replaced\n"
    "as a whole when the run is complete (plots included): a failed or interrupted\n"
    "run leaves the previous DIR as it was.\n"
    "\n"
    "exit codes: 0 done, 1 the run failed, 2 bad scenario or usage, 130 interrupted\n"
    "(Ctrl-C; 143 for SIGTERM).\n";

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

/* --trace-window "A..B" (durations) and --trace-nodes "id,id,..." into f;
 * *nodes (owned by the caller) holds the node indices. 0, or -1 after
 * printing one line. */
static int parse_trace_filter(const sim_scenario *sc, const char *window, const char *ids,
                              sim_trace_filter *f, uint32_t **nodes)
{
    memset(f, 0, sizeof *f);
    if (window) {
        const char *dots = strstr(window, "..");
        char a[64];
        if (!dots || (size_t)(dots - window) >= sizeof a)
            goto bad_window;
        memcpy(a, window, (size_t)(dots - window));
        a[dots - window] = '\0';
        if (edge_duration_parse(a, &f->from) || edge_duration_parse(dots + 2, &f->to) ||
            f->from < 0 || f->to <= f->from)
            goto bad_window;
        f->has_window = 1;
    }
    if (ids) {
        size_t n = 1;
        for (const char *p = ids; *p; p++)
            n += *p == ',';
        *nodes = calloc(n, sizeof **nodes);
        if (!*nodes)
            return -1;
        char *copy = strdup(ids);
        if (!copy)
            return -1;
        size_t k = 0;
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            size_t idx = sim_scenario_node_index(sc, tok);
            if (idx == SIM_ALL) {
                fprintf(stderr, "edgesim run: --trace-nodes: expected node ids of the scenario, "
                                "found '%s'\n", tok);
                free(copy);
                return -1;
            }
            (*nodes)[k++] = (uint32_t)idx;
        }
        free(copy);
        f->nodes = *nodes;
        f->nnodes = k;
    }
    return 0;
bad_window:
    fprintf(stderr, "edgesim run: --trace-window: expected START..END with durations such as "
                    "10m..12m, found '%s'\n", window);
    return -1;
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
    double setup_start = sim_wall_seconds(); /* set-up in run.json counts from here */
    const char *path = NULL, *outdir = NULL, *seed_text = NULL, *expect = NULL;
    const char *trace_path = NULL, *trace_window = NULL, *trace_node_ids = NULL;
    uint32_t *trace_nodes = NULL;
    int invocations = 0, quiet = 0, plots = 1, lr;
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            rc = SIM_EXIT_OK;
            goto done;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
            outdir = argv[++i];
        } else if (!strcmp(a, "--seed") && i + 1 < argc) {
            seed_text = argv[++i];
        } else if (!strcmp(a, "--set") && i + 1 < argc) {
            sets[nsets++] = argv[++i];
        } else if (!strncmp(a, "--set=", 6)) {
            sets[nsets++] = a + 6;
        } else if (!strcmp(a, "--expect-fingerprint") && i + 1 < argc) {
            expect = argv[++i];
        } else if (!strcmp(a, "--trace") && i + 1 < argc) {
            trace_path = argv[++i];
        } else if (!strcmp(a, "--trace-window") && i + 1 < argc) {
            trace_window = argv[++i];
        } else if (!strcmp(a, "--trace-nodes") && i + 1 < argc) {
            trace_node_ids = argv[++i];
        } else if (!strcmp(a, "--no-plots")) {
            plots = 0;
        } else if (!strcmp(a, "--allow-plugins")) {
            load.allow_plugins = 1;
        } else if (!strcmp(a, "--sandbox-paths")) {
            load.sandbox_paths = 1;
        } else if (!strcmp(a, "--invocations")) {
            invocations = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if ((lr = sim_limits_option("run", argc, argv, &i, &lim)) != 0) {
            if (lr < 0)
                goto done;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "edgesim run: unknown or incomplete option '%s' (see --help)\n", a);
            goto done;
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "edgesim run: one scenario at a time ('%s' is extra)\n", a);
            goto done;
        }
    }
    if (!path) {
        fputs(usage_text, stderr);
        goto done;
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

    diags = calloc(SIM_SCENARIO_MAX_ERRORS, sizeof *diags);
    if (!diags)
        goto oom;
    size_t ndiags = 0;
    sc = sim_scenario_load_opts(path, sets, nsets, &load, diags, SIM_SCENARIO_MAX_ERRORS, &ndiags);
    if (!sc) {
        rc = sim_print_diags(diags, ndiags < SIM_SCENARIO_MAX_ERRORS ? ndiags
                                                                     : SIM_SCENARIO_MAX_ERRORS,
                             ndiags);
        goto done;
    }
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
    }
    sim_world_options opt = {.outdir = set.staging,
                             .write_invocations = invocations,
                             .progress = !quiet && isatty(STDERR_FILENO),
                             .trace_path = trace_path,
                             .setup_start = setup_start};
    if (trace_path) {
        if (parse_trace_filter(sc, trace_window, trace_node_ids, &opt.trace, &trace_nodes) != 0) {
            rc = SIM_EXIT_USAGE;
            goto done;
        }
    }
    w = sim_world_create(sc, &opt, err, sizeof err);
    sim_run_stats st;
    if (!w || sim_world_run(w, &st, err, sizeof err) != 0) {
        sim_outset_rename_in(&set, err, sizeof err);
        if (sim_interrupted())
            goto interrupted;
        fprintf(stderr, "edgesim run: %s: %s\n", path, err);
        rc = SIM_EXIT_FAIL;
        goto done;
    }
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
