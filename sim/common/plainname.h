/*
 * plainname.h — names that become paths.
 *
 * A scenario's `name` becomes results/<name>/ and a sweep's `name`
 * results/sweeps/<name>/ when no -o is given. Such a name must be one plain
 * folder name that stays inside its parent: letters, digits and - _ . : @,
 * not starting with "." (so never "." or ".." or a hidden folder), no "/",
 * no control character, 1 to SIM_PLAIN_NAME_MAX bytes.
 */
#ifndef SIM_PLAINNAME_H
#define SIM_PLAINNAME_H

#include <stddef.h>

#define SIM_PLAIN_NAME_MAX 128 /* as the scenario's ids: a folder name, not a path */
#define SIM_PLAIN_NAME_RULE "letters, digits and - _ . : @, not starting with \".\", at most 128"

/* 1 when s is a plain name by the rule above, else 0. s NULL is not. */
int sim_plain_name(const char *s);

/* Writes "parent/name" into out (n bytes) when name is plain and the result
 * fits. Returns 0, or -1 (nothing usable in out) otherwise: an output path
 * computed from a name can never leave parent. */
int sim_plain_join(char *out, size_t n, const char *parent, const char *name);

#endif
