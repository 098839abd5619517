#include "output/csvw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canonical_json.h"

char *sim__put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
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
    uint32_t frac = (uint32_t)(m % 1000000000u);
    for (int i = 8; i >= 0; i--) { /* from the right: divisions by a constant */
        p[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
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
        uint64_t f = m % scale;
        for (uint64_t d = scale / 10; d; d /= 10)
            *p++ = (char)('0' + f / d % 10);
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
