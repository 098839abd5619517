/*
 * capset.h — internal: a small immutable set of capability names ("gpu",
 * "arm64") as nodes offer them and functions require them.
 *
 * The names are copied into one block (one allocation, one free), sorted in
 * byte order and deduplicated, so membership is a binary search and "is A a
 * subset of B" is one merge walk, O(|A| + |B|). A 64-bit signature (one bit
 * per name, chosen by hash) rejects most non-subsets with a single AND before
 * any string is compared: deploying 1,000 functions over 10,000 nodes asks
 * this question ten million times.
 */
#ifndef EDGE_CAPSET_H
#define EDGE_CAPSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Most names one node or function may list: capabilities are a short list of
 * hardware and platform traits, and the bound keeps copies and merges cheap. */
#define EDGE_CAPS_MAX 64

typedef struct {
    char **names; /* sorted, unique; NULL when empty; one block with the text */
    uint32_t n;
    uint64_t sig;
} edge__capset;

/* Copies names[0..n) into s (s is overwritten, not freed). Duplicates are
 * dropped. names may be NULL when n is 0.
 * Errors: EDGE_INVAL for a NULL or invalid name (see edge__check_name),
 * EDGE_LIMIT for more than EDGE_CAPS_MAX names, EDGE_NOMEM; s is then
 * untouched. */
edge_err edge__capset_init(edge__capset *s, const char *const *names, size_t n);

/* Frees s's block and leaves it empty. */
void edge__capset_free(edge__capset *s);

/* True when name is in s. */
bool edge__capset_has(const edge__capset *s, const char *name);

/* True when every name of need is in have (an empty need is a subset of
 * anything). */
bool edge__capset_subset(const edge__capset *need, const edge__capset *have);

/* Node's capabilities, for function.c's can_run_on (defined in node.c). */
struct edge_node;
const edge__capset *edge__node_caps(const struct edge_node *node);

#endif
