/*
 * plot_figs.c — step (2) for the time plots: the fault shading and labels,
 * the latency CDF, latency over time, load, cold starts and outcomes, each
 * reduced to small gnuplot data files and the variables of its script.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
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

/* ---- data files ---- */

FILE *sim__plot_tmp_open(run *r, const char *name, char *err, size_t errlen)
{
    char path[PATH_LEN];
    FILE *f = NULL;
    if (sim__plot_path_in(path, r->tmp, name) == 0)
        f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "%s/%s: cannot write: %s", r->tmp, name, strerror(errno));
    return f;
}

sim_plot_status sim__plot_tmp_close(FILE *f, run *r, const char *name, char *err, size_t errlen)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s/%s: cannot write: %s", r->tmp, name,
                 strerror(errno ? errno : EIO));
        return SIM_PLOT_FAILED;
    }
    return SIM_PLOT_OK;
}


void sim__plot_prep_empty(prep *p, const char *title, const char *message)
{
    p->script = "empty";
    sim__sb_gpvar(&p->params, "plot_title", title);
    sim__sb_gpvar(&p->params, "empty_message", message);
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

sim_plot_status sim__plot_write_fault_snippets(run *r, char *err, size_t errlen)
{
    sim__sb shade = {0}, labels = {0}, keys = {0};
    sim_plot_status st = SIM_PLOT_OK;
    const fwin **v = r->nfaults ? malloc(r->nfaults * sizeof *v) : NULL;
    if (r->nfaults && !v)
        return sim__plot_oom(err, errlen);
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
            sim__sb_gpstr(&keys, title);
        }
        if (ninst) {
            if (ninst == 1)
                snprintf(title, sizeof title, "%.40s", kind);
            else
                snprintf(title, sizeof title, "%.40s (%zu)", kind, ninst);
            sim__sb_printf(&keys, ", NaN with lines dt 2 lw 1.2 lc rgb '%s' title ",
                           kind_rgb(kind));
            sim__sb_gpstr(&keys, title);
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
            return sim__plot_oom(err, errlen);
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
            sim__sb_gpstr(&labels, text);
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
        st = sim__plot_oom(err, errlen);
        goto out;
    }
    const char *names[3] = {"faults_shade.gp", "faults_labels.gp", "fault_keys.gp"};
    sim__sb *texts[3] = {&shade, &labels, &keys};
    for (int i = 0; i < 3 && !st; i++) {
        FILE *f = sim__plot_tmp_open(r, names[i], err, errlen);
        if (!f) {
            st = SIM_PLOT_FAILED;
            break;
        }
        if (i == 2) {
            fputs("fault_keys = ", f);
            sim__sb q = {0};
            sim__sb_gpstr(&q, keys.s ? keys.s : "");
            fputs(q.s ? q.s : "''", f);
            fputs("\n", f);
            if (q.oom)
                st = sim__plot_oom(err, errlen);
            sim__sb_free(&q);
        } else if (texts[i]->s) {
            fputs(texts[i]->s, f);
        }
        sim_plot_status c = sim__plot_tmp_close(f, r, names[i], err, errlen);
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
void sim__plot_time_params(run *r, prep *p)
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

sim_plot_status sim__plot_prep_latency_cdf(run *r, prep *p, char *err, size_t errlen)
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
    sim_plot_status st = sim__plot_csv_open(r, "latency.csv", &c, cols, idx, 5, err, errlen);
    if (st)
        goto out;
    for (size_t i = 0; i < ncur; i++) {
        char name[32];
        snprintf(name, sizeof name, "cdf_%zu.dat", i);
        if (!(cur[i].f = sim__plot_tmp_open(r, name, err, errlen))) {
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
            st = sim__plot_row_error(c, "expected 0 <= bucket_lo_s <= bucket_hi_s, count >= 0 and "
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
        if ((st = sim__plot_tmp_close(f, r, name, err, errlen)))
            goto out;
    }
    if (!cur[0].rows) {
        sim__plot_prep_empty(p, "Latency CDF", "no invocation completed ok in this run: no latency to show");
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
        sim__sb_gpstr(&names, title);
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
    sim__sb_gpvar(b, "p50_text", t);
    snprintf(t, sizeof t, "p99 %s", z);
    sim__sb_gpvar(b, "p99_text", t);
    snprintf(t, sizeof t, "all functions   p50 %s, p99 %s", a, z);
    sim__sb_gpvar(b, "all_title", t);
    if (nfv > shown && shown > 0)
        snprintf(t, sizeof t, "the %zu busiest of %zu functions", shown, nfv);
    else
        t[0] = '\0';
    sim__sb_gpvar(b, "fn_note", t);
    double xmin = lo / 1.25, xmax = hi * 1.25;
    if (xmax / xmin < 10) { /* at least a decade, around the data */
        double mid = sqrt(xmin * xmax);
        xmin = mid / sqrt(10);
        xmax = mid * sqrt(10);
    }
    sim__sb_printf(b, "xmin = %.9g\nxmax = %.9g\n", xmin, xmax);
    decade_tics(b, xmin, xmax);
    FILE *m = sim__plot_tmp_open(r, "cdf_marks.dat", err, errlen);
    if (!m) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    fprintf(m, "%.9g 0.5\n%.9g 0.99\n", p50, p99);
    if ((st = sim__plot_tmp_close(m, r, "cdf_marks.dat", err, errlen)))
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

sim_plot_status sim__plot_prep_latency_time(run *r, prep *p, char *err, size_t errlen)
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
        sim__plot_prep_empty(p, "Latency percentiles over time",
                   "no invocation completed ok in any sample interval");
        return SIM_PLOT_OK;
    }
    /* milliseconds unless the worst p99 is 10 s or more */
    double ldiv = lmax < 10 ? 1e-3 : 1;
    FILE *f = sim__plot_tmp_open(r, "latency_time.dat", err, errlen);
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
    sim_plot_status st = sim__plot_tmp_close(f, r, "latency_time.dat", err, errlen);
    if (st)
        return st;
    sim__sb *b = &p->params;
    sim__plot_time_params(r, p);
    int logy = lmax / lmin > 30;
    sim__sb_gpvar(b, "lunit", ldiv < 1 ? "ms" : "s");
    sim__sb_printf(b, "logy = %d\n", logy);
    if (logy)
        sim__sb_printf(b, "ymin = %.9g\nymax = %.9g\n", lmin / ldiv / 1.5, lmax / ldiv * 1.5);
    else
        sim__sb_printf(b, "ymin = 0\nymax = %.9g\n", lmax / ldiv * 1.1);
    p->script = "latency_over_time";
    return SIM_PLOT_OK;
}

/* (3) load */

sim_plot_status sim__plot_prep_load(run *r, prep *p, char *err, size_t errlen)
{
    if (!r->nts) {
        sim__plot_prep_empty(p, "Load over time", "no sample intervals in timeseries.csv");
        return SIM_PLOT_OK;
    }
    FILE *f = sim__plot_tmp_open(r, "load.dat", err, errlen);
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
    sim_plot_status st = sim__plot_tmp_close(f, r, "load.dat", err, errlen);
    if (st)
        return st;
    sim__plot_time_params(r, p);
    sim__sb_printf(&p->params, "top_max = %.9g\nbottom_max = %.9g\n", top > 0 ? top * 1.12 : 1,
                   bottom > 0 ? bottom * 1.15 : 1);
    p->script = "load";
    p->height = 800;
    return SIM_PLOT_OK;
}

/* (6a) cold starts */

sim_plot_status sim__plot_prep_cold(run *r, prep *p, char *err, size_t errlen)
{
    if (!r->nts) {
        sim__plot_prep_empty(p, "Cold starts over time", "no sample intervals in timeseries.csv");
        return SIM_PLOT_OK;
    }
    FILE *f = sim__plot_tmp_open(r, "cold.dat", err, errlen);
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
    sim_plot_status st = sim__plot_tmp_close(f, r, "cold.dat", err, errlen);
    if (st)
        return st;
    sim__plot_time_params(r, p);
    double overall = sim_json_number(r->summary, "rates.cold_start_rate") * 100.0;
    sim__sb_printf(&p->params, "overall = %.9g\nhave_overall = %d\nymax = %.9g\n",
                   isfinite(overall) ? overall : 0.0, isfinite(overall),
                   ymax > 0 ? ymax * 1.15 : 1.0);
    char t[64];
    snprintf(t, sizeof t, "run overall: %.3g %%", isfinite(overall) ? overall : 0.0);
    sim__sb_gpvar(&p->params, "overall_text", t);
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

sim_plot_status sim__plot_prep_outcomes(run *r, prep *p, char *err, size_t errlen)
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
        sim__plot_prep_empty(p, "Outcomes by reason", "summary.json has no \"outcomes\"");
        return SIM_PLOT_OK;
    }
    FILE *f = sim__plot_tmp_open(r, "outcomes.dat", err, errlen);
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
    sim_plot_status st = sim__plot_tmp_close(f, r, "outcomes.dat", err, errlen);
    if (st)
        return st;
    char t[64];
    sim__fmt_count(t, sizeof t, total);
    sim__sb_printf(&p->params, "nout = %zu\nymax = %.9g\n", n, top > 0 ? top * 8 : 10);
    sim__sb_gpvar(&p->params, "total_text", t);
    p->script = "outcomes";
    return SIM_PLOT_OK;
}

