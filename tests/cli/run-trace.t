# run --trace: a Chrome trace-event file of the documented shape, bounded by
# --trace-window and --trace-nodes; bad options are exit 2.
root=$(cd "$T/../.." && pwd)
s=$root/scenarios/quickstart.json
"$EDGESIM" run "$s" -q --no-plots -o out --trace t.json --trace-window 9m..12m --trace-nodes us-03,eu-01
python3 - t.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"] if isinstance(d, dict) else d
spans = [e for e in ev if e["ph"] == "X"]
inst = [e for e in ev if e["ph"] == "i"]
assert spans and inst, (len(spans), len(inst))
for e in spans:
    assert e["ts"] < 720e6 and e["ts"] + e["dur"] >= 540e6, e  # overlaps [9m, 12m), in us
    assert e["dur"] >= 0, e
names = {e["args"]["name"] for e in ev if e["ph"] == "M" and e.get("name") == "process_name"}
assert names == {"node us-03", "node eu-01", "cluster"}, names
assert any(e["name"] == "crash" for e in inst), inst    # us-03 crashes at 10m
assert any(e["name"] == "OFFLINE" for e in inst), inst
PY
set +e
"$EDGESIM" run "$s" -q --no-plots -o out --trace t.json --trace-window 12m..9m 2>err; [ $? -eq 2 ] || exit 1
grep -q "expected START..END" err || exit 1
"$EDGESIM" run "$s" -q --no-plots -o out --trace t.json --trace-nodes nope 2>err; [ $? -eq 2 ] || exit 1
grep -q "found 'nope'" err
