#!/bin/sh
# Runs every Criterion test binary given as an argument and prints one closing
# line "N passed, N failed" over all of them. The binaries run $JOBS at a time
# (default: the number of CPUs; xargs -P), their lines printed in argument
# order once all have ended: most binaries hold a few tests, which Criterion's
# own workers cannot spread over the cores (run one after another, the suite
# kept 1.6 of 2 cores busy). With VALGRIND=1 each binary runs under valgrind
# memcheck. Criterion 2.4 runs every test in a child process
# and has no --no-fork, so valgrind follows the children (--trace-children)
# and writes one quiet log per process (not for the system tools a test
# runs, /bin and /usr/bin: their own leaks are not ours); a child's valgrind error does not
# reach the runner's exit code, so any non-empty log fails the binary.
if [ "${1:-}" = --one ]; then # one binary: $3's output, exit code into $2/N.{out,rc}
    res=$2 n=$3 bin=$4
    out="$res/$n.out"
    if [ "${VALGRIND:-}" = 1 ]; then
        vlog=$(mktemp -d)
        valgrind -q --trace-children=yes --trace-children-skip="/usr/bin/*,/bin/*" \
            --log-file="$vlog/%p.log" --leak-check=full \
            --errors-for-leak-kinds=definite "$bin" >"$out" 2>&1
        rc=$?
        if cat "$vlog"/*.log 2>/dev/null | grep -q .; then
            cat "$vlog"/*.log >>"$out"
            rc=99
        fi
        rm -rf "$vlog"
    else
        "$bin" >"$out" 2>&1
        rc=$?
    fi
    echo "$rc" >"$res/$n.rc"
    exit 0
fi
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM
i=0
for bin in "$@"; do
    i=$((i + 1))
    printf '%s\0%s\0' "$i" "$bin"
done | xargs -0 -r -n 2 -P "$JOBS" sh "$0" --one "$res"

passed=0; failed=0; status=0
i=0
for bin in "$@"; do
    i=$((i + 1))
    out="$res/$i.out"
    rc=$(cat "$res/$i.rc" 2>/dev/null || echo 98)
    # Criterion's last line: "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
    syn=$(grep 'Synthesis:' "$out" 2>/dev/null | tail -n 1)
    p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    c=$(echo "$syn" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    p=${p:-0}; f=${f:-0}; c=${c:-0}
    if [ "$rc" -ne 0 ] || [ -z "$syn" ]; then
        cat "$out" 2>/dev/null
        [ "$f" -eq 0 ] && [ "$c" -eq 0 ] && f=1
        status=1
        echo "FAIL $(basename "$bin") (exit $rc)"
    else
        echo "ok   $(basename "$bin"): $p passed"
    fi
    passed=$((passed + p)); failed=$((failed + f + c))
done
echo "unit: $passed passed, $failed failed"
exit $status
