# Two runs of one scenario and seed give byte-identical outputs (plots and
# report.html too), run.json aside; another seed gives another trajectory.
root=$(cd "$T/../.." && pwd)
s=$root/scenarios/quickstart.json
"$EDGESIM" run "$s" -q -o a --invocations
"$EDGESIM" run "$s" -q -o b --invocations
# every output, plots and report.html included; run.json holds wall-clock figures
diff -r -x run.json a b || { echo "outputs differ between two runs"; exit 1; }
"$EDGESIM" run "$s" -q -o c --seed 43
fa=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' a/summary.json)
fc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' c/summary.json)
[ "$fa" != "$fc" ] || { echo "seed 43 gave the same fingerprint as 42"; exit 1; }
