/*
 * cmd_sweep.c — `edgesim sweep SWEEP.json`: scenarios x grid x replications.
 *
 * Every run happens in a forked child with the world API (no exec: the
 * child already holds the program and the parsed sweep), which writes its
 * outputs into DIR/runs/<config-id>/rep-<k>/ and exits 0, 1 (the run failed)
 * or 2 (the scenario was rejected). The parent keeps at most N children
 * alive (-j N) and hands out runs in run order. Once all have finished it
 * reads each run's summary.json back in run order (scenario, config,
 * replication), never in completion order, so runs.csv and aggregate.csv
 * are the same bytes for every N.
 *
 * Before any run starts, each (scenario, config) is loaded once in the
 * parent, so a bad grid path or value is one clear line and exit 2.
 */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef EDGESIM_MPI
#include <mpi.h>
#endif

#include "cli/cli.h"
#include "common/hugepages.h"
#include "common/interrupt.h"
#include "common/jsonget.h"
#include "common/plainname.h"
#include "common/stopwatch.h"
#include "output/outfile.h"
#include "harness/plot_sweep.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"
#include "harness/sweep.h"
#include "model/world.h"

#define SIM_SWEEP_MAX_JOBS 1024 /* processes; more than any machine we run on has cores */
#define SIM_SWEEP_MAX_DIR 3900  /* DIR, so that DIR/runs/<id>/rep-<k>/summary.json fits 4 KiB */

enum {
    OPT_OUTPUT = 1,
    OPT_JOBS,
    OPT_SET,
    OPT_NO_PLOTS,
    OPT_MPI,
    OPT_QUIET,
    OPT_MAX_EVENTS,
    OPT_MAX_MEMORY,
    OPT_MAX_OUTPUT,
    OPT_ALLOW_PLUGINS,
    OPT_SANDBOX_PATHS,
};

static const sim_opt sweep_opts[] = {
    {OPT_OUTPUT, 'o', "output", "DIR", 0, "output directory (default results/sweeps/<sweep name>)"},
    {OPT_JOBS, 'j', "jobs", "N", 0,
     "run N simulations at a time, in N processes (default 1); the results do not "
     "depend on N. -j4 works as in make"},
    {OPT_SET, 0, "set", "PATH=VALUE", SIM_OPT_REPEAT,
     "change every run's scenario as `edgesim run --set` does, after the file's \"set\" "
     "and before the grid; not its seed (replication k runs with base_seed + k)"},
    {OPT_NO_PLOTS, 0, "no-plots", NULL, 0,
     "no DIR/plots/ (each key metric against each swept parameter, with 95% confidence "
     "intervals)"},
    {OPT_MPI, 0, "mpi", NULL, 0,
     "under mpirun: rank 0 hands runs out to the other ranks and gathers their rows; the "
     "same tables as -j (needs an edgesim built with `make MPI=1`)"},
    {OPT_QUIET, 'q', "quiet", NULL, 0, "no progress line (it is shown only on a terminal)"},
    SIM_CLI_TRUST_AND_LIMIT_OPTS,
    {0, 0, NULL, NULL, 0, NULL},
};

const sim_cmd sim_sweep_cmd = {
    .name = "sweep",
    .operands = "SWEEP.json",
    .about = "run scenarios x a parameter grid x replications, with statistics",
    .intro = "Runs every scenario of the sweep file at every point of its grid, with\n"
             "replications seeded base_seed + k (common random numbers), and writes\n"
             "runs.csv (one row per run) and aggregate.csv (mean, standard deviation and\n"
             "95% confidence interval per configuration and metric) into DIR, with each\n"
             "run's outputs in DIR/runs/<config-id>/rep-<k>/ (see docs/sweeps.md).\n",
    .opts = sweep_opts,
    .outro = "Everything is written into a temporary folder beside DIR, and DIR is replaced\n"
             "as a whole when the sweep is complete: a failed or interrupted sweep leaves\n"
             "the previous DIR as it was.\n"
             "\n"
             "Without --mpi the sweep starts itself again once with glibc.malloc.hugetlb=1\n"
             "added to GLIBC_TUNABLES, so that its runs' memory gets 2 MiB pages from the\n"
             "start (docs/outputs.md); EDGESIM_HUGEPAGES=0 in the environment turns that off.\n"
             "\n"
             "exit codes: 0 done, 1 a run failed, 2 bad sweep, scenario or usage, 130\n"
             "interrupted (Ctrl-C; 143 for SIGTERM).\n",
};

