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
#include "common/loadfile.h"
#include "common/textfile.h"
#include "common/threshold.h"
#include "harness/sweep.h"

/* Files compare loads whole, capped before reading: a summary.json is a few
 * kB and a sweep's runs.csv about 300 bytes a run, so these caps leave room
 * for ~800k runs while /dev/zero or a mistaken path is refused at once. */
#define SIM_COMPARE_MAX_SUMMARY ((size_t)64 << 20)  /* 64 MiB */
#define SIM_COMPARE_MAX_RUNS_CSV ((size_t)256 << 20) /* 256 MiB */

typedef struct metric {
    const char *name;   /* as given to --metric */
    const char *path;   /* dotted path in summary.json */
    const char *column; /* its column in a sweep's runs.csv, NULL when it has none */
    int higher_better;
    sim_unit unit;
} metric;

/* The metrics: what a person asks first about a scheduling change. */
static const metric metrics[] = {
    {"latency_p99", "latency_s.p99", "latency_p99_s", 0, SIM_UNIT_SECONDS},
    {"latency_mean", "latency_s.mean", "latency_mean_s", 0, SIM_UNIT_SECONDS},
    {"cold_start_rate", "rates.cold_start_rate", "cold_start_rate", 0, SIM_UNIT_FRACTION},
    {"failure_rate", "rates.failure_rate", "failure_rate", 0, SIM_UNIT_FRACTION},
    {"rejection_rate", "rates.rejection_rate", "rejection_rate", 0, SIM_UNIT_FRACTION},
    {"throughput", "rates.throughput_per_s", "throughput_per_s", 1, SIM_UNIT_PER_S},
    {"availability", "health.availability", "availability", 1, SIM_UNIT_FRACTION},
    {"detection_latency", "health.detection_latency_s.mean", NULL, 0, SIM_UNIT_SECONDS},
    {"energy_per_invocation", "energy.per_ok_invocation_j", NULL, 0, SIM_UNIT_JOULES},
    {"wasted_memory", "keepalive.wasted_mb_s", "wasted_mb_s", 0, SIM_UNIT_MB_S},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

/* One invocation's choices: the directories, the chosen metrics and each
 * metric's tolerance (default 5%), the output form. */
typedef struct compare_opts {
    const char *dirs[2];
    int ndirs;
    int any_chosen;
    int chosen[N_METRICS];
    sim_threshold tol[N_METRICS];
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
    for (size_t i = 0; i < N_METRICS; i++)
        fprintf(out, "  %-22s %s (%s), %s is better%s\n", metrics[i].name, metrics[i].path,
                sim_unit_name(metrics[i].unit), metrics[i].higher_better ? "higher" : "lower",
                metrics[i].column ? "" : " *");
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
    o->last = -1;
    for (size_t m = 0; m < N_METRICS; m++)
        sim_parse_threshold("5%", metrics[m].unit, &o->tol[m], NULL, 0);
}

/* --metric NAME: selects NAME. Returns 0, or prints one line and returns 2. */
static int opt_metric(compare_opts *o, const char *name)
{
    for (size_t k = 0; k < N_METRICS; k++)
        if (!strcmp(metrics[k].name, name)) {
            o->chosen[k] = o->any_chosen = 1;
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
    const metric *m = &metrics[o->last];
    int wants_higher = !strcmp(flag, "--max-decrease");
    if (wants_higher != m->higher_better) {
        fprintf(stderr, "edgesim compare: %s: %s is better %s, so its tolerance is --max-%s\n",
                m->name, m->name, m->higher_better ? "higher" : "lower",
                m->higher_better ? "decrease" : "increase");
        return SIM_EXIT_USAGE;
    }
    char err[400];
    if (sim_parse_threshold(value, m->unit, &o->tol[o->last], err, sizeof err) != 0) {
        fprintf(stderr, "edgesim compare: %s %s (%s, in %s): %s\n", flag, value, m->name,
                sim_unit_name(m->unit), err);
        return SIM_EXIT_USAGE;
    }
    return SIM_EXIT_OK;
}

static int compared(const compare_opts *o, size_t m)
{
    return !o->any_chosen || o->chosen[m];
}

/* ---- results: computed whole before any output ------------------------- */

/* One metric of one configuration (or of the two runs). */
typedef struct result {
    size_t metric;
    double base, cand;    /* means over the pairs */
    double diff;          /* mean paired difference, candidate - baseline */
    double rel;           /* diff relative to |base|; +-inf from a zero baseline */
    int have_ci;          /* sweeps: an interval of diff */
    double lo, hi;        /* its ends, in the metric's unit */
    const char *verdict;  /* "REGRESSION", "better", "noise", "ok" */
} result;

/* A configuration: scenario and grid values (row of the baseline's runs.csv),
 * and its results; for two runs, the one configuration. */
typedef struct config {
    size_t row;    /* first baseline row (sweeps) */
    size_t pairs;
    size_t nres;
    result res[N_METRICS];
} config;

/* x relative to the baseline mean; from a zero baseline any change is infinite. */
static double relative(double x, double base)
{
    if (base != 0)
        return x / fabs(base);
    return x == 0 ? 0.0 : (x > 0 ? INFINITY : -INFINITY);
}

/* The verdict of r under tolerance t: by the relative change for a relative
 * tolerance, the absolute one for an absolute tolerance. With an interval, a
 * regression (or "better") must also exclude zero; beyond the tolerance but
 * with zero inside it is "noise". */
static const char *judge(const metric *m, const sim_threshold *t, const result *r, int sweep)
{
    double dir = m->higher_better ? -1.0 : 1.0;
    double worse = dir * (t->absolute ? r->diff : r->rel);
    if (!sweep)
        return worse > t->value ? "REGRESSION" : worse < -t->value ? "better" : "ok";
    int excl_worse = m->higher_better ? r->hi < 0 : r->lo > 0;
    int excl_better = m->higher_better ? r->lo > 0 : r->hi < 0;
    if (worse > t->value && excl_worse)
        return "REGRESSION";
    if (-worse > t->value && excl_better)
        return "better";
    if (fabs(worse) > t->value)
        return "noise"; /* beyond the tolerance, but the interval holds zero */
    return "ok";
}

/* ---- two runs ----------------------------------------------------------- */

static const char *json_kind(const cJSON *v)
{
    if (!v)
        return "nothing (no such key)";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
        return "a number too large to be finite";
    return "another value";
}

/* Whether JSON text s ends inside a string or with an object or array open:
 * what a file cut short looks like. */
static int json_unclosed(const char *s, size_t len)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        if (in_str) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '"')
                in_str = 0;
        } else if (s[i] == '"') {
            in_str = 1;
        } else if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if ((s[i] == '}' || s[i] == ']') && depth > 0) {
            depth--;
        }
    }
    return in_str || depth > 0;
}

