/*
 * reader.c — the scenario reader's kit: what every section reads with.
 *
 * The parse context's diagnostics and memory helpers, "did you mean", and
 * the typed field readers (durations, numbers,
 * strings, ids, enums, arrays, coordinates, capabilities, distributions),
 * each reporting its own problem as one sim_diag. The manual is reader.h.
 */
#include "scenario/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "common/suggest.h"
#include "common/unithint.h"
#include "engine/dist.h"

const sc_numspec SC_NS_MB = {0, 1e12, 0, 1};
const sc_numspec SC_NS_MB0 = {0, 1e12, 0, 0};
const sc_numspec SC_NS_COUNT = {1, SIM_SCENARIO_MAX_NODES, 1, 0};
static const sc_numspec NS_LAT = {-90, 90, 0, 0};
static const sc_numspec NS_LON = {-180, 180, 0, 0};

/* ------------------------------------------------------------------------ */
/* Context and diagnostics                                                    */

int sc_is_set_item(const sc_ctx *c, const cJSON *item)
{
    for (size_t i = 0; i < c->nset_items; i++)
        if (c->set_items[i] == item)
            return 1;
    return 0;
}

void sc_vdiag(sc_ctx *c, const cJSON *at, const char *path, const char *fmt, va_list ap)
{
    c->n++;
    if (c->n > c->max)
        return;
    sim_diag *d = &c->diags[c->n - 1];
    sim_diag_clear(d);
    d->file = c->file;
    if (at && sc_is_set_item(c, at))
        d->file = "--set";
    else if (at)
        sc_jsonpos_get(&c->pos, at, &d->line, &d->col);
    snprintf(d->path, sizeof d->path, "%s", path ? path : "");
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
}

/* One problem at item `at` (its position; NULL for none) and JSON path `path`. */
void sc_diag(sc_ctx *c, const cJSON *at, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_vdiag(c, at, path, fmt, ap);
    va_end(ap);
}

void *sc_oom(sc_ctx *c)
{
    if (!c->oom)
        sc_diag(c, NULL, "", "out of memory while reading the scenario");
    c->oom = 1;
    return NULL;
}

void *sc_xcalloc(sc_ctx *c, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    return p ? p : sc_oom(c);
}

char *sc_xstrdup(sc_ctx *c, const char *s)
{
    char *p = strdup(s);
    return p ? p : sc_oom(c);
}

/* Grows *arr (of elements of `size`) to hold at least `need`, zeroing new
 * space. Returns 0, or -1 out of memory (then *arr is unchanged). */
int sc_grow(sc_ctx *c, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * size);
    if (!p) {
        sc_oom(c);
        return -1;
    }
    memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* "Did you mean": common/suggest.c, capped at two edits                  */

/* The candidate closest to word within distance 2 (and shorter than word),
 * or NULL. Ties go to the first. */
const char *sc_suggest_list(const char *word, const char *const *cands)
{
    return sim_suggest(word, cands);
}

const char *sc_suggest_id(const char *word, const sim_scenario *s, sc_idkind k)
{
    const char *best = NULL;
    size_t bd = SIM_SUGGEST_MAX_EDITS + 1, d, n = sc_id_count(s, k);
    for (size_t i = 0; i < n; i++) {
        const char *id = sc_id_key(s, k, i);
        /* deterministic: the lowest distance, then the earliest defined */
        if (sim_suggest_close(word, id, &d) && d < bd) {
            bd = d;
            best = id;
        }
    }
    return best;
}

/* " (did you mean \"x\"?)" or "" */
sc_strbuf sc_did_you_mean(const char *s)
{
    sc_strbuf t;
    if (s)
        snprintf(t.s, sizeof t.s, " (did you mean %.*s?)", 128, sc_quoted(s).s);
    else
        t.s[0] = 0;
    return t;
}

/* ------------------------------------------------------------------------ */
/* Fields                                                                     */

void sc_path_key(char *out, const char *parent, const char *key)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, parent, key, 0);
}

