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
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np (glibc 2.29) */
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


const char *const sim_plot_names[] = {"latency_cdf",  "latency_over_time", "load",
                                      "busy_heatmap", "node_status",       "cold_starts",
                                      "outcomes",     "link_utilisation",  NULL};

size_t sim_plot_count(const char *dir)
{
    size_t n = 0;
    while (sim_plot_names[n])
        n++;
    char path[PATH_LEN];
    struct stat st;
    if (sim__plot_path_in(path, dir, "link_series.csv") != 0 || stat(path, &st) != 0)
        n--; /* no link_utilisation */
    return n;
}

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
    "Utilisation of the busiest links (highest mean over the run) in each sample interval; "
    "only for runs with a network.",
};

/* ---- gnuplot ---- */

typedef sim_plot_status (*prep_fn)(run *, prep *, char *, size_t);
static const prep_fn preps[] = {sim__plot_prep_latency_cdf, sim__plot_prep_latency_time, sim__plot_prep_load, sim__plot_prep_heatmap,
                                sim__plot_prep_status,      sim__plot_prep_cold,         sim__plot_prep_outcomes,
                                sim__plot_prep_links};
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

int sim_plot_run_gnuplot(const char *gnuplot, const char *dir, const char *script,
                         const char *log)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    /* first: the opens below and gnuplot's own names are then in dir */
    int crc = posix_spawn_file_actions_addchdir_np(&fa, dir);
    if (crc != 0) {
        posix_spawn_file_actions_destroy(&fa);
        errno = crc;
        return -1;
    }
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
            if (sim__plot_path_in(path, tmp, e->d_name) == 0)
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

int sim_plot_size_parse(const char *text, sim_plot_size *out)
{
    if (!strcmp(text, "column")) {
        *out = (sim_plot_size){3.5, 2.625, 8, 1};
        return 0;
    }
    if (!strcmp(text, "page")) {
        *out = (sim_plot_size){7.0, 4.0, 9, 0};
        return 0;
    }
    double w, h;
    char rest;
    if (sscanf(text, "%lfx%lf%c", &w, &h, &rest) != 2 || !(w >= 0.5 && w <= 40) ||
        !(h >= 0.5 && h <= 40))
        return -1;
    *out = (sim_plot_size){w, h, 8, w < 5};
    return 0;
}

static sim_plot_status draw_run_dir(const char *dir, const char *shown, int formats,
                                    const sim_plot_size *size, char *err, size_t errlen);

sim_plot_status sim_plot_run_dir(const char *dir, int formats, char *err, size_t errlen)
{
    return draw_run_dir(dir, dir, formats, NULL, err, errlen);
}

sim_plot_status sim_plot_run_dir_as(const char *dir, const char *shown, int formats, char *err,
                                    size_t errlen)
{
    return draw_run_dir(dir, shown, formats, NULL, err, errlen);
}

sim_plot_status sim_plot_run_dir_sized(const char *dir, int formats, const sim_plot_size *size,
                                       char *err, size_t errlen)
{
    return draw_run_dir(dir, dir, formats, size, err, errlen);
}

static const char *const exts[3] = {"png", "svg", "pdf"};

/* The terminal line of one format: the screen default, or size in inches. */
static void terminal(sim__sb *s, int fmt, const prep *p, const sim_plot_size *size)
{
    static const char *const term[3] = {"pngcairo", "svg", "pdfcairo"};
    if (!size) {
        sim__sb_printf(s, "set terminal %s size %d,%d font 'sans,11' noenhanced "
                          "background rgb 'white'\n",
                       term[fmt], p->width, p->height);
        return;
    }
    double w = size->width_in, h = size->height_in * p->height / H_DEFAULT;
    if (fmt == 2) /* inches, and the font in points */
        sim__sb_printf(s, "set terminal pdfcairo size %.3fin,%.3fin font 'sans,%g' noenhanced "
                          "background rgb 'white'\n",
                       w, h, size->font_pt);
    else if (fmt == 0) /* 150 dpi; pngcairo sets text at 96 dpi */
        sim__sb_printf(s, "set terminal pngcairo size %d,%d font 'sans,%g' noenhanced "
                          "background rgb 'white'\n",
                       (int)(w * 150 + 0.5), (int)(h * 150 + 0.5), size->font_pt * 150 / 96);
    else /* SVG user units are 1/72 in */
        sim__sb_printf(s, "set terminal svg size %d,%d font 'sans,%g' noenhanced "
                          "background rgb 'white'\n",
                       (int)(w * 72 + 0.5), (int)(h * 72 + 0.5), size->font_pt);
}

