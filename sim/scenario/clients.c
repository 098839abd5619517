/*
 * clients.c — the scenario's client groups ("clients") and regions' plane
 * coordinates "x", "y" (netspec.h; docs/scenario.md, "clients"). A group
 * moves by a Markov chain over regions ("markov"), by a list of moves or a
 * CSV file of them ("trace"), or by random waypoints in an area of the plane
 * ("random_waypoint"); sim/net/mobility.c runs them.
 *
 * A trace file is read here, whole, when the scenario is read (so `edgesim
 * validate` checks every row): the group keeps its own rows as (time,
 * region), a position (x, y) turned into its nearest region. A file holds
 * at most SIM_MOVES_MAX rows of one group.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "engine/dist.h"
#include "scenario/netspec.h"
#include "scenario/reader.h"
#include "scenario/reader_shim.h"

/* Moves of one trace group (a list or a file): 16 bytes each, 800 MB. */
#define SIM_MOVES_MAX 50000000u
/* Coordinates in km: beyond any map (the equator is 40,075 km). */
#define SIM_XY_MAX 1e6
/* Speeds in km/h: above zero, at most 10,000 (beyond any vehicle), so a leg
 * across the largest area lasts a representable time. */
#define SIM_SPEED_MIN 1e-3
#define SIM_SPEED_MAX 1e4

typedef struct rd {
    sim__scn *c;
    sim_scenario *s;
    sim_netspec *n;
} rd;

static sim_netspec *spec(rd *r)
{
    if (!r->n)
        r->n = sim__netspec_new(r->c);
    return r->n;
}

static size_t region_named(const sim_scenario *s, const char *name)
{
    for (size_t g = 0; g < s->nregions; g++)
        if (!strcmp(s->regions[g].name, name))
            return g;
    return SIM_ALL;
}

/* A region given as a string item v at path p: its index or SIM_ALL (reported). */
static size_t region_item(rd *r, const cJSON *v, const char *p)
{
    size_t g = cJSON_IsString(v) ? region_named(r->s, v->valuestring) : SIM_ALL;
    if (g == SIM_ALL && !(cJSON_IsString(v) && sim__scn_region_lost(r->c, v->valuestring))) {
        char f[160];
        sim__scn_found(v, f, sizeof f);
        sim__scn_diag(r->c, v, p, "expected a region id defined in regions, found %s", f);
    }
    return g;
}

static const char *const group_fields[] = {"id", "start", "mobility", "rates", "moves", "file",
                                           "area", "speed_kmh", "pause", NULL};
static const char *const mob_names[] = {"markov", "trace", "random_waypoint", NULL};
static const char *const mob_allowed[][7] = {
    {"id", "start", "mobility", "rates", NULL},
    {"id", "start", "mobility", "moves", "file", NULL},
    {"id", "start", "mobility", "area", "speed_kmh", "pause", NULL},
};

