/*
 * Pins core/node: status names both ways, the overload rule at exactly the
 * threshold, what a node copies and checks when it is made, heartbeats
 * (time never goes back, status untouched), health at exactly the window and
 * one nanosecond past for every status, and the keys of to_dict.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "node.h"

static const edge_resource_usage idle_usage = {
    .cpu_percent = 10, .memory_used_mb = 100, .memory_max_mb = 1000,
    .disk_used_mb = 10, .disk_max_mb = 100, .active_functions = 0,
};

static edge_node *make(const char *id, edge_node_status status, edge_time now)
{
    const char *caps[] = {"gpu", "arm64"};
    edge_node_spec spec = {.id = id, .region = "eu-west", .capabilities = caps,
                           .n_capabilities = 2, .resources = idle_usage, .status = status};
    edge_node *n = NULL;
    cr_assert_eq(edge_node_new(&spec, now, &n), EDGE_OK);
    return n;
}

/* ---- status ------------------------------------------------------------ */

Test(node, status_names_round_trip_for_every_status)
{
    const char *names[] = {"online", "offline", "degraded", "syncing", "maintenance"};
    for (int i = 0; i < EDGE_NODE_STATUS_COUNT; i++) {
        cr_expect_str_eq(edge_node_status_name((edge_node_status)i), names[i]);
        edge_node_status s = EDGE_NODE_MAINTENANCE;
        cr_expect_eq(edge_node_status_parse(names[i], &s), EDGE_OK);
        cr_expect_eq(s, (edge_node_status)i);
    }
}

Test(node, status_parse_ignores_ascii_case_so_python_member_names_work)
{
    edge_node_status s;
    cr_expect_eq(edge_node_status_parse("ONLINE", &s), EDGE_OK);
    cr_expect_eq(s, EDGE_NODE_ONLINE);
    cr_expect_eq(edge_node_status_parse("Maintenance", &s), EDGE_OK);
    cr_expect_eq(s, EDGE_NODE_MAINTENANCE);
}

