#include "synchronizer.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "canonical_json.h"

typedef struct replica {
    edge_sync_state *state; /* NULL: none (version 0) */
    int in_flight;
} replica;

struct edge_synchronizer {
    edge_sync_state *primary;
    edge_sync_message *msg; /* of the primary's version, built on first send; NULL before */
    replica *rep;
    size_t n;
};

void edge_sync_message_release(edge_sync_message *m)
{
    if (!m || --m->refs > 0)
        return;
    free(m->payload); /* canonical_json's text: plain malloc */
    edge__free(m);
}

edge_err edge_synchronizer_create(const cJSON *initial, size_t nreplicas, edge_digest_algo algo,
                                  edge_synchronizer **out)
{
    if (!initial || !out)
        return EDGE_INVAL;
    edge_synchronizer *s = edge__calloc(1, sizeof *s);
    if (!s)
        return EDGE_NOMEM;
    s->rep = edge__calloc(nreplicas ? nreplicas : 1, sizeof *s->rep);
    s->n = nreplicas;
    edge_err rc = EDGE_NOMEM;
    cJSON *copy = cJSON_Duplicate(initial, 1);
    if (!s->rep || !copy)
        goto fail;
    rc = edge_sync_state_from_data(copy, 1, algo, &s->primary);
    if (rc != EDGE_OK)
        goto fail;
    copy = NULL;
    for (size_t i = 0; i < nreplicas; i++)
        if ((rc = edge_sync_state_copy(s->primary, &s->rep[i].state)) != EDGE_OK)
            goto fail;
    *out = s;
    return EDGE_OK;
fail:
    cJSON_Delete(copy);
    edge_synchronizer_free(s);
    return rc;
}

void edge_synchronizer_free(edge_synchronizer *s)
{
    if (!s)
        return;
    if (s->rep)
        for (size_t i = 0; i < s->n; i++)
            edge_sync_state_free(s->rep[i].state);
    edge__free(s->rep);
    edge_sync_state_free(s->primary);
    edge_sync_message_release(s->msg);
    edge__free(s);
}

const edge_sync_state *edge_synchronizer_primary(const edge_synchronizer *s)
{
    return s->primary;
}

size_t edge_synchronizer_replicas(const edge_synchronizer *s)
{
    return s->n;
}

int64_t edge_synchronizer_replica_version(const edge_synchronizer *s, size_t node)
{
    return node < s->n && s->rep[node].state ? s->rep[node].state->version : 0;
}

const edge_sync_state *edge_synchronizer_replica(const edge_synchronizer *s, size_t node)
{
    return node < s->n ? s->rep[node].state : NULL;
}

int edge_synchronizer_is_current(const edge_synchronizer *s, size_t node)
{
    return node < s->n && edge_synchronizer_replica_version(s, node) == s->primary->version;
}

int edge_synchronizer_needs(const edge_synchronizer *s, size_t node)
{
    return node < s->n && !s->rep[node].in_flight && !edge_synchronizer_is_current(s, node);
}

edge_err edge_synchronizer_update(edge_synchronizer *s, const cJSON *patch)
{
    if (!s || !patch)
        return EDGE_INVAL;
    edge_err rc = edge_sync_state_apply_patch(s->primary, patch, s->primary->version + 1);
    if (rc != EDGE_OK)
        return rc;
    edge_sync_message_release(s->msg); /* transfers in flight keep theirs */
    s->msg = NULL;
    return EDGE_OK;
}

void edge_synchronizer_drop(edge_synchronizer *s, size_t node)
{
    if (!s || node >= s->n)
        return;
    edge_sync_state_free(s->rep[node].state);
    s->rep[node].state = NULL;
}

/* The message of the primary's version, built once per version. */
static edge_err current_message(edge_synchronizer *s)
{
    if (s->msg)
        return EDGE_OK;
    edge_sync_message *m = edge__calloc(1, sizeof *m);
    if (!m)
        return EDGE_NOMEM;
    edge_err rc = edge_canonical_json(s->primary->data, &m->payload, &m->len);
    if (rc == EDGE_OK)
        rc = edge_digest_hex(s->primary->algorithm, m->payload, m->len, m->checksum);
    if (rc != EDGE_OK) {
        free(m->payload);
        edge__free(m);
        return rc;
    }
    m->version = s->primary->version;
    m->algorithm = s->primary->algorithm;
    m->refs = 1; /* s's own */
    s->msg = m;
    return EDGE_OK;
}

edge_err edge_synchronizer_send(edge_synchronizer *s, size_t node, edge_sync_message **out)
{
    if (!s || !out || node >= s->n)
        return EDGE_INVAL;
    edge_err rc = current_message(s);
    if (rc != EDGE_OK)
        return rc;
    s->msg->refs++;
    s->rep[node].in_flight = 1;
    *out = s->msg;
    return EDGE_OK;
}

void edge_synchronizer_lost(edge_synchronizer *s, size_t node)
{
    if (s && node < s->n)
        s->rep[node].in_flight = 0;
}

edge_err edge_synchronizer_receive(edge_synchronizer *s, size_t node, const edge_sync_message *m,
                                   const void *bytes, size_t len)
{
    if (!s || !m || !bytes || node >= s->n)
        return EDGE_INVAL;
    replica *r = &s->rep[node];
    r->in_flight = 0;
    char sum[EDGE_DIGEST_HEX_MAX];
    edge_err rc = edge_digest_hex(m->algorithm, bytes, len, sum);
    if (rc != EDGE_OK)
        return rc;
    if (strcmp(sum, m->checksum) != 0)
        return EDGE_CHECKSUM;
    if (r->state && r->state->version >= m->version)
        return EDGE_OK; /* a newer copy arrived first: keep it */
    cJSON *data = cJSON_ParseWithLength(bytes, len);
    if (!data)
        return EDGE_PARSE;
    edge_sync_state *st;
    rc = edge_sync_state_from_data(data, m->version, m->algorithm, &st);
    if (rc != EDGE_OK) {
        cJSON_Delete(data);
        return rc;
    }
    edge_sync_state_free(r->state);
    r->state = st;
    return EDGE_OK;
}
