# Ctrl-C (SIGINT) or SIGTERM during `run` or `sweep`: the temporary folder
# being written is removed, the earlier complete outputs stay as they were,
# and the exit code is 130 (143 for SIGTERM). The signal is sent once the
# command has started writing. A shell starts background jobs with SIGINT
# ignored (and edgesim keeps an ignored SIGINT ignored, as nohup expects), so
# the commands start through `env --default-signal=INT`.
# The runs are far past the default limits (docs/scenario.md, "Limits"): they
# never end by themselves, so the limits are lifted for them.
env --default-signal=INT true 2>/dev/null || { echo "interrupt.t: skipped (env has no --default-signal)"; exit 0; }
q="$T/../../scenarios/quickstart.json"

# Waits until folder $1's temporary folder holds data, while pid $2 lives.
wait_writing() {
    for i in $(seq 1 600); do
        tmp=$(ls -d ".$1.tmp-"* 2>/dev/null | head -1 || true)
        [ -n "$tmp" ] && [ -n "$(find "$tmp" -type f -size +0 2>/dev/null)" ] && return 0
        kill -0 "$2" 2>/dev/null || { echo "pid $2 ended before writing"; return 1; }
        sleep 0.05
    done
    echo "$1: no temporary folder with data after 30 s"; return 1
}

# run, SIGINT: 130, old set intact, nothing left
"$EDGESIM" run "$q" -q --no-plots --set duration=2m -o a
cp -r a before
env --default-signal=INT "$EDGESIM" run "$q" -q --no-plots --set duration=1000h --max-events none --max-output none -o a 2>err &
pid=$!
wait_writing a $pid
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 130 ] || { echo "run after SIGINT: exit $rc"; cat err; exit 1; }
grep -q "^edgesim run: interrupted (signal 2): the unfinished outputs are removed, a is as it was$" err ||
    { cat err; exit 1; }
diff -r before a
[ -z "$(ls -A | grep '^\.a\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }

# run, SIGTERM: 143; a first run (no earlier set) leaves nothing at all
"$EDGESIM" run "$q" -q --no-plots --set duration=1000h --max-events none --max-output none -o new 2>err &
pid=$!
wait_writing new $pid
kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 143 ] || { echo "run after SIGTERM: exit $rc"; cat err; exit 1; }
[ ! -e new ] && [ -z "$(ls -A | grep '^\.new\.')" ] || { echo "left behind"; ls -A; exit 1; }

# a trace elsewhere is not left half-written either
env --default-signal=INT "$EDGESIM" run "$q" -q --no-plots --set duration=1000h --max-events none --max-output none -o a --trace t.json 2>err &
pid=$!
wait_writing a $pid
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 130 ] && [ ! -e t.json ] && [ -z "$(ls -A | grep '^\.t\.json')" ] || { echo "trace left"; ls -A; exit 1; }

# sweep -j 2, SIGINT to the parent alone: it stops its runs, waits for them,
# removes the temporary folder; the earlier sweep stays
cat > long.json <<J
{"name": "long", "scenarios": ["$q"], "set": {"duration": "2m"}, "replications": 2}
J
"$EDGESIM" sweep long.json -q --no-plots -o s
cp -r s sbefore
sed 's/"2m"/"1000h"/' long.json > longer.json
env --default-signal=INT "$EDGESIM" sweep longer.json -q --no-plots -j 2 --max-events none --max-output none -o s 2>err &
pid=$!
wait_writing s $pid
kids=$(grep -l "^PPid:[[:space:]]*$pid\$" /proc/[0-9]*/status 2>/dev/null | sed 's|/proc/\([0-9]*\)/status|\1|' || true)
[ -n "$kids" ] || { echo "no runs found under the sweep"; exit 1; }
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 130 ] || { echo "sweep after SIGINT: exit $rc"; cat err; exit 1; }
grep -q "^edgesim sweep: interrupted (signal 2): the unfinished outputs are removed, s is as it was$" err ||
    { cat err; exit 1; }
[ "$(wc -l < err)" -eq 1 ] || { echo "the runs spoke too:"; cat err; exit 1; }
for k in $kids; do
    ! kill -0 "$k" 2>/dev/null || { echo "run $k still alive"; exit 1; }
done
diff -r sbefore s
[ -z "$(ls -A | grep '^\.s\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }
