/*
 * canonical_json.c — Python's json.dumps(data, sort_keys=True) for cJSON
 * trees; floats through an exact shortest-digits method (see the header).
 */
#include "canonical_json.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* ---- big integers for exact float formatting -------------------------- */

/* Enough for every intermediate value: the largest is about 10 * 2^1106
 * (the denominator of the smallest subnormal, 2^1075, normalized by up to 31
 * bits and times 10 once). */
#define BIG_LIMBS 40

typedef struct {
    uint32_t d[BIG_LIMBS]; /* little-endian base 2^32 */
    int n;                 /* limbs in use; d[n-1] != 0 unless n == 0 */
} big;

static void big_set(big *a, uint64_t v)
{
    a->n = 0;
    while (v) {
        a->d[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_shl(big *a, int bits)
{
    if (a->n == 0 || bits == 0)
        return;
    int limbs = bits / 32, sh = bits % 32;
    assert(a->n + limbs + 1 <= BIG_LIMBS);
    if (sh) {
        a->d[a->n] = 0;
        for (int i = a->n; i > 0; i--)
            a->d[i] = (a->d[i] << sh) | (a->d[i - 1] >> (32 - sh));
        a->d[0] <<= sh;
        a->n += a->d[a->n] != 0;
    }
    if (limbs) {
        memmove(a->d + limbs, a->d, (size_t)a->n * sizeof a->d[0]);
        memset(a->d, 0, (size_t)limbs * sizeof a->d[0]);
        a->n += limbs;
    }
}

static void big_mul_small(big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        assert(a->n < BIG_LIMBS);
        a->d[a->n++] = (uint32_t)carry;
    }
}

static void big_mul_pow10(big *a, int k)
{
    for (; k >= 9; k -= 9)
        big_mul_small(a, 1000000000u);
    static const uint32_t p10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    if (k)
        big_mul_small(a, p10[k]);
}

static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static void big_add(big *r, const big *a, const big *b)
{
    const big *x = a->n >= b->n ? a : b, *y = x == a ? b : a;
    uint64_t carry = 0;
    for (int i = 0; i < x->n; i++) {
        uint64_t t = (uint64_t)x->d[i] + (i < y->n ? y->d[i] : 0) + carry;
        r->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = x->n;
    if (carry) {
        assert(r->n < BIG_LIMBS);
        r->d[r->n++] = (uint32_t)carry;
    }
}

/* a -= q * b, where the result is known to be >= 0. */
static void big_submul(big *a, const big *b, uint32_t q)
{
    uint64_t borrow = 0, carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = (i < b->n ? (uint64_t)b->d[i] * q : 0) + carry;
        carry = p >> 32;
        uint64_t sub = (uint64_t)(uint32_t)p + borrow;
        borrow = sub > a->d[i];
        a->d[i] = (uint32_t)((uint64_t)a->d[i] - sub);
    }
    assert(!borrow && !carry);
    while (a->n && !a->d[a->n - 1])
        a->n--;
}

/* r = r mod s, returning r / s, for r < 10 s and s normalized (top bit of
 * its top limb set): the estimate from the top limbs is at most 2 short. */
static int big_divmod_digit(big *r, const big *s)
{
    int top = s->n - 1;
    uint64_t rt = ((r->n > s->n ? (uint64_t)r->d[s->n] : 0) << 32) | (r->n > top ? r->d[top] : 0);
    uint32_t q = (uint32_t)(rt / ((uint64_t)s->d[top] + 1));
    if (q)
        big_submul(r, s, q);
    while (big_cmp(r, s) >= 0) {
        big_submul(r, s, 1);
        q++;
    }
    assert(q <= 9);
    return (int)q;
}

/* ---- shortest digits -------------------------------------------------- */

/*
 * The shortest digits of finite v > 0 that read back as v, the nearest to v
 * among those (ties to an even last digit), into digits[0..n) as '0'..'9';
 * *decpt is such that v is about 0.d1d2...dn * 10^decpt. Returns n <= 17.
 */
static int shortest_digits(double v, char *digits, int *decpt)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    int bexp = (int)((bits >> 52) & 0x7FF);
    uint64_t f = bexp ? frac | (UINT64_C(1) << 52) : frac;
    int e = bexp ? bexp - 1075 : -1074;

    if (e >= -52 && e <= 0 && (f & ((UINT64_C(1) << -e) - 1)) == 0) {
        /* An integer below 2^53: its own digits are exact and shortest (the
         * rounding interval is at most 1 wide, any other decimal with no
         * more digits is at least 1 away). */
        uint64_t iv = f >> -e;
        char tmp[20];
        int n = 0;
        while (iv) {
            tmp[n++] = (char)('0' + iv % 10);
            iv /= 10;
        }
        *decpt = n;
        int lead = 0;
        while (tmp[lead] == '0')
            lead++; /* trailing zeros of the number */
        int out = 0;
        for (int i = n - 1; i >= lead; i--)
            digits[out++] = tmp[i];
        return out;
    }

    /* v = r/s; the rounding interval is ((r - mm)/s, (r + mp)/s), its ends
     * included when f is even. The lower end is twice as close for a power
     * of two, except the smallest normal whose lower neighbour is subnormal
     * at the same spacing. Everything is doubled to keep halves integral. */
    bool even = (f & 1) == 0;
    bool closer = frac == 0 && bexp > 1;
    big r, s, mp, mm, t;
    big_set(&r, f);
    big_set(&s, 1);
    big_set(&mp, 1);
    big_set(&mm, 1);
    if (e >= 0) {
        big_shl(&r, e + 1 + closer);
        big_shl(&s, 1 + closer);
        big_shl(&mp, e + closer);
        big_shl(&mm, e);
    } else {
        big_shl(&r, 1 + closer);
        big_shl(&s, 1 - e + closer);
        big_shl(&mp, closer);
    }

    /* Scale by 10^k for an estimate of k, then fix k to the smallest with
     * upper end < 10^k (<= when the end is excluded). */
    int k = (int)ceil(log10(v));
    if (k >= 0) {
        big_mul_pow10(&s, k);
    } else {
        big_mul_pow10(&r, -k);
        big_mul_pow10(&mp, -k);
        big_mul_pow10(&mm, -k);
    }
    for (;;) {
        big_add(&t, &r, &mp);
        int c = big_cmp(&t, &s);
        if (even ? c >= 0 : c > 0) {
            big_mul_small(&s, 10);
            k++;
            continue;
        }
        big_mul_small(&t, 10);
        c = big_cmp(&t, &s);
        if (even ? c < 0 : c <= 0) {
            big_mul_small(&r, 10);
            big_mul_small(&mp, 10);
            big_mul_small(&mm, 10);
            k--;
            continue;
        }
        break;
    }
    *decpt = k;

    /* Normalize s so that digit estimates are close; the ratios stay. */
    int sh = 0;
    for (uint32_t top = s.d[s.n - 1]; !(top & 0x80000000u); top <<= 1)
        sh++;
    big_shl(&r, sh);
    big_shl(&s, sh);
    big_shl(&mp, sh);
    big_shl(&mm, sh);

    int n = 0;
    for (;;) {
        big_mul_small(&r, 10);
        big_mul_small(&mp, 10);
        big_mul_small(&mm, 10);
        int d = big_divmod_digit(&r, &s);
        int c1 = big_cmp(&r, &mm);
        bool low = even ? c1 <= 0 : c1 < 0; /* rounding down stays inside */
        big_add(&t, &r, &mp);
        int c2 = big_cmp(&t, &s);
        bool high = even ? c2 >= 0 : c2 > 0; /* rounding up stays inside */
        if (!low && !high) {
            digits[n++] = (char)('0' + d);
            assert(n < 17);
            continue;
        }
        if (low && high) { /* both: the nearer, ties to even */
            big_add(&t, &r, &r);
            int c = big_cmp(&t, &s);
            d += c > 0 || (c == 0 && (d & 1));
        } else if (high) {
            d++;
        }
        digits[n++] = (char)('0' + d);
        break;
    }
    /* A round-up past 9 carries (not expected after the k fix-up, but cheap
     * to make impossible to get wrong). */
    for (int i = n - 1; i > 0 && digits[i] > '9'; i--) {
        digits[i] = '0';
        digits[i - 1]++;
    }
    if (digits[0] > '9') {
        digits[0] = '1';
        n = 1;
        (*decpt)++;
    }
    while (n > 1 && digits[n - 1] == '0')
        n--;
    return n;
}

size_t edge_json_format_double(double v, char buf[EDGE_JSON_DOUBLE_MAX])
{
    char *w = buf;
    if (isnan(v)) {
        memcpy(buf, "NaN", 4);
        return 3;
    }
    if (signbit(v)) {
        *w++ = '-';
        v = -v;
    }
    if (isinf(v)) {
        memcpy(w, "Infinity", 9);
        return (size_t)(w - buf) + 8;
    }
    if (v == 0) {
        memcpy(w, "0.0", 4);
        return (size_t)(w - buf) + 3;
    }
    char digits[20];
    int decpt, n = shortest_digits(v, digits, &decpt);
    if (decpt <= -4 || decpt > 16) { /* Python's repr switches here */
        *w++ = digits[0];
        if (n > 1) {
            *w++ = '.';
            memcpy(w, digits + 1, (size_t)n - 1);
            w += n - 1;
        }
        int x = decpt - 1;
        *w++ = 'e';
        *w++ = x < 0 ? '-' : '+';
        x = x < 0 ? -x : x;
        if (x >= 100)
            *w++ = (char)('0' + x / 100);
        *w++ = (char)('0' + x / 10 % 10);
        *w++ = (char)('0' + x % 10);
    } else if (decpt <= 0) {
        *w++ = '0';
        *w++ = '.';
        memset(w, '0', (size_t)-decpt);
        w += -decpt;
        memcpy(w, digits, (size_t)n);
        w += n;
    } else if (decpt >= n) {
        memcpy(w, digits, (size_t)n);
        w += n;
        memset(w, '0', (size_t)(decpt - n));
        w += decpt - n;
        memcpy(w, ".0", 2);
        w += 2;
    } else {
        memcpy(w, digits, (size_t)decpt);
        w += decpt;
        *w++ = '.';
        memcpy(w, digits + decpt, (size_t)(n - decpt));
        w += n - decpt;
    }
    *w = '\0';
    return (size_t)(w - buf);
}

/* ---- the writer ------------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void put_u16(sbuf *b, uint32_t u)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15]};
    put(b, e, 6);
}

/* A string with ensure_ascii escaping; EDGE_INVAL when s is not an edge
 * JSON string (json.h). */
static edge_err put_string(sbuf *b, const char *s)
{
    size_t n = strlen(s), i = 0, run = 0;
    put(b, "\"", 1);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            run++; /* printable ASCII goes out in runs */
            i++;
            continue;
        }
        put(b, s + i - run, run);
        run = 0;
        uint32_t cp;
        int len = edge_json_decode_char(s + i, n - i, &cp);
        if (!len)
            return EDGE_INVAL;
        i += (size_t)len;
        switch (cp) {
        case '"': put(b, "\\\"", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\b': put(b, "\\b", 2); break;
        case '\f': put(b, "\\f", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case '\t': put(b, "\\t", 2); break;
        default:
            if (cp >= 0x10000) {
                cp -= 0x10000;
                put_u16(b, 0xD800 + (cp >> 10));
                put_u16(b, 0xDC00 + (cp & 0x3FF));
            } else {
                put_u16(b, cp);
            }
        }
    }
    put(b, s + i - run, run);
    put(b, "\"", 1);
    return EDGE_OK;
}

/* Key order by code point. Edge strings are UTF-8, whose byte order is code
 * point order, except U+0000 stored as C0 80: it ranks below every other
 * character (and above the end of the string). */
static int key_unit(const unsigned char *p)
{
    return *p == 0 ? -2 : *p == 0xC0 ? -1 : *p;
}

static int cmp_keys(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    int ux = key_unit(x), uy = key_unit(y);
    return (ux > uy) - (ux < uy);
}

typedef struct {
    const cJSON *item;
    size_t index;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    int c = cmp_keys(x->item->string, y->item->string);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

static edge_err put_value(sbuf *b, const cJSON *item, int depth);

static edge_err put_object(sbuf *b, const cJSON *obj, int depth)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string)
            return EDGE_INVAL;
        n++;
    }
    if (n == 0) {
        put(b, "{}", 2);
        return EDGE_OK;
    }
    member *m = malloc(n * sizeof *m);
    if (!m)
        return EDGE_NOMEM;
    size_t k = 0;
    for (const cJSON *c = obj->child; c; c = c->next, k++)
        m[k] = (member){c, k};
    qsort(m, n, sizeof *m, cmp_member);
    edge_err rc = EDGE_OK;
    bool first = true;
    put(b, "{", 1);
    for (k = 0; k < n && rc == EDGE_OK; k++) {
        if (k + 1 < n && !strcmp(m[k].item->string, m[k + 1].item->string))
            continue; /* a later member has this key: last wins */
        if (!first)
            put(b, ", ", 2);
        first = false;
        if ((rc = put_string(b, m[k].item->string)) == EDGE_OK) {
            put(b, ": ", 2);
            rc = put_value(b, m[k].item, depth + 1);
        }
    }
    put(b, "}", 1);
    free(m);
    return rc;
}

