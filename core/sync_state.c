#include "sync_state.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_json.h"
#include "json.h"

edge_err edge_sync_state_checksum(const cJSON *data, edge_digest_algo algo,
                                  char out[EDGE_DIGEST_HEX_MAX])
{
    char *text = NULL;
    size_t len = 0;
    if (!data || !out || !edge_digest_name(algo))
        return EDGE_INVAL;
    edge_err rc = edge_canonical_json(data, &text, &len);
    if (rc == EDGE_OK)
        rc = edge_digest_hex(algo, text, len, out);
    free(text);
    return rc;
}

edge_err edge_sync_state_from_data(cJSON *data, int64_t version, edge_digest_algo algo,
                                   edge_sync_state **out)
{
    char sum[EDGE_DIGEST_HEX_MAX];
    if (!data || !out)
        return EDGE_INVAL;
    edge_err rc = edge_sync_state_checksum(data, algo, sum);
    if (rc != EDGE_OK)
        return rc;
    edge_sync_state *s = calloc(1, sizeof *s);
    if (!s)
        return EDGE_NOMEM;
    s->version = version;
    s->data = data;
    s->algorithm = algo;
    memcpy(s->checksum, sum, sizeof sum);
    *out = s;
    return EDGE_OK;
}

void edge_sync_state_free(edge_sync_state *s)
{
    if (!s)
        return;
    cJSON_Delete(s->data);
    free(s);
}

edge_err edge_sync_state_verify(const edge_sync_state *s)
{
    char sum[EDGE_DIGEST_HEX_MAX];
    if (!s || !s->data)
        return EDGE_INVAL;
    edge_err rc = edge_sync_state_checksum(s->data, s->algorithm, sum);
    if (rc != EDGE_OK)
        return rc;
    /* compare the whole stored buffer up to its NUL, so that a checksum
     * with an extra or a missing character fails too */
    return strncmp(sum, s->checksum, sizeof sum) == 0 ? EDGE_OK : EDGE_CHECKSUM;
}

edge_err edge_sync_state_set_data(edge_sync_state *s, cJSON *data, int64_t version)
{
    char sum[EDGE_DIGEST_HEX_MAX];
    if (!s || !data)
        return EDGE_INVAL;
    edge_err rc = edge_sync_state_checksum(data, s->algorithm, sum);
    if (rc != EDGE_OK)
        return rc;
    if (data != s->data)
        cJSON_Delete(s->data);
    s->data = data;
    s->version = version;
    memcpy(s->checksum, sum, sizeof sum);
    return EDGE_OK;
}

edge_err edge_sync_state_apply_patch(edge_sync_state *s, const cJSON *patch, int64_t version)
{
    if (!s || !patch || !s->data)
        return EDGE_INVAL;
    cJSON *data = cJSON_Duplicate(s->data, 1);
    if (!data)
        return EDGE_NOMEM;
    edge_err rc = edge_json_merge_patch(&data, patch);
    if (rc == EDGE_OK)
        rc = edge_sync_state_set_data(s, data, version);
    if (rc != EDGE_OK)
        cJSON_Delete(data);
    return rc;
}

edge_err edge_sync_state_copy(const edge_sync_state *s, edge_sync_state **out)
{
    if (!s || !s->data || !out)
        return EDGE_INVAL;
    edge_sync_state *c = calloc(1, sizeof *c);
    if (!c)
        return EDGE_NOMEM;
    *c = *s;
    if (!(c->data = cJSON_Duplicate(s->data, 1))) {
        free(c);
        return EDGE_NOMEM;
    }
    *out = c;
    return EDGE_OK;
}

/* Adds item under key; frees item when that fails (or it is NULL). */
static bool add(cJSON *o, const char *key, cJSON *item)
{
    if (item && cJSON_AddItemToObject(o, key, item))
        return true;
    cJSON_Delete(item);
    return false;
}

edge_err edge_sync_state_to_dict(const edge_sync_state *s, cJSON **out)
{
    if (!s || !s->data || !out || !edge_digest_name(s->algorithm))
        return EDGE_INVAL;
    cJSON *o = cJSON_CreateObject();
    if (!o || !add(o, "version", edge_json_int(s->version)) ||
        !add(o, "data", cJSON_Duplicate(s->data, 1)) ||
        !add(o, "checksum", cJSON_CreateString(s->checksum)) ||
        !add(o, "algorithm", cJSON_CreateString(edge_digest_name(s->algorithm)))) {
        cJSON_Delete(o);
        return EDGE_NOMEM;
    }
    *out = o;
    return EDGE_OK;
}
