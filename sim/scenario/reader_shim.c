/*
 * reader_shim.c — netspec.c's view of the reader kit (reader_shim.h): each
 * call is one call of reader.h.
 */
#include "scenario/reader_shim.h"

#include <stdarg.h>
#include <stdio.h>

#include "scenario/reader.h"

sim_scenario *sim__scn_scenario(sim__scn *c) { return c->s; }
const cJSON *sim__scn_root(sim__scn *c) { return c->root; }
void *sim__scn_oom(sim__scn *c) { return sc_oom(c); }

void sim__scn_diag(sim__scn *c, const cJSON *at, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_vdiag(c, at, path, fmt, ap);
    va_end(ap);
}

void sim__scn_check_fields(sim__scn *c, const cJSON *obj, const char *path,
                           const char *const *all)
{
    sc_check_fields(c, obj, path, all, NULL, NULL);
}

int sim__scn_duration(sim__scn *c, const cJSON *obj, const char *path, const char *key,
                      edge_time *out)
{
    return sc_duration_field(c, obj, path, key, 0, SC_SIGN_NONNEG, "2ms", out);
}

size_t sim__scn_region_ref(sim__scn *c, const cJSON *obj, const char *path, const char *key)
{
    return sc_region_ref(c, obj, path, key);
}

int sim__scn_region_lost(const sim__scn *c, const char *id)
{
    return sc_lost_id(c, SC_REGIONS, id, 0);
}

int sim__scn_valid_id(const char *s)
{
    return sc_valid_id(s);
}

size_t *sim__scn_node_list(sim__scn *c, const cJSON *arr, const char *path, size_t *n)
{
    return sc_node_list(c, arr, path, n);
}

void sim__scn_found(const cJSON *v, char *buf, size_t n)
{
    snprintf(buf, n, "%s", sc_found(v).s);
}

size_t sim__scn_fn_entry(sim__scn *c, size_t fn) { return c->fn_entry[fn]; }

void sim__scn_path(char *out, const char *parent, const char *key, size_t i)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, parent, key, i);
}

int sim__scn_line(sim__scn *c, const cJSON *v)
{
    int line = 0, col = 0;
    sc_jsonpos_get(&c->pos, v, &line, &col);
    return line;
}
