# A workload whose function nothing places (no deployment, no deploy fault, no
# autoscaler) is valid but rejects every request: validate and run say so on stderr,
# one line per workload, and go on (exit 0, outputs written). A deploy fault, an
# autoscaler or a deployment silences it.
cat >s.json <<'JSON'
{"name": "unplaced", "seed": 1, "duration": "20s",
 "regions": [{"id": "r"}],
 "nodes": [{"id": "n1", "region": "r", "cores": 2, "memory_mb": 1024}],
 "functions": [{"id": "f", "exec_time": "10ms"}, {"id": "g", "exec_time": "10ms"}],
 "deployments": [{"function": "g", "strategy": "all"}],
 "workloads": [{"function": "g", "region": "r", "arrival": "poisson", "rate": 5},
               {"function": "f", "region": "r", "arrival": "poisson", "rate": 5}]}
JSON
"$EDGESIM" validate s.json >out 2>err
grep -q '^ok: unplaced' out
[ "$(wc -l <err)" -eq 1 ] || { cat err; exit 1; }
grep -qx 'edgesim validate: warning: s.json: workloads\[1\].function: "f" is in no deployment and nothing deploys it later: each of its invocations is rejected (no_eligible_node)' err \
    || { cat err; exit 1; }
# --json: the same lines in the file's "warnings", and nothing on stderr
"$EDGESIM" validate --json s.json >out 2>err
[ ! -s err ] || { cat err; exit 1; }
python3 - out <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert f["ok"] and f["warnings"] == ['workloads[1].function: "f" is in no deployment and nothing '
                                     'deploys it later: each of its invocations is rejected '
                                     '(no_eligible_node)'], f
PY
"$EDGESIM" validate --json s.json --set 'deployments=[{"function": "*", "strategy": "all"}]' >out
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["files"][0]["warnings"] == []' out
"$EDGESIM" run s.json -q --no-plots -o r 2>err
grep -q 'edgesim run: warning: s.json: workloads\[1\].function: "f"' err || { cat err; exit 1; }
python3 - r/summary.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
o = s["outcomes"]
assert o["no_eligible_node"] > 50 and o["ok"] > 50, o
PY
# what places f later or on demand silences the warning
for set in 'faults=[{"kind": "deploy", "at": "10s", "function": "f", "node": "n1"}]' \
           'policies.autoscaler={"type": "concurrency", "target": 5, "min_scale": 0, "max_scale": 2}' \
           'deployments=[{"function": "*", "strategy": "all"}]'; do
    "$EDGESIM" validate s.json --set "$set" >out 2>err || { cat err; exit 1; }
    [ ! -s err ] || { echo "--set $set still warns:"; cat err; exit 1; }
done
# a burst fault of such a function too (faults are named by their time: the
# reader sorts them)
"$EDGESIM" validate s.json --set 'faults=[{"kind": "burst", "at": "5s", "function": "f", "region": "r", "count": 3}]' \
    --set 'workloads=[]' >out 2>err
grep -qx 'edgesim validate: warning: s.json: faults: the burst at 5s: "f" is in no deployment and nothing deploys it later: each of its invocations is rejected (no_eligible_node)' err \
    || { cat err; exit 1; }
# a workflow's step counts too
"$EDGESIM" validate s.json --set 'workflows=[{"id": "w", "steps": [{"id": "a", "function": "g"}, {"id": "b", "function": "f", "after": ["a"]}]}]' \
    --set 'workloads=[{"workflow": "w", "region": "r", "arrival": "poisson", "rate": 1}]' >out 2>err
grep -q 'workloads\[0\].workflow: step function "f" of "w"' err || { cat err; exit 1; }
