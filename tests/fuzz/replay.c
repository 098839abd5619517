/*
 * replay.c — runs a libFuzzer harness of tests/fuzz/ over files, without
 * libFuzzer: `make test` (and `make asan`, under ASan + UBSan) links each
 * harness with this main and feeds it every input of its committed corpus,
 * tests/fuzz/corpus/TARGET/, so the seeds and the reproducers of past
 * findings are checked on every run with the compiler and sanitizers the
 * rest of the suite uses; deterministic, and seconds rather than the fuzz
 * build's minute. Finding new inputs stays `make fuzz`'s job.
 *
 *   replay TARGET FILE...    exit 0 when every file ran; a harness's
 *                            finding aborts (the sanitizers' report) or
 *                            exits non-zero; 2 when a file cannot be read
 */
#include "fuzz.h"

#include "common/loadfile.h"

/* Larger than any input libFuzzer writes with its default -max_len. */
#define REPLAY_MAX_INPUT ((size_t)64 << 20)

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: replay TARGET FILE...\n");
        return 2;
    }
    size_t ran = 0;
    for (int i = 2; i < argc; i++) {
        char *buf, err[512];
        size_t n;
        if (sim_load_file(argv[i], REPLAY_MAX_INPUT, &buf, &n, err, sizeof err) != SIM_LOAD_OK) {
            fprintf(stderr, "replay %s: %s\n", argv[1], err);
            return 2;
        }
        /* libFuzzer hands over a buffer of exactly the input's size: a copy
         * of that size, so ASan sees a read past the end as libFuzzer would */
        uint8_t *exact = malloc(n ? n : 1);
        if (!exact) {
            free(buf);
            return 2;
        }
        memcpy(exact, buf, n);
        free(buf);
        LLVMFuzzerTestOneInput(exact, n);
        free(exact);
        ran++;
    }
    printf("fuzz-replay %s: %zu inputs, no finding\n", argv[1], ran);
    return 0;
}
