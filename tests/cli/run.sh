#!/bin/sh
# End-to-end CLI tests: every tests/cli/*.t file is a small shell script run
# with $EDGESIM set to the program under test and $T to the tests/cli folder;
# it passes when it exits 0. The files run $JOBS at a time (default: the
# number of CPUs; xargs -P), each in its own empty folder; their lines are
# printed in file order once all have ended, each with the CPU time it took
# (to see where the suite's time goes), then one closing line
# "cli: N passed, N failed".
if [ "${1:-}" = --one ]; then # one test: its output and exit code into $2/NAME.{out,rc}
    work=$(mktemp -d)
    n=$(basename "$3")
    # `times` after the test: its second line is the CPU time (user, system)
    # of the test and every process it waited for, which a busy machine
    # changes less than the wall time
    (cd "$work" && sh -c 'sh -eu "$1"; rc=$?; times >&3; exit $rc' sh "$3" 3>"$2/$n.times") \
        >"$2/$n.out" 2>&1
    echo $? >"$2/$n.rc"
    rm -rf "$work"
    exit 0
fi
T=$(cd "$(dirname "$0")" && pwd)
EDGESIM=$(cd "$(dirname "$EDGESIM")" && pwd)/$(basename "$EDGESIM")
export T EDGESIM
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM

# the files marked "# e2e: long" (a line of their own) start first, so that
# the suite does not end waiting on one of them alone
{
    for t in "$T"/*.t; do
        [ -e "$t" ] && grep -qx '# e2e: long' "$t" && printf '%s\0' "$t"
    done
    for t in "$T"/*.t; do
        [ -e "$t" ] && ! grep -qx '# e2e: long' "$t" && printf '%s\0' "$t"
    done
} | xargs -0 -r -n 1 -P "$JOBS" sh "$T/run.sh" --one "$res"

passed=0; failed=0
for t in "$T"/*.t; do
    [ -e "$t" ] || continue
    n=$(basename "$t")
    # "0m1.250s 0m0.120s" -> "1.4 s CPU"
    cpu=$(sed -n 2p "$res/$n.times" 2>/dev/null | tr 'ms' '  ' |
          awk 'NF == 4 { printf "%.1f s CPU", $1 * 60 + $2 + $3 * 60 + $4 }')
    if [ "$(cat "$res/$n.rc" 2>/dev/null)" = 0 ]; then
        passed=$((passed + 1)); echo "ok   $n${cpu:+ ($cpu)}"
    else
        failed=$((failed + 1)); echo "FAIL $n"; sed 's/^/    /' "$res/$n.out"
    fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
