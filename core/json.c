/*
 * json.c — the strict scanner, cJSON as tree builder, literals, positions,
 * last-wins for repeated keys, and RFC 7386 merge patches. See json.h for
 * the design; the comments here say how each part keeps its promise.
 */
#include "json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON reads a number into a 64-byte buffer: a longer literal is cut. */
#define CJSON_NUMBER_MAX 63

_Static_assert(EDGE_JSON_DEPTH_MAX <= CJSON_NESTING_LIMIT, "cJSON must accept our depth");
_Static_assert(EDGE_JSON_INPUT_MAX < UINT32_MAX, "offsets are stored as uint32_t");

/* ---- characters ------------------------------------------------------- */

/* One character of an edge JSON string; *ext tells whether it used one of
 * the two extensions (C0 80 for U+0000, a three-byte surrogate). */
static int decode_char(const unsigned char *s, size_t n, uint32_t *cp, bool *ext)
{
    *ext = false;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c == 0xC0) {
        if (n < 2 || s[1] != 0x80)
            return 0;
        *cp = 0;
        *ext = true;
        return 2;
    }
    if (c < 0xC2)
        return 0; /* a continuation byte, or an overlong C1 */
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800)
            return 0;
        *ext = v >= 0xD800 && v <= 0xDFFF;
        *cp = v;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

int edge_json_decode_char(const char *s, size_t n, uint32_t *cp)
{
    bool ext;
    uint32_t v;
    if (!s)
        return 0;
    int len = decode_char((const unsigned char *)s, n, &v, &ext);
    if (len && cp)
        *cp = v;
    return len;
}

/* Writes code point cp in the edge form (U+0000 as C0 80, surrogates as
 * three bytes) at out; returns the byte count. */
static size_t encode_char(uint32_t cp, unsigned char *out)
{
    if (cp == 0) {
        out[0] = 0xC0;
        out[1] = 0x80;
        return 2;
    }
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hex4(const unsigned char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    if (n < 4)
        return 0;
    for (int k = 0; k < 4; k++) {
        unsigned c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return 0;
    }
    *out = v;
    return 1;
}

static bool is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* ---- positions -------------------------------------------------------- */

/* Turns byte offsets into line and column; moves forward only, so a walk in
 * document order costs one pass over the text in all. */
typedef struct {
    const unsigned char *s;
    size_t n, off;
    uint32_t line, col;
} cursor;

static void cursor_init(cursor *c, const unsigned char *s, size_t n)
{
    c->s = s;
    c->n = n;
    c->off = 0;
    c->line = 1;
    c->col = 1;
}

static void cursor_move(cursor *c, size_t to)
{
    assert(to >= c->off && to <= c->n);
    for (; c->off < to; c->off++) {
        unsigned char b = c->s[c->off];
        if (b == '\n' || (b == '\r' && !(c->off + 1 < c->n && c->s[c->off + 1] == '\n'))) {
            c->line++;
            c->col = 1;
        } else if (b != '\r' && (b & 0xC0) != 0x80) {
            c->col++; /* one per character, not per byte */
        }
    }
}

static edge_json_pos pos_at(const unsigned char *s, size_t n, size_t off)
{
    cursor c;
    cursor_init(&c, s, n);
    cursor_move(&c, off > n ? n : off);
    return (edge_json_pos){(int)c.line, (int)c.col};
}

/* ---- errors ----------------------------------------------------------- */

int edge_json_error_format(const edge_json_error *e, char *buf, size_t n)
{
    if (!e)
        return snprintf(buf, n, "no error");
    if (e->expected[0])
        return snprintf(buf, n, "expected %s, found %s", e->expected, e->found);
    return snprintf(buf, n, "%s", edge_strerror(e->code));
}

static void error_plain(edge_json_error *err, edge_err code)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->code = code;
}

