/*
 * reader_json.c — the scenario reader's kit: JSON text, positions and paths.
 *
 * Renders a value for "found ..." (sc_found, sc_quoted), gets an object's
 * member, parses the text with cJSON and records where each value starts,
 * so that a diagnostic names FILE:LINE:COL, and turns a JSON path
 * ("functions[2].timeout") back into the item (for --set and for problems
 * sub-parsers report by path). It uses no other file of the kit (the rest of the kit uses it), so
 * the files' calls run one way. The manual is reader.h.
 */
#include "scenario/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "util.h"

/* ------------------------------------------------------------------------ */
/* Rendering what was found                                                   */

/* A JSON string quoted, with at most ~60 characters of it. */
sc_strbuf sc_quoted(const char *s)
{
    sc_strbuf t;
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
        } else if (ch >= 0x80) { /* a whole UTF-8 character, or the byte as \xNN */
            size_t rest = strnlen(s + i, 4), n = 2; /* the shortest whole character */
            while (n <= rest && sc_utf8_bad_at(s + i, n) != n)
                n++;
            if (n <= rest && o + n < cap - 8) {
                memcpy(t.s + o, s + i, n);
                o += n;
                i += n - 1;
            } else {
                o += (size_t)snprintf(t.s + o, cap - o, "\\x%02x", ch);
            }
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
sc_strbuf sc_found(const cJSON *v)
{
    sc_strbuf t;
    if (!v)
        snprintf(t.s, sizeof t.s, "nothing");
    else if (cJSON_IsNumber(v)) /* its text, if kept: sc_json_keep_literal */
        sim_diag_number_text(t.s, sizeof t.s, v->valuedouble, v->valuestring);
    else if (cJSON_IsString(v))
        return sc_quoted(v->valuestring);
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

/* obj[key] when obj is an object. */
const cJSON *sc_member(const cJSON *obj, const char *key)
{
    return obj && cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* ------------------------------------------------------------------------ */
/* JSON text and positions                                                    */

/*
 * The reader parses with cJSON and then walks the same text once more
 * beside the tree, recording where each value starts. Lines and columns are
 * 1-based; columns count characters (UTF-8 continuation bytes do not advance
 * them). core/json now has a parser with positions too, but it keeps only
 * the last of a repeated key (the reader reports "expected each field once")
 * and words syntax errors its own way, so moving to it changes diagnostics:
 * a change of its own, with the golden files in tests/scenarios/bad.
 */

static uint32_t item_hash(const cJSON *item)
{
    return edge__hash_u64((uint64_t)(uintptr_t)item);
}

static bool item_eq(const void *ctx, uint32_t val, const void *key)
{
    return ((const sc_jsonpos *)ctx)->at[val].item == key;
}

/* Records item's position; each item once. Returns 0, or -1 out of memory. */
static int jsonpos_put(sc_jsonpos *m, const cJSON *item, int line, int col)
{
    if (m->n == m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 256;
        sc_itempos *at = realloc(m->at, ncap * sizeof *at);
        if (!at)
            return -1;
        m->at = at;
        m->cap = ncap;
    }
    if (m->n >= EDGE_NONE || edge__idmap_reserve(&m->map, (uint32_t)m->n + 1) != EDGE_OK)
        return -1;
    m->at[m->n] = (sc_itempos){item, line, col};
    edge__idmap_insert(&m->map, item_hash(item), (uint32_t)m->n);
    m->n++;
    return 0;
}

void sc_jsonpos_get(const sc_jsonpos *m, const cJSON *item, int *line, int *col)
{
    *line = *col = 0;
    if (!m)
        return;
    uint32_t v = edge__idmap_find(&m->map, item_hash(item), item_eq, m, item);
    if (v != EDGE_NONE) {
        *line = m->at[v].line;
        *col = m->at[v].col;
    }
}

void sc_jsonpos_free(sc_jsonpos *m)
{
    if (!m)
        return;
    edge__idmap_free(&m->map);
    free(m->at);
    memset(m, 0, sizeof *m);
}

typedef struct cursor {
    const char *p, *end;
    int line, col;
    /* the first string holding the escape \u0000: where the escape is, and
     * the item whose value (or, nul_key, whose member name) it is */
    int nul_line, nul_col, nul_key;
    const cJSON *nul_item;
    int nul_seen; /* the string just walked held one */
} cursor;

/* One byte on (none at the end: the walk can be out of step with cJSON on
 * text it accepts, and must then still stay inside the text). */
static void cur_adv(cursor *k)
{
    if (k->p >= k->end)
        return;
    if (*k->p == '\n') {
        k->line++;
        k->col = 1;
    } else if (((unsigned char)*k->p & 0xC0) != 0x80) {
        k->col++;
    }
    k->p++;
}

/* Whitespace as cJSON skips it: every byte up to ' ', control bytes too
 * (JSON allows four; cJSON, which decides what parses, takes them all). */
static void cur_ws(cursor *k)
{
    while (k->p < k->end && (unsigned char)*k->p <= ' ')
        cur_adv(k);
}

static void cur_string(cursor *k)
{
    cur_adv(k); /* the opening quote */
    k->nul_seen = 0;
    while (k->p < k->end && *k->p != '"') {
        if (*k->p == '\\' && k->p + 1 < k->end) {
            if (k->end - k->p >= 6 && !memcmp(k->p + 1, "u0000", 5) && !k->nul_item &&
                !k->nul_seen) {
                k->nul_seen = 1;
                k->nul_line = k->line;
                k->nul_col = k->col;
            }
            cur_adv(k);
        }
        cur_adv(k);
    }
    if (k->p < k->end)
        cur_adv(k);
}

/* Records item as the first holder of a NUL when the string just walked
 * held one. */
static void note_nul(cursor *k, const cJSON *item, int key)
{
    if (k->nul_seen && !k->nul_item) {
        k->nul_item = item;
        k->nul_key = key;
    }
    k->nul_seen = 0;
}

/* A number whose double is not what its text says (beyond the doubles:
 * 1e400 is inf, 1e-400 is 0; an integer past 2^53 rounded) keeps its text
 * as written in the item's valuestring, which cJSON leaves NULL for a
 * number and frees with it: sc_found shows it ("found 1e400", not "found
 * 1e999"; "found 9007199254740993", not the ...992 it became). The
 * reader's own tree only (the walk below, and a --set value). Out of
 * memory: the double is shown. */
void sc_json_keep_literal(cJSON *item, const char *lit, size_t len)
{
    double v = item->valuedouble;
    bool integer = !memchr(lit, '.', len) && !memchr(lit, 'e', len) && !memchr(lit, 'E', len);
    bool nonzero = false; /* a digit 1-9 before the exponent */
    for (size_t i = 0; i < len && lit[i] != 'e' && lit[i] != 'E'; i++)
        nonzero = nonzero || (lit[i] >= '1' && lit[i] <= '9');
    bool underflow = v == 0 && nonzero;
    if (item->valuestring || !(!isfinite(v) || underflow || (integer && fabs(v) >= 0x1p53)))
        return;
    if (len > SIM_DIAG_LITERAL_MAX)
        len = SIM_DIAG_LITERAL_MAX; /* enough to recognise; sc_found adds "..." */
    item->valuestring = malloc(len + 1);
    if (item->valuestring) {
        memcpy(item->valuestring, lit, len);
        item->valuestring[len] = 0;
    }
}

/* Walks the value at k that cJSON parsed into item, recording positions.
 * The text is known to be valid JSON (cJSON accepted it). */
static int walk(cursor *k, const cJSON *item, sc_jsonpos *m)
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
                note_nul(k, child, 1);
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
        note_nul(k, item, 0);
    } else {
        const char *lit = k->p;
        while (k->p < k->end && (unsigned char)*k->p > ' ' && !strchr(",]}", *k->p))
            cur_adv(k);
        if (cJSON_IsNumber(item))
            sc_json_keep_literal((cJSON *)item, lit, (size_t)(k->p - lit));
    }
    return 0;
}

/* The JSON path of target under node (at path `at`) into out; 1 found. */
static int path_to(const cJSON *node, const char *at, const cJSON *target, char *out)
{
    if (node == target) {
        memcpy(out, at, strlen(at) + 1);
        return 1;
    }
    size_t i = 0;
    for (const cJSON *ch = node->child; ch; ch = ch->next, i++) {
        char here[SIM_DIAG_PATH_MAX];
        sim_diag_path_child(here, sizeof here, at, cJSON_IsObject(node) ? ch->string : NULL, i);
        if (path_to(ch, here, target, out))
            return 1;
    }
    return 0;
}

void sc_json_refusal(int kind, const sc_strbuf *near, char *path, char *msg, size_t n)
{
    path[0] = 0;
    switch (kind) {
    case SC_JSON_TOO_DEEP:
        snprintf(msg, n, "expected at most %d levels of nested lists and objects, found JSON %s",
                 SC_JSON_MAX_DEPTH, near->s);
        break;
    case SC_JSON_NUL_IN_STRING:
    case SC_JSON_NUL_IN_KEY:
        snprintf(path, n, "%s", near->s);
        snprintf(msg, n, "expected %s without NUL characters, found \"\\u0000\" in it",
                 kind == SC_JSON_NUL_IN_KEY ? "a member name" : "a string");
        break;
    case SC_JSON_NOT_UTF8:
        snprintf(msg, n, "expected UTF-8 text (JSON is UTF-8), found %s, which cannot be UTF-8 "
                 "here (is the file in another encoding, such as Latin-1 or UTF-16?)", near->s);
        break;
    default:
        snprintf(msg, n, "expected valid JSON, found %s", near->s);
    }
}

size_t sc_utf8_bad_at(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xbf; /* the second byte's range */
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong form */
            hi = c == 0xed ? 0x9f : 0xbf; /* no surrogate */
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
        } else {
            return i;
        }
        if (i + n > len || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return i;
        i += n;
    }
    return len;
}