Test(node, status_parse_rejects_unknown_names_and_leaves_output_alone)
{
    edge_node_status s = EDGE_NODE_SYNCING;
    const char *bad[] = {"", "on line", "online ", "onlin", "unknown", "offline\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(edge_node_status_parse(bad[i], &s), EDGE_INVAL, "'%s'", bad[i]);
    cr_expect_eq(edge_node_status_parse(NULL, &s), EDGE_INVAL);
    cr_expect_eq(s, EDGE_NODE_SYNCING);
    cr_expect_null(edge_node_status_name((edge_node_status)5));
    cr_expect_null(edge_node_status_name((edge_node_status)-1));
}

/* ---- resource usage ---------------------------------------------------- */

Test(usage, exactly_ninety_percent_of_any_resource_is_overloaded)
{
    edge_resource_usage u = idle_usage;
    cr_expect_not(edge_resource_usage_is_overloaded(&u, NULL));
    u.cpu_percent = 90.0;
    cr_expect(edge_resource_usage_is_overloaded(&u, NULL));
    u.cpu_percent = nextafter(90.0, 0.0);
    cr_expect_not(edge_resource_usage_is_overloaded(&u, NULL));

    u = idle_usage;
    u.memory_used_mb = 900; /* 900/1000*100 is 90.00000000000001 in doubles */
    cr_expect(edge_resource_usage_is_overloaded(&u, NULL));
    u.memory_used_mb = 899.999;
    cr_expect_not(edge_resource_usage_is_overloaded(&u, NULL));

    u = idle_usage;
    u.disk_used_mb = 90;
    cr_expect(edge_resource_usage_is_overloaded(&u, NULL));
    u.disk_used_mb = 89;
    cr_expect_not(edge_resource_usage_is_overloaded(&u, NULL));
}

Test(usage, thresholds_are_parameters)
{
    edge_resource_usage u = idle_usage;
    u.cpu_percent = 75;
    edge_overload_thresholds t = EDGE_OVERLOAD_THRESHOLDS_DEFAULT;
    cr_expect_not(edge_resource_usage_is_overloaded(&u, &t));
    t.cpu_percent = 75;
    cr_expect(edge_resource_usage_is_overloaded(&u, &t));
    t = (edge_overload_thresholds){100, 10, 100}; /* memory 10% of 1000 = 100 used */
    u.cpu_percent = 0;
    cr_expect(edge_resource_usage_is_overloaded(&u, &t));
}

Test(usage, a_resource_with_unknown_maximum_never_counts)
{
    edge_resource_usage u = {.memory_used_mb = 5000, .disk_used_mb = 5000};
    cr_expect_not(edge_resource_usage_is_overloaded(&u, NULL));
    cr_expect_not(edge_resource_usage_is_overloaded(NULL, NULL));
}

Test(usage, check_rejects_negative_non_finite_and_cpu_over_100)
{
    cr_expect_eq(edge_resource_usage_check(&idle_usage), EDGE_OK);
    cr_expect_eq(edge_resource_usage_check(NULL), EDGE_INVAL);
    edge_resource_usage u = idle_usage;
    u.cpu_percent = 100.5;
    cr_expect_eq(edge_resource_usage_check(&u), EDGE_RANGE);
    u = idle_usage;
    u.memory_used_mb = -1;
    cr_expect_eq(edge_resource_usage_check(&u), EDGE_RANGE);
    u = idle_usage;
    u.disk_max_mb = NAN;
    cr_expect_eq(edge_resource_usage_check(&u), EDGE_RANGE);
    u = idle_usage;
    u.memory_used_mb = 2000; /* above max: swap, allowed */
    cr_expect_eq(edge_resource_usage_check(&u), EDGE_OK);
}

/* ---- making a node ------------------------------------------------------ */

Test(node, new_copies_strings_and_keeps_capabilities_sorted_and_unique)
{
    char id[] = "node-1", region[] = "eu", c1[] = "gpu", c2[] = "arm64";
    const char *caps[] = {c1, c2, c1};
    edge_node_spec spec = {.id = id, .region = region, .capabilities = caps, .n_capabilities = 3,
                           .has_coordinates = true, .latitude = 48.1, .longitude = 11.6};
    edge_node *n;
    cr_assert_eq(edge_node_new(&spec, 5 * EDGE_S, &n), EDGE_OK);
    id[0] = region[0] = c1[0] = c2[0] = 'X';
    cr_expect_str_eq(edge_node_id(n), "node-1");
    cr_expect_str_eq(edge_node_region(n), "eu");
    cr_assert_eq(edge_node_capability_count(n), 2);
    cr_expect_str_eq(edge_node_capability(n, 0), "arm64");
    cr_expect_str_eq(edge_node_capability(n, 1), "gpu");
    cr_expect_null(edge_node_capability(n, 2));
    cr_expect(edge_node_has_capability(n, "gpu"));
    cr_expect_not(edge_node_has_capability(n, "GPU"));
    cr_expect_not(edge_node_has_capability(n, NULL));
    double lat, lon;
    cr_expect(edge_node_coordinates(n, &lat, &lon));
    cr_expect_float_eq(lat, 48.1, 1e-12);
    cr_expect_float_eq(lon, 11.6, 1e-12);
    cr_expect_eq(edge_node_status_of(n), EDGE_NODE_ONLINE, "a zeroed status is ONLINE");
    cr_expect_eq(edge_node_registered_at(n), 5 * EDGE_S);
    cr_expect_eq(edge_node_last_heartbeat(n), 5 * EDGE_S);
    edge_node_free(n);
}

Test(node, new_rejects_bad_specs_and_leaves_output_alone)
{
    edge_node *n = (edge_node *)0x1;
    char long_id[EDGE_ID_MAX + 2];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    edge_node_spec ok = {.id = "a", .region = "r"};
    edge_node_spec s;

    cr_expect_eq(edge_node_new(NULL, 0, &n), EDGE_INVAL);
    cr_expect_eq(edge_node_new(&ok, 0, NULL), EDGE_INVAL);
    s = ok; s.id = NULL;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    s = ok; s.id = "";
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    s = ok; s.id = long_id;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    s = ok; s.region = "";
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    s = ok; s.status = (edge_node_status)9;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    s = ok; s.has_coordinates = true; s.latitude = 90.5;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_RANGE);
    s = ok; s.has_coordinates = true; s.longitude = -180.01;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_RANGE);
    s = ok; s.resources.cpu_percent = -3;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_RANGE);
    const char *empty_cap[] = {"gpu", ""};
    s = ok; s.capabilities = empty_cap; s.n_capabilities = 2;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_INVAL);
    const char *many[65];
    char names[65][16];
    for (int i = 0; i < 65; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        many[i] = names[i];
    }
    s = ok; s.capabilities = many; s.n_capabilities = 65;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_LIMIT);
    cr_expect_eq(n, (edge_node *)0x1, "output untouched on error");
    s.n_capabilities = 64;
    cr_expect_eq(edge_node_new(&s, 0, &n), EDGE_OK);
    cr_expect_eq(edge_node_capability_count(n), 64);
    edge_node_free(n);
    edge_node_free(NULL);
}