static edge_err put_value(sbuf *b, const cJSON *item, int depth)
{
    switch (item->type & 0xFF) {
    case cJSON_False: put(b, "false", 5); return EDGE_OK;
    case cJSON_True: put(b, "true", 4); return EDGE_OK;
    case cJSON_NULL: put(b, "null", 4); return EDGE_OK;
    case cJSON_Number:
        if (edge_json_is_int(item)) {
            const char *lit = item->valuestring;
            if (!strcmp(lit, "-0"))
                lit = "0";
            put(b, lit, strlen(lit));
        } else {
            char num[EDGE_JSON_DOUBLE_MAX];
            put(b, num, edge_json_format_double(item->valuedouble, num));
        }
        return EDGE_OK;
    case cJSON_String:
        return item->valuestring ? put_string(b, item->valuestring) : EDGE_INVAL;
    case cJSON_Array:
    case cJSON_Object:
        if (depth >= EDGE_JSON_DEPTH_MAX)
            return EDGE_LIMIT;
        if ((item->type & 0xFF) == cJSON_Object)
            return put_object(b, item, depth);
        put(b, "[", 1);
        for (const cJSON *c = item->child; c; c = c->next) {
            edge_err rc = put_value(b, c, depth + 1);
            if (rc != EDGE_OK)
                return rc;
            if (c->next)
                put(b, ", ", 2);
        }
        put(b, "]", 1);
        return EDGE_OK;
    default:
        return EDGE_INVAL; /* cJSON_Raw, cJSON_Invalid */
    }
}

edge_err edge_canonical_json(const cJSON *value, char **out, size_t *len)
{
    if (!value || !out)
        return EDGE_INVAL;
    sbuf b = {0};
    edge_err rc = put_value(&b, value, 0);
    put(&b, "", 0); /* makes sure there is a buffer for the NUL */
    if (rc == EDGE_OK && b.oom)
        rc = EDGE_NOMEM;
    if (rc != EDGE_OK) {
        free(b.p);
        return rc;
    }
    b.p[b.len] = '\0';
    *out = b.p;
    if (len)
        *len = b.len;
    return EDGE_OK;
}
