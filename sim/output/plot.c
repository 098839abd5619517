/*
 * plot.c — reads a run directory, reduces its outputs to small data files
 * and draws them with gnuplot (the contract is in plot.h).
 *
 * The work has three steps. (1) Read the small outputs whole: summary.json
 * (cJSON), nodes.csv (the node order every picture keeps), timeseries.csv
 * (one row per sample interval) and faults.csv (normalised into windows:
 * a crash without "for" is paired with its later "recover"). (2) Stream the
 * big ones once each into bounded reductions written as gnuplot data files
 * in a temporary folder inside the run directory: latency.csv into one CDF
 * file per curve, node_series.csv into the heat-map grid, health.csv into
 * status intervals per lane (or step counts by status when there are too
 * many nodes for lanes). (3) Write one gnuplot script: for every plot and
 * format, the terminal, a few variables computed here (titles, ranges, tics
 * that depend on the data), the house style and the plot's own script, both
 * compiled in from scripts/plots/NAME.gp; run gnuplot once; rename the
 * pictures into DIR/plots/; write the report from the SVGs.
 *
 * Text that reaches gnuplot is quoted with single quotes (no escapes are
 * processed inside them but '' for a quote) and the terminals run
 * "noenhanced", so an id like "sensor_agg" is not typeset as a subscript.
 * gnuplot's SVG terminal escapes text for XML itself.
 */
#include "output/plot.h"
#include "common/jsonget.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input/csv.h"
#include "output/outfile.h"
#include "output/plot_internal.h"
#include "plot_scripts.h" /* generated: sim__gp_scripts[], the scripts/plots/NAME.gp texts */

extern char **environ;

#define PATH_LEN 4096
/* Sizes of the pictures in pixels (PNG) or user units (SVG). */
#define W_DEFAULT 1200
#define H_DEFAULT 700
/* Fault windows labelled by name in the time plots; with more, only the
 * legend counts them by kind. */
#define MAX_FAULT_LABELS 12
#define MAX_FAULT_LABEL_ROWS 3
/* Shaded fault areas drawn per plot after merging overlaps of one kind. */
#define MAX_FAULT_OBJECTS 400

const char *const sim_plot_names[] = {"latency_cdf",  "latency_over_time", "load",
                                      "busy_heatmap", "node_status",       "cold_starts",
                                      "outcomes",     NULL};

static const char *const captions[] = {
    "Latency CDF of ok invocations, overall and for the busiest functions (log x axis); the "
    "run's p50 and p99 are marked.",
    "Latency percentiles (p50, p95, p99) of the invocations that completed ok in each sample "
    "interval; fault and load-spike windows shaded.",
    "Arrivals and completions per second (top); rejections and failures per second "
    "(bottom); fault windows shaded.",
    "Busy execution slots of every node over time, nodes in registration order.",
    "Status of every node over time as reported by the health monitor, with the crash faults "
    "that caused them.",
    "Cold starts per admitted arrival in each sample interval; the dashed line is the run's "
    "overall cold-start rate.",
    "Outcomes of all invocations by reason (log scale).",
};

/* ---- small strings ---- */

void sim__sb_addn(sim__sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sim__sb_add(sim__sb *b, const char *s)
{
    sim__sb_addn(b, s, strlen(s));
}

void sim__sb_printf(sim__sb *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sim__sb_addn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sim__sb_addn(b, big, (size_t)n);
    free(big);
}

void sim__sb_free(sim__sb *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* Appends s as a gnuplot single-quoted string: '' for a quote, control
 * characters as spaces (a newline would end the command). */
static void sb_gpstr(sim__sb *b, const char *s)
{
    sim__sb_add(b, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            sim__sb_add(b, "''");
        else if (c < 0x20 || c == 0x7f)
            sim__sb_add(b, " ");
        else
            sim__sb_addn(b, s, 1);
    }
    sim__sb_add(b, "'");
}

/* Appends "name = 'value'\n". */
static void sb_gpvar(sim__sb *b, const char *name, const char *value)
{
    sim__sb_printf(b, "%s = ", name);
    sb_gpstr(b, value);
    sim__sb_add(b, "\n");
}

void sim__fmt_latency(char *buf, size_t n, double s)
{
    if (!isfinite(s))
        snprintf(buf, n, "n/a");
    else if (s < 1e-3)
        snprintf(buf, n, "%.3g us", s * 1e6);
    else if (s < 1.0)
        snprintf(buf, n, "%.3g ms", s * 1e3);
    else
        snprintf(buf, n, "%.3g s", s);
}

void sim__fmt_count(char *buf, size_t n, double count)
{
    if (!isfinite(count) || fabs(count) >= 1e18) {
        snprintf(buf, n, "%g", count);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(count));
    size_t len = strlen(digits), o = 0;
    char out[48];
    if (count < 0 && strcmp(digits, "0"))
        out[o++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

/* ---- a map from node id to registration index (open addressing) ---- */

typedef struct strmap {
    const char **keys; /* borrowed from the run's node ids */
    size_t *vals;
    size_t cap;
} strmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int strmap_init(strmap *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n + 1)
        m->cap *= 2;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    return m->keys && m->vals ? 0 : -1;
}

/* Returns 0 when added, 1 when key was there already. */
static int strmap_put(strmap *m, const char *key, size_t val)
{
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key))
            return 1;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    return 0;
}

static long strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key))
            return (long)m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

static void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- the run ---- */

typedef struct ts_row {
    double t0, t1, arrivals, completions, failures, rejections, cold, p50, p95, p99;
} ts_row;

/* A fault or operation as the plots show it: a window [a, b) or an
 * instant (b == a). */
typedef struct fwin {
    double a, b;
    char *kind, *target;
    long node; /* index in nodes.csv, or -1 */
    int instant;
} fwin;

enum { ST_ONLINE, ST_OFFLINE, ST_DEGRADED, ST_SYNCING, ST_MAINTENANCE, ST_COUNT };
static const char *const status_names[ST_COUNT] = {"online", "offline", "degraded", "syncing",
                                                   "maintenance"};
/* ONLINE green, OFFLINE red, DEGRADED amber, SYNCING blue, MAINTENANCE grey:
 * the same in common.gp (the legend) and here (the lanes). */
static const unsigned status_rgb[ST_COUNT] = {0x2ca02c, 0xd62728, 0xf2a900, 0x1f77b4, 0x9e9e9e};

typedef struct run {
    const char *dir;
    char *name;  /* the scenario's name, else the folder's */
    char *title; /* "quickstart · least_loaded · seed 42" */
    cJSON *summary;
    double duration; /* seconds */
    double tdiv;     /* seconds per time unit of the x axes */
    const char *tunit;
    ts_row *ts;
    size_t nts;
    char **node_id, **node_region;
    size_t nnodes;
    strmap nodes;
    fwin *faults;
    size_t nfaults;
    char tmp[PATH_LEN]; /* the temporary folder, "" until made */
} run;

static void run_free(run *r)
{
    free(r->name);
    free(r->title);
    cJSON_Delete(r->summary);
    free(r->ts);
    for (size_t i = 0; i < r->nnodes; i++) {
        free(r->node_id[i]);
        free(r->node_region[i]);
    }
    free(r->node_id);
    free(r->node_region);
    strmap_free(&r->nodes);
    for (size_t i = 0; i < r->nfaults; i++) {
        free(r->faults[i].kind);
        free(r->faults[i].target);
    }
    free(r->faults);
}

static int path_in(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, PATH_LEN, "%s/%s", dir, name);
    return n > 0 && n < PATH_LEN ? 0 : -1;
}


static const char *jstr(const cJSON *o, const char *dotted)
{
    const cJSON *v = sim_json_get(o, dotted);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static sim_plot_status oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return SIM_PLOT_FAILED;
}

static sim_plot_status read_summary(run *r, char *err, size_t errlen)
{
    char path[PATH_LEN];
    if (path_in(path, r->dir, "summary.json") != 0) {
        snprintf(err, errlen, "%s: path too long", r->dir);
        return SIM_PLOT_BAD_INPUT;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return SIM_PLOT_BAD_INPUT;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > SIM_PLOT_SUMMARY_MAX) {
        fclose(f);
        snprintf(err, errlen, "%s: expected a regular file of at most %zu bytes", path,
                 SIM_PLOT_SUMMARY_MAX);
        return SIM_PLOT_BAD_INPUT;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) {
        fclose(f);
        return oom(err, errlen);
    }
    size_t got = fread(buf, 1, n, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || got != n) {
        free(buf);
        snprintf(err, errlen, "%s: read error", path);
        return SIM_PLOT_FAILED;
    }
    buf[n] = '\0';
    const char *end = NULL;
    r->summary = cJSON_ParseWithLengthOpts(buf, n, &end, 0);
    if (!r->summary || !cJSON_IsObject(r->summary)) {
        size_t at = end && end >= buf && end <= buf + n ? (size_t)(end - buf) : 0;
        size_t line = 1;
        for (size_t i = 0; i < at; i++)
            line += buf[i] == '\n';
        snprintf(err, errlen, "%s:%zu: expected a JSON object (the run's summary), found %s",
                 path, line, r->summary ? "another JSON value" : "invalid JSON");
        free(buf);
        return SIM_PLOT_BAD_INPUT;
    }
    free(buf);
    return SIM_PLOT_OK;
}

