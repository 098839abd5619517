/*
 * scenario.c — the scenario reader's top level: JSON text to a validated
 * sim_scenario (the public API is scenario.h).
 *
 * The text is parsed once into a cJSON tree with a position map, the --set
 * overrides are applied to the tree (overrides.c), and then each section is
 * read by its own file in an order that lets later sections refer to earlier
 * ones: the top-level fields (here), regions, nodes, functions, network,
 * faults, deployments, workloads, policies, sync. A failed check adds one
 * sim_diag and the pass goes on with the next field, so `edgesim validate`
 * lists every problem, not the first; at the end the diagnostics are sorted
 * by position so they read top to bottom like the file. How a section is
 * written, and the kit it is written with, is in reader.h.
 *
 * Ids are resolved through core's hash table (core/idmap.h), which keeps
 * each id once, in the scenario's own strings, so a scenario with 10,000
 * nodes and 1,000 functions loads in milliseconds: the cost is dominated by
 * cJSON itself. Groups (an entry with "count") are validated once, as a template,
 * and then expanded: a mistake in a 10,000-node group is reported once.
 *
 * Positions (line and column of each value) come from a position map built
 * beside the cJSON tree (reader_json.c); values placed by --set have none
 * and are reported under the file name "--set". Distributions are
 * sim/dist's.
 */
#include "scenario/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/plainname.h"
#include "common/textfile.h"
#include "scenario/netspec.h"
#include "scenario/reader.h"
#include "scenario/reader_shim.h"

#define SIM_SEED_MAX 9007199254740991.0 /* 2^53 - 1: every JSON number up to it is exact */

static const sc_numspec NS_SEED = {0, SIM_SEED_MAX, 1, 0};

/* ------------------------------------------------------------------------ */
/* The top level                                                              */

static const char *const top_fields[] = {
    "$schema",   "name",      "description", "seed",      "duration",  "sample_interval",
    "warmup",    "regions",   "nodes",       "network",   "functions", "workflows",
    "deployments", "workloads", "faults",    "policies",  "sync",      "clients", /* netspec.c */
    NULL};

/* Whether obj looks like a scenario, however broken: it has a "duration",
 * or "regions", "nodes" or "functions" as a list, or no field a scenario
 * does not have (a scenario being written: each missing field is then
 * worth its line). A run's summary.json ("duration_s", a "functions"
 * object) or another file does not. */
static int has_scenario_field(const cJSON *obj)
{
    if (sc_member(obj, "duration"))
        return 1;
    static const char *const lists[] = {"regions", "nodes", "functions", NULL};
    for (size_t i = 0; lists[i]; i++)
        if (cJSON_IsArray(sc_member(obj, lists[i])))
            return 1;
    for (const cJSON *f = obj->child; f; f = f->next) {
        size_t i = 0;
        while (top_fields[i] && strcmp(top_fields[i], f->string))
            i++;
        if (!top_fields[i])
            return 0;
    }
    return 1;
}

/* "it has \"a\", \"b\", \"c\", ..." : the first three keys of obj. */
static void list_keys(const cJSON *obj, char *buf, size_t n)
{
    size_t k = 0, used = (size_t)snprintf(buf, n, "it has");
    for (const cJSON *f = obj->child; f && used < n; f = f->next, k++) {
        if (k == 3) {
            snprintf(buf + used, n - used, ", ...");
            return;
        }
        used += (size_t)snprintf(buf + used, n - used, "%s %.40s", k ? "," : "",
                                 sc_quoted(f->string).s);
    }
}

/* The default name: the file's base name without ".json", made id-safe. */
static char *default_name(sc_ctx *c)
{
    const char *b = strrchr(c->file, '/');
    b = b ? b + 1 : c->file;
    size_t n = strlen(b);
    if (n > 5 && !strcmp(b + n - 5, ".json"))
        n -= 5;
    if (n == 0 || !strcmp(c->s->path, "-")) {
        b = "stdin";
        n = 5;
    }
    if (n > SIM_ID_MAX)
        n = SIM_ID_MAX;
    char *out = sc_xcalloc(c, n + 1, 1);
    if (out)
        for (size_t i = 0; i < n; i++)
            out[i] = sc_id_char((unsigned char)b[i]) && (i || b[i] != '.') ? b[i] : '-';
    return out; /* a plain name (common/plainname.h): "..json" gives "-" */
}

