/*
 * linkseries.c — bytes per link per sample interval, bounded (linkseries.h).
 */
#include "net/linkseries.h"

#include <stdlib.h>
#include <string.h>

struct sim_linkseries {
    size_t nlinks;
    size_t rows, cap;   /* rows used (the last may be filling), rows allocated */
    size_t max_rows;    /* SIM_LINKSERIES_CELLS / nlinks, even, at least 2 */
    size_t per, filled; /* samples per row; samples in the last row */
    float *cell;        /* [row * nlinks + link] */
    edge_time *t_end;   /* per row */
};

sim_linkseries *sim_linkseries_create(size_t nlinks)
{
    sim_linkseries *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->nlinks = nlinks ? nlinks : 1;
    s->max_rows = SIM_LINKSERIES_CELLS / s->nlinks;
    s->max_rows &= ~(size_t)1;
    if (s->max_rows < 2)
        s->max_rows = 2;
    s->per = 1;
    return s;
}

void sim_linkseries_free(sim_linkseries *s)
{
    if (!s)
        return;
    free(s->cell);
    free(s->t_end);
    free(s);
}

/* Rows in pairs: row i becomes rows 2i and 2i + 1 (a last odd row stays,
 * half filled); each row now holds twice the samples. */
static void merge(sim_linkseries *s)
{
    size_t n = s->nlinks, out = 0;
    for (size_t r = 0; r < s->rows; r += 2, out++) {
        float *dst = &s->cell[out * n];
        const float *a = &s->cell[r * n];
        if (r + 1 < s->rows) {
            const float *b = &s->cell[(r + 1) * n];
            for (size_t l = 0; l < n; l++)
                dst[l] = a[l] + b[l];
            s->t_end[out] = s->t_end[r + 1];
        } else {
            memmove(dst, a, n * sizeof *dst);
            s->t_end[out] = s->t_end[r];
        }
    }
    /* the last row was full (a merge happens only then): pairs leave it full
     * unless the row count was odd, when it holds one old row's samples */
    s->filled = s->rows % 2 ? s->per : 2 * s->per;
    s->rows = out;
    s->per *= 2;
}

int sim_linkseries_add(sim_linkseries *s, edge_time t_end, const double *bytes)
{
    size_t n = s->nlinks;
    if (s->rows == 0 || s->filled == s->per) {
        if (s->rows == s->max_rows)
            merge(s);
    }
    if (s->rows == 0 || s->filled == s->per) {
        if (s->rows == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 64;
            if (cap > s->max_rows)
                cap = s->max_rows;
            float *c = realloc(s->cell, cap * n * sizeof *c);
            if (!c)
                return -1;
            s->cell = c;
            edge_time *t = realloc(s->t_end, cap * sizeof *t);
            if (!t)
                return -1;
            s->t_end = t;
            s->cap = cap;
        }
        memset(&s->cell[s->rows * n], 0, n * sizeof *s->cell);
        s->rows++;
        s->filled = 0;
    }
    float *row = &s->cell[(s->rows - 1) * n];
    for (size_t l = 0; l < n; l++)
        row[l] += (float)bytes[l];
    s->t_end[s->rows - 1] = t_end;
    s->filled++;
    return 0;
}

size_t sim_linkseries_rows(const sim_linkseries *s)
{
    return s->rows;
}

edge_time sim_linkseries_t_end(const sim_linkseries *s, size_t row)
{
    return s->t_end[row];
}

double sim_linkseries_bytes(const sim_linkseries *s, size_t row, size_t link)
{
    return s->cell[row * s->nlinks + link];
}
