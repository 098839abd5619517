/*
 * textfile.h — reading files that users (or attackers) name: bounded lines,
 * regular files only, sizes in human units, short excerpts in errors.
 *
 * Every reader of a file a scenario names (a CSV workload, an Azure trace, a
 * Google machine-events table, a run's CSV outputs) goes through these, so
 * one rule holds for all of them:
 *   - a line is at most a documented number of bytes; a longer one (a file of
 *     /dev/zero, a binary) is an error after reading that many bytes, never
 *     a reason to grow the buffer without bound;
 *   - a file is opened only when it is a regular file: a directory, a device
 *     or a FIFO is refused at open, by fstat on the opened descriptor (no
 *     window between the check and the read);
 *   - allocation failure is reported as such, never taken for end of file;
 *   - an error that quotes the file's contents quotes at most
 *     SIM_EXCERPT_MAX characters of one field, escaped (so a terminal never
 *     sees a control sequence from a file); that bounds what a scenario
 *     naming /etc/passwd learns from an error, it does not make it nothing:
 *     --sandbox-paths (docs/scenario.md) keeps such names out.
 * Nothing here allocates except the line buffer the caller owns.
 */
#ifndef SIM_TEXTFILE_H
#define SIM_TEXTFILE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Longest line (without its line end) a data file reader accepts unless it
 * documents another bound: far above any real row (a CSV timestamp, a
 * machine event), small enough that a hostile file costs nothing. */
#define SIM_LINE_MAX 65536
/* Most characters of a file's contents quoted in an error line. */
#define SIM_EXCERPT_MAX 40

/* What sim_line_read returns besides a length (>= 0). */
#define SIM_LINE_EOF (-1)      /* end of file, nothing read */
#define SIM_LINE_TOO_LONG (-2) /* more than max bytes before the line end */
#define SIM_LINE_NOMEM (-3)    /* the buffer could not grow */
#define SIM_LINE_ERROR (-4)    /* a read error; errno says which */
#define SIM_LINE_BINARY (-5)   /* the line holds a NUL byte: not a text file */

/*
 * Reads one line of fp into *buf (grown as needed, never beyond max + 1
 * bytes; the caller owns it and frees it with free) without its '\n' (a '\r'
 * before it stays). The line is NUL-terminated. Returns its length, or
 * SIM_LINE_EOF, SIM_LINE_TOO_LONG (then the rest of that line is unread),
 * SIM_LINE_NOMEM, SIM_LINE_ERROR, or SIM_LINE_BINARY when the line holds a
 * NUL byte (the whole line is read): every reader of ours splits lines as C
 * strings, and a line cut short at a NUL would be read as another row. A
 * last line without '\n' is a line.
 */
ssize_t sim_line_read(FILE *fp, char **buf, size_t *cap, size_t max);

/*
 * Opens path for reading when it is a regular file. Returns the stream, or
 * NULL with the reason in why (why_len bytes): strerror's text for a file
 * that cannot be opened ("No such file or directory", "Permission
 * denied"), "a directory", "not a regular file (a device, a FIFO or a
 * socket)". When size is not NULL the file's size goes there. A leading
 * UTF-8 byte-order mark (EF BB BF, as spreadsheet programs save CSV) is
 * read past: the stream starts after it, so every reader sees the same
 * text with or without one (line 1's columns count from after it). The
 * caller closes the stream.
 */
FILE *sim_open_regular(const char *path, char *why, size_t why_len, uint64_t *size);

/* Formats a byte count in human units into buf: "512 bytes", "64 KiB",
 * "1 GiB", "1.5 MiB" (one decimal when not whole, binary units). */
void sim_bytes_format(char *buf, size_t n, uint64_t bytes);

/* Quotes s[0..len) for an error line into buf: in double quotes, at most
 * SIM_EXCERPT_MAX characters of it (then "..."), quotes, backslashes and
 * control bytes escaped (\", \\, \xNN), so the excerpt is one printable
 * line whatever the file held. Returns buf. */
const char *sim_excerpt(char *buf, size_t n, const char *s, size_t len);

#endif
