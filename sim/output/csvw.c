#include "output/csvw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canonical_json.h"

/* "00" to "99": numbers are written two digits per division (an output of
 * 10,000 nodes writes a few million of them). */
static const char digits2[201] = "00010203040506070809101112131415161718192021222324"
                                 "25262728293031323334353637383940414243444546474849"
                                 "50515253545556575859606162636465666768697071727374"
                                 "75767778798081828384858687888990919293949596979899";

/* The n digits of v < 10^n (leading zeros included) at p[0..n), from the
 * right. */
static void put_digits(char *p, uint64_t v, int n)
{
    while (n >= 2) {
        memcpy(p + n - 2, digits2 + 2 * (v % 100), 2);
        v /= 100;
        n -= 2;
    }
    if (n)
        p[0] = (char)('0' + v % 10);
}

/* The 9 digits of v < 10^9, leading zeros included (a time's nanoseconds,
 * a fraction's digits): in 32-bit arithmetic, unrolled. */
static void put_digits9(char *p, uint32_t v)
{
    uint32_t hi = v / 10000, lo = v % 10000; /* hi < 100000 */
    uint32_t h3 = hi / 100;                  /* < 1000 */
    p[0] = (char)('0' + h3 / 100);
    memcpy(p + 1, digits2 + 2 * (h3 % 100), 2);
    memcpy(p + 3, digits2 + 2 * (hi % 100), 2);
    memcpy(p + 5, digits2 + 2 * (lo / 100), 2);
    memcpy(p + 7, digits2 + 2 * (lo % 100), 2);
}

char *sim__put_u64(char *p, uint64_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    if (v < 100) {
        memcpy(p, digits2 + 2 * v, 2);
        return p + 2;
    }
    int n = 1;
    for (uint64_t x = v; x >= 10; x /= 10)
        n++;
    put_digits(p, v, n);
    return p + n;
}

char *sim__put_i64(char *p, int64_t v)
{
    if (v < 0) {
        *p++ = '-';
        return sim__put_u64(p, (uint64_t)0 - (uint64_t)v);
    }
    return sim__put_u64(p, (uint64_t)v);
}

char *sim__put_time(char *p, edge_time t)
{
    uint64_t m = t < 0 ? (*p++ = '-', (uint64_t)0 - (uint64_t)t) : (uint64_t)t;
    p = sim__put_u64(p, m / 1000000000u);
    *p++ = '.';
    put_digits9(p, (uint32_t)(m % 1000000000u));
    return p + 9;
}

/* v * 10^decimals in long double is within 2^-64 relative of the exact
 * product; below 2^40 that is under 1e-7 absolute, so unless the fraction is
 * within 1e-6 of one half, rounding it gives printf's digits (printf rounds
 * the exact binary value, half to even). A whole number below 2^53 is its
 * digits and the zeros. Everything else, negatives, -0 and non-finite values
 * take printf itself. */
char *sim__put_fixed(char *p, double v, int decimals)
{
    static const long double pow10[10] = {1e0L, 1e1L, 1e2L, 1e3L, 1e4L,
                                          1e5L, 1e6L, 1e7L, 1e8L, 1e9L};
    if (decimals < 0 || decimals > 9 || !(v >= 0) || signbit(v))
        return p + snprintf(p, SIM__CSVW_NUMBER_MAX, "%.*f", decimals < 0 ? 0 : decimals, v);
    if (v < 9007199254740992.0 && (double)(uint64_t)v == v) {
        /* a whole number below 2^53 (memory in MB, counts): its digits and
         * the zeros, as printf writes them */
        p = sim__put_u64(p, (uint64_t)v);
        if (decimals) {
            *p++ = '.';
            memset(p, '0', (size_t)decimals);
            p += decimals;
        }
        return p;
    }
    long double x = (long double)v * pow10[decimals];
    if (!(x < 1099511627776.0L)) /* 2^40 */
        return p + snprintf(p, SIM__CSVW_NUMBER_MAX, "%.*f", decimals, v);
    long double fl = floorl(x);
    long double frac = x - fl;
    if (fabsl(frac - 0.5L) < 1e-6L)
        return p + snprintf(p, SIM__CSVW_NUMBER_MAX, "%.*f", decimals, v);
    uint64_t m = (uint64_t)fl + (frac > 0.5L);
    uint64_t scale = (uint64_t)pow10[decimals];
    p = sim__put_u64(p, m / scale);
    if (decimals) {
        *p++ = '.';
        put_digits(p, m % scale, decimals);
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
    static const uint32_t pow10u[10] = {1,      10,      100,      1000,      10000,
                                        100000, 1000000, 10000000, 100000000, 1000000000};
    if (den == 0 || decimals < 0 || decimals > 9 || num / 2 > den)
        return sim__put_fixed(p, (double)num / (double)den, decimals);
    uint32_t scale = pow10u[decimals];
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
    p = sim__put_u64(p, m / scale);
    if (decimals) {
        *p++ = '.';
        if (decimals == 9)
            put_digits9(p, (uint32_t)(m % scale));
        else
            put_digits(p, m % scale, decimals);
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
    sim__csvw_wrote(w, sim__put_u64(sim__csvw_room(w, SIM__CSVW_NUMBER_MAX), v));
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
