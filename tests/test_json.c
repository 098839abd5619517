/*
 * Pins core/json: what edge_json_parse accepts and rejects (Python's json.load
 * as the reference), the line:col and "expected X, found Y" of each error,
 * exact number literals (big integers, -0, 1 vs 1.0, NaN/Infinity, numbers
 * longer than cJSON reads), strings cJSON cannot hold (\u0000, lone
 * surrogates), last-wins for repeated keys, the position map, the limits,
 * the number constructors and RFC 7386 merge patches.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_json.h"
#include "json.h"

static edge_json_doc *parse_ok(const char *text)
{
    edge_json_doc *doc = NULL;
    edge_json_error err;
    edge_err rc = edge_json_parse(text, strlen(text), &doc, &err);
    cr_assert_eq(rc, EDGE_OK, "parse '%s': %s at %d:%d (expected %s, found %s)", text,
                 edge_strerror(rc), err.line, err.col, err.expected, err.found);
    return doc;
}

/* The canonical text of text's document (caller frees). */
static char *canon_of(const char *text)
{
    edge_json_doc *doc = parse_ok(text);
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(edge_json_doc_root(doc), &out, NULL), EDGE_OK);
    edge_json_doc_free(doc);
    return out;
}

static void expect_canon(const char *text, const char *want)
{
    char *got = canon_of(text);
    cr_expect_str_eq(got, want, "canonical of %s", text);
    free(got);
}

/* Parses text expecting failure with code at line:col, the message
 * "expected X, found Y" containing want_msg. */
static void expect_error(const char *text, size_t len, edge_err code, int line, int col,
                         const char *want_msg)
{
    edge_json_doc *doc = (edge_json_doc *)0x1;
    edge_json_error err;
    char msg[300];
    edge_err rc = edge_json_parse(text, len, &doc, &err);
    edge_json_error_format(&err, msg, sizeof msg);
    cr_expect_eq(rc, code, "'%s': got %s (%s)", text, edge_errname(rc), msg);
    cr_expect_eq(doc, (edge_json_doc *)0x1, "'%s': out untouched on error", text);
    cr_expect_eq(err.code, code);
    cr_expect_eq(err.line, line, "'%s': line %d, want %d (%s)", text, err.line, line, msg);
    cr_expect_eq(err.col, col, "'%s': col %d, want %d (%s)", text, err.col, col, msg);
    cr_expect(strstr(msg, want_msg) != NULL, "'%s': message '%s' lacks '%s'", text, msg, want_msg);
}

#define ERR(text, code, line, col, msg) expect_error(text, strlen(text), code, line, col, msg)

Test(json, keeps_big_integers_exact)
{
    edge_json_doc *doc = parse_ok("[18446744073709551616, -9223372036854775809, 9007199254740993]");
    cJSON *a = edge_json_doc_root(doc);
    cr_expect(edge_json_is_int(a->child));
    cr_expect_str_eq(edge_json_number_literal(a->child), "18446744073709551616");
    cr_expect_eq(a->child->valuedouble, 18446744073709551616.0);
    int64_t v = 7;
    cr_expect_eq(edge_json_get_int(a->child, &v), EDGE_RANGE);
    cr_expect_eq(edge_json_get_int(a->child->next, &v), EDGE_RANGE);
    cr_expect_eq(v, 7, "untouched on error");
    cr_expect_eq(a->child->next->next->valuedouble, 9007199254740992.0, "nearest double");
    edge_json_doc_free(doc);
    expect_canon("[18446744073709551616, 9007199254740993, -123456789012345678901234567890]",
                 "[18446744073709551616, 9007199254740993, -123456789012345678901234567890]");
}

Test(json, reads_int64_limits_exactly)
{
    edge_json_doc *doc = parse_ok("[9223372036854775807, -9223372036854775808, 0, -0, 42]");
    cJSON *c = edge_json_doc_root(doc)->child;
    int64_t v;
    cr_expect_eq(edge_json_get_int(c, &v), EDGE_OK);
    cr_expect_eq(v, INT64_MAX);
    cr_expect_eq(edge_json_get_int(c->next, &v), EDGE_OK);
    cr_expect_eq(v, INT64_MIN);
    cr_expect_eq(edge_json_get_int(c->next->next->next, &v), EDGE_OK);
    cr_expect_eq(v, 0);
    edge_json_doc_free(doc);
}

