/*
 * netspec.c — reads the network topology ("network.links",
 * "network.energy_nj_per_byte"), regions' "tier" and functions'
 * "request_kb"/"response_kb" (netspec.h; docs/scenario.md). The rest of
 * those objects is read by scenario.c, which lists these fields as known;
 * the client groups ("clients") are clients.c's.
 */
#include "scenario/netspec.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/dist.h"
#include "scenario/reader_shim.h"
#include "time.h"

static const char *const class_names[SIM_LINK_CLASSES] = {"access", "uplink", "backbone"};
static const char *const tier_names[SIM_TIERS] = {"edge", "fog", "cloud"};

const char *sim_link_class_name(sim_link_class k)
{
    return (unsigned)k < SIM_LINK_CLASSES ? class_names[k] : "?";
}

const char *sim_tier_name(sim_tier t)
{
    return (unsigned)t < SIM_TIERS ? tier_names[t] : "?";
}

int sim_capacity_parse(const char *s, double *bytes_per_ns)
{
    /* a plain decimal number: strtod would also take leading blanks, a
     * sign, hexadecimal and "inf" */
    if (!s || !(isdigit((unsigned char)s[0]) || (s[0] == '.' && isdigit((unsigned char)s[1]))))
        return s && s[0] == '-' ? SIM_CAPACITY_NOT_POSITIVE : SIM_CAPACITY_SYNTAX;
    char *end;
    double v = strtod(s, &end);
    if (end == s || (end - s > 1 && (s[1] == 'x' || s[1] == 'X')))
        return SIM_CAPACITY_SYNTAX;
    double mult;
    if (!strcmp(end, "bps"))
        mult = 1;
    else if (!strcmp(end, "kbps") || !strcmp(end, "Kbps"))
        mult = 1e3;
    else if (!strcmp(end, "Mbps"))
        mult = 1e6;
    else if (!strcmp(end, "Gbps"))
        mult = 1e9;
    else if (!strcmp(end, "Tbps"))
        mult = 1e12;
    else
        return SIM_CAPACITY_SYNTAX;
    if (!(v > 0))
        return SIM_CAPACITY_NOT_POSITIVE;
    double bps = v * mult;
    /* 1 bit/s to 1 Pbit/s: beyond either end no link exists, and the
     * bounds keep every transfer time and rate finite and normal */
    if (!isfinite(bps) || bps > 1e15 || bps < 1)
        return SIM_CAPACITY_RANGE;
    *bytes_per_ns = bps / 8e9;
    return SIM_CAPACITY_OK;
}

const char *sim_capacity_expected(int rc)
{
    switch (rc) {
    case SIM_CAPACITY_NOT_POSITIVE:
        return "expected a capacity > 0 such as \"10Gbps\"";
    case SIM_CAPACITY_RANGE:
        return "expected a capacity from 1bps to 1000Tbps";
    default:
        return "expected a capacity with its unit such as \"10Gbps\" or \"100Mbps\" "
               "(bits per second: bps, kbps, Mbps, Gbps, Tbps)";
    }
}

/* A hint after a capacity that did not parse, when what was meant can be
 * told: a bare number (megabits or gigabits when small, bits per second
 * when large), a blank before the unit, a prefix or unit in other letters
 * ("mbps", "Mb/s"), or bytes per second ("25MB/s": 200 Mbit/s). " (...)"
 * into buf, or "" when nothing fits. */
