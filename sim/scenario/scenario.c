/*
 * scenario.c — the scenario reader: JSON text to a validated sim_scenario.
 *
 * The work is one pass per section over the cJSON tree, in an order that lets
 * later sections refer to earlier ones: regions, nodes, functions, network,
 * faults, deployments, workloads, policies. A failed check adds one sim_diag
 * and the pass goes on with the next field, so `edgesim validate` lists every
 * problem, not the first; at the end the diagnostics are sorted by position
 * so they read top to bottom like the file.
 *
 * Ids are resolved through open-addressing hash tables (FNV-1a, linear
 * probing, load at most 1/2), so a scenario with 10,000 nodes and 1,000
 * functions loads in milliseconds: the cost is dominated by cJSON itself.
 * Groups (an entry with "count") are validated once, as a template, and then
 * expanded: a mistake in a 10,000-node group is reported once.
 *
 * Positions (line and column of each value) come from a position map built
 * beside the cJSON tree; values placed by --set have none and are reported
 * under the file name "--set". Two small adapters stand in for modules of
 * other branches and are the only code to change when those land: the
 * position map (to become core/json's); distributions are sim/dist's.
 */
#include "scenario/scenario.h"

#include "engine/dist.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "input/plugin.h"
#include "node.h"
#include "scheduler.h"

#define SIM_ID_MAX 128            /* ids appear in CSV outputs and lines of text */
#define SIM_CAPS_MAX 64           /* capabilities per node or function */
#define SIM_CORES_MAX 4096
#define SIM_QUEUE_MAX 10000000    /* a queue longer than this is a modelling mistake */
#define SIM_RETRIES_MAX 15 /* an invocation remembers the nodes it tried: 16 attempts (world_internal.h) */
#define SIM_BURST_MAX 100000000u  /* one burst event per invocation: keep it finite */
#define SIM_TIMES_MAX 50000000u   /* times of one workload (list or CSV): 400 MB */
#define SIM_SEED_MAX 9007199254740991.0 /* 2^53 - 1: every JSON number up to it is exact */

/* ------------------------------------------------------------------------ */
/* Id tables                                                                  */

typedef struct idmap {
    const char **keys; /* borrowed from the scenario's strings */
    size_t *vals;
    size_t cap, n;     /* cap is 0 or a power of two */
} idmap;

struct sim__scenario_index {
    idmap regions, nodes, functions;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t idmap_get(const idmap *m, const char *key)
{
    if (!m->cap)
        return SIM_ALL;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return SIM_ALL;
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
    }
}

/* Inserts key -> val. Returns 1 when inserted, 0 when the key was there
 * (*old gets its value), -1 when out of memory. */
static int idmap_put(idmap *m, const char *key, size_t val, size_t *old)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 64;
        const char **nk = calloc(ncap, sizeof *nk);
        size_t *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = hash_str(m->keys[i]) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = m->keys[i];
            nv[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1)) {
        if (!strcmp(m->keys[i], key)) {
            if (old)
                *old = m->vals[i];
            return 0;
        }
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 1;
}

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------------ */
/* Rendering what was found                                                   */

typedef struct strbuf {
    char s[160];
} strbuf;

static void fmt_number(char *buf, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "NaN" : v > 0 ? "1e999" : "-1e999");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* A JSON string quoted, with at most ~60 characters of it. */
static strbuf quoted(const char *s)
{
    strbuf t;
    size_t o = 0, cap = sizeof t.s;
    t.s[o++] = '"';
    for (size_t i = 0; s[i] && o < cap - 8; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (i >= 60) {
            memcpy(t.s + o, "...", 3);
            o += 3;
            break;
        }
        if (ch == '"' || ch == '\\') {
            t.s[o++] = '\\';
            t.s[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)snprintf(t.s + o, cap - o, "\\u%04x", ch);
        } else {
            t.s[o++] = (char)ch;
        }
    }
    t.s[o++] = '"';
    t.s[o] = 0;
    return t;
}

/* What a value is, for "found ...": literals as written, strings quoted,
 * containers by kind; NULL is "nothing". */
static strbuf found(const cJSON *v)
{
    strbuf t;
    if (!v)
        snprintf(t.s, sizeof t.s, "nothing");
    else if (cJSON_IsNumber(v))
        fmt_number(t.s, sizeof t.s, v->valuedouble);
    else if (cJSON_IsString(v))
        return quoted(v->valuestring);
    else if (cJSON_IsTrue(v))
        snprintf(t.s, sizeof t.s, "true");
    else if (cJSON_IsFalse(v))
        snprintf(t.s, sizeof t.s, "false");
    else if (cJSON_IsNull(v))
        snprintf(t.s, sizeof t.s, "null");
    else if (cJSON_IsArray(v))
        snprintf(t.s, sizeof t.s, "%s", v->child ? "a list" : "an empty list");
    else
        snprintf(t.s, sizeof t.s, "an object");
    return t;
}

/* ------------------------------------------------------------------------ */
/* JSON text and positions (adapter: to be replaced by core/json)            */

/*
 * Until core/json (cJSON with a position map) lands, the reader parses with
 * cJSON and then walks the same text once more beside the tree, recording
 * where each value starts. Lines and columns are 1-based; columns count
 * characters (UTF-8 continuation bytes do not advance them).
 */
typedef struct jsonpos {
    const cJSON **items; /* open addressing on the pointer */
    int *lines, *cols;
    size_t cap, n;
} jsonpos;

static size_t ptr_slot(const void *p, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 20) & (cap - 1);
}

static int jsonpos_put(jsonpos *m, const cJSON *item, int line, int col)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 256;
        const cJSON **ni = calloc(ncap, sizeof *ni);
        int *nl = malloc(ncap * sizeof *nl), *nc = malloc(ncap * sizeof *nc);
        if (!ni || !nl || !nc) {
            free(ni);
            free(nl);
            free(nc);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->items[i])
                continue;
            size_t j = ptr_slot(m->items[i], ncap);
            while (ni[j])
                j = (j + 1) & (ncap - 1);
            ni[j] = m->items[i];
            nl[j] = m->lines[i];
            nc[j] = m->cols[i];
        }
        free(m->items);
        free(m->lines);
        free(m->cols);
        m->items = ni;
        m->lines = nl;
        m->cols = nc;
        m->cap = ncap;
    }
    size_t j = ptr_slot(item, m->cap);
    while (m->items[j] && m->items[j] != item)
        j = (j + 1) & (m->cap - 1);
    if (!m->items[j])
        m->n++;
    m->items[j] = item;
    m->lines[j] = line;
    m->cols[j] = col;
    return 0;
}

static void jsonpos_get(const jsonpos *m, const cJSON *item, int *line, int *col)
{
    *line = *col = 0;
    if (!m || !m->cap)
        return;
    for (size_t j = ptr_slot(item, m->cap); m->items[j]; j = (j + 1) & (m->cap - 1))
        if (m->items[j] == item) {
            *line = m->lines[j];
            *col = m->cols[j];
            return;
        }
}

static void jsonpos_free(jsonpos *m)
{
    if (!m)
        return;
    free(m->items);
    free(m->lines);
    free(m->cols);
    memset(m, 0, sizeof *m);
}

typedef struct cursor {
    const char *p, *end;
    int line, col;
} cursor;

static void cur_adv(cursor *k)
{
    if (*k->p == '\n') {
        k->line++;
        k->col = 1;
    } else if (((unsigned char)*k->p & 0xC0) != 0x80) {
        k->col++;
    }
    k->p++;
}

static void cur_ws(cursor *k)
{
    while (k->p < k->end && (*k->p == ' ' || *k->p == '\t' || *k->p == '\n' || *k->p == '\r'))
        cur_adv(k);
}

static void cur_string(cursor *k)
{
    cur_adv(k); /* the opening quote */
    while (k->p < k->end && *k->p != '"') {
        if (*k->p == '\\' && k->p + 1 < k->end)
            cur_adv(k);
        cur_adv(k);
    }
    if (k->p < k->end)
        cur_adv(k);
}

/* Walks the value at k that cJSON parsed into item, recording positions.
 * The text is known to be valid JSON (cJSON accepted it). */
static int walk(cursor *k, const cJSON *item, jsonpos *m)
{
    cur_ws(k);
    if (k->p >= k->end)
        return 0;
    if (jsonpos_put(m, item, k->line, k->col))
        return -1;
    char ch = *k->p;
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        cur_adv(k);
        for (const cJSON *child = item->child; child; child = child->next) {
            cur_ws(k);
            if (ch == '{') {
                cur_string(k);
                cur_ws(k);
                cur_adv(k); /* ':' */
            }
            if (walk(k, child, m))
                return -1;
            cur_ws(k);
            if (k->p < k->end && *k->p == ',')
                cur_adv(k);
        }
        cur_ws(k);
        if (k->p < k->end && *k->p == close)
            cur_adv(k);
    } else if (ch == '"') {
        cur_string(k);
    } else {
        while (k->p < k->end && !strchr(",]} \t\r\n", *k->p))
            cur_adv(k);
    }
    return 0;
}

/* Line and column of byte offset `off` in text. */
static void offset_pos(const char *text, size_t off, int *line, int *col)
{
    cursor k = {text, text + off, 1, 1};
    while (k.p < k.end)
        cur_adv(&k);
    *line = k.line;
    *col = k.col;
}

/*
 * Parses text into a cJSON tree with positions in *pos. On a syntax error
 * returns NULL with *eline and *ecol at the error and *near a quote of the text
 * there; *pos is left empty. Sets *nomem when allocation failed.
 */
static cJSON *json_read(const char *text, size_t len, jsonpos *pos, int *eline, int *ecol,
                        strbuf *near, int *nomem)
{
    const char *end = NULL;
    *nomem = 0;
    memset(pos, 0, sizeof *pos);
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    size_t off;
    if (root) {
        /* cJSON stops after the first value: anything but space after it is an error */
        cursor k = {end, text + len, 0, 0};
        cur_ws(&k);
        if (k.p == k.end) {
            cursor w = {text, text + len, 1, 1};
            if (walk(&w, root, pos)) {
                jsonpos_free(pos);
                cJSON_Delete(root);
                *nomem = 1;
                return NULL;
            }
            return root;
        }
        off = (size_t)(k.p - text);
        cJSON_Delete(root);
    } else {
        const char *e = cJSON_GetErrorPtr();
        off = e && e >= text && e <= text + len ? (size_t)(e - text) : 0;
    }
    offset_pos(text, off, eline, ecol);
    if (off >= len) {
        snprintf(near->s, sizeof near->s, "the end of the text");
    } else if (text[off] == '\n' || text[off] == '\r') {
        /* cJSON often points just past the mistake: quote the line up to here */
        size_t b = off;
        while (b > 0 && off - b < 16 && text[b - 1] != '\n')
            b--;
        char frag[24];
        memcpy(frag, text + b, off - b);
        frag[off - b] = 0;
        strbuf q = quoted(frag);
        snprintf(near->s, sizeof near->s, "%.120s at the end of the line", q.s);
    } else {
        char frag[24];
        size_t n = len - off < 16 ? len - off : 16;
        memcpy(frag, text + off, n);
        frag[n] = 0;
        for (size_t i = 0; i < n; i++)
            if (frag[i] == '\n' || frag[i] == '\r') {
                frag[i] = 0;
                break;
            }
        *near = quoted(frag);
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Context and diagnostics                                                    */

typedef struct ctx {
    const char *file;       /* for diagnostics; borrowed from the caller */
    jsonpos pos;            /* the position map */
    cJSON *root;
    sim_diag *diags;
    size_t max, n;
    int oom;
    sim_scenario *s;
    idmap regions, nodes, functions;
    const cJSON **node_id_item; /* per node: the "id" item it came from */
    size_t *node_entry;         /* per node: index of its nodes[] entry */
    const cJSON **fn_id_item;
    size_t *fn_entry;
    size_t deploy_cap, workload_cap;
    size_t registered_at_start; /* cache of capable_nodes for no capabilities */
    size_t nodes_cap, functions_cap, cap_a, cap_b, cap_c, cap_d; /* of the arrays above */
    unsigned *stamp;            /* per node, for de-duplicating reference lists */
    unsigned stamp_gen;
    const cJSON **set_items;    /* every item placed by --set (no position) */
    size_t nset_items, set_cap;
} ctx;

static int is_set_item(const ctx *c, const cJSON *item)
{
    for (size_t i = 0; i < c->nset_items; i++)
        if (c->set_items[i] == item)
            return 1;
    return 0;
}

static void vdiag(ctx *c, const cJSON *at, const char *path, const char *fmt, va_list ap)
{
    c->n++;
    if (c->n > c->max)
        return;
    sim_diag *d = &c->diags[c->n - 1];
    sim_diag_clear(d);
    d->file = c->file;
    if (at && is_set_item(c, at))
        d->file = "--set";
    else if (at)
        jsonpos_get(&c->pos, at, &d->line, &d->col);
    snprintf(d->path, sizeof d->path, "%s", path ? path : "");
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
}

/* One problem at item `at` (its position; NULL for none) and JSON path `path`. */
__attribute__((format(printf, 4, 5))) static void diag(ctx *c, const cJSON *at, const char *path,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(c, at, path, fmt, ap);
    va_end(ap);
}

static void *oom(ctx *c)
{
    if (!c->oom)
        diag(c, NULL, "", "out of memory while reading the scenario");
    c->oom = 1;
    return NULL;
}

static void *xcalloc(ctx *c, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    return p ? p : oom(c);
}

static char *xstrdup(ctx *c, const char *s)
{
    char *p = strdup(s);
    return p ? p : oom(c);
}

/* Grows *arr (of elements of `size`) to hold at least `need`, zeroing new
 * space. Returns 0, or -1 out of memory (then *arr is unchanged). */
static int grow(ctx *c, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * size);
    if (!p) {
        oom(c);
        return -1;
    }
    memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* "Did you mean": optimal string alignment distance, capped                 */

static size_t osa_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SIM_ID_MAX || lb > SIM_ID_MAX)
        return 99;
    if ((la > lb ? la - lb : lb - la) > 2)
        return 99;
    size_t r0[SIM_ID_MAX + 2], r1[SIM_ID_MAX + 2], r2[SIM_ID_MAX + 2];
    size_t *pp = r0, *p = r1, *cur = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[lb];
}

/* The candidate closest to word within distance 2 (and shorter than word),
 * or NULL. Ties go to the first. */
static const char *suggest_list(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bd = 3, wl = strlen(word);
    for (size_t i = 0; cands[i]; i++) {
        size_t d = osa_distance(word, cands[i]);
        if (d < bd && d < wl) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

static const char *suggest_map(const char *word, const idmap *m)
{
    const char *best = NULL;
    size_t bd = 3, bv = SIM_ALL, wl = strlen(word);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t d = osa_distance(word, m->keys[i]);
        /* deterministic: the lowest distance, then the earliest defined */
        if (d <= 2 && d < wl && (d < bd || (d == bd && m->vals[i] < bv))) {
            bd = d;
            bv = m->vals[i];
            best = m->keys[i];
        }
    }
    return best;
}

/* " (did you mean \"x\"?)" or "" */
static strbuf did_you_mean(const char *s)
{
    strbuf t;
    if (s)
        snprintf(t.s, sizeof t.s, " (did you mean %.*s?)", 128, quoted(s).s);
    else
        t.s[0] = 0;
    return t;
}

/* ------------------------------------------------------------------------ */
/* Fields                                                                     */

static const cJSON *member(const cJSON *obj, const char *key)
{
    return obj && cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static void path_key(char *out, const char *parent, const char *key)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, parent, key, 0);
}

static void path_index(char *out, const char *parent, size_t i)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, parent, NULL, i);
}

static int in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

/* " (one of a, b, c)" for messages. */
static void join_list(char *buf, size_t n, const char *const *list)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; list[i] && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", list[i]);
}

/*
 * Checks the keys of obj: each must be in `all` (else "unknown field", with
 * a suggestion), and in `allowed` when given (else "not for this kind"),
 * and appear once.
 */
static void check_fields(ctx *c, const cJSON *obj, const char *path, const char *const *all,
                         const char *const *allowed, const char *kind)
{
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = obj->child; it; it = it->next) {
        const char *k = it->string ? it->string : "";
        path_key(p, path, k);
        if (!in_list(k, all)) {
            const char *sug = suggest_list(k, all);
            if (sug) {
                diag(c, it, p, "expected a known field, found %s%s", quoted(k).s,
                     did_you_mean(sug).s);
            } else {
                char known[400];
                join_list(known, sizeof known, all);
                diag(c, it, p, "expected a known field (%s), found %s", known, quoted(k).s);
            }
            continue;
        }
        if (allowed && !in_list(k, allowed)) {
            char known[400];
            join_list(known, sizeof known, allowed);
            diag(c, it, p, "expected only the fields of %s (%s), found %s", kind, known,
                 quoted(k).s);
            continue;
        }
        for (const cJSON *q = obj->child; q != it; q = q->next) {
            if (q->string && !strcmp(q->string, k)) {
                diag(c, it, p, "expected each field once, found %s again", quoted(k).s);
                break;
            }
        }
    }
}

