/*
 * azure.c — the Azure Functions trace readers (see azure.h).
 *
 * One pass per file, one line at a time (at most SIM_AZ_MAX_LINE bytes, read with
 * common/textfile.h's bounded reader), fields split in place.
 * Functions are found by a hash of (owner, app, function) in an open-
 * addressing table; apps likewise, to split an app's memory over its
 * functions. Selection (sample_apps, then sample_functions, then top) runs
 * once everything is read, because "the top N" needs every total.
 */
#define _GNU_SOURCE
#include "input/azure.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "engine/rng.h"

#define MINUTE ((edge_time)60 * EDGE_S)

/* ---- errors ---- */

typedef struct rd {
    const char *file;
    size_t line;
    char *err;
    size_t errlen;
    int skip;
    uint64_t *skipped;
} rd;

/* A malformed value at column col: returns 1 when the row is to be skipped
 * (skip_errors), -1 when reading stops (err set). */
__attribute__((format(printf, 3, 4))) static int bad_at(rd *r, size_t col, const char *fmt, ...)
{
    if (r->skip) {
        (*r->skipped)++;
        return 1;
    }
    int k = snprintf(r->err, r->errlen, "%s:%zu:%zu: ", r->file, r->line, col);
    if (k < 0 || (size_t)k >= r->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + k, r->errlen - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory while reading the trace");
    return -1;
}

/* A short quoted rendering of a field for "found ...". */
static const char *q(const char *s, size_t n, char *buf, size_t cap)
{
    return sim_excerpt(buf, cap, s, n);
}

/* ---- lines and fields ---- */

typedef struct fields {
    char **v;     /* field starts (NUL-terminated in place) */
    size_t *col;  /* 1-based columns */
    size_t *len;
    size_t n, cap;
} fields;

static int split(fields *f, char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    f->n = 0;
    char *p = line;
    for (;;) {
        if (f->n == f->cap) {
            size_t nc = f->cap ? 2 * f->cap : 64;
            char **v = realloc(f->v, nc * sizeof *v);
            size_t *c = v ? realloc(f->col, nc * sizeof *c) : NULL;
            size_t *l = c ? realloc(f->len, nc * sizeof *l) : NULL;
            if (v)
                f->v = v;
            if (c)
                f->col = c;
            if (l)
                f->len = l;
            if (!l)
                return -1;
            f->cap = nc;
        }
        char *e = strchr(p, ',');
        f->v[f->n] = p;
        f->col[f->n] = (size_t)(p - line) + 1;
        f->len[f->n] = e ? (size_t)(e - p) : strlen(p);
        f->n++;
        if (!e)
            break;
        *e = 0;
        p = e + 1;
    }
    return 0;
}

static void fields_free(fields *f)
{
    free(f->v);
    free(f->col);
    free(f->len);
}

typedef struct lines {
    FILE *fp;
    char *buf;
    size_t cap;
} lines;

/* The next line into l->buf: 1, 0 at the end, -1 on an error (err set). */
static int next_line(lines *l, rd *r)
{
    ssize_t got = sim_line_read(l->fp, &l->buf, &l->cap, SIM_AZ_MAX_LINE);
    switch (got) {
    case SIM_LINE_EOF:
        return 0;
    case SIM_LINE_ERROR:
        snprintf(r->err, r->errlen, "%s: cannot read: %s", r->file, strerror(errno));
        return -1;
    case SIM_LINE_NOMEM:
        return oom(r->err, r->errlen);
    case SIM_LINE_BINARY:
        snprintf(r->err, r->errlen,
                 "%s:%zu:1: expected a line of text, found a NUL byte (is this a binary file?)",
                 r->file, r->line + 1);
        return -1;
    case SIM_LINE_TOO_LONG:
        snprintf(r->err, r->errlen,
                 "%s:%zu:1: expected a line of at most %u bytes, found line %zu longer than %u "
                 "bytes",
                 r->file, r->line + 1, SIM_AZ_MAX_LINE, r->line + 1, SIM_AZ_MAX_LINE);
        return -1;
    }
    r->line++;
    return 1;
}

static int open_lines(lines *l, rd *r)
{
    memset(l, 0, sizeof *l);
    char why[128];
    l->fp = sim_open_regular(r->file, why, sizeof why, NULL);
    if (!l->fp) {
        snprintf(r->err, r->errlen, "%s: cannot open: %s", r->file, why);
        return -1;
    }
    return 0;
}

static void close_lines(lines *l)
{
    if (l->fp)
        fclose(l->fp);
    free(l->buf);
}

/* A count: digits only, fits 32 bits. */
static int parse_count(const char *s, size_t n, uint32_t *out)
{
    if (n == 0 || n > 10)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A finite number (decimals and scientific notation allowed). */
static int parse_real(const char *s, size_t n, double *out)
{
    if (n == 0)
        return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + n || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A finite number >= 0 (decimals and scientific notation allowed). */
static int parse_nonneg(const char *s, size_t n, double *out)
{
    double v;
    if (parse_real(s, n, &v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* A data row must have as many fields as the header: returns 0 when it has,
 * else what bad_at returns (1: skip the row, -1: reading stops). */
static int check_width(rd *r, const fields *f, size_t width)
{
    if (f->n == width)
        return 0;
    return bad_at(r, f->col[f->n - 1], "expected %zu fields, found %zu", width, f->n);
}

static int find_col(const fields *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->v[i], name))
            return (int)i;
    return -1;
}

/* ---- hash tables ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    h ^= 0xff; /* a separator, so ("ab","c") != ("a","bc") */
    return h * 0x100000001b3ull;
}

static uint64_t key3(const char *owner, const char *app, const char *func)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(h, owner);
    h = fnv(h, app);
    return func ? fnv(h, func) : h;
}

typedef struct table {
    size_t *slot; /* index + 1; 0 = empty */
    size_t cap;   /* power of two */
} table;

static int table_grow(table *t, size_t n, uint64_t (*keyof)(void *, size_t), void *ctx)
{
    if (t->cap && n * 2 < t->cap)
        return 0;
    size_t nc = t->cap ? 2 * t->cap : 1024;
    size_t *s = calloc(nc, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i]) {
            size_t j = (size_t)keyof(ctx, t->slot[i] - 1) & (nc - 1);
            while (s[j])
                j = (j + 1) & (nc - 1);
            s[j] = t->slot[i];
        }
    free(t->slot);
    t->slot = s;
    t->cap = nc;
    return 0;
}

typedef struct app {
    char *owner, *app;
    uint64_t key;
    unsigned nfns;
    int has_memory;
    double memory_mb;
    uint64_t rank;
} app;

typedef struct state {
    sim_az_function *fns;
    size_t n, cap;
    size_t *fn_app;     /* per function: its app's index */
    uint32_t *last_day; /* per function: day + 1 of its last row (duplicates) */
    table ft;
    app *apps;
    size_t napps, acap;
    table at;
    fields f;
} state;

static uint64_t fn_keyof(void *ctx, size_t i) { return ((state *)ctx)->fns[i].key; }
static uint64_t app_keyof(void *ctx, size_t i) { return ((state *)ctx)->apps[i].key; }

static size_t fn_find(const state *s, uint64_t k, const char *o, const char *a, const char *f)
{
    if (!s->ft.cap)
        return SIZE_MAX;
    for (size_t j = (size_t)k & (s->ft.cap - 1); s->ft.slot[j]; j = (j + 1) & (s->ft.cap - 1)) {
        const sim_az_function *x = &s->fns[s->ft.slot[j] - 1];
        if (x->key == k && !strcmp(x->func, f) && !strcmp(x->app, a) && !strcmp(x->owner, o))
            return s->ft.slot[j] - 1;
    }
    return SIZE_MAX;
}

static size_t app_find(const state *s, uint64_t k, const char *o, const char *a)
{
    if (!s->at.cap)
        return SIZE_MAX;
    for (size_t j = (size_t)k & (s->at.cap - 1); s->at.slot[j]; j = (j + 1) & (s->at.cap - 1)) {
        const app *x = &s->apps[s->at.slot[j] - 1];
        if (x->key == k && !strcmp(x->app, a) && !strcmp(x->owner, o))
            return s->at.slot[j] - 1;
    }
    return SIZE_MAX;
}

static void put(table *t, uint64_t k, size_t idx)
{
    size_t j = (size_t)k & (t->cap - 1);
    while (t->slot[j])
        j = (j + 1) & (t->cap - 1);
    t->slot[j] = idx + 1;
}

/* Finds or adds function (o, a, f); SIZE_MAX out of memory. */
static size_t fn_add(state *s, const char *o, const char *a, const char *f)
{
    uint64_t k = key3(o, a, f);
    size_t i = fn_find(s, k, o, a, f);
    if (i != SIZE_MAX)
        return i;
    if (s->n == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 256;
        sim_az_function *v = realloc(s->fns, nc * sizeof *v);
        if (!v)
            return SIZE_MAX;
        s->fns = v;
        size_t *fa = realloc(s->fn_app, nc * sizeof *fa);
        if (!fa)
            return SIZE_MAX;
        s->fn_app = fa;
        uint32_t *ld = realloc(s->last_day, nc * sizeof *ld);
        if (!ld)
            return SIZE_MAX;
        s->last_day = ld;
        s->cap = nc;
    }
    if (table_grow(&s->ft, s->n + 1, fn_keyof, s))
        return SIZE_MAX;
    sim_az_function *x = &s->fns[s->n];
    memset(x, 0, sizeof *x);
    x->owner = strdup(o);
    x->app = strdup(a);
    x->func = strdup(f);
    if (!x->owner || !x->app || !x->func) {
        sim_az_function_free(x);
        return SIZE_MAX;
    }
    x->key = k;
    /* its app */
    uint64_t ak = key3(o, a, NULL);
    size_t ai = app_find(s, ak, o, a);
    if (ai == SIZE_MAX) {
        if (s->napps == s->acap) {
            size_t nc = s->acap ? 2 * s->acap : 256;
            app *v = realloc(s->apps, nc * sizeof *v);
            if (!v) {
                sim_az_function_free(x);
                return SIZE_MAX;
            }
            s->apps = v;
            s->acap = nc;
        }
        if (table_grow(&s->at, s->napps + 1, app_keyof, s)) {
            sim_az_function_free(x);
            return SIZE_MAX;
        }
        app *y = &s->apps[s->napps];
        memset(y, 0, sizeof *y);
        y->key = ak;
        y->owner = x->owner; /* borrowed from the first function */
        y->app = x->app;
        put(&s->at, ak, s->napps);
        ai = s->napps++;
    }
    s->apps[ai].nfns++;
    s->fn_app[s->n] = ai;
    s->last_day[s->n] = 0;
    put(&s->ft, k, s->n);
    return s->n++;
}

/* ---- the 2019 files ---- */

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
    if (open_lines(&l, r))
        return -1;
    int rc = -1, got;
    size_t nmin = 0;
    uint32_t lo = (uint32_t)(o->window_lo / MINUTE);
    uint32_t hi = o->window_hi > 0 ? (uint32_t)((o->window_hi + MINUTE - 1) / MINUTE) : UINT32_MAX;
    uint32_t *counts = NULL;
    char b[4 * SIM_EXCERPT_MAX + 8];
    while ((got = next_line(&l, r)) == 1) {
        char *id[3];
        size_t col2 = 0;
        if (counts && fast_row(l.buf, nmin, counts, id, &col2))
            goto add;
        if (split(&s->f, l.buf)) {
            oom(r->err, r->errlen);
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
                             f->n > i ? q(f->v[i], f->len[i], b, sizeof b) : "nothing");
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
                oom(r->err, r->errlen);
                goto done;
            }
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue; /* a blank line */
        if (f->n != 4 + nmin) {
            int k = bad_at(r, f->n > 4 + nmin ? f->col[4 + nmin] : f->col[f->n - 1] + f->len[f->n - 1],
                           "expected %zu fields (4 ids and %zu minute counts), found %zu",
                           4 + nmin, nmin, f->n);
            if (k < 0)
                goto done;
            continue;
        }
        int skip = 0;
        for (size_t i = 0; i < 3 && !skip; i++)
            if (f->len[i] == 0) {
                int k = bad_at(r, f->col[i], "expected a hash, found an empty field");
                if (k < 0)
                    goto done;
                skip = 1;
            }
        for (size_t m = 0; m < nmin && !skip; m++)
            if (parse_count(f->v[4 + m], f->len[4 + m], &counts[m])) {
                int k = bad_at(r, f->col[4 + m], "expected a count (a whole number >= 0), found %s",
                               q(f->v[4 + m], f->len[4 + m], b, sizeof b));
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
        size_t i = fn_add(s, id[0], id[1], id[2]);
        if (i == SIZE_MAX) {
            oom(r->err, r->errlen);
            goto done;
        }
        if (s->last_day[i] == day + 1) {
            int k = bad_at(r, col2, "expected one row per function, found function %s again",
                           q(id[2], strlen(id[2]), b, sizeof b));
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
                oom(r->err, r->errlen);
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
    close_lines(&l);
    return rc;
}

static const char *const pct_names[7] = {
    "percentile_Average_0",  "percentile_Average_1",  "percentile_Average_25",
    "percentile_Average_50", "percentile_Average_75", "percentile_Average_99",
    "percentile_Average_100"};

static int need_cols(rd *r, const fields *h, const char *const *names, size_t n, int *cols)
{
    for (size_t i = 0; i < n; i++)
        if ((cols[i] = find_col(h, names[i])) < 0) {
            snprintf(r->err, r->errlen, "%s:1:1: expected a header with a column named %s, found none",
                     r->file, names[i]);
            return -1;
        }
    return 0;
}

static int read_durations(state *s, rd *r)
{
    lines l;
    if (open_lines(&l, r))
        return -1;
    int rc = -1, got, id[3] = {0}, pc[7] = {0};
    size_t width = 0;
    char b[4 * SIM_EXCERPT_MAX + 8];
    static const char *const ids[3] = {"HashOwner", "HashApp", "HashFunction"};
    while ((got = next_line(&l, r)) == 1) {
        if (split(&s->f, l.buf)) {
            oom(r->err, r->errlen);
            goto done;
        }
        fields *f = &s->f;
        if (r->line == 1) {
            if (need_cols(r, f, ids, 3, id) || need_cols(r, f, pct_names, 7, pc))
                goto done;
            width = f->n;
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue;
        int w = check_width(r, f, width);
        if (w < 0)
            goto done;
        if (w > 0)
            continue;
        size_t i = fn_find(s, key3(f->v[id[0]], f->v[id[1]], f->v[id[2]]), f->v[id[0]],
                           f->v[id[1]], f->v[id[2]]);
        double v[7];
        int skip = 0;
        for (int k = 0; k < 7 && !skip; k++)
            if (parse_nonneg(f->v[pc[k]], f->len[pc[k]], &v[k])) {
                if (bad_at(r, f->col[pc[k]], "expected a duration in ms (a number >= 0), found %s",
                           q(f->v[pc[k]], f->len[pc[k]], b, sizeof b)) < 0)
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
    close_lines(&l);
    return rc;
}

static int read_memory(state *s, rd *r)
{
    lines l;
    if (open_lines(&l, r))
        return -1;
    int rc = -1, got, id[2] = {0, 0}, mem = 0, fcol = -1;
    size_t width = 0;
    char b[4 * SIM_EXCERPT_MAX + 8];
    static const char *const ids[2] = {"HashOwner", "HashApp"};
    static const char *const mname[1] = {"AverageAllocatedMb"};
    while ((got = next_line(&l, r)) == 1) {
        if (split(&s->f, l.buf)) {
            oom(r->err, r->errlen);
            goto done;
        }
        fields *f = &s->f;
        if (r->line == 1) {
            if (need_cols(r, f, ids, 2, id) || need_cols(r, f, mname, 1, &mem))
                goto done;
            fcol = find_col(f, "HashFunction");
            width = f->n;
            continue;
        }
        if (f->n == 1 && f->len[0] == 0)
            continue;
        int w = check_width(r, f, width);
        if (w < 0)
            goto done;
        if (w > 0)
            continue;
        double v;
        if (parse_nonneg(f->v[mem], f->len[mem], &v)) {
            if (bad_at(r, f->col[mem], "expected a memory size in MB (a number >= 0), found %s",
                       q(f->v[mem], f->len[mem], b, sizeof b)) < 0)
                goto done;
            continue;
        }
        const char *o = f->v[id[0]], *a = f->v[id[1]];
        if (fcol >= 0) { /* per function, already split */
            size_t i = fn_find(s, key3(o, a, f->v[fcol]), o, a, f->v[fcol]);
            if (i != SIZE_MAX && !s->fns[i].has_memory && v > 0) {
                s->fns[i].has_memory = 1;
                s->fns[i].memory_mb = v;
            }
        } else {
            size_t i = app_find(s, key3(o, a, NULL), o, a);
            if (i != SIZE_MAX && !s->apps[i].has_memory && v > 0) {
                s->apps[i].has_memory = 1;
                s->apps[i].memory_mb = v;
            }
        }
    }
    rc = got < 0 ? -1 : 0;
done:
    close_lines(&l);
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
        return oom(err, errlen);
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
        return oom(err, errlen);
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
        oom(err, errlen);
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

/* ---- selection ---- */

typedef struct ranked {
    uint64_t a, b; /* sort keys: ascending a, then b */
    size_t i;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *p = x, *r = y;
    if (p->a != r->a)
        return p->a < r->a ? -1 : 1;
    if (p->b != r->b)
        return p->b < r->b ? -1 : 1;
    return (p->i > r->i) - (p->i < r->i);
}

/* Keeps the functions with keep[i] set, in their order; frees the others. */
static void compact(state *s, const unsigned char *keep)
{
    size_t j = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (keep[i]) {
            s->fns[j] = s->fns[i];
            s->fn_app[j] = s->fn_app[i];
            j++;
        } else {
            sim_az_function_free(&s->fns[i]);
        }
    }
    s->n = j;
}

static int select_fns(state *s, const sim_az_options *o)
{
    unsigned char *keep = calloc(s->n ? s->n : 1, 1);
    ranked *rk = malloc((s->n > s->napps ? s->n : s->napps) * sizeof *rk + 1);
    if (!keep || !rk) {
        free(keep);
        free(rk);
        return -1;
    }
    /* functions never invoked in the window go */
    for (size_t i = 0; i < s->n; i++)
        keep[i] = s->fns[i].total > 0;
    compact(s, keep);
    if (o->sample_apps) { /* the apps of lowest seeded rank */
        size_t m = 0;
        for (size_t i = 0; i < s->napps; i++)
            s->apps[i].rank = UINT64_MAX;
        for (size_t i = 0; i < s->n; i++) {
            app *a = &s->apps[s->fn_app[i]];
            if (a->rank == UINT64_MAX) {
                a->rank = sim_rng_key(o->seed, "trace_sample_apps", a->key);
                rk[m++] = (ranked){a->rank, a->key, s->fn_app[i]};
            }
        }
        qsort(rk, m, sizeof *rk, cmp_ranked);
        for (size_t k = 0; k < m; k++)
            s->apps[rk[k].i].rank = k < o->sample_apps ? 0 : 1;
        for (size_t i = 0; i < s->n; i++)
            keep[i] = s->apps[s->fn_app[i]].rank == 0;
        compact(s, keep);
    }
    if (o->sample_functions && o->sample_functions < s->n) {
        for (size_t i = 0; i < s->n; i++)
            rk[i] = (ranked){sim_rng_key(o->seed, "trace_sample", s->fns[i].key), s->fns[i].key, i};
        qsort(rk, s->n, sizeof *rk, cmp_ranked);
        memset(keep, 0, s->n);
        for (size_t k = 0; k < o->sample_functions; k++)
            keep[rk[k].i] = 1;
        compact(s, keep);
    }
    if (o->top && o->top < s->n) { /* most invoked first; ties by first seen */
        for (size_t i = 0; i < s->n; i++)
            rk[i] = (ranked){UINT64_MAX - s->fns[i].total, i, i};
        qsort(rk, s->n, sizeof *rk, cmp_ranked);
        memset(keep, 0, s->n);
        for (size_t k = 0; k < o->top; k++)
            keep[rk[k].i] = 1;
        compact(s, keep);
    }
    free(keep);
    free(rk);
    return 0;
}

static void state_free(state *s)
{
    for (size_t i = 0; i < s->n; i++)
        sim_az_function_free(&s->fns[i]);
    free(s->fns);
    free(s->fn_app);
    free(s->last_day);
    free(s->ft.slot);
    free(s->apps);
    free(s->at.slot);
    fields_free(&s->f);
}

/* Moves the selected functions into out, with the counts. */
static void finish(state *s, sim_az_trace *out, size_t seen)
{
    out->functions_in_file = seen;
    for (size_t i = 0; i < s->n; i++) {
        sim_az_function *x = &s->fns[i];
        if (x->nminutes) { /* give back the doubling's slack */
            sim_az_minute *m = realloc(x->minutes, x->nminutes * sizeof *m);
            if (m)
                x->minutes = m;
        }
        out->invocations += x->total;
        out->missing_durations += !x->has_durations;
        out->missing_memory += !x->has_memory;
    }
    out->fns = s->fns;
    out->n = s->n;
    s->fns = NULL;
    s->n = 0;
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
    if (select_fns(&s, o)) {
        oom(err, errlen);
        goto fail;
    }
    finish(&s, out, seen);
    state_free(&s);
    return 0;
fail:
    state_free(&s);
    sim_az_trace_free(out);
    return -1;
}

/* ---- 2021 ---- */

static int cmp_call(const void *x, const void *y)
{
    const sim_az_call *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->duration > b->duration) - (a->duration < b->duration);
}

int sim_az2021_read(const sim_az_options *o, sim_az_trace *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    state s;
    memset(&s, 0, sizeof s);
    size_t *caps = NULL, capn = 0;
    rd r = {0};
    r.err = err;
    r.errlen = errlen;
    r.skip = o->skip_errors;
    r.skipped = &out->skipped_rows;
    char b[4 * SIM_EXCERPT_MAX + 8];
    if (o->ninvocations == 0 || o->ninvocations > SIM_AZ_MAX_DAYS) {
        snprintf(err, errlen, "expected from 1 to %u invocation files, found %zu", SIM_AZ_MAX_DAYS,
                 o->ninvocations);
        return -1;
    }
    for (size_t d = 0; d < o->ninvocations; d++) {
        lines l;
        int got, col[4] = {0};
        size_t width = 0; /* the header's: a column may be anywhere in it */
        static const char *const names[4] = {"app", "func", "end_timestamp", "duration"};
        r.file = o->invocations[d];
        r.line = 0;
        if (open_lines(&l, &r))
            goto fail;
        while ((got = next_line(&l, &r)) == 1) {
            if (split(&s.f, l.buf)) {
                close_lines(&l);
                oom(err, errlen);
                goto fail;
            }
            fields *f = &s.f;
            if (r.line == 1) {
                if (need_cols(&r, f, names, 4, col)) {
                    close_lines(&l);
                    goto fail;
                }
                width = f->n;
                continue;
            }
            if (f->n == 1 && f->len[0] == 0)
                continue;
            out->rows++;
            int k = check_width(&r, f, width);
            if (k < 0) {
                close_lines(&l);
                goto fail;
            }
            if (k > 0)
                continue;
            double end = 0, dur = 0;
            if (f->len[col[0]] == 0 || f->len[col[1]] == 0)
                k = bad_at(&r, f->col[f->len[col[0]] ? col[1] : col[0]],
                           "expected a hash, found an empty field");
            else if (parse_real(f->v[col[2]], f->len[col[2]], &end) || fabs(end) > 9e9)
                k = bad_at(&r, f->col[col[2]], "expected an end time in seconds, found %s",
                           q(f->v[col[2]], f->len[col[2]], b, sizeof b));
            else if (parse_nonneg(f->v[col[3]], f->len[col[3]], &dur) || dur > 9e9)
                k = bad_at(&r, f->col[col[3]],
                           "expected a duration in seconds (a number >= 0), found %s",
                           q(f->v[col[3]], f->len[col[3]], b, sizeof b));
            if (k < 0) {
                close_lines(&l);
                goto fail;
            }
            if (k > 0)
                continue;
            edge_time e = (edge_time)llround(end * 1e9), du = (edge_time)llround(dur * 1e9);
            edge_time st = e - du < 0 ? 0 : e - du; /* rounding in the trace: never before 0 */
            size_t i = fn_add(&s, "", f->v[col[0]], f->v[col[1]]);
            if (i == SIZE_MAX) {
                close_lines(&l);
                oom(err, errlen);
                goto fail;
            }
            if (st < o->window_lo || (o->window_hi > 0 && st >= o->window_hi))
                continue;
            if (i >= capn) {
                size_t nc = s.cap;
                size_t *c2 = realloc(caps, nc * sizeof *c2);
                if (!c2) {
                    close_lines(&l);
                    oom(err, errlen);
                    goto fail;
                }
                memset(c2 + capn, 0, (nc - capn) * sizeof *c2);
                caps = c2;
                capn = nc;
            }
            sim_az_function *x = &s.fns[i];
            if (x->ncalls == caps[i]) {
                size_t nc = caps[i] ? 2 * caps[i] : 8;
                sim_az_call *v = realloc(x->calls, nc * sizeof *v);
                if (!v) {
                    close_lines(&l);
                    oom(err, errlen);
                    goto fail;
                }
                x->calls = v;
                caps[i] = nc;
            }
            x->calls[x->ncalls++] = (sim_az_call){st - o->window_lo, du};
            x->total++;
        }
        close_lines(&l);
        if (got < 0)
            goto fail;
    }
    for (size_t i = 0; i < s.n; i++) {
        if (s.fns[i].ncalls > 1) /* a function whose calls all fell outside the window has none */
            qsort(s.fns[i].calls, s.fns[i].ncalls, sizeof *s.fns[i].calls, cmp_call);
        s.fns[i].has_durations = 1; /* each call has its own */
    }
    size_t seen = s.n;
    if (select_fns(&s, o)) {
        oom(err, errlen);
        goto fail;
    }
    finish(&s, out, seen);
    state_free(&s);
    free(caps);
    return 0;
fail:
    free(caps);
    state_free(&s);
    sim_az_trace_free(out);
    return -1;
}

void sim_az_function_free(sim_az_function *f)
{
    if (!f)
        return;
    free(f->owner);
    free(f->app);
    free(f->func);
    free(f->minutes);
    free(f->calls);
    memset(f, 0, sizeof *f);
}

void sim_az_trace_free(sim_az_trace *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        sim_az_function_free(&t->fns[i]);
    free(t->fns);
    memset(t, 0, sizeof *t);
}
