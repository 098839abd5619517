# compare is a CI gate and fails closed (issue 17): a tolerance must carry its
# unit (a bare "5" once meant 500% and passed everything); a summary.json or
# runs.csv that is empty, lacks a metric, holds a non-number, null, a
# non-finite number or a NaN/empty cell, is truncated, is not a regular file
# or is larger than the cap exits 2 with one line naming the file and the
# metric or cell, never "missing, 0 regressions, exit 0"; --json prints the
# same comparison for machines with the same exit codes.

# DIR P99 FAILURE_RATE FINGERPRINT: a summary.json with every metric
mk() {
    mkdir -p "$1"
    cat > "$1/summary.json" <<JSON
{"scenario": "s", "fingerprint": "$4",
 "latency_s": {"p99": $2, "mean": 0.05},
 "rates": {"cold_start_rate": 0.01, "failure_rate": $3, "rejection_rate": 0, "throughput_per_s": 100},
 "health": {"availability": 1, "detection_latency_s": {"mean": 0}},
 "energy": {"per_ok_invocation_j": 1}, "keepalive": {"wasted_mb_s": 1000}}
JSON
}
# expect CODE EXPECTED-TEXT ARGS...: exit CODE; for 2 exactly one line on
# stderr holding EXPECTED-TEXT and nothing on stdout
expect() {
    want=$1 text=$2
    shift 2
    set +e
    "$EDGESIM" compare "$@" > out 2> err; rc=$?
    set -e
    [ $rc -eq "$want" ] || { echo "compare $*: exit $rc, expected $want"; cat out err; exit 1; }
    [ "$want" -ne 2 ] && return 0
    [ "$(wc -l < err)" -eq 1 ] || { echo "compare $*: not one line"; cat err; exit 1; }
    [ ! -s out ] || { echo "compare $*: half an output on stdout"; cat out; exit 1; }
    grep -qF -- "$text" err || { echo "compare $*: expected '$text'"; cat err; exit 1; }
}
# p99 0.100 s -> 0.115 s: +15% and +15 ms; failure rate 0 -> 0.002 (+0.2 pp)
mk a 0.100 0 aaaa
mk b 0.115 0.002 bbbb

# ---- tolerances carry their unit
expect 1 '' a b
grep -Eq '^latency_p99 +s +0.1 +0.115 +\+0.015 +\+15.00% +5% +REGRESSION$' out
grep -Eq '^failure_rate +ratio +0 +0.002 +\+0.002 +\+inf% +5% +REGRESSION$' out
grep -q '^2 regressions$' out
expect 2 "--max-increase 5 (latency_p99, in s): expected a unit, found the bare number '5': write 5% for a percentage of the baseline, or an absolute tolerance in ns, us, ms or s such as 20ms" \
    a b --metric latency_p99 --max-increase 5
expect 2 "found the bare number '0.05': write 0.05%" a b --metric latency_p99 --max-increase 0.05
expect 2 "found the bare number '0'" a b --metric latency_p99 --max-increase 0
expect 2 "found the bare number '1'" a b --metric throughput --max-decrease 1
expect 2 "expected a percentage such as 5% or an absolute tolerance in /s such as 2/s, found '20ms'" \
    a b --metric throughput --max-decrease 20ms
for bad in -5% nan% inf% 5%% '5 %' 1e999%; do
    expect 2 "found '$bad'" a b --metric latency_p99 --max-increase "$bad"
done
expect 2 "--max-increase: expected TOL, found an empty value" a b --metric latency_p99 --max-increase ""
# 5% means five percent: +15% regresses, 20% does not
expect 1 '' a b --metric latency_p99 --max-increase 5%
grep -Eq '^latency_p99 .* 5% +REGRESSION$' out
expect 0 '' a b --metric latency_p99 --max-increase 20%
grep -Eq '^latency_p99 .* 20% +ok$' out
grep -q '^0 regressions$' out
# an absolute tolerance in the metric's unit: +15 ms is within 20ms and 0.02s,
# beyond 10ms and 10000us
expect 0 '' a b --metric latency_p99 --max-increase 20ms
grep -Eq '^latency_p99 .* \+0.015 .* 20ms +ok$' out
expect 0 '' a b --metric latency_p99 --max-increase 0.02s
expect 1 '' a b --metric latency_p99 --max-increase 10ms
expect 1 '' a b --metric latency_p99 --max-increase 10000us
# a rate from 0 is +inf% (any relative tolerance fails it); percentage points
# judge it absolutely: +0.2 pp
expect 1 '' a b --metric failure_rate --max-increase 1000%
expect 0 '' a b --metric failure_rate --max-increase 0.3pp
expect 1 '' a b --metric failure_rate --max-increase 0.1pp
expect 0 '' a b --metric throughput --max-decrease 1/s --metric wasted_memory --max-increase '1MB*s'