static int read_markov(rd *r, const cJSON *it, const char *p, sim_client_group *g)
{
    size_t nr = r->s->nregions;
    char q[SIM_DIAG_PATH_MAX], q2[SIM_DIAG_PATH_MAX], q3[SIM_DIAG_PATH_MAX], f[160];
    const cJSON *rates = cJSON_GetObjectItemCaseSensitive(it, "rates");
    sim__scn_path(q, p, "rates", 0);
    if (!cJSON_IsObject(rates)) {
        sim__scn_found(rates, f, sizeof f);
        sim__scn_diag(r->c, rates ? rates : it, q,
                      "expected transition rates by region such as {\"home\": {\"work\": "
                      "\"2/d\"}}, found %s", f);
        return -1;
    }
    if (!(g->rates = calloc(nr ? nr * nr : 1, sizeof *g->rates)))
        return sim__scn_oom(r->c), -1;
    int bad = 0;
    for (const cJSON *from = rates->child; from; from = from->next) {
        sim__scn_path(q2, q, from->string, 0);
        size_t a = region_named(r->s, from->string);
        if (a == SIM_ALL) {
            if (!sim__scn_region_lost(r->c, from->string))
                sim__scn_diag(r->c, from, q2, "expected a region id defined in regions, found \"%s\"",
                              from->string);
            bad = 1;
            continue;
        }
        if (!cJSON_IsObject(from)) {
            sim__scn_found(from, f, sizeof f);
            sim__scn_diag(r->c, from, q2, "expected rates to other regions such as {\"work\": "
                          "\"2/d\"}, found %s", f);
            bad = 1;
            continue;
        }
        for (const cJSON *to = from->child; to; to = to->next) {
            sim__scn_path(q3, q2, to->string, 0);
            size_t b = region_named(r->s, to->string);
            double per_s;
            if (b == SIM_ALL || b == a) {
                if (b == a || !sim__scn_region_lost(r->c, to->string))
                    sim__scn_diag(r->c, to, q3, "expected another region id defined in regions, "
                                  "found \"%s\"", to->string);
                bad = 1;
            } else if (!cJSON_IsString(to) || sim_rate_parse(to->valuestring, &per_s) != EDGE_OK) {
                sim__scn_found(to, f, sizeof f);
                sim__scn_diag(r->c, to, q3, "expected a rate such as \"2/h\", found %s", f);
                bad = 1;
            } else {
                g->rates[a * nr + b] = per_s;
            }
        }
    }
    return bad ? -1 : 0;
}

static int read_moves(rd *r, const cJSON *it, const char *p, sim_client_group *g)
{
    char q[SIM_DIAG_PATH_MAX], qi[SIM_DIAG_PATH_MAX], f[160];
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(it, "moves");
    sim__scn_path(q, p, "moves", 0);
    if (!cJSON_IsArray(mv) || !mv->child) {
        sim__scn_found(mv, f, sizeof f);
        sim__scn_diag(r->c, mv ? mv : it, q,
                      "expected a list of [time, region] moves such as [[\"8h\", \"work\"]], "
                      "found %s", f);
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(mv), k = 0;
    g->times = calloc(n, sizeof *g->times);
    g->regions = calloc(n, sizeof *g->regions);
    if (!g->times || !g->regions)
        return sim__scn_oom(r->c), -1;
    int bad = 0;
    for (const cJSON *m = mv->child; m; m = m->next, k++) {
        sim__scn_path(qi, q, NULL, k);
        edge_time t;
        if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) != 2) {
            if (cJSON_IsArray(m))
                snprintf(f, sizeof f, "a list of %d", cJSON_GetArraySize(m));
            else
                sim__scn_found(m, f, sizeof f);
            sim__scn_diag(r->c, m, qi, "expected a move [time, region] such as [\"8h\", "
                          "\"work\"], found %s", f);
            bad = 1;
            continue;
        }
        char qt[SIM_DIAG_PATH_MAX];
        sim__scn_path(qt, qi, NULL, 0);
        if (sc_duration_item(r->c, m->child, qt, SC_SIGN_NONNEG, "8h", &t)) {
            bad = 1;
            continue;
        }
        if (k > 0 && t < g->times[k - 1]) {
            sim__scn_diag(r->c, m->child, qi, "expected moves in time order, found \"%s\" "
                          "after a later one", m->child->valuestring);
            bad = 1;
        }
        char qr[SIM_DIAG_PATH_MAX];
        sim__scn_path(qr, qi, NULL, 1);
        size_t reg = region_item(r, m->child->next, qr);
        bad |= reg == SIM_ALL;
        g->times[k] = t;
        g->regions[k] = reg;
    }
    g->nmoves = n;
    return bad ? -1 : 0;
}

/* ---- trace files ---- */

/* One problem in a trace file, in the file's own terms, reported at the
 * scenario's "file" item: "FILE:LINE:COL: COLUMN: expected ..., found ...". */
