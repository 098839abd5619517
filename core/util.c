#include "util.h"

#include <string.h>

#include "alloc.h"
#include "ids.h"

edge_err edge__grow(void *pptr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return EDGE_OK;
    uint64_t n = *cap ? (uint64_t)*cap * 2 : 8;
    if (n < need)
        n = need;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    if (n > SIZE_MAX / elem)
        return EDGE_NOMEM;
    void *old;
    memcpy(&old, pptr, sizeof old);
    void *p = edge__realloc(old, (size_t)n * elem);
    if (!p)
        return EDGE_NOMEM;
    memcpy(pptr, &p, sizeof p);
    *cap = (uint32_t)n;
    return EDGE_OK;
}

edge_err edge__check_name(const char *s)
{
    if (!s || !*s)
        return EDGE_INVAL;
    size_t n = strnlen(s, EDGE_ID_MAX + 1);
    return n > EDGE_ID_MAX ? EDGE_INVAL : EDGE_OK;
}

char *edge__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = edge__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

uint32_t edge__hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return edge__hash_u64(h);
}
