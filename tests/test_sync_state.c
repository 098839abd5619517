/*
 * Pins core/sync_state and core/digest: the checksum is the MD5 (or SHA-256)
 * hex digest of the canonical text, equal to what Python computes for the
 * same data (values below from hashlib); verify recomputes it and catches a
 * flipped byte in the data or in the checksum; from_data takes ownership;
 * set_data / apply_patch keep the checksum right and change nothing when
 * they fail; to_dict and copy; algorithm names.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "json.h"
#include "sync_state.h"

static cJSON *parse(const char *text)
{
    edge_json_doc *doc = NULL;
    cr_assert_eq(edge_json_parse(text, strlen(text), &doc, NULL), EDGE_OK, "%s", text);
    cJSON *root = edge_json_doc_take_root(doc);
    edge_json_doc_free(doc);
    return root;
}

static edge_sync_state *state_of(const char *text, int64_t version, edge_digest_algo algo)
{
    edge_sync_state *s = NULL;
    cr_assert_eq(edge_sync_state_from_data(parse(text), version, algo, &s), EDGE_OK);
    return s;
}

Test(digest, matches_known_digests)
{
    char hex[EDGE_DIGEST_HEX_MAX];
    cr_assert_eq(edge_digest_hex(EDGE_DIGEST_MD5, "", 0, hex), EDGE_OK);
    cr_expect_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
    cr_assert_eq(edge_digest_hex(EDGE_DIGEST_SHA256, NULL, 0, hex), EDGE_OK);
    cr_expect_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    cr_assert_eq(edge_digest_hex(EDGE_DIGEST_MD5, "{\"a\": 1}", 8, hex), EDGE_OK);
    cr_expect_str_eq(hex, "42b7b4f2921788ea14dac5566e6f06d0");
}

Test(digest, rejects_bad_arguments)
{
    char hex[EDGE_DIGEST_HEX_MAX] = "untouched";
    cr_expect_eq(edge_digest_hex((edge_digest_algo)7, "", 0, hex), EDGE_INVAL);
    cr_expect_eq(edge_digest_hex(EDGE_DIGEST_MD5, NULL, 3, hex), EDGE_INVAL);
    cr_expect_eq(edge_digest_hex(EDGE_DIGEST_MD5, "", 0, NULL), EDGE_INVAL);
    cr_expect_str_eq(hex, "untouched");
}

Test(digest, names_go_to_and_from_strings)
{
    edge_digest_algo a = EDGE_DIGEST_SHA256;
    cr_expect_str_eq(edge_digest_name(EDGE_DIGEST_MD5), "md5");
    cr_expect_str_eq(edge_digest_name(EDGE_DIGEST_SHA256), "sha256");
    cr_expect_null(edge_digest_name((edge_digest_algo)-1));
    cr_expect_eq(edge_digest_from_name("md5", &a), EDGE_OK);
    cr_expect_eq(a, EDGE_DIGEST_MD5);
    cr_expect_eq(edge_digest_from_name("SHA256", &a), EDGE_OK);
    cr_expect_eq(a, EDGE_DIGEST_SHA256);
    cr_expect_eq(edge_digest_from_name("sha1", &a), EDGE_INVAL);
    cr_expect_eq(edge_digest_from_name(NULL, &a), EDGE_INVAL);
    cr_expect_eq(a, EDGE_DIGEST_SHA256, "untouched on error");
    cr_expect_eq(EDGE_DIGEST_DEFAULT, EDGE_DIGEST_MD5);
}

Test(sync_state, checksum_is_what_python_computes)
{
    /* hashlib.md5(json.dumps(data, sort_keys=True).encode()).hexdigest() */
    edge_sync_state *s = state_of("{\"b\":[1,2.50,\"x\"],\"a\":null}", 3, EDGE_DIGEST_MD5);
    cr_expect_str_eq(s->checksum, "f17749b1d489b32425841914fda7d094");
    cr_expect_eq(s->version, 3);
    cr_expect_eq(s->algorithm, EDGE_DIGEST_MD5);
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    edge_sync_state_free(s);

    s = state_of("18446744073709551616", 1, EDGE_DIGEST_MD5);
    cr_expect_str_eq(s->checksum, "6a00140112ebab75e3ece5dbfda9113a");
    edge_sync_state_free(s);
    s = state_of("\"\xc3\xa9\"", 1, EDGE_DIGEST_MD5);
    cr_expect_str_eq(s->checksum, "d1aad59345f1f37ecc833dabc76ec5ef");
    edge_sync_state_free(s);
}