int sc_json_has_nul(const char *text)
{
    int in_str = 0;
    for (const char *p = text; *p; p++) {
        if (!in_str) {
            in_str = *p == '"';
        } else if (*p == '"') {
            in_str = 0;
        } else if (*p == '\\') {
            if (!strncmp(p + 1, "u0000", 5))
                return 1;
            if (!p[1])
                break;
            p++;
        }
    }
    return 0;
}

/* Line and column of byte offset `off` in text. */
static void offset_pos(const char *text, size_t off, int *line, int *col)
{
    cursor k = {.p = text, .end = text + off, .line = 1, .col = 1};
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
/* Offset of the first '[' or '{' (outside strings) that opens a level past
 * SC_JSON_MAX_DEPTH, or len when there is none. */
static size_t too_deep_at(const char *text, size_t len)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth > SC_JSON_MAX_DEPTH)
                return i;
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return len;
}

/*
 * Whether text is valid JSON cut short: the start of a document that closing
 * its open string and its open lists and objects (with a placeholder where a
 * value or a key is due) would complete. Then *open is the number of lists
 * and objects left open and *in_str whether it ends inside a string; cJSON
 * itself points somewhere in the last value, which misleads ("found \"]\"").
 * Returns 0 when the text is wrong before its end, or out of memory.
 */
