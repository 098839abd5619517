/*
 * plot_html.c — report.html: one self-contained page per run.
 *
 * The page needs no network, no script and no other file: CSS is inline,
 * every plot is an inline SVG element (gnuplot's SVG with its ids prefixed
 * per figure, since all gnuplot SVGs use the same ids), numbers come from
 * summary.json and every piece of text from the run is HTML-escaped. It
 * reads top to bottom as a person asks: what ran, how it went (key
 * figures), how invocations ended, per function, then the pictures.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/outfile.h"
#include "common/jsonget.h"
#include "output/plot_internal.h"

/* Functions listed in the report's table; the busiest first. */
#define REPORT_MAX_FUNCTIONS 20

void sim__sb_html(sim__sb *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sim__sb_add(b, "&amp;"); break;
        case '<': sim__sb_add(b, "&lt;"); break;
        case '>': sim__sb_add(b, "&gt;"); break;
        case '"': sim__sb_add(b, "&quot;"); break;
        case '\'': sim__sb_add(b, "&#39;"); break;
        default:
            if ((unsigned char)*s < 0x20 || *s == 0x7f)
                sim__sb_add(b, " ");
            else
                sim__sb_addn(b, s, 1);
        }
    }
}

/* In SVG text inside a tag: attribute names id= and href= (with "#")
 * outside quotes, url(# anywhere. Attribute values are copied as they
 * are otherwise, so base64 image data is never touched. */
int sim__svg_inline(sim__sb *b, const char *svg, const char *prefix, const char *title)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return -1;
    int in_tag = 0;
    char quote = 0;
    while (*p) {
        if (!in_tag) {
            if (*p != '<') { /* text up to the next tag */
                const char *lt = strchr(p, '<');
                size_t n = lt ? (size_t)(lt - p) : strlen(p);
                sim__sb_addn(b, p, n);
                p += n;
                continue;
            }
            const char *e = !strncmp(p, "<title>", 7) ? strstr(p, "</title>") : NULL;
            if (e) {
                sim__sb_add(b, "<title>");
                sim__sb_html(b, title);
                sim__sb_add(b, "</title>");
                p = e + 8;
                continue;
            }
            sim__sb_addn(b, p, 1);
            p++;
            in_tag = 1;
            continue;
        }
        if (!strncmp(p, "url(#", 5)) {
            sim__sb_add(b, "url(#");
            sim__sb_add(b, prefix);
            p += 5;
            continue;
        }
        if (quote) {
            if (*p == quote)
                quote = 0;
            sim__sb_addn(b, p, 1);
            p++;
            continue;
        }
        if (*p == '>') {
            in_tag = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if ((*p == ' ' || *p == '\t' || *p == '\n') &&
                   (!strncmp(p + 1, "id=", 3) || !strncmp(p + 1, "xlink:href=", 11) ||
                    !strncmp(p + 1, "href=", 5))) {
            const char *eq = strchr(p, '=');
            char q = eq[1];
            if ((q == '"' || q == '\'') && (p[1] == 'i' || eq[2] == '#')) {
                sim__sb_addn(b, p, (size_t)(eq - p) + 2);
                p = eq + 2;
                if (*p == '#') {
                    sim__sb_add(b, "#");
                    p++;
                }
                sim__sb_add(b, prefix);
                quote = q;
                continue;
            }
        }
        sim__sb_addn(b, p, 1);
        p++;
    }
    return 0;
}


static void fmt_pct(char *buf, size_t n, double fraction)
{
    if (!isfinite(fraction))
        snprintf(buf, n, "—");
    else if (fraction == 0)
        snprintf(buf, n, "0%%");
    else
        snprintf(buf, n, "%.4g%%", fraction * 100);
}

static void fmt_secs(char *buf, size_t n, double s)
{
    if (!isfinite(s))
        snprintf(buf, n, "—");
    else if (s < 1)
        sim__fmt_latency(buf, n, s);
    else if (s < 120)
        snprintf(buf, n, "%.3g s", s);
    else if (s < 7200)
        snprintf(buf, n, "%.4g min", s / 60);
    else
        snprintf(buf, n, "%.4g h", s / 3600);
}

static void fmt_count_or_dash(char *buf, size_t n, double v)
{
    if (isfinite(v))
        sim__fmt_count(buf, n, v);
    else
        snprintf(buf, n, "—");
}

static void row(sim__sb *b, const char *label, const char *value, const char *note)
{
    sim__sb_add(b, "<tr><th scope=\"row\">");
    sim__sb_html(b, label);
    sim__sb_add(b, "</th><td>");
    sim__sb_html(b, value);
    if (note && note[0]) {
        sim__sb_add(b, " <span class=\"note\">");
        sim__sb_html(b, note);
        sim__sb_add(b, "</span>");
    }
    sim__sb_add(b, "</td></tr>\n");
}

