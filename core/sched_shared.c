/*
 * sched_shared.c — least-loaded trees shared by functions deployed on the
 * same nodes (see edge__sched_tree in scheduler_internal.h); for the random
 * policies (EDGE__SCHED_LIST), the same structure without keys: one node
 * list shared by those functions.
 *
 * A tree is found by its node list: a chained hash over the lists (FNV-1a of
 * the node indices), then an exact comparison, so two functions share a tree
 * only when their lists are equal and the sharing changes no answer. Each
 * node lists the trees holding it (edge__sched_node.t) with its position
 * there; scheduler.c's refresh walks that list on a load change. Trees live
 * in slots (freed slots are reused), so an index stays valid while the tree
 * lives and the node lists can name trees by index.
 */
#include <stdlib.h>
#include <string.h>

#include "scheduler_internal.h"

static uint64_t hash_nodes(const uint32_t *nodes, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t i = 0; i < n; i++) {
        h ^= nodes[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ n;
}

/* Doubles the chain heads when trees outnumber them, re-chaining every
 * tree. */
static edge_err rehash(edge_scheduler *s)
{
    uint32_t cap = s->thash_cap ? 2 * s->thash_cap : 64;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return EDGE_NOMEM;
    for (uint32_t i = 0; i < s->ntrees; i++) {
        edge__sched_tree *t = s->trees[i];
        if (!t)
            continue;
        uint32_t b = (uint32_t)(t->hash & (cap - 1));
        t->next = h[b];
        h[b] = i + 1;
    }
    free(s->thash);
    s->thash = h;
    s->thash_cap = cap;
    return EDGE_OK;
}

static edge_err add_ref(edge__sched_node *ns, uint32_t tree, uint32_t pos)
{
    if (ns->nt == 0) {
        ns->t1 = (edge__sched_tree_ref){tree, pos};
        ns->nt = 1;
        return EDGE_OK;
    }
    if (ns->nt - 1 == ns->capt) {
        uint32_t cap = ns->capt ? 2 * ns->capt : 2;
        edge__sched_tree_ref *r = realloc(ns->t, cap * sizeof *r);
        if (!r)
            return EDGE_NOMEM;
        ns->t = r;
        ns->capt = cap;
    }
    ns->t[ns->nt - 1] = (edge__sched_tree_ref){tree, pos};
    ns->nt++;
    return EDGE_OK;
}

/* Removes tree from ns's list; the last one fills the hole. */
static void drop_ref(edge__sched_node *ns, uint32_t tree)
{
    if (ns->nt == 0)
        return;
    edge__sched_tree_ref *last = ns->nt > 1 ? &ns->t[ns->nt - 2] : &ns->t1;
    if (ns->t1.tree == tree) {
        ns->t1 = *last;
        ns->nt--;
        return;
    }
    for (uint32_t i = 0; i + 1 < ns->nt; i++)
        if (ns->t[i].tree == tree) {
            ns->t[i] = *last;
            ns->nt--;
            return;
        }
}

/* Unlinks tree idx from its chain, drops it from its nodes' lists and frees
 * it; its slot goes on the free stack (which has room: it holds at most
 * trees_cap entries). */
static void destroy(edge_scheduler *s, uint32_t idx)
{
    edge__sched_tree *t = s->trees[idx];
    uint32_t *link = &s->thash[t->hash & (s->thash_cap - 1)];
    while (*link != idx + 1)
        link = &s->trees[*link - 1]->next;
    *link = t->next;
    for (uint32_t i = 0; (s->flags & EDGE__SCHED_TREE) && i < t->n; i++)
        drop_ref(&s->nodes[t->nodes[i]], idx);
    edge_argmin_free(&t->t);
    free(t->nodes);
    free(t);
    s->trees[idx] = NULL;
    s->tfree[s->nfree++] = idx;
}

/* A new tree over fs's nodes in a free slot, chained and referenced by its
 * nodes. On EDGE_NOMEM nothing is left behind. */
static edge_err make(edge_scheduler *s, const edge__sched_fn *fs, uint64_t hash, uint32_t *out)
{
    if (!s->nfree && s->ntrees == s->trees_cap) {
        uint32_t cap = s->trees_cap ? 2 * s->trees_cap : 16;
        edge__sched_tree **a = realloc(s->trees, cap * sizeof *a);
        if (!a)
            return EDGE_NOMEM;
        s->trees = a;
        uint32_t *f = realloc(s->tfree, cap * sizeof *f);
        if (!f)
            return EDGE_NOMEM;
        s->tfree = f;
        s->trees_cap = cap;
    }
    if (s->ntrees + 1 - s->nfree > s->thash_cap && rehash(s) != EDGE_OK)
        return EDGE_NOMEM;
    edge__sched_tree *t = calloc(1, sizeof *t);
    if (!t)
        return EDGE_NOMEM;
    /* a shared node list alone (EDGE__SCHED_LIST) keeps no keys: its
     * argmin stays empty and its nodes do not refer to it */
    int keyed = (s->flags & EDGE__SCHED_TREE) != 0;
    t->nodes = malloc((size_t)fs->n * sizeof *t->nodes);
    if (!t->nodes || (keyed && edge_argmin_init(&t->t, fs->n) != EDGE_OK)) {
        free(t->nodes);
        free(t);
        return EDGE_NOMEM;
    }
    memcpy(t->nodes, fs->nodes, (size_t)fs->n * sizeof *t->nodes);
    t->n = fs->n;
    t->hash = hash;
    uint32_t idx = s->nfree ? s->tfree[--s->nfree] : s->ntrees++;
    s->trees[idx] = t;
    uint32_t b = (uint32_t)(hash & (s->thash_cap - 1));
    t->next = s->thash[b];
    s->thash[b] = idx + 1;
    for (uint32_t i = 0; keyed && i < t->n; i++) {
        if (add_ref(&s->nodes[t->nodes[i]], idx, i) != EDGE_OK) {
            t->refs = 1; /* so destroy sees a live tree; it drops the refs added */
            destroy(s, idx);
            return EDGE_NOMEM;
        }
        edge_argmin_set(&t->t, i, edge__sched_node_key(s, t->nodes[i]));
    }
    *out = idx;
    return EDGE_OK;
}

edge_err edge__sched_shared_acquire(edge_scheduler *s, edge__sched_fn *fs)
{
    edge__sched_shared_release(s, fs);
    uint64_t hash = hash_nodes(fs->nodes, fs->n);
    if (s->thash_cap) {
        for (uint32_t i = s->thash[hash & (s->thash_cap - 1)]; i; i = s->trees[i - 1]->next) {
            edge__sched_tree *t = s->trees[i - 1];
            if (t->hash == hash && t->n == fs->n &&
                !memcmp(t->nodes, fs->nodes, (size_t)fs->n * sizeof *fs->nodes)) {
                t->refs++;
                fs->shared = i;
                return EDGE_OK;
            }
        }
    }
    uint32_t idx;
    edge_err rc = make(s, fs, hash, &idx);
    if (rc != EDGE_OK)
        return rc;
    s->trees[idx]->refs = 1;
    fs->shared = idx + 1;
    return EDGE_OK;
}

void edge__sched_shared_release(edge_scheduler *s, edge__sched_fn *fs)
{
    if (!fs->shared)
        return;
    uint32_t idx = fs->shared - 1;
    fs->shared = 0;
    if (--s->trees[idx]->refs == 0)
        destroy(s, idx);
}

void edge__sched_shared_free_all(edge_scheduler *s)
{
    for (uint32_t i = 0; i < s->ntrees; i++)
        if (s->trees[i]) {
            edge_argmin_free(&s->trees[i]->t);
            free(s->trees[i]->nodes);
            free(s->trees[i]);
        }
    free(s->trees);
    free(s->tfree);
    free(s->thash);
    s->trees = NULL;
    s->tfree = NULL;
    s->thash = NULL;
    s->ntrees = s->trees_cap = s->nfree = s->thash_cap = 0;
}
