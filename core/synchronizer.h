/*
 * synchronizer.h — replicates a primary edge_sync_state to the nodes'
 * replicas and checks every copy on arrival.
 *
 * The primary changes by RFC 7386 merge patches, each bumping its version
 * by one (the first version is 1). Each node holds a replica: the version it
 * last accepted (0: none, e.g. after a crash wiped it) and that data. The
 * caller (the simulator, or a real control loop) decides when to send: it
 * asks edge_synchronizer_needs(node) and, if so, edge_synchronizer_send,
 * which hands out the message of the current primary; it delivers the bytes
 * (possibly damaged on the way) to edge_synchronizer_receive, or reports
 * the transfer lost. At most one transfer per node is in flight: a node
 * with one is not "needing" until it arrives or is lost.
 *
 * The wire form is the canonical text of the data (canonical_json.h) with
 * the version and the checksum beside it. The checksum is the primary's
 * edge_sync_state checksum, i.e. the digest of exactly that text, so the
 * receiver checks the bytes it got against it before it parses anything:
 * any changed byte is caught (the verify of sync_state.h applied to the
 * wire text) and the replica is left as it was. A rejected transfer is not
 * retried here; the caller sends again when it next asks (the simulator:
 * at its next sync round).
 *
 * The message of a version is built once (canonical text and all) and
 * shared, reference-counted, by every transfer of that version: a round to
 * 10,000 nodes costs one serialisation. Nothing here reads a clock or
 * draws random numbers; when things happen is the caller's.
 */
#ifndef EDGE_SYNCHRONIZER_H
#define EDGE_SYNCHRONIZER_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "digest.h"
#include "error.h"
#include "sync_state.h"

typedef struct edge_synchronizer edge_synchronizer;

/* One version on the wire. Read-only for its holders; shared. */
typedef struct edge_sync_message {
    int64_t version;
    char checksum[EDGE_DIGEST_HEX_MAX]; /* digest of payload[0..len) */
    edge_digest_algo algorithm;
    size_t len;                         /* bytes of payload, without the NUL */
    char *payload;                      /* canonical text, NUL-terminated */
    uint32_t refs;
} edge_sync_message;

/*
 * A synchronizer whose primary holds a deep copy of initial at version 1,
 * with nreplicas replicas that all start holding that version (every node is
 * provisioned with the initial state). initial is only read.
 * Errors: EDGE_INVAL for NULL initial or out, or data without canonical text
 * (sync_state.h); EDGE_NOMEM; EDGE_CRYPTO. The caller frees *out with
 * edge_synchronizer_free.
 */
edge_err edge_synchronizer_create(const cJSON *initial, size_t nreplicas, edge_digest_algo algo,
                                  edge_synchronizer **out);

/* Frees s, its states and its reference to the current message (messages
 * still held by callers stay valid until released). Accepts NULL. */
void edge_synchronizer_free(edge_synchronizer *s);

/* The primary; owned by s, valid until the next update. */
const edge_sync_state *edge_synchronizer_primary(const edge_synchronizer *s);

/* Number of replicas. */
size_t edge_synchronizer_replicas(const edge_synchronizer *s);

/* The replica's version (0: none); 0 for an index out of range. */
int64_t edge_synchronizer_replica_version(const edge_synchronizer *s, size_t node);

/* The replica's state, owned by s; NULL when it has none or out of range. */
const edge_sync_state *edge_synchronizer_replica(const edge_synchronizer *s, size_t node);

/* 1 when the replica holds the primary's version; 0 otherwise (or out of range). */
int edge_synchronizer_is_current(const edge_synchronizer *s, size_t node);

/* 1 when the replica is behind and no transfer to it is in flight. */
int edge_synchronizer_needs(const edge_synchronizer *s, size_t node);

/*
 * Applies the merge patch to the primary (patch is only read) and bumps its
 * version by one; every replica is then behind.
 * Errors: EDGE_INVAL for NULL; those of edge_sync_state_apply_patch (the
 * primary is as it was).
 */
edge_err edge_synchronizer_update(edge_synchronizer *s, const cJSON *patch);

/* The node lost its replica (a crash wiped it): version 0, data freed. Any
 * transfer in flight stays in flight until received or lost. Out of range:
 * nothing. */
void edge_synchronizer_drop(edge_synchronizer *s, size_t node);

/*
 * Starts a transfer of the current primary to node: marks it in flight and
 * hands out the message with a reference the caller releases with
 * edge_sync_message_release. Sends even when the replica is current or a
 * transfer is in flight (ask edge_synchronizer_needs first).
 * Errors: EDGE_INVAL for NULL or node out of range; EDGE_NOMEM, EDGE_CRYPTO
 * when the message cannot be built (nothing changes).
 */
edge_err edge_synchronizer_send(edge_synchronizer *s, size_t node, edge_sync_message **out);

/* The transfer in flight to node will never arrive (the node crashed or the
 * link broke): the node needs a new one. */
void edge_synchronizer_lost(edge_synchronizer *s, size_t node);

/*
 * The transfer of m arrived at node as bytes[0..len) (m's payload, or a
 * damaged copy). Ends the transfer in flight. The digest of the bytes is
 * compared with m's checksum: on a mismatch returns EDGE_CHECKSUM and the
 * replica is unchanged; on a match the bytes are parsed and become the
 * replica at m's version, unless the replica already holds that version or a
 * later one (then EDGE_OK and nothing changes). m is only read.
 * Errors: EDGE_INVAL for NULL s, m or bytes, or node out of range;
 * EDGE_CHECKSUM as above; EDGE_PARSE if bytes that match the checksum do not
 * parse (cannot happen with the synchronizer's own messages); EDGE_NOMEM,
 * EDGE_CRYPTO (replica unchanged).
 */
edge_err edge_synchronizer_receive(edge_synchronizer *s, size_t node, const edge_sync_message *m,
                                   const void *bytes, size_t len);

/* Drops one reference to m; the last frees it. Accepts NULL. */
void edge_sync_message_release(edge_sync_message *m);

#endif
