/*
 * cmd_compare.c — `edgesim compare BASELINE CANDIDATE`: did a change make
 * things worse?
 *
 * Two run directories are compared metric by metric from their summary.json.
 * Each metric has a direction (lower or higher is better) and a tolerance; a
 * change worse than its tolerance is a regression. Between two single runs
 * the tolerance is all there is, so run both on the same seed (common random
 * numbers) to compare like with like.
 *
 * Two sweep directories (they hold runs.csv) are compared run by run: each
 * baseline run is paired with the candidate run of the same scenario, grid
 * values and seed, and per configuration and metric the paired differences
 * give a mean change with a Student-t 95% interval. A regression is then a
 * change worse than the tolerance whose interval excludes zero: noise alone
 * never fails a build, however large the tolerance is exceeded.
 *
 * compare is a CI gate, so it fails closed: exit 0 means every compared
 * metric had a finite value in every run and none regressed; 1 means a
 * regression; anything it cannot judge (a missing, null, non-number or
 * non-finite metric, an empty or NaN cell, an unreadable, truncated, oversized
 * or non-regular file, a tolerance without its unit, out of memory) is exit 2
 * with one line naming the file and the metric or cell. Everything is
 * computed before anything is printed, so stdout never holds half a table.
 *
 * The comparison itself is sim/harness/compare.c; this file is the options,
 * the table and the JSON.
 */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "common/jsonget.h"
#include "common/threshold.h"
#include "harness/compare.h"

/* One invocation's choices: the directories, the chosen metrics and each
 * metric's tolerance (default 5%), the output form. */
typedef struct compare_opts {
    sim_compare_spec spec; /* the directories, metrics and tolerances */
    int ndirs;
    int last; /* the metric the next --max-* applies to; -1 before any --metric */
    int json;
} compare_opts;

enum { OPT_JSON = 1, OPT_METRIC, OPT_MAX_INCREASE, OPT_MAX_DECREASE };

static const sim_opt compare_table[] = {
    {OPT_JSON, 0, "json", NULL, 0,
     "print the comparison as one JSON object (metrics, values, change, interval, "
     "tolerance, verdict, result) instead of the table"},
    {OPT_METRIC, 0, "metric", "NAME", SIM_OPT_REPEAT,
     "compare NAME (one of the list below); the others are left out"},
    {OPT_MAX_INCREASE, 0, "max-increase", "TOL", 0,
     "the tolerance of the last --metric, where lower is better"},
    {OPT_MAX_DECREASE, 0, "max-decrease", "TOL", 0,
     "the tolerance of the last --metric, where higher is better"},
    {0, 0, NULL, NULL, 0, NULL},
};

static void metric_list(FILE *out)
{
    fputs("metrics (* not in a sweep's runs.csv):\n", out);
    for (size_t i = 0; i < SIM_COMPARE_NMETRICS; i++)
        fprintf(out, "  %-22s %s (%s), %s is better%s\n", sim_compare_metrics[i].name, sim_compare_metrics[i].path,
                sim_unit_name(sim_compare_metrics[i].unit), sim_compare_metrics[i].higher_better ? "higher" : "lower",
                sim_compare_metrics[i].column ? "" : " *");
}

const sim_cmd sim_compare_cmd = {
    .name = "compare",
    .operands = "BASELINE_DIR CANDIDATE_DIR",
    .about = "compare two runs or two sweeps; exit 1 on a regression",
    .intro = "Compares two runs' summary.json metric by metric and prints a table\n"
             "(metric, unit, baseline, candidate, change, change %, tolerance, verdict).\n"
             "A change worse than its tolerance is a regression. Without --metric every\n"
             "metric below is compared with a 5% tolerance; each --metric selects one and\n"
             "the following --max-increase (lower is better) or --max-decrease (higher is\n"
             "better) sets its tolerance. TOL always carries its unit: 5% is five percent\n"
             "of the baseline; an absolute tolerance is in the metric's unit (20ms or 0.5s\n"
             "for a latency, 0.1pp percentage points for a rate, 2/s for throughput, 0.5J,\n"
             "500MB*s). A bare number such as 5 or 0.05 is refused.\n"
             "\n"
             "Two sweep directories (edgesim sweep; they hold runs.csv) are paired run by\n"
             "run on (scenario, grid values, seed); per configuration and metric the table\n"
             "gives the mean paired change with its 95% confidence interval (Student t),\n"
             "and a regression is a change worse than the tolerance whose interval\n"
             "excludes zero (docs/regression.md).\n",
    .opts = compare_table,
    .extra = metric_list,
    .outro = "exit codes: 0 nothing regressed; 1 a regression; 2 could not compare: a missing,\n"
             "malformed, non-finite or oversized input (summary.json at most 64 MiB, runs.csv\n"
             "at most 256 MiB), a tolerance without its unit, bad usage, or out of memory.\n",
};

