#include "input/csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"

struct sim_csv {
    FILE *fp;
    char *path;
    size_t line;
    int nfields;
    char *header;                        /* the header line, split in place */
    char *names[SIM_CSV_MAX_FIELDS];     /* into header */
    char *buf;                           /* the current record, split in place */
    const char *fields[SIM_CSV_MAX_FIELDS];
};

/* Reads one line into c->buf without its line end. Returns 1, 0 at EOF,
 * -1 on error (err filled). A getc loop rather than fgets, so that a NUL
 * byte or an over-long line is seen and named instead of silently cutting
 * the line. */
static int read_line(sim_csv *c, char *err, size_t errlen)
{
    size_t len = 0;
    int ch;
    while ((ch = getc_unlocked(c->fp)) != EOF && ch != '\n') {
        if (ch == '\0') {
            snprintf(err, errlen, "%s:%zu: expected text, found a NUL byte", c->path,
                     c->line + 1);
            return -1;
        }
        if (len == SIM_CSV_LINE_MAX - 1) {
            snprintf(err, errlen, "%s:%zu: expected a line of at most %d bytes, found line %zu "
                                  "longer than %d bytes",
                     c->path, c->line + 1, SIM_CSV_LINE_MAX - 1, c->line + 1, SIM_CSV_LINE_MAX - 1);
            return -1;
        }
        c->buf[len++] = (char)ch;
    }
    if (ch == EOF && ferror(c->fp)) {
        snprintf(err, errlen, "%s:%zu: read error: %s", c->path, c->line + 1, strerror(errno));
        return -1;
    }
    if (ch == EOF && len == 0)
        return 0;
    c->line++;
    if (len && c->buf[len - 1] == '\r')
        len--;
    c->buf[len] = '\0';
    return 1;
}

/* Splits s at commas into out[]; returns the number of fields, or -1 when
 * there are more than max. */
static int split(char *s, const char **out, int max)
{
    int n = 0;
    for (;;) {
        if (n == max)
            return -1;
        out[n++] = s;
        char *comma = strchr(s, ',');
        if (!comma)
            return n;
        *comma = '\0';
        s = comma + 1;
    }
}

sim_csv *sim_csv_open(const char *path, char *err, size_t errlen)
{
    sim_csv *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path)) || !(c->buf = malloc(SIM_CSV_LINE_MAX))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    char why[128];
    c->fp = sim_open_regular(path, why, sizeof why, NULL);
    if (!c->fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, why);
        goto fail;
    }
    int r = read_line(c, err, errlen);
    if (r < 0)
        goto fail;
    if (r == 0 || c->buf[0] == '\0') {
        snprintf(err, errlen, "%s:1: expected a header line naming the columns, found %s", path,
                 r == 0 ? "an empty file" : "an empty line");
        goto fail;
    }
    if (!(c->header = strdup(c->buf))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    c->nfields = split(c->header, (const char **)c->names, SIM_CSV_MAX_FIELDS);
    if (c->nfields < 0) {
        snprintf(err, errlen, "%s:1: expected at most %d columns in the header", path,
                 SIM_CSV_MAX_FIELDS);
        goto fail;
    }
    return c;
fail:
    sim_csv_close(c);
    return NULL;
}

void sim_csv_close(sim_csv *c)
{
    if (!c)
        return;
    if (c->fp)
        fclose(c->fp);
    free(c->path);
    free(c->header);
    free(c->buf);
    free(c);
}

int sim_csv_col(const sim_csv *c, const char *name)
{
    for (int i = 0; i < c->nfields; i++)
        if (!strcmp(c->names[i], name))
            return i;
    return -1;
}

int sim_csv_require(const sim_csv *c, const char *const *names, int *idx, size_t n, char *err,
                    size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        idx[i] = sim_csv_col(c, names[i]);
        if (idx[i] < 0) {
            snprintf(err, errlen, "%s:1: expected a column \"%s\" in the header", c->path,
                     names[i]);
            return -1;
        }
    }
    return 0;
}

int sim_csv_next(sim_csv *c, char *err, size_t errlen)
{
    for (;;) {
        int r = read_line(c, err, errlen);
        if (r <= 0)
            return r;
        if (c->buf[0] == '\0')
            continue;
        int n = split(c->buf, c->fields, SIM_CSV_MAX_FIELDS);
        if (n != c->nfields) {
            snprintf(err, errlen, "%s:%zu: expected %d comma-separated fields as in the header, "
                                  "found %s%d",
                     c->path, c->line, c->nfields, n < 0 ? "more than " : "",
                     n < 0 ? SIM_CSV_MAX_FIELDS : n);
            return -1;
        }
        return 1;
    }
}

const char *sim_csv_field(const sim_csv *c, int i)
{
    return c->fields[i];
}

int sim_csv_nfields(const sim_csv *c)
{
    return c->nfields;
}

size_t sim_csv_line(const sim_csv *c)
{
    return c->line;
}

const char *sim_csv_path(const sim_csv *c)
{
    return c->path;
}

int sim_csv_double(const sim_csv *c, int col, int allow_empty, double *out, char *err,
                   size_t errlen)
{
    const char *s = c->fields[col];
    if (s[0] == '\0' && allow_empty) {
        *out = NAN;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (s[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v) ||
        isspace((unsigned char)s[0])) {
        char shown[4 * SIM_EXCERPT_MAX + 8];
        sim_excerpt(shown, sizeof shown, s, strlen(s));
        snprintf(err, errlen, "%s:%zu: column \"%s\": expected a number, found %s", c->path,
                 c->line, c->names[col], shown);
        return -1;
    }
    *out = v;
    return 0;
}
