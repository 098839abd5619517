#include "time.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

edge_time edge_time_from_s(double seconds)
{
    if (isnan(seconds))
        return 0;
    double ns = seconds * 1e9;
    if (ns >= 9.2233720368547758e18)
        return EDGE_TIME_MAX;
    if (ns <= -9.2233720368547758e18)
        return -EDGE_TIME_MAX;
    return (edge_time)llround(ns);
}

static const struct {
    const char *suffix;
    edge_time ns;
} units[] = {
    {"ns", EDGE_NS}, {"us", EDGE_US}, {"ms", EDGE_MS}, {"s", EDGE_S},
    {"m", EDGE_MIN}, {"h", EDGE_HOUR}, {"d", EDGE_DAY},
};

edge_err edge_duration_parse(const char *s, edge_time *out)
{
    if (!s || !*s)
        return EDGE_INVAL;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    /* Digits with at most one point; no exponent, no inf/nan, no hex. */
    const char *num_start = p;
    int digits = 0, points = 0;
    while ((*p >= '0' && *p <= '9') || *p == '.') {
        if (*p == '.')
            points++;
        else
            digits++;
        p++;
    }
    if (digits == 0 || points > 1 || p == num_start)
        return EDGE_INVAL;
    const char *unit = p;
    edge_time scale = 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].suffix) == 0)
            scale = units[i].ns;
    if (scale == 0)
        return EDGE_INVAL;

    /* Integer part and fraction exactly in int64 where possible, so "10m"
     * and "0.1s" are exact rather than subject to binary rounding. */
    int neg = s[0] == '-';
    uint64_t whole = 0;
    const char *q = num_start;
    for (; *q >= '0' && *q <= '9'; q++) {
        if (whole > (UINT64_MAX - 9) / 10)
            return EDGE_RANGE;
        whole = whole * 10 + (uint64_t)(*q - '0');
    }
    if (whole > (uint64_t)INT64_MAX / (uint64_t)scale)
        return EDGE_RANGE;
    uint64_t ns = whole * (uint64_t)scale;
    if (*q == '.') {
        q++;
        /* fraction * scale, rounded half up, digit by digit */
        uint64_t frac_num = 0, frac_den = 1;
        for (; *q >= '0' && *q <= '9'; q++) {
            if (frac_den >= 1000000000000000000ULL)
                continue; /* beyond 18 digits nothing changes at ns */
            frac_num = frac_num * 10 + (uint64_t)(*q - '0');
            frac_den *= 10;
        }
        /* scale <= 8.64e13, frac_num < frac_den <= 1e18: use long double-free
         * exact split to avoid overflow of frac_num * scale. */
        uint64_t add = (uint64_t)(((unsigned __int128)frac_num * (uint64_t)scale
                                   + frac_den / 2) / frac_den);
        if (ns > (uint64_t)INT64_MAX - add)
            return EDGE_RANGE;
        ns += add;
    }
    *out = neg ? -(edge_time)ns : (edge_time)ns;
    return EDGE_OK;
}

int edge_duration_format(char *buf, size_t n, edge_time d)
{
    if (d == 0)
        return snprintf(buf, n, "0s");
    uint64_t mag = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    for (size_t i = sizeof units / sizeof units[0]; i-- > 0;) {
        uint64_t u = (uint64_t)units[i].ns;
        if (mag % u == 0)
            return snprintf(buf, n, "%s%" PRIu64 "%s", d < 0 ? "-" : "", mag / u,
                            units[i].suffix);
    }
    return snprintf(buf, n, "%" PRId64 "ns", d);
}