__attribute__((format(printf, 7, 8))) static int file_diag(rd *r, const cJSON *v, const char *q,
                                                           const char *file, size_t line,
                                                           size_t col, const char *fmt, ...)
{
    char msg[SIM_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim__scn_diag(r->c, v, q, "%s:%zu:%zu: %s", file, line, col, msg);
    return -1;
}

/* Splits line (in place) at commas into at most max fields, each trimmed of
 * spaces, tabs and a final '\r'; col[k] is field k's 1-based column.
 * Returns the number of fields (max + 1 when there are more). */
static size_t split(char *line, char **fld, size_t *col, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *e = p + strcspn(p, ",");
        int last = *e == 0;
        *e = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        for (size_t k = strlen(p); k > 0 && strchr(" \t\r", p[k - 1]); k--)
            p[k - 1] = 0;
        if (n == max)
            return max + 1;
        fld[n] = p;
        col[n] = (size_t)(p - line) + 1;
        n++;
        if (last)
            return n;
        p = e + 1;
    }
}

static const char *excerpt(char *buf, size_t n, const char *s)
{
    return sim_excerpt(buf, n, s, strlen(s));
}

/*
 * The rows of group `id` in the CSV file at `file` (v, q: the scenario's
 * item and path for errors): a header "time,group,region" or
 * "time,group,x,y", then one row per move; blank lines and lines starting
 * with '#' are skipped, rows of other groups too. Times are durations with
 * a unit ("8h"), in time order within the group; a position becomes its
 * nearest region (sim_netspec_nearest). Returns 0 with g's moves, or -1
 * (reported).
 */
