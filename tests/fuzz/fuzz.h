/*
 * fuzz.h — what the libFuzzer harnesses in tests/fuzz/ share.
 *
 * Each harness is one fuzz_TARGET.c with an LLVMFuzzerTestOneInput that feeds
 * its input to the real reader (the library's objects, compiled with
 * -fsanitize=fuzzer-no-link,address,undefined into build/fuzz/). A crash, a
 * sanitizer report, a leak or an abort() is a finding; an error the reader
 * reports (its one line in err) is a correct answer and not one.
 *
 * Readers that take a path read the input through an in-memory file
 * (memfd_create): fuzz_file() rewrites it and returns "/proc/self/fd/N",
 * which each fopen() opens afresh at offset 0. No disk, no temporary files
 * left behind. The descriptors live as long as the process.
 */
/* memfd_create and memmem are GNU extensions; fuzz.h comes first in each harness */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#ifndef EDGESIM_FUZZ_H
#define EDGESIM_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* libFuzzer's entry point; one per harness. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Most in-memory files one harness uses at once (Azure 2019: invocations,
 * durations, memory). */
#define FUZZ_FILES_MAX 4

/* Replaces the contents of in-memory file `slot` by data[0..size) and
 * returns its path (static storage, valid until the next call for the same
 * slot). Aborts when the kernel refuses: the harness cannot run at all then. */
static inline const char *fuzz_file(int slot, const void *data, size_t size)
{
    static int fds[FUZZ_FILES_MAX] = {-1, -1, -1, -1};
    static char paths[FUZZ_FILES_MAX][40];
    if (slot < 0 || slot >= FUZZ_FILES_MAX)
        abort();
    if (fds[slot] < 0) {
        fds[slot] = memfd_create("edgesim-fuzz", 0);
        if (fds[slot] < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(paths[slot], sizeof paths[slot], "/proc/self/fd/%d", fds[slot]);
    }
    if (ftruncate(fds[slot], 0) != 0) {
        perror("ftruncate");
        abort();
    }
    size_t off = 0;
    while (off < size) {
        ssize_t n = pwrite(fds[slot], (const char *)data + off, size - off, (off_t)off);
        if (n <= 0) {
            perror("pwrite");
            abort();
        }
        off += (size_t)n;
    }
    return paths[slot];
}

/* Splits data[0..size) at the first occurrence of the line "%%\n" (the
 * separator between the files of one input, e.g. the Azure 2019 trace's
 * invocations, durations and memory files). Sets *part and *part_len to the
 * text before it and advances *data / *size past it; with no separator left
 * the whole rest is the part. Returns 0 when there was nothing left. */
static inline int fuzz_split(const uint8_t **data, size_t *size, const uint8_t **part,
                             size_t *part_len)
{
    static const char sep[] = "%%\n";
    if (!*data)
        return 0;
    const uint8_t *hit = memmem(*data, *size, sep, sizeof sep - 1);
    *part = *data;
    if (!hit) {
        *part_len = *size;
        *data = NULL;
        *size = 0;
    } else {
        *part_len = (size_t)(hit - *data);
        *size -= *part_len + sizeof sep - 1;
        *data = hit + sizeof sep - 1;
    }
    return 1;
}
#endif