static bool is_word(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

/* Describes what is at s[off] for "found ...": the token, quoted. */
static void describe(const unsigned char *s, size_t n, size_t off, char *buf, size_t size)
{
    if (off >= n) {
        snprintf(buf, size, "end of input");
        return;
    }
    unsigned c = s[off];
    if (off == 0 && n >= 3 && c == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        snprintf(buf, size, "a byte order mark (U+FEFF)");
        return;
    }
    if (c == '"') {
        char text[40];
        size_t k = 0, i = off + 1;
        while (i < n && s[i] != '"' && k < 24) {
            if (s[i] == '\\' && i + 1 < n) /* an escape: keep both bytes */
                text[k++] = (char)s[i++];
            text[k++] = (char)(s[i] < 0x20 ? '?' : s[i]);
            i++;
        }
        /* do not cut a UTF-8 sequence in two */
        while (k > 0 && i < n && s[i] != '"' && (s[i] & 0xC0) == 0x80) {
            k--;
            i--;
        }
        text[k] = '\0';
        snprintf(buf, size, "string \"%s%s", text, i < n && s[i] == '"' ? "\"" : "...");
        return;
    }
    if (is_word(c) || c == '-') {
        size_t i = off;
        bool num = c == '-' || is_digit(c);
        while (i < n && i - off < 24 &&
               (is_word(s[i]) || (num && (s[i] == '.' || s[i] == '+' || s[i] == '-'))))
            i++;
        snprintf(buf, size, "'%.*s'", (int)(i - off), (const char *)s + off);
        return;
    }
    if (c < 0x20 || c == 0x7F) {
        snprintf(buf, size, "control character U+%04X", c);
        return;
    }
    if (c < 0x80) {
        snprintf(buf, size, "'%c'", (char)c);
        return;
    }
    uint32_t cp;
    bool ext;
    int len = decode_char(s + off, n - off, &cp, &ext);
    if (len && !ext)
        snprintf(buf, size, "'%.*s' (U+%04" PRIX32 ")", len, (const char *)s + off, cp);
    else
        snprintf(buf, size, "byte 0x%02X", c);
}

/* ---- the scanner ------------------------------------------------------ */

/* Flags of a recorded value. */
#define F_BLANK 1u     /* cJSON cannot read this token: it sees a blanked copy */
#define F_KEY_BLANK 2u /* likewise for the member's key */

/* One value in document order. Token offsets include the quotes. */
typedef struct {
    uint32_t off, len;
    uint32_t key_off, key_len; /* key_len 0: not an object member */
    uint8_t type;              /* cJSON_Number, cJSON_String, ... */
    uint8_t flags;
} scan_val;

enum {
    S_TOP,          /* before the top-level value */
    S_END,          /* after it */
    S_ARRAY_FIRST,  /* after '[' */
    S_ARRAY_NEXT,   /* after ',' in an array */
    S_OBJECT_FIRST, /* after '{' */
    S_OBJECT_NEXT,  /* after ',' in an object */
    S_COLON,        /* after a key */
    S_MEMBER_VALUE, /* after ':' */
    S_AFTER         /* after a value inside a container */
};

typedef struct {
    const unsigned char *s;
    size_t n;
    scan_val *vals;
    size_t nvals, cap;
    size_t nblank; /* tokens cJSON must not see */
    int depth;
    unsigned char stack[EDGE_JSON_DEPTH_MAX]; /* '{' or '[' per open container */
    uint32_t key_off, key_len;               /* the key awaiting its value */
    uint8_t key_flags;
    edge_json_error *err;
} scanner;

static const char *expectation(const scanner *sc, int state)
{
    switch (state) {
    case S_TOP: return "a JSON value";
    case S_END: return "end of input after the top-level value";
    case S_ARRAY_FIRST: return "a value or ']'";
    case S_ARRAY_NEXT: return "a value after ','";
    case S_OBJECT_FIRST: return "a string key or '}'";
    case S_OBJECT_NEXT: return "a string key after ','";
    case S_COLON: return "':' after an object key";
    case S_MEMBER_VALUE: return "a value after ':'";
    default:
        return sc->stack[sc->depth - 1] == '{' ? "',' or '}' after an object member"
                                               : "',' or ']' after an array element";
    }
}

/* Fills the error object; found NULL means "describe what is at off". */
static edge_err scan_fail(scanner *sc, edge_err code, size_t off, const char *expected,
                          const char *found)
{
    edge_json_error *e = sc->err;
    if (!e)
        return code;
    memset(e, 0, sizeof *e);
    e->code = code;
    e->offset = off;
    edge_json_pos p = pos_at(sc->s, sc->n, off);
    e->line = p.line;
    e->col = p.col;
    snprintf(e->expected, sizeof e->expected, "%s", expected);
    if (found)
        snprintf(e->found, sizeof e->found, "%s", found);
    else
        describe(sc->s, sc->n, off, e->found, sizeof e->found);
    return code;
}

static edge_err check_utf8(scanner *sc)
{
    const unsigned char *s = sc->s;
    size_t i = 0;
    while (i < sc->n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ext;
        int len = decode_char(s + i, sc->n - i, &cp, &ext);
        if (!len || ext) {
            char found[32];
            snprintf(found, sizeof found, "byte 0x%02X", s[i]);
            return scan_fail(sc, EDGE_PARSE, i, "UTF-8 text", found);
        }
        i += (size_t)len;
    }
    if (sc->n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return scan_fail(sc, EDGE_PARSE, 0, "a JSON value", NULL);
    return EDGE_OK;
}

/* Scans the string token at s[i] == '"'; *end is just past its closing quote.
 * *blank is set when cJSON cannot hold it: a "\u0000" (cJSON would cut the C
 * string there) or an unpaired surrogate escape (cJSON rejects those). */
static edge_err scan_string(scanner *sc, size_t i, size_t *end, bool *blank)
{
    const unsigned char *s = sc->s;
    size_t n = sc->n, start = i;
    *blank = false;
    for (i++;;) {
        if (i >= n) {
            char expected[80];
            edge_json_pos p = pos_at(s, n, start);
            snprintf(expected, sizeof expected, "'\"' closing the string opened at %d:%d", p.line,
                     p.col);
            return scan_fail(sc, EDGE_PARSE, n, expected, NULL);
        }
        unsigned c = s[i];
        if (c == '"') {
            *end = i + 1;
            return EDGE_OK;
        }
        if (c < 0x20) {
            char found[48];
            snprintf(found, sizeof found, "raw control character U+%04X", c);
            return scan_fail(sc, EDGE_PARSE, i, "a printable character or an escape such as \\n",
                             found);
        }
        if (c != '\\') {
            i++;
            continue;
        }
        unsigned e = i + 1 < n ? s[i + 1] : 0;
        if (strchr("\"\\/bfnrt", (int)e) && e) {
            i += 2;
            continue;
        }
        if (e != 'u') {
            char found[32];
            if (i + 1 >= n)
                snprintf(found, sizeof found, "end of input");
            else if (e >= 0x20 && e < 0x7F)
                snprintf(found, sizeof found, "'\\%c'", (char)e);
            else
                snprintf(found, sizeof found, "'\\' and byte 0x%02X", e);
            return scan_fail(sc, EDGE_PARSE, i, "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                             found);
        }
        uint32_t u, u2;
        if (!hex4(s + i + 2, n - i - 2, &u)) {
            char found[32];
            size_t k = i + 2;
            while (k < n && k < i + 6 && s[k] >= 0x20 && s[k] < 0x7F && s[k] != '"')
                k++;
            snprintf(found, sizeof found, "'\\u%.*s'", (int)(k - i - 2), (const char *)s + i + 2);
            return scan_fail(sc, EDGE_PARSE, i, "4 hex digits after \\u", found);
        }
        i += 6;
        if (u == 0) {
            *blank = true;
        } else if (u >= 0xD800 && u <= 0xDBFF) {
            /* A pair is two escapes in a row, as Python joins them. */
            if (i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' && hex4(s + i + 2, n - i - 2, &u2) &&
                u2 >= 0xDC00 && u2 <= 0xDFFF)
                i += 6;
            else
                *blank = true;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            *blank = true;
        }
    }
}

static bool match(const unsigned char *s, size_t n, size_t i, const char *word)
{
    size_t len = strlen(word);
    return i + len <= n && memcmp(s + i, word, len) == 0;
}

/* Scans a number at s[i] ('-' or a digit) as Python's NUMBER_RE does:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? , an optional part taken
 * only when complete ("1." is the number 1 followed by '.'). */
static edge_err scan_number(scanner *sc, size_t i, size_t *end)
{
    const unsigned char *s = sc->s;
    size_t n = sc->n, j = i;
    if (s[j] == '-')
        j++;
    if (j < n && s[j] == '0') {
        j++;
    } else if (j < n && is_digit(s[j])) {
        while (j < n && is_digit(s[j]))
            j++;
    } else {
        return scan_fail(sc, EDGE_PARSE, j, "a digit after '-'", NULL);
    }
    size_t int_digits = j - i - (s[i] == '-');
    bool is_int = true;
    if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1])) {
        j += 2;
        while (j < n && is_digit(s[j]))
            j++;
        is_int = false;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < n && is_digit(s[k])) {
            j = k + 1;
            while (j < n && is_digit(s[j]))
                j++;
            is_int = false;
        }
    }
    if (is_int && int_digits > EDGE_JSON_INT_DIGITS_MAX) {
        char expected[64], found[64];
        snprintf(expected, sizeof expected, "an integer of at most %d digits",
                 EDGE_JSON_INT_DIGITS_MAX);
        snprintf(found, sizeof found, "one of %zu digits", int_digits);
        return scan_fail(sc, EDGE_LIMIT, i, expected, found);
    }
    *end = j;
    return EDGE_OK;
}