static int read_trace_file(rd *r, const cJSON *v, const char *q, const char *file,
                           sim_client_group *g, const char *id)
{
    char why[128], ex[4 * SIM_EXCERPT_MAX + 8];
    FILE *fp = sim_open_regular(file, why, sizeof why, NULL);
    if (!fp) {
        char f[160];
        sim__scn_found(v, f, sizeof f);
        sim__scn_diag(r->c, v, q, "expected a readable CSV file of moves, found %s (%s)", f, why);
        return -1;
    }
    char *line = NULL, *fld[5];
    size_t lcap = 0, cap = 0, lineno = 0, col[5], ncols = 0, cap_r = 0;
    int rc = 0;
    ssize_t got;
    static const char *const cols_region[] = {"time", "group", "region"};
    static const char *const cols_xy[] = {"time", "group", "x", "y"};
    while ((got = sim_line_read(fp, &line, &lcap, SIM_LINE_MAX)) >= 0) {
        lineno++;
        const char *t = line + strspn(line, " \t");
        if (!*t || *t == '#' || !strcmp(t, "\r"))
            continue;
        if (!ncols)
            sim_excerpt(ex, sizeof ex, line, strlen(line));
        size_t nf = split(line, fld, col, 4);
        if (!ncols) {
            const char *const *want = nf == 3 ? cols_region : cols_xy;
            int ok = nf == 3 || nf == 4;
            for (size_t k = 0; ok && k < nf; k++)
                ok = !strcmp(fld[k], want[k]);
            if (!ok) {
                rc = file_diag(r, v, q, file, lineno, 1,
                               "header: expected \"time,group,region\" or \"time,group,x,y\", "
                               "found %s", ex);
                break;
            }
            ncols = nf;
            continue;
        }
        if (nf != ncols) {
            rc = file_diag(r, v, q, file, lineno, 1,
                           "row: expected %zu comma-separated fields as in the header, found %s",
                           ncols, nf > ncols ? "more" : nf == 1 ? "1" : nf == 2 ? "2" : "3");
            break;
        }
        if (strcmp(fld[1], id))
            continue;
        edge_time at;
        edge_err pe = edge_duration_parse(fld[0], &at);
        if (pe != EDGE_OK || at < 0) {
            rc = file_diag(r, v, q, file, lineno, col[0], "time: expected a duration %s, found %s",
                           pe == EDGE_RANGE ? "below 292 years" : "of at least 0s such as \"8h\"",
                           excerpt(ex, sizeof ex, fld[0]));
            break;
        }
        if (g->nmoves && at < g->times[g->nmoves - 1]) {
            rc = file_diag(r, v, q, file, lineno, col[0],
                           "time: expected the rows of group \"%s\" in time order, found %s "
                           "after a later one", id, excerpt(ex, sizeof ex, fld[0]));
            break;
        }
        size_t reg;
        if (ncols == 3) {
            reg = SIM_ALL;
            for (size_t k = 0; k < r->s->nregions; k++)
                if (!strcmp(r->s->regions[k].name, fld[2]))
                    reg = k;
            if (reg == SIM_ALL) {
                rc = sim__scn_region_lost(r->c, fld[2])
                         ? -1 /* the regions' own problem is reported */
                         : file_diag(r, v, q, file, lineno, col[2],
                                     "region: expected a region id defined in regions, found %s",
                                     excerpt(ex, sizeof ex, fld[2]));
                break;
            }
        } else {
            double xy[2];
            int k;
            for (k = 0; k < 2; k++) {
                char *end;
                errno = 0;
                xy[k] = strtod(fld[2 + k], &end);
                if (end == fld[2 + k] || *end || !isfinite(xy[k]) || fabs(xy[k]) > SIM_XY_MAX)
                    break;
            }
            if (k < 2) {
                rc = file_diag(r, v, q, file, lineno, col[2 + k],
                               "%s: expected a coordinate in km from -1e6 to 1e6, found %s",
                               k ? "y" : "x", excerpt(ex, sizeof ex, fld[2 + k]));
                break;
            }
            reg = sim_netspec_nearest(r->n, xy[0], xy[1]);
            if (reg == SIZE_MAX) {
                rc = file_diag(r, v, q, file, lineno, col[2],
                               "x: expected regions with coordinates (\"x\", \"y\" in km) to "
                               "place a position in, found none");
                break;
            }
        }
        if (g->nmoves >= SIM_MOVES_MAX) {
            rc = file_diag(r, v, q, file, lineno, 1, "row: expected at most %u moves of group "
                           "\"%s\", found more", SIM_MOVES_MAX, id);
            break;
        }
        if (sc_grow(r->c, (void **)&g->times, &cap, g->nmoves + 1, sizeof *g->times) ||
            sc_grow(r->c, (void **)&g->regions, &cap_r, g->nmoves + 1, sizeof *g->regions)) {
            rc = -1;
            break;
        }
        g->times[g->nmoves] = at;
        g->regions[g->nmoves++] = reg;
    }
    if (rc == 0 && got == SIM_LINE_TOO_LONG)
        rc = file_diag(r, v, q, file, lineno + 1, 1, "row: expected a line of at most %d bytes, "
                       "found a longer one", SIM_LINE_MAX);
    else if (rc == 0 && got == SIM_LINE_BINARY)
        rc = file_diag(r, v, q, file, lineno + 1, 1, "row: expected a line of text, found a NUL "
                       "byte (is this a binary file?)");
    else if (rc == 0 && got == SIM_LINE_NOMEM)
        rc = (sim__scn_oom(r->c), -1);
    else if (rc == 0 && got == SIM_LINE_ERROR)
        rc = file_diag(r, v, q, file, lineno + 1, 1, "row: expected a readable file, found a "
                       "read error (%s)", strerror(errno));
    else if (rc == 0 && !ncols)
        rc = file_diag(r, v, q, file, lineno ? lineno : 1, 1, "header: expected \"time,group,"
                       "region\" or \"time,group,x,y\", found an empty file");
    else if (rc == 0 && !g->nmoves)
        rc = file_diag(r, v, q, file, lineno, 1, "group: expected rows of group \"%s\", found "
                       "none", id);
    free(line);
    fclose(fp);
    return rc;
}