/* Checks that `v` is an object; reports and returns 0 if not. */
static int want_object(ctx *c, const cJSON *v, const char *path, const char *what)
{
    if (cJSON_IsObject(v))
        return 1;
    diag(c, v, path, "expected %s (an object), found %s", what, found(v).s);
    return 0;
}

/* The optional object PARENT.KEY (its path PATH, WHAT it is for the
 * diagnostic) with the fields FIELDS: NULL when absent, or when it is not an
 * object (reported). Unknown fields are reported; the object is still
 * returned, so its known fields are checked too. */
static const cJSON *optional_object(ctx *c, const cJSON *parent, const char *key,
                                    const char *path, const char *what,
                                    const char *const *fields)
{
    const cJSON *obj = member(parent, key);
    if (!obj || !want_object(c, obj, path, what))
        return NULL;
    check_fields(c, obj, path, fields, NULL, NULL);
    return obj;
}

/* Reports a required field that is absent. */
static void missing(ctx *c, const cJSON *obj, const char *path, const char *key, const char *what)
{
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    diag(c, obj, p, "expected %s, found nothing", what);
}

/* --- durations ---------------------------------------------------------- */

enum { SIGN_ANY, SIGN_NONNEG, SIGN_POS };

/* Parses item as a duration. Returns 0 and sets *out, or -1 (reported). */
static int duration_item(ctx *c, const cJSON *v, const char *path, int sign, const char *example,
                         edge_time *out)
{
    if (!cJSON_IsString(v)) {
        diag(c, v, path, "expected a duration such as \"%s\", found %s", example, found(v).s);
        return -1;
    }
    edge_time t;
    edge_err e = edge_duration_parse(v->valuestring, &t);
    if (e == EDGE_RANGE) {
        diag(c, v, path, "expected a duration below 292 years, found %s", found(v).s);
        return -1;
    }
    if (e != EDGE_OK) {
        diag(c, v, path,
             "expected a duration such as \"%s\" (a number and a unit: ns, us, ms, s, m, h, d), "
             "found %s",
             example, found(v).s);
        return -1;
    }
    if (sign == SIGN_NONNEG && t < 0) {
        diag(c, v, path, "expected a duration of at least 0s, found %s", found(v).s);
        return -1;
    }
    if (sign == SIGN_POS && t <= 0) {
        diag(c, v, path, "expected a duration above 0s, found %s", found(v).s);
        return -1;
    }
    *out = t;
    return 0;
}

/* A duration field. Returns 1 when read, 0 when absent (and not required;
 * *out untouched), -1 on a problem (reported). */
static int duration_field(ctx *c, const cJSON *obj, const char *path, const char *key,
                          int required, int sign, const char *example, edge_time *out)
{
    const cJSON *v = member(obj, key);
    if (!v) {
        if (!required)
            return 0;
        char what[64];
        snprintf(what, sizeof what, "a duration such as \"%s\"", example);
        missing(c, obj, path, key, what);
        return -1;
    }
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    return duration_item(c, v, p, sign, example, out) ? -1 : 1;
}

/* --- numbers ------------------------------------------------------------ */

typedef struct numspec {
    double min, max;  /* inclusive, unless min_open */
    int integer;
    int min_open;     /* min itself is not allowed */
} numspec;

static const numspec NS_CORES = {1, SIM_CORES_MAX, 1, 0};
static const numspec NS_MB = {0, 1e12, 0, 1};
static const numspec NS_MB0 = {0, 1e12, 0, 0};
static const numspec NS_WATTS = {0, 1e9, 0, 0};
static const numspec NS_QUEUE = {0, SIM_QUEUE_MAX, 1, 0};
static const numspec NS_COUNT = {1, SIM_SCENARIO_MAX_NODES, 1, 0};
static const numspec NS_FIRST = {0, 1e15, 1, 0};
static const numspec NS_LAT = {-90, 90, 0, 0};
static const numspec NS_LON = {-180, 180, 0, 0};
static const numspec NS_RATE = {0, 1e9, 0, 1};
static const numspec NS_RATE0 = {0, 1e9, 0, 0};
static const numspec NS_FACTOR = {0, 1e6, 0, 1};
static const numspec NS_DEGRADE = {1, 1e6, 0, 0};
static const numspec NS_BURST = {1, SIM_BURST_MAX, 1, 0};
static const numspec NS_RETRIES = {0, SIM_RETRIES_MAX, 1, 0};
static const numspec NS_PROBE_FAILURES = {1, 1000000, 1, 0};
static const numspec NS_PERCENT = {0, 100, 0, 1};
static const numspec NS_INSTANCES = {0, 4294967295.0, 1, 0};
static const numspec NS_SEED = {0, SIM_SEED_MAX, 1, 0};

static void describe(const numspec *ns, char *buf, size_t n)
{
    char lo[32], hi[32];
    fmt_number(lo, sizeof lo, ns->min);
    fmt_number(hi, sizeof hi, ns->max);
    if (ns->integer)
        snprintf(buf, n, "a whole number from %s to %s", lo, hi);
    else if (ns->min_open)
        snprintf(buf, n, "a number above %s, at most %s", lo, hi);
    else
        snprintf(buf, n, "a number from %s to %s", lo, hi);
}

static int number_item(ctx *c, const cJSON *v, const char *path, const numspec *ns, double *out)
{
    int ok = cJSON_IsNumber(v) && isfinite(v->valuedouble);
    if (ok) {
        double x = v->valuedouble;
        ok = x <= ns->max && (ns->min_open ? x > ns->min : x >= ns->min) &&
             (!ns->integer || x == floor(x));
    }
    if (!ok) {
        char what[96];
        describe(ns, what, sizeof what);
        diag(c, v, path, "expected %s, found %s", what, found(v).s);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* A number field: 1 read, 0 absent (not required), -1 problem (reported). */
static int number_field(ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                        const numspec *ns, double *out)
{
    const cJSON *v = member(obj, key);
    if (!v) {
        if (!required)
            return 0;
        char what[96];
        describe(ns, what, sizeof what);
        missing(c, obj, path, key, what);
        return -1;
    }
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    return number_item(c, v, p, ns, out) ? -1 : 1;
}

static int u32_field(ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                     const numspec *ns, uint32_t *out)
{
    double d;
    int r = number_field(c, obj, path, key, required, ns, &d);
    if (r == 1)
        *out = (uint32_t)d;
    return r;
}

/* --- strings and ids ----------------------------------------------------- */

static int id_char(int ch)
{
    return isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':' || ch == '@';
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SIM_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!id_char((unsigned char)s[i]))
            return 0;
    return 1;
}

#define ID_RULE "letters, digits and - _ . : @, at most 128"

/* A string field: 1 read (*out borrowed from the tree), 0 absent, -1 problem. */
static int string_field(ctx *c, const cJSON *obj, const char *path, const char *key,
                        int required, const char *what, const char **out)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    if (!v) {
        if (required)
            missing(c, obj, path, key, what);
        return required ? -1 : 0;
    }
    if (!cJSON_IsString(v)) {
        diag(c, v, p, "expected %s, found %s", what, found(v).s);
        return -1;
    }
    *out = v->valuestring;
    return 1;
}

/* An id-valued item (a definition or a reference). */
static int id_item(ctx *c, const cJSON *v, const char *path, const char *what, const char **out)
{
    if (!cJSON_IsString(v) || !valid_id(v->valuestring)) {
        diag(c, v, path, "expected %s (" ID_RULE "), found %s", what, found(v).s);
        return -1;
    }
    *out = v->valuestring;
    return 0;
}

/* One of `names`: 1 read (*out the index), 0 absent, -1 problem. */
static int enum_field(ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                      const char *const *names, int *out)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX], list[400];
    path_key(p, path, key);
    join_list(list, sizeof list, names);
    if (!v) {
        if (!required)
            return 0;
        char what[440];
        snprintf(what, sizeof what, "one of %s", list);
        missing(c, obj, path, key, what);
        return -1;
    }
    if (cJSON_IsString(v))
        for (int i = 0; names[i]; i++)
            if (!strcmp(v->valuestring, names[i])) {
                *out = i;
                return 1;
            }
    diag(c, v, p, "expected one of %s, found %s%s", list, found(v).s,
         did_you_mean(cJSON_IsString(v) ? suggest_list(v->valuestring, names) : NULL).s);
    return -1;
}

/* An array field: 1 present and an array, 0 absent, -1 not an array. */
static int array_field(ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                       const char *what, const cJSON **out)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    if (!v) {
        if (required)
            missing(c, obj, path, key, what);
        return required ? -1 : 0;
    }
    if (!cJSON_IsArray(v)) {
        diag(c, v, p, "expected %s, found %s", what, found(v).s);
        return -1;
    }
    *out = v;
    return 1;
}

/* Latitude and longitude: both or neither. Returns 0 or -1 (reported). */
static int coords(ctx *c, const cJSON *obj, const char *path, int *has, double *lat, double *lon)
{
    double la = 0, lo = 0;
    int a = number_field(c, obj, path, "lat", 0, &NS_LAT, &la);
    int b = number_field(c, obj, path, "lon", 0, &NS_LON, &lo);
    if (a < 0 || b < 0)
        return -1;
    if (a != b) {
        missing(c, obj, path, a ? "lon" : "lat",
                a ? "a longitude beside \"lat\" (degrees, -180 to 180)"
                  : "a latitude beside \"lon\" (degrees, -90 to 90)");
        return -1;
    }
    *has = a;
    if (a) {
        *lat = la;
        *lon = lo;
    }
    return 0;
}

/* Capability names: an array of ids, each once. *caps is owned by the
 * caller (free with free_strings). Returns 0 or -1 (reported). */
static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int capabilities(ctx *c, const cJSON *obj, const char *path, char ***caps, size_t *ncaps)
{
    const cJSON *arr = NULL;
    *caps = NULL;
    *ncaps = 0;
    int r = array_field(c, obj, path, "capabilities", 0,
                        "a list of capability names such as [\"gpu\"]", &arr);
    if (r <= 0)
        return r;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    path_key(p, path, "capabilities");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > SIM_CAPS_MAX) {
        diag(c, arr, p, "expected at most %d capabilities, found %zu", SIM_CAPS_MAX, n);
        return -1;
    }
    char **v = xcalloc(c, n, sizeof *v);
    if (!v)
        return -1;
    int bad = 0;
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        path_index(q, p, i);
        const char *name;
        if (id_item(c, it, q, "a capability name", &name)) {
            bad = 1;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (v[j] && !strcmp(v[j], name)) {
                diag(c, it, q, "expected each capability once, found %s again", found(it).s);
                bad = 1;
            }
        if (!(v[i] = xstrdup(c, name)))
            bad = 1;
    }
    if (bad) {
        free_strings(v, n);
        return -1;
    }
    *caps = v;
    *ncaps = n;
    return 1;
}

static int caps_dup(ctx *c, char **src, size_t n, char ***out)
{
    *out = NULL;
    if (!n)
        return 0;
    char **v = xcalloc(c, n, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = xstrdup(c, src[i]))) {
            free_strings(v, n);
            return -1;
        }
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Id patterns of groups: "edge-{i}" or "edge-{i:04}"                         */

typedef struct idpat {
    const char *pre;
    size_t prelen;
    const char *post;
    int width;
} idpat;

static int parse_pattern(const char *s, idpat *p)
{
    const char *open = strchr(s, '{');
    if (!open || strchr(open + 1, '{'))
        return -1;
    const char *q = open + 1;
    if (*q++ != 'i')
        return -1;
    int width = 0;
    if (*q == ':') {
        q++;
        if (*q++ != '0' || !isdigit((unsigned char)*q))
            return -1;
        while (isdigit((unsigned char)*q) && width < 100)
            width = width * 10 + (*q++ - '0');
        if (width < 1 || width > 20)
            return -1;
    }
    if (*q++ != '}' || strchr(q, '}'))
        return -1;
    for (const char *t = s; t < open; t++)
        if (!id_char((unsigned char)*t))
            return -1;
    for (const char *t = q; *t; t++)
        if (!id_char((unsigned char)*t))
            return -1;
    p->pre = s;
    p->prelen = (size_t)(open - s);
    p->post = q;
    p->width = width;
    return 0;
}

static char *expand(ctx *c, const idpat *p, unsigned long long i)
{
    char buf[2 * SIM_ID_MAX + 32];
    int n = snprintf(buf, sizeof buf, "%.*s%0*llu%s", (int)p->prelen, p->pre, p->width, i, p->post);
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL;
    return xstrdup(c, buf);
}

/*
 * The "id", "count" and "first" of a nodes[] or functions[] entry. Sets
 * *count (1 for a single entry) and *first; for a group, *pat. Returns 0 or
 * -1 (reported).
 */
static int entry_ids(ctx *c, const cJSON *obj, const char *path, const char *what,
                     const char *example, const char **id, idpat *pat, size_t *count,
                     unsigned long long *first)
{
    double cnt = 1, fst = 1;
    int rc = number_field(c, obj, path, "count", 0, &NS_COUNT, &cnt);
    int rf = number_field(c, obj, path, "first", 0, &NS_FIRST, &fst);
    const cJSON *v = member(obj, "id");
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, "id");
    if (!v) {
        char w[160];
        snprintf(w, sizeof w, "%s such as \"%s\"", what, example);
        missing(c, obj, path, "id", w);
        return -1;
    }
    if (rc < 0 || rf < 0)
        return -1;
    if (rf == 1 && rc == 0) {
        char q[SIM_DIAG_PATH_MAX];
        path_key(q, path, "first");
        diag(c, member(obj, "first"), q, "expected \"first\" only beside \"count\", found %s",
             found(member(obj, "first")).s);
        return -1;
    }
    *count = (size_t)cnt;
    *first = (unsigned long long)fst;
    if (rc == 1) {
        if (!cJSON_IsString(v) || parse_pattern(v->valuestring, pat)) {
            diag(c, v, p, "expected an id pattern with one {i} or {i:04} such as \"%s-{i}\", found %s",
                 example, found(v).s);
            return -1;
        }
        size_t digits = (size_t)snprintf(NULL, 0, "%llu", *first + *count - 1);
        size_t len = pat->prelen + strlen(pat->post) + (digits > (size_t)pat->width ? digits : (size_t)pat->width);
        if (len > SIM_ID_MAX) {
            diag(c, v, p, "expected ids of at most %d characters, found %s", SIM_ID_MAX, found(v).s);
            return -1;
        }
        *id = v->valuestring;
        return 0;
    }
    if (cJSON_IsString(v) && strchr(v->valuestring, '{') && !valid_id(v->valuestring)) {
        diag(c, v, p, "expected %s (" ID_RULE "; a pattern needs \"count\"), found %s", what,
             found(v).s);
        return -1;
    }
    return id_item(c, v, p, what, id);
}

/* ------------------------------------------------------------------------ */
/* Regions                                                                    */

static const char *const region_fields[] = {"id", "lat", "lon", NULL};

static void read_regions(ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (array_field(c, c->root, "", "regions", 1, "a list of regions such as [{\"id\": \"eu\"}]",
                    &arr) <= 0)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0) {
        diag(c, arr, "regions", "expected at least one region, found an empty list");
        return;
    }
    if (!(s->regions = xcalloc(c, n, sizeof *s->regions)))
        return;
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        path_index(p, "regions", i);
        if (!want_object(c, it, p, "a region"))
            continue;
        check_fields(c, it, p, region_fields, NULL, NULL);
        sim_region r = {0};
        const cJSON *v = member(it, "id");
        const char *id;
        path_key(q, p, "id");
        if (!v) {
            missing(c, it, p, "id", "a region id such as \"eu-west\"");
            continue;
        }
        if (id_item(c, v, q, "a region id", &id))
            continue;
        coords(c, it, p, &r.has_coords, &r.lat, &r.lon);
        size_t old;
        int put = idmap_put(&c->regions, id, i, &old);
        if (put < 0) {
            oom(c);
            return;
        }
        if (put == 0) {
            char first[SIM_DIAG_PATH_MAX];
            path_index(first, "regions", old);
            diag(c, v, q, "expected a unique region id, found %s again (first in %s)",
                 found(v).s, first);
            continue;
        }
        if (!(r.name = xstrdup(c, id)))
            return;
        s->regions[s->nregions++] = r;
    }
    /* Rebuild the map over the owned names (the tree's strings may be freed
     * before the scenario is). */
    idmap_free(&c->regions);
    for (size_t k = 0; k < s->nregions; k++)
        if (idmap_put(&c->regions, s->regions[k].name, k, NULL) < 0) {
            oom(c);
            return;
        }
}

