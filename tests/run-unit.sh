#!/bin/sh
# Runs every Criterion test binary given as an argument and prints one closing
# line "N passed, N failed" over all of them. With VALGRIND=1 each binary runs
# under valgrind memcheck. Criterion 2.4 runs every test in a child process
# and has no --no-fork, so valgrind follows the children (--trace-children)
# and writes one quiet log per process (not for the system tools a test
# runs, /bin and /usr/bin: their own leaks are not ours); a child's valgrind error does not
# reach the runner's exit code, so any non-empty log fails the binary.
passed=0; failed=0; status=0
for bin in "$@"; do
    out=$(mktemp)
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
    # Criterion's last line: "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
    syn=$(grep 'Synthesis:' "$out" | tail -n 1)
    p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    c=$(echo "$syn" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    p=${p:-0}; f=${f:-0}; c=${c:-0}
    if [ $rc -ne 0 ] || [ -z "$syn" ]; then
        cat "$out"
        [ "$f" -eq 0 ] && [ "$c" -eq 0 ] && f=1
        status=1
        echo "FAIL $(basename "$bin") (exit $rc)"
    else
        echo "ok   $(basename "$bin"): $p passed"
    fi
    passed=$((passed + p)); failed=$((failed + f + c))
    rm -f "$out"
done
echo "unit: $passed passed, $failed failed"
exit $status
