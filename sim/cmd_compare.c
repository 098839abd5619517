/*
 * cmd_compare.c — `edgesim compare BASELINE CANDIDATE`: did a change make
 * things worse?
 *
 * Two run directories are compared metric by metric from their summary.json.
 * Each metric has a direction (lower or higher is better) and a tolerance; a
 * change worse than its tolerance is a regression. Paired comparison of
 * sweeps with confidence intervals is the sweep harness's job; between two
 * single runs the tolerance is all there is, so run both on the same seed
 * (common random numbers) to compare like with like.
 */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonget.h"

typedef struct metric {
    const char *name;   /* as given to --metric */
    const char *path;   /* dotted path in summary.json */
    int higher_better;
    double tolerance;   /* relative: 0.05 = 5% */
    int chosen;
} metric;

/* The defaults: what a person asks first about a scheduling change. */
static metric defaults[] = {
    {"latency_p99", "latency_s.p99", 0, 0.05, 0},
    {"latency_mean", "latency_s.mean", 0, 0.05, 0},
    {"cold_start_rate", "rates.cold_start_rate", 0, 0.05, 0},
    {"failure_rate", "rates.failure_rate", 0, 0.05, 0},
    {"rejection_rate", "rates.rejection_rate", 0, 0.05, 0},
    {"throughput", "rates.throughput_per_s", 1, 0.05, 0},
    {"availability", "health.availability", 1, 0.05, 0},
    {"detection_latency", "health.detection_latency_s.mean", 0, 0.05, 0},
    {"energy_per_invocation", "energy.per_ok_invocation_j", 0, 0.05, 0},
};
#define N_METRICS (sizeof defaults / sizeof defaults[0])

static const char usage_text[] =
    "usage: edgesim compare BASELINE_DIR CANDIDATE_DIR [--metric NAME [--max-increase P%%|\n"
    "                       --max-decrease P%%]] ...\n"
    "\n"
    "Compares two runs' summary.json metric by metric and prints a table\n"
    "(metric, baseline, candidate, change, tolerance, verdict). A change worse\n"
    "than its tolerance is a regression. Without --metric every default metric\n"
    "is compared with a 5%% tolerance; each --metric selects one and the\n"
    "following --max-increase (lower is better) or --max-decrease (higher is\n"
    "better) sets its tolerance. Metrics:\n";

static void usage(FILE *out)
{
    fputs(usage_text, out);
    for (size_t i = 0; i < N_METRICS; i++)
        fprintf(out, "  %-22s %s, %s is better\n", defaults[i].name, defaults[i].path,
                defaults[i].higher_better ? "higher" : "lower");
    fputs("\nexit codes: 0 nothing regressed, 1 a regression, 2 bad input or usage.\n", out);
}

