/*
 * edgesim.h — the embedding API: edgesim as a library (build/libedgesim.so).
 *
 * A program (or Python, through python/edgesim, docs/python.md) opens a
 * simulation from a scenario file or JSON text with a seed and --set style
 * overrides, advances it (to a time, or one event at a time), reads the
 * nodes' and functions' state while it runs, injects faults and operations
 * at the current time, routes invocations with a policy of its own (a
 * callback with the plugin ABI's request, core/edge_policy_plugin.h), and
 * finishes it: the outputs of `edgesim run` (docs/outputs.md) are written
 * into a folder and the trajectory fingerprint is available. A simulation
 * advanced in pieces gives the outputs and fingerprint of one run at once.
 *
 * Versioned: EDGESIM_API_VERSION changes with any change to a struct or a
 * signature below; edgesim_api_version() says which the library was built
 * with (a binding checks it before trusting the layout of the structs).
 *
 * Threads: a simulation is used by one thread at a time; different
 * simulations are independent (no global mutable state). Errors come back
 * in an edgesim_error the caller passes in (never a global); every call
 * that can fail returns -1 or NULL and fills it. Nothing here aborts or
 * prints on bad input. A NULL simulation (a failed open, or a binding's
 * handle after edgesim_free) is bad input too: the readers below then give
 * 0, NULL or an empty fingerprint, and the calls that can fail return -1
 * with EDGESIM_USAGE.
 *
 * Locale: the opens, edgesim_run_until, edgesim_step, edgesim_inject,
 * edgesim_finish and edgesim_plot run under the "C" locale in the calling
 * thread (uselocale) and give the caller's back before they return, so a
 * host's LC_NUMERIC (a decimal comma) never reaches the outputs; the router
 * callback is called under the C locale.
 */
#ifndef EDGESIM_H
#define EDGESIM_H

#include <stddef.h>
#include <stdint.h>

#include "edge_policy_plugin.h"

/* 2: edgesim_open2 and edgesim_open_text2 (trust flags); plugins are loaded only
 * with EDGESIM_ALLOW_PLUGINS. The structs are those of version 1.
 * 3: edgesim_limits, edgesim_open3 and edgesim_open_text3; every open checks
 * the scenario's estimated cost against limits (the defaults unless open3
 * says otherwise), as `edgesim run` does. */
#define EDGESIM_API_VERSION 3

/* The API version the library was built with (EDGESIM_API_VERSION). */
int edgesim_api_version(void);

/* The program's version string ("0.1.0"); static. */
const char *edgesim_version(void);

/* Error codes, their names and messages (edgesim_strerror). */
#define EDGESIM_ERROR_MAP(X)                                                   \
    X(OK, "ok")                                                                \
    X(SCENARIO, "bad scenario or fault")                                       \
    X(RUN, "the run failed")                                                   \
    X(USAGE, "bad call")                                                       \
    X(NOMEM, "out of memory")

typedef enum {
#define EDGESIM__ERR_ENUM(name, msg) EDGESIM_##name,
    EDGESIM_ERROR_MAP(EDGESIM__ERR_ENUM)
#undef EDGESIM__ERR_ENUM
} edgesim_code;

/* The message of a code; "unknown error" outside the table. Static. */
const char *edgesim_strerror(int code);

#define EDGESIM_ERR_TEXT_MAX 4096

/*
 * What went wrong. For EDGESIM_SCENARIO the first problem's parts are set
 * (file, line and col (0 when unknown), JSON path, message "expected X,
 * found Y"); `text` always holds the whole report: for a scenario, every
 * problem kept, one line each as `edgesim validate` prints them
 * ("FILE:LINE:COL: PATH: expected X, found Y"), for the others one line.
 * `count` is the number of problems (may exceed the lines kept).
 */
typedef struct edgesim_error {
    int code;                  /* edgesim_code */
    char file[512];
    int line, col;
    char path[256];
    char message[512];
    unsigned count;
    char text[EDGESIM_ERR_TEXT_MAX];
} edgesim_error;

/*
 * A routing policy of the embedder's: called for every routing decision
 * (every arrival and retry with at least one candidate) exactly as a
 * plugin's choose() (core/edge_policy_plugin.h: the request, the
 * candidates, the answer: an index into req->candidates or
 * EDGE_POLICY_NONE; any other answer ends the run with EDGESIM_RUN naming
 * the router, the function and the answer). req is borrowed for the call.
 * The callback must not call back into the same simulation.
 */
typedef long (*edgesim_router_fn)(void *ctx, const edge_policy_request *req);

/* How to open a simulation. Zero-initialised means: the scenario's seed,
 * no overrides, no invocations.csv, the scenario's routing policy. */
