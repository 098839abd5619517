/*
 * Pins core/canonical_json: byte-identical output to Python's
 * json.dumps(data, sort_keys=True) — separators, key order by code point,
 * last-wins for repeated keys, ensure_ascii escapes (short escapes, DEL,
 * surrogate pairs, \u0000 and lone surrogates), exact integers — and floats
 * as Python's repr: a table of known cases, and for many doubles an oracle
 * independent of our algorithm (glibc's exactly rounded %e under directed
 * rounding) that the output reads back, that no shorter decimal does, and
 * that it is the nearest of its length. tests/cli/checksum_python.t compares
 * with Python itself.
 */
#include <criterion/criterion.h>
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_json.h"
#include "json.h"

static void expect_double(double v, const char *want)
{
    char buf[EDGE_JSON_DOUBLE_MAX];
    size_t n = edge_json_format_double(v, buf);
    cr_expect_str_eq(buf, want, "%.17g", v);
    cr_expect_eq(n, strlen(want));
}

Test(canonical_json, formats_floats_as_python_repr)
{
    expect_double(ldexp(1, -24), "5.960464477539063e-08"); /* not ...062e-08 */
    expect_double(1e-5, "1e-05");
    expect_double(1e16, "1e+16");
    expect_double(1.0, "1.0");
    expect_double(-0.0, "-0.0");
    expect_double(0.0, "0.0");
    expect_double(0.1 + 0.2, "0.30000000000000004");
    expect_double(1e22, "1e+22");
    expect_double(1e23, "1e+23");
    expect_double(1.7976931348623157e308, "1.7976931348623157e+308");
    expect_double(5e-324, "5e-324");
    expect_double(3 * 5e-324, "1.5e-323");
    expect_double(5e-310, "5e-310");
    expect_double(2.2250738585072014e-308, "2.2250738585072014e-308");
    expect_double(1e-4, "0.0001");
    expect_double(0.001, "0.001");
    expect_double(1e-7, "1e-07");
    expect_double(9999999999999998.0, "9999999999999998.0");
    expect_double(1e15, "1000000000000000.0");
    expect_double(1e17, "1e+17");
    expect_double(123456789012345680.0, "1.2345678901234568e+17");
    expect_double(9007199254740992.0, "9007199254740992.0");
    expect_double(9007199254740993.0, "9007199254740992.0");
    expect_double(18446744073709551616.0, "1.8446744073709552e+19");
    expect_double(0.1, "0.1");
    expect_double(100.0, "100.0");
    expect_double(1.5, "1.5");
    expect_double(-2.5, "-2.5");
    expect_double(12345.678, "12345.678");
    expect_double(4.35, "4.35");
    expect_double(2.675, "2.675");
    expect_double(1.0 / 3, "0.3333333333333333");
    expect_double(2.0 / 3, "0.6666666666666666");
    expect_double(NAN, "NaN");
    expect_double(-NAN, "NaN");
    expect_double(INFINITY, "Infinity");
    expect_double(-INFINITY, "-Infinity");
}

/* A decimal string ("-1.25e-05", "0.0001", "1.2500e+03") as its significant
 * digits without leading or trailing zeros and the exponent e of
 * 0.d1d2... * 10^e. */
static void normalize(const char *s, char *digits, int *e)
{
    int n = 0, point = -1, lead = 0;
    const char *p = s + (*s == '-');
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            point = n;
            continue;
        }
        digits[n++] = *p;
    }
    if (point < 0)
        point = n;
    int x = *p == 'e' ? atoi(p + 1) : 0;
    while (lead < n - 1 && digits[lead] == '0')
        lead++;
    memmove(digits, digits + lead, (size_t)(n - lead));
    n -= lead;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    *e = point - lead + x;
}

/* "%.{n-1}e" of v in the given rounding mode: the n-digit decimal below,
 * above or nearest to v, exactly (glibc formats exactly). */
static void round_to_digits(double v, int n, int mode, char *out, size_t size)
{
    fesetround(mode);
    snprintf(out, size, "%.*e", n - 1, v);
    fesetround(FE_TONEAREST);
}

static bool reads_back(const char *s, double v)
{
    return strtod(s, NULL) == v;
}

/* Checks the repr of v against the oracle (zero and infinities have their
 * own spelling, see formats_floats_as_python_repr). */
