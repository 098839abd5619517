# edgesim bench: a table of benchmarks; phold prints its figures, --json one
# object with the documented keys; the same seed gives the same event count.
"$EDGESIM" bench --help >out
grep -q '^  phold ' out
grep -q '^  rng ' out
"$EDGESIM" bench phold --help | grep -q -- '--population P'
"$EDGESIM" bench rng --help | grep -q 'usage: edgesim bench rng'

"$EDGESIM" bench phold --lps 16 --population 4 --end 50 --seed 7 --json >a.json
"$EDGESIM" bench phold --lps 16 --population 4 --end 50s --seed 7 --json >b.json
for k in events wall_seconds events_per_second peak_rss_kb; do
    grep -q "\"$k\": [0-9]" a.json || { echo "no $k in: $(cat a.json)"; exit 1; }
done
ev() { sed 's/.*"events": \([0-9]*\).*/\1/' "$1"; }
[ "$(ev a.json)" = "$(ev b.json)" ] || { echo "same seed, different counts"; exit 1; }
[ "$(ev a.json)" -gt 0 ]
"$EDGESIM" bench phold --lps 16 --population 4 --end 50 --seed 8 --json >c.json
[ "$(ev a.json)" != "$(ev c.json)" ] || { echo "another seed, same count"; exit 1; }
"$EDGESIM" bench phold --lps 16 --end 5 | grep -q 'events_per_second'
"$EDGESIM" bench phold --lps 16 --end 5 --quiet | grep -Eq '^events=[0-9]+ wall_seconds='

set +e
"$EDGESIM" bench phold --lps 0 2>err; rc=$?
[ $rc -eq 2 ] && grep -q 'expected a whole number' err || { echo "--lps 0: rc $rc"; exit 1; }
"$EDGESIM" bench phold --mean fast 2>err; rc=$?
[ $rc -eq 2 ] || { echo "--mean fast: rc $rc"; exit 1; }
# a run that would never end (the clock cannot move) or take days is refused
# up front, not left to hang
"$EDGESIM" bench phold --mean 0 --lookahead 0 2>err; rc=$?
[ $rc -eq 2 ] && grep -q 'found both 0 (the clock would never move)' err || { echo "0/0: rc $rc"; cat err; exit 1; }
"$EDGESIM" bench phold --mean 1ns --lookahead 0 2>err; rc=$?
[ $rc -eq 2 ] && grep -q 'expected at most 1e+11 events' err || { echo "1ns: rc $rc"; cat err; exit 1; }
"$EDGESIM" bench rng --draws 18446744073709551615 2>err; rc=$?
[ $rc -eq 2 ] && grep -q 'expected a whole number from 1 to 100000000000' err || { echo "draws: rc $rc"; exit 1; }
"$EDGESIM" bench phold --bogus 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--bogus'" err || exit 1
"$EDGESIM" bench nosuch 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown benchmark 'nosuch'" err || exit 1
"$EDGESIM" bench 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "expected a BENCHMARK" err || exit 1
# "--" ends the options (a BENCHMARK follows); "-" is a name, not an option;
# each refusal is one line
"$EDGESIM" bench -- 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "expected a BENCHMARK" err && [ "$(wc -l < err)" -eq 1 ] || exit 1
"$EDGESIM" bench - 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown benchmark '-'" err && [ "$(wc -l < err)" -eq 1 ] || exit 1
"$EDGESIM" bench -- phold --help >out; rc=$?
[ $rc -eq 0 ] && grep -q "phold" out || exit 1
set -e

# bench net's side files (--finish, --list) are whole or absent: the lists
# of one run, and when one of them cannot be written, neither is left
"$EDGESIM" bench net --quiet --flows 300 --slots 10 --finish fin.csv --list list.csv >/dev/null
[ "$(wc -l < fin.csv)" -eq 300 ] && [ "$(wc -l < list.csv)" -eq 300 ]
set +e
"$EDGESIM" bench net --quiet --flows 300 --finish fin2.csv --list nodir/list.csv 2>err; rc=$?
set -e
[ $rc -eq 1 ] && [ "$(cat err)" = "edgesim bench net: nodir/list.csv: cannot write: No such file or directory" ] ||
    { echo "rc $rc"; cat err; exit 1; }
[ ! -e fin2.csv ] && [ -z "$(ls -A | grep '^\.fin2')" ] || { echo "a side file was left"; ls -A; exit 1; }
# they replace an earlier list of their kind, and nothing else: the user's
# own file is refused before the run, untouched
"$EDGESIM" bench net --quiet --flows 300 --slots 10 --finish fin.csv --list list.csv >/dev/null
echo '{"mine": true}' > mine.json
set +e
"$EDGESIM" bench net --quiet --flows 300 --list mine.json 2>err; rc=$?
set -e
[ $rc -eq 1 ] && [ "$(cat err)" = "edgesim bench net: --list mine.json: expected a new file or an earlier flow list, found other content (a flow list replaces the file as a whole: choose another name)" ] ||
    { echo "rc $rc"; cat err; exit 1; }
set +e
"$EDGESIM" bench net --quiet --flows 300 --finish list.csv 2>err; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "expected a new file or an earlier finish list" err || { echo "rc $rc"; cat err; exit 1; }
[ "$(cat mine.json)" = '{"mine": true}' ] && [ "$(wc -l < list.csv)" -eq 300 ] || { echo "a file was replaced"; exit 1; }

# make bench's SimPy peer (scripts/bench/simpy-routing.py, when python3-simpy
# is installed): its line has the figures bench.sh reads, and its heap picks
# the nodes a scan of every node picks (the same output but the CPU time).
if /usr/bin/python3 -c 'import SimPy.Simulation' 2>/dev/null; then
    sp="$T/../../scripts/bench/simpy-routing.py"
    /usr/bin/python3 "$sp" --duration 0.5 --seed 3 >h.txt
    /usr/bin/python3 "$sp" --duration 0.5 --seed 3 --scan >s.txt
    grep -Eq '^invocations=[1-9][0-9]* cold=[0-9]+ mean_latency_ms=[0-9.]+ cpu_seconds=[0-9.]+ invocations_per_cpu_second=[0-9]+$' h.txt ||
        { echo "simpy-routing: $(cat h.txt)"; exit 1; }
    [ "$(sed 's/ cpu_seconds.*//' h.txt)" = "$(sed 's/ cpu_seconds.*//' s.txt)" ] ||
        { echo "heap and scan differ: $(cat h.txt) / $(cat s.txt)"; exit 1; }
    /usr/bin/python3 "$sp" --help | grep -q -- '--scan'
fi