static int cut_short(const char *text, size_t len, size_t *open, int *in_str)
{
    char stack[SC_JSON_MAX_DEPTH + 1];
    size_t depth = 0;
    int str = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (str) {
            if (ch == '\\' && ++i >= len)
                return 0; /* cut inside an escape: no completion is sure */
            else if (ch == '"')
                str = 0;
        } else if (ch == '"') {
            str = 1;
        } else if (ch == '[' || ch == '{') {
            if (depth == SC_JSON_MAX_DEPTH)
                return 0;
            stack[depth++] = ch;
        } else if (ch == ']' || ch == '}') {
            if (depth == 0 || stack[depth - 1] != (ch == ']' ? '[' : '{'))
                return 0;
            depth--;
        }
    }
    if (!str && depth == 0)
        return 0;
    /* what may be due at the end: nothing, a value (after ':' or ',' in a
     * list), the ':' and value after a key, a key and value after ',' */
    static const char *const due[] = {"", "null", ":null", "\"\":null"};
    char *buf = malloc(len + 1 + 8 + depth + 1);
    if (!buf)
        return 0;
    int ok = 0;
    for (size_t k = 0; k < sizeof due / sizeof *due && !ok; k++) {
        size_t n = len;
        memcpy(buf, text, len);
        if (str)
            buf[n++] = '"';
        size_t d = strlen(due[k]);
        memcpy(buf + n, due[k], d);
        n += d;
        for (size_t j = depth; j > 0; j--)
            buf[n++] = stack[j - 1] == '[' ? ']' : '}';
        cJSON *t = cJSON_ParseWithLength(buf, n);
        ok = t != NULL;
        cJSON_Delete(t);
    }
    free(buf);
    *open = depth;
    *in_str = str;
    return ok;
}