# ---- a summary that cannot be judged: exit 2, naming the file and the metric
mkdir empty && echo '{}' > empty/summary.json
expect 2 'empty/summary.json: latency_s.p99: expected a finite number (metric latency_p99), found nothing (no such key)' a empty
expect 2 'empty/summary.json: latency_s.p99: expected a finite number' empty a
expect 2 'empty/summary.json: rates.throughput_per_s: expected a finite number (metric throughput), found nothing' \
    a empty --metric throughput --max-decrease 5%
mk word '"fast"' 0 cccc
expect 2 'word/summary.json: latency_s.p99: expected a finite number (metric latency_p99), found a string' a word
mk null null 0 cccc
expect 2 'null/summary.json: latency_s.p99: expected a finite number (metric latency_p99), found null' a null
mk huge 1e999 0 cccc
expect 2 'huge/summary.json: latency_s.p99: expected a finite number (metric latency_p99), found a number too large to be finite' a huge
mkdir nanj && sed 's/"p99": 0.100/"p99": NaN/' a/summary.json > nanj/summary.json
expect 2 'nanj/summary.json:2: expected a summary.json object, found text that is not JSON' a nanj
mkdir trunc && head -c 60 a/summary.json > trunc/summary.json
expect 2 'trunc/summary.json:2: expected a summary.json object, found the end of the file before it closed (truncated?)' a trunc
mkdir list && echo '[1, 2]' > list/summary.json
expect 2 'list/summary.json: expected a summary.json object, found an array' a list
mkdir tail && { cat a/summary.json; echo '{}'; } > tail/summary.json
expect 2 'tail/summary.json:6: expected a summary.json object, found text that is not JSON' a tail
expect 2 'nowhere/summary.json: No such file or directory' a nowhere

# ---- whole-file loads are capped and regular files only
mkdir zero && ln -s /dev/zero zero/summary.json
expect 2 'zero/summary.json: expected a regular file, found a character device' a zero
mkdir dir && mkdir dir/summary.json
expect 2 'dir/summary.json: expected a regular file, found a directory' a dir
mkdir fifo && mkfifo fifo/summary.json
expect 2 'fifo/summary.json: expected a regular file, found a FIFO (named pipe)' a fifo
mkdir big && truncate -s 1G big/summary.json
expect 2 'big/summary.json: expected a file of at most 64 MiB, found 1 GiB' a big

# ---- sweeps: a NaN, infinite, empty or missing cell is exit 2
H=scenario,config,replication,seed,latency_mean_s,latency_p99_s,cold_start_rate,failure_rate,rejection_rate,throughput_per_s,availability,wasted_mb_s,fingerprint
mkdir s1 s2
{ echo $H; for k in 0 1 2; do echo "x.json,s000-c0000,$k,$((k + 1)),1,1,0,0,0,10,1,5,f$k"; done; } > s1/runs.csv
cp s1/runs.csv s2/runs.csv
expect 0 '' s1 s2
grep -q '^fingerprints: 0 of 3 paired runs differ (identical)$' out
cell() { # DIR VALUE: s2 with latency_p99_s of seed 2 set to VALUE
    mkdir "$1" && sed "3s/,1,1,0,0,0,10,/,1,$2,0,0,0,10,/" s1/runs.csv > "$1/runs.csv"
}
cell nan nan
expect 2 'nan/runs.csv:3: column "latency_p99_s": expected a finite number, found "nan"' s1 nan
cell NaN2 NaN
expect 2 'NaN2/runs.csv:3: column "latency_p99_s": expected a finite number, found "NaN"' s1 NaN2
cell inf inf
expect 2 'inf/runs.csv:3: column "latency_p99_s": expected a finite number, found "inf"' s1 inf
cell over 1e400
expect 2 'over/runs.csv:3: column "latency_p99_s": expected a finite number, found "1e400"' s1 over
cell blank ''
expect 2 'blank/runs.csv:3: column "latency_p99_s": expected a finite number, found an empty cell (no value)' s1 blank
# ... in the baseline too, and only for the metrics compared
expect 2 'nan/runs.csv:3: column "latency_p99_s"' nan s1
expect 0 '' nan s1 --metric throughput --max-decrease 5%
# a column the sweep should have is missing
mkdir nocol && cut -d, -f1-11,13 s1/runs.csv > nocol/runs.csv
expect 2 'nocol/runs.csv:1: --metric wasted_memory: expected a column wasted_mb_s, found none' s1 nocol
# a configuration of one run has no interval: nothing to judge
mkdir one1 one2 && head -2 s1/runs.csv > one1/runs.csv && cp one1/runs.csv one2/runs.csv
expect 2 'one1/runs.csv:2: expected at least 2 paired runs of a configuration for a 95% interval, found 1' one1 one2
# truncated in a row; a NUL byte; not a file; too big
mkdir cut && head -c 220 s1/runs.csv > cut/runs.csv
expect 2 'cut/runs.csv:3: expected 13 fields as in the header, found' s1 cut
mkdir nul && { head -2 s1/runs.csv; printf 'x.json\000'; tail -2 s1/runs.csv; } > nul/runs.csv
expect 2 'nul/runs.csv:3: expected text, found a NUL byte' s1 nul
mkdir zs && ln -s /dev/zero zs/runs.csv
expect 2 'zs/runs.csv: expected a regular file, found a character device' s1 zs
mkdir bigs && truncate -s 300M bigs/runs.csv
expect 2 'bigs/runs.csv: expected a file of at most 256 MiB, found 300 MiB' s1 bigs
mkdir es && : > es/runs.csv
expect 2 "es/runs.csv:1: expected the header of a sweep's runs.csv (scenario,config,...,replication,seed,...), found an empty file" s1 es

