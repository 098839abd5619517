# --trace never truncates silently: at the cap (--trace-max-events N) run
# warns on stderr and the trace records it; 0 removes the cap. --trace-nodes
# takes ids and fnmatch globs; --trace-window may leave an end open.
root=$(cd "$T/../.." && pwd)
q=$root/scenarios/quickstart.json
run() { "$EDGESIM" run "$q" -q --no-plots -o out --set duration=5m --trace t.json "$@"; }
run --trace-max-events 100 --trace-nodes 'eu-*' 2>err
[ "$(wc -l <err)" -eq 1 ]
grep -q "^edgesim run: warning: t.json: the trace's cap of 100 events was reached; [0-9]* later events were dropped (raise the cap with --trace-max-events N, 0 for none" err
python3 - t.json err <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
o = d["otherData"]
dropped = int(re.search(r"; (\d+) later events", open(sys.argv[2]).read()).group(1))
assert o["truncated"] is True and o["max_events"] == 100 and o["events"] == 100, o
assert o["dropped_events"] == dropped > 0, (o, dropped)
assert "--trace-max-events" in o["note"], o
marks = [e for e in d["traceEvents"] if e.get("cat") == "trace"]
assert len(marks) == 1 and marks[0]["name"] == "trace truncated: cap of 100 events reached", marks
names = {e["args"]["name"] for e in d["traceEvents"] if e.get("name") == "process_name"}
assert names and all(n == "cluster" or n.startswith("node eu-") for n in names), names
PY
# the same run without a cap: nothing dropped, no warning, and more events
run --trace-max-events 0 --trace-nodes 'eu-*' 2>err
[ ! -s err ]
python3 -c '
import json; o = json.load(open("t.json"))["otherData"]
assert o["truncated"] is False and o["dropped_events"] == 0 and o["max_events"] is None, o
assert o["events"] > 100, o'
# under the default cap: no warning either
run 2>err
[ ! -s err ]
# globs: every node whose id matches, and exact ids; "?" and classes too
run --trace-nodes 'us-0[12],ap-*' 2>err
python3 - t.json <<'PY'
import fnmatch, json, sys
d = json.load(open(sys.argv[1]))
names = {e["pid"]: e["args"]["name"][5:] for e in d["traceEvents"]
         if e.get("name") == "process_name" and e["args"]["name"].startswith("node ")}
assert {"us-01", "us-02", "ap-gpu-01"} <= set(names.values()), names
assert all(fnmatch.fnmatchcase(n, "us-0[12]") or fnmatch.fnmatchcase(n, "ap-*") for n in names.values()), names
kept = d["otherData"]["nodes"]
assert set(pid - 2 for pid in names) <= set(kept) and len(kept) >= 3, (kept, names)
PY
set +e
run --trace-nodes 'eu-*,zz-*' 2>err; rc=$?
set -e
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim run: --trace-nodes: expected node ids or patterns (such as eu-*) that match nodes of the scenario, found 'zz-*'" ]
# open windows: "4m.." to the end, "..1m" from the start
run --trace-window 4m.. 2>err
python3 -c '
import json; d = json.load(open("t.json"))
assert d["otherData"]["window_s"] == [240.0, None], d["otherData"]["window_s"]
xs = [e for e in d["traceEvents"] if e["ph"] == "X"]
assert xs and all(e["ts"] + e["dur"] >= 240e6 for e in xs)'
run --trace-window ..1m
python3 -c '
import json; d = json.load(open("t.json"))
assert d["otherData"]["window_s"] == [0.0, 60.0], d["otherData"]["window_s"]
xs = [e for e in d["traceEvents"] if e["ph"] == "X"]
assert xs and all(e["ts"] < 60e6 for e in xs)'
set +e
run --trace-window .. 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'expected START..END' err
# a trace replaces only a new file or an earlier trace: never the user's own
# file (the scenario itself, once, was overwritten by `--trace s.json`)
cp "$q" mine.json
set +e
"$EDGESIM" run mine.json -q --no-plots --set duration=1m -o tr --trace mine.json 2>err; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "^edgesim run: --trace mine.json: expected a new file or an earlier trace, found other content" err || { echo "rc $rc"; cat err; exit 1; }
cmp -s mine.json "$q" || { echo "the scenario was changed"; exit 1; }
[ ! -e tr ] && [ -z "$(ls -A . | grep '^\.tr\.')" ] || { echo "outputs left behind"; ls -A; exit 1; }
"$EDGESIM" run mine.json -q --no-plots --set duration=1m -o tr --trace t.json # over an earlier trace
"$EDGESIM" run mine.json -q --no-plots --set duration=1m -o tr --trace /dev/null # a device: written to
[ -c /dev/null ] || { echo "/dev/null was replaced"; exit 1; }
