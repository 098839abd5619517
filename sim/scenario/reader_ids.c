/*
 * reader_ids.c — the scenario reader's kit: ids and references to them.
 *
 * The id tables of regions, nodes and functions, the id patterns of groups
 * ("edge-{i}"), claiming a defined id, and resolving references (one id, a
 * "prefix*" pattern, a list of them) to indices with did-you-mean. The
 * manual is reader.h.
 */
#include "scenario/reader.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/suggest.h"
#include "ids.h"
#include "util.h"

static const sc_numspec NS_FIRST = {0, 1e15, 1, 0};

/* What id_eq compares against: the records of one kind. */
typedef struct sc_idkey {
    const sim_scenario *s;
    sc_idkind k;
} sc_idkey;

/* ------------------------------------------------------------------------ */
/* Id tables                                                                  */

static bool id_eq(const void *ctx, uint32_t val, const void *key)
{
    const sim_scenario *s = ((const sc_idkey *)ctx)->s;
    return !strcmp(sc_id_key(s, ((const sc_idkey *)ctx)->k, val), key);
}

size_t sc_id_find(const sim_scenario *s, const struct sim__scenario_index *ix, sc_idkind k,
                  const char *id)
{
    sc_idkey ctx = {s, k};
    uint32_t v = edge__idmap_find(&ix->map[k], edge__hash_str(id), id_eq, &ctx, id);
    return v == EDGE_NONE ? SIM_ALL : v;
}

int sc_id_add(sc_ctx *c, sc_idkind k, const char *id, size_t idx)
{
    edge__idmap *m = &c->ix.map[k];
    if (edge__idmap_reserve(m, m->count + 1) != EDGE_OK) {
        sc_oom(c);
        return -1;
    }
    edge__idmap_insert(m, edge__hash_str(id), (uint32_t)idx);
    return 0;
}

void sc_index_free(struct sim__scenario_index *ix)
{
    for (int k = 0; k < 3; k++)
        edge__idmap_free(&ix->map[k]);
}

/* ------------------------------------------------------------------------ */
/* Id patterns of groups: "edge-{i}" or "edge-{i:04}"                         */

static int parse_pattern(const char *s, sc_idpat *p)
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
        if (!sc_id_char((unsigned char)*t))
            return -1;
    for (const char *t = q; *t; t++)
        if (!sc_id_char((unsigned char)*t))
            return -1;
    p->pre = s;
    p->prelen = (size_t)(open - s);
    p->post = q;
    p->width = width;
    return 0;
}

/* The prefix, i zero-padded to the width, the suffix: what
 * "%.*s%0*llu%s" prints, by hand (a million nodes expand a million ids). */
char *sc_expand(sc_ctx *c, const sc_idpat *p, unsigned long long i)
{
    char buf[2 * SIM_ID_MAX + 32];
    size_t nd = (size_t)sim_decimal_len(i);
    size_t width = p->width > 0 ? (size_t)p->width : 0;
    size_t pad = width > nd ? width - nd : 0, postlen = strlen(p->post);
    if (p->prelen + pad + nd + postlen >= sizeof buf)
        return NULL;
    char *w = buf;
    memcpy(w, p->pre, p->prelen);
    w += p->prelen;
    memset(w, '0', pad);
    w += pad;
    sim_put_digits(w, i, (int)nd);
    memcpy(w + nd, p->post, postlen + 1);
    return sc_xstrdup(c, buf);
}

/*
 * The "id", "count" and "first" of a nodes[] or functions[] entry. Sets
 * *count (1 for a single entry) and *first; for a group, *pat. Returns 0 or
 * -1 (reported).
 */
int sc_entry_ids(sc_ctx *c, const cJSON *obj, const char *path, const char *what,
                     const char *example, const char **id, sc_idpat *pat, size_t *count,
                     unsigned long long *first)
{
    double cnt = 1, fst = 1;
    int rc = sc_number_field(c, obj, path, "count", 0, &SC_NS_COUNT, &cnt);
    int rf = sc_number_field(c, obj, path, "first", 0, &NS_FIRST, &fst);
    const cJSON *v = sc_member(obj, "id");
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, "id");
    if (!v) {
        char w[160];
        snprintf(w, sizeof w, "%s such as \"%s\"", what, example);
        sc_missing(c, obj, path, "id", w);
        return -1;
    }
    if (rc < 0 || rf < 0)
        return -1;
    if (rf == 1 && rc == 0) {
        char q[SIM_DIAG_PATH_MAX];
        sc_path_key(q, path, "first");
        sc_diag(c, sc_member(obj, "first"), q, "expected \"first\" only beside \"count\", found %s",
                sc_found(sc_member(obj, "first")).s);
        return -1;
    }
    *count = (size_t)cnt;
    *first = (unsigned long long)fst;
    if (rc == 1) {
        if (!cJSON_IsString(v) || parse_pattern(v->valuestring, pat)) {
            sc_diag(c, v, p, "expected an id pattern with one {i} or {i:04} such as \"%s-{i}\", found %s",
                    example, sc_found(v).s);
            return -1;
        }
        size_t digits = (size_t)snprintf(NULL, 0, "%llu", *first + *count - 1);
        size_t len = pat->prelen + strlen(pat->post) + (digits > (size_t)pat->width ? digits : (size_t)pat->width);
        if (len > SIM_ID_MAX) {
            sc_diag(c, v, p, "expected ids of at most %d characters, found %s", SIM_ID_MAX, sc_found(v).s);
            return -1;
        }
        *id = v->valuestring;
        return 0;
    }
    if (cJSON_IsString(v) && strchr(v->valuestring, '{') && !sc_valid_id(v->valuestring)) {
        sc_diag(c, v, p, "expected %s (" SC_ID_RULE "; a pattern needs \"count\"), found %s", what,
                sc_found(v).s);
        return -1;
    }
    return sc_id_item(c, v, p, what, id);
}

