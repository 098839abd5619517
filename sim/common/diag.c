#include "common/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"

void sim_diag_clear(sim_diag *d)
{
    memset(d, 0, sizeof *d);
}

int sim_diag_set(sim_diag *d, const char *path, const char *fmt, ...)
{
    snprintf(d->path, sizeof d->path, "%s", path ? path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int sim_diag_format(const sim_diag *d, char *buf, size_t n)
{
    /* "FILE:LINE:COL: " with whatever is known; a position without a file
     * still ends in ": " so it never runs into the path. */
    char where[64] = "";
    if (d->line > 0 && d->col > 0)
        snprintf(where, sizeof where, "%s%d:%d", d->file ? ":" : "", d->line, d->col);
    else if (d->line > 0)
        snprintf(where, sizeof where, "%s%d", d->file ? ":" : "", d->line);
    int lead = d->file || where[0];
    return snprintf(buf, n, "%s%s%s%s%s%s", d->file ? d->file : "", where, lead ? ": " : "",
                    d->path, d->path[0] ? ": " : "", d->msg);
}

/* Appends len bytes of s to tmp (*at used), cut at SIM_DIAG_PATH_MAX - 1. */
static void path_put(char *tmp, size_t *at, const char *s, size_t len)
{
    size_t room = SIM_DIAG_PATH_MAX - 1 - *at;
    if (len > room)
        len = room;
    memcpy(tmp + *at, s, len);
    *at += len;
}

/* By hand, not snprintf: a scenario of a million nodes asks for a path per
 * element it reads (about 800 instructions each through snprintf). */
void sim_diag_path_child(char *out, size_t n, const char *parent, const char *key, size_t index)
{
    char tmp[SIM_DIAG_PATH_MAX];
    size_t len = 0;
    if (parent)
        path_put(tmp, &len, parent, strlen(parent));
    if (key) {
        if (parent && parent[0])
            path_put(tmp, &len, ".", 1);
        path_put(tmp, &len, key, strlen(key));
    } else {
        char idx[24] = "[";
        char *e = sim_put_u64(idx + 1, index);
        *e++ = ']';
        path_put(tmp, &len, idx, (size_t)(e - idx));
    }
    tmp[len] = 0;
    if (len >= n && n > 4) {
        memcpy(out, tmp, n - 4);
        memcpy(out + n - 4, "...", 4);
    } else if (n) {
        size_t k = len < n ? len : n - 1;
        memcpy(out, tmp, k);
        out[k] = 0;
    }
}

void sim_diag_number_text(char *buf, size_t n, double v, const char *text)
{
    if (!text) {
        sim_diag_number(buf, n, v);
        return;
    }
    snprintf(buf, n, "%s%s%s", text, strlen(text) >= SIM_DIAG_LITERAL_MAX ? "..." : "",
             v == 0 ? " (0 in double precision)" : "");
}

void sim_diag_number(char *buf, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "NaN" : v > 0 ? "1e999" : "-1e999");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}
