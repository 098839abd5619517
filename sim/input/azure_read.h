/*
 * azure_read.h — what the two Azure trace readers share (private to
 * sim/input/azure*.c; the API is azure.h): bounded lines split into fields
 * in place, error lines at file:line:column, number parsing, the function
 * and app tables, selection and handing the result over.
 *
 * azure_read.c holds these; azure2019.c and azure2021.c the two formats.
 * Errors follow one rule: a function that can fail returns -1 with one line
 * in the rd's err (or 1 for "skip this row" when skip_errors is on), never
 * prints, never aborts.
 */
#ifndef SIM_INPUT_AZURE_READ_H
#define SIM_INPUT_AZURE_READ_H

#include <stdint.h>
#include <stdio.h>

#include "input/azure.h"

#define MINUTE ((edge_time)60 * EDGE_S)

/* Where reading is: the file and line for error lines, where they go, and
 * whether a malformed row is skipped (and counted in *skipped) instead. */
typedef struct rd {
    const char *file;
    size_t line;
    char *err;
    size_t errlen;
    int skip;
    uint64_t *skipped;
} rd;


/* One line's fields, split in place at commas. */
typedef struct fields {
    char **v;     /* field starts (NUL-terminated in place) */
    size_t *col;  /* 1-based columns */
    size_t *len;
    size_t n, cap;
} fields;

/* An open trace file and its line buffer (owned; az_close_lines frees it). */
typedef struct lines {
    FILE *fp;
    char *buf;
    size_t cap;
} lines;

/* An open-addressing table of indexes (into state's fns or apps). */
typedef struct table {
    size_t *slot; /* index + 1; 0 = empty */
    size_t cap;   /* power of two */
} table;

/* An app (owner, app): its functions' count, memory and sampling rank. */
typedef struct app {
    char *owner, *app;
    uint64_t key;
    unsigned nfns;
    int has_memory;
    double memory_mb;
    uint64_t rank;
} app;

/* Everything read so far: the functions (owned until az_finish hands them
 * over), their apps, both tables and the field buffer. az_state_free frees
 * what is left. */
typedef struct state {
    sim_az_function *fns;
    size_t n, cap;
    size_t *fn_app;     /* per function: its app's index */
    uint32_t *last_day; /* per function: day + 1 of its last row (duplicates) */
    table ft;
    app *apps;
    size_t napps, acap;
    table at;
    fields f;
} state;

/* A malformed value at column col: 1 when the row is to be skipped
 * (skip_errors, counted), -1 when reading stops (r->err set). */
__attribute__((format(printf, 3, 4))) int az_bad_at(rd *r, size_t col, const char *fmt, ...);
/* "out of memory while reading the trace" into err; returns -1. */
int az_oom(char *err, size_t errlen);
/* A short quoted, escaped rendering of s[0..n) into buf, for "found ...". */
const char *az_q(const char *s, size_t n, char *buf, size_t cap);

/* Splits line in place into f (grown as needed): 0, or -1 out of memory. */
int az_split(fields *f, char *line);
/* Opens r->file into l: 0, or -1 with r->err set. */
int az_open_lines(lines *l, rd *r);
/* The next line into l->buf (r->line counts it): 1, 0 at the end, -1 on an
 * error (r->err set: unreadable, out of memory, too long, a NUL byte). */
int az_next_line(lines *l, rd *r);
/* Closes l and frees its buffer. */
void az_close_lines(lines *l);

/* A count: digits only, fits 32 bits. 0, or -1. */
int az_parse_count(const char *s, size_t n, uint32_t *out);
/* A finite number (decimals and scientific notation allowed). 0, or -1. */
int az_parse_real(const char *s, size_t n, double *out);
/* A finite number >= 0. 0, or -1. */
int az_parse_nonneg(const char *s, size_t n, double *out);

/* A data row must have the header's width: 0 when it has, else what
 * az_bad_at returns. */
int az_check_width(rd *r, const fields *f, size_t width);
/* The index of the header column named name, or -1. */
int az_find_col(const fields *h, const char *name);
/* Every one of names[0..n) as a header column into cols: 0, or -1 naming
 * the first missing one. */
int az_need_cols(rd *r, const fields *h, const char *const *names, size_t n, int *cols);

/* The hash of (owner, app, function); func NULL: of the app alone. */
uint64_t az_key3(const char *owner, const char *app_id, const char *func);
/* Function (o, a, f) with key k, or SIZE_MAX. */
size_t az_fn_find(const state *s, uint64_t k, const char *o, const char *a, const char *f);
/* App (o, a) with key k, or SIZE_MAX. */
size_t az_app_find(const state *s, uint64_t k, const char *o, const char *a);
/* Finds or adds function (o, a, f) (and its app); its index, or SIZE_MAX
 * out of memory. */
size_t az_fn_add(state *s, const char *o, const char *a, const char *f);

/* Keeps the functions o selects (sample_apps, sample_functions, top), in
 * file order: 0, or -1 out of memory. */
int az_select_fns(state *s, const sim_az_options *o);
/* Moves the selected functions into out, with the counts; seen is how many
 * the files named. */
void az_finish(state *s, sim_az_trace *out, size_t seen);
/* Frees what s still owns. */
void az_state_free(state *s);

#endif