void sc_path_index(char *out, const char *parent, size_t i)
{
    sim_diag_path_child(out, SIM_DIAG_PATH_MAX, parent, NULL, i);
}

int sc_in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

/* " (one of a, b, c)" for messages. */
void sc_join_list(char *buf, size_t n, const char *const *list)
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
void sc_check_fields(sc_ctx *c, const cJSON *obj, const char *path, const char *const *all,
                         const char *const *allowed, const char *kind)
{
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = obj->child; it; it = it->next) {
        const char *k = it->string ? it->string : "";
        sc_path_key(p, path, k);
        if (!sc_in_list(k, all)) {
            const char *sug = sc_suggest_list(k, all);
            if (sug) {
                sc_diag(c, it, p, "expected a known field, found %s%s", sc_quoted(k).s,
                        sc_did_you_mean(sug).s);
            } else {
                char known[400];
                sc_join_list(known, sizeof known, all);
                sc_diag(c, it, p, "expected a known field (%s), found %s", known, sc_quoted(k).s);
            }
            continue;
        }
        if (allowed && !sc_in_list(k, allowed)) {
            char known[400];
            sc_join_list(known, sizeof known, allowed);
            sc_diag(c, it, p, "expected only the fields of %s (%s), found %s", kind, known,
                    sc_quoted(k).s);
            continue;
        }
        for (const cJSON *q = obj->child; q != it; q = q->next) {
            if (q->string && !strcmp(q->string, k)) {
                sc_diag(c, it, p, "expected each field once, found %s again", sc_quoted(k).s);
                break;
            }
        }
    }
}

/* Checks that `v` is an object; reports and returns 0 if not. */
int sc_want_object(sc_ctx *c, const cJSON *v, const char *path, const char *what)
{
    if (cJSON_IsObject(v))
        return 1;
    sc_diag(c, v, path, "expected %s (an object), found %s", what, sc_found(v).s);
    return 0;
}

/* The optional object PARENT.KEY (its path PATH, WHAT it is for the
 * diagnostic) with the fields FIELDS: NULL when absent, or when it is not an
 * object (reported). Unknown fields are reported; the object is still
 * returned, so its known fields are checked too. */
const cJSON *sc_optional_object(sc_ctx *c, const cJSON *parent, const char *key,
                                    const char *path, const char *what,
                                    const char *const *fields)
{
    const cJSON *obj = sc_member(parent, key);
    if (!obj || !sc_want_object(c, obj, path, what))
        return NULL;
    sc_check_fields(c, obj, path, fields, NULL, NULL);
    return obj;
}

/* Reports a required field that is absent. */
void sc_missing(sc_ctx *c, const cJSON *obj, const char *path, const char *key, const char *what)
{
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    sc_diag(c, obj, p, "expected %s, found nothing", what);
}

/* --- durations ---------------------------------------------------------- */

/* Parses item as a duration. Returns 0 and sets *out, or -1 (reported). */
int sc_duration_item(sc_ctx *c, const cJSON *v, const char *path, int sign, const char *example,
                         edge_time *out)
{
    if (!cJSON_IsString(v)) {
        sc_diag(c, v, path, "expected a duration such as \"%s\", found %s", example, sc_found(v).s);
        return -1;
    }
    edge_time t;
    edge_err e = edge_duration_parse(v->valuestring, &t);
    if (e == EDGE_RANGE) {
        sc_diag(c, v, path, "expected a duration below 292 years, found %s", sc_found(v).s);
        return -1;
    }
    if (e != EDGE_OK) {
        char hint[96];
        sc_diag(c, v, path,
                "expected a duration such as \"%s\" (a number and a unit: ns, us, ms, s, m, h, d), "
                "found %s%s",
                example, sc_found(v).s, sim_duration_hint(v->valuestring, hint, sizeof hint));
        return -1;
    }
    if (sign == SC_SIGN_NONNEG && t < 0) {
        sc_diag(c, v, path, "expected a duration of at least 0s, found %s", sc_found(v).s);
        return -1;
    }
    if (sign == SC_SIGN_POS && t <= 0) {
        sc_diag(c, v, path, "expected a duration above 0s, found %s", sc_found(v).s);
        return -1;
    }
    *out = t;
    return 0;
}

