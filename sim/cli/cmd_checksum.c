/*
 * cmd_checksum.c — `edgesim checksum`: the digest (or the text) of a JSON
 * document's canonical form, the same as a Python peer computes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_json.h"
#include "cli/cli.h"
#include "common/diag.h"
#include "digest.h"
#include "json.h"

enum { OPT_ALGORITHM = 1, OPT_CANONICAL };

static const sim_opt checksum_opts[] = {
    {OPT_ALGORITHM, 'a', "algorithm", "NAME", 0, "md5 (the default) or sha256"},
    {OPT_CANONICAL, 'c', "canonical", NULL, 0,
     "print the canonical text (and a newline) instead of its digest; handy to see why "
     "two digests differ"},
    {0, 0, NULL, NULL, 0, NULL},
};

static void checksum_limits(FILE *out)
{
    fprintf(out,
            "Input is read as Python's json.load reads a UTF-8 file: NaN, Infinity and\n"
            "-Infinity are accepted, a repeated key keeps its last value, integers stay\n"
            "exact at any size (up to %d digits), 1 and 1.0 differ. At most %zu bytes,\n"
            "%d levels of nesting.\n",
            EDGE_JSON_INT_DIGITS_MAX, (size_t)EDGE_JSON_INPUT_MAX, EDGE_JSON_DEPTH_MAX);
}

const sim_cmd sim_checksum_cmd = {
    .name = "checksum",
    .operands = "FILE|-",
    .about = "print the digest of a JSON document's canonical text",
    .intro = "Prints the hex digest of the canonical text of the JSON document in FILE\n"
             "(standard input for -). The canonical text is what Python writes with\n"
             "json.dumps(data, sort_keys=True), so the MD5 digest equals\n"
             "  python3 -c 'import json,hashlib,sys; print(hashlib.md5(json.dumps(\n"
             "    json.load(open(sys.argv[1])), sort_keys=True).encode()).hexdigest())' FILE\n",
    .opts = checksum_opts,
    .extra = checksum_limits,
    .outro = "exit codes: 0 done; 2 bad JSON (one line: FILE:LINE:COL: expected ..., found\n"
             "...), an unreadable file or bad usage; 1 anything else.\n",
};

/* Reads all of f into *out (malloc'd) up to limit + 1 bytes, so that a
 * caller can tell "too long". Returns 0 or an errno value. */
static int read_all(FILE *f, size_t limit, char **out, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (n == cap) {
            if (cap > limit) /* read limit + 1 bytes or more: enough to know */
                break;
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return ENOMEM;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno ? errno : EIO;
                free(buf);
                return e;
            }
            break;
        }
    }
    *out = buf;
    *len = n;
    return 0;
}

int sim_cmd_checksum(int argc, char **argv)
{
    edge_digest_algo algo = EDGE_DIGEST_DEFAULT;
    int canonical = 0;
    const char *path = NULL;
    int status = SIM_EXIT_FAIL;
    char *text = NULL, *canon = NULL;
    size_t len = 0, canon_len = 0;
    edge_json_doc *doc = NULL;
    FILE *f = NULL;

    sim_opts p;
    sim_opts_init(&p, &sim_checksum_cmd, argc, argv);
    for (int id; (id = sim_opts_next(&p)) != SIM_OPTS_END;) {
        switch (id) {
        case SIM_OPTS_HELP: return SIM_EXIT_OK;
        case SIM_OPTS_ERROR: return SIM_EXIT_USAGE;
        case OPT_CANONICAL: canonical = 1; break;
        case OPT_ALGORITHM:
            if (edge_digest_from_name(p.arg, &algo) != EDGE_OK)
                return sim_cmd_fail(&sim_checksum_cmd, "unknown algorithm '%s' (md5 or sha256)",
                                    p.arg);
            break;
        case SIM_OPTS_OPERAND:
            if (path)
                return sim_cmd_fail(&sim_checksum_cmd, "one FILE only ('%s' is extra)", p.arg);
            path = p.arg;
            break;
        }
    }
    if (!path)
        return sim_cmd_fail(&sim_checksum_cmd, "missing FILE (see 'edgesim checksum --help')");

    const char *shown = strcmp(path, "-") ? path : "<stdin>";
    f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "edgesim checksum: cannot open %s: %s\n", path, strerror(errno));
        return SIM_EXIT_USAGE;
    }
    int e = read_all(f, EDGE_JSON_INPUT_MAX, &text, &len);
    if (f != stdin)
        fclose(f);
    if (e) {
        fprintf(stderr, "edgesim checksum: cannot read %s: %s\n", shown, strerror(e));
        status = e == ENOMEM ? SIM_EXIT_FAIL : SIM_EXIT_USAGE;
        goto done;
    }
    if (len > EDGE_JSON_INPUT_MAX) {
        fprintf(stderr, "%s: expected at most %zu bytes, found more\n", shown,
                (size_t)EDGE_JSON_INPUT_MAX);
        status = SIM_EXIT_USAGE;
        goto done;
    }

    edge_json_error err;
    edge_err rc = edge_json_parse(text, len, &doc, &err);
    if (rc == EDGE_PARSE || rc == EDGE_LIMIT) {
        sim_diag d;
        char line[SIM_DIAG_MSG_MAX + SIM_DIAG_PATH_MAX + 64];
        sim_diag_clear(&d);
        d.file = shown;
        d.line = err.line;
        d.col = err.col;
        edge_json_error_format(&err, d.msg, sizeof d.msg);
        sim_diag_format(&d, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        status = SIM_EXIT_USAGE;
        goto done;
    }
    if (rc == EDGE_OK)
        rc = edge_canonical_json(edge_json_doc_root(doc), &canon, &canon_len);
    if (rc != EDGE_OK) {
        fprintf(stderr, "edgesim checksum: %s: %s\n", shown, edge_strerror(rc));
        goto done;
    }

    if (canonical) {
        fwrite(canon, 1, canon_len, stdout);
        fputc('\n', stdout);
    } else {
        char hex[EDGE_DIGEST_HEX_MAX];
        if ((rc = edge_digest_hex(algo, canon, canon_len, hex)) != EDGE_OK) {
            fprintf(stderr, "edgesim checksum: %s: %s\n", edge_digest_name(algo),
                    edge_strerror(rc));
            goto done;
        }
        printf("%s\n", hex);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "edgesim checksum: cannot write the output: %s\n", strerror(errno));
        goto done;
    }
    status = SIM_EXIT_OK;
done:
    edge_json_doc_free(doc);
    free(canon);
    free(text);
    return status;
}