cJSON *sc_json_read(const char *text, size_t len, sc_jsonpos *pos, int *eline, int *ecol,
                        sc_strbuf *near, int *nomem, int *kind)
{
    const char *end = NULL;
    *nomem = 0;
    *kind = SC_JSON_SYNTAX;
    /* not UTF-8 (first: a UTF-16 file's first bytes are FF FE or FE FF) */
    size_t bad = sc_utf8_bad_at(text, len);
    if (bad < len) {
        offset_pos(text, bad, eline, ecol);
        *kind = SC_JSON_NOT_UTF8;
        snprintf(near->s, sizeof near->s, "the byte 0x%02x", (unsigned char)text[bad]);
        return NULL;
    }
    /* a NUL byte is no text: cJSON would end a string at it, silently */
    const char *zero = memchr(text, 0, len);
    if (zero) {
        offset_pos(text, (size_t)(zero - text), eline, ecol);
        snprintf(near->s, sizeof near->s, "a NUL byte (0x00)");
        return NULL;
    }
    memset(pos, 0, sizeof *pos);
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    size_t off;
    if (root) {
        /* cJSON stops after the first value: anything but space after it is an error */
        cursor k = {.p = end, .end = text + len};
        cur_ws(&k);
        if (k.p == k.end) {
            cursor w = {.p = text, .end = text + len, .line = 1, .col = 1};
            if (walk(&w, root, pos)) {
                sc_jsonpos_free(pos);
                cJSON_Delete(root);
                *nomem = 1;
                return NULL;
            }
            if (w.nul_item) {
                char path[SIM_DIAG_PATH_MAX] = "";
                path_to(root, "", w.nul_item, path);
                size_t pn = strlen(path);
                if (pn >= sizeof near->s) { /* cut, with "..." */
                    pn = sizeof near->s - 1;
                    memcpy(path + pn - 3, "...", 3);
                }
                memcpy(near->s, path, pn);
                near->s[pn] = 0;
                *kind = w.nul_key ? SC_JSON_NUL_IN_KEY : SC_JSON_NUL_IN_STRING;
                *eline = w.nul_line;
                *ecol = w.nul_col;
                sc_jsonpos_free(pos);
                cJSON_Delete(root);
                return NULL;
            }
            return root;
        }
        off = (size_t)(k.p - text);
        cJSON_Delete(root);
    } else {
        const char *e = cJSON_GetErrorPtr();
        off = e && e >= text && e <= text + len ? (size_t)(e - text) : 0;
        /* cJSON gives up at its nesting limit with a plain syntax error: when the
         * limit comes before the error it reports, the limit is the reason */
        size_t d = too_deep_at(text, len);
        if (d < len && d <= off) {
            *kind = SC_JSON_TOO_DEEP;
            offset_pos(text, d, eline, ecol);
            snprintf(near->s, sizeof near->s, "nested too deep (more than %d levels)",
                     SC_JSON_MAX_DEPTH);
            return NULL;
        }
    }
    size_t open = 0;
    int in_str = 0;
    if (!root && cut_short(text, len, &open, &in_str)) {
        offset_pos(text, len, eline, ecol);
        if (in_str)
            snprintf(near->s, sizeof near->s, "the end of the text inside a string");
        else
            snprintf(near->s, sizeof near->s, "the end of the text with %zu %s still open", open,
                     open == 1 ? "list or object" : "lists or objects");
        return NULL;
    }
    cursor ws = {.p = text, .end = text + len};
    cur_ws(&ws);
    if (ws.p == ws.end) /* white space alone (as cJSON skips it): only its end was found */
        off = len;
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
        sc_strbuf q = sc_quoted(frag);
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
        *near = sc_quoted(frag);
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Paths: "functions[2].timeout" to the item (for --set and sub-parsers)     */

/* Reads the next segment at *p (after the first, each starts with '.' or
 * '['). Returns 1 read, 0 at the end, -1 malformed. */
int sc_next_seg(const char **pp, int first, sc_seg *s)
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
const cJSON *sc_resolve(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    sc_seg s;
    int first = 1, r;
    while (cur && (r = sc_next_seg(&path, first, &s)) == 1) {
        first = 0;
        const cJSON *next = s.is_index ? (cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, (int)s.index) : NULL)
                                       : sc_member(cur, s.key);
        if (!next)
            break;
        cur = next;
    }
    return cur;
}
