# google_machine_events faults: a REMOVE/ADD pair of a generated trace (with
# scientific-notation timestamps) gives exactly one crash and one recovery at
# offset + (t - t_first) * scale; counts in summary.json; UPDATEs, initial
# ADDs and machines past the node count are ignored and counted; malformed
# rows name file, line and column; with ../shared/data/traces present, the
# real excerpt replays with one crash per REMOVE of a mapped machine.
cat > ev.csv <<'C'
#Time stamp (microseconds),Machine ID,Event type (0-ADD 1-REMOVE 2-UPDATE),Platform ID,capacity:CPU (%),capacity:memory (%)
0,5,0,P1,0.5,0.2493
0,6,0,P1,0.5,0.2493
0,7,0,P1,0.5,0.2493
1.0E+7,6,2,P1,0.5,0.5
2.5E+07,6,1,P1,0.5,0.5
4.0E+7,6,0,P1,0.5,0.5
5E+7,99,1,P1,,
C
cat > s.json <<'J'
{
  "name": "gme",
  "seed": 3,
  "duration": "2m",
  "regions": [{"id": "r"}],
  "nodes": [{"id": "n1", "region": "r"}, {"id": "n2", "region": "r"}, {"id": "n3", "region": "r"}],
  "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}],
  "deployments": [{"function": "f", "strategy": "all"}],
  "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}],
  "faults": [{"kind": "google_machine_events", "path": "ev.csv", "offset": "10s", "scale": 2}]
}
J
"$EDGESIM" run s.json -o out -q
# machine 6 REMOVE at 25 s of trace, ADD at 40 s: 10 + 25*2 = 60 s, 10 + 40*2 = 90 s
[ "$(grep -c ',crash,' out/faults.csv)" -eq 1 ]
grep -q '^60.000000000,90.000000000,crash,n[123]$' out/faults.csv || { cat out/faults.csv; exit 1; }
command -v python3 >/dev/null && python3 - <<'P'
import csv, json
d = json.load(open("out/summary.json"))
t = d["trace_faults"][0]
want = {"rows": 7, "machines": 4, "machines_ignored": 1, "removes_applied": 1,
        "removes_ignored": 1, "adds_applied": 1, "adds_ignored": 3, "updates_ignored": 1}
for k, v in want.items():
    assert t[k] == v, (k, t[k], v)
assert "nodes" not in d  # per node: nodes.csv
assert sum(int(n["crashes"]) for n in csv.DictReader(open("out/nodes.csv"))) == 1
P
# the same seed maps the same way; the node list restricts the mapping: with
# one node, only the first machine (5) is mapped, and it never fails
"$EDGESIM" run s.json -o out2 -q
cmp out/faults.csv out2/faults.csv
"$EDGESIM" run s.json -o one -q --set 'faults[0].nodes=["n2"]'
! grep -q ',crash,' one/faults.csv
# machine 5 removed instead: it is the first machine, so on the only node n2
sed 's/^2.5E+07,6,1/2.5E+07,5,1/; s/^4.0E+7,6,0/4.0E+7,5,0/' ev.csv > ev5.csv
"$EDGESIM" run s.json -o five -q --set 'faults[0].nodes=["n2"]' --set faults[0].path=ev5.csv
grep -q '^60.000000000,90.000000000,crash,n2$' five/faults.csv || { cat five/faults.csv; exit 1; }

run_err() { # EXPECTED-EXIT PATTERN ARGS...
    want=$1 pat=$2; shift 2
    set +e; "$EDGESIM" run "$@" -o bad -q 2>err; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat err; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "not one line:"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
# malformed rows: a problem of the scenario (exit 2, as in validate, before
# anything runs), at the trace's file, line and column
sed '4s/^0,7,0/abc,7,0/' ev.csv > bad1.csv
run_err 2 'bad1.csv:4:1: timestamp: expected microseconds from 0 to 9e15 such as 1.00043E+11, found "abc"' \
    s.json --set faults[0].path=bad1.csv
sed '6s/^2.5E+07,6,1/2.5E+07,6,7/' ev.csv > bad2.csv
run_err 2 'bad2.csv:6:11: event type: expected 0 (ADD), 1 (REMOVE) or 2 (UPDATE), found "7"' \
    s.json --set faults[0].path=bad2.csv
sed '3s/^0,6,0/0,x6,0/' ev.csv > bad3.csv
run_err 2 'bad3.csv:3:3: machine id: expected an unsigned integer, found "x6"' \
    s.json --set faults[0].path=bad3.csv
sed '5s/.*/1.0E+7,6,2/' ev.csv > bad4.csv
run_err 2 'bad4.csv:5:1: row: expected 6 comma-separated fields' s.json --set faults[0].path=bad4.csv
# validate reads the rows too; a bad row after the run's end is never read
set +e; "$EDGESIM" validate s.json --set faults[0].path=bad2.csv >vout 2>&1; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q "bad2.csv:6:11: event type" vout || { echo "validate: exit $rc"; cat vout; exit 1; }
"$EDGESIM" validate s.json --set faults[0].path=bad2.csv --set faults[0].offset=100d >vout 2>&1 ||
    { echo "validate refused a bad row past the run's end"; cat vout; exit 1; }
# scenario errors: exit 2 at the field
run_err 2 '^--set: faults\[0\].path: expected a readable regular file, found "nothere.csv"' \
    s.json --set faults[0].path=nothere.csv
run_err 2 'faults\[0\].scale: expected' s.json --set faults[0].scale=0
run_err 2 'faults\[0\].at: expected only the fields of a google_machine_events fault' \
    s.json --set faults[0].at=1s
run_err 2 'faults\[0\].nodes: expected "all" or a list' s.json --set faults[0].nodes=some

# the real excerpt, when the shared data is there: every REMOVE of a mapped,
# up machine is one crash (the first 50 machines map onto the 50 nodes)
real=/work/shared/data/traces/google2011/machine_events.csv
[ -r "$real" ] || { echo "no $real: real-trace part skipped"; exit 0; }
command -v python3 >/dev/null || { echo "no python3: real-trace part skipped"; exit 0; }
sed -e 's/"nodes": \[.*\],$/"nodes": [{"id": "n{i}", "count": 50, "region": "r"}],/' \
    -e 's/"duration": "2m"/"duration": "1h"/' s.json > real.json
"$EDGESIM" run real.json -o real -q --set "faults[0].path=$real" --set faults[0].scale=0.001 \
    --set faults[0].offset=0s
want=$(awk -F, -v N=50 'NR > 1 && $1 !~ /^#/ {
    if (!($2 in seen)) seen[$2] = k++
    if ($3 == 1 && seen[$2] < N && !down[$2]) { down[$2] = 1; rem++ }
    else if ($3 == 0 && down[$2]) down[$2] = 0
} END { print rem + 0 }' "$real")
python3 - "$want" <<'P'
import csv, json, sys
d = json.load(open("real/summary.json"))
t = d["trace_faults"][0]
crashes = sum(int(n["crashes"]) for n in csv.DictReader(open("real/nodes.csv")))
want = int(sys.argv[1])
assert t["removes_applied"] == want == crashes, (t, crashes, want)
assert t["rows"] == 37780, t
print("real excerpt:", want, "crashes")
P
