# compare on two sweeps: runs pair on (scenario, grid values, seed); the
# mean paired change and its Student-t 95% interval are checked against a
# hand computation; a significant change beyond the tolerance is a
# regression (exit 1), a significant improvement "better", a change beyond
# the tolerance whose interval holds zero "noise"; sweeps that do not pair
# up are exit 2 with one line.
H=scenario,config,policies.scheduler,replication,seed,latency_mean_s,latency_p99_s,cold_start_rate,failure_rate,rejection_rate,throughput_per_s,availability,wasted_mb_s,fingerprint
mkdir a b
# seeds 1..4; columns: latency_mean, latency_p99, cold, failure, rejection, throughput, availability, wasted memory
{
echo $H
echo 's.json,s000-c0000,"{""type"":""x""}",0,1,1,1,0.5,0,0,10,1,5,aaaa'
echo 's.json,s000-c0000,"{""type"":""x""}",1,2,1,1,0.5,0,0,10,1,5,bbbb'
echo 's.json,s000-c0000,"{""type"":""x""}",2,3,1,1,0.5,0,0,10,1,5,cccc'
echo 's.json,s000-c0000,"{""type"":""x""}",3,4,1,1,0.5,0,0,10,1,5,dddd'
} > a/runs.csv
# candidate rows in another order: pairing is by seed, not by position
{
echo $H
echo 's.json,s000-c0000,"{""type"":""x""}",3,4,1.0,1.10,0.5,0,0,11,1,5,dddd'
echo 's.json,s000-c0000,"{""type"":""x""}",0,1,1.3,1.10,0.5,0,0,11,1,5,aaaa'
echo 's.json,s000-c0000,"{""type"":""x""}",1,2,0.9,1.12,0.5,0,0,10.9,1,5,bbbb'
echo 's.json,s000-c0000,"{""type"":""x""}",2,3,1.4,1.08,0.5,0,0,11.1,1,5,eeee'
} > b/runs.csv
# By hand, t(0.975, 3) = 3.182446:
#  latency_p99 differences .10 .12 .08 .10: mean .10, s = .0163299,
#    half width 3.182446 * s / 2 = .0259846 -> +10.00% [+7.40%, +12.60%] of 1.0
#  throughput differences 1 .9 1.1 1: mean 1, s = .0816497, half .1299228
#    -> +10.00% [+8.70%, +11.30%] of 10: higher is better, so "better"
#  latency_mean differences .3 -.1 .4 0: mean .15, s = .2380476, half .3787869
#    -> +15.00% [-22.88%, +52.88%]: beyond 5% but the interval holds zero
set +e
"$EDGESIM" compare a b > out; rc=$?
set -e
cat out
[ $rc -eq 1 ] || { echo "exit $rc"; exit 1; }
grep -q '^s.json  policies.scheduler={"type":"x"}  (4 paired runs)$' out
grep -Eq '^metric +unit +baseline +candidate +change +change % +95% interval +tolerance +verdict$' out
grep -Eq '^latency_p99 +s +1 +1.1 +\+0.1 +\+10.00%  \[\+7.40%, \+12.60%\] +5% +REGRESSION$' out
grep -Eq '^throughput +1/s +10 +11 +\+1 +\+10.00%  \[\+8.70%, \+11.30%\] +5% +better$' out
grep -Eq '^latency_mean +s +1 +1.15 +\+0.15 +\+15.00%  \[-22.88%, \+52.88%\] +5% +noise$' out
grep -Eq '^cold_start_rate +ratio +0.5 +0.5 +\+0 +\+0.00%  \[\+0.00%, \+0.00%\] +5% +ok$' out
grep -Eq '^failure_rate +ratio +0 +0 +\+0 +\+0.00%  \[\+0.00%, \+0.00%\] +5% +ok$' out
grep -Eq '^wasted_memory +MB\*s +5 +5 +\+0 +\+0.00%  \[\+0.00%, \+0.00%\] +5% +ok$' out
! grep -q 'missing' out
grep -q '^fingerprints: 1 of 4 paired runs differ (behaviour changed)$' out
grep -q '^1 regression:$' out
# the closing list names each regression again, for the end of a CI log
tail -1 out | grep -qx '  s.json policies.scheduler={"type":"x"}: latency_p99 +10.00% \[+7.40%, +12.60%\]'
# a wider tolerance on the one regressed metric: nothing regresses
"$EDGESIM" compare a b --metric latency_p99 --max-increase 12% > out
grep -q '^0 regressions$' out
! grep -q '^throughput' out
# ... but it must exceed the upper end of the change, not the interval: 10% is
# still worse than 9.99%
set +e
"$EDGESIM" compare a b --metric latency_p99 --max-increase 9.99% > out; [ $? -eq 1 ] || exit 1
set -e

