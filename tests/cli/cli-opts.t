# The shared option parser: --opt=value works wherever --opt value does (for
# every command), -oVALUE for short options, -- ends the options, and a
# missing value or a value given to a flag is ONE line, never the help.
root=$(cd "$T/../.." && pwd)
q=$root/scenarios/quickstart.json
expect() { # want, then the arguments
    want=$1; shift
    set +e
    "$EDGESIM" "$@" >out 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$*: exit $rc"; exit 1; }
    [ "$(cat err)" = "$want" ] || { echo "$*:"; echo " want: $want"; echo " got:  $(cat err)"; exit 1; }
}
# a missing value: one line, for every command
expect "edgesim run: --seed needs a value" run "$q" --seed
expect "edgesim run: -o needs a value" run "$q" -o
expect "edgesim run: --trace needs a value" run "$q" --trace --no-plots
expect "edgesim validate: --set needs a value" validate "$q" --set
expect "edgesim sweep: --jobs needs a value" sweep x.json --jobs
expect "edgesim compare: --metric needs a value" compare a b --metric
expect "edgesim plot: --size needs a value" plot d --size
expect "edgesim checksum: --algorithm needs a value" checksum f --algorithm
expect "edgesim bench phold: --end needs a value" bench phold --end
expect "edgesim bench net: --slots needs a value" bench net --slots
expect "edgesim bench net: --open: expected a load above 0 and below 1, found '1'" bench net --open 1
expect "edgesim bench net: --open: expected a load above 0 and below 1, found 'x'" bench net --open=x
# a value given to a flag
expect "edgesim run: --no-plots takes no value (found 'yes')" run "$q" --no-plots=yes
expect "edgesim validate: --json takes no value (found '1')" validate "$q" --json=1
expect "edgesim run: -q takes no value (found '-qq')" run "$q" -qq
# a missing operand is one line too
expect "edgesim run: expected a SCENARIO file (see 'edgesim run --help')" run
expect "edgesim validate: expected one or more SCENARIO files (see 'edgesim validate --help')" validate
expect "edgesim sweep: expected a SWEEP.json file (see 'edgesim sweep --help')" sweep -q
expect "edgesim checksum: missing FILE (see 'edgesim checksum --help')" checksum

# --opt=value and --opt value give the same result
"$EDGESIM" run "$q" -q --no-plots --set duration=2m --seed 7 -o a
"$EDGESIM" run "$q" -q --no-plots --set=duration=2m --seed=7 --output=b
"$EDGESIM" run "$q" -q --no-plots --set duration=2m --seed 7 -oc
cmp a/summary.json b/summary.json
cmp a/summary.json c/summary.json
"$EDGESIM" run "$q" -q --no-plots --set duration=2m --seed 8 -o d
! cmp -s a/summary.json d/summary.json  # the seed did arrive
[ "$("$EDGESIM" validate --set=duration=10m "$q")" = "$("$EDGESIM" validate --set duration=10m "$q")" ]
echo '{"b": 1, "a": [1.0, 2]}' > doc.json
[ "$("$EDGESIM" checksum --algorithm=sha256 doc.json)" = "$("$EDGESIM" checksum -a sha256 doc.json)" ]
[ "$("$EDGESIM" checksum -asha256 doc.json)" = "$("$EDGESIM" checksum --algorithm sha256 doc.json)" ]
[ "$("$EDGESIM" checksum --algorithm=sha256 doc.json)" != "$("$EDGESIM" checksum doc.json)" ]
[ "$("$EDGESIM" bench phold --lps=4 --population=2 --end=1 --seed=3 --quiet | sed 's/ wall.*//')" = \
  "$("$EDGESIM" bench phold --lps 4 --population 2 --end 1 --seed 3 --quiet | sed 's/ wall.*//')" ]
set +e
"$EDGESIM" compare a b --metric=latency_p99 --max-increase=5% >cmp.out 2>&1; rc1=$?
"$EDGESIM" compare a b --metric latency_p99 --max-increase 5% >cmp2.out 2>&1; rc2=$?
"$EDGESIM" plot a --format=gif 2>perr; rc3=$?
set -e
[ $rc1 -eq $rc2 ] && cmp cmp.out cmp2.out
grep -q latency_p99 cmp.out
[ $rc3 -eq 2 ] && grep -q "found 'gif'" perr
# "--" ends the options: a file named like an option
cp "$q" ./--weird.json
"$EDGESIM" validate -- --weird.json | grep -q '^ok: quickstart'
