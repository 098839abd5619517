# --expect-fingerprint: a rerun matches its baseline (by hex and by run
# directory); a change of behaviour fails with exit 1 and names the first
# sample interval that differs.
root=$(cd "$T/../.." && pwd)
s=$root/scenarios/faults/crash.json
"$EDGESIM" run "$s" -q --no-plots -o base
fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' base/summary.json)
"$EDGESIM" run "$s" -q --no-plots -o again --expect-fingerprint "$fp"
"$EDGESIM" run "$s" -q --no-plots -o again --expect-fingerprint base
set +e
"$EDGESIM" run "$s" -q --no-plots -o changed --set policies.retries=0 --expect-fingerprint base 2>err
rc=$?
set -e
[ $rc -eq 1 ] || { echo "exit $rc"; cat err; exit 1; }
# the crash is at 5m: nothing differs before it
grep -q "expected $fp; behaviour first differs in the sample interval \[300.000000000 s, 305.000000000 s)" err || { cat err; exit 1; }
[ -s changed/summary.json ] # the outputs are still written
