/*
 * cmd_validate.c — `edgesim validate SCENARIO... [--set PATH=VALUE ...]`.
 *
 * Reads each scenario exactly as `edgesim run` would (same reader, same
 * overrides) and reports every problem on stderr, one line each, in file
 * order: FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT; a file without
 * any gets one summary line on stdout. Exit 2 when any file has a problem.
 * With --json the whole result is one JSON document on stdout instead (per
 * file: ok, and the problems split into file, line, col, path, expected,
 * found), for programs; the exit code is the same. --list-paths prints the
 * paths `--set` can change in a file (shell completion uses it).
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/diag.h"
#include "scenario/limits.h"
#include "scenario/scenario.h"

enum {
    OPT_SET = 1,
    OPT_JSON,
    OPT_LIST_PATHS,
    OPT_MAX_EVENTS,
    OPT_MAX_MEMORY,
    OPT_MAX_OUTPUT,
    OPT_ALLOW_PLUGINS,
    OPT_SANDBOX_PATHS,
};

static const sim_opt validate_opts[] = {
    {OPT_SET, 0, "set", "PATH=VALUE", SIM_OPT_REPEAT,
     "override a field before validation, as `edgesim run` does; PATH like seed, "
     "policies.scheduler or functions[0].memory_mb; VALUE is JSON, else taken as a string. "
     "Applies to every SCENARIO."},
    {OPT_JSON, 0, "json", NULL, 0,
     "print the result as one JSON document on stdout: {\"ok\": BOOL, \"files\": [{\"file\", "
     "\"ok\", \"summary\" or \"problems\": [{\"file\", \"line\", \"col\", \"path\", "
     "\"expected\", \"found\", \"message\"}]}]} (docs/outputs.md)"},
    {OPT_LIST_PATHS, 0, "list-paths", NULL, 0,
     "print the JSON paths of each SCENARIO that --set can change, one per line, instead "
     "of validating (shell completion of --set uses it)"},
    SIM_CLI_TRUST_AND_LIMIT_OPTS,
    {0, 0, NULL, NULL, 0, NULL},
};

const sim_cmd sim_validate_cmd = {
    .name = "validate",
    .operands = "SCENARIO...",
    .about = "check scenario files and list every problem in them",
    .intro = "Checks each scenario file (\"-\" reads stdin) and prints every problem, one\n"
             "line each, on stderr: FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT.\n"
             "A file with none gets a one-line summary on stdout.\n",
    .opts = validate_opts,
    .outro = "exit codes: 0 every file valid, 2 problems found (in any file) or bad usage,\n"
             "1 anything else. The format is described in docs/scenario.md.\n",
};

/* ---- --json ---- */

/* Adds one diagnostic to problems, the message split at "expected ...,
 * found ..." where it has that shape. */
static int json_problem(cJSON *problems, const sim_diag *d)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(problems, o)) {
        cJSON_Delete(o);
        return -1;
    }
    int ok = 1;
    ok &= (d->file ? cJSON_AddStringToObject(o, "file", d->file)
                   : cJSON_AddNullToObject(o, "file")) != NULL;
    ok &= (d->line ? cJSON_AddNumberToObject(o, "line", d->line)
                   : cJSON_AddNullToObject(o, "line")) != NULL;
    ok &= (d->col ? cJSON_AddNumberToObject(o, "col", d->col) : cJSON_AddNullToObject(o, "col")) !=
          NULL;
    ok &= cJSON_AddStringToObject(o, "path", d->path) != NULL;
    const char *found = strstr(d->msg, ", found ");
    if (!strncmp(d->msg, "expected ", 9) && found) {
        char expected[SIM_DIAG_MSG_MAX];
        snprintf(expected, sizeof expected, "%.*s", (int)(found - d->msg - 9), d->msg + 9);
        ok &= cJSON_AddStringToObject(o, "expected", expected) != NULL;
        ok &= cJSON_AddStringToObject(o, "found", found + 8) != NULL;
    } else {
        ok &= cJSON_AddNullToObject(o, "expected") != NULL;
        ok &= cJSON_AddNullToObject(o, "found") != NULL;
    }
    ok &= cJSON_AddStringToObject(o, "message", d->msg) != NULL;
    return ok ? 0 : -1;
}

