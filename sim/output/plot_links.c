/*
 * plot_links.c — step (2) for the link-utilisation plot: the utilisation of
 * the busiest links per sample interval, from link_series.csv (written by
 * runs with a network, docs/outputs.md). A run without that file has no
 * such plot (the prep says skip).
 *
 * The file is streamed: each row becomes one step (two points) in the data
 * file of its rank, so memory is the link names only.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/csv.h"
#include "output/plot_internal.h"

/* Ranks drawn: link_series.csv has at most this many links. */
#define LINK_RANKS 5

/* The top of the y axis for utilisations up to peak percent: the full 0 to
 * 100% when a link comes near half full, else the 1-2-5 step above the peak
 * with a tenth to spare, so that links at 0.5% are lines, not the floor. */
static double y_top(double peak)
{
    if (peak >= 50)
        return 105;
    static const double mult[] = {1, 2, 5};
    double want = peak * 1.1;
    for (double step = 0.001;; step *= 10) /* %: 0.001% is the least top */
        for (int i = 0; i < 3; i++)
            if (step * mult[i] >= want || step * mult[i] >= 100)
                return step * mult[i];
}

sim_plot_status sim__plot_prep_links(run *r, prep *p, char *err, size_t errlen)
{
    char path[PATH_LEN];
    struct stat stbuf;
    if (sim__plot_path_in(path, r->dir, "link_series.csv") != 0 || stat(path, &stbuf) != 0) {
        p->skip = 1; /* no network: no plot */
        return SIM_PLOT_OK;
    }
    static const char *const cols[] = {"t_start_s", "t_end_s", "rank", "link", "utilisation"};
    int idx[5];
    sim_csv *c;
    sim_plot_status st = sim__plot_csv_open(r, "link_series.csv", &c, cols, idx, 5, err, errlen);
    if (st)
        return st;
    FILE *f[LINK_RANKS] = {0};
    char *name[LINK_RANKS] = {0};
    char fname[32];
    int k;
    size_t nranks = 0;
    double umax = 0;
    while ((k = sim_csv_next(c, err, errlen)) == 1) {
        double t0, t1, rank, u;
        if (sim_csv_double(c, idx[0], 0, &t0, err, errlen) ||
            sim_csv_double(c, idx[1], 0, &t1, err, errlen) ||
            sim_csv_double(c, idx[2], 0, &rank, err, errlen) ||
            sim_csv_double(c, idx[4], 0, &u, err, errlen)) {
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
        if (!(rank >= 1 && rank <= LINK_RANKS && rank == floor(rank))) {
            st = sim__plot_row_error(c, "column \"rank\": expected 1 to 5", err, errlen);
            goto out;
        }
        if (!(t0 >= 0 && t1 >= t0) || !(u >= 0 && u <= 1)) {
            st = sim__plot_row_error(c, "expected 0 <= t_start_s <= t_end_s and a utilisation "
                                        "from 0 to 1", err, errlen);
            goto out;
        }
        size_t i = (size_t)rank - 1;
        const char *id = sim_csv_field(c, idx[3]);
        if (!f[i]) {
            snprintf(fname, sizeof fname, "link%zu.dat", i + 1);
            if (!(f[i] = sim__plot_tmp_open(r, fname, err, errlen)) || !(name[i] = strdup(id))) {
                st = f[i] ? sim__plot_oom(err, errlen) : SIM_PLOT_FAILED;
                goto out;
            }
            if (i + 1 > nranks)
                nranks = i + 1;
        } else if (strcmp(name[i], id)) {
            st = sim__plot_row_error(c, "column \"link\": expected the same link at each rank",
                                     err, errlen);
            goto out;
        }
        fprintf(f[i], "%.9g %.9g\n%.9g %.9g\n", t0 / r->tdiv, 100 * u, t1 / r->tdiv, 100 * u);
        if (u > umax)
            umax = u;
    }
    if (k < 0) {
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    for (size_t i = 0; i < nranks; i++)
        if (!f[i]) {
            snprintf(err, errlen, "%s: expected ranks 1 to %zu, found no rank %zu",
                     sim_csv_path(c), nranks, i + 1);
            st = SIM_PLOT_BAD_INPUT;
            goto out;
        }
    for (size_t i = 0; i < nranks; i++) {
        snprintf(fname, sizeof fname, "link%zu.dat", i + 1);
        st = sim__plot_tmp_close(f[i], r, fname, err, errlen);
        f[i] = NULL;
        if (st)
            goto out;
    }
    if (!nranks) {
        sim__plot_prep_empty(p, "Link utilisation", "no link carried any byte");
        goto out;
    }
    sim__plot_time_params(r, p);
    sim__sb_printf(&p->params, "nlinks = %zu\nytop = %.9g\n", nranks, y_top(100 * umax));
    for (size_t i = 0; i < nranks; i++) {
        char var[32];
        snprintf(var, sizeof var, "link%zu", i + 1);
        sim__sb_gpvar(&p->params, var, name[i]);
    }
    p->script = "link_utilisation";
out:
    for (size_t i = 0; i < LINK_RANKS; i++) {
        if (f[i])
            fclose(f[i]);
        free(name[i]);
    }
    sim_csv_close(c);
    return st;
}
