# policies.keepalive and the artifact cache from the command line: every
# --set form of the keep-alive policy is accepted and shows in summary.json;
# a bad value is exit 2 with one FILE:LINE:COL-less "--set" line; a scenario
# with artifacts reports its cache.
q="$T/../../scenarios/quickstart.json"
for s in policies.keepalive=none policies.keepalive.type=hybrid policies.keepalive.ttl=5m \
         'policies.keepalive={"type":"hybrid","bins":60}'; do
    "$EDGESIM" validate "$q" --set "$s" >/dev/null || { echo "rejected: --set $s"; exit 1; }
done
set +e
"$EDGESIM" validate "$q" --set policies.keepalive=sometimes >stdout 2>err; rc=$?
set -e
[ $rc -eq 2 ] || { echo "bad keepalive: exit $rc"; exit 1; }
[ "$(wc -l <err)" -eq 1 ] || { echo "one line expected"; cat err; exit 1; }
grep -q '^--set: policies.keepalive: expected one of fixed, none, hybrid, found "sometimes"$' err ||
    { cat err; exit 1; }
set +e
"$EDGESIM" validate "$q" --set policies.keepalive.bins=3 >stdout 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'policies.keepalive.bins: expected only the fields of type fixed (type, ttl), found "bins"' err ||
    { echo "exit $rc"; cat err; exit 1; }

cat > s.json <<'JSON'
{"name": "kc", "duration": "2m",
 "regions": [{"id": "r"}],
 "nodes": [{"id": "n{i}", "count": 2, "region": "r", "cache_mb": 1000, "bandwidth_mb_per_s": 50}],
 "functions": [{"id": "f", "artifact_mb": 100, "exec_time": {"type": "constant", "value": "100ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "10s"}],
 "policies": {"keepalive_ttl": "0s"}}
JSON
"$EDGESIM" run s.json -o out --set policies.keepalive.type=hybrid >/dev/null
# a type from --set drops the file's parameters of another type (quickstart's ttl)
"$EDGESIM" validate "$q" --set policies.keepalive.type=none >/dev/null
python3 - <<'PY'
import json
s = json.load(open("out/summary.json"))
assert s["keepalive"]["policy"] == "hybrid", s["keepalive"]
c = s["cache"]
assert c["enabled"] is True and c["lookups"] == c["hits"] + c["shared_pulls"] + c["pulls"], c
assert 1 <= c["pulls"] <= 2 and c["pulled_mb"] == 100 * c["pulls"], c
assert abs(c["pull_time_mean_s"] - 2.05) < 1e-9, c
head = open("out/nodes.csv").readline()
assert ",cache_hit_ratio,cache_pulls,cache_pulled_mb,cache_pull_time_s,cache_pull_time_mean_s" in head, head
head = open("out/functions.csv").readline()
assert ",cold_start_pct,wasted_mb_s,prewarms,prewarms_used,prewarms_cancelled" in head, head
PY
echo ok