/* The key metrics of a run, as runs.csv names them, and where summary.json
 * keeps them. The plots draw them in the run plots' units (latency in ms,
 * rates in %): label is the axis, scale what a value is multiplied by. Each
 * is >= 0, and at most max (1 for a fraction): its interval is clipped to
 * that range (sim_sweep_stat_clip). */
static const struct {
    const char *name, *path, *label;
    double scale, max;
    /* what the metric is taken over (summed): when it is 0 the run has no
     * value for it (summary.json then writes 0), and the sweep counts the
     * run as missing, not as a latency or a rate of 0; NULL: always defined */
    const char *over[3];
} metrics[] = {
    {"latency_mean_s", "latency_s.mean", "mean latency (ms)", 1e3, HUGE_VAL, {"latency_s.count"}},
    {"latency_p99_s", "latency_s.p99", "p99 latency (ms)", 1e3, HUGE_VAL, {"latency_s.count"}},
    {"cold_start_rate", "rates.cold_start_rate", "cold-start rate (%)", 100, 1, {"totals.started"}},
    {"failure_rate", "rates.failure_rate", "failure rate (%)", 100, 1,
     {"totals.ok", "totals.failed", "totals.rejected"}},
    {"rejection_rate", "rates.rejection_rate", "rejection rate (%)", 100, 1,
     {"totals.ok", "totals.failed", "totals.rejected"}},
    {"throughput_per_s", "rates.throughput_per_s", "throughput (invocations/s)", 1, HUGE_VAL, {0}},
    {"availability", "health.availability", "availability (%)", 100, 1, {0}},
    {"wasted_mb_s", "keepalive.wasted_mb_s", "idle instance memory (MB·s)", 1, HUGE_VAL, {0}},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

typedef struct run_result {
    double m[N_METRICS];
    char fingerprint[17];
} run_result;

static void config_id(const sim_sweep *sw, size_t scenario, size_t config, char *buf, size_t n)
{
    (void)sw;
    snprintf(buf, n, "s%03zu-c%04zu", scenario, config);
}

static void run_dir(const char *outdir, const sim_sweep *sw, size_t run, char *buf, size_t n)
{
    size_t s, c;
    uint32_t k;
    char id[64];
    sim_sweep_run_split(sw, run, &s, &c, &k);
    config_id(sw, s, c, id, sizeof id);
    snprintf(buf, n, "%s/runs/%s/rep-%u", outdir, id, k);
}

/* "edgesim sweep: TEXT", naming the folder the user asked for where TEXT
 * names the set's temporary folder (set NULL: as it is). */
static void say(const sim_outset *set, const char *text)
{
    char line[4600];
    snprintf(line, sizeof line, "%s", text);
    if (set)
        sim_outset_rename_in(set, line, sizeof line);
    fprintf(stderr, "edgesim sweep: %s\n", line);
}

/* Tells on stderr how many of the sweep's runs failed and where the first in
 * run order (FIRST) left its outputs, whether the runs went one by one or in
 * parallel. */
static void say_failed(const char *outdir, const sim_sweep *sw, size_t failed, size_t first)
{
    char dir[4096];
    run_dir(outdir, sw, first, dir, sizeof dir);
    fprintf(stderr, "edgesim sweep: %zu run(s) failed, the first in run order being %s\n", failed,
            dir);
}

/* The --set list of one run: fixed sets, grid values, then the seed. sets
 * must hold nfixed + nparams + 1 entries; seedbuf holds the seed's text. */
static size_t run_sets(const sim_sweep *sw, size_t config, uint32_t rep, const char **sets,
                       char *seedbuf, size_t seedlen, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < sw->nfixed; i++)
        sets[n++] = sw->fixed_sets[i];
    sim_sweep_config_point(sw, config, idx);
    for (size_t i = 0; i < sw->nparams; i++)
        sets[n++] = sw->params[i].sets[idx[i]];
    snprintf(seedbuf, seedlen, "seed=%llu", (unsigned long long)(sw->base_seed + rep));
    sets[n++] = seedbuf;
    return n;
}

/* How every configuration of the sweep is loaded, set by the option loop
 * before any loads or any run forks (the forked runs inherit it). */
typedef struct sweep_loading {
    sim_limits limits;     /* --max-events, --max-memory, --max-output */
    sim_load_options load; /* --allow-plugins, --sandbox-paths */
    size_t file_sets;      /* how many of sw's fixed sets come from the file (the
                              command line's follow): their data paths, and the
                              grid's, are taken from the sweep file's folder */
} sweep_loading;

/* Loads scenario s with config c's sets as `how` says and checks it against
 * the limits; prints its problems. */
