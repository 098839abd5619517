/*
 * loadfile.h — reading a whole file into memory, bounded before the first
 * byte is read.
 *
 * Tools that read finished outputs back (compare's summary.json and runs.csv)
 * load them whole. A path can name anything: /dev/zero, a FIFO that never
 * ends, a directory, a 1 GiB file written by mistake. So the file is opened
 * without blocking, checked with fstat to be a regular file no larger than the
 * caller's cap, and read with the cap enforced again while reading (a file
 * that grows meanwhile is refused, never read unbounded). Every failure is one
 * line in the caller's buffer: "PATH: expected ..., found ..." or
 * "PATH: strerror" or "PATH: out of memory reading 12.0 MiB".
 */
#ifndef SIM_LOADFILE_H
#define SIM_LOADFILE_H

#include <stddef.h>
#include <stdint.h>

/* What a failed load was: the caller may tell a missing file apart. */
typedef enum sim_load_error {
    SIM_LOAD_OK = 0,
    SIM_LOAD_OPEN,     /* open(2) or read(2) failed; errno's text in the message */
    SIM_LOAD_NOT_FILE, /* a directory, device, FIFO or socket */
    SIM_LOAD_TOO_BIG,  /* larger than the cap */
    SIM_LOAD_NOMEM     /* the buffer could not be allocated */
} sim_load_error;

/* Reads the regular file at path, at most cap bytes, into a malloc'd buffer
 * with a '\0' after the last byte (the file may hold NULs too: use *len).
 * On success returns SIM_LOAD_OK, sets *out (the caller frees it) and *len.
 * On failure returns the kind, leaves *out NULL, and writes one line without
 * a trailing newline into err (truncated to errlen), naming path. */
sim_load_error sim_load_file(const char *path, size_t cap, char **out, size_t *len, char *err,
                             size_t errlen);

/* Sizes in its messages are written by sim_bytes_format (common/textfile.h). */

#endif
