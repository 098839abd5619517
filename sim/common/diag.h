/*
 * diag.h — one diagnostic about bad input, in the form every edgesim error
 * line takes:
 *
 *     FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT
 *
 * Parsers fill the parts they know (a distribution parser knows the path and
 * the expectation; the scenario reader adds file, line and column from the
 * JSON position map). The caller owns the struct; nothing here allocates.
 */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#define SIM_DIAG_PATH_MAX 256 /* JSON paths longer than this are cut with "..." */
#define SIM_DIAG_MSG_MAX 512

typedef struct sim_diag {
    const char *file; /* borrowed; NULL when there is no file (stdin, --set) */
    int line, col;    /* 1-based; 0 when unknown */
    char path[SIM_DIAG_PATH_MAX]; /* "functions[2].timeout"; "" for the root */
    char msg[SIM_DIAG_MSG_MAX];   /* "expected a duration such as \"3s\", found -5" */
} sim_diag;

/* Clears d to "no error". */
void sim_diag_clear(sim_diag *d);

/* Sets d's path and printf-style message (file, line and col untouched).
 * path may be NULL for the root. Returns -1 so parsers can `return
 * sim_diag_set(...)`. */
int sim_diag_set(sim_diag *d, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats d as one line (no newline) into buf: the parts that are unknown
 * are left out ("x.json: functions[2]: ..." without line, "functions: ..."
 * without file). Returns what snprintf returns. */
int sim_diag_format(const sim_diag *d, char *buf, size_t n);

/* Appends the JSON path of a child to parent into out: key children as
 * "parent.key" (or "key" at the root), array children as "parent[i]".
 * key NULL means an array index. */
void sim_diag_path_child(char *out, size_t n, const char *parent, const char *key, size_t index);

/* Writes number v for the "found" part into buf (n bytes): the shortest
 * form that reads back as v ("0.1", "250", "1e-07"), integers without a
 * fraction, and a value JSON cannot hold (cJSON reads 1e400 as infinity) as
 * "1e999", "-1e999" or "NaN", so a message shows what the file could have
 * said. Every parser renders numbers this way, but the scenario reader
 * shows such a number's own text (sc_json_keep_literal). */
void sim_diag_number(char *buf, size_t n, double v);

/* Most bytes of a number's own text a reader keeps for sim_diag_number_text. */
#define SIM_DIAG_LITERAL_MAX 40

/* The same for a number read from JSON whose text the reader kept (text
 * non-NULL: its double is not what it says, sc_json_keep_literal): the text
 * itself, "..." when it was cut at SIM_DIAG_LITERAL_MAX bytes, and " (0 in
 * double precision)" when v is 0; text NULL: sim_diag_number. */
void sim_diag_number_text(char *buf, size_t n, double v, const char *text);

#endif