static void capacity_hint(const cJSON *v, char *buf, size_t n)
{
    buf[0] = '\0';
    double num;
    const char *unit = NULL;
    if (cJSON_IsNumber(v)) {
        num = v->valuedouble;
    } else if (cJSON_IsString(v) && isdigit((unsigned char)v->valuestring[0])) {
        char *end;
        num = strtod(v->valuestring, &end);
        if (end - v->valuestring > 1 && (v->valuestring[1] == 'x' || v->valuestring[1] == 'X'))
            return;
        for (unit = end; *unit == ' ' || *unit == '\t'; unit++)
            ;
    } else {
        return;
    }
    if (!(num > 0) || !isfinite(num))
        return;
    if (!unit && num < 1000) { /* a small number: megabits or gigabits, most likely */
        snprintf(buf, n, " (a number alone has no unit: \"%.10gMbps\" or \"%.10gGbps\"?)", num, num);
        return;
    }
    double bps = num;
    int bytes = 0;
    if (unit) {
        static const char prefixes[] = "kKmMgGtT";
        static const double mults[] = {1e3, 1e3, 1e6, 1e6, 1e9, 1e9, 1e12, 1e12};
        const char *rest = unit;
        const char *at = *unit ? strchr(prefixes, *unit) : NULL;
        if (at) {
            bps *= mults[at - prefixes];
            rest++;
        }
        /* bits in any letters but a capital B alone (bytes, by custom) */
        static const char *const byte_units[] = {"Bps", "B/s", "byte/s", "bytes/s", "Byte/s",
                                                 "Bytes/s", NULL};
        static const char *const bit_units[] = {"bps", "b/s", "bit/s", "bits/s", "bit", "bits", NULL};
        int known = 0;
        for (size_t i = 0; byte_units[i] && !known; i++)
            known = bytes = !strcmp(rest, byte_units[i]);
        for (size_t i = 0; bit_units[i] && !known; i++)
            known = !strcasecmp(rest, bit_units[i]);
        if (!known)
            return;
        if (bytes)
            bps *= 8;
    }
    if (!(bps >= 1 && bps <= 1e15))
        return;
    static const char *const names[] = {"Tbps", "Gbps", "Mbps", "kbps", "bps"};
    static const double scale[] = {1e12, 1e9, 1e6, 1e3, 1};
    size_t k = 0;
    while (k < 4 && bps < scale[k])
        k++;
    char want[48];
    snprintf(want, sizeof want, "%.10g%s", bps / scale[k], names[k]);
    double check;
    if (sim_capacity_parse(want, &check) != SIM_CAPACITY_OK)
        return;
    if (!unit)
        snprintf(buf, n, " (a number alone has no unit: \"%s\" if it is bits per second)", want);
    else if (bytes)
        snprintf(buf, n, " (that is bytes per second: \"%s\" in bits)", want);
    else
        snprintf(buf, n, " (did you mean \"%s\"?)", want);
}

/* ---- reading ---- */

typedef struct rd {
    sim__scn *c;
    sim_scenario *s;
    sim_netspec *n;
    int any;           /* something network-related was said */
    const cJSON **link_item; /* per link: its entry, for "first in" */
    size_t link_cap;
} rd;

static sim_netspec *spec(rd *r)
{
    if (!r->n)
        r->n = sim__netspec_new(r->c);
    return r->n;
}

static void read_tiers(rd *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "regions");
    if (!cJSON_IsArray(arr))
        return;
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX], f[160];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        const cJSON *v = cJSON_IsObject(it) ? cJSON_GetObjectItemCaseSensitive(it, "tier") : NULL;
        if (!v)
            continue;
        sim__scn_path(p, "regions", NULL, i);
        sim__scn_path(q, p, "tier", 0);
        int t = -1;
        for (int k = 0; k < SIM_TIERS && cJSON_IsString(v); k++)
            if (!strcmp(v->valuestring, tier_names[k]))
                t = k;
        if (t < 0) {
            sim__scn_found(v, f, sizeof f);
            sim__scn_diag(r->c, v, q, "expected one of edge, fog, cloud, found %s", f);
            continue;
        }
        if (t == SIM_TIER_EDGE || i >= r->s->nregions)
            continue;
        if (!spec(r))
            return;
        r->n->tier[i] = (sim_tier)t;
        r->any = 1;
    }
}

/* A payload size: a number of kilobytes >= 0, or a distribution of numbers. */
static int payload(rd *r, const cJSON *v, const char *path, int report, sim_dist **out)
{
    *out = NULL;
    char f[160];
    if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble) || v->valuedouble < 0 || v->valuedouble > 1e12) {
            if (report) {
                sim__scn_found(v, f, sizeof f);
                sim__scn_diag(r->c, v, path,
                              "expected a size in kilobytes from 0 to 1e12 or a distribution, "
                              "found %s", f);
            }
            return -1;
        }
        if (v->valuedouble == 0)
            return 0;
        if (sim_dist_new_constant(v->valuedouble, SIM_DIST_SIZE, out) != EDGE_OK) {
            sim__scn_oom(r->c);
            return -1;
        }
        return 1;
    }
    if (!cJSON_IsObject(v)) {
        if (report) {
            sim__scn_found(v, f, sizeof f);
            sim__scn_diag(r->c, v, path,
                          "expected a size in kilobytes such as 64 or a distribution such as "
                          "{\"type\": \"exponential\", \"mean\": 64}, found %s", f);
        }
        return -1;
    }
    sim_diag d;
    sim_diag_clear(&d);
    if (sim_dist_parse(v, SIM_DIST_SIZE, path, &d, out) != EDGE_OK) {
        if (report)
            sim__scn_diag(r->c, v, d.path[0] ? d.path : path, "%s", d.msg);
        return -1;
    }
    return 1;
}

