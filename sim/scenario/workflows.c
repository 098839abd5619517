/*
 * workflows.c — reads the scenario's "workflows" section (workflows.h;
 * docs/scenario.md, "workflows").
 *
 * Read after "functions" (steps name functions) and before "workloads"
 * (a workload may request a workflow). Every step's predecessors must be
 * listed before it, which makes each workflow a DAG without a cycle check
 * and leaves the steps in an order the run can use as is. Each problem is
 * one diagnostic line, as everywhere in the reader.
 */
#include "scenario/workflows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "scenario/reader.h"

static const char *const wf_fields[] = {"id", "deadline", "steps", NULL};
static const char *const step_fields[] = {"id", "function", "after", "repeat", NULL};
static const char *const edge_fields[] = {"step", "payload_mb", "probability", NULL};

/* How far a branch's probabilities may be from summing to 1 (decimal
 * fractions such as 0.1 are not exact in binary). */
#define WF_PROB_EPS 1e-9

void sim_workflow_spec_free(sim_workflow_spec *wf)
{
    if (!wf)
        return;
    for (size_t i = 0; i < wf->nsteps; i++) {
        free(wf->steps[i].id);
        free(wf->steps[i].after);
    }
    free(wf->steps);
    free(wf->id);
}

/* The index of step `id` among the first n steps of wf, or SIZE_MAX; with id
 * NULL, of the first step that has none (refused for its id). A linear
 * scan: workflows are small (SIM_WF_MAX_STEPS) and read once. */
static size_t step_index(const sim_workflow_spec *wf, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (id ? wf->steps[i].id && !strcmp(wf->steps[i].id, id) : !wf->steps[i].id)
            return i;
    return SIZE_MAX;
}

/* The step id `id` named in an "after" of step `self` (its item step_item)
 * is none of the earlier steps': says whether it is this step, a later one
 * (a predecessor comes first), or no step of the workflow (with the
 * earlier step it may have meant). */
static void unknown_step(sc_ctx *c, const cJSON *idv, const char *q, const sim_workflow_spec *wf,
                         size_t self, const cJSON *step_item, const char *id)
{
    const char *where = NULL;
    for (const cJSON *t = step_item; t && !where; t = t->next) {
        const cJSON *tid = cJSON_IsObject(t) ? sc_member(t, "id") : NULL;
        if (cJSON_IsString(tid) && !strcmp(tid->valuestring, id))
            where = t == step_item ? "this step's own id (a step cannot run after itself)"
                                   : "listed after this one (a predecessor comes first)";
    }
    if (where) {
        sc_diag(c, idv, q, "expected a step listed before this one, found %s, %s",
                sc_found(idv).s, where);
        return;
    }
    const char *best = NULL;
    size_t bd = SIM_SUGGEST_MAX_EDITS + 1, d;
    for (size_t i = 0; i < self; i++)
        if (wf->steps[i].id && sim_suggest_close(id, wf->steps[i].id, &d) && d < bd) {
            bd = d;
            best = wf->steps[i].id;
        }
    sc_diag(c, idv, q, "expected a step listed before this one, found %s, an id no step of this "
            "workflow has%s", sc_found(idv).s, sc_did_you_mean(best).s);
}

/* One entry of a step's "after": "stepid" or {"step": ..., "payload_mb":
 * ..., "probability": ...}. Returns 0 or -1 (reported). */
static int read_edge(sc_ctx *c, const cJSON *v, const char *p, const sim_workflow_spec *wf,
                     size_t self, const cJSON *step_item, sim_wf_edge *e)
{
    const cJSON *idv = v;
    char q[SIM_DIAG_PATH_MAX];
    snprintf(q, sizeof q, "%s", p);
    e->payload_mb = 0;
    e->probability = -1;
    int bad = 0;
    if (cJSON_IsObject(v)) {
        sc_check_fields(c, v, p, edge_fields, NULL, NULL);
        idv = sc_member(v, "step");
        sc_path_key(q, p, "step");
        if (!idv) {
            sc_diag(c, v, q, "expected the id of a step listed before this one, found nothing");
            return -1;
        }
        bad |= sc_number_field(c, v, p, "payload_mb", 0, &(const sc_numspec){0, 1e12, 0, 0}, &e->payload_mb) < 0;
        bad |= sc_number_field(c, v, p, "probability", 0, &(const sc_numspec){0, 1, 0, 1}, &e->probability) < 0;
    } else if (!cJSON_IsString(v)) {
        sc_diag(c, v, p,
                     "expected a step id or an edge such as {\"step\": \"decode\", "
                     "\"probability\": 0.5}, found %s",
                     sc_found(v).s);
        return -1;
    }
    const char *id;
    if (sc_id_item(c, idv, q, "a step id", &id))
        return -1;
    size_t from = step_index(wf, self, id);
    if (from == SIZE_MAX && step_index(wf, self, NULL) != SIZE_MAX)
        return -1; /* an earlier step was refused without its id: it may be this one */
    if (from == SIZE_MAX) {
        unknown_step(c, idv, q, wf, self, step_item, id);
        return -1;
    }
    e->from = (uint32_t)from;
    return bad ? -1 : 0;
}