/* DIR/summary.json, capped and parsed whole. Prints one line and returns
 * NULL on a problem; the caller owns the result (cJSON_Delete). */
static cJSON *load_summary(const char *dir)
{
    char path[4200], err[4400];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *buf;
    size_t len;
    if (sim_load_file(path, SIM_COMPARE_MAX_SUMMARY, &buf, &len, err, sizeof err) != SIM_LOAD_OK) {
        fprintf(stderr, "edgesim compare: %s\n", err);
        return NULL;
    }
    if (memchr(buf, '\0', len)) {
        fprintf(stderr, "edgesim compare: %s: expected JSON text, found a NUL byte\n", path);
        free(buf);
        return NULL;
    }
    const char *end = NULL;
    /* len + 1: cJSON's "nothing after the value" check wants to see the NUL */
    cJSON *j = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!cJSON_IsObject(j)) {
        size_t line = 1, last = 1;
        for (const char *q = buf; end && q < end && q < buf + len; q++)
            line += *q == '\n';
        for (const char *q = buf; q < buf + len; q++)
            last += *q == '\n';
        if (!j && json_unclosed(buf, len))
            fprintf(stderr, "edgesim compare: %s:%zu: expected a summary.json object, found the "
                            "end of the file before it closed (truncated?)\n", path, last);
        else if (!j)
            fprintf(stderr, "edgesim compare: %s:%zu: expected a summary.json object, found "
                            "text that is not JSON\n", path, line);
        else
            fprintf(stderr, "edgesim compare: %s: expected a summary.json object, found %s\n",
                    path, json_kind(j));
        cJSON_Delete(j);
        free(buf);
        return NULL;
    }
    free(buf);
    return j;
}