/* A duration field. Returns 1 when read, 0 when absent (and not required;
 * *out untouched), -1 on a problem (reported). */
int sc_duration_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key,
                          int required, int sign, const char *example, edge_time *out)
{
    const cJSON *v = sc_member(obj, key);
    if (!v) {
        if (!required)
            return 0;
        char what[64];
        snprintf(what, sizeof what, "a duration such as \"%s\"", example);
        sc_missing(c, obj, path, key, what);
        return -1;
    }
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    return sc_duration_item(c, v, p, sign, example, out) ? -1 : 1;
}

/* --- numbers ------------------------------------------------------------ */

static void describe(const sc_numspec *ns, char *buf, size_t n)
{
    char lo[32], hi[32];
    sim_diag_number(lo, sizeof lo, ns->min);
    sim_diag_number(hi, sizeof hi, ns->max);
    if (ns->integer)
        snprintf(buf, n, "a whole number from %s to %s", lo, hi);
    else if (ns->min_open)
        snprintf(buf, n, "a number above %s, at most %s", lo, hi);
    else
        snprintf(buf, n, "a number from %s to %s", lo, hi);
}

int sc_number_item(sc_ctx *c, const cJSON *v, const char *path, const sc_numspec *ns, double *out)
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
        sc_diag(c, v, path, "expected %s, found %s", what, sc_found(v).s);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* A number field: 1 read, 0 absent (not required), -1 problem (reported). */
int sc_number_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                        const sc_numspec *ns, double *out)
{
    const cJSON *v = sc_member(obj, key);
    if (!v) {
        if (!required)
            return 0;
        char what[96];
        describe(ns, what, sizeof what);
        sc_missing(c, obj, path, key, what);
        return -1;
    }
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    return sc_number_item(c, v, p, ns, out) ? -1 : 1;
}

int sc_rate_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                  const sc_numspec *ns, double *out)
{
    const cJSON *v = sc_member(obj, key);
    char what[192], lo[32], hi[32];
    sim_diag_number(lo, sizeof lo, ns->min);
    sim_diag_number(hi, sizeof hi, ns->max);
    snprintf(what, sizeof what, "a rate %s %s and at most %s a second (a number, per second, or "
             "\"N/unit\" such as \"20/s\" or \"3/h\")", ns->min_open ? "above" : "from", lo, hi);
    if (!v) {
        if (required)
            sc_missing(c, obj, path, key, what);
        return required ? -1 : 0;
    }
    double x = NAN;
    if (cJSON_IsNumber(v))
        x = v->valuedouble;
    else if (cJSON_IsString(v) && sim_rate_parse(v->valuestring, &x) != EDGE_OK)
        x = NAN;
    if (!(isfinite(x) && x <= ns->max && (ns->min_open ? x > ns->min : x >= ns->min))) {
        char p[SIM_DIAG_PATH_MAX];
        sc_path_key(p, path, key);
        sc_diag(c, v, p, "expected %s, found %s", what, sc_found(v).s);
        return -1;
    }
    *out = x;
    return 1;
}

int sc_u32_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                     const sc_numspec *ns, uint32_t *out)
{
    double d;
    int r = sc_number_field(c, obj, path, key, required, ns, &d);
    if (r == 1)
        *out = (uint32_t)d;
    return r;
}

/* --- strings and ids ----------------------------------------------------- */

int sc_id_char(int ch)
{
    return isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':' || ch == '@';
}

int sc_valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SIM_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!sc_id_char((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A string field: 1 read (*out borrowed from the tree), 0 absent, -1 problem. */
int sc_string_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key,
                        int required, const char *what, const char **out)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    if (!v) {
        if (required)
            sc_missing(c, obj, path, key, what);
        return required ? -1 : 0;
    }
    if (!cJSON_IsString(v)) {
        sc_diag(c, v, p, "expected %s, found %s", what, sc_found(v).s);
        return -1;
    }
    *out = v->valuestring;
    return 1;
}

