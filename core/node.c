#include "node.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "capset.h"
#include "util.h"

struct edge_node {
    char *id;
    char *region;
    bool has_coords;
    double lat, lon;
    edge__capset caps;
    edge_resource_usage usage;
    edge_node_status status;
    edge_time registered_at;
    edge_time last_heartbeat;
};

static const char *const status_names[EDGE_NODE_STATUS_COUNT] = {
    "online", "offline", "degraded", "syncing", "maintenance",
};

static bool status_valid(edge_node_status s)
{
    return (unsigned)s < EDGE_NODE_STATUS_COUNT;
}

const char *edge_node_status_name(edge_node_status s)
{
    return status_valid(s) ? status_names[s] : NULL;
}

static bool ascii_iequal(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (x == 0)
            return true;
    }
}

edge_err edge_node_status_parse(const char *name, edge_node_status *out)
{
    if (!name || !out)
        return EDGE_INVAL;
    for (int i = 0; i < EDGE_NODE_STATUS_COUNT; i++)
        if (ascii_iequal(name, status_names[i])) {
            *out = (edge_node_status)i;
            return EDGE_OK;
        }
    return EDGE_INVAL;
}

static bool nonneg(double x) { return isfinite(x) && x >= 0.0; }

edge_err edge_resource_usage_check(const edge_resource_usage *u)
{
    if (!u)
        return EDGE_INVAL;
    if (!nonneg(u->cpu_percent) || u->cpu_percent > 100.0 || !nonneg(u->memory_used_mb) ||
        !nonneg(u->memory_max_mb) || !nonneg(u->disk_used_mb) || !nonneg(u->disk_max_mb))
        return EDGE_RANGE;
    return EDGE_OK;
}

static bool at_or_above(double used, double max, double percent)
{
    return max > 0.0 && used * 100.0 >= percent * max;
}

bool edge_resource_usage_is_overloaded(const edge_resource_usage *u,
                                       const edge_overload_thresholds *t)
{
    if (!u)
        return false;
    edge_overload_thresholds d = EDGE_OVERLOAD_THRESHOLDS_DEFAULT;
    if (!t)
        t = &d;
    return u->cpu_percent >= t->cpu_percent ||
           at_or_above(u->memory_used_mb, u->memory_max_mb, t->memory_percent) ||
           at_or_above(u->disk_used_mb, u->disk_max_mb, t->disk_percent);
}

edge_err edge_node_new(const edge_node_spec *spec, edge_time now, edge_node **out)
{
    edge_node *n = NULL;
    edge_err err = EDGE_INVAL;
    if (!spec || !out || edge__check_name(spec->id) || edge__check_name(spec->region) ||
        !status_valid(spec->status))
        goto fail;
    if ((err = edge_resource_usage_check(&spec->resources)))
        goto fail;
    err = EDGE_RANGE;
    if (spec->has_coordinates &&
        !(isfinite(spec->latitude) && fabs(spec->latitude) <= 90.0 &&
          isfinite(spec->longitude) && fabs(spec->longitude) <= 180.0))
        goto fail;
    err = EDGE_NOMEM;
    if (!(n = edge__calloc(1, sizeof *n)))
        goto fail;
    if (!(n->id = edge__strdup(spec->id)) || !(n->region = edge__strdup(spec->region)))
        goto fail;
    if ((err = edge__capset_init(&n->caps, spec->capabilities, spec->n_capabilities)))
        goto fail;
    n->has_coords = spec->has_coordinates;
    n->lat = spec->has_coordinates ? spec->latitude : 0.0;
    n->lon = spec->has_coordinates ? spec->longitude : 0.0;
    n->usage = spec->resources;
    n->status = spec->status;
    n->registered_at = now;
    n->last_heartbeat = now;
    *out = n;
    return EDGE_OK;
fail:
    edge_node_free(n);
    return err;
}

void edge_node_free(edge_node *node)
{
    if (!node)
        return;
    edge__capset_free(&node->caps);
    edge__free(node->id);
    edge__free(node->region);
    edge__free(node);
}

const char *edge_node_id(const edge_node *node) { return node->id; }
const char *edge_node_region(const edge_node *node) { return node->region; }
edge_node_status edge_node_status_of(const edge_node *node) { return node->status; }
const edge_resource_usage *edge_node_usage(const edge_node *node) { return &node->usage; }
edge_time edge_node_registered_at(const edge_node *node) { return node->registered_at; }
edge_time edge_node_last_heartbeat(const edge_node *node) { return node->last_heartbeat; }
size_t edge_node_capability_count(const edge_node *node) { return node->caps.n; }
const edge__capset *edge__node_caps(const edge_node *node) { return &node->caps; }

