/* A routing plugin whose every answer (7) is past the candidates: a run using
 * it fails while it runs (exit 1, naming the plugin), never at load. The CLI
 * tests that need a run to fail part-way build it with
 *   cc -fPIC -shared -I core tests/cli/range-plugin.c -o range.so */
#include "edge_policy_plugin.h"

static long pick(void *s, const edge_policy_request *r)
{
    (void)s;
    (void)r;
    return 7;
}

static void *make(const char *params, size_t nfunctions, size_t nnodes, char *err, size_t errlen)
{
    (void)params;
    (void)nfunctions;
    (void)nnodes;
    (void)err;
    (void)errlen;
    return (void *)1;
}

static void destroy(void *s)
{
    (void)s;
}

const edge_policy_plugin edge_policy_plugin_v1 = {EDGE_POLICY_ABI_VERSION, "range", make, destroy,
                                                 pick, 0, 0};