Test(sync_state, sha256_is_an_option)
{
    edge_sync_state *s = state_of("{\"a\": null, \"b\": [1, 2.5, \"x\"]}", 1, EDGE_DIGEST_SHA256);
    cr_expect_str_eq(s->checksum,
                     "05147f4c034266888060ee06fae0abe784ce883eb3b125b981d3fd9d4db2c568");
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    edge_sync_state_free(s);
    s = state_of("[]", 1, EDGE_DIGEST_SHA256);
    cr_expect_str_eq(s->checksum,
                     "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
    edge_sync_state_free(s);
}

Test(sync_state, verify_detects_a_flipped_byte_in_the_checksum)
{
    edge_sync_state *s = state_of("{\"config\": {\"replicas\": 3}}", 1, EDGE_DIGEST_MD5);
    for (size_t i = 0; i < strlen(s->checksum); i++) {
        char saved = s->checksum[i];
        s->checksum[i] ^= 0x01;
        cr_expect_eq(edge_sync_state_verify(s), EDGE_CHECKSUM, "byte %zu", i);
        s->checksum[i] = saved;
    }
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    s->checksum[31] = '\0'; /* a truncated checksum is no match either */
    cr_expect_eq(edge_sync_state_verify(s), EDGE_CHECKSUM);
    edge_sync_state_free(s);
}

Test(sync_state, verify_detects_a_flipped_byte_in_the_data)
{
    edge_sync_state *s = state_of("{\"config\": {\"replicas\": 3, \"name\": \"edge\"}}", 1,
                                  EDGE_DIGEST_MD5);
    cJSON *name = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->data, "config"), "name");
    name->valuestring[0] ^= 0x20; /* "edge" -> "Edge" */
    cr_expect_eq(edge_sync_state_verify(s), EDGE_CHECKSUM);
    name->valuestring[0] ^= 0x20;
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    cJSON *replicas = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->data, "config"), "replicas");
    replicas->valuestring[0] = '4';
    replicas->valuedouble = 4;
    cr_expect_eq(edge_sync_state_verify(s), EDGE_CHECKSUM);
    edge_sync_state_free(s);
}

Test(sync_state, one_and_one_point_zero_have_different_checksums)
{
    edge_sync_state *a = state_of("{\"x\": 1}", 1, EDGE_DIGEST_MD5);
    edge_sync_state *b = state_of("{\"x\": 1.0}", 1, EDGE_DIGEST_MD5);
    cr_expect_str_neq(a->checksum, b->checksum);
    edge_sync_state_free(a);
    edge_sync_state_free(b);
}

Test(sync_state, from_data_leaves_data_with_the_caller_on_error)
{
    edge_sync_state *s = (edge_sync_state *)0x1;
    cJSON *raw = cJSON_CreateRaw("1");
    cr_expect_eq(edge_sync_state_from_data(raw, 1, EDGE_DIGEST_MD5, &s), EDGE_INVAL);
    cr_expect_eq(edge_sync_state_from_data(raw, 1, (edge_digest_algo)9, &s), EDGE_INVAL);
    cr_expect_eq(edge_sync_state_from_data(NULL, 1, EDGE_DIGEST_MD5, &s), EDGE_INVAL);
    cr_expect_eq(s, (edge_sync_state *)0x1);
    cJSON_Delete(raw); /* still ours */
    edge_sync_state_free(NULL);
}

Test(sync_state, set_data_replaces_data_version_and_checksum)
{
    edge_sync_state *s = state_of("{\"a\": 1}", 1, EDGE_DIGEST_MD5);
    char old[EDGE_DIGEST_HEX_MAX];
    strcpy(old, s->checksum);
    cr_assert_eq(edge_sync_state_set_data(s, parse("{\"b\": [1, 2.5, \"x\"], \"a\": null}"), 2), EDGE_OK);
    cr_expect_eq(s->version, 2);
    cr_expect_str_eq(s->checksum, "f17749b1d489b32425841914fda7d094");
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);

    /* an in-place change, then set_data with the same tree: re-checksummed */
    cJSON_AddItemToObject(s->data, "c", cJSON_CreateTrue());
    cr_expect_eq(edge_sync_state_verify(s), EDGE_CHECKSUM);
    cr_assert_eq(edge_sync_state_set_data(s, s->data, 3), EDGE_OK);
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    edge_sync_state_free(s);
}