typedef struct edgesim_options {
    const char *outdir;            /* where the outputs go (created if missing; an existing
                                      folder must be empty or hold earlier outputs, which a
                                      finished run replaces as a whole, as `edgesim run -o`
                                      does); required */
    const char *const *sets;       /* "PATH=VALUE" overrides, exactly as `edgesim run --set` */
    size_t nsets;
    int has_seed;                  /* 1: `seed` replaces the scenario's (as --seed) */
    uint64_t seed;
    int write_invocations;         /* invocations.csv (one row per invocation) */
    edgesim_router_fn router;      /* NULL: the scenario's policy */
    void *router_ctx;              /* passed to router; borrowed */
    const char *router_name;       /* summary.json's "scheduler" (NULL: "router") */
} edgesim_options;

typedef struct edgesim_sim edgesim_sim;

/*
 * Opens the simulation of the scenario file `path` under opt: reads and
 * validates it (a bad one: NULL with EDGESIM_SCENARIO and the problems in
 * err, as `edgesim validate` reports them), builds the world and opens the
 * outputs. The clock is at 0, nothing has run. Returns the simulation
 * (free with edgesim_free) or NULL with err filled (EDGESIM_USAGE for a
 * NULL path, opt or outdir; EDGESIM_RUN when the outputs cannot be opened,
 * or outdir holds other files than earlier outputs).
 * opt and what it points to are copied, except router_ctx.
 */
edgesim_sim *edgesim_open(const char *path, const edgesim_options *opt, edgesim_error *err);

/* The same from JSON text (len bytes); `name` stands for the file in
 * diagnostics and relative paths in it are taken from the current folder
 * (NULL: "<text>"). */
edgesim_sim *edgesim_open_text(const char *text, size_t len, const char *name,
                               const edgesim_options *opt, edgesim_error *err);

/*
 * Trust flags (bitwise or) for edgesim_open2 and edgesim_open_text2; 0 is
 * what edgesim_open and edgesim_open_text use. EDGESIM_ALLOW_PLUGINS loads a
 * plugin the scenario names (a .so: native code running in this process with
 * its privileges; without the flag naming one is an EDGESIM_SCENARIO error
 * that says so, as `edgesim run` without --allow-plugins). EDGESIM_SANDBOX_PATHS
 * refuses absolute data paths and ".." in them, for scenarios from others
 * (docs/scenario.md, "Paths").
 */
#define EDGESIM_ALLOW_PLUGINS 0x1u
#define EDGESIM_SANDBOX_PATHS 0x2u

/* edgesim_open and edgesim_open_text with trust flags (above); any other bit
 * is EDGESIM_USAGE. Added in API version 2. */
edgesim_sim *edgesim_open2(const char *path, const edgesim_options *opt, unsigned flags,
                           edgesim_error *err);
edgesim_sim *edgesim_open_text2(const char *text, size_t len, const char *name,
                                const edgesim_options *opt, unsigned flags, edgesim_error *err);

/*
 * What a simulation may cost, as `edgesim run --max-events/--max-memory/
 * --max-output` (docs/scenario.md, "Limits"): before the world is built the
 * scenario's events, memory and output are estimated from its fields, and
 * a scenario past a limit is refused with EDGESIM_SCENARIO and one line
 * naming the field that costs most, the estimate and the limit. 0 in a
 * field: no limit. edgesim_open, edgesim_open2 and their _text forms apply
 * the defaults below (since API version 3; before it nothing was checked).
 */
typedef struct edgesim_limits {
    uint64_t max_events; /* engine events */
    uint64_t max_memory; /* bytes */
    uint64_t max_output; /* bytes written */
} edgesim_limits;

#define EDGESIM_DEFAULT_MAX_EVENTS 2000000000ull /* 2e9 */
#define EDGESIM_DEFAULT_MAX_MEMORY (8ull << 30)  /* 8 GiB */
#define EDGESIM_DEFAULT_MAX_OUTPUT (4ull << 30)  /* 4 GiB */

/* edgesim_open2 and edgesim_open_text2 with limits (NULL: the defaults);
 * lim is copied. Added in API version 3. */
edgesim_sim *edgesim_open3(const char *path, const edgesim_options *opt, unsigned flags,
                           const edgesim_limits *lim, edgesim_error *err);
edgesim_sim *edgesim_open_text3(const char *text, size_t len, const char *name,
                                const edgesim_options *opt, unsigned flags,
                                const edgesim_limits *lim, edgesim_error *err);

/* The virtual clock and the run's end (the scenario's duration), in ns. */
int64_t edgesim_now_ns(const edgesim_sim *s);
int64_t edgesim_end_ns(const edgesim_sim *s);

