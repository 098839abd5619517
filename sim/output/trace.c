#include "output/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/outfile.h"

#ifndef EDGESIM_VERSION
#define EDGESIM_VERSION "unknown"
#endif

#define CLUSTER_PID 1
#define WF_PID 0 /* workflow requests and their steps */
#define NODE_PID(i) ((uint64_t)(i) + 2)

/* What the writer remembers of one node: whether its track is named, and
 * when each of its lanes is free again. */
typedef struct tnode {
    int named;
    uint32_t nlanes, cap;
    edge_time *lane_end;
} tnode;

struct sim_trace {
    sim_outfile out;
    int first; /* no event written yet: no comma before the next */
    int has_window;
    edge_time from, to;
    uint32_t *keep; /* sorted node indices, or NULL for all */
    size_t nkeep;
    uint64_t max_events, events, dropped;
    int truncated;
    edge_time truncated_at;
    char *run;
    tnode *nodes;
    size_t nnodes; /* entries allocated in nodes */
    tnode wf;      /* the workflows process (WF_PID): its lanes */
    uint64_t flows;/* flow arrows drawn so far: their ids */
};

/* ---- JSON text ---- */

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

/* Microseconds with three decimals, exactly from nanoseconds. */
static void json_us(FILE *fp, edge_time ns)
{
    if (ns < 0)
        ns = 0;
    fprintf(fp, "%" PRId64 ".%03" PRId64, ns / 1000, ns % 1000);
}

static void begin_event(sim_trace *t)
{
    fputs(t->first ? "\n" : ",\n", t->out.fp);
    t->first = 0;
}