/* ---- options: the value parsing, callable from any option loop ---------- */

static void opts_init(compare_opts *o)
{
    memset(o, 0, sizeof *o);
    sim_compare_spec_init(&o->spec);
    o->last = -1;
}

/* --metric NAME: selects NAME. Returns 0, or prints one line and returns 2. */
static int opt_metric(compare_opts *o, const char *name)
{
    for (size_t k = 0; k < SIM_COMPARE_NMETRICS; k++)
        if (!strcmp(sim_compare_metrics[k].name, name)) {
            o->spec.chosen[k] = o->spec.any_chosen = 1;
            o->last = (int)k;
            return SIM_EXIT_OK;
        }
    fprintf(stderr, "edgesim compare: --metric: expected one of the metrics in --help, found "
                    "'%s'\n", name);
    return SIM_EXIT_USAGE;
}

/* --max-increase/--max-decrease VALUE (flag names which): the tolerance of
 * the last --metric, with its unit. Returns 0, or prints one line and
 * returns 2. */
static int opt_tolerance(compare_opts *o, const char *flag, const char *value)
{
    if (o->last < 0) {
        fprintf(stderr, "edgesim compare: %s: expected after a --metric NAME\n", flag);
        return SIM_EXIT_USAGE;
    }
    const sim_compare_metric *m = &sim_compare_metrics[o->last];
    int wants_higher = !strcmp(flag, "--max-decrease");
    if (wants_higher != m->higher_better) {
        fprintf(stderr, "edgesim compare: %s: %s is better %s, so its tolerance is --max-%s\n",
                m->name, m->name, m->higher_better ? "higher" : "lower",
                m->higher_better ? "decrease" : "increase");
        return SIM_EXIT_USAGE;
    }
    char err[400];
    if (sim_parse_threshold(value, m->unit, &o->spec.tol[o->last], err, sizeof err) != 0) {
        fprintf(stderr, "edgesim compare: %s %s (%s, in %s): %s\n", flag, value, m->name,
                sim_unit_name(m->unit), err);
        return SIM_EXIT_USAGE;
    }
    return SIM_EXIT_OK;
}

/* ---- output ------------------------------------------------------------ */

static void fmt_pct(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%+.2f%%", 100.0 * v);
    else
        snprintf(buf, n, "%s", v > 0 ? "+inf%" : "-inf%");
}

/* The interval of r as the verdict read it: in % of the baseline for a
 * relative tolerance, in the metric's unit for an absolute one. */
static void fmt_interval(char *buf, size_t n, const sim_compare_result *r, const sim_threshold *t)
{
    char lo[32], hi[32];
    if (t->absolute) {
        snprintf(lo, sizeof lo, "%+.4g", r->lo);
        snprintf(hi, sizeof hi, "%+.4g", r->hi);
    } else {
        fmt_pct(lo, sizeof lo, sim_compare_relative(r->lo, r->base));
        fmt_pct(hi, sizeof hi, sim_compare_relative(r->hi, r->base));
    }
    snprintf(buf, n, "[%s, %s]", lo, hi);
}