static void read_top(sc_ctx *c)
{
    sim_scenario *s = c->s;
    sc_check_fields(c, c->root, "", top_fields, NULL, NULL);
    const char *str;
    const cJSON *v = sc_member(c->root, "name");
    if (v) {
        /* the name is the folder of `edgesim run` without -o (results/NAME):
         * ".", ".." or a hidden name would leave results/ or hide the outputs */
        if (sc_id_item(c, v, "name", "a scenario name", &str) == 0) {
            if (!sim_plain_name(str))
                sc_diag(c, v, "name", "expected a plain name (" SIM_PLAIN_NAME_RULE "), found %s",
                        sc_found(v).s);
            else
                s->name = sc_xstrdup(c, str);
        }
    } else {
        s->name = default_name(c);
    }
    if (sc_member(c->root, "$schema"))
        sc_string_field(c, c->root, "", "$schema", 0, "the schema's path or URL", &str);
    if (sc_member(c->root, "description"))
        sc_string_field(c, c->root, "", "description", 0, "a string", &str);
    double seed = 1;
    sc_number_field(c, c->root, "", "seed", 0, &NS_SEED, &seed);
    s->seed = (uint64_t)seed;
    int rd = sc_duration_field(c, c->root, "", "duration", 1, SC_SIGN_POS, "1h", &s->duration);
    if (sc_duration_field(c, c->root, "", "sample_interval", 0, SC_SIGN_POS, "10s", &s->sample_interval) == 0 &&
        rd == 1) {
        edge_time t = (s->duration / 100 + EDGE_S / 2) / EDGE_S * EDGE_S;
        s->sample_interval = t < EDGE_S ? EDGE_S : t;
    }
    /* Statistics count from the warm-up on: it must leave some of the run. */
    const cJSON *wu = sc_member(c->root, "warmup");
    if (sc_duration_field(c, c->root, "", "warmup", 0, SC_SIGN_NONNEG, "10m", &s->warmup) == 1 &&
        rd == 1 && s->warmup >= s->duration) {
        char a[64], b[64];
        edge_duration_format(a, sizeof a, s->warmup);
        edge_duration_format(b, sizeof b, s->duration);
        sc_diag(c, wu, "warmup", "expected a warm-up shorter than the duration (%s), found \"%s\"",
                b, a);
    }
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                               */

/* The text as a cJSON tree with positions in c->pos, or NULL with the one
 * problem reported at the error's line and column. */
static cJSON *read_json(sc_ctx *c, const char *text, size_t len)
{
    int eline = 0, ecol = 0, nomem = 0, kind = 0;
    sc_strbuf near;
    cJSON *root = sc_json_read(text, len, &c->pos, &eline, &ecol, &near, &nomem, &kind);
    if (root)
        return root;
    if (nomem)
        return sc_oom(c);
    char path[SIM_DIAG_MSG_MAX], msg[SIM_DIAG_MSG_MAX];
    sc_json_refusal(kind, &near, path, msg, sizeof msg);
    sc_diag(c, NULL, path, "%s", msg);
    if (c->n <= c->max) {
        c->diags[c->n - 1].line = eline;
        c->diags[c->n - 1].col = ecol;
    }
    return NULL;
}

static void sort_diags(sim_diag *d, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        sim_diag t = d[i];
        size_t j = i;
        while (j > 0 && (d[j - 1].line > t.line || (d[j - 1].line == t.line && d[j - 1].col > t.col))) {
            d[j] = d[j - 1];
            j--;
        }
        if (j != i)
            d[j] = t;
    }
}

/* "expected a scenario of at most 64 MiB, found 1 GiB". */
static void too_big(sc_ctx *c, uint64_t size)
{
    char lim[32], got[32];
    sim_bytes_format(lim, sizeof lim, SIM_SCENARIO_MAX_BYTES);
    sim_bytes_format(got, sizeof got, size);
    sc_diag(c, NULL, "", "expected a scenario of at most %s, found %s", lim, got);
}

sim_scenario *sim_scenario_parse(const char *text, size_t len, const char *name_for_errors,
                                 const char *const *sets, size_t nsets, sim_diag *diags,
                                 size_t max_diags, size_t *ndiags)
{
    return sim_scenario_parse_opts(text, len, name_for_errors, sets, nsets, NULL, diags,
                                   max_diags, ndiags);
}

