# A value alone is the constant distribution of that value (docs/distributions.md):
# exec_time "120ms" runs exactly as {"type": "constant", "value": "120ms"}, every
# output byte for byte; request_kb 64 as {"type": "constant", "value": 64}. A value
# that is neither a duration with its unit nor an object is refused with exit 2.
root=$(cd "$T/../.." && pwd)
s=$root/scenarios/quickstart.json
"$EDGESIM" run "$s" -q --no-plots --invocations -o a --set duration=5m \
    --set 'functions[0].exec_time=120ms'
"$EDGESIM" run "$s" -q --no-plots --invocations -o b --set duration=5m \
    --set 'functions[0].exec_time={"type":"constant","value":"120ms"}'
diff -r -x run.json a b || { echo "a duration alone ran otherwise than its constant"; exit 1; }
# the constant is what ran: every warm invocation of the function that finished took
# 120 ms from its start to its end
python3 - a/invocations.csv <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))
        if r["function"] == "thumbnail" and r["cold"] == "0" and r["outcome"] == "ok"]
assert len(rows) > 100, len(rows)
bad = [r for r in rows if abs(float(r["end_s"]) - float(r["start_s"]) - 0.120) > 2e-9]
assert not bad, bad[:3]
PY
n=$root/scenarios/network/video-analytics.json
"$EDGESIM" run "$n" -q --no-plots -o c --set duration=20s --set 'functions[0].request_kb=64'
"$EDGESIM" run "$n" -q --no-plots -o d --set duration=20s \
    --set 'functions[0].request_kb={"type":"constant","value":64}'
diff -r -x run.json c d || { echo "a size alone ran otherwise than its constant"; exit 1; }
for v in 5 '"120 ms"' '"-1s"' true; do
    rc=0
    "$EDGESIM" validate "$s" --set "functions[0].exec_time=$v" 2>err || rc=$?
    [ "$rc" -eq 2 ] || { echo "exec_time=$v: exit $rc, expected 2"; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "exec_time=$v: not one line:"; cat err; exit 1; }
    grep -q 'functions\[0\].exec_time: expected a duration' err || { cat err; exit 1; }
done
