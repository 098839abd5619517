/*
 * Pins client mobility beyond the Markov chain (sim/net/mobility.c,
 * sim/scenario/clients.c): a random_waypoint group starts at its start
 * region's point, moves in straight lines at its speed, stays in its area,
 * and is always in the region nearest its position; its long-run share of
 * time in each region is what the geometry gives (one half each for two
 * regions splitting a square symmetrically; the area of each region's cell
 * when pauses dominate); its moves depend on the seed only, never on when
 * it is asked; a trace read from a CSV file (regions or positions) moves
 * the group at its rows' times; and bad groups and bad files are rejected
 * with one line at the field, or at the file's line and column.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/mobility.h"
#include "scenario/netspec.h"
#include "scenario/scenario.h"

#define EDGE_M (60 * EDGE_S)
#define EDGE_H (3600 * EDGE_S)

#define MAXD 16
static sim_diag diags[MAXD];
static size_t ndiags;
static char tmpdir[64];

static void rm_tmp(void)
{
    if (!tmpdir[0])
        return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_expect_eq(system(cmd), 0);
    tmpdir[0] = 0;
}

TestSuite(mobility, .fini = rm_tmp);

/* A scenario with the regions REGIONS and the one client group GROUP, named
 * NAME (its folder is the base of relative paths). */
static sim_scenario *parse_as(const char *name, const char *regions, const char *group)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"name\": \"m\", \"duration\": \"1h\", \"regions\": [%s],"
             " \"clients\": [%s],"
             " \"functions\": [{\"id\": \"f\", \"exec_time\": {\"type\": \"constant\","
             " \"value\": \"1ms\"}}], \"nodes\": [{\"id\": \"n\", \"region\": \"a\"}]}",
             regions, group);
    return sim_scenario_parse(buf, strlen(buf), name, NULL, 0, diags, MAXD, &ndiags);
}

static sim_scenario *parse(const char *regions, const char *group)
{
    return parse_as("t.json", regions, group);
}

static const char *line(size_t i)
{
    static char buf[1024];
    sim_diag_format(&diags[i], buf, sizeof buf);
    return buf;
}

/* The group's share of [0, end) in region r, from the summary. */
static double share(sim_mobility *m, edge_time end, const char *group, const char *region)
{
    cJSON *j = sim_mobility_summary(m, end);
    const cJSON *f = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, group),
                                                             "time_fraction"),
                                         region);
    double v = f ? f->valuedouble : 0;
    cJSON_Delete(j);
    return v;
}

static const char *const three =
    "{\"id\": \"a\", \"x\": 1, \"y\": 1}, {\"id\": \"b\", \"x\": 8, \"y\": 2},"
    " {\"id\": \"far\"}, {\"id\": \"c\", \"x\": 4, \"y\": 9}";

Test(mobility, a_waypoint_group_starts_at_its_region_and_moves_in_a_line_at_its_speed)
{
    /* 36 km/h = 0.01 km/s, no pause: the first leg runs from b's point
     * (8, 2) straight to a waypoint; until it is reached the distance
     * covered is exactly 0.01 km per second */
    sim_scenario *s = parse(three, "{\"id\": \"g\", \"start\": \"b\", \"mobility\": "
                                   "\"random_waypoint\", \"area\": {\"x\": [0, 10], \"y\": [0, 10]},"
                                   " \"speed_kmh\": 36}");
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_mobility *m = sim_mobility_create(s, 7);
    double x, y, x1, y1;
    cr_assert_eq(sim_mobility_position(m, 0, 0, &x, &y), 0);
    cr_assert_eq(x, 8);
    cr_assert_eq(y, 2);
    cr_assert_eq(sim_mobility_region(m, 0, 0), 1);
    cr_assert_eq(sim_mobility_position(m, 0, 10 * EDGE_S, &x1, &y1), 0);
    double dx = (x1 - 8) / 0.1, dy = (y1 - 2) / 0.1; /* unit direction after 10 s */
    cr_assert_float_eq(hypot(dx, dy), 1.0, 1e-9);
    for (edge_time t = 20 * EDGE_S; t <= 200 * EDGE_S; t += 20 * EDGE_S) {
        sim_mobility_position(m, 0, t, &x, &y);
        double d = 0.01 * (double)(t / EDGE_S);
        cr_assert_float_eq(x, 8 + dx * d, 1e-9, "x at %lld s", (long long)(t / EDGE_S));
        cr_assert_float_eq(y, 2 + dy * d, 1e-9);
    }
    sim_mobility_free(m);
    sim_scenario_free(s);
}

