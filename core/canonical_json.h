/*
 * canonical_json.h — the canonical text of a JSON value: byte for byte what
 * Python writes with json.dumps(data, sort_keys=True), so that a Python
 * peer hashing its copy of the data gets the same digest.
 *
 * The rules, all Python's:
 *   - separators ", " and ": ", no other white space;
 *   - object keys sorted by code point; a repeated key keeps its last value
 *     (Python's dict), whatever order the tree holds them in;
 *   - strings with ensure_ascii: '"' and '\' and \b \f \n \r \t as short
 *     escapes, other characters below U+0020 and U+007F upwards as lowercase
 *     \u00XX, characters above U+FFFF as a surrogate pair, '/' as is;
 *   - integers (json.h: a number with an integer literal) exactly as their
 *     literal, "-0" as "0"; every other number is a float written as
 *     Python's repr: the shortest digits that read back to the same double,
 *     the nearest to it when several have that length; exponent form below
 *     1e-4 and from 1e16 up ("1e-05", "1e+16", "1.0", "-0.0",
 *     "0.30000000000000004", "5e-324"); NaN, Infinity, -Infinity.
 *
 * Floats. The shortest digits come from an exact big-integer method
 * (Steele & White / Dragon4 in its free-format form, as refined by Burger &
 * Dybvig): value, lower and upper rounding boundary as exact fractions r/s,
 * (r - m-)/s, (r + m+)/s, digits generated until one rounding direction stays
 * inside the boundaries, which are included only when the significand is even
 * (a reader rounds half to even). A power of two has a lower boundary half as
 * far, which is why 2^-24 is 5.960464477539063e-08 and not ...062e-08. It
 * costs a few microseconds a number (1100-bit integers at the extremes); an
 * integral double below 2^53 takes an exact shortcut. Rejected: "print with
 * more digits until it reads back" (wrong on powers of two), Grisu (needs a
 * fallback anyway), Ryu (large generated tables for a path that is not hot).
 */
#ifndef EDGE_CANONICAL_JSON_H
#define EDGE_CANONICAL_JSON_H

#include <stddef.h>

#include <cJSON.h>

#include "error.h"

/* Room for any double formatted by edge_json_format_double, NUL included
 * ("-2.2250738585072014e-308" is 24 characters). */
#define EDGE_JSON_DOUBLE_MAX 32

/*
 * The canonical text of value into *out, NUL-terminated, its length (without
 * the NUL) into *len when len is not NULL. The caller frees *out with free().
 * value is only read.
 * Errors (*out untouched): EDGE_INVAL when value or out is NULL, or the tree
 * holds something Python could not have produced: a raw or invalid item, a
 * member without a key, a string that is not UTF-8 in json.h's sense;
 * EDGE_LIMIT when nested deeper than EDGE_JSON_DEPTH_MAX; EDGE_NOMEM.
 * Cost: linear in the output, plus k log k per object of k members.
 */
edge_err edge_canonical_json(const cJSON *value, char **out, size_t *len);

/*
 * Formats v as Python's json.dumps writes a float (repr; NaN, Infinity,
 * -Infinity for the rest) into buf, NUL-terminated. Returns the length.
 */
size_t edge_json_format_double(double v, char buf[EDGE_JSON_DOUBLE_MAX]);

#endif
