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
 */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/jsonget.h"
#include "harness/sweep.h"

typedef struct metric {
    const char *name;   /* as given to --metric */
    const char *path;   /* dotted path in summary.json */
    const char *column; /* its column in a sweep's runs.csv, NULL when it has none */
    int higher_better;
    double tolerance;   /* relative: 0.05 = 5% */
    int chosen;
} metric;

/* The defaults: what a person asks first about a scheduling change. */
static metric defaults[] = {
    {"latency_p99", "latency_s.p99", "latency_p99_s", 0, 0.05, 0},
    {"latency_mean", "latency_s.mean", "latency_mean_s", 0, 0.05, 0},
    {"cold_start_rate", "rates.cold_start_rate", "cold_start_rate", 0, 0.05, 0},
    {"failure_rate", "rates.failure_rate", "failure_rate", 0, 0.05, 0},
    {"rejection_rate", "rates.rejection_rate", "rejection_rate", 0, 0.05, 0},
    {"throughput", "rates.throughput_per_s", "throughput_per_s", 1, 0.05, 0},
    {"availability", "health.availability", "availability", 1, 0.05, 0},
    {"detection_latency", "health.detection_latency_s.mean", NULL, 0, 0.05, 0},
    {"energy_per_invocation", "energy.per_ok_invocation_j", NULL, 0, 0.05, 0},
    {"wasted_memory", "keepalive.wasted_mb_s", "wasted_mb_s", 0, 0.05, 0},
};
#define N_METRICS (sizeof defaults / sizeof defaults[0])

enum { OPT_METRIC = 1, OPT_MAX_INCREASE, OPT_MAX_DECREASE };

static const sim_opt compare_opts[] = {
    {OPT_METRIC, 0, "metric", "NAME", SIM_OPT_REPEAT,
     "compare this metric (one of the list below); without any --metric every one is "
     "compared with a 5% tolerance"},
    {OPT_MAX_INCREASE, 0, "max-increase", "P%", 0,
     "after --metric NAME of a metric where lower is better: its tolerance"},
    {OPT_MAX_DECREASE, 0, "max-decrease", "P%", 0,
     "after --metric NAME of a metric where higher is better: its tolerance"},
    {0, 0, NULL, NULL, 0, NULL},
};

static void metric_list(FILE *out)
{
    fputs("metrics (* not in a sweep's runs.csv):\n", out);
    for (size_t i = 0; i < N_METRICS; i++)
        fprintf(out, "  %-22s %s, %s is better%s\n", defaults[i].name, defaults[i].path,
                defaults[i].higher_better ? "higher" : "lower", defaults[i].column ? "" : " *");
}

const sim_cmd sim_compare_cmd = {
    .name = "compare",
    .operands = "BASELINE_DIR CANDIDATE_DIR",
    .about = "compare two runs or two sweeps; exit 1 on a regression",
    .intro = "Compares two runs' summary.json metric by metric and prints a table\n"
             "(metric, baseline, candidate, change, tolerance, verdict). A change worse\n"
             "than its tolerance is a regression. Without --metric every default metric\n"
             "is compared with a 5% tolerance; each --metric selects one and the\n"
             "following --max-increase (lower is better) or --max-decrease (higher is\n"
             "better) sets its tolerance.\n"
             "\n"
             "Two sweep directories (edgesim sweep; they hold runs.csv) are paired run by\n"
             "run on (scenario, grid values, seed); per configuration and metric the table\n"
             "gives the mean paired change with its 95% confidence interval (Student t),\n"
             "and a regression is a change worse than the tolerance whose interval\n"
             "excludes zero (docs/regression.md).\n",
    .opts = compare_opts,
    .extra = metric_list,
    .outro = "exit codes: 0 nothing regressed, 1 a regression, 2 bad input or usage.\n",
};

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

/* ---- sweeps ---------------------------------------------------------- */

/* A runs.csv read whole: RFC 4180 quoting (grid values may be JSON objects,
 * which the sweep writes quoted), every record with the header's width. */
typedef struct table {
    char *path;
    char **cell;   /* nrows x ncols, row 0 the header; each cell malloc'd */
    size_t *line;  /* 1-based line of each row */
    size_t ncols, nrows;
} table;

static void table_free(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cell[i]);
    free(t->cell);
    free(t->line);
    free(t->path);
}

static const char *cell(const table *t, size_t row, size_t col)
{
    return t->cell[row * t->ncols + col];
}

