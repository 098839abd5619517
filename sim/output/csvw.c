#include "output/csvw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canonical_json.h"
#include "common/decimal.h"

const uint64_t sim__pow10[20] = {UINT64_C(1),
                                  UINT64_C(10),
                                  UINT64_C(100),
                                  UINT64_C(1000),
                                  UINT64_C(10000),
                                  UINT64_C(100000),
                                  UINT64_C(1000000),
                                  UINT64_C(10000000),
                                  UINT64_C(100000000),
                                  UINT64_C(1000000000),
                                  UINT64_C(10000000000),
                                  UINT64_C(100000000000),
                                  UINT64_C(1000000000000),
                                  UINT64_C(10000000000000),
                                  UINT64_C(100000000000000),
                                  UINT64_C(1000000000000000),
                                  UINT64_C(10000000000000000),
                                  UINT64_C(100000000000000000),
                                  UINT64_C(1000000000000000000),
                                  UINT64_C(10000000000000000000)};

char *sim__put_i64(char *p, int64_t v)
{
    if (v < 0) {
        *p++ = '-';
        return sim_put_u64(p, (uint64_t)0 - (uint64_t)v);
    }
    return sim_put_u64(p, (uint64_t)v);
}

char *sim__put_time(char *p, edge_time t)
{
    uint64_t m = t < 0 ? (*p++ = '-', (uint64_t)0 - (uint64_t)t) : (uint64_t)t;
    p = sim_put_u64(p, m / 1000000000u);
    *p++ = '.';
    sim_put_digits9(p, (uint32_t)(m % 1000000000u));
    return p + 9;
}

/* |v| = m * 2^e exactly (m < 2^53): the bits of the double. */
static void split_double(double v, uint64_t *m, int *e)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int be = (int)(bits >> 52 & 0x7ff);
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    *m = be ? frac | UINT64_C(1) << 52 : frac; /* subnormals: no hidden bit */
    *e = (be ? be : 1) - 1075;
}

int sim__decimal_scale(double a, int k, uint64_t *q, int *half)
{
    /* 5^0 .. 5^27, each below 2^63 */
    static const uint64_t pow5[28] = {
        UINT64_C(1),
        UINT64_C(5),
        UINT64_C(25),
        UINT64_C(125),
        UINT64_C(625),
        UINT64_C(3125),
        UINT64_C(15625),
        UINT64_C(78125),
        UINT64_C(390625),
        UINT64_C(1953125),
        UINT64_C(9765625),
        UINT64_C(48828125),
        UINT64_C(244140625),
        UINT64_C(1220703125),
        UINT64_C(6103515625),
        UINT64_C(30517578125),
        UINT64_C(152587890625),
        UINT64_C(762939453125),
        UINT64_C(3814697265625),
        UINT64_C(19073486328125),
        UINT64_C(95367431640625),
        UINT64_C(476837158203125),
        UINT64_C(2384185791015625),
        UINT64_C(11920928955078125),
        UINT64_C(59604644775390625),
        UINT64_C(298023223876953125),
        UINT64_C(1490116119384765625),
        UINT64_C(7450580596923828125)};
    if (!(a >= 0) || !isfinite(a) || k > 27 || k < -27)
        return 0;
    uint64_t m;
    int e;
    split_double(a, &m, &e);
    /* a * 10^k = n * 2^e / d with 10^k = 5^k * 2^k: n = m * 5^k (< 2^116)
     * and d = 1 when k >= 0, n = m and d = 5^-k when k < 0 */
    unsigned __int128 n = m, d = 1;
    if (k >= 0)
        n *= pow5[k];
    else
        d = pow5[-k];
    e += k;
    if (e > 0) { /* n * 2^e must stay below 2^127 */
        if (e >= 127 || n >> (127 - e))
            return 0;
        n <<= e;
        e = 0;
    }
    int s = -e; /* a * 10^k = n / (d * 2^s) */
    /* n / d = nq + nr / d, then nq / 2^s = whole + t / 2^s; the rest,
     * (t * d + nr) / (d * 2^s), against one half: t against 2^(s-1), and on
     * t = 2^(s-1) exactly, nr against 0 (with s = 0, 2 nr against d) */
    unsigned __int128 nq = d == 1 ? n : n / d, nr = d == 1 ? 0 : n % d;
    unsigned __int128 whole;
    int cmp;
    if (s == 0) {
        whole = nq;
        cmp = 2 * nr < d ? -1 : 2 * nr > d;
    } else if (s >= 118) { /* nq < 2^117 <= 2^(s-1) */
        whole = 0;
        cmp = -1;
    } else {
        whole = nq >> s;
        unsigned __int128 t = nq & (((unsigned __int128)1 << s) - 1);
        unsigned __int128 h = (unsigned __int128)1 << (s - 1);
        cmp = t < h ? -1 : t > h ? 1 : nr > 0;
    }
    if (whole >> 64)
        return 0;
    *q = (uint64_t)whole;
    *half = cmp;
    return 1;
}

