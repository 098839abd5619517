/*
 * plugin.h — policies from shared objects (dlopen).
 *
 * core/edge_policy_plugin.h is the interface a plugin implements (version 1:
 * routing; version 2: routing, keep-alive, autoscaler, instance selection and
 * placement tables, each optional, the last two read only when the plugin's
 * `size` covers them); this module finds it in a .so, checks it, makes its
 * state and unloads it. The
 * scenario reader loads a plugin once to check it (so `edgesim validate`
 * and `run` refuse a bad one with exit 2); the world loads it again for the
 * run and owns it until sim_world_free.
 */
#ifndef SIM_PLUGIN_H
#define SIM_PLUGIN_H

#include <stddef.h>

#include "edge_policy_plugin.h"

typedef struct sim_plugin sim_plugin;

/*
 * Loads the plugin at `path` (a path with no '/' is taken in the current
 * folder, never searched for in the library path), finds its
 * EDGE_POLICY_PLUGIN_SYMBOL_V2 (checks its version, that its size is at
 * least EDGE_POLICY_PLUGIN2_SIZE_BASE, and that each table it gives has its
 * required callbacks) or else its EDGE_POLICY_PLUGIN_SYMBOL
 * (checks its abi_version and its choose()), and
 * calls its create(params_json, nfunctions, nnodes).
 * Returns the loaded plugin (free with sim_plugin_free), or NULL with one
 * line in err (errlen bytes) saying which of those steps failed: no such
 * file, not a shared object (the loader's reason), no symbol, ABI version
 * mismatch, size too small, a table without its callback, no table at all,
 * no choose(), create refused (its reason).
 */
sim_plugin *sim_plugin_load(const char *path, const char *params_json, size_t nfunctions,
                            size_t nnodes, char *err, size_t errlen);

/* The plugin's routing table in the version 1 shape (a version 2 plugin's
 * routing seen through it; its choose is NULL when the plugin does not
 * route) and the state its create() returned (both owned by p). */
const edge_policy_plugin *sim_plugin_table(const sim_plugin *p);
void *sim_plugin_state(const sim_plugin *p);

/* Which kinds it provides: routing (1/0), and the version 2 keep-alive and
 * autoscaler tables (NULL when absent, always for version 1). */
int sim_plugin_routes(const sim_plugin *p);
const edge_policy_keepalive *sim_plugin_keepalive(const sim_plugin *p);
const edge_policy_autoscaler *sim_plugin_autoscaler(const sim_plugin *p);
/* The instance selection and placement tables: NULL when absent, for
 * version 1, and for a version 2 plugin whose size ends before them. */
const edge_policy_instances *sim_plugin_instances(const sim_plugin *p);
const edge_policy_placement *sim_plugin_placement(const sim_plugin *p);
/* Its name ("" when it gives none); owned by the plugin. */
const char *sim_plugin_name(const sim_plugin *p);

/* Destroys the state, unloads the object, frees p. NULL is fine. */
void sim_plugin_free(sim_plugin *p);

#endif