static void key_figures(sim__sb *b, const cJSON *s)
{
    char v[128], w[128], x[128], note[160];
    double arrivals = sim_json_number(s, "totals.arrivals"), ok = sim_json_number(s, "totals.ok");
    double failed = sim_json_number(s, "totals.failed"), rejected = sim_json_number(s, "totals.rejected");
    double finished = ok + failed + rejected;
    sim__sb_add(b, "<table class=\"kv\">\n");
    fmt_count_or_dash(v, sizeof v, arrivals);
    row(b, "Arrivals", v, NULL);
    const char *names[3] = {"Completed ok", "Failed", "Rejected"};
    double vals[3] = {ok, failed, rejected};
    for (int i = 0; i < 3; i++) {
        fmt_count_or_dash(v, sizeof v, vals[i]);
        note[0] = '\0';
        if (isfinite(finished) && finished > 0) {
            fmt_pct(w, sizeof w, vals[i] / finished);
            snprintf(note, sizeof note, "%s of finished", w);
        }
        row(b, names[i], v, note);
    }
    fmt_count_or_dash(v, sizeof v, sim_json_number(s, "totals.in_flight_at_end"));
    row(b, "In flight at the end", v, NULL);
    fmt_count_or_dash(v, sizeof v, sim_json_number(s, "totals.retried"));
    row(b, "Retried", v, "attempts moved to another node after a crash");
    double wu = sim_json_number(s, "warmup_s");
    if (isfinite(wu) && wu > 0) {
        fmt_secs(v, sizeof v, wu);
        row(b, "Warm-up", v, "arrivals before it are not counted here");
    }
    double tp = sim_json_number(s, "rates.throughput_per_s");
    if (isfinite(tp))
        snprintf(v, sizeof v, "%.4g per second", tp);
    else
        snprintf(v, sizeof v, "—");
    row(b, "Throughput (ok)", v, NULL);
    sim__fmt_latency(v, sizeof v, sim_json_number(s, "latency_s.p50"));
    sim__fmt_latency(w, sizeof w, sim_json_number(s, "latency_s.p99"));
    sim__fmt_latency(x, sizeof x, sim_json_number(s, "latency_s.p999"));
    char lat[400];
    snprintf(lat, sizeof lat, "%s / %s / %s", v, w, x);
    row(b, "Latency p50 / p99 / p99.9", lat, NULL);
    sim__fmt_latency(v, sizeof v, sim_json_number(s, "latency_s.mean"));
    sim__fmt_latency(w, sizeof w, sim_json_number(s, "latency_s.max"));
    snprintf(lat, sizeof lat, "%s / %s", v, w);
    row(b, "Latency mean / max", lat, NULL);
    fmt_pct(v, sizeof v, sim_json_number(s, "rates.cold_start_rate"));
    double cold = sim_json_number(s, "totals.cold_starts");
    note[0] = '\0';
    if (isfinite(cold)) {
        sim__fmt_count(w, sizeof w, cold);
        snprintf(note, sizeof note, "%s cold starts", w);
    }
    row(b, "Cold-start rate", v, note);
    fmt_pct(v, sizeof v, sim_json_number(s, "health.availability"));
    row(b, "Availability", v, "mean over nodes of the time actually up");
    fmt_secs(v, sizeof v, sim_json_number(s, "health.detection_latency_s.mean"));
    fmt_secs(w, sizeof w, sim_json_number(s, "health.detection_latency_s.max"));
    double ndet = sim_json_number(s, "health.detection_latency_s.count");
    if (!isfinite(ndet))
        ndet = sim_json_number(s, "health.detections");
    if (isfinite(ndet) && ndet == 0) {
        snprintf(lat, sizeof lat, "—");
        snprintf(note, sizeof note, "no crash detected");
    } else {
        snprintf(lat, sizeof lat, "%s / %s", v, w);
        fmt_count_or_dash(x, sizeof x, ndet);
        snprintf(note, sizeof note, "%s detection%s", x, ndet == 1 ? "" : "s");
    }
    row(b, "Crash detection latency mean / max", lat, note);
    fmt_count_or_dash(v, sizeof v, sim_json_number(s, "health.false_suspicions"));
    row(b, "False suspicions", v, "OFFLINE while actually up");
    fmt_count_or_dash(v, sizeof v, sim_json_number(s, "health.undetected_crashes"));
    row(b, "Undetected crashes", v, NULL);
    if (cJSON_IsTrue(sim_json_get(s, "health.probes.enabled"))) {
        /* With two detectors, each on its own (docs/semantics.md, "Health"). */
        static const char *const det[2][2] = {{"health.heartbeat", "Heartbeats"},
                                              {"health.probes", "Probes"}};
        for (int k = 0; k < 2; k++) {
            char key[64], label[96];
            snprintf(key, sizeof key, "%s.detection_mean_s", det[k][0]);
            fmt_secs(v, sizeof v, sim_json_number(s, key));
            snprintf(key, sizeof key, "%s.detections", det[k][0]);
            fmt_count_or_dash(w, sizeof w, sim_json_number(s, key));
            snprintf(key, sizeof key, "%s.false_suspicions", det[k][0]);
            fmt_count_or_dash(x, sizeof x, sim_json_number(s, key));
            snprintf(lat, sizeof lat, "%s detections, %s false suspicions", w, x);
            snprintf(label, sizeof label, "%s: detection latency mean", det[k][1]);
            row(b, label, v, lat);
        }
    }
    fmt_count_or_dash(v, sizeof v, sim_json_number(s, "health.transitions"));
    row(b, "Status transitions", v, NULL);
    const cJSON *fp = sim_json_get(s, "fingerprint");
    sim__sb_add(b, "<tr><th scope=\"row\">Fingerprint</th><td><code>");
    sim__sb_html(b, cJSON_IsString(fp) ? fp->valuestring : "—");
    sim__sb_add(b, "</code></td></tr>\n</table>\n");
}

