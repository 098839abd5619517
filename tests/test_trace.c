/* Pins sim/trace: the file is valid JSON of the documented shape (Chrome
 * trace events that Perfetto opens), an invocation is a slice with its cold
 * start and execution nested inside in that order, slices of one lane never
 * overlap, the window and node filters hold, the cap holds and says so, and
 * an aborted trace leaves no file. */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/trace.h"

#define S EDGE_S
#define MS EDGE_MS

static char dir[64], path[128];

static void setup(void)
{
    strcpy(dir, "/tmp/edgesim-trace-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/trace.json", dir);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static cJSON *load(void)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "no trace file");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *doc = cJSON_Parse(buf);
    cr_assert_not_null(doc, "not valid JSON: %.200s", buf);
    return doc;
}

static const cJSON *events(const cJSON *doc)
{
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(doc, "traceEvents");
    cr_assert(cJSON_IsArray(ev));
    return ev;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    cr_assert(cJSON_IsNumber(v), "no number \"%s\"", k);
    return v->valuedouble;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    cr_assert(cJSON_IsString(v), "no string \"%s\"", k);
    return v->valuestring;
}

static int count_ph(const cJSON *doc, const char *ph, const char *name)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events(doc))
    {
        if (!strcmp(str(e, "ph"), ph) && (!name || !strcmp(str(e, "name"), name)))
            n++;
    }
    return n;
}

/* A small run: node 0 runs three invocations (two at once), node 1 one; a
 * crash of node 1 and its status changes; a load spike on the cluster. */
static void write_small(const sim_trace_filter *f)
{
    char err[256];
    sim_trace *t = sim_trace_open(path, f, "tiny", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_assert_eq(sim_trace_invocation(t, 0, "eu-01", "thumb", 1 * S, 1 * S + 400 * MS, 2 * S, "ok"),
                 0);
    cr_assert_eq(sim_trace_invocation(t, 0, "eu-01", "auth", 1500 * MS, 1500 * MS, 2500 * MS, NULL),
                 0);
    cr_assert_eq(sim_trace_invocation(t, 0, "eu-01", "auth", 2 * S, 2 * S, 3 * S, "ok"), 0);
    cr_assert_eq(sim_trace_fault(t, 10 * S, "crash", 1, "eu-02", NULL), 0);
    cr_assert_eq(sim_trace_invocation(t, 1, "eu-02", "ocr", 9 * S, 9500 * MS, 10 * S, "node_crash"),
                 0);
    cr_assert_eq(sim_trace_status(t, 70 * S, 1, "eu-02", "offline", "heartbeat_timeout"), 0);
    cr_assert_eq(sim_trace_fault(t, 80 * S, "load_spike", -1, NULL, "thumb"), 0);
    cr_assert_eq(sim_trace_fault(t, 120 * S, "recover", 1, "eu-02", NULL), 0);
    cr_assert_eq(sim_trace_status(t, 125 * S, 1, "eu-02", "syncing", "heartbeat_resumed"), 0);
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0, "%s", err);
}

TestSuite(trace, .init = setup, .fini = teardown);

Test(trace, is_json_of_the_documented_shape)
{
    write_small(NULL);
    cJSON *doc = load();
    cr_assert_str_eq(str(doc, "displayTimeUnit"), "ms");
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    cr_assert(cJSON_IsObject(other));
    cr_assert_str_eq(str(other, "run"), "tiny");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(other, "truncated")));
    cr_assert_eq(num(other, "dropped_events"), 0);
    int data = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events(doc))
    {
        const char *ph = str(e, "ph");
        str(e, "name");
        num(e, "pid");
        num(e, "tid");
        if (!strcmp(ph, "M")) {
            cr_assert(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(e, "args")));
            continue;
        }
        data++;
        cr_assert(num(e, "ts") >= 0);
        str(e, "cat");
        if (!strcmp(ph, "X"))
            cr_assert(num(e, "dur") >= 0);
        else
            cr_assert(!strcmp(ph, "i") && !strcmp(str(e, "s"), "t"), "unexpected ph %s", ph);
    }
    /* 3 + 2 + 2 + 3 slices, 2 status and 3 fault instants */
    cr_assert_eq(data, 15);
    cr_assert_eq(num(other, "events"), 15);
    cr_assert_eq(count_ph(doc, "X", "cold start"), 2);
    cr_assert_eq(count_ph(doc, "X", "exec"), 4);
    cr_assert_eq(count_ph(doc, "i", "OFFLINE"), 1);
    cJSON_Delete(doc);
}

