/* The default allocator: the C library's. Keep this file to these four
 * functions (see alloc.h for why). */
#include "alloc.h"

#include <stdlib.h>

void *edge__malloc(size_t n) { return malloc(n); }
void *edge__calloc(size_t n, size_t size) { return calloc(n, size); }
void *edge__realloc(void *p, size_t n) { return realloc(p, n); }
void edge__free(void *p) { free(p); }
