# sweep: the example gives the same runs.csv and aggregate.csv bytes with
# -j 1 and -j 2; one row per run and one per (configuration, metric); a bad
# sweep file is exit 2 and one clear line.
root=$(cd "$T/../.." && pwd)
sw=$root/scenarios/sweeps/policies.json
"$EDGESIM" sweep "$sw" -q -o a -j 1
"$EDGESIM" sweep "$sw" -q -o b -j 2
cmp a/runs.csv b/runs.csv
cmp a/aggregate.csv b/aggregate.csv
# 3 schedulers x 5 replications, plus the header
[ "$(wc -l < a/runs.csv)" -eq 16 ] || { echo "runs.csv rows"; cat a/runs.csv; exit 1; }
# 3 configurations x 8 metrics, plus the header
[ "$(wc -l < a/aggregate.csv)" -eq 25 ] || { echo "aggregate.csv rows"; exit 1; }
[ -f a/runs/s000-c0002/rep-4/summary.json ]
# common random numbers: replication k has seed base_seed + k in every configuration
[ "$(grep -c ',round_robin,3,4,' a/runs.csv)" -eq 1 ]
[ "$(grep -c ',power_of_two,3,4,' a/runs.csv)" -eq 1 ]
# n = 5 for every aggregate row
[ "$(cut -d, -f5 a/aggregate.csv | grep -c '^5$')" -eq 24 ]

bad() { # FILE EXPECTED-TEXT: exit 2, one line on stderr, naming the problem
    set +e
    "$EDGESIM" sweep "$1" -q -o bad 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$1: exit $rc"; cat err; exit 1; }
    [ "$(wc -l < err)" -eq 1 ] || { echo "$1: not one line"; cat err; exit 1; }
    grep -qF "$2" err || { echo "$1: expected '$2'"; cat err; exit 1; }
}
cp "$root/scenarios/faults/crash.json" crash.json
printf '{"scenarios": ["crash.json"], "replication": 3}' > typo.json
bad typo.json 'typo.json:1:46: replication: expected a known field (scenarios, grid, set, replications, base_seed, name, description), found "replication" (did you mean "replications"?)'
printf '{"scenarios": ["crash.json"], "grid": {"policies.retries": 1}}' > notlist.json
bad notlist.json 'notlist.json:1:60: grid.policies.retries: expected a list of values, found 1'
printf '{"scenarios": ["crash.json"], "replications": 0}' > zero.json
bad zero.json 'zero.json:1:47: replications: expected an integer from 1 to 100000, found 0'
printf '{"grid": {}}' > noscen.json
bad noscen.json 'noscen.json:1:1: scenarios: expected a list of scenario files, found nothing'
printf '{"scenarios": ["crash.json"' > broken.json
bad broken.json 'broken.json:1:28: expected valid JSON, found the end of the text'
printf '{"scenarios": ["crash.json"], "grid": {"policies.scheduler": ["fastest"]}}' > badval.json
bad badval.json 'badval.json: scenarios[0] (config s000-c0000): --set: policies.scheduler: expected one of'
bad missing.json 'missing.json: expected a readable sweep file'
# the seed is the sweep's (base_seed + k): a grid of seeds ran the same runs
# under two configuration ids, and runs.csv had two "seed" columns
printf '{"scenarios": ["crash.json"], "grid": {"seed": [1, 2]}}' > seeds.json
bad seeds.json 'seeds.json:1:48: grid.seed: expected a parameter other than seed'
set +e
"$EDGESIM" sweep "$sw" -q -o bad --set seed=3 2>err; [ $? -eq 2 ] || exit 1
set -e
grep -q "^edgesim sweep: --set: expected a path other than seed" err
set +e
"$EDGESIM" sweep "$sw" -j 0 2>err; [ $? -eq 2 ] || exit 1
set -e
grep -q "^edgesim sweep: -j: expected an integer" err
"$EDGESIM" sweep --help | grep -q "usage: edgesim sweep"
# a run that fails (a policy plugin answering past the candidates: found
# only when it routes, while the run runs) is exit 1, naming the run;
# nothing is published: the folder keeps the earlier sweep's complete outputs
root=$(cd "$T/../.." && pwd)
cc -fPIC -shared -I"$root/core" "$T/range-plugin.c" -o range.so
cat > gfail-s.json <<'J'
{"duration": "2m", "regions": [{"id": "r"}], "nodes": [{"id": "n1", "region": "r"}],
 "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}],
 "policies": {"scheduler": {"plugin": "range.so"}}}
J
printf '{"scenarios": ["gfail-s.json"], "replications": 3}' > gfail.json
cp -r a failing
set +e
"$EDGESIM" sweep gfail.json -q -o failing -j 2 --allow-plugins 2>err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "failing run: exit $rc"; cat err; exit 1; }
grep -q "the first in run order being failing/runs/s000-c0000/rep-0" err
grep -q "^edgesim sweep: run runs/s000-c0000/rep-0: .*plugin .*range.so answered 7 for function f" err ||
    { cat err; exit 1; }