bad() { # DIR-A DIR-B EXPECTED: exit 2 and one line
    set +e
    "$EDGESIM" compare "$1" "$2" > /dev/null 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$1 $2: exit $rc"; cat err; exit 1; }
    [ "$(wc -l < err)" -eq 1 ] || { echo "$1 $2: not one line"; cat err; exit 1; }
    grep -qF "$3" err || { echo "expected '$3'"; cat err; exit 1; }
}
# a seed the baseline does not have
mkdir c && sed 's/,3,4,1.0,/,3,5,1.0,/' b/runs.csv > c/runs.csv
bad a c 'a/runs.csv:5: expected a run of the same scenario, grid values and seed (4) in c/runs.csv, found none'
# another grid
mkdir d && sed '1s/policies.scheduler/policies.retries/' b/runs.csv > d/runs.csv
bad a d 'd/runs.csv: expected the grid parameters of a/runs.csv, found other columns'
# fewer runs
mkdir e && head -4 b/runs.csv > e/runs.csv
bad a e 'a/runs.csv has 4 runs and e/runs.csv has 3'
# the same run twice
mkdir f && { cat b/runs.csv; tail -1 b/runs.csv; } > f/runs.csv && mkdir g2 && { cat a/runs.csv; tail -1 a/runs.csv; } > g2/runs.csv
bad g2 f 'f/runs.csv:6: expected one run per scenario, grid values and seed, found a second'
# a broken cell, a broken quote, a sweep against a run
mkdir h && sed '3s/,1.3,/,x,/' b/runs.csv > h/runs.csv
bad a h 'h/runs.csv:3: column "latency_mean_s": expected a finite number, found "x"'
mkdir i && printf '%s\ns.json,s000-c0000,"{x,0\n' "$H" > i/runs.csv
bad a i 'i/runs.csv:2: expected a closing quote'
mkdir run && echo '{}' > run/summary.json
bad a run 'a is a sweep (it holds runs.csv) but run is not'
set +e
"$EDGESIM" compare a b --metric detection_latency 2>err; [ $? -eq 2 ] || exit 1
set -e
grep -q 'detection_latency: expected a column' err

# two real sweeps of the same file: every run pairs, nothing differs
root=$(cd "$T/../.." && pwd)
printf '{"scenarios": ["%s/scenarios/faults/crash.json"], "set": {"duration": "2m"},
 "grid": {"policies.scheduler": ["least_loaded", "round_robin"]}, "replications": 3}' "$root" > sw.json
"$EDGESIM" sweep sw.json -q -j 2 -o s1
"$EDGESIM" sweep sw.json -q -j 2 -o s2
"$EDGESIM" compare s1 s2 > out
grep -q '^fingerprints: 0 of 6 paired runs differ (identical)$' out
grep -q '^0 regressions$' out
[ "$(grep -c '(3 paired runs)' out)" -eq 2 ]
# the same run twice in the baseline, apart: found wherever it is
mkdir j
{ head -1 a/runs.csv; sed -n 2p a/runs.csv; sed -n 3,4p a/runs.csv; sed -n 2p a/runs.csv; } > j/runs.csv
bad j b 'j/runs.csv:5: expected one run per scenario, grid values and seed, found a second (seed 1)'
# a metric that neither run of a pair has (a latency where nothing completed:
# the sweep leaves the cell empty) leaves the pair out; with fewer than 2
# pairs left the verdict is "no value", not a regression; an empty cell on
# one side only cannot be judged
mkdir nv1 nv2 nv3
{
echo $H
echo 's.json,s000-c0000,"{""type"":""x""}",0,1,,,,,,0,1,5,aaaa'
echo 's.json,s000-c0000,"{""type"":""x""}",1,2,,,,,,0,1,5,bbbb'
} > nv1/runs.csv
cp nv1/runs.csv nv2/runs.csv
"$EDGESIM" compare nv1 nv2 > out
grep -q '^latency_p99      s                  -             -             -         -  -                             5%  no value$' out || { cat out; exit 1; }
grep -q '^0 regressions$' out
"$EDGESIM" compare nv1 nv2 --json | python3 -c '
import json, sys; d = json.load(sys.stdin)
m = {x["metric"]: x for x in d["configurations"][0]["metrics"]}
assert m["latency_mean"]["verdict"] == "no value" and m["latency_mean"]["baseline"] is None, m["latency_mean"]
assert m["throughput"]["verdict"] == "ok", m["throughput"]'
{ head -2 nv1/runs.csv; echo 's.json,s000-c0000,"{""type"":""x""}",1,2,1,1,0.5,0,0,0,1,5,bbbb'; } > nv3/runs.csv
bad nv1 nv3 'nv1/runs.csv:3: column "latency_p99_s": expected a finite number, found an empty cell (no value)'