/* An id-valued item (a definition or a reference). */
int sc_id_item(sc_ctx *c, const cJSON *v, const char *path, const char *what, const char **out)
{
    if (!cJSON_IsString(v) || !sc_valid_id(v->valuestring)) {
        sc_diag(c, v, path, "expected %s (" SC_ID_RULE "), found %s", what, sc_found(v).s);
        return -1;
    }
    *out = v->valuestring;
    return 0;
}

/* One of `names`: 1 read (*out the index), 0 absent, -1 problem. */
int sc_enum_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                      const char *const *names, int *out)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX], list[400];
    sc_path_key(p, path, key);
    sc_join_list(list, sizeof list, names);
    if (!v) {
        if (!required)
            return 0;
        char what[440];
        snprintf(what, sizeof what, "one of %s", list);
        sc_missing(c, obj, path, key, what);
        return -1;
    }
    if (cJSON_IsString(v))
        for (int i = 0; names[i]; i++)
            if (!strcmp(v->valuestring, names[i])) {
                *out = i;
                return 1;
            }
    sc_diag(c, v, p, "expected one of %s, found %s%s", list, sc_found(v).s,
            sc_did_you_mean(cJSON_IsString(v) ? sc_suggest_list(v->valuestring, names) : NULL).s);
    return -1;
}

/* An array field: 1 present and an array, 0 absent, -1 not an array. */
int sc_array_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                       const char *what, const cJSON **out)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    if (!v) {
        if (required)
            sc_missing(c, obj, path, key, what);
        return required ? -1 : 0;
    }
    if (!cJSON_IsArray(v)) {
        sc_diag(c, v, p, "expected %s, found %s", what, sc_found(v).s);
        return -1;
    }
    *out = v;
    return 1;
}

/* Latitude and longitude: both or neither. Returns 0 or -1 (reported). */
int sc_coords(sc_ctx *c, const cJSON *obj, const char *path, int *has, double *lat, double *lon)
{
    double la = 0, lo = 0;
    int a = sc_number_field(c, obj, path, "lat", 0, &NS_LAT, &la);
    int b = sc_number_field(c, obj, path, "lon", 0, &NS_LON, &lo);
    if (a < 0 || b < 0)
        return -1;
    if (a != b) {
        sc_missing(c, obj, path, a ? "lon" : "lat",
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
void sc_free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int sc_capabilities(sc_ctx *c, const cJSON *obj, const char *path, char ***caps, size_t *ncaps)
{
    const cJSON *arr = NULL;
    *caps = NULL;
    *ncaps = 0;
    int r = sc_array_field(c, obj, path, "capabilities", 0,
                           "a list of capability names such as [\"gpu\"]", &arr);
    if (r <= 0)
        return r;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, "capabilities");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > SIM_CAPS_MAX) {
        sc_diag(c, arr, p, "expected at most %d capabilities, found %zu", SIM_CAPS_MAX, n);
        return -1;
    }
    char **v = sc_xcalloc(c, n, sizeof *v);
    if (!v)
        return -1;
    int bad = 0;
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        sc_path_index(q, p, i);
        const char *name;
        if (sc_id_item(c, it, q, "a capability name", &name)) {
            bad = 1;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (v[j] && !strcmp(v[j], name)) {
                sc_diag(c, it, q, "expected each capability once, found %s again", sc_found(it).s);
                bad = 1;
            }
        if (!(v[i] = sc_xstrdup(c, name)))
            bad = 1;
    }
    if (bad) {
        sc_free_strings(v, n);
        return -1;
    }
    *caps = v;
    *ncaps = n;
    return 1;
}

int sc_caps_dup(sc_ctx *c, char **src, size_t n, char ***out)
{
    *out = NULL;
    if (!n)
        return 0;
    char **v = sc_xcalloc(c, n, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = sc_xstrdup(c, src[i]))) {
            sc_free_strings(v, n);
            return -1;
        }
    *out = v;
    return 0;
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

void sc_dist_free(sim_dist *d)
{
    sim_dist_destroy(d);
}

/* The default cold start: constant 500ms. */
sim_dist *sc_dist_default_cold_start(sc_ctx *c)
{
    cJSON *spec = cJSON_CreateObject();
    sim_dist *d = NULL;
    sim_diag dg;
    if (spec && cJSON_AddStringToObject(spec, "type", "constant") &&
        cJSON_AddStringToObject(spec, "value", "500ms"))
        d = dist_parse_spec(spec, "", &dg);
    cJSON_Delete(spec);
    return d ? d : sc_oom(c);
}

/* Reports a problem a sub-parser found, at the item its path names. */
void sc_report_sub(sc_ctx *c, const sim_diag *d, const cJSON *fallback)
{
    const cJSON *at = sc_resolve(c->root, d->path);
    sc_diag(c, at && at != c->root ? at : fallback, d->path, "%s", d->msg);
}

/* A distribution of durations: 1 read (*out owned by the caller), 0 absent,
 * -1 problem (reported when `report`). */
int sc_dist_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                      int report, sim_dist **out)
{
    const cJSON *v = sc_member(obj, key);
    char p[SIM_DIAG_PATH_MAX];
    sc_path_key(p, path, key);
    if (!v) {
        if (required && report)
            sc_missing(c, obj, path, key, "a distribution of durations such as "
                                       "{\"type\": \"exponential\", \"mean\": \"100ms\"}");
        return required ? -1 : 0;
    }
    sim_diag d;
    sim_diag_clear(&d);
    sim_dist *dist = dist_parse_spec(v, p, &d);
    if (!dist) {
        if (report)
            sc_report_sub(c, &d, v);
        return -1;
    }
    *out = dist;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Files named by the scenario                                                */

/* True when rel has a ".." component ("..", "../x", "a/../b", "a/.."). */
static int has_dotdot(const char *rel)
{
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += n;
        while (*p == '/')
            p++;
    }
    return 0;
}

