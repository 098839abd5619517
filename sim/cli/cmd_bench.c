/*
 * cmd_bench.c — `edgesim bench SUBCOMMAND`: benchmarks that print figures
 * and assert nothing. Each subcommand is one row of the table below (name,
 * function, one-line summary); add a row to add one.
 *
 *   phold  the PHOLD model on the engine: events/s through the real API
 *   rng    draw cost of GSL generators and creation cost of named streams
 *   azure  the Azure 2019 reader and arrival generator alone, without a world
 *   net    flows on a tree shared by max-min fairness (sim/net/netbench.h)
 */
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "input/azure.h"
#include "cli/cli.h"
#include "common/suggest.h"
#include "engine/engine.h"
#include "engine/phold.h"
#include "engine/rng.h"
#include "input/workload.h"
#include "net/netbench.h"
#include "output/outfile.h"

static int bench_phold(int argc, char **argv);
static int bench_rng(int argc, char **argv);
static int bench_azure(int argc, char **argv);

static int bench_net(int argc, char **argv);

/* Most events `bench phold` takes on: about an hour at 10^7 a second. */
#define PHOLD_MAX_EVENTS 1e11
static const sim_cmd phold_cmd, rng_cmd, azure_cmd, net_cmd;

/* One row per benchmark: its command line (name, summary, options) and its
 * function, in the order `bench --help` lists them. */
static const struct {
    const sim_cmd *cmd;
    int (*fn)(int argc, char **argv);
} benches[] = {
    {&phold_cmd, bench_phold},
    {&rng_cmd, bench_rng},
    {&azure_cmd, bench_azure},
    {&net_cmd, bench_net},
};
#define N_BENCHES (sizeof benches / sizeof benches[0])

const sim_cmd *const sim_bench_cmds[] = {&phold_cmd, &rng_cmd, &azure_cmd, &net_cmd, NULL};

static void bench_list(FILE *out)
{
    fputs("benchmarks:\n", out);
    for (size_t i = 0; i < N_BENCHES; i++)
        fprintf(out, "  %-8s %s\n", benches[i].cmd->name + 6, benches[i].cmd->about);
    fputs("\n'edgesim bench BENCHMARK --help' describes one.\n", out);
}

static const sim_opt no_opts[] = {{0, 0, NULL, NULL, 0, NULL}};

const sim_cmd sim_bench_cmd = {
    .name = "bench",
    .operands = "BENCHMARK [OPTIONS]",
    .about = "run a benchmark (phold, rng, azure, net) and print its figures",
    .intro = "Runs a benchmark and prints its figures (nothing is asserted).\n",
    .opts = no_opts,
    .extra = bench_list,
};

int sim_cmd_bench(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--")) { /* the end of options: a BENCHMARK follows */
        argc--;
        argv++;
    } else if (argc >= 2 && argv[1][0] == '-' && argv[1][1] != '\0') {
        sim_opts p;
        sim_opts_init(&p, &sim_bench_cmd, 2, argv);
        int id = sim_opts_next(&p);
        return id == SIM_OPTS_HELP ? SIM_EXIT_OK : SIM_EXIT_USAGE;
    }
    if (argc < 2)
        return sim_cmd_fail(&sim_bench_cmd, "expected a BENCHMARK: phold, rng, azure or net "
                                            "(see 'edgesim bench --help')");
    const char *names[N_BENCHES + 1];
    for (size_t i = 0; i < N_BENCHES; i++) {
        names[i] = benches[i].cmd->name + 6; /* after "bench " */
        if (!strcmp(argv[1], names[i]))
            return benches[i].fn(argc - 1, argv + 1);
    }
    names[N_BENCHES] = NULL;
    const char *sug = sim_suggest(argv[1], names);
    if (sug)
        return sim_cmd_fail(&sim_bench_cmd, "unknown benchmark '%s' (did you mean '%s'?)",
                            argv[1], sug);
    return sim_cmd_fail(&sim_bench_cmd, "unknown benchmark '%s' (see 'edgesim bench --help')",
                        argv[1]);
}

/* ---- option parsing shared by the benchmarks ---- */

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* A time: a duration with a unit ("250ms"), or a plain number of seconds
 * (the benchmark convention: --lookahead 0.1). Non-negative. */