static void print_runs_table(const compare_opts *o, const sim_compare_config *c, const cJSON *a,
                             const cJSON *b)
{
    printf("%-22s %-6s %13s %13s %13s %9s %10s  %s\n", "metric", "unit", "baseline", "candidate",
           "change", "change %", "tolerance", "verdict");
    size_t regressions = 0;
    for (size_t i = 0; i < c->nres; i++) {
        const sim_compare_result *r = &c->res[i];
        const sim_compare_metric *m = &sim_compare_metrics[r->metric];
        char pct[32];
        fmt_pct(pct, sizeof pct, r->rel);
        printf("%-22s %-6s %13.6g %13.6g %+13.6g %9s %10s  %s\n", m->name, sim_unit_name(m->unit),
               r->base, r->cand, r->diff, pct, o->spec.tol[r->metric].text, r->verdict);
        regressions += r->verdict[0] == 'R';
    }
    const cJSON *fa = sim_json_get(a, "fingerprint"), *fb = sim_json_get(b, "fingerprint");
    if (cJSON_IsString(fa) && cJSON_IsString(fb))
        printf("fingerprints: %s -> %s (%s)\n", fa->valuestring, fb->valuestring,
               strcmp(fa->valuestring, fb->valuestring) ? "behaviour changed" : "identical");
    printf("%zu regression%s\n", regressions, regressions == 1 ? "" : "s");
}

/* "SCENARIO  p=v  q=w" of configuration c, with sep between the parts. */
static void print_config_label(FILE *f, const sim_compare_pairing *p, const sim_compare_config *c, const char *sep)
{
    fputs(sim_compare_cell(&p->a, c->row, 0), f);
    for (int q = 0; q < p->la.nparams; q++)
        fprintf(f, "%s%s=%s", sep, sim_compare_cell(&p->a, 0, (size_t)(2 + q)),
                sim_compare_cell(&p->a, c->row, (size_t)(2 + q)));
}

static void print_sweeps_table(const compare_opts *o, const sim_compare_pairing *p, const sim_compare_config *cfg,
                               size_t ncfg)
{
    printf("%-16s %-6s %13s %13s %13s %9s  %-21s %10s  %s\n", "metric", "unit", "baseline",
           "candidate", "change", "change %", "95% interval", "tolerance", "verdict");
    size_t regressions = 0;
    for (size_t g = 0; g < ncfg; g++) {
        const sim_compare_config *c = &cfg[g];
        putchar('\n');
        print_config_label(stdout, p, c, "  ");
        printf("  (%zu paired runs)\n", c->pairs);
        for (size_t i = 0; i < c->nres; i++) {
            const sim_compare_result *r = &c->res[i];
            const sim_compare_metric *m = &sim_compare_metrics[r->metric];
            char pct[32], ci[80];
            if (!strcmp(r->verdict, SIM_COMPARE_NO_VALUE)) {
                printf("%-16s %-6s %13s %13s %13s %9s  %-21s %10s  %s\n", m->name,
                       sim_unit_name(m->unit), "-", "-", "-", "-", "-",
                       o->spec.tol[r->metric].text, r->verdict);
                continue;
            }
            fmt_pct(pct, sizeof pct, r->rel);
            fmt_interval(ci, sizeof ci, r, &o->spec.tol[r->metric]);
            printf("%-16s %-6s %13.6g %13.6g %+13.6g %9s  %-21s %10s  %s\n", m->name,
                   sim_unit_name(m->unit), r->base, r->cand, r->diff, pct, ci,
                   o->spec.tol[r->metric].text, r->verdict);
            regressions += r->verdict[0] == 'R';
        }
    }
    size_t pairs, differ;
    sim_compare_fingerprints(p, &pairs, &differ);
    printf("\nfingerprints: %zu of %zu paired runs differ%s\n", differ, pairs,
           differ ? " (behaviour changed)" : " (identical)");
    printf("%zu regression%s%s\n", regressions, regressions == 1 ? "" : "s",
           regressions ? ":" : "");
    /* the closing list repeats each regression, for the end of a CI log */
    for (size_t g = 0; g < ncfg; g++)
        for (size_t i = 0; i < cfg[g].nres; i++) {
            const sim_compare_result *r = &cfg[g].res[i];
            if (r->verdict[0] != 'R')
                continue;
            char pct[32], ci[80];
            fmt_pct(pct, sizeof pct, r->rel);
            fmt_interval(ci, sizeof ci, r, &o->spec.tol[r->metric]);
            fputs("  ", stdout);
            print_config_label(stdout, p, &cfg[g], " ");
            printf(": %s %s %s%s%s\n", sim_compare_metrics[r->metric].name, pct, ci,
                   o->spec.tol[r->metric].absolute ? " " : "",
                   o->spec.tol[r->metric].absolute ? sim_unit_name(sim_compare_metrics[r->metric].unit) : "");
        }
}

