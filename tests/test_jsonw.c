/* Pins sim/output/jsonw: a cJSON tree comes out byte for byte as cJSON_Print
 * (the library linked here, the reference it replaces) writes it: nesting of
 * objects in arrays and arrays in objects, empty containers, every escape,
 * integers at the edges of cJSON's int field, numbers whose 15-digit text
 * reads back within cJSON's tolerance and those that need 17 digits, a
 * hundred thousand pseudo-random doubles of every magnitude, text longer
 * than the writer's buffer; and the items cJSON_Print refuses. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "output/csvw.h"
#include "output/jsonw.h"

/* What jsonw writes for item, NUL-terminated; the caller frees. *rc its result. */
static char *written(const cJSON *item, int *rc)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&mem, &len);
    cr_assert_not_null(fp);
    sim__csvw *w = calloc(1, sizeof *w);
    cr_assert_not_null(w);
    w->fp = fp;
    *rc = sim__jsonw_value(w, item);
    sim__csvw_flush(w);
    free(w);
    fclose(fp);
    return mem;
}

static void expect_as_cjson(const cJSON *item)
{
    int rc;
    char *got = written(item, &rc);
    char *want = cJSON_Print(item);
    cr_assert_not_null(want);
    cr_expect_eq(rc, 0);
    /* where they part, with a little context: the texts are megabytes */
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    size_t from = i > 40 ? i - 40 : 0;
    cr_expect(got[i] == want[i], "they part at byte %zu: got \"%.80s\", want \"%.80s\"", i,
              got + from, want + from);
    free(got);
    cJSON_free(want);
}

Test(jsonw, nested_containers_and_escapes_match_cjson_print)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", "a \"quoted\" \\ path/\b\f\n\r\t\x01\x1f\x7f é");
    cJSON_AddNumberToObject(o, "seed", 1);
    cJSON_AddNullToObject(o, "none");
    cJSON_AddTrueToObject(o, "yes");
    cJSON_AddFalseToObject(o, "no");
    cJSON_AddItemToObject(o, "empty_object", cJSON_CreateObject());
    cJSON_AddItemToObject(o, "empty_array", cJSON_CreateArray());
    cJSON *a = cJSON_AddArrayToObject(o, "list");
    cJSON_AddItemToArray(a, cJSON_CreateNumber(0.5));
    cJSON_AddItemToArray(a, cJSON_CreateString(""));
    cJSON *in = cJSON_CreateObject();
    cJSON_AddNumberToObject(in, "x", -3);
    cJSON *deeper = cJSON_AddArrayToObject(in, "y");
    cJSON_AddItemToArray(deeper, cJSON_CreateObject());
    cJSON_AddItemToArray(deeper, cJSON_CreateArray());
    cJSON_AddItemToArray(a, in);
    cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("[1,2]"));
    cJSON_AddItemToObject(o, "esc\"key\n", cJSON_CreateString("v"));
    expect_as_cjson(o);
    cJSON_Delete(o);
    cJSON *top = cJSON_CreateArray();
    expect_as_cjson(top);
    cJSON_AddItemToArray(top, cJSON_CreateObject());
    expect_as_cjson(top);
    cJSON_Delete(top);
}

Test(jsonw, numbers_match_cjson_print_at_the_edges)
{
    static const double vs[] = {0.0, -0.0, 1.0, -1.0, 2147483647.0, 2147483648.0, -2147483648.0,
                                -2147483649.0, 4294967296.0, 1e15, 1e16, 1e17, 1e21, 9007199254740993.0,
                                0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 81.258605428840866,
                                0.17532211561647587, 0.0069643504131555959, 1e-5, 1.5e-7, 5e-324,
                                2.2250738585072014e-308, 1.7976931348623157e308, 123456.789,
                                NAN, INFINITY, -INFINITY};
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        cJSON *n = cJSON_CreateNumber(vs[i]);
        expect_as_cjson(n);
        cJSON_Delete(n);
        cJSON_AddItemToArray(a, cJSON_CreateNumber(vs[i]));
    }
    expect_as_cjson(a);
    cJSON_Delete(a);
}

