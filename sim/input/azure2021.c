/*
 * azure2021.c — the Azure Functions 2021 trace ("Faa$T"; azure.h,
 * docs/traces.md): rows app, func, end_timestamp, duration in seconds, one
 * invocation each, kept per function as (start, duration) sorted by start.
 */
#define _GNU_SOURCE
#include "input/azure_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"

static int cmp_call(const void *x, const void *y)
{
    const sim_az_call *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->duration > b->duration) - (a->duration < b->duration);
}

int sim_az2021_read(const sim_az_options *o, sim_az_trace *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    state s;
    memset(&s, 0, sizeof s);
    size_t *caps = NULL, capn = 0;
    rd r = {0};
    r.err = err;
    r.errlen = errlen;
    r.skip = o->skip_errors;
    r.skipped = &out->skipped_rows;
    char b[4 * SIM_EXCERPT_MAX + 8];
    if (o->ninvocations == 0 || o->ninvocations > SIM_AZ_MAX_DAYS) {
        snprintf(err, errlen, "expected from 1 to %u invocation files, found %zu", SIM_AZ_MAX_DAYS,
                 o->ninvocations);
        return -1;
    }
    for (size_t d = 0; d < o->ninvocations; d++) {
        lines l;
        int got, col[4] = {0};
        size_t width = 0; /* the header's: a column may be anywhere in it */
        static const char *const names[4] = {"app", "func", "end_timestamp", "duration"};
        r.file = o->invocations[d];
        r.line = 0;
        if (az_open_lines(&l, &r))
            goto fail;
        while ((got = az_next_line(&l, &r)) == 1) {
            if (az_split(&s.f, l.buf)) {
                az_close_lines(&l);
                az_oom(err, errlen);
                goto fail;
            }
            fields *f = &s.f;
            if (r.line == 1) {
                if (az_need_cols(&r, f, names, 4, col)) {
                    az_close_lines(&l);
                    goto fail;
                }
                width = f->n;
                continue;
            }
            if (f->n == 1 && f->len[0] == 0)
                continue;
            out->rows++;
            int k = az_check_width(&r, f, width);
            if (k < 0) {
                az_close_lines(&l);
                goto fail;
            }
            if (k > 0)
                continue;
            double end = 0, dur = 0;
            if (f->len[col[0]] == 0 || f->len[col[1]] == 0)
                k = az_bad_at(&r, f->col[f->len[col[0]] ? col[1] : col[0]],
                           "expected a hash, found an empty field");
            else if (az_parse_real(f->v[col[2]], f->len[col[2]], &end) || fabs(end) > 9e9)
                k = az_bad_at(&r, f->col[col[2]], "expected an end time in seconds, found %s",
                           az_q(f->v[col[2]], f->len[col[2]], b, sizeof b));
            else if (az_parse_nonneg(f->v[col[3]], f->len[col[3]], &dur) || dur > 9e9)
                k = az_bad_at(&r, f->col[col[3]],
                           "expected a duration in seconds (a number >= 0), found %s",
                           az_q(f->v[col[3]], f->len[col[3]], b, sizeof b));
            if (k < 0) {
                az_close_lines(&l);
                goto fail;
            }
            if (k > 0)
                continue;
            edge_time e = (edge_time)llround(end * 1e9), du = (edge_time)llround(dur * 1e9);
            edge_time st = e - du < 0 ? 0 : e - du; /* rounding in the trace: never before 0 */
            size_t i = az_fn_add(&s, "", f->v[col[0]], f->v[col[1]]);
            if (i == SIZE_MAX) {
                az_close_lines(&l);
                az_oom(err, errlen);
                goto fail;
            }
            if (st < o->window_lo || (o->window_hi > 0 && st >= o->window_hi))
                continue;
            if (i >= capn) {
                size_t nc = s.cap;
                size_t *c2 = realloc(caps, nc * sizeof *c2);
                if (!c2) {
                    az_close_lines(&l);
                    az_oom(err, errlen);
                    goto fail;
                }
                memset(c2 + capn, 0, (nc - capn) * sizeof *c2);
                caps = c2;
                capn = nc;
            }
            sim_az_function *x = &s.fns[i];
            if (x->ncalls == caps[i]) {
                size_t nc = caps[i] ? 2 * caps[i] : 8;
                sim_az_call *v = realloc(x->calls, nc * sizeof *v);
                if (!v) {
                    az_close_lines(&l);
                    az_oom(err, errlen);
                    goto fail;
                }
                x->calls = v;
                caps[i] = nc;
            }
            x->calls[x->ncalls++] = (sim_az_call){st - o->window_lo, du};
            x->total++;
        }
        az_close_lines(&l);
        if (got < 0)
            goto fail;
    }
    for (size_t i = 0; i < s.n; i++) {
        if (s.fns[i].ncalls > 1) /* a function whose calls all fell outside the window has none */
            qsort(s.fns[i].calls, s.fns[i].ncalls, sizeof *s.fns[i].calls, cmp_call);
        s.fns[i].has_durations = 1; /* each call has its own */
    }
    size_t seen = s.n;
    if (az_select_fns(&s, o)) {
        az_oom(err, errlen);
        goto fail;
    }
    az_finish(&s, out, seen);
    az_state_free(&s);
    free(caps);
    return 0;
fail:
    free(caps);
    az_state_free(&s);
    sim_az_trace_free(out);
    return -1;
}
