/*
 * trace.h — a run as a timeline a person can scroll: the Chrome trace-event
 * JSON format, which Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * The world calls this module as the run goes; every call appends events to
 * the file at once, so memory does not grow with the run (per node the
 * writer keeps a few bytes and the end times of its lanes). The file is
 * written to a temporary name and renamed into place by
 * sim_trace_close_commit (sim/outfile), so it is whole or absent.
 *
 * Shape of the file (docs/plots.md has the full description):
 *
 *   {"traceEvents":[
 *    {"ph":"M","name":"process_name","pid":2,"tid":0,"args":{"name":"node eu-01"}},
 *    {"ph":"X","name":"thumbnail","cat":"invocation","pid":2,"tid":1,"ts":600000.000,
 *     "dur":512.250,"args":{"outcome":"ok","cold":true}},
 *    {"ph":"X","name":"cold start","cat":"cold_start",...},
 *    {"ph":"X","name":"exec","cat":"exec",...},
 *    {"ph":"i","s":"t","name":"OFFLINE","cat":"status","pid":2,"tid":0,"ts":...},
 *    ...],
 *   "displayTimeUnit":"ms",
 *   "otherData":{"generator":"edgesim 0.1.0","run":"quickstart","events":N,
 *                "dropped_events":M,"truncated":false,"max_events":C,...}}
 *
 * Tracks: pid 1 is the cluster (faults that name no node, on tid 0); each
 * node is a process, pid = its index + 2, named "node ID", sorted in
 * registration order. Its tid 0 ("health") holds status changes and the
 * faults aimed at it as instant events; tids 1, 2, ... ("slot 1", ...) hold
 * its invocations. A node runs several invocations at once and trace
 * viewers need the slices of one thread to nest, so each invocation goes to
 * the first lane that is free at its start (the lanes are the node's busy
 * slots, as far as the trace can tell). An invocation is a slice named by
 * its function with two children: "cold start" (only when it was cold) and
 * "exec". Times are microseconds of virtual time (ts and dur, three
 * decimals: nanosecond precision).
 *
 * Bounds, so that a trace of a big run still opens: a time window [from,
 * to) (an invocation is kept when it overlaps it, an instant when inside
 * it), a subset of nodes (cluster-wide faults are always kept), and a cap
 * on events (or none). When the cap is hit the rest is dropped whole (never
 * half an invocation), one global instant "trace truncated ..." marks the
 * moment, and otherData says "truncated":true with the number dropped; the
 * caller learns it from sim_trace_dropped (`edgesim run` warns on stderr).
 * A window open at its end (to == INT64_MAX) is written as [from, null].
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

/* Events ("X" slices and "i" instants; metadata not counted) written at
 * most, unless the filter says otherwise: about 150 MB of JSON, which the
 * Perfetto UI still opens comfortably. */
#define SIM_TRACE_DEFAULT_MAX_EVENTS 1000000u
/* sim_trace_filter.max_events for no cap at all (`--trace-max-events 0`). */
#define SIM_TRACE_NO_CAP UINT64_MAX
/* Node indices accepted: far above any scenario (the scenario reader's own
 * limit is lower), low enough that a wrong index cannot make the per-node
 * table huge. */
#define SIM_TRACE_MAX_NODES (1u << 22)

typedef struct sim_trace sim_trace;

/* What to keep. Zero-initialised: everything, up to the default cap. */
typedef struct sim_trace_filter {
    int has_window;        /* keep only [from, to) when set */
    edge_time from, to;
    const uint32_t *nodes; /* node indices to keep, any order (copied); NULL: all */
    size_t nnodes;
    uint64_t max_events;   /* 0: SIM_TRACE_DEFAULT_MAX_EVENTS; SIM_TRACE_NO_CAP: none */
} sim_trace_filter;

/* Opens the trace file path (written to a temporary name until
 * sim_trace_close_commit). f may be NULL (keep everything); it is copied.
 * run_name (the scenario's name, may be NULL) goes into otherData. Returns
 * the writer, or NULL with a one-line message in err: a window with to <=
 * from, a node index too large, the file not writable, out of memory. */
sim_trace *sim_trace_open(const char *path, const sim_trace_filter *f, const char *run_name,
                          char *err, size_t errlen);

/* One invocation on node (its index; node_id its id, used to name the track
 * the first time), function fn_id: it started at start, its cold start (if
 * any) ended at cold_end (== start for a warm start; clamped into [start,
 * end]), it ended at end with outcome ("ok", "timeout", "node_crash", ...;
 * NULL means "ok"). Returns 0 (also when filtered out or dropped by the
 * cap), or -1 on misuse (end before start, node too large: errno EINVAL) or
 * a write error (errno set). Strings are copied into the file, not kept. */
int sim_trace_invocation(sim_trace *t, uint32_t node, const char *node_id, const char *fn_id,
                         edge_time start, edge_time cold_end, edge_time end, const char *outcome);

/* A status change of node at time: status as the run names it ("offline";
 * shown upper-case), reason ("heartbeat_timeout") may be NULL. Returns as
 * sim_trace_invocation. */
int sim_trace_status(sim_trace *t, edge_time time, uint32_t node, const char *node_id,
                     const char *status, const char *reason);

/* A fault or operation applied at time: kind ("crash", "load_spike", ...);
 * on node (index, with its id node_id) or, with node < 0, on the cluster
 * track with target (a function id, "*" or NULL) in its args. Use one call
 * for a window's start and another (e.g. kind "recover", "load_spike end")
 * for its end. Returns as sim_trace_invocation. */
int sim_trace_fault(sim_trace *t, edge_time time, const char *kind, int64_t node,
                    const char *node_id, const char *target);

/* Events written and dropped (by the cap; filtered ones are not counted),
 * and the cap in force (SIM_TRACE_NO_CAP: none). */
uint64_t sim_trace_events(const sim_trace *t);
uint64_t sim_trace_dropped(const sim_trace *t);
uint64_t sim_trace_max_events(const sim_trace *t);

/* One step of a workflow request for sim_trace_workflow. */
typedef struct sim_trace_step {
    const char *name;     /* the step's id */
    const char *node_id;  /* the node of its (last) run */
    edge_time start, end; /* its first invocation's arrival, its last result */
    size_t after;         /* the step whose result it waited for (an index below
                             its own), or (size_t)-1: none */
    int ran;              /* 0: skipped or never started (nothing drawn) */
} sim_trace_step;

/* A finished workflow request (docs/plots.md): on the "workflows" process
 * (pid 0), one slice "WF #REQUEST" from arrival to end (outcome in args),
 * one slice per step that ran, each on the first free lane, and a flow arrow
 * from the step each one waited for (the first 64 steps). Window and cap as
 * for invocations (a request is dropped whole). Returns as
 * sim_trace_invocation. */
int sim_trace_workflow(sim_trace *t, const char *wf_id, uint64_t request, edge_time arrival,
                       edge_time end, const char *outcome, const sim_trace_step *steps,
                       size_t nsteps);

/* Ends the JSON (otherData with the counts), flushes and renames the file
 * into place. Returns 0, or -1 with a message in err (the temporary file is
 * removed). Frees t either way; NULL returns -1. */
int sim_trace_close_commit(sim_trace *t, char *err, size_t errlen);

/* After a call returned -1: "PATH: cannot write: No space left on device"
 * into buf (n bytes) and 1 when the file has a write error; 0 when none
 * (NULL t has none). */
int sim_trace_write_error(const sim_trace *t, char *buf, size_t n);

/* Removes the temporary file and frees t (a run that failed). NULL is fine. */
void sim_trace_abort(sim_trace *t);

#endif