/* The finite number at metric m's path in summary j (of file dir), or -1
 * after one line naming the file and the path. */
static int summary_metric(const cJSON *j, const char *dir, const metric *m, double *out)
{
    const cJSON *v = sim_json_get(j, m->path);
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        *out = v->valuedouble;
        return 0;
    }
    fprintf(stderr, "edgesim compare: %s/summary.json: %s: expected a finite number (metric "
                    "%s), found %s\n", dir, m->path, m->name, json_kind(v));
    return -1;
}

/* Fills c with the compared metrics of two runs' summaries. Returns 0, or 2
 * after one line. */
static int compare_runs(const compare_opts *o, const cJSON *a, const cJSON *b, config *c)
{
    memset(c, 0, sizeof *c);
    c->pairs = 1;
    for (size_t k = 0; k < N_METRICS; k++) {
        if (!compared(o, k))
            continue;
        result *r = &c->res[c->nres];
        if (summary_metric(a, o->dirs[0], &metrics[k], &r->base) ||
            summary_metric(b, o->dirs[1], &metrics[k], &r->cand))
            return SIM_EXIT_USAGE;
        r->metric = k;
        r->diff = r->cand - r->base;
        if (!isfinite(r->diff)) {
            fprintf(stderr, "edgesim compare: %s/summary.json: %s: expected values whose "
                            "difference is finite, found %g and %g\n", o->dirs[1],
                    metrics[k].path, r->base, r->cand);
            return SIM_EXIT_USAGE;
        }
        r->rel = relative(r->diff, r->base);
        r->verdict = judge(&metrics[k], &o->tol[k], r, 0);
        c->nres++;
    }
    return SIM_EXIT_OK;
}

/* ---- sweeps: runs.csv -------------------------------------------------- */

/* A runs.csv read whole and split in place: RFC 4180 quoting (grid values may
 * be JSON objects, which the sweep writes quoted), every record with the
 * header's width. Cells point into text. */
typedef struct table {
    char path[4200];
    char *text;    /* the file, unquoted in place; owns every cell */
    char **cell;   /* nrows x ncols, row 0 the header */
    size_t *line;  /* 1-based line of each row */
    size_t ncols, nrows;
} table;

static void table_free(table *t)
{
    free(t->cell);
    free(t->line);
    free(t->text);
    t->cell = NULL;
    t->line = NULL;
    t->text = NULL;
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

/* Reads DIR/runs.csv into *t (zeroed first; table_free it in any case).
 * Prints one line and returns -1 on a problem. */
static int table_load(const char *dir, table *t)
{
    char err[4400];
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/runs.csv", dir);
    size_t len;
    if (sim_load_file(t->path, SIM_COMPARE_MAX_RUNS_CSV, &t->text, &len, err, sizeof err) !=
        SIM_LOAD_OK) {
        fprintf(stderr, "edgesim compare: %s\n", err);
        return -1;
    }
    char *text = t->text;
    size_t cap = 0, n = 0, rowcap = 0, line = 1, rowstart = 0, rowline = 1;
    size_t w = 0, fstart = 0; /* write position, start of the current field */
    int quoted = 0, at_start = 1, was_quoted = 0;
    for (size_t i = 0; i <= len; i++) {
        char ch = i < len ? text[i] : '\n';
        if (i < len && ch == '\0') {
            fprintf(stderr, "edgesim compare: %s:%zu: expected text, found a NUL byte\n",
                    t->path, line);
            return -1;
        }
        if (quoted) {
            if (i == len) {
                fprintf(stderr, "edgesim compare: %s:%zu: expected a closing quote, found the "
                                "end of the file\n", t->path, rowline);
                return -1;
            }
            if (ch == '"' && i + 1 < len && text[i + 1] == '"') {
                text[w++] = '"';
                i++;
            } else if (ch == '"') {
                quoted = 0;
            } else {
                line += ch == '\n';
                text[w++] = ch;
            }
            continue;
        }
        if (ch == '"' && w == fstart && !was_quoted) {
            quoted = was_quoted = 1;
            at_start = 0;
            continue;
        }
        if (ch == '\r')
            continue;
        if (ch != ',' && ch != '\n') {
            text[w++] = ch;
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
                goto oom;
            t->cell = p;
        }
        text[w++] = '\0'; /* w <= i: the terminator is never ahead of the reader */
        t->cell[n++] = text + fstart;
        fstart = w;
        was_quoted = 0;
        if (ch == ',')
            continue;
        /* end of a record */
        size_t width = n - rowstart;
        if (t->nrows == 0)
            t->ncols = width;
        else if (width != t->ncols) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected %zu fields as in the header, "
                            "found %zu\n", t->path, rowline, t->ncols, width);
            return -1;
        }
        if (t->nrows == rowcap) {
            rowcap = rowcap ? rowcap * 2 : 64;
            size_t *p = realloc(t->line, rowcap * sizeof *p);
            if (!p)
                goto oom;
            t->line = p;
        }
        t->line[t->nrows++] = rowline;
        rowstart = n;
        line++;
        rowline = line;
        at_start = 1;
    }
    return 0;
