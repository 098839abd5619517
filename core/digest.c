#include "digest.h"

#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>

static const struct {
    const char *name;     /* ours */
    const char *evp_name; /* OpenSSL's */
} algos[] = {
    [EDGE_DIGEST_MD5] = {"md5", "MD5"},
    [EDGE_DIGEST_SHA256] = {"sha256", "SHA256"},
};
#define N_ALGOS (sizeof algos / sizeof algos[0])

const char *edge_digest_name(edge_digest_algo algo)
{
    return (unsigned)algo < N_ALGOS ? algos[algo].name : NULL;
}

edge_err edge_digest_from_name(const char *name, edge_digest_algo *out)
{
    if (!name || !out)
        return EDGE_INVAL;
    for (unsigned i = 0; i < N_ALGOS; i++)
        if (!strcasecmp(name, algos[i].name)) {
            *out = (edge_digest_algo)i;
            return EDGE_OK;
        }
    return EDGE_INVAL;
}

edge_err edge_digest_hex(edge_digest_algo algo, const void *data, size_t len,
                         char out[EDGE_DIGEST_HEX_MAX])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    edge_err rc = EDGE_CRYPTO;
    EVP_MD *md_type = NULL;

    if ((unsigned)algo >= N_ALGOS || !out || (!data && len))
        return EDGE_INVAL;
    if (!data)
        data = "";
    md_type = EVP_MD_fetch(NULL, algos[algo].evp_name, NULL);
    if (!md_type || !EVP_Digest(data, len, md, &mdlen, md_type, NULL))
        goto fail;
    if (2 * (size_t)mdlen + 1 > EDGE_DIGEST_HEX_MAX)
        goto fail;
    for (unsigned int i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * mdlen] = '\0';
    rc = EDGE_OK;
fail:
    if (rc != EDGE_OK)
        ERR_clear_error(); /* leave no error on this thread's OpenSSL queue */
    EVP_MD_free(md_type);
    return rc;
}