static sim_plot_status csv_open(run *r, const char *name, sim_csv **c, const char *const *cols,
                                int *idx, size_t ncols, char *err, size_t errlen)
{
    char path[PATH_LEN];
    if (path_in(path, r->dir, name) != 0) {
        snprintf(err, errlen, "%s: path too long", r->dir);
        return SIM_PLOT_BAD_INPUT;
    }
    *c = sim_csv_open(path, err, errlen);
    if (!*c)
        return errno == ENOMEM ? SIM_PLOT_FAILED : SIM_PLOT_BAD_INPUT;
    if (sim_csv_require(*c, cols, idx, ncols, err, errlen) != 0) {
        sim_csv_close(*c);
        *c = NULL;
        return SIM_PLOT_BAD_INPUT;
    }
    return SIM_PLOT_OK;
}

static sim_plot_status row_error(const sim_csv *c, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s:%zu: %s", sim_csv_path(c), sim_csv_line(c), what);
    return SIM_PLOT_BAD_INPUT;
}

static sim_plot_status read_nodes(run *r, char *err, size_t errlen)
{
    static const char *const cols[] = {"node", "region"};
    int idx[2];
    sim_csv *c;
    sim_plot_status st = csv_open(r, "nodes.csv", &c, cols, idx, 2, err, errlen);
    if (st)
        return st;
    size_t cap = 0;
    int k;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        const char *id = sim_csv_field(c, idx[0]);
        if (!id[0]) {
            st = row_error(c, "column \"node\": expected a node id, found an empty field", err,
                           errlen);
            goto out;
        }
        if (r->nnodes == cap) {
            cap = cap ? 2 * cap : 64;
            char **a = realloc(r->node_id, cap * sizeof *a);
            if (a)
                r->node_id = a;
            char **b = realloc(r->node_region, cap * sizeof *b);
            if (b)
                r->node_region = b;
            if (!a || !b) {
                st = oom(err, errlen);
                goto out;
            }
        }
        r->node_id[r->nnodes] = strdup(id);
        r->node_region[r->nnodes] = strdup(sim_csv_field(c, idx[1]));
        r->nnodes++;
        if (!r->node_id[r->nnodes - 1] || !r->node_region[r->nnodes - 1]) {
            st = oom(err, errlen);
            goto out;
        }
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    if (strmap_init(&r->nodes, r->nnodes) != 0) {
        st = oom(err, errlen);
        goto out;
    }
    for (size_t i = 0; i < r->nnodes; i++) {
        if (strmap_put(&r->nodes, r->node_id[i], i)) {
            snprintf(err, errlen, "%s/nodes.csv: node \"%.64s\" appears more than once", r->dir,
                     r->node_id[i]);
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
    }
out:
    sim_csv_close(c);
    return st;
}

static sim_plot_status read_timeseries(run *r, char *err, size_t errlen)
{
    static const char *const cols[] = {
        "t_start_s",   "t_end_s",    "arrivals",      "completions",   "failures",
        "rejections",  "cold_starts", "latency_p50_s", "latency_p95_s", "latency_p99_s"};
    int idx[10];
    sim_csv *c;
    sim_plot_status st = csv_open(r, "timeseries.csv", &c, cols, idx, 10, err, errlen);
    if (st)
        return st;
    size_t cap = 0;
    int k;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        double v[10];
        for (int i = 0; i < 10; i++)
            if (sim_csv_double(c, idx[i], i >= 7, &v[i], err, errlen) != 0) {
                st = SIM_PLOT_BAD_INPUT;
                goto out;
            }
        if (!(v[1] > v[0]) || v[0] < 0) {
            st = row_error(c, "expected 0 <= t_start_s < t_end_s", err, errlen);
            goto out;
        }
        if (r->nts && v[0] < r->ts[r->nts - 1].t0) {
            st = row_error(c, "expected sample intervals in increasing order of t_start_s", err,
                           errlen);
            goto out;
        }
        for (int i = 2; i < 7; i++)
            if (v[i] < 0) {
                st = row_error(c, "expected counts of at least 0", err, errlen);
                goto out;
            }
        if (r->nts == cap) {
            cap = cap ? 2 * cap : 256;
            ts_row *p = realloc(r->ts, cap * sizeof *p);
            if (!p) {
                st = oom(err, errlen);
                goto out;
            }
            r->ts = p;
        }
        r->ts[r->nts++] = (ts_row){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
    }
    if (k < 0)
        st = SIM_PLOT_BAD_INPUT;
out:
    sim_csv_close(c);
    return st;
}

static int add_fault(run *r, size_t *cap, double a, double b, const char *kind,
                     const char *target)
{
    if (r->nfaults == *cap) {
        *cap = *cap ? 2 * *cap : 32;
        fwin *p = realloc(r->faults, *cap * sizeof *p);
        if (!p)
            return -1;
        r->faults = p;
    }
    fwin *f = &r->faults[r->nfaults];
    memset(f, 0, sizeof *f);
    f->a = a;
    f->b = b;
    f->instant = !(b > a);
    f->kind = strdup(kind);
    f->target = strdup(target);
    f->node = strmap_get(&r->nodes, target);
    r->nfaults++;
    return f->kind && f->target ? 0 : -1;
}

/* Reads faults.csv into windows. A "crash" without a window ends at the
 * next "recover" of its node (or the end of the run); that "recover" is
 * then not shown again as an instant. */
static sim_plot_status read_faults(run *r, char *err, size_t errlen)
{
    static const char *const cols[] = {"start_s", "end_s", "kind", "target"};
    int idx[4];
    sim_csv *c;
    sim_plot_status st = csv_open(r, "faults.csv", &c, cols, idx, 4, err, errlen);
    if (st)
        return st;
    size_t cap = 0;
    int k;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        double a, b;
        if (sim_csv_double(c, idx[0], 0, &a, err, errlen) != 0 ||
            sim_csv_double(c, idx[1], 0, &b, err, errlen) != 0) {
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
        if (a < 0 || b < a) {
            st = row_error(c, "expected 0 <= start_s <= end_s", err, errlen);
            goto out;
        }
        const char *kind = sim_csv_field(c, idx[2]);
        if (!kind[0]) {
            st = row_error(c, "column \"kind\": expected a fault kind, found an empty field",
                           err, errlen);
            goto out;
        }
        if (add_fault(r, &cap, a, b, kind, sim_csv_field(c, idx[3])) != 0) {
            st = oom(err, errlen);
            goto out;
        }
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    /* pair open crashes with their recoveries */
    size_t kept = 0;
    for (size_t i = 0; i < r->nfaults; i++) {
        fwin *f = &r->faults[i];
        if (!strcmp(f->kind, "crash") && f->instant) {
            f->b = r->duration;
            for (size_t j = i + 1; j < r->nfaults; j++) {
                fwin *g = &r->faults[j];
                if (!strcmp(g->kind, "recover") && !strcmp(g->target, f->target) && g->a >= f->a) {
                    f->b = g->a;
                    g->kind[0] = '\0'; /* consumed */
                    break;
                }
            }
            f->instant = !(f->b > f->a);
        }
    }
    for (size_t i = 0; i < r->nfaults; i++) {
        if (r->faults[i].kind[0]) {
            r->faults[kept++] = r->faults[i];
        } else {
            free(r->faults[i].kind);
            free(r->faults[i].target);
        }
    }
    r->nfaults = kept;
out:
    sim_csv_close(c);
    return st;
}

/* The x axes' unit: seconds for short runs, then minutes, hours, days. */
static void choose_time_unit(run *r)
{
    double d = r->duration;
    if (d <= 300) {
        r->tdiv = 1;
        r->tunit = "s";
    } else if (d <= 5 * 3600) {
        r->tdiv = 60;
        r->tunit = "min";
    } else if (d <= 72 * 3600) {
        r->tdiv = 3600;
        r->tunit = "h";
    } else {
        r->tdiv = 86400;
        r->tunit = "days";
    }
}

static const char *const required_files[] = {"summary.json", "timeseries.csv", "node_series.csv",
                                             "health.csv",   "nodes.csv",      "latency.csv",
                                             "faults.csv",   NULL};

static sim_plot_status load_run(run *r, char *err, size_t errlen)
{
    struct stat st;
    if (stat(r->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", r->dir,
                 errno == ENOENT || !S_ISDIR(st.st_mode) ? "no such run directory"
                                                          : strerror(errno));
        return SIM_PLOT_BAD_INPUT;
    }
    for (const char *const *f = required_files; *f; f++) {
        char path[PATH_LEN];
        if (path_in(path, r->dir, *f) != 0) {
            snprintf(err, errlen, "%s: path too long", r->dir);
            return SIM_PLOT_BAD_INPUT;
        }
        if (stat(path, &st) != 0) {
            snprintf(err, errlen, "%s: missing (expected the outputs of `edgesim run` here; "
                                  "see docs/outputs.md)",
                     path);
            return SIM_PLOT_BAD_INPUT;
        }
    }
    sim_plot_status s = read_summary(r, err, errlen);
    if (s)
        return s;
    const char *scen = jstr(r->summary, "scenario");
    if (scen && scen[0]) {
        r->name = strdup(scen);
    } else { /* the folder's own name, also for "." or "run/" */
        char *real = realpath(r->dir, NULL);
        const char *d = real ? real : r->dir;
        size_t n = strlen(d);
        while (n > 1 && d[n - 1] == '/')
            n--;
        size_t b = n;
        while (b > 0 && d[b - 1] != '/')
            b--;
        r->name = strndup(d + b, n - b);
        free(real);
    }
    if (!r->name)
        return oom(err, errlen);
    sim__sb t = {0};
    sim__sb_add(&t, r->name);
    const char *sched = jstr(r->summary, "scheduler");
    if (sched)
        sim__sb_printf(&t, " \xc2\xb7 %s", sched);
    double seed = sim_json_number(r->summary, "seed");
    if (isfinite(seed))
        sim__sb_printf(&t, " \xc2\xb7 seed %.0f", seed);
    if (t.oom) {
        sim__sb_free(&t);
        return oom(err, errlen);
    }
    r->title = t.s;
    if ((s = read_nodes(r, err, errlen)) || (s = read_timeseries(r, err, errlen)))
        return s;
    r->duration = sim_json_number(r->summary, "duration_s");
    if (!(r->duration > 0))
        r->duration = r->nts ? r->ts[r->nts - 1].t1 : 1.0;
    if ((s = read_faults(r, err, errlen)))
        return s;
    choose_time_unit(r);
    return SIM_PLOT_OK;
}

/* ---- data files ---- */

static FILE *tmp_open(run *r, const char *name, char *err, size_t errlen)
{
    char path[PATH_LEN];
    FILE *f = NULL;
    if (path_in(path, r->tmp, name) == 0)
        f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "%s/%s: cannot write: %s", r->tmp, name, strerror(errno));
    return f;
}

static sim_plot_status tmp_close(FILE *f, run *r, const char *name, char *err, size_t errlen)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s/%s: cannot write: %s", r->tmp, name,
                 strerror(errno ? errno : EIO));
        return SIM_PLOT_FAILED;
    }
    return SIM_PLOT_OK;
}

