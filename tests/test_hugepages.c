/* Pins sim/common/hugepages: below its threshold, or with EDGESIM_HUGEPAGES=0,
 * it advises nothing; past it, on Linux, it covers the big block just
 * allocated, and the memory keeps its contents through the collapse. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/hugepages.h"

#define BLOCK ((size_t)48 << 20)
#define GUARD ((size_t)4096)

Test(hugepages, advises_nothing_below_the_threshold_or_when_turned_off)
{
    cr_expect_eq(sim_hugepages_advise(SIZE_MAX), 0);
    cr_assert_eq(setenv("EDGESIM_HUGEPAGES", "0", 1), 0);
    cr_expect_eq(sim_hugepages_advise(0), 0);
    cr_assert_eq(unsetenv("EDGESIM_HUGEPAGES"), 0);
}

Test(hugepages, covers_a_big_block_and_keeps_its_contents)
{
    /* a mapping of its own, as malloc gives a block this big, between two
     * inaccessible pages so that it never merges with a neighbour that is
     * barely resident (a sanitizer's reservations) */
    char *area = mmap(NULL, BLOCK + 2 * GUARD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(area, MAP_FAILED);
    cr_assert_eq(mprotect(area + GUARD, BLOCK, PROT_READ | PROT_WRITE), 0);
    uint32_t *p = (uint32_t *)(area + GUARD);
    for (size_t i = 0; i < BLOCK / sizeof *p; i++)
        p[i] = (uint32_t)(i * 2654435761u);
    size_t advised = sim_hugepages_advise(BLOCK / 2);
#ifdef __linux__
    cr_expect_geq(advised, BLOCK - ((size_t)4 << 20), "the block's aligned part: %zu", advised);
#else
    cr_expect_eq(advised, 0);
#endif
    size_t bad = 0;
    for (size_t i = 0; i < BLOCK / sizeof *p; i++)
        bad += p[i] != (uint32_t)(i * 2654435761u);
    cr_expect_eq(bad, 0);
    munmap(area, BLOCK + 2 * GUARD);
}
