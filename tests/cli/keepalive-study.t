# The keep-alive study of docs/examples/keepalive-study.md, end to end and
# small: a synthetic 2019 trace (50 functions x 180 minutes), one function
# per app, a sweep of fixed 5m, fixed 10m and hybrid x 2 replications, then
# scripts/keepalive-study.py: its table has one row per policy, wasted memory
# is 1 for the fixed 10m baseline, the shape line counts the apps, the plots
# exist, and a missing folder or column is one line and exit 2. Skipped,
# saying why, when no python3 here has matplotlib and numpy.
root="$T/../.."
py=$(sh "$root/scripts/python.sh" 2>why) || { echo "skipped: $(cat why)"; exit 0; }
"$py" "$root/scripts/gen-azure2019.py" day --functions 50 --minutes 180 --total 20000 --seed 3 >/dev/null
cat >ka.json <<'JSON'
{"name": "ka", "seed": 1, "duration": "3h", "sample_interval": "5m",
 "regions": [{"id": "r"}],
 "nodes": [{"id": "n{i}", "count": 4, "region": "r", "cores": 256, "memory_mb": 524288}],
 "workloads": [{"type": "azure2019", "unit": "app", "region": "r",
   "invocations": "day/invocations_per_function_md.anon.d01.csv",
   "durations": "day/function_durations_percentiles.anon.d01.csv",
   "memory": "day/app_memory_percentiles.anon.d01.csv",
   "deploy": "least_loaded"}]}
JSON
cat >sweep.json <<'JSON'
{"name": "ka-study", "scenarios": ["ka.json"],
 "grid": {"policies.keepalive": [{"type": "fixed", "ttl": "5m"}, {"type": "fixed", "ttl": "10m"},
                                 "hybrid"]},
 "replications": 2}
JSON
"$EDGESIM" sweep sweep.json -o sw -j 2 --no-plots --quiet
"$py" "$root/scripts/keepalive-study.py" sw --invocations day/invocations_per_function_md.anon.d01.csv >out
apps=$(awk -F, 'NR > 1 {print $1 "," $2}' day/invocations_per_function_md.anon.d01.csv | sort -u | wc -l)
grep -Eq "^  day/invocations_per_function_md.anon.d01.csv: [0-9]+ apps over 180 minutes: [0-9.]+% invoked at most once per hour, [0-9.]+% at most once per minute$" out ||
    { cat out; exit 1; }
n=$(sed -n 's/.*csv: \([0-9]*\) apps.*/\1/p' out)
[ "$n" -ge 1 ] && [ "$n" -le "$apps" ] || { echo "$n apps of $apps"; exit 1; }
grep -Eq '^ka \([0-9]+ apps\)$' out || { cat out; exit 1; }
[ "$(grep -Ec '^(fixed 5m|fixed 10m|hybrid) +2 ' out)" = 3 ] || { cat out; exit 1; }
grep -Eq '^fixed 10m +2 +[0-9.]+( ± [0-9.]+)? +1\.000 ± 0\.000 ' out || { cat out; exit 1; }
[ "$(wc -l <sw/keepalive-study/keepalive_study.csv)" = 4 ]
head -c 8 sw/keepalive-study/keepalive_tradeoff.png | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'
grep -q '<svg' sw/keepalive-study/keepalive_tradeoff.svg
# errors: one line, exit 2
rc=0; "$py" "$root/scripts/keepalive-study.py" nowhere 2>err || rc=$?
[ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'nowhere: expected a sweep directory' err ||
    { cat err; exit 1; }
sed -i '1s/,app,/,application,/' sw/runs/s000-c0000/rep-0/functions.csv
rc=0; "$py" "$root/scripts/keepalive-study.py" sw 2>err >/dev/null || rc=$?
[ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'functions.csv: expected a column named app' err ||
    { cat err; exit 1; }