/* A finite number, or null (JSON has no infinity). */
static cJSON *json_num(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *json_pair(double a, double b)
{
    cJSON *arr = cJSON_CreateArray();
    if (arr) {
        cJSON_AddItemToArray(arr, json_num(a));
        cJSON_AddItemToArray(arr, json_num(b));
    }
    return arr;
}

/* The "metrics" array of configuration c; adds its regressions to *reg. */
static cJSON *json_results(const compare_opts *o, const sim_compare_config *c, size_t *reg)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < c->nres; i++) {
        const sim_compare_result *r = &c->res[i];
        const sim_compare_metric *m = &sim_compare_metrics[r->metric];
        const sim_threshold *t = &o->spec.tol[r->metric];
        cJSON *e = cJSON_CreateObject();
        if (!e)
            break;
        cJSON_AddItemToArray(arr, e);
        cJSON_AddStringToObject(e, "metric", m->name);
        cJSON_AddStringToObject(e, "unit", sim_unit_name(m->unit));
        cJSON_AddStringToObject(e, "better", m->higher_better ? "higher" : "lower");
        cJSON_AddItemToObject(e, "baseline", json_num(r->base));
        cJSON_AddItemToObject(e, "candidate", json_num(r->cand));
        cJSON_AddItemToObject(e, "change", json_num(r->diff));
        cJSON_AddItemToObject(e, "change_pct", json_num(100.0 * r->rel));
        if (r->have_ci) {
            cJSON_AddItemToObject(e, "interval", json_pair(r->lo, r->hi));
            cJSON_AddItemToObject(e, "interval_pct",
                                  json_pair(100.0 * sim_compare_relative(r->lo, r->base),
                                            100.0 * sim_compare_relative(r->hi, r->base)));
        } else {
            cJSON_AddNullToObject(e, "interval");
            cJSON_AddNullToObject(e, "interval_pct");
        }
        cJSON *tol = cJSON_AddObjectToObject(e, "tolerance");
        cJSON_AddStringToObject(tol, "text", t->text);
        cJSON_AddBoolToObject(tol, "absolute", t->absolute);
        cJSON_AddNumberToObject(tol, "value", t->value);
        cJSON_AddStringToObject(e, "verdict", r->verdict);
        *reg += r->verdict[0] == 'R';
    }
    return arr;
}

/* Prints the comparison as one JSON document. p is NULL for two runs (then a
 * and b are their summaries). Returns 0, or 2 after one line when the
 * document could not be built (out of memory). */
