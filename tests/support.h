/* Helpers shared by the unit tests that run whole scenarios (test_world.c,
 * test_queueing.c, test_cache_world.c, test_keepalive_world.c): parse an
 * inline scenario, run it into a fresh temporary folder, read its outputs
 * back, and pick numbers out of summary.json by dotted path and out of
 * nodes.csv by node and column.
 *
 * Each test binary is built from one tests/test_*.c, so the helpers are
 * static inline (an unused one raises no warning) and share the one output
 * folder below. Every helper fails the running test (cr_assert) rather than
 * return an error. */
#ifndef EDGESIM_TESTS_SUPPORT_H
#define EDGESIM_TESTS_SUPPORT_H

#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "model/world.h"

/* The output folder of the last run_into_tmp ("" when there is none). Tests
 * may point it elsewhere for a while to slurp another run's outputs. */
static char dir[64];

/* Removes dir and everything in it, if set, and forgets it. Meant as a
 * test's .fini, so a failed test leaves nothing in /tmp. */
static inline void cleanup(void)
{
    if (!dir[0])
        return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
    dir[0] = '\0';
}

/* The whole of dir/NAME, NUL-terminated; the caller frees it. Fails the test
 * when the file is missing. */
static inline char *slurp(const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s exists", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    return b;
}

/* Builds and runs the world of SC with OPT to the end; fails the test with
 * the world's error. */
static inline void run_world(const sim_scenario *sc, const sim_world_options *opt)
{
    char err[512] = "";
    sim_world *w = sim_world_create(sc, opt, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    sim_run_stats st;
    cr_assert_eq(sim_world_run(w, &st, err, sizeof err), 0, "%s", err);
    sim_world_free(w);
}

/* Parses TEXT (an inline scenario, named "inline.json" in diagnostics) with
 * the NSETS --set overrides SETS and runs it to the end, writing its outputs
 * into the existing folder OUTDIR (invocations.csv too when
 * WRITE_INVOCATIONS). Fails the test with the first diagnostic when the
 * scenario is rejected, or with the world's error. */
static inline void run_scenario_in(const char *text, const char *const *sets, size_t nsets,
                                   const char *outdir, int write_invocations)
{
    sim_diag diags[8];
    size_t nd = 0;
    sim_scenario *sc =
        sim_scenario_parse(text, strlen(text), "inline.json", sets, nsets, diags, 8, &nd);
    if (!sc) {
        char line[512];
        sim_diag_format(&diags[0], line, sizeof line);
        cr_assert_fail("scenario rejected: %s", line);
    }
    sim_world_options opt = {.outdir = outdir, .write_invocations = write_invocations};
    run_world(sc, &opt);
    sim_scenario_free(sc);
}

/* Removes the previous run's folder, makes a new one from the mkdtemp
 * TMPL (e.g. "/tmp/edgesim-world-XXXXXX": the prefix tells which test
 * left a folder behind) into dir, runs TEXT there as run_scenario_in does,
 * and returns summary.json parsed; the caller frees it with cJSON_Delete.
 * The folder stays until the next run or cleanup(). */
static inline cJSON *run_into_tmp(const char *tmpl, const char *text, const char *const *sets,
                                  size_t nsets, int write_invocations)
{
    cleanup();
    snprintf(dir, sizeof dir, "%s", tmpl);
    cr_assert_not_null(mkdtemp(dir));
    run_scenario_in(text, sets, nsets, dir, write_invocations);
    char *s = slurp("summary.json");
    cJSON *j = cJSON_Parse(s);
    free(s);
    cr_assert_not_null(j);
    return j;
}

/* The item of J at the dotted PATH ("health.detection_latency_s.mean");
 * fails the test when there is none. */
static inline const cJSON *at(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *o = j;
    for (char *tok = strtok(buf, "."); tok && o; tok = strtok(NULL, "."))
        o = cJSON_GetObjectItemCaseSensitive(o, tok);
    cr_assert_not_null(o, "%s exists", path);
    return o;
}

/* The number at the dotted PATH of J; fails the test when it is missing or
 * not a number. */
static inline double get(const cJSON *j, const char *path)
{
    const cJSON *o = at(j, path);
    cr_assert(cJSON_IsNumber(o), "%s is a number", path);
    return o->valuedouble;
}

/* The instance books of summary.json's SCOPE ("instances",
 * "functions.f.instances"): every instance counted as gone was counted as
 * made, some ran, and the mean count is at least the busy count. Returns
 * made - gone (alive at the end, as far as the warm-up lets it tell). */
static inline double expect_instances_balance(const cJSON *j, const char *scope)
{
    char p[128];
    snprintf(p, sizeof p, "%s.created", scope);
    double made = get(j, p);
    snprintf(p, sizeof p, "%s.removed", scope);
    double gone = get(j, p);
    snprintf(p, sizeof p, "%s.mean", scope);
    double mean = get(j, p);
    snprintf(p, sizeof p, "%s.busy_mean", scope);
    double busy = get(j, p);
    cr_expect_geq(made, gone, "%s: %g instances made, %g gone", scope, made, gone);
    cr_expect_gt(busy, 0, "%s: instances ran", scope);
    cr_expect_geq(mean, busy, "%s: mean %g instances, %g busy", scope, mean, busy);
    return made - gone;
}

/* The number in nodes.csv of the last run (dir) at NODE's row and COLUMN
 * (per-node figures live there, not in summary.json); fails the test when
 * the row, the column or the number is missing. */
static inline double node_get(const char *node, const char *column)
{
    char *csv = slurp("nodes.csv");
    char *line = strtok(csv, "\n");
    cr_assert_not_null(line, "nodes.csv has a header");
    int col = -1, k = 0;
    for (char *c = line, *e; c; c = e ? e + 1 : NULL, k++) {
        e = strchr(c, ',');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == strlen(column) && !strncmp(c, column, n))
            col = k;
    }
    cr_assert_geq(col, 0, "nodes.csv has a column %s", column);
    double v = 0;
    int found = 0;
    size_t idlen = strlen(node);
    for (line = strtok(NULL, "\n"); line && !found; line = strtok(NULL, "\n")) {
        if (strncmp(line, node, idlen) || line[idlen] != ',')
            continue;
        const char *c = line;
        for (k = 0; k < col && c; k++) {
            c = strchr(c, ',');
            c = c ? c + 1 : NULL;
        }
        cr_assert(c && *c && *c != ',', "nodes.csv: %s has a number in %s", node, column);
        char *end;
        v = strtod(c, &end);
        cr_assert(end != c && (*end == ',' || *end == '\0'), "nodes.csv: %s %s is a number",
                  node, column);
        found = 1;
    }
    free(csv);
    cr_assert(found, "nodes.csv has a row for %s", node);
    return v;
}

#endif
