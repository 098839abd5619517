/*
 * plot.h — every run draws itself: plots and an HTML report from a run
 * directory's outputs.
 *
 * sim_plot_run_dir reads the files `edgesim run` wrote (docs/outputs.md:
 * summary.json, timeseries.csv, node_series.csv, health.csv, nodes.csv,
 * latency.csv, faults.csv), prepares small data files for gnuplot in a
 * temporary folder inside DIR, runs gnuplot once over scripts compiled into
 * the program (scripts/plots/NAME.gp; the installed binary needs no source
 * tree), and moves the finished pictures into DIR/plots/. Then it writes
 * DIR/report.html: the key figures of summary.json and every plot as inline
 * SVG in one self-contained page. docs/plots.md describes each picture.
 *
 * The plots (each NAME.png and/or NAME.svg):
 *   latency_cdf        latency CDF, overall and per function, p50/p99 marked
 *   latency_over_time  p50/p95/p99 per sample interval, fault windows shaded
 *   load               arrivals, completions, rejections, failures per second
 *   busy_heatmap       busy slots per node over time (nodes x time)
 *   node_status        one lane per node coloured by status (up to
 *                      SIM_PLOT_MAX_LANES nodes), counts by status beyond
 *   cold_starts        cold-start rate per sample interval
 *   outcomes           outcomes by reason (bars)
 *   link_utilisation   the busiest links' utilisation per sample interval
 *                      (only for runs with link_series.csv: a network)
 *
 * Memory stays flat in the size of the big files: node_series.csv and
 * latency.csv are streamed and reduced to bounded grids (at most
 * SIM_PLOT_HEAT_MAX_ROWS x SIM_PLOT_HEAT_MAX_COLS cells, at most
 * SIM_PLOT_MAX_FUNCTIONS functions in the CDF); what is kept whole is per
 * node, per sample interval or per fault.
 *
 * Every file lands atomically: pictures are drawn into DIR/.plots.XXXXXX and
 * renamed into DIR/plots/; the report goes through sim/outfile. A failure
 * leaves the previous plots and report as they were and no temporary folder
 * behind.
 */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <stddef.h>

/* Formats, combined with |. The report always inlines SVG, drawn for it even
 * when only PNG files are asked for. */
#define SIM_PLOT_PNG 1
#define SIM_PLOT_SVG 2
#define SIM_PLOT_PDF 4 /* vector, for papers: gnuplot's pdfcairo terminal */

/* The size of the pictures, for papers. A NULL size is the screen default
 * (1200 x 700 pixels, 11 pt text). Otherwise every plot is width x height
 * inches (a plot of two panels, or of many node lanes, keeps its height's
 * proportion to the default) with font_pt text; PNG at 150 dpi. compact puts
 * legends below the plot instead of beside it and shrinks the titles: for a
 * single column, where width is short. */
typedef struct sim_plot_size {
    double width_in, height_in;
    double font_pt;
    int compact;
} sim_plot_size;

/* "column" (3.5 x 2.6 in, 8 pt, compact: text stays >= 7 pt printed at
 * 100%), "page" (7 x 4 in, 9 pt) or "WxH" in inches ("3.3x2.5"; 8 pt, compact
 * under 5 in wide). Returns 0, or -1 for anything else (0.5 to 40 inches). */
int sim_plot_size_parse(const char *text, sim_plot_size *out);

/* One lane per node is readable up to this many nodes; beyond, the status
 * plot shows counts by status over time (its title says so). */
#define SIM_PLOT_MAX_LANES 60
/* The heat map's grid: more nodes than rows are averaged in bins of
 * consecutive nodes, more sample intervals than columns likewise; a PNG
 * 1200 px wide has no more pixels to show them. */
#define SIM_PLOT_HEAT_MAX_ROWS 400
#define SIM_PLOT_HEAT_MAX_COLS 800
/* The latency CDF shows the overall curve and the busiest functions (by ok
 * invocations) up to this many; more curves are no longer told apart. */
