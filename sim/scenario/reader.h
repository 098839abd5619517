/*
 * reader.h — internal to sim/scenario/: the kit the scenario reader's
 * sections are written with.
 *
 * The reader (scenario.c) parses the JSON text once into a cJSON tree with a
 * position map (reader_json.c), applies --set overrides (overrides.c), then
 * reads one section after another into the sim_scenario being built, each in
 * its own file: regions.c (and "network"), nodes.c, functions.c, faults.c,
 * deployments.c, workloads.c (and trace workloads), policies.c, sync.c. A
 * section reads with the typed field readers below; each reader checks one
 * field, reports a problem as ONE sim_diag line
 *     FILE:LINE:COL: JSON.PATH: expected WHAT, found WHAT
 * and returns, so the section goes on to the next field and `edgesim
 * validate` lists every problem. Nothing here aborts on bad input; out of
 * memory is reported once (sc_oom) and sets c->oom.
 *
 * How to add a section (say "links"):
 *   1. Document it in docs/scenario.md, and in scenarios/schema.json.
 *   2. Add its field to sim_scenario (scenario.h) and the key to top_fields
 *      in scenario.c.
 *   3. Write sim/scenario/links.c: a file comment, then, in the order the
 *      docs describe the fields,
 *          static const char *const link_fields[] = {"from", "to", ..., NULL};
 *          void sc_read_links(sc_ctx *c)
 *          {
 *              const cJSON *arr = NULL;
 *              if (sc_array_field(c, c->root, "", "links", 0, "a list of links", &arr) <= 0)
 *                  return;                          absent (0) or reported (-1)
 *              char p[SIM_DIAG_PATH_MAX];
 *              size_t i = 0;
 *              for (const cJSON *it = arr->child; it && !c->oom; it = it->next, i++) {
 *                  sc_path_index(p, "links", i);     "links[3]"
 *                  if (!sc_want_object(c, it, p, "a link"))
 *                      continue;
 *                  sc_check_fields(c, it, p, link_fields, NULL, NULL);
 *                  size_t a = sc_region_ref(c, it, p, "from");   SIM_ALL: reported
 *                  edge_time lat = EDGE_MS;                      the default
 *                  sc_duration_field(c, it, p, "latency", 0, SC_SIGN_NONNEG, "5ms", &lat);
 *                  ...store into c->s, growing arrays with sc_grow...
 *              }
 *          }
 *      Field readers return 1 read, 0 absent (and not required: *out is left
 *      as it was, so set the default first), -1 a problem (already reported).
 *      Never print: every problem goes through sc_diag or a field reader.
 *   4. Declare sc_read_links (and the function freeing what it owns) below,
 *      under "Sections", and call it from sim_scenario_parse in scenario.c
 *      after the sections it refers to (ids resolve only to what is read
 *      already); free it in sim_scenario_free.
 *   5. Add bad scenarios with their exact error lines to tests/scenarios/bad.
 *
 * Names: kit functions and types carry sc_ (internal to this folder, as
 * world's wcore_); a section's own helpers are static in its file.
 */
#ifndef SIM_SCENARIO_READER_H
#define SIM_SCENARIO_READER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/diag.h"
#include "idmap.h"
#include "scenario/reader_shim.h"
#include "scenario/scenario.h"

#define SIM_ID_MAX 128            /* ids appear in CSV outputs and lines of text */
#define SIM_CAPS_MAX 64           /* capabilities per node or function */

typedef struct sc_ctx sc_ctx; /* the parse context, below */

/* ------------------------------------------------------------------------ */
/* Id tables (reader_ids.c)                                                   */

/*
 * Ids resolve to indices through core's hash table (core/idmap.h: internal
 * to core, linked here as the tables of the cluster are): it keeps no keys,
 * only (hash, index), and asks the record at an index for its id, so each id
 * lives once, in the scenario's own strings: s->regions[i].name,
 * s->nodes[i].id, s->functions[i].id.
 */
typedef enum { SC_REGIONS, SC_NODES, SC_FUNCTIONS } sc_idkind;

/* The id tables, by sc_idkind; the loaded scenario keeps them (index_). */
struct sim__scenario_index {
    edge__idmap map[3];
};

/* Record i's id, and how many records there are, of kind k in s. */
static inline const char *sc_id_key(const sim_scenario *s, sc_idkind k, size_t i)
{
    return k == SC_REGIONS ? s->regions[i].name : k == SC_NODES ? s->nodes[i].id
                                                                 : s->functions[i].id;
}
static inline size_t sc_id_count(const sim_scenario *s, sc_idkind k)
{
    return k == SC_REGIONS ? s->nregions : k == SC_NODES ? s->nnodes : s->nfunctions;
}