/* What one plot needs: its data files are written, params holds the
 * gnuplot variables and settings for its script. */
typedef struct prep {
    sim__sb params;
    const char *script; /* a name in sim__gp_scripts */
    int width, height;
} prep;

static void prep_empty(prep *p, const char *title, const char *message)
{
    p->script = "empty";
    sb_gpvar(&p->params, "plot_title", title);
    sb_gpvar(&p->params, "empty_message", message);
}

/* The time plots share the fault shading (faults_shade.gp), the fault
 * labels above the plot (faults_labels.gp) and a legend entry per kind
 * (the macro fault_keys). */

typedef struct kind_style {
    const char *kind, *rgb;
} kind_style;

static const kind_style kind_styles[] = {
    {"crash", "#d62728"},       {"heartbeat_delay", "#ff7f0e"}, {"heartbeat_loss", "#9467bd"},
    {"degrade", "#bcbd22"},     {"maintenance", "#7f7f7f"},     {"load_spike", "#1f77b4"},
    {"burst", "#17becf"},       {"drain", "#8c564b"},           {"random_failures", "#e377c2"},
    {"recover", "#2ca02c"},     {"register", "#7570b3"},        {"deregister", "#e7298a"},
    {"deploy", "#1b9e77"},      {"undeploy", "#d95f02"},        {"state_update", "#66a61e"},
    {"state_corruption", "#a6761d"},
};

static const char *kind_rgb(const char *kind)
{
    for (size_t i = 0; i < sizeof kind_styles / sizeof kind_styles[0]; i++)
        if (!strcmp(kind_styles[i].kind, kind))
            return kind_styles[i].rgb;
    return "#555555";
}

static int cmp_fwin(const void *x, const void *y)
{
    const fwin *a = *(const fwin *const *)x, *b = *(const fwin *const *)y;
    int k = strcmp(a->kind, b->kind);
    if (k)
        return k;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static sim_plot_status write_fault_snippets(run *r, char *err, size_t errlen)
{
    sim__sb shade = {0}, labels = {0}, keys = {0};
    sim_plot_status st = SIM_PLOT_OK;
    const fwin **v = r->nfaults ? malloc(r->nfaults * sizeof *v) : NULL;
    if (r->nfaults && !v)
        return oom(err, errlen);
    for (size_t i = 0; i < r->nfaults; i++)
        v[i] = &r->faults[i];
    if (r->nfaults)
        qsort(v, r->nfaults, sizeof *v, cmp_fwin);
    double td = r->tdiv;
    int nobj = 0;
    /* shading: windows of one kind merged where they overlap */
    for (size_t i = 0; i < r->nfaults;) {
        size_t j = i;
        const char *kind = v[i]->kind;
        size_t count = 0, ninst = 0;
        while (j < r->nfaults && !strcmp(v[j]->kind, kind)) {
            const fwin *f = v[j];
            if (f->instant) {
                ninst++;
                if (nobj < MAX_FAULT_OBJECTS) {
                    sim__sb_printf(&shade,
                                   "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead back "
                                   "dt 2 lw 1.2 lc rgb '%s'\n",
                                   f->a / td, f->a / td, kind_rgb(kind));
                    nobj++;
                }
                j++;
                count++;
                continue;
            }
            double a = f->a, b = f->b;
            j++;
            count++;
            while (j < r->nfaults && !strcmp(v[j]->kind, kind) && !v[j]->instant &&
                   v[j]->a <= b) {
                if (v[j]->b > b)
                    b = v[j]->b;
                j++;
                count++;
            }
            if (nobj < MAX_FAULT_OBJECTS) {
                sim__sb_printf(&shade,
                               "set object rect from %.6g, graph 0 to %.6g, graph 1 behind "
                               "fc rgb '%s' fs transparent solid 0.16 noborder\n",
                               a / td, b / td, kind_rgb(kind));
                nobj++;
            }
        }
        size_t nwin = count - ninst;
        char title[160];
        if (nwin) {
            if (nwin == 1)
                snprintf(title, sizeof title, "%.40s window", kind);
            else
                snprintf(title, sizeof title, "%.40s windows (%zu)", kind, nwin);
            sim__sb_printf(&keys, ", NaN with boxes fs transparent solid 0.3 noborder "
                                  "lc rgb '%s' title ",
                           kind_rgb(kind));
            sb_gpstr(&keys, title);
        }
        if (ninst) {
            if (ninst == 1)
                snprintf(title, sizeof title, "%.40s", kind);
            else
                snprintf(title, sizeof title, "%.40s (%zu)", kind, ninst);
            sim__sb_printf(&keys, ", NaN with lines dt 2 lw 1.2 lc rgb '%s' title ",
                           kind_rgb(kind));
            sb_gpstr(&keys, title);
        }
        i = j;
    }
    /* labels: in time order, in up to MAX_FAULT_LABEL_ROWS rows above the
     * plot, each in the first row where it does not run into the previous
     * label; only when there are few enough to read */
    int rows_used = 0;
    if (r->nfaults && r->nfaults <= MAX_FAULT_LABELS) {
        const fwin **byt = malloc(r->nfaults * sizeof *byt);
        if (!byt) {
            free(v);
            return oom(err, errlen);
        }
        memcpy(byt, v, r->nfaults * sizeof *byt);
        for (size_t i = 1; i < r->nfaults; i++) /* insertion sort by start: at most 12 */
            for (size_t j = i; j > 0 && byt[j]->a < byt[j - 1]->a; j--) {
                const fwin *t = byt[j];
                byt[j] = byt[j - 1];
                byt[j - 1] = t;
            }
        double row_end[MAX_FAULT_LABEL_ROWS];
        for (int k = 0; k < MAX_FAULT_LABEL_ROWS; k++)
            row_end[k] = -INFINITY;
        /* the plot area is about 850 px of 1200 (the legend takes the
         * right); a 9-point character about 6.5 px */
        double per_char = r->duration / 850.0 * 6.5;
        for (size_t i = 0; i < r->nfaults; i++) {
            const fwin *f = byt[i];
            char text[160];
            snprintf(text, sizeof text, "%.40s%s%.40s", f->kind, f->target[0] ? " " : "",
                     f->target);
            double w = (double)strlen(text) * per_char + per_char;
            int row = -1;
            for (int k = 0; k < MAX_FAULT_LABEL_ROWS; k++)
                if (row_end[k] <= f->a) {
                    row = k;
                    break;
                }
            if (row < 0)
                continue;
            /* a label that would run past the right edge ends at the window */
            double x = f->a;
            const char *align = "left";
            if (x + w > r->duration) {
                x = f->instant ? f->a : f->b;
                align = "right";
            }
            row_end[row] = f->a + w;
            if (row + 1 > rows_used)
                rows_used = row + 1;
            sim__sb_add(&labels, "set label ");
            sb_gpstr(&labels, text);
            sim__sb_printf(&labels,
                           " at first %.6g, graph 1 %s offset character %s, character %.2f "
                           "font ',9' tc rgb '%s' front\n",
                           x / td, align, !strcmp(align, "left") ? "0.3" : "-0.3",
                           0.6 + 1.15 * row, kind_rgb(f->kind));
        }
        free(byt);
    }
    /* room above the plot for the rows, and the title lifted above them */
    sim__sb_printf(&labels, "set tmargin %.1f\nset title offset character 0, character %.2f\n",
                   3.0 + 1.15 * rows_used, rows_used > 1 ? 1.15 * (rows_used - 1) : 0.0);
    free(v);
    if (shade.oom || labels.oom || keys.oom) {
        st = oom(err, errlen);
        goto out;
    }
    const char *names[3] = {"faults_shade.gp", "faults_labels.gp", "fault_keys.gp"};
    sim__sb *texts[3] = {&shade, &labels, &keys};
    for (int i = 0; i < 3 && !st; i++) {
        FILE *f = tmp_open(r, names[i], err, errlen);
        if (!f) {
            st = SIM_PLOT_FAILED;
            break;
        }
        if (i == 2) {
            fputs("fault_keys = ", f);
            sim__sb q = {0};
            sb_gpstr(&q, keys.s ? keys.s : "");
            fputs(q.s ? q.s : "''", f);
            fputs("\n", f);
            if (q.oom)
                st = oom(err, errlen);
            sim__sb_free(&q);
        } else if (texts[i]->s) {
            fputs(texts[i]->s, f);
        }
        sim_plot_status c = tmp_close(f, r, names[i], err, errlen);
        if (!st)
            st = c;
    }
out:
    sim__sb_free(&shade);
    sim__sb_free(&labels);
    sim__sb_free(&keys);
    return st;
}

/* Sets tmax and the x axis for the time plots. */
static void time_params(run *r, prep *p)
{
    sim__sb_printf(&p->params, "tmax = %.9g\n", r->duration / r->tdiv);
}

/* (1) latency CDF */

typedef struct cdf_curve {
    const char *scope; /* "all" or a function id (borrowed from the summary) */
    FILE *f;
    double prev, lo, hi, p50, p99;
    size_t rows;
} cdf_curve;

static int cmp_count_desc(const void *x, const void *y)
{
    const cJSON *a = *(const cJSON *const *)x, *b = *(const cJSON *const *)y;
    double ca = sim_json_number(a, "latency_s.count"), cb = sim_json_number(b, "latency_s.count");
    if (!isfinite(ca))
        ca = sim_json_number(a, "ok");
    if (!isfinite(cb))
        cb = sim_json_number(b, "ok");
    if (!isfinite(ca))
        ca = -1;
    if (!isfinite(cb))
        cb = -1;
    return ca < cb ? 1 : ca > cb ? -1 : 0;
}

static void decade_tics(sim__sb *b, double lo, double hi)
{
    int d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));
    int fine = d1 - d0 <= 4;
    sim__sb_add(b, "set xtics (");
    int first = 1;
    for (int d = d0; d <= d1; d++) {
        static const int mult[] = {1, 2, 5};
        for (int m = 0; m < (fine ? 3 : 1); m++) {
            double v = mult[m] * pow(10, d);
            if (v < lo || v > hi)
                continue;
            char label[32];
            sim__fmt_latency(label, sizeof label, v);
            sim__sb_printf(b, "%s'%s' %.12g", first ? "" : ", ", label, v);
            first = 0;
        }
    }
    sim__sb_add(b, ")\nset mxtics 10\n");
}