sim_scenario *sim_scenario_parse_opts(const char *text, size_t len, const char *name_for_errors,
                                      const char *const *sets, size_t nsets,
                                      const sim_load_options *opt, sim_diag *diags,
                                      size_t max_diags, size_t *ndiags)
{
    sc_ctx c;
    memset(&c, 0, sizeof c);
    c.file = !name_for_errors || !strcmp(name_for_errors, "-") ? "<stdin>" : name_for_errors;
    c.diags = diags;
    c.max = diags ? max_diags : 0;
    c.registered_at_start = SIM_ALL;
    if (opt)
        c.opt = *opt;
    sim_scenario *s = NULL;
    if (len > SIM_SCENARIO_MAX_BYTES) {
        too_big(&c, len);
        goto done;
    }
    c.root = read_json(&c, text, len);
    if (!c.root)
        goto done;
    for (size_t i = 0; i < nsets && !c.oom; i++) {
        c.cur_set = i;
        sc_apply_set(&c, sets[i]);
    }
    if (!cJSON_IsObject(c.root)) {
        sc_diag(&c, c.root, "", "expected a scenario (an object with \"nodes\", \"functions\", ...), found %s",
                sc_found(c.root).s);
        goto done;
    }
    /* scenarios/schema.json beside the scenarios (`edgesim validate` of
     * every .json file there): one line, not one per schema keyword */
    const cJSON *meta = sc_member(c.root, "$schema");
    if (cJSON_IsString(meta) && strstr(meta->valuestring, "json-schema.org") &&
        (sc_member(c.root, "properties") || sc_member(c.root, "$id"))) {
        sc_diag(&c, meta, "$schema", "expected a scenario, found a JSON Schema (%s): the file "
                "scenarios name in their own \"$schema\", not one to run",
                sc_quoted(meta->valuestring).s);
        goto done;
    }
    /* another kind of JSON file (a sweep file, a run's summary.json): one
     * line naming what it is, not one per field a scenario would need */
    if (cJSON_IsArray(sc_member(c.root, "scenarios")) && !sc_member(c.root, "nodes")) {
        sc_diag(&c, sc_member(c.root, "scenarios"), "scenarios", "expected a scenario, found a "
                "sweep file (it lists \"scenarios\"): `edgesim sweep` runs it");
        goto done;
    }
    if (c.root->child && !has_scenario_field(c.root)) {
        char keys[160];
        list_keys(c.root, keys, sizeof keys);
        sc_diag(&c, c.root, "", "expected a scenario (an object with \"duration\", \"regions\", "
                "\"nodes\", \"functions\", ...), found an object that is not one (no \"duration\", no "
                "list of regions, nodes or functions; %s)", keys);
        goto done;
    }
    if (!(s = sc_xcalloc(&c, 1, sizeof *s)) || !(s->path = sc_xstrdup(&c, name_for_errors ? name_for_errors : "-")))
        goto done;
    c.s = s;
    read_top(&c);
    sc_read_regions(&c);
    sc_read_nodes(&c);
    if (!(c.stamp = sc_xcalloc(&c, s->nnodes, sizeof *c.stamp)))
        goto done;
    sc_read_functions(&c);
    sc_read_workflows(&c);
    sc_read_network(&c);
    sim__read_netspec(&c);
    sc_read_faults(&c);
    sc_read_deployments(&c);
    sc_read_workloads(&c);
    sc_read_policies(&c);
    sc_read_sync(&c);
done:
    if (c.n && c.max)
        sort_diags(c.diags, c.n < c.max ? c.n : c.max);
    if (ndiags)
        *ndiags = c.n;
    if (!c.n && s) {
        s->index_ = calloc(1, sizeof *s->index_);
        if (s->index_) {
            *s->index_ = c.ix;
            memset(&c.ix, 0, sizeof c.ix);
        }
    }
    sc_index_free(&c.ix);
    free(c.node_id_item);
    free(c.node_entry);
    free(c.fn_id_item);
    free(c.fn_entry);
    free(c.stamp);
    free(c.set_items);
    free(c.set_src);
    for (int k = 0; k < 3; k++)
        free(c.lost[k]);
    sc_jsonpos_free(&c.pos);
    cJSON_Delete(c.root);
    if (c.n) {
        sim_scenario_free(s);
        return NULL;
    }
    return s;
}

sim_scenario *sim_scenario_load(const char *path, const char *const *sets, size_t nsets,
                                sim_diag *diags, size_t max_diags, size_t *ndiags)
{
    return sim_scenario_load_opts(path, sets, nsets, NULL, diags, max_diags, ndiags);
}

