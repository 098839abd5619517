#include "capset.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "util.h"

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

edge_err edge__capset_init(edge__capset *s, const char *const *names, size_t n)
{
    if (n > EDGE_CAPS_MAX)
        return EDGE_LIMIT;
    if (n > 0 && !names)
        return EDGE_INVAL;
    size_t text = 0;
    for (size_t i = 0; i < n; i++) {
        if (edge__check_name(names[i]) != EDGE_OK)
            return EDGE_INVAL;
        text += strlen(names[i]) + 1;
    }
    if (n == 0) {
        *s = (edge__capset){0};
        return EDGE_OK;
    }
    char **v = edge__malloc(n * sizeof *v + text);
    if (!v)
        return EDGE_NOMEM;
    char *p = (char *)(v + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]) + 1;
        memcpy(p, names[i], len);
        v[i] = p;
        p += len;
    }
    /* Equal names are exactly the duplicates dropped below, so qsort's
     * instability cannot show. */
    qsort(v, n, sizeof *v, cmp_name);
    uint32_t m = 0;
    uint64_t sig = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && strcmp(v[m - 1], v[i]) == 0)
            continue;
        v[m++] = v[i];
        sig |= UINT64_C(1) << (edge__hash_str(v[i]) & 63);
    }
    s->names = v;
    s->n = m;
    s->sig = sig;
    return EDGE_OK;
}

void edge__capset_free(edge__capset *s)
{
    edge__free(s->names);
    *s = (edge__capset){0};
}

bool edge__capset_has(const edge__capset *s, const char *name)
{
    if (!name || s->n == 0)
        return false;
    return bsearch(&name, s->names, s->n, sizeof *s->names, cmp_name) != NULL;
}

bool edge__capset_subset(const edge__capset *need, const edge__capset *have)
{
    if (need->sig & ~have->sig)
        return false;
    uint32_t j = 0;
    for (uint32_t i = 0; i < need->n; i++) {
        int c = 1;
        while (j < have->n && (c = strcmp(have->names[j], need->names[i])) < 0)
            j++;
        if (j == have->n || c != 0)
            return false;
        j++;
    }
    return true;
}
