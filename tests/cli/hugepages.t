# Huge pages from birth (docs/outputs.md, "run.json"): a run starts itself
# again with glibc.malloc.hugetlb=1 where that applies (Linux with glibc,
# transparent huge pages in madvise mode, no sanitizer) and says so in
# run.json, its scenario from a file or from standard input; its outputs are
# those of a run without (EDGESIM_HUGEPAGES=0). With the tunable already
# named it does not start again.

# scenario NAME NODES
scenario() {
    cat > "$1.json" <<JSON
{"name": "$1", "seed": 3, "duration": "3s",
 "regions": [{"id": "eu"}],
 "nodes": [{"id": "n{i}", "count": $2, "region": "eu"}],
 "functions": [{"id": "f{i}", "count": 20, "exec_time": {"type": "exponential", "mean": "20ms"}}],
 "deployments": [{"function": "*", "strategy": "least_loaded", "replicas": 5}],
 "workloads": [{"function": "f*", "region": "eu", "arrival": "poisson", "rate": 50}]}
JSON
}
scenario big 10000
scenario small 500
mode() { sed -n 's/.*"huge_pages":[[:space:]]*"\([^"]*\)".*/\1/p' "$1/run.json"; }
check() { # check DIR EXPECTED
    [ "$(mode "$1")" = "$2" ] || { echo "$1: huge_pages \"$(mode "$1")\", expected \"$2\""; exit 1; }
}
birth="after set-up"
if grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null &&
    [ -z "${EDGESIM_SANITIZED:-}" ] && ldd --version 2>&1 | grep -qi 'glibc\|gnu libc'; then
    birth="from birth"
fi

env -u GLIBC_TUNABLES -u EDGESIM_HUGEPAGES "$EDGESIM" run big.json -q --no-plots -o a
check a "$birth"
# the set-up counted from the first start is a time, not garbage from the variable
grep -q '"setup_seconds":[[:space:]]*0\.' a/run.json
env -u GLIBC_TUNABLES EDGESIM_HUGEPAGES=0 "$EDGESIM" run big.json -q --no-plots -o b
check b off
rm a/run.json b/run.json
diff -r a b

# from standard input too (read once, by the second start)
env -u GLIBC_TUNABLES -u EDGESIM_HUGEPAGES "$EDGESIM" run - -q --no-plots -o c < small.json
check c "$birth"
env -u GLIBC_TUNABLES -u EDGESIM_HUGEPAGES "$EDGESIM" run small.json -q --no-plots -o d
rm c/run.json d/run.json
diff -r c d
# the tunable named by the user: theirs (0 kept), no second start
env -u EDGESIM_HUGEPAGES GLIBC_TUNABLES=glibc.malloc.hugetlb=0 "$EDGESIM" run big.json -q --no-plots -o e
check e "after set-up"
# a failed run starts again too, and still says what is wrong once
env -u GLIBC_TUNABLES -u EDGESIM_HUGEPAGES "$EDGESIM" run big.json --set duration=1s -q --no-plots \
    -o /dev/null 2>err && exit 1
[ "$(wc -l < err)" -eq 1 ] || { cat err; exit 1; }
# a sweep's runs, forked from a sweep that started again, have it too
cat > sw.json <<'JSON'
{"name": "sw", "scenarios": ["small.json"], "replications": 2}
JSON
env -u GLIBC_TUNABLES -u EDGESIM_HUGEPAGES "$EDGESIM" sweep sw.json -j 2 -q --no-plots -o sw
n=0
for r in $(find sw -name run.json); do check "$(dirname "$r")" "$birth"; n=$((n + 1)); done
[ "$n" -eq 2 ]