static sim_plot_status draw_run_dir(const char *dir, const char *shown, int formats,
                                    const sim_plot_size *size, char *err, size_t errlen)
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
    sim_plot_status st = sim__plot_load_run(&r, err, errlen);
    if (st)
        goto out;
    if (sim__plot_path_in(report, dir, "report.html") != 0 || sim__plot_path_in(path, dir, ".plots.XXXXXX") != 0) {
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
    if ((st = sim__plot_write_fault_snippets(&r, err, errlen)))
        goto out;
    for (size_t i = 0; i < NPLOTS; i++) {
        preps_done[i].width = W_DEFAULT;
        preps_done[i].height = H_DEFAULT;
        if ((st = preps[i](&r, &preps_done[i], err, errlen)))
            goto out;
        if (preps_done[i].params.oom) {
            st = sim__plot_oom(err, errlen);
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
                 shown);
        note = note_buf;
        goto report;
    }
    /* one script: every plot in every format, SVG always (for the report) */
    const char *common = script_text("common");
    for (size_t i = 0; i < NPLOTS; i++) {
        const prep *p = &preps_done[i];
        if (p->skip)
            continue;
        const char *body = script_text(p->script);
        if (!common || !body) {
            snprintf(err, errlen, "internal error: no gnuplot script \"%s\"", p->script);
            st = SIM_PLOT_FAILED;
            goto out;
        }
        for (int fmt = 0; fmt < 3; fmt++) {
            if ((fmt == 0 && !(formats & SIM_PLOT_PNG)) || (fmt == 2 && !(formats & SIM_PLOT_PDF)))
                continue;
            sim__sb_printf(&script, "reset\nprint 'drawing %s'\n", sim_plot_names[i]);
            terminal(&script, fmt, p, size);
            /* the picture's name is short: no length limit here */
            sim__sb_add(&script, "set output ");
            /* names relative to r.tmp, gnuplot's working folder (see
             * sim_plot_run_gnuplot): the user's path is never script text */
            sim__sb out = {0};
            sim__sb_printf(&out, "%s.%s", sim_plot_names[i], exts[fmt]);
            sim__sb_gpstr(&script, out.s ? out.s : "");
            script.oom |= out.oom;
            sim__sb_free(&out);
            sim__sb_add(&script, "\n");
            sim__sb_gpvar(&script, "tmpdir", ".");
            sim__sb_gpvar(&script, "run_title", r.title);
            sim__sb_gpvar(&script, "tunit", r.tunit);
            sim__sb_printf(&script, "compact = %d\n", size && size->compact);
            sim__sb_add(&script, common);
            sim__sb_add(&script, "load tmpdir.'/fault_keys.gp'\n");
            sim__sb_add(&script, p->params.s ? p->params.s : "");
            sim__sb_add(&script, body);
            sim__sb_add(&script, "\nunset output\n");
        }
    }
    if (script.oom) {
        st = sim__plot_oom(err, errlen);
        goto out;
    }
    char script_path[PATH_LEN], log_path[PATH_LEN];
    if (sim__plot_path_in(script_path, r.tmp, "plots.gp") != 0 || sim__plot_path_in(log_path, r.tmp, "gnuplot.log")) {
        snprintf(err, errlen, "%s: path too long", r.tmp);
        st = SIM_PLOT_BAD_INPUT;
        goto out;
    }
    FILE *sf = sim__plot_tmp_open(&r, "plots.gp", err, errlen);
    if (!sf) {
        st = SIM_PLOT_FAILED;
        goto out;
    }
    fputs(script.s, sf);
    if ((st = sim__plot_tmp_close(sf, &r, "plots.gp", err, errlen)))
        goto out;
    int rc = sim_plot_run_gnuplot(gnuplot, r.tmp, "plots.gp", "gnuplot.log");
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
    if (sim__plot_path_in(plots, dir, "plots") != 0 || sim_mkdirs(plots) != 0) {
        snprintf(err, errlen, "%s/plots: cannot create: %s", dir, strerror(errno));
        st = SIM_PLOT_FAILED;
        goto out;
    }
    for (size_t i = 0; i < NPLOTS; i++) {
        for (int fmt = 0; fmt < 3 && !preps_done[i].skip; fmt++) {
            const char *ext = exts[fmt];
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
            static const int flag[3] = {SIM_PLOT_PNG, SIM_PLOT_SVG, SIM_PLOT_PDF};
            if (!(formats & flag[fmt]))
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
        if (sim__plot_write_report(report, r.name, r.summary, figs, NPLOTS, note, r.faults,
                                   r.nfaults, rerr,
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
    sim__plot_run_free(&r);
    return st;
}