static sim_plot_status prep_latency_cdf(run *r, prep *p, char *err, size_t errlen)
{
    static const char *const cols[] = {"scope", "bucket_lo_s", "bucket_hi_s", "count", "cdf"};
    cdf_curve cur[1 + SIM_PLOT_MAX_FUNCTIONS];
    size_t ncur = 1;
    memset(cur, 0, sizeof cur);
    cur[0].scope = "all";
    /* the busiest functions by ok invocations, from the summary */
    const cJSON *fns = sim_json_get(r->summary, "functions");
    size_t nf = (size_t)cJSON_GetArraySize(fns);
    const cJSON **fv = nf && cJSON_IsObject(fns) ? malloc(nf * sizeof *fv) : NULL;
    size_t nfv = 0;
    if (fv) {
        for (const cJSON *f = fns->child; f; f = f->next)
            if (f->string && cJSON_IsObject(f))
                fv[nfv++] = f;
        qsort(fv, nfv, sizeof *fv, cmp_count_desc);
        for (size_t i = 0; i < nfv && ncur < 1 + SIM_PLOT_MAX_FUNCTIONS; i++)
            cur[ncur++].scope = fv[i]->string;
    }
    for (size_t i = 0; i < ncur; i++) {
        cur[i].lo = INFINITY;
        cur[i].p50 = cur[i].p99 = NAN;
    }
    int idx[5];
    sim_csv *c = NULL;
    sim_plot_status st = csv_open(r, "latency.csv", &c, cols, idx, 5, err, errlen);
    if (st)
        goto out;
    for (size_t i = 0; i < ncur; i++) {
        char name[32];
        snprintf(name, sizeof name, "cdf_%zu.dat", i);
        if (!(cur[i].f = tmp_open(r, name, err, errlen))) {
            st = SIM_PLOT_FAILED;
            goto out;
        }
    }
    int k;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        const char *scope = sim_csv_field(c, idx[0]);
        cdf_curve *cc = NULL;
        for (size_t i = 0; i < ncur && !cc; i++)
            if (!strcmp(cur[i].scope, scope))
                cc = &cur[i];
        double lo, hi, n, cdf;
        if (sim_csv_double(c, idx[1], 0, &lo, err, errlen) ||
            sim_csv_double(c, idx[2], 0, &hi, err, errlen) ||
            sim_csv_double(c, idx[3], 0, &n, err, errlen) ||
            sim_csv_double(c, idx[4], 0, &cdf, err, errlen)) {
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
        if (!(lo >= 0 && hi >= lo && n >= 0 && cdf >= 0 && cdf <= 1.000001)) {
            st = row_error(c, "expected 0 <= bucket_lo_s <= bucket_hi_s, count >= 0 and "
                              "0 <= cdf <= 1",
                           err, errlen);
            goto out;
        }
        if (!cc)
            continue;
        /* uniform within a bucket: a straight line from (lo, before) to (hi, cdf) */
        double l = lo > 1e-9 ? lo : 1e-9, h = hi > l ? hi : l * 1.0001;
        fprintf(cc->f, "%.9g %.9g\n%.9g %.9g\n", l, cc->prev, h, cdf);
        if (cc->prev < 0.5 && cdf >= 0.5)
            cc->p50 = h;
        if (cc->prev < 0.99 && cdf >= 0.99)
            cc->p99 = h;
        cc->prev = cdf;
        if (l < cc->lo)
            cc->lo = l;
        if (h > cc->hi)
            cc->hi = h;
        cc->rows++;
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    for (size_t i = 0; i < ncur; i++) {
        char name[32];
        snprintf(name, sizeof name, "cdf_%zu.dat", i);
        FILE *f = cur[i].f;
        cur[i].f = NULL;
        if ((st = tmp_close(f, r, name, err, errlen)))
            goto out;
    }
    if (!cur[0].rows) {
        prep_empty(p, "Latency CDF", "no invocation completed ok in this run: no latency to show");
        goto out;
    }
    /* Functions without rows are left out; the summary's percentiles are
     * the documented ones, the CDF's are the fallback. */
    double lo = cur[0].lo, hi = cur[0].hi;
    size_t shown = 0;
    sim__sb *b = &p->params;
    sim__sb names = {0};
    for (size_t i = 1; i < ncur; i++) {
        if (!cur[i].rows)
            continue;
        shown++;
        if (cur[i].lo < lo)
            lo = cur[i].lo;
        if (cur[i].hi > hi)
            hi = cur[i].hi;
        const cJSON *fo = cJSON_GetObjectItemCaseSensitive(fns, cur[i].scope);
        double p50 = sim_json_number(fo, "latency_s.p50"), p99 = sim_json_number(fo, "latency_s.p99");
        if (!(p50 > 0))
            p50 = cur[i].p50;
        if (!(p99 > 0))
            p99 = cur[i].p99;
        char a[32], z[32], title[256];
        sim__fmt_latency(a, sizeof a, p50);
        sim__fmt_latency(z, sizeof z, p99);
        snprintf(title, sizeof title, "%.80s   p50 %s, p99 %s", cur[i].scope, a, z);
        /* the script adds the folder: fn_file holds the name only */
        sim__sb_printf(&names, "fn_file[%zu] = 'cdf_%zu.dat'; fn_title[%zu] = ", shown, i,
                       shown);
        sb_gpstr(&names, title);
        sim__sb_add(&names, "\n");
    }
    sim__sb_printf(b, "nfn = %zu\narray fn_file[%zu]\narray fn_title[%zu]\n", shown,
                   shown ? shown : 1, shown ? shown : 1);
    if (names.s)
        sim__sb_add(b, names.s);
    if (names.oom)
        b->oom = 1;
    sim__sb_free(&names);
    double p50 = sim_json_number(r->summary, "latency_s.p50"), p99 = sim_json_number(r->summary, "latency_s.p99");
    if (!(p50 > 0))
        p50 = cur[0].p50;
    if (!(p99 > 0))
        p99 = cur[0].p99;
    if (!(p50 > 0))
        p50 = lo;
    if (!(p99 > 0))
        p99 = hi;
    char a[32], z[32], t[128];
    sim__fmt_latency(a, sizeof a, p50);
    sim__fmt_latency(z, sizeof z, p99);
    sim__sb_printf(b, "p50 = %.9g\np99 = %.9g\n", p50, p99);
    snprintf(t, sizeof t, "p50 %s", a);
    sb_gpvar(b, "p50_text", t);
    snprintf(t, sizeof t, "p99 %s", z);
    sb_gpvar(b, "p99_text", t);
    snprintf(t, sizeof t, "all functions   p50 %s, p99 %s", a, z);
    sb_gpvar(b, "all_title", t);
    if (nfv > shown && shown > 0)
        snprintf(t, sizeof t, "the %zu busiest of %zu functions", shown, nfv);
    else
        t[0] = '\0';
    sb_gpvar(b, "fn_note", t);
    double xmin = lo / 1.25, xmax = hi * 1.25;
    if (xmax / xmin < 10) { /* at least a decade, around the data */
        double mid = sqrt(xmin * xmax);
        xmin = mid / sqrt(10);
        xmax = mid * sqrt(10);
    }
    sim__sb_printf(b, "xmin = %.9g\nxmax = %.9g\n", xmin, xmax);
    decade_tics(b, xmin, xmax);
    FILE *m = tmp_open(r, "cdf_marks.dat", err, errlen);
    if (!m) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    fprintf(m, "%.9g 0.5\n%.9g 0.99\n", p50, p99);
    if ((st = tmp_close(m, r, "cdf_marks.dat", err, errlen)))
        goto out;
    p->script = "latency_cdf";
out:
    for (size_t i = 0; i < ncur; i++)
        if (cur[i].f)
            fclose(cur[i].f);
    free(fv);
    sim_csv_close(c);
    return st;
}

/* (2) latency percentiles over time */

static sim_plot_status prep_latency_time(run *r, prep *p, char *err, size_t errlen)
{
    double lmin = INFINITY, lmax = 0;
    for (size_t i = 0; i < r->nts; i++) {
        const ts_row *t = &r->ts[i];
        double v[3] = {t->p50, t->p95, t->p99};
        for (int k = 0; k < 3; k++)
            if (v[k] > 0) {
                if (v[k] < lmin)
                    lmin = v[k];
                if (v[k] > lmax)
                    lmax = v[k];
            }
    }
    if (!(lmax > 0)) {
        prep_empty(p, "Latency percentiles over time",
                   "no invocation completed ok in any sample interval");
        return SIM_PLOT_OK;
    }
    /* milliseconds unless the worst p99 is 10 s or more */
    double ldiv = lmax < 10 ? 1e-3 : 1;
    FILE *f = tmp_open(r, "latency_time.dat", err, errlen);
    if (!f)
        return SIM_PLOT_FAILED;
    for (size_t i = 0; i < r->nts; i++) {
        const ts_row *t = &r->ts[i];
        if (!(t->p50 > 0 || t->p95 > 0 || t->p99 > 0)) {
            fputs("\n", f); /* a gap: nothing completed in the interval */
            continue;
        }
        double x = (t->t0 + t->t1) / 2 / r->tdiv;
        fprintf(f, "%.9g %.9g %.9g %.9g\n", x, t->p50 > 0 ? t->p50 / ldiv : NAN,
                t->p95 > 0 ? t->p95 / ldiv : NAN, t->p99 > 0 ? t->p99 / ldiv : NAN);
    }
    sim_plot_status st = tmp_close(f, r, "latency_time.dat", err, errlen);
    if (st)
        return st;
    sim__sb *b = &p->params;
    time_params(r, p);
    int logy = lmax / lmin > 30;
    sb_gpvar(b, "lunit", ldiv < 1 ? "ms" : "s");
    sim__sb_printf(b, "logy = %d\n", logy);
    if (logy)
        sim__sb_printf(b, "ymin = %.9g\nymax = %.9g\n", lmin / ldiv / 1.5, lmax / ldiv * 1.5);
    else
        sim__sb_printf(b, "ymin = 0\nymax = %.9g\n", lmax / ldiv * 1.1);
    p->script = "latency_over_time";
    return SIM_PLOT_OK;
}

/* (3) load */

static sim_plot_status prep_load(run *r, prep *p, char *err, size_t errlen)
{
    if (!r->nts) {
        prep_empty(p, "Load over time", "no sample intervals in timeseries.csv");
        return SIM_PLOT_OK;
    }
    FILE *f = tmp_open(r, "load.dat", err, errlen);
    if (!f)
        return SIM_PLOT_FAILED;
    double top = 0, bottom = 0;
    for (size_t i = 0; i < r->nts; i++) {
        const ts_row *t = &r->ts[i];
        double w = t->t1 - t->t0;
        double v[4] = {t->arrivals / w, t->completions / w, t->rejections / w, t->failures / w};
        fprintf(f, "%.9g %.9g %.9g %.9g %.9g\n", (t->t0 + t->t1) / 2 / r->tdiv, v[0], v[1], v[2],
                v[3]);
        top = fmax(top, fmax(v[0], v[1]));
        bottom = fmax(bottom, fmax(v[2], v[3]));
    }
    sim_plot_status st = tmp_close(f, r, "load.dat", err, errlen);
    if (st)
        return st;
    time_params(r, p);
    sim__sb_printf(&p->params, "top_max = %.9g\nbottom_max = %.9g\n", top > 0 ? top * 1.12 : 1,
                   bottom > 0 ? bottom * 1.15 : 1);
    p->script = "load";
    p->height = 800;
    return SIM_PLOT_OK;
}

/* (6a) cold starts */

static sim_plot_status prep_cold(run *r, prep *p, char *err, size_t errlen)
{
    if (!r->nts) {
        prep_empty(p, "Cold starts over time", "no sample intervals in timeseries.csv");
        return SIM_PLOT_OK;
    }
    FILE *f = tmp_open(r, "cold.dat", err, errlen);
    if (!f)
        return SIM_PLOT_FAILED;
    double ymax = 0;
    for (size_t i = 0; i < r->nts; i++) {
        const ts_row *t = &r->ts[i];
        double admitted = t->arrivals - t->rejections;
        double rate = admitted > 0 ? 100.0 * t->cold / admitted : NAN;
        if (t->cold > admitted && admitted > 0) /* starts of earlier arrivals */
            rate = 100.0;
        fprintf(f, "%.9g %.9g %.9g\n", (t->t0 + t->t1) / 2 / r->tdiv, rate,
                t->cold / (t->t1 - t->t0));
        if (rate > ymax)
            ymax = rate;
    }
    sim_plot_status st = tmp_close(f, r, "cold.dat", err, errlen);
    if (st)
        return st;
    time_params(r, p);
    double overall = sim_json_number(r->summary, "rates.cold_start_rate") * 100.0;
    sim__sb_printf(&p->params, "overall = %.9g\nhave_overall = %d\nymax = %.9g\n",
                   isfinite(overall) ? overall : 0.0, isfinite(overall),
                   ymax > 0 ? ymax * 1.15 : 1.0);
    char t[64];
    snprintf(t, sizeof t, "run overall: %.3g %%", isfinite(overall) ? overall : 0.0);
    sb_gpvar(&p->params, "overall_text", t);
    p->script = "cold_starts";
    return SIM_PLOT_OK;
}

/* (6b) outcomes */

static const char *outcome_rgb(const char *reason)
{
    static const char *const map[][2] = {
        {"ok", "#2ca02c"},          {"node_crash", "#d62728"}, {"timeout", "#b2182b"},
        {"handler_error", "#e7298a"}, {"no_eligible_node", "#ff7f0e"}, {"queue_full", "#e6550d"},
        {"no_capacity", "#fdae6b"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], reason))
            return map[i][1];
    return "#7f7f7f";
}

