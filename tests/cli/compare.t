# compare: identical runs pass; a worse candidate is a regression (exit 1);
# a chosen metric with a wide tolerance passes; bad input is exit 2.
root=$(cd "$T/../.." && pwd)
s=$root/scenarios/faults/crash.json
"$EDGESIM" run "$s" -q --no-plots -o a
"$EDGESIM" run "$s" -q --no-plots -o b
"$EDGESIM" compare a b > out
grep -q "0 regressions" out
grep -q "(identical)" out
# without retries, the crash's black hole turns into failures
"$EDGESIM" run "$s" -q --no-plots -o c --set policies.retries=0
set +e
"$EDGESIM" compare a c > out; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "^failure_rate .*REGRESSION" out || { cat out; exit 1; }
"$EDGESIM" compare a c --metric throughput --max-decrease 50% > out
grep -q "0 regressions" out
set +e
"$EDGESIM" compare a 2>/dev/null; [ $? -eq 2 ] || exit 1
"$EDGESIM" compare a nowhere 2>err; [ $? -eq 2 ] && grep -q "nowhere/summary.json" err || exit 1
"$EDGESIM" compare a b --metric speed 2>err; [ $? -eq 2 ] || exit 1
"$EDGESIM" compare a b --metric throughput --max-increase 5% 2>err; [ $? -eq 2 ] || exit 1
grep -q "its tolerance is --max-decrease" err
# runs of another seed differ by chance as well: one warning line, the same
# verdicts and exit code; runs alike in scenario, seed and length get none
"$EDGESIM" run "$s" -q --no-plots -o d --seed 8
"$EDGESIM" compare a d > out 2>err; rc=$?
[ $rc -le 1 ] || { cat err; exit 1; }
[ "$(wc -l < err)" -eq 1 ] && grep -q '^edgesim compare: warning: the runs differ in more than the change under test (seed 7 vs 8): ' err || { cat err; exit 1; }
"$EDGESIM" compare a b > out 2>err
[ ! -s err ] || { cat err; exit 1; }