/* The index of the record of kind k whose id is `id`, or SIM_ALL. */
size_t sc_id_find(const sim_scenario *s, const struct sim__scenario_index *ix, sc_idkind k,
                  const char *id);
/* Adds id -> idx to c's table of kind k. The id must be absent, and record
 * idx must have it before the next lookup. Returns 0, or -1 out of memory
 * (reported). */
int sc_id_add(sc_ctx *c, sc_idkind k, const char *id, size_t idx);
/* Frees the tables and leaves them empty. */
void sc_index_free(struct sim__scenario_index *ix);

/* ------------------------------------------------------------------------ */
/* JSON text and positions (reader_json.c)                                    */

/* Where each value of the tree starts: item -> (line, column), through
 * core's table (the same as the ids') keyed by the item's address. */
typedef struct sc_itempos {
    const cJSON *item;
    int line, col;
} sc_itempos;
typedef struct sc_jsonpos {
    edge__idmap map;     /* item -> its index in at[] */
    sc_itempos *at;      /* in text order */
    size_t n, cap;
} sc_jsonpos;

/* A short rendering of a value or a string, for messages; a value, no
 * allocation: use .s within the expression. */
typedef struct sc_strbuf {
    char s[160];
} sc_strbuf;

/* Why sc_json_read returned NULL, when not for want of memory. */
enum {
    SC_JSON_SYNTAX = 0,        /* not JSON: *near quotes the text at the error */
    SC_JSON_TOO_DEEP = 1,      /* nested past SC_JSON_MAX_DEPTH: where that level opens */
    SC_JSON_NUL_IN_STRING = 2, /* a string value holds \u0000: *near is its JSON path */
    SC_JSON_NUL_IN_KEY = 3,    /* a member's name holds \u0000: *near is the member's path */
    SC_JSON_NOT_UTF8 = 4       /* a byte that is not UTF-8: *near names it */
};

/* The offset of the first byte of text[0..len) that is not part of a
 * well-formed UTF-8 character (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), or len when all of it is UTF-8. */
size_t sc_utf8_bad_at(const char *text, size_t len);

/*
 * Parses text into a cJSON tree (the caller deletes it) with positions in
 * *pos (the caller frees with sc_jsonpos_free). Returns NULL with *pos left
 * empty when allocation failed (*nomem set) or when the text is refused:
 * *kind says why (SC_JSON_*), *eline and *ecol where, and *near what was
 * there. A byte that is not UTF-8 is refused (JSON text is UTF-8, and
 * what is quoted from it reaches diagnostics, --json output and outputs),
 * a NUL byte anywhere as a syntax error (not text), and a
 * string holding the escape \u0000 although it is JSON:
 * cJSON's strings end at their first NUL, so "n\u0000a" would be read as "n",
 * silently, and could even collide with another id.
 */
cJSON *sc_json_read(const char *text, size_t len, sc_jsonpos *pos, int *eline, int *ecol,
                    sc_strbuf *near, int *nomem, int *kind);
/* Whether a string of the JSON text (NUL-terminated) holds the escape
 * \u0000 (what sc_json_read refuses; --set checks its values with it). */
int sc_json_has_nul(const char *text);
/* The one-line problem for sc_json_read's refusal of kind with *near: its
 * JSON path into *path ("" but for the NUL kinds; n bytes) and its
 * "expected ..., found ..." text into msg (n bytes). */
void sc_json_refusal(int kind, const sc_strbuf *near, char *path, char *msg, size_t n);
/* Most levels of nested arrays and objects: cJSON's own limit, which keeps its
 * recursive parser (and the position walk beside it) off the end of the stack. */
#define SC_JSON_MAX_DEPTH CJSON_NESTING_LIMIT
/* Line and column of item (1-based), or 0 and 0 when it has none (--set). */
void sc_jsonpos_get(const sc_jsonpos *m, const cJSON *item, int *line, int *col);
/* Frees the map and leaves it empty; NULL is fine. */
void sc_jsonpos_free(sc_jsonpos *m);

/* One segment of a JSON path: a key or an [index]. */
typedef struct sc_seg {
    int is_index;
    size_t index;
    char key[SIM_DIAG_PATH_MAX];
} sc_seg;

