/*
 * machine_events.h — Google cluster data 2011 machine events, read as a
 * stream and mapped onto a scenario's nodes as crashes and recoveries.
 *
 * The table (clusterdata-2011-2 machine_events) has one row per event:
 *     timestamp (microseconds), machine id, event type (0 ADD, 1 REMOVE,
 *     2 UPDATE), platform id, CPU capacity, memory capacity
 * Timestamps may be in scientific notation (`1.00043E+11`: the public
 * excerpt went through a spreadsheet); platform and capacities may be empty
 * and are not used. Lines starting with '#' and blank lines are skipped.
 *
 * sim_mevents reads the file once, a row at a time (memory: one line plus a
 * hash table of the machines seen, never the rows), and turns it into
 * actions for the world:
 *   - machines are numbered in order of first appearance; the k-th one is
 *     mapped onto nodes[perm[k]], perm a seeded shuffle of the fault's node
 *     list; machines past the node count are ignored (and counted);
 *   - a REMOVE of a mapped machine that is up is a crash of its node; the next
 *     ADD of that machine is its recovery; every other ADD (a machine's
 *     initial presence, or an ADD of a machine that is up) and every UPDATE
 *     is ignored (and counted), as is a REMOVE of a machine already down;
 *   - time: t_sim = offset + (t_row - t_first) * scale, t_first the first
 *     row's timestamp; a row earlier than the row before it (the excerpt's
 *     rounded timestamps) takes the time of the row before, so events of
 *     one machine keep their file order.
 * Rows after `until` are not read.
 */
#ifndef SIM_MACHINE_EVENTS_H
#define SIM_MACHINE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rng.h"
#include "time.h"

typedef struct sim_mevents sim_mevents;

/* What the trace did, for summary.json. */
typedef struct sim_mevents_counts {
    uint64_t rows;              /* data rows read (up to the end of the run) */
    uint64_t machines;          /* distinct machines seen */
    uint64_t machines_ignored;  /* of those, beyond the node count */
    uint64_t removes_applied, removes_ignored;
    uint64_t adds_applied, adds_ignored;
    uint64_t updates_ignored;
} sim_mevents_counts;

/* One action: crash (1) or recover (0) node at time. */
typedef struct sim_mevent {
    edge_time at;
    size_t node;
    int crash;
} sim_mevent;

/*
 * Opens the trace at path for a fault over nodes[0..nnodes) (borrowed, kept
 * alive by the caller), shuffling them with rng. Returns NULL with one line
 * in err when the file cannot be opened or on out of memory.
 */
sim_mevents *sim_mevents_open(const char *path, const size_t *nodes, size_t nnodes,
                              edge_time offset, double scale, edge_time until, sim_rng *rng,
                              char *err, size_t errlen);

/*
 * The next action into *ev: 1 when there is one, 0 at the end (end of file
 * or past `until`), -1 on a malformed row with one line in err:
 *     FILE:LINE:COL: COLUMN: expected WHAT, found WHAT
 * (COL is the 1-based byte column where the field starts).
 */
int sim_mevents_next(sim_mevents *m, sim_mevent *ev, char *err, size_t errlen);

/* The counts so far. */
const sim_mevents_counts *sim_mevents_counts_of(const sim_mevents *m);

/* Closes the file and frees m. NULL is fine. */
void sim_mevents_close(sim_mevents *m);

#endif