/* Numbers that take each branch of the writer's own %g: both notations
 * and their edges (1e-5, 1e15, 1e16), carries (9.9999999999999995 rounds to
 * 10), ties (0.5 at the 15th digit), tiny and huge magnitudes (printf's
 * path), ratios and sub-microsecond decimals. */
Test(jsonw, numbers_of_every_notation_and_rounding_match_cjson_print)
{
    static const double vs[] = {1e-5,      1.5e-5,    0.0001,    0.00012345678901234567,
                                1e15 + 0.5, 1e16,     1.2345678901234567e16, 123456789012345.67,
                                9.9999999999999995, 0.99999999999999994, 99999999999999.995,
                                0.1,       0.7,       2.675,     1.0 / 3,   2.0 / 3,
                                1e-300,    1.7976931348623157e308, 4.9e-324, 1e22,
                                1e23,      123.456,   1e-7,      5e-324,    0.30000000000000004};
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber(vs[i]));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(-vs[i]));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(nextafter(vs[i], 0)));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(nextafter(vs[i], INFINITY)));
    }
    expect_as_cjson(a);
    cJSON_Delete(a);
}

/* Just below and above every power of ten (where the decimal exponent from
 * log10 can be one off either way, and 17 digits differ from a rounding one
 * place coarser: 0.09999999999999999 is "0.099999999999999992", not "0.1"),
 * and exact binary ties at the 15th and 17th digit (half to even, as printf
 * rounds). */
Test(jsonw, neighbours_of_powers_of_ten_and_exact_ties_match_cjson_print)
{
    cJSON *a = cJSON_CreateArray();
    for (int p = -40; p <= 40; p++) {
        double t = pow(10.0, p), lo = t, hi = t;
        for (int k = 0; k < 4; k++) {
            lo = nextafter(lo, 0);
            hi = nextafter(hi, INFINITY);
            cJSON_AddItemToArray(a, cJSON_CreateNumber(lo));
            cJSON_AddItemToArray(a, cJSON_CreateNumber(hi));
        }
    }
    static const double ties[] = {1000000000000000.25, 1000000000000000.75, 1000000000000005.0,
                                  1000000000000015.0,  8999999999999995.0,  0.5,
                                  4503599627370495.5,  2251799813685247.5,  1125899906842624.125};
    for (size_t i = 0; i < sizeof ties / sizeof ties[0]; i++) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber(ties[i]));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(-ties[i]));
    }
    expect_as_cjson(a);
    cJSON_Delete(a);
}

Test(jsonw, a_hundred_thousand_doubles_match_cjson_print)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = (double)(x >> 11) / 9007199254740992.0 * pow(10.0, (double)(x % 40) - 20);
        if (i % 3 == 0) /* ratios of counts, as the summaries hold */
            v = (double)(x % 1000003) / (double)(1 + (x >> 40) % 999983);
        if (i % 7 == 0) /* nanoseconds as seconds */
            v = (double)(int64_t)(x % 100000000000ULL) / 1e9;
        if (x >> 63)
            v = -v;
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        cJSON_AddNumberToObject(o, key, v);
    }
    /* one text of several MB: many flushes of the writer's 64 KiB buffer */
    expect_as_cjson(o);
    cJSON_Delete(o);
}

Test(jsonw, a_string_longer_than_the_buffer_comes_out_whole)
{
    size_t n = 3 * SIM__CSVW_BUF + 17;
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
    s[n] = '\0';
    cJSON *v = cJSON_CreateString(s);
    expect_as_cjson(v);
    cJSON_Delete(v);
    free(s);
}

Test(jsonw, items_cjson_print_refuses_are_refused)
{
    int rc;
    cJSON *raw = cJSON_CreateRaw("x");
    free(raw->valuestring);
    raw->valuestring = NULL;
    cr_expect_null(cJSON_Print(raw));
    free(written(raw, &rc));
    cr_expect_eq(rc, -1);
    cJSON_Delete(raw);
    cJSON bad;
    memset(&bad, 0, sizeof bad); /* cJSON_Invalid */
    cr_expect_null(cJSON_Print(&bad));
    free(written(&bad, &rc));
    cr_expect_eq(rc, -1);
    free(written(NULL, &rc));
    cr_expect_eq(rc, -1);
}