static bool parse_time(const char *s, edge_time *out)
{
    if (!s || !*s)
        return false;
    if (edge_duration_parse(s, out) == EDGE_OK)
        return *out >= 0;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !(v >= 0) || v > 9.2e9)
        return false;
    *out = edge_time_from_s(v);
    return true;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- phold ---- */

enum { PH_LPS = 1, PH_POPULATION, PH_LOOKAHEAD, PH_MEAN, PH_END, PH_SEED, PH_JSON, PH_QUIET };

static const sim_opt phold_opts[] = {
    {PH_LPS, 0, "lps", "N", 0, "logical processes (default 1024)"},
    {PH_POPULATION, 0, "population", "P", 0, "events per LP, so N x P pending (default 16)"},
    {PH_LOOKAHEAD, 0, "lookahead", "T", 0, "minimum increment (default 0.1)"},
    {PH_MEAN, 0, "mean", "T", 0, "mean of the exponential increment (default 1)"},
    {PH_END, 0, "end", "T", 0, "run events up to this time (default 1000)"},
    {PH_SEED, 0, "seed", "S", 0, "master seed (default 1); same seed, same event count"},
    {PH_JSON, 0, "json", NULL, 0,
     "one JSON object: events, wall_seconds, events_per_second, cpu_seconds, "
     "events_per_cpu_second, peak_rss_kb, pending, engine_bytes"},
    {PH_QUIET, 0, "quiet", NULL, 0, "one line of key=value pairs"},
    {0, 0, NULL, NULL, 0, NULL},
};

static const sim_cmd phold_cmd = {
    .name = "bench phold",
    .about = "PHOLD on the event engine: events/s and memory",
    .intro = "PHOLD: N logical processes each start with P events at lookahead + Exp(mean);\n"
             "each event at time t schedules one at t + lookahead + Exp(mean) for a uniformly\n"
             "random LP. Events with time <= end are run. Times are seconds of virtual time\n"
             "(0.1) or durations with a unit (100ms).\n",
    .opts = phold_opts,
    .outro = "wall_seconds and cpu_seconds are the event loop alone (on a machine shared\n"
             "with other work, compare CPU time); peak_rss_kb is the process's peak\n"
             "resident memory (getrusage); engine_bytes the engine's pool and queue.\n",
};