static sim_plot_status prep_outcomes(run *r, prep *p, char *err, size_t errlen)
{
    const cJSON *oc = sim_json_get(r->summary, "outcomes");
    double total = 0, top = 0;
    size_t n = 0;
    if (cJSON_IsObject(oc))
        for (const cJSON *o = oc->child; o; o = o->next)
            if (o->string && cJSON_IsNumber(o) && o->valuedouble >= 0) {
                total += o->valuedouble;
                top = fmax(top, o->valuedouble);
                n++;
            }
    if (!n) {
        prep_empty(p, "Outcomes by reason", "summary.json has no \"outcomes\"");
        return SIM_PLOT_OK;
    }
    FILE *f = tmp_open(r, "outcomes.dat", err, errlen);
    if (!f)
        return SIM_PLOT_FAILED;
    size_t i = 0;
    for (const cJSON *o = oc->child; o; o = o->next) {
        if (!o->string || !cJSON_IsNumber(o) || !(o->valuedouble >= 0))
            continue;
        char count[48], label[96], name[64];
        sim__fmt_count(count, sizeof count, o->valuedouble);
        if (total > 0 && o->valuedouble > 0) {
            double pct = 100.0 * o->valuedouble / total;
            snprintf(label, sizeof label, pct >= 0.1 ? "%s (%.1f%%)" : "%s (%.2g%%)", count, pct);
        } else {
            snprintf(label, sizeof label, "%s", count);
        }
        /* names are written between double quotes in the data file */
        size_t k = 0;
        for (const char *s = o->string; *s && k < sizeof name - 1; s++)
            name[k++] = (*s == '"' || (unsigned char)*s < 0x20) ? '_' : *s;
        name[k] = '\0';
        unsigned rgb = (unsigned)strtoul(outcome_rgb(o->string) + 1, NULL, 16);
        fprintf(f, "%zu \"%s\" %.17g \"%s\" %u\n", i++, name, o->valuedouble, label, rgb);
    }
    sim_plot_status st = tmp_close(f, r, "outcomes.dat", err, errlen);
    if (st)
        return st;
    char t[64];
    sim__fmt_count(t, sizeof t, total);
    sim__sb_printf(&p->params, "nout = %zu\nymax = %.9g\n", n, top > 0 ? top * 8 : 10);
    sb_gpvar(&p->params, "total_text", t);
    p->script = "outcomes";
    return SIM_PLOT_OK;
}

/* (4) busy slots heat map */

/* Index of the sample interval holding time t (t0 < t <= t1), by binary
 * search; -1 when outside every interval. */
static long sample_of(const run *r, double t)
{
    size_t lo = 0, hi = r->nts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->ts[mid].t1 < t - 1e-9)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->nts || t < r->ts[lo].t0 - 1e-9)
        return -1;
    return (long)lo;
}

/* Region blocks along the node order, when every region's nodes are
 * consecutive: set *nblocks and fill starts (of size nnodes + 1). Returns 0
 * when they are not. */