oom:
    {
        char size[32];
        sim_bytes_format(size, sizeof size, (uint64_t)len);
        fprintf(stderr, "edgesim compare: %s: out of memory splitting %s into cells\n", t->path,
                size);
    }
    return -1;
}

/* The layout of a runs.csv: grid columns between "config" and "replication". */
typedef struct layout {
    int seed, fingerprint, first_param, nparams;
    int metric[N_METRICS]; /* -1: not in this file */
} layout;

static int table_layout(const table *t, layout *l)
{
    int rep = t->nrows ? table_col(t, "replication") : -1;
    l->seed = t->nrows ? table_col(t, "seed") : -1;
    l->fingerprint = t->nrows ? table_col(t, "fingerprint") : -1;
    if (t->nrows < 1 || t->ncols < 4 || strcmp(cell(t, 0, 0), "scenario") ||
        strcmp(cell(t, 0, 1), "config") || rep < 2 || l->seed < 0) {
        fprintf(stderr, "edgesim compare: %s:1: expected the header of a sweep's runs.csv "
                        "(scenario,config,...,replication,seed,...), found %s\n", t->path,
                t->nrows ? "another" : "an empty file");
        return -1;
    }
    l->first_param = 2;
    l->nparams = rep - 2;
    for (size_t m = 0; m < N_METRICS; m++)
        l->metric[m] = metrics[m].column ? table_col(t, metrics[m].column) : -1;
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

/* A metric cell of runs.csv: a finite number, nothing else. An empty cell (a
 * sweep's "no value"), "nan", "inf" or text cannot be judged: -1 after one
 * line naming file, line and column. */
static int num_cell(const table *t, size_t row, int col, double *out)
{
    const char *s = cell(t, row, (size_t)col);
    char *end = NULL;
    errno = 0;
    if (*s)
        *out = strtod(s, &end);
    if (*s && !*end && errno != ERANGE && isfinite(*out))
        return 0;
    fprintf(stderr, "edgesim compare: %s:%zu: column \"%s\": expected a finite number, found "
                    "%s%.40s%s\n", t->path, t->line[row], cell(t, 0, (size_t)col),
            *s ? "\"" : "an empty cell (no value)", s, *s ? "\"" : "");
    return -1;
}

/* The paired sweeps: both tables, their layouts, and for every baseline run
 * (row r + 1 of a) its candidate row match[r]. */
typedef struct pairing {
    table a, b;
    layout la, lb;
    size_t nruns;
    size_t *match;
    char **cfgkey; /* baseline row r + 1's key without the seed */
} pairing;

static void pairing_free(pairing *p)
{
    if (p->cfgkey)
        for (size_t r = 0; r < p->nruns; r++)
            free(p->cfgkey[r]);
    free(p->cfgkey);
    free(p->match);
    table_free(&p->a);
    table_free(&p->b);
}

/* Loads both runs.csv and pairs their runs. Returns 0, or 2 after one line. */
static int pair_sweeps(const compare_opts *o, pairing *p)
{
    int rc = SIM_EXIT_USAGE;
    keyed *kb = NULL;
    char *used = NULL;
    size_t nb = 0;
    memset(p, 0, sizeof *p);
    if (table_load(o->dirs[0], &p->a) != 0 || table_load(o->dirs[1], &p->b) != 0)
        return SIM_EXIT_USAGE;
    table *ta = &p->a, *tb = &p->b;
    if (table_layout(ta, &p->la) != 0 || table_layout(tb, &p->lb) != 0)
        return SIM_EXIT_USAGE;
    int same = p->la.nparams == p->lb.nparams;
    for (int q = 0; same && q < p->la.nparams; q++)
        same = !strcmp(cell(ta, 0, (size_t)(2 + q)), cell(tb, 0, (size_t)(2 + q)));
    if (!same) {
        fprintf(stderr, "edgesim compare: %s: expected the grid parameters of %s, found other "
                        "columns: the sweeps do not pair up\n", tb->path, ta->path);
        return SIM_EXIT_USAGE;
    }
    /* fail closed: every compared metric that a sweep records must be there */
    for (size_t m = 0; m < N_METRICS; m++) {
        if (!compared(o, m) || (!metrics[m].column && !o->any_chosen))
            continue;
        if (p->la.metric[m] < 0 || p->lb.metric[m] < 0) {
            fprintf(stderr, "edgesim compare: %s:1: --metric %s: expected a column %s, found "
                            "none%s\n", p->la.metric[m] < 0 ? ta->path : tb->path,
                    metrics[m].name, metrics[m].column ? metrics[m].column : "for it",
                    metrics[m].column ? " (choose the metrics both sweeps have with --metric)"
                                      : " (it is not in a sweep's runs.csv)");
            return SIM_EXIT_USAGE;
        }
    }
    size_t na = ta->nrows - 1;
    nb = tb->nrows - 1;
    if (na == 0 || na != nb) {
        fprintf(stderr, "edgesim compare: %s has %zu runs and %s has %zu: expected the same "
                        "runs (at least one) in both sweeps\n", ta->path, na, tb->path, nb);
        return SIM_EXIT_USAGE;
    }
    p->nruns = na;
    kb = calloc(nb, sizeof *kb);
    p->cfgkey = calloc(na, sizeof *p->cfgkey);
    p->match = calloc(na, sizeof *p->match);
    used = calloc(nb + 1, 1);
    if (!kb || !p->cfgkey || !p->match || !used)
        goto oom;
    for (size_t r = 0; r < nb; r++) {
        kb[r].row = r + 1;
        if (!(kb[r].key = row_key(tb, &p->lb, r + 1, 1)))
            goto oom;
    }
    qsort(kb, nb, sizeof *kb, keyed_cmp);
    for (size_t r = 1; r < nb; r++)
        if (!strcmp(kb[r].key, kb[r - 1].key)) {
            /* the later of the two in the file */
            size_t row = kb[r].row > kb[r - 1].row ? kb[r].row : kb[r - 1].row;
            fprintf(stderr, "edgesim compare: %s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)\n", tb->path,
                    tb->line[row], cell(tb, row, (size_t)p->lb.seed));
            goto done;
        }
    for (size_t r = 0; r < na; r++) {
        keyed probe = {.key = row_key(ta, &p->la, r + 1, 1)};
        if (!probe.key)
            goto oom;
        keyed *hit = bsearch(&probe, kb, nb, sizeof *kb, keyed_cmp);
        free(probe.key);
        if (!hit) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected a run of the same scenario, "
                            "grid values and seed (%s) in %s, found none\n", ta->path,
                    ta->line[r + 1], cell(ta, r + 1, (size_t)p->la.seed), tb->path);
            goto done;
        }
        /* the counts are equal and b's keys distinct: a bijection unless a
         * repeats a key, i.e. two of a's rows find the same b row */
        if (used[hit->row]) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)\n", ta->path,
                    ta->line[r + 1], cell(ta, r + 1, (size_t)p->la.seed));
            goto done;
        }
        used[hit->row] = 1;
        p->match[r] = hit->row;
        if (!(p->cfgkey[r] = row_key(ta, &p->la, r + 1, 0)))
            goto oom;
    }
    rc = SIM_EXIT_OK;
    goto done;
