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
#include "engine/phold.h"
#include "engine/rng.h"
#include "input/workload.h"
#include "net/netbench.h"

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} bench_cmd;

static int bench_phold(int argc, char **argv);
static int bench_rng(int argc, char **argv);
static int bench_azure(int argc, char **argv);
static int bench_net(int argc, char **argv);

static const bench_cmd benches[] = {
    {"phold", bench_phold, "PHOLD on the event engine: events/s and memory"},
    {"rng", bench_rng, "random generators: ns per draw, ns per stream created"},
    {"azure", bench_azure, "Azure 2019 trace: rows/s read, arrivals/s generated"},
    {"net", bench_net, "max-min fair flows on a 20-link tree: flows/CPU-s, ns per start/end"},
};
#define N_BENCHES (sizeof benches / sizeof benches[0])

static void bench_usage(FILE *out)
{
    fprintf(out, "usage: edgesim bench BENCHMARK [OPTIONS]\n\n"
                 "Runs a benchmark and prints its figures (nothing is asserted).\n\n"
                 "benchmarks:\n");
    for (size_t i = 0; i < N_BENCHES; i++)
        fprintf(out, "  %-8s %s\n", benches[i].name, benches[i].summary);
    fprintf(out, "\n'edgesim bench BENCHMARK --help' describes one.\n");
}

int sim_cmd_bench(int argc, char **argv)
{
    if (argc < 2) {
        bench_usage(stderr);
        return SIM_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        bench_usage(stdout);
        return SIM_EXIT_OK;
    }
    for (size_t i = 0; i < N_BENCHES; i++)
        if (!strcmp(argv[1], benches[i].name))
            return benches[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "edgesim bench: unknown benchmark '%s' (see 'edgesim bench --help')\n",
            argv[1]);
    return SIM_EXIT_USAGE;
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

static void phold_usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim bench phold [--lps N] [--population P] [--lookahead T]\n"
            "                           [--mean T] [--end T] [--seed S] [--json] [--quiet]\n\n"
            "PHOLD: N logical processes each start with P events at lookahead + Exp(mean);\n"
            "each event at time t schedules one at t + lookahead + Exp(mean) for a uniformly\n"
            "random LP. Events with time <= end are run. Times are seconds of virtual time\n"
            "(0.1) or durations with a unit (100ms).\n\n"
            "  --lps N         logical processes (default 1024)\n"
            "  --population P  events per LP, so N x P pending (default 16)\n"
            "  --lookahead T   minimum increment (default 0.1)\n"
            "  --mean T        mean of the exponential increment (default 1)\n"
            "  --end T         run events up to this time (default 1000)\n"
            "  --seed S        master seed (default 1); same seed, same event count\n"
            "  --json          one JSON object: events, wall_seconds, events_per_second,\n"
            "                  cpu_seconds, events_per_cpu_second, peak_rss_kb, pending,\n"
            "                  engine_bytes\n"
            "  --quiet         one line of key=value pairs\n\n"
            "wall_seconds and cpu_seconds are the event loop alone (on a machine shared\n"
            "with other work, compare CPU time); peak_rss_kb is the process's peak\n"
            "resident memory (getrusage); engine_bytes the engine's pool and queue.\n");
}