static int bench_phold(int argc, char **argv)
{
    sim_phold_config cfg;
    sim_phold_defaults(&cfg);
    bool json = false, quiet = false;
    sim_opts p;
    sim_opts_init(&p, &phold_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        const char *o = p.opt, *v = p.arg;
        uint64_t u;
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case SIM_OPTS_OPERAND:
            return sim_cmd_fail(&phold_cmd, "expected options only, found '%s'", v);
        case PH_JSON: json = true; break;
        case PH_QUIET: quiet = true; break;
        case PH_LPS:
        case PH_POPULATION:
            if (!parse_u64(v, &u) || u == 0 || u > UINT32_MAX)
                return sim_cmd_fail(&phold_cmd, "%s: expected a whole number from 1 to "
                                    "%" PRIu32 ", found '%s'", o, UINT32_MAX, v);
            *(id == PH_LPS ? &cfg.lps : &cfg.population) = (uint32_t)u;
            break;
        case PH_SEED:
            if (!parse_u64(v, &cfg.seed))
                return sim_cmd_fail(&phold_cmd, "--seed: expected a whole number, found '%s'", v);
            break;
        case PH_LOOKAHEAD:
        case PH_MEAN:
        case PH_END: {
            edge_time *dst = id == PH_LOOKAHEAD ? &cfg.lookahead : id == PH_MEAN ? &cfg.mean
                                                                               : &cfg.end;
            if (!parse_time(v, dst))
                return sim_cmd_fail(&phold_cmd, "%s: expected seconds (0.1) or a duration "
                                    "(100ms), found '%s'", o, v);
            break;
        }
        }
    }
    if ((uint64_t)cfg.lps * cfg.population > SIM_ENGINE_MAX_PENDING) {
        fprintf(stderr, "edgesim bench phold: --lps x --population: expected at most 2^27 "
                        "pending events, found %" PRIu64 "\n",
                (uint64_t)cfg.lps * cfg.population);
        return SIM_EXIT_USAGE;
    }
    /* Each pending event comes back about end / (lookahead + mean) times:
     * with both 0 the clock never moves and the run never ends, and a tiny
     * sum is a run of days. */
    double step = (double)cfg.lookahead + (double)cfg.mean;
    if (!(step > 0)) {
        fprintf(stderr, "edgesim bench phold: --lookahead, --mean: expected one above 0, found "
                        "both 0 (the clock would never move)\n");
        return SIM_EXIT_USAGE;
    }
    double expect = (double)cfg.lps * cfg.population * ((double)cfg.end / step);
    if (expect > PHOLD_MAX_EVENTS) {
        fprintf(stderr, "edgesim bench phold: --lookahead, --mean, --end: expected at most %.0e "
                        "events (pending x end / (lookahead + mean)), found about %.3g: a later "
                        "--lookahead or --mean, or an earlier --end\n",
                PHOLD_MAX_EVENTS, expect);
        return SIM_EXIT_USAGE;
    }
    sim_rng_init();
    sim_phold_result r = {0};
    edge_err err = sim_phold_run(&cfg, &r);
    if (err != EDGE_OK) {
        fprintf(stderr, "edgesim bench phold: %s\n", edge_strerror(err));
        return err == EDGE_INVAL ? SIM_EXIT_USAGE : SIM_EXIT_FAIL;
    }
    double eps = r.wall_seconds > 0 ? (double)r.events / r.wall_seconds : 0;
    double ecps = r.cpu_seconds > 0 ? (double)r.events / r.cpu_seconds : 0;
    long rss = peak_rss_kb();
    if (json) {
        printf("{\"events\": %" PRIu64 ", \"wall_seconds\": %.6f, \"events_per_second\": %.0f, "
               "\"cpu_seconds\": %.6f, \"events_per_cpu_second\": %.0f, "
               "\"peak_rss_kb\": %ld, \"pending\": %zu, \"engine_bytes\": %zu}\n",
               r.events, r.wall_seconds, eps, r.cpu_seconds, ecps, rss, r.pending, r.engine_bytes);
    } else if (quiet) {
        printf("events=%" PRIu64 " wall_seconds=%.6f events_per_second=%.0f cpu_seconds=%.6f "
               "events_per_cpu_second=%.0f peak_rss_kb=%ld pending=%zu engine_bytes=%zu\n",
               r.events, r.wall_seconds, eps, r.cpu_seconds, ecps, rss, r.pending, r.engine_bytes);
    } else {
        char la[32], mean[32], end[32];
        edge_duration_format(la, sizeof la, cfg.lookahead);
        edge_duration_format(mean, sizeof mean, cfg.mean);
        edge_duration_format(end, sizeof end, cfg.end);
        printf("phold: %" PRIu32 " LPs x %" PRIu32 " = %zu pending, lookahead %s, mean %s, "
               "end %s, seed %" PRIu64 "\n",
               cfg.lps, cfg.population, r.pending, la, mean, end, cfg.seed);
        printf("  events             %" PRIu64 "\n", r.events);
        printf("  wall_seconds       %.4f\n", r.wall_seconds);
        printf("  events_per_second  %.0f\n", eps);
        printf("  cpu_seconds        %.4f\n", r.cpu_seconds);
        printf("  events_per_cpu_s   %.0f\n", ecps);
        printf("  ns_per_event       %.2f\n", r.events ? r.wall_seconds * 1e9 / (double)r.events : 0);
        printf("  peak_rss_kb        %ld\n", rss);
        printf("  engine_bytes       %zu (%.1f per pending event)\n", r.engine_bytes,
               (double)r.engine_bytes / (double)r.pending);
    }
    return SIM_EXIT_OK;
}

/* ---- rng ---- */

enum { RNG_DRAWS = 1 };

static const sim_opt rng_opts[] = {
    {RNG_DRAWS, 0, "draws", "N", 0, "uniform draws per generator, at most 1e11 (default 20000000)"},
    {0, 0, NULL, NULL, 0, NULL},
};

static const sim_cmd rng_cmd = {
    .name = "bench rng",
    .about = "random generators: ns per draw, ns per stream created",
    .intro = "Times N uniform draws (default 20000000) with each candidate generator\n"
             "through GSL's gsl_rng_uniform, and with sim_rng's inline draw; then the\n"
             "cost of deriving a named stream with the built-in mixer and, for\n"
             "comparison, with SHA-256 (OpenSSL).\n",
    .opts = rng_opts,
};

/* Keeps a result alive so the timed loop is not optimized away. */
static void keep(double v)
{
    volatile double sink = v;
    (void)sink;
}