static sim_scenario *load_config(const sweep_loading *how, const sim_sweep *sw, size_t s,
                                 size_t c, uint32_t rep, int print)
{
    const char **sets = calloc(sw->nfixed + sw->nparams + 1, sizeof *sets);
    const char **dirs = calloc(sw->nfixed + sw->nparams + 1, sizeof *dirs);
    size_t *idx = calloc(sw->nparams + 1, sizeof *idx);
    sim_diag *diags = calloc(SIM_SCENARIO_MAX_ERRORS, sizeof *diags);
    const char *slash = strrchr(sw->path, '/');
    char *dir = strndup(sw->path, slash ? (size_t)(slash - sw->path) + 1 : 0);
    sim_scenario *sc = NULL;
    char seed[64];
    if (!sets || !dirs || !idx || !diags || !dir) {
        fprintf(stderr, "edgesim sweep: out of memory\n");
        goto done;
    }
    size_t nsets = run_sets(sw, c, rep, sets, seed, sizeof seed, idx);
    for (size_t i = 0; i < nsets; i++) /* the file's sets and the grid: the file's folder */
        dirs[i] = i < how->file_sets || (i >= sw->nfixed && i < sw->nfixed + sw->nparams)
                      ? dir : NULL;
    sim_load_options load = how->load;
    load.set_dirs = dirs;
    size_t nd = 0;
    sc = sim_scenario_load_opts(sw->scenario_paths[s], sets, nsets, &load, diags,
                                SIM_SCENARIO_MAX_ERRORS, &nd);
    if (!sc && print) {
        /* each line says which sweep entry and configuration it came from */
        size_t kept = nd < SIM_SCENARIO_MAX_ERRORS ? nd : SIM_SCENARIO_MAX_ERRORS;
        char line[1024], id[64];
        config_id(sw, s, c, id, sizeof id);
        for (size_t i = 0; i < kept; i++) {
            sim_diag_format(&diags[i], line, sizeof line);
            fprintf(stderr, "%s: scenarios[%zu] (config %s): %s\n", sw->path, s, id, line);
        }
        if (nd > kept)
            fprintf(stderr, "... and %zu more problems\n", nd - kept);
    }
    char lerr[512], id[64];
    if (sc && sim_limits_check(sc, &how->limits, lerr, sizeof lerr) != 0) {
        config_id(sw, s, c, id, sizeof id);
        if (print)
            fprintf(stderr, "%s: scenarios[%zu] (config %s): %s\n", sw->path, s, id, lerr);
        sim_scenario_free(sc);
        sc = NULL;
    }
done:
    free(sets);
    free(dirs);
    free(dir);
    free(idx);
    free(diags);
    return sc;
}

/* In the child: one run. Returns the exit code. */
static int child_run(const sweep_loading *how, const sim_sweep *sw, const char *outdir,
                     size_t run, const sim_outset *set)
{
    size_t s, c;
    uint32_t k;
    char dir[4096], err[1024] = "";
    sim_sweep_run_split(sw, run, &s, &c, &k);
    run_dir(outdir, sw, run, dir, sizeof dir);
    sim_scenario *sc = load_config(how, sw, s, c, k, 1);
    if (!sc)
        return SIM_EXIT_USAGE;
    int rc = SIM_EXIT_FAIL;
    sim_world *w = NULL;
    if (sim_mkdirs(dir) != 0) {
        fprintf(stderr, "edgesim sweep: run %s: %s\n", strstr(dir, "/runs/") + 1,
                strerror(errno));
        goto done;
    }
    sim_world_options opt = {.outdir = dir};
    w = sim_world_create(sc, &opt, err, sizeof err);
    sim_run_stats st;
    if (!w || sim_world_run(w, &st, err, sizeof err) != 0) {
        if (sim_interrupted()) { /* the parent says so, once */
            rc = sim_interrupt_exit_code();
            goto done;
        }
        char line[2048];
        snprintf(line, sizeof line, "run %s: %s", strstr(dir, "/runs/") + 1, err);
        say(set, line);
        goto done;
    }
    rc = SIM_EXIT_OK;
done:
    sim_world_free(w);
    sim_scenario_free(sc);
    return rc;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Reads a finished run's key metrics; a metric that is absent or null is NaN. */
static int read_result(const char *dir, run_result *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *text = read_all(path);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(j)) {
        fprintf(stderr, "edgesim sweep: %s: expected a summary.json object, found %s\n", path,
                j ? "another JSON value" : "no readable JSON");
        cJSON_Delete(j);
        return -1;
    }
    for (size_t i = 0; i < N_METRICS; i++) {
        const cJSON *v = sim_json_get(j, metrics[i].path);
        r->m[i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        double over = 0;
        for (size_t k = 0; k < 3 && metrics[i].over[k]; k++) {
            const cJSON *c = sim_json_get(j, metrics[i].over[k]);
            over += cJSON_IsNumber(c) ? c->valuedouble : 0;
        }
        if (metrics[i].over[0] && over == 0) /* nothing to take it over: no value */
            r->m[i] = NAN;
    }
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(j, "fingerprint");
    snprintf(r->fingerprint, sizeof r->fingerprint, "%s",
             cJSON_IsString(fp) ? fp->valuestring : "");
    cJSON_Delete(j);
    return 0;
}

/* One CSV cell: quoted when it holds a comma, quote or line break. */
static void csv_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A number as a cell: empty when it is not finite (no value). */
static void csv_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
}