static cJSON *load_summary(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "edgesim compare: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                fprintf(stderr, "edgesim compare: out of memory\n");
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
    cJSON *j = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!cJSON_IsObject(j)) {
        fprintf(stderr, "edgesim compare: %s: expected a summary.json object, found %s\n", path,
                j ? "another JSON value" : "text that is not JSON");
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* "5%" or "0.05" into a relative tolerance. */
static int parse_tolerance(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !(v >= 0) || !isfinite(v))
        return -1;
    if (*end == '%' && end[1] == '\0')
        v /= 100.0;
    else if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

int sim_cmd_compare(int argc, char **argv)
{
    const char *dirs[2] = {NULL, NULL};
    int ndirs = 0, any_chosen = 0;
    metric *last = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return SIM_EXIT_OK;
        } else if (!strcmp(a, "--metric") && i + 1 < argc) {
            const char *name = argv[++i];
            last = NULL;
            for (size_t k = 0; k < N_METRICS; k++)
                if (!strcmp(defaults[k].name, name))
                    last = &defaults[k];
            if (!last) {
                fprintf(stderr, "edgesim compare: --metric: expected one of the metrics in "
                                "--help, found '%s'\n", name);
                return SIM_EXIT_USAGE;
            }
            last->chosen = any_chosen = 1;
        } else if ((!strcmp(a, "--max-increase") || !strcmp(a, "--max-decrease")) &&
                   i + 1 < argc) {
            const char *v = argv[++i];
            if (!last) {
                fprintf(stderr, "edgesim compare: %s: expected after a --metric NAME\n", a);
                return SIM_EXIT_USAGE;
            }
            int wants_higher = !strcmp(a, "--max-decrease");
            if (wants_higher != last->higher_better) {
                fprintf(stderr, "edgesim compare: %s: %s is better %s, so its tolerance is "
                                "--max-%s\n", last->name, last->name,
                        last->higher_better ? "higher" : "lower",
                        last->higher_better ? "decrease" : "increase");
                return SIM_EXIT_USAGE;
            }
            if (parse_tolerance(v, &last->tolerance) != 0) {
                fprintf(stderr, "edgesim compare: %s: expected a percentage such as 5%%, "
                                "found '%s'\n", a, v);
                return SIM_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "edgesim compare: unknown or incomplete option '%s' (see --help)\n", a);
            return SIM_EXIT_USAGE;
        } else if (ndirs < 2) {
            dirs[ndirs++] = a;
        } else {
            fprintf(stderr, "edgesim compare: expected two run directories, found a third: '%s'\n",
                    a);
            return SIM_EXIT_USAGE;
        }
    }
    if (ndirs != 2) {
        usage(stderr);
        return SIM_EXIT_USAGE;
    }
    cJSON *base = load_summary(dirs[0]), *cand = base ? load_summary(dirs[1]) : NULL;
    if (!base || !cand) {
        cJSON_Delete(base);
        return SIM_EXIT_USAGE;
    }
    int regressions = 0;
    printf("%-22s %14s %14s %9s %9s  %s\n", "metric", "baseline", "candidate", "change",
           "tolerance", "verdict");
    for (size_t k = 0; k < N_METRICS; k++) {
        metric *m = &defaults[k];
        if (any_chosen && !m->chosen)
            continue;
        const cJSON *a = sim_json_get(base, m->path), *b = sim_json_get(cand, m->path);
        if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b)) {
            printf("%-22s %14s %14s %9s %9s  %s\n", m->name, a ? "" : "-", b ? "" : "-", "", "",
                   "missing");
            continue;
        }
        double x = a->valuedouble, y = b->valuedouble;
        /* relative change; from 0 any increase is infinite, none is 0 */
        double rel = x != 0 ? (y - x) / fabs(x) : (y == x ? 0.0 : (y > x ? INFINITY : -INFINITY));
        double worse = m->higher_better ? -rel : rel;
        const char *verdict = worse > m->tolerance ? "REGRESSION"
                              : worse < -m->tolerance ? "better"
                                                      : "ok";
        regressions += worse > m->tolerance;
        char change[32];
        if (isfinite(rel))
            snprintf(change, sizeof change, "%+.1f%%", 100.0 * rel);
        else
            snprintf(change, sizeof change, "%s", rel > 0 ? "+inf" : "-inf");
        printf("%-22s %14.6g %14.6g %9s %8.1f%%  %s\n", m->name, x, y, change,
               100.0 * m->tolerance, verdict);
    }
    const cJSON *fa = sim_json_get(base, "fingerprint"), *fb = sim_json_get(cand, "fingerprint");
    if (cJSON_IsString(fa) && cJSON_IsString(fb))
        printf("fingerprints: %s -> %s (%s)\n", fa->valuestring, fb->valuestring,
               strcmp(fa->valuestring, fb->valuestring) ? "behaviour changed" : "identical");
    printf("%d regression%s\n", regressions, regressions == 1 ? "" : "s");
    cJSON_Delete(base);
    cJSON_Delete(cand);
    return regressions ? SIM_EXIT_FAIL : SIM_EXIT_OK;
}
