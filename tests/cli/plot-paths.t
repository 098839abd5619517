# Output folders may hold any byte: a quote, a newline, gnuplot's own syntax.
# No path of the user's becomes gnuplot text (gnuplot runs in the temporary
# folder on relative names, sim_plot_run_gnuplot), so the plots of a run and
# of a sweep are drawn into such folders, and a folder named like a gnuplot
# command (`'; system('touch PWNED'); print '`, which once ran) runs nothing.
# Skipped without gnuplot (or python3).
command -v gnuplot >/dev/null || { echo "no gnuplot: skipped"; exit 0; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
q="$T/../../scenarios/quickstart.json"
odd=$(printf 'run\n%s"x' "'")
"$EDGESIM" run "$q" -q --set duration=2m -o "$odd"
[ -s "$odd/plots/latency_cdf.png" ] && [ -s "$odd/report.html" ] || { ls -la "$odd" "$odd/plots"; exit 1; }
evil="s'; system('touch PWNED'); print '"
cat >sw.json <<J
{"scenarios": ["$q"], "grid": {"policies.keepalive_ttl": ["1m", "5m"]}, "replications": 1}
J
"$EDGESIM" sweep sw.json -q --set duration=2m -o "$evil"
[ -s "$evil/plots/latency_mean_s_by_policies.keepalive_ttl.png" ] || { ls -la "$evil" "$evil/plots"; exit 1; }
# and a bounded metric's axis stays within its bounds: availability is 100%
# throughout these two minutes, and its axis once went on to 101.5%
python3 - "$evil/plots/availability_by_policies.keepalive_ttl.svg" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
ticks = [float(t) for t in re.findall(r"<text>\s*(-?[0-9.]+)\s*</text>", svg)]
assert ticks and max(ticks) <= 100, ticks
PY
"$EDGESIM" plot "$odd" -q
found=$(find . -name 'PWNED*' | head -1)
[ -z "$found" ] || { echo "gnuplot ran text from a folder's name: $found"; exit 1; }
echo "plots drawn into folders named with quotes, a newline and gnuplot syntax; nothing ran"
