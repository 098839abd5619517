# A full disk is reported as such: "FILE: cannot write: No space left on
# device" naming the file (never "out of memory" or "Input/output error"),
# exit 1, and the earlier outputs stay as they were with nothing beside them.
# Needs a small tmpfs (mount as root); skipped with the reason otherwise.
q="$T/../../scenarios/quickstart.json"
mkdir disk
if ! mount -t tmpfs -o size=256k tmpfs disk 2>mount.err; then
    echo "outputs-full-disk.t: skipped (cannot mount a tmpfs: $(head -1 mount.err))"
    exit 0
fi
trap 'umount disk' EXIT
# an earlier run that fits
"$EDGESIM" run "$q" -q --no-plots --set duration=1m -o disk/r
cp -r disk/r before
# an hour does not fit
set +e
"$EDGESIM" run "$q" -q --no-plots --set duration=1h -o disk/r 2>err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "full disk: exit $rc"; cat err; exit 1; }
[ "$(wc -l < err)" -eq 1 ] || { cat err; exit 1; }
grep -q "^edgesim run: .*quickstart.json: run failed: disk/r/[a-z_]*\.csv: cannot write: No space left on device$" err ||
    { echo "expected the file and ENOSPC:"; cat err; exit 1; }
diff -r before disk/r
[ "$(ls -A disk)" = r ] || { echo "left behind:"; ls -A disk; exit 1; }

# the trace file alone on the full disk: named, and the run's outputs
# elsewhere are not published
"$EDGESIM" run "$q" -q --no-plots --set duration=1m -o elsewhere
cp -r elsewhere before2
set +e
"$EDGESIM" run "$q" -q --no-plots --set duration=1h -o elsewhere --trace disk/t.json 2>err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "full disk (trace): exit $rc"; cat err; exit 1; }
grep -q "run failed: disk/t.json: cannot write: No space left on device$" err || { cat err; exit 1; }
diff -r before2 elsewhere
[ "$(ls -A disk)" = r ] && [ -z "$(ls -A | grep '^\.elsewhere\.')" ]

# a sweep: the run that fails says so with the file, nothing is published
cat > sw.json <<J
{"name": "full", "scenarios": ["$q"], "set": {"duration": "1h"}, "replications": 2}
J
set +e
"$EDGESIM" sweep sw.json -q --no-plots -o disk/s 2>err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "full disk (sweep): exit $rc"; cat err; exit 1; }
grep -q "^edgesim sweep: run runs/s000-c0000/rep-0: run failed: disk/s/runs/s000-c0000/rep-0/[a-z_]*\.csv: cannot write: No space left on device$" err ||
    { cat err; exit 1; }
[ "$(ls -A disk)" = r ] || { echo "left behind:"; ls -A disk; exit 1; }
