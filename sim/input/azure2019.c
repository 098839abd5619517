/*
 * azure2019.c — the Azure Functions 2019 trace ("Serverless in the Wild";
 * azure.h, docs/traces.md): per day an invocations file (counts per minute),
 * a durations file and a memory file, each read once, row by row; by_app
 * merges an app's functions into one.
 */
#define _GNU_SOURCE
#include "input/azure_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"

static int add_minute(sim_az_function *x, size_t *cap, uint32_t minute, uint32_t count)
{
    if (x->nminutes == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        sim_az_minute *m = realloc(x->minutes, nc * sizeof *m);
        if (!m)
            return -1;
        x->minutes = m;
        *cap = nc;
    }
    x->minutes[x->nminutes].minute = minute;
    x->minutes[x->nminutes].count = count;
    x->nminutes++;
    x->total += count;
    return 0;
}

/*
 * The fast path for a well-formed data row of the invocations file: the ids
 * and counts in one pass, no splitting (splitting and strchr cost 5x more at
 * 66 million fields a day). Returns 1 with the three ids NUL-terminated in
 * place (their starts in id[], the third's column in *col2), or 0 leaving
 * the line untouched for the checking path, which then names the problem.
 */
static int fast_row(char *line, size_t nmin, uint32_t *counts, char *id[3], size_t *col2)
{
    char *p = line, *end[3];
    for (int i = 0; i < 4; i++) {
        char *start = p;
        while (*p && *p != ',')
            p++;
        if (*p != ',' || (i < 3 && p == start))
            return 0;
        if (i < 3) {
            id[i] = start;
            end[i] = p;
        }
        if (i == 2)
            *col2 = (size_t)(start - line) + 1;
        p++;
    }
    for (size_t m = 0; m < nmin; m++) {
        const char *st = p;
        uint64_t v = 0;
        while ((unsigned)(*p - '0') < 10u && p - st < 11)
            v = v * 10 + (uint64_t)(*p++ - '0');
        if (p == st || p - st > 10 || v > UINT32_MAX)
            return 0;
        counts[m] = (uint32_t)v;
        if (m + 1 < nmin && *p++ != ',')
            return 0;
    }
    if (*p == '\r')
        p++;
    if (*p == '\n')
        p++;
    if (*p)
        return 0;
    for (int i = 0; i < 3; i++)
        *end[i] = 0;
    return 1;
}