/* One problem about the file itself (no line): "PATH: MESSAGE". */
static sim_scenario *file_problem(const char *path, sim_diag *diags, size_t max_diags,
                                  size_t *ndiags, const char *msg)
{
    if (ndiags)
        *ndiags = 1;
    if (diags && max_diags) {
        sim_diag_clear(&diags[0]);
        diags[0].file = path;
        snprintf(diags[0].msg, sizeof diags[0].msg, "%s", msg);
    }
    return NULL;
}

sim_scenario *sim_scenario_load_opts(const char *path, const char *const *sets, size_t nsets,
                                     const sim_load_options *opt, sim_diag *diags,
                                     size_t max_diags, size_t *ndiags)
{
    int is_stdin = !strcmp(path, "-");
    char why[128], msg[SIM_DIAG_MSG_MAX];
    if (!path[0]) /* "": no file at all (a script's empty variable, say) */
        return file_problem("\"\"", diags, max_diags, ndiags,
                            "expected a scenario file name (or - for standard input), found an "
                            "empty name");
    uint64_t size = 0;
    FILE *fp = is_stdin ? stdin : sim_open_regular(path, why, sizeof why, &size);
    if (!fp) {
        if (!strcmp(why, "a directory")) {
            size_t n = strlen(path);
            while (n > 1 && path[n - 1] == '/')
                n--;
            snprintf(msg, sizeof msg, "expected a scenario file, found a directory (its scenarios "
                     "are the .json files in it: name one, or all with %.*s/*.json)",
                     (int)(n < 200 ? n : 200), path);
        } else {
            snprintf(msg, sizeof msg, "cannot read the file: %s", why);
        }
        return file_problem(path, diags, max_diags, ndiags, msg);
    }
    /* a file's size is known before reading: a 1 GiB file is refused, not read */
    if (!is_stdin && size > SIM_SCENARIO_MAX_BYTES) {
        char lim[32], got[32];
        fclose(fp);
        sim_bytes_format(lim, sizeof lim, SIM_SCENARIO_MAX_BYTES);
        sim_bytes_format(got, sizeof got, size);
        snprintf(msg, sizeof msg, "expected a scenario of at most %s, found %s", lim, got);
        return file_problem(path, diags, max_diags, ndiags, msg);
    }
    /* stdin (or a file that grew) is read up to one byte past the limit */
    size_t cap = is_stdin ? 65536 : (size_t)size + 1, len = 0;
    char *buf = malloc(cap + 1);
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (len == cap) {
            if (cap > SIM_SCENARIO_MAX_BYTES)
                break; /* over the limit */
            size_t ncap = 2 * cap > (size_t)SIM_SCENARIO_MAX_BYTES + 1
                              ? (size_t)SIM_SCENARIO_MAX_BYTES + 1 : 2 * cap;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                err = ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp))
                err = errno ? errno : EIO;
            break;
        }
    }
    if (!is_stdin)
        fclose(fp);
    if (err) {
        free(buf);
        if (err == ENOMEM)
            snprintf(msg, sizeof msg, "out of memory reading the file");
        else
            snprintf(msg, sizeof msg, "cannot read the file: %s", strerror(err));
        return file_problem(path, diags, max_diags, ndiags, msg);
    }
    if (len > SIM_SCENARIO_MAX_BYTES) {
        char lim[32];
        free(buf);
        sim_bytes_format(lim, sizeof lim, SIM_SCENARIO_MAX_BYTES);
        snprintf(msg, sizeof msg, "expected a scenario of at most %s, found more", lim);
        return file_problem(path, diags, max_diags, ndiags, msg);
    }
    sim_scenario *s = sim_scenario_parse_opts(buf, len, path, sets, nsets, opt, diags, max_diags,
                                              ndiags);
    free(buf);
    return s;
}

void sim_scenario_free(sim_scenario *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->name);
    for (size_t i = 0; i < s->nregions; i++)
        free(s->regions[i].name);
    free(s->regions);
    for (size_t i = 0; i < s->nnodes; i++)
        sc_free_node(&s->nodes[i]);
    free(s->nodes);
    free(s->network.matrix);
    sim_netspec_free(s->net);
    for (size_t i = 0; i < s->nfunctions; i++)
        sc_free_function(&s->functions[i]);
    free(s->functions);
    for (size_t i = 0; i < s->ndeployments; i++)
        free(s->deployments[i].nodes);
    free(s->deployments);
    for (size_t i = 0; i < s->nworkloads; i++)
        sc_free_workload(&s->workloads[i]);
    free(s->workloads);
    for (size_t i = 0; i < s->nworkflows; i++)
        sim_workflow_spec_free(&s->workflows[i]);
    free(s->workflows);
    for (size_t i = 0; i < s->nfaults; i++)
        sc_free_fault(&s->faults[i]);
    free(s->faults);
    free(s->policies.scheduler);
    free(s->policies.plugin_path);
    free(s->policies.plugin_params);
    free(s->policies.plugin_name);
    free(s->policies.autoscale_fns);
    cJSON_Delete(s->sync.initial);
    free(s->traces);
    if (s->index_) {
        sc_index_free(s->index_);
        free(s->index_);
    }
    free(s);
}