char *sc_data_path(sc_ctx *c, const cJSON *at, const char *path, const char *rel, int check)
{
    if (c->opt.sandbox_paths && (rel[0] == '/' || has_dotdot(rel))) {
        sc_diag(c, at, path, "expected a path inside the scenario's folder (no leading '/', "
                             "no \"..\": --sandbox-paths), found %s",
                sc_quoted(rel).s);
        return NULL;
    }
    /* the folder of the file that names it: the scenario's, or for a value a
     * --set placed, the folder its caller gave for that set (a sweep file's) */
    const char *base = c->file, *slash = strrchr(c->file, '/');
    size_t dn = slash ? (size_t)(slash - c->file) + 1 : 0;
    int from_stdin = !strcmp(c->s->path, "-");
    for (size_t i = 0; c->opt.set_dirs && i < c->nset_items; i++)
        if (c->set_items[i] == at && c->opt.set_dirs[c->set_src[i]]) {
            base = c->opt.set_dirs[c->set_src[i]];
            dn = strlen(base);
            from_stdin = 0;
            break;
        }
    char *out;
    if (rel[0] == '/' || dn == 0 || from_stdin) {
        out = sc_xstrdup(c, rel);
    } else {
        int sep = base[dn - 1] != '/';
        size_t rn = strlen(rel);
        out = sc_xcalloc(c, dn + (size_t)sep + rn + 1, 1);
        if (out) {
            memcpy(out, base, dn);
            if (sep)
                out[dn] = '/';
            memcpy(out + dn + (size_t)sep, rel, rn + 1);
        }
    }
    if (out && check) {
        char why[128];
        FILE *fp = sim_open_regular(out, why, sizeof why, NULL);
        if (!fp) {
            sc_diag(c, at, path, "expected a readable regular file, found %s (%s)",
                    sc_quoted(rel).s, why);
            free(out);
            return NULL;
        }
        fclose(fp);
    }
    return out;
}
