# e2e: long
# Every shipped scenario runs and plots: seven valid PNGs and SVGs and a
# report each (the scale scenario cut to twenty simulated seconds, the
# workflows at scale to thirty, the routing benchmark to five seconds, the
# million nodes of scale-1m to 1,000 nodes and 1,000 functions for ten
# seconds: their full sizes are make bench's). Skipped, saying why, while
# `edgesim run` is not built, or without gnuplot or python3.
"$EDGESIM" run --help >/dev/null 2>&1 || { echo "edgesim run not built yet: skipped"; exit 0; }
command -v gnuplot >/dev/null || { echo "no gnuplot: skipped"; exit 0; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
root="$T/../.."
noplots=
"$EDGESIM" run --help 2>&1 | grep -q -- '--no-plots' && noplots=--no-plots
# scenarios/azure-keepalive*.json replay data that is not in the repository
# (the shared Azure excerpt next to the project; a synthetic day that
# docs/examples/keepalive-study.md generates under results/): each is skipped,
# saying so, while its invocations file is absent.
data_absent() {
    case "$(basename "$1")" in azure-keepalive*) ;; *) return 1 ;; esac
    inv=$(sed -n 's/.*"invocations": *"\([^"]*\)".*/\1/p' "$1" | head -n 1)
    [ ! -r "$(dirname "$1")/$inv" ]
}
n=0
for f in $(find "$root/scenarios" -name '*.json' ! -name schema.json ! -path '*/sweeps/*' | sort); do
    if data_absent "$f"; then echo "$(basename "$f"): its trace files are absent: skipped"; continue; fi
    name=$(basename "$f" .json)
    set --
    [ "$name" = scale ] && set -- --set duration=20s
    [ "$name" = scale-workflows ] && set -- --set duration=30s
    [ "$name" = routing ] && set -- --set duration=5s
    [ "$name" = scale-net ] && set -- --set duration=10s
    [ "$name" = scale-1m ] && set -- --set duration=10s --set 'nodes[0].count=200' \
        --set 'nodes[1].count=200' --set 'nodes[2].count=200' --set 'nodes[3].count=200' \
        --set 'nodes[4].count=200' --set 'functions[0].count=800' --set 'functions[1].count=200'
    "$EDGESIM" run "$f" -o "out/$name" $noplots "$@" >/dev/null || { echo "$name: run failed"; exit 1; }
    "$EDGESIM" plot "out/$name" --quiet || { echo "$name: plot failed"; exit 1; }
    python3 "$T/check_plots.py" "out/$name" || { echo "$name: bad plots"; exit 1; }
    n=$((n + 1))
done
echo "$n scenarios plotted"
[ $n -ge 13 ]
