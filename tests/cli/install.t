# make install puts the program, the library, the public headers,
# edgecore.pc, the man page and bash completion under DESTDIR/PREFIX; a program builds against them with
# pkg-config alone and runs core's contracts.
root=$(cd "$T/../.." && pwd)
# a plain build in a clean environment: `make asan` exports BUILD, SAN and
# CFLAGS (command-line variables are exported), which must not leak in here
env -i PATH="$PATH" HOME="${HOME:-/}" make -s -C "$root" install PREFIX=/opt/edge DESTDIR="$PWD/stage" >/dev/null
[ -x stage/opt/edge/bin/edgesim ]
[ -f stage/opt/edge/lib/libedgecore.a ]
[ -f stage/opt/edge/include/edgecore/cluster.h ]
[ ! -e stage/opt/edge/include/edgecore/alloc.h ] || { echo "internal header installed"; exit 1; }
# the man page and bash completion, where man and bash-completion look
cmp stage/opt/edge/share/man/man1/edgesim.1 "$root/docs/edgesim.1"
cmp stage/opt/edge/share/bash-completion/completions/edgesim "$root/scripts/edgesim-completion.bash"
sed -i "s|^prefix=.*|prefix=$PWD/stage/opt/edge|" stage/opt/edge/lib/pkgconfig/edgecore.pc
cat > user.c <<'C'
#include <edgecore/cluster.h>
#include <edgecore/time.h>
#include <stdio.h>
int main(void)
{
    edge_function_table *t;
    edge_cluster *c;
    if (edge_function_table_new(&t) || edge_cluster_new(t, &c))
        return 1;
    edge_node_spec s = {.id = "n1", .region = "eu"};
    edge_node *n;
    if (edge_node_new(&s, 0, &n) || edge_cluster_register(c, n, NULL))
        return 1;
    int healthy = edge_cluster_is_healthy(c, 0, 60 * EDGE_S) && !edge_cluster_is_healthy(c, 0, 60 * EDGE_S + 1);
    printf("%s\n", healthy ? "ok" : "wrong");
    edge_cluster_free(c);
    edge_function_table_free(t);
    return 0;
}
C
export PKG_CONFIG_PATH=$PWD/stage/opt/edge/lib/pkgconfig
cc -std=c11 $(pkg-config --cflags edgecore) user.c $(pkg-config --libs --static edgecore) -o user
[ "$(./user)" = ok ]
# the scheduler plugin interface is installed, and the example builds against it
[ -f stage/opt/edge/include/edgecore/edge_policy_plugin.h ]
cp "$root/examples/policy-plugin/lrc.c" "$root/examples/policy-plugin/Makefile" .
make -s EDGECORE=pkg-config >/dev/null
[ -f policy.so ]
