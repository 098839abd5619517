# Scheduler plugins (every run here passes --allow-plugins: a plugin is native
# code and is loaded only when the command line says so; plugin-trust.t checks
# the refusal): the example in examples/policy-plugin builds with its own
# Makefile and decides (least recently chosen: invocations go round the three
# nodes, where least_loaded sends them all to the first); a missing .so, a .so
# without the symbol, another ABI version and refused params are one-line
# scenario errors (exit 2); an out-of-range answer fails the run (exit 1).
root=$(cd "$T/../.." && pwd)
ex="$root/examples/policy-plugin"
cp "$ex/lrc.c" "$ex/Makefile" "$ex/scenario.json" .
env -i PATH="$PATH" make -s EDGESIM_SRC="$root" >/dev/null
[ -f policy.so ]

"$EDGESIM" run --allow-plugins scenario.json -o out --invocations -q
grep -q '"scheduler":[[:space:]]*"plugin:least_recently_chosen"' out/summary.json
# every three consecutive invocations went to the three nodes, once each
awk -F, 'NR > 1 { n[NR] = $4 } END {
    if (NR - 1 != 60) { print "rows", NR - 1; exit 1 }
    for (i = 2; i + 2 <= NR; i++)
        if (n[i] == n[i+1] || n[i] == n[i+2] || n[i+1] == n[i+2]) { print "row", i; exit 1 }
}' out/invocations.csv
# the same with the built-in least_loaded: all on "a"
"$EDGESIM" run --allow-plugins scenario.json -o ll --invocations -q --set policies.scheduler=least_loaded
[ "$(awk -F, 'NR > 1 { print $4 }' ll/invocations.csv | sort -u)" = a ]
# deterministic: the plugin draws from the run's stream
"$EDGESIM" run --allow-plugins scenario.json -o out2 --invocations -q
cmp out/invocations.csv out2/invocations.csv
# --set reaches the plugin's fields; the path is relative to the scenario's folder
mkdir sub && cp scenario.json sub/ && mv policy.so sub/
"$EDGESIM" run --allow-plugins sub/scenario.json -o out3 -q --set 'policies.scheduler.params={"prefer_warm":true}'
mv sub/policy.so .

expect_err() { # EXPECTED-EXIT PATTERN ARGS...
    want=$1 pat=$2; shift 2
    set +e; "$EDGESIM" run --allow-plugins "$@" -o bad -q 2>err; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat err; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "not one line:"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
sed 's/"policy.so"/"nothere.so"/' scenario.json > missing.json
line=$(grep -n nothere.so missing.json | cut -d: -f1)
expect_err 2 "^missing.json:$line:[0-9]*: policies.scheduler.plugin: expected a loadable policy plugin, found plugin nothere.so: no such file\$" \
    missing.json
expect_err 2 '^--set: policies.scheduler.plugin: .*plugin nothere.so: no such file' \
    scenario.json --set policies.scheduler.plugin=nothere.so
mkdir -p adir.so
expect_err 2 'plugin adir.so: a directory, not a shared object$' \
    scenario.json --set policies.scheduler.plugin=adir.so
expect_err 2 'plugin /dev/null: not a regular file (a device, a FIFO or a socket)$' \
    scenario.json --set policies.scheduler.plugin=/dev/null
printf 'int not_a_policy(void);\nint not_a_policy(void) { return 0; }\n' > nosym.c
cc -fPIC -shared nosym.c -o nosym.so
expect_err 2 'plugin nosym.so: no symbol edge_policy_plugin_v1' \
    scenario.json --set policies.scheduler.plugin=nosym.so
cat > abi.c <<'C'
#include "edge_policy_plugin.h"
static long pick(void *s, const edge_policy_request *r) { (void)s; (void)r; return 0; }
static void *mk(const char *p, size_t f, size_t n, char *e, size_t el) { (void)p; (void)f; (void)n; (void)e; (void)el; return (void *)1; }
static void rm(void *s) { (void)s; }
const edge_policy_plugin edge_policy_plugin_v1 = {ABI, "t", mk, rm, pick, 0, 0};
C
cc -fPIC -shared -I"$root/core" -DABI=99 abi.c -o abi99.so
expect_err 2 'plugin abi99.so: ABI version 99, expected 1' \
    scenario.json --set policies.scheduler.plugin=abi99.so
expect_err 2 'plugin policy.so: create failed: params: expected' \
    scenario.json --set 'policies.scheduler.params={"bogus":1}'
printf 'not an elf\n' > text.so
expect_err 2 'plugin text.so: not a loadable shared object' \
    scenario.json --set policies.scheduler.plugin=text.so
# answers past the candidates: the run fails, naming the plugin and the value
sed 's/return 0; }/return 3; }/' abi.c > range.c
cc -fPIC -shared -I"$root/core" -DABI=EDGE_POLICY_ABI_VERSION range.c -o range.so
expect_err 1 'plugin .*range.so answered 3 for function hello' \
    scenario.json --set policies.scheduler.plugin=range.so