oom:
    fprintf(stderr, "edgesim compare: out of memory pairing %s with %s\n", ta->path, tb->path);
done:
    if (kb)
        for (size_t r = 0; r < nb; r++)
            free(kb[r].key);
    free(kb);
    free(used);
    return rc;
}

/* Groups the paired runs into configurations (consecutive baseline rows with
 * one key, as a sweep writes them) and computes every compared metric of
 * each. *out (the caller frees it) gets *nout configurations. Returns 0, or 2
 * after one line. */
static int compare_sweeps(const compare_opts *o, const pairing *p, config **out, size_t *nout)
{
    const table *ta = &p->a, *tb = &p->b;
    size_t na = p->nruns, ncfg = 0;
    double *xa = calloc(na, sizeof *xa), *xb = calloc(na, sizeof *xb),
           *xd = calloc(na, sizeof *xd);
    config *cfg = NULL;
    int rc = SIM_EXIT_USAGE;
    *out = NULL;
    *nout = 0;
    if (!xa || !xb || !xd)
        goto oom;
    for (size_t g = 0; g < na;) {
        size_t end = g + 1;
        while (end < na && !strcmp(p->cfgkey[end], p->cfgkey[g]))
            end++;
        config *c = realloc(cfg, (ncfg + 1) * sizeof *c);
        if (!c)
            goto oom;
        cfg = c;
        c = &cfg[ncfg++];
        memset(c, 0, sizeof *c);
        c->row = g + 1;
        c->pairs = end - g;
        if (c->pairs < 2) {
            fprintf(stderr, "edgesim compare: %s:%zu: expected at least 2 paired runs of a "
                            "configuration for a 95%% interval, found 1 (sweep with "
                            "\"replications\" of 2 or more)\n", ta->path, ta->line[g + 1]);
            goto done;
        }
        for (size_t m = 0; m < N_METRICS; m++) {
            if (!compared(o, m) || p->la.metric[m] < 0)
                continue;
            for (size_t r = g; r < end; r++) {
                if (num_cell(ta, r + 1, p->la.metric[m], &xa[r - g]) ||
                    num_cell(tb, p->match[r], p->lb.metric[m], &xb[r - g]))
                    goto done;
                xd[r - g] = xb[r - g] - xa[r - g];
            }
            sim_sweep_stat sa, sb, sd;
            sim_sweep_stats(xa, c->pairs, &sa);
            sim_sweep_stats(xb, c->pairs, &sb);
            sim_sweep_stats(xd, c->pairs, &sd);
            if (sa.n != c->pairs || sb.n != c->pairs || sd.n != c->pairs)
                goto oom; /* the only way sim_sweep_stats drops finite values */
            result *r = &c->res[c->nres++];
            r->metric = m;
            r->base = sa.mean;
            r->cand = sb.mean;
            r->diff = sd.mean;
            r->lo = sd.ci95_low;
            r->hi = sd.ci95_high;
            r->have_ci = 1;
            if (!isfinite(r->diff) || !isfinite(r->lo) || !isfinite(r->hi) ||
                !isfinite(r->base) || !isfinite(r->cand)) {
                fprintf(stderr, "edgesim compare: %s:%zu: column \"%s\": expected values whose "
                                "means and differences are finite, found them overflowing\n",
                        ta->path, ta->line[g + 1], metrics[m].column);
                goto done;
            }
            r->rel = relative(r->diff, r->base);
            r->verdict = judge(&metrics[m], &o->tol[m], r, 1);
        }
        g = end;
    }
    *out = cfg;
    *nout = ncfg;
    cfg = NULL;
    rc = SIM_EXIT_OK;
    goto done;
oom:
    fprintf(stderr, "edgesim compare: out of memory comparing %s with %s\n", ta->path, tb->path);
done:
    free(cfg);
    free(xa);
    free(xb);
    free(xd);
    return rc;
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
static void fmt_interval(char *buf, size_t n, const result *r, const sim_threshold *t)
{
    char lo[32], hi[32];
    if (t->absolute) {
        snprintf(lo, sizeof lo, "%+.4g", r->lo);
        snprintf(hi, sizeof hi, "%+.4g", r->hi);
    } else {
        fmt_pct(lo, sizeof lo, relative(r->lo, r->base));
        fmt_pct(hi, sizeof hi, relative(r->hi, r->base));
    }
    snprintf(buf, n, "[%s, %s]", lo, hi);
}

static void print_runs_table(const compare_opts *o, const config *c, const cJSON *a,
                             const cJSON *b)
{
    printf("%-22s %-6s %13s %13s %13s %9s %10s  %s\n", "metric", "unit", "baseline", "candidate",
           "change", "change %", "tolerance", "verdict");
    size_t regressions = 0;
    for (size_t i = 0; i < c->nres; i++) {
        const result *r = &c->res[i];
        const metric *m = &metrics[r->metric];
        char pct[32];
        fmt_pct(pct, sizeof pct, r->rel);
        printf("%-22s %-6s %13.6g %13.6g %+13.6g %9s %10s  %s\n", m->name, sim_unit_name(m->unit),
               r->base, r->cand, r->diff, pct, o->tol[r->metric].text, r->verdict);
        regressions += r->verdict[0] == 'R';
    }
    const cJSON *fa = sim_json_get(a, "fingerprint"), *fb = sim_json_get(b, "fingerprint");
    if (cJSON_IsString(fa) && cJSON_IsString(fb))
        printf("fingerprints: %s -> %s (%s)\n", fa->valuestring, fb->valuestring,
               strcmp(fa->valuestring, fb->valuestring) ? "behaviour changed" : "identical");
    printf("%zu regression%s\n", regressions, regressions == 1 ? "" : "s");
}

/* "SCENARIO  p=v  q=w" of configuration c, with sep between the parts. */
static void print_config_label(FILE *f, const pairing *p, const config *c, const char *sep)
{
    fputs(cell(&p->a, c->row, 0), f);
    for (int q = 0; q < p->la.nparams; q++)
        fprintf(f, "%s%s=%s", sep, cell(&p->a, 0, (size_t)(2 + q)),
                cell(&p->a, c->row, (size_t)(2 + q)));
}

static void fingerprint_counts(const pairing *p, size_t *pairs, size_t *differ)
{
    *pairs = *differ = 0;
    if (p->la.fingerprint < 0 || p->lb.fingerprint < 0)
        return;
    for (size_t r = 0; r < p->nruns; r++) {
        (*pairs)++;
        *differ += strcmp(cell(&p->a, r + 1, (size_t)p->la.fingerprint),
                          cell(&p->b, p->match[r], (size_t)p->lb.fingerprint)) != 0;
    }
}

static void print_sweeps_table(const compare_opts *o, const pairing *p, const config *cfg,
                               size_t ncfg)
{
    printf("%-16s %-6s %13s %13s %13s %9s  %-21s %10s  %s\n", "metric", "unit", "baseline",
           "candidate", "change", "change %", "95% interval", "tolerance", "verdict");
    size_t regressions = 0;
    for (size_t g = 0; g < ncfg; g++) {
        const config *c = &cfg[g];
        putchar('\n');
        print_config_label(stdout, p, c, "  ");
        printf("  (%zu paired runs)\n", c->pairs);
        for (size_t i = 0; i < c->nres; i++) {
            const result *r = &c->res[i];
            const metric *m = &metrics[r->metric];
            char pct[32], ci[80];
            fmt_pct(pct, sizeof pct, r->rel);
            fmt_interval(ci, sizeof ci, r, &o->tol[r->metric]);
            printf("%-16s %-6s %13.6g %13.6g %+13.6g %9s  %-21s %10s  %s\n", m->name,
                   sim_unit_name(m->unit), r->base, r->cand, r->diff, pct, ci,
                   o->tol[r->metric].text, r->verdict);
            regressions += r->verdict[0] == 'R';
        }
    }
    size_t pairs, differ;
    fingerprint_counts(p, &pairs, &differ);
    printf("\nfingerprints: %zu of %zu paired runs differ%s\n", differ, pairs,
           differ ? " (behaviour changed)" : " (identical)");
    printf("%zu regression%s%s\n", regressions, regressions == 1 ? "" : "s",
           regressions ? ":" : "");
    /* the closing list repeats each regression, for the end of a CI log */
    for (size_t g = 0; g < ncfg; g++)
        for (size_t i = 0; i < cfg[g].nres; i++) {
            const result *r = &cfg[g].res[i];
            if (r->verdict[0] != 'R')
                continue;
            char pct[32], ci[80];
            fmt_pct(pct, sizeof pct, r->rel);
            fmt_interval(ci, sizeof ci, r, &o->tol[r->metric]);
            fputs("  ", stdout);
            print_config_label(stdout, p, &cfg[g], " ");
            printf(": %s %s %s%s%s\n", metrics[r->metric].name, pct, ci,
                   o->tol[r->metric].absolute ? " " : "",
                   o->tol[r->metric].absolute ? sim_unit_name(metrics[r->metric].unit) : "");
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
static cJSON *json_results(const compare_opts *o, const config *c, size_t *reg)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < c->nres; i++) {
        const result *r = &c->res[i];
        const metric *m = &metrics[r->metric];
        const sim_threshold *t = &o->tol[r->metric];
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
                                  json_pair(100.0 * relative(r->lo, r->base),
                                            100.0 * relative(r->hi, r->base)));
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
static int print_json(const compare_opts *o, const pairing *p, const config *cfg, size_t ncfg,
                      const cJSON *a, const cJSON *b)
{
    cJSON *root = cJSON_CreateObject();
    size_t regressions = 0;
    if (!root)
        goto oom;
    cJSON_AddStringToObject(root, "mode", p ? "sweeps" : "runs");
    cJSON_AddStringToObject(root, "baseline", o->dirs[0]);
    cJSON_AddStringToObject(root, "candidate", o->dirs[1]);
    cJSON *cs = cJSON_AddArrayToObject(root, "configurations");
    for (size_t g = 0; cs && g < ncfg; g++) {
        cJSON *c = cJSON_CreateObject();
        if (!c)
            goto oom;
        cJSON_AddItemToArray(cs, c);
        if (p) {
            cJSON_AddStringToObject(c, "scenario", cell(&p->a, cfg[g].row, 0));
            cJSON *grid = cJSON_AddObjectToObject(c, "grid");
            for (int q = 0; grid && q < p->la.nparams; q++)
                cJSON_AddStringToObject(grid, cell(&p->a, 0, (size_t)(2 + q)),
                                        cell(&p->a, cfg[g].row, (size_t)(2 + q)));
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
        fingerprint_counts(p, &pairs, &differ);
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

static size_t count_regressions(const config *cfg, size_t ncfg)
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

static int run_compare(const compare_opts *o)
{
    int sa = is_sweep_dir(o->dirs[0]), sb = is_sweep_dir(o->dirs[1]);
    if (sa != sb) {
        fprintf(stderr, "edgesim compare: %s is a sweep (it holds runs.csv) but %s is not: "
                        "expected two sweeps or two runs\n", o->dirs[sa ? 0 : 1],
                o->dirs[sa ? 1 : 0]);
        return SIM_EXIT_USAGE;
    }
    if (sa) {
        pairing p;
        config *cfg = NULL;
        size_t ncfg = 0;
        int rc = pair_sweeps(o, &p);
        if (rc == SIM_EXIT_OK)
            rc = compare_sweeps(o, &p, &cfg, &ncfg);
        if (rc == SIM_EXIT_OK) {
            if (o->json)
                rc = print_json(o, &p, cfg, ncfg, NULL, NULL);
            else
                print_sweeps_table(o, &p, cfg, ncfg);
            if (rc == SIM_EXIT_OK)
                rc = finish(count_regressions(cfg, ncfg) ? SIM_EXIT_FAIL : SIM_EXIT_OK);
        }
        free(cfg);
        pairing_free(&p);
        return rc;
    }
    cJSON *base = load_summary(o->dirs[0]), *cand = base ? load_summary(o->dirs[1]) : NULL;
    config c;
    int rc = base && cand ? compare_runs(o, base, cand, &c) : SIM_EXIT_USAGE;
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
            o.dirs[o.ndirs++] = p.arg;
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
