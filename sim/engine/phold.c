#include "engine/phold.h"

#include <stdlib.h>
#include <time.h>

#include "common/stopwatch.h"
#include "engine/engine.h"
#include "engine/rng.h"

typedef struct {
    sim_rng rng;
    uint64_t *lp_count; /* the LPs' state: events received */
    uint32_t lps;
    edge_time lookahead;
    double mean_ns;
    edge_err err;
} phold;

static void phold_event(sim_engine *e, void *ctx, const sim_event *ev)
{
    phold *p = ctx;
    p->lp_count[ev->payload.a]++;
    edge_time at = ev->time + p->lookahead + sim_rng_exp_ns(&p->rng, p->mean_ns);
    sim_payload next = {.a = (uint32_t)sim_rng_below(&p->rng, p->lps)};
    edge_err err = sim_engine_schedule(e, at, phold_event, p, next, NULL);
    if (err != EDGE_OK)
        sim_engine_fail(e, err);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void sim_phold_defaults(sim_phold_config *cfg)
{
    cfg->lps = 1024;
    cfg->population = 16;
    cfg->lookahead = 100 * EDGE_MS;
    cfg->mean = EDGE_S;
    cfg->end = 1000 * EDGE_S;
    cfg->seed = 1;
}

edge_err sim_phold_run(const sim_phold_config *cfg, sim_phold_result *out)
{
    if (!cfg || !out || cfg->lps == 0 || cfg->population == 0 || cfg->lookahead < 0
        || cfg->mean < 0 || cfg->end < 0 || cfg->mean > 100000000 * EDGE_S
        || (uint64_t)cfg->lps * cfg->population > SIM_ENGINE_MAX_PENDING)
        return EDGE_INVAL;
    edge_err err = EDGE_NOMEM;
    size_t pending = (size_t)cfg->lps * cfg->population;
    phold p = {.lps = cfg->lps, .lookahead = cfg->lookahead, .mean_ns = (double)cfg->mean};
    sim_rng_derive(&p.rng, cfg->seed, "phold", 0);
    sim_engine *e = sim_engine_create(pending);
    p.lp_count = calloc(cfg->lps, sizeof *p.lp_count);
    if (!e || !p.lp_count)
        goto fail;
    for (uint32_t lp = 0; lp < cfg->lps; lp++)
        for (uint32_t k = 0; k < cfg->population; k++) {
            sim_payload pl = {.a = lp};
            edge_time at = cfg->lookahead + sim_rng_exp_ns(&p.rng, p.mean_ns);
            err = sim_engine_schedule(e, at, phold_event, &p, pl, NULL);
            if (err != EDGE_OK)
                goto fail;
        }
    double c0 = sim_cpu_seconds(), t0 = wall_now();
    err = sim_engine_run_until(e, cfg->end);
    double t1 = wall_now(), c1 = sim_cpu_seconds();
    if (err != EDGE_OK)
        goto fail;
    sim_engine_stats st;
    sim_engine_get_stats(e, &st);
    out->events = st.run;
    out->wall_seconds = t1 - t0;
    out->cpu_seconds = c1 - c0;
    out->pending = pending;
    out->engine_bytes = st.bytes;
    out->lp_checksum = 0;
    for (uint32_t lp = 0; lp < cfg->lps; lp++)
        out->lp_checksum += p.lp_count[lp];
fail:
    free(p.lp_count);
    sim_engine_destroy(e);
    return err;
}