Test(json, minus_zero_integer_is_zero_but_minus_zero_float_is_not)
{
    expect_canon("-0", "0");
    expect_canon("-0.0", "-0.0");
    expect_canon("[-0, -0e0, -0E+0]", "[0, -0.0, -0.0]");
}

Test(json, integer_and_float_literals_stay_different)
{
    expect_canon("[1, 1.0, 1e0, 10E-1, 100, 1e2]", "[1, 1.0, 1.0, 1.0, 100, 100.0]");
    edge_json_doc *doc = parse_ok("[1, 1.0]");
    cJSON *c = edge_json_doc_root(doc)->child;
    cr_expect(edge_json_is_int(c));
    cr_expect_not(edge_json_is_int(c->next));
    cr_expect_str_eq(edge_json_number_literal(c->next), "1.0");
    int64_t v;
    cr_expect_eq(edge_json_get_int(c->next, &v), EDGE_INVAL);
    edge_json_doc_free(doc);
}

Test(json, reads_numbers_longer_than_cjson_can)
{
    /* cJSON reads at most 63 characters of a number */
    char text[600], digits[201], zeros[71];
    memset(digits, '7', 200);
    digits[200] = '\0';
    memset(zeros, '0', 70);
    zeros[70] = '\0';
    snprintf(text, sizeof text, "[%s, 0.1%s1e-5, 1.%s1]", digits, zeros, zeros);
    edge_json_doc *doc = parse_ok(text);
    cJSON *c = edge_json_doc_root(doc)->child;
    cr_expect(edge_json_is_int(c));
    cr_expect_str_eq(edge_json_number_literal(c), digits);
    cr_expect_eq(c->next->valuedouble, 0.1e-5);
    cr_expect_eq(c->next->next->valuedouble, 1.0);
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(edge_json_doc_root(doc), &out, NULL), EDGE_OK);
    char want[600];
    snprintf(want, sizeof want, "[%s, 1e-06, 1.0]", digits);
    cr_expect_str_eq(out, want);
    free(out);
    edge_json_doc_free(doc);
}

Test(json, reads_nan_and_infinity_as_python_does)
{
    edge_json_doc *doc = parse_ok("[NaN, Infinity, -Infinity]");
    cJSON *c = edge_json_doc_root(doc)->child;
    cr_expect(isnan(c->valuedouble));
    cr_expect(isinf(c->next->valuedouble) && c->next->valuedouble > 0);
    cr_expect(isinf(c->next->next->valuedouble) && c->next->next->valuedouble < 0);
    cr_expect_not(edge_json_is_int(c));
    edge_json_doc_free(doc);
    expect_canon("[NaN,Infinity,-Infinity]", "[NaN, Infinity, -Infinity]");
    ERR("[nan]", EDGE_PARSE, 1, 2, "expected a value or ']', found 'nan'");
    ERR("[-NaN]", EDGE_PARSE, 1, 3, "expected a digit after '-', found 'NaN'");
    ERR("[infinity]", EDGE_PARSE, 1, 2, "found 'infinity'");
}

Test(json, overflowing_and_underflowing_floats_do_what_python_does)
{
    expect_canon("[1e400, -1e400, 1e-400, -1e-400, 1E309]",
                 "[Infinity, -Infinity, 0.0, -0.0, Infinity]");
    expect_canon("1e999999999999999999999", "Infinity");
    expect_canon("0.0000000000000000000000000000000000000001e-99999999999999", "0.0");
}

Test(json, rejects_integers_longer_than_python_reads)
{
    size_t n = 1 + EDGE_JSON_INT_DIGITS_MAX + 1; /* '-' and 4301 digits */
    char *text = malloc(n + 1);
    memset(text, '9', n);
    text[0] = '-';
    text[n] = '\0';
    expect_error(text, n, EDGE_LIMIT, 1, 1,
                 "expected an integer of at most 4300 digits, found one of 4301 digits");
    text[n - 1] = '\0'; /* exactly 4300 digits */
    edge_json_doc *doc = parse_ok(text);
    cr_expect(edge_json_is_int(edge_json_doc_root(doc)));
    cr_expect(isinf(edge_json_doc_root(doc)->valuedouble));
    edge_json_doc_free(doc);
    text[n - 1] = '9'; /* a float literal has no digit limit, as in Python */
    memcpy(text, "0.", 2);
    doc = parse_ok(text);
    cr_expect_not(edge_json_is_int(edge_json_doc_root(doc)));
    edge_json_doc_free(doc);
    free(text);
}

