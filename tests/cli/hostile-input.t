# Hostile and unlucky input in the files a scenario names, each a regression
# test of issue 17: an empty, header-only or one-word CSV workload validates
# (it reached qsort(NULL, 0) before; `make asan` runs this under UBSan); a
# device (/dev/zero), a directory or an endless line as a CSV workload, an
# Azure trace or a machine-events file is refused quickly by `validate`, in one
# line naming the field (a line longer than 65536 bytes, or 1 MiB for Azure,
# is reported as such, never read on until memory runs out); a scenario
# nested 100k levels deep says so at the right place; a 1 GiB scenario is
# refused by its size in human units before being read; an error quotes at
# most 40 characters of a file the scenario names; relative data paths are
# taken from the scenario's folder, whatever the current folder, and those a
# sweep file's set and grid name from the sweep file's folder.
root=$(cd "$T/../.." && pwd)
one_line() { # EXPECTED-EXIT PATTERN CMD... : exit code, one line on stderr matching
    want=$1 pat=$2; shift 2
    set +e; "$@" >stdout 2>err; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat err; exit 1; }
    [ "$(wc -l <err)" -eq 1 ] || { echo "not one line: $*"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/: $*"; cat err; exit 1; }
}
csv_scenario() { # NAME FILE
    cat > "$1" <<J
{"duration": "10s", "regions": [{"id": "eu"}], "nodes": [{"id": "a", "region": "eu"}],
 "functions": [{"id": "api", "exec_time": {"type": "constant", "value": "50ms"}}],
 "deployments": [{"function": "api", "strategy": "all"}],
 "workloads": [{"function": "api", "region": "eu", "arrival": "csv", "file": "$2"}]}
J
}

# empty, header only, one word: no arrivals, and valid
: > empty.csv; echo time > header.csv; printf word > word.csv
for f in empty header word; do
    csv_scenario "$f.json" "$f.csv"
    "$EDGESIM" validate "$f.json" >/dev/null
    "$EDGESIM" run "$f.json" -q --no-plots -o "out-$f"
    grep -q '"arrivals":[[:space:]]*0' "out-$f/summary.json"
done

# a device, a directory, an endless line: refused by validate, quickly
mkdir adir
head -c 70000 /dev/zero | tr '\0' 7 > long.csv
csv_scenario dev.json /dev/zero
one_line 2 '^dev.json:[0-9]*:[0-9]*: workloads\[0\].file: expected a readable CSV file, found "/dev/zero" (not a regular file' \
    timeout 10 "$EDGESIM" validate dev.json
csv_scenario dir.json adir
one_line 2 '^dir.json:[0-9]*:[0-9]*: workloads\[0\].file: expected a readable CSV file, found "adir" (a directory)$' \
    timeout 10 "$EDGESIM" validate dir.json
csv_scenario long.json long.csv
one_line 2 '^long.json:[0-9]*:[0-9]*: workloads\[0\].file: expected lines of at most 65536 bytes in long.csv, found line 1 longer than 65536 bytes$' \
    timeout 10 "$EDGESIM" validate long.json

# the same for Azure 2019 trace files (read whole by validate) ...
az() { # NAME INVOCATIONS
    cat > "$1" <<J
{"duration": "10m", "regions": [{"id": "r"}], "nodes": [{"id": "a", "region": "r"}],
 "workloads": [{"type": "azure2019", "invocations": "$2", "region": "r"}]}
J
}
head -c 1100000 /dev/zero | tr '\0' 7 > az-long.csv
az az-dev.json /dev/zero
one_line 2 '^az-dev.json:[0-9]*:[0-9]*: workloads\[0\].invocations: /dev/zero: cannot open: not a regular file' \
    timeout 10 "$EDGESIM" validate az-dev.json
az az-dir.json adir
one_line 2 '^az-dir.json:[0-9]*:[0-9]*: workloads\[0\].invocations: adir: cannot open: a directory$' \
    timeout 10 "$EDGESIM" validate az-dir.json