/* "trace": its "moves" list or its "file", exactly one. */
static int read_trace(rd *r, const cJSON *it, const char *p, sim_client_group *g, const char *id)
{
    const cJSON *fv = cJSON_GetObjectItemCaseSensitive(it, "file");
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(it, "moves");
    char q[SIM_DIAG_PATH_MAX];
    if (!fv)
        return read_moves(r, it, p, g);
    sim__scn_path(q, p, "file", 0);
    if (mv) {
        sim__scn_diag(r->c, fv, q, "expected either moves or a file of moves, found both");
        return -1;
    }
    if (!cJSON_IsString(fv) || !fv->valuestring[0]) {
        char f[160];
        sim__scn_found(fv, f, sizeof f);
        sim__scn_diag(r->c, fv, q, "expected a CSV file of moves such as \"moves.csv\", found %s",
                      f);
        return -1;
    }
    char *path = sc_data_path(r->c, fv, q, fv->valuestring, 0);
    if (!path)
        return -1;
    int rc = read_trace_file(r, fv, q, path, g, id);
    free(path);
    return rc;
}

/* ---- random waypoints ---- */

/* "x" or "y" of "area": [min, max] km, min < max. */
static int area_side(rd *r, const cJSON *area, const char *pa, const char *key, double *lo,
                     double *hi)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(area, key);
    char q[SIM_DIAG_PATH_MAX], f[160];
    sim__scn_path(q, pa, key, 0);
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(v->child) ||
        !cJSON_IsNumber(v->child->next) || !isfinite(v->child->valuedouble) ||
        !isfinite(v->child->next->valuedouble) ||
        fabs(v->child->valuedouble) > SIM_XY_MAX || fabs(v->child->next->valuedouble) > SIM_XY_MAX ||
        !(v->child->valuedouble < v->child->next->valuedouble)) {
        sim__scn_found(v, f, sizeof f);
        sim__scn_diag(r->c, v ? v : area, q, "expected [min, max] in km, min < max, within "
                      "-1e6 to 1e6, such as [0, 10], found %s", f);
        return -1;
    }
    *lo = v->child->valuedouble;
    *hi = v->child->next->valuedouble;
    return 0;
}

static int read_waypoint(rd *r, const cJSON *it, const char *p, sim_client_group *g)
{
    char q[SIM_DIAG_PATH_MAX], f[160];
    int bad = 0;
    const cJSON *area = cJSON_GetObjectItemCaseSensitive(it, "area");
    sim__scn_path(q, p, "area", 0);
    if (!cJSON_IsObject(area)) {
        sim__scn_found(area, f, sizeof f);
        sim__scn_diag(r->c, area ? area : it, q, "expected the area waypoints are drawn in, in km, "
                      "such as {\"x\": [0, 10], \"y\": [0, 5]}, found %s", f);
        bad = 1;
    } else {
        static const char *const area_fields[] = {"x", "y", NULL};
        sc_check_fields(r->c, area, q, area_fields, NULL, NULL);
        bad |= area_side(r, area, q, "x", &g->area[0], &g->area[1]) < 0;
        bad |= area_side(r, area, q, "y", &g->area[2], &g->area[3]) < 0;
    }
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(it, "speed_kmh");
    sim__scn_path(q, p, "speed_kmh", 0);
    double lo = NAN, hi = NAN;
    if (cJSON_IsNumber(sp)) {
        lo = hi = sp->valuedouble;
    } else if (cJSON_IsArray(sp) && cJSON_GetArraySize(sp) == 2 && cJSON_IsNumber(sp->child) &&
               cJSON_IsNumber(sp->child->next)) {
        lo = sp->child->valuedouble;
        hi = sp->child->next->valuedouble;
    }
    if (!(lo >= SIM_SPEED_MIN && hi <= SIM_SPEED_MAX && lo <= hi)) {
        sim__scn_found(sp, f, sizeof f);
        sim__scn_diag(r->c, sp ? sp : it, q, "expected a speed in km/h or a range [min, max] "
                      "(uniform), from 0.001 to 10000, such as [3, 6], found %s", f);
        bad = 1;
    }
    g->speed_kmh[0] = lo;
    g->speed_kmh[1] = hi;
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(it, "pause");
    sim__scn_path(q, p, "pause", 0);
    if (cJSON_IsString(pv)) {
        edge_time t;
        if (sc_duration_item(r->c, pv, q, SC_SIGN_NONNEG, "30s", &t))
            bad = 1;
        else if (t > 0 && sim_dist_new_constant((double)t, SIM_DIST_DURATION, &g->pause) != EDGE_OK)
            bad = (sim__scn_oom(r->c), 1);
    } else if (pv && sc_dist_field(r->c, it, p, "pause", 0, 1, &g->pause) < 0) {
        bad = 1;
    }
    if (g->start != SIM_ALL && (!r->n->x || isnan(r->n->x[g->start]))) {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "start");
        sim__scn_path(q, p, "start", 0);
        sim__scn_diag(r->c, st, q, "expected a region with coordinates (\"x\", \"y\" in km) to "
                      "start from, found \"%s\" without them", r->s->regions[g->start].name);
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* ---- regions' coordinates on the plane ---- */

static const sc_numspec NS_XY = {-SIM_XY_MAX, SIM_XY_MAX, 0, 0};

static void read_xy(rd *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "regions");
    if (!cJSON_IsArray(arr))
        return;
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsObject(it))
            continue;
        sim__scn_path(p, "regions", NULL, i);
        double x = 0, y = 0;
        int a = sc_number_field(r->c, it, p, "x", 0, &NS_XY, &x);
        int b = sc_number_field(r->c, it, p, "y", 0, &NS_XY, &y);
        if (a < 0 || b < 0 || (a == 0 && b == 0))
            continue;
        if (a != b) {
            sc_missing(r->c, it, p, a ? "y" : "x", a ? "\"y\" beside \"x\" (km)"
                                                     : "\"x\" beside \"y\" (km)");
            continue;
        }
        if (i >= r->s->nregions || !spec(r))
            continue;
        sim_netspec *n = r->n;
        if (!n->x) {
            n->x = malloc(n->nregions * sizeof *n->x);
            n->y = malloc(n->nregions * sizeof *n->y);
            if (!n->x || !n->y) {
                sim__scn_oom(r->c);
                return;
            }
            for (size_t k = 0; k < n->nregions; k++)
                n->x[k] = n->y[k] = NAN;
        }
        n->x[i] = x;
        n->y[i] = y;
    }
}