static int table_col(const table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(cell(t, 0, c), name))
            return (int)c;
    return -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 16;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Reads DIR/runs.csv into *t. Prints one line and returns -1 on a problem. */
static int table_load(const char *dir, table *t)
{
    memset(t, 0, sizeof *t);
    size_t plen = strlen(dir) + 16, len;
    if (!(t->path = malloc(plen)))
        goto oom;
    snprintf(t->path, plen, "%s/runs.csv", dir);
    char *text = slurp(t->path, &len);
    if (!text) {
        fprintf(stderr, "edgesim compare: %s: %s\n", t->path, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    size_t cap = 0, n = 0, rowcap = 0, line = 1, rowstart = 0, rowline = 1;
    char *field = malloc(len + 1);
    if (!field) {
        free(text);
        goto oom;
    }
    size_t flen = 0;
    int quoted = 0, at_start = 1;
    for (size_t i = 0; i <= len; i++) {
        char ch = i < len ? text[i] : '\n';
        if (quoted) {
            if (ch == '"' && i + 1 < len && text[i + 1] == '"') {
                field[flen++] = '"';
                i++;
            } else if (ch == '"') {
                quoted = 0;
            } else {
                if (ch == '\n')
                    line++;
                field[flen++] = ch;
            }
            if (i == len) {
                fprintf(stderr, "edgesim compare: %s:%zu: expected a closing quote, found the "
                                "end of the file\n", t->path, rowline);
                goto bad;
            }
            continue;
        }
        if (ch == '"' && flen == 0) {
            quoted = 1;
            at_start = 0;
            continue;
        }
        if (ch == '\r')
            continue;
        if (ch != ',' && ch != '\n') {
            field[flen++] = ch;
            at_start = 0;
            continue;
        }
        if (ch == '\n' && at_start && n == rowstart) { /* an empty line */
            line++;
            rowline = line;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **p = realloc(t->cell, cap * sizeof *p);
            if (!p)
                goto oomf;
            t->cell = p;
        }
        field[flen] = '\0';
        if (!(t->cell[n] = malloc(flen + 1)))
            goto oomf;
        memcpy(t->cell[n++], field, flen + 1);
        flen = 0;
        if (ch == ',')
            continue;
        /* end of a record */
        size_t width = n - rowstart;
        if (t->nrows == 0)
            t->ncols = width;
        else if (width != t->ncols) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected %zu fields as in the header, "
                            "found %zu\n", t->path, rowline, t->ncols, width);
            goto bad;
        }
        if (t->nrows == rowcap) {
            rowcap = rowcap ? rowcap * 2 : 64;
            size_t *p = realloc(t->line, rowcap * sizeof *p);
            if (!p)
                goto oomf;
            t->line = p;
        }
        t->line[t->nrows++] = rowline;
        rowstart = n;
        line++;
        rowline = line;
        at_start = 1;
    }
    free(field);
    free(text);
    /* a partial last record cannot remain: the loop ends on a newline */
    return 0;
oomf:
    fprintf(stderr, "edgesim compare: out of memory\n");
bad:
    /* cells of an unfinished row are freed too */
    for (size_t i = t->nrows * t->ncols; i < n; i++)
        free(t->cell[i]);
    free(field);
    free(text);
    table_free(t);
    return -1;
oom:
    fprintf(stderr, "edgesim compare: out of memory\n");
    table_free(t);
    return -1;
}

/* The layout of a runs.csv: grid columns between "config" and "replication". */
typedef struct layout {
    int seed, fingerprint, first_param, nparams;
    int metric[N_METRICS]; /* -1: not in this file */
} layout;

static int table_layout(const table *t, layout *l)
{
    int rep = table_col(t, "replication");
    l->seed = table_col(t, "seed");
    l->fingerprint = table_col(t, "fingerprint");
    if (t->nrows < 1 || t->ncols < 4 || strcmp(cell(t, 0, 0), "scenario") ||
        strcmp(cell(t, 0, 1), "config") || rep < 2 || l->seed < 0) {
        fprintf(stderr, "edgesim compare: %s:1: expected the header of a sweep's runs.csv "
                        "(scenario,config,...,replication,seed,...), found another\n", t->path);
        return -1;
    }
    l->first_param = 2;
    l->nparams = rep - 2;
    for (size_t m = 0; m < N_METRICS; m++)
        l->metric[m] = defaults[m].column ? table_col(t, defaults[m].column) : -1;
    return 0;
}

/* The pairing key of a row: scenario, grid values and seed, separated by
 * bytes no cell holds. */