/*
 * Runs every event up to and including time t_ns (capped at the end) and
 * sets the clock to t (to the end when t is past it). Returns 0, or -1:
 * EDGESIM_USAGE when t is before now or the simulation is finished;
 * EDGESIM_RUN when the run failed (then only edgesim_free is left).
 */
int edgesim_run_until(edgesim_sim *s, int64_t t_ns, edgesim_error *err);

/*
 * Runs the next event due by the end: an arrival (with its routing
 * decision), a completion, a heartbeat, a health check, a fault, a sample.
 * The clock moves to that event's time. Returns 1 when an event ran, 0 when
 * none is left before the end, -1 as edgesim_run_until.
 */
int edgesim_step(edgesim_sim *s, edgesim_error *err);

/* One node now. Strings are borrowed from the simulation (valid until
 * edgesim_free). */
typedef struct edgesim_node {
    const char *id, *region;
    const char *status;        /* "online", "offline", "degraded", "syncing", "maintenance":
                                  the control plane's view; an unregistered node is "offline" */
    int up;                    /* the truth: 0 while crashed */
    int registered;
    int healthy;               /* registered and online */
    uint32_t busy, queued;     /* slots in use; invocations waiting for one */
    uint32_t warm_instances;   /* idle warm instances */
    double memory_used_mb;
    uint64_t invocations;      /* delivered to it so far */
    uint64_t ok;               /* completed there successfully */
    double latency_sum_ms;     /* their end-to-end latencies' sum */
} edgesim_node;

/* One function's counters so far. */
typedef struct edgesim_function {
    const char *id;
    uint32_t deployed;         /* nodes it is deployed on (the scheduler's view) */
    uint64_t ok, failed, rejected, cold_starts;
    double p50_ms, p99_ms;     /* latency of its ok invocations; 0 before the first */
    double latency_sum_ms;     /* their sum (exact) */
} edgesim_function;

size_t edgesim_node_count(const edgesim_sim *s);
size_t edgesim_function_count(const edgesim_sim *s);

/* Node / function i (< the count) into *out. 0, or -1 with EDGESIM_USAGE
 * for an index out of range or a finished simulation. */
int edgesim_get_node(edgesim_sim *s, size_t i, edgesim_node *out, edgesim_error *err);
int edgesim_get_function(edgesim_sim *s, size_t i, edgesim_function *out, edgesim_error *err);

/*
 * Injects a fault or operation, written as one entry of the scenario's
 * "faults" list in JSON (docs/scenario.md: crash, recover, degrade, drain,
 * deploy, burst, load_spike, ...). Its "at" defaults to now (and may be
 * later, up to the end); it is checked exactly as in a scenario file
 * (EDGESIM_SCENARIO with file "<inject>" and its JSON path, e.g. "node").
 * A fault at now takes effect before this returns; a later one is
 * scheduled. Returns 0 or -1 (EDGESIM_RUN when applying it failed the run).
 */
int edgesim_inject(edgesim_sim *s, const char *fault_json, edgesim_error *err);

/*
 * Runs the rest of the scenario and writes every output into a folder
 * beside the outdir, then publishes it as the outdir in one step (an earlier
 * run's folder there is replaced as a whole; nothing half-written, nothing
 * mixed). Plots are not drawn (edgesim_plot).
 * Returns 0, or -1 (EDGESIM_RUN; the simulation is then finished anyway).
 * Calling it twice is EDGESIM_USAGE.
 */
int edgesim_finish(edgesim_sim *s, edgesim_error *err);

/* 1 once edgesim_finish has succeeded. */
int edgesim_finished(const edgesim_sim *s);

/* The trajectory fingerprint so far (16 hex digits and a NUL into buf; an
 * empty string for a NULL s; nothing for a NULL buf). */
void edgesim_fingerprint(const edgesim_sim *s, char buf[17]);

/* Events run and invocations arrived so far. */
uint64_t edgesim_events(const edgesim_sim *s);
uint64_t edgesim_invocations(const edgesim_sim *s);

/* The outputs' folder (borrowed). */
const char *edgesim_outdir(const edgesim_sim *s);

/* Draws plots/ and report.html into a finished run's folder, as `edgesim
 * plot DIR` (needs gnuplot). 0, or -1 with EDGESIM_RUN and the reason. */
int edgesim_plot(const char *outdir, edgesim_error *err);

/* Frees s and everything it owns. An unfinished run's outputs are removed
 * (they were staged beside the outdir: the outdir is left as it was, none
 * half-written). NULL is fine. */
void edgesim_free(edgesim_sim *s);

#endif