# ---- --json: the same comparison for machines, the same exit codes
expect 1 '' a b --json
/usr/bin/python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "runs" and d["baseline"] == "a" and d["candidate"] == "b", d
assert d["result"] == "regression" and d["regressions"] == 2 and d["exit_code"] == 1, d
assert d["fingerprints"] == {"pairs": 1, "differ": 1}, d["fingerprints"]
(c,) = d["configurations"]
assert c["scenario"] == "s" and c["grid"] == {} and c["paired_runs"] == 1, c
m = {x["metric"]: x for x in c["metrics"]}
assert len(m) == 10, sorted(m)
p = m["latency_p99"]
assert (p["unit"], p["better"], p["baseline"], p["candidate"]) == ("s", "lower", 0.1, 0.115), p
assert abs(p["change"] - 0.015) < 1e-12 and abs(p["change_pct"] - 15) < 1e-9, p
assert p["interval"] is None and p["verdict"] == "REGRESSION", p
assert p["tolerance"] == {"text": "5%", "absolute": False, "value": 0.05}, p["tolerance"]
f = m["failure_rate"]
assert f["change_pct"] is None and f["verdict"] == "REGRESSION", f  # +inf% from 0
assert m["throughput"]["verdict"] == "ok" and m["throughput"]["better"] == "higher"
PY
expect 0 '' a b --json --metric latency_p99 --max-increase 20ms
/usr/bin/python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "ok" and d["regressions"] == 0 and d["exit_code"] == 0, d
(m,) = d["configurations"][0]["metrics"]
assert m["metric"] == "latency_p99" and m["verdict"] == "ok", m
assert m["tolerance"]["text"] == "20ms" and m["tolerance"]["absolute"] is True, m
assert abs(m["tolerance"]["value"] - 0.02) < 1e-15, m
PY
# a sweep: the interval, in the metric's unit and in % of the baseline
sed '2,4s/,1,1,0,0,0,10,/,1,1.5,0,0,0,10,/; 3s/,1,1.5,/,1,1.6,/' s1/runs.csv > s2/runs.csv
expect 1 '' s1 s2 --json
/usr/bin/python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "sweeps" and d["result"] == "regression" and d["exit_code"] == 1, d
(c,) = d["configurations"]
assert c["scenario"] == "x.json" and c["grid"] == {} and c["paired_runs"] == 3, c
m = {x["metric"]: x for x in c["metrics"]}
assert len(m) == 8 and "energy_per_invocation" not in m, sorted(m)  # not in runs.csv
p = m["latency_p99"]
# differences .5 .6 .5: mean .5333, s = .057735, t(0.975, 2) = 4.302653
half = 4.302653 * 0.057735 / 3 ** 0.5
assert abs(p["change"] - 0.53333333) < 1e-6, p
assert abs(p["interval"][0] - (0.53333333 - half)) < 1e-5, p
assert abs(p["interval_pct"][1] - 100 * (0.53333333 + half)) < 1e-3, p
assert p["verdict"] == "REGRESSION" and m["throughput"]["verdict"] == "ok", m
assert d["fingerprints"] == {"pairs": 3, "differ": 0}, d
PY
# an absolute tolerance on a sweep: the change and its interval in seconds
expect 1 '' s1 s2 --metric latency_p99 --max-increase 100ms
grep -Eq '^latency_p99 +s +1 +1.53333 +\+0.533333 +\+53.33%  \[\+0.3899, \+0.6768\] +100ms  REGRESSION$' out
tail -1 out | grep -qx '  x.json: latency_p99 +53.33% \[+0.3899, +0.6768\] s'
expect 0 '' s1 s2 --metric latency_p99 --max-increase 600ms
# errors stay errors: nothing on stdout, exit 2
expect 2 'empty/summary.json: latency_s.p99' a empty --json
expect 2 "found the bare number '5'" s1 s2 --json --metric latency_p99 --max-increase 5

# ---- --help says how tolerances are written and what the exit codes mean
"$EDGESIM" compare --help > out
! grep -q '%%' out
grep -q 'TOL always carries its unit: 5% is five percent' out
grep -q '^exit codes: 0 nothing regressed; 1 a regression; 2 could not compare' out
