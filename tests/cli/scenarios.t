# Every shipped scenario (scenarios/**/*.json but the schema and the sweep
# files in scenarios/sweeps/) validates:
# exit 0 and one "ok: NAME: ..." line.
root="$T/../.."
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
    out=$("$EDGESIM" validate "$f") || { echo "$f does not validate"; exit 1; }
    echo "$out" | grep -Eq '^ok: [^:]+: [0-9]+ nodes? in [0-9]+ regions?, ' || { echo "$f: $out"; exit 1; }
    n=$((n + 1))
done
[ $n -ge 13 ] || { echo "only $n scenarios"; exit 1; }
# The scale scenario is what it says.
"$EDGESIM" validate "$root/scenarios/scale.json" | grep -q '^ok: scale: 10000 nodes in 5 regions, 1000 functions, '
# The complete example in docs/scenario.md validates as documented.
awk '/^## A complete small example/{on=1;next} on&&/^```json/{body=1;next} body&&/^```/{exit} body{print}' \
    "$root/docs/scenario.md" >example.json
[ "$("$EDGESIM" validate example.json)" = "ok: tiny: 4 nodes in 2 regions, 2 functions, 2 workloads, 2 faults, duration 10m" ]
