/*
 * linkseries.h — bytes per link per sample interval, in bounded memory, for
 * the time series of the busiest links (link_series.csv; docs/outputs.md).
 *
 * Which links are the busiest (highest mean utilisation over the run) is
 * known only at the end, so every link's bytes are kept per interval: one
 * float per (row, link). When rows x links would pass SIM_LINKSERIES_CELLS
 * the rows are merged in pairs and each row from then on spans twice as
 * many sample intervals, so memory stays at most that many cells (16 MiB)
 * however long the run, and a long run's series is coarser, never cut. A
 * row's bytes are a float (24-bit mantissa): utilisations to ~1e-7.
 *
 * Cost: O(links) per sample; O(rows x links) per merge, at most one merge
 * per doubling of the run, so O(links) amortised per sample.
 */
#ifndef SIM_NET_LINKSERIES_H
#define SIM_NET_LINKSERIES_H

#include <stddef.h>

#include "time.h"

/* Most (row, link) cells kept: 4 Mi floats. */
#define SIM_LINKSERIES_CELLS ((size_t)1 << 22)

typedef struct sim_linkseries sim_linkseries;

/* A series of nlinks links. NULL when out of memory. Free with
 * sim_linkseries_free (NULL is fine). */
sim_linkseries *sim_linkseries_create(size_t nlinks);
void sim_linkseries_free(sim_linkseries *s);

/* One sample interval ending at t_end (after the previous one's end):
 * bytes[l] carried by link l in it. Returns 0, or -1 out of memory (then
 * the series is unchanged). */
int sim_linkseries_add(sim_linkseries *s, edge_time t_end, const double *bytes);

/* The rows so far: row r spans (t_end of row r - 1, or 0, t_end of row r]. */
size_t sim_linkseries_rows(const sim_linkseries *s);
edge_time sim_linkseries_t_end(const sim_linkseries *s, size_t row);
double sim_linkseries_bytes(const sim_linkseries *s, size_t row, size_t link);

#endif
