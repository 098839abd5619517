/*
 * plugin.c — dlopen a scheduler policy and check it before trusting it.
 *
 * Objects are opened RTLD_NOW (a missing symbol inside the plugin fails
 * here, not in the middle of a run) and RTLD_LOCAL (two plugins may use the
 * same internal names).
 */
#include "input/plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sim_plugin {
    void *dl;
    const edge_policy_plugin *table;
    void *state;
};

sim_plugin *sim_plugin_load(const char *path, const char *params_json, size_t nfunctions,
                            size_t nnodes, char *err, size_t errlen)
{
    sim_plugin *p = calloc(1, sizeof *p);
    char *local = NULL;
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "plugin %s: no such file", path);
        goto fail;
    }
    /* dlopen searches the library path for a bare name: make it a path */
    if (!strchr(path, '/')) {
        size_t n = strlen(path) + 3;
        if (!(local = malloc(n))) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        snprintf(local, n, "./%s", path);
    }
    dlerror();
    p->dl = dlopen(local ? local : path, RTLD_NOW | RTLD_LOCAL);
    if (!p->dl) {
        const char *why = dlerror();
        snprintf(err, errlen, "plugin %s: not a loadable shared object: %s", path,
                 why ? why : "unknown reason");
        goto fail;
    }
    dlerror();
    p->table = dlsym(p->dl, EDGE_POLICY_PLUGIN_SYMBOL);
    if (!p->table || dlerror()) {
        snprintf(err, errlen, "plugin %s: no symbol %s (is it an edgesim policy plugin?)", path,
                 EDGE_POLICY_PLUGIN_SYMBOL);
        goto fail;
    }
    if (p->table->abi_version != EDGE_POLICY_ABI_VERSION) {
        snprintf(err, errlen,
                 "plugin %s: ABI version %u, expected %u (rebuild it against this "
                 "edgesim's edge_policy_plugin.h)",
                 path, (unsigned)p->table->abi_version, (unsigned)EDGE_POLICY_ABI_VERSION);
        goto fail;
    }
    if (!p->table->choose || !p->table->create || !p->table->destroy) {
        snprintf(err, errlen, "plugin %s: %s has no %s function", path, EDGE_POLICY_PLUGIN_SYMBOL,
                 !p->table->choose ? "choose" : !p->table->create ? "create" : "destroy");
        goto fail;
    }
    char why[256] = "";
    p->state = p->table->create(params_json ? params_json : "{}", nfunctions, nnodes, why,
                                sizeof why);
    if (!p->state) {
        why[sizeof why - 1] = 0;
        snprintf(err, errlen, "plugin %s: create failed: %s", path,
                 why[0] ? why : "no reason given");
        goto fail;
    }
    free(local);
    return p;
fail:
    free(local);
    p->table = NULL;
    sim_plugin_free(p);
    return NULL;
}

const edge_policy_plugin *sim_plugin_table(const sim_plugin *p)
{
    return p->table;
}

void *sim_plugin_state(const sim_plugin *p)
{
    return p->state;
}

void sim_plugin_free(sim_plugin *p)
{
    if (!p)
        return;
    if (p->table && p->state)
        p->table->destroy(p->state);
    if (p->dl)
        dlclose(p->dl);
    free(p);
}
