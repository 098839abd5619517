/*
 * regions.c — the scenario's "regions" and "network" sections, and the
 * latency the network model gives (docs/scenario.md, "regions", "network").
 */
#include "scenario/reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Regions                                                                    */

static const char *const region_fields[] = {"id", "lat", "lon", "tier", /* netspec.c */
                                           "x", "y", /* clients.c */ NULL};

void sc_read_regions(sc_ctx *c)
{
    sim_scenario *s = c->s;
    const cJSON *arr = NULL;
    if (sc_array_field(c, c->root, "", "regions", 1, "a list of regions such as [{\"id\": \"eu\"}]",
                       &arr) <= 0) {
        sc_lose_table(c, SC_REGIONS);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0) {
        sc_diag(c, arr, "regions", "expected at least one region, found an empty list");
        sc_lose_table(c, SC_REGIONS);
        return;
    }
    /* per region: its entry in "regions", for "first in regions[i]" */
    size_t *entry = sc_xcalloc(c, n, sizeof *entry);
    if (!entry || !(s->regions = sc_xcalloc(c, n, sizeof *s->regions))) {
        free(entry);
        return;
    }
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        sc_path_index(p, "regions", i);
        if (!sc_want_object(c, it, p, "a region")) {
            sc_lose_ids(c, SC_REGIONS, it);
            continue;
        }
        sc_check_fields(c, it, p, region_fields, NULL, NULL);
        sim_region r = {0};
        const cJSON *v = sc_member(it, "id");
        const char *id;
        sc_path_key(q, p, "id");
        if (!v) {
            sc_missing(c, it, p, "id", "a region id such as \"eu-west\"");
            sc_lose_ids(c, SC_REGIONS, it);
            continue;
        }
        if (sc_id_item(c, v, q, "a region id", &id)) {
            sc_lose_ids(c, SC_REGIONS, it);
            continue;
        }
        sc_coords(c, it, p, &r.has_coords, &r.lat, &r.lon);
        size_t old = sc_id_find(s, &c->ix, SC_REGIONS, id);
        if (old != SIM_ALL) {
            char first[SIM_DIAG_PATH_MAX];
            sc_path_index(first, "regions", entry[old]);
            sc_diag(c, v, q, "expected a unique region id, found %s again (first in %s)",
                    sc_found(v).s, first);
            continue;
        }
        if (!(r.name = sc_xstrdup(c, id)))
            break;
        if (sc_id_add(c, SC_REGIONS, r.name, s->nregions)) {
            free(r.name);
            break;
        }
        entry[s->nregions] = i;
        s->regions[s->nregions++] = r;
    }
    free(entry);
}

/* ------------------------------------------------------------------------ */
/* Network                                                                    */

/* "links" and "energy_nj_per_byte" are read by netspec.c */
static const char *const net_fields[] = {"model", "matrix", "base", "per_km", "same_region",
                                         "cross_region", "links", "energy_nj_per_byte", NULL};
static const char *const net_models[] = {"regions", "matrix", "coordinates", NULL};
static const char *const net_allowed[][8] = {
    {"model", "same_region", "cross_region", "links", "energy_nj_per_byte", NULL},
    {"model", "matrix", "same_region", "cross_region", "links", "energy_nj_per_byte", NULL},
    {"model", "base", "per_km", "same_region", "cross_region", "links", "energy_nj_per_byte",
     NULL},
};