Test(mobility, a_waypoint_group_is_always_in_the_region_nearest_its_position)
{
    /* three regions with points and one without ("far": never nearest);
     * sampled every 7 s for 40 h: inside the area, never faster than the
     * top speed, in the nearest region (ties to the earlier one) */
    sim_scenario *s = parse(three, "{\"id\": \"g\", \"start\": \"a\", \"mobility\": "
                                   "\"random_waypoint\", \"area\": {\"x\": [0, 10], \"y\": [0, 10]},"
                                   " \"speed_kmh\": [20, 40], \"pause\": {\"type\": \"exponential\","
                                   " \"mean\": \"2m\"}}");
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    const double px[] = {1, 8, NAN, 4}, py[] = {1, 2, NAN, 9};
    sim_mobility *m = sim_mobility_create(s, 11);
    double ox = 1, oy = 1;
    size_t changes = 0, last = 0;
    for (edge_time t = 0; t < 40 * EDGE_H; t += 7 * EDGE_S) {
        double x, y;
        size_t r = sim_mobility_region(m, 0, t);
        sim_mobility_position(m, 0, t, &x, &y);
        cr_assert(x >= 0 && x <= 10 && y >= 0 && y <= 10, "(%g, %g) at %lld", x, y, (long long)t);
        cr_assert(hypot(x - ox, y - oy) <= 40.0 / 3600 * 7 + 1e-9);
        cr_assert_neq(r, 2);
        double dr = hypot(x - px[r], y - py[r]);
        for (size_t k = 0; k < 4; k++)
            if (k != 2)
                cr_assert(dr <= hypot(x - px[k], y - py[k]) + 1e-9,
                          "at %lld in %zu, %zu is nearer", (long long)t, r, k);
        changes += r != last;
        last = r;
        ox = x;
        oy = y;
    }
    cJSON *j = sim_mobility_summary(m, 40 * EDGE_H);
    double h = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "g"), "handovers")->valuedouble;
    cr_assert(changes > 20 && h >= (double)changes, "%zu changes seen, %g handovers", changes, h);
    cJSON_Delete(j);
    sim_mobility_free(m);
    sim_scenario_free(s);
}

Test(mobility, two_regions_splitting_a_square_share_its_time_evenly)
{
    /* the square [0, 10]^2 and points (2.5, 5), (7.5, 5): the boundary is
     * x = 5 and the waypoint process is symmetric about it, so the
     * long-run share is 1/2 each; about 40,000 legs in 40,000 h */
    sim_scenario *s = parse("{\"id\": \"a\", \"x\": 2.5, \"y\": 5}, {\"id\": \"b\", \"x\": 7.5,"
                            " \"y\": 5}",
                            "{\"id\": \"g\", \"start\": \"a\", \"mobility\": \"random_waypoint\","
                            " \"area\": {\"x\": [0, 10], \"y\": [0, 10]}, \"speed_kmh\": 5}");
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    for (uint64_t seed = 1; seed <= 3; seed++) {
        sim_mobility *m = sim_mobility_create(s, seed);
        double a = share(m, 40000 * EDGE_H, "g", "a");
        cr_assert_float_eq(a, 0.5, 0.015, "seed %llu: %g", (unsigned long long)seed, a);
        sim_mobility_free(m);
    }
    sim_scenario_free(s);
}

Test(mobility, with_long_pauses_each_region_gets_the_area_of_its_cell)
{
    /* pauses of 1 h against legs of at most 5 s: the group is nearly always
     * at a waypoint, uniform in the square; the points (0, 5) and (4, 5)
     * split it at x = 2, so a holds 20% of the area */
    sim_scenario *s = parse("{\"id\": \"a\", \"x\": 0, \"y\": 5}, {\"id\": \"b\", \"x\": 4,"
                            " \"y\": 5}",
                            "{\"id\": \"g\", \"start\": \"b\", \"mobility\": \"random_waypoint\","
                            " \"area\": {\"x\": [0, 10], \"y\": [0, 10]}, \"speed_kmh\": 10000,"
                            " \"pause\": \"1h\"}");
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_mobility *m = sim_mobility_create(s, 3);
    double a = share(m, 20000 * EDGE_H, "g", "a");
    cr_assert_float_eq(a, 0.2, 0.012, "%g", a); /* sd about 0.003 */
    sim_mobility_free(m);
    sim_scenario_free(s);
}