static int print_json(const compare_opts *o, const sim_compare_pairing *p, const sim_compare_config *cfg, size_t ncfg,
                      const cJSON *a, const cJSON *b)
{
    cJSON *root = cJSON_CreateObject();
    size_t regressions = 0;
    if (!root)
        goto oom;
    cJSON_AddStringToObject(root, "mode", p ? "sweeps" : "runs");
    cJSON_AddStringToObject(root, "baseline", o->spec.dirs[0]);
    cJSON_AddStringToObject(root, "candidate", o->spec.dirs[1]);
    cJSON *cs = cJSON_AddArrayToObject(root, "configurations");
    for (size_t g = 0; cs && g < ncfg; g++) {
        cJSON *c = cJSON_CreateObject();
        if (!c)
            goto oom;
        cJSON_AddItemToArray(cs, c);
        if (p) {
            cJSON_AddStringToObject(c, "scenario", sim_compare_cell(&p->a, cfg[g].row, 0));
            cJSON *grid = cJSON_AddObjectToObject(c, "grid");
            for (int q = 0; grid && q < p->la.nparams; q++)
                cJSON_AddStringToObject(grid, sim_compare_cell(&p->a, 0, (size_t)(2 + q)),
                                        sim_compare_cell(&p->a, cfg[g].row, (size_t)(2 + q)));
        } else {
            const cJSON *sc = sim_json_get(a, "scenario");
            if (cJSON_IsString(sc))
                cJSON_AddStringToObject(c, "scenario", sc->valuestring);
            else
                cJSON_AddNullToObject(c, "scenario");
            cJSON_AddObjectToObject(c, "grid");
        }
        cJSON_AddNumberToObject(c, "paired_runs", (double)cfg[g].pairs);
        cJSON_AddItemToObject(c, "metrics", json_results(o, &cfg[g], &regressions));
    }
    cJSON *fp = cJSON_AddObjectToObject(root, "fingerprints");
    size_t pairs = 0, differ = 0;
    if (p) {
        sim_compare_fingerprints(p, &pairs, &differ);
    } else {
        const cJSON *fa = sim_json_get(a, "fingerprint"), *fb = sim_json_get(b, "fingerprint");
        if (cJSON_IsString(fa) && cJSON_IsString(fb)) {
            pairs = 1;
            differ = strcmp(fa->valuestring, fb->valuestring) != 0;
        }
    }
    cJSON_AddNumberToObject(fp, "pairs", (double)pairs);
    cJSON_AddNumberToObject(fp, "differ", (double)differ);
    cJSON_AddNumberToObject(root, "regressions", (double)regressions);
    cJSON_AddStringToObject(root, "result", regressions ? "regression" : "ok");
    cJSON_AddNumberToObject(root, "exit_code", regressions ? SIM_EXIT_FAIL : SIM_EXIT_OK);
    char *text = cJSON_Print(root);
    if (!text)
        goto oom;
    puts(text);
    cJSON_free(text);
    cJSON_Delete(root);
    return SIM_EXIT_OK;
oom:
    cJSON_Delete(root);
    fprintf(stderr, "edgesim compare: out of memory building the JSON output\n");
    return SIM_EXIT_USAGE;
}

static size_t count_regressions(const sim_compare_config *cfg, size_t ncfg)
{
    size_t n = 0;
    for (size_t g = 0; g < ncfg; g++)
        for (size_t i = 0; i < cfg[g].nres; i++)
            n += cfg[g].res[i].verdict[0] == 'R';
    return n;
}

/* Exit code of a finished comparison: a table or JSON that did not reach
 * stdout whole (a full disk, a closed pipe) cannot be trusted: 2. */
static int finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "edgesim compare: writing the comparison to stdout: %s\n",
                strerror(errno ? errno : EIO));
        return SIM_EXIT_USAGE;
    }
    return rc;
}

static int is_sweep_dir(const char *dir)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    return lstat(path, &st) == 0;
}

/* Two runs that differ in their scenario, seed or length differ in more
 * than the change under test, and with another seed by chance as well
 * (common random numbers want the same one): one warning line on stderr
 * that says which, the comparison going on as asked. */
static void warn_unpaired(const cJSON *a, const cJSON *b)
{
    static const char *const keys[] = {"scenario", "seed", "duration_s", "warmup_s"};
    char what[512] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const cJSON *x = sim_json_get(a, keys[i]), *y = sim_json_get(b, keys[i]);
        char vx[96], vy[96];
        if (cJSON_IsString(x) && cJSON_IsString(y)) {
            if (!strcmp(x->valuestring, y->valuestring))
                continue;
            snprintf(vx, sizeof vx, "%.80s", x->valuestring);
            snprintf(vy, sizeof vy, "%.80s", y->valuestring);
        } else if (cJSON_IsNumber(x) && cJSON_IsNumber(y)) {
            if (x->valuedouble == y->valuedouble)
                continue;
            snprintf(vx, sizeof vx, "%.17g", x->valuedouble);
            snprintf(vy, sizeof vy, "%.17g", y->valuedouble);
        } else {
            continue;
        }
        if (n < sizeof what) /* cut, never past the buffer */
            n += (size_t)snprintf(what + n, sizeof what - n, "%s%s %s vs %s", n ? ", " : "",
                                  keys[i], vx, vy);
    }
    if (n)
        fprintf(stderr, "edgesim compare: warning: the runs differ in more than the change under "
                        "test (%s): the table reads all of it as the change's\n", what);
}

