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

#endif
