#include "function.h"

#include <string.h>

#include "alloc.h"
#include "capset.h"
#include "idmap.h"
#include "util.h"

struct edge_function {
    char *id;
    uint32_t index;
    edge_handler_fn handler;
    void *handler_ctx;
    uint32_t memory_mb;
    uint32_t max_instances;
    edge_time timeout;
    bool has_keepalive;
    edge_time keepalive;
    edge__capset caps;
};

struct edge_function_table {
    edge_function **fns;
    uint32_t n, cap;
    edge__idmap by_id;
};

edge_err edge_function_new(const edge_function_spec *spec, edge_function **out)
{
    edge_function *f = NULL;
    edge_err err = EDGE_INVAL;
    if (!spec || !out || edge__check_name(spec->id))
        goto fail;
    err = EDGE_RANGE;
    if (spec->timeout <= 0 || (spec->has_keepalive && spec->keepalive < 0))
        goto fail;
    err = EDGE_NOMEM;
    if (!(f = edge__calloc(1, sizeof *f)) || !(f->id = edge__strdup(spec->id)))
        goto fail;
    if ((err = edge__capset_init(&f->caps, spec->capabilities, spec->n_capabilities)))
        goto fail;
    f->index = EDGE_NONE;
    f->handler = spec->handler;
    f->handler_ctx = spec->handler_ctx;
    f->memory_mb = spec->memory_mb;
    f->max_instances = spec->max_instances;
    f->timeout = spec->timeout;
    f->has_keepalive = spec->has_keepalive;
    f->keepalive = spec->has_keepalive ? spec->keepalive : 0;
    *out = f;
    return EDGE_OK;
fail:
    edge_function_free(f);
    return err;
}

void edge_function_free(edge_function *fn)
{
    if (!fn)
        return;
    edge__capset_free(&fn->caps);
    edge__free(fn->id);
    edge__free(fn);
}

const char *edge_function_id(const edge_function *fn) { return fn->id; }
uint32_t edge_function_index(const edge_function *fn) { return fn->index; }
uint32_t edge_function_memory_mb(const edge_function *fn) { return fn->memory_mb; }
edge_time edge_function_timeout(const edge_function *fn) { return fn->timeout; }
uint32_t edge_function_max_instances(const edge_function *fn) { return fn->max_instances; }
size_t edge_function_capability_count(const edge_function *fn) { return fn->caps.n; }

bool edge_function_keepalive(const edge_function *fn, edge_time *ttl)
{
    if (fn->has_keepalive && ttl)
        *ttl = fn->keepalive;
    return fn->has_keepalive;
}

edge_handler_fn edge_function_handler(const edge_function *fn, void **ctx)
{
    if (ctx)
        *ctx = fn->handler_ctx;
    return fn->handler;
}

const char *edge_function_capability(const edge_function *fn, size_t i)
{
    return i < fn->caps.n ? fn->caps.names[i] : NULL;
}

bool edge_function_can_run_on(const edge_function *fn, const edge_node *node)
{
    return fn && node && edge__capset_subset(&fn->caps, edge__node_caps(node));
}

/* ---- Table ---------------------------------------------------------------- */

static bool id_eq(const void *ctx, uint32_t val, const void *key)
{
    const edge_function_table *t = ctx;
    return strcmp(t->fns[val]->id, key) == 0;
}

edge_err edge_function_table_new(edge_function_table **out)
{
    if (!out)
        return EDGE_INVAL;
    edge_function_table *t = edge__calloc(1, sizeof *t);
    if (!t)
        return EDGE_NOMEM;
    *out = t;
    return EDGE_OK;
}

void edge_function_table_free(edge_function_table *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->n; i++)
        edge_function_free(t->fns[i]);
    edge__free(t->fns);
    edge__idmap_free(&t->by_id);
    edge__free(t);
}

edge_err edge_function_table_add(edge_function_table *t, edge_function *fn, uint32_t *index)
{
    if (!t || !fn || fn->index != EDGE_NONE)
        return EDGE_INVAL;
    uint32_t h = edge__hash_str(fn->id);
    if (edge__idmap_find(&t->by_id, h, id_eq, t, fn->id) != EDGE_NONE)
        return EDGE_EXISTS;
    if (t->n >= EDGE_NONE - 1)
        return EDGE_LIMIT;
    if (edge__grow(&t->fns, &t->cap, t->n + 1, sizeof *t->fns) ||
        edge__idmap_reserve(&t->by_id, t->n + 1))
        return EDGE_NOMEM;
    fn->index = t->n;
    t->fns[t->n] = fn;
    edge__idmap_insert(&t->by_id, h, t->n);
    t->n++;
    if (index)
        *index = fn->index;
    return EDGE_OK;
}

edge_err edge_function_table_find(const edge_function_table *t, const char *id, uint32_t *index)
{
    if (!t || !id || !index)
        return EDGE_INVAL;
    uint32_t i = edge__idmap_find(&t->by_id, edge__hash_str(id), id_eq, t, id);
    if (i == EDGE_NONE)
        return EDGE_NOT_FOUND;
    *index = i;
    return EDGE_OK;
}

const edge_function *edge_function_table_get(const edge_function_table *t, uint32_t index)
{
    return t && index < t->n ? t->fns[index] : NULL;
}

uint32_t edge_function_table_count(const edge_function_table *t) { return t ? t->n : 0; }
