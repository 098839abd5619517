/*
 * plot_sweep.c — a sweep's plots (the contract is in plot_sweep.h).
 *
 * One gnuplot script draws every (metric, parameter) picture from small
 * data files, one per picture, with one block per line: x, mean, low, high.
 * The house style is scripts/plots/common.gp's, repeated in a few settings
 * here (the sweep's pictures are simple and need none of its variables).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/outfile.h"
#include "output/plot.h"
#include "harness/plot_sweep.h"

static const char *const colours[SIM_PLOT_SWEEP_MAX_LINES] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#882255"};

/* gnuplot single-quoted string: '' for a quote, control characters as spaces. */
static void gpstr(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
    }
    fputc('\'', f);
}

static int is_number(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    double v = strtod(s, &end);
    return !*end && isfinite(v);
}

/* A scenario as the plots name it: its file name without folder and .json. */
static const char *short_name(const char *path, char *buf, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, n, "%s", b);
    size_t l = strlen(buf);
    if (l > 5 && !strcmp(buf + l - 5, ".json"))
        buf[l - 5] = '\0';
    return buf;
}

/* PARAM as part of a file name. */
static void file_part(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; *s && i + 1 < n; s++, i++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

/* One picture: metric m against x dimension px (a parameter index, or
 * nparams for "the scenarios" when there is no grid). Writes its data file
 * and appends its commands for both formats to the script. */
static int one_plot(FILE *gp, const char *tmp, const sim_sweep *sw, size_t m, size_t nmetrics,
                    const char *metric, const char *label, double ymax, size_t px,
                    const sim_sweep_stat *stats, size_t *idx)
{
    int by_scenario = sw->nparams == 0;
    size_t nx = by_scenario ? sw->nscenarios : sw->params[px].nvalues;
    const char *xname = by_scenario ? "scenario" : sw->params[px].path;
    int numeric = !by_scenario;
    for (size_t v = 0; numeric && v < nx; v++)
        numeric = is_number(sw->params[px].labels[v]);
    /* lines: every (scenario, other parameters) combination, in run order */
    size_t nlines = by_scenario ? 1 : sw->nscenarios * (sw->nconfigs / nx);
    size_t shown = nlines < SIM_PLOT_SWEEP_MAX_LINES ? nlines : SIM_PLOT_SWEEP_MAX_LINES;
    char part[256], name[600], data[4900], sname[256];
    file_part(xname, part, sizeof part);
    snprintf(name, sizeof name, "%s_by_%s", metric, part);
    snprintf(data, sizeof data, "%s/%s.dat", tmp, name);
    FILE *f = fopen(data, "w");
    /* the script names it relative to tmp, gnuplot's working folder */
    snprintf(data, sizeof data, "%s.dat", name);
    if (!f)
        return -1;
    char **titles = calloc(shown, sizeof *titles);
    if (!titles) {
        fclose(f);
        return -1;
    }
    size_t longest = 0;
    for (size_t line = 0; line < shown; line++) {
        /* line = scenario * (configs per x value) + rank of the other values */
        size_t per = by_scenario ? 1 : sw->nconfigs / nx;
        size_t s = by_scenario ? 0 : line / per, rest = by_scenario ? 0 : line % per;
        char title[1024] = "";
        size_t tl = 0;
        for (size_t xv = 0; xv < nx; xv++) {
            size_t sc = by_scenario ? xv : s, c = 0;
            if (!by_scenario) {
                /* the config whose px value is xv and whose other values are the
                 * rest-th combination (odometer over the others, last fastest) */
                size_t r = rest;
                for (size_t k = sw->nparams; k-- > 0;) {
                    if (k == px) {
                        idx[k] = xv;
                        continue;
                    }
                    idx[k] = r % sw->params[k].nvalues;
                    r /= sw->params[k].nvalues;
                }
                for (size_t k = 0; k < sw->nparams; k++)
                    c = c * sw->params[k].nvalues + idx[k];
                if (xv == 0) {
                    if (sw->nscenarios > 1)
                        tl += (size_t)snprintf(title + tl, sizeof title - tl, "%s",
                                               short_name(sw->scenarios[s], sname, sizeof sname));
                    for (size_t k = 0; k < sw->nparams && tl < sizeof title; k++)
                        if (k != px)
                            tl += (size_t)snprintf(title + tl, sizeof title - tl, "%s%s=%s",
                                                   tl ? " · " : "", sw->params[k].path,
                                                   sw->params[k].labels[idx[k]]);
                }
            }
            const sim_sweep_stat *st = &stats[(sc * sw->nconfigs + c) * nmetrics + m];
            double lo = st->n >= 2 ? st->ci95_low : st->mean;
            double hi = st->n >= 2 ? st->ci95_high : st->mean;
            /* categories sit side by side, a little apart per line */
            double x = numeric ? strtod(sw->params[px].labels[xv], NULL)
                               : (double)xv + ((double)line - (double)(shown - 1) / 2.0) * 0.08;
            if (isfinite(st->mean))
                fprintf(f, "%.17g %.17g %.17g %.17g\n", x, st->mean, lo, hi);
            else
                fprintf(f, "%.17g NaN NaN NaN\n", x);
        }
        fputs("\n\n", f);
        titles[line] = strdup(title);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        for (size_t i = 0; i < shown; i++)
            free(titles[i]);
        free(titles);
        return -1;
    }
    for (size_t v = 0; v < nx; v++) {
        size_t l = strlen(by_scenario ? sw->scenarios[v] : sw->params[px].labels[v]);
        longest = l > longest ? l : longest;
    }
    for (int fmt = 0; fmt < 2; fmt++) {
        fprintf(gp, "reset\n");
        /* the key goes below the plot: taller by a line per line of it */
        int height = 560 + (shown > 1 ? 20 * (int)shown : 0);
        fprintf(gp, "set terminal %s size 900,%d font 'sans,11' noenhanced "
                    "background rgb 'white'\n", fmt == 0 ? "pngcairo" : "svg", height);
        fprintf(gp, "set output '%s.%s'\n", name, fmt == 0 ? "png" : "svg");
        fputs("set border 3 front lc rgb '#4d4d4d' lw 1\n"
              "set tics nomirror out scale 0.6 textcolor rgb '#333333'\n"
              "set grid ytics back lc rgb '#e4e4e4' lw 1 dt solid\n"
              "set key below center vertical maxcols 1 textcolor rgb '#333333' samplen 2 "
              "title ' '\n" /* the blank title: a line between the x label and the key */
              "set title font ',14' textcolor rgb '#111111'\n"
              "set bars 2\nset offsets graph 0.04, graph 0.04, graph 0.08, graph 0.08\n", gp);
        /* autoscaled, within what the metric can be (a rate stops at 100%) */
        if (isfinite(ymax))
            fprintf(gp, "set yrange [0<*:*<%.17g]\n", ymax);
        else
            fputs("set yrange [0<*:*]\n", gp);
        /* two lines: what is plotted, then the sweep and what the bars mean */
        char t[1200];
        snprintf(t, sizeof t, "%s by %s", label, xname);
        fputs("set title ", gp);
        gpstr(gp, t);
        snprintf(t, sizeof t, "%s · mean and 95%% confidence interval over %u replication%s%s",
                 sw->name, sw->replications, sw->replications == 1 ? "" : "s",
                 shown < nlines ? " · first 8 lines" : "");
        fputs(" . \"\\n\" . ", gp);
        gpstr(gp, t);
        fputs("\n", gp);
        fputs("set ylabel ", gp);
        gpstr(gp, label);
        fputs("\nset xlabel ", gp);
        gpstr(gp, xname);
        fputs("\n", gp);
        if (numeric) {
            /* a tic at every swept value, none between */
            fputs("set xtics (", gp);
            for (size_t v = 0; v < nx; v++) /* the value, not its text (" \n1" is a number) */
                fprintf(gp, "%s%.17g", v ? ", " : "", strtod(sw->params[px].labels[v], NULL));
            fputs(")\n", gp);
        } else {
            fprintf(gp, "set xrange [-0.5:%zu.5]\nset xtics (", nx - 1);
            for (size_t v = 0; v < nx; v++) {
                if (v)
                    fputs(", ", gp);
                gpstr(gp, by_scenario ? short_name(sw->scenarios[v], sname, sizeof sname)
                                      : sw->params[px].labels[v]);
                fprintf(gp, " %zu", v);
            }
            fputs(")\n", gp);
            if (longest > 14 || nx > 8)
                fputs("set xtics rotate by -25 left\nset rmargin 12\n", gp);
        }
        if (shown == 1 || (sw->nscenarios == 1 && sw->nparams <= 1))
            fputs("unset key\n", gp);
        fputs("plot ", gp);
        for (size_t line = 0; line < shown; line++) {
            const char *c = colours[line];
            if (line)
                fputs(", \\\n     ", gp);
            fprintf(gp, "'%s' index %zu using 1:2:3:4 with %s lc rgb '%s' lw 2 pt 7 ps 1.1 title ",
                    data, line, numeric ? "yerrorlines" : "yerrorbars", c);
            gpstr(gp, titles[line] && titles[line][0] ? titles[line] : "mean");
        }
        fputs("\nunset output\n", gp);
    }
    for (size_t i = 0; i < shown; i++)
        free(titles[i]);
    free(titles);
    return 0;
}

int sim_plot_sweep(const char *dir, const sim_sweep *sw, const char *const *metrics,
                   const char *const *labels, const double *ymax, size_t nmetrics,
                   const sim_sweep_stat *stats, char *err, size_t errlen)
{
    char gnuplot[4096], tmp[4200], script[4300], log[4300], plots[4200];
    if (sim_plot_find_gnuplot(gnuplot, sizeof gnuplot) != 0) {
        snprintf(err, errlen, "gnuplot is not on PATH: no plots drawn");
        return 1;
    }
    snprintf(tmp, sizeof tmp, "%s/.sweep-plots.XXXXXX", dir);
    if (!mkdtemp(tmp)) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    snprintf(script, sizeof script, "%s/plots.gp", tmp);
    snprintf(log, sizeof log, "%s/gnuplot.log", tmp);
    size_t *idx = calloc(sw->nparams + 1, sizeof *idx);
    FILE *gp = fopen(script, "w");
    int rc = -1;
    if (!gp || !idx) {
        snprintf(err, errlen, "%s: %s", script, strerror(errno ? errno : ENOMEM));
        goto out;
    }
    size_t ndims = sw->nparams ? sw->nparams : 1;
    for (size_t m = 0; m < nmetrics; m++)
        for (size_t p = 0; p < ndims; p++)
            if (one_plot(gp, tmp, sw, m, nmetrics, metrics[m], labels[m],
                         ymax ? ymax[m] : HUGE_VAL, p, stats, idx) != 0) {
                snprintf(err, errlen, "%s: cannot write the plot data: %s", tmp, strerror(errno));
                goto out;
            }
    int bad = ferror(gp);
    int closed = fclose(gp);
    gp = NULL;
    if (bad || closed != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", script, strerror(errno));
        goto out;
    }
    if (sim_plot_run_gnuplot(gnuplot, tmp, "plots.gp", "gnuplot.log") != 0) {
        FILE *lf = fopen(log, "r");
        char line[512] = "no message";
        if (lf) {
            char l[512];
            while (fgets(l, sizeof l, lf))
                if (strstr(l, "rror")) {
                    l[strcspn(l, "\n")] = '\0';
                    snprintf(line, sizeof line, "%s", l);
                    break;
                }
            fclose(lf);
        }
        snprintf(err, errlen, "gnuplot failed drawing the sweep plots: %s", line);
        goto out;
    }
    snprintf(plots, sizeof plots, "%s/plots", dir);
    if (sim_mkdirs(plots) != 0) {
        snprintf(err, errlen, "%s: %s", plots, strerror(errno));
        goto out;
    }
    /* the pictures, renamed into place one by one */
    DIR *d = opendir(tmp);
    struct dirent *e;
    rc = 0;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || (strcmp(e->d_name + n - 4, ".png") && strcmp(e->d_name + n - 4, ".svg")))
            continue;
        char from[4500], to[4500];
        snprintf(from, sizeof from, "%s/%s", tmp, e->d_name);
        snprintf(to, sizeof to, "%s/%s", plots, e->d_name);
        if (rename(from, to) != 0) {
            snprintf(err, errlen, "%s: %s", to, strerror(errno));
            rc = -1;
        }
    }
    if (d)
        closedir(d);
out:
    if (gp)
        fclose(gp);
    free(idx);
    sim_plot_remove_tmp_dir(tmp);
    return rc;
}
