/*
 * sweep.c — the sweep file reader, the run numbering and the statistics.
 *
 * The reader stops at the first problem (a sweep file is a dozen lines; one
 * clear line is worth more than a list). Grid paths are not checked here:
 * they are --set paths of the scenarios, which cmd_sweep loads once per
 * configuration before any run starts.
 */
#include <cJSON.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/loadfile.h"
#include "common/plainname.h"
#include "harness/sweep.h"
#include "scenario/reader.h"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static const char *const sweep_fields[] = {"scenarios", "grid", "set", "replications", "base_seed",
                                           "name", "description", "$schema", NULL};

static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void sim_sweep_free(sim_sweep *sw)
{
    if (!sw)
        return;
    free(sw->path);
    free(sw->name);
    free_strv(sw->scenarios, sw->nscenarios);
    free_strv(sw->scenario_paths, sw->nscenarios);
    free_strv(sw->fixed_sets, sw->nfixed);
    for (size_t i = 0; i < sw->nparams; i++) {
        free(sw->params[i].path);
        free_strv(sw->params[i].sets, sw->params[i].nvalues);
        free_strv(sw->params[i].labels, sw->params[i].nvalues);
    }
    free(sw->params);
    free(sw);
}

/* "PATH=JSON" for one value. */
static char *make_set(const char *path, const cJSON *v)
{
    char *j = cJSON_PrintUnformatted(v);
    if (!j)
        return NULL;
    size_t n = strlen(path) + strlen(j) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s=%s", path, j);
    cJSON_free(j);
    return s;
}

/* The value as a table cell: strings as they are, others as JSON. */
static char *make_label(const cJSON *v)
{
    if (cJSON_IsString(v))
        return dup_str(v->valuestring);
    char *j = cJSON_PrintUnformatted(v);
    char *s = j ? dup_str(j) : NULL;
    cJSON_free(j);
    return s;
}

/* A non-negative integer that a double holds exactly, up to max. */
static int as_uint(const cJSON *v, double max, uint64_t *out)
{
    if (!cJSON_IsNumber(v))
        return -1;
    double x = v->valuedouble;
    if (!(x >= 0) || x > max || x != floor(x))
        return -1;
    *out = (uint64_t)x;
    return 0;
}

static int check_path_key(const char *k)
{
    /* a --set path: non-empty, no '=' (it would split the PATH=VALUE pair) */
    return k[0] != '\0' && strchr(k, '=') == NULL;
}

/* The seed is the sweep's: replication k of every configuration runs with
 * base_seed + k, which replaced a "seed" set or swept (silently: a grid of
 * seeds ran the same runs under two configuration ids). */
#define SEED_IS_THE_SWEEPS "replication k of every configuration runs with seed base_seed + k"

int sim_sweep_sets_seed(const char *set)
{
    return set && !strncmp(set, "seed", 4) && (set[4] == '\0' || set[4] == '=');
}

/* One problem at item at_ (its line and column; NULL: none) and path_. */
#define FAIL(at_, path_, ...)                                                                   \
    do {                                                                                        \
        sim_diag_set(d, path_, __VA_ARGS__);                                                    \
        sc_jsonpos_get(&pos, at_, &d->line, &d->col);                                           \
        goto fail;                                                                              \
    } while (0)

