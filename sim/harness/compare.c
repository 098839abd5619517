/*
 * compare.c — the paired comparison of two runs or two sweeps (compare.h).
 * Everything is computed whole before the command prints anything, so
 * stdout never holds half a table.
 */
#include "harness/compare.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/jsonget.h"
#include "common/loadfile.h"
#include "common/textfile.h"
#include "harness/sweep.h"

/* The metrics: what a person asks first about a scheduling change. */
const sim_compare_metric sim_compare_metrics[SIM_COMPARE_NMETRICS] = {
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

void sim_compare_spec_init(sim_compare_spec *s)
{
    memset(s, 0, sizeof *s);
    for (size_t m = 0; m < SIM_COMPARE_NMETRICS; m++)
        sim_parse_threshold("5%", sim_compare_metrics[m].unit, &s->tol[m], NULL, 0);
}

int sim_compare_chosen(const sim_compare_spec *s, size_t m)
{
    return !s->any_chosen || s->chosen[m];
}

/* x relative to the baseline mean; from a zero baseline any change is infinite. */
double sim_compare_relative(double x, double base)
{
    if (base != 0)
        return x / fabs(base);
    return x == 0 ? 0.0 : (x > 0 ? INFINITY : -INFINITY);
}

/* The verdict of r under tolerance t: by the relative change for a relative
 * tolerance, the absolute one for an absolute tolerance. With an interval, a
 * regression (or "better") must also exclude zero; beyond the tolerance but
 * with zero inside it is "noise". */
static const char *judge(const sim_compare_metric *m, const sim_threshold *t, const sim_compare_result *r, int sweep)
{
    double dir = m->higher_better ? -1.0 : 1.0;
    double worse = dir * (t->absolute ? r->diff : r->rel);
    /* A change exactly at the tolerance is within it: 1.0 -> 1.05 under 5%
     * computes as 5.0000000000000044%. The slack is the rounding of the
     * difference of two doubles of these sizes (relative to the baseline for
     * a relative tolerance), far below any tolerance a person writes. */
    double slack = 8 * DBL_EPSILON * (fabs(r->base) + fabs(r->cand));
    if (!t->absolute && r->base != 0)
        slack /= fabs(r->base);
    double tol = t->value + slack;
    if (!sweep)
        return worse > tol ? "REGRESSION" : worse < -tol ? "better" : "ok";
    int excl_worse = m->higher_better ? r->hi < 0 : r->lo > 0;
    int excl_better = m->higher_better ? r->lo > 0 : r->hi < 0;
    if (worse > tol && excl_worse)
        return "REGRESSION";
    if (-worse > tol && excl_better)
        return "better";
    if (fabs(worse) > tol)
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

/* DIR/summary.json, capped and parsed whole. NULL with one line in
 * err on a problem; the caller owns the result (cJSON_Delete). */
cJSON *sim_compare_load_summary(const char *dir, char *err, size_t errlen)
{
    char path[4200];
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        size_t n = strlen(dir);
        snprintf(err, errlen, "%s: %s", dir,
                 n > 5 && !strcmp(dir + n - 5, ".json")
                     ? "a file, not a run or sweep directory (a scenario? `edgesim run` it, "
                       "then compare the directories runs write)"
                     : "not a run or sweep directory");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *buf;
    size_t len;
    if (sim_load_file(path, SIM_COMPARE_MAX_SUMMARY, &buf, &len, err, errlen) != SIM_LOAD_OK)
        return NULL;
    if (memchr(buf, '\0', len)) {
        snprintf(err, errlen, "%s: expected JSON text, found a NUL byte", path);
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
            snprintf(err, errlen, "%s:%zu: expected a summary.json object, found the "
                            "end of the file before it closed (truncated?)", path, last);
        else if (!j)
            snprintf(err, errlen, "%s:%zu: expected a summary.json object, found "
                            "text that is not JSON", path, line);
        else
            snprintf(err, errlen, "%s: expected a summary.json object, found %s",
                    path, json_kind(j));
        cJSON_Delete(j);
        free(buf);
        return NULL;
    }
    free(buf);
    return j;
}

/* The finite number at metric m's path in summary j (of file dir), or -1
 * with one line in err naming the file and the path. */
static int summary_metric(const cJSON *j, const char *dir, const sim_compare_metric *m, double *out,
                          char *err, size_t errlen)
{
    const cJSON *v = sim_json_get(j, m->path);
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        *out = v->valuedouble;
        return 0;
    }
    snprintf(err, errlen, "%s/summary.json: %s: expected a finite number (metric "
                    "%s), found %s", dir, m->path, m->name, json_kind(v));
    return -1;
}

/* Fills c with the compared metrics of two runs' summaries. Returns 0, or -1 with one line in err. */
int sim_compare_runs(const sim_compare_spec *o, const cJSON *a, const cJSON *b, sim_compare_config *c,
                     char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->pairs = 1;
    for (size_t k = 0; k < SIM_COMPARE_NMETRICS; k++) {
        if (!sim_compare_chosen(o, k))
            continue;
        sim_compare_result *r = &c->res[c->nres];
        if (summary_metric(a, o->dirs[0], &sim_compare_metrics[k], &r->base, err, errlen) ||
            summary_metric(b, o->dirs[1], &sim_compare_metrics[k], &r->cand, err, errlen))
            return -1;
        r->metric = k;
        r->diff = r->cand - r->base;
        if (!isfinite(r->diff)) {
            snprintf(err, errlen, "%s/summary.json: %s: expected values whose "
                            "difference is finite, found %g and %g", o->dirs[1],
                    sim_compare_metrics[k].path, r->base, r->cand);
            return -1;
        }
        r->rel = sim_compare_relative(r->diff, r->base);
        r->verdict = judge(&sim_compare_metrics[k], &o->tol[k], r, 0);
        c->nres++;
    }
    return 0;
}

/* ---- sweeps: runs.csv -------------------------------------------------- */


static void compare_table_free(sim_compare_table *t)
{
    free(t->cell);
    free(t->line);
    free(t->text);
    t->cell = NULL;
    t->line = NULL;
    t->text = NULL;
}

const char *sim_compare_cell(const sim_compare_table *t, size_t row, size_t col)
{
    return t->cell[row * t->ncols + col];
}

static int table_col(const sim_compare_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(sim_compare_cell(t, 0, c), name))
            return (int)c;
    return -1;
}