static scan_val *push_val(scanner *sc)
{
    if (sc->nvals == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 64;
        scan_val *v = realloc(sc->vals, cap * sizeof *v);
        if (!v)
            return NULL;
        sc->vals = v;
        sc->cap = cap;
    }
    scan_val *v = &sc->vals[sc->nvals++];
    memset(v, 0, sizeof *v);
    return v;
}

/* Scans the value at s[*i] in the given state and records it. */
static edge_err scan_value(scanner *sc, size_t *i, int *state)
{
    const unsigned char *s = sc->s;
    size_t n = sc->n, at = *i, end = at + 1;
    unsigned c = s[at];
    scan_val *v = push_val(sc);
    if (!v) {
        error_plain(sc->err, EDGE_NOMEM);
        return EDGE_NOMEM;
    }
    v->off = (uint32_t)at;
    if (*state == S_MEMBER_VALUE) {
        v->key_off = sc->key_off;
        v->key_len = sc->key_len;
        v->flags = sc->key_flags;
    }
    int next = -1;
    edge_err rc = EDGE_OK;
    if (c == '{' || c == '[') {
        if (sc->depth == EDGE_JSON_DEPTH_MAX) {
            char expected[64], found[64];
            snprintf(expected, sizeof expected, "at most %d nested arrays and objects",
                     EDGE_JSON_DEPTH_MAX);
            snprintf(found, sizeof found, "'%c' opening level %d", (char)c, EDGE_JSON_DEPTH_MAX + 1);
            return scan_fail(sc, EDGE_LIMIT, at, expected, found);
        }
        sc->stack[sc->depth++] = (unsigned char)c;
        v->type = c == '{' ? cJSON_Object : cJSON_Array;
        next = c == '{' ? S_OBJECT_FIRST : S_ARRAY_FIRST;
    } else if (c == '"') {
        bool blank;
        rc = scan_string(sc, at, &end, &blank);
        v->type = cJSON_String;
        if (blank)
            v->flags |= F_BLANK;
    } else if (c == '-' && match(s, n, at, "-Infinity")) {
        end = at + 9;
        v->type = cJSON_Number;
        v->flags |= F_BLANK;
    } else if (c == '-' || is_digit(c)) {
        rc = scan_number(sc, at, &end);
        v->type = cJSON_Number;
        if (end - at > CJSON_NUMBER_MAX)
            v->flags |= F_BLANK;
    } else if (match(s, n, at, "NaN") || match(s, n, at, "Infinity")) {
        end = at + (c == 'N' ? 3 : 8);
        v->type = cJSON_Number;
        v->flags |= F_BLANK;
    } else if (match(s, n, at, "true")) {
        end = at + 4;
        v->type = cJSON_True;
    } else if (match(s, n, at, "false")) {
        end = at + 5;
        v->type = cJSON_False;
    } else if (match(s, n, at, "null")) {
        end = at + 4;
        v->type = cJSON_NULL;
    } else {
        return scan_fail(sc, EDGE_PARSE, at, expectation(sc, *state), NULL);
    }
    if (rc != EDGE_OK)
        return rc;
    if (v->type != cJSON_Object && v->type != cJSON_Array)
        v->len = (uint32_t)(end - at);
    sc->nblank += (v->flags & F_BLANK) != 0;
    sc->nblank += (v->flags & F_KEY_BLANK) != 0;
    if (next < 0) {
        next = sc->depth ? S_AFTER : S_END;
    }
    *state = next;
    *i = v->type == cJSON_Object || v->type == cJSON_Array ? at + 1 : end;
    return EDGE_OK;
}