az az-long.json az-long.csv
one_line 2 'workloads\[0\].invocations: az-long.csv:1:1: expected a line of at most 1048576 bytes, found line 1 longer than 1048576 bytes$' \
    timeout 10 "$EDGESIM" validate az-long.json

# ... and Google machine events (opened by validate, streamed by run)
ge() { # NAME PATH
    cat > "$1" <<J
{"duration": "1m", "regions": [{"id": "r"}], "nodes": [{"id": "a", "region": "r"}],
 "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}],
 "faults": [{"kind": "google_machine_events", "path": "$2"}]}
J
}
ge ge-dir.json adir
one_line 2 '^ge-dir.json:[0-9]*:[0-9]*: faults\[0\].path: expected a readable regular file, found "adir" (a directory)$' \
    timeout 10 "$EDGESIM" validate ge-dir.json
ge ge-dev.json /dev/zero
one_line 2 'faults\[0\].path: expected a readable regular file, found "/dev/zero" (not a regular file' \
    timeout 10 "$EDGESIM" validate ge-dev.json
ge ge-missing.json nothere.csv
one_line 2 'faults\[0\].path: expected a readable regular file, found "nothere.csv" (No such file or directory)$' \
    "$EDGESIM" validate ge-missing.json
ge ge-long.json long.csv
one_line 2 '^ge-long.json:[0-9]*:[0-9]*: faults\[0\].path: expected a machine events CSV whose rows read, found long.csv:1:1: row: expected a line of at most 65536 bytes, found line 1 longer than 65536 bytes$' \
    timeout 10 "$EDGESIM" validate ge-long.json
one_line 2 'long.csv:1:1: row: expected a line of at most 65536 bytes, found line 1 longer than 65536 bytes' \
    timeout 10 "$EDGESIM" run ge-long.json -q --no-plots -o out-ge

# JSON nested 100k levels deep: the limit, at the bracket past it
/usr/bin/python3 -c 'print("{\"a\": " + "[" * 100000 + "]" * 100000 + "}")' > deep.json
one_line 2 '^deep.json:1:1006: expected at most 1000 levels of nested lists and objects, found JSON nested too deep (more than 1000 levels)$' \
    "$EDGESIM" validate deep.json
# exactly at the limit it is an ordinary (wrong-typed) value, not a nesting error
/usr/bin/python3 -c 'print("[" * 1000 + "]" * 1000)' > limit.json
one_line 2 '^limit.json:1:1: expected a scenario (an object' "$EDGESIM" validate limit.json

# a 1 GiB scenario (sparse): refused by its size, in human units, unread
truncate -s 1G big.json
one_line 2 '^big.json: expected a scenario of at most 64 MiB, found 1 GiB$' \
    timeout 10 "$EDGESIM" validate big.json
rm big.json
one_line 2 '^adir: expected a scenario file, found a directory (its scenarios are the .json files in it: name one, or all with adir/\*\.json)$' "$EDGESIM" validate adir
# an empty argument or option value (a script's empty variable) is one line
one_line 2 "^edgesim validate: expected SCENARIO\\.\\.\\., found an empty argument (''.\$" "$EDGESIM" validate ""
one_line 2 '^edgesim run: -o: expected DIR, found an empty value$' "$EDGESIM" run x.json -o ""
one_line 2 '^edgesim compare: expected BASELINE_DIR CANDIDATE_DIR, found an empty argument' "$EDGESIM" compare "" b

# a file the scenario names is quoted in at most 40 characters, escaped
printf 'header\n%s\n' 'secret-0123456789-0123456789-0123456789-END' > secret.csv
csv_scenario secret.json secret.csv
one_line 2 'on line 2 of secret.csv, found "secret-0123456789-0123456789-0123456789-\.\.\."$' \
    "$EDGESIM" validate secret.json