static int bench_phold(int argc, char **argv)
{
    sim_phold_config cfg;
    sim_phold_defaults(&cfg);
    bool json = false, quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            phold_usage(stdout);
            return SIM_EXIT_OK;
        } else if (!strcmp(o, "--json")) {
            json = true;
        } else if (!strcmp(o, "--quiet")) {
            quiet = true;
        } else if (!strcmp(o, "--lps") || !strcmp(o, "--population")) {
            if (!parse_u64(v, &u) || u == 0 || u > UINT32_MAX) {
                fprintf(stderr, "edgesim bench phold: %s: expected a whole number from 1 to "
                                "%" PRIu32 ", found '%s'\n", o, UINT32_MAX, v ? v : "");
                return SIM_EXIT_USAGE;
            }
            *(!strcmp(o, "--lps") ? &cfg.lps : &cfg.population) = (uint32_t)u;
            i++;
        } else if (!strcmp(o, "--seed")) {
            if (!parse_u64(v, &cfg.seed)) {
                fprintf(stderr, "edgesim bench phold: --seed: expected a whole number, "
                                "found '%s'\n", v ? v : "");
                return SIM_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(o, "--lookahead") || !strcmp(o, "--mean") || !strcmp(o, "--end")) {
            edge_time *dst = !strcmp(o, "--lookahead") ? &cfg.lookahead
                             : !strcmp(o, "--mean")    ? &cfg.mean
                                                       : &cfg.end;
            if (!parse_time(v, dst)) {
                fprintf(stderr, "edgesim bench phold: %s: expected seconds (0.1) or a "
                                "duration (100ms), found '%s'\n", o, v ? v : "");
                return SIM_EXIT_USAGE;
            }
            i++;
        } else {
            fprintf(stderr, "edgesim bench phold: unknown option '%s' (see --help)\n", o);
            return SIM_EXIT_USAGE;
        }
    }
    if ((uint64_t)cfg.lps * cfg.population > ((uint64_t)1 << 31)) {
        fprintf(stderr, "edgesim bench phold: --lps x --population: expected at most 2^31 "
                        "pending events, found %" PRIu64 "\n",
                (uint64_t)cfg.lps * cfg.population);
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

static void rng_usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim bench rng [--draws N]\n\n"
            "Times N uniform draws (default 20000000) with each candidate generator\n"
            "through GSL's gsl_rng_uniform, and with sim_rng's inline draw; then the\n"
            "cost of deriving a named stream with the built-in mixer and, for\n"
            "comparison, with SHA-256 (OpenSSL).\n");
}

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
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            rng_usage(stdout);
            return SIM_EXIT_OK;
        } else if (!strcmp(argv[i], "--draws") && i + 1 < argc && parse_u64(argv[i + 1], &n)
                   && n > 0) {
            i++;
        } else {
            fprintf(stderr, "edgesim bench rng: bad option '%s' (see --help)\n", argv[i]);
            return SIM_EXIT_USAGE;
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

static void azure_usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim bench azure INVOCATIONS [DURATIONS [MEMORY]]\n"
            "                           [--placement uniform|even|poisson] [--scale S] [--quiet]\n\n"
            "Reads an Azure Functions 2019 trace day as a trace workload does, then generates\n"
            "every function's arrivals, one function after the other, without a world: the\n"
            "share of a replay that is the trace's own (docs/traces.md).\n\n"
            "  --placement P  where a minute's invocations go (default uniform)\n"
            "  --scale S      rate factor > 0 (default 1)\n"
            "  --quiet        one line of key=value pairs\n\n"
            "Prints rows, functions, load_seconds, rows_per_second, invocations,\n"
            "gen_seconds, invocations_per_second and peak_rss_kb.\n");
}

static int bench_azure(int argc, char **argv)
{
    const char *files[3] = {NULL, NULL, NULL};
    size_t nfiles = 0;
    sim_placement placement = SIM_PLACE_UNIFORM;
    double scale = 1;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            azure_usage(stdout);
            return SIM_EXIT_OK;
        } else if (!strcmp(a, "--quiet")) {
            quiet = true;
        } else if (!strcmp(a, "--placement") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "uniform"))
                placement = SIM_PLACE_UNIFORM;
            else if (!strcmp(v, "even"))
                placement = SIM_PLACE_EVEN;
            else if (!strcmp(v, "poisson"))
                placement = SIM_PLACE_POISSON;
            else {
                fprintf(stderr, "edgesim bench azure: --placement: expected uniform, even or "
                                "poisson, found '%s'\n", v);
                return SIM_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--scale") && i + 1 < argc) {
            char *end;
            scale = strtod(argv[++i], &end);
            if (*end || !(scale > 0) || scale > 1e6) {
                fprintf(stderr, "edgesim bench azure: --scale: expected a number above 0, "
                                "found '%s'\n", argv[i]);
                return SIM_EXIT_USAGE;
            }
        } else if (a[0] != '-' && nfiles < 3) {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "edgesim bench azure: unknown or incomplete option '%s'\n", a);
            azure_usage(stderr);
            return SIM_EXIT_USAGE;
        }
    }
    if (nfiles == 0) {
        azure_usage(stderr);
        return SIM_EXIT_USAGE;
    }
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

