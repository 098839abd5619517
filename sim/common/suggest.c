/*
 * suggest.c — "did you mean" by optimal string alignment distance.
 *
 * Three rolling rows of the dynamic programme on the stack; words differing
 * in length by more than the cap are rejected before any work, so a
 * suggestion costs O(len^2) only for plausible candidates.
 */
#include "common/suggest.h"

#include <string.h>

size_t sim_edit_distance(const char *a, const char *b)
{
    const size_t far = SIM_SUGGEST_MAX_EDITS + 97;
    size_t la = strlen(a), lb = strlen(b);
    if (la > SIM_SUGGEST_WORD_MAX || lb > SIM_SUGGEST_WORD_MAX)
        return far;
    if ((la > lb ? la - lb : lb - la) > SIM_SUGGEST_MAX_EDITS)
        return far;
    size_t r0[SIM_SUGGEST_WORD_MAX + 2], r1[SIM_SUGGEST_WORD_MAX + 2],
        r2[SIM_SUGGEST_WORD_MAX + 2];
    size_t *pp = r0, *p = r1, *cur = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[lb] > SIM_SUGGEST_MAX_EDITS ? far : p[lb];
}

int sim_suggest_close(const char *word, const char *cand, size_t *dist)
{
    size_t d = sim_edit_distance(word, cand);
    if (dist)
        *dist = d;
    return d <= SIM_SUGGEST_MAX_EDITS && d < strlen(word);
}

const char *sim_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bd = SIM_SUGGEST_MAX_EDITS + 1, d;
    for (size_t i = 0; cands[i]; i++)
        if (sim_suggest_close(word, cands[i], &d) && d < bd) {
            bd = d;
            best = cands[i];
        }
    return best;
}
