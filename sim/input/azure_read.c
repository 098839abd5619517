/*
 * azure_read.c — what the Azure trace readers share (azure_read.h): lines
 * read with common/textfile.h's bounded reader (at most SIM_AZ_MAX_LINE
 * bytes) and split into fields in place; functions found by a hash of
 * (owner, app, function) in an open-addressing table, apps likewise (to
 * split an app's memory over its functions); selection (sample_apps, then
 * sample_functions, then top), which runs once everything is read because
 * "the top N" needs every total.
 */
#define _GNU_SOURCE
#include "input/azure_read.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "engine/rng.h"

/* ---- errors ---- */


/* A malformed value at column col: returns 1 when the row is to be skipped
 * (skip_errors), -1 when reading stops (err set). */
__attribute__((format(printf, 3, 4))) int az_bad_at(rd *r, size_t col, const char *fmt, ...)
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

int az_oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory while reading the trace");
    return -1;
}

/* A short quoted rendering of a field for "found ...". */
const char *az_q(const char *s, size_t n, char *buf, size_t cap)
{
    return sim_excerpt(buf, cap, s, n);
}

/* ---- lines and fields ---- */


int az_split(fields *f, char *line)
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


/* The next line into l->buf: 1, 0 at the end, -1 on an error (err set). */
int az_next_line(lines *l, rd *r)
{
    ssize_t got = sim_line_read(l->fp, &l->buf, &l->cap, SIM_AZ_MAX_LINE);
    switch (got) {
    case SIM_LINE_EOF:
        return 0;
    case SIM_LINE_ERROR:
        snprintf(r->err, r->errlen, "%s: cannot read: %s", r->file, strerror(errno));
        return -1;
    case SIM_LINE_NOMEM:
        return az_oom(r->err, r->errlen);
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

int az_open_lines(lines *l, rd *r)
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

void az_close_lines(lines *l)
{
    if (l->fp)
        fclose(l->fp);
    free(l->buf);
}

/* A count: digits only, fits 32 bits. */
int az_parse_count(const char *s, size_t n, uint32_t *out)
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
int az_parse_real(const char *s, size_t n, double *out)
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
int az_parse_nonneg(const char *s, size_t n, double *out)
{
    double v;
    if (az_parse_real(s, n, &v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* A data row must have as many fields as the header: returns 0 when it has,
 * else what bad_at returns (1: skip the row, -1: reading stops). */
int az_check_width(rd *r, const fields *f, size_t width)
{
    if (f->n == width)
        return 0;
    return az_bad_at(r, f->col[f->n - 1], "expected %zu fields, found %zu", width, f->n);
}

int az_find_col(const fields *h, const char *name)
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

uint64_t az_key3(const char *owner, const char *app_id, const char *func)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(h, owner);
    h = fnv(h, app_id);
    return func ? fnv(h, func) : h;
}


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



static uint64_t fn_keyof(void *ctx, size_t i) { return ((state *)ctx)->fns[i].key; }
static uint64_t app_keyof(void *ctx, size_t i) { return ((state *)ctx)->apps[i].key; }

size_t az_fn_find(const state *s, uint64_t k, const char *o, const char *a, const char *f)
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

size_t az_app_find(const state *s, uint64_t k, const char *o, const char *a)
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
size_t az_fn_add(state *s, const char *o, const char *a, const char *f)
{
    uint64_t k = az_key3(o, a, f);
    size_t i = az_fn_find(s, k, o, a, f);
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
    uint64_t ak = az_key3(o, a, NULL);
    size_t ai = az_app_find(s, ak, o, a);
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

int az_need_cols(rd *r, const fields *h, const char *const *names, size_t n, int *cols)
{
    for (size_t i = 0; i < n; i++)
        if ((cols[i] = az_find_col(h, names[i])) < 0) {
            snprintf(r->err, r->errlen, "%s:1:1: expected a header with a column named %s, found none",
                     r->file, names[i]);
            return -1;
        }
    return 0;
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

int az_select_fns(state *s, const sim_az_options *o)
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

void az_state_free(state *s)
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
void az_finish(state *s, sim_az_trace *out, size_t seen)
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