static double time_gsl(const gsl_rng_type *T, uint64_t n)
{
    gsl_rng *g = gsl_rng_alloc(T);
    if (!g)
        return -1;
    gsl_rng_set(g, 42);
    double acc = 0, t0 = wall_now();
    for (uint64_t i = 0; i < n; i++)
        acc += gsl_rng_uniform(g);
    double dt = wall_now() - t0;
    keep(acc);
    gsl_rng_free(g);
    return dt * 1e9 / (double)n;
}

static int bench_rng(int argc, char **argv)
{
    uint64_t n = 20000000;
    sim_opts p;
    sim_opts_init(&p, &rng_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case SIM_OPTS_OPERAND:
            return sim_cmd_fail(&rng_cmd, "expected options only, found '%s'", p.arg);
        case RNG_DRAWS:
            /* at most 1e11: minutes per generator, where 2^64 ran for ever */
            if (!parse_u64(p.arg, &n) || n == 0 || n > 100000000000ull)
                return sim_cmd_fail(&rng_cmd, "--draws: expected a whole number from 1 to "
                                    "100000000000, found '%s'", p.arg);
            break;
        }
    }
    sim_rng_init();
    const gsl_rng_type *types[] = {sim_rng_xoshiro256ss, gsl_rng_mt19937, gsl_rng_taus2,
                                   gsl_rng_gfsr4, gsl_rng_ranlxs0, gsl_rng_ranlxd1};
    printf("uniform double, ns per draw (%" PRIu64 " draws):\n", n);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        uint64_t m = types[i] == gsl_rng_ranlxd1 ? n / 10 : n; /* luxury is slow */
        printf("  %-22s %6.2f  (gsl_rng_uniform)\n", types[i]->name,
               time_gsl(types[i], m));
    }
    sim_rng *r = sim_rng_create(42, "bench", 0);
    if (!r)
        return SIM_EXIT_FAIL;
    double acc = 0, t0 = wall_now();
    for (uint64_t i = 0; i < n; i++)
        acc += sim_rng_uniform(r);
    double dt = wall_now() - t0;
    printf("  %-22s %6.2f  (sim_rng_uniform, inline)\n", "xoshiro256**", dt * 1e9 / (double)n);
    t0 = wall_now();
    for (uint64_t i = 0; i < n / 4; i++)
        acc += (double)sim_rng_exp_ns(r, 1e9);
    dt = wall_now() - t0;
    printf("  %-22s %6.2f  (sim_rng_exp_ns, inline)\n", "xoshiro256**", dt * 1e9 / (double)(n / 4));
    t0 = wall_now();
    for (uint64_t i = 0; i < n / 4; i++)
        acc += gsl_ran_exponential(sim_rng_gsl(r), 1.0);
    dt = wall_now() - t0;
    printf("  %-22s %6.2f  (gsl_ran_exponential)\n", "xoshiro256**", dt * 1e9 / (double)(n / 4));
    keep(acc);
    sim_rng_destroy(r);

    uint64_t streams = 1000000, x = 0;
    sim_rng s;
    t0 = wall_now();
    for (uint64_t i = 0; i < streams; i++) {
        sim_rng_derive(&s, 42, "exec_time", i);
        x ^= s.s[0];
    }
    dt = wall_now() - t0;
    printf("stream creation, ns per stream:\n  %-22s %6.1f\n", "mixer (sim_rng_derive)",
           dt * 1e9 / (double)streams);
    t0 = wall_now();
    for (uint64_t i = 0; i < streams / 10; i++) {
        unsigned char in[64], md[EVP_MAX_MD_SIZE];
        unsigned mdlen = 0;
        int len = snprintf((char *)in, sizeof in, "%d|exec_time|%" PRIu64, 42, i);
        if (!EVP_Digest(in, (size_t)len, md, &mdlen, EVP_sha256(), NULL))
            return SIM_EXIT_FAIL;
        x ^= md[0];
    }
    dt = wall_now() - t0;
    printf("  %-22s %6.1f  (for comparison; not used)\n", "SHA-256 (OpenSSL)",
           dt * 1e9 / (double)(streams / 10));
    keep((double)x);
    return SIM_EXIT_OK;
}

/* ---- azure ---- */

enum { AZ_PLACEMENT = 1, AZ_SCALE, AZ_QUIET };