! grep -q END err
# a time past int64 nanoseconds is out of range (as in the scenario), not
# malformed; a negative one is below 0s
printf '1s\n106752d\n' > far.csv
csv_scenario far.json far.csv
one_line 2 'workloads\[0\].file: expected a duration below 292 years on line 2 of far.csv, found "106752d"$' \
    "$EDGESIM" validate far.json
printf -- '-1s\n' > neg.csv
csv_scenario neg.json neg.csv
one_line 2 'expected a duration of at least 0s such as "1.5s" on line 1 of neg.csv, found "-1s"$' \
    "$EDGESIM" validate neg.json
printf 'h\n\033]0;pwned\007\n' > esc.csv
csv_scenario esc.json esc.csv
one_line 2 'found "\\x1b\]0;pwned\\x07"$' "$EDGESIM" validate esc.json

# relative data paths are taken from the scenario's folder, from any folder
mkdir -p deep/er/traces
cp "$root/tests/scenarios/good/csv-trace.json" deep/er/
cp "$root/tests/scenarios/good/traces/api.csv" deep/er/traces/
"$EDGESIM" validate deep/er/csv-trace.json >/dev/null
(cd adir && "$EDGESIM" validate ../deep/er/csv-trace.json >/dev/null)
(cd / && "$EDGESIM" validate "$OLDPWD/deep/er/csv-trace.json" >/dev/null)
# stdin: from the current folder
(cd deep/er && "$EDGESIM" validate - < csv-trace.json >/dev/null)
one_line 2 'workloads\[0\].file: expected a readable CSV file, found "traces/api.csv" (No such file' \
    sh -c "\"$EDGESIM\" validate - < deep/er/csv-trace.json"

# a sweep file's set and grid name data paths relative to the sweep file's
# folder (they are its values); --set on the command line stays relative to
# the scenario's folder, as for run
mkdir -p sweeps/data
printf '1s\n2s\n3s\n' > sweeps/data/three.csv
cat > sweeps/sw.json <<'J'
{"scenarios": ["../deep/er/csv-trace.json"], "grid": {"workloads[0].file": ["data/three.csv"]}}
J
"$EDGESIM" sweep sweeps/sw.json -q --no-plots -o swout
[ -s swout/runs.csv ]
grep -q '"arrivals":[[:space:]]*3' swout/runs/s000-c0000/rep-0/summary.json
cat > sweeps/sw2.json <<'J'
{"scenarios": ["../deep/er/csv-trace.json"]}
J
"$EDGESIM" sweep sweeps/sw2.json -q --no-plots -o swout3 --set workloads[0].file=traces/api.csv

# NUL characters: cJSON ends a string at its first NUL, so "n\u0000a" was
# read as "n" in silence. A NUL escape in a scenario's or a sweep file's
# string or member name, a raw NUL byte, and one in a --set value are refused
# in one line at the place they are
csv_scenario nul.json empty.csv
sed 's/"id": "a"/"id": "a\\u0000b"/' nul.json > nul-id.json
one_line 2 '^nul-id.json:1:[0-9]*: nodes\[0\].id: expected a string without NUL characters, found "\\u0000" in it$' \
    "$EDGESIM" validate nul-id.json
printf '{"scenarios": ["nul.json"], "grid": {"policies.sched\\u0000uler": ["round_robin"]}}' > nul-sweep.json
one_line 2 '^nul-sweep.json:1:[0-9]*: grid.policies.sched: expected a member name without NUL characters' \
    "$EDGESIM" sweep nul-sweep.json -q --no-plots -o nulout
printf '{"duration": "10s",\n "name": "a\0b"}' > nul-raw.json
one_line 2 '^nul-raw.json:2:12: expected valid JSON, found a NUL byte (0x00)$' \
    "$EDGESIM" validate nul-raw.json
one_line 2 '^--set: nodes\[0\].id: expected a value without NUL characters' \
    "$EDGESIM" validate nul.json --set 'nodes[0].id="x\u0000y"'
