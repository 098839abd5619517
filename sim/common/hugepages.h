/*
 * hugepages.h — backing a big run's memory with 2 MiB pages.
 *
 * At 100,000 nodes a run touches about 400 MB of per-node state at random,
 * and with 4 KiB pages nearly every touch is also a TLB miss (a page walk
 * whose own loads miss). Linux's transparent huge pages cut that, but where
 * they are enabled only "madvise" (the usual default) nothing asks for them:
 * malloc's heap stays in 4 KiB pages. Measured with the heap in huge pages:
 * about 20% more invocations per CPU second on scenarios/scale.json (10,000
 * nodes), 10% or more on the node-count benchmark at 100,000 nodes. Results
 * never depend on it (nothing reads addresses).
 */
#ifndef SIM_HUGEPAGES_H
#define SIM_HUGEPAGES_H

#include <stddef.h>

/* When the process's private writable anonymous memory that is mostly
 * resident (malloc's heap and its large blocks, not a sanitizer's reserved
 * shadow) holds at least min_bytes in all, asks the kernel to back each
 * 2 MiB-aligned stretch of it with huge pages: marked for them
 * (MADV_HUGEPAGE) and, where the kernel can, collapsed into them now
 * (MADV_COLLAPSE, Linux 6.1+; about 0.2 s for 400 MB). Memory allocated
 * later in those stretches is backed the same way. Returns the bytes
 * advised; 0 below min_bytes, when the environment variable
 * EDGESIM_HUGEPAGES is "0", or on a system without these calls or without
 * /proc/self/smaps. Never fails: a refusal leaves the pages as they were. */
size_t sim_hugepages_advise(size_t min_bytes);

/* Huge pages from birth. sim_hugepages_advise comes after the fact: at a
 * million nodes the collapse of 5 GB took about 10 s of set-up, and the
 * 1.2 million page faults of its 4 KiB pages before it most of the rest.
 * glibc's tunable glibc.malloc.hugetlb=1 makes malloc mark every stretch
 * of heap for huge pages before its first touch (set-up 18.8 -> 3-4 s at a
 * million nodes), but glibc reads it only when a program starts: `edgesim
 * run` starts again with it, before it reads its scenario: the first
 * process stays small (started again after reading a million nodes, the
 * run took 1-2 s more), and standard input is read once. */

/* Why sim_hugepages_reexec would not start the process again, as a short
 * static text ("EDGESIM_HUGEPAGES=0", "glibc.malloc.hugetlb already set",
 * "valgrind", "transparent huge pages not in madvise mode", ...), or NULL
 * when it would. In "always" mode the kernel gives huge pages anyway; in
 * "never" mode nothing does. */
const char *sim_hugepages_reexec_blocker(void);

/* Unless sim_hugepages_reexec_blocker names a reason, executes the running
 * program again (/proc/self/exe) with its own arguments (/proc/self/cmdline)
 * and the same environment plus glibc.malloc.hugetlb=1 in GLIBC_TUNABLES and
 * t0, a sim_wall_seconds() reading, in EDGESIM_SETUP_T0 (see
 * sim_hugepages_setup_t0). Call it before anything is written or read from
 * a pipe: the new process does it all again. Returns only when it did not
 * start again (a blocker, or an exec that failed: the environment is then as
 * it was); never fails otherwise. */
void sim_hugepages_reexec(double t0);

/* The set-up start a process that started this one again passed in
 * EDGESIM_SETUP_T0 (removed from the environment), so that set-up counts
 * from the first start; `now` when there is none or it is not a time at or
 * before now. */
double sim_hugepages_setup_t0(double now);

/* How the heap gets huge pages in this process, for run.json: "from birth"
 * (glibc.malloc.hugetlb=1 or 2 in GLIBC_TUNABLES, with glibc, whoever set
 * it), else "off" (EDGESIM_HUGEPAGES=0) or "after set-up"
 * (sim_hugepages_advise). */
const char *sim_hugepages_mode(void);

#endif
