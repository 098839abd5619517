# The limits on a run's estimated events, memory and output (docs/scenario.md,
# "Limits"): each valid-but-unbounded scenario of issue 17 is refused by
# validate and by run, quickly, with exit 2 and one line naming the file, the
# field, the estimate, the limit and the option; raising the limit accepts it.

# bomb NAME NODES FUNCTIONS TOP NODEFIELDS FAULTS: a one-minute scenario
bomb() {
    cat > "$1.json" <<JSON
{"name": "bomb", "duration": "1m", $4
 "regions": [{"id": "eu"}],
 "nodes": [{"id": "n{i}", "count": $2, "region": "eu" $5}],
 "functions": [{"id": "f{i}", "count": $3, "exec_time": {"type": "constant", "value": "10ms"}}],
 "deployments": [{"function": "*", "strategy": "all"}],
 "workloads": [{"function": "f1", "region": "eu", "arrival": "poisson", "rate": 10}] $6}
JSON
}
burst='{"kind": "burst", "at": "1s", "for": "10s", "function": "f1", "region": "eu", "count": 100000000}'
bomb sample 2 1 '"sample_interval": "1ns",' '' ''
bomb failures 2 1 '' '' ', "faults": [{"kind": "random_failures", "nodes": ["n*"], "ttf": {"type": "constant", "value": "1ns"}, "ttr": {"type": "constant", "value": "1ns"}}]'
bomb wide 100000 100000 '' '' ''
bomb bins 2 100000 '"policies": {"keepalive": {"type": "hybrid", "bins": 100000}},' '' ''
bomb queue 100000 1 '' ', "cores": 4096, "queue_limit": 10000000' ''
bomb bursts 2 1 "" "" ", \"faults\": [$burst, $burst, $burst, $burst, $burst, $burst]"
bomb burst 2 1 '' '' ", \"faults\": [$burst]"

# refused NAME FIELD OPTION [ARGS]: validate and run exit 2 with one line
refused() {
    name=$1 field=$2 opt=$3; shift 3
    for cmd in validate run; do
        set +e
        start=$(date +%s)
        if [ $cmd = run ]; then
            "$EDGESIM" run "$name.json" "$@" -o out-$name --no-plots >out 2>err
        else
            "$EDGESIM" validate "$name.json" "$@" >out 2>err
        fi
        rc=$?
        set -e
        [ $rc -eq 2 ] || { echo "$cmd $name: exit $rc"; cat err; exit 1; }
        [ "$(wc -l < err)" -eq 1 ] || { echo "$cmd $name:"; cat err; exit 1; }
        grep -q "^$name.json: $field: this run would .* about .* (limit .*); change $field, or pass $opt to raise the limit (0 or none: no limit)\$" err ||
            { echo "$cmd $name:"; cat err; exit 1; }
        [ ! -e out-$name ] || { echo "$cmd $name wrote outputs"; exit 1; }
        # refused before the world is built: seconds (1 s of CPU under ASan), never the run
        [ $(( $(date +%s) - start )) -le 120 ] || { echo "$cmd $name: slow"; exit 1; }
    done
}
refused sample sample_interval '--max-events N'
refused failures 'faults\[0\].ttf' '--max-events N'
refused wide deployments '--max-memory SIZE'
refused bins 'policies.keepalive.bins' '--max-memory SIZE'
refused queue 'nodes\[\*\].queue_limit' '--max-memory SIZE'
refused bursts 'faults\[0\].count' '--max-events N'
refused burst 'faults\[0\].count' '--max-events N' --max-events 1e8
refused sample sample_interval '--max-output SIZE' --max-events none

# the estimate in the line
"$EDGESIM" validate sample.json 2>err || true
grep -q 'about 1.8e11 events (limit 2e9 events)' err || { cat err; exit 1; }

# raising the limit accepts them (validate only: they would really be huge)
"$EDGESIM" validate sample.json --max-events 0 --max-output none | grep -q '^ok: bomb'
"$EDGESIM" validate failures.json --max-events=1e12 | grep -q '^ok: bomb'
"$EDGESIM" validate bins.json --max-memory 100G | grep -q '^ok: bomb'
"$EDGESIM" validate queue.json --max-memory none | grep -q '^ok: bomb'
"$EDGESIM" validate bursts.json --max-events 3e9 | grep -q '^ok: bomb'
"$EDGESIM" validate burst.json | grep -q '^ok: bomb'

# a small run within a raised limit runs; one just below its estimate does not
bomb tiny 1 1 '"sample_interval": "1s",' '' ''
"$EDGESIM" run tiny.json -o out-tiny --no-plots -q --max-events 5000
[ -s out-tiny/summary.json ]
set +e
"$EDGESIM" run tiny.json -o out-tiny2 --no-plots -q --max-events 100 2>err; rc=$?
set -e
[ $rc -eq 2 ] && [ ! -e out-tiny2 ] || { echo "tiny at 100 events: exit $rc"; exit 1; }
# --invocations counts invocations.csv against --max-output
"$EDGESIM" validate tiny.json --max-output 100K | grep -q '^ok'
set +e
"$EDGESIM" run tiny.json -o out-tiny3 --invocations --max-output 100K 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q '^tiny.json: --invocations: ' err || { echo "exit $rc"; cat err; exit 1; }

# bad values of the options: one line, exit 2
for bad in "--max-events lots" "--max-events -1" "--max-memory 16X" "--max-output=G"; do
    set +e
    "$EDGESIM" validate tiny.json $bad >out 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "^edgesim validate: --max-.*: expected .*, 0 or none (no limit), found" err ||
        { echo "$bad: exit $rc"; cat err; exit 1; }
done
set +e
"$EDGESIM" run tiny.json --max-memory 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'needs a value' err

# sweep: every configuration is checked before anything runs
cat > sw.json <<JSON
{"name": "lim", "scenarios": ["sample.json"], "replications": 1}
JSON
set +e
"$EDGESIM" sweep sw.json -o out-sw -q 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'sample.json: sample_interval: this run would' err || { echo "sweep: exit $rc"; cat err; exit 1; }
[ ! -e out-sw/runs.csv ]

# a burst keeps one arrival pending: 10^6 invocations over 10 s peak at about
# the memory of 10^4 (scheduled up front, 10^6 took 60 MB more)
sed 's/100000000/10000/' burst.json > b4.json
sed 's/100000000/1000000/' burst.json > b6.json
rss() { sed -n 's/.*"peak_rss_kb":[[:space:]]*\([0-9]*\).*/\1/p' "$1/run.json"; }
"$EDGESIM" run b4.json -o out-b4 --no-plots -q
"$EDGESIM" run b6.json -o out-b6 --no-plots -q
grep -q '"arrivals":[[:space:]]*1000624,' out-b6/summary.json
[ $(( $(rss out-b6) - $(rss out-b4) )) -lt 16000 ] || { echo "rss $(rss out-b4) KB -> $(rss out-b6) KB"; exit 1; }
