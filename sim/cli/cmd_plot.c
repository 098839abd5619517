/*
 * cmd_plot.c — `edgesim plot DIR [--format png|svg|pdf|both] [--size S] [--quiet]`.
 *
 * Redraws every plot of a run directory into DIR/plots/ and writes
 * DIR/report.html (sim/output/plot.h does the work). Exit 2 when DIR or one of its
 * outputs is missing or malformed, 1 when gnuplot is missing or fails.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "output/plot.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgesim plot DIR [--format png|svg|pdf|both] [--size S] [--quiet]\n\n"
            "Draws the plots of a run directory (the outputs of `edgesim run`) into\n"
            "DIR/plots/ with gnuplot, and writes DIR/report.html: the key figures of\n"
            "summary.json and every plot in one self-contained page.\n\n"
            "  --format F  png, svg, pdf (vector, for papers) or both (png and svg; the\n"
            "              default); the report always inlines SVG\n"
            "  --size S    column (3.5 x 2.6 in, 8 pt text, legends below), page (7 x 4 in,\n"
            "              9 pt) or WxH in inches (e.g. 3.3x2.5); default: 1200 x 700 px\n"
            "  --quiet     print nothing on success\n"
            "  -h, --help  this text\n\n"
            "plots: ");
    for (size_t i = 0; sim_plot_names[i]; i++)
        fprintf(out, "%s%s", i ? ", " : "", sim_plot_names[i]);
    fprintf(out, "\n\nexit codes: 0 done, 2 DIR or an output missing or malformed (or bad\n"
                 "usage), 1 anything else (gnuplot missing or failing, I/O).\n"
                 "The pictures are described in docs/plots.md.\n");
}

int sim_cmd_plot(int argc, char **argv)
{
    const char *dir = NULL;
    int formats = SIM_PLOT_PNG | SIM_PLOT_SVG, quiet = 0;
    sim_plot_size size, *sized = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return SIM_EXIT_OK;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "edgesim plot: --format needs png, svg, pdf or both\n");
                return SIM_EXIT_USAGE;
            }
            val = argv[++i];
        } else if (!strncmp(a, "--format=", 9)) {
            val = a + 9;
        } else if (!strcmp(a, "--size") || !strncmp(a, "--size=", 7)) {
            const char *sz = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
            if (!sz || sim_plot_size_parse(sz, &size) != 0) {
                fprintf(stderr, "edgesim plot: --size: expected column, page or WxH in inches "
                                "(0.5 to 40, e.g. 3.3x2.5), found '%s'\n",
                        sz ? sz : "");
                return SIM_EXIT_USAGE;
            }
            sized = &size;
            continue;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "edgesim plot: unknown option '%s' (see 'edgesim plot --help')\n", a);
            return SIM_EXIT_USAGE;
        } else if (dir) {
            fprintf(stderr, "edgesim plot: one run directory at a time ('%s' and '%s')\n", dir,
                    a);
            return SIM_EXIT_USAGE;
        } else {
            dir = a;
        }
        if (val) {
            if (!strcmp(val, "png"))
                formats = SIM_PLOT_PNG;
            else if (!strcmp(val, "svg"))
                formats = SIM_PLOT_SVG;
            else if (!strcmp(val, "pdf"))
                formats = SIM_PLOT_PDF;
            else if (!strcmp(val, "both"))
                formats = SIM_PLOT_PNG | SIM_PLOT_SVG;
            else {
                fprintf(stderr,
                        "edgesim plot: --format: expected png, svg, pdf or both, found '%s'\n",
                        val);
                return SIM_EXIT_USAGE;
            }
        }
    }
    if (!dir) {
        usage(stderr);
        return SIM_EXIT_USAGE;
    }
    char err[1024];
    sim_plot_status st = sim_plot_run_dir_sized(dir, formats, sized, err, sizeof err);
    if (st != SIM_PLOT_OK) {
        fprintf(stderr, "edgesim plot: %s\n", err);
        return st == SIM_PLOT_BAD_INPUT ? SIM_EXIT_USAGE : SIM_EXIT_FAIL;
    }
    if (!quiet) {
        size_t n = 0;
        while (sim_plot_names[n])
            n++;
        const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
        printf("plots: %zu in %s%splots/ (%s); report: %s%sreport.html\n", n, dir, sep,
               formats == SIM_PLOT_PNG   ? "png"
               : formats == SIM_PLOT_SVG ? "svg"
               : formats == SIM_PLOT_PDF ? "pdf"
                                         : "png and svg",
               dir, sep);
    }
    return SIM_EXIT_OK;
}
