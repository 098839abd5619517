# run refuses what would do nothing or the wrong thing, with one line:
# a sweep file (run it with sweep), trace options without --trace.
root=$(cd "$T/../.." && pwd)
q=$root/scenarios/quickstart.json
sw=$root/scenarios/sweeps/policies.json
expect() { # want, then the arguments
    want=$1; shift
    set +e
    "$EDGESIM" "$@" >out 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$*: exit $rc"; exit 1; }
    [ "$(cat err)" = "$want" ] || { echo "$*:"; echo " want: $want"; echo " got:  $(cat err)"; exit 1; }
    [ ! -e res ] || { echo "$*: wrote outputs"; exit 1; }
}
expect "edgesim run: $sw is a sweep file (it lists \"scenarios\"), not a scenario: run it with 'edgesim sweep $sw'" run "$sw" -o res
expect "edgesim run: --trace-window only applies with --trace FILE.json" run "$q" -o res --trace-window 1m..2m
expect "edgesim run: --trace-nodes only applies with --trace FILE.json" run "$q" -o res --trace-nodes 'eu-*'
expect "edgesim run: --trace-max-events only applies with --trace FILE.json" run "$q" -o res --trace-max-events 10
expect "edgesim run: --trace-max-events: expected a whole number of events (0 for no cap), found '-1'" run "$q" -o res --trace t.json --trace-max-events -1
# a broken scenario that is no sweep still gets the reader's lines
printf '{"name": "x"}\n' > s.json
set +e
"$EDGESIM" run s.json -o res 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q '^s.json:1:1: regions: expected' err && ! grep -q sweep err