/* ------------------------------------------------------------------------ */
/* Paths: "functions[2].timeout" to the item (for --set and sub-parsers)     */

typedef struct seg {
    int is_index;
    size_t index;
    char key[SIM_DIAG_PATH_MAX];
} seg;

/* Reads the next segment at *p (after the first, each starts with '.' or
 * '['). Returns 1 read, 0 at the end, -1 malformed. */
static int next_seg(const char **pp, int first, seg *s)
{
    const char *p = *pp;
    if (!*p)
        return 0;
    if (*p == '[') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        size_t v = 0;
        while (isdigit((unsigned char)*p)) {
            if (v > SIM_SCENARIO_MAX_NODES)
                return -1;
            v = v * 10 + (size_t)(*p++ - '0');
        }
        if (*p++ != ']')
            return -1;
        s->is_index = 1;
        s->index = v;
        *pp = p;
        return 1;
    }
    if (!first) {
        if (*p != '.')
            return -1;
        p++;
    }
    size_t n = 0;
    while (*p && *p != '.' && *p != '[' && *p != ']') {
        if (n + 1 >= sizeof s->key)
            return -1;
        s->key[n++] = *p++;
    }
    if (n == 0 || *p == ']')
        return -1;
    s->key[n] = 0;
    s->is_index = 0;
    *pp = p;
    return 1;
}

/* The deepest item along path from root (root itself for ""). */
static const cJSON *resolve(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    seg s;
    int first = 1, r;
    while (cur && (r = next_seg(&path, first, &s)) == 1) {
        first = 0;
        const cJSON *next = s.is_index ? (cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, (int)s.index) : NULL)
                                       : member(cur, s.key);
        if (!next)
            break;
        cur = next;
    }
    return cur;
}

/* ------------------------------------------------------------------------ */
/* Distributions (adapter over sim/dist)                                      */

/* Distributions are sim/dist's: its errors carry the spec's path, which
 * report_sub turns back into a position. */
static sim_dist *dist_parse_spec(const cJSON *spec, const char *path, sim_diag *d)
{
    sim_dist *out = NULL;
    return sim_dist_parse(spec, SIM_DIST_DURATION, path, d, &out) == EDGE_OK ? out : NULL;
}

static void dist_free(sim_dist *d)
{
    sim_dist_destroy(d);
}

/* The default cold start: constant 500ms. */
static sim_dist *dist_default_cold_start(ctx *c)
{
    cJSON *spec = cJSON_CreateObject();
    sim_dist *d = NULL;
    sim_diag dg;
    if (spec && cJSON_AddStringToObject(spec, "type", "constant") &&
        cJSON_AddStringToObject(spec, "value", "500ms"))
        d = dist_parse_spec(spec, "", &dg);
    cJSON_Delete(spec);
    return d ? d : oom(c);
}

/* Reports a problem a sub-parser found, at the item its path names. */
static void report_sub(ctx *c, const sim_diag *d, const cJSON *fallback)
{
    const cJSON *at = resolve(c->root, d->path);
    diag(c, at && at != c->root ? at : fallback, d->path, "%s", d->msg);
}

/* A distribution of durations: 1 read (*out owned by the caller), 0 absent,
 * -1 problem (reported when `report`). */
static int dist_field(ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                      int report, sim_dist **out)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    if (!v) {
        if (required && report)
            missing(c, obj, path, key, "a distribution of durations such as "
                                       "{\"type\": \"exponential\", \"mean\": \"100ms\"}");
        return required ? -1 : 0;
    }
    sim_diag d;
    sim_diag_clear(&d);
    sim_dist *dist = dist_parse_spec(v, p, &d);
    if (!dist) {
        if (report)
            report_sub(c, &d, v);
        return -1;
    }
    *out = dist;
    return 1;
}

/*
 * Gives id the index idx in m (nodes or functions, `kind` names them). A
 * repeated id is reported once per group entry (*dup_seen), at the entry's
 * "id" (idv, path p), naming the entry that has it first (entry[] maps an
 * index to its entry in the "nodes"/"functions" array). Returns 1 when
 * claimed, 0 when not (repeated, or out of memory: reported too).
 */
static int claim_id(ctx *c, idmap *m, const char *id, size_t idx, const size_t *entry,
                    const char *kind, const char *p, const cJSON *idv, int *dup_seen)
{
    size_t old;
    int put = idmap_put(m, id, idx, &old);
    if (put < 0)
        oom(c);
    if (put == 0 && !*dup_seen) {
        char fp[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
        path_index(fp, !strcmp(kind, "node") ? "nodes" : "functions", entry[old]);
        path_key(q, p, "id");
        diag(c, idv, q, "expected a unique %s id, found %s again (first in %s)", kind,
             quoted(id).s, fp);
        *dup_seen = 1;
    }
    return put > 0;
}

/* ------------------------------------------------------------------------ */
/* Nodes                                                                      */

static const char *const node_fields[] = {
    "id", "count", "first", "region", "lat", "lon", "capabilities", "cores", "memory_mb",
    "disk_mb", "heartbeat_interval", "queue_limit", "idle_watts", "busy_watts", "cache_mb",
    "bandwidth_mb_per_s", NULL};

static void free_node(sim_node_spec *n)
{
    free(n->id);
    free_strings(n->caps, n->ncaps);
}

/* A region reference: the index, or SIM_ALL (reported). */
static size_t region_ref(ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const char *name;
    if (string_field(c, obj, path, key, 1, "a region id such as \"eu-west\"", &name) < 0)
        return SIM_ALL;
    size_t r = idmap_get(&c->regions, name);
    if (r == SIM_ALL) {
        char p[SIM_DIAG_PATH_MAX];
        path_key(p, path, key);
        diag(c, member(obj, key), p, "expected a region id defined in regions, found %s%s",
             quoted(name).s, did_you_mean(suggest_map(name, &c->regions)).s);
    }
    return r;
}

/* Reads a node entry (all but its ids) into t. Returns 0 or -1 (reported). */
static int node_template(ctx *c, const cJSON *obj, const char *p, sim_node_spec *t)
{
    int bad = 0;
    t->region = region_ref(c, obj, p, "region");
    bad |= t->region == SIM_ALL;
    bad |= coords(c, obj, p, &t->has_coords, &t->lat, &t->lon) < 0;
    bad |= capabilities(c, obj, p, &t->caps, &t->ncaps) < 0;
    t->cores = 4;
    t->memory_mb = 4096;
    t->disk_mb = 32768;
    t->heartbeat_interval = 10 * EDGE_S;
    t->queue_limit = 100;
    t->idle_watts = 50;
    t->busy_watts = 150;
    t->starts_registered = 1;
    t->cache_mb = 10240;
    t->bandwidth_mb_per_s = 100;
    bad |= number_field(c, obj, p, "cache_mb", 0, &NS_MB0, &t->cache_mb) < 0;
    bad |= number_field(c, obj, p, "bandwidth_mb_per_s", 0, &NS_MB, &t->bandwidth_mb_per_s) < 0;
    bad |= u32_field(c, obj, p, "cores", 0, &NS_CORES, &t->cores) < 0;
    bad |= number_field(c, obj, p, "memory_mb", 0, &NS_MB, &t->memory_mb) < 0;
    bad |= number_field(c, obj, p, "disk_mb", 0, &NS_MB0, &t->disk_mb) < 0;
    bad |= duration_field(c, obj, p, "heartbeat_interval", 0, SIGN_POS, "10s",
                          &t->heartbeat_interval) < 0;
    bad |= u32_field(c, obj, p, "queue_limit", 0, &NS_QUEUE, &t->queue_limit) < 0;
    int ri = number_field(c, obj, p, "idle_watts", 0, &NS_WATTS, &t->idle_watts);
    int rb = number_field(c, obj, p, "busy_watts", 0, &NS_WATTS, &t->busy_watts);
    bad |= ri < 0 || rb < 0;
    if (ri >= 0 && rb >= 0 && t->busy_watts < t->idle_watts) {
        char q[SIM_DIAG_PATH_MAX], w[32];
        path_key(q, p, rb ? "busy_watts" : "idle_watts");
        fmt_number(w, sizeof w, t->idle_watts);
        diag(c, rb ? member(obj, "busy_watts") : member(obj, "idle_watts"), q,
             "expected busy_watts at least idle_watts (%s), found %s", w,
             found(rb ? member(obj, "busy_watts") : member(obj, "idle_watts")).s);
        bad = 1;
    }
    return bad ? -1 : 0;
}

static void read_nodes(ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (array_field(c, c->root, "", "nodes", 1,
                    "a list of nodes such as [{\"id\": \"edge-1\", \"region\": \"eu\"}]", &arr) <= 0)
        return;
    if (!arr->child) {
        diag(c, arr, "nodes", "expected at least one node, found an empty list");
        return;
    }
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        path_index(p, "nodes", e);
        if (!want_object(c, it, p, "a node"))
            continue;
        check_fields(c, it, p, node_fields, NULL, NULL);
        const char *id = NULL;
        idpat pat;
        size_t count = 1;
        unsigned long long first = 1;
        /* An entry with bad fields but good ids is still added, so that
         * references to it do not cause a cascade of follow-up errors
         * (the scenario is not returned anyway). */
        int bad = entry_ids(c, it, p, "a node id", "edge", &id, &pat, &count, &first) < 0;
        sim_node_spec t = {0};
        node_template(c, it, p, &t);
        if (!bad && s->nnodes + count > SIM_SCENARIO_MAX_NODES) {
            char q[SIM_DIAG_PATH_MAX];
            path_key(q, p, "count");
            diag(c, member(it, "count") ? member(it, "count") : it, q,
                 "expected at most %d nodes in all, found %zu more after %zu", SIM_SCENARIO_MAX_NODES,
                 count, s->nnodes);
            bad = 1;
        }
        if (bad || grow(c, (void **)&s->nodes, &c->nodes_cap, s->nnodes + count, sizeof *s->nodes) ||
            grow(c, (void **)&c->node_id_item, &c->cap_a, s->nnodes + count,
                 sizeof *c->node_id_item) ||
            grow(c, (void **)&c->node_entry, &c->cap_b, s->nnodes + count, sizeof *c->node_entry)) {
            free_node(&t);
            continue;
        }
        const cJSON *idv = member(it, "id");
        int dup_seen = 0;
        for (size_t k = 0; k < count && !c->oom; k++) {
            sim_node_spec n = t;
            n.caps = NULL;
            n.id = member(it, "count") ? expand(c, &pat, first + k) : xstrdup(c, id);
            if (!n.id || caps_dup(c, t.caps, t.ncaps, &n.caps)) {
                free_node(&n);
                break;
            }
            if (!claim_id(c, &c->nodes, n.id, s->nnodes, c->node_entry, "node", p, idv,
                          &dup_seen)) {
                free_node(&n);
                continue;
            }
            c->node_id_item[s->nnodes] = idv;
            c->node_entry[s->nnodes] = e;
            s->nodes[s->nnodes++] = n;
        }
        free_node(&t);
    }
}

/* ------------------------------------------------------------------------ */
/* Functions                                                                  */

static const char *const function_fields[] = {
    "id", "count", "first", "memory_mb", "timeout", "capabilities", "exec_time", "cold_start",
    "instance_limit", "artifact_mb", NULL};

static void free_function(sim_function_spec *f)
{
    free(f->id);
    free_strings(f->caps, f->ncaps);
    dist_free(f->exec);
    dist_free(f->cold_start);
    free(f->app);
}

/* A scenario whose functions all come from traces need not list any. */
static int has_trace_workload(const ctx *c)
{
    const cJSON *arr = member(c->root, "workloads");
    if (cJSON_IsArray(arr))
        for (const cJSON *it = arr->child; it; it = it->next)
            if (cJSON_IsObject(it) && member(it, "type"))
                return 1;
    return 0;
}

static void read_functions(ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    int traced = has_trace_workload(c);
    if (array_field(c, c->root, "", "functions", !traced,
                    "a list of functions such as [{\"id\": \"resize\", \"exec_time\": ...}]",
                    &arr) <= 0)
        return;
    if (!arr->child && !traced) {
        diag(c, arr, "functions", "expected at least one function, found an empty list");
        return;
    }
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        path_index(p, "functions", e);
        if (!want_object(c, it, p, "a function"))
            continue;
        check_fields(c, it, p, function_fields, NULL, NULL);
        const char *id = NULL;
        idpat pat;
        size_t count = 1;
        unsigned long long first = 1;
        /* As with nodes, bad fields do not keep a good id out. */
        int bad = entry_ids(c, it, p, "a function id", "fn", &id, &pat, &count, &first) < 0;
        sim_function_spec t = {0};
        t.memory_mb = 128;
        t.timeout = 60 * EDGE_S;
        number_field(c, it, p, "memory_mb", 0, &NS_MB, &t.memory_mb);
        duration_field(c, it, p, "timeout", 0, SIGN_POS, "3s", &t.timeout);
        capabilities(c, it, p, &t.caps, &t.ncaps);
        u32_field(c, it, p, "instance_limit", 0, &NS_INSTANCES, &t.instance_limit);
        number_field(c, it, p, "artifact_mb", 0, &NS_MB0, &t.artifact_mb);
        int re = dist_field(c, it, p, "exec_time", 1, 1, &t.exec);
        int rc = dist_field(c, it, p, "cold_start", 0, 1, &t.cold_start);
        if (!bad && s->nfunctions + count > SIM_SCENARIO_MAX_FUNCTIONS) {
            char q[SIM_DIAG_PATH_MAX];
            path_key(q, p, "count");
            diag(c, member(it, "count") ? member(it, "count") : it, q,
                 "expected at most %d functions in all, found %zu more after %zu",
                 SIM_SCENARIO_MAX_FUNCTIONS, count, s->nfunctions);
            bad = 1;
        }
        if (!bad && re == 1 && rc == 0 && !(t.cold_start = dist_default_cold_start(c)))
            bad = 1;
        if (bad ||
            grow(c, (void **)&s->functions, &c->functions_cap, s->nfunctions + count,
                 sizeof *s->functions) ||
            grow(c, (void **)&c->fn_id_item, &c->cap_c, s->nfunctions + count,
                 sizeof *c->fn_id_item) ||
            grow(c, (void **)&c->fn_entry, &c->cap_d, s->nfunctions + count, sizeof *c->fn_entry)) {
            free_function(&t);
            continue;
        }
        const cJSON *idv = member(it, "id");
        int dup_seen = 0;
        for (size_t k = 0; k < count && !c->oom; k++) {
            sim_function_spec f = t;
            f.caps = NULL;
            f.exec = f.cold_start = NULL;
            f.id = member(it, "count") ? expand(c, &pat, first + k) : xstrdup(c, id);
            if (!f.id || caps_dup(c, t.caps, t.ncaps, &f.caps)) {
                free_function(&f);
                break;
            }
            if (k == 0) { /* the first takes the template's distributions */
                f.exec = t.exec;
                f.cold_start = t.cold_start;
                t.exec = t.cold_start = NULL;
            } else if (re == 1 && rc >= 0) {
                dist_field(c, it, p, "exec_time", 1, 0, &f.exec);
                if (rc == 1)
                    dist_field(c, it, p, "cold_start", 0, 0, &f.cold_start);
                else
                    f.cold_start = dist_default_cold_start(c);
                if (!f.exec || !f.cold_start) {
                    oom(c);
                    free_function(&f);
                    break;
                }
            }
            if (!claim_id(c, &c->functions, f.id, s->nfunctions, c->fn_entry, "function", p, idv,
                          &dup_seen)) {
                free_function(&f);
                continue;
            }
            c->fn_id_item[s->nfunctions] = idv;
            c->fn_entry[s->nfunctions] = e;
            s->functions[s->nfunctions++] = f;
        }
        free_function(&t);
    }
}

/* ------------------------------------------------------------------------ */
/* Network                                                                    */

static const char *const net_fields[] = {"model", "matrix", "base", "per_km",
                                         "same_region", "cross_region", NULL};
static const char *const net_models[] = {"regions", "matrix", "coordinates", NULL};
static const char *const net_allowed[][6] = {
    {"model", "same_region", "cross_region", NULL},
    {"model", "matrix", "same_region", "cross_region", NULL},
    {"model", "base", "per_km", "same_region", "cross_region", NULL},
};