Test(json, repeated_key_keeps_its_last_value)
{
    edge_json_doc *doc = parse_ok("{\"a\": 1, \"b\": 2,\n \"a\": {\"x\": 1, \"x\": 3}}");
    cJSON *root = edge_json_doc_root(doc);
    cr_expect_eq(cJSON_GetArraySize(root), 2);
    cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "a");
    cr_assert(cJSON_IsObject(a));
    cr_expect_eq(cJSON_GetArraySize(a), 1);
    cr_expect_str_eq(edge_json_number_literal(cJSON_GetObjectItemCaseSensitive(a, "x")), "3");
    edge_json_pos first;
    cr_expect_eq(edge_json_doc_duplicate_keys(doc, &first), 2);
    cr_expect_eq(first.line, 1);
    cr_expect_eq(first.col, 2);
    edge_json_doc_free(doc);
    expect_canon("{\"a\": 1, \"a\": 2, \"a\": 3}", "{\"a\": 3}");
}

Test(json, repeated_keys_in_large_objects_keep_the_last_value)
{
    char text[2000] = "{";
    for (int i = 0; i < 40; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s\"k%d\": %d", i ? ", " : "",
                 i % 13, i);
    strcat(text, "}");
    edge_json_doc *doc = parse_ok(text);
    cJSON *root = edge_json_doc_root(doc);
    cr_expect_eq(cJSON_GetArraySize(root), 13);
    cr_expect_str_eq(edge_json_number_literal(cJSON_GetObjectItemCaseSensitive(root, "k0")), "39");
    cr_expect_str_eq(edge_json_number_literal(cJSON_GetObjectItemCaseSensitive(root, "k12")), "38");
    cr_expect_eq(edge_json_doc_duplicate_keys(doc, NULL), 27);
    edge_json_doc_free(doc);
}

Test(json, reports_structural_errors_with_what_was_expected)
{
    ERR("{\"a\" 1}", EDGE_PARSE, 1, 6, "expected ':' after an object key, found '1'");
    ERR("{\"a\": 1 x}", EDGE_PARSE, 1, 9, "expected ',' or '}' after an object member, found 'x'");
    ERR("[1 2]", EDGE_PARSE, 1, 4, "expected ',' or ']' after an array element, found '2'");
    ERR("[1,]", EDGE_PARSE, 1, 4, "expected a value after ',', found ']'");
    ERR("{\"a\":1,}", EDGE_PARSE, 1, 8, "expected a string key after ',', found '}'");
    ERR("{1:2}", EDGE_PARSE, 1, 2, "expected a string key or '}', found '1'");
    ERR("{\"a\":}", EDGE_PARSE, 1, 6, "expected a value after ':', found '}'");
    ERR("[", EDGE_PARSE, 1, 2, "expected a value or ']', found end of input");
    ERR("{\"a\":[1,2", EDGE_PARSE, 1, 10, "expected ',' or ']' after an array element, found end of input");
    ERR("[1] [2]", EDGE_PARSE, 1, 5, "expected end of input after the top-level value, found '['");
    ERR("{\"a\" \"b\"}", EDGE_PARSE, 1, 6, "found string \"b\"");
    ERR("{\"a\" \"b\\\"c\"}", EDGE_PARSE, 1, 6, "found string \"b\\\"c\"");
    ERR("[1 \"0123456789012345678901234567890\"]", EDGE_PARSE, 1, 4,
        "found string \"012345678901234567890123...");
    ERR("[undefined]", EDGE_PARSE, 1, 2, "expected a value or ']', found 'undefined'");
    ERR("[tru]", EDGE_PARSE, 1, 2, "found 'tru'");
    ERR("]", EDGE_PARSE, 1, 1, "expected a JSON value, found ']'");
}

