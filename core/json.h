/*
 * json.h — JSON documents read the way Python's json module reads them, as
 * cJSON trees, plus what cJSON lacks: exact numbers, errors with a position,
 * and the position of every value for later diagnostics.
 *
 * Design. edge_json_parse runs two passes over the text:
 *   1. A strict scanner (RFC 8259 plus Python's NaN / Infinity / -Infinity)
 *      checks UTF-8, tokens and nesting, and records every value in document
 *      order. It exists because cJSON is lenient where Python is not (it
 *      takes "01", "1.", "-.5", raw control characters in strings, any byte
 *      <= 0x20 as white space, a byte order mark) and strict where Python is
 *      not (numbers longer than 63 characters, lone surrogate escapes, NaN).
 *      The first error in document order is reported with its line, column
 *      and what was expected and found, derived from the scanner's state:
 *      "expected ',' or '}' after an object member, found 'x'".
 *   2. cJSON builds the tree from the same text; the few tokens it cannot
 *      read are first blanked out (same length, so offsets hold). A pre-order
 *      walk of the tree then pairs item i with recorded value i, attaches
 *      each number's source literal, decodes the blanked strings itself,
 *      and records each item's line and column in a table sorted by item
 *      address (24 bytes per value; lookup by binary search). Finally a
 *      repeated key keeps only its last value, as Python's dict does.
 *
 * Numbers. cJSON keeps a number as a double. Here a number item also owns
 * its literal in `valuestring` ("18446744073709551616", "1.0", "NaN");
 * cJSON_Delete frees valuestring for every non-reference item whatever its
 * type, cJSON_Duplicate copies it, cJSON_Print and cJSON_Compare ignore it.
 * A number is an *integer* when its literal matches -?(0|[1-9][0-9]*) and
 * still agrees with valuedouble; integers are exact at any size and "-0" is
 * the integer 0, as in Python. Every other number is a *float* whose value
 * is valuedouble: 1 and 1.0 are different documents. A number item without
 * a literal (cJSON_CreateNumber) is a float; build integers with
 * edge_json_int. A literal left stale by cJSON_SetNumberValue is ignored (the
 * item becomes a float of its new value): change numbers with the
 * constructors here, never silently lose precision.
 *
 * Strings are UTF-8, with two extensions so that every string Python can
 * read has a C form: U+0000 ("\u0000") is stored as the two bytes C0 80
 * (Modified UTF-8, as Java does, so C strings never end early) and an
 * unpaired surrogate escape ("\ud800") as its three-byte form ED A0 80 (as
 * WTF-8 does). A valid pair of escapes is one code point, as in Python.
 * Input that is not UTF-8 is rejected, as Python's open() rejects it.
 *
 * Thread safety: everything here is reentrant; cJSON's parser itself writes
 * a global error pointer we never read (cJSON's own README warns about it).
 */
#ifndef EDGE_JSON_H
#define EDGE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "error.h"

/* Largest input accepted, in bytes. Documents are configuration and sync
 * state, not bulk data; the tree costs about 100 bytes per value on top of
 * the text, so this bounds memory at a few GiB in the worst case. */
#define EDGE_JSON_INPUT_MAX ((size_t)32 << 20)

/* Deepest nesting of arrays and objects accepted. Below cJSON's own
 * CJSON_NESTING_LIMIT (1000, "to prevent stack overflows") and below the
 * depth at which Python's json hits its recursion limit (about 990), so
 * every document accepted here has a Python checksum too. */
#define EDGE_JSON_DEPTH_MAX 512

/* Most digits in an integer literal: Python's default
 * sys.int_info.default_max_str_digits, past which json.load fails. */
#define EDGE_JSON_INT_DIGITS_MAX 4300

#define EDGE_JSON_WHAT_MAX 112

/* What went wrong in edge_json_parse. The caller owns it; nothing here
 * allocates. For EDGE_PARSE and EDGE_LIMIT every field is set; for other
 * codes (EDGE_NOMEM, EDGE_INVAL) line and col are 0 and expected/found "". */
typedef struct edge_json_error {
    edge_err code;
    size_t offset; /* byte offset of the problem in the text */
    int line, col; /* 1-based; col counts characters (code points), not bytes */
    char expected[EDGE_JSON_WHAT_MAX]; /* "',' or '}' after an object member" */
    char found[EDGE_JSON_WHAT_MAX];    /* "'x'", "end of input", "string \"b\"" */
} edge_json_error;

/* Formats e's message without position: "expected X, found Y", or the
 * code's message when there is no expectation. Returns what snprintf returns. */
int edge_json_error_format(const edge_json_error *e, char *buf, size_t n);

/* A position in the source text; {0, 0} when unknown. */
typedef struct edge_json_pos {
    int line, col; /* 1-based; col counts characters */
} edge_json_pos;

/* A parsed document: the cJSON tree and the source position of every item. */
typedef struct edge_json_doc edge_json_doc;