/* Reads DIR/runs.csv into *t (zeroed first; table_free it in any case).
 * Returns -1 with one line in err on a problem. */
static int table_load(const char *dir, sim_compare_table *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/runs.csv", dir);
    size_t len;
    if (sim_load_file(t->path, SIM_COMPARE_MAX_RUNS_CSV, &t->text, &len, err, errlen) !=
        SIM_LOAD_OK)
        return -1;
    char *text = t->text;
    size_t cap = 0, n = 0, rowcap = 0, line = 1, rowstart = 0, rowline = 1;
    size_t w = 0, fstart = 0; /* write position, start of the current field */
    int quoted = 0, at_start = 1, was_quoted = 0;
    for (size_t i = 0; i <= len; i++) {
        char ch = i < len ? text[i] : '\n';
        if (i < len && ch == '\0') {
            snprintf(err, errlen, "%s:%zu: expected text, found a NUL byte",
                    t->path, line);
            return -1;
        }
        if (quoted) {
            if (i == len) {
                snprintf(err, errlen, "%s:%zu: expected a closing quote, found the "
                                "end of the file", t->path, rowline);
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
            snprintf(err, errlen, "%s:%zu: expected %zu fields as in the header, "
                            "found %zu", t->path, rowline, t->ncols, width);
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
        snprintf(err, errlen, "%s: out of memory splitting %s into cells", t->path,
                size);
    }
    return -1;
}


static int table_layout(const sim_compare_table *t, sim_compare_layout *l, char *err,
                        size_t errlen)
{
    int rep = t->nrows ? table_col(t, "replication") : -1;
    l->seed = t->nrows ? table_col(t, "seed") : -1;
    l->fingerprint = t->nrows ? table_col(t, "fingerprint") : -1;
    if (t->nrows < 1 || t->ncols < 4 || strcmp(sim_compare_cell(t, 0, 0), "scenario") ||
        strcmp(sim_compare_cell(t, 0, 1), "config") || rep < 2 || l->seed < 0) {
        snprintf(err, errlen, "%s:1: expected the header of a sweep's runs.csv "
                        "(scenario,config,...,replication,seed,...), found %s", t->path,
                t->nrows ? "another" : "an empty file");
        return -1;
    }
    l->first_param = 2;
    l->nparams = rep - 2;
    for (size_t m = 0; m < SIM_COMPARE_NMETRICS; m++)
        l->metric[m] = sim_compare_metrics[m].column ? table_col(t, sim_compare_metrics[m].column) : -1;
    return 0;
}

/* The pairing key of a row: scenario, grid values and seed, separated by
 * bytes no cell holds. */
static char *row_key(const sim_compare_table *t, const sim_compare_layout *l, size_t row, int with_seed)
{
    size_t n = strlen(sim_compare_cell(t, row, 0)) + strlen(sim_compare_cell(t, row, (size_t)l->seed)) + 3;
    for (int p = 0; p < l->nparams; p++)
        n += strlen(sim_compare_cell(t, row, (size_t)(l->first_param + p))) + 1;
    char *k = malloc(n);
    if (!k)
        return NULL;
    size_t o = (size_t)sprintf(k, "%s", sim_compare_cell(t, row, 0));
    for (int p = 0; p < l->nparams; p++)
        o += (size_t)sprintf(k + o, "\x1f%s", sim_compare_cell(t, row, (size_t)(l->first_param + p)));
    if (with_seed)
        sprintf(k + o, "\x1e%s", sim_compare_cell(t, row, (size_t)l->seed));
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
 * sweep's "no value"), "nan", "inf" or text cannot be judged: -1 with one
 * line in err naming file, line and column. */
static int num_cell(const sim_compare_table *t, size_t row, int col, double *out, char *err,
                    size_t errlen)
{
    const char *s = sim_compare_cell(t, row, (size_t)col);
    char *end = NULL;
    errno = 0;
    if (*s)
        *out = strtod(s, &end);
    if (*s && !*end && errno != ERANGE && isfinite(*out))
        return 0;
    snprintf(err, errlen, "%s:%zu: column \"%s\": expected a finite number, found "
                    "%s%.40s%s", t->path, t->line[row], sim_compare_cell(t, 0, (size_t)col),
            *s ? "\"" : "an empty cell (no value)", s, *s ? "\"" : "");
    return -1;
}


void sim_compare_pairing_free(sim_compare_pairing *p)
{
    if (p->cfgkey)
        for (size_t r = 0; r < p->nruns; r++)
            free(p->cfgkey[r]);
    free(p->cfgkey);
    free(p->match);
    compare_table_free(&p->a);
    compare_table_free(&p->b);
}

/* Loads both runs.csv and pairs their runs. Returns 0, or -1 with one line in err. */
int sim_compare_pair_sweeps(const sim_compare_spec *o, sim_compare_pairing *p, char *err,
                            size_t errlen)
{
    int rc = -1;
    keyed *kb = NULL;
    char *used = NULL;
    size_t nb = 0;
    memset(p, 0, sizeof *p);
    if (table_load(o->dirs[0], &p->a, err, errlen) != 0 ||
        table_load(o->dirs[1], &p->b, err, errlen) != 0)
        return -1;
    sim_compare_table *ta = &p->a, *tb = &p->b;
    if (table_layout(ta, &p->la, err, errlen) != 0 || table_layout(tb, &p->lb, err, errlen) != 0)
        return -1;
    int same = p->la.nparams == p->lb.nparams;
    for (int q = 0; same && q < p->la.nparams; q++)
        same = !strcmp(sim_compare_cell(ta, 0, (size_t)(2 + q)), sim_compare_cell(tb, 0, (size_t)(2 + q)));
    if (!same) {
        snprintf(err, errlen, "%s: expected the grid parameters of %s, found other "
                        "columns: the sweeps do not pair up", tb->path, ta->path);
        return -1;
    }
    /* fail closed: every compared metric that a sweep records must be there */
    for (size_t m = 0; m < SIM_COMPARE_NMETRICS; m++) {
        if (!sim_compare_chosen(o, m) || (!sim_compare_metrics[m].column && !o->any_chosen))
            continue;
        if (p->la.metric[m] < 0 || p->lb.metric[m] < 0) {
            snprintf(err, errlen, "%s:1: --metric %s: expected a column %s, found "
                            "none%s", p->la.metric[m] < 0 ? ta->path : tb->path,
                    sim_compare_metrics[m].name, sim_compare_metrics[m].column ? sim_compare_metrics[m].column : "for it",
                    sim_compare_metrics[m].column ? " (choose the metrics both sweeps have with --metric)"
                                      : " (it is not in a sweep's runs.csv)");
            return -1;
        }
    }
    size_t na = ta->nrows - 1;
    nb = tb->nrows - 1;
    if (na == 0 || na != nb) {
        snprintf(err, errlen, "%s has %zu runs and %s has %zu: expected the same "
                        "runs (at least one) in both sweeps", ta->path, na, tb->path, nb);
        return -1;
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
            snprintf(err, errlen, "%s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)", tb->path,
                    tb->line[row], sim_compare_cell(tb, row, (size_t)p->lb.seed));
            goto done;
        }
    for (size_t r = 0; r < na; r++) {
        keyed probe = {.key = row_key(ta, &p->la, r + 1, 1)};
        if (!probe.key)
            goto oom;
        keyed *hit = bsearch(&probe, kb, nb, sizeof *kb, keyed_cmp);
        free(probe.key);
        if (!hit) {
            snprintf(err, errlen, "%s:%zu: expected a run of the same scenario, "
                            "grid values and seed (%s) in %s, found none", ta->path,
                    ta->line[r + 1], sim_compare_cell(ta, r + 1, (size_t)p->la.seed), tb->path);
            goto done;
        }
        /* the counts are equal and b's keys distinct: a bijection unless a
         * repeats a key, i.e. two of a's rows find the same b row */
        if (used[hit->row]) {
            snprintf(err, errlen, "%s:%zu: expected one run per scenario, grid "
                            "values and seed, found a second (seed %s)", ta->path,
                    ta->line[r + 1], sim_compare_cell(ta, r + 1, (size_t)p->la.seed));
            goto done;
        }
        used[hit->row] = 1;
        p->match[r] = hit->row;
        if (!(p->cfgkey[r] = row_key(ta, &p->la, r + 1, 0)))
            goto oom;
    }
    rc = 0;
    goto done;
oom:
    snprintf(err, errlen, "out of memory pairing %s with %s", ta->path, tb->path);
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
 * each. *out (the caller frees it) gets *nout configurations. Returns 0, or -1 with one line in err. */
int sim_compare_sweeps(const sim_compare_spec *o, const sim_compare_pairing *p,
                       sim_compare_config **out, size_t *nout, char *err, size_t errlen)
{
    const sim_compare_table *ta = &p->a, *tb = &p->b;
    size_t na = p->nruns, ncfg = 0;
    double *xa = calloc(na, sizeof *xa), *xb = calloc(na, sizeof *xb),
           *xd = calloc(na, sizeof *xd);
    sim_compare_config *cfg = NULL;
    int rc = -1;
    *out = NULL;
    *nout = 0;
    if (!xa || !xb || !xd)
        goto oom;
    for (size_t g = 0; g < na;) {
        size_t end = g + 1;
        while (end < na && !strcmp(p->cfgkey[end], p->cfgkey[g]))
            end++;
        sim_compare_config *c = realloc(cfg, (ncfg + 1) * sizeof *c);
        if (!c)
            goto oom;
        cfg = c;
        c = &cfg[ncfg++];
        memset(c, 0, sizeof *c);
        c->row = g + 1;
        c->pairs = end - g;
        if (c->pairs < 2) {
            snprintf(err, errlen, "%s:%zu: expected at least 2 paired runs of a "
                            "configuration for a 95%% interval, found 1 (sweep with "
                            "\"replications\" of 2 or more)", ta->path, ta->line[g + 1]);
            goto done;
        }
        for (size_t m = 0; m < SIM_COMPARE_NMETRICS; m++) {
            if (!sim_compare_chosen(o, m) || p->la.metric[m] < 0)
                continue;
            /* a pair where neither run has a value (a latency when nothing
             * completed: the sweep leaves the cell empty) has nothing to
             * compare and is left out; one run without a value is an error */
            size_t used = 0;
            for (size_t r = g; r < end; r++) {
                if (!*sim_compare_cell(ta, r + 1, (size_t)p->la.metric[m]) &&
                    !*sim_compare_cell(tb, p->match[r], (size_t)p->lb.metric[m]))
                    continue;
                if (num_cell(ta, r + 1, p->la.metric[m], &xa[used], err, errlen) ||
                    num_cell(tb, p->match[r], p->lb.metric[m], &xb[used], err, errlen))
                    goto done;
                xd[used] = xb[used] - xa[used];
                used++;
            }
            sim_compare_result *r = &c->res[c->nres++];
            r->metric = m;
            if (used < 2) { /* no interval: nothing to judge */
                r->base = r->cand = r->diff = r->rel = r->lo = r->hi = NAN;
                r->have_ci = 0;
                r->verdict = SIM_COMPARE_NO_VALUE;
                continue;
            }
            sim_sweep_stat sa, sb, sd;
            sim_sweep_stats(xa, used, &sa);
            sim_sweep_stats(xb, used, &sb);
            sim_sweep_stats(xd, used, &sd);
            if (sa.n != used || sb.n != used || sd.n != used)
                goto oom; /* the only way sim_sweep_stats drops finite values */
            r->base = sa.mean;
            r->cand = sb.mean;
            r->diff = sd.mean;
            r->lo = sd.ci95_low;
            r->hi = sd.ci95_high;
            r->have_ci = 1;
            if (!isfinite(r->diff) || !isfinite(r->lo) || !isfinite(r->hi) ||
                !isfinite(r->base) || !isfinite(r->cand)) {
                snprintf(err, errlen, "%s:%zu: column \"%s\": expected values whose "
                                "means and differences are finite, found them overflowing",
                        ta->path, ta->line[g + 1], sim_compare_metrics[m].column);
                goto done;
            }
            r->rel = sim_compare_relative(r->diff, r->base);
            r->verdict = judge(&sim_compare_metrics[m], &o->tol[m], r, 1);
        }
        g = end;
    }
    *out = cfg;
    *nout = ncfg;
    cfg = NULL;
    rc = 0;
    goto done;
oom:
    snprintf(err, errlen, "out of memory comparing %s with %s", ta->path, tb->path);
done:
    free(cfg);
    free(xa);
    free(xb);
    free(xd);
    return rc;
}

void sim_compare_fingerprints(const sim_compare_pairing *p, size_t *pairs, size_t *differ)
{
    *pairs = *differ = 0;
    if (p->la.fingerprint < 0 || p->lb.fingerprint < 0)
        return;
    for (size_t r = 0; r < p->nruns; r++) {
        (*pairs)++;
        *differ += strcmp(sim_compare_cell(&p->a, r + 1, (size_t)p->la.fingerprint),
                          sim_compare_cell(&p->b, p->match[r], (size_t)p->lb.fingerprint)) != 0;
    }
}