/* Reads the next segment at *pp (after the first, each starts with '.' or
 * '['). Returns 1 read (*pp advanced), 0 at the end, -1 malformed. */
int sc_next_seg(const char **pp, int first, sc_seg *s);
/* The deepest item along path from root (root itself for ""). */
const cJSON *sc_resolve(const cJSON *root, const char *path);

/* ------------------------------------------------------------------------ */
/* The parse context (reader.c)                                               */

/* Everything a section reads from and writes to; one per sim_scenario_parse. */
struct sc_ctx {
    const char *file;       /* for diagnostics; borrowed from the caller */
    sc_jsonpos pos;         /* the position map */
    cJSON *root;
    sim_diag *diags;
    size_t max, n;          /* kept at most max; n counts them all */
    int oom;                /* set once out of memory was reported */
    sim_scenario *s;        /* what is being built */
    struct sim__scenario_index ix; /* the id tables, to s->index_ at the end */
    const cJSON **node_id_item; /* per node: the "id" item it came from */
    size_t *node_entry;         /* per node: index of its nodes[] entry */
    const cJSON **fn_id_item;
    size_t *fn_entry;
    size_t deploy_cap, workload_cap;
    size_t registered_at_start; /* cache of sc_capable_nodes for no capabilities */
    size_t nodes_cap, functions_cap, cap_a, cap_b, cap_c, cap_d; /* of the arrays above */
    unsigned *stamp;            /* per node, for de-duplicating reference lists */
    unsigned stamp_gen;
    const cJSON **set_items;    /* every item placed by --set (no position) */
    size_t *set_src;            /* per set item: the index of the set that placed it */
    size_t nset_items, set_cap, cur_set;
    sim_load_options opt;       /* trust: plugins, sandboxed paths (scenario.h) */
    /* per sc_idkind: the "id" items of entries that were refused with their
     * ids (a bad count, say): references to those ids are not reported as
     * undefined too (sc_lose_ids) */
    const cJSON **lost[3];
    size_t nlost[3], lost_cap[3];
    /* per sc_idkind: some entries were refused before their ids were known
     * (the section is not a list, an entry not an object, its id missing,
     * empty or not a string): any id could have been meant, so no reference
     * to that kind is reported as undefined (sc_lose_table); workflows alike */
    unsigned char incomplete[3];
    unsigned char workflows_incomplete;
    /* a node entry kept for its ids had a field refused (its capabilities,
     * memory_mb, ...): what the nodes can take is not known (sc_nodes_partial) */
    unsigned char nodes_doubtful;
};

/* True when item was placed by --set (then it has no position). */
int sc_is_set_item(const sc_ctx *c, const cJSON *item);

/* One problem at item `at` (its position; NULL for none) and JSON path `path`:
 * "expected WHAT, found WHAT" by convention. Past c->max it is only counted. */
__attribute__((format(printf, 4, 5))) void sc_diag(sc_ctx *c, const cJSON *at, const char *path,
                                                   const char *fmt, ...);
__attribute__((format(printf, 4, 0))) void sc_vdiag(sc_ctx *c, const cJSON *at, const char *path,
                                                    const char *fmt, va_list ap);

/* Reports out of memory (once) and returns NULL. */
void *sc_oom(sc_ctx *c);
/* calloc (n may be 0) and strdup that report out of memory. */
void *sc_xcalloc(sc_ctx *c, size_t n, size_t size);
char *sc_xstrdup(sc_ctx *c, const char *s);
/* Grows *arr (of elements of `size`) to hold at least `need`, zeroing new
 * space. Returns 0, or -1 out of memory (reported; *arr is unchanged). */
int sc_grow(sc_ctx *c, void **arr, size_t *cap, size_t need, size_t size);

/* ------------------------------------------------------------------------ */
/* Rendering (reader_json.c) and did-you-mean (reader.c)                      */

/* (Numbers: sim_diag_number, common/diag.h.) */

/* A JSON string quoted, with at most ~60 characters of it. */
sc_strbuf sc_quoted(const char *s);
/* What a value is, for "found ...": literals as written, strings quoted,
 * containers by kind; NULL is "nothing". */
sc_strbuf sc_found(const cJSON *v);

/* For sc_found: a number item whose double is not what its text lit[0..len)
 * says (1e400 is inf, 1e-400 is 0, an integer past 2^53 rounded) keeps that
 * text (at most SIM_DIAG_LITERAL_MAX bytes) in its valuestring, which cJSON leaves NULL for
 * a number and frees with the item; any other item is left alone. Out of
 * memory: nothing kept (the double is shown). */