static char *row_key(const table *t, const layout *l, size_t row, int with_seed)
{
    size_t n = strlen(cell(t, row, 0)) + strlen(cell(t, row, (size_t)l->seed)) + 3;
    for (int p = 0; p < l->nparams; p++)
        n += strlen(cell(t, row, (size_t)(l->first_param + p))) + 1;
    char *k = malloc(n);
    if (!k)
        return NULL;
    size_t o = (size_t)sprintf(k, "%s", cell(t, row, 0));
    for (int p = 0; p < l->nparams; p++)
        o += (size_t)sprintf(k + o, "\x1f%s", cell(t, row, (size_t)(l->first_param + p)));
    if (with_seed)
        sprintf(k + o, "\x1e%s", cell(t, row, (size_t)l->seed));
    return k;
}

typedef struct keyed {
    char *key;
    size_t row;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* x relative to the baseline mean; from a zero baseline any change is infinite. */
static double relative(double x, double base)
{
    if (base != 0)
        return x / fabs(base);
    return x == 0 ? 0.0 : (x > 0 ? INFINITY : -INFINITY);
}

static void fmt_pct(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%+.2f%%", 100.0 * v);
    else
        snprintf(buf, n, "%s", v > 0 ? "+inf" : v < 0 ? "-inf" : "?");
}

/* A number cell of runs.csv: empty is "no value" (NaN); anything else must
 * be a number. */
static int num_cell(const table *t, size_t row, int col, double *out)
{
    const char *s = cell(t, row, (size_t)col);
    if (!*s) {
        *out = NAN;
        return 0;
    }
    char *end;
    *out = strtod(s, &end);
    if (*end) {
        fprintf(stderr, "edgesim compare: %s:%zu: column \"%s\": expected a number, found "
                        "\"%s\"\n", t->path, t->line[row], cell(t, 0, (size_t)col), s);
        return -1;
    }
    return 0;
}

static int compare_sweeps(const char *dir_a, const char *dir_b, int any_chosen)
{
    table ta, tb;
    layout la, lb;
    int rc = SIM_EXIT_USAGE, regressions = 0;
    keyed *kb = NULL;
    char **ka = NULL;
    size_t *match = NULL;
    char *used = NULL;
    char **reg_lines = NULL;
    double *xa = NULL, *xb = NULL, *xd = NULL;
    if (table_load(dir_a, &ta) != 0)
        return SIM_EXIT_USAGE;
    if (table_load(dir_b, &tb) != 0) {
        table_free(&ta);
        return SIM_EXIT_USAGE;
    }
    if (table_layout(&ta, &la) != 0 || table_layout(&tb, &lb) != 0)
        goto done;
    int same = la.nparams == lb.nparams;
    for (int p = 0; same && p < la.nparams; p++)
        same = !strcmp(cell(&ta, 0, (size_t)(2 + p)), cell(&tb, 0, (size_t)(2 + p)));
    if (!same) {
        fprintf(stderr, "edgesim compare: %s: expected the grid parameters of %s, found other "
                        "columns: the sweeps do not pair up\n", tb.path, ta.path);
        goto done;
    }
    for (size_t m = 0; m < N_METRICS; m++)
        if (any_chosen && defaults[m].chosen && (la.metric[m] < 0 || lb.metric[m] < 0)) {
            fprintf(stderr, "edgesim compare: --metric %s: expected a column %s in %s, found "
                            "none\n", defaults[m].name,
                    defaults[m].column ? defaults[m].column : "for it", la.metric[m] < 0 ?
                    ta.path : tb.path);
            goto done;
        }
    size_t na = ta.nrows - 1, nb = tb.nrows - 1;
    if (na == 0 || na != nb) {
        fprintf(stderr, "edgesim compare: %s has %zu runs and %s has %zu: expected the same "
                        "runs (at least one) in both sweeps\n", ta.path, na, tb.path, nb);
        goto done;
    }
    kb = calloc(nb, sizeof *kb);
    ka = calloc(na, sizeof *ka);
    match = calloc(na, sizeof *match);
    xa = calloc(na, sizeof *xa);
    xb = calloc(na, sizeof *xb);
    xd = calloc(na, sizeof *xd);
    if (!kb || !ka || !match || !xa || !xb || !xd)
        goto oom;
    for (size_t r = 0; r < nb; r++) {
        kb[r].row = r + 1;
        if (!(kb[r].key = row_key(&tb, &lb, r + 1, 1)))
            goto oom;
    }
    qsort(kb, nb, sizeof *kb, keyed_cmp);
    for (size_t r = 1; r < nb; r++)
        if (!strcmp(kb[r].key, kb[r - 1].key)) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)\n", tb.path,
                    tb.line[kb[r].row], cell(&tb, kb[r].row, (size_t)lb.seed));
            goto done;
        }
    for (size_t r = 0; r < na; r++) {
        keyed probe = {.key = row_key(&ta, &la, r + 1, 1)};
        if (!probe.key)
            goto oom;
        keyed *hit = bsearch(&probe, kb, nb, sizeof *kb, keyed_cmp);
        free(probe.key);
        if (!hit) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected a run of the same scenario, "
                            "grid values and seed (%s) in %s, found none\n", ta.path,
                    ta.line[r + 1], cell(&ta, r + 1, (size_t)la.seed), tb.path);
            goto done;
        }
        match[r] = hit->row;
        if (!(ka[r] = row_key(&ta, &la, r + 1, 0)))
            goto oom;
    }
    /* the counts are equal and b's keys distinct: a bijection unless a repeats
     * a key, i.e. two of a's rows found the same b row */
    used = calloc(nb + 1, 1);
    if (!used)
        goto oom;
    for (size_t r = 0; r < na; r++) {
        if (used[match[r]]) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)\n", ta.path,
                    ta.line[r + 1], cell(&ta, r + 1, (size_t)la.seed));
            goto done;
        }
        used[match[r]] = 1;
    }

    size_t fp_diff = 0, fp_pairs = 0;
    printf("%-16s %13s %13s %9s  %-21s %s\n", "metric", "baseline", "candidate", "change",
           "95% interval", "verdict");
    for (size_t g = 0; g < na;) {
        size_t end = g + 1;
        while (end < na && !strcmp(ka[end], ka[g]))
            end++;
        /* the configuration's heading: scenario and grid values */
        printf("\n%s", cell(&ta, g + 1, 0));
        for (int p = 0; p < la.nparams; p++)
            printf("  %s=%s", cell(&ta, 0, (size_t)(2 + p)), cell(&ta, g + 1, (size_t)(2 + p)));
        printf("  (%zu paired runs)\n", end - g);
        for (size_t m = 0; m < N_METRICS; m++) {
            metric *mt = &defaults[m];
            if ((any_chosen && !mt->chosen) || la.metric[m] < 0 || lb.metric[m] < 0)
                continue;
            size_t n = 0;
            for (size_t r = g; r < end; r++) {
                double a, b;
                if (num_cell(&ta, r + 1, la.metric[m], &a) ||
                    num_cell(&tb, match[r], lb.metric[m], &b))
                    goto done;
                if (isfinite(a) && isfinite(b)) {
                    xa[n] = a;
                    xb[n] = b;
                    xd[n++] = b - a;
                }
            }
            if (n == 0) {
                printf("%-16s %13s %13s %9s  %-21s %s\n", mt->name, "-", "-", "", "",
                       "missing");
                continue;
            }
            sim_sweep_stat sa, sb, sd;
            sim_sweep_stats(xa, n, &sa);
            sim_sweep_stats(xb, n, &sb);
            sim_sweep_stats(xd, n, &sd);
            double rel = relative(sd.mean, sa.mean);
            double lo = relative(sd.ci95_low, sa.mean), hi = relative(sd.ci95_high, sa.mean);
            /* "worse" is positive when the change goes the wrong way */
            double dir = mt->higher_better ? -1.0 : 1.0;
            double worse = dir * rel;
            int have_ci = n >= 2 && !isnan(lo) && !isnan(hi);
            int excl_worse = have_ci && (mt->higher_better ? hi < 0 : lo > 0);
            int excl_better = have_ci && (mt->higher_better ? lo > 0 : hi < 0);
            const char *verdict;
            if (!have_ci)
                verdict = "n<2: no interval";
            else if (worse > mt->tolerance && excl_worse)
                verdict = "REGRESSION";
            else if (-worse > mt->tolerance && excl_better)
                verdict = "better";
            else if (fabs(worse) > mt->tolerance)
                verdict = "noise"; /* beyond the tolerance, but the interval holds zero */
            else
                verdict = "ok";
            if (verdict[0] == 'R') {
                /* remembered for the closing list, which CI logs show last */
                char **l = realloc(reg_lines, (size_t)(regressions + 1) * sizeof *l);
                char *line = malloc(1200);
                if (!l || !line) {
                    free(line);
                    if (l)
                        reg_lines = l;
                    goto oom;
                }
                reg_lines = l;
                size_t o = (size_t)snprintf(line, 1200, "  %s", cell(&ta, g + 1, 0));
                for (int p = 0; p < la.nparams && o < 1200; p++)
                    o += (size_t)snprintf(line + o, 1200 - o, " %s=%s", cell(&ta, 0, (size_t)(2 + p)),
                                          cell(&ta, g + 1, (size_t)(2 + p)));
                reg_lines[regressions++] = line;
            }
            char change[32], ci[64], l1[24], h1[24];
            fmt_pct(change, sizeof change, rel);
            if (have_ci) {
                fmt_pct(l1, sizeof l1, lo);
                fmt_pct(h1, sizeof h1, hi);
                snprintf(ci, sizeof ci, "[%s, %s]", l1, h1);
            } else {
                ci[0] = '\0';
            }
            printf("%-16s %13.6g %13.6g %9s  %-21s %s\n", mt->name, sa.mean, sb.mean, change, ci,
                   verdict);
            if (verdict[0] == 'R') {
                char *line = reg_lines[regressions - 1];
                size_t o = strlen(line);
                snprintf(line + o, 1200 - o, ": %s %s %s", mt->name, change, ci);
            }
        }
        g = end;
    }
    if (la.fingerprint >= 0 && lb.fingerprint >= 0)
        for (size_t r = 0; r < na; r++) {
            fp_pairs++;
            fp_diff += strcmp(cell(&ta, r + 1, (size_t)la.fingerprint),
                              cell(&tb, match[r], (size_t)lb.fingerprint)) != 0;
        }
    printf("\nfingerprints: %zu of %zu paired runs differ%s\n", fp_diff, fp_pairs,
           fp_diff ? " (behaviour changed)" : " (identical)");
    printf("%d regression%s%s\n", regressions, regressions == 1 ? "" : "s", regressions ? ":" : "");
    for (int r = 0; r < regressions; r++)
        printf("%s\n", reg_lines[r]);
    rc = regressions ? SIM_EXIT_FAIL : SIM_EXIT_OK;
    goto done;
