/*
 * scenario.h — a scenario file, parsed and validated into a plain struct.
 *
 * The reader takes the JSON text (read with cJSON through core/json, which
 * keeps every value's line and column), applies defaults, expands node
 * groups, resolves every id reference to an index, and checks every limit.
 * Each problem becomes one sim_diag line
 *     FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT
 * and the reader goes on to find the others (`edgesim validate` prints all
 * of them); `edgesim run` refuses a scenario with any. An unknown field is an
 * error, so a typo never passes silently.
 *
 * The struct is plain data, owned by one sim_scenario and freed with
 * sim_scenario_free. Ids are resolved to dense indices: nodes[i], functions[i]
 * and regions[i] are referred to by index everywhere below. Times are
 * edge_time nanoseconds. The world (sim/world) builds the core objects from
 * it; nothing here knows about the engine.
 *
 * The format is documented field by field in docs/scenario.md, with a JSON
 * Schema in scenarios/schema.json.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "input/azure.h"
#include "input/workload.h"
#include "common/diag.h"
#include "autoscaler.h"
#include "keepalive.h"
#include "scenario/workflows.h"
#include "time.h"

/* A distribution of durations (sim/dist); only pointers to it are kept here. */
typedef struct sim_dist sim_dist;

/* Limits, each with its reason. */
#define SIM_SCENARIO_MAX_BYTES (64u << 20) /* a scenario is a description, not data: traces
                                              stream; checked with fstat before reading */
#define SIM_SCENARIO_MAX_NODES 1000000     /* per-node state is ~10 KiB: 10 GiB at this size */
#define SIM_SCENARIO_MAX_FUNCTIONS 1000000
#define SIM_SCENARIO_MAX_ERRORS 100        /* validate stops listing after this many */

/* A node as the scenario describes it (a group expands into many). */
typedef struct sim_node_spec {
    char *id;
    size_t region;           /* index into regions */
    int has_coords;
    double lat, lon;         /* degrees */
    char **caps;             /* capability names, ncaps of them */
    size_t ncaps;
    uint32_t cores;          /* execution slots; default 4 */
    double memory_mb;        /* default 4096 */
    double disk_mb;          /* default 32768 */
    edge_time heartbeat_interval; /* default 10s */
    uint32_t queue_limit;    /* invocations waiting for a slot; default 100 */
    double idle_watts, busy_watts; /* linear power model; defaults 50 W, 150 W */
    double cache_mb;         /* artifact cache capacity (disk); default 10240 */
    double bandwidth_mb_per_s; /* artifact pulls from the registry, megabytes/s; default 100 */
    edge_time join_at;       /* 0 unless registered later by a "register" fault */
    int starts_registered;   /* 1 unless a "register" fault adds it later */
} sim_node_spec;

typedef struct sim_region {
    char *name;              /* its "id" in the file */
    int has_coords;
    double lat, lon;
} sim_region;

/* Network latency from a client region to a node region. */
typedef enum {
    SIM_NET_NONE,            /* model "regions" (the default): same_region or cross_region */
    SIM_NET_MATRIX,          /* model "matrix" */
    SIM_NET_COORDS,          /* model "coordinates" */
} sim_net_kind;
typedef struct sim_network {
    sim_net_kind kind;
    edge_time *matrix;       /* nregions x nregions, [client][node]; MATRIX only, complete */
    edge_time base;          /* COORDS: base + per_km * great-circle km; default 1ms */
    edge_time per_km;        /* default 10us */
    edge_time same_region;   /* NONE, and COORDS when an end lacks coordinates; default 1ms */
    edge_time cross_region;  /* the same between different regions; default 50ms */
} sim_network;