void sc_lose_table(sc_ctx *c, sc_idkind k)
{
    c->incomplete[k] = 1;
}

int sc_nodes_partial(const sc_ctx *c)
{
    return c->incomplete[SC_NODES] || c->nlost[SC_NODES] || c->nodes_doubtful;
}

void sc_lose_ids(sc_ctx *c, sc_idkind k, const cJSON *obj)
{
    const cJSON *v = cJSON_IsObject(obj) ? sc_member(obj, "id") : NULL;
    sc_idpat pat;
    /* a group (with "count") names its ids by a pattern, else by an id or
     * a pattern given without its count */
    int group = v && sc_member(obj, "count") != NULL;
    if (!cJSON_IsString(v) || !v->valuestring[0] || (group && parse_pattern(v->valuestring, &pat))) {
        sc_lose_table(c, k); /* which ids it meant is not known */
        return;
    }
    /* a malformed id ("air port") is remembered too: what it meant is near it */
    if (sc_grow(c, (void **)&c->lost[k], &c->lost_cap[k], c->nlost[k] + 1, sizeof *c->lost[k]))
        return;
    c->lost[k][c->nlost[k]++] = v;
}

/* Whether id is pattern p's id for some index: its prefix, digits (at
 * least its width, at least one), its suffix. */
static int pattern_match(const sc_idpat *p, const char *id)
{
    size_t n = strlen(id), postlen = strlen(p->post);
    if (n < p->prelen + postlen + 1 || strncmp(id, p->pre, p->prelen) ||
        strcmp(id + n - postlen, p->post))
        return 0;
    size_t digits = n - p->prelen - postlen;
    for (size_t i = 0; i < digits; i++)
        if (!isdigit((unsigned char)id[p->prelen + i]))
            return 0;
    return digits >= (size_t)(p->width ? p->width : 1);
}

int sc_lost_id(const sc_ctx *c, sc_idkind k, const char *id, int prefix)
{
    if (c->incomplete[k]) /* any id could have been meant */
        return 1;
    for (size_t i = 0; i < c->nlost[k]; i++) {
        const char *lost = c->lost[k][i]->valuestring;
        sc_idpat p;
        if (parse_pattern(lost, &p) != 0) {
            /* a plain id, or a malformed one that meant an id a letter or
             * two from it ("airport" for "air port") */
            int near = sc_valid_id(lost) ? !strcmp(lost, id) : sim_suggest_close(id, lost, NULL);
            if (prefix ? !strncmp(lost, id, strlen(id)) : near)
                return 1;
            continue;
        }
        /* a pattern's prefix could match when either begins the other
         * (generous: it only keeps a follow-up problem quiet) */
        size_t n = strlen(id);
        if (prefix ? !strncmp(id, p.pre, n < p.prelen ? n : p.prelen) : pattern_match(&p, id))
            return 1;
    }
    return 0;
}

/*
 * Gives id the index idx (reader.h). The id is looked up first: core's table
 * keeps no keys, and record idx is stored by the caller only once claimed.
 */