Test(trace, names_one_process_per_node_and_the_cluster)
{
    write_small(NULL);
    cJSON *doc = load();
    int cluster = 0, eu01 = 0, eu02 = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events(doc))
    {
        if (strcmp(str(e, "ph"), "M") || strcmp(str(e, "name"), "process_name"))
            continue;
        const char *n = str(cJSON_GetObjectItemCaseSensitive(e, "args"), "name");
        int pid = (int)num(e, "pid");
        if (!strcmp(n, "cluster"))
            cluster += pid == 1;
        else if (!strcmp(n, "node eu-01"))
            eu01 += pid == 2;
        else if (!strcmp(n, "node eu-02"))
            eu02 += pid == 3;
        else
            cr_assert_fail("unexpected process %s", n);
    }
    cr_assert(cluster == 1 && eu01 == 1 && eu02 == 1);
    /* the load spike names no node: the cluster's track */
    cJSON_ArrayForEach(e, events(doc))
    {
        if (!strcmp(str(e, "name"), "load_spike"))
            cr_assert_eq(num(e, "pid"), 1);
        if (!strcmp(str(e, "name"), "crash"))
            cr_assert_eq(num(e, "pid"), 3);
    }
    cJSON_Delete(doc);
}

Test(trace, nests_cold_start_and_exec_inside_their_invocation_in_order)
{
    write_small(NULL);
    cJSON *doc = load();
    const cJSON *ev = events(doc);
    int checked = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev)
    {
        if (strcmp(str(e, "ph"), "X") || strcmp(str(e, "cat"), "invocation"))
            continue;
        double ts = num(e, "ts"), end = ts + num(e, "dur");
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
        int cold = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "cold"));
        /* its children: the slices of the same track inside it */
        double cold_end = -1, exec_ts = -1, exec_end = -1;
        const cJSON *c;
        cJSON_ArrayForEach(c, ev)
        {
            if (c == e || strcmp(str(c, "ph"), "X") || num(c, "pid") != num(e, "pid") ||
                num(c, "tid") != num(e, "tid"))
                continue;
            double cts = num(c, "ts"), cend = cts + num(c, "dur");
            if (cts < ts || cend > end)
                continue;
            if (!strcmp(str(c, "name"), "cold start")) {
                cr_assert_eq(cts, ts, "a cold start begins with its invocation");
                cold_end = cend;
            } else if (!strcmp(str(c, "name"), "exec")) {
                exec_ts = cts;
                exec_end = cend;
            }
        }
        cr_assert_eq(exec_end, end, "exec ends with its invocation");
        if (cold)
            cr_assert_eq(exec_ts, cold_end, "exec begins when the cold start ends");
        else
            cr_assert(cold_end < 0 && exec_ts == ts);
        checked++;
    }
    cr_assert_eq(checked, 4);
    /* thumb 1 s .. 2 s with a 400 ms cold start, in microseconds */
    cJSON_ArrayForEach(e, ev)
    {
        if (!strcmp(str(e, "name"), "cold start") && num(e, "pid") == 2) {
            cr_assert_eq(num(e, "ts"), 1e6);
            cr_assert_eq(num(e, "dur"), 4e5);
        }
    }
    cJSON_Delete(doc);
}

Test(trace, never_overlaps_slices_of_one_lane)
{
    char err[256];
    sim_trace *t = sim_trace_open(path, NULL, NULL, err, sizeof err);
    cr_assert_not_null(t);
    /* 200 invocations on one node, reported in order of their end, up to
     * 8 at once (a pseudo-random but fixed pattern) */
    edge_time starts[200], ends[200];
    unsigned x = 12345;
    for (int i = 0; i < 200; i++) {
        x = x * 1103515245u + 12345u;
        starts[i] = (edge_time)i * 100 * MS;
        ends[i] = starts[i] + (edge_time)(1 + (x >> 16) % 800) * MS;
    }
    for (int done = 0; done < 200; done++) { /* report the earliest end next */
        int k = -1;
        for (int i = 0; i < 200; i++)
            if (ends[i] >= 0 && (k < 0 || ends[i] < ends[k]))
                k = i;
        cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", starts[k], starts[k], ends[k], "ok"), 0);
        ends[k] = -1;
    }
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    const cJSON *ev = events(doc), *a, *b;
    int lanes = 0;
    cJSON_ArrayForEach(a, ev)
    {
        if (strcmp(str(a, "ph"), "X") || strcmp(str(a, "cat"), "invocation"))
            continue;
        if (num(a, "tid") > lanes)
            lanes = (int)num(a, "tid");
        cJSON_ArrayForEach(b, ev)
        {
            if (a == b || strcmp(str(b, "ph"), "X") || strcmp(str(b, "cat"), "invocation") ||
                num(a, "tid") != num(b, "tid"))
                continue;
            double a0 = num(a, "ts"), a1 = a0 + num(a, "dur");
            double b0 = num(b, "ts"), b1 = b0 + num(b, "dur");
            cr_assert(a1 <= b0 || b1 <= a0, "lane %g: [%g, %g) and [%g, %g) overlap",
                      num(a, "tid"), a0, a1, b0, b1);
        }
    }
    cr_assert(lanes >= 2 && lanes <= 12, "%d lanes", lanes);
    cJSON_Delete(doc);
}