/* scenario, config, the grid's values: the leading cells of both tables. */
static void config_cells(FILE *f, const sim_sweep *sw, size_t s, size_t c, size_t *idx)
{
    char id[64];
    csv_cell(f, sw->scenarios[s]);
    config_id(sw, s, c, id, sizeof id);
    fprintf(f, ",%s", id);
    sim_sweep_config_point(sw, c, idx);
    for (size_t i = 0; i < sw->nparams; i++) {
        fputc(',', f);
        csv_cell(f, sw->params[i].labels[idx[i]]);
    }
}

static void header_cells(FILE *f, const sim_sweep *sw)
{
    fputs("scenario,config", f);
    for (size_t i = 0; i < sw->nparams; i++) {
        fputc(',', f);
        csv_cell(f, sw->params[i].path);
    }
}

static int write_runs(const char *outdir, const sim_sweep *sw, const run_result *res, size_t *idx,
                      const sim_outset *set)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", outdir);
    sim_outfile o;
    if (sim_outfile_open(&o, path) != 0)
        goto fail;
    header_cells(o.fp, sw);
    fputs(",replication,seed", o.fp);
    for (size_t m = 0; m < N_METRICS; m++)
        fprintf(o.fp, ",%s", metrics[m].name);
    fputs(",fingerprint\n", o.fp);
    for (size_t r = 0; r < sim_sweep_nruns(sw); r++) {
        size_t s, c;
        uint32_t k;
        sim_sweep_run_split(sw, r, &s, &c, &k);
        config_cells(o.fp, sw, s, c, idx);
        fprintf(o.fp, ",%u,%llu", k, (unsigned long long)(sw->base_seed + k));
        for (size_t m = 0; m < N_METRICS; m++) {
            fputc(',', o.fp);
            csv_num(o.fp, res[r].m[m]);
        }
        fprintf(o.fp, ",%s\n", res[r].fingerprint);
    }
    if (sim_outfile_commit(&o) == 0)
        return 0;
fail:;
    char line[4400];
    snprintf(line, sizeof line, "%s: cannot write: %s", path, strerror(errno));
    say(set, line);
    return -1;
}

static int write_aggregate(const char *outdir, const sim_sweep *sw, const run_result *res,
                           size_t *idx, const sim_outset *set)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/aggregate.csv", outdir);
    double *x = calloc(sw->replications, sizeof *x);
    sim_outfile o;
    if (!x) {
        errno = ENOMEM;
        goto fail;
    }
    if (sim_outfile_open(&o, path) != 0)
        goto fail;
    header_cells(o.fp, sw);
    fputs(",metric,n,mean,stddev,ci95_low,ci95_high\n", o.fp);
    for (size_t s = 0; s < sw->nscenarios; s++)
        for (size_t c = 0; c < sw->nconfigs; c++) {
            size_t first = (s * sw->nconfigs + c) * sw->replications;
            for (size_t m = 0; m < N_METRICS; m++) {
                for (uint32_t k = 0; k < sw->replications; k++)
                    x[k] = res[first + k].m[m];
                sim_sweep_stat st;
                sim_sweep_stats(x, sw->replications, &st);
                sim_sweep_stat_clip(&st, 0, metrics[m].max);
                config_cells(o.fp, sw, s, c, idx);
                fprintf(o.fp, ",%s,%zu,", metrics[m].name, st.n);
                csv_num(o.fp, st.mean);
                fputc(',', o.fp);
                csv_num(o.fp, st.stddev);
                fputc(',', o.fp);
                csv_num(o.fp, st.ci95_low);
                fputc(',', o.fp);
                csv_num(o.fp, st.ci95_high);
                fputc('\n', o.fp);
            }
        }
    free(x);
    if (sim_outfile_commit(&o) == 0)
        return 0;
    x = NULL;