static const sim_opt azure_opts[] = {
    {AZ_PLACEMENT, 0, "placement", "uniform|even|poisson", 0,
     "where a minute's invocations go (default uniform)"},
    {AZ_SCALE, 0, "scale", "S", 0, "rate factor > 0, at most 1e6 (default 1)"},
    {AZ_QUIET, 0, "quiet", NULL, 0, "one line of key=value pairs"},
    {0, 0, NULL, NULL, 0, NULL},
};

static const sim_cmd azure_cmd = {
    .name = "bench azure",
    .operands = "INVOCATIONS [DURATIONS [MEMORY]]",
    .about = "Azure 2019 trace: rows/s read, arrivals/s generated",
    .intro = "Reads an Azure Functions 2019 trace day as a trace workload does, then generates\n"
             "every function's arrivals, one function after the other, without a world: the\n"
             "share of a replay that is the trace's own (docs/traces.md).\n",
    .opts = azure_opts,
    .outro = "Prints rows, functions, load_seconds, rows_per_second, invocations,\n"
             "gen_seconds, invocations_per_second and peak_rss_kb.\n",
};

static int bench_azure(int argc, char **argv)
{
    const char *files[3] = {NULL, NULL, NULL};
    size_t nfiles = 0;
    sim_placement placement = SIM_PLACE_UNIFORM;
    double scale = 1;
    bool quiet = false;
    sim_opts p;
    sim_opts_init(&p, &azure_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        const char *v = p.arg;
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case AZ_QUIET: quiet = true; break;
        case AZ_PLACEMENT:
            if (!strcmp(v, "uniform"))
                placement = SIM_PLACE_UNIFORM;
            else if (!strcmp(v, "even"))
                placement = SIM_PLACE_EVEN;
            else if (!strcmp(v, "poisson"))
                placement = SIM_PLACE_POISSON;
            else
                return sim_cmd_fail(&azure_cmd, "--placement: expected uniform, even or "
                                    "poisson, found '%s'", v);
            break;
        case AZ_SCALE: {
            char *end;
            scale = strtod(v, &end);
            if (end == v || *end || !(scale > 0) || scale > 1e6)
                return sim_cmd_fail(&azure_cmd, "--scale: expected a number above 0, at most "
                                    "1000000, found '%s'", v);
            break;
        }
        case SIM_OPTS_OPERAND:
            if (nfiles == 3)
                return sim_cmd_fail(&azure_cmd, "expected at most 3 files, found a fourth: '%s'",
                                    v);
            files[nfiles++] = v;
            break;
        }
    }
    if (nfiles == 0)
        return sim_cmd_fail(&azure_cmd, "expected an INVOCATIONS file (see 'edgesim bench "
                                        "azure --help')");
    sim_rng_init();
    sim_az_options o = {.invocations = files, .ninvocations = 1,
                        .durations = files + 1, .ndurations = nfiles > 1,
                        .memory = files + 2, .nmemory = nfiles > 2, .seed = 1};
    sim_az_trace t;
    char err[512];
    double t0 = wall_now();
    if (sim_az2019_read(&o, &t, err, sizeof err) != 0) {
        fprintf(stderr, "edgesim bench azure: %s\n", err);
        return SIM_EXIT_USAGE; /* bad input, as for a scenario */
    }
    double t1 = wall_now();
    uint64_t n = 0;
    for (size_t i = 0; i < t.n; i++) {
        sim_workload_spec w;
        memset(&w, 0, sizeof w);
        w.kind = SIM_ARRIVAL_MINUTES;
        w.minutes = t.fns[i].minutes;
        w.nminutes = t.fns[i].nminutes;
        w.total = t.fns[i].total;
        w.placement = placement;
        w.scale = scale;
        w.stream = t.fns[i].key;
        sim_arrivals a;
        if (sim_arrivals_init(&a, &w, 1, i, EDGE_TIME_MAX - 1) != EDGE_OK)
            break;
        while (a.next != EDGE_TIME_MAX) {
            n++;
            sim_arrivals_advance(&a);
        }
    }
    double t2 = wall_now();
    double load = t1 - t0, gen = t2 - t1;
    if (quiet)
        printf("rows=%" PRIu64 " functions=%zu load_seconds=%.3f rows_per_second=%.0f "
               "invocations=%" PRIu64 " gen_seconds=%.3f invocations_per_second=%.0f "
               "peak_rss_kb=%ld\n",
               t.rows, t.n, load, load > 0 ? (double)t.rows / load : 0.0, n, gen,
               gen > 0 ? (double)n / gen : 0.0, peak_rss_kb());
    else
        printf("rows                     %" PRIu64 "\nfunctions                %zu\n"
               "load_seconds             %.3f\nrows_per_second          %.0f\n"
               "invocations              %" PRIu64 "\ngen_seconds              %.3f\n"
               "invocations_per_second   %.0f\npeak_rss_kb              %ld\n",
               t.rows, t.n, load, load > 0 ? (double)t.rows / load : 0.0, n, gen,
               gen > 0 ? (double)n / gen : 0.0, peak_rss_kb());
    sim_az_trace_free(&t);
    return SIM_EXIT_OK;
}