static int status_of(sim_trace *t)
{
    if (ferror(t->out.fp)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

static void meta(sim_trace *t, uint64_t pid, uint64_t tid, const char *what, const char *key,
                 const char *name, long sort)
{
    begin_event(t);
    fprintf(t->out.fp, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64
                       ",\"args\":{\"%s\":",
            what, pid, tid, key);
    if (name)
        json_str(t->out.fp, name);
    else
        fprintf(t->out.fp, "%ld", sort);
    fputs("}}", t->out.fp);
}

/* ---- filter ---- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int node_kept(const sim_trace *t, uint32_t node)
{
    return !t->keep || bsearch(&node, t->keep, t->nkeep, sizeof node, cmp_u32) != NULL;
}

/* The per-node state, grown on demand; NULL when out of memory. */
static tnode *node_state(sim_trace *t, uint32_t node)
{
    if (node >= t->nnodes) {
        size_t n = t->nnodes ? t->nnodes : 64;
        while (n <= node)
            n *= 2;
        tnode *p = realloc(t->nodes, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + t->nnodes, 0, (n - t->nnodes) * sizeof *p);
        t->nodes = p;
        t->nnodes = n;
    }
    return &t->nodes[node];
}

/* Names the node's process and its health thread the first time. */
static void name_node(sim_trace *t, tnode *n, uint32_t node, const char *node_id)
{
    if (n->named)
        return;
    n->named = 1;
    char name[160];
    snprintf(name, sizeof name, "node %.140s", node_id ? node_id : "?");
    meta(t, NODE_PID(node), 0, "process_name", "name", name, 0);
    meta(t, NODE_PID(node), 0, "process_sort_index", "sort_index", NULL, (long)node + 1);
    meta(t, NODE_PID(node), 0, "thread_name", "name", "health", 0);
    meta(t, NODE_PID(node), 0, "thread_sort_index", "sort_index", NULL, 0);
}

/* Counts n events against the cap. Returns 1 when they may be written;
 * otherwise counts them as dropped (marking the moment the first time). */
static int admit(sim_trace *t, uint64_t n, edge_time when)
{
    if (t->events + n <= t->max_events) {
        t->events += n;
        return 1;
    }
    if (!t->truncated) {
        t->truncated = 1;
        t->truncated_at = when;
        begin_event(t);
        fprintf(t->out.fp, "{\"ph\":\"i\",\"s\":\"g\",\"name\":\"trace truncated: cap of %" PRIu64
                           " events reached\",\"cat\":\"trace\",\"pid\":%d,\"tid\":0,\"ts\":",
                t->max_events, CLUSTER_PID);
        json_us(t->out.fp, when);
        fputs("}", t->out.fp);
    }
    t->dropped += n;
    return 0;
}

/* ---- the API ---- */

sim_trace *sim_trace_open(const char *path, const sim_trace_filter *f, const char *run_name,
                          char *err, size_t errlen)
{
    sim_trace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    t->first = 1;
    t->max_events = f && f->max_events ? f->max_events : SIM_TRACE_DEFAULT_MAX_EVENTS;
    if (f && f->has_window) {
        if (f->to <= f->from) {
            snprintf(err, errlen, "trace window: expected FROM before TO");
            goto fail;
        }
        t->has_window = 1;
        t->from = f->from;
        t->to = f->to;
    }
    if (f && f->nodes) {
        t->keep = malloc((f->nnodes ? f->nnodes : 1) * sizeof *t->keep);
        if (!t->keep) {
            snprintf(err, errlen, "%s: out of memory", path);
            goto fail;
        }
        for (size_t i = 0; i < f->nnodes; i++) {
            if (f->nodes[i] >= SIM_TRACE_MAX_NODES) {
                snprintf(err, errlen,
                         "trace nodes: expected node indices below %u, found %" PRIu32,
                         SIM_TRACE_MAX_NODES, f->nodes[i]);
                goto fail;
            }
            t->keep[i] = f->nodes[i];
        }
        t->nkeep = f->nnodes;
        qsort(t->keep, t->nkeep, sizeof *t->keep, cmp_u32);
    }
    if (run_name && !(t->run = strdup(run_name))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    if (sim_outfile_open(&t->out, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    fputs("{\"traceEvents\":[", t->out.fp);
    meta(t, CLUSTER_PID, 0, "process_name", "name", "cluster", 0);
    meta(t, CLUSTER_PID, 0, "process_sort_index", "sort_index", NULL, 0);
    meta(t, CLUSTER_PID, 0, "thread_name", "name", "faults", 0);
    if (status_of(t) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    return t;
fail:
    sim_trace_abort(t);
    return NULL;
}

int sim_trace_write_error(const sim_trace *t, char *buf, size_t n)
{
    if (!t || !t->out.fp)
        return 0;
    int e = sim_outfile_error(&t->out);
    if (!e && ferror(t->out.fp))
        e = EIO;
    if (!e)
        return 0;
    snprintf(buf, n, "%s: cannot write: %s", t->out.path, strerror(e));
    return 1;
}

void sim_trace_abort(sim_trace *t)
{
    if (!t)
        return;
    sim_outfile_abort(&t->out);
    for (size_t i = 0; i < t->nnodes; i++)
        free(t->nodes[i].lane_end);
    free(t->nodes);
    free(t->wf.lane_end);
    free(t->keep);
    free(t->run);
    free(t);
}

uint64_t sim_trace_events(const sim_trace *t)
{
    return t ? t->events : 0;
}

uint64_t sim_trace_dropped(const sim_trace *t)
{
    return t ? t->dropped : 0;
}

uint64_t sim_trace_max_events(const sim_trace *t)
{
    return t ? t->max_events : 0;
}

/* The first lane of n free at start (its last invocation ended by then), a
 * new one if none is; its end becomes end. Returns the lane (1-based, the
 * tid), 0 when out of memory. */
static uint32_t take_lane(sim_trace *t, tnode *n, uint32_t node, edge_time start, edge_time end)
{
    uint32_t i = 0;
    while (i < n->nlanes && n->lane_end[i] > start)
        i++;
    if (i == n->nlanes) {
        if (n->nlanes == n->cap) {
            uint32_t cap = n->cap ? 2 * n->cap : 4;
            edge_time *p = realloc(n->lane_end, cap * sizeof *p);
            if (!p)
                return 0;
            n->lane_end = p;
            n->cap = cap;
        }
        n->nlanes++;
        char name[32];
        snprintf(name, sizeof name, "slot %" PRIu32, i + 1);
        meta(t, NODE_PID(node), i + 1, "thread_name", "name", name, 0);
        meta(t, NODE_PID(node), i + 1, "thread_sort_index", "sort_index", NULL, (long)i + 1);
    }
    n->lane_end[i] = end;
    return i + 1;
}

static void slice(sim_trace *t, const char *name, const char *cat, uint64_t pid, uint32_t tid,
                  edge_time start, edge_time end)
{
    begin_event(t);
    fputs("{\"ph\":\"X\",\"name\":", t->out.fp);
    json_str(t->out.fp, name);
    fprintf(t->out.fp, ",\"cat\":\"%s\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu32 ",\"ts\":", cat,
            pid, tid);
    json_us(t->out.fp, start);
    fputs(",\"dur\":", t->out.fp);
    json_us(t->out.fp, end - start);
}

int sim_trace_invocation(sim_trace *t, uint32_t node, const char *node_id, const char *fn_id,
                         edge_time start, edge_time cold_end, edge_time end, const char *outcome)
{
    if (!t || end < start || node >= SIM_TRACE_MAX_NODES) {
        errno = EINVAL;
        return -1;
    }
    /* kept when it overlaps the window; an instantaneous one when inside */
    if (t->has_window && !(start < t->to && (end > t->from || (end == start && start >= t->from))))
        return 0;
    if (!node_kept(t, node))
        return 0;
    if (cold_end < start)
        cold_end = start;
    if (cold_end > end)
        cold_end = end;
    int cold = cold_end > start;
    if (!admit(t, cold ? 3 : 2, start))
        return status_of(t);
    tnode *n = node_state(t, node);
    if (!n) {
        errno = ENOMEM;
        return -1;
    }
    name_node(t, n, node, node_id);
    uint32_t lane = take_lane(t, n, node, start, end);
    if (!lane) {
        errno = ENOMEM;
        return -1;
    }
    uint64_t pid = NODE_PID(node);
    const char *oc = outcome ? outcome : "ok";
    slice(t, fn_id ? fn_id : "?", "invocation", pid, lane, start, end);
    fputs(",\"args\":{\"outcome\":", t->out.fp);
    json_str(t->out.fp, oc);
    fprintf(t->out.fp, ",\"cold\":%s}}", cold ? "true" : "false");
    if (cold) {
        slice(t, "cold start", "cold_start", pid, lane, start, cold_end);
        fputs("}", t->out.fp);
    }
    slice(t, "exec", "exec", pid, lane, cold_end, end);
    fputs(",\"args\":{\"function\":", t->out.fp);
    json_str(t->out.fp, fn_id ? fn_id : "?");
    fputs("}}", t->out.fp);
    return status_of(t);
}

static int in_window(const sim_trace *t, edge_time time)
{
    return !t->has_window || (time >= t->from && time < t->to);
}

/* An instant event on the health thread of a node or the cluster. */
static void instant(sim_trace *t, uint64_t pid, const char *name, const char *cat, edge_time time)
{
    begin_event(t);
    fputs("{\"ph\":\"i\",\"s\":\"t\",\"name\":", t->out.fp);
    json_str(t->out.fp, name);
    fprintf(t->out.fp, ",\"cat\":\"%s\",\"pid\":%" PRIu64 ",\"tid\":0,\"ts\":", cat, pid);
    json_us(t->out.fp, time);
}

int sim_trace_status(sim_trace *t, edge_time time, uint32_t node, const char *node_id,
                     const char *status, const char *reason)
{
    if (!t || node >= SIM_TRACE_MAX_NODES || !status) {
        errno = EINVAL;
        return -1;
    }
    if (!in_window(t, time) || !node_kept(t, node))
        return 0;
    if (!admit(t, 1, time))
        return status_of(t);
    tnode *n = node_state(t, node);
    if (!n) {
        errno = ENOMEM;
        return -1;
    }
    name_node(t, n, node, node_id);
    char upper[64];
    size_t i = 0;
    for (; status[i] && i < sizeof upper - 1; i++)
        upper[i] = (char)(status[i] >= 'a' && status[i] <= 'z' ? status[i] - 'a' + 'A'
                                                               : status[i]);
    upper[i] = '\0';
    instant(t, NODE_PID(node), upper, "status", time);
    fputs(",\"args\":{\"status\":", t->out.fp);
    json_str(t->out.fp, status);
    if (reason) {
        fputs(",\"reason\":", t->out.fp);
        json_str(t->out.fp, reason);
    }
    fputs("}}", t->out.fp);
    return status_of(t);
}

int sim_trace_fault(sim_trace *t, edge_time time, const char *kind, int64_t node,
                    const char *node_id, const char *target)
{
    if (!t || !kind || node >= (int64_t)SIM_TRACE_MAX_NODES) {
        errno = EINVAL;
        return -1;
    }
    if (!in_window(t, time) || (node >= 0 && !node_kept(t, (uint32_t)node)))
        return 0;
    if (!admit(t, 1, time))
        return status_of(t);
    uint64_t pid = CLUSTER_PID;
    if (node >= 0) {
        tnode *n = node_state(t, (uint32_t)node);
        if (!n) {
            errno = ENOMEM;
            return -1;
        }
        name_node(t, n, (uint32_t)node, node_id);
        pid = NODE_PID(node);
    }
    instant(t, pid, kind, "fault", time);
    fputs(",\"args\":{\"target\":", t->out.fp);
    json_str(t->out.fp, node >= 0 ? node_id : target ? target : "");
    fputs("}}", t->out.fp);
    return status_of(t);
}

int sim_trace_close_commit(sim_trace *t, char *err, size_t errlen)
{
    if (!t) {
        snprintf(err, errlen, "trace: not open");
        return -1;
    }
    FILE *fp = t->out.fp;
    fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"generator\":", fp);
    json_str(fp, "edgesim " EDGESIM_VERSION);
    fputs(",\"run\":", fp);
    json_str(fp, t->run ? t->run : "");
    fputs(",\"time_unit\":\"us of virtual time\",\"window_s\":", fp);
    if (!t->has_window)
        fputs("null", fp);
    else if (t->to == INT64_MAX) /* open: to the end of the run */
        fprintf(fp, "[%.9f,null]", (double)t->from / 1e9);
    else
        fprintf(fp, "[%.9f,%.9f]", (double)t->from / 1e9, (double)t->to / 1e9);
    fputs(",\"nodes\":", fp);
    if (t->keep) {
        fputs("[", fp);
        for (size_t i = 0; i < t->nkeep; i++)
            fprintf(fp, "%s%" PRIu32, i ? "," : "", t->keep[i]);
        fputs("]", fp);
    } else {
        fputs("\"all\"", fp);
    }
    if (t->max_events == SIM_TRACE_NO_CAP)
        fputs(",\"max_events\":null", fp);
    else
        fprintf(fp, ",\"max_events\":%" PRIu64, t->max_events);
    fprintf(fp, ",\"events\":%" PRIu64 ",\"dropped_events\":%" PRIu64 ",\"truncated\":%s",
            t->events, t->dropped, t->truncated ? "true" : "false");
    if (t->truncated) {
        fputs(",\"truncated_at_s\":", fp);
        fprintf(fp, "%.9f", (double)t->truncated_at / 1e9);
        fputs(",\"note\":\"the event cap was reached: later events were dropped; narrow the "
              "window or the nodes, or raise the cap (edgesim run --trace-max-events N, 0 for "
              "none)\"",
              fp);
    }
    fputs("}}\n", fp);
    char path[4096];
    snprintf(path, sizeof path, "%s", t->out.path);
    int rc = sim_outfile_commit(&t->out);
    if (rc != 0)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    sim_trace_abort(t); /* the outfile is already released: frees the rest */
    return rc;
}

/* ---- workflows ---- */

/* The first lane of the workflows process free at start (as take_lane). */
static uint32_t wf_lane(sim_trace *t, edge_time start, edge_time end)
{
    tnode *n = &t->wf;
    if (!n->named) {
        n->named = 1;
        meta(t, WF_PID, 0, "process_name", "name", "workflows", 0);
        meta(t, WF_PID, 0, "process_sort_index", "sort_index", NULL, -1);
    }
    uint32_t i = 0;
    while (i < n->nlanes && n->lane_end[i] > start)
        i++;
    if (i == n->nlanes) {
        if (n->nlanes == n->cap) {
            uint32_t cap = n->cap ? 2 * n->cap : 8;
            edge_time *p = realloc(n->lane_end, cap * sizeof *p);
            if (!p)
                return 0;
            n->lane_end = p;
            n->cap = cap;
        }
        n->nlanes++;
        char name[32];
        snprintf(name, sizeof name, "lane %" PRIu32, i + 1);
        meta(t, WF_PID, i + 1, "thread_name", "name", name, 0);
    }
    n->lane_end[i] = end;
    return i + 1;
}

static void flow(sim_trace *t, char ph, uint64_t id, uint32_t tid, edge_time ts)
{
    begin_event(t);
    fprintf(t->out.fp, "{\"ph\":\"%c\",\"name\":\"result\",\"cat\":\"workflow\",\"id\":%" PRIu64
                       ",\"pid\":%d,\"tid\":%" PRIu32 ",%s\"ts\":",
            ph, id, WF_PID, tid, ph == 'f' ? "\"bp\":\"e\"," : "");
    json_us(t->out.fp, ts);
    fputs("}", t->out.fp);
}

int sim_trace_workflow(sim_trace *t, const char *wf_id, uint64_t request, edge_time arrival,
                       edge_time end, const char *outcome, const sim_trace_step *steps,
                       size_t nsteps)
{
    if (!t || end < arrival || (nsteps && !steps)) {
        errno = EINVAL;
        return -1;
    }
    if (t->has_window && !(arrival < t->to && (end > t->from || (end == arrival &&
                                                                  arrival >= t->from))))
        return 0;
    uint64_t n = 1;
    for (size_t i = 0; i < nsteps; i++)
        n += steps[i].ran ? 1 + 2 * (steps[i].after < i && steps[i].after < 64 &&
                                     steps[steps[i].after].ran)
                          : 0;
    if (!admit(t, n, arrival))
        return status_of(t);
    uint32_t lane = wf_lane(t, arrival, end);
    if (!lane) {
        errno = ENOMEM;
        return -1;
    }
    char name[200];
    snprintf(name, sizeof name, "%.120s #%" PRIu64, wf_id ? wf_id : "?", request);
    slice(t, name, "workflow", WF_PID, lane, arrival, end);
    fputs(",\"args\":{\"outcome\":", t->out.fp);
    json_str(t->out.fp, outcome ? outcome : "ok");
    fputs("}}", t->out.fp);
    uint32_t tids[64];
    for (size_t i = 0; i < nsteps; i++) {
        const sim_trace_step *st = &steps[i];
        if (!st->ran)
            continue;
        uint32_t tid = wf_lane(t, st->start, st->end);
        if (!tid) {
            errno = ENOMEM;
            return -1;
        }
        if (i < 64)
            tids[i] = tid;
        slice(t, st->name ? st->name : "?", "step", WF_PID, tid, st->start, st->end);
        fprintf(t->out.fp, ",\"args\":{\"workflow\":");
        json_str(t->out.fp, name);
        fputs(",\"node\":", t->out.fp);
        json_str(t->out.fp, st->node_id ? st->node_id : "");
        fputs("}}", t->out.fp);
        /* an arrow from the step it waited for (listed before it) */
        if (st->after < i && st->after < 64 && steps[st->after].ran) {
            uint64_t id = ++t->flows;
            flow(t, 's', id, tids[st->after], steps[st->after].start);
            flow(t, 'f', id, tid, st->start);
        }
    }
    return status_of(t);
}