static void read_payloads(rd *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "functions");
    if (!cJSON_IsArray(arr) || !r->s->nfunctions)
        return;
    static const char *const keys[2] = {"request_kb", "response_kb"};
    size_t nentries = (size_t)cJSON_GetArraySize(arr);
    const cJSON **entry = calloc(nentries ? nentries : 1, sizeof *entry);
    if (!entry) {
        sim__scn_oom(r->c);
        return;
    }
    size_t e = 0;
    int said = 0;
    for (const cJSON *it = arr->child; it; it = it->next, e++) {
        entry[e] = it;
        for (int k = 0; k < 2; k++)
            if (cJSON_IsObject(it) && cJSON_GetObjectItemCaseSensitive(it, keys[k]))
                said = 1;
    }
    if (!said || !spec(r)) {
        free(entry);
        return;
    }
    size_t last = SIZE_MAX;
    char p[SIM_DIAG_PATH_MAX], q[SIM_DIAG_PATH_MAX];
    for (size_t fn = 0; fn < r->n->nfunctions; fn++) {
        size_t en = sim__scn_fn_entry(r->c, fn);
        if (en >= nentries)
            continue;
        int first = en != last; /* a group's entry is reported once */
        last = en;
        sim__scn_path(p, "functions", NULL, en);
        for (int k = 0; k < 2; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry[en], keys[k]);
            if (!v)
                continue;
            sim__scn_path(q, p, keys[k], 0);
            sim_dist *d = NULL;
            if (payload(r, v, q, first, &d) == 1) {
                (k ? r->n->response : r->n->request)[fn] = d;
                r->n->has_payloads = 1;
                r->any = 1;
            }
        }
    }
    free(entry);
}

static const char *const link_fields[] = {"kind", "nodes", "region", "regions", "capacity",
                                          "latency", NULL};

static int add_link(rd *r, const cJSON *it, sim_link_class cls, size_t a, size_t b, double cap,
                    edge_time lat)
{
    sim_netspec *n = r->n;
    if (n->nlinks == r->link_cap) {
        size_t m = r->link_cap ? r->link_cap * 2 : 16;
        sim_link_spec *l = realloc(n->links, m * sizeof *l);
        if (!l)
            return sim__scn_oom(r->c), -1;
        n->links = l;
        const cJSON **li = realloc(r->link_item, m * sizeof *li);
        if (!li)
            return sim__scn_oom(r->c), -1;
        r->link_item = li;
        r->link_cap = m;
    }
    const sim_scenario *s = r->s;
    char id[300];
    if (cls == SIM_LINK_ACCESS)
        snprintf(id, sizeof id, "access:%s", s->nodes[a].id);
    else if (cls == SIM_LINK_UPLINK)
        snprintf(id, sizeof id, "uplink:%s", s->regions[a].name);
    else
        snprintf(id, sizeof id, "backbone:%s~%s", s->regions[a].name, s->regions[b].name);
    sim_link_spec *l = &n->links[n->nlinks];
    memset(l, 0, sizeof *l);
    if (!(l->id = strdup(id)))
        return sim__scn_oom(r->c), -1;
    l->cls = cls;
    l->bytes_per_ns = cap;
    l->latency = lat;
    l->a = a;
    l->b = b;
    l->line = sim__scn_line(r->c, it);
    r->link_item[n->nlinks] = it;
    n->nlinks++;
    return 0;
}

/* "a second X for Y (first in network.links[k])" */
static void twice(rd *r, const cJSON *at, const char *path, const char *what, const char *who,
                  size_t link)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "network"), "links");
    size_t k = 0;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, k++)
        if (it == r->link_item[link])
            break;
    sim__scn_diag(r->c, at, path, "expected one %s per %s, found a second for \"%s\" "
                  "(first in network.links[%zu])", what,
                  !strcmp(what, "access link") ? "node"
                  : !strcmp(what, "uplink")    ? "region"
                                               : "region pair",
                  who, k);
}