Test(json, empty_input_and_trailing_data_are_errors)
{
    ERR("", EDGE_PARSE, 1, 1, "expected a JSON value, found end of input");
    ERR(" \n\t ", EDGE_PARSE, 2, 3, "expected a JSON value, found end of input");
    ERR("1 2", EDGE_PARSE, 1, 3, "expected end of input after the top-level value, found '2'");
    ERR("{} x", EDGE_PARSE, 1, 4, "found 'x'");
    ERR("nullx", EDGE_PARSE, 1, 5, "found 'x'");
    expect_canon(" \r\n\t null \r\n\t ", "null");
}

Test(json, rejects_what_cjson_would_let_through)
{
    ERR("[01]", EDGE_PARSE, 1, 3, "expected ',' or ']' after an array element, found '1'");
    ERR("[1.]", EDGE_PARSE, 1, 3, "found '.'");
    ERR("[1.e5]", EDGE_PARSE, 1, 3, "found '.'");
    ERR("[-.5]", EDGE_PARSE, 1, 3, "expected a digit after '-', found '.'");
    ERR("[.5]", EDGE_PARSE, 1, 2, "expected a value or ']', found '.'");
    ERR("[+1]", EDGE_PARSE, 1, 2, "found '+'");
    ERR("[1e]", EDGE_PARSE, 1, 3, "found 'e'");
    ERR("[1e+]", EDGE_PARSE, 1, 3, "found 'e'");
    ERR("[0x10]", EDGE_PARSE, 1, 3, "found 'x10'");
    ERR("[1,\f2]", EDGE_PARSE, 1, 4, "expected a value after ',', found control character U+000C");
    ERR("\v1", EDGE_PARSE, 1, 1, "found control character U+000B");
    ERR("\"a\tb\"", EDGE_PARSE, 1, 3, "found raw control character U+0009");
    ERR("\"a\nb\"", EDGE_PARSE, 1, 3, "found raw control character U+000A");
    ERR("\xef\xbb\xbf{}", EDGE_PARSE, 1, 1, "expected a JSON value, found a byte order mark (U+FEFF)");
    expect_error("[1]\0", 4, EDGE_PARSE, 1, 4, "found control character U+0000");
    ERR("['a']", EDGE_PARSE, 1, 2, "found '''");
}

Test(json, reports_string_errors_where_they_are)
{
    ERR("\"abc", EDGE_PARSE, 1, 5, "expected '\"' closing the string opened at 1:1, found end of input");
    ERR("[\n  \"abc\\\"]", EDGE_PARSE, 2, 10, "closing the string opened at 2:3");
    ERR("\"a\\qb\"", EDGE_PARSE, 1, 3, "expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found '\\q'");
    ERR("\"\\u12G4\"", EDGE_PARSE, 1, 2, "expected 4 hex digits after \\u, found '\\u12G4'");
    ERR("\"\\u12\"", EDGE_PARSE, 1, 2, "found '\\u12'");
    ERR("\"\\", EDGE_PARSE, 1, 2, "found end of input");
}

Test(json, columns_count_characters_not_bytes)
{
    ERR("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", x]", EDGE_PARSE, 1, 9, "found 'x'");
    ERR("[1,\r\n2,\r3,\n x]", EDGE_PARSE, 4, 2, "found 'x'");
    ERR("[\xc3\xa9]", EDGE_PARSE, 1, 2, "found '\xc3\xa9' (U+00E9)");
}

Test(json, rejects_text_that_is_not_utf8)
{
    ERR("[\"\xff\"]", EDGE_PARSE, 1, 3, "expected UTF-8 text, found byte 0xFF");
    ERR("\"\xc0\x80\"", EDGE_PARSE, 1, 2, "found byte 0xC0");         /* overlong NUL */
    ERR("\"\xed\xa0\x80\"", EDGE_PARSE, 1, 2, "found byte 0xED");     /* encoded surrogate */
    ERR("\"\xe2\x82\"", EDGE_PARSE, 1, 2, "found byte 0xE2");         /* truncated */
    ERR("\"\xf4\x90\x80\x80\"", EDGE_PARSE, 1, 2, "found byte 0xF4"); /* above U+10FFFF */
    ERR("\"\x80\"", EDGE_PARSE, 1, 2, "found byte 0x80");
}

Test(json, decodes_every_escape)
{
    edge_json_doc *doc = parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\"]");
    cJSON *c = edge_json_doc_root(doc)->child;
    cr_expect_str_eq(c->valuestring, "\"\\/\b\f\n\r\t");
    cr_expect_str_eq(c->next->valuestring, "\xc3\xa9\xe2\x82\xac");
    cr_expect_str_eq(c->next->next->valuestring, "\xf0\x9f\x98\x80", "a pair is one code point");
    edge_json_doc_free(doc);
}