Test(mobility, waypoint_moves_depend_on_the_seed_not_on_the_questions)
{
    sim_scenario *s = parse(three, "{\"id\": \"g\", \"start\": \"c\", \"mobility\": "
                                   "\"random_waypoint\", \"area\": {\"x\": [0, 10], \"y\": [0, 10]},"
                                   " \"speed_kmh\": [3, 6]}");
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_mobility *m1 = sim_mobility_create(s, 9), *m2 = sim_mobility_create(s, 9),
                 *m3 = sim_mobility_create(s, 10);
    for (edge_time t = 0; t < 100 * EDGE_H; t += 13 * EDGE_S)
        sim_mobility_region(m1, 0, t);
    cJSON *a = sim_mobility_summary(m1, 100 * EDGE_H), *b = sim_mobility_summary(m2, 100 * EDGE_H),
          *c = sim_mobility_summary(m3, 100 * EDGE_H);
    char *sa = cJSON_PrintUnformatted(a), *sb = cJSON_PrintUnformatted(b),
         *sc = cJSON_PrintUnformatted(c);
    cr_assert_str_eq(sa, sb);
    cr_assert_str_neq(sa, sc);
    free(sa);
    free(sb);
    free(sc);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
    sim_mobility_free(m1);
    sim_mobility_free(m2);
    sim_mobility_free(m3);
    sim_scenario_free(s);
}

static void expect_error(const char *regions, const char *group, const char *want)
{
    sim_scenario *s = parse(regions, group);
    cr_assert_null(s);
    cr_assert_geq(ndiags, 1);
    cr_assert_str_eq(line(0), want);
}

Test(mobility, bad_waypoint_groups_are_named_at_the_field)
{
    const char *rw = "{\"id\": \"g\", \"start\": \"a\", \"mobility\": \"random_waypoint\", ";
    char g[512];
    snprintf(g, sizeof g, "%s\"speed_kmh\": 5}", rw);
    expect_error(three, g,
                 "t.json:1:160: clients[0].area: expected the area waypoints are drawn in, in km,"
                 " such as {\"x\": [0, 10], \"y\": [0, 5]}, found nothing");
    snprintf(g, sizeof g, "%s\"area\": {\"x\": [3, 3], \"y\": [0, 1]}, \"speed_kmh\": 5}", rw);
    expect_error(three, g, "t.json:1:231: clients[0].area.x: expected [min, max] in km, min < max,"
                           " within -1e6 to 1e6, such as [0, 10], found a list");
    snprintf(g, sizeof g, "%s\"area\": {\"x\": [0, 3], \"y\": [0, 1]}, \"speed_kmh\": [6, 3]}", rw);
    expect_error(three, g, "t.json:1:266: clients[0].speed_kmh: expected a speed in km/h or a "
                           "range [min, max] (uniform), from 0.001 to 10000, such as [3, 6], "
                           "found a list");
    snprintf(g, sizeof g, "%s\"area\": {\"x\": [0, 3], \"y\": [0, 1]}, \"speed_kmh\": 5}", rw);
    expect_error("{\"id\": \"a\"}", g,
                 "t.json:1:92: clients[0].start: expected a region with coordinates (\"x\", \"y\""
                 " in km) to start from, found \"a\" without them");
    expect_error("{\"id\": \"a\", \"x\": 1}", g,
                 "t.json:1:45: regions[0].y: expected \"y\" beside \"x\" (km), found nothing");
    snprintf(g, sizeof g, "%s\"area\": {\"x\": [0, 3], \"y\": [0, 1]}, \"speed_kmh\": 5, "
                          "\"rates\": {}}", rw);
    cr_assert_null(parse(three, g));
    cr_assert(strstr(line(0), "clients[0].rates: ") && strstr(line(0), "random_waypoint group"),
              "%s", line(0));
    snprintf(g, sizeof g, "%s\"area\": {\"x\": [0, 3], \"y\": [0, 1]}, \"speed_kmh\": 5, "
                          "\"pause\": 5}", rw);
    cr_assert_null(parse(three, g));
    cr_assert(strstr(line(0), "clients[0].pause"), "%s", line(0));
}

/* ---- trace files ---- */