typedef struct sim_function_spec {
    char *id;
    double memory_mb;        /* default 128 */
    edge_time timeout;       /* default 60s */
    char **caps;
    size_t ncaps;
    sim_dist *exec;          /* execution time (duration distribution); owned */
    sim_dist *cold_start;    /* instance init time; owned; default constant 500ms */
    sim_dist *cold_exec;     /* "cold_exec_time": a cold invocation's whole service time,
                                replacing exec and cold_start when cold; owned; NULL if absent */
    uint32_t instance_limit; /* per node; 0 = unlimited */
    double artifact_mb;      /* code/image pulled on a cold start; 0 (default) = none */
    char *app;               /* a trace function's app (its HashApp); NULL otherwise */
} sim_function_spec;

typedef enum {
    SIM_DEPLOY_ALL,          /* every capable node (edge_cluster deploy) */
    SIM_DEPLOY_NODES,        /* named nodes (edge_cluster deploy_to) */
    SIM_DEPLOY_LEAST_LOADED, /* replicas x edge_cluster deploy_least_loaded */
    SIM_DEPLOY_SPREAD,       /* replicas across regions (edge_cluster deploy_strategy) */
    SIM_DEPLOY_BEST_FIT,     /* replicas by memory best fit */
    SIM_DEPLOY_WORST_FIT,    /* replicas by memory worst fit */
} sim_deploy_kind;

typedef struct sim_deployment_spec {
    size_t function;
    sim_deploy_kind kind;
    size_t *nodes;           /* SIM_DEPLOY_NODES */
    size_t nnodes;
    uint32_t replicas;       /* LEAST_LOADED, SPREAD, BEST_FIT, WORST_FIT; default 1 */
} sim_deployment_spec;

/* sim_arrival_kind, sim_placement and sim_workload_spec: input/workload.h */


/* What a trace workload read, for summary.json ("traces"). */
typedef struct sim_trace_info {
    const char *type;        /* "azure2019" or "azure2021"; static */
    size_t workload;         /* its index in the file's workloads */
    size_t functions;        /* functions replayed (after window and selection) */
    size_t functions_in_file;
    uint64_t rows, skipped_rows;
    uint64_t invocations;    /* in the selected minutes, before scale */
    size_t missing_durations, missing_memory;
} sim_trace_info;

typedef enum {
    SIM_FAULT_CRASH,            /* node stops; everything on it fails; "for" = auto recovery */
    SIM_FAULT_RECOVER,          /* a crashed node restarts (cold, empty) */
    SIM_FAULT_HEARTBEAT_DELAY,  /* heartbeats delivered `delay` late during [at, at+for) */
    SIM_FAULT_HEARTBEAT_LOSS,   /* heartbeats dropped during the window; node still serves */
    SIM_FAULT_DEGRADE,          /* execution slower by `factor` during the window */
    SIM_FAULT_MAINTENANCE,      /* MAINTENANCE status during the window */
    SIM_FAULT_DRAIN,            /* no new deployments there */
    SIM_FAULT_REGISTER,         /* a node joins the cluster */
    SIM_FAULT_DEREGISTER,       /* a node leaves (its deployments go) */
    SIM_FAULT_DEPLOY,           /* deploy a function to a node */
    SIM_FAULT_UNDEPLOY,         /* undeploy a function from a node */
    SIM_FAULT_LOAD_SPIKE,       /* arrival rate x factor for one function or all */
    SIM_FAULT_BURST,            /* `count` invocations at `at` (spread over `for`) */
    SIM_FAULT_RANDOM_FAILURES,  /* per node: time to failure / time to repair */
    SIM_FAULT_GOOGLE_MACHINE_EVENTS, /* crashes and recoveries from a Google 2011 trace */
    SIM_FAULT_STATE_UPDATE,     /* merge `patch` into the primary sync state (needs "sync") */
    SIM_FAULT_STATE_CORRUPTION, /* damage sync transfers to `node` in flight at `at` / in [at, at+for) */
} sim_fault_kind;

#define SIM_ALL ((size_t)-1) /* "every function" in a load spike */

