#include "output/jsonw.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON's test of a read-back number: equal within its own tolerance. */
static int close_enough(double a, double b)
{
    double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= max * DBL_EPSILON;
}

/* snprintf(p, 32, "%1.<prec>g", d) for prec 15 or 17, by exact integer
 * arithmetic: the prec significant digits m of |d| are d * 10^s rounded half
 * to even (sim__decimal_scale), s chosen so that 10^(prec-1) <= m < 10^prec
 * (|s| <= 27): printf's rounding of the exact binary value. Magnitudes out of
 * that reach return 0 (the caller uses printf). Else the length written,
 * and with prec 15 the text's value read back into *back (exact: m and 10^k
 * are doubles, one rounding; else NAN, read it with strtod). */
static int fast_g(char *p, double d, int prec, double *back)
{
    double a = fabs(d);
    if (!(a > 0) || !isfinite(a))
        return 0;
    int e = (int)floor(log10(a)); /* the decimal exponent, or one off */
    uint64_t lo = sim__pow10[prec - 1], hi = sim__pow10[prec];
    uint64_t m = 0;
    for (int tries = 0; tries < 3; tries++) {
        uint64_t fl;
        int half;
        if (!sim__decimal_scale(a, prec - 1 - e, &fl, &half))
            return 0;
        if (fl < lo) { /* the exponent was one high (d just below 10^e): the
                        * digits are taken again, one place finer */
            e--;
            continue;
        }
        if (fl >= hi) { /* one low */
            e++;
            continue;
        }
        m = fl + (half > 0 || (half == 0 && (fl & 1)));
        if (m == hi) { /* 99..9.5 rounds to 10..0: one more digit of exponent */
            m = lo;
            e++;
        }
        break;
    }
    if (m < lo || m >= hi)
        return 0;
    char dig[20];
    for (int i = prec - 1; i >= 0; i--) {
        dig[i] = (char)('0' + m % 10);
        m /= 10;
    }
    int nd = prec; /* significant digits left once trailing zeros go */
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    char *q = p;
    if (signbit(d))
        *q++ = '-';
    if (e >= -4 && e < prec) { /* %f style */
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                *q++ = i < nd ? dig[i] : '0';
            if (nd > e + 1) {
                *q++ = '.';
                for (int i = e + 1; i < nd; i++)
                    *q++ = dig[i];
            }
        } else {
            *q++ = '0';
            *q++ = '.';
            for (int i = 0; i < -e - 1; i++)
                *q++ = '0';
            for (int i = 0; i < nd; i++)
                *q++ = dig[i];
        }
    } else { /* %e style: d.ddde+XX */
        *q++ = dig[0];
        if (nd > 1) {
            *q++ = '.';
            for (int i = 1; i < nd; i++)
                *q++ = dig[i];
        }
        *q++ = 'e';
        *q++ = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae >= 100)
            *q++ = (char)('0' + ae / 100);
        *q++ = (char)('0' + ae / 10 % 10);
        *q++ = (char)('0' + ae % 10);
    }
    *q = '\0'; /* for a reader of the text (strtod); not counted */
    *back = NAN;
    if (prec == 15) { /* the value of the digits: mm * 10^k, mm < 2^53 */
        uint64_t mm = 0;
        for (int i = 0; i < prec; i++)
            mm = mm * 10 + (uint64_t)(dig[i] - '0');
        int k = e - (prec - 1);
        static const double d10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        if (k >= 0 && k <= 22)
            *back = (double)mm * d10[k];
        else if (k < 0 && k >= -22)
            *back = (double)mm / d10[-k];
        if (signbit(d))
            *back = -*back;
    }
    return (int)(q - p);
}

