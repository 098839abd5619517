/* Core's four allocation functions (core/alloc.h) with a budget, for the
 * unit tests that check error paths: alloc_budget allocations succeed, then
 * every one fails until the test sets it back to -1 (all succeed).
 *
 * A test file that includes this defines the four functions, so the linker
 * never pulls core's alloc.o into that test program; include it from one
 * test_*.c only (each is its own program). */
#ifndef EDGESIM_TESTS_ALLOC_BUDGET_H
#define EDGESIM_TESTS_ALLOC_BUDGET_H

#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"

static long alloc_budget = -1; /* allocations that succeed before one fails; -1: all */

static bool alloc_ok(void)
{
    if (alloc_budget == 0)
        return false;
    if (alloc_budget > 0)
        alloc_budget--;
    return true;
}

void *edge__malloc(size_t n) { return alloc_ok() ? malloc(n) : NULL; }
void *edge__calloc(size_t n, size_t size) { return alloc_ok() ? calloc(n, size) : NULL; }
void *edge__realloc(void *p, size_t n) { return alloc_ok() ? realloc(p, n) : NULL; }
void edge__free(void *p) { free(p); }

#endif