sim_sweep *sim_sweep_parse(const char *text, size_t len, const char *name, sim_diag *d)
{
    sim_diag_clear(d);
    d->file = name;
    sim_sweep *sw = calloc(1, sizeof *sw);
    cJSON *root = NULL;
    sc_jsonpos pos = {0};
    char p[SIM_DIAG_PATH_MAX];
    if (!sw)
        FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
    sw->replications = 1;
    sw->base_seed = 1;
    sw->nconfigs = 1;
    if (!(sw->path = dup_str(name)))
        FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
    if (len > SIM_SWEEP_MAX_BYTES)
        FAIL(NULL, NULL, "expected a sweep file of at most %u bytes, found %zu bytes",
             SIM_SWEEP_MAX_BYTES, len);
    int eline = 0, ecol = 0, nomem = 0, kind = 0;
    sc_strbuf near;
    root = sc_json_read(text, len, &pos, &eline, &ecol, &near, &nomem, &kind);
    if (!root) {
        if (nomem)
            FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
        char jpath[SIM_DIAG_MSG_MAX], msg[SIM_DIAG_MSG_MAX];
        sc_json_refusal(kind, &near, jpath, msg, sizeof msg);
        sim_diag_set(d, jpath, "%s", msg);
        d->line = eline;
        d->col = ecol;
        goto fail;
    }
    if (!cJSON_IsObject(root))
        FAIL(root, NULL, "expected a JSON object, found %s", sc_found(root).s);

    /* a scenario given where a sweep file is asked: one line that says so,
     * not its first field refused ("seed: ... did you mean set?") */
    if (!cJSON_GetObjectItemCaseSensitive(root, "scenarios")) {
        static const char *const scenario_keys[] = {"nodes", "functions", "regions", "duration",
                                                    NULL};
        for (size_t i = 0; scenario_keys[i]; i++)
            if (cJSON_GetObjectItemCaseSensitive(root, scenario_keys[i]))
                FAIL(root, NULL, "expected a sweep file (an object with \"scenarios\" and "
                     "\"grid\" or \"set\"), found a scenario (it has \"%s\"): run it with "
                     "'edgesim run', or name it in a sweep file's \"scenarios\"",
                     scenario_keys[i]);
    }

    const cJSON *scen = NULL, *grid = NULL, *set = NULL, *nm = NULL;
    for (const cJSON *f = root->child; f; f = f->next) {
        const char *k = f->string;
        if (!strcmp(k, "scenarios"))
            scen = f;
        else if (!strcmp(k, "grid"))
            grid = f;
        else if (!strcmp(k, "set"))
            set = f;
        else if (!strcmp(k, "name"))
            nm = f;
        else if (!strcmp(k, "replications")) {
            uint64_t r;
            if (as_uint(f, SIM_SWEEP_MAX_REPLICATIONS, &r) || r < 1)
                FAIL(f, k, "expected an integer from 1 to %d, found %s", SIM_SWEEP_MAX_REPLICATIONS,
                     sc_found(f).s);
            sw->replications = (uint32_t)r;
        } else if (!strcmp(k, "base_seed")) {
            /* seeds up to 2^53 so base_seed + k stays exact in JSON */
            if (as_uint(f, 9007199254740991.0 - SIM_SWEEP_MAX_REPLICATIONS, &sw->base_seed))
                FAIL(f, k, "expected a non-negative integer below 2^53, found %s", sc_found(f).s);
        } else if (!strcmp(k, "description") || !strcmp(k, "$schema")) {
            if (!cJSON_IsString(f))
                FAIL(f, k, "expected a string, found %s", sc_found(f).s);
        } else {
            FAIL(f, k, "expected a known field (scenarios, grid, set, replications, base_seed, "
                       "name, description), found %s%s", sc_quoted(k).s,
                 sc_did_you_mean(sc_suggest_list(k, sweep_fields)).s);
        }
    }

    /* name */
    if (nm) {
        /* the name is the folder results/sweeps/NAME without -o: it must not
         * climb out of it ("../../x") or be "." or hidden */
        if (!cJSON_IsString(nm))
            FAIL(nm, "name", "expected a plain name (" SIM_PLAIN_NAME_RULE "), found %s",
                 sc_found(nm).s);
        if (!sim_plain_name(nm->valuestring)) {
            char shown[64];
            size_t k = 0;
            for (const char *q = nm->valuestring; *q && k < 40; q++) /* control chars as '?' */
                shown[k++] = (unsigned char)*q < 0x20 || *q == 0x7f || *q == '"' ? '?' : *q;
            shown[k] = '\0';
            FAIL(nm, "name", "expected a plain name (" SIM_PLAIN_NAME_RULE "), found \"%s\"%s", shown,
                 nm->valuestring[k] ? "..." : "");
        }
        sw->name = dup_str(nm->valuestring);
    } else {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        sw->name = dup_str(base);
        if (sw->name) {
            size_t n = strlen(sw->name);
            if (n > 5 && !strcmp(sw->name + n - 5, ".json"))
                sw->name[n - 5] = '\0';
            /* from the file's name: made plain as the scenario's default is */
            if (strlen(sw->name) > SIM_PLAIN_NAME_MAX)
                sw->name[SIM_PLAIN_NAME_MAX] = '\0';
            for (char *q = sw->name; *q; q++) {
                char one[3] = {'a', *q, '\0'}; /* the character, not first */
                if (!sim_plain_name(one) || (q == sw->name && *q == '.'))
                    *q = '-';
            }
        }
    }
    if (!sw->name)
        FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");

    /* scenarios */
    if (!scen)
        FAIL(root, "scenarios", "expected a list of scenario files, found nothing (it is required)");
    if (!cJSON_IsArray(scen))
        FAIL(scen, "scenarios", "expected a list of scenario files, found %s", sc_found(scen).s);
    size_t ns = (size_t)cJSON_GetArraySize(scen);
    if (ns < 1 || ns > SIM_SWEEP_MAX_SCENARIOS)
        FAIL(scen, "scenarios", "expected 1 to %d scenario files, found %zu", SIM_SWEEP_MAX_SCENARIOS,
             ns);
    sw->scenarios = calloc(ns, sizeof *sw->scenarios);
    sw->scenario_paths = calloc(ns, sizeof *sw->scenario_paths);
    if (!sw->scenarios || !sw->scenario_paths)
        FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
    sw->nscenarios = ns;
    const char *slash = strrchr(name, '/');
    size_t dirlen = slash ? (size_t)(slash - name) + 1 : 0;
    size_t i = 0;
    for (const cJSON *s = scen->child; s; s = s->next, i++) {
        sim_diag_path_child(p, sizeof p, "scenarios", NULL, i);
        if (!cJSON_IsString(s) || !s->valuestring[0])
            FAIL(s, p, "expected a scenario file name, found %s", sc_found(s).s);
        sw->scenarios[i] = dup_str(s->valuestring);
        size_t n = dirlen + strlen(s->valuestring) + 1;
        sw->scenario_paths[i] = malloc(n);
        if (!sw->scenarios[i] || !sw->scenario_paths[i])
            FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
        if (s->valuestring[0] == '/')
            snprintf(sw->scenario_paths[i], n, "%s", s->valuestring);
        else
            snprintf(sw->scenario_paths[i], n, "%.*s%s", (int)dirlen, name, s->valuestring);
    }

    /* set */
    if (set) {
        if (!cJSON_IsObject(set))
            FAIL(set, "set", "expected an object of --set paths and values, found %s",
                 sc_found(set).s);
        size_t n = (size_t)cJSON_GetArraySize(set);
        sw->fixed_sets = calloc(n ? n : 1, sizeof *sw->fixed_sets);
        if (!sw->fixed_sets)
            FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
        for (const cJSON *f = set->child; f; f = f->next) {
            sim_diag_path_child(p, sizeof p, "set", f->string, 0);
            if (!check_path_key(f->string))
                FAIL(f, p, "expected a --set path such as \"duration\", found %s",
                     sc_quoted(f->string).s);
            if (sim_sweep_sets_seed(f->string))
                FAIL(f, p, "expected a path other than seed (" SEED_IS_THE_SWEEPS
                     ": set base_seed), found \"seed\"");
            if (!(sw->fixed_sets[sw->nfixed] = make_set(f->string, f)))
                FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
            sw->nfixed++;
        }
    }

    /* grid */
    if (grid) {
        if (!cJSON_IsObject(grid))
            FAIL(grid, "grid", "expected an object of --set paths and lists of values, found %s",
                 sc_found(grid).s);
        size_t n = (size_t)cJSON_GetArraySize(grid);
        if (n > SIM_SWEEP_MAX_PARAMS)
            FAIL(grid, "grid", "expected at most %d parameters, found %zu", SIM_SWEEP_MAX_PARAMS, n);
        sw->params = calloc(n ? n : 1, sizeof *sw->params);
        if (!sw->params)
            FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
        for (const cJSON *f = grid->child; f; f = f->next) {
            sim_diag_path_child(p, sizeof p, "grid", f->string, 0);
            if (!check_path_key(f->string))
                FAIL(f, p, "expected a --set path such as \"policies.scheduler\", found %s",
                     sc_quoted(f->string).s);
            if (sim_sweep_sets_seed(f->string))
                FAIL(f, p, "expected a parameter other than seed (" SEED_IS_THE_SWEEPS
                     ": more seeds are more replications), found \"seed\"");
            for (size_t k = 0; k < sw->nparams; k++)
                if (!strcmp(sw->params[k].path, f->string))
                    FAIL(f, p, "expected each parameter once, found it twice");
            if (!cJSON_IsArray(f))
                FAIL(f, p, "expected a list of values, found %s", sc_found(f).s);
            size_t nv = (size_t)cJSON_GetArraySize(f);
            if (nv < 1 || nv > SIM_SWEEP_MAX_VALUES)
                FAIL(f, p, "expected 1 to %d values, found %zu", SIM_SWEEP_MAX_VALUES, nv);
            sim_sweep_param *pa = &sw->params[sw->nparams++];
            pa->path = dup_str(f->string);
            pa->sets = calloc(nv, sizeof *pa->sets);
            pa->labels = calloc(nv, sizeof *pa->labels);
            if (!pa->path || !pa->sets || !pa->labels)
                FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
            size_t j = 0;
            for (const cJSON *v = f->child; v; v = v->next, j++) {
                char vp[SIM_DIAG_PATH_MAX];
                sim_diag_path_child(vp, sizeof vp, p, NULL, j);
                /* objects and lists too: a --set value is any JSON but null,
                 * e.g. {"type": "fixed", "ttl": "5m"} for policies.keepalive */
                if (cJSON_IsNull(v) || cJSON_IsInvalid(v))
                    FAIL(v, vp, "expected a string, number, boolean, object or list, found %s",
                         sc_found(v).s);
                /* a value twice is the same configuration under two ids
                 * (a file may name a scenario twice: docs/sweeps.md) */
                size_t k = 0;
                for (const cJSON *u = f->child; u != v; u = u->next, k++)
                    if (cJSON_Compare(u, v, 1))
                        FAIL(v, vp, "expected distinct values, found %s again (first at [%zu])",
                             sc_found(v).s, k);
                pa->sets[j] = make_set(f->string, v);
                pa->labels[j] = make_label(v);
                pa->nvalues = j + 1;
                if (!pa->sets[j] || !pa->labels[j])
                    FAIL(NULL, NULL, "expected memory for the sweep, found none (out of memory)");
            }
            if (sw->nconfigs > SIM_SWEEP_MAX_RUNS / nv)
                FAIL(grid, "grid", "expected at most %d grid points, found more", SIM_SWEEP_MAX_RUNS);
            sw->nconfigs *= nv;
        }
    }
    double runs = (double)sw->nscenarios * (double)sw->nconfigs * (double)sw->replications;
    if (runs > SIM_SWEEP_MAX_RUNS)
        FAIL(root, NULL, "expected at most %d runs (scenarios x grid points x replications), found %.0f",
             SIM_SWEEP_MAX_RUNS, runs);
    cJSON_Delete(root);
    sc_jsonpos_free(&pos);
    return sw;
fail:
    cJSON_Delete(root);
    sc_jsonpos_free(&pos);
    sim_sweep_free(sw);
    return NULL;
}

