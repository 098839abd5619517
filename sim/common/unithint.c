/*
 * unithint.c — what a duration written another way most likely meant
 * (unithint.h).
 */
#include "common/unithint.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "time.h"

/* Unit words, in any case, and the unit a duration spells them with. */
static const struct {
    const char *word, *unit;
} words[] = {
    {"ns", "ns"}, {"nsec", "ns"}, {"nsecs", "ns"}, {"nanosecond", "ns"}, {"nanoseconds", "ns"},
    {"us", "us"}, {"usec", "us"}, {"usecs", "us"}, {"\xc2\xb5s", "us"}, {"microsecond", "us"},
    {"microseconds", "us"}, {"ms", "ms"}, {"msec", "ms"}, {"msecs", "ms"},
    {"millisecond", "ms"}, {"milliseconds", "ms"}, {"s", "s"}, {"sec", "s"}, {"secs", "s"},
    {"second", "s"}, {"seconds", "s"}, {"m", "m"}, {"min", "m"}, {"mins", "m"},
    {"minute", "m"}, {"minutes", "m"}, {"h", "h"}, {"hr", "h"}, {"hrs", "h"}, {"hour", "h"},
    {"hours", "h"}, {"d", "d"}, {"day", "d"}, {"days", "d"},
};

const char *sim_duration_hint(const char *s, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!s)
        return buf;
    /* the number as written: an optional sign, digits with at most one point */
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    size_t digits = 0, points = 0;
    for (; isdigit((unsigned char)s[i]) || s[i] == '.'; i++)
        *(s[i] == '.' ? &points : &digits) += 1;
    if (!digits || points > 1 || i > 40)
        return buf;
    size_t nlen = i;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    const char *word = s + i;
    size_t wlen = strlen(word);
    while (wlen && (word[wlen - 1] == ' ' || word[wlen - 1] == '\t'))
        wlen--;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        /* "M" stays ambiguous (minutes or months): only lower case for it */
        int one = words[k].word[1] == '\0';
        if (strlen(words[k].word) != wlen ||
            (one ? strncmp(word, words[k].word, wlen) : strncasecmp(word, words[k].word, wlen)))
            continue;
        char want[64];
        snprintf(want, sizeof want, "%.*s%s", (int)nlen, s, words[k].unit);
        edge_time t;
        if (strcmp(want, s) && edge_duration_parse(want, &t) == EDGE_OK)
            snprintf(buf, n, " (did you mean \"%s\"?)", want);
        return buf;
    }
    return buf;
}
