/*
 * csv.h — a streaming reader for the CSV files edgesim writes.
 *
 * The outputs of a run (docs/outputs.md) are plain CSV: a header line naming
 * the columns, then one record per line, fields separated by commas, no
 * quoting (ids never contain commas, quotes or newlines), "\n" or "\r\n"
 * line ends. This reader reads one line at a time into a fixed buffer, so
 * memory stays flat on a node_series.csv of millions of rows; a line longer
 * than SIM_CSV_LINE_MAX is an error, not a reason to grow.
 *
 * Columns are found by name, never by position: a file with extra columns
 * (new columns are only ever appended) reads the same. Every error is one
 * line naming the file, the line and what was expected:
 *     run/timeseries.csv:12: column "arrivals": expected a number, found "x"
 * and goes into the caller's buffer; nothing is printed.
 */
#ifndef SIM_CSV_H
#define SIM_CSV_H

#include <stddef.h>

/* Longest line accepted, newline included: far above any line edgesim
 * writes (ids are short), small enough to live on the heap once per file. */
#define SIM_CSV_LINE_MAX 65536
/* Most columns in a header; outputs have at most a few dozen. */
#define SIM_CSV_MAX_FIELDS 256

typedef struct sim_csv sim_csv;

/* Opens path and reads its header line. Returns the reader, or NULL with a
 * one-line message in err ("PATH: cannot open: No such file or directory",
 * "PATH:1: expected a header line, found an empty file"). The path is
 * copied. Free with sim_csv_close. */
sim_csv *sim_csv_open(const char *path, char *err, size_t errlen);

/* Index of the header column called name, or -1. */
int sim_csv_col(const sim_csv *c, const char *name);

/* Looks up n column names at once into idx[]. Returns 0, or -1 with
 * "PATH:1: expected a column "NAME" in the header" in err for the first
 * missing one. */
int sim_csv_require(const sim_csv *c, const char *const *names, int *idx, size_t n, char *err,
                    size_t errlen);

/* Reads the next record. Returns 1 with the record's fields available,
 * 0 at the end of the file, -1 with a message in err (a line too long, a
 * record with another number of fields than the header, a read error).
 * Empty lines are skipped. */
int sim_csv_next(sim_csv *c, char *err, size_t errlen);

/* Field i of the current record ("" for an empty field). Valid until the
 * next sim_csv_next. i must be below sim_csv_nfields. */
const char *sim_csv_field(const sim_csv *c, int i);

/* Number of columns (of the header, and so of every record). */
int sim_csv_nfields(const sim_csv *c);

/* 1-based line number of the current record (the header is line 1). */
size_t sim_csv_line(const sim_csv *c);

/* The path given to sim_csv_open. */
const char *sim_csv_path(const sim_csv *c);

/* Field col of the current record as a finite number into *out. An empty
 * field gives -1 unless allow_empty, in which case *out is NAN and 0 is
 * returned. Errors: -1 with "PATH:LINE: column "NAME": expected a number,
 * found "TEXT"" in err. */
int sim_csv_double(const sim_csv *c, int col, int allow_empty, double *out, char *err,
                   size_t errlen);

/* Closes the file and frees c. NULL is fine. */
void sim_csv_close(sim_csv *c);

#endif
