# validate takes many files: each is reported (ok lines on stdout, problems
# on stderr) and the exit is 2 when any fails; --json prints one document
# with the problems split into file, line, col, path, expected and found;
# --list-paths prints the paths --set can change.
root=$(cd "$T/../.." && pwd)
q=$root/scenarios/quickstart.json
c=$root/scenarios/faults/crash.json
"$EDGESIM" validate "$q" "$c" >out
[ "$(wc -l <out)" -eq 2 ]
grep -q '^ok: quickstart: ' out
printf '{"name": "bad",\n "duration": "zz"}\n' > bad.json
set +e
"$EDGESIM" validate "$q" bad.json "$c" >out 2>err; rc=$?
set -e
[ $rc -eq 2 ]
[ "$(wc -l <out)" -eq 2 ]   # both good files still reported
grep -q '^bad.json:2:14: duration: expected a duration' err
! grep -qv '^bad.json:' err  # every problem names its file
# --json: the same verdicts, for machines
set +e
"$EDGESIM" validate --json "$q" bad.json >j.json 2>err; rc=$?
set -e
[ $rc -eq 2 ] && [ ! -s err ]
python3 - j.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False, d["ok"]
good, bad = d["files"]
assert good["ok"] is True and good["summary"]["name"] == "quickstart" and good["summary"]["nodes"] == 20, good
assert bad["file"] == "bad.json" and bad["ok"] is False, bad
p = [x for x in bad["problems"] if x["path"] == "duration"][0]
assert p["file"] == "bad.json" and p["line"] == 2 and p["col"] == 14, p
assert p["expected"].startswith("a duration such as") and p["found"] == '"zz"', p
assert p["message"] == "expected " + p["expected"] + ", found " + p["found"], p
assert bad["problems_not_shown"] == 0
PY
"$EDGESIM" validate --json "$q" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ok"] is True and len(d["files"]) == 1'
# a --set problem is filed under "--set", with no line or column: null
set +e
"$EDGESIM" validate --json "$q" --set 'functions[0].timeout=-5' >j.json; rc=$?
set -e
[ $rc -eq 2 ]
python3 -c '
import json,sys; p = json.load(open("j.json"))["files"][0]["problems"][0]
assert p["file"] == "--set" and p["line"] is None and p["col"] is None and p["path"] == "functions[0].timeout", p'
# --list-paths: the file's paths, as --set takes them
"$EDGESIM" validate --list-paths "$c" >paths
grep -qx 'duration' paths
grep -qx 'policies.retries' paths
grep -qx 'nodes\[0\].id' paths
# a listed path is one --set takes
"$EDGESIM" validate "$c" --set "$(grep -x 'policies.retries' paths)=3" | grep -q '^ok: '
set +e
"$EDGESIM" validate --list-paths nope.json 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'nope.json' err
