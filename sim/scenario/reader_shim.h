/*
 * reader_shim.h — the calls of the reader kit (reader.h) netspec.c uses,
 * under the names it was written against before the kit landed
 * (reader_shim.c maps each onto the kit), and netspec.c's entry points.
 * Internal to sim/scenario.
 */
#ifndef SIM_SCENARIO_READER_SHIM_H
#define SIM_SCENARIO_READER_SHIM_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "scenario/scenario.h"

typedef struct sc_ctx sim__scn;

sim_scenario *sim__scn_scenario(sim__scn *c);
const cJSON *sim__scn_root(sim__scn *c);
/* One problem at item `at`, JSON path `path` (file:line:col added). */
__attribute__((format(printf, 4, 5))) void sim__scn_diag(sim__scn *c, const cJSON *at,
                                                         const char *path, const char *fmt, ...);
/* Out of memory: reported once; returns NULL. */
void *sim__scn_oom(sim__scn *c);
/* Unknown or repeated fields of obj against the NULL-ended list all. */
void sim__scn_check_fields(sim__scn *c, const cJSON *obj, const char *path,
                           const char *const *all);
/* An optional non-negative duration field: 1 read, 0 absent, -1 reported. */
int sim__scn_duration(sim__scn *c, const cJSON *obj, const char *path, const char *key,
                      edge_time *out);
/* A region given by obj.key (required): its index, or SIM_ALL (reported). */
size_t sim__scn_region_ref(sim__scn *c, const cJSON *obj, const char *path, const char *key);
/* Whether a reference to region id, not defined, is quiet: the regions
 * section lost entries before their ids were known (sc_lost_id). */
int sim__scn_region_lost(const sim__scn *c, const char *id);
/* Whether s is an id by the scenario's rule (SIM__SCN_ID_RULE). */
int sim__scn_valid_id(const char *s);
#define SIM__SCN_ID_RULE "letters, digits and - _ . : @, at most 128"
/* A list of node ids/patterns: distinct indices (caller frees), NULL (reported). */
size_t *sim__scn_node_list(sim__scn *c, const cJSON *arr, const char *path, size_t *n);
/* "found ..." text of v into buf. */
void sim__scn_found(const cJSON *v, char *buf, size_t n);
/* The functions[] entry function fn came from (fn < functions read so far). */
size_t sim__scn_fn_entry(sim__scn *c, size_t fn);
/* A JSON path child: parent.key (key non-NULL) or parent[i]. */
void sim__scn_path(char *out, const char *parent, const char *key, size_t i);
/* The line of item v (0 when unknown). */
int sim__scn_line(sim__scn *c, const cJSON *v);

/* netspec.c: reads network.links, network.energy_nj_per_byte, regions[].tier
 * and functions[].request_kb/response_kb into s->net (left NULL when none
 * of them says anything). After read_functions and read_network. */
void sim__read_netspec(sim__scn *c);

/* netspec_data.c: a new, empty sim_netspec for the scenario read so far (every
 * node without access link, ...), or NULL (out of memory, reported). The
 * caller owns it (sim_netspec_free). */
struct sim_netspec *sim__netspec_new(sim__scn *c);

/* clients.c: reads "clients" and regions' "x"/"y" into *n (created with
 * sim__netspec_new when NULL and something is said). Returns 1 when the
 * file has client groups, else 0. Problems are reported. */
int sim__read_clients(sim__scn *c, struct sim_netspec **n);

/* clients.c: workloads[].clients of obj (path p): *region gets the group's
 * start region, *group 1 + its index. 0, or -1 (reported). */
int sim__clients_ref(sim__scn *c, const cJSON *obj, const char *p, size_t *region,
                     size_t *group);

#endif