static void read_matrix(sc_ctx *c, const cJSON *m)
{
    sim_scenario *s = c->s;
    size_t nr = s->nregions;
    if (!cJSON_IsObject(m)) {
        sc_diag(c, m, "network.matrix",
                "expected latencies by client region, then node region, such as "
                "{\"eu\": {\"us\": \"80ms\"}}, found %s",
                sc_found(m).s);
        return;
    }
    if (!nr || !(s->network.matrix = sc_xcalloc(c, nr * nr, sizeof *s->network.matrix)))
        return;
    for (size_t i = 0; i < nr * nr; i++)
        s->network.matrix[i] = -1;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    for (const cJSON *row = m->child; row; row = row->next) {
        sc_path_key(p, "network.matrix", row->string);
        size_t a = sc_id_find(c->s, &c->ix, SC_REGIONS, row->string);
        if (a == SIM_ALL) {
            if (!sc_lost_id(c, SC_REGIONS, row->string, 0))
                sc_diag(c, row, p, "expected a region id defined in regions, found %s%s",
                        sc_quoted(row->string).s,
                        sc_did_you_mean(sc_suggest_id(row->string, c->s, SC_REGIONS)).s);
            continue;
        }
        if (!cJSON_IsObject(row)) {
            sc_diag(c, row, p, "expected latencies by node region such as {\"%s\": \"1ms\"}, found %s",
                    row->string, sc_found(row).s);
            continue;
        }
        for (const cJSON *cell = row->child; cell; cell = cell->next) {
            sc_path_key(q, p, cell->string);
            size_t b = sc_id_find(c->s, &c->ix, SC_REGIONS, cell->string);
            if (b == SIM_ALL) {
                if (!sc_lost_id(c, SC_REGIONS, cell->string, 0))
                    sc_diag(c, cell, q, "expected a region id defined in regions, found %s%s",
                            sc_quoted(cell->string).s,
                            sc_did_you_mean(sc_suggest_id(cell->string, c->s, SC_REGIONS)).s);
                continue;
            }
            edge_time t;
            if (sc_duration_item(c, cell, q, SC_SIGN_NONNEG, "20ms", &t))
                continue;
            if (s->network.matrix[a * nr + b] >= 0) {
                sc_diag(c, cell, q, "expected each latency once, found %s again", sc_quoted(cell->string).s);
                continue;
            }
            s->network.matrix[a * nr + b] = t;
        }
    }
    /* Missing entries: the reverse direction, else same_region / cross_region. */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nr; b++) {
            edge_time *cell = &s->network.matrix[a * nr + b];
            if (*cell >= 0)
                continue;
            edge_time rev = s->network.matrix[b * nr + a];
            *cell = rev >= 0 ? rev : a == b ? s->network.same_region : s->network.cross_region;
        }
}

void sc_read_network(sc_ctx *c)
{
    sim_network *n = &c->s->network;
    n->kind = SIM_NET_NONE;
    n->same_region = EDGE_MS;
    n->cross_region = 50 * EDGE_MS;
    n->base = EDGE_MS;
    n->per_km = 10 * EDGE_US;
    const cJSON *net = sc_member(c->root, "network");
    if (!net || !sc_want_object(c, net, "network", "a network model"))
        return;
    int model = 0;
    if (sc_enum_field(c, net, "network", "model", 0, net_models, &model) < 0)
        return;
    char kind[32];
    snprintf(kind, sizeof kind, "the %s model", net_models[model]);
    sc_check_fields(c, net, "network", net_fields, net_allowed[model], kind);
    sc_duration_field(c, net, "network", "same_region", 0, SC_SIGN_NONNEG, "1ms", &n->same_region);
    sc_duration_field(c, net, "network", "cross_region", 0, SC_SIGN_NONNEG, "50ms", &n->cross_region);
    if (model == 1) {
        n->kind = SIM_NET_MATRIX;
        const cJSON *m = sc_member(net, "matrix");
        if (!m)
            sc_missing(c, net, "network", "matrix",
                       "latencies by client region, then node region, such as "
                       "{\"eu\": {\"us\": \"80ms\"}}");
        else
            read_matrix(c, m);
    } else if (model == 2) {
        n->kind = SIM_NET_COORDS;
        sc_duration_field(c, net, "network", "base", 0, SC_SIGN_NONNEG, "1ms", &n->base);
        sc_duration_field(c, net, "network", "per_km", 0, SC_SIGN_NONNEG, "10us", &n->per_km);
    }
}

static double great_circle_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

edge_time sim_scenario_latency(const sim_scenario *s, size_t client_region, size_t node)
{
    const sim_node_spec *n = &s->nodes[node];
    const sim_network *net = &s->network;
    if (net->kind == SIM_NET_MATRIX && net->matrix)
        return net->matrix[client_region * s->nregions + n->region];
    if (net->kind == SIM_NET_COORDS) {
        const sim_region *cr = &s->regions[client_region], *nr = &s->regions[n->region];
        int has = n->has_coords || nr->has_coords;
        double lat = n->has_coords ? n->lat : nr->lat, lon = n->has_coords ? n->lon : nr->lon;
        if (cr->has_coords && has)
            return net->base +
                   (edge_time)llround((double)net->per_km * great_circle_km(cr->lat, cr->lon, lat, lon));
    }
    return client_region == n->region ? net->same_region : net->cross_region;
}