Test(json, keeps_nul_and_lone_surrogates_that_cjson_cannot_hold)
{
    edge_json_doc *doc = parse_ok("{\"a\\u0000b\": \"x\\u0000y\", \"a\": \"\\ud800|\\udfff|\\ude00\\ud83d\"}");
    cJSON *root = edge_json_doc_root(doc);
    cr_assert_eq(cJSON_GetArraySize(root), 2, "\"a\\u0000b\" and \"a\" are different keys");
    cJSON *c = root->child;
    cr_expect_str_eq(c->string, "a\xc0\x80" "b");
    cr_expect_str_eq(c->valuestring, "x\xc0\x80y");
    cr_expect_str_eq(c->next->valuestring, "\xed\xa0\x80|\xed\xbf\xbf|\xed\xb8\x80\xed\xa0\xbd");
    edge_json_doc_free(doc);
    expect_canon("{\"a\\u0000b\": \"x\\u0000y\", \"a\": \"\\ud800\\u0041\"}",
                 "{\"a\": \"\\ud800A\", \"a\\u0000b\": \"x\\u0000y\"}");
}

Test(json, enforces_the_nesting_limit)
{
    int depth = EDGE_JSON_DEPTH_MAX;
    char *text = malloc(2 * (size_t)depth + 8);
    memset(text, '[', (size_t)depth);
    memset(text + depth, ']', (size_t)depth);
    text[2 * depth] = '\0';
    edge_json_doc *doc = parse_ok(text);
    char *out = NULL;
    cr_expect_eq(edge_canonical_json(edge_json_doc_root(doc), &out, NULL), EDGE_OK);
    free(out);
    edge_json_doc_free(doc);

    memset(text, '[', (size_t)depth + 1);
    memset(text + depth + 1, ']', (size_t)depth + 1);
    text[2 * depth + 2] = '\0';
    expect_error(text, strlen(text), EDGE_LIMIT, 1, depth + 1,
                 "expected at most 512 nested arrays and objects, found '[' opening level 513");
    free(text);
}

Test(json, enforces_the_input_size_limit)
{
    size_t n = EDGE_JSON_INPUT_MAX + 1;
    char *text = calloc(1, n);
    cr_assert(text);
    expect_error(text, n, EDGE_LIMIT, 1, 1, "expected at most 33554432 bytes, found 33554433 bytes");
    free(text);
}

Test(json, gives_the_position_of_every_value_and_key)
{
    const char *text = "{\n"
                       "  \"name\": \"edge\",\n"
                       "  \"nodes\": [\n"
                       "    {\"id\": \"n\xc3\xa9\", \"cpu\": 4.5},\n"
                       "    {\"id\": \"n2\", \"cpu\": 99999999999999999999999999999999999999999999999999999999999999999999}\n"
                       "  ]\n"
                       "}\n";
    edge_json_doc *doc = parse_ok(text);
    cJSON *root = edge_json_doc_root(doc);
    edge_json_pos p, k;
    cr_expect_eq(edge_json_doc_pos(doc, root, &p, &k), EDGE_OK);
    cr_expect(p.line == 1 && p.col == 1 && k.line == 0 && k.col == 0);
    cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    cr_expect_eq(edge_json_doc_pos(doc, nodes, &p, &k), EDGE_OK);
    cr_expect(p.line == 3 && p.col == 12 && k.line == 3 && k.col == 3, "%d:%d %d:%d", p.line, p.col, k.line, k.col);
    cJSON *cpu = cJSON_GetObjectItemCaseSensitive(nodes->child, "cpu");
    cr_expect_eq(edge_json_doc_pos(doc, cpu, &p, &k), EDGE_OK);
    cr_expect(p.line == 4 && p.col == 25 && k.line == 4 && k.col == 18, "%d:%d %d:%d", p.line, p.col, k.line, k.col);
    cJSON *cpu2 = cJSON_GetObjectItemCaseSensitive(nodes->child->next, "cpu");
    cr_expect_eq(edge_json_doc_pos(doc, cpu2, &p, NULL), EDGE_OK);
    cr_expect(p.line == 5 && p.col == 25, "%d:%d", p.line, p.col);

    cJSON *fresh = cJSON_CreateNull();
    cr_expect_eq(edge_json_doc_pos(doc, fresh, &p, &k), EDGE_NOT_FOUND);
    cr_expect_eq(edge_json_doc_pos(doc, NULL, &p, &k), EDGE_INVAL);
    cr_expect_eq(edge_json_doc_pos(NULL, fresh, &p, &k), EDGE_INVAL);
    cJSON_Delete(fresh);
    edge_json_doc_free(doc);
}