/* The kind's name as the file writes it ("heartbeat_delay"); static. */
const char *sim_fault_kind_name(sim_fault_kind k);

typedef struct sim_fault_spec {
    sim_fault_kind kind;
    edge_time at;
    edge_time duration;      /* "for"; 0 where no window is meant or open-ended */
    size_t node;             /* node index (also for REGISTER: the spec to add) */
    size_t function;         /* DEPLOY, UNDEPLOY, LOAD_SPIKE (SIM_ALL), BURST */
    size_t region;           /* BURST: the client region */
    edge_time delay;         /* HEARTBEAT_DELAY */
    double factor;           /* DEGRADE, LOAD_SPIKE */
    uint32_t count;          /* BURST */
    size_t *nodes;           /* RANDOM_FAILURES, GOOGLE_MACHINE_EVENTS: its nodes */
    size_t nnodes;
    sim_dist *ttf, *ttr;     /* RANDOM_FAILURES: time to failure / repair; owned */
    char *path;              /* GOOGLE_MACHINE_EVENTS: the CSV, resolved; owned */
    edge_time offset;        /* GOOGLE_MACHINE_EVENTS: simulated time of the first row */
    double scale;            /* GOOGLE_MACHINE_EVENTS: simulated per trace time; default 1 */
    struct cJSON *patch;     /* STATE_UPDATE: an RFC 7386 merge patch (any JSON); owned */
    int line;                /* where it was written, for reports */
} sim_fault_spec;

typedef struct sim_policies {
    char *scheduler;          /* routing policy name; default "least_loaded";
                                 "plugin:NAME" for a plugin */
    char *plugin_path;        /* the plugin's .so, resolved against the scenario's
                                 folder; NULL for a built-in policy */
    char *plugin_params;      /* its "params" as compact JSON text ("{}" when absent) */
    char *plugin_name;        /* "plugin:NAME"; NULL without a plugin */
    int plugin_routes, plugin_keepalive, plugin_autoscaler; /* the kinds it provides
                                 ("scheduler": {"plugin": ...} or "plugin": {"path": ...}) */
    edge_time keepalive_ttl;  /* keepalive.ttl when fixed (kept for old readers); 10m */
    edge_keepalive_config keepalive; /* "keepalive" (or "keepalive_ttl"); default fixed 10m */
    edge_time health_window;  /* default 60s */
    edge_time check_interval; /* default 5s */
    uint32_t retries;         /* extra attempts after a node_crash failure; default 0 */
    edge_time registry_latency; /* added to every artifact pull; default 50ms */
    edge_time probe_period;   /* "probes.period"; 0 = no active probes (the default) */
    edge_time probe_timeout;  /* "probes.timeout"; default 1s, at most the period */
    uint32_t probe_failures;  /* "probes.failures": failures in a row that suspect; default 3 */
    double overload_cpu, overload_memory, overload_disk; /* "overload": percent; default 90 */
    int overload_off;         /* "overload": "off": the overload -> DEGRADED rule is off */
    int instance_selection;   /* an edge_instance_selection: which idle instance serves a
                                 warm start; default 0, "mru" */
    edge_time heartbeat_jitter; /* each beat sent uniformly in [0, jitter) after its
                                   instant; default 0; shorter than every node's interval */
    int heartbeat_phase_random; /* "heartbeat_phase": "random": each node's beats start at a
                                   uniform phase in [0, interval); default "zero" */
    int cold_start_no_slot;   /* "cold_start_holds_slot": false: a cold start's initialisation
                                 takes no execution slot (docs/semantics.md, "On a node");
                                 default 0 (it holds one) */
    edge_autoscaler_config autoscaler; /* "autoscaler" (sim/scenario/autoscaler.c); type NONE
                                          (the default): instances per request and keep-alive */
    size_t *autoscale_fns;    /* the functions it scales, in function order; owned */
    size_t nautoscale_fns;    /* (every function unless "functions" names some) */
} sim_policies;