static void put_number(sim__csvw *w, const cJSON *item)
{
    double d = item->valuedouble;
    char *p = sim__csvw_room(w, 32);
    if (isnan(d) || isinf(d)) {
        memcpy(p, "null", 4);
        sim__csvw_wrote(w, p + 4);
        return;
    }
    /* an integer of at most 15 digits: "%1.15g" writes its digits, exactly
     * (-0 keeps its sign there) */
    if (fabs(d) < 1e15 && d == (double)(int64_t)d && !(d == 0 && signbit(d))) {
        sim__csvw_wrote(w, sim__put_i64(p, (int64_t)d));
        return;
    }
    /* 15 significant digits when they read back within cJSON's tolerance,
     * else 17: cJSON's rule, so the text is the one cJSON_Print writes */
    double back;
    int n = fast_g(p, d, 15, &back);
    if (!n) {
        n = snprintf(p, 32, "%1.15g", d);
        back = NAN;
    }
    if (isnan(back)) {
        char *end;
        back = strtod(p, &end);
        if (end != p + n)
            back = NAN;
    }
    if (isnan(back) || !close_enough(back, d)) {
        double unused;
        n = fast_g(p, d, 17, &unused);
        if (!n)
            n = snprintf(p, 32, "%1.17g", d);
    }
    sim__csvw_wrote(w, p + n);
}

static void put_string(sim__csvw *w, const char *s)
{
    sim__csvw_char(w, '"');
    if (s) {
        const unsigned char *c = (const unsigned char *)s;
        for (;;) {
            /* the run of bytes that need no escape, in one piece */
            size_t k = 0;
            while (c[k] >= 32 && c[k] != '"' && c[k] != '\\')
                k++;
            while (k > 0) {
                size_t part = k < SIM__CSVW_BUF ? k : SIM__CSVW_BUF;
                char *p = sim__csvw_room(w, part);
                memcpy(p, c, part);
                sim__csvw_wrote(w, p + part);
                c += part;
                k -= part;
            }
            if (!*c)
                break;
            char *p = sim__csvw_room(w, 6);
            *p++ = '\\';
            switch (*c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[*c >> 4];
                *p++ = hex[*c & 15];
            }
            }
            sim__csvw_wrote(w, p);
            c++;
        }
    }
    sim__csvw_char(w, '"');
}

static void put_tabs(sim__csvw *w, size_t n)
{
    while (n > 0) {
        size_t part = n < 64 ? n : 64;
        char *p = sim__csvw_room(w, part);
        memset(p, '\t', part);
        sim__csvw_wrote(w, p + part);
        n -= part;
    }
}

/* depth: cJSON's, the containers entered so far (arrays count too). */
static int put_value(sim__csvw *w, const cJSON *item, size_t depth)
{
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        sim__csvw_str(w, "null");
        return 0;
    case cJSON_False:
        sim__csvw_str(w, "false");
        return 0;
    case cJSON_True:
        sim__csvw_str(w, "true");
        return 0;
    case cJSON_Number:
        put_number(w, item);
        return 0;
    case cJSON_Raw:
        if (!item->valuestring)
            return -1;
        sim__csvw_str(w, item->valuestring);
        return 0;
    case cJSON_String:
        put_string(w, item->valuestring);
        return 0;
    case cJSON_Array:
        sim__csvw_char(w, '[');
        for (const cJSON *c = item->child; c; c = c->next) {
            if (put_value(w, c, depth + 1) != 0)
                return -1;
            if (c->next)
                sim__csvw_str(w, ", ");
        }
        sim__csvw_char(w, ']');
        return 0;
    case cJSON_Object:
        sim__csvw_str(w, "{\n");
        for (const cJSON *c = item->child; c; c = c->next) {
            put_tabs(w, depth + 1);
            put_string(w, c->string);
            sim__csvw_str(w, ":\t");
            if (put_value(w, c, depth + 1) != 0)
                return -1;
            sim__csvw_str(w, c->next ? ",\n" : "\n");
        }
        put_tabs(w, depth);
        sim__csvw_char(w, '}');
        return 0;
    default:
        return -1;
    }
}

int sim__jsonw_value(sim__csvw *w, const cJSON *item)
{
    return item ? put_value(w, item, 0) : -1;
}