static void read_matrix(ctx *c, const cJSON *m)
{
    sim_scenario *s = c->s;
    size_t nr = s->nregions;
    if (!cJSON_IsObject(m)) {
        diag(c, m, "network.matrix",
             "expected latencies by client region, then node region, such as "
             "{\"eu\": {\"us\": \"80ms\"}}, found %s",
             found(m).s);
        return;
    }
    if (!nr || !(s->network.matrix = xcalloc(c, nr * nr, sizeof *s->network.matrix)))
        return;
    for (size_t i = 0; i < nr * nr; i++)
        s->network.matrix[i] = -1;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    for (const cJSON *row = m->child; row; row = row->next) {
        path_key(p, "network.matrix", row->string);
        size_t a = idmap_get(&c->regions, row->string);
        if (a == SIM_ALL) {
            diag(c, row, p, "expected a region id defined in regions, found %s%s",
                 quoted(row->string).s, did_you_mean(suggest_map(row->string, &c->regions)).s);
            continue;
        }
        if (!cJSON_IsObject(row)) {
            diag(c, row, p, "expected latencies by node region such as {\"%s\": \"1ms\"}, found %s",
                 row->string, found(row).s);
            continue;
        }
        for (const cJSON *cell = row->child; cell; cell = cell->next) {
            path_key(q, p, cell->string);
            size_t b = idmap_get(&c->regions, cell->string);
            if (b == SIM_ALL) {
                diag(c, cell, q, "expected a region id defined in regions, found %s%s",
                     quoted(cell->string).s,
                     did_you_mean(suggest_map(cell->string, &c->regions)).s);
                continue;
            }
            edge_time t;
            if (duration_item(c, cell, q, SIGN_NONNEG, "20ms", &t))
                continue;
            if (s->network.matrix[a * nr + b] >= 0) {
                diag(c, cell, q, "expected each latency once, found %s again", quoted(cell->string).s);
                continue;
            }
            s->network.matrix[a * nr + b] = t;
        }
    }
    /* Missing entries: the reverse direction, else same_region / cross_region. */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nr; b++) {
            edge_time *cell = &s->network.matrix[a * nr + b];
            if (*cell >= 0)
                continue;
            edge_time rev = s->network.matrix[b * nr + a];
            *cell = rev >= 0 ? rev : a == b ? s->network.same_region : s->network.cross_region;
        }
}

static void read_network(ctx *c)
{
    sim_network *n = &c->s->network;
    n->kind = SIM_NET_NONE;
    n->same_region = EDGE_MS;
    n->cross_region = 50 * EDGE_MS;
    n->base = EDGE_MS;
    n->per_km = 10 * EDGE_US;
    const cJSON *net = member(c->root, "network");
    if (!net || !want_object(c, net, "network", "a network model"))
        return;
    int model = 0;
    if (enum_field(c, net, "network", "model", 0, net_models, &model) < 0)
        return;
    char kind[32];
    snprintf(kind, sizeof kind, "the %s model", net_models[model]);
    check_fields(c, net, "network", net_fields, net_allowed[model], kind);
    duration_field(c, net, "network", "same_region", 0, SIGN_NONNEG, "1ms", &n->same_region);
    duration_field(c, net, "network", "cross_region", 0, SIGN_NONNEG, "50ms", &n->cross_region);
    if (model == 1) {
        n->kind = SIM_NET_MATRIX;
        const cJSON *m = member(net, "matrix");
        if (!m)
            missing(c, net, "network", "matrix",
                    "latencies by client region, then node region, such as "
                    "{\"eu\": {\"us\": \"80ms\"}}");
        else
            read_matrix(c, m);
    } else if (model == 2) {
        n->kind = SIM_NET_COORDS;
        duration_field(c, net, "network", "base", 0, SIGN_NONNEG, "1ms", &n->base);
        duration_field(c, net, "network", "per_km", 0, SIGN_NONNEG, "10us", &n->per_km);
    }
}

/* ------------------------------------------------------------------------ */
/* References                                                                 */

static size_t node_ref_item(ctx *c, const cJSON *v, const char *path)
{
    const char *id;
    if (id_item(c, v, path, "a node id", &id))
        return SIM_ALL;
    size_t n = idmap_get(&c->nodes, id);
    if (n == SIM_ALL)
        diag(c, v, path, "expected a node id defined in nodes, found %s%s", found(v).s,
             did_you_mean(suggest_map(id, &c->nodes)).s);
    return n;
}

static size_t node_ref(ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    if (!v) {
        missing(c, obj, path, key, "a node id such as \"edge-1\"");
        return SIM_ALL;
    }
    return node_ref_item(c, v, p);
}

static size_t function_ref_item(ctx *c, const cJSON *v, const char *path)
{
    const char *id;
    if (id_item(c, v, path, "a function id", &id))
        return SIM_ALL;
    size_t f = idmap_get(&c->functions, id);
    if (f == SIM_ALL)
        diag(c, v, path, "expected a function id defined in functions, found %s%s", found(v).s,
             did_you_mean(suggest_map(id, &c->functions)).s);
    return f;
}

static size_t function_ref(ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    if (!v) {
        missing(c, obj, path, key, "a function id such as \"resize\"");
        return SIM_ALL;
    }
    return function_ref_item(c, v, p);
}

/* Does s match the pattern "prefix*" (or is it equal to id)? */
static int is_pattern(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && s[n - 1] == '*';
}

static int prefix_match(const char *pat, const char *id)
{
    return !strncmp(pat, id, strlen(pat) - 1);
}

/*
 * A list of node references (ids, or "prefix*" patterns; "*" is every node)
 * into a new array of distinct node indices in order of first mention.
 * Returns the array (caller frees; *n may be 0 with a non-NULL result) or
 * NULL on a problem (reported).
 */
static size_t *node_list(ctx *c, const cJSON *arr, const char *path, size_t *n)
{
    sim_scenario *s = c->s;
    *n = 0;
    if (!cJSON_IsArray(arr) || !arr->child) {
        diag(c, arr, path, "expected a list of node ids or patterns such as [\"edge-1\", \"edge-eu-*\"], found %s",
             found(arr).s);
        return NULL;
    }
    if (++c->stamp_gen == 0) {
        memset(c->stamp, 0, s->nnodes * sizeof *c->stamp);
        c->stamp_gen = 1;
    }
    size_t cap = 0, cnt = 0, i = 0;
    size_t *out = NULL;
    int bad = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, i++) {
        path_index(p, path, i);
        if (cJSON_IsString(it) && is_pattern(it->valuestring)) {
            size_t matched = 0;
            for (size_t k = 0; k < s->nnodes; k++) {
                if (!prefix_match(it->valuestring, s->nodes[k].id))
                    continue;
                matched++;
                if (c->stamp[k] == c->stamp_gen)
                    continue;
                if (grow(c, (void **)&out, &cap, cnt + 1, sizeof *out))
                    break;
                c->stamp[k] = c->stamp_gen;
                out[cnt++] = k;
            }
            if (!matched) {
                diag(c, it, p, "expected a pattern that matches some node ids, found %s", found(it).s);
                bad = 1;
            }
            continue;
        }
        size_t k = node_ref_item(c, it, p);
        if (k == SIM_ALL) {
            bad = 1;
            continue;
        }
        if (c->stamp[k] == c->stamp_gen)
            continue;
        if (grow(c, (void **)&out, &cap, cnt + 1, sizeof *out))
            break;
        c->stamp[k] = c->stamp_gen;
        out[cnt++] = k;
    }
    if (bad || c->oom) {
        free(out);
        return NULL;
    }
    *n = cnt;
    return out;
}

/*
 * A function reference that may be a pattern ("*", "img-*"): sets *first
 * and *count to the matched functions, which are listed in out[] (caller
 * frees). Returns 0 or -1 (reported).
 */
static int function_set(ctx *c, const cJSON *obj, const char *path, const char *key, size_t **out,
                        size_t *n)
{
    sim_scenario *s = c->s;
    const cJSON *v = member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    path_key(p, path, key);
    *out = NULL;
    *n = 0;
    if (v && cJSON_IsString(v) && is_pattern(v->valuestring)) {
        size_t cap = 0;
        for (size_t k = 0; k < s->nfunctions; k++) {
            if (!prefix_match(v->valuestring, s->functions[k].id))
                continue;
            if (grow(c, (void **)out, &cap, *n + 1, sizeof **out)) {
                free(*out);
                *out = NULL;
                return -1;
            }
            (*out)[(*n)++] = k;
        }
        if (!*n) {
            diag(c, v, p, "expected a pattern that matches some function ids, found %s", found(v).s);
            return -1;
        }
        return 0;
    }
    size_t f = function_ref(c, obj, path, key);
    if (f == SIM_ALL)
        return -1;
    if (!(*out = xcalloc(c, 1, sizeof **out)))
        return -1;
    (*out)[0] = f;
    *n = 1;
    return 0;
}

