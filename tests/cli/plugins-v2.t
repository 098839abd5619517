# ABI version 2 plugins (docs/plugins.md; every run passes --allow-plugins, see
# plugin-trust.t): the examples in examples/plugins-v2
# build with their Makefile; the keep-alive table decides each instance's
# keep-alive (worked out by hand below); the autoscaler table decides the
# replica count (ceil(10 x 1.5 / 2) = 8); a version 1 plugin still loads
# (tests/cli/plugin.t); bad version 2 tables and answers are one-line errors.
root=$(cd "$T/../.." && pwd)
ex="$root/examples/plugins-v2"
cp "$ex"/*.c "$ex"/Makefile "$ex"/autoscaler.json .
env -i PATH="$PATH" make -s EDGESIM_SRC="$root" >/dev/null
[ -f gap_ttl.so ] && [ -f headroom.so ]

# autoscaler: 10 in flight from 60 s; the plugin asks 8 from the first tick
"$EDGESIM" run --allow-plugins autoscaler.json -q --no-plots -o as
grep -q '^100.000000000,f,10.000000,8,8,0,' as/autoscaler.csv
python3 -c 'import json; a = json.load(open("as/summary.json"))["autoscaler"]; assert a["plugin"] == "plugin:headroom", a'

# keep-alive: one invocation of 1 ms every 10 s on one node. gap_ttl learns the
# 10 s gap at the second end; with factor 0.5 the keep-alive is then 5 s: the
# third and later starts are cold (the first is cold, the second warm under
# the scenario's 10-minute TTL): 1 + 58 cold of 60. With factor 2 (20 s) only
# the first is cold.
cat > ka.json <<'J'
{"name": "ka", "seed": 1, "duration": "600s", "regions": [{"id": "r"}],
 "nodes": [{"id": "a", "region": "r"}],
 "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "1ms"},
                "cold_start": {"type": "constant", "value": "100ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "10s"}],
 "policies": {"plugin": {"path": "gap_ttl.so", "params": {"factor": 0.5}}}}
J
"$EDGESIM" run --allow-plugins ka.json -q --no-plots -o ka1
python3 -c 'import json; k = json.load(open("ka1/summary.json"))["keepalive"]; assert (k["plugin"], k["starts"], k["cold_starts"]) == ("plugin:gap_ttl", 60, 59), k'
"$EDGESIM" run --allow-plugins ka.json -q --no-plots -o ka2 --set policies.plugin.params.factor=2
python3 -c 'import json; k = json.load(open("ka2/summary.json"))["keepalive"]; assert (k["starts"], k["cold_starts"]) == (60, 1), k'

expect_err() { # EXPECTED-EXIT PATTERN ARGS...
    want=$1 pat=$2; shift 2
    set +e; "$EDGESIM" run --allow-plugins "$@" -o bad -q 2>err; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat err; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "not one line:"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
# a keep-alive-only plugin cannot route; one plugin per scenario
sed 's/"plugin": {"path": "gap_ttl.so", "params": {"factor": 0.5}}/"scheduler": {"plugin": "gap_ttl.so"}/' ka.json >sched.json
expect_err 2 'policies.scheduler.plugin: expected a plugin that routes' sched.json
cc -fPIC -shared -I"$root/core" "$root/examples/policy-plugin/lrc.c" -o lrc.so
expect_err 2 'policies.plugin.path: expected one plugin per scenario' \
    ka.json --set 'policies.scheduler={"plugin": "lrc.so"}'
# the version 1 routing plugin also loads as policies.plugin
sed 's/"path": "gap_ttl.so", "params": {"factor": 0.5}/"path": "lrc.so"/' ka.json >v1.json
"$EDGESIM" run --allow-plugins v1.json -q --no-plots -o v1
grep -q '"scheduler":[[:space:]]*"plugin:least_recently_chosen"' v1/summary.json
# an autoscaler table needs an autoscaler
expect_err 2 "policies.plugin.path: expected an autoscaler in policies.autoscaler for plugin headroom.so" \
    ka.json --set 'policies.plugin={"path": "headroom.so"}'
# refused params, a table without its callback, no table, another version
expect_err 2 'plugin gap_ttl.so: create failed: expected factor > 0' \
    ka.json --set policies.plugin.params.factor=0
cat > bad.c <<'C'
#include "edge_policy_plugin.h"
static void *mk(const char *p, size_t f, size_t n, char *e, size_t l) { (void)p; (void)f; (void)n; (void)e; (void)l; return (void *)1; }
static void rm(void *s) { (void)s; }
static const edge_policy_keepalive ka = {0};
#ifndef VERSION
#define VERSION EDGE_POLICY_ABI_VERSION_2
#endif
const edge_policy_plugin2 edge_policy_plugin_v2 = {VERSION, sizeof(edge_policy_plugin2), "bad", mk, rm, 0, TABLE, 0};
C
cc -fPIC -shared -I"$root/core" -DTABLE='&ka' bad.c -o nocb.so
expect_err 2 'plugin nocb.so: edge_policy_plugin_v2 has no keepalive->keep_ns function' \
    ka.json --set policies.plugin.path=nocb.so
cc -fPIC -shared -I"$root/core" -DTABLE=0 bad.c -o notable.so
expect_err 2 'plugin notable.so: edge_policy_plugin_v2 has no policy' \
    ka.json --set policies.plugin.path=notable.so
cc -fPIC -shared -I"$root/core" -DTABLE=0 -DVERSION=3 bad.c -o v3.so
expect_err 2 'plugin v3.so: ABI version 3, expected 2' \
    ka.json --set policies.plugin.path=v3.so
# a negative keep-alive fails the run (exit 1)
cat > neg.c <<'C'
#include "edge_policy_plugin.h"
static void *mk(const char *p, size_t f, size_t n, char *e, size_t l) { (void)p; (void)f; (void)n; (void)e; (void)l; return (void *)1; }
static void rm(void *s) { (void)s; }
static int64_t k(void *s, const edge_policy_keepalive_request *r) { (void)s; (void)r; return -5; }
static const edge_policy_keepalive ka = {k};
const edge_policy_plugin2 edge_policy_plugin_v2 = {EDGE_POLICY_ABI_VERSION_2, sizeof(edge_policy_plugin2), "neg", mk, rm, 0, &ka, 0};
C
cc -fPIC -shared -I"$root/core" neg.c -o neg.so
expect_err 1 'answered a keep-alive of -5 ns for function f' ka.json --set policies.plugin.path=neg.so