void sc_json_keep_literal(cJSON *item, const char *lit, size_t len);

/* The candidate closest to word within distance 2 (and shorter than word),
 * or NULL. Ties go to the first. */
const char *sc_suggest_list(const char *word, const char *const *cands);
/* The same over the ids of kind k defined so far (ties go to the first). */
const char *sc_suggest_id(const char *word, const sim_scenario *s, sc_idkind k);
/* " (did you mean \"x\"?)", or "" for NULL. */
sc_strbuf sc_did_you_mean(const char *s);

/* ------------------------------------------------------------------------ */
/* Objects and fields (reader.c)                                              */

/* obj[key] when obj is an object, else NULL (reader_json.c). */
const cJSON *sc_member(const cJSON *obj, const char *key);
/* out = parent.key / parent[i] (out holds SIM_DIAG_PATH_MAX). */
void sc_path_key(char *out, const char *parent, const char *key);
void sc_path_index(char *out, const char *parent, size_t i);
/* True when s is in the NULL-terminated list. */
int sc_in_list(const char *s, const char *const *list);
/* "a, b, c" into buf. */
void sc_join_list(char *buf, size_t n, const char *const *list);

/*
 * Checks the keys of obj: each must be in `all` (else "unknown field", with
 * a suggestion), and in `allowed` when given (else "not for this kind",
 * `kind` naming it: "a crash fault"), and appear once.
 */
void sc_check_fields(sc_ctx *c, const cJSON *obj, const char *path, const char *const *all,
                     const char *const *allowed, const char *kind);
/* Checks that `v` is an object; reports and returns 0 if not. */
int sc_want_object(sc_ctx *c, const cJSON *v, const char *path, const char *what);
/* The optional object PARENT.KEY (its path PATH, WHAT it is for the
 * diagnostic) with the fields FIELDS: NULL when absent, or when it is not an
 * object (reported). Unknown fields are reported; the object is still
 * returned, so its known fields are checked too. */
const cJSON *sc_optional_object(sc_ctx *c, const cJSON *parent, const char *key,
                                const char *path, const char *what, const char *const *fields);
/* Reports a required field that is absent ("expected WHAT, found nothing"). */
void sc_missing(sc_ctx *c, const cJSON *obj, const char *path, const char *key, const char *what);

/*
 * The typed field readers. A *_field reads obj[key] (path: obj's path) and
 * returns 1 read (*out set), 0 absent and not required (*out untouched),
 * -1 a problem (reported). An *_item reads a value already in hand (path:
 * its own) and returns 0 read or -1 reported.
 */

/* Durations: "250ms", "1.5s", ... `sign` bounds them; `example` is shown. */
enum { SC_SIGN_ANY, SC_SIGN_NONNEG, SC_SIGN_POS };
int sc_duration_item(sc_ctx *c, const cJSON *v, const char *path, int sign, const char *example,
                     edge_time *out);
int sc_duration_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key,
                      int required, int sign, const char *example, edge_time *out);

/* The numbers a field accepts; a message describes them from this. */
typedef struct sc_numspec {
    double min, max;  /* inclusive, unless min_open */
    int integer;
    int min_open;     /* min itself is not allowed */
} sc_numspec;
extern const sc_numspec SC_NS_MB;    /* megabytes, above 0 */
extern const sc_numspec SC_NS_MB0;   /* megabytes, 0 allowed */
extern const sc_numspec SC_NS_COUNT; /* a group's count, replicas: 1 to the node limit */
int sc_number_item(sc_ctx *c, const cJSON *v, const char *path, const sc_numspec *ns, double *out);
int sc_number_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                    const sc_numspec *ns, double *out);
/* A rate field (events per second): a number, or a string "N/unit" ("20/s",
 * "1200/m", "3/h": sim_rate_parse), held to ns (not integer). Returns as
 * sc_number_field: 1 read, 0 absent and not required, -1 problem (reported). */
int sc_rate_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                  const sc_numspec *ns, double *out);
/* A number field into a uint32_t (ns must keep it in range). */
int sc_u32_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                 const sc_numspec *ns, uint32_t *out);

/* Ids: 1 to SIM_ID_MAX characters of SC_ID_RULE. */
#define SC_ID_RULE SIM__SCN_ID_RULE /* its one wording: reader_shim.h */
int sc_id_char(int ch);
int sc_valid_id(const char *s);
/* A string field: *out borrowed from the tree. */
int sc_string_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key,
                    int required, const char *what, const char **out);
