/* Pins sim/output/csvw: the CSV number formats and the buffered writer.
 * Fixed decimals are checked against printf itself (the reference they
 * replace) on exact ties, near ties, the edges of the fast paths (whole
 * numbers to 2^53 and past) and a million pseudo-random doubles; the shortest doubles read back exactly;
 * times are exact nanosecond decimals; rows larger than the buffer, and many
 * rows across its flushes, come out byte for byte. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csvw.h"

static void expect_fixed(double v, int d)
{
    char got[SIM__CSVW_NUMBER_MAX + 1], want[SIM__CSVW_NUMBER_MAX + 1];
    char *e = sim__put_fixed(got, v, d);
    *e = '\0';
    snprintf(want, sizeof want, "%.*f", d, v);
    cr_assert_str_eq(got, want, "%.17g with %d decimals", v, d);
}

/* The exact reference for sim__decimal_scale(a, k): printf's exact decimal
 * expansion of a (every double's is finite: at most 1074 places), its point
 * moved k places. Returns 0 when the whole part reaches 2^64. */
static int reference_scale(double a, int k, uint64_t *q, int *half)
{
    static char buf[1500];
    snprintf(buf, sizeof buf, "%.1100f", a);
    char digits[1500];
    size_t nd = 0, point = 0;
    for (const char *c = buf; *c; c++) {
        if (*c == '.')
            point = nd;
        else
            digits[nd++] = *c;
    }
    long at = (long)point + k; /* digits[0..at) are the whole part */
    uint64_t v = 0;
    for (long i = 0; i < at; i++) {
        uint64_t dgt = i < (long)nd ? (uint64_t)(digits[i] - '0') : 0;
        if (v > (UINT64_MAX - dgt) / 10)
            return 0;
        v = v * 10 + dgt;
    }
    *q = v;
    *half = -1;
    if (at < 0) /* the point moved past every digit: the rest is below a tenth */
        return 1;
    long i = at;
    if (i >= (long)nd)
        return 1;
    if (digits[i] != '5') {
        *half = digits[i] > '5' ? 1 : -1;
        return 1;
    }
    *half = 0;
    for (size_t j = (size_t)i + 1; j < nd; j++)
        if (digits[j] != '0')
            *half = 1;
    return 1;
}

static void expect_scale(double a, int k)
{
    uint64_t q = 0, rq = 0;
    int half = 2, rhalf = 2;
    int ok = sim__decimal_scale(a, k, &q, &half);
    int rok = reference_scale(a, k, &rq, &rhalf);
    cr_assert_eq(ok, rok, "%a * 10^%d: returned %d, want %d", a, k, ok, rok);
    if (ok) {
        cr_assert_eq(q, rq, "%a * 10^%d: whole part %llu, want %llu", a, k,
                     (unsigned long long)q, (unsigned long long)rq);
        cr_assert_eq(half, rhalf, "%a * 10^%d: rest against a half %d, want %d", a, k, half,
                     rhalf);
    }
}

/* The digits by integer arithmetic are the exact ones (not long double's,
 * whose width is the platform's, or valgrind's 53 bits): against the
 * decimal expansion itself, on exact ties (x.5 scaled), the smallest and
 * largest doubles, powers of ten and their neighbours, and pseudo-random
 * doubles of every magnitude at every scale. */
Test(csvw, decimal_scale_is_exact_against_the_decimal_expansion)
{
    static const double vs[] = {0,        0.5,        2.5,          0.125,    1e-9,
                                5e-324,   2.2250738585072014e-308,    1.7976931348623157e308,
                                4503599627370495.5,   1000000000000000.25, 1000000000000000.75,
                                18446744073709551615.0, 18446744073709549568.0, 0.1, 2.675};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (int k = -27; k <= 27; k++)
            expect_scale(vs[i], k);
    for (int p = -30; p <= 30; p++) {
        double t = pow(10.0, p);
        for (int k = -27; k <= 27; k++) {
            expect_scale(t, k);
            expect_scale(nextafter(t, 0), k);
            expect_scale(nextafter(t, INFINITY), k);
        }
    }
    uint64_t x = 0x243f6a8885a308d3ULL;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = (double)(x >> 11) / 9007199254740992.0 * pow(10.0, (double)(x % 50) - 25);
        expect_scale(v, (int)((x >> 40) % 55) - 27);
    }
    /* out of the domain: nothing set */
    uint64_t q = 7;
    int half = 7;
    cr_expect_eq(sim__decimal_scale(-1.0, 0, &q, &half), 0);
    cr_expect_eq(sim__decimal_scale(NAN, 0, &q, &half), 0);
    cr_expect_eq(sim__decimal_scale(INFINITY, 0, &q, &half), 0);
    cr_expect_eq(sim__decimal_scale(1.0, 28, &q, &half), 0);
    cr_expect_eq(sim__decimal_scale(1.0, -28, &q, &half), 0);
    cr_expect(q == 7 && half == 7);
}

