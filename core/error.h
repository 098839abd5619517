/*
 * error.h — the one error vocabulary of libedgecore.
 *
 * Every fallible core call returns an edge_err: EDGE_OK (0) on success, a
 * negative code otherwise, and leaves every object it was handed as it was
 * (no half-applied changes). Codes and messages come from one X-macro table,
 * so they cannot drift apart (libuv's UV_ERRNO_MAP is the pattern).
 *
 * Detail that a code cannot carry (which function, which file and line) goes
 * into an error object the caller owns, never into a global:
 * edge_exec_error for invocations here, sim_diag in sim/ for input files.
 */
#ifndef EDGE_ERROR_H
#define EDGE_ERROR_H

#define EDGE_ERRNO_MAP(X)                                                      \
    X(OK, 0, "success")                                                        \
    X(NOMEM, -1, "out of memory")                                              \
    X(INVAL, -2, "invalid argument")                                           \
    X(NOT_FOUND, -3, "no such id")                                             \
    X(EXISTS, -4, "id already exists")                                         \
    X(DRAINING, -5, "node is draining")                                        \
    X(CAPABILITY, -6, "node lacks a required capability")                      \
    X(NO_ELIGIBLE, -7, "no eligible node")                                     \
    X(NOT_DEPLOYED, -8, "function is not deployed here")                       \
    X(NO_CAPACITY, -9, "not enough memory on the node")                        \
    X(HANDLER, -10, "function handler failed")                                 \
    X(TIMEOUT, -11, "function timeout exceeded")                               \
    X(STATE, -12, "object is not in a state that allows this")                 \
    X(PARSE, -13, "malformed input")                                           \
    X(RANGE, -14, "value out of range")                                        \
    X(CHECKSUM, -15, "checksum mismatch")                                      \
    X(CRYPTO, -16, "digest computation failed")                                \
    X(LIMIT, -17, "a documented limit was exceeded")                           \
    X(INSTANCE_LIMIT, -18, "function is at its instance limit on this node")

typedef enum {
#define EDGE__ERR_ENUM(name, code, msg) EDGE_##name = code,
    EDGE_ERRNO_MAP(EDGE__ERR_ENUM)
#undef EDGE__ERR_ENUM
} edge_err;

/* The message for code, a static string; "unknown error" for codes outside
 * the table. Never NULL. */
const char *edge_strerror(edge_err code);

/* The code's symbolic name without prefix ("NOT_FOUND"); "UNKNOWN" outside
 * the table. Never NULL. */
const char *edge_errname(edge_err code);

#endif
