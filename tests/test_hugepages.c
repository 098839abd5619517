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

/* ---- from birth: the second start's conditions and its set-up clock ---- */

Test(hugepages, the_mode_follows_the_tunable_and_the_switch)
{
    cr_assert_eq(unsetenv("GLIBC_TUNABLES"), 0);
    cr_assert_eq(unsetenv("EDGESIM_HUGEPAGES"), 0);
    cr_expect_str_eq(sim_hugepages_mode(), "after set-up");
    cr_assert_eq(setenv("EDGESIM_HUGEPAGES", "0", 1), 0);
    cr_expect_str_eq(sim_hugepages_mode(), "off");
#ifdef __GLIBC__
    /* a tunable set by whoever: glibc applies it, the switch or not */
    cr_assert_eq(setenv("GLIBC_TUNABLES", "glibc.malloc.check=0:glibc.malloc.hugetlb=1", 1), 0);
    cr_expect_str_eq(sim_hugepages_mode(), "from birth");
    cr_assert_eq(setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1), 0);
    cr_expect_str_eq(sim_hugepages_mode(), "off");
#endif
    unsetenv("GLIBC_TUNABLES");
    unsetenv("EDGESIM_HUGEPAGES");
}

Test(hugepages, does_not_start_again_when_off_named_or_under_valgrind)
{
    cr_assert_eq(unsetenv("GLIBC_TUNABLES"), 0);
    cr_assert_eq(setenv("EDGESIM_HUGEPAGES", "0", 1), 0);
    cr_expect_not_null(sim_hugepages_reexec_blocker());
    cr_assert_eq(unsetenv("EDGESIM_HUGEPAGES"), 0);
    cr_assert_eq(setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1), 0);
    cr_expect_not_null(sim_hugepages_reexec_blocker());
    cr_assert_eq(unsetenv("GLIBC_TUNABLES"), 0);
    const char *pre = getenv("LD_PRELOAD");
    char *saved = pre ? strdup(pre) : NULL;
    cr_assert_eq(setenv("LD_PRELOAD", "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so", 1), 0);
    cr_expect_not_null(sim_hugepages_reexec_blocker());
    if (saved)
        setenv("LD_PRELOAD", saved, 1);
    else
        unsetenv("LD_PRELOAD");
    free(saved);
    /* with a blocker it returns, the environment as it was */
    cr_assert_eq(setenv("EDGESIM_HUGEPAGES", "0", 1), 0);
    sim_hugepages_reexec(1.0);
    cr_expect_null(getenv("GLIBC_TUNABLES"));
    cr_expect_null(getenv("EDGESIM_SETUP_T0"));
    unsetenv("EDGESIM_HUGEPAGES");
}

Test(hugepages, set_up_counts_from_the_first_start_when_it_is_a_time_before_now)
{
    cr_assert_eq(unsetenv("EDGESIM_SETUP_T0"), 0);
    cr_expect_eq(sim_hugepages_setup_t0(10.0), 10.0);
    cr_assert_eq(setenv("EDGESIM_SETUP_T0", "7.250000000", 1), 0);
    cr_expect_eq(sim_hugepages_setup_t0(10.0), 7.25);
    cr_expect_null(getenv("EDGESIM_SETUP_T0"), "read once: a child of the run does not see it");
    const char *bad[] = {"12", "", "x", "7.5s", "-1", "nan"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert_eq(setenv("EDGESIM_SETUP_T0", bad[i], 1), 0);
        cr_expect_eq(sim_hugepages_setup_t0(10.0), 10.0, "\"%s\"", bad[i]);
        cr_expect_null(getenv("EDGESIM_SETUP_T0"));
    }
}
