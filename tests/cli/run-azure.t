# Trace workloads end to end: the shipped Azure 2019 scenario replays exactly
# the sum of its minute counts for every placement (the run is long enough for
# every arrival to happen), a whole scale multiplies it, --set reaches trace
# fields, the outputs carry the app, and a malformed row is exit 2 naming the
# CSV's file, line and column (or skipped and counted with on_error skip).
root=$(cd "$T/../.." && pwd)
scen=$root/scenarios/traces/azure2019-small.json
data=$root/scenarios/traces/data/invocations_per_function_md.anon.d01.csv
want=$(awk -F, 'NR > 1 {for (i = 5; i <= NF; i++) s += $i} END {print s}' "$data")
[ "$want" -gt 0 ]
arrivals() { sed -n 's/.*"arrivals":[[:space:]]*\([0-9]*\).*/\1/p' "$1/summary.json" | head -1; }
for p in uniform even poisson; do
    "$EDGESIM" run "$scen" -q --no-plots --set duration=2h --set "workloads[0].placement=$p" -o "out/$p"
    got=$(arrivals "out/$p")
    [ "$got" = "$want" ] || { echo "$p: $got arrivals, the trace has $want"; exit 1; }
done
"$EDGESIM" run "$scen" -q --no-plots --set duration=2h --set 'workloads[0].scale=3' -o out/x3
[ "$(arrivals out/x3)" = $((3 * want)) ] || { echo "scale 3: $(arrivals out/x3)"; exit 1; }
head -1 out/uniform/functions.csv | grep -q ',app,'
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "app") c = i}
         NR > 1 && length($c) != 64 {exit 1}' out/uniform/functions.csv
grep -q '"missing_memory"' out/uniform/summary.json

# the same placement twice: byte-identical
"$EDGESIM" run "$scen" -q --no-plots --set duration=2h -o out/again
cmp out/uniform/summary.json out/again/summary.json
cmp out/uniform/functions.csv out/again/functions.csv

# a malformed row
mkdir -p bad
head -3 "$data" > bad/inv.csv
sed -n 4p "$data" | sed 's/^\([^,]*,[^,]*,[^,]*,[^,]*\),[0-9]*/\1,x/' >> bad/inv.csv
col=$(sed -n 4p bad/inv.csv | awk -F, '{print length($1) + length($2) + length($3) + length($4) + 5}')
cat > bad/s.json <<'JSON'
{"duration": "1h", "regions": [{"id": "r"}], "nodes": [{"id": "n{i}", "count": 2, "region": "r"}],
 "workloads": [{"type": "azure2019", "invocations": "inv.csv", "region": "r"}]}
JSON
set +e
"$EDGESIM" run bad/s.json -q --no-plots -o out/bad 2>err; rc=$?
set -e
[ $rc -eq 2 ] || { echo "malformed row: exit $rc"; cat err; exit 1; }
grep -q "workloads\[0\].invocations: bad/inv.csv:4:$col: expected a count (a whole number >= 0), found \"x\"" err || {
    echo "expected bad/inv.csv:4:$col"; cat err; exit 1; }
[ ! -e out/bad ]
"$EDGESIM" run bad/s.json -q --no-plots --set 'workloads[0].on_error=skip' -o out/skip
grep -q '"skipped_rows":[[:space:]]*1' out/skip/summary.json

# Azure 2021: each row runs for its recorded duration (after a 500ms cold start
# when no instance is warm), starting at end - duration; rows out of start order
mkdir -p a21
cat > a21/inv.csv <<'CSV'
app,func,end_timestamp,duration
a1,f1,2.0,1.0
a1,f2,3,2.5
a1,f1,1.025E+01,0.25
CSV
cat > a21/s.json <<'JSON'
{"duration": "1m", "regions": [{"id": "r"}], "nodes": [{"id": "n{i}", "count": 1, "region": "r"}],
 "workloads": [{"type": "azure2021", "invocations": "inv.csv", "region": "r"}]}
JSON
"$EDGESIM" run a21/s.json -q --no-plots --invocations -o out/a21
# function,arrival_s,start_s,end_s of each invocation, in arrival order
rows=$(awk -F, 'NR > 1 {print $2 "," $5 "," $6 "," $7}' out/a21/invocations.csv | sort -t, -k2n)
expect="f2,0.500000000,0.500000000,3.500000000
f1,1.000000000,1.000000000,2.500000000
f1,10.000000000,10.000000000,10.250000000"
[ "$rows" = "$expect" ] || { echo "2021 replay:"; echo "$rows"; exit 1; }

# A trace saved by a spreadsheet starts with a UTF-8 byte-order mark (and may
# end its lines with CRLF): it replays byte for byte as the plain file does.
mkdir -p bom
cp "$scen" bom/s.json
mkdir -p bom/data
for f in "$root"/scenarios/traces/data/*.csv; do
    { printf '\357\273\277'; sed 's/$/\r/' "$f"; } > "bom/data/$(basename "$f")"
done
"$EDGESIM" run bom/s.json -q --no-plots --set duration=2h -o out/bom
for f in summary.json functions.csv nodes.csv; do
    cmp out/uniform/$f out/bom/$f || { echo "a byte-order mark changed $f"; exit 1; }
done

# a node group refused for its count is one problem: the trace's functions
# were also told no node could take them (the table had lost the group)
rc=0; "$EDGESIM" validate "$scen" --set 'nodes[0].count=0' 2>err || rc=$?
[ $rc = 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q 'nodes\[0\].count: expected a whole number' err ||
    { echo "rc $rc"; cat err; exit 1; }