static const char *outcome_class(const char *reason)
{
    if (!strcmp(reason, "ok"))
        return "ok";
    if (!strcmp(reason, "node_crash") || !strcmp(reason, "timeout") ||
        !strcmp(reason, "handler_error"))
        return "fail";
    if (!strcmp(reason, "no_eligible_node") || !strcmp(reason, "queue_full") ||
        !strcmp(reason, "no_capacity"))
        return "rej";
    return "other";
}

static void outcomes(sim__sb *b, const cJSON *s)
{
    const cJSON *oc = sim_json_get(s, "outcomes");
    if (!cJSON_IsObject(oc) || !oc->child) {
        sim__sb_add(b, "<p class=\"note\">summary.json has no outcomes.</p>\n");
        return;
    }
    double total = 0;
    for (const cJSON *o = oc->child; o; o = o->next)
        if (cJSON_IsNumber(o) && o->valuedouble > 0)
            total += o->valuedouble;
    sim__sb_add(b, "<table class=\"grid\">\n<thead><tr><th>outcome</th><th>count</th>"
                   "<th>share</th></tr></thead>\n<tbody>\n");
    for (const cJSON *o = oc->child; o; o = o->next) {
        if (!o->string || !cJSON_IsNumber(o))
            continue;
        char c[64], p[64];
        sim__fmt_count(c, sizeof c, o->valuedouble);
        fmt_pct(p, sizeof p, total > 0 ? o->valuedouble / total : NAN);
        sim__sb_printf(b, "<tr><td><span class=\"dot %s\"></span>", outcome_class(o->string));
        sim__sb_html(b, o->string);
        sim__sb_printf(b, "</td><td>%s</td><td>%s</td></tr>\n", c, p);
    }
    sim__sb_add(b, "</tbody>\n</table>\n");
}

static int cmp_arrivals_desc(const void *x, const void *y)
{
    const cJSON *a = *(const cJSON *const *)x, *b = *(const cJSON *const *)y;
    double u = sim_json_number(a, "arrivals"), v = sim_json_number(b, "arrivals");
    u = isfinite(u) ? u : -1;
    v = isfinite(v) ? v : -1;
    return u < v ? 1 : u > v ? -1 : 0;
}

/* The faults and operations applied (faults.csv), at most FAULT_ROWS rows. */
#define FAULT_ROWS 50
static void faults_applied(sim__sb *b, const fwin *f, size_t n)
{
    sim__sb_add(b, "<h2 id=\"faults\">Faults applied</h2>\n");
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < n; i++)
        total += f[i].kind[0] != '\0'; /* a recover paired with its crash is consumed */
    if (!total) {
        sim__sb_add(b, "<p>None.</p>\n");
        return;
    }
    sim__sb_add(b, "<table>\n<tr><th>kind</th><th>target</th><th>from</th><th>to</th></tr>\n");
    for (size_t i = 0; i < n && shown < FAULT_ROWS; i++) {
        if (!f[i].kind[0])
            continue;
        char a[64], z[64];
        fmt_secs(a, sizeof a, f[i].a);
        if (f[i].instant)
            snprintf(z, sizeof z, "—");
        else
            fmt_secs(z, sizeof z, f[i].b);
        sim__sb_add(b, "<tr><td>");
        sim__sb_html(b, f[i].kind);
        sim__sb_add(b, "</td><td>");
        sim__sb_html(b, f[i].target[0] ? f[i].target : "—");
        sim__sb_printf(b, "</td><td>%s</td><td>%s</td></tr>\n", a, z);
        shown++;
    }
    sim__sb_add(b, "</table>\n");
    if (total > shown)
        sim__sb_printf(b, "<p>… and %zu more in faults.csv.</p>\n", total - shown);
}