/* ---- net ---- */

enum { NET_SLOTS = 1, NET_FLOWS, NET_LEAVES, NET_SEED, NET_OPEN, NET_FINISH, NET_LIST, NET_QUIET };

static const sim_opt net_opts[] = {
    {NET_SLOTS, 0, "slots", "N", 0, "flows in flight (default 100)"},
    {NET_FLOWS, 0, "flows", "N", 0, "flows to complete (default 200000)"},
    {NET_LEAVES, 0, "leaves", "N", 0, "leaf links (hosts), in groups of 4 (default 16)"},
    {NET_SEED, 0, "seed", "S", 0, "master seed"},
    {NET_OPEN, 0, "open", "LOAD", 0,
     "open arrivals instead of loops: Poisson starts loading each leaf to LOAD (0 to 1)"},
    {NET_FINISH, 0, "finish", "FILE", 0,
     "write \"flow,finish_s\" per flow to FILE, after the timed run (for the SimGrid comparison); "
     "FILE is new or an earlier finish list: any other file is refused"},
    {NET_LIST, 0, "list", "FILE", 0,
     "write the flow list \"flow,src,dst,bytes[,start_s]\" to FILE; FILE is new or an "
     "earlier flow list: any other file is refused"},
    {NET_QUIET, 0, "quiet", NULL, 0, "one line of key=value pairs"},
    {0, 0, NULL, NULL, 0, NULL},
};

static const sim_cmd net_cmd = {
    .name = "bench net",
    .about = "max-min fair flows on a 20-link tree: flows/CPU-s, ns per start/end",
    .intro = "Flows on a tree of 16 leaf links (1 Gbit/s) under 4 aggregation links (4 Gbit/s),\n"
             "shared by max-min fairness (sim/net/fairshare.h) with their finish events on the\n"
             "engine; N closed loops keep N flows in flight, or with --open each flow starts at\n"
             "a fixed time (sim/net/netbench.h).\n",
    .opts = net_opts,
    .outro = "Prints flows, in_flight (the time average with --open), events, cpu_seconds,\n"
             "flows_per_cpu_second, ns_per_flow_event (CPU ns per flow start or end),\n"
             "reschedules_per_flow, fast_path (the share of the solver's recomputations\n"
             "its fast paths skipped) and peak_rss_kb.\n",
};

/* The first line of a flow list (netbench.h: "i,src,dst,bytes" or with a
 * start time) or of a finish list ("flow,time"): digits, points and
 * commas, with `commas` of them (sim_cli_may_replace). */
static int csv_line_of(const char *head, size_t n, int commas_lo, int commas_hi)
{
    int commas = 0;
    size_t i = 0;
    for (; i < n && head[i] != '\n'; i++) {
        char ch = head[i];
        if (ch == ',')
            commas++;
        else if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == '-' || ch == '+'))
            return 0;
    }
    return i > 0 && i < n && commas >= commas_lo && commas <= commas_hi;
}

static int is_flow_list(const char *head, size_t n)
{
    return csv_line_of(head, n, 3, 4);
}

static int is_finish_list(const char *head, size_t n)
{
    return csv_line_of(head, n, 1, 1);
}

