#include "common/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void sim_diag_path_child(char *out, size_t n, const char *parent, const char *key, size_t index)
{
    char tmp[SIM_DIAG_PATH_MAX];
    if (key)
        snprintf(tmp, sizeof tmp, "%s%s%s", parent ? parent : "",
                 parent && parent[0] ? "." : "", key);
    else
        snprintf(tmp, sizeof tmp, "%s[%zu]", parent ? parent : "", index);
    if (strlen(tmp) >= n && n > 4) {
        memcpy(out, tmp, n - 4);
        memcpy(out + n - 4, "...", 4);
    } else {
        snprintf(out, n, "%s", tmp);
    }
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
