/*
 * machine_events.c — the Google 2011 machine events reader (see the header).
 *
 * One line buffer (at most SIM_LINE_MAX bytes: common/textfile.h), one open-addressing table of machines (id -> node
 * position, up/down), the shuffled node list. Rows are parsed in place.
 */
#include "input/machine_events.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"

#define NFIELDS 6 /* timestamp, machine, type, platform, cpu, memory */

typedef struct mach {
    uint64_t id;
    uint32_t node;  /* position in perm, or UINT32_MAX: ignored */
    uint8_t used, down;
} mach;

struct sim_mevents {
    FILE *fp;
    char *path;
    char *line;
    size_t lcap, lineno;
    size_t *perm, nperm;
    mach *tab;
    size_t tcap, tcount;
    edge_time offset, until, last;
    double scale, t_first;
    int have_first, done;
    sim_mevents_counts n;
};

static uint64_t mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static int tab_grow(sim_mevents *m)
{
    size_t cap = m->tcap ? m->tcap * 2 : 1024;
    mach *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < m->tcap; i++) {
        if (!m->tab[i].used)
            continue;
        size_t k = mix64(m->tab[i].id) & (cap - 1);
        while (t[k].used)
            k = (k + 1) & (cap - 1);
        t[k] = m->tab[i];
    }
    free(m->tab);
    m->tab = t;
    m->tcap = cap;
    return 0;
}

/* The machine's entry, added (mapped to the next node, if any) when new.
 * NULL on out of memory. */
static mach *machine(sim_mevents *m, uint64_t id)
{
    if ((m->tcount + 1) * 2 > m->tcap && tab_grow(m) != 0)
        return NULL;
    size_t k = mix64(id) & (m->tcap - 1);
    while (m->tab[k].used) {
        if (m->tab[k].id == id)
            return &m->tab[k];
        k = (k + 1) & (m->tcap - 1);
    }
    mach *e = &m->tab[k];
    e->used = 1;
    e->id = id;
    e->node = m->n.machines < m->nperm ? (uint32_t)m->n.machines : UINT32_MAX;
    m->n.machines++;
    m->n.machines_ignored += e->node == UINT32_MAX;
    m->tcount++;
    return e;
}

sim_mevents *sim_mevents_open(const char *path, const size_t *nodes, size_t nnodes,
                              edge_time offset, double scale, edge_time until, sim_rng *rng,
                              char *err, size_t errlen)
{
    sim_mevents *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path)) ||
        !(m->perm = malloc((nnodes ? nnodes : 1) * sizeof *m->perm))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char why[128];
    m->fp = sim_open_regular(path, why, sizeof why, NULL);
    if (!m->fp) {
        snprintf(err, errlen, "%s: cannot read the machine events: %s", path, why);
        goto fail;
    }
    /* Fisher-Yates: machine k (order of first appearance) -> perm[k] */
    if (nnodes) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(m->perm, nodes, nnodes * sizeof *m->perm);
    for (size_t i = nnodes; i > 1; i--) {
        size_t j = (size_t)sim_rng_below(rng, i);
        size_t t = m->perm[i - 1];
        m->perm[i - 1] = m->perm[j];
        m->perm[j] = t;
    }
    m->nperm = nnodes;
    m->offset = offset;
    m->scale = scale;
    m->until = until;
    m->last = offset;
    return m;
fail:
    sim_mevents_close(m);
    return NULL;
}

static int bad(const sim_mevents *m, const char *field_start, const char *column,
               const char *expected, const char *found, size_t flen, char *err, size_t errlen)
{
    char ex[4 * SIM_EXCERPT_MAX + 8];
    snprintf(err, errlen, "%s:%zu:%zu: %s: expected %s, found %s", m->path, m->lineno,
             (size_t)(field_start - m->line) + 1, column, expected,
             sim_excerpt(ex, sizeof ex, found, flen));
    return -1;
}

