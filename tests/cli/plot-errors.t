# edgesim plot's errors: a missing run directory, a missing or malformed
# output is exit 2 with one line naming the file (and line); bad usage is
# exit 2; without gnuplot it is exit 1 with one line, and the report is
# still written (without plots).
set +e
"$EDGESIM" plot --help >out; rc=$?
[ $rc -eq 0 ] && grep -q '^usage: edgesim plot DIR \[--format png|svg|pdf|both\] \[--size S\] \[-q\] \[-h\]$' out || exit 1
grep -q 'latency_cdf, latency_over_time, load, busy_heatmap, node_status, cold_starts, outcomes, link_utilisation' out || exit 1

"$EDGESIM" plot 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: expected a run directory DIR (see 'edgesim plot --help')" ] || { echo "no args: rc $rc"; exit 1; }
"$EDGESIM" plot nowhere 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: nowhere: no such run directory" ] || { cat err; exit 1; }
echo '{}' >s.json && echo x >notes.txt
"$EDGESIM" plot s.json 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = 'edgesim plot: s.json: a file, not a run directory (a scenario? `edgesim run` it, then plot the directory it writes)' ] || { cat err; exit 1; }
"$EDGESIM" plot notes.txt 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: notes.txt: not a run directory" ] || { cat err; exit 1; }
"$EDGESIM" plot a b 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "one run directory at a time ('a' and 'b')" err || exit 1
"$EDGESIM" plot --format gif x 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: --format: expected png, svg, pdf or both, found 'gif'" ] || { cat err; exit 1; }
"$EDGESIM" plot x --format 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: --format needs a value" ] || exit 1
"$EDGESIM" plot --bogus x 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--bogus'" err || exit 1

cp -R "$T/../fixtures/run-small" run
rm run/latency.csv
"$EDGESIM" plot run 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(cat err)" = 'edgesim plot: run/latency.csv: missing (expected the outputs of `edgesim run` here; see docs/outputs.md)' ] || { cat err; exit 1; }

# malformed files: each line beside the error it must produce
check() { # FILE LINE_NO NEW_TEXT EXPECTED
    rm -rf run && cp -R "$T/../fixtures/run-small" run
    awk -v n="$2" -v t="$3" 'NR == n {print t; next} {print}' "run/$1" >tmp && mv tmp "run/$1"
    "$EDGESIM" plot run 2>err; rc=$?
    [ $rc -eq 2 ] && [ "$(cat err)" = "edgesim plot: $4" ] || { echo "rc $rc: $(cat err)"; echo "want: edgesim plot: $4"; exit 1; }
    [ -z "$(ls -a run | grep '^\.plots' || true)" ] || { echo "temporary folder left"; exit 1; }
    [ ! -e run/plots ] || { echo "plots written from bad input"; exit 1; }
}
check health.csv 3 '1205.0,us-03,offline,up,x' \
    'run/health.csv:3: column "to": expected a status (online, offline, degraded, syncing, maintenance), found "up"'
check timeseries.csv 5 '144.0,180.0,5000,oops,0,0,0,,,,1,1,0,20,0,ab' \
    'run/timeseries.csv:5: column "completions": expected a number, found "oops"'
check node_series.csv 10 '36.000000000,xx-99,online,1,1,0,1,1.0' \
    'run/node_series.csv:10: column "node": expected a node of nodes.csv, found "xx-99"'
check faults.csv 2 '600.0,1200.0,crash' \
    'run/faults.csv:2: expected 4 comma-separated fields as in the header, found 3'
check latency.csv 1 'scope,lo,hi,count,cdf' \
    'run/latency.csv:1: expected a column "bucket_lo_s" in the header'
check summary.json 1 '[' \
    'run/summary.json:2: expected a JSON object (the run'"'"'s summary), found invalid JSON'

# no gnuplot on PATH: exit 1, one line, the report without plots
rm -rf run && cp -R "$T/../fixtures/run-small" run
PATH=/nonexistent "$EDGESIM" plot run 2>err; rc=$?
[ $rc -eq 1 ] && [ "$(cat err)" = "edgesim plot: gnuplot not found on PATH: install it (Debian: gnuplot-nox; scripts/deps.sh) to draw plots" ] || { echo "rc $rc: $(cat err)"; exit 1; }
grep -q 'No plots: gnuplot was not found' run/report.html || exit 1
[ ! -e run/plots ] || exit 1
exit 0