static edge_err scan(scanner *sc)
{
    const unsigned char *s = sc->s;
    size_t n = sc->n, i = 0;
    int state = S_TOP;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            i++;
        if (i == n && state == S_END)
            return EDGE_OK;
        if (i == n || state == S_END)
            return scan_fail(sc, EDGE_PARSE, i, expectation(sc, state), NULL);
        unsigned c = s[i];
        edge_err rc;
        switch (state) {
        case S_AFTER: {
            unsigned char open = sc->stack[sc->depth - 1];
            if (c == ',') {
                state = open == '{' ? S_OBJECT_NEXT : S_ARRAY_NEXT;
                i++;
            } else if (c == (open == '{' ? '}' : ']')) {
                sc->depth--;
                state = sc->depth ? S_AFTER : S_END;
                i++;
            } else {
                return scan_fail(sc, EDGE_PARSE, i, expectation(sc, state), NULL);
            }
            break;
        }
        case S_COLON:
            if (c != ':')
                return scan_fail(sc, EDGE_PARSE, i, expectation(sc, state), NULL);
            state = S_MEMBER_VALUE;
            i++;
            break;
        case S_OBJECT_FIRST:
        case S_OBJECT_NEXT: {
            if (c == '}' && state == S_OBJECT_FIRST) {
                sc->depth--;
                state = sc->depth ? S_AFTER : S_END;
                i++;
                break;
            }
            if (c != '"')
                return scan_fail(sc, EDGE_PARSE, i, expectation(sc, state), NULL);
            size_t end;
            bool blank;
            if ((rc = scan_string(sc, i, &end, &blank)) != EDGE_OK)
                return rc;
            sc->key_off = (uint32_t)i;
            sc->key_len = (uint32_t)(end - i);
            sc->key_flags = blank ? F_KEY_BLANK : 0;
            i = end;
            state = S_COLON;
            break;
        }
        case S_ARRAY_FIRST:
            if (c == ']') {
                sc->depth--;
                state = sc->depth ? S_AFTER : S_END;
                i++;
                break;
            }
            /* fall through */
        default:
            if ((rc = scan_value(sc, &i, &state)) != EDGE_OK)
                return rc;
            break;
        }
    }
}

/* ---- literals --------------------------------------------------------- */