Test(csvw, fixed_decimals_match_printf_on_ties_and_edges)
{
    static const double vs[] = {0,      0.5,    1.5,     2.5,   0.125, 0.375, 0.0005,
                                0.0015, 1e-9,   5e-10,   0.1,   0.7,   1.0 / 3, 2.675,
                                1e9,    1.1e12, 1099511627775.9, 4503599627370495.5,
                                1e300,  -0.0,   -1.5,    -2.0005, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (int d = 0; d <= 9; d++)
            expect_fixed(vs[i], d);
}

Test(csvw, fixed_decimals_of_whole_numbers_match_printf_up_to_and_past_2_53)
{
    /* the whole-number path (memory in MB) and where it hands over */
    static const double vs[] = {0,   1,    9,    10,   512,  16384, 1e15, 4503599627370496.0,
                                9007199254740991.0, 9007199254740992.0, 9007199254740994.0,
                                1e17, 18446744073709551616.0, 1e30};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (int d = 0; d <= 9; d++)
            expect_fixed(vs[i], d);
    for (uint64_t k = 0; k < 100000; k++)
        expect_fixed((double)(k * 7919), (int)(k % 10));
}

Test(csvw, fixed_decimals_match_printf_on_a_million_doubles)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* values of every magnitude from 1e-12 to 1e13, and short decimals */
        double v = (double)(x >> 11) / 9007199254740992.0 * pow(10.0, (double)(x % 26) - 12);
        if (i % 4 == 0)
            v = (double)(x % 100000000) / 1000.0;
        expect_fixed(v, (int)(x >> 60) % 10);
    }
}

/* sim__put_ratio(num, den) against printf of (double)num / den. */
static void expect_ratio(uint64_t num, uint64_t den, int d)
{
    char got[SIM__CSVW_NUMBER_MAX + 1], want[SIM__CSVW_NUMBER_MAX + 1];
    char *e = sim__put_ratio(got, num, den, d);
    *e = '\0';
    snprintf(want, sizeof want, "%.*f", d, (double)num / (double)den);
    cr_assert_str_eq(got, want, "%llu / %llu with %d decimals", (unsigned long long)num,
                     (unsigned long long)den, d);
}

Test(csvw, ratios_match_printf_of_the_double_on_ties_and_edges)
{
    /* exact binary ties (1/2, 1/8, 5/8, 3/2), decimal near ties, the whole
     * numbers 0 and 1 and 2, ratios past 2 (the fallback), a zero
     * denominator, huge operands */
    static const uint64_t nd[][2] = {
        {0, 1},  {1, 1},         {2, 1},          {1, 2},           {3, 2},    {1, 8},
        {5, 8},  {3, 8},         {1, 3},          {2, 3},           {5, 1},    {7, 2},
        {1, 0},  {0, 0},         {1, 2000000000}, {1, 3000000000},  {999999999, 1000000000},
        {1, 1024}, {12345, 100000000000ULL},   {UINT64_MAX / 3, UINT64_MAX},
        {UINT64_MAX, UINT64_MAX}, {1ULL << 62, (1ULL << 62) + 1}};
    for (size_t i = 0; i < sizeof nd / sizeof nd[0]; i++)
        for (int d = 0; d <= 9; d++)
            if (nd[i][1] || nd[i][0]) /* 0/0: NaN, printf's "nan" or "-nan" */
                expect_ratio(nd[i][0], nd[i][1], d);
}

