/*
 * cmd_plot.c — `edgesim plot DIR`: a run directory's plots and report.html.
 *
 * Redraws every plot of a run directory into DIR/plots/ and writes
 * DIR/report.html (sim/output/plot.h does the work). Exit 2 when DIR or one of its
 * outputs is missing or malformed, 1 when gnuplot is missing or fails.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "output/plot.h"

enum { OPT_FORMAT = 1, OPT_SIZE, OPT_QUIET };

static const sim_opt plot_opts[] = {
    {OPT_FORMAT, 0, "format", "png|svg|pdf|both", 0,
     "png, svg, pdf (vector, for papers) or both (png and svg; the default); the report "
     "always inlines SVG"},
    {OPT_SIZE, 0, "size", "S", 0,
     "column (3.5 x 2.6 in, 8 pt text, legends below), page (7 x 4 in, 9 pt) or WxH in "
     "inches (e.g. 3.3x2.5); default: 1200 x 700 px"},
    {OPT_QUIET, 'q', "quiet", NULL, 0, "print nothing on success"},
    {0, 0, NULL, NULL, 0, NULL},
};

static void plot_list(FILE *out)
{
    fputs("plots: ", out);
    for (size_t i = 0; sim_plot_names[i]; i++)
        fprintf(out, "%s%s", i ? ", " : "", sim_plot_names[i]);
    fputc('\n', out);
}

const sim_cmd sim_plot_cmd = {
    .name = "plot",
    .operands = "DIR",
    .about = "draw a run directory's plots and report.html (gnuplot)",
    .intro = "Draws the plots of a run directory (the outputs of `edgesim run`) into\n"
             "DIR/plots/ with gnuplot, and writes DIR/report.html: the key figures of\n"
             "summary.json and every plot in one self-contained page.\n",
    .opts = plot_opts,
    .extra = plot_list,
    .outro = "exit codes: 0 done, 2 DIR or an output missing or malformed (or bad\n"
             "usage), 1 anything else (gnuplot missing or failing, I/O).\n"
             "The pictures are described in docs/plots.md.\n",
};

int sim_cmd_plot(int argc, char **argv)
{
    const char *dir = NULL;
    int formats = SIM_PLOT_PNG | SIM_PLOT_SVG, quiet = 0;
    sim_plot_size size, *sized = NULL;
    sim_opts p;
    sim_opts_init(&p, &sim_plot_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case OPT_QUIET: quiet = 1; break;
        case OPT_SIZE:
            if (sim_plot_size_parse(p.arg, &size) != 0)
                return sim_cmd_fail(&sim_plot_cmd, "--size: expected column, page or WxH in "
                                    "inches (0.5 to 40, e.g. 3.3x2.5), found '%s'", p.arg);
            sized = &size;
            break;
        case OPT_FORMAT:
            if (!strcmp(p.arg, "png"))
                formats = SIM_PLOT_PNG;
            else if (!strcmp(p.arg, "svg"))
                formats = SIM_PLOT_SVG;
            else if (!strcmp(p.arg, "pdf"))
                formats = SIM_PLOT_PDF;
            else if (!strcmp(p.arg, "both"))
                formats = SIM_PLOT_PNG | SIM_PLOT_SVG;
            else
                return sim_cmd_fail(&sim_plot_cmd, "--format: expected png, svg, pdf or both, "
                                    "found '%s'", p.arg);
            break;
        case SIM_OPTS_OPERAND:
            if (dir)
                return sim_cmd_fail(&sim_plot_cmd, "one run directory at a time ('%s' and '%s')",
                                    dir, p.arg);
            dir = p.arg;
            break;
        }
    }
    if (!dir)
        return sim_cmd_fail(&sim_plot_cmd, "expected a run directory DIR (see 'edgesim plot "
                                           "--help')");
    char err[1024];
    sim_plot_status st = sim_plot_run_dir_sized(dir, formats, sized, err, sizeof err);
    if (st != SIM_PLOT_OK) {
        fprintf(stderr, "edgesim plot: %s\n", err);
        return st == SIM_PLOT_BAD_INPUT ? SIM_EXIT_USAGE : SIM_EXIT_FAIL;
    }
    if (!quiet) {
        size_t n = sim_plot_count(dir);
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
