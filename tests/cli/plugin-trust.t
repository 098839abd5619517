# Plugins are native code (docs/plugins.md, "Trust"): a scenario that names a
# .so is refused by validate, run and sweep (exit 2, one line at the field
# saying how to opt in) unless the command line says --allow-plugins, and the
# object is not even opened without it (a constructor that would run at
# dlopen leaves no mark). --sandbox-paths refuses absolute data paths and "..".
root=$(cd "$T/../.." && pwd)
one_line() { # EXPECTED-EXIT PATTERN CMD...
    want=$1 pat=$2; shift 2
    set +e; "$@" >stdout 2>err; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat err; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "not one line: $*"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/: $*"; cat err; exit 1; }
}
cp "$root/examples/policy-plugin/scenario.json" .
# a routing plugin whose constructor leaves a mark in the current folder
cat > marker.c <<'C'
#include <stdio.h>
#include "edge_policy_plugin.h"
__attribute__((constructor)) static void mark(void) { FILE *f = fopen("loaded", "w"); if (f) fclose(f); }
static long pick(void *s, const edge_policy_request *r) { (void)s; (void)r; return 0; }
static void *mk(const char *p, size_t f, size_t n, char *e, size_t el) { (void)p; (void)f; (void)n; (void)e; (void)el; return (void *)1; }
static void rm(void *s) { (void)s; }
const edge_policy_plugin edge_policy_plugin_v1 = {EDGE_POLICY_ABI_VERSION, "marker", mk, rm, pick, 0, 0};
C
cc -fPIC -shared -I"$root/core" marker.c -o policy.so
line=$(grep -n policy.so scenario.json | cut -d: -f1)
refused="^scenario.json:$line:[0-9]*: policies.scheduler.plugin: plugins are native code and run with your privileges; pass --allow-plugins to load 'policy.so'\$"
one_line 2 "$refused" "$EDGESIM" validate scenario.json
one_line 2 "$refused" "$EDGESIM" run scenario.json -q --no-plots -o out
[ ! -e loaded ] || { echo "the plugin was loaded without --allow-plugins"; exit 1; }
[ ! -e out ] || { echo "run wrote outputs for a refused scenario"; exit 1; }
# the ABI version 2 form, and a plugin placed by --set, are refused the same way
one_line 2 "^--set: policies.plugin.path: plugins are native code .*to load 'policy.so'\$" \
    "$EDGESIM" validate scenario.json --set policies.scheduler=least_loaded \
    --set 'policies.plugin={"path": "policy.so"}'
[ ! -e loaded ]
# a sweep is refused before any run, and runs with the opt-in
cat > sw.json <<'J'
{"scenarios": ["scenario.json"], "set": {"duration": "5s"}, "replications": 1}
J
set +e; "$EDGESIM" sweep sw.json -q --no-plots -o swout 2>err; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q "pass --allow-plugins to load 'policy.so'" err || { echo "sweep: exit $rc"; cat err; exit 1; }
[ ! -e loaded ] && [ ! -e swout/runs.csv ]
"$EDGESIM" sweep sw.json -q --no-plots -o swout --allow-plugins
[ -s swout/runs.csv ] && [ -e loaded ]
rm loaded
# with the opt-in: validated (loaded once) and run
"$EDGESIM" validate scenario.json --allow-plugins | grep -q '^ok: '
[ -e loaded ]
"$EDGESIM" run scenario.json -q --no-plots -o out --allow-plugins
grep -q '"scheduler":[[:space:]]*"plugin:marker"' out/summary.json

# --sandbox-paths: data paths stay inside the scenario's folder
mkdir -p sub/traces
cp "$root/tests/scenarios/good/csv-trace.json" sub/
cp "$root/tests/scenarios/good/traces/api.csv" sub/traces/
"$EDGESIM" validate sub/csv-trace.json --sandbox-paths >/dev/null
sandboxed="expected a path inside the scenario's folder (no leading '/', no \"..\": --sandbox-paths), found"
for bad in /etc/passwd ../sub/traces/api.csv traces/../traces/api.csv traces/..; do
    one_line 2 "^--set: workloads\[0\].file: $sandboxed \"$bad\"\$" \
        "$EDGESIM" validate sub/csv-trace.json --sandbox-paths --set "workloads[0].file=$bad"
done
# without the flag the same paths are read (an absolute one too)
"$EDGESIM" validate sub/csv-trace.json --set "workloads[0].file=$(pwd)/sub/traces/api.csv" >/dev/null
"$EDGESIM" validate sub/csv-trace.json --set "workloads[0].file=../sub/traces/api.csv" >/dev/null
# the plugin path and run are sandboxed too
one_line 2 "policies.scheduler.plugin: $sandboxed \"/tmp/x.so\"\$" \
    "$EDGESIM" run scenario.json --allow-plugins --sandbox-paths -q -o out2 \
    --set policies.scheduler.plugin=/tmp/x.so
