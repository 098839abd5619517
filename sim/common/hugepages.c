#include "common/hugepages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

#if defined(__linux__) && defined(MADV_HUGEPAGE)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* linux/mman.h of 6.1; older headers lack it */
#endif

/* The 2 MiB-aligned part of [lo, hi): *a and *b; false when empty. */
static int aligned_part(uintptr_t lo, uintptr_t hi, uintptr_t *a, uintptr_t *b)
{
    *a = (lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    *b = hi & ~(HUGE_PAGE - 1);
    return *b > *a;
}

/* Calls fn on the aligned part of every private writable anonymous mapping
 * (the heap included, the stack not) that is at least half resident;
 * returns the bytes covered. Residence keeps out what is reserved and
 * barely touched: a sanitizer's shadow (terabytes), thread stacks' guard
 * areas, arenas malloc has not yet used. */
static size_t each_region(FILE *smaps, void (*fn)(uintptr_t a, uintptr_t b))
{
    char line[512];
    size_t total = 0;
    uintptr_t a = 0, b = 0;
    int candidate = 0;
    while (fgets(line, sizeof line, smaps)) {
        unsigned long lo, hi, off, ino, rss_kb;
        char perms[8], dev[16], path[256] = "";
        int k = sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &lo, &hi, perms, &off, dev, &ino,
                       path);
        if (k >= 6) { /* a mapping's header line; its fields (Rss: ...) follow */
            candidate = strcmp(perms, "rw-p") == 0 && ino == 0 &&
                        (!path[0] || strcmp(path, "[heap]") == 0) && aligned_part(lo, hi, &a, &b);
            continue;
        }
        if (candidate && sscanf(line, "Rss: %lu kB", &rss_kb) == 1) {
            candidate = 0;
            if ((uintptr_t)rss_kb * 1024 * 2 < b - a)
                continue;
            if (fn)
                fn(a, b);
            total += b - a;
        }
    }
    return total;
}

static void advise(uintptr_t a, uintptr_t b)
{
    if (madvise((void *)a, b - a, MADV_HUGEPAGE) == 0)
        (void)madvise((void *)a, b - a, MADV_COLLAPSE); /* best effort */
}

size_t sim_hugepages_advise(size_t min_bytes)
{
    const char *env = getenv("EDGESIM_HUGEPAGES");
    if (env && strcmp(env, "0") == 0)
        return 0;
    FILE *smaps = fopen("/proc/self/smaps", "r");
    if (!smaps)
        return 0;
    size_t done = 0;
    if (each_region(smaps, NULL) >= min_bytes) {
        rewind(smaps);
        done = each_region(smaps, advise);
    }
    fclose(smaps);
    return done;
}
#else
size_t sim_hugepages_advise(size_t min_bytes)
{
    (void)min_bytes;
    return 0;
}
#endif
