/*
 * fuzz_run.c — a scenario that loads is run. fuzz_scenario checks what the
 * loader accepts; this harness finds what a valid but hostile scenario
 * does to everything after it: the world's set-up, the engine, the
 * network and mobility, workflows, autoscalers, faults, and the outputs.
 *
 * Through the embedding API (sim/api/edgesim.h), as an embedder with a
 * scenario from someone else would run it: paths sandboxed, no plugins,
 * and tight limits (200,000 estimated events, 64 MiB, 8 MiB written), so
 * that a scenario past them is a correct refusal and each input runs in
 * milliseconds. A run is cut after FUZZ_RUN_STEPS events (the estimate can
 * be low: then the run is freed unfinished, which removes its outputs);
 * one that ends in time is finished, which writes every output. The
 * outputs go to a folder of the process's own under $TMPDIR (or /tmp),
 * removed at exit.
 */
#include "fuzz.h"

#include <ftw.h>

#include "api/edgesim.h"

#define FUZZ_RUN_STEPS 300000

static char outdir[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_outdir(void)
{
    if (outdir[0])
        nftw(outdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *the_outdir(void)
{
    if (!outdir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(outdir, sizeof outdir, "%s/edgesim-fuzz-run.XXXXXX",
                 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
        if (!mkdtemp(outdir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_outdir);
    }
    return outdir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[sizeof outdir + 8];
    snprintf(out, sizeof out, "%s/run", the_outdir());
    edgesim_options opt = {.outdir = out};
    edgesim_limits lim = {.max_events = 200000, .max_memory = 64u << 20, .max_output = 8u << 20};
    edgesim_error err;
    edgesim_sim *s = edgesim_open_text3((const char *)data, size, "fuzz/scenario.json", &opt,
                                        EDGESIM_SANDBOX_PATHS, &lim, &err);
    if (!s) {
        if (err.code == 0) {
            fprintf(stderr, "edgesim_open_text3 refused a scenario without an error code\n");
            abort();
        }
        return 0;
    }
    int rc = 1;
    for (long i = 0; i < FUZZ_RUN_STEPS && rc == 1; i++)
        rc = edgesim_step(s, &err);
    if (rc == 0)
        (void)edgesim_finish(s, &err); /* an error is an answer; a crash is a finding */
    edgesim_free(s);
    return 0;
}