Test(json, take_root_hands_over_the_tree_and_keeps_positions)
{
    edge_json_doc *doc = parse_ok("[1,\n 2]");
    cJSON *root = edge_json_doc_take_root(doc);
    cr_expect_null(edge_json_doc_root(doc));
    cr_expect_null(edge_json_doc_take_root(doc));
    edge_json_pos p;
    cr_expect_eq(edge_json_doc_pos(doc, root->child->next, &p, NULL), EDGE_OK);
    cr_expect(p.line == 2 && p.col == 2);
    edge_json_doc_free(doc);
    cJSON_Delete(root);
    edge_json_doc_free(NULL);
}

Test(json, rejects_null_arguments)
{
    edge_json_doc *doc = NULL;
    edge_json_error err;
    cr_expect_eq(edge_json_parse(NULL, 0, &doc, &err), EDGE_INVAL);
    cr_expect_eq(err.code, EDGE_INVAL);
    cr_expect_eq(edge_json_parse("1", 1, NULL, NULL), EDGE_INVAL);
    char msg[64];
    edge_json_error_format(&err, msg, sizeof msg);
    cr_expect_str_eq(msg, "invalid argument");
}

Test(json, number_constructors_make_ints_and_floats)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, edge_json_int(INT64_MIN));
    cJSON_AddItemToArray(a, edge_json_int(0));
    cJSON_AddItemToArray(a, edge_json_int_literal("-123456789012345678901234567890"));
    cJSON_AddItemToArray(a, edge_json_float(3.0));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(3.0)); /* no literal: a float */
    cJSON_AddItemToArray(a, edge_json_float(NAN));
    cr_expect(edge_json_is_int(a->child));
    int64_t v;
    cr_expect_eq(edge_json_get_int(a->child, &v), EDGE_OK);
    cr_expect_eq(v, INT64_MIN);
    cr_expect_not(edge_json_is_int(cJSON_GetArrayItem(a, 3)));
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(a, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "[-9223372036854775808, 0, -123456789012345678901234567890, 3.0, 3.0, NaN]");
    free(out);
    cJSON_Delete(a);
}

