/* Pins sim/common/hugepages: below its threshold, or with EDGESIM_HUGEPAGES=0,
 * it advises nothing; past it, on Linux, it covers the big block just
 * allocated, and the memory keeps its contents through the collapse. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hugepages.h"

#define BLOCK ((size_t)48 << 20)

Test(hugepages, advises_nothing_below_the_threshold_or_when_turned_off)
{
    cr_expect_eq(sim_hugepages_advise(SIZE_MAX), 0);
    cr_assert_eq(setenv("EDGESIM_HUGEPAGES", "0", 1), 0);
    cr_expect_eq(sim_hugepages_advise(0), 0);
    cr_assert_eq(unsetenv("EDGESIM_HUGEPAGES"), 0);
}

Test(hugepages, covers_a_big_block_and_keeps_its_contents)
{
    uint32_t *p = malloc(BLOCK); /* its own mapping: past malloc's mmap threshold */
    cr_assert_not_null(p);
    for (size_t i = 0; i < BLOCK / sizeof *p; i++)
        p[i] = (uint32_t)(i * 2654435761u);
    size_t advised = sim_hugepages_advise(BLOCK);
#ifdef __linux__
    cr_expect_geq(advised, BLOCK - ((size_t)4 << 20), "the block's aligned part: %zu", advised);
#else
    cr_expect_eq(advised, 0);
#endif
    size_t bad = 0;
    for (size_t i = 0; i < BLOCK / sizeof *p; i++)
        bad += p[i] != (uint32_t)(i * 2654435761u);
    cr_expect_eq(bad, 0);
    free(p);
}
