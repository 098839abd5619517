/*
 * strbuf.c — a growable string and the number formats people read (the
 * contract is in strbuf.h). Shared by the plots and the HTML report.
 */
#include "output/strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small strings ---- */

void sim__sb_addn(sim__sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sim__sb_add(sim__sb *b, const char *s)
{
    sim__sb_addn(b, s, strlen(s));
}

void sim__sb_printf(sim__sb *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sim__sb_addn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sim__sb_addn(b, big, (size_t)n);
    free(big);
}

void sim__sb_free(sim__sb *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* Appends s as a gnuplot single-quoted string: '' for a quote, control
 * characters as spaces (a newline would end the command). */
void sim__sb_gpstr(sim__sb *b, const char *s)
{
    sim__sb_add(b, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            sim__sb_add(b, "''");
        else if (c < 0x20 || c == 0x7f)
            sim__sb_add(b, " ");
        else
            sim__sb_addn(b, s, 1);
    }
    sim__sb_add(b, "'");
}

/* Appends "name = 'value'\n". */
void sim__sb_gpvar(sim__sb *b, const char *name, const char *value)
{
    sim__sb_printf(b, "%s = ", name);
    sim__sb_gpstr(b, value);
    sim__sb_add(b, "\n");
}

void sim__fmt_latency(char *buf, size_t n, double s)
{
    if (!isfinite(s))
        snprintf(buf, n, "n/a");
    else if (s < 1e-3)
        snprintf(buf, n, "%.3g us", s * 1e6);
    else if (s < 1.0)
        snprintf(buf, n, "%.3g ms", s * 1e3);
    else
        snprintf(buf, n, "%.3g s", s);
}

void sim__fmt_count(char *buf, size_t n, double count)
{
    if (!isfinite(count) || fabs(count) >= 1e18) {
        snprintf(buf, n, "%g", count);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(count));
    size_t len = strlen(digits), o = 0;
    char out[48];
    if (count < 0 && strcmp(digits, "0"))
        out[o++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

