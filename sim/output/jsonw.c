#include "output/jsonw.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON's test of a read-back number: equal within its own tolerance. */
static int close_enough(double a, double b)
{
    double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= max * DBL_EPSILON;
}

static void put_number(sim__csvw *w, const cJSON *item)
{
    double d = item->valuedouble;
    char *p = sim__csvw_room(w, 32);
    if (isnan(d) || isinf(d)) {
        memcpy(p, "null", 4);
        sim__csvw_wrote(w, p + 4);
        return;
    }
    /* an integer of at most 15 digits: "%1.15g" writes its digits, exactly
     * (-0 keeps its sign there) */
    if (fabs(d) < 1e15 && d == (double)(int64_t)d && !(d == 0 && signbit(d))) {
        sim__csvw_wrote(w, sim__put_i64(p, (int64_t)d));
        return;
    }
    /* 15 significant digits when they read back within cJSON's tolerance,
     * else 17: cJSON's rule, so the text is the one cJSON_Print writes */
    int n = snprintf(p, 32, "%1.15g", d);
    char *end;
    double back = strtod(p, &end);
    if (end != p + n || !close_enough(back, d))
        n = snprintf(p, 32, "%1.17g", d);
    sim__csvw_wrote(w, p + n);
}

static void put_string(sim__csvw *w, const char *s)
{
    sim__csvw_char(w, '"');
    if (s) {
        const unsigned char *c = (const unsigned char *)s;
        for (;;) {
            /* the run of bytes that need no escape, in one piece */
            size_t k = 0;
            while (c[k] >= 32 && c[k] != '"' && c[k] != '\\')
                k++;
            while (k > 0) {
                size_t part = k < SIM__CSVW_BUF ? k : SIM__CSVW_BUF;
                char *p = sim__csvw_room(w, part);
                memcpy(p, c, part);
                sim__csvw_wrote(w, p + part);
                c += part;
                k -= part;
            }
            if (!*c)
                break;
            char *p = sim__csvw_room(w, 6);
            *p++ = '\\';
            switch (*c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[*c >> 4];
                *p++ = hex[*c & 15];
            }
            }
            sim__csvw_wrote(w, p);
            c++;
        }
    }
    sim__csvw_char(w, '"');
}

static void put_tabs(sim__csvw *w, size_t n)
{
    while (n > 0) {
        size_t part = n < 64 ? n : 64;
        char *p = sim__csvw_room(w, part);
        memset(p, '\t', part);
        sim__csvw_wrote(w, p + part);
        n -= part;
    }
}

/* depth: cJSON's, the containers entered so far (arrays count too). */
static int put_value(sim__csvw *w, const cJSON *item, size_t depth)
{
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        sim__csvw_str(w, "null");
        return 0;
    case cJSON_False:
        sim__csvw_str(w, "false");
        return 0;
    case cJSON_True:
        sim__csvw_str(w, "true");
        return 0;
    case cJSON_Number:
        put_number(w, item);
        return 0;
    case cJSON_Raw:
        if (!item->valuestring)
            return -1;
        sim__csvw_str(w, item->valuestring);
        return 0;
    case cJSON_String:
        put_string(w, item->valuestring);
        return 0;
    case cJSON_Array:
        sim__csvw_char(w, '[');
        for (const cJSON *c = item->child; c; c = c->next) {
            if (put_value(w, c, depth + 1) != 0)
                return -1;
            if (c->next)
                sim__csvw_str(w, ", ");
        }
        sim__csvw_char(w, ']');
        return 0;
    case cJSON_Object:
        sim__csvw_str(w, "{\n");
        for (const cJSON *c = item->child; c; c = c->next) {
            put_tabs(w, depth + 1);
            put_string(w, c->string);
            sim__csvw_str(w, ":\t");
            if (put_value(w, c, depth + 1) != 0)
                return -1;
            sim__csvw_str(w, c->next ? ",\n" : "\n");
        }
        put_tabs(w, depth);
        sim__csvw_char(w, '}');
        return 0;
    default:
        return -1;
    }
}

int sim__jsonw_value(sim__csvw *w, const cJSON *item)
{
    return item ? put_value(w, item, 0) : -1;
}
