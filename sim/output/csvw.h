/*
 * csvw.h — the number formats of the CSV outputs and a buffered row writer
 * over a FILE. Every number of a CSV cell is formatted once, straight into
 * the writer's buffer, by one of four exact formats:
 *
 *   - integers as their decimal digits;
 *   - times (int64 nanoseconds) as exact decimals of seconds, "12.000500000";
 *   - fixed decimals ("%.3f", "%.6f", "%.9f" columns) as printf writes them,
 *     rounding the double's exact binary value (by exact integer arithmetic,
 *     ties to even; printf itself out of range);
 *   - other doubles by core/canonical_json.h's edge_json_format_double: the
 *     shortest digits that read back as the same double (Python's repr), so
 *     a value read back from the CSV is the one the run held.
 *
 * Why a writer of our own: nodes.csv at a million nodes is a million rows of
 * 40 cells, latency.csv a row per non-empty bucket of every function; printf's
 * generic machinery per cell cost more than building the rows. A row is built
 * in the buffer and handed to fwrite when the buffer fills (64 KiB at a time).
 *
 * Internal to sim/output (the double-underscore names).
 */
#ifndef SIM_CSVW_H
#define SIM_CSVW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/decimal.h" /* sim_put_u64 and the digits, for its users */
#include "time.h"

/* Room a single number needs in the buffer ("%.9f" of 1e300 is 310
 * characters: the printf path bounds it). */
#define SIM__CSVW_NUMBER_MAX 400
#define SIM__CSVW_BUF (64 * 1024)

/* Formats into p (at least SIM__CSVW_NUMBER_MAX bytes of room) and returns
 * the end, without a NUL. */
/* 10^0 .. 10^19: the powers of ten a uint64_t holds. */
extern const uint64_t sim__pow10[20];

char *sim__put_i64(char *p, int64_t v);
char *sim__put_time(char *p, edge_time t);
/* a * 10^k for a finite a >= 0 and -27 <= k <= 27, exactly, in integer
 * arithmetic (no long double: the digits do not depend on the platform's
 * long double, nor on valgrind, which computes it in 53 bits): *q its whole
 * part, *half -1, 0 or 1 as the rest is below, at or above one half.
 * Returns 1; 0 (nothing set) when a is out of that domain or the whole part
 * reaches 2^64. */
int sim__decimal_scale(double a, int k, uint64_t *q, int *half);
/* printf("%.*f", decimals, v), decimals 0..9. */
char *sim__put_fixed(char *p, double v, int decimals);
/* sim__put_fixed((double)num / (double)den, decimals), den > 0: the same
 * text, by integer arithmetic on num and den (the double's rounding can only
 * matter within a hair of a tie: that case goes through sim__put_fixed). */
char *sim__put_ratio(char *p, uint64_t num, uint64_t den, int decimals);
/* The shortest text that reads back as v (edge_json_format_double). */
char *sim__put_double(char *p, double v);

/* A buffered writer over fp (borrowed). Zero-initialise, set fp; rows go in
 * through the calls below; sim__csvw_flush hands what is left to fwrite.
 * Write errors show on fp (ferror), as with stdio. */
typedef struct sim__csvw {
    FILE *fp;
    size_t len;
    char buf[SIM__CSVW_BUF];
} sim__csvw;

/* Makes room for n more bytes (n <= SIM__CSVW_BUF), writing out the buffer
 * when needed; returns where to write. The caller adds what it wrote with
 * sim__csvw_wrote. */
char *sim__csvw_room(sim__csvw *w, size_t n);
static inline void sim__csvw_wrote(sim__csvw *w, const char *end)
{
    w->len = (size_t)(end - w->buf);
}

void sim__csvw_str(sim__csvw *w, const char *s);      /* any length */
void sim__csvw_char(sim__csvw *w, char c);
void sim__csvw_u64(sim__csvw *w, uint64_t v);
void sim__csvw_i64(sim__csvw *w, int64_t v);
void sim__csvw_time(sim__csvw *w, edge_time t);
void sim__csvw_fixed(sim__csvw *w, double v, int decimals);
void sim__csvw_double(sim__csvw *w, double v);
/* Writes out the buffer. */
void sim__csvw_flush(sim__csvw *w);

#endif