static size_t linear_find(const char *id, const void *base, size_t n, size_t stride)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(*(char *const *)((const char *)base + i * stride), id))
            return i;
    return SIM_ALL;
}

size_t sim_scenario_node_index(const sim_scenario *s, const char *id)
{
    if (s->index_)
        return sc_id_find(s, s->index_, SC_NODES, id);
    return linear_find(id, s->nodes, s->nnodes, sizeof *s->nodes);
}

size_t sim_scenario_function_index(const sim_scenario *s, const char *id)
{
    if (s->index_)
        return sc_id_find(s, s->index_, SC_FUNCTIONS, id);
    return linear_find(id, s->functions, s->nfunctions, sizeof *s->functions);
}

/* ------------------------------------------------------------------------ */
/* One fault added to a read scenario (the embedding API's inject)            */

int sim_scenario_add_fault(sim_scenario *s, const char *text, size_t len,
                           const char *name_for_errors, edge_time now, sim_diag *diags,
                           size_t max_diags, size_t *ndiags)
{
    sc_ctx c;
    memset(&c, 0, sizeof c);
    c.file = name_for_errors ? name_for_errors : "<fault>";
    c.diags = diags;
    c.max = diags ? max_diags : 0;
    c.registered_at_start = SIM_ALL;
    c.s = s;
    cJSON *it = NULL;
    sim_fault_spec f;
    int placed_at = 0, trace = 0;
    if (!s->index_) {
        sc_oom(&c);
        goto done;
    }
    c.ix = *s->index_; /* borrowed for the lookups; handed back below, never freed here */
    it = read_json(&c, text, len);
    if (!it)
        goto done;
    if (!sc_want_object(&c, it, "", "a fault"))
        goto done;
    /* "at" defaults to now (a trace replay has no "at": its rows say when) */
    const cJSON *kind = sc_member(it, "kind");
    trace = cJSON_IsString(kind) &&
            !strcmp(kind->valuestring, sim_fault_kind_name(SIM_FAULT_GOOGLE_MACHINE_EVENTS));
    if (!sc_member(it, "at") && !trace) {
        if (!cJSON_AddStringToObject(it, "at", "0s")) {
            sc_oom(&c);
            goto done;
        }
        placed_at = 1;
    }
    /* a state fault checks the scenario has "sync": the root it looks in */
    if (!(c.root = cJSON_CreateObject()) ||
        (s->sync.enabled && !cJSON_AddTrueToObject(c.root, "sync")) ||
        !(c.stamp = sc_xcalloc(&c, s->nnodes ? s->nnodes : 1, sizeof *c.stamp))) {
        sc_oom(&c);
        goto done;
    }
    if (sc_read_fault(&c, it, "", &f) != 0)
        goto done;
    if (placed_at || trace)
        f.at = now;
    if (f.at < now || f.at > s->duration) {
        sc_diag(&c, sc_member(it, "at"), "at",
                "expected a time in [now, the end of the run] = [%.9g s, %.9g s], found %.9g s",
                edge_time_to_s(now), edge_time_to_s(s->duration), edge_time_to_s(f.at));
        sc_free_fault(&f);
        goto done;
    }
    sim_fault_spec *grown = realloc(s->faults, (s->nfaults + 1) * sizeof *grown);
    if (!grown) {
        sc_free_fault(&f);
        sc_oom(&c);
        goto done;
    }
    s->faults = grown;
    s->faults[s->nfaults++] = f;
done:
    if (s->index_)
        *s->index_ = c.ix; /* lookups only read the tables: the same ones go back */
    if (c.n && c.max)
        sort_diags(c.diags, c.n < c.max ? c.n : c.max);
    if (ndiags)
        *ndiags = c.n;
    free(c.stamp);
    sc_jsonpos_free(&c.pos);
    cJSON_Delete(c.root);
    cJSON_Delete(it);
    return c.n ? -1 : 0;
}