static int run_compare(const compare_opts *o)
{
    int sa = is_sweep_dir(o->spec.dirs[0]), sb = is_sweep_dir(o->spec.dirs[1]);
    if (sa != sb) {
        fprintf(stderr, "edgesim compare: %s is a sweep (it holds runs.csv) but %s is not: "
                        "expected two sweeps or two runs\n", o->spec.dirs[sa ? 0 : 1],
                o->spec.dirs[sa ? 1 : 0]);
        return SIM_EXIT_USAGE;
    }
    if (sa) {
        sim_compare_pairing p;
        sim_compare_config *cfg = NULL;
        size_t ncfg = 0;
        char err[8400];
        int rc = sim_compare_pair_sweeps(&o->spec, &p, err, sizeof err) == 0 &&
                         sim_compare_sweeps(&o->spec, &p, &cfg, &ncfg, err, sizeof err) == 0
                     ? SIM_EXIT_OK
                     : SIM_EXIT_USAGE;
        if (rc != SIM_EXIT_OK)
            fprintf(stderr, "edgesim compare: %s\n", err);
        if (rc == SIM_EXIT_OK) {
            if (o->json)
                rc = print_json(o, &p, cfg, ncfg, NULL, NULL);
            else
                print_sweeps_table(o, &p, cfg, ncfg);
            if (rc == SIM_EXIT_OK)
                rc = finish(count_regressions(cfg, ncfg) ? SIM_EXIT_FAIL : SIM_EXIT_OK);
        }
        free(cfg);
        sim_compare_pairing_free(&p);
        return rc;
    }
    char err[8400];
    cJSON *base = sim_compare_load_summary(o->spec.dirs[0], err, sizeof err);
    cJSON *cand = base ? sim_compare_load_summary(o->spec.dirs[1], err, sizeof err) : NULL;
    sim_compare_config c;
    int rc = base && cand && sim_compare_runs(&o->spec, base, cand, &c, err, sizeof err) == 0
                 ? SIM_EXIT_OK
                 : SIM_EXIT_USAGE;
    if (rc != SIM_EXIT_OK)
        fprintf(stderr, "edgesim compare: %s\n", err);
    if (rc == SIM_EXIT_OK)
        warn_unpaired(base, cand);
    if (rc == SIM_EXIT_OK) {
        if (o->json)
            rc = print_json(o, NULL, &c, 1, base, cand);
        else
            print_runs_table(o, &c, base, cand);
        if (rc == SIM_EXIT_OK)
            rc = finish(count_regressions(&c, 1) ? SIM_EXIT_FAIL : SIM_EXIT_OK);
    }
    cJSON_Delete(base);
    cJSON_Delete(cand);
    return rc;
}

int sim_cmd_compare(int argc, char **argv)
{
    compare_opts o;
    opts_init(&o);
    sim_opts p;
    sim_opts_init(&p, &sim_compare_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        int rc = SIM_EXIT_OK;
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case OPT_JSON: o.json = 1; break;
        case OPT_METRIC: rc = opt_metric(&o, p.arg); break;
        case OPT_MAX_INCREASE: rc = opt_tolerance(&o, "--max-increase", p.arg); break;
        case OPT_MAX_DECREASE: rc = opt_tolerance(&o, "--max-decrease", p.arg); break;
        case SIM_OPTS_OPERAND:
            if (o.ndirs == 2) {
                fprintf(stderr, "edgesim compare: expected two run or sweep directories, found "
                                "a third: '%s'\n", p.arg);
                return SIM_EXIT_USAGE;
            }
            o.spec.dirs[o.ndirs++] = p.arg;
            break;
        }
        if (rc != SIM_EXIT_OK)
            return rc;
    }
    if (o.ndirs != 2)
        return sim_cmd_fail(&sim_compare_cmd, "expected BASELINE_DIR and CANDIDATE_DIR (see "
                                              "'edgesim compare --help')");
    return run_compare(&o);
}
