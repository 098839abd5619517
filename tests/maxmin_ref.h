/*
 * maxmin_ref.h: max-min rates by plain progressive filling from scratch,
 * the reference the flow solver's tests (test_fairshare*.c) compare
 * sim_fairshare against after random operations. Slow and obvious on
 * purpose: O(rounds * (links + flows * hops)).
 */
#ifndef TESTS_MAXMIN_REF_H
#define TESTS_MAXMIN_REF_H

#include <stdint.h>

enum { REF_MAX_LINKS = 16, REF_MAX_FLOWS = 64 };

/* A flow of the reference: active when on; its route is l[0..n-1]; id is
 * the solver's flow id, for the caller. */
typedef struct ref_flow {
    int on;
    uint32_t id, n, l[4];
} ref_flow;

/* Writes the max-min rate of each active flow of f[0..nf-1] (nf <=
 * REF_MAX_FLOWS) over links 0..nl-1 (nl <= REF_MAX_LINKS) of capacities
 * cap into rate[i]; rate[i] of an inactive flow is left alone. */
static inline void maxmin_ref(int nl, const double *cap, int nf, const ref_flow *f, double *rate)
{
    double rem[REF_MAX_LINKS];
    int un[REF_MAX_LINKS] = {0}, fixed[REF_MAX_FLOWS] = {0};
    for (int l = 0; l < nl; l++)
        rem[l] = cap[l];
    for (int i = 0; i < nf; i++)
        if (f[i].on)
            for (uint32_t h = 0; h < f[i].n; h++)
                un[f[i].l[h]]++;
    for (;;) {
        int best = -1;
        double share = 0;
        for (int l = 0; l < nl; l++)
            if (un[l] && (best < 0 || rem[l] / un[l] < share)) {
                best = l;
                share = rem[l] / un[l];
            }
        if (best < 0)
            return;
        for (int i = 0; i < nf; i++) {
            int on_best = 0;
            for (uint32_t h = 0; f[i].on && !fixed[i] && h < f[i].n; h++)
                on_best |= f[i].l[h] == (uint32_t)best;
            if (!on_best)
                continue;
            fixed[i] = 1;
            rate[i] = share;
            for (uint32_t h = 0; h < f[i].n; h++) {
                rem[f[i].l[h]] -= share;
                un[f[i].l[h]]--;
            }
        }
    }
}

#endif
