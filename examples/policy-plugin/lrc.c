/*
 * lrc.c — an example edgesim scheduler plugin: "least recently chosen".
 *
 * Each invocation goes to the candidate node this policy chose longest ago
 * (a node never chosen counts as chosen before any other); ties go
 * to a uniformly random one of the tied nodes, drawn from the run's stream.
 * With "prefer_warm": true, candidates holding an idle warm instance of the
 * function come first (the rule then applies among them).
 *
 * Params (the scenario's "params" object):
 *     {"prefer_warm": true|false}   default false
 * Anything else is refused, so a typo in a scenario is an error, not a
 * silently ignored setting.
 *
 * The state is one timestamp per node: O(nodes) memory, O(candidates) per
 * decision. It keeps to the rules of edge_policy_plugin.h: no globals, every
 * random draw from req->uniform.
 */
#include <edge_policy_plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lrc {
    int prefer_warm;
    size_t nnodes;
    uint64_t seq;    /* decisions made so far */
    uint64_t *order; /* per node: the decision that last chose it; 0 never */
} lrc;

/* The params are a tiny JSON object: this example accepts exactly "{}",
 * {"prefer_warm": true} and {"prefer_warm": false} (compact, as edgesim
 * passes them). A real plugin would use a JSON parser (cJSON). */
static int parse_params(const char *json, int *prefer_warm, char *err, size_t errlen)
{
    if (!strcmp(json, "{}")) {
        *prefer_warm = 0;
        return 0;
    }
    if (!strcmp(json, "{\"prefer_warm\":true}")) {
        *prefer_warm = 1;
        return 0;
    }
    if (!strcmp(json, "{\"prefer_warm\":false}")) {
        *prefer_warm = 0;
        return 0;
    }
    snprintf(err, errlen, "params: expected {} or {\"prefer_warm\": true|false}, found %.200s",
             json);
    return -1;
}

static void *lrc_create(const char *params_json, size_t nfunctions, size_t nnodes, char *err,
                        size_t errlen)
{
    (void)nfunctions;
    int prefer_warm;
    if (parse_params(params_json, &prefer_warm, err, errlen) != 0)
        return NULL;
    lrc *s = calloc(1, sizeof *s);
    if (!s || !(s->order = calloc(nnodes ? nnodes : 1, sizeof *s->order))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->prefer_warm = prefer_warm;
    s->nnodes = nnodes;
    return s;
}

static void lrc_destroy(void *state)
{
    lrc *s = state;
    free(s->order);
    free(s);
}

/* A node's "last chosen" stamp: 0 never, else the decision number (1, 2,
 * ...). Decision numbers rather than times, so two choices at the same
 * virtual time still count as one before the other. */
static long lrc_choose(void *state, const edge_policy_request *req)
{
    lrc *s = state;
    int want_warm = 0;
    if (s->prefer_warm)
        for (size_t i = 0; i < req->ncandidates; i++)
            if (req->candidates[i].idle_warm > 0)
                want_warm = 1;
    uint64_t oldest = UINT64_MAX;
    size_t ties = 0;
    for (size_t i = 0; i < req->ncandidates; i++) {
        const edge_policy_candidate *c = &req->candidates[i];
        if (c->node >= s->nnodes || (want_warm && c->idle_warm == 0))
            continue;
        uint64_t o = s->order[c->node];
        if (o < oldest) {
            oldest = o;
            ties = 1;
        } else if (o == oldest) {
            ties++;
        }
    }
    if (ties == 0)
        return EDGE_POLICY_NONE;
    /* the k-th of the tied candidates, k uniform in [0, ties) */
    size_t k = (size_t)(req->uniform(req->rng) * (double)ties);
    if (k >= ties)
        k = ties - 1;
    for (size_t i = 0; i < req->ncandidates; i++) {
        const edge_policy_candidate *c = &req->candidates[i];
        if (c->node >= s->nnodes || (want_warm && c->idle_warm == 0) ||
            s->order[c->node] != oldest)
            continue;
        if (k-- == 0) {
            s->order[c->node] = ++s->seq;
            return (long)i;
        }
    }
    return EDGE_POLICY_NONE; /* not reached */
}

const edge_policy_plugin edge_policy_plugin_v1 = {
    .abi_version = EDGE_POLICY_ABI_VERSION,
    .name = "least_recently_chosen",
    .create = lrc_create,
    .destroy = lrc_destroy,
    .choose = lrc_choose,
    .on_start = NULL,
    .on_finish = NULL,
};