Test(node, coordinates_are_optional)
{
    edge_node *n = make("n", EDGE_NODE_ONLINE, 0);
    double lat = 7;
    cr_expect_not(edge_node_coordinates(n, &lat, NULL));
    cr_expect_eq(lat, 7);
    edge_node_free(n);
}

/* ---- heartbeats and health ---------------------------------------------- */

Test(node, heartbeat_exactly_at_the_window_is_healthy_and_one_ns_past_is_not)
{
    edge_node *n = make("n", EDGE_NODE_ONLINE, 0);
    cr_assert_eq(edge_node_heartbeat(n, 100 * EDGE_S, &idle_usage), EDGE_OK);
    edge_time w = EDGE_HEALTH_WINDOW_DEFAULT;
    cr_expect_eq(w, 60 * EDGE_S);
    cr_expect(edge_node_is_healthy(n, 100 * EDGE_S, w));
    cr_expect(edge_node_is_healthy(n, 160 * EDGE_S, w));
    cr_expect_not(edge_node_is_healthy(n, 160 * EDGE_S + 1, w));
    cr_expect(edge_node_is_healthy(n, 99 * EDGE_S, w), "a heartbeat from the future is fresh");
    cr_expect(edge_node_is_healthy(n, 110 * EDGE_S, 10 * EDGE_S), "the window is a parameter");
    cr_expect_not(edge_node_is_healthy(n, 110 * EDGE_S + 1, 10 * EDGE_S));
    edge_node_free(n);
}

Test(node, only_an_online_node_is_ever_healthy)
{
    for (int s = 0; s < EDGE_NODE_STATUS_COUNT; s++) {
        edge_node *n = make("n", (edge_node_status)s, 0);
        cr_expect_eq(edge_node_is_healthy(n, 0, EDGE_HEALTH_WINDOW_DEFAULT),
                     s == EDGE_NODE_ONLINE, "status %s", edge_node_status_name((edge_node_status)s));
        cr_expect_eq(edge_node_set_status(n, EDGE_NODE_ONLINE), EDGE_OK);
        cr_expect(edge_node_is_healthy(n, 0, EDGE_HEALTH_WINDOW_DEFAULT));
        edge_node_free(n);
    }
    cr_expect_not(edge_node_is_healthy(NULL, 0, 0));
}

Test(node, health_does_not_overflow_at_the_ends_of_time)
{
    edge_node *n = make("n", EDGE_NODE_ONLINE, INT64_MIN + 5);
    cr_expect_not(edge_node_is_healthy(n, EDGE_TIME_MAX, EDGE_TIME_MAX));
    cr_expect(edge_node_is_healthy(n, INT64_MIN + 5, 0));
    cr_expect_not(edge_node_is_healthy(n, INT64_MIN + 6, -1), "negative window");
    edge_node_free(n);
    n = make("m", EDGE_NODE_ONLINE, 0);
    cr_expect(edge_node_is_healthy(n, EDGE_TIME_MAX, EDGE_TIME_MAX));
    edge_node_free(n);
}

Test(node, heartbeat_records_time_and_usage_but_not_status)
{
    edge_node *n = make("n", EDGE_NODE_OFFLINE, 0);
    edge_resource_usage u = idle_usage;
    u.cpu_percent = 99;
    u.active_functions = 3;
    cr_assert_eq(edge_node_heartbeat(n, 7, &u), EDGE_OK);
    cr_expect_eq(edge_node_last_heartbeat(n), 7);
    cr_expect_eq(edge_node_usage(n)->cpu_percent, 99);
    cr_expect_eq(edge_node_usage(n)->active_functions, 3);
    cr_expect_eq(edge_node_status_of(n), EDGE_NODE_OFFLINE);
    cr_expect_eq(edge_node_heartbeat(n, 7, &u), EDGE_OK, "the same instant again is fine");
    edge_node_free(n);
}