static bool is_int_literal(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        return s[1] == '\0';
    if (*s < '1' || *s > '9')
        return false;
    while (is_digit((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* The double nearest to a number literal of the strict grammar (or NaN,
 * Infinity, -Infinity). strtod reads the decimal point of the current
 * locale, so a literal with a fraction is rewritten without one first
 * ("1.25e3" as "125e1"); digits and exponents read the same in every
 * locale, and glibc's strtod rounds correctly at any length. */
static edge_err literal_to_double(const char *lit, size_t len, double *out)
{
    if (len == 3 && !memcmp(lit, "NaN", 3)) {
        *out = NAN;
        return EDGE_OK;
    }
    if (len >= 8 && !memcmp(lit + len - 8, "Infinity", 8)) {
        *out = lit[0] == '-' ? -INFINITY : INFINITY;
        return EDGE_OK;
    }
    const char *p = lit, *e = lit + len;
    bool neg = *p == '-';
    p += neg;
    const char *int_start = p;
    while (p < e && is_digit((unsigned char)*p))
        p++;
    const char *int_end = p, *frac_start = p, *frac_end = p;
    if (p < e && *p == '.') {
        frac_start = ++p;
        while (p < e && is_digit((unsigned char)*p))
            p++;
        frac_end = p;
    }
    long exp10 = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = *p == '-';
        if (*p == '+' || *p == '-')
            p++;
        for (; p < e; p++)
            if (exp10 < 100000000L) /* saturate: past this it is 0 or inf */
                exp10 = exp10 * 10 + (*p - '0');
        if (eneg)
            exp10 = -exp10;
    }
    size_t ni = (size_t)(int_end - int_start), nf = (size_t)(frac_end - frac_start);
    if (nf == 0 && exp10 == 0 && ni <= 15) { /* exact in a double: skip strtod */
        int64_t v = 0;
        for (const char *q = int_start; q < int_end; q++)
            v = v * 10 + (*q - '0');
        *out = neg ? -(double)v : (double)v;
        return EDGE_OK;
    }
    exp10 -= (long)nf;
    char small[128], *buf = small;
    size_t need = ni + nf + 24;
    if (need > sizeof small && !(buf = malloc(need)))
        return EDGE_NOMEM;
    char *w = buf;
    if (neg)
        *w++ = '-';
    memcpy(w, int_start, ni);
    w += ni;
    memcpy(w, frac_start, nf);
    w += nf;
    snprintf(w, 24, "e%ld", exp10);
    *out = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return EDGE_OK;
}

/* ---- the document ----------------------------------------------------- */

typedef struct {
    uintptr_t item;
    uint32_t line, col;   /* of the value; line 0: dropped */
    uint32_t kline, kcol; /* of the key; 0 when not a member */
} pos_entry;

struct edge_json_doc {
    cJSON *root; /* owned; NULL once taken */
    pos_entry *pos;
    size_t npos;
    size_t duplicates;
    edge_json_pos first_duplicate;
};

typedef struct {
    const unsigned char *s;
    size_t n;
    const scan_val *vals;
    size_t nvals, next;
    pos_entry *pos;
    cursor cur;
} walker;

/* Decodes the string token s[0..len) (quotes included) into a new edge
 * string from cJSON's allocator. The scanner has checked it. */
static char *decode_string(const unsigned char *s, size_t len)
{
    unsigned char *out = cJSON_malloc(len + 1), *w = out; /* never grows */
    if (!out)
        return NULL;
    for (size_t i = 1; i + 1 < len;) {
        if (s[i] != '\\') {
            *w++ = s[i++];
            continue;
        }
        unsigned e = s[i + 1];
        uint32_t u = 0, u2;
        i += 2;
        switch (e) {
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
            hex4(s + i, len - i, &u);
            i += 4;
            if (u >= 0xD800 && u <= 0xDBFF && i + 6 < len && s[i] == '\\' && s[i + 1] == 'u' &&
                hex4(s + i + 2, len - i - 2, &u2) && u2 >= 0xDC00 && u2 <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
                i += 6;
            }
            w += encode_char(u, w);
            break;
        default: *w++ = (unsigned char)e; break; /* " \ / */
        }
    }
    *w = '\0';
    return (char *)out;
}

static edge_err walk(walker *wk, cJSON *item)
{
    if (wk->next >= wk->nvals)
        return EDGE_STATE;
    size_t idx = wk->next++;
    const scan_val *v = &wk->vals[idx];
    pos_entry *p = &wk->pos[idx];
    if ((item->type & 0xFF) != v->type)
        return EDGE_STATE;
    p->item = (uintptr_t)item;
    if (v->key_len) {
        cursor_move(&wk->cur, v->key_off);
        p->kline = wk->cur.line;
        p->kcol = wk->cur.col;
        if (v->flags & F_KEY_BLANK) {
            char *key = decode_string(wk->s + v->key_off, v->key_len);
            if (!key)
                return EDGE_NOMEM;
            if (!(item->type & cJSON_StringIsConst))
                cJSON_free(item->string);
            item->type &= ~cJSON_StringIsConst;
            item->string = key;
        }
    }
    cursor_move(&wk->cur, v->off);
    p->line = wk->cur.line;
    p->col = wk->cur.col;
    if (v->type == cJSON_Number) {
        const char *lit = (const char *)wk->s + v->off;
        char *copy = cJSON_malloc((size_t)v->len + 1);
        if (!copy)
            return EDGE_NOMEM;
        memcpy(copy, lit, v->len);
        copy[v->len] = '\0';
        double d;
        if (literal_to_double(lit, v->len, &d) != EDGE_OK) {
            cJSON_free(copy);
            return EDGE_NOMEM;
        }
        cJSON_free(item->valuestring);
        item->valuestring = copy;
        cJSON_SetNumberValue(item, d);
    } else if (v->type == cJSON_String && (v->flags & F_BLANK)) {
        char *str = decode_string(wk->s + v->off, v->len);
        if (!str)
            return EDGE_NOMEM;
        cJSON_free(item->valuestring);
        item->valuestring = str;
    } else if (v->type == cJSON_Array || v->type == cJSON_Object) {
        for (cJSON *c = item->child; c; c = c->next) {
            edge_err rc = walk(wk, c);
            if (rc != EDGE_OK)
                return rc;
        }
    }
    return EDGE_OK;
}

static int cmp_pos_entry(const void *a, const void *b)
{
    uintptr_t x = ((const pos_entry *)a)->item, y = ((const pos_entry *)b)->item;
    return (x > y) - (x < y);
}

static pos_entry *find_entry(const edge_json_doc *doc, const cJSON *item)
{
    pos_entry key = {.item = (uintptr_t)item};
    if (!doc->pos)
        return NULL;
    return bsearch(&key, doc->pos, doc->npos, sizeof key, cmp_pos_entry);
}

static void mark_dropped(edge_json_doc *doc, const cJSON *item)
{
    pos_entry *p = find_entry(doc, item);
    if (p)
        p->line = p->col = 0;
    for (const cJSON *c = item->child; c; c = c->next)
        mark_dropped(doc, c);
}

typedef struct {
    cJSON *item;
    size_t index;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    int c = strcmp(x->item->string, y->item->string);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

static void drop_member(edge_json_doc *doc, cJSON *object, cJSON *m)
{
    pos_entry *p = find_entry(doc, m);
    edge_json_pos kp = p ? (edge_json_pos){(int)p->kline, (int)p->kcol} : (edge_json_pos){0, 0};
    if (doc->duplicates == 0 || kp.line < doc->first_duplicate.line ||
        (kp.line == doc->first_duplicate.line && kp.col < doc->first_duplicate.col))
        doc->first_duplicate = kp;
    doc->duplicates++;
    mark_dropped(doc, m);
    cJSON_Delete(cJSON_DetachItemViaPointer(object, m));
}

/* Keeps the last of each repeated key, in every object of the tree. Small
 * objects compare pairwise; larger ones sort (key, position). *scratch is
 * reused across objects. */
static edge_err drop_repeated_keys(edge_json_doc *doc, cJSON *item, member **scratch, size_t *cap)
{
    if ((item->type & 0xFF) == cJSON_Object) {
        size_t n = 0;
        for (cJSON *c = item->child; c; c = c->next)
            n++;
        if (n > 1 && n <= 16) {
            cJSON *c = item->child;
            while (c) {
                cJSON *next = c->next;
                for (cJSON *d = next; d; d = d->next)
                    if (!strcmp(c->string, d->string)) {
                        drop_member(doc, item, c);
                        break;
                    }
                c = next;
            }
        } else if (n > 16) {
            if (n > *cap) {
                member *m = realloc(*scratch, n * sizeof *m);
                if (!m)
                    return EDGE_NOMEM;
                *scratch = m;
                *cap = n;
            }
            size_t k = 0;
            for (cJSON *c = item->child; c; c = c->next, k++)
                (*scratch)[k] = (member){c, k};
            qsort(*scratch, n, sizeof **scratch, cmp_member);
            for (k = 0; k + 1 < n; k++)
                if (!strcmp((*scratch)[k].item->string, (*scratch)[k + 1].item->string))
                    drop_member(doc, item, (*scratch)[k].item);
        }
    }
    if ((item->type & 0xFF) == cJSON_Object || (item->type & 0xFF) == cJSON_Array)
        for (cJSON *c = item->child; c; c = c->next) {
            edge_err rc = drop_repeated_keys(doc, c, scratch, cap);
            if (rc != EDGE_OK)
                return rc;
        }
    return EDGE_OK;
}

/* The text cJSON reads: the original, or a copy in which the tokens it
 * cannot read are blanked to the same length ("0    " for a number, a
 * string of spaces for a string), so every offset still holds. */
static char *blanked_copy(const scanner *sc)
{
    char *t = malloc(sc->n);
    if (!t)
        return NULL;
    memcpy(t, sc->s, sc->n);
    for (size_t i = 0; i < sc->nvals; i++) {
        const scan_val *v = &sc->vals[i];
        if (v->flags & F_KEY_BLANK)
            memset(t + v->key_off + 1, ' ', v->key_len - 2);
        if (!(v->flags & F_BLANK))
            continue;
        if (v->type == cJSON_Number) {
            t[v->off] = '0';
            memset(t + v->off + 1, ' ', v->len - 1);
        } else {
            memset(t + v->off + 1, ' ', v->len - 2);
        }
    }
    return t;
}

edge_err edge_json_parse(const char *text, size_t len, edge_json_doc **out, edge_json_error *err)
{
    scanner *sc = NULL;
    edge_json_doc *doc = NULL;
    char *blanked = NULL;
    member *scratch = NULL;
    size_t scratch_cap = 0;
    edge_err rc = EDGE_NOMEM;

    if (!text || !out) {
        error_plain(err, EDGE_INVAL);
        return EDGE_INVAL;
    }
    if (len > EDGE_JSON_INPUT_MAX) {
        if (err) {
            error_plain(err, EDGE_LIMIT);
            err->line = err->col = 1;
            snprintf(err->expected, sizeof err->expected, "at most %zu bytes",
                     (size_t)EDGE_JSON_INPUT_MAX);
            snprintf(err->found, sizeof err->found, "%zu bytes", len);
        }
        return EDGE_LIMIT;
    }
    if (!(sc = calloc(1, sizeof *sc)) || !(doc = calloc(1, sizeof *doc))) {
        error_plain(err, EDGE_NOMEM);
        goto fail;
    }
    sc->s = (const unsigned char *)text;
    sc->n = len;
    sc->err = err;
    if ((rc = check_utf8(sc)) != EDGE_OK || (rc = scan(sc)) != EDGE_OK)
        goto fail;

    rc = EDGE_NOMEM;
    if (sc->nblank && !(blanked = blanked_copy(sc))) {
        error_plain(err, rc);
        goto fail;
    }
    /* The scanner accepted the text, so cJSON failing means out of memory. */
    doc->root = cJSON_ParseWithLengthOpts(blanked ? blanked : text, len, NULL, 0);
    if (!doc->root || !(doc->pos = calloc(sc->nvals, sizeof *doc->pos))) {
        error_plain(err, rc);
        goto fail;
    }
    doc->npos = sc->nvals;

    walker wk = {.s = sc->s, .n = len, .vals = sc->vals, .nvals = sc->nvals, .pos = doc->pos};
    cursor_init(&wk.cur, sc->s, len);
    rc = walk(&wk, doc->root);
    if (rc == EDGE_OK && wk.next != wk.nvals)
        rc = EDGE_STATE;
    if (rc != EDGE_OK) { /* EDGE_STATE: cJSON and the scanner disagree (a bug) */
        error_plain(err, rc);
        goto fail;
    }
    qsort(doc->pos, doc->npos, sizeof *doc->pos, cmp_pos_entry);
    if ((rc = drop_repeated_keys(doc, doc->root, &scratch, &scratch_cap)) != EDGE_OK) {
        error_plain(err, rc);
        goto fail;
    }
    free(scratch);
    free(blanked);
    free(sc->vals);
    free(sc);
    if (err)
        error_plain(err, EDGE_OK);
    *out = doc;
    return EDGE_OK;

fail:
    free(scratch);
    free(blanked);
    if (sc)
        free(sc->vals);
    free(sc);
    edge_json_doc_free(doc);
    return rc;
}

void edge_json_doc_free(edge_json_doc *doc)
{
    if (!doc)
        return;
    cJSON_Delete(doc->root);
    free(doc->pos);
    free(doc);
}

cJSON *edge_json_doc_root(const edge_json_doc *doc)
{
    return doc ? doc->root : NULL;
}

cJSON *edge_json_doc_take_root(edge_json_doc *doc)
{
    if (!doc)
        return NULL;
    cJSON *root = doc->root;
    doc->root = NULL;
    return root;
}

edge_err edge_json_doc_pos(const edge_json_doc *doc, const cJSON *item, edge_json_pos *pos,
                           edge_json_pos *key_pos)
{
    if (!doc || !item)
        return EDGE_INVAL;
    const pos_entry *p = find_entry(doc, item);
    if (!p || p->line == 0)
        return EDGE_NOT_FOUND;
    if (pos)
        *pos = (edge_json_pos){(int)p->line, (int)p->col};
    if (key_pos)
        *key_pos = (edge_json_pos){(int)p->kline, (int)p->kcol};
    return EDGE_OK;
}

size_t edge_json_doc_duplicate_keys(const edge_json_doc *doc, edge_json_pos *first)
{
    if (!doc)
        return 0;
    if (first && doc->duplicates)
        *first = doc->first_duplicate;
    return doc->duplicates;
}

/* ---- numbers ---------------------------------------------------------- */

/* The double nearest to a NUL-terminated integer literal; never allocates
 * (an integer has no decimal point, so strtod reads it alike everywhere). */
static double int_literal_to_double(const char *lit)
{
    const char *p = lit + (*lit == '-');
    if (strlen(p) > 15)
        return strtod(lit, NULL);
    int64_t v = 0; /* at most 15 digits: exact in a double */
    for (; *p; p++)
        v = v * 10 + (*p - '0');
    return *lit == '-' ? -(double)v : (double)v;
}

/* A number item owning a copy of lit, with value d. */
static cJSON *number_with_literal(double d, const char *lit)
{
    cJSON *item = cJSON_CreateNumber(d);
    size_t len = strlen(lit);
    char *copy = cJSON_malloc(len + 1);
    if (!item || !copy) {
        cJSON_Delete(item);
        cJSON_free(copy);
        return NULL;
    }
    memcpy(copy, lit, len + 1);
    item->valuestring = copy;
    return item;
}

cJSON *edge_json_int(int64_t v)
{
    char lit[24];
    snprintf(lit, sizeof lit, "%" PRId64, v);
    return number_with_literal((double)v, lit);
}

cJSON *edge_json_int_literal(const char *lit)
{
    if (!lit || !is_int_literal(lit) || strlen(lit) - (lit[0] == '-') > EDGE_JSON_INT_DIGITS_MAX)
        return NULL;
    return number_with_literal(int_literal_to_double(lit), lit);
}

cJSON *edge_json_float(double v)
{
    return cJSON_CreateNumber(v);
}

bool edge_json_is_int(const cJSON *item)
{
    if (!item || (item->type & 0xFF) != cJSON_Number || !item->valuestring ||
        !is_int_literal(item->valuestring))
        return false;
    return int_literal_to_double(item->valuestring) == item->valuedouble; /* else stale */
}

edge_err edge_json_get_int(const cJSON *item, int64_t *out)
{
    if (!out || !edge_json_is_int(item))
        return EDGE_INVAL;
    const char *p = item->valuestring;
    bool neg = *p == '-';
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (p += neg; *p; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (limit - d) / 10)
            return EDGE_RANGE;
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return EDGE_OK;
}

const char *edge_json_number_literal(const cJSON *item)
{
    if (!item || (item->type & 0xFF) != cJSON_Number)
        return NULL;
    return item->valuestring;
}

/* ---- merge patch ------------------------------------------------------ */

/* The last member of object with the given key; earlier ones with the same
 * key are deleted (they are dead under last-wins anyway). */
static cJSON *last_member(cJSON *object, const char *key)
{
    cJSON *found = NULL;
    for (cJSON *c = object->child; c;) {
        cJSON *next = c->next;
        if (c->string && !strcmp(c->string, key)) {
            if (found)
                cJSON_Delete(cJSON_DetachItemViaPointer(object, found));
            found = c;
        }
        c = next;
    }
    return found;
}

static edge_err merge_into(cJSON *target, const cJSON *patch);

/* MergePatch(absent or non-object, patch): a copy of patch, with the null
 * members of object patches removed. NULL when out of memory. */
static cJSON *patched_copy(const cJSON *patch)
{
    if ((patch->type & 0xFF) != cJSON_Object)
        return cJSON_Duplicate(patch, 1);
    cJSON *obj = cJSON_CreateObject();
    if (obj && merge_into(obj, patch) != EDGE_OK) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj;
}

/* RFC 7386 MergePatch for an object target and an object patch, in place.
 * On error target is half-patched: callers work on a copy. */
static edge_err merge_into(cJSON *target, const cJSON *patch)
{
    for (const cJSON *m = patch->child; m; m = m->next) {
        if (!m->string)
            continue;
        cJSON *old = last_member(target, m->string);
        if ((m->type & 0xFF) == cJSON_NULL) {
            if (old)
                cJSON_Delete(cJSON_DetachItemViaPointer(target, old));
            continue;
        }
        if (old && (m->type & 0xFF) == cJSON_Object && (old->type & 0xFF) == cJSON_Object) {
            edge_err rc = merge_into(old, m);
            if (rc != EDGE_OK)
                return rc;
            continue;
        }
        cJSON *value = patched_copy(m);
        if (!value)
            return EDGE_NOMEM;
        if (old) {
            size_t klen = strlen(m->string);
            char *key = cJSON_malloc(klen + 1);
            if (!key) {
                cJSON_Delete(value);
                return EDGE_NOMEM;
            }
            memcpy(key, m->string, klen + 1);
            if (!(value->type & cJSON_StringIsConst))
                cJSON_free(value->string); /* cJSON_Duplicate copied the key */
            value->type &= ~cJSON_StringIsConst;
            value->string = key;
            cJSON_ReplaceItemViaPointer(target, old, value); /* frees old */
        } else if (!cJSON_AddItemToObject(target, m->string, value)) {
            cJSON_Delete(value);
            return EDGE_NOMEM;
        }
    }
    return EDGE_OK;
}

edge_err edge_json_merge_patch(cJSON **target, const cJSON *patch)
{
    if (!target || !patch)
        return EDGE_INVAL;
    cJSON *result;
    if ((patch->type & 0xFF) != cJSON_Object) {
        result = cJSON_Duplicate(patch, 1);
    } else if (*target && (((*target)->type & 0xFF) == cJSON_Object)) {
        result = cJSON_Duplicate(*target, 1);
        if (result && merge_into(result, patch) != EDGE_OK) {
            cJSON_Delete(result);
            result = NULL;
        }
    } else {
        result = patched_copy(patch);
    }
    if (!result)
        return EDGE_NOMEM;
    cJSON_Delete(*target);
    *target = result;
    return EDGE_OK;
}
