/*
 * plot_nodes.c — step (2) for the per-node plots: the busy-slot heat map
 * and the node status lanes (or counts by status when there are too many
 * nodes for lanes).
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

static const char *const status_names[ST_COUNT] = {"online", "offline", "degraded", "syncing",
                                                   "maintenance"};
/* ONLINE green, OFFLINE red, DEGRADED amber, SYNCING blue, MAINTENANCE grey:
 * the same in common.gp (the legend) and here (the lanes). */
static const unsigned status_rgb[ST_COUNT] = {0x2ca02c, 0xd62728, 0xf2a900, 0x1f77b4, 0x9e9e9e};

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
            sim__sb_gpstr(b, r->node_id[i]);
            sim__sb_printf(b, " %zu", i);
        }
        sim__sb_add(b, ")\nset ytics scale 0\n");
        sim__sb_gpvar(b, "node_axis", "node");
    } else if (grouped) {
        sim__sb_add(b, "set ytics (");
        for (size_t k = 0; k < nb; k++) {
            sim__sb_add(b, k ? ", " : "");
            sim__sb_gpstr(b, r->node_region[starts[k]]);
            sim__sb_printf(b, " %.6g", ((double)starts[k] + (double)starts[k + 1]) / 2 / bin - 0.5);
        }
        sim__sb_add(b, ")\nset ytics scale 0\n");
        char t[160];
        snprintf(t, sizeof t, "node (registration order: %zu nodes by region)", r->nnodes);
        sim__sb_gpvar(b, "node_axis", t);
    } else {
        char t[160];
        snprintf(t, sizeof t, "node (registration order, 1 to %zu)", r->nnodes);
        sim__sb_gpvar(b, "node_axis", t);
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

sim_plot_status sim__plot_prep_heatmap(run *r, prep *p, char *err, size_t errlen)
{
    static const char *const cols[] = {"t_end_s", "node", "busy_slots"};
    if (!r->nnodes || !r->nts) {
        sim__plot_prep_empty(p, "Busy slots per node", !r->nnodes ? "nodes.csv lists no nodes"
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
        st = sim__plot_oom(err, errlen);
        goto out;
    }
    int idx[3];
    if ((st = sim__plot_csv_open(r, "node_series.csv", &c, cols, idx, 3, err, errlen)))
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
            st = sim__plot_row_error(c, "column \"busy_slots\": expected a count of at least 0", err,
                           errlen);
            goto out;
        }
        long node = sim__plot_strmap_get(&r->nodes, sim_csv_field(c, idx[1]));
        if (node < 0) {
            char what[160];
            snprintf(what, sizeof what, "column \"node\": expected a node of nodes.csv, found "
                                        "\"%.64s\"",
                     sim_csv_field(c, idx[1]));
            st = sim__plot_row_error(c, what, err, errlen);
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
        sim__plot_prep_empty(p, "Busy slots per node", "node_series.csv has no samples");
        goto out;
    }
    FILE *f = sim__plot_tmp_open(r, "heat.dat", err, errlen);
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
    if ((st = sim__plot_tmp_close(f, r, "heat.dat", err, errlen)))
        goto out;
    sim__sb *b = &p->params;
    sim__plot_time_params(r, p);
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
    sim__sb_gpvar(b, "heat_note", note);
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
    h->node = sim__plot_strmap_get(&r->nodes, sim_csv_field(c, idx[1]));
    if (h->node < 0) {
        char what[160];
        snprintf(what, sizeof what,
                 "column \"node\": expected a node of nodes.csv, found \"%.64s\"",
                 sim_csv_field(c, idx[1]));
        return sim__plot_row_error(c, what, err, errlen);
    }
    for (int k = 0; k < 2; k++) {
        const char *s = sim_csv_field(c, idx[2 + k]);
        int v = status_index(s);
        if (v < 0) {
            char what[200];
            snprintf(what, sizeof what, "column \"%s\": expected a status (online, offline, "
                                        "degraded, syncing, maintenance), found \"%.40s\"",
                     k ? "to" : "from", s);
            return sim__plot_row_error(c, what, err, errlen);
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
        return sim__plot_oom(err, errlen);
    for (size_t i = 0; i < r->nfaults; i++) {
        const fwin *f = &r->faults[i];
        if (strcmp(f->kind, "crash") || f->node < 0 || f->instant)
            continue;
        ev[n++] = (edge_ev){f->a, +1};
        ev[n++] = (edge_ev){f->b, -1};
    }
    qsort(ev, n, sizeof *ev, cmp_ev);
    FILE *f = sim__plot_tmp_open(r, "down_count.dat", err, errlen);
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
    return sim__plot_tmp_close(f, r, "down_count.dat", err, errlen);
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

sim_plot_status sim__plot_prep_status(run *r, prep *p, char *err, size_t errlen)
{
    static const char *const cols[] = {"time_s", "node", "from", "to"};
    if (!r->nnodes) {
        sim__plot_prep_empty(p, "Node status", "nodes.csv lists no nodes");
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
        st = sim__plot_oom(err, errlen);
        goto out;
    }
    /* pass 1: each node's status before its first transition */
    for (size_t i = 0; i < r->nnodes; i++) {
        cur[i] = -1;
        since[i] = 0;
    }
    if ((st = sim__plot_csv_open(r, "health.csv", &c, cols, idx, 4, err, errlen)))
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
    if (!(out = sim__plot_tmp_open(r, name, err, errlen))) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    if (lanes && !(base = sim__plot_tmp_open(r, "lanes_base.dat", err, errlen))) {
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
    if ((st = sim__plot_csv_open(r, "health.csv", &c, cols, idx, 4, err, errlen)))
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
    if ((st = sim__plot_tmp_close(f, r, name, err, errlen)))
        goto out;
    if (base) {
        f = base;
        base = NULL;
        if ((st = sim__plot_tmp_close(f, r, "lanes_base.dat", err, errlen)))
            goto out;
    }
    /* crashes (and when they recovered) from faults.csv */
    if (!(out = sim__plot_tmp_open(r, "down.dat", err, errlen))) {
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
    if ((st = sim__plot_tmp_close(f, r, "down.dat", err, errlen)))
        goto out;
    size_t most_actually_down = 0;
    if (!lanes && ncrash &&
        (st = write_down_count(r, &most_actually_down, err, errlen)) != SIM_PLOT_OK)
        goto out;
    if (most_actually_down > most_down)
        most_down = most_actually_down;
    sim__sb *b = &p->params;
    sim__plot_time_params(r, p);
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