static int region_blocks(const run *r, size_t *starts, size_t *nblocks)
{
    size_t nb = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        if (i == 0 || strcmp(r->node_region[i], r->node_region[i - 1])) {
            for (size_t b = 0; b < nb; b++)
                if (!strcmp(r->node_region[starts[b]], r->node_region[i]))
                    return 0; /* a region seen before comes back */
            starts[nb++] = i;
        }
    }
    starts[nb] = r->nnodes;
    *nblocks = nb;
    return 1;
}

/* The y axis of node plots: node ids when few, else regions (or numbers). */
static void node_axis(const run *r, sim__sb *b, double bin, int lanes)
{
    size_t *starts = malloc((r->nnodes + 1) * sizeof *starts);
    size_t nb = 0;
    int grouped = starts && r->nnodes && region_blocks(r, starts, &nb) && nb > 1;
    if (r->nnodes <= SIM_PLOT_MAX_LANES) {
        sim__sb_add(b, "set ytics (");
        for (size_t i = 0; i < r->nnodes; i++) {
            sim__sb_add(b, i ? ", " : "");
            sb_gpstr(b, r->node_id[i]);
            sim__sb_printf(b, " %zu", i);
        }
        sim__sb_add(b, ")\nset ytics scale 0\n");
        sb_gpvar(b, "node_axis", "node");
    } else if (grouped) {
        sim__sb_add(b, "set ytics (");
        for (size_t k = 0; k < nb; k++) {
            sim__sb_add(b, k ? ", " : "");
            sb_gpstr(b, r->node_region[starts[k]]);
            sim__sb_printf(b, " %.6g", ((double)starts[k] + (double)starts[k + 1]) / 2 / bin - 0.5);
        }
        sim__sb_add(b, ")\nset ytics scale 0\n");
        char t[160];
        snprintf(t, sizeof t, "node (registration order: %zu nodes by region)", r->nnodes);
        sb_gpvar(b, "node_axis", t);
    } else {
        char t[160];
        snprintf(t, sizeof t, "node (registration order, 1 to %zu)", r->nnodes);
        sb_gpvar(b, "node_axis", t);
    }
    /* a line between regions */
    if (grouped)
        for (size_t k = 1; k < nb; k++)
            sim__sb_printf(b,
                           "set arrow from graph 0, first %.6g to graph 1, first %.6g nohead "
                           "front lc rgb '%s' lw %s\n",
                           (double)starts[k] / bin - 0.5, (double)starts[k] / bin - 0.5,
                           lanes ? "#555555" : "#333333", lanes ? "0.8 dt 3" : "1.2");
    free(starts);
}

static sim_plot_status prep_heatmap(run *r, prep *p, char *err, size_t errlen)
{
    static const char *const cols[] = {"t_end_s", "node", "busy_slots"};
    if (!r->nnodes || !r->nts) {
        prep_empty(p, "Busy slots per node", !r->nnodes ? "nodes.csv lists no nodes"
                                                         : "no sample intervals in timeseries.csv");
        return SIM_PLOT_OK;
    }
    size_t nbin = (r->nnodes + SIM_PLOT_HEAT_MAX_ROWS - 1) / SIM_PLOT_HEAT_MAX_ROWS;
    size_t rows = (r->nnodes + nbin - 1) / nbin;
    size_t tbin = (r->nts + SIM_PLOT_HEAT_MAX_COLS - 1) / SIM_PLOT_HEAT_MAX_COLS;
    size_t ncols = (r->nts + tbin - 1) / tbin;
    double *sum = calloc(rows * ncols, sizeof *sum);
    uint32_t *cnt = calloc(rows * ncols, sizeof *cnt);
    sim_csv *c = NULL;
    sim_plot_status st = SIM_PLOT_OK;
    if (!sum || !cnt) {
        st = oom(err, errlen);
        goto out;
    }
    int idx[3];
    if ((st = csv_open(r, "node_series.csv", &c, cols, idx, 3, err, errlen)))
        goto out;
    int k;
    size_t seen = 0;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        double t, busy;
        if (sim_csv_double(c, idx[0], 0, &t, err, errlen) ||
            sim_csv_double(c, idx[2], 0, &busy, err, errlen)) {
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
        if (busy < 0) {
            st = row_error(c, "column \"busy_slots\": expected a count of at least 0", err,
                           errlen);
            goto out;
        }
        long node = strmap_get(&r->nodes, sim_csv_field(c, idx[1]));
        if (node < 0) {
            char what[160];
            snprintf(what, sizeof what, "column \"node\": expected a node of nodes.csv, found "
                                        "\"%.64s\"",
                     sim_csv_field(c, idx[1]));
            st = row_error(c, what, err, errlen);
            goto out;
        }
        long s = sample_of(r, t);
        if (s < 0)
            continue; /* outside the sampled time: nothing to place it in */
        size_t cell = ((size_t)node / nbin) * ncols + (size_t)s / tbin;
        sum[cell] += busy;
        cnt[cell]++;
        seen++;
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    if (!seen) {
        prep_empty(p, "Busy slots per node", "node_series.csv has no samples");
        goto out;
    }
    FILE *f = tmp_open(r, "heat.dat", err, errlen);
    if (!f) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    /* columns of equal width (the first interval's), so that gnuplot's
     * image sees a regular grid even when the last interval is short */
    double dt = (r->ts[0].t1 - r->ts[0].t0) * (double)tbin / r->tdiv;
    double zmax = 0;
    for (size_t x = 0; x < ncols; x++) {
        for (size_t y = 0; y < rows; y++) {
            size_t cell = y * ncols + x;
            double z = cnt[cell] ? sum[cell] / cnt[cell] : NAN;
            if (z > zmax)
                zmax = z;
            fprintf(f, "%.9g %zu %.6g\n", ((double)x + 0.5) * dt, y, z);
        }
        fputs("\n", f);
    }
    if ((st = tmp_close(f, r, "heat.dat", err, errlen)))
        goto out;
    sim__sb *b = &p->params;
    time_params(r, p);
    sim__sb_printf(b, "rows = %zu\ncbmax = %.6g\nheat_tmax = %.9g\n", rows,
                   zmax > 0 ? zmax : 1.0, dt * (double)ncols);
    char note[128] = "";
    if (nbin > 1 && tbin > 1)
        snprintf(note, sizeof note, "each cell: mean of %zu nodes over %zu sample intervals",
                 nbin, tbin);
    else if (nbin > 1)
        snprintf(note, sizeof note, "each row: mean of %zu consecutive nodes", nbin);
    else if (tbin > 1)
        snprintf(note, sizeof note, "each column: mean of %zu sample intervals", tbin);
    sb_gpvar(b, "heat_note", note);
    node_axis(r, b, (double)nbin, 0);
    p->script = "busy_heatmap";
    if (r->nnodes <= SIM_PLOT_MAX_LANES)
        p->height = r->nnodes * 16 + 260 > H_DEFAULT ? (int)r->nnodes * 16 + 260 : H_DEFAULT;
out:
    free(sum);
    free(cnt);
    sim_csv_close(c);
    return st;
}

/* (5) node status */

static int status_index(const char *s)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (!strcasecmp(s, status_names[i]))
            return i;
    return -1;
}

typedef struct hrow {
    double t;
    long node;
    int from, to;
} hrow;

/* Reads one health.csv record into *h; errors name the line. */
static sim_plot_status health_row(run *r, sim_csv *c, const int *idx, hrow *h, char *err,
                                  size_t errlen)
{
    if (sim_csv_double(c, idx[0], 0, &h->t, err, errlen))
        return SIM_PLOT_BAD_INPUT;
    h->node = strmap_get(&r->nodes, sim_csv_field(c, idx[1]));
    if (h->node < 0) {
        char what[160];
        snprintf(what, sizeof what,
                 "column \"node\": expected a node of nodes.csv, found \"%.64s\"",
                 sim_csv_field(c, idx[1]));
        return row_error(c, what, err, errlen);
    }
    for (int k = 0; k < 2; k++) {
        const char *s = sim_csv_field(c, idx[2 + k]);
        int v = status_index(s);
        if (v < 0) {
            char what[200];
            snprintf(what, sizeof what, "column \"%s\": expected a status (online, offline, "
                                        "degraded, syncing, maintenance), found \"%.40s\"",
                     k ? "to" : "from", s);
            return row_error(c, what, err, errlen);
        }
        if (k)
            h->to = v;
        else
            h->from = v;
    }
    return SIM_PLOT_OK;
}

typedef struct edge_ev {
    double t;
    int delta;
} edge_ev;

static int cmp_ev(const void *x, const void *y)
{
    const edge_ev *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->delta - b->delta; /* a recovery before a crash at the same instant */
}

/* down_count.dat: how many nodes are actually down (inside a crash window
 * of faults.csv) over time, as steps; the most at once into *most. */
static sim_plot_status write_down_count(run *r, size_t *most, char *err, size_t errlen)
{
    size_t n = 0;
    edge_ev *ev = malloc(2 * (r->nfaults + 1) * sizeof *ev);
    if (!ev)
        return oom(err, errlen);
    for (size_t i = 0; i < r->nfaults; i++) {
        const fwin *f = &r->faults[i];
        if (strcmp(f->kind, "crash") || f->node < 0 || f->instant)
            continue;
        ev[n++] = (edge_ev){f->a, +1};
        ev[n++] = (edge_ev){f->b, -1};
    }
    qsort(ev, n, sizeof *ev, cmp_ev);
    FILE *f = tmp_open(r, "down_count.dat", err, errlen);
    if (!f) {
        free(ev);
        return SIM_PLOT_FAILED;
    }
    long down = 0;
    *most = 0;
    fprintf(f, "0 0\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%.9g %ld\n", ev[i].t / r->tdiv, down);
        down += ev[i].delta;
        if (down > 0 && (size_t)down > *most)
            *most = (size_t)down;
        fprintf(f, "%.9g %ld\n", ev[i].t / r->tdiv, down);
    }
    fprintf(f, "%.9g %ld\n", r->duration / r->tdiv, down);
    free(ev);
    return tmp_close(f, r, "down_count.dat", err, errlen);
}