/*
 * Parses text[0..len) (need not be NUL-terminated) into *out.
 * Accepts what Python's json.load accepts from a UTF-8 file: exactly one
 * value, white space only " \t\n\r", NaN, Infinity and -Infinity, numbers that
 * overflow to infinity ("1e400"), lone surrogate escapes, "\u0000".
 * Errors (err filled when not NULL, *out untouched):
 *   EDGE_PARSE  not JSON (empty input, trailing data, bad UTF-8 or a byte
 *               order mark included);
 *   EDGE_LIMIT  longer than EDGE_JSON_INPUT_MAX, deeper than
 *               EDGE_JSON_DEPTH_MAX, an integer of more than
 *               EDGE_JSON_INT_DIGITS_MAX digits;
 *   EDGE_INVAL  text or out NULL;  EDGE_NOMEM;
 *   EDGE_STATE  cJSON built a tree the scanner did not describe (a bug
 *               here, never expected; reported rather than asserted).
 * The caller frees *out with edge_json_doc_free. Cost: linear in len, plus
 * n log n in the number of values for the position table.
 */
edge_err edge_json_parse(const char *text, size_t len, edge_json_doc **out,
                         edge_json_error *err);

/* Frees doc and, unless it was taken, its tree. Accepts NULL. */
void edge_json_doc_free(edge_json_doc *doc);

/* The tree, borrowed from doc (NULL after edge_json_doc_take_root). The
 * caller may change it; positions stay right for items that stay. */
cJSON *edge_json_doc_root(const edge_json_doc *doc);

/* Hands the tree to the caller, who then frees it with cJSON_Delete. The
 * doc keeps answering position queries for items of that tree as long as
 * they live. Returns NULL when already taken. */
cJSON *edge_json_doc_take_root(edge_json_doc *doc);

/*
 * Where item starts in the source (its first character: '{', '"', a digit),
 * and, when key_pos is not NULL, where its key starts if it is an object
 * member ({0, 0} otherwise). pos may be NULL too.
 * Errors: EDGE_NOT_FOUND when item was not parsed as part of doc or was
 * dropped as a repeated key (an item created later gets no position; one
 * created after you delete parsed items may reuse an address, so ask before
 * changing the tree); EDGE_INVAL for NULL doc or item.
 */
edge_err edge_json_doc_pos(const edge_json_doc *doc, const cJSON *item, edge_json_pos *pos,
                           edge_json_pos *key_pos);

/* How many members were dropped because a later member repeated their key,
 * and (when first is not NULL and the count is not 0) where the first
 * dropped key was. Lets a stricter reader reject what Python accepts. */
size_t edge_json_doc_duplicate_keys(const edge_json_doc *doc, edge_json_pos *first);

/* ---- numbers ---------------------------------------------------------- */

/* A new integer item with value v. NULL when out of memory. The caller owns
 * it (cJSON_Delete, or add it to a tree). */
cJSON *edge_json_int(int64_t v);

/* A new integer item for a decimal literal of any size, "-?(0|[1-9][0-9]*)"
 * with at most EDGE_JSON_INT_DIGITS_MAX digits; valuedouble is its nearest
 * double. NULL when lit is not such a literal or out of memory. */
cJSON *edge_json_int_literal(const char *lit);

/* A new float item (any double, NaN and infinities included), the same as
 * cJSON_CreateNumber: it has no literal. NULL when out of memory. */
cJSON *edge_json_float(double v);

/* True when item is an integer number as defined above. */
bool edge_json_is_int(const cJSON *item);

/* The exact integer value of item into *out.
 * Errors: EDGE_INVAL when item is not an integer; EDGE_RANGE when it does
 * not fit in int64_t. *out is written only on success. */
edge_err edge_json_get_int(const cJSON *item, int64_t *out);

/* The literal attached to a number item (borrowed, lives as long as the
 * item), NULL when item is not a number or has none. */
const char *edge_json_number_literal(const cJSON *item);

/* ---- strings ---------------------------------------------------------- */

/*
 * Decodes the character at s[0..n) of an edge JSON string (UTF-8 with the
 * two extensions above) into *cp. Returns its length in bytes (1 to 4), or 0
 * when s does not start with a valid character (overlong forms other than
 * C0 80, bytes F5..FF, truncated sequences, code points above U+10FFFF).
 */
int edge_json_decode_char(const char *s, size_t n, uint32_t *cp);

/* ---- changes ---------------------------------------------------------- */

/*
 * Applies an RFC 7386 JSON merge patch to *target: an object patch sets its
 * members recursively and removes those whose value is null; any other patch
 * replaces the target. *target may be NULL (no document yet). On success
 * *target is the result (possibly a new root; the old one is freed); patch
 * is only read, and the result holds copies of its values. Works on a copy,
 * so on error *target is as it was.
 * Errors: EDGE_INVAL when target or patch is NULL; EDGE_NOMEM.
 */
edge_err edge_json_merge_patch(cJSON **target, const cJSON *patch);

#endif