bool edge_node_coordinates(const edge_node *node, double *lat, double *lon)
{
    if (!node->has_coords)
        return false;
    if (lat)
        *lat = node->lat;
    if (lon)
        *lon = node->lon;
    return true;
}

const char *edge_node_capability(const edge_node *node, size_t i)
{
    return i < node->caps.n ? node->caps.names[i] : NULL;
}

bool edge_node_has_capability(const edge_node *node, const char *name)
{
    return edge__capset_has(&node->caps, name);
}

edge_err edge_node_heartbeat(edge_node *node, edge_time now, const edge_resource_usage *usage)
{
    if (!node || !usage)
        return EDGE_INVAL;
    edge_err err = edge_resource_usage_check(usage);
    if (err)
        return err;
    if (now < node->last_heartbeat)
        return EDGE_RANGE;
    node->last_heartbeat = now;
    node->usage = *usage;
    return EDGE_OK;
}

edge_err edge_node_set_status(edge_node *node, edge_node_status status)
{
    if (!node || !status_valid(status))
        return EDGE_INVAL;
    node->status = status;
    return EDGE_OK;
}

bool edge_node_is_healthy(const edge_node *node, edge_time now, edge_time window)
{
    if (!node || node->status != EDGE_NODE_ONLINE)
        return false;
    edge_time last = node->last_heartbeat;
    if (now <= last)
        return true; /* age <= 0 */
    if (window < 0)
        return false;
    /* age = now - last > 0; it overflows only when last is far negative, and
     * then it is larger than any window. */
    if (last < 0 && now > EDGE_TIME_MAX + last)
        return false;
    return now - last <= window;
}

static bool add_time(cJSON *obj, const char *ns_key, const char *s_key, edge_time t)
{
    return cJSON_AddNumberToObject(obj, ns_key, (double)t) &&
           cJSON_AddNumberToObject(obj, s_key, edge_time_to_s(t));
}

edge_err edge_node_to_dict(const edge_node *node, cJSON **out)
{
    if (!node || !out)
        return EDGE_INVAL;
    cJSON *o = cJSON_CreateObject(), *caps, *res;
    if (!o || !cJSON_AddStringToObject(o, "id", node->id) ||
        !cJSON_AddStringToObject(o, "region", node->region))
        goto fail;
    if (node->has_coords) {
        cJSON *c = cJSON_AddObjectToObject(o, "coordinates");
        if (!c || !cJSON_AddNumberToObject(c, "lat", node->lat) ||
            !cJSON_AddNumberToObject(c, "lon", node->lon))
            goto fail;
    } else if (!cJSON_AddNullToObject(o, "coordinates")) {
        goto fail;
    }
    if (!(caps = cJSON_AddArrayToObject(o, "capabilities")))
        goto fail;
    for (uint32_t i = 0; i < node->caps.n; i++) {
        cJSON *s = cJSON_CreateString(node->caps.names[i]);
        if (!s)
            goto fail;
        cJSON_AddItemToArray(caps, s);
    }
    if (!cJSON_AddStringToObject(o, "status", status_names[node->status]) ||
        !(res = cJSON_AddObjectToObject(o, "resources")) ||
        !cJSON_AddNumberToObject(res, "cpu_percent", node->usage.cpu_percent) ||
        !cJSON_AddNumberToObject(res, "memory_used_mb", node->usage.memory_used_mb) ||
        !cJSON_AddNumberToObject(res, "memory_max_mb", node->usage.memory_max_mb) ||
        !cJSON_AddNumberToObject(res, "disk_used_mb", node->usage.disk_used_mb) ||
        !cJSON_AddNumberToObject(res, "disk_max_mb", node->usage.disk_max_mb) ||
        !cJSON_AddNumberToObject(res, "active_functions", node->usage.active_functions) ||
        !add_time(o, "registered_at_ns", "registered_at_s", node->registered_at) ||
        !add_time(o, "last_heartbeat_ns", "last_heartbeat_s", node->last_heartbeat))
        goto fail;
    *out = o;
    return EDGE_OK;
fail:
    cJSON_Delete(o);
    return EDGE_NOMEM;
}