static int node_has_caps(const sim_node_spec *n, const sim_function_spec *f, const char **lacking)
{
    for (size_t i = 0; i < f->ncaps; i++) {
        size_t j = 0;
        while (j < n->ncaps && strcmp(n->caps[j], f->caps[i]))
            j++;
        if (j == n->ncaps) {
            *lacking = f->caps[i];
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Faults and operations                                                      */

static const char *const fault_kinds[] = {
    "crash", "recover", "heartbeat_delay", "heartbeat_loss", "degrade", "maintenance", "drain",
    "register", "deregister", "deploy", "undeploy", "load_spike", "burst", "random_failures",
    "google_machine_events", "state_update", "state_corruption", NULL}; /* in the order of sim_fault_kind */

const char *sim_fault_kind_name(sim_fault_kind k)
{
    return (unsigned)k < sizeof fault_kinds / sizeof fault_kinds[0] - 1 ? fault_kinds[k] : "unknown";
}

static const char *const fault_fields[] = {"kind", "at", "for", "node", "nodes", "function",
                                           "region", "delay", "factor", "count", "ttf", "ttr",
                                           "path", "offset", "scale", "patch", NULL};

enum {
    FF_NODE = 1 << 0,
    FF_FOR_REQ = 1 << 1,
    FF_FOR_OPT = 1 << 2,
    FF_FUNCTION = 1 << 3,
    FF_FUNCTION_OPT = 1 << 4,
    FF_REGION = 1 << 5,
    FF_DELAY = 1 << 6,
    FF_FACTOR = 1 << 7,
    FF_DEGRADE = 1 << 8,
    FF_COUNT = 1 << 9,
    FF_RANDOM = 1 << 10, /* nodes, ttf, ttr; "at" optional */
    FF_TRACE = 1 << 11,  /* path, nodes (optional), offset, scale; no "at" */
    FF_PATCH = 1 << 12,
    FF_SYNC = 1 << 13,   /* needs the "sync" section */
};

static const unsigned fault_shape[] = {
    [SIM_FAULT_CRASH] = FF_NODE | FF_FOR_OPT,
    [SIM_FAULT_RECOVER] = FF_NODE,
    [SIM_FAULT_HEARTBEAT_DELAY] = FF_NODE | FF_FOR_REQ | FF_DELAY,
    [SIM_FAULT_HEARTBEAT_LOSS] = FF_NODE | FF_FOR_REQ,
    [SIM_FAULT_DEGRADE] = FF_NODE | FF_FOR_REQ | FF_DEGRADE,
    [SIM_FAULT_MAINTENANCE] = FF_NODE | FF_FOR_REQ,
    [SIM_FAULT_DRAIN] = FF_NODE | FF_FOR_OPT,
    [SIM_FAULT_REGISTER] = FF_NODE,
    [SIM_FAULT_DEREGISTER] = FF_NODE,
    [SIM_FAULT_DEPLOY] = FF_NODE | FF_FUNCTION,
    [SIM_FAULT_UNDEPLOY] = FF_NODE | FF_FUNCTION,
    [SIM_FAULT_LOAD_SPIKE] = FF_FOR_REQ | FF_FUNCTION_OPT | FF_FACTOR,
    [SIM_FAULT_BURST] = FF_FUNCTION | FF_REGION | FF_COUNT | FF_FOR_OPT,
    [SIM_FAULT_RANDOM_FAILURES] = FF_RANDOM | FF_FOR_OPT,
    [SIM_FAULT_GOOGLE_MACHINE_EVENTS] = FF_TRACE,
    [SIM_FAULT_STATE_UPDATE] = FF_PATCH | FF_SYNC,
    [SIM_FAULT_STATE_CORRUPTION] = FF_NODE | FF_FOR_OPT | FF_SYNC,
};

static void fault_allowed(unsigned shape, const char **out)
{
    size_t n = 0;
    out[n++] = "kind";
    if (!(shape & FF_TRACE))
        out[n++] = "at";
    if (shape & (FF_FOR_REQ | FF_FOR_OPT))
        out[n++] = "for";
    if (shape & FF_NODE)
        out[n++] = "node";
    if (shape & (FF_FUNCTION | FF_FUNCTION_OPT))
        out[n++] = "function";
    if (shape & FF_REGION)
        out[n++] = "region";
    if (shape & FF_DELAY)
        out[n++] = "delay";
    if (shape & (FF_FACTOR | FF_DEGRADE))
        out[n++] = "factor";
    if (shape & FF_COUNT)
        out[n++] = "count";
    if (shape & FF_RANDOM) {
        out[n++] = "nodes";
        out[n++] = "ttf";
        out[n++] = "ttr";
    }
    if (shape & FF_TRACE) {
        out[n++] = "path";
        out[n++] = "nodes";
        out[n++] = "offset";
        out[n++] = "scale";
    }
    if (shape & FF_PATCH)
        out[n++] = "patch";
    out[n] = NULL;
}

static void free_fault(sim_fault_spec *f)
{
    free(f->nodes);
    free(f->path);
    dist_free(f->ttf);
    dist_free(f->ttr);
    cJSON_Delete(f->patch);
}

static char *resolve_csv(ctx *c, const char *rel);

/* google_machine_events: the file (readable now; its rows are read during
 * the run), the nodes ("all" or a list, default all), offset and scale. */
static int read_trace_fault(ctx *c, const cJSON *it, const char *p, sim_fault_spec *f)
{
    sim_scenario *s = c->s;
    char q[SIM_DIAG_PATH_MAX];
    int bad = 0;
    const cJSON *path = member(it, "path");
    path_key(q, p, "path");
    if (!path) {
        missing(c, it, p, "path", "the machine events CSV such as \"machine_events.csv\"");
        bad = 1;
    } else if (!cJSON_IsString(path) || !path->valuestring[0]) {
        diag(c, path, q, "expected the machine events CSV such as \"machine_events.csv\", found %s",
             found(path).s);
        bad = 1;
    } else if ((f->path = resolve_csv(c, path->valuestring))) {
        FILE *fp = fopen(f->path, "r");
        if (!fp) {
            diag(c, path, q, "expected a readable CSV file, found %s (%s)", found(path).s,
                 strerror(errno));
            bad = 1;
        } else {
            fclose(fp);
        }
    }
    const cJSON *nodes = member(it, "nodes");
    path_key(q, p, "nodes");
    if (!nodes || (cJSON_IsString(nodes) && !strcmp(nodes->valuestring, "all"))) {
        f->nnodes = s->nnodes;
        if ((f->nodes = xcalloc(c, s->nnodes ? s->nnodes : 1, sizeof *f->nodes)))
            for (size_t k = 0; k < s->nnodes; k++)
                f->nodes[k] = k;
    } else if (cJSON_IsString(nodes)) {
        diag(c, nodes, q, "expected \"all\" or a list of node ids or patterns, found %s",
             found(nodes).s);
        bad = 1;
    } else if (!(f->nodes = node_list(c, nodes, q, &f->nnodes))) {
        bad = 1;
    }
    f->offset = 0;
    if (member(it, "offset"))
        bad |= duration_field(c, it, p, "offset", 0, SIGN_NONNEG, "1h", &f->offset) < 0;
    f->scale = 1.0;
    if (member(it, "scale"))
        bad |= number_field(c, it, p, "scale", 0, &NS_FACTOR, &f->scale) < 0;
    return bad ? -1 : 0;
}

static int read_fault(ctx *c, const cJSON *it, const char *p, sim_fault_spec *f)
{
    int kind;
    memset(f, 0, sizeof *f);
    f->node = f->function = f->region = SIM_ALL;
    if (enum_field(c, it, p, "kind", 1, fault_kinds, &kind) < 0) {
        check_fields(c, it, p, fault_fields, NULL, NULL);
        return -1;
    }
    f->kind = (sim_fault_kind)kind;
    unsigned shape = fault_shape[kind];
    const char *allowed[16];
    char what[64];
    fault_allowed(shape, allowed);
    snprintf(what, sizeof what, "a %s fault", fault_kinds[kind]);
    check_fields(c, it, p, fault_fields, allowed, what);
    int bad = 0;
    int line, col;
    jsonpos_get(&c->pos, it, &line, &col);
    f->line = line;
    if (!(shape & FF_TRACE))
        bad |= duration_field(c, it, p, "at", !(shape & FF_RANDOM), SIGN_NONNEG, "10m", &f->at) < 0;
    if (shape & (FF_FOR_REQ | FF_FOR_OPT))
        bad |= duration_field(c, it, p, "for", !!(shape & FF_FOR_REQ), SIGN_POS, "5m",
                              &f->duration) < 0;
    if (shape & FF_NODE)
        bad |= (f->node = node_ref(c, it, p, "node")) == SIM_ALL;
    if (shape & FF_FUNCTION)
        bad |= (f->function = function_ref(c, it, p, "function")) == SIM_ALL;
    if ((shape & FF_FUNCTION_OPT) && member(it, "function"))
        bad |= (f->function = function_ref(c, it, p, "function")) == SIM_ALL;
    if (shape & FF_REGION)
        bad |= (f->region = region_ref(c, it, p, "region")) == SIM_ALL;
    if (shape & FF_DELAY)
        bad |= duration_field(c, it, p, "delay", 1, SIGN_POS, "30s", &f->delay) < 0;
    if (shape & FF_FACTOR)
        bad |= number_field(c, it, p, "factor", 1, &NS_FACTOR, &f->factor) < 0;
    if (shape & FF_DEGRADE)
        bad |= number_field(c, it, p, "factor", 1, &NS_DEGRADE, &f->factor) < 0;
    if (shape & FF_COUNT)
        bad |= u32_field(c, it, p, "count", 1, &NS_BURST, &f->count) < 0;
    if (shape & FF_RANDOM) {
        const cJSON *nodes = member(it, "nodes");
        char q[SIM_DIAG_PATH_MAX];
        path_key(q, p, "nodes");
        if (!nodes) {
            missing(c, it, p, "nodes", "a list of node ids or patterns such as [\"edge-*\"]");
            bad = 1;
        } else if (!(f->nodes = node_list(c, nodes, q, &f->nnodes))) {
            bad = 1;
        }
        bad |= dist_field(c, it, p, "ttf", 1, 1, &f->ttf) < 0;
        bad |= dist_field(c, it, p, "ttr", 1, 1, &f->ttr) < 0;
    }
    if (shape & FF_TRACE)
        bad |= read_trace_fault(c, it, p, f) < 0;
    if (shape & FF_PATCH) {
        const cJSON *patch = member(it, "patch");
        if (!patch) {
            missing(c, it, p, "patch", "a JSON merge patch such as {\"mode\": \"eco\"}");
            bad = 1;
        } else if (!(f->patch = cJSON_Duplicate(patch, 1))) {
            oom(c);
            bad = 1;
        }
    }
    if ((shape & FF_SYNC) && !member(c->root, "sync")) {
        char q[SIM_DIAG_PATH_MAX];
        path_key(q, p, "kind");
        diag(c, member(it, "kind"), q, "expected a \"sync\" section for a %s fault, found none",
             fault_kinds[kind]);
        bad = 1;
    }
    if (bad) {
        free_fault(f);
        return -1;
    }
    return 0;
}

static int fault_before(const sim_fault_spec *x, const sim_fault_spec *y)
{
    return x->at < y->at;
}

/* A stable sort by `at` (insertion into runs, merged): qsort is not stable. */
static void sort_faults(sim_fault_spec *v, size_t n, sim_fault_spec *tmp)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = fault_before(&v[j], &v[i]) ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

static void read_faults(ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (array_field(c, c->root, "", "faults", 0, "a list of faults such as [{\"kind\": \"crash\", ...}]",
                    &arr) <= 0)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    if (!n || !(s->faults = xcalloc(c, n, sizeof *s->faults)))
        return;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, i++) {
        path_index(p, "faults", i);
        if (!want_object(c, it, p, "a fault"))
            continue;
        if (read_fault(c, it, p, &s->faults[s->nfaults]) == 0)
            s->nfaults++;
    }
    sim_fault_spec *tmp = s->nfaults > 1 ? xcalloc(c, s->nfaults, sizeof *tmp) : NULL;
    if (tmp)
        sort_faults(s->faults, s->nfaults, tmp);
    free(tmp);
    /* A node whose first register/deregister operation is "register" joins
     * then; every other node is registered from the start. */
    for (size_t k = 0; k < s->nfaults; k++) {
        sim_fault_spec *f = &s->faults[k];
        if (f->kind != SIM_FAULT_REGISTER && f->kind != SIM_FAULT_DEREGISTER)
            continue;
        if (c->stamp[f->node] == 1)
            continue;
        c->stamp[f->node] = 1;
        if (f->kind == SIM_FAULT_REGISTER) {
            s->nodes[f->node].starts_registered = 0;
            s->nodes[f->node].join_at = f->at;
        }
    }
    memset(c->stamp, 0, s->nnodes * sizeof *c->stamp);
}

/* ------------------------------------------------------------------------ */
/* Deployments                                                                */

static const char *const deploy_fields[] = {"function", "strategy", "nodes", "replicas", NULL};
/* In sim_deploy_kind order. */
static const char *const deploy_strategies[] = {"all",    "nodes",    "least_loaded",
                                                "spread", "best_fit", "worst_fit", NULL};
static const char *const deploy_allowed[][4] = {
    {"function", "strategy", NULL},
    {"function", "strategy", "nodes", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
    {"function", "strategy", "replicas", NULL},
};

/* Nodes registered at the start that can run f and whose memory_mb holds
 * one instance of it (as core rounds it: up to a whole MB). */
static size_t fitting_nodes(ctx *c, const sim_function_spec *f)
{
    const sim_scenario *s = c->s;
    double need = ceil(f->memory_mb) < 1 ? 1 : ceil(f->memory_mb);
    size_t n = 0;
    const char *lack;
    for (size_t k = 0; k < s->nnodes; k++)
        n += s->nodes[k].starts_registered && s->nodes[k].memory_mb >= need &&
             node_has_caps(&s->nodes[k], f, &lack);
    return n;
}

/* Nodes registered at the start that can run function f. Functions without
 * required capabilities (the common case) share one cached count, so "*"
 * over 1,000 functions does not cost 1,000 passes over the nodes. */
static size_t capable_nodes(ctx *c, const sim_function_spec *f)
{
    const sim_scenario *s = c->s;
    if (f->ncaps == 0 && c->registered_at_start != SIM_ALL)
        return c->registered_at_start;
    size_t n = 0;
    const char *lack;
    for (size_t k = 0; k < s->nnodes; k++)
        n += s->nodes[k].starts_registered && node_has_caps(&s->nodes[k], f, &lack);
    if (f->ncaps == 0)
        c->registered_at_start = n;
    return n;
}

static void read_deployment(ctx *c, const cJSON *it, const char *p)
{
    sim_scenario *s = c->s;
    int strategy;
    if (enum_field(c, it, p, "strategy", 1, deploy_strategies, &strategy) < 0) {
        size_t *fns = NULL, nfns;
        check_fields(c, it, p, deploy_fields, NULL, NULL);
        function_set(c, it, p, "function", &fns, &nfns);
        free(fns);
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "the %s strategy", deploy_strategies[strategy]);
    check_fields(c, it, p, deploy_fields, deploy_allowed[strategy], what);
    size_t *fns = NULL, nfns = 0, *nodes = NULL, nnodes = 0;
    double replicas = 1;
    int bad = function_set(c, it, p, "function", &fns, &nfns) < 0;
    char q[SIM_DIAG_PATH_MAX];
    if (strategy == SIM_DEPLOY_NODES) {
        const cJSON *v = member(it, "nodes");
        path_key(q, p, "nodes");
        if (!v) {
            missing(c, it, p, "nodes", "a list of node ids or patterns such as [\"edge-1\"]");
            bad = 1;
        } else if (!(nodes = node_list(c, v, q, &nnodes))) {
            bad = 1;
        }
        /* Each named node must be there at the start and able to run each function. */
        for (size_t k = 0; !bad && k < nnodes; k++) {
            const sim_node_spec *n = &s->nodes[nodes[k]];
            const char *lack = NULL;
            if (!n->starts_registered) {
                diag(c, v, q, "expected nodes registered at the start, found %s (it joins later by a register fault)",
                     quoted(n->id).s);
                bad = 1;
            }
            for (size_t j = 0; !bad && j < nfns; j++)
                if (!node_has_caps(n, &s->functions[fns[j]], &lack)) {
                    diag(c, v, q, "expected nodes with capability %s (function %s needs it), found %s",
                         quoted(lack).s, quoted(s->functions[fns[j]].id).s, quoted(n->id).s);
                    bad = 1;
                }
        }
    } else {
        if (strategy != SIM_DEPLOY_ALL)
            bad |= number_field(c, it, p, "replicas", 0, &NS_COUNT, &replicas) < 0;
        int fits = strategy == SIM_DEPLOY_BEST_FIT || strategy == SIM_DEPLOY_WORST_FIT;
        for (size_t j = 0; !bad && j < nfns; j++) {
            const sim_function_spec *f = &s->functions[fns[j]];
            size_t cap = capable_nodes(c, f);
            size_t fit = fits && cap > 0 ? fitting_nodes(c, f) : cap;
            if (cap > 0 && fit == 0) {
                path_key(q, p, "function");
                diag(c, member(it, "function"), q,
                     "expected a function whose memory fits some capable node registered at "
                     "the start, found %s (%g MB; no such node has that much memory_mb)",
                     quoted(f->id).s, f->memory_mb);
                bad = 1;
            } else if (fits && cap > 0 && fit < replicas) {
                path_key(q, p, "replicas");
                diag(c, member(it, "replicas"), q,
                     "expected at most %zu replicas (the capable nodes with memory_mb for %s "
                     "at the start), found %.0f",
                     fit, quoted(f->id).s, replicas);
                bad = 1;
            } else if (cap == 0) {
                path_key(q, p, "function");
                diag(c, member(it, "function"), q,
                     "expected a function that some node registered at the start can run, "
                     "found %s (no such node has its capabilities)",
                     quoted(f->id).s);
                bad = 1;
            } else if (strategy != SIM_DEPLOY_ALL && cap < replicas) {
                path_key(q, p, "replicas");
                diag(c, member(it, "replicas"), q,
                     "expected at most %zu replicas (the nodes that can run %s at the start), "
                     "found %.0f",
                     cap, quoted(f->id).s, replicas);
                bad = 1;
            }
        }
    }
    if (bad || c->oom) {
        free(fns);
        free(nodes);
        return;
    }
    size_t need = s->ndeployments + nfns;
    if (grow(c, (void **)&s->deployments, &c->deploy_cap, need, sizeof *s->deployments) == 0) {
        for (size_t j = 0; j < nfns; j++) {
            sim_deployment_spec *d = &s->deployments[s->ndeployments];
            memset(d, 0, sizeof *d);
            d->function = fns[j];
            d->kind = (sim_deploy_kind)strategy;
            d->replicas = (uint32_t)replicas;
            if (strategy == SIM_DEPLOY_NODES) {
                if (!(d->nodes = xcalloc(c, nnodes, sizeof *d->nodes)))
                    break;
                memcpy(d->nodes, nodes, nnodes * sizeof *nodes);
                d->nnodes = nnodes;
            }
            s->ndeployments++;
        }
    }
    free(fns);
    free(nodes);
}

/* ------------------------------------------------------------------------ */
/* Workloads                                                                  */

static const char *const wl_fields[] = {"function", "region", "arrival", "rate", "interval",
                                        "period", "jitter", "on_rate", "off_rate", "on_mean",
                                        "off_mean", "times", "file", "start", "stop", NULL};
static const char *const arrivals[] = {"poisson", "constant", "periodic", "bursty",
                                       "times", "csv", NULL}; /* order of sim_arrival_kind */
static const char *const wl_allowed[][10] = {
    {"function", "region", "arrival", "start", "stop", "rate", NULL},
    {"function", "region", "arrival", "start", "stop", "interval", NULL},
    {"function", "region", "arrival", "start", "stop", "period", "jitter", NULL},
    {"function", "region", "arrival", "start", "stop", "on_rate", "off_rate", "on_mean",
     "off_mean", NULL},
    {"function", "region", "arrival", "start", "stop", "times", NULL},
    {"function", "region", "arrival", "start", "stop", "file", NULL},
};

static int cmp_time(const void *a, const void *b)
{
    edge_time x = *(const edge_time *)a, y = *(const edge_time *)b;
    return x < y ? -1 : x > y;
}

/* The CSV path relative to the scenario file's folder (absolute stays). */
static char *resolve_csv(ctx *c, const char *rel)
{
    const char *slash = strrchr(c->file, '/');
    if (rel[0] == '/' || !slash || !strcmp(c->s->path, "-"))
        return xstrdup(c, rel);
    size_t dn = (size_t)(slash - c->file) + 1, rn = strlen(rel);
    char *out = xcalloc(c, dn + rn + 1, 1);
    if (out) {
        memcpy(out, c->file, dn);
        memcpy(out + dn, rel, rn + 1);
    }
    return out;
}

/*
 * Reads the timestamps of a CSV trace: the first field of each line is a
 * duration ("12.5s"); blank lines and lines starting with '#' are skipped,
 * and so is a first line that starts with a letter (a header). Problems are
 * reported at the "file" item v, with the CSV's line number in the message.
 * Returns 0 with *times (caller frees) and *n, or -1 (reported).
 */
static int read_csv(ctx *c, const cJSON *v, const char *p, const char *file, edge_time **times,
                    size_t *n)
{
    *times = NULL;
    *n = 0;
    FILE *fp = fopen(file, "r");
    if (!fp) {
        diag(c, v, p, "expected a readable CSV file, found %s (%s)", found(v).s, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0, cap = 0, lineno = 0;
    int seen = 0, rc = 0;
    ssize_t got;
    while ((got = getline(&line, &lcap, fp)) >= 0) {
        lineno++;
        char *f = line;
        while (*f == ' ' || *f == '\t')
            f++;
        f[strcspn(f, ",\r\n")] = 0;
        for (size_t e = strlen(f); e > 0 && (f[e - 1] == ' ' || f[e - 1] == '\t'); e--)
            f[e - 1] = 0;
        if (!*f || *f == '#')
            continue;
        if (!seen++ && isalpha((unsigned char)*f))
            continue; /* a header */
        edge_time t;
        if (edge_duration_parse(f, &t) != EDGE_OK || t < 0) {
            diag(c, v, p, "expected a duration of at least 0s such as \"1.5s\" on line %zu of %s, found %s",
                 lineno, file, quoted(f).s);
            rc = -1;
            break;
        }
        if (*n >= SIM_TIMES_MAX) {
            diag(c, v, p, "expected at most %u timestamps in %s, found more", SIM_TIMES_MAX, file);
            rc = -1;
            break;
        }
        if (grow(c, (void **)times, &cap, *n + 1, sizeof **times)) {
            rc = -1;
            break;
        }
        (*times)[(*n)++] = t;
    }
    if (rc == 0 && ferror(fp)) {
        diag(c, v, p, "expected a readable CSV file, found %s (%s)", found(v).s, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(fp);
    if (rc) {
        free(*times);
        *times = NULL;
        *n = 0;
        return -1;
    }
    qsort(*times, *n, sizeof **times, cmp_time);
    return 0;
}

static void free_workload(sim_workload_spec *w)
{
    free(w->times);
    free(w->csv_path);
    free(w->minutes);
    free(w->calls);
}

/* Reads the arrival-specific part of a workload into t. Returns 0 or -1. */
static int read_arrival(ctx *c, const cJSON *it, const char *p, sim_workload_spec *t)
{
    int bad = 0;
    switch (t->kind) {
    case SIM_ARRIVAL_POISSON:
        bad |= number_field(c, it, p, "rate", 1, &NS_RATE, &t->rate) < 0;
        break;
    case SIM_ARRIVAL_CONSTANT:
        bad |= duration_field(c, it, p, "interval", 1, SIGN_POS, "100ms", &t->interval) < 0;
        break;
    case SIM_ARRIVAL_PERIODIC: {
        bad |= duration_field(c, it, p, "period", 1, SIGN_POS, "1s", &t->interval) < 0;
        int r = duration_field(c, it, p, "jitter", 0, SIGN_NONNEG, "100ms", &t->jitter);
        bad |= r < 0;
        if (r == 1 && !bad && t->jitter > t->interval) {
            char q[SIM_DIAG_PATH_MAX], per[32];
            path_key(q, p, "jitter");
            edge_duration_format(per, sizeof per, t->interval);
            diag(c, member(it, "jitter"), q, "expected a jitter of at most the period (%s), found %s",
                 per, found(member(it, "jitter")).s);
            bad = 1;
        }
        break;
    }
    case SIM_ARRIVAL_BURSTY:
        bad |= number_field(c, it, p, "on_rate", 1, &NS_RATE, &t->on_rate) < 0;
        bad |= number_field(c, it, p, "off_rate", 0, &NS_RATE0, &t->off_rate) < 0;
        bad |= duration_field(c, it, p, "on_mean", 1, SIGN_POS, "30s", &t->on_mean) < 0;
        bad |= duration_field(c, it, p, "off_mean", 1, SIGN_POS, "5m", &t->off_mean) < 0;
        break;
    case SIM_ARRIVAL_TIMES: {
        const cJSON *arr = NULL;
        if (array_field(c, it, p, "times", 1, "a list of times such as [\"1s\", \"2.5s\"]", &arr) <= 0)
            return -1;
        char q[SIM_DIAG_PATH_MAX], r[SIM_DIAG_PATH_MAX];
        path_key(q, p, "times");
        size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
        if (n > SIM_TIMES_MAX) {
            diag(c, arr, q, "expected at most %u times, found %zu", SIM_TIMES_MAX, n);
            return -1;
        }
        if (!(t->times = xcalloc(c, n, sizeof *t->times)))
            return -1;
        for (const cJSON *v = arr->child; v; v = v->next, i++) {
            path_index(r, q, i);
            bad |= duration_item(c, v, r, SIGN_NONNEG, "1s", &t->times[i]) < 0;
        }
        t->ntimes = n;
        qsort(t->times, n, sizeof *t->times, cmp_time);
        break;
    }
    case SIM_ARRIVAL_CSV: {
        const char *file;
        if (string_field(c, it, p, "file", 1, "a CSV file name such as \"traces/resize.csv\"", &file) < 0)
            return -1;
        char q[SIM_DIAG_PATH_MAX];
        path_key(q, p, "file");
        if (!(t->csv_path = resolve_csv(c, file)))
            return -1;
        bad |= read_csv(c, member(it, "file"), q, t->csv_path, &t->times, &t->ntimes) < 0;
        break;
    }
    case SIM_ARRIVAL_MINUTES:
    case SIM_ARRIVAL_CALLS:
        break; /* trace workloads are read by read_trace_workload */
    }
    return bad ? -1 : 0;
}

/* ---- trace workloads: Azure Functions 2019 and 2021 (docs/traces.md) ---- */

static const char *const trace_types[] = {"azure2019", "azure2021", NULL};
static const char *const trace_fields[] = {
    "type",  "invocations", "durations", "memory", "placement", "window",  "top",
    "sample_functions", "sample_apps", "scale", "deploy", "replicas", "region",
    "start", "on_error", "timeout", "cold_start", "unit", NULL};
static const char *const trace_allowed[][19] = {
    {"type", "invocations", "durations", "memory", "placement", "window", "top",
     "sample_functions", "sample_apps", "scale", "deploy", "replicas", "region", "start",
     "on_error", "timeout", "cold_start", "unit", NULL},
    {"type", "invocations", "window", "top", "sample_functions", "sample_apps", "deploy",
     "replicas", "region", "start", "on_error", "timeout", "cold_start", NULL},
};
static const char *const placements[] = {"uniform", "even", "poisson", NULL}; /* sim_placement */
static const char *const trace_deploys[] = {"all", "least_loaded", NULL};
static const char *const on_errors[] = {"error", "skip", NULL};
static const char *const trace_units[] = {"function", "app", NULL}; /* sim_az_options.by_app */
static const numspec NS_PICK = {1, SIM_SCENARIO_MAX_FUNCTIONS, 1, 0};
static const numspec NS_SCALE = {0, 1e6, 0, 1};
/* Defaults for what the trace does not say (docs/traces.md). */
#define TRACE_DEFAULT_EXEC_MS 1000.0   /* a function without a durations row */
#define TRACE_DEFAULT_MEMORY_MB 128.0  /* a function whose app has no memory row */
#define TRACE_DEFAULT_TIMEOUT (10 * EDGE_MIN) /* Azure's longest on the consumption plan */

/* "key": a CSV file name or a list of 1 to SIM_AZ_MAX_DAYS of them, resolved
 * against the scenario's folder into *out (caller frees with free_strings).
 * Returns 1 read, 0 absent, -1 problem (reported). */
static int trace_files(ctx *c, const cJSON *obj, const char *p, const char *key, int required,
                       char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cJSON *v = member(obj, key);
    char q[SIM_DIAG_PATH_MAX], r[SIM_DIAG_PATH_MAX];
    path_key(q, p, key);
    if (!v) {
        if (required)
            missing(c, obj, p, key, "a CSV file name or a list of them (one per day)");
        return required ? -1 : 0;
    }
    size_t k = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
    if (!cJSON_IsString(v) && !(cJSON_IsArray(v) && k >= 1 && k <= SIM_AZ_MAX_DAYS)) {
        diag(c, v, q, "expected a CSV file name or a list of 1 to %u of them, found %s",
             SIM_AZ_MAX_DAYS, found(v).s);
        return -1;
    }
    char **files = xcalloc(c, k, sizeof *files);
    if (!files)
        return -1;
    const cJSON *it = cJSON_IsArray(v) ? v->child : v;
    for (size_t i = 0; i < k; i++, it = it->next) {
        path_index(r, q, i);
        if (!cJSON_IsString(it) || !*it->valuestring) {
            diag(c, it, cJSON_IsArray(v) ? r : q, "expected a CSV file name, found %s",
                 found(it).s);
            free_strings(files, i);
            return -1;
        }
        if (!(files[i] = resolve_csv(c, it->valuestring))) {
            free_strings(files, i);
            return -1;
        }
    }
    *out = files;
    *n = k;
    return 1;
}

/* The member whose file an error from the readers names (they start with it). */
static const char *trace_err_key(const char *err, char **const lists[3], const size_t n[3])
{
    static const char *const keys[3] = {"invocations", "durations", "memory"};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n[k]; i++) {
            size_t len = strlen(lists[k][i]);
            if (!strncmp(err, lists[k][i], len) && err[len] == ':')
                return keys[k];
        }
    return "invocations";
}

/* The execution time of a trace function: its percentiles, or the default. */
static sim_dist *trace_exec(ctx *c, const sim_az_function *x, int calls)
{
    static const double q[7] = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1};
    sim_dist *d = NULL;
    edge_err rc;
    if (calls) { /* never drawn for recorded calls; the mean serves load spikes and bursts */
        double sum = 0;
        for (size_t i = 0; i < x->ncalls; i++)
            sum += (double)x->calls[i].duration;
        rc = sim_dist_new_constant(x->ncalls ? sum / (double)x->ncalls : 0, SIM_DIST_DURATION, &d);
    } else if (x->has_durations) {
        double ns[7];
        for (int i = 0; i < 7; i++)
            ns[i] = x->dur_ms[i] * 1e6;
        rc = sim_dist_new_empirical(q, ns, 7, SIM_DIST_DURATION, &d);
    } else {
        rc = sim_dist_new_constant(TRACE_DEFAULT_EXEC_MS * 1e6, SIM_DIST_DURATION, &d);
    }
    return rc == EDGE_OK ? d : oom(c);
}

/* A function id for a trace function: the first 16 characters of its hash,
 * or with "@" and 8 of its app's when that is taken. NULL when both are
 * taken or not valid ids (reported at `at`). */
static char *trace_id(ctx *c, const sim_az_function *x, const cJSON *at, const char *p)
{
    char id[64];
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 0)
            snprintf(id, sizeof id, "%.16s", x->func);
        else
            snprintf(id, sizeof id, "%.16s@%.8s", x->func, x->app);
        if (valid_id(id) && idmap_get(&c->functions, id) == SIM_ALL)
            return xstrdup(c, id);
    }
    diag(c, at, p, "expected trace functions whose ids (hash prefixes, %s) are unique and "
                   "made of " ID_RULE ", found %s",
         "16 characters", quoted(id).s);
    return NULL;
}

static void read_trace_workload(ctx *c, const cJSON *it, const char *p, size_t e)
{
    sim_scenario *s = c->s;
    int type;
    if (enum_field(c, it, p, "type", 1, trace_types, &type) < 0) {
        check_fields(c, it, p, trace_fields, NULL, NULL);
        return;
    }
    char what[64], q[SIM_DIAG_PATH_MAX];
    size_t n0 = c->n; /* the files are read only when the entry itself is sound */
    snprintf(what, sizeof what, "an %s workload", trace_types[type]);
    check_fields(c, it, p, trace_fields, trace_allowed[type], what);
    char **files[3] = {NULL, NULL, NULL};
    size_t nfiles[3] = {0, 0, 0};
    sim_dist *cold = NULL;
    sim_az_trace t;
    memset(&t, 0, sizeof t);
    int bad = trace_files(c, it, p, "invocations", 1, &files[0], &nfiles[0]) < 0;
    bad |= trace_files(c, it, p, "durations", 0, &files[1], &nfiles[1]) < 0;
    bad |= trace_files(c, it, p, "memory", 0, &files[2], &nfiles[2]) < 0;
    int placement = 0, deploy = 0, onerr = 0, unit = 0;
    bad |= enum_field(c, it, p, "placement", 0, placements, &placement) < 0;
    bad |= enum_field(c, it, p, "unit", 0, trace_units, &unit) < 0;
    bad |= enum_field(c, it, p, "deploy", 0, trace_deploys, &deploy) < 0;
    bad |= enum_field(c, it, p, "on_error", 0, on_errors, &onerr) < 0;
    double top = 0, sf = 0, sa = 0, scale = 1, replicas = 1;
    bad |= number_field(c, it, p, "top", 0, &NS_PICK, &top) < 0;
    bad |= number_field(c, it, p, "sample_functions", 0, &NS_PICK, &sf) < 0;
    bad |= number_field(c, it, p, "sample_apps", 0, &NS_PICK, &sa) < 0;
    bad |= number_field(c, it, p, "scale", 0, &NS_SCALE, &scale) < 0;
    bad |= number_field(c, it, p, "replicas", 0, &NS_COUNT, &replicas) < 0;
    size_t region = region_ref(c, it, p, "region");
    bad |= region == SIM_ALL;
    edge_time start = 0, timeout = TRACE_DEFAULT_TIMEOUT, wlo = 0, whi = 0;
    bad |= duration_field(c, it, p, "start", 0, SIGN_NONNEG, "0s", &start) < 0;
    bad |= duration_field(c, it, p, "timeout", 0, SIGN_POS, "10m", &timeout) < 0;
    int rcold = dist_field(c, it, p, "cold_start", 0, 1, &cold);
    bad |= rcold < 0;
    const cJSON *wv = member(it, "window");
    if (wv) {
        path_key(q, p, "window");
        char r0[SIM_DIAG_PATH_MAX], r1[SIM_DIAG_PATH_MAX];
        path_index(r0, q, 0);
        path_index(r1, q, 1);
        if (!cJSON_IsArray(wv) || cJSON_GetArraySize(wv) != 2) {
            diag(c, wv, q, "expected a window of two times such as [\"0m\", \"60m\"], found %s",
                 found(wv).s);
            bad = 1;
        } else if (duration_item(c, wv->child, r0, SIGN_NONNEG, "0m", &wlo) ||
                   duration_item(c, wv->child->next, r1, SIGN_POS, "60m", &whi)) {
            bad = 1;
        } else if (whi <= wlo) {
            diag(c, wv->child->next, r1, "expected a window end after its start, found %s",
                 found(wv->child->next).s);
            bad = 1;
        } else if (type == 0 && (wlo % (60 * EDGE_S) || whi % (60 * EDGE_S))) {
            diag(c, wlo % (60 * EDGE_S) ? wv->child : wv->child->next,
                 wlo % (60 * EDGE_S) ? r0 : r1,
                 "expected whole minutes (the 2019 trace counts per minute), found %s",
                 found(wlo % (60 * EDGE_S) ? wv->child : wv->child->next).s);
            bad = 1;
        }
    }
    if (bad || c->oom || c->n > n0)
        goto done;
    sim_az_options o = {
        .invocations = (const char *const *)files[0], .ninvocations = nfiles[0],
        .durations = (const char *const *)files[1], .ndurations = nfiles[1],
        .memory = (const char *const *)files[2], .nmemory = nfiles[2],
        .window_lo = wlo, .window_hi = whi,
        .top = (size_t)top, .sample_functions = (size_t)sf, .sample_apps = (size_t)sa,
        .seed = s->seed, .skip_errors = onerr == 1, .by_app = unit == 1,
    };
    char err[SIM_DIAG_MSG_MAX - 16];
    if ((type == 0 ? sim_az2019_read : sim_az2021_read)(&o, &t, err, sizeof err) != 0) {
        const char *key = trace_err_key(err, files, nfiles);
        path_key(q, p, key);
        diag(c, member(it, key), q, "%s", err);
        goto done;
    }
    path_key(q, p, "invocations");
    if (t.n == 0) {
        diag(c, member(it, "invocations"), q,
             "expected a trace with at least one invocation in the window, found none");
        goto done;
    }
    if (s->nfunctions + t.n > SIM_SCENARIO_MAX_FUNCTIONS) {
        diag(c, member(it, "invocations"), q, "expected at most %d functions in all, found %zu more after %zu",
             SIM_SCENARIO_MAX_FUNCTIONS, t.n, s->nfunctions);
        goto done;
    }
    sim_function_spec probe = {0};
    size_t cap = capable_nodes(c, &probe);
    if (cap == 0 || (deploy == 1 && cap < replicas)) {
        diag(c, it, p, "expected nodes registered at the start to deploy the trace's functions "
                       "to (%s), found %zu", deploy == 1 ? "at least replicas" : "one or more", cap);
        goto done;
    }
    size_t need = s->nfunctions + t.n;
    if (grow(c, (void **)&s->functions, &c->functions_cap, need, sizeof *s->functions) ||
        grow(c, (void **)&c->fn_id_item, &c->cap_c, need, sizeof *c->fn_id_item) ||
        grow(c, (void **)&c->fn_entry, &c->cap_d, need, sizeof *c->fn_entry) ||
        grow(c, (void **)&s->deployments, &c->deploy_cap, s->ndeployments + t.n,
             sizeof *s->deployments) ||
        grow(c, (void **)&s->workloads, &c->workload_cap, s->nworkloads + t.n,
             sizeof *s->workloads))
        goto done;
    sim_trace_info *ti = realloc(s->traces, (s->ntraces + 1) * sizeof *ti);
    if (!ti) {
        oom(c);
        goto done;
    }
    s->traces = ti;
    for (size_t i = 0; i < t.n && !c->oom; i++) {
        sim_az_function *x = &t.fns[i];
        sim_function_spec f = {0};
        f.timeout = timeout;
        f.memory_mb = x->has_memory ? x->memory_mb : TRACE_DEFAULT_MEMORY_MB;
        if (!(f.id = trace_id(c, x, member(it, "invocations"), q)) ||
            !(f.app = xstrdup(c, x->app)) || !(f.exec = trace_exec(c, x, type == 1))) {
            free_function(&f);
            break;
        }
        if (rcold == 1 && i == 0) {
            f.cold_start = cold;
            cold = NULL;
        } else if (rcold == 1) {
            dist_field(c, it, p, "cold_start", 0, 0, &f.cold_start);
        } else {
            f.cold_start = dist_default_cold_start(c);
        }
        if (!f.cold_start || idmap_put(&c->functions, f.id, s->nfunctions, NULL) <= 0) {
            oom(c);
            free_function(&f);
            break;
        }
        size_t fi = s->nfunctions;
        c->fn_id_item[fi] = member(it, "type");
        c->fn_entry[fi] = e;
        s->functions[s->nfunctions++] = f;
        sim_deployment_spec *d = &s->deployments[s->ndeployments++];
        memset(d, 0, sizeof *d);
        d->function = fi;
        d->kind = deploy == 1 ? SIM_DEPLOY_LEAST_LOADED : SIM_DEPLOY_ALL;
        d->replicas = (uint32_t)replicas;
        sim_workload_spec *w = &s->workloads[s->nworkloads++];
        memset(w, 0, sizeof *w);
        w->function = fi;
        w->region = region;
        w->kind = type == 1 ? SIM_ARRIVAL_CALLS : SIM_ARRIVAL_MINUTES;
        w->start = start;
        w->placement = (sim_placement)placement;
        w->scale = scale;
        w->stream = x->key;
        w->total = x->total;
        w->minutes = x->minutes;
        w->nminutes = x->nminutes;
        w->calls = x->calls;
        w->ncalls = x->ncalls;
        x->minutes = NULL;
        x->calls = NULL;
    }
    ti = &s->traces[s->ntraces++];
    *ti = (sim_trace_info){trace_types[type], e, t.n, t.functions_in_file, t.rows,
                           t.skipped_rows, t.invocations, t.missing_durations, t.missing_memory};
done:
    for (int k = 0; k < 3; k++)
        free_strings(files[k], nfiles[k]);
    dist_free(cold);
    sim_az_trace_free(&t);
}



static void read_workloads(ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (array_field(c, c->root, "", "workloads", 0,
                    "a list of workloads such as [{\"function\": \"resize\", \"arrival\": \"poisson\", ...}]",
                    &arr) <= 0)
        return;
    size_t e = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it && !c->oom; it = it->next, e++) {
        path_index(p, "workloads", e);
        if (!want_object(c, it, p, "a workload"))
            continue;
        if (member(it, "type")) {
            read_trace_workload(c, it, p, e);
            continue;
        }
        int kind;
        size_t *fns = NULL, nfns = 0;
        if (enum_field(c, it, p, "arrival", 1, arrivals, &kind) < 0) {
            check_fields(c, it, p, wl_fields, NULL, NULL);
            function_set(c, it, p, "function", &fns, &nfns);
            region_ref(c, it, p, "region");
            free(fns);
            continue;
        }
        char what[64];
        snprintf(what, sizeof what, "a %s workload", arrivals[kind]);
        check_fields(c, it, p, wl_fields, wl_allowed[kind], what);
        sim_workload_spec t = {0};
        t.kind = (sim_arrival_kind)kind;
        int bad = function_set(c, it, p, "function", &fns, &nfns) < 0;
        bad |= (t.region = region_ref(c, it, p, "region")) == SIM_ALL;
        bad |= duration_field(c, it, p, "start", 0, SIGN_NONNEG, "0s", &t.start) < 0;
        int rs = duration_field(c, it, p, "stop", 0, SIGN_POS, "1h", &t.stop);
        bad |= rs < 0;
        if (rs == 1 && !bad && t.stop <= t.start) {
            char q[SIM_DIAG_PATH_MAX], st[32];
            path_key(q, p, "stop");
            edge_duration_format(st, sizeof st, t.start);
            diag(c, member(it, "stop"), q, "expected a stop after the start (%s), found %s", st,
                 found(member(it, "stop")).s);
            bad = 1;
        }
        bad |= read_arrival(c, it, p, &t) < 0;
        if (bad || grow(c, (void **)&s->workloads, &c->workload_cap, s->nworkloads + nfns,
                        sizeof *s->workloads)) {
            free(fns);
            free_workload(&t);
            continue;
        }
        for (size_t j = 0; j < nfns && !c->oom; j++) {
            sim_workload_spec w = t;
            w.function = fns[j];
            w.times = NULL;
            w.csv_path = NULL;
            if (j == 0) {
                w.times = t.times;
                w.csv_path = t.csv_path;
                t.times = NULL;
                t.csv_path = NULL;
            } else {
                const sim_workload_spec *w0 = &s->workloads[s->nworkloads - j];
                if (w0->ntimes && (w.times = xcalloc(c, w0->ntimes, sizeof *w.times)))
                    memcpy(w.times, w0->times, w0->ntimes * sizeof *w.times);
                if (w0->csv_path)
                    w.csv_path = xstrdup(c, w0->csv_path);
            }
            s->workloads[s->nworkloads++] = w;
        }
        free(fns);
        free_workload(&t);
    }
}

/* ------------------------------------------------------------------------ */
/* Policies and the top level                                                 */

static const char *const policy_fields[] = {"scheduler", "keepalive", "keepalive_ttl",
                                            "health_window", "check_interval", "retries",
                                            "registry_latency", "probes", "overload", NULL};

static const char *const keepalive_types[] = {"fixed", "none", "hybrid", NULL};
static const edge_keepalive_type keepalive_type_of[] = {EDGE_KEEPALIVE_FIXED, EDGE_KEEPALIVE_NONE,
                                                       EDGE_KEEPALIVE_HYBRID};
static const char *const keepalive_fields[] = {"type", "ttl", "bins", "bin_width", "cv_threshold",
                                               "min_samples", "margin", "oob_max", NULL};
/* The parameters each type takes: any other is an error, so that a hybrid
 * parameter given to "fixed" never passes silently. Indexed like keepalive_types. */
static const char *const keepalive_allowed[3][8] = {
    {"type", "ttl", NULL},
    {"type", NULL},
    {"type", "bins", "bin_width", "cv_threshold", "min_samples", "margin", "oob_max", NULL},
};
static const numspec NS_KA_BINS = {1, EDGE_KEEPALIVE_MAX_BINS, 1, 0};
static const numspec NS_KA_SAMPLES = {1, 1e15, 1, 0};
static const numspec NS_KA_CV = {0, 1e9, 0, 0};
static const numspec NS_KA_UNIT = {0, 1, 0, 0};

/* policies.keepalive: a type name, or an object with "type" (default
 * "fixed") and that type's parameters. Returns 0 or -1 (reported). */
static int read_keepalive(ctx *c, const cJSON *v, edge_keepalive_config *out)
{
    const char *path = "policies.keepalive";
    int t = 0;
    if (cJSON_IsString(v)) {
        for (t = 0; keepalive_types[t]; t++)
            if (!strcmp(v->valuestring, keepalive_types[t]))
                break;
        if (!keepalive_types[t]) {
            diag(c, v, path, "expected one of fixed, none, hybrid, found %s%s", found(v).s,
                 did_you_mean(suggest_list(v->valuestring, keepalive_types)).s);
            return -1;
        }
        *out = edge_keepalive_config_default(keepalive_type_of[t]);
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        diag(c, v, path,
             "expected a keep-alive policy (\"fixed\", \"none\", \"hybrid\" or an object such as "
             "{\"type\": \"fixed\", \"ttl\": \"10m\"}), found %s",
             found(v).s);
        return -1;
    }
    int bad = 0;
    if (enum_field(c, v, path, "type", 0, keepalive_types, &t) < 0)
        return -1;
    /* A type given by --set drops the file's parameters of another type, so
     * that --set policies.keepalive.type=hybrid works on {"type": "fixed",
     * "ttl": "10m"}; otherwise a parameter the type does not take is an error. */
    const cJSON *tv = member(v, "type");
    int type_set = tv && is_set_item(c, tv);
    check_fields(c, v, path, keepalive_fields, NULL, NULL);
    for (const cJSON *it = v->child; it; it = it->next) {
        if (!it->string || !in_list(it->string, keepalive_fields) ||
            in_list(it->string, keepalive_allowed[t]) || (type_set && !is_set_item(c, it)))
            continue;
        char known[200], q[SIM_DIAG_PATH_MAX];
        join_list(known, sizeof known, keepalive_allowed[t]);
        path_key(q, path, it->string);
        diag(c, it, q, "expected only the fields of type %s (%s), found %s", keepalive_types[t],
             known, quoted(it->string).s);
        bad = 1;
    }
    edge_keepalive_config k = edge_keepalive_config_default(keepalive_type_of[t]);
    double d;
    uint32_t bins = k.bins;
    if (t == 0)
        bad |= duration_field(c, v, path, "ttl", 0, SIGN_NONNEG, "10m", &k.ttl) < 0;
    if (t == 2) {
        bad |= u32_field(c, v, path, "bins", 0, &NS_KA_BINS, &bins) < 0;
        k.bins = bins;
        bad |= duration_field(c, v, path, "bin_width", 0, SIGN_POS, "1m", &k.bin_width) < 0;
        bad |= number_field(c, v, path, "cv_threshold", 0, &NS_KA_CV, &k.cv_threshold) < 0;
        int r = number_field(c, v, path, "min_samples", 0, &NS_KA_SAMPLES, &d);
        bad |= r < 0;
        if (r == 1)
            k.min_samples = (uint64_t)d;
        r = number_field(c, v, path, "margin", 0, &NS_KA_UNIT, &d);
        bad |= r < 0;
        if (r == 1 && d >= 1) {
            diag(c, member(v, "margin"), "policies.keepalive.margin",
                 "expected a number from 0 to below 1, found %s", found(member(v, "margin")).s);
            bad = 1;
        } else if (r == 1) {
            k.margin = d;
        }
        bad |= number_field(c, v, path, "oob_max", 0, &NS_KA_UNIT, &k.oob_max) < 0;
        if (!bad && edge_keepalive_config_validate(&k) != EDGE_OK) {
            diag(c, member(v, "bins") ? member(v, "bins") : v, path,
                 "expected bins x bin_width below 292 years, found %u x %s", k.bins,
                 member(v, "bin_width") ? found(member(v, "bin_width")).s : "1m");
            bad = 1;
        }
    }
    if (!bad)
        *out = k;
    return bad ? -1 : 0;
}

static const char *const plugin_fields[] = {"plugin", "params", NULL};

/*
 * "scheduler": {"plugin": "policy.so", "params": {...}}: the path relative to
 * the scenario's folder, the params kept as compact JSON text. The plugin
 * is loaded once here (and unloaded) so a missing file, a missing symbol,
 * another ABI version or params its create() refuses are scenario problems
 * (exit 2) reported at the field, not a failed run. Sets pol->scheduler to
 * "plugin:NAME".
 */
static void read_plugin(ctx *c, const cJSON *obj)
{
    sim_policies *pol = &c->s->policies;
    const char *path = "policies.scheduler";
    char p[SIM_DIAG_PATH_MAX];
    check_fields(c, obj, path, plugin_fields, NULL, NULL);
    const cJSON *so = member(obj, "plugin");
    path_key(p, path, "plugin");
    if (!so) {
        missing(c, obj, path, "plugin", "the plugin's shared object such as \"policy.so\"");
        return;
    }
    if (!cJSON_IsString(so) || !so->valuestring[0]) {
        diag(c, so, p, "expected the plugin's shared object such as \"policy.so\", found %s",
             found(so).s);
        return;
    }
    const cJSON *params = member(obj, "params");
    if (params && !cJSON_IsObject(params)) {
        char pp[SIM_DIAG_PATH_MAX];
        path_key(pp, path, "params");
        diag(c, params, pp, "expected the plugin's parameters (an object), found %s",
             found(params).s);
        return;
    }
    if (!(pol->plugin_path = resolve_csv(c, so->valuestring)))
        return;
    char *text = params ? cJSON_PrintUnformatted(params) : NULL;
    pol->plugin_params = xstrdup(c, text ? text : "{}");
    cJSON_free(text);
    if (!pol->plugin_params)
        return;
    char err[512] = "";
    sim_plugin *pl = sim_plugin_load(pol->plugin_path, pol->plugin_params, c->s->nfunctions,
                                     c->s->nnodes, err, sizeof err);
    if (!pl) {
        diag(c, so, p, "expected a loadable policy plugin, found %s", err);
        return;
    }
    const char *name = sim_plugin_table(pl)->name;
    size_t n = strlen(name ? name : "") + 8;
    free(pol->scheduler);
    if ((pol->scheduler = xcalloc(c, n, 1)))
        snprintf(pol->scheduler, n, "plugin:%s", name ? name : "");
    sim_plugin_free(pl);
}

static const char *const probe_fields[] = {"period", "timeout", "failures", NULL};
static const char *const overload_fields[] = {"cpu_percent", "memory_percent", "disk_percent",
                                              NULL};

/* policies.probes: off when absent; the timeout may not exceed the period, so
 * a probe's answer is in before the next probe of the node is sent. */
static void read_probes(ctx *c, const cJSON *pol_obj, sim_policies *pol)
{
    const char *p = "policies.probes";
    const cJSON *obj = optional_object(c, pol_obj, "probes", p, "the active probes", probe_fields);
    if (!obj)
        return;
    edge_time period = 0, timeout = EDGE_S;
    uint32_t failures = 3;
    int bad = duration_field(c, obj, p, "period", 1, SIGN_POS, "5s", &period) < 0;
    int rt = duration_field(c, obj, p, "timeout", 0, SIGN_POS, "1s", &timeout);
    bad |= rt < 0;
    bad |= u32_field(c, obj, p, "failures", 0, &NS_PROBE_FAILURES, &failures) < 0;
    if (!bad && timeout > period) {
        char want[64], have[64], q[SIM_DIAG_PATH_MAX];
        edge_duration_format(want, sizeof want, period);
        edge_duration_format(have, sizeof have, timeout);
        path_key(q, p, "timeout");
        diag(c, rt == 1 ? member(obj, "timeout") : obj, q,
             "expected a duration of at most the period (%s), found \"%s\"", want, have);
        bad = 1;
    }
    if (bad)
        return;
    pol->probe_period = period;
    pol->probe_timeout = timeout;
    pol->probe_failures = failures;
}

/* policies.overload: the usage percentages at or above which a node's
 * heartbeat makes it DEGRADED (reason "overloaded"). */
static void read_overload(ctx *c, const cJSON *pol_obj, sim_policies *pol)
{
    const char *p = "policies.overload";
    const cJSON *obj =
        optional_object(c, pol_obj, "overload", p, "the overload thresholds", overload_fields);
    if (!obj)
        return;
    number_field(c, obj, p, "cpu_percent", 0, &NS_PERCENT, &pol->overload_cpu);
    number_field(c, obj, p, "memory_percent", 0, &NS_PERCENT, &pol->overload_memory);
    number_field(c, obj, p, "disk_percent", 0, &NS_PERCENT, &pol->overload_disk);
}

static void read_policies(ctx *c)
{
    sim_policies *pol = &c->s->policies;
    pol->keepalive_ttl = 10 * EDGE_MIN;
    pol->keepalive = edge_keepalive_config_default(EDGE_KEEPALIVE_FIXED);
    pol->health_window = 60 * EDGE_S;
    pol->check_interval = 5 * EDGE_S;
    pol->retries = 0;
    pol->registry_latency = 50 * EDGE_MS;
    pol->overload_cpu = pol->overload_memory = pol->overload_disk = EDGE_OVERLOAD_DEFAULT_PERCENT;
    const cJSON *obj = member(c->root, "policies");
    int sched = 0;
    const char *const *names = edge_scheduler_policies();
    if (obj && want_object(c, obj, "policies", "the policies")) {
        check_fields(c, obj, "policies", policy_fields, NULL, NULL);
        if (cJSON_IsObject(member(obj, "scheduler")))
            read_plugin(c, member(obj, "scheduler"));
        else
            enum_field(c, obj, "policies", "scheduler", 0, names, &sched);
        int has_ttl = duration_field(c, obj, "policies", "keepalive_ttl", 0, SIGN_NONNEG, "10m",
                                     &pol->keepalive_ttl);
        const cJSON *ka = member(obj, "keepalive"), *ttl = member(obj, "keepalive_ttl");
        /* Both in the file (or both from --set) is an error; one from --set
         * overrides the other from the file, so that --set policies.keepalive=...
         * works on a file that uses the keepalive_ttl shorthand. */
        int ka_set = ka && is_set_item(c, ka), ttl_set = ttl && is_set_item(c, ttl);
        if (ka && ttl && ka_set == ttl_set)
            diag(c, ttl, "policies.keepalive_ttl",
                 "expected either keepalive or keepalive_ttl (a shorthand for "
                 "{\"type\": \"fixed\", \"ttl\": ...}), found both");
        else if (ka && !(ttl && ttl_set))
            read_keepalive(c, ka, &pol->keepalive);
        else if (has_ttl == 1)
            pol->keepalive.ttl = pol->keepalive_ttl;
        duration_field(c, obj, "policies", "health_window", 0, SIGN_POS, "60s", &pol->health_window);
        duration_field(c, obj, "policies", "check_interval", 0, SIGN_POS, "5s", &pol->check_interval);
        u32_field(c, obj, "policies", "retries", 0, &NS_RETRIES, &pol->retries);
        duration_field(c, obj, "policies", "registry_latency", 0, SIGN_NONNEG, "50ms",
                       &pol->registry_latency);
        read_probes(c, obj, pol);
        read_overload(c, obj, pol);
    }
    if (!pol->scheduler)
        pol->scheduler = xstrdup(c, names[sched]);
    pol->keepalive_ttl = pol->keepalive.type == EDGE_KEEPALIVE_FIXED ? pol->keepalive.ttl : 0;
}

static const char *const top_fields[] = {
    "$schema", "name", "description", "seed", "duration", "sample_interval", "regions", "nodes",
    "network", "functions", "deployments", "workloads", "faults", "policies", "sync", NULL};

static const char *const sync_fields[] = {"interval", "initial", "bandwidth_mbps", NULL};
static const numspec NS_MBPS = {0, 1e9, 0, 1};

/* The state synchronizer: off unless "sync" is there. */
static void read_sync(ctx *c)
{
    sim_sync_spec *y = &c->s->sync;
    const cJSON *obj =
        optional_object(c, c->root, "sync", "sync", "the state synchronizer", sync_fields);
    if (!obj)
        return;
    y->bandwidth_mbps = 0; /* absent: each node's own bandwidth_mb_per_s */
    int bad = duration_field(c, obj, "sync", "interval", 1, SIGN_POS, "10s", &y->interval) < 0;
    bad |= number_field(c, obj, "sync", "bandwidth_mbps", 0, &NS_MBPS, &y->bandwidth_mbps) < 0;
    const cJSON *init = member(obj, "initial");
    y->initial = init ? cJSON_Duplicate(init, 1) : cJSON_CreateObject();
    if (!y->initial)
        oom(c);
    y->enabled = !bad && y->initial;
}

/* The default name: the file's base name without ".json", made id-safe. */
static char *default_name(ctx *c)
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
    char *out = xcalloc(c, n + 1, 1);
    if (out)
        for (size_t i = 0; i < n; i++)
            out[i] = id_char((unsigned char)b[i]) ? b[i] : '-';
    return out;
}

static void read_top(ctx *c)
{
    sim_scenario *s = c->s;
    check_fields(c, c->root, "", top_fields, NULL, NULL);
    const char *str;
    const cJSON *v = member(c->root, "name");
    if (v) {
        if (id_item(c, v, "name", "a scenario name", &str) == 0)
            s->name = xstrdup(c, str);
    } else {
        s->name = default_name(c);
    }
    if (member(c->root, "$schema"))
        string_field(c, c->root, "", "$schema", 0, "the schema's path or URL", &str);
    if (member(c->root, "description"))
        string_field(c, c->root, "", "description", 0, "a string", &str);
    double seed = 1;
    number_field(c, c->root, "", "seed", 0, &NS_SEED, &seed);
    s->seed = (uint64_t)seed;
    int rd = duration_field(c, c->root, "", "duration", 1, SIGN_POS, "1h", &s->duration);
    if (duration_field(c, c->root, "", "sample_interval", 0, SIGN_POS, "10s", &s->sample_interval) == 0 &&
        rd == 1) {
        edge_time t = (s->duration / 100 + EDGE_S / 2) / EDGE_S * EDGE_S;
        s->sample_interval = t < EDGE_S ? EDGE_S : t;
    }
}

/* ------------------------------------------------------------------------ */
/* --set PATH=VALUE                                                           */

static int mark_set(ctx *c, const cJSON *v)
{
    if (c->nset_items == c->set_cap) {
        size_t ncap = c->set_cap ? 2 * c->set_cap : 16;
        const cJSON **p = realloc(c->set_items, ncap * sizeof *p);
        if (!p)
            return -1;
        c->set_items = p;
        c->set_cap = ncap;
    }
    c->set_items[c->nset_items++] = v;
    for (const cJSON *k = v->child; k; k = k->next)
        if (mark_set(c, k))
            return -1;
    return 0;
}

__attribute__((format(printf, 3, 4))) static void set_diag(ctx *c, const char *path,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(c, NULL, path, fmt, ap);
    va_end(ap);
    if (c->n <= c->max)
        c->diags[c->n - 1].file = "--set";
}

static void apply_set(ctx *c, const char *set)
{
    const char *eq = strchr(set, '=');
    char path[SIM_DIAG_PATH_MAX];
    if (!eq || eq == set || (size_t)(eq - set) >= sizeof path) {
        set_diag(c, "", "expected PATH=VALUE such as \"policies.scheduler=round_robin\", found %s",
                 quoted(set).s);
        return;
    }
    memcpy(path, set, (size_t)(eq - set));
    path[eq - set] = 0;
    const char *value = eq + 1;
    const char *pp = path;
    cJSON *cur = c->root;
    seg sg;
    int first = 1, r;
    char done[SIM_DIAG_PATH_MAX] = "";
    while ((r = next_seg(&pp, first, &sg)) == 1) {
        first = 0;
        int last = *pp == 0;
        char here[SIM_DIAG_PATH_MAX];
        if (sg.is_index) {
            path_index(here, done, sg.index);
            if (!cJSON_IsArray(cur)) {
                set_diag(c, path, "expected a list at %s to index, found %s", done[0] ? done : "the top",
                         found(cur).s);
                return;
            }
            int size = cJSON_GetArraySize(cur);
            if (sg.index >= (size_t)size) {
                set_diag(c, path, "expected an index below %d in %s, found %zu", size, done, sg.index);
                return;
            }
        } else {
            path_key(here, done, sg.key);
            if (!cJSON_IsObject(cur)) {
                set_diag(c, path, "expected an object at %s to set %s in, found %s",
                         done[0] ? done : "the top", quoted(sg.key).s, found(cur).s);
                return;
            }
        }
        if (last) {
            cJSON *val = cJSON_ParseWithOpts(value, NULL, 1);
            if (!val)
                val = cJSON_CreateString(value);
            if (!val || mark_set(c, val)) {
                cJSON_Delete(val);
                oom(c);
                return;
            }
            if (sg.is_index)
                cJSON_ReplaceItemInArray(cur, (int)sg.index, val);
            else if (cJSON_GetObjectItemCaseSensitive(cur, sg.key))
                cJSON_ReplaceItemInObjectCaseSensitive(cur, sg.key, val);
            else
                cJSON_AddItemToObject(cur, sg.key, val);
            return;
        }
        cJSON *next = sg.is_index ? cJSON_GetArrayItem(cur, (int)sg.index)
                                  : cJSON_GetObjectItemCaseSensitive(cur, sg.key);
        if (!next) {
            if (!(next = cJSON_AddObjectToObject(cur, sg.key)) || mark_set(c, next)) {
                oom(c);
                return;
            }
        }
        cur = next;
        memcpy(done, here, sizeof done);
    }
    set_diag(c, "", "expected PATH=VALUE with a path such as \"functions[0].memory_mb\", found %s",
             quoted(set).s);
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                               */

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

sim_scenario *sim_scenario_parse(const char *text, size_t len, const char *name_for_errors,
                                 const char *const *sets, size_t nsets, sim_diag *diags,
                                 size_t max_diags, size_t *ndiags)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.file = !name_for_errors || !strcmp(name_for_errors, "-") ? "<stdin>" : name_for_errors;
    c.diags = diags;
    c.max = diags ? max_diags : 0;
    c.registered_at_start = SIM_ALL;
    sim_scenario *s = NULL;
    if (len > SIM_SCENARIO_MAX_BYTES) {
        diag(&c, NULL, "", "expected a scenario of at most %u bytes, found %zu bytes",
             SIM_SCENARIO_MAX_BYTES, len);
        goto done;
    }
    int eline = 0, ecol = 0, nomem = 0;
    strbuf near;
    c.root = json_read(text, len, &c.pos, &eline, &ecol, &near, &nomem);
    if (!c.root) {
        if (nomem) {
            oom(&c);
        } else {
            diag(&c, NULL, "", "expected valid JSON, found %s", near.s);
            if (c.n <= c.max) {
                c.diags[c.n - 1].line = eline;
                c.diags[c.n - 1].col = ecol;
            }
        }
        goto done;
    }
    for (size_t i = 0; i < nsets && !c.oom; i++)
        apply_set(&c, sets[i]);
    if (!cJSON_IsObject(c.root)) {
        diag(&c, c.root, "", "expected a scenario (an object with \"nodes\", \"functions\", ...), found %s",
             found(c.root).s);
        goto done;
    }
    if (!(s = xcalloc(&c, 1, sizeof *s)) || !(s->path = xstrdup(&c, name_for_errors ? name_for_errors : "-")))
        goto done;
    c.s = s;
    read_top(&c);
    read_regions(&c);
    read_nodes(&c);
    if (!(c.stamp = xcalloc(&c, s->nnodes, sizeof *c.stamp)))
        goto done;
    read_functions(&c);
    read_network(&c);
    read_faults(&c);
    const cJSON *deps = NULL;
    if (array_field(&c, c.root, "", "deployments", 0,
                    "a list of deployments such as [{\"function\": \"resize\", \"strategy\": \"all\"}]",
                    &deps) > 0) {
        size_t i = 0;
        char p[SIM_DIAG_PATH_MAX];
        for (const cJSON *it = deps->child; it && !c.oom; it = it->next, i++) {
            path_index(p, "deployments", i);
            if (want_object(&c, it, p, "a deployment"))
                read_deployment(&c, it, p);
        }
    }
    read_workloads(&c);
    read_policies(&c);
    read_sync(&c);
done:
    if (c.n && c.max)
        sort_diags(c.diags, c.n < c.max ? c.n : c.max);
    if (ndiags)
        *ndiags = c.n;
    if (!c.n && s) {
        s->index_ = calloc(1, sizeof *s->index_);
        if (s->index_) {
            s->index_->regions = c.regions;
            s->index_->nodes = c.nodes;
            s->index_->functions = c.functions;
            memset(&c.regions, 0, sizeof c.regions);
            memset(&c.nodes, 0, sizeof c.nodes);
            memset(&c.functions, 0, sizeof c.functions);
        }
    }
    idmap_free(&c.regions);
    idmap_free(&c.nodes);
    idmap_free(&c.functions);
    free(c.node_id_item);
    free(c.node_entry);
    free(c.fn_id_item);
    free(c.fn_entry);
    free(c.stamp);
    free(c.set_items);
    jsonpos_free(&c.pos);
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
    int is_stdin = !strcmp(path, "-");
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int err = 0;
    if (fp) {
        for (;;) {
            if (len == cap) {
                size_t ncap = cap ? 2 * cap : 65536;
                if (ncap > (size_t)SIM_SCENARIO_MAX_BYTES + 1)
                    ncap = (size_t)SIM_SCENARIO_MAX_BYTES + 1;
                if (ncap == cap)
                    break; /* over the limit: sim_scenario_parse says so */
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
    } else {
        err = errno;
    }
    if (err) {
        free(buf);
        if (ndiags)
            *ndiags = 1;
        if (diags && max_diags) {
            sim_diag_clear(&diags[0]);
            diags[0].file = path;
            snprintf(diags[0].msg, sizeof diags[0].msg, "cannot read the file: %s", strerror(err));
        }
        return NULL;
    }
    sim_scenario *s = sim_scenario_parse(buf ? buf : "", len, path, sets, nsets, diags, max_diags, ndiags);
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
        free_node(&s->nodes[i]);
    free(s->nodes);
    free(s->network.matrix);
    for (size_t i = 0; i < s->nfunctions; i++)
        free_function(&s->functions[i]);
    free(s->functions);
    for (size_t i = 0; i < s->ndeployments; i++)
        free(s->deployments[i].nodes);
    free(s->deployments);
    for (size_t i = 0; i < s->nworkloads; i++)
        free_workload(&s->workloads[i]);
    free(s->workloads);
    for (size_t i = 0; i < s->nfaults; i++)
        free_fault(&s->faults[i]);
    free(s->faults);
    free(s->policies.scheduler);
    free(s->policies.plugin_path);
    free(s->policies.plugin_params);
    cJSON_Delete(s->sync.initial);
    free(s->traces);
    if (s->index_) {
        idmap_free(&s->index_->regions);
        idmap_free(&s->index_->nodes);
        idmap_free(&s->index_->functions);
        free(s->index_);
    }
    free(s);
}

static double great_circle_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

edge_time sim_scenario_latency(const sim_scenario *s, size_t client_region, size_t node)
{
    const sim_node_spec *n = &s->nodes[node];
    const sim_network *net = &s->network;
    if (net->kind == SIM_NET_MATRIX && net->matrix)
        return net->matrix[client_region * s->nregions + n->region];
    if (net->kind == SIM_NET_COORDS) {
        const sim_region *cr = &s->regions[client_region], *nr = &s->regions[n->region];
        int has = n->has_coords || nr->has_coords;
        double lat = n->has_coords ? n->lat : nr->lat, lon = n->has_coords ? n->lon : nr->lon;
        if (cr->has_coords && has)
            return net->base +
                   (edge_time)llround((double)net->per_km * great_circle_km(cr->lat, cr->lon, lat, lon));
    }
    return client_region == n->region ? net->same_region : net->cross_region;
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
        return idmap_get(&s->index_->nodes, id);
    return linear_find(id, s->nodes, s->nnodes, sizeof *s->nodes);
}

size_t sim_scenario_function_index(const sim_scenario *s, const char *id)
{
    if (s->index_)
        return idmap_get(&s->index_->functions, id);
    return linear_find(id, s->functions, s->nfunctions, sizeof *s->functions);
}

/* ------------------------------------------------------------------------ */
/* One fault added to a read scenario (the embedding API's inject)            */

int sim_scenario_add_fault(sim_scenario *s, const char *text, size_t len,
                           const char *name_for_errors, edge_time now, sim_diag *diags,
                           size_t max_diags, size_t *ndiags)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.file = name_for_errors ? name_for_errors : "<fault>";
    c.diags = diags;
    c.max = diags ? max_diags : 0;
    c.registered_at_start = SIM_ALL;
    c.s = s;
    cJSON *it = NULL;
    sim_fault_spec f;
    int eline = 0, ecol = 0, nomem = 0, placed_at = 0;
    strbuf near;
    if (!s->index_) {
        oom(&c);
        goto done;
    }
    /* borrowed for the lookups; handed back below, never freed here */
    c.regions = s->index_->regions;
    c.nodes = s->index_->nodes;
    c.functions = s->index_->functions;
    it = json_read(text, len, &c.pos, &eline, &ecol, &near, &nomem);
    if (!it) {
        if (nomem) {
            oom(&c);
        } else {
            diag(&c, NULL, "", "expected valid JSON, found %s", near.s);
            if (c.n <= c.max) {
                c.diags[c.n - 1].line = eline;
                c.diags[c.n - 1].col = ecol;
            }
        }
        goto done;
    }
    if (!want_object(&c, it, "", "a fault"))
        goto done;
    /* "at" defaults to now (a trace replay has no "at": its rows say when) */
    const cJSON *kind = member(it, "kind");
    int trace = cJSON_IsString(kind) &&
                !strcmp(kind->valuestring, fault_kinds[SIM_FAULT_GOOGLE_MACHINE_EVENTS]);
    if (!member(it, "at") && !trace) {
        if (!cJSON_AddStringToObject(it, "at", "0s")) {
            oom(&c);
            goto done;
        }
        placed_at = 1;
    }
    /* a state fault checks the scenario has "sync": the root it looks in */
    if (!(c.root = cJSON_CreateObject()) ||
        (s->sync.enabled && !cJSON_AddTrueToObject(c.root, "sync")) ||
        !(c.stamp = xcalloc(&c, s->nnodes ? s->nnodes : 1, sizeof *c.stamp))) {
        oom(&c);
        goto done;
    }
    if (read_fault(&c, it, "", &f) != 0)
        goto done;
    if (placed_at || trace)
        f.at = now;
    if (f.at < now || f.at > s->duration) {
        diag(&c, member(it, "at"), "at",
             "expected a time in [now, the end of the run] = [%.9g s, %.9g s], found %.9g s",
             edge_time_to_s(now), edge_time_to_s(s->duration), edge_time_to_s(f.at));
        free_fault(&f);
        goto done;
    }
    sim_fault_spec *grown = realloc(s->faults, (s->nfaults + 1) * sizeof *grown);
    if (!grown) {
        free_fault(&f);
        oom(&c);
        goto done;
    }
    s->faults = grown;
    s->faults[s->nfaults++] = f;
done:
    if (s->index_) {
        s->index_->regions = c.regions;
        s->index_->nodes = c.nodes;
        s->index_->functions = c.functions;
    }
    if (c.n && c.max)
        sort_diags(c.diags, c.n < c.max ? c.n : c.max);
    if (ndiags)
        *ndiags = c.n;
    free(c.stamp);
    jsonpos_free(&c.pos);
    cJSON_Delete(c.root);
    cJSON_Delete(it);
    return c.n ? -1 : 0;
}
