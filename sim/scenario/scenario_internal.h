/*
 * scenario_internal.h — the reader's helpers that section files other than
 * scenario.c use (workflows.c). Not for other modules.
 *
 * Each reports its problem itself (one sim_diag line: file:line:col, the
 * JSON path, expected vs found) and returns what the static helper of the
 * same name in scenario.c returns.
 */
#ifndef SIM_SCENARIO_INTERNAL_H
#define SIM_SCENARIO_INTERNAL_H

#include <cJSON.h>
#include <stddef.h>

#include "scenario/scenario.h"

typedef struct ctx sim__sc;

enum { SIM__SIGN_ANY, SIM__SIGN_NONNEG, SIM__SIGN_POS };

/* One problem at item `at` (NULL: no position) and JSON path `path`. */
__attribute__((format(printf, 4, 5))) void sim__sc_diag(sim__sc *c, const cJSON *at,
                                                        const char *path, const char *fmt, ...);
/* The scenario being built, and whether memory ran out (then stop). */
sim_scenario *sim__sc_scenario(sim__sc *c);
const cJSON *sim__sc_root(sim__sc *c);
int sim__sc_oom(sim__sc *c);
void *sim__sc_calloc(sim__sc *c, size_t n, size_t size); /* NULL reported */
char *sim__sc_strdup(sim__sc *c, const char *s);          /* NULL reported */
/* obj's member key (NULL when obj is not an object or has none). */
const cJSON *sim__sc_member(const cJSON *obj, const char *key);
void sim__sc_path_key(char *out, const char *parent, const char *key);
void sim__sc_path_index(char *out, const char *parent, size_t i);
/* A short description of v for "found ..." (static storage: use at once). */
const char *sim__sc_found(const cJSON *v);
/* Unknown, misplaced and repeated keys of obj. */
void sim__sc_check_fields(sim__sc *c, const cJSON *obj, const char *path,
                          const char *const *all);
int sim__sc_want_object(sim__sc *c, const cJSON *v, const char *path, const char *what);
/* 1 present and an array, 0 absent, -1 problem. */
int sim__sc_array_field(sim__sc *c, const cJSON *obj, const char *path, const char *key,
                        int required, const char *what, const cJSON **out);
/* 1 read, 0 absent (not required), -1 problem. */
int sim__sc_duration_field(sim__sc *c, const cJSON *obj, const char *path, const char *key,
                           int required, int sign, const char *example, edge_time *out);
/* A number in [min, max] (an integer when `integer`; min excluded when
 * min_open): 1 read, 0 absent, -1 problem. */
int sim__sc_number_field(sim__sc *c, const cJSON *obj, const char *path, const char *key,
                         double min, double max, int integer, int min_open, double *out);
/* An id-valued item: 0 (*out borrowed from the tree) or -1. */
int sim__sc_id_item(sim__sc *c, const cJSON *v, const char *path, const char *what,
                    const char **out);
/* obj.key as a defined function id: its index, or SIM_ALL (reported). */
size_t sim__sc_function_ref(sim__sc *c, const cJSON *obj, const char *path, const char *key);

/* obj.key as a function id or pattern ("img-*"): 0 and the matching
 * indices in *out (caller frees), or -1 (reported). */
int sim__sc_function_set(sim__sc *c, const cJSON *obj, const char *path, const char *key,
                         size_t **out, size_t *n);
/* One of `names`: 1 read (*out its index), 0 absent, -1 problem. */
int sim__sc_enum_field(sim__sc *c, const cJSON *obj, const char *path, const char *key,
                       int required, const char *const *names, int *out);
/* Reports the keys of obj not in `allowed` as not for `kind` (after
 * sim__sc_check_fields has reported the unknown ones). */
void sim__sc_check_allowed(sim__sc *c, const cJSON *obj, const char *path,
                           const char *const *all, const char *const *allowed, const char *kind);

/* The section readers that live in their own files. */
void sim__read_workflows(sim__sc *c); /* sim/scenario/workflows.c; after functions */
/* obj.key as a workflow id of s: its index, or SIM_ALL (reported). */
size_t sim__workflow_ref(sim__sc *c, const cJSON *obj, const char *path, const char *key);
/* policies.autoscaler (sim/scenario/autoscaler.c): v may be NULL (absent). */
void sim__read_autoscaler(sim__sc *c, const cJSON *v, sim_policies *pol);

#endif