static int read_clients(rd *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "clients");
    char f[160], p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr) || !arr->child) {
        sim__scn_found(arr, f, sizeof f);
        sim__scn_diag(r->c, arr, "clients", "expected a list of client groups such as [{\"id\": "
                      "\"commuters\", \"start\": \"home\", \"mobility\": \"markov\", ...}], "
                      "found %s", f);
        return 0;
    }
    if (!spec(r))
        return 0;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    if (!(r->n->groups = calloc(n, sizeof *r->n->groups))) {
        sim__scn_oom(r->c);
        return 0;
    }
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        sim__scn_path(p, "clients", NULL, i);
        if (!cJSON_IsObject(it)) {
            sim__scn_found(it, f, sizeof f);
            sim__scn_diag(r->c, it, p, "expected a client group (an object), found %s", f);
            continue;
        }
        int kind = -1;
        const cJSON *mob = cJSON_GetObjectItemCaseSensitive(it, "mobility");
        for (int k = 0; mob_names[k] && cJSON_IsString(mob); k++)
            if (!strcmp(mob->valuestring, mob_names[k]))
                kind = k;
        char what[64];
        snprintf(what, sizeof what, "a %s group", kind >= 0 ? mob_names[kind] : "client");
        sc_check_fields(r->c, it, p, group_fields, kind >= 0 ? mob_allowed[kind] : NULL, what);
        sim_client_group g = {0};
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        sim__scn_path(q, p, "id", 0);
        int bad = 0;
        if (!cJSON_IsString(id) || !id->valuestring[0]) {
            sim__scn_found(id, f, sizeof f);
            sim__scn_diag(r->c, id ? id : it, q, "expected a client group id such as "
                          "\"commuters\", found %s", f);
            bad = 1;
        } else if (!sim__scn_valid_id(id->valuestring)) {
            /* an id like any other: it names rows and keys of the outputs */
            sim__scn_found(id, f, sizeof f);
            sim__scn_diag(r->c, id, q, "expected a client group id (" SIM__SCN_ID_RULE
                          "), found %s", f);
            bad = 1;
        } else {
            for (size_t k = 0; k < r->n->ngroups; k++)
                if (!strcmp(r->n->groups[k].id, id->valuestring)) {
                    sim__scn_diag(r->c, id, q, "expected a unique client group id, found \"%s\" "
                                  "again", id->valuestring);
                    bad = 1;
                }
        }
        sim__scn_path(q, p, "start", 0);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "start");
        g.start = st ? region_item(r, st, q) : SIM_ALL;
        if (!st)
            sim__scn_diag(r->c, it, q, "expected the region the group starts in, found nothing");
        bad |= g.start == SIM_ALL;
        sim__scn_path(q, p, "mobility", 0);
        if (kind == SIM_MOB_MARKOV) {
            g.kind = SIM_MOB_MARKOV;
            bad |= read_markov(r, it, p, &g) < 0;
        } else if (kind == SIM_MOB_TRACE) {
            g.kind = SIM_MOB_TRACE;
            bad |= read_trace(r, it, p, &g, cJSON_IsString(id) ? id->valuestring : "") < 0;
        } else if (kind == SIM_MOB_WAYPOINT) {
            g.kind = SIM_MOB_WAYPOINT;
            bad |= read_waypoint(r, it, p, &g) < 0;
        } else {
            sim__scn_found(mob, f, sizeof f);
            sim__scn_diag(r->c, mob ? mob : it, q,
                          "expected one of markov, trace, random_waypoint, found %s", f);
            bad = 1;
        }
        if (!bad && !(g.id = strdup(id->valuestring))) {
            sim__scn_oom(r->c);
            bad = 1;
        }
        if (bad) {
            sim_dist_destroy(g.pause);
            free(g.id);
            free(g.rates);
            free(g.times);
            free(g.regions);
            continue;
        }
        r->n->groups[r->n->ngroups++] = g;
    }
    return 1;
}