Test(node, a_failing_heartbeat_leaves_the_node_as_it_was)
{
    edge_node *n = make("n", EDGE_NODE_ONLINE, 50);
    edge_resource_usage bad = idle_usage;
    bad.cpu_percent = NAN;
    cr_expect_eq(edge_node_heartbeat(n, 60, &bad), EDGE_RANGE);
    edge_resource_usage u = idle_usage;
    u.cpu_percent = 55;
    cr_expect_eq(edge_node_heartbeat(n, 49, &u), EDGE_RANGE, "time went back");
    cr_expect_eq(edge_node_heartbeat(n, 60, NULL), EDGE_INVAL);
    cr_expect_eq(edge_node_heartbeat(NULL, 60, &u), EDGE_INVAL);
    cr_expect_eq(edge_node_last_heartbeat(n), 50);
    cr_expect_eq(edge_node_usage(n)->cpu_percent, idle_usage.cpu_percent);
    cr_expect_eq(edge_node_set_status(n, (edge_node_status)7), EDGE_INVAL);
    cr_expect_eq(edge_node_status_of(n), EDGE_NODE_ONLINE);
    edge_node_free(n);
}

/* ---- to_dict ------------------------------------------------------------- */

Test(node, to_dict_has_the_documented_keys)
{
    edge_node *n = make("n1", EDGE_NODE_DEGRADED, 3 * EDGE_S);
    cr_assert_eq(edge_node_heartbeat(n, 4500 * EDGE_MS, &idle_usage), EDGE_OK);
    cJSON *d = NULL;
    cr_assert_eq(edge_node_to_dict(n, &d), EDGE_OK);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, "n1");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(d, "region")->valuestring, "eu-west");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "coordinates")));
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(d, "status")->valuestring, "degraded");
    cJSON *caps = cJSON_GetObjectItemCaseSensitive(d, "capabilities");
    cr_assert_eq(cJSON_GetArraySize(caps), 2);
    cr_expect_str_eq(cJSON_GetArrayItem(caps, 0)->valuestring, "arm64");
    cJSON *res = cJSON_GetObjectItemCaseSensitive(d, "resources");
    const char *keys[] = {"cpu_percent", "memory_used_mb", "memory_max_mb",
                          "disk_used_mb", "disk_max_mb", "active_functions"};
    for (size_t i = 0; i < 6; i++)
        cr_expect(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(res, keys[i])), "%s", keys[i]);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(res, "memory_max_mb")->valuedouble, 1000);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(d, "registered_at_ns")->valuedouble, 3e9);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(d, "registered_at_s")->valuedouble, 3.0);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(d, "last_heartbeat_ns")->valuedouble, 4.5e9);
    cr_expect_eq(cJSON_GetObjectItemCaseSensitive(d, "last_heartbeat_s")->valuedouble, 4.5);
    cr_expect_eq(cJSON_GetArraySize(d), 10, "no undocumented keys");
    cJSON_Delete(d);
    cr_expect_eq(edge_node_to_dict(NULL, &d), EDGE_INVAL);
    edge_node_free(n);
}

Test(node, to_dict_writes_coordinates_when_present)
{
    edge_node_spec spec = {.id = "n", .region = "r", .has_coordinates = true,
                           .latitude = -33.9, .longitude = 151.2};
    edge_node *n;
    cr_assert_eq(edge_node_new(&spec, 0, &n), EDGE_OK);
    cJSON *d;
    cr_assert_eq(edge_node_to_dict(n, &d), EDGE_OK);
    cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "coordinates");
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(c, "lat")->valuedouble, -33.9, 1e-12);
    cr_expect_float_eq(cJSON_GetObjectItemCaseSensitive(c, "lon")->valuedouble, 151.2, 1e-12);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "capabilities")), 0);
    cJSON_Delete(d);
    edge_node_free(n);
}