/* One step (index i of wf, whose earlier steps are read). 0 or -1. */
static int read_step(sc_ctx *c, const cJSON *it, const char *p, sim_workflow_spec *wf, size_t i)
{
    sim_wf_step *st = &wf->steps[i];
    sc_check_fields(c, it, p, step_fields, NULL, NULL);
    char q[SIM_DIAG_PATH_MAX];
    sc_path_key(q, p, "id");
    const cJSON *idv = sc_member(it, "id");
    const char *id;
    int bad = 0;
    if (!idv) {
        sc_diag(c, it, q, "expected a step id such as \"resize\", found nothing");
        bad = 1;
    } else if (sc_id_item(c, idv, q, "a step id", &id)) {
        bad = 1;
    } else if (step_index(wf, i, id) != SIZE_MAX) {
        sc_diag(c, idv, q, "expected a step id unique in its workflow, found %s again",
                     sc_found(idv).s);
        bad = 1;
    } else if (!(st->id = sc_xstrdup(c, id))) {
        return -1;
    }
    st->function = sc_function_ref(c, it, p, "function");
    bad |= st->function == SIM_ALL;
    double rep = 1;
    bad |= sc_number_field(c, it, p, "repeat", 0, &(const sc_numspec){1, SIM_WF_MAX_REPEAT, 1, 0}, &rep) < 0;
    st->repeat = (uint32_t)rep;
    const cJSON *after = NULL;
    int ra = sc_array_field(c, it, p, "after", 0,
                                 "a list of the steps it runs after, such as [\"decode\"]", &after);
    if (ra < 0)
        return -1;
    if (ra == 0 || bad)
        return bad ? -1 : 0;
    size_t n = (size_t)cJSON_GetArraySize(after);
    if (n == 0)
        return 0;
    if (!(st->after = sc_xcalloc(c, n, sizeof *st->after)))
        return -1;
    char ep[SIM_DIAG_PATH_MAX], ap[SIM_DIAG_PATH_MAX];
    sc_path_key(ap, p, "after");
    size_t k = 0;
    for (const cJSON *v = after->child; v; v = v->next, k++) {
        sc_path_index(ep, ap, k);
        sim_wf_edge e;
        if (read_edge(c, v, ep, wf, i, it, &e)) {
            bad = 1;
            continue;
        }
        for (size_t j = 0; j < st->nafter; j++)
            if (st->after[j].from == e.from) {
                sc_diag(c, v, ep, "expected each predecessor once, found %s again",
                             sc_found(cJSON_IsObject(v) ? sc_member(v, "step") : v).s);
                bad = 1;
                break;
            }
        st->after[st->nafter++] = e;
    }
    return bad ? -1 : 0;
}

/* The branch edges out of each step must sum to 1. */
static void check_branches(sc_ctx *c, const cJSON *steps_item, const char *p,
                           const sim_workflow_spec *wf)
{
    for (size_t from = 0; from < wf->nsteps; from++) {
        double sum = 0;
        size_t n = 0;
        for (size_t i = from + 1; i < wf->nsteps; i++)
            for (size_t j = 0; j < wf->steps[i].nafter; j++)
                if (wf->steps[i].after[j].from == from && wf->steps[i].after[j].probability >= 0) {
                    sum += wf->steps[i].after[j].probability;
                    n++;
                }
        if (n && fabs(sum - 1.0) > WF_PROB_EPS)
            sc_diag(c, steps_item, p,
                         "expected the probabilities of the edges out of step \"%s\" (a branch) "
                         "to sum to 1, found %.10g over %zu edge(s)",
                         wf->steps[from].id, sum, n);
    }
}