/* A tick step of 1, 2 or 5 times a power of ten, at least 1, giving at
 * most max_ticks ticks over range. */
static double nice_step(double range, int max_ticks)
{
    for (double mag = 1;; mag *= 10) {
        static const double m[] = {1, 2, 5};
        for (int i = 0; i < 3; i++)
            if (range / (m[i] * mag) <= max_ticks || mag > 1e15)
                return m[i] * mag;
    }
}

/* One interval of a lane: ONLINE into base, every other status into over
 * (drawn on top of it), at least minw wide so that a SYNCING of one check
 * interval (5 s of an hour) still shows. Times in the axis unit. */
static void lane_write(FILE *base, FILE *over, double a, double b, size_t node, int status,
                       double minw)
{
    if (status == ST_ONLINE) {
        fprintf(base, "%.9g %.9g %zu %u\n", a, b, node, status_rgb[status]);
        return;
    }
    if (b - a < minw)
        b = a + minw;
    fprintf(over, "%.9g %.9g %zu %u\n", a, b, node, status_rgb[status]);
}

static sim_plot_status prep_status(run *r, prep *p, char *err, size_t errlen)
{
    static const char *const cols[] = {"time_s", "node", "from", "to"};
    if (!r->nnodes) {
        prep_empty(p, "Node status", "nodes.csv lists no nodes");
        return SIM_PLOT_OK;
    }
    int lanes = r->nnodes <= SIM_PLOT_MAX_LANES;
    int *cur = malloc(r->nnodes * sizeof *cur);
    double *since = malloc(r->nnodes * sizeof *since);
    sim_csv *c = NULL;
    FILE *out = NULL, *base = NULL;
    sim_plot_status st = SIM_PLOT_OK;
    int idx[4], k;
    hrow h;
    if (!cur || !since) {
        st = oom(err, errlen);
        goto out;
    }
    /* pass 1: each node's status before its first transition */
    for (size_t i = 0; i < r->nnodes; i++) {
        cur[i] = -1;
        since[i] = 0;
    }
    if ((st = csv_open(r, "health.csv", &c, cols, idx, 4, err, errlen)))
        goto out;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        if ((st = health_row(r, c, idx, &h, err, errlen)))
            goto out;
        if (cur[h.node] < 0)
            cur[h.node] = h.from;
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    sim_csv_close(c);
    c = NULL;
    size_t count[ST_COUNT] = {0};
    for (size_t i = 0; i < r->nnodes; i++) {
        if (cur[i] < 0)
            cur[i] = ST_ONLINE;
        count[cur[i]]++;
    }
    /* pass 2: intervals per lane, or counts by status as steps */
    const char *name = lanes ? "lanes.dat" : "counts.dat";
    if (!(out = tmp_open(r, name, err, errlen))) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    if (lanes && !(base = tmp_open(r, "lanes_base.dat", err, errlen))) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    double td = r->tdiv, minw = r->duration / td / 300;
    size_t most_down = 0, least_online = r->nnodes;
#define COUNTS_ROW(t)                                                                          \
    do {                                                                                       \
        size_t off = count[ST_OFFLINE], syn = off + count[ST_SYNCING],                          \
               deg = syn + count[ST_DEGRADED], mnt = deg + count[ST_MAINTENANCE];              \
        fprintf(out, "%.9g %zu %zu %zu %zu %zu\n", (t) / td, off, syn, deg, mnt,               \
                count[ST_ONLINE]);                                                             \
        if (mnt > most_down)                                                                   \
            most_down = mnt;                                                                   \
        if (count[ST_ONLINE] < least_online)                                                   \
            least_online = count[ST_ONLINE];                                                   \
    } while (0)
    if (!lanes)
        COUNTS_ROW(0.0);
    if ((st = csv_open(r, "health.csv", &c, cols, idx, 4, err, errlen)))
        goto out;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        if ((st = health_row(r, c, idx, &h, err, errlen)))
            goto out;
        size_t n = (size_t)h.node;
        double t = h.t < since[n] ? since[n] : h.t;
        if (lanes) {
            if (t > since[n])
                lane_write(base, out, since[n] / td, t / td, n, cur[n], minw);
        } else {
            COUNTS_ROW(t);
            count[cur[n]]--;
            count[h.to]++;
            COUNTS_ROW(t);
        }
        cur[n] = h.to;
        since[n] = t;
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    if (lanes) {
        for (size_t n = 0; n < r->nnodes; n++)
            if (r->duration > since[n])
                lane_write(base, out, since[n] / td, r->duration / td, n, cur[n], minw);
    } else {
        COUNTS_ROW(r->duration);
    }
#undef COUNTS_ROW
    FILE *f = out;
    out = NULL;
    if ((st = tmp_close(f, r, name, err, errlen)))
        goto out;
    if (base) {
        f = base;
        base = NULL;
        if ((st = tmp_close(f, r, "lanes_base.dat", err, errlen)))
            goto out;
    }
    /* crashes (and when they recovered) from faults.csv */
    if (!(out = tmp_open(r, "down.dat", err, errlen))) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    size_t ncrash = 0, nrecov = 0;
    for (size_t i = 0; i < r->nfaults; i++) {
        const fwin *fw = &r->faults[i];
        if (strcmp(fw->kind, "crash") || fw->node < 0)
            continue;
        int recovered = !fw->instant && fw->b < r->duration;
        fprintf(out, "%.9g %.9g %ld %d\n", fw->a / td, (fw->instant ? fw->a : fw->b) / td,
                fw->node, recovered);
        ncrash++;
        nrecov += (size_t)recovered;
    }
    f = out;
    out = NULL;
    if ((st = tmp_close(f, r, "down.dat", err, errlen)))
        goto out;
    size_t most_actually_down = 0;
    if (!lanes && ncrash &&
        (st = write_down_count(r, &most_actually_down, err, errlen)) != SIM_PLOT_OK)
        goto out;
    if (most_actually_down > most_down)
        most_down = most_actually_down;
    sim__sb *b = &p->params;
    time_params(r, p);
    sim__sb_printf(b, "nnodes = %zu\nmaxlanes = %d\nhas_crash = %d\nhas_recovery = %d\n",
                   r->nnodes, SIM_PLOT_MAX_LANES, ncrash > 0, nrecov > 0);
    if (lanes) {
        node_axis(r, b, 1.0, 1);
        p->script = "node_status";
        int h2 = (int)r->nnodes * 24 + 230;
        p->height = h2 > 560 ? h2 : 560;
    } else {
        double ymax = most_down > 0 ? (double)most_down * 1.15 + 0.5 : 1.0;
        double step = nice_step(ymax, 10);
        sim__sb_printf(b, "ymax = %.6g\nystep = %.6g\nleast_online = %zu\n", ymax, step,
                       least_online);
        p->script = "node_status_counts";
    }
out:
    if (out)
        fclose(out);
    if (base)
        fclose(base);
    sim_csv_close(c);
    free(cur);
    free(since);
    return st;
}

/* ---- gnuplot ---- */

typedef sim_plot_status (*prep_fn)(run *, prep *, char *, size_t);
static const prep_fn preps[] = {prep_latency_cdf, prep_latency_time, prep_load, prep_heatmap,
                                prep_status,      prep_cold,         prep_outcomes};
#define NPLOTS (sizeof preps / sizeof preps[0])

static const char *script_text(const char *name)
{
    for (size_t i = 0; i < sizeof sim__gp_scripts / sizeof sim__gp_scripts[0]; i++)
        if (!strcmp(sim__gp_scripts[i].name, name))
            return sim__gp_scripts[i].text;
    return NULL;
}

int sim_plot_find_gnuplot(char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        int w = snprintf(out, n, "%.*s%sgnuplot", (int)len, len ? path : ".", "/");
        if (w > 0 && (size_t)w < n && access(out, X_OK) == 0) {
            struct stat st;
            if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
                return 0;
        }
        path += len + (colon ? 1 : 0);
        if (!colon)
            break;
    }
    return -1;
}

int sim_plot_run_gnuplot(const char *gnuplot, const char *script, const char *log)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {(char *)"gnuplot", (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The first line of gnuplot's log that says what went wrong, into err. */
static void gnuplot_error(const char *log, const char *plot, char *err, size_t errlen)
{
    FILE *f = fopen(log, "r");
    char line[512], best[512] = "";
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strstr(line, "rror") || strstr(line, "line ")) {
            snprintf(best, sizeof best, "%s", line);
            break;
        }
        if (!best[0] && line[0] && strspn(line, " ^") != strlen(line))
            snprintf(best, sizeof best, "%s", line);
    }
    if (f)
        fclose(f);
    snprintf(err, errlen, "gnuplot failed drawing %s: %s", plot ? plot : "the plots",
             best[0] ? best : "no message");
}

void sim_plot_remove_tmp_dir(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char path[PATH_LEN];
            if (path_in(path, tmp, e->d_name) == 0)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(tmp);
}

/* Removes the temporary folder; EDGESIM_PLOT_KEEP_TMP=1 keeps it (and says
 * where on stderr) for debugging the scripts. */