static int bench_net(int argc, char **argv)
{
    sim_netbench_config c;
    sim_netbench_defaults(&c);
    bool quiet = false;
    const char *finish = NULL, *list = NULL;
    sim_opts p;
    sim_opts_init(&p, &net_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        uint64_t v;
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case SIM_OPTS_OPERAND:
            return sim_cmd_fail(&net_cmd, "expected options only, found '%s'", p.arg);
        case NET_QUIET: quiet = true; break;
        case NET_SLOTS:
        case NET_FLOWS:
        case NET_LEAVES:
        case NET_SEED:
            if (!parse_u64(p.arg, &v) || (id != NET_SEED && (v == 0 || v > UINT32_MAX)))
                return sim_cmd_fail(&net_cmd, "%s: expected a whole number from 1 to "
                                    "4294967295, found '%s'", p.opt, p.arg);
            if (id == NET_SLOTS)
                c.slots = (uint32_t)v;
            else if (id == NET_FLOWS)
                c.flows = v;
            else if (id == NET_LEAVES)
                c.leaves = (uint32_t)v;
            else
                c.seed = v;
            break;
        case NET_OPEN: {
            char *end;
            double x = strtod(p.arg, &end);
            if (end == p.arg || *end || !(x > 0 && x < 1))
                return sim_cmd_fail(&net_cmd, "%s: expected a load above 0 and below 1, "
                                    "found '%s'", p.opt, p.arg);
            c.open_load = x;
            break;
        }
        case NET_FINISH: finish = p.arg; break;
        case NET_LIST: list = p.arg; break;
        }
    }
    if (c.leaves < 2) {
        fprintf(stderr, "edgesim bench net: --leaves: expected at least 2\n");
        return SIM_EXIT_USAGE;
    }
    /* each replaces only a new file or an earlier one of its kind */
    if ((finish && sim_cli_may_replace("bench net", "--finish", finish, "finish list",
                                       is_finish_list) != 0) ||
        (list && sim_cli_may_replace("bench net", "--list", list, "flow list", is_flow_list) != 0))
        return SIM_EXIT_FAIL;
    /* --finish and --list are whole or absent (sim_outfile): a failed or
     * interrupted benchmark leaves no half-written list behind */
    sim_outfile ff = {0}, lf = {0};
    const char *bad_path = NULL;
    if (finish && sim_outfile_open(&ff, finish) != 0)
        bad_path = finish;
    else if (list && sim_outfile_open(&lf, list) != 0)
        bad_path = list;
    if (bad_path) {
        fprintf(stderr, "edgesim bench net: %s: cannot write: %s\n", bad_path, strerror(errno));
        sim_outfile_abort(&ff);
        return SIM_EXIT_FAIL;
    }
    c.finish_out = ff.fp;
    c.list_out = lf.fp;
    sim_rng_init();
    sim_netbench_result r;
    edge_err rc = sim_netbench_run(&c, &r);
    if (rc != EDGE_OK) {
        sim_outfile_abort(&ff);
        sim_outfile_abort(&lf);
        fprintf(stderr, "edgesim bench net: %s\n", edge_strerror(rc));
        return SIM_EXIT_FAIL;
    }
    if (finish && sim_outfile_commit(&ff) != 0) {
        int e = errno;
        sim_outfile_abort(&lf);
        fprintf(stderr, "edgesim bench net: %s: cannot write: %s\n", finish, strerror(e));
        return SIM_EXIT_FAIL;
    }
    if (list && sim_outfile_commit(&lf) != 0) {
        fprintf(stderr, "edgesim bench net: %s: cannot write: %s\n", list, strerror(errno));
        return SIM_EXIT_FAIL;
    }
    double fps = r.cpu_seconds > 0 ? (double)r.flows / r.cpu_seconds : 0;
    double ns = r.flows ? 1e9 * r.cpu_seconds / (2.0 * (double)r.flows) : 0;
    double resched = r.flows ? (double)r.reschedules / (double)r.flows : 0;
    uint64_t flushes = r.recomputes + r.fast;
    double fast = flushes ? (double)r.fast / (double)flushes : 0;
    if (quiet)
        printf("flows=%" PRIu64 " in_flight=%.1f events=%" PRIu64 " cpu_seconds=%.3f "
               "flows_per_cpu_second=%.0f ns_per_flow_event=%.0f reschedules_per_flow=%.2f "
               "fast_path=%.3f peak_rss_kb=%ld\n",
               r.flows, r.mean_in_flight, r.events, r.cpu_seconds, fps, ns, resched, fast,
               peak_rss_kb());
    else
        printf("net: %" PRIu64 " flows, %.1f in flight%s, %" PRIu64 " events in %.3f CPU s: "
               "%.0f flows/CPU-s, %.0f ns per flow start or end, %.2f reschedules per flow, "
               "%.0f%% of the recomputations skipped by the fast paths\n",
               r.flows, r.mean_in_flight, c.open_load > 0 ? " on average" : "", r.events,
               r.cpu_seconds, fps, ns, resched, 100 * fast);
    return 0;
}