/* One workflow into wf (zeroed). 0 or -1. */
static int read_workflow(sc_ctx *c, const cJSON *it, const char *p, sim_workflow_spec *wf)
{
    sc_check_fields(c, it, p, wf_fields, NULL, NULL);
    char q[SIM_DIAG_PATH_MAX];
    sc_path_key(q, p, "id");
    const cJSON *idv = sc_member(it, "id");
    const char *id;
    int bad = 0;
    if (!idv) {
        sc_diag(c, it, q, "expected a workflow id such as \"thumbnail\", found nothing");
        bad = c->workflows_incomplete = 1;
    } else if (sc_id_item(c, idv, q, "a workflow id", &id)) {
        bad = c->workflows_incomplete = 1;
    } else {
        const sim_scenario *s = c->s;
        for (size_t i = 0; i < s->nworkflows; i++)
            if (!strcmp(s->workflows[i].id, id)) {
                char fp[SIM_DIAG_PATH_MAX];
                sc_path_index(fp, "workflows", i);
                sc_diag(c, idv, q,
                             "expected a unique workflow id, found %s again (first in %s)",
                             sc_found(idv).s, fp);
                bad = 1;
                break;
            }
        if (!bad && !(wf->id = sc_xstrdup(c, id)))
            return -1;
    }
    bad |= sc_duration_field(c, it, p, "deadline", 0, SC_SIGN_POS, "2s", &wf->deadline) < 0;
    const cJSON *steps = NULL;
    int rs = sc_array_field(c, it, p, "steps", 1,
                                 "a list of steps such as [{\"id\": \"decode\", \"function\": "
                                 "\"decode\"}]",
                                 &steps);
    if (rs <= 0)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(steps);
    sc_path_key(q, p, "steps");
    if (n == 0 || n > SIM_WF_MAX_STEPS) {
        sc_diag(c, steps, q, "expected 1 to %d steps, found %zu", SIM_WF_MAX_STEPS, n);
        return -1;
    }
    if (!(wf->steps = sc_xcalloc(c, n, sizeof *wf->steps)))
        return -1;
    wf->nsteps = n;
    size_t i = 0;
    char sp[SIM_DIAG_PATH_MAX];
    for (const cJSON *st = steps->child; st && !c->oom; st = st->next, i++) {
        sc_path_index(sp, q, i);
        if (!sc_want_object(c, st, sp, "a step") || read_step(c, st, sp, wf, i))
            bad = 1;
    }
    if (!bad)
        check_branches(c, steps, q, wf);
    return bad ? -1 : 0;
}

void sc_read_workflows(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    int ra = sc_array_field(c, c->root, "", "workflows", 0,
                            "a list of workflows such as [{\"id\": \"thumbnail\", \"steps\": "
                            "[...]}]",
                            &arr);
    if (ra <= 0) {
        c->workflows_incomplete |= ra < 0; /* references to them are quiet */
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > SIM_WF_MAX) {
        sc_diag(c, arr, "workflows", "expected at most %d workflows, found %zu", SIM_WF_MAX,
                     n);
        c->workflows_incomplete = 1;
        return;
    }
    if (n == 0 || !(s->workflows = sc_xcalloc(c, n, sizeof *s->workflows)))
        return;
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        sc_path_index(p, "workflows", e);
        if (!sc_want_object(c, it, p, "a workflow")) {
            c->workflows_incomplete = 1;
            continue;
        }
        sim_workflow_spec *wf = &s->workflows[s->nworkflows];
        memset(wf, 0, sizeof *wf);
        /* kept when it has an id, even with problems: a workload naming it
         * then finds it (the scenario is refused all the same) */
        read_workflow(c, it, p, wf);
        if (wf->id)
            s->nworkflows++;
        else
            sim_workflow_spec_free(wf);
    }
}

size_t sc_workflow_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    const char *id;
    if (!v || sc_id_item(c, v, p, "a workflow id", &id))
        return SIM_ALL;
    const sim_scenario *s = c->s;
    for (size_t i = 0; i < s->nworkflows; i++)
        if (!strcmp(s->workflows[i].id, id))
            return i;
    if (!c->workflows_incomplete)
        sc_diag(c, v, p, "expected a workflow id defined in workflows, found %s", sc_found(v).s);
    return SIM_ALL;
}
