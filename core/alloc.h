/*
 * alloc.h — internal: the one door through which core's models allocate.
 *
 * alloc.c defines exactly these four functions and nothing else, so a test
 * can define all four itself and fail the Nth allocation: the linker then
 * never pulls alloc.o out of libedgecore.a. That lets tests check that every
 * error path frees what it took and leaves objects unchanged, without a hook
 * variable (core keeps no global mutable state). cJSON values built by the
 * to_dict functions go through cJSON's own allocator.
 */
#ifndef EDGE_ALLOC_H
#define EDGE_ALLOC_H

#include <stddef.h>

void *edge__malloc(size_t n);
void *edge__calloc(size_t n, size_t size);
void *edge__realloc(void *p, size_t n);
void edge__free(void *p);

#endif