int sc_claim_id(sc_ctx *c, sc_idkind k, const char *id, size_t idx, const size_t *entry,
                const char *p, const cJSON *idv, int *dup_seen)
{
    size_t old = sc_id_find(c->s, &c->ix, k, id);
    if (old == SIM_ALL)
        return sc_id_add(c, k, id, idx) == 0;
    if (!*dup_seen) {
        const char *kind = k == SC_NODES ? "node" : "function";
        char fp[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
        sc_path_index(fp, k == SC_NODES ? "nodes" : "functions", entry[old]);
        sc_path_key(q, p, "id");
        sc_diag(c, idv, q, "expected a unique %s id, found %s again (first in %s)", kind,
                sc_quoted(id).s, fp);
        *dup_seen = 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* References                                                                 */

/* A region reference: the index, or SIM_ALL (reported). */
size_t sc_region_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const char *name;
    if (sc_string_field(c, obj, path, key, 1, "a region id such as \"eu-west\"", &name) < 0)
        return SIM_ALL;
    size_t r = sc_id_find(c->s, &c->ix, SC_REGIONS, name);
    if (r == SIM_ALL && !sc_lost_id(c, SC_REGIONS, name, 0)) {
        char p[SIM_DIAG_PATH_MAX];
        sc_path_key(p, path, key);
        sc_diag(c, sc_member(obj, key), p, "expected a region id defined in regions, found %s%s",
                sc_quoted(name).s, sc_did_you_mean(sc_suggest_id(name, c->s, SC_REGIONS)).s);
    }
    return r;
}

static size_t node_ref_item(sc_ctx *c, const cJSON *v, const char *path)
{
    const char *id;
    if (sc_id_item(c, v, path, "a node id", &id))
        return SIM_ALL;
    size_t n = sc_id_find(c->s, &c->ix, SC_NODES, id);
    if (n == SIM_ALL && !sc_lost_id(c, SC_NODES, id, 0))
        sc_diag(c, v, path, "expected a node id defined in nodes, found %s%s", sc_found(v).s,
                sc_did_you_mean(sc_suggest_id(id, c->s, SC_NODES)).s);
    return n;
}

size_t sc_node_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    if (!v) {
        sc_missing(c, obj, path, key, "a node id such as \"edge-1\"");
        return SIM_ALL;
    }
    return node_ref_item(c, v, p);
}

static size_t function_ref_item(sc_ctx *c, const cJSON *v, const char *path)
{
    const char *id;
    if (sc_id_item(c, v, path, "a function id", &id))
        return SIM_ALL;
    size_t f = sc_id_find(c->s, &c->ix, SC_FUNCTIONS, id);
    if (f == SIM_ALL && !sc_lost_id(c, SC_FUNCTIONS, id, 0))
        sc_diag(c, v, path, "expected a function id defined in functions, found %s%s", sc_found(v).s,
                sc_did_you_mean(sc_suggest_id(id, c->s, SC_FUNCTIONS)).s);
    return f;
}

size_t sc_function_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    if (!v) {
        sc_missing(c, obj, path, key, "a function id such as \"resize\"");
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

/* Whether "prefix*" could match a lost id of kind k (sc_lost_id). */
static int lost_prefix(const sc_ctx *c, sc_idkind k, const char *pat)
{
    char pre[SIM_ID_MAX + 1];
    size_t n = strlen(pat) - 1;
    if (n > SIM_ID_MAX)
        return 0;
    memcpy(pre, pat, n);
    pre[n] = '\0';
    return sc_lost_id(c, k, pre, 1);
}

/*
 * A list of node references (ids, or "prefix*" patterns; "*" is every node)
 * into a new array of distinct node indices in order of first mention.
 * Returns the array (caller frees; *n may be 0 with a non-NULL result) or
 * NULL on a problem (reported).
 */
size_t *sc_node_list(sc_ctx *c, const cJSON *arr, const char *path, size_t *n)
{
    sim_scenario *s = c->s;
    *n = 0;
    if (!cJSON_IsArray(arr) || !arr->child) {
        sc_diag(c, arr, path, "expected a list of node ids or patterns such as [\"edge-1\", \"edge-eu-*\"], found %s",
                sc_found(arr).s);
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
        sc_path_index(p, path, i);
        if (cJSON_IsString(it) && is_pattern(it->valuestring)) {
            size_t matched = 0;
            for (size_t k = 0; k < s->nnodes; k++) {
                if (!prefix_match(it->valuestring, s->nodes[k].id))
                    continue;
                matched++;
                if (c->stamp[k] == c->stamp_gen)
                    continue;
                if (sc_grow(c, (void **)&out, &cap, cnt + 1, sizeof *out))
                    break;
                c->stamp[k] = c->stamp_gen;
                out[cnt++] = k;
            }
            if (!matched) {
                if (!lost_prefix(c, SC_NODES, it->valuestring))
                    sc_diag(c, it, p, "expected a pattern that matches some node ids, found %s",
                            sc_found(it).s);
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
        if (sc_grow(c, (void **)&out, &cap, cnt + 1, sizeof *out))
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
int sc_function_set(sc_ctx *c, const cJSON *obj, const char *path, const char *key, size_t **out,
                        size_t *n)
{
    sim_scenario *s = c->s;
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    *out = NULL;
    *n = 0;
    if (v && cJSON_IsString(v) && is_pattern(v->valuestring)) {
        size_t cap = 0;
        for (size_t k = 0; k < s->nfunctions; k++) {
            if (!prefix_match(v->valuestring, s->functions[k].id))
                continue;
            if (sc_grow(c, (void **)out, &cap, *n + 1, sizeof **out)) {
                free(*out);
                *out = NULL;
                return -1;
            }
            (*out)[(*n)++] = k;
        }
        if (!*n) {
            if (!lost_prefix(c, SC_FUNCTIONS, v->valuestring))
                sc_diag(c, v, p, "expected a pattern that matches some function ids, found %s",
                        sc_found(v).s);
            return -1;
        }
        return 0;
    }
    size_t f = sc_function_ref(c, obj, path, key);
    if (f == SIM_ALL)
        return -1;
    if (!(*out = sc_xcalloc(c, 1, sizeof **out)))
        return -1;
    (*out)[0] = f;
    *n = 1;
    return 0;
}

int sc_node_has_caps(const sim_node_spec *n, const sim_function_spec *f, const char **lacking)
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
