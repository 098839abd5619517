# Every shipped scenario runs, its outputs are complete, and Little's law
# (L = lambda W: the time-average in system against the departure rate times
# the mean time in system) holds. The estimate is off only by the work still
# in the system at the end, at most about W / T relative: the tolerance is
# 0.1% or 3 W / T, whichever is larger.
# scale.json runs shortened (its full length is a benchmark: make bench).
root=$(cd "$T/../.." && pwd)
for s in "$root"/scenarios/quickstart.json "$root"/scenarios/faults/*.json "$root"/scenarios/scale.json; do
    name=$(basename "$s" .json)
    set -- -q --no-plots -o "out/$name"
    [ "$name" = scale ] && set -- "$@" --set duration=20s
    "$EDGESIM" run "$s" "$@" || { echo "$name: run failed"; exit 1; }
    for f in summary.json timeseries.csv node_series.csv health.csv placements.csv faults.csv \
             nodes.csv functions.csv latency.csv run.json; do
        [ -s "out/$name/$f" ] || { echo "$name: $f missing or empty"; exit 1; }
    done
    python3 - "out/$name/summary.json" <<'PY' || exit 1
import json, sys
s = json.load(open(sys.argv[1]))
ll = s["littles_law"]
t = s["totals"]
tol = max(1e-3, 3 * ll["mean_time_in_system_s"] / s["duration_s"])
assert abs(ll["relative_error"]) < tol, (sys.argv[1], ll, tol)
assert t["arrivals"] == t["ok"] + t["failed"] + t["rejected"] + t["in_flight_at_end"], t
assert sum(s["outcomes"].values()) == t["arrivals"], s["outcomes"]  # in_flight_at_end included
assert s["outcomes"]["in_flight_at_end"] == t["in_flight_at_end"], s["outcomes"]
PY
done
