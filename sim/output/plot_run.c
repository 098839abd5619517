/*
 * plot_run.c — step (1) of the plots: a run directory read back into memory
 * (summary.json, nodes.csv, timeseries.csv, faults.csv as windows). The
 * contract is in plot_internal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/jsonget.h"
#include "input/csv.h"
#include "output/outfile.h"
#include "output/plot.h"
#include "output/plot_internal.h"

/* ---- a map from node id to registration index (open addressing) ---- */


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

long sim__plot_strmap_get(const strmap *m, const char *key)
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


void sim__plot_run_free(run *r)
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

int sim__plot_path_in(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, PATH_LEN, "%s/%s", dir, name);
    return n > 0 && n < PATH_LEN ? 0 : -1;
}


static const char *jstr(const cJSON *o, const char *dotted)
{
    const cJSON *v = sim_json_get(o, dotted);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

sim_plot_status sim__plot_oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return SIM_PLOT_FAILED;
}

static sim_plot_status read_summary(run *r, char *err, size_t errlen)
{
    char path[PATH_LEN];
    if (sim__plot_path_in(path, r->dir, "summary.json") != 0) {
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
        return sim__plot_oom(err, errlen);
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

sim_plot_status sim__plot_csv_open(run *r, const char *name, sim_csv **c, const char *const *cols,
                                int *idx, size_t ncols, char *err, size_t errlen)
{
    char path[PATH_LEN];
    if (sim__plot_path_in(path, r->dir, name) != 0) {
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

sim_plot_status sim__plot_row_error(const sim_csv *c, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s:%zu: %s", sim_csv_path(c), sim_csv_line(c), what);
    return SIM_PLOT_BAD_INPUT;
}

static sim_plot_status read_nodes(run *r, char *err, size_t errlen)
{
    static const char *const cols[] = {"node", "region"};
    int idx[2];
    sim_csv *c;
    sim_plot_status st = sim__plot_csv_open(r, "nodes.csv", &c, cols, idx, 2, err, errlen);
    if (st)
        return st;
    size_t cap = 0;
    int k;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        const char *id = sim_csv_field(c, idx[0]);
        if (!id[0]) {
            st = sim__plot_row_error(c, "column \"node\": expected a node id, found an empty field", err,
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
                st = sim__plot_oom(err, errlen);
                goto out;
            }
        }
        r->node_id[r->nnodes] = strdup(id);
        r->node_region[r->nnodes] = strdup(sim_csv_field(c, idx[1]));
        r->nnodes++;
        if (!r->node_id[r->nnodes - 1] || !r->node_region[r->nnodes - 1]) {
            st = sim__plot_oom(err, errlen);
            goto out;
        }
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    if (strmap_init(&r->nodes, r->nnodes) != 0) {
        st = sim__plot_oom(err, errlen);
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
    sim_plot_status st = sim__plot_csv_open(r, "timeseries.csv", &c, cols, idx, 10, err, errlen);
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
            st = sim__plot_row_error(c, "expected 0 <= t_start_s < t_end_s", err, errlen);
            goto out;
        }
        if (r->nts && v[0] < r->ts[r->nts - 1].t0) {
            st = sim__plot_row_error(c, "expected sample intervals in increasing order of t_start_s", err,
                           errlen);
            goto out;
        }
        for (int i = 2; i < 7; i++)
            if (v[i] < 0) {
                st = sim__plot_row_error(c, "expected counts of at least 0", err, errlen);
                goto out;
            }
        if (r->nts == cap) {
            cap = cap ? 2 * cap : 256;
            ts_row *p = realloc(r->ts, cap * sizeof *p);
            if (!p) {
                st = sim__plot_oom(err, errlen);
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
    f->node = sim__plot_strmap_get(&r->nodes, target);
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
    sim_plot_status st = sim__plot_csv_open(r, "faults.csv", &c, cols, idx, 4, err, errlen);
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
            st = sim__plot_row_error(c, "expected 0 <= start_s <= end_s", err, errlen);
            goto out;
        }
        const char *kind = sim_csv_field(c, idx[2]);
        if (!kind[0]) {
            st = sim__plot_row_error(c, "column \"kind\": expected a fault kind, found an empty field",
                           err, errlen);
            goto out;
        }
        if (add_fault(r, &cap, a, b, kind, sim_csv_field(c, idx[3])) != 0) {
            st = sim__plot_oom(err, errlen);
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

sim_plot_status sim__plot_load_run(run *r, char *err, size_t errlen)
{
    struct stat st;
    if (stat(r->dir, &st) != 0) {
        snprintf(err, errlen, "%s: %s", r->dir,
                 errno == ENOENT ? "no such run directory" : strerror(errno));
        return SIM_PLOT_BAD_INPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        size_t n = strlen(r->dir);
        snprintf(err, errlen, "%s: %s", r->dir,
                 n > 5 && !strcmp(r->dir + n - 5, ".json")
                     ? "a file, not a run directory (a scenario? `edgesim run` it, then plot the "
                       "directory it writes)"
                     : "not a run directory");
        return SIM_PLOT_BAD_INPUT;
    }
    for (const char *const *f = required_files; *f; f++) {
        char path[PATH_LEN];
        if (sim__plot_path_in(path, r->dir, *f) != 0) {
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
        return sim__plot_oom(err, errlen);
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
        return sim__plot_oom(err, errlen);
    }
    r->title = t.s;
    if ((s = read_nodes(r, err, errlen)) || (s = read_timeseries(r, err, errlen)))
        return s;
    r->duration = sim_json_number(r->summary, "duration_s");
    r->warmup = sim_json_number(r->summary, "warmup_s");
    if (!(r->warmup > 0)) /* absent (an older run) or 0 */
        r->warmup = 0;
    if (!(r->duration > 0))
        r->duration = r->nts ? r->ts[r->nts - 1].t1 : 1.0;
    if ((s = read_faults(r, err, errlen)))
        return s;
    choose_time_unit(r);
    return SIM_PLOT_OK;
}