/* The state synchronizer ("sync"); off unless the file has the section. */
typedef struct sim_sync_spec {
    int enabled;
    edge_time interval;       /* between sync rounds; required */
    double bandwidth_mbps;    /* every node's link, megabits per second; 0 (default):
                                 each node's bandwidth_mb_per_s x 8 */
    struct cJSON *initial;    /* the primary's first version (any JSON); owned; default {} */
} sim_sync_spec;

typedef struct sim_scenario {
    char *path;               /* the file it came from ("-" for stdin) */
    char *name;
    uint64_t seed;
    edge_time duration;
    edge_time sample_interval; /* default duration / 100 rounded to 1s, at least 1s */
    edge_time warmup;         /* statistics count invocations arriving at or after it,
                                 time averages integrate from it; default 0, < duration */
    sim_region *regions;   size_t nregions;
    sim_node_spec *nodes;  size_t nnodes;
    sim_network network;
    struct sim_netspec *net;  /* links, payloads, tiers (scenario/netspec.h); NULL: none */
    sim_function_spec *functions; size_t nfunctions;
    sim_deployment_spec *deployments; size_t ndeployments;
    sim_workload_spec *workloads; size_t nworkloads;
    sim_workflow_spec *workflows; size_t nworkflows; /* scenario/workflows.h */
    sim_fault_spec *faults; size_t nfaults;   /* sorted by `at`, stable (then those
                                                 sim_scenario_add_fault appended) */
    sim_policies policies;
    sim_sync_spec sync;
    sim_trace_info *traces; size_t ntraces;   /* trace workloads, in file order */
    struct sim__scenario_index *index_; /* private to the reader (reader.h): id lookups */
} sim_scenario;

/*
 * How far a scenario is trusted (docs/scenario.md "Paths", docs/plugins.md
 * "Trust"). Zero-initialised is the safe default: no plugin is loaded and
 * data paths may be absolute or climb out of the scenario's folder.
 */
typedef struct sim_load_options {
    int allow_plugins;  /* 1: a plugin the scenario names (a .so: native code that
                           runs with the caller's privileges) is loaded; 0: naming one
                           is a problem at its field that says to pass --allow-plugins */
    int sandbox_paths;  /* 1: data paths (CSV workloads, traces, machine events,
                           plugins) must be relative and have no ".." component;
                           for services that validate scenarios they did not write */
    const char *const *set_dirs; /* NULL, or one entry per --set (as many as nsets): the
                           folder relative data paths placed by that set are taken from
                           ("" the current folder; a NULL entry: the scenario's folder).
                           A sweep passes its own folder for the sets its file names. */
    const char *allow_plugins_hint; /* how the caller's user allows plugins, for the
                           problem above; NULL: "--allow-plugins" (the command line).
                           The embedding API names its flag. Borrowed. */
} sim_load_options;

/*
 * Reads and validates the scenario in `path` ("-" for stdin), applying the
 * overrides `sets` ("PATH=VALUE" strings as given to --set; VALUE is JSON,
 * or a bare string when it is not valid JSON) before validation.
 *
 * Returns a new scenario the caller frees with sim_scenario_free, or NULL
 * when there is any problem: then the problems, at most `max_diags`, are
 * written to diags[0..*ndiags) (the caller owns the array) and *ndiags says
 * how many there were (it may exceed max_diags; the rest were not kept).
 * The kept ones are in file order. Their `file` points into `path` (or is a
 * static string: "--set", "<stdin>"), so keep `path` alive while using them.
 * CSV traces named by the scenario are read here, relative to path's folder.
 * Never aborts on bad input; out of memory is reported as a problem.
 */
sim_scenario *sim_scenario_load(const char *path, const char *const *sets, size_t nsets,
                                sim_diag *diags, size_t max_diags, size_t *ndiags);

