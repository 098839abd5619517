/*
 * util.h — internal helpers shared by core's models: growing arrays, copying
 * and checking names, hashing, saturating time arithmetic.
 */
#ifndef EDGE_UTIL_H
#define EDGE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

/*
 * Grows the array whose pointer is stored at *pptr (a T ** passed as void *)
 * so that it holds at least need elements of elem bytes, to at least twice
 * its capacity *cap. Returns EDGE_OK (with *pptr and *cap updated, contents
 * kept) or EDGE_NOMEM (nothing changed). Does nothing when need <= *cap.
 */
edge_err edge__grow(void *pptr, uint32_t *cap, uint32_t need, size_t elem);

/* EDGE_OK when s is a valid id or name: non-NULL, 1 to EDGE_ID_MAX bytes;
 * EDGE_INVAL otherwise. */
edge_err edge__check_name(const char *s);

/* A copy of s from edge__malloc, or NULL when out of memory. */
char *edge__strdup(const char *s);

/* A 32-bit hash of a NUL-terminated string (FNV-1a, then mixed). */
uint32_t edge__hash_str(const char *s);

/* A 32-bit hash of a 64-bit key (the murmur3 finalizer). */
static inline uint32_t edge__hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

#endif