static void rm_tmp(run *r)
{
    if (!r->tmp[0])
        return;
    const char *keep = getenv("EDGESIM_PLOT_KEEP_TMP");
    if (keep && !strcmp(keep, "1")) {
        fprintf(stderr, "edgesim plot: kept %s\n", r->tmp);
        return;
    }
    sim_plot_remove_tmp_dir(r->tmp);
    r->tmp[0] = '\0';
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sim__sb b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sim__sb_addn(&b, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom || !b.s) {
        sim__sb_free(&b);
        return NULL;
    }
    return b.s;
}

/* gnuplot's SVG draws a heat map as one embedded PNG that viewers smooth
 * when they scale it, blurring the cells: ask for hard pixel edges. Takes
 * svg (freed) and returns the new text, or NULL when out of memory. */
static char *svg_pixelated(char *svg)
{
    static const char tag[] = "<image ", attr[] = "style='image-rendering:pixelated' ";
    if (!strstr(svg, tag))
        return svg;
    sim__sb b = {0};
    const char *p = svg, *q;
    while ((q = strstr(p, tag))) {
        sim__sb_addn(&b, p, (size_t)(q - p) + sizeof tag - 1);
        sim__sb_add(&b, attr);
        p = q + sizeof tag - 1;
    }
    sim__sb_add(&b, p);
    free(svg);
    if (b.oom) {
        sim__sb_free(&b);
        return NULL;
    }
    return b.s;
}

sim_plot_status sim_plot_run_dir(const char *dir, int formats, char *err, size_t errlen)
{
    run r;
    memset(&r, 0, sizeof r);
    r.dir = dir;
    prep preps_done[NPLOTS];
    memset(preps_done, 0, sizeof preps_done);
    sim__plot_fig figs[NPLOTS];
    memset(figs, 0, sizeof figs);
    sim__sb script = {0};
    char gnuplot[PATH_LEN], path[PATH_LEN], report[PATH_LEN];
    const char *note = NULL;
    char note_buf[256];
    if (formats == 0)
        formats = SIM_PLOT_PNG | SIM_PLOT_SVG;
    err[0] = '\0';
    sim_plot_status st = load_run(&r, err, errlen);
    if (st)
        goto out;
    if (path_in(report, dir, "report.html") != 0 || path_in(path, dir, ".plots.XXXXXX") != 0) {
        snprintf(err, errlen, "%s: path too long", dir);
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    /* every input is read (and so checked) before gnuplot is looked for:
     * bad input is bad input whether or not gnuplot is there */
    memcpy(r.tmp, path, strlen(path) + 1);
    if (!mkdtemp(r.tmp)) {
        snprintf(err, errlen, "%s: cannot create a temporary folder: %s", dir, strerror(errno));
        r.tmp[0] = '\0';
        st = SIM_PLOT_FAILED;
        goto out;
    }
    if ((st = write_fault_snippets(&r, err, errlen)))
        goto out;
    for (size_t i = 0; i < NPLOTS; i++) {
        preps_done[i].width = W_DEFAULT;
        preps_done[i].height = H_DEFAULT;
        if ((st = preps[i](&r, &preps_done[i], err, errlen)))
            goto out;
        if (preps_done[i].params.oom) {
            st = oom(err, errlen);
            goto out;
        }
    }
    if (sim_plot_find_gnuplot(gnuplot, sizeof gnuplot) != 0) {
        st = SIM_PLOT_NO_GNUPLOT;
        snprintf(err, errlen, "gnuplot not found on PATH: install it (Debian: gnuplot-nox; "
                              "scripts/deps.sh) to draw plots");
        snprintf(note_buf, sizeof note_buf,
                 "No plots: gnuplot was not found when this report was written. Install it "
                 "(Debian: gnuplot-nox) and run `edgesim plot %.120s`.",
                 dir);
        note = note_buf;
        goto report;
    }
    /* one script: every plot in every format, SVG always (for the report) */
    const char *common = script_text("common");
    for (size_t i = 0; i < NPLOTS; i++) {
        const prep *p = &preps_done[i];
        const char *body = script_text(p->script);
        if (!common || !body) {
            snprintf(err, errlen, "internal error: no gnuplot script \"%s\"", p->script);
            st = SIM_PLOT_FAILED;
            goto out;
        }
        for (int fmt = 0; fmt < 2; fmt++) {
            if (fmt == 0 && !(formats & SIM_PLOT_PNG))
                continue;
            sim__sb_printf(&script, "reset\nprint 'drawing %s'\n", sim_plot_names[i]);
            if (fmt == 0)
                sim__sb_printf(&script,
                               "set terminal pngcairo size %d,%d font 'sans,11' noenhanced "
                               "background rgb 'white'\n",
                               p->width, p->height);
            else
                sim__sb_printf(&script,
                               "set terminal svg size %d,%d font 'sans,11' noenhanced "
                               "background rgb 'white'\n",
                               p->width, p->height);
            /* the folder's name is short and checked: no length limit here */
            sim__sb_add(&script, "set output ");
            sim__sb out = {0};
            sim__sb_printf(&out, "%s/%s.%s", r.tmp, sim_plot_names[i], fmt == 0 ? "png" : "svg");
            sb_gpstr(&script, out.s ? out.s : "");
            script.oom |= out.oom;
            sim__sb_free(&out);
            sim__sb_add(&script, "\n");
            sb_gpvar(&script, "tmpdir", r.tmp);
            sb_gpvar(&script, "run_title", r.title);
            sb_gpvar(&script, "tunit", r.tunit);
            sim__sb_add(&script, common);
            sim__sb_add(&script, "load tmpdir.'/fault_keys.gp'\n");
            sim__sb_add(&script, p->params.s ? p->params.s : "");
            sim__sb_add(&script, body);
            sim__sb_add(&script, "\nunset output\n");
        }
    }
    if (script.oom) {
        st = oom(err, errlen);
        goto out;
    }
    char script_path[PATH_LEN], log_path[PATH_LEN];
    if (path_in(script_path, r.tmp, "plots.gp") != 0 || path_in(log_path, r.tmp, "gnuplot.log")) {
        snprintf(err, errlen, "%s: path too long", r.tmp);
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    FILE *sf = tmp_open(&r, "plots.gp", err, errlen);
    if (!sf) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    fputs(script.s, sf);
    if ((st = tmp_close(sf, &r, "plots.gp", err, errlen)))
        goto out;
    int rc = sim_plot_run_gnuplot(gnuplot, script_path, log_path);
    if (rc != 0) {
        if (rc < 0) {
            snprintf(err, errlen, "%s: cannot run: %s", gnuplot, strerror(errno));
        } else {
            /* the last "drawing NAME" line names the plot that failed */
            const char *failed = NULL;
            char *log = slurp(log_path);
            for (size_t i = 0; log && i < NPLOTS; i++) {
                char marker[64];
                snprintf(marker, sizeof marker, "drawing %s\n", sim_plot_names[i]);
                if (strstr(log, marker))
                    failed = sim_plot_names[i];
            }
            free(log);
            gnuplot_error(log_path, failed, err, errlen);
        }
        st = SIM_PLOT_FAILED;
        goto out;
    }
    /* move the pictures into DIR/plots/ */
    char plots[PATH_LEN];
    if (path_in(plots, dir, "plots") != 0 || sim_mkdirs(plots) != 0) {
        snprintf(err, errlen, "%s/plots: cannot create: %s", dir, strerror(errno));
        st = SIM_PLOT_FAILED;
        goto out;
    }
    for (size_t i = 0; i < NPLOTS; i++) {
        for (int fmt = 0; fmt < 2; fmt++) {
            const char *ext = fmt == 0 ? "png" : "svg";
            char from[PATH_LEN], to[PATH_LEN];
            if (snprintf(from, sizeof from, "%s/%s.%s", r.tmp, sim_plot_names[i], ext) >=
                    (int)sizeof from ||
                snprintf(to, sizeof to, "%s/%s.%s", plots, sim_plot_names[i], ext) >=
                    (int)sizeof to) {
                snprintf(err, errlen, "%s: path too long", dir);
                st = SIM_PLOT_BAD_INPUT;
                goto out;
            }
            if (fmt == 1) {
                figs[i].svg = slurp(from);
                if (!figs[i].svg || !(figs[i].svg = svg_pixelated(figs[i].svg))) {
                    snprintf(err, errlen, "%s: cannot read what gnuplot drew", from);
                    st = SIM_PLOT_FAILED;
                    goto out;
                }
            }
            if (!(formats & (fmt == 0 ? SIM_PLOT_PNG : SIM_PLOT_SVG)))
                continue;
            if (fmt == 1 ? sim_write_file_atomic(to, figs[i].svg) != 0 : rename(from, to) != 0) {
                snprintf(err, errlen, "%s: cannot write: %s", to, strerror(errno));
                st = SIM_PLOT_FAILED;
                goto out;
            }
        }
    }
report:
    for (size_t i = 0; i < NPLOTS; i++) {
        figs[i].name = sim_plot_names[i];
        figs[i].caption = captions[i];
    }
    {
        char rerr[512];
        if (sim__plot_write_report(report, r.name, r.summary, figs, NPLOTS, note, rerr,
                                   sizeof rerr) != 0) {
            if (!st)
                snprintf(err, errlen, "%s", rerr);
            st = st ? st : SIM_PLOT_FAILED;
        }
    }
out:
    rm_tmp(&r);
    for (size_t i = 0; i < NPLOTS; i++) {
        sim__sb_free(&preps_done[i].params);
        free(figs[i].svg);
    }
    sim__sb_free(&script);
    run_free(&r);
    return st;
}