#define SIM_PLOT_MAX_FUNCTIONS 8
/* summary.json is read whole; larger than this is not a run's summary. */
#define SIM_PLOT_SUMMARY_MAX ((size_t)1 << 30)

/* What went wrong, so that a command can choose its exit code. */
typedef enum sim_plot_status {
    SIM_PLOT_OK = 0,
    SIM_PLOT_BAD_INPUT,  /* DIR missing, an output missing or malformed: exit 2 */
    SIM_PLOT_NO_GNUPLOT, /* gnuplot not on PATH: the report is still written */
    SIM_PLOT_FAILED,     /* I/O, gnuplot failed, out of memory */
} sim_plot_status;

/*
 * Draws every plot of run directory dir into dir/plots/ in the formats
 * asked (SIM_PLOT_PNG | SIM_PLOT_SVG; 0 means both) and writes
 * dir/report.html. Reads only the run's outputs, never the scenario.
 *
 * Returns SIM_PLOT_OK, or another status with one line in err (no trailing
 * newline) naming the file and, for bad input, the line and what was
 * expected: "run/health.csv:7: column "to": expected a status (online,
 * offline, degraded, syncing, maintenance), found "up"". When gnuplot is
 * missing the report is written without plots and SIM_PLOT_NO_GNUPLOT is
 * returned; `edgesim run` warns with err and carries on. Prints nothing.
 * Not thread-safe with itself on the same dir.
 */
sim_plot_status sim_plot_run_dir(const char *dir, int formats, char *err, size_t errlen);

/* As sim_plot_run_dir, drawing dir (a run's outputs not yet published: the
 * temporary folder of an output set, output/outfile.h) for the folder it
 * will be published as, `shown`, which is what the report names. */
sim_plot_status sim_plot_run_dir_as(const char *dir, const char *shown, int formats, char *err,
                                    size_t errlen);

/* The same, with SIM_PLOT_PDF among the formats allowed and the pictures at
 * size (NULL: the default). The report inlines SVG as always. */
sim_plot_status sim_plot_run_dir_sized(const char *dir, int formats, const sim_plot_size *size,
                                       char *err, size_t errlen);

/* Finds an executable regular file named gnuplot on $PATH (or in /usr/bin,
 * /bin when PATH is unset or empty; an empty PATH entry means "."), writing
 * its path into out (n bytes). Returns 0, or -1 when there is none or its
 * path does not fit. Shared with the sweep plots (sim/harness/plot_sweep.c). */
int sim_plot_find_gnuplot(char *out, size_t n);

/* Runs the gnuplot at path GNUPLOT in the folder DIR (its working folder)
 * on the file SCRIPT there and waits for it, with stdin from /dev/null and
 * stdout and stderr into the file LOG there (created or truncated). SCRIPT
 * and LOG are names in DIR, and the script names its data and pictures
 * relative to DIR: no path of the user's (an output folder may hold any
 * byte, a quote or a newline) is ever part of gnuplot's text. Returns
 * gnuplot's exit status (0 when it succeeded; 128 + the signal when one
 * killed it), or -1 when it could not be started (errno set). Callers draw
 * into a temporary folder and rename the pictures into place only on 0, so
 * a failure leaves the previous outputs as they were. */
int sim_plot_run_gnuplot(const char *gnuplot, const char *dir, const char *script,
                         const char *log);

/* Removes the files in the folder TMP, then the folder (it must hold no
 * folders). Errors are ignored: this is cleanup of a temporary folder. */
void sim_plot_remove_tmp_dir(const char *tmp);

/* The plots' names in drawing order (NULL-terminated, static), for tests and
 * for listing what a run directory holds. */
extern const char *const sim_plot_names[];
/* How many of them sim_plot_run_dir draws for run directory dir: all, but
 * link_utilisation only when dir has link_series.csv (a run with a network). */
size_t sim_plot_count(const char *dir);

#endif