static void check_shortest(double v)
{
    if (!(v > 0) || isinf(v))
        return;
    char got[EDGE_JSON_DOUBLE_MAX], gd[40], od[40], lo[64], hi[64], near[64];
    int ge, oe;
    edge_json_format_double(v, got);
    cr_assert(reads_back(got, v), "%a -> %s does not read back", v, got);
    normalize(got, gd, &ge);
    int n = (int)strlen(gd);
    if (n > 1) { /* nothing shorter reads back */
        round_to_digits(v, n - 1, FE_DOWNWARD, lo, sizeof lo);
        round_to_digits(v, n - 1, FE_UPWARD, hi, sizeof hi);
        cr_assert(!reads_back(lo, v) && !reads_back(hi, v), "%a -> %s, but %s or %s is shorter",
                  v, got, lo, hi);
    }
    /* the nearest n-digit decimal if it reads back, else the other neighbour */
    round_to_digits(v, n, FE_TONEAREST, near, sizeof near);
    const char *want = near;
    if (!reads_back(near, v)) {
        round_to_digits(v, n, FE_DOWNWARD, lo, sizeof lo);
        round_to_digits(v, n, FE_UPWARD, hi, sizeof hi);
        want = strcmp(lo, near) ? lo : hi;
    }
    normalize(want, od, &oe);
    cr_assert(!strcmp(gd, od) && ge == oe, "%a -> %s, want the digits of %s", v, got, want);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

Test(canonical_json, every_power_of_two_is_shortest_and_nearest)
{
    for (int e = -1074; e <= 1023; e++) {
        check_shortest(ldexp(1, e));
        check_shortest(nextafter(ldexp(1, e), 0));
        check_shortest(nextafter(ldexp(1, e), INFINITY));
    }
}

Test(canonical_json, random_doubles_are_shortest_and_nearest)
{
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        double v = fabs(from_bits(xorshift(&s)));
        if (isfinite(v) && v != 0)
            check_shortest(v);
    }
}

Test(canonical_json, random_subnormals_and_small_integers_are_shortest_and_nearest)
{
    uint64_t s = 12345;
    for (int i = 0; i < 5000; i++) {
        uint64_t m = xorshift(&s) & ((UINT64_C(1) << 52) - 1);
        if (m)
            check_shortest(from_bits(m));
        check_shortest((double)(xorshift(&s) >> (11 + i % 50)) + 1);
    }
}

static void expect_canon(const char *json, const char *want)
{
    edge_json_doc *doc = NULL;
    edge_json_error err;
    cr_assert_eq(edge_json_parse(json, strlen(json), &doc, &err), EDGE_OK, "%s: %s, found %s",
                 json, err.expected, err.found);
    char *out = NULL;
    size_t len = 0;
    cr_assert_eq(edge_canonical_json(edge_json_doc_root(doc), &out, &len), EDGE_OK);
    cr_expect_str_eq(out, want);
    cr_expect_eq(len, strlen(want));
    free(out);
    edge_json_doc_free(doc);
}

Test(canonical_json, uses_pythons_separators_and_no_other_space)
{
    expect_canon("{ \"z\" : [ [ ] , { } , [1,[2,{\"y\":null}]] , true , false ] ,\n\"a\":{\"c\":\"d\"} }",
                 "{\"a\": {\"c\": \"d\"}, \"z\": [[], {}, [1, [2, {\"y\": null}]], true, false]}");
    expect_canon("[]", "[]");
    expect_canon("{}", "{}");
    expect_canon("\"\"", "\"\"");
}

Test(canonical_json, sorts_keys_by_code_point)
{
    expect_canon("{\"b\":1,\"a\":2,\"B\":3,\"\":4,\"\xc3\xa9\":5,\"\\uffff\":6,\"\\ud83d\\ude00\":7,"
                 "\"\\ud800\":8,\"\\u0000\":9,\"a\\u0000\":10,\"a\\u0001\":11,\"~\":12,"
                 "\"\\u007f\":13,\"\\ue000\":14,\"\\ud7ff\":15}",
                 "{\"\": 4, \"\\u0000\": 9, \"B\": 3, \"a\": 2, \"a\\u0000\": 10, \"a\\u0001\": 11, "
                 "\"b\": 1, \"~\": 12, \"\\u007f\": 13, \"\\u00e9\": 5, \"\\ud7ff\": 15, "
                 "\"\\ud800\": 8, \"\\ue000\": 14, \"\\uffff\": 6, \"\\ud83d\\ude00\": 7}");
}