/*
 * sim_scenario_load under load options opt (NULL: all zero, as
 * sim_scenario_load is). The file must be a regular file (or "-") of at most
 * SIM_SCENARIO_MAX_BYTES, which is checked with fstat before it is read.
 * Every file the scenario names is checked here, as `edgesim validate` needs:
 * it exists, is a regular file and is readable (CSV workloads and traces are
 * read whole; machine events are opened; a plugin is loaded only with
 * opt->allow_plugins). Relative data paths are taken from the folder of
 * `path` (the current folder for stdin).
 */
sim_scenario *sim_scenario_load_opts(const char *path, const char *const *sets, size_t nsets,
                                     const sim_load_options *opt, sim_diag *diags,
                                     size_t max_diags, size_t *ndiags);

/* The same from text in memory (len bytes, no terminator needed);
 * `name_for_errors` is used as the file name in diagnostics, as s->path, and
 * as the base for relative CSV paths ("-" means stdin: the current folder). */
sim_scenario *sim_scenario_parse(const char *text, size_t len, const char *name_for_errors,
                                 const char *const *sets, size_t nsets,
                                 sim_diag *diags, size_t max_diags, size_t *ndiags);

/* sim_scenario_parse under load options opt (NULL: all zero). */
sim_scenario *sim_scenario_parse_opts(const char *text, size_t len, const char *name_for_errors,
                                      const char *const *sets, size_t nsets,
                                      const sim_load_options *opt, sim_diag *diags,
                                      size_t max_diags, size_t *ndiags);

/* Frees s and everything it owns. NULL is fine. */
void sim_scenario_free(sim_scenario *s);

/*
 * Reads one fault (JSON text, len bytes: an object as in the file's
 * "faults" list) against scenario s (made by the loader) and appends it to
 * s->faults; its "at" defaults to `now` and must lie in [now, duration].
 * The embedding API's inject: the fault is checked exactly as in a file,
 * with diagnostics as sim_scenario_parse gives them (file name_for_errors,
 * lines and columns in text, JSON paths from the fault: "node", "at").
 * Returns 0, or -1 with s unchanged and the problems in diags as for
 * sim_scenario_parse. The appended fault leaves s->faults unsorted by `at`
 * (the list is a record of what was applied; the world schedules it).
 */
int sim_scenario_add_fault(sim_scenario *s, const char *text, size_t len,
                           const char *name_for_errors, edge_time now, sim_diag *diags,
                           size_t max_diags, size_t *ndiags);

/* The network latency from client region c to node n of s (see docs/scenario.md,
 * "network"). Indices must be in range. */
edge_time sim_scenario_latency(const sim_scenario *s, size_t client_region, size_t node);

/* A source of requests that can reach no node (sim_scenario_unplaced). */
typedef struct sim_unplaced {
    size_t workload; /* its index in s->workloads, or SIZE_MAX for a burst fault */
    size_t fault;    /* a burst: its index in s->faults (sorted by `at`); else SIZE_MAX */
    size_t function; /* the function nothing places (a workflow's: its first such step) */
} sim_unplaced;

/* The workloads whose requests can reach no node, then the burst faults: a
 * function they invoke (every step of a workflow a workload requests) is in
 * no deployment, no deploy fault adds it later, and the scenario has no
 * autoscaler and no plugin that might place it; each of those invocations
 * is then rejected (no_eligible_node). The scenario is valid all the same:
 * callers print a warning. Writes the first `max` of them, in that order,
 * to out[0..max) and returns how many there are (0 also when out of memory:
 * a warning is not worth an error). One pass: O(functions + deployments +
 * faults + workloads + workflow steps). */
size_t sim_scenario_unplaced(const sim_scenario *s, sim_unplaced *out, size_t max);

/* Index lookups by id: hashed, O(1) (linear for a struct not made by the
 * loader). Return SIM_ALL when absent. */
size_t sim_scenario_node_index(const sim_scenario *s, const char *id);
size_t sim_scenario_function_index(const sim_scenario *s, const char *id);

#endif
