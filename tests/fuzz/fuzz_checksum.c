/*
 * fuzz_checksum.c — `edgesim checksum`'s path: the JSON reader
 * (edge_json_parse, Python's json.load rules), the canonical writer
 * (json.dumps(sort_keys=True)) and the digests, on arbitrary bytes.
 *
 * Besides "no crash, no sanitizer report", one property: the canonical text
 * is itself JSON whose canonical text is the same (writing is idempotent).
 * A document that breaks it would give two peers two checksums for one
 * state, so the harness aborts on it.
 */
#include "fuzz.h"

#include "canonical_json.h"
#include "common/diag.h"
#include "digest.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > EDGE_JSON_INPUT_MAX)
        return 0; /* the command refuses these before parsing */
    edge_json_doc *doc = NULL, *again = NULL;
    char *canon = NULL, *canon2 = NULL;
    size_t canon_len = 0, canon2_len = 0;
    edge_json_error err;
    edge_err rc = edge_json_parse((const char *)data, size, &doc, &err);
    if (rc == EDGE_PARSE || rc == EDGE_LIMIT) {
        /* the one line the command prints: it must format, whatever the input */
        sim_diag d;
        char line[SIM_DIAG_MSG_MAX + SIM_DIAG_PATH_MAX + 64];
        sim_diag_clear(&d);
        d.file = "fuzz.json";
        d.line = err.line;
        d.col = err.col;
        edge_json_error_format(&err, d.msg, sizeof d.msg);
        sim_diag_format(&d, line, sizeof line);
        return 0;
    }
    if (rc != EDGE_OK) /* out of memory: not a finding */
        return 0;
    if (edge_canonical_json(edge_json_doc_root(doc), &canon, &canon_len) != EDGE_OK)
        goto done;
    char hex[EDGE_DIGEST_HEX_MAX];
    if (edge_digest_hex(EDGE_DIGEST_MD5, canon, canon_len, hex) != EDGE_OK ||
        edge_digest_hex(EDGE_DIGEST_SHA256, canon, canon_len, hex) != EDGE_OK)
        abort();
    if (canon_len > EDGE_JSON_INPUT_MAX)
        goto done;
    rc = edge_json_parse(canon, canon_len, &again, &err);
    if (rc == EDGE_NOMEM)
        goto done;
    if (rc != EDGE_OK) {
        fprintf(stderr, "canonical text does not parse back (%s): %.*s\n", edge_strerror(rc),
                (int)(canon_len > 200 ? 200 : canon_len), canon);
        abort();
    }
    if (edge_canonical_json(edge_json_doc_root(again), &canon2, &canon2_len) != EDGE_OK)
        goto done;
    if (canon2_len != canon_len || memcmp(canon, canon2, canon_len) != 0) {
        fprintf(stderr, "canonical text is not stable:\n  %.*s\n  %.*s\n",
                (int)(canon_len > 200 ? 200 : canon_len), canon,
                (int)(canon2_len > 200 ? 200 : canon2_len), canon2);
        abort();
    }
done:
    free(canon2);
    free(canon);
    edge_json_doc_free(again);
    edge_json_doc_free(doc);
    return 0;
}
