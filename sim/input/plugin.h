/*
 * plugin.h — scheduler policies from shared objects (dlopen).
 *
 * core/edge_policy_plugin.h is the interface a plugin implements; this
 * module finds it in a .so, checks it, makes its state and unloads it. The
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
 * EDGE_POLICY_PLUGIN_SYMBOL, checks its abi_version and its choose(), and
 * calls its create(params_json, nfunctions, nnodes).
 * Returns the loaded plugin (free with sim_plugin_free), or NULL with one
 * line in err (errlen bytes) saying which of those steps failed: no such
 * file, not a shared object (the loader's reason), no symbol, ABI version
 * mismatch, no choose(), create refused (its reason).
 */
sim_plugin *sim_plugin_load(const char *path, const char *params_json, size_t nfunctions,
                            size_t nnodes, char *err, size_t errlen);

/* The plugin's table and the state its create() returned (both owned by p). */
const edge_policy_plugin *sim_plugin_table(const sim_plugin *p);
void *sim_plugin_state(const sim_plugin *p);

/* Destroys the state, unloads the object, frees p. NULL is fine. */
void sim_plugin_free(sim_plugin *p);

#endif