static void write_file(const char *name, const char *text, size_t len)
{
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/edgesim-mob-XXXXXX");
        cr_assert_not_null(mkdtemp(tmpdir));
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

static sim_scenario *parse_trace(const char *csv, size_t len)
{
    write_file("moves.csv", csv, len);
    static char name[128]; /* diagnostics borrow it */
    snprintf(name, sizeof name, "%s/t.json", tmpdir);
    return parse_as(name, three,
                    "{\"id\": \"g\", \"start\": \"a\", \"mobility\": \"trace\", \"file\": "
                    "\"moves.csv\"}");
}

Test(mobility, a_trace_file_of_regions_moves_the_group_at_its_times)
{
    const char *csv = "# commuters\ntime,group,region\n8h,g,b\n8h,other,c\n\n 17.5h , g , c\r\n";
    sim_scenario *s = parse_trace(csv, strlen(csv));
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_mobility *m = sim_mobility_create(s, 1);
    cr_assert_eq(sim_mobility_region(m, 0, 8 * EDGE_H - 1), 0);
    cr_assert_eq(sim_mobility_region(m, 0, 8 * EDGE_H), 1);
    cr_assert_eq(sim_mobility_region(m, 0, 17 * EDGE_H + 30 * EDGE_M - 1), 1);
    cr_assert_eq(sim_mobility_region(m, 0, 20 * EDGE_H), 3);
    sim_mobility_free(m);
    sim_scenario_free(s);
}

Test(mobility, a_trace_file_of_positions_puts_the_group_in_the_nearest_region)
{
    /* (7, 3) is nearest b (8, 2); (4, 6) is nearest c (4, 9)... no: a (1, 1)
     * is 5.83 away, c 3: c; (2, 2) is a */
    const char *csv = "time,group,x,y\n1h,g,7,3\n2h,g,4,6\n3h,g,2,2\n";
    sim_scenario *s = parse_trace(csv, strlen(csv));
    cr_assert_not_null(s, "%s", ndiags ? line(0) : "");
    sim_mobility *m = sim_mobility_create(s, 1);
    cr_assert_eq(sim_mobility_region(m, 0, 1 * EDGE_H), 1);
    cr_assert_eq(sim_mobility_region(m, 0, 2 * EDGE_H), 3);
    cr_assert_eq(sim_mobility_region(m, 0, 3 * EDGE_H), 0);
    sim_mobility_free(m);
    sim_scenario_free(s);
}

static void expect_file_error(const char *csv, size_t len, const char *tail)
{
    sim_scenario *s = parse_trace(csv, len);
    cr_assert_null(s);
    cr_assert_eq(ndiags, 1, "%zu: %s", ndiags, line(0));
    char want[512];
    snprintf(want, sizeof want, "clients[0].file: %s/moves.csv:%s", tmpdir, tail);
    cr_assert(strstr(line(0), want), "%s\nwant ...%s", line(0), want);
}

Test(mobility, bad_trace_files_are_named_at_their_line_and_column)
{
    const char *c1 = "time,group,place\n";
    expect_file_error(c1, strlen(c1), "1:1: header: expected \"time,group,region\" or "
                                      "\"time,group,x,y\", found \"time,group,place\"");
    const char *c2 = "time,group,region\n1h,g,b\n2h,g,mars\n";
    expect_file_error(c2, strlen(c2), "3:6: region: expected a region id defined in regions, "
                                      "found \"mars\"");
    const char *c3 = "time,group,region\n5h,g,b\n 2h,g,c\n";
    expect_file_error(c3, strlen(c3), "3:2: time: expected the rows of group \"g\" in time "
                                      "order, found \"2h\" after a later one");
    const char *c4 = "time,group,region\n5,g,b\n";
    expect_file_error(c4, strlen(c4), "2:1: time: expected a duration of at least 0s such as "
                                      "\"8h\", found \"5\"");
    const char *c4b = "time,group,region\n106752d,g,b\n";
    expect_file_error(c4b, strlen(c4b), "2:1: time: expected a duration below 292 years, "
                                        "found \"106752d\"");
    const char *c5 = "time,group,region\n5h,g\n";
    expect_file_error(c5, strlen(c5), "2:1: row: expected 3 comma-separated fields as in the "
                                      "header, found 2");
    const char *c6 = "time,group,x,y\n5h,g,1,north\n";
    expect_file_error(c6, strlen(c6), "2:8: y: expected a coordinate in km from -1e6 to 1e6, "
                                      "found \"north\"");
    const char c7[] = "time,group,region\n5h,g,b\n6h,g\0,c\n";
    expect_file_error(c7, sizeof c7 - 1, "3:1: row: expected a line of text, found a NUL byte");
    const char *c8 = "time,group,region\n5h,other,b\n";
    expect_file_error(c8, strlen(c8), "2:1: group: expected rows of group \"g\", found none");
    const char *c9 = "";
    expect_file_error(c9, strlen(c9), "1:1: header: expected");
}

Test(mobility, a_missing_trace_file_or_both_sources_are_refused)
{
    const char *c = "time,group,region\n1h,g,b\n";
    write_file("moves.csv", c, strlen(c));
    static char name[128];
    snprintf(name, sizeof name, "%s/t.json", tmpdir);
    cr_assert_null(parse_as(name, three, "{\"id\": \"g\", \"start\": \"a\", \"mobility\": "
                                         "\"trace\", \"file\": \"nope.csv\"}"));
    cr_assert(strstr(line(0), "clients[0].file: expected a readable CSV file of moves, found "
                              "\"nope.csv\" (No such file or directory)"),
              "%s", line(0));
    cr_assert_null(parse_as(name, three, "{\"id\": \"g\", \"start\": \"a\", \"mobility\": "
                                         "\"trace\", \"file\": \"moves.csv\", \"moves\": []}"));
    cr_assert(strstr(line(0), "clients[0].file: expected either moves or a file of moves, "
                              "found both"),
              "%s", line(0));
}
