/*
 * plot_sweep.h — the plots of a sweep: each key metric against each swept
 * parameter, mean with its 95% confidence interval as error bars.
 *
 * For parameter p, the x axis holds p's values: a numeric axis when every
 * value is a number, else one category per value in file order. Each line
 * is one combination of the scenario and the other parameters' values (at
 * most SIM_PLOT_SWEEP_MAX_LINES; more are left out and the title says so).
 * Without a grid the x axis is the scenarios. Pictures are drawn with one
 * gnuplot run into a temporary folder DIR/.sweep-plots.XXXXXX and renamed
 * into DIR/plots/METRIC_by_PARAM.png and .svg (PARAM with characters other
 * than letters, digits, '.', '-' and '_' as '_'). docs/sweeps.md shows one.
 */
#ifndef SIM_PLOT_SWEEP_H
#define SIM_PLOT_SWEEP_H

#include <stddef.h>

#include "harness/sweep.h"

/* Lines are told apart by colour; eight colour-blind-safe ones exist. */
#define SIM_PLOT_SWEEP_MAX_LINES 8

/*
 * Draws the plots of sweep sw into dir/plots/. stats holds, for scenario s,
 * configuration c and metric m, the entry [(s * sw->nconfigs + c) * nmetrics
 * + m]; metrics[m] names metric m (a runs.csv column), labels[m] is its
 * axis label, and every value of it is in [0, ymax[m]] (HUGE_VAL: no upper
 * bound): the y axis autoscales within that range, so a rate of 100% is
 * not drawn under a scale that goes on to 101.5%. Returns 0; 1 when gnuplot
 * is not on PATH (nothing drawn, err says so); -1 with one line in err when
 * drawing failed. Prints nothing.
 */
int sim_plot_sweep(const char *dir, const sim_sweep *sw, const char *const *metrics,
                   const char *const *labels, const double *ymax, size_t nmetrics,
                   const sim_sweep_stat *stats, char *err, size_t errlen);

#endif