static void read_link(rd *r, const cJSON *it, const char *p)
{
    sim__scn *c = r->c;
    sim__scn_check_fields(c, it, p, link_fields);
    char q[SIM_DIAG_PATH_MAX], f[160];
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(it, "kind");
    sim__scn_path(q, p, "kind", 0);
    int cls = -1;
    for (int k = 0; k < SIM_LINK_CLASSES && cJSON_IsString(kind); k++)
        if (!strcmp(kind->valuestring, class_names[k]))
            cls = k;
    if (cls < 0) {
        sim__scn_found(kind, f, sizeof f);
        sim__scn_diag(c, kind ? kind : it, q, "expected one of access, uplink, backbone, found %s",
                      f);
        return;
    }
    static const char *const where[SIM_LINK_CLASSES] = {"nodes", "region", "regions"};
    for (int k = 0; k < SIM_LINK_CLASSES; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, where[k]);
        if (k != cls && v) {
            sim__scn_path(q, p, where[k], 0);
            sim__scn_diag(c, v, q, "expected only the fields of %s %s link (kind, %s, capacity, "
                          "latency), found \"%s\"", cls == SIM_LINK_BACKBONE ? "a" : "an",
                          class_names[cls], where[cls], where[k]);
        }
    }
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(it, "capacity");
    sim__scn_path(q, p, "capacity", 0);
    double cap = 0;
    int bad = 0;
    int crc = cv && cJSON_IsString(cv) ? sim_capacity_parse(cv->valuestring, &cap)
                                       : SIM_CAPACITY_SYNTAX;
    if (crc != SIM_CAPACITY_OK) {
        char hint[128];
        sim__scn_found(cv, f, sizeof f);
        capacity_hint(crc == SIM_CAPACITY_SYNTAX ? cv : NULL, hint, sizeof hint);
        sim__scn_diag(c, cv ? cv : it, q, "%s, found %s%s", sim_capacity_expected(crc), f, hint);
        bad = 1;
    }
    edge_time lat = 0;
    if (sim__scn_duration(c, it, p, "latency", &lat) < 0)
        bad = 1;
    sim_netspec *n = r->n;
    if (cls == SIM_LINK_ACCESS) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "nodes");
        sim__scn_path(q, p, "nodes", 0);
        if (!v) {
            sim__scn_diag(c, it, q, "expected a list of node ids or patterns such as "
                                    "[\"edge-*\"], found nothing");
            return;
        }
        size_t nn = 0;
        size_t *nodes = sim__scn_node_list(c, v, q, &nn);
        if (!nodes || bad) {
            free(nodes);
            return;
        }
        for (size_t k = 0; k < nn; k++) {
            size_t node = nodes[k];
            if (n->access_of[node] != SIZE_MAX) {
                twice(r, v, q, "access link", r->s->nodes[node].id, n->access_of[node]);
                break;
            }
            n->access_of[node] = n->nlinks;
            if (add_link(r, it, SIM_LINK_ACCESS, node, SIZE_MAX, cap, lat))
                break;
        }
        free(nodes);
    } else if (cls == SIM_LINK_UPLINK) {
        size_t reg = sim__scn_region_ref(c, it, p, "region");
        if (reg == SIM_ALL || bad)
            return;
        if (n->uplink_of[reg] != SIZE_MAX) {
            sim__scn_path(q, p, "region", 0);
            twice(r, cJSON_GetObjectItemCaseSensitive(it, "region"), q, "uplink",
                  r->s->regions[reg].name, n->uplink_of[reg]);
            return;
        }
        n->uplink_of[reg] = n->nlinks;
        add_link(r, it, SIM_LINK_UPLINK, reg, SIZE_MAX, cap, lat);
    } else {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "regions");
        sim__scn_path(q, p, "regions", 0);
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsString(v->child) ||
            !cJSON_IsString(v->child->next)) {
            sim__scn_found(v, f, sizeof f);
            sim__scn_diag(c, v ? v : it, q,
                          "expected the two regions it joins such as [\"eu\", \"cloud\"], found %s",
                          f);
            return;
        }
        size_t reg[2];
        const cJSON *item = v->child;
        for (int k = 0; k < 2; k++, item = item->next) {
            char qi[SIM_DIAG_PATH_MAX];
            sim__scn_path(qi, q, NULL, (size_t)k);
            reg[k] = SIM_ALL;
            for (size_t g = 0; g < r->s->nregions; g++)
                if (!strcmp(r->s->regions[g].name, item->valuestring))
                    reg[k] = g;
            if (reg[k] == SIM_ALL) {
                sim__scn_found(item, f, sizeof f);
                if (!sim__scn_region_lost(c, item->valuestring))
                    sim__scn_diag(c, item, qi, "expected a region id defined in regions, found %s", f);
                bad = 1;
            }
        }
        if (bad)
            return;
        if (reg[0] == reg[1]) {
            sim__scn_found(v->child->next, f, sizeof f);
            sim__scn_diag(c, v->child->next, q, "expected two different regions, found %s twice",
                          f);
            return;
        }
        size_t a = reg[0] < reg[1] ? reg[0] : reg[1], b = reg[0] ^ reg[1] ^ a;
        size_t nr = r->s->nregions;
        if (n->backbone[a * nr + b] != SIZE_MAX) {
            char who[280];
            snprintf(who, sizeof who, "%s~%s", r->s->regions[a].name, r->s->regions[b].name);
            twice(r, v, q, "backbone link", who, n->backbone[a * nr + b]);
            return;
        }
        n->backbone[a * nr + b] = n->backbone[b * nr + a] = n->nlinks;
        add_link(r, it, SIM_LINK_BACKBONE, a, b, cap, lat);
    }
}