/* Exact: v * 10^decimals split into its whole part and the rest's place
 * against one half (sim__decimal_scale), rounded half to even as printf
 * rounds the exact binary value. A whole number below 2^53 is its digits
 * and the zeros. Negatives, -0, non-finite values and products of 2^64 or
 * more take printf itself. */
char *sim__put_fixed(char *p, double v, int decimals)
{
    if (decimals < 0 || decimals > 9 || !(v >= 0) || signbit(v))
        return p + snprintf(p, SIM__CSVW_NUMBER_MAX, "%.*f", decimals < 0 ? 0 : decimals, v);
    if (v < 9007199254740992.0 && (double)(uint64_t)v == v) {
        /* a whole number below 2^53 (memory in MB, counts): its digits and
         * the zeros, as printf writes them */
        p = sim_put_u64(p, (uint64_t)v);
        if (decimals) {
            *p++ = '.';
            memset(p, '0', (size_t)decimals);
            p += decimals;
        }
        return p;
    }
    uint64_t q;
    int half;
    if (!sim__decimal_scale(v, decimals, &q, &half) || q == UINT64_MAX)
        return p + snprintf(p, SIM__CSVW_NUMBER_MAX, "%.*f", decimals, v);
    uint64_t m = q + (half > 0 || (half == 0 && (q & 1)));
    uint64_t scale = sim__pow10[decimals];
    p = sim_put_u64(p, m / scale);
    if (decimals) {
        *p++ = '.';
        sim_put_digits(p, m % scale, decimals);
        p += decimals;
    }
    return p;
}

/* The exact ratio e = num / den, scaled: q + r / den = e * 10^decimals. The
 * double d = (double)num / den is within e * 2^-53 of e, so d * 10^decimals
 * is within (q + 1) * 2^-53 of the scaled ratio: below 2^31 (decimals <= 9
 * and e <= 2), under 2^-22. When the fraction r / den is farther than 2^-21
 * from one half, rounding either gives the same integer, and printf's
 * rounding of d is that integer (sim__put_fixed's argument, with d). */
char *sim__put_ratio(char *p, uint64_t num, uint64_t den, int decimals)
{
    if (den == 0 || decimals < 0 || decimals > 9 || num / 2 > den)
        return sim__put_fixed(p, (double)num / (double)den, decimals);
    uint32_t scale = (uint32_t)sim__pow10[decimals];
    uint64_t q, r;
    if (num <= UINT64_MAX / scale) { /* counts: in 64 bits */
        q = num * scale / den;
        r = num * scale % den;
    } else {
        unsigned __int128 x = (unsigned __int128)num * scale;
        q = (uint64_t)(x / den);
        r = (uint64_t)(x % den);
    }
    unsigned __int128 r2 = 2 * (unsigned __int128)r;
    unsigned __int128 off = r2 > den ? r2 - den : den - r2;
    if ((off << 21) <= den) /* within 2^-21 of a tie */
        return sim__put_fixed(p, (double)num / (double)den, decimals);
    uint64_t m = q + (r2 > den);
    p = sim_put_u64(p, m / scale);
    if (decimals) {
        *p++ = '.';
        if (decimals == 9)
            sim_put_digits9(p, (uint32_t)(m % scale));
        else
            sim_put_digits(p, m % scale, decimals);
        p += decimals;
    }
    return p;
}

char *sim__put_double(char *p, double v)
{
    char buf[EDGE_JSON_DOUBLE_MAX];
    size_t n = edge_json_format_double(v, buf);
    memcpy(p, buf, n);
    return p + n;
}

void sim__csvw_flush(sim__csvw *w)
{
    if (w->len)
        fwrite(w->buf, 1, w->len, w->fp);
    w->len = 0;
}

char *sim__csvw_room(sim__csvw *w, size_t n)
{
    if (SIM__CSVW_BUF - w->len < n)
        sim__csvw_flush(w);
    return w->buf + w->len;
}

void sim__csvw_str(sim__csvw *w, const char *s)
{
    size_t n = strlen(s);
    if (n > SIM__CSVW_BUF / 2) { /* longer than a buffer is worth: straight through */
        sim__csvw_flush(w);
        fwrite(s, 1, n, w->fp);
        return;
    }
    char *p = sim__csvw_room(w, n);
    memcpy(p, s, n);
    w->len += n;
}

void sim__csvw_char(sim__csvw *w, char c)
{
    char *p = sim__csvw_room(w, 1);
    *p = c;
    w->len++;
}

void sim__csvw_u64(sim__csvw *w, uint64_t v)
{
    sim__csvw_wrote(w, sim_put_u64(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), v));
}

void sim__csvw_i64(sim__csvw *w, int64_t v)
{
    sim__csvw_wrote(w, sim__put_i64(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), v));
}

void sim__csvw_time(sim__csvw *w, edge_time t)
{
    sim__csvw_wrote(w, sim__put_time(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), t));
}

void sim__csvw_fixed(sim__csvw *w, double v, int decimals)
{
    sim__csvw_wrote(w, sim__put_fixed(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), v, decimals));
}

void sim__csvw_double(sim__csvw *w, double v)
{
    sim__csvw_wrote(w, sim__put_double(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), v));
}