static int read_invocations(state *s, const sim_az_options *o, size_t day, rd *r)
{
    lines l;
    if (az_open_lines(&l, r))
        return -1;
    int rc = -1, got;
    size_t nmin = 0;
    uint32_t lo = (uint32_t)(o->window_lo / MINUTE);
    uint32_t hi = o->window_hi > 0 ? (uint32_t)((o->window_hi + MINUTE - 1) / MINUTE) : UINT32_MAX;
    uint32_t *counts = NULL;
    char b[4 * SIM_EXCERPT_MAX + 8];
    while ((got = az_next_line(&l, r)) == 1) {
        char *id[3];
        size_t col2 = 0;
        if (counts && fast_row(l.buf, nmin, counts, id, &col2))
            goto add;
        if (az_split(&s->f, l.buf)) {
            az_oom(r->err, r->errlen);
            goto done;
        }
        fields *f = &s->f;
        if (r->line == 1) { /* the header */
            static const char *const names[] = {"HashOwner", "HashApp", "HashFunction", "Trigger"};
            for (size_t i = 0; i < 4; i++)
                if (f->n <= i || strcmp(f->v[i], names[i])) {
                    snprintf(r->err, r->errlen,
                             "%s:1:%zu: expected the header HashOwner,HashApp,HashFunction,"
                             "Trigger,1,2,...,1440, found %s",
                             r->file, f->n > i ? f->col[i] : 1,
                             f->n > i ? az_q(f->v[i], f->len[i], b, sizeof b) : "nothing");
                    goto done;
                }
            nmin = f->n - 4;
            if (nmin == 0 || nmin > SIM_AZ_MAX_MINUTES) {
                snprintf(r->err, r->errlen,
                         "%s:1:%zu: expected from 1 to %u minute columns, found %zu", r->file,
                         f->col[f->n - 1], SIM_AZ_MAX_MINUTES, nmin);
                goto done;
            }
            if (!(counts = malloc(nmin * sizeof *counts))) {
                az_oom(r->err, r->errlen);
                goto done;
            }
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue; /* a blank line */
        if (f->n != 4 + nmin) {
            int k = az_bad_at(r, f->n > 4 + nmin ? f->col[4 + nmin] : f->col[f->n - 1] + f->len[f->n - 1],
                           "expected %zu fields (4 ids and %zu minute counts), found %zu",
                           4 + nmin, nmin, f->n);
            if (k < 0)
                goto done;
            continue;
        }
        int skip = 0;
        for (size_t i = 0; i < 3 && !skip; i++)
            if (f->len[i] == 0) {
                int k = az_bad_at(r, f->col[i], "expected a hash, found an empty field");
                if (k < 0)
                    goto done;
                skip = 1;
            }
        for (size_t m = 0; m < nmin && !skip; m++)
            if (az_parse_count(f->v[4 + m], f->len[4 + m], &counts[m])) {
                int k = az_bad_at(r, f->col[4 + m], "expected a count (a whole number >= 0), found %s",
                               az_q(f->v[4 + m], f->len[4 + m], b, sizeof b));
                if (k < 0)
                    goto done;
                skip = 1;
            }
        if (skip)
            continue;
        for (int k = 0; k < 3; k++)
            id[k] = f->v[k];
        col2 = f->col[2];
    add:;
        size_t i = az_fn_add(s, id[0], id[1], id[2]);
        if (i == SIZE_MAX) {
            az_oom(r->err, r->errlen);
            goto done;
        }
        if (s->last_day[i] == day + 1) {
            int k = az_bad_at(r, col2, "expected one row per function, found function %s again",
                           az_q(id[2], strlen(id[2]), b, sizeof b));
            if (k < 0)
                goto done;
            continue;
        }
        s->last_day[i] = (uint32_t)day + 1;
        sim_az_function *x = &s->fns[i];
        size_t cap = x->nminutes; /* grows by doubling from the current size */
        for (size_t m = 0; m < nmin; m++) {
            uint32_t g = (uint32_t)(day * SIM_AZ_MAX_MINUTES + m);
            if (!counts[m] || g < lo || g >= hi)
                continue;
            if (add_minute(x, &cap, g - lo, counts[m])) {
                az_oom(r->err, r->errlen);
                goto done;
            }
        }
    }
    if (got < 0)
        goto done;
    if (r->line == 0) {
        snprintf(r->err, r->errlen, "%s:1:1: expected the header HashOwner,HashApp,HashFunction,"
                                    "Trigger,1,2,...,1440, found an empty file", r->file);
        goto done;
    }
    rc = 0;
done:
    free(counts);
    az_close_lines(&l);
    return rc;
}


static const char *const pct_names[7] = {
    "percentile_Average_0",  "percentile_Average_1",  "percentile_Average_25",
    "percentile_Average_50", "percentile_Average_75", "percentile_Average_99",
    "percentile_Average_100"};

static int read_durations(state *s, rd *r)
{
    lines l;
    if (az_open_lines(&l, r))
        return -1;
    int rc = -1, got, id[3] = {0}, pc[7] = {0};
    size_t width = 0;
    char b[4 * SIM_EXCERPT_MAX + 8];
    static const char *const ids[3] = {"HashOwner", "HashApp", "HashFunction"};
    while ((got = az_next_line(&l, r)) == 1) {
        if (az_split(&s->f, l.buf)) {
            az_oom(r->err, r->errlen);
            goto done;
        }
        fields *f = &s->f;
        if (r->line == 1) {
            if (az_need_cols(r, f, ids, 3, id) || az_need_cols(r, f, pct_names, 7, pc))
                goto done;
            width = f->n;
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue;
        int w = az_check_width(r, f, width);
        if (w < 0)
            goto done;
        if (w > 0)
            continue;
        size_t i = az_fn_find(s, az_key3(f->v[id[0]], f->v[id[1]], f->v[id[2]]), f->v[id[0]],
                           f->v[id[1]], f->v[id[2]]);
        double v[7];
        int skip = 0;
        for (int k = 0; k < 7 && !skip; k++)
            if (az_parse_nonneg(f->v[pc[k]], f->len[pc[k]], &v[k])) {
                if (az_bad_at(r, f->col[pc[k]], "expected a duration in ms (a number >= 0), found %s",
                           az_q(f->v[pc[k]], f->len[pc[k]], b, sizeof b)) < 0)
                    goto done;
                skip = 1;
            }
        if (skip || i == SIZE_MAX || s->fns[i].has_durations)
            continue; /* not replayed, or an earlier day's row stands */
        sim_az_function *x = &s->fns[i];
        x->has_durations = 1;
        for (int k = 0; k < 7; k++) /* averages of averages can dip: keep them monotone */
            x->dur_ms[k] = k > 0 && v[k] < x->dur_ms[k - 1] ? x->dur_ms[k - 1] : v[k];
    }
    rc = got < 0 ? -1 : 0;
done:
    az_close_lines(&l);
    return rc;
}

static int read_memory(state *s, rd *r)
{
    lines l;
    if (az_open_lines(&l, r))
        return -1;
    int rc = -1, got, id[2] = {0, 0}, mem = 0, fcol = -1;
    size_t width = 0;
    char b[4 * SIM_EXCERPT_MAX + 8];
    static const char *const ids[2] = {"HashOwner", "HashApp"};
    static const char *const mname[1] = {"AverageAllocatedMb"};
    while ((got = az_next_line(&l, r)) == 1) {
        if (az_split(&s->f, l.buf)) {
            az_oom(r->err, r->errlen);
            goto done;
        }
        fields *f = &s->f;
        if (r->line == 1) {
            if (az_need_cols(r, f, ids, 2, id) || az_need_cols(r, f, mname, 1, &mem))
                goto done;
            fcol = az_find_col(f, "HashFunction");
            width = f->n;
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue;
        int w = az_check_width(r, f, width);
        if (w < 0)
            goto done;
        if (w > 0)
            continue;
        double v;
        if (az_parse_nonneg(f->v[mem], f->len[mem], &v)) {
            if (az_bad_at(r, f->col[mem], "expected a memory size in MB (a number >= 0), found %s",
                       az_q(f->v[mem], f->len[mem], b, sizeof b)) < 0)
                goto done;
            continue;
        }
        const char *o = f->v[id[0]], *a = f->v[id[1]];
        if (fcol >= 0) { /* per function, already split */
            size_t i = az_fn_find(s, az_key3(o, a, f->v[fcol]), o, a, f->v[fcol]);
            if (i != SIZE_MAX && !s->fns[i].has_memory && v > 0) {
                s->fns[i].has_memory = 1;
                s->fns[i].memory_mb = v;
            }
        } else {
            size_t i = az_app_find(s, az_key3(o, a, NULL), o, a);
            if (i != SIZE_MAX && !s->apps[i].has_memory && v > 0) {
                s->apps[i].has_memory = 1;
                s->apps[i].memory_mb = v;
            }
        }
    }
    rc = got < 0 ? -1 : 0;
done:
    az_close_lines(&l);
    return rc;
}

/* ---- one function per app (by_app) ---- */

static int cmp_minute(const void *x, const void *y)
{
    const sim_az_minute *a = x, *b = y;
    return (a->minute > b->minute) - (a->minute < b->minute);
}

/* Merges the functions of app ai into g (docs/traces.md, "unit"). Returns 0,
 * or -1 with err set (out of memory, or a minute of more than 2^32 - 1
 * invocations). */
static int merge_app(state *s, size_t ai, sim_az_function *g, char *err, size_t errlen)
{
    app *a = &s->apps[ai];
    size_t nmin = 0, best = SIZE_MAX;
    double mem = 0;
    int has_mem = 0;
    for (size_t i = 0; i < s->n; i++) {
        const sim_az_function *x = &s->fns[i];
        if (s->fn_app[i] != ai)
            continue;
        nmin += x->nminutes;
        if (x->has_durations && (best == SIZE_MAX || x->total > s->fns[best].total))
            best = i;
        if (x->has_memory) { /* the per-function form: its rows add up to the app's */
            mem += x->memory_mb;
            has_mem = 1;
        }
    }
    memset(g, 0, sizeof *g);
    g->owner = strdup(a->owner);
    g->app = strdup(a->app);
    g->func = strdup(a->app);
    if (!g->owner || !g->app || !g->func)
        return az_oom(err, errlen);
    g->key = a->key;
    g->has_memory = a->has_memory || has_mem;
    g->memory_mb = a->has_memory ? a->memory_mb : mem;
    if (best != SIZE_MAX) {
        g->has_durations = 1;
        memcpy(g->dur_ms, s->fns[best].dur_ms, sizeof g->dur_ms);
    }
    if (nmin == 0)
        return 0;
    if (!(g->minutes = malloc(nmin * sizeof *g->minutes)))
        return az_oom(err, errlen);
    for (size_t i = 0; i < s->n; i++)
        if (s->fn_app[i] == ai && s->fns[i].nminutes) {
            memcpy(g->minutes + g->nminutes, s->fns[i].minutes,
                   s->fns[i].nminutes * sizeof *g->minutes);
            g->nminutes += s->fns[i].nminutes;
        }
    qsort(g->minutes, nmin, sizeof *g->minutes, cmp_minute);
    size_t k = 0;
    for (size_t j = 0; j < nmin; j++) {
        if (k > 0 && g->minutes[k - 1].minute == g->minutes[j].minute) {
            uint64_t sum = (uint64_t)g->minutes[k - 1].count + g->minutes[j].count;
            if (sum > UINT32_MAX) {
                snprintf(err, errlen, "expected at most %u invocations of app %.40s in a minute, "
                         "found more", UINT32_MAX, a->app);
                return -1;
            }
            g->minutes[k - 1].count = (uint32_t)sum;
        } else {
            g->minutes[k++] = g->minutes[j];
        }
        g->total += g->minutes[j].count;
    }
    g->nminutes = k;
    return 0;
}

/* Replaces the functions by one per app, in the apps' first-seen order. One
 * pass over the functions per app would be O(functions x apps): the
 * functions are first sorted by app (a stable counting sort). */
static int group_apps(state *s, char *err, size_t errlen)
{
    sim_az_function *g = calloc(s->napps ? s->napps : 1, sizeof *g);
    size_t *start = calloc(s->napps + 1, sizeof *start);
    sim_az_function *sorted = malloc((s->n ? s->n : 1) * sizeof *sorted);
    size_t *sorted_app = malloc((s->n ? s->n : 1) * sizeof *sorted_app);
    int rc = -1;
    if (!g || !start || !sorted || !sorted_app) {
        az_oom(err, errlen);
        goto done;
    }
    for (size_t i = 0; i < s->n; i++)
        start[s->fn_app[i] + 1]++;
    for (size_t a = 0; a < s->napps; a++)
        start[a + 1] += start[a];
    for (size_t i = 0; i < s->n; i++) {
        size_t at = start[s->fn_app[i]]++;
        sorted[at] = s->fns[i];
        sorted_app[at] = s->fn_app[i];
    }
    /* start[a] is now the end of app a's run, and start[a - 1] its beginning */
    state view = *s;
    size_t lo = 0;
    for (size_t a = 0; a < s->napps; a++) {
        view.fns = sorted + lo;
        view.fn_app = sorted_app + lo;
        view.n = start[a] - lo;
        if (merge_app(&view, a, &g[a], err, errlen)) {
            for (size_t k = 0; k <= a; k++)
                sim_az_function_free(&g[k]);
            goto done;
        }
        lo = start[a];
    }
    for (size_t i = 0; i < s->n; i++)
        sim_az_function_free(&s->fns[i]);
    free(s->fns);
    s->fns = g;
    g = NULL;
    s->n = s->napps;
    s->cap = s->napps;
    for (size_t a = 0; a < s->napps; a++) {
        s->fn_app[a] = a;
        s->apps[a].owner = s->fns[a].owner; /* the borrowed strings were freed */
        s->apps[a].app = s->fns[a].app;
        s->apps[a].nfns = 1;
    }
    free(s->ft.slot); /* the function table indexed the old functions */
    memset(&s->ft, 0, sizeof s->ft);
    rc = 0;
done:
    free(g);
    free(start);
    free(sorted);
    free(sorted_app);
    return rc;
}


int sim_az2019_read(const sim_az_options *o, sim_az_trace *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    state s;
    memset(&s, 0, sizeof s);
    rd r = {0};
    r.err = err;
    r.errlen = errlen;
    r.skip = o->skip_errors;
    r.skipped = &out->skipped_rows;
    if (o->ninvocations == 0 || o->ninvocations > SIM_AZ_MAX_DAYS) {
        snprintf(err, errlen, "expected from 1 to %u invocation files, found %zu", SIM_AZ_MAX_DAYS,
                 o->ninvocations);
        return -1;
    }
    for (size_t d = 0; d < o->ninvocations; d++) {
        r.file = o->invocations[d];
        r.line = 0;
        if (read_invocations(&s, o, d, &r))
            goto fail;
        out->rows += r.line > 0 ? r.line - 1 : 0;
    }
    for (size_t d = 0; d < o->ndurations; d++) {
        r.file = o->durations[d];
        r.line = 0;
        if (read_durations(&s, &r))
            goto fail;
        out->rows += r.line > 0 ? r.line - 1 : 0;
    }
    for (size_t d = 0; d < o->nmemory; d++) {
        r.file = o->memory[d];
        r.line = 0;
        if (read_memory(&s, &r))
            goto fail;
        out->rows += r.line > 0 ? r.line - 1 : 0;
    }
    if (o->by_app && group_apps(&s, err, errlen))
        goto fail;
    /* an app's memory split evenly over the functions it has in the files */
    for (size_t i = 0; i < s.n && !o->by_app; i++) {
        const app *a = &s.apps[s.fn_app[i]];
        if (!s.fns[i].has_memory && a->has_memory) {
            s.fns[i].has_memory = 1;
            s.fns[i].memory_mb = a->memory_mb / a->nfns;
        }
    }
    size_t seen = s.n;
    if (az_select_fns(&s, o)) {
        az_oom(err, errlen);
        goto fail;
    }
    az_finish(&s, out, seen);
    az_state_free(&s);
    return 0;
fail:
    az_state_free(&s);
    sim_az_trace_free(out);
    return -1;
}