Test(sync_state, set_data_changes_nothing_when_it_fails)
{
    edge_sync_state *s = state_of("{\"a\": 1}", 1, EDGE_DIGEST_MD5);
    cJSON *before = s->data;
    cJSON *raw = cJSON_CreateRaw("oops");
    cr_expect_eq(edge_sync_state_set_data(s, raw, 2), EDGE_INVAL);
    cr_expect_eq(s->data, before);
    cr_expect_eq(s->version, 1);
    cr_expect_str_eq(s->checksum, "42b7b4f2921788ea14dac5566e6f06d0");
    cr_expect_eq(edge_sync_state_set_data(s, NULL, 2), EDGE_INVAL);
    cr_expect_eq(edge_sync_state_set_data(NULL, raw, 2), EDGE_INVAL);
    cJSON_Delete(raw);
    edge_sync_state_free(s);
}

Test(sync_state, apply_patch_merges_and_rechecksums)
{
    edge_sync_state *s = state_of("{\"a\": 1, \"cfg\": {\"x\": 1, \"y\": 2}}", 5, EDGE_DIGEST_MD5);
    cJSON *patch = parse("{\"a\": null, \"cfg\": {\"y\": 18446744073709551616}}");
    cr_assert_eq(edge_sync_state_apply_patch(s, patch, 6), EDGE_OK);
    cr_expect_eq(s->version, 6);
    edge_sync_state *want = state_of("{\"cfg\": {\"x\": 1, \"y\": 18446744073709551616}}", 6,
                                     EDGE_DIGEST_MD5);
    cr_expect_str_eq(s->checksum, want->checksum);
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    cr_expect_eq(edge_sync_state_apply_patch(s, NULL, 7), EDGE_INVAL);
    cr_expect_eq(s->version, 6);
    cJSON_Delete(patch);
    edge_sync_state_free(want);
    edge_sync_state_free(s);
}

Test(sync_state, to_dict_lists_version_data_checksum_and_algorithm)
{
    edge_sync_state *s = state_of("{\"a\": 1}", 9007199254740993, EDGE_DIGEST_SHA256);
    cJSON *d = NULL;
    cr_assert_eq(edge_sync_state_to_dict(s, &d), EDGE_OK);
    int64_t v;
    cr_expect_eq(edge_json_get_int(cJSON_GetObjectItemCaseSensitive(d, "version"), &v), EDGE_OK);
    cr_expect_eq(v, 9007199254740993, "exact, not through a double");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "checksum")), s->checksum);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "algorithm")), "sha256");
    cJSON *data = cJSON_GetObjectItemCaseSensitive(d, "data");
    cr_expect(data != s->data, "a copy");
    cr_expect(cJSON_Compare(data, s->data, 1));
    cr_expect_eq(cJSON_GetArraySize(d), 4);
    cJSON_Delete(d);
    cr_expect_eq(edge_sync_state_to_dict(NULL, &d), EDGE_INVAL);
    edge_sync_state_free(s);
}

Test(sync_state, copy_is_an_independent_replica)
{
    edge_sync_state *s = state_of("{\"a\": [1, 2]}", 4, EDGE_DIGEST_MD5), *c = NULL;
    cr_assert_eq(edge_sync_state_copy(s, &c), EDGE_OK);
    cr_expect_str_eq(c->checksum, s->checksum);
    cr_expect_eq(c->version, 4);
    cr_expect(c->data != s->data);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(c->data, "a"), edge_json_int(3));
    cr_expect_eq(edge_sync_state_verify(c), EDGE_CHECKSUM);
    cr_expect_eq(edge_sync_state_verify(s), EDGE_OK);
    edge_sync_state_free(c);
    edge_sync_state_free(s);
}