oom:
    fprintf(stderr, "edgesim compare: out of memory\n");
    rc = SIM_EXIT_FAIL;
done:
    if (kb)
        for (size_t r = 0; r < tb.nrows - 1; r++)
            free(kb[r].key);
    if (ka)
        for (size_t r = 0; r < ta.nrows - 1; r++)
            free(ka[r]);
    free(kb);
    free(ka);
    free(match);
    free(used);
    for (int r = 0; r < regressions; r++)
        free(reg_lines[r]);
    free(reg_lines);
    free(xa);
    free(xb);
    free(xd);
    table_free(&ta);
    table_free(&tb);
    return rc;
}

static int is_sweep_dir(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    return access(path, F_OK) == 0;
}

int sim_cmd_compare(int argc, char **argv)
{
    const char *dirs[2] = {NULL, NULL};
    int ndirs = 0, any_chosen = 0;
    metric *last = NULL;
    sim_opts p;
    sim_opts_init(&p, &sim_compare_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case OPT_METRIC: {
            const char *name = p.arg;
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
            break;
        }
        case OPT_MAX_INCREASE:
        case OPT_MAX_DECREASE: {
            const char *a = p.opt, *v = p.arg;
            if (!last) {
                fprintf(stderr, "edgesim compare: %s: expected after a --metric NAME\n", a);
                return SIM_EXIT_USAGE;
            }
            int wants_higher = id == OPT_MAX_DECREASE;
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
            break;
        }
        case SIM_OPTS_OPERAND:
            if (ndirs == 2) {
                fprintf(stderr, "edgesim compare: expected two run or sweep directories, found "
                                "a third: '%s'\n", p.arg);
                return SIM_EXIT_USAGE;
            }
            dirs[ndirs++] = p.arg;
            break;
        }
    }
    if (ndirs != 2)
        return sim_cmd_fail(&sim_compare_cmd, "expected BASELINE_DIR and CANDIDATE_DIR (see "
                                              "'edgesim compare --help')");
    int sa = is_sweep_dir(dirs[0]), sb = is_sweep_dir(dirs[1]);
    if (sa && sb)
        return compare_sweeps(dirs[0], dirs[1], any_chosen);
    if (sa || sb) {
        fprintf(stderr, "edgesim compare: %s is a sweep (it holds runs.csv) but %s is not: "
                        "expected two sweeps or two runs\n", dirs[sa ? 0 : 1], dirs[sa ? 1 : 0]);
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
