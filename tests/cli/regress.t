# e2e: long
# tests/regress/regress.sh on a copy of the tree with two scenarios: update
# records a baseline per scenario x policy; check passes on it, and fails
# naming each case whose fingerprint or metrics differ and what changed; a
# scenario added to scenarios/faults/ is a new case; update prints the diff.
# The scenarios are copies cut to four simulated minutes: what is tested is
# the script, over some hundred runs (a tenth of the time, under ASan too).
root=$(cd "$T/../.." && pwd)
mkdir -p tree/tests/regress tree/scenarios/faults
cp "$root/tests/regress/regress.sh" tree/tests/regress/
short() { sed 's/"duration": "[^"]*"/"duration": "4m"/' "$root/scenarios/$1.json" > "tree/scenarios/$1.json"; }
short quickstart
short faults/crash
sh tree/tests/regress/regress.sh "$EDGESIM" update > out
grep -q "wrote tests/regress/baselines.csv (18 cases)" out
[ "$(wc -l < tree/tests/regress/baselines.csv)" -eq 19 ]
grep -q '^faults/crash,consistent_hash,[0-9a-f]\{16\},' tree/tests/regress/baselines.csv
sh tree/tests/regress/regress.sh "$EDGESIM" check > out
grep -q "^regress: 18 cases (scenarios x policies) match" out
sh tree/tests/regress/regress.sh "$EDGESIM" update > out
grep -q "18 cases, nothing changed" out
# a changed fingerprint and metric: the case is named with what changed
cp tree/tests/regress/baselines.csv good.csv
sed -i 's/^faults\/crash,random,[0-9a-f]*,/faults\/crash,random,0123456789abcdef,/' tree/tests/regress/baselines.csv
set +e
sh tree/tests/regress/regress.sh "$EDGESIM" check 2> err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "exit $rc"; cat err; exit 1; }
grep -q "^regress: faults/crash x random: fingerprint 0123456789abcdef -> " err
grep -q "^regress: 1 case(s) differ" err
grep -q "make update-baselines" err
# a new scenario is a new case until its baselines are recorded
cp good.csv tree/tests/regress/baselines.csv
short faults/drain
set +e
sh tree/tests/regress/regress.sh "$EDGESIM" check 2> err; rc=$?
set -e
[ $rc -eq 1 ] && [ "$(grep -c 'faults/drain x .*: new case' err)" -eq 9 ] || { cat err; exit 1; }
sh tree/tests/regress/regress.sh "$EDGESIM" update > out
[ "$(grep -c '^+faults/drain,' out)" -eq 9 ]
sh tree/tests/regress/regress.sh "$EDGESIM" check > out
# a removed scenario is named too
rm tree/scenarios/faults/drain.json
set +e
sh tree/tests/regress/regress.sh "$EDGESIM" check 2> err; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "faults/drain x nearest: in tests/regress/baselines.csv but no longer run" err