/* Whether a reference to client group id, not among the read groups, is
 * quiet because the problem is the definition (reported there): the group
 * was refused for another of its fields, or "clients" is not a list or is
 * empty, or one of its entries is not an object or has no usable id (any id
 * could have been meant). */
static int defined_but_bad(sim__scn *c, const char *id)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sim__scn_root(c), "clients");
    if (arr && (!cJSON_IsArray(arr) || !arr->child)) /* refused whole (empty too) */
        return 1;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (!cJSON_IsString(v) || !v->valuestring[0] || !strcmp(v->valuestring, id))
            return 1;
    }
    return 0;
}

int sim__clients_ref(sim__scn *c, const cJSON *obj, const char *p, size_t *region,
                     size_t *group)
{
    sim_scenario *s = sim__scn_scenario(c);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "clients");
    char q[SIM_DIAG_PATH_MAX], f[160];
    sim__scn_path(q, p, "clients", 0);
    if (cJSON_GetObjectItemCaseSensitive(obj, "region")) {
        sim__scn_diag(c, v, q, "expected either a region or clients, found both");
        return -1;
    }
    if (cJSON_IsString(v) && s->net)
        for (size_t g = 0; g < s->net->ngroups; g++)
            if (!strcmp(s->net->groups[g].id, v->valuestring)) {
                *region = s->net->groups[g].start;
                *group = g + 1;
                return 0;
            }
    if (cJSON_IsString(v) && defined_but_bad(c, v->valuestring))
        return -1; /* its definition's own problem is reported there: no second line */
    sim__scn_found(v, f, sizeof f);
    sim__scn_diag(c, v, q, "expected a client group id defined in clients, found %s", f);
    return -1;
}

int sim__read_clients(sim__scn *c, sim_netspec **n)
{
    rd r = {.c = c, .s = sim__scn_scenario(c), .n = *n};
    read_xy(&r);
    int any = read_clients(&r);
    *n = r.n;
    return any;
}