fail:
    free(x);
    char line[4400];
    snprintf(line, sizeof line, "%s: cannot write: %s", path, strerror(errno));
    say(set, line);
    return -1;
}

/* The plots: the same statistics as aggregate.csv, drawn. A sweep without
 * gnuplot still succeeds (a warning says why there are no plots). */
static int draw_plots(const char *outdir, const sim_sweep *sw, const run_result *res, int quiet,
                      const sim_outset *set)
{
    size_t ncells = sw->nscenarios * sw->nconfigs * N_METRICS;
    sim_sweep_stat *st = calloc(ncells, sizeof *st);
    double *x = calloc(sw->replications, sizeof *x);
    const char *names[N_METRICS], *labels[N_METRICS];
    int rc = -1;
    char err[1024];
    if (!st || !x) {
        fprintf(stderr, "edgesim sweep: out of memory\n");
        goto out;
    }
    for (size_t m = 0; m < N_METRICS; m++) {
        names[m] = metrics[m].name;
        labels[m] = metrics[m].label;
    }
    for (size_t sc = 0; sc < sw->nscenarios * sw->nconfigs; sc++)
        for (size_t m = 0; m < N_METRICS; m++) {
            for (uint32_t k = 0; k < sw->replications; k++)
                x[k] = res[sc * sw->replications + k].m[m] * metrics[m].scale;
            sim_sweep_stats(x, sw->replications, &st[sc * N_METRICS + m]);
            sim_sweep_stat_clip(&st[sc * N_METRICS + m], 0, metrics[m].max * metrics[m].scale);
        }
    double ymax[N_METRICS];
    for (size_t m = 0; m < N_METRICS; m++)
        ymax[m] = metrics[m].max * metrics[m].scale;
    int r = sim_plot_sweep(outdir, sw, names, labels, ymax, N_METRICS, st, err, sizeof err);
    if (r == 1) {
        if (!quiet)
            fprintf(stderr, "edgesim sweep: warning: %s\n", err);
        rc = 0;
    } else if (r != 0) {
        say(set, err);
    } else {
        rc = 0;
    }
out:
    free(st);
    free(x);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(size_t done, size_t total, double t0)
{
    double el = now_s() - t0;
    if (done == 0) {
        fprintf(stderr, "\rsweep: 0/%zu runs, ETA unknown   ", total);
        return;
    }
    double eta = el / (double)done * (double)(total - done);
    fprintf(stderr, "\rsweep: %zu/%zu runs, %.1fs elapsed, ETA %.1fs   ", done, total, el, eta);
    if (done == total)
        fputc('\n', stderr);
}

#ifdef EDGESIM_MPI
/*
 * --mpi: rank 0 hands out run numbers one at a time to whichever rank asks
 * (dynamic: runs differ in length) and stores the rows they send back by run
 * number; the tables are then written exactly as with -j. Workers run in
 * their own process, without forking (MPI and fork do not mix), and read
 * their run's summary.json back themselves, so rank 0 needs no shared
 * folder for the tables. Rows travel as bytes: the ranks are copies of one
 * program on machines of one kind.
 */
typedef struct mpi_row {
    long long run;      /* -1: the worker's first request, no result */
    int rc;             /* the run's exit code */
    run_result res;
} mpi_row;

enum { TAG_ROW = 1, TAG_RUN = 2 };

static void mpi_worker(const sweep_loading *how, const sim_sweep *sw, const char *outdir)
{
    mpi_row row = {.run = -1};
    for (;;) {
        MPI_Send(&row, (int)sizeof row, MPI_BYTE, 0, TAG_ROW, MPI_COMM_WORLD);
        long long run;
        MPI_Recv(&run, 1, MPI_LONG_LONG, 0, TAG_RUN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (run < 0)
            return;
        memset(&row, 0, sizeof row);
        row.run = run;
        row.rc = child_run(how, sw, outdir, (size_t)run, NULL);
        if (row.rc == 0) {
            char dir[4096];
            run_dir(outdir, sw, (size_t)run, dir, sizeof dir);
            if (read_result(dir, &row.res) != 0)
                row.rc = SIM_EXIT_FAIL;
        }
    }
}

static void mpi_master(const sim_sweep *sw, run_result *res, int nranks, int show,
                       size_t *failed, size_t *first_failed)
{
    size_t nruns = sim_sweep_nruns(sw), next = 0, done_runs = 0;
    int stopped = 0; /* workers told to stop */
    double t0 = now_s();
    if (show)
        progress(0, nruns, t0);
    while (stopped < nranks - 1) {
        mpi_row row;
        MPI_Status st;
        MPI_Recv(&row, (int)sizeof row, MPI_BYTE, MPI_ANY_SOURCE, TAG_ROW, MPI_COMM_WORLD, &st);
        if (row.run >= 0) {
            done_runs++;
            if (row.rc != 0) {
                if (!*failed || (size_t)row.run < *first_failed)
                    *first_failed = (size_t)row.run;
                (*failed)++;
            } else {
                res[row.run] = row.res;
            }
            if (show)
                progress(done_runs, nruns, t0);
        }
        /* after a failure no new run starts, as with -j */
        long long run = next < nruns && !*failed ? (long long)next++ : -1;
        MPI_Send(&run, 1, MPI_LONG_LONG, st.MPI_SOURCE, TAG_RUN, MPI_COMM_WORLD);
        stopped += run < 0;
    }
}
#endif

int sim_cmd_sweep(int argc, char **argv)
{
    const char *path = NULL, *outdir = NULL;
    long jobs = 1;
    int quiet = 0, rc = SIM_EXIT_USAGE, rank = 0, plots = 1;
#ifdef EDGESIM_MPI
    int use_mpi = 0, nranks = 1;
#endif
    sim_sweep *sw = NULL;
    run_result *res = NULL;
    pid_t *pids = NULL;
    size_t *idx = NULL;
    char *default_dir = NULL;
    sim_outset set = {0};
    sweep_loading how = {.limits = sim_limits_default()};
#ifdef EDGESIM_MPI
    char staged[SIM_SWEEP_MAX_DIR + 1] = "";
#endif
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    if (!sets) {
        fprintf(stderr, "edgesim sweep: out of memory\n");
        return SIM_EXIT_FAIL;
    }
    sim_opts p;
    sim_opts_init(&p, &sim_sweep_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: free(sets); return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: free(sets); return SIM_EXIT_USAGE;
        case OPT_OUTPUT: outdir = p.arg; break;
        case OPT_JOBS: {
            char *end;
            errno = 0;
            jobs = strtol(p.arg, &end, 10);
            if (errno || *end || end == p.arg || jobs < 1 || jobs > SIM_SWEEP_MAX_JOBS) {
                free(sets);
                return sim_cmd_fail(&sim_sweep_cmd, "%s: expected an integer from 1 to %d, "
                                    "found '%s'", p.opt, SIM_SWEEP_MAX_JOBS, p.arg);
            }
            break;
        }
        case OPT_SET: {
            const char *eq = strchr(p.arg, '=');
            if (!eq || eq == p.arg) {
                free(sets);
                return sim_cmd_fail(&sim_sweep_cmd, "--set: expected PATH=VALUE, found '%s'",
                                    p.arg);
            }
            if (sim_sweep_sets_seed(p.arg)) {
                free(sets);
                return sim_cmd_fail(&sim_sweep_cmd,
                                    "--set: expected a path other than seed (replication k of "
                                    "every configuration runs with seed base_seed + k: set the "
                                    "file's base_seed), found '%s'",
                                    p.arg);
            }
            sets[nsets++] = p.arg;
            break;
        }
        case OPT_NO_PLOTS: plots = 0; break;
        case OPT_MPI:
#ifdef EDGESIM_MPI
            use_mpi = 1;
            break;
#else
            free(sets);
            return sim_cmd_fail(&sim_sweep_cmd, "--mpi: this edgesim was built without MPI "
                                "(build one with `make MPI=1`, which needs mpicc)");
#endif
        case OPT_QUIET: quiet = 1; break;
        case OPT_ALLOW_PLUGINS: how.load.allow_plugins = 1; break;
        case OPT_SANDBOX_PATHS: how.load.sandbox_paths = 1; break;
        case OPT_MAX_EVENTS:
        case OPT_MAX_MEMORY:
        case OPT_MAX_OUTPUT:
            if (sim_cli_limit_option(&sim_sweep_cmd, id - OPT_MAX_EVENTS, p.arg, &how.limits)) {
                free(sets);
                return SIM_EXIT_USAGE;
            }
            break;
        case SIM_OPTS_OPERAND:
            if (path) {
                free(sets);
                return sim_cmd_fail(&sim_sweep_cmd, "one sweep file at a time ('%s' is extra)",
                                    p.arg);
            }
            path = p.arg;
            break;
        }
    }
    if (!path) {
        free(sets);
        return sim_cmd_fail(&sim_sweep_cmd, "expected a SWEEP.json file (see 'edgesim sweep "
                                            "--help')");
    }
    /* The runs, forked from this process, get huge pages from birth
     * (hugepages.h): it starts again first, before it reads anything. Not
     * under MPI, whose launcher keeps track of the processes it started. */
    /* (the first start's clock, which a sweep does not report, is taken out
     * of the environment so that the runs it forks do not see it) */
    double first_start = sim_hugepages_setup_t0(sim_wall_seconds());
#ifdef EDGESIM_MPI
    if (!use_mpi)
#endif
        sim_hugepages_reexec(first_start);
#ifdef EDGESIM_MPI
    if (use_mpi) {
        MPI_Init(&argc, &argv);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &nranks);
        quiet |= rank != 0; /* one progress line, from rank 0 */
    }
#endif
    sim_diag d;
    sw = sim_sweep_load(path, &d);
    if (!sw) {
        char line[1024];
        sim_diag_format(&d, line, sizeof line);
        if (rank == 0)
            fprintf(stderr, "%s\n", line);
        goto done; /* rc is SIM_EXIT_USAGE */
    }
    /* the --set options, checked above, in command-line order */
    how.file_sets = sw->nfixed;
    for (size_t i = 0; i < nsets; i++)
        if (sim_sweep_add_set(sw, sets[i]) != 0)
            goto oom;
    /* every configuration must load before anything runs */
    for (size_t s = 0; s < sw->nscenarios; s++)
        for (size_t c = 0; c < sw->nconfigs; c++) {
            sim_scenario *sc = load_config(&how, sw, s, c, 0, rank == 0);
            if (!sc)
                goto done; /* rc is SIM_EXIT_USAGE */
            sim_scenario_free(sc);
        }
    rc = SIM_EXIT_FAIL;
    if (!outdir) {
        size_t n = strlen(sw->name) + 32;
        if (!(default_dir = malloc(n)))
            goto oom;
        if (sim_plain_join(default_dir, n, "results/sweeps", sw->name) != 0) { /* never outside */
            fprintf(stderr, "edgesim sweep: %s: name: expected a plain name (" SIM_PLAIN_NAME_RULE
                            "), found \"%s\"\n", path, sw->name);
            goto done;
        }
        outdir = default_dir;
    }
    /* DIR + its temporary folder's ".NAME.tmp-XXXXXX" */
    if (2 * strlen(outdir) + 16 > SIM_SWEEP_MAX_DIR) {
        fprintf(stderr, "edgesim sweep: -o: expected a folder name of at most %d bytes, found "
                        "%zu bytes\n", (SIM_SWEEP_MAX_DIR - 16) / 2, strlen(outdir));
        rc = SIM_EXIT_USAGE;
        goto done;
    }
    /* every output goes to the set's temporary folder; DIR is the target */
    const char *target = outdir;
    char err[1024] = "";
#ifdef EDGESIM_MPI
    if (use_mpi) { /* rank 0 makes the folder; every rank writes into it */
        if (rank == 0 && sim_outset_begin(&set, target, "runs.csv", err, sizeof err) == 0)
            snprintf(staged, sizeof staged, "%s", set.staging);
        MPI_Bcast(staged, (int)sizeof staged, MPI_CHAR, 0, MPI_COMM_WORLD);
        if (!staged[0]) {
            if (rank == 0)
                fprintf(stderr, "edgesim sweep: %s\n", err);
            goto done;
        }
        outdir = staged;
    } else
#endif
    {
        if (sim_interrupt_install() != 0 ||
            sim_outset_begin(&set, target, "runs.csv", err, sizeof err) != 0) {
            fprintf(stderr, "edgesim sweep: %s\n", err[0] ? err : strerror(errno));
            goto done;
        }
        outdir = set.staging;
    }
    size_t nruns = sim_sweep_nruns(sw);
    res = calloc(nruns, sizeof *res);
    pids = calloc((size_t)jobs, sizeof *pids);
    idx = calloc(sw->nparams + 1, sizeof *idx);
    if (!res || !pids || !idx)
        goto oom;
    size_t *slot_run = calloc((size_t)jobs, sizeof *slot_run);
    if (!slot_run)
        goto oom;
    int show = !quiet && isatty(STDERR_FILENO);
#ifdef EDGESIM_MPI
    if (use_mpi) {
        size_t failed = 0, first_failed = 0;
        free(slot_run);
        if (rank != 0) {
            mpi_worker(&how, sw, outdir);
            rc = SIM_EXIT_OK; /* rank 0 reports for the sweep */
            goto done;
        }
        if (nranks > 1)
            mpi_master(sw, res, nranks, show, &failed, &first_failed);
        else /* alone: every run here, in order */
            for (size_t r = 0; r < nruns && !failed; r++) {
                char dir[4096];
                run_dir(outdir, sw, r, dir, sizeof dir);
                if (child_run(&how, sw, outdir, r, &set) != 0 || read_result(dir, &res[r]) != 0) {
                    failed = 1;
                    first_failed = r;
                }
            }
        if (failed) {
            say_failed(target, sw, failed, first_failed);
            goto done;
        }
        goto tables;
    }
#endif
    double t0 = now_s();
    size_t next = 0, done_runs = 0, running = 0, failed = 0, first_failed = 0;
    if (show)
        progress(0, nruns, t0);
    while (done_runs < nruns) {
        while (next < nruns && running < (size_t)jobs && !failed && !sim_interrupted()) {
            size_t slot = 0;
            while (pids[slot])
                slot++;
            fflush(stdout);
            fflush(stderr);
            pid_t pid = fork();
            if (pid < 0) {
                fprintf(stderr, "edgesim sweep: fork: %s\n", strerror(errno));
                failed++;
                first_failed = next;
                nruns = next; /* nothing more starts; wait for the running ones */
                break;
            }
            if (pid == 0)
                _exit(child_run(&how, sw, outdir, next, &set));
            pids[slot] = pid;
            slot_run[slot] = next++;
            running++;
        }
        if (running == 0)
            break;
        int status;
        pid_t pid = sim_interrupt_wait_child(&status);
        if (pid == 0) { /* Ctrl-C: stop our runs (they stop at the signal too), wait for them */
            for (size_t k = 0; k < (size_t)jobs; k++)
                if (pids[k])
                    kill(pids[k], SIGTERM);
            for (size_t k = 0; k < (size_t)jobs; k++)
                if (pids[k])
                    while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
                        ;
            free(slot_run);
            goto interrupted;
        }
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "edgesim sweep: waitpid: %s\n", strerror(errno));
            break;
        }
        size_t slot = 0;
        while (slot < (size_t)jobs && pids[slot] != pid)
            slot++;
        if (slot == (size_t)jobs)
            continue; /* not one of ours */
        pids[slot] = 0;
        running--;
        done_runs++;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (!failed || slot_run[slot] < first_failed)
                first_failed = slot_run[slot];
            failed++;
        }
        if (show)
            progress(done_runs, sim_sweep_nruns(sw), t0);
    }
    free(slot_run);
    if (failed) {
        say_failed(target, sw, failed, first_failed);
        goto done;
    }
    for (size_t r = 0; r < nruns; r++) {
        char dir[4096];
        run_dir(outdir, sw, r, dir, sizeof dir);
        if (read_result(dir, &res[r]) != 0)
            goto done;
    }