static int json_summary(cJSON *f, const sim_scenario *s, const char *dur)
{
    cJSON *o = cJSON_AddObjectToObject(f, "summary");
    return !o || !cJSON_AddStringToObject(o, "name", s->name) ||
                   !cJSON_AddNumberToObject(o, "nodes", (double)s->nnodes) ||
                   !cJSON_AddNumberToObject(o, "regions", (double)s->nregions) ||
                   !cJSON_AddNumberToObject(o, "functions", (double)s->nfunctions) ||
                   !cJSON_AddNumberToObject(o, "workloads", (double)s->nworkloads) ||
                   !cJSON_AddNumberToObject(o, "faults", (double)s->nfaults) ||
                   !cJSON_AddStringToObject(o, "duration", dur)
               ? -1
               : 0;
}

/* ---- --list-paths ---- */

static void list_paths(const cJSON *v, const char *path, FILE *out)
{
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        char p[SIM_DIAG_PATH_MAX];
        sim_diag_path_child(p, sizeof p, path, cJSON_IsArray(v) ? NULL : c->string, i);
        fprintf(out, "%s\n", p);
        if (cJSON_IsObject(c) || cJSON_IsArray(c))
            list_paths(c, p, out);
    }
}

/* ---- one file ---- */

static void add_warning(void *ctx, const char *line)
{
    cJSON *arr = ctx;
    cJSON *item = cJSON_CreateString(line);
    if (!item || !cJSON_AddItemToArray(arr, item))
        cJSON_Delete(item); /* out of memory: the array is one short, noticed below */
}

/* "warnings": the lines validate prints on stderr without --json, without
 * their "edgesim validate: warning: FILE: " prefix (an empty list when
 * none). -1 out of memory. */
static int json_warnings(cJSON *f, const sim_scenario *s)
{
    cJSON *arr = cJSON_AddArrayToObject(f, "warnings");
    if (!arr)
        return -1;
    size_t n = sim_cli_unplaced_lines(s, add_warning, arr);
    size_t want = n > 3 ? 4 : n;
    return cJSON_GetArraySize(arr) == (int)want ? 0 : -1;
}

/* Validates path: text lines (or, with js, one element of files). Returns
 * SIM_EXIT_OK, SIM_EXIT_USAGE (problems) or SIM_EXIT_FAIL (out of memory). */
