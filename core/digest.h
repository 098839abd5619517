/*
 * digest.h — hex digests of bytes through OpenSSL's EVP interface.
 *
 * The sync state hashes the canonical JSON text of its data; MD5 is the
 * default because that is what the Python peers compute
 * (hashlib.md5(...).hexdigest()), SHA-256 is there for deployments that want
 * a digest that is not broken. MD5 here detects accidental divergence; it
 * is no defence against someone forging state. Each call fetches the
 * algorithm from the default provider (about a microsecond) and keeps
 * nothing: no global state. Under a FIPS-only provider MD5 is unavailable
 * and the call fails with EDGE_CRYPTO.
 */
#ifndef EDGE_DIGEST_H
#define EDGE_DIGEST_H

#include <stddef.h>

#include "error.h"

typedef enum {
    EDGE_DIGEST_MD5,    /* the default: Python peers compute MD5 */
    EDGE_DIGEST_SHA256,
} edge_digest_algo;

#define EDGE_DIGEST_DEFAULT EDGE_DIGEST_MD5

/* Room for the longest hex digest (SHA-256: 64 digits) and its NUL. */
#define EDGE_DIGEST_HEX_MAX 65

/* "md5", "sha256"; NULL for a value outside the enum. */
const char *edge_digest_name(edge_digest_algo algo);

/* The algorithm named name ("md5", "sha256", any case) into *out.
 * Errors: EDGE_INVAL for NULL or an unknown name (*out untouched). */
edge_err edge_digest_from_name(const char *name, edge_digest_algo *out);

/*
 * The digest of data[0..len) as lowercase hex into out, NUL-terminated
 * (32 digits for MD5, 64 for SHA-256). data may be NULL when len is 0.
 * Errors: EDGE_INVAL for an unknown algo, NULL out, or NULL data with len > 0;
 * EDGE_CRYPTO when OpenSSL fails (the algorithm is not available). out is
 * written only on success.
 */
edge_err edge_digest_hex(edge_digest_algo algo, const void *data, size_t len,
                         char out[EDGE_DIGEST_HEX_MAX]);

#endif