static void net_usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim bench net [--slots N] [--flows N] [--leaves N] [--seed S]\n"
            "                         [--finish FILE] [--list FILE] [--quiet]\n\n"
            "Flows on a tree of 16 leaf links (1 Gbit/s) under 4 aggregation links (4 Gbit/s),\n"
            "shared by max-min fairness (sim/net/fairshare.h) with their finish events on the\n"
            "engine; N closed loops keep N flows in flight (sim/net/netbench.h).\n\n"
            "  --slots N    flows in flight (default 100)\n"
            "  --flows N    flows to complete (default 200000)\n"
            "  --leaves N   leaf links (hosts), in groups of 4 (default 16)\n"
            "  --finish F   write \"flow,finish_s\" per flow to F (for the SimGrid comparison)\n"
            "  --list F     write the flow list \"flow,src,dst,bytes\" to F\n"
            "  --quiet      one line of key=value pairs\n\n"
            "Prints flows, events, cpu_seconds, flows_per_cpu_second, ns_per_flow_event (CPU ns\n"
            "per flow start or end), reschedules_per_flow and peak_rss_kb.\n");
}

static int bench_net(int argc, char **argv)
{
    sim_netbench_config c;
    sim_netbench_defaults(&c);
    bool quiet = false;
    const char *finish = NULL, *list = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        uint64_t v;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            net_usage(stdout);
            return 0;
        } else if (!strcmp(o, "--quiet")) {
            quiet = true;
        } else if ((!strcmp(o, "--slots") || !strcmp(o, "--flows") || !strcmp(o, "--leaves") ||
                    !strcmp(o, "--seed")) && i + 1 < argc) {
            if (!parse_u64(argv[++i], &v) || (strcmp(o, "--seed") && (v == 0 || v > UINT32_MAX))) {
                fprintf(stderr, "edgesim bench net: %s: expected a whole number from 1 to "
                                "4294967295, found '%s'\n", o, argv[i]);
                return SIM_EXIT_USAGE;
            }
            if (!strcmp(o, "--slots"))
                c.slots = (uint32_t)v;
            else if (!strcmp(o, "--flows"))
                c.flows = v;
            else if (!strcmp(o, "--leaves"))
                c.leaves = (uint32_t)v;
            else
                c.seed = v;
        } else if (!strcmp(o, "--finish") && i + 1 < argc) {
            finish = argv[++i];
        } else if (!strcmp(o, "--list") && i + 1 < argc) {
            list = argv[++i];
        } else {
            fprintf(stderr, "edgesim bench net: unknown option '%s' (see --help)\n", o);
            return SIM_EXIT_USAGE;
        }
    }
    if (c.leaves < 2) {
        fprintf(stderr, "edgesim bench net: --leaves: expected at least 2\n");
        return SIM_EXIT_USAGE;
    }
    FILE *ff = finish ? fopen(finish, "w") : NULL, *lf = list ? fopen(list, "w") : NULL;
    if ((finish && !ff) || (list && !lf)) {
        fprintf(stderr, "edgesim bench net: cannot write %s: %s\n", finish && !ff ? finish : list,
                strerror(errno));
        if (ff)
            fclose(ff);
        if (lf)
            fclose(lf);
        return SIM_EXIT_FAIL;
    }
    c.finish_out = ff;
    c.list_out = lf;
    sim_rng_init();
    sim_netbench_result r;
    edge_err rc = sim_netbench_run(&c, &r);
    int bad = (ff && fclose(ff) != 0) | (lf && fclose(lf) != 0);
    if (rc != EDGE_OK || bad) {
        fprintf(stderr, "edgesim bench net: %s\n", rc != EDGE_OK ? edge_strerror(rc)
                                                                 : "cannot write an output file");
        return SIM_EXIT_FAIL;
    }
    double fps = r.cpu_seconds > 0 ? (double)r.flows / r.cpu_seconds : 0;
    double ns = r.flows ? 1e9 * r.cpu_seconds / (2.0 * (double)r.flows) : 0;
    double resched = r.flows ? (double)r.reschedules / (double)r.flows : 0;
    if (quiet)
        printf("flows=%" PRIu64 " slots=%u events=%" PRIu64 " cpu_seconds=%.3f "
               "flows_per_cpu_second=%.0f ns_per_flow_event=%.0f reschedules_per_flow=%.2f "
               "peak_rss_kb=%ld\n",
               r.flows, c.slots, r.events, r.cpu_seconds, fps, ns, resched, peak_rss_kb());
    else
        printf("net: %" PRIu64 " flows, %u in flight, %" PRIu64 " events in %.3f CPU s: "
               "%.0f flows/CPU-s, %.0f ns per flow start or end, %.2f reschedules per flow\n",
               r.flows, c.slots, r.events, r.cpu_seconds, fps, ns, resched);
    return 0;
}
