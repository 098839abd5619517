/*
 * plugin.c — dlopen a policy plugin and check it before trusting it: version
 * 2 (edge_policy_plugin_v2, any policy kinds) when it exports that symbol,
 * else version 1 (edge_policy_plugin_v1, routing).
 *
 * Objects are opened RTLD_NOW (a missing symbol inside the plugin fails
 * here, not in the middle of a run) and RTLD_LOCAL (two plugins may use the
 * same internal names).
 */
#include "input/plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sim_plugin {
    void *dl;
    const edge_policy_plugin *table; /* v1: the plugin's; v2: &shim */
    const edge_policy_plugin2 *v2; /* NULL for a version 1 plugin */
    /* the tables appended to version 2, NULL where the plugin's size ends
     * before them */
    const edge_policy_instances *instances;
    const edge_policy_placement *placement;
    edge_policy_plugin shim;         /* a v2 plugin seen through the v1 table (routing) */
    void *state;
};

/* A version 2 plugin's table, checked; into p->v2 and p->shim. 0, or -1
 * with the reason in err. */
static int load_v2(sim_plugin *p, const edge_policy_plugin2 *t, const char *path, char *err,
                   size_t errlen)
{
    if (t->abi_version != EDGE_POLICY_ABI_VERSION_2) {
        snprintf(err, errlen,
                 "plugin %s: ABI version %u, expected %u (rebuild it against this "
                 "edgesim's edge_policy_plugin.h)",
                 path, (unsigned)t->abi_version, (unsigned)EDGE_POLICY_ABI_VERSION_2);
        return -1;
    }
    if (t->size < EDGE_POLICY_PLUGIN2_SIZE_BASE) {
        snprintf(err, errlen, "plugin %s: %s has size %u, expected at least %zu", path,
                 EDGE_POLICY_PLUGIN_SYMBOL_V2, (unsigned)t->size,
                 (size_t)EDGE_POLICY_PLUGIN2_SIZE_BASE);
        return -1;
    }
    /* members appended later are read only when the plugin's size covers
     * them: one built before they existed has them NULL */
#define COVERS(m) (t->size >= offsetof(edge_policy_plugin2, m) + sizeof t->m)
    const edge_policy_instances *in = COVERS(instances) ? t->instances : NULL;
    const edge_policy_placement *pl = COVERS(placement) ? t->placement : NULL;
#undef COVERS
    const char *none = !t->create ? "create" : !t->destroy ? "destroy"
                     : t->routing && !t->routing->choose ? "routing->choose"
                     : t->keepalive && !t->keepalive->keep_ns ? "keepalive->keep_ns"
                     : t->autoscaler && !t->autoscaler->desired ? "autoscaler->desired"
                     : in && !in->serve && !in->evict ? "instances->serve or instances->evict"
                     : pl && !pl->place ? "placement->place" : NULL;
    if (none) {
        snprintf(err, errlen, "plugin %s: %s has no %s function", path,
                 EDGE_POLICY_PLUGIN_SYMBOL_V2, none);
        return -1;
    }
    if (!t->routing && !t->keepalive && !t->autoscaler && !in && !pl) {
        snprintf(err, errlen,
                 "plugin %s: %s has no policy (routing, keepalive, autoscaler, instances, "
                 "placement)",
                 path, EDGE_POLICY_PLUGIN_SYMBOL_V2);
        return -1;
    }
    p->instances = in;
    p->placement = pl;
    p->v2 = t;
    p->shim = (edge_policy_plugin){EDGE_POLICY_ABI_VERSION, t->name, t->create, t->destroy,
                                   t->routing ? t->routing->choose : NULL,
                                   t->routing ? t->routing->on_start : NULL,
                                   t->routing ? t->routing->on_finish : NULL};
    p->table = &p->shim;
    return 0;
}

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
    int missing = stat(path, &st) != 0;
    if (missing || !S_ISREG(st.st_mode)) {
        /* what is there, when something is: "no such file" for a folder
         * sent people looking for a typo in a name that was right */
        snprintf(err, errlen, "plugin %s: %s", path,
                 missing ? (errno == ENOENT || errno == ENOTDIR ? "no such file" : strerror(errno))
                 : S_ISDIR(st.st_mode) ? "a directory, not a shared object"
                                       : "not a regular file (a device, a FIFO or a socket)");
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
    const edge_policy_plugin2 *t2 = dlsym(p->dl, EDGE_POLICY_PLUGIN_SYMBOL_V2);
    if (t2 && !dlerror()) {
        if (load_v2(p, t2, path, err, errlen) != 0)
            goto fail;
        goto create;
    }
    dlerror();
    p->table = dlsym(p->dl, EDGE_POLICY_PLUGIN_SYMBOL);
    if (!p->table || dlerror()) {
        snprintf(err, errlen, "plugin %s: no symbol %s or %s (is it an edgesim policy plugin?)",
                 path, EDGE_POLICY_PLUGIN_SYMBOL, EDGE_POLICY_PLUGIN_SYMBOL_V2);
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
create:;
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

int sim_plugin_routes(const sim_plugin *p)
{
    return p->table->choose != NULL;
}

const edge_policy_keepalive *sim_plugin_keepalive(const sim_plugin *p)
{
    return p->v2 ? p->v2->keepalive : NULL;
}

const edge_policy_autoscaler *sim_plugin_autoscaler(const sim_plugin *p)
{
    return p->v2 ? p->v2->autoscaler : NULL;
}

const edge_policy_instances *sim_plugin_instances(const sim_plugin *p)
{
    return p->instances;
}

const edge_policy_placement *sim_plugin_placement(const sim_plugin *p)
{
    return p->placement;
}

const char *sim_plugin_name(const sim_plugin *p)
{
    return p->table->name ? p->table->name : "";
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