sim_sweep *sim_sweep_load(const char *path, sim_diag *d)
{
    sim_diag_clear(d);
    d->file = path;
    char *buf = NULL, err[512];
    size_t len = 0;
    sim_sweep *sw = NULL;
    sim_load_error e = sim_load_file(path, SIM_SWEEP_MAX_BYTES, &buf, &len, err, sizeof err);
    /* err is "PATH: what"; the diagnostic names the file already */
    const char *what = err + (strncmp(err, path, strlen(path)) ? 0 : strlen(path) + 2);
    switch (e) {
    case SIM_LOAD_OK: sw = sim_sweep_parse(buf, len, path, d); break;
    case SIM_LOAD_NOMEM:
        sim_diag_set(d, NULL, "expected memory for the sweep, found none (out of memory)");
        break;
    case SIM_LOAD_OPEN:
        sim_diag_set(d, NULL, "expected a readable sweep file, found %s", what);
        break;
    default: /* a directory, a device, too big: "expected ..., found ..." */
        sim_diag_set(d, NULL, "%s", what);
        break;
    }
    free(buf);
    return sw;
}

int sim_sweep_add_set(sim_sweep *sw, const char *set)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set || sim_sweep_sets_seed(set)) {
        errno = EINVAL;
        return -1;
    }
    char **v = realloc(sw->fixed_sets, (sw->nfixed + 1) * sizeof *v);
    if (!v) {
        errno = ENOMEM;
        return -1;
    }
    sw->fixed_sets = v;
    if (!(v[sw->nfixed] = dup_str(set))) {
        errno = ENOMEM;
        return -1;
    }
    sw->nfixed++;
    return 0;
}