Test(json, int_literal_constructor_validates_its_literal)
{
    const char *bad[] = {"", "-", "01", "-01", "+1", "1.0", "1e5", " 1", "1 ", "0x1", "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_null(edge_json_int_literal(bad[i]), "'%s'", bad[i]);
    cr_expect_null(edge_json_int_literal(NULL));
    cJSON *z = edge_json_int_literal("-0");
    cr_expect(edge_json_is_int(z));
    cJSON_Delete(z);
}

Test(json, a_literal_made_stale_by_cjson_is_ignored)
{
    edge_json_doc *doc = parse_ok("[18446744073709551616, 5]");
    cJSON *c = edge_json_doc_root(doc)->child;
    cJSON_SetNumberValue(c, 2.5);
    cJSON_SetNumberValue(c->next, 6);
    cr_expect_not(edge_json_is_int(c));
    cr_expect_not(edge_json_is_int(c->next));
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(edge_json_doc_root(doc), &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "[2.5, 6.0]", "the new values, as floats");
    free(out);
    edge_json_doc_free(doc);
}

Test(json, duplicates_keep_literals)
{
    edge_json_doc *doc = parse_ok("{\"n\": 18446744073709551616}");
    cJSON *copy = cJSON_Duplicate(edge_json_doc_root(doc), 1);
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(copy, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "{\"n\": 18446744073709551616}");
    free(out);
    cJSON_Delete(copy);
    edge_json_doc_free(doc);
}

Test(json, decode_char_accepts_exactly_the_edge_string_form)
{
    uint32_t cp;
    cr_expect_eq(edge_json_decode_char("A", 1, &cp), 1);
    cr_expect_eq(edge_json_decode_char("\xc0\x80", 2, &cp), 2);
    cr_expect_eq(cp, 0);
    cr_expect_eq(edge_json_decode_char("\xed\xa0\x80", 3, &cp), 3);
    cr_expect_eq(cp, 0xD800);
    cr_expect_eq(edge_json_decode_char("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    cr_expect_eq(cp, 0x10FFFF);
    const char *bad[] = {"\xc1\xbf", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xff", "\x80", "\xc3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(edge_json_decode_char(bad[i], strlen(bad[i]), &cp), 0, "case %zu", i);
}

/* RFC 7386, appendix A: target, patch, result. */
Test(json, merge_patch_follows_rfc7386)
{
    static const char *cases[][3] = {
        {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\": \"c\"}"},
        {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\": \"b\", \"b\": \"c\"}"},
        {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
        {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\": \"c\"}"},
        {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\": \"c\"}"},
        {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\": [\"b\"]}"},
        {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\": {\"b\": \"d\"}}"},
        {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\": [1]}"},
        {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\", \"d\"]"},
        {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
        {"{\"a\":\"foo\"}", "null", "null"},
        {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
        {"{\"e\":null}", "{\"a\":1}", "{\"a\": 1, \"e\": null}"},
        {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\": \"b\"}"},
        {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\": {\"bb\": {}}}"},
        /* ours: exact numbers survive, repeated patch keys apply in order */
        {"{\"n\":1}", "{\"n\":18446744073709551616,\"m\":1.0}", "{\"m\": 1.0, \"n\": 18446744073709551616}"},
        {"{\"a\":1}", "{\"a\":2,\"a\":null}", "{}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        edge_json_doc *t = parse_ok(cases[i][0]), *p = parse_ok(cases[i][1]);
        cJSON *target = edge_json_doc_take_root(t);
        const cJSON *patch = edge_json_doc_root(p);
        if (i == 16) { /* a patch object built by hand keeps both members */
            patch = cJSON_CreateObject();
            cJSON_AddItemToObject((cJSON *)patch, "a", edge_json_int(2));
            cJSON_AddItemToObject((cJSON *)patch, "a", cJSON_CreateNull());
        }
        cr_assert_eq(edge_json_merge_patch(&target, patch), EDGE_OK);
        char *out = NULL;
        cr_assert_eq(edge_canonical_json(target, &out, NULL), EDGE_OK);
        cr_expect_str_eq(out, cases[i][2], "case %zu", i);
        free(out);
        if (i == 16)
            cJSON_Delete((cJSON *)patch);
        cJSON_Delete(target);
        edge_json_doc_free(t);
        edge_json_doc_free(p);
    }
}

/* Regression: replacing a member kept the key string that cJSON_Duplicate
 * had copied and leaked it (seen under valgrind). */
Test(json, merge_patch_replacing_a_member_frees_the_copied_key)
{
    cJSON *target = cJSON_CreateObject();
    cJSON_AddItemToObject(target, "k", edge_json_int(1));
    cJSON *patch = cJSON_CreateObject();
    cJSON_AddItemToObject(patch, "k", cJSON_CreateString("v"));
    cr_assert_eq(edge_json_merge_patch(&target, patch), EDGE_OK);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(target, "k")->valuestring, "v");
    cJSON_Delete(patch);
    cJSON_Delete(target); /* valgrind and ASan check that nothing is left */
}

Test(json, merge_patch_onto_nothing_builds_the_document)
{
    cJSON *target = NULL;
    edge_json_doc *p = parse_ok("{\"a\": {\"b\": null, \"c\": 1}}");
    cr_assert_eq(edge_json_merge_patch(&target, edge_json_doc_root(p)), EDGE_OK);
    char *out = NULL;
    cr_assert_eq(edge_canonical_json(target, &out, NULL), EDGE_OK);
    cr_expect_str_eq(out, "{\"a\": {\"c\": 1}}");
    free(out);
    cr_expect_eq(edge_json_merge_patch(NULL, edge_json_doc_root(p)), EDGE_INVAL);
    cr_expect_eq(edge_json_merge_patch(&target, NULL), EDGE_INVAL);
    cJSON_Delete(target);
    edge_json_doc_free(p);
}
