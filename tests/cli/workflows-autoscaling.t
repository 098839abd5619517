# The shipped workflow and autoscaling scenarios run (shortened) and write
# their outputs: workflows.csv, workflow_steps.csv, workflow_series.csv with a
# row per workflow / step / interval, and autoscaler.csv with a row per tick;
# every request is accounted for; a run is deterministic.
root=$(cd "$T/../.." && pwd)
for s in image-pipeline iot-fanin ml-inference; do
    "$EDGESIM" run "$root/scenarios/workflows/$s.json" -q --no-plots -o "out/$s" --set duration=2m
    for f in workflows.csv workflow_steps.csv workflow_series.csv summary.json; do
        [ -s "out/$s/$f" ] || { echo "$s: $f missing"; exit 1; }
    done
    python3 - "out/$s" <<'PY' || exit 1
import csv, json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
rows = list(csv.DictReader(open(d + "/workflows.csv")))
for r in rows:
    w = s["workflows"][r["workflow"]]
    n = int(r["requests"])
    assert n == w["requests"] > 0, (r, w)
    assert n == int(r["ok"]) + int(r["deadline_missed"]) + int(r["failed"]) + int(r["in_flight_at_end"]), r
    cp = sum(float(r[k]) for k in r if k.startswith("cp_"))
    assert abs(cp - float(r["latency_mean_s"])) < 1e-6, (cp, r)
steps = list(csv.DictReader(open(d + "/workflow_steps.csv")))
assert len(steps) == sum(w["steps"] for w in s["workflows"].values())
PY
done
"$EDGESIM" run "$root/scenarios/workflows/iot-fanin.json" -q --no-plots -o again --set duration=2m
cmp out/iot-fanin/workflows.csv again/workflows.csv
cmp out/iot-fanin/workflow_series.csv again/workflow_series.csv
# autoscaling: 10 minutes of the diurnal day under each autoscaler
for a in concurrency utilization; do
    "$EDGESIM" run "$root/scenarios/autoscaling/diurnal.json" -q --no-plots -o "as-$a" \
        --set duration=10m --set policies.autoscaler=$a
    head -n 1 "as-$a/autoscaler.csv" | grep -qx 't_s,function,observed,desired,ready,pending,panic,held'
    [ "$(grep -c ',api,' "as-$a/autoscaler.csv")" -gt 10 ]
    python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["autoscaler"]["type"] == sys.argv[2]' \
        "as-$a/summary.json" $a
done
# without an autoscaler, no autoscaler.csv
"$EDGESIM" run "$root/scenarios/autoscaling/diurnal.json" -q --no-plots -o none --set duration=1m
[ ! -e none/autoscaler.csv ]
# the Chrome trace draws each finished request on the "workflows" process:
# one slice per request and per step that ran, an arrow from each step it
# waited for; 5 s of the IoT fan-in: requests of 9 steps, 8 of which run
# (one branch of two), 3 arrows each (aggregate from the read it waited for
# last, anomaly, and the branch taken; the five reads start the request)
"$EDGESIM" run "$root/scenarios/workflows/iot-fanin.json" -q --no-plots -o tr --set duration=5s --trace tr.json
python3 - <<'PY'
import json
ev = json.load(open("tr.json"))["traceEvents"]
s = json.load(open("tr/summary.json"))["workflows"]["aggregate-window"]
req = [e for e in ev if e.get("cat") == "workflow" and e["ph"] == "X"]
steps = [e for e in ev if e.get("cat") == "step"]
starts = [e for e in ev if e.get("cat") == "workflow" and e["ph"] == "s"]
ends = [e for e in ev if e.get("cat") == "workflow" and e["ph"] == "f"]
done = s["ok"] + s["deadline_missed"] + s["failed"]
assert len(req) == done > 0, (len(req), s)
assert len(steps) == 8 * done, len(steps)
assert len(starts) == len(ends) == 3 * done, (len(starts), len(ends))
assert all(e["pid"] == 0 for e in req + steps)
PY
# scripts/plot-control.py draws the workflow and autoscaler plots (when matplotlib is there)
if py=$(sh "$root/scripts/python.sh" 2>/dev/null); then
    "$py" "$root/scripts/plot-control.py" out/iot-fanin >/dev/null
    [ -s out/iot-fanin/plots/workflow_latency.png ] && [ -s out/iot-fanin/plots/workflow_steps.png ]
    "$py" "$root/scripts/plot-control.py" as-concurrency >/dev/null
    [ -s as-concurrency/plots/autoscaler.png ]
    set +e; "$py" "$root/scripts/plot-control.py" none 2>/dev/null; rc=$?; set -e
    [ $rc -eq 1 ]
fi