static void read_links(rd *r, const cJSON *net)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(net, "links");
    char f[160];
    if (!arr)
        return;
    if (!cJSON_IsArray(arr)) {
        sim__scn_found(arr, f, sizeof f);
        sim__scn_diag(r->c, arr, "network.links",
                      "expected a list of links such as [{\"kind\": \"access\", \"nodes\": "
                      "[\"edge-*\"], \"capacity\": \"1Gbps\"}], found %s", f);
        return;
    }
    if (!arr->child || !spec(r))
        return;
    r->any = 1;
    size_t i = 0;
    char p[SIM_DIAG_PATH_MAX];
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        sim__scn_path(p, "network.links", NULL, i);
        if (!cJSON_IsObject(it)) {
            sim__scn_found(it, f, sizeof f);
            sim__scn_diag(r->c, it, p, "expected a link (an object), found %s", f);
            continue;
        }
        read_link(r, it, p);
    }
}

static void read_energy(rd *r, const cJSON *net)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(net, "energy_nj_per_byte");
    char f[160], q[SIM_DIAG_PATH_MAX];
    if (!o)
        return;
    if (!cJSON_IsObject(o)) {
        sim__scn_found(o, f, sizeof f);
        sim__scn_diag(r->c, o, "network.energy_nj_per_byte",
                      "expected nanojoules per byte per link class such as {\"access\": 5, "
                      "\"backbone\": 20}, found %s", f);
        return;
    }
    static const char *const fields[] = {"access", "uplink", "backbone", NULL};
    sim__scn_check_fields(r->c, o, "network.energy_nj_per_byte", fields);
    if (!spec(r))
        return;
    r->any = 1;
    for (int k = 0; k < SIM_LINK_CLASSES; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, class_names[k]);
        if (!v)
            continue;
        sim__scn_path(q, "network.energy_nj_per_byte", class_names[k], 0);
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
            v->valuedouble > 1e9) {
            sim__scn_found(v, f, sizeof f);
            sim__scn_diag(r->c, v, q, "expected nanojoules per byte from 0 to 1e9, found %s", f);
            continue;
        }
        r->n->nj_per_byte[k] = v->valuedouble;
    }
}

static void read_threshold(rd *r)
{
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(sim__scn_root(r->c), "policies");
    const cJSON *v = cJSON_IsObject(pol) ? cJSON_GetObjectItemCaseSensitive(pol, "offload_threshold")
                                         : NULL;
    if (!v)
        return;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || !(v->valuedouble > 0) ||
        v->valuedouble > 1e6) {
        char f[160];
        sim__scn_found(v, f, sizeof f);
        sim__scn_diag(r->c, v, "policies.offload_threshold",
                      "expected a load per core above 0, at most 1000000, such as 0.8, found %s",
                      f);
        return;
    }
    if (!spec(r))
        return;
    r->n->offload_threshold = v->valuedouble;
    r->any = 1;
}

void sim__read_netspec(sim__scn *c)
{
    rd r = {.c = c, .s = sim__scn_scenario(c)};
    read_tiers(&r);
    read_threshold(&r);
    if (sim__read_clients(c, &r.n) > 0)
        r.any = 1;
    read_payloads(&r);
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(sim__scn_root(c), "network");
    if (cJSON_IsObject(net)) {
        read_links(&r, net);
        read_energy(&r, net);
    }
    free(r.link_item);
    if (r.n && !r.any) {
        sim_netspec_free(r.n);
        r.n = NULL;
    }
    r.s->net = r.n;
}