Test(canonical_json, escapes_as_ensure_ascii_does)
{
    expect_canon("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u0000\\u0001\\u001f\\u007f\\u0080\", "
                 "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", \" ~\", \"\x7f/\"]",
                 "[\"\\\"\\\\/\\b\\f\\n\\r\\t\", \"\\u0000\\u0001\\u001f\\u007f\\u0080\", "
                 "\"\\u00e9\\u20ac\\ud83d\\ude00\", \" ~\", \"\\u007f/\"]");
    expect_canon("\"\\uDBFF\\uDFFF\\uD800\\uDC00\"", "\"\\udbff\\udfff\\ud800\\udc00\"");
}

Test(canonical_json, keeps_the_last_of_repeated_keys_in_any_tree)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "b", edge_json_int(1));
    cJSON_AddItemToObject(o, "a", edge_json_int(2));
    cJSON_AddItemToObject(o, "b", edge_json_int(3));
    cJSON_AddItemToObject(o, "a", cJSON_CreateString("last"));
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(o, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "{\"a\": \"last\", \"b\": 3}");
    free(out);
    cJSON_Delete(o);
}

Test(canonical_json, writes_integers_exactly_and_other_numbers_as_floats)
{
    expect_canon("[0, -0, 7, -7, 123456789012345678901234567890, 1.0, 1E2, 0.5e-3, -1e-7]",
                 "[0, 0, 7, -7, 123456789012345678901234567890, 1.0, 100.0, 0.0005, -1e-07]");
    cJSON *n = cJSON_CreateNumber(42);
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(n, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "42.0", "a number without a literal is a float");
    free(out);
    cJSON_Delete(n);
}

Test(canonical_json, rejects_what_python_could_not_have_produced)
{
    char *out = (char *)0x1;
    cJSON *s = cJSON_CreateString("bad \xff byte");
    cr_expect_eq(edge_canonical_json(s, &out, NULL), EDGE_INVAL);
    cJSON_Delete(s);
    s = cJSON_CreateString("overlong \xc1\xbf");
    cr_expect_eq(edge_canonical_json(s, &out, NULL), EDGE_INVAL);
    cJSON_Delete(s);
    cJSON *raw = cJSON_CreateRaw("[1,2]");
    cr_expect_eq(edge_canonical_json(raw, &out, NULL), EDGE_INVAL);
    cJSON_Delete(raw);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(o, cJSON_CreateNull()); /* a member without a key */
    cr_expect_eq(edge_canonical_json(o, &out, NULL), EDGE_INVAL);
    cJSON_Delete(o);
    cJSON *k = cJSON_CreateObject();
    cJSON_AddItemToObject(k, "\xff", cJSON_CreateNull());
    cr_expect_eq(edge_canonical_json(k, &out, NULL), EDGE_INVAL);
    cJSON_Delete(k);
    cr_expect_eq(out, (char *)0x1, "out untouched on error");
    cr_expect_eq(edge_canonical_json(NULL, &out, NULL), EDGE_INVAL);
    cJSON *nul = cJSON_CreateNull();
    cr_expect_eq(edge_canonical_json(nul, NULL, NULL), EDGE_INVAL);
    cJSON_Delete(nul);
}

Test(canonical_json, writes_the_edge_forms_of_nul_and_surrogates)
{
    cJSON *s = cJSON_CreateString("a\xc0\x80" "b\xed\xa0\x80");
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(s, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "\"a\\u0000b\\ud800\"");
    free(out);
    cJSON_Delete(s);
}

Test(canonical_json, refuses_trees_deeper_than_the_limit)
{
    cJSON *root = cJSON_CreateArray(), *cur = root;
    for (int i = 1; i < EDGE_JSON_DEPTH_MAX; i++) {
        cJSON *next = cJSON_CreateArray();
        cJSON_AddItemToArray(cur, next);
        cur = next;
    }
    char *out = NULL;
    cr_expect_eq(edge_canonical_json(root, &out, NULL), EDGE_OK, "512 levels are fine");
    free(out);
    cJSON_AddItemToArray(cur, cJSON_CreateObject());
    out = NULL;
    cr_expect_eq(edge_canonical_json(root, &out, NULL), EDGE_LIMIT);
    cr_expect_null(out);
    cJSON_Delete(root);
}
