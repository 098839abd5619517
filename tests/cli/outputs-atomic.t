# e2e: long
# A run's outputs are one set (docs/outputs.md, "One set, published whole"):
# written into a temporary folder beside DIR and published in one step, so
# while a run goes DIR holds the earlier complete set, unchanged; a run that
# fails leaves it as it was; DIR is replaced only when it is empty or holds
# earlier outputs; a --trace inside DIR is part of the set.
q="$T/../../scenarios/quickstart.json"
"$EDGESIM" run "$q" -q --no-plots --set duration=2m -o a
cp -r a before
# a long run into a: while it goes, a is the earlier set, byte for byte
# (30 simulated hours take seconds; under the sanitizers, 10 take as long)
hours=30
[ -n "${EDGESIM_SANITIZED:-}" ] && hours=10
"$EDGESIM" run "$q" -q --no-plots --set duration=${hours}h -o a 2>err &
pid=$!
# checked again and again while the run writes. Publishing exchanges the
# two folders, so a's inode changes at that instant and the temporary name
# then holds the old set while it is removed (the process lives on a while
# after, longer under the sanitizers): a check counts only when a was the
# same folder before and after it, and a change of a's inode ends the watch.
ino=$(stat -c %i a)
same() { [ "$(stat -c %i a 2>/dev/null || echo gone)" = "$ino" ]; }
seen=0
while kill -0 $pid 2>/dev/null && same; do
    tmp=$(ls -d .a.tmp-* 2>/dev/null | head -1 || true)
    if [ -n "$tmp" ] && [ -n "$(find "$tmp" -type f -size +0 2>/dev/null)" ]; then
        if diff -r before a >/dev/null; then
            same && seen=$((seen + 1))
        elif same; then
            echo "a changed while the run was writing into $tmp"; diff -r before a | head; exit 1
        fi
    fi
    sleep 0.1
done
[ $seen -ge 1 ] || { echo "never saw the run writing into its temporary folder"; exit 1; }
wait $pid || { echo "the long run failed"; cat err; exit 1; }
grep -q "\"duration_s\":[[:space:]]*$((hours * 3600))" a/summary.json || { echo "a is not the new set"; exit 1; }
[ "$(wc -l < a/timeseries.csv)" -gt "$(wc -l < before/timeseries.csv)" ]
[ -z "$(ls -A | grep '^\.a\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }

# a run that fails (a policy plugin answering past the candidates, found as it routes)
# leaves the earlier set as it was and nothing beside it
rm -rf before && cp -r a before
root=$(cd "$T/../.." && pwd)
cc -fPIC -shared -I"$root/core" "$T/range-plugin.c" -o range.so
cat > fails.json <<'J'
{"name": "fails", "duration": "2m", "regions": [{"id": "r"}], "nodes": [{"id": "n1", "region": "r"}],
 "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}],
 "policies": {"scheduler": {"plugin": "range.so"}}}
J
set +e
"$EDGESIM" run fails.json -q -o a --allow-plugins 2>err; rc=$?
set -e
[ $rc -eq 1 ] || { echo "failing run: exit $rc"; cat err; exit 1; }
[ "$(wc -l < err)" -eq 1 ] || { cat err; exit 1; }
diff -r before a
[ -z "$(ls -A | grep '^\.a\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }

# the set includes plots/ and report.html; a new set has no file of the old
"$EDGESIM" run "$q" -q --set duration=2m -o p
[ -f p/report.html ] && [ -f p/plots/load.svg ]
"$EDGESIM" run "$q" -q --no-plots --set duration=2m -o p
[ ! -e p/report.html ] && [ ! -e p/plots ] || { echo "old plots linger beside new data"; exit 1; }

# a trace inside DIR is part of the set; one elsewhere is renamed into place
"$EDGESIM" run "$q" -q --no-plots --set duration=2m -o tr --trace tr/t.json
[ -s tr/t.json ] && [ -f tr/summary.json ]
"$EDGESIM" run "$q" -q --no-plots --set duration=2m -o tr2 --trace t2.json
[ -s t2.json ] && [ -z "$(ls -A | grep '^\.t2\.json')" ]

# DIR is replaced as a whole, so edgesim refuses folders that are not its own
refuse() { # PATTERN ARGS...
    pat=$1; shift
    set +e; "$EDGESIM" run "$q" -q --no-plots --set duration=1m "$@" 2>err; rc=$?; set -e
    [ $rc -eq 1 ] || { echo "exit $rc for $*"; cat err; exit 1; }
    [ "$(wc -l < err)" -eq 1 ] || { cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
mkdir mine && echo keep > mine/notes.txt
refuse "mine: expected an empty folder or earlier outputs (with summary.json), found other files" -o mine
[ "$(cat mine/notes.txt)" = keep ] && [ "$(ls -A mine)" = notes.txt ]
refuse 'expected a folder that can be replaced as a whole, found "."' -o .
refuse 'expected a folder that can be replaced as a whole, found ".."' -o mine/..
ln -s a alink
refuse "alink: expected a folder, found a symbolic link" -o alink
echo x > afile
refuse "afile: expected a folder, found a file" -o afile
# an empty folder is fine
mkdir empty && "$EDGESIM" run "$q" -q --no-plots --set duration=1m -o empty && [ -f empty/summary.json ]
