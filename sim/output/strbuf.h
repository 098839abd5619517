/*
 * strbuf.h — a growable string and the formats people read: what the plots
 * (gnuplot scripts) and the HTML report both build text with. Internal to
 * sim/output; the names carry the double underscore of internal symbols.
 */
#ifndef SIM_STRBUF_H
#define SIM_STRBUF_H

#include <stddef.h>

/* A growable string. Out of memory sets oom and keeps what was there;
 * callers check oom once at the end. Zero-initialise; free with
 * sim__sb_free. */
typedef struct sim__sb {
    char *s;
    size_t len, cap;
    int oom;
} sim__sb;

void sim__sb_add(sim__sb *b, const char *s);
void sim__sb_addn(sim__sb *b, const char *s, size_t n);
void sim__sb_printf(sim__sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim__sb_free(sim__sb *b);

/* Appends s as a gnuplot single-quoted string ('' for a quote). */
void sim__sb_gpstr(sim__sb *b, const char *s);
/* Appends the gnuplot assignment "name = 's'" and a newline. */
void sim__sb_gpvar(sim__sb *b, const char *name, const char *value);

/* Formats a latency in seconds for people: "850 us", "71.8 ms", "1.40 s". */
void sim__fmt_latency(char *buf, size_t n, double seconds);
/* Formats a count with thousands separators: "529,533". */
void sim__fmt_count(char *buf, size_t n, double count);

#endif