Test(trace, keeps_only_the_window)
{
    sim_trace_filter f = {.has_window = 1, .from = 2 * S, .to = 100 * S};
    write_small(&f);
    cJSON *doc = load();
    /* thumb [1, 2) ends at the window's start: out; auth [1.5, 2.5) overlaps: in */
    cr_assert_eq(count_ph(doc, "X", "thumb"), 0);
    cr_assert_eq(count_ph(doc, "X", "auth"), 2);
    cr_assert_eq(count_ph(doc, "X", "ocr"), 1);
    cr_assert_eq(count_ph(doc, "i", "recover"), 0); /* at 120 s: after the window */
    cr_assert_eq(count_ph(doc, "i", "SYNCING"), 0);
    cr_assert_eq(count_ph(doc, "i", "crash"), 1);
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(other, "window_s");
    cr_assert(cJSON_IsArray(w) && cJSON_GetArraySize(w) == 2);
    cr_assert_eq(cJSON_GetArrayItem(w, 1)->valuedouble, 100.0);
    cJSON_Delete(doc);
}

Test(trace, keeps_only_the_chosen_nodes_and_the_cluster)
{
    uint32_t keep[] = {1};
    sim_trace_filter f = {.nodes = keep, .nnodes = 1};
    write_small(&f);
    cJSON *doc = load();
    const cJSON *e;
    cJSON_ArrayForEach(e, events(doc))
    {
        int pid = (int)num(e, "pid");
        cr_assert(pid == 1 || pid == 3, "event of pid %d (%s)", pid, str(e, "name"));
    }
    cr_assert_eq(count_ph(doc, "i", "load_spike"), 1);
    cr_assert_eq(count_ph(doc, "X", "ocr"), 1);
    cJSON_Delete(doc);
}

Test(trace, stops_at_the_cap_and_says_so)
{
    char err[256];
    sim_trace_filter f = {.max_events = 10};
    sim_trace *t = sim_trace_open(path, &f, "capped", err, sizeof err);
    cr_assert_not_null(t);
    /* warm invocations are 2 events each: 5 fit, 95 are dropped whole */
    for (int i = 0; i < 100; i++)
        cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", i * S, i * S, i * S + MS, "ok"), 0);
    cr_assert_eq(sim_trace_events(t), 10);
    cr_assert_eq(sim_trace_dropped(t), 190);
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(other, "truncated")));
    cr_assert_eq(num(other, "events"), 10);
    cr_assert_eq(num(other, "dropped_events"), 190);
    cr_assert_eq(num(other, "max_events"), 10);
    cr_assert_eq(num(other, "truncated_at_s"), 5.0);
    str(other, "note");
    cr_assert_eq(count_ph(doc, "X", "f"), 5);
    cr_assert_eq(count_ph(doc, "X", "exec"), 5);
    /* the moment is marked once, globally */
    int marks = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events(doc))
    {
        if (!strcmp(str(e, "ph"), "i") && !strcmp(str(e, "s"), "g"))
            marks++;
    }
    cr_assert_eq(marks, 1);
    cJSON_Delete(doc);
}

Test(trace, keeps_everything_without_a_cap_and_says_there_is_none)
{
    char err[256];
    sim_trace_filter f = {.max_events = SIM_TRACE_NO_CAP};
    sim_trace *t = sim_trace_open(path, &f, "uncapped", err, sizeof err);
    cr_assert_not_null(t);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", i * S, i * S, i * S + MS, "ok"), 0);
    cr_assert_eq(sim_trace_events(t), 2000);
    cr_assert_eq(sim_trace_dropped(t), 0);
    cr_assert_eq(sim_trace_max_events(t), SIM_TRACE_NO_CAP);
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(other, "truncated")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(other, "max_events")));
    cJSON_Delete(doc);
}