#ifdef EDGESIM_MPI
tables:
#endif
    if (write_runs(outdir, sw, res, idx, &set) != 0 ||
        write_aggregate(outdir, sw, res, idx, &set) != 0)
        goto done;
    if (plots && draw_plots(outdir, sw, res, quiet, &set) != 0)
        goto done;
    if (sim_interrupted())
        goto interrupted;
#ifdef EDGESIM_MPI
    if (use_mpi && rank != 0)
        goto done;
#endif
    if (sim_outset_publish(&set, err, sizeof err) != 0) {
        fprintf(stderr, "edgesim sweep: %s\n", err);
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "%s: %zu runs (%zu scenario(s) x %zu configuration(s) x %u "
                        "replication(s)) -> %s/\n",
                sw->name, nruns, sw->nscenarios, sw->nconfigs, sw->replications, target);
    rc = SIM_EXIT_OK;
    goto done;
interrupted:
    fprintf(stderr, "edgesim sweep: interrupted (signal %d): the unfinished outputs are removed, "
                    "%s is as it was\n", sim_interrupted(), target);
    rc = sim_interrupt_exit_code();
    goto done;
oom:
    fprintf(stderr, "edgesim sweep: out of memory\n");
    rc = SIM_EXIT_FAIL;
done:
#ifdef EDGESIM_MPI
    if (use_mpi)
        MPI_Finalize();
#endif
    free(idx);
    free(pids);
    free(res);
    sim_outset_abort(&set); /* no-op once published */
    free(default_dir);
    free(sets);
    sim_sweep_free(sw);
    return rc;
}
