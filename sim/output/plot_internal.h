/*
 * plot_internal.h — what sim/output/plot.c (reading a run, drawing) and
 * sim/output/plot_html.c (the report) share. Not part of the program's interface;
 * the names carry the double underscore of internal, non-static symbols.
 */
#ifndef SIM_PLOT_INTERNAL_H
#define SIM_PLOT_INTERNAL_H

#include <cJSON.h>
#include <stdarg.h>
#include <stddef.h>

#include <stdio.h>

#include "input/csv.h"
#include "output/plot.h"
#include "output/strbuf.h"

/* Appends s with & < > " ' as HTML entities and control characters as
 * spaces. */
void sim__sb_html(sim__sb *b, const char *s);

/* Appends an SVG document as an element to inline into HTML: the XML
 * prologue before "<svg" is dropped, every id, "#id" reference and url(#id)
 * inside tags gets prefix, so several gnuplot SVGs (which all use the same
 * ids) can share one page, and gnuplot's "<title>Gnuplot</title>" becomes
 * title (escaped). Returns 0, or -1 when svg has no "<svg" element. */
int sim__svg_inline(sim__sb *b, const char *svg, const char *prefix, const char *title);

/* One picture of the report. */
typedef struct sim__plot_fig {
    const char *name;    /* "latency_cdf" */
    const char *caption; /* what it shows, plain text */
    char *svg;           /* the SVG text (owned by the caller), NULL if not drawn */
} sim__plot_fig;

struct fwin;
struct run;

/* Writes path (report.html) atomically: heading from summary (may be NULL),
 * the key figures, outcomes, functions, the faults applied (faults[0..nfaults),
 * as read from faults.csv), then each figure. note, when not
 * NULL, is shown above the figures (e.g. why there are none). Returns 0, or
 * -1 with a message in err. */
int sim__plot_write_report(const char *path, const char *run_name, const cJSON *summary,
                           const sim__plot_fig *figs, size_t nfigs, const char *note,
                           const struct fwin *faults, size_t nfaults, char *err, size_t errlen);
/* The first sample interval the time plots scale their y axis on: the
 * first after the warm-up; without one the second (the first holds the
 * first cold starts). Higher points in the intervals before are clipped. */
size_t sim__plot_scale_from(const struct run *r);

/* ---- what the plot files share (plot.c drives; plot_run.c reads; plot_figs.c
 * and plot_nodes.c reduce) ---- */

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

/* A map from node id to registration index (open addressing). */
typedef struct strmap {
    const char **keys; /* borrowed from the run's node ids */
    size_t *vals;
    size_t cap;
} strmap;

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

typedef struct run {
    const char *dir;
    char *name;  /* the scenario's name, else the folder's */
    char *title; /* "quickstart · least_loaded · seed 42" */
    cJSON *summary;
    double duration; /* seconds */
    double warmup;   /* seconds: summary.json's warmup_s, 0 without one */
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

/* What one plot needs: its data files are written, params holds the
 * gnuplot variables and settings for its script. */
typedef struct prep {
    sim__sb params;
    const char *script; /* a name in sim__gp_scripts */
    int width, height;
    int skip;           /* not drawn for this run (no data of its kind) */
} prep;


/* plot_run.c: reading a run. Each sim_plot_status function returns
 * SIM_PLOT_OK, or an error with a one-line message in err. */
int sim__plot_path_in(char *out, const char *dir, const char *name);
sim_plot_status sim__plot_oom(char *err, size_t errlen);
sim_plot_status sim__plot_csv_open(run *r, const char *name, sim_csv **c, const char *const *cols,
                                int *idx, size_t ncols, char *err, size_t errlen);
sim_plot_status sim__plot_row_error(const sim_csv *c, const char *what, char *err, size_t errlen);
long sim__plot_strmap_get(const strmap *m, const char *key);
sim_plot_status sim__plot_load_run(run *r, char *err, size_t errlen);
void sim__plot_run_free(run *r);

/* plot_figs.c: data files in the run's temporary folder, and the time plots */
FILE *sim__plot_tmp_open(run *r, const char *name, char *err, size_t errlen);
sim_plot_status sim__plot_tmp_close(FILE *f, run *r, const char *name, char *err, size_t errlen);
void sim__plot_prep_empty(prep *p, const char *title, const char *message);
void sim__plot_time_params(run *r, prep *p);
sim_plot_status sim__plot_write_fault_snippets(run *r, char *err, size_t errlen);
sim_plot_status sim__plot_prep_latency_cdf(run *r, prep *p, char *err, size_t errlen);
sim_plot_status sim__plot_prep_latency_time(run *r, prep *p, char *err, size_t errlen);
sim_plot_status sim__plot_prep_load(run *r, prep *p, char *err, size_t errlen);
sim_plot_status sim__plot_prep_cold(run *r, prep *p, char *err, size_t errlen);
sim_plot_status sim__plot_prep_outcomes(run *r, prep *p, char *err, size_t errlen);

/* plot_nodes.c: the per-node plots */
sim_plot_status sim__plot_prep_heatmap(run *r, prep *p, char *err, size_t errlen);
sim_plot_status sim__plot_prep_status(run *r, prep *p, char *err, size_t errlen);

/* plot_links.c: the busiest links' utilisation (skipped without link_series.csv) */
sim_plot_status sim__plot_prep_links(run *r, prep *p, char *err, size_t errlen);

#endif