size_t sim_sweep_nruns(const sim_sweep *sw)
{
    return sw->nscenarios * sw->nconfigs * sw->replications;
}

void sim_sweep_config_point(const sim_sweep *sw, size_t config, size_t *idx)
{
    for (size_t k = sw->nparams; k-- > 0;) {
        idx[k] = config % sw->params[k].nvalues;
        config /= sw->params[k].nvalues;
    }
}

void sim_sweep_run_split(const sim_sweep *sw, size_t run, size_t *scenario, size_t *config,
                         uint32_t *rep)
{
    *rep = (uint32_t)(run % sw->replications);
    run /= sw->replications;
    *config = run % sw->nconfigs;
    *scenario = run / sw->nconfigs;
}

void sim_sweep_stat_clip(sim_sweep_stat *st, double min, double max)
{
    if (st->ci95_low < min) /* false for NaN */
        st->ci95_low = min;
    if (st->ci95_high > max)
        st->ci95_high = max;
}

void sim_sweep_stats(const double *x, size_t n, sim_sweep_stat *out)
{
    /* The finite values, then GSL's mean and sample standard deviation. */
    double small[64], *v = n <= 64 ? small : malloc(n * sizeof *v);
    size_t m = 0;
    out->n = 0;
    out->mean = out->stddev = out->ci95_low = out->ci95_high = NAN;
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            v[m++] = x[i];
    out->n = m;
    if (m > 0)
        out->mean = gsl_stats_mean(v, 1, m);
    if (m >= 2) {
        out->stddev = gsl_stats_sd_m(v, 1, m, out->mean);
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * out->stddev / sqrt((double)m);
        out->ci95_low = out->mean - half;
        out->ci95_high = out->mean + half;
    }
    if (v != small)
        free(v);
}
