/*
 * overrides.c — `--set PATH=VALUE` (docs/scenario.md, "Overrides"): values
 * placed into the JSON tree before any section is read. The items placed are
 * remembered, so that their diagnostics name "--set" instead of a position.
 */
#include "scenario/reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* --set PATH=VALUE                                                           */

static int mark_set(sc_ctx *c, const cJSON *v)
{
    if (c->nset_items == c->set_cap) {
        size_t ncap = c->set_cap ? 2 * c->set_cap : 16;
        const cJSON **p = realloc(c->set_items, ncap * sizeof *p);
        if (!p)
            return -1;
        c->set_items = p;
        size_t *q = realloc(c->set_src, ncap * sizeof *q);
        if (!q)
            return -1;
        c->set_src = q;
        c->set_cap = ncap;
    }
    c->set_src[c->nset_items] = c->cur_set;
    c->set_items[c->nset_items++] = v;
    for (const cJSON *k = v->child; k; k = k->next)
        if (mark_set(c, k))
            return -1;
    return 0;
}

__attribute__((format(printf, 3, 4))) static void set_diag(sc_ctx *c, const char *path,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_vdiag(c, NULL, path, fmt, ap);
    va_end(ap);
    if (c->n <= c->max)
        c->diags[c->n - 1].file = "--set";
}

void sc_apply_set(sc_ctx *c, const char *set)
{
    const char *eq = strchr(set, '=');
    char path[SIM_DIAG_PATH_MAX];
    size_t bad = sc_utf8_bad_at(set, strlen(set));
    if (set[bad]) { /* what a scenario file may not hold, a --set may not either */
        set_diag(c, "", "expected UTF-8 text, found the byte 0x%02x in %s",
                 (unsigned char)set[bad], sc_quoted(set).s);
        return;
    }
    if (!eq || eq == set || (size_t)(eq - set) >= sizeof path) {
        set_diag(c, "", "expected PATH=VALUE such as \"policies.scheduler=round_robin\", found %s",
                 sc_quoted(set).s);
        return;
    }
    memcpy(path, set, (size_t)(eq - set));
    path[eq - set] = 0;
    const char *value = eq + 1;
    const char *pp = path;
    sc_seg sg;
    int first = 1, r;
    /* The whole path is read before the tree is touched: a malformed end
     * ("a..b") used to leave the objects made for its start ("a": {}) to be
     * reported again as unknown fields. */
    while ((r = sc_next_seg(&pp, first, &sg)) == 1)
        first = 0;
    if (r < 0 || first) {
        set_diag(c, "", "expected PATH=VALUE with a path such as \"functions[0].memory_mb\", found %s",
                 sc_quoted(set).s);
        return;
    }
    pp = path;
    first = 1;
    cJSON *cur = c->root;
    /* the first object this set makes (and where), taken out again when a
     * later segment fails, with the items it marked */
    cJSON *made = NULL, *made_in = NULL;
    size_t nset_before = c->nset_items;
    char done[SIM_DIAG_PATH_MAX] = "";
    while ((r = sc_next_seg(&pp, first, &sg)) == 1) {
        first = 0;
        int last = *pp == 0;
        char here[SIM_DIAG_PATH_MAX];
        if (sg.is_index) {
            sc_path_index(here, done, sg.index);
            if (!cJSON_IsArray(cur)) {
                /* once this set made an object, cur is one it made: nothing the
                 * user gave */
                set_diag(c, path, "expected a list at %s to index, found %s", done[0] ? done : "the top",
                         made ? "nothing" : sc_found(cur).s);
                goto undo;
            }
            int size = cJSON_GetArraySize(cur);
            if (sg.index >= (size_t)size) {
                set_diag(c, path, "expected an index below %d in %s, found %zu", size, done, sg.index);
                goto undo;
            }
        } else {
            sc_path_key(here, done, sg.key);
            if (!cJSON_IsObject(cur)) {
                set_diag(c, path, "expected an object at %s to set %s in, found %s",
                         done[0] ? done : "the top", sc_quoted(sg.key).s, sc_found(cur).s);
                goto undo;
            }
        }
        if (last) {
            cJSON *val = cJSON_ParseWithOpts(value, NULL, 1);
            if (val && sc_json_has_nul(value)) { /* cJSON would cut the string there */
                cJSON_Delete(val);
                set_diag(c, path, "expected a value without NUL characters, found \"\\u0000\" "
                                  "in %s", sc_quoted(value).s);
                goto undo;
            }
            if (cJSON_IsNumber(val)) { /* "found 1e400" as typed, not 1e999 */
                size_t b = strspn(value, " \t\r\n"), e = strlen(value);
                while (e > b && strchr(" \t\r\n", value[e - 1]))
                    e--;
                sc_json_keep_literal(val, value + b, e - b);
            }
            if (!val)
                val = cJSON_CreateString(value);
            if (!val || mark_set(c, val)) {
                cJSON_Delete(val);
                sc_oom(c);
                goto undo;
            }
            if (sg.is_index)
                cJSON_ReplaceItemInArray(cur, (int)sg.index, val);
            else if (cJSON_GetObjectItemCaseSensitive(cur, sg.key))
                cJSON_ReplaceItemInObjectCaseSensitive(cur, sg.key, val);
            else
                cJSON_AddItemToObject(cur, sg.key, val);
            return;
        }
        cJSON *next = sg.is_index ? cJSON_GetArrayItem(cur, (int)sg.index)
                                  : cJSON_GetObjectItemCaseSensitive(cur, sg.key);
        if (!next) {
            if (!(next = cJSON_AddObjectToObject(cur, sg.key))) {
                sc_oom(c);
                goto undo;
            }
            if (!made) {
                made = next;
                made_in = cur;
            }
            if (mark_set(c, next)) {
                sc_oom(c);
                goto undo;
            }
        }
        cur = next;
        memcpy(done, here, sizeof done);
    }
    return; /* not reached: the path was read whole above */
undo:
    c->nset_items = nset_before;
    if (made)
        cJSON_Delete(cJSON_DetachItemViaPointer(made_in, made));
}