static int validate_one(const char *path, const char **sets, size_t nsets,
                        const sim_load_options *load, const sim_limits *lim, sim_diag *diags,
                        cJSON *files)
{
    size_t ndiags = 0;
    sim_scenario *s =
        sim_scenario_load_opts(path, sets, nsets, load, diags, SIM_SCENARIO_MAX_ERRORS, &ndiags);
    char lerr[SIM_DIAG_MSG_MAX];
    if (s && sim_limits_check(s, lim, lerr, sizeof lerr) != 0) {
        /* a valid scenario past the limits is a problem of the file, reported
         * as the others are (its line names the file and the field) */
        sim_scenario_free(s);
        s = NULL;
        sim_diag_clear(&diags[0]);
        snprintf(diags[0].msg, sizeof diags[0].msg, "%s", lerr);
        ndiags = 1;
    }
    size_t shown = ndiags < SIM_SCENARIO_MAX_ERRORS ? ndiags : SIM_SCENARIO_MAX_ERRORS;
    char dur[32] = "";
    if (s)
        edge_duration_format(dur, sizeof dur, s->duration);
    int rc = s ? SIM_EXIT_OK : SIM_EXIT_USAGE;
    if (files) {
        cJSON *f = cJSON_CreateObject();
        int bad = !f || !cJSON_AddItemToArray(files, f);
        if (bad)
            cJSON_Delete(f);
        bad = bad || !cJSON_AddStringToObject(f, "file", path) ||
              !cJSON_AddBoolToObject(f, "ok", s != NULL);
        if (!bad && s)
            bad = json_summary(f, s, dur) != 0 || json_warnings(f, s) != 0;
        if (!bad && !s) {
            cJSON *problems = cJSON_AddArrayToObject(f, "problems");
            bad = !problems;
            for (size_t i = 0; i < shown && !bad; i++)
                bad = json_problem(problems, &diags[i]) != 0;
            bad = bad || !cJSON_AddNumberToObject(f, "problems_not_shown", (double)(ndiags - shown));
        }
        if (bad)
            rc = SIM_EXIT_FAIL;
    } else if (!s) {
        char line[SIM_DIAG_PATH_MAX + SIM_DIAG_MSG_MAX + 256];
        for (size_t i = 0; i < shown; i++) {
            sim_diag_format(&diags[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        if (ndiags > shown)
            fprintf(stderr, "%s: %zu more problems not shown\n", path, ndiags - shown);
    } else {
        sim_cli_warn_unplaced("validate", path, s);
        printf("ok: %s: %zu node%s in %zu region%s, %zu function%s, %zu workload%s, %zu fault%s, "
               "duration %s\n",
               s->name, s->nnodes, s->nnodes == 1 ? "" : "s", s->nregions,
               s->nregions == 1 ? "" : "s", s->nfunctions, s->nfunctions == 1 ? "" : "s",
               s->nworkloads, s->nworkloads == 1 ? "" : "s", s->nfaults,
               s->nfaults == 1 ? "" : "s", dur);
    }
    sim_scenario_free(s);
    return rc;
}

int sim_cmd_validate(int argc, char **argv)
{
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    sim_diag *diags = calloc(SIM_SCENARIO_MAX_ERRORS, sizeof *diags);
    size_t nsets = 0, npaths = 0;
    int rc = SIM_EXIT_USAGE, json = 0, list = 0;
    sim_limits lim = sim_limits_default();
    sim_load_options load = {0};
    cJSON *doc = NULL;
    if (!sets || !paths || !diags) {
        rc = SIM_EXIT_FAIL;
        fprintf(stderr, "edgesim validate: out of memory\n");
        goto out;
    }
    sim_opts p;
    sim_opts_init(&p, &sim_validate_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: rc = SIM_EXIT_OK; goto out;
        case SIM_OPTS_ERROR: goto out;
        case OPT_SET: sets[nsets++] = p.arg; break;
        case OPT_JSON: json = 1; break;
        case OPT_LIST_PATHS: list = 1; break;
        case OPT_ALLOW_PLUGINS: load.allow_plugins = 1; break;
        case OPT_SANDBOX_PATHS: load.sandbox_paths = 1; break;
        case OPT_MAX_EVENTS:
        case OPT_MAX_MEMORY:
        case OPT_MAX_OUTPUT:
            if (sim_cli_limit_option(&sim_validate_cmd, id - OPT_MAX_EVENTS, p.arg, &lim) != 0)
                goto out;
            break;
        case SIM_OPTS_OPERAND: paths[npaths++] = p.arg; break;
        }
    }
    if (!npaths) {
        sim_cmd_fail(&sim_validate_cmd, "expected one or more SCENARIO files (see 'edgesim "
                                        "validate --help')");
        goto out;
    }
    if (list) {
        if (json || nsets) {
            sim_cmd_fail(&sim_validate_cmd, "--list-paths lists a file's paths as they are: "
                                            "expected neither --json nor --set with it");
            goto out;
        }
        rc = SIM_EXIT_OK;
        for (size_t i = 0; i < npaths; i++) {
            char err[512];
            cJSON *j = sim_cli_load_json(paths[i], SIM_SCENARIO_MAX_BYTES, err, sizeof err);
            if (!j) {
                fprintf(stderr, "edgesim validate: %s\n", err);
                rc = SIM_EXIT_USAGE;
                continue;
            }
            list_paths(j, "", stdout);
            cJSON_Delete(j);
        }
        goto out;
    }
    cJSON *files = NULL;
    if (json && (!(doc = cJSON_CreateObject()) || !cJSON_AddFalseToObject(doc, "ok") ||
                 !(files = cJSON_AddArrayToObject(doc, "files")))) {
        rc = SIM_EXIT_FAIL;
        fprintf(stderr, "edgesim validate: out of memory\n");
        goto out;
    }
    rc = SIM_EXIT_OK;
    for (size_t i = 0; i < npaths; i++) {
        int r = validate_one(paths[i], sets, nsets, &load, &lim, diags, files);
        if (r == SIM_EXIT_FAIL) {
            fprintf(stderr, "edgesim validate: out of memory\n");
            rc = SIM_EXIT_FAIL;
            goto out;
        }
        if (r != SIM_EXIT_OK)
            rc = r;
    }
    if (doc) {
        cJSON_ReplaceItemInObject(doc, "ok", cJSON_CreateBool(rc == SIM_EXIT_OK));
        char *text = cJSON_Print(doc);
        if (!text) {
            fprintf(stderr, "edgesim validate: out of memory\n");
            rc = SIM_EXIT_FAIL;
            goto out;
        }
        printf("%s\n", text);
        cJSON_free(text);
    }
out:
    cJSON_Delete(doc);
    free(diags);
    free(paths);
    free(sets);
    return rc;
}