/* An id-valued item (a definition or a reference): *out borrowed. */
int sc_id_item(sc_ctx *c, const cJSON *v, const char *path, const char *what, const char **out);
/* One of `names` (NULL-terminated): *out its index. */
int sc_enum_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                  const char *const *names, int *out);
/* An array: *out the array item; `what` describes it ("a list of ..."). */
int sc_array_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                   const char *what, const cJSON **out);
/* "lat" and "lon": both or neither. Returns 0 or -1 (reported). */
int sc_coords(sc_ctx *c, const cJSON *obj, const char *path, int *has, double *lat, double *lon);
/* "capabilities": ids, each once, into *caps (caller frees with
 * sc_free_strings). Returns 1, 0 absent, -1 reported. */
int sc_capabilities(sc_ctx *c, const cJSON *obj, const char *path, char ***caps, size_t *ncaps);
/* A copy of n strings into *out (NULL for none). Returns 0 or -1 (reported). */
int sc_caps_dup(sc_ctx *c, char **src, size_t n, char ***out);
/* Frees n strings and the array; NULL is fine. */
void sc_free_strings(char **v, size_t n);

/* Distributions of durations (sim/dist): *out owned by the caller, freed with
 * sc_dist_free. Reported only when `report` (a group's later members re-read
 * the same spec silently). */
int sc_dist_field(sc_ctx *c, const cJSON *obj, const char *path, const char *key, int required,
                  int report, sim_dist **out);
/* The default cold start (constant 500ms), or NULL (reported). */
sim_dist *sc_dist_default_cold_start(sc_ctx *c);
void sc_dist_free(sim_dist *d);
/* Reports a problem a sub-parser found (by JSON path) at the item it names,
 * else at `fallback`. */
void sc_report_sub(sc_ctx *c, const sim_diag *d, const cJSON *fallback);

/* A data file the scenario names in item `at` (JSON path `path`): `rel` is
 * taken relative to the scenario file's folder (the current folder for stdin
 * and text without a folder); an absolute path stays. Under
 * opt.sandbox_paths an absolute path or a ".." component is a problem. With
 * `check`, the file must exist, be a regular file and be readable (opened,
 * never read). Returns a new string the caller frees, or NULL (reported). */
char *sc_data_path(sc_ctx *c, const cJSON *at, const char *path, const char *rel, int check);

/* ------------------------------------------------------------------------ */
/* Ids and references (reader_ids.c)                                          */

/* An id pattern of a group: "edge-{i}" or "edge-{i:04}". */
typedef struct sc_idpat {
    const char *pre;
    size_t prelen;
    const char *post;
    int width;
} sc_idpat;

/* The pattern's i-th id: a new string, or NULL (reported when out of memory). */
char *sc_expand(sc_ctx *c, const sc_idpat *p, unsigned long long i);
/*
 * The "id", "count" and "first" of a nodes[] or functions[] entry. Sets
 * *count (1 for a single entry) and *first; for a group, *pat. Returns 0 or
 * -1 (reported).
 */
int sc_entry_ids(sc_ctx *c, const cJSON *obj, const char *path, const char *what,
                 const char *example, const char **id, sc_idpat *pat, size_t *count,
                 unsigned long long *first);
/*
 * Entry obj of kind k was refused, a problem reported, and its ids were not
 * made: its "id" (a plain id or a group's pattern) is remembered, so that a
 * reference to one of those ids is not reported as undefined too, a cascade
 * that names the wrong problem ("did you mean" another node) when the
 * scenario is refused anyway. A malformed id ("air port") keeps quiet the
 * references a letter or two from it ("airport"). When obj is not an object,
 * its id is missing, empty or not a string, or a group's id is no pattern,
 * which ids it meant is unknown: the table is lost (sc_lose_table). Out of
 * memory: reported.
 */
void sc_lose_ids(sc_ctx *c, sc_idkind k, const cJSON *obj);
/*
 * The table of kind k is incomplete: its section was refused (not a list, or
 * empty where one is required) or an entry was refused before its ids were
 * known (sc_lose_ids does this for an entry that is not an object, whose id
 * is missing, empty or not a string, or a group whose id is no pattern).
 * Every reference to an undefined id of kind k is then quiet (sc_lost_id
 * answers 1): the problem is the definition, and "not defined" lines would
 * bury it. Call it only after reporting.
 */