Test(csvw, ratios_match_printf_of_the_double_on_a_million_pairs)
{
    uint64_t x = 0x2545f4914f6cdd1dULL;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* denominators from 1 to 2^62, numerators up to the denominator
         * (a CDF), and near a decimal tie one time in eight */
        uint64_t den = (x >> (2 + x % 62)) | 1;
        uint64_t num = den ? (x * 0x9e3779b97f4a7c15ULL) % (den + 1) : 0;
        int d = (int)(x >> 59) % 10;
        if (i % 8 == 0 && den > 20) /* num / den = k / 10^d + 1/(2 * 10^d): a tie, roughly */
            num = (uint64_t)((double)den * ((double)(x % 1000) + 0.5) / 1000.0);
        expect_ratio(num, den, d);
    }
}

Test(csvw, doubles_are_the_shortest_text_that_reads_back)
{
    static const struct {
        double v;
        const char *text;
    } cases[] = {{0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"}, {1618.6137928375001, "1618.6137928375001"},
                 {1.0, "1.0"}, {1e-5, "1e-05"}, {0.0, "0.0"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        *sim__put_double(buf, cases[i].v) = '\0';
        cr_expect_str_eq(buf, cases[i].text);
        cr_expect_eq(strtod(buf, NULL), cases[i].v);
    }
}

Test(csvw, times_and_integers_are_exact)
{
    char buf[64];
    *sim__put_time(buf, 12 * 1000000000LL + 500000) = '\0';
    cr_expect_str_eq(buf, "12.000500000");
    *sim__put_time(buf, -1) = '\0';
    cr_expect_str_eq(buf, "-0.000000001");
    *sim__put_time(buf, INT64_MIN) = '\0';
    cr_expect_str_eq(buf, "-9223372036.854775808");
    *sim_put_u64(buf, UINT64_MAX) = '\0';
    cr_expect_str_eq(buf, "18446744073709551615");
    *sim__put_i64(buf, INT64_MIN) = '\0';
    cr_expect_str_eq(buf, "-9223372036854775808");
    *sim__put_i64(buf, 0) = '\0';
    cr_expect_str_eq(buf, "0");
    /* against printf: every digit count, and times around each power of ten */
    char want[64];
    for (uint64_t v = 1, k = 0; k < 20; k++, v *= 10) {
        uint64_t vs[3] = {v - 1, v, v + 1};
        for (int j = 0; j < 3; j++) {
            *sim_put_u64(buf, vs[j]) = '\0';
            snprintf(want, sizeof want, "%llu", (unsigned long long)vs[j]);
            cr_expect_str_eq(buf, want);
            int64_t t = (int64_t)(vs[j] % (uint64_t)INT64_MAX);
            *sim__put_time(buf, t) = '\0';
            snprintf(want, sizeof want, "%lld.%09lld", (long long)(t / 1000000000),
                     (long long)(t % 1000000000));
            cr_expect_str_eq(buf, want);
        }
    }
    for (uint64_t v = 0; v < 1000000; v += 7) {
        *sim_put_u64(buf, v) = '\0';
        snprintf(want, sizeof want, "%llu", (unsigned long long)v);
        cr_assert_str_eq(buf, want);
    }
}

Test(csvw, rows_across_flushes_and_longer_than_the_buffer_come_out_whole)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&mem, &len);
    cr_assert_not_null(fp);
    sim__csvw *w = calloc(1, sizeof *w);
    w->fp = fp;
    size_t big = SIM__CSVW_BUF + 100;
    char *longs = malloc(big + 1);
    memset(longs, 'x', big);
    longs[big] = '\0';
    FILE *ref = tmpfile();
    for (int i = 0; i < 20000; i++) {
        sim__csvw_u64(w, (uint64_t)i);
        sim__csvw_char(w, ',');
        sim__csvw_time(w, (int64_t)i * 1000);
        sim__csvw_char(w, ',');
        sim__csvw_fixed(w, i / 7.0, 3);
        sim__csvw_char(w, '\n');
        fprintf(ref, "%d,%d.%09d,%.3f\n", i, i / 1000000, i % 1000000 * 1000, i / 7.0);
        if (i == 10000) {
            sim__csvw_str(w, longs);
            fputs(longs, ref);
        }
    }
    sim__csvw_flush(w);
    fclose(fp);
    long n = ftell(ref);
    rewind(ref);
    char *want = malloc((size_t)n);
    cr_assert_eq(fread(want, 1, (size_t)n, ref), (size_t)n);
    cr_assert_eq(len, (size_t)n);
    cr_expect(memcmp(mem, want, len) == 0);
    fclose(ref);
    free(want);
    free(longs);
    free(w);
    free(mem);
}
