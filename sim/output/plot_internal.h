/*
 * plot_internal.h — what sim/output/plot.c (reading a run, drawing) and
 * sim/output/plot_html.c (the report) share. Not part of the program's interface;
 * the names carry the double underscore of internal, non-static symbols.
 */
#ifndef SIM_PLOT_INTERNAL_H
#define SIM_PLOT_INTERNAL_H

#include <cJSON.h>
#include <stdarg.h>
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

/* Appends s with & < > " ' as HTML entities and control characters as
 * spaces. */
void sim__sb_html(sim__sb *b, const char *s);

/* Appends an SVG document as an element to inline into HTML: the XML
 * prologue before "<svg" is dropped, every id, "#id" reference and url(#id)
 * inside tags gets prefix, so several gnuplot SVGs (which all use the same
 * ids) can share one page, and gnuplot's "<title>Gnuplot</title>" becomes
 * title (escaped). Returns 0, or -1 when svg has no "<svg" element. */
int sim__svg_inline(sim__sb *b, const char *svg, const char *prefix, const char *title);

/* One picture of the report. */
typedef struct sim__plot_fig {
    const char *name;    /* "latency_cdf" */
    const char *caption; /* what it shows, plain text */
    char *svg;           /* the SVG text (owned by the caller), NULL if not drawn */
} sim__plot_fig;

/* Writes path (report.html) atomically: heading from summary (may be NULL),
 * the key figures, outcomes, functions, then each figure. note, when not
 * NULL, is shown above the figures (e.g. why there are none). Returns 0, or
 * -1 with a message in err. */
int sim__plot_write_report(const char *path, const char *run_name, const cJSON *summary,
                           const sim__plot_fig *figs, size_t nfigs, const char *note, char *err,
                           size_t errlen);

/* Formats a latency in seconds for people: "850 us", "71.8 ms", "1.40 s". */
void sim__fmt_latency(char *buf, size_t n, double seconds);
/* Formats a count with thousands separators: "529,533". */
void sim__fmt_count(char *buf, size_t n, double count);

#endif