Test(trace, writes_a_window_open_at_its_end_as_null)
{
    char err[256];
    sim_trace_filter f = {.has_window = 1, .from = 2 * S, .to = INT64_MAX};
    sim_trace *t = sim_trace_open(path, &f, NULL, err, sizeof err);
    cr_assert_not_null(t);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", i * S, i * S, i * S + MS, "ok"), 0);
    cr_assert_eq(sim_trace_events(t), 6); /* the invocations at 2, 3 and 4 s */
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "otherData"), "window_s");
    cr_assert(cJSON_IsArray(w) && cJSON_GetArraySize(w) == 2);
    cr_assert_eq(cJSON_GetArrayItem(w, 0)->valuedouble, 2.0);
    cr_assert(cJSON_IsNull(cJSON_GetArrayItem(w, 1)));
    cJSON_Delete(doc);
}

Test(trace, never_writes_half_an_invocation_at_the_cap)
{
    char err[256];
    sim_trace_filter f = {.max_events = 4};
    sim_trace *t = sim_trace_open(path, &f, NULL, err, sizeof err);
    cr_assert_not_null(t);
    cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", 0, 0, MS, "ok"), 0);           /* 2 */
    cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", S, S + MS, S + 2 * MS, "ok"), 0); /* 3: no */
    cr_assert_eq(sim_trace_status(t, 2 * S, 0, "n", "degraded", NULL), 0);              /* 1 */
    cr_assert_eq(sim_trace_events(t), 3);
    cr_assert_eq(sim_trace_dropped(t), 3);
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    cr_assert_eq(count_ph(doc, "X", "cold start"), 0);
    cr_assert_eq(count_ph(doc, "X", "exec"), 1);
    cJSON_Delete(doc);
}

Test(trace, escapes_ids_into_valid_json)
{
    char err[256];
    sim_trace *t = sim_trace_open(path, NULL, "a \"quoted\"\\run\n", err, sizeof err);
    cr_assert_not_null(t);
    cr_assert_eq(sim_trace_invocation(t, 0, "node \"x\"\t", "fn\\\x01", 0, 0, MS, "ok"), 0);
    cr_assert_eq(sim_trace_close_commit(t, err, sizeof err), 0);
    cJSON *doc = load();
    cr_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(doc, "otherData"), "run"),
                     "a \"quoted\"\\run\n");
    cr_assert_eq(count_ph(doc, "X", "fn\\\x01"), 1);
    cJSON_Delete(doc);
}

Test(trace, rejects_misuse_with_einval)
{
    char err[256];
    sim_trace *t = sim_trace_open(path, NULL, NULL, err, sizeof err);
    cr_assert_not_null(t);
    errno = 0;
    cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", 2 * S, 2 * S, S, "ok"), -1);
    cr_assert_eq(errno, EINVAL);
    cr_assert_eq(sim_trace_status(t, 0, SIM_TRACE_MAX_NODES, "n", "online", NULL), -1);
    cr_assert_eq(sim_trace_status(t, 0, 0, "n", NULL, NULL), -1);
    cr_assert_eq(sim_trace_fault(t, 0, NULL, -1, NULL, NULL), -1);
    cr_assert_eq(sim_trace_events(t), 0);
    sim_trace_abort(t);
    sim_trace_filter bad = {.has_window = 1, .from = 5 * S, .to = 5 * S};
    cr_assert_null(sim_trace_open(path, &bad, NULL, err, sizeof err));
    cr_assert_str_eq(err, "trace window: expected FROM before TO");
    uint32_t huge[] = {SIM_TRACE_MAX_NODES};
    sim_trace_filter bad2 = {.nodes = huge, .nnodes = 1};
    cr_assert_null(sim_trace_open(path, &bad2, NULL, err, sizeof err));
    cr_assert(strstr(err, "expected node indices below"), "%s", err);
    cr_assert_eq(access(path, F_OK), -1, "no file after failures");
}

Test(trace, leaves_no_file_when_aborted_or_unwritable)
{
    char err[256];
    sim_trace *t = sim_trace_open(path, NULL, NULL, err, sizeof err);
    cr_assert_not_null(t);
    cr_assert_eq(sim_trace_invocation(t, 0, "n", "f", 0, 0, MS, "ok"), 0);
    sim_trace_abort(t);
    sim_trace_abort(NULL);
    cr_assert_eq(access(path, F_OK), -1);
    char bad[192];
    snprintf(bad, sizeof bad, "%s/no/such/dir/t.json", dir);
    cr_assert_null(sim_trace_open(bad, NULL, NULL, err, sizeof err));
    cr_assert(strstr(err, "cannot write"), "%s", err);
    cr_assert_eq(sim_trace_close_commit(NULL, err, sizeof err), -1);
}