void sc_lose_table(sc_ctx *c, sc_idkind k);
/* Whether the node table lost entries (sc_lose_ids, sc_lose_table) or kept
 * one whose fields were refused (nodes_doubtful): then whether the nodes can
 * take something (a deployment's fit or a named node's capabilities, a
 * trace's functions) is not asked, as the answer would blame what was put
 * on them. */
int sc_nodes_partial(const sc_ctx *c);
/* Whether id would be one of the lost ids of kind k (sc_lose_ids), or the
 * table of kind k is incomplete (sc_lose_table); with `prefix`, whether a
 * "prefix*" pattern (given without its '*') could match one of them. */
int sc_lost_id(const sc_ctx *c, sc_idkind k, const char *id, int prefix);
/*
 * Gives id the index idx in the table of kind k (SC_NODES or SC_FUNCTIONS):
 * the caller stores record idx with that id next. A repeated id is reported
 * once per group entry (*dup_seen), at the entry's "id" (idv, path p), naming
 * the entry that has it first (entry[] maps an index to its entry in the
 * "nodes"/"functions" array). Returns 1 when claimed, 0 when not (repeated,
 * or out of memory: reported too).
 */
int sc_claim_id(sc_ctx *c, sc_idkind k, const char *id, size_t idx, const size_t *entry,
                const char *p, const cJSON *idv, int *dup_seen);

/* References by id: the index, or SIM_ALL (reported, with did-you-mean). */
size_t sc_region_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key);
size_t sc_node_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key);
size_t sc_function_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key);
/*
 * A list of node references (ids, or "prefix*" patterns; "*" is every node)
 * into a new array of distinct node indices in order of first mention.
 * Returns the array (caller frees; *n may be 0 with a non-NULL result) or
 * NULL on a problem (reported).
 */
size_t *sc_node_list(sc_ctx *c, const cJSON *arr, const char *path, size_t *n);
/* A function reference that may be a pattern ("*", "img-*"): the matched
 * functions into *out (caller frees), *n of them. Returns 0 or -1 (reported). */
int sc_function_set(sc_ctx *c, const cJSON *obj, const char *path, const char *key, size_t **out,
                    size_t *n);
/* True when node n has every capability f needs; else *lacking names one. */
int sc_node_has_caps(const sim_node_spec *n, const sim_function_spec *f, const char **lacking);

/* ------------------------------------------------------------------------ */
/* Sections (one file each), in the order scenario.c reads them               */

/* Each sc_read_X reads its section of c->root into c->s (defaults applied,
 * ids resolved to indices), reporting every problem and going on; a section
 * that is absent and optional leaves its defaults. Each sc_free_X frees what
 * one record owns, not the record itself (sim_scenario_free calls them). */
void sc_read_regions(sc_ctx *c);  /* regions.c */
void sc_read_nodes(sc_ctx *c);    /* nodes.c */
void sc_free_node(sim_node_spec *n);
void sc_read_functions(sc_ctx *c); /* functions.c */
void sc_free_function(sim_function_spec *f);
void sc_read_network(sc_ctx *c);  /* regions.c */
void sc_read_faults(sc_ctx *c);   /* faults.c */
void sc_free_fault(sim_fault_spec *f);
/* One fault object `it` at path p into *f (zeroed first). 0, or -1 reported
 * (f then owns nothing). sim_scenario_add_fault's reader too. */
int sc_read_fault(sc_ctx *c, const cJSON *it, const char *p, sim_fault_spec *f);
void sc_read_deployments(sc_ctx *c); /* deployments.c */
/* Nodes registered at the start that can run f (cached for no capabilities). */
size_t sc_capable_nodes(sc_ctx *c, const sim_function_spec *f);
void sc_read_workloads(sc_ctx *c); /* workloads.c */
void sc_free_workload(sim_workload_spec *w);
void sc_read_policies(sc_ctx *c); /* policies.c */
void sc_read_sync(sc_ctx *c);     /* sync.c */
void sc_read_workflows(sc_ctx *c); /* workflows.c: after functions, before workloads */
/* obj.key as a workflow id: its index, or SIM_ALL (reported). */
size_t sc_workflow_ref(sc_ctx *c, const cJSON *obj, const char *path, const char *key);
/* policies.autoscaler (autoscaler.c); v may be NULL (absent). */
void sc_read_autoscaler(sc_ctx *c, const cJSON *v, sim_policies *pol);
/* Applies one --set PATH=VALUE to c->root (overrides.c). */
void sc_apply_set(sc_ctx *c, const char *set);

#endif
