# edgesim plot on the 20-node sample run: every plot as a valid PNG and SVG,
# report.html with each of them inline, nothing left behind; --format and
# --quiet; a second run replaces the first. Needs gnuplot and a python3
# (standard library) to check the files; skipped without them.
command -v gnuplot >/dev/null || { echo "no gnuplot: skipped"; exit 0; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
check="python3 $T/check_plots.py"
cp -R "$T/../fixtures/run-small" run

"$EDGESIM" plot run >out
[ "$(cat out)" = "plots: 7 in run/plots/ (png and svg); report: run/report.html" ] || { cat out; exit 1; }
$check run --svg-text 'node_status=SYNCING' --svg-text 'latency_over_time=crash us-03' \
    --svg-text 'latency_cdf=p99 294 ms' --svg-text 'busy_heatmap=ap-gpu-01'
grep -q '<td>525,713</td>' run/report.html || { echo "arrivals not in the report"; exit 1; }
grep -q '<code>39714510e5b91281</code>' run/report.html
# the inputs are untouched
for f in summary.json timeseries.csv node_series.csv health.csv nodes.csv latency.csv faults.csv; do
    cmp -s "run/$f" "$T/../fixtures/run-small/$f" || { echo "$f changed"; exit 1; }
done

# again, quietly, into the same place
"$EDGESIM" plot run --quiet >out
[ ! -s out ]
$check run

# only PNG: no SVG files, the report still inlines SVG
rm -rf run/plots run/report.html
"$EDGESIM" plot --format png run >out
grep -q '(png)' out
$check run --formats png
[ -z "$(ls run/plots | grep '\.svg$' || true)" ] || { ls run/plots; exit 1; }
# only SVG
rm -rf run/plots
"$EDGESIM" plot run --format=svg --quiet
$check run --formats svg
[ -z "$(ls run/plots | grep '\.png$' || true)" ]

# PDF for papers, single-column size: every plot a PDF, nothing else; a
# column figure is 3.5 in wide (252 pt in the MediaBox); a bad size is exit 2
rm -rf run/plots
"$EDGESIM" plot run --format pdf --size column >out
grep -q '(pdf)' out
for p in latency_cdf latency_over_time load busy_heatmap node_status cold_starts outcomes; do
    head -c 5 "run/plots/$p.pdf" | grep -q '^%PDF-' || { echo "$p.pdf is not a PDF"; exit 1; }
done
[ -z "$(ls run/plots | grep -v '\.pdf$' || true)" ] || { ls run/plots; exit 1; }
grep -aq 'MediaBox \[ *0 0 252 ' run/plots/cold_starts.pdf || { grep -a MediaBox run/plots/cold_starts.pdf; exit 1; }
"$EDGESIM" plot run --format png --size 3.3x2.5 --quiet
rc=0; "$EDGESIM" plot run --size 3x 2>err || rc=$?
[ $rc = 2 ] && grep -q "expected column, page or WxH in inches" err || { cat err; exit 1; }
rc=0; "$EDGESIM" plot run --format jpeg 2>err || rc=$?
[ $rc = 2 ] && grep -q "expected png, svg, pdf or both, found 'jpeg'" err || { cat err; exit 1; }

# a trailing slash and a path with a space in it
mkdir "my runs"
cp -R "$T/../fixtures/run-small" "my runs/r 1"
"$EDGESIM" plot "my runs/r 1/" >out
[ "$(cat out)" = "plots: 7 in my runs/r 1/plots/ (png and svg); report: my runs/r 1/report.html" ]
$check "my runs/r 1"

# link utilisation: the y axis reaches 100% only when a link comes near half
# full; links below 1% are drawn against a 0-1% axis, not flat on the floor
root=$(cd "$T/../.." && pwd)
ytop() { # the largest y tick label (the ones drawn right-aligned)
    grep -A1 'text-anchor="end"' "$1" | sed -n 's|.*<text> \([0-9.]*\)</text>.*|\1|p' | sort -g | tail -1
}
"$EDGESIM" run "$root/scenarios/network/commuters.json" --set duration=3h -q --no-plots -o low
"$EDGESIM" plot low --format svg --quiet
[ "$(ytop low/plots/link_utilisation.svg)" = 1 ] || { echo "low: y to $(ytop low/plots/link_utilisation.svg)"; exit 1; }
"$EDGESIM" run "$root/scenarios/network/video-analytics.json" --set duration=5m -q --no-plots -o high
"$EDGESIM" plot high --format svg --quiet
[ "$(ytop high/plots/link_utilisation.svg)" = 100 ] || { echo "high: y to $(ytop high/plots/link_utilisation.svg)"; exit 1; }
