/*
 * sync_state.h — a versioned JSON document with the checksum of its
 * canonical text: the unit the synchronizer replicates from the primary to
 * the nodes, and what a node compares to tell whether its copy is intact.
 *
 * The checksum is the hex digest (MD5 by default, as the Python peers
 * compute it) of canonical_json.h's text of the data, so it equals
 *   hashlib.md5(json.dumps(data, sort_keys=True).encode()).hexdigest()
 * for the same data on a Python node. It is computed when the data is set
 * and stored; edge_sync_state_verify recomputes it and compares, which is
 * how a corrupted replica (a flipped byte in data or checksum) is caught.
 *
 * The struct is open so that a synchronizer, a report or a fault injector
 * can read it (and a fault injector corrupt it); change data and version
 * only through the functions here, which keep the checksum right. The state
 * owns data. Nothing here reads a clock: when a version was made is the
 * caller's to record.
 */
#ifndef EDGE_SYNC_STATE_H
#define EDGE_SYNC_STATE_H

#include <stdint.h>

#include <cJSON.h>

#include "digest.h"
#include "error.h"

typedef struct edge_sync_state {
    int64_t version;
    cJSON *data;                           /* owned; any JSON value */
    edge_digest_algo algorithm;
    char checksum[EDGE_DIGEST_HEX_MAX];    /* lowercase hex of the canonical text */
} edge_sync_state;

/*
 * The checksum of data's canonical text with algo into out.
 * Errors: those of edge_canonical_json (EDGE_INVAL, EDGE_LIMIT, EDGE_NOMEM)
 * and edge_digest_hex (EDGE_CRYPTO). out is written only on success.
 */
edge_err edge_sync_state_checksum(const cJSON *data, edge_digest_algo algo,
                                  char out[EDGE_DIGEST_HEX_MAX]);

/*
 * A new state holding data at version, its checksum computed with algo.
 * Takes ownership of data on success (no copy: states can be large; pass
 * cJSON_Duplicate(data, 1) to keep your own). On error data stays the
 * caller's and *out is untouched.
 * Errors: EDGE_INVAL for NULL data or out, or data that has no canonical
 * text; those of edge_sync_state_checksum. The caller frees *out with
 * edge_sync_state_free.
 */
edge_err edge_sync_state_from_data(cJSON *data, int64_t version, edge_digest_algo algo,
                                   edge_sync_state **out);

/* Frees s and its data. Accepts NULL. */
void edge_sync_state_free(edge_sync_state *s);

/*
 * Recomputes the checksum of s->data with s->algorithm and compares it with
 * s->checksum. Returns EDGE_OK when they match, EDGE_CHECKSUM when they do
 * not; EDGE_INVAL for NULL s (or NULL data); other codes as
 * edge_sync_state_checksum when the checksum cannot be computed.
 */
edge_err edge_sync_state_verify(const edge_sync_state *s);

/*
 * Replaces s's data with data at version and recomputes the checksum; the
 * old data is freed. Takes ownership of data on success; on error s is as it
 * was and data stays the caller's. data may be s->data itself, changed in
 * place, to recompute the checksum. Errors as edge_sync_state_from_data.
 * The version is the caller's to choose (the synchronizer decides whether
 * versions must grow).
 */
edge_err edge_sync_state_set_data(edge_sync_state *s, cJSON *data, int64_t version);

/*
 * Applies an RFC 7386 merge patch (json.h) to s's data and sets version;
 * patch is only read. On error s is as it was.
 * Errors: EDGE_INVAL for NULL s or patch; as edge_sync_state_set_data.
 */
edge_err edge_sync_state_apply_patch(edge_sync_state *s, const cJSON *patch, int64_t version);

/* A deep copy of s into *out (a replica). Errors: EDGE_INVAL, EDGE_NOMEM.
 * The caller frees *out with edge_sync_state_free. */
edge_err edge_sync_state_copy(const edge_sync_state *s, edge_sync_state **out);

/*
 * s as a new cJSON object with the keys
 *   "version"   integer
 *   "data"      a deep copy of the data
 *   "checksum"  hex string as stored (not recomputed)
 *   "algorithm" "md5" or "sha256"
 * into *out; the caller owns it (cJSON_Delete).
 * Errors: EDGE_INVAL, EDGE_NOMEM (*out untouched).
 */
edge_err edge_sync_state_to_dict(const edge_sync_state *s, cJSON **out);

#endif