diff -r a failing
[ -z "$(ls -A . | grep '^\.failing\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }
# a malformed machine events row is a problem of the configuration, found
# before any run starts: exit 2, nothing runs, nothing is published
cat > gbad.csv <<'C'
#Time stamp (microseconds),Machine ID,Event type,Platform ID,capacity:CPU,capacity:memory
0,5,0,P1,0.5,0.25
abc,5,1,P1,0.5,0.25
C
sed 's/"policies": {"scheduler": {"plugin": "range.so"}}/"faults": [{"kind": "google_machine_events", "path": "gbad.csv"}]/' \
    gfail-s.json > gbad-s.json
printf '{"scenarios": ["gbad-s.json"], "replications": 2}' > gbad.json
set +e
"$EDGESIM" sweep gbad.json -q -o failing -j 2 2>err; rc=$?
set -e
[ $rc -eq 2 ] || { echo "bad row: exit $rc"; cat err; exit 1; }
grep -q "gbad.csv:3:1: timestamp" err || { cat err; exit 1; }
diff -r a failing
# grid values may be objects and lists: the cell is the compact JSON,
# CSV-quoted with its quotes doubled, and the value reaches the scenario
cat > objs.json <<'J'
{"scenarios": ["crash.json"], "set": {"duration": "2m"},
 "grid": {"policies": [{"scheduler": "round_robin", "retries": 0}, {"scheduler": "random"}]}}
J
"$EDGESIM" sweep objs.json -q -o objs
head -1 objs/runs.csv | grep -q '^scenario,config,policies,replication,seed,'
grep -q '^crash.json,s000-c0000,"{""scheduler"":""round_robin"",""retries"":0}",0,1,' objs/runs.csv
grep -q '^crash.json,s000-c0001,"{""scheduler"":""random""}",0,1,' objs/runs.csv
grep -q '"scheduler":.*"round_robin"' objs/runs/s000-c0000/rep-0/summary.json
grep -q '"scheduler":.*"random"' objs/runs/s000-c0001/rep-0/summary.json
# --set changes every run, after the file's "set" and before the grid
printf '{"scenarios": ["crash.json"], "set": {"duration": "1m", "policies.scheduler": "random"}, "replications": 2}' > one.json
"$EDGESIM" sweep one.json -q -o set1 --set policies.scheduler=nearest --set duration=2m
grep -q '"scheduler":.*"nearest"' set1/runs/s000-c0000/rep-1/summary.json
printf '{"scenarios": ["crash.json"], "set": {"duration": "1m"}, "grid": {"policies.scheduler": ["random"]}}' > grid1.json
"$EDGESIM" sweep grid1.json -q -o set2 --set policies.scheduler=nearest
grep -q '"scheduler":.*"random"' set2/runs/s000-c0000/rep-0/summary.json
set +e
"$EDGESIM" sweep one.json -q -o set3 --set =3 2>err; [ $? -eq 2 ] || exit 1
set -e
grep -q "^edgesim sweep: --set: expected PATH=VALUE, found '=3'$" err
# plots: each key metric against each swept parameter, PNG and SVG
[ "$(ls a/plots | grep -c '_by_policies.scheduler.png$')" -eq 8 ]
[ "$(ls a/plots | grep -c '_by_policies.scheduler.svg$')" -eq 8 ]
grep -q 'p99 latency (ms) by policies.scheduler' a/plots/latency_p99_s_by_policies.scheduler.svg
grep -q 'least_loaded' a/plots/latency_p99_s_by_policies.scheduler.svg
[ -f objs/plots/availability_by_policies.svg ]
[ "$(ls -a a | grep -c sweep-plots)" -eq 0 ]
# --no-plots draws none; without gnuplot the sweep still succeeds, with a warning
"$EDGESIM" sweep "$sw" -q -o np --no-plots
[ ! -e np/plots ] && [ -f np/aggregate.csv ]
PATH=/nonexistent "$EDGESIM" sweep grid1.json -o nognu 2>err
grep -q "^edgesim sweep: warning: gnuplot is not on PATH: no plots drawn$" err
[ -f nognu/aggregate.csv ] && [ ! -e nognu/plots ]
# a run where nothing completes has no latency and no rates: empty cells, not
# 0 (which would rank a policy that rejects everything best), and n = 0
cat >nothing.json <<J
{"scenarios": ["$root/scenarios/quickstart.json"], "grid": {"duration": ["1ms", "1m"]}, "replications": 2}
J
"$EDGESIM" sweep nothing.json -q --no-plots -o nothing
python3 - nothing <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/runs.csv")))
for r in rows:
    empty = r["duration"] == "1ms"
    for col in ("latency_mean_s", "latency_p99_s", "cold_start_rate", "failure_rate", "rejection_rate"):
        assert (r[col] == "") == empty, (r["duration"], col, r[col])
    assert r["throughput_per_s"] != "", r  # 0 per second is a throughput
agg = [a for a in csv.DictReader(open(sys.argv[1] + "/aggregate.csv")) if a["duration"] == "1ms"]
assert {a["metric"]: a["n"] for a in agg}["latency_mean_s"] == "0", agg
PY