static void functions(sim__sb *b, const cJSON *s)
{
    const cJSON *fns = sim_json_get(s, "functions");
    int n = cJSON_IsObject(fns) ? cJSON_GetArraySize(fns) : 0;
    if (n <= 0)
        return;
    const cJSON **v = malloc((size_t)n * sizeof *v);
    if (!v) {
        b->oom = 1;
        return;
    }
    size_t k = 0;
    for (const cJSON *f = fns->child; f; f = f->next)
        if (f->string && cJSON_IsObject(f))
            v[k++] = f;
    qsort(v, k, sizeof *v, cmp_arrivals_desc);
    size_t shown = k < REPORT_MAX_FUNCTIONS ? k : REPORT_MAX_FUNCTIONS;
    sim__sb_add(b, "<h2 id=\"functions\">Functions</h2>\n");
    if (shown < k)
        sim__sb_printf(b, "<p class=\"note\">The %zu busiest of %zu functions by arrivals; "
                          "summary.json has them all.</p>\n",
                       shown, k);
    sim__sb_add(b, "<table class=\"grid\">\n<thead><tr><th>function</th><th>arrivals</th>"
                   "<th>ok</th><th>failed</th><th>rejected</th><th>cold-start rate</th>"
                   "<th>p50</th><th>p99</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < shown; i++) {
        char a[48], o[48], f[48], r[48], c[48], p50[48], p99[48];
        fmt_count_or_dash(a, sizeof a, sim_json_number(v[i], "arrivals"));
        fmt_count_or_dash(o, sizeof o, sim_json_number(v[i], "ok"));
        fmt_count_or_dash(f, sizeof f, sim_json_number(v[i], "failed"));
        fmt_count_or_dash(r, sizeof r, sim_json_number(v[i], "rejected"));
        fmt_pct(c, sizeof c, sim_json_number(v[i], "cold_start_rate"));
        double l50 = sim_json_number(v[i], "latency_s.p50"), l99 = sim_json_number(v[i], "latency_s.p99");
        double cnt = sim_json_number(v[i], "latency_s.count");
        if (isfinite(cnt) && cnt == 0)
            l50 = l99 = NAN;
        sim__fmt_latency(p50, sizeof p50, l50);
        sim__fmt_latency(p99, sizeof p99, l99);
        sim__sb_add(b, "<tr><td>");
        sim__sb_html(b, v[i]->string);
        sim__sb_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                          "<td>%s</td><td>%s</td></tr>\n",
                       a, o, f, r, c, p50, p99);
    }
    sim__sb_add(b, "</tbody>\n</table>\n");
    free(v);
}

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1f2328;background:#fff;margin:0}\n"
    "main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;"
    "border-bottom:1px solid #d8dee4;padding-bottom:4px}\n"
    ".meta{color:#57606a;margin:0 0 8px}.note{color:#57606a;font-size:13px}\n"
    "nav{font-size:14px;margin:8px 0 0}nav a{margin-right:14px;color:#0969da;"
    "text-decoration:none}\n"
    ".cols{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}\n"
    "table{border-collapse:collapse;font-size:14px}\n"
    "table.kv th{text-align:left;font-weight:600;padding:4px 18px 4px 0;color:#24292f;"
    "white-space:nowrap}table.kv td{padding:4px 0;font-variant-numeric:tabular-nums}\n"
    "table.kv tr+tr{border-top:1px solid #eaeef2}\n"
    "table.grid th,table.grid td{padding:4px 12px;border-bottom:1px solid #eaeef2;"
    "text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.grid th:first-child,table.grid td:first-child{text-align:left}\n"
    "table.grid thead th{border-bottom:2px solid #d0d7de;font-weight:600}\n"
    ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px}\n"
    ".dot.ok{background:#2ca02c}.dot.fail{background:#d62728}.dot.rej{background:#ff7f0e}"
    ".dot.other{background:#7f7f7f}\n"
    "figure{margin:28px 0 0;padding:0}figure svg{display:block;width:100%;height:auto;"
    "border:1px solid #eaeef2}\nfigure svg image{image-rendering:pixelated}\n"
    "figcaption{font-size:14px;color:#424a53;margin-top:6px}\n"
    "code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "background:#f6f8fa;padding:1px 5px;border-radius:4px}\n"
    ".warn{background:#fff8c5;border:1px solid #d4a72c;padding:10px 14px;border-radius:6px}\n"
    "footer{margin-top:40px;font-size:13px;color:#57606a}\n";

