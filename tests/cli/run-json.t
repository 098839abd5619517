# run.json splits the command's time: set-up, the event loop and the outputs,
# each a non-negative wall time, adding up to total_seconds; the loop's CPU
# time and the process's CPU time (which covers at least the loop); rates are
# per second of the loop. wall_seconds (the loop alone, read as the whole
# run) is gone.
root=$(cd "$T/../.." && pwd)
"$EDGESIM" run "$root/scenarios/quickstart.json" -q --no-plots -o q --set duration=2m
python3 - q/run.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("setup_seconds", "loop_seconds", "output_seconds", "total_seconds",
          "loop_cpu_seconds", "cpu_seconds", "events", "events_per_second", "invocations",
          "invocations_per_second", "invocations_per_cpu_second", "peak_rss_kb", "host"):
    assert k in r, k
assert "wall_seconds" not in r
for k in ("setup_seconds", "loop_seconds", "output_seconds", "loop_cpu_seconds"):
    assert r[k] >= 0, (k, r[k])
parts = r["setup_seconds"] + r["loop_seconds"] + r["output_seconds"]
assert abs(parts - r["total_seconds"]) < 1e-6, r
assert r["cpu_seconds"] >= r["loop_cpu_seconds"] > 0, r
# the process's CPU time split the same way: before the loop, the loop, the outputs
assert r["setup_cpu_seconds"] >= 0 and r["output_cpu_seconds"] >= 0, r
parts = r["setup_cpu_seconds"] + r["loop_cpu_seconds"] + r["output_cpu_seconds"]
assert abs(parts - r["cpu_seconds"]) < 1e-6, r
assert r["invocations"] > 0 and r["events"] >= r["invocations"], r
assert abs(r["invocations_per_second"] * r["loop_seconds"] - r["invocations"]) < 1e-3 * r["invocations"], r
PY
