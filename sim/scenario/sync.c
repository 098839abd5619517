/*
 * sync.c — the scenario's "sync" section (docs/scenario.md, "sync"): the
 * state synchronizer, off unless the file has the section.
 */
#include "scenario/reader.h"

static const char *const sync_fields[] = {"interval", "initial", "bandwidth_mbps", NULL};
static const sc_numspec NS_MBPS = {0, 1e9, 0, 1};

/* The state synchronizer: off unless "sync" is there. */
void sc_read_sync(sc_ctx *c)
{
    sim_sync_spec *y = &c->s->sync;
    const cJSON *obj =
        sc_optional_object(c, c->root, "sync", "sync", "the state synchronizer", sync_fields);
    if (!obj)
        return;
    y->bandwidth_mbps = 0; /* absent: each node's own bandwidth_mb_per_s */
    int bad = sc_duration_field(c, obj, "sync", "interval", 1, SC_SIGN_POS, "10s", &y->interval) < 0;
    bad |= sc_number_field(c, obj, "sync", "bandwidth_mbps", 0, &NS_MBPS, &y->bandwidth_mbps) < 0;
    const cJSON *init = sc_member(obj, "initial");
    y->initial = init ? cJSON_Duplicate(init, 1) : cJSON_CreateObject();
    if (!y->initial)
        sc_oom(c);
    y->enabled = !bad && y->initial;
}