int sim__plot_write_report(const char *path, const char *run_name, const cJSON *s,
                           const sim__plot_fig *figs, size_t nfigs, const char *note,
                           const fwin *faults, size_t nfaults, char *err, size_t errlen)
{
    sim__sb b = {0};
    sim__sb_add(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>edgesim run: ");
    sim__sb_html(&b, run_name);
    sim__sb_printf(&b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>",
                   css);
    sim__sb_html(&b, run_name);
    sim__sb_add(&b, "</h1>\n<p class=\"meta\">");
    const cJSON *sched = sim_json_get(s, "scheduler"), *ver = sim_json_get(s, "version");
    double seed = sim_json_number(s, "seed"), dur = sim_json_number(s, "duration_s");
    int first = 1;
    if (cJSON_IsString(sched)) {
        sim__sb_add(&b, "scheduler <b>");
        sim__sb_html(&b, sched->valuestring);
        sim__sb_add(&b, "</b>");
        first = 0;
    }
    if (isfinite(seed)) {
        sim__sb_printf(&b, "%sseed <b>%.0f</b>", first ? "" : " · ", seed);
        first = 0;
    }
    if (isfinite(dur)) {
        char d[64];
        fmt_secs(d, sizeof d, dur);
        sim__sb_printf(&b, "%ssimulated <b>%s</b>", first ? "" : " · ", d);
        first = 0;
    }
    if (cJSON_IsString(ver)) {
        sim__sb_printf(&b, "%sedgesim ", first ? "" : " · ");
        sim__sb_html(&b, ver->valuestring);
    }
    sim__sb_add(&b, "</p>\n<nav><a href=\"#figures\">key figures</a><a href=\"#outcomes\">"
                    "outcomes</a><a href=\"#functions\">functions</a>");
    for (size_t i = 0; i < nfigs; i++) {
        if (!figs[i].svg)
            continue;
        sim__sb_printf(&b, "<a href=\"#fig-%s\">", figs[i].name);
        sim__sb_html(&b, figs[i].name);
        sim__sb_add(&b, "</a>");
    }
    sim__sb_add(&b, "</nav>\n</header>\n<div class=\"cols\">\n<section>\n"
                    "<h2 id=\"figures\">Key figures</h2>\n");
    key_figures(&b, s);
    sim__sb_add(&b, "</section>\n<section>\n<h2 id=\"outcomes\">Outcomes</h2>\n");
    outcomes(&b, s);
    sim__sb_add(&b, "</section>\n</div>\n");
    functions(&b, s);
    faults_applied(&b, faults, nfaults);
    sim__sb_add(&b, "<h2 id=\"plots\">Plots</h2>\n");
    if (note) {
        sim__sb_add(&b, "<p class=\"warn\">");
        sim__sb_html(&b, note);
        sim__sb_add(&b, "</p>\n");
    }
    for (size_t i = 0; i < nfigs; i++) {
        if (!figs[i].svg)
            continue;
        char prefix[64];
        snprintf(prefix, sizeof prefix, "f%zu-", i + 1);
        sim__sb_printf(&b, "<figure id=\"fig-%s\">\n", figs[i].name);
        if (sim__svg_inline(&b, figs[i].svg, prefix, figs[i].caption) != 0) {
            sim__sb_add(&b, "<p class=\"warn\">This plot's SVG could not be read.</p>");
        }
        sim__sb_add(&b, "\n<figcaption><b>");
        sim__sb_html(&b, figs[i].name);
        sim__sb_add(&b, "</b> — ");
        sim__sb_html(&b, figs[i].caption);
        sim__sb_add(&b, "</figcaption>\n</figure>\n");
    }
    sim__sb_add(&b, "<footer>Written by <code>edgesim plot</code> from the run's outputs "
                    "(summary.json and the CSV files described in docs/outputs.md). "
                    "The pictures are also in <code>plots/</code> beside this page.</footer>\n"
                    "</main>\n</body>\n</html>\n");
    if (b.oom) {
        sim__sb_free(&b);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    int rc = sim_write_file_atomic(path, b.s);
    if (rc != 0)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    sim__sb_free(&b);
    return rc;
}