int sim_mevents_next(sim_mevents *m, sim_mevent *ev, char *err, size_t errlen)
{
    ssize_t got = SIM_LINE_EOF;
    while (!m->done && (got = sim_line_read(m->fp, &m->line, &m->lcap, SIM_LINE_MAX)) >= 0) {
        m->lineno++;
        while (got > 0 && (m->line[got - 1] == '\n' || m->line[got - 1] == '\r'))
            m->line[--got] = '\0';
        if (got == 0 || m->line[0] == '#')
            continue;
        /* a first line that starts with a letter is a header */
        if (m->lineno == 1 && ((m->line[0] | 32) >= 'a' && (m->line[0] | 32) <= 'z'))
            continue;
        char *f[NFIELDS];
        size_t flen[NFIELDS], nf = 0;
        char *p = m->line;
        for (;;) {
            char *comma = strchr(p, ',');
            if (nf < NFIELDS) {
                f[nf] = p;
                flen[nf] = comma ? (size_t)(comma - p) : strlen(p);
            }
            nf++;
            if (!comma)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (nf != NFIELDS) {
            snprintf(err, errlen,
                     "%s:%zu:1: row: expected %d comma-separated fields (timestamp, machine id, "
                     "event type, platform, CPU, memory), found %zu",
                     m->path, m->lineno, NFIELDS, nf);
            return -1;
        }
        char *end;
        errno = 0;
        double t = strtod(f[0], &end);
        if (flen[0] == 0 || *end || errno == ERANGE || !isfinite(t) || t < 0 || t > 9e15)
            return bad(m, f[0], "timestamp", "microseconds from 0 to 9e15 such as 1.00043E+11",
                       f[0], flen[0], err, errlen);
        int digits = flen[1] > 0 && flen[1] <= 20;
        for (size_t i = 0; digits && i < flen[1]; i++)
            digits = f[1][i] >= '0' && f[1][i] <= '9';
        errno = 0;
        uint64_t id = digits ? strtoull(f[1], &end, 10) : 0;
        if (!digits || errno == ERANGE)
            return bad(m, f[1], "machine id", "an unsigned integer", f[1], flen[1], err, errlen);
        if (flen[2] != 1 || f[2][0] < '0' || f[2][0] > '2')
            return bad(m, f[2], "event type", "0 (ADD), 1 (REMOVE) or 2 (UPDATE)", f[2], flen[2],
                       err, errlen);
        int type = f[2][0] - '0';
        if (!m->have_first) {
            m->have_first = 1;
            m->t_first = t;
        }
        /* t_sim = offset + (t - t_first) * scale, in ns; past `until`: stop */
        double dt = (t - m->t_first) * 1e3 * m->scale;
        double ts = (double)m->offset + (dt > 0 ? dt : 0);
        if (ts > (double)m->until) {
            m->done = 1;
            break;
        }
        edge_time at = (edge_time)llround(ts);
        if (at < m->last)
            at = m->last; /* rounded timestamps out of order: keep file order */
        m->last = at;
        m->n.rows++;
        if (type == 2) {
            m->n.updates_ignored++;
            continue;
        }
        mach *e = machine(m, id);
        if (!e) {
            snprintf(err, errlen, "out of memory reading %s", m->path);
            return -1;
        }
        if (type == 1) {
            if (e->node == UINT32_MAX || e->down) {
                m->n.removes_ignored++;
                continue;
            }
            e->down = 1;
            m->n.removes_applied++;
            *ev = (sim_mevent){at, m->perm[e->node], 1};
            return 1;
        }
        if (e->node == UINT32_MAX || !e->down) {
            m->n.adds_ignored++;
            continue;
        }
        e->down = 0;
        m->n.adds_applied++;
        *ev = (sim_mevent){at, m->perm[e->node], 0};
        return 1;
    }
    if (!m->done && got == SIM_LINE_TOO_LONG) {
        snprintf(err, errlen, "%s:%zu:1: row: expected a line of at most %d bytes, found line %zu "
                              "longer than %d bytes",
                 m->path, m->lineno + 1, SIM_LINE_MAX, m->lineno + 1, SIM_LINE_MAX);
        return -1;
    }
    if (!m->done && got == SIM_LINE_BINARY) {
        snprintf(err, errlen,
                 "%s:%zu:1: row: expected a line of text, found a NUL byte (is this a binary "
                 "file?)",
                 m->path, m->lineno + 1);
        return -1;
    }
    if (!m->done && got == SIM_LINE_NOMEM) {
        snprintf(err, errlen, "out of memory reading %s", m->path);
        return -1;
    }
    if (!m->done && got == SIM_LINE_ERROR) {
        snprintf(err, errlen, "%s:%zu: read error: %s", m->path, m->lineno + 1, strerror(errno));
        return -1;
    }
    m->done = 1;
    return 0;
}

const sim_mevents_counts *sim_mevents_counts_of(const sim_mevents *m)
{
    return &m->n;
}

void sim_mevents_close(sim_mevents *m)
{
    if (!m)
        return;
    if (m->fp)
        fclose(m->fp);
    free(m->path);
    free(m->line);
    free(m->perm);
    free(m->tab);
    free(m);
}
