/*
 * plainname.c — names that become paths (the rule is in plainname.h).
 */
#include "common/plainname.h"

#include <stdio.h>
#include <string.h>

static int plain_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
}

int sim_plain_name(const char *s)
{
    if (!s || !s[0] || s[0] == '.')
        return 0;
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= SIM_PLAIN_NAME_MAX || !plain_char((unsigned char)s[n]))
            return 0;
    return 1;
}

int sim_plain_join(char *out, size_t n, const char *parent, const char *name)
{
    if (!sim_plain_name(name))
        return -1;
    int k = snprintf(out, n, "%s/%s", parent, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}
